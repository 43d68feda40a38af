"""The Quotes tab: find a person (fuzzy), read their statements with sources; a table of speakers.

Matching and grouping are qa.quotes; this tab loads the passages the statements sit in and
renders each statement in its passage with the statement's words marked.
"""

from __future__ import annotations

import logging

import gradio as gr

from index.errors import SourceqaError
from index.models import Passage, Quote
from qa.engine import Engine
from qa.quotes import StatementGroup, StatementsResult, find_statements, list_speakers
from ui.render import esc, where_label
from ui.source_view import highlight_spans

log = logging.getLogger(__name__)

SPEAKER_COLUMNS = ["Speaker", "Statements", "Direct", "Reported", "Docs"]


def statement_card(q: Quote, passage: Passage | None, title: str) -> str:
    """One statement: direct/reported badge, who (as the text names them) and cue, the words, and the passage around them."""
    kind = "direct" if q.direct else "reported"
    words = f"“{esc(q.text)}”" if q.direct else esc(q.text)
    where = where_label(title, passage.paragraph if passage else 0, passage.page if passage else None)
    context = ""
    if passage is not None and passage.start <= q.start and q.end <= passage.end:
        span = (q.start, q.end)
        context = f'<div class="qa-statement-ctx">{highlight_spans(passage.text, passage.start, (0, 0), span)}</div>'
    return (
        f'<div class="qa-statement-card"><span class="qa-badge qa-{kind}">{kind}</span> '
        f'<span class="qa-speaker">{esc(q.surface or q.speaker)}</span>{" · " + esc(q.cue) if q.cue else ""}'
        f'<span class="qa-statement-text">{words}</span>'
        f'<div class="qa-statement-src">{esc(where)} · <code>{esc(q.passage_id)}</code></div>{context}</div>'
    )


def speaker_html(speaker: str, groups: list[StatementGroup], passages: dict[str, Passage], titles: dict[str, str]) -> str:
    """One speaker: counts, then their statements document by document, as each document names them."""
    quotes = [q for g in groups for q in g.quotes]
    direct = sum(q.direct for q in quotes)
    parts = [f'<div class="qa-speaker-head"><span class="qa-speaker-name">{esc(speaker)}</span>'
             f'<span class="qa-speaker-counts">{len(quotes)} statements ({direct} direct, {len(quotes) - direct} reported) '
             f'in {len(groups)} document(s)</span></div>']
    for g in groups:
        named = [s for s in g.surfaces if s != speaker]
        aliases = f' · named as {esc(", ".join(named))}' if named else ""
        parts.append(f'<div class="qa-aliases"><b>{esc(titles.get(g.doc_id) or g.title or g.doc_id)}</b>{aliases}</div>')
        parts += [statement_card(q, passages.get(q.passage_id), titles.get(q.doc_id, "")) for q in g.quotes]
    return "".join(parts)


def results_html(result: StatementsResult, passages: dict[str, Passage], titles: dict[str, str]) -> str:
    if not result.groups:
        tip = f" Did you mean: {', '.join(result.suggestions)}?" if result.suggestions else " The speakers table lists everyone quoted."
        return f'<div class="qa-hint">{esc((result.message or "No statements found.") + tip)}</div>'
    speakers = list(dict.fromkeys(g.speaker for g in result.groups))
    body = "".join(speaker_html(s, [g for g in result.groups if g.speaker == s], passages, titles) for s in speakers)
    return f'<div class="qa-quote-results">{body}</div>'


class QuotesTab:
    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    def speakers(self) -> list[list]:
        return [[s.speaker, s.count, s.direct, s.reported, s.documents] for s in list_speakers(self.engine.quotes())]

    def search(self, name: str, about: str):
        name = (name or "").strip()
        if not name:
            return '<div class="qa-hint">Type a name: a surname is enough, and spelling need not be exact.</div>'
        try:
            result = find_statements(self.engine.quotes(), name, (about or "").strip() or None)
        except SourceqaError as exc:
            return f'<div class="qa-error">{esc(exc)}</div>'
        store = self.engine.store
        quotes = [q for g in result.groups for q in g.quotes]
        passages = {p.id: p for p in (store.passage(pid) for pid in {q.passage_id for q in quotes}) if p}
        return results_html(result, passages, store.titles(q.doc_id for q in quotes))

    def pick(self, rows, evt: gr.SelectData):
        """A click on a speaker row searches for that speaker."""
        row = evt.index[0] if isinstance(evt.index, (list, tuple)) else evt.index
        try:
            name = rows.iloc[row, 0] if hasattr(rows, "iloc") else rows[row][0]
        except (IndexError, KeyError, TypeError):
            return gr.skip(), gr.skip()
        return name, self.search(name, "")

    def build(self) -> None:
        with gr.Row(equal_height=False):
            with gr.Column(scale=3):
                with gr.Row():
                    name = gr.Textbox(label="Person", placeholder="e.g. Chemezov, or the head of Rostec", scale=3, max_lines=1, elem_id="qa-person")
                    about = gr.Textbox(label="About (optional)", placeholder="a topic, e.g. the contract", scale=2, max_lines=1)
                    search = gr.Button("Find statements", variant="primary", scale=1, elem_id="qa-find")
                results = gr.HTML('<div class="qa-hint">Search a person, or click a speaker in the table.</div>', elem_id="qa-quote-results")
            with gr.Column(scale=2, min_width=300):
                table = gr.Dataframe(headers=SPEAKER_COLUMNS, value=[], interactive=False, label="Speakers", elem_id="qa-speakers",
                                     column_widths=["38%", "18%", "13%", "17%", "14%"])
        for trigger in (name.submit, search.click):
            trigger(self.search, [name, about], [results], api_visibility="undocumented")
        table.select(self.pick, [table], [name, results], api_visibility="undocumented")
        self.table = table
        self.on_load = (self.speakers, [], [table])
