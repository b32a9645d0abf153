"""Stage 6: the draft grounded: each claim's [n] matched to a verbatim quote of passage n (grounding.ground);
a draft that declines (the sentinel, a refusal without citations) or that nothing matches is not shown."""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from ..citations import Citation
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
        page_at=lambda doc_id, offset: None) -> Grounded:
    draft = _STRAY_PUNCTUATION.sub("", draft.replace(SENTINEL, ""))
    text, citations = ground(draft, passages, doc_texts, metas, page_at)
    return Grounded(text, citations, None if citations else UNMATCHED)


# Commas or semicolons a small model leaves after its last sentence ("... [1]. ,,,").
_STRAY_PUNCTUATION = re.compile(r"(?<=[.!?\]”])(?:\s*[,;])+\s*$")
