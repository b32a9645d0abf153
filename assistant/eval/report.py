"""Human reports of a run: a terminal table, Markdown, and one self-contained HTML page (inline CSS + SVG)."""
from __future__ import annotations

from html import escape

from ..reporting import md_cell as _cell
from ..reporting import md_row, md_table, pct
from .metrics import LABELS, LATENCY, METRICS


def label(name: str, k: int | None = None) -> str:
    text = LABELS.get(name, name)
    return text.replace("hit@k", f"hit@{k}") if k else text


def fmt(name: str, value) -> str:
    if value is None:
        return "n/a"
    if name in LATENCY:
        return f"{value:,.0f} ms"
    return pct(value)


def fmt_delta(name: str, delta) -> str:
    if delta is None:
        return ""
    if name in LATENCY:
        return f"{delta:+,.0f} ms"
    return f"{100 * delta:+.1f} pp"


def _rows(results: dict, comparison: dict | None) -> list[dict]:
    if comparison:
        return comparison["metrics"]
    return [{"name": n, "current": results["metrics"].get(n), "baseline": None, "delta": None, "regressed": False}
            for n in METRICS + LATENCY]


def _headline(results: dict) -> str:
    meta, counts = results["meta"], results["metrics"]["counts"]
    parts = [f"backend **{meta.get('backend')}** ({meta.get('model')})", f"top-k {meta.get('top_k')}",
             f"{counts['cases']} cases / {counts['turns']} answers", f"{meta.get('duration_s')} s"]
    if meta.get("git_commit"):
        parts.append(f"commit {meta['git_commit']}")
    return " · ".join(parts)


def _failing_turn(case: dict) -> dict:
    return next((t for t in case["turns"] if not t["passed"]), case["turns"][-1])


def _answer_line(case: dict, limit: int = 160) -> str:
    text = " ".join(_failing_turn(case)["answer"].split())
    return text if len(text) <= limit else text[:limit - 1] + "…"


def _rank(case: dict) -> str:
    ranks = [t["retrieval"] for t in case["turns"] if t["retrieval"]["target"]]
    if not ranks:
        return "–"
    return ", ".join(str(r["rank"]) if r["rank"] else "miss" for r in ranks)


def _ranks_text(ranks: list) -> str:
    return ",".join(str(r) if r else "miss" for r in ranks)


def _ratio_text(values) -> str:
    values = [v for v in values if v is not None]
    return pct(sum(values) / len(values), 0) if values else "–"


# ----- terminal -----
def terminal_summary(results: dict, comparison: dict | None = None, problems: list[str] | None = None) -> str:
    k = results["metrics"].get("k") or results["meta"].get("top_k")
    rows = _rows(results, comparison)
    lines = [f"{'Metric':<24}{'Value':>10}" + (f"{'Baseline':>11}{'Delta':>13}" if comparison else "")]
    lines.append("-" * len(lines[0]))
    for row in rows:
        line = f"{label(row['name'], k):<24}{fmt(row['name'], row['current']):>10}"
        if comparison:
            mark = "  ▼" if row["regressed"] else ""
            line += f"{fmt(row['name'], row['baseline']):>11}{fmt_delta(row['name'], row['delta']):>13}{mark}"
        lines.append(line)
    counts = results["metrics"]["counts"]
    lines.append("")
    lines.append(f"{counts['passed']}/{counts['cases']} cases passed ({counts['turns']} answers, "
                 f"{counts['citations']} citations, {counts['invalid_citations']} invalid).")
    failing = [c for c in results["cases"] if not c["passed"]]
    if failing:
        lines.append("Failing: " + ", ".join(c["id"] for c in failing))
    if comparison:
        for title, key in (("Regressed", "regressed"), ("Improved", "improved")):
            if not comparison[key]:
                lines.append(f"{title}: none")
            else:
                lines.append(f"{title} ({len(comparison[key])}):")
                lines += [f"  {c['id']}: " + ("; ".join(c["now"]) if key == "regressed" else
                                                  "was: " + "; ".join(c["before"])) for c in comparison[key]]
        for title, key in (("Retrieval worse", "retrieval_worse"), ("Retrieval better", "retrieval_better")):
            if comparison.get(key):
                lines.append(f"{title}: " + ", ".join(
                    f"{c['id']} {_ranks_text(c['before'])}->{_ranks_text(c['now'])}" for c in comparison[key]))
        for note in comparison["notes"]:
            lines.append(f"note: {note}")
    if problems is not None:
        lines.append("")
        lines.append(f"GATE: {gate_verdict(results, problems)}")
        lines += [f"  - {p}" for p in problems]
    return "\n".join(lines)


def gate_verdict(results: dict, problems: list[str]) -> str:
    """PASS only when a gate was applied: a baseline or thresholds (invalid citations fail regardless)."""
    if problems:
        return "FAIL"
    if (results.get("gate") or {}).get("applied") is False:
        return "none (no baseline or thresholds given; only quote validity was checked)"
    return "PASS"


# ----- Markdown -----
def to_markdown(results: dict, comparison: dict | None = None, problems: list[str] | None = None) -> str:
    k = results["metrics"].get("k") or results["meta"].get("top_k")
    out = [f"# Evaluation report: `{results['meta'].get('golden') or 'golden set'}`", "", _headline(results), ""]
    if problems is not None:
        out.append(f"**Gate: {gate_verdict(results, problems)}**")
        out += [f"- {_cell(p)}" for p in problems]
        out.append("")
    for notice in results["meta"].get("notices") or []:
        out.append(f"> note: {notice}")
    out += ["## Summary", ""]
    if comparison:
        base = comparison["baseline"]
        out += [f"Baseline: {base.get('backend')} run of {base.get('created')}"
                + (f" (commit {base['git_commit']})" if base.get("git_commit") else "") + ".", ""]
        out += md_table(["Metric", "Value", "Baseline", "Δ"], align="lrrr")
    else:
        out += md_table(["Metric", "Value"], align="lr")
    for row in _rows(results, comparison):
        cells = [label(row["name"], k), fmt(row["name"], row["current"])]
        if comparison:
            cells += [fmt(row["name"], row["baseline"]),
                      fmt_delta(row["name"], row["delta"]) + (" ▼" if row["regressed"] else "")]
        out.append(md_row(cells))
    counts = results["metrics"]["counts"]
    out += ["", f"{counts['passed']} of {counts['cases']} cases passed; {counts['answerable_turns']} answerable and "
            f"{counts['unanswerable_turns']} unanswerable questions; {counts['citations']} citations checked, "
            f"{counts['invalid_citations']} invalid; {counts['errors']} errors.", ""]
    if comparison:
        out += ["## Changes against the baseline", ""]
        for title, key, why in (("Regressed", "regressed", "now"), ("Improved", "improved", "before")):
            out.append(f"**{title} ({len(comparison[key])})**" + ("" if comparison[key] else ": none"))
            out.append("")
            out += [f"- `{c['id']}`: {_cell(c['question'])}: {'was: ' if why == 'before' else ''}"
                    f"{_cell('; '.join(c[why]))}" for c in comparison[key]]
            if comparison[key]:
                out.append("")
        for title, key in (("Retrieval got worse", "retrieval_worse"), ("Retrieval got better", "retrieval_better")):
            if comparison.get(key):
                out.append(f"**{title} ({len(comparison[key])})**: " + ", ".join(
                    f"`{c['id']}` {_ranks_text(c['before'])} → {_ranks_text(c['now'])}" for c in comparison[key]))
                out.append("")
        if comparison["added"]:
            out += [f"New cases: {', '.join(f'`{i}`' for i in comparison['added'])}", ""]
        if comparison["removed"]:
            out += [f"Removed cases: {', '.join(f'`{i}`' for i in comparison['removed'])}", ""]
        out += [f"> {n}" for n in comparison["notes"]]
        out.append("")
    failing = [c for c in results["cases"] if not c["passed"]]
    out += [f"## Failing cases ({len(failing)})", ""]
    if failing:
        out += md_table(["Case", "Why", "Question", "Answer"],
                        [[f"`{c['id']}`", _cell("; ".join(c["failures"])), _cell(_failing_turn(c)["question"]),
                          _cell(_answer_line(c))] for c in failing])
    else:
        out.append("None.")
    out += ["", "## By tag", ""]
    out += md_table(["Tag", "Cases", "Passed", "Pass rate"],
                    [[tag, s["cases"], s["passed"], pct(s["pass_rate"], 0)]
                     for tag, s in results["metrics"]["by_tag"].items()], align="lrrr")
    out += ["", "## All cases", ""]
    out += md_table(["Case", "Result", "Correct", "Retrieval rank", "Citations valid", "Claims supported", "Latency"],
                    align="llllrrr")
    for c in results["cases"]:
        correct = [t["correct"] for t in c["turns"] if t["correct"] is not None]
        score = "abstain ok" if not correct and c["passed"] else (f"{sum(correct)}/{len(correct)}" if correct else "–")
        out.append(
            f"| `{c['id']}` | {'pass' if c['passed'] else '**FAIL**'} | {score} | "
            f"{_rank(c)} | {_ratio_text(t['citation_validity'] for t in c['turns'])} | "
            f"{_ratio_text(t.get('claim_support') for t in c['turns'])} | {c['latency_ms']:,.0f} ms |")
    out.append("")
    return "\n".join(out)


# ----- HTML -----
_CSS = """
body{font:15px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;margin:0;color:#1d2330;background:#f6f7f9}
main{max-width:1100px;margin:0 auto;padding:24px}
h1{font-size:22px;margin:0 0 4px}h2{font-size:18px;margin:28px 0 10px}
.meta{color:#4b5565;margin-bottom:14px}
.gate{padding:10px 14px;border-radius:6px;margin:12px 0;font-weight:600}
.gate.pass{background:#e3f4e8;color:#17602f}.gate.fail{background:#fde6e6;color:#8a1c1c}.gate.none{background:#eef0f3;color:#39424e}
.gate ul{font-weight:400;margin:6px 0 0}
table{border-collapse:collapse;background:#fff;margin:6px 0 10px;min-width:420px}
th,td{border:1px solid #dde1e7;padding:5px 8px;text-align:left;vertical-align:top}
th{background:#eef1f5}td.num{text-align:right;white-space:nowrap}
.down{color:#b42318;font-weight:600}.up{color:#17602f;font-weight:600}
.ok{color:#17602f}.bad{color:#b42318;font-weight:600}
code{font:13px ui-monospace,SFMono-Regular,Menlo,monospace}
details{background:#fff;border:1px solid #dde1e7;border-radius:4px;margin:4px 0;padding:4px 10px}
summary{cursor:pointer}
.turn{border-top:1px solid #eef1f5;padding:6px 0}.q{font-weight:600}
blockquote{margin:4px 0 4px 12px;padding-left:8px;border-left:3px solid #c9d1dc;color:#333}
.chart{background:#fff;border:1px solid #dde1e7;border-radius:6px;padding:8px}
.note{color:#6b5d00;background:#fff8d6;padding:6px 10px;border-radius:4px}
"""


def _svg_chart(results: dict, comparison: dict | None, k) -> str:
    """Horizontal bars per metric: this run, and the baseline beside it when there is one."""
    rows = [r for r in _rows(results, comparison) if r["name"] in METRICS]
    left, bar_w, bar_h, gap = 190, 560, 14, 12
    per_row = bar_h * (2 if comparison else 1) + gap
    top = 28
    height = top + per_row * len(rows) + 24
    width = left + bar_w + 90
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" width="100%" viewBox="0 0 {width} {height}" role="img" '
             f'aria-label="Metrics of this run{" against the baseline" if comparison else ""}" '
             'font-family="system-ui,sans-serif" font-size="12">']
    for i in range(5):
        x = left + bar_w * i / 4
        parts.append(f'<line x1="{x:.1f}" y1="{top - 6}" x2="{x:.1f}" y2="{height - 22}" stroke="#e3e7ed"/>')
        parts.append(f'<text x="{x:.1f}" y="{height - 8}" text-anchor="middle" fill="#6b7280">{25 * i}%</text>')
    legend = [("#3b6fd8", "this run")] + ([("#b8c2d1", "baseline")] if comparison else []) + (
        [("#c0392b", "dropped")] if any(r["regressed"] for r in rows) else [])
    for j, (colour, name) in enumerate(legend):
        parts.append(f'<rect x="{left + 110 * j}" y="6" width="12" height="12" fill="{colour}"/>'
                     f'<text x="{left + 110 * j + 17}" y="16">{name}</text>')
    for i, row in enumerate(rows):
        y = top + i * per_row
        parts.append(f'<text x="{left - 8}" y="{y + bar_h - 3}" text-anchor="end">{escape(label(row["name"], k))}'
                     '</text>')
        bars = [("#3b6fd8", row["current"])] + ([("#b8c2d1", row["baseline"])] if comparison else [])
        for j, (colour, value) in enumerate(bars):
            by = y + j * bar_h
            if value is None:
                parts.append(f'<text x="{left + 4}" y="{by + bar_h - 3}" fill="#6b7280">n/a</text>')
                continue
            w = max(0.0, min(1.0, value)) * bar_w
            fill = "#c0392b" if (j == 0 and row["regressed"]) else colour
            parts.append(f'<rect x="{left}" y="{by}" width="{w:.1f}" height="{bar_h - 2}" fill="{fill}">'
                         f'<title>{escape(label(row["name"], k))}: {fmt(row["name"], value)}</title></rect>')
            parts.append(f'<text x="{left + w + 4:.1f}" y="{by + bar_h - 3}" fill="#1d2330">'
                         f'{fmt(row["name"], value)}</text>')
    parts.append("</svg>")
    return "".join(parts)


def _turn_html(turn: dict, index: int | None) -> str:
    e = escape
    out = ['<div class="turn">', f'<div class="q">{"Turn %d: " % index if index else ""}{e(turn["question"])}</div>']
    if turn["standalone_question"] and turn["standalone_question"] != turn["question"]:
        out.append(f'<div class="meta">searched as: {e(turn["standalone_question"])}</div>')
    state = "abstained" if turn["abstained"] else "answered"
    expected = "answerable" if turn["expected_answerable"] else "not answerable"
    out.append(f'<div>{state} ({expected}); {turn["latency_ms"]:,.0f} ms; backend {e(turn["backend"] or "?")}</div>')
    out.append(f'<blockquote>{e(turn["answer"])}</blockquote>')
    if turn["reference_answer"]:
        out.append(f'<div><b>Reference:</b> {e(turn["reference_answer"])}</div>')
    if turn["must_include"]:
        groups = [f'<span class="{"ok" if g["matched"] else "bad"}">{e(" | ".join(g["alternatives"]))}</span>'
                  for g in turn["must_include"]]
        out.append("<div><b>Must include:</b> " + "; ".join(groups) + "</div>")
    r = turn["retrieval"]
    if r["target"]:
        out.append(f'<div><b>Retrieval</b> (by {r["target"]}): '
                   f'{"rank %d" % r["rank"] if r["rank"] else "<span class=bad>not in top %d</span>" % r["k"]}</div>')
    for c in turn["citations"]:
        status = ('<span class="ok">verbatim</span>' if c["valid"]
                  else f'<span class="bad">{e(c["problem"] or "invalid")}</span>')
        out.append(f'<div>[{c["n"]}] <code>{e(c["doc_id"])}</code> {c["start"]}-{c["end"]} {status}'
                   f'<blockquote>{e(c["quote"])}</blockquote></div>')
    if turn["failures"]:
        out.append('<div class="bad">' + e("; ".join(turn["failures"])) + "</div>")
    out.append("</div>")
    return "".join(out)


def to_html(results: dict, comparison: dict | None = None, problems: list[str] | None = None) -> str:
    k = results["metrics"].get("k") or results["meta"].get("top_k")
    out = _html_top(results, problems)
    out += _html_summary(results, comparison, k)
    if comparison:
        out += _html_changes(comparison)
    out += _html_cases(results)
    out.append("</main></body></html>")
    return "\n".join(out)


def _html_top(results: dict, problems: list[str] | None) -> list[str]:
    """The page head, title, run line, the gate's verdict and the run's notices."""
    e = escape
    title = f"Evaluation report: {results['meta'].get('golden') or 'golden set'}"
    out = ["<!DOCTYPE html>", '<html lang="en"><head><meta charset="utf-8">',
           '<meta name="viewport" content="width=device-width, initial-scale=1">',
           f"<title>{e(title)}</title><style>{_CSS}</style></head><body><main>",
           f"<h1>{e(title)}</h1>",
           f'<div class="meta">{e(_headline(results).replace("**", ""))}; run {e(results["meta"].get("created") or "")}'
           "</div>"]
    if problems is not None:
        verdict = gate_verdict(results, problems)
        cls = "fail" if problems else ("pass" if verdict == "PASS" else "none")
        out.append(f'<div class="gate {cls}">Gate: {e(verdict)}')
        if problems:
            out.append("<ul>" + "".join(f"<li>{e(p)}</li>" for p in problems) + "</ul>")
        out.append("</div>")
    for notice in results["meta"].get("notices") or []:
        out.append(f'<p class="note">{e(notice)}</p>')
    return out


def _html_summary(results: dict, comparison: dict | None, k) -> list[str]:
    """The metrics table (against the baseline, if any), the counts and the chart."""
    e = escape
    out = ["<h2>Summary</h2>"]
    if comparison:
        base = comparison["baseline"]
        out.append(f'<p class="meta">Baseline: {e(str(base.get("backend")))} run of {e(str(base.get("created")))}'
                   + (f" (commit {e(base['git_commit'])})" if base.get("git_commit") else "") + "</p>")
    head = "<tr><th>Metric</th><th>Value</th>" + ("<th>Baseline</th><th>Δ</th>" if comparison else "") + "</tr>"
    body = []
    for row in _rows(results, comparison):
        cells = f'<td>{e(label(row["name"], k))}</td><td class="num">{fmt(row["name"], row["current"])}</td>'
        if comparison:
            cls = "down" if row["regressed"] else ("up" if (row["delta"] or 0) > 0 and row["name"] in METRICS
                                                   else "")
            cells += (f'<td class="num">{fmt(row["name"], row["baseline"])}</td>'
                      f'<td class="num {cls}">{e(fmt_delta(row["name"], row["delta"]))}'
                      f'{" ▼" if row["regressed"] else ""}</td>')
        body.append(f"<tr>{cells}</tr>")
    out.append(f"<table>{head}{''.join(body)}</table>")
    counts = results["metrics"]["counts"]
    out.append(f'<p>{counts["passed"]} of {counts["cases"]} cases passed; {counts["answerable_turns"]} answerable and '
               f'{counts["unanswerable_turns"]} unanswerable questions; {counts["citations"]} citations checked, '
               f'{counts["invalid_citations"]} invalid; {counts["errors"]} errors.</p>')
    out.append(f'<div class="chart">{_svg_chart(results, comparison, k)}</div>')
    return out


def _html_changes(comparison: dict) -> list[str]:
    """Cases that regressed or improved, retrieval that moved, cases added or removed."""
    e = escape
    out = ["<h2>Changes against the baseline</h2>"]
    for title_, key, why in (("Regressed", "regressed", "now"), ("Improved", "improved", "before")):
        items = comparison[key]
        out.append(f"<h3>{title_} ({len(items)})</h3>")
        if items:
            out.append("<ul>" + "".join(f"<li><code>{e(c['id'])}</code>: {e(c['question'])}: "
                                        f"<i>{'was: ' if why == 'before' else ''}{e('; '.join(c[why]))}</i></li>"
                                        for c in items) + "</ul>")
        else:
            out.append("<p>None.</p>")
    for title_, key in (("Retrieval got worse", "retrieval_worse"), ("Retrieval got better", "retrieval_better")):
        if comparison.get(key):
            out.append(f"<p><b>{title_} ({len(comparison[key])})</b>: " + ", ".join(
                f"<code>{e(c['id'])}</code> {_ranks_text(c['before'])} → {_ranks_text(c['now'])}"
                for c in comparison[key]) + "</p>")
    if comparison["added"]:
        out.append(f"<p>New cases: {e(', '.join(comparison['added']))}</p>")
    if comparison["removed"]:
        out.append(f"<p>Removed cases: {e(', '.join(comparison['removed']))}</p>")
    out += [f'<p class="note">{e(n)}</p>' for n in comparison["notes"]]
    return out


def _html_cases(results: dict) -> list[str]:
    """The failing cases, pass rates by tag, then every case."""
    e = escape
    failing = [c for c in results["cases"] if not c["passed"]]
    out = [f"<h2>Failing cases ({len(failing)})</h2>",
           "".join(_case_html(c) for c in failing) or "<p>None.</p>",
           "<h2>By tag</h2><table><tr><th>Tag</th><th>Cases</th><th>Passed</th><th>Pass rate</th></tr>"]
    out += [f'<tr><td>{e(t)}</td><td class="num">{s["cases"]}</td><td class="num">{s["passed"]}</td>'
            f'<td class="num">{100 * s["pass_rate"]:.0f}%</td></tr>' for t, s in results["metrics"]["by_tag"].items()]
    out.append("</table>")
    out.append("<h2>All cases</h2>")
    out.append("".join(_case_html(c) for c in results["cases"]))
    return out


def _case_html(case: dict) -> str:
    e = escape
    mark = '<span class="ok">pass</span>' if case["passed"] else '<span class="bad">FAIL</span>'
    summary = (f"{mark} <code>{e(case['id'])}</code> {e(case['question'])} "
               f"<span class=\"meta\">({case['latency_ms']:,.0f} ms; retrieval {e(_rank(case))})</span>")
    turns = "".join(_turn_html(t, i if case["multi_turn"] else None) for i, t in enumerate(case["turns"], start=1))
    return f"<details><summary>{summary}</summary>{turns}</details>"
