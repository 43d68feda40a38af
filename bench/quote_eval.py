"""Measure the quote index against hand-labelled statements from the BBC corpus.

    .venv/bin/python bench/quote_eval.py [--labels tests/data/bbc_quote_labels.jsonl]
        [--corpus ../shared/corpora/bbc] [--summary]

Runs statement extraction on every labelled article and matches predictions to labels by span
overlap: a pair matches when they share at least half of the shorter span (so "that" kept or
dropped, or one quote split into two labelled sentences, still match). Prints precision and
recall of statement extraction, and of attribution (a matched statement whose speaker is right:
canonical names compared case-insensitively, a surname alone accepted; an unnamed label speaker
such as "Government sources" is matched by an "unknown" prediction).
"""

from __future__ import annotations

import argparse
import json
import logging
import sys
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
LABELS = ROOT / "tests" / "data" / "bbc_quote_labels.jsonl"
CORPUS = ROOT.parent / "shared" / "corpora" / "bbc"
MIN_OVERLAP = 0.5

log = logging.getLogger("quote_eval")


@dataclass(frozen=True)
class Item:
    """A labelled or predicted statement in one article."""

    path: str
    start: int
    end: int
    speaker: str
    kind: str = "person"
    text: str = ""


@dataclass
class Scores:
    labels: int = 0
    predictions: int = 0
    found_labels: int = 0
    matched_predictions: int = 0
    attributed_labels: int = 0
    attributed_predictions: int = 0
    missed: list[Item] = field(default_factory=list)
    spurious: list[Item] = field(default_factory=list)
    misattributed: list[tuple[Item, Item]] = field(default_factory=list)

    def figures(self) -> dict[str, float]:
        def ratio(a: int, b: int) -> float:
            return round(a / b, 3) if b else 0.0

        return {
            "statement_precision": ratio(self.matched_predictions, self.predictions),
            "statement_recall": ratio(self.found_labels, self.labels),
            "attribution_precision": ratio(self.attributed_predictions, self.predictions),
            "attribution_recall": ratio(self.attributed_labels, self.labels),
        }


def overlaps(a: Item, b: Item) -> bool:
    """Share at least MIN_OVERLAP of the shorter span."""
    shared = min(a.end, b.end) - max(a.start, b.start)
    shorter = min(a.end - a.start, b.end - b.start)
    return shorter > 0 and shared >= MIN_OVERLAP * shorter


def same_speaker(label: Item, pred: Item) -> bool:
    """Case-insensitive canonical names; a surname alone matches the full name, and an
    organisation's short name its full one ("Marsh" ~ "Marsh & McLennan")."""
    if not label.speaker.strip():
        return pred.kind == "unknown"
    a, b = label.speaker.lower().split(), pred.speaker.lower().split()
    if not b:
        return False
    if a == b or (a[-1] == b[-1] and (len(a) == 1 or len(b) == 1)):
        return True
    shorter, longer = sorted((a, b), key=len)
    return pred.kind == "org" and longer[: len(shorter)] == shorter


def score(labels: list[Item], predictions: list[Item]) -> Scores:
    """Statement and attribution precision/recall over all articles."""
    s = Scores(labels=len(labels), predictions=len(predictions))
    for lab in labels:
        hits = [p for p in predictions if p.path == lab.path and overlaps(lab, p)]
        if not hits:
            s.missed.append(lab)
            continue
        s.found_labels += 1
        if any(same_speaker(lab, p) for p in hits):
            s.attributed_labels += 1
        else:
            s.misattributed.append((lab, hits[0]))
    for pred in predictions:
        hits = [lab for lab in labels if lab.path == pred.path and overlaps(lab, pred)]
        if not hits:
            s.spurious.append(pred)
            continue
        s.matched_predictions += 1
        if any(same_speaker(lab, pred) for lab in hits):
            s.attributed_predictions += 1
    return s


def load_labels(path: Path) -> list[Item]:
    items = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.strip():
            rec = json.loads(line)
            items.append(Item(rec["path"], rec["start"], rec["end"], rec.get("speaker") or "", "person", rec["text"]))
    return items


def predict(paths: list[str], corpus: Path, nlp) -> list[Item]:
    """Statements the extractor finds in each article, as Items."""
    from index.quotes import extract_statements

    out = []
    for rel in paths:
        text = (corpus / rel).read_text(encoding="utf-8")
        for st in extract_statements(nlp(text)):
            out.append(Item(rel, st.start, st.end, st.speaker.name, st.speaker.kind, text[st.start : st.end]))
    return out


def evaluate(labels_path: Path = LABELS, corpus: Path = CORPUS, nlp=None) -> Scores:
    """Scores of the extractor on the labelled articles (loads the spaCy model unless given)."""
    if nlp is None:
        from index.nlp import load_nlp

        nlp = load_nlp()
    labels = load_labels(labels_path)
    paths = sorted({lab.path for lab in labels})
    return score(labels, predict(paths, corpus, nlp))


def _short(item: Item, width: int = 90) -> str:
    text = " ".join(item.text.split())
    return f"{item.path}@{item.start}-{item.end} [{item.speaker or '?'}|{item.kind}] {text[:width]!r}"


def report(s: Scores, errors: bool) -> str:
    lines = [f"labels {s.labels}  predictions {s.predictions}"]
    lines += [f"{k:24s} {v:.3f}" for k, v in s.figures().items()]
    if errors:
        lines.append(f"\nmissed ({len(s.missed)}):")
        lines += ["  " + _short(i) for i in s.missed]
        lines.append(f"\nspurious ({len(s.spurious)}):")
        lines += ["  " + _short(i) for i in s.spurious]
        lines.append(f"\nwrong speaker ({len(s.misattributed)}):")
        for lab, pred in s.misattributed:
            lines.append(f"  {_short(lab)}\n     got [{pred.speaker}|{pred.kind}]")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--labels", type=Path, default=LABELS)
    parser.add_argument("--corpus", type=Path, default=CORPUS)
    parser.add_argument("--summary", action="store_true", help="print the figures only, not the errors")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.WARNING, stream=sys.stderr)
    if not args.labels.exists():
        log.error("no labels at %s", args.labels)
        return 2
    print(report(evaluate(args.labels, args.corpus), not args.summary))
    return 0


if __name__ == "__main__":
    sys.exit(main())
