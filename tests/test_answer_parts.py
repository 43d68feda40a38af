"""The pure parts of answering: question analysis, typed spans, follow-ups, abstention rules."""

from __future__ import annotations

import pytest

from qa.abstain import Evidence, decide
from qa.analyze import analyse
from qa.extract import clause_around, focus_points, pick_short_answer, typed_spans
from qa.followup import Turn, describe_turn, needs_context, resolve
from qa.rerank import target_hits


@pytest.mark.parametrize("question,qtype,first_label", [
    ("How much did the club pay for the striker?", "how_much", "MONEY"),
    ("How many jobs will be cut at the plant?", "how_many", "CARDINAL"),
    ("When did the strike begin?", "when", "DATE"),
    ("In which year was the company founded?", "when", "DATE"),
    ("Who replaced the chief executive?", "who", "PERSON"),
    ("Where will the summit be held?", "where", "GPE"),
    ("Which news agency broke the story?", "which", "ORG"),
    ("Why did shares fall on Monday?", "why", None),
    ("According to the survey, how many people own a phone?", "how_many", "CARDINAL"),
    ("How long is the contract?", "measure", "QUANTITY"),
    ("How big a stake in the club does the chairman hold?", "percent", "PERCENT"),
    ("Which Tennis Australia official defended the courts?", "which", "PERSON"),  # the noun after the name
    ("What is the EBL Working Group that the work led to?", "definition", None),  # "Group" names, not asks
    ("In a car engine, what is 'knocking'?", "definition", None),
])
def test_question_types(question, qtype, first_label):
    a = analyse(question)
    assert a.type == qtype
    assert (a.expected[0] if a.expected else None) == first_label


def test_say_questions_give_speaker_and_topic():
    a = analyse("What did the prime minister's spokesman say about the tax rise?")
    assert a.type == "say" and a.speaker == "the prime minister's spokesman" and a.topic == "the tax rise"
    assert analyse("What did Angela Merkel tell reporters?").speaker == "Angela Merkel"


def test_targets_keep_names_and_codes_whole():
    a = analyse("Did Athens buy the S-300 from Russia's Rosoboronexport?")
    assert "Athens" in a.targets and "S-300" in a.targets and "Rosoboronexport" in a.targets


def test_typed_spans_and_short_answer():
    sentence = "The firm said profits rose 12% to £1.13bn in the year to March 2004, beating forecasts."
    spans = typed_spans(sentence, 100, [])
    labels = {(s.label, s.text) for s in spans}
    assert ("PERCENT", "12%") in labels and ("MONEY", "£1.13bn") in labels and ("DATE", "March 2004") in labels
    q = "How much profit did the firm make?"
    best = pick_short_answer(sentence, spans, ["MONEY", "PERCENT"], q, focus_points(sentence, ["profit", "firm"]))
    assert best.text == "£1.13bn"


def test_short_answer_is_not_the_question_itself():
    sentence = "Turkey bought the S-400 Triumph in July 2019 from Russia."
    spans = typed_spans(sentence, 0, [])
    best = pick_short_answer(sentence, spans, ["PRODUCT", "DATE"], "Which system did Turkey buy, the S-400?", [0], ["S-400"])
    assert best is None or "S-400" not in best.text


def test_clause_around_keeps_long_sentences_short_and_verbatim():
    s = ("The council, which met for six hours on Tuesday evening in the town hall, finally approved the budget of "
         "£4m, a rise of 3% on last year, after a long debate in which several members walked out in protest.")
    lo, hi = clause_around(s, s.index("£4m"), s.index("£4m") + 3)
    assert "£4m" in s[lo:hi] and len(s[lo:hi].split()) < len(s.split())


def test_followup_pronoun_and_ellipsis():
    turns = [Turn(question="Who heads the FSMTC?", person="Dmitry Shugaev", subject="FSMTC")]
    assert resolve("What did he say about the talks?", turns) == "What did Dmitry Shugaev say about the talks?"
    assert resolve("How much did the first batch cost?", []) == "How much did the first batch cost?"
    assert resolve("And the second one?", [Turn(question="How much did the first batch cost?")]) == "How much did the second batch cost?"
    assert resolve("What about Ankara?", [Turn(question="What did Moscow announce?")]) == "What did Ankara announce?"
    assert not needs_context("Who won the 2004 Booker prize for fiction?")


def test_describe_turn_uses_answer_person_and_index_labels():
    labels = {"Rostec": "ORG", "Sergei Chemezov": "PERSON"}
    turn = describe_turn("Who heads Rostec?", ("Sergei Chemezov", "PERSON"), labels.get)
    assert turn.person == "Sergei Chemezov" and turn.subject == "Rostec"


def test_target_hits_count_surnames():
    assert target_hits("Chemezov said the deal was done.", ["Sergei Chemezov"]) == 0.5
    assert target_hits("The S-400 was delivered.", ["S-400", "India"]) == 0.5


def evidence(**kw) -> Evidence:
    base = dict(passage_cosine=0.6, sentence_cosine=0.6, target_coverage=1.0, typed=True, typed_found=True, targets=1)
    return Evidence(**{**base, **kw})


def test_abstention_rules():
    assert not decide(evidence()).abstain
    assert decide(evidence(unknown_targets=["India"])).abstain
    assert "India" in decide(evidence(unknown_targets=["India"])).reason
    assert decide(evidence(passage_cosine=0.1, target_coverage=0.5)).abstain
    assert not decide(evidence(passage_cosine=0.15, target_coverage=1.0)).abstain  # names it, phrased differently
    assert decide(evidence(target_coverage=0.3, targets=2)).abstain
    assert decide(evidence(typed_found=False, sentence_cosine=0.2)).abstain
    assert decide(evidence(typed_found=False, sentence_cosine=0.8)).abstain  # close, but not what was asked
    assert not decide(evidence(typed=False, typed_found=False, sentence_cosine=0.8)).abstain


def test_counts_need_their_counted_noun():
    sentence = "The keeper counted 312 ships passing, the top 10 of the year."
    spans = typed_spans(sentence, 0, [])
    q = analyse("How many ships passed the lighthouse?")
    assert q.answer_noun == "ships"
    best = pick_short_answer(sentence, spans, q.expected, q.text, [], q.targets, q.answer_noun, noun_required=True)
    assert best.text == "312"
    votes = analyse("How many votes did the band receive?")
    assert pick_short_answer(sentence, spans, votes.expected, votes.text, [], [], votes.answer_noun, noun_required=True) is None
    # without a known counted noun the rule does not apply
    assert pick_short_answer(sentence, spans, ["CARDINAL"], "How many died?", [], [], None, noun_required=True) is not None


def test_amounts_need_a_currency():
    sentence = "The 508m tall tower cost $1.8bn to build."
    spans = typed_spans(sentence, 0, [])
    best = pick_short_answer(sentence, spans, ["MONEY"], "How much did the tower cost?", [0])
    assert best.text == "$1.8bn"


def test_scores_are_typed_as_numbers():
    spans = typed_spans("Trouble flared in the first half of Wales' 11-9 win in Cardiff.", 0, [])
    assert ("CARDINAL", "11-9") in [(s.label, s.text) for s in spans]
    assert not [s for s in typed_spans("The 2004-05 season and the S-400 system.", 0, []) if s.text in ("2004-05", "400")]


def test_a_typed_question_takes_the_typed_sentence_of_the_same_document():
    from types import SimpleNamespace

    from qa.answer import _choose
    from qa.extract import TypedSpan

    def row(score, doc, text, short=None):
        passage = SimpleNamespace(doc_id=doc, text=text)
        return (score, score, 0, passage, 0, len(text), short)

    name = TypedSpan(start=0, end=12, label="PERSON", text="Geoff Pollard")
    lead = row(1.2, "d1", "Tennis's top official has defended the courts.")
    later = row(0.8, "d1", "Geoff Pollard rejected criticism of the courts.", name)
    elsewhere = row(1.0, "d2", "Roger Smith defended the courts.", name)
    off_topic = row(0.9, "d1", "Geoff Pollard was born in Sydney.", name)
    analysis = analyse("Which tennis official defended the courts?")
    assert _choose([lead, later, elsewhere], analysis) is later  # same document, names the asked words
    assert _choose([lead, off_topic], analysis) is lead  # none of "defended", "courts": not a better answer
    assert _choose([lead, later], analyse("Why were the courts defended?")) is lead  # untyped: the best sentence


def test_say_questions_split_topic_from_occasion():
    a = analyse("What did Jurgen Melzer say after beating Andre Agassi at the SAP Open?")
    assert (a.type, a.speaker, a.topic, a.occasion) == ("say", "Jurgen Melzer", None, "beating Andre Agassi at the SAP Open")
    b = analyse("What did Blair say about Iraq?")
    assert (b.topic, b.occasion) == ("Iraq", None)


def test_two_letter_targets_match_whole_words_and_usual_names():
    assert target_hits("Britain is to allow eight new casinos", ["UK"]) == 1.0
    assert target_hits("The U.S. economy grew", ["US"]) == 1.0
    assert target_hits("Let us go", ["US"]) == 0.0  # case kept: "us" is not the US
    assert target_hits("The UK said so", ["UK", "Sony"]) == 0.5


def test_followup_with_the_move_takes_the_last_subject_and_it_takes_a_named_answer():
    turns = [describe_turn("Which company is suing the Russian government?", ("Group Menatep", "ORG"), lambda t: None)]
    assert resolve("How much is it claiming?", turns) == "How much is Group Menatep claiming?"
    casino = [Turn(question="How many casinos will the UK allow?", subject="UK")]
    assert resolve("What did the Tories call the move?", casino) == "What did the Tories call the move (UK)?"
    assert resolve("What did the Tories call the leader of the party?", casino) == "What did the Tories call the leader of the party?"


def test_statements_repeated_in_copies_of_a_story_are_shown_once():
    from index.models import Quote
    from qa.statements import _distinct

    def quote(doc, text):
        return Quote(speaker="Jurgen Melzer", surface="he", text=text, direct=True, cue="said", doc_id=doc,
                     passage_id=f"{doc}-p0", start=0, end=len(text))

    quotes = [quote("a", "I had a good game plan."), quote("b", "I had a  good game plan."), quote("b", "Other.")]
    assert [(q.doc_id, q.text) for q in _distinct(quotes)] == [("a", "I had a good game plan."), ("b", "Other.")]


def test_a_pronoun_is_never_a_target():
    assert analyse("Which producer is turning It's A Wonderful Life into a musical?").targets == ["Wonderful Life"]
    assert target_hits("It was a good year", ["It"]) == 0.0  # not a name, so it boosts nothing
