"""What a question asks for: its type, the entity types that can answer it, and what it is about.

Rules over the question's wording, no model: questions are short and formulaic enough
("How much…", "When…", "What did X say about Y?") that patterns are both faster and easier to
audit than a classifier, and nothing here is trained on our own test questions.
"""

from __future__ import annotations

import re

from pydantic import BaseModel, Field

from index.lexicon import PERSON_NOUNS
from qa.retrieve import content_terms

# Numbers written as words: "seven", "twenty-one", "a dozen".
WORDNUM = (r"(?:one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|fourteen|fifteen|sixteen|"
           r"seventeen|eighteen|nineteen|twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety|hundred|a dozen|dozens)"
           r"(?:[- ](?:one|two|three|four|five|six|seven|eight|nine))?")

# spaCy labels that can answer each type, best first.
EXPECTED = {
    "who": ["PERSON", "ORG", "NORP"],
    "when": ["DATE", "TIME"],
    "where": ["GPE", "LOC", "FAC"],
    "how_much": ["MONEY", "PERCENT"],
    "how_many": ["CARDINAL", "QUANTITY"],
    "percent": ["PERCENT", "MONEY", "CARDINAL"],
    "position": ["ORDINAL"],
    "measure": ["QUANTITY", "CARDINAL", "DATE", "TIME", "MONEY", "PERCENT"],
}
# "Which <noun>" / "What <noun>": the noun says what kind of thing answers.
NOUN_LABELS = {
    ("agency", "company", "firm", "corporation", "bank", "party", "club", "newspaper", "channel", "network",
     "group", "organisation", "organization", "union", "broadcaster", "airline", "studio", "label", "website",
     "outlet", "ministry", "department", "court", "committee", "body", "regulator", "carrier", "manufacturer",
     "journal", "magazine", "publication", "operator", "retailer", "insurer", "supermarket", "chain", "maker",
     "developer", "supplier", "charity", "specialist", "institute", "watchdog", "exchange", "provider", "lender",
     "start-up", "startup", "brokerage", "consultancy", "conglomerate", "consortium", "shop", "store", "tabloid",
     "blog", "bookmaker", "giant", "outfit", "association", "federation", "council", "authority",
     "tank", "think-tank", "thinktank", "orchestra"): ["ORG"],
    # a broadcasting or online service is named as a company is: "the Sirius subscription service"
    ("service",): ["PRODUCT", "ORG"],
    # a national team is named by its country: "Angola knocked Zambia out"
    ("team", "side", "opponent", "opponents"): ["ORG", "GPE", "NORP"],
    ("country", "city", "town", "region", "state", "capital", "nation", "place", "cities", "countries", "constituency",
     "seat", "county", "province", "district", "village", "suburb"): ["GPE", "LOC", "FAC"],
    # occasions, named like organisations by NER as often as events: "at the Birmingham Grand Prix"
    ("meeting", "tournament", "championship", "championships", "competition", "festival", "ceremony",
     "conference", "summit", "contest"): ["EVENT", "ORG", "FAC"],
    ("venue", "stadium", "arena", "ground", "theatre", "theater"): ["FAC", "GPE", "LOC", "ORG"],
    ("year", "month", "day", "date", "decade", "season", "birthday", "deadline"): ["DATE", "TIME"],
    ("time", "speed", "range", "distance", "length", "height", "weight", "size", "duration", "age", "temperature",
     "depth", "altitude"): ["QUANTITY", "TIME", "CARDINAL", "DATE"],
    ("price", "cost", "amount", "sum", "fee", "salary", "revenue", "profit", "budget", "value", "fine", "sales",
     "turnover", "earnings", "income", "dividend", "debt", "deficit", "loss", "bonus", "wage"): ["MONEY", "CARDINAL"],
    ("percentage", "rate", "share", "proportion"): ["PERCENT", "CARDINAL"],
    ("minister", "president", "player", "actor", "actress", "chief", "head", "singer", "director", "manager",
     "leader", "executive", "spokesman", "spokeswoman", "coach", "person", "man", "woman", "star", "author",
     "congressman", "analyst", "expert", "founder", "chairman", "boss", "official", "secretary", "judge",
     "uncle", "aunt", "father", "mother", "son", "daughter", "brother", "sister", "wife", "husband",
     "girlfriend", "boyfriend", "widow", "friend", "cousin", "nephew", "niece", "grandfather", "grandmother",
     "instructor", "trainer", "tutor", "administrator", "negotiator", "solicitor", "barrister", "detective",
     "inspector", "constable", "surgeon", "nurse", "pundit", "chef", "skipper", "finalist", "protester", "critic",
     "agent"): ["PERSON"],
    ("hospital", "school", "university", "prison", "airport", "station", "building", "hotel", "college",
     "institution"): ["FAC", "ORG"],
    ("producer", "screenwriter", "writer", "composer", "designer", "inventor", "researcher"): ["PERSON", "ORG"],
    ("band", "publisher", "distributor", "sponsor", "buyer", "owner", "rival", "winner", "runner", "shareholder",
     "investor", "bidder", "backer", "partner", "client", "customer", "family", "dynasty", "suitor", "seller",
     "vendor", "creditor"): ["ORG", "PERSON"],
    ("score", "number", "total", "figure", "tally"): ["CARDINAL", "QUANTITY", "PERCENT"],
    ("aircraft", "system", "product", "film", "album", "book", "game", "award", "prize", "device", "phone",
     "console", "show", "programme", "program", "song", "model", "weapon", "missile", "vehicle", "novel",
     "documentary", "sitcom", "series", "drama", "single", "musical", "play", "sequel", "soap", "video",
     "handset", "gadget"):
        ["PRODUCT", "WORK_OF_ART", "EVENT", "ORG"],
}
SAY_VERBS = r"(?:say|said|says|claim|claimed|tell|told|state|stated|announce|announced|warn|warned|note|noted|comment|commented|add|added|promise|promised|argue|argued|think|believe|predict|suggest|report|reported|admit|admitted|insist|insisted|deny|denied)"
_SAY = re.compile(
    rf"^(?:and\s+)?what\s+(?:else\s+)?(?:did|does|do|has|have|had)\s+(?P<who>.+?)\s+{SAY_VERBS}\b"
    r"(?:\s+(?!about\b|on\b|regarding\b|concerning\b)[\w'’]+){0,3}?"  # "tell reporters", "say in his speech"
    # the topic, or the occasion: "say about the fans", "say after beating Agassi", "say when…"
    r"(?:\s+(?:(?:about|on|regarding|concerning|of)\s+(?P<about>.+?)|(?:after|before|when|while|during|following|at|in)\s+(?P<occasion>.+?)))?\s*[?.!]*$",
    re.IGNORECASE,
)
# "What did Charles Kennedy say Tony Blair should do…": what was said, as a clause
_SAY_CLAUSE = re.compile(rf"^(?:and\s+)?what\s+(?:did|does|do|has|have|had)\s+(?P<who>.+?)\s+{SAY_VERBS}\s+(?:that\s+)?"
                         r"(?P<about>.+?)\s*[?.!]*$", re.IGNORECASE)


def _without_apposition(who: str) -> str:
    """"Lord Hanningfield, leader of Essex County Council," is Lord Hanningfield."""
    return re.split(r",\s+(?=(?:the\s+|a\s+|an\s+)?[a-z])", who.strip(" ,"), maxsplit=1)[0].strip()


_YES_NO = re.compile(r"^(?:is|are|was|were|did|does|do|has|have|had|can|could|will|would|should)\b", re.IGNORECASE)
# a code needs a letter: "S-400" and "F-35" are names, the score in "their 1-0 Champions League win" is not
# a name may open with one or two lower-case letters: "iPod", "eBay"
_CAPITALISED = re.compile(r"\b(?:(?:[a-z]{1,2}(?=[A-Z]))?[A-Z][\w'’.&-]*|(?=\w*[A-Z])[A-Z0-9]+-\d+\w*)"
                          r"(?:\s+(?:of\s+the\s+|of\s+|de\s+|van\s+|von\s+|&\s+)?"
                          r"(?:(?:[a-z]{1,2}(?=[A-Z]))?[A-Z][\w'’.&-]*|(?=\w*[A-Z])[A-Z0-9]+-\d+))*")
_CODE = re.compile(r"\b[\w]*\d[\w]*(?:-\w+)*\b|\b\w+-\d+\w*\b")
_AMOUNT = re.compile(r"\d[\d.,]*(?:m|bn|tn|k|p)")
QUESTION_WORDS = {"What", "Who", "Whom", "Whose", "When", "Where", "Why", "How", "Which", "Is", "Are", "Was", "Were",
                   "Did", "Does", "Do", "Has", "Have", "Had", "Can", "Could", "Will", "Would", "Should", "And", "In", "On",
                   "At", "By", "For", "According", "The", "A", "An", "Of", "Between", "Among", "With", "Against",
                   "Into", "Over", "From", "To",
                   # the first word of a clause before the question: "As Saudi Arabia prepared…"
                   "As", "While", "Although", "Though", "Despite", "Amid", "Following", "Since", "After", "Before",
                   "During", "Under", "Unlike", "If", "Once",
                   "It", "He", "She", "They", "We", "I", "You"}  # "It's A Wonderful Life" names no "It"


class QuestionAnalysis(BaseModel):
    text: str = Field(description="The (resolved) question analysed.")
    type: str = Field(description="who, when, where, how_much, how_many, percent, measure, position, why, say, yes_no, definition, which, other")
    expected: list[str] = Field(default_factory=list, description="spaCy entity labels that can answer it, best first.")
    targets: list[str] = Field(default_factory=list, description="Names and codes the question is about ('Chemezov', 'S-400').")
    speaker: str | None = Field(default=None, description="For what-did-X-say questions: X.")
    topic: str | None = Field(default=None, description="For what-did-X-say-about-Y questions: Y.")
    occasion: str | None = Field(default=None, description="For what-did-X-say-after/when-Y questions: Y, the event the statements belong to.")
    terms: list[str] = Field(default_factory=list, description="Content words of the question.")
    answer_noun: str | None = Field(default=None, description="What the answer is called: 'votes' in 'How many votes…', 'chairman' in 'Who is the chairman of…'.")


def analyse(question: str) -> QuestionAnalysis:
    q = question.strip()
    targets = find_targets(q)
    say = _SAY.match(q) or _SAY_CLAUSE.match(q)
    if say:
        topic = (say.group("about") or "").strip(" ?.!") or None
        occasion = (say.groupdict().get("occasion") or "").strip(" ?.!") or None
        if occasion and not topic:  # "…tell reporters in Moscow about the deal": both
            occasion, topic = _split_topic(occasion)
        return QuestionAnalysis(text=q, type="say", targets=targets, speaker=_without_apposition(say.group("who")), topic=topic,
                                occasion=occasion, terms=content_terms(q))
    qtype, expected = classify(q)
    return QuestionAnalysis(text=q, type=qtype, expected=expected, targets=targets, terms=content_terms(q),
                            answer_noun=answer_noun(q, qtype))


def _split_topic(occasion: str) -> tuple[str | None, str | None]:
    parts = re.split(r"\s(?:about|regarding|concerning)\s", occasion, maxsplit=1)
    return parts[0].strip() or None, (parts[1].strip() or None) if len(parts) > 1 else None


# Plurals without an s: "How many children…", "How many women…" ("people" counts
# voters, fans and workers too, so it names no noun the answer must stand beside).
_IRREGULAR_PLURALS = frozenset("children men women personnel cattle sheep".split())


def answer_noun(q: str, qtype: str) -> str | None:
    """The noun naming the answer, when the question has one: it usually stands right beside the
    answer in the text ("KSE chairman Yaseen Lakhani", "lost 464,000 subscribers")."""
    low = question_proper(q).lower()
    patterns = {
        "how_many": r"^how many (?:[\w-]+ )*?([\w-]+) (?:did|does|do|is|are|was|were|has|have|had|will|would|can|could|took|came|went)\b",
        "who": r"^who (?:is|was|are|were) (?:the |a |an )?(?:\w+ )?(?!(?:through|by|with)\b)(\w+) "
               r"(?:of|at|for|in|behind|(?:through |by |with )?(?:whom|who|that))\b"
               # "Who is Kostas Kenteris' lawyer…", "Who was Chelsea's new manager?"
               # (the owner a name of a few words, not a clause: "Who was voted… when Kelly Holmes took the women's award")
               r"|^who (?:is|was|are|were) (?:the )?(?:[\w.\-]+ ){0,3}?[\w.\-]+?(?:['’]s|s['’]) (?:new |former |current |latest )?"
               r"(?:chief |managing |general |vice |deputy )?(\w+)\b"
               # "Who is the lawyer representing Kostas Kenteris…": a person's noun before a participle
               r"|^who (?:is|was|are|were) (?:the |a |an )?(?:\w+ )?(\w+) (?=[a-z]+ing\b)",
    }
    if qtype == "how_many":  # the counted noun: the first plural among the next words
        # (not in a name: "How many Fathers 4 Justice protesters" counts protesters)
        original = question_proper(q)
        words = re.findall(r"[\w-]+", original[len("how many"):]) if low.startswith("how many") else []
        following = [w for w in words[:5] if not w[0].isupper() and not w[0].isdigit()][:3]
        plural = next((w for w in following if (w.endswith("s") and not w.endswith("ss") or w in _IRREGULAR_PLURALS)
                       and w not in STOP_NOUNS), None)
        if plural:
            return plural
    if qtype == "which":
        return which_noun(q)
    if qtype == "who" and (owned := re.match(r"^whose\s+(?:(?:new|latest|former|first|last|own|recent)\s+)*([a-z][\w-]*)", low)):
        return owned.group(1)  # "Whose book claimed…?" is answered by "Mr Peston's book claimed…"
    if qtype == "who" and (verb := re.match(r"^who (\S+)", low)) and verb.group(1) in VERB_POSTS:
        return VERB_POSTS[verb.group(1)]  # "Who chairs the committee?" is answered by "Committee chairman Austin Mitchell"
    m = re.match(patterns.get(qtype, r"$^"), low)
    if not m:
        return None
    groups = m.groups()
    noun = next((g for g in groups if g), None)
    if len(groups) > 2 and groups[2] and singular(noun) not in PEOPLE:
        return None  # "Who is the man behind…" has its noun; "Who is the favourite winning…" asks no post
    return None if noun in STOP_NOUNS else noun


# Who holds a post, asked by its verb.
VERB_POSTS = {"chairs": "chairman", "chaired": "chairman", "heads": "head", "leads": "leader", "manages": "manager",
               "coaches": "coach", "captains": "captain", "captained": "captain", "edits": "editor",
               "founded": "founder", "co-founded": "founder", "presents": "presenter", "directed": "director",
               "directs": "director"}
# (not "headed", "led" or "managed": "Who headed the equaliser?", "Who managed to…")
STOP_NOUNS = {"did", "does", "do", "is", "was", "were", "are", "has", "have", "had", "will", "the", "of", "this", "its", "his"}


def question_proper(q: str) -> str:
    """The question without a clause before it: "According to the Pew survey, how many…" asks
    "how many…"; the clause only places it."""
    return _LEADING_CLAUSE.sub("", q)


# A clause set off after the question by a comma describes what it names, or sets the scene:
# "…the author of Brown's Britain, the book claiming Tony Blair went back on a pledge…", "…within
# three years, as the country courts the EU?". Every sentence of the story repeats those words.
# The clause starts with a small word and runs three words or more: "Spala, Poland, cooled?" is
# a place and the question's own verb.
_TRAILING_CLAUSE = re.compile(r"(?<=\w),\s+(?=[a-z])(?:[\w'’-]+\W+){2,}[\w'’-]+.*$", re.S)


def question_core(q: str) -> str:
    """The question proper (see question_proper) without a clause set off after it by a comma.
    The part kept must ask something ("Tony Blair, what did he say?" keeps all)."""
    proper = question_proper(q)
    core = _TRAILING_CLAUSE.sub("", proper)
    return core if re.search(rf"\b{_WH}\b", core, re.I) or _YES_NO.match(core.strip()) else proper


# "What does UK Online charge per month…?" asks a sum of money, as "how much" does.
_ASKS_CHARGE = re.compile(r"^what (?:does|did|do|will|would) (?:[\w'’&.-]+ ){1,6}?(?:charge|pay|earn)\b")
# Verbs of a rate of change, which is given in per cent.
GROWTH = (r"(?:grow|grew|grown|growing|expand|rise|rose|risen|rising|increas|fall|fell|fallen|falling|shrink|shrank|"
          r"declin|slow)\w*\b")
# What "how much" measures when it is no sum of money: data, fuel, rain, land.
_MEASURED = re.compile(r"^how much (?:more |less |extra )?(?:data|memory|storage|disk space|space|capacity|bandwidth|oil|"
                       r"gas|fuel|energy|power|electricity|water|rain|rainfall|snow|land|weight|music|video|traffic|"
                       r"carbon|co2|waste)\b")


def classify(q: str) -> tuple[str, list[str]]:
    q = question_proper(q)
    low = q.lower()
    first = low.split()[0] if low.split() else ""
    if low.startswith("how much time"):
        return "measure", ["TIME", "DATE", "QUANTITY", "CARDINAL"]  # "about 43 minutes per month", "18 months"
    if re.match(r"^how much (?:does|did|do|will|would|is|was) .+ weigh\b", low):
        return "measure", EXPECTED["measure"]  # "How much does he weigh?" asks for kilograms, not money
    if _MEASURED.match(low):
        return "measure", ["QUANTITY", "CARDINAL", "PERCENT"]  # "How much data will a disc hold?": "50GB"
    if re.match(r"^how (?:far|much) (?:above|below|ahead of|behind|higher|lower|more|less)\b", low):
        return "percent", ["PERCENT", "MONEY", "QUANTITY", "CARDINAL"]  # a difference, most often in per cent
    if re.match(r"^(?:how much|what (?:was|is|were) the (?:price|cost|value)|at what (?:price|cost))", low) or re.search(r"\b(?:cost|worth|price)\b", low) and first in ("how", "what") \
            or _ASKS_CHARGE.match(low):
        if re.search(r"\b(?:pay|pays|paid|paying|cost|costs|costing|spend|spends|spent|spending|worth|price|priced|"
                     r"charge|charges|charged|fined|sold for|bought for)\b", low) and not _CHANGE.search(low):
            return "how_much", ["MONEY"]  # "How much will Quiksilver pay…" is not answered by "jumped 15%"
        return "how_much", EXPECTED["how_much"]
    if low.startswith("how old"):
        return "how_many", ["DATE", "CARDINAL", "QUANTITY"]  # spaCy tags "aged 54" as a DATE
    if low.startswith("how many"):
        return "how_many", EXPECTED["how_many"]
    if re.match(r"^(?:what|which) (?:share|proportion|fraction) of\b", low):
        return "percent", EXPECTED["percent"]  # "what share of the workforce" -> "5%"
    if re.match(r"^(?:at |to )?what level\b", low):
        return "how_many", ["CARDINAL", "QUANTITY", "MONEY", "PERCENT"]  # "close at 11,488.76 points"
    if re.match(r"^how (?:big|large|much) (?:a |of a )?(?:stake|share|holding)\b|^what size (?:of )?(?:a |the )?(?:stake|share|holding)\b", low):
        return "percent", EXPECTED["percent"]  # stakes are given in per cent
    if re.match(r"^how (?:big|large|small|high|low)\b", low) and re.search(rf"\b(?:{_MONEY_NOUNS})\b", low):
        return "how_much", EXPECTED["how_much"]  # "How big is Georgia's public debt?" asks for money
    if re.match(rf"^how (?:fast|quickly)\b.*\b{GROWTH}", low):
        return "percent", EXPECTED["percent"]  # "How fast did China's economy grow?" asks for a rate: "9.5%"
    if low.startswith("how long"):
        return "measure", ["QUANTITY", "TIME", "DATE", "CARDINAL"]  # a length or a time, never "a £2m deal"
    if re.match(r"^how (?:long|big|fast|far|tall|high|large|heavy|deep|wide|often|quickly)\b", low):
        return "measure", EXPECTED["measure"]
    if re.match(r"^(?:by |of )?what (?:percent|percentage)\b", low):
        return "percent", ["PERCENT"]  # asked in per cent, answered in per cent: never "£800m"
    if re.match(r"^(?:by )?(?:what|how much) (?:percent|percentage)|^by how much", low):
        return "percent", EXPECTED["percent"]
    if _ASKS_RACE_TIME.match(low):
        return "measure", EXPECTED["measure"]  # "What time did he run?" asks for "1:46.68", not a date
    if re.match(r"^(?:in |on |at |by )?(?:what|which) (?:year|month|day|date|time)\b", low) or first == "when":
        return "when", EXPECTED["when"]
    if first in ("who", "whom", "whose"):
        if _ASKS_WHO_NAME_IS.match(q):
            return "definition", []  # "Who is Jose Mourinho?" asks what he is, not another name
        if _ASKS_ROLE_HOLDER.match(low) or (verb := re.match(r"^who (\S+)", low)) and verb.group(1) in VERB_POSTS \
                or ASKS_PART.match(low):
            # "Who is HP's new chief executive?" is not answered by "Microsoft", nor "Who heads the FSMTC?" by an agency
            return "who", ["PERSON"]
        return "who", EXPECTED["who"]
    if re.match(r"^where (?:did|does|do|will|would) .+? (?:finish|finished|place|placed|rank|ranked|come)\b(?! from)", low) or \
            re.match(r"^(?:in )?(?:what|which) (?:position|place) (?:did|does|do|will|would|was|is)\b", low):
        return "position", EXPECTED["position"]  # "Where did he finish in 2002?" -> "third"
    if first == "where" or re.match(r"^(?:in |to |from |between |among )?(?:what|which) (?:two |three )?(?:country|countries|city|cities|town|towns|region|place)", low):
        return "where", EXPECTED["where"]
    if first == "why":
        return "why", []
    noun = which_noun(q)
    if noun:
        return "which", noun_labels(noun)
    if re.match(r"^what (?:is|was) (?:the |his |her |their )?(?:real|birth|maiden) name\b", low):
        return "which", ["PERSON"]  # "What is the real name of guitarist Mick Mars?": "Bob Allen Deal"
    if re.search(r"\bcalled\??$|^what (?:is|was) the name of\b", low):
        return "which", ["PRODUCT", "WORK_OF_ART", "ORG", "PERSON", "EVENT"]
    if _YES_NO.match(q):
        return "yes_no", []
    if re.match(r"^what (?:is|are|was|were) (?:a |an |the )?[\w-]+\??$", low) or re.search(r"(?:^|,\s*)(?i:what (?:is|are|was|were) (?:a |an |the )?)(?:[A-Z]|['\u2018\x22\u201c]\w)", q):
        return "definition", []
    return "other", []


# A change, often in per cent: "How much did the share price fall?"
_CHANGE = re.compile(r"\b(?:rise|rises|rose|risen|fall|falls|fell|fallen|drop|drops|dropped|climb|climbed|jump|jumped|"
                     r"increase|increased|decrease|decreased|gain|gained|lose|lost|slip|slipped|grow|grew|cut|up|down)\b")
# "What time did he run/clock/record…": a race time.
_ASKS_RACE_TIME = re.compile(r"^(?:in )?what time did .+? (?:run|clock|record|post|finish|swim|set|complete)\b")
# A clause before the question proper: "According to the Pew survey, how many…", "In Nokia's
# research on home phones, what percentage…", "As Saudi Arabia prepared to hire women, what share…".
_WH = "(?:what|which|who|whom|whose|when|where|why|how)"
_LEADING_CLAUSE = re.compile(r"^(?:according to|in|on|at|during|after|before|for|from|among|of|with|since|by|as|while|"
                             rf"when|although|though|despite|amid|following|ahead of|once|if|unlike|under) (?:(?!\b{_WH}\b)[^,])+,\s*"
                             rf"(?=(?:(?:by|in|at|on|of|to|for|from) )?{_WH}\b)",
                             re.IGNORECASE)
# What money is counted in, beyond the nouns of NOUN_LABELS that already ask for MONEY.
_MONEY_NOUNS = "|".join(sorted(
    {n for nouns, labels in NOUN_LABELS.items() if labels[0] == "MONEY" for n in nouns}
    | set("debt debts deficit budget revenues profits loss losses sales turnover bill deal bid offer fund investment "
          "bonus payout settlement tax spending reserves pay package subsidy subsidies grant loan award damages "
          "compensation".split())
))


_WHICH = re.compile(r"^(?:in |on |at |by |to |from |for |between |among |with |against |into |over )?(?:which|what)\s+"
                    r"(?:(?:is|was|are|were) (?:the |a |an )?)?((?:[\w'’-]+\s+){0,5})", re.IGNORECASE)
# "…has quit as director of which company?": a which-phrase inside the question
_INNER_WHICH = re.compile(r"\b(?:of|in|at|for|by|from|to|with|on|as) (?:which|what)\s+((?:[\w'’-]+\s+){0,4})", re.IGNORECASE)


_MEMBER_OF_WHICH = re.compile(r"\b(?:a|an|the)\s+([a-z]+)\s+(?:of|for|at|with|in)\s+(?:which|what)\b")


def member_noun(q: str) -> str | None:
    """The part a person plays in the thing a which-question asks for: "star" in "Sheila Ferguson
    is a star of which group?", which the text writes before the person ("Three Degrees star
    Sheila Ferguson")."""
    m = _MEMBER_OF_WHICH.search(q)
    return m.group(1) if m and m.group(1) in PEOPLE | POSTS | {"star", "member", "founder"} else None


_DETERMINERS = frozenset("the a an his her its their this that these those".split())


def which_noun(q: str) -> str | None:
    """The noun of a which/what-phrase that names a kind of thing: "which news agency" -> agency;
    "which storage specialist" -> specialist."""
    q = _NAME_OF.sub(r"\1the ", question_proper(q.rstrip("?!. "))) + " "
    m = _WHICH.match(q) or (None if _WH_START.match(q) else _INNER_WHICH.search(q))
    if not m:
        return None
    words = m.group(1).split()
    words = [re.sub(r"['’]s$", "", w) for w in words]  # "Which rights management company's technology"
    for i, original in enumerate(words):
        word = original.lower().strip("?,.")
        if word in ("is", "was", "were", "are", "did", "does", "do", "has", "had", "have", "will"):
            break
        if (word[:1].isdigit() or re.fullmatch(WORDNUM, word)) and i + 1 < len(words) and \
                re.match(r"(?:year|month|week|day|hour|minute)s?$", words[i + 1].lower()):
            break  # "What incident two years ago…": the phrase asked ends before a time
        if word in ("kind", "kinds", "type", "types", "sort", "sorts") and i + 1 < len(words) and words[i + 1] == "of":
            return None  # "What kind of system…" asks for a description ("a points system"), not a name
        if original.strip("?,.") in ROLE_ABBREVIATIONS:
            return word  # "Which Conservative MP…"
        if original[0].isupper():
            continue  # part of a name: "What is the EBL Working Group?", "Which Tennis Australia official"
        if noun_labels(word):
            # the head of a compound is its last noun: "total revenue", "company director"
            # (not into a verb: "Which actor plays the title character?")
            while i + 1 < len(words) and words[i + 1][0].islower() and noun_labels(words[i + 1].lower().strip("?,.")) \
                    and not (i + 2 < len(words) and words[i + 2].lower() in _DETERMINERS):
                i += 1
            return words[i].lower().strip("?,.")
    return None


# Roles written in capitals, which name a person's post, not a name: "Lib Dem MP Lembit Opik".
ROLE_ABBREVIATIONS = frozenset({"MP", "MPs", "MEP", "MEPs", "MSP", "MSPs", "AM", "QC", "CEO"})
# "Who is Jose Mourinho?": the question is the name alone.
_ASKS_WHO_NAME_IS = re.compile(r"^[Ww]ho (?:is|was|are|were) (?:[A-Z][\w.'’-]*\s*)+\??$")
# "Who is/became … <a post people hold>": the answer is a person, never an organisation.
POSTS = frozenset("chairman chairwoman president minister secretary manager coach captain leader boss head chief "
                  "founder editor presenter spokesman spokeswoman director governor mayor ambassador".split())
# "Who plays Captain Archer?": an actor, not a studio.
ASKS_PART = re.compile(r"^who (?:plays|played|will play|is playing|is to play|portrays|portrayed|will portray|stars as|starred as|"
                       r"will star as|voices|voiced)\s+(?P<role>.+?)\??$", re.I)
_ASKS_ROLE_HOLDER = re.compile(
    r"^who (?:is|was|are|were|will be|would be|has been|had been|became|becomes|is to be|is set to be)\b.*\b"
    rf"(?:chief executive|prime minister|{'|'.join(sorted(POSTS))})s?\b"
)
# "What was the title of the 1972 album…" asks which album
_NAME_OF = re.compile(r"^((?:what|which) (?:is|was|are|were) )the (?:name|title)s? of (?:the |a |an |his |her |their |its )?",
                      re.IGNORECASE)
_WH_START = re.compile(r"^(?:who|whom|whose|when|where|why|how)\b", re.IGNORECASE)


# Nouns whose answer stands beside them in the text or is not there: kinds of place named with
# the noun ("St Mary's Hospital", "Heathrow Airport") and relatives ("his uncle, Bob Levine").
NAMED_KINDS = frozenset(
    "hospital school university prison airport station hotel college uncle aunt father mother son daughter "
    "brother sister wife husband girlfriend boyfriend widow cousin nephew niece grandfather grandmother".split()
)


def singular(noun: str) -> str:
    """A plain plural without its "s" ("companies" stays: its family is found by stem)."""
    return noun[:-1] if noun.endswith("s") and not noun.endswith("ss") else noun


def noun_labels(noun: str) -> list[str]:
    one = singular(noun)
    for nouns, labels in NOUN_LABELS.items():
        if noun in nouns or one in nouns:
            return labels
    if noun in PEOPLE or one in PEOPLE:
        return ["PERSON"]
    for i in range(3, len(one) - 4):  # a compound ending in a known noun of 5 letters or more: "carmaker"
        if labels := noun_labels(one[i:]):
            return labels
    return []


# Nouns for people: the index's role nouns (index/lexicon.py), sporting roles, and who someone is
# ("Chicago actress", "Welsh rapper").
PEOPLE = PERSON_NOUNS | frozenset(
    "kicker scorer forward winger batsman bowler jockey driver rider cyclist sprinter runner athlete skier swimmer "
    "boxer golfer champion keeper fly-half scrum-half lock prop hooker flanker referee umpire victim suspect "
    "candidate nominee actress rapper comedian presenter drummer guitarist frontman model businessman "
    "businesswoman resident native man woman boy girl teenager pensioner mother father student billionaire "
    "millionaire tycoon magnate financier footballer cricketer conductor composer architect painter poet dancer "
    "journalist reporter pilot soldier sculptor photographer novelist playwright choreographer lecturer teacher hopeful "
    # a character is named as a person is: "Keaveney, who played Brookside's Marie Jackson"
    "character".split())


def find_targets(q: str) -> list[str]:
    """Names (capitalised runs not at the question's start) and codes with digits ('S-400', 'F-35')."""
    found: list[str] = []
    # not the capitalised half of "pan-European" or "anti-American"
    # and "EU-funded Lifeplus" names the EU and Lifeplus
    runs = [part for m in _CAPITALISED.finditer(q) if not re.search(r"[a-z]-$", q[: m.start()])
            for part in re.split(r"['’]s\s+|(?<=s)['’]\s+|(?<=\w)(?:-[a-z]\w*)+\s+(?=[A-Z])", m.group(0))]
    for run in runs:
        # "Reliance-controlled", "Frankfurt-based": the name without its lower-case suffix
        run = re.sub(r"(?:-[a-z][\w]*)+$", "", run)
        words = run.split()
        while words and (words[0] in QUESTION_WORDS or words[0].islower()):
            words = words[1:]  # "Which of John Kirwan's kickers": the name starts at "John"
        name = re.sub(r"['’]s$", "", " ".join(words)).strip(" ?.,!'’")
        if name and name not in found and name not in QUESTION_WORDS:
            found.append(name)
    for m in _CODE.finditer(q):
        code = m.group(0)
        if re.search(r"\d[.,]$", q[: m.start()]) or _AMOUNT.fullmatch(code):
            continue  # the "5m" of "7.5m euro", and "10bn" itself: an amount is no name
        if not any(code in t for t in found) and not code.isdigit():
            found.append(code)
    return found
