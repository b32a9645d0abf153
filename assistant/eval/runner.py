"""Run a golden set through the public engine API and score every turn.

One ChatSession per case; the turns of a multi-turn case are asked in that session and each is scored.
Citation validity is recomputed here from engine.document(), independent of the engine's own check.
"""
from __future__ import annotations

import hashlib
import platform
import subprocess
import time
from collections.abc import Callable
from pathlib import Path

from . import metrics as m
from .golden import Case, Turn

SCHEMA = "assistant-eval/1"
SNIPPET = 300


class DocumentCache:
    def __init__(self, engine):
        self.engine = engine
        self.texts: dict[str, str | None] = {}

    def __call__(self, doc_id: str) -> str | None:
        if doc_id not in self.texts:
            found = self.engine.document(doc_id)
            self.texts[doc_id] = found[1] if found else None
        return self.texts[doc_id]


def run_case(engine, case: Case, top_k: int | None = None, documents: DocumentCache | None = None) -> dict:
    documents = documents or DocumentCache(engine)
    k = top_k or engine.settings.top_k
    session = engine.session()
    turns = []
    for spec in case.turns:
        answer, error = None, None
        started = time.perf_counter()
        try:
            answer = session.ask(spec.question, top_k=k)
            if answer is None:
                error = "the engine returned no answer"
        except Exception as exc:  # one broken case must not stop the run
            error = f"{type(exc).__name__}: {exc}"
        latency = (time.perf_counter() - started) * 1e3
        turns.append(score_turn(spec, answer, latency, error, documents, k))
    failures = [f"turn {i}: {f}" if case.multi_turn else f
                for i, t in enumerate(turns, start=1) for f in t["failures"]]
    return {
        "id": case.id,
        "question": case.question,
        "tags": case.tags,
        "answerable": case.answerable,
        "multi_turn": case.multi_turn,
        "line": case.line,
        "passed": not failures,
        "failures": failures,
        "latency_ms": round(sum(t["latency_ms"] for t in turns), 1),
        "turns": turns,
    }


def score_turn(spec: Turn, answer, latency_ms: float, error: str | None,
               documents: Callable[[str], str | None], k: int) -> dict:
    passages = [p.to_json() for p in answer.passages] if answer is not None else []
    text = answer.text if answer is not None else ""
    abstained = bool(answer.abstained) if answer is not None else False

    citations = []
    for c in (answer.citations if answer is not None else []):
        problem = m.citation_problem(c.quote, c.start, c.end, documents(c.doc_id))
        citations.append({"n": c.n, "doc_id": c.doc_id, "title": c.title, "section": c.section, "start": c.start,
                          "end": c.end, "quote": c.quote, "valid": problem is None, "problem": problem})

    matched = m.match_groups(spec.must_include, text) if not abstained else [None] * len(spec.must_include)
    asked = (answer.standalone_question if answer is not None else "") or spec.question
    claims = m.claim_checks(text, citations, asked, spec.question) if not abstained else []

    target = ("quote" if spec.quote.strip() else "sources" if spec.sources else None) if spec.answerable else None
    rank = m.retrieval_rank(passages, spec.quote, spec.sources) if target else None
    retrieval = {"target": target, "k": k, "rank": rank,
                 "hit": (rank is not None and rank <= k) if target else None,
                 "rr": (1.0 / rank if rank else 0.0) if target else None}

    correct = (not abstained and error is None and all(a is not None for a in matched)) if spec.answerable else None
    failures = []
    if error:
        failures.append(f"error: {error}")
    elif spec.answerable and abstained:
        failures.append("abstained on an answerable question")
    elif spec.answerable and not correct:
        missing = [" | ".join(f'"{a}"' for a in g) for g, a in zip(spec.must_include, matched) if a is None]
        failures.append("missing " + "; ".join(missing))
    elif not spec.answerable and not abstained:
        failures.append("answered a question the sources do not cover")
    for c in citations:
        if not c["valid"]:
            failures.append(f"citation [{c['n']}] invalid: {c['problem']}")
    for claim in claims:
        if claim["missing"]:
            failures.append(f"cited sentence states what its quote does not ({', '.join(claim['missing'])})")

    return {
        "question": spec.question,
        "standalone_question": answer.standalone_question if answer is not None else "",
        "answer": text,
        "abstained": abstained,
        "expected_answerable": spec.answerable,
        "reference_answer": spec.answer,
        "must_include": [{"alternatives": g, "matched": a} for g, a in zip(spec.must_include, matched)],
        "correct": correct,
        "retrieval": retrieval,
        "citations": citations,
        "citation_validity": (sum(c["valid"] for c in citations) / len(citations)) if citations else None,
        "claims": claims,
        "claim_support": (sum(1 for c in claims if not c["missing"]) / len(claims)) if claims else None,
        "passages": [{**{k_: p[k_] for k_ in ("n", "doc_id", "start", "end", "score", "similarity")},
                      "snippet": p["text"][:SNIPPET]} for p in passages],
        "backend": answer.backend if answer is not None else "",
        "model": answer.model if answer is not None else "",
        "notices": list(answer.notices) if answer is not None else [],
        "latency_ms": round(latency_ms, 1),
        "engine_ms": round(answer.timings_ms.get("total", 0.0), 1) if answer is not None else None,
        "error": error,
        "passed": not failures,
        "failures": failures,
    }


def run_golden(cases: list[Case], engine, top_k: int | None = None, golden_path: str | Path | None = None,
               progress: Callable[[int, int, dict], None] | None = None) -> dict:
    """Run every case; returns the results document written to results.json."""
    warm_up_s = engine.warm_up()  # model load and corpus prompt: once, not in the first case's latency
    documents = DocumentCache(engine)
    started = time.time()
    results = []
    for i, case in enumerate(cases, start=1):
        results.append(run_case(engine, case, top_k=top_k, documents=documents))
        if progress:
            progress(i, len(cases), results[-1])
    backends = sorted({t["backend"] for c in results for t in c["turns"] if t["backend"]})
    return {
        "schema": SCHEMA,
        "meta": {
            "created": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(started)),
            "duration_s": round(time.time() - started, 1),
            "warm_up_s": round(warm_up_s, 1),
            "golden": str(golden_path) if golden_path else None,
            "golden_sha256": _sha256(golden_path),
            "backend_requested": engine.settings.backend,
            "backend": engine.backend_name,
            "backends_used": backends,
            "model": engine.model_name,
            "top_k": top_k or engine.settings.top_k,
            "documents": [d.doc_id for d in engine.documents()],
            "notices": list(engine.notices),
            "git_commit": _git_commit(),
            "python": platform.python_version(),
        },
        "metrics": m.aggregate(results),
        "cases": results,
    }


def _sha256(path) -> str | None:
    try:
        return hashlib.sha256(Path(path).read_bytes()).hexdigest() if path else None
    except OSError:
        return None


def _git_commit() -> str | None:
    try:
        out = subprocess.run(["git", "rev-parse", "--short", "HEAD"], capture_output=True, text=True, timeout=5,
                             cwd=Path(__file__).resolve().parent)
        return out.stdout.strip() or None
    except (OSError, subprocess.SubprocessError):
        return None
