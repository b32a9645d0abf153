"""Hybrid retrieval on a real index (Chroma, the embedder, BM25)."""
from __future__ import annotations

from pathlib import Path

from assistant.engine import Engine

FIELDS = "\n".join(f"Berth {n}, depth: {n + 3} metres at low tide." for n in range(1, 15))
PORTS = ("# Harbour register\n\n## Offices abroad\n\nThe harbour's state office abroad has a chief of mission, a chief "
         "clerk and a chief pilot; the harbour's chief of mission reports to the state.\n\n"
         "## Inspection\n\n" + FIELDS + "\nOffice, chief of state inspection: Inspector Mara VOSS (since 2019).\n")


def test_a_chunk_ranks_by_its_sentence_that_states_the_question_not_by_repeated_words(fresh_settings):
    (Path(fresh_settings.corpus_dir) / "harbour.md").write_text(PORTS, encoding="utf-8")
    engine = Engine(fresh_settings)
    engine.ensure_index()
    retriever = engine._indexes.current().retriever
    question = "Who is the harbour's chief of state inspection?"
    candidates = {i: None for i, chunk in enumerate(engine.index.chunks) if chunk.doc_id == "harbour"}
    text = engine.index.doc_text("harbour")
    holding = {i for i in candidates if "Mara VOSS" in text[engine.index.chunks[i].start:engine.index.chunks[i].end]}
    assert holding and len(holding) < len(candidates)
    lexical = [i for i, _ in engine.index.lexical_search(question, 20) if i in candidates]
    assert lexical[0] not in holding  # BM25 prefers the chunk that repeats "chief"
    ranked = retriever._by_best_sentence(question, candidates)
    assert ranked[0][0] in holding and ranked[0][1] > ranked[-1][1]
    answer = engine.ask(question)
    assert any("Mara VOSS" in c.quote for c in answer.citations), answer.text


def test_a_field_labelled_with_the_question_s_terms_counts_its_label_twice():
    from assistant.retrieval import _asked_label_weight
    weights = {"algeria": 2.8, "become": 5.6, "independent": 2.9}
    assert _asked_label_weight("Independence: 5 July 1962 (from France).", weights) == 2.9
    assert _asked_label_weight("National holiday: Independence Day, 5 July (1962).", weights) == 0.0
    assert _asked_label_weight("A bloody struggle culminated in Algerian independence in 1962.", weights) == 0.0


def test_a_word_no_chunk_has_weighs_as_a_rare_word_where_a_field_s_everyday_words_give_it(fresh_settings):
    from assistant.sources import manage

    manage.add_factbook(fresh_settings, ["ts", "ag"])
    engine = Engine(fresh_settings)
    engine.ensure_index()
    retriever = engine._indexes.current().retriever
    question = "Is joblessness worse in Tunisia than it used to be?"  # no profile says "joblessness"
    assert "joblessness" not in engine.index.bm25.idf
    in_tunisia = dict.fromkeys(engine.index.by_doc["factbook-ts"])
    holding = {i for i in in_tunisia if "Unemployment rate 2024:" in engine.index.chunks[i].text}
    assert retriever._by_best_sentence(question, in_tunisia)[0][0] in holding
    retriever._unseen_idf = 0.0  # as if the word weighed nothing
    assert retriever._by_best_sentence(question, in_tunisia)[0][0] not in holding
