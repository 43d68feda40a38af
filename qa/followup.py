"""Resolving a follow-up question against the earlier turns of a conversation.

Only the user's earlier questions are given (as in the test-set `history`), so each earlier turn
is answered again (the engine caches this) to learn what it was about. Then:
- a pronoun ("he", "his", "she", "it", "they") becomes the entity it most likely points at: a
  person answer or person named in the last turn for he/she, otherwise the last turn's subject;
- an elliptical turn ("And the second one?", "What about Ankara?") is the last question with the
  matching part swapped: an ordinal for an ordinal, a name for a name, else the new words added.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from pydantic import BaseModel

from qa.analyze import PEOPLE, QUESTION_WORDS, ROLE_ABBREVIATIONS, analyse, singular
from qa.extract import ASKS_MAKER
from qa.retrieve import STOPWORDS, stem
from qa.terms import ORDINALS

_PERSON_PRONOUN = re.compile(r"\b(he|him|his|she|her|hers|himself|herself)\b", re.IGNORECASE)
_THING_PRONOUN = re.compile(r"\b(it|its|they|them|their|theirs)\b", re.IGNORECASE)
# "the move", "the deal": a thing the conversation has just been about.
_DEFINITE = re.compile(
    r"\b(?:the|this|that)\s+(?:move|deal|decision|plan|plans|change|changes|announcement|report|bid|offer|case|scheme|"
    r"proposal|policy|law|bill|event|incident|claim|row|takeover|merger|sale|agreement|ban|cut|cuts|rise|fall)\b(?!\s+(?:of|to|for|by)\b)",
    re.IGNORECASE,
)
# "How long did it take…", "Is it true that…", "…to make it 2-0", "How long had it been since…": an
# "it" that points at nothing.
_EXPLETIVE_IT = re.compile(r"\bit\s+(?:take|takes|took|taking)\b|\b(?:has|had|is|was)\s+it\s+been\s+(?:since|before)\b|"
                           r"\b(?:is|was|will|would)\s+it\s+(?:true|possible|likely|right)\b|"
                           r"\b(?:make|makes|made|making)\s+it\s+\d", re.IGNORECASE)
# "his time in charge there": the place or organisation the conversation is about; not the
# "there" of "there is", "is there".
_THERE = re.compile(r"(?<!\bis )(?<!\bare )(?<!\bwas )(?<!\bwere )\bthere\b(?!\s+(?:is|are|was|were|be|been|will|would|has|have|had|"
                    r"may|might|could|should|must|seems?|appears?)\b)", re.IGNORECASE)
# "that company", "the same club": the organisation the conversation is about.
_THAT_ORGANISATION = re.compile(r"\b(?:that|this|the same)\s+(?:company|firm|group|club|team|bank|airline|network|carrier|"
                                r"operator|business|organisation|organization|party|band|broadcaster|retailer|"
                                r"manufacturer|maker|studio|label)\b", re.IGNORECASE)
# "that race", "this season": something named in the last turn.
_DEMONSTRATIVE = re.compile(r"\b(?:that|this|those|these)\s+(?!is\b|was\b|are\b|were\b|has\b|had\b|will\b|would\b)[a-z]+\b")
# ("And in what year was she elected?": a preposition may lead the question word)
# (an adverb may come first: "And roughly what proportion…")
_OPENING_AND = re.compile(r"^(?:and|also|then|so)\s*,?\s+(?:(?:roughly|approximately|exactly|precisely|so|then|now|again|"
                          r"finally|briefly)\s*,?\s+)?(?=(?:(?:in|on|at|by|for|from|to|with|since|until|after|before)\s+"
                          r"(?:who|whom|whose|what|when|which|how)\b|(?:who|whom|whose|what|when|where|why|how|which|did|does|do|"
                          r"is|was|were|are|has|have|had|will|would|can|could)\b(?!\s+about\b)))", re.IGNORECASE)
# "those" standing alone after a preposition: "What share of those…", "How many of these…".
# ("those customers" has a noun of its own: a plural, other than a verb's "was", "is", "has")
_OF_THOSE = re.compile(r"\b(of|among|from)\s+(?:those|these)\b(?!\s+(?!(?:was|is|has|does)\b)[a-z]+s\b)", re.IGNORECASE)
_WHAT_ABOUT = re.compile(r"^(?:and\s+)?(?:what|how)\s+about\b", re.IGNORECASE)
_ELLIPSIS = re.compile(r"^(?:and|what about|how about|and what about|also|then)\b", re.IGNORECASE)


class Turn(BaseModel):
    """What an earlier turn was about."""

    question: str
    person: str | None = None  # a person the turn asked about or was answered with
    subject: str | None = None  # its main non-person subject
    subject_is_place: bool = False  # the subject is a place ("in Paris"), not an organisation ("at Bombardier")
    people: list[str] = []  # everyone the turn named or was answered with: who a "they" may be
    things: list[str] = []  # the subject first, then the other things it named or was answered with
    # where the turn's events happen, when its subject is the name answered: "there" after "Which
    # band headlines the Leeds festival?" (Iron Maiden) is Leeds, not the band
    setting: str | None = None
    setting_is_place: bool = False
    counted: str | None = None  # what a how-many turn counted: "new broadband connections"
    # what a price question's "it" means: a thing that is sold, not the company answered ("How
    # much does it cost?" after "Which company makes the PSP?" (Sony) asks the PSP's price)
    priced: str | None = None
    place: str | None = None  # the place it named: the "there" of "What was its price there?"


def needs_context(question: str) -> bool:
    q = question.strip()
    return bool(_PERSON_PRONOUN.search(q) or _thing_pronouns(q) or _THERE.search(q) or _ELLIPSIS.match(q)
                or len(q.split()) <= 3)


def unclear_pronoun(question: str) -> str | None:
    """A "he" or "her" nothing before it can stand for, once the conversation has been applied:
    "What was her winning time?" after a turn that named no one. Answering it would describe
    whoever the closest passage names. A name ("Did Blair say he…"), a noun for a person ("the
    chancellor… his budget") or "who" before the pronoun may be what it means, so those pass."""
    m = _PERSON_PRONOUN.search(question)
    if not m:
        return None
    before = re.findall(r"[\w'’-]+", question[: m.start()])
    if any(w[:1].isupper() and w not in QUESTION_WORDS and w.lower() not in STOPWORDS for w in before):
        return None
    if any(w.lower() in ("who", "whom", "whose") or singular(w.lower()) in PEOPLE for w in before):
        return None
    if _NAMED_SUBJECT.search(question, m.end()):
        return None  # "In his New Year message, which prison did Charles Kennedy say…": named after it
    return m.group(1)


# A name as the subject after an auxiliary, which a pronoun before it may stand for.
_NAMED_SUBJECT = re.compile(r"\b(?:did|does|do|was|is|were|are|has|have|had|will|would|could|can)\s+"
                            r"(?:the\s+)?[A-Z][\w'’-]+")


def _thing_pronouns(question: str) -> list[re.Match]:
    """"it", "they"… that refer to something ("How much is it claiming?"), not the "it" of "How
    long did it take…"."""
    expletive = [m.span() for m in _EXPLETIVE_IT.finditer(question)]
    return [m for m in _THING_PRONOUN.finditer(question) if not any(a <= m.start() < b for a, b in expletive)]


def resolve(question: str, turns: list[Turn], quoted: Callable[[str], bool] | None = None) -> str:
    """The question made self-contained using the most recent turn; unchanged if it already is.
    `quoted` says whether a name is quoted in the sources: "What about Blair?" after a
    say-question asks what Blair said, "What about Linux?" what was said about Linux."""
    if not turns:
        return question
    if turns[-1].counted:
        # "What share of those came through BT Retail?" after "How many new broadband connections
        # did BT add…?": "those" are the connections counted
        question = _OF_THOSE.sub(lambda m: f"{m.group(1)} the {turns[-1].counted}", question, count=1)
    subject_turn = next((t for t in reversed(turns) if t.subject), None)  # the thing the conversation is about
    subject = subject_turn.subject if subject_turn else None
    if subject and subject not in question:
        # "How many customers does that company have?" after "Which network carried…?" (Vodafone)
        question = _THAT_ORGANISATION.sub(subject, question, count=1)
    if not needs_context(question):
        # "How much is the deal worth?" names nothing: in a conversation it means the deal just
        # discussed, so the last turn's subject goes along as context.
        if analyse(question).targets and not _DEFINITE.search(question):
            return question
        context = [c for c in (turns[-1].subject, turns[-1].person) if c]
        return f"{question.rstrip(' ?')} ({', '.join(context)})?" if context else question
    last = turns[-1]
    whole = _OPENING_AND.sub("", question)  # "And how much was he fined?" is a whole question
    question = whole[:1].upper() + whole[1:] if whole != question else question
    if _ELLIPSIS.match(question) or len(question.split()) <= 3 and not (_PERSON_PRONOUN.search(question) or _thing_pronouns(question)):
        return _fill_ellipsis(question, last, quoted)
    person = next((t.person for t in reversed(turns) if t.person), None)
    # the first pronoun only: the rest then point at the name ("Why did he miss his chance?" ->
    # "Why did Damien Duff miss his chance?", not "…miss Damien Duff's chance")
    out = _PERSON_PRONOUN.sub(lambda m: _replace(m, person), question, count=1) if person else question
    pronouns = _thing_pronouns(out)
    if not subject and pronouns and len(last.people) > 1 and pronouns[0].group(1).lower() in ("they", "them"):
        # "Where did they meet for the first time?" after the MP who found a long-lost daughter, Lucy
        m = pronouns[0]
        return out[: m.start()] + " and ".join(last.people) + out[m.end() :]
    other = next((t for t in last.things if t != subject), None)
    if subject and other and len(pronouns) == 2 and sum(map(_in_subject_place, pronouns)) == 1:
        # "How many of them has it sold?" after "Which company makes the PSP?" (Sony): the "it"
        # doing the selling is the subject, the other pronoun the other thing
        for m in reversed(pronouns):
            out = out[: m.start()] + _replace(m, subject if _in_subject_place(m) else other) + out[m.end() :]
        return out
    if pronouns and (done := _said_it(out, pronouns[0], last.question) or _object_of_same_verb(out, pronouns[0], last.question)):
        return done
    if subject and pronouns:
        m = pronouns[0]
        # "it" is not a name the question itself gives: "How many units of it has Sony sold?"
        named = out[: m.start()] + out[m.end() :]
        thing = next((t for t in subject_turn.things if t not in named), subject) if subject in named else subject
        if subject_turn.priced and subject_turn.priced not in named and _ASKS_PRICE.search(out) and _in_subject_place(m):
            thing = subject_turn.priced
        out = out[: m.start()] + _replace(m, thing) + out[m.end() :]
        if subject_turn.place and subject_turn.place not in out:
            # "And what was its price there?" after "When did the DS go on sale in the US?"
            out = _THERE.sub(f"in {subject_turn.place}", out, count=1)
    out = _named_demonstrative(out, turns)
    if subject and not pronouns and subject not in out:
        where, in_place = ((subject_turn.setting, subject_turn.setting_is_place) if subject_turn.setting
                           else (subject, subject_turn.subject_is_place))
        there = _THERE.sub(f"{'in' if in_place else 'at'} {where}", out, count=1)
        if there == out and _DEMONSTRATIVE.search(out):
            # "What time did he run in that race?": the race the last turn was about
            there = f"{out.rstrip(' ?')} ({subject})?"
        out = there
    return out


# A verb of saying right before "it": "When did he say it?", "Why did she tell them it?" is rare
_SAYING_BEFORE = re.compile(r"\b(?:say|said|says|tell|told|mention|mentioned|claim|claimed|write|wrote|announce|announced|"
                            r"predict|predicted|warn|warned|state|stated|mean|meant)\s+$", re.IGNORECASE)


def _said_it(question: str, pronoun: re.Match, last: str) -> str | None:
    """The question with "it" made the statement the last question asked about: "When did he
    say it?" after "What did Greenspan say about the US economy?" asks when Greenspan said that
    about the US economy, not when he said "US". Nothing when the last question asked no one's
    words."""
    if pronoun.group(1).lower() != "it" or not _SAYING_BEFORE.search(question[: pronoun.start()]):
        return None
    asked = analyse(last)
    if asked.type != "say":
        return None
    about = f" about {asked.topic}" if asked.topic else ""
    return question[: pronoun.start()] + "that" + about + question[pronoun.end() :]


def _object_of_same_verb(question: str, pronoun: re.Match, last: str) -> str | None:
    """The question with "it" made the object the last question gave the same verb: "Where was
    he when he made it?" after "Who made Britain's first mobile phone call?" asks where the call
    was made, not where Britain was."""
    if pronoun.group(1).lower() != "it":
        return None
    verb = re.search(r"\b([a-z]{3,})\s+$", question[: pronoun.start()])
    if not verb or verb.group(1) in STOPWORDS:
        return None
    wanted = stem(verb.group(1))
    for m in re.finditer(r"\b[a-z]{3,}\b", last):
        if stem(m.group()) == wanted and (obj := _OBJECT_PHRASE.match(last, m.end())):
            return question[: pronoun.start()] + obj.group(1) + question[pronoun.end() :]
    return None


# The words a verb takes as its object, up to a preposition or the question's end: "Britain's
# first mobile phone call". Not a bare pronoun or a clause ("made it clear that…").
_OBJECT_PHRASE = re.compile(r"\s+((?!(?:it|him|her|them|that|this|clear|sure)\b)(?:[\w'’-]+\s+){0,5}?[\w'’-]+)"
                            r"(?=\s+(?:in|at|on|for|with|to|from|by|during|after|before|against|when|while|as)\b|\s*[?.!]?\s*$)")


def _named_demonstrative(question: str, turns: list[Turn]) -> str:
    """"those talks" made the name an earlier turn gave them: "Who represented Spain at those
    talks?" after "…at the Chevening talks on the Rock's future?" asks about the Chevening talks
    (not about Gibraltar, the subject that would otherwise go along as context)."""
    for m in _DEMONSTRATIVE.finditer(question):
        noun = m.group(0).split()[-1]
        for turn in reversed(turns):
            named = re.search(rf"\b((?:[A-Z][\w'’.&-]*\s+)+){re.escape(noun)}\b", turn.question)
            words = named.group(1).split() if named else []
            while words and words[0] in QUESTION_WORDS:  # "Which Six Nations match" names "Six Nations"
                words.pop(0)
            if words:
                return f"{question[: m.start()]}the {' '.join(words)} {noun}{question[m.end() :]}"
    return question


_ASKS_PRICE = re.compile(r"\b(?:cost|costs|costing|price|priced|retail|retails|(?:sell|sells|sold|selling)\s+for)\b|"
                         # "How much is it (in Japan)?", not "How much is it claiming?"
                         r"^how much (?:is|was|will be) it(?:\s+(?:there|now|in\s+[\w' -]+))?\s*\??$", re.IGNORECASE)


def _in_subject_place(m: re.Match) -> bool:
    """A pronoun right after an auxiliary is the question's subject: "has it sold", "did they"."""
    return bool(re.search(r"\b(?:has|have|had|did|does|do|is|was|are|were|will|would|can|could)\s+$", m.string[: m.start()], re.I))


def added_context(question: str, resolved: str) -> list[str]:
    """The names resolution appended in parentheses ("What did the Tories call the move (UK)?"),
    which say what the conversation is about but were not asked by the user."""
    m = re.search(r"\s\(([^()]*)\)\?$", resolved)
    return m.group(1).split(", ") if m and m.group(0).strip() not in question else []


def _replace(match: re.Match, name: str) -> str:
    word = match.group(1).lower()
    if word in ("his", "hers", "its", "their", "theirs"):
        return f"{name}'s"
    if word == "her":  # "her" before a noun is possessive: "her album" -> "Adele's album"
        following = match.string[match.end():].lstrip()
        if following and following[0].isalpha() and not re.match(r"(?:about|to|for|with|in|on|at|of|when|that|and|or)\b", following, re.I):
            return f"{name}'s"
    return name


def _fill_ellipsis(question: str, last: Turn, quoted: Callable[[str], bool] | None = None) -> str:
    body = question.strip(" ?.!,")
    while _ELLIPSIS.match(body):  # "And what about taxes?" opens with two of them
        body = _ELLIPSIS.sub("", body, count=1).strip(" ?.!,")
    topic = body  # "the NHS", "taxes": what was said about, for a say-question
    body = re.sub(r"^(?:the|a|an)\s+", "", body, flags=re.IGNORECASE)
    prev = last.question.rstrip(" ?.!")
    said_about = re.search(r"\s(?:about|on)\s+\S.*$", prev)
    new_topic = topic[:1].islower() or (quoted is not None and not quoted(topic))
    if said_about and _WHAT_ABOUT.match(question) and new_topic and analyse(last.question).type == "say":
        # "And what about taxes?" after "What did Michael Howard say about immigration?" asks what
        # he said about taxes (a name may be another speaker: "What about Blair?", unless no one
        # quotes it: "What about Linux?")
        return f"{prev[: said_about.start()]} about {topic}?"
    new_ord = next((o for o in ORDINALS if re.search(rf"\b{o}\b", body, re.I)), None)
    old_ord = next((o for o in ORDINALS if re.search(rf"\b{o}\b", prev, re.I)), None)
    if new_ord and old_ord:
        return re.sub(rf"\b{old_ord}\b", new_ord, prev, count=1, flags=re.IGNORECASE) + "?"
    if (swapped := _swap_phrase(prev, body)) is not None:
        return swapped
    new_targets = analyse(question).targets
    old_targets = analyse(last.question).targets
    if new_targets and old_targets:
        return prev.replace(old_targets[0], new_targets[0], 1) + "?"
    return f"{prev} {body}?" if body else f"{prev}?"


def _swap_phrase(prev: str, body: str) -> str | None:
    """The earlier question with its phrase that opens like `body` replaced by it: "What about
    best British album?" after "Which band won best British group at the Brits?" asks "Which
    band won best British album at the Brits?". The phrase runs to the next small word ("at",
    "in"…), so "best male" replaces all of "best British group". None when no phrase opens so."""
    words = body.split()
    if len(words) < 2 or words[0].lower() in STOPWORDS and words[0].lower() not in _PREPOSITIONS:
        return None
    m = re.search(rf"(?<![\w'’-]){re.escape(words[0])}(?![\w'’-])", prev, re.I)
    if not m:
        return None
    end = m.end()
    for i, w in enumerate(re.finditer(r"\S+", prev[m.end() :])):
        word = w.group(0).lower().strip(",;:")
        if word in STOPWORDS and not (i == 0 and word in ("the", "a", "an")) or w.group(0)[-1:] in ",;:":
            break  # ("for the Brits": the article belongs to the phrase a preposition opens)
        end = m.end() + w.end()
    if prev[m.start() : end].lower() == body.lower():
        return None
    return f"{prev[: m.start()]}{body}{prev[end:]}?"


# Prepositions that open the phrase an ellipsis replaces: "And for Robben?" after "How much did
# Chelsea pay for Drogba?".
_PREPOSITIONS = frozenset("for in at to from against with by on".split())
_NAMED = frozenset({"ORG", "GPE", "NORP", "FAC", "LOC", "PRODUCT", "EVENT", "WORK_OF_ART", "LAW"})


def describe_turn(question: str, answer_entity: tuple[str, str] | None, label_of: Callable[[str], str | None]) -> Turn:
    """A Turn from a resolved earlier question, its answer's (text, label), and a way to look up
    the usual entity label of a name in the index."""
    analysis = analyse(question)
    person = None
    # (no one is named after "the": NER takes "the film of The Da Vinci Code" for a person)
    people = [t for t in analysis.targets
              if label_of(t) == "PERSON" and not re.search(rf"\bthe\s+{re.escape(t)}", question, re.I)]
    if analysis.speaker and not re.match(r"(?:he|she|they)$", analysis.speaker, re.I):
        people.insert(0, analysis.speaker)
    if answer_entity and answer_entity[1] == "PERSON" and not (people and _ASKS_OBJECT.match(question)):
        person = answer_entity[0]
    person = person or (people[0] if people else None)
    # "Labour MP" describes the person asked about, and "the 1960s" is a time: neither is a subject
    # nor is "Russian" (of "the Russian government"): a nationality is no thing "it" points at
    others = [t for t in analysis.targets if t not in people and not _DESCRIBES_PERSON.search(t)
              and not re.fullmatch(r"\d{4}s?", t) and label_of(t) != "NORP"]
    # a name qualifying the noun after it ("US gamers", "UK shoppers") is seldom what "it" means
    # later: "How many units of it has Sony sold?" after "…will US gamers be able to buy Sony's
    # PlayStation Portable?" is about the PSP
    others.sort(key=lambda t: _qualifies_noun(t, question))
    answered_thing = answer_entity[0] if answer_entity and answer_entity[1] != "PERSON" else None
    setting = None
    if answered_thing and analysis.type in ("who", "which") and answer_entity[1] in _NAMED:
        # "Which company is suing the government?" then "How much is it claiming?": "it" is the answer.
        subject = answered_thing
        setting = _with_its_noun(others[0], question) if others else None
    else:
        subject = others[0] if others else answered_thing
    owned = _OWNED.search(question)
    if owned and person:
        # "What did Michael Howard say in his New Year message?" then "How did Labour respond to
        # it?": "it" is the message, not the "New Year" inside it.
        subject = f"{person}'s {owned.group(1)}"
    # an organisation, place, nationality, time or figure is never what costs something
    unsold = ("ORG", "GPE", "LOC", "NORP", "PERSON", "DATE", "TIME", "MONEY", "PERCENT", "QUANTITY", "CARDINAL", "ORDINAL")
    priced = next((t for t in (answered_thing if answer_entity and answer_entity[1] not in unsold else None,
                                setting, *others) if t and label_of(t) not in unsold), None)
    if setting and answer_entity and answer_entity[1] == "ORG" and ASKS_MAKER.search(question):
        priced = setting  # what the company answered makes, however NER labels it ("PSP" is often an ORG)
    return Turn(question=question, person=person, subject=subject, counted=_counted(question, analysis.answer_noun),
                priced=priced, place=_as_named(next((t for t in (subject, *others, answered_thing)
                                                     if t and label_of(t) in ("GPE", "LOC")), None), question),
                subject_is_place=bool(subject) and label_of(subject) in ("GPE", "LOC"),
                setting=setting, setting_is_place=bool(setting) and label_of(setting) in ("GPE", "LOC"),
                people=list(dict.fromkeys([p for p in (person, *people) if p])),
                things=list(dict.fromkeys([t for t in (subject, *others, answered_thing) if t])))


def _as_named(name: str | None, question: str) -> str | None:
    """`name` with the "the" the question gave it: "the US"."""
    if name and re.search(rf"\bthe\s+{re.escape(name)}\b", question, re.IGNORECASE):
        return f"the {name}"
    return name


def _counted(question: str, noun: str | None) -> str | None:
    """The phrase a how-many question counts, its modifiers with it: "new broadband connections"."""
    m = re.match(r"how many\s+((?:[\w'’-]+\s+){0,3}?)" + re.escape(noun or "") + r"\b", question, re.I) if noun else None
    return f"{m.group(1)}{noun}" if m else None


def _qualifies_noun(name: str, question: str) -> bool:
    """Whether the name stands before a lower-case noun of the question, as a qualifier."""
    return _with_its_noun(name, question) != name


def _with_its_noun(name: str, question: str) -> str:
    """The name with the noun it qualifies in the question ("the Leeds festival"), else the name."""
    m = re.search(rf"\b{re.escape(name)}\s+([a-z][\w-]*)", question)
    return f"the {name} {m.group(1)}" if m and m.group(1) not in STOPWORDS else name


# A name ending in a post: "Labour MP", "Tory MEP".
_DESCRIBES_PERSON = re.compile(rf"\b(?:{'|'.join(sorted(ROLE_ABBREVIATIONS))})$")


# "Which referee had Budge Pountney criticised?": the answer is the object of the verb, and the
# person named, its subject, stays the one talked about ("And how much was he fined?"). After
# "Who heads the FSMTC?" the answer is the subject, and the "he" of "What did he say?".
_ASKS_OBJECT = re.compile(r"^(?:who|whom|which|what)(?:\s+[\w'’-]+){0,2}?\s+(?:had|did|has|have|does|do|will|would)\s+"
                          r"(?=(?-i:[A-Z]))", re.IGNORECASE)


# Something a person made or said, named with their possessive: "his New Year message".
_OWNED = re.compile(
    r"\b(?:his|her|their)\s+((?:[\w'’-]+\s+){0,3}?(?:message|speech|statement|interview|letter|article|address|"
    r"remarks|comments|report|book|plan|plans|budget|manifesto|proposal|proposals|decision|bid|offer|album|film|"
    r"novel|tour|campaign|policy|resignation|announcement))\b",
    re.IGNORECASE,
)
