"""Choose the fusion constant: evidence recall of hybrid retrieval for several RRF k, on labelled questions.

    python bench/fusion.py --index /tmp/bbc-ix --set tests/data/bbc_testset.jsonl --set tests/data/bbc_heldout.jsonl \
                           --out docs/fusion.md

Retrieval only, as the answer path runs it (qa.answer: a pool of POOL passages, target boosting,
the top 10), for the answerable items without history (a follow-up's resolution needs answers).
Dense and BM25 alone are given for reference.
"""

from __future__ import annotations

import argparse
import json
import logging
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from qa.analyze import analyse  # noqa: E402
from qa.answer import POOL  # noqa: E402
from qa.engine import open_engine  # noqa: E402
from qa.metrics import first_support_ranks  # noqa: E402
from qa.rerank import boost_targets  # noqa: E402
from qa.retrieve import RRF_K, retrieve  # noqa: E402
from qa.testset import load_testset  # noqa: E402

KS = (1, 5, 10, 20, 60)
RECALL_AT = (1, 5, 10)


def first_ranks(engine, items, mode: str, rrf_k: int) -> list[int | None]:
    out = []
    for item in items:
        qvec = engine.embed_query(item.question)
        pool = retrieve(engine.index, item.question, qvec, mode, POOL, rrf_k=rrf_k)
        ranked = boost_targets(pool, analyse(item.question).targets)[:10]
        ranks = [r for r in first_support_ranks([p.text for p in ranked], item.evidence) if r is not None]
        out.append(min(ranks, default=None))
    return out


def recall(ranks: list[int | None], k: int) -> float:
    return sum(1 for r in ranks if r is not None and r <= k) / max(len(ranks), 1)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--index", required=True)
    parser.add_argument("--set", action="append", required=True, metavar="TESTSET")
    parser.add_argument("--out", type=Path, help="write the table (Markdown) here too")
    parser.add_argument("--json", type=Path, help="write the figures as JSON here")
    args = parser.parse_args()
    logging.basicConfig(level=logging.WARNING)
    engine = open_engine(args.index)
    items = [i for s in args.set for i in load_testset(Path(s)) if i.answerable and not i.history and i.evidence]
    runs = [("dense", "dense", RRF_K), ("bm25", "bm25", RRF_K)] + [(f"hybrid, k = {k}", "hybrid", k) for k in KS]
    rows = []
    for name, mode, k in runs:
        ranks = first_ranks(engine, items, mode, k)
        rows.append({"run": name, "current": mode == "hybrid" and k == RRF_K,
                     **{f"recall@{n}": round(recall(ranks, n), 3) for n in RECALL_AT}})
        logging.getLogger("bench.fusion").warning("%s done", name)
    lines = ["# Fusion: the RRF constant", "",
             "Made by `bench/fusion.py` (see its docstring for the command). Evidence recall of the passages the",
             "answer is chosen from, after target boosting, for reciprocal rank fusion with several k. A small k",
             "keeps a passage far ahead in one list (the only one naming a rare name, found by BM25 alone) ahead of",
             "passages middling in both.", "",
             f"Questions: {len(items)} answerable, without history, from {', '.join(Path(s).stem for s in args.set)}. "
             "Current setting marked *.", "",
             "| run | " + " | ".join(f"recall@{n}" for n in RECALL_AT) + " |", "|---|" + "---|" * len(RECALL_AT)]
    lines += [f"| {r['run']}{' *' if r['current'] else ''} | " + " | ".join(f"{r[f'recall@{n}']:.3f}" for n in RECALL_AT) + " |"
              for r in rows]
    text = "\n".join(lines) + "\n"
    sys.stdout.write(text)
    if args.out:
        args.out.write_text(text, encoding="utf-8")
    if args.json:
        args.json.write_text(json.dumps(rows, indent=2), encoding="utf-8")


if __name__ == "__main__":
    main()
