"""The engine: one per process, built in the entry point and passed down.

It holds the open index and (lazily) the embedding model, reloads the index when a writer
publishes a new generation, and answers questions. Nothing is loaded at import time.
"""

from __future__ import annotations

import logging
import os
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import numpy as np

from index.embed import ENV_BACKEND, Embedder, SentenceEmbedder
from index.layout import OpenIndex, open_index
from index.manifest import MANIFEST
from index.models import Quote
from index.store import Store
from qa.answer import build_answer
from qa.followup import describe_turn, resolve
from qa.models import Answer, Citation, RetrievalMode, RetrievedPassage
from qa.question import clean_question
from qa.retrieve import retrieve
from qa.terms import TermMatcher

log = logging.getLogger(__name__)

MAX_K = 100


def default_index_dir() -> Path:
    """$SOURCEQA_INDEX, else the per-user data directory (~/.local/share/sourceqa/index on Linux)."""
    env = os.environ.get("SOURCEQA_INDEX")
    if env:
        return Path(env).expanduser()
    from platformdirs import user_data_dir

    return Path(user_data_dir("sourceqa")) / "index"


class Engine:
    def __init__(self, index_dir: Path, model: str | None = None,
                 embedder_factory: Callable[[str], Embedder] | None = None) -> None:
        self.index_dir = index_dir
        self._model = model
        self._factory = embedder_factory or _query_embedder
        self._embedder: Embedder | None = None
        self._terms: TermMatcher | None = None
        self._lock = threading.RLock()
        self._quotes_lock = threading.Lock()
        self._pinned = threading.local()
        self._stamp = self._manifest_stamp()  # before opening: a publish in between is seen next time
        self._index = open_index(index_dir, model)
        self._quotes: tuple[str, list[Quote]] | None = None
        self._turn_cache: dict[tuple, Answer] = {}

    # ---- resources -------------------------------------------------------------------------

    def _manifest_stamp(self) -> tuple[int, int] | None:
        try:
            st = (self.index_dir / MANIFEST).stat()
        except FileNotFoundError:
            return None
        return (st.st_mtime_ns, st.st_ino)

    @property
    def index(self) -> OpenIndex:
        """The live generation; a newer one published by `qa index` is picked up between questions."""
        pinned = getattr(self._pinned, "index", None)
        if pinned is not None:
            return pinned
        with self._lock:
            stamp = self._manifest_stamp()
            if stamp != self._stamp:
                log.info("index %s changed on disk; reloading", self.index_dir)
                fresh = open_index(self.index_dir, self._model)
                self._index, self._stamp = fresh, stamp
                # the old generation's connection is left to the garbage collector: another
                # thread may be halfway through a question on it.
            return self._index

    @contextmanager
    def pinned(self) -> Iterator[OpenIndex]:
        """One generation for everything a question reads in this thread.

        A question reads the index several times (retrieve, sentences, entities); were a new
        generation picked up between two reads, passages of one would be looked up in the other.
        """
        if getattr(self._pinned, "index", None) is not None:  # nested: keep the outer pin
            yield self._pinned.index
            return
        self._pinned.index = self.index
        try:
            yield self._pinned.index
        finally:
            self._pinned.index = None

    @property
    def store(self) -> Store:
        return self.index.store

    @property
    def embedder(self) -> Embedder:
        with self._lock:
            if self._embedder is None:
                self._embedder = self._factory(self.index.manifest.model.name)
                _warn_backend(self.index.manifest.model.backends, getattr(self._embedder, "backend", None))
            return self._embedder

    def embed_query(self, text: str) -> np.ndarray:
        return self.embedder.encode([text])[0]

    @property
    def terms(self) -> TermMatcher:
        """Finds a question's asked words in evidence, paraphrases included (word vectors cached)."""
        with self._lock:
            if self._terms is None:
                self._terms = TermMatcher(lambda words: self.embedder.encode(words))
            return self._terms

    def quotes(self) -> list[Quote]:
        """The quote index with speakers merged across documents, cached per generation. The
        merge (0.2 s for BBC's 14,496 quotes, more on larger collections) has a lock of its own:
        other questions go on meanwhile, and a second caller waits for the merge under way
        instead of repeating it."""
        from qa.quotes import merge_speakers

        generation = self.index.manifest.generation
        cached = self._quotes
        if cached is not None and cached[0] == generation:
            return cached[1]
        with self._quotes_lock:
            cached = self._quotes
            if cached is None or cached[0] != generation:
                cached = self._quotes = (generation, merge_speakers(self.index.store.quotes()))
            return cached[1]

    def warm_up(self) -> threading.Thread:
        """Load the embedding model and merge the quote index in the background, so the first
        question (often "What did X say?") does not wait for them. Failures are left for that
        question to report: a broken index says what to run when it is used."""

        def work() -> None:
            try:
                self.embed_query("warm up")
                self.quotes()
            except Exception:  # noqa: BLE001 - reported by the first question instead
                log.debug("warm-up failed", exc_info=True)

        thread = threading.Thread(target=work, name="sourceqa-warm-up", daemon=True)
        thread.start()
        return thread

    def resolve_followup(self, question: str, history: list[str]) -> str:
        """The question made self-contained using the earlier turns (each answered once, cached)."""
        turns = []
        for i in range(len(history)):
            earlier = self._turn_answer(tuple(history[: i + 1]))
            # the index's usual label of the name, else the kind of thing it answered as: "Anoeta",
            # a stadium found after the noun "stadium", is no entity of the index. Not a person:
            # "he" or "she" follows only a name the index knows as one ("Federations" was not).
            entity = None
            if earlier.short_answer:
                found_as = earlier.short_answer_label if earlier.short_answer_label != "PERSON" else None
                entity = (earlier.short_answer, self._label_of(earlier.short_answer) or found_as or "")
            if earlier.statements:
                entity = (earlier.statements[0].speaker, "PERSON")
            turns.append(describe_turn(earlier.resolved_question, entity, self.store.entity_label))
        return resolve(question, turns, self._quoted)

    def _quoted(self, name: str) -> bool:
        """Whether the quote index holds statements by the name."""
        from qa.quotes import find_statements

        return bool(find_statements(self.quotes(), name).groups)

    def last_citations(self, history: list[str]) -> list[Citation]:
        """What the last earlier turn was answered with (nothing if it abstained)."""
        if not history:
            return []
        last = self._turn_answer(tuple(history))
        return list(last.citations) + [s.citation for s in last.statements]

    def _label_of(self, name: str) -> str:
        """The usual label of a name; a name completed from the document ("Mousa" named "Baha
        Mousa" in full) may be stored only by its last word."""
        return self.store.entity_label(name) or self.store.entity_label(name.split()[-1]) or ""

    def _turn_answer(self, turns: tuple[str, ...]) -> Answer:
        key = (self.index.manifest.generation, turns)
        with self._lock:
            cached = self._turn_cache.get(key)
        if cached is None:
            cached = build_answer(self, turns[-1], list(turns[:-1]), "hybrid", 10)
            with self._lock:
                if len(self._turn_cache) > 256:
                    self._turn_cache.clear()
                self._turn_cache[key] = cached
        return cached

    # ---- questions -------------------------------------------------------------------------

    def retrieve(self, question: str, mode: RetrievalMode = "hybrid", k: int = 10) -> list[RetrievedPassage]:
        question = clean_question(question)
        k = _check_k(k)
        with self.pinned() as index:
            _check_not_empty(index, self.index_dir)
            vec = self.embed_query(question) if mode != "bm25" else None
            return retrieve(index, question, vec, mode, k)

    def ask(self, question: str, history: list[str] | None = None, mode: RetrievalMode = "hybrid", k: int = 10) -> Answer:
        started = time.perf_counter()
        question = clean_question(question)
        history = [clean_question(h) for h in history or [] if h.strip()]
        with self.pinned() as index:
            _check_not_empty(index, self.index_dir)
            answer = build_answer(self, question, history, mode, _check_k(k))
        answer.latency_ms = (time.perf_counter() - started) * 1000
        return answer

    def close(self) -> None:
        self._index.close()


def _query_embedder(name: str) -> Embedder:
    """The embedder for answering: one torch thread unless $SOURCEQA_QUERY_THREADS says otherwise."""
    return SentenceEmbedder(name, threads=int(os.environ.get("SOURCEQA_QUERY_THREADS", "1")))


def _check_not_empty(index: OpenIndex, index_dir: Path) -> None:
    """An index whose documents were all removed answers nothing: say so, rather than "the
    sources don't say", which reads as if they had been searched."""
    from index.errors import BadInput

    if not index.manifest.documents:
        raise BadInput(f"the index at {index_dir} holds no documents (all were removed); "
                       f"add sources with: qa index PATH --index {index_dir}")


def _check_k(k: int) -> int:
    from index.errors import BadInput

    if not 1 <= k <= MAX_K:
        raise BadInput(f"k of {k} is out of range; pass -k between 1 and {MAX_K}")
    return k


def open_engine(index_dir: str | Path | None = None, model: str | None = None) -> Engine:
    return Engine(Path(index_dir).expanduser() if index_dir else default_index_dir(), model)


def _warn_backend(indexed: list[str], querying: str | None) -> None:
    """Questions embedded by another backend than the passages still work, but cosines shift a
    little (int8 by about 0.01), and abstention thresholds were calibrated on matching vectors."""
    if indexed and querying and querying not in indexed:
        log.warning("the index was embedded with the %s backend, questions with %s; set %s=%s to match",
                    "/".join(indexed), querying, ENV_BACKEND, indexed[-1])
