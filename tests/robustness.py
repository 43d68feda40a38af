"""Helpers of the robustness tests: a generated corpus, `qa` in a subprocess, an index consistency check.

Subprocesses index with the test-only fake embedder (SOURCEQA_FAKE_EMBEDDER=1, index/embed_fake.py),
so each run costs about a second instead of loading the real model.
"""

from __future__ import annotations

import os
import random
import subprocess
import sys
from pathlib import Path

import numpy as np
from conftest import ROOT

from index import vectors
from index.embed_fake import ENV_VAR, FAKE_MODEL, FakeEmbedder
from index.layout import open_index
from index.pipeline import index_paths
from index.readers import discover, read_source

QA = [sys.executable, "-m", "qa.cli"]
FAKE_ENV = {**os.environ, ENV_VAR: "1"}
VOCAB = ("harbour council budget minister talks river bridge school hospital election court police farm market "
         "energy railway museum festival storm drought treaty border export factory union strike").split()


def story(rng: random.Random, number: int, tag: str, paragraphs: int = 4) -> str:
    """A small article whose every paragraph (and title) carries `tag`, so a passage tells its version."""
    body = []
    for j in range(paragraphs):
        words = " ".join(rng.choice(VOCAB) for _ in range(60))
        body.append(f"Paragraph {j} of story {number} {tag}. The {words}.")
    return f"Story {number} {tag}\n\n" + "\n\n".join(body)


def write_story(folder: Path, number: int, tag: str, rng: random.Random) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"s{number:04d}.txt"
    path.write_text(story(rng, number, tag), encoding="utf-8")
    return path


def make_corpus(folder: Path, n: int, tag: str, seed: int = 0) -> Path:
    rng = random.Random(seed)
    for i in range(n):
        write_story(folder, i, tag, rng)
    return folder


def build_in_process(src: Path, index_dir: Path, **kw):
    """What `SOURCEQA_FAKE_EMBEDDER=1 qa index SRC --no-quotes` does, without the subprocess."""
    return index_paths([src], index_dir, model=FAKE_MODEL, embedder_factory=FakeEmbedder, quotes=False, **kw)


def qa(*args: str, timeout: float = 120) -> subprocess.CompletedProcess:
    """`qa ARGS` in a subprocess with the fake embedder; stderr and stdout captured."""
    return subprocess.run([*QA, *args], capture_output=True, text=True, cwd=ROOT, env=FAKE_ENV, timeout=timeout)


def index_cmd(src: Path, index_dir: Path, *extra: str) -> list[str]:
    return [*QA, "-q", "index", str(src), "--index", str(index_dir), "--no-quotes", *extra]


def expected_doc_ids(src: Path) -> set[str]:
    """The documents a completed `qa index SRC` must hold: one per distinct readable file content."""
    return {read_source(p).id for p in discover([src])}


def check_consistent(index_dir: Path) -> tuple[str, set[str]]:
    """Open the index and check SQLite, FAISS and the manifest agree; returns (generation, doc ids)."""
    opened = open_index(index_dir)
    try:
        store, index, manifest = opened.store, opened.vectors, opened.manifest
        counts = store.counts()
        assert index.ntotal == counts["passages"] == manifest.counts["passages"]
        assert counts == manifest.counts
        faiss_ids = np.sort(vectors.ids(index))
        assert np.array_equal(faiss_ids, store.vec_ids()), "FAISS ids are not the passages' vec_ids"
        docs = store.doc_ids()
        assert set(manifest.documents) == docs
        assert {d for d, _ in store.sources().values()} == docs, "a document without a source, or a source without one"
        return manifest.generation, docs
    finally:
        opened.close()


def generations(index_dir: Path) -> list[str]:
    return sorted(p.name for p in index_dir.glob("g[0-9]*"))
