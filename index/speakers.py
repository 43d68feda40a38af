"""Who is speaking: resolve the noun phrase that attributes a statement to a canonical speaker.

Resolution is within one parsed document (a spaCy Doc). A speaker phrase is resolved, in order:
a pronoun to the most recent compatible person; "X's website" to X; a person named in the phrase
to the fullest form of that name in the document ("Shugaev" -> "Dmitry Shugaev"); an organisation
or country to itself; a role description ("the head of the Russian corporation Rostec") to the
person the document links to that role by apposition ("the head of the Rostec corporation
Sergei Chemezov", "Sergei Chemezov, the head of ROSTEC"). What cannot be resolved is kept as
an "unknown" speaker under its own words, never guessed as someone else.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

from spacy.tokens import Doc, Span, Token

SpeakerKind = Literal["person", "org", "unknown"]

# Titles stripped from names: "Ms Hewitt" and "Patricia Hewitt" are one person.
MALE_TITLES = frozenset("mr sir lord king prince father baron congressman chairman brother duke earl".split())
FEMALE_TITLES = frozenset("mrs ms miss dame lady baroness queen princess congresswoman chairwoman sister duchess".split())
TITLES = MALE_TITLES | FEMALE_TITLES | frozenset(
    """mx dr prof professor president vice prime minister chancellor senator sen rep representative
    governor gov mayor judge justice general gen colonel col captain capt lieutenant lt sergeant
    sgt admiral commander cmdr ambassador pope bishop archbishop cardinal rev reverend sheikh
    ayatollah imam rabbi coach secretary chief deputy shadow foreign home premier""".split()
)
PRONOUN_GENDER = {"he": "m", "him": "m", "she": "f", "her": "f"}
RELATIVE_PRONOUNS = frozenset({"who", "that", "which"})
# "X's website said": the channel speaks for its owner.
CHANNEL_NOUNS = frozenset(
    "website site statement account blog page feed office communique release letter message post tweet channel".split()
)
# "according to the words of X", "comments by X": the words belong to X.
WORDS_NOUNS = frozenset("word words comment comments remark remarks statement statements view views".split())
ORG_LABELS = frozenset({"ORG", "GPE", "NORP"})
# Prepositions that stay inside a speaker phrase: "head of X", "spokesman for Y", "analyst at Z".
NP_PREPOSITIONS = frozenset({"of", "for", "at"})
NP_RIGHT_DEPS = frozenset({"appos", "compound", "flat", "nummod", "poss", "case", "amod", "punct", "cc", "conj"})
# How far back a pronoun may look for its person: the current and previous paragraph, roughly.
PRONOUN_WINDOW_CHARS = 1500


@dataclass(frozen=True)
class SpeakerRef:
    """A resolved speaker: canonical name, the words the text used, and what kind it is."""

    name: str
    surface: str
    kind: SpeakerKind


@dataclass(frozen=True)
class RoleSig:
    """A role as words: heads {"head"}, words {"head", "rostec", "corporation"}."""

    heads: frozenset[str]
    words: frozenset[str]


@dataclass
class _Mention:
    offset: int
    sent: int
    name: str
    subject: bool


@dataclass
class DocSpeakers:
    """Per-document tables: names, roles, genders and the running list of person mentions."""

    sdoc: Doc
    quoted: list[tuple[int, int]]
    surnames: dict[str, list[str]] = field(default_factory=dict)
    roles: list[tuple[RoleSig, str, int]] = field(default_factory=list)
    gender: dict[str, str] = field(default_factory=dict)
    mentions: list[_Mention] = field(default_factory=list)
    orgs: list[tuple[int, str]] = field(default_factory=list)

    def resolve(self, head: Token) -> SpeakerRef | None:
        """The speaker named by the phrase headed by `head`, or None (an unresolvable pronoun)."""
        ref = self._resolve(head)
        if ref is not None and ref.kind != "unknown":
            self._remember(head, ref)
        return ref

    def _resolve(self, head: Token) -> SpeakerRef | None:
        low = head.lower_
        if head.pos_ == "PRON" or low in RELATIVE_PRONOUNS:
            return self._resolve_pronoun(head)
        tokens = phrase_tokens(head)
        surface = _text(tokens)
        owner = next((c for c in head.children if c.dep_ == "poss"), None)
        if head.lemma_.lower() in CHANNEL_NOUNS and owner is not None:
            inner = self._resolve(owner)
            return SpeakerRef(inner.name, surface, inner.kind) if inner else None
        author = _author_of_words(head)
        if author is not None:
            inner = self._resolve(author)
            return SpeakerRef(inner.name, inner.surface, inner.kind) if inner else None
        person = _speaker_person(tokens, head)
        if person is not None:
            return SpeakerRef(self.canonical(person, head.idx), _clean_name(person), "person")
        if head.pos_ == "PROPN" and head.lower_ in self.surnames:
            return SpeakerRef(self.canonical([head], head.idx), head.text, "person")
        org = _speaker_org(tokens, head, ("appos",))
        if org is not None:
            return SpeakerRef(_org_name(org), org.text, "org")
        linked = self.match_role(role_sig(tokens), head.idx)
        if linked is not None:
            return SpeakerRef(linked, surface, "person")
        # "the Rostec corporation": an organisation named as a compound of a noun no role matched.
        org = _speaker_org(tokens, head, ("appos", "compound"))
        if org is not None:
            return SpeakerRef(_org_name(org), org.text, "org")
        return SpeakerRef(_strip_det(tokens), surface, "unknown")

    def _resolve_pronoun(self, head: Token) -> SpeakerRef | None:
        low = head.lower_
        if low in RELATIVE_PRONOUNS:
            # "Mr Smith, who said that ...": the relative clause hangs on its antecedent.
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

    def _recent_person(self, head: Token, want: str) -> str | None:
        """The nearest earlier sentence's subject person (else its last person), gender permitting."""
        limit = head.idx - PRONOUN_WINDOW_CHARS
        best: _Mention | None = None
        for m in reversed(self.mentions):
            if m.offset >= head.idx:
                continue
            if m.offset < limit or (best is not None and m.sent != best.sent):
                break
            if self.gender.get(m.name, want) != want:
                continue
            if best is None or (m.subject and not best.subject):
                best = m
        return best.name if best else None

    def _recent_org(self, head: Token) -> SpeakerRef | None:
        """'It said': the nearest organisation that spoke or was named, close by."""
        for offset, name in reversed(self.orgs):
            if offset < head.idx and head.idx - offset < PRONOUN_WINDOW_CHARS // 2:
                return SpeakerRef(name, head.text, "org")
        return None

    def _remember(self, head: Token, ref: SpeakerRef) -> None:
        if ref.kind == "person":
            self.mentions.append(_Mention(head.idx, _sent_index(head), ref.name, True))
            self.mentions.sort(key=lambda m: m.offset)
        else:
            self.orgs.append((head.idx, ref.name))
            self.orgs.sort()

    def canonical(self, tokens: list[Token] | Span, offset: int) -> str:
        """The fullest form in the document of the name `tokens` spell."""
        parts = _name_parts(tokens)
        if not parts:
            return _text(list(tokens))
        forms = self.surnames.get(parts[-1].lower(), [])
        fitting = [f for f in forms if _compatible(parts, f.split())]
        if not fitting:
            return " ".join(parts)
        return max(fitting, key=lambda f: (len(f.split()), -abs(self._last_offset(f, offset) - offset)))

    def _last_offset(self, name: str, offset: int) -> int:
        before = [m.offset for m in self.mentions if m.name == name and m.offset <= offset]
        return before[-1] if before else 10**9

    def match_role(self, sig: RoleSig, offset: int) -> str | None:
        """The person whose role shares a head noun with `sig`: most shared words, then nearest."""
        if not sig.heads:
            return None
        best, best_key = None, None
        for role, name, at in self.roles:
            if not role.heads & sig.heads:
                continue
            key = (len(role.words & sig.words), -abs(at - offset))
            if best_key is None or key > best_key:
                best, best_key = name, key
        return best


def build_doc_speakers(sdoc: Doc, quoted: list[tuple[int, int]]) -> DocSpeakers:
    """Names, genders, roles and person mentions of `sdoc`; `quoted` are spans inside quotation marks."""
    table = DocSpeakers(sdoc, quoted)
    people = [e for e in sdoc.ents if e.label_ == "PERSON" and _name_parts(e)]
    for ent in sorted(people, key=lambda e: -len(_name_parts(e))):
        parts = _name_parts(ent)
        forms = table.surnames.setdefault(parts[-1].lower(), [])
        if not any(_compatible(parts, f.split()) and len(f.split()) >= len(parts) for f in forms):
            forms.append(" ".join(parts))
    for ent in people:
        name = table.canonical(ent, ent.start_char)
        title = ent[0].lower_.rstrip(".")
        if title in MALE_TITLES or title in FEMALE_TITLES:
            table.gender.setdefault(name, "m" if title in MALE_TITLES else "f")
        for sig in _roles_of(ent):
            table.roles.append((sig, name, ent.start_char))
        if not _inside(ent.start_char, quoted):
            subject = ent.root.dep_ in ("nsubj", "nsubjpass")
            table.mentions.append(_Mention(ent.start_char, _sent_index(ent.root), name, subject))
    table.orgs = [(e.start_char, _org_name(e)) for e in sdoc.ents if e.label_ == "ORG" and not _inside(e.start_char, quoted)]
    return table


def phrase_tokens(head: Token) -> list[Token]:
    """The noun phrase headed by `head`: left modifiers, appositions and of/for/at attachments,
    but not relative clauses or "during a meeting with ..." (whose names are not the speaker)."""
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
    while lo > 0 and tokens[lo - 1].i == tokens[lo].i - 1:
        lo -= 1
    while hi + 1 < len(tokens) and tokens[hi + 1].i == tokens[hi].i + 1:
        hi += 1
    span = tokens[lo : hi + 1]
    while span and span[-1].is_punct:
        span.pop()
    while span and span[0].is_punct:
        span.pop(0)
    return span


def role_sig(tokens: list[Token] | Span) -> RoleSig:
    """Head nouns are the common nouns before the first preposition ("the TASS military expert and
    commentator" -> expert, commentator); words are every noun and adjective of the phrase."""
    heads, words, in_head = set(), set(), True
    for t in tokens:
        if t.ent_type_ == "PERSON" and t.lower_.rstrip(".") not in TITLES:
            continue
        if t.pos_ == "ADP":
            in_head = False
        lemma = t.lemma_.lower()
        if t.pos_ in ("NOUN", "PROPN", "ADJ"):
            words.add(lemma)
        if in_head and (t.pos_ == "NOUN" or (t.pos_ == "PROPN" and not t.ent_type_)):
            heads.add(lemma)
    return RoleSig(frozenset(heads), frozenset(words))


def _roles_of(ent: Span) -> list[RoleSig]:
    """Roles the text gives a person by apposition or as a title before the name."""
    root, sigs = ent.root, []
    titles = [t for t in ent if t.lower_.rstrip(".") in TITLES]
    left = [t for t in root.subtree if t.i < ent.start] + titles
    if left:
        sigs.append(role_sig(left))
    if root.dep_ == "appos":
        noun = root.head
        while noun.dep_ == "pobj" and noun.head.dep_ == "prep" and noun.head.head.pos_ in ("NOUN", "PROPN"):
            noun = noun.head.head
        sigs.append(role_sig([t for t in phrase_tokens(noun) if t.i < ent.start or t.i >= ent.end]))
    if root.dep_ == "conj" and root.head.pos_ == "NOUN":
        # "the TASS military expert and commentator Viktor Litovkin" parses as "expert and Litovkin".
        sigs.append(role_sig([t for t in root.head.subtree if t.i <= root.head.i]))
    for child in root.children:
        if child.dep_ == "appos" and child.ent_type_ != "PERSON":
            sigs.append(role_sig(phrase_tokens(child)))
    return [s for s in sigs if s.heads]


def _speaker_person(tokens: list[Token], head: Token) -> list[Token] | None:
    """The name of the person the phrase denotes: the head's own name, an apposition's, or a
    name ending a title ("the head of the Rostec corporation Sergei Chemezov"), but not the
    object of a preposition ("a spokesman for Tony Blair" is not Blair)."""
    if head.ent_type_ == "PERSON":
        return _ent_tokens(head)
    for t in tokens:
        if t.ent_type_ == "PERSON" and t.ent_iob_ == "B":
            name = _ent_tokens(t)
            before = t.doc[t.i - 1] if t.i > 0 else None
            owned = any(x.dep_ == "poss" for x in name) or (before is not None and before.pos_ in ("ADP", "DET"))
            if not owned:
                return name
    if head.pos_ == "PROPN" and any(t.lower_.rstrip(".") in TITLES for t in head.lefts):
        return [t for t in head.lefts if t.pos_ == "PROPN"] + [head]
    return None


def _author_of_words(head: Token) -> Token | None:
    if head.lemma_.lower() not in WORDS_NOUNS and head.lower_ not in WORDS_NOUNS:
        return None
    for prep in head.children:
        if prep.dep_ == "prep" and prep.lower_ in ("of", "by", "from"):
            return next((c for c in prep.children if c.dep_ == "pobj"), None)
    return next((c for c in head.children if c.dep_ == "poss"), None)


def _speaker_org(tokens: list[Token], head: Token, deps: tuple[str, ...]) -> Span | None:
    """An organisation, country or group that is the phrase's head or attached to it by `deps`
    ("the Russian media agency Interfax"); not an adjective ("the Russian expert")."""
    for t in tokens:
        if t.ent_type_ not in ORG_LABELS:
            continue
        ent = next(e for e in head.doc.ents if e.start <= t.i < e.end)
        if head in ent or (ent.root.head == head and ent.root.dep_ in deps):
            return ent
    return None


def _ent_tokens(token: Token) -> list[Token]:
    ent = next(e for e in token.doc.ents if e.start <= token.i < e.end)
    return list(ent)


def _name_parts(tokens: list[Token] | Span) -> list[str]:
    """Name words without titles and possessive: "Ms Hewitt's" -> ["Hewitt"]."""
    parts = [t.text for t in tokens if not (t.is_punct or t.is_space) and t.lower_ not in ("'s", "’s")]
    while len(parts) > 1 and parts[0].lower().rstrip(".") in TITLES:
        parts.pop(0)
    return parts


def _compatible(short: list[str], full: list[str]) -> bool:
    """"Hewitt" and "P Hewitt" fit "Patricia Hewitt"; "John Hewitt" does not."""
    if not short or len(short) > len(full) or short[-1].lower() != full[-1].lower():
        return False
    return all(f.lower().startswith(s.lower().rstrip(".")) for s, f in zip(short[:-1], full[-len(short) : -1]))


def _clean_name(tokens: list[Token]) -> str:
    return " ".join(t.text for t in tokens if t.lower_ not in ("'s", "’s"))


def _org_name(ent: Span) -> str:
    words = [t.text for t in ent if t.lower_ not in ("'s", "’s")]
    if words and words[0].lower() == "the":
        words = words[1:]
    return " ".join(words) or ent.text


def _strip_det(tokens: list[Token]) -> str:
    words = [t.text for t in tokens]
    while words and words[0].lower() in ("the", "a", "an"):
        words.pop(0)
    return " ".join(words)


def _text(tokens: list[Token]) -> str:
    if not tokens:
        return ""
    doc = tokens[0].doc
    return doc.text[tokens[0].idx : tokens[-1].idx + len(tokens[-1])]


def _sent_index(token: Token) -> int:
    return token.sent.start


def _inside(offset: int, spans: list[tuple[int, int]]) -> bool:
    return any(s <= offset < e for s, e in spans)
