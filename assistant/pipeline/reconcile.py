"""Stage 8: sources that disagree (assistant/conflicts.py): when another retrieved document gives a different value
for the quantity the answer states, both are shown, each cited with its document's date."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from .. import conflicts
from ..citations import Citation
from ..focus import DocumentNames
from ..retrieval import Passage


@dataclass
class Reconciled:
    text: str
    citations: list[Citation]
    notice: str | None = None  # says the sources differ, when they do


def run(question: str, text: str, citations: list[Citation], passages: list[Passage], doc_texts: dict[str, str],
        index: Any, names: DocumentNames | None = None) -> Reconciled:
    """passages: the retrieved ones; index: doc_text, doc_meta and page_at of the open index; names: its document
    names, which say whose subject the question names."""
    texts = {**doc_texts, **{p.doc_id: index.doc_text(p.doc_id) for p in passages if p.doc_id not in doc_texts}}
    metas = {p.doc_id: index.doc_meta(p.doc_id) for p in passages}
    disagreement = conflicts.find(question, citations, passages, texts, metas, index.page_at,
                                  about=names.subjects(question) if names else None)
    if disagreement is None:
        return Reconciled(text, citations)
    text, citations = conflicts.reconcile(text, citations, disagreement)
    return Reconciled(text, citations, f"The sources give different values for the {disagreement.unit}s asked "
                                       "about; both are shown.")
