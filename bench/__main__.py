"""python -m bench [--quick] [--only quality,ingest,scale,load] [--out bench/out]

Writes OUT/report.md and OUT/report.json: ours vs. the llama-index default recipe, ingest throughput, the
retrieval scale curve (embedded vs. server Chroma) and a load test of the Gradio app, all on this machine.
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
    parser.add_argument("--local-cases", type=int, help="golden cases answered by the local model, per pipeline "
                        "(default 12; 0 skips the local model)")
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
    large_chunks = args.large_chunks if args.large_chunks is not None else (2000 if quick else 20000)
    sizes = [int(x) for x in args.scale_sizes.split(",")] if args.scale_sizes else (
        [1000, 5000] if quick else [1000, 10000, 50000])
    local_cases = 0 if args.no_local else (args.local_cases if args.local_cases is not None else (3 if quick else 12))
    users = args.users or (4 if quick else 8)
    local_users = args.local_users or (2 if quick else 3)
    load_s = args.load_seconds or (15 if quick else 60)
    local_load_s = args.local_load_seconds or (30 if quick else 120)

    os.environ.setdefault("ANONYMIZED_TELEMETRY", "False")
    os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
    from assistant.eval import load_golden

    from . import report
    from .common import GOLDEN_PATH, ForeignCpu, loadavg, log, machine

    questions = [t.question for c in load_golden(GOLDEN_PATH) for t in c.turns]
    if args.wait_quiet > 0:
        deadline = time.time() + args.wait_quiet * 60
        limit = (os.cpu_count() or 2) * 0.75
        # sustained quiet: the 1- and 5-minute averages both low
        while time.time() < deadline and ((loadavg() or [0, 0])[0] >= limit * 0.67
                                          or (loadavg() or [0, 0])[1] >= limit):
            log(f"waiting for a quiet machine: load average {loadavg()}")
            time.sleep(30)
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
        "sections": sections, "machine": machine(), "loadavg_start": loadavg(),
        "settings": {"large_chunks": large_chunks, "scale_sizes": sizes, "local_cases": local_cases,
                     "users": users, "local_users": local_users, "load_seconds": load_s,
                     "local_load_seconds": local_load_s}}, "section_seconds": {}, "section_loadavg_max": {},
        "section_foreign_cpu": {}}
    work = Path(tempfile.mkdtemp(prefix="assistant-bench-"))
    log(f"work folder {work}; sections: {', '.join(sections)}")
    try:
        for section in sections:
            t0 = time.perf_counter()
            peak_load[1] = loadavg() or [0, 0, 0]
            first_window = len(foreign.windows)
            try:
                if section == "quality":
                    from . import quality

                    results["quality"] = quality.run(work / "quality", local_cases=local_cases,
                                                     with_local=local_cases > 0)
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
                    results["load"] = load.run(work / "load", questions, plans)
            except Exception as exc:  # one failing section must not lose the others
                import traceback

                traceback.print_exc()
                results.setdefault("notes", []).append(f"section {section} failed: {type(exc).__name__}: {exc}")
            results["section_seconds"][section] = round(time.perf_counter() - t0, 1)
            results["section_loadavg_max"][section] = peak_load[1]
            results["section_foreign_cpu"][section] = foreign.summary(first_window)
            log(f"{section} done in {results['section_seconds'][section]} s (max load average {peak_load[1]})")
            cases = (results.get("quality") or {}).pop("cases", None)
            if cases is not None:
                args.out.mkdir(parents=True, exist_ok=True)
                import json

                (args.out / "cases.json").write_text(json.dumps(cases, indent=1, default=str), encoding="utf-8")
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
    log(f"report: {md} and {js}")
    if args.publish:
        publish(md, js)
    print(md.read_text(encoding="utf-8"))
    return 0


def publish(md: Path, js: Path) -> None:
    docs = Path(__file__).resolve().parent.parent / "docs"
    docs.mkdir(exist_ok=True)
    shutil.copyfile(md, docs / "bench-report.md")
    shutil.copyfile(js, docs / "bench-report.json")
    print(f"published to {docs / 'bench-report.md'} and {docs / 'bench-report.json'}", file=sys.stderr)


if __name__ == "__main__":
    sys.exit(main())
