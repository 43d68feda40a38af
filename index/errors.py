"""Errors a user can act on. Each message says what failed and what to run about it."""

from __future__ import annotations


class SourceqaError(Exception):
    """Base class: the CLI prints the message on one line and exits non-zero, without a traceback."""

    exit_code = 1


class ReadError(SourceqaError):
    """A source file could not be read; indexing skips it and goes on."""

    def __init__(self, path: str, reason: str) -> None:
        self.path = path
        self.reason = reason
        super().__init__(f"{path}: {reason}")


class IndexNotFound(SourceqaError):
    exit_code = 2


class IndexCorrupt(SourceqaError):
    exit_code = 3


class ModelMismatch(SourceqaError):
    exit_code = 4


class BadInput(SourceqaError):
    """A question, path or test set the user gave cannot be used as it is."""

    exit_code = 2


class IndexWriteFailed(SourceqaError):
    """The disk refused a write during an update (full, read-only, I/O error); the old index is still live."""

    exit_code = 5
