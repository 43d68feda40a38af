"""Sentence boundaries as character spans, without a model.

Chunking needs sentence boundaries before any NLP runs, and must give the same spans on every
rebuild, so this is a small deterministic splitter rather than a statistical one. It splits after
. ! ? (and any closing quotes or brackets) when whitespace and a plausible sentence start follow,
except after common abbreviations and initials ("Mr.", "U.S.", "J. Smith").
"""

from __future__ import annotations

import re

# Lower-cased, without the final dot. Titles, months, corporate suffixes, Latin and the like.
ABBREVIATIONS = frozenset(
    """mr mrs ms dr prof st gen col lt sgt capt cmdr adm rep sen gov pres rev hon messrs jr sr
    inc ltd co corp plc llc bros dept univ assn est fig no nos vol vols pp approx vs etc al
    e.g i.e cf viz jan feb mar apr jun jul aug sep sept oct nov dec mon tue wed thu fri sat sun
    u.s u.k u.n e.u u.s.a a.m p.m ph.d b.a m.a d.c""".split()
)

# A boundary candidate: terminal punctuation, optional closers, then whitespace.
_BOUNDARY = re.compile(r"[.!?…]+[\"'”’)\]]*(?=\s)")
# What may begin the next sentence: upper-case letter, digit, opening quote or bracket.
_STARTER = re.compile(r"\s+([\"'“‘(\[]?[A-Z0-9À-Þ])")


def _token_before(text: str, end: int) -> str:
    """The word that ends at `end` (exclusive), without its final punctuation."""
    start = end
    while start > 0 and not text[start - 1].isspace():
        start -= 1
    return text[start:end].strip("\"'“‘(").rstrip(".!?…\"'”’)]").lower()


def _is_abbreviation(text: str, punct_start: int) -> bool:
    if text[punct_start] != ".":
        return False
    word = _token_before(text, punct_start + 1)
    if word in ABBREVIATIONS:
        return True
    # Single initials ("J. Smith") and dotted acronyms ("U.S.") are not sentence ends.
    return len(word) == 1 and word.isalpha() or bool(re.fullmatch(r"(?:[a-z]\.)+[a-z]?", word))


def split_sentences(text: str, offset: int = 0) -> list[tuple[int, int]]:
    """Spans (start, end) of the sentences of `text`, shifted by `offset`, whitespace trimmed.

    Every non-space character of `text` lies in exactly one span, so no text is lost.
    """
    spans: list[tuple[int, int]] = []
    start = 0
    for match in _BOUNDARY.finditer(text):
        end = match.end()
        follow = _STARTER.match(text, end)
        if not follow or _is_abbreviation(text, match.start()):
            continue
        spans.append((start, end))
        start = follow.start(1)
    spans.append((start, len(text)))
    out = []
    for s, e in spans:
        while s < e and text[s].isspace():
            s += 1
        while e > s and text[e - 1].isspace():
            e -= 1
        if e > s:
            out.append((s + offset, e + offset))
    return out
