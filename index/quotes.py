"""Statements in a parsed document: direct quotes and reported speech, each with its speaker.

Direct quotes (index.quotemarks finds them) are attributed by the cue verb next to them: before
(`Ismail Demir said: "…"`) or after (`"…,” said the head of Rostec`, `"…," he said`). A quote
with no cue of its own belongs to the named person the sentence before it is about ("Robert
Tapsfield criticised the system. "There is no logic …""), else continues the last speaker of its
paragraph, the way news prose strings quotes together. A short phrase quoted inside a sentence
("an "increasingly high priority"") is not a statement of its own. Reported speech comes from
index.reported, speakers from index.speakers; a statement whose speaker cannot be resolved is
dropped, never guessed.
"""

from __future__ import annotations

from dataclasses import dataclass

from spacy.tokens import Doc, Token

from index import reported
from index.quotemarks import QuoteSpan, find_quote_spans, paragraph_spans
from index.speakers import DocSpeakers, SpeakerRef, build_doc_speakers

# A quote this short without a cue beside it is a scare quote ("desperate"), not a statement.
MIN_QUOTE_WORDS = 4
# How far from its quotation mark a cue verb may stand: `," said the head of the Rostec
# corporation Sergei Chemezov` has its cue right after the mark, its speaker within 10 words.
REGION_TOKENS = 30
FIRST_PERSON = frozenset({"i", "me", "my", "we", "us", "our"})


@dataclass(frozen=True)
class Statement:
    """A statement found in one parsed text; offsets are into that text."""

    start: int
    end: int
    direct: bool
    cue: str
    speaker: SpeakerRef


def extract_statements(sdoc: Doc, text: str | None = None) -> list[Statement]:
    """Direct and reported statements of `sdoc` with resolved speakers, in text order. `text`
    is `sdoc.text` when the caller has it: spaCy joins every token anew for each read."""
    text = sdoc.text if text is None else text
    spans = find_quote_spans(text)
    quoted = [(q.start, q.end) for q in spans]
    speakers = build_doc_speakers(sdoc, quoted)
    pending = [c for c in (_direct_candidate(sdoc, text, spans, g) for g in sorted({q.group for q in spans})) if c]
    pending += reported.candidates(sdoc, quoted, text)
    pending.sort(key=lambda c: c.order)
    statements: list[Statement] = []
    paragraphs = paragraph_spans(text)
    for cand in pending:
        speaker = _speaker_for(cand, speakers, statements, paragraphs, sdoc, text)
        if speaker is None:
            continue
        for start, end in cand.spans:
            statements.append(Statement(start, end, cand.direct, cand.cue, speaker))
    return _drop_nested(statements)


def _speaker_for(cand, speakers: DocSpeakers, done: list[Statement], paragraphs, sdoc: Doc, text: str) -> SpeakerRef | None:
    if cand.head is not None:
        return speakers.resolve(cand.head)
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
    """The named person doing something in the sentence that ends right before the quote
    opening at `start`, in the same paragraph ("Robert Tapsfield criticised the system.").
    Not a description ("Bob was …"), nor a sentence the narrator speaks ("… I've ever had")."""
    first = sdoc.char_span(start, start + 1, alignment_mode="expand")
    if first is None:
        return None
    i = first.start - 1
    while i >= 0 and sdoc[i].is_quote:
        i -= 1
    if i < 0 or sdoc[i].text not in (".", "!", "?") or "\n" in text_between(sdoc, i, first.start):
        return None
    sent = sdoc[i].sent
    if sent.root.pos_ != "VERB" or any(t.lower_ in FIRST_PERSON for t in sent):
        return None
    subject = next((c for c in sent.root.children if c.dep_ == "nsubj"), None)
    return subject if subject is not None and subject.ent_type_ == "PERSON" else None


def text_between(sdoc: Doc, i: int, j: int) -> str:
    return sdoc[i:j].text_with_ws


def _drop_nested(statements: list[Statement]) -> list[Statement]:
    """A quoted phrase inside a reported statement is part of it ("warned that firms could be
    "crippled" by the move"): keep the reported statement only."""
    reported_spans = [(s.start, s.end) for s in statements if not s.direct]
    out = [s for s in statements if not (s.direct and any(a <= s.start and s.end <= b for a, b in reported_spans))]
    out.sort(key=lambda s: (s.start, s.end))
    return out


def _words(text: str, spans: list[tuple[int, int]]) -> int:
    return sum(len(text[s:e].split()) for s, e in spans)


def _embedded(sdoc: Doc, q: QuoteSpan) -> bool:
    """True when running text leads into the quote (not a sentence start, colon or comma)."""
    i, _ = _mark_tokens(sdoc, q)
    return i >= 0 and not _stops(sdoc[i]) and sdoc[i].text not in (":", ",", "(", "—", "–", "-")


def _direct_candidate(sdoc: Doc, text: str, spans: list[QuoteSpan], group: int) -> reported.Candidate | None:
    """A quote group with the cue and speaker phrase attributing it, if any."""
    parts = [q for q in spans if q.group == group]
    embedded = _embedded(sdoc, parts[0])
    if embedded and _words(text, [(q.start, q.end) for q in parts]) < MIN_QUOTE_WORDS:
        return None  # a phrase quoted inside a sentence ("it was an "increasingly high priority"")
    found = []
    for q in parts:
        found.append(_cue_after(sdoc, q, spans))
    found.append(_cue_before(sdoc, parts[0]))
    hits = [f for f in found if f is not None]
    if embedded and not hits:
        return None  # a phrase quoted in narrative, with no one to say it
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
    while first > 0 and (sdoc[first - 1].is_quote or _blank(sdoc[first - 1])):
        first -= 1
    while last < len(sdoc) and (sdoc[last].is_quote or _blank(sdoc[last]) or sdoc[last].text == ","):
        last += 1
    return first - 1, last


def _blank(token: Token) -> bool:
    """Whitespace within a paragraph; a line break ends the search for a cue."""
    return token.is_space and "\n" not in token.text


def _stops(token: Token) -> bool:
    return token.is_quote or token.text in (".", "!", "?") or "\n" in token.text


def _cue_after(sdoc: Doc, q: QuoteSpan, spans: list[QuoteSpan]):
    """`"…," he said` / `"…," said X`: a cue in the clause right after the closing mark."""
    _, i = _mark_tokens(sdoc, q)
    if i < len(sdoc) and any(s.start == sdoc[i].idx for s in spans):
        return None  # the quote reopens at once (its next sentence): no attribution between
    region = []
    while i < len(sdoc) and len(region) < REGION_TOKENS and not _stops(sdoc[i]):
        region.append(sdoc[i])
        i += 1
    for k, tok in enumerate(region):
        if not reported.is_cue(tok):
            continue
        subj = reported.subject_of(tok)
        between = region[:k]
        # Only the speaker's words may stand between mark and cue: a noun phrase, however long
        # ("the head of the Federal Service … (FSMTC) Dmitry Shugaev said"), but no other verb.
        ok_between = all(t.pos_ not in ("VERB", "AUX") or (subj is not None and t in subj.subtree) for t in between)
        if not ok_between or reported.has_own_clause(tok, [(s.start, s.end) for s in spans]):
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
        set_off = bool(gap) and gap[-1].text in (":", ",") and not any(t.pos_ in ("VERB", "AUX") for t in gap)
        if not governs and not set_off:  # "she told BBC Radio 4's Today programme: "…"
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
