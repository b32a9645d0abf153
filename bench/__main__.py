"""python -m bench [--quick] [--only quality,ingest,scale,load] [--scenario bundled,report,corpus] [--out bench/out]

Writes OUT/report.md and OUT/report.json: ours vs. llama-index (its defaults, and tuned to our chunk size, top-k and
prompt budget) on each scenario's corpus, with the local model on golden test-split cases; ingest throughput, the
retrieval scale curve (embedded vs. server Chroma) and a load test of the Gradio app; the issue's targets, all on
this machine.
"""
from __future__ import annotations

import argparse
import os
import shlex
import shutil
import sys
import tempfile
import threading
import time
from pathlib import Path

SECTIONS = ("quality", "ingest", "scale", "load")


def parse_args(argv):
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__.split("\n\n")[1])
    parser.add_argument("--quick", action="store_true",
                        help="a smaller run in a few minutes (2k-chunk large corpus, 1k/5k scale, 3 local cases)")
    parser.add_argument("--only", default=",".join(SECTIONS), help="comma-separated sections to run")
    parser.add_argument("--out", type=Path, default=Path(__file__).resolve().parent / "out")
    parser.add_argument("--large-chunks", type=int, help="target chunks of the generated corpus (default 20000)")
    parser.add_argument("--scale-sizes", help="comma-separated chunk counts (default 1000,10000,50000)")
    parser.add_argument("--scenario", help="comma-separated corpora for the quality section: bundled (report + "
                        "related sources, the default), report (the report alone), corpus (--corpus DIR)")
    parser.add_argument("--corpus", type=Path, help="a corpus folder for the corpus scenario (e.g. 256 profiles)")
    parser.add_argument("--index", type=Path, help="its existing built index, opened and reused (never rebuilt); "
                        "without it the index is built in the work folder")
    parser.add_argument("--local-cases", type=int, help="golden single-turn cases answered by the local model, per "
                        "pipeline (default 40, --quick 3; 0 skips the local model)")
    parser.add_argument("--no-local", action="store_true", help="skip everything that needs the local model")
    parser.add_argument("--users", type=int, help="concurrent users against the extractive app (default 8)")
    parser.add_argument("--local-users", type=int, help="concurrent users against the local-model app (default 3)")
    parser.add_argument("--load-seconds", type=float, help="load duration, extractive (default 60)")
    parser.add_argument("--local-load-seconds", type=float, help="load duration, local model (default 120)")
    parser.add_argument("--keep", action="store_true", help="keep the temporary work folder")
    parser.add_argument("--publish", action="store_true",
                        help="also copy the finished report to docs/bench-report.md and docs/bench-report.json")
    parser.add_argument("--render", type=Path, metavar="REPORT_JSON",
                        help="only re-render OUT/report.md from a saved report.json (no measuring)")
    parser.add_argument("--wait-quiet", type=float, default=0, metavar="MINUTES",
                        help="first wait up to MINUTES for the 1-minute load average to drop below the core count")
    return parser.parse_args(argv)


def main(argv=None) -> int:
    args = parse_args(argv)
    sections = [s.strip() for s in args.only.split(",") if s.strip()]
    unknown = set(sections) - set(SECTIONS)
    if unknown:
        print(f"unknown section(s): {', '.join(sorted(unknown))}; choose from {', '.join(SECTIONS)}", file=sys.stderr)
        return 2
    if args.render:
        import json

        from . import report

        results = json.loads(args.render.read_text(encoding="utf-8"))
        md, js = report.write(results, args.out)
        if args.publish:
            publish(md, js)
        print(md.read_text(encoding="utf-8"))
        return 0
    quick = args.quick
    from .scenario import NAMES, REPORT_GOLDEN

    scenarios = [s.strip() for s in (args.scenario or ("corpus" if args.corpus else "bundled")).split(",") if s.strip()]
    wrong = [s for s in scenarios if s not in NAMES]
    if wrong or not scenarios:
        print(f"unknown scenario(s): {', '.join(wrong) or '(none)'}; choose from {', '.join(NAMES)}", file=sys.stderr)
        return 2
    if ("corpus" in scenarios) != (args.corpus is not None) or (args.index and not args.corpus):
        print("the corpus scenario and --corpus DIR go together (--index DIR needs --corpus)", file=sys.stderr)
        return 2
    large_chunks = args.large_chunks if args.large_chunks is not None else (2000 if quick else 20000)
    sizes = [int(x) for x in args.scale_sizes.split(",")] if args.scale_sizes else (
        [1000, 5000] if quick else [1000, 10000, 50000])
    local_cases = 0 if args.no_local else (args.local_cases if args.local_cases is not None else (3 if quick else 40))
    users = args.users or (4 if quick else 8)
    local_users = args.local_users or (2 if quick else 3)
    load_s = args.load_seconds or (15 if quick else 60)
    local_load_s = args.local_load_seconds or (30 if quick else 120)

    os.environ.setdefault("ANONYMIZED_TELEMETRY", "False")
    os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
    from assistant.eval import load_golden

    from . import report
    from . import scenario as scenario_mod
    from .common import ForeignCpu, loadavg, log, machine

    questions = [t.question for c in load_golden(REPORT_GOLDEN) for t in c.turns]
    work = Path(tempfile.mkdtemp(prefix="assistant-bench-"))
    try:
        chosen = [scenario_mod.make(name, work / "scenarios", args.corpus, args.index) for name in scenarios]
    except scenario_mod.ScenarioError as exc:
        shutil.rmtree(work, ignore_errors=True)
        print(exc, file=sys.stderr)
        return 2
    waited = 0.0
    if args.wait_quiet > 0:
        waited_from = time.time()
        deadline = time.time() + args.wait_quiet * 60
        limit = (os.cpu_count() or 2) * 0.75
        # sustained quiet: the 1- and 5-minute averages both low
        while time.time() < deadline and ((loadavg() or [0, 0])[0] >= limit * 0.67
                                          or (loadavg() or [0, 0])[1] >= limit):
            log(f"waiting for a quiet machine: load average {loadavg()}")
            time.sleep(30)
        waited = round(time.time() - waited_from)
    started = time.time()
    peak_load = [loadavg() or [0, 0, 0], loadavg() or [0, 0, 0]]  # whole run, current section
    stop = threading.Event()
    foreign = ForeignCpu()

    def sample_load():
        while not stop.wait(5):
            foreign.sample()
            now = loadavg()
            if now:
                peak_load[0] = [max(a, b) for a, b in zip(peak_load[0], now)]
                peak_load[1] = [max(a, b) for a, b in zip(peak_load[1], now)]

    threading.Thread(target=sample_load, daemon=True).start()
    results: dict = {"meta": {
        "command": "python -m bench " + " ".join(shlex.quote(a) for a in (argv if argv is not None else sys.argv[1:])),
        "started": time.strftime("%Y-%m-%d %H:%M:%S %Z", time.localtime(started)), "quick": quick,
        "sections": sections, "scenarios": scenarios, "machine": machine(), "loadavg_start": loadavg(),
        "waited_for_quiet_s": waited,
        "settings": {"large_chunks": large_chunks, "scale_sizes": sizes, "local_cases": local_cases,
                     "users": users, "local_users": local_users, "load_seconds": load_s,
                     "local_load_seconds": local_load_s}}, "section_seconds": {}, "section_loadavg_max": {},
        "section_foreign_cpu": {}}
    log(f"work folder {work}; sections: {', '.join(sections)}; scenarios: {', '.join(scenarios)}")
    md = js = None
    try:
        for section in sections:
            t0 = time.perf_counter()
            peak_load[1] = loadavg() or [0, 0, 0]
            first_window = len(foreign.windows)
            try:
                if section == "quality":
                    from . import quality

                    results["quality"] = {}
                    for scenario in chosen:
                        log(f"quality: scenario {scenario.name} ({scenario.label})")
                        since = len(foreign.windows)
                        q = results["quality"][scenario.name] = quality.run(
                            work / "quality" / scenario.name, scenario, local_cases=local_cases, foreign=foreign)
                        foreign.sample()
                        q["foreign_cpu"] = foreign.summary(since)
                        save_cases(args.out, scenario.name, q.pop("cases", None))
                elif section == "ingest":
                    from . import ingest

                    results["ingest"] = ingest.run(work / "ingest", large_chunks)
                elif section == "scale":
                    from . import scale

                    results["scale"] = scale.run(work / "scale", sizes, questions)
                elif section == "load":
                    from . import load

                    plans = [("extractive", users, load_s)]
                    if not args.no_local:
                        plans.append(("local", local_users, local_load_s))
                    results["load"] = load.run(work / "load", questions, plans, chosen[0])
            except Exception as exc:  # one failing section must not lose the others
                import traceback

                traceback.print_exc()
                results.setdefault("notes", []).append(f"section {section} failed: {type(exc).__name__}: {exc}")
            results["section_seconds"][section] = round(time.perf_counter() - t0, 1)
            results["section_loadavg_max"][section] = peak_load[1]
            results["section_foreign_cpu"][section] = foreign.summary(first_window)
            log(f"{section} done in {results['section_seconds'][section]} s (max load average {peak_load[1]})")
            results["meta"]["loadavg_end"] = loadavg()
            results["meta"]["loadavg_max"] = peak_load[0]
            results["meta"]["foreign_cpu"] = foreign.summary()
            results["meta"]["duration_s"] = round(time.time() - started, 1)
            md, js = report.write(results, args.out)  # after every section: a partial report survives a crash
    finally:
        stop.set()
        if args.keep:
            log(f"kept {work}")
        else:
            shutil.rmtree(work, ignore_errors=True)
    if md is None or js is None:
        return 1
    log(f"report: {md} and {js}")
    if args.publish:
        publish(md, js)
    print(md.read_text(encoding="utf-8"))
    return 0


def save_cases(out: Path, scenario: str, cases: dict | None) -> None:
    """Every answer of a scenario, for reading case by case: OUT/cases-SCENARIO.json."""
    if cases is not None:
        import json

        out.mkdir(parents=True, exist_ok=True)
        (out / f"cases-{scenario}.json").write_text(json.dumps(cases, indent=1, default=str), encoding="utf-8")


def publish(md: Path, js: Path) -> None:
    docs = Path(__file__).resolve().parent.parent / "docs"
    docs.mkdir(exist_ok=True)
    shutil.copyfile(md, docs / "bench-report.md")
    shutil.copyfile(js, docs / "bench-report.json")
    print(f"published to {docs / 'bench-report.md'} and {docs / 'bench-report.json'}", file=sys.stderr)


if __name__ == "__main__":
    sys.exit(main())
