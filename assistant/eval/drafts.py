"""Candidate golden-set cases drafted from a document's own sentences (onboarding's quiz items): the question, the
expected answer and the gold quote, checked to be the document's text at its offsets. A person reviews them."""
from __future__ import annotations

import re

from .. import keyfacts, onboarding


class DraftError(ValueError):
    pass


def draft_cases(index, doc_id: str, n: int, seed: int = 0) -> list[dict]:
    if doc_id not in index.docs:
        known = ", ".join(sorted(index.docs)[:20])
        raise DraftError(f"no document {doc_id!r} in the index; documents: {known}")
    text = index.docs[doc_id][1]
    cases = []
    for item in onboarding.quiz(index, n=n, seed=seed, doc_ids=[doc_id]):
        fact = item.fact
        if text[fact.start:fact.end] != fact.quote:  # never propose a quote the document does not hold
            continue
        slug = "-".join(re.findall(r"[a-z0-9]+", item.answer.lower())[:4]) or "fact"
        cases.append({
            "id": f"draft-{doc_id}-{fact.start}-{slug}",
            "question": item.question,
            "answer": item.answer,
            "must_include": [_alternatives(item.answer)],
            "quote": fact.quote,
            "sources": [doc_id],
            "answerable": True,
            "tags": ["number" if keyfacts.numbers(item.answer) else "lookup", "drafted"],
            "needs_review": True,
            "where": {"section": fact.section, "page": fact.page, "start": fact.start, "end": fact.end},
        })
    return cases


def _alternatives(answer: str) -> list[str]:
    """The answer's main number in digits and in words where it has one, else the answer itself."""
    number = re.search(r"\d[\d,]*(?:\.\d+)?", answer)
    if not number:
        return [answer]
    digits = number.group(0).replace(",", "")
    out = [number.group(0)]
    if digits != number.group(0):
        out.append(digits)
    if digits.isdigit() and (word := keyfacts.number_name(int(digits))):
        out.append(word)
    return out
