"""The committed BBC test sets: each loads under the test-set contract, names the article of
every answerable item (its *_sources.tsv; the first set lists answerable items only), and each
answerable item's evidence is verbatim in that article (read from the corpus)."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import BBC, ROOT

from qa.testset import load_testset

SETS = sorted(p for p in (ROOT / "tests" / "data").glob("bbc_*.jsonl") if p.with_name(f"{p.stem}_sources.tsv").exists())


def _sources(testset: Path) -> dict[str, str]:
    lines = testset.with_name(f"{testset.stem}_sources.tsv").read_text(encoding="utf-8").splitlines()
    return dict(line.split("\t", 1) for line in lines if line.strip())


def _article(name: str) -> str:
    raw = (BBC / name).read_bytes()
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        return raw.decode("latin-1")


def test_there_are_twenty_nine_bbc_sets():
    assert len(SETS) == 29


def test_item_ids_are_unique_across_the_sets():
    # per-item comparisons between runs over all sets key on the id alone
    ids = [item.id for testset in SETS for item in load_testset(testset)]
    assert len(ids) == len(set(ids))


@pytest.mark.parametrize("testset", SETS, ids=lambda p: p.stem)
def test_a_set_loads_and_names_a_source_for_every_item(testset):
    items = load_testset(testset)
    assert len(items) >= 40
    sources = _sources(testset)
    assert set(sources) <= {i.id for i in items}
    assert all(i.id in sources for i in items if i.answerable)
    assert any(not i.answerable for i in items) and any(i.history for i in items)


@pytest.mark.skipif(not BBC.exists(), reason="the BBC corpus is not beside the checkout")
@pytest.mark.parametrize("testset", SETS, ids=lambda p: p.stem)
def test_evidence_is_verbatim_in_the_named_article(testset):
    sources = _sources(testset)
    for item in load_testset(testset):
        if not item.answerable:
            continue
        text = " ".join(_article(sources[item.id]).split())
        for evidence in item.evidence:
            assert " ".join(evidence.split()) in text, (item.id, evidence)
