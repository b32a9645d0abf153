"""A follow-up that the sources' best sentence answers only by repeating the previous quote, on the report and two
related profiles (their sentences push the report's further down)."""
import pytest

from assistant.engine import Engine
from assistant.settings import Settings
from assistant.sources import factbook

from fixtures.corpus import REPORT_ONLY, copy_corpus


@pytest.fixture(scope="module")
def engine(tmp_path_factory):
    base = tmp_path_factory.mktemp("repeats")
    corpus = copy_corpus(base / "corpus", REPORT_ONLY)
    factbook.write_profiles(["af", "pk"], corpus / "related")
    engine = Engine(Settings.load(corpus_dir=corpus, index_dir=base / "index", backend="extractive"))
    engine.ensure_index()
    return engine


def test_the_sentence_nearer_the_follow_ups_own_words_replaces_the_repeat(engine):
    session = engine.session()
    first = session.ask("Who have ISKP's high-profile assassinations been aimed at?")
    assert "provincial governors" in first.text
    rural = session.ask("And out in the countryside?")
    assert "rural guerrilla warfare" in rural.text and "provincial governors" not in rural.text, rural.text
    assert all(c.doc_id == "next-afghan-jihad" for c in rural.citations)


def test_a_repeat_that_answers_the_follow_up_best_is_kept(engine):
    session = engine.session()
    first = session.ask("What sort of economic warfare has ISKP waged?")
    purpose = session.ask("What's it trying to achieve by that?")
    assert "impede state-provided services" in first.text
    assert [c.quote for c in purpose.citations] == [c.quote for c in first.citations], purpose.text


def test_what_the_document_says_right_after_the_previous_quote_may_answer(engine):
    session = engine.session()
    first = session.ask("How did most of the American and European foreign fighters reach the region?")
    assert "northeast corridor" in first.text
    implied = session.ask("So what does that imply for how the two countries should be looked at?")
    assert "cannot be dissociated" in implied.text, implied.text
