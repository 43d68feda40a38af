"""Indexing: sources on disk -> a new generation of the index, doing only the work that changed.

read -> plan -> chunk -> annotate (quotes, entities) -> embed -> store, in batches of documents
so memory stays flat on large collections, with a progress bar over passages.
"""

from __future__ import annotations

import logging
import os
import time
from collections.abc import Callable
from pathlib import Path

import numpy as np
from pydantic import BaseModel, Field
from tqdm import tqdm

from index import vectors
from index.chunking import ChunkSettings, chunk_document, embedding_text
from index.embed import Embedder, SentenceEmbedder, canonical_model_name
from index.errors import BadInput, ReadError
from index.ids import content_hash
from index.layout import IndexWriter
from index.manifest import read_manifest
from index.models import Document, Passage, Sentence
from index.plan import UpdatePlan, plan_update
from index.readers import SUPPORTED_SUFFIXES, discover, read_source
from index.sentences import split_sentences

log = logging.getLogger(__name__)

DOCS_PER_BATCH = 64
# Texts per encoder call inside a batch: about 3 s of encoding on one core, and a multiple of the
# encoder's own batch of 32 (see _encode).
ENCODE_SLICE = 128


class Skipped(BaseModel):
    path: str
    reason: str


class IndexReport(BaseModel):
    """What an update did and how long each stage took."""

    index_dir: str
    generation: str | None = Field(default=None, description="The generation published, or None if nothing changed.")
    added: int = 0
    removed: int = 0
    unchanged: int = 0
    skipped: list[Skipped] = Field(default_factory=list)
    passages_added: int = 0
    words_added: int = 0
    quotes_added: int = 0
    seconds: dict[str, float] = Field(default_factory=dict, description="read, chunk, nlp, embed, write, total")


class Annotator:
    """Quotes and entities for documents; disabled (no-op) when the NLP part is unavailable or off.

    With `background`, spaCy runs in a child process beside the encoder (index.nlp_worker) and is
    not loaded here at all.
    """

    def __init__(self, enabled: bool = True, nlp_name: str | None = None, background: bool = False,
                 load: Callable[[str | None], object] | None = None, worker=None) -> None:
        self.nlp = None
        self._worker = worker  # a BackgroundAnnotations started early, used when `background`
        self.name: str | None = None
        self.background = False
        self.worker_seconds = 0.0
        if not enabled:
            return
        try:
            from index.annotate import annotate_documents
            from index.nlp import load_nlp
        except ImportError as exc:
            log.warning("quote extraction unavailable (%s); indexing without quotes", exc)
            return
        self._annotate = annotate_documents
        self._nlp_name = nlp_name
        if background:
            self.background = True
            return
        self.nlp = (load or load_nlp)(nlp_name)
        self.name = f"{self.nlp.meta.get('lang', 'xx')}_{self.nlp.meta.get('name', '?')}-{self.nlp.meta.get('version', '?')}"

    def __call__(self, items: list[tuple[Document, list[Passage]]]):
        if self.nlp is None:
            return [([], []) for _ in items]
        return list(self._annotate(items, self.nlp))

    def stream(self, items: list[tuple[Document, list[Passage]]]):
        """Annotations for `items`, handed out in order by `take(n)`."""
        from index.nlp_worker import BackgroundAnnotations, InlineAnnotations

        if self.background:  # the worker's `name` is known once it has loaded spaCy
            return (self._worker or BackgroundAnnotations(self._nlp_name)).feed(items)
        if self.nlp is None:
            return InlineAnnotations(iter([([], []) for _ in items]))
        return InlineAnnotations(self._annotate(iter(items), self.nlp))


def read_all(files: list[Path], max_bytes: int, report: IndexReport) -> dict[str, Document]:
    """path -> Document for every readable file; the others are reported and skipped."""
    found: dict[str, Document] = {}
    for path in tqdm(files, desc="reading", unit="file", disable=len(files) < 50, mininterval=2):
        try:
            doc = read_source(path, max_bytes=max_bytes)
        except ReadError as exc:
            log.warning("skipped %s: %s", exc.path, exc.reason)
            report.skipped.append(Skipped(path=exc.path, reason=exc.reason))
            continue
        found[str(path.resolve())] = doc
    return found


def index_paths(
    paths: list[Path],
    index_dir: Path,
    model: str | None = None,
    rebuild: bool = False,
    max_bytes: int = 50_000_000,
    quotes: bool = True,
    embedder_factory: Callable[[str], Embedder] = SentenceEmbedder,
    chunking: ChunkSettings | None = None,
    nlp_loader: Callable[[str | None], object] | None = None,
) -> IndexReport:
    """Add new and changed documents under `paths`, drop those gone from them, publish atomically.
    `nlp_loader` lets a long-lived process (the app) keep one spaCy pipeline across updates."""
    t0 = time.perf_counter()
    report = IndexReport(index_dir=str(index_dir))
    files = discover(paths)
    model_name = _model_for(index_dir, model, rebuild)
    docs = read_all(files, max_bytes, report)
    report.seconds["read"] = time.perf_counter() - t0
    worker = _early_worker(quotes, len(docs))
    try:
        if not docs and (rebuild or not (index_dir / "manifest.json").exists()):
            # an index of nothing would only fail later, at the first question, with a puzzling message
            found = f"{len(files)} file(s) of a supported type, none readable (see the warnings above)" if files \
                else f"no file of a supported type: {', '.join(sorted(SUPPORTED_SUFFIXES))}"
            raise BadInput(f"nothing to index under {', '.join(map(str, paths))}: {found}; no index was written")
        embedder: Embedder | None = None
        chunking = chunking or ChunkSettings()
        dim = _previous_dim(index_dir, model_name, rebuild)
        if dim is None:
            embedder = embedder_factory(model_name)
            dim = embedder.dim
        with IndexWriter(index_dir, model_name, dim, chunking, rebuild=rebuild) as writer:
            roots = [str(p.resolve()) for p in paths]
            present = {str(f.resolve()) for f in files}
            plan = plan_update({p: d.id for p, d in docs.items()}, writer.store.sources(), writer.store.doc_ids(), roots, present)
            report.unchanged = plan.unchanged
            if plan.empty:
                log.info("%s is up to date (%d documents unchanged)", index_dir, plan.unchanged)
                report.seconds["total"] = time.perf_counter() - t0
                return report
            if plan.add and embedder is None:
                embedder = embedder_factory(model_name)
            if plan.add:
                writer.embedded_with(getattr(embedder, "backend", None))
            annotator = Annotator(quotes and bool(plan.add), background=_parse_beside_encoder(len(plan.add)),
                                  load=nlp_loader, worker=worker)
            if worker is not None and not annotator.background:
                worker.close()  # fewer new documents than read: parsed in line, if at all
            _apply(writer, plan, docs, roots, embedder, annotator, chunking, report)
            hashes = dict(writer.previous.documents) if writer.previous else {}
            hashes.update({d.id: content_hash(d.text) for d in docs.values()})
            nlp_name = annotator.name or (writer.previous.nlp_model if writer.previous else None)
            manifest = writer.publish({d: hashes.get(d, "") for d in writer.store.doc_ids()}, nlp_name)
        report.generation = manifest.generation
        report.seconds["total"] = time.perf_counter() - t0
        return report
    finally:
        if worker is not None:
            worker.close()


def _early_worker(quotes: bool, n_docs: int):
    """The background parse, started before the encoder loads when it is likely to be used (the
    documents read may all be new); closed unused when fewer turn out to be."""
    if not (quotes and _parse_beside_encoder(n_docs)):
        return None
    from index.nlp_worker import BackgroundAnnotations

    return BackgroundAnnotations()


def _parse_beside_encoder(n_docs: int) -> bool:
    """A child process for spaCy pays off when there are cores to share and more than one batch
    to overlap; $SOURCEQA_NLP_WORKER=0 or 1 forces it off or on."""
    from index.nlp_worker import cpu_count

    forced = os.environ.get("SOURCEQA_NLP_WORKER", "").strip()
    if forced in ("0", "1"):
        return forced == "1"
    return cpu_count() >= 2 and n_docs > DOCS_PER_BATCH


def _model_for(index_dir: Path, model: str | None, rebuild: bool) -> str:
    """The model asked for; else the one the existing index was built with; else the default."""
    if model or rebuild or not (index_dir / "manifest.json").exists():
        return canonical_model_name(model)
    return read_manifest(index_dir).model.name


def _previous_dim(index_dir: Path, model_name: str, rebuild: bool) -> int | None:
    if rebuild or not (index_dir / "manifest.json").exists():
        return None
    manifest = read_manifest(index_dir)
    return manifest.model.dim if manifest.model.name == model_name else None


def _apply(writer: IndexWriter, plan: UpdatePlan, docs: dict[str, Document], roots: list[str],
           embedder: Embedder | None, annotate: Annotator, chunking: ChunkSettings, report: IndexReport) -> None:
    store = writer.store
    for doc_id in plan.remove:
        vectors.remove(writer.vectors, store.remove_document(doc_id))
    for path in plan.drop_sources:
        store.remove_source(path)
    by_id = {d.id: d for d in docs.values()}
    new_docs = [by_id[d] for d in plan.add]
    _add_documents(writer, new_docs, embedder, annotate, chunking, report)
    for path, doc_id in plan.set_sources.items():
        store.set_source(path, doc_id, next((r for r in roots if path.startswith(r)), roots[0]))
    report.added, report.removed = len(new_docs), len(plan.remove)


def _add_documents(writer: IndexWriter, new_docs: list[Document], embedder: Embedder | None,
                   annotate: Annotator, chunking: ChunkSettings, report: IndexReport) -> None:
    t = time.perf_counter()
    chunked = [(doc, chunk_document(doc, chunking)) for doc in new_docs]
    report.seconds["chunk"] = time.perf_counter() - t
    total = sum(len(p) for _, p in chunked)
    stage = {"nlp": 0.0, "embed": 0.0, "write": 0.0}
    t = time.perf_counter()
    annotations = annotate.stream(chunked)
    stage["nlp"] += time.perf_counter() - t
    try:
        with tqdm(total=total, desc="indexing", unit="passage", disable=total == 0, mininterval=2) as bar:
            for i in range(0, len(chunked), DOCS_PER_BATCH):
                batch = chunked[i : i + DOCS_PER_BATCH]
                # Embed first: a background parse (index.nlp_worker) runs meanwhile.
                t = time.perf_counter()
                texts = [embedding_text(p, doc.title) for doc, passages in batch for p in passages]
                vecs = _encode(embedder, texts, annotations) if texts else None
                stage["embed"] += time.perf_counter() - t
                t = time.perf_counter()
                batch_annotations = annotations.take(len(batch))
                stage["nlp"] += time.perf_counter() - t
                t = time.perf_counter()
                _store_batch(writer, batch, vecs, batch_annotations, report)
                stage["write"] += time.perf_counter() - t
                bar.update(len(texts))
    finally:
        annotations.close()
    annotate.name = annotate.name or getattr(annotations, "name", None)
    if annotations.worker_seconds:
        stage["nlp_worker_cpu"] = annotations.worker_seconds  # the parse itself, overlapped with "embed"
    report.seconds.update(stage)


def _encode(embedder: Embedder, texts: list[str], annotations) -> np.ndarray:
    """`texts` embedded in slices, asking between them whether the background parse is over, so
    the encoder gets every core back within seconds of it rather than at the next batch.

    The slices follow the texts longest first, as sentence-transformers orders one call's batches,
    so the batches (and their padding) are those of a single call over all the texts.
    """
    order = sorted(range(len(texts)), key=lambda i: -len(texts[i]))
    vecs = np.zeros((len(texts), embedder.dim), dtype=np.float32)
    for i in range(0, len(order), ENCODE_SLICE):
        part = order[i : i + ENCODE_SLICE]
        vecs[part] = embedder.encode([texts[j] for j in part])
        annotations.poll()
    return vecs


def _store_batch(writer: IndexWriter, batch, vecs, annotations, report: IndexReport) -> None:
    row = 0
    for (doc, passages), (quotes, entities) in zip(batch, annotations, strict=True):
        doc_vecs = vecs[row : row + len(passages)]
        row += len(passages)
        vec_ids = writer.store.add_document(doc, passages, doc_vecs)
        vectors.add(writer.vectors, vec_ids, doc_vecs)
        writer.store.add_sentences(_sentences(passages))
        writer.store.add_annotations(quotes, entities)
        report.passages_added += len(passages)
        report.words_added += len(doc.text.split())
        report.quotes_added += len(quotes)


def _sentences(passages: list[Passage]) -> list[Sentence]:
    return [
        Sentence(passage_id=p.id, ordinal=i, start=s, end=e)
        for p in passages
        for i, (s, e) in enumerate(split_sentences(p.text, offset=p.start))
    ]
