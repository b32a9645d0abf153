"""What a question asks for, and whether a sentence gives it.

The kind of answer (a count, a measure, a date, a name), the names the question asks about, the years it pins
("in 2024", not "since 2015") and the thing it counts ("how many ISKP leaders"). A sentence answers only when it
states all of them: its own words, or its document's title and section, name what is asked about.
"""
from __future__ import annotations

import functools
import re
from collections.abc import Callable, Collection, Iterable
from enum import StrEnum

from . import acronyms, keyfacts
from .textutil import STOPWORDS, _stem, label_terms, same_phrase, without_quotes, words


class Kind(StrEnum):
    COUNT = "a number"
    MEASURE = "a measurement"
    DATE = "a date"
    NAME = "a name"


_KINDS = [
    (Kind.COUNT, re.compile(r"\bhow (?:many|much)\b|\bnumber of\b|\bwhat (?:share|percentage|percent|proportion|"
                            r"fraction|figure|figures|number|amount|rate)\b", re.I)),
    (Kind.MEASURE, re.compile(r"\bhow (?:long|big|large|high|tall|far(?!\s+(?:[\w’'-]+\s+){1,8}go(?:es)?\b)|deep|wide|"
                              r"old|heavy)\b|"  # "How far does it actually go?" asks how much, not a distance
                              # "What's Pakistan's total population?": a quantity is asked for by its name
                              r"\bwhat(?:['’]s|\s+(?:is|was|are|were))\s+(?:(?!of\b)[\w’'-]+\s+){0,3}?"
                              r"(?:population|area|gdp|budget|coastline|length|elevation|altitude|height|"
                              r"life expectancy|median age|literacy rate|growth rate)\b(?!['’])", re.I)),
    (Kind.DATE, re.compile(r"^\s*when\b|\bsince when\b|\b(?:what|which) (?:[\w-]+ )?(?:years?|dates?|months?|day)\b|"
                           r"\bin (?:which|what) year\b|\bpublication date\b|\bdate of\b", re.I)),
    (Kind.NAME, re.compile(r"^\s*who(?:se)?\b(?!\s+(?:do|does|did)\b)|\bname of\b|\b(?:called|named)\s*\??\s*$|"
                           r"\b(?:which|what)\s+(?:(?!(?:do|does|did|is|are|was|were|has|have|had|will|would|can|"
                           r"could)\b)[\w’'-]+\s+){0,2}(?:official|"
                           r"person|people|leader|commander|individual|emir|president|minister|governor|founder|"
                           r"author|ruler|king|monarch|chief)s?\b", re.I)),
]
_WITH_UNIT = re.compile(r"\d\s*(?:sq\s+)?(?:km|m|mi|nm|kg|t|ha|%|percent|met(?:er|re)s?|kilomet(?:er|re)s?|miles?)\b")
# "What is the capital of Iraq?", "What's the official language in Qatar?": a property looked up of a name.
_LOOKUP = re.compile(r"^\s*(?i:what)(?:['’]s|\s+(?i:is|are|was|were))\s+(?i:the\s+)?((?:[a-z-]+\s+){0,2}?[a-z-]+)\s+"
                     r"(?i:of|in|for)\s+(?:the\s+)?[A-Z][\w’'-]*\s*\??\s*$")
_PLACING = frozenset("in at on from inside within across".split())
# What a count of people is a count of in data ("How many people live in Qatar?": its population).
_COUNTED_AS = {"people": "population", "inhabitants": "population", "residents": "population"}
_ASKS_DAY = re.compile(r"\b(?:what|which) (?:[\w-]+ )?(?:date|day)\b", re.I)
# Words read as one unit: "kilometres" asks for what "km" states.
_UNITS = {"kilometre": "km", "kilometer": "km", "kilometres": "km", "kilometers": "km", "km": "km",
          "metre": "m", "meter": "m", "metres": "m", "meters": "m", "mile": "mi", "miles": "mi", "mi": "mi",
          "percent": "%", "percentage": "%", "per": "%", "%": "%", "sq": "sq", "square": "sq", "year": "year",
          "years": "year", "kilogram": "kg", "kilograms": "kg", "kg": "kg", "tonne": "t", "tonnes": "t"}
# Words about the asking, not the thing asked: "Who were they going after, specifically?"
_ASKING_WORDS = frozenset("""specifically exactly precisely actually really particularly go goes going went gone get
gets getting got""".split())
_HOLDING = frozenset("hold holds held holding position post office occupy occupies occupied serve serves".split())
# Verbs for holding power: "Who ran X before Y?" asks for the earlier holder, in whatever words a sentence says it.
_RULING = frozenset("run runs ran running lead leads led leading rule rules ruled ruling govern governs governed "
                    "governing".split())
_AUXILIARY = frozenset("did do does were was are is have has had will would can could there been be".split())
# A sentence that opens by pointing back ("This situation ...") is about what the sentence before it says.
# A sentence about the one before it: "This situation ...", "Twelve of these interdictions ...".
BACK_REFERENCE = re.compile(r"^(?:In other words|This|These|That|Such|Thus|Therefore|Hence|As a result)\b|"
                            r"^(?:[A-Z]\w*|\d+)(?:\s+\w+)?\s+of\s+(?:these|those|them)\b|"
                            r"^(?:(?:Yet|But|However|Still|And|So),?\s+the|The)\s+\w+\s+of\s+(?:these|those)\b")
_RANGE_WORD = re.compile(r"(?:since|after|before|from|until|till|between|and|to|through)\s*$|[-–]\s*$", re.I)
# "Central Asian", "North African", "Western": a description, not a name
_DESCRIBES = re.compile(r"(?:ian|ean|can|ese)$|^(?:West|East|North|South)ern$")
# A name before a common noun for a place ("a Gulf state", "an Indian Ocean country") describes a place unnamed;
# after "the" it is a name ("the Kurdistan region").
_UNNAMED = (r"\b(?:a|an|any|one|two|three|four|five|several|some|another|other|which|what|each|every)\s+"
            r"(?:[a-z]+\s+){0,2}")
_PLACE_NOUN = re.compile(r"\s+(?:state|country|countr|nation|neighbou?r|monarch|kingdom|republic|emirate|island|"
                         r"region|power|ally|allie)[a-z]*\b")


def answer_kind(question: str) -> Kind | None:
    """The kind of fact a question asks for, if it asks for one: "how many" a count, "when" a date, "who" a name.
    What a name means or where it comes from ("What does the name of Tajikistan's capital mean?") is no name."""
    kind = next((kind for kind, pattern in _KINDS if pattern.search(question)), None)
    if kind is Kind.NAME and _NAME_MEANING.search(question) and not _WHO.match(question):
        return None
    return kind


_NAME_MEANING = re.compile(r"\bname\b[^?]{0,40}?\b(?:mean|means|meant|come|comes|came|derive|derives|derived|"
                           r"originate|originates)\b", re.I)


_ASKS_LIST = re.compile(r"^\s*(?i:what|which)\s+(?:are|were)\s+(?:the\s+)?(?:[\w’'-]+['’]s\s+)?"
                        r"(?:(?:main|major|key|top|principal|chief)\s+)?(?:[a-z-]+\s+)?[a-z]{3,}s\s*\??\s*$")
_LIST_SEPARATOR = re.compile(r",\s|;\s|\sand\s")


def asks_list(question: str) -> bool:
    """"What are Pakistan's provinces?": the question asks for the members of a list."""
    return bool(_ASKS_LIST.match(question))


# A question whose answer takes several sentences: reasons, ways, steps, a change over time, a contrast.
_ASKS_MANY = re.compile(r"^\s*(?:and\s+|so\s+)?(?:why|how\s+(?:did|does|do|has|have|had|is|are|was|were|might|could|"
                        r"would|can|will)\b)|\b(?:explain|describe|summari[sz]e|contrast|compare|trace|break\s+down|"
                        r"(?:walk|run|take|talk)\s+me\s+through|rundown|overview|in\s+a\s+nutshell|(?:what|the)\s+"
                        r"(?:steps|ways|reasons|factors|measures|options|kinds|types|scenarios|paths|lessons|"
                        r"recommendations))\b", re.I)


def asks_many(question: str) -> bool:
    """"Why ...?", "How has ... changed?", "What steps do the authors recommend?", "What are Pakistan's provinces?":
    the answer takes several facts, not one value."""
    return bool(_ASKS_MANY.search(question)) or asks_list(question)


# "Which Afghan provinces ...?", "What city ...?": places asked for by name; not a choice among named ones.
_ASKS_PLACE = re.compile(r"^\s*(?:and\s+|so\s+)?(?:which|what)\s+(?:[\w’'-]+\s+){0,2}?(?:city|cities|towns?|"
                         r"provinces?|districts?|regions?|country|countries|places?)\b", re.I)
_CHOICE = re.compile(r"\bor\b|\b(?:both|either|neither|two)\b|\bof\s+(?:these|those|them|the)\b", re.I)
_INITIALISM = re.compile(r"[A-Z]{2,}s?")


def asks_place(question: str) -> bool:
    """"Which Pakistani cities were hit?": the question asks for places by name, not to choose among those it names
    ("Which country is larger, Iran or Qatar?")."""
    return bool(_ASKS_PLACE.search(question)) and not _CHOICE.search(question)


def names_new_place(question: str, answer: str) -> bool:
    """The answer's own words (its quotes aside) name something the question does not, an initialism aside ("TTP"
    names a group): what a question asking for places by name needs."""
    return any(not keyfacts.mentions(name, question) and not _INITIALISM.fullmatch(name)
               for name in keyfacts.names(without_quotes(answer), first_word=True))


def lists(text: str) -> bool:
    """The text gives two items or more ("Balochistan, Khyber Pakhtunkhwa, Punjab")."""
    return bool(_LIST_SEPARATOR.search(text))


def states_kind(kind: Kind | None, text: str, question: str = "") -> bool:
    """Whether text states a fact of that kind; a name is of a person: two words or more ("Amira Jadoon",
    "Abu Bakr al-Baghdadi") that the question does not already give; for "Who ...?" also several agents ("Pakistan
    42%, India 40%") or a kind of people it does not name ("provincial governors")."""
    if kind is None:
        return True
    if kind is Kind.COUNT:
        return bool(keyfacts.counts(text))
    if kind is Kind.MEASURE:  # a year alone ("established in 2014") measures nothing
        return bool(keyfacts.numbers(text) - set(map(float, keyfacts.years(text))) or _WITH_UNIT.search(text))
    if kind is Kind.DATE:
        if _ASKS_DAY.search(question):  # "On what exact date ...?": a year alone does not say
            return bool(keyfacts.dates(text))
        return bool(keyfacts.years(text) or keyfacts.months(text))
    anchored = anchors(question)  # "before Mirziyoyev": he is not the one asked for
    spelt = _ACRONYM.findall(question)  # "the Islamic State's Khorasan Province" is the question's ISKP
    bare = _BARE.sub("", text)  # an answer that is only a name ("Qaumi Tarana [1].") states it, first word too
    found = keyfacts.names(text) | ({bare} if bare in keyfacts.names(bare, first_word=True) else set())
    new = [name for name in found if not keyfacts.mentions(name, question)
           and not any(keyfacts.mentions(anchor, name) for anchor in anchored)
           and not any(acronyms.spelt_out(acronym, name) for acronym in spelt)]
    if any(len(re.split(r"[\s-]+", name)) > 1 for name in new):
        return True
    if not _WHO.match(question) or _WHO_HOLDS.match(question):  # "Which provincial governors ...?", "Who is the
        return False  # leader of ISKP?" ask for persons by name
    people = {match.lower() for match in _PEOPLE.findall(text)}  # "provincial governors, top ideologues"
    return len(new) >= 2 or bool(people - {match.lower() for match in _PEOPLE.findall(question)})


_WHO = re.compile(r"^\s*(?:and\s+|so\s+)?who(?:m|['’]s)?\b", re.I)
_ACRONYM = re.compile(r"\b[A-Z]{3,}\b")
_BARE = re.compile(r"^\s+|(?:\s*\[\d+\])*[\s.]*$")
# "Who is the current leader of ISKP?", "Who is ISKP's leader?": one person holding a post, not a kind of people.
_WHO_HOLDS = re.compile(r"^\s*(?:and\s+|so\s+)?who(?:['’]s|\s+(?:is|was))\s+(?:the\s+|its\s+|their\s+)?"
                        r"(?:[\w-]+['’]s\s+)?"
                        r"(?:(?:current|present|new|former|first|top|overall|supreme)\s+)?(?:leader|head|chief|"
                        r"president|founder|commander|emir|ruler|king|spokesman|spokesperson)\b|"
                        r"^\s*(?:and\s+|so\s+)?who\s+(?:now\s+|currently\s+)?(?:leads|heads|runs|rules|governs|led|headed|ran|"
                        r"ruled|governed)\b", re.I)


# Kinds of people an answer to "Who ...?" may name instead of persons: "attacks against provincial governors".
_PEOPLE = re.compile(r"\b(?:coalition|law enforcement|security (?:services|forces)|armed forces|"
                     r"leaders|leadership|governors|ideologues|officials|commanders|fighters|militants|members|"
                     r"nationals|civilians|individuals|citizens|clerics|ministers|soldiers|officers|diplomats|"
                     r"journalists|workers|minorities|foreigners|tourists|recruits|sympathizers|sympathisers)\b",
                     re.I)


_PARTS = re.compile(r"[,;]\s*(?:and|but|or)\s+(?=(?:what|which|who|whom|whose|when|where|why|how)\b)|\?\s+", re.I)
_CONTEXT = re.compile(r"\s*\([^()]*\)\s*$")  # "And in Iran? (plots foiled)": terms of earlier turns, as context


def without_context(question: str) -> str:
    """The question without the earlier turns' words added to it as context."""
    return _CONTEXT.sub("", question) or question


def alternatives(question: str, name: str) -> list[str]:
    """The names the question offers as alternatives to name ("Does the list name ISIS or its Khorasan branch?":
    Khorasan for ISIS, ISIS for Khorasan): a sentence that names one of them may answer."""
    names = asked_names(question)
    found = []
    for other in names:
        if other == name:
            continue
        for first, second in ((name, other), (other, name)):
            if re.search(rf"\b{re.escape(first)}\b(?:['’]s)?\s+or\s+(?:[\w’'-]+\s+){{0,2}}{re.escape(second)}\b",
                         question):
                found.append(other)
                break
    return found


def asked_names(question: str) -> list[str]:
    """The names a question asks about ("Tajikistan", "Islamic Movement"), descriptions ("Central Asian", "a Gulf
    state") and the context added from earlier turns left out."""
    question = _CONTEXT.sub("", question)
    described = set(descriptions(question))
    first, *others = _SENTENCE_BREAK.split(question.strip())
    found = keyfacts.names(first)
    for sentence in others:  # "Someone told me ...": capitalised because a sentence starts there; "Wells?" alone not
        found |= keyfacts.names(sentence, first_word=not _OPENS_WITH_WORD.match(sentence))
    return sorted(name for name in found if name not in described)


_SENTENCE_BREAK = re.compile(r"(?<=[.?!])\s+(?=[\"“‘']?[A-Z])")
_OPENS_WITH_WORD = re.compile(r"^[\"“‘']?[A-Z][a-z’']*\s+[a-z]")  # a capitalised word, then one in lower case


# Words that place a question in the present ("today", "currently") and say nothing of what it asks about.
_NOW = re.compile(r",?\s*\b(?:today|nowadays|currently|at present|right now|these days)\b", re.I)


def content(question: str) -> str:
    """The question without the words that only place it in the present: "What's Tunisia's population today?"
    asks what "What's Tunisia's population?" asks."""
    return _NOW.sub("", question).strip() or question


def descriptions(text: str) -> list[str]:
    """The names that describe a place rather than name it: "Central Asian", "North African", the "Gulf" of "a Gulf
    state", the "Indian Ocean" of "an Indian Ocean country"."""
    folded = keyfacts.fold(text)
    return sorted(name for name in keyfacts.names(text) if _DESCRIBES.search(name)
                  or re.search(rf"{_UNNAMED}{re.escape(name)}(?:['’]s)?{_PLACE_NOUN.pattern}", folded, re.I))


def place_descriptions(text: str) -> list[str]:
    """Of the descriptions, those said of a place: "Central Asian states", "a Gulf state", not the "American" of
    "American and European foreign fighters"."""
    folded = keyfacts.fold(text)
    return [name for name in descriptions(text)
            if re.search(rf"{re.escape(name)}(?:['’]s)?{_PLACE_NOUN.pattern}", folded, re.I)]


def pinned_years(question: str) -> set[int]:
    """Years the question asks about as points ("in 2024", "as of 2024"), not as the ends of a range ("since 2015")."""
    folded = keyfacts.fold(_CONTEXT.sub("", question))
    return {int(m.group(0)) for m in re.finditer(r"(?<![\d,.])(?:1[0-9]|20)\d\d(?!\d|[,.]\d)", folded)
            if not _RANGE_WORD.search(folded[:m.start()])}


_NOT_PINNING = frozenset({"the", "top", "first", "last", "main", "name", "list", "give", "these", "those", "which",
                          "what", "one", "other"})  # "apart from the other two": items, not a given number


def pinned_counts(question: str) -> set[float]:
    """Numbers a question states as given ("In which year were five plots foiled?", "Which country had four plots?"),
    not what it asks to count nor how many it wants listed ("the three authors", "Name five exports")."""
    if answer_kind(question) is Kind.COUNT or not question.rstrip().endswith("?"):
        return set()  # a statement's number describes ("ISKP fired rockets at two neighbours")
    tokens = re.findall(r"[\w.,%’'-]+", keyfacts.fold(_CONTEXT.sub("", question)))
    pinned: set[float] = set()
    for i, token in enumerate(tokens):
        stated = keyfacts.counts(token.strip(".,"))
        if stated and i >= 3 and tokens[i - 1].lower() not in _NOT_PINNING and token.lower() not in _NOT_PINNING:
            pinned |= stated
    return pinned


# "How much of Turkmenistan is desert?", "How many of them are Qatari nationals?": the part, not the whole, is counted.
_SHARE_OF = re.compile(r"\bhow (?:many|much) of\s+(?:[\w’'-]+\s+){1,4}?(?:is|are|was|were)\s+(.+)", re.I)


def counted_terms(question: str) -> set[str]:
    """What "how many ..." counts: its words up to the verb ("ISKP leaders", "kilometres of coastline"), names
    only when nothing else is counted."""
    question = same_phrase(_CONTEXT.sub("", question))
    match = (re.search(r"^\s*(?:of|among|out of) (.+?),\s*how (?:many|much)\b", question, re.I)
             or _SHARE_OF.search(question) or re.search(r"\bhow (?:many|much)\s+(.+)", question, re.I))
    if not match:
        return set()
    counted: list[str] = []
    found = words(match.group(1))[:7]
    verb = ""
    for i, word in enumerate(found[:6]):
        if word in _AUXILIARY or counted and not word.endswith("s") and i + 1 < len(found) and found[i + 1] in _PLACING:
            verb = "" if word in _AUXILIARY else word
            break  # "How many people live in Qatar?": a verb before "in" ends what is counted ("nationals in" does not)
        if word not in STOPWORDS and word not in _HEDGES:
            counted.append(word)
    name_terms = {term(w) for name in keyfacts.names(question) for w in words(name)}
    plain = [w for w in counted if term(w) not in name_terms]
    if plain and set(plain) <= _NATIONALS and len(plain) < len(counted):  # "Qatari nationals" are the Qatari
        return {term(w) for w in counted}
    if verb and verb not in _DWELLING and _COUNTED_AS.keys() & set(counted):
        return {term(w) for w in (plain or counted)} | {term(verb)}  # "How many people died ...?": not a population
    return {term(_COUNTED_AS.get(w, w)) for w in (plain or counted)}


_HEDGES = frozenset("actually really truly exactly currently presently still now today".split())
_NATIONALS = frozenset("nationals citizens".split())
_DWELLING = frozenset("live lives living lived reside resides residing dwell inhabit".split())


def attribute_terms(question: str) -> set[str]:
    """What a number or date is asked of ("How long is Saudi Arabia's coastline?": long, coastline): the question's
    content words other than its names and words for holding a post ("Who holds the position of Supreme Leader?"
    asks of the Supreme Leader); a bare number from another field ("Saudi Arabia 87 km") does not answer."""
    question = same_phrase(_IN_TERMS.sub(" ", _CONTEXT.sub("", question)))
    name_terms = {term(w) for name in keyfacts.names(question) for w in words(name)}
    return {term(w) for w in words(question) if w not in STOPWORDS and w not in _AUXILIARY and not w.isdigit()
            and w not in _HOLDING and w not in _ASKING_WORDS and term(w) not in name_terms} | \
        {term(w) for w in label_terms(question)}


_IN_TERMS = re.compile(r"\bin\s+(?:[\w$-]+\s+){0,2}terms\b", re.I)  # "in PPP terms": how it is measured
_DERIVED = re.compile(r"(?<=\w{5})(?:ence|ent|ance|ant)$")  # "independent" asks what "Independence" states


# A measure's noun states what its adjective asks: "by length in km" answers "How long is ...?".
_MEASURE_NOUNS = {"length": "long", "height": "high", "width": "wide", "depth": "deep", "distance": "far",
                  "weight": "heavy", "tall": "high", "elevation": "high", "altitude": "high"}


def term(word: str) -> str:
    return _UNITS.get(word) or _MEASURE_NOUNS.get(word) or _DERIVED.sub("", _stem(word))


def stated_terms(text: str) -> set[str]:
    """The terms a text states, read as a question's counted or asked terms are."""
    percent = {"%"} if "%" in text else set()  # "14.2%" states a percentage
    return {term(w) for w in words(same_phrase(text))} | percent


def initialisms(question: str) -> set[str]:
    """The initials of each run of three to five of the question's words ("internally displaced people": "idp"),
    as terms: a label's acronym ("IDPs") then names what the question spells out."""
    found = [w for w in words(question) if w not in STOPWORDS and not w[0].isdigit()]
    return {term("".join(w[0] for w in found[i:i + n]) + "s") for n in range(3, 6)
            for i in range(len(found) - n + 1)}


_SUFFIX = re.compile(r"^(?:[aeiouy]|ment|ness|ship|hood|less|ful|wise|ward|like)")  # "found-ation": no compound


def shares(asked_terms: set[str], stated: set[str]) -> bool:
    """A stated term is an asked one or a compound it begins ("coastline" for "coast", not "foundation" for
    "found")."""
    return any(t in asked_terms or any(len(a) >= 5 and t.startswith(a) and len(t) - len(a) >= 3
                                       and not _SUFFIX.match(t[len(a):]) for a in asked_terms) for t in stated)


_MEASURES = frozenset("long big large high tall far deep wide old heavy".split())
MEASURE_WINDOW = 8  # words between what is measured and its number


def _measured_near(about: set[str], sentence: str) -> bool:
    """A number (not a year) within a few words of a word for what is measured: "Area, total: 796,095 sq km", not a
    long note that mentions "areas" here and "30 years" forty words on."""
    tokens = re.findall(r"[\w.,%’'-]+", keyfacts.fold(sentence))
    measured = [i for i, token in enumerate(tokens) if shares(about, stated_terms(token))]
    valued = [i for i, token in enumerate(tokens) if keyfacts.counts(token.strip(".,"))]
    return any(abs(i - j) <= MEASURE_WINDOW for i in measured for j in valued)


# A name joined by hyphens to a lower-case word ("Tehrik-e-Taliban", "U.S.-led"): its words say something else than
# they say alone (a pair of names, "TTP-ISKP collaboration", still says each).
_COMPOUND = re.compile(r"\b[A-Z][\w.’']*(?:-[\w.’']+)*-[a-z][\w.’']*(?:-[\w.’']+)*")


def only_in_compounds(sentence: str, question: str, read: Callable[[str], Iterable[str]] | None = None) -> set[str]:
    """The terms a sentence says only inside a hyphenated name the question does not use: "How has the Taliban
    responded?" is not about "Tehrik-e-Taliban Pakistan", nor "Who leads ISKP?" about the "U.S.-led coalition".
    read: how text is read into terms (stated_terms by default)."""
    read = read or stated_terms
    inside = {t for m in _COMPOUND.finditer(sentence) for t in read(m.group(0))}
    if not inside:
        return set()
    asked_inside = {t for m in _COMPOUND.finditer(question) for t in read(m.group(0))}
    return inside - set(read(_COMPOUND.sub(" ", sentence))) - asked_inside


_NTH_OF = re.compile(r"\bthe\s+(second|third|fourth|fifth|sixth)\s+([a-z]{3,})\b", re.I)
# "Who is the prime minister of X?" asks for who holds the office now.
_PRESENT_HOLDER = re.compile(r"^\s*who\s+(?:is|['’]s)\s+(?:the\s+)?(?:current\s+|present\s+)?([a-z]+(?:\s+minister)?)\b"
                             r"(?!\s+(?:in|on|at|from|with)\b)", re.I)
_NOT_PRESENT = r"(?:first|former|late|previous|founding|last|then|ex-|second|third|interim)"
_PLACED_ITEM = re.compile(rf"\b({'|'.join(sorted(_PLACING))})\s+(?:the\s+)?((?:{keyfacts.NAME.pattern}))")


# "Who ran Uzbekistan before Mirziyoyev?": the name after "before" places the one asked for in time; a sentence
# naming the predecessor answers without naming him.
_ANCHORING = re.compile(rf"\b(?:before|after|succeeded|preceded|replaced|predecessor\s+(?:of|to)|"
                        rf"successor\s+(?:of|to))\s+((?:{keyfacts.NAME.pattern}))")


_EARLIER_HOLDER = re.compile(r"\b(?:first(?!\s+round)|former|previous|predecessor|until|late|founding|earlier|"
                             r"stepped\s+down|resigned|died|death)\b", re.I)
_POST = re.compile(r"\b(?:president|presidency|prime\s+minister|premier|chancellor|king|queen|emir|amir|shah|sultan|"
                   r"monarch|ruler|leader|chairman|head\s+of\s+(?:state|government))\b", re.I)
_LATER_HOLDER = re.compile(r"\b(?:successor|succeeded|since|current|new|replaced|took\s+over)\b", re.I)


@functools.cache
def holding_terms() -> frozenset[str]:
    """The terms of the words for holding a post ("ran", "leads", "held"): what a "Who ...?" question asks of the
    person, not a topic a sentence should share."""
    return frozenset(term(word) for word in _HOLDING | _RULING)


@functools.lru_cache(maxsize=256)  # asked of every candidate sentence of one question
def _anchoring(question: str) -> tuple[frozenset[str], re.Pattern | None]:
    """For "Who ...?": the names that only place the person asked for in time, and the pattern of a sentence about
    the holder asked for (earlier for "before X", later for "after X"); else nothing."""
    own = _CONTEXT.sub("", question)
    said = _ANCHORING.search(own)
    if not said or answer_kind(question) is not Kind.NAME:
        return frozenset(), None
    earlier = said.group(0).lower().startswith(("before", "preceded", "predecessor"))
    return frozenset(m.group(1) for m in _ANCHORING.finditer(own)), _EARLIER_HOLDER if earlier else _LATER_HOLDER


def anchor_order(question: str, sentence: str) -> bool:
    """For "Who ... before X?" a sentence about an earlier holder ("first president", "until his death"); for
    "after X" one about a later holder ("His successor", "since 2016")."""
    holder = _anchoring(question)[1]
    return bool(holder and holder.search(sentence))


def anchors(question: str) -> frozenset[str]:
    """For "Who ...?": the names that only place the person asked for in time (before, after, succeeded ...)."""
    return _anchoring(question)[0]


def unlisted_items(question: str, sentence: str) -> list[str]:
    """For "How many plots were foiled in Afghanistan?", the places the question picks ("in Afghanistan") that a list
    placing its items the same way ("three in India, four in Iran, ...") does not name: it counts other places, even
    in a document whose title names Afghanistan."""
    listed = [m for clause, _ in keyfacts.list_items(sentence) for m in _PLACED_ITEM.finditer(clause)]
    if len(listed) < 2:
        return []
    placings = {m.group(1).lower() for m in listed}
    return [m.group(2) for m in _PLACED_ITEM.finditer(question) if m.group(1).lower() in placings
            and not any(keyfacts.mentions(m.group(2), item.group(2)) for item in listed)]


def unstated_measure(question: str, quoted: str) -> list[str]:
    """For "How long is Saudi Arabia's coastline?", what is measured (coastline) when the quoted text does not say
    it: a length from a border list does not answer it. Empty for other questions."""
    if answer_kind(question) is not Kind.MEASURE:
        return []
    measured = attribute_terms(question) - _MEASURES
    return sorted(measured) if measured and not shares(measured, stated_terms(quoted)) else []


def unmet_carried_names(question: str, named: str) -> list[str]:
    """For a follow-up naming nothing itself ("And what does it mainly sell them? (buys Afghanistan's exports)"),
    the names of the earlier question its context carries when the text (a sentence with its document's title and
    section) mentions none of them: the answer is about something else."""
    carried = _CONTEXT.search(question)
    if not carried or asked_names(_CONTEXT.sub("", question)):
        return []
    names = keyfacts.names(carried.group(0).strip(" ()"), first_word=True)
    return [] if any(keyfacts.mentions(word, named) for name in names for word in name.split()) else sorted(names)


def _names_in(part: str, known: Collection[str]) -> list[str]:
    """The names a part of the question asks about, with those the caller knows that it says and they leave out."""
    said = asked_names(part)
    return said + [name for name in known if name not in said and re.search(rf"\b{re.escape(name)}\b", part)]


def unmet(question: str, sentence: str, context: str = "", referred: str = "", field: str = "",
          known: Collection[str] = ()) -> list[str]:
    """What the question asks for that the sentence does not state (empty: it may answer). context: its document's
    title and section, which name what every sentence there is about; referred: the sentence it refers back to
    ("Twelve of these interdictions ..."), which says what it counts; field: the everyday words for the field the
    sentence gives ("Labor force": workers, jobs), which say what it counts when the question asks for them; known:
    words of the question the caller knows to be names of places or peoples, wherever they stand ("Russian
    inflation in 2024: ..." opens with one), asked about like its other names."""
    named = f"{sentence}\n{context}"
    # A question of several parts ("Which groups ..., and what role have Tajik nationals played?") is answered
    # part by part: a sentence must name what one part asks about.
    own = _CONTEXT.sub("", question)
    anchored = anchors(question)
    missing = min(([f"name {name}" for name in _names_in(part, known) if name not in anchored
                    and not keyfacts.mentions(name, named)
                    and not any(keyfacts.mentions(other, named) for other in alternatives(part, name))]
                   for part in _PARTS.split(own) if part.strip()), key=len, default=[])
    carried = unmet_carried_names(question, named)
    if carried:
        missing.append(f"a name of the earlier question ({', '.join(carried)})")  # what "they" are
    missing += [f"name {name}" for name in unlisted_items(question, sentence) + unlisted_items(question, referred)
                if f"name {name}" not in missing]
    missing += [f"the {m.group(1).lower()} {m.group(2)}" for m in _NTH_OF.finditer(own)
                if not re.search(rf"\b{m.group(1)}\b", sentence, re.I)]  # "the second phase" is no other phase
    holder = _PRESENT_HOLDER.match(own)
    if holder and re.search(rf"\b{_NOT_PRESENT}\s*(?:[\w’'-]+\s+)?{re.escape(holder.group(1))}\b", sentence, re.I) \
            and not re.search(rf"\b{_NOT_PRESENT}\b", own, re.I):
        missing.append(f"the present {holder.group(1).lower()}")  # not "its first president, ..."
    stated_years = keyfacts.years(f"{sentence}\n{referred}")  # "these operations" are those of early 2023
    missing += [f"year {year}" for year in sorted(pinned_years(question)) if year not in stated_years]
    stated_numbers = keyfacts.numbers(sentence)
    missing += [f"number {value:g}" for value in sorted(pinned_counts(question)) if value not in stated_numbers]
    counted = counted_terms(question)
    if counted and not shares(counted, stated_terms(f"{sentence} {referred}")) \
            and not (field and shares(counted | attribute_terms(question), stated_terms(field))):
        missing.append(f"what is counted ({', '.join(sorted(counted))})")
    spelt = acronyms.asked_expansion(question)
    if spelt:  # "What is the full name of the IMU?" asks for the words it spells, nothing more
        return missing + ([] if acronyms.defines(spelt, sentence) else [f"what {spelt} stands for"])
    kind = answer_kind(question)
    if anchored and not (anchor_order(question, sentence) and _POST.search(sentence)):
        missing.append("an earlier or later holder of a post")  # "before Mirziyoyev": who held it then
    about: set[str] = set()
    if kind is not None and not counted:  # "Who founded it?": a name from a sentence about its founding
        about = attribute_terms(question)
        if anchored:  # "Who ran X before Y?": any sentence naming an earlier holder, "led" or "president"
            about -= holding_terms()
        if kind is Kind.MEASURE:  # "How large is Qatar, by area?" asks for its area; any large thing will not do
            about = (about - _MEASURES) or about
    elif kind is None:  # "What is the capital of Iraq?": a sentence that only mentions Iraq does not say
        looked_up = _LOOKUP.match(question)
        about = stated_terms(looked_up.group(1)) - STOPWORDS if looked_up else set()
    about -= {term(w) for name in known for w in words(name)}
    if about and not shares(about, stated_terms(named) - only_in_compounds(sentence, question)):
        missing.append(f"what is asked of it ({', '.join(sorted(about))})")
    elif kind is Kind.MEASURE and about and not about & _MEASURES and shares(about, stated_terms(sentence)) \
            and not _measured_near(about, sentence):
        missing.append(f"a measurement of {', '.join(sorted(about))}")
    if not states_kind(kind, sentence, question):
        missing.append(f"{kind.value if kind else 'answer'}")
    return missing
