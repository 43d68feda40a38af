"""Uploaded files into the uploads folder beside the index, and nowhere else.

The browser sends a file name of its choosing; only its last path component is kept, and names
that are hidden, relative (`..`), of an unsupported type or too large are refused with a reason
the Documents tab shows next to the file. Indexing and removal are qa/index functions; this
module only decides what lands on disk.
"""

from __future__ import annotations

import logging
import re
import shutil
from pathlib import Path

from pydantic import BaseModel

from index.readers import DEFAULT_MAX_BYTES, SUPPORTED_SUFFIXES

log = logging.getLogger(__name__)

# Characters kept in a stored name; anything else becomes "_" (no separators, no control chars).
_UNSAFE = re.compile(r"[^\w.\- ()]+", re.UNICODE)
MAX_NAME_CHARS = 150


class Refused(BaseModel):
    """A file that was not copied, and why."""

    name: str
    reason: str


def uploads_dir_for(index_dir: Path) -> Path:
    """`<index>/../uploads`: beside the index, in the same data directory."""
    return index_dir.resolve().parent / "uploads"


def safe_name(original: str) -> str:
    """The name an upload is stored under; raises ValueError with the reason it cannot be stored.

    'C:\\\\Users\\\\me\\\\notes.txt' -> 'notes.txt'; '../../etc/passwd.txt' -> ValueError; '.env' -> ValueError.
    """
    base = re.split(r"[\\/]", original or "")[-1].strip()
    if base in {"", ".", ".."} or ".." in base:
        raise ValueError("the file name is empty or contains '..'")
    if base.startswith("."):
        raise ValueError("hidden files (names starting with '.') are not indexed")
    suffix = Path(base).suffix.lower()
    if suffix not in SUPPORTED_SUFFIXES:
        raise ValueError(f"unsupported file type {suffix or '(none)'!r}; supported: {', '.join(sorted(SUPPORTED_SUFFIXES))}")
    stem = _UNSAFE.sub("_", Path(base).stem).strip(" ._") or "upload"
    return stem[: MAX_NAME_CHARS - len(suffix)] + suffix


def copy_uploads(files: list[tuple[str, Path]], target: Path, max_bytes: int = DEFAULT_MAX_BYTES) -> tuple[list[Path], list[Refused]]:
    """Copy (original name, temp path) pairs into `target`; returns the stored paths and the refusals.

    A file with the name of an earlier upload replaces it: uploading a corrected version updates
    the document instead of indexing both.
    """
    target.mkdir(parents=True, exist_ok=True)
    root = target.resolve()
    stored: list[Path] = []
    refused: list[Refused] = []
    for original, temp in files:
        try:
            name = safe_name(original)
            size = temp.stat().st_size
            if size > max_bytes:
                raise ValueError(f"{size / 1e6:.1f} MB is over the {max_bytes / 1e6:.0f} MB limit")
            dest = (root / name).resolve()
            if dest.parent != root:  # belt and braces: safe_name already forbids separators
                raise ValueError("the file name leaves the uploads folder")
            shutil.copyfile(temp, dest)
        except (ValueError, OSError) as exc:
            log.warning("upload %r refused: %s", original, exc)
            refused.append(Refused(name=Path(re.split(r"[\\/]", original or "?")[-1]).name or "?", reason=str(exc)))
            continue
        stored.append(dest)
    return stored, refused


def delete_uploaded(sources: list[str], target: Path) -> list[Path]:
    """Delete the files among `sources` that live directly in the uploads folder (so a removed
    upload does not come back at the next upload); files elsewhere are never touched."""
    root = target.resolve()
    deleted = []
    for source in sources:
        path = Path(source).resolve()
        if path.parent == root and path.is_file():
            path.unlink()
            deleted.append(path)
    return deleted
