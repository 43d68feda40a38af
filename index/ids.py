"""Stable identifiers: a document is named by its content, a passage by its document and position."""

from __future__ import annotations

import hashlib
import unicodedata


def content_hash(text: str) -> str:
    """sha256 of the NFC-normalised text with line endings unified; 64 hex digits."""
    norm = unicodedata.normalize("NFC", text.replace("\r\n", "\n").replace("\r", "\n"))
    return hashlib.sha256(norm.encode("utf-8")).hexdigest()


def doc_id_for(text: str) -> str:
    """16 hex digits of the content hash: identical content gets one id, and so is stored once.

    64 bits keep collisions out of reach for any collection a laptop holds
    (about 1 in 10^9 at 200k documents).
    """
    return content_hash(text)[:16]


def passage_id_for(doc_id: str, ordinal: int) -> str:
    return f"{doc_id}-p{ordinal:04d}"
