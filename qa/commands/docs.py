"""`qa docs`: the indexed documents."""

from __future__ import annotations

import argparse

from qa.commands.common import add_index_arg, print_json


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("docs", help="list the indexed documents")
    add_index_arg(p)
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from qa.engine import open_engine

    docs = open_engine(args.index).store.documents()
    if args.json:
        print_json(docs)
        return 0
    for d in docs:
        by = f" — {d.author}" if d.author else ""
        date = f" ({d.date})" if d.date else ""
        print(f"{d.id}  {d.title}{by}{date}  [{d.passages} passages]  {d.source}")
    print(f"{len(docs)} documents")
    return 0
