"""Start-here overview and quiz items, read from a real index of the report and two generated Factbook profiles."""
import json

import pytest

from assistant import onboarding
from assistant.engine import Engine
from assistant.settings import Settings
from assistant.sources import factbook

from fixtures.corpus import REPORT_ONLY, copy_corpus


@pytest.fixture(scope="module")
def base(tmp_path_factory):
    base = tmp_path_factory.mktemp("onboarding")
    corpus = copy_corpus(base / "corpus", REPORT_ONLY)
    factbook.write_profiles(["qa", "tx"], corpus / "related")
    return base


@pytest.fixture(scope="module")
def index(base):
    engine = Engine(Settings.load(corpus_dir=base / "corpus", index_dir=base / "index", backend="extractive"))
    return engine.ensure_index()


def test_overview_lists_every_document_with_sections_and_verified_key_facts(index):
    docs = {d.doc_id: d for d in onboarding.overview(index, facts_per_doc=3)}
    assert set(docs) == set(index.docs)
    report = docs["next-afghan-jihad"]
    assert report.authors and report.date.startswith("2024") and report.chunks > 5
    qatar = docs["factbook-qa"]
    assert qatar.title == "The World Factbook: Qatar"
    assert {"Geography", "People and Society"} <= set(qatar.sections)
    for doc in docs.values():
        assert 1 <= len(doc.facts) <= 3
        text = index.docs[doc.doc_id][1]
        for fact in doc.facts:
            assert text[fact.start:fact.end] == fact.quote  # verbatim, with its place
            assert fact.section
    assert len({f.section for f in qatar.facts}) == len(qatar.facts), "facts come from different sections"


def test_quiz_items_ask_for_a_fact_their_quote_states(index):
    items = onboarding.quiz(index, n=12, seed=7)
    assert len(items) == 12 and len({i.id for i in items}) == 12
    assert {i.fact.doc_id for i in items} == set(index.docs), "drawn from every document"
    assert items[0].fact.doc_id == "next-afghan-jihad", "the report comes first in a round"
    for item in items:
        assert item.answer and item.answer in item.fact.quote
        assert index.docs[item.fact.doc_id][1][item.fact.start:item.fact.end] == item.fact.quote
        if item.question.startswith("Fill in the blank"):
            assert "_____" in item.question and item.answer not in item.question.split(":", 1)[1]
    assert [i.id for i in onboarding.quiz(index, n=12, seed=7)] == [i.id for i in items], "a seed repeats a draw"


def test_labelled_facts_ask_for_the_label_and_expect_its_main_value(index):
    text = index.docs["factbook-qa"][1]
    start = text.index("Coastline: 563 km.")
    fact = onboarding.Fact("factbook-qa", "The World Factbook: Qatar", "Geography", None, start,
                           start + len("Coastline: 563 km."), "Coastline: 563 km.", own_line=True)
    item = onboarding.quiz_item(fact)
    assert item is not None and item.question == 'The World Factbook: Qatar: what is the "Coastline"?'
    assert item.answer == "563 km"


def test_only_a_field_on_its_own_line_asks_for_its_label(index):
    report = [onboarding.quiz_item(f) for f in onboarding.candidate_facts(index, "next-afghan-jihad")]
    interdictions = [i for i in report if i and i.fact.quote.startswith("Twelve of these interdictions")]
    assert interdictions and all(i.question.startswith("Fill in the blank") for i in interdictions)
    qatar = [onboarding.quiz_item(f) for f in onboarding.candidate_facts(index, "factbook-qa")]
    labelled = [i for i in qatar if i and i.question.startswith("The World Factbook: Qatar: what is the")]
    assert labelled and all(i.fact.own_line for i in labelled)


@pytest.mark.parametrize("response, right", [
    ("563 km", True), ("It is 563 kilometres long", True), ("about 600 km", False), ("", False),
    ("563", True), ("five hundred sixty-three km", True)])
def test_a_free_text_answer_is_scored_by_its_key_facts(response, right):
    fact = onboarding.Fact("d", "T", "S", None, 0, 18, "Coastline: 563 km.", own_line=True)
    item = onboarding.quiz_item(fact)
    assert item is not None
    result = onboarding.score(item, response)
    assert result.correct is right, result
    assert result.expected == "563 km"


def test_names_and_blanked_numbers_are_scored(index):
    name_item = onboarding.QuizItem("x", "Fill in the blank: ...", "Islamic State",
                                    onboarding.Fact("d", "T", "S", None, 0, 1, "x"))
    assert onboarding.score(name_item, "the islamic state").correct
    assert not onboarding.score(name_item, "al-Qaeda").correct
    number_item = onboarding.QuizItem("y", "Fill in the blank: ...", "sixteen",
                                      onboarding.Fact("d", "T", "S", None, 0, 1, "x"))
    assert onboarding.score(number_item, "16 plots").correct
    assert not onboarding.score(number_item, "six").correct


def test_eval_draft_proposes_reviewable_cases_with_verified_quotes(index, base, monkeypatch, tmp_path, capsys):
    from assistant.eval.cli import main
    from assistant.eval.golden import load_golden

    monkeypatch.setenv("ASSISTANT_CORPUS_DIR", str(base / "corpus"))
    monkeypatch.setenv("ASSISTANT_INDEX_DIR", str(base / "index"))
    out = tmp_path / "drafts.jsonl"
    assert main(["draft", "--doc", "factbook-qa", "--n", "4", "--out", str(out)]) == 0
    cases = load_golden(out)  # the golden-set format, as written
    assert len(cases) == 4
    text = index.docs["factbook-qa"][1]
    for line in out.read_text().splitlines():
        case = json.loads(line)
        where = case["where"]
        assert text[where["start"]:where["end"]] == case["quote"] and case["needs_review"]
        assert case["sources"] == ["factbook-qa"] and case["answer"] in case["quote"]
    assert main(["draft", "--doc", "no-such-doc"]) == 2
    assert "no document 'no-such-doc'" in capsys.readouterr().err
