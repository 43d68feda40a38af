"""Ranking passages for a question: dense (FAISS), lexical (FTS5 BM25) and their fusion.

Fusion is reciprocal rank fusion (Cormack, Clarke & Büttcher 2009): score(d) = sum over rankings
of 1 / (RRF_K + rank(d)). It needs no score calibration between the two retrievers, which is why
it beats score averaging when one side's scores are cosines and the other's are BM25 sums.
"""

from __future__ import annotations

import re

import numpy as np

from index import vectors
from index.layout import OpenIndex
from index.models import Passage
from qa.models import RetrievalMode, RetrievedPassage

# The paper's k = 60 flattens the lists: a passage first in BM25 by a wide margin (the only one
# naming "Auxerre") but absent from the dense list lost to passages middling in both. Over 321
# answerable BBC questions of ten sets (retrieval after target boosting, bench/fusion.py,
# docs/fusion.md): recall@5 0.882 at k = 60, 0.910 at 10; recall@1 0.517 and 0.533.
RRF_K = 10
# Furniture must never outrank article text, yet stay findable: a boilerplate passage keeps
# half its fused score, so it wins only when nothing in the articles is close.
KIND_WEIGHT = {"body": 1.0, "heading": 0.8, "boilerplate": 0.5}

STOPWORDS = frozenset(
    """a an the and or but if of to in on at by for with from as is are was were be been being it its this that
    these those there their them they he she his her him i you your we our us me my do does did done doing have has
    had having what which who whom whose when where why how whether not no yes so than too very can could will would
    shall should may might must about into over after before between during under again further then once all any
    both each few more most other some such only own same just also s t said say says tell told""".split()
)
_WORD = re.compile(r"\w+", re.UNICODE)


def content_terms(text: str) -> list[str]:
    """Lower-cased words of `text` that carry meaning, in order, without repeats."""
    seen: dict[str, None] = {}
    for w in _WORD.findall(text.lower()):
        if w not in STOPWORDS and (len(w) > 1 or w.isdigit()):
            seen.setdefault(w, None)
    return list(seen)


def stem(word: str) -> str:
    """A crude suffix strip so "sanction" meets "sanctions", "tested" meets "test", "studied"
    "study", "taxes" "tax", and "lives", "lived" and "living" meet "live" (a final e goes too).
    A few past tenses that are also other words' stems are mapped to their verbs first, so
    "found" (find) does not meet "founded"."""
    if word in _IRREGULAR_PAST:
        return _IRREGULAR_PAST[word]
    for suffix, repl in (("ies", "y"), ("ied", "y"), ("ing", ""), ("ed", ""), ("es", ""), ("s", "")):
        if suffix == "es" and not _SIBILANT_END.search(word[:-2]):
            continue  # "lives" is "live" plus s; "taxes", "matches" drop "es"
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            word = word[: -len(suffix)] + repl
            break
    return word[:-1] if word.endswith("e") and len(word) >= 4 else word


# Past tenses spelled like another verb's stem: "Who founded Microsoft?" had matched "as Microsoft
# found out". "wound" (wind) and "ground" (grind) are left alone: the nouns are far commoner.
_IRREGULAR_PAST = {"found": "find"}
_SIBILANT_END = re.compile(r"(?:s|x|z|ch|sh)$")


def stems(text: str) -> set[str]:
    return {stem(w) for w in content_terms(text)}


def fts_query(question: str, also: tuple[str, ...] = ()) -> str:
    """An FTS5 MATCH expression: any content term (and any of `also`), each quoted so no word is
    read as an operator."""
    terms = content_terms(question)
    terms += [t for t in content_terms(" ".join(also)) if t not in terms]
    return " OR ".join(f'"{t}"' for t in terms)


def rrf(rankings: list[list[int]], k: int = RRF_K) -> dict[int, float]:
    scores: dict[int, float] = {}
    for ranking in rankings:
        for rank, vec_id in enumerate(ranking, start=1):
            scores[vec_id] = scores.get(vec_id, 0.0) + 1.0 / (k + rank)
    return scores


def dense_cosines(index: OpenIndex, query_vec: np.ndarray, vec_ids: list[int]) -> dict[int, float]:
    """Cosine of the question to each given passage, from the stored vectors."""
    out = {}
    for vec_id in vec_ids:
        try:
            out[vec_id] = float(np.dot(index.vectors.reconstruct(int(vec_id)), query_vec))
        except RuntimeError:  # an index type that cannot reconstruct; leave the score unknown
            continue
    return out


# A follow-up usually asks about the story the conversation is on: passages of the documents that
# answered the last turn weigh this much more (1.5x moves a passage ranked about 60th in both
# lists up to about 20th).
FAVOUR = 0.5


def retrieve(index: OpenIndex, question: str, query_vec: np.ndarray | None, mode: RetrievalMode, k: int,
             favour: frozenset[str] = frozenset(), rrf_k: int = RRF_K,
             also: tuple[str, ...] = ()) -> list[RetrievedPassage]:
    """The k best passages for `question`, best first. `query_vec` is needed unless mode is bm25.
    Passages of the `favour` documents (doc ids) weigh 1 + FAVOUR times more. `also` are words
    the lexical search looks for beside the question's own. `rrf_k` is there for
    bench/fusion.py, which measures the choice of RRF_K."""
    pool = max(4 * k, 40)
    dense = vectors.search(index.vectors, query_vec, pool) if mode != "bm25" else []
    lexical = index.store.search_bm25(fts_query(question, also), pool) if mode != "dense" else []
    if mode == "dense":
        base = dict(dense)
    elif mode == "bm25":
        base = dict(lexical)
    else:
        base = rrf([[v for v, _ in dense], [v for v, _ in lexical]], rrf_k)
    passages = index.store.passages_by_vec_ids(list(base))
    scored = sorted(
        ((base[v] * KIND_WEIGHT.get(p.kind, 1.0) * (1 + FAVOUR * (p.doc_id in favour)), v, p)
         for v, p in passages.items()),
        key=lambda t: (-t[0], t[1]),
    )[:k]
    cosines = dict(dense)
    if query_vec is not None:
        missing = [v for _, v, _ in scored if v not in cosines]
        cosines.update(dense_cosines(index, query_vec, missing))
    bm25 = dict(lexical)
    titles = index.store.titles(p.doc_id for _, _, p in scored)
    return [
        _retrieved(p, score, rank, titles.get(p.doc_id, ""), cosines.get(v), bm25.get(v))
        for rank, (score, v, p) in enumerate(scored, start=1)
    ]


def _retrieved(p: Passage, score: float, rank: int, title: str, cosine: float | None, bm25: float | None) -> RetrievedPassage:
    return RetrievedPassage(
        doc_id=p.doc_id, passage_id=p.id, text=p.text, score=round(score, 6), rank=rank, title=title,
        paragraph=p.paragraph, kind=p.kind, page=p.page, doc_start=p.start, dense_score=cosine, bm25_score=bm25,
    )
