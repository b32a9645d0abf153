"""The held-out test split stays held out: none of its questions in code, prompts, examples or the dev split."""
from __future__ import annotations

import json
import re

import pytest

from fixtures.corpus import ROOT

TEST_SPLIT = ROOT / "eval" / "golden-test.jsonl"
DEV_SPLIT = ROOT / "eval" / "golden-dev.jsonl"
SEARCHED = [*ROOT.glob("assistant/**/*.py"), *ROOT.glob("prompts/*"), ROOT / "corpus" / "manifest.yaml",
            *ROOT.glob("bench/*.py"), *ROOT.glob("scripts/*"), *ROOT.glob("tests/**/*.py")]


def questions(path) -> list[str]:
    out = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.strip():
            case = json.loads(line)
            out += [case["question"]] if "question" in case else [t["question"] for t in case["turns"]]
    return out


def folded(text: str) -> str:
    return re.sub(r"\W+", " ", text.lower()).strip()


@pytest.fixture(scope="module")
def searched_text() -> str:
    return folded(" ".join(p.read_text(encoding="utf-8", errors="replace") for p in SEARCHED if p.is_file()))


def test_no_test_question_appears_in_code_prompts_or_examples(searched_text):
    leaked = [q for q in questions(TEST_SPLIT) if len(folded(q).split()) >= 4 and folded(q) in searched_text]
    assert leaked == [], "test-split questions must not be used to build the product"


def test_the_splits_do_not_share_questions():
    def long(path):  # a follow-up such as "And Turkmenistan?" may well occur in both
        return {folded(q) for q in questions(path) if len(folded(q).split()) >= 4}

    assert not long(TEST_SPLIT) & long(DEV_SPLIT)
    assert not long(TEST_SPLIT) & long(ROOT / "eval" / "golden.jsonl")
