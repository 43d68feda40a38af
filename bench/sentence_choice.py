"""How well the answer sentence is chosen, against a linear model learned from the same features.

    python bench/sentence_choice.py --set /tmp/seeds-ix:../shared/testsets/seeds-dev.jsonl \
                                    --set /tmp/bbc-ix:tests/data/bbc_testset.jsonl … --out docs/sentence-choice.md

Each answerable question is answered once. The candidate sentences `qa.answer` scored are
recorded with their features, and a sentence counts as gold when it contains one of the item's
answers (after SQuAD normalisation). Three figures come out of that, over the questions that
reach sentence choice:
- oracle: some candidate is gold, so a perfect chooser would answer;
- rules: the sentence `qa.answer._choose` picked is gold;
- learned: a logistic regression over the candidates' features picks it, trained on every other
  test set and scored on the held-out one (leave one set out). It is run twice: with the rules'
  own choice as a feature (can learning correct the rules?) and without it (can it replace them?).

scikit-learn is needed (sentence-transformers installs it).
"""

from __future__ import annotations

import argparse
import logging
import math
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import numpy as np  # noqa: E402

from bench.labelled import add_set_arguments, emit, items_of  # noqa: E402
from qa import answer as answer_module  # noqa: E402
from qa.metrics import normalize_answer  # noqa: E402
from qa.terms import stem, stems  # noqa: E402


NUMERIC = answer_module.NUMERIC_LABELS


def _features(scored: list, analysis, chosen, found) -> list[dict]:
    """One row per candidate sentence: the signals `best_sentence` and `_choose` read."""
    best = max((r for r in scored if not r.follows), key=lambda r: r.score, default=None) or max(scored, key=lambda r: r.score)
    asked = answer_module.asked_words(analysis)
    terms = {stem(t) for t in analysis.terms}
    order = {id(r): k for k, r in enumerate(sorted(scored, key=lambda r: -r.score))}
    expected = analysis.expected[0] if analysis.expected else ""
    rows = []
    for r in scored:
        hits = len(found(asked, r.text)) if asked else 0
        label_rank = analysis.expected.index(r.short.label) if r.short is not None and r.short.label in analysis.expected else -1
        rows.append({
            "score": r.score, "cos": r.cos, "rank": min(r.rank, 10) / 10, "behind_best": r.score - best.score,
            "score_rank": min(order[id(r)], 20) / 20,
            "overlap": len(terms & stems(r.text)) / len(terms) if terms else 0.0,
            "asked_hits": hits, "asked_share": hits / len(asked) if asked else 0.0,
            "kind_first": label_rank == 0, "kind_fallback": label_rank > 0, "short": r.short is not None,
            "beside": r.beside, "other": r.other, "follows": r.follows, "cause": r.cause is not None,
            "best_story": r.story == best.story, "opens_passage": r.start == 0, "is_best": r is best,
            "length": math.log(len(r.text) + 1) / 6, "rules_choice": r is chosen,
            "typed": bool(expected), "numeric": expected in NUMERIC, "why": analysis.type == "why",
            "text": r.text,
        })
    return rows


def collect(pairs: list[str]) -> list[dict]:
    """Every answerable item's candidates, labelled. `_choose` is wrapped to see them: it is the
    one place the scored sentences and the rules' pick meet."""
    seen: dict = {}
    original = answer_module._choose

    def spy(scored, analysis, found=answer_module.literal_found, coverage=None):
        chosen = original(scored, analysis, found, coverage)
        seen["rows"] = _features(scored, analysis, chosen, found)
        return chosen

    answer_module._choose = spy
    items = []
    try:
        for name, engine, item in items_of(pairs):
            if not item.answerable:
                continue
            seen.clear()
            engine.ask(item.question, history=list(item.history or []))
            gold = [normalize_answer(g) for g in item.answers]
            rows = seen.get("rows", [])
            for row in rows:
                text = normalize_answer(row.pop("text"))
                row["gold"] = any(g in text for g in gold)
            items.append({"set": name, "id": item.id, "candidates": rows})
    finally:
        answer_module._choose = original
    return items


FEATURES = ["score", "cos", "rank", "behind_best", "score_rank", "overlap", "asked_hits", "asked_share", "kind_first",
            "kind_fallback", "short", "beside", "other", "follows", "cause", "best_story", "opens_passage", "is_best",
            "length", "rules_choice"]


def _vector(row: dict, with_rules: bool) -> list[float]:
    base = [float(row[f]) for f in FEATURES if with_rules or f not in ("rules_choice", "is_best")]
    # the same signal weighs differently for a name, a figure and an untyped question
    return base + [x * row["typed"] for x in base] + [x * row["numeric"] for x in base] + \
        [float(row["typed"]), float(row["numeric"]), float(row["why"])]


def leave_one_set_out(items: list[dict], with_rules: bool, c: float = 1.0) -> dict[str, int]:
    """Questions per held-out set whose learned pick is gold."""
    from sklearn.linear_model import LogisticRegression

    chosen: dict[str, int] = {}
    for held in sorted({i["set"] for i in items}):
        train = [i for i in items if i["set"] != held and any(r["gold"] for r in i["candidates"])]
        x = np.array([_vector(r, with_rules) for i in train for r in i["candidates"]])
        y = np.array([r["gold"] for i in train for r in i["candidates"]])
        model = LogisticRegression(C=c, max_iter=3000).fit(x, y)
        chosen[held] = 0
        for item in (i for i in items if i["set"] == held and i["candidates"]):
            scores = model.decision_function(np.array([_vector(r, with_rules) for r in item["candidates"]]))
            chosen[held] += item["candidates"][int(np.argmax(scores))]["gold"]
    return chosen


def report(items: list[dict]) -> str:
    reach = [i for i in items if i["candidates"]]
    sets = sorted({i["set"] for i in reach})
    oracle = {s: sum(any(r["gold"] for r in i["candidates"]) for i in reach if i["set"] == s) for s in sets}
    rules = {s: sum(any(r["gold"] and r["rules_choice"] for r in i["candidates"]) for i in reach if i["set"] == s) for s in sets}
    stacked, alone = leave_one_set_out(reach, True), leave_one_set_out(reach, False)
    n = {s: sum(i["set"] == s for i in reach) for s in sets}
    lines = [f"Answerable items: {len(items)}; reaching sentence choice: {len(reach)} (the rest are answered from the "
             "quote index or abstain before it).", "",
             "| set | questions | oracle | rules | learned, with the rules' pick | learned alone |", "|---|---|---|---|---|---|"]
    for s in sets + ["all"]:
        pick = (lambda d: sum(d.values())) if s == "all" else (lambda d, s=s: d[s])
        lines.append(f"| {s} | {pick(n)} | {pick(oracle)} | {pick(rules)} | {pick(stacked)} | {pick(alone)} |")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    add_set_arguments(parser)
    args = parser.parse_args()
    logging.basicConfig(level=logging.INFO, format="%(levelname)s %(name)s: %(message)s")
    emit(report(collect(args.set)), args.out)


if __name__ == "__main__":
    main()
