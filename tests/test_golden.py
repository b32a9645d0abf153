"""The project's golden set, run as tests with the extractive backend (the CI gate in pytest form).

A case fails the build only if it passed in eval/baseline-extractive.json (known failures are xfail);
test_thresholds checks eval/thresholds.json, citation validity and metric drops against the baseline.
"""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from assistant.eval.baseline import compare, gate, load_results
from assistant.eval.golden import load_golden
from assistant.eval.pytest_plugin import assert_case_passed, golden_params
from assistant.eval.runner import run_golden

ROOT = Path(__file__).resolve().parent.parent
GOLDEN = ROOT / "eval" / "golden.jsonl"
BASELINE = ROOT / "eval" / "baseline-extractive.json"
THRESHOLDS = ROOT / "eval" / "thresholds.json"


@pytest.fixture(scope="module")
def results(extractive_engine):  # conftest: extractive backend on a temporary index of a corpus copy
    return run_golden(load_golden(GOLDEN), extractive_engine, golden_path=GOLDEN)


@pytest.mark.parametrize("case_id", golden_params(GOLDEN, BASELINE))
def test_golden_case(results, case_id):
    assert_case_passed(next(c for c in results["cases"] if c["id"] == case_id))


def test_thresholds(results):
    config = json.loads(THRESHOLDS.read_text(encoding="utf-8"))
    comparison = compare(results, load_results(BASELINE), config.get("tolerance", 0.02))
    problems = gate(results, comparison, config["fail_under"])
    assert not problems, "\n".join(problems)
