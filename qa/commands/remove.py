"""`qa remove DOC`: delete a document (by id, id prefix, source path or exact title)."""

from __future__ import annotations

import argparse
from pathlib import Path

from qa.commands.common import add_index_arg


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("remove", help="remove documents from the index")
    p.add_argument("docs", nargs="+", metavar="DOC", help="document id (or its first 6+ characters), source path, or title")
    add_index_arg(p)
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from index.remove import remove_documents
    from qa.engine import default_index_dir

    index_dir = Path(args.index).expanduser() if args.index else default_index_dir()
    removed = remove_documents(index_dir, args.docs)
    for doc in removed:
        print(f"removed {doc.id}  {doc.title}")
    return 0
