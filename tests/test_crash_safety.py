"""Crash safety: `qa index` killed with SIGKILL mid-update, and questions asked while an update runs.

After every kill the index must load, with SQLite, FAISS and the manifest agreeing, holding either
the documents from before the update or those after it; a rerun must then complete. A reader
asking questions meanwhile must never fail and never get passages of two generations in one answer.
"""

from __future__ import annotations

import logging
import random
import signal
import subprocess
import threading
import time
from pathlib import Path

import pytest
from robustness import (FAKE_ENV, build_in_process, check_consistent, expected_doc_ids, generations, index_cmd,
                        make_corpus, write_story)

from index.embed_fake import FakeEmbedder
from index.manifest import read_manifest
from qa.engine import Engine

log = logging.getLogger(__name__)

QUESTIONS = ["What did the council decide about the harbour budget?", "Why did the union call a strike at the factory?",
             "What happened to the railway bridge after the storm?", "Who won the election?"]


def mutate(src: Path, rng: random.Random, round_: int) -> None:
    """A large update: rewrite 100 stories, delete 15, add 15 new ones."""
    existing = sorted(src.glob("s*.txt"))
    for path in rng.sample(existing, 100):
        write_story(src, int(path.stem[1:]), f"rev{round_}", rng)
    for path in rng.sample(existing, 15):
        path.unlink()
    top = max(int(p.stem[1:]) for p in src.glob("s*.txt"))
    for number in range(top + 1, top + 16):
        write_story(src, number, f"new{round_}", rng)


def _stamp(path: Path) -> tuple[int, int] | None:
    try:
        st = path.stat()
    except FileNotFoundError:
        return None
    return st.st_ino, st.st_ctime_ns


def kill_once(src: Path, ix: Path, after_start: bool, delay: float, log_file: Path) -> str:
    """Start `qa index`, SIGKILL it, check the index; returns 'old', 'new' or 'finished'."""
    before = read_manifest(ix)
    old_docs = set(before.documents)
    new_docs = expected_doc_ids(src)
    assert new_docs != old_docs
    next_gen = ix / f"g{int(before.generation[1:]) + 1:06d}"
    leftover = _stamp(next_gen)  # a killed run's directory of the same name, not yet cleaned up
    with open(log_file, "ab") as err:
        proc = subprocess.Popen(index_cmd(src, ix), env=FAKE_ENV, stdout=subprocess.DEVNULL, stderr=err)
        try:
            if not after_start:  # wait until the writer has started its new generation
                deadline = time.monotonic() + 60
                while _stamp(next_gen) in (None, leftover) and proc.poll() is None and time.monotonic() < deadline:
                    time.sleep(0.005)
            time.sleep(delay)
            finished = proc.poll() is not None
            proc.send_signal(signal.SIGKILL)
            proc.wait(timeout=30)
        finally:
            if proc.poll() is None:
                proc.kill()
                proc.wait()
    generation, docs = check_consistent(ix)
    if finished:
        assert proc.returncode == 0, log_file.read_text()[-2000:]
        assert docs == new_docs
        return "finished"
    assert docs in (old_docs, new_docs), "the index holds neither the old nor the new document set"
    if docs == old_docs:
        assert generation == before.generation
        return "old"
    return "new"


def run_kill_loop(tmp_path: Path, kills: int, seed: int, corpus: int) -> list[str]:
    """`corpus` files; each update rewrites 100 of them, about a second of work with the fake embedder."""
    src, ix, log_file = tmp_path / "src", tmp_path / "ix", tmp_path / "index.log"
    make_corpus(src, corpus, "base", seed)
    first = subprocess.run(index_cmd(src, ix), env=FAKE_ENV, capture_output=True, text=True, timeout=120)
    assert first.returncode == 0, first.stderr
    rng = random.Random(seed)
    # Time one uninterrupted update of the same size as the killed ones, so kill times can be
    # drawn from inside an update on this machine, however fast or busy it is.
    mutate(src, rng, -1)
    started = time.monotonic()
    timed = subprocess.run(index_cmd(src, ix), env=FAKE_ENV, capture_output=True, text=True, timeout=120)
    assert timed.returncode == 0, timed.stderr
    update_run = time.monotonic() - started
    outcomes = []
    for round_ in range(kills):
        mutate(src, rng, round_)
        # The first kill comes the moment the writer starts its generation (surely mid-update);
        # the others alternate between a random time after that and a random time after launch.
        if round_ == 0:
            after_start, delay = False, 0.0
        elif round_ % 2:
            after_start, delay = False, rng.uniform(0.0, 0.5 * update_run)
        else:
            after_start, delay = True, rng.uniform(0.0, update_run)
        outcomes.append(kill_once(src, ix, after_start, delay, log_file))
    rerun = subprocess.run(index_cmd(src, ix), env=FAKE_ENV, capture_output=True, text=True, timeout=120)
    assert rerun.returncode == 0, rerun.stderr
    _, docs = check_consistent(ix)
    assert docs == expected_doc_ids(src)
    assert len(generations(ix)) <= 2, f"leftover generations: {generations(ix)}"
    assert not list(ix.glob(".*.tmp")), "a half-written manifest was left behind"
    log.info("%d kills (an update takes %.1f s): %s", kills, update_run, outcomes)
    assert outcomes[0] == "old"
    return outcomes


def test_sigkill_during_update_short(tmp_path):
    run_kill_loop(tmp_path, kills=3, seed=7, corpus=200)


@pytest.mark.slow
def test_sigkill_during_update_repeatedly(tmp_path):
    outcomes = run_kill_loop(tmp_path, kills=10, seed=11, corpus=300)
    assert outcomes.count("old") >= 3, outcomes  # most kills must land inside an update


# ---- readers while an update runs ---------------------------------------------------------------


def epochs_of(answer) -> set[str]:
    """Which corpus version ('one' or 'two') each passage of the answer came from."""
    texts = [r.text for r in answer.retrieved] + [c.text for c in answer.citations]
    return {("one" if "epochone" in t else "two" if "epochtwo" in t else "?") for t in texts}


class Reader(threading.Thread):
    """Asks questions in a loop until stopped; records each answer's versions and any exception."""

    def __init__(self, engine: Engine, offset: int) -> None:
        super().__init__(daemon=True)
        self.engine, self.offset = engine, offset
        self.stop = threading.Event()
        self.seen: list[set[str]] = []
        self.errors: list[BaseException] = []

    def run(self) -> None:
        i = self.offset
        while not self.stop.is_set():
            try:
                answer = self.engine.ask(QUESTIONS[i % len(QUESTIONS)])
                self.seen.append(epochs_of(answer))
            except BaseException as exc:  # noqa: BLE001 - any failure is the finding
                self.errors.append(exc)
            i += 1


def test_readers_see_one_generation_while_indexing(tmp_path):
    src, ix = tmp_path / "src", tmp_path / "ix"
    make_corpus(src, 200, "epochone", seed=3)
    build_in_process(src, ix)
    engine = Engine(ix, embedder_factory=FakeEmbedder)
    make_corpus(src, 200, "epochtwo", seed=4)  # every file changes: the update replaces every document
    readers = [Reader(engine, offset) for offset in range(2)]
    for r in readers:
        r.start()
    try:
        update = subprocess.run(index_cmd(src, ix), env=FAKE_ENV, capture_output=True, text=True, timeout=120)
        assert update.returncode == 0, update.stderr
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline and not all(r.seen and r.seen[-1] == {"two"} for r in readers):
            time.sleep(0.05)
    finally:
        for r in readers:
            r.stop.set()
        for r in readers:
            r.join(timeout=30)
    engine.close()
    for r in readers:
        assert not r.errors, repr(r.errors[:3])
        assert all(len(s) == 1 and s != {"?"} for s in r.seen), [s for s in r.seen if len(s) != 1][:3]
        assert {"one"} in r.seen and r.seen[-1] == {"two"}
    log.info("answers during the update: %d", sum(len(r.seen) for r in readers))


def test_a_publish_mid_question_does_not_mix_generations(tmp_path):
    """The update lands between retrieval and sentence scoring of one question (deterministically)."""
    src, ix = tmp_path / "src", tmp_path / "ix"
    make_corpus(src, 40, "epochone", seed=5)
    build_in_process(src, ix)
    engine = Engine(ix, embedder_factory=FakeEmbedder)
    make_corpus(src, 40, "epochtwo", seed=6)
    live = engine.index
    search = live.store.search_bm25

    def search_then_publish(*args, **kwargs):
        found = search(*args, **kwargs)
        live.store.search_bm25 = search  # once
        build_in_process(src, ix)
        return found

    live.store.search_bm25 = search_then_publish
    answer = engine.ask(QUESTIONS[0])
    assert epochs_of(answer) == {"one"}
    assert answer.citations or answer.abstain_reason != "nothing in the sources matches the question"
    assert epochs_of(engine.ask(QUESTIONS[0])) == {"two"}  # the next question sees the new generation
    engine.close()


def test_a_rebuild_keeps_the_generation_readers_were_using(tmp_path):
    src, ix = tmp_path / "src", tmp_path / "ix"
    make_corpus(src, 20, "epochone", seed=8)
    build_in_process(src, ix)
    engine = Engine(ix, embedder_factory=FakeEmbedder)
    before = read_manifest(ix).generation
    make_corpus(src, 20, "epochtwo", seed=9)
    build_in_process(src, ix, rebuild=True)
    assert (ix / before).is_dir()  # a reader that read the old manifest a moment ago can still open it
    assert epochs_of(engine.ask(QUESTIONS[1])) == {"two"}
    engine.close()


def test_a_reader_that_read_a_stale_manifest_opens_the_live_generation(tmp_path, monkeypatch):
    """Two updates land between a reader's reading the manifest and opening its files."""
    import index.layout

    src, ix = tmp_path / "src", tmp_path / "ix"
    make_corpus(src, 10, "epochone", seed=10)
    build_in_process(src, ix)
    stale = read_manifest(ix)
    for seed, tag in ((11, "rev1"), (12, "epochtwo")):
        make_corpus(src, 10, tag, seed=seed)
        build_in_process(src, ix)
    assert not (ix / stale.generation).exists()
    reads = iter([stale])
    monkeypatch.setattr(index.layout, "read_manifest", lambda d: next(reads, None) or read_manifest(d))
    opened = index.layout.open_index(ix)
    assert opened.manifest.generation == read_manifest(ix).generation
    opened.close()
