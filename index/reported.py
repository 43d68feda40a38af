"""Reported speech and the cue verbs shared with direct quotes.

A reported statement is the clausal complement of a speech verb ("Shugaev noted [that the parties
are awaiting …]"), the clause an "according to X" phrase qualifies, or the main clause of an
"as X reported (citing Y)" clause. What the clause says is kept as the statement; the speaker
phrase is handed on unresolved (index.speakers resolves it).
"""

from __future__ import annotations

import bisect
from dataclasses import dataclass

from spacy.tokens import Doc, Token

from index.phrases import tokens_where
from index.sentences import split_sentences

# Cues that take a statement only as a quote, never a reported clause of their own: "he asked
# whether" is a question, "continued to rise" is no speech at all.
QUOTE_ONLY_LEMMAS = frozenset(
    """ask continue describe recall estimate smile laugh joke quip sigh exclaim shout
    whisper muse enthuse""".split()
)
# Verbs that attribute words to a speaker, as lemmas. Opinion verbs (think, believe) are left
# out: they report a state of mind, not a statement someone can be quoted on.
CUE_LEMMAS = frozenset(
    """say tell claim note state announce comment warn add promise explain insist argue suggest
    report confirm deny admit acknowledge stress emphasise emphasize predict reveal declare urge
    write reply respond tweet remark maintain contend assert allege concede observe vow pledge
    complain conclude disclose threaten boast""".split()
) | QUOTE_ONLY_LEMMAS
# Cues whose reported content may be a to-infinitive: "Turkey has promised to protect the data".
INFINITIVE_CUES = frozenset({"promise", "vow", "pledge", "threaten", "urge", "warn"})
MODALS = frozenset({"will", "would", "could", "may", "might", "should", "can", "must", "shall"})
CITING = frozenset({"cite", "quote"})
MIN_REPORTED_WORDS = 3


@dataclass
class Candidate:
    """A statement before its speaker is resolved: spans of the words, the cue and the head
    token of the speaker phrase (None: no cue, so a direct quote may continue a speaker)."""

    spans: list[tuple[int, int]]
    direct: bool
    cue: str
    head: Token | None
    order: int
    cue_at: int = -1
    root_at: int = -1


def is_cue(token: Token) -> bool:
    return token.pos_ == "VERB" and token.lemma_.lower() in CUE_LEMMAS


def subject_of(verb: Token) -> Token | None:
    """Who speaks through `verb`: the one cited ("reported citing Y"), else the subject, else
    the agent of a passive, else (for "…, adding that" / "and noted that") the governing verb's."""
    for child in verb.children:
        if child.lemma_.lower() in CITING:
            obj = next((c for c in child.children if c.dep_ in ("dobj", "pobj")), None)
            if obj is not None:
                return obj
    for child in verb.children:
        if child.dep_ in ("nsubj", "expl") and not child.is_quote:
            return child if child.dep_ == "nsubj" else None
    for child in verb.children:
        if child.dep_ == "agent":
            return next((c for c in child.children if c.dep_ == "pobj"), None)
    if verb.dep_ in ("conj", "advcl", "xcomp") and verb.head is not verb and verb.head.pos_ in ("VERB", "AUX"):
        if verb.dep_ in ("conj", "xcomp") or verb.tag_ in ("VBG", "VBN"):
            return subject_of(verb.head)
    if verb.dep_ == "pcomp" and verb.head.head.lemma_.lower() in CITING:
        return subject_of(verb.head.head)  # "Mr Dixon quoted as saying that …"
    return None


def has_own_clause(verb: Token, quoted: list[tuple[int, int]]) -> bool:
    """True when `verb` reports an unquoted clause after it ("Shugaev noted that …" after a
    quote is a new statement, not the quote's attribution; `," he said, "but …"` is not)."""
    return any(c.dep_ == "ccomp" and c.i > verb.i and not _inside(c.idx, quoted) for c in verb.children)


def according_phrase(token: Token) -> list[Token]:
    """ "according to X" up to the first comma or sentence end: the parser often hangs the
    clause subject on X as an apposition ("according to Ismail Demir, Turkey has promised")."""
    out = [token]
    for t in token.doc[token.i + 1 : token.sent.end]:
        if t.is_punct or t.is_space or t.is_quote:
            break
        out.append(t)
    return out


def according_source(token: Token) -> Token | None:
    """The head of X in "according to X" (also "according the words of X")."""
    tail = [t for t in according_phrase(token)[1:] if t.lower_ != "to"]
    roots = [t for t in tail if t.head not in tail or t.head is t]
    return roots[0] if roots and roots[0].pos_ in ("PROPN", "NOUN", "PRON") else None


@dataclass(frozen=True)
class _Text:
    """What every check needs about the document: quoted spans and sentence starts."""

    text: str
    quoted: list[tuple[int, int]]
    sentences: list[tuple[int, int]]

    def sentence_of(self, offset: int) -> tuple[int, int]:
        i = bisect.bisect_right(self.sentences, (offset, float("inf"))) - 1
        return self.sentences[i] if i >= 0 else (0, 0)


def candidates(sdoc: Doc, quoted: list[tuple[int, int]], text: str | None = None) -> list[Candidate]:
    """Reported statements of `sdoc` outside the quoted spans. A cue inside another statement
    is part of what that speaker said ("According to X, Turkey has promised to …" is X's).
    `text` is `sdoc.text`, which spaCy builds anew on every access."""
    text = sdoc.text if text is None else text
    ctx = _Text(text, quoted, split_sentences(text))
    found = _all_candidates(sdoc, ctx)
    # "According to X, Turkey has promised …", "He said that Turkey promises …": the inner cue
    # heads what the outer speaker said, so the statement is the outer speaker's. A cue deeper
    # inside ("the company warned …, with Mr Dixon quoted as saying that …") keeps its own.
    return [c for c in found if not any(o is not c and o.root_at == c.cue_at for o in found)]


def _all_candidates(sdoc: Doc, ctx: _Text) -> list[Candidate]:
    out = []
    for tok in tokens_where(sdoc, pos={"VERB"}, lower={"according"}):
        if _inside(tok.idx, ctx.quoted):
            continue
        if tok.lower_ == "according":
            cand = _according(tok, ctx)
        elif is_cue(tok) and tok.lemma_.lower() not in QUOTE_ONLY_LEMMAS and not _hedged(tok):
            cand = _cue_clause(tok, ctx)
        else:
            cand = None
        if cand is not None:
            out.append(cand)
    return out


def _hedged(verb: Token) -> bool:
    """Negated, modal, infinitive or agentless passive: "did not say", "will announce",
    "expected to announce", "it was announced"."""
    deps = {c.dep_: c for c in verb.children}
    if verb.dep_ == "xcomp" and verb.head.lemma_.lower() in ("continue", "go"):
        return "neg" in deps  # "continued to warn that …" is a warning
    if "neg" in deps or verb.dep_ in ("xcomp", "amod", "acomp"):
        return True
    if any(c.dep_ == "aux" and (c.lemma_.lower() in MODALS or c.lower_ == "to") for c in verb.children):
        return True
    return "auxpass" in deps and "agent" not in deps


def _cue_clause(verb: Token, ctx: _Text) -> Candidate | None:
    """The statement `verb` reports: the clause it interrupts (as-clauses, parentheses), else
    its clausal complement, trying one after the verb first (the parser sometimes hangs the
    previous sentence on a cue as a second complement)."""
    has_clause = any(c.dep_ in ("ccomp", "xcomp") for c in verb.children)
    as_clause = verb.dep_ == "advcl" and any(c.dep_ == "mark" and c.lower_ == "as" for c in verb.children)
    head, cue, exclude = _speaker_and_cue(verb)
    if as_clause or (verb.dep_ == "parataxis" and not has_clause):
        # "As Interfax reported citing Y, <main clause>" and "Then, say analysts, <main
        # clause>": the statement is the clause the cue interrupts.
        return _make(verb.head, exclude | {t.i for t in verb.subtree} | _parenthesis(verb), head, cue, ctx, verb.idx)
    deps = ("ccomp", "xcomp") if verb.lemma_.lower() in INFINITIVE_CUES else ("ccomp",)
    roots = sorted((c for c in verb.children if c.dep_ in deps), key=lambda c: (c.i < verb.i, abs(c.i - verb.i)))
    for root in roots:
        if root.i < verb.i and is_cue(root) and subject_of(root) is not None:
            continue  # a trailing source ("He said that …, the newspaper said"): the inner one counts
        cand = _make(root, exclude, head, cue, ctx, verb.idx)
        if cand is not None:
            return cand
    return None


def _speaker_and_cue(verb: Token) -> tuple[Token | None, str, set[int]]:
    """The speaker's head token, the cue words, and tokens to keep out of the statement."""
    head = subject_of(verb)
    if head is None and verb.dep_ == "parataxis" and verb.i + 1 < len(verb.doc) and verb.nbor().pos_ in ("NOUN", "PROPN"):
        head = verb.nbor()  # inverted: "say analysts"
    citing = next((c for c in verb.children if c.lemma_.lower() in CITING), None)
    if citing is None:
        return head, verb.text, set()
    return head, f"{verb.text} {citing.text}", {t.i for t in citing.subtree}


def _parenthesis(verb: Token) -> set[int]:
    """Token indices of ", say analysts," around `verb`, commas included."""
    doc, lo, hi = verb.doc, verb.i, verb.i
    while lo > verb.sent.start and not doc[lo - 1].is_punct:
        lo -= 1
    while hi + 1 < verb.sent.end and not doc[hi + 1].is_punct:
        hi += 1
    return set(range(max(lo - 1, verb.sent.start), min(hi + 2, verb.sent.end)))


def _according(token: Token, ctx: _Text) -> Candidate | None:
    head = according_source(token)
    root = token.head
    while root.pos_ not in ("VERB", "AUX") and root.head is not root:
        root = root.head
    if head is None or root is token:
        return None
    exclude = {t.i for t in token.subtree}
    phrase = according_phrase(token)
    if max(exclude) > phrase[-1].i:
        # The parser often hangs the clause subject on X ("according to Ismail Demir, Turkey
        # has promised"): past the phrase, exclude only up to the subtree's last comma.
        commas = [i for i in exclude if i > phrase[-1].i and token.doc[i].is_punct]
        cut = max(commas) if commas else phrase[-1].i
        exclude = {i for i in exclude if i <= cut}
    return _make(root, exclude, head, "according to", ctx, token.idx)


def _make(root: Token, exclude: set[int], head: Token | None, cue: str, ctx: _Text, cue_at: int) -> Candidate | None:
    if head is None:
        return None
    exclude = exclude | {t.i for t in head.subtree} if head.i not in {t.i for t in root.subtree} else exclude
    span = _clause_span(root, exclude)
    if span is None:
        return None
    # The parser sometimes runs two sentences together ("… $360m. Looking ahead, …") or makes
    # the previous sentence a cue's complement: keep the statement to its own sentence, and
    # its cue and speaker with it.
    sent = ctx.sentence_of(root.idx)
    span = _trim_span(ctx.text, *_after_quotes(max(span[0], sent[0]), min(span[1], sent[1]), ctx.quoted))
    if span is None or len(ctx.text[span[0] : span[1]].split()) < MIN_REPORTED_WORDS:
        return None
    if not (sent[0] <= head.idx < sent[1] and sent[0] <= cue_at < sent[1]):
        return None
    if _quoted_share(span, ctx.quoted) >= 0.5:
        return None  # the words are a direct quote; it carries the attribution
    return Candidate([span], False, cue, head, min(span[0], head.idx), cue_at, root.idx)


def _clause_span(root: Token, exclude: set[int]) -> tuple[int, int] | None:
    """Character span of the contiguous run of `root`'s subtree around `root`, without the
    excluded tokens, a leading "that" and edge punctuation."""
    keep = {t.i for t in root.subtree} - exclude
    if root.i not in keep:
        return None
    doc = root.doc
    # A clause never runs over a line break: the parser joins headings to the next paragraph.
    lo = hi = root.i
    while lo - 1 in keep and "\n" not in doc[lo - 1].text:
        lo -= 1
    while hi + 1 in keep and "\n" not in doc[hi + 1].text:
        hi += 1
    while lo <= hi and (doc[lo].is_punct or doc[lo].is_space or (doc[lo].dep_ == "mark" and doc[lo].lower_ in ("that", "as"))):
        lo += 1
    while hi >= lo and (doc[hi].is_punct or doc[hi].is_space) and not doc[hi].is_quote:
        hi -= 1
    if hi < lo:
        return None
    return doc[lo].idx, doc[hi].idx + len(doc[hi])


def _after_quotes(start: int, end: int, quoted: list[tuple[int, int]]) -> tuple[int, int]:
    """Start a reported clause after a quote it begins inside of (the parser joins `… Cell
    Block H." Labour had broken promises …, he said` into one sentence)."""
    for qs, qe in quoted:
        if qs <= start < qe < end:
            start = qe + 1
    return start, end


def _trim_span(text: str, start: int, end: int) -> tuple[int, int] | None:
    """Without edge spaces and trailing clause punctuation; None when nothing is left."""
    while start < end and text[start].isspace():
        start += 1
    while end > start and (text[end - 1].isspace() or text[end - 1] in ",;:.!?-–—"):
        end -= 1
    return (start, end) if end > start else None


def _quoted_share(span: tuple[int, int], quoted: list[tuple[int, int]]) -> float:
    inside = sum(max(0, min(span[1], e) - max(span[0], s)) for s, e in quoted)
    return inside / max(1, span[1] - span[0])


def _inside(offset: int, spans: list[tuple[int, int]]) -> bool:
    return any(s <= offset < e for s, e in spans)
