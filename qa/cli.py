"""The `qa` command: parse arguments, dispatch to one module per command, turn errors into one line.

Each command module in qa/commands exposes `register(subparsers)`, which adds its parser and sets
`func` to a `run(args) -> int`. Nothing here loads a model or opens an index; commands do that in
their own `run`, so `qa --help` stays instant.
"""

from __future__ import annotations

import argparse
import importlib
import logging
import os
import sqlite3
import sys

from index.errors import IndexCorrupt, SourceqaError

# Order is the order `qa --help` lists them in.
COMMAND_MODULES = [
    "index_cmd",
    "ask",
    "chat",
    "remove",
    "docs",
    "quotes",
    "speakers",
    "eval",
    "serve",
    "bench",
]

log = logging.getLogger("qa")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="qa", description="Answer questions about your own sources, with cited passages.")
    parser.add_argument("-v", "--verbose", action="store_true", help="log debug detail to stderr")
    parser.add_argument("-q", "--quiet", action="store_true", help="log only warnings and errors")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name in COMMAND_MODULES:
        try:
            module = importlib.import_module(f"qa.commands.{name}")
        except ModuleNotFoundError as exc:
            if exc.name == f"qa.commands.{name}":
                continue  # a command not built yet
            raise
        module.register(sub)
    return parser


def configure_logging(verbose: bool, quiet: bool) -> None:
    level = logging.DEBUG if verbose else logging.WARNING if quiet else logging.INFO
    logging.basicConfig(level=level, format="%(levelname)s %(name)s: %(message)s", stream=sys.stderr)
    # Libraries are chatty at INFO (model loading, HTTP); keep their warnings only.
    for noisy in ("sentence_transformers", "httpx", "urllib3", "faiss", "trafilatura", "gradio", "matplotlib"):
        logging.getLogger(noisy).setLevel(logging.WARNING)


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if not getattr(args, "func", None):
        parser.print_help(sys.stderr)
        return 2
    configure_logging(args.verbose, args.quiet)
    try:
        return int(args.func(args) or 0)
    except SourceqaError as exc:
        print(f"qa {args.command}: {exc}", file=sys.stderr)
        return exc.exit_code
    except sqlite3.DatabaseError as exc:
        if type(exc) not in (sqlite3.DatabaseError, sqlite3.OperationalError):
            raise  # an integrity or API error is a bug, not damage: keep its traceback
        # Damage the checks at load could not see (an index from before checksums, a disk error).
        print(f"qa {args.command}: the index database cannot be read ({exc}); "
              f"rebuild it with `qa index PATH --rebuild`", file=sys.stderr)
        return IndexCorrupt.exit_code
    except KeyboardInterrupt:
        print(f"qa {args.command}: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        # `qa quotes X | head` closed the pipe: not an error; keep Python from complaining at exit.
        sys.stdout = open(os.devnull, "w")
        return 0


if __name__ == "__main__":
    sys.exit(main())
