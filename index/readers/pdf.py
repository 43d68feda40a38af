"""PDF files with a text layer, via pypdf: pages joined by a blank line, page starts recorded.

`Document.page_starts[i]` is the offset of page i+1's text, so a citation's offset gives its page.
An empty page (a figure, a blank verso) keeps a start, equal to the next page's separator, so
page numbers after it stay right.
"""

from __future__ import annotations

import logging
from pathlib import Path

from index.errors import ReadError
from index.models import Document
from index.readers.base import make_document, normalize
from index.readers.dates import iso_from_datetime

SUFFIXES = (".pdf",)

log = logging.getLogger(__name__)

_PAGE_SEPARATOR = "\n\n"
# Titles that PDF writers fill in by themselves and that name no document.
_JUNK_TITLES = {"untitled", "microsoft word", "powerpoint presentation", "slide 1"}
_WORD_PREFIX = "Microsoft Word - "


def read(path: Path) -> Document:
    try:
        import pypdf
        from pypdf.errors import DependencyError, PdfReadError
    except ImportError:
        raise ReadError(str(path), "reading PDF needs pypdf; pip install pypdf") from None
    try:
        reader = pypdf.PdfReader(path)
        _unlock(reader, path)
        pages = [_page_text(page, number, path) for number, page in enumerate(reader.pages, start=1)]
    except DependencyError as err:  # AES encryption needs the `cryptography` package
        raise ReadError(str(path), f"encrypted PDF that needs an extra package: {err}; pip install cryptography") from None
    except PdfReadError as err:
        raise ReadError(str(path), f"corrupt or unreadable PDF ({err})") from None
    text, starts = join_pages(pages)
    if not any(ch.isalnum() for ch in text):
        raise ReadError(str(path), "no text layer (a scanned PDF?); run OCR first (e.g. ocrmypdf in.pdf out.pdf)")
    title, author, date = _metadata(reader)
    return make_document(path, text, title=title, author=author, date=date, page_starts=starts)


def join_pages(pages: list[str]) -> tuple[str, list[int]]:
    """Join page texts with a blank line; return the text and each page's start offset.

    Worked example: pages ["Ab", "", "Cd"] give "Ab\\n\\nCd" and starts [0, 2, 4]: the empty
    page 2 starts where the separator does, so offset 4 still maps to page 3.
    """
    text, starts = "", []
    for page in pages:
        if page and text:
            text += _PAGE_SEPARATOR
        starts.append(len(text))
        text += page
    return text, starts


def _unlock(reader, path: Path) -> None:
    """Open PDFs encrypted with an empty user password (copy-protected only); refuse others."""
    if not reader.is_encrypted:
        return
    if not reader.decrypt(""):
        raise ReadError(str(path), "encrypted PDF (password-protected); save a decrypted copy, e.g. qpdf --decrypt")


def _page_text(page, number: int, path: Path) -> str:
    """One page's text, normalised; a page pypdf cannot parse is logged and left empty."""
    try:
        raw = page.extract_text() or ""
    except Exception as err:  # noqa: BLE001 - a bad font on one page should not lose the rest
        log.warning("%s: page %d: text extraction failed (%s); page left empty", path, number, err)
        return ""
    return normalize(raw).strip()


def _metadata(reader) -> tuple[str | None, str | None, str | None]:
    try:
        info = reader.metadata
        if info is None:
            return None, None, None
        title, author = info.title, info.author
    except Exception as err:  # noqa: BLE001 - broken metadata must not lose the text
        log.debug("unreadable PDF metadata: %s", err)
        return None, None, None
    return _clean_title(title), author or None, _creation_date(info)


def _creation_date(info) -> str | None:
    try:
        return iso_from_datetime(info.creation_date)
    except (ValueError, TypeError):  # malformed "D:..." strings are common
        return None


def _clean_title(title: str | None) -> str | None:
    if not title:
        return None
    title = title.removeprefix(_WORD_PREFIX).strip()
    return None if title.lower() in _JUNK_TITLES else title or None
