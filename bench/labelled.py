"""What the calibration benches share: `--set INDEX:TESTSET` pairs, their items, and `--out`."""

from __future__ import annotations

import argparse
import logging
import sys
from collections.abc import Iterator
from pathlib import Path

from qa.engine import Engine, open_engine
from qa.testset import TestItem, load_testset

log = logging.getLogger("bench")


def add_set_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--set", action="append", required=True, metavar="INDEX:TESTSET")
    parser.add_argument("--out", type=Path, help="write the table (Markdown) here too")


def items_of(pairs: list[str]) -> Iterator[tuple[str, Engine, TestItem]]:
    """Each test set's items with the engine over its index, one engine per pair."""
    for pair in pairs:
        index_dir, testset = pair.split(":", 1)
        engine = open_engine(index_dir)
        log.info("answering %s over %s", testset, index_dir)
        for item in load_testset(Path(testset)):
            yield Path(testset).stem, engine, item


def emit(text: str, out: Path | None) -> None:
    """The report on stdout and, with `--out`, in that file."""
    sys.stdout.write(text + "\n")
    if out:
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_text(text + "\n", encoding="utf-8")
