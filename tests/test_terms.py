"""Finding a question's asked words in evidence: stems, shared prefixes, close word vectors."""

from __future__ import annotations

import numpy as np

from qa.analyze import analyse
from qa.extract import month_agreement
from qa.terms import TermMatcher, asked_words, literal_found


def test_asked_words_leave_out_names_answer_noun_and_kind():
    a = analyse("How much money did former MI6 spy Viktor Makarov get when he settled his legal action?")
    words = asked_words(a)
    assert "settled" in words and "legal" in words
    assert not {"viktor", "makarov", "money", "much"} & set(words)
    assert "score" not in asked_words(analyse("What was the score when Wales beat England?"))


def test_literal_found_by_stem_and_shared_prefix():
    assert literal_found(["settled", "legal"], "despite a £65,000 settlement four years ago") == {"settled"}
    assert literal_found(["tested"], "the tests were run") == {"tested"}
    assert literal_found(["art"], "the party started") == set()  # short stems need a whole match
    # a final e and a plain s: "live" meets "lives" and "living", "game" "games"; "taxes" is "tax"
    assert literal_found(["live"], "party leader Nick Griffin - who lives near Welshpool") == {"live"}
    assert literal_found(["game", "tax"], "two games, and higher taxes") == {"game", "tax"}


def test_term_matcher_adds_close_word_vectors_and_caches_them():
    table = {"clash": [1.0, 0.0], "match": [0.8, 0.6], "court": [0.0, 1.0]}
    calls = []

    def encode(words):
        calls.append(list(words))
        return np.array([table.get(w, [0.0, 0.0]) for w in words], dtype=np.float32)

    matcher = TermMatcher(encode)
    assert matcher.found(["clash"], "a tough match") == {"clash"}  # cosine 0.8
    assert matcher.found(["clash"], "on the court") == set()  # cosine 0.0
    assert matcher.found(["clash"], "a match on the court") == {"clash"}
    assert len(calls) == 2 and all("clash" not in c for c in calls[1:])  # cached after the first question


def test_term_matcher_never_takes_an_opposite_or_another_figure_for_the_word_asked():
    # the real model puts these as close as paraphrases: men/women 0.72, "000m"/"800m" 0.79
    table = {"men": [1.0, 0.0], "women": [0.9, 0.44], "chaps": [0.8, 0.6], "000m": [0.0, 1.0], "800m": [0.0, 1.0]}
    matcher = TermMatcher(lambda words: np.array([table.get(w, [0.0, 0.0]) for w in words], dtype=np.float32))
    assert matcher.found(["men"], "the women's race") == set()
    assert matcher.found(["men"], "the chaps' race") == {"men"}  # cosine 0.8, no opposite
    assert matcher.found(["000m"], "the 800m race") == set()  # figures match as written only


def test_literal_found_knows_news_paraphrases_and_irregular_forms():
    assert literal_found(["beat"], "Johansson won his second title with a 7-5 6-3 win") == {"beat"}
    assert literal_found(["bid"], "the offer values the firm at £1bn") == {"bid"}
    assert literal_found(["buy"], "it bought the unit last year") == {"buy"}
    assert literal_found(["beat"], "the match was postponed") == set()
    assert literal_found(["died"], "more than 23,000 people have been killed") == {"died"}
    assert literal_found(["largest", "creditor"], "it listed its biggest creditor as Kraft") == {"largest", "creditor"}


def test_a_word_in_two_paraphrase_groups_stands_for_both():
    assert literal_found(["defeated"], "they won the final") == {"defeated"}
    assert literal_found(["defeated"], "a heavy loss at home") == {"defeated"}


def test_words_describing_a_name_are_not_asked_words():
    from qa.terms import descriptors

    q = analyse("What is the date of birth of former KGB officer Viktor Makarov?")
    assert descriptors(q.text, q.targets) == {"former", "officer"}
    assert asked_words(q) == ["birth"]
    beat = analyse("What was the score when Joachim Johansson beat Taylor Dent?")
    assert "beat" in asked_words(beat)  # a verb before a name is what is asked


def test_a_sentence_dated_in_other_months_only_speaks_of_another_period():
    q = "How many new mortgage approvals did the Bank report for December, up from November's low?"
    assert month_agreement(q, "48,000 fewer mortgages were approved in January than a year before.") == -1
    assert month_agreement(q, "New loans in December rose to 83,000.") == 0
    assert month_agreement(q, "Approvals rose to 83,000.") == 0  # undated: no telling
    assert month_agreement("How many loans were approved?", "in January") == 0  # no month asked
    assert month_agreement("What may happen in June?", "It may rain in May.") == 0  # "May" is not read: often the verb
