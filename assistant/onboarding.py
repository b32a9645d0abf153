"""Onboarding for new staff: what the collection covers (per document its main sections and a few key facts, each a
verified quote) and quiz questions drawn from the documents, with free-text answers scored by their key facts.

Everything here is read from the opened index, so it follows the corpus: no question is written by hand."""
from __future__ import annotations

import random
import re
from dataclasses import asdict, dataclass, field

from . import keyfacts
from .keyfacts import fold
from .textutil import lower_case_words, sentence_spans, words

FACT_CHARS = (40, 280)  # a key fact is one sentence of this many characters
_LABELLED = re.compile(r"^(?P<label>[A-Z][^:\n]{2,70}):\s+(?P<value>[^\n]{1,90}?)\.?$")
_BLANK = "_____"


@dataclass
class Fact:
    doc_id: str
    title: str
    section: str
    page: int | None
    start: int
    end: int
    quote: str  # == the document's text[start:end]
    own_line: bool = False  # the sentence is a whole line of the document (a field, not prose)


@dataclass
class DocOverview:
    doc_id: str
    title: str
    date: str
    authors: list[str]
    kind: str
    chunks: int
    sections: list[str]
    facts: list[Fact] = field(default_factory=list)

    def to_json(self) -> dict:
        return asdict(self)


@dataclass
class QuizItem:
    id: str
    question: str
    answer: str  # the expected key fact
    fact: Fact

    def to_json(self) -> dict:
        return asdict(self)


@dataclass
class QuizResult:
    correct: bool
    expected: str
    found: list[str]
    missing: list[str]


def overview(index, facts_per_doc: int = 3, max_sections: int = 8) -> list[DocOverview]:
    """Each document of the index, reports first, with its main sections and its first key facts (one a section)."""
    out = []
    for doc_id, (meta, _text) in sorted(index.docs.items(), key=lambda item: item[1][0].kind != "report"):
        rows = [index.chunks[i] for i in index.by_doc.get(doc_id, [])]
        sections = list(dict.fromkeys(c.section for c in rows if c.section and c.section != meta.title))
        facts = spread(candidate_facts(index, doc_id), facts_per_doc)
        out.append(DocOverview(doc_id, meta.title, meta.date, list(meta.authors), meta.kind, len(rows),
                               sections[:max_sections], facts))
    return out


def candidate_facts(index, doc_id: str) -> list[Fact]:
    """Sentences of the document that state a fact: a number, a date or a name, in a sentence of readable length."""
    meta, text = index.docs[doc_id]
    found, seen = [], set()
    for i in index.by_doc.get(doc_id, []):
        chunk = index.chunks[i]
        for start, end in sentence_spans(text, chunk.start, chunk.end):
            sentence = text[start:end]
            if (start, end) in seen or not FACT_CHARS[0] <= len(sentence) <= FACT_CHARS[1]:
                continue
            seen.add((start, end))
            if sentence.startswith(("#", "Source:")) or not _reads_as_a_sentence(sentence) \
                    or not _states_a_fact(sentence):
                continue
            found.append(Fact(doc_id, meta.title, chunk.section, chunk.page, start, end, sentence,
                              _is_whole_line(text, start, end)))
    return found


def _is_whole_line(text: str, start: int, end: int) -> bool:
    return text[start - 1:start] in ("", "\n") and text[end:end + 1] in ("", "\n")


def spread(facts: list[Fact], n: int) -> list[Fact]:
    """Up to n facts, from as many sections as possible, in document order."""
    chosen, sections = [], set()
    for fact in facts:
        if fact.section not in sections:
            chosen.append(fact)
            sections.add(fact.section)
    chosen = chosen[:n]
    if len(chosen) < n:
        chosen += [f for f in facts if f not in chosen][:n - len(chosen)]
    return sorted(chosen, key=lambda f: f.start)


def _reads_as_a_sentence(sentence: str) -> bool:
    """Words beyond a list of names (a byline is not a fact): at least three lower-case words."""
    return lower_case_words(sentence) >= 3


def _states_a_fact(sentence: str) -> bool:
    return bool(keyfacts.numbers(sentence) or keyfacts.months(sentence) or keyfacts.names(sentence))


def quiz_item(fact: Fact) -> QuizItem | None:
    """A question whose answer is the fact's key element: a "Label: value." line asks for the label; other sentences
    (a colon inside a paragraph is no label) become fill-in-the-blank with a number, a date or a name blanked."""
    labelled = _LABELLED.match(fact.quote) if fact.own_line else None
    item_id = f"{fact.doc_id}:{fact.start}"
    if labelled and keyfacts.numbers(labelled["value"]) | keyfacts.names(labelled["value"]):
        return QuizItem(item_id, f"{fact.title}: what is the \"{labelled['label'].strip()}\"?",
                        _principal(labelled["value"]), fact)
    blank = _blank_of(fact.quote)
    if blank is None:
        return None
    start, end = blank
    clue = fact.quote[:start] + _BLANK + fact.quote[end:]
    where = f"{fact.title}, {fact.section}" if fact.section and fact.section != fact.title else fact.title
    return QuizItem(item_id, f"Fill in the blank ({where}): \"{clue}\"", fact.quote[start:end], fact)


def _principal(value: str) -> str:
    """What a "Label: value" line mainly says: its first number with its unit word, else the value less asides."""
    plain = re.sub(r"\s*\([^)]*\)", "", value).strip(" .;")
    number = _NUMBER_SPAN.search(plain)
    return number.group(0) if number else plain


_NUMBER_SPAN = re.compile(r"(?<![\w.])\d[\d,]*(?:\.\d+)?(?:\s*(?:%|percent|million|billion|trillion|thousand))?"
                          r"(?:\s+(?:sq\s+)?(?:km|m|nm|kg|mi|years?|deaths|births|days|hours)\b)?(?![\w])")


def _blank_of(sentence: str) -> tuple[int, int] | None:
    """The span to blank: the first number (not a year when another number is there), else a year, else a name."""
    spans = [m.span() for m in _NUMBER_SPAN.finditer(sentence)]
    years = [s for s in spans if re.fullmatch(r"(?:19|20)\d\d", sentence[s[0]:s[1]])]
    others = [s for s in spans if s not in years]
    if others or years:
        return (others or years)[0]
    for word_number in keyfacts._WORD_NUMBER.finditer(sentence):
        if keyfacts.words_value(word_number.group(0)) is not None and word_number.start() > 0:
            return word_number.span()
    for name in sorted(keyfacts.names(sentence), key=len, reverse=True):
        at = sentence.find(name)
        if at > 0:
            return at, at + len(name)
    return None


def quiz(index, n: int = 5, seed: int | None = None, doc_ids: list[str] | None = None) -> list[QuizItem]:
    """n questions from distinct facts, spread over the documents (a seed makes the draw repeatable)."""
    rng = random.Random(seed)
    docs = [d for d in (doc_ids or list(index.docs)) if d in index.docs]
    pools = {d: [item for f in candidate_facts(index, d) if (item := quiz_item(f))] for d in docs}
    for pool in pools.values():
        rng.shuffle(pool)
    drawn: list[QuizItem] = []
    order = [d for d in docs if pools[d]]
    rng.shuffle(order)
    order.sort(key=lambda d: index.docs[d][0].kind != "report")  # the collection's reports first in each round
    while len(drawn) < n and any(pools[d] for d in order):
        for d in order:
            if pools[d] and len(drawn) < n:
                drawn.append(pools[d].pop())
    return drawn


def score(item: QuizItem, response: str) -> QuizResult:
    """Right when the response states the expected answer's key facts: its numbers (any form: "16", "sixteen"),
    its dates' months and its names; an answer without such facts needs its words."""
    expected, response = item.answer, response or ""
    wanted_numbers = keyfacts.numbers(expected)
    wanted_names = {n for n in keyfacts.names(expected) if n.lower() not in _MONTHS}
    wanted_months = keyfacts.months(expected)
    found: list[str] = []
    missing: list[str] = []
    got_numbers = keyfacts.numbers(response)
    for value in sorted(wanted_numbers):
        (found if value in got_numbers else missing).append(f"{value:g}")
    folded = fold(response).lower()
    for month in sorted(wanted_months):
        (found if month in folded else missing).append(month)
    for name in sorted(wanted_names):
        (found if keyfacts.mentions(name, response) or name.lower() in folded else missing).append(name)
    if not (wanted_numbers or wanted_months or wanted_names):
        wanted = [w for w in words(expected) if len(w) > 2]
        got = set(words(response))
        for w in wanted:
            (found if w in got else missing).append(w)
    return QuizResult(bool(found) and not missing, expected, found, missing)


_MONTHS = {m.lower() for m in keyfacts._MONTHS}
