"""Thumbs up/down on answers, appended as JSON lines; the eval harness turns them into golden-set candidates."""
from __future__ import annotations

import time
from pathlib import Path

from . import jsonl
from .answer import Answer


def record(path: Path, answer: Answer, rating: str, session_id: str = "", comment: str = "") -> dict:
    if rating not in ("up", "down"):
        raise ValueError("rating must be 'up' or 'down'")
    entry = {
        "ts": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
        "session_id": session_id,
        "rating": rating,
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
