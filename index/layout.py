"""An index directory: generations of files, published atomically by the manifest.

    INDEX/manifest.json        names the live generation (written last)
    INDEX/g000007/store.sqlite documents, passages, sentences, quotes, entities, FTS5
    INDEX/g000007/vectors.faiss
    INDEX/.lock                held by the one writer

An update copies the live database into a new generation, changes the copy, writes the vectors
and then swaps the manifest. Killed at any point before the swap, the old generation is still
the one the manifest names; leftovers are deleted by the next update.
"""

from __future__ import annotations

import fcntl
import hashlib
import logging
import os
import re
import shutil
import sqlite3
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path

import faiss
import numpy as np

from index import vectors
from index.chunking import ChunkSettings
from index.embed import canonical_model_name
from index.errors import IndexCorrupt, IndexWriteFailed, ModelMismatch, SourceqaError
from index.manifest import MANIFEST, FileInfo, Manifest, ModelInfo, fsync_dir, read_manifest, write_manifest
from index.store import MIGRATIONS, Store
from index.vectors import VectorSpec

log = logging.getLogger(__name__)

STORE_FILE = "store.sqlite"
VECTORS_FILE = "vectors.faiss"
# Every table the migrations create; a database missing one would fail mid-question.
EXPECTED_TABLES = tuple(re.findall(r"CREATE (?:VIRTUAL )?TABLE (\w+)", "".join(MIGRATIONS)))
LIBRARIES = ("sourceqa", "sentence-transformers", "faiss-cpu", "torch", "spacy", "pydantic")


@dataclass
class OpenIndex:
    """A loaded, consistent generation of an index, read-only."""

    dir: Path
    manifest: Manifest
    store: Store
    vectors: faiss.Index

    def close(self) -> None:
        self.store.close()


def open_index(index_dir: Path, model: str | None = None) -> OpenIndex:
    """Load the live generation, checking it against its manifest and the model asked for."""
    for attempt in range(3):
        manifest = read_manifest(index_dir)
        try:
            return _open_generation(index_dir, manifest, model)
        except IndexCorrupt:
            # A writer may have published (and removed the generation we read about) between
            # reading the manifest and opening its files; then the new manifest is the one to open.
            if attempt == 2 or read_manifest(index_dir).generation == manifest.generation:
                raise
    raise AssertionError("unreachable")


def _open_generation(index_dir: Path, manifest: Manifest, model: str | None) -> OpenIndex:
    if model is not None and canonical_model_name(model) != manifest.model.name:
        raise ModelMismatch(
            f"the index at {index_dir} was built with {manifest.model.name} (dimension {manifest.model.dim}), "
            f"not {canonical_model_name(model)}; drop --model to use it, or rebuild with "
            f"`qa index PATH --index {index_dir} --model {model} --rebuild`"
        )
    gen = index_dir / manifest.generation
    _check_files(gen, manifest, index_dir)
    fix = _rebuild_hint(index_dir)
    try:
        store = Store(gen / STORE_FILE, readonly=True)
    except IndexCorrupt as exc:
        raise IndexCorrupt(f"{exc}; {fix}") from exc
    try:
        index = vectors.load(gen / VECTORS_FILE, manifest.vectors)
        _check_agreement(index_dir, manifest, store, index)
    except BaseException:
        store.close()
        raise
    return OpenIndex(index_dir, manifest, store, index)


def _rebuild_hint(index_dir: Path) -> str:
    return f"rebuild the index with `qa index PATH --index {index_dir} --rebuild`"


def _check_agreement(index_dir: Path, manifest: Manifest, store: Store, index: faiss.Index) -> None:
    """SQLite, FAISS and the manifest must describe the same passages, or answers would be wrong."""
    fix = _rebuild_hint(index_dir)
    try:
        tables = {r[0] for r in store.conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        missing = sorted(set(EXPECTED_TABLES) - tables)
        if missing:
            raise IndexCorrupt(f"the database {store.path} lacks the table(s) {', '.join(missing)}; {fix}")
        count = store.counts()["passages"]
        store_ids = store.vec_ids()
    except sqlite3.DatabaseError as exc:
        raise IndexCorrupt(f"the database {store.path} cannot be read ({exc}); {fix}") from exc
    if not (index.ntotal == count == manifest.counts.get("passages")) or index.d != manifest.model.dim:
        raise IndexCorrupt(
            f"the index at {index_dir} is inconsistent ({index.ntotal} vectors of dimension {index.d}, {count} passages, "
            f"manifest says {manifest.counts.get('passages')} of {manifest.model.dim}); {fix}"
        )
    if not np.array_equal(np.sort(vectors.ids(index)), store_ids):
        raise IndexCorrupt(f"the vectors of {index_dir} do not belong to its passages (ids differ); {fix}")


def _check_files(gen: Path, manifest: Manifest, index_dir: Path) -> None:
    for info in manifest.files.values():
        path = gen / info.name
        size = path.stat().st_size if path.exists() else None
        if size != info.size:
            state = "is missing" if size is None else f"has {size} bytes, the manifest says {info.size}"
            raise IndexCorrupt(f"{path} {state}; {_rebuild_hint(index_dir)}")
        # Hashing costs about 80 ms per 100 MB; it is what keeps a damaged page from being served.
        if info.sha256 and _sha256(path) != info.sha256:
            raise IndexCorrupt(f"{path} is damaged (its checksum differs from the manifest's); {_rebuild_hint(index_dir)}")


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        while chunk := fh.read(1 << 20):
            digest.update(chunk)
    return digest.hexdigest()


class IndexWriter:
    """One update of an index: `with IndexWriter(...) as w: ...; w.publish(...)`.

    Leaving the block without `publish` (an error, Ctrl-C) discards the new generation.
    """

    def __init__(self, index_dir: Path, model_name: str, dim: int, chunking: ChunkSettings, rebuild: bool = False):
        self.dir = index_dir
        self.model = ModelInfo(name=model_name, dim=dim)
        self.chunking = chunking
        self.rebuild = rebuild
        self.previous: Manifest | None = None
        self.published = False

    def __enter__(self) -> "IndexWriter":
        self.dir.mkdir(parents=True, exist_ok=True)
        self._lock = open(self.dir / ".lock", "w")
        try:
            fcntl.flock(self._lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            self._lock.close()
            raise SourceqaError(f"another `qa index` is updating {self.dir}; wait for it to finish") from None
        try:
            self._start_generation()
        except BaseException as exc:
            if getattr(self, "gen_dir", None):
                shutil.rmtree(self.gen_dir, ignore_errors=True)
            self._release()
            _raise_write_failure(exc, self.dir)
            raise
        return self

    def _start_generation(self) -> None:
        self.live = _live_generation(self.dir)
        if not self.rebuild:
            self.previous = self._previous_manifest()
        number = int(self.previous.generation[1:]) + 1 if self.previous else _max_generation(self.dir) + 1
        self.generation = f"g{number:06d}"
        self.gen_dir = self.dir / self.generation
        shutil.rmtree(self.gen_dir, ignore_errors=True)  # a leftover of a killed update
        self.gen_dir.mkdir()
        if self.previous:
            _copy_database(self.dir / self.previous.generation / STORE_FILE, self.gen_dir / STORE_FILE)
        self.store = Store(self.gen_dir / STORE_FILE, readonly=False)
        if self.previous:
            self.model.backends = list(self.previous.model.backends)
        spec = self.previous.vectors if self.previous else VectorSpec(dim=self.model.dim)
        self.vectors = vectors.load(self.dir / self.previous.generation / VECTORS_FILE, spec) if self.previous else vectors.new_index(spec)
        self.vector_spec = spec

    def _previous_manifest(self) -> Manifest | None:
        if not (self.dir / "manifest.json").exists():
            return None
        manifest = read_manifest(self.dir)
        if manifest.model.name != self.model.name or manifest.chunking != self.chunking:
            what = "model" if manifest.model.name != self.model.name else "chunking settings"
            raise ModelMismatch(
                f"the index at {self.dir} was built with other {what} ({manifest.model.name}); "
                f"add --rebuild to re-embed everything with {self.model.name}, or drop --model"
            )
        open_index(self.dir).close()  # refuse to build on top of a damaged generation
        return manifest

    def embedded_with(self, backend: str | None) -> None:
        """Record the encoder backend (torch, onnx…) that embedded this update's passages."""
        if backend and backend not in self.model.backends:
            self.model.backends.append(backend)

    def publish(self, documents: dict[str, str], nlp_model: str | None) -> Manifest:
        """Make the new generation live: flush files, then swap the manifest."""
        self.store.commit()
        counts = self.store.counts()
        self._settle_vectors(counts["passages"])
        self.store.close()
        vectors.save(self.vectors, self.gen_dir / VECTORS_FILE)
        for name in (STORE_FILE, VECTORS_FILE):
            _fsync_file(self.gen_dir / name)
        fsync_dir(self.gen_dir)
        manifest = Manifest(
            generation=self.generation, model=self.model, nlp_model=nlp_model, chunking=self.chunking,
            vectors=self.vector_spec, counts=counts, documents=documents,
            files={k: FileInfo(name=n, size=(self.gen_dir / n).stat().st_size, sha256=_sha256(self.gen_dir / n))
                   for k, n in (("store", STORE_FILE), ("vectors", VECTORS_FILE))},
            libraries=_library_versions(),
        )
        write_manifest(self.dir, manifest)
        self.published = True
        return manifest

    def _settle_vectors(self, passages: int) -> None:
        """Rebuild the vectors from the stored embeddings when the collection crossed the size
        threshold of another layout, or when removals could not be applied in place (HNSW)."""
        target = vectors.choose_spec(passages, self.model.dim)
        if vectors.same_layout(target, self.vector_spec) and self.vectors.ntotal == passages:
            return
        log.info("rebuilding the vector index as %s for %d passages", target.kind, passages)
        vec_ids, vecs = self.store.embeddings(self.model.dim)
        self.vectors, self.vector_spec = vectors.build(target, vec_ids, vecs), target

    def __exit__(self, exc_type, exc, tb) -> None:
        if not self.published:
            try:
                self.store.close()
            except Exception:  # already closed or never opened; the directory goes anyway
                pass
            shutil.rmtree(self.gen_dir, ignore_errors=True)
        else:
            _remove_old_generations(self.dir, keep={self.generation, self.live or ""})
        self._release()
        if exc is not None and not self.published:
            _raise_write_failure(exc, self.dir)

    def _release(self) -> None:
        fcntl.flock(self._lock, fcntl.LOCK_UN)
        self._lock.close()


def _live_generation(index_dir: Path) -> str | None:
    """The generation the manifest names now, if it can be read (a rebuild may replace a broken one)."""
    try:
        return read_manifest(index_dir).generation
    except SourceqaError:
        return None


def _raise_write_failure(exc: BaseException, index_dir: Path) -> None:
    """Re-raise a failed disk write (full, read-only, I/O error) as one line saying what still holds."""
    if isinstance(exc, OSError):
        reason = exc.strerror or str(exc)
    elif isinstance(exc, sqlite3.OperationalError):
        reason = str(exc)
    else:
        return
    state = "the previous index is still the live one" if (index_dir / MANIFEST).exists() else "no index was created"
    raise IndexWriteFailed(
        f"could not write the update to {index_dir} ({reason}); nothing was changed and {state}; "
        f"free disk space (or fix permissions) and run the same command again"
    ) from exc


def _copy_database(src: Path, dst: Path) -> None:
    """sqlite's backup API: a consistent copy even of a database someone is reading."""
    with sqlite3.connect(f"file:{src}?mode=ro", uri=True) as source, sqlite3.connect(dst) as target:
        source.backup(target)
    source.close()
    target.close()


def _fsync_file(path: Path) -> None:
    with open(path, "rb") as fh:
        os.fsync(fh.fileno())


def _max_generation(index_dir: Path) -> int:
    numbers = [int(p.name[1:]) for p in index_dir.glob("g[0-9]*") if p.name[1:].isdigit()]
    return max(numbers, default=0)


def _remove_old_generations(index_dir: Path, keep: set[str]) -> None:
    # The previous generation stays one more round: a reader that read the old manifest a
    # moment ago may still be opening its files.
    for path in index_dir.glob("g[0-9]*"):
        if path.is_dir() and path.name not in keep:
            shutil.rmtree(path, ignore_errors=True)


def _library_versions() -> dict[str, str]:
    out = {}
    for name in LIBRARIES:
        try:
            out[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            continue
    return out
