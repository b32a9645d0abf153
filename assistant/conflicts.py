"""Sources that disagree: when another retrieved document states a different value for the quantity an answer
gives, the answer says so and cites each side with its document's date, instead of silently picking one."""
from __future__ import annotations

import re
from dataclasses import dataclass

from .citations import Citation
from .grounding import citation_at
from .guard import instruction_spans
from .keyfacts import fold, mentions, names, words_value
from .retrieval import Passage
from .textutil import STOPWORDS, sentence_spans, terms

_NUMBER = re.compile(
    r"(?<![\w.,])\d{1,3}(?:,\d{3})+(?:\.\d+)?(?![\d,]*\d)|(?<![\w.,])\d+(?:\.\d+)?(?!\d)"
    r"|\b(?:(?:twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety)(?:[\s-](?:one|two|three|four|five|six|seven|"
    r"eight|nine))?|zero|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|fourteen|fifteen|"
    r"sixteen|seventeen|eighteen|nineteen|hundred|dozen)\b", re.I)
_UNIT_WORD = re.compile(r"[A-Za-z][\w'-]*")
_QUALIFIERS = frozenset("least most about around roughly nearly almost over more than some approximately".split())
MIN_SHARED_TERMS = 0.4  # share of the shorter sentence's content terms that the other one also has


@dataclass
class Quantity:
    value: float
    unit: str


def quantities(sentence: str) -> list[Quantity]:
    """Counted things: each number with the first lower-case content word after it, within three words and before
    any punctuation ("sixteen ISKP plots" -> 16 plot). Years, bare numbers and rates ("6.2 deaths/1,000 live
    births") are left out."""
    text = fold(sentence)
    found = []
    for match in _NUMBER.finditer(text):
        token = match.group(0)
        value = words_value(token) if token[0].isalpha() else float(token.replace(",", ""))
        if value is None or (token.isdigit() and len(token) == 4 and 1800 <= value <= 2100):
            continue
        if re.search(r"(?:/|\bper)\s*$", text[:match.start()]):
            continue  # a rate's denominator ("deaths/1,000 live births") counts nothing
        for seen, word in enumerate(_UNIT_WORD.finditer(text, match.end())):
            if seen >= 3 or re.search(r"[,;:.()\[\]%$]", text[match.end():word.start()]):
                break
            lowered = word.group(0).lower()
            if (word.group(0)[0].isupper() or lowered in STOPWORDS or lowered in _QUALIFIERS
                    or _NUMBER.fullmatch(lowered)):
                continue
            if not re.match(r"\s*(?:/|per\b)", text[word.end():]):  # "6.2 deaths/1,000": a rate, not a count
                found.append(Quantity(value, terms(lowered)[0] if terms(lowered) else lowered))
            break
    return found


@dataclass
class Disagreement:
    answer_citation: Citation
    other: Citation
    unit: str
    answer_value: float
    other_value: float


def find(question: str, citations: list[Citation], passages: list[Passage], doc_texts: dict[str, str],
         metas: dict, page_at=lambda doc_id, offset: None, about: set[str] | None = None) -> Disagreement | None:
    """The first retrieved sentence of another document that is about what a cited quote states (the question's
    names, shared terms, the same counted thing) but gives that thing a different value. about: the documents whose
    subject the question names; another document of the same kind about something else (Turkmenistan's profile, for
    Uzbekistan's border with Afghanistan) states its own subject's figures, which differ without disagreeing."""
    asked_names = names(question)
    asked_terms = set(terms(question))
    candidates = []  # (passage, start, end, text): the passages' sentences, instruction-like ones left out
    for passage in passages:
        text = doc_texts.get(passage.doc_id) or ""
        flagged = instruction_spans(text, passage.start, passage.end)
        candidates += [(passage, s, e, text) for s, e in sentence_spans(text, passage.start, passage.end)
                       if (s, e) not in flagged]
    for citation in citations:
        stated: dict[str, set[float]] = {}
        for q in quantities(citation.quote):
            stated.setdefault(q.unit, set()).add(q.value)
        if not stated:
            continue
        quote_terms = {t for t in terms(citation.quote) if not t.isdigit()}
        for passage, s, e, text in candidates:
            if passage.doc_id == citation.doc_id or about and citation.doc_id in about and \
                    passage.doc_id not in about and _kind(metas, passage.doc_id) == _kind(metas, citation.doc_id):
                continue
            sentence = text[s:e]
            other_terms = {t for t in terms(sentence) if not t.isdigit()}
            if not other_terms or len(other_terms & quote_terms) < max(
                    2, MIN_SHARED_TERMS * min(len(other_terms), len(quote_terms))):
                continue
            if asked_terms and len(asked_terms & set(terms(sentence))) * 2 < len(asked_terms):
                continue
            if not all(mentions(name, sentence) for name in asked_names):
                continue
            for q in quantities(sentence):
                if q.unit in stated and q.unit in asked_terms and q.value not in stated[q.unit]:
                    other = citation_at(passage, s, e, text, metas.get(passage.doc_id), page_at)
                    if other is not None:
                        return Disagreement(citation, other, q.unit, min(stated[q.unit]), q.value)
    return None


def _kind(metas: dict, doc_id: str) -> str:
    return getattr(metas.get(doc_id), "kind", "") or ""


def _dated(citation: Citation) -> str:
    return f"{citation.title} ({citation.date or 'undated'})"


def reconcile(text: str, citations: list[Citation], disagreement: Disagreement) -> tuple[str, list[Citation]]:
    """The answer restated as the sources' disagreement: what the answer's source says, then the other's quote, each
    cited; the documents and their dates come after the last marker, so no cited claim carries them."""
    other = disagreement.other
    other.n = len(citations) + 1
    quote = " ".join(other.quote.split())
    restated = (f"The sources differ on this. {text} “{quote}” [{other.n}]. "
                f"({_dated(disagreement.answer_citation)} and {_dated(other)} give different figures.)")
    return restated, [*citations, other]
