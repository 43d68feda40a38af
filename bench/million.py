"""One million passages' vectors (synthetic) in the layout Sourceqa picks for that size: build, load, search.

Only the vectors are synthetic: each is a random blend of two real BBC passage vectors plus a
little Gaussian noise, renormalised, so the collection keeps the shape of real text embeddings
(uniform noise would make a graph index look unrealistically bad; plain noisy copies of 15k
vectors would make near-ties of every neighbour list). Queries are made the same way; the exact
top 10 (flat inner product) is the reference for recall.

`build` writes INDEX/vectors.faiss with index.vectors (the same code `qa index` uses) and the
queries with their exact neighbours; it is skipped when a build with the same parameters exists.
`search` runs in a fresh process: load time, resident memory and per-query latency.
"""

from __future__ import annotations

import json
import statistics
import time
from pathlib import Path

import numpy as np

NOISE = 0.02  # per-dimension sd: a noise vector of norm about 0.4 on a unit vector
N_QUERIES = 200
K_TRUTH = 10


def _synthetic(base: np.ndarray, n: int, seed: int) -> np.ndarray:
    rng = np.random.default_rng(seed)
    out = np.empty((n, base.shape[1]), dtype=np.float32)
    for start in range(0, n, 100_000):  # bounded temporaries
        m = min(100_000, n - start)
        w = rng.random((m, 1), dtype=np.float32)
        x = w * base[rng.integers(0, len(base), m)] + (1 - w) * base[rng.integers(0, len(base), m)]
        x += NOISE * rng.standard_normal((m, base.shape[1]), dtype=np.float32)
        out[start : start + m] = x / np.linalg.norm(x, axis=1, keepdims=True)
    return out


def build(args: dict) -> dict:
    import faiss

    from index import vectors
    from index.layout import open_index

    folder = Path(args["dir"])
    meta_path = folder / "meta.json"
    n = int(args["n"])
    src = open_index(Path(args["src"]))
    _, base = src.store.embeddings(src.manifest.model.dim)
    src.close()
    spec = vectors.choose_spec(n, base.shape[1])
    wanted = {"n": n, "noise": NOISE, "spec": spec.model_dump(), "base_vectors": len(base)}
    if meta_path.exists() and json.loads(meta_path.read_text()).get("params") == wanted:
        return {**json.loads(meta_path.read_text()), "reused": True}
    folder.mkdir(parents=True, exist_ok=True)
    t = time.perf_counter()
    x = _synthetic(base, n, seed=1)
    queries = _synthetic(base, N_QUERIES, seed=2)
    exact = faiss.IndexFlatIP(x.shape[1])
    exact.add(x)
    _, truth = exact.search(queries, K_TRUTH)
    del exact
    gen_s = time.perf_counter() - t
    t = time.perf_counter()
    index = vectors.build(spec, np.arange(n, dtype=np.int64), x)
    build_s = time.perf_counter() - t
    vectors.save(index, folder / "vectors.faiss")
    np.save(folder / "queries.npy", queries)
    np.save(folder / "truth.npy", truth)
    meta = {"params": wanted, "generate_and_exact_s": round(gen_s, 1), "build_s": round(build_s, 1),
            "built_at": time.strftime("%Y-%m-%d %H:%M:%S"), "file_mb": round((folder / "vectors.faiss").stat().st_size / 1e6, 1)}
    meta_path.write_text(json.dumps(meta, indent=2))
    return {**meta, "reused": False}


def search(args: dict) -> dict:
    from bench.child import percentile, rss_mb
    from index import vectors
    from index.vectors import VectorSpec

    folder = Path(args["dir"])
    meta = json.loads((folder / "meta.json").read_text())
    spec = VectorSpec.model_validate(meta["params"]["spec"])
    queries, truth = np.load(folder / "queries.npy"), np.load(folder / "truth.npy")
    rss0 = rss_mb()
    t = time.perf_counter()
    index = vectors.load(folder / "vectors.faiss", spec)
    load_s = time.perf_counter() - t
    rss1 = rss_mb()
    out = {"passages": int(index.ntotal), "spec": spec.model_dump(), "layout": vectors.describe(index),
           "load_s": round(load_s, 2), "rss_loaded_mb": round(rss1, 1),
           "bytes_per_passage_in_memory": round((rss1 - rss0) * 1e6 / index.ntotal), "file_mb": meta["file_mb"]}
    for k in (10, 40):  # 40: the candidate pool retrieve() asks the vectors for at k=10
        times, hits = [], 0
        for q, t_ids in zip(queries, truth):
            t = time.perf_counter()
            found = vectors.search(index, q, k)
            times.append((time.perf_counter() - t) * 1000)
            hits += len({i for i, _ in found[:K_TRUTH]} & set(t_ids.tolist()))
        out[f"k{k}"] = {"p50_ms": round(statistics.median(times), 3), "p95_ms": round(percentile(times, 95), 3),
                        "recall@10_vs_exact": round(hits / truth.size, 4)}
    return out


def main(args: dict) -> dict:
    return build(args) if args["phase"] == "build" else search(args)
