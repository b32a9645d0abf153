"""Conflicting sources: when another document states a different value for the asked quantity, the answer says the
sources differ and gives each value with its own citation and its document's date; it never silently picks one."""
from __future__ import annotations

import pytest

from assistant.conflicts import quantities
from assistant.engine import Engine
from assistant.eval.metrics import claim_checks
from assistant.keyfacts import numbers

from fixtures.corpus import REPORT_ONLY, copy_corpus
from fixtures.llm import ScriptedLLM, passage_number
from local_support import local_engine_for
from rb_support import REPORT_ID, assert_citations_verified, settings_for

TALLIES = {
    "tally-2025.md": ("# Monitoring brief on ISKP plots\n\n"
                      "Researchers at a monitoring group followed ISKP's external operations across Europe and Asia.\n\n"
                      "A 2025 tally by the monitoring group counts twenty ISKP plots interdicted by foreign law "
                      "enforcement since 2015.\n\nMost of the cases involved Central Asian recruits.\n", 20.0),
    "tally-digits.txt": ("Court records on ISKP plots\n\nCourt records gathered in 2025 list 23 ISKP plots interdicted by "
                         "foreign law enforcement since 2015.\n\nMany defendants had been recruited online.\n", 23.0),
}
QUESTION = "How many ISKP plots has foreign law enforcement interdicted since 2015?"


@pytest.fixture(scope="module", params=sorted(TALLIES))
def conflicting(request, tmp_path_factory):
    base = tmp_path_factory.mktemp("conflict")
    corpus = copy_corpus(base / "corpus", REPORT_ONLY)
    text, value = TALLIES[request.param]
    (corpus / request.param).write_text(text, encoding="utf-8")
    with (corpus / "manifest.yaml").open("a", encoding="utf-8") as manifest:
        manifest.write(f"  - id: {request.param.rsplit('.', 1)[0]}\n    file: {request.param}\n"
                       f"    title: \"A tally of ISKP plots\"\n    date: \"2025-03-01\"\n")
    engine = Engine(settings_for(corpus, base / "index"))
    engine.ensure_index()
    return engine, request.param.rsplit(".", 1)[0], value


def assert_both_sides(answer, engine, other_id: str, other_value: float):
    assert_citations_verified(answer, engine)
    assert not answer.abstained
    assert answer.text.startswith("The sources differ"), answer.text
    by_doc = {c.doc_id: c for c in answer.citations}
    assert {REPORT_ID, other_id} <= set(by_doc), answer.citations
    assert 16.0 in numbers(by_doc[REPORT_ID].quote) and other_value in numbers(by_doc[other_id].quote)
    assert "2024-04-02" in answer.text and "2025-03-01" in answer.text  # each document's date
    assert f"[{by_doc[REPORT_ID].n}]" in answer.text and f"[{by_doc[other_id].n}]" in answer.text
    shown = [{"n": c.n, "quote": c.quote, "valid": True} for c in answer.citations]
    assert all(not check["missing"] for check in claim_checks(answer.text, shown)), claim_checks(answer.text, shown)


def test_quantities_pair_each_number_with_the_thing_counted():
    found = quantities("Since 2015, foreign law enforcement has interdicted at least sixteen ISKP plots: three in India.")
    assert [(q.value, q.unit) for q in found] == [(16.0, "plot")]
    assert [(q.value, q.unit) for q in quantities("Police counted 23 ISKP plots and 1,200 arrests in 2025.")] == \
        [(23.0, "plot"), (1200.0, "arrest")]
    assert quantities("In 2015, the group was founded.") == []
    assert quantities("Infant mortality rate, total: 6.2 deaths/1,000 live births (2025 est.).") == []
    assert quantities("Maternal mortality ratio: 26 deaths per 100,000 live births.") == []


def test_extractive_answer_gives_both_values(conflicting):
    engine, other_id, value = conflicting
    assert_both_sides(engine.ask(QUESTION), engine, other_id, value)


def test_an_llm_answer_from_the_other_document_gets_the_report_beside_it(conflicting):
    """An LLM that answers from the other document alone: the report's value is added with its own citation."""
    engine, other_id, value = conflicting
    said = "twenty" if value == 20.0 else "23"
    llm = ScriptedLLM(lambda p: f"{said.capitalize()} ISKP plots were interdicted since 2015 "
                                f"[{passage_number(p, f' {said} ISKP plots')}].")
    answer = Engine(engine.settings, backend=llm).ask(QUESTION)
    assert_both_sides(answer, engine, other_id, value)


def test_a_question_the_other_document_does_not_address_is_not_a_conflict(conflicting):
    engine, _, _ = conflicting
    answer = engine.ask("How many ISKP plots were foiled in India?")  # the tallies give no figure for India
    assert not answer.text.startswith("The sources differ"), answer.text
    assert "three" in answer.text.lower()


def test_one_source_alone_is_no_conflict(clean_engine):
    answer = clean_engine.ask(QUESTION)
    assert not answer.abstained and "differ" not in answer.text, answer.text


@pytest.mark.slow
def test_local_model_answer_gives_both_values(conflicting):
    engine, other_id, value = conflicting
    local = local_engine_for(engine.settings)
    answer = local.ask(QUESTION)
    if answer.abstained:
        pytest.fail(f"the local model abstained: {answer.notices}")
    assert_both_sides(answer, local, other_id, value)
