"""Stage 3: the passages for the standalone question (hybrid dense + BM25), within the chosen documents."""
from __future__ import annotations

from ..retrieval import HybridRetriever, Retrieval


def run(retriever: HybridRetriever, question: str, top_k: int, doc_ids: list[str] | None) -> Retrieval:
    """A Retrieval: passages, best_similarity, lexical_coverage."""
    return retriever.retrieve(question, top_k, doc_ids)
