"""A conversation as Markdown with its citations, for a journalist's notes.

Source text goes in HTML-escaped (`<` as `&lt;`): Markdown viewers render the escape as the
character, and a payload copied from a source cannot become live HTML in whatever renders the
notes later.
"""

from __future__ import annotations

import html
from datetime import datetime

from qa.models import Answer, Citation
from ui.render import where_label


def _md(text: str) -> str:
    return html.escape(text or "", quote=False)


def _blockquote(text: str) -> str:
    return "\n".join(f"> {line}" if line.strip() else ">" for line in _md(text).splitlines())


def _citation_md(c: Citation) -> str:
    where = where_label(c.title, c.paragraph, c.page)
    return f"{c.number}. {_md(where)} (`{c.doc_id}` / `{c.passage_id}`)\n{_blockquote(c.quote or c.text)}"


def turn_markdown(answer: Answer, number: int) -> str:
    lines = [f"## {number}. {_md(answer.question)}", ""]
    if answer.resolved_question and answer.resolved_question.strip() != answer.question.strip():
        lines += [f"*Understood as:* {_md(answer.resolved_question)}", ""]
    if answer.abstained:
        lines += [f"**No answer in the sources.** {_md(answer.abstain_reason or '')}".rstrip(), ""]
        closest = [f"- {_md(where_label(r.title, r.paragraph, r.page))}: {_md(r.text)}" for r in answer.retrieved[:3]]
        if closest:
            lines += ["Closest passages:", "", *closest, ""]
        return "\n".join(lines)
    if answer.short_answer:
        lines += [f"**{_md(answer.short_answer)}**", ""]
    lines += [_md(answer.answer), ""]
    for s in answer.statements:
        kind = "direct" if s.direct else "reported"
        lines.append(f"- *{kind}*, {_md(s.surface or s.speaker)}: {_md(s.text)} ({_md(where_label(s.citation.title, s.citation.paragraph, s.citation.page))})")
    if answer.statements:
        lines.append("")
    if answer.citations:
        lines += ["Sources:", "", *(_citation_md(c) + "\n" for c in answer.citations)]
    return "\n".join(lines)


def conversation_markdown(answers: list[Answer], index_name: str = "", now: datetime | None = None) -> str:
    """The whole conversation, oldest turn first."""
    stamp = (now or datetime.now()).strftime("%Y-%m-%d %H:%M")
    head = f"# Sourceqa conversation\n\n*Exported {stamp}*" + (f" *from {_md(index_name)}*" if index_name else "") + "\n"
    if not answers:
        return head + "\n(No questions asked yet.)\n"
    return head + "\n" + "\n\n".join(turn_markdown(a, i) for i, a in enumerate(answers, start=1)).rstrip() + "\n"
