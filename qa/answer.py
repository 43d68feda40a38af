"""From retrieved passages to an answer: the best supporting sentence, cited verbatim.

Sentences of the top passages are scored by cosine to the question plus the share of the
question's content words they contain, with a small prior for the passage's rank. The answer
quotes the winning sentence and cites its exact span; when even the best passage is far from the
question, the answer says the sources don't say, and shows the closest passages.
"""

from __future__ import annotations

import time
from typing import TYPE_CHECKING

import numpy as np

from qa.models import Answer, Citation, RetrievalMode, RetrievedPassage, Timings
from qa.retrieve import content_terms, retrieve

if TYPE_CHECKING:
    from qa.engine import Engine

SENTENCE_POOL = 5  # passages whose sentences compete to be the answer
# Below this cosine between question and best passage, no passage is about the question.
ABSTAIN_COSINE = 0.15


def build_answer(engine: "Engine", question: str, history: list[str], mode: RetrievalMode, k: int) -> Answer:
    t0 = time.perf_counter()
    index = engine.index
    qvec = engine.embed_query(question)
    t1 = time.perf_counter()
    retrieved = retrieve(index, question, qvec if mode != "bm25" else None, mode, max(k, 10))
    t2 = time.perf_counter()
    answer = Answer(question=question, resolved_question=question, answer="", mode=mode, retrieved=retrieved)
    top = max((r.dense_score or 0.0 for r in retrieved[:SENTENCE_POOL]), default=0.0)
    if not retrieved or top < ABSTAIN_COSINE:
        _abstain(answer, "no passage in the sources is close to the question")
    else:
        # A heading is a label, not a statement: answers come from article text when there is any.
        pool = [r for r in retrieved if r.kind == "body"][:SENTENCE_POOL] or retrieved[:SENTENCE_POOL]
        citation = best_sentence(engine, question, qvec, pool)
        answer.citations = [citation]
        answer.answer = f"{citation.quote} [1]"
    answer.timings = Timings(analyse_ms=(t1 - t0) * 1000, retrieve_ms=(t2 - t1) * 1000,
                             answer_ms=(time.perf_counter() - t2) * 1000)
    return answer


def _abstain(answer: Answer, reason: str) -> None:
    answer.abstained = True
    answer.abstain_reason = reason
    answer.answer = f"The sources don't say. ({reason}; the closest passages are listed below.)"


def best_sentence(engine: "Engine", question: str, qvec: np.ndarray, passages: list[RetrievedPassage]) -> Citation:
    sentences = engine.store.sentences_of(p.passage_id for p in passages)
    candidates = []  # (passage rank index, passage, start-in-passage, end-in-passage)
    for i, p in enumerate(passages):
        for s in sentences.get(p.passage_id, []):
            candidates.append((i, p, s.start - p.doc_start, s.end - p.doc_start))
    if not candidates:
        p = passages[0]
        return Citation(doc_id=p.doc_id, passage_id=p.passage_id, text=p.text, start=0, end=len(p.text),
                        score=p.score, title=p.title, paragraph=p.paragraph, page=p.page, doc_start=p.doc_start)
    vecs = engine.embedder.encode([p.text[s:e] for _, p, s, e in candidates])
    terms = set(content_terms(question))
    best, best_score = candidates[0], -1e9
    for (rank, p, s, e), vec in zip(candidates, vecs):
        words = set(content_terms(p.text[s:e]))
        overlap = len(terms & words) / len(terms) if terms else 0.0
        score = float(np.dot(vec, qvec)) + 0.3 * overlap - 0.03 * rank
        if score > best_score:
            best, best_score = (rank, p, s, e), score
    _, p, s, e = best
    return Citation(doc_id=p.doc_id, passage_id=p.passage_id, text=p.text, start=s, end=e, score=round(best_score, 4),
                    title=p.title, paragraph=p.paragraph, page=p.page, doc_start=p.doc_start)
