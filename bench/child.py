"""Benchmark steps that run in their own process, so each one's peak memory is its own.

    python -m bench.child TASK '{"json": "arguments"}'

Each task prints one JSON object as its last stdout line; bench.run reads it.
"""

from __future__ import annotations

import json
import logging
import statistics
import sys
import time
from pathlib import Path

import numpy as np

log = logging.getLogger("bench.child")
MODES = ("dense", "bm25", "hybrid")


def rss_mb() -> float:
    import os

    return int(Path("/proc/self/statm").read_text().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 1e6


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(q / 100 * (len(ordered) - 1))))] if ordered else float("nan")


def summary_ms(values: list[float]) -> dict:
    return {"p50_ms": round(statistics.median(values), 2), "p95_ms": round(percentile(values, 95), 2), "n": len(values)}


def load_items(path: str, ids: list[str] | None):
    from qa.testset import load_testset

    items = load_testset(Path(path))
    return [i for i in items if ids is None or i.id in ids]


def passage_texts(index_dir: str):
    """(vec_ids, embedding texts, retrieved-record stubs) of every passage, in vec_id order."""
    from index.chunking import embedding_text
    from index.layout import open_index

    ix = open_index(Path(index_dir))
    try:
        vec_ids = ix.store.vec_ids()
        passages = ix.store.passages_by_vec_ids([int(v) for v in vec_ids])
        titles = ix.store.titles(p.doc_id for p in passages.values())
        rows = [passages[int(v)] for v in vec_ids]
        texts = [embedding_text(p, titles.get(p.doc_id, "")) for p in rows]
        stubs = [{"doc_id": p.doc_id, "passage_id": p.id, "text": p.text} for p in rows]
        return vec_ids, texts, stubs
    finally:
        ix.close()


def dense_recall(vecs: np.ndarray, stubs: list[dict], embedder, items) -> dict:
    """Evidence recall of plain dense retrieval over `vecs` with this embedder's query vectors."""
    import faiss

    from qa.metrics import evaluate_predictions
    from qa.testset import Prediction

    index = faiss.IndexFlatIP(vecs.shape[1])
    index.add(vecs)
    preds = {}
    for item in items:
        scores, ids = index.search(embedder.encode([item.question]), 10)
        retrieved = [{**stubs[i], "score": float(s)} for i, s in zip(ids[0], scores[0]) if i >= 0]
        preds[item.id] = Prediction.model_validate({"id": item.id, "answer": "", "abstained": False, "retrieved": retrieved})
    values = evaluate_predictions(items, preds, k=5, n_resamples=200).overall.values
    return {k: round(v, 4) for k, v in values.items() if k.startswith("evidence_recall") or k == "mrr"}


def task_encode(args: dict) -> dict:
    """Raw encoder throughput on the index's own passage texts, per backend, and its dense recall."""
    from index.embed import SentenceEmbedder

    vec_ids, texts, stubs = passage_texts(args["index"])
    items = [i for i in load_items(args["testset"], args.get("ids")) if i.answerable]
    words = sum(len(t.split()) for t in texts)
    out, reference = {"passages": len(texts), "words": words, "backends": {}}, None
    for backend in args["backends"]:
        limit = args.get("limits", {}).get(backend)
        sample = texts[:limit] if limit else texts
        t = time.perf_counter()
        embedder = SentenceEmbedder(backend=backend)
        load_s = time.perf_counter() - t
        embedder.encode(sample[:8])  # warm-up: first-call allocations
        t = time.perf_counter()
        vecs = embedder.encode(sample)
        secs = time.perf_counter() - t
        row = {"model_load_s": round(load_s, 2), "passages": len(sample), "seconds": round(secs, 2),
               "passages_per_s": round(len(sample) / secs, 2), "words_per_s": round(sum(len(s.split()) for s in sample) / secs, 1)}
        if reference is None:
            reference = vecs
        else:
            cos = (vecs * reference[: len(vecs)]).sum(axis=1)
            row["cosine_to_torch"] = {"mean": round(float(cos.mean()), 5), "min": round(float(cos.min()), 5)}
        if len(sample) == len(texts) and items:
            row["dense_quality"] = dense_recall(vecs, stubs, embedder, items)
        out["backends"][backend] = row
        log.info("encode %s: %s", backend, row)
    return out


def time_retrieval(engine, questions: list[str], repeats: int, modes=MODES) -> dict:
    for mode in modes:  # warm-up: loads the model, touches the FTS and vector pages
        engine.retrieve(questions[0], mode, 10)
    out = {}
    for mode in modes:
        times = []
        for _ in range(repeats):
            for q in questions:
                t = time.perf_counter()
                engine.retrieve(q, mode, 10)
                times.append((time.perf_counter() - t) * 1000)
        out[mode] = summary_ms(times)
    return out


def task_serve(args: dict) -> dict:
    """Open the engine as a server would, time retrieval per mode, evaluate answers."""
    from qa.engine import open_engine
    from qa.evaluate import evaluate

    t = time.perf_counter()
    engine = open_engine(args["index"])
    engine.embed_query("warm up")
    ready_s = time.perf_counter() - t
    rss_ready = rss_mb()
    items = load_items(args["testset"], args.get("ids"))
    latency = time_retrieval(engine, [i.question for i in items], args.get("repeats", 3))
    quality = {}
    for mode in args.get("eval_modes", ["hybrid"]):
        path = Path(args["preds_dir"]) / f"sourceqa.{mode}.jsonl"
        path.unlink(missing_ok=True)
        result = evaluate(engine, items, path, mode=mode, k=5, n_resamples=200)
        quality[mode] = {k: round(v, 4) for k, v in result.summary().items() if isinstance(v, float)}
    return {"passages": engine.index.manifest.counts["passages"], "vectors": engine.index.manifest.vectors.model_dump(),
            "open_and_model_s": round(ready_s, 2), "rss_after_open_mb": round(rss_ready, 1), "rss_end_mb": round(rss_mb(), 1),
            "latency": latency, "quality": quality}


def task_replicate(args: dict) -> dict:
    """A large index from `copies` copies of an index's documents under distinct ids, reusing its
    stored vectors (no re-encoding). Passages, FTS and vectors only: retrieval needs nothing else."""
    from index import vectors
    from index.layout import IndexWriter, open_index

    src = open_index(Path(args["src"]))
    m = src.manifest
    vec_ids, vecs = src.store.embeddings(m.model.dim)
    row_of = {int(v): i for i, v in enumerate(vec_ids)}
    docs = []
    for info in src.store.documents():
        passages = src.store.passages_of(info.id)
        of = src.store.vec_ids_of([p.id for p in passages])
        docs.append((src.store.document(info.id), passages, vecs[[row_of[of[p.id]] for p in passages]]))
    t = time.perf_counter()
    hashes = {}
    with IndexWriter(Path(args["dst"]), m.model.name, m.model.dim, m.chunking, rebuild=True) as w:
        for copy in range(args["copies"]):
            for doc, passages, rows in docs:
                suffix = f"~{copy}" if copy else ""
                new = doc.model_copy(update={"id": doc.id + suffix})
                new_passages = [p.model_copy(update={"id": p.id + suffix, "doc_id": new.id}) for p in passages]
                vectors.add(w.vectors, w.store.add_document(new, new_passages, rows), rows)
                hashes[new.id] = m.documents.get(doc.id, "") + suffix
        fill_s = time.perf_counter() - t
        manifest = w.publish(hashes, None)
    src.close()
    return {"passages": manifest.counts["passages"], "documents": manifest.counts["documents"], "fill_s": round(fill_s, 1),
            "total_s": round(time.perf_counter() - t, 1), "vectors": manifest.vectors.model_dump()}


def task_large(args: dict) -> dict:
    """Retrieval latency on a large index, as built (HNSW above the threshold) and with exact search."""
    from index import vectors
    from qa.engine import open_engine

    t = time.perf_counter()
    engine = open_engine(args["index"])
    open_s = time.perf_counter() - t
    rss_open = rss_mb()
    questions = [i.question for i in load_items(args["testset"], args.get("ids"))]
    spec = engine.index.manifest.vectors
    out = {"passages": engine.index.vectors.ntotal, "open_s": round(open_s, 2), "rss_after_open_mb": round(rss_open, 1),
           "built_as": spec.model_dump(), spec.kind: time_retrieval(engine, questions, args.get("repeats", 2))}
    other = "flat" if spec.kind != "flat" else "hnsw"
    index = engine.index
    rebuilt = vectors.build(vectors.choose_spec(index.vectors.ntotal, spec.dim, kind=other), *index.store.embeddings(spec.dim))
    index.vectors = rebuilt
    out[other] = time_retrieval(engine, questions, args.get("repeats", 2), modes=("dense", "hybrid"))
    return out


TASKS = {"encode": task_encode, "serve": task_serve, "replicate": task_replicate, "large": task_large}


def main() -> None:
    logging.basicConfig(level=logging.INFO, format="%(levelname)s %(name)s: %(message)s", stream=sys.stderr)
    for noisy in ("sentence_transformers", "httpx", "faiss"):
        logging.getLogger(noisy).setLevel(logging.WARNING)
    task, raw = sys.argv[1], sys.argv[2] if len(sys.argv) > 2 else "{}"
    if task == "million":
        from bench.million import main as million

        result = million(json.loads(raw))
    else:
        result = TASKS[task](json.loads(raw))
    sys.stdout.write(json.dumps(result) + "\n")


if __name__ == "__main__":
    main()
