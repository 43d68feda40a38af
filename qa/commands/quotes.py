"""`qa quotes NAME`: every statement the index attributes to a person or organisation."""

from __future__ import annotations

import argparse

from qa.commands.common import add_index_arg, print_json


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("quotes", help="what a person or organisation said, with citations")
    p.add_argument("name", help='a name, surname or description: "Chemezov", "sergei chemezov", "head of Rostec"')
    p.add_argument("--about", metavar="TOPIC", default=None, help="only statements mentioning this topic")
    add_index_arg(p)
    p.add_argument("--json", action="store_true", help="print the result as JSON")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from qa.engine import open_engine
    from qa.quotes import find_statements

    engine = open_engine(args.index, None)
    result = find_statements(engine.quotes(), args.name, args.about)
    store = engine.store
    titles = store.titles({g.doc_id for g in result.groups})
    for group in result.groups:
        group.title = titles.get(group.doc_id, "") or group.doc_id
    if not result.groups and result.message and not result.speakers and store.mentions(args.name):
        result.message = f"{args.name} is mentioned in these sources but never quoted."
    if args.json:
        print_json(result)
        return 0
    print(render(result, {q.passage_id: store.passage(q.passage_id) for g in result.groups for q in g.quotes}))
    return 0


def render(result, passages: dict) -> str:
    """Statements grouped by document title, numbered; direct ones in quotation marks."""
    if not result.groups:
        tip = f" Did you mean: {', '.join(result.suggestions)}?" if result.suggestions else ""
        return (result.message or "No statements found.") + tip
    docs = len({g.doc_id for g in result.groups})
    lines = [f"{', '.join(result.speakers)}: {_count(result.total, 'statement')} in {_count(docs, 'document')}"]
    number, last_doc = 0, None
    for g in result.groups:
        if g.doc_id != last_doc:
            lines.append(f"\n{g.title}")
            last_doc = g.doc_id
        for q in g.quotes:
            number += 1
            passage = passages.get(q.passage_id)
            where = f"paragraph {passage.paragraph}" if passage else q.passage_id
            said = f"“{' '.join(q.text.split())}”" if q.direct else f"(reported) {' '.join(q.text.split())}"
            who = q.speaker if q.surface in ("", q.speaker) else f"{q.speaker} (as “{q.surface}”)"
            lines.append(f"  {number}. {said}\n     — {who} · {q.cue or 'quoted'} · {where} · {q.passage_id}")
    return "\n".join(lines)


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}{'' if n == 1 else 's'}"
