"""index.embed_cache: the token embeddings looked up from the cache are exactly those computed,
so the pipeline's vectors and annotations are unchanged; a model it cannot mimic runs uncached."""

from __future__ import annotations

from pathlib import Path

import numpy
import pytest

from index import embed_cache
from index.nlp import load_nlp

ROOT = Path(__file__).resolve().parents[1]
BBC = ROOT.parent / "shared" / "corpora" / "bbc"
# tokenizer exceptions whose norm is not the word's ("n't" -> "not", "gonna" -> "going"), spaces
# after and not after the same word, whitespace tokens, and words repeated across documents
TRICKY = [
    "Y'all ain't gonna believe it. They didn't, and we don't.\n\n  Spaces  \t and tabs.",
    "He said: “We don't know.” The firm's shares rose 3%; the shares fell.\n\nDon't.",
    "Shares shares SHARES, Shares. “Don't”",
]


def _texts() -> list[str]:
    texts = list(TRICKY)
    if BBC.is_dir():
        for folder in ("business", "sport"):
            texts += [p.read_text(encoding="utf-8", errors="replace") for p in sorted((BBC / folder).glob("*.txt"))[:3]]
    return texts


def _annotations(doc) -> list[tuple]:
    return [(t.tag_, t.pos_, str(t.morph), t.lemma_, t.dep_, t.head.i, t.ent_iob_, t.ent_type_) for t in doc]


def _cached(nlp) -> list[embed_cache.CachedEmbedding]:
    return [n._func for _, p in nlp.pipeline if hasattr(p, "model") for n in p.model.walk()
            if isinstance(n._func, embed_cache.CachedEmbedding)]


@pytest.fixture(scope="module")
def pipelines():
    real = embed_cache.install
    embed_cache.install = lambda nlp: 0
    try:
        stock = load_nlp()
    finally:
        embed_cache.install = real
    return stock, load_nlp()


def test_both_token_to_vector_networks_are_cached(pipelines):
    stock, fast = pipelines
    assert not _cached(stock)
    assert len(_cached(fast)) == 2  # the shared tok2vec and the NER's own
    assert embed_cache.install(fast) == 0  # installing twice wraps nothing again


def test_cached_vectors_and_annotations_equal_the_computed_ones(pipelines):
    stock, fast = pipelines
    texts = _texts()
    for _ in range(2):  # a cold cache, then a warm one
        for a, b in zip(stock.pipe(texts, batch_size=4), fast.pipe(texts, batch_size=4), strict=True):
            assert _annotations(a) == _annotations(b)
    docs = [stock.make_doc(t) for t in texts]
    for name in ("tok2vec", "ner"):
        ref = stock.get_pipe(name).model if name == "tok2vec" else stock.get_pipe(name).model.layers[0]
        new = fast.get_pipe(name).model if name == "tok2vec" else fast.get_pipe(name).model.layers[0]
        for x, y in zip(ref.predict(docs), new.predict(docs), strict=True):
            assert x.dtype == y.dtype and numpy.array_equal(x, y)
    assert all(c.enabled and c.rows for c in _cached(fast))


def test_a_full_cache_starts_again_with_the_same_results(pipelines, monkeypatch):
    stock, fast = pipelines
    monkeypatch.setattr(embed_cache, "CACHE_LIMIT", 10)
    for a, b in zip(stock.pipe(TRICKY * 2, batch_size=1), fast.pipe(TRICKY * 2, batch_size=1), strict=True):
        assert _annotations(a) == _annotations(b)
    assert all(len(c.rows) < 200 for c in _cached(fast))


def test_features_it_cannot_reproduce_turn_the_cache_off(pipelines):
    stock, _ = pipelines
    model = stock.get_pipe("tok2vec").model.get_ref("embed")
    cached = embed_cache.CachedEmbedding(model)
    docs = [stock.make_doc(TRICKY[0])]
    expected = model.predict(docs)
    real_predict = cached.features.predict

    class Shifted:  # stands for a model whose embedding reads something the stand-in Doc lacks
        def predict(self, docs):
            return [x + 1 if len(docs) == 1 and docs[0] is not probe else x for x in real_predict(docs)]

    probe = docs[0]
    cached.features = Shifted()
    out, _ = cached(model, docs, False)
    assert not cached.enabled
    assert all(numpy.array_equal(x, y) for x, y in zip(expected, out, strict=True))
    out, _ = cached(model, docs, False)  # stays off
    assert all(numpy.array_equal(x, y) for x, y in zip(expected, out, strict=True))


def test_training_is_not_cached(pipelines):
    _, fast = pipelines
    cached = _cached(fast)[0]
    docs = [fast.make_doc("A new sentence nobody embedded.")]
    before = len(cached.rows)
    model = fast.get_pipe("tok2vec").model.get_ref("embed")
    _, backprop = model.begin_update(docs)
    assert len(cached.rows) == before
    _, backprop = model(docs, is_train=False)
    with pytest.raises(NotImplementedError, match="inference only"):
        backprop([])
