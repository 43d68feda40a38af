"""Turning the bytes of a text file into str: BOMs, UTF-8, then a guess, and binary detection.

Order, first that works: a byte-order mark; strict UTF-8 (most files today); cp1252 when the
result looks like Western text; charset-normalizer's guess; cp1252 as the last resort.
cp1252 is tried before charset-normalizer because the guesser is unreliable on mostly-ASCII
text with a few high bytes, which is exactly what Western legacy files are: it reads the BBC
corpus' "\\xa315.8m" (£15.8m) as Shift-JIS and a cp1252 "caf\\xe9" as UTF-16.
"""

from __future__ import annotations

import codecs
import logging

from index.errors import ReadError

log = logging.getLogger(__name__)

_BOMS = [
    (codecs.BOM_UTF32_LE, "utf-32-le"),  # before UTF-16 LE: its BOM starts with FF FE too
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
]
# In Western text accented letters are a small minority of letters (French about 4%, German
# 2%); Cyrillic or Greek bytes read as cp1252 come out nearly all accented ("Ïðèâåò").
MAX_WESTERN_ACCENTED = 0.25
# Above this share of control or replacement characters the "text" is binary data.
MAX_NON_PRINTABLE = 0.10
_SAMPLE = 65_536


def decode_text(data: bytes, path: str) -> str:
    """Decode a text file's bytes, or raise ReadError saying why it is not text."""
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            return _strict(data[len(bom):], encoding, path)
    if b"\x00" in data:
        encoding = _utf16_without_bom(data)
        if encoding is None:
            raise ReadError(path, "binary content (NUL bytes) behind a text extension; is this really a text file?")
        return _strict(data, encoding, path)
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    text = _western(data) or _guess(data)
    if text is None:
        raise ReadError(path, "undecodable text: not UTF-8, UTF-16 or cp1252, and no other encoding fits; re-save it as UTF-8")
    return text


def check_printable(text: str, path: str) -> None:
    """Raise ReadError when decoded text is mostly control characters (binary data)."""
    sample = text[:_SAMPLE]
    if not sample:
        return
    bad = sum(1 for ch in sample if (ch < " " and ch not in "\t\n\r\f\v") or ch == "\ufffd")
    if bad / len(sample) > MAX_NON_PRINTABLE:
        raise ReadError(path, f"binary content ({bad / len(sample):.0%} non-printable characters) behind a text extension")


def _strict(data: bytes, encoding: str, path: str) -> str:
    try:
        return data.decode(encoding)
    except UnicodeDecodeError as err:
        raise ReadError(path, f"undecodable text: invalid {encoding} at byte {err.start}; re-save it as UTF-8") from None


def _utf16_without_bom(data: bytes) -> str | None:
    """'utf-16-le'/'-be' when NULs sit in every other byte, as ASCII text in UTF-16 does."""
    sample = data[:4096]
    even, odd = sample[0::2], sample[1::2]
    if not even or not odd:
        return None
    even_nul, odd_nul = even.count(0) / len(even), odd.count(0) / len(odd)
    if odd_nul > 0.4 and even_nul < 0.05:
        return "utf-16-le"
    if even_nul > 0.4 and odd_nul < 0.05:
        return "utf-16-be"
    return None


def _western(data: bytes) -> str | None:
    """cp1252 text if it decodes and reads like a Western language, else None."""
    try:
        text = data.decode("cp1252")
    except UnicodeDecodeError:
        return None
    letters = [ch for ch in text if ch.isalpha()]
    accented = sum(1 for ch in letters if not ch.isascii())
    if letters and accented / len(letters) > MAX_WESTERN_ACCENTED:
        return None
    return text


def _guess(data: bytes) -> str | None:
    """charset-normalizer's best guess, then cp1252 whatever it looks like."""
    try:
        from charset_normalizer import from_bytes
    except ImportError:
        log.warning("charset-normalizer is not installed (pip install charset-normalizer); trying cp1252 only")
        best = None
    else:
        best = from_bytes(data).best()
    if best is not None:
        log.debug("charset-normalizer guessed %s", best.encoding)
        return str(best)
    try:
        return data.decode("cp1252")
    except UnicodeDecodeError:
        return None
