"""HTML pages: the main text via trafilatura (boilerplate such as navigation, scripts and footers
dropped), one paragraph per block, separated by blank lines.

trafilatura returns its result as a small XML tree (<p>, <head>, <list>, <table>, <quote>);
walking that tree, rather than splitting its plain-text output on single newlines, is what
keeps a heading apart from the paragraph under it.
"""

from __future__ import annotations

import logging
import re
from pathlib import Path

from index.errors import ReadError
from index.models import Document
from index.readers.base import make_document, normalize

SUFFIXES = (".html", ".htm")

log = logging.getLogger(__name__)

# Publication date from the page's metadata only: htmldate's extensive search also reads dates
# out of the article text, and "on 12 March the minister said" is not when the page appeared.
_DATE_PARAMS = {"original_date": True, "extensive_search": False}
_SPACES = re.compile(r"[ \t\u00a0]+")
_FALLBACK_BLOCKS = ("p", "div", "h1", "h2", "h3", "h4", "h5", "h6", "li", "tr", "blockquote", "pre",
                    "section", "article", "header", "footer", "table", "ul", "ol", "dl", "dt", "dd")


def read(path: Path) -> Document:
    data = path.read_bytes()
    if b"\x00" in data and not data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise ReadError(str(path), "binary content (NUL bytes) behind an HTML extension; is this really a web page?")
    trafilatura = _import_trafilatura(path)
    result = trafilatura.bare_extraction(
        data, with_metadata=True, include_comments=False, include_tables=True, date_extraction_params=_DATE_PARAMS
    )
    text = _main_text(result.body) if result is not None and result.body is not None else ""
    if not text.strip():
        log.debug("%s: trafilatura found no main text; using the whole <body>", path)
        text = _body_text(data)
        result = trafilatura.extract_metadata(data, date_config=_DATE_PARAMS, extensive=False)
    if not text.strip():
        raise ReadError(str(path), "no readable text in the HTML page")
    return make_document(
        path,
        normalize(text),
        title=result.title if result else None,
        author=result.author if result else None,
        date=result.date if result else None,
    )


def _import_trafilatura(path: Path):
    try:
        import trafilatura
    except ImportError as err:  # lxml 6 moved lxml.html.clean out, trafilatura still imports it
        raise ReadError(str(path), f"reading HTML needs trafilatura and lxml_html_clean ({err}); "
                        "pip install trafilatura lxml_html_clean") from None
    return trafilatura


def _main_text(body) -> str:
    """trafilatura's tree as text; on tiny pages its root is a lone <p> or <span>, not <body>."""
    blocks = _blocks(body) if body.tag == "body" else []
    return "\n\n".join(blocks or [_inline(body)])


def _blocks(element) -> list[str]:
    """One string per paragraph-level element of trafilatura's tree, in document order."""
    out: list[str] = []
    for child in element:
        tag = child.tag
        if tag == "list":
            text = "\n".join("- " + _inline(item) for item in child.iter("item") if _inline(item))
        elif tag == "table":
            text = "\n".join(_row(row) for row in child.iter("row") if _row(row))
        elif tag in ("quote", "div", "section") and any(c.tag in ("p", "list", "table", "head") for c in child):
            out.extend(_blocks(child))
            continue
        elif tag in ("graphic", "lb", "ref") and not (child.text or "").strip():
            continue
        else:
            text = _inline(child)
        if text:
            out.append(text)
    return out


def _row(row) -> str:
    return " | ".join(cell for cell in (_inline(c) for c in row.iter("cell")) if cell)


def _inline(element) -> str:
    """The element's text with <lb/> as a line break and runs of spaces collapsed."""
    parts: list[str] = []
    _collect(element, parts)
    lines = (_SPACES.sub(" ", line).strip() for line in "".join(parts).split("\n"))
    return "\n".join(line for line in lines if line)


def _collect(node, parts: list[str]) -> None:
    """Gather text in document order. A newline in HTML source is only a space (pages wrap
    <p> text at 80 columns); <lb/>, trafilatura's <br>, is the one real line break."""
    if node.tag == "lb":
        parts.append("\n")
    elif isinstance(node.tag, str) and node.text:  # comments have a function as tag
        parts.append(node.text.replace("\n", " "))
    for child in node:
        _collect(child, parts)
        if child.tail:
            parts.append(child.tail.replace("\n", " "))


def _body_text(data: bytes) -> str:
    """Fallback for pages too small for trafilatura: all of <body> but scripts and styles."""
    import lxml.html

    try:
        root = lxml.html.document_fromstring(data)
    except (ValueError, lxml.etree.ParserError):  # "Document is empty"
        return ""
    for junk in root.xpath("//script | //style | //noscript | //template | //head"):
        junk.drop_tree()
    body = root.find("body")
    body = root if body is None else body
    for block in body.iter(*_FALLBACK_BLOCKS):
        block.text = "\n\n" + (block.text or "")
        block.tail = "\n\n" + (block.tail or "")
    chunks = (_SPACES.sub(" ", " ".join(chunk.split())) for chunk in re.split(r"\n\s*\n", body.text_content()))
    return "\n\n".join(chunk for chunk in chunks if chunk)
