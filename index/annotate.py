"""Run spaCy over documents once and turn the result into quotes and entities, per passage.

Parsing is the expensive part of indexing after embedding, so documents stream through
`nlp.pipe` in batches, one process, each parsed whole so a pronoun or a role description can be
resolved against the whole article. A document longer than SEGMENT_CHARS is parsed in segments
cut at passage boundaries, because spaCy's parser needs about 1 GB of memory per 100,000
characters.
"""

from __future__ import annotations

import bisect
import logging
from collections.abc import Iterable, Iterator

from index.models import Document, Entity, Passage, Quote
from index.quotes import extract_statements

log = logging.getLogger(__name__)

ENTITY_LABELS = frozenset(
    "PERSON ORG GPE NORP DATE MONEY CARDINAL PERCENT QUANTITY LOC EVENT FAC PRODUCT TIME LAW".split()
)
SEGMENT_CHARS = 100_000
# Statements in boilerplate (navigation, author boxes, course adverts) are not the article's.
NO_QUOTE_KINDS = frozenset({"boilerplate"})


def annotate_documents(
    items: Iterable[tuple[Document, list[Passage]]], nlp, batch_size: int = 16
) -> Iterator[tuple[list[Quote], list[Entity]]]:
    """For each (document, passages) in order: its quotes and named entities, each placed in
    the passage holding it (a statement crossing passages becomes one Quote per passage)."""
    pending: dict[int, tuple[Document, list[Passage], int]] = {}
    results: dict[int, tuple[list[Quote], list[Entity]]] = {}
    segments = _segments(items, pending)
    next_doc = 0
    for sdoc, (index, offset, end) in nlp.pipe(segments, as_tuples=True, batch_size=batch_size, n_process=1):
        doc, passages, remaining = pending[index]
        quotes, entities = results.setdefault(index, ([], []))
        quotes.extend(_quotes(sdoc, offset, doc, passages, doc.text[offset:end]))
        entities.extend(_entities(sdoc, offset, doc, passages))
        pending[index] = (doc, passages, remaining - 1)
        while next_doc in pending and pending[next_doc][2] == 0:
            del pending[next_doc]
            yield results.pop(next_doc)
            next_doc += 1


def _segments(items, pending) -> Iterator[tuple[str, tuple[int, int, int]]]:
    """(text, (document index, start, end)) for every segment of every document."""
    for index, (doc, passages) in enumerate(items):
        spans = segment_spans(doc.text, sorted(passages, key=lambda p: p.start), SEGMENT_CHARS)
        pending[index] = (doc, passages, len(spans))
        for start, end in spans:
            yield doc.text[start:end], (index, start, end)


def segment_spans(text: str, passages: list[Passage], limit: int) -> list[tuple[int, int]]:
    """Cut `text` into spans of at most about `limit` characters at passage starts.
    Always at least one span, so an empty document still yields its (empty) result."""
    if len(text) <= limit or not passages:
        return [(0, len(text))]
    cuts = [0]
    for p in passages:
        if p.start - cuts[-1] > limit and p.start > cuts[-1]:
            cuts.append(p.start)
    if len(text) - cuts[-1] > limit:
        log.warning("a passage run of %d characters exceeds the %d-character parse segment", len(text) - cuts[-1], limit)
    return list(zip(cuts, cuts[1:] + [len(text)]))


def _quotes(sdoc, offset: int, doc: Document, passages: list[Passage], text: str) -> list[Quote]:
    try:
        statements = extract_statements(sdoc, text)
    except Exception:  # noqa: BLE001 - one odd parse must not stop a whole collection indexing
        log.warning("%s: quote extraction failed; indexed without its quotes", doc.source, exc_info=log.isEnabledFor(logging.DEBUG))
        return []
    out = []
    for st in statements:
        for passage, start, end in place_span(offset + st.start, offset + st.end, passages, doc.text):
            if passage.kind in NO_QUOTE_KINDS:
                continue
            out.append(
                Quote(
                    speaker=st.speaker.name,
                    surface=st.speaker.surface,
                    text=doc.text[start:end],
                    direct=st.direct,
                    cue=st.cue,
                    doc_id=doc.id,
                    passage_id=passage.id,
                    start=start,
                    end=end,
                    speaker_kind=st.speaker.kind,
                )
            )
    return out


def _entities(sdoc, offset: int, doc: Document, passages: list[Passage]) -> list[Entity]:
    out = []
    for ent in sdoc.ents:
        if ent.label_ not in ENTITY_LABELS or not ent.text.strip():
            continue
        pieces = place_span(offset + ent.start_char, offset + ent.end_char, passages, doc.text)
        if pieces:
            # An entity cut by a passage edge is kept, once, in the passage holding its start.
            passage, start, end = pieces[0]
            out.append(Entity(doc_id=doc.id, passage_id=passage.id, text=doc.text[start:end], label=ent.label_, start=start, end=end))
    return out


def place_span(start: int, end: int, passages: list[Passage], text: str) -> list[tuple[Passage, int, int]]:
    """The passage holding [start, end), or pieces of the span, one per passage it crosses
    (overlapping sentence windows: the window reaching furthest takes each piece)."""
    ordered = sorted(passages, key=lambda p: (p.start, p.end))
    starts = [p.start for p in ordered]
    upto = bisect.bisect_right(starts, start)
    for p in ordered[:upto]:
        if p.start <= start and end <= p.end:
            return [(p, start, end)]
    pieces, cursor = [], start
    while cursor < end:
        upto = bisect.bisect_right(starts, cursor)
        holding = [p for p in ordered[:upto] if p.end > cursor]
        if not holding:
            later = [p for p in ordered[upto:] if p.start < end]
            if not later:
                break
            cursor = later[0].start
            continue
        p = max(holding, key=lambda q: q.end)
        piece = _trim(text, cursor, min(end, p.end))
        if piece is not None:
            pieces.append((p, *piece))
        cursor = p.end
    return pieces


def _trim(text: str, start: int, end: int) -> tuple[int, int] | None:
    while start < end and not text[start].strip():
        start += 1
    while end > start and not text[end - 1].strip():
        end -= 1
    return (start, end) if any(ch.isalnum() for ch in text[start:end]) else None
