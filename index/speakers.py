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

import bisect
from collections import Counter
from dataclasses import dataclass, field

from spacy.tokens import Doc, Span, Token

from index import phrases as ph
from index.lexicon import (
    CHANNEL_NOUNS, ORG_NOUNS, PERSON_NOUNS, PRONOUN_GENDER, RELATIVE_PRONOUNS, ROLE_QUALIFIERS, SOURCE_NOUNS,
)
from index.mentions import Mention, SpeakerKind, at, fill_tables, one_person

# How far back a pronoun or definite description may look: the current and previous paragraph.
LOOKBACK_CHARS = 1500
# How far ahead a role named before its holder may look: a sentence of about 40 words.
LEDE_CHARS = 300


@dataclass(frozen=True)
class SpeakerRef:
    """A resolved speaker: canonical name, the words the text used, and what kind it is."""

    name: str
    surface: str
    kind: SpeakerKind


@dataclass
class DocSpeakers:
    """Per-document tables: names, roles, genders and the running lists of mentions."""

    surnames: dict[str, list[str]] = field(default_factory=dict)
    roles: list[tuple[ph.RoleSig, str, int, SpeakerKind]] = field(default_factory=list)
    gender: dict[str, str] = field(default_factory=dict)
    mentions: list[Mention] = field(default_factory=list)
    orgs: list[tuple[int, str, bool]] = field(default_factory=list)  # offset, name, is a subject
    org_names: dict[str, str] = field(default_factory=dict)
    para_starts: list[int] = field(default_factory=list)

    def resolve(self, head: Token) -> SpeakerRef | None:
        """The speaker named by the phrase headed by `head`, or None (an unresolvable pronoun)."""
        ref = self._resolve(head)
        if ref is None:
            return None
        if ref.kind == "org":
            bisect.insort(self.orgs, (head.idx, ref.name, True))
        elif ref.kind == "person" or one_person(head):
            # An unnamed "Labour spokesman" can still be the "he" of the next sentence, and
            # the "spokesman" of a later one.
            bisect.insort(self.mentions, Mention(head.idx, head.sent.start_char, ref.name, 2, ref.kind), key=at)
            if ref.kind == "unknown":
                self.roles.append((ph.role_sig(ph.phrase_tokens(head)), ref.name, head.idx, "unknown"))
        return ref

    def _resolve(self, head: Token) -> SpeakerRef | None:
        if head.pos_ == "PRON" or head.lower_ in RELATIVE_PRONOUNS:
            return self._resolve_pronoun(head)
        appos = next((c for c in reversed(list(head.rights)) if c.dep_ == "appos" and c.pos_ in ("NOUN", "PROPN")), None)
        if head.ent_type_ in ("GPE", "LOC") and appos is not None:
            # A dateline parsed as the subject: "MOSCOW, (BM) – The head of … Rostec … announced".
            return self._resolve(appos)
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
        org_name = self._org_named(person) if person is not None else None
        if org_name is not None:
            return SpeakerRef(org_name, ph.clean_name(person), "org")
        if person is not None:
            return SpeakerRef(self.canonical(person, head.idx), ph.clean_name(person), "person")
        if head.pos_ == "PROPN" and head.lower_ in self.surnames:
            return SpeakerRef(self.canonical([head], head.idx), head.text, "person")
        org = ph.speaker_org(tokens, head, ("appos",))
        if org is not None:
            return SpeakerRef(self.org_canonical(org), org.text, "org")
        name = ph.untagged_name(tokens, head)
        if name is not None:  # "Anti-virus firm Sophos said", with Sophos unknown to the tagger
            return SpeakerRef(ph.clean_name(name), ph.clean_name(name), ph.described_kind(tokens))
        return None

    def _described(self, tokens: list[Token], head: Token, surface: str) -> SpeakerRef | None:
        """A role description: linked by apposition, else a definite one to the last mention."""
        # "Analysts say": a plural is a group, never the one person or firm a role names.
        linked = None if head.tag_ in ("NNS", "NNPS") else self.match_role(ph.role_sig(tokens), head.idx)
        if linked is not None:
            return SpeakerRef(linked[0], surface, linked[1])
        lemma = head.lemma_.lower()
        # "the Rostec corporation" is Rostec; "an SFA spokesman" is a person, not the SFA.
        org = ph.speaker_org(tokens, head, ("appos", "compound"))
        if org is not None and lemma not in PERSON_NOUNS:
            return SpeakerRef(self.org_canonical(org), org.text, "org")
        definite = head.tag_ in ("NN", "NNP") and any(c.lower_ == "the" for c in head.lefts)
        if definite and lemma in ORG_NOUNS:
            org_ref = self._recent_org(head)
            if org_ref is not None:
                return SpeakerRef(org_ref.name, surface, "org")
        if definite and lemma in PERSON_NOUNS:
            sig = ph.role_sig(tokens)
            # Not when the one just named holds another version of the role (the deputy, the
            # shadow): then the description is someone else, and unresolved.
            other = {name for role, name, _, _ in self.roles if role.heads & sig.heads and (role.words ^ sig.words) & ROLE_QUALIFIERS}
            found = self._recent_person(head, None, own_sentence=False) or self._next_person(head)
            found = None if found is not None and found.name in other else found
            if found is not None:
                return SpeakerRef(found.name, surface, found.kind)
        if lemma in SOURCE_NOUNS:
            return None
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
        found = self._recent_person(head, want)
        if found is None:
            return None
        self.gender.setdefault(found.name, want)
        return SpeakerRef(found.name, head.text, found.kind)

    def _recent_person(self, head: Token, want: str | None, own_sentence: bool = True) -> Mention | None:
        """The person a pronoun or definite description refers back to, gender permitting.

        Within the two nearest sentences naming anyone, the most prominent mention wins (a
        speaker or main-clause subject, then any subject): "Mr Makarov joined the KGB. One of
        his fellow pupils was Vladimir Putin. At KGB headquarters he …" is Makarov. In the
        pronoun's own sentence only a subject counts: "Commenting on Mr Makarov's case, he
        said" is not Makarov; for a description none does ("Mr Prescott hosted a dinner where
        the prime minister told …" are two people).
        """
        limit, sent = head.idx - LOOKBACK_CHARS, head.sent.start_char
        cands = [
            m for m in reversed(self.mentions)
            if limit <= m.offset < head.idx and (m.sent != sent or (m.rank and own_sentence))
            and (want is None or self.gender.get(m.name, want) == want)
        ]
        near = list(dict.fromkeys(m.sent for m in cands))[:2]
        if len(near) == 2 and self._para(near[1]) != self._para(near[0]):
            near = near[:1]  # a new paragraph: the last one named there comes first
        ranked = [m for m in cands if m.sent in near and m.rank]
        if ranked:
            return max(ranked, key=lambda m: (m.rank, m.offset))
        return cands[0] if cands else None

    def _para(self, offset: int) -> int:
        return bisect.bisect_right(self.para_starts, offset)

    def _next_person(self, head: Token) -> Mention | None:
        """A lede names the role first: "…, the Trade and Industry Secretary has said.
        Patricia Hewitt said …". The subject named in the next sentence or so."""
        return next(
            (m for m in self.mentions if head.idx < m.offset < head.idx + LEDE_CHARS and m.rank and m.kind == "person"),
            None,
        )

    def _recent_org(self, head: Token) -> SpeakerRef | None:
        """'It said': the nearest organisation named before. 'The party said': one named close
        before whose name holds the noun ("Labour Party"), else the one most often a subject
        and named so far (the article's subject), the nearest on a tie."""
        near = [(at, name) for at, name, _ in self.orgs if head.idx - LOOKBACK_CHARS <= at < head.idx]
        if not near:
            return None
        if head.pos_ == "PRON":
            return SpeakerRef(near[-1][1], head.text, "org")
        noun = head.lemma_.lower()
        named = [item for item in near if noun in item[1].lower().split()]
        before = [(name, subject) for at, name, subject in self.orgs if at < head.idx]
        subjects, counts = Counter(n for n, subj in before if subj), Counter(n for n, _ in before)
        best = max(named or near, key=lambda item: (subjects[item[1]], counts[item[1]], item[0]))
        return SpeakerRef(best[1], head.text, "org")

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

    def _org_named(self, person: list[Token]) -> str | None:
        """A lone word the tagger took for a person that no fuller person name explains but an
        organisation does ("Marsh said" beside "Marsh & McLennan"): that organisation."""
        parts = ph.name_parts(person)
        if len(parts) != 1 or len(self.canonical(person, person[0].idx).split()) > 1:
            return None
        if parts[0] in self.org_names:
            return self.org_names[parts[0]]
        longer = sorted({n for _, n, _ in self.orgs if n.startswith(parts[0] + " ")}, key=len)
        return longer[-1] if longer else None

    def org_canonical(self, ent: Span) -> str:
        name = ph.org_name(ent)
        return self.org_names.get(name, name) if ent.label_ == "ORG" else name

    def _last_offset(self, name: str, offset: int) -> int:
        before = [m.offset for m in self.mentions if m.name == name and m.offset <= offset]
        return before[-1] if before else 10**9

    def match_role(self, sig: ph.RoleSig, offset: int) -> tuple[str, SpeakerKind] | None:
        """Who holds a role sharing a head noun with `sig`: most shared words, then nearest."""
        if not sig.heads:
            return None
        best, best_key = None, None
        for role, name, held_at, kind in self.roles:
            # "the prime minister" is not the deputy prime minister: a qualifier must agree.
            if not role.heads & sig.heads or (role.words ^ sig.words) & ROLE_QUALIFIERS:
                continue
            key = (len(role.words & sig.words), -abs(held_at - offset))
            if best_key is None or key > best_key:
                best, best_key = (name, kind), key
        return best


def build_doc_speakers(sdoc: Doc, quoted: list[tuple[int, int]]) -> DocSpeakers:
    """Names, genders, roles and mentions of `sdoc`; `quoted` are spans inside quotation marks,
    whose names are what a speaker talks about, not who is speaking."""
    return fill_tables(DocSpeakers(), sdoc, quoted)
