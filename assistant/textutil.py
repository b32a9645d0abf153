"""Small text helpers shared by chunking, BM25, answering and quote checks."""
from __future__ import annotations

import re
import unicodedata

_SENTENCE_END = re.compile(r"(?<=[.!?])[\"'”’)\]]*\s+(?=[\"'“‘(\[]?[A-Z0-9•])|\n\s*\n|\n(?=\s*[•\-*]\s)")
_ABBREV = re.compile(r"(?:\b[A-Z]|\b(?:Mr|Mrs|Ms|Dr|Prof|St|Gen|Col|Lt|Sgt|No|Vol|vs|etc|e\.g|i\.e|U\.S|U\.K|U\.N|approx|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec))\.$")
_WORD = re.compile(r"[\w’']+", re.UNICODE)

STOPWORDS = frozenset(
    """a about above after again against all am an and any are as at be because been before being below between
    both but by can could did do does doing down during each few for from further had has have having he her here
    hers herself him himself his how i if in into is it its itself just me more most my myself no nor not now of off
    on once only or other our ours ourselves out over own same she should so some such than that the their theirs
    them themselves then there these they this those through to too under until up very was we were what when where
    which while who whom why will with would you your yours yourself yourselves also did does many much according
    report reports say says said tell explain describe give list whats what's show there's thus""".split()
)


def sentence_spans(text: str, start: int = 0, end: int | None = None) -> list[tuple[int, int]]:
    """(start, end) offsets of the sentences of text[start:end], trimmed of surrounding whitespace."""
    end = len(text) if end is None else end
    spans, cursor = [], start
    for match in _SENTENCE_END.finditer(text, start, end):
        candidate = text[cursor:match.start()]
        if match.group(0).strip() == "" and _ABBREV.search(candidate.rstrip()) and "\n" not in match.group(0):
            continue
        _append_trimmed(text, cursor, match.start(), spans)
        cursor = match.end()
    _append_trimmed(text, cursor, end, spans)
    return spans


def _append_trimmed(text: str, start: int, end: int, spans: list) -> None:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    if end > start:
        spans.append((start, end))


def words(text: str) -> list[str]:
    """Lower-cased word tokens, accent-folded, apostrophes normalised."""
    folded = unicodedata.normalize("NFKD", text.lower())
    folded = "".join(ch for ch in folded if not unicodedata.combining(ch)).replace("’", "'")
    return _WORD.findall(folded)


def _stem(word: str) -> str:
    for suffix in ("'s", "ies", "ing", "ed", "es", "s"):
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            return word[: -len(suffix)] + ("y" if suffix == "ies" else "")
    return word


def terms(text: str) -> list[str]:
    """Content terms for lexical matching: stop words dropped, light stemming."""
    return [_stem(w) for w in words(text) if w not in STOPWORDS and (len(w) > 1 or w.isdigit())]


_ANSI_ESCAPE = re.compile(
    r"(?:\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)?)"  # OSC ... BEL/ST (window titles, hyperlinks)
    r"|(?:(?:\x1b\[|\x9b)[0-?]*[ -/]*[@-~])"  # CSI: colours, cursor moves
    r"|(?:\x1b[()*+][0-9A-Za-z]|\x1b[78=>])"  # charset choice, cursor save/restore, keypad mode
)


def clean_question(text: str) -> str:
    """Drop terminal escape sequences and control characters (newlines/tabs become spaces); collapse whitespace."""
    text = _ANSI_ESCAPE.sub("", text)
    kept = "".join(
        " " if ch in "\t\n\r" else ch
        for ch in text
        if ch in "\t\n\r" or unicodedata.category(ch)[0] != "C"
    )
    return re.sub(r"\s+", " ", kept).strip()
