"""Calibrate the abstention thresholds: sweep them over labelled questions, print the trade-off.

    python bench/abstention.py --set /tmp/seeds-ix:../shared/testsets/seeds-dev.jsonl \
                               --set /tmp/bbc-ix:tests/data/bbc_testset.jsonl \
                               --set /tmp/bbc-ix:tests/data/bbc_heldout.jsonl --out docs/abstention.md

Each question is answered once; its evidence signals are recorded; then every threshold pair is
re-decided offline (qa.abstain.decide with the thresholds patched), giving for each pair the
share of unanswerable questions abstained on and the share of answerable ones wrongly refused.
"""

from __future__ import annotations

import argparse
import itertools
import logging
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.labelled import add_set_arguments, emit, items_of  # noqa: E402
from qa import abstain  # noqa: E402
from qa.metrics import normalize_answer  # noqa: E402

log = logging.getLogger("bench.abstention")

COSINES = [0.15, 0.25, 0.35, 0.45, 0.55]
COVERAGES = [0.3, 0.5, 0.6, 0.8, 1.0]


def collect(pairs: list[str]) -> list[dict]:
    rows = []
    for name, engine, item in items_of(pairs):
        answer = engine.ask(item.question, history=list(item.history or []))
        correct = any(normalize_answer(g) in normalize_answer(answer.answer) for g in item.answers)
        rows.append({"set": name, "id": item.id, "answerable": item.answerable,
                     "signals": answer.signals, "abstained": answer.abstained, "correct": correct and not answer.abstained})
    return rows


def sweep(rows: list[dict]) -> list[dict]:
    out = []
    for cos, cov in itertools.product(COSINES, COVERAGES):
        abstain.MIN_PASSAGE_COSINE, abstain.MIN_TARGET_COVERAGE = cos, cov
        decided = [abstain.decide(abstain.Evidence(**r["signals"])).abstain if r["signals"] else r["abstained"] for r in rows]
        unans = [d for d, r in zip(decided, rows) if not r["answerable"]]
        ans = [d for d, r in zip(decided, rows) if r["answerable"]]
        out.append({"min_passage_cosine": cos, "min_target_coverage": cov,
                    "abstention_accuracy": sum(unans) / max(len(unans), 1),
                    "false_abstention_rate": sum(ans) / max(len(ans), 1)})
    return out


# Each rule switched off in turn, by neutralising the signal it reads.
ABLATIONS = {
    "all rules": {},
    "without: a named target absent from the collection": {"unknown_targets": []},
    "without: document names too few targets": {"targets": 0},
    "without: numeric answer lacks the question's own words": {"asked_terms": 0},
    "without: figure's measure (revenue, profit…) absent": {"measure_found": True},
    "without: a figure's or place's own sentence does not say what it is for": {"figure_stated": True},
    "without: a place's own sentence does not say what it is for": {"place": False},
    "without: the post asked about is not named": {"post_found": True},
    "without: typed question, no span of the type": {"typed": False},
}


def ablation(rows: list[dict]) -> list[dict]:
    out = []
    for name, patch in ABLATIONS.items():
        decided = [abstain.decide(abstain.Evidence(**{**r["signals"], **patch})).abstain if r["signals"] else r["abstained"]
                   for r in rows]
        unans = [d for d, r in zip(decided, rows) if not r["answerable"]]
        ans = [d for d, r in zip(decided, rows) if r["answerable"]]
        out.append({"rules": name, "abstention_accuracy": sum(unans) / max(len(unans), 1),
                    "false_abstention_rate": sum(ans) / max(len(ans), 1)})
    return out


def markdown(table: list[dict], current: tuple[float, float], n_ans: int, n_unans: int, sets: list[str]) -> str:
    lines = ["# Abstention: calibration and trade-off", "",
             "Made by `bench/abstention.py` (see its docstring for the command). An answer abstains when a rule in",
             "`qa/abstain.py` fires on its evidence signals; this sweeps the two thresholds and switches each rule",
             "off in turn. 'Abstention accuracy' is the share of unanswerable questions abstained on; 'false",
             "abstention rate' the share of answerable ones refused. What-did-X-say questions answered from the",
             "quote index are counted as they were answered (the thresholds do not apply to them).", "",
             f"Questions: {n_ans} answerable, {n_unans} unanswerable, from {', '.join(sets)}. Current setting marked *.", "",
             "| min passage cosine | min target coverage | abstention accuracy | false abstention rate |",
             "|---|---|---|---|"]
    for r in table:
        mark = " *" if (r["min_passage_cosine"], r["min_target_coverage"]) == current else ""
        lines.append(f"| {r['min_passage_cosine']:.2f}{mark} | {r['min_target_coverage']:.1f} | "
                     f"{r['abstention_accuracy']:.3f} | {r['false_abstention_rate']:.3f} |")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    add_set_arguments(parser)
    args = parser.parse_args()
    logging.basicConfig(level=logging.WARNING)
    current = (abstain.MIN_PASSAGE_COSINE, abstain.MIN_TARGET_COVERAGE)
    rows = collect(args.set)
    table = sweep(rows)
    abstain.MIN_PASSAGE_COSINE, abstain.MIN_TARGET_COVERAGE = current
    n_ans = sum(r["answerable"] for r in rows)
    text = markdown(table, current, n_ans, len(rows) - n_ans, sorted({r["set"] for r in rows}))
    text += "\n\n| rules | abstention accuracy | false abstention rate |\n|---|---|---|\n"
    text += "\n".join(f"| {r['rules']} | {r['abstention_accuracy']:.3f} | {r['false_abstention_rate']:.3f} |"
                      for r in ablation(rows))
    emit(text, args.out)


if __name__ == "__main__":
    main()
