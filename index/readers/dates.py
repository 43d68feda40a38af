"""Publication dates: find one stated near the top of a text and write it as ISO 8601.

Only the three shapes news sources use are parsed ("2024-03-12", "12 March 2024",
"March 12, 2024"); all-numeric dates like 03/04/2024 are ambiguous (3 April or March 4) and
are kept as stated rather than guessed.
"""

from __future__ import annotations

import datetime as dt
import re

_MONTHS = {
    name: i
    for i, names in enumerate(
        [
            ("january", "jan"), ("february", "feb"), ("march", "mar"), ("april", "apr"),
            ("may",), ("june", "jun"), ("july", "jul"), ("august", "aug"),
            ("september", "sep", "sept"), ("october", "oct"), ("november", "nov"),
            ("december", "dec"),
        ],
        start=1,
    )
    for name in names
}
_MONTH = r"(?P<month>" + "|".join(sorted(_MONTHS, key=len, reverse=True)) + r")\.?"
_DAY = r"(?P<day>\d{1,2})(?:st|nd|rd|th)?"
_YEAR = r"(?P<year>(?:19|20)\d\d)"
_PATTERNS = [
    re.compile(r"\b(?P<year>(?:19|20)\d\d)[-/.](?P<month>\d{1,2})[-/.](?P<day>\d{1,2})(?!\d)"),
    re.compile(rf"\b{_DAY}\s+(?:of\s+)?{_MONTH},?\s+{_YEAR}\b", re.IGNORECASE),
    re.compile(rf"\b{_MONTH}\s+{_DAY},?\s+{_YEAR}\b", re.IGNORECASE),
]
# "Published: ...", "Date - ...", "Last updated on ..."
_LABEL = re.compile(
    r"^\s*(?:first\s+|last\s+)?(?:published|dated|date|updated|posted|modified)\b"
    r"(?:\s*(?P<colon>:)|\s*[-–—]|\s+on\b)?\s*(?P<rest>.*)$",
    re.IGNORECASE,
)
# A bare date counts only on a short line ("12 March 2024", "By Jane Doe | March 12, 2024"),
# not inside a sentence of the first paragraph ("On 12 March 2024 the minister said ...").
MAX_BARE_DATE_LINE = 80


def parse_date(value: str) -> str | None:
    """The first parseable date in `value` as YYYY-MM-DD, or None."""
    for pattern in _PATTERNS:
        for match in pattern.finditer(value):
            iso = _to_iso(match)
            if iso:
                return iso
    return None


def iso_from_datetime(value: dt.date | dt.datetime | None) -> str | None:
    """Library metadata (PDF, docx) already gives datetimes; keep the date part."""
    return value.date().isoformat() if isinstance(value, dt.datetime) else (value.isoformat() if value else None)


def date_from_lines(lines: list[str]) -> str | None:
    """A date stated on one of `lines` (the top of a document), ISO where parseable.

    A labelled value that does not parse ("Published: yesterday") is kept as stated, because a
    stated date is still better than none; unlabelled lines must hold a parseable date.
    """
    for line in lines:
        labelled = _LABEL.match(line)
        rest = labelled.group("rest").strip() if labelled else ""
        found = parse_date(rest) if rest else None
        if found:
            return found
        if rest and labelled and labelled.group("colon") and len(rest) <= 40:
            return rest
        if len(line) <= MAX_BARE_DATE_LINE:
            found = parse_date(line)
            if found:
                return found
    return None


def is_date_line(line: str) -> bool:
    """True when the line is metadata: a labelled date ("Published: ...") or a short bare date."""
    labelled = _LABEL.match(line)
    if labelled and (labelled.group("colon") or parse_date(line)):
        return True
    return len(line) <= 40 and parse_date(line) is not None


def _to_iso(match: re.Match[str]) -> str | None:
    month = match.group("month")
    month_no = int(month) if month.isdigit() else _MONTHS.get(month.lower().rstrip("."))
    try:
        return dt.date(int(match.group("year")), month_no or 0, int(match.group("day"))).isoformat()
    except ValueError:  # 31 February, month 13: not a date after all
        return None
