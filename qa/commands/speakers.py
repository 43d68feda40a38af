"""`qa speakers`: the people and organisations the quote index has statements from."""

from __future__ import annotations

import argparse

from qa.commands.common import add_index_arg, print_json


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("speakers", help="people and organisations quoted, with statement counts")
    add_index_arg(p)
    p.add_argument("--all", action="store_true", help='also list unnamed speakers ("analysts", "a spokesman")')
    p.add_argument("--json", action="store_true", help="print the list as JSON")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from qa.engine import open_engine
    from qa.quotes import list_speakers

    speakers = list_speakers(open_engine(args.index, None).quotes(), include_unknown=args.all)
    if args.json:
        print_json(speakers)
        return 0
    if not speakers:
        print("No statements in the index.")
        return 0
    print(f"{'statements':>10} {'direct':>6} {'reported':>8} {'docs':>4}  {'kind':<7} speaker")
    for s in speakers:
        print(f"{s.count:>10} {s.direct:>6} {s.reported:>8} {s.documents:>4}  {s.kind:<7} {s.speaker}")
    print(f"{len(speakers)} speakers")
    return 0
