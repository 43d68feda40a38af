"""The sources panel: a cited passage shown in its document, the cited words in <mark>.

Pure functions: the caller loads the `Document` from the store and passes it in. Context is
cut at paragraph boundaries (the same blank-line blocks the index numbers), so "¶ 4" here is
the "¶ 4" of the citation.
"""

from __future__ import annotations

from pydantic import BaseModel, Field

from index.chunking import paragraph_spans
from index.models import Document
from qa.models import Answer
from ui.render import CLOSEST_SHOWN, esc, where_label

# Paragraphs shown either side of the cited one: enough to see who is speaking and why.
CONTEXT_PARAGRAPHS = 2
# A whole document is offered below the context up to this size (a long news article is ~20k chars).
WHOLE_DOCUMENT_CHARS = 80_000


class SourceTarget(BaseModel):
    """What the panel shows: one passage, and the span inside it to mark (empty span: mark nothing)."""

    label: str = Field(description="'[2]', 'Statement', 'Closest passage'.")
    doc_id: str
    passage_id: str
    text: str
    start: int = 0
    end: int = 0
    doc_start: int = 0
    title: str = ""
    paragraph: int = 0
    page: int | None = None


def target_of(answer: Answer, key: str) -> SourceTarget | None:
    """The passage a chat key names: 'c2' citation [2], 's0' statement 0, 'r1' retrieved passage 1."""
    kind, _, number = key[:1], None, key[1:]
    if not number.isdigit():
        return None
    n = int(number)
    if kind == "c":
        found = next((c for c in answer.citations if c.number == n), None)
        return None if found is None else SourceTarget(label=f"[{n}]", **found.model_dump(include=_FIELDS))
    if kind == "s" and n < len(answer.statements):
        cited = answer.statements[n].citation
        return SourceTarget(label="Statement", **cited.model_dump(include=_FIELDS))
    if kind == "r" and n < len(answer.retrieved):
        r = answer.retrieved[n]
        return SourceTarget(label="Closest passage", end=0, **r.model_dump(include=_FIELDS - {"start", "end"}))
    return None


_FIELDS = {"doc_id", "passage_id", "text", "start", "end", "doc_start", "title", "paragraph", "page"}


def metadata_line(doc: Document | None, target: SourceTarget) -> str:
    """'Author · 2020-08-24 · ¶ 4 · p. 2': what a journalist needs to cite the source in turn."""
    parts = []
    if doc is not None and doc.author:
        parts.append(doc.author)
    if doc is not None and doc.date:
        parts.append(doc.date)
    if target.page:
        parts.append(f"p. {target.page}")
    if target.paragraph:
        parts.append(f"¶ {target.paragraph}")
    return " · ".join(parts)


def highlight_spans(text: str, base: int, focus: tuple[int, int], mark: tuple[int, int]) -> str:
    """text (starting at document offset `base`) as escaped HTML, `focus` shaded and `mark` in <mark>."""
    end = base + len(text)
    cuts = sorted({base, end, *(min(max(x, base), end) for x in (*focus, *mark))})
    out = []
    for a, b in zip(cuts, cuts[1:]):
        piece = esc(text[a - base : b - base])
        if mark[0] <= a and b <= mark[1] and mark[0] < mark[1]:
            out.append(f'<mark class="qa-cited">{piece}</mark>')
        elif focus[0] <= a and b <= focus[1]:
            out.append(f'<span class="qa-focus">{piece}</span>')
        else:
            out.append(piece)
    return "".join(out)


def _paragraphs_html(doc: Document, spans: list[tuple[int, int]], focus: tuple[int, int], mark: tuple[int, int]) -> str:
    rows = []
    for number, (start, end) in spans:
        body = highlight_spans(doc.text[start:end], start, focus, mark)
        cls = "qa-para qa-para-cited" if start < focus[1] and focus[0] < end else "qa-para"
        rows.append(f'<p class="{cls}"><span class="qa-pnum">¶ {number}</span>{body}</p>')
    return "".join(rows)


def context_html(doc: Document, target: SourceTarget, radius: int = CONTEXT_PARAGRAPHS) -> str:
    """The cited passage with `radius` paragraphs either side, or the passage alone if the document moved on."""
    focus = (target.doc_start, target.doc_start + len(target.text))
    if doc.text[focus[0] : focus[1]] != target.text:
        # The document was re-indexed with other text since this answer: show what was cited.
        return highlight_spans(target.text, 0, (0, len(target.text)), (target.start, target.end))
    mark = (target.doc_start + target.start, target.doc_start + target.end)
    numbered = list(enumerate(paragraph_spans(doc.text), start=1))
    hit = next((i for i, (_, (s, e)) in enumerate(numbered) if s <= focus[0] < e or s >= focus[0]), 0)
    window = numbered[max(0, hit - radius) : hit + radius + 1]
    html = _paragraphs_html(doc, window, focus, mark)
    if len(numbered) > len(window) and len(doc.text) <= WHOLE_DOCUMENT_CHARS:
        whole = _paragraphs_html(doc, numbered, focus, (0, 0))
        html += f'<details class="qa-whole"><summary>Whole document ({len(numbered)} paragraphs)</summary>{whole}</details>'
    return html


def source_html(target: SourceTarget | None, doc: Document | None, top: str = "") -> str:
    """The whole panel for one target; a hint when nothing is selected yet.

    `top` (what the sources are for, the chips) stays pinned with the title and metadata while
    the document text scrolls beneath, so the reader always knows what they are reading.
    """
    if target is None:
        hint = ('<div class="qa-source-empty">Click a citation such as <span class="qa-ref-sample">[1]</span> '
                "to read the passage in its document, with the cited words highlighted.</div>")
        return f'<div class="qa-source">{f"<div class=qa-panel-top>{top}</div>" if top else ""}{hint}</div>'
    title = (doc.title if doc is not None and doc.title else target.title) or "Untitled"
    meta = " · ".join(x for x in (metadata_line(doc, target), f"{target.doc_id} / {target.passage_id}") if x)
    if doc is not None:
        body, missing = context_html(doc, target), ""
    else:
        body = highlight_spans(target.text, 0, (0, len(target.text)), (target.start, target.end))
        missing = '<div class="qa-warn">This document is no longer in the index; showing the passage as cited.</div>'
    return (
        f'<div class="qa-source"><div class="qa-panel-top">{top}<div class="qa-source-head">'
        f'<span class="qa-source-label">{esc(target.label)}</span><span class="qa-source-title">{esc(title)}</span>'
        f'<div class="qa-source-meta">{esc(meta)}</div></div></div>'
        f'{missing}<div class="qa-source-body">{body}</div></div>'
    )


def chips_html(answer: Answer, turn: int, active: str = "") -> str:
    """The sources of one answer as a row of buttons above the panel, the shown one highlighted."""
    chips = [(f"c{c.number}", f"[{c.number}]", c.title, c.paragraph) for c in answer.citations]
    if answer.abstained:
        chips = [(f"r{i}", f"#{i + 1}", r.title, r.paragraph) for i, r in enumerate(answer.retrieved[:CLOSEST_SHOWN])]
    # Short labels ("[2] ¶ 4") keep the row on one line; the title is in the tooltip and the panel.
    buttons = "".join(
        f'<button type="button" class="qa-ref qa-chip{" qa-active" if key == active else ""}" data-turn="{turn}" '
        f'data-key="{esc(key)}" title="{esc(where_label(title, para))}">{esc(label)}'
        f'{f" <span>¶&#160;{para}</span>" if para else ""}</button>'
        for key, label, title, para in chips
    )
    return f'<div class="qa-chips">{buttons}</div>' if buttons else ""
