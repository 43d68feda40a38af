"""Attribution quality on hand-labelled BBC statements (tests/data/bbc_quote_labels.jsonl).

The floors sit a little below what bench/quote_eval.py measured when they were set, so a change
that loses statements or misattributes them fails here; the script lists which.
"""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
LABELS = ROOT / "tests" / "data" / "bbc_quote_labels.jsonl"
CORPUS = ROOT.parent / "shared" / "corpora" / "bbc"

# Measured 0.994 / 0.927 (statements) and 0.987 / 0.927 (attribution) on 164 labels, 16 articles.
FLOORS = {
    "statement_precision": 0.95,
    "statement_recall": 0.88,
    "attribution_precision": 0.93,
    "attribution_recall": 0.87,
}


def _quote_eval():
    spec = importlib.util.spec_from_file_location("quote_eval", ROOT / "bench" / "quote_eval.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules["quote_eval"] = module  # dataclasses look their module up there
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def quote_eval():
    if not LABELS.exists():
        pytest.skip(f"no quote labels at {LABELS}")
    if not CORPUS.is_dir():
        pytest.skip(f"no BBC corpus at {CORPUS}")
    return _quote_eval()


@pytest.fixture(scope="module")
def scores(quote_eval):
    from index.nlp import load_nlp

    return quote_eval.evaluate(LABELS, CORPUS, load_nlp())


def test_labels_are_enough_and_their_spans_exact(quote_eval):
    labels = quote_eval.load_labels(LABELS)
    assert len(labels) >= 50
    for lab in labels:
        text = (CORPUS / lab.path).read_text(encoding="utf-8")
        assert text[lab.start : lab.end] == lab.text, lab


@pytest.mark.parametrize("figure", sorted(FLOORS))
def test_figure_above_floor(scores, figure):
    got = scores.figures()[figure]
    assert got >= FLOORS[figure], f"{figure} {got:.3f} fell below {FLOORS[figure]}; run bench/quote_eval.py"


def test_overlap_and_speaker_rules(quote_eval):
    Item = quote_eval.Item
    label = Item("a.txt", 10, 50, "Sergei Chemezov")
    assert quote_eval.overlaps(label, Item("a.txt", 12, 30, ""))
    assert not quote_eval.overlaps(label, Item("a.txt", 45, 90, ""))
    assert quote_eval.same_speaker(label, Item("a.txt", 0, 1, "chemezov"))
    assert not quote_eval.same_speaker(label, Item("a.txt", 0, 1, "Vladimir Putin"))
    assert quote_eval.same_speaker(Item("a.txt", 0, 1, ""), Item("a.txt", 0, 1, "analysts", "unknown"))
