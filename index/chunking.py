"""Split a document into passages with exact character spans.

Paragraphs (blank-line blocks) are the natural unit. A paragraph longer than the embedding
model's window is cut into sentence windows that overlap by a sentence, so a fact on a window
edge is whole in one of them; an article stored as one long line is the extreme case of this.
Short headings become passages of their own and travel as context of the passages below.
"""

from __future__ import annotations

import re

from pydantic import BaseModel, Field

from index.clean import Kind, classify_paragraphs, word_count
from index.ids import passage_id_for
from index.models import Document, Passage
from index.sentences import split_sentences


class ChunkSettings(BaseModel):
    """Recorded in the manifest: passages (and so their ids) depend on these."""

    # all-MiniLM-L6-v2 reads 256 word pieces; 150 English words is about 200 pieces.
    max_words: int = Field(default=150, ge=10, description="A paragraph longer than this is split into windows.")
    window_words: int = Field(default=100, ge=5, description="Target length of a sentence window.")
    overlap_sentences: int = Field(default=1, ge=0, description="Sentences shared by consecutive windows.")
    version: int = Field(default=1, description="Bumped when the algorithm changes, so old indexes are rebuilt.")


_BLANK_LINE = re.compile(r"\n[ \t\r\f\v]*\n")


def paragraph_spans(text: str) -> list[tuple[int, int]]:
    """Spans of blank-line blocks, whitespace trimmed. Without any blank line, lines are paragraphs."""
    sep = _BLANK_LINE if _BLANK_LINE.search(text) else re.compile(r"\n")
    spans, start = [], 0
    for match in sep.finditer(text):
        spans.append((start, match.start()))
        start = match.end()
    spans.append((start, len(text)))
    return [t for t in (_trim(text, s, e) for s, e in spans) if t[1] > t[0]]


def _trim(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


def sentence_windows(text: str, start: int, end: int, settings: ChunkSettings) -> list[tuple[int, int]]:
    """Windows of whole sentences, about `window_words` long, overlapping by `overlap_sentences`."""
    sentences = _bounded_sentences(text, start, end, settings.max_words)
    windows, i = [], 0
    while i < len(sentences):
        j, words = i, 0
        while j < len(sentences) and (j == i or words + _words(text, sentences[j]) <= settings.window_words):
            words += _words(text, sentences[j])
            j += 1
        windows.append((sentences[i][0], sentences[j - 1][1]))
        if j >= len(sentences):
            break
        i = max(j - settings.overlap_sentences, i + 1)
    return windows


def _words(text: str, span: tuple[int, int]) -> int:
    return word_count(text[span[0] : span[1]])


def _bounded_sentences(text: str, start: int, end: int, max_words: int) -> list[tuple[int, int]]:
    """Sentences, with any single sentence over `max_words` (a list, a table row) cut at word gaps."""
    out = []
    for s, e in split_sentences(text[start:end], offset=start):
        if _words(text, (s, e)) <= max_words:
            out.append((s, e))
            continue
        gaps = [m.start() for m in re.finditer(r"\s+", text[s:e])]
        cut_points = gaps[max_words - 1 :: max_words]
        prev = s
        for gap in cut_points:
            out.append(_trim(text, prev, s + gap))
            prev = s + gap
        out.append(_trim(text, prev, e))
    return [span for span in out if span[1] > span[0]]


def chunk_document(doc: Document, settings: ChunkSettings | None = None) -> list[Passage]:
    """All passages of `doc`, in order. Every non-space character of the text lies in some passage."""
    settings = settings or ChunkSettings()
    text = doc.text
    paragraphs = paragraph_spans(text)
    kinds = classify_paragraphs([text[s:e] for s, e in paragraphs])
    passages: list[Passage] = []
    heading: str | None = None
    for number, ((p_start, p_end), kind) in enumerate(zip(paragraphs, kinds), start=1):
        spans = [(p_start, p_end)]
        if kind != "heading" and word_count(text[p_start:p_end]) > settings.max_words:
            spans = sentence_windows(text, p_start, p_end, settings)
        for s, e in spans:
            passages.append(_passage(doc, len(passages), number, s, e, kind, heading))
        if kind == "heading":
            heading = text[p_start:p_end]
    return passages


def _passage(doc: Document, ordinal: int, paragraph: int, start: int, end: int, kind: Kind, heading: str | None) -> Passage:
    return Passage(
        id=passage_id_for(doc.id, ordinal),
        doc_id=doc.id,
        ordinal=ordinal,
        paragraph=paragraph,
        text=doc.text[start:end],
        start=start,
        end=end,
        kind=kind,
        heading=heading if kind != "heading" else None,
        page=doc.page_at(start),
    )


def embedding_text(passage: Passage, title: str = "") -> str:
    """What the encoder sees: the heading (or the title) as context, then the passage.

    The stored text and its span stay exact; only the vector gets the context.
    """
    context = passage.heading or (title if passage.kind == "body" else "")
    if context and context != passage.text:
        return f"{context}\n{passage.text}"
    return passage.text
