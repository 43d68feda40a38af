"""What every reader shares: the reader interface, text normalisation and building the `Document`.

A reader is a module with `SUFFIXES` (lower-case, with the dot) and `read(path) -> Document`.
It raises `ReadError` with a reason a user can act on; anything else it raises is wrapped into a
`ReadError` by `index.readers.read_source`.
"""

from __future__ import annotations

import re
import unicodedata
from pathlib import Path
from typing import Protocol

from index.ids import doc_id_for
from index.models import Document

# A first line longer than this is a paragraph, not a title (BBC titles run 20-80 chars).
MAX_TITLE_CHARS = 200

# Line and paragraph separators that str.splitlines() honours but "\n"-based code would not
# see; C0 controls other than tab and newline are noise from bad fonts or old editors.
_TRANSLATE = {0x2028: "\n", 0x2029: "\n\n", 0x85: "\n", 0x0C: "\n", 0x0B: "\n", 0xFEFF: None}
_TRANSLATE.update({c: None for c in range(0x20) if c not in (0x09, 0x0A, 0x0B, 0x0C)})
_TRANSLATE.update({0x7F: None})
_TRAILING_SPACE = re.compile(r"[ \t]+\n")


class Reader(Protocol):
    """The interface a reader module satisfies (modules are checked structurally, not registered)."""

    SUFFIXES: tuple[str, ...]

    def read(self, path: Path) -> Document: ...


def normalize(text: str) -> str:
    """Unify newlines to "\\n", drop control characters, NFC-compose, trim spaces before newlines.

    Paragraph structure (blank lines) and long one-line paragraphs are left as they are.
    """
    text = text.replace("\r\n", "\n").replace("\r", "\n").translate(_TRANSLATE)
    text = unicodedata.normalize("NFC", text)
    return _TRAILING_SPACE.sub("\n", text)


def fallback_title(text: str, path: Path) -> str:
    """The first non-empty line when it is short enough to be a title, else the file stem."""
    for line in text.split("\n"):
        line = line.strip()
        if line:
            return line if len(line) < MAX_TITLE_CHARS else path.stem
    return path.stem


def make_document(
    path: Path,
    text: str,
    *,
    title: str | None = None,
    author: str | None = None,
    date: str | None = None,
    page_starts: list[int] | None = None,
) -> Document:
    """Build the `Document` every reader returns; `text` must already be normalised.

    Only trailing whitespace is removed, so offsets computed by the reader (page starts) stay
    valid; a page start past the stripped end is clamped onto it.
    """
    text = text.rstrip()
    starts = [min(s, len(text)) for s in (page_starts or [])]
    return Document(
        id=doc_id_for(text),
        title=_clean_field(title) or fallback_title(text, path),
        author=_clean_field(author),
        date=_clean_field(date),
        source=str(path.resolve()),
        text=text,
        page_starts=starts,
    )


def _clean_field(value: str | None) -> str | None:
    """Collapse whitespace in a metadata value; empty becomes None."""
    if value is None:
        return None
    value = " ".join(str(value).split())
    return value or None
