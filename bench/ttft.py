"""python -m bench.ttft [--n 15 | --bench-cases 40] [--corpus DIR --index DIR] [SETTING=VALUE ...]

The local model's time to the first visible token and to the whole answer on the first N single-turn dev
questions (or, with --bench-cases N, the N test cases the quality bench gives the local model), in one process
after its warm-up and one untimed question; with each question's prompt size and the time spent choosing the
prompt's sentences. Settings may be overridden (e.g. llm_excerpt_chars=500). Run it from two checkouts back to back
(PYTHONPATH=that checkout) to compare them on one machine without the llama-index baselines.
"""
from __future__ import annotations

import argparse
import json
import statistics
import time
from pathlib import Path

from assistant.settings import PROJECT_ROOT


def parse(argv=None):
    parser = argparse.ArgumentParser(prog="python -m bench.ttft", description=__doc__.split("\n\n")[1])
    parser.add_argument("--n", type=int, default=15)
    parser.add_argument("--bench-cases", type=int, default=0, metavar="N",
                        help="the N single-turn test cases of the quality bench's local comparison instead")
    parser.add_argument("--corpus", type=Path)
    parser.add_argument("--index", type=Path)
    parser.add_argument("overrides", nargs="*", metavar="SETTING=VALUE")
    return parser.parse_args(argv)


def nearest_rank(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def dev_questions(n: int) -> list[str]:
    lines = (PROJECT_ROOT / "eval" / "golden-dev.jsonl").read_text(encoding="utf-8").splitlines()
    cases = [json.loads(line) for line in lines if line.strip()]
    return [c["question"] for c in cases if "question" in c and c.get("category") != "follow-up"][:n]


def bench_questions(n: int) -> list[str]:
    """The questions the quality bench's local comparison asks (the same pick of the test split)."""
    from assistant.eval.golden import load_golden

    from .quality import pick_subset

    single = [c for c in load_golden(PROJECT_ROOT / "eval" / "golden-test.jsonl") if not c.multi_turn]
    return [c.turns[0].question for c in pick_subset(single, n)]


def main(argv=None) -> int:
    args = parse(argv)
    from assistant.engine import Engine
    from assistant.pipeline import generate
    from assistant.settings import Settings

    overrides: dict = dict(item.split("=", 1) for item in args.overrides)
    if args.corpus:
        overrides |= {"corpus_dir": args.corpus, "index_dir": args.index or args.corpus.parent / "index"}
    questions = bench_questions(args.bench_cases) if args.bench_cases else dev_questions(args.n)
    started = time.perf_counter()
    engine = Engine(Settings.load(backend="local", **overrides))
    engine.ensure_index()
    warm = engine.warm_up()
    engine.ask("What are these documents about?")
    print(f"start to first answer {time.perf_counter() - started:.1f} s (warm-up {warm:.1f} s)", flush=True)

    chosen: dict[str, float] = {}
    build = generate.prompt.messages

    def timed_messages(*a, **k):
        t0 = time.perf_counter()
        result = build(*a, **k)
        chosen["ms"] = (time.perf_counter() - t0) * 1e3
        return result

    generate.prompt.messages = timed_messages
    first, whole = [], []
    try:
        for question in questions:
            t0, seen, answer = time.perf_counter(), None, None
            for event in engine.session().ask_stream(question):
                if event.kind in ("token", "final") and seen is None:
                    seen = time.perf_counter() - t0
                if event.kind == "final":
                    answer = event.answer
            assert seen is not None and answer is not None  # a stream always ends with a final answer
            first.append(seen)
            whole.append(time.perf_counter() - t0)
            print(f"{seen:5.2f} s  {whole[-1]:5.2f} s  prompt ~{answer.prompt.get('est_tokens')} tokens, sentences "
                  f"chosen in {chosen.get('ms', 0):.0f} ms  {question[:60]!r}", flush=True)
    finally:
        generate.prompt.messages = build
    print(f"first visible token p50 {statistics.median(first):.2f} s, p95 {nearest_rank(first, .95):.2f} s; "
          f"whole answer p50 {statistics.median(whole):.2f} s, p95 {nearest_rank(whole, .95):.2f} s "
          f"({len(questions)} questions)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
