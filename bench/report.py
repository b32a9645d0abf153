"""The issue's targets, ours-vs-baseline ratios and the Markdown report, from the results dict."""
from __future__ import annotations

import json
from pathlib import Path

from assistant.reporting import md_table, ratio

BASELINES = ("default", "tuned")
NOT_MEASURED = "not measured in this run"


def _get(d, *keys):
    for key in keys:
        if not isinstance(d, dict) or key not in d:
            return None
        d = d[key]
    return d


def _fmt(value, unit: str = "") -> str:
    if value is None:
        return "n/a"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float):
        text = f"{value:,.3f}" if abs(value) < 10 else f"{value:,.1f}" if abs(value) < 1000 else f"{value:,.0f}"
        text = text.rstrip("0").rstrip(".") if "." in text else text
    else:
        text = f"{value:,}" if isinstance(value, int) else str(value)
    return text + unit


def _fmt_ratio(r) -> str:
    if r is None:
        return "n/a"
    if r == float("inf"):
        return "∞ (baseline 0)"
    return f"{r:.2f}×"


def under_load(foreign: dict | None) -> bool | None:
    """Other processes took a noticeable share of the CPU while a figure was measured; None: not recorded."""
    if not foreign:
        return None
    return foreign["mean_share"] > 0.10 or foreign["max_share"] > 0.5


def _load_cell(foreign: dict | None) -> str:
    flag = under_load(foreign)
    if flag is None:
        return "—"
    share = f"other CPU mean {foreign['mean_share']:.0%}, max {foreign['max_share']:.0%}"  # type: ignore[index]
    return f"⚠ under load ({share})" if flag else f"quiet ({share})"


def comparison(q: dict) -> list[dict]:
    """One scenario: ours vs. each llama-index recipe, with ours / baseline ratios."""
    ex, loc = q.get("extractive") or {}, q.get("local") or {}
    pipes = loc.get("pipelines") or {}
    rows = []

    def add(metric, ours, bases: dict, better="higher", note=""):
        rows.append({"metric": metric, "ours": ours, "better": better, "note": note,
                     **{name: bases.get(name) for name in BASELINES},
                     **{f"ratio_{name}": ratio(ours, bases.get(name)) for name in BASELINES}})

    def each(*keys):
        return {name: _get(q, *[k.format(name=name) for k in keys]) for name in BASELINES}

    add("hit@5 (gold quote in top-5 passages)", _get(q, "retrieval", "ours", "hit_at_k"),
        each("retrieval", "baseline_{name}", "hit_at_k"))
    add("MRR (k=5)", _get(q, "retrieval", "ours", "mrr"), each("retrieval", "baseline_{name}", "mrr"))
    add("answer correctness, extractive vs. top chunk", _get(ex, "ours", "answer_correctness"),
        each("extractive", "baseline_{name}", "answer_correctness"),
        note="a raw chunk passes must_include easily; the local-LLM rows are like for like")
    add("abstention accuracy, extractive vs. top chunk", _get(ex, "ours", "abstention_accuracy"),
        each("extractive", "baseline_{name}", "abstention_accuracy"), note="a top chunk never abstains")
    add("retrieval latency p95 (ms)", _get(q, "retrieval_latency", "ours", "p95_ms"),
        each("retrieval_latency", "baseline_{name}", "p95_ms"), "lower")
    add("extractive end to end p95 (ms)", _get(ex, "ours_e2e_latency", "p95_ms"),
        each("extractive", "baseline_{name}_e2e_latency", "p95_ms"), "lower", "the baselines do no answering work")
    if loc.get("available"):
        def local(*keys):
            return {name: _get(pipes, name, *keys) for name in BASELINES}

        n = len(loc.get("cases_ids", []))
        add("answer correctness, same local LLM", _get(pipes, "ours", "metrics", "answer_correctness"),
            local("metrics", "answer_correctness"), note=f"{n} single-turn cases, the harness's scorer")
        add("abstention accuracy, same local LLM", _get(pipes, "ours", "metrics", "abstention_accuracy"),
            local("metrics", "abstention_accuracy"), note="baseline refusals by our own abstention rule")
        add("answers with a verified quote, same local LLM",
            _get(pipes, "ours", "metrics", "quotes", "share_answers_with_verified_quote"),
            local("metrics", "quotes", "share_answers_with_verified_quote"),
            note="baseline: quoted spans in its text found verbatim in the sources")
        for label, key in (("time to first token", "ttft"), ("full answer", "full_answer")):
            for p in ("p50_ms", "p95_ms"):
                add(f"{label} {p[:3]} (ms), local LLM", _get(pipes, "ours", key, p), local(key, p), "lower")
        add("index ready (s)", _get(pipes, "ours", "index_s"), local("index_s"), "lower",
            "ours: built once and reopened from disk at every start; the baselines keep none and build at every "
            "start")
        add("model ready (s), local LLM", _get(pipes, "ours", "model_ready_s"), local("model_ready_s"), "lower",
            "the model load, shared; ours also restores (or reads once) its fixed prompts, and embeds the corpus's "
            "sentences once (saved beside the index, restored at later starts)")
        add("warm-up question (s), local LLM", _get(pipes, "ours", "warm_up_s"), local("warm_up_s"), "lower",
            "one untimed question each before its timed cases")
    return rows


def _scenario_row(results: dict, scenario: str) -> dict | None:
    return _get(results, "quality", scenario)


def targets(results: dict) -> list[dict]:
    """The issue's targets, each measured, met or not, or not measured in this run (and why)."""
    sections = results.get("meta", {}).get("sections") or []
    ing, load = results.get("ingest") or {}, results.get("load") or {}
    section_cpu = results.get("section_foreign_cpu") or {}
    rows = []

    def add(name, goal, value, limit, unit, foreign=None, note="", why=NOT_MEASURED, at_least=False):
        if value is None:
            rows.append({"target": name, "goal": goal, "measured": why, "met": None, "load": None, "note": note})
            return
        met = value >= limit if at_least else value <= limit
        rows.append({"target": name, "goal": goal, "measured": _fmt(value, unit), "met": met, "load": foreign,
                     "note": note})

    done = results.get("section_seconds") or {}

    def missing(section: str, detail: str) -> str:
        if section not in sections:
            return f"{NOT_MEASURED} (section {section} not run)"
        return f"{NOT_MEASURED} ({detail if section in done else f'section {section} not finished'})"

    for scenario, label, ttft_goal in (("bundled", "report + related", 2500), ("corpus", "256 profiles", 3000)):
        q = _scenario_row(results, scenario)
        loc = (q or {}).get("local") or {}
        ours = _get(loc, "pipelines", "ours") or {}
        why = missing("quality", ("no corpus scenario: --corpus DIR --index DIR" if scenario == "corpus"
                                  else "no bundled scenario") if not q else
                      "local model skipped or unavailable" if not loc.get("available") else "")
        size = (f"{_fmt(q.get('documents'))} documents, {_fmt(q.get('ours_chunks'))} chunks; " if q else "")
        cases = f"{len(loc.get('cases_ids', []))} cases" if loc.get("available") else ""
        add(f"{label}: time to first token p95", f"<= {ttft_goal / 1000:g} s", _get(ours, "ttft", "p95_ms"),
            ttft_goal, " ms", loc.get("foreign_cpu"), size + cases, why)
        if scenario == "bundled":
            add(f"{label}: full answer p50", "<= 4 s", _get(ours, "full_answer", "p50_ms"), 4000, " ms",
                loc.get("foreign_cpu"), size + cases, why)
            correct = _get(ours, "metrics", "answer_correctness")
            rows.append({"target": f"{label}: no loss on the golden test split", "goal": "no loss",
                         "measured": why if correct is None else f"correctness {_fmt(correct)} on {cases}",
                         "met": None, "load": loc.get("foreign_cpu"),
                         "note": "not judged here: compare with a reference run of the eval harness "
                                 "(`assistant eval eval/golden-test.jsonl --backend local --baseline ...`)"})
        else:
            why = missing("quality", "no corpus scenario: --corpus DIR --index DIR")
            add(f"{label}: hybrid retrieval p95", "<= 50 ms", _get(q, "retrieval_latency", "ours", "p95_ms"), 50,
                " ms", (q or {}).get("foreign_cpu"), size.rstrip("; "), why)
            add(f"{label}: extractive answer p95", "<= 300 ms", _get(q, "extractive", "ours_e2e_latency", "p95_ms"),
                300, " ms", (q or {}).get("foreign_cpu"), size.rstrip("; "), why)
    started = [(b, r) for b, r in load.items() if r.get("index_existed") and "start_to_first_answer_s" in r]
    chosen = dict(started).get("local") and ("local", dict(started)["local"]) or (started[0] if started else None)
    add("app start to first answer, nothing changed", "<= 10 s",
        chosen[1]["start_to_first_answer_s"] if chosen else None, 10, " s", section_cpu.get("load"),
        f"{chosen[0]} backend: server up {_fmt(chosen[1]['startup_s'])} s + first answer "
        f"{_fmt(chosen[1]['first_answer_s'])} s" if chosen else "",
        missing("load", "no app started on an existing index"))
    large = ing.get("large") or {}
    gen = f"generated corpus of {_fmt(large.get('chunks'))} chunks, not the 256 profiles" if large else ""
    add("one changed file: re-ingest", "<= 5 s", large.get("reingest_one_changed_s"), 5, " s",
        section_cpu.get("ingest"), gen, missing("ingest", "no large corpus: --large-chunks 0"))
    add("ingest throughput", ">= 40 chunks/s", large.get("chunks_per_s"), 40, " chunks/s", section_cpu.get("ingest"),
        gen, missing("ingest", "no large corpus: --large-chunks 0"), at_least=True)
    shown = invalid = 0
    measured_quotes = False
    for q in (results.get("quality") or {}).values():
        for s in (_get(q, "extractive", "ours"), _get(q, "extractive", "ours_multi_turn"),
                  _get(q, "local", "pipelines", "ours", "metrics")):
            if s:
                measured_quotes = True
                shown += _get(s, "quotes", "unverified_quotes_shown") or 0
                invalid += _get(s, "counts", "invalid_citations") or 0
    rows.append({"target": "never shows an unverified quote", "goal": "0",
                 "measured": f"{shown} unverified quotes, {invalid} invalid citations" if measured_quotes
                 else missing("quality", ""), "met": (shown == 0 and invalid == 0) if measured_quotes else None,
                 "load": None, "note": "every citation re-checked against the source text by the eval harness"})
    for backend, row in load.items():
        errors = row.get("errors")
        rows.append({"target": f"load test errors ({backend})", "goal": "0",
                     "measured": _fmt(errors) if "error" not in row else row["error"],
                     "met": errors == 0 if "error" not in row else False, "load": section_cpu.get("load"),
                     "note": ""})
    return rows


def _met(value) -> str:
    return {True: "✅ met", False: "❌ not met", None: "—"}[value]


def _foreign_line(results: dict) -> str:
    """How much CPU other processes took during the run: the honest measure of a shared machine."""
    whole = results["meta"].get("foreign_cpu") or {}
    if not whole:
        return "Other processes' CPU use was not measured (no /proc)."
    per = ", ".join(f"{k} {v['mean_share']:.0%} (max {v['max_share']:.0%})"
                    for k, v in (results.get("section_foreign_cpu") or {}).items() if v)
    line = (f"CPU used by other processes during the run (all busy time, hypervisor steal included, minus the "
            f"benchmark's own process tree; 5 s windows): mean {whole['mean_share']:.0%} of the cores, max "
            f"{whole['max_share']:.0%}" + (f"; per section: {per}" if per else "") + ".")
    if under_load(whole):
        line += (" **The machine was shared with other work during this run; latencies are inflated by it "
                 "(figures measured under load are flagged ⚠).**")
    else:
        line += " The machine was otherwise quiet; a load average near the core count is the benchmark itself."
    return line


def _cell(text, width: int = 110) -> str:
    text = " ".join(str(text or "").split())
    return text[:width] + "…" if len(text) > width else text


def _quality_lines(name: str, q: dict) -> list[str]:
    sc = q.get("scenario") or {}
    ex, loc = q.get("extractive") or {}, q.get("local") or {}
    recipes = q.get("recipes") or {}
    lines = [f"## Ours vs. llama-index: {sc.get('label', name)}", "",
             f"Scenario `{name}`: corpus {sc.get('corpus')} ({_fmt(q.get('documents'))} documents, ours "
             f"{_fmt(q.get('ours_chunks'))} chunks, index {'opened' if sc.get('index_given') else 'built'} in "
             f"{_fmt(q.get('ours_index_s'))} s); golden set {sc.get('golden')}: "
             f"{_get(ex, 'ours', 'counts', 'cases')} single-turn cases "
             f"({_get(ex, 'ours', 'counts', 'answerable_turns')} answerable, "
             f"{_get(ex, 'ours', 'counts', 'unanswerable_turns')} unanswerable). "
             f"{_load_cell(q.get('foreign_cpu'))}.", ""]
    for rname, recipe in recipes.items():
        built = _get(q, "baselines", rname) or {}
        lines.append(f"- llama-index {rname}: SentenceSplitter(chunk_size={recipe['chunk_size']}, chunk_overlap="
                     f"{recipe['chunk_overlap']}" + (", the embedder's word pieces" if recipe["our_tokenizer"] else
                                                     ", tiktoken tokens") + f"), top-k {recipe['top_k']}, "
                     + (f"retrieved text cut to {recipe['context_chars']} characters" if recipe["context_chars"]
                        else "retrieved chunks whole") + ", default QA prompt, same Chroma and MiniLM; "
                     f"{_fmt(built.get('chunks'))} chunks, built in {_fmt(built.get('build_s'))} s.")
    lines += ["", "Ratios are ours / baseline.", ""]
    rows = comparison(q)
    lines += md_table(["Metric", "Ours", "Default", "Ours/default", "Tuned", "Ours/tuned", "Better", "Note"],
                      [[r["metric"], _fmt(r["ours"]), _fmt(r["default"]), _fmt_ratio(r["ratio_default"]),
                        _fmt(r["tuned"]), _fmt_ratio(r["ratio_tuned"]), r["better"], r["note"]] for r in rows])
    ctx = q.get("context_chars") or {}
    lines += ["", f"- Retrieved text per question: ours ~{_fmt(ctx.get('ours_mean'))} chars (top-5 passages, of which "
              "the LLM reads the best sentences within its budget), default ~"
              f"{_fmt(ctx.get('baseline_default_mean'))}, tuned ~{_fmt(ctx.get('baseline_tuned_mean'))} (before its "
              f"cut); corpus {_fmt(ctx.get('corpus_chars'))} chars.",
              f"- Multi-turn follow-ups (each baseline turn asked alone: no chat memory): answer correctness ours "
              f"{_fmt(_get(ex, 'ours_multi_turn', 'answer_correctness'))}, default "
              f"{_fmt(_get(ex, 'baseline_default_multi_turn', 'answer_correctness'))}, tuned "
              f"{_fmt(_get(ex, 'baseline_tuned_multi_turn', 'answer_correctness'))}.", ""]
    if loc.get("available"):
        lines += _local_lines(loc)
    elif "local" in q:
        lines += [f"- Local model comparison not run: {loc.get('notices')}", ""]
    return lines


def _local_lines(loc: dict) -> list[str]:
    pipes = loc.get("pipelines") or {}
    lines = [f"### Same local model, {len(loc.get('cases_ids', []))} golden cases", "",
             f"{loc.get('model')}, loaded once ({_fmt(loc.get('load_s'))} s) and shared, max_tokens "
             f"{loc.get('max_tokens')}, temperature 0. Each pipeline first answers one warm-up question "
             f"({loc.get('warm_up_question')!r}, untimed), then all its cases in a row, as one app would. Time to "
             "first token: ours to the first text the user sees, a draft's first token (after retrieval; the engine "
             "holds back a possible NOT_IN_SOURCES sentinel) or the final answer when no draft is shown, every case "
             "counted; the baselines to their first non-empty delta. Refusals of every "
             f"pipeline by the same rule (pipeline.ground.declines). {_load_cell(loc.get('foreign_cpu'))}.", ""]
    head = ["Pipeline", "Prompt", "Index ready (s)", "Model ready (s)", "Warm-up (s)", "TTFT p50 / p95 (ms)",
            "Full answer p50 / p95 (ms)", "Correct", "Abstained: answerable / unanswerable"]
    body = []
    for name, p in pipes.items():
        a = p.get("abstentions") or {}
        body.append([name, p.get("prompt"), _fmt(p.get("index_s")), _fmt(p.get("model_ready_s")),
                     _fmt(p.get("warm_up_s")),
                     f"{_fmt(_get(p, 'ttft', 'p50_ms'))} / {_fmt(_get(p, 'ttft', 'p95_ms'))}",
                     f"{_fmt(_get(p, 'full_answer', 'p50_ms'))} / {_fmt(_get(p, 'full_answer', 'p95_ms'))}",
                     _fmt(_get(p, "metrics", "answer_correctness")),
                     f"{a.get('on_answerable')} / {a.get('on_unanswerable')} of {a.get('unanswerable')}"])
    lines += md_table(head, body) + [""]
    if loc.get("rows"):
        names = list(pipes)
        lines += ["Case by case (verdict, TTFT ms):", ""]
        lines += md_table(["Case"] + names + [f"{n} said" for n in names],
                          [[r["id"]] + [f"{r[n]['verdict']}, {_fmt(r[n]['ttft_ms'])}" for n in names]
                           + [_cell(r[n]["said"], 80) for n in names] for r in loc["rows"]])
        lines.append("")
    return lines


def markdown(results: dict) -> str:
    meta = results["meta"]
    m = meta.get("machine", {})
    lines = [
        "# Benchmark report",
        "",
        f"Command: `{meta['command']}` · started {meta['started']} · took {_fmt(meta.get('duration_s'))} s · "
        f"git {m.get('git_commit') or 'n/a'}",
        "",
        f"Machine: {m.get('cpus')} CPU cores ({m.get('cpu', 'unknown CPU')}), {m.get('memory_gib')} GiB, no GPU; "
        f"Python {m.get('python')}; " + ", ".join(f"{k} {v}" for k, v in (m.get("versions") or {}).items() if v) + ".",
        f"Load average (1/5/15 min) at start {meta.get('loadavg_start')}, at end {meta.get('loadavg_end')}"
        + (", highest 1-minute value per section: " + ", ".join(
            f"{k} {v[0]}" for k, v in results["section_loadavg_max"].items())
           if results.get("section_loadavg_max") else "")
        + (f"; waited {meta['waited_for_quiet_s']} s for a quiet machine first" if meta.get("waited_for_quiet_s")
           else "") + ".",
        _foreign_line(results),
        "",
    ]
    rows = results.get("targets") or []
    if rows:
        lines += ["## Targets", "", "Issue 13's targets (2 cores, the packaged Qwen2.5-Coder-1.5B Q4_K_M). "
                  "Figures taken while other processes used the CPU are flagged ⚠ under load.", ""]
        lines += md_table(["Target", "Goal", "Measured", "Result", "Machine", "Note"],
                          [[r["target"], r["goal"], r["measured"], _met(r["met"]), _load_cell(r["load"]), r["note"]]
                           for r in rows])
        lines.append("")
    for name, q in (results.get("quality") or {}).items():
        lines += _quality_lines(name, q)
    ing = results.get("ingest") or {}
    if ing:
        lines += ["## Ingest", ""]
        lines += md_table(["Corpus", "Docs", "Chunks", "Wall (s)", "Chunks/s", "Embedding (chunks/s)",
                           "Index on disk (MB)", "Peak RSS (MB)", "Re-ingest unchanged (s)",
                           "Re-ingest, 1 file changed (s)"])
        for name in ("bundled", "large"):
            r = ing.get(name)
            if r:
                lines.append(f"| {name} | {_fmt(r.get('documents'))} | {_fmt(r.get('chunks'))} | "
                             f"{_fmt(r.get('wall_s'))} | {_fmt(r.get('chunks_per_s'))} | "
                             f"{_fmt(r.get('embed_chunks_per_s'))} | "
                             f"{_fmt(r.get('index_size_mb'))} | {_fmt(r.get('peak_rss_mb'))} | "
                             f"{_fmt(r.get('reingest_unchanged_s'))} | {_fmt(r.get('reingest_one_changed_s'))} |")
        large = ing.get("large")
        lines.append("")
        if large:
            g = large.get("generated", {})
            lines.append(f"- Large corpus: {_fmt(g.get('documents'))} files ({_fmt(g.get('megabytes'))} MB) generated "
                         "from the bundled report's real text (paragraphs and sentences shuffled, country names "
                         "swapped, numbers shifted, record ids added), target ≥ "
                         f"{_fmt(large.get('target_chunks'))} chunks. Wall time splits into reading+chunking "
                         f"{_fmt(large.get('read_and_chunk_s'))} s, embedding {_fmt(large.get('embed_s'))} s, "
                         f"writing files + Chroma {_fmt(large.get('store_s'))} s: ingest is embedding bound "
                         "(all-MiniLM-L6-v2 on the CPU).")
        lines.append("- Peak RSS is the ingesting process's high-water mark, including the embedder "
                     f"(~{_fmt(_get(ing, 'bundled', 'rss_after_embedder_load_mb'))} MB once loaded). A changed file "
                     "re-embeds only that file but rewrites the Chroma collection from the stored vectors.")
        lines.append("")
    scale = results.get("scale") or {}
    if scale.get("sizes"):
        lines += ["## Scale curve: hybrid retrieval latency", "",
                  f"{scale['queries']} golden-set questions × {scale['rounds']} round(s), top-5, after warm-up. "
                  f"Synthetic chunks: varied paragraphs of the report; vectors are real embeddings of "
                  f"{scale['pool']} of them, reused beyond that with Gaussian noise (σ={scale['sigma']}) and "
                  "renormalised. Same Index/HybridRetriever code as the app.", ""]
        lines += md_table(["Chunks", "Chroma", "p50 (ms)", "p95 (ms)", "dense p95", "BM25 p95", "query embed p95",
                           "fuse p95", "Insert (chunks/s)", "Open index (s)", "Disk (MB)"])
        for n in scale["sizes"]:
            for mode in ("embedded", "server"):
                r = _get(scale, mode, str(n))
                if not r:
                    continue
                p = r.get("parts_p95_ms", {})
                lines.append(f"| {n:,} | {mode} | {_fmt(_get(r, 'hybrid', 'p50_ms'))} | "
                             f"{_fmt(_get(r, 'hybrid', 'p95_ms'))} | {_fmt(p.get('dense'))} | {_fmt(p.get('bm25'))} | "
                             f"{_fmt(p.get('embed_query'))} | {_fmt(p.get('fuse'))} | "
                             f"{_fmt(r.get('insert_chunks_per_s'))} | {_fmt(r.get('open_s'))} | "
                             f"{_fmt(r.get('index_size_mb'))} |")
        lines += ["", scale_advice(scale), ""]
    load = results.get("load") or {}
    if load:
        lines += ["## Load: concurrent chat users against the Gradio app", "",
                  "`python ui.py` in a subprocess; each simulated user has its own gradio_client session and asks "
                  "golden-set questions through the `ask` API back to back; in-flight requests finish after the "
                  "deadline.", ""]
        lines += md_table(["Backend", "Start to first answer (s)", "Users", "Duration (s)", "Completed", "Requests/s",
                           "p50 (ms)", "p95 (ms)", "Errors", "Server peak RSS (MB)"])
        for backend, r in load.items():
            if "error" in r:
                lines.append(f"| {backend} | — | — | — | — | — | — | — | run failed: {r['error']} | — |")
                continue
            start = (f"{_fmt(r.get('start_to_first_answer_s'))} (up {_fmt(r.get('startup_s'))} + first answer "
                     f"{_fmt(r.get('first_answer_s'))}; index {'reused' if r.get('index_existed') else 'built'})")
            lines.append(f"| {backend} | {start} | {r['users']} | {_fmt(r['elapsed_s'])} | {r['completed']} | "
                         f"{_fmt(r['requests_per_s'])} | {_fmt(_get(r, 'latency', 'p50_ms'))} | "
                         f"{_fmt(_get(r, 'latency', 'p95_ms'))} | {r['errors']} | "
                         f"{_fmt(r.get('server_peak_rss_mb'))} |")
        lines += ["", "- Answers run one at a time per app (settings.concurrency_limit, default 1; the embedder and "
                  "the local model each take a lock), so throughput is one answer's cost and latency grows with "
                  "the number of users waiting in the queue.", ""]
    notes = results.get("notes") or []
    if notes:
        lines += ["## Notes", ""] + [f"- {n}" for n in notes] + [""]
    return "\n".join(lines)


def scale_advice(scale: dict) -> str:
    rows = []
    for n in scale.get("sizes", []):
        e, s = _get(scale, "embedded", str(n), "hybrid", "p95_ms"), _get(scale, "server", str(n), "hybrid", "p95_ms")
        ed, sd = (_get(scale, "embedded", str(n), "parts_p50_ms", "dense"),
                  _get(scale, "server", str(n), "parts_p50_ms", "dense"))
        if e is not None and s is not None:
            rows.append((n, e, s, ed, sd))
    if not rows:
        return ""
    text = "Embedded vs. server: " + "; ".join(
        f"{n:,} chunks: p95 {e:.0f} vs. {s:.0f} ms (dense search p50 {_fmt(ed)} vs. {_fmt(sd)} ms)"
        for n, e, s, ed, sd in rows) + ". "
    biggest = str(rows[-1][0])
    parts = _get(scale, "embedded", biggest, "parts_p95_ms") or {}
    if parts:
        worst = max(parts, key=lambda k: parts[k] or 0)
        text += (f"At {rows[-1][0]:,} chunks the largest part of a query is {worst} (p95 {_fmt(parts[worst])} ms). ")
    text += ("A server on the same machine adds an HTTP hop and serialisation to every dense search and cannot "
             "make it faster; move to it when several app processes or machines must share one index, or the "
             "index must outlive the app process, not for latency. BM25 and the chunk table stay in the app's "
             "memory in both modes, so app memory and start-up (open index) grow with the corpus either way.")
    return text


def write(results: dict, out_dir: Path) -> tuple[Path, Path]:
    out_dir.mkdir(parents=True, exist_ok=True)
    for q in (results.get("quality") or {}).values():
        q["comparison"] = comparison(q)
    results["targets"] = targets(results)
    json_path, md_path = out_dir / "report.json", out_dir / "report.md"
    json_path.write_text(json.dumps(results, indent=1, default=str), encoding="utf-8")
    md_path.write_text(markdown(results), encoding="utf-8")
    return md_path, json_path
