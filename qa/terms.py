"""Whether a text speaks of what a question asks about: its own words, or close paraphrases.

The question's "asked" words are the ones beyond the names it mentions and the kind of answer it
wants: "settled" and "legal action" in "How much did Makarov get when he settled his legal
action?". Abstention and sentence choice check that the evidence mentions them. Exact matching
missed paraphrases news uses all the time ("beat" for "won", "settled" for "settlement"), so a
word also counts as found when a word of the text starts with the same stem, or when the two
words' embeddings are close.
"""

from __future__ import annotations

import re
from collections.abc import Callable

import numpy as np

from index.lexicon import ORG_NOUNS
from qa.analyze import PEOPLE, QUESTION_WORDS, QuestionAnalysis, question_core
from qa.retrieve import content_terms, stem, stems

# Question words that name the kind of answer, not what it is about.
GENERIC = frozenset({"many", "much", "long", "big", "fast", "old", "name", "date", "year", "time", "number", "amount",
                     "total", "money", "figure", "score", "happen", "happened", "two", "three", "both",
                     "percentage", "percent", "proportion",
                     # when the question is asked, not what it asks: "does Glazer currently own"
                     "currently", "now", "still", "recently", "already", "exactly", "approximately", "roughly"})
# The kind of place a where-question asks for ("Between which two cities…"): what the answer is,
# not a word the answering sentence must hold.
PLACE_KINDS = frozenset({"city", "cities", "town", "towns", "country", "countries", "region", "place", "village"})
# Cosine of two single words' embeddings (all-MiniLM-L6-v2) above which they count as the same
# asked word. Measured on pairs: beat/win 0.64, buy/acquire 0.60, married/husband 0.81,
# profit/earnings 0.61; unrelated pairs reach 0.53 (money/government), so 0.6 keeps them apart.
SOFT_COSINE = 0.6
# Words whose embeddings are as close as paraphrases' though they mean the opposite (men/women
# 0.72, buy/sell 0.76, male/female 0.73, first/second 0.62, before/after 0.64): never the same
# asked word. "Who won the men's 3,000m?" is not answered by "Ceplak won the women's 800m".
OPPOSITES = frozenset(frozenset(pair) for pair in (
    ("men", "women"), ("man", "woman"), ("male", "female"), ("boy", "girl"), ("buy", "sell"), ("bought", "sold"),
    ("buyer", "seller"), ("first", "second"), ("first", "last"), ("increase", "decrease"), ("rise", "fall"),
    ("rose", "fell"), ("up", "down"), ("before", "after"), ("home", "away"), ("win", "lose"), ("won", "lost"),
    ("winner", "loser"), ("profit", "loss"), ("import", "export"), ("open", "close"), ("high", "low"),
    ("more", "less"), ("junior", "senior"), ("north", "south"), ("east", "west"), ("minimum", "maximum"),
    ("gain", "loss"), ("hire", "fire"), ("lend", "borrow"), ("lender", "borrower"), ("past", "future"),
))
_OPPOSITE_STEMS = frozenset(frozenset(stem(w) for w in pair) for pair in OPPOSITES)
MAX_CACHED = 50_000  # word vectors kept between questions
MIN_PREFIX = 4  # "settl" meets "settlement"; shorter stems would meet too much


# Words news uses for one another, irregular forms included: a question's "beat" is answered by
# "won … 7-5 6-3", its "bid" by "the offer". Each group is one meaning; stems of these words match.
PARAPHRASES: tuple[frozenset[str], ...] = tuple(frozenset(g.split()) for g in (
    "beat beaten win won winning defeat defeated victory",
    "lose lost losing loss defeat defeated",
    "buy bought purchase purchased acquire acquired acquisition takeover",
    "sell sold sale selling",
    "bid offer offered",
    "pay paid payment",
    "repay repaid repayment",
    "sack sacked fire fired dismiss dismissed",
    "cut cuts axe axed shed",
    "rise rose risen increase increased grow grew growth jump jumped climb climbed",
    "fall fell fallen drop dropped decline declined slump slumped",
    "die died death dead kill killed",
    "marry married wife husband",
    "born birth",
    "begin began begun start started",
    "sue sued lawsuit",
    "ban banned suspend suspended suspension",
    "reject rejected rebuff rebuffed spurn spurned",
    "earn earned earnings profit profits",
    "finish finished close closed end ended",
    "whole full entire",
    "economy economic gdp",
    "launch launched unveil unveiled introduce introduced",
    "project initiative scheme programme",
    "large largest big biggest",
    "meet face faced",
    "choose chose chosen select selected pick picked",
    "quit resign resigned",
    "arrest arrested detain detained",
    "character role",
    "head headed lead led",
    "opening debut premiere premiered",
    "cost costs priced retail retails",
))


def _paraphrase_stems() -> dict[str, frozenset[str]]:
    """stem -> the stems it may stand for: the union of every group holding it ("defeated" is
    both a win and a loss), computed once rather than per question."""
    out: dict[str, set[str]] = {}
    for group in PARAPHRASES:
        group_stems = {stem(w) for w in group}
        for s in group_stems:
            out.setdefault(s, set()).update(group_stems)
    return {s: frozenset(g) for s, g in out.items()}


_PARAPHRASE_OF = _paraphrase_stems()


def asked_words(analysis: QuestionAnalysis) -> list[str]:
    """The question's words beyond its names (and the words describing them), its answer noun
    and the answer's kind."""
    named = stems(" ".join(analysis.targets)) | {stem(w) for w in descriptors(analysis.text, analysis.targets)}
    noun = stem(analysis.answer_noun.lower()) if analysis.answer_noun else None
    kinds = PLACE_KINDS if analysis.type == "where" else frozenset()
    # a clause before the question places it and is not asked: "As Saudi Arabia prepared to hire
    # women, what share of the workforce…" asks of the workforce, not of hiring; nor is a clause
    # after it (question_core)
    proper = stems(question_core(analysis.text))
    return [w for w in analysis.terms if stem(w) not in named and stem(w) != noun and w not in GENERIC
            and stem(w) not in GENERIC and w not in kinds and stem(w) in proper]


# Words that describe a person or organisation right before its name: "former KGB officer
# Viktor Makarov", "Chelsea striker Didier Drogba", "the aid agency Cafod". The index's own role
# nouns and people words (qa.analyze.PEOPLE), less those that are as often verbs before a name
# ("head", "chair"), plus modifiers.
_ROLE_WORDS = (PEOPLE | ORG_NOUNS | frozenset(
    "former ex late new current acting interim deputy vice senior top fellow rival shareholder agent".split()
)) - {"head", "chair"}


def descriptors(question: str, targets: list[str]) -> set[str]:
    """Role words right before a name that describe it: "former" and "officer" in "the date of
    birth of former KGB officer Viktor Makarov". They say who the name is, not what is asked
    about it, so a sentence holding them is no closer to the answer. Only known role words
    count: in "when Johansson beat Taylor Dent", "beat" is what is asked."""
    tokens = [(m.group(0), m.start()) for m in re.finditer(r"[\w'’-]+", question)]
    starts = {q.start() for t in targets for q in re.finditer(re.escape(t), question)}
    out: set[str] = set()
    for i, (_, at) in enumerate(tokens):
        if at not in starts:
            continue
        # back over role words, and the names and "and" joining them: "the late La Fenice director
        # and conductor Marcello Viotti"
        j, roles = i, 0
        while j > 0 and roles < 3:
            word = tokens[j - 1][0]
            if word.lower() in _ROLE_WORDS:
                out.add(word.lower())
                roles += 1
            elif not (word == "and" or word[0].isupper() and word not in QUESTION_WORDS) or j - 1 == 0:
                break
            j -= 1
    return out



def literal_found(words: list[str], text: str) -> set[str]:
    """Words of `words` the text contains, by stem, by a shared stem prefix, or by a paraphrase
    from PARAPHRASES."""
    text_stems = stems(text)
    found = set()
    for w in words:
        s = stem(w)
        if s in text_stems or _PARAPHRASE_OF.get(s, frozenset()) & text_stems or (
            len(s) >= MIN_PREFIX and any(t.startswith(s) or (len(t) >= MIN_PREFIX and s.startswith(t)) for t in text_stems)
        ) or (len(s) < MIN_PREFIX and any(_inflected(s, t) for t in text_stems)):
            found.add(w)
    return found


def _inflected(short: str, word: str) -> bool:
    """A short verb's doubled-consonant forms, too short for the prefix rule: "runner" and
    "running" (stemmed "runn") for "run", "winner" for "win", "bidder" for "bid"."""
    return len(short) >= 3 and re.fullmatch(rf"{re.escape(short)}{re.escape(short[-1])}(?:er|ers)?", word) is not None


_HAS_DIGIT = re.compile(r"\d")


def opposite(a: str, b: str) -> bool:
    """Whether two words mean opposites (see OPPOSITES), by their stems."""
    return frozenset((stem(a.lower()), stem(b.lower()))) in _OPPOSITE_STEMS


class TermMatcher:
    """literal_found, completed by word embeddings; vectors of single words are cached."""

    def __init__(self, encode: Callable[[list[str]], np.ndarray]) -> None:
        self._encode = encode
        self._vectors: dict[str, np.ndarray] = {}

    def found(self, words: list[str], text: str) -> set[str]:
        found = literal_found(words, text)
        # figures match as written only: "000m" (of "3,000m") is close to "800m", another race
        rest = [w for w in words if w not in found and not _HAS_DIGIT.search(w)]
        if not rest:
            return found
        text_words = [w for w in content_terms(text) if len(w) >= 3 and not _HAS_DIGIT.search(w)]
        if not text_words:
            return found
        vectors = self._lookup(rest + text_words)
        tv = np.stack([vectors[w] for w in text_words])
        for w in rest:
            cosines = tv @ vectors[w]
            if any(c >= SOFT_COSINE and not opposite(w, t) for c, t in zip(cosines, text_words)):
                found.add(w)
        return found

    def _lookup(self, words: list[str]) -> dict[str, np.ndarray]:
        """Vectors for `words`, from the cache or encoded now (a local dict, so a cache reset by
        another thread cannot pull a vector away mid-question)."""
        out = {w: v for w in words if (v := self._vectors.get(w)) is not None}
        missing = list(dict.fromkeys(w for w in words if w not in out))
        if missing:
            if len(self._vectors) > MAX_CACHED:  # a long-running server: start over rather than grow
                self._vectors = {}
            for w, v in zip(missing, self._encode(missing), strict=True):
                out[w] = self._vectors[w] = v
        return out


# Words that pick one of a series out of several: "the second batch", "third-quarter profits",
# "last season", "the next round".
ORDINALS = ["first", "second", "third", "fourth", "fifth", "sixth", "seventh", "eighth", "ninth", "tenth",
            "last", "final", "next", "previous", "latest"]
_ORDINAL_NOUN = re.compile(rf"\b({'|'.join(ORDINALS)}|1st|2nd|3rd|[4-9]th)(?:[-\s]+|\s+\w+[-\s]+)(\w+)", re.IGNORECASE)


def ordinal_agreement(question: str, sentence: str) -> int:
    """Whether the sentence speaks of the one of a series the question asks about: 1 when it
    names it ("the second batch" for "the second batch"), -1 when it names only another ("its
    first batch of S-400" for the second, "second-quarter profits" for the third quarter), else
    0. The noun may be one word further ("the second S-400 batch")."""
    asked = {(stem(m.group(2).lower()), m.group(1).lower()) for m in _ORDINAL_NOUN.finditer(question)}
    if not asked:
        return 0
    said = {(stem(m.group(2).lower()), m.group(1).lower()) for m in _ORDINAL_NOUN.finditer(sentence)}
    if said & asked:
        return 1
    nouns = {noun for noun, _ in asked}
    return -1 if any(noun in nouns for noun, _ in said) else 0

