"""From a question to an answer built only from the sources: never invented, always cited.

1. resolve a follow-up against earlier turns; analyse the question (type, targets, speaker);
2. retrieve (hybrid by default) and boost passages naming the question's targets;
3. what-did-X-say questions: X's statements from the quote index, each cited;
   others: score the sentences of the best passages, take a typed short answer (a date, an
   amount, a person…) from the best one, and quote the supporting words verbatim;
4. abstain when the evidence is weak (see qa/abstain.py), showing the closest passages.
"""

from __future__ import annotations

import re
import time
from functools import cache
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, NamedTuple

import numpy as np

from index.lexicon import HONORIFICS, ORG_NOUNS, TITLES
from qa.abstain import MIN_TARGET_COVERAGE, Evidence, decide
from qa.analyze import NAMED_KINDS, PEOPLE, POSTS, SAY_VERBS, VERB_POSTS, QuestionAnalysis, analyse, member_noun, singular
from qa.extract import (
    ASKS_MAKER,
    STATES_MAKING,
    FULL_NAME_LABELS,
    TypedSpan,
    agent_of_asked,
    object_of_asked,
    subject_of_asked,
    antecedent,
    beside_noun,
    denies_asked,
    clause_around,
    focus_points,
    full_name,
    month_agreement,
    named_after_noun,
    named_before_noun,
    named_in_apposition,
    near_asked,
    noun_positions,
    owner_of_target,
    pick_short_answer,
    qualified_otherwise,
    speaks_of_other,
    title_runs,
    typed_spans,
    word_points,
)
from qa.followup import added_context, unclear_pronoun
from qa.models import Answer, Citation, RetrievalMode, RetrievedPassage, Timings
from qa.rerank import boost_targets, distinct, initialism, target_hits
from qa.retrieve import retrieve, stem, stems
from qa.statements import speaker_quotes, statements_answer, unnamed_topic
from qa.terms import asked_words, literal_found, ordinal_agreement

if TYPE_CHECKING:
    from qa.engine import Engine

SENTENCE_POOL = 5  # passages whose sentences compete to be the answer
POST_POOL = 3  # further passages holding the post a who-question asks about that compete too
POOL = 30  # passages retrieved before target boosting cuts to k


def build_answer(engine: "Engine", question: str, history: list[str], mode: RetrievalMode, k: int) -> Answer:
    t0 = time.perf_counter()
    resolved = engine.resolve_followup(question, history) if history else question
    analysis = analyse(resolved)
    qvec = engine.embed_query(resolved)
    t1 = time.perf_counter()
    said = engine.last_citations(history)
    favour = frozenset(c.doc_id for c in said)
    pool = retrieve(engine.index, resolved, qvec if mode != "bm25" else None, mode, max(k, POOL), favour,
                    # "Who founded Microsoft?" is answered by "Microsoft founder Bill Gates"
                    also=(analysis.answer_noun,) if analysis.answer_noun else ())
    if mode == "bm25":  # the ranking stays lexical; cosines are still needed to judge the evidence
        _fill_cosines(engine, pool, qvec)
    retrieved = boost_targets(pool, analysis.targets)[: max(k, 10)]
    t2 = time.perf_counter()
    answer = Answer(question=question, resolved_question=resolved, answer="", mode=mode, retrieved=retrieved,
                    question_type=analysis.type)
    if not said and (pronoun := unclear_pronoun(resolved)):
        # "What did he say?" with no one named before: every quote attributed to a "he" would
        # match, and "What was her winning time?" would be answered about whoever a passage names.
        # After a turn answered, "he" may be its answer though the index does not know the name
        # as a person's ("Which Zimbabwe goalkeeper…?", then "Which club was he playing for?").
        _abstain(answer, f"it is not clear who “{pronoun}” is; ask again with the name")
    elif analysis.type == "say" and _PRONOUN.fullmatch((analysis.speaker or "").strip()):
        # "What did they say?" with no one named before
        _abstain(answer, f"it is not clear who “{analysis.speaker.strip()}” is; ask again with the name")
    elif analysis.type == "say" and (quotes := speaker_quotes(engine, analysis.speaker or "", analysis.topic)):
        if reason := unnamed_topic(engine, analysis, quotes):
            _abstain(answer, reason)
        else:
            statements_answer(engine, analysis, answer, quotes)
    else:
        _sentence_answer(engine, analysis, qvec, answer, said)
        if analysis.type == "say" and answer.citations and not reports_speech(answer.citations[0].quote):
            # the quote index has no statement of theirs, and the closest sentence reports none
            # either ("Enterprise stars… Scott Bakula as Captain Archer" for "What did he say?")
            _abstain(answer, f"no statement by {analysis.speaker} is quoted or reported")
    answer.timings = Timings(analyse_ms=(t1 - t0) * 1000, retrieve_ms=(t2 - t1) * 1000,
                             answer_ms=(time.perf_counter() - t2) * 1000)
    return answer


def _rest_of_article(engine: "Engine", body: list[RetrievedPassage], asked: list[str] = (),
                  targets: list[str] = ()) -> list[RetrievedPassage]:
    """Passages of the best passage's document that were not retrieved but may answer from it:
    the one that follows it, and up to ELSEWHERE_IN_DOCUMENT others holding the question's asked
    words. A news lead states the story in one sentence ("Marion Jones has filed a lawsuit…")
    and the next paragraph gives its figures ("she is seeking $25m"); a later one gives the
    detail asked ("Actor and comedian Chris Rock will host the event" for "Who is hosting the
    77th Academy Awards?"), in words too far from the question to be retrieved on their own:
    "the event" does not name the awards. With `targets` (asked for a figure), those others must
    name one: a figure elsewhere in an article is as often one for something else ("the price
    was 2-2.1 billion dollars", of the S-400, for the price of an F-35)."""
    if not body:
        return []
    top = body[0]
    stored = engine.store.passage(top.passage_id)
    if stored is None:
        return []
    seen = {r.passage_id for r in body}
    others = [p for p in engine.store.passages_of(top.doc_id) if p.kind == "body" and p.id not in seen]
    after = stored.ordinal + 1
    following = [p for p in others if p.ordinal == after]
    holding = {p.id: len(literal_found(asked, p.text)) for p in others
               if p.ordinal != after and (not targets or target_hits(p.text, targets) > 0)} if asked else {}
    elsewhere = sorted((p for p in others if holding.get(p.id)),
                       key=lambda p: (-holding[p.id], p.ordinal))[:ELSEWHERE_IN_DOCUMENT]
    return [RetrievedPassage(doc_id=p.doc_id, passage_id=p.id, text=p.text, score=0.0, rank=len(body) + 1,
                             title=top.title, paragraph=p.paragraph, kind=p.kind, page=p.page, doc_start=p.start)
            for p in following + elsewhere]


# How many passages of the best document beyond the one after it join the sentence pool for
# holding the question's asked words (see _rest_of_article).
ELSEWHERE_IN_DOCUMENT = 2


_NEGATION = re.compile(r"\b(?:not|never|no longer|no|denied|denies|deny|rejected|refused|failed to)\b|n['’]t\b", re.I)


def yes_or_no(analysis: QuestionAnalysis, quote: str) -> str | None:
    """"Yes" when the quoted words state what the question asks, every name and every asked
    word of it; "No" when they state it negated ("has not won"); otherwise no verdict, and the
    reader judges from the quote. A question asked in the negative ("Didn't he…") gets none."""
    if _NEGATION.search(analysis.text):
        return None
    asked = asked_words(analysis)
    if not asked or len(literal_found(asked, quote)) < len(asked) or target_hits(quote, analysis.targets) < 1.0:
        return None
    return "No" if _NEGATION.search(quote) else "Yes"


def _fill_cosines(engine: "Engine", passages: list[RetrievedPassage], qvec: np.ndarray) -> None:
    from qa.retrieve import dense_cosines

    ids = engine.store.vec_ids_of([p.passage_id for p in passages])
    cos = dense_cosines(engine.index, qvec, list(ids.values()))
    for p in passages:
        p.dense_score = cos.get(ids.get(p.passage_id, -1))


def _sentence_answer(engine: "Engine", analysis: QuestionAnalysis, qvec: np.ndarray, answer: Answer,
                     said: Sequence[Citation] = ()) -> None:
    pool = distinct([r for r in answer.retrieved if r.kind == "body"] or answer.retrieved)
    body = pool.passages[:SENTENCE_POOL]
    if analysis.type == "who" and analysis.answer_noun in POSTS:
        # "Who is the manager of Chelsea?": match reports and their line-ups, naming many players,
        # outrank the passage that names the post ("Chelsea manager Jose Mourinho…"); the
        # passages further down holding the post compete as well
        body += [p for p in pool.passages[SENTENCE_POOL:] if noun_positions(p.text, analysis.answer_noun)][:POST_POOL]
    numeric = asks_figure(analysis)
    # other passages of the document for a name or figure the retrieved ones lack; an untyped
    # question is answered by the sentence speaking most of it, which retrieval ranked already
    following = _rest_of_article(engine, body, asked_words(analysis) if analysis.expected else [],
                              analysis.targets if numeric else [])
    best = best_sentence(engine, analysis, qvec, body, following, pool.same_story, said) if body else None
    if best is None:
        _abstain(answer, "nothing in the sources matches the question")
        return
    citation, sentence_cos, short = best.citation, best.cos, best.short
    asked = asked_words(analysis)
    added = added_context(answer.question, answer.resolved_question)
    evidence = Evidence(
        passage_cosine=max((r.dense_score or 0.0) for r in body),
        sentence_cosine=sentence_cos,
        target_coverage=_document_coverage(engine, citation.doc_id, analysis.targets, citation.text),
        typed=bool(analysis.expected),
        typed_found=short is not None,
        numeric=numeric,
        place=analysis.type == "where",
        answer_noun_found=not analysis.answer_noun or bool(noun_positions(citation.text, analysis.answer_noun)),
        measure_found=analysis.answer_noun not in MEASURES or bool(noun_positions(citation.text, analysis.answer_noun)),
        # ("chief executive" leaves "executive" as the noun)
        # (not a post asked by its verb: "Who chaired the panel?" is answered by "chaired by John Sergeant")
        post_found=not (analysis.type == "who" and analysis.answer_noun in POSTS | {"executive"}
                        and bool(re.search(rf"\b{re.escape(analysis.answer_noun)}\b", analysis.text, re.I)))
        or bool(noun_positions(citation.text, analysis.answer_noun)),
        asked_terms=len(asked),
        # by the words themselves (stems, shared prefixes): word-vector paraphrases are too loose
        # to decide abstention on ("election" came out close to "constituency")
        asked_terms_found=len(literal_found(asked, citation.text)),
        figure_stated=best.stated,
        deed_stated=best.deed,
        targets=len(analysis.targets),
        # a name the conversation added as context is no claim of the question's own
        unknown_targets=[t for t in analysis.targets if t not in added and not _mentioned(engine, t)],
    )
    answer.signals = evidence.model_dump()
    verdict = decide(evidence)
    if verdict.abstain:
        _abstain(answer, verdict.reason)
        return
    answer.citations = [citation]
    if analysis.type == "yes_no":
        short = yes_or_no(analysis, citation.quote)
    answer.short_answer = short
    answer.short_answer_label = best.label if short == best.short else None
    quote = citation.quote
    answer.answer = f"{short} — “{quote}” [1]" if short else f"“{quote}” [1]"


_QUOTE_MARKS = " \"'“”‘’«»"


def _unquoted(text: str, start: int, end: int) -> tuple[int, int]:
    """The span without quotation marks at its edges (the answer adds its own)."""
    while start < end and text[start] in _QUOTE_MARKS:
        start += 1
    while end > start and text[end - 1] in _QUOTE_MARKS:
        end -= 1
    return start, end


def _mentioned(engine: "Engine", target: str) -> bool:
    """Whether the collection names the target, or a part of it ("Karen Walsh of the UK National
    Tremor Foundation" is written "Karen Walsh, of the…" or split over a sentence), or its words
    close together: a question runs a name and what it is into one ("the Marlin DRM system" for
    "Marlin… an earlier DRM system")."""
    parts = [target] + [p for p in re.split(r"\s+of\s+(?:the\s+)?", target) if p != target]
    first, *rest = target.split()
    if rest and engine.store.entity_label(first) == "NORP":
        parts.append(" ".join(rest))  # a nationality the question runs into the name: "Ethiopian Derartu Tulu"
    if rest and first.lower().rstrip(".") in TITLES | HONORIFICS:
        parts.append(" ".join(rest))  # "Professor Amitai Etzioni" is written "Amitai Etzioni", then "Prof Etzioni"
    if any(engine.store.mentions(p) for p in parts) or (len(target.split()) > 1 and engine.store.mentions_near(target.split())):
        return True
    short = initialism(target)  # the collection may only ever write "ISG" (an entity, so not any "isg")
    return bool(short) and engine.store.entity_label(short) is not None


def _document_coverage(engine: "Engine", doc_id: str, targets: list[str], fallback: str = "") -> float:
    """Share of the question's targets the document names anywhere (title included): an answer
    from a document about something else is no answer. `fallback` stands in for a document the
    store no longer holds."""
    if not targets:
        return 1.0
    doc = engine.store.document(doc_id)
    return target_hits(f"{doc.title}\n{doc.text}" if doc else fallback, targets)


# Nouns naming what a figure measures, which a passage giving that figure writes out.
MEASURES = frozenset("revenue revenues profit profits turnover sales salary dividend debt debts deficit budget "
                     "earnings income loss losses fine fee tax".split())
NUMERIC_LABELS = {"MONEY", "PERCENT", "CARDINAL", "QUANTITY", "DATE", "TIME", "ORDINAL"}
def _type_bonus(short, analysis: QuestionAnalysis) -> float:
    """A sentence holding the asked-for type gains 0.2, less for a fallback type: a PERSON for
    "who" beats a nationality."""
    if short is None:
        return 0.0
    if analysis.type == "where":
        return 0.2  # a town, a region and a building all say where
    return 0.2 / (1 + analysis.expected.index(short.label))


def _abstain(answer: Answer, reason: str) -> None:
    answer.abstained = True
    answer.abstain_reason = reason
    answer.citations = []
    answer.answer = f"The sources don't say: {reason}. The closest passages are listed below."


class Scored(NamedTuple):
    """A candidate sentence of a passage, scored against the question."""

    score: float
    cos: float
    rank: int
    passage: RetrievedPassage
    start: int  # the sentence's span inside the passage text
    end: int
    short: TypedSpan | None  # the typed short answer it holds, if the question asks for a type
    beside: bool = False  # that short answer stands beside the answer noun ("producer Jon Thoday")
    cause: int | None = None  # for why-questions: where a stated reason starts ("after failing to…")
    follows: bool = False  # from a passage of the best document not retrieved itself (see _rest_of_article)
    story: str = ""  # the document, or the one it repeats (see qa.rerank.distinct)
    other: bool = False  # about someone else than the question's targets (see speaks_of_other)

    @property
    def text(self) -> str:
        return self.passage.text[self.start : self.end]


def _choose(scored: list[Scored], analysis: QuestionAnalysis,
            found: Callable[[list[str], str], set[str]] = literal_found,
            coverage: Callable[[str], float] | None = None) -> Scored:
    """The sentence to answer from: among the sentences of the best sentence's document that
    hold the kind of answer asked (a span of the type for who, when, how much…; a stated reason
    for why; any sentence otherwise), the one that best speaks of what is asked. That is the
    answer beside its noun, else the score with a bonus for each of the question's own words it
    holds (beyond the names that led to the document, which it need not repeat). The lead
    sentence often restates the question ("Tennis Australia's top official has defended the
    courts") while the name sits further down ("…Tennis Australia's Geoff Pollard rejected his
    comments"), or holds a name of the right type in another role ("the producer of the hit
    show Jerry Springer" for "which producer")."""
    # a sentence of the passage after the best one may answer, but does not choose the document
    best = max((r for r in scored if not r.follows), key=lambda r: r.score, default=None)
    best = best or max(scored, key=lambda r: r.score)
    asked = asked_words(analysis)
    best = _covering_story(scored, best, asked)
    if coverage and coverage(best.story) < MIN_TARGET_COVERAGE:
        # The best sentence's story does not name what the question names, so its answer would be
        # refused; a story naming all of it and scoring nearly as well answers: "…the follow-up, A
        # Present For Everyone" of the Busted story, not "The Killers' album Hot Fuss…" of the charts.
        # Its sentence must hold the kind asked and an asked word: not "Rangers manager Alex
        # McLeish accepts he is going to be criticised…" for who scored Auxerre's goals.
        naming = [r for r in scored if not r.follows and coverage(r.story) >= 1.0
                  and r.score >= best.score - NAMING_MARGIN and (r.short is not None or not analysis.expected)
                  and (not asked or found(asked, r.text))]
        best = max(naming, key=lambda r: r.score, default=best)

    def holds_kind(r: Scored) -> bool:  # a span of the type asked, a reason for a why-question, else any
        if analysis.type == "why":
            return r.cause is not None
        return r.short is not None if analysis.expected else True

    def of_story(lead: Scored) -> list[Scored]:
        return [r for r in scored if holds_kind(r) and r.story == lead.story and r.score >= lead.score - TYPED_MARGIN]

    candidates = of_story(best)
    named = bool(analysis.expected) and not asks_figure(analysis)

    def names_beside(rs: list[Scored]) -> bool:  # the name beside the noun asked: "Kenteris' lawyer Gregory Ioannidis"
        return any(r.beside and not r.other for r in rs)

    # The best document may name no one beside the noun asked ("Kostas Kenteris' lawyer has called
    # for…", his name two sentences on) while another report of the story does.
    wants_beside = named and bool(analysis.answer_noun) and not names_beside(candidates)
    if named and (not _speaking(candidates, asked, found) or wants_beside):
        # The best document holds no name of the kind asked beside the asked words (a history of
        # the Oscars, for "Who is hosting the 77th Academy Awards?"): the next document scoring
        # nearly as well may. Not so for figures: another document's figure was as often
        # another figure ("the Mac mini will sell for £339" for the price of a 1991 Powerbook).
        leads: dict[str, Scored] = {}
        # nor does a story naming less of what the question names than the best one's (Auxerre's
        # scorers are not in "Alex Ferguson's assistant… won seven league titles with Rangers")
        least = max(MIN_TARGET_COVERAGE, coverage(best.story)) if coverage else 0.0
        for r in scored:
            if not r.follows and r.story != best.story and (r.story not in leads or r.score > leads[r.story].score) \
                    and (not coverage or coverage(r.story) >= least):
                leads[r.story] = r
        # and speaks of the question as much as the best sentence does: "Novo was found guilty of
        # stamping on…", its name missed by NER, is not answered by "Douglas was not threatened
        # until…" ("found" in another sense) from another match report
        at_least = len(found(asked, best.text)) if asked else 0
        # (the wider margin only when the best sentence holds no more than half the asked words:
        # "Charles Clarke faces his first real test as home secretary… backbench rebellion over…"
        # speaks of the question, whoever is named beside "home secretary" elsewhere)
        role = wants_beside and singular(analysis.answer_noun) in PEOPLE
        margin = BESIDE_STORY_MARGIN if role and 2 * at_least <= len(asked) else OTHER_STORY_MARGIN
        for lead in sorted(leads.values(), key=lambda r: -r.score):
            if lead.score < best.score - margin:
                break
            others = of_story(lead)
            if names_beside(others) if wants_beside else _speaking(others, asked, found, at_least):
                # taken for the name beside the role, it answers with that name
                candidates = [r for r in others if r.beside and not r.other] if wants_beside else others
                break
    if not candidates:
        # No sentence near the best one's score holds the kind asked. One further down the story
        # may, with an asked word beside its answer: "That happened in 1801 after she had
        # discovered her husband…" under "Jane Campbell, the first woman ever to divorce her husband".
        return (_speaking_further(scored, best, analysis, asked)
                or (_speaking_elsewhere(scored, best, analysis, asked, coverage) if named else None) or best)
    hits = {id(r): len(found(asked, r.text)) if asked else 0 for r in candidates}
    # Beside its noun is not enough in a sentence holding BESIDE_SHORTFALL fewer asked words than
    # another: "U2's latest album How to Dismantle an Atomic Bomb came fourth" against "…beat
    # Keane's Hope and Fears in second place" for which album came second in the magazine's poll.
    most = max(hits.values(), default=0)
    # (NER tells a work from a product no better than by chance: "album How to Dismantle an Atomic
    # Bomb" is a product, "Keane's Hope and Fears" a work of art)
    first = (_WORKS if analysis.expected[0] in _WORKS else {analysis.expected[0]}) if analysis.expected else set()
    if any(r.beside and not r.other and r.short.label in first for r in candidates):
        # the kind asked first, beside its noun, outranks a fallback kind however worded: "at the
        # Alltel Stadium in Jacksonville" for "At which stadium did McCartney play his half-time
        # set?", not "a 12-minute set at half-time during the game in Florida"
        candidates = [r for r in candidates if r.short.label in first]
    # The answer beside its noun ("producer Jon Thoday") in a sentence that speaks of the question
    # states the thing asked; otherwise each asked word a sentence names is worth ASKED_WORD of
    # score (the type's own bonus is in the score).
    # A place in a sentence holding none of the asked words is where something else happened:
    # "Viotti, director of Venice's La Fenice, has died in Germany" does not say where he studied.
    # (Not so for names and figures, often stated in other words than the question's.)
    where = analysis.type == "where"
    choice = max(candidates, key=lambda r: (r.beside and hits[id(r)] > 0 and not r.other
                                            and hits[id(r)] > most - BESIDE_SHORTFALL,
                                            where and hits[id(r)] > 0, r.score + ASKED_WORD * hits[id(r)]))
    if asked and not hits[id(choice)] and analysis.expected and analysis.expected[0] == "DATE":
        # A date with none of the question's words dates something else, and abstention would
        # refuse it; another document may date the event asked, the asked word beside the date
        # ("Born in 1942…" for "In what year was Kinnock born?" when the best document dates
        # only his peerage). Counts are not taken this way: another document's figure beside
        # an asked word was as often another count ("voted for by nearly 4,000 listeners").
        if dated := _asked_beside([r for r in scored if r.short is not None and r.story != best.story], asked):
            return dated
    if not holds_kind(best) and asked and not hits[id(choice)] and not choice.beside:
        # The best sentence holds no answer, nor does the typed one chosen speak of the question.
        # A lower typed sentence of the story that does speak of it answers ("its $4.5bn
        # acquisition of US firm ISG" under "once the acquisition of International Steel Group
        # was completed"); with none, no sentence of the kind asked speaks of the question, not
        # even by the answer's noun ("said AK chief Isaiah Kiplagat" for "Who is the head of…"):
        # leave it to abstention.
        speaking = [r for r in candidates if hits[id(r)] and not r.other]
        if speaking:
            return max(speaking, key=lambda r: r.score + ASKED_WORD * hits[id(r)])
        return _speaking_further(scored, best, analysis, asked) or best
    return choice


def _covering_story(scored: list[Scored], best: Scored, asked: list[str]) -> Scored:
    """The best sentence, or the lead of another story scoring nearly as well whose sentences
    hold clearly more of the asked words: the story the question tells. "Who headed Portsmouth's
    injury-time equaliser against Liverpool at Anfield?" is best matched by "…as injury-hit
    Newcastle were well beaten at Anfield" (the names, another match), while the report of
    Portsmouth's match holds "headed", "equaliser" and "injury-time" besides. Words are found as
    written (literal_found): word vectors for every sentence retrieved cost 200 ms a question."""
    if not asked:
        return best
    words: dict[str, set[str]] = {}
    leads: dict[str, Scored] = {}
    for r in scored:
        words.setdefault(r.story, set()).update(literal_found(asked, r.text))
        if not r.follows and (r.story not in leads or r.score > leads[r.story].score):
            leads[r.story] = r
    own = len(words.get(best.story, ()))
    rivals = [lead for story, lead in leads.items() if story != best.story
              and len(words[story]) >= own + COVER_MORE and lead.score >= best.score - COVER_MARGIN]
    return max(rivals, key=lambda r: (len(words[r.story]), r.score)) if rivals else best


# How many more asked words another story must hold to be the one asked about, and how far below
# the best sentence its lead may score (checked on the 18 sets then in tests/data: 2 more words
# gained 5 questions and lost 3, among them an unanswerable one now answered; 3 gained 2, lost none).
COVER_MORE = 3
COVER_MARGIN = 0.3
# How far below the best sentence one of a story naming all the question names may score and
# still answer, when the best sentence's story names too little of it to be accepted: "More
# than 1.8 million people watched the first episode" of Little Britain (0.39 higher) for how many
# watched Passport to Paradise, whose story gives "more than 4.1 million viewers".
NAMING_MARGIN = 0.5


def _speaking_further(scored: list[Scored], best: Scored, analysis: QuestionAnalysis, asked: list[str]) -> Scored | None:
    """For a typed question, the best-scored sentence of the best one's story holding a short
    answer with an asked word beside it (see near_asked), however far below: the answer's own
    sentence often repeats little of the question."""
    if not (asked and analysis.expected):
        return None
    return _asked_beside([r for r in scored if r.short is not None and r.story == best.story and not r.other], asked)


def _asked_beside(rows: list[Scored], asked: list[str]) -> Scored | None:
    """Of rows with a short answer, the one with asked words beside it (near_asked) scoring best,
    each such word worth ASKED_WORD; None when no answer has one beside it."""
    near = {id(r): near_asked(r.text, r.short, asked) for r in rows}
    beside = [r for r in rows if near[id(r)]]
    return max(beside, key=lambda r: r.score + ASKED_WORD * near[id(r)]) if beside else None


def _speaking_elsewhere(scored: list[Scored], best: Scored, analysis: QuestionAnalysis, asked: list[str],
                        coverage: Callable[[str], float] | None) -> Scored | None:
    """When the best story holds no name of the kind asked, the best sentence of another story
    naming as much of the question that holds one with an asked word beside it, scoring within
    TYPED_MARGIN: "Jet, which was founded by London-based travel agent Naresh Goyal" when the best
    report's "founded by… Naresh Goya" (a misspelling) is no name to NER. Names only: another
    story's figure beside an asked word was as often another figure."""
    if not asked:
        return None
    least = coverage(best.story) if coverage else 0.0
    return _asked_beside([r for r in scored if r.short is not None and r.story != best.story and not r.other
                          and not r.follows and r.score >= best.score - TYPED_MARGIN
                          and (not coverage or coverage(r.story) >= least)], asked)


def _speaking(candidates: list[Scored], asked: list[str], found: Callable[[list[str], str], set[str]],
              at_least: int = 1) -> bool:
    """Whether any candidate holds at least `at_least` (and one) of the asked words; any
    candidate at all when nothing beyond names is asked."""
    if not candidates or not asked:
        return bool(candidates)
    return any(len(found(asked, r.text)) >= max(1, at_least) for r in candidates)


# How many more asked words a sentence must hold than one with the answer beside its noun to
# win over it (see _choose).
BESIDE_SHORTFALL = 3
_WORKS = frozenset({"PRODUCT", "WORK_OF_ART"})
# How far below the best sentence another sentence of the same document may score and still be
# preferred to it (scores: cosine plus term, target and type bonuses; see best_sentence).
TYPED_MARGIN = 0.5
# How far below the best sentence the best of another document may score for that document to
# answer, when no sentence of the best one holds a name of the kind asked with an asked word.
OTHER_STORY_MARGIN = 0.15
# The same, when the question asks for someone by their role (a noun of PEOPLE) and another
# document names a person beside that role: "Kenteris's lawyer, Gregory Ioannidis" (0.39 below)
# for "Who is the lawyer representing Kostas Kenteris…", over "Kenteris and Katerina Thanou will
# fight the bans".
BESIDE_STORY_MARGIN = 0.5
# What one asked word a sentence holds is worth when choosing among a document's sentences: as
# much as standing beside the answer noun, less than the type bonus (0.2).
ASKED_WORD = 0.15
# What each asked word standing next to the short answer adds (at most NEAR_MAX of them count).
NEAR_BONUS = 0.1
NEAR_MAX = 3
# A sentence naming the one of a series asked ("the second batch") gains as much as a typed
# span; one naming only another ("its first batch") loses more than any bonus, so it answers
# only when no sentence of the document speaks of the one asked.
ORDINAL = {1: 0.2, 0: 0.0, -1: -0.5}
# A sentence dated in other months than the one asked loses this much: less than one naming
# only another of a series, as a month beside the one asked is often just context.
OTHER_MONTH = 0.3
# A sentence the last answer of the conversation quoted loses this much for a question with no
# typed answer: "What is he scheduled to direct before that?" is not answered by the sentence
# that answered "Which horror franchise is Tarantino in talks to make a film for?".
REPEATED = 0.3
# A sentence of the document the conversation's last answer came from gains this much: a
# follow-up asks about the same story ("And what were its sales in that quarter?").
STORY = 0.1
# A sentence stating a reason gains this much for a why-question: a type bonus, halved because
# the markers ("after", "following") also just order events.
REASON_BONUS = 0.1
_REASON = re.compile(
    r"\b(?:because|due to|owing to|as a result of|thanks to|after|following|amid|claiming|citing|saying|arguing|"
    r"blam(?:ed|ing)|for (?:failing|refusing|not|breaking|allegedly|its|his|her|their)|so that|in order to|"
    r"the reason|reasons?\b|in (?:a bid|an effort|an attempt|order|protest|response|the wake)\b|aimed at|"
    r"on the grounds|given that|caused by|blamed on|prompted|led to|(?:concerns?|fears?|worries) (?:over|about|that)|"
    r"taking the name|named after|to (?:avoid|protect|prevent|help|cut|boost|reduce|fund|pay|tackle|combat|fight|"
    r"end|stop|curb|improve|raise|attract|meet|comply|counter|ensure|secure|encourage))\b",
    re.IGNORECASE,
)


def _quoted_in(citations: Sequence[Citation], p: RetrievedPassage, start: int, end: int) -> bool:
    return any(c.passage_id == p.passage_id and c.start < end and start < c.end for c in citations)


def reason_at(sentence: str) -> int | None:
    """Where the sentence states a reason ("…after failing to report to a training camp"), if it does."""
    m = _REASON.search(sentence)
    return m.start() if m else None


_PRONOUN = re.compile(r"(?:he|she|they|him|her|them|it)", re.IGNORECASE)
# What marks a sentence as reporting speech: double quotation marks (single ones are apostrophes
# too) or a verb of saying: the question's own (SAY_VERBS), in the forms news writes them.
_SPEECH = re.compile(rf"[\"“”]|\b(?:{SAY_VERBS}|tells|states|claims|warns|adds|argues|insists|admits|denies|explained|"
                     r"urged|accused|described|according to|interview|spokes(?:man|woman))\b", re.IGNORECASE)
# A person or organisation named by its role, as one already introduced: "the mayor", "the firm".
_DEFINITE_ROLE = re.compile(rf"\bthe (?:{'|'.join(sorted(PEOPLE | ORG_NOUNS, key=len, reverse=True))})\b")
_OPENS_WITH_PRONOUN = re.compile(r"(?:It|He|She|They|Its|His|Her|Their|This|These)\b")


def reports_speech(text: str) -> bool:
    """Whether the text quotes or reports someone's words."""
    return bool(_SPEECH.search(text))


class Best(NamedTuple):
    """The supporting sentence chosen, as a citation of a verbatim span, with its short answer."""

    citation: Citation
    cos: float  # the sentence's cosine to the question
    short: str | None  # the short answer, named in full
    stated: bool = True  # the sentence holds an asked word, or the answer beside its noun
    deed: bool = True  # for "Who wrote…?": not an answer named only as the one speaking (see _speaker_only)
    label: str | None = None  # the short answer's entity type, as it was found in the sentence


def _beside(text: str, short: TypedSpan, analysis: QuestionAnalysis, asked: list[str],
            owners: list[TypedSpan] | None) -> bool:
    """Whether the sentence states the answer's relation to the question outright: the answer
    beside the noun asked ("KSE chairman Yaseen Lakhani"), the maker or owner of the thing asked
    about (`owners`, for maker questions), the agent, subject or object of an asked verb
    ("secured by Margaret Thatcher", "Glen Yearwood, who is representing…", "Hanks will play
    Robert Langdon"), or the place an asked verb happened in ("arrested in Barstow"). For a
    maker, a firm beside "firm" in a sentence stating no making is another firm ("Apple has
    sold… iPods…, according to research firm NPD Group")."""
    if analysis.answer_noun and beside_noun(text, short, noun_positions(text, analysis.answer_noun)) \
            and (owners is None or STATES_MAKING.search(text)):
        return True
    if owners is not None and any((o.start, o.end) == (short.start, short.end) for o in owners):
        return True
    if _ASKS_NAME.search(analysis.text) and (called := _NAMED_AS.search(text, 0, short.start)):
        # "the malicious program was called Bankash-A Trojan" for "What is the name of the trojan…?",
        # if an asked word names what is called ("Curry's new venture, called PodShow" is no program)
        named = " ".join(text[: called.start()].split()[-NAMED_WORDS:] + [short.text])
        return bool(literal_found(asked, named))
    if analysis.type == "where" and (led := _PLACE_AFTER_VERB.search(text, 0, short.start)) \
            and literal_found(asked, led.group(1)):
        return True  # "He was arrested in Barstow, California" for "In which town was Knight arrested?"
    return (analysis.type == "who" and (agent_of_asked(text, short, asked)
                                        or subject_of_asked(text, short, asked, analysis.text))
            or analysis.type in ("who", "which") and not asks_figure(analysis)
            and object_of_asked(text, short, asked, analysis.text, analysis.targets))


# The verb a place is the scene of: "arrested in", "born at", "held near the".
# (a participle, not a noun: "many people in Britain" is not where the people asked about are)
_PLACE_AFTER_VERB = re.compile(r"\b([a-z]{2,}(?:ed|en|ing)|born|held|built|made|set|shot|hit|met|kept|sold|run|won|lost)\s+"
                               r"(?:in|at|near|outside|inside)\s+(?:the\s+)?$")
# A question asking what something is called, and a sentence naming it so.
_ASKS_NAME = re.compile(r"\bname of\b|\bcalled\??$|\bnamed\??$|\bwhat (?:is|was|are|were) .+ (?:called|named|known as)\b",
                        re.I)
NAMED_WORDS = 4  # words before "called" that may say what is called
_NAMED_AS = re.compile(r"\b(?:called|named|dubbed|entitled|titled|known as)\s+(?:the\s+)?$", re.I)


def asked_deed(analysis: QuestionAnalysis) -> str | None:
    """The verb of a who-question asking who did something: "wrote" of "Who wrote the Bofra
    virus?". None for a post ("Who heads…", answered by "HP boss…"), a copula or an auxiliary
    ("Who is…", "Who did Arsenal beat?"), or a question with an answer noun (its own test)."""
    m = re.match(r"who\s+([a-z]+)\b", analysis.text.strip(), re.I)
    if analysis.type != "who" or analysis.answer_noun or not m:
        return None
    verb = m.group(1).lower()
    return None if verb in _NOT_DEEDS or verb in VERB_POSTS else verb


def _speaker_only(sentence: str, short: TypedSpan) -> bool:
    """Whether the sentence names the answer only as the one speaking: "Finnish anti-virus firm
    F-Secure said…", "…, declared Kasabian's Tom Meighan"."""
    return bool(_SPOKE.match(sentence, short.end) or _SPOKE_BEFORE.search(sentence, 0, short.start))


# the question parser's speech verbs, and the other forms and verbs news reports speech with
_SPEECH_VERBS = (rf"(?:{SAY_VERBS}|tells|states|claims|warns|adds|argues|insists|admits|denies|believes|predicted|suggested|"
                 r"praised|declared|"
                 r"respond(?:s|ed)?|repl(?:y|ied|ies)|criticised|urged|accused)")
_SPOKE = re.compile(rf"(?:\s*,)?\s+(?:has\s+|had\s+)?{_SPEECH_VERBS}\b|^{_SPEECH_VERBS}$", re.I)
_SPOKE_BEFORE = re.compile(rf"\b{_SPEECH_VERBS}\s+(?:[\w'’-]+\s+){{0,4}}$", re.I)
_NOT_DEEDS = frozenset("is was are were be been has have had did does do will would can could should may might must "
                       "else".split())


def asks_figure(analysis: QuestionAnalysis) -> bool:
    """The question asks for an amount, count, date or measure rather than a name."""
    return bool(analysis.expected) and analysis.expected[0] in NUMERIC_LABELS


def best_sentence(engine: "Engine", analysis: QuestionAnalysis, qvec: np.ndarray,
                  passages: list[RetrievedPassage], following: Sequence[RetrievedPassage] = (),
                  same_story: dict[str, str] | None = None, said: Sequence[Citation] = ()) -> Best | None:
    """The best supporting sentence, its cosine, and the short answer. Sentences of `following`
    passages may answer from the best sentence's document but do not choose the document;
    documents repeating another (`same_story`) count as that one. For a question with no typed
    answer, a sentence the conversation's last answer quoted (`said`) says nothing new; the
    sentences of its document gain a little."""
    same_story = same_story or {}
    story_docs = {c.doc_id for c in said}
    follows = {p.passage_id for p in following}
    retrieved = len(passages)
    passages = passages + list(following)
    sentences = engine.store.sentences_of(p.passage_id for p in passages)
    entities = engine.store.entities_of(p.passage_id for p in passages)
    # passages read on in the best document share one rank: their order there says nothing of
    # how well they answer
    cands = [(min(i, retrieved), p, s.start - p.doc_start, s.end - p.doc_start)
             for i, p in enumerate(passages) for s in sentences.get(p.passage_id, [])]
    if not cands:
        return None
    vecs = engine.embedder.encode([p.text[s:e] for _, p, s, e in cands])
    terms = {stem(t) for t in analysis.terms}
    asked = asked_words(analysis)
    numeric = asks_figure(analysis)
    member = member_noun(analysis.text) if analysis.type == "which" else None
    # "Which company makes the Xbox?" is answered by "Microsoft's Xbox"
    maker = bool(analysis.expected) and analysis.expected[0] in ("ORG", "PERSON") and bool(ASKS_MAKER.search(analysis.text))
    owners: list[TypedSpan] = []
    scored = []
    previous: dict[str, tuple[str, list[TypedSpan]]] = {}  # the last sentence seen of each passage, its spans
    for (rank, p, s, e), vec in zip(cands, vecs):
        text = p.text[s:e]
        # "It will be held at the Staples Center." speaks of what the sentence before named
        before, before_spans = previous.get(p.passage_id, ("", []))
        context = f"{before} {text}" if before and _OPENS_WITH_PRONOUN.match(text) else text
        cos = float(np.dot(vec, qvec))
        overlap = len(terms & stems(text)) / len(terms) if terms else 0.0
        short = None
        # typed spans serve the short answer and telling a sentence about someone else
        spans = (typed_spans(text, p.doc_start + s, entities.get(p.passage_id, []))
                 if analysis.expected or analysis.targets else [])
        hits = target_hits(context, analysis.targets)
        if analysis.expected:
            if analysis.type == "which" and analysis.answer_noun:
                spans += named_after_noun(text, analysis.answer_noun, analysis.expected[0])
                spans += named_in_apposition(text, analysis.answer_noun, analysis.expected[0])
                if analysis.expected[0] in ("ORG", "FAC"):
                    spans += named_before_noun(text, analysis.answer_noun, spans, analysis.targets,
                                               analysis.expected[0])
                    if member:  # "Three Degrees star Sheila Ferguson" for "a star of which group?"
                        spans += named_before_noun(text, member, spans, analysis.targets, analysis.expected[0])
            if "WORK_OF_ART" in analysis.expected:
                spans += title_runs(text, spans)
            if maker:
                owners = owner_of_target(text, analysis.targets, analysis.expected[0])
                spans += owners
            short = pick_short_answer(text, spans, analysis.expected, analysis.text, focus_points(text, analysis.terms),
                                      analysis.targets, analysis.answer_noun,
                                      noun_required=analysis.type == "how_many" or analysis.answer_noun in NAMED_KINDS,
                                      asked=asked)
            if short is None and analysis.expected[0] == "PERSON":
                # "He designed the format called RSS": the person is named the sentence before
                short = antecedent(text, before_spans, analysis.targets)
            elif short is not None and numeric and qualified_otherwise(text, analysis.text):
                short = None  # "Weekend tickets… £125" for the price of single-day tickets
            if short is not None and denies_asked(text, asked, analysis.text):
                short = None  # "the best film never to have won a best picture Oscar"
        previous[p.passage_id] = (text, spans)
        # "…for the mayor to apologise" speaks of the mayor the sentence before named
        other = speaks_of_other(text, spans, analysis.targets,
                                f"{before} {text}" if before and _DEFINITE_ROLE.search(text) else context, short)
        beside = bool(short) and _beside(text, short, analysis, asked, owners if maker else None)
        cause = reason_at(text) if analysis.type == "why" else None
        near = min(near_asked(text, short, asked), NEAR_MAX) if short else 0
        if beside:
            cos += 0.15  # "KSE chairman Yaseen Lakhani" answers "Who is the chairman of…" outright
        score = (cos + 0.3 * overlap + 0.15 * hits + _type_bonus(short, analysis)
                 + (REASON_BONUS if cause is not None else 0.0) + NEAR_BONUS * near - 0.03 * rank
                 + ORDINAL[ordinal_agreement(analysis.text, text)] + OTHER_MONTH * month_agreement(analysis.text, text)
                 - (REPEATED if not analysis.expected and _quoted_in(said, p, s, e) else 0.0)
                 + (STORY if p.doc_id in story_docs else 0.0))
        scored.append(Scored(score, cos, rank, p, s, e, short, beside, cause, p.passage_id in follows,
                             same_story.get(p.doc_id, p.doc_id), other))
    # each story's coverage of the question's names, read only for the stories _choose weighs
    story_of = {r.story: r.passage for r in scored}
    coverage = cache(lambda story: _document_coverage(engine, story_of[story].doc_id, analysis.targets,
                                                      story_of[story].text)) if analysis.targets else None
    chosen = _choose(scored, analysis, engine.terms.found, coverage)
    score, cos, p, s, e, short = chosen.score, chosen.cos, chosen.passage, chosen.start, chosen.end, chosen.short
    text = p.text[s:e]
    if short:
        lo, hi = clause_around(text, short.start, short.end, anchors=word_points(text, asked + analysis.targets))
    elif chosen.cause is not None:  # the reason, with the clause it explains
        lo, hi = clause_around(text, chosen.cause, chosen.cause)
    else:  # no typed answer: the clause where the question's words cluster
        focus = sorted(focus_points(text, analysis.terms)) or [0]
        middle = focus[len(focus) // 2]
        lo, hi = clause_around(text, middle, middle)
    start, end = _unquoted(p.text, s + lo, s + hi)
    if lo == 0 and _OPENS_WITH_PRONOUN.match(text):  # quote the sentence that says what "It" is
        start = max((r.start for r in scored if r.passage is p and r.end <= s), default=start)
    citation = Citation(doc_id=p.doc_id, passage_id=p.passage_id, text=p.text, start=start, end=end,
                        score=round(score, 4), title=p.title, paragraph=p.paragraph, page=p.page, doc_start=p.doc_start)
    # the figure's own sentence says what it is for: by its noun beside it ("five 2D side-scrolling
    # levels") or an asked word ("Sun Grid costs users $1" states no spending on developing it)
    stated = chosen.beside or bool(literal_found(asked, f"{citation.quote} {text}")) if asked else True
    deed = asked_deed(analysis)
    done = (not deed or chosen.beside or bool(literal_found([deed], text)) or chosen.short is None
            or _SPOKE.search(deed) is not None or not _speaker_only(text, chosen.short))
    if short is None:
        return Best(citation, cos, None, stated, done)
    # a person or organisation is named as the document names it in full ("Jonah" -> "Jonah Lomu")
    names = engine.store.document_names(p.doc_id, [short.label]) if short.label in FULL_NAME_LABELS else []
    return Best(citation, cos, full_name(short, names, analysis.text), stated, done, short.label)
