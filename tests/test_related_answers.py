"""Answers on the report with real Factbook profiles beside it (extractive backend, real index and embedder)."""
import pytest

from assistant.engine import Engine
from assistant.settings import Settings
from assistant.sources import factbook

from fixtures.corpus import REPORT_ONLY, copy_corpus


@pytest.fixture(scope="module")
def engine(tmp_path_factory):
    base = tmp_path_factory.mktemp("related")
    corpus = copy_corpus(base / "corpus", REPORT_ONLY)
    factbook.write_profiles(["af", "ti"], corpus / "related")
    engine = Engine(Settings.load(corpus_dir=corpus, index_dir=base / "index", backend="extractive"))
    engine.ensure_index()
    return engine


@pytest.mark.parametrize("question, doc_id, says", [
    # Afghanistan's profile writes the report's ISKP as ISIS-K; Tajikistan's spells it out without either acronym.
    ("Does Afghanistan's Factbook profile name ISKP among its terrorist groups?", "factbook-af", "(ISIS-K)"),
    ("Is ISKP listed among terrorist groups in Tajikistan's Factbook profile?", "factbook-ti",
     "ash-Sham-Khorasan Province"),
])
def test_a_name_the_corpus_spells_two_ways_is_found_either_way_in_the_profile_named(engine, question, doc_id, says):
    answer = engine.ask(question)
    assert not answer.abstained, answer.text
    assert answer.citations and answer.citations[0].doc_id == doc_id, answer.text
    assert says in answer.citations[0].quote and "Terrorist group" in answer.citations[0].quote


def test_a_name_no_document_spells_another_way_still_needs_saying(engine):
    answer = engine.ask("Is the Hizb ut-Tahrir listed among terrorist groups in Tajikistan's Factbook profile?")
    assert answer.abstained, answer.text
