"""Evaluation runs with a fake engine: predictions written as it goes, resume after an interrupt,
--compare, --json, the HTML report (escaping, highlighting), and BEIR retrieval sets."""

from __future__ import annotations

import json
import sys
import types
from pathlib import Path

import pytest

from index.errors import BadInput, IndexNotFound
from qa.beir import evaluate_beir, graded_ndcg, load_beir, query_terms
from qa.cli import main
from qa.evaluate import evaluate, mode_path, read_predictions, run_items
from qa.metrics import contains, evaluate_predictions
from qa.models import Answer, Citation, RetrievedPassage
from qa.report import find_spans, highlight, render_report
from qa.testset import TestItem

PASSAGES = {
    "p1": "Russia fulfilled the first contract, worth $ 2.5 billion, in July 2019.",
    "p2": "The head of the FSMTC, Dmitry Shugaev, said: “Negotiations are underway.”",
    "p3": "Unrelated text <script>alert('x')</script> about the weather & more.",
    "p4": "The S-400 detection range is up to 600 km.",
}
ITEMS = [
    TestItem(id="f1", question="How much was the contract worth?", kind="factoid", answers=["2.5 billion"], evidence=["worth $2.5 billion"]),
    TestItem(id="f2", question="What is the detection range?", kind="factoid", answers=["600 km"], evidence=["detection range is up to 600 km"]),
    TestItem(id="c1", question="What did he say?", kind="followup", history=["Who heads the FSMTC?"], answers=["Negotiations are underway"],
             evidence=['"Negotiations are underway."']),
    TestItem(id="u1", question="How many S-400 did India order?", kind="unanswerable", answerable=False),
]
# question -> (answer, abstained, ranked passage ids, cited passage id)
CANNED = {
    "How much was the contract worth?": ("It was worth $2.5 billion [1].", False, ["p3", "p1", "p4"], "p1"),
    "What is the detection range?": ("About 400 km [1].", False, ["p3", "p2", "p4"], "p3"),
    "What did he say?": ('"Negotiations are underway" [1]', False, ["p2", "p1"], "p2"),
    "How many S-400 did India order?": ("", True, ["p4"], None),
}


class FakeEngine:
    """Canned answers by question; records every call; can fail after `fail_after` calls."""

    def __init__(self, fail_after: int | None = None) -> None:
        self.calls: list[tuple[str, list[str], str, int]] = []
        self.fail_after = fail_after

    def ask(self, question: str, history: list[str], mode: str = "hybrid", k: int = 10) -> Answer:
        if self.fail_after is not None and len(self.calls) >= self.fail_after:
            raise KeyboardInterrupt
        self.calls.append((question, history, mode, k))
        text, abstained, ranked, cited = CANNED[question]
        if mode == "bm25":
            ranked = list(reversed(ranked))
        retrieved = [RetrievedPassage(doc_id="d" + pid, passage_id=pid, text=PASSAGES[pid], score=1.0 / r, rank=r) for r, pid in enumerate(ranked, start=1)]
        citations = [Citation(doc_id="d" + cited, passage_id=cited, text=PASSAGES[cited], start=0, end=10)] if cited else []
        return Answer(question=question, resolved_question=question, answer=text, abstained=abstained, citations=citations, retrieved=retrieved, mode=mode)


def test_run_writes_design_format_predictions_and_passes_history(tmp_path):
    engine = FakeEngine()
    path = tmp_path / "preds.jsonl"
    result = evaluate(engine, ITEMS, path, mode="dense", k=5, n_resamples=200)
    records = [json.loads(line) for line in path.read_text().splitlines()]
    assert [r["id"] for r in records] == ["f1", "f2", "c1", "u1"]
    assert set(records[0]) >= {"id", "question", "answer", "abstained", "citations", "retrieved", "latency_ms"}
    assert ("What did he say?", ["Who heads the FSMTC?"], "dense", 10) in engine.calls
    values = result.overall.values
    assert values["answer_accuracy"] == pytest.approx(2 / 3)
    assert values["abstention_accuracy"] == 1.0 and values["false_abstention_rate"] == 0.0
    assert values["evidence_recall@1"] == pytest.approx(1 / 3) and values["evidence_recall@5"] == 1.0
    assert values["citation_precision"] == pytest.approx(2 / 3)
    assert result.overall.ci95["answer_accuracy"] is not None


def test_interrupted_run_resumes_and_tolerates_a_torn_last_line(tmp_path):
    path = tmp_path / "preds.jsonl"
    with pytest.raises(KeyboardInterrupt):
        run_items(FakeEngine(fail_after=3), ITEMS, path)
    assert len(path.read_text().splitlines()) == 2
    with path.open("a") as handle:
        handle.write('{"id": "c1", "question": "What did he sa')  # a write cut short
    engine = FakeEngine()
    predictions = run_items(engine, ITEMS, path)
    # one untimed warm-up question, then only the two items not yet answered
    assert [c[0] for c in engine.calls] == ["What did he say?", "What did he say?", "How many S-400 did India order?"]
    lines = path.read_text().splitlines()
    assert [json.loads(line)["id"] for line in lines] == ["f1", "f2", "c1", "u1"]
    assert set(predictions) == {"f1", "f2", "c1", "u1"}
    again = FakeEngine()
    run_items(again, ITEMS, path)
    assert again.calls == []


def test_corrupt_line_before_the_last_is_an_error(tmp_path):
    path = tmp_path / "preds.jsonl"
    path.write_text('{"id": "f1"}\nnot json\n{"id": "f2"}\n')
    with pytest.raises(BadInput, match=r"preds.jsonl:2: not valid JSON"):
        read_predictions(path)


def test_predictions_of_another_tool_are_scored_without_an_engine(tmp_path):
    path = tmp_path / "theirs.jsonl"
    records = [{"id": i.id, "answer": "2.5 billion", "abstained": not i.answerable, "retrieved": [{"text": PASSAGES["p1"]}], "tool": "x"} for i in ITEMS]
    path.write_text("\n".join(json.dumps(r) for r in records) + "\n")
    engine = FakeEngine(fail_after=0)
    result = evaluate_predictions(ITEMS, run_items(engine, ITEMS, path), n_resamples=0)
    assert result.overall.values["answer_accuracy"] == pytest.approx(1 / 3)


def test_retrieval_metrics_of_a_run_match_pytrec_eval(tmp_path):
    pytrec_eval = pytest.importorskip("pytrec_eval")
    predictions = run_items(FakeEngine(), ITEMS, tmp_path / "p.jsonl")
    result = evaluate_predictions(ITEMS, predictions, n_resamples=0)
    answerable = [i for i in ITEMS if i.answerable]
    # qrels from which retrieved passages support a snippet; a judged non-relevant dummy keeps every query in.
    qrels = {i.id: {p.passage_id: int(any(contains(p.text, s) for s in i.evidence)) for p in predictions[i.id].retrieved} | {"dummy": 0} for i in answerable}
    run = {i.id: {p.passage_id: p.score for p in predictions[i.id].retrieved} for i in answerable}
    theirs = pytrec_eval.RelevanceEvaluator(qrels, {"success_1", "success_5", "recip_rank", "ndcg_cut_10"}).evaluate(run)
    mean = lambda m: sum(q[m] for q in theirs.values()) / len(theirs)  # noqa: E731
    values = result.overall.values
    assert values["evidence_recall@1"] == pytest.approx(mean("success_1"))
    assert values["evidence_recall@5"] == pytest.approx(mean("success_5"))
    assert values["mrr"] == pytest.approx(mean("recip_rank"))
    assert values["ndcg@10"] == pytest.approx(mean("ndcg_cut_10"))


def test_report_escapes_source_text_and_marks_evidence(tmp_path):
    predictions = run_items(FakeEngine(), ITEMS, tmp_path / "p.jsonl")
    result = evaluate_predictions(ITEMS, predictions, n_resamples=50)
    page = render_report({"hybrid": result}, ITEMS, {"hybrid": predictions}, "eval <script>")
    assert "<script>" not in page and "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt;" in page
    assert "<svg" in page and "Evidence recall@k" in page
    assert 'id="item-f2"' in page and 'id="item-f1"' not in page  # only failures are listed
    assert "<mark>detection range is up to 600 km</mark>" in page


def test_highlight_maps_normalised_matches_back_to_the_original_span():
    text = "He said: “Negotiations are underway,” on Tuesday."
    [(start, end)] = find_spans(text, ['"Negotiations are underway"'])
    assert text[start:end] == "Negotiations are underway"
    assert highlight("Cost: $ 2.5 billion <b>", ["$2.5 billion"]) == "Cost: $ <mark>2.5 billion</mark> &lt;b&gt;"
    assert highlight("nothing here <i>", ["absent"]) == "nothing here &lt;i&gt;"
    assert find_spans("The F-16 and the F -4", ["f16"]) == [(4, 8)]


def _fake_engine_module(monkeypatch, engine):
    module = types.ModuleType("qa.engine")
    module.open_engine = lambda index_dir, model: engine
    monkeypatch.setitem(sys.modules, "qa.engine", module)


def _write_items(path: Path) -> None:
    path.write_text("\n".join(i.model_dump_json() for i in ITEMS) + "\n")


def test_cli_compare_json_and_report(tmp_path, monkeypatch, capsys):
    engine = FakeEngine()
    _fake_engine_module(monkeypatch, engine)
    testset, preds, report = tmp_path / "set.jsonl", tmp_path / "preds.jsonl", tmp_path / "report"
    _write_items(testset)
    argv = ["eval", str(testset), "--compare", "dense,bm25", "--predictions", str(preds), "--report", str(report), "--json", "--bootstrap", "100"]
    assert main(argv) == 0
    payload = json.loads(capsys.readouterr().out)
    assert set(payload["modes"]) == {"dense", "bm25"}
    assert payload["modes"]["bm25"]["mrr"] != payload["modes"]["dense"]["mrr"]
    assert mode_path(preds, "dense").exists() and mode_path(preds, "bm25").exists()
    assert (report / "index.html").exists()
    assert len(engine.calls) == 2 * (len(ITEMS) + 1)  # each mode warms up once


def test_cli_table_with_intervals_and_kinds(tmp_path, monkeypatch, capsys):
    _fake_engine_module(monkeypatch, FakeEngine())
    testset = tmp_path / "set.jsonl"
    _write_items(testset)
    assert main(["eval", str(testset), "-k", "3"]) == 0
    out = capsys.readouterr().out
    assert "evidence_recall@3" in out and "answer_accuracy" in out
    assert " [" in out and "ms" in out
    assert "unanswerable" in out and "followup" in out


def _beir_dir(root: Path) -> Path:
    (root / "qrels").mkdir(parents=True)
    corpus = [{"_id": f"d{p}", "title": "", "text": t} for p, t in PASSAGES.items()]
    (root / "corpus.jsonl").write_text("\n".join(json.dumps(d) for d in corpus))
    queries = [{"_id": i.id, "text": i.question} for i in ITEMS]
    (root / "queries.jsonl").write_text("\n".join(json.dumps(q) for q in queries))
    qrels = ["query-id\tcorpus-id\tscore", "f1\tdp1\t2", "f1\tdp4\t1", "f2\tdp4\t1", "c1\tdp2\t1", "c1\tdp1\t0"]
    (root / "qrels" / "test.tsv").write_text("\n".join(qrels) + "\n")
    return root


def test_beir_set_scores_match_pytrec_eval(tmp_path):
    pytrec_eval = pytest.importorskip("pytrec_eval")
    beir = load_beir(_beir_dir(tmp_path / "beir"))
    assert set(beir.queries) == {"f1", "f2", "c1"}  # u1 has no judgments
    metrics = evaluate_beir(FakeEngine(), beir, tmp_path / "p.jsonl", mode="dense", n_resamples=0)
    runs = {q: {"d" + pid: 1.0 / r for r, pid in enumerate(CANNED[text][2], start=1)} for q, text in beir.queries.items()}
    theirs = pytrec_eval.RelevanceEvaluator(beir.qrels, {"recall_1", "recall_5", "recip_rank", "ndcg_cut_10"}).evaluate(runs)
    mean = lambda m: sum(q[m] for q in theirs.values()) / len(theirs)  # noqa: E731
    assert metrics.values["recall@1"] == pytest.approx(mean("recall_1"))
    assert metrics.values["recall@5"] == pytest.approx(mean("recall_5"))
    assert metrics.values["mrr"] == pytest.approx(mean("recip_rank"))
    assert metrics.values["ndcg@10"] == pytest.approx(mean("ndcg_cut_10"))
    assert graded_ndcg([], {"a": 1}, 10) == 0.0 and query_terms(["a"], {"a": 1})["mrr"] == (1.0, 1.0)


def test_beir_bad_qrels_line_is_named(tmp_path):
    root = _beir_dir(tmp_path / "beir")
    (root / "qrels" / "test.tsv").write_text("query-id\tcorpus-id\tscore\nf1 dp1\n")
    with pytest.raises(BadInput, match=r"test.tsv:2:"):
        load_beir(root)


def test_beir_corpus_is_indexed_and_mapped_back_to_corpus_ids(tmp_path):
    from fakes import FakeFactory

    from qa.beir import index_corpus
    from qa.engine import Engine

    root = _beir_dir(tmp_path / "beir")
    corpus = [{"_id": "news/1", "title": "S-400 deal", "text": PASSAGES["p1"]}, {"_id": "dp4", "title": "", "text": PASSAGES["p4"]},
              {"_id": "copy", "title": "", "text": PASSAGES["p4"]}, {"_id": "empty", "title": "", "text": ""}]
    (root / "corpus.jsonl").write_text("\n".join(json.dumps(d) for d in corpus))
    (root / "qrels" / "test.tsv").write_text("f1\tnews/1\t1\nf2\tcopy\t1\n")
    beir = load_beir(root)
    factory = FakeFactory()
    index_dir, doc_map = index_corpus(beir, tmp_path / "work", embedder_factory=factory)
    assert sorted(sorted(ids) for ids in doc_map.values()) == [["copy", "dp4"], ["news/1"]]  # identical texts share a doc
    metrics = evaluate_beir(Engine(index_dir, embedder_factory=factory), beir, tmp_path / "p.jsonl", "bm25", doc_map, n_resamples=0)
    assert metrics.values["recall@10"] == 1.0 and metrics.n_items == 2


class RejectingEngine(FakeEngine):
    def ask(self, question, history, mode="hybrid", k=10):
        if question.startswith("What is"):
            raise BadInput("question rejected")
        if question.startswith("How many"):
            raise IndexNotFound("no index at /nowhere; run `qa index PATH` first")
        return super().ask(question, history, mode, k)


def test_a_rejected_question_is_an_abstention_but_a_missing_index_stops_the_run(tmp_path):
    path = tmp_path / "p.jsonl"
    with pytest.raises(IndexNotFound):
        run_items(RejectingEngine(), ITEMS, path, warm_up=False)
    records = {r["id"]: r for r in map(json.loads, path.read_text().splitlines())}
    assert set(records) == {"f1", "f2", "c1"}  # the run resumes at u1 once the index exists
    assert records["f2"]["abstained"] and records["f2"]["error"] == "question rejected"


def test_cli_scores_a_complete_predictions_file_without_opening_an_index(tmp_path, monkeypatch, capsys):
    testset, preds = tmp_path / "set.jsonl", tmp_path / "preds.jsonl"
    _write_items(testset)
    run_items(FakeEngine(), ITEMS, preds)
    module = types.ModuleType("qa.engine")
    module.open_engine = lambda index_dir, model: pytest.fail("the engine was opened")
    monkeypatch.setitem(sys.modules, "qa.engine", module)
    assert main(["eval", str(testset), "--predictions", str(preds), "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["n_items"] == len(ITEMS)
