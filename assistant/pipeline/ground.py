"""Stage 6: the draft grounded: each claim's [n] matched to a verbatim quote of passage n (grounding.ground);
a draft that declines (the sentinel, a refusal without citations) or that nothing matches is not shown."""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from .. import keyfacts
from ..citations import CLAIM, Citation, marker_numbers
from ..grounding import ground
from ..retrieval import Passage
from .generate import SENTINEL

_REFUSAL = re.compile(r"\b(?:do(?:es)?(?: not|n['’]t) (?:contain|mention|provide|include|say|specify|cover)|"
                      r"no (?:information|mention)|not (?:explicitly |directly |specifically |clearly )?"
                      r"(?:mentioned|provided|specified|stated|covered|found) in|"
                      r"not in (?:the )?(?:given |provided )?(?:sources|passages|context))\b", re.I)
UNMATCHED = "The drafted answer could not be matched to any source passage, so it is not shown."


@dataclass
class Grounded:
    text: str
    citations: list[Citation] = field(default_factory=list)
    notice: str | None = None  # why nothing is shown, when no citation matched


def declines(draft: str | None) -> bool:
    """Nothing drafted, the abstention sentinel, or a refusal ("the sources do not mention...") citing nothing."""
    return not draft or SENTINEL in draft or bool(_REFUSAL.search(draft) and "[" not in draft)


def run(draft: str, passages: list[Passage], doc_texts: dict[str, str], metas: dict,
        page_at=lambda doc_id, offset: None, asked_in: str = "") -> Grounded:
    draft = _STRAY_PUNCTUATION.sub("", draft.replace(SENTINEL, ""))
    text, citations = ground(draft, passages, doc_texts, metas, page_at, asked_in)
    return Grounded(text, citations, None if citations else UNMATCHED)


# Commas or semicolons a small model leaves after its last sentence ("... [1]. ,,,").
_STRAY_PUNCTUATION = re.compile(r"(?<=[.!?\]”])(?:\s*[,;])+\s*$")


_MONTHS = "|".join(m.capitalize() for m in keyfacts._MONTHS)


def with_full_dates(grounded: Grounded) -> Grounded:
    """For "when ...?": a bare year a claim gives ("1979 [1]") that its cited quotes state as one full date ("1 April
    1979") is given as that date ("in 1979" becomes "on 1 April 1979")."""
    quotes = {c.n: keyfacts.fold(c.quote) for c in grounded.citations}

    def claim(match: re.Match) -> str:
        body, markers = match.group(1), match.group(2)
        cited = [quotes.get(n, "") for n in marker_numbers(markers)]
        for year in sorted(keyfacts.years(body)):
            full = {d.group(0) for q in cited for d in keyfacts.FULL_DATE.finditer(q) if d.group(1) == str(year)}
            if len(full) != 1 or re.search(rf"(?:{_MONTHS})(?:\s+\d{{1,2}})?\s*,?\s*{year}\b", body):
                continue
            date = full.pop()
            body = re.sub(rf"\bin\s+{year}\b", f"on {date}", body, count=1)
            body = re.sub(rf"\bIn\s+{year}\b", f"On {date}", body, count=1)
            if date not in body:
                body = re.sub(rf"\b{year}\b", date, body, count=1)
        return body + markers

    return Grounded(CLAIM.sub(claim, grounded.text), grounded.citations, grounded.notice)
