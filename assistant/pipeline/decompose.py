"""Stage 2b: a question that needs more than one fact split into sub-questions, each retrieved and answered alone.

- A comparison ("Which has the longer coastline, Iran or Pakistan?") asks the same thing of each entity it compares:
  "How long is the coastline of Iran?", "How long is the coastline of Pakistan?".
- Joined questions that each name what they ask about ("How many plots were foiled in Iran, and what is Iran's
  population?") are asked one by one (`parts`).
- A bridge ("The report says ISKP fired rockets at two neighbours. What are those countries' capitals?") first asks
  what its lead statement refers to; the places the answer names stand in for "those countries" (`bridged`).
Any other question is left whole (an empty plan)."""
from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from enum import StrEnum

from .. import asked, keyfacts
from ..focus import DocumentNames
from ..textutil import terms


class Mode(StrEnum):
    SINGLE = "single"
    COMPARISON = "comparison"
    BRIDGE = "bridge"
    PARTS = "parts"


@dataclass(frozen=True)
class Comparative:
    word: str  # as the question has it: "longer", "more", "first"
    how: str  # "long", "many" ("What is the number of ..."), "when" (a date)
    larger_wins: bool  # the larger value (the later date) answers
    noun: str = ""  # the dimension when the data names it so ("age" for "older"), added to the sub-question
    alone: bool = False  # noun only when the question names nothing else compared ("Which is larger, A or B?")


# English comparatives and the dimension each compares: the lexicon, not tuned to any question.
COMPARATIVES = {c.word: c for c in [
    Comparative("longer", "long", True), Comparative("shorter", "long", False),
    Comparative("larger", "large", True, "area", True), Comparative("bigger", "large", True, "area", True),
    Comparative("smaller", "large", False, "area", True), Comparative("greater", "large", True),
    Comparative("higher", "high", True, "elevation", True), Comparative("taller", "high", True, "elevation", True),
    Comparative("lower", "high", False, "elevation", True),
    Comparative("older", "old", True, "age"), Comparative("younger", "old", False, "age"),
    Comparative("wider", "wide", True), Comparative("narrower", "wide", False),
    Comparative("deeper", "deep", True), Comparative("shallower", "deep", False),
    Comparative("more", "many", True), Comparative("fewer", "many", False), Comparative("less", "many", False),
    Comparative("first", "when", False), Comparative("earlier", "when", False), Comparative("sooner", "when", False),
    Comparative("later", "when", True),
]}
# What data calls a dimension that a question words otherwise ("more people": population).
_DATA_NOUNS = {"people": "population", "inhabitants": "population", "residents": "population",
               "live": "life expectancy", "summit": "highest elevation", "peak": "highest elevation"}
_NAME = r"(?:the\s+)?[A-Z][\w’'-]*(?:\s+(?:of\s+|al-)?[A-Z][\w’'-]*)*"
_ALTERNATIVES = re.compile(rf"({_NAME})(?:['’]s)?\s*,?\s+or\s+(?:(?i:in|of|for|at|on|by)\s+)?({_NAME})(?:['’]s)?")
# "Which of India and Pakistan has more airports?", "Between Iran and Turkey, which is larger?"
_BOTH_NAMED = re.compile(rf"\b(?i:which\s+of|between)\s+({_NAME})(?:['’]s)?\s+and\s+({_NAME})(?:['’]s)?")
_THAN = re.compile(rf"^\s*(?i:is|are|was|were|does|do|did|has|have)\s+({_NAME})(?:['’]s)?\b(.*?)\bthan\s+"
                   rf"(?:that\s+of\s+|those\s+of\s+|in\s+)?({_NAME})(?:['’]s)?\s*\??\s*$")
_PAIR_STATED = re.compile(rf"^\s*({_NAME})\s+and\s+({_NAME})\b")
_WHICH_OF_THEM = re.compile(r"^\s*(?i:which)((?:\s+(?i:one|of\s+(?:them|the\s+two|these|those)(?:\s+two)?))?)"
                            r"\s+(?i:is|are|has|have|had|was|were|does|do|did)\b")
_WHOSE = re.compile(r"^\s*(?i:whose|which\s+(?:one|country|nation|place)['’]s)\s+")  # "Which country's peak ..."
_COUNTED_NOUN = re.compile(r"\b\d[\d,.]*(?:\s+(?:million|billion|thousand|hundred))?\s+([a-z]{3,})\b")
_HEDGES = frozenset("actually really truly indeed exactly then now".split())
_LEAD_WORDS = frozenset("""which whose where who what is are was were does do did has have had one country countries
place places state states nation nations of the a an than in two both""".split())
_AUXILIARY = re.compile(r"\b(?:do|does|did)\b", re.I)
_PREPOSITION = frozenset("by in of on at for from to with".split())

# A question after a statement ("... two Central Asian neighbours. What are those countries' capitals?") or a
# second question after a first (", and what is its population?"), referring back to what the first part names.
_REFERENCE = re.compile(r"\b(?:(?:that|this|those|these|the same)\s+(?:two\s+|three\s+)?"
                        r"(?:country|countries|state|states|nation|nations|place|places)\b(?:['’]s?)?|"
                        r"the\s+(?:two\s+|three\s+)?(?:country|countries|nation|nations)\b(?:['’]s?)?|"
                        r"(?:its|their|them|they)\b)", re.I)
_CAPITAL_OF = re.compile(rf"\b(?i:capital)\s+of\s+({_NAME})|({_NAME})['’]s\s+(?i:capital)\b")
_CITY_REFERENCE = re.compile(r"\b(?:that|this|the\s+same)\s+city\b|\bthere\b", re.I)
# "Is there ...", "there have been ...": not a place ("Do young men there have to serve?" is one).
EXISTENTIAL_THERE = re.compile(r"\b(?:is|are|was|were|be|been|has|have|had)\s+there\b|"
                               r"\bthere\s+(?:is|are|was|were|(?:has|have)\s+(?:been|to\s+be))\b", re.I)
_THERE = re.compile(r"\bthere\b", re.I)
_SECOND_PART = re.compile(r",?\s*\band\s+(?=(?:what|which|who|whom|whose|when|where|how)\b)", re.I)
_SINGULAR = re.compile(r"(?:that|this)\s|its$")
_MAX_BRIDGED = 3  # more places than this in the lead answer: the reference is too open to resolve
# A lead asking for a place ("Apart from Tajikistan, which other country ...?"): its answer names the place; the
# places the lead names are set aside.
_ASKS_PLACE = re.compile(r"\b(?:which|what)\s+(?:[\w-]+\s+){0,3}?(?:country|countries|state|states|nation|nations|"
                         r"place|places)\b|^\s*where\b", re.I)


@dataclass
class Plan:
    mode: Mode
    parts: list[str] = field(default_factory=list)  # the sub-questions (comparison); the lead question (bridge)
    entities: list[str] = field(default_factory=list)  # compared, one per part
    comparative: Comparative | None = None
    follow: str = ""  # bridge: the question whose reference the lead answer's places replace
    reference: tuple[int, int] = (0, 0)  # bridge: the span of the reference in follow
    question: str = ""  # the question asked, when the statements before it only set the scene
    premise: str = ""  # those statements


def run(question: str) -> Plan:
    """The sub-questions of a comparison or a bridge question; an empty (SINGLE) plan for any other. After
    statements that only set the scene, the plan is the last question's, which it keeps as plan.question."""
    scene = asked_alone(question) or city_of_lead(question)
    if scene:
        premise, alone = scene
        plan = comparison(alone) or Plan(Mode.SINGLE)
        plan.question, plan.premise = alone, premise
        return plan
    plan = comparison(question) or bridge(question) or parts(question) or Plan(Mode.SINGLE)
    sized = _SIZE_OF.match(question) if plan.mode is Mode.SINGLE else None
    if sized:  # what a comparison of sizes compares: the area
        plan.question = f"How large is {sized.group(1)}, by area?"
    return plan


_SIZE_OF = re.compile(r"^\s*(?i:how\s+(?:big|large)\s+is)\s+((?:the\s+)?[A-Z][\w’'-]*(?:\s+[A-Z][\w’'-]*)*)\s*\??\s*$")


# Words by which a question leans on what came before it ("What languages does it publish in?").
_POINTS_BACK = re.compile(r"\b(?:it|its|he|him|his|she|her|they|them|their|this|that|these|those|there|same|"
                          r"such|former|latter)\b", re.I)
_QUESTION_WORD = re.compile(r"^(?:what|which|who|whom|whose|when|where|why|how|is|are|was|were|does|do|did|has|"
                            r"have|had|can|could)\b", re.I)


_STATED_THEN_ASKED = re.compile(r"^([^?]{3,}?),\s*(?:but|so|yet)\s+((?:who|what|which|when|where|how)\b[^?]*\?)$", re.I)


def asked_alone(question: str) -> tuple[str, str] | None:
    """"Germany had three ISKP plots foiled. Who heads the German government?": (the statements, the last question),
    when statements come before it and it names what it asks about without pointing back at them; else None."""
    lead, follow = _split(question)
    stated = _STATED_THEN_ASKED.match(question.strip())
    if stated and not _QUESTION_WORD.match(stated.group(1)):  # "Merz is chancellor, but who is the head of state?"
        lead, follow = stated.group(1), stated.group(2)[:1].upper() + stated.group(2)[1:]
    if not lead or lead.endswith("?") or _POINTS_BACK.search(follow):
        return None
    if not (follow.endswith("?") or _QUESTION_WORD.match(follow)):
        return None
    return (lead, follow) if asked.asked_names(follow) else None


def city_of_lead(question: str) -> tuple[str, str] | None:
    """"ISKP struck in Afghanistan's capital. How many people live in that city?": (the statement, the question asked
    of "the capital of Afghanistan"); None unless the statement names one capital by its country and the question
    refers to a city ("that city", "there")."""
    lead, follow = _split(question)
    if not lead or lead.endswith("?"):
        return None
    capitals = list(_CAPITAL_OF.finditer(lead))
    reference = _CITY_REFERENCE.search(follow)
    if len(capitals) != 1 or not reference or EXISTENTIAL_THERE.search(follow):
        return None
    return lead, asked_of_capital(follow, reference, _entity(capitals[0].group(1) or capitals[0].group(2)))


def asked_of_capital(question: str, reference: re.Match, place: str) -> str:
    """The question with its reference to a city ("that city", "there") put as the capital of place."""
    capital = f"the capital of {place}"
    said = f"in {capital}" if reference.group(0).lower() == "there" else capital
    return question[:reference.start()] + said + question[reference.end():]


def comparison(question: str) -> Plan | None:
    """"Which has the longer X, A or B?" ("Which of A and B has the longer X?", "Is A's X longer than B's?"): the same
    question of A and of B, and what decides between them."""
    question = _versus_led(_qualifier_joined(question))
    match = _ALTERNATIVES.search(question) or _BOTH_NAMED.search(question)
    than = None if match else _THAN.match(question)
    if match:
        entities = [_entity(match.group(1)), _entity(match.group(2))]
        rest_text = question[:match.start()] + " " + question[match.end():]
    elif than:  # "Is Russia's highest peak taller than Iran's?"
        entities = [_entity(than.group(1)), _entity(than.group(3))]
        rest_text = than.group(2)
    elif stated := _stated_pair(question):
        entities, rest_text = stated
    else:
        return None
    if not all(entities) or entities[0].lower() == entities[1].lower():
        return None
    found = comparatives_in(rest_text)
    if len(found) != 1:
        return None
    comparative = COMPARATIVES[found[0].lower()]
    verb_form = bool(_AUXILIARY.search(rest_text)) and not _AUXILIARY.match(question.strip())
    rest = _rest(rest_text, found[0])
    if not rest and not comparative.noun:
        return None  # nothing said of what is compared
    parts = [_sub_question(comparative, rest, entity, verb_form) for entity in entities]
    return Plan(Mode.COMPARISON, parts, entities, comparative)


# "Germany vs Russia: which has more doctors per head?": the pair named first, then the question.
_VERSUS_LED = re.compile(rf"^\s*({_NAME})\s+(?:vs\.?|versus)\s+({_NAME})\s*(?::|,|\s[-–—])\s*(.+?)\s*\??\s*$",
                         re.I)


def _versus_led(question: str) -> str:
    """"Germany vs Russia: which has more doctors per head?" as "Which has more doctors per head, Germany or
    Russia?"; any other question as it is."""
    found = _VERSUS_LED.match(question)
    if not found or not _QUESTION_WORD.match(found.group(3)):
        return question
    asked_ = found.group(3)
    return f"{asked_[:1].upper()}{asked_[1:]}, {found.group(1)} or {found.group(2)}?"


# "Whose population is younger, Iran's or Pakistan's? Going by median age.": a statement after the question
# qualifies it.
_QUALIFIED = re.compile(r"^([^?]*)\?\s+([A-Z][^?]*?)[.!]?$")


def _qualifier_joined(question: str) -> str:
    """The question with a qualifying statement after it put inside it ("..., Iran's or Pakistan's, going by median
    age?"); the question as it is when none follows it."""
    found = _QUALIFIED.match(question.strip())
    if not found or _QUESTION_WORD.match(found.group(2)):
        return question
    tail = found.group(2)
    first = tail.split()[0].lower()
    if first in keyfacts.FUNCTION_WORDS or first.endswith(("ing", "ly", "ed")):  # not a name ("Going by ...")
        tail = tail[:1].lower() + tail[1:]
    return f"{found.group(1)}, {tail}?"


def _stated_pair(question: str) -> tuple[list[str], str] | None:
    """"Germany and Turkey both have about 84 million people. Which one actually has more?": the pair a statement
    opens with, and what the question compares of them (what the statement counts, when the question says no more)."""
    lead, follow = _split(question)
    pair = _PAIR_STATED.match(lead) if lead and not lead.endswith("?") else None
    follow = " ".join(w for w in follow.split() if w.lower().strip("?,") not in _HEDGES)
    which, whose = _WHICH_OF_THEM.match(follow), _WHOSE.match(follow)
    start = which.end(1) if which else whose.end() if whose else None  # where what is compared begins
    if not pair or start is None:
        return None
    asked = "Which " + follow[start:].strip()
    found = comparatives_in(asked)
    counted = _COUNTED_NOUN.search(lead)
    if len(found) == 1 and not _rest(asked, found[0]) and counted:
        asked = f"{asked.rstrip('?')} {counted.group(1)}?"
    return [_entity(pair.group(1)), _entity(pair.group(2))], asked


def comparatives_in(text: str) -> list[str]:
    """The comparatives of the text, as it writes them ("longer", "more")."""
    return [w for w in re.findall(r"[\w’'-]+", text) if w.lower() in COMPARATIVES]


def _entity(text: str) -> str:
    found = text.split()
    while found and found[0].lower() in _LEAD_WORDS:
        found = found[1:]
    return re.sub(r"['’]s$", "", " ".join(found))


def _rest(text: str, comparative: str) -> list[str]:
    """The question's words other than question words, the comparative and punctuation: what is compared."""
    kept = [w for w in re.findall(r"[\w’'-]+", text) if w != comparative and w.lower() not in _LEAD_WORDS
            and not _AUXILIARY.fullmatch(w)]
    while kept and kept[0].lower() in _PREPOSITION:
        kept = kept[1:]
    return kept


_SHARE_WORDS = frozenset("share proportion percentage percent fraction portion".split())
_INTO = frozenset("into on to for towards toward".split())


def _sub_question(comparative: Comparative, rest: list[str], entity: str, verb_form: bool) -> str:
    phrase = " ".join(rest)
    if rest and rest[0].lower() in _SHARE_WORDS and comparative.how in ("large", "high", "many"):
        # "Is a bigger share of people living in towns in A or in B?": a share, whatever its size words say
        return f"What is the {rest[0].lower()} of {' '.join(rest[1:])} in {entity}?"
    shared = next((i for i, w in enumerate(rest[:3]) if w.lower() in _SHARE_WORDS), 0)
    if shared and comparative.how in ("large", "high", "many"):
        # "Does A or B put a bigger share of its economy into defence?": what share of it each puts there
        whole = rest[shared + 1:]
        cut = next((i for i, w in enumerate(whole) if i and w.lower() in _INTO), len(whole))
        tail = " ".join(whole[cut:])
        return f"What {rest[shared].lower()} of {' '.join(whole[:cut])} does {entity} {' '.join(rest[:shared])}" \
               f"{' ' + tail if tail else ''}?"
    nouns = [comparative.noun if not (comparative.alone and rest) else ""]
    nouns += [_DATA_NOUNS[w.lower()] for w in rest if w.lower() in _DATA_NOUNS]
    noun = ", by " + nouns[-1] if nouns[-1] and nouns[-1] not in phrase.lower().split() else ""
    if comparative.how == "when":  # a date, to tell apart two in one year; loosened when none is stated
        return f"{_ON_WHAT_DATE} {entity} {phrase}?"
    if comparative.how == "many":
        return f"What is the number of {phrase or comparative.noun} in {entity}{noun}?"
    if verb_form:
        return f"How {comparative.how} do {phrase} in {entity}{noun}?"
    if not phrase:
        return f"How {comparative.how} is {entity}{noun}?"
    return f"How {comparative.how} is {possessive(entity)} {phrase}{noun}?".replace("  ", " ")


_ON_WHAT_DATE = "On what date was"


def loosened(part: str) -> str | None:
    """A comparison's sub-question asking for a date, asked for any time instead ("When was ..."); None for others."""
    return "When was" + part[len(_ON_WHAT_DATE):] if part.startswith(_ON_WHAT_DATE) else None


def possessive(entity: str) -> str:
    return entity + ("’" if entity.endswith("s") else "’s")


def bridge(question: str) -> Plan | None:
    """A lead (a statement, or a first question) and a question referring back to what it names."""
    lead, follow = _split(question)
    if not lead or not follow:
        return None
    reference = _REFERENCE.search(follow)
    if not reference and not EXISTENTIAL_THERE.search(follow):
        reference = _THERE.search(follow)  # "How large is the military there?"
    if not reference:
        return None
    return Plan(Mode.BRIDGE, [lead], follow=follow, reference=reference.span())


_MAX_PARTS = 3


def parts(question: str) -> Plan | None:
    """Two or three questions in one ("How many plots were foiled in Iran, and what is Iran's population?", "Who
    heads Qatar? What is Qatar's capital?"), each naming what it asks about and none pointing back at another."""
    sentences = [s.strip() for s in re.split(r"(?<=\?)\s+", question.strip()) if s.strip()]
    if 2 <= len(sentences) <= _MAX_PARTS and all(s.endswith("?") for s in sentences):
        asked_ = sentences
    else:
        lead, follow = _split(question)
        if not lead.endswith("?") or len(sentences) > 1:
            return None
        asked_ = [lead, follow]
    if any(_POINTS_BACK.search(s) or not asked.asked_names(s) or not _QUESTION_WORD.match(s) for s in asked_):
        return None
    return Plan(Mode.PARTS, asked_)


def _split(question: str) -> tuple[str, str]:
    """(lead, follow): the statements before the last question, or the first of two joined questions."""
    sentences = [s.strip() for s in re.split(r"(?<=[.!?])\s+(?=[A-Z])", question.strip()) if s.strip()]
    if len(sentences) >= 2 and not sentences[-2].endswith("?"):
        return " ".join(sentences[:-1]), sentences[-1]
    parts = _SECOND_PART.split(question.strip(), maxsplit=1)
    if len(parts) == 2 and parts[0].strip():
        return parts[0].strip().rstrip(",") + "?", parts[1][:1].upper() + parts[1][1:]
    return "", ""


def bridged(plan: Plan, lead_quotes: list[tuple[str, str]], names: DocumentNames | None, question: str,
            doc_text: Callable[[str], str] | None = None) -> list[tuple[str, str]]:
    """(place, sub-question): the follow question asked of each place that has a document of its own, one the lead
    itself names, else one the lead answer's quotes name that the question does not; one question when it asks
    "between them". lead_quotes: (quote, doc_id) of the lead answer's citations. Of a quote naming many places, the
    clauses closest to the lead's words count ("rocket strikes against Tajikistan and Uzbekistan" for "fired
    rockets"); a place the lead describes ("a Gulf state") must be one its own document (doc_text) describes so."""
    if names is None:
        return []
    cited = {doc_id for _, doc_id in lead_quotes}
    start, end = plan.reference
    said = plan.follow[start:end].lower()
    lead = plan.parts[0]
    places = [] if _ASKS_PLACE.search(lead) else _places(lead, names, cited)
    if not places and said in ("their", "its") and _HOME.match(plan.follow[end:]):
        said = "that"  # "their home country": the one place of the people the lead answer names
        peoples = [_peoples(text, names) for text in [lead] + [quote for quote, _ in lead_quotes]]
        found = {place for found_ in peoples for place in found_}
        places = list(found) if len(found) == 1 else []
        if places:
            return [(places[0], plan.follow[:start] + places[0] + plan.follow[_home_end(plan.follow, end):])]
    if not places:
        excluded = cited | names.named_in(question)
        single = single_reference(plan)
        by_quote = [lead_places(quote, lead, names, excluded, doc_text, single) for quote, _ in lead_quotes]
        if single:  # "that country": the one place of the quote that names only one
            single_places = {found[0] for found in by_quote if len(found) == 1}
            places = list(single_places) if len(single_places) == 1 else []
        else:
            places = list(dict.fromkeys(place for found in by_quote for place in found))
    if not places or len(places) > _MAX_BRIDGED or said in ("they", "them") and len(places) == 1:
        return []  # "they" is not one place ("Who are Germany's customers? What do they buy?")
    owned = said.endswith(("'s", "’s", "'", "’")) or said in ("its", "their")
    if re.search(r"\bbetween\s*$", plan.follow[:start], re.I) and len(places) > 1:
        return [(" and ".join(places), plan.follow[:start] + " and ".join(places) + plan.follow[end:])]
    return [(place, plan.follow[:start] + (possessive(place) if owned else f"in {place}" if said == "there" else place)
             + plan.follow[end:]) for place in places]


def lead_places(quote: str, lead: str, names: DocumentNames, excluded: set[str],
                doc_text: Callable[[str], str] | None, single: bool, sharing: bool = False) -> list[str]:
    """The places a lead's answer (quote) names for the follow question: those of its clauses that share the most
    words with the lead (all of them when none shares, or none when sharing is asked), kept to those the lead's
    description fits (_described)."""
    return _described(_closest_places(quote, lead, names, excluded, sharing), lead, names, doc_text, single)


_HOME = re.compile(r"\s+(?:home\s+country|homeland|native\s+country|country\s+of\s+origin|own\s+country)\b", re.I)
_PEOPLE = re.compile(r"\b([A-Z][a-z]{3,})\s+(?:nationals|citizens|people|fighters|militants|migrants|refugees|"
                     r"operatives|recruits|workers|members)\b")


def _home_end(follow: str, end: int) -> int:
    match = _HOME.match(follow[end:])
    return end + match.end() if match else end


def _peoples(text: str, names: DocumentNames) -> list[str]:
    """The places of the peoples a text names ("Tajik nationals": Tajikistan)."""
    return [place for match in _PEOPLE.finditer(text) for place in [names.place_of_people(match.group(1))] if place]


def places_in(text: str, names: DocumentNames) -> list[str]:
    """The places the text names that have documents of their own."""
    return _places(text, names, set())


def asked_of(question: str) -> str:
    """What a question asks about, without its question words and prepositions ("What is the highest point in ?":
    "highest point")."""
    question = re.sub(r"\bhow\s+\w+\b|\b(?:what|who|where|when)['’]s\b", " ", question, flags=re.I)
    return " ".join(w for w in _rest(question, "") if w.lower() not in _PREPOSITION)


def single_reference(plan: Plan) -> bool:
    """The bridge's follow refers to one place ("that country", "its")."""
    start, end = plan.reference
    return bool(_SINGULAR.match(plan.follow[start:end].lower()))


# "Which country saw the most plots?": of a quote counting per place ("four in Iran, one in Qatar"), the place
# with the largest count (the smallest for "fewest").
_SUPERLATIVE = re.compile(r"\b(?:the\s+)?(?:(most|largest number|highest number|greatest number)|"
                          r"(fewest|least|smallest number|lowest number))\b", re.I)


def _closest_places(quote: str, lead: str, names: DocumentNames, excluded: set[str], sharing: bool) -> list[str]:
    lead_terms = set(terms(lead))
    clauses = [(len(lead_terms & set(terms(clause))), _places(clause, names, excluded), clause)
               for clause in re.split(r"[,;:()—–“”\"]|\.\s", quote)]
    counted = [(max(values), found) for _, found, clause in clauses if found
               for values in [keyfacts.numbers(clause)] if len(values) == 1]
    superlative = _SUPERLATIVE.search(lead)
    if superlative and len(counted) >= 2:
        most = max if superlative.group(1) else min
        extreme = most(value for value, _ in counted)
        return list(dict.fromkeys(place for value, found in counted if value == extreme for place in found))
    naming = [(shared, found) for shared, found, _ in clauses if found]
    best = max((shared for shared, _ in naming), default=0)
    if not best:
        return [] if sharing else _places(quote, names, excluded)
    return list(dict.fromkeys(place for shared, found in naming if shared == best for place in found))


def _described(places: list[str], lead: str, names: DocumentNames, doc_text: Callable[[str], str] | None,
               single: bool) -> list[str]:
    """The places whose own documents say what the lead describes them by ("Gulf", "Central Asian"), for a single
    reference the one whose document says it most often; all of them when the lead describes none or no text can
    be read."""
    described = asked.place_descriptions(lead)
    if not described or doc_text is None:
        return places
    lines = {place: [line for doc_id in names.subjects(place) for line in doc_text(doc_id).splitlines()]
             for place in places}
    saying = {place: min(sum(keyfacts.mentions(d, line) for line in lines[place]) for d in described)
              for place in places}
    most = max(saying.values(), default=0)
    return [place for place in places if saying[place] and (saying[place] == most or not single)]


def _places(text: str, names: DocumentNames, excluded: set[str]) -> list[str]:
    """The names in text, in order, that name a document of their own other than the excluded ones."""
    found = []
    for name in sorted(keyfacts.names(text, first_word=True), key=text.find):
        place = " ".join(w for w in name.split() if names.named_in(w))  # "Algeria" of "Algeria’s Armed Group"
        docs = names.subjects(place) if place else set()  # a document about the place, not one naming it
        if docs and not docs & excluded and place not in found:
            found.append(place)
    return found
