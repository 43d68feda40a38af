"""The background parse beside the encoder: the same results as the parse in line, in document
order; a worker that cannot start reports why; the encoder is asked to give cores back between
slices of a batch."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from index import pipeline
from index.annotate import annotate_documents
from index.chunking import chunk_document
from index.errors import SourceqaError
from index.ids import doc_id_for
from index.models import Document
from index.nlp_worker import BackgroundAnnotations

SEEDS = Path(__file__).resolve().parents[1] / "seeds"


def seed_items():
    items = []
    for path in sorted(SEEDS.glob("*.txt")):
        text = path.read_text(encoding="utf-8")
        doc = Document(id=doc_id_for(text), title=path.stem, source=path.name, text=text)
        items.append((doc, chunk_document(doc)))
    return items


def test_background_parse_matches_the_parse_in_line():
    from index.nlp import load_nlp

    items = seed_items() * 3  # more documents than one message each way
    inline = list(annotate_documents(iter(items), load_nlp()))
    background = BackgroundAnnotations().feed(items)
    try:
        got = background.take(4) + background.take(len(items) - 4)
    finally:
        background.close()
    assert got == inline
    assert sum(len(quotes) for quotes, _ in got) > 0
    assert background.worker_seconds > 0 and background.name and "core_web" in background.name


def test_a_worker_without_its_model_says_so():
    background = BackgroundAnnotations(nlp_name="en_core_web_absent").feed(seed_items())
    try:
        with pytest.raises(SourceqaError, match="cannot load the NLP model in the worker.*en_core_web_absent"):
            background.take(1)
    finally:
        background.close()


class CountingEmbedder:
    dim = 3

    def __init__(self) -> None:
        self.calls: list[int] = []

    def encode(self, texts: list[str]) -> np.ndarray:
        self.calls.append(len(texts))
        assert [len(t) for t in texts] == sorted((len(t) for t in texts), reverse=True)
        return np.array([[len(t), 0, 1] for t in texts], dtype=np.float32)


class PollCounter:
    polls = 0

    def poll(self) -> None:
        self.polls += 1


def test_encoding_asks_about_the_parse_between_slices():
    texts = ["x" * (i % 17 + 1) for i in range(pipeline.ENCODE_SLICE * 2 + 5)]
    embedder, annotations = CountingEmbedder(), PollCounter()
    vecs = pipeline._encode(embedder, texts, annotations)
    assert embedder.calls == [pipeline.ENCODE_SLICE, pipeline.ENCODE_SLICE, 5]
    assert annotations.polls == 3
    # each row is its own text's, though the slices were taken longest first
    assert vecs[:, 0].tolist() == [len(t) for t in texts]


def test_indexing_with_the_worker_stores_what_the_parse_in_line_stores(tmp_path, monkeypatch):
    from index.layout import open_index
    from index.pipeline import index_paths
    from fakes import FakeFactory

    stored = {}
    for forced in ("1", "0"):
        monkeypatch.setenv("SOURCEQA_NLP_WORKER", forced)
        report = index_paths([SEEDS], tmp_path / forced, embedder_factory=FakeFactory())
        index = open_index(tmp_path / forced)
        try:
            stored[forced] = ([q.model_dump() for q in index.store.quotes()], report.quotes_added)
        finally:
            index.close()
    assert stored["1"] == stored["0"] and stored["1"][1] > 0
