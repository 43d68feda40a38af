"""Bad input end to end: odd questions, odd files, odd test sets, odd options and model names.

The readers' unit tests (test_readers.py) cover each unreadable file on its own, test_testset.py
each malformed test-set line, test_cli.py an empty and a 10,000-character question; here the
same inputs go through the CLI and the engine that serves the app, together, with the fake
embedder: a clear one-line refusal or a per-file skip, never a traceback.
"""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path

import pytest
from conftest import ROOT
from robustness import QA, build_in_process, make_corpus, qa

from index.embed_fake import ENV_VAR, FakeEmbedder
from index.errors import BadInput, ModelMismatch
from qa.cli import main
from qa.engine import Engine
from qa.evaluate import run_items
from qa.testset import parse_testset

HUNDRED_KB = 100_000


@pytest.fixture(scope="module")
def small_index(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("bad-input")
    make_corpus(root / "src", 20, "base", seed=1)
    build_in_process(root / "src", root / "ix")
    return root / "ix"


@pytest.fixture(scope="module")
def engine(small_index) -> Engine:
    engine = Engine(small_index, embedder_factory=FakeEmbedder)
    yield engine
    engine.close()


@pytest.fixture
def fake_engine_cli(monkeypatch):
    """`qa ask` in-process, answering with the fake embedder instead of loading the real model."""
    monkeypatch.setattr("qa.engine.open_engine", lambda index, model=None: Engine(Path(index), model, FakeEmbedder))


def one_line_error(capsys) -> str:
    captured = capsys.readouterr()
    err = captured.err.strip()
    assert "\n" not in err and "Traceback" not in err, err
    return err


# ---- questions -----------------------------------------------------------------------------------

BAD_QUESTIONS = {
    "empty": ("", "question is empty"),
    "whitespace": (" \t\n\r  \u3000", "question is empty"),
    "control characters only": ("\x01\x02\x1b\x7f\u200b\ufeff", "question is empty"),
    "100 KB": ("why " * (HUNDRED_KB // 4), "100,000 characters long"),
    "100 KB of spaces": (" " * HUNDRED_KB, "100,000 characters long"),
    "100 KB of multibyte text": ("é" * (HUNDRED_KB // 2), "limit is 2,000"),
}


@pytest.mark.parametrize("case", list(BAD_QUESTIONS))
def test_bad_question_cli_is_refused_before_loading_anything(case, capsys):
    question, needle = BAD_QUESTIONS[case]
    capsys.readouterr()
    # No index there: the question must be refused first, as it is the thing to fix.
    assert main(["ask", question, "--index", "/nonexistent/index"]) == BadInput.exit_code
    err = one_line_error(capsys)
    assert needle in err and err.startswith("qa ask: ")
    assert len(err) < 300  # the message does not echo 100 KB back


@pytest.mark.parametrize("case", list(BAD_QUESTIONS))
def test_bad_question_through_the_engine_that_serves_the_app(case, engine):
    question, needle = BAD_QUESTIONS[case]
    with pytest.raises(BadInput, match=needle.split(",")[0]):
        engine.ask(question)


def test_bad_history_turns(engine):
    with pytest.raises(BadInput, match="limit is 2,000"):
        engine.ask("What did he say?", history=["Who leads the council?", "why " * HUNDRED_KB])
    # Blank turns (a browser may send them) are dropped, not an error.
    answer = engine.ask("What did the council decide?", history=["", "   "])
    assert answer.resolved_question == "What did the council decide?"


def test_a_100_kb_question_is_refused_over_the_real_command_line():
    result = qa("ask", "a" * HUNDRED_KB, "--index", "/nonexistent/index")
    assert result.returncode == BadInput.exit_code
    assert "Traceback" not in result.stderr and "limit is 2,000" in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1


def test_control_characters_inside_a_question_are_dropped(engine):
    clean = engine.ask("What did the council decide about the harbour budget?")
    dirty = engine.ask("What did the\x00 council\x1b decide\u200b about the\r\nharbour\x7f budget?\u2028")
    assert dirty.question == clean.question
    assert [r.passage_id for r in dirty.retrieved] == [r.passage_id for r in clean.retrieved]


def test_undecodable_bytes_in_a_question_do_not_break_json_output(small_index, fake_engine_cli, capsys):
    # `qa ask $'caf\xe9'` in a UTF-8 terminal: Python hands the byte over as the lone surrogate \udce9,
    # which no UTF-8 writer accepts; a JSON "\ud800" from an API client is the same case.
    capsys.readouterr()
    assert main(["ask", "What did the council\udce9 decide about the\ud800 harbour?", "--index", str(small_index), "--json"]) == 0
    answer = json.loads(capsys.readouterr().out)
    assert answer["question"] == "What did the council decide about the harbour?"


@pytest.mark.parametrize("k", ["0", "1000"])
def test_k_out_of_range_is_one_line(k, small_index, fake_engine_cli, capsys):
    capsys.readouterr()
    assert main(["ask", "What happened?", "--index", str(small_index), "-k", k]) == BadInput.exit_code
    assert f"k of {k} is out of range" in one_line_error(capsys)


# ---- files ---------------------------------------------------------------------------------------


def scanned_pdf(path: Path) -> None:
    """A page with a drawing and no text: what a scan without OCR looks like to a text extractor."""
    from reportlab.pdfgen import canvas

    pdf = canvas.Canvas(str(path))
    pdf.rect(72, 72, 300, 400, fill=1)
    pdf.showPage()
    pdf.save()


@pytest.fixture
def bad_folder(tmp_path) -> Path:
    src = tmp_path / "src"
    src.mkdir()
    (src / "good.txt").write_text("Harbour plan\n\nThe council approved the harbour plan on Monday.", encoding="utf-8")
    (src / "latin1.txt").write_bytes("Café crème\n\nThe café in München opened on Monday.".encode("latin-1"))
    (src / "utf16.md").write_bytes("# Zoë\n\nThe festival drew 12,000 visitors.".encode("utf-16"))
    (src / "empty.txt").write_bytes(b"")
    (src / "blank.md").write_bytes(b" \n\t\n  \n")
    (src / "picture.txt").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 20)
    (src / "page.html").write_bytes(b"\x00\x01\x02\x03" * 500)
    (src / "big.txt").write_text("The railway strike continued. " * 4_000, encoding="utf-8")  # 120 KB
    (src / "broken.docx").write_bytes(b"PK\x03\x04 not really a zip")
    scanned_pdf(src / "scan.pdf")
    return src


SKIPPED = {
    "empty.txt": "empty",
    "blank.md": "only whitespace",
    "picture.txt": "binary",
    "page.html": "",
    "big.txt": "--max-file-mb",
    "broken.docx": "",
    "scan.pdf": "no text layer",
}


def test_folder_of_bad_files_indexes_the_good_ones_and_names_the_rest(bad_folder, tmp_path):
    ix = tmp_path / "ix"
    result = qa("-q", "index", str(bad_folder), "--index", str(ix), "--no-quotes", "--max-file-mb", "0.1", "--json")
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr
    report = json.loads(result.stdout)
    skipped = {Path(s["path"]).name: s["reason"] for s in report["skipped"]}
    assert set(skipped) == set(SKIPPED)
    for name, needle in SKIPPED.items():
        assert needle in skipped[name], (name, skipped[name])
    assert report["added"] == 3

    docs = qa("docs", "--index", str(ix), "--json")
    assert docs.returncode == 0
    titles = {d["title"] for d in json.loads(docs.stdout)}
    assert {"Café crème", "Zoë", "Harbour plan"} <= titles  # non-UTF-8 and UTF-16 decoded, not mangled

    # The size limit is an option: raised, the big file goes in and nothing else changes.
    again = qa("-q", "index", str(bad_folder), "--index", str(ix), "--no-quotes", "--max-file-mb", "1", "--json")
    report = json.loads(again.stdout)
    assert (report["added"], report["removed"], report["unchanged"]) == (1, 0, 3)


@pytest.mark.parametrize("value", ["0", "-1", "abc", "nan"])
def test_max_file_mb_must_be_positive(value, tmp_path, capsys):
    with pytest.raises(SystemExit) as caught:
        main(["index", str(tmp_path), "--index", str(tmp_path / "ix"), "--max-file-mb", value])
    assert caught.value.code == 2
    assert "not a positive number of megabytes" in capsys.readouterr().err


# ---- test sets -----------------------------------------------------------------------------------

GOOD_ITEM = {"id": "q1", "question": "What did the council decide?", "kind": "factoid", "answers": ["harbour"]}


@pytest.mark.parametrize("content, needle", [
    ("Caf\xe9?".encode("latin-1"), "must be UTF-8"),
    (b"\x89PNG\r\n\x1a\n\x00\x00binary", "must be UTF-8"),
    (json.dumps(GOOD_ITEM, indent=2).encode(), ":1: not valid JSON"),
    (json.dumps([GOOD_ITEM]).encode(), "expected a JSON object, got list"),
    (json.dumps(GOOD_ITEM | {"question": "caf\ud800"}).encode(), "question"),
    (b"", "no items"),
])
def test_malformed_test_set_files_via_the_cli(content, needle, tmp_path, capsys):
    path = tmp_path / "set.jsonl"
    path.write_bytes(content)
    capsys.readouterr()
    assert main(["eval", str(path), "--index", "/nonexistent/index"]) == BadInput.exit_code
    err = one_line_error(capsys)
    assert str(path) in err and needle in err


def test_a_folder_that_is_no_test_set(tmp_path, capsys):
    capsys.readouterr()
    assert main(["eval", str(tmp_path), "--index", "/nonexistent/index"]) == BadInput.exit_code
    assert str(tmp_path) in one_line_error(capsys)


def test_eval_records_rejected_questions_and_goes_on(engine, tmp_path):
    """Even when the very first item is one the engine refuses (it is also the untimed warm-up)."""
    items = parse_testset([
        json.dumps(GOOD_ITEM | {"id": "long", "question": "why " * 1000}),
        json.dumps(GOOD_ITEM | {"id": "controls", "question": "\x01\x02"}),
        json.dumps(GOOD_ITEM),
    ])
    predictions = run_items(engine, items, tmp_path / "predictions.jsonl")
    assert set(predictions) == {"long", "controls", "q1"}
    assert "limit is 2,000" in predictions["long"].model_extra["error"]
    assert predictions["controls"].abstained and "empty" in predictions["controls"].model_extra["error"]
    assert "error" not in (predictions["q1"].model_extra or {})


# ---- model names ---------------------------------------------------------------------------------


def qa_real_model(*args: str) -> subprocess.CompletedProcess:
    """`qa` without the fake embedder: the real lookup of the model is what is tested."""
    env = {k: v for k, v in os.environ.items() if k != ENV_VAR}
    return subprocess.run([*QA, *args], capture_output=True, text=True, cwd=ROOT, env=env, timeout=300)


def test_unknown_model_name_for_indexing(tmp_path):
    make_corpus(tmp_path / "src", 2, "base")
    result = qa_real_model("index", str(tmp_path / "src"), "--index", str(tmp_path / "ix"), "--model", "no-such-model")
    assert result.returncode == 1 and "Traceback" not in result.stderr
    last = result.stderr.strip().splitlines()[-1]
    assert "unknown embedding model 'no-such-model'" in last and "--model" in last
    assert not (tmp_path / "ix" / "manifest.json").exists()


@pytest.mark.parametrize("command", [["ask", "What happened?"], ["serve", "--port", "1"]])
def test_unknown_model_name_for_an_existing_index(command, small_index, capsys):
    capsys.readouterr()
    assert main([*command, "--index", str(small_index), "--model", "no-such-model"]) == ModelMismatch.exit_code
    err = one_line_error(capsys)
    assert "built with fake-embedder" in err and "drop --model" in err


@pytest.mark.slow
def test_model_folder_that_is_no_model(tmp_path):
    """A folder given as --model that holds no sentence-transformers model (imports torch: slow)."""
    make_corpus(tmp_path / "src", 2, "base")
    folder = tmp_path / "not-a-model"
    folder.mkdir()
    (folder / "config.json").write_text("{broken")
    result = qa_real_model("index", str(tmp_path / "src"), "--index", str(tmp_path / "ix"), "--model", str(folder))
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert "cannot load embedding model" in result.stderr.strip().splitlines()[-1]


def test_bidi_and_zero_width_characters_inside_words_are_removed_not_spaced():
    from qa.question import clean_question

    assert clean_question("What did Che\u202emezov\u202c say\u2066 about\u2069 Ro\u200dstec?") == "What did Chemezov say about Rostec?"


def test_api_history_accepts_questions_chat_pairs_and_messages():
    from index.errors import SourceqaError
    from ui.api import earlier_questions

    assert earlier_questions(["Who heads the FSMTC?"]) == ["Who heads the FSMTC?"]
    assert earlier_questions([["Who heads the FSMTC?", "Dmitry Shugaev"]]) == ["Who heads the FSMTC?"]
    messages = [{"role": "user", "content": "Who heads the FSMTC?"}, {"role": "assistant", "content": "Shugaev"}]
    assert earlier_questions(messages) == ["Who heads the FSMTC?"]
    assert earlier_questions(None) == []
    with pytest.raises(SourceqaError, match="history must be a list"):
        earlier_questions("Who heads the FSMTC?")
    with pytest.raises(SourceqaError, match="history must be a list"):
        earlier_questions([3])


@pytest.mark.parametrize("files,needle", [({}, "no file of a supported type"),
                                           ({"a.txt": b"\x00\x01binary"}, "none readable")])
def test_a_folder_with_nothing_readable_writes_no_index(files, needle, tmp_path):
    from fakes import FakeFactory
    from index.pipeline import index_paths

    src = tmp_path / "src"
    src.mkdir()
    for name, data in files.items():
        (src / name).write_bytes(data)
    with pytest.raises(BadInput, match=needle):
        index_paths([src], tmp_path / "ix", embedder_factory=FakeFactory(), quotes=False)
    assert not (tmp_path / "ix" / "manifest.json").exists()


def test_an_index_whose_documents_were_all_removed_says_so(tmp_path):
    from index.layout import open_index
    from index.remove import remove_documents

    make_corpus(tmp_path / "src", 2, "gone", seed=3)
    build_in_process(tmp_path / "src", tmp_path / "ix")
    remove_documents(tmp_path / "ix", [d.id for d in open_index(tmp_path / "ix").store.documents()])
    engine = Engine(tmp_path / "ix", embedder_factory=FakeEmbedder)
    try:
        for call in (lambda: engine.ask("What did the minister say?"), lambda: engine.retrieve("budget")):
            with pytest.raises(BadInput, match="holds no documents.*qa index PATH --index"):
                call()
    finally:
        engine.close()
