"""Scoring rules and the aggregate metrics, over plain (JSON-ready) result dicts.

Matching: alternatives are matched case-insensitively, with curly quotes, dashes and whitespace folded;
an alternative made only of digits ("3") matches a whole number only (not the 3 inside "2023" or "3.5"), or
that number written in words ("sixty" for "60"; "one" aside, as it is also a pronoun);
anything else matches as a substring ("negotiat" matches "negotiations"). Citation markers like [3]
are removed from an answer before matching, so they never count as numbers.
"""
from __future__ import annotations

import math
import re
import unicodedata
from typing import Any

from .. import keyfacts
from ..citations import CLAIM
from ..textutil import QUOTE_FOLD, strip_markers

# Higher is better for all of these; --fail-under and baseline deltas use these names.
METRICS = ("hit_at_k", "mrr", "answer_correctness", "citation_validity", "claim_support",
           "abstention_precision", "abstention_recall", "pass_rate")
LATENCY = ("latency_p50_ms", "latency_p95_ms", "latency_mean_ms")
LABELS = {
    "hit_at_k": "Retrieval hit@k", "mrr": "Retrieval MRR", "answer_correctness": "Answer correctness",
    "citation_validity": "Citation validity", "claim_support": "Claim support (key facts and Factbook field in quotes)",
    "abstention_precision": "Abstention precision", "abstention_recall": "Abstention recall",
    "pass_rate": "Case pass rate", "latency_p50_ms": "Latency p50", "latency_p95_ms": "Latency p95",
    "latency_mean_ms": "Latency mean",
}


def normalise(text: str) -> str:
    text = unicodedata.normalize("NFKC", text or "").translate(QUOTE_FOLD).lower()
    return re.sub(r"\s+", " ", text).strip()


def find_alternative(alternative: str, text: str) -> bool:
    """Whether one must_include alternative occurs in text (text already normalised or not)."""
    needle, hay = normalise(alternative), normalise(text)
    if not needle:
        return False
    if needle.isdigit():
        return (re.search(rf"(?<!\d)(?<!\d[.,]){re.escape(needle)}(?!\d)(?![.,]\d)", hay) is not None
                or float(needle) in keyfacts.written_numbers(hay))
    return needle in hay


def match_groups(groups: list[list[str]], answer: str) -> list[str | None]:
    """Per group, the first alternative found in the answer (markers removed), or None."""
    text = strip_markers(answer)
    return [next((alt for alt in group if find_alternative(alt, text)), None) for group in groups]


def must_include_passes(groups: list[list[str]], answer: str) -> bool:
    return all(m is not None for m in match_groups(groups, answer))


def citation_problem(quote: str, start: int, end: int, doc_text: str | None) -> str | None:
    """None when the quote is verbatim at [start:end] of the cited document, else what is wrong."""
    if doc_text is None:
        return "cited document not found"
    if not (quote or "").strip():
        return "empty quote"
    if not (isinstance(start, int) and isinstance(end, int) and 0 <= start < end <= len(doc_text)):
        return f"offsets {start}-{end} outside the document"
    if doc_text[start:end] != quote:
        return "quote differs from the source text at its offsets" + (
            "" if quote in doc_text else " and is not in the source at all")
    return None


_NUMBERS_IN_MARKERS = re.compile(r"\d{1,3}")


def claim_checks(answer: str, citations: list[dict], question: str = "", asked_in: str = "") -> list[dict]:
    """Each shown claim (the text up to its [n] markers), with its key facts (numbers, dates, names) that none of
    the quotes it cites states (a name may be stated by the cited document's title or section, as the citation
    shows them; numbers and dates only by a quote), the items of a series it states that its quotes do not, and,
    given the question, the Factbook field it states when its quotes give another (asked_in: the question as the
    user wrote it, whose own words a claim in another language may repeat), and an English claim none of whose
    quotes shares more than its names (grounding.shares_more_than_names): a claim is supported only when that list
    is empty."""
    from ..field_words import claimed_elsewhere
    from ..grounding import shares_more_than_names, unstated_series_items
    from ..keyfacts import unsupported
    from ..language import is_english

    quotes: dict[int, list[str]] = {}
    where: dict[int, list[str]] = {}
    for c in citations:
        if c["valid"]:
            quotes.setdefault(c["n"], []).append(c["quote"])
            where.setdefault(c["n"], []).extend([c.get("title", ""), c.get("section", "")])
    checks = []
    for match in CLAIM.finditer(answer or ""):
        claim = match.group(1).strip(" .;:\n")
        if not claim:
            continue
        cited = [int(n) for n in _NUMBERS_IN_MARKERS.findall(match.group(2))]
        cited_quotes = [q for n in cited for q in quotes.get(n, [])]
        missing = unsupported(claim, cited_quotes, [w for n in cited for w in where.get(n, [])], asked_in or question)
        missing += [f"item {item}" for item in unstated_series_items(claim, cited_quotes)]
        field = claimed_elsewhere(claim, cited_quotes, question) if question else ""
        missing += [f"field {field}"] if field else []
        if cited_quotes and is_english(claim) and not any(shares_more_than_names(claim, q) for q in cited_quotes):
            missing.append("a word beyond its names")
        checks.append({"sentence": claim, "missing": missing})
    return checks


def retrieval_rank(passages: list[dict], quote: str = "", sources: list[str] | None = None) -> int | None:
    """1-based rank of the first passage holding the quote (or, without a quote, from a source doc)."""
    if quote.strip():
        needle = normalise(quote)
        for rank, passage in enumerate(passages, start=1):
            if needle in normalise(passage.get("text", "")):
                return rank
        return None
    for rank, passage in enumerate(passages, start=1):
        if passage.get("doc_id") in (sources or []):
            return rank
    return None


def percentile(values: list[float], q: float) -> float | None:
    """Linear-interpolated percentile (q in 0..100)."""
    if not values:
        return None
    ordered = sorted(values)
    at = (len(ordered) - 1) * q / 100
    low, high = math.floor(at), math.ceil(at)
    return ordered[low] + (ordered[high] - ordered[low]) * (at - low)


def _mean(values) -> float | None:
    values = [float(v) for v in values if v is not None]
    return sum(values) / len(values) if values else None


def _ratio(part: int, whole: int) -> float | None:
    return part / whole if whole else None


def aggregate(cases: list[dict]) -> dict:
    """Overall metrics from per-case results (see runner.score_turn for the turn fields)."""
    turns = [t for c in cases for t in c["turns"]]
    answerable = [t for t in turns if t["expected_answerable"]]
    unanswerable = [t for t in turns if not t["expected_answerable"]]
    abstained = [t for t in turns if t["abstained"]]
    retrieval = [t["retrieval"] for t in answerable if t["retrieval"]["target"]]
    citations = [c for t in turns for c in t["citations"]]
    claims = [c for t in turns if not t["abstained"] for c in t.get("claims", [])]
    latencies = [t["latency_ms"] for t in turns if t.get("latency_ms") is not None]
    metrics: dict[str, Any] = {
        "hit_at_k": _mean(1.0 if r["hit"] else 0.0 for r in retrieval),
        "mrr": _mean(r["rr"] for r in retrieval),
        "answer_correctness": _mean(1.0 if t["correct"] else 0.0 for t in answerable),
        "citation_validity": _ratio(sum(1 for c in citations if c["valid"]), len(citations)),
        "claim_support": _ratio(sum(1 for c in claims if not c["missing"]), len(claims)),
        "abstention_precision": _ratio(sum(1 for t in abstained if not t["expected_answerable"]), len(abstained)),
        "abstention_recall": _ratio(sum(1 for t in unanswerable if t["abstained"]), len(unanswerable)),
        "pass_rate": _ratio(sum(1 for c in cases if c["passed"]), len(cases)),
        "latency_p50_ms": percentile(latencies, 50),
        "latency_p95_ms": percentile(latencies, 95),
        "latency_mean_ms": _mean(latencies),
    }
    metrics = {k: (round(v, 4) if k in METRICS and v is not None else (round(v, 1) if v is not None else None))
               for k, v in metrics.items()}
    metrics["counts"] = {
        "cases": len(cases), "passed": sum(1 for c in cases if c["passed"]), "turns": len(turns),
        "answerable_turns": len(answerable), "unanswerable_turns": len(unanswerable),
        "retrieval_scored_turns": len(retrieval), "abstained_turns": len(abstained),
        "citations": len(citations), "invalid_citations": sum(1 for c in citations if not c["valid"]),
        "cited_sentences": len(claims), "unsupported_sentences": sum(1 for c in claims if c["missing"]),
        "errors": sum(1 for t in turns if t.get("error")),
    }
    metrics["k"] = max((r["k"] for r in retrieval), default=None)
    metrics["by_tag"] = by_tag(cases)
    return metrics


def by_tag(cases: list[dict]) -> dict:
    tags: dict[str, list[dict]] = {}
    for case in cases:
        for tag in case.get("tags") or ["untagged"]:
            tags.setdefault(tag, []).append(case)
    return {tag: {"cases": len(group), "passed": sum(1 for c in group if c["passed"]),
                  "pass_rate": round(sum(1 for c in group if c["passed"]) / len(group), 4)}
            for tag, group in sorted(tags.items())}


def parse_threshold(text: str) -> tuple[str, float]:
    """'answer_correctness=0.8' -> ('answer_correctness', 0.8); ValueError with the valid names otherwise."""
    name, sep, value = text.partition("=")
    name = name.strip().replace("-", "_").replace("@", "_at_")
    if not sep or name not in METRICS:
        raise ValueError(f"expected METRIC=VALUE with METRIC one of {', '.join(METRICS)}; got {text!r}")
    try:
        number = float(value.strip().rstrip("%")) / (100 if value.strip().endswith("%") else 1)
    except ValueError:
        raise ValueError(f"{text!r}: {value!r} is not a number") from None
    if not 0 <= number <= 1:
        raise ValueError(f"{text!r}: metrics run from 0 to 1")
    return name, number
