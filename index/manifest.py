"""The manifest: written last, it is what makes a directory an index.

It names the generation directory holding the live files, the model that embedded them, the
chunking settings, counts and per-document content hashes. Readers trust nothing that the
manifest does not vouch for; a crash before it is replaced leaves the previous index in force.
"""

from __future__ import annotations

import json
import os
from datetime import datetime, timezone
from pathlib import Path

from pydantic import BaseModel, Field, ValidationError

from index.chunking import ChunkSettings
from index.errors import IndexCorrupt, IndexNotFound
from index.vectors import VectorSpec

FORMAT_VERSION = 1
MANIFEST = "manifest.json"


class ModelInfo(BaseModel):
    name: str = Field(description="The embedding model's name as the user gave it, or its resolved path.")
    dim: int
    backends: list[str] = Field(
        default_factory=list,
        description="Encoder backends that embedded the passages (torch, onnx, onnx-int8). Their vectors "
                    "differ slightly (int8: about 0.01 in cosine), so queries should use one of them.")


class FileInfo(BaseModel):
    name: str
    size: int = Field(description="Bytes; a mismatch means the file was truncated or replaced.")
    sha256: str | None = Field(default=None, description="Checksum; catches damage that keeps the size (None: not recorded).")


class Manifest(BaseModel):
    format_version: int = FORMAT_VERSION
    generation: str = Field(description="Directory (inside the index) that holds the live files.")
    created_at: str = Field(default_factory=lambda: datetime.now(timezone.utc).isoformat(timespec="seconds"))
    model: ModelInfo
    nlp_model: str | None = Field(default=None, description="spaCy pipeline used for quotes and entities.")
    chunking: ChunkSettings
    vectors: VectorSpec
    counts: dict[str, int]
    documents: dict[str, str] = Field(description="doc_id -> content hash of every indexed document.")
    files: dict[str, FileInfo]
    libraries: dict[str, str] = Field(default_factory=dict)


def read_manifest(index_dir: Path) -> Manifest:
    path = index_dir / MANIFEST
    rebuild = f"rebuild it with `qa index PATH --index {index_dir} --rebuild`"
    if not path.exists():
        if index_dir.exists() and any(index_dir.iterdir()):
            raise IndexCorrupt(f"{index_dir} has no manifest, so it is not a complete index; {rebuild}")
        raise IndexNotFound(f"no index at {index_dir}; create one with `qa index PATH --index {index_dir}`")
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        manifest = Manifest.model_validate(data)
    except (json.JSONDecodeError, UnicodeDecodeError, ValidationError, OSError) as exc:
        raise IndexCorrupt(f"the manifest {path} is damaged ({_first_line(exc)}); {rebuild}") from exc
    if manifest.format_version > FORMAT_VERSION:
        raise IndexCorrupt(
            f"{index_dir} was written by a newer Sourceqa (format {manifest.format_version}, this one reads "
            f"{FORMAT_VERSION}); upgrade Sourceqa or {rebuild}"
        )
    return manifest


def write_manifest(index_dir: Path, manifest: Manifest) -> None:
    """Atomically replace the manifest: write beside it, flush to disk, rename over it."""
    tmp = index_dir / f".{MANIFEST}.tmp"
    try:
        with open(tmp, "w", encoding="utf-8") as fh:
            fh.write(manifest.model_dump_json(indent=2))
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, index_dir / MANIFEST)
    except OSError:  # a full disk: the old manifest was never touched; leave no half-written copy
        tmp.unlink(missing_ok=True)
        raise
    fsync_dir(index_dir)


def fsync_dir(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _first_line(exc: Exception) -> str:
    return str(exc).strip().splitlines()[0][:160] if str(exc).strip() else type(exc).__name__
