"""Answers to "What did X say (about Y)?" from the quote index: X's statements, each cited.

The quote index (built at index time) already knows who said what, including reported speech
and statements attributed by role or pronoun; this module picks X's statements, ranks them by
the topic when one is asked about, and cites each one's exact span.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

import numpy as np

from index.lexicon import TITLES
from index.models import Quote
from qa.analyze import PEOPLE, ROLE_ABBREVIATIONS, QuestionAnalysis
from qa.models import Answer, Citation, RetrievedPassage, Statement
from qa.retrieve import dense_cosines

if TYPE_CHECKING:
    from qa.engine import Engine

MAX_STATEMENTS = 6
MIN_TOPIC_COSINE = 0.2  # below this a statement is not about the topic asked
SHORTLIST = 30  # statements re-ranked by their own embedding, after a first cut by passage vectors


def statements_answer(engine: "Engine", analysis: QuestionAnalysis, answer: Answer, quotes: list[Quote]) -> None:
    """Fill `answer` with the speaker's statements, from `quotes` (speaker_quotes, not empty)."""
    if analysis.occasion:
        quotes = _of_retrieved_documents(quotes, answer.retrieved)
        if not analysis.topic:
            # "What did Blair say in response to Howard's claim…?": the statements of the passage
            # telling that occasion ("The premier was responding to a challenge from…") first
            quotes = by_passage(engine, quotes, engine.embed_query(analysis.occasion))
    quotes = rank_by_topic(engine, _distinct(quotes), analysis.topic or "", analysis.text)[:MAX_STATEMENTS]
    passages = {p.id: p for p in (engine.store.passage(q.passage_id) for q in quotes) if p}
    titles = engine.store.titles(q.doc_id for q in quotes)
    statements = []
    for number, q in enumerate(quotes, start=1):
        p = passages[q.passage_id]
        citation = Citation(number=number, doc_id=q.doc_id, passage_id=q.passage_id, text=p.text,
                            start=q.start - p.start, end=q.end - p.start, title=titles.get(q.doc_id, ""),
                            paragraph=p.paragraph, page=p.page, doc_start=p.start)
        statements.append(Statement(speaker=q.speaker, surface=q.surface, text=q.text, direct=q.direct, cue=q.cue,
                                    citation=citation))
    answer.statements = statements
    answer.citations = [s.citation for s in statements]
    answer.short_answer = None
    answer.answer = render_statements(statements)
    answer.retrieved = _statement_passages_first(answer.retrieved, statements)


# A topic written as a name: "Patrick Vieira", "Manchester United", "the EU".
_NAME_TOPIC = re.compile(r"(?:the\s+)?[A-Z][\w'’.&-]*(?:\s+(?:of\s+|de\s+)?[A-Z][\w'’.&-]*){0,3}")


def unnamed_topic(engine: "Engine", analysis: QuestionAnalysis, quotes: list[Quote]) -> str | None:
    """Why to abstain when the speaker is quoted but never beside a mention of the topic asked
    about: "What did Arsene Wenger say about Patrick Vieira?" would otherwise list what he said
    of Almunia and Toure, the statements nearest a name by embedding (cosine 0.2-0.3). Only a
    topic written as a name is checked, by its last word ("Vieira"), in the statement's
    paragraph and the ones either side (a quote often names its subject only as "he"; an
    Arsenal report names Vieira somewhere whatever Wenger speaks of). None when the check does
    not apply."""
    topic = (analysis.topic or "").strip(" ?.!,")
    if not topic or not _NAME_TOPIC.fullmatch(topic):
        return None
    last = re.sub(r"['’]s?$", "", topic.split()[-1])  # "Chelsea's" -> "Chelsea"; "Jones" stays
    if len(last) < 3:
        return None
    named = re.compile(rf"(?<![\w-]){re.escape(last)}(?![\w-])")
    for doc_id in dict.fromkeys(q.doc_id for q in quotes):
        passages = engine.store.passages_of(doc_id)
        naming = {p.ordinal for p in passages if named.search(p.text)}
        ordinal = {p.id: p.ordinal for p in passages}
        if any(naming & {ordinal[q.passage_id] - 1, ordinal[q.passage_id], ordinal[q.passage_id] + 1}
               for q in quotes if q.doc_id == doc_id and q.passage_id in ordinal):
            return None
    return f"{analysis.speaker} is quoted, but never beside a mention of {topic}"


def _of_retrieved_documents(quotes: list[Quote], retrieved: list[RetrievedPassage]) -> list[Quote]:
    """For "What did X say after beating Agassi?": the statements in the documents the whole
    question retrieved (the report of that event), in reading order; all of them if none is."""
    docs = {p.doc_id for p in retrieved}
    return [q for q in quotes if q.doc_id in docs] or quotes


def _distinct(quotes: list[Quote]) -> list[Quote]:
    """One of each statement: news collections hold the same story twice (an update, a
    syndicated copy), and a reader wants the statement once. The first, in reading order, stays."""
    seen: set[tuple[str, str]] = set()
    out = []
    for q in quotes:
        key = (q.speaker.lower(), " ".join(q.text.lower().split()))
        if key not in seen:
            seen.add(key)
            out.append(q)
    return out


def speaker_quotes(engine: "Engine", name: str, topic: str | None) -> list[Quote]:
    try:
        from qa.quotes import find_statements
    except ImportError:
        return []
    # "Karen Walsh of the UK National Tremor Foundation" is quoted as "Karen Walsh": the whole
    # name first (so "Bank of England" stays whole), then the part before "of".
    # "Real Madrid's Emilio Butragueno" is quoted as "Emilio Butragueno": last, the part after
    # an owner's "'s".
    # "Lib Dem MP Lembit Opik", "BCC director general David Frost" are quoted by the name after
    # the role, tried before the part before "of" ("British Chamber", an organisation's words).
    candidates = [name, name_after_role(name), without_titles(name), re.split(r"\s+of\s+(?:the\s+)?", name)[0],
                  after_owner(name)]
    for candidate in dict.fromkeys(c for c in candidates if c):
        result = find_statements(engine.quotes(), candidate)
        if result.groups:
            return [q for group in result.groups for q in group.quotes]
    return []


def after_owner(name: str) -> str:
    """The name after an owner's possessive: "Emilio Butragueno" of "Real Madrid's Emilio
    Butragueno", "Dominic Grieve" of "the Tories' Dominic Grieve"; the name itself without one."""
    return re.split(r"['’]s\s+|(?<=s)['’]\s+", name, maxsplit=1)[-1]


def without_titles(name: str) -> str:
    """The name without the titles before it: "Desmond Tutu" of "Archbishop Desmond Tutu"."""
    words = name.split()
    while len(words) > 1 and words[0].lower().rstrip(".") in TITLES:
        words.pop(0)
    return " ".join(words)


def name_after_role(name: str) -> str | None:
    """The proper name after the last role word of a described speaker: "Sam Endicott" of
    "The Bravery's singer Sam Endicott", "Lembit Opik" of "Lib Dem MP Lembit Opik"."""
    words = name.split()
    # ("singer-songwriter Lucie Silvas": a role of two joined)
    roles = [i for i, w in enumerate(words) if any(part in PEOPLE for part in w.lower().split("-"))
             or w.lower() == "member" or w in ROLE_ABBREVIATIONS]
    if not roles:
        return None
    rest = words[roles[-1] + 1 :]
    if not rest or len(rest) > 4 or not all(w[:1].isupper() for w in rest):
        return None
    return " ".join(rest)


def rank_by_topic(engine: "Engine", quotes: list[Quote], topic: str, question: str) -> list[Quote]:
    """By relevance to the topic when one is asked about (off-topic ones dropped unless nothing
    is on topic); otherwise in reading order, direct quotes of each passage first."""
    if not topic:
        return quotes
    tvec = engine.embed_query(topic)
    quotes = _shortlist(engine, quotes, tvec)
    vecs = engine.embedder.encode([q.text for q in quotes] + [_with_lead_in(engine, q) for q in quotes])
    # a statement is about the topic in its own words or in the sentence leading to it: "This is
    # like letting a serial killer go…" after "…the US turned a blind eye to Abdul Qadeer Khan…"
    sims = np.maximum(vecs[: len(quotes)] @ tvec, vecs[len(quotes) :] @ tvec)
    order = np.argsort(-sims)
    ranked = [quotes[i] for i in order if sims[i] >= MIN_TOPIC_COSINE]
    if not ranked:
        return [quotes[i] for i in order]
    return with_same_report(ranked, quotes)


# The end of a sentence: its closing mark, a closing quotation mark after it, then a space.
_SENTENCE_END = re.compile(r"[.!?][\"”’']?\s+")


def _with_lead_in(engine: "Engine", q: Quote) -> str:
    """The statement with the passage's text from the start of the sentence before it: the
    whole passage before it when that is shorter."""
    passage = engine.store.passage(q.passage_id)
    if passage is None:
        return q.text
    before = passage.text[: max(0, q.start - passage.start)]
    bare = before.rstrip(" “\"'‘")  # without the opening mark of a direct quote
    starts = [0] + [m.end() for m in _SENTENCE_END.finditer(bare)]
    # a statement opening its sentence follows the last sentence whole; one inside a sentence
    # ("…, he says a nuclear attack…") follows the one before that, then its own beginning
    opens_sentence = not bare or bare[-1] in ".!?\"”’'"
    lead = before[starts[-1] if opens_sentence else starts[max(0, len(starts) - 2)] :]
    return f"{lead.strip()} {q.text}".strip()


def with_same_report(ranked: list[Quote], quotes: list[Quote]) -> list[Quote]:
    """The on-topic statements, then the rest of what the speaker said in the reports of the
    first two, in reading order: the sentences after an on-topic one often carry the reason
    asked for in other words ("I haven't because of the finances" after "he cannot afford to
    sack" Ian Rush)."""
    docs = {q.doc_id for q in ranked[:2]}
    rest = [q for q in quotes if q.doc_id in docs and q not in ranked]
    return ranked + sorted(rest, key=lambda q: (q.doc_id, q.start))


def _shortlist(engine: "Engine", quotes: list[Quote], tvec: np.ndarray) -> list[Quote]:
    """The statements whose passages are closest to the topic, by the passage vectors the index
    already holds: encoding all 298 of Tony Blair's statements per question took 2.2 s on BBC."""
    if len(quotes) <= SHORTLIST:
        return quotes
    return by_passage(engine, quotes, tvec)[:SHORTLIST]


def by_passage(engine: "Engine", quotes: list[Quote], tvec: np.ndarray) -> list[Quote]:
    """The statements ordered by their passage's cosine to `tvec`, reading order within a passage."""
    vec_ids = engine.store.vec_ids_of(list({q.passage_id for q in quotes}))
    cosines = dense_cosines(engine.index, tvec, list(vec_ids.values()))
    score = {pid: cosines.get(v, 0.0) for pid, v in vec_ids.items()}
    return sorted(quotes, key=lambda q: -score.get(q.passage_id, 0.0))


def render_statements(statements: list[Statement]) -> str:
    lines = []
    for s in statements:
        verb = s.cue or "said"
        said = f"“{s.text}”" if s.direct else s.text
        who = s.speaker if s.surface.lower() in (s.speaker.lower(), "he", "she", "they") else f"{s.speaker} ({s.surface})"
        lines.append(f"{who} {verb}: {said} [{s.citation.number}]" if s.direct else f"{who} {verb} (reported): {said} [{s.citation.number}]")
    return "\n".join(lines)


def _statement_passages_first(retrieved: list[RetrievedPassage], statements: list[Statement]) -> list[RetrievedPassage]:
    """The passages holding the statements lead the ranking: they are what the answer rests on."""
    seen, lead = set(), []
    for s in statements:
        c = s.citation
        if c.passage_id not in seen:
            seen.add(c.passage_id)
            lead.append(RetrievedPassage(doc_id=c.doc_id, passage_id=c.passage_id, text=c.text, score=1.0,
                                         title=c.title, paragraph=c.paragraph, page=c.page, doc_start=c.doc_start))
    rest = [r for r in retrieved if r.passage_id not in seen]
    out = lead + rest
    for rank, r in enumerate(out, start=1):
        r.rank = rank
    return out[: max(len(retrieved), len(lead))]
