"""Closed English word lists the quote index reasons with. General vocabulary only: nothing
here names a particular person, organisation or article."""

from __future__ import annotations

# Titles stripped from names: "Ms Hewitt" and "Patricia Hewitt" are one person. Gendered ones
# also tell which of "he" and "she" can refer to the person.
MALE_TITLES = frozenset("mr sir lord king prince father baron congressman chairman brother duke earl".split())
FEMALE_TITLES = frozenset("mrs ms miss dame lady baroness queen princess congresswoman chairwoman sister duchess".split())
TITLES = MALE_TITLES | FEMALE_TITLES | frozenset(
    """mx dr prof professor president vice prime minister chancellor senator sen rep representative
    governor gov mayor judge justice general gen colonel col captain capt lieutenant lt sergeant
    sgt admiral commander cmdr ambassador pope bishop archbishop cardinal rev reverend sheikh
    ayatollah imam rabbi coach secretary chief deputy shadow foreign home premier""".split()
)

# Titles that are courtesy, not office: "Mr" is no role to match "the minister" against.
HONORIFICS = frozenset("mr mrs ms miss mx dr sir dame lord lady".split())

PRONOUN_GENDER = {"he": "m", "him": "m", "she": "f", "her": "f"}
RELATIVE_PRONOUNS = frozenset({"who", "that", "which"})

# Letters after a name ("Philippe Sands QC"): the tagger often takes such a name for an
# organisation; these mark it as a person, and are dropped from the canonical name.
POSTNOMINALS = frozenset("qc kc mp mep msp am obe mbe cbe jr sr phd".split())

# "X's website said": the channel speaks for its owner.
CHANNEL_NOUNS = frozenset(
    "website site statement account blog page feed office communique release letter message post tweet channel".split()
)
# "according to the words of X", "research by the EOC revealed": the words are X's.
WORDS_NOUNS = frozenset(
    """word comment remark statement view research report study survey figure data poll analysis
    estimate finding book article""".split()
)

# Heads of descriptions that denote an organisation: "the company said" is the company the
# article is about, not a person.
ORG_NOUNS = frozenset(
    """company firm group corporation business bank insurer airline carrier retailer maker
    manufacturer producer operator giant conglomerate newspaper paper magazine weekly daily
    agency broadcaster network studio label publisher chain supermarket club team union
    association federation council committee commission board authority regulator watchdog
    ministry department party organisation organization charity institute university""".split()
)
# "the government", "the police": institutions that speak as themselves; left unresolved.

# Heads of descriptions that denote one person ("the minister told delegates"). A definite one
# that no apposition in the article explains refers back to the person just mentioned.
PERSON_NOUNS = frozenset(
    """minister secretary chancellor president premier leader chairman chairwoman chair
    spokesman spokeswoman spokesperson official head chief boss director executive manager
    founder owner expert analyst economist commentator adviser advisor consultant lawyer
    attorney judge prosecutor coach player captain striker goalkeeper midfielder defender
    star actor actress singer director producer writer author novelist artist musician
    campaigner activist politician mp senator congressman congresswoman governor mayor
    ambassador diplomat general commander officer professor scientist researcher doctor
    veteran inventor designer entrepreneur investor trader banker broker strategist""".split()
)

# Words that make a different role of the same noun: a deputy minister is not the minister.
ROLE_QUALIFIERS = frozenset("deputy vice assistant shadow former acting ex junior associate".split())

# Nouns that name where figures come from rather than who speaks ("latest figures suggest",
# "according to some reports"): a statement with no one behind it is left out of the index.
SOURCE_NOUNS = frozenset("report figure data estimate statistic number poll survey study".split())
