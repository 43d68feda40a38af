"""Statements in a parsed document: direct quotes and reported speech, each with its speaker.

Direct quotes are found in the text (straight, curly or guillemet marks, a quote running over
paragraphs when the next paragraph reopens it) and attributed by the cue verb next to them:
before (`Ismail Demir said: "…"`) or after (`"…,” said the head of Rostec`, `"…," he said`). A
quote with no cue of its own continues the previous speaker of its paragraph, the way news prose
strings quotes together. Reported speech is a cue verb's clausal complement ("Shugaev noted that
…"), "according to X, …" and "as X reported citing Y, …". Speakers are resolved by
index.speakers; a statement whose speaker cannot be resolved is dropped, never guessed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from spacy.tokens import Doc, Token

from index.speakers import DocSpeakers, SpeakerRef, build_doc_speakers
from index import reported

OPENING, CLOSING, EITHER = "“«„", "”»", '"'
_PARAGRAPH_BREAK = re.compile(r"\n[ \t\r\f\v]*\n")
# A quote this short without a cue beside it is a scare quote ("desperate"), not a statement.
MIN_QUOTE_WORDS = 4
# How far from its quotation mark a cue verb may stand: `," said the head of the Rostec
# corporation Sergei Chemezov` has its cue right after the mark, its speaker within 10 words.
REGION_TOKENS = 30


@dataclass(frozen=True)
class QuoteSpan:
    """Text inside one pair of quotation marks within one paragraph; `group` joins the
    paragraphs of one quote that runs on."""

    start: int
    end: int
    group: int


@dataclass(frozen=True)
class Statement:
    """A statement found in one parsed text; offsets are into that text."""

    start: int
    end: int
    direct: bool
    cue: str
    speaker: SpeakerRef


def paragraph_spans(text: str) -> list[tuple[int, int]]:
    """Blank-line blocks of `text` (whole lines when there is no blank line)."""
    sep = _PARAGRAPH_BREAK if _PARAGRAPH_BREAK.search(text) else re.compile(r"\n")
    spans, start = [], 0
    for match in sep.finditer(text):
        spans.append((start, match.start()))
        start = match.end()
    spans.append((start, len(text)))
    return [(s, e) for s, e in spans if text[s:e].strip()]


def find_quote_spans(text: str) -> list[QuoteSpan]:
    """Spans of quoted text, marks excluded.

    Straight marks are told apart by what surrounds them (`said: "We` opens, `that." He`
    closes). A mark that opens while a quote is open starts the next sentence of the same
    quote: news prose leaves each quoted sentence unclosed when the next reopens ("…six
    months. "We are looking…"). A quote left open at a paragraph's end runs on when the next
    paragraph opens with a mark (the multi-paragraph convention); otherwise it ends there.
    """
    out: list[QuoteSpan] = []
    group, carried = 0, False
    for p_start, p_end in paragraph_spans(text):
        open_at = None
        for i in range(p_start, p_end):
            role = _mark_role(text, i, open_at is not None)
            if role == "open":
                if open_at is not None:
                    _add_trimmed(out, text, open_at + 1, i, group)
                elif not carried:
                    group += 1
                open_at, carried = i, False
            elif role == "close" and open_at is not None:
                _add_trimmed(out, text, open_at + 1, i, group)
                open_at = None
        if open_at is not None:
            _add_trimmed(out, text, open_at + 1, p_end, group)
            nxt = text[p_end:].lstrip()
            carried = bool(nxt) and (nxt[0] in OPENING or nxt[0] == EITHER)
        else:
            carried = False
    return out


def _mark_role(text: str, i: int, is_open: bool) -> str | None:
    """'open', 'close' or None for the character at `i`, given whether a quote is open."""
    ch = text[i]
    if ch in OPENING:
        return "open"
    if ch in CLOSING:
        return "close"
    if ch != EITHER:
        return None
    before = text[i - 1] if i > 0 else " "
    after = text[i + 1] if i + 1 < len(text) else " "
    if (before.isspace() or before in "([{—–-/") and not after.isspace():
        return "open"
    if not before.isspace() and (after.isspace() or after in ".,;:!?)]}—–-'’"):
        return "close"
    return "close" if is_open else "open"


def _add_trimmed(out: list[QuoteSpan], text: str, start: int, end: int, group: int) -> None:
    while start < end and text[start].isspace():
        start += 1
    # The comma before a closing mark belongs to the attribution ("…supply," said X).
    while end > start and (text[end - 1].isspace() or text[end - 1] == ","):
        end -= 1
    if end > start:
        out.append(QuoteSpan(start, end, group))


def extract_statements(sdoc: Doc) -> list[Statement]:
    """Direct and reported statements of `sdoc` with resolved speakers, in text order."""
    text = sdoc.text
    spans = find_quote_spans(text)
    quoted = [(q.start, q.end) for q in spans]
    speakers = build_doc_speakers(sdoc, quoted)
    pending = [_direct_candidate(sdoc, spans, g) for g in sorted({q.group for q in spans})]
    pending += reported.candidates(sdoc, quoted)
    pending.sort(key=lambda c: c.order)
    statements: list[Statement] = []
    paragraphs = paragraph_spans(text)
    for cand in pending:
        speaker = _speaker_for(cand, speakers, statements, paragraphs, sdoc)
        if speaker is None:
            continue
        for start, end in cand.spans:
            statements.append(Statement(start, end, cand.direct, cand.cue, speaker))
    return _drop_nested(statements)


def _speaker_for(cand, speakers: DocSpeakers, done: list[Statement], paragraphs, sdoc: Doc) -> SpeakerRef | None:
    if cand.head is not None:
        return speakers.resolve(cand.head)
    text = sdoc.text
    if not cand.direct or _words(text, cand.spans) < MIN_QUOTE_WORDS:
        return None
    # No cue: a quote right after a sentence about a person is that person's ("Robert
    # Tapsfield criticised the existing system. "There is just no logic …"); otherwise it
    # continues the last speaker of its paragraph, or of the previous one when it opens it.
    subject = _previous_subject(sdoc, cand.spans[0][0])
    if subject is not None:
        ref = speakers.resolve(subject)
        if ref is not None and ref.kind == "person":
            return ref
    start = cand.spans[0][0]
    para = next((i for i, (s, e) in enumerate(paragraphs) if s <= start < e), None)
    if para is None:
        return None
    earlier = [s for s in done if s.start < start]
    if not earlier:
        return None
    last = earlier[-1]
    last_para = next((i for i, (s, e) in enumerate(paragraphs) if s <= last.start < e), -1)
    opens_paragraph = text[paragraphs[para][0] : start - 1].strip() == ""
    if last_para == para or (last_para == para - 1 and opens_paragraph):
        return last.speaker
    return None


def _previous_subject(sdoc: Doc, start: int) -> Token | None:
    """The subject of the sentence that ends right before the quote opening at `start`, in
    the same paragraph."""
    first = sdoc.char_span(start, start + 1, alignment_mode="expand")
    if first is None:
        return None
    i = first.start - 1
    while i >= 0 and sdoc[i].is_quote:
        i -= 1
    if i < 0 or sdoc[i].text not in (".", "!", "?") or "\n" in text_between(sdoc, i, first.start):
        return None
    root = sdoc[i].sent.root
    return next((c for c in root.children if c.dep_ in ("nsubj", "nsubjpass") and not c.is_quote), None)


def text_between(sdoc: Doc, i: int, j: int) -> str:
    return sdoc.text[sdoc[i].idx : sdoc[j].idx]


def _drop_nested(statements: list[Statement]) -> list[Statement]:
    """A quoted phrase inside a reported statement is part of it ("warned that firms could be
    "crippled" by the move"): keep the reported statement only."""
    reported_spans = [(s.start, s.end) for s in statements if not s.direct]
    out = [s for s in statements if not (s.direct and any(a <= s.start and s.end <= b for a, b in reported_spans))]
    out.sort(key=lambda s: (s.start, s.end))
    return out


def _words(text: str, spans: list[tuple[int, int]]) -> int:
    return sum(len(text[s:e].split()) for s, e in spans)


def _direct_candidate(sdoc: Doc, spans: list[QuoteSpan], group: int) -> reported.Candidate:
    """A quote group with the cue and speaker phrase attributing it, if any."""
    parts = [q for q in spans if q.group == group]
    found = []
    for q in parts:
        found.append(_cue_after(sdoc, q))
    found.append(_cue_before(sdoc, parts[0]))
    hits = [f for f in found if f is not None]
    cue, head = (min(hits, key=lambda h: h[2])[:2]) if hits else (None, None)
    order = head.idx if head is not None and head.idx < parts[0].start else parts[0].start
    return reported.Candidate(
        spans=[(q.start, q.end) for q in parts],
        direct=True,
        cue=cue.text if cue is not None else "",
        head=head,
        order=order,
    )


def _mark_tokens(sdoc: Doc, q: QuoteSpan) -> tuple[int, int]:
    """Token indices just before the opening mark and just after the closing mark."""
    span = sdoc.char_span(q.start, q.end, alignment_mode="expand")
    first, last = span.start, span.end
    while first > 0 and (sdoc[first - 1].is_quote or sdoc[first - 1].is_space):
        first -= 1
    while last < len(sdoc) and (sdoc[last].is_quote or sdoc[last].is_space or sdoc[last].text == ","):
        last += 1
    return first - 1, last


def _stops(token: Token) -> bool:
    return token.is_quote or token.text in (".", "!", "?") or "\n" in token.text


def _cue_after(sdoc: Doc, q: QuoteSpan):
    """`"…," he said` / `"…," said X`: a cue in the clause right after the closing mark."""
    _, i = _mark_tokens(sdoc, q)
    region = []
    while i < len(sdoc) and len(region) < REGION_TOKENS and not _stops(sdoc[i]):
        region.append(sdoc[i])
        i += 1
    for k, tok in enumerate(region):
        if not reported.is_cue(tok):
            continue
        subj = reported.subject_of(tok)
        between = region[:k]
        ok_between = all(t.is_punct or t.pos_ == "ADV" or (subj is not None and t in subj.subtree) for t in between)
        if not ok_between or reported.has_own_clause(tok, q):
            return None
        head = subj if subj is not None and not _inside(subj.idx, q) else _head_after(region[k + 1 :])
        return (tok, head, tok.idx - q.end) if head is not None else None
    return None


def _cue_before(sdoc: Doc, q: QuoteSpan):
    """`X said: "…"`: the cue nearest before the opening mark, governing the quote or set off
    from it by a colon or comma."""
    i, _ = _mark_tokens(sdoc, q)
    region = []
    while i >= 0 and len(region) < REGION_TOKENS and not _stops(sdoc[i]):
        region.insert(0, sdoc[i])
        i -= 1
    inner = sdoc.char_span(q.start, q.end, alignment_mode="expand")
    for k in range(len(region) - 1, -1, -1):
        tok = region[k]
        if tok.lower_ == "according":
            head = reported.according_source(tok)
            return (tok, head, q.start - tok.idx) if head is not None else None
        if not reported.is_cue(tok):
            continue
        gap = region[k + 1 :]
        governs = any(t.head == tok or tok in t.ancestors for t in inner if not t.is_punct)
        if not governs and not (len(gap) <= 6 and gap and gap[-1].text in (":", ",")):
            return None
        head = reported.subject_of(tok)
        return (tok, head, q.start - tok.idx) if head is not None else None
    return None


def _head_after(tokens: list[Token]) -> Token | None:
    """The head of the first noun phrase in `tokens` (an inverted `said the head of X`)."""
    for t in tokens:
        if t.pos_ in ("PROPN", "NOUN", "PRON"):
            while t.head in tokens and t.head.pos_ in ("NOUN", "PROPN") and t.dep_ != "pobj":
                t = t.head
            return t
    return None


def _inside(offset: int, q: QuoteSpan) -> bool:
    return q.start <= offset < q.end
