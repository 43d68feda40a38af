"""A small deterministic embedder for tests of logic that does not depend on model quality."""

from __future__ import annotations

import hashlib
import re

import numpy as np


class FakeEmbedder:
    """Bag of hashed words, L2-normalised: similar wording gives similar vectors. Counts its work."""

    def __init__(self, name: str = "fake-embedder", dim: int = 64) -> None:
        self.name = name
        self.dim = dim
        self.encoded: list[str] = []

    def encode(self, texts: list[str], batch_size: int = 32, progress: bool = False) -> np.ndarray:
        self.encoded.extend(texts)
        out = np.zeros((len(texts), self.dim), dtype=np.float32)
        for row, text in enumerate(texts):
            for word in re.findall(r"\w+", text.lower()):
                out[row, int(hashlib.md5(word.encode()).hexdigest(), 16) % self.dim] += 1.0
            norm = np.linalg.norm(out[row])
            out[row] = out[row] / norm if norm else out[row]
        return out


class FakeFactory:
    """Stands in for SentenceEmbedder(name): one shared FakeEmbedder, so tests can count encodes."""

    def __init__(self, dim: int = 64) -> None:
        self.embedder = FakeEmbedder(dim=dim)

    def __call__(self, name: str) -> FakeEmbedder:
        self.embedder.name = name
        return self.embedder
