"""Typed records the question-answering layer returns: retrieved passages, citations, answers.

Field names of `Citation`, `RetrievedPassage` and `Answer` follow the predictions format of
DESIGN.md (other tools read them): `answer`, `abstained`, `citations[].{doc_id, passage_id, text,
start, end}`, `retrieved[].{doc_id, passage_id, text, score}`, `latency_ms`.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, Field, model_validator

RetrievalMode = Literal["dense", "bm25", "hybrid"]


class RetrievedPassage(BaseModel):
    """A passage as ranked by retrieval, with what is needed to show it in context."""

    doc_id: str
    passage_id: str
    text: str = Field(description="The whole passage text.")
    score: float = Field(description="Fused relevance score; higher is better. Comparable within one ranking only.")
    rank: int = Field(default=0, description="1-based rank in this ranking.")
    title: str = ""
    paragraph: int = 0
    kind: str = "body"
    page: int | None = None
    doc_start: int = Field(default=0, description="Offset of the passage in its document text.")
    dense_score: float | None = Field(default=None, description="Cosine similarity to the question, if dense retrieval ran.")
    bm25_score: float | None = Field(default=None, description="BM25 score (higher is better), if lexical retrieval ran.")


class Citation(BaseModel):
    """A cited passage and the exact span inside it that supports the answer."""

    number: int = Field(default=1, description="The [n] the answer text uses for this citation.")
    doc_id: str
    passage_id: str
    text: str = Field(description="The whole passage text.")
    start: int = Field(description="Start of the cited span inside `text`.")
    end: int = Field(description="End of the cited span inside `text` (exclusive).")
    quote: str = Field(default="", description="text[start:end], the verbatim cited words.")
    score: float = 0.0
    title: str = ""
    paragraph: int = 0
    page: int | None = None
    doc_start: int = Field(default=0, description="Offset of the passage in its document text.")

    @model_validator(mode="after")
    def _span_is_verbatim(self) -> "Citation":
        if not (0 <= self.start <= self.end <= len(self.text)):
            raise ValueError(f"citation span {self.start}-{self.end} lies outside its passage of {len(self.text)} chars")
        span = self.text[self.start : self.end]
        if self.quote and self.quote != span:
            raise ValueError("citation quote is not the verbatim span of its passage")
        self.quote = span
        return self


class Statement(BaseModel):
    """A quote-index statement as shown to a user: who said what, where."""

    speaker: str
    surface: str
    text: str
    direct: bool
    cue: str = ""
    citation: Citation


class Timings(BaseModel):
    analyse_ms: float = 0.0
    retrieve_ms: float = 0.0
    answer_ms: float = 0.0


class Answer(BaseModel):
    """What `qa ask` returns: the answer text, whether it abstained, and everything it rests on."""

    question: str
    resolved_question: str = Field(description="The question after follow-up resolution against earlier turns.")
    answer: str = Field(description="The answer text, with [n] markers pointing at citations.")
    short_answer: str | None = Field(default=None, description="A short direct answer (date, amount, name) when the question type allows.")
    short_answer_label: str | None = Field(default=None, description="The short answer's entity type (PERSON, ORG, DATE…).")
    abstained: bool = False
    abstain_reason: str | None = None
    question_type: str = "other"
    citations: list[Citation] = Field(default_factory=list)
    statements: list[Statement] = Field(default_factory=list, description="For what-did-X-say questions: X's statements.")
    retrieved: list[RetrievedPassage] = Field(default_factory=list)
    signals: dict = Field(default_factory=dict, description="The evidence measures the abstention decision used.")
    mode: RetrievalMode = "hybrid"
    latency_ms: float = 0.0
    timings: Timings = Field(default_factory=Timings)

    def prediction(self, item_id: str) -> dict:
        """The predictions-format record of DESIGN.md for this answer."""
        return {
            "id": item_id,
            "question": self.question,
            "answer": self.answer,
            "abstained": self.abstained,
            "citations": [c.model_dump(include={"doc_id", "passage_id", "text", "start", "end"}) for c in self.citations],
            "retrieved": [r.model_dump(include={"doc_id", "passage_id", "text", "score"}) for r in self.retrieved],
            "latency_ms": round(self.latency_ms, 2),
        }
