"""Short answers: the span of a sentence that has the type a question asks for.

Typed spans come from the named entities stored at index time, completed by patterns for
amounts, percentages, dates and numbers, which news text states in forms NER models often cut
short ("$ 2.5 billion", "2-2.1 billion dollars", "up to 600 km").
"""

from __future__ import annotations

import re

from pydantic import BaseModel

from index.lexicon import PERSON_NOUNS, ROLE_QUALIFIERS
from index.models import Entity
from qa.analyze import GROWTH, ASKS_PART, PEOPLE, ROLE_ABBREVIATIONS, WORDNUM as _WORDNUM, singular
from qa.places import ASKS_CITY, is_country
from qa.rerank import initialism
from qa.retrieve import STOPWORDS, stems
from qa.terms import literal_found

MONTHS = r"(?:January|February|March|April|May|June|July|August|September|October|November|December|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)\.?"
# Not a digit run inside a code such as S-400 or F-35.
_NUM = r"(?<![\w-])(?<!\d[,.])\d+(?:,\d{3})*(?:\.\d+)?"
_SCALE = r"(?:\s?(?:bn|billion|million|m|trillion|tn|thousand|k)\b)?"
_UNIT = (r"(?:km|kilometres|kilometers|miles|metres|meters|mph|kph|km/h|kg|tonnes|tons|feet|ft|hours|minutes|seconds|"
         r"years|months|weeks|days|mins|secs|m/s|litres|liters|gallons|barrels|acres|hectares|"
         r"kb|mb|gb|tb|kilobytes|megabytes|gigabytes|terabytes|kbps|mbps|gbps|mhz|ghz|(?-i:m))")  # "35 m", not the "M" of "35 M&S goods"
CURRENCY_SIGNS = "$£€¥₹"
PATTERNS: list[tuple[str, re.Pattern]] = [
    ("MONEY", re.compile(rf"(?:[$£€¥]|US\$|Rs\.?|USD|EUR|GBP)\s?{_NUM}{_SCALE}|{_NUM}(?:\s?-\s?\d+(?:\.\d+)?)?{_SCALE}\s(?:dollars|euros|pounds|roubles|rubles|yen|yuan|rupees|francs)\b|{_NUM}p\b", re.I)),
    ("PERCENT", re.compile(rf"{_NUM}\s?(?:%|per ?cent\b|percent\b)", re.I)),
    ("DATE", re.compile(rf"\b(?:\d{{1,2}}\s{MONTHS}(?:\s\d{{4}})?|{MONTHS}\s\d{{1,2}}(?:,?\s\d{{4}})?|{MONTHS}\s\d{{4}}|(?:(?<=\b[Ii]n\s)|since\s|by\s|until\s)(?:19|20)\d\d)\b")),
    # speeds and measures: "17m per second", "up to 600 km", "20 minutes 38 seconds", "three-year"
    ("QUANTITY", re.compile(rf"(?:up to\s)?(?<![{re.escape(CURRENCY_SIGNS)}]){_NUM}\s?{_UNIT}(?:\s?(?:per|an|a|/)\s?(?:second|hour|minute|day|s|h)\b)?(?:\s{_NUM}\s?{_UNIT})?(?![\w%])", re.I)),
    ("QUANTITY", re.compile(rf"\b(?:{_WORDNUM}|\d+)-(?:year|month|week|day|hour|minute|game|match)s?\b(?!-old)", re.I)),
    ("CARDINAL", re.compile(r"(?<![\w.,-])\d{1,3}-\d{1,3}(?![\w%-])")),  # a score: "Wales' 11-9 win"
    # a race time, which NER leaves out: "Cragg won in 7:39.89", "a marathon in 2:08:33"
    ("TIME", re.compile(r"(?<![\w.:])\d{1,2}:\d\d(?::\d\d)?\.\d{1,2}(?![\w:])|(?<![\w.:])\d:\d\d:\d\d(?![\w:.])")),
    ("CARDINAL", re.compile(rf"{_NUM}{_SCALE}(?!\s?(?:%|per ?cent))(?![\w.])")),
    ("CARDINAL", re.compile(rf"\b{_WORDNUM}\b(?!-)(?:\s(?:million|billion|thousand))?", re.I)),  # not "one-off"
    ("CARDINAL", re.compile(r"\b(?:once|twice)\b", re.I)),  # "have won the European Cup once"
    # a finishing position: "He was third in London in 2002"
    ("ORDINAL", re.compile(r"\b(?:first|second|third|fourth|fifth|sixth|seventh|eighth|ninth|tenth|\d{1,3}(?:st|nd|rd|th))\b", re.I)),
    # Model designations ("F-16", "S-400", "A380") name products; NER rarely tags them.
    ("PRODUCT", re.compile(r"\b[A-Z]{1,4}\s?-\s?\d{1,4}[A-Z]?\b|\b[A-Z]{1,3}\d{2,4}\b")),
    # Names NER often misses: written in mixed case ("iMP", "iPod"), or spelled out before their
    # acronym ("Interactive Media Player (iMP)").
    ("PRODUCT", re.compile(r"(?<![\w-])[a-z]{1,2}[A-Z][A-Za-z]*\b")),
    ("PRODUCT", re.compile(r"\b(?:[A-Z][\w'’-]*\s(?:(?:of|for|and|the)\s)?){1,5}\((?=[A-Za-z]*[A-Z])[A-Za-z]{2,6}\)")),
]


_NAME_LABELS = frozenset({"PERSON", "ORG", "GPE", "LOC", "FAC", "NORP", "PRODUCT", "WORK_OF_ART", "EVENT"})
_AMOUNTS = frozenset({"MONEY", "PERCENT", "CARDINAL", "QUANTITY"})


class TypedSpan(BaseModel):
    start: int  # offsets into the sentence text
    end: int
    label: str
    text: str


# Characters NER sometimes takes in at a name's end ("Florian Hamm -"), which are no part of it.
_DANGLING = " -–—,;:"


def typed_spans(sentence: str, sentence_start: int, entities: list[Entity]) -> list[TypedSpan]:
    """Entities inside the sentence (offsets made sentence-relative) plus pattern matches."""
    spans = []
    end = sentence_start + len(sentence)
    for e in entities:
        if e.start >= sentence_start and e.end <= end:
            s, t = e.start - sentence_start, e.end - sentence_start
            if e.label in _NAME_LABELS and s > 0 and sentence[s - 1].isdigit():
                continue  # "GB" of "6GB", "m" of "5m": a unit glued to a number names nothing
            while t > s and sentence[t - 1] in _DANGLING:
                t -= 1  # NER takes in a dash now and then: "Fund manager Florian Hamm - Borussia…"
            while s < t and sentence[s] in _DANGLING and e.label in _NAME_LABELS:
                s += 1  # or opens with one: "MPs - Keith Vaz, Paul Boateng"
            if t == s:
                continue
            if e.label == "MONEY" and s > 0 and sentence[s - 1] in CURRENCY_SIGNS:
                s -= 1  # NER may leave the sign out ("$" of "$4.5bn"); the answer says which currency
            spans.append(TypedSpan(start=s, end=t, label=e.label, text=sentence[s:t]))
    for label, pattern in PATTERNS:
        for m in pattern.finditer(sentence):
            spans.append(TypedSpan(start=m.start(), end=m.end(), label=label, text=m.group(0).strip()))
    # the number of an amount is no count or measure of its own: the "2m" of "a £2m deal", NER's
    # "about 300p" beside the pattern's "300p" (NER calls some counts money: "More than 674
    # million [mobiles]" has no currency, and stays a count)
    amounts = [(sp.start, sp.end) for sp in spans
               if sp.label == "PERCENT" or sp.label == "MONEY" and _has_currency(sentence, sp)]
    return [sp for sp in spans if sp.label not in ("CARDINAL", "QUANTITY")
            or not any(a < sp.end and sp.start < b for a, b in amounts)]


def pick_short_answer(sentence: str, spans: list[TypedSpan], expected: list[str], question: str,
                      focus: list[int], targets: list[str] = (), noun: str | None = None,
                      noun_required: bool = False, asked: list[str] = ()) -> TypedSpan | None:
    """The typed span that best answers: right label (earlier in `expected` is better), not a
    repeat of the question's own words, beside the answer noun when the question has one
    ("KSE chairman Yaseen Lakhani"; required for counts, "How many votes" is not answered by
    "top 10", and for kinds of place named with the noun, "Which hospital"), with the most
    `asked` words next to it (see near_asked), longest among overlapping, nearest to the
    question's words (`focus` offsets)."""
    q_low = question.lower()
    if (cast := cast_as(sentence, spans, question)) is not None:
        return cast
    beside = noun_positions(sentence, noun) if noun else []
    precise = bool(_ASKS_DATE.search(q_low))
    unit = next((u for asks, u in _ASKED_UNITS if asks.search(q_low)), None)
    ranked = []
    if "FAC" in expected and "ORG" not in expected:
        # "studied at the Lausanne Conservatory": NER calls the school an organisation, but it is a place
        spans = [TypedSpan(**{**sp.model_dump(), "label": "FAC"}) if sp.label == "ORG" and _INSTITUTION.search(sp.text)
                 else sp for sp in spans]
    where = "GPE" in expected[:1]
    # "Which Labour MP…" is answered by the name written after "Labour MP", before one after "MPs"
    title = re.search(rf"\b(?:which|what)\s+((?:[\w'’-]+\s+){{0,2}}{re.escape(noun)})\b", q_low) if noun else None
    asks_total = bool(_TOTAL.search(q_low))
    short_noun = shortened_noun(q_low, noun) if noun else None
    for span in spans:
        if span.label not in expected or _in_question(span.text, q_low) or _names_a_target(span.text, targets):
            continue
        if _within_target(sentence, span, targets) or given_in_question(sentence, span, q_low):
            continue  # the "2" of "Half-Life 2"; the "7.5m euro (£5.1m)" the question itself states
        if span.label == "CARDINAL" and _within_name(span, spans, sentence, targets):
            continue  # "the Nikkei 225 index", "Channel 4": a number in a name counts nothing
        if span.label == "CARDINAL" and _YEAR.fullmatch(span.text) and not (noun and noun_positions(_word_after(sentence, span), noun)):
            continue  # "Film 2005 presenter Jonathan Ross": a year (counts of thousands are written "2,005")
        if span.label in _AMOUNTS and forecast_for_fact(sentence, span, q_low):
            continue  # "expects the economy to grow by about 2.4%" for how much it grew
        if span.label in _AMOUNTS and per_unit(sentence, span) and not _ASKS_PER.search(q_low):
            continue  # "a profit share worth on average £52 each" is not what the members share
        if _ASKS_LEVEL.search(q_low) and _CHANGE_BEFORE.search(sentence[: span.start]):
            continue  # "Shares were up 56 pence, at 797p": the rise is no price
        if span.label == "NORP" and expected[0] != "NORP" and re.match(r"\s+[a-z]", sentence[span.end :]):
            continue  # "for his contribution to British theatre": a nationality describing a noun is no one
        if (_AGE.search(span.text) or span.label == "CARDINAL" and _AGED_BEFORE.search(sentence, 0, span.start)) \
                and not _ASKS_AGE.search(q_low):
            continue  # "The 28-year-old's contract expires…" does not say how long the contract is
        if span.label == "ORG" and reporting_source(sentence, span) and not _ASKS_SOURCE.search(q_low):
            continue  # "…visited the SEC in December, the Financial Times reported": the source, not an actor
        if _INSTEAD_BEFORE.search(sentence, 0, span.start):
            continue  # "played at Murrayfield instead of Tynecastle": the one set aside is no answer
        if span.label == "MONEY" and not _has_currency(sentence, span):
            continue
        if span.label in ("DATE", "TIME") and _BARE_SPAN.fullmatch(span.text.lower()):
            continue  # "could be announced within days": no time is told
        if span.label == "DATE" and re.fullmatch(r"\d{1,3}", span.text.strip()) and not _ASKS_AGE.search(q_low):
            continue  # "…said Mr Greenspan, 79, who…": NER's DATE for an age; a year has four digits
        if span.label in ("DATE", "TIME") and _FREQUENCY.fullmatch(span.text.lower()):
            continue  # "reduce its workforce by 8,000 annually": how often, never when
        if precise and span.label == "TIME":
            continue  # "at about 1230 GMT" is the hour, not the date asked
        if precise and span.label == "DATE" and not (re.search(MONTHS, span.text) and re.search(r"\d", span.text)):
            continue  # "On what date…" is not answered by "in 2000" nor "in March"; "since February 2001" says it
        if span.label == "DATE" and _ASKS_YEAR.search(q_low) and not _YEAR.search(span.text):
            continue
        if unit and not (unit.search(span.text) or unit.search(_word_after(sentence, span))):
            continue  # "How fast…" is not answered by "508m", nor "What was her winning time?" by "10.6km"
        if _AGO_AFTER.match(sentence, span.end) and _ASKS_LENGTH.match(q_low):
            continue  # "Some 65 years ago" dates something; it is no length of a contract
        if span.label == "MONEY" and not any(ch.isdigit() for ch in span.text):
            continue  # "billions of dollars" does not say how much
        shortened = bool(short_noun) and _word_after(sentence, span).lower() == short_noun
        near_noun = shortened or beside_noun(sentence, span, beside) or _counted_of_which(sentence, span, beside)
        if noun_required and noun and (not near_noun or not shortened and counts_other(sentence, span, noun)):
            continue
        if span.label == "GPE" and is_country(span.text) and _asks_within_city(q_low):
            continue  # "Where in Glasgow could a super-casino be built?" is not answered by "in Scotland"
        if span.label == "GPE" and ASKS_CITY.search(q_low) and is_country(span.text):
            continue  # "Between which two cities…" is not answered by "India and Pakistan"
        if span.label in _PLACES and _describes_a_person(sentence, span) and not _ASKS_COUNTRY.search(q_low):
            continue  # "Chicago actress Queen Latifah" says where she is from, not where anything happens
        if span.label == "PERSON" and _FORMER_BEFORE.search(sentence[: span.start]) and not _ASKS_PAST_HOLDER.search(q_low):
            continue  # "Former Liverpool manager Gerard Houllier" is not who the manager is
        if span.label == "PERSON" and noun and (other := _QUALIFIED_ROLE_BEFORE.search(sentence[: span.start])) \
                and other.group(1).lower() not in q_low:
            continue  # "shadow home secretary Mr Davis" is not who the home secretary is
        if span.label == "PERSON" and _THE_BEFORE.search(sentence, 0, span.start):
            continue  # "a Viennese opera house, the Volksoper": no one's name follows a bare "the"
        if span.label == "PERSON" and _names_an_era(sentence, span):
            continue  # "a junior minister in the Attlee government… he became chancellor": not Attlee
        # (with the post a verb asked for: "Who founded Skype?" asks for a founder)
        if span.label == "PERSON" and roles_of_other(sentence, span, f"{q_low} {noun or ''}", targets):
            continue  # "Microsoft chief Bill Gates" is no answer to "Who is HP's chief executive?"
        if span.label in _AMOUNTS and figure_elsewhere(sentence, span, spans, targets):
            continue  # "BMW sold nearly 95,000 cars in Asia" does not say how many it sold in China
        if figure_of_other(sentence, span, spans, targets) or clause_of_other(sentence, span, spans, targets):
            continue  # "Ireland's Taniesha Scanlon set a national record of 13.28m" is not Jade Johnson's jump
        if expected[0] == "PERSON" and span.label != "PERSON" and titles_a_target(sentence, span, targets):
            # "former Cabinet minister Jack Cunningham": the target's title, not who replaces him
            # (though "Chelsea manager Jose Mourinho" does say which club he manages)
            continue
        if described_by_question(sentence, span, q_low, noun):
            continue  # "its key oil production unit Yuganskneftegas" is what the question asks about
        if _ASKS_WINNER.search(q_low) and _BEATEN.search(sentence[: span.start]):
            continue  # "The band beat The Red Hot Chili Peppers": the one beaten did not win
        if _ASKS_WINNER.search(q_low) and _NOMINATED.search(sentence) and not _WON.search(sentence) \
                and not _NOMINATED.search(q_low):
            continue  # "Moreno is also nominated for best actress": a nominee has not won
        distance = min((abs(span.start - f) for f in focus), default=0)
        # among places, the one the asked verb leads to: "born in Switzerland and studied… at the
        # Lausanne Conservatory" for where he studied
        led = -len(literal_found(asked, " ".join(sentence[: span.start].split()[-LED_WORDS:]))) if where else 0
        # "had saved £75m in 2004, bringing total cost savings to £100m": a total only if asked
        totalled = span.label in _AMOUNTS and not asks_total and bool(_TOTAL_BEFORE.search(sentence[: span.start]))
        titled = bool(title) and bool(re.search(rf"\b{re.escape(title.group(1))}\s+$", sentence[: span.start].lower()))
        other_title = span.label == "PERSON" and titled_as_other(sentence, span, q_low, noun)
        # "1.55bn euros ($2bn; £1.1bn)": the figure as reported, before its conversions in brackets
        converted = span.label == "MONEY" and _inside_brackets(sentence, span.start)
        key = (not near_noun, other_title, not titled, converted, led, expected.index(span.label), totalled,
               -near_asked(sentence, span, asked, spans), distance, -(span.end - span.start))
        ranked.append((key, span))
    ranked.sort(key=lambda t: t[0])
    if _ASKS_PAIR.search(q_low):  # "Between which two cities…": both, or the sentence does not say
        return next((pair for _, span in ranked if (pair := _paired(sentence, span, spans))), None)
    return ranked[0][1] if ranked else None


def _counted_of_which(sentence: str, span: TypedSpan, positions: list[tuple[int, int]]) -> bool:
    """A count of a part of what was just counted: "25 million portable players were sold, 10
    million of which were Apple iPods" counts iPods."""
    m = _OF_WHICH.match(sentence, span.end)
    return bool(m) and any(0 <= len(re.findall(r"\w+", sentence[m.end() : at])) <= 2 for at, _ in positions)


_OF_WHICH = re.compile(r"\s+of (?:which|whom|them|these|those) (?:were|are|was|is|came|come)\s+(?:from\s+)?")


# How often, which NER tags a date: "annually", "every year".
_FREQUENCY = re.compile(r"(?:annual|annually|yearly|monthly|weekly|daily|nightly|hourly|quarterly|"
                        r"(?:every|each|a|per) (?:year|month|week|day|night|hour|quarter))")
# A stretch of time with no count or date: "days", "the coming weeks".
_BARE_SPAN = re.compile(r"(?:(?:within|in|for|over)\s+)?(?:the\s+)?(?:(?:coming|next|past|last|few|several|recent)\s+)*"
                        r"(?:hours|days|weeks|months|years)")
_ASKS_WINNER = re.compile(r"\b(?:won|wins?|winners?|winning|victorious|triumphed|topped|came top)\b")
# A nominee, in a sentence that says nothing of winning.
_NOMINATED = re.compile(r"\b(?:nominat\w*|shortlist\w*|up for|in the running|contender\w*|tipped)\b", re.I)
_WON = re.compile(r"\b(?:won|wins?|winners?|winning|beat|beats|victor\w*|triumph\w*|took|takes|picked up|scooped|"
                  r"collected|named|awarded|received|clinched)\b", re.I)
_BEATEN = re.compile(r"\b(?:beat|beats|beating|defeated|defeats|defeating|pipped|edged out|overcame|overcoming|"
                     r"thrashed|trounced|knocked out|saw off|(?:win|victory|triumph) over|ahead of)\s+(?:the\s+)?$",
                     re.I)
_ASKS_PAIR = re.compile(r"\b(?:which|what) two\b|\bbetween (?:which|what)\b")


def _paired(sentence: str, span: TypedSpan, spans: list[TypedSpan]) -> TypedSpan | None:
    """For "Between which two cities…": the span and its partner of the same type, joined in the
    sentence by "and", "with" or "to" ("Srinagar and Muzaffarabad", "Lahore with Amritsar"), as
    one verbatim span."""
    for other in spans:
        if other.label != span.label or other is span:
            continue
        first, second = (span, other) if span.end <= other.start else (other, span)
        if re.fullmatch(r",?\s+(?:and|&|with|to)\s+", sentence[first.end : second.start]):
            return TypedSpan(start=first.start, end=second.end, label=span.label, text=sentence[first.start : second.end])
    return None


_ASKS_DATE = re.compile(r"\b(?:what|which) (?:exact )?date\b")
_WHERE_WITHIN = re.compile(r"^where in (?:the )?([a-z][\w .'’-]*?) "
                           r"(?:could|did|does|do|is|was|are|were|will|would|can|has|have|had)\b")
_REGIONS = frozenset({"world", "europe", "asia", "africa", "america", "americas", "north america", "south america",
                      "latin america", "middle east", "far east", "eu", "caribbean", "scandinavia"})


def _asks_within_city(q_low: str) -> bool:
    """"Where in Glasgow…?" asks for a place inside a town: no country answers it ("Where in
    Europe…?" may be answered by one)."""
    m = _WHERE_WITHIN.match(q_low)
    return bool(m) and not is_country(m.group(1)) and m.group(1) not in _REGIONS


_ASKS_LENGTH = re.compile(r"how (?:many|long)\b")
_AGO_AFTER = re.compile(r"\s+(?:[a-z]+\s+)?ago\b")  # "65 years ago", "65" of it
_TOTAL = re.compile(r"\b(?:total|totals|totalling|cumulative|combined|overall|in all|altogether|so far|to date)\b", re.I)
_TOTAL_BEFORE = re.compile(rf"{_TOTAL.pattern}(?:\W+\w+){{0,4}}\W*$", re.I)
# "In what year was she elected?" is answered by a year, not by "another 10 years"
_ASKS_YEAR = re.compile(r"\b(?:what|which) year\b")
_YEAR = re.compile(r"\b(?:1[89]|20)\d\d\b|\b(?:last|this|next|that|the same) year\b", re.I)
_DAY = re.compile(rf"\b\d{{1,2}}(?:st|nd|rd|th)?\s(?:of\s)?{MONTHS}|{MONTHS}\s\d{{1,2}}\b|\b\d{{1,2}}[/.]\d{{1,2}}[/.]\d{{2,4}}\b")


def _word_after(sentence: str, span: TypedSpan) -> str:
    """The word after a span, past a space: NER often leaves the unit out ("70.72" of "70.72
    teraflops"). Not what a hyphen joins: "£100,000-a-year" gives no age in years."""
    m = re.match(r"\s+([\w/.]+)", sentence[span.end :])
    return m.group(1).rstrip(".") if m else ""


# A measure asked in a unit of its own: a speed, a duration, a distance. (question, answer span)
_ASKED_UNITS: tuple[tuple[re.Pattern, re.Pattern], ...] = (
    # a price per share is pence or cents, never the "$339m" of the deal
    # ("a share of Marvel's profits" is a portion, not a price)
    (re.compile(r"\b(?:per|a|each) share\b(?! of)|\bshare price\b|\b(?:what|which) price\b.*\bshares\b"),
     re.compile(r"^[$£€]?\s?\d+(?:\.\d+)?\s*(?:p|pence|cents?|euros?|dollars?)?$", re.I)),
    # an age is years: not the "10km" of the race he runs
    (re.compile(r"^how old\b|\bwhat age\b"),
     # (a number of years: not "last year")
     # (nor a term: "faces up to four years in prison" gives no one's age)
     re.compile(rf"^\d{{1,3}}$|(?:\d|\b{_WORDNUM})[\s-]*years?[\s-]+old\b|\byear-old\b|\baged?\b|^old$", re.I)),
    # (not a growth rate: "How fast did China's economy grow?" is answered by "9.5%")
    (re.compile(rf"\bhow (?:fast|quickly)\b(?!.*\b{GROWTH})|\bspeed\b"),
     # (a computer's speed is in flops or bits a second: "speeds of 70.72 teraflops")
     re.compile(r"\bper\b|/|\b(?:mph|kph|km/h|an hour|a second|knots|\w*flops|[kmgt]?bps|[kmgt]bit/s|[mg]hz)\b", re.I)),
    # a race is run in seconds, minutes or hours: not "in less than a week"
    (re.compile(r"\b(?:winning|finishing|record|race|lap) time\b|^(?:in )?what time did .+? (?:run|clock|record|post|"
                r"finish|swim|set|complete)\b"),
     re.compile(r"\b(?:seconds?|secs?|minutes?|mins?|hours?|hrs?)\b|\d:\d\d", re.I)),
    (re.compile(r"\bhow long did .+ take\b|\bhow long (?:will|would|does|did) .+ last\b"),
     re.compile(r"\b(?:seconds?|secs?|minutes?|mins?|hours?|hrs?|days?|weeks?|months?|years?)\b|\d:\d\d", re.I)),
    # any other "how long" asks for a duration or a length: not "in the summer", when a contract ends
    (re.compile(r"^how long\b(?!\s+ago)"),
     re.compile(r"\b(?:seconds?|secs?|minutes?|mins?|hours?|hrs?|days?|weeks?|months?|years?|seasons?|decades?|"
                r"centur(?:y|ies)|km|kilomet(?:re|er)s?|miles?|met(?:re|er)s?|yards?|feet|ft)\b|\d:\d\d|\d(?:km|m)\b", re.I)),
    # "how far into the final" asks for a time: "after 74 minutes"
    (re.compile(r"\bhow far into\b"),
     re.compile(r"\b(?:seconds?|minutes?|mins?|hours?|days?|weeks?|months?|years?|laps?|overs?)\b", re.I)),
    # "how far above the average" asks for a difference, in any unit
    (re.compile(r"\bhow far\b(?!\s+(?:above|below|ahead|behind|short|off|up|down|over|under|into)\b)|\bdistance\b"),
     re.compile(r"\b(?:km|kilomet(?:re|er)s?|miles?|met(?:re|er)s?|yards?|feet|ft)\b|\d(?:km|m)\b", re.I)),
)
_CURRENCY = re.compile(rf"[{re.escape(CURRENCY_SIGNS)}]|\b(?:dollars?|pounds?|euros?|yen|yuan|rupees?|francs?|roubles?|rubles?|cents?|pence|bn|billion|trillion|US|USD|GBP|EUR)\b|\d+p\b", re.I)


def _has_currency(sentence: str, span: TypedSpan) -> bool:
    """An amount of money names its currency: NER calls "508m tall" MONEY, a reader would not."""
    window = sentence[max(0, span.start - 4) : min(len(sentence), span.end + 12)]
    return bool(_CURRENCY.search(window))


# How many words on either side of an answer count as its neighbours: about a clause.
NEAR_WORDS = 6
CLAUSE_WORDS = 15  # up to the next span of its kind: "Sixty percent of resources … for projects in…"
LED_WORDS = 10  # "studied the piano, cello and singing at the Lausanne Conservatory"


def near_asked(sentence: str, span: TypedSpan, asked: list[str], spans: list[TypedSpan] = ()) -> int:
    """How many of the question's asked words (its words beyond the names, see
    qa.terms.asked_words) stand near the span in its clause: NEAR_WORDS before it, and after it
    NEAR_WORDS, or with the sentence's `spans` given, up to the next span of its kind (at most
    CLAUSE_WORDS). A sentence states the relation asked next to its answer ("directed by
    Dutch-born Anton Corbijn"); a name further off plays another part in it; in a list ("Sixty
    percent … for projects in least developed countries, 30% for projects in developing
    countries") what each figure is for follows it."""
    if not asked:
        return 0
    before = re.split(r"[,;:]", sentence[: span.start])[-1].split()[-NEAR_WORDS:]
    end = min((o.start for o in spans if o.label == span.label and o.start >= span.end), default=len(sentence))
    after = re.split(r"[,;:]", sentence[span.end : end])[0].split()[: CLAUSE_WORDS if spans else NEAR_WORDS]
    return len(literal_found(asked, " ".join(before + after)))


_PLACES = frozenset({"GPE", "LOC", "FAC"})
_ASKS_COUNTRY = re.compile(r"\b(?:country|countries|nation|nationality)\b")  # "UK minister" does answer these


def _describes_a_person(sentence: str, span: TypedSpan) -> bool:
    """A place written as a person's attribute: "Chicago actress", "London-born", "Paris mayor"."""
    following = sentence[span.end :]
    if re.match(r"-born\b", following):
        return True
    word = re.match(r"\s+([a-z]+)\b", following)
    return bool(word) and word.group(1) in PEOPLE


def denies_asked(sentence: str, asked: list[str], question: str) -> bool:
    """Whether the sentence says an asked verb did not happen: "a poll to find the best film never
    to have won a best picture Oscar" names no film that won. A negated question ("Which team has
    never won…?") asks for exactly that, so it is never denied."""
    if not asked or _NEGATED.search(question):
        return False
    return any(literal_found(asked, m.group(1)) for m in _NEGATED_VERB.finditer(sentence))


# A negation and the verb it denies, with only the words of a verb chain between: "never to have
# won", "did not win", "hasn't signed", "failed to score" (not "not the best").
_NEGATOR = r"(?:\b(?:never|not|no longer)|n['’]t|\bfail(?:ed|s)? to)"
_NEGATED = re.compile(rf"{_NEGATOR}\b", re.I)
_NEGATED_VERB = re.compile(_NEGATOR +
                           r"(?:\s+(?:to|have|has|had|be|been|yet|ever|even|also|actually))*\s+([a-z][\w-]*)", re.I)


def titles_a_target(sentence: str, span: TypedSpan, targets: list[str]) -> bool:
    """Whether the name is part of a title written before a target: "former Cabinet minister Jack
    Cunningham", "Labour MP Jack Cunningham". It says what the target is, not what was asked."""
    if not targets or not sentence[span.end : span.end + 1].isspace():
        return False
    words = sentence[span.end :].split()[:5]
    title = []
    while words and len(title) < 3 and (words[0][:1].islower() or words[0] in ROLE_ABBREVIATIONS):
        title.append(words.pop(0))
    titled = any(singular(w) in PEOPLE or w in ROLE_ABBREVIATIONS for w in title)
    return titled and _mentions_target(" ".join(words[:2]), targets)


def described_by_question(sentence: str, span: TypedSpan, q_low: str, noun: str | None) -> bool:
    """Whether the name is introduced by the words the question uses for its own subject, so it
    is what the question asks about, not the answer: "its key oil production unit
    Yuganskneftegas" for "Which company did Yukos's main production unit get sold to?", "Chelsea
    manager Jose Mourinho" for "Who did the Chelsea manager sign?". Only questions whose subject
    follows an auxiliary ("did", "was"…) have one apart from the answer; the answer noun is never
    a description of something else ("KSE chairman Yaseen Lakhani" for "Who is the chairman…")."""
    m = _SUBJECT_AFTER_AUX.match(q_low)
    if not m:
        return False
    subject = [_POSSESSIVE.sub("", w) for w in re.findall(r"[\w'’-]+", m.group(1))]
    pairs = {(a, b) for a, b in zip(subject, subject[1:]) if a not in STOPWORDS and b not in STOPWORDS}
    heads = {b for a, b in zip(subject, subject[1:]) if a in _DETERMINERS and b not in STOPWORDS}
    before = sentence[: span.start]
    if not re.search(r"[\w'’-]\s+$", before):
        return False  # a comma or bracket between: "the unit, Yuganskneftegas" is read as naming
    words = [_POSSESSIVE.sub("", w) for w in re.findall(r"[\w'’-]+", before.lower())[-2:]]
    if not words or (noun and words[-1] in (noun, singular(noun))):
        return False
    return (len(words) == 2 and tuple(words) in pairs) or words[-1] in heads


# "Which company did <subject> get sold to?", "Who did <subject> sign?", "Which club was <subject>
# sold to?". A bare "Who is / What was <phrase>" describes the answer itself, so it has no subject.
_SUBJECT_AFTER_AUX = re.compile(
    r"^(?:who|whom|(?:which|what)\s+[\w-]+)\s+(?:did|does|do|has|have|had|will|would|could|can|"
    r"(?<!who )(?<!whom )(?:is|was|are|were))\s+(.+)$")
_DETERMINERS = frozenset({"the", "its", "his", "her", "their", "this", "that"})


def roles_of_other(sentence: str, span: TypedSpan, q_low: str, targets: list[str]) -> bool:
    """Whether the person is introduced in a role the question asks about, held at another
    organisation than the question names: "Microsoft chief Bill Gates" for "Who is
    Hewlett-Packard's new chief executive?", "Chelsea manager Jose Mourinho" for "Who is the
    Arsenal manager?". The question must name the role and a target; a person described by a
    role the question does not ask about ("Real Madrid striker…" for "Who did Arsenal sign?")
    may still be the answer. A person introduced only by another role ("footballers Eric
    Cantona"), in a sentence that never names the one asked, holds something else too."""
    asked_roles = {w for w in re.findall(r"[a-z]+", q_low) if w in PERSON_NOUNS}
    if not asked_roles or not targets:
        return False
    words = [w.strip(",;:()\"“”") for w in sentence[: span.start].split()[-10:]]
    if len(words) > 1 and words[-1] == "and" and words[-2][:1].isupper():  # "footballers Eric Cantona and Ole…"
        words.pop()
        while words and words[-1][:1].isupper():
            words.pop()
    if words and words[-1] in _HONORIFICS:  # "club manager Sir Alex Ferguson"
        words.pop()
    roles, owner = [], []
    while words and (singular(words[-1].lower()) in PEOPLE or words[-1].lower() in ROLE_QUALIFIERS
                     or words[-1].lower() in ("new", "top", "current")):
        roles.append(singular(words.pop().lower()))
    described = [r for r in roles if r in PEOPLE] + _roles_after(sentence[span.end :])
    if described and not any(noun_positions(sentence, r) for r in asked_roles):
        return True  # "footballers Eric Cantona" for "Who is the chairman of Manchester United?"
    while words and words[-1][:1].isupper() and words[-1].lower() not in STOPWORDS:
        owner.append(_POSSESSIVE.sub("", words.pop()))
    if not roles or not owner or not asked_roles & set(roles) \
            or not _role_of_target(q_low, asked_roles & set(roles), targets):
        return False
    owner_words = {w.lower() for o in owner for w in re.findall(r"[\w&]+", o)}
    target_words = {w.lower() for t in targets for w in re.findall(r"[\w&]+", t)}
    initials = {"".join(w[0] for w in re.findall(r"[\w&]+", t)).lower() for t in targets}
    # words the question itself gives the role are part of it, not another organisation: "Fund
    # manager Florian Hamm" and "Prime Minister Ephraim Inoni", capitalised where they open a
    # title, for "Which fund manager…" and "Which Cameroonian prime minister…"
    role_words = set(re.findall(r"[a-z]+", q_low))
    return not (owner_words & target_words or owner_words & initials or owner_words <= role_words)


def _role_of_target(q_low: str, roles: set[str], targets: list[str]) -> bool:
    """Whether the question asks for the role at a target: "the Arsenal manager", "HP's new chief
    executive", "the chairman of Manchester United". "Which economist said the UK was…" asks for
    any economist, whoever employs them."""
    for target in targets:
        t = re.escape(target.lower())
        for role in roles:
            r = re.escape(role)
            if re.search(rf"{t}(?:['’]s?)?\s+(?:[\w-]+\s+){{0,2}}?{r}s?\b", q_low) or \
                    re.search(rf"\b{r}s?\s+(?:of|at|for|with|to)\s+(?:the\s+)?(?:[\w-]+\s+){{0,2}}?{t}", q_low):
                return True
    return False


def cast_as(sentence: str, spans: list[TypedSpan], question: str) -> TypedSpan | None:
    """For "Who plays <role>?", the person written just before "as <role>" ("actor Scott Bakula
    as Captain Archer"): casting news names its parts this way, whatever else titles the actor
    ("former Quantum Leap actor")."""
    m = ASKS_PART.match(question.strip())
    if not m:
        return None
    role = [w for w in re.findall(r"[\w'’-]+", m.group("role")) if w[:1].isupper()] or m.group("role").split()[-1:]
    return next((sp for sp in spans if sp.label == "PERSON" and re.match(
        rf"\s+as\s+(?:the\s+)?(?:[\w'’-]+\s+){{0,2}}{re.escape(role[-1])}\b", sentence[sp.end :], re.I)), None)


def titled_as_other(sentence: str, span: TypedSpan, q_low: str, noun: str | None) -> bool:
    """Whether the person is titled by another noun the question names ("barged linesman Andy
    Davis" for "Which Hearts winger barged a linesman?"): that person is the linesman. The noun
    must follow an article in the question ("a linesman"), so that it is no verb ("Who did
    Arsenal beat?" is answered by "beat Chelsea")."""
    before = re.search(r"([a-z]{4,})\s+$", sentence[: span.start])
    if not before:
        return False
    word = before.group(1)
    if noun and singular(word) == singular(noun):
        return False
    return bool(re.search(rf"\b(?:a|an|the|his|her|its|their)\s+{re.escape(word)}\b", q_low))


# A name used as an adjective for a government or a time ("the Attlee government", "the Thatcher
# years") stands for that, not for the person doing what the sentence says.
_ERA_AFTER = re.compile(r"\s+(?:government|administration|era|years|cabinet|regime|presidency|doctrine|reforms)\b", re.I)


def _names_an_era(sentence: str, span: TypedSpan) -> bool:
    return bool(re.search(r"\bthe\s+$", sentence[: span.start], re.I)) and bool(_ERA_AFTER.match(sentence[span.end :]))


# A past holder of the role written before the name; a question asking in the past may want one.
_FORMER_BEFORE = re.compile(r"\b(?i:former\s+|ex-|then\s+)(?:[A-Z][\w'’.&-]*\s+){0,3}(?:[a-z-]+\s+){1,2}"
                            r"(?:(?:Sir|Dame|Lord|Dr|Mr|Mrs|Ms)\s+)?$")
# Another post of the same name written before the name: a shadow, deputy or acting one.
_QUALIFIED_ROLE_BEFORE = re.compile(r"\b(?i:(shadow|deputy|vice|assistant|acting|junior|interim))[\s-]+"
                                    r"(?:[A-Za-z-]+\s+){1,3}"
                                    r"(?:(?:Sir|Dame|Lord|Dr|Mr|Mrs|Ms)\s+)?$")
_ASKS_PAST_HOLDER = re.compile(r"\b(?:former|formerly|previous|ex|was|were|used to|had been|preceded|predecessor)\b")
# A person's name follows a title or a description, never a bare article: "the Volksoper".
_THE_BEFORE = re.compile(r"\b[Tt]he\s+$")
_HONORIFICS = frozenset({"Sir", "Dame", "Lord", "Lady", "Dr", "Mr", "Mrs", "Ms", "Miss"})
# the role written after a name: "Parry joined Liverpool as chief executive", "Parry, the club's
# chief executive,", "Smith became finance director"
_ROLE_AFTER = re.compile(r"^(?:\s*,\s*(?:the\s+|a\s+|its\s+)?(?:[A-Z][\w&.-]*(?:['’]s?)?\s+)*"
                         r"|\s+(?:joined\s+(?:[A-Z][\w&.-]*\s+)+as|became|becomes|was\s+(?:appointed|named|made)|"
                         r"has\s+been\s+(?:appointed|named))\s+(?:the\s+|a\s+|an\s+|its\s+)?(?:[A-Z][\w&.-]*(?:['’]s?)?\s+)*)"
                         r"(?:[a-z]+['’]s\s+)?((?:[a-z-]+\s+){0,2}[a-z-]+)")


def _roles_after(rest: str) -> list[str]:
    """People nouns of the role written right after a name (`_ROLE_AFTER`)."""
    m = _ROLE_AFTER.match(rest)
    if not m:
        return []
    return [w for w in map(singular, m.group(1).split()) if w in PEOPLE]


def shortened_noun(q_low: str, noun: str) -> str | None:
    """A compound noun asked is often written by its first word alone: "26 billion texts" counts
    the "text messages" asked. That word in the plural, when the question has one."""
    m = re.search(rf"\b([a-z]{{3,}})\s+{re.escape(noun.lower())}\b", q_low)
    if not m:
        return None
    word = m.group(1)
    return word + ("es" if word.endswith(("s", "x", "ch", "sh")) else "s")


def counts_other(sentence: str, span: TypedSpan, noun: str) -> bool:
    """Whether the number counts another noun, written right after it: "voted for by nearly
    4,000 listeners" counts listeners, not the votes asked for, though "voted" stands near."""
    after = re.match(r"\s+([a-z]+)\b", sentence[span.end :])
    if not after or span.label not in ("CARDINAL", "QUANTITY"):
        return False
    word = after.group(1)
    if re.search(r"\d(?:m|km|bn|kg)$", span.text):
        return not noun_positions(word, noun)  # "taking 800m and 1,500m gold": metres, not the votes asked
    plural = word.endswith("s") and not word.endswith("ss") and len(word) > 3
    # "22 members of the Royal Family" counts royals; "How many units…" asks for the units themselves
    if plural and word in _PARTS and not noun_positions(word, noun):
        owner = re.match(r"\s+of\s+((?:\S+\s+){0,2}\S+)", sentence[span.end + after.end() :])
        return not (owner and noun_positions(owner.group(1), noun))
    return plural and not noun_positions(word, noun)


# Plurals counting the members of what follows them: "22 members of the Royal Family".
_PARTS = frozenset({"members", "parts", "pieces", "units"})


# Not counts: "Kieran Campbell is one of five uncapped players" counts the squad
_FIGURES = frozenset({"MONEY", "PERCENT", "QUANTITY", "TIME"})
# How many words a person may stand before a figure and still be the one it is stated of.
OWNER_WORDS = 8


def figure_of_other(sentence: str, span: TypedSpan, spans: list[TypedSpan], targets: list[str]) -> bool:
    """Whether a figure is stated of a person the question does not name: the nearest person
    before it in its clause, none of the targets named between ("The AAAs title went to Ashley
    Swain, who climbed to 5.25m And Ireland's Taniesha Scanlon set a record of 13.28m", for
    Jade Johnson's jump). A speech verb between ends the claim: "Hamm said the club owed £5m"."""
    measure = span.label in _FIGURES or any(sp.label in _FIGURES and (sp.start, sp.end) == (span.start, span.end)
                                            for sp in spans)  # "13.28m", typed a number by pattern too
    if not measure or not targets:
        return False
    people = [sp for sp in spans if sp.label == "PERSON" and sp.end <= span.start]
    if not people:
        return False
    owner = max(people, key=lambda sp: sp.end)
    between = sentence[owner.end : span.start]
    if len(re.findall(r"\w+", between)) > OWNER_WORDS or re.search(r"[;:]|\b(?:said|says|told|according)\b", between):
        return False
    if re.fullmatch(r"\s*,\s*[a-z]+\s*", between) and _mentions_target(sentence[: owner.start], targets):
        # the person closes an aside on a target: "A Series of Unfortunate Events, starring Jim
        # Carrey, took $30.2m"
        return False
    return not (_names_a_target(owner.text, targets) or _mentions_target(f"{owner.text} {between}", targets))


def figure_elsewhere(sentence: str, span: TypedSpan, spans: list[TypedSpan], targets: list[str]) -> bool:
    """Whether the figure is given for another place than the country the question names: the
    place right after it ("sold nearly 95,000 cars in Asia") is not the one asked about; "£339 in
    the UK and $499 in the US" gives the UK's price first."""
    countries = [t for t in targets if is_country(t)]
    if not countries:
        return False
    place = min((sp for sp in spans if sp.label in ("GPE", "LOC") and sp.start >= span.end), key=lambda sp: sp.start,
                default=None)
    if place is None or len(sentence[span.end : place.start].split()) > PLACE_WORDS:
        return False
    return bool(_IN_PLACE.search(sentence, 0, place.start)) and not _names_a_target(place.text, targets)


PLACE_WORDS = 4  # "95,000 cars last year in Asia": words between a figure and the place it is for
_IN_PLACE = re.compile(r"\b(?:in|across|throughout)\s+(?:the\s+)?$", re.I)
_AGED_BEFORE = re.compile(r"\baged\s+(?:between\s+|over\s+|under\s+|from\s+)?$", re.I)  # "adults aged 18 or over"


def clause_of_other(sentence: str, span: TypedSpan, spans: list[TypedSpan], targets: list[str]) -> bool:
    """Whether a figure stands in a clause of its own that names someone else and no target, the
    target being named elsewhere in the sentence: "Deutsche Bank said it would reduce its German
    workforce by 1,920 while as many as 300 jobs will be lost at Credit Suisse First Boston" does
    not give 300 as Deutsche Bank's cuts."""
    if span.label not in _FIGURES | {"CARDINAL"} or not targets:
        return False
    opens = [m.end() for m in _CLAUSE_BREAK.finditer(sentence, 0, span.start)]
    start = opens[-1] if opens else 0
    after = _CLAUSE_BREAK.search(sentence, span.end)
    end = after.start() if after else len(sentence)
    if not opens and not after:
        return False
    clause = sentence[start:end]
    if _mentions_target(clause, targets) or not _mentions_target(sentence[:start] + " " + sentence[end:], targets):
        return False
    # someone named, not described: "The Czech international came on after 74 minutes" is Baros
    return any(sp.label in ("PERSON", "ORG") and start <= sp.start and sp.end <= end
               and not _names_a_target(sp.text, targets) for sp in spans if sp is not span)


# Where one clause of a sentence gives way to another with its own subject.
_CLAUSE_BREAK = re.compile(r"\b(?:while|whereas|whilst)\b|;|,\s+(?:but|and|although|though)\b|\bbut\b")


def _mentions_target(text: str, targets: list[str]) -> bool:
    """Whether the text names a target by a capitalised word of its name ("Johnson" for "Jade
    Johnson"), its first letters at least ("Novo's" for "Novo"), or by its initials."""
    words = {w for t in targets for w in re.findall(r"[\w&'-]+", t) if w[:1].isupper() and len(w) >= 3}
    if any(re.search(rf"(?<![\w-]){re.escape(w[:max(5, len(w) - 3)])}", text) for w in words):
        return True
    return any(re.search(rf"\b{re.escape(short)}\b", text) for t in targets if (short := initialism(t)))  # "ISG"


_SUBJECT_LABELS = frozenset({"PERSON", "ORG", "GPE", "NORP"})


def speaks_of_other(sentence: str, spans: list[TypedSpan], targets: list[str], context: str = "",
                    answer: TypedSpan | None = None) -> bool:
    """Whether the sentence is about someone else than the question's targets: it opens with
    another name as its subject and names no target, by a capitalised word of its name, in
    itself or in `context` (the sentence its pronoun refers to). "ABN Amro, the Netherlands'
    largest bank, is to cut 2,850 jobs" in an article on Deutsche Bank's cuts: "bank" is no
    mention of Deutsche Bank."""
    if not targets or _mentions_target(context or sentence, targets):
        return False
    opening = len(" ".join(sentence.split()[:3]))
    lead = min((sp for sp in spans if sp.label in _SUBJECT_LABELS and sp.start <= opening), key=lambda sp: sp.start,
               default=None)
    if lead is None or _names_a_target(lead.text, targets):
        return False
    if answer and answer.start < lead.end and lead.start < answer.end:
        return False  # the subject may be the answer itself: "Mr Thoday said…" for "Which producer…"
    if answer and lead.label == "NORP" and len(sentence[lead.end : answer.start].split()) <= 3 and answer.start >= lead.end:
        return False  # or described by it: "Swedish triple jumper Christian Olsson was voted…"
    possessive = re.search(r"['’]s?$", lead.text) or re.match(r"['’]s?(?!\w)", sentence[lead.end :])
    return not possessive  # "Frank Capra's 1946 movie" is no subject


_HYPHENATED = re.compile(r"\b([A-Za-z]+(?:-[a-z]+)+)\s+([a-z]+)\b")  # "US-led", not the "Jean-Pierre" of a name
# The last part of a qualifier that only says how its first part relates: "flash-based",
# "state-owned", "US-led". The first part, written anywhere, qualifies the same way.
_PARTICIPLES = frozenset("based owned run backed led funded controlled made powered driven related style hit struck "
                         "stricken affected".split())


def qualified_otherwise(sentence: str, question: str) -> bool:
    """Whether the question sets its noun apart by a hyphenated qualifier ("single-day
    tickets", "pre-tax profit") that the sentence lacks, and the sentence writes the noun with
    another ("Weekend tickets are now on sale priced at £125"): a figure for another kind of it."""
    q_low = question.lower()
    for m in _HYPHENATED.finditer(question):  # as written: "Jean-Pierre Garnier" is a name
        qualifier, noun = (g.lower() for g in m.groups())
        parts = qualifier.split("-")
        participle = parts[-1] in _PARTICIPLES
        if participle:  # "flash-based phones" are the "mobiles using flash technology"
            parts = parts[:-1]
        if len(literal_found(parts, sentence)) == len(parts):
            continue
        for start, _ in noun_positions(sentence, noun):
            before = re.search(r"([\w'’-]+)\s+$", sentence[:start])
            word = before.group(1).lower() if before else ""
            if participle and word.endswith("ed"):
                continue  # a state for a state, no other kind: "affected countries" for "tsunami-hit countries"
            if word and word not in STOPWORDS and word not in q_low and not word[0].isdigit():
                return True
    # and by the words accounts tell kinds of a figure apart: "operating profit" is not the "net
    # profit of 19bn kronor"
    for m in _KIND_OF_FIGURE.finditer(q_low):
        kind, noun = m.groups()
        if re.search(rf"\b{re.escape(kind)}\b", sentence, re.I):
            continue
        for start, _ in noun_positions(sentence, noun):
            before = re.search(r"([\w'’-]+)\s+$", sentence[:start])
            if before and before.group(1).lower() in _FIGURE_KINDS:
                return True
    return False


_FIGURE_KINDS = frozenset("operating net gross pre-tax pretax underlying core trading".split())
_KIND_OF_FIGURE = re.compile(rf"\b({'|'.join(sorted(_FIGURE_KINDS))})\s+"
                             r"(profits?|income|earnings|losses|loss|margins?|revenues?|sales)\b")


def beside_noun(sentence: str, span: TypedSpan, positions: list[tuple[int, int]]) -> bool:
    return any(_words_between(sentence, span, pos) <= 3 for pos in positions)


def noun_positions(sentence: str, noun: str) -> list[tuple[int, int]]:
    """Where the noun or a word of its family stands ("companies", "complained" for
    "complaints"), by a stem of at least six letters, so "compared" is no "company"."""
    one = singular(noun.lower())
    family = next((group for group in _SAME_NOUN if one in group), {one})
    if one in _COUNTED_PEOPLE:
        family = family | {"people"}  # "limited to the first 50,000 people" counts the customers asked
    stems = [w if len(w) <= 6 else w[: max(6, len(w) - 2)] for w in sorted(family)]
    return sorted({(m.start(), m.end()) for stem in stems
                   for m in re.finditer(rf"\b{_written_apart(stem)}\w*", sentence, re.I)})


def _written_apart(stem: str) -> str:
    """A pattern for the stem, also as two words or hyphenated ("car maker" for "carmaker")."""
    splits = [f"{re.escape(stem[:i])}[ -]{re.escape(stem[i:])}" for i in range(3, len(stem) - 2)] if len(stem) >= 6 else []
    return f"(?:{'|'.join([re.escape(stem), *splits])})"


# People counted by what they are to the story: news often counts them as "people".
_COUNTED_PEOPLE = frozenset("customer user subscriber viewer fan voter worker employee visitor resident patient "
                            "student passenger member listener reader consumer shopper adult spectator".split())
# Nouns news uses for one another. Words for one post: "AK chief Isaiah Kiplagat" answers "Who is
# the head of Athletics Kenya?", "HP boss Carly Fiorina" "Who is HP's chief executive?". An
# actor's parts are his roles: "who plays five roles" answers "How many parts does Hanks play?".
# A chairman is also written "chair": "Hugh Morgan Williams, chair of the CBI's SME Council".
# (Not firm for company, nor movie for film: "business intelligence firm GPW" then stood beside
# "Which company…" as closely as the answer did, and lost two items of the earlier sets.)
_SAME_NOUN: tuple[frozenset[str], ...] = (
    frozenset({"head", "chief", "boss", "leader", "executive", "ceo"}),
    frozenset({"part", "role", "character"}),
    frozenset({"chairman", "chairwoman", "chair", "chairperson"}),
)


def _words_between(sentence: str, span: TypedSpan, pos: tuple[int, int]) -> int:
    """Words, not punctuation: "iPodder, a small computer program" has three between."""
    lo, hi = (span.end, pos[0]) if span.end <= pos[0] else (pos[1], span.start)
    return len(re.findall(r"\w+", sentence[lo:hi])) if hi >= lo else 0


_HE_OR_SHE = re.compile(r"(?:He|She)\b")


def antecedent(sentence: str, before_spans: list[TypedSpan], targets: list[str] = ()) -> TypedSpan | None:
    """For a sentence opening with "He" or "She", the person the sentence before names first
    (its subject, as a rule), unless that is one of the question's targets: "Dave Winer is… He designed the
    format called RSS" answers "Who designed RSS?" with Dave Winer. The span returned stands on
    the pronoun, so the quoted support starts there (and takes in the sentence before); its
    text is the name."""
    m = _HE_OR_SHE.match(sentence)
    if not m:
        return None
    person = next((sp for sp in sorted(before_spans, key=lambda sp: sp.start) if sp.label == "PERSON"), None)
    if person is None or _names_a_target(person.text, targets):
        return None  # "Mr Cunningham went on to… He has represented…": he is the one asked about
    return TypedSpan(start=0, end=m.end(), label="PERSON", text=person.text)


def _names_a_target(text: str, targets: list[str]) -> bool:
    """"S-400 Triumph" does not answer a question about the S-400, nor "KSE" one about the
    Karachi Stock Exchange."""
    low = text.lower()
    if any(t.lower() in low for t in targets if len(t) >= 3):
        return True
    if any(re.search(rf"\b{re.escape(t)}\b", text) for t in targets if len(t) == 2):
        return True  # "G8", "BT": short, so a whole word and as written
    if text.strip() in {initialism(t) for t in targets}:
        return True
    # "Cunningham" is "Jack Cunningham" named again: the last words of a target's name
    words = re.findall(r"[\w'’-]+", text)
    if words and any(re.findall(r"[\w'’-]+", t)[-len(words):] == words for t in targets if " " in t.strip()):
        return True
    # and "the European Union" one about the EU
    spelled = "".join(w[0] for w in text.split() if w[0].isupper() and w not in ("A", "An", "The"))
    if len(spelled) >= 2 and spelled in {t for t in targets if t.isupper()}:
        return True
    # nor "the European Indoor Athletics Championships" one about the European Indoor Championships
    words = re.findall(r"[\w'’-]+", low)
    return any(_words_in_order(t.lower().split(), words) for t in targets)


def _words_in_order(name: list[str], words: list[str]) -> bool:
    """Whether a name of two words or more (each of 3+ letters) has all its words among `words`, in order."""
    rest = iter(words)
    return len(name) >= 2 and all(len(w) >= 3 for w in name) and all(w in rest for w in name)


def _within_name(span: TypedSpan, spans: list[TypedSpan], sentence: str, targets: list[str]) -> bool:
    """A number that is part of a name: inside a longer name entity or a day's date, or right
    after a name the question gives ("the Nikkei 225 index" for a question about the Nikkei)."""
    before = sentence[: span.start]
    if span.text[:1].isdigit() and any(re.search(rf"\b{re.escape(t)}\s$", before) for t in targets):
        return True  # (a number in digits: "won the European Cup once" counts)
    return any((o.label in _NAME_LABELS or o.label == "DATE" and _DAY.search(o.text))
               and o.start <= span.start and span.end <= o.end and o.end - o.start > len(span.text)
               for o in spans)  # nor does the "1" of "1 January"


# What marks a figure as expected rather than reached: "INSEE expects the economy to grow by about 2.4%".
_FORECAST_BEFORE = re.compile(r"\b(?:expects?|expected|expecting|forecasts?|forecast(?:ed|ing)|predicts?|predicted|"
                              r"projects?|projected|set to|likely to|aims? to|targets?)\b(?:\W+\w+){0,6}\W*$", re.I)
_ASKS_FORECAST = re.compile(r"\b(?:expect\w*|forecast\w*|predict\w*|project\w*|will|would|set to|likely|aim\w*|"
                            r"target\w*)\b")


def forecast_for_fact(sentence: str, span: TypedSpan, q_low: str) -> bool:
    """A figure stated as a forecast, for a question asking what happened: "expects the economy
    to grow by about 2.4% this year" does not say how much it grew."""
    asks_past = re.match(r"^(?:[^,]+,\s*)?(?:by )?(?:how|what|which)\b.*?\b(?:did|was|were|had)\b", q_low)
    return bool(asks_past) and not _ASKS_FORECAST.search(q_low) and bool(_FORECAST_BEFORE.search(sentence[: span.start]))


# A figure for each one of many ("£52 each", "£143,000 per successful asylum seeker", "an
# average of 3.2 goals"), not a rate over time ("£2bn a year", "5% per annum"), which totals do
# not ask for.
_PER_AFTER = re.compile(r"\s*(?:each|apiece|a head|per (?!cent\b|annum\b|(?:year|month|week|day|hour|minute|second|"
                        r"quarter)s?\b)[a-z]+)\b")
_AVERAGE_BEFORE = re.compile(r"\b(?:on average|an average of|averag(?:e|ed|ing))\s+(?:\S+\s+)?$")
# A price is for one: "How much are weekend tickets…?" is answered by "£125 each".
_ASKS_PER = re.compile(r"\b(?:each|every|per|apiece|a head|averag\w*|typical\w*|costs?|pric\w*|charg\w*|fees?)\b"
                       r"|^how much (?:is|are|was|were)\b")


def per_unit(sentence: str, span: TypedSpan) -> bool:
    """Whether the figure is stated for each one of many (see _PER_AFTER), not as a total."""
    return bool(_PER_AFTER.match(sentence, span.end) or _AVERAGE_BEFORE.search(sentence[: span.start]))


_INSTEAD_BEFORE = re.compile(r"\b(?:instead of|rather than|in place of)\s+(?:the\s+)?$", re.I)
# The last word of a place NER often tags as an organisation: "the Lausanne Conservatory".
_INSTITUTION = re.compile(r"\b(?:Conservatoire|Conservatory|University|College|School|Academy|Institute|Hospital|"
                          r"Clinic|Stadium|Theatre|Theater|Centre|Center|Arena|Hall|Museum|Gallery|Prison|Airport)$")


# A question asking for a level or price, which a change ("up 0.7%", "fell 56 pence") does not answer.
_ASKS_LEVEL = re.compile(r"\b(?:what|which) (?:level|price)\b|\bshare price\b|\bprice per share\b|\bclose[ds]? at\b")
_CHANGE_BEFORE = re.compile(r"\b(?:up|down|rose|fell|gained|lost|climbed|dropped|jumped|slipped|added|shed|rising|falling)"
                            r"(?: by)?\s+(?:about |almost |nearly |more than |some )?$", re.I)


def _within_target(sentence: str, span: TypedSpan, targets: list[str]) -> bool:
    """The span is part of a name the question gives (the "2" of "copies of Half-Life 2"), or
    that name's short form in brackets after it ("European Athletics (EAA)")."""
    if any(re.search(rf"{re.escape(t)}\s*\($", sentence[: span.start]) and sentence[span.end : span.end + 1] == ")"
           for t in targets):
        return True
    return any(m.start() <= span.start and span.end <= m.end() and (m.start(), m.end()) != (span.start, span.end)
               for t in targets for m in re.finditer(re.escape(t), sentence))


_NUMBER = re.compile(r"\d+(?:[.,]\d+)*")


def given_in_question(sentence: str, span: TypedSpan, q_low: str) -> bool:
    """A figure the question states itself, or its conversion in brackets after it: "the NM2
    project's 7.5m euro funding" is not answered by "a new 7.5m euro (£5.1m) project"."""
    asked = set(_NUMBER.findall(q_low))
    if not asked:
        return False
    numbers = _NUMBER.findall(span.text)
    if numbers and all(n in asked for n in numbers):
        return True
    bracket = re.search(r"(\d+(?:[.,]\d+)*)[\w$£€%]*(?:\s+[a-z]+)?\s*\($", sentence[: span.start])
    return bool(bracket and bracket.group(1) in asked)


def _in_question(text: str, q_low: str) -> bool:
    """Whether the span only repeats the question's words; its numbers count ("Channel 4" answers
    "Which channel…?")."""
    words = [w for w in re.findall(r"\w+", text.lower()) if len(w) > 2 or w.isdigit()]
    return bool(words) and all(re.search(rf"\b{w}\b" if w.isdigit() else re.escape(w), q_low) for w in words)


def focus_points(sentence: str, terms: list[str]) -> list[int]:
    low = sentence.lower()
    return [m.start() for t in terms for m in re.finditer(rf"\b{re.escape(t)}", low)]


def word_points(sentence: str, words: list[str]) -> list[int]:
    """Where the words, or words sharing their first letters ("heads" / "Head"), stand in the sentence."""
    low = sentence.lower()
    prefixes = {w.lower()[: max(4, len(w) - 2)] for w in words if len(w) >= 3}
    return sorted(m.start() for p in prefixes for m in re.finditer(rf"(?<!\w){re.escape(p)}", low))


# How many words a clause may add to the quoted support to take in what the question asks.
CLAUSE_SLACK = 15


def clause_around(sentence: str, start: int, end: int, max_words: int = 30, anchors: list[int] = ()) -> tuple[int, int]:
    """A verbatim window of the sentence around [start, end), cut at clause punctuation when the
    whole sentence is longer than `max_words`, so a quoted support stays short. When the window
    holds none of the `anchors` (where the question's words stand), it takes in the nearest
    clause that does, within CLAUSE_SLACK more words: "…reported citing Sergei Chemezov, the
    Head of… ROSTEC" for "Who heads Rostec?", not the first clause alone."""
    if len(sentence.split()) <= max_words:
        return 0, len(sentence)
    # no cut inside brackets: "1.55bn euros ($2bn; £1.1bn)" stays whole
    breaks = [m.end() for m in re.finditer(r"[,;:–—]\s|\s[–—]\s", sentence) if not _inside_brackets(sentence, m.start())]
    cuts = [0, *breaks, len(sentence)]
    lo = max(c for c in cuts if c <= start)
    hi = min(c for c in cuts if c >= end)
    while len(sentence[lo:hi].split()) < 8:  # too short to read alone: widen by a clause
        wider = [c for c in cuts if c < lo]
        higher = [c for c in cuts if c > hi]
        if not wider and not higher:
            break
        if higher:
            hi = higher[0]
        if wider and len(sentence[lo:hi].split()) < 8:
            lo = wider[-1]
    if anchors and not any(lo <= a < hi for a in anchors):
        a = min(anchors, key=lambda a: min(abs(a - lo), abs(a - hi)))
        wider_lo, wider_hi = (lo, min(c for c in cuts if c > a)) if a >= hi else (max(c for c in cuts if c <= a), hi)
        if len(sentence[wider_lo:wider_hi].split()) <= max_words + CLAUSE_SLACK:
            lo, hi = wider_lo, wider_hi
    s, e = lo, hi
    while s < e and sentence[s] in " ,;:–—":
        s += 1
    while e > s and sentence[e - 1] in " ,;:–—":
        e -= 1
    return s, e


def _inside_brackets(sentence: str, at: int) -> bool:
    """Whether the offset stands inside brackets: "($2bn; £1.1bn)"."""
    return sentence.rfind("(", 0, at) > sentence.rfind(")", 0, at) and ")" in sentence[at:]


_POSSESSIVE = re.compile(r"['’]s?$")
FULL_NAME_LABELS = ("PERSON", "ORG")


def full_name(short: TypedSpan, entities: list[Entity], question: str = "") -> str:
    """A person or organisation as the document names it in full: the answering sentence often
    uses a short form ("This game against Jonah…", "Mr Thoday said…") of a name given whole
    elsewhere ("New Zealand winger Jonah Lomu"). Only when one longer form exists: with two
    ("Gordon Brown", "Steve Brown") the short form stays. A longer form adding the question's
    own words ("Apple iPods" for "Which company makes the iPod?") is not the answer's name."""
    name = _POSSESSIVE.sub("", short.text.strip())
    if short.label not in FULL_NAME_LABELS or not name:
        return name or short.text
    inside = re.compile(rf"(?<![\w-]){re.escape(name)}(?![\w-])")
    longer = {
        full for e in entities
        if e.label == short.label
        and len((full := _POSSESSIVE.sub("", e.text.strip(_DANGLING))).split()) > len(name.split())
        and len(full.split()) <= 5 and inside.search(full)
        and not _adds_question_words(inside.sub(" ", full), question)
    }
    forms = [f for f in longer if not any(f != g and f in g for g in longer)]  # the longest forms
    return forms[0] if len(forms) == 1 else name


def _adds_question_words(extra: str, question: str) -> bool:
    asked = {w.rstrip("s") for w in re.findall(r"\w+", question.lower()) if len(w) > 2}
    return any(w.rstrip("s") in asked for w in re.findall(r"\w+", extra.lower()) if len(w) > 2)


def named_after_noun(sentence: str, noun: str, label: str) -> list[TypedSpan]:
    """Names standing right after the noun a which-question asks for, typed as that noun's kind:
    "the journal Nature", "storage specialists BridgeHead Software". NER misses many such names
    (a journal called Nature, a club called Birchfield), and the noun says what they are. A few
    words may stand between, before "called" or "named": "a search system for its computers
    called Spotlight"."""
    out = []
    for at, end in noun_positions(sentence, noun):
        if _CAPITALISED_BEFORE.search(sentence, 0, at) and sentence[at].isupper() and label != "PERSON":
            # the noun is a word of a longer name: "the Orange Film Of The Year"; a person's
            # title is not ("US District Court Judge Robert W Sweet ruled…")
            continue
        called = _CALLED.match(sentence, end)
        m = (_TITLE_AFTER if singular(noun) in TITLED else _NAME_AFTER).match(sentence, called.end() if called else end)
        if m and not _SUBJECT_OF_RELATIVE.match(sentence, m.end(1)):
            start, stop = m.start(1), m.end(1)
            if sentence[stop - 1] == "." and not re.search(r"\b[A-Z]\.$", sentence[start:stop]):
                stop -= 1  # the full stop ending the sentence, not an initial's
            out.append(TypedSpan(start=start, end=stop, label=label, text=sentence[start:stop]))
    return out


# A name opening a clause on the noun before it: "the song Britons would most like played"
# (the song that Britons would like), not a song called Britons.
_SUBJECT_OF_RELATIVE = re.compile(r"\s+(?:would|will|can|could|should|might|must|want|wanted|like|liked|love|loved|"
                                  r"prefer|preferred|chose|choose)\b")
# An age, which answers only a question asking one.
_AGE = re.compile(r"-old\b|\byears? old\b|^aged\b", re.I)
# (not the "Age Concern" of a question on its survey)
_ASKS_AGE = re.compile(r"\bhow old\b|\b(?:what|which) age\b|\bat (?:the )?age\b|\bage of\b|\baged\b|\bborn\b")
# A source a sentence cites: "…, the Financial Times reported." or "according to Reuters".
_REPORTED_AFTER = re.compile(r"\s+(?:has\s+|had\s+)?(?:reported|reports|revealed|quoted)\b")
_ACCORDING_BEFORE = re.compile(r"\baccording to\s+(?:the\s+)?$", re.IGNORECASE)
# A question asking for the source itself.
_ASKS_SOURCE = re.compile(r"\b(?:newspaper|paper|magazine|agency|broadcaster|channel|website|report|reported|journal|"
                          r"tabloid|station|source|according)\b")


def reporting_source(sentence: str, span: TypedSpan) -> bool:
    """Whether the span is the source the sentence cites rather than someone it tells of."""
    return bool(_REPORTED_AFTER.match(sentence, span.end) or _ACCORDING_BEFORE.search(sentence[: span.start]))


# Two or more capitalised words, small words between: "A Present For Everyone", "America the Beautiful".
_TITLE_RUN = re.compile(r"(?<![\w'’])(?:[A-Z][\w'’.-]*)(?:\s(?:(?:of|and|&|the|a|an)\s){0,2}"
                        r"[A-Z][\w'’.-]*){1,6}")
# Names no title is made of: a title containing one is longer ("America the Beautiful").
_NOT_TITLES = frozenset({"PERSON", "ORG", "GPE", "NORP", "LOC", "FAC", "DATE", "TIME", "EVENT"})


def title_runs(sentence: str, spans: list[TypedSpan]) -> list[TypedSpan]:
    """Capitalised runs inside a sentence, typed as titles, for questions asking for a work: NER
    misses many song, album and show titles ("made the top ten with their self-titled debut
    album, as well as the follow-up, A Present For Everyone"). The sentence's first word is
    capitalised anyway."""
    named = {(sp.start, sp.end) for sp in spans if sp.label in _NOT_TITLES}
    out = []
    for m in _TITLE_RUN.finditer(sentence):
        start, end = m.start(), m.end()
        if sentence[end - 1] == ".":
            end -= 1
        if start == 0 or any(a <= start and end <= b or b == end for a, b in named):
            continue  # within a name, or ending in one: "Prime Minister Tony Blair" is a post and a name
        out.append(TypedSpan(start=start, end=end, label="WORK_OF_ART", text=sentence[start:end]))
    return out


# up to four lower-case words, then a naming verb: "system for its computers called Spotlight"
_CALLED = re.compile(r"(?:\s+(?!called|named|dubbed|known)[a-z][\w'’-]*){0,4}\s+(?:called|named|dubbed|known as)(?=\s[A-Z])")
_CAPITALISED_BEFORE = re.compile(r"[A-Z][\w'’.-]*\s+$")


def named_in_apposition(sentence: str, noun: str, label: str) -> list[TypedSpan]:
    """Names set beside the noun a which-question asks for by commas: "NM Rothschild, the
    investment bank, is advising…" and "The chairman of the Bar Council, Guy Mansfield QC,
    warned…". NER misses many of these, and the apposition says what they are."""
    out = []
    for start, end in noun_positions(sentence, noun):
        before = _APPOSED_BEFORE.search(sentence, 0, start)
        after = _APPOSED_AFTER.match(sentence, end)
        for m in (before, after):
            if m:
                first, stop = m.span(1)
                while stop > first and sentence[stop - 1] in " .":
                    stop -= 1
                out.append(TypedSpan(start=first, end=stop, label=label, text=sentence[first:stop]))
    return out


# "NM Rothschild, the investment bank": a name, a comma, then the noun with a few words before it
_APPOSED_BEFORE = re.compile(r"(?:^|(?<=\s))((?:[A-Z][\w'’.&-]*\s){0,4}[A-Z][\w'’.&-]*),\s(?:the|a|an)\s(?:[a-z][\w-]*\s){0,3}$")
# "the chairman of the Bar Council, Guy Mansfield QC": the noun's organisation, a comma, the name
_APPOSED_AFTER = re.compile(r"\s(?:of|at|for)\s(?:the\s)?(?:[A-Z][\w'’.&-]*\s){0,4}[A-Z][\w'’.&-]*,\s"
                            r"([A-Z][\w'’.-]*(?:\s[A-Z][\w'’.-]*){0,3})")


# "Which company makes the Xbox?": a verb of making or owning, whose subject news writes as the
# thing's possessor ("Microsoft's Xbox").
ASKS_MAKER = re.compile(r"\b(?:makes?|made|owns?|owned|runs?|developed|develops|produces?|produced|publishes|published|"
                        r"manufactures?|manufactured|operates?|operated|is behind|was behind)\b")
# A sentence stating who makes or owns something: by the verb, or by the noun ("The owners of
# Rossignol, the Boix-Vives family").
STATES_MAKING = re.compile(rf"{ASKS_MAKER.pattern}|\b(?:owners?|makers?|manufacturers?|developers?|publishers?|creators?)\b",
                           re.IGNORECASE)


def agent_of_asked(sentence: str, span: TypedSpan, asked: list[str]) -> bool:
    """Whether the name is the agent of an asked verb: "the rebate secured by Margaret Thatcher"
    for "Who secured the UK's rebate?", also past a description of the agent: "It was carried out
    by husband and wife economist team Jim and Margaret Cuthbert", "to be directed by 13 Going on
    30 film-maker Gary Winick" (a description ending in a common noun)."""
    m = re.search(r"\b([a-z]+)(?:\s+(?:out|up|off|down|over))?\s+by\s+(?:(?:the|a|an)\s+)?"
                  r"(?:(?:[\w'’-]+\s+){0,5}[a-z][\w'’-]*\s+)?$",
                  sentence[: span.start])  # (the verb, past a particle: "carried out by")
    return bool(m) and bool(literal_found(asked, m.group(1)))


def object_of_asked(sentence: str, span: TypedSpan, asked: list[str], question: str, targets: list[str]) -> bool:
    """Whether the name is the object of an asked verb whose subject, a target, stands before it,
    when the question asks for that object: "Hanks will play Robert Langdon" for "Which character
    will Tom Hanks play…?", "Chelsea signed Didier Drogba" for "Who did Chelsea sign?". (Not for
    "Who beat Arsenal?": there the target is the object.)"""
    if not _ASKS_OBJECT.match(question):
        return False
    verb = re.search(r"\b([a-z]{3,})\s+(?:the\s+|a\s+|an\s+)?$", sentence[: span.start])
    if not verb or not literal_found(asked, verb.group(1)):
        return False
    before = sentence[: verb.start()]
    return any(re.search(rf"\b{re.escape(t.split()[-1])}\b", before) for t in targets)


def subject_of_asked(sentence: str, span: TypedSpan, asked: list[str], question: str) -> bool:
    """Whether the name is the subject of an asked verb, written right after it, when a
    who-question asks for the subject: "Glen Yearwood, who is representing the reggae industry"
    for "Who represented the reggae industry…?"."""
    if _ASKS_OBJECT.match(question) or not re.match(r"who\s", question, re.I):
        return False
    m = _VERB_AFTER.match(sentence, span.end)
    if not m or not (verbs := literal_found(asked, m.group(1))):
        return False
    # and done to the thing asked, every word of it asked: "Westlife won the award for best Irish
    # pop act" is not who won best Irish female, nor "Peter Caruana will represent the British
    # citizens" who represented Spain. The object ends at a comma or at a word setting the scene
    # ("Drogba scored the winner in the 80th minute").
    obj = _OBJECT_END.split(sentence[m.end() :], maxsplit=1)[0].split()[:OBJECT_WORDS]
    words = [w for w in (re.sub(r"\W+$|^\W+", "", w).lower() for w in obj) if w and w not in STOPWORDS]
    rest = [w for w in asked if w not in verbs]
    return bool(words) and bool(literal_found(rest, " ".join(words))) and stems(" ".join(words)) <= stems(question)


OBJECT_WORDS = 6  # words after the verb that say what it was done to
_OBJECT_END = re.compile(r"[,;:.!?\"“”]|\s(?:in|at|on|during|after|before|when|while|since|as|but|and)\s")


# The verb a name is the subject of: "Yearwood, who is representing", "Drogba scored", "Jo Smith has led".
_VERB_AFTER = re.compile(r",?\s+(?:who\s+)?(?:(?:is|was|are|were|has|have|had|will|would)\s+(?:been\s+|also\s+)?)?"
                         r"([a-z]{3,})\b")
# "Who did…", "Which character will Tom Hanks…": an auxiliary after the question word, so the
# question's subject is named and its object asked.
_ASKS_OBJECT = re.compile(r"^(?:who|whom|what|which(?:\s+[\w'’-]+){1,3}?)\s+(?:did|does|do|will|would|has|have|had|"
                          r"can|could|should|might)\s", re.I)


def owner_of_target(sentence: str, targets: list[str], label: str) -> list[TypedSpan]:
    """The maker or owner of a target, as news writes it: the possessor before it ("Microsoft" in
    "Microsoft's Xbox", "Sony's new PlayStation 2"), the subject whose "its" it is ("Apple has
    expanded its iPod family", only lower-case words between), or the name after "maker" ("iPod
    maker Apple")."""
    out = []
    name = r"((?:[A-Z][\w&.-]*\s){0,3}[A-Z][\w&.-]*)"
    for t in targets:
        target = re.escape(t)
        patterns = (rf"{name}['’]s\s+(?:[\w-]+\s+){{0,2}}?{target}\b",
                    rf"{name}\s+(?:[a-z][\w-]*\s+){{1,8}}?its\s+(?:[\w-]+\s+){{0,2}}?{target}\b",
                    rf"\b{target}\s+(?:maker|manufacturer|owner|developer|creator|publisher)s?\s+{name}")
        for pattern in patterns:
            for m in re.finditer(pattern, sentence):
                words = list(re.finditer(r"\S+", m.group(1)))
                while words and words[0].group().lower() in STOPWORDS:
                    words.pop(0)  # "The Microsoft's…" at a sentence start
                start = m.start(1) + words[0].start() if words else m.end(1)
                if words and sentence[start : m.end(1)] not in targets:
                    out.append(TypedSpan(start=start, end=m.end(1), label=label, text=sentence[start : m.end(1)]))
    return out


def named_before_noun(sentence: str, noun: str, spans: list[TypedSpan], targets: list[str] = (),
                      label: str = "ORG") -> list[TypedSpan]:
    """Organisations named right before the noun a which-question asks for, at most one
    lower-case word between: "the Tampa Bay Buccaneers American football team", "the Labour
    party". A nationality at the end of the run ("American"), tagged by NER or named in the
    question ("Which American football team…"), is left out. With `label` FAC, a place names
    the facility ("Frankfurt airport", "Paddington station"); for an organisation it says
    where it is from ("New York band Scissor Sisters")."""
    out = []
    for start, _ in noun_positions(sentence, noun):
        m = _NAME_BEFORE.search(sentence, 0, start)
        if not m:
            continue
        words = [(w.start(), w.end(), w.group()) for w in re.finditer(r"\S+", sentence[m.start(1) : m.end(1)])]
        while words and words[0][2].lower() in STOPWORDS:
            words.pop(0)  # "The Labour party" at the start of a sentence
        while len(words) > 1 and words[-1][2] in targets:
            words.pop()
        if not words:
            continue
        first, stop = m.start(1) + words[0][0], m.start(1) + words[-1][1]
        if label != "FAC" and any(s.label in _PLACES | {"NORP"} and s.start <= first and s.end >= stop for s in spans):
            continue  # "New York band Scissor Sisters": a place, not the band's name
        for span in spans:
            if span.label == "NORP" and span.end == stop and span.start > first:
                stop = span.start - 1
        if stop >= start - 1 and sentence[start].isupper():
            stop = start + len(re.match(r"\w+", sentence[start:]).group())  # "the Alltel Stadium": the noun is in the name
        if stop > first:
            out.append(TypedSpan(start=first, end=stop, label=label, text=sentence[first:stop]))
    return out


_NAME_BEFORE = re.compile(r"(?:^|(?<=\s))((?:[A-Z][\w'’.&-]*\s){1,5})(?:[a-z][\w-]*\s)?$")  # not "GB" of "6GB"
# one to four capitalised words (joined by "of", "&", "and"), after a space or ", "
# Titles of works keep their small words: "his album A Message from the People", "the film Harry
# Potter and the Prisoner of Azkaban"; not prepositions of place ("Million Dollar Baby in London").
TITLED = frozenset("album film movie book novel song single play musical show series game opera".split())
_TITLE_AFTER = re.compile(r",?\s((?:[A-Z][\w'’.-]*|&)(?:\s(?:(?:of|and|&|from|the|a|an)\s){0,2}"
                          r"[A-Z][\w'’.-]*){0,6})")
_NAME_AFTER = re.compile(r",?\s((?:[A-Z][\w'’.-]*|&)(?:\s(?:of\s|and\s|&\s)?[A-Z][\w'’.-]*){0,3})")


# Months as MONTHS writes them, by their first three letters ("Dec." is December); not "May",
# as often the verb.
_MONTH_WORD = re.compile(rf"\b({MONTHS})(?!\w)")


def month_agreement(question: str, sentence: str) -> int:
    """-1 when the question asks about a month and the sentence dates its figures in other months
    only ("48,000 fewer mortgages were approved in January" for the approvals in December), else 0."""
    def months(text: str) -> set[str]:
        return {m[:3] for m in _MONTH_WORD.findall(text) if m.rstrip(".") != "May"}

    asked, said = months(question), months(sentence)
    return -1 if asked and said and not asked & said else 0
