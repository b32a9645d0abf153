"""Stage gate: no passages, or an off-topic question, abstains before any drafting."""
from assistant.pipeline import gate
from assistant.retrieval import Passage, Retrieval

PASSAGE = Passage(doc_id="d", title="T", section="", page=None, start=0, end=5, text="words", chunk_ids=["c"],
                  score=1.0, similarity=0.5, n=1)


def test_nothing_found_abstains():
    assert gate.run(Retrieval(passages=[], best_similarity=0.9, lexical_coverage=1.0), 0.3) == gate.Gate(
        True, "no passages")


def test_off_topic_needs_both_low_similarity_and_little_lexical_overlap():
    assert gate.run(Retrieval([PASSAGE], best_similarity=0.1, lexical_coverage=0.2), 0.3).reason == "off topic"
    assert not gate.run(Retrieval([PASSAGE], best_similarity=0.1, lexical_coverage=0.5), 0.3).abstain
    assert not gate.run(Retrieval([PASSAGE], best_similarity=0.3, lexical_coverage=0.0), 0.3).abstain


def test_a_question_naming_the_document_to_read_is_never_off_topic():
    named = Retrieval([PASSAGE], best_similarity=0.1, lexical_coverage=0.0, sources_named=True)
    assert not gate.run(named, 0.3).abstain
