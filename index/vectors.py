"""Vector half of the index: FAISS, with passage vec_ids as its ids.

Vectors are L2-normalised, so inner product is cosine similarity. The layout follows the size of
the collection: exact search (`flat`) below a threshold, a graph (`hnsw`) above it. Measured on
this project's 2-core machine (docs/benchmarks.md): exact search of 100k passages took 40 ms per
question (p95 80 ms), HNSW 12 ms including the query embedding; at 1M vectors an HNSW search takes
about 1 ms. efSearch 256 found 0.915 of the exact top 10 on the synthetic 1M set (0.87 at 96,
0.94 at 384 for 0.9 ms). The layout and its parameters are recorded in the manifest
so a reader opens, and searches, what the writer wrote.
"""

from __future__ import annotations

import logging
import os
import re
from pathlib import Path

import faiss
import numpy as np
from pydantic import BaseModel, Field

from index.errors import IndexCorrupt

log = logging.getLogger(__name__)

KINDS = ("flat", "hnsw")
# Above this many passages `auto` builds HNSW. Override with SOURCEQA_VECTOR_THRESHOLD;
# force a layout with SOURCEQA_VECTOR_INDEX=flat|hnsw.
HNSW_THRESHOLD = 100_000
ENV_KIND = "SOURCEQA_VECTOR_INDEX"
ENV_THRESHOLD = "SOURCEQA_VECTOR_THRESHOLD"


class VectorSpec(BaseModel):
    """How the FAISS index is laid out; recorded in the manifest."""

    kind: str = Field(default="flat", description="'flat' (exact inner product) or 'hnsw' (graph, approximate).")
    dim: int
    hnsw_m: int | None = Field(default=None, description="HNSW: neighbours per node (memory: 8*M bytes per vector).")
    ef_construction: int | None = Field(default=None, description="HNSW: candidate list while building.")
    ef_search: int | None = Field(default=None, description="HNSW: candidate list while searching (raised to k when k is larger).")


def hnsw_spec(dim: int, m: int = 32, ef_construction: int = 64, ef_search: int = 256) -> VectorSpec:
    return VectorSpec(kind="hnsw", dim=dim, hnsw_m=m, ef_construction=ef_construction, ef_search=ef_search)


def choose_spec(n_passages: int, dim: int, kind: str | None = None, threshold: int | None = None) -> VectorSpec:
    """The layout for an index of `n_passages`: `kind` (or $SOURCEQA_VECTOR_INDEX), default `auto`."""
    kind = (kind or os.environ.get(ENV_KIND) or "auto").strip().lower()
    if threshold is None:
        threshold = _env_int(ENV_THRESHOLD, HNSW_THRESHOLD)
    if kind == "auto":
        kind = "hnsw" if n_passages >= threshold else "flat"
    if kind == "flat":
        return VectorSpec(kind="flat", dim=dim)
    if kind == "hnsw":
        return hnsw_spec(dim)
    raise ValueError(f"unknown vector index kind {kind!r} (from ${ENV_KIND}?); use one of auto, {', '.join(KINDS)}")


def _env_int(name: str, default: int) -> int:
    raw = os.environ.get(name, "").strip()
    if not raw:
        return default
    if not raw.isdigit():
        raise ValueError(f"${name}={raw!r} is not a whole number of passages; e.g. {name}={default}")
    return int(raw)


def same_layout(a: VectorSpec, b: VectorSpec) -> bool:
    """Whether an index built to `a` can serve as `b` (search-time parameters aside)."""
    return (a.kind, a.dim, a.hnsw_m, a.ef_construction) == (b.kind, b.dim, b.hnsw_m, b.ef_construction)


def new_index(spec: VectorSpec) -> faiss.Index:
    if spec.kind == "flat":
        return faiss.IndexIDMap2(faiss.IndexFlatIP(spec.dim))
    if spec.kind == "hnsw":
        graph = faiss.IndexHNSWFlat(spec.dim, spec.hnsw_m or 32, faiss.METRIC_INNER_PRODUCT)
        graph.hnsw.efConstruction = spec.ef_construction or 64
        graph.hnsw.efSearch = spec.ef_search or 256
        return faiss.IndexIDMap2(graph)
    raise ValueError(f"unknown vector index kind {spec.kind!r}; known: {', '.join(KINDS)}")


def can_remove(index: faiss.Index) -> bool:
    """HNSW graphs cannot drop nodes; such an index is rebuilt (see `rebuild`) instead."""
    inner = getattr(index, "index", None)
    return not isinstance(faiss.downcast_index(inner), faiss.IndexHNSW) if inner is not None else True


def build(spec: VectorSpec, vec_ids: np.ndarray, vecs: np.ndarray) -> faiss.Index:
    """A fresh index of layout `spec` holding exactly these vectors (e.g. `Store.embeddings`)."""
    index = new_index(spec)
    for start in range(0, len(vec_ids), 50_000):  # bounded temporary copies on large collections
        add(index, vec_ids[start : start + 50_000], vecs[start : start + 50_000])
    return index


def add(index: faiss.Index, vec_ids: list[int] | np.ndarray, vectors: np.ndarray) -> None:
    if len(vec_ids) == 0:
        return
    index.add_with_ids(np.ascontiguousarray(vectors, dtype=np.float32), np.asarray(vec_ids, dtype=np.int64))


def remove(index: faiss.Index, vec_ids: list[int]) -> bool:
    """Drop these vectors; False when the layout cannot (HNSW): the caller must rebuild before saving."""
    if not vec_ids:
        return True
    if not can_remove(index):
        return False
    index.remove_ids(np.asarray(vec_ids, dtype=np.int64))
    return True


def save(index: faiss.Index, path: Path) -> None:
    try:
        faiss.write_index(index, str(path))
    except RuntimeError as exc:
        # FAISS reports a failed write as RuntimeError, the C library's reason last:
        # "Error in ... write error in /x/vectors.faiss: 4014 != 32000 (No space left on device)"
        reason = re.search(r"\(([^()]+)\)\s*$", str(exc))
        raise OSError(reason.group(1) if reason else str(exc).splitlines()[0][:160]) from exc


def load(path: Path, spec: VectorSpec | None = None) -> faiss.Index:
    """Read a vector file and apply the search-time parameters of `spec` (efSearch)."""
    try:
        index = faiss.read_index(str(path))
    except RuntimeError as exc:  # FAISS reports truncated or foreign files as RuntimeError
        raise IndexCorrupt(f"the vector file {path} cannot be read ({str(exc).splitlines()[0][:120]})") from exc
    if spec is not None:
        configure(index, spec)
    return index


def configure(index: faiss.Index, spec: VectorSpec) -> None:
    inner = faiss.downcast_index(index.index) if hasattr(index, "index") else None
    if isinstance(inner, faiss.IndexHNSW) and spec.ef_search:
        inner.hnsw.efSearch = spec.ef_search


def describe(index: faiss.Index) -> str:
    inner = faiss.downcast_index(index.index) if hasattr(index, "index") else index
    return type(inner).__name__


def ids(index: faiss.Index) -> np.ndarray:
    """The vec_ids the index holds, in storage order."""
    id_map = getattr(index, "id_map", None)
    if id_map is None:
        raise IndexCorrupt(f"the vector file holds a {type(index).__name__}, not an id-mapped index")
    return faiss.vector_to_array(id_map).astype(np.int64)


def search(index: faiss.Index, query: np.ndarray, k: int) -> list[tuple[int, float]]:
    """(vec_id, cosine) best first for one query vector."""
    if index.ntotal == 0 or k <= 0:
        return []
    k = min(k, index.ntotal)
    query = np.ascontiguousarray(query.reshape(1, -1), dtype=np.float32)
    inner = faiss.downcast_index(index.index) if hasattr(index, "index") else None
    if isinstance(inner, faiss.IndexHNSW) and inner.hnsw.efSearch < k:
        # A graph search returns at most efSearch candidates; per-call parameters keep the
        # shared index untouched for other threads.
        scores, found = index.search(query, k, params=faiss.SearchParametersHNSW(efSearch=k))
    else:
        scores, found = index.search(query, k)
    return [(int(i), float(s)) for i, s in zip(found[0], scores[0]) if i >= 0]
