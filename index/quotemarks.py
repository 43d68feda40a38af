"""Quotation marks in plain text: which characters open and close quotes, and the spans
they enclose. Pure text work, no parse: quotes are found before any NLP runs.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from index.chunking import paragraph_spans  # the same paragraphs as the passages: one definition

OPENING, CLOSING, EITHER = "“«„", "”»", '"'
# Every character that can be a mark; the rest of the text is skipped unread.
_MARK = re.compile("[" + re.escape(OPENING + CLOSING + EITHER) + "]")


@dataclass(frozen=True)
class QuoteSpan:
    """Text inside one pair of quotation marks within one paragraph; `group` joins the
    paragraphs of one quote that runs on."""

    start: int
    end: int
    group: int


def find_quote_spans(text: str) -> list[QuoteSpan]:
    """Spans of quoted text, marks excluded.

    Straight marks are told apart by what surrounds them (`said: "We` opens, `that." He`
    closes). A mark that opens while a quote is open starts the next sentence of the same
    quote: news prose leaves each quoted sentence unclosed when the next reopens ("…six
    months. "We are looking…"). A quote left open at a paragraph's end runs on when the next
    paragraph opens with a mark (the multi-paragraph convention); otherwise it ends there.
    """
    out: list[QuoteSpan] = []
    group, carried = 0, False
    for p_start, p_end in paragraph_spans(text):
        open_at = None
        for mark in _MARK.finditer(text, p_start, p_end):
            i = mark.start()
            role = _mark_role(text, i, open_at is not None)
            if role == "open":
                if open_at is not None:
                    _add_trimmed(out, text, open_at + 1, i, group)
                elif not carried:
                    group += 1
                open_at, carried = i, False
            elif role == "close" and open_at is not None:
                _add_trimmed(out, text, open_at + 1, i, group)
                open_at = None
        if open_at is not None:
            _add_trimmed(out, text, open_at + 1, p_end, group)
            nxt = text[p_end:].lstrip()
            carried = bool(nxt) and (nxt[0] in OPENING or nxt[0] == EITHER)
        else:
            carried = False
    return out


def _mark_role(text: str, i: int, is_open: bool) -> str | None:
    """'open', 'close' or None for the character at `i`, given whether a quote is open."""
    ch = text[i]
    if ch in OPENING:
        return "open"
    if ch in CLOSING:
        return "close"
    if ch != EITHER:
        return None
    before = text[i - 1] if i > 0 else " "
    after = text[i + 1] if i + 1 < len(text) else " "
    if (before.isspace() or before in "([{—–-/") and not after.isspace():
        return "open"
    if not before.isspace() and (after.isspace() or after in ".,;:!?)]}—–-'’"):
        return "close"
    return "close" if is_open else "open"


def _add_trimmed(out: list[QuoteSpan], text: str, start: int, end: int, group: int) -> None:
    while start < end and text[start].isspace():
        start += 1
    # The comma before a closing mark belongs to the attribution ("…supply," said X).
    while end > start and (text[end - 1].isspace() or text[end - 1] == ","):
        end -= 1
    if end > start:
        out.append(QuoteSpan(start, end, group))
