"""Evaluation harness: golden sets, metrics, runs, baseline diffs, reports, feedback import, pytest plugin.

    from assistant.eval import load_golden, run_golden, compare, gate
    results = run_golden(load_golden("eval/golden.jsonl"), engine)
"""
from .baseline import compare, gate, load_results
from .golden import Case, GoldenError, Turn, load_golden
from .metrics import METRICS, aggregate, find_alternative, match_groups
from .runner import run_case, run_golden

__all__ = ["Case", "GoldenError", "METRICS", "Turn", "aggregate", "compare", "find_alternative", "gate",
           "load_golden", "load_results", "match_groups", "run_case", "run_golden"]
