"""Citations: every quote is an exact span of its source document, checked before it is shown."""
from __future__ import annotations

import re
from dataclasses import asdict, dataclass

from .keyfacts import is_number_word
from .textutil import QUOTE_FOLD, sentence_spans, terms

MARKER = re.compile(r"\[(\d{1,3}(?:\s*[,;]\s*\d{1,3})*)\]")
# A claim of an answer: its text up to its [n] markers (group 1), and those markers (group 2).
CLAIM = re.compile(r"(?s)(.*?)((?:\s*\[\d{1,3}(?:\s*[,;]\s*\d{1,3})*\])+)")
# A quotation: "…", “…”, or « … » (an answer in French, say, quoting an English source).
_QUOTED = re.compile(r"[\"“]([^\"“”]{12,400})[\"”]|«\s*([^«»]{12,400}?)\s*»")


@dataclass
class Citation:
    n: int
    doc_id: str
    title: str
    section: str
    page: int | None
    quote: str
    start: int
    end: int
    url: str = ""
    authors: str = ""
    date: str = ""

    def to_json(self) -> dict:
        return asdict(self)


def overlaps(doc_id: str, start: int, end: int, citations: list[Citation]) -> bool:
    """The span [start, end) of doc_id shares characters with one of the citations."""
    return any(doc_id == c.doc_id and start < c.end and c.start < end for c in citations)


def section_and_page(title: str, section: str, page: int | None, section_label: str = "") -> list[str]:
    """Where in its document: the section (left out when it repeats the title) and "p. N", those known."""
    return ([f"{section_label}{section}"] if section and section != title else []) + ([f"p. {page}"] if page else [])


def where(title: str, section: str, page: int | None) -> str:
    """"Title — Section, p. N", with what is unknown or repeats the title left out."""
    shown = section_and_page(title, section, None)
    return title + "".join(f" — {s}" for s in shown) + (f", p. {page}" if page else "")


def verify(citation: Citation, doc_text: str | None) -> bool:
    """The one check every shown quote passes: it is exactly the cited span of the cited document."""
    return (doc_text is not None and 0 <= citation.start < citation.end <= len(doc_text)
            and bool(citation.quote.strip()) and doc_text[citation.start:citation.end] == citation.quote)


def _normalised_with_map(text: str) -> tuple[str, list[int]]:
    """Lower-cased, quote/dash-folded, whitespace-collapsed text and, per char, its offset in text."""
    out, positions, last_space = [], [], False
    for i, original in enumerate(text):
        for ch in original.translate(QUOTE_FOLD).lower():  # per char: "İ".lower() is two chars
            if ch.isspace():
                if last_space:
                    continue
                ch, last_space = " ", True
            else:
                last_space = False
            out.append(ch)
            positions.append(i)
    return "".join(out), positions


def locate(quote: str, doc_text: str, start: int = 0, end: int | None = None) -> tuple[int, int] | None:
    """Offsets of quote inside doc_text[start:end]: exact first, then tolerant of quotes/dashes/space/case."""
    end = len(doc_text) if end is None else end
    quote = quote.strip().strip("\"“”'‘’").strip()
    if len(quote) < 3:
        return None
    at = doc_text.find(quote, start, end)
    if at >= 0:
        return at, at + len(quote)
    hay, positions = _normalised_with_map(doc_text[start:end])
    needle, _ = _normalised_with_map(quote)
    needle = needle.strip()
    at = hay.find(needle)
    if at < 0 or not needle:
        return None
    return start + positions[at], start + positions[at + len(needle) - 1] + 1


def support_score(claim: str, sentence: str) -> float:
    """Share of the claim's content terms found in the sentence; numbers count double."""
    claim_terms = set(terms(claim))
    if not claim_terms:
        return 0.0
    sentence_terms = set(terms(sentence))
    def weight(t):
        return 2.0 if (t.isdigit() or is_number_word(t)) else 1.0
    total = sum(weight(t) for t in claim_terms)
    return sum(weight(t) for t in claim_terms & sentence_terms) / total


def best_supporting_span(claim: str, doc_text: str, start: int, end: int) -> tuple[int, int, float] | None:
    """The sentence of doc_text[start:end] that best supports claim, as (start, end, score)."""
    best = None
    for s, e in sentence_spans(doc_text, start, end):
        score = support_score(claim, doc_text[s:e])
        if best is None or score > best[2]:
            best = (s, e, score)
    return best


def split_claims(answer: str) -> list[tuple[int, int]]:
    """Sentence spans of the answer, each with its trailing markers attached."""
    spans = sentence_spans(answer)
    merged: list[tuple[int, int]] = []
    for s, e in spans:
        if merged and MARKER.fullmatch(answer[s:e].strip()):
            merged[-1] = (merged[-1][0], e)
        else:
            merged.append((s, e))
    return merged


def marker_numbers(text: str) -> list[int]:
    return [int(n) for m in MARKER.finditer(text) for n in re.split(r"\s*[,;]\s*", m.group(1))]
