"""A faster matcher for spaCy's attribute_ruler, with the same result.

The English pipelines map fine-grained tags to POS and morphology, and fix some lemmas, through an
attribute_ruler of about 180 patterns. Its generic Matcher tests every pattern at every token and
took 14% of the whole parse of BBC news (2.2 s of 15.5 s on 166 articles), as long as the parser.
Almost every pattern is one token with an exact TAG or LOWER value, so here they are looked up by
that value; the few multi-token or regex patterns stay with spaCy's Matcher. Matches are returned
exactly as AttributeRuler.match returns them (sorted by rule order, later rules winning), so the
component's own set_annotations applies them; tests/test_attribute_rules.py checks that tags, POS,
morphology and lemmas are identical to the stock component's.
"""

from __future__ import annotations

import logging
from collections import defaultdict
from typing import Any

log = logging.getLogger(__name__)

# Distinct (tag, lower, dep, is_space) rows remembered before the cache starts over.
CACHE_ROWS = 200_000
# Token attributes a single-token pattern may test here; anything else goes to spaCy's Matcher.
_FIELDS = {"TAG": "tag_", "LOWER": "lower_", "DEP": "dep_", "IS_SPACE": "is_space"}


def speed_up(ruler) -> bool:
    """Replace `ruler.match` (an AttributeRuler) by the lookup matcher. Returns False, leaving the
    ruler alone, when its patterns cannot be read (a spaCy version with another layout)."""
    try:
        fast = _LookupMatcher(ruler)
    except (AttributeError, KeyError, TypeError, ValueError) as exc:
        log.debug("attribute_ruler kept as it is: %s", exc)
        return False
    ruler.match = fast
    return True


class _LookupMatcher:
    def __init__(self, ruler) -> None:
        from spacy.matcher import Matcher

        self._strings = ruler.vocab.strings
        self._by_value: dict[tuple[str, Any], list[tuple[int, list[tuple[str, Any]]]]] = defaultdict(list)
        self._always: list[tuple[int, list[tuple[str, Any]]]] = []
        self._rest = Matcher(ruler.vocab, validate=False)
        self._cache: dict[tuple[int, ...], tuple[int, ...]] = {}
        self._keys = [self._strings.add(str(i)) for i in range(len(ruler.patterns))]
        rest = 0
        # ruler.patterns lists each rule's patterns in rule order; a rule's id is its position.
        for attr_id, rule in enumerate(ruler.patterns):
            if rule.get("index", 0) != ruler.indices[attr_id]:
                raise ValueError("the ruler's patterns are not in rule order")
            simple = [p for p in rule["patterns"] if _is_simple(p)]
            complex_ = [p for p in rule["patterns"] if not _is_simple(p)]
            for pattern in simple:
                tests = [(_FIELDS[k], _test(v)) for k, v in pattern[0].items()]
                anchor = _anchor(pattern[0])
                if anchor is None:
                    self._always.append((attr_id, tests))
                else:
                    field, values = anchor
                    for value in values:
                        self._by_value[(field, value)].append((attr_id, tests))
            if complex_:
                self._rest.add(str(attr_id), complex_)
                rest += 1
        log.debug("attribute_ruler: %d rules by lookup, %d by the Matcher", len(ruler.patterns) - rest, rest)

    def __call__(self, doc) -> list[tuple[int, int, int, int]]:
        from spacy.attrs import DEP, IS_SPACE, LOWER, TAG

        matches = []
        # Which rules match a token depends only on these four values, so the answer is cached
        # by them: a few thousand distinct rows cover a news collection.
        rows = doc.to_array([TAG, LOWER, DEP, IS_SPACE]).tolist() if len(doc) else []
        for i, row in enumerate(rows):
            key = tuple(row)
            ids = self._cache.get(key)
            if ids is None:
                ids = self._rules_for(doc[i])
                if len(self._cache) >= CACHE_ROWS:
                    self._cache.clear()
                self._cache[key] = ids
            matches.extend((attr_id, self._keys[attr_id], i, i + 1) for attr_id in ids)
        for match_id, start, end in self._rest(doc, allow_missing=True, as_spans=False):
            matches.append((int(self._strings[match_id]), match_id, start, end))
        matches.sort()
        return matches

    def _rules_for(self, token) -> tuple[int, ...]:
        candidates = (
            self._by_value.get(("tag_", token.tag_), [])
            + self._by_value.get(("lower_", token.lower_), [])
            + self._always
        )
        return tuple(sorted({attr_id for attr_id, tests in candidates if all(test(getattr(token, f)) for f, test in tests)}))


def _is_simple(pattern: list[dict]) -> bool:
    if len(pattern) != 1:
        return False
    for key, value in pattern[0].items():
        if key not in _FIELDS:
            return False
        if isinstance(value, dict) and not set(value) <= {"IN", "NOT_IN"}:
            return False
    return True


def _test(value):
    """A predicate on one attribute value, as spaCy's Matcher reads the pattern value."""
    if isinstance(value, dict):
        allowed = set(value.get("IN", ())) if "IN" in value else None
        banned = set(value.get("NOT_IN", ()))
        return lambda v: (allowed is None or v in allowed) and v not in banned
    if isinstance(value, bool):
        return lambda v: bool(v) is value
    if isinstance(value, str):
        return lambda v: v == value
    raise TypeError(f"unsupported attribute_ruler pattern value {value!r}")


def _anchor(token_pattern: dict) -> tuple[str, list[str]] | None:
    """The TAG or LOWER values a token must have for the pattern to match, when the pattern pins
    them down: the keys it is filed under. None for patterns tested at every token."""
    for key in ("TAG", "LOWER"):
        value = token_pattern.get(key)
        if isinstance(value, str):
            return _FIELDS[key], [value]
        if isinstance(value, dict) and set(value) == {"IN"}:
            return _FIELDS[key], list(value["IN"])
    return None
