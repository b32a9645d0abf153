"""UI feedback (thumbs up/down JSONL) -> golden-set candidates for a person to review.

Thumbs-down: a candidate flagged for review, carrying the question and the bad answer.
Thumbs-up: a candidate with must_include suggestions (numbers, key terms of the answer) and the cited sources;
an approved abstention becomes an unanswerable candidate. One candidate per question (latest feedback wins;
any thumbs-down flags it). Candidates are written to their own file, never into a golden set.
"""
from __future__ import annotations

import hashlib
import json
import re
from pathlib import Path
from typing import Any

from .. import jsonl
from ..keyfacts import SMALL_NUMBER_WORDS, number_name
from ..textutil import strip_markers
from .golden import load_golden
from .metrics import normalise

_NUMBER = re.compile(r"\b(?:\d{1,3}(?:,\d{3})+|\d+(?:\.\d+)?|" + "|".join(SMALL_NUMBER_WORDS) + r")\b", re.I)
_STOP = set("""a about after again against all also an and any are as at be because been before being between both but
by can could did do does during each few for from further had has have having he her here hers him his how i if in
into is it its itself just more most my no nor not now of off on once only or other our out over own same she should
so some such than that the their them then there these they this those through to too under until up very was we were
what when where which while who whom why will with would you your according report group groups sources source
corpus answer question""".split())


class FeedbackError(ValueError):
    pass


def read_feedback(path: str | Path) -> tuple[list[dict], list[str]]:
    """(entries, warnings): malformed lines are skipped with a FILE:LINE warning."""
    path = Path(path)
    try:
        lines = jsonl.read_lines(path)
    except FileNotFoundError:
        raise FeedbackError(f"{path}: file not found") from None
    except UnicodeDecodeError as exc:
        raise FeedbackError(f"{path}: not UTF-8 text ({exc.reason})") from None
    entries, warnings = [], []
    for number, raw in lines:
        try:
            entry = json.loads(raw)
        except json.JSONDecodeError as exc:
            warnings.append(f"{path}:{number}: skipped, not valid JSON ({exc.msg})")
            continue
        if not isinstance(entry, dict) or entry.get("rating") not in ("up", "down"):
            warnings.append(f"{path}:{number}: skipped, needs a \"rating\" of \"up\" or \"down\"")
            continue
        if not _question_of(entry):
            warnings.append(f"{path}:{number}: skipped, no question")
            continue
        entry["_line"] = number
        entries.append(entry)
    return entries, warnings


def _question_of(entry: dict) -> str:
    """The standalone form when the UI rewrote a follow-up ("And in Iran?") into one."""
    for key in ("standalone_question", "question"):
        value = entry.get(key)
        if isinstance(value, str) and value.strip():
            return " ".join(value.split())
    return ""


def question_key(question: str) -> str:
    return re.sub(r"[^\w ]", "", normalise(question)).strip()


def suggest_must_include(answer: str, question: str = "", limit: int = 3) -> list[list[str]]:
    """Groups of alternatives worth requiring: the answer's numbers first, then its rarer key terms."""
    text = strip_markers(answer)
    groups: list[list[str]] = []
    seen: set[str] = set()
    q_words = {w.lower() for w in re.findall(r"[\w’'-]+", question)}
    for match in _NUMBER.finditer(text):
        token = match.group(0).lower()
        if token in seen or token in q_words:
            continue
        seen.add(token)
        group = [token]
        if token in SMALL_NUMBER_WORDS:
            group.append(str(SMALL_NUMBER_WORDS[token]))
        elif token.isdigit() and (name := number_name(int(token))):
            group.insert(0, name)
        seen.update(group)
        groups.append(group)
        if len(groups) >= limit:
            return groups
    words = re.findall(r"[A-Za-z][\w’'-]+", text)
    scored: dict[str, float] = {}
    for position, word in enumerate(words):
        low = word.lower().strip("’'-")
        if low in _STOP or low in q_words or len(low) < 4 or low in seen:
            continue
        weight = (2 if any(ch.isupper() for ch in word) and position > 0 else 1) + len(low) / 20
        if "-" in word.strip("-") or any(ch.isupper() for ch in word[1:]):
            weight += 1  # al-Azaim, AQAP: distinctive names
        scored[low] = max(scored.get(low, 0), weight)
    for term in sorted(scored, key=lambda t: -scored[t])[: max(0, limit - len(groups))]:
        groups.append([term])
    return groups


def to_candidates(entries: list[dict], existing_questions: set[str] | None = None) -> tuple[list[dict], int]:
    """(candidates, skipped_as_known): one candidate per distinct question, in first-seen order."""
    by_question: dict[str, list[dict]] = {}
    for entry in entries:
        by_question.setdefault(question_key(_question_of(entry)), []).append(entry)
    candidates, known = [], 0
    for key, group in by_question.items():
        if existing_questions and key in existing_questions:
            known += 1
            continue
        candidates.append(_candidate(group))
    return candidates, known


def _candidate(group: list[dict]) -> dict:
    latest = group[-1]
    downs = [e for e in group if e["rating"] == "down"]
    ups = [e for e in group if e["rating"] == "up"]
    question = _question_of(group[0])
    digest = hashlib.sha1(question_key(question).encode()).hexdigest()[:6]
    slug = "-".join(re.findall(r"[a-z0-9]+", question.lower())[:6]) or "question"
    feedback = {
        "ratings": {"up": len(ups), "down": len(downs)},
        "asked_as": sorted({e.get("question", "") for e in group if e.get("question")}),
        "lines": [e["_line"] for e in group],
        "comments": [e["comment"] for e in group if e.get("comment")],
        "reasons": sorted({e["reason"] for e in group if e.get("reason")}),
        "users": sorted({e["user"] for e in group if e.get("user")}),
        "backends": sorted({f"{e.get('backend', '')}/{e.get('model', '')}" for e in group}),
    }
    candidate: dict[str, Any] = {"id": f"fb-{slug}-{digest}", "question": question}
    if downs:
        bad = downs[-1]
        candidate.update({
            "answerable": True,
            "must_include": [],
            "needs_review": True,
            "review": ("Thumbs-down: decide whether the sources answer this. If they do, write the reference "
                       "answer, must_include and sources; if not, set answerable to false."
                       + (" Conflicting ratings: it also got a thumbs-up." if ups else "")),
            "bad_answer": strip_markers(bad.get("answer", "")).strip(),
            "bad_answer_abstained": bool(bad.get("abstained")),
            "bad_citations": [c.get("quote", "") for c in bad.get("citations") or [] if isinstance(c, dict)],
        })
    elif latest.get("abstained"):
        candidate.update({
            "answerable": False, "needs_review": True,
            "review": "Thumbs-up on an abstention: confirm the sources do not cover this question.",
        })
    else:
        citations = [c for c in latest.get("citations") or [] if isinstance(c, dict)]
        answer = strip_markers(latest.get("answer", "")).strip()
        candidate.update({
            "answer": answer,
            "must_include": suggest_must_include(answer, question),
            "sources": list(dict.fromkeys(c["doc_id"] for c in citations if c.get("doc_id"))),
            "answerable": True,
            "needs_review": True,
            "review": "Thumbs-up: check the suggested must_include terms and the quote before adding it.",
        })
        if citations and citations[0].get("quote"):
            candidate["quote"] = citations[0]["quote"]
    candidate["tags"] = ["from-feedback", "thumbs-down" if downs else "thumbs-up"]
    candidate["feedback"] = feedback
    return candidate


def import_feedback(feedback_path: str | Path, out_path: str | Path, golden_path: str | Path | None = None) -> dict:
    """Write candidates to out_path; returns counts and warnings. Refuses to write into a golden set."""
    out_path = Path(out_path)
    if out_path.name == "golden.jsonl" or (golden_path and out_path.resolve() == Path(golden_path).resolve()):
        raise FeedbackError(f"refusing to write candidates into the golden set {out_path}: "
                            "write them to their own file and copy reviewed cases by hand")
    entries, warnings = read_feedback(feedback_path)
    existing = set()
    if golden_path and Path(golden_path).exists():
        existing = {question_key(t.question) for case in load_golden(golden_path) for t in case.turns}
    candidates, known = to_candidates(entries, existing)
    jsonl.write(out_path, candidates)
    return {"entries": len(entries), "candidates": len(candidates), "already_golden": known,
            "thumbs_down": sum(1 for c in candidates if "thumbs-down" in c["tags"]),
            "thumbs_up": sum(1 for c in candidates if "thumbs-up" in c["tags"]),
            "warnings": warnings, "out": str(out_path)}
