"""Test-set loading: the DESIGN.md format, line-numbered errors, kind/answerable consistency."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from index.errors import BadInput
from qa.cli import main
from qa.testset import TestItem, load_testset, parse_testset

DEV_SET = Path("/work/shared/testsets/seeds-dev.jsonl")

GOOD = {"id": "dev07", "question": "What did Ismail Demir say?", "kind": "quote", "answerable": True,
        "answers": ["Turkey will launch the S-400 alone"], "evidence": ["Turkey will launch the S-400 alone"], "history": []}


def lines(*records) -> list[str]:
    return [r if isinstance(r, str) else json.dumps(r) for r in records]


def test_good_item_with_extra_fields_and_missing_history():
    record = {k: v for k, v in GOOD.items() if k != "history"} | {"source": "hand-written", "difficulty": 3}
    [it] = parse_testset(lines(record))
    assert it.history == [] and it.kind == "quote"
    assert it.model_extra == {"source": "hand-written", "difficulty": 3}


def test_numeric_id_and_blank_lines_are_accepted():
    items = parse_testset(["", json.dumps(GOOD | {"id": 7}), "   "])
    assert [i.id for i in items] == ["7"]


def test_dev_set_loads():
    if not DEV_SET.exists():
        pytest.skip("shared dev set not present")
    items = load_testset(DEV_SET)
    assert len(items) == len([l for l in DEV_SET.read_text().splitlines() if l.strip()])
    followups = [i for i in items if i.kind == "followup"]
    assert followups and all(i.history for i in followups)
    assert all(not i.answerable and not i.answers for i in items if i.kind == "unanswerable")


@pytest.mark.parametrize(
    "bad, reason",
    [
        ('{"id": "x", "question": "q", "kind": "factoid", "answers": ["a"]', "not valid JSON"),
        ('["a list"]', "expected a JSON object"),
        (json.dumps({k: v for k, v in GOOD.items() if k != "question"}), "question"),
        (json.dumps(GOOD | {"kind": "opinion"}), "kind"),
        (json.dumps(GOOD | {"answers": []}), "needs at least one"),
        (json.dumps(GOOD | {"answers": ["  "]}), "needs at least one"),
        (json.dumps(GOOD | {"kind": "unanswerable"}), '"answerable": false'),
        (json.dumps(GOOD | {"kind": "unanswerable", "answerable": False}), 'no "answers"'),
        (json.dumps(GOOD | {"history": [1, 2]}), "history"),
        (json.dumps(GOOD | {"id": "dev01"}), "already used on line 2"),
    ],
)
def test_malformed_line_is_reported_with_its_number(bad, reason):
    good2 = json.dumps(GOOD | {"id": "dev01"})
    with pytest.raises(BadInput) as caught:
        parse_testset(["", good2, bad], "set.jsonl")
    message = str(caught.value)
    assert message.startswith("set.jsonl:3: ") and reason in message
    assert caught.value.exit_code == 2


def test_unanswerable_item_shape():
    it = TestItem.model_validate({"id": "u", "question": "q?", "kind": "unanswerable", "answerable": False})
    assert it.answers == [] and it.evidence == []


def test_missing_and_empty_files(tmp_path):
    with pytest.raises(BadInput, match="no such test set"):
        load_testset(tmp_path / "nope.jsonl")
    empty = tmp_path / "empty.jsonl"
    empty.write_text("\n\n")
    with pytest.raises(BadInput, match="no items"):
        load_testset(empty)


def test_cli_exits_2_with_one_line_naming_the_line(tmp_path, capsys):
    path = tmp_path / "bad.jsonl"
    path.write_text(json.dumps(GOOD) + "\n" + '{"id": "x", "question": "q"}\n')
    assert main(["eval", str(path), "--json"]) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    err = captured.err.strip()
    assert "\n" not in err and f"{path}:2:" in err and "kind" in err
