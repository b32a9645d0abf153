"""The harness against the real engine (extractive backend and a fake LLM) on a temporary index."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from assistant.engine import Engine
from assistant.eval import baseline as cmp
from assistant.eval.cli import main as eval_main
from assistant.eval.golden import load_golden
from assistant.eval.runner import run_golden

from fixtures.llm import ScriptedLLM, passages_in

ROOT = Path(__file__).resolve().parent.parent

CASES = [
    {"id": "plots-total", "question": "Since 2015, how many ISKP plots have been foiled by foreign law enforcement?",
     "must_include": [["sixteen", "16"]], "sources": ["next-afghan-jihad"],
     "quote": "foreign law enforcement has interdicted at least sixteen ISKP plots", "answerable": True},
    {"id": "followup", "sources": ["next-afghan-jihad"], "answerable": True,
     "turns": [{"question": "How many ISKP plots were interdicted in India?", "must_include": [["three", "3"]]},
               {"question": "And in Iran?", "must_include": [["four", "4"]]}]},
    {"id": "tunisia", "question": "To which country's pre-revolution jihadist movement do the authors compare the "
     "Tajik involvement?", "must_include": [["tunisia"]], "sources": ["next-afghan-jihad"], "answerable": True},
    {"id": "oos", "question": "How do I make a sourdough starter at home?", "answerable": False},
    {"id": "never", "question": "How many ISKP plots were interdicted in Germany?", "must_include": [["xylophone"]],
     "answerable": True},  # cannot pass: the gate tests doctor a baseline in which it did
]


def write_golden(path: Path, cases=CASES) -> Path:
    path.write_text("".join(json.dumps(c) + "\n" for c in cases), encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def workspace(tmp_path_factory):
    return tmp_path_factory.mktemp("eval")


@pytest.fixture(scope="module")
def settings(shared_settings):  # conftest: a copy of the corpus and a temporary index
    return shared_settings


@pytest.fixture(scope="module")
def engine(extractive_engine):
    return extractive_engine


@pytest.fixture(scope="module")
def golden(workspace):
    return load_golden(write_golden(workspace / "golden.jsonl"))


def table_reply(table: dict[str, tuple[str, str]]):
    """Answers from a table: question keyword -> (answer with {n} for the passage holding `needle`, needle)."""
    def reply(prompt: str) -> str:
        question = prompt.rsplit("Question:", 1)[1]
        for key, (answer, needle) in table.items():
            if key.lower() in question.lower():
                numbers = [n for n, body in passages_in(prompt).items() if needle in body]
                if numbers:
                    return answer.format(n=numbers[0])
        return "NOT_IN_SOURCES"
    return reply


RIGHT = {
    "foiled by foreign": ("Foreign law enforcement has interdicted at least sixteen ISKP plots since 2015 [{n}].",
                          "at least sixteen ISKP plots"),
    "India": ("Three ISKP plots were interdicted in India [{n}].", "three in India"),
    "Iran": ("Four ISKP plots were interdicted in Iran [{n}].", "four in Iran"),
    "Tajik involvement": ("The authors compare it to the jihadist movement in Tunisia before its 2011 revolution [{n}].",
                          "jihadist movement in Tunisia"),
}
WRONG = dict(RIGHT, **{"foiled by foreign": (  # a grounded answer to another question: no "sixteen"
    "Twelve of these interdictions occurred after the Taliban took power [{n}].",
    "Twelve of these interdictions")})


def fake_engine(settings, table):
    llm = ScriptedLLM(table_reply(table), condense_reply="NOT_IN_SOURCES", name="fake", model="fake-1")
    engine = Engine(settings, backend=llm)
    engine.ensure_index()
    return engine


def test_extractive_run_scores_every_turn(engine, golden, workspace):
    results = run_golden(golden, engine, golden_path=workspace / "golden.jsonl")
    by_id = {c["id"]: c for c in results["cases"]}
    assert results["meta"]["backend"] == "extractive" and results["meta"]["documents"] == ["next-afghan-jihad"]
    assert len(by_id["followup"]["turns"]) == 2
    first = by_id["plots-total"]["turns"][0]
    assert first["retrieval"]["target"] == "quote" and first["retrieval"]["rank"] == 1 and first["retrieval"]["hit"]
    assert first["correct"] and first["citations"] and all(c["valid"] for c in first["citations"])
    assert first["claim_support"] == 1.0 and first["latency_ms"] > 0
    assert by_id["followup"]["turns"][1]["retrieval"]["target"] == "sources"
    oos = by_id["oos"]
    assert oos["passed"] and oos["turns"][0]["abstained"] and oos["turns"][0]["retrieval"]["target"] is None
    metrics = results["metrics"]
    assert metrics["citation_validity"] == 1.0 and metrics["counts"]["turns"] == 6
    assert not by_id["never"]["passed"] and "xylophone" in by_id["never"]["failures"][0]
    assert metrics["abstention_recall"] == 1.0
    json.dumps(results)  # results.json-ready


def test_fake_llm_regression_is_detected(settings, golden):
    good = run_golden(golden, fake_engine(settings, RIGHT))
    assert {c["id"]: c["passed"] for c in good["cases"]} == {
        "plots-total": True, "followup": True, "tunisia": True, "oos": True, "never": False}, \
        [c["failures"] for c in good["cases"]]
    assert good["metrics"]["answer_correctness"] == 0.8 and good["metrics"]["citation_validity"] == 1.0
    # The claim checks refuse the wrong count (twelve interdictions, not plots); without the extractive fallback
    # nothing is shown, and the harness sees the regression.
    bad = run_golden(golden, fake_engine(settings.model_copy(update={"extractive_fallback": False}), WRONG))
    case = {c["id"]: c for c in bad["cases"]}["plots-total"]
    assert not case["passed"] and case["failures"] == ["abstained on an answerable question"]
    assert case["turns"][0]["abstained"] and not case["turns"][0]["citations"]
    diff = cmp.compare(bad, good)
    assert [c["id"] for c in diff["regressed"]] == ["plots-total"] and diff["improved"] == []
    problems = cmp.gate(bad, diff)
    assert problems and problems[0].startswith("regressed case plots-total")
    assert any(p.startswith("answer_correctness dropped") for p in problems)
    assert cmp.gate(good, cmp.compare(good, good)) == []


class TamperingEngine:
    """The real engine behind the public API, with the first citation's quote altered after the fact."""

    def __init__(self, engine):
        self._engine = engine

    def __getattr__(self, name):
        return getattr(self._engine, name)

    def session(self):
        session = self._engine.session()
        ask = session.ask

        def tampered(question, **kwargs):
            answer = ask(question, **kwargs)
            if answer.citations:
                answer.citations[0].quote = answer.citations[0].quote.replace("sixteen", "seventeen")
            return answer

        session.ask = tampered
        return session


def test_citation_validity_is_recomputed_from_the_source(engine, golden):
    results = run_golden(golden[:1], TamperingEngine(engine))
    (case,) = results["cases"]
    assert not case["passed"]
    assert any("citation [1] invalid" in f and "not in the source" in f for f in case["failures"])
    assert results["metrics"]["citation_validity"] < 1.0
    assert any(p.startswith("citation_validity") for p in cmp.gate(results))


# ----- the command line -----
def cli(settings, *args):
    return eval_main([*args, "--backend", "extractive", "--index", str(settings.index_dir),
                      "--corpus", str(settings.corpus_dir), "--no-progress"])


def test_cli_writes_results_and_reports_and_gates_on_a_baseline(settings, engine, golden, workspace, capsys):
    golden = str(workspace / "golden.jsonl")
    out, base = workspace / "out1", workspace / "baseline.json"
    assert cli(settings, golden, "--out", str(out), "--write-baseline", str(base)) == 0
    printed = capsys.readouterr().out
    assert "Retrieval hit@5" in printed and "Citation validity" in printed
    assert "GATE: none (no baseline or thresholds given" in printed and "PASS" not in printed  # nothing to gate on
    results = json.loads((out / "results.json").read_text())
    assert results["gate"]["applied"] is False
    assert [c["id"] for c in results["cases"]] == ["plots-total", "followup", "tunisia", "oos", "never"]
    assert results["gate"]["passed"] and json.loads(base.read_text())["metrics"] == results["metrics"]
    html = (out / "report.html").read_text()
    assert html.startswith("<!DOCTYPE html>") and "<svg" in html and "http://" not in html.replace(
        'xmlns="http://www.w3.org/2000/svg"', "")
    assert "# Evaluation report" in (out / "report.md").read_text()
    assert not (out / "cases.partial.jsonl").exists()  # only left behind by an interrupted run

    # the same run against its own baseline passes (the `run` form)
    assert cli(settings, "run", golden, "--out", str(workspace / "out2"), "--baseline", str(base)) == 0
    assert "GATE: PASS" in capsys.readouterr().out

    # a baseline in which the failing case passed: a regressed case and a metric drop, exit 1
    doctored = json.loads(base.read_text())
    target = next(c for c in doctored["cases"] if c["id"] == "never")
    assert not target["passed"]
    target["passed"], target["failures"] = True, []
    doctored["metrics"]["pass_rate"] = 1.0  # as it was when "never" passed
    bad_base = workspace / "doctored.json"
    bad_base.write_text(json.dumps(doctored))
    out3 = workspace / "out3"
    assert cli(settings, golden, "--out", str(out3), "--baseline", str(bad_base)) == 1
    printed = capsys.readouterr().out
    assert "GATE: FAIL" in printed and f"regressed case {target['id']}" in printed and "pass_rate dropped" in printed
    report = (out3 / "report.md").read_text()
    assert "**Regressed (1)**" in report and target["id"] in report and "| Baseline |" in report
    assert json.loads((out3 / "results.json").read_text())["comparison"]["regressed"][0]["id"] == target["id"]


def test_cli_fail_under_and_thresholds_file(settings, engine, golden, workspace, capsys):
    golden = str(workspace / "golden.jsonl")
    assert cli(settings, golden, "--out", str(workspace / "o4"), "--fail-under", "citation_validity=1.0,mrr=0.1") == 0
    assert cli(settings, golden, "--out", str(workspace / "o5"), "--fail-under", "pass_rate=1.01") == 2  # > 1
    thresholds = workspace / "thresholds.json"
    thresholds.write_text(json.dumps({"fail_under": {"answer_correctness": 1.0, "abstention_recall": 0.5}}))
    assert cli(settings, golden, "--out", str(workspace / "o6"), "--thresholds", str(thresholds)) == 1
    printed = capsys.readouterr().out
    assert "answer_correctness" in printed and "< fail-under 1" in printed and "abstention_recall" not in printed
    gate = json.loads((workspace / "o6" / "results.json").read_text())["gate"]
    assert gate["fail_under"] == {"answer_correctness": 1.0, "abstention_recall": 0.5} and not gate["passed"]


def test_cli_rejects_a_malformed_golden_set_with_file_and_line(settings, workspace, capsys):
    bad = workspace / "bad.jsonl"
    bad.write_text(json.dumps(CASES[0]) + "\n" + '{"id": "x", "question": "q", "must_include": "sixteen"}\n')
    assert cli(settings, str(bad), "--out", str(workspace / "o7")) == 2
    assert f"{bad}:2:" in capsys.readouterr().err
    assert eval_main(["run", str(bad), "--fail-under", "accuracy=0.5"]) == 2
    assert "METRIC one of hit_at_k" in capsys.readouterr().err


def test_cli_case_filter_and_top_level_dispatch(settings, engine, golden, workspace, capsys):
    from assistant.cli import main as assistant_main

    out = workspace / "o8"
    code = assistant_main(["eval", str(workspace / "golden.jsonl"), "--case", "oos", "--backend", "extractive",
                           "--index", str(settings.index_dir), "--corpus", str(settings.corpus_dir), "--out", str(out),
                           "--no-progress", "--top-k", "3"])
    assert code == 0
    results = json.loads((out / "results.json").read_text())
    assert [c["id"] for c in results["cases"]] == ["oos"] and results["meta"]["top_k"] == 3
    assert eval_main(["--help"]) == 0 and "import-feedback" in capsys.readouterr().out


def test_import_feedback_from_real_answers(engine, workspace, capsys):
    from assistant import feedback

    path = workspace / "feedback.jsonl"
    session = engine.session()
    good = session.ask("How many ISKP plots were interdicted in India?")
    feedback.record(path, good, "up", session_id=session.id)
    feedback.record(path, session.ask("And in Iran?"), "down", session_id=session.id, comment="should say four")
    feedback.record(path, engine.ask("Who won the 2022 FIFA World Cup final?"), "up")
    out = workspace / "candidates.jsonl"
    assert eval_main(["import-feedback", str(path), "--out", str(out), "--golden", str(workspace / "none.jsonl")]) == 0
    assert "3 candidates" in capsys.readouterr().out
    candidates = [json.loads(line) for line in out.read_text().splitlines()]
    up, down, oos = candidates
    assert up["sources"] == ["next-afghan-jihad"] and ["three", "3"] in up["must_include"]
    assert up["quote"] in engine.document("next-afghan-jihad")[1]
    assert down["needs_review"] and down["bad_answer"] and "Iran" in down["question"]
    assert oos["answerable"] is False
    assert eval_main(["import-feedback", str(path), "--out", str(workspace / "golden.jsonl")]) == 2
    assert "refusing" in capsys.readouterr().err


def test_import_feedback_reads_the_database_by_default(engine, workspace, capsys, monkeypatch):
    from assistant.storage import Conversations, Database, Feedback

    url = f"sqlite:///{workspace / 'feedback.db'}"
    monkeypatch.setenv("ASSISTANT_DATABASE_URL", url)
    database = Database.open(url)
    chat = Conversations(database).create("ann")
    answer = engine.ask("How many ISKP plots were interdicted in India?")
    turn = Conversations(database).add_turn("ann", chat.id, answer.to_json())
    Feedback(database).add({"user_name": "ann", "conversation_id": chat.id, "turn_id": turn.id, "rating": "down",
                            "reason": "incomplete", "comment": "give the total too", "question": answer.question,
                            "standalone_question": answer.standalone_question, "answer": answer.text,
                            "citations": [c.to_json() for c in answer.citations], "backend": answer.backend})
    out = workspace / "from-db.jsonl"
    assert eval_main(["import-feedback", "--out", str(out), "--golden", str(workspace / "none.jsonl")]) == 0
    assert "1 candidates" in capsys.readouterr().out
    candidate, = [json.loads(line) for line in out.read_text().splitlines()]
    assert candidate["needs_review"] and "India" in candidate["question"]
    assert candidate["feedback"]["reasons"] == ["incomplete"] and candidate["feedback"]["users"] == ["ann"]
