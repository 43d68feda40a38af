"""The parse speed-ups (lookup attribute_ruler, numpy matrix products, lemmas of content words
only) give exactly the stock pipeline's annotations."""

from __future__ import annotations

from pathlib import Path

import pytest

from index.attribute_rules import _LookupMatcher, speed_up
from index.nlp import load_nlp

ROOT = Path(__file__).resolve().parents[1]
BBC = ROOT.parent / "shared" / "corpora" / "bbc"
TRICKY = (
    "Y'all ain't gonna believe it, c'mon: let's go. There is a dog; there are two.\n\n"
    "She said “it's done” and he didn't. I'm sure they've gotta try nothin' else.\n\n"
    "Gets better: he got £3.5bn, 12% up, on 1 January 2005.   Spaces  \n\n  and tabs\t."
)


def _texts() -> list[str]:
    texts = [TRICKY]
    for folder in ("business", "politics", "sport"):
        for path in sorted((BBC / folder).glob("*.txt"))[:4]:
            texts.append(path.read_text(encoding="utf-8", errors="replace"))
    return texts


def _annotations(doc) -> list[tuple]:
    return [(t.tag_, t.pos_, str(t.morph), t.lemma_, t.dep_, t.head.i) for t in doc]


def test_lookup_matcher_matches_the_stock_attribute_ruler():
    if not BBC.is_dir():
        pytest.skip(f"no BBC corpus at {BBC}")
    stock = load_nlp()
    ruler = stock.get_pipe("attribute_ruler")
    if isinstance(ruler.match, _LookupMatcher):  # load_nlp installs it; compare with the original
        del ruler.match, ruler.pipe
    fast = load_nlp()
    assert isinstance(fast.get_pipe("attribute_ruler").match, _LookupMatcher)
    texts = _texts()
    # nlp.pipe takes the array path (annotate), nlp(text) the matches through set_annotations
    for a, b, c in zip(stock.pipe(texts), fast.pipe(texts), map(fast, texts), strict=True):
        assert _annotations(a) == _annotations(b) == _annotations(c)
    # and the raw matches themselves, rule by rule
    for doc in stock.pipe(texts[:3]):
        assert _LookupMatcher(ruler)(doc) == ruler.match(doc)


def test_speed_up_leaves_an_unreadable_ruler_alone():
    class Odd:
        patterns = [{"patterns": [[{"TAG": "NN"}]], "attrs": {}, "index": 3}]
        indices = [0]
        vocab = load_nlp().vocab

    odd = Odd()
    assert speed_up(odd) is False
    assert not hasattr(odd, "match")


def test_numpy_ops_and_content_word_lemmas_match_the_stock_pipeline(monkeypatch):
    if not BBC.is_dir():
        pytest.skip(f"no BBC corpus at {BBC}")
    from contextlib import nullcontext

    import index.nlp as nlp_module

    fast = load_nlp()
    assert nlp_module.CONTENT_LEMMAS in fast.pipe_names and "lemmatizer" not in fast.pipe_names
    index = fast.get_pipe(nlp_module.CONTENT_LEMMAS).lemmatizer.lookups.get_table("lemma_index")
    assert index and all(isinstance(words, frozenset) for words in index.values())  # looked up, not scanned
    assert fast.get_pipe("ner").model.ops.use_blis is False
    monkeypatch.setattr(nlp_module, "_numpy_matmul", nullcontext)
    monkeypatch.setattr(nlp_module, "_lemmatise_content_words", lambda nlp: None)
    stock = load_nlp()
    assert "lemmatizer" in stock.pipe_names and stock.get_pipe("ner").model.ops.use_blis is True
    texts = _texts()
    compared = 0
    for a, b in zip(stock.pipe(texts), fast.pipe(texts), strict=True):
        assert [(e.start, e.end, e.label_) for e in a.ents] == [(e.start, e.end, e.label_) for e in b.ents]
        assert [(t.tag_, t.pos_, t.dep_, t.head.i) for t in a] == [(t.tag_, t.pos_, t.dep_, t.head.i) for t in b]
        for x, y in zip(a, b, strict=True):
            if y.pos_ in ("ADJ", "ADV", "AUX", "NOUN", "PROPN", "VERB"):  # the lemmas the quote index reads
                assert x.lemma_ == y.lemma_
                compared += 1
    assert compared > 1000
