"""The evaluation contract of DESIGN.md: test items, prediction records, and their JSON Lines files.

A test set is JSON Lines, one `TestItem` a line; a predictions file is JSON Lines, one
`Prediction` a line. Both accept extra fields, so files written by other tools load too. Every
malformed line is reported with its line number, so the user can open the file and fix it.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Iterable
from pathlib import Path
from typing import Any, ClassVar, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from index.errors import BadInput

log = logging.getLogger(__name__)

ItemKind = Literal["factoid", "quote", "followup", "unanswerable"]


def _as_str_id(value: Any) -> Any:
    # Hand-written sets often number their items: {"id": 7} means "7".
    return str(value) if isinstance(value, int) and not isinstance(value, bool) else value


def _as_str_list(value: Any) -> Any:
    # A missing or null list means "none"; a lone string means a list of one.
    if value is None:
        return []
    return [value] if isinstance(value, str) else value


class Question(BaseModel):
    """What the engine is asked: an id, the question, and the earlier user turns."""

    model_config = ConfigDict(extra="allow")

    id: str = Field(min_length=1, description="Unique within its test set.")
    question: str = Field(min_length=1)
    history: list[str] = Field(default_factory=list, description="Earlier user turns, oldest first.")

    _id_to_str = field_validator("id", mode="before")(_as_str_id)
    _history_list = field_validator("history", mode="before")(_as_str_list)

    @field_validator("id", "question")
    @classmethod
    def _not_blank(cls, value: str) -> str:
        if not value.strip():
            raise ValueError("must not be blank")
        return value


class TestItem(Question):
    """One test-set line: a question with its acceptable answers and verbatim evidence."""

    __test__: ClassVar[bool] = False  # not a pytest test class despite the name

    kind: ItemKind
    answerable: bool = True
    answers: list[str] = Field(default_factory=list, description="Acceptable answers; one contained in the answer is a hit.")
    evidence: list[str] = Field(default_factory=list, description="Verbatim snippets a supporting passage contains.")

    _lists = field_validator("answers", "evidence", mode="before")(_as_str_list)

    @model_validator(mode="after")
    def _consistent(self) -> "TestItem":
        if self.kind == "unanswerable" and self.answerable:
            raise ValueError('kind "unanswerable" needs "answerable": false')
        if self.answerable and not any(a.strip() for a in self.answers):
            raise ValueError('an answerable item needs at least one non-empty entry in "answers"')
        if not self.answerable and (self.answers or self.evidence):
            raise ValueError('an item with "answerable": false must have no "answers" or "evidence"')
        return self


class PredictedPassage(BaseModel):
    """A ranked passage of a prediction record; `text` is the whole passage."""

    model_config = ConfigDict(extra="allow")

    doc_id: str = ""
    passage_id: str = ""
    text: str = ""
    score: float | None = None


class PredictedCitation(BaseModel):
    """A cited passage of a prediction record; `start`/`end` delimit the cited span in `text`."""

    model_config = ConfigDict(extra="allow")

    doc_id: str = ""
    passage_id: str = ""
    text: str = ""
    start: int | None = None
    end: int | None = None


class Prediction(BaseModel):
    """One predictions-file line (DESIGN.md "Contract with evaluation")."""

    model_config = ConfigDict(extra="allow")

    id: str = Field(min_length=1)
    question: str = ""
    answer: str = ""
    abstained: bool = False
    citations: list[PredictedCitation] = Field(default_factory=list, description="Cited passages, best first.")
    retrieved: list[PredictedPassage] = Field(default_factory=list, description="Ranked passages, best first.")
    latency_ms: float | None = None

    _id_to_str = field_validator("id", mode="before")(_as_str_id)


def _reason(exc: ValidationError) -> str:
    """The first validation error as one short clause: 'answers: Input should be a valid list'."""
    err = exc.errors()[0]
    where = ".".join(str(p) for p in err["loc"])
    message = err["msg"].removeprefix("Value error, ")
    return f"{where}: {message}" if where else message


def parse_line(line: str, model: type[BaseModel], where: str) -> BaseModel:
    """One JSON Lines record validated as `model`; BadInput names `where` (path:line) and the reason."""
    try:
        data = json.loads(line)
    except json.JSONDecodeError as exc:
        raise BadInput(f"{where}: not valid JSON ({exc.msg} at column {exc.colno}); fix or remove that line") from None
    if not isinstance(data, dict):
        raise BadInput(f"{where}: expected a JSON object, got {type(data).__name__}; fix or remove that line")
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        raise BadInput(f"{where}: {_reason(exc)}; fix or remove that line") from None


def parse_testset(lines: Iterable[str], source: str = "<test set>") -> list[TestItem]:
    """Test items from JSON Lines text; blank lines are skipped, duplicate ids rejected."""
    items: list[TestItem] = []
    first_line: dict[str, int] = {}
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        item = parse_line(line, TestItem, f"{source}:{number}")
        if item.id in first_line:
            raise BadInput(f"{source}:{number}: id {item.id!r} already used on line {first_line[item.id]}; ids must be unique")
        first_line[item.id] = number
        items.append(item)  # type: ignore[arg-type]
    if not items:
        raise BadInput(f"{source}: the test set has no items; expected one JSON object per line")
    return items


def load_testset(path: str | Path) -> list[TestItem]:
    """Read and validate a test-set file; raises BadInput naming the file and line of the first bad item."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise BadInput(f"{path}: no such test set; pass the path of a JSON Lines file") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise BadInput(f"{path}: cannot read the test set ({exc}); it must be UTF-8 JSON Lines") from None
    items = parse_testset(text.splitlines(), str(path))
    log.debug("loaded %d test items from %s", len(items), path)
    return items
