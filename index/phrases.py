"""Noun phrases, names and roles read off a spaCy parse, for speaker resolution.

All functions are pure: they read tokens and return words, never keep state.
"""

from __future__ import annotations

from collections.abc import Collection, Iterator
from dataclasses import dataclass

from spacy.tokens import Span, Token

from index.lexicon import HONORIFICS, ORG_NOUNS, PERSON_NOUNS, POSTNOMINALS, TITLES, WORDS_NOUNS

ORG_LABELS = frozenset({"ORG", "GPE", "NORP"})
# Prepositions that stay inside a speaker phrase: "head of X", "spokesman for Y", "analyst at Z".
NP_PREPOSITIONS = frozenset({"of", "for", "at"})
NP_RIGHT_DEPS = frozenset({"appos", "compound", "flat", "nummod", "poss", "case", "amod", "punct", "cc", "conj"})
POSSESSIVE = ("'s", "’s", "'", "’")
# Labels under which the tagger files names it does not know as people or organisations
# ("Anti-virus firm Sophos" came out a PRODUCT).
UNNAMED = frozenset({"", "PRODUCT", "WORK_OF_ART", "FAC", "LAW", "EVENT"})


@dataclass(frozen=True)
class RoleSig:
    """A role as words: heads {"head"}, words {"head", "rostec", "corporation"}."""

    heads: frozenset[str]
    words: frozenset[str]


def phrase_tokens(head: Token) -> list[Token]:
    """The noun phrase headed by `head`: left modifiers, appositions and of/for/at attachments,
    but not relative clauses or "during a meeting with …" (whose names are not the speaker)."""
    keep = {head.i}
    for child in head.lefts:
        keep.update(t.i for t in child.subtree)
    for child in head.rights:
        if child.dep_ in NP_RIGHT_DEPS or (child.dep_ == "prep" and child.lower_ in NP_PREPOSITIONS):
            if child.dep_ == "conj" and child.pos_ not in ("NOUN", "PROPN"):
                continue
            keep.update(t.i for t in child.subtree if t.dep_ not in ("relcl", "acl"))
    tokens = [head.doc[i] for i in sorted(keep)]
    # A phrase is contiguous; cut at the first gap so a stray subtree never drags in far text.
    at = tokens.index(head)
    lo, hi = at, at
    while lo > 0 and tokens[lo - 1].i == tokens[lo].i - 1 and not tokens[lo - 1].is_space:
        lo -= 1
    while hi + 1 < len(tokens) and tokens[hi + 1].i == tokens[hi].i + 1 and not tokens[hi + 1].is_space:
        hi += 1
    span = tokens[lo : hi + 1]
    while span and (span[-1].is_punct or span[-1].is_space) and span[-1] is not head:
        span.pop()
    while span and (span[0].is_punct or span[0].is_space) and span[0] is not head:
        span.pop(0)
    return span


def role_sig(tokens: list[Token] | Span) -> RoleSig:
    """Head nouns are the common nouns before the first preposition ("the TASS military expert and
    commentator" -> expert, commentator), but not a noun qualifying the next ("film critic" ->
    critic: "the film" is no critic); words are every noun and adjective of the phrase."""
    heads, words, in_head = set(), set(), True
    for t in tokens:
        if t.ent_type_ == "PERSON" and t.lower_.rstrip(".") not in TITLES:
            continue
        if t.pos_ == "ADP":
            in_head = False
        lemma = t.lemma_.lower()
        if t.pos_ in ("NOUN", "PROPN", "ADJ"):
            words.add(lemma)
        qualifier = t.dep_ == "compound" and t.head.pos_ == "NOUN" and t.head.i > t.i
        if in_head and not qualifier and (t.pos_ == "NOUN" or (t.pos_ == "PROPN" and not t.ent_type_)):
            heads.add(lemma)
    return RoleSig(frozenset(heads), frozenset(words))


def roles_of(ent: Span) -> list[RoleSig]:
    """Roles the text gives a named person or organisation: a title before the name ("the TASS
    military expert and commentator Viktor Litovkin", "trade weekly Screen Daily") or an
    apposition ("Sergei Chemezov, the Head of ROSTEC"; "the head of the Rostec corporation
    Sergei Chemezov", where the parser hangs the name on "corporation")."""
    root, sigs = ent.root, []
    titles = [t for t in ent if t.lower_.rstrip(".") in TITLES and t.lower_.rstrip(".") not in HONORIFICS]
    left = [t for t in root.subtree if t.i < ent.start and not t.is_space] + titles
    if left:
        sigs.append(role_sig(left))
    if root.dep_ == "appos":
        noun = root.head
        # Climb "the head of [the Rostec corporation Sergei Chemezov]" but not "a spokesman for
        # [the prosecutor, Alan Hevesi]": the spokesman's role is not Hevesi's.
        while noun.dep_ == "pobj" and noun.head.lower_ == "of" and noun.head.head.pos_ in ("NOUN", "PROPN"):
            noun = noun.head.head
        sigs.append(role_sig([t for t in phrase_tokens(noun) if t.i < ent.start or t.i >= ent.end]))
    if root.dep_ == "conj" and root.head.pos_ == "NOUN":
        # "the TASS military expert and commentator Viktor Litovkin" parses as "expert and Litovkin".
        sigs.append(role_sig([t for t in root.head.subtree if t.i <= root.head.i]))
    for child in root.children:
        if child.dep_ == "appos" and child.ent_type_ not in ("PERSON", "ORG"):
            sigs.append(role_sig(phrase_tokens(child)))
    return [s for s in sigs if s.heads]


def speaker_person(tokens: list[Token], head: Token) -> list[Token] | None:
    """The name of the person the phrase denotes: the head's own name, an apposition's, or a
    name ending a title ("the head of the Rostec corporation Sergei Chemezov"), but not an
    owner or object ("Tony Blair's spokesman", "a spokesman for Tony Blair" are not Blair)."""
    if head.ent_type_ == "PERSON" or _postnominal_name(head):
        return ent_tokens(head)
    for t in tokens:
        if (t.ent_type_ == "PERSON" or _postnominal_name(t)) and t.ent_iob_ == "B":
            name = ent_tokens(t)
            if not _owned(name, head):
                return name
    if head.pos_ == "PROPN" and any(t.lower_.rstrip(".") in TITLES for t in head.lefts):
        return [t for t in head.lefts if t.pos_ == "PROPN"] + [head]
    return None


def _postnominal_name(token: Token) -> bool:
    """An organisation-tagged "Philippe Sands QC" is a person."""
    if token.ent_type_ != "ORG":
        return False
    ent = entity_of(token)
    return len(ent) >= 3 and ent[-1].lower_.strip(".") in POSTNOMINALS


def _owned(name: list[Token], head: Token) -> bool:
    """True for a name that belongs to someone else's description: "Tony Blair's spokesman",
    "a spokesman for the prosecutor, Alan Hevesi" (reached through "for")."""
    first = name[0]
    before = first.doc[first.i - 1] if first.i > 0 else None
    if any(x.dep_ == "poss" for x in name) or (before is not None and before.pos_ in ("ADP", "DET")):
        return True
    root = max(name, key=lambda x: x.i if x.head not in name else -1)
    for anc in root.ancestors:
        if anc == head:
            return False
        if anc.dep_ == "prep" and anc.lower_ in ("for", "to", "with", "by"):
            return True
    return False


def untagged_name(tokens: list[Token], head: Token) -> list[Token] | None:
    """A proper name the tagger left unlabelled, as the head or its compound/apposition:
    the run of unlabelled proper nouns ending there ("Sophos" in "Anti-virus firm Sophos")."""
    cands = [head] + [c for c in head.children if c.dep_ in ("compound", "appos") and c.i > head.i]
    end = next((t for t in cands if t.pos_ == "PROPN" and t.ent_type_ in UNNAMED and t in tokens), None)
    if end is None or end.lower_.rstrip(".") in TITLES:
        return None
    start = end.i
    while start > 0 and head.doc[start - 1].pos_ == "PROPN" and head.doc[start - 1].ent_type_ in UNNAMED and head.doc[start - 1] in tokens:
        start -= 1
    name = [t for t in head.doc[start : end.i + 1] if t.lower_.rstrip(".") not in TITLES]
    return name or None


def described_kind(tokens: list[Token]) -> str:
    """ "org" when the words around a name call it a firm or body, "person" for a role or
    title, else "unknown"."""
    lemmas = {t.lemma_.lower().rstrip(".") for t in tokens}
    if lemmas & ORG_NOUNS:
        return "org"
    return "person" if lemmas & (PERSON_NOUNS | TITLES) else "unknown"


def author_of_words(head: Token) -> Token | None:
    """X in "the words of X", "research by X", "X's figures"; None for other phrases."""
    if head.lemma_.lower() not in WORDS_NOUNS:
        return None
    for child in head.children:
        if child.dep_ == "prep" and child.lower_ in ("of", "by", "from"):
            return next((c for c in child.children if c.dep_ == "pobj"), None)
        if child.dep_ == "acl":  # "research conducted by the EOC"
            agent = next((c for c in child.children if c.dep_ == "agent"), None)
            if agent is not None:
                return next((c for c in agent.children if c.dep_ == "pobj"), None)
    return next((c for c in head.children if c.dep_ == "poss" and c.pos_ != "PRON"), None)


def speaker_org(tokens: list[Token], head: Token, deps: tuple[str, ...]) -> Span | None:
    """An organisation, country or group that is the phrase's head or attached to it by `deps`
    ("the Russian media agency Interfax"); not an adjective ("the Russian expert")."""
    for t in tokens:
        if t.ent_type_ not in ORG_LABELS:
            continue
        ent = entity_of(t)
        if head in ent or (ent.root.head == head and ent.root.dep_ in deps):
            return ent
    return None


def entity_of(token: Token) -> Span:
    """The entity `token` is part of, as `Doc.ents` gives it; spaCy builds that whole tuple on
    every read, so the entity's edges are found from the token instead."""
    doc = token.doc
    start, end = token.i, token.i + 1
    if token.ent_iob_ not in ("B", "I"):
        raise ValueError(f"token {token.text!r} at {token.i} is not part of an entity")
    while doc[start].ent_iob_ == "I" and start > 0:
        start -= 1
    while end < len(doc) and doc[end].ent_iob_ == "I":
        end += 1
    first = doc[start]
    return Span(doc, start, end, label=first.ent_type, kb_id=first.ent_kb_id, span_id=first.ent_id)


def tokens_where(doc, pos: Collection[str] = (), lower: Collection[str] = (), space: bool = False) -> Iterator[Token]:
    """The tokens of `doc`, in order, whose part of speech is in `pos`, whose lower-case form is
    in `lower`, or (`space`) that are whitespace. The test runs on arrays: a Token object per
    word costs more than the test, and most loops over a document want a few words of it."""
    import numpy
    from spacy.attrs import IS_SPACE, LOWER, POS
    from spacy.parts_of_speech import IDS

    if not len(doc):
        return
    rows = doc.to_array([POS, LOWER, IS_SPACE])
    strings = doc.vocab.strings
    wanted = numpy.isin(rows[:, 0], [IDS[p] for p in pos])
    wanted |= numpy.isin(rows[:, 1], numpy.array([strings[w] for w in lower], dtype=rows.dtype))
    if space:
        wanted |= rows[:, 2] != 0
    for i in numpy.flatnonzero(wanted).tolist():
        yield doc[i]


def ent_tokens(token: Token) -> list[Token]:
    return list(entity_of(token))


def name_parts(tokens: list[Token] | Span) -> list[str]:
    """Name words without titles and possessive: "Ms Hewitt's" -> ["Hewitt"]."""
    parts = [t.text for t in tokens if not (t.is_punct or t.is_space) and t.lower_ not in POSSESSIVE]
    while len(parts) > 1 and parts[0].lower().rstrip(".") in TITLES:
        parts.pop(0)
    while len(parts) > 1 and parts[-1].lower().rstrip(".") in POSTNOMINALS:
        parts.pop()
    return parts


def compatible(short: list[str], full: list[str]) -> bool:
    """"Hewitt" and "P Hewitt" fit "Patricia Hewitt"; "John Hewitt" does not."""
    if not short or len(short) > len(full) or short[-1].lower() != full[-1].lower():
        return False
    return all(f.lower().startswith(s.lower().rstrip(".")) for s, f in zip(short[:-1], full[-len(short) : -1]))


def clean_name(tokens: list[Token]) -> str:
    return " ".join(t.text for t in tokens if t.lower_ not in POSSESSIVE and not t.is_space)


def org_name(ent: Span) -> str:
    """"the BBC's" -> "BBC", as written ("Chart-Track" keeps its hyphen)."""
    tokens = [t for t in ent if not t.is_space]
    while tokens and (tokens[-1].lower_ in POSSESSIVE or tokens[-1].is_punct):
        tokens.pop()
    if tokens and tokens[0].lower_ == "the":
        tokens = tokens[1:]
    return span_text(tokens) or ent.text.strip()


def strip_det(tokens: list[Token]) -> str:
    words = [t.text for t in tokens if not t.is_space]
    while words and words[0].lower() in ("the", "a", "an"):
        words.pop(0)
    return " ".join(words)


def span_text(tokens: list[Token]) -> str:
    if not tokens:
        return ""
    # A Span's text, not Doc.text: the latter joins the whole document on every call.
    return tokens[0].doc[tokens[0].i : tokens[-1].i + 1].text


def acronym_of(name: str) -> str:
    """"Equal Opportunities Commission" -> "EOC" (capitalised words only)."""
    return "".join(w[0] for w in name.split() if w[:1].isupper())


def org_short_forms(names: list[str]) -> dict[str, str]:
    """Acronyms to the names they abbreviate: "EOC" -> "Equal Opportunities Commission".
    (Not first words: "iPod" is not "iPod Photo", nor "Apple" "Apple Records".)"""
    full = {acronym_of(n): n for n in set(names) if len(n.split()) >= 2}
    return {name: full[name] for name in set(names) if name.isupper() and len(name) >= 2 and name in full}
