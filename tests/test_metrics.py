"""Metric definitions: SQuAD normalisation, answer scores, evidence retrieval (checked against
pytrec_eval), citation precision, abstention, bootstrap intervals and aggregation."""

from __future__ import annotations

import random

import pytest

from qa.metrics import (
    ItemScore,
    bootstrap_ci,
    evaluate_predictions,
    exact_match,
    metric_terms,
    ndcg_at,
    normalize_answer,
    percentile,
    reciprocal_rank,
    score_item,
    strip_citation_markers,
    token_f1,
)
from qa.testset import Prediction, TestItem


def item(id="q1", kind="factoid", answers=("2.5 billion",), evidence=("the contract amounted to $ 2.5 billion",), **kw) -> TestItem:
    answerable = kind != "unanswerable"
    gold = {"answers": list(answers), "evidence": list(evidence)} if answerable else {}
    return TestItem(id=id, question="How much?", kind=kind, answerable=answerable, **gold, **kw)


def pred(id="q1", answer="", abstained=False, retrieved=(), citations=(), latency_ms=10.0) -> Prediction:
    return Prediction(
        id=id,
        answer=answer,
        abstained=abstained,
        retrieved=[{"doc_id": "d", "passage_id": f"p{i}", "text": t, "score": 1.0 / (i + 1)} for i, t in enumerate(retrieved)],
        citations=[{"doc_id": "d", "passage_id": f"c{i}", "text": t, "start": 0, "end": 0} for i, t in enumerate(citations)],
        latency_ms=latency_ms,
    )


@pytest.mark.parametrize(
    "raw, expected",
    [
        ("$ 2.5 billion", "25 billion"),
        ("$2.5 billion", "25 billion"),
        ("Turkey’s “S-400” deal", "turkeys s400 deal"),  # curly quotes and apostrophe
        ("Turkey's \"S-400\" deal", "turkeys s400 deal"),
        ("F-16", "f16"),
        ("F -4", "f 4"),
        ("air–defence — system", "airdefence system"),  # en dash, em dash
        ("The  Quick,\tbrown\n fox.", "quick brown fox"),
        ("A theatre, an anthem, the end", "theatre anthem end"),  # articles only as whole words
        ("«Bonjour» ¿qué?", "bonjour qué"),  # Unicode punctuation
        ("  ", ""),
    ],
)
def test_normalize_answer_squad_style(raw, expected):
    assert normalize_answer(raw) == expected


def test_token_f1_and_exact_match_follow_squad():
    assert token_f1("the cat sat", "cat sat on mat") == pytest.approx(2 * (1.0 * 0.5) / 1.5)
    assert token_f1("Dmitry Shugaev", "dmitry  SHUGAEV.") == 1.0
    assert token_f1("nothing alike", "Shugaev") == 0.0
    assert token_f1("", "") == 1.0 and token_f1("a", "b c") == 0.0  # "a" normalises to nothing
    assert exact_match("The S-400.", "s400") == 1.0 and exact_match("S-400 system", "S-400") == 0.0


def test_citation_markers_do_not_count_as_answer_tokens():
    assert normalize_answer(strip_citation_markers("It cost $2.5 billion [1], [2, 3]")) == "it cost 25 billion"
    scored = score_item(item(answers=["2.5 billion"]), pred(answer="2.5 billion [1]"))
    assert scored.em == 1.0 and scored.f1 == 1.0


def test_answer_accuracy_is_containment_and_zero_when_abstained():
    it = item(answers=["$ 2.5 billion", "2.5 billion"])
    assert score_item(it, pred(answer="The contract was worth $2.5 billion.")).answer_hit == 1.0
    assert score_item(it, pred(answer="It cost 3 billion.")).answer_hit == 0.0
    abstained = score_item(it, pred(answer="2.5 billion", abstained=True))
    assert (abstained.answer_hit, abstained.f1, abstained.em) == (0.0, 0.0, 0.0)


def test_evidence_recall_quote_counts_share_of_snippets():
    it = item(kind="quote", evidence=["first statement", "second statement", "third statement"])
    passages = ["noise", "He made the First Statement.", "noise", "and the second statement too"]
    scored = score_item(it, pred(retrieved=passages))
    assert scored.recall_at[0] == 0.0
    assert scored.recall_at[1] == pytest.approx(1 / 3)
    assert scored.recall_at[3] == pytest.approx(2 / 3)
    assert scored.recall_at[9] == pytest.approx(2 / 3)
    assert scored.relevant_ranks == [2, 4]


def test_evidence_recall_non_quote_is_one_if_any_snippet_found():
    it = item(evidence=["first statement", "second statement"])
    scored = score_item(it, pred(retrieved=["noise", "noise", "the SECOND statement"]))
    assert scored.recall_at[:3] == [0.0, 0.0, 1.0]
    assert scored.rr == pytest.approx(1 / 3)


def test_citation_precision_pools_cited_passages_over_answerable_items():
    a = item(id="a", answers=["Shugaev"], evidence=["head of the FSMTC"])
    b = item(id="b", answers=["2017"], evidence=["signed in 2017"])
    preds = {
        "a": pred("a", answer="Shugaev", citations=["Dmitry Shugaev spoke", "the head of the FSMTC said", "weather"]),
        "b": pred("b", answer="2017", citations=["the deal was signed in 2017"]),
    }
    result = evaluate_predictions([a, b], preds, n_resamples=0)
    assert result.overall.values["citation_precision"] == pytest.approx(3 / 4)


def test_abstention_metrics():
    items = [item(id="u1", kind="unanswerable"), item(id="u2", kind="unanswerable"), item(id="a1"), item(id="a2")]
    preds = {
        "u1": pred("u1", abstained=True),
        "u2": pred("u2", answer="Something"),
        "a1": pred("a1", abstained=True),
        "a2": pred("a2", answer="2.5 billion"),
    }
    values = evaluate_predictions(items, preds, n_resamples=0).overall.values
    assert values["abstention_accuracy"] == 0.5
    assert values["false_abstention_rate"] == 0.5
    assert values["answer_accuracy"] == 0.5
    assert metric_terms(score_item(items[0], preds["u1"])) == {"abstention_accuracy": (1.0, 1.0)}


def test_breakdown_by_kind_and_latency_percentiles():
    items = [item(id=f"f{i}") for i in range(4)] + [item(id="u", kind="unanswerable")]
    preds = {f"f{i}": pred(f"f{i}", answer="2.5 billion" if i < 3 else "no", latency_ms=10.0 * (i + 1)) for i in range(4)}
    preds["u"] = pred("u", abstained=True, latency_ms=50.0)
    result = evaluate_predictions(items, preds, n_resamples=0)
    assert set(result.by_kind) == {"factoid", "unanswerable"}
    assert result.by_kind["factoid"].values["answer_accuracy"] == 0.75
    assert result.by_kind["unanswerable"].values["abstention_accuracy"] == 1.0
    assert result.overall.values["latency_ms_p50"] == 30.0
    assert result.overall.values["latency_ms_p95"] == pytest.approx(48.0)
    summary = result.summary()
    for key in ["answer_accuracy", "answer_f1", "exact_match", "evidence_recall@1", "evidence_recall@5", "evidence_recall@10", "mrr", "ndcg@10",
                "citation_precision", "abstention_accuracy", "false_abstention_rate", "latency_ms_p50", "latency_ms_p95", "by_kind"]:
        assert key in summary


def test_missing_prediction_is_named():
    with pytest.raises(ValueError, match="q1"):
        evaluate_predictions([item()], {})


def test_bootstrap_is_deterministic_and_brackets_the_estimate():
    rows = [{"m": (float(i % 4 != 0), 1.0)} for i in range(40)]
    first = bootstrap_ci(rows, ["m", "absent"], n_resamples=500, seed=0)
    assert first == bootstrap_ci(rows, ["m", "absent"], n_resamples=500, seed=0)
    low, high = first["m"]
    assert low <= 0.75 <= high and 0.5 < low and high < 0.95
    assert first["absent"] is None
    assert bootstrap_ci([{"m": (1.0, 1.0)}] * 5, ["m"])["m"] == (1.0, 1.0)


def test_percentile_and_rank_helpers():
    assert percentile([], 50) is None
    assert percentile([1.0, 2.0, 3.0, 4.0], 50) == 2.5
    assert reciprocal_rank([False, False, True]) == pytest.approx(1 / 3)
    assert ndcg_at([False, False], 10) == 0.0
    assert ndcg_at([True, False], 10) == 1.0


def _random_case(rng: random.Random, n: int):
    """An item with 1-3 snippets and a ranking of 0-14 passages, some of which contain a snippet."""
    snippets = [f"snippet number {n} part {j}" for j in range(rng.randint(1, 3))]
    texts = []
    for r in range(rng.randint(0, 14)):
        roll = rng.random()
        texts.append(f"Before. The {rng.choice(snippets).upper()}, after." if roll < 0.3 else f"unrelated passage {n}-{r}")
    return item(id=f"q{n}", evidence=snippets), pred(f"q{n}", answer="x", retrieved=texts)


def test_retrieval_metrics_match_pytrec_eval():
    pytrec_eval = pytest.importorskip("pytrec_eval")
    rng = random.Random(7)
    cases = [_random_case(rng, n) for n in range(60)]
    qrels, run, ours = {}, {}, {}
    for it, pr in cases:
        scored = score_item(it, pr)
        # qrels from which retrieved passages support a snippet; a judged non-relevant dummy keeps empty queries in.
        qrels[it.id] = {p.passage_id: int(any(normalize_answer(s) in normalize_answer(p.text) for s in it.evidence)) for p in pr.retrieved} | {"dummy": 0}
        run[it.id] = {p.passage_id: p.score for p in pr.retrieved} or {"none": 0.0}
        ours[it.id] = scored
    measures = {"success_1", "success_5", "success_10", "recip_rank", "ndcg_cut_10"}
    theirs = pytrec_eval.RelevanceEvaluator(qrels, measures).evaluate(run)
    for qid, scored in ours.items():
        for k in (1, 5, 10):
            assert scored.recall_at[k - 1] == pytest.approx(theirs[qid][f"success_{k}"]), (qid, k)
        assert scored.rr == pytest.approx(theirs[qid]["recip_rank"]), qid
        assert scored.ndcg == pytest.approx(theirs[qid]["ndcg_cut_10"]), qid
    assert any(s.rr and s.rr < 1 for s in ours.values()) and any(s.ndcg and s.ndcg < 1 for s in ours.values())


def test_item_score_json_roundtrip():
    scored = score_item(item(), pred(answer="2.5 billion", retrieved=["the contract amounted to $2.5 billion"]))
    assert ItemScore.model_validate_json(scored.model_dump_json()) == scored
