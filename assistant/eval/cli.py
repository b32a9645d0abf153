"""`assistant eval`: run a golden set, report, compare with a baseline, gate CI; import UI feedback.

    assistant eval GOLDEN.jsonl [--backend B] [--out DIR] [--baseline RESULTS.json] [--fail-under METRIC=VALUE ...]
    assistant eval run GOLDEN.jsonl ...            (the same)
    assistant eval report RESULTS.json [--baseline OTHER.json] [--out DIR]   (re-render / compare saved runs)
    assistant eval import-feedback [FEEDBACK.jsonl] [--out candidates.jsonl]   (default: feedback in the database)
    assistant eval draft --doc ID [--n N] [--out drafts.jsonl]   (candidate cases from a document, to review)

Exit status: 0 ok; 1 a regression against the baseline, a --fail-under breach or an invalid citation;
2 bad arguments or a malformed golden set.
"""
from __future__ import annotations

import argparse
import json
import shutil
import sys
from pathlib import Path
from typing import Any

from .. import jsonl, logs
from .metrics import METRICS, parse_threshold

USAGE = __doc__


def _run_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="assistant eval [run]", description="Run a golden set against the assistant.",
                                epilog=f"Metrics for --fail-under: {', '.join(METRICS)}. Exit 1 on a regression, "
                                       "a fail-under breach or an invalid citation; 2 on bad input.")
    p.add_argument("golden", help="golden set (JSONL)")
    p.add_argument("--backend", choices=["auto", "local", "openai", "extractive"], help="overrides settings.backend")
    p.add_argument("--config", help="TOML settings file")
    p.add_argument("--corpus", help="corpus folder")
    p.add_argument("--index", help="index folder (built from the corpus when missing)")
    p.add_argument("--chroma-url", help="use a Chroma server")
    p.add_argument("--top-k", type=int, help="passages retrieved per question (hit@k uses this k)")
    p.add_argument("--out", default="eval/out", help="folder for results.json, report.md, report.html "
                                                     "(default: eval/out)")
    p.add_argument("--baseline", help="results.json of an earlier run to compare with")
    p.add_argument("--fail-under", action="append", default=[], metavar="METRIC=VALUE",
                   help="fail when METRIC < VALUE (0-1 or a percentage); repeatable or comma-separated")
    p.add_argument("--thresholds", help="JSON file {\"fail_under\": {METRIC: VALUE}, \"tolerance\": T}")
    p.add_argument("--tolerance", type=float, help="allowed drop of a metric against the baseline (default 0.02)")
    p.add_argument("--case", action="append", default=[], metavar="ID", help="run only this case (repeatable)")
    p.add_argument("--tag", action="append", default=[], help="run only cases with this tag (repeatable)")
    p.add_argument("--write-baseline", metavar="PATH", help="also save this run's results.json as PATH")
    p.add_argument("--no-progress", action="store_true", help="no progress bar")
    p.add_argument("--quiet", action="store_true", help="no summary table")
    logs.add_verbose_flag(p)
    return p


def _report_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="assistant eval report",
                                description="Re-render the reports of a saved results.json, optionally against "
                                            "another run, and apply the gate; nothing is re-run.")
    p.add_argument("results", help="results.json of a run")
    p.add_argument("--baseline", help="results.json to compare with")
    p.add_argument("--out", default="eval/out", help="folder for report.md and report.html (default: eval/out)")
    p.add_argument("--fail-under", action="append", default=[], metavar="METRIC=VALUE")
    p.add_argument("--thresholds", help="JSON file {\"fail_under\": {METRIC: VALUE}, \"tolerance\": T}")
    p.add_argument("--tolerance", type=float)
    p.add_argument("--quiet", action="store_true")
    logs.add_verbose_flag(p)
    return p


def _feedback_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="assistant eval import-feedback",
                                description="Turn UI feedback into golden-set candidates to review.")
    p.add_argument("feedback", nargs="?", default=None,
                   help="a feedback JSONL file; default: the feedback saved in the database (database_url)")
    p.add_argument("--out", default="candidates.jsonl", help="candidates file (default: candidates.jsonl)")
    p.add_argument("--golden", default=None,
                   help="skip questions already in this golden set (default: eval/golden.jsonl when present)")
    logs.add_verbose_flag(p)
    return p


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if not argv or argv[0] in ("-h", "--help", "help"):
        print(USAGE.strip())
        return 0 if argv else 2
    command, rest = {"import-feedback": cmd_import_feedback, "report": cmd_report,
                     "draft": cmd_draft}.get(argv[0]), argv[1:]
    if command is None:
        command, rest = cmd_run, argv[1:] if argv[0] == "run" else argv
    try:
        return command(rest)
    except SystemExit as exc:  # argparse: --help (0) or a usage error (2)
        return exc.code if isinstance(exc.code, int) else 2


def _parse(parser: argparse.ArgumentParser, argv: list[str]) -> argparse.Namespace:
    args = parser.parse_args(argv)
    logs.configure(verbose=args.verbose)
    return args


def _err(message: str) -> None:
    print(f"error: {message}", file=sys.stderr)


def _thresholds(args) -> tuple[dict[str, float], float]:
    fail_under, tolerance = {}, 0.02
    if args.thresholds:
        data = json.loads(Path(args.thresholds).read_text(encoding="utf-8"))
        for name, value in (data.get("fail_under") or {}).items():
            key, number = parse_threshold(f"{name}={value}")
            fail_under[key] = number
        tolerance = float(data.get("tolerance", tolerance))
    for item in args.fail_under:
        for part in filter(None, (x.strip() for x in item.split(","))):
            key, number = parse_threshold(part)
            fail_under[key] = number
    if args.tolerance is not None:
        tolerance = args.tolerance
    return fail_under, tolerance


def _finish(results: dict, baseline: dict | None, fail_under, tolerance, out: Path, baseline_path,
            quiet: bool) -> int:
    """Compare, gate, write results.json and the reports, print the summary; returns the exit status."""
    from .baseline import compare, gate
    from .report import terminal_summary, to_html, to_markdown

    comparison = compare(results, baseline, tolerance) if baseline else None
    problems = gate(results, comparison, fail_under)
    results["gate"] = {"passed": not problems, "applied": bool(comparison or fail_under), "problems": problems,
                       "fail_under": fail_under,
                       "tolerance": tolerance, "baseline": str(baseline_path) if baseline_path else None}
    results.pop("comparison", None)
    if comparison:
        results["comparison"] = comparison
    out.mkdir(parents=True, exist_ok=True)
    (out / "results.json").write_text(json.dumps(results, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    (out / "report.md").write_text(to_markdown(results, comparison, problems), encoding="utf-8")
    (out / "report.html").write_text(to_html(results, comparison, problems), encoding="utf-8")
    if not quiet:
        print(terminal_summary(results, comparison, problems))
    return 1 if problems else 0


def cmd_report(argv: list[str]) -> int:
    args = _parse(_report_parser(), argv)
    from .baseline import load_results

    try:
        fail_under, tolerance = _thresholds(args)
        results = load_results(args.results)
        baseline = load_results(args.baseline) if args.baseline else None
    except (ValueError, OSError) as exc:
        _err(str(exc))
        return 2
    out = Path(args.out)
    if out.resolve() == Path(args.results).resolve().parent:
        _err("--out would overwrite the results being reported; choose another folder")
        return 2
    code = _finish(results, baseline, fail_under, tolerance, out, args.baseline, args.quiet)
    print(f"Wrote {out / 'results.json'}, {out / 'report.md'}, {out / 'report.html'}", file=sys.stderr)
    return code


class _BadInput(Exception):
    """Bad arguments or a malformed input file: `error: ...` and exit status 2."""


def cmd_run(argv: list[str]) -> int:
    args = _parse(_run_parser(), argv)
    try:
        fail_under, tolerance = _run_thresholds(args)
        cases = _selected_cases(args)
        baseline = _run_baseline(args)
        settings = _run_settings(args)
    except _BadInput as exc:
        _err(str(exc))
        return 2
    out = Path(args.out)
    results = _evaluate(cases, settings, args, out)
    code = _finish(results, baseline, fail_under, tolerance, out, args.baseline, args.quiet)
    if args.write_baseline:
        Path(args.write_baseline).parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(out / "results.json", args.write_baseline)
    print(f"Wrote {out / 'results.json'}, {out / 'report.md'}, {out / 'report.html'}"
          + (f"; baseline saved to {args.write_baseline}" if args.write_baseline else ""), file=sys.stderr)
    return code


def _run_thresholds(args) -> tuple[dict[str, float], float]:
    try:
        return _thresholds(args)
    except (ValueError, OSError) as exc:
        raise _BadInput(str(exc)) from exc


def _selected_cases(args) -> list:
    """The golden set's cases that --case and --tag select (all without them); warns of cases needing review."""
    from .golden import GoldenError, load_golden

    try:
        cases = load_golden(args.golden)
    except GoldenError as exc:
        raise _BadInput(str(exc)) from exc
    if args.case or args.tag:
        wanted = set(args.case)
        unknown = wanted - {c.id for c in cases}
        if unknown:
            raise _BadInput(f"no such case(s): {', '.join(sorted(unknown))}")
        cases = [c for c in cases if c.id in wanted or set(args.tag) & set(c.tags)]
        if not cases:
            raise _BadInput("no case matches --case/--tag")
    for case in cases:
        if case.extra.get("needs_review"):
            print(f"warning: {case.path}:{case.line}: case {case.id} is marked needs_review", file=sys.stderr)
    return cases


def _run_baseline(args) -> dict | None:
    from .baseline import BaselineError, load_results

    try:
        return load_results(args.baseline) if args.baseline else None
    except BaselineError as exc:
        raise _BadInput(str(exc)) from exc


def _run_settings(args):
    from ..settings import Settings

    try:
        return Settings.load(args.config, corpus_dir=args.corpus, index_dir=args.index, backend=args.backend,
                             chroma_url=args.chroma_url, top_k=args.top_k)
    except (ValueError, OSError) as exc:
        raise _BadInput(str(exc)) from exc


def _evaluate(cases: list, settings, args, out: Path) -> dict:
    """Run the cases on an engine over settings, with progress; each case's result is also appended to
    out/cases.partial.jsonl while the run lasts, so an interrupted run keeps what it did."""
    from ..engine import Engine
    from .runner import run_golden

    engine = Engine(settings)
    engine.ensure_index(progress=_index_progress(args.no_progress))
    print(f"Evaluating {len(cases)} cases from {args.golden} with the {engine.backend_name} backend "
          f"({engine.model_name})...", file=sys.stderr)
    for notice in engine.notices:
        print(f"note: {notice}", file=sys.stderr)
    bar = _case_progress(len(cases), args.no_progress)
    out.mkdir(parents=True, exist_ok=True)
    partial = out / "cases.partial.jsonl"
    partial.unlink(missing_ok=True)

    def progress(done, total, case):
        jsonl.append(partial, case)
        bar.update(done, total, case)

    results = run_golden(cases, engine, top_k=args.top_k, golden_path=args.golden, progress=progress)
    bar.close()
    partial.unlink(missing_ok=True)
    return results


class _Quiet:
    def update(self, done, total, case):
        pass

    def close(self):
        pass


class _Lines:
    """Progress for CI logs: one line a case."""

    def __init__(self, total: int):
        self.width = len(str(total))

    def update(self, done, total, case):
        status = "ok  " if case["passed"] else "FAIL"
        print(f"[{done:>{self.width}}/{total}] {status} {case['id']} ({case['latency_ms']:,.0f} ms)"
              + ("" if case["passed"] else f": {'; '.join(case['failures'])}"), file=sys.stderr, flush=True)

    def close(self):
        pass


def _case_progress(total: int, disabled: bool):
    if disabled:
        return _Quiet()
    if not sys.stderr.isatty():
        return _Lines(total)
    from tqdm import tqdm

    class Bar:
        def __init__(self):
            self.bar = tqdm(total=total, desc="Cases", unit="case", file=sys.stderr, dynamic_ncols=True)
            self.failed = 0

        def update(self, done, total_, case):
            self.failed += 0 if case["passed"] else 1
            self.bar.set_postfix_str(f"{case['id'][:28]} {'ok' if case['passed'] else 'FAIL'}, "
                                     f"{self.failed} failed", refresh=False)
            self.bar.update(1)

        def close(self):
            self.bar.close()

    return Bar()


def _index_progress(disabled: bool):
    if disabled or not sys.stderr.isatty():
        return None
    from tqdm import tqdm

    state: dict[str, Any] = {"bar": None}  # the tqdm bar, made on the first call

    def update(done: int, total: int):
        if state["bar"] is None:
            state["bar"] = tqdm(total=total, desc="Indexing", unit="chunk", file=sys.stderr, disable=total == 0)
        state["bar"].n = done
        state["bar"].refresh()
        if done >= total:
            state["bar"].close()

    return update


def _draft_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="assistant eval draft",
                                description="Propose golden-set cases from one document: a question, the expected "
                                            "answer and its gold quote (verified verbatim), for a person to review.")
    p.add_argument("--doc", required=True, help="document id (see `assistant sources list`)")
    p.add_argument("--n", type=int, default=10, help="how many cases (default 10)")
    p.add_argument("--seed", type=int, default=0, help="which facts are drawn (default 0)")
    p.add_argument("--out", default="-", help="JSONL file to write (default: standard output)")
    logs.add_verbose_flag(p)
    return p


def cmd_draft(argv: list[str]) -> int:
    args = _parse(_draft_parser(), argv)
    from ..engine import Engine
    from ..settings import Settings
    from .drafts import DraftError, draft_cases

    if args.n < 1:
        _err("--n must be at least 1")
        return 2
    index = Engine(Settings.load(backend="extractive")).ensure_index()
    try:
        cases = draft_cases(index, args.doc, args.n, args.seed)
    except DraftError as exc:
        _err(str(exc))
        return 2
    lines = "".join(json.dumps(case, ensure_ascii=False) + "\n" for case in cases)
    if args.out == "-":
        sys.stdout.write(lines)
    else:
        Path(args.out).write_text(lines, encoding="utf-8")
        print(f"{len(cases)} draft cases from {args.doc} written to {args.out}: review each (question, answer, "
              "quote), then copy the good ones into a golden set.", file=sys.stderr)
    return 0


def cmd_import_feedback(argv: list[str]) -> int:
    args = _parse(_feedback_parser(), argv)
    from .feedback import FeedbackError, import_feedback
    from .golden import GoldenError

    golden = args.golden
    if golden is None:
        from ..settings import PROJECT_ROOT

        default = PROJECT_ROOT / "eval" / "golden.jsonl"
        golden = default if default.exists() else None
    try:
        database_url = ""
        if args.feedback is None:
            from ..settings import Settings
            from ..storage import database_url as url_of

            database_url = url_of(Settings.load())
        summary = import_feedback(args.feedback, args.out, golden, database_url=database_url)
    except (FeedbackError, GoldenError, OSError) as exc:
        _err(str(exc))
        return 2
    for warning in summary["warnings"]:
        print(f"warning: {warning}", file=sys.stderr)
    print(f"{summary['entries']} feedback entries -> {summary['candidates']} candidates "
          f"({summary['thumbs_down']} thumbs-down to review, {summary['thumbs_up']} thumbs-up; "
          f"{summary['already_golden']} already in the golden set) written to {summary['out']}. "
          "Review them, then copy the good ones into the golden set.")
    return 0
