"""Stage 1: the request checked (question, top_k) before the index opens, then doc_ids against the open index."""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from .. import validation


@dataclass
class Request:
    question: str  # cleaned
    top_k: int | None  # None: the configured default
    doc_ids: list[str] | None  # None: the whole corpus
    opened: Any  # what open_index returned (an index_manager.OpenIndex)


def run(question: Any, top_k: Any, doc_ids: Any, *, max_chars: int, open_index: Callable[[], Any]) -> Request:
    """Raises validation.QuestionError naming the bad value. A bad question never opens (or builds) the index."""
    question = validation.question(question, max_chars)
    top_k = validation.top_k(top_k)
    opened = open_index()
    return Request(question, top_k, validation.doc_ids(doc_ids, opened.index.docs), opened)
