"""Harness units without an engine: golden parsing, matching rules, metrics, baseline diff, reports, feedback."""
from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from assistant.eval import baseline as cmp
from assistant.eval import feedback as fb
from assistant.eval import metrics as m
from assistant.eval import report
from assistant.eval.golden import GoldenError, load_golden

ROOT = Path(__file__).resolve().parent.parent


def write(tmp_path, *lines, name="golden.jsonl") -> Path:
    path = tmp_path / name
    path.write_text("\n".join(row if isinstance(row, str) else json.dumps(row) for row in lines) + "\n", encoding="utf-8")
    return path


# ----- golden parsing -----
GOOD = {"id": "plots-total", "question": "How many plots?", "answer": "Sixteen.", "must_include": [["sixteen", "16"]],
        "sources": ["next-afghan-jihad"], "quote": "at least sixteen ISKP plots", "answerable": True}


def test_loads_single_and_multi_turn_cases_and_keeps_extra_fields(tmp_path):
    path = write(tmp_path, GOOD, "", {
        "id": "followup", "sources": ["doc"], "answerable": True, "reviewer": "ana", "tags": ["multi-turn"],
        "turns": [{"question": "How many in India?", "must_include": [["three", "3"]]},
                  {"question": "And in Iran?", "must_include": [["four", "4"]], "quote": "four in Iran"}]})
    first, second = load_golden(path)
    assert first.question == "How many plots?" and first.turns[0].must_include == [["sixteen", "16"]]
    assert first.turns[0].quote == "at least sixteen ISKP plots" and first.line == 1
    assert second.multi_turn and second.line == 3 and second.extra == {"reviewer": "ana"}
    assert [t.sources for t in second.turns] == [["doc"], ["doc"]]  # inherited from the case
    assert [t.quote for t in second.turns] == ["", "four in Iran"]
    assert second.tags == ["multi-turn"]


def test_unanswerable_case_needs_nothing_else(tmp_path):
    (case,) = load_golden(write(tmp_path, {"id": "oos", "question": "Sourdough?", "answerable": False}))
    assert case.answerable is False and case.turns[0].answerable is False and case.turns[0].must_include == []


@pytest.mark.parametrize("line, message", [
    ('{"id": "x", "question": "q"', "not valid JSON"),
    ('["id", "x"]', "expected a JSON object"),
    ({"question": "q"}, '"id" must be a non-empty string'),
    ({"id": "x"}, 'exactly one of "question" or "turns"'),
    ({"id": "x", "question": "q", "turns": [{"question": "q"}]}, 'exactly one of "question" or "turns"'),
    ({"id": "x", "question": "  "}, '"question" must be a non-empty string'),
    ({"id": "x", "question": "q", "must_include": ["sixteen"]}, "must_include"),
    ({"id": "x", "question": "q", "must_include": [[]]}, "must_include"),
    ({"id": "x", "question": "q", "must_include": [["ok", 3]]}, "must_include"),
    ({"id": "x", "question": "q", "answerable": "yes"}, '"answerable" must be true or false'),
    ({"id": "x", "question": "q", "sources": "doc"}, '"sources" must be a list'),
    ({"id": "x", "question": "q", "quote": 5}, '"quote" must be a string'),
    ({"id": "x", "turns": []}, '"turns" must be a non-empty list'),
    ({"id": "x", "turns": ["q"]}, "turn 1 must be an object"),
    ({"id": "x", "turns": [{"question": "q"}, {"must_include": [["a"]]}]}, "turn 2"),
])
def test_malformed_lines_are_rejected_with_file_and_line(tmp_path, line, message):
    path = write(tmp_path, GOOD | {"id": "fine"}, "", line)
    with pytest.raises(GoldenError) as err:
        load_golden(path)
    assert str(err.value).startswith(f"{path}:3: ")
    assert message in str(err.value)
    assert err.value.line == 3


def test_duplicate_ids_empty_and_missing_files(tmp_path):
    with pytest.raises(GoldenError, match=r":2: duplicate id 'plots-total' \(first on line 1\)"):
        load_golden(write(tmp_path, GOOD, GOOD))
    with pytest.raises(GoldenError, match="no cases"):
        load_golden(write(tmp_path, "", "  "))
    with pytest.raises(GoldenError, match="file not found"):
        load_golden(tmp_path / "missing.jsonl")


def test_project_golden_set_is_valid_and_big_enough():
    cases = load_golden(ROOT / "eval" / "golden.jsonl")
    assert len(cases) >= 40
    assert sum(1 for c in cases if not c.answerable) >= 8
    assert sum(1 for c in cases if c.multi_turn) >= 5
    text = (ROOT / "corpus" / "the-next-afghan-jihad.txt").read_text(encoding="utf-8")
    for case in cases:  # every quote is really in the report
        for turn in case.turns:
            if turn.quote:
                assert m.normalise(turn.quote) in m.normalise(text), case.id
            for group in turn.must_include:  # and every answerable fact too
                assert any(m.find_alternative(a, text) for a in group), (case.id, group)


# ----- matching rules -----
@pytest.mark.parametrize("alternative, text, found", [
    ("sixteen", "At least SIXTEEN plots", True),
    ("3", "three in India, 3 in Germany", True),
    ("3", "in 2023 and 2013", False),
    ("3", "3.5 percent", False),
    ("3", "3 plots.", True),
    ("60", "Sixty World Heritage Sites", True),
    ("25", "twenty-five plots", True),
    ("1", "one of the plots", False),  # "one" is also a pronoun
    ("6", "sixty sites", False),
    ("19", "the first phase (2015-19)", True),
    ("2015", "the first phase (2015-19)", True),
    ("15", "the first phase (2015-19)", False),
    ("negotiat", "engaging in Negotiations", True),
    ("group's", "the group’s resolve", True),
    ("north east", "the north\n  east corridor", True),
    ("Iran", "Iranian", True),  # substring rule for words
])
def test_alternative_matching(alternative, text, found):
    assert m.find_alternative(alternative, text) is found


def test_groups_need_one_alternative_each_and_markers_do_not_count():
    groups = [["four", "4"], ["iran"]]
    assert m.match_groups(groups, "Four plots were foiled in Iran [2].") == ["four", "iran"]
    assert m.match_groups(groups, "Plots were foiled in Iran [4].") == [None, "iran"]
    assert not m.must_include_passes(groups, "Plots were foiled in Iran [4].")
    assert m.must_include_passes([], "anything")


def test_citation_problems_and_support():
    doc = "Since 2015, foreign law enforcement has interdicted at least sixteen ISKP plots."
    quote = "at least sixteen ISKP plots"
    start = doc.index(quote)
    assert m.citation_problem(quote, start, start + len(quote), doc) is None
    assert "differs" in m.citation_problem(quote, start + 1, start + 1 + len(quote), doc)
    assert "not in the source at all" in m.citation_problem("at least seventeen", start, start + 18, doc)
    assert "outside" in m.citation_problem(quote, 0, 10_000, doc)
    assert m.citation_problem(quote, 0, 5, None) == "cited document not found"
    # claim support: each cited sentence's key facts must be stated by the quotes it cites
    cited = [{"n": 1, "quote": quote, "valid": True}, {"n": 2, "quote": "seven in India", "valid": False}]
    checks = m.claim_checks("ISKP plots numbered 16 [1]. Nine were in India [1]. Seven in India [2]. No marker.",
                            cited)
    assert [c["missing"] for c in checks] == [[], ["number 9", "name India"], ["number 7", "name India"]]
    # ... and, given the question, the Factbook field it states must be the one its quote gives
    consumption = [{"n": 1, "quote": "GDP - composition, by end use, government consumption: 21.2%", "valid": True,
                    "title": "The World Factbook: Germany"}]
    claim = "21.2% of Germany's economy is put into defence [1]."
    asked = "What share of its economy does Germany put into defence?"
    assert m.claim_checks(claim, consumption, asked)[0]["missing"] == ["field Military Expenditures"]
    assert m.claim_checks(claim, consumption)[0]["missing"] == []
    # ... and a quote sharing only the claim's names does not support it
    groups = [{"n": 1, "quote": "ISKP follows a long list of jihadist groups, including al-Qaeda and the Islamic State.",
               "valid": True}]
    assert m.claim_checks("ISKP relies on the Islamic State's outlets [1].", groups)[0]["missing"] == [
        "a word beyond its names"]


def test_retrieval_rank_by_quote_then_by_source():
    passages = [{"doc_id": "a", "text": "nothing here"}, {"doc_id": "b", "text": "at least  sixteen\nISKP plots"}]
    assert m.retrieval_rank(passages, quote="at least sixteen ISKP plots") == 2
    assert m.retrieval_rank(passages, quote="seventeen") is None
    assert m.retrieval_rank(passages, sources=["b"]) == 2
    assert m.retrieval_rank(passages, sources=["c"]) is None


def test_percentile():
    assert m.percentile([], 50) is None
    assert m.percentile([10, 20, 30, 40], 50) == 25
    assert m.percentile(list(range(1, 101)), 95) == pytest.approx(95.05)


def test_parse_threshold():
    assert m.parse_threshold("hit_at_k=0.9") == ("hit_at_k", 0.9)
    assert m.parse_threshold("answer-correctness=80%") == ("answer_correctness", 0.8)
    for bad in ("accuracy=0.5", "mrr", "mrr=high", "mrr=3"):
        with pytest.raises(ValueError):
            m.parse_threshold(bad)


# ----- metrics on hand-built results -----
def turn(answerable=True, abstained=False, correct=True, rank=1, citations=(True,), support=(True,), ms=100.0):
    target = "quote" if answerable else None
    return {
        "question": "q", "standalone_question": "q", "answer": "a", "abstained": abstained,
        "expected_answerable": answerable, "reference_answer": "", "must_include": [],
        "correct": correct if answerable else None,
        "retrieval": {"target": target, "k": 5, "rank": rank if target else None,
                      "hit": (rank is not None and rank <= 5) if target else None,
                      "rr": (1 / rank if rank else 0.0) if target else None},
        "citations": [{"n": i + 1, "doc_id": "d", "start": 0, "end": 1, "quote": "x", "valid": v, "problem": None}
                      for i, v in enumerate(citations)],
        "citation_validity": None, "claims": [{"sentence": "s", "missing": [] if ok else ["number 9"]}
                                              for ok in support if ok is not None],
        "claim_support": None, "passages": [],
        "backend": "fake", "model": "fake", "notices": [], "latency_ms": ms, "engine_ms": ms, "error": None,
        "passed": True, "failures": [],
    }


def case(case_id, passed, *turns, tags=("t",)):
    return {"id": case_id, "question": "q", "tags": list(tags), "answerable": True, "multi_turn": len(turns) > 1,
            "line": 1, "passed": passed, "failures": [] if passed else ["missing x"], "latency_ms": 1.0,
            "turns": list(turns)}


def hand_built():
    return [
        case("a", True, turn(rank=1, ms=100)),
        case("b", False, turn(correct=False, rank=2, support=(None,), ms=200)),
        case("c", False, turn(abstained=True, correct=False, rank=None, citations=(), support=(), ms=300)),
        case("d", True, turn(answerable=False, abstained=True, citations=(), support=(), ms=400), tags=("oos",)),
        case("e", False, turn(answerable=False, abstained=False, citations=(True, False), support=(), ms=500)),
        case("f", True, turn(rank=4, ms=600), turn(rank=1, support=(True, False), ms=700), tags=("t", "multi")),
    ]


def test_aggregate_metrics_on_hand_built_results():
    metrics = m.aggregate(hand_built())
    # retrieval over the 5 answerable turns: ranks 1, 2, miss, 4, 1
    assert metrics["hit_at_k"] == pytest.approx(0.8)
    assert metrics["mrr"] == pytest.approx(round((1 + 0.5 + 0 + 0.25 + 1) / 5, 4))
    assert metrics["answer_correctness"] == pytest.approx(0.6)  # a, f1, f2 of 5 answerable turns
    assert metrics["citation_validity"] == pytest.approx(round(5 / 6, 4))
    assert metrics["claim_support"] == pytest.approx(0.75)  # 3 of 4 cited sentences state their quotes' facts
    assert metrics["counts"]["unsupported_sentences"] == 1
    assert metrics["abstention_precision"] == pytest.approx(0.5)  # c (wrongly) and d abstained
    assert metrics["abstention_recall"] == pytest.approx(0.5)  # d abstained, e did not
    assert metrics["pass_rate"] == pytest.approx(0.5)
    assert metrics["latency_p50_ms"] == 400 and metrics["latency_p95_ms"] == pytest.approx(670.0)
    assert metrics["counts"]["turns"] == 7 and metrics["counts"]["invalid_citations"] == 1
    assert metrics["by_tag"]["t"] == {"cases": 5, "passed": 2, "pass_rate": 0.4}
    assert metrics["k"] == 5


def test_metrics_without_any_abstention_or_citation_are_not_applicable():
    metrics = m.aggregate([case("a", True, turn(citations=(), support=()))])
    assert metrics["abstention_precision"] is None and metrics["abstention_recall"] is None
    assert metrics["citation_validity"] is None and metrics["claim_support"] is None


# ----- baseline diff and gate -----
def results_of(cases):
    return {"meta": {"backend": "fake", "created": "now", "golden_sha256": "x"}, "metrics": m.aggregate(cases),
            "cases": cases}


def test_compare_lists_regressed_and_improved_cases_and_metric_drops():
    before = hand_built()
    now = json.loads(json.dumps(before))
    now[0] = case("a", False, turn(correct=False, rank=3))  # a regresses
    now[1] = case("b", True, turn(rank=2))  # b improves
    now.append(case("g", True, turn()))
    diff = cmp.compare(results_of(now), results_of(before[:5] + [case("h", True, turn())]))
    assert [c["id"] for c in diff["regressed"]] == ["a"] and diff["regressed"][0]["now"] == ["missing x"]
    assert [c["id"] for c in diff["improved"]] == ["b"]
    assert diff["added"] == ["f", "g"] and diff["removed"] == ["h"]
    assert diff["retrieval_worse"] == [{"id": "a", "before": [1], "now": [3]}] and diff["retrieval_better"] == []
    assert diff["regression"]
    rows = {r["name"]: r for r in diff["metrics"]}
    assert rows["mrr"]["delta"] < 0 and rows["mrr"]["regressed"]
    problems = cmp.gate(results_of(now), diff, {"pass_rate": 0.99})
    assert any(p.startswith("regressed case a") for p in problems)
    assert any(p.startswith("pass_rate") and "fail-under" in p for p in problems)
    assert any(p.startswith("citation_validity") for p in problems)  # case e has an invalid quote


def test_gate_passes_an_identical_run_and_respects_tolerance():
    cases = [case("a", True, turn()), case("b", True, turn(answerable=False, abstained=True, citations=()))]
    same = results_of(cases)
    assert cmp.gate(same, cmp.compare(same, results_of(cases)), {"answer_correctness": 1.0}) == []
    worse = results_of(cases)
    worse["metrics"] = dict(worse["metrics"], mrr=0.99)
    assert cmp.gate(worse, cmp.compare(worse, same, tolerance=0.02)) == []
    assert "mrr dropped" in " ".join(cmp.gate(worse, cmp.compare(worse, same, tolerance=0.005)))
    assert cmp.gate(same, None, {"abstention_precision": 0.5}) == []
    none = results_of([case("a", True, turn())])
    assert "was not measured" in cmp.gate(none, None, {"abstention_recall": 0.5})[0]


def test_load_results_rejects_other_files(tmp_path):
    bad = tmp_path / "x.json"
    bad.write_text('{"hello": 1}')
    with pytest.raises(cmp.BaselineError, match="not a results.json"):
        cmp.load_results(bad)
    with pytest.raises(cmp.BaselineError, match="not found"):
        cmp.load_results(tmp_path / "nope.json")


# ----- reports -----
def test_reports_render_with_and_without_baseline():
    now, before = results_of(hand_built()), results_of(hand_built()[:4])
    now["cases"][0]["turns"][0]["retrieval"].update(rank=None, hit=False, rr=0.0)
    now["cases"][0]["turns"][0]["answer"] = "<script>alert(1)</script> | pipe"
    diff = cmp.compare(now, before)
    problems = cmp.gate(now, diff)
    md = report.to_markdown(now, diff, problems)
    assert "| Retrieval hit@5 | 80.0% |" in md and "**Gate: FAIL**" in md and "Baseline" in md
    assert "**Retrieval got worse (1)**: `a` 1 → miss" in md
    html = report.to_html(now, diff, problems)
    assert "<script>" not in html and "&lt;script&gt;" in html
    assert not re.search(r"""(?:src|href)=["']?(?:https?:)?//""", html)  # no external assets
    assert "<link" not in html and "@import" not in html
    svg = re.search(r"<svg.*?</svg>", html, re.S).group(0)
    ET.fromstring(svg)  # well-formed inline SVG
    assert svg.count("<rect") >= 8 * 2  # one bar per metric for the run and the baseline
    text = report.terminal_summary(now, diff, problems)
    assert "GATE: FAIL" in text and "Baseline" in text
    plain = report.to_html(results_of(hand_built()))
    assert "Baseline" not in plain and "<svg" in plain


# ----- feedback import -----
def fb_line(rating, question, answer="", citations=(), abstained=False, standalone=None, comment=""):
    return {"ts": "2026-01-01T00:00:00Z", "session_id": "s", "rating": rating, "comment": comment,
            "question": question, "standalone_question": standalone or question, "answer": answer,
            "abstained": abstained, "citations": list(citations), "backend": "extractive", "model": "none"}


def test_import_feedback_builds_reviewable_candidates(tmp_path):
    cite = {"n": 1, "doc_id": "next-afghan-jihad", "quote": "four in Iran", "start": 1, "end": 13}
    feedback = write(tmp_path, fb_line("up", "How many plots in Iran?", "Four plots were foiled in Iran [1].", [cite]),
                     fb_line("up", "how many plots in Iran", "Four plots were foiled in Iran [1].", [cite]),
                     "not json", {"rating": "meh", "question": "x"},
                     fb_line("down", "Who leads ISKP?", "Sanaullah Ghafari [1].", [cite], comment="not in report"),
                     fb_line("up", "Who won the World Cup?", "The sources ... cannot answer", abstained=True),
                     fb_line("up", "And in Germany?", "Three in Germany [1].", [cite],
                             standalone="How many plots in Germany?"),
                     fb_line("down", "When was it published?", "x"), fb_line("up", "When was it published?", "y"),
                     fb_line("up", "How many ISKP plots were interdicted in India?", "Three [1]", [cite]),
                     name="feedback.jsonl")
    golden = write(tmp_path, {"id": "india", "question": "How many ISKP plots were interdicted in India?",
                              "must_include": [["three"]]})
    out = tmp_path / "candidates.jsonl"
    summary = fb.import_feedback(feedback, out, golden)
    assert summary["candidates"] == 5 and summary["already_golden"] == 1 and len(summary["warnings"]) == 2
    assert f"{feedback}:3:" in summary["warnings"][0]
    candidates = [json.loads(line) for line in out.read_text().splitlines()]
    by_q = {c["question"]: c for c in candidates}
    iran = by_q["How many plots in Iran?"]
    assert iran["must_include"][0] == ["four", "4"] and iran["sources"] == ["next-afghan-jihad"]
    assert iran["quote"] == "four in Iran" and iran["feedback"]["ratings"] == {"up": 2, "down": 0}
    down = by_q["Who leads ISKP?"]
    assert down["needs_review"] and down["bad_answer"] == "Sanaullah Ghafari."
    assert down["bad_citations"] == ["four in Iran"] and down["feedback"]["comments"] == ["not in report"]
    assert by_q["Who won the World Cup?"]["answerable"] is False
    assert by_q["How many plots in Germany?"]["feedback"]["asked_as"] == ["And in Germany?"]
    assert "Conflicting" in by_q["When was it published?"]["review"]
    assert len({c["id"] for c in candidates}) == 5
    # candidates are themselves valid golden lines
    assert len(load_golden(out)) == 5


def test_feedback_records_reason_and_user_and_import_keeps_them(tmp_path):
    from assistant import feedback
    from assistant.answer import Answer

    answer = Answer(question="And in Iran?", standalone_question="How many plots were foiled in Iran?",
                    text="Three plots were foiled [1].", abstained=False, backend="extractive", model="none")
    path = tmp_path / "feedback.jsonl"
    feedback.record(path, answer, "up", session_id="s1")  # the older callers' form still works
    entry = feedback.record(path, answer, "down", "s1", "the report says four", reason="wrong", user="analyst")
    assert (entry["reason"], entry["user"], entry["comment"]) == ("wrong", "analyst", "the report says four")
    with pytest.raises(ValueError, match="reason must be one of"):
        feedback.record(path, answer, "down", reason="rude")
    out = tmp_path / "candidates.jsonl"
    assert fb.import_feedback(path, out)["candidates"] == 1
    [candidate] = [json.loads(line) for line in out.read_text().splitlines()]
    assert candidate["question"] == "How many plots were foiled in Iran?"
    assert candidate["feedback"]["reasons"] == ["wrong"] and candidate["feedback"]["users"] == ["analyst"]
    assert candidate["feedback"]["comments"] == ["the report says four"]


def test_import_feedback_never_writes_into_a_golden_set(tmp_path):
    feedback = write(tmp_path, fb_line("up", "q?", "a"), name="feedback.jsonl")
    for target in (tmp_path / "golden.jsonl", tmp_path / "mine.jsonl"):
        with pytest.raises(fb.FeedbackError, match="refusing"):
            fb.import_feedback(feedback, target, tmp_path / "mine.jsonl")


def test_suggestions_prefer_numbers_then_key_terms():
    groups = fb.suggest_must_include("Twelve of these occurred after 2021: five in 2022 [1].", "How many plots?")
    assert groups[:3] == [["twelve", "12"], ["2021"], ["five", "5"]]
    assert fb.suggest_must_include("It is the al-Azaim Media Foundation.", "What is its media called?") \
        [0] == ["al-azaim"]


def test_report_command_compares_saved_runs(tmp_path, capsys):
    from assistant.eval.cli import main

    good = [case("a", True, turn()), case("b", True, turn(answerable=False, abstained=True, citations=()))]
    bad = [case("a", False, turn(correct=False, rank=2)), good[1]]
    (tmp_path / "base.json").write_text(json.dumps(results_of(good)))
    (tmp_path / "run.json").write_text(json.dumps(results_of(bad)))
    out = tmp_path / "report"
    assert main(["report", str(tmp_path / "base.json"), "--out", str(out)]) == 0
    assert main(["report", str(tmp_path / "run.json"), "--baseline", str(tmp_path / "base.json"),
                 "--out", str(out)]) == 1
    printed = capsys.readouterr().out
    assert "Regressed (1):" in printed and "GATE: FAIL" in printed and "Retrieval worse: a 1->2" in printed
    assert "**Regressed (1)**" in (out / "report.md").read_text() and (out / "report.html").exists()
    assert json.loads((out / "results.json").read_text())["gate"]["passed"] is False
    assert main(["report", str(out / "results.json"), "--out", str(out)]) == 2  # would overwrite its input
    assert main(["report", str(tmp_path / "missing.json")]) == 2


def test_cli_usage_errors_return_codes(capsys):
    from assistant.eval.cli import main

    assert main([]) == 2 and "assistant eval GOLDEN.jsonl" in capsys.readouterr().out
    assert main(["run", "--help"]) == 0 and "--fail-under" in capsys.readouterr().out
    assert main(["golden.jsonl", "--backend", "gpt-9"]) == 2
    assert main(["import-feedback", "--no-such-flag"]) == 2
