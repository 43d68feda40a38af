"""Answers and conversations as HTML: pure functions of qa.models, every source text escaped.

The chat is one gr.HTML block whose clickable parts carry `data-turn` and `data-key`
attributes; a small script in ui/chat.py turns a click on them into a `cite` event. Keys name
what was clicked inside a turn: "c2" is citation [2], "s0" the first statement, "r1" the
second retrieved passage (shown when the engine abstains).
"""

from __future__ import annotations

import html
import re

from qa.models import Answer, Citation, RetrievedPassage, Statement

# "[3]" in the answer text points at citation 3.
_MARKER = re.compile(r"\[(\d+)\]")
# How many retrieved passages an abstention shows as "closest": enough to judge, few enough to read.
CLOSEST_SHOWN = 3
SNIPPET_CHARS = 220


def esc(text: object) -> str:
    """HTML-escape anything rendered from a source, a question or an answer (quotes included)."""
    return html.escape("" if text is None else str(text), quote=True)


def snippet(text: str, width: int = SNIPPET_CHARS) -> str:
    """One line of at most `width` characters, cut at a word boundary."""
    text = " ".join(text.split())
    if len(text) <= width:
        return text
    cut = text[: width - 1].rsplit(" ", 1)[0]
    return cut + "…"


def _ref_button(turn: int, key: str, label: str, tooltip: str, extra_class: str = "") -> str:
    classes = f"qa-ref {extra_class}".strip()
    return (f'<button type="button" class="{classes}" data-turn="{turn}" data-key="{esc(key)}" '
            f'title="{esc(tooltip)}">{esc(label)}</button>')


def where_label(title: str, paragraph: int, page: int | None = None) -> str:
    """'Title · p. 3 · ¶ 4' for a citation chip or tooltip."""
    parts = [title or "Untitled"]
    # No-break spaces: "¶" must not end a line with its number on the next.
    if page:
        parts.append(f"p.\u00a0{page}")
    if paragraph:
        parts.append(f"¶\u00a0{paragraph}")
    return " · ".join(parts)


def answer_text_html(answer: Answer, turn: int) -> str:
    """The answer text escaped, its [n] markers turned into buttons; markers with no citation are dropped."""
    by_number = {c.number: c for c in answer.citations}
    out, pos = [], 0
    text = answer.answer
    for match in _MARKER.finditer(text):
        out.append(esc(text[pos : match.start()]))
        cited = by_number.get(int(match.group(1)))
        if cited is not None:
            out.append(_ref_button(turn, f"c{cited.number}", f"[{cited.number}]", where_label(cited.title, cited.paragraph, cited.page), "qa-marker"))
        pos = match.end()
    out.append(esc(text[pos:]))
    return "".join(out).strip()


def _letters(text: str) -> str:
    # Punctuation, quote marks and [n] markers ignored: "“Now we are…”, said X. [1]" shows "Now we are…, said X".
    return re.sub(r"\W+", "", _MARKER.sub("", text)).lower()


def shown_in(quote: str, shown: str) -> bool:
    """Whether `quote` is already readable in `shown`, so repeating it would only add noise."""
    return bool(_letters(quote)) and _letters(quote) in _letters(shown)


def citation_item(c: Citation, turn: int, shown: str = "") -> str:
    label = where_label(c.title, c.paragraph, c.page)
    words = c.quote or c.text
    quote = "" if shown_in(words, shown) else f'<span class="qa-cite-quote">“{esc(snippet(words))}”</span>'
    return (f'<li>{_ref_button(turn, f"c{c.number}", f"[{c.number}]", "Show this passage in its document")} '
            f'<span class="qa-cite-where">{esc(label)}</span> {quote}</li>')


def statement_item(s: Statement, index: int, turn: int, numbers: set[int] = frozenset()) -> str:
    """A statement with a [n] button: its citation's key when the answer lists it, else its own ("s0")."""
    kind = "direct" if s.direct else "reported"
    who = s.surface if s.surface and s.surface != s.speaker else s.speaker
    text = f"“{esc(s.text)}”" if s.direct else esc(s.text)
    where = where_label(s.citation.title, s.citation.paragraph, s.citation.page)
    n = s.citation.number
    key, label = (f"c{n}", f"[{n}]") if n in numbers else (f"s{index}", "source")
    return (f'<li class="qa-statement"><span class="qa-badge qa-{kind}">{kind}</span> '
            f'<span class="qa-speaker">{esc(who)}</span>{" · " + esc(s.cue) if s.cue else ""}: '
            f'<span class="qa-statement-text">{text}</span> {_ref_button(turn, key, label, where, "qa-marker")}</li>')


def closest_item(r: RetrievedPassage, index: int, turn: int) -> str:
    where = where_label(r.title, r.paragraph, r.page)
    return (f'<li>{_ref_button(turn, f"r{index}", where, "Show this passage in its document", "qa-chip")} '
            f'<span class="qa-cite-quote">{esc(snippet(r.text))}</span></li>')


def _resolved_note(answer: Answer) -> str:
    resolved = (answer.resolved_question or "").strip()
    if not resolved or resolved == answer.question.strip():
        return ""
    return f'<div class="qa-resolved" title="How the follow-up was understood">Understood as: <q>{esc(resolved)}</q></div>'


def _abstention_body(answer: Answer, turn: int) -> str:
    reason = answer.abstain_reason or "the sources do not contain an answer to this question."
    reason = reason[:1].upper() + reason[1:]
    closest = "".join(closest_item(r, i, turn) for i, r in enumerate(answer.retrieved[:CLOSEST_SHOWN]))
    parts = ['<div class="qa-abstain-title">No answer in your sources</div>', f'<p class="qa-reason">{esc(reason)}</p>']
    if closest:
        parts.append(f'<div class="qa-section-title">Closest passages</div><ol class="qa-closest">{closest}</ol>')
    return "".join(parts)


def _answer_body(answer: Answer, turn: int) -> str:
    parts = []
    if answer.short_answer:
        parts.append(f'<div class="qa-short">{esc(answer.short_answer)}</div>')
    shown = answer.short_answer or ""
    if answer.statements:
        # The statements list is the answer: the answer text would repeat it as prose.
        numbers = {c.number for c in answer.citations}
        items = "".join(statement_item(s, i, turn, numbers) for i, s in enumerate(answer.statements))
        parts.append(f'<div class="qa-section-title">Statements ({len(answer.statements)})</div><ul class="qa-statements">{items}</ul>')
        shown += " ".join(s.text for s in answer.statements)
    elif answer.answer.strip():
        parts.append(f'<div class="qa-text">{answer_text_html(answer, turn)}</div>')
        shown += answer.answer
    quote = answer.citations[0].quote if answer.citations else ""
    if quote and not shown_in(quote, shown):
        parts.append(f'<blockquote class="qa-quote">{esc(quote)}</blockquote>')
        shown += quote
    if answer.citations:
        items = "".join(citation_item(c, turn, shown) for c in answer.citations)
        parts.append(f'<div class="qa-section-title">Sources</div><ol class="qa-citations">{items}</ol>')
    return "".join(parts)


def turn_html(answer: Answer, turn: int) -> str:
    """One question and its answer (or abstention), as two chat bubbles."""
    question = f'<div class="qa-msg qa-user"><div class="qa-bubble">{esc(answer.question)}</div>{_resolved_note(answer)}</div>'
    body = _abstention_body(answer, turn) if answer.abstained else _answer_body(answer, turn)
    kind = "qa-abstained" if answer.abstained else "qa-answered"
    took = f"{answer.latency_ms:.0f} ms" if answer.latency_ms < 1000 else f"{answer.latency_ms / 1000:.1f} s"
    meta = f'<div class="qa-meta">{esc(answer.mode)} retrieval · {took}</div>'
    return f'<div class="qa-turn" data-turn="{turn}">{question}<div class="qa-msg qa-bot {kind}"><div class="qa-bubble">{body}{meta}</div></div></div>'


def examples_html(examples: list[str]) -> str:
    """The empty-chat welcome with example questions to click on."""
    buttons = "".join(f'<button type="button" class="qa-example" data-example="{esc(q)}">{esc(q)}</button>' for q in examples)
    return (
        '<div class="qa-empty"><div class="qa-empty-title">Ask your sources</div>'
        '<p>Every answer cites the passage it rests on; click a citation to read it in its document. '
        'Follow-up questions ("What did he say next?") use the conversation so far.</p>'
        f'<div class="qa-examples">{buttons}</div></div>'
    )


def conversation_html(answers: list[Answer], examples: list[str] | None = None, pending: str | None = None) -> str:
    """The whole chat: example questions when empty, else every turn; `pending` shows a question being answered."""
    if not answers and pending is None:
        return f'<div class="qa-chat">{examples_html(examples or [])}</div>'
    turns = [turn_html(a, i) for i, a in enumerate(answers)]
    if pending is not None:
        turns.append(
            f'<div class="qa-turn"><div class="qa-msg qa-user"><div class="qa-bubble">{esc(pending)}</div></div>'
            '<div class="qa-msg qa-bot"><div class="qa-bubble qa-thinking">Searching your sources…</div></div></div>'
        )
    return f'<div class="qa-chat">{"".join(turns)}</div>'


def error_html(message: str) -> str:
    return f'<div class="qa-error">{esc(message)}</div>'
