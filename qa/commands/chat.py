"""`qa chat`: a conversation on the terminal; each question is resolved against the earlier ones."""

from __future__ import annotations

import argparse
import sys

from qa.commands.ask import add_retrieval_args, render_answer
from qa.commands.common import add_index_arg, add_model_arg

PROMPT = "you> "


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("chat", help="ask questions in a conversation (follow-ups understood); empty line or Ctrl-D quits")
    add_index_arg(p)
    add_model_arg(p)
    add_retrieval_args(p)
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from index.errors import BadInput
    from qa.engine import open_engine

    engine = open_engine(args.index, args.model)
    history: list[str] = []
    interactive = sys.stdin.isatty()
    while True:
        if interactive:
            print(PROMPT, end="", flush=True)
        line = sys.stdin.readline()
        if not line or not line.strip():
            return 0
        try:
            answer = engine.ask(line, history=history, mode=args.mode, k=args.k)
        except BadInput as exc:
            print(f"qa chat: {exc}", file=sys.stderr)
            continue
        history.append(line.strip())
        print(render_answer(answer, sources=3))
        print()
