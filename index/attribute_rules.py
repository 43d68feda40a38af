"""A faster matcher for spaCy's attribute_ruler, with the same result.

The English pipelines map fine-grained tags to POS and morphology, and fix some lemmas, through an
attribute_ruler of about 180 patterns. Its generic Matcher tests every pattern at every token and
took 14% of the whole parse of BBC news (2.2 s of 15.5 s on 166 articles), as long as the parser.
Almost every pattern is one token with an exact TAG or LOWER value, so here they are looked up by
that value; the few multi-token or regex patterns stay with spaCy's Matcher. Matches are returned
exactly as AttributeRuler.match returns them (sorted by rule order, later rules winning), so the
component's own set_annotations applies them; tests/test_attribute_rules.py checks that tags, POS,
morphology and lemmas are identical to the stock component's.

Over a stream of documents (`nlp.pipe`, how the indexer parses) even that list is skipped: what
the one-token rules leave on a word (its POS, morphology and lemma) depends only on the values
they test, so it is worked out once per distinct row and written for all words as arrays. Words a
multi-token rule or a rule setting TAG or DEP reaches still go through the stock set_annotations.
"""

from __future__ import annotations

import logging
from collections import defaultdict
from collections.abc import Iterable, Iterator
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
    # nlp.pipe calls a component's `pipe`; nlp(text) its __call__, which reads ruler.match
    ruler.pipe = lambda stream, batch_size=128: fast.annotate_all(stream)
    return True


class _LookupMatcher:
    def __init__(self, ruler) -> None:
        from spacy.matcher import Matcher

        self._ruler = ruler
        self._strings = ruler.vocab.strings
        # what a tuple of one-token rules leaves on a word: ((POS, MORPH, LEMMA) values, which of
        # them are set), or None when a rule sets anything else (TAG, DEP)
        self._outcomes: dict[tuple[int, ...], tuple[tuple[int, int, int], tuple[bool, bool, bool]] | None] = {}
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
        matches = []
        for i, ids in enumerate(self._token_rules(doc)):
            matches.extend((attr_id, self._keys[attr_id], i, i + 1) for attr_id in ids)
        matches.extend(self._rest_matches(doc))
        matches.sort()
        return matches

    def _token_rules(self, doc) -> list[tuple[int, ...]]:
        """For each token, the one-token rules matching it, in rule order."""
        from spacy.attrs import DEP, IS_SPACE, LOWER, TAG

        out = []
        # Which rules match a token depends only on these four values, so the answer is cached
        # by them: a few thousand distinct rows cover a news collection.
        rows = doc.to_array([TAG, LOWER, DEP, IS_SPACE]).tolist() if len(doc) else []
        for i, row in enumerate(rows):
            out.append(self._rules_for_row(tuple(row), doc[i]))
        return out

    def _rules_for_row(self, row: tuple[int, ...], token) -> tuple[int, ...]:
        """The one-token rules matching `token`, whose (TAG, LOWER, DEP, IS_SPACE) are `row`."""
        ids = self._cache.get(row)
        if ids is None:
            ids = self._rules_for(token)
            if len(self._cache) >= CACHE_ROWS:
                self._cache.clear()
            self._cache[row] = ids
        return ids

    def _rest_matches(self, doc) -> list[tuple[int, int, int, int]]:
        return [(int(self._strings[match_id]), match_id, start, end)
                for match_id, start, end in self._rest(doc, allow_missing=True, as_spans=False)]

    def annotate_all(self, docs: Iterable) -> Iterator:
        for doc in docs:
            yield self.annotate(doc)

    def annotate(self, doc):
        """The ruler's annotations on `doc`, as its __call__ sets them (see the module's docstring)."""
        import numpy
        from spacy.attrs import DEP, IS_SPACE, LEMMA, LOWER, MORPH, POS, TAG

        if not len(doc):
            return doc
        # the distinct rows of the document, a token with each, and each token's row
        rows, first, token_row = numpy.unique(doc.to_array([TAG, LOWER, DEP, IS_SPACE]), axis=0,
                                              return_index=True, return_inverse=True)
        token_row = token_row.reshape(-1)
        rules, outcomes = [], []
        for row, i in zip(rows.tolist(), first.tolist()):
            ids = self._rules_for_row(tuple(row), doc[i])
            rules.append(ids)
            outcomes.append(self._outcome(ids))
        slow_row = numpy.array([o is None for o in outcomes])
        row_values = numpy.array([o[0] if o else (0, 0, 0) for o in outcomes], dtype=numpy.uint64)
        row_set = numpy.array([o[1] if o else (False, False, False) for o in outcomes], dtype=bool)
        rest = self._rest_matches(doc)
        slow = slow_row[token_row]
        slow[[self._target(m) for m in rest]] = True
        current = doc.to_array([POS, MORPH, LEMMA])
        write = row_set[token_row] & ~slow[:, None]
        if write.any():
            doc.from_array([POS, MORPH, LEMMA], numpy.where(write, row_values[token_row], current))
        if slow.any():
            at = numpy.flatnonzero(slow).tolist()
            matches = [(attr_id, self._keys[attr_id], i, i + 1) for i in at for attr_id in rules[token_row[i]]]
            matches += [m for m in rest if slow[self._target(m)]]
            self._ruler.set_annotations(doc, sorted(matches))
        return doc

    def _target(self, match: tuple[int, int, int, int]) -> int:
        """The token a match writes: the rule's `index` into the matched span."""
        attr_id, _, start, end = match
        index = self._ruler.indices[attr_id]
        return start + index if index >= 0 else end + index

    def _outcome(self, ids: tuple[int, ...]):
        """What rules `ids` (in rule order, later ones winning) leave on a word: see _outcomes."""
        if ids not in self._outcomes:
            from spacy.attrs import LEMMA, MORPH, POS

            columns = {POS: 0, MORPH: 1, LEMMA: 2}
            values, is_set = [0, 0, 0], [False, False, False]
            outcome = (values, is_set)
            for attr_id in ids:
                attrs = self._ruler.attrs[attr_id]
                if any(a not in columns for a in attrs):
                    outcome = None
                    break
                for attr, value in attrs.items():
                    values[columns[attr]], is_set[columns[attr]] = value, True
            if len(self._outcomes) >= CACHE_ROWS:
                self._outcomes.clear()
            self._outcomes[ids] = (tuple(values), tuple(is_set)) if outcome else None
        return self._outcomes[ids]

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
