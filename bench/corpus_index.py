"""The index on a given corpus (e.g. all 256 Factbook profiles + the report): start-up, retrieval and extractive
latency, and re-ingest of one changed file, each start in a fresh process.

    python -m bench.corpus_index --corpus CORPUS --index INDEX [--build] [--change related/ti.md] [--out bench/out]
    python -m bench.corpus_index ... --code /path/to/other/checkout    # measure another checkout's `assistant`

The index must exist (building 22k chunks takes ~8 min on 2 cores); --build builds it first. The changed file
gets a line appended, is re-ingested, then restored and re-ingested again, so the index ends as it started.
Writes OUT/corpus-index.json and OUT/corpus-index.md and prints the figures.
"""
from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time
from pathlib import Path

BENCH_ROOT = Path(__file__).resolve().parent.parent
QUESTION_FILES = ("eval/golden.jsonl", "eval/golden-dev.jsonl")  # never the test split
FIRST_QUESTION = "How many ISKP plots has foreign law enforcement interdicted since 2015?"
APPENDED = "\nAn added closing line for the benchmark.\n"
REVISED = " (revised)"


# ----- worker: runs in a fresh process with the measured checkout first on sys.path -----
def _engine(corpus: Path, index: Path):
    from assistant.engine import Engine
    from assistant.settings import Settings

    settings = Settings.load(config_file=None, corpus_dir=corpus, index_dir=index, backend="extractive")
    return Engine(settings)  # messages (main's log=print or a logger) go to stdout/stderr, not the JSON line


def _questions(limit: int) -> list[str]:
    from assistant.eval import load_golden

    out: list[str] = []
    for name in QUESTION_FILES:
        out += [case.turns[0].question for case in load_golden(BENCH_ROOT / name)]
    return out[:limit]


def work_start(corpus: Path, index: Path, questions: int, rounds: int, started: float) -> dict:
    """Process start to first answer when nothing changed, then retrieval and extractive latency."""
    from bench.common import summary_ms

    t0 = time.perf_counter()
    engine = _engine(corpus, index)
    t1 = time.perf_counter()
    opened = engine._indexes.current()
    t2 = time.perf_counter()
    first = engine.session().ask(FIRST_QUESTION)
    t3 = time.perf_counter()
    out = {"imports_s": round(t0 - started, 2), "engine_s": round(t1 - t0, 2), "index_open_s": round(t2 - t1, 2),
           "first_answer_s": round(t3 - t2, 2), "start_to_first_answer_s": round(t3 - started, 2),
           "first_answer_abstained": first.abstained, "chunks": len(opened.index.chunks),
           "documents": len(opened.index.docs), "generation": opened.index.generation}
    asked = _questions(questions)
    for q in asked[:5]:  # warm-up
        opened.retriever.retrieve(q, engine.settings.top_k)
    retrieve, parts = [], {"embed_query": [], "dense": [], "bm25": [], "fuse": []}
    for _ in range(rounds):
        for q in asked:
            a = time.perf_counter()
            result = opened.retriever.retrieve(q, engine.settings.top_k)
            retrieve.append((time.perf_counter() - a) * 1e3)
            for key in parts:
                parts[key].append(result.timings_ms.get(key, 0.0))
    answers = []
    for q in asked:
        a = time.perf_counter()
        engine.session().ask(q)
        answers.append((time.perf_counter() - a) * 1e3)
    out.update(questions=len(asked), rounds=rounds, hybrid_retrieval=summary_ms(retrieve),
               retrieval_parts_p95_ms={k: summary_ms(v)["p95_ms"] for k, v in parts.items()},
               extractive_answer=summary_ms(answers))
    return out


def work_reingest(corpus: Path, index: Path, change: str) -> dict:
    """Re-ingest with nothing changed, with one file changed, and with it restored."""
    engine = _engine(corpus, index)
    out: dict = {}
    t0 = time.perf_counter()
    report = engine.ingest()
    out["first_ingest_s"] = round(time.perf_counter() - t0, 2)  # an older layout is migrated here
    out["first_ingest_embedded"] = report.embedded_chunks
    t0 = time.perf_counter()
    engine.ensure_index()
    out["open_s"] = round(time.perf_counter() - t0, 2)
    t0 = time.perf_counter()
    out["unchanged_up_to_date"] = engine.ingest().up_to_date
    out["unchanged_s"] = round(time.perf_counter() - t0, 2)
    path = corpus / change
    original = path.read_bytes()
    text = original.decode("utf-8")
    rewritten = "\n".join(line + REVISED if line.strip() else line for line in text.split("\n"))
    versions = [("changed", text + APPENDED), ("restored", text),  # a line added: most chunks keep their text
                ("rewritten", rewritten), ("rewrite_restored", text)]  # every line edited: every chunk is new
    try:
        for label, version in versions:
            path.write_bytes(version.encode("utf-8"))
            t0 = time.perf_counter()
            report = engine.ingest()
            out[f"{label}_s"] = round(time.perf_counter() - t0, 2)
            out[f"{label}_embedded"] = report.embedded_chunks
            out[f"{label}_updated"] = report.updated
            t0 = time.perf_counter()
            engine.ensure_index()
            out[f"{label}_reopen_s"] = round(time.perf_counter() - t0, 2)
    finally:
        path.write_bytes(original)
    return out


def work_build(corpus: Path, index: Path) -> dict:
    engine = _engine(corpus, index)
    t0 = time.perf_counter()
    report = engine.ingest()
    wall = time.perf_counter() - t0
    return {"wall_s": round(wall, 1), "chunks": report.chunks, "embedded": report.embedded_chunks,
            "chunks_per_s": round(report.chunks / wall, 1) if wall else None}


# ----- driver -----
def run_worker(code: Path, mode: str, args: argparse.Namespace, timeout: float) -> dict:
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(code), str(BENCH_ROOT)]),
           "HF_HUB_OFFLINE": "1", "TRANSFORMERS_OFFLINE": "1", "ANONYMIZED_TELEMETRY": "False",
           "TOKENIZERS_PARALLELISM": "false"}
    cmd = [sys.executable, str(Path(__file__).resolve()), "--worker", mode, "--corpus", str(args.corpus),
           "--index", str(args.index), "--change", args.change, "--questions", str(args.questions),
           "--rounds", str(args.rounds)]
    proc = subprocess.run(cmd, capture_output=True, text=True, cwd=code, env=env, timeout=timeout)
    if proc.returncode != 0:
        raise RuntimeError(f"{mode} worker failed ({proc.returncode}): {proc.stderr[-3000:]}")
    return json.loads(proc.stdout.strip().splitlines()[-1])


def markdown(results: dict) -> str:
    start, ingest, foreign = results["start"], results["reingest"], results["foreign_cpu"]
    first = start[0]
    lines = [f"# Index on {results['corpus']} ({first['documents']} documents, {first['chunks']} chunks)", "",
             f"Code: {results['code']} ({results['git_commit']}); load average before/after: "
             f"{results['loadavg_start']} / {results['loadavg_end']}; other processes' CPU: "
             f"mean {foreign.get('mean_share', 0):.0%}, max {foreign.get('max_share', 0):.0%}.",
             "", "| measure | value |", "|---|---:|"]
    for i, s in enumerate(start, 1):
        lines.append(f"| start {i}: process start to first answer (extractive) | {s['start_to_first_answer_s']} s "
                     f"(imports {s['imports_s']}, engine {s['engine_s']}, index open {s['index_open_s']}, "
                     f"first answer {s['first_answer_s']}) |")
    last = start[-1]
    lines += [f"| hybrid retrieval p50 / p95 ({last['questions']} questions x {last['rounds']}) | "
              f"{last['hybrid_retrieval']['p50_ms']} / {last['hybrid_retrieval']['p95_ms']} ms |",
              f"| retrieval parts p95 | {last['retrieval_parts_p95_ms']} |",
              f"| extractive answer p50 / p95 | {last['extractive_answer']['p50_ms']} / "
              f"{last['extractive_answer']['p95_ms']} ms |",
              f"| first ingest of the run (migration, if any) | {ingest['first_ingest_s']} s, "
              f"{ingest['first_ingest_embedded']} embedded |",
              f"| re-ingest, nothing changed | {ingest['unchanged_s']} s |"]
    steps = [("changed", f"one file changed ({results['change']}): a line added"), ("restored", "the file restored"),
             ("rewritten", "the file rewritten: every line edited"), ("rewrite_restored", "the file restored")]
    lines += [f"| re-ingest, {what} | {ingest[label + '_s']} s, {ingest[label + '_embedded']} embedded; "
              f"reopen {ingest[label + '_reopen_s']} s |" for label, what in steps if label + "_s" in ingest]
    if results.get("build"):
        b = results["build"]
        lines.append(f"| full build | {b['wall_s']} s, {b['chunks']} chunks, {b['chunks_per_s']} chunks/s |")
    return "\n".join(lines) + "\n"


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.corpus_index", description=__doc__.split("\n\n")[0])
    parser.add_argument("--corpus", type=Path, required=True)
    parser.add_argument("--index", type=Path, required=True)
    parser.add_argument("--change", default="related/ti.md", help="corpus file to change (relative to the corpus)")
    parser.add_argument("--build", action="store_true", help="build the index first when it is missing")
    parser.add_argument("--starts", type=int, default=2, help="fresh-process starts to time (default 2)")
    parser.add_argument("--questions", type=int, default=80, help="questions from the golden and dev sets")
    parser.add_argument("--rounds", type=int, default=3, help="retrieval rounds over the questions")
    parser.add_argument("--code", type=Path, default=BENCH_ROOT, help="checkout whose assistant is measured")
    parser.add_argument("--out", type=Path, default=BENCH_ROOT / "bench" / "out")
    parser.add_argument("--worker", choices=["start", "reingest", "build"], help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    args.corpus, args.index = args.corpus.resolve(), args.index.resolve()
    if args.worker:
        started = time.perf_counter()
        work = {"start": lambda: work_start(args.corpus, args.index, args.questions, args.rounds, started),
                "reingest": lambda: work_reingest(args.corpus, args.index, args.change),
                "build": lambda: work_build(args.corpus, args.index)}[args.worker]
        print(json.dumps(work()), flush=True)
        return 0
    if not (args.corpus / args.change).is_file():
        parser.error(f"--change {args.change}: no such file in {args.corpus}")
    sys.path.insert(0, str(BENCH_ROOT))
    from bench.common import ForeignCpu, loadavg, log

    results: dict = {"corpus": str(args.corpus), "index": str(args.index), "change": args.change,
                     "code": str(args.code.resolve()), "loadavg_start": loadavg(),
                     "git_commit": subprocess.run(["git", "rev-parse", "--short", "HEAD"], capture_output=True,
                                                  text=True, cwd=args.code).stdout.strip()}
    foreign = ForeignCpu()
    if not (args.index / "state.json").exists():
        if not args.build:
            parser.error(f"no index at {args.index}: pass --build to build it (minutes per thousand chunks)")
        log("building the index")
        results["build"] = run_worker(args.code, "build", args, timeout=4 * 3600)
    log("re-ingest: nothing changed, one file changed, restored")
    results["reingest"] = run_worker(args.code, "reingest", args, timeout=3600)
    foreign.sample()
    results["start"] = []
    for i in range(args.starts):
        log(f"start {i + 1} of {args.starts}: fresh process to first answer, then latency")
        results["start"].append(run_worker(args.code, "start", args, timeout=3600))
        foreign.sample()
    results["loadavg_end"], results["foreign_cpu"] = loadavg(), foreign.summary()
    args.out.mkdir(parents=True, exist_ok=True)
    (args.out / "corpus-index.json").write_text(json.dumps(results, indent=1), encoding="utf-8")
    md = markdown(results)
    (args.out / "corpus-index.md").write_text(md, encoding="utf-8")
    print(md)
    return 0


if __name__ == "__main__":
    sys.exit(main())
