"""The deterministic fake embedder of index/embed_fake.py, with a factory that counts its work."""

from __future__ import annotations

import numpy as np

from index.embed_fake import FakeEmbedder as _Fake


class FakeEmbedder(_Fake):
    """Records every text it encodes, so tests can check what was (not) embedded again."""

    def __init__(self, name: str = "fake-embedder", dim: int = 64) -> None:
        super().__init__(name, dim)
        self.encoded: list[str] = []

    def encode(self, texts: list[str], batch_size: int = 32, progress: bool = False) -> np.ndarray:
        self.encoded.extend(texts)
        return super().encode(texts, batch_size, progress)


class FakeFactory:
    """Stands in for SentenceEmbedder(name): one shared FakeEmbedder, so tests can count encodes."""

    def __init__(self, dim: int = 64) -> None:
        self.embedder = FakeEmbedder(dim=dim)

    def __call__(self, name: str) -> FakeEmbedder:
        self.embedder.name = name
        return self.embedder
