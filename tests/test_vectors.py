"""Vector layouts: exact below the threshold, HNSW above, recorded in the manifest, rebuilt on removal."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from fakes import FakeFactory

from index import vectors
from index.layout import open_index
from index.pipeline import index_paths
from index.remove import remove_documents


def _unit(n: int, dim: int = 16, seed: int = 0) -> np.ndarray:
    x = np.random.default_rng(seed).standard_normal((n, dim)).astype(np.float32)
    return x / np.linalg.norm(x, axis=1, keepdims=True)


def test_choose_spec_follows_size(monkeypatch):
    monkeypatch.delenv(vectors.ENV_KIND, raising=False)
    monkeypatch.delenv(vectors.ENV_THRESHOLD, raising=False)
    assert vectors.choose_spec(10, 8).kind == "flat"
    big = vectors.choose_spec(vectors.HNSW_THRESHOLD, 8)
    assert big.kind == "hnsw" and big.hnsw_m and big.ef_search and big.ef_construction
    assert vectors.choose_spec(50, 8, threshold=50).kind == "hnsw"
    monkeypatch.setenv(vectors.ENV_KIND, "flat")
    assert vectors.choose_spec(10**7, 8).kind == "flat"
    with pytest.raises(ValueError, match="unknown vector index kind 'ivf'"):
        vectors.choose_spec(1, 8, kind="ivf")


def test_hnsw_finds_the_exact_neighbours_and_keeps_ids(tmp_path):
    x = _unit(2000)
    ids = np.arange(2000, dtype=np.int64) * 7 + 3
    spec = vectors.hnsw_spec(16, m=16, ef_construction=40, ef_search=8)
    index = vectors.build(spec, ids, x)
    vectors.save(index, tmp_path / "v.faiss")
    loaded = vectors.load(tmp_path / "v.faiss", spec)
    assert vectors.describe(loaded) == "IndexHNSWFlat"
    assert np.array_equal(np.sort(vectors.ids(loaded)), ids)
    hits = vectors.search(loaded, x[5], 50)  # k above efSearch: still k results
    assert len(hits) == 50 and hits[0][0] == ids[5] and hits[0][1] == pytest.approx(1.0, abs=1e-5)
    assert not vectors.remove(loaded, [int(ids[0])])  # a graph cannot drop nodes: caller rebuilds


def _write(folder: Path, name: str, text: str) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / name).write_text(text, encoding="utf-8")


def test_writer_switches_layout_and_rebuilds_after_removal(tmp_path, monkeypatch):
    src, ix = tmp_path / "src", tmp_path / "ix"
    for i in range(6):
        _write(src, f"d{i}.txt", f"Story {i}\n\nThe council of town {i} met on day {i} to talk about roads and schools.")
    factory = FakeFactory()
    index_paths([src], ix, embedder_factory=factory, quotes=False)
    opened = open_index(ix)
    assert opened.manifest.vectors.kind == "flat"
    opened.close()

    monkeypatch.setenv(vectors.ENV_THRESHOLD, "3")  # the collection is now "large"
    _write(src, "d6.txt", "Story 6\n\nA seventh town joined the talks.")
    index_paths([src], ix, embedder_factory=factory, quotes=False)
    opened = open_index(ix)
    assert opened.manifest.vectors.kind == "hnsw" and opened.manifest.vectors.hnsw_m
    assert vectors.describe(opened.vectors) == "IndexHNSWFlat"
    n = opened.vectors.ntotal
    opened.close()

    (src / "d6.txt").unlink()  # an update that removes a document
    index_paths([src], ix, embedder_factory=factory, quotes=False)
    opened = open_index(ix)  # checks the vector ids against the passages
    assert opened.manifest.vectors.kind == "hnsw" and opened.vectors.ntotal < n
    opened.close()

    remove_documents(ix, ["Story 5"])  # `qa remove`
    opened = open_index(ix)
    assert opened.vectors.ntotal == opened.store.counts()["passages"]
    opened.close()
