"""Shared fixtures: the seed articles, a fake embedder, and (once per session) the real model."""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))

SEEDS = ROOT / "seeds"
SHARED = ROOT.parent / "shared"
BBC = SHARED / "corpora" / "bbc"


@pytest.fixture(scope="session")
def seeds_dir() -> Path:
    return SEEDS


@pytest.fixture
def seed_copy(tmp_path: Path) -> Path:
    """A private copy of seeds/, for tests that change files."""
    dst = tmp_path / "sources"
    shutil.copytree(SEEDS, dst)
    return dst


@pytest.fixture(scope="session")
def real_embedder():
    from index.embed import SentenceEmbedder

    return SentenceEmbedder()


@pytest.fixture(scope="session")
def seed_index(tmp_path_factory, real_embedder) -> Path:
    """seeds/ indexed once with the real model and quote extraction, shared read-only by tests."""
    from index.pipeline import index_paths

    index_dir = tmp_path_factory.mktemp("seed-index")
    index_paths([SEEDS], index_dir, embedder_factory=lambda name: real_embedder)
    return index_dir


@pytest.fixture(scope="session")
def seed_engine(seed_index, real_embedder):
    from qa.engine import Engine

    return Engine(seed_index, embedder_factory=lambda name: real_embedder)
