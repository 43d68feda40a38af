"""Checking and tidying a question before anything is done with it."""

from __future__ import annotations

import re
import unicodedata

from index.errors import BadInput

MAX_QUESTION_CHARS = 2000
# Control and invisible characters, and lone surrogates: undecodable bytes in argv arrive as
# "\udcff", a JSON "\ud800" as itself, and neither can be written out as UTF-8 again.
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029\ud800-\udfff]")
# Invisible format characters are dropped, not spaced: zero-width spaces and joiners, direction
# marks, and the bidi embeddings, overrides and isolates that can make a question display
# differently from what is searched ("Che\u202emezov").
_INVISIBLE = re.compile(r"[\u200b-\u200f\u202a-\u202e\u2060-\u2069\ufeff]")


def clean_question(text: str) -> str:
    """NFC, control characters removed, whitespace collapsed; BadInput if nothing usable is left.

    A question is at most 2,000 characters: far above any real question (the longest in our test
    sets is under 120), and it keeps a pasted article from being treated as one.
    """
    if not isinstance(text, str):
        raise BadInput("the question must be text")
    if len(text) > MAX_QUESTION_CHARS * 4:
        raise BadInput(f"the question is {len(text):,} characters long; the limit is {MAX_QUESTION_CHARS:,}: ask something shorter")
    text = _CONTROL.sub(" ", _INVISIBLE.sub("", unicodedata.normalize("NFC", text)))
    text = " ".join(text.split())
    if not text:
        raise BadInput('the question is empty; ask something, for example: qa ask "What did the minister say?"')
    if len(text) > MAX_QUESTION_CHARS:
        raise BadInput(f"the question is {len(text):,} characters long; the limit is {MAX_QUESTION_CHARS:,}: ask something shorter")
    return text
