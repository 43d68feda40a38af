"""Chunking invariants: exact spans, no article text lost, stable ids, bounded passage length."""

from __future__ import annotations

import pytest
from conftest import BBC, SEEDS

from index.chunking import ChunkSettings, chunk_document, paragraph_spans, sentence_windows
from index.clean import classify_paragraphs
from index.ids import doc_id_for
from index.models import Document
from index.sentences import split_sentences


def make_doc(text: str) -> Document:
    return Document(id=doc_id_for(text), source="mem", text=text)


def sample_texts() -> list[str]:
    texts = [p.read_text(encoding="utf-8") for p in sorted(SEEDS.glob("*.txt"))]
    if BBC.exists():
        texts += [p.read_text(encoding="utf-8", errors="replace") for p in sorted((BBC / "politics").glob("*.txt"))[:40]]
    return texts


def covered(doc: Document) -> set[int]:
    chars: set[int] = set()
    for p in chunk_document(doc):
        chars.update(range(p.start, p.end))
    return chars


@pytest.mark.parametrize("text", sample_texts()[:12])
def test_spans_are_exact_and_no_text_is_lost(text):
    doc = make_doc(text)
    passages = chunk_document(doc)
    assert passages
    for p in passages:
        assert doc.text[p.start : p.end] == p.text
        assert p.text == p.text.strip()
    lost = [i for i in range(len(text)) if not text[i].isspace() and i not in covered(doc)]
    assert lost == []


def test_ids_are_stable_and_ordered():
    text = (SEEDS / "001_4bfd620d7291ea72.txt").read_text(encoding="utf-8")
    first, second = chunk_document(make_doc(text)), chunk_document(make_doc(text))
    assert [p.id for p in first] == [p.id for p in second]
    assert [p.ordinal for p in first] == list(range(len(first)))
    assert len({p.id for p in first}) == len(first)


def test_one_line_article_becomes_overlapping_sentence_windows():
    paragraphs = [p for p in (BBC / "business" / "001.txt").read_text().split("\n\n")] if BBC.exists() else []
    line = " ".join(" ".join(paragraphs).split()) if paragraphs else " ".join(f"Sentence number {i} is here." for i in range(200))
    doc = make_doc(line)
    passages = chunk_document(doc)
    settings = ChunkSettings()
    assert len(passages) > 3
    assert all(len(p.text.split()) <= settings.max_words for p in passages)
    # consecutive windows share a sentence, so a fact on an edge is whole in one of them
    assert all(b.start < a.end for a, b in zip(passages, passages[1:]))
    assert not [i for i in range(len(line)) if not line[i].isspace() and i not in covered(doc)]


def test_a_sentence_longer_than_the_window_is_cut_at_word_gaps():
    text = " ".join(f"w{i}" for i in range(1000))
    windows = sentence_windows(text, 0, len(text), ChunkSettings())
    assert all(len(text[s:e].split()) <= ChunkSettings().max_words for s, e in windows)
    assert windows[0][0] == 0 and windows[-1][1] == len(text)


def test_headings_travel_as_context_and_boilerplate_is_marked():
    text = (SEEDS / "000_7d4f028563d9a5ee.txt").read_text(encoding="utf-8")
    passages = chunk_document(make_doc(text))
    by_start = {p.text[:30]: p for p in passages}
    assert by_start["Why does this matter?"].kind == "heading"
    below = next(p for p in passages if p.text.startswith("Russian media has positively"))
    assert below.heading == "Why does this matter?" and below.kind == "body"
    bio = next(p for p in passages if "She is an International affairs specialist" in p.text)
    assert bio.kind == "boilerplate"
    assert next(p for p in passages if "Contact us at" in p.text).kind == "boilerplate"


def test_classify_rules_are_general():
    paras = ["A headline about the economy", "The economy grew by 3% last year, the statistics office said on Monday.",
             "Read more: Another story entirely", "Follow us on Twitter and subscribe to our newsletter.",
             "The minister said the figures were encouraging and that more would follow."]
    assert classify_paragraphs(paras) == ["heading", "body", "boilerplate", "boilerplate", "body"]


def test_paragraphs_fall_back_to_lines_without_blank_lines():
    text = "Title line\nFirst paragraph is here.\nSecond paragraph is here."
    assert len(paragraph_spans(text)) == 3


@pytest.mark.parametrize("text,expected", [
    ("Mr. Smith went to Washington. He said hello.", 2),
    ("The U.S. economy grew. Prices rose.", 2),
    ("“We will win,” he said. “Nothing stops us.”", 2),
    ("It cost $2.5bn. That is a lot!", 2),
    ("J. K. Rowling wrote it. It sold.", 2),
])
def test_sentence_splitter(text, expected):
    spans = split_sentences(text)
    assert len(spans) == expected
    assert all(text[s:e] == text[s:e].strip() for s, e in spans)
