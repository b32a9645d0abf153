"""Follow-up condensing: "And in Iran?" + history -> a standalone question, with or without an LLM."""
from __future__ import annotations

import re
from dataclasses import dataclass

from . import keyfacts
from .prompts import NOT_IN_SOURCES
from .textutil import terms, without_quotes

_LEAD = re.compile(r"^(?:(?:and|but|also|so|then|ok|okay|now)\s*,?\s+)*(?:what|how)\s+about\s+|"
                   r"^(?:(?:and|but|also|so|then|ok|okay|now)\s*,?\s+)+|^what\s+of\s+|"
                   r"^(?:the\s+)?same\s+(?:question\s+|thing\s+)?(?:for|about|with)\s+", re.I)
_PREPOSITIONS = "in|for|during|at|from|by|on|with|against|to|since|after|before|under|into|within|of"
_PRONOUNS = re.compile(r"\b(?:it|its|it's|they|them|their|theirs|this|these|those|he|she|his|her|him)\b|"
                       r"\b(?:the|that|this|which|other|\w+est|first|second|third|last|latter|former|present|current)"
                       r"\s+(?:one|ones)\b", re.I)  # "the earliest one"
# "Which of the two is higher?", "Do both border China?": what the earlier turns named
_EARLIER = re.compile(r"\b(?:the\s+(?:two|three|former|latter|other\s+one|same\s+one|country|nation)|both|either|"
                      r"neither)\b", re.I)
_COMPARE = re.compile(r"^how\s+(?:does|do|did|would|about)\s+(.+?)\s+compare\b.*$", re.I)
_COMPARE_WITH = re.compile(r"^how\s+(?:does|do|did|would)\s+(?:that|this|it|those|these|they)\s+compare\s+"
                           r"(?:with|to|against)\s+(?:that\s+of\s+)?(.+?)$", re.I)
_NAME_WORD = r"[A-Z][\w-]*(?:['’](?!s\b)[\w-]+)*"  # "Qa'ida", not "Pakistan's"
_ENTITY = re.compile(rf"\b(?:{_NAME_WORD}(?:\s+{_NAME_WORD})*(?:['’]s)?|\d{{4}})(?!\w)")


@dataclass
class Turn:
    question: str
    standalone: str
    answer: str
    sources: tuple[str, ...] = ()  # the documents its answer cites
    quotes: tuple[str, ...] = ()  # the quotes its answer cites


def repeats(answer: str, quotes: list[str], question: str, previous: Turn, docs: list[str] | None = None) -> bool:
    """An answer to a question asking something new that says nothing the previous turn did not: it cites only
    quotes the previous answer cited (from its documents, when docs gives the quotes' own: Iran's "National
    symbol(s): lion." is not Afghanistan's), and its own words (the quotes shown aside) state no number, date or name
    that the previous answer's own words or question did not ("Germany's biggest export customers are ..." again,
    for "And what do they mostly buy from it?"). It does not answer the new question."""
    if not quotes or not previous.quotes or not set(quotes) <= set(previous.quotes):
        return False
    if docs is not None and previous.sources and not set(docs) <= set(previous.sources):
        return False
    if not set(terms(question)) - set(terms(previous.question)) - set(terms(previous.standalone)):
        return False  # asked again
    said = _facts(without_quotes(previous.answer)) | _facts(previous.question) | _facts(previous.standalone)
    return _facts(without_quotes(answer)) <= said


def _facts(text: str) -> set[str]:
    return ({f"{n:g}" for n in keyfacts.numbers(text)} | {str(y) for y in keyfacts.years(text)}
            | {name.lower() for name in keyfacts.names(text)})


def is_followup(question: str, history: list[Turn]) -> bool:
    if not history:
        return False
    short = len(question.split())
    elliptical = short <= 5 and bool(re.match(rf"^(?:{_PREPOSITIONS})\s+(?:what|which|how|whom|when|where)\b",
                                              question.strip(), re.I))  # "In how many languages?"
    return (bool(_LEAD.match(question)) or short <= 3 or elliptical or bool(_COMPARE.match(question.strip()))
            or bool(_PRONOUNS.search(question)) or bool(_EARLIER.search(question))
            or (short <= 10 and bool(re.search(r"\bthat\b(?!\s+(?:the|a|an|is|are|was|were)\b)", question, re.I))))


def substitute(question: str, previous: str) -> str | None:
    """Confident rewrites only: a new place/time/name swapped into the previous question."""
    fragment = _LEAD.sub("", question.strip()).strip().rstrip("?.! ").strip()
    compared = _COMPARE_WITH.match(fragment) or _COMPARE.match(fragment)
    if compared:  # "How does Iran compare?", "How does that compare with China's?": the previous question of it
        fragment = re.sub(r"['’]s$", "", compared.group(1))
    if not fragment or len(fragment.split()) > 6:
        return None
    prev = previous.strip().rstrip("?.! ")
    prep = re.match(rf"^({_PREPOSITIONS})\s+(.+)$", fragment, re.I)
    if prep:
        phrases = list(re.finditer(rf"\b{prep.group(1)}\s+(?:the\s+)?{_ENTITY.pattern}", prev, re.I))
        phrases = [m for m in phrases if _ENTITY.search(m.group(0)[len(prep.group(1)):])]
        if phrases:
            last = phrases[-1]
            return f"{prev[:last.start()]}{fragment}{prev[last.end():]}?"
        return None
    if _ENTITY.fullmatch(fragment) or re.fullmatch(r"(?i:the)\s+" + _ENTITY.pattern, fragment):
        first_word = re.match(r"\S+\s*", prev)
        entities = list(_ENTITY.finditer(prev, first_word.end() if first_word else 0))  # not "What's"
        if entities:
            # the place, not an acronym of what is asked of it ("Pakistan's GDP"), unless only acronyms are named
            last = next((e for e in reversed(entities) if not re.sub(r"['’]s$", "", e.group(0)).isupper()),
                        entities[-1])
            owner = re.search(r"['’]s$", last.group(0))  # "Afghanistan's" becomes "Iran's" ("What about Iran's?")
            place = re.sub(r"['’]s$", "", fragment) if owner else fragment
            return f"{prev[:last.start()]}{place}{owner.group(0) if owner else ''}{prev[last.end():]}?"
    return None


# "Who is India's prime minister?", "What is the capital of Qatar?": a place and what is asked of it.
_OWNED_ATTRIBUTE = re.compile(r"^(?P<head>.*?\b(?:[A-Z][\w-]*(?:\s+[A-Z][\w-]*)*)['’]s\s+)(?P<attr>[a-z][\w\s-]*?)"
                              r"(?P<tail>\s*[?.!]?\s*)$")
_ATTRIBUTE_OF = re.compile(r"^(?P<head>.*?\b(?:the|The)\s+)(?P<attr>[a-z][\w\s-]*?)(?P<tail>\s+(?:of|in)\s+"
                           r"[A-Z][\w’'-]*(?:\s+[A-Z][\w’'-]*)*\s*[?.!]?\s*)$")


def swapped_attribute(question: str, previous: str) -> str | None:
    """"And the head of state?" after "Who is India's prime minister?": the previous question asking for that
    instead ("Who is India's head of state?"); None unless the follow-up is only "(and) the <something>"."""
    fragment = _LEAD.sub("", question.strip()).strip().rstrip("?.! ").strip()
    asked = re.fullmatch(r"(?i:the)\s+([a-z][\w\s-]*)", fragment)
    if not asked or len(asked.group(1).split()) > 4:
        return None
    match = _OWNED_ATTRIBUTE.match(previous.strip()) or _ATTRIBUTE_OF.match(previous.strip())
    if not match or len(match.group("attr").split()) > 4:
        return None
    return f"{match.group('head')}{asked.group(1)}{match.group('tail')}"


def with_context(question: str, previous: str) -> str:
    """Fallback without an LLM: keep the follow-up and add the earlier question's missing terms."""
    missing = [w for w in re.findall(r"[\w’'-]+", previous) if w.lower() not in question.lower()
               and terms(w)]
    return f"{question.strip()} ({' '.join(dict.fromkeys(missing))})" if missing else question.strip()


def clean_llm_rewrite(text: str, original: str) -> str | None:
    line = next((row.strip() for row in text.strip().splitlines() if row.strip()), "")
    line = re.sub(r"^(?:standalone question|question|rewritten question)\s*:\s*", "", line, flags=re.I)
    line = line.strip().strip("\"'“”")
    if not (3 <= len(line) <= 400) or NOT_IN_SOURCES in line:
        return None
    return line
