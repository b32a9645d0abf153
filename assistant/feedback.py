"""Thumbs up/down on answers, appended as JSON lines; the eval harness turns them into golden-set candidates."""
from __future__ import annotations

import time
from pathlib import Path

from . import jsonl
from .answer import Answer

RATINGS = ("up", "down")
REASONS = ("wrong", "unsupported", "incomplete", "other")  # why an answer got a thumbs-down (optional)


def record(path: Path, answer: Answer, rating: str, session_id: str = "", comment: str = "", *,
           reason: str = "", user: str = "") -> dict:
    if rating not in RATINGS:
        raise ValueError("rating must be 'up' or 'down'")
    if reason and reason not in REASONS:
        raise ValueError(f"reason must be one of {', '.join(REASONS)} (or empty)")
    entry = {
        "ts": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
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
    jsonl.append(Path(path), entry)
    return entry
