"""A deterministic stand-in for the embedding model, for tests and benchmarks only.

`qa index` uses it instead of sentence-transformers when the environment variable
`SOURCEQA_FAKE_EMBEDDER=1` is set: crash-safety tests run `qa index` as a subprocess many times,
and loading the real model (about 10 s) in each would make them too slow to run by default.
It is never a default: an index built with it records the model name `fake-embedder`, so a
later `qa index` without the variable refuses to mix real vectors into it.
"""

from __future__ import annotations

import hashlib
import os
import re

import numpy as np

ENV_VAR = "SOURCEQA_FAKE_EMBEDDER"
FAKE_MODEL = "fake-embedder"


def fake_requested() -> bool:
    return os.environ.get(ENV_VAR, "").strip() not in ("", "0")


class FakeEmbedder:
    """Bag of hashed words, L2-normalised: similar wording gives similar vectors, no model needed.

    tests/fakes.py extends it to count what it encodes.
    """

    def __init__(self, name: str = FAKE_MODEL, dim: int = 64) -> None:
        self.name = name
        self.dim = dim

    def encode(self, texts: list[str], batch_size: int = 32, progress: bool = False) -> np.ndarray:
        out = np.zeros((len(texts), self.dim), dtype=np.float32)
        for row, text in enumerate(texts):
            for word in re.findall(r"\w+", text.lower()):
                out[row, int(hashlib.md5(word.encode()).hexdigest(), 16) % self.dim] += 1.0
            norm = np.linalg.norm(out[row])
            out[row] = out[row] / norm if norm else out[row]
        return out
