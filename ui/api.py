"""The app's public API for `gradio_client`: JSON in, JSON out, no HTML and no session state.

Each function is registered with `gr.api` under its own name ("ask", "quotes", "speakers",
"documents", "passage"). A follow-up passes its earlier questions as `history`, so a script
holds its own conversation, as `qa ask --history` does.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

import gradio as gr

from index.errors import SourceqaError
from qa.engine import Engine
from qa.quotes import find_statements, list_speakers

log = logging.getLogger(__name__)


def _user_error(exc: SourceqaError) -> gr.Error:
    # gr.Error reaches the client as the exception message; others show as a generic failure.
    return gr.Error(str(exc))


def earlier_questions(history: object) -> list[str]:
    """The earlier questions from a history given as questions, as chat pairs [question, answer]
    or as chat messages {"role": "user", "content": …}: clients send all three shapes."""
    if history is None or history == "":
        return []
    if not isinstance(history, (list, tuple)):
        raise SourceqaError(f"history must be a list of earlier questions, oldest first; got {type(history).__name__}")
    out = []
    for turn in history:
        if isinstance(turn, (list, tuple)) and turn:
            turn = turn[0]
        elif isinstance(turn, dict):
            if turn.get("role") != "user":
                continue
            turn = turn.get("content")
        if not isinstance(turn, str):
            raise SourceqaError("history must be a list of earlier questions (text), oldest first; "
                                f"one turn is {type(turn).__name__}")
        out.append(turn)
    return out


def make_api(engine: Engine) -> list[tuple[str, Callable]]:
    """(api_name, function) pairs bound to one engine."""

    def ask(question: str, history: list[str] | None = None, mode: str = "hybrid", k: int = 10) -> dict:
        """Answer a question from the indexed sources. history: earlier questions of the conversation, oldest first.
        Returns the Answer: answer text with [n] markers, short_answer, abstained, citations (with the cited span), statements, retrieved."""
        try:
            return engine.ask(question, earlier_questions(history), mode=mode, k=int(k)).model_dump(mode="json")
        except SourceqaError as exc:
            raise _user_error(exc) from None

    def quotes(name: str, about: str = "") -> dict:
        """Statements attributed to a person (fuzzy name match), direct and reported, each with its source."""
        try:
            result = find_statements(engine.quotes(), name, about or None)
        except SourceqaError as exc:
            raise _user_error(exc) from None
        titles = engine.store.titles(g.doc_id for g in result.groups)
        for group in result.groups:
            group.title = titles.get(group.doc_id, group.title)
        return result.model_dump(mode="json")

    def speakers() -> list[dict]:
        """Every speaker in the quote index with how many statements each has, most quoted first."""
        return [s.model_dump(mode="json") for s in list_speakers(engine.quotes())]

    def documents() -> list[dict]:
        """The indexed documents: id, title, author, date, source path, number of passages."""
        return [d.model_dump(mode="json") for d in engine.store.documents()]

    def passage(passage_id: str) -> dict:
        """One passage by id, with its document's title, author and date."""
        found = engine.store.passage(passage_id)
        if found is None:
            raise gr.Error(f"no passage {passage_id!r} in the index; ids look like '<doc_id>-p0003'")
        doc = engine.store.document(found.doc_id)
        meta = {"title": doc.title, "author": doc.author, "date": doc.date} if doc else {}
        return {**found.model_dump(mode="json"), **meta}

    return [("ask", ask), ("quotes", quotes), ("speakers", speakers), ("documents", documents), ("passage", passage)]


def register_api(engine: Engine) -> None:
    """Call inside a gr.Blocks context."""
    for name, fn in make_api(engine):
        gr.api(fn, api_name=name)
