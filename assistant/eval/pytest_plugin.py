"""Run a golden set as pytest tests: one test per case, plus one for the thresholds.

    pytest -p assistant.eval.pytest_plugin --golden eval/golden.jsonl --golden-backend extractive \
        [--golden-baseline eval/baseline-extractive.json] [--golden-fail-under answer_correctness=0.8] \
        [--golden-index DIR] [--golden-corpus DIR] [--golden-top-k K] [--golden-out DIR]

Cases that already fail in --golden-baseline are xfail (so only new breakage fails the build); a
`golden.jsonl::<thresholds>` test checks --golden-fail-under and citation validity over the cases that ran.
Without --golden the plugin does nothing. Passing the file itself also works: `pytest -p ... eval/golden.jsonl`.

For hand-written tests: the `golden_engine` fixture, `golden_params(path, baseline)` and `assert_case_passed(result)`.
"""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from .baseline import gate, load_results
from .golden import Case, GoldenError, load_golden
from .metrics import aggregate, parse_threshold
from .runner import DocumentCache, run_case

_STATE = pytest.StashKey["_GoldenState"]()


def pytest_addoption(parser):
    group = parser.getgroup("golden", "golden-set evaluation (assistant.eval)")
    group.addoption("--golden", action="append", default=[], metavar="PATH",
                    help="golden set (JSONL) to run as tests, one per case; repeatable")
    group.addoption("--golden-backend", default="extractive", help="backend for golden tests (default extractive)")
    group.addoption("--golden-index", default=None, help="index folder (default: the settings' index)")
    group.addoption("--golden-corpus", default=None, help="corpus folder (default: the settings' corpus)")
    group.addoption("--golden-top-k", type=int, default=None, help="passages retrieved per question")
    group.addoption("--golden-baseline", default=None, help="results.json whose failing cases are xfail")
    group.addoption("--golden-fail-under", action="append", default=[], metavar="METRIC=VALUE",
                    help="threshold checked by the <thresholds> test; repeatable")
    group.addoption("--golden-out", default=None, help="write results.json and reports of the golden tests here")


class _GoldenState:
    def __init__(self, config):
        self.config = config
        self.engine = None
        self.documents = None
        self.results: dict[str, dict] = {}
        self.order: list[str] = []
        self.collected: set[Path] = set()
        baseline = config.getoption("golden_baseline")
        self.baseline = {c["id"]: c for c in load_results(baseline)["cases"]} if baseline else {}
        self.fail_under = dict(parse_threshold(x) for item in config.getoption("golden_fail_under")
                               for x in item.split(",") if x.strip())

    def get_engine(self):
        if self.engine is None:
            self.engine = build_engine(self.config.getoption("golden_backend"), self.config.getoption("golden_index"),
                                       self.config.getoption("golden_corpus"), self.config.getoption("golden_top_k"))
            self.documents = DocumentCache(self.engine)
        return self.engine


def build_engine(backend: str = "extractive", index_dir=None, corpus_dir=None, top_k=None):
    from ..engine import Engine
    from ..settings import Settings

    engine = Engine(Settings.load(backend=backend, index_dir=index_dir, corpus_dir=corpus_dir, top_k=top_k))
    engine.ensure_index()
    return engine


def pytest_configure(config):
    config.stash[_STATE] = _GoldenState(config)


def _golden_paths(config) -> list[Path]:
    return [Path(p).resolve() for p in config.getoption("golden")]


def pytest_collect_file(file_path: Path, parent):
    config = parent.config
    wanted = file_path.resolve() in _golden_paths(config)
    explicit = file_path.suffix == ".jsonl" and any(
        Path(arg.split("::")[0]).resolve() == file_path.resolve() for arg in config.args)
    if wanted or explicit:
        config.stash[_STATE].collected.add(file_path.resolve())
        return GoldenFile.from_parent(parent, path=file_path)
    return None


@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(session, config, items):
    state = config.stash[_STATE]
    for path in _golden_paths(config):
        if path in state.collected:
            continue
        state.collected.add(path)
        node = GoldenFile.from_parent(session, path=path)
        items.extend(node.collect())


class GoldenFile(pytest.File):
    def collect(self):
        try:
            cases = load_golden(self.path)
        except GoldenError as exc:
            raise self.CollectError(str(exc)) from None
        state = self.config.stash[_STATE]
        for case in cases:
            item = GoldenItem.from_parent(self, name=case.id, case=case)
            before = state.baseline.get(case.id)
            if before is not None and not before["passed"]:
                item.add_marker(pytest.mark.xfail(reason="fails in the baseline too: " + "; ".join(before["failures"]),
                                                  strict=False))
            yield item
        yield GoldenThresholdsItem.from_parent(self, name="<thresholds>")


class GoldenCaseFailed(AssertionError):
    pass


class GoldenItem(pytest.Item):
    def __init__(self, *, case: Case, **kwargs):
        super().__init__(**kwargs)
        self.case = case
        self.extra_keyword_matches.update(case.tags)  # so `-k plots` selects by tag
        self.user_properties.append(("golden_line", case.line))

    def runtest(self):
        state = self.config.stash[_STATE]
        engine = state.get_engine()
        result = run_case(engine, self.case, top_k=self.config.getoption("golden_top_k"), documents=state.documents)
        state.results[self.case.id] = result
        state.order.append(self.case.id)
        assert_case_passed(result)

    def repr_failure(self, excinfo, style=None):
        if isinstance(excinfo.value, GoldenCaseFailed):
            return f"{self.case.path}:{self.case.line}: {excinfo.value}"
        return super().repr_failure(excinfo, style)

    def reportinfo(self):
        return self.path, self.case.line - 1 if self.case.line else None, f"golden case {self.case.id}"


class GoldenThresholdsItem(pytest.Item):
    def runtest(self):
        state = self.config.stash[_STATE]
        cases = [state.results[i] for i in state.order]
        if not cases:
            pytest.skip("no golden case ran")
        problems = gate({"metrics": aggregate(cases)}, None, state.fail_under)
        if problems:
            raise GoldenCaseFailed("golden-set thresholds:\n  " + "\n  ".join(problems))

    def repr_failure(self, excinfo, style=None):
        if isinstance(excinfo.value, GoldenCaseFailed):
            return str(excinfo.value)
        return super().repr_failure(excinfo, style)

    def reportinfo(self):
        return self.path, None, "golden thresholds"


def pytest_sessionfinish(session, exitstatus):
    state = session.config.stash.get(_STATE, None)
    out = session.config.getoption("golden_out", None)
    if state is None or not out or not state.results:
        return
    from .report import to_html, to_markdown

    cases = [state.results[i] for i in state.order]
    results = {"schema": "assistant-eval/1",
               "meta": {"golden": ", ".join(session.config.getoption("golden")), "backend": state.engine.backend_name,
                        "model": state.engine.model_name, "top_k": state.engine.settings.top_k, "source": "pytest"},
               "metrics": aggregate(cases), "cases": cases}
    folder = Path(out)
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "results.json").write_text(json.dumps(results, ensure_ascii=False, indent=1), encoding="utf-8")
    (folder / "report.md").write_text(to_markdown(results), encoding="utf-8")
    (folder / "report.html").write_text(to_html(results), encoding="utf-8")


# ----- helpers for hand-written golden tests -----
def assert_case_passed(result: dict) -> None:
    """Raise an AssertionError that shows why a golden case failed."""
    if result["passed"]:
        return
    lines = [f"golden case {result['id']} failed: {'; '.join(result['failures'])}"]
    for i, turn in enumerate(result["turns"], start=1):
        lines.append(f"  Q{i}: {turn['question']}")
        if turn["standalone_question"] and turn["standalone_question"] != turn["question"]:
            lines.append(f"      (searched as: {turn['standalone_question']})")
        lines.append(f"  A{i}: {' '.join(turn['answer'].split())[:400]}")
        if turn["reference_answer"]:
            lines.append(f"  expected: {turn['reference_answer']}")
    raise GoldenCaseFailed("\n".join(lines))


def golden_params(path, baseline=None) -> list:
    """pytest.param per case id; cases failing in the baseline are xfail (non-strict)."""
    before = {c["id"]: c for c in load_results(baseline)["cases"]} if baseline and Path(baseline).exists() else {}
    params = []
    for case in load_golden(path):
        marks = []
        if case.id in before and not before[case.id]["passed"]:
            marks.append(pytest.mark.xfail(reason="fails in the baseline too", strict=False))
        params.append(pytest.param(case.id, id=case.id, marks=marks))
    return params


@pytest.fixture(scope="session")
def golden_engine(request):
    """The engine the golden tests use (options --golden-backend/--golden-index/--golden-corpus)."""
    return request.config.stash[_STATE].get_engine()
