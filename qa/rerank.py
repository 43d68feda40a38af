"""Entity-aware boosting: a passage that names what the question is about moves up.

Dense retrieval blurs names ("Chemezov" and "Shugaev" are both Russian officials to the
encoder); a question that names someone wants passages about that someone.
"""

from __future__ import annotations

import re
from typing import NamedTuple

from qa.models import RetrievedPassage

# Two-letter names a question uses where the text often says something else.
SHORT_NAMES = {
    "UK": ("britain", "british", "united kingdom"),
    "US": ("america", "united states", "u\\.s\\."),
    "EU": ("european union", "european commission"),
    "UN": ("united nations",),
}
BOOST = 0.5  # a passage naming every target scores 1.5x; RRF scores of neighbours differ by ~2-5%


def target_hits(text: str, targets: list[str]) -> float:
    """Share of targets the text names. A multi-word name counts by its words of 3+ letters
    (so "Sergei Chemezov" half-matches "Chemezov", the usual second mention), each by a prefix
    long enough to match its derivations ("Brazilian" matches "Brazil's")."""
    if not targets:
        return 0.0
    low = text.lower()
    total = 0.0
    for target in targets:
        if len(target) <= 2 and target.isupper():  # "UK", "EU": a whole word, case kept, or a usual other name
            names = SHORT_NAMES.get(target.upper(), ())
            found = re.search(rf"\b{re.escape(target)}\b", text) or any(re.search(rf"\b{n}", low) for n in names)
            total += 1.0 if found else 0.0
            continue
        if " & " in target and re.search(rf"(?<![\w&]){re.escape(_ampersand_initials(target))}(?![\w&])", text):
            total += 1.0  # "M&S" names Marks & Spencer
            continue
        if (short := initialism(target)) and re.search(rf"\b{re.escape(short)}\b", text):
            total += 1.0  # "ISG" names International Steel Group, "FA" the Football Association
            continue
        words = [w for w in re.findall(r"[\w-]+", target.lower()) if len(w) >= 3 or any(c.isdigit() for c in w)]
        if not words:
            continue
        found = sum(1 for w in words if re.search(rf"(?<![\w-]){_hyphen_free(_prefix(w))}", low))
        total += found / len(words)
    return total / len(targets)


def _hyphen_free(word: str) -> str:
    """A pattern for the word with its hyphens written as a space or not at all: "Hewlett-Packard"
    is also "Hewlett Packard"."""
    return r"[-\s]?".join(re.escape(part) for part in word.split("-"))


# Small words an initialism leaves out: "Bank of England" is "BoE" or "BE", "World Health Organisation" "WHO".
_UNINITIALLED = {"of", "the", "and", "for", "de", "du", "la", "&"}


def initialism(name: str) -> str | None:
    """How news shortens a name of two or more capitalised words: "International Steel Group" ->
    "ISG", "Football Association" -> "FA". None for a single word or a name with a lower-case word
    other than "of", "the", "and"... (that is no proper name)."""
    words = [w for w in re.findall(r"[\w'’-]+", name) if w.lower() not in _UNINITIALLED]
    if len(words) < 2 or not all(w[:1].isupper() for w in words):
        return None
    return "".join(w[0] for w in words)


def _ampersand_initials(name: str) -> str:
    """How news shortens a name joined by "&": "Marks & Spencer" -> "M&S", "Procter & Gamble" -> "P&G"."""
    return "&".join(part.strip()[:1] for part in name.split("&"))


def _prefix(word: str) -> str:
    """Enough of a word to match its derivations: "brazilian" -> "brazil", "qantas" -> "qant"."""
    if any(c.isdigit() for c in word) or len(word) <= 5:
        return word
    return word[: max(5, len(word) - 3)]


def boost_targets(passages: list[RetrievedPassage], targets: list[str]) -> list[RetrievedPassage]:
    """Passages re-sorted by score x (1 + BOOST x share of targets named); ranks renumbered."""
    if not targets or not passages:
        return passages
    rescored = []
    for p in passages:
        hits = target_hits(f"{p.title}\n{p.text}", targets)
        rescored.append(p.model_copy(update={"score": round(p.score * (1 + BOOST * hits), 6)}))
    rescored.sort(key=lambda p: -p.score)
    for rank, p in enumerate(rescored, start=1):
        p.rank = rank
    return rescored


# Two passages sharing this share of their words (Jaccard) say the same thing: news corpora
# carry the same wire story twice, sometimes with a typo fixed ("Goya" / "Goyal").
SAME_TEXT = 0.9


class Distinct(NamedTuple):
    passages: list[RetrievedPassage]
    same_story: dict[str, str]  # doc_id of a document repeating another -> the higher-ranked copy's doc_id


def distinct(passages: list[RetrievedPassage]) -> Distinct:
    """The passages in order, without those repeating an earlier one's text: a duplicate
    article would otherwise take the places of the passages that go on with the story. The
    documents found repeating another are returned with it, so that the rest of a story can
    still be read from either copy."""
    kept: list[tuple[RetrievedPassage, set[str]]] = []
    first = {d: i for i, d in reversed(list(enumerate(p.doc_id for p in passages)))}  # a doc's best rank
    root: dict[str, str] = {}

    def story(doc: str) -> str:
        while doc in root:
            doc = root[doc]
        return doc

    for p in passages:
        words = set(re.findall(r"\w+", p.text.lower()))
        original = next((k for k, seen in kept if _jaccard(words, seen) >= SAME_TEXT), None)
        if original is None:
            kept.append((p, words))
            continue
        a, b = story(original.doc_id), story(p.doc_id)
        if a != b:  # the copy ranked higher stands for both
            root[max(a, b, key=first.get)] = min(a, b, key=first.get)
    return Distinct([p for p, _ in kept], {d: story(d) for d in root})


def _jaccard(a: set[str], b: set[str]) -> float:
    return len(a & b) / len(a | b) if a or b else 1.0
