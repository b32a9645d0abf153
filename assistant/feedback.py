"""Thumbs up/down on answers, appended as JSON lines; the eval harness turns them into golden-set candidates."""
from __future__ import annotations

import json
import threading
import time
from pathlib import Path

from .answer import Answer

_LOCK = threading.Lock()


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
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    with _LOCK, open(path, "a", encoding="utf-8") as handle:
        handle.write(json.dumps(entry, ensure_ascii=False) + "\n")
    return entry
