"""Golden sets: JSONL, one case a line, validated with the file and line of every problem.

    {"id": "plots-total", "question": "...", "answer": "...", "must_include": [["sixteen", "16"]],
     "sources": ["next-afghan-jihad"], "quote": "text a retrieved chunk must contain", "answerable": true}
    {"id": "followup", "turns": [{"question": "...", "must_include": [["three", "3"]]},
                                 {"question": "And in Iran?", "must_include": [["four", "4"]]}], ...}

A turn inherits the case's `sources`, `quote`, `answerable` unless it sets its own. Unknown fields are kept.
"""
from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import NoReturn

from .. import jsonl

CASE_FIELDS = {"id", "question", "turns", "answer", "must_include", "sources", "quote", "answerable"}
TURN_FIELDS = {"question", "answer", "must_include", "sources", "quote", "answerable"}


class GoldenError(ValueError):
    """A malformed golden set; str() is 'FILE:LINE: problem'."""

    def __init__(self, path, line: int | None, message: str):
        self.path, self.line, self.message = str(path), line, message
        super().__init__(f"{self.path}:{line}: {message}" if line else f"{self.path}: {message}")


@dataclass
class Turn:
    question: str
    must_include: list[list[str]] = field(default_factory=list)
    answer: str = ""
    sources: list[str] = field(default_factory=list)
    quote: str = ""
    answerable: bool = True


@dataclass
class Case:
    id: str
    turns: list[Turn]
    answerable: bool = True
    sources: list[str] = field(default_factory=list)
    quote: str = ""
    answer: str = ""
    tags: list[str] = field(default_factory=list)
    extra: dict = field(default_factory=dict)  # fields this harness does not use, kept as given
    line: int = 0
    path: str = ""

    @property
    def question(self) -> str:
        return self.turns[0].question

    @property
    def multi_turn(self) -> bool:
        return len(self.turns) > 1


def load_golden(path: str | Path) -> list[Case]:
    path = Path(path)
    try:
        lines = jsonl.read_lines(path)
    except FileNotFoundError:
        raise GoldenError(path, None, "file not found") from None
    except UnicodeDecodeError as exc:
        raise GoldenError(path, None, f"not UTF-8 text ({exc.reason})") from None
    cases: list[Case] = []
    seen: dict[str, int] = {}
    for number, raw in lines:
        try:
            data = json.loads(raw)
        except json.JSONDecodeError as exc:
            raise GoldenError(path, number, f"not valid JSON ({exc.msg} at column {exc.colno})") from None
        case = parse_case(data, path, number)
        if case.id in seen:
            raise GoldenError(path, number, f"duplicate id {case.id!r} (first on line {seen[case.id]})")
        seen[case.id] = number
        cases.append(case)
    if not cases:
        raise GoldenError(path, None, "no cases (expected one JSON object a line)")
    return cases


def parse_case(data, path: str | Path = "<golden>", line: int = 0) -> Case:
    def fail(message: str) -> NoReturn:
        raise GoldenError(path, line, message)

    if not isinstance(data, dict):
        fail(f"expected a JSON object, got {type(data).__name__}")
    case_id = data.get("id")
    if not isinstance(case_id, str) or not case_id.strip():
        fail('"id" must be a non-empty string')
    where = f"case {case_id!r}: "
    answerable = data.get("answerable", True)
    if not isinstance(answerable, bool):
        fail(where + '"answerable" must be true or false')
    sources = _strings(data.get("sources", []), where + '"sources"', fail)
    quote = _text(data.get("quote", ""), where + '"quote"', fail)
    answer = _text(data.get("answer", ""), where + '"answer"', fail)
    tags = data.get("tags", [])
    tags = _strings(tags, where + '"tags"', fail) if isinstance(tags, list) else [str(tags)]

    if ("question" in data) == ("turns" in data):
        fail(where + 'needs exactly one of "question" or "turns"')
    if "question" in data:
        turns = [_turn({k: data[k] for k in TURN_FIELDS if k in data}, where, fail, sources, quote, answerable)]
    else:
        raw_turns = data["turns"]
        if not isinstance(raw_turns, list) or not raw_turns:
            fail(where + '"turns" must be a non-empty list of objects')
        if "must_include" in data:
            fail(where + 'put "must_include" inside each turn of a multi-turn case')
        turns = []
        for i, raw in enumerate(raw_turns, start=1):
            if not isinstance(raw, dict):
                fail(where + f"turn {i} must be an object")
            turns.append(_turn(raw, where + f"turn {i}: ", fail, sources, quote, answerable))
    extra = {k: v for k, v in data.items() if k not in CASE_FIELDS | {"tags"}}
    return Case(id=case_id.strip(), turns=turns, answerable=answerable, sources=sources, quote=quote,
                answer=answer, tags=tags, extra=extra, line=line, path=str(path))


def _turn(raw: dict, where: str, fail: Callable[[str], NoReturn], sources, quote, answerable) -> Turn:
    question = raw.get("question")
    if not isinstance(question, str) or not question.strip():
        fail(where + '"question" must be a non-empty string')
    turn_answerable = raw.get("answerable", answerable)
    if not isinstance(turn_answerable, bool):
        fail(where + '"answerable" must be true or false')
    return Turn(
        question=question,
        must_include=parse_must_include(raw.get("must_include", []), where, fail),
        answer=_text(raw.get("answer", ""), where + '"answer"', fail),
        sources=_strings(raw["sources"], where + '"sources"', fail) if "sources" in raw else list(sources),
        quote=_text(raw["quote"], where + '"quote"', fail) if "quote" in raw else quote,
        answerable=turn_answerable,
    )


def parse_must_include(value, where: str = "", fail=None) -> list[list[str]]:
    def bad(message):
        if fail:
            fail(where + message)
        raise ValueError(where + message)

    shape = '"must_include" must be a list of groups, each a non-empty list of strings, e.g. [["sixteen", "16"]]'
    if not isinstance(value, list):
        bad(shape)
    groups = []
    for group in value:
        if not isinstance(group, list) or not group:
            bad(shape)
        alternatives = []
        for alt in group:
            if not isinstance(alt, str) or not alt.strip():
                bad(shape + f"; got alternative {alt!r}")
            alternatives.append(alt.strip())
        groups.append(alternatives)
    return groups


def _strings(value, what: str, fail) -> list[str]:
    if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
        fail(f"{what} must be a list of non-empty strings")
    return [v.strip() for v in value]


def _text(value, what: str, fail) -> str:
    if not isinstance(value, str):
        fail(f"{what} must be a string")
    return value
