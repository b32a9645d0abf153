"""The pytest plugin, run in a child pytest: one test per golden case, baseline xfails, thresholds."""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from fixtures.corpus import REPORT_ONLY, copy_corpus

CASES = [
    {"id": "plots-total", "question": "Since 2015, how many ISKP plots have been foiled by foreign law enforcement?",
     "must_include": [["sixteen", "16"]], "quote": "at least sixteen ISKP plots", "tags": ["plots"]},
    {"id": "oos", "question": "How do I make a sourdough starter at home?", "answerable": False,
     "tags": ["unanswerable"]},
    {"id": "never", "question": "How many ISKP plots were interdicted in Germany?", "must_include": [["xylophone"]],
     "tags": ["plots"]},
]


@pytest.fixture(scope="module")
def project(tmp_path_factory):
    base = tmp_path_factory.mktemp("plugin")
    copy_corpus(base / "corpus", REPORT_ONLY)
    (base / "golden.jsonl").write_text("".join(json.dumps(c) + "\n" for c in CASES))
    (base / "baseline.json").write_text(json.dumps({"metrics": {}, "cases": [
        {"id": "plots-total", "passed": True, "failures": []},
        {"id": "never", "passed": False, "failures": ['missing "xylophone"']}]}))
    return base


def run_pytest(cwd: Path, *args: str) -> subprocess.CompletedProcess:
    command = [sys.executable, "-m", "pytest", "-p", "assistant.eval.pytest_plugin", "-p", "no:cacheprovider",
               "--rootdir", str(cwd), "-c", str(cwd / "none.ini"), "--golden-index", str(cwd / "index"),
               "--golden-corpus", str(cwd / "corpus"), "-rA", *args]
    (cwd / "none.ini").write_text("[pytest]\n")
    return subprocess.run(command, cwd=cwd, capture_output=True, text=True, timeout=600)


def test_plugin_runs_one_test_per_case_with_baseline_xfails(project):
    run = run_pytest(project, "--golden", "golden.jsonl", "--golden-baseline", "baseline.json",
                     "--golden-fail-under", "citation_validity=1.0", "--golden-out", "out")
    assert run.returncode == 0, run.stdout + run.stderr
    out = run.stdout
    assert "PASSED golden.jsonl::plots-total" in out and "PASSED golden.jsonl::oos" in out
    assert "XFAIL golden.jsonl::never" in out and "PASSED golden.jsonl::<thresholds>" in out
    assert "3 passed, 1 xfailed" in out
    results = json.loads((project / "out" / "results.json").read_text())
    assert [c["id"] for c in results["cases"]] == ["plots-total", "oos", "never"]
    assert (project / "out" / "report.html").exists()


def test_plugin_fails_a_broken_case_with_its_line_and_checks_thresholds(project):
    run = run_pytest(project, "golden.jsonl", "-k", "plots or thresholds",
                     "--golden-fail-under", "answer_correctness=0.9")
    assert run.returncode == 1, run.stdout + run.stderr
    out = run.stdout
    assert "golden.jsonl:3: golden case never failed: missing \"xylophone\"" in out
    assert "PASSED golden.jsonl::plots-total" in out and "golden.jsonl::oos" not in out  # deselected by tag
    assert "answer_correctness 0.5000 < fail-under 0.9" in out
    assert "2 failed, 1 passed, 1 deselected" in out
