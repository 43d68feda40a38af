"""Twenty chat sessions at once against the served app, through gradio_client on 127.0.0.1.

Each session is a two-turn conversation: its own first question, then the same elliptical
follow-up ("And according to other sources?"), which only that session's history can resolve.
Every answer must come back within the bound and equal what a fresh engine answers to that
session alone: a reply routed to the wrong session, or a follow-up resolved against another
session's turn, shows up as a difference. Latencies (p50, p95, max) go to the log and to
tests/artifacts/concurrency.json.
"""

from __future__ import annotations

import json
import logging
import statistics
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from qa.engine import Engine
from ui_serving import serving, writable_engine

gradio_client = pytest.importorskip("gradio_client")

log = logging.getLogger(__name__)

ARTIFACT = Path(__file__).resolve().parent / "artifacts" / "concurrency.json"
SESSIONS = 20
REQUEST_TIMEOUT_S = 180  # one answer, queueing behind the 39 others included
TOTAL_TIMEOUT_S = 420
FOLLOW_UP = "And according to other sources?"
FIRST_QUESTIONS = [
    "What did Chemezov say?",
    "How much was the first S-400 contract with Turkey worth?",
    "When did Turkey buy its first batch of S-400 systems?",
    "Who is the head of the Federal Service for Military-Technical Cooperation?",
    "What is the detection range of the S-400?",
    "Which air defence system did Athens buy from Russia?",
    "What did Ismail Demir say?",
    "Why was the S-400 transaction suspended on April 30?",
    "Which news agency reported that Ankara will buy a second batch?",
    "What did the TASS military expert claim about the S-400?",
    "In which year did Russia and Turkey sign the S-400 contract?",
    "How many S-400 systems has India ordered?",
    "Who introduced a bill to sanction Turkey over the S-400?",
    "On which aircraft was the S-400 reportedly tested?",
    "When were the S-400 talks reported to be in an advanced stage?",
    "How much will the second batch of S-400 cost Turkey?",
    "Whom did the head of Rostec meet to announce the sale?",
    "Why did Washington threaten Ankara with sanctions?",
    "What did Viktor Litovkin claim?",
    "Which programme was Turkey suspended from?",
]


def session(url: str, first: str, start: threading.Barrier) -> dict:
    """One browser-like session: its own client (own session hash), two turns, each timed."""
    client = gradio_client.Client(url, verbose=False)
    start.wait(timeout=120)
    out: dict = {"first": first}
    for turn, (question, history) in enumerate([(first, []), (FOLLOW_UP, [first])]):
        t0 = time.perf_counter()
        answer = client.submit(question, history, "hybrid", 10, api_name="/ask").result(timeout=REQUEST_TIMEOUT_S)
        out[f"latency_ms_{turn}"] = (time.perf_counter() - t0) * 1000
        out[f"answer_{turn}"] = answer
    client.close()
    return out


def percentile(values: list[float], q: float) -> float:
    """Nearest-rank percentile: of 40 latencies, p95 is the 38th smallest."""
    ranked = sorted(values)
    return ranked[max(0, min(len(ranked) - 1, round(q / 100 * len(ranked) + 0.5) - 1))]


@pytest.mark.slow
def test_twenty_sessions_at_once_are_all_answered_without_cross_talk(seed_index, real_embedder, tmp_path):
    assert len(set(FIRST_QUESTIONS)) == SESSIONS
    engine = writable_engine(seed_index, tmp_path, real_embedder)
    engine.ask("What did Chemezov say?")  # warm up (model and index in memory), untimed
    start = threading.Barrier(SESSIONS)
    began = time.perf_counter()
    with serving(engine) as url, ThreadPoolExecutor(SESSIONS) as pool:
        assert url.startswith("http://127.0.0.1:")
        futures = [pool.submit(session, url, first, start) for first in FIRST_QUESTIONS]
        results = [f.result(timeout=TOTAL_TIMEOUT_S) for f in futures]
    wall_s = time.perf_counter() - began
    engine.close()

    # What each session must have got: a fresh engine (no shared caches) asked by that session alone.
    reference = Engine(engine.index_dir, embedder_factory=lambda name: real_embedder)
    resolved = set()
    for r in results:
        alone_first = reference.ask(r["first"])
        alone_follow = reference.ask(FOLLOW_UP, [r["first"]])
        got_first, got_follow = r["answer_0"], r["answer_1"]
        assert got_first["question"] == r["first"] and got_first["answer"] == alone_first.answer
        assert got_follow["question"] == FOLLOW_UP
        assert got_follow["resolved_question"] == alone_follow.resolved_question
        assert got_follow["answer"] == alone_follow.answer
        assert r["first"].rstrip("?") in got_follow["resolved_question"]  # resolved against its own history
        resolved.add(got_follow["resolved_question"])
    reference.close()
    assert len(resolved) == SESSIONS  # all different: a swap between two sessions could not hide

    latencies = [r[f"latency_ms_{t}"] for r in results for t in (0, 1)]
    figures = {
        "sessions": SESSIONS, "requests": len(latencies), "wall_s": round(wall_s, 2),
        "p50_ms": round(statistics.median(latencies), 1), "p95_ms": round(percentile(latencies, 95), 1),
        "max_ms": round(max(latencies), 1), "server": "ui.app over the seed index, real model, 127.0.0.1",
    }
    ARTIFACT.parent.mkdir(parents=True, exist_ok=True)
    ARTIFACT.write_text(json.dumps(figures, indent=2) + "\n", encoding="utf-8")
    log.info("concurrency: %s", figures)
    assert max(latencies) < REQUEST_TIMEOUT_S * 1000
