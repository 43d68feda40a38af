"""The pure parts of answering: question analysis, typed spans, follow-ups, abstention rules."""

from __future__ import annotations

import pytest

from qa.abstain import Evidence, decide
from qa.analyze import analyse
from qa.extract import TypedSpan, clause_around, focus_points, pick_short_answer, typed_spans
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
    ("What were Google's sales in that quarter?", "which", "MONEY"),
    ("How much does the sprinter weigh now?", "measure", "QUANTITY"),
    ("Which Conservative MP introduced the bill?", "which", "PERSON"),
    ("Which Imperial College lecturer won the prize?", "which", "PERSON"),
    ("At which meeting did she win the 1,000m title?", "which", "EVENT"),  # "the Birmingham Grand Prix"
    # the comma closes a clause inside the question, not one before it
    ("On what date do the championships in France, which he may enter, start?", "when", "DATE"),
    # "how much" of something measured in its own units, not money: "50GB"
    ("How much data will a single disc hold?", "measure", "QUANTITY"),
    ("Which actor plays the title character?", "which", "PERSON"),  # "plays" is the verb, not the noun
    ("Which team knocked Zambia out of the cup?", "which", "ORG"),  # or the country a national team is named by
    ("What does the provider charge per month for the service?", "how_much", "MONEY"),
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
    # a figure for a question naming what it measures ("revenue") needs that word in the passage
    assert decide(evidence(numeric=True, measure_found=False)).abstain
    assert not decide(evidence(numeric=True, measure_found=True, asked_terms=1, asked_terms_found=1)).abstain
    # an untyped question whose passage holds none of its words, nor comes close, speaks of
    # something else bearing the name ("the population of Mars" against "Mars, 53, has failed…")
    untyped = dict(typed=False, typed_found=False, asked_terms=1)
    assert decide(evidence(**untyped, asked_terms_found=0, sentence_cosine=0.37)).abstain
    assert not decide(evidence(**untyped, asked_terms_found=0, sentence_cosine=0.49)).abstain
    assert not decide(evidence(**untyped, asked_terms_found=1, sentence_cosine=0.37)).abstain


def test_the_head_of_a_compound_noun_types_the_question():
    revenue = analyse("What was Lufthansa's total revenue for 2004?")
    assert revenue.answer_noun == "revenue" and revenue.expected[0] == "MONEY"
    assert analyse("Which company director resigned?").answer_noun == "director"
    assert analyse("Which company bought the film rights?").answer_noun == "company"
    assert analyse("How many children were rescued?").answer_noun == "children"  # a plural without an s
    assert analyse("How many Fathers 4 Justice protesters were held?").answer_noun == "protesters"  # not the name's
    assert analyse("Whose new book claimed the prime minister would step down?").answer_noun == "book"  # "Mr Peston's book"


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


def _row(score, doc, text, short=None, beside=False, cause=None):
    from types import SimpleNamespace

    from qa.answer import Scored

    return Scored(score, score, 0, SimpleNamespace(doc_id=doc, text=text), 0, len(text), short, beside, cause, story=doc)


def test_a_typed_question_takes_the_typed_sentence_of_the_same_document():
    from qa.answer import _choose
    from qa.extract import TypedSpan

    name = TypedSpan(start=0, end=12, label="PERSON", text="Geoff Pollard")
    lead = _row(1.2, "d1", "Tennis's top official has defended the courts.")
    later = _row(0.8, "d1", "Geoff Pollard rejected criticism of the courts.", name)
    elsewhere = _row(1.0, "d2", "Roger Smith defended the courts.", name)
    off_topic = _row(0.9, "d1", "Geoff Pollard was born in Sydney.", name)
    analysis = analyse("Which tennis official defended the courts?")
    assert _choose([lead, later, elsewhere], analysis) is later  # same document, names the asked words
    assert _choose([lead, off_topic], analysis) is lead  # none of "defended", "courts": not a better answer
    assert _choose([lead, later], analyse("Why were the courts defended?")) is lead  # no reason stated: the best


def test_a_story_naming_what_is_asked_answers_before_one_that_does_not():
    from qa.answer import _choose

    charts = TypedSpan(start=0, end=8, label="PRODUCT", text="Hot Fuss")
    title = TypedSpan(start=28, end=50, label="WORK_OF_ART", text="A Present For Everyone")
    other = _row(0.90, "charts", "Hot Fuss moved up three places to number two.", charts, beside=True)
    named = _row(0.83, "band", "The band's follow-up album, A Present For Everyone, came in 2003.", title)
    analysis = analyse("What was the title of the album Busted released as their follow-up?")
    assert _choose([other, named], analysis) is other  # without knowing which story names Busted
    assert _choose([other, named], analysis, coverage={"charts": 0.0, "band": 1.0}.__getitem__) is named


def test_the_answer_beside_its_noun_in_a_sentence_on_the_question_wins():
    from qa.answer import _choose
    from qa.extract import TypedSpan

    show = TypedSpan(start=0, end=14, label="PERSON", text="Jerry Springer")
    producer = TypedSpan(start=0, end=10, label="PERSON", text="Jon Thoday")
    lead = _row(1.27, "d1", "The film is to be turned into a musical by the producer of the hit show Jerry Springer.", show)
    named = _row(0.87, "d1", "The film is being turned into a musical by producer Jon Thoday.", producer, beside=True)
    analysis = analyse("Which producer is turning the film into a stage musical?")
    assert _choose([lead, named], analysis) is named
    # beside its noun but about something else: the score decides
    aside = _row(0.87, "d1", "Producer Jon Thoday was born in 1961.", producer, beside=True)
    assert _choose([lead, aside], analysis) is lead


def test_one_more_asked_word_outweighs_a_small_score_gap_only():
    from qa.answer import ASKED_WORD, _choose
    from qa.extract import TypedSpan

    pct = TypedSpan(start=0, end=5, label="PERCENT", text="42.3%")
    analysis = analyse("How big a stake does Bob Murray hold after buying the shares?")
    right = _row(1.25, "d1", "Mr Murray agreed to buy the holding, taking his stake to 42.3%.", pct)
    wordier = _row(1.25 - 2 * ASKED_WORD, "d1", "Mr Murray is the leading shareholder, holding a 37.6% stake.", pct)
    assert _choose([right, wordier], analysis) is right


def test_a_why_question_takes_the_sentence_stating_a_reason():
    from qa.answer import _choose, reason_at

    text = "Athletics Kenya issued the ban after Chepkemei failed to turn up for a training camp."
    assert text[reason_at(text):].startswith("after Chepkemei failed")
    assert reason_at("Kenya has suspended Susan Chepkemei until the end of the year.") is None
    lead = _row(1.23, "d1", "Kenya has suspended Susan Chepkemei until the end of the year.")
    reason = _row(0.78, "d1", text, cause=reason_at(text))
    assert _choose([lead, reason], analyse("Why did Athletics Kenya suspend Susan Chepkemei?")) is reason


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
    # with no answer, "it" is no nationality
    assert describe_turn("Which company is suing the Russian government over Yukos?", None,
                         {"Russian": "NORP", "Yukos": "ORG"}.get).subject == "Yukos"
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


def test_a_short_name_is_given_as_the_document_names_it_in_full():
    from index.models import Entity
    from qa.extract import TypedSpan, full_name

    def ent(text, label="PERSON"):
        return Entity(doc_id="d", passage_id="d-p0", text=text, label=label, start=0, end=len(text))

    jonah = TypedSpan(start=0, end=5, label="PERSON", text="Jonah")
    assert full_name(jonah, [ent("Jonah Lomu"), ent("Jonah Lomu's"), ent("Martin Johnson")]) == "Jonah Lomu"
    brown = TypedSpan(start=0, end=5, label="PERSON", text="Brown")
    assert full_name(brown, [ent("Gordon Brown"), ent("Steve Brown")]) == "Brown"  # two people: keep it short
    assert full_name(TypedSpan(start=0, end=7, label="PERSON", text="Capra's"), []) == "Capra"
    assert full_name(TypedSpan(start=0, end=5, label="GPE", text="Paris"), [ent("Paris Hilton")]) == "Paris"


def test_precise_dates_speeds_and_amounts_in_figures():
    from index.models import Entity

    def ent(text: str, label: str, sentence: str) -> Entity:
        start = sentence.index(text)
        return Entity(doc_id="d", passage_id="d-p0", text=text, label=label, start=start, end=start + len(text))

    sentence = "The crash in 2000, on 17 October 2000, killed four people."
    spans = typed_spans(sentence, 0, [])
    q = analyse("On what date did the Hatfield rail crash take place?")
    assert pick_short_answer(sentence, spans, q.expected, q.text, []).text == "17 October 2000"
    assert pick_short_answer("The crash happened in 2000.", typed_spans("The crash happened in 2000.", 0, []),
                             q.expected, q.text, []) is None
    march = "The event starts in March."  # a month alone is no date either
    assert pick_short_answer(march, typed_spans(march, 0, [ent("March", "DATE", march)]),
                             q.expected, q.text, []) is None
    # a race time, which NER leaves out, answers "What was his winning time?"
    won = "Ireland's Alistair Cragg won in 7:39.89 as Bekele battled to second in 7:41.42."
    timed = analyse("What was Alistair Cragg's winning time?")
    assert pick_short_answer(won, typed_spans(won, 0, []), timed.expected, timed.text, []).text == "7:39.89"
    # a year is no count: "Film 2005 presenter Jonathan Ross" for "How many films…"
    films = analyse("How many films were eligible for the best film Oscar?")
    ross = "The view was shared by Film 2005 presenter Jonathan Ross."
    spans = typed_spans(ross, 0, [ent("2005", "CARDINAL", ross)])
    assert pick_short_answer(ross, spans, films.expected, films.text, [], noun="films") is None
    total = "A total of 267 films are eligible."
    spans = typed_spans(total, 0, [ent("267", "CARDINAL", total)])
    assert pick_short_answer(total, spans, films.expected, films.text, [], noun="films").text == "267"
    fast = analyse("How fast do the lifts travel?")
    lifts = "The lifts reach the top of the 508m tower at 17m per second."
    assert pick_short_answer(lifts, typed_spans(lifts, 0, []), fast.expected, fast.text, []).text == "17m per second"
    from qa.extract import TypedSpan

    # a computer's speed, its unit left outside the number NER tagged
    speed = analyse("What speed did IBM's Blue Gene/L prototype reach in the tests?")
    flops = "Tests show that Blue Gene/L has managed speeds of 70.72 teraflops, ahead of the 508m tower."
    at = flops.index("70.72")
    bare = [TypedSpan(start=at, end=at + 5, label="CARDINAL", text="70.72"),
            TypedSpan(start=flops.index("508m"), end=flops.index("508m") + 4, label="QUANTITY", text="508m")]
    assert pick_short_answer(flops, bare, speed.expected, speed.text, []).text == "70.72"
    old = analyse("How old is Al Aynsley-Green?")
    post = "Al Aynsley-Green will start the £100,000-a-year post in March."
    at = post.index("100,000")
    salary = [TypedSpan(start=at, end=at + 7, label="CARDINAL", text="100,000")]
    assert pick_short_answer(post, salary, old.expected, old.text, []) is None  # a rate "a year" is no age
    pledge = "Having given billions of dollars, Mr Gates pledged $750m."
    vague = TypedSpan(start=12, end=31, label="MONEY", text="billions of dollars")
    much = analyse("How much did Bill Gates pledge?")
    assert pick_short_answer(pledge, [vague] + typed_spans(pledge, 0, []), much.expected, much.text, [12]).text == "$750m"


def test_finishing_positions_are_asked_and_found():
    q = analyse("Where did he finish when he ran in London in 2002?")
    assert (q.type, q.expected) == ("position", ["ORDINAL"])
    assert analyse("Where did he come from?").type == "where"
    sentence = "He was third in London in 2002."
    assert pick_short_answer(sentence, typed_spans(sentence, 0, []), q.expected, q.text, []).text == "third"


def test_the_it_of_how_long_did_it_take_points_at_nothing():
    turns = [Turn(question="Which department lost its e-mail?", subject="EDS")]
    resolved = resolve("How long did it take for news of the failure to leak out?", turns)
    assert "EDS take" not in resolved and resolved.startswith("How long did it take")
    assert resolve("How much is it claiming?", turns) == "How much is EDS claiming?"


def test_which_phrases_inside_the_question_hyphen_names_and_money_sizes():
    inner = analyse("Anil Ambani has quit as director of which Reliance-controlled company?")
    assert (inner.type, inner.expected, inner.answer_noun) == ("which", ["ORG"], "company")
    assert "Reliance" in inner.targets and "Reliance-controlled" not in inner.targets
    assert "European" not in analyse("Which pan-European exchange operator approached the LSE?").targets
    assert analyse("Which storage specialist teamed up with 3ami?").answer_noun == "specialist"
    assert analyse("How big is Georgia's public debt?").type == "how_much"
    assert analyse("How big is the stadium?").type == "measure"
    pair = analyse("Between which two cities will the bus run?")
    assert pair.type == "where" and "Between" not in pair.targets
    sentence = "The bus service between Srinagar and Muzaffarabad starts in April."
    from qa.extract import TypedSpan
    spans = [TypedSpan(start=24, end=32, label="GPE", text="Srinagar"), TypedSpan(start=37, end=49, label="GPE", text="Muzaffarabad")]
    assert pick_short_answer(sentence, spans, pair.expected, pair.text, []).text == "Srinagar and Muzaffarabad"


def test_measures_asked_in_their_own_unit_and_names_after_the_asked_noun():
    from qa.extract import named_after_noun

    time_q = analyse("What was Kathy Butler's winning time in the race?")
    race = "She won the 10.6km race in 20 minutes 38 seconds."
    assert pick_short_answer(race, typed_spans(race, 0, []), time_q.expected, time_q.text, []).text == "20 minutes 38 seconds"
    far = analyse("How far did he run?")
    assert pick_short_answer(race, typed_spans(race, 0, []), far.expected, far.text, []).text == "10.6km"
    journal = analyse("In which journal did they describe the laser?")
    sentence = "Writing in the journal Nature, Dr Paniccia and colleagues show how."
    assert [s.text for s in named_after_noun(sentence, journal.answer_noun, journal.expected[0])] == ["Nature"]
    assert named_after_noun("The journal said so.", "journal", "ORG") == []


def test_relatives_and_named_places_must_stand_beside_their_noun():
    from qa.extract import TypedSpan

    uncle = analyse("What is the name of the uncle who inspired the mouse adapter?")
    assert (uncle.type, uncle.expected, uncle.answer_noun) == ("which", ["PERSON"], "uncle")
    hospital = analyse("Which hospital was she taken to?")
    hotel = "The Onyx Hotel tour was cited as a highly crafted production."
    onyx = [TypedSpan(start=4, end=14, label="FAC", text="Onyx Hotel")]
    from qa.analyze import NAMED_KINDS
    assert hospital.answer_noun in NAMED_KINDS
    assert pick_short_answer(hotel, onyx, hospital.expected, hospital.text, [], [], hospital.answer_noun,
                             noun_required=True) is None
    taken = "She was taken to St Mary's Hospital in London."
    mary = [TypedSpan(start=17, end=35, label="FAC", text="St Mary's Hospital")]
    assert pick_short_answer(taken, mary, hospital.expected, hospital.text, [], [], hospital.answer_noun,
                             noun_required=True).text == "St Mary's Hospital"


def test_it_after_a_possessed_thing_is_that_thing():
    turn = describe_turn("What did Michael Howard say in his New Year message?", None, lambda name: None)
    assert turn.subject == "Michael Howard's New Year message"
    assert resolve("How did Labour respond to it?", [turn]) == "How did Labour respond to Michael Howard's New Year message?"


def test_the_answer_with_the_asked_relation_next_to_it_is_picked():
    from qa.extract import near_asked
    from qa.terms import asked_words

    q = analyse("Who headed Portsmouth's injury-time equaliser against Liverpool at Anfield?")
    asked = asked_words(q)
    sentence = "Dudek fumbled a cross before Lomana LuaLua headed home an injury-time equaliser, levelling after Steven Gerrard put Liverpool ahead."
    spans = [s for s in typed_spans(sentence, 0, []) if s.label == "PERSON"] or [
        _span(sentence, "Dudek"), _span(sentence, "Lomana LuaLua"), _span(sentence, "Steven Gerrard")]
    by_name = {s.text: s for s in spans}
    assert near_asked(sentence, by_name["Lomana LuaLua"], asked) == 3  # headed, injury, equaliser
    assert near_asked(sentence, by_name["Steven Gerrard"], asked) < 3
    assert near_asked(sentence, by_name["Lomana LuaLua"], []) == 0
    # the focus alone (question words, Liverpool included) would take Gerrard, nearer "Liverpool"
    best = pick_short_answer(sentence, spans, q.expected, q.text, focus_points(sentence, ["liverpool"]), q.targets,
                             asked=asked)
    assert best.text == "Lomana LuaLua"


def _span(sentence: str, text: str, label: str = "PERSON"):
    from qa.extract import TypedSpan

    start = sentence.index(text)
    return TypedSpan(start=start, end=start + len(text), label=label, text=text)


def test_a_sentence_on_another_of_a_series_is_not_the_answer():
    from qa.terms import ordinal_agreement

    q = "When will Turkey receive the second batch of S-400 missiles?"
    assert ordinal_agreement(q, "The next year Ankara will buy the second batch of S-400 from Moscow.") == 1
    assert ordinal_agreement(q, "Turkey adopted its first batch of Russian-made S-400 missiles.") == -1
    assert ordinal_agreement(q, "In July 2019, Turkey bought a batch of S-400.") == 0  # says neither
    assert ordinal_agreement(q, "After the first batch, the second batch follows.") == 1
    assert ordinal_agreement("What were Google's third-quarter profits?", "Its second-quarter profits doubled.") == -1
    assert ordinal_agreement("What were Google's third-quarter profits?", "Third quarter profits rose.") == 1
    assert ordinal_agreement("Who scored the winning goal?", "In the first half nobody scored.") == 0


def test_a_person_in_the_asked_role_at_another_organisation_is_no_answer():
    from qa.extract import roles_of_other

    q = analyse("Who is Hewlett-Packard's new chief executive after Carly Fiorina?")
    assert q.expected == ["PERSON"]  # a post people hold: "Microsoft" is no answer either

    def other(sentence: str, name: str, question) -> bool:
        return roles_of_other(sentence, _span(sentence, name), question.text.lower(), question.targets)

    assert other("Speakers included Microsoft chief Bill Gates, who set out his plans.", "Bill Gates", q)
    assert not other("Hewlett-Packard's new chief executive Mark Hurd said he would stay.", "Mark Hurd", q)
    assert not other("HP chief executive Mark Hurd said he would stay.", "Mark Hurd", q)  # initials
    assert not other("The chief executive, Mark Hurd, said he would stay.", "Mark Hurd", q)
    assert other("Chelsea manager Jose Mourinho said so.", "Jose Mourinho", analyse("Who is the Arsenal manager?"))
    # a role the question does not ask about says nothing against the answer
    assert not other("Real Madrid striker Michael Owen joined Arsenal.", "Michael Owen", analyse("Who did Arsenal sign?"))
    sentence = "Speakers included Microsoft chief Bill Gates."
    assert pick_short_answer(sentence, [_span(sentence, "Bill Gates")], q.expected, q.text, [], q.targets) is None


@pytest.mark.parametrize("question,qtype", [
    ("Who is Jose Mourinho?", "definition"),  # what he is, not another name from his sentence
    ("who is Carly Fiorina", "definition"),
    ("Who was Patsy Rowlands married to?", "who"),
    ("Who is Chelsea's manager?", "who"),
])
def test_who_is_a_name_asks_what_the_name_is(question, qtype):
    assert analyse(question).type == qtype


def test_a_place_describing_a_person_is_not_where_anything_happens():
    venue = analyse("In which venue will the Grammy Awards ceremony hosted by Queen Latifah be held?")
    sentence = "The show will be hosted by rap star and Chicago actress Queen Latifah at the Staples Center."
    spans = [_span(sentence, "Chicago", "GPE"), _span(sentence, "the Staples Center", "FAC")]
    assert pick_short_answer(sentence, spans[:1], venue.expected, venue.text, [], venue.targets) is None
    assert pick_short_answer(sentence, spans, venue.expected, venue.text, [], venue.targets).text == "the Staples Center"
    born = "The London-born singer lives in Paris."
    where = analyse("Where does the singer live?")
    assert pick_short_answer(born, [_span(born, "London", "GPE"), _span(born, "Paris", "GPE")],
                             where.expected, where.text, [0]).text == "Paris"
    # "UK minister" does say which country
    country = analyse("Which country's minister resigned?")
    minister = "The UK minister resigned on Monday."
    assert pick_short_answer(minister, [_span(minister, "UK", "GPE")], country.expected, country.text, []).text == "UK"


def test_a_sentence_opening_with_a_pronoun_is_read_with_the_one_before():
    from qa.answer import _OPENS_WITH_PRONOUN

    assert _OPENS_WITH_PRONOUN.match("It will be held at the Staples Center.")
    assert _OPENS_WITH_PRONOUN.match("They won five awards.")
    assert not _OPENS_WITH_PRONOUN.match("Items were sold.") and not _OPENS_WITH_PRONOUN.match("Theresa May said.")


def test_which_two_cities_wants_two_cities_joined_in_the_sentence():
    pair = analyse("Between which two cities will the new bus service run?")
    countries = "The decision by India and Pakistan to open a bus link was welcomed."
    spans = [_span(countries, "India", "GPE"), _span(countries, "Pakistan", "GPE")]
    assert pick_short_answer(countries, spans, pair.expected, pair.text, []) is None  # countries, not cities
    linking = "A second bus service linking Lahore with Amritsar was announced."
    spans = [_span(linking, "Lahore", "GPE"), _span(linking, "Amritsar", "GPE")]
    assert pick_short_answer(linking, spans, pair.expected, pair.text, []).text == "Lahore with Amritsar"
    alone = "The bus will leave from Lahore."
    assert pick_short_answer(alone, [_span(alone, "Lahore", "GPE")], pair.expected, pair.text, []) is None
    assert "two" not in asked_words_of(pair) and "cities" not in asked_words_of(pair)


def asked_words_of(analysis):
    from qa.terms import asked_words

    return asked_words(analysis)


def test_countries_come_from_the_territory_names_and_news_forms():
    from qa.places import is_country

    assert is_country("India") and is_country("the UK") and is_country("Bosnia and Herzegovina")
    assert not is_country("Srinagar") and not is_country("London") and not is_country("Singapore")


def test_why_questions_find_purposes_and_origins():
    from qa.answer import reason_at

    assert reason_at("The company was set up by Mr Fuller, taking the name from his first single.") is not None
    assert reason_at("Ministers acted in a bid to curb inflation.") is not None
    assert reason_at("The match was played on Sunday.") is None


def test_which_of_a_names_role_nouns_and_names_before_the_noun():
    from qa.extract import named_before_noun

    kickers = analyse("Which of John Kirwan's kickers had a miserable time?")
    assert kickers.targets == ["John Kirwan"] and kickers.expected == ["PERSON"]  # not "of John Kirwan"
    assert analyse("Which striker scored the winner?").expected == ["PERSON"]  # the index's role nouns
    team = analyse("Which American football team does Malcolm Glazer own?")
    sentence = "He owns the successful Tampa Bay Buccaneers American football team based in Florida."
    assert [s.text for s in named_before_noun(sentence, team.answer_noun, [], team.targets)] == ["Tampa Bay Buccaneers"]
    assert [s.text for s in named_before_noun("The Labour party won.", "party", [])] == ["Labour"]
    assert named_before_noun("He joined the party in 1990.", "party", []) == []


def test_and_before_a_whole_question_is_not_an_ellipsis():
    turns = [Turn(question="Which referee had Budge Pountney criticised?", person="Budge Pountney")]
    assert resolve("And how much was he fined?", turns) == "How much was Budge Pountney fined?"
    assert resolve("And what about Ankara?", [Turn(question="What did Moscow announce?")]) == "What did Ankara announce?"
    assert resolve("And the second one?", [Turn(question="How much did the first batch cost?")]) == "How much did the second batch cost?"


def test_a_place_before_the_noun_is_not_the_name():
    from qa.extract import named_before_noun

    sentence = "New York band Scissor Sisters have won a gig of the year award."
    assert named_before_noun(sentence, "band", [_span(sentence, "New York", "GPE")]) == []


def test_duplicate_passages_are_dropped_from_the_pool():
    from qa.models import RetrievedPassage
    from qa.rerank import distinct

    def p(pid, text):
        return RetrievedPassage(doc_id=pid, passage_id=pid, text=text, score=1.0)

    story = ("Jet Airways, a low-fare airline, was founded by London-based ex-travel agent Naresh Goyal, and "
             "controls 45% of the Indian domestic market. Its share offer sold out within minutes of opening.")
    kept = distinct([p("a", story), p("b", story.replace("Goyal", "Goya")), p("c", "Shares rose 5% on Monday.")])
    assert [x.passage_id for x in kept.passages] == ["a", "c"] and kept.same_story == {"b": "a"}


def test_a_number_counting_another_noun_does_not_answer_how_many():
    sentence = "The annual survey was voted for by nearly 4,000 listeners."
    spans = typed_spans(sentence, 0, [])
    assert pick_short_answer(sentence, spans, ["CARDINAL"], "How many votes did the band receive?", [],
                             noun="votes", noun_required=True) is None
    sentence = "Deutsche Bank said it would cut 1,920 jobs in Germany."
    spans = typed_spans(sentence, 0, [])
    assert pick_short_answer(sentence, spans, ["CARDINAL"], "How many jobs will Deutsche Bank cut?", [],
                             noun="jobs", noun_required=True).text == "1,920"


def test_a_year_after_in_is_the_year_alone():
    dates = [s.text for s in typed_spans("Born in 1942 in Tredegar, he won in 1983 and led since 1992.", 0, [])
             if s.label == "DATE"]
    assert dates == ["1942", "1983", "since 1992"]


def test_a_unit_glued_to_a_number_is_no_name():
    from index.models import Entity

    sentence = "The iPod holds 6GB of music."
    start = sentence.index("GB")
    gb = Entity(doc_id="d", passage_id="p", text="GB", label="ORG", start=start, end=start + 2)
    assert not [s for s in typed_spans(sentence, 0, [gb]) if s.label == "ORG"]


def test_a_sentence_about_another_subject_is_told_apart():
    from qa.extract import TypedSpan, speaks_of_other

    def spans(sentence, *names):
        return [TypedSpan(start=sentence.index(n), end=sentence.index(n) + len(n), label=label, text=n)
                for n, label in names]

    abn = "ABN Amro, the Netherlands' largest bank, is to cut 2,850 jobs as a result of falling profits."
    assert speaks_of_other(abn, spans(abn, ("ABN Amro", "ORG")), ["Deutsche Bank"])  # "bank" names no target
    own = "Deutsche Bank said it would reduce its German workforce by 1,920."
    assert not speaks_of_other(own, spans(own, ("Deutsche Bank", "ORG")), ["Deutsche Bank"])
    capra = "Frank Capra's 1946 movie is being turned into a musical by producer Jon Thoday."
    assert not speaks_of_other(capra, spans(capra, ("Frank Capra", "PERSON")), ["It's A Wonderful Life"])
    said = "Mr Thoday said the idea had come to him."
    thoday = spans(said, ("Thoday", "PERSON"))
    assert not speaks_of_other(said, thoday, ["It's A Wonderful Life"], answer=thoday[0])  # the subject answers


def test_the_quoted_clause_takes_in_the_words_asked_about():
    from qa.extract import word_points

    sentence = ("As the Russian media agency Interfax reported citing Sergei Chemezov, the Head of the Russian state "
                "company ROSTEC, Russia is preparing to supply the second batch of S-400 complexes to Turkey and the "
                "contract may be signed soon, though the amount has not yet been agreed by the two sides.")
    name = sentence.index("Sergei Chemezov")
    lo, hi = clause_around(sentence, name, name + len("Sergei Chemezov"))
    assert sentence[lo:hi].endswith("Sergei Chemezov")  # the clause alone does not say what he heads
    lo, hi = clause_around(sentence, name, name + len("Sergei Chemezov"),
                           anchors=word_points(sentence, ["heads", "Rostec"]))
    assert sentence[lo:hi].endswith("the Head of the Russian state company ROSTEC")


def test_the_one_beaten_did_not_win():
    sentence = "The quirky disco-rock band beat The Red Hot Chili Peppers, who came second, and Keane."
    start = sentence.index("The Red")
    rhcp = [{"start": start, "end": start + len("The Red Hot Chili Peppers"), "label": "ORG"}]
    from qa.extract import TypedSpan
    spans = [TypedSpan(text=sentence[s["start"]:s["end"]], **s) for s in rhcp]
    assert pick_short_answer(sentence, spans, ["ORG"], "Which band won the gig of the year award?", []) is None
    assert pick_short_answer(sentence, spans, ["ORG"], "Which band came second?", []).text.endswith("Peppers")


def test_names_in_apposition_to_the_noun_asked():
    from qa.extract import named_in_apposition

    bank = named_in_apposition("NM Rothschild, the investment bank, is advising Mr Glazer.", "bank", "ORG")
    assert [s.text for s in bank] == ["NM Rothschild"]
    chair = named_in_apposition("The new chairman of the Bar Council, Guy Mansfield QC warned of a risk.", "chairman", "PERSON")
    assert [s.text for s in chair] == ["Guy Mansfield QC"]
    assert not named_in_apposition("The chairman, who spoke first, said so.", "chairman", "PERSON")


def test_names_in_mixed_case_or_spelled_before_their_acronym_are_products():
    products = {s.text for s in typed_spans("The corporation's Interactive Media Player (iMP) beat the iPod.", 0, [])
                if s.label == "PRODUCT"}
    assert products == {"Interactive Media Player (iMP)", "iMP", "iPod"}
    assert not [s for s in typed_spans("He said (in part) that it was fine.", 0, []) if s.label == "PRODUCT"]


def test_yes_or_no_only_when_the_quote_states_what_is_asked():
    from qa.answer import yes_or_no

    won = analyse("Did Small Island win the Whitbread prize?")
    assert yes_or_no(won, "Andrea Levy's Small Island has won the Whitbread prize for novels.") == "Yes"
    assert yes_or_no(won, "Small Island did not win the Whitbread prize this year.") == "No"
    assert yes_or_no(won, "Small Island is favourite for the Whitbread.") is None  # says neither
    assert yes_or_no(analyse("Didn't Small Island win the Whitbread prize?"),
                     "Small Island has won the Whitbread prize.") is None


def test_a_unit_glued_to_a_number_is_no_organisation_before_a_noun():
    from qa.extract import named_before_noun

    sentence = "An iPod mini model can hold 6GB compared to a previous 4GB."
    assert not named_before_noun(sentence, "company", [])  # "compared" shares a stem with "company"
    assert [s.text for s in named_before_noun("He joined the Labour party.", "party", [])] == ["Labour"]


def test_a_full_name_does_not_add_the_question_s_own_words():
    from index.models import Entity
    from qa.extract import TypedSpan, full_name

    def entity(text, label):
        return Entity(doc_id="d", passage_id="p", text=text, label=label, start=0, end=len(text))

    apple = TypedSpan(start=0, end=5, label="ORG", text="Apple")
    assert full_name(apple, [entity("Apple iPods", "ORG")], "Which company makes the iPod?") == "Apple"
    jonah = TypedSpan(start=0, end=5, label="PERSON", text="Jonah")
    assert full_name(jonah, [entity("Jonah Lomu", "PERSON")], "Who scored the try?") == "Jonah Lomu"


def test_a_noun_is_found_with_its_family_but_not_by_a_short_prefix():
    from qa.extract import noun_positions

    sentence = "The phone compared well, the company said; two companies agreed."
    assert [sentence[a:b] for a, b in noun_positions(sentence, "company")] == ["company", "companies"]
    assert noun_positions("Almost a quarter of a million consumers complained.", "complaints")


def test_no_number_is_read_from_the_middle_of_another():
    texts = [s.text for s in typed_spans("Of the near-400,000 complaints, 53% were online.", 0, [])]
    assert "000" not in texts and "53%" in texts


@pytest.mark.parametrize("question,qtype,expected,noun", [
    # a clause before the question proper does not change its type
    ("In Nokia's research on home phones, what percentage of people use a mobile?", "percent", ["PERCENT"], None),
    ("What percentage of the club does he own?", "percent", ["PERCENT"], None),  # never "£800m"
    ("How far above the average are its prices now?", "percent", ["PERCENT", "MONEY", "QUANTITY", "CARDINAL"], None),
    ("What time did he run in the final?", "measure", None, None),  # a race time, not a date
    ("Which rights management company's technology is it based on?", "which", ["ORG"], "company"),
    ("Which broadband provider was she with?", "which", ["ORG"], "provider"),
    ("Which American billionaire made a bid?", "which", ["PERSON"], "billionaire"),
])
def test_question_types_for_differences_possessives_and_race_times(question, qtype, expected, noun):
    a = analyse(question)
    assert a.type == qtype
    assert expected is None or a.expected == expected
    assert a.answer_noun == noun


def test_a_name_with_an_ampersand_is_one_target():
    assert analyse("How far above the average are M&S prices?").targets == ["M&S"]


def test_a_race_time_is_in_seconds_not_weeks():
    sentence = "He won twice in less than a week, and set a personal best of one minute, 46.68 seconds."
    spans = typed_spans(sentence, 0, [])
    short = pick_short_answer(sentence, spans, ["QUANTITY", "CARDINAL", "DATE", "TIME"],
                              "what time did mcilroy run in the race?", [0])
    assert short.text == "46.68 seconds"
    far = pick_short_answer("Prices are 11% above the average, in 35 shops.",
                            typed_spans("Prices are 11% above the average, in 35 shops.", 0, []),
                            ["PERCENT", "MONEY", "QUANTITY", "CARDINAL"], "how far above the average are prices?", [0])
    assert far.text == "11%"  # a difference asked "how far" need not be a distance
    assert "35 M" not in [s.text for s in typed_spans("a basket of 35 M&S goods", 0, [])]


def test_short_verbs_meet_their_doubled_forms():
    from qa.terms import literal_found

    assert literal_found(["run", "win", "bid"], "The runner was the winner; the bidders lost.") == {"run", "win", "bid"}
    assert not literal_found(["run"], "The rung broke.")
    assert literal_found(["begin"], "His tenure, which began in January 2003") == {"begin"}


def test_he_or_she_answers_with_the_person_named_before():
    from index.models import Entity
    from qa.extract import antecedent

    before = "But Dave Winer is doubtful."
    spans = typed_spans(before, 0, [Entity(doc_id="d", passage_id="p", start=4, end=14, label="PERSON", text="Dave Winer")])
    found = antecedent("He designed the format called RSS.", spans, ["RSS"])
    assert found is not None and found.text == "Dave Winer" and (found.start, found.end) == (0, 2)
    assert antecedent("It designed the format.", spans) is None
    assert antecedent("He designed it.", spans, ["Dave Winer"]) is None  # the target is not its own answer


def test_punctuation_is_no_word_between_a_name_and_its_noun():
    from qa.extract import TypedSpan, beside_noun, noun_positions

    sentence = "He helped create iPodder, a small computer program."
    span = TypedSpan(start=17, end=24, label="PRODUCT", text="iPodder")
    assert beside_noun(sentence, span, noun_positions(sentence, "program"))


def test_a_place_names_the_facility_before_its_noun():
    from qa.extract import named_before_noun

    sentence = "It may lose millions as a result of the jet landing at Frankfurt airport."
    spans = typed_spans(sentence, 0, [])
    assert [s.text for s in named_before_noun(sentence, "airport", spans, [], "FAC")] == ["Frankfurt"]


def test_there_and_that_company_point_at_the_conversation_s_subject():
    bombardier = [Turn(question="Who has left Bombardier as chief executive?", person="Paul Tellier", subject="Bombardier")]
    assert resolve("When did his time in charge there begin?", bombardier) == \
        "When did Paul Tellier's time in charge at Bombardier begin?"
    assert resolve("Is there a new chief?", bombardier) == "Is there a new chief (Bombardier, Paul Tellier)?"
    paris = [Turn(question="Where is the summit?", subject="Paris", subject_is_place=True)]
    assert resolve("How many people live there?", paris) == "How many people live in Paris?"
    vodafone = [Turn(question="Which network carried the first call?", subject="Vodafone")]
    assert resolve("How many customers does that company have now?", vodafone) == \
        "How many customers does Vodafone have now?"
    race = [Turn(question="Which event did he win at the TEAG meeting?", person="James McIlroy", subject="TEAG")]
    assert resolve("What time did he run in that race?", race) == "What time did James McIlroy run in that race (TEAG)?"


def test_names_added_as_conversation_context_are_told_from_the_question_s_own():
    from qa.followup import added_context

    assert added_context("Which blog did his friends use?", "Which blog did Morquendi's friends use (Sri Lankan TV)?") == \
        ["Sri Lankan TV"]
    assert added_context("What did the Tories call the move?", "What did the Tories call the move (UK, G8)?") == ["UK", "G8"]
    assert added_context("How big is the deficit (ONS)?", "How big is the deficit (ONS)?") == []  # typed by the user


def test_a_name_joined_by_an_ampersand_is_one_target_and_its_initials_name_it():
    assert analyse("Who is the chief executive of Marks & Spencer?").targets == ["Marks & Spencer"]
    assert target_hits("Stuart Rose, head of M&S, said prices were too high.", ["Marks & Spencer"]) == 1.0
    assert target_hits("Procter & Gamble bought Gillette.", ["Marks & Spencer"]) == 0.0


def test_a_role_the_question_gives_is_no_other_organisation():
    from qa.extract import roles_of_other

    fund = analyse("Which fund manager is the biggest investor in Borussia Dortmund?")
    sentence = "Fund manager Florian Hamm - Borussia Dortmund's largest investor - said he would invest."
    # "Fund", capitalised as the sentence opens, is the question's own word for the post
    assert not roles_of_other(sentence, _span(sentence, "Florian Hamm"), fund.text.lower(), fund.targets)
    premier = analyse("Which Cameroonian prime minister vowed tough punishment?")
    sentence = "Prime Minister Ephraim Inoni, who vowed to tackle corruption, spoke."
    assert not roles_of_other(sentence, _span(sentence, "Ephraim Inoni"), premier.text.lower(), premier.targets)
    # another organisation's holder of the post still is one
    arsenal = analyse("Who is the Arsenal manager?")
    sentence = "Chelsea manager Jose Mourinho said so."
    assert roles_of_other(sentence, _span(sentence, "Jose Mourinho"), arsenal.text.lower(), arsenal.targets)


def test_the_head_of_a_body_is_a_person_and_its_chief():
    from qa.extract import beside_noun, noun_positions

    head = analyse("Who is the head of Athletics Kenya, the body that lifted the ban?")
    assert head.expected == ["PERSON"]  # not "London Marathon", an organisation
    sentence = 'Chepkemei has given a reason," said AK chief Isaiah Kiplagat.'
    assert beside_noun(sentence, _span(sentence, "Isaiah Kiplagat"), noun_positions(sentence, head.answer_noun))
    assert noun_positions("The chief said so.", "manager") == []  # other posts are other posts


def test_a_constituency_is_a_place():
    assert analyse("Which constituency does Stephen Pound represent?").expected[0] == "GPE"


def test_a_capitalised_noun_belongs_to_the_name_before_it():
    from qa.extract import named_before_noun

    sentence = "He started off the show at the Alltel Stadium in Jacksonville, Florida."
    assert [s.text for s in named_before_noun(sentence, "stadium", [], [], "FAC")] == ["Alltel Stadium"]
    assert [s.text for s in named_before_noun("He ran at Frankfurt airport.", "airport", [], [], "FAC")] == ["Frankfurt"]


def test_the_kind_asked_beside_its_noun_outranks_a_fallback_kind():
    from qa.answer import _choose
    from qa.extract import TypedSpan

    stadium = TypedSpan(start=0, end=14, label="FAC", text="Alltel Stadium")
    state = TypedSpan(start=0, end=7, label="GPE", text="Florida")
    analysis = analyse("At which stadium did Sir Paul McCartney play his Super Bowl half-time set?")
    named = _row(0.86, "d1", "This time, he started off the show at the Alltel Stadium in Jacksonville.", stadium, beside=True)
    worded = _row(0.63, "d1", "He sang Hey Jude in a 12-minute set at half-time during the game in Florida.", state)
    assert _choose([named, worded], analysis) is named


def test_a_dash_taken_in_by_ner_is_no_part_of_the_name():
    from index.models import Entity
    from qa.extract import TypedSpan, full_name

    sentence = "Fund manager Florian Hamm - Borussia Dortmund's largest investor - said so."
    ent = Entity(doc_id="d", passage_id="p", text="Florian Hamm -", label="PERSON", start=13, end=27)
    assert [s.text for s in typed_spans(sentence, 0, [ent]) if s.label == "PERSON"] == ["Florian Hamm"]
    hamm = TypedSpan(start=0, end=4, label="PERSON", text="Hamm")
    assert full_name(hamm, [ent]) == "Florian Hamm"


def test_a_figure_whose_sentence_speaks_of_something_else_is_refused():
    stated = dict(numeric=True, asked_terms=2, asked_terms_found=1)
    assert decide(evidence(**stated, figure_stated=False)).abstain  # "Sun Grid costs users $1"
    assert not decide(evidence(**stated)).abstain
    assert not decide(evidence(asked_terms=2, asked_terms_found=1, figure_stated=False)).abstain  # names: not this rule
    # beside the noun asked, a figure answers though the passage holds no other asked word:
    # "will be given at least 8,000 tickets" for "How many tickets will Munster get for…?"
    assert not decide(evidence(numeric=True, asked_terms=4, asked_terms_found=0, figure_stated=True)).abstain
    assert decide(evidence(numeric=True, asked_terms=4, asked_terms_found=0, figure_stated=False)).abstain


def test_a_figure_for_another_kind_of_the_thing_asked():
    from qa.extract import qualified_otherwise

    q = "How much are single-day tickets for the Reading festival this year?"
    assert qualified_otherwise("Weekend tickets are now on sale priced at £125 each.", q)
    assert not qualified_otherwise("Single-day tickets cost £50.", q)
    assert not qualified_otherwise("Day tickets cost £50.", q)  # the question's own word
    # a hyphenated name qualifies nothing: "Mr Garnier" is no other kind of "Garnier"
    assert not qualified_otherwise("Mr Garnier said the company had absorbed over £1.5bn of lost sales.",
                                   "How much in lost sales did Jean-Pierre Garnier say the company had absorbed?")
    assert not qualified_otherwise("The tickets cost £50.", q)  # no other kind named
    assert qualified_otherwise("Operating profits rose to £5m.", "What was the firm's pre-tax profit?")


def test_a_measure_stated_of_someone_else_is_not_the_answer():
    from index.models import Entity
    from qa.extract import figure_of_other

    def spans_of(sentence: str, named: dict[str, str]):
        ents = [Entity(doc_id="d", passage_id="p", text=t, label=label, start=sentence.index(t),
                       end=sentence.index(t) + len(t)) for t, label in named.items()]
        return typed_spans(sentence, 0, ents)

    def other(sentence: str, figure: str, named: dict[str, str], targets: list[str]) -> bool:
        spans = spans_of(sentence, named)
        return any(figure_of_other(sentence, sp, spans, targets) for sp in spans if sp.text == figure)

    jump = ["Jade Johnson", "AAAs"]
    sentence = "And Ireland's Taniesha Scanlon set a new national record of 13.28m in the triple jump."
    assert other(sentence, "13.28m", {"Taniesha Scanlon": "PERSON", "13.28m": "QUANTITY"}, jump)
    sentence = "But Johnson leapt to a life-time best of 6.50m in her last jump."
    assert not other(sentence, "6.50m", {"Johnson": "PERSON", "6.50m": "QUANTITY"}, jump)  # her surname
    sentence = "Coach Bob Smith said Johnson cleared 6.50m."
    assert not other(sentence, "6.50m", {"Bob Smith": "PERSON", "6.50m": "QUANTITY"}, jump)  # a speaker's word
    sentence = "Ulster scrum-half Kieran Campbell is one of five uncapped players in the squad."
    assert not other(sentence, "five", {"Kieran Campbell": "PERSON", "five": "CARDINAL"}, ["Eddie O'Sullivan"])


def test_members_of_what_is_counted_count_it():
    from qa.extract import TypedSpan, counts_other

    def counts(sentence: str, number: str, noun: str) -> bool:
        i = sentence.index(number)
        return counts_other(sentence, TypedSpan(start=i, end=i + len(number), label="CARDINAL", text=number), noun)

    assert not counts("He said there were 22 members of the Royal Family in line.", "22", "royals")
    assert not counts("Sony has sold more than 800,000 units in Japan.", "800,000", "units")  # the units asked
    assert counts("The firm has 22 members of staff.", "22", "royals")
    assert counts("It was voted for by nearly 4,000 listeners.", "4,000", "votes")


def test_the_person_a_question_asks_about_stays_when_the_answer_is_its_object():
    labels = {"Budge Pountney": "PERSON"}.get
    turn = describe_turn("Which referee had Budge Pountney criticised?", ("Steve Lander", "PERSON"), labels)
    assert resolve("And how much was he fined?", [turn]) == "How much was Budge Pountney fined?"
    # the answer is the subject: "he" is the answer
    assert describe_turn("Who heads the FSMTC?", ("Mikhail Dmitriev", "PERSON"), labels).person == "Mikhail Dmitriev"
    assert describe_turn("Who did the panel pick?", ("Budge Pountney", "PERSON"), labels).person == "Budge Pountney"


def test_a_compound_noun_is_typed_and_found_written_apart():
    from qa.analyze import noun_labels
    from qa.extract import noun_positions

    q = analyse("Which Japanese carmaker agreed to supply Peugeot with sports utility vehicles?")
    assert q.expected == ["ORG"] and q.answer_noun == "carmaker"  # "maker" is an organisation
    assert noun_labels("chipmakers") == ["ORG"] and noun_labels("weather") == []
    assert noun_positions("Japanese car maker Mitsubishi Motors", "carmaker") == [(9, 18)]
    assert noun_positions("the car-makers", "carmaker") and not noun_positions("a cart makes", "carmaker")


def test_common_kinds_of_organisation_and_work_are_typed():
    # a which-noun missing from the lexicon left the question untyped: no name was extracted and
    # "Who co-founded it?" then had nothing to resolve "it" to
    assert analyse("Which search start-up has released a second version of its software?").expected == ["ORG"]
    assert analyse("Which brokerage is analyst Andrew Beh with?").expected == ["ORG"]
    assert analyse("In which shop did Tony Blair buy his copies?").answer_noun == "shop"
    assert analyse("Which Kylie Minogue single went in at number two?").expected[:2] == ["PRODUCT", "WORK_OF_ART"]
    assert analyse("In which young offender institution did he hang himself?").expected == ["FAC", "ORG"]
    assert analyse("What injury did he suffer in the fight?").expected == []  # still no named kind


def test_a_person_introduced_by_another_role_does_not_hold_the_one_asked():
    from qa.extract import roles_of_other

    q = analyse("Who is the chairman of Manchester United?")
    sentence = ("Manchester United past and present footballers Eric Cantona and Ole Gunnar Solskjaer, and club "
                "manager Sir Alex Ferguson, have lent their backing to the supporters' group.")
    for name in ("Eric Cantona", "Ole Gunnar Solskjaer", "Alex Ferguson"):
        assert roles_of_other(sentence, _span(sentence, name), q.text.lower(), q.targets), name
    # the post asked for, in other words, is the post: "HP boss Mark Hurd"
    hp = analyse("Who is Hewlett-Packard's chief executive?")
    sentence = "HP boss Mark Hurd said he would stay."
    assert not roles_of_other(sentence, _span(sentence, "Mark Hurd"), hp.text.lower(), hp.targets)
    sentence = "The club's chairman, manager Bob Smith, said so."  # the asked post is in the sentence
    assert not roles_of_other(sentence, _span(sentence, "Bob Smith"), q.text.lower(), q.targets)


@pytest.mark.parametrize("question,qtype,first_label,asked", [
    # a clause before the question places it: its words are not asked
    ("As Saudi Arabia's foreign ministry prepared to hire women for the first time, what share of the Saudi "
     "workforce was made up of women?", "percent", "PERCENT", ["women", "share", "workforce", "made", "up"]),
    ("According to INSEE's flash estimate, by how much did the French economy grow over the whole of 2004?",
     "percent", "PERCENT", ["economy", "grow", "whole", "2004"]),
    ("At what level did Japan's Nikkei index finish 2004?", "how_many", "CARDINAL", ["level", "index", "finish", "2004"]),
    # role words, names and "and" before a name describe it
    ("Where did the late La Fenice director and conductor Marcello Viotti study music?", "where", "GPE",
     ["study", "music"]),
])
def test_a_leading_clause_and_a_name_s_description_are_not_asked(question, qtype, first_label, asked):
    from qa.terms import asked_words

    a = analyse(question)
    assert (a.type, a.expected[0]) == (qtype, first_label)
    assert asked_words(a) == asked
    assert "As Saudi Arabia" not in a.targets


def test_a_score_is_no_part_of_the_name_after_it():
    a = analyse("Whose own goal gave Liverpool their 1-0 Champions League win over Deportivo La Coruna?")
    assert "Champions League" in a.targets and "1-0 Champions League" not in a.targets
    assert "S-400" in analyse("What is the S-400 worth?").targets


@pytest.mark.parametrize("question,noun", [
    ("Who is Kostas Kenteris' lawyer, who called the charges unsubstantiated?", "lawyer"),
    ("Who is HP's chief executive?", "executive"),
    ("Who was Chelsea's new manager?", "manager"),
    ("Who is the chairman of Manchester United?", "chairman"),
])
def test_the_post_a_who_question_asks_for(question, noun):
    assert analyse(question).answer_noun == noun


def test_a_post_no_passage_names_is_not_answered():
    assert decide(evidence(post_found=False)).abstain  # "Mr Glazer" for the chairman of Manchester United
    assert not decide(evidence()).abstain


def test_a_figure_the_question_states_or_a_name_holds_is_no_answer():
    from qa.extract import given_in_question

    q = "how much of the nm2 project's 7.5m euro eu funding is going to bt?"
    sentence = "It is an ambitious new 7.5m euro (£5.1m) project funded by the European Union."
    assert given_in_question(sentence, _span(sentence, "£5.1m", "MONEY"), q)  # its conversion
    assert given_in_question(sentence, _span(sentence, "7.5m euro", "MONEY"), q)
    assert not given_in_question(sentence, _span(sentence, "£5.1m", "MONEY"), "how much is the project worth?")

    def short(sentence: str, spans: list, question: str, expected: list[str]):
        found = pick_short_answer(sentence, spans, expected, question, [], analyse(question).targets)
        return found.text if found else None

    sentence = "Valve banned 20,000 people using illegitimate copies of Half-Life 2 online."
    q = "How many copies of Half-Life 2 did Valve sell online?"
    assert short(sentence, [_span(sentence, "2", "CARDINAL"), _span(sentence, "20,000", "CARDINAL")], q,
                 ["CARDINAL"]) == "20,000"
    sentence = "The Nikkei 225 index ended the day at 11,740.60 points."
    spans = [_span(sentence, "225", "CARDINAL"), _span(sentence, "11,740.60", "CARDINAL")]
    assert short(sentence, spans, "At what level did the Nikkei close?", ["CARDINAL"]) == "11,740.60"


def test_a_forecast_a_change_and_a_deal_s_total_do_not_answer_for_what_happened():
    sentence = "INSEE expects the economy to grow by about 2.4% this year."
    spans = [_span(sentence, "2.4%", "PERCENT")]
    assert pick_short_answer(sentence, spans, ["PERCENT"], "By how much did the economy grow in 2004?", []) is None
    assert pick_short_answer(sentence, spans, ["PERCENT"], "By how much is the economy expected to grow?", [])
    sentence = "The deal would see pilots accept a 32% pay cut."  # a deal's terms are no forecast
    assert pick_short_answer(sentence, [_span(sentence, "32%", "PERCENT")], ["PERCENT"],
                             "What pay cut did the pilots agree to?", [])
    sentence = "Shares in Wembley were up 56 pence, or 7.6%, at 797p, while BLB will pay $339m for the unit."
    spans = [_span(sentence, t, "MONEY") for t in ("56 pence", "797p", "$339m")]
    found = pick_short_answer(sentence, spans, ["MONEY"], "What was Wembley's share price?", [])
    assert found.text == "797p"


def test_a_hyphen_in_a_name_may_be_a_space():
    assert target_hits("chief of technology giant Hewlett Packard", ["Hewlett-Packard"]) == 1.0
    assert target_hits("the S-400 system", ["S-400"]) == 1.0


def test_the_one_a_person_plays_in_the_group_asked_for():
    from qa.analyze import member_noun
    from qa.extract import named_before_noun

    q = "Sheila Ferguson, the bookmakers' favourite, is a star of which group?"
    assert member_noun(q) == "star" and member_noun("Which group is she in?") is None
    sentence = "Three Degrees star Sheila Ferguson is the favourite to be evicted."
    assert [s.text for s in named_before_noun(sentence, "star", [], ["Sheila Ferguson"])] == ["Three Degrees"]


def test_where_a_verb_asked_leads_and_a_school_is_a_place():
    sentence = "Viotti was born in Switzerland and studied the piano, cello and singing at the Lausanne Conservatory."
    spans = [_span(sentence, "Switzerland", "GPE"), _span(sentence, "the Lausanne Conservatory", "ORG")]
    q = "Where did Marcello Viotti study music?"
    found = pick_short_answer(sentence, spans, ["GPE", "LOC", "FAC"], q, [], ["Marcello Viotti"], asked=["study", "music"])
    assert found.text == "the Lausanne Conservatory"
    found = pick_short_answer(sentence, spans, ["GPE", "LOC", "FAC"], "Where was Viotti born?", [], ["Viotti"],
                              asked=["born"])
    assert found.text == "Switzerland"


def test_they_are_the_people_of_the_last_turn_and_a_post_or_a_decade_is_no_subject():
    labels = {"Lucy": "PERSON"}.get
    turn = describe_turn("Which Labour MP discovered he had a long-lost daughter, Lucy, conceived in the 1960s?",
                         ("Stephen Pound", "PERSON"), labels)
    assert turn.subject is None and turn.people == ["Stephen Pound", "Lucy"]
    assert resolve("Where did they meet for the first time?", [turn]) == \
        "Where did Stephen Pound and Lucy meet for the first time?"


def test_the_maker_asked_for_is_the_possessor_written_before_the_thing():
    from qa.extract import ASKS_MAKER, owner_of_target

    assert ASKS_MAKER.search("Which firm makes the PlayStation?") and not ASKS_MAKER.search("Which firm sued Sony?")
    sentence = "Some details of the chip inside Sony's PlayStation 3 have been revealed."
    assert [s.text for s in owner_of_target(sentence, ["PlayStation"], "ORG")] == ["Sony"]
    sentence = "The Microsoft's new Xbox console is out."
    assert [s.text for s in owner_of_target(sentence, ["Xbox"], "ORG")] == ["Microsoft"]
    assert owner_of_target("The Xbox's chip is fast.", ["Xbox"], "ORG") == []


def test_the_maker_is_also_the_subject_whose_it_is_or_the_name_after_maker():
    from qa.extract import owner_of_target

    sentence = "Apple has expanded its iPod family with the release of its next generation of players."
    assert [s.text for s in owner_of_target(sentence, ["iPod"], "ORG")] == ["Apple"]
    sentence = "Shares in iPod maker Apple rose."
    assert [s.text for s in owner_of_target(sentence, ["iPod"], "ORG")] == ["Apple"]
    # another name between the subject and "its" is not skipped over
    assert owner_of_target("Apple told Dell its iPod was safe.", ["iPod"], "ORG") == []


def test_a_name_opening_in_lower_case_is_a_target():
    assert analyse("Which firm makes the iPod?").targets == ["iPod"]
    assert analyse("Who founded eBay?").targets == ["eBay"]
    assert analyse("what did he say?").targets == []


def test_a_role_written_after_the_name_is_another_role():
    from qa.extract import roles_of_other

    q = analyse("Who is the manager of Liverpool?")
    sentence = "Parry joined Liverpool as chief executive in July 1998 from a similar role at the Premier League."
    assert roles_of_other(sentence, _span(sentence, "Parry"), q.text.lower(), q.targets)
    sentence = "Rick Parry, the club's chief executive, said so."
    assert roles_of_other(sentence, _span(sentence, "Rick Parry"), q.text.lower(), q.targets)
    sentence = "Rafael Benitez, who joined as manager last summer, said so."  # the post asked is named
    assert not roles_of_other(sentence, _span(sentence, "Rafael Benitez"), q.text.lower(), q.targets)
    sentence = "Rafael Benitez said the club would spend."  # no role: may be the answer
    assert not roles_of_other(sentence, _span(sentence, "Rafael Benitez"), q.text.lower(), q.targets)


def test_a_place_whose_sentence_holds_no_asked_word_is_refused():
    stated = dict(typed=True, typed_found=True, place=True, asked_terms=1, asked_terms_found=1)
    assert decide(evidence(**stated, figure_stated=False)).abstain  # "a visit to Sheffield" for where born
    assert not decide(evidence(**stated)).abstain
    assert not decide(evidence(**{**stated, "place": False}, figure_stated=False)).abstain


def test_said_as_a_clause_and_a_speaker_with_an_apposition():
    a = analyse("What did Lib Dem leader Charles Kennedy say Tony Blair should do after the elections in Iraq?")
    assert a.type == "say" and a.speaker == "Lib Dem leader Charles Kennedy"
    assert a.topic == "Tony Blair should do after the elections in Iraq"
    a = analyse("What did Lord Hanningfield, leader of Essex County Council, say about the airport plans?")
    assert a.speaker == "Lord Hanningfield" and a.topic == "the airport plans"
    assert analyse("What did Smith, Jones and Brown say?").speaker == "Smith, Jones and Brown"


@pytest.mark.parametrize("question,qtype,expected,noun", [
    ("What kind of system did Charles Clarke propose?", "other", [], None),  # a description, not a name
    ("What was the title of the 1972 album on which Ray Charles tackled poverty?", "which", None, "album"),
    ("Which family owns Skis Rossignol?", "which", ["ORG", "PERSON"], "family"),
    ("How much will Quiksilver pay for Rossignol?", "how_much", ["MONEY"], None),  # not "jumped 15%"
    ("How much did the share price fall?", "how_much", ["MONEY", "PERCENT"], None),  # a change may be in per cent
])
def test_what_kind_of_answer_the_wording_asks(question, qtype, expected, noun):
    a = analyse(question)
    assert a.type == qtype and a.answer_noun == noun
    assert expected is None or a.expected == expected


def test_a_plural_possessive_ends_a_target():
    assert analyse("How much did Cadbury Schweppes' Fuel for Growth scheme save?").targets[0] == "Cadbury Schweppes"


def test_picking_among_names_and_figures_of_one_sentence():
    q = analyse("Which Labour MP backs Trevor Phillips' call for shortlists?")
    sentence = ("Labour MP Diane Abbot, who backs Mr Phillips' proposal, said she had been elected along with three "
                "other ethnic minority MPs - Keith Vaz, Paul Boateng and Bernie Grant - in 1987.")
    spans = [_span(sentence, n) for n in ("Diane Abbot", "Keith Vaz", "Paul Boateng")]
    pick = pick_short_answer(sentence, spans, q.expected, q.text, [0], q.targets, q.answer_noun)
    assert pick.text == "Diane Abbot"  # after the question's own "Labour MP", not after "MPs"
    q = analyse("In what year was Diane Abbott elected to the Commons?")
    spans = [_span(sentence, "1987", "DATE"), _span(sentence.replace("in 1987", "another 10 years"), "another 10 years", "DATE")]
    assert pick_short_answer(sentence, spans[:1], q.expected, q.text, [0], q.targets).text == "1987"
    assert pick_short_answer("It took another 10 years.", [_span("It took another 10 years.", "another 10 years", "DATE")],
                             q.expected, q.text, [0], q.targets) is None
    q = analyse("How much did the Fuel for Growth scheme save in 2004?")
    sentence = "The scheme had saved £75m in 2004, bringing total cost savings to £100m since the scheme began."
    spans = [_span(sentence, "£75m", "MONEY"), _span(sentence, "£100m", "MONEY")]
    assert pick_short_answer(sentence, spans, q.expected, q.text, [0], q.targets, asked=["scheme", "save", "2004"]).text == "£75m"


def test_the_agent_of_an_asked_verb_and_a_target_spelled_out():
    from qa.extract import _names_a_target, agent_of_asked

    sentence = "The UK was prepared to veto any bid to reduce the rebate secured by Margaret Thatcher in 1984."
    assert agent_of_asked(sentence, _span(sentence, "Margaret Thatcher"), ["secured", "rebate"])
    assert not agent_of_asked(sentence, _span(sentence, "Margaret Thatcher"), ["won"])
    # past a description holding a title and figures, ending in a common noun
    sentence = "Dakota Fanning will play Fern in the film to be directed by 13 Going on 30 film-maker Gary Winick."
    assert agent_of_asked(sentence, _span(sentence, "Gary Winick"), ["direct", "film"])
    sentence = "The goal was scored by Chelsea's Frank Lampard."
    assert not agent_of_asked(sentence, _span(sentence, "Frank Lampard"), ["lost"])
    assert _names_a_target("the European Union", ["UK", "EU"]) and not _names_a_target("the European Union", ["UN"])
    # a target's words in order, another between: the target named in full
    championships = ["Kelly Holmes", "European Indoor Championships"]
    assert _names_a_target("European Indoor Athletics Championships", championships)
    assert not _names_a_target("the Birmingham Grand Prix", championships)
    assert not _names_a_target("Indoor European Championships", championships)


def test_names_in_text_lose_a_dash_at_either_end_and_titles_keep_their_small_words():
    from index.models import Entity
    from qa.extract import named_after_noun

    sentence = "three other MPs - Keith Vaz, Paul Boateng"
    start = sentence.index("- Keith")
    ent = Entity(doc_id="d", passage_id="p", text="- Keith Vaz", label="PERSON", start=start, end=start + 11)
    assert [s.text for s in typed_spans(sentence, 0, [ent]) if s.label == "PERSON"] == ["Keith Vaz"]
    sentence = "In 1972 he made a rare foray into protest songs with his album A Message from the People."
    assert [s.text for s in named_after_noun(sentence, "album", "WORK_OF_ART")] == ["A Message from the People"]
    assert [s.text for s in named_after_noun("the film Million Dollar Baby in London", "film", "WORK_OF_ART")] == \
        ["Million Dollar Baby"]


def test_a_country_is_no_constituency():
    q = analyse("Which constituency does MSP Karen Whitefield represent?")
    sentence = "Large retailers in Scotland would remain closed."
    assert pick_short_answer(sentence, [_span(sentence, "Scotland", "GPE")], q.expected, q.text, [0], q.targets) is None


def test_and_before_a_preposition_still_opens_a_whole_question():
    turn = Turn(question="Which Labour MP backs the call?", person="Diane Abbott", people=["Diane Abbott"])
    assert resolve("And in what year was she elected to the Commons?", [turn]) == \
        "In what year was Diane Abbott elected to the Commons?"
    assert resolve("And the second one?", [Turn(question="How much did the first batch cost?")]) == \
        "How much did the second batch cost?"


def test_an_age_is_years_and_a_temperature_a_measure():
    q = analyse("How old is race walker Jamie Costin?")
    for text, label, ok in (("10km", "QUANTITY", False), ("17-year-old", "DATE", True), ("aged 54", "DATE", True)):
        sentence = f"He is {text} now."
        pick = pick_short_answer(sentence, [_span(sentence, text, label)], q.expected, q.text, [0], q.targets)
        assert (pick is not None) == ok, text
    q = analyse("To what temperature is the cryotherapy room cooled?")
    assert q.answer_noun == "temperature" and "QUANTITY" in q.expected


def test_a_figure_in_a_list_is_for_what_follows_it_in_its_clause():
    q = analyse("What share of the fund's money goes to projects in the least developed countries?")
    sentence = ("Sixty percent of resources collected by the fund will be made available for projects in least "
                "developed countries, 30% for projects in developing countries, and 10% for projects in developed countries.")
    spans = [_span(sentence, t, "PERCENT") for t in ("Sixty percent", "30%", "10%")]
    from qa.terms import asked_words

    pick = pick_short_answer(sentence, spans, q.expected, q.text, [0], q.targets, asked=asked_words(q))
    assert pick.text == "Sixty percent"


@pytest.mark.parametrize("question,qtype,noun", [
    ("Who chairs the Commons committee on fishing?", "who", "chairman"),  # "Committee chairman Austin Mitchell"
    ("Who headed Portsmouth's injury-time equaliser?", "who", None),  # a header, not a post
    ("What incident two years ago left his career dogged by injury?", "other", None),  # not "years": a description
    ("What odds did William Hill give Dougray Scott?", "other", None),  # "at 8-1" is written without the noun
    ("What size of stake in Manchester United does Malcolm Glazer own?", "percent", None),
])
def test_posts_asked_by_their_verb_and_other_wordings(question, qtype, noun):
    a = analyse(question)
    assert a.type == qtype and a.answer_noun == noun


def test_once_counts_and_a_month_dates():
    q = analyse("How many times had Barcelona won the European Cup?")
    sentence = "They have won the European Cup once."
    assert pick_short_answer(sentence, typed_spans(sentence, 0, []), q.expected, q.text, [0], q.targets).text == "once"
    q = analyse("Buyers from what date onwards are covered by the lawsuit?")
    sentence = "It covers anyone who has purchased a printer since February 2001."
    assert pick_short_answer(sentence, typed_spans(sentence, 0, []), q.expected, q.text, [0], q.targets).text == "February 2001"


def test_a_former_holder_is_not_who_holds_the_post():
    q = analyse("Who is the manager of Liverpool?")
    sentence = "Former Liverpool manager Gerard Houllier has praised his successor, Liverpool manager Rafael Benitez."
    spans = [_span(sentence, "Gerard Houllier")]
    assert pick_short_answer(sentence, spans, q.expected, q.text, [0], q.targets, q.answer_noun) is None
    spans.append(_span(sentence, "Rafael Benitez"))
    assert pick_short_answer(sentence, spans, q.expected, q.text, [0], q.targets, q.answer_noun).text == "Rafael Benitez"
    past = analyse("Who was the previous manager of Liverpool?")
    assert pick_short_answer(sentence, spans[:1], past.expected, past.text, [0], past.targets, past.answer_noun)


def test_a_post_asked_by_its_verb_is_not_held_by_someone_in_another_post():
    q = analyse("Who founded Skype?")
    sentence = "Skype's success is well-known, commented Broadreach chief executive Magnus McEwen-King."
    spans = [_span(sentence, "Magnus McEwen-King")]
    assert pick_short_answer(sentence, spans, q.expected, q.text, [0], q.targets, q.answer_noun) is None


def test_a_name_used_for_a_government_or_an_era_holds_no_post():
    q = analyse("Who is the chancellor of the exchequer?")
    sentence = ("After serving as a junior minister in the Attlee government, he became chancellor of the "
                "exchequer when Labour returned to power in 1964.")
    at = sentence.index("Attlee")
    from qa.extract import TypedSpan

    attlee = [TypedSpan(start=at, end=at + 6, label="PERSON", text="Attlee")]
    assert pick_short_answer(sentence, attlee, q.expected, q.text, [], q.targets, q.answer_noun) is None
    named = "Gordon Brown became chancellor of the exchequer in the Blair government."
    spans = [TypedSpan(start=0, end=12, label="PERSON", text="Gordon Brown"),
             TypedSpan(start=named.index("Blair"), end=named.index("Blair") + 5, label="PERSON", text="Blair")]
    assert pick_short_answer(named, spans, q.expected, q.text, [], q.targets, q.answer_noun).text == "Gordon Brown"


def test_a_named_topic_must_stand_beside_one_of_the_speakers_statements():
    from types import SimpleNamespace

    from index.models import Passage, Quote
    from qa.statements import unnamed_topic

    paragraphs = ["Wales beat England.", "Jones was outstanding at fly-half.", "Coach Mike Ruddock praised the side.",
                  "\"He was superb,\" said Ruddock.", "The pack held firm.", "Italy come next."]
    passages, at = [], 0
    for i, text in enumerate(paragraphs):
        passages.append(Passage(id=f"d-p{i}", doc_id="d", ordinal=i, paragraph=i + 1, text=text, start=at, end=at + len(text)))
        at += len(text) + 2

    engine = SimpleNamespace(store=SimpleNamespace(passages_of=lambda doc: passages))

    def said_at(quote_at: int) -> list[Quote]:
        p = passages[quote_at]
        return [Quote(speaker="Mike Ruddock", surface="Ruddock", text="He was superb", direct=True, cue="said",
                      doc_id="d", passage_id=p.id, start=p.start + 1, end=p.start + 14)]

    asked = analyse("What did Mike Ruddock say about Stephen Jones?")
    assert unnamed_topic(engine, asked, said_at(2)) is None  # the paragraph before names "Jones" (not "Jone")
    assert unnamed_topic(engine, asked, said_at(3)) is not None  # two paragraphs away is not beside
    assert "never beside a mention of Stephen Jones" in unnamed_topic(engine, asked, said_at(5))
    assert unnamed_topic(engine, analyse("What did Mike Ruddock say about the pack?"), said_at(5)) is None  # not a name


def test_a_name_is_also_written_by_its_initials():
    from qa.extract import _mentions_target, speaks_of_other
    from qa.rerank import initialism

    assert initialism("International Steel Group") == "ISG"
    assert initialism("Bank of England") == "BE"  # small words are left out
    assert initialism("Mittal") is None and initialism("the steel group") is None
    assert target_hits("its $4.5bn acquisition of US firm ISG", ["International Steel Group"]) == 1.0
    assert target_hits("its acquisition of US firm Isg", ["International Steel Group"]) == 0.0  # as written, capitals
    sentence = "The Netherlands-based company is due to complete its $4.5bn acquisition of US firm ISG next month."
    assert _mentions_target(sentence, ["International Steel Group"])
    spans = typed_spans(sentence, 0, [])
    from qa.extract import TypedSpan
    netherlands = TypedSpan(start=4, end=15, label="GPE", text="Netherlands")
    assert not speaks_of_other(sentence, spans + [netherlands], ["International Steel Group"])


def test_a_money_span_keeps_the_currency_sign_ner_left_out():
    from index.models import Entity

    sentence = "The firm is to complete its $4.5bn acquisition."
    start = sentence.index("4.5bn")
    entity = Entity(doc_id="d", passage_id="p", text="4.5bn", label="MONEY", start=start, end=start + 5)
    assert [s.text for s in typed_spans(sentence, 0, [entity]) if s.label == "MONEY"][0] == "$4.5bn"


def test_how_much_time_asks_for_a_duration():
    a = analyse("According to the Pew Research Center, how much time does the average user spend searching?")
    assert a.expected[0] == "TIME" and "MONEY" not in a.expected


def test_a_qualifier_ending_in_a_participle_is_met_by_its_first_part():
    from qa.extract import qualified_otherwise

    q = "How many songs can current flash-based mobile phones hold?"
    assert not qualified_otherwise("The first mobile phones using flash technology store enough for 250 songs.", q)
    assert qualified_otherwise("The first mobile phones with hard disks store 5,000 songs.", q)  # flash never said
    q = "How much a year would the G8 deal save the tsunami-hit countries?"
    assert not qualified_otherwise("The agreement by the G8 would save affected countries £3bn a year.", q)
    assert qualified_otherwise("The agreement would save poorer countries £3bn a year.", q)


def test_a_typed_sentence_further_down_that_speaks_of_the_question_answers():
    from qa.answer import _choose
    from qa.extract import TypedSpan

    # the best sentence holds no amount; the one with an amount but no asked word is no answer
    analysis = analyse("How much is Mittal Steel paying to acquire International Steel Group?")
    lead = _row(1.0, "d1", "Mr Mittal said that once the acquisition of International Steel Group was completed, it would grow.")
    sales = _row(0.98, "d1", "A combination of the two would have sales of $32bn.", TypedSpan(start=43, end=48, label="MONEY", text="$32bn"))
    price = _row(0.78, "d1", "The firm is due to complete its $4.5bn acquisition of US firm ISG.",
                 TypedSpan(start=32, end=38, label="MONEY", text="$4.5bn"))
    assert _choose([lead, sales, price], analysis) is price
    assert _choose([lead, sales], analysis) is lead  # left to abstention
    # beyond the margin of typed sentences: a date with an asked word beside it
    analysis = analyse("When did Jane Campbell become the first woman to divorce her husband?")
    lead = _row(1.37, "d1", "Among the records is the story of Jane Campbell, the first woman ever to divorce her husband.")
    dated = _row(0.66, "d1", "That happened in 1801 after she had discovered her husband had committed adultery.",
                 TypedSpan(start=17, end=21, label="DATE", text="1801"))
    assert _choose([lead, dated], analysis) is dated
    undated = _row(0.66, "d1", "The archive opened in 1801 in a London building.", TypedSpan(start=22, end=26, label="DATE", text="1801"))
    assert _choose([lead, undated], analysis) is lead


def test_an_amount_in_a_question_is_no_target_and_a_measure_counts_nothing_asked():
    from qa.analyze import find_targets
    from qa.extract import TypedSpan, counts_other

    assert find_targets("How much of the NM2 project's 7.5m euro EU funding is going to BT?") == ["NM2", "EU", "BT"]
    assert set(find_targets("Who scored in the 3-1 win over the G8 team?")) == {"3-1", "G8"}
    sentence = "The Briton, for taking 800m and 1,500m gold, won vital votes."
    start = sentence.index("1,500m")
    assert counts_other(sentence, TypedSpan(start=start, end=start + 6, label="CARDINAL", text="1,500m"), "votes")
    sentence = "The single sold 1.5m copies."
    start = sentence.index("1.5m")
    assert not counts_other(sentence, TypedSpan(start=start, end=start + 4, label="CARDINAL", text="1.5m"), "copies")


def test_a_two_letter_target_is_named_as_a_whole_word():
    from qa.extract import _names_a_target

    assert _names_a_target("the G8 group", ["G8"]) and not _names_a_target("G8s", ["G8"])


def test_a_person_titled_by_another_noun_of_the_question_is_that_one():
    from qa.extract import titled_as_other

    sentence = "Mikoliunas, 20, barged linesman Andy Davis during the defeat."
    q = "Which Hearts winger barged a linesman during the defeat?"
    spans = typed_spans(sentence, 0, [])
    from qa.extract import TypedSpan
    davis = TypedSpan(start=sentence.index("Andy"), end=sentence.index(" during"), label="PERSON", text="Andy Davis")
    mikoliunas = TypedSpan(start=0, end=10, label="PERSON", text="Mikoliunas")
    assert titled_as_other(sentence, davis, q.lower(), "winger")
    assert not titled_as_other(sentence, mikoliunas, q.lower(), "winger")
    assert pick_short_answer(sentence, spans + [davis, mikoliunas], ["PERSON"], q, [], ["Hearts"], "winger",
                             asked=["barged", "linesman", "defeat"]).text == "Mikoliunas"
    # the question's own noun, or a verb of the question, titles no one else
    assert not titled_as_other("The club signed winger Jon Smith.", TypedSpan(start=22, end=31, label="PERSON", text="Jon Smith"),
                               "which winger did the club sign?", "winger")
    assert not titled_as_other("Arsenal beat Chelsea.", TypedSpan(start=13, end=20, label="PERSON", text="Chelsea"),
                               "who did arsenal beat?", None)


def test_who_plays_a_part_is_the_person_cast_as_it():
    from qa.extract import cast_as

    assert analyse("Who plays Captain Archer?").expected == ["PERSON"]
    sentence = "Enterprise stars former Quantum Leap actor Scott Bakula as Captain Archer and is set before Star Trek."
    spans = typed_spans(sentence, 0, [])
    from qa.extract import TypedSpan
    bakula = TypedSpan(start=sentence.index("Scott"), end=sentence.index(" as "), label="PERSON", text="Scott Bakula")
    quantum = TypedSpan(start=sentence.index("Quantum"), end=sentence.index(" Leap"), label="ORG", text="Quantum")
    assert pick_short_answer(sentence, spans + [quantum, bakula], ["PERSON"], "Who plays Captain Archer?", []).text == "Scott Bakula"
    assert cast_as(sentence, [bakula], "Who plays Captain Kirk?") is None  # cast as another part
    assert cast_as(sentence, [bakula], "Who is Captain Archer?") is None


def test_two_thing_pronouns_are_the_subject_and_the_other_thing():
    turn = describe_turn("Which company makes the PlayStation Portable?", ("Sony", "ORG"), lambda name: "ORG")
    assert turn.subject == "Sony" and turn.things == ["Sony", "PlayStation Portable"]
    assert resolve("How many of them has it sold?", [turn]) == "How many of PlayStation Portable has Sony sold?"
    assert resolve("When was it founded?", [turn]) == "When was Sony founded?"  # one pronoun: the subject
    assert resolve("How much did it cost?", [turn]) == "How much did PlayStation Portable cost?"  # but a price is the product's
    # both or neither in the subject's place: no telling which is which, the first is the subject
    assert resolve("Did they make it?", [turn]).startswith("Did Sony")


def test_the_answer_noun_of_a_who_question_is_no_noun_of_a_later_clause():
    q = "Who was voted European Athletics male athlete of the year when Kelly Holmes took the women's award for 2004?"
    assert analyse(q).answer_noun is None
    assert analyse("Who is the Football Association's chief executive?").answer_noun == "executive"


def test_a_nationality_describing_the_answer_is_no_other_subject():
    from qa.extract import TypedSpan, speaks_of_other

    sentence = "Swedish triple jumper Christian Olsson was voted male athlete of the year."
    swedish = TypedSpan(start=0, end=7, label="NORP", text="Swedish")
    olsson = TypedSpan(start=22, end=38, label="PERSON", text="Christian Olsson")
    assert not speaks_of_other(sentence, [swedish, olsson], ["Kelly Holmes"], answer=olsson)
    assert speaks_of_other(sentence, [swedish, olsson], ["Kelly Holmes"])  # no answer in it: about a Swede


def test_a_targets_short_form_in_brackets_is_no_answer():
    from qa.extract import TypedSpan, _within_target

    sentence = "Kelly Holmes has been voted European Athletics (EAA) woman athlete of 2004."
    eaa = TypedSpan(start=sentence.index("EAA"), end=sentence.index("EAA") + 3, label="ORG", text="EAA")
    assert _within_target(sentence, eaa, ["European Athletics", "Kelly Holmes"])
    assert not _within_target(sentence, eaa, ["Kelly Holmes"])


def test_a_sentence_answering_what_someone_said_must_report_speech():
    from qa.answer import reports_speech

    assert reports_speech('"We will appeal," he said.')
    assert reports_speech("The minister told MPs the plan would go ahead.")
    assert reports_speech("According to Mr Smith, the plan is dead.")
    assert not reports_speech("Enterprise stars former Quantum Leap actor Scott Bakula as Captain Archer.")
    assert not reports_speech("BA's profits fell by 40%.")  # an apostrophe is no quotation mark


def test_only_the_first_person_pronoun_becomes_the_name():
    turn = Turn(question="Who missed a chance to make it 2-0?", person="Damien Duff", people=["Damien Duff"])
    assert resolve("Why did he miss his chance?", [turn]) == "Why did Damien Duff miss his chance?"
    turn = turn.model_copy(update={"subject": "Republic of Ireland", "things": ["Republic of Ireland"]})
    assert resolve("Why did he miss his chance to make it 2-0?", [turn]) == "Why did Damien Duff miss his chance to make it 2-0?"


def test_how_often_is_no_date():
    from index.models import Entity

    sentence = "Once the deal is done the firm will cut between 7,000 and 8,000 jobs annually."
    start = sentence.index("annually")
    annually = Entity(doc_id="d", passage_id="p", text="annually", label="DATE", start=start, end=start + 8)
    spans = typed_spans(sentence, 0, [annually])
    assert pick_short_answer(sentence, spans, ["DATE", "TIME"], "When will the deal be completed?", []) is None
    sentence = "The deal will be completed next month."
    start = sentence.index("next month")
    month = Entity(doc_id="d", passage_id="p", text="next month", label="DATE", start=start, end=start + 10)
    assert pick_short_answer(sentence, typed_spans(sentence, 0, [month]), ["DATE", "TIME"], "When will the deal be completed?", []).text == "next month"


def test_a_clause_set_off_after_the_question_is_not_asked():
    from qa.analyze import question_core
    from qa.terms import asked_words

    q = "Who is the author of Brown's Britain, the book claiming Tony Blair went back on a pledge?"
    assert question_core(q) == "Who is the author of Brown's Britain"
    assert "pledge" not in asked_words(analyse(q))
    q = "How much are Turkey's tourism revenues expected to reach within three years, as the country courts the EU?"
    assert {"tourism", "revenues"} <= set(asked_words(analyse(q))) and "courts" not in asked_words(analyse(q))
    # a place set off by commas, or a question after a name, is no such clause
    q = "To what temperature is the room in Spala, Poland, cooled?"
    assert question_core(q) == q
    assert question_core("Tony Blair, what did he say about it?") == "Tony Blair, what did he say about it?"


def test_a_person_pronoun_nothing_can_stand_for_is_unclear():
    from qa.followup import unclear_pronoun

    assert unclear_pronoun("What was her winning time?") == "her"
    assert unclear_pronoun("In which year did he join Chelsea?") == "he"
    # a name, a noun for a person or "who" before it may be what it means
    assert unclear_pronoun("Did Blair say he would quit?") is None
    assert unclear_pronoun("What did the chancellor say about his budget?") is None
    assert unclear_pronoun("Who said she would retire?") is None
    assert unclear_pronoun("How much did it cost?") is None


def test_data_sizes_and_volumes_are_quantities():
    sentence = "A disc will store 50GB of data, against 30 GB for its rival, and the tanker holds 2m barrels."
    spans = {(s.text, s.label) for s in typed_spans(sentence, 0, [])}
    assert {("50GB", "QUANTITY"), ("30 GB", "QUANTITY")} <= spans


def test_a_name_inside_a_longer_name_is_no_name_after_the_noun():
    from qa.extract import named_after_noun

    assert named_after_noun("Harry Potter won the Orange Film Of The Year, voted for by the public.", "film", "PRODUCT") == []
    assert [s.text for s in named_after_noun("Its best film, The Aviator, won.", "film", "PRODUCT")] == ["The Aviator"]


def test_a_name_called_after_the_noun_is_of_its_kind():
    from qa.extract import named_after_noun

    sentence = "Apple will release a similar search system for its computers called Spotlight that is due in May."
    assert [s.text for s in named_after_noun(sentence, "system", "PRODUCT")] == ["Spotlight"]


def test_the_day_of_a_date_counts_nothing():
    question = "How many text messages were sent in 2004?"
    sentence = "On 1 January text messages were sent in record numbers."
    assert pick_short_answer(sentence, typed_spans(sentence, 0, []), ["CARDINAL", "QUANTITY"], question, [],
                             noun="messages", noun_required=True) is None
    sentence = "On 1 January, 133,000 text messages were sent."
    assert pick_short_answer(sentence, typed_spans(sentence, 0, []), ["CARDINAL", "QUANTITY"], question, [],
                             noun="messages", noun_required=True).text == "133,000"


def test_a_compound_noun_asked_may_be_written_by_its_first_word():
    sentence = "Latest figures show that 26 billion texts were sent in total in 2004."
    best = pick_short_answer(sentence, typed_spans(sentence, 0, []), ["CARDINAL", "QUANTITY"],
                             "How many text messages were sent by UK mobile owners in 2004?", [],
                             noun="messages", noun_required=True)
    assert best.text == "26 billion"


def test_a_figure_for_each_one_is_no_total():
    question = "How much profit will the building society share among its members?"
    sentence = "More than 800,000 members are to receive a profit share worth on average £52 each."
    assert pick_short_answer(sentence, typed_spans(sentence, 0, []), ["MONEY"], question, []) is None
    assert pick_short_answer(sentence, typed_spans(sentence, 0, []), ["MONEY"],
                             "How much will each member receive on average?", []).text == "£52"
    sentence = "Members will share £42m, with 100,000 receiving more than £100."
    assert pick_short_answer(sentence, typed_spans(sentence, 0, []), ["MONEY"], question, []).text == "£42m"
    sentence = "Weekend tickets are now on sale priced at £125 each."  # a price is for one
    assert pick_short_answer(sentence, typed_spans(sentence, 0, []), ["MONEY"],
                             "How much are weekend tickets for the festival?", []).text == "£125"
    sentence = "He wants to spend an extra £500m a year on refugees."  # a rate over time is no share of each
    assert pick_short_answer(sentence, typed_spans(sentence, 0, []), ["MONEY"], "How much does he want to spend?", []).text == "£500m"


def test_no_persons_name_follows_a_bare_the():
    sentence = "The production is being staged at a Viennese opera house, the Volksoper, on Saturday."
    volksoper = _span(sentence, "Volksoper")
    assert pick_short_answer(sentence, [volksoper], ["PERSON"], "Who will play Maria in the production?", []) is None


def test_a_ceo_is_a_chief_executive():
    from qa.extract import noun_positions

    assert noun_positions("Geoff Ellis, CEO of festival organisers Big Day Out Ltd, said", "executive")


def test_statements_on_an_occasion_come_from_the_passage_telling_it_first(monkeypatch):
    from types import SimpleNamespace

    import qa.statements as st
    from index.models import Quote

    def quote(text, passage, start):
        return Quote(speaker="Tony Blair", surface="Mr Blair", text=text, direct=True, doc_id="d",
                     passage_id=passage, start=start, end=start + len(text))

    quotes = [quote("voters will have to wait", "p1", 0), quote("we will not raise taxes", "p1", 50),
              quote("I think they are wrong", "p2", 0), quote("the forecasts were right", "p2", 40)]
    engine = SimpleNamespace(store=SimpleNamespace(vec_ids_of=lambda pids: {"p1": 1, "p2": 2}), index=None)
    monkeypatch.setattr(st, "dense_cosines", lambda index, vec, ids: {1: 0.3, 2: 0.7})
    ranked = st.by_passage(engine, quotes, None)
    assert [q.text for q in ranked] == ["I think they are wrong", "the forecasts were right",
                                        "voters will have to wait", "we will not raise taxes"]


def test_the_one_set_aside_is_no_answer():
    sentence = "With the game being played at Murrayfield instead of Tynecastle, Robertson sees both sides."
    spans = [_span(sentence, "Murrayfield", "FAC"), _span(sentence, "Tynecastle", "GPE")]
    best = pick_short_answer(sentence, spans, ["GPE", "LOC", "FAC"], "Where will Hearts play the tie?", [])
    assert best.text == "Murrayfield"
    assert pick_short_answer(sentence, spans[1:], ["GPE", "LOC", "FAC"], "Where will Hearts play the tie?", []) is None


def test_a_follow_up_it_is_the_thing_answered_though_the_index_has_no_label_for_it():
    turn = describe_turn("Which stadium will host Munster's quarter-final against Biarritz?", ("Anoeta", "FAC"),
                         lambda name: None)
    assert resolve("How many spectators does it hold?", [turn]) == "How many spectators does Anoeta hold?"


def test_it_is_neither_a_name_qualifying_a_noun_nor_a_name_the_question_gives():
    labels = {"US": "GPE", "Sony": "ORG", "PlayStation Portable": "PRODUCT"}.get
    turn = describe_turn("From what date will US gamers be able to buy Sony's PlayStation Portable?", None, labels)
    assert turn.subject == "Sony"  # "US gamers": US qualifies the gamers
    assert resolve("How many units of it has Sony already sold in Japan?", [turn]) == \
        "How many units of PlayStation Portable has Sony already sold in Japan?"
    # a price is the product's, not the company's
    assert resolve("How much does it cost?", [turn]) == "How much does PlayStation Portable cost?"


def test_a_demonstrative_takes_the_name_the_last_turn_gave_its_noun():
    turn = Turn(question="Who represented Gibraltar at the Chevening talks on the Rock's future?", subject="Gibraltar")
    assert resolve("And who represented Spain at those talks?", [turn]) == "Who represented Spain at the Chevening talks?"
    # with no name for the noun, the subject goes along as before
    assert resolve("Who spoke at that meeting?", [turn]) == "Who spoke at that meeting (Gibraltar)?"


def test_the_story_holding_clearly_more_asked_words_is_the_one_asked_about():
    from qa.answer import _choose
    from qa.extract import TypedSpan

    bramble = TypedSpan(start=0, end=13, label="PERSON", text="Titus Bramble")
    luala = TypedSpan(start=0, end=13, label="PERSON", text="Lomana LuaLua")
    analysis = analyse("Who headed Portsmouth's injury-time equaliser against Liverpool at Anfield?")
    other_match = _row(1.0, "d1", "Titus Bramble's own goal put Liverpool on the comeback trail at Anfield.", bramble)
    asked = _row(0.8, "d2", "Lomana LuaLua headed home an injury-time equaliser for Portsmouth.", luala)
    assert _choose([other_match, asked], analysis) is asked
    # two words more is not clearly more: the best sentence's story answers
    fewer = _row(0.8, "d2", "Lomana LuaLua headed the equaliser.", luala)
    assert _choose([other_match, fewer], analysis) is other_match
    # nor does a story scoring far below
    assert _choose([other_match, _row(0.6, "d2", asked.text, luala)], analysis) is other_match


def test_a_nationality_or_a_funder_run_into_a_name_is_not_part_of_it():
    from types import SimpleNamespace

    from qa.analyze import find_targets
    from qa.answer import _mentioned
    from qa.extract import _names_a_target

    written = {"derartu tulu", "lifeplus"}
    store = SimpleNamespace(mentions=lambda p: p.lower() in written, mentions_near=lambda words: False,
                            entity_label={"Ethiopian": "NORP"}.get)
    engine = SimpleNamespace(store=store)
    assert _mentioned(engine, "Ethiopian Derartu Tulu")  # the collection writes "Derartu Tulu"
    assert not _mentioned(engine, "Kenyan Paul Tergat")
    assert not _mentioned(engine, "Derartu Smith")  # a first name alone is no nationality
    assert find_targets("Who built the EU-funded Lifeplus system for Pompeii?") == ["EU", "Lifeplus", "Pompeii"]
    assert find_targets("Which Frankfurt-based bank bought it?") == ["Frankfurt"]
    assert _names_a_target("A European Union", ["EU", "Lifeplus"])  # "A European Union-funded project"


def test_there_after_a_name_answered_is_where_the_earlier_question_happens():
    labels = {"Leeds": "GPE", "Iron Maiden": "ORG"}.get
    turn = describe_turn("Which band headlines the Leeds festival?", ("Iron Maiden", "ORG"), labels)
    assert turn.subject == "Iron Maiden"  # "How many albums have they sold?" is about the band
    assert resolve("And who else is playing there?", [turn]) == "Who else is playing at the Leeds festival?"
    paris = describe_turn("Which company is based in Paris?", ("Alstom", "ORG"), {"Paris": "GPE", "Alstom": "ORG"}.get)
    assert resolve("How many people work there?", [paris]) == "How many people work in Paris?"


def test_what_date_is_not_answered_by_an_hour():
    sentence = "The Budget will be at about 1230 GMT on that Wednesday."
    q = analyse("On what date is the Budget?")
    from index.models import Entity

    start = sentence.index("about 1230 GMT")
    spans = typed_spans(sentence, 0, [Entity(doc_id="d", passage_id="d-p0", text="about 1230 GMT", label="TIME",
                                             start=start, end=start + len("about 1230 GMT"))])
    assert pick_short_answer(sentence, spans, q.expected, q.text, []) is None


def test_those_after_a_count_are_the_things_counted():
    turn = describe_turn("How many new broadband connections did BT add in its record quarter?", ("600,000", "CARDINAL"),
                         lambda name: None)
    assert turn.counted == "new broadband connections"
    assert resolve("What share of those came through BT Retail?", [turn]) == \
        "What share of the new broadband connections came through BT Retail?"
    # "those" with a noun of its own is not replaced
    assert "those customers" in resolve("What share of those customers came from BT?", [turn])


def _typed(sentence: str, text: str, label: str) -> TypedSpan:
    """A typed span of `text` where it first stands in the sentence, as NER would give it."""
    at = sentence.index(text)
    return TypedSpan(start=at, end=at + len(text), label=label, text=text)


def test_titles_ner_misses_are_found_for_questions_asking_for_a_work():
    from qa.extract import title_runs

    sentence = "They made the top ten with their debut album, as well as the follow-up, A Present For Everyone."
    assert [t.text for t in title_runs(sentence, [])] == ["A Present For Everyone"]
    sentence = "Keys, who will sing America the Beautiful, will be accompanied by students."
    assert [t.text for t in title_runs(sentence, [_typed(sentence, "America", "GPE")])] == ["America the Beautiful"]
    # a post before a name is no title, nor is the sentence's first word
    sentence = "It was said by Prime Minister Tony Blair."
    assert title_runs(sentence, [_typed(sentence, "Tony Blair", "PERSON")]) == []


def test_the_source_a_sentence_cites_is_no_actor_in_it():
    sentence = "A delegation of European firms visited the SEC in December, the Financial Times reported."
    spans = [_typed(sentence, "the Financial Times", "ORG")]
    q = analyse("Who headed the delegation of European companies that went to the SEC?")
    assert pick_short_answer(sentence, spans, q.expected, q.text, [], q.targets) is None
    q = analyse("Which newspaper reported the visit to the SEC?")  # unless the source is asked
    assert pick_short_answer(sentence, spans, q.expected, q.text, [], q.targets).text == "the Financial Times"


def test_an_amounts_number_an_age_and_a_date_answer_no_how_long():
    sentence = "Real are closing in on a £2m deal for the 28-year-old, whose contract expires in the summer."
    assert ("2m", "CARDINAL") not in {(sp.text, sp.label) for sp in typed_spans(sentence, 0, [])}
    q = analyse("How long is the contract the midfielder signed?")
    spans = typed_spans(sentence, 0, []) + [_typed(sentence, "the summer", "DATE"), _typed(sentence, "28-year-old", "DATE")]
    assert pick_short_answer(sentence, spans, q.expected, q.text, [], q.targets) is None
    signed = "He signed a three-year contract."
    assert pick_short_answer(signed, typed_spans(signed, 0, []), q.expected, q.text, [], q.targets).text == "three-year"


def test_a_nationality_describing_a_noun_answers_no_who_question():
    sentence = "A special award went to Alan Bennett for his contribution to British theatre."
    spans = [_typed(sentence, "British", "NORP")]
    q = analyse("Who took the award for best actor?")
    assert pick_short_answer(sentence, spans, q.expected, q.text, [], q.targets) is None
    # asked for first, a nationality before its noun answers
    assert pick_short_answer(sentence, spans, ["NORP"], "Of which nation is the theatre?", []).text == "British"


def test_what_about_after_a_say_question_changes_its_topic():
    turn = describe_turn("What did Michael Howard say about immigration?", None,
                         lambda name: "PERSON" if name == "Michael Howard" else None)
    assert resolve("And what about taxes?", [turn]) == "What did Michael Howard say about taxes?"
    assert resolve("What about the NHS?", [turn]) == "What did Michael Howard say about the NHS?"
    assert resolve("What about Blair?", [turn]) == "What did Blair say about immigration?"  # another speaker
    # an ellipsis of another form adds to the question
    assert resolve("And according to other sources?", [turn]) == \
        "What did Michael Howard say about immigration according to other sources?"


def test_a_price_a_share_is_no_count_of_shares():
    spans = typed_spans("The offer was pitched at about 300p a share.", 0, [])
    assert ("300p", "MONEY") in {(sp.text, sp.label) for sp in spans}
    assert not [sp for sp in spans if sp.label in ("CARDINAL", "QUANTITY")]


def test_an_age_is_a_number_of_years_not_a_year():
    q = analyse("How old is the founder?")
    sentence = "Its founder, 54, lost the case last year."
    spans = typed_spans(sentence, 0, []) + [_typed(sentence, "last year", "DATE")]
    assert pick_short_answer(sentence, spans, q.expected, q.text, [], q.targets).text == "54"
    sentence = "The firm lost the case last year."
    assert pick_short_answer(sentence, [_typed(sentence, "last year", "DATE")], q.expected, q.text, [], q.targets) is None


def test_founded_is_not_found_and_the_post_noun_is_searched_too():
    from qa.retrieve import fts_query, stem

    assert stem("found") == "find" and stem("founded") == "found" != stem("found")
    assert fts_query("Who founded Microsoft?", ("founder",)) == '"founded" OR "microsoft" OR "founder"'
    assert fts_query("Who founded Microsoft?", ("microsoft",)) == '"founded" OR "microsoft"'  # no repeats


def test_a_name_the_question_describes_is_not_its_answer():
    from qa.extract import described_by_question

    sentence = "Yukos sued over the auction of its key oil production unit Yuganskneftegas."
    unit = _typed(sentence, "Yuganskneftegas", "ORG")
    q = analyse("Which company did Yukos's main production unit get sold to?")
    assert described_by_question(sentence, unit, q.text.lower(), q.answer_noun)
    assert pick_short_answer(sentence, [unit], q.expected, q.text, [], q.targets, q.answer_noun) is None
    manager = "Chelsea manager Jose Mourinho signed the striker."
    who = _typed(manager, "Jose Mourinho", "PERSON")
    assert described_by_question(manager, who, "who did the chelsea manager sign?", None)
    # the answer noun describes the answer itself, and a bare "Who is…" has no other subject
    assert not described_by_question(manager, who, "who is the chelsea manager?", "manager")
    assert not described_by_question(manager, who, "who did the chelsea manager sign?", "manager")
    # a comma between introduces a name apart
    apart = "The unit, Yuganskneftegas, went to Rosneft."
    assert not described_by_question(apart, _typed(apart, "Yuganskneftegas", "ORG"), q.text.lower(), q.answer_noun)


def test_a_figure_in_a_clause_about_someone_else_is_theirs():
    from qa.extract import clause_of_other

    sentence = ("Deutsche Bank said it would cut its German workforce by 1,920 while as many as 300 jobs "
                "will be lost at Credit Suisse First Boston.")
    spans = [_typed(sentence, "Deutsche Bank", "ORG"), _typed(sentence, "1,920", "CARDINAL"),
             _typed(sentence, "as many as 300", "CARDINAL"), _typed(sentence, "Credit Suisse First Boston", "ORG")]
    assert clause_of_other(sentence, spans[2], spans, ["Deutsche Bank"])
    assert not clause_of_other(sentence, spans[1], spans, ["Deutsche Bank"])
    # a person described, not named, is no one else: "The Czech international" is the one asked about
    baros = "The Czech international came on as a substitute after 74 minutes but could not stop Chelsea."
    spans = [_typed(baros, "Czech", "NORP"), _typed(baros, "74 minutes", "QUANTITY"), _typed(baros, "Chelsea", "ORG")]
    assert not clause_of_other(baros, spans[1], spans, ["Milan Baros", "Chelsea"])


def test_a_growth_rate_is_asked_in_per_cent_and_deadlines_are_dates():
    q = analyse("How fast did China's economy grow in 2004?")
    assert q.expected[0] == "PERCENT"
    sentence = "China's economy has expanded by a breakneck 9.5% during 2004, well above 2003's 9.1%."
    spans = typed_spans(sentence, 0, []) + [_typed(sentence, "2003", "DATE")]
    assert pick_short_answer(sentence, spans, q.expected, q.text, [], q.targets).text == "9.5%"
    assert analyse("How fast can the car go?").expected[0] != "PERCENT"
    assert analyse("What is the new deadline the SEC gave foreign firms?").expected[0] == "DATE"


def test_counted_nouns_meet_their_usual_other_words():
    from qa.extract import noun_positions

    assert noun_positions("said Hanks, who plays five roles in the movie", "parts")
    assert noun_positions("limited to the first 50,000 people who sign up", "customers")
    assert not noun_positions("limited to the first 50,000 people who sign up", "shares")


def test_a_pronoun_before_the_name_it_stands_for_is_clear():
    from qa.followup import unclear_pronoun

    assert unclear_pronoun("In his New Year message, which prison did Charles Kennedy say was used?") is None
    assert unclear_pronoun("What was her winning time in the Madrid Open?") == "her"


def test_a_person_noun_before_a_relative_is_the_answer_noun():
    assert analyse("Who is the attorney through whom Marion Jones issued her statement?").answer_noun == "attorney"
    assert analyse("Who was the man behind the plan?").answer_noun == "man"


def test_a_surname_names_the_person_asked_about():
    from qa.extract import antecedent

    before = "Mr Cunningham went on to become Tony Blair's cabinet enforcer."
    spans = [_typed(before, "Cunningham", "PERSON"), _typed(before, "Tony Blair", "PERSON")]
    # "He" is the one asked about, not the next person of the sentence before
    assert antecedent("He has represented Copeland since 1970.", spans, ["Jack Cunningham"]) is None
    assert antecedent("He has represented Copeland since 1970.", spans, ["Copeland"]).text == "Cunningham"


def test_an_age_range_counts_no_one():
    q = analyse("How many adults were questioned for the Age Concern survey?")
    sentence = "A total of 3,028 adults aged 18 or over were interviewed for the study."
    spans = typed_spans(sentence, 0, [])
    assert pick_short_answer(sentence, spans, q.expected, q.text, [], q.targets, q.answer_noun,
                             noun_required=True).text == "3,028"


def test_a_name_given_as_what_something_is_called_stands_beside_it():
    from qa.answer import _beside

    sentence = "A security manager said the malicious program was called Bankash-A Trojan."
    name = _typed(sentence, "Bankash-A Trojan", "ORG")
    q = analyse("What is the name of the trojan that tries to disable the anti-spyware tool?")
    assert _beside(sentence, name, q, ["trojan"], None)
    assert not _beside(sentence, name, analyse("Which firm makes the anti-spyware tool?"), ["makes"], None)
    # what is called must be what is asked about
    venture = "Curry and associate Ron Bloom's new venture, called PodShow, is to help people make podcasts."
    q = analyse("What was the podcast aggregator program that Adam Curry helped create called?")
    assert not _beside(venture, _typed(venture, "PodShow", "ORG"), q, ["podcast", "aggregator", "program"], None)


def test_the_price_shares_open_at_is_a_price_a_share():
    q = analyse("At what price did Jet Airways shares open on their first day of trading?")
    sentence = "It sold 17.2 million shares in a bid to raise up to $443m."
    assert pick_short_answer(sentence, typed_spans(sentence, 0, []), q.expected, q.text, [], q.targets) is None
    sentence = "The shares opened at 120p on Friday."
    assert pick_short_answer(sentence, typed_spans(sentence, 0, []), q.expected, q.text, [], q.targets).text == "120p"


def test_a_post_asked_by_its_verb_is_the_answer_noun():
    assert analyse("Who directed My Summer of Love?").answer_noun == "director"
    assert analyse("Who founded Microsoft?").answer_noun == "founder"
    assert analyse("Who headed the equaliser?").answer_noun is None  # a verb of other senses


def test_a_role_held_elsewhere_is_told_apart_only_when_asked_of_a_target():
    from qa.extract import roles_of_other

    sentence = '"The UK is in a two-tier economy again," said Prebon Yamane economist Lena Komileva.'
    name = _typed(sentence, "Lena Komileva", "PERSON")
    assert not roles_of_other(sentence, name, "which economist said the uk was back in a two-tier economy?", ["UK"])
    chelsea = "Chelsea manager Jose Mourinho praised the side."
    assert roles_of_other(chelsea, _typed(chelsea, "Jose Mourinho", "PERSON"), "who is the arsenal manager?", ["Arsenal"])


def test_a_title_before_the_target_is_no_answer_about_them():
    from qa.extract import titles_a_target

    sentence = "Veteran Labour MP and former Cabinet minister Jack Cunningham will stand down."
    assert titles_a_target(sentence, _typed(sentence, "Cabinet", "ORG"), ["Jack Cunningham"])
    q = analyse("Who was chosen to replace Jack Cunningham?")
    spans = [_typed(sentence, "Cabinet", "ORG")]
    assert pick_short_answer(sentence, spans, q.expected, q.text, [], q.targets) is None
    # asked for the organisation, the title says it
    chelsea = "Chelsea manager Jose Mourinho praised the side."
    q = analyse("Which club does Jose Mourinho manage?")
    assert pick_short_answer(chelsea, [_typed(chelsea, "Chelsea", "ORG")], q.expected, q.text, [], q.targets).text == "Chelsea"


def test_an_ellipsis_replaces_the_phrase_that_opens_like_it():
    brits = describe_turn("Which band won best British group at the Brits?", None, lambda name: None)
    assert resolve("What about best British album?", [brits]) == "Which band won best British album at the Brits?"
    assert resolve("What about best male?", [brits]) == "Which band won best male at the Brits?"
    assert resolve("And at the Grammys?", [brits]) == "Which band won best British group at the Grammys?"
    fee = describe_turn("How much did Chelsea pay for Drogba?", None, lambda name: None)
    assert resolve("And for Robben?", [fee]) == "How much did Chelsea pay for Robben?"
    assert resolve("What about in 2003?", [fee]) == "How much did Chelsea pay for Drogba in 2003?"


def test_a_whole_question_after_and_and_an_adverb_is_not_an_ellipsis():
    turn = describe_turn("Which US city does blogger Ramdhan Yadav Kotamaraja live in?", ("Dallas", "GPE"),
                         lambda name: "PERSON" if name.startswith("Ramdhan") else None)
    assert resolve("And roughly what proportion of the donations on his site came from strangers?", [turn]) == \
        "What proportion of the donations on Ramdhan Yadav Kotamaraja's site came from strangers?"


def test_a_name_with_a_number_is_no_repeat_of_the_question():
    q = analyse("Which channel did Alastair Campbell present interview programmes for?")
    sentence = "He presented a number of interview programmes for Channel 4."
    assert pick_short_answer(sentence, [_typed(sentence, "Channel 4", "ORG")], q.expected, q.text, [], q.targets).text == "Channel 4"
    assert analyse("Which Labour seat is Ed Balls standing to defend?").expected[0] == "GPE"


def test_a_figure_for_another_place_is_no_answer_for_the_country_asked():
    q = analyse("How many cars did BMW sell in China in 2004?")
    sentence = "BMW sold nearly 95,000 cars in Asia last year, up 2.6% on 2003."
    spans = typed_spans(sentence, 0, []) + [_typed(sentence, "Asia", "LOC")]
    assert pick_short_answer(sentence, spans, q.expected, q.text, [], q.targets, q.answer_noun) is None
    sentence = "BMW sold nearly 95,000 cars in China last year."
    spans = typed_spans(sentence, 0, []) + [_typed(sentence, "China", "GPE")]
    assert pick_short_answer(sentence, spans, q.expected, q.text, [], q.targets, q.answer_noun).text == "95,000"


def test_beside_its_noun_yields_to_a_sentence_stating_far_more_of_the_question():
    from qa.answer import _choose

    fourth = "Rock band U2's latest album How to Dismantle an Atomic Bomb came fourth."
    second = "Keane's Hope and Fears came in second place, behind A Grand Don't Come for Free, in the Q magazine poll."
    beside = _row(0.81, "q", fourth, _typed(fourth, "How to Dismantle an Atomic Bomb", "PRODUCT"), beside=True)
    stating = _row(0.80, "q", second, _typed(second, "Hope and Fears", "WORK_OF_ART"))
    analysis = analyse("Which album came second behind The Streets in Q magazine's album of the year poll?")
    assert _choose([beside, stating], analysis) is stating
    # two asked words fewer are no reason to give up the answer beside its noun
    nearly = "A Grand Don't Come for Free beat Keane's Hope and Fears in the poll."
    assert _choose([beside, _row(0.80, "q", nearly, _typed(nearly, "Hope and Fears", "WORK_OF_ART"))], analysis) is beside


def test_the_place_right_after_a_figure_is_the_place_it_is_for():
    from qa.extract import figure_elsewhere

    sentence = "Apple expects the Mac mini to sell for £339 in the UK and $499 in the US."
    spans = [_typed(sentence, "£339", "MONEY"), _typed(sentence, "UK", "GPE"), _typed(sentence, "$499", "MONEY"),
             _typed(sentence, "US", "GPE")]
    assert not figure_elsewhere(sentence, spans[0], spans, ["Apple", "Mac", "UK"])
    assert figure_elsewhere(sentence, spans[2], spans, ["Apple", "Mac", "UK"])
    assert not figure_elsewhere(sentence, spans[2], spans, ["Apple", "Mac"])  # no country asked about


def test_a_sentence_denying_the_asked_verb_names_no_answer():
    from qa.extract import denies_asked

    question = "Which film won best picture at the Oscars?"
    asked = ["won", "best", "picture"]
    assert denies_asked("a poll to find the best film never to have won a best picture Oscar", asked, question)
    assert denies_asked("The Aviator did not win best picture.", asked, question)
    assert not denies_asked("Million Dollar Baby won best picture.", asked, question)
    assert not denies_asked("It is not the best picture of the year.", asked, question)  # no verb denied
    # a negated question asks for exactly that
    assert not denies_asked("The Aviator did not win best picture.", ["win"], "Which film did not win best picture?")


def test_what_about_a_name_no_one_quotes_changes_the_topic_not_the_speaker():
    turn = describe_turn("What did Bill Gates say about spyware?", None,
                         lambda name: "PERSON" if name == "Bill Gates" else None)
    quoted = {"Bill Gates", "Steve Ballmer"}.__contains__
    assert resolve("And what about Linux?", [turn], quoted) == "What did Bill Gates say about Linux?"
    assert resolve("What about Steve Ballmer?", [turn], quoted) == "What did Steve Ballmer say about spyware?"
    assert resolve("What about Steve Ballmer?", [turn]) == "What did Steve Ballmer say about spyware?"  # unknown: as before


def test_a_nominee_did_not_win():
    q = analyse("Who won best actress at the Oscars?")
    sentence = "Moreno is also nominated for best actress at the Oscars."
    spans = [_typed(sentence, "Moreno", "PERSON"), _typed(sentence, "Oscars", "EVENT")]
    assert pick_short_answer(sentence, spans, q.expected, q.text, [], q.targets) is None
    sentence = "Hilary Swank picked up her second best actress Oscar, having been nominated twice before."
    spans = [_typed(sentence, "Hilary Swank", "PERSON")]
    assert pick_short_answer(sentence, spans, q.expected, q.text, [], q.targets).text == "Hilary Swank"
    # asked who was nominated, a nominee answers
    q = analyse("Who was nominated for best actress?")
    sentence = "Moreno is also nominated for best actress at the Oscars."
    assert pick_short_answer(sentence, [_typed(sentence, "Moreno", "PERSON")], q.expected, q.text, [], q.targets).text == "Moreno"


def test_the_subject_agent_and_object_of_an_asked_verb():
    from qa.extract import agent_of_asked, object_of_asked, subject_of_asked

    sentence = "It was carried out by husband and wife economist team Jim and Margaret Cuthbert."
    assert agent_of_asked(sentence, _span(sentence, "Jim"), ["carried", "research"])  # past a description
    q = "Who represented the reggae industry in the deal with gay rights groups?"
    asked = ["represented", "reggae", "industry", "deal", "gay", "rights", "groups"]
    sentence = "The deal was backed by media and PR strategist Glen Yearwood, who is representing the reggae industry."
    assert subject_of_asked(sentence, _span(sentence, "Glen Yearwood"), asked, q)
    # the verb done to something the question does not ask about
    q = "Who won the best Irish female award at the Meteor Awards?"
    sentence = "Westlife won the award for best Irish pop act, voted for by the public."
    assert not subject_of_asked(sentence, _span(sentence, "Westlife", "ORG"), ["won", "best", "irish", "female", "award"], q)
    sentence = "Drogba scored the winner in the 80th minute."
    assert subject_of_asked(sentence, _span(sentence, "Drogba"), ["scored", "winner"], "Who scored Chelsea's winner?")
    assert not subject_of_asked(sentence, _span(sentence, "Drogba"), ["scored", "winner"], "Who did Drogba beat?")
    # the object, when the question names the subject
    sentence = "Hanks will play Robert Langdon, who is trying to solve a murder."
    q = "Which character will Tom Hanks play in the film of The Da Vinci Code?"
    assert object_of_asked(sentence, _span(sentence, "Robert Langdon"), ["play", "film"], q, ["Tom Hanks", "Da Vinci Code"])
    assert not object_of_asked(sentence, _span(sentence, "Robert Langdon"), ["play"], "Who beat Tom Hanks?", ["Tom Hanks"])
    sentence = "Tautou will play Robert Langdon's partner."
    assert not object_of_asked(sentence, _span(sentence, "Robert Langdon"), ["play"], q, ["Tom Hanks"])  # another's part


def test_a_character_a_judge_and_a_chair_are_people():
    q = analyse("Which character did Anna Keaveney play in Brookside?")
    assert (q.expected, q.answer_noun) == (["PERSON"], "character")
    sentence = "Keaveney, who played Brookside's Marie Jackson when the soap began in 1982, died on Saturday."
    spans = [_typed(sentence, "Keaveney", "PERSON"), _typed(sentence, "Marie Jackson", "PERSON")]
    assert pick_short_answer(sentence, spans, q.expected, q.text, [0], q.targets, q.answer_noun).text == "Marie Jackson"
    # "a share of profits" asks for no price a share, and a capitalised title is no longer name
    q = analyse("Which judge ruled that Stan Lee was owed a share of Marvel's profits?")
    sentence = "US District Court Judge Robert W Sweet ruled Lee should get a tenth of profits."
    spans = [_typed(sentence, "Robert W Sweet", "PERSON"), _typed(sentence, "Lee", "PERSON")]
    assert pick_short_answer(sentence, spans, q.expected, q.text, [0], q.targets, q.answer_noun).text == "Robert W Sweet"
    from qa.extract import named_after_noun, noun_positions

    assert [s.text for s in named_after_noun(sentence, "judge", "PERSON")] == ["Robert W Sweet"]
    assert noun_positions("said Hugh Morgan Williams, chair of the CBI's SME Council", "chairman")
    assert analyse("Who is the lawyer representing Kostas Kenteris in his fight?").answer_noun == "lawyer"
    assert analyse("Who is the favourite winning the race?").answer_noun is None
    assert "ORG" in analyse("Which satellite radio service is Howard Stern moving to?").expected


def test_a_figure_of_another_kind_in_the_accounts():
    from qa.extract import qualified_otherwise

    q = "What operating profit did Ericsson make in the last three months of 2004?"
    assert qualified_otherwise("For the whole of 2004, Ericsson returned a net profit of 19bn kronor.", q)
    assert not qualified_otherwise("Operating profit in the three months to 31 December was 9.5bn kronor.", q)
    assert not qualified_otherwise("Ericsson made a profit of 9.5bn kronor.", q)  # no other kind named
    assert not qualified_otherwise("Its network profit was 9.5bn kronor.", "What net profit did it make?")  # a word, not "net"


def test_it_after_a_verb_of_saying_is_what_the_last_question_asked_was_said():
    label = {"Greenspan": "PERSON", "US": "GPE", "Sony": "ORG"}.get
    turn = describe_turn("What did Greenspan say about the US economy?", ("Alan Greenspan", "PERSON"), label)
    assert resolve("When did he say it?", [turn]) == "When did Greenspan say that about the US economy?"
    turn = describe_turn("What did Greenspan say?", None, label)
    assert resolve("Why did he say it?", [turn]) == "Why did Greenspan say that?"
    # the last question asked no one's words: "it" is its subject as before
    turn = describe_turn("Which company makes the PSP?", ("Sony", "ORG"), label)
    assert resolve("When did it say so?", [turn]) == "When did Sony say so?"
    assert "that" not in resolve("Who said it?", [turn])


def test_it_in_a_price_question_is_the_thing_sold_not_the_company_answered():
    label = {"Sony": "ORG", "PSP": "PRODUCT", "Japan": "GPE"}.get
    turn = describe_turn("Which company makes the PSP?", ("Sony", "ORG"), label)
    assert resolve("How much does it cost in Japan?", [turn]) == "How much does PSP cost in Japan?"
    assert resolve("What does it sell for?", [turn]) == "What does PSP sell for?"
    assert resolve("When was it founded?", [turn]) == "When was Sony founded?"  # not a price: the company
    # the index may know "PSP" as an organisation: what the company answered makes is still the thing sold
    turn = describe_turn("Which company makes the PSP?", ("Sony", "ORG"), lambda name: "ORG")
    assert resolve("How much does it cost in Japan?", [turn]) == "How much does PSP cost in Japan?"
    turn = describe_turn("What did Sony launch in Japan?", ("PSP", "PRODUCT"), label)
    assert resolve("How much does it cost?", [turn]) == "How much does PSP cost?"  # the answer, not the place
    # a date answered is no thing sold: "its" stays the subject's
    turn = describe_turn("When did Nintendo's DS go on sale in the US?", ("2 December", "DATE"),
                         {"Nintendo": "ORG", "DS": "ORG", "US": "GPE"}.get)
    assert resolve("And what was its price there?", [turn]) == "What was Nintendo's price in the US?"


def test_it_as_the_object_the_last_question_gave_the_same_verb():
    turn = describe_turn("Who made Britain's first mobile phone call?", ("Ernie Wise", "PERSON"),
                         lambda name: {"Ernie Wise": "PERSON", "Britain": "GPE"}.get(name))
    assert resolve("Where was he when he made it?", [turn]) == "Where was Ernie Wise when he made Britain's first mobile phone call?"
    # no verb shared: "it" is the subject as before
    turn = describe_turn("Which company makes the PSP?", ("Sony", "ORG"), lambda name: "ORG")
    assert resolve("When was it founded?", [turn]) == "When was Sony founded?"
    # "How long had it been since…" points at nothing
    turn = Turn(question="Which Arsenal defender scored the only goal?", person="Sol Campbell", subject="Portsmouth",
                things=["Portsmouth"])
    assert resolve("How long had it been since his previous goal?", [turn]) == \
        "How long had it been since Sol Campbell's previous goal?"


def test_no_one_is_named_after_the():
    turn = describe_turn("Which director is Tom Hanks teaming up with for the film of The Da Vinci Code?",
                         ("Ron Howard", "PERSON"), lambda name: "PERSON")
    assert turn.subject == "Da Vinci Code" and "Da Vinci Code" not in turn.people


def test_a_shadow_or_deputy_post_is_another_post():
    q = analyse("Who is the home secretary facing a Labour backbench rebellion over the ID cards bill?")
    assert q.answer_noun == "secretary"
    sentence = 'He was confident shadow home secretary Mr Davis would "set out the position very clearly".'
    spans = [_typed(sentence, "Davis", "PERSON")]
    assert pick_short_answer(sentence, spans, q.expected, q.text, [0], q.targets, q.answer_noun) is None
    q = analyse("Who is the shadow home secretary?")
    assert pick_short_answer(sentence, spans, q.expected, q.text, [0], q.targets, q.answer_noun).text == "Davis"
    # asked for no post, a shadow minister may be the one who did it
    q = analyse("Who said the ID cards plan would set out the position?")
    assert pick_short_answer(sentence, spans, q.expected, q.text, [0], q.targets, q.answer_noun).text == "Davis"


def test_figures_as_reported_not_converted_dated_or_of_another():
    q = analyse("How much is General Motors paying Fiat to get out of the deal?")
    sentence = "General Motors is to pay Fiat 1.55bn euros ($2bn; £1.1bn) to get out of a deal."
    spans = [_typed(sentence, "1.55bn euros", "MONEY"), _typed(sentence, "$2bn", "MONEY"), _typed(sentence, "£1.1bn", "MONEY")]
    assert pick_short_answer(sentence, spans, q.expected, q.text, [sentence.index("deal")], q.targets,
                             asked=["paying", "get", "out", "deal"]).text == "1.55bn euros"
    # a prison term is no age; a time ago is no length
    q = analyse("How old is Joshua Bewlay?")
    sentence = "He admitted one felony count and faces up to four years in prison."
    assert pick_short_answer(sentence, [_typed(sentence, "up to four years", "DATE")], q.expected, q.text, [0], q.targets) is None
    sentence = "Bewlay, 45, admitted one felony count."
    assert pick_short_answer(sentence, [_typed(sentence, "45", "DATE")], q.expected, q.text, [0], q.targets).text == "45"
    q = analyse("How many years is Carlos Tevez's contract with Corinthians?")
    sentence = "Some 65 years ago Bernardo Gandulla left Boca Juniors for Brazil."
    assert pick_short_answer(sentence, [_typed(sentence, "65", "CARDINAL")], q.expected, q.text, [0], q.targets,
                             q.answer_noun, noun_required=True) is None
    # a part of what was just counted
    q = analyse("Of the roughly 25 million portable music players sold in 2004, how many were iPods?")
    sentence = "During 2004 about 25 million portable players were sold, 10 million of which were Apple iPods."
    spans = [_typed(sentence, "about 25 million", "CARDINAL"), _typed(sentence, "10 million", "CARDINAL")]
    assert pick_short_answer(sentence, spans, q.expected, q.text, [0], q.targets, q.answer_noun,
                             noun_required=True).text == "10 million"
    # a star named in an aside on the film does not take the film's takings
    q = analyse("How much did A Series of Unfortunate Events take in its opening weekend?")
    sentence = "A Series of Unfortunate Events, starring Jim Carrey, took $30.2m (£15.5m) in its debut weekend."
    spans = [_typed(sentence, "Jim Carrey", "PERSON"), _typed(sentence, "$30.2m", "MONEY")]
    assert pick_short_answer(sentence, spans, q.expected, q.text, [0], q.targets).text == "$30.2m"
    q2 = analyse("What distance did Jade Johnson jump to win the AAAs long jump title?")
    sentence = "The AAAs pole vault title went to Ashley Swain, who climbed to a season's best of 5.25m."
    spans = [_typed(sentence, "Ashley Swain", "PERSON"), _typed(sentence, "5.25m", "QUANTITY")]
    assert pick_short_answer(sentence, spans, q2.expected, q2.text, [0], q2.targets) is None  # hers, in a clause of her own
    sentence = "The film did well, and Jim Carrey took $30.2m for it."  # his fee, not the film's takings
    spans = [_typed(sentence, "Jim Carrey", "PERSON"), _typed(sentence, "$30.2m", "MONEY")]
    assert pick_short_answer(sentence, spans, q.expected, q.text, [0], q.targets) is None


def test_the_place_an_asked_verb_happened_in():
    from qa.answer import _beside

    q = analyse("In which town was rap mogul Suge Knight arrested for breaking his parole?")
    sentence = "He was arrested in Barstow, California, on Saturday."
    assert _beside(sentence, _typed(sentence, "Barstow", "GPE"), q, ["arrested", "parole"], None)
    q2 = analyse("Where is the Hindu temple at which Charles Kennedy is due to address 2,000 people?")
    sentence = 'Mr Kennedy is to tell the audience: "Many people in Britain, of all races, feel let down."'
    assert not _beside(sentence, _typed(sentence, "Britain", "GPE"), q2, ["hindu", "temple", "address", "people"], None)
    sentence = "He was jailed after a fight hours before Tupac Shakur was killed in Las Vegas."
    assert not _beside(sentence, _typed(sentence, "Las Vegas", "GPE"), q, ["arrested", "parole"], None)


def test_a_name_opening_a_clause_on_the_noun_is_no_title():
    from qa.extract import named_after_noun

    assert not named_after_noun("Angels is the song Britons would most like played at their funeral.", "song", "PRODUCT")
    assert [s.text for s in named_after_noun("Europeans favoured the song Bohemian Rhapsody as their choice.", "song",
                                             "PRODUCT")] == ["Bohemian Rhapsody"]
    # (an event is not typed: in sport it is a distance or a discipline, "Which event did McIlroy win?")


def test_where_in_a_town_is_no_country():
    q = analyse("Where in Glasgow could a super-casino be built?")
    sentence = "Ministers will have the final say on whether a super-casino will be built in Scotland."
    assert pick_short_answer(sentence, [_typed(sentence, "Scotland", "GPE")], q.expected, q.text, [0], q.targets) is None
    q = analyse("Where in Europe did the tour begin?")
    sentence = "The tour began in France."
    assert pick_short_answer(sentence, [_typed(sentence, "France", "GPE")], q.expected, q.text, [0], q.targets).text == "France"


def test_days_alone_date_nothing():
    q = analyse("When was the Ferrari listing announced?")
    sentence = "Under the proposals - which could be announced within days - Ferrari could be listed separately."
    assert pick_short_answer(sentence, [_typed(sentence, "days", "DATE")], q.expected, q.text, [0], q.targets) is None
    sentence = "The listing was announced on 5 January, days after the deal."
    spans = [_typed(sentence, "5 January", "DATE"), _typed(sentence, "days", "DATE")]
    assert pick_short_answer(sentence, spans, q.expected, q.text, [0], q.targets).text == "5 January"


def test_an_age_tagged_as_a_date_dates_nothing():
    sentence = "Mr Greenspan, 79, who has been in the UK to attend the G7 meeting in London, spoke on Friday."
    spans = [_typed(sentence, "79", "DATE"), _typed(sentence, "Friday", "DATE")]
    q = analyse("When did Alan Greenspan speak?")
    assert pick_short_answer(sentence, spans, q.expected, q.text, [0], q.targets).text == "Friday"
    assert pick_short_answer(sentence, spans[:1], q.expected, q.text, [0], q.targets) is None
    q = analyse("How old is Alan Greenspan?")
    assert pick_short_answer(sentence, spans[:1], q.expected, q.text, [0], q.targets).text == "79"


def test_who_did_it_is_not_answered_by_who_spoke():
    from qa.answer import asked_deed

    assert asked_deed(analyse("Who wrote the Bofra virus?")) == "wrote"
    assert asked_deed(analyse("Who heads the FSMTC?")) is None  # a post, answered by "FSMTC head…"
    assert asked_deed(analyse("Who did Arsenal beat?")) is None
    assert asked_deed(analyse("Who is the chairman of the BBC?")) is None
    from qa.answer import _speaker_only

    sentence = "Finnish anti-virus firm F-Secure said it had not seen many copies of the Bofra virus."
    assert _speaker_only(sentence, _typed(sentence, "F-Secure", "ORG"))
    sentence = '"Britain needs a new band," declared Kasabian\'s Tom Meighan.'
    assert _speaker_only(sentence, _typed(sentence, "Tom Meighan", "PERSON"))
    sentence = "Howl's Moving Castle is based on a children's novel by UK author Diana Wynne Jones."
    assert not _speaker_only(sentence, _typed(sentence, "Diana Wynne Jones", "PERSON"))  # "wrote" unsaid, yet the author
    base = dict(passage_cosine=0.6, sentence_cosine=0.5, target_coverage=1.0, typed=True, typed_found=True, targets=1)
    assert decide(Evidence(**base, deed_stated=False)).abstain
    assert not decide(Evidence(**base, deed_stated=True)).abstain


def test_which_nouns_for_people_and_bodies_and_the_name_asked_for():
    cases = {
        "For which think tank did Professor Amitai Etzioni write his report?": ("which", ["ORG"], "tank"),
        "What is the name of the instructor who sailed with Tony Blair?": ("which", ["PERSON"], "instructor"),
        "Which barrister represented the family?": ("which", ["PERSON"], "barrister"),
        "What is the real name of Motley Crue guitarist Mick Mars?": ("which", ["PERSON"], None),
    }
    for question, (kind, expected, noun) in cases.items():
        a = analyse(question)
        assert (a.type, a.expected, a.answer_noun) == (kind, expected, noun), question


def test_a_statement_is_ranked_with_the_sentence_leading_to_it():
    from types import SimpleNamespace

    from qa.statements import _with_lead_in

    text = 'First one here. The US let Khan go free, he says. "This is like letting a serial killer go," he says.'
    passage = SimpleNamespace(text=text, start=100)
    engine = SimpleNamespace(store=SimpleNamespace(passage=lambda passage_id: passage))

    def quote(words: str) -> SimpleNamespace:
        return SimpleNamespace(passage_id="p", start=100 + text.index(words), text=words)

    # a direct quote opening its sentence: the sentence before it, whole
    assert _with_lead_in(engine, quote("This is like")).startswith("The US let Khan go free, he says.")
    # a statement opening the second sentence: the first
    assert _with_lead_in(engine, quote("The US let")) == "First one here. The US let"
    # inside a sentence: the sentence before, then its own beginning
    passage.text = text = "Prices rose. Analysts at the bank say growth will slow."
    assert _with_lead_in(engine, quote("growth will slow")) == "Prices rose. Analysts at the bank say growth will slow"
    # opening the passage: alone
    assert _with_lead_in(engine, quote("Prices rose")) == "Prices rose"
