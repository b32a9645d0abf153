"""Thumbs up/down on answers. The app and the API save them in the database (storage.Feedback); record() appends
one to a JSON-lines file. The eval harness turns either into golden-set candidates."""
from __future__ import annotations

import time
from pathlib import Path

from . import jsonl
from .answer import Answer

RATINGS = ("up", "down")
REASONS = ("wrong", "unsupported", "incomplete", "other")  # why an answer got a thumbs-down (optional)


def record(path: Path, answer: Answer, rating: str, session_id: str = "", comment: str = "", *,
           reason: str = "", user: str = "") -> dict:
    line = {"ts": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
            **_entry(answer, rating, session_id, comment, reason, user)}
    jsonl.append(Path(path), line)
    return line


def entry(answer: Answer, rating: str, *, session_id: str = "", comment: str = "", reason: str = "",
          user: str = "") -> dict:
    """The fields of a feedback entry, checked: rating up/down, reason among REASONS or empty."""
    return _entry(answer, rating, session_id, comment, reason, user)


def _entry(answer: Answer, rating: str, session_id: str, comment: str, reason: str, user: str) -> dict:
    if rating not in RATINGS:
        raise ValueError("rating must be 'up' or 'down'")
    if reason and reason not in REASONS:
        raise ValueError(f"reason must be one of {', '.join(REASONS)} (or empty)")
    return {
        "session_id": session_id,
        "user": user,
        "rating": rating,
        "reason": reason,
        "comment": comment,
        "question": answer.question,
        "standalone_question": answer.standalone_question,
        "answer": answer.text,
        "abstained": answer.abstained,
        "citations": [c.to_json() for c in answer.citations],
        "backend": answer.backend,
        "model": answer.model,
    }
