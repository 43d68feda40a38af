"""Queries over the quote index: who said what, found by a fuzzy or partial name.

All functions are pure over a list of `Quote`s. A name matches speakers by their canonical
name (case-insensitive, any of its words, small misspellings), and only when no name matches,
by the words the texts used for them ("head of Rostec" finds the speaker of "the head of the
Russian corporation Rostec"). A name that matches nobody returns no statements and says so:
never someone else's words.
"""

from __future__ import annotations

import difflib
import re
from collections import Counter, defaultdict

from pydantic import BaseModel, Field

from index.models import Quote

# A misspelt name still matches at this similarity ("Chemezow" ~ "Chemezov" is 0.875).
FUZZY_CUTOFF = 0.85
SUGGEST_CUTOFF = 0.6
# Honorifics are not part of a name: the index keys "Sir Ian Blair" as "Ian Blair".
STOPWORDS = frozenset("the a an of for at in on and to by from with mr mrs ms miss dr sir dame lord lady prof professor rev".split())


class StatementGroup(BaseModel):
    """One speaker's statements in one document, in reading order."""

    doc_id: str
    title: str = Field(default="", description="Document title, filled in by callers that have the store.")
    speaker: str
    surfaces: list[str] = Field(default_factory=list, description="How this document names the speaker.")
    quotes: list[Quote]


class StatementsResult(BaseModel):
    """What `qa quotes NAME` returns."""

    query: str
    about: str | None = None
    speakers: list[str] = Field(default_factory=list, description="Canonical speakers the name matched.")
    groups: list[StatementGroup] = Field(default_factory=list, description="Statements by document, then speaker.")
    total: int = 0
    message: str | None = Field(default=None, description="Why nothing was found, when nothing was.")
    suggestions: list[str] = Field(default_factory=list, description="Speakers with similar names.")


class SpeakerCount(BaseModel):
    speaker: str
    kind: str
    count: int
    direct: int
    reported: int
    documents: int


def _words(text: str) -> list[str]:
    return re.findall(r"[\w'’-]+", text.lower())


def _name_words(text: str) -> list[str]:
    return [w for w in _words(text) if w not in STOPWORDS]


def merge_speakers(quotes: list[Quote]) -> list[Quote]:
    """Quotes with person speakers merged across documents: a name whose words end a single
    longer name in the collection becomes it ("Chemezov" -> "Sergei Chemezov"); names equal but
    for case take the commonest spelling. Ambiguous short names ("Brown" with both "Gordon
    Brown" and "Nick Brown" quoted) are left alone."""
    if not quotes:
        return []
    people = Counter(q.speaker for q in quotes if q.speaker_kind == "person")
    spelling = _commonest_spelling([q.speaker for q in quotes])
    # every proper ending of every longer name ("chemezov" of "sergei chemezov") -> those names,
    # built once: comparing each name with every other took 6 s on BBC's 2,306 people quoted
    endings: dict[tuple[str, ...], set[str]] = defaultdict(set)
    for f in people:
        words = _words(f)
        for k in range(1, len(words)):
            endings[tuple(words[k:])].add(spelling[f.lower()])
    rename = {}
    for name in people:
        longer = endings.get(tuple(_words(name)), set())
        if len(longer) == 1:
            rename[name] = next(iter(longer))
    by_first = _first_name_speakers(quotes, people)
    out = []
    for q in quotes:
        target = (by_first.get((q.doc_id, q.speaker)) or rename.get(q.speaker)) if q.speaker_kind == "person" else None
        target = target or spelling[q.speaker.lower()]
        out.append(q if target == q.speaker else q.model_copy(update={"speaker": target}))
    return out


def _first_name_speakers(quotes: list[Quote], people: Counter) -> dict[tuple[str, str], str]:
    """(document, one-word speaker) -> the one full name of that document's speakers it begins:
    British titles go with the first name ("Sir Ian told the meeting…" is Sir Ian Blair)."""
    full_in_doc: dict[str, set[str]] = defaultdict(set)
    for q in quotes:
        if q.speaker_kind == "person" and len(_words(q.speaker)) >= 2:
            full_in_doc[q.doc_id].add(q.speaker)
    out = {}
    for q in quotes:
        words = _words(q.speaker)
        if q.speaker_kind == "person" and len(words) == 1 and q.speaker in people:
            longer = {f for f in full_in_doc.get(q.doc_id, ()) if _words(f)[0] == words[0]}
            if len(longer) == 1:
                out[(q.doc_id, q.speaker)] = longer.pop()
    return out


def _commonest_spelling(names: list[str]) -> dict[str, str]:
    counts: dict[str, Counter] = defaultdict(Counter)
    for n in names:
        counts[n.lower()][n] += 1
    return {low: c.most_common(1)[0][0] for low, c in counts.items()}


def match_speakers(quotes: list[Quote], name: str) -> list[str]:
    """Canonical speakers `name` denotes: by name first, else by the words used for them."""
    query = _name_words(name)
    if not query:
        return []
    speakers = sorted({q.speaker for q in quotes})
    by_name = [s for s in speakers if _name_matches(query, _name_words(s))]
    if by_name:
        return by_name
    if len(query) < 2 and name.strip()[:1].isupper():
        return []  # a bare proper name ("Rostec") is a name, not a description of its head
    return sorted({q.speaker for q in quotes if q.surface and set(query) <= set(_name_words(q.surface))})


def _name_matches(query: list[str], speaker: list[str]) -> bool:
    """All query words in the name ("sergei chemezov", "chemezov"), or a close spelling of
    the whole name or of its surname ("chemezow")."""
    if not speaker:
        return False
    if all(w in speaker for w in query):
        return True
    close = lambda a, b: difflib.SequenceMatcher(None, a, b).ratio() >= FUZZY_CUTOFF  # noqa: E731
    if len(query) == 1:
        return close(query[0], speaker[-1])
    return close(" ".join(query), " ".join(speaker))


def find_statements(quotes: list[Quote], name: str, about: str | None = None) -> StatementsResult:
    """Statements by the speaker(s) `name` denotes, grouped by document then speaker, optionally
    only those mentioning `about`. Pass quotes through merge_speakers first so a surname
    finds statements from every document."""
    result = StatementsResult(query=name, about=about)
    if not name.strip():
        result.message = "Give a name: a surname is enough."
        return result
    result.speakers = match_speakers(quotes, name)
    if not result.speakers:
        result.suggestions = suggest_speakers(quotes, name)
        result.message = f"No statements by {name!r} in these sources."
        return result
    wanted = set(result.speakers)
    chosen = [q for q in quotes if q.speaker in wanted]
    if about and about.strip():
        chosen = [q for q in chosen if _mentions(q.text, about)]
        if not chosen:
            result.message = f"{', '.join(result.speakers)}: no statements about {about!r}."
            return result
    result.groups = _group(chosen)
    result.total = len(chosen)
    return result


def _mentions(text: str, about: str) -> bool:
    """Any content word of `about` in `text`, by a 5-letter stem ("sanctions" ~ "sanctioned")."""
    stems = {w[:5] for w in _name_words(about) if len(w) > 2}
    return any(w[:5] in stems for w in _words(text))


def _group(quotes: list[Quote]) -> list[StatementGroup]:
    groups: dict[tuple[str, str], list[Quote]] = {}
    for q in quotes:
        groups.setdefault((q.doc_id, q.speaker), []).append(q)
    out = []
    for (doc_id, speaker), qs in groups.items():
        qs.sort(key=lambda q: q.start)
        surfaces = list(dict.fromkeys(q.surface for q in qs if q.surface))
        out.append(StatementGroup(doc_id=doc_id, speaker=speaker, surfaces=surfaces, quotes=qs))
    return out


def suggest_speakers(quotes: list[Quote], name: str, limit: int = 5) -> list[str]:
    """Quoted speakers whose names look like `name`, most similar first."""
    speakers = sorted({q.speaker for q in quotes if q.speaker_kind != "unknown"})
    query = " ".join(_name_words(name))
    scored = []
    for s in speakers:
        words = _name_words(s)
        score = max([difflib.SequenceMatcher(None, query, " ".join(words)).ratio()]
                    + [difflib.SequenceMatcher(None, query, w).ratio() for w in words])
        if score >= SUGGEST_CUTOFF:
            scored.append((-score, s))
    return [s for _, s in sorted(scored)[:limit]]


def list_speakers(quotes: list[Quote], include_unknown: bool = False) -> list[SpeakerCount]:
    """People and organisations with their statement counts, most quoted first. Unnamed
    speakers ("analysts", "a spokesman") are left out unless asked for."""
    by: dict[str, list[Quote]] = defaultdict(list)
    for q in quotes:
        if include_unknown or q.speaker_kind != "unknown":
            by[q.speaker].append(q)
    out = [
        SpeakerCount(
            speaker=name,
            kind=Counter(q.speaker_kind for q in qs).most_common(1)[0][0],
            count=len(qs),
            direct=sum(q.direct for q in qs),
            reported=sum(not q.direct for q in qs),
            documents=len({q.doc_id for q in qs}),
        )
        for name, qs in by.items()
    ]
    out.sort(key=lambda s: (-s.count, s.speaker.lower()))
    return out
