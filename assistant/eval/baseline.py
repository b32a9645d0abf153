"""Baseline diffs and the CI gate: what got better, what broke, and whether to fail the build."""
from __future__ import annotations

import json
from pathlib import Path

from .metrics import LATENCY, METRICS

TOLERANCE = 0.02


class BaselineError(ValueError):
    pass


def load_results(path: str | Path) -> dict:
    path = Path(path)
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise BaselineError(f"{path}: file not found") from None
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise BaselineError(f"{path}: not a results.json file ({exc})") from None
    if not isinstance(data, dict) or not isinstance(data.get("cases"), list) or "metrics" not in data:
        raise BaselineError(f"{path}: not a results.json file (no 'cases' and 'metrics')")
    return data


def compare(current: dict, baseline: dict, tolerance: float = TOLERANCE) -> dict:
    now = {c["id"]: c for c in current["cases"]}
    before = {c["id"]: c for c in baseline["cases"]}
    common = [i for i in now if i in before]
    regressed = [_change(now[i], before[i]) for i in common if before[i]["passed"] and not now[i]["passed"]]
    improved = [_change(now[i], before[i]) for i in common if not before[i]["passed"] and now[i]["passed"]]
    worse, better = [], []
    for i in common:
        ranks_now, ranks_before = _ranks(now[i]), _ranks(before[i])
        if len(ranks_now) != len(ranks_before) or ranks_now == ranks_before:
            continue
        pairs = list(zip(ranks_before, ranks_now))
        change = {"id": i, "before": ranks_before, "now": ranks_now}
        if any(_rank_key(b) < _rank_key(n) for b, n in pairs):
            worse.append(change)
        elif any(_rank_key(b) > _rank_key(n) for b, n in pairs):
            better.append(change)
    rows = []
    for name in METRICS + LATENCY:
        cur, base = current["metrics"].get(name), baseline["metrics"].get(name)
        delta = round(cur - base, 4) if cur is not None and base is not None else None
        dropped = name in METRICS and delta is not None and delta < -tolerance
        rows.append({"name": name, "current": cur, "baseline": base, "delta": delta, "regressed": dropped})
    meta = baseline.get("meta", {})
    notes = []
    if meta.get("golden_sha256") and meta.get("golden_sha256") != current.get("meta", {}).get("golden_sha256"):
        notes.append("The golden set changed since the baseline; cases are matched by id.")
    if meta.get("backend") and meta.get("backend") != current.get("meta", {}).get("backend"):
        notes.append(f"The baseline used the {meta.get('backend')} backend, this run "
                     f"{current.get('meta', {}).get('backend')}.")
    return {
        "baseline": {k: meta.get(k) for k in ("created", "backend", "model", "git_commit", "golden")},
        "tolerance": tolerance,
        "regressed": regressed,
        "improved": improved,
        "retrieval_worse": worse,
        "retrieval_better": better,
        "added": [i for i in now if i not in before],
        "removed": [i for i in before if i not in now],
        "metrics": rows,
        "notes": notes,
        "regression": bool(regressed) or any(r["regressed"] for r in rows),
    }


def _ranks(case: dict) -> list:
    """Retrieval rank per scored turn (None: not retrieved)."""
    return [t["retrieval"]["rank"] for t in case.get("turns", []) if t.get("retrieval", {}).get("target")]


def _rank_key(rank) -> float:
    return float("inf") if rank is None else rank


def _change(now: dict, before: dict) -> dict:
    return {"id": now["id"], "question": now.get("question", ""), "now": now["failures"],
            "before": before.get("failures", [])}


def gate(current: dict, comparison: dict | None = None, fail_under: dict[str, float] | None = None) -> list[str]:
    """Reasons to fail the build (empty: pass). Invalid citations always fail."""
    problems = []
    metrics = current["metrics"]
    validity = metrics.get("citation_validity")
    if validity is not None and validity < 1.0:
        bad = metrics.get("counts", {}).get("invalid_citations")
        problems.append(f"citation_validity {validity:.4f} < 1.0: {bad} quote(s) not verbatim in their source")
    for name, floor in (fail_under or {}).items():
        value = metrics.get(name)
        if value is None:
            problems.append(f"{name} was not measured (fail-under {floor:g})")
        elif value < floor:
            problems.append(f"{name} {value:.4f} < fail-under {floor:g}")
    if comparison:
        for case in comparison["regressed"]:
            problems.append(f"regressed case {case['id']}: {'; '.join(case['now']) or 'failed'}")
        for row in comparison["metrics"]:
            if row["regressed"]:
                problems.append(f"{row['name']} dropped {row['baseline']:.4f} -> {row['current']:.4f} "
                                f"(more than {comparison['tolerance']:g})")
    return problems
