"""Stage 4: abstain before any drafting when nothing relevant was found (no passages, or an off-topic question:
low similarity and under half of its terms in the best lexical hit, and no document named as where to read)."""
from __future__ import annotations

from dataclasses import dataclass

from ..language import is_english
from ..retrieval import Retrieval

ENGLISH_ONLY = ("The extractive backend reads English questions only, so it cannot answer this one. Please ask in "
                "English, or choose the local model.")


@dataclass
class Gate:
    abstain: bool
    reason: str = ""  # "no passages" or "off topic" when abstaining


def run(retrieval: Retrieval, min_relevance: float) -> Gate:
    """A question that names the document to read ("What does the report recommend?") is never off topic."""
    if not retrieval.passages:
        return Gate(True, "no passages")
    if retrieval.best_similarity < min_relevance and retrieval.lexical_coverage < 0.5 and not retrieval.sources_named:
        return Gate(True, "off topic")
    return Gate(False)


def english_only(question: str, by_llm: bool) -> str | None:
    """The reply for a question the extractive backend cannot read (another language or script); None if it can."""
    return None if by_llm or is_english(question) else ENGLISH_ONLY
