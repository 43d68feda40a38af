"""The tables speaker resolution reads, built once per document: who the article names, with
what titles and roles, and where each person is mentioned (names, surnames the tagger missed,
and "he"/"she" subjects chained to the person they continue)."""

from __future__ import annotations

import bisect
from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal

from spacy.tokens import Doc, Token

from index import phrases as ph
from index.phrases import tokens_where
from index.lexicon import FEMALE_TITLES, MALE_TITLES, PERSON_NOUNS, PRONOUN_GENDER
from index.reported import CUE_LEMMAS

if TYPE_CHECKING:
    from index.speakers import DocSpeakers

SpeakerKind = Literal["person", "org", "unknown"]


@dataclass
class Mention:
    """Someone named (or referred to) at `offset`, for pronouns and descriptions to refer back to."""

    offset: int
    sent: int
    name: str
    rank: int  # 2: speaker or main-clause subject, 1: other subject, 0: any other mention
    kind: SpeakerKind = "person"


def fill_tables(table: "DocSpeakers", sdoc: Doc, quoted: list[tuple[int, int]]) -> "DocSpeakers":
    """Names, genders, roles and mentions of `sdoc`; `quoted` are spans inside quotation marks,
    whose names are what a speaker talks about, not who is speaking."""
    table.para_starts = [sdoc[t.i + 1].idx for t in tokens_where(sdoc, space=True) if t.i + 1 < len(sdoc) and "\n" in t.text]
    _add_people(table, sdoc, quoted)
    _add_surname_mentions(table, sdoc, quoted)
    table.mentions.sort(key=at)
    resolve_subject_pronouns(sdoc, table, quoted)
    _add_orgs(table, sdoc, quoted)
    return table


def _add_people(table: "DocSpeakers", sdoc: Doc, quoted: list[tuple[int, int]]) -> None:
    """Every PERSON name: its fullest form (longest names first), gender from a title, roles
    and a mention where it stands outside quotes."""
    people = [e for e in sdoc.ents if e.label_ == "PERSON" and ph.name_parts(e)]
    for ent in sorted(people, key=lambda e: -len(ph.name_parts(e))):
        parts = ph.name_parts(ent)
        forms = table.surnames.setdefault(parts[-1].lower(), [])
        if not any(ph.compatible(parts, f.split()) for f in forms):
            forms.append(" ".join(parts))
    for ent in people:
        name = table.canonical(ent, ent.start_char)
        title = ent[0].lower_.rstrip(".")
        if title in MALE_TITLES or title in FEMALE_TITLES:
            table.gender.setdefault(name, "m" if title in MALE_TITLES else "f")
        table.roles += [(sig, name, ent.start_char, "person") for sig in ph.roles_of(ent)]
        if not _inside(ent.start_char, quoted):
            table.mentions.append(Mention(ent.start_char, ent.root.sent.start_char, name, rank(ent.root)))


def _add_surname_mentions(table: "DocSpeakers", sdoc: Doc, quoted: list[tuple[int, int]]) -> None:
    """The tagger is inconsistent with surnames ("Ferguson was also upset" came out ORG): a lone
    proper noun that is a surname of the article is that person."""
    for tok in tokens_where(sdoc, pos={"PROPN"}):
        if tok.ent_type_ != "PERSON" and tok.lower_ in table.surnames and not _inside(tok.idx, quoted):
            if not (tok.i + 1 < len(sdoc) and sdoc[tok.i + 1].pos_ == "PROPN"):
                table.mentions.append(Mention(tok.idx, tok.sent.start_char, table.canonical([tok], tok.idx), rank(tok)))


def _add_orgs(table: "DocSpeakers", sdoc: Doc, quoted: list[tuple[int, int]]) -> None:
    orgs = [e for e in sdoc.ents if e.label_ == "ORG" and ph.org_name(e)]
    table.org_names = ph.org_short_forms([ph.org_name(e) for e in orgs])
    for ent in orgs:
        name = table.org_canonical(ent)
        table.roles += [(sig, name, ent.start_char, "org") for sig in ph.roles_of(ent)]
        if not _inside(ent.start_char, quoted):
            table.orgs.append((ent.start_char, name, ent.root.dep_ in ("nsubj", "nsubjpass")))


def resolve_subject_pronouns(sdoc: Doc, table: "DocSpeakers", quoted: list[tuple[int, int]]) -> None:
    """Chain "he"/"she" subjects through the text, so the person a paragraph is about stays
    the nearest mention even when the last name written was someone else's."""
    for tok in tokens_where(sdoc, lower=PRONOUN_GENDER):
        want = PRONOUN_GENDER.get(tok.lower_)
        if want and tok.dep_ in ("nsubj", "nsubjpass") and not _inside(tok.idx, quoted):
            found = table._recent_person(tok, want)
            if found is not None and found.kind == "person":
                table.gender.setdefault(found.name, want)
                bisect.insort(table.mentions, Mention(tok.idx, tok.sent.start_char, found.name, rank(tok)), key=at)


def rank(token: Token) -> int:
    """How prominent a mention is: 2 for the subject of a main clause or of a speech verb."""
    if token.dep_ not in ("nsubj", "nsubjpass"):
        return 0
    verb = token.head
    return 2 if verb.dep_ == "ROOT" or verb.lemma_.lower() in CUE_LEMMAS else 1


def one_person(head: Token) -> bool:
    """A singular description of a person: "a Labour spokesman", "one leading broker"."""
    return head.lemma_.lower() in PERSON_NOUNS and head.tag_ == "NN"


def at(m: Mention) -> int:
    return m.offset


def _inside(offset: int, spans: list[tuple[int, int]]) -> bool:
    return any(s <= offset < e for s, e in spans)
