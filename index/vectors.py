"""Vector half of the index: FAISS, with passage vec_ids as its ids.

Vectors are L2-normalised, so inner product is cosine similarity. Exact search is the default;
the layout is recorded in the manifest so a reader opens what the writer wrote.
"""

from __future__ import annotations

import re
from pathlib import Path

import faiss
import numpy as np
from pydantic import BaseModel, Field

from index.errors import IndexCorrupt


class VectorSpec(BaseModel):
    """How the FAISS index is laid out; recorded in the manifest."""

    kind: str = Field(default="flat", description="'flat' (exact inner product).")
    dim: int


def new_index(spec: VectorSpec) -> faiss.Index:
    if spec.kind != "flat":
        raise ValueError(f"unknown vector index kind {spec.kind!r}; known: flat")
    return faiss.IndexIDMap2(faiss.IndexFlatIP(spec.dim))


def add(index: faiss.Index, vec_ids: list[int] | np.ndarray, vectors: np.ndarray) -> None:
    if len(vec_ids) == 0:
        return
    index.add_with_ids(np.ascontiguousarray(vectors, dtype=np.float32), np.asarray(vec_ids, dtype=np.int64))


def remove(index: faiss.Index, vec_ids: list[int]) -> None:
    if vec_ids:
        index.remove_ids(np.asarray(vec_ids, dtype=np.int64))


def save(index: faiss.Index, path: Path) -> None:
    try:
        faiss.write_index(index, str(path))
    except RuntimeError as exc:
        # FAISS reports a failed write as RuntimeError, the C library's reason last:
        # "Error in ... write error in /x/vectors.faiss: 4014 != 32000 (No space left on device)"
        reason = re.search(r"\(([^()]+)\)\s*$", str(exc))
        raise OSError(reason.group(1) if reason else str(exc).splitlines()[0][:160]) from exc


def load(path: Path) -> faiss.Index:
    try:
        return faiss.read_index(str(path))
    except RuntimeError as exc:  # FAISS reports truncated or foreign files as RuntimeError
        raise IndexCorrupt(f"the vector file {path} cannot be read ({str(exc).splitlines()[0][:120]})") from exc


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
    scores, ids = index.search(np.ascontiguousarray(query.reshape(1, -1), dtype=np.float32), min(k, index.ntotal))
    return [(int(i), float(s)) for i, s in zip(ids[0], scores[0]) if i >= 0]
