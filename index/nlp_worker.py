"""Quotes and entities parsed in a second process, beside the embedding model.

Run in line, spaCy's parse of news text (about 2,000-4,000 words/s on one core) adds some 40% to
the encoder's time on 2 cores. In a child process it overlaps with embedding: while the child
parses, the encoder runs with one thread fewer, then gets all cores back once the parse is done
(the parse finishes well before the encoder). The child is started with `spawn`, not `fork`, so it
does not inherit torch's thread pool, and it streams results back in document order.
"""

from __future__ import annotations

import logging
import multiprocessing as mp
import os
import queue
import sys
import threading
import time
from collections import deque
from collections.abc import Iterator

from index.errors import SourceqaError
from index.models import Document, Entity, Passage, Quote

log = logging.getLogger(__name__)

Item = tuple[Document, list[Passage]]
Result = tuple[list[Quote], list[Entity]]
FEED_DOCS = 32  # documents per message to the child
SEND_DOCS = 8  # documents per message back
# spaCy's batch: 64 parsed BBC articles at 5,450 words/s against 4,690 at spaCy's default of 16
# (en_core_web_md, one core); larger batches gained little more (5,730 at 256) for more memory.
PIPE_BATCH = 64
POLL_SECONDS = 5.0


def cpu_count() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not Linux
        return os.cpu_count() or 1


def set_encoder_threads(n: int) -> None:
    """Threads for torch's intra-op pool, when torch is in use; a no-op otherwise."""
    torch = sys.modules.get("torch")
    if torch is not None and torch.get_num_threads() != n:
        torch.set_num_threads(n)


class InlineAnnotations:
    """Results parsed in this process as they are asked for (the stream's `nlp.pipe` keeps batching
    across document batches)."""

    def __init__(self, results: Iterator[Result]) -> None:
        self._results = results
        self.worker_seconds = 0.0

    def take(self, n: int) -> list[Result]:
        return [next(self._results) for _ in range(n)]

    def poll(self) -> None:
        pass

    def close(self) -> None:
        pass


class BackgroundAnnotations:
    """Results parsed by a child process; `take(n)` returns the next n in document order.

    A thread in this process receives the child's messages as soon as they are sent. Read only when
    the encoder asked for them, the child's sends stalled on the pipe (about 64 KB) and its end was
    heard late: on BBC the parse was over after 30 s of a 50 s business run, the encoder kept one
    thread for 50 s.
    """

    def __init__(self, nlp_name: str | None = None) -> None:
        """Start the child, which loads spaCy (about 6 s) while this process goes on: the indexer
        starts it before loading the encoder, so the two loads overlap. `feed` gives it the work."""
        ctx = mp.get_context("spawn")
        self._inbox, self._outbox = ctx.Queue(), ctx.Queue()
        self._proc = ctx.Process(target=_work, args=(self._inbox, self._outbox, nlp_name), name="sourceqa-nlp", daemon=True)
        self._proc.start()
        self._started = time.perf_counter()
        self._ready: deque[Result] = deque()
        self._arrived = threading.Condition()
        self._finished = False  # the child sent "done"
        self._failure: str | None = None
        self.name: str | None = None
        self.worker_seconds = 0.0
        self._threads = 0  # the encoder's, taken when fed (torch may not be loaded before)
        self._cores_back = False
        threading.Thread(target=self._receive_all, name="sourceqa-nlp-results", daemon=True).start()

    def feed(self, items: list[Item]) -> BackgroundAnnotations:
        """Send `items` to be parsed; the encoder has one thread fewer until they are."""
        self._threads = _torch_threads()
        set_encoder_threads(max(1, self._threads - 1))
        for i in range(0, len(items), FEED_DOCS):
            self._inbox.put(items[i : i + FEED_DOCS])
        self._inbox.put(None)
        return self

    def _receive_all(self) -> None:
        while True:
            try:
                kind, payload = self._outbox.get(timeout=POLL_SECONDS)
            except queue.Empty:
                if self._proc.is_alive():
                    continue
                kind, payload = "error", (
                    f"the NLP worker process stopped unexpectedly (exit code {self._proc.exitcode}); "
                    f"out of memory? index with --no-quotes, or fewer files at a time"
                )
            except (EOFError, OSError, ValueError):  # closed under us by close()
                return
            with self._arrived:
                if kind == "ready":
                    self.name = payload
                elif kind == "docs":
                    self._ready.extend(payload)
                elif kind == "done":
                    self.worker_seconds, self._finished = payload, True
                else:
                    self._failure = payload
                self._arrived.notify_all()
            if kind in ("done", "error"):
                return

    def take(self, n: int) -> list[Result]:
        with self._arrived:
            while len(self._ready) < n:
                if self._failure:
                    raise SourceqaError(self._failure)
                if self._finished:
                    raise SourceqaError(f"the NLP worker returned fewer documents than sent ({len(self._ready)} < {n})")
                self._arrived.wait()
            out = [self._ready.popleft() for _ in range(n)]
        self.poll()
        return out

    def poll(self) -> None:
        """Give the encoder every core back once the parse is over. Called from the encoding thread:
        torch's thread count is a per-thread OpenMP setting, so the receiving thread cannot."""
        if self._finished and self._threads and not self._cores_back:
            self._cores_back = True
            set_encoder_threads(self._threads)
            log.info("NLP worker done: %.1f s of CPU, %.1f s after it started", self.worker_seconds, time.perf_counter() - self._started)

    def close(self) -> None:
        if self._threads:
            set_encoder_threads(self._threads)
        if self._proc.is_alive():
            self._proc.terminate()
        self._proc.join(timeout=10)


def _torch_threads() -> int:
    torch = sys.modules.get("torch")
    return torch.get_num_threads() if torch is not None else cpu_count()


def _work(inbox, outbox, nlp_name: str | None) -> None:
    """The child: load spaCy, parse every document sent, send results back in order."""
    os.environ.setdefault("OMP_NUM_THREADS", "1")  # one core: the other is the encoder's
    try:
        from index.annotate import annotate_documents
        from index.nlp import load_nlp

        nlp = load_nlp(nlp_name)
    except Exception as exc:  # a missing model: tell the parent in one line
        outbox.put(("error", f"cannot load the NLP model in the worker: {exc}"))
        return
    outbox.put(("ready", f"{nlp.meta.get('lang', 'xx')}_{nlp.meta.get('name', '?')}-{nlp.meta.get('version', '?')}"))
    started = time.process_time()
    batch: list[Result] = []
    try:
        for result in annotate_documents(_received(inbox), nlp, batch_size=PIPE_BATCH):
            batch.append(result)
            if len(batch) >= SEND_DOCS:
                outbox.put(("docs", batch))
                batch = []
    except Exception as exc:  # a bug on one document must reach the parent as a message, not a hang
        log.exception("NLP worker failed")
        outbox.put(("error", f"quote and entity extraction failed in the worker: {type(exc).__name__}: {exc}"))
        return
    if batch:
        outbox.put(("docs", batch))
    outbox.put(("done", time.process_time() - started))


def _received(inbox) -> Iterator[Item]:
    while (chunk := inbox.get()) is not None:
        yield from chunk
