"""Arguments and output helpers every command shares."""

from __future__ import annotations

import argparse
import json
import sys

from pydantic import BaseModel


def add_index_arg(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--index", metavar="DIR", default=None,
        help="index directory (default: $SOURCEQA_INDEX, else ~/.local/share/sourceqa/index)",
    )


def add_model_arg(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--model", default=None,
        help="embedding model: a sentence-transformers folder (default: the packaged all-MiniLM-L6-v2)",
    )


def print_json(obj: BaseModel | list | dict) -> None:
    if isinstance(obj, BaseModel):
        sys.stdout.write(obj.model_dump_json(indent=2) + "\n")
    else:
        sys.stdout.write(json.dumps(obj, indent=2, ensure_ascii=False, default=_default) + "\n")


def _default(obj):
    if isinstance(obj, BaseModel):
        return obj.model_dump()
    raise TypeError(type(obj).__name__)


def snippet(text: str, width: int = 160) -> str:
    text = " ".join(text.split())
    return text if len(text) <= width else text[: width - 1].rstrip() + "…"
