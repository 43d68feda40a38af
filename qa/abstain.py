"""When to say "the sources don't say": a decision from a few measured signals of the evidence.

The thresholds are calibrated on labelled questions (see docs/abstention.md for the curve and
how it was measured), not on any one question: an unanswerable question typically names
something the best passage does not mention, or asks for a type (a date, an amount) that the
best sentence does not hold, or is simply far from every passage.
"""

from __future__ import annotations

from pydantic import BaseModel, Field

# Calibrated thresholds (docs/abstention.md).
MIN_PASSAGE_COSINE = 0.25
# A passage naming everything the question names may phrase it very differently ("What did
# Chemezov say?" is only 0.17 from his quote), so it needs far less similarity.
MIN_PASSAGE_COSINE_ALL_TARGETS = 0.10
MIN_TARGET_COVERAGE = 0.5
# How close in meaning a sentence sharing none of an untyped question's words must be to answer it.
MIN_UNWORDED_COSINE = 0.4


class Evidence(BaseModel):
    passage_cosine: float = Field(description="Best cosine of question to a candidate passage.")
    sentence_cosine: float = Field(description="Cosine of question to the chosen sentence.")
    target_coverage: float = Field(description="Share of the question's named targets in the cited passage and title.")
    typed: bool = Field(description="The question asks for a typed answer (date, amount, person...).")
    typed_found: bool = Field(description="A span of that type was found in the chosen sentence.")
    numeric: bool = Field(default=False, description="The type asked for is an amount, count, date or measure.")
    place: bool = Field(default=False, description="The question asks where.")
    targets: int = Field(description="How many named targets the question has.")
    answer_noun_found: bool = Field(default=True, description="The noun naming the answer ('hospital') is in the cited passage.")
    measure_found: bool = Field(default=True, description="The noun naming what a figure measures ('revenue', 'profit') "
                                "is in the cited passage, when the question has one.")
    post_found: bool = Field(default=True, description="For a question asking who holds a post ('the chairman of…'), "
                             "the cited passage names that post.")
    asked_terms: int = Field(default=0, description="Words of the question beyond its names and the answer's kind.")
    asked_terms_found: int = Field(default=0, description="How many of those the cited passage contains.")
    figure_stated: bool = Field(default=True, description="The chosen sentence holds an asked word, or the answer "
                                "beside the noun naming it: it says what its figure (or place) is for.")
    deed_stated: bool = Field(default=True, description="For a question asking who did something ('Who wrote…'), "
                              "the chosen sentence holds that verb, the answer stands beside its noun, or the "
                              "sentence names the answer as more than the one speaking.")
    unknown_targets: list[str] = Field(default_factory=list, description="Targets no passage in the collection mentions.")


class Verdict(BaseModel):
    abstain: bool
    reason: str = ""


def decide(e: Evidence) -> Verdict:
    if e.unknown_targets:
        names = ", ".join(e.unknown_targets)
        return Verdict(abstain=True, reason=f"no source mentions {names}")
    floor = MIN_PASSAGE_COSINE_ALL_TARGETS if e.targets and e.target_coverage >= 1.0 else MIN_PASSAGE_COSINE
    if e.passage_cosine < floor:
        return Verdict(abstain=True, reason=f"no passage is close to the question (best similarity {e.passage_cosine:.2f})")
    if e.targets and e.target_coverage < MIN_TARGET_COVERAGE:
        return Verdict(abstain=True, reason="the closest passages do not mention what the question names")
    if e.numeric and not e.measure_found:
        # "What was Lufthansa's total revenue?" is not answered by a passage that never says
        # revenue, whatever figures it gives ("a 2004 dividend of 0.30 euros"). Nouns that only
        # describe the figure ("share", "score") are often not written and do not count.
        return Verdict(abstain=True, reason="no passage gives that figure for what the question asks")
    if e.numeric and e.asked_terms and not e.figure_stated:
        # A figure next to the right names, its sentence holding no asked word and not standing
        # beside the noun asked, is usually another figure: "joined the KGB in the 1970s" for
        # "the date of birth of Makarov", "Sun Grid costs users $1" for "How much has Sun spent
        # developing Sun Grid?" (an asked word elsewhere in the passage does not help). Beside
        # the noun asked it needs no other word: "will be given at least 8,000 tickets".
        return Verdict(abstain=True, reason="no passage gives that figure for what the question asks")
    if e.place and e.asked_terms and not e.figure_stated:
        # A place beside the right name is as often another place: "a visit to Sheffield" for
        # "Where was Tony Blair born?". Its sentence must hold a word asked ("born", "held").
        return Verdict(abstain=True, reason="no passage says where, for what the question asks")
    if not e.typed and e.asked_terms and not e.asked_terms_found and e.sentence_cosine < MIN_UNWORDED_COSINE:
        # A question with no typed answer whose cited passage holds none of its words beyond the
        # names, nor comes close in meaning, speaks of something else that bears the name: "What
        # is the population of Mars?" is not answered by "…Mars, 53, has failed to provide…".
        return Verdict(abstain=True, reason="no passage speaks of what the question asks about its names")
    if e.typed and e.typed_found and not e.deed_stated:
        # "Who wrote the Bofra virus?" is not answered by "F-Secure said it had not seen many
        # copies of the Bofra virus": a name near the right words, saying nothing of writing.
        return Verdict(abstain=True, reason="no passage says who did what the question asks")
    if e.typed and not e.post_found:
        # "Who is the chairman of Manchester United?" is not answered by a passage naming the
        # club's suitor and its manager but no chairman: posts are written out in news.
        return Verdict(abstain=True, reason="no passage names the post asked about")
    if e.typed and not e.typed_found:
        # NER plus patterns find names, places, amounts and dates reliably: a question asking for
        # one whose chosen sentence (or any typed sentence of its document) holds none is not
        # answered there. On the two BBC sets every such answer was wrong, three of them to
        # unanswerable questions ("Who was Patsy Rowlands married to?").
        if not e.answer_noun_found:
            return Verdict(abstain=True, reason="no passage names the kind of thing asked for")
        return Verdict(abstain=True, reason="no passage states the kind of answer asked for")
    return Verdict(abstain=False)
