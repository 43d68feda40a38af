"""Plain text and Markdown: decode, normalise, and read title/author/date off the top lines.

The text is kept as written (paragraphs are blank-line blocks; a whole article on one line stays
one line); only leading blank lines and a Markdown front-matter block are removed.
"""

from __future__ import annotations

import re
from pathlib import Path

from index.errors import ReadError
from index.models import Document
from index.readers.base import MAX_TITLE_CHARS, make_document, normalize
from index.readers.dates import date_from_lines, is_date_line, parse_date
from index.readers.encoding import check_printable, decode_text

SUFFIXES = (".txt", ".md", ".markdown")

# Metadata is looked for among the first lines only: a "By ..." in paragraph 12 is prose.
HEAD_LINES = 10
_HEAD_CHARS = 3000
_LEADING_BLANK = re.compile(r"\A(?:[ \t]*\n)+")
_FRONT_MATTER = re.compile(r"\A---[ \t]*\n(?P<body>[A-Za-z_][\w-]*[ \t]*:.*?)\n(?:---|\.\.\.)[ \t]*(?:\n|\Z)", re.S)
_AUTHOR_LABEL = re.compile(r"^(?:authors?|written by|byline|reporter)\s*:\s*(?P<name>.+)$", re.IGNORECASE)
_BY = re.compile(r"^(?:By|BY)\s+(?P<name>.+)$")
_BY_CUT = re.compile(r"\s+[|•·]\s+|\s+[-–—]\s+|,")
_NAME_WORD = re.compile(r"^(?:[A-Z][\w'’.\-]*|[A-Z]\.)$")
_NAME_LINKS = {"and", "de", "del", "der", "van", "von", "da", "di", "du", "la", "le", "al", "bin", "y", "&"}


def read(path: Path) -> Document:
    text = decode_text(path.read_bytes(), str(path))
    check_printable(text, str(path))  # before normalize(), which drops control characters
    text = normalize(text)
    meta: dict[str, str] = {}
    if path.suffix.lower() in (".md", ".markdown"):
        text, meta = split_front_matter(text)
    text = _LEADING_BLANK.sub("", text)
    if not text.strip():
        raise ReadError(str(path), "no text: the file holds only whitespace")
    head = [line.strip() for line in text[:_HEAD_CHARS].split("\n") if line.strip()][:HEAD_LINES]
    return make_document(
        path,
        text,
        title=meta.get("title") or title_from_lines(head) or path.stem,
        author=meta.get("author") or author_from_lines(head),
        date=_front_matter_date(meta) or date_from_lines(head),
    )


def title_from_lines(lines: list[str]) -> str | None:
    """The first line that is not an author or date line, if short enough to be a title."""
    for line in lines:
        plain = _plain(line)
        if not plain or author_from_lines([line]) or is_date_line(plain):
            continue
        return plain if len(plain) < MAX_TITLE_CHARS else None
    return None


def author_from_lines(lines: list[str]) -> str | None:
    """An 'Author: X' line, or a 'By X' line whose X reads like a name ('By the way' does not)."""
    for line in lines:
        plain = _plain(line)
        labelled = _AUTHOR_LABEL.match(plain)
        if labelled:
            return labelled.group("name").split(" | ")[0].strip() or None
        by = _BY.match(plain)
        if by:
            name = _BY_CUT.split(by.group("name"))[0].strip()
            if _looks_like_name(name):
                return name
    return None


def split_front_matter(text: str) -> tuple[str, dict[str, str]]:
    """Remove a leading '---' YAML block; return the text and its title/author/date values."""
    match = _FRONT_MATTER.match(text)
    if not match:
        return text, {}
    meta = {}
    for line in match.group("body").split("\n"):
        key, sep, value = line.partition(":")
        key = key.strip().lower()
        if sep and key in ("title", "author", "date") and value.strip():
            meta[key] = value.strip().strip("'\"")
    return text[match.end():], meta


def _front_matter_date(meta: dict[str, str]) -> str | None:
    value = meta.get("date")
    return (parse_date(value) or value) if value else None


def _plain(line: str) -> str:
    """A line without Markdown heading/quote marks and emphasis: '**By Jane Doe**' -> 'By Jane Doe'."""
    return line.lstrip("#> \t").replace("**", "").strip("*_ \t")


def _looks_like_name(name: str) -> bool:
    words = name.split()
    if not 1 <= len(words) <= 6 or not _NAME_WORD.match(words[0]):
        return False
    return all(_NAME_WORD.match(word) or word.lower() in _NAME_LINKS for word in words)
