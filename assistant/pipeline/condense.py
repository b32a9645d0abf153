"""Stage 2: a follow-up made standalone: by rule, else by an LLM backend, else with the previous question as context."""
from __future__ import annotations

import logging
import re
from collections.abc import Callable
from dataclasses import dataclass

from .. import acronyms, conversation, keyfacts
from ..asked import without_context
from ..backends import Backend, BackendError, StreamsChat
from ..focus import DocumentNames
from ..guard import for_prompt
from ..language import is_english
from ..prompts import render
from ..textutil import strip_markers, terms
from . import decompose

logger = logging.getLogger(__name__)


@dataclass
class Condensed:
    standalone: str
    method: str  # "none" (not a follow-up), "rule", "referent", "llm" or "context"; "translated" (+ one of those)


def run(question: str, history: list[conversation.Turn], backend: Backend, *, prompts_dir,
        history_turns: int, names: DocumentNames | None = None,
        doc_text: Callable[[str], str] | None = None,
        glossary: Callable[[], list[tuple[str, str]]] | None = None, by_llm: bool = True) -> Condensed:
    """names: the open index's document names, whose places a reference ("that country") may stand for; doc_text:
    a document's text by id, which says what a place is ("a Gulf state"). A question in another language is first
    put in English by an LLM backend: the index, the scorer and the checks read English (the answer is still
    written in the question's language); glossary: the corpus's acronyms and their words, which the translation
    writes the documents' way; by_llm: an LLM backend may rewrite a follow-up the rules leave as it is."""
    if isinstance(backend, StreamsChat) and not is_english(question):
        english = translated(question, backend, prompts_dir, glossary() if glossary else [])
        if english and is_english(english):
            inner = run(english, history, backend, prompts_dir=prompts_dir, history_turns=history_turns, names=names,
                        doc_text=doc_text, by_llm=by_llm)
            return Condensed(inner.standalone, "translated" if inner.method == "none" else f"translated+{inner.method}")
    elliptic = compared_elliptically(question, history[-1], names) if history else None
    if elliptic:
        return Condensed(elliptic, "rule")
    place = subject(history, names)
    carried = with_subject(question, place, names, doc_text) if place else None
    if not conversation.is_followup(question, history) and not carried:
        return Condensed(question, "none")
    previous = history[-1].standalone
    rewrite = conversation.substitute(question, previous) or conversation.swapped_attribute(question, previous)
    if rewrite:
        return Condensed(rewrite, "rule")
    compared = (compared_pair(question, history, names) or compared_answer_pair(question, history[-1], names)
                or compared_with_another(question, history[-1], names))
    if compared:
        return Condensed(compared, "rule")
    if names is not None and refers_to_own_place(question, names):
        return Condensed(question, "none")  # "Back to Uzbekistan: where do most of its people live?"
    city = answered_city(question, history[-1], names) or capital_talked_about(question, history, names)
    if city:
        return Condensed(city, "referent")
    named = named_thing(question, history[-1]) or named_group(question, history[-1]) or \
        ordinal_item(question, history) or \
        named_document(question, history[-1], names)
    if named:
        return Condensed(named, "referent")
    referent = resolved(question, history[-1], names, doc_text)
    if referent:
        if _OF_THE_ANSWER.search(question):  # what "that" implies is about the previous answer's subject too
            referent = conversation.with_context(referent, previous)
        return Condensed(referent, "referent")
    if carried:
        return Condensed(in_same_state(carried, history[-1]) or carried, "subject")
    if isinstance(backend, StreamsChat) and by_llm:
        turns = "\n".join(f"User: {t.standalone}\nAssistant: {t.answer[:300]}" for t in history[-history_turns:])
        messages = [
            {"role": "system", "content": render(prompts_dir, "condense_system")},
            {"role": "user", "content": render(prompts_dir, "condense_user", history=for_prompt(turns),
                                               question=question)},
        ]
        try:
            rewrite = conversation.clean_llm_rewrite("".join(backend.stream(messages, 80)), question)
            if rewrite:
                return Condensed(rewrite, "llm")
        except BackendError as exc:
            logger.warning("condense failed: %s", exc)
    context = conversation.with_context(question, _other_places_left_out(question, previous, names))
    return Condensed(in_same_state(context, history[-1]) or context, "context")


# "What does that imply for ...?", "Why does this matter?": the previous answer is what is asked about.
_OF_THE_ANSWER = re.compile(r"\b(?:does|do|did|would|might)\s+(?:that|this)\s+(?:imply|implies|mean|means|suggest|"
                            r"indicate|say|tell|matter|show)\b|\b(?:follows?|conclude)\s+from\s+(?:that|this)\b", re.I)


def _other_places_left_out(question: str, previous: str, names: DocumentNames | None) -> str:
    """The previous question without the name of a place the follow-up replaces with its own ("And in Uzbekistan?"
    after a question about Pakistan's list): the words of documents the previous question is about and the
    follow-up is not, when the follow-up is about a document of its own."""
    asked = names.subjects(question) if names else set()
    if not asked or names is None:
        return previous
    for doc_id in names.subjects(previous) - asked:
        for word in names.names[doc_id]:
            previous = re.sub(rf"\b{re.escape(word)}[\w’']*", "", previous, flags=re.I)
    return previous


def translation_rules(prompts_dir, glossary: list[tuple[str, str]]) -> str:
    """The translator's system prompt: the rules, and the documents' short names with their words."""
    rules = render(prompts_dir, "translate_system")
    if not glossary:
        return rules
    names = "; ".join(f"{short} ({words})" for short, words in glossary)
    return f"{rules}\n{render(prompts_dir, 'translate_names', names=names)}"


def translated(question: str, llm: StreamsChat, prompts_dir, glossary: list[tuple[str, str]]) -> str | None:
    """The question in English, by the LLM; None when it fails or replies with nothing usable."""
    messages = [{"role": "system", "content": translation_rules(prompts_dir, glossary)},
                {"role": "user", "content": render(prompts_dir, "translate_user", question=for_prompt(question))}]
    try:
        english = conversation.clean_llm_rewrite("".join(llm.stream(messages, 80)), question)
    except BackendError as exc:
        logger.warning("translating the question failed: %s", exc)
        return None
    return shortened(english, glossary) if english else english


def shortened(question: str, glossary: list[tuple[str, str]]) -> str:
    """The question with each name of the glossary written as the documents shorten it ("the Islamic State's
    Khorasan Province" -> "the ISKP"): the sentences that answer use the short name."""
    for short, words in glossary:
        spelt = r"\s+".join("['’]".join(map(re.escape, re.split("['’]", word))) for word in words.split())
        question = re.sub(rf"(?<![\w-]){spelt}(?![\w-])", short, question, flags=re.I)
    return question


def resolved(question: str, previous: conversation.Turn, names: DocumentNames | None,
             doc_text: Callable[[str], str] | None = None) -> str | None:
    """"When did that country become independent?" after an answer naming one place (Algeria) that has a document
    of its own: the question asked of that place; None when the reference is not one place's."""
    plan = decompose.bridge(f"{previous.standalone.rstrip('?.! ')}. {question}")
    if plan is None or names is None:
        return None
    asked = decompose.bridged(plan, [(previous.answer, "")], names, previous.standalone, doc_text)
    start, end = plan.reference
    counted = _COUNTED_REFERENCE.match(plan.follow[start:end])
    places = [place for about, _ in asked for place in about.split(" and ")]  # "between" asks of them together
    if counted:  # "how the two countries should be looked at": one question of that many places together
        if _COUNT_WORDS[counted.group(1).lower()] != len(places):
            return None
        return asked[0][1] if len(asked) == 1 else plan.follow[:start] + " and ".join(places) + plan.follow[end:]
    return asked[0][1] if len(asked) == 1 else named_referent(question, previous)


_COUNT_WORDS = {"two": 2, "three": 3}
_COUNTED_REFERENCE = re.compile(r"(?:the|those|these)\s+(two|three)\s+(?:countries|nations|states|places)$", re.I)


# "What is the capital of Turkmenistan?": a question whose answer is a city; "it" and "there" next are that city.
_ASKS_CITY = re.compile(r"\b(?:what|which)(?:['’]s|\s+(?:is|was))?\s+(?:the\s+)?(?:capital|largest city|biggest city|"
                        r"seat of government)\b|\bwhich\s+city\b", re.I)
_IT_OR_THERE = re.compile(r"\b(?:it|there)\b", re.I)


def answered_city(question: str, previous: conversation.Turn, names: DocumentNames | None) -> str | None:
    """"And how many inhabitants does it have?" after "What is the capital of Turkmenistan?" answered "Ashgabat":
    the question asked of that city ("... does Ashgabat have?"); None unless the previous question asked for a city,
    its answer names one new name first, and this question names no place and says "it" or "there"."""
    reference = _IT_OR_THERE.search(question)
    if not reference or not _ASKS_CITY.search(previous.standalone) or decompose.EXISTENTIAL_THERE.search(question) \
            or names is not None and decompose.places_in(question, names):
        return None
    answer = strip_markers(previous.answer).replace("“", " ").replace("”", " ")
    asked = previous.standalone
    new = sorted((name for name in keyfacts.names(answer, first_word=True)
                  if not keyfacts.mentions(name, asked) and not name.lower().startswith(("the ", "capital"))),
                 key=answer.find)
    if not new or names is not None and names.subjects(new[0]):
        return None
    city = new[0].title() if new[0].isupper() else new[0]
    return question[:reference.start()] + ("in " + city if reference.group(0).lower() == "there" else city) + \
        question[reference.end():]


_CITY_REFERENCE = re.compile(r"\bthere\b|\b(?:that|this|the)\s+city\b", re.I)


def capital_talked_about(question: str, history: list[conversation.Turn], names: DocumentNames | None) -> str | None:
    """"What is the headcount there?" after "What does the name of Tajikistan's capital mean?" (its answer naming no
    city): the question asked of "the capital of Tajikistan"; None unless the latest question naming a place (of the
    last two) asks about its capital and this one names no place."""
    reference = _CITY_REFERENCE.search(question)
    if names is None or not reference or decompose.EXISTENTIAL_THERE.search(question) \
            or decompose.places_in(question, names):
        return None
    latest = _latest_naming_places(history, names)
    if latest is None or len(latest[1]) != 1:
        return None
    asked, (place,) = latest
    if not re.search(rf"\bcapital\s+of\s+(?:the\s+)?{re.escape(place)}|{re.escape(place)}['’]s\s+capital\b", asked,
                     re.I):
        return None
    return decompose.asked_of_capital(question, reference, place)


_THAT_THING = re.compile(r"\b(?:that|this|the same)\s+([a-z]{4,})\b", re.I)


def named_thing(question: str, previous: conversation.Turn) -> str | None:
    """"How many people live on that island?" after an answer naming one "Villingi Island": the question asked of it;
    None unless the previous answer names exactly one such thing."""
    that = _THAT_THING.search(question)
    if not that or that.group(1).lower() in ("country", "nation", "state", "place", "group", "year", "time"):
        return None
    kind = that.group(1).lower()
    found = set(re.findall(rf"\b((?:[A-Z][\w’'-]*\s+){{1,3}}{kind.capitalize()})\b", strip_markers(previous.answer)))
    found = {name for name in found if name.split()[0] not in ("The", "This", "That")}
    if len(found) != 1:
        return None
    return question[:that.start()] + found.pop() + question[that.end():]


_ORDINAL_ONE = re.compile(r"\b(first|earliest|second|third|fourth|fifth|last|final|latest|current|present)\s+one\b",
                          re.I)
_NTH = {"two": "second", "three": "third", "four": "fourth", "five": "fifth", "six": "sixth", "seven": "seventh"}
_COUNTED_PLURAL = re.compile(r"\b(?:two|three|four|five|six|seven|\d+|how\s+many)\s+(?:(?!does\b)([a-z]{3,}s)\b|"
                             r"[a-z-]+\s+(?!does\b)([a-z]{3,}s)\b)", re.I)


def ordinal_item(question: str, history: list[conversation.Turn]) -> str | None:
    """"What did the second one focus on?" after "What are the three phases of ...?": "the second phase", with that
    question's other words as context; None unless one of the last three questions counts the things it asks about."""
    ordinal = _ORDINAL_ONE.search(question)
    asked = [without_context(turn.standalone) for turn in reversed(history[-3:])]
    counting = next((text for text in asked if _COUNTED_PLURAL.search(text)), None) if ordinal else None
    counted = _COUNTED_PLURAL.search(counting) if counting else None
    if not ordinal or not counting or not counted:
        return None
    plural = counted.group(1) or counted.group(2)
    singular = plural[:-3] + "y" if plural.endswith("ies") else plural[:-1]
    which = ordinal.group(1)
    if which.lower() in ("last", "final", "latest"):  # of "three phases", the third
        which = _NTH.get(counted.group(0).split()[0].lower(), which)
    elif which.lower() in ("earliest", "present"):
        which = "first" if which.lower() == "earliest" else "current"
    of_what = counting[:counted.start()] + counting[counted.end():]  # "(ISKP's media operations)", not "three phases"
    return conversation.with_context(f"{question[:ordinal.start(1)]}{which} {singular}{question[ordinal.end():]}",
                                     of_what)


_IT = re.compile(r"\bit\b", re.I)
_IT_SAYS = re.compile(r"\bit\s+(?:say|says|said|mention|mentions|discuss|discusses|cover|covers|note|notes|describe|"
                      r"describes|claim|claims|argue|argues)\b", re.I)


def named_document(question: str, previous: conversation.Turn, names: DocumentNames | None) -> str | None:
    """"When was it published?" after "Who wrote the report?": "it" is the document the previous question named by
    its kind, when that question names no place and this one names none or asks what "it" says of one."""
    if names is None:
        return None
    it = _IT.search(question)
    kinds = {names.kind_names[doc_id] for doc_id in names.named_as_source(previous.standalone)} if it else set()
    if it is None or len(kinds) != 1 or decompose.places_in(previous.standalone, names) \
            or names.named_as_source(question) \
            or decompose.places_in(question, names) and not _IT_SAYS.search(question):
        return None  # "When was it founded?" may ask of a place; "What does it say about Qatar?" asks the report
    return f"{question[:it.start()]}the {kinds.pop()}{question[it.end():]}"


def _latest_naming_places(history: list[conversation.Turn], names: DocumentNames) -> tuple[str, list[str]] | None:
    """The latest of the last two questions that names places, with the places it names; None when neither does."""
    for turn in reversed(history[-2:]):
        found = decompose.places_in(turn.standalone, names)
        if found:
            return turn.standalone, found
    return None


def subject(history: list[conversation.Turn], names: DocumentNames | None) -> str | None:
    """The place the conversation is about: the one place the latest of the last two turns naming places names
    (None when it names several), else the one place whose document the last answer cites."""
    if names is None:
        return None
    latest = _latest_naming_places(history, names)
    if latest is not None:
        return latest[1][0] if len(latest[1]) == 1 else None
    cited = {names.place_of(doc_id) for doc_id in history[-1].sources} if history else set()
    return cited.pop() if len(cited) == 1 and None not in cited else None  # the one place its answer cites


# A reference to the place talked about: "its", "there", "that country", "the country's", "the federation".
_PLACE_REFERENCE = re.compile(r"\b(?:(?:that|this|the)\s+(?:country|nation|federation|republic|kingdom|emirate)"
                              r"(?:['’]s)?|its|there)\b", re.I)
_DEFINITE = re.compile(r"\bthe\s+([a-z]{4,})\b")


_SAME_STATE = re.compile(r"\b(?:the\s+same|a\s+similar|such\s+a)\s+(?:situation|position|condition|state|predicament|"
                         r"boat)\b|\b(?:in|into)\s+(?:that|this)\s+(?:situation|position|predicament)\b", re.I)
STATE_WORDS = 6


def in_same_state(question: str, previous: conversation.Turn) -> str | None:
    """"Which other country is in the same situation?" after "Coastline: 0 km (doubly landlocked)": the question with
    what the previous answer's first quote states (its value, after a field's label) as context; None otherwise."""
    if not _SAME_STATE.search(question):
        return None
    quote = re.search(r"“([^”]+)”", previous.answer)
    stated = (quote.group(1) if quote else strip_markers(previous.answer)).split(": ", 1)[-1]
    asked = set(terms(previous.standalone)) | set(terms(question))
    found = [w for w in re.findall(r"[\w’'-]+", stated) if terms(w) and not set(terms(w)) & asked]
    found = list(dict.fromkeys(found))[:STATE_WORDS]
    if not found:
        return None
    question = question.rstrip()
    return f"{question[:-1]} {' '.join(found)})" if question.endswith(")") else f"{question} ({' '.join(found)})"


def with_subject(question: str, place: str, names: DocumentNames | None,
                 doc_text: Callable[[str], str] | None) -> str | None:
    """A question naming no place, asked of the conversation's place: its reference to a place replaced by it ("Who's
    in charge there?": "... in Turkmenistan?"), or the place added as context when the question is put as of a
    place ("Where does the capital's name come from?" after Algeria: its document says "capital"); else None."""
    if names is None or decompose.places_in(question, names) or _names_a_document(question, names):
        return None
    reference = _PLACE_REFERENCE.search(question)
    if reference and not (reference.group(0).lower() == "there" and decompose.EXISTENTIAL_THERE.search(question)):
        said = reference.group(0).lower()
        swapped = (f"in {place}" if said == "there" else
                   decompose.possessive(place) if said == "its" or said.endswith(("'s", "’s")) else place)
        return question[:reference.start()] + swapped + question[reference.end():]
    if doc_text is not None and _of_place(question, place, names, doc_text):
        return f"{question.rstrip()} ({place})"
    return None


def _names_a_document(question: str, names: DocumentNames) -> bool:
    """The question names a document: a place's by its whole name ("how many states" does not name the United
    States), any other by a word of its title ("the report")."""
    whole = names.subjects(question)
    return any(doc_id in whole or names.place_of(doc_id) is None for doc_id in names.named_in(question))


def _of_place(question: str, place: str, names: DocumentNames, doc_text: Callable[[str], str]) -> bool:
    """The question names a thing of a place ("the capital", "the federation") that the place's document names."""
    nouns = {match.group(1) for match in _DEFINITE.finditer(question)}
    if not nouns:
        return False
    text = " ".join(doc_text(doc_id) for doc_id in names.subjects(place)).lower()
    return any(re.search(rf"\b{re.escape(noun)}", text) for noun in nouns)


def refers_to_own_place(question: str, names: DocumentNames) -> bool:
    """The question names one place and then refers to it ("Back to Uzbekistan: where do most of its people live?")."""
    places = decompose.places_in(question, names)
    reference = _PLACE_REFERENCE.search(question)
    return len(places) == 1 and reference is not None and 0 <= question.find(places[0]) < reference.start()


# "Which of the two is higher?", "And which one is larger?": the comparative is the last word.
_WHICH_OF_TWO = re.compile(r"^\s*(?:and\s+)?(?:which|where|who)\b(?:[^?]*\b(?:of\s+(?:the|these|those)\s+two|of\s+"
                           r"them|of\s+both)\b|\s+one\b)[^?]*?\b([a-z]+)\b\s*\??\s*$", re.I)
# "So which population is older, and by how much?" after one question asked of two places.
_WHICH_IS = re.compile(r"^\s*(?:and\s+|so\s+)?which\s+(?:[a-z]+\s+)?(?:is|are|was|has|have)\s+(?:the\s+)?([a-z]+)\b",
                       re.I)


_ONES = re.compile(r"(?<=[a-z] )ones\b")  # "more natural ones": of what the questions asked about
_OF_THE_TWO = re.compile(r"\s*\b(?:of\s+(?:the|these|those)\s+two|of\s+them|of\s+both)\b|(?<=\bwhich)\s+one\b", re.I)


def compared_answer_pair(question: str, previous: conversation.Turn, names: DocumentNames | None) -> str | None:
    """"Which of the two has more people?" after an answer naming two places the question did not ("Tajikistan and
    Uzbekistan"): the question asked of them ("Which has more people, Tajikistan or Uzbekistan?"); else None."""
    if names is None or not _OF_THE_TWO.search(question) or not re.match(r"\s*(?:and\s+|so\s+)?which\b", question,
                                                                           re.I):
        return None
    asked = set(decompose.places_in(previous.standalone, names))
    places = [p for p in decompose.places_in(strip_markers(previous.answer), names) if p not in asked]
    if len(places) != 2:
        return None
    return f"{_OF_THE_TWO.sub('', question.strip()).rstrip('?.! ')}, {places[0]} or {places[1]}?"


def compared_pair(question: str, history: list[conversation.Turn], names: DocumentNames | None) -> str | None:
    """"Which of the two is higher?" after the same question asked of two places ("What is the highest point in
    Pakistan?", "... in India?"): that question as a comparison of the two ("Which has the higher highest point,
    Pakistan or India?"); None otherwise."""
    match = _WHICH_OF_TWO.match(question) or _WHICH_IS.match(question)
    if not match or not history or names is None:
        return None
    compared = decompose.comparison(history[-1].standalone)
    pair = decompose.places_in(history[-1].standalone, names) if compared else []
    if len(pair) == 2 and match.group(1).lower() not in decompose.COMPARATIVES:
        first = second = history[-1].standalone  # "Which has more natural gas ..., Qatar or Iran?" asked the two
        one, other = pair
    else:
        if len(history) < 2:
            return None
        first, second = history[-2].standalone, history[-1].standalone
        places = [decompose.places_in(text, names) for text in (first, second)]
        if any(len(found) != 1 for found in places) or places[0] == places[1]:
            return None
        (one,), (other,) = places
    if match.group(1).lower() not in decompose.COMPARATIVES:
        # "Which of the two has a larger population?": it says what it compares; the two places are the last two
        # questions' ("How many plots were foiled in Turkey?", "And in India?")
        if len(decompose.comparatives_in(question)) != 1 or not _OF_THE_TWO.search(question):
            return None
        asked = _ONES.sub(lambda _: decompose.asked_of(first.replace(one, " ")) or "ones", question.strip())
        return f"{_OF_THE_TWO.sub('', asked).rstrip('?.! ')}, {one} or {other}?"
    if first.replace(one, other) != second:
        return None  # not the same question of each
    asked = decompose.asked_of(first.replace(one, " "))
    return f"Which has the {match.group(1).lower()} {asked}, {one} or {other}?" if asked else None


# "Is that bigger than the Maldives?", "Is it older than Turkey's?": the place talked about compared with another.
_IS_IT_THAN = re.compile(r"^\s*(?:and\s+|so\s+)?(?P<verb>is|was|are|were|does|did|has)\s+(?P<ref>that|it|this|its)\b"
                         r"(?P<rest>[^?]*?\bthan\b[^?]*)\??\s*$", re.I)


def compared_with_another(question: str, previous: conversation.Turn, names: DocumentNames | None) -> str | None:
    """"Is that bigger than the Maldives?" after a question about one place ("What is Qatar's area?"): that place
    compared with the other ("Is Qatar bigger than the Maldives?"); None unless the previous question names one
    place and the question another."""
    match = _IS_IT_THAN.match(question)
    if not match or names is None:
        return None
    before, now = decompose.places_in(previous.standalone, names), decompose.places_in(question, names)
    if len(before) != 1 or len(now) != 1 or before == now or re.search(rf"{re.escape(now[0])}['’]s?(?!\w)", question):
        return None  # "Is that more than Turkey's?": "that" is what was asked of the place, not the place
    if len(decompose.comparatives_in(question)) != 1:
        return None
    place = decompose.possessive(before[0]) if match.group("ref").lower() == "its" else before[0]
    return f"{match.group('verb').capitalize()} {place}{match.group('rest').rstrip()}?"


# "Does Iran have more or less?", "And is Iran's bigger?": a place and a comparative, and nothing of what is compared.
_ELLIPTIC_COMPARISON = re.compile(r"^\s*(?i:and\s+|so\s+|but\s+)?(?i:does|do|did|has|have|is|are|was|were)\s+"
                                  r"(?:the\s+)?[A-Z][\w’'-]*(?:\s+[A-Z][\w’'-]*)*(?:['’]s?)?\s+(?:have\s+|one\s+)?"
                                  r"(?P<comparative>[a-z]+)(?:\s+or\s+[a-z]+)?(?:\s+than\s+(?:that|this))?\s*\??\s*$")


def compared_elliptically(question: str, previous: conversation.Turn, names: DocumentNames | None) -> str | None:
    """"Does Iran have more or less?" after a question about one place ("How much natural gas does Qatar have in
    proven reserves?"): that question as a comparison of the two places ("Which has more natural gas proven reserves,
    Qatar or Iran?"); None unless the previous question names one place and this one another."""
    match = _ELLIPTIC_COMPARISON.match(question)
    if not match or names is None or match.group("comparative").lower() not in decompose.COMPARATIVES:
        return None
    before, now = decompose.places_in(previous.standalone, names), decompose.places_in(question, names)
    if len(before) != 1 or len(now) != 1 or before == now:
        return None
    asked = decompose.asked_of(re.sub(rf"\b{re.escape(before[0])}(?:['’]s?)?(?!\w)", " ", previous.standalone))
    if not asked:
        return None
    comparative = match.group("comparative").lower()
    the = "" if comparative in ("more", "less", "fewer") else "the "
    return f"Which has {the}{comparative} {asked}, {before[0]} or {now[0]}?"


# A question whose answer is a named agent: "Who ...?", "Which group ...?".
_ASKS_WHICH = re.compile(r"^\s*(?:who\b|(?:which|what)\s+(?:\w+\s+)?(?:group|organi[sz]ation|movement|party|faction|"
                         r"country|state|nation|person|leader|official|government|militia|network)s?\b)", re.I)
_PRONOUN = re.compile(r"\b(its|their|it|they|them)\b", re.I)


_THAT_GROUP = re.compile(r"\b(?:that|this|the same)\s+(?:group|organi[sz]ation|movement|faction|network|militia)\b",
                         re.I)


def named_group(question: str, previous: conversation.Turn) -> str | None:
    """"Could that group and ISKP work together?" after an answer naming one group the questions did not (the
    umbrella group TTP): the question asked of it; None when the answer names no new name or several."""
    that = _THAT_GROUP.search(question)
    if not that:
        return None
    answer = strip_markers(previous.answer).replace("“", " ").replace("”", " ")
    said = keyfacts.names(previous.standalone) | keyfacts.names(question)
    new = [name for name in keyfacts.names(answer)
           if not any(keyfacts.mentions(name, s) or keyfacts.mentions(s, name) for s in said)]
    spelt = acronyms.definitions(answer)  # "TTP" is the short form of "Tehrik-e-Taliban Pakistan", one group
    new = [name for name in new
           if not (name in spelt and any(other != name and keyfacts.mentions(spelt[name], other) for other in new))]
    if len(new) != 1:
        return None
    return question[:that.start()] + new[0] + question[that.end():]


def named_referent(question: str, previous: conversation.Turn) -> str | None:
    """"Could some of its fighters join ISKP?" after "Which group has ISKP criticised?" answered by a quote naming
    one name the question did not (TTP): the pronoun replaced by that name; None when the answer names no new
    name or several."""
    pronoun = _PRONOUN.search(question)
    if not pronoun or not _ASKS_WHICH.match(previous.standalone):
        return None
    asked = keyfacts.names(previous.standalone)
    new = [name for name in keyfacts.names(strip_markers(previous.answer).replace("“", " ").replace("”", " "))
           if not any(keyfacts.mentions(name, said) or keyfacts.mentions(said, name) for said in asked)]
    if len(new) != 1:
        return None
    name = new[0] + ("’s" if pronoun.group(1).lower() in ("its", "their") else "")
    return question[:pronoun.start()] + name + question[pronoun.end():]
