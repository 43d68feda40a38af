"""Typed records that cross layers: what a source becomes once it is read, split and annotated.

Every span is a pair of character offsets into `Document.text`, so that any citation can be
checked by slicing: `document.text[passage.start:passage.end] == passage.text`.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, Field, model_validator

PassageKind = Literal["body", "heading", "boilerplate"]


class Document(BaseModel):
    """One source file after reading and text extraction."""

    id: str = Field(description="Stable id: a hash of the normalised text, so identical content is stored once.")
    title: str = Field(default="", description="Title the source states, else its first line, else the file name.")
    author: str | None = Field(default=None, description="Author the source states (an 'Author:' line, HTML metadata).")
    date: str | None = Field(default=None, description="Publication date the source states, ISO 8601 where parseable.")
    source: str = Field(description="Absolute path of the file it was read from.")
    text: str = Field(description="The whole extracted text; every span in the index points into it.")
    page_starts: list[int] = Field(
        default_factory=list,
        description="For paged sources (PDF): character offset at which each page begins, page 1 first.",
    )

    def page_at(self, offset: int) -> int | None:
        """1-based page number holding `offset`, or None for unpaged sources."""
        if not self.page_starts:
            return None
        page = 0
        for i, start in enumerate(self.page_starts):
            if start <= offset:
                page = i
            else:
                break
        return page + 1


class Passage(BaseModel):
    """A retrievable unit: a paragraph, or a sentence window of a long one."""

    id: str = Field(description="Stable across rebuilds of an unchanged document: '<doc_id>-p<ordinal>'.")
    doc_id: str
    ordinal: int = Field(description="Position of the passage in its document, from 0.")
    paragraph: int = Field(description="1-based number of the paragraph (blank-line block) the passage lies in.")
    text: str = Field(description="Exactly document.text[start:end].")
    start: int
    end: int
    kind: PassageKind = "body"
    heading: str | None = Field(default=None, description="The nearest heading above, carried as context.")
    page: int | None = Field(default=None, description="1-based page for paged sources.")

    @model_validator(mode="after")
    def _span_matches_text(self) -> "Passage":
        if self.end - self.start != len(self.text):
            raise ValueError(f"passage {self.id}: span {self.start}-{self.end} does not fit its text of {len(self.text)} chars")
        return self


class Sentence(BaseModel):
    """A sentence inside a passage; the unit answers are scored and quoted at."""

    passage_id: str
    ordinal: int
    start: int = Field(description="Offset into the document text.")
    end: int


class Quote(BaseModel):
    """A statement attributed to a speaker: a direct quote or reported speech."""

    speaker: str = Field(description="Canonical name of the speaker, merged across documents ('Sergei Chemezov').")
    surface: str = Field(description="How the text names the speaker here ('the head of Rostec', 'He', 'Chemezov').")
    text: str = Field(description="The statement itself, exactly document.text[start:end].")
    direct: bool = Field(description="True for words inside quotation marks, False for reported speech.")
    cue: str = Field(default="", description="The attribution cue ('said', 'according to', 'noted').")
    doc_id: str
    passage_id: str
    start: int
    end: int
    speaker_kind: Literal["person", "org", "unknown"] = "person"


class Entity(BaseModel):
    """A named entity mention, kept for entity-aware retrieval and answer typing."""

    doc_id: str
    passage_id: str
    text: str
    label: str = Field(description="spaCy label: PERSON, ORG, GPE, DATE, MONEY, ...")
    start: int
    end: int
