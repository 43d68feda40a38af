"""`qa ask QUESTION`: an answer with numbered citations, as text or as JSON."""

from __future__ import annotations

import argparse

from qa.commands.common import add_index_arg, add_model_arg, print_json, snippet
from qa.models import Answer


def add_retrieval_args(p: argparse.ArgumentParser) -> None:
    p.add_argument("--mode", choices=["hybrid", "dense", "bm25"], default="hybrid", help="retrieval mode (default hybrid)")
    p.add_argument("-k", type=int, default=10, help="passages to retrieve (default 10)")


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("ask", help="answer a question from the indexed sources")
    p.add_argument("question")
    p.add_argument("--history", action="append", default=[], metavar="QUESTION",
                   help="an earlier question of the conversation, oldest first (repeatable)")
    add_index_arg(p)
    add_model_arg(p)
    add_retrieval_args(p)
    p.add_argument("--json", action="store_true", help="print the Answer as JSON")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from qa.engine import open_engine
    from qa.question import clean_question

    clean_question(args.question)  # a bad question is reported before the index and model load
    engine = open_engine(args.index, args.model)
    answer = engine.ask(args.question, history=args.history, mode=args.mode, k=args.k)
    if args.json:
        print_json(answer)
    else:
        print(render_answer(answer))
    return 0


def render_answer(answer: Answer, sources: int = 5) -> str:
    lines = []
    if answer.resolved_question != answer.question:
        lines.append(f"(understood as: {answer.resolved_question})")
    lines.append(answer.answer)
    if answer.citations:
        lines.append("")
        lines.append("Sources:")
        for c in answer.citations:
            where = f"paragraph {c.paragraph}" + (f", page {c.page}" if c.page else "")
            lines.append(f"[{c.number}] {c.title or c.doc_id} ({where})")
            lines.append(f"    “{snippet(c.quote, 300)}”")
    if answer.abstained and answer.retrieved:
        lines.append("")
        lines.append("Closest passages:")
        for r in answer.retrieved[:sources]:
            lines.append(f"  - {r.title or r.doc_id} (paragraph {r.paragraph}): {snippet(r.text)}")
    lines.append(f"\n({answer.latency_ms:.0f} ms, {answer.mode})")
    return "\n".join(lines)
