"""Reading source files into `Document`s: find the files, then dispatch each on its suffix.

Backends live one per module (text, html, pdf, docx) and are imported on first use, so that
indexing a folder of .txt files never imports trafilatura or pypdf, and a missing optional
package fails with a message naming it.
"""

from __future__ import annotations

import importlib
import logging
import os
from pathlib import Path

from index.errors import BadInput, ReadError
from index.models import Document

__all__ = ["SUPPORTED_SUFFIXES", "DEFAULT_MAX_BYTES", "discover", "read_source"]

log = logging.getLogger(__name__)

# suffix -> backend module under index.readers
_BACKENDS = {
    ".txt": "text",
    ".md": "text",
    ".markdown": "text",
    ".html": "html",
    ".htm": "html",
    ".pdf": "pdf",
    ".docx": "docx",
}
SUPPORTED_SUFFIXES: frozenset[str] = frozenset(_BACKENDS)
# 50 MB holds a 10,000-page text PDF; anything larger is more likely a scan or a data dump.
DEFAULT_MAX_BYTES = 50_000_000


def discover(paths: list[Path]) -> list[Path]:
    """Every readable source under `paths` (files or folders, searched recursively), sorted.

    Hidden files and folders (".git", ".DS_Store") and unsupported suffixes are skipped inside
    folders; a file named explicitly is kept even when hidden, and skipped with a warning when
    its suffix is unsupported. Raises BadInput for a path that does not exist.
    """
    found: set[Path] = set()
    for path in paths:
        path = Path(path)
        if not path.exists():
            raise BadInput(f"{path}: no such file or folder; check the path you gave")
        if path.is_dir():
            found.update(_walk(path))
        elif is_supported(path):
            found.add(path.resolve())
        else:
            log.warning("%s: skipped, unsupported file type %r (supported: %s)",
                        path, path.suffix, ", ".join(sorted(SUPPORTED_SUFFIXES)))
    return sorted(found)


def is_supported(path: Path) -> bool:
    return path.suffix.lower() in SUPPORTED_SUFFIXES


def read_source(path: Path, max_bytes: int = DEFAULT_MAX_BYTES) -> Document:
    """Read one file into a Document, or raise ReadError with a reason a user can act on."""
    path = Path(path)
    backend = _BACKENDS.get(path.suffix.lower())
    if backend is None:
        raise ReadError(str(path), f"unsupported file type {path.suffix!r}; supported: {', '.join(sorted(SUPPORTED_SUFFIXES))}")
    _check_size(path, max_bytes)
    try:
        return importlib.import_module(f"{__name__}.{backend}").read(path)
    except ReadError:
        raise
    except OSError as err:
        raise ReadError(str(path), f"cannot open: {err.strerror or err}") from None
    except Exception as err:  # noqa: BLE001 - a library's traceback is no message for a user
        log.debug("reading %s failed", path, exc_info=True)
        raise ReadError(str(path), f"could not read this {path.suffix} file, it may be corrupt "
                        f"({type(err).__name__}: {err})") from None


def _check_size(path: Path, max_bytes: int) -> None:
    try:
        size = path.stat().st_size
    except OSError as err:
        raise ReadError(str(path), f"cannot open: {err.strerror or err}") from None
    if size == 0:
        raise ReadError(str(path), "empty file (0 bytes)")
    if size > max_bytes:
        needed = -(-size // 1_000_000)  # round up: 61.2 MB needs --max-file-mb 62
        raise ReadError(str(path), f"file is {size / 1e6:.1f} MB, over the {max_bytes / 1e6:g} MB limit; "
                        f"raise it with --max-file-mb {needed}")


def _walk(folder: Path) -> list[Path]:
    """Supported files under `folder`, not descending into hidden folders."""
    out = []
    for root, dirs, files in os.walk(folder):
        dirs[:] = [d for d in dirs if not d.startswith(".")]  # pruning here skips .git wholesale
        out.extend(Path(root, f).resolve() for f in files if not f.startswith(".") and is_supported(Path(f)))
    return out
