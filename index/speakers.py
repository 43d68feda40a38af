"""Who is speaking: resolve the noun phrase that attributes a statement to a canonical speaker.

Resolution is within one parsed document. A speaker phrase is resolved, in order: a pronoun to
the most recent compatible person ("it" to the most recent organisation); "X's website" and
"the words of X" to X; a person named in the phrase to the fullest form of that name in the
document ("Shugaev" -> "Dmitry Shugaev"); an organisation or country to itself; a role
description ("the head of the Russian corporation Rostec") to the person or organisation the
document links to that role by apposition ("the head of the Rostec corporation Sergei
Chemezov"); a definite description no apposition explains ("the minister", "the company") to
the person or organisation just mentioned. Anything else stays an "unknown" speaker under its
own words ("analysts"), never guessed as someone else.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

from spacy.tokens import Doc, Span, Token

from index import phrases as ph
from index.lexicon import (
    CHANNEL_NOUNS, FEMALE_TITLES, MALE_TITLES, ORG_NOUNS, PERSON_NOUNS, PRONOUN_GENDER, RELATIVE_PRONOUNS,
)

SpeakerKind = Literal["person", "org", "unknown"]
# How far back a pronoun or definite description may look: the current and previous paragraph.
LOOKBACK_CHARS = 1500


@dataclass(frozen=True)
class SpeakerRef:
    """A resolved speaker: canonical name, the words the text used, and what kind it is."""

    name: str
    surface: str
    kind: SpeakerKind


@dataclass
class _Mention:
    offset: int
    sent: int
    name: str
    subject: bool


@dataclass
class DocSpeakers:
    """Per-document tables: names, roles, genders and the running lists of mentions."""

    surnames: dict[str, list[str]] = field(default_factory=dict)
    roles: list[tuple[ph.RoleSig, str, int, SpeakerKind]] = field(default_factory=list)
    gender: dict[str, str] = field(default_factory=dict)
    mentions: list[_Mention] = field(default_factory=list)
    orgs: list[tuple[int, str]] = field(default_factory=list)
    org_names: dict[str, str] = field(default_factory=dict)

    def resolve(self, head: Token) -> SpeakerRef | None:
        """The speaker named by the phrase headed by `head`, or None (an unresolvable pronoun)."""
        ref = self._resolve(head)
        if ref is not None and ref.kind == "person":
            self.mentions.append(_Mention(head.idx, head.sent.start, ref.name, True))
            self.mentions.sort(key=lambda m: m.offset)
        elif ref is not None and ref.kind == "org":
            self.orgs.append((head.idx, ref.name))
            self.orgs.sort()
        return ref

    def _resolve(self, head: Token) -> SpeakerRef | None:
        if head.pos_ == "PRON" or head.lower_ in RELATIVE_PRONOUNS:
            return self._resolve_pronoun(head)
        tokens = ph.phrase_tokens(head)
        surface = ph.span_text(tokens)
        owner = next((c for c in head.children if c.dep_ == "poss"), None)
        if head.lemma_.lower() in CHANNEL_NOUNS and owner is not None:
            inner = self._resolve(owner)
            return SpeakerRef(inner.name, surface, inner.kind) if inner else None
        author = ph.author_of_words(head)
        if author is not None:
            return self._resolve(author)
        named = self._named(tokens, head)
        if named is not None:
            return named
        return self._described(tokens, head, surface)

    def _named(self, tokens: list[Token], head: Token) -> SpeakerRef | None:
        """A phrase that names its speaker: a person, a known surname, an organisation."""
        person = ph.speaker_person(tokens, head)
        if person is not None:
            return SpeakerRef(self.canonical(person, head.idx), ph.clean_name(person), "person")
        if head.pos_ == "PROPN" and head.lower_ in self.surnames:
            return SpeakerRef(self.canonical([head], head.idx), head.text, "person")
        org = ph.speaker_org(tokens, head, ("appos",))
        if org is not None:
            return SpeakerRef(self.org_canonical(org), org.text, "org")
        return None

    def _described(self, tokens: list[Token], head: Token, surface: str) -> SpeakerRef | None:
        """A role description: linked by apposition, else a definite one to the last mention."""
        linked = self.match_role(ph.role_sig(tokens), head.idx)
        if linked is not None:
            return SpeakerRef(linked[0], surface, linked[1])
        # "the Rostec corporation": an organisation named as a compound of a noun no role matched.
        org = ph.speaker_org(tokens, head, ("appos", "compound"))
        if org is not None:
            return SpeakerRef(self.org_canonical(org), org.text, "org")
        lemma = head.lemma_.lower()
        definite = head.tag_ in ("NN", "NNP") and any(c.lower_ == "the" for c in head.lefts)
        if definite and lemma in ORG_NOUNS:
            org_ref = self._recent_org(head)
            if org_ref is not None:
                return SpeakerRef(org_ref.name, surface, "org")
        if definite and lemma in PERSON_NOUNS:
            name = self._recent_person(head, None)
            if name is not None:
                return SpeakerRef(name, surface, "person")
        return SpeakerRef(ph.strip_det(tokens), surface, "unknown")

    def _resolve_pronoun(self, head: Token) -> SpeakerRef | None:
        low = head.lower_
        if low in RELATIVE_PRONOUNS:
            # "Mr Smith, who said that …": the relative clause hangs on its antecedent.
            verb = head.head
            if verb.dep_ == "relcl" and verb.head.pos_ in ("PROPN", "NOUN"):
                ref = self._resolve(verb.head)
                return SpeakerRef(ref.name, head.text, ref.kind) if ref else None
            return None
        if low == "it":
            return self._recent_org(head)
        want = PRONOUN_GENDER.get(low)
        if want is None:
            return None  # I, we, they, you: not resolvable to one speaker here
        name = self._recent_person(head, want)
        if name is None:
            return None
        self.gender.setdefault(name, want)
        return SpeakerRef(name, head.text, "person")

    def _recent_person(self, head: Token, want: str | None) -> str | None:
        """The nearest earlier sentence's subject person (else its last person), gender permitting."""
        limit = head.idx - LOOKBACK_CHARS
        best: _Mention | None = None
        for m in reversed(self.mentions):
            if m.offset >= head.idx:
                continue
            if m.offset < limit or (best is not None and m.sent != best.sent):
                break
            if want is not None and self.gender.get(m.name, want) != want:
                continue
            if best is None or (m.subject and not best.subject):
                best = m
        return best.name if best else None

    def _recent_org(self, head: Token) -> SpeakerRef | None:
        """'It said', 'the company said': the nearest organisation that spoke or was named."""
        for offset, name in reversed(self.orgs):
            if offset < head.idx and head.idx - offset < LOOKBACK_CHARS:
                return SpeakerRef(name, head.text, "org")
        return None

    def canonical(self, tokens: list[Token] | Span, offset: int) -> str:
        """The fullest form in the document of the name `tokens` spell."""
        parts = ph.name_parts(tokens)
        if not parts:
            return ph.span_text(list(tokens))
        forms = self.surnames.get(parts[-1].lower(), [])
        fitting = [f for f in forms if ph.compatible(parts, f.split())]
        if not fitting:
            return " ".join(parts)
        return max(fitting, key=lambda f: (len(f.split()), -abs(self._last_offset(f, offset) - offset)))

    def org_canonical(self, ent: Span) -> str:
        name = ph.org_name(ent)
        return self.org_names.get(name, name)

    def _last_offset(self, name: str, offset: int) -> int:
        before = [m.offset for m in self.mentions if m.name == name and m.offset <= offset]
        return before[-1] if before else 10**9

    def match_role(self, sig: ph.RoleSig, offset: int) -> tuple[str, SpeakerKind] | None:
        """Who holds a role sharing a head noun with `sig`: most shared words, then nearest."""
        if not sig.heads:
            return None
        best, best_key = None, None
        for role, name, at, kind in self.roles:
            if not role.heads & sig.heads:
                continue
            key = (len(role.words & sig.words), -abs(at - offset))
            if best_key is None or key > best_key:
                best, best_key = (name, kind), key
        return best


def build_doc_speakers(sdoc: Doc, quoted: list[tuple[int, int]]) -> DocSpeakers:
    """Names, genders, roles and mentions of `sdoc`; `quoted` are spans inside quotation marks,
    whose names are what a speaker talks about, not who is speaking."""
    table = DocSpeakers()
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
            subject = ent.root.dep_ in ("nsubj", "nsubjpass")
            table.mentions.append(_Mention(ent.start_char, ent.root.sent.start, name, subject))
    orgs = [e for e in sdoc.ents if e.label_ == "ORG" and ph.org_name(e)]
    table.org_names = _org_canonical_names([ph.org_name(e) for e in orgs])
    for ent in orgs:
        name = table.org_canonical(ent)
        table.roles += [(sig, name, ent.start_char, "org") for sig in ph.roles_of(ent)]
        if not _inside(ent.start_char, quoted):
            table.orgs.append((ent.start_char, name))
    return table


def _org_canonical_names(names: list[str]) -> dict[str, str]:
    """Short forms to the fullest: "EOC" -> "Equal Opportunities Commission" (its initials),
    "Marsh" -> "Marsh & McLennan" (its first word)."""
    out = {}
    for name in set(names):
        longer = [n for n in set(names) if len(n) > len(name) and (n.startswith(name + " ") or ph.acronym_of(n) == name)]
        if longer:
            out[name] = max(longer, key=len)
    return out


def _inside(offset: int, spans: list[tuple[int, int]]) -> bool:
    return any(s <= offset < e for s, e in spans)
