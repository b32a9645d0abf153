"""What callers may send: the question, top_k and doc_ids. One set of rules for the engine, the CLI and the web app.

Each check returns the clean value or raises QuestionError with a message meant for the user.
"""
from __future__ import annotations

import math
import numbers
import re
from collections.abc import Collection
from typing import Any

from .textutil import clean_question

TOP_K_MIN, TOP_K_MAX = 1, 20
_SHOWN_IDS = 3  # unknown ids named in one message
_LISTED_KNOWN = 8  # a corpus this small has its ids listed in the message


class QuestionError(ValueError):
    """A question (or a search option) the engine will not process; the message is for the user."""


def question(value: Any, max_chars: int) -> str:
    if not isinstance(value, str):
        raise QuestionError("The question must be text.")
    cleaned = clean_question(value)
    if not cleaned:
        raise QuestionError("Please type a question.")
    if len(cleaned) > max_chars:
        raise QuestionError(f"That question is {len(cleaned):,} characters long; the limit is "
                            f"{max_chars:,}. Please shorten it.")
    if not any(ch.isalnum() for ch in cleaned):
        raise QuestionError("Please ask a question in words.")
    return cleaned


def top_k(value: Any) -> int | None:
    """A whole number from 1 to 20 (int, integral float or digit string); None: the server default."""
    if value is None:
        return None
    number = _whole_number(value)
    if number is None or not TOP_K_MIN <= number <= TOP_K_MAX:
        raise QuestionError(_top_k_refused(_show(value)))
    return number


def _top_k_refused(shown: str) -> str:
    return f"top_k must be a whole number from {TOP_K_MIN} to {TOP_K_MAX}; got {shown}."


def _whole_number(value: Any) -> int | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, numbers.Integral):
        return int(value)
    if isinstance(value, numbers.Real):
        value = float(value)
        return int(value) if math.isfinite(value) and value.is_integer() else None
    if isinstance(value, str) and re.fullmatch(r"\s*[+-]?\d{1,12}\s*", value):
        return int(value)
    return None


def doc_ids(value: Any, known: Collection[str]) -> list[str] | None:
    """A list of ids of documents in the index, duplicates dropped; None or []: the whole corpus."""
    if value is None:
        return None
    if isinstance(value, (str, bytes)):
        raise QuestionError(f"doc_ids must be a list of document ids, not a single string; got {_show(value)}.")
    if not isinstance(value, (list, tuple)):
        raise QuestionError(f"doc_ids must be a list of document ids; got {_show(value)}.")
    for n, item in enumerate(value, start=1):
        if not isinstance(item, str):
            raise QuestionError(f"doc_ids must be a list of document ids (text); item {n} is {_show(item)}.")
    unknown = list(dict.fromkeys(item for item in value if item not in known))
    if unknown:
        named = ", ".join(_show(item) for item in unknown[:_SHOWN_IDS])
        more = f" and {len(unknown) - _SHOWN_IDS:,} more" if len(unknown) > _SHOWN_IDS else ""
        listed = (f" The documents are: {', '.join(sorted(known))}." if len(known) <= _LISTED_KNOWN
                  else " See the list of documents for their ids.")
        noun = "id" if len(unknown) == 1 else "ids"
        raise QuestionError(f"Unknown document {noun}: {named}{more}.{listed}")
    return list(dict.fromkeys(value)) or None


def top_k_arg(text: str) -> int:
    """argparse type for --top-k (the message shows the text as typed)."""
    import argparse

    try:
        number = top_k(text)
    except QuestionError:
        plain = text if text.isprintable() and len(text) <= 40 else _show(text)
        raise argparse.ArgumentTypeError(_top_k_refused(plain or "nothing")) from None
    assert number is not None  # top_k() gives None only for None, and text is a str
    return number


def _show(value: Any, limit: int = 40) -> str:
    """A short, printable repr of what was sent (never the whole of a huge value)."""
    if isinstance(value, float) and not math.isfinite(value):
        return str(value).replace("nan", "NaN")
    shown = repr(value)
    return shown if len(shown) <= limit else shown[:limit - 1] + "…"
