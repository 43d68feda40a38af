"""Country names, to tell a country from a city when a question asks for one or the other.

From babel's English territory names (CLDR), plus the short forms news writes. City-states are
left out: "Singapore" answers "which city" as well as "which country".
"""

from __future__ import annotations

import re
from functools import cache

_NEWS_FORMS = {"uk", "us", "usa", "u.s.", "britain", "great britain", "england", "scotland", "wales",
               "northern ireland", "america", "holland"}
_CITY_STATES = {"singapore", "monaco", "hong kong", "hong kong sar china", "macao", "macao sar china", "luxembourg",
                "vatican city", "gibraltar", "san marino", "kuwait", "djibouti"}


@cache
def countries() -> frozenset[str]:
    from babel import Locale

    names = {name.lower() for code, name in Locale("en").territories.items() if code.isalpha()}
    names |= {n.replace("&", "and") for n in names}
    return frozenset((names | _NEWS_FORMS) - _CITY_STATES)


def is_country(name: str) -> bool:
    return re.sub(r"^the\s+", "", name.strip().lower()) in countries()  # "the UK", "the Netherlands"


# Places smaller than a country: a country never answers "Which city…" nor "Which constituency…".
ASKS_CITY = re.compile(r"\b(?:city|cities|town|towns|village|villages|constituency|constituencies|county|counties|"
                       r"district|districts|suburb|suburbs|borough|boroughs)\b")
