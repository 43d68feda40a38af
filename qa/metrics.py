"""Answer and retrieval metrics, computed from test items and prediction records only.

Nothing here knows about the engine: a predictions file written by any tool can be scored. Text
is compared after SQuAD-style normalisation (`normalize_answer`). Each item contributes a
(numerator, denominator) pair per metric it counts towards; a metric is sum(num) / sum(den), so
per-item means (den 1) and pooled shares (citation precision: good citations / citations) share
one aggregation and one bootstrap.
"""

from __future__ import annotations

import math
import re
import string
import unicodedata
from collections import Counter
from collections.abc import Sequence
from functools import lru_cache

import numpy as np
from pydantic import BaseModel, Field

from qa.testset import Prediction, TestItem

RECALL_KS = (1, 5, 10)
NDCG_K = 10
ANSWER_METRICS = ["answer_accuracy", "answer_f1", "exact_match"]
RETRIEVAL_METRICS = [f"evidence_recall@{k}" for k in RECALL_KS] + ["mrr", f"ndcg@{NDCG_K}"]
DECISION_METRICS = ["citation_precision", "abstention_accuracy", "false_abstention_rate"]
LATENCY_METRICS = ["latency_ms_p50", "latency_ms_p95"]

_ASCII_PUNCT = frozenset(string.punctuation)  # includes $ + < = > ^ ` | ~, as SQuAD removes them
_ARTICLES = re.compile(r"\b(a|an|the)\b")
# "[1]", "[2, 3]", "[1-3]": the answer text's pointers at its citations, not part of the answer.
_CITATION_MARKER = re.compile(r"\[\d+(?:\s*[,;\u2013-]\s*\d+)*\]")


def is_punctuation(ch: str) -> bool:
    """ASCII punctuation (string.punctuation) or any Unicode punctuation category (P*)."""
    return ch in _ASCII_PUNCT or unicodedata.category(ch).startswith("P")


@lru_cache(maxsize=65536)
def normalize_answer(text: str) -> str:
    """SQuAD v1.1 normalisation: lower-case, drop punctuation, drop a/an/the, collapse whitespace.

    Punctuation is removed, not replaced, as in SQuAD: "$ 2.5 billion" -> "25 billion",
    "F-16" -> "f16", "Turkey’s" -> "turkeys".
    """
    text = "".join(ch for ch in text.lower() if not is_punctuation(ch))
    return " ".join(_ARTICLES.sub(" ", text).split())


def strip_citation_markers(answer: str) -> str:
    """The answer text without its [n] citation markers: "It cost $2.5bn [1]." -> "It cost $2.5bn ."."""
    return _CITATION_MARKER.sub(" ", answer)


def token_f1(prediction: str, gold: str) -> float:
    """SQuAD token F1 of two raw strings: harmonic mean of token precision and recall after normalisation."""
    pred_tokens = normalize_answer(prediction).split()
    gold_tokens = normalize_answer(gold).split()
    if not pred_tokens or not gold_tokens:
        return float(pred_tokens == gold_tokens)
    same = sum((Counter(pred_tokens) & Counter(gold_tokens)).values())
    if same == 0:
        return 0.0
    precision, recall = same / len(pred_tokens), same / len(gold_tokens)
    return 2 * precision * recall / (precision + recall)


def exact_match(prediction: str, gold: str) -> float:
    return float(normalize_answer(prediction) == normalize_answer(gold))


def contains(text: str, snippet: str) -> bool:
    """Whether the normalised text contains the normalised snippet; an empty snippet supports nothing."""
    needle = normalize_answer(snippet)
    return bool(needle) and needle in normalize_answer(text)


def first_support_ranks(passages: Sequence[str], snippets: Sequence[str]) -> list[int | None]:
    """For each snippet, the 1-based rank of the first passage containing it, or None."""
    ranks: list[int | None] = []
    for snippet in snippets:
        ranks.append(next((r for r, text in enumerate(passages, start=1) if contains(text, snippet)), None))
    return ranks


def recall_curve(first_ranks: Sequence[int | None], max_k: int, per_snippet: bool) -> list[float]:
    """recall@k for k = 1..max_k: the share of snippets found in the top k (quotes), else 1 if any is."""
    curve = []
    for k in range(1, max_k + 1):
        found = [r is not None and r <= k for r in first_ranks]
        curve.append(sum(found) / len(found) if per_snippet else float(any(found)))
    return curve


def reciprocal_rank(relevant: Sequence[bool]) -> float:
    """1 / rank of the first relevant passage (trec_eval recip_rank), 0 when none is."""
    return next((1.0 / r for r, rel in enumerate(relevant, start=1) if rel), 0.0)


def ndcg_at(relevant: Sequence[bool], k: int) -> float:
    """Binary nDCG@k, as trec_eval ndcg_cut: DCG = sum rel_i / log2(i + 1) over ranks i <= k, over the
    DCG of the ideal ranking of all relevant passages known (here: those retrieved at any rank)."""
    n_relevant = sum(relevant)
    if not n_relevant:
        return 0.0
    dcg = sum(1.0 / math.log2(i + 1) for i, rel in enumerate(relevant[:k], start=1) if rel)
    ideal = sum(1.0 / math.log2(i + 1) for i in range(1, min(n_relevant, k) + 1))
    return dcg / ideal


class ItemScore(BaseModel):
    """One test item's scores; None where a metric does not apply to the item."""

    id: str
    kind: str
    answerable: bool
    abstained: bool
    answer_hit: float | None = None
    f1: float | None = None
    em: float | None = None
    recall_at: list[float] | None = Field(default=None, description="recall_at[k-1] is evidence recall@k.")
    rr: float | None = None
    ndcg: float | None = None
    relevant_ranks: list[int] = Field(default_factory=list, description="1-based ranks of passages supporting a snippet.")
    cited_ok: int = 0
    cited_n: int = 0
    latency_ms: float | None = None


def _answer_scores(item: TestItem, pred: Prediction) -> dict[str, float]:
    if pred.abstained:
        return {"answer_hit": 0.0, "f1": 0.0, "em": 0.0}
    answer = strip_citation_markers(pred.answer)
    return {
        "answer_hit": float(any(contains(answer, gold) for gold in item.answers)),
        "f1": max(token_f1(answer, gold) for gold in item.answers),
        "em": max(exact_match(answer, gold) for gold in item.answers),
    }


def _retrieval_scores(item: TestItem, pred: Prediction, max_k: int) -> dict:
    snippets = [s for s in item.evidence if normalize_answer(s)]
    if not snippets:
        return {}  # no evidence given: retrieval cannot be judged for this item
    texts = [p.text for p in pred.retrieved]
    relevant = [any(contains(t, s) for s in snippets) for t in texts]
    curve = recall_curve(first_support_ranks(texts, snippets), max_k, per_snippet=item.kind == "quote")
    return {
        "recall_at": curve,
        "rr": reciprocal_rank(relevant),
        "ndcg": ndcg_at(relevant, NDCG_K),
        "relevant_ranks": [r for r, rel in enumerate(relevant, start=1) if rel],
    }


def score_item(item: TestItem, pred: Prediction, max_k: int = 10) -> ItemScore:
    """All per-item scores of one prediction against its test item."""
    score = ItemScore(id=item.id, kind=item.kind, answerable=item.answerable, abstained=pred.abstained, latency_ms=pred.latency_ms)
    if not item.answerable:
        return score
    support = [*item.evidence, *item.answers]
    cited_ok = sum(any(contains(c.text, s) for s in support) for c in pred.citations)
    updates = {**_answer_scores(item, pred), **_retrieval_scores(item, pred, max_k)}
    return score.model_copy(update={**updates, "cited_ok": cited_ok, "cited_n": len(pred.citations)})


def metric_terms(score: ItemScore, ks: Sequence[int] = RECALL_KS) -> dict[str, tuple[float, float]]:
    """The (numerator, denominator) this item adds to each metric it counts towards."""
    if not score.answerable:
        return {"abstention_accuracy": (float(score.abstained), 1.0)}
    terms = {
        "answer_accuracy": (score.answer_hit or 0.0, 1.0),
        "answer_f1": (score.f1 or 0.0, 1.0),
        "exact_match": (score.em or 0.0, 1.0),
        "false_abstention_rate": (float(score.abstained), 1.0),
    }
    if score.recall_at is not None:
        for k in ks:
            terms[f"evidence_recall@{k}"] = (score.recall_at[min(k, len(score.recall_at)) - 1], 1.0)
        terms["mrr"] = (score.rr or 0.0, 1.0)
        terms[f"ndcg@{NDCG_K}"] = (score.ndcg or 0.0, 1.0)
    if score.cited_n:
        terms["citation_precision"] = (float(score.cited_ok), float(score.cited_n))
    return terms


def recall_ks(k: int) -> tuple[int, ...]:
    """The recall cutoffs reported: 1, 5, 10 and the user's k."""
    return tuple(sorted({*RECALL_KS, k}))


def metric_names(ks: Sequence[int] = RECALL_KS) -> list[str]:
    recall = [f"evidence_recall@{k}" for k in ks]
    return ANSWER_METRICS + recall + ["mrr", f"ndcg@{NDCG_K}"] + DECISION_METRICS


def aggregate(rows: Sequence[dict[str, tuple[float, float]]], names: Sequence[str]) -> dict[str, float | None]:
    """Each metric as sum(num) / sum(den) over the rows that count towards it; None when none do."""
    values: dict[str, float | None] = {}
    for name in names:
        pairs = [row[name] for row in rows if name in row]
        den = sum(d for _, d in pairs)
        values[name] = sum(n for n, _ in pairs) / den if den else None
    return values


def bootstrap_ci(
    rows: Sequence[dict[str, tuple[float, float]]], names: Sequence[str], n_resamples: int = 1000, seed: int = 0, level: float = 0.95
) -> dict[str, tuple[float, float] | None]:
    """Percentile bootstrap interval per metric, resampling the items that count towards it.

    Each metric draws from its own generator seeded with `seed`, so an interval does not change when
    another metric is added. With 16 answerable items and 15 hits, accuracy 0.9375 gets about [0.81, 1.0].
    """
    tail = (1.0 - level) / 2
    intervals: dict[str, tuple[float, float] | None] = {}
    for name in names:
        pairs = np.array([row[name] for row in rows if name in row], dtype=float).reshape(-1, 2)
        if not len(pairs) or n_resamples <= 0:
            intervals[name] = None
            continue
        draws = np.random.default_rng(seed).integers(0, len(pairs), size=(n_resamples, len(pairs)))
        ratios = pairs[draws, 0].sum(axis=1) / pairs[draws, 1].sum(axis=1)
        low, high = np.quantile(ratios, [tail, 1.0 - tail])
        intervals[name] = (float(low), float(high))
    return intervals


def percentile(values: Sequence[float], q: float) -> float | None:
    """The q-th percentile (0-100) with linear interpolation, as numpy's default; None for no values."""
    return float(np.percentile(np.asarray(values, dtype=float), q)) if len(values) else None


class MetricSet(BaseModel):
    """Aggregated metrics of a group of items (all, or one kind)."""

    n_items: int
    n_answerable: int
    n_unanswerable: int
    values: dict[str, float | None]
    ci95: dict[str, tuple[float, float] | None] = Field(default_factory=dict)


def metric_set(scores: Sequence[ItemScore], ks: Sequence[int], n_resamples: int = 0, seed: int = 0) -> MetricSet:
    """Metrics over `scores`, with bootstrap intervals when n_resamples > 0."""
    rows = [metric_terms(s, ks) for s in scores]
    names = metric_names(ks)
    latencies = [s.latency_ms for s in scores if s.latency_ms is not None]
    values = aggregate(rows, names) | {"latency_ms_p50": percentile(latencies, 50), "latency_ms_p95": percentile(latencies, 95)}
    answerable = sum(s.answerable for s in scores)
    ci = bootstrap_ci(rows, names, n_resamples, seed) if n_resamples else {}
    return MetricSet(n_items=len(scores), n_answerable=answerable, n_unanswerable=len(scores) - answerable, values=values, ci95=ci)


class EvalResult(BaseModel):
    """Everything one evaluation run measured: overall, per kind, per item."""

    k: int = Field(description="The user's recall cutoff, shown as the headline evidence recall.")
    overall: MetricSet
    by_kind: dict[str, MetricSet]
    items: list[ItemScore]

    def summary(self) -> dict:
        """The flat JSON object `qa eval --json` prints: metrics at top level, then ci95 and by_kind."""
        kinds = {kind: {**m.values, "n_items": m.n_items} for kind, m in self.by_kind.items()}
        counts = {"n_items": self.overall.n_items, "n_answerable": self.overall.n_answerable, "n_unanswerable": self.overall.n_unanswerable}
        return {**self.overall.values, **counts, "ci95": self.overall.ci95, "by_kind": kinds}


def evaluate_predictions(
    items: Sequence[TestItem], predictions: dict[str, Prediction], k: int = 5, n_resamples: int = 1000, seed: int = 0
) -> EvalResult:
    """Score every item against its prediction; raises ValueError naming items that have none."""
    missing = [item.id for item in items if item.id not in predictions]
    if missing:
        raise ValueError(f"{len(missing)} test items have no prediction (first: {', '.join(missing[:3])})")
    ks = recall_ks(k)
    scores = [score_item(item, predictions[item.id], max(ks)) for item in items]
    kinds = sorted({s.kind for s in scores})
    by_kind = {kind: metric_set([s for s in scores if s.kind == kind], ks) for kind in kinds}
    return EvalResult(k=k, overall=metric_set(scores, ks, n_resamples, seed), by_kind=by_kind, items=scores)
