"""The `qa` command end to end on real files with the real model."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import BBC, ROOT, SEEDS
from fakes import FakeFactory

from qa.cli import main

QA = [sys.executable, "-m", "qa.cli"]


def run_qa(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([*QA, *args], capture_output=True, text=True, cwd=ROOT, timeout=300)


@pytest.fixture(scope="module")
def cli_index(tmp_path_factory) -> Path:
    ix = tmp_path_factory.mktemp("cli") / "ix"
    assert main(["index", str(SEEDS), "--index", str(ix)]) == 0
    return ix


def test_ask_cites_the_chemezov_passage(cli_index, capsys):
    capsys.readouterr()
    assert main(["ask", "What did Chemezov say?", "--index", str(cli_index), "--json"]) == 0
    answer = json.loads(capsys.readouterr().out)
    assert not answer["abstained"]
    assert any("The obligation was fulfilled ahead of schedule" in c["text"] for c in answer["citations"])
    for c in answer["citations"]:
        assert c["text"][c["start"] : c["end"]] == c["quote"]
    assert len(answer["retrieved"]) >= 10 and all(r["text"] for r in answer["retrieved"])
    assert answer["latency_ms"] > 0


def test_ask_text_output_names_sources(cli_index, capsys):
    capsys.readouterr()
    assert main(["ask", "When did Turkey buy its first batch of S-400 systems?", "--index", str(cli_index)]) == 0
    out = capsys.readouterr().out
    assert "Sources:" in out and "paragraph" in out and "[1]" in out


def test_docs_and_remove(cli_index, tmp_path, capsys):
    capsys.readouterr()
    assert main(["docs", "--index", str(cli_index), "--json"]) == 0
    docs = json.loads(capsys.readouterr().out)
    assert len(docs) == 2 and all(d["passages"] > 5 for d in docs)


@pytest.mark.parametrize("args,needle", [
    (["ask", "   "], "question is empty"),
    (["ask", "x" * 10_000], "limit is 2,000"),
    (["ask", "anything", "--index", "/nonexistent/ix"], "no index at"),
    (["index", "/nonexistent/folder", "--index", "/tmp/never"], "no such file"),
])
def test_errors_are_one_line_without_traceback(args, needle):
    result = run_qa(*args)
    assert result.returncode != 0
    assert needle in result.stderr
    assert "Traceback" not in result.stderr


def test_model_mismatch_exit_code(cli_index, tmp_path):
    result = run_qa("ask", "anything", "--index", str(cli_index), "--model", str(tmp_path))
    assert result.returncode == 4 and "built with" in result.stderr and "Traceback" not in result.stderr


def test_html_and_pdf_sources(tmp_path, capsys):
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen import canvas

    src = tmp_path / "src"
    src.mkdir()
    (src / "page.html").write_text(
        "<html><head><title>Harbour news</title><meta name='author' content='Ann Writer'></head><body>"
        "<nav>Home | World | Sport</nav><article><h1>Harbour to expand</h1>"
        "<p>The city council approved a plan on Tuesday to expand the harbour by 400 metres, at a cost of 80 million euros.</p>"
        "<p>Work is due to start in the spring and to finish within three years, the council said.</p></article>"
        "<script>alert('x')</script><footer>Subscribe to our newsletter</footer></body></html>", encoding="utf-8")
    pdf = canvas.Canvas(str(src / "report.pdf"), pagesize=A4)
    pdf.drawString(72, 800, "Annual report of the lighthouse trust.")
    pdf.showPage()
    pdf.drawString(72, 800, "The lighthouse keeper counted 312 ships passing in March.")
    pdf.showPage()
    pdf.save()
    ix = tmp_path / "ix"
    assert main(["index", str(src), "--index", str(ix)]) == 0
    capsys.readouterr()
    assert main(["ask", "How many ships passed the lighthouse in March?", "--index", str(ix), "--json"]) == 0
    answer = json.loads(capsys.readouterr().out)
    top = answer["citations"][0]
    assert "312 ships" in top["text"] and top["page"] == 2
    assert main(["ask", "How long will the harbour be extended?", "--index", str(ix), "--json"]) == 0
    answer = json.loads(capsys.readouterr().out)
    assert "400 metres" in answer["citations"][0]["text"]
    assert "alert" not in json.dumps(answer)


def one_line_articles(folder: Path, n: int) -> Path:
    """n BBC articles (or generated ones) each stored as a single line of text."""
    folder.mkdir()
    files = sorted(BBC.glob("*/*.txt"))[:n] if BBC.exists() else []
    for i in range(n):
        text = files[i].read_text(encoding="utf-8", errors="replace") if i < len(files) else \
            " ".join(f"Story {i} sentence {j} mentions town {i * 7 + j}." for j in range(40))
        (folder / f"{i:03d}.txt").write_text(" ".join(text.split()), encoding="utf-8")
    return folder


def test_300_one_line_articles_fake_embedder(tmp_path):
    from index.layout import open_index
    from index.pipeline import index_paths

    src = one_line_articles(tmp_path / "oneline", 300)
    report = index_paths([src], tmp_path / "ix", embedder_factory=FakeFactory(), quotes=False)
    assert report.added >= 290 and not report.skipped  # BBC repeats a few articles: stored once
    opened = open_index(tmp_path / "ix")
    assert len(opened.store.sources()) == 300
    assert all(len(p.text.split()) <= 150 for d in opened.store.documents()[:20] for p in opened.store.passages_of(d.id))
    opened.close()


@pytest.mark.slow
def test_300_one_line_articles_real_model(tmp_path, capsys):
    src = one_line_articles(tmp_path / "oneline", 300)
    assert main(["index", str(src), "--index", str(tmp_path / "ix"), "--json"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert report["added"] >= 290 and not report["skipped"] and report["passages_added"] > 600
