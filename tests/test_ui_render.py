"""Pure rendering of the app: answers, sources in context, exports; every source text escaped."""

from __future__ import annotations

from datetime import datetime

from index.models import Document
from qa.models import Answer, Citation, RetrievedPassage, Statement
from ui.export import conversation_markdown
from ui.render import answer_text_html, conversation_html, shown_in, turn_html
from ui.source_view import SourceTarget, chips_html, context_html, source_html, target_of

XSS = '<script>window.__xss=1</script> and <img src=x onerror="window.__xss=2">'
PARAS = ["Harbour report.", f"The commission said {XSS} was found.", "Officials declined to comment.", "Fourth.", "Fifth.", "Sixth."]
DOC_TEXT = "\n\n".join(PARAS)


def _doc() -> Document:
    return Document(id="d1", title="Port <b>news</b>", author="A. Writer", date="2024-03-01", source="/x/port.txt", text=DOC_TEXT)


def _citation(number: int = 1) -> Citation:
    text = PARAS[1]
    start = text.index("<script>")
    return Citation(number=number, doc_id="d1", passage_id="d1-p0001", text=text, start=start, end=len(text) - 1,
                    title="Port <b>news</b>", paragraph=2, doc_start=DOC_TEXT.index(text))


def _answer(**kw) -> Answer:
    base = dict(question="What did the <i>commission</i> say?", resolved_question="What did the <i>commission</i> say?",
                answer=f"They said {XSS} [1] and more [7].", citations=[_citation()])
    return Answer(**{**base, **kw})


def _retrieved() -> RetrievedPassage:
    return RetrievedPassage(doc_id="d1", passage_id="d1-p0001", text=PARAS[1], score=0.4, title="Port", paragraph=2,
                            doc_start=DOC_TEXT.index(PARAS[1]))


def assert_inert(html: str) -> None:
    """No tag or attribute from a source survives: only escaped text."""
    for live in ("<script", "<img", "<b>", "<i>", 'onerror="'):
        assert live not in html, live


def test_turn_escapes_question_answer_quote_and_title():
    html = turn_html(_answer(), 0)
    assert_inert(html)
    assert "&lt;script&gt;window.__xss=1&lt;/script&gt;" in html
    assert "&lt;img src=x onerror=&quot;window.__xss=2&quot;&gt;" in html
    assert "Port &lt;b&gt;news&lt;/b&gt;" in html


def test_markers_become_buttons_and_unknown_markers_are_dropped():
    html = answer_text_html(_answer(), 3)
    assert 'data-turn="3" data-key="c1"' in html and ">[1]</button>" in html
    assert "[7]" not in html  # no citation 7: stripped, never shown


def test_resolved_question_shown_only_for_follow_ups():
    assert "Understood as" not in turn_html(_answer(), 0)
    follow = turn_html(_answer(question="And <he>?", resolved_question="What did <Chemezov> say?"), 1)
    assert "Understood as" in follow and "&lt;Chemezov&gt;" in follow


def test_abstention_is_styled_and_shows_closest_passages():
    html = turn_html(_answer(abstained=True, abstain_reason="Nothing on <that>.", citations=[], answer="", retrieved=[_retrieved()]), 0)
    assert "qa-abstained" in html and "No answer in your sources" in html
    assert "Nothing on &lt;that&gt;." in html
    assert 'data-key="r0"' in html
    assert_inert(html)


def test_statements_render_direct_and_reported_with_their_citations():
    statements = [Statement(speaker="Jo Bloggs", surface="the <chair>", text=XSS, direct=True, cue="said", citation=_citation(1)),
                  Statement(speaker="Jo Bloggs", surface="Bloggs", text="it was fine", direct=False, citation=_citation(5))]
    html = turn_html(_answer(statements=statements), 0)
    assert "qa-direct" in html and "qa-reported" in html
    # Statement 0 cites [1], which the answer lists; statement 1's citation is not listed, so it links by itself.
    assert 'data-key="c1"' in html and 'data-key="s1"' in html
    assert "the &lt;chair&gt;" in html
    assert_inert(html)


def test_quote_not_repeated_when_the_answer_already_says_it():
    assert shown_in("Now we are working, said X.", "“Now we are working,” said X. [1]")
    assert not shown_in("Something else entirely", "Now we are working")
    html = turn_html(_answer(answer=f"“{_citation().quote}” [1]"), 0)
    assert "qa-quote" not in html  # the blockquote would only repeat the answer


def test_empty_chat_offers_examples_escaped():
    html = conversation_html([], ["What did <b>X</b> say?"])
    assert 'data-example="What did &lt;b&gt;X&lt;/b&gt; say?"' in html
    assert "qa-turn" not in html


def test_target_of_resolves_keys_and_rejects_bad_ones():
    answer = _answer(retrieved=[_retrieved()])
    assert target_of(answer, "c1").passage_id == "d1-p0001"
    assert target_of(answer, "r0").start == target_of(answer, "r0").end == 0  # nothing to mark in a merely retrieved passage
    for bad in ("c2", "s0", "r5", "x1", "c", "c-1", ""):
        assert target_of(answer, bad) is None


def test_context_marks_the_exact_span_with_paragraph_numbers():
    target = target_of(_answer(), "c1")
    html = context_html(_doc(), target, radius=1)
    marked = html.split('<mark class="qa-cited">')[1].split("</mark>")[0]
    assert marked == "&lt;script&gt;window.__xss=1&lt;/script&gt; and &lt;img src=x onerror=&quot;window.__xss=2&quot;&gt; was found"
    context = html.split("<details")[0]  # the whole document follows, folded away
    assert "¶ 1" in context and "¶ 2" in context and "¶ 3" in context and "¶ 4" not in context
    assert "qa-para-cited" in html
    assert_inert(html)


def test_context_falls_back_to_the_passage_when_the_document_changed():
    target = target_of(_answer(), "c1").model_copy(update={"doc_start": 3})
    html = context_html(_doc(), target)
    assert "qa-cited" in html and "¶" not in html


def test_source_panel_metadata_and_missing_document():
    target = target_of(_answer(), "c1")
    html = source_html(target, _doc())
    assert "A. Writer · 2024-03-01 · ¶ 2" in html
    assert "Port &lt;b&gt;news&lt;/b&gt;" in html
    gone = source_html(target, None)
    assert "no longer in the index" in gone and "qa-cited" in gone
    assert "Click a citation" in source_html(None, None)


def test_chips_mark_the_active_citation():
    html = chips_html(_answer(citations=[_citation(1), _citation(2)]), 0, "c2")
    assert html.count('class="qa-ref qa-chip') == 2
    assert 'qa-active" data-turn="0" data-key="c2"' in html


def test_source_target_model_round_trip():
    target = SourceTarget(label="[1]", doc_id="d", passage_id="p", text="abc", start=1, end=2)
    assert target.model_copy().text[target.start:target.end] == "b"


def test_markdown_export_has_citations_and_escapes_html():
    md = conversation_markdown([_answer(), _answer(abstained=True, citations=[], answer="", retrieved=[_retrieved()])],
                               "idx", now=datetime(2024, 5, 1, 9, 30))
    assert md.startswith("# Sourceqa conversation")
    assert "*Exported 2024-05-01 09:30*" in md
    assert "## 1. What did the &lt;i&gt;commission&lt;/i&gt; say?" in md
    assert "1. Port &lt;b&gt;news&lt;/b&gt; · ¶\u00a02 (`d1` / `d1-p0001`)" in md
    assert "> &lt;script&gt;" in md and "<script" not in md and "<img" not in md
    assert "**No answer in the sources.**" in md and "Closest passages:" in md


def test_markdown_export_of_an_empty_conversation():
    assert "(No questions asked yet.)" in conversation_markdown([])
