"""Recognise boilerplate and headings among a document's paragraphs.

Web articles carry navigation, "Read more:" links, subscribe prompts, course adverts, author bios
and contact lines. They are kept (facts in them, such as who wrote the piece, stay answerable) but
marked, so retrieval can rank them below article text. Rules are about page furniture in general,
never about particular sites.
"""

from __future__ import annotations

import re
from typing import Literal

Kind = Literal["body", "heading", "boilerplate"]

# A paragraph starting like this is furniture, whatever follows.
_LEADING = re.compile(
    r"^\s*(?:[>•·*\-–—|]+\s*)?(?:read more|read also|see also|related(?: articles| stories| news)?\s*:|more on this"
    r"|subscribe|sign up|follow us|share (?:this|on)|click here|download (?:our|the) app|advertisement|sponsored"
    r"|copyright|©|all rights reserved|written by|about the author|author\s*:|editorial team|be a reporter"
    r"|contact us|get your custom|online course|register now|photo\s*:|image\s*:|credits?\s*:|source\s*:\s*https?://)",
    re.IGNORECASE,
)
# Phrases that mark a paragraph as furniture wherever they appear (a short paragraph only).
_ANYWHERE = re.compile(
    r"(?:newsletter|appstore|app store|google ?play|follow our|our (?:youtube|twitter|facebook|linkedin)"
    r"|\(credits?:|via wikimedia commons|getty images|all rights reserved|training course|for more information"
    r"|[\w.+-]+@[\w-]+\.[\w.]+|https?://\S+)",
    re.IGNORECASE,
)
# Where the author block starts in the tail of a web article, everything after it is bio and adverts.
_AUTHOR_BLOCK = re.compile(r"^\s*(?:author\s*:|written by\b|about the author\b)", re.IGNORECASE)
_TERMINAL = re.compile(r"[.!:;,\"”’)]\s*$")


def word_count(text: str) -> int:
    return len(text.split())


def is_boilerplate(paragraph: str) -> bool:
    if _LEADING.search(paragraph):
        return True
    # Long paragraphs that merely mention an e-mail address or a link are article text.
    return word_count(paragraph) <= 60 and bool(_ANYWHERE.search(paragraph))


def is_heading(paragraph: str, next_paragraph: str | None) -> bool:
    """A short line without sentence-final punctuation, followed by longer text."""
    text = paragraph.strip()
    if "\n" in text or not text or next_paragraph is None:
        return False
    words = word_count(text)
    if words > 14 or len(text) > 120:
        return False
    if text.endswith("?"):
        return words <= 8  # "Why does this matter?" as a section heading
    return not _TERMINAL.search(text) and word_count(next_paragraph) >= words


def classify_paragraphs(paragraphs: list[str]) -> list[Kind]:
    """One kind per paragraph: body, heading or boilerplate."""
    kinds: list[Kind] = []
    tail_start = _author_block_start(paragraphs)
    for i, para in enumerate(paragraphs):
        nxt = paragraphs[i + 1] if i + 1 < len(paragraphs) else None
        if tail_start is not None and i >= tail_start or is_boilerplate(para):
            kinds.append("boilerplate")
        elif is_heading(para, nxt):
            kinds.append("heading")
        else:
            kinds.append("body")
    return kinds


def _author_block_start(paragraphs: list[str]) -> int | None:
    """Index of an author block after the opening of the document, if any.

    Not at the top: an "Author:" line among the first paragraphs is a byline, and the article
    follows it. Further down (past 3 paragraphs and 30% of them) it ends the article: on a page of
    19 paragraphs whose author block is the 9th, the 10 after it are bio, adverts and courses.
    """
    first_tail = max(3, int(len(paragraphs) * 0.3))
    for i in range(first_tail, len(paragraphs)):
        if _AUTHOR_BLOCK.match(paragraphs[i]):
            return i
    return None
