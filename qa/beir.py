"""BEIR-format retrieval sets: corpus.jsonl, queries.jsonl, qrels/<split>.tsv, scored retrieval-only.

A BEIR set judges documents, not passages: a ranking of passages becomes a ranking of their
documents (first occurrence wins, as in max-passage retrieval), scored against graded qrels with
the trec_eval definitions BEIR itself reports (via pytrec_eval): recall@k, recip_rank, ndcg_cut_10.
"""

from __future__ import annotations

import logging
import math
from collections.abc import Iterator, Sequence
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field

from index.errors import BadInput
from qa.evaluate import MIN_RETRIEVED, AskEngine, run_items
from qa.metrics import MetricSet, aggregate, bootstrap_ci, percentile
from qa.testset import Prediction, Question, parse_line

log = logging.getLogger(__name__)

BEIR_KS = (1, 5, 10)


class BeirDoc(BaseModel):
    model_config = ConfigDict(extra="allow", populate_by_name=True)

    id: str = Field(alias="_id", min_length=1)
    title: str = ""
    text: str = ""


class BeirQuery(BaseModel):
    model_config = ConfigDict(extra="allow", populate_by_name=True)

    id: str = Field(alias="_id", min_length=1)
    text: str = Field(min_length=1)


class BeirSet(BaseModel):
    """A loaded BEIR set; `qrels[query_id][doc_id]` is a graded relevance (> 0 is relevant)."""

    root: str
    corpus: list[BeirDoc]
    queries: dict[str, str]
    qrels: dict[str, dict[str, int]]


def is_beir_dir(path: Path) -> bool:
    return path.is_dir() and (path / "corpus.jsonl").is_file() and (path / "queries.jsonl").is_file()


def _jsonl(path: Path, model: type[BaseModel]) -> Iterator[BaseModel]:
    try:
        handle = path.open(encoding="utf-8-sig")
    except OSError as exc:
        raise BadInput(f"{path}: cannot read it ({exc}); a BEIR set needs corpus.jsonl, queries.jsonl and qrels/") from None
    with handle:
        for number, line in enumerate(handle, start=1):
            if line.strip():
                yield parse_line(line, model, f"{path}:{number}")


def load_qrels(path: Path) -> dict[str, dict[str, int]]:
    """query-id <tab> corpus-id <tab> score lines; a header line is skipped."""
    if not path.is_file():
        raise BadInput(f"{path}: no qrels file; pass --split with one of the files in {path.parent}")
    qrels: dict[str, dict[str, int]] = {}
    for number, line in enumerate(path.read_text(encoding="utf-8-sig").splitlines(), start=1):
        fields = line.strip().split("\t")
        if not line.strip() or (number == 1 and fields[0] == "query-id"):
            continue
        try:
            query_id, doc_id, grade = fields[0], fields[1], int(float(fields[2]))
        except (IndexError, ValueError):
            raise BadInput(f"{path}:{number}: expected 'query-id<TAB>corpus-id<TAB>score', got {line[:80]!r}") from None
        qrels.setdefault(query_id, {})[doc_id] = grade
    return qrels


def load_beir(root: Path, split: str = "test") -> BeirSet:
    """Load a BEIR directory; keeps only queries that have at least one relevant document in the split."""
    corpus = list(_jsonl(root / "corpus.jsonl", BeirDoc))
    queries = {q.id: q.text for q in _jsonl(root / "queries.jsonl", BeirQuery)}
    qrels = {q: rels for q, rels in load_qrels(root / "qrels" / f"{split}.tsv").items() if any(g > 0 for g in rels.values())}
    unknown = [q for q in qrels if q not in queries]
    if unknown:
        raise BadInput(f"{root}: qrels name {len(unknown)} queries missing from queries.jsonl (first: {unknown[0]})")
    if not qrels:
        raise BadInput(f"{root}: qrels/{split}.tsv judges no document relevant; nothing to evaluate")
    log.info("BEIR set %s: %d documents, %d judged queries", root, len(corpus), len(qrels))
    return BeirSet(root=str(root), corpus=corpus, queries={q: queries[q] for q in qrels}, qrels=qrels)


def ranked_doc_ids(pred: Prediction, doc_map: dict[str, list[str]] | None = None) -> list[str]:
    """The BEIR ids of the retrieved passages' documents in rank order, each at its best rank.

    `doc_map` maps an index doc_id to the corpus ids it stands for (several when texts are identical,
    since the index stores identical content once); without it doc_ids are taken as corpus ids.
    """
    ids = (beir_id for p in pred.retrieved for beir_id in (doc_map or {}).get(p.doc_id, [p.doc_id]))
    return list(dict.fromkeys(ids))


def graded_ndcg(ranking: Sequence[str], grades: dict[str, int], k: int) -> float:
    """trec_eval ndcg_cut_k: gain = grade, discount log2(rank + 1), ideal from all judged documents."""
    ideal_gains = sorted((g for g in grades.values() if g > 0), reverse=True)[:k]
    ideal = sum(g / math.log2(i + 1) for i, g in enumerate(ideal_gains, start=1))
    dcg = sum(max(grades.get(d, 0), 0) / math.log2(i + 1) for i, d in enumerate(ranking[:k], start=1))
    return dcg / ideal if ideal else 0.0


def query_terms(ranking: Sequence[str], grades: dict[str, int], ks: Sequence[int] = BEIR_KS) -> dict[str, tuple[float, float]]:
    """One query's (num, den) per metric: recall@k = relevant in top k / all relevant, mrr, ndcg@10."""
    relevant = {d for d, g in grades.items() if g > 0}
    terms = {f"recall@{k}": (len(relevant & set(ranking[:k])) / len(relevant), 1.0) for k in ks}
    terms["mrr"] = (next((1.0 / r for r, d in enumerate(ranking, start=1) if d in relevant), 0.0), 1.0)
    terms["ndcg@10"] = (graded_ndcg(ranking, grades, 10), 1.0)
    return terms


def score_beir(
    beir: BeirSet, predictions: dict[str, Prediction], doc_map: dict[str, list[str]] | None = None, n_resamples: int = 1000, seed: int = 0
) -> MetricSet:
    """Retrieval metrics over the judged queries, with bootstrap intervals and latency percentiles."""
    rows = [query_terms(ranked_doc_ids(predictions[q], doc_map), beir.qrels[q]) for q in beir.qrels]
    names = [f"recall@{k}" for k in BEIR_KS] + ["mrr", "ndcg@10"]
    latencies = [p.latency_ms for q, p in predictions.items() if q in beir.qrels and p.latency_ms is not None]
    values = aggregate(rows, names) | {"latency_ms_p50": percentile(latencies, 50), "latency_ms_p95": percentile(latencies, 95)}
    ci = bootstrap_ci(rows, names, n_resamples, seed) if n_resamples else {}
    return MetricSet(n_items=len(rows), n_answerable=len(rows), n_unanswerable=0, values=values, ci95=ci)


def evaluate_beir(
    engine: AskEngine,
    beir: BeirSet,
    predictions_path: Path,
    mode: str = "hybrid",
    doc_map: dict[str, list[str]] | None = None,
    n_resamples: int = 1000,
) -> MetricSet:
    """Ask every judged query (no history) of an engine whose index holds `beir.corpus`, and score the rankings.

    `doc_map` (from `index_corpus`) turns the index's doc_ids back into corpus ids.
    """
    questions = [Question(id=q, question=text) for q, text in beir.queries.items()]
    predictions = run_items(engine, questions, predictions_path, mode=mode, k=MIN_RETRIEVED)
    return score_beir(beir, predictions, doc_map, n_resamples)


def write_corpus(beir: BeirSet, directory: Path) -> dict[str, str]:
    """Each non-empty document as directory/dNNNNNN.txt (title line, blank line, text, like a news file).

    File names are numbered because corpus ids may hold characters no file name can; returns
    file stem -> corpus id.
    """
    directory.mkdir(parents=True, exist_ok=True)
    stems: dict[str, str] = {}
    for n, doc in enumerate(beir.corpus):
        text = f"{doc.title}\n\n{doc.text}" if doc.title.strip() else doc.text
        if text.strip():
            stem = f"d{n:06d}"
            (directory / f"{stem}.txt").write_text(text + "\n", encoding="utf-8")
            stems[stem] = doc.id
    return stems


def doc_map_from_sources(sources: dict[str, tuple[str, str]], stems: dict[str, str]) -> dict[str, list[str]]:
    """index doc_id -> corpus ids, from the store's path -> (doc_id, root) table and `write_corpus` stems."""
    doc_map: dict[str, list[str]] = {}
    for path, (doc_id, _root) in sources.items():
        beir_id = stems.get(Path(path).stem)
        if beir_id is not None:
            doc_map.setdefault(doc_id, []).append(beir_id)
    return doc_map


def doc_map_of_index(index_dir: Path, model: str | None, stems: dict[str, str]) -> dict[str, list[str]]:
    """The doc map of an index built from files whose stems `stems` maps to corpus ids."""
    from index.layout import open_index  # the index layer is imported only when a BEIR set is evaluated

    opened = open_index(Path(index_dir), model)
    try:
        return doc_map_from_sources(opened.store.sources(), stems)
    finally:
        opened.close()


def index_corpus(beir: BeirSet, workdir: Path, model: str | None = None, **index_options) -> tuple[Path, dict[str, list[str]]]:
    """Index the corpus into workdir/index (no quote extraction: retrieval only); returns it and the doc map."""
    from index.pipeline import index_paths

    stems = write_corpus(beir, workdir / "corpus")
    index_dir = workdir / "index"
    log.info("indexing %d BEIR documents into %s", len(stems), index_dir)
    index_paths([workdir / "corpus"], index_dir, model=model, quotes=False, **index_options)
    return index_dir, doc_map_of_index(index_dir, model, stems)
