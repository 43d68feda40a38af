"""Run test questions through an engine, writing predictions as it goes, and score them.

Each prediction is appended to a JSON Lines file and fsync'ed before the next question, so an
interrupted run loses at most the line being written; the next run reads the file, drops a torn
last line and asks only the questions not yet answered.
"""

from __future__ import annotations

import json
import logging
import os
import sys
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Protocol

from tqdm import tqdm

from index.errors import BadInput
from qa.metrics import EvalResult, evaluate_predictions, recall_ks
from qa.models import Answer
from qa.testset import Prediction, Question, TestItem, parse_line

log = logging.getLogger(__name__)

# Ask for at least this many passages so that recall@10 and nDCG@10 are measured on a full ranking.
MIN_RETRIEVED = 10


class AskEngine(Protocol):
    """What evaluation needs of the engine: the same `ask` that `qa ask` uses."""

    def ask(self, question: str, history: list[str], mode: str = "hybrid", k: int = 10) -> Answer: ...


def mode_path(path: Path, mode: str) -> Path:
    """The predictions file of one mode in a --compare run: preds.jsonl -> preds.hybrid.jsonl."""
    return path.with_name(f"{path.stem}.{mode}{path.suffix or '.jsonl'}")


def _last_content_line(lines: list[bytes]) -> int:
    return max((i for i, raw in enumerate(lines) if raw.strip()), default=-1)


def read_predictions(path: Path, repair: bool = False) -> dict[str, Prediction]:
    """Predictions already in `path` by id (a later line wins); {} when the file does not exist.

    A malformed last line is taken as torn by an interrupted write and skipped (with `repair`, cut
    off the file); a malformed line before it raises BadInput naming its line number.
    """
    if not path.exists():
        return {}
    data = path.read_bytes()
    lines = data.split(b"\n")
    last = _last_content_line(lines)
    predictions: dict[str, Prediction] = {}
    good_end = offset = 0
    for index, raw in enumerate(lines):
        if raw.strip():
            try:
                pred = parse_line(raw.decode("utf-8"), Prediction, f"{path}:{index + 1}")
            except (BadInput, UnicodeDecodeError) as exc:
                if index != last:
                    raise BadInput(f"{exc}; or delete {path} to start the run over") from None
                log.warning("%s:%d: dropping a torn last line (an interrupted write); it will be asked again", path, index + 1)
                break
            predictions[pred.id] = pred  # type: ignore[assignment]
        offset += len(raw) + 1
        good_end = min(offset, len(data))
    if repair:
        _truncate(path, good_end, data)
    return predictions


def _truncate(path: Path, good_end: int, data: bytes) -> None:
    """Cut `path` after its last good line and make sure it ends with a newline before appending."""
    with path.open("r+b") as handle:
        handle.truncate(good_end)
        if good_end and data[good_end - 1 : good_end] != b"\n":
            handle.seek(good_end)
            handle.write(b"\n")


def _append(handle, record: dict) -> None:
    handle.write(json.dumps(record, ensure_ascii=False) + "\n")
    handle.flush()
    os.fsync(handle.fileno())


def predict(engine: AskEngine, item: Question, mode: str, k: int) -> dict:
    """One predictions-format record; latency is the wall time of `ask`, history resolution included.

    BadInput for one question (a question the engine rejects) is recorded as an abstention with an
    `error` field, so one odd item does not stop a long run; other errors (no index, model mismatch)
    stop the run, and it resumes once they are fixed.
    """
    started = time.perf_counter()
    try:
        answer = engine.ask(item.question, list(item.history), mode=mode, k=k)
    except BadInput as exc:
        log.warning("item %s: the engine rejected it (%s); counted as an abstention", item.id, exc)
        record = {"id": item.id, "question": item.question, "answer": "", "abstained": True, "citations": [], "retrieved": [], "error": str(exc)}
    else:
        record = answer.prediction(item.id)
    record["latency_ms"] = round((time.perf_counter() - started) * 1000, 2)
    return record


def _resume(path: Path, items: Sequence[Question]) -> dict[str, Prediction]:
    wanted = {item.id: item for item in items}
    done = read_predictions(path, repair=True)
    stray = [pid for pid in done if pid not in wanted]
    if stray:
        log.warning("%s: ignoring %d predictions for ids not in the test set (first: %s)", path, len(stray), stray[0])
    done = {pid: pred for pid, pred in done.items() if pid in wanted}
    changed = [pid for pid, pred in done.items() if pred.question and pred.question != wanted[pid].question]
    if changed:
        log.warning("%s: %d predictions were made for a different question text (first: %s); delete the file to ask again", path, len(changed), changed[0])
    if done:
        log.info("%s: resuming, %d of %d items already answered", path, len(done), len(items))
    return done


def run_items(
    engine: AskEngine, items: Sequence[Question], predictions_path: Path, mode: str = "hybrid", k: int = MIN_RETRIEVED, warm_up: bool = True
) -> dict[str, Prediction]:
    """Ask every item not yet in `predictions_path`, appending each record; returns all predictions by id."""
    predictions_path.parent.mkdir(parents=True, exist_ok=True)
    done = _resume(predictions_path, items)
    pending = [item for item in items if item.id not in done]
    if pending and warm_up:
        # Untimed first question: loading the index and the model (seconds) would otherwise be
        # charged to one item and dominate latency_ms_p95 on a small set.
        try:
            engine.ask(pending[0].question, list(pending[0].history), mode=mode, k=k)
        except BadInput:  # that item is recorded as rejected below; the run must not stop on it
            pass
    with predictions_path.open("a", encoding="utf-8") as handle, tqdm(
        total=len(items), initial=len(items) - len(pending), desc=f"eval {mode}", unit="q", file=sys.stderr, disable=None
    ) as bar:
        for item in pending:
            record = predict(engine, item, mode, k)
            _append(handle, record)
            done[item.id] = Prediction.model_validate(record)
            bar.update(1)
    return done


def evaluate(
    engine: AskEngine, items: Sequence[TestItem], predictions_path: Path, mode: str = "hybrid", k: int = 5, n_resamples: int = 1000
) -> EvalResult:
    """Run (or resume) the test set through the engine in one retrieval mode and score it."""
    engine_k = max(MIN_RETRIEVED, *recall_ks(k))
    predictions = run_items(engine, items, predictions_path, mode=mode, k=engine_k)
    return evaluate_predictions(items, predictions, k=k, n_resamples=n_resamples)
