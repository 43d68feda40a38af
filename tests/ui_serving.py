"""Serving the app for the client and browser tests: a writable copy of the seed index, a free port."""

from __future__ import annotations

import shutil
import socket
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from qa.engine import Engine


def writable_engine(seed_index: Path, tmp: Path, embedder) -> Engine:
    """An engine over a private copy of the shared seed index, so uploads and removals stay in `tmp`."""
    index_dir = tmp / "data" / "index"
    shutil.copytree(seed_index, index_dir)
    return Engine(index_dir, embedder_factory=lambda name: embedder)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextmanager
def serving(engine: Engine) -> Iterator[str]:
    """The app over `engine` on 127.0.0.1 in a background thread; yields its URL."""
    from ui.app import build_app, launch_app

    app = build_app(engine)
    url = launch_app(app, "127.0.0.1", free_port(), block=False)
    try:
        yield url
    finally:
        app.close()
