"""The real local model (Qwen2.5-Coder-1.5B GGUF via llama.cpp) end to end."""
import pytest

from assistant.citations import verify

from local_support import local_engine_for

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def local_engine(shared_settings, extractive_engine):
    return local_engine_for(shared_settings)


def test_local_model_answers_plots_with_verified_quote(local_engine):
    answer = local_engine.ask("How many ISKP plots has foreign law enforcement interdicted since 2015?")
    assert answer.backend == "local" and not answer.abstained, answer.to_json()
    assert "sixteen" in answer.text.lower() or "16" in answer.text
    assert answer.citations
    for citation in answer.citations:
        assert verify(citation, local_engine.document(citation.doc_id)[1])
    assert any("sixteen" in c.quote for c in answer.citations)
    assert answer.timings_ms["first_token"] > 0


def test_local_model_abstains_out_of_scope(local_engine):
    answer = local_engine.ask("What is the recipe for a baguette?")
    assert answer.abstained and answer.citations == []


def test_local_model_follow_up(local_engine):
    session = local_engine.session()
    first = session.ask("How many ISKP plots were foiled in India?")
    assert "three" in first.text.lower() or "3" in first.text, first.to_json()
    second = session.ask("And in Iran?")
    assert "Iran" in second.standalone_question
    assert "four" in second.text.lower() or "4" in second.text, second.to_json()
    assert second.citations


def test_corpus_prompt_is_read_once_and_survives_other_prompts(shared_settings, extractive_engine, tmp_path):
    settings = shared_settings.replace(prompt_cache_dir=str(tmp_path / "states"))
    engine = local_engine_for(settings)  # a fresh model and no saved states: nothing read yet
    first = list(engine.session().ask_stream("How many ISKP plots were foiled in India?"))
    statuses = [e.text for e in first if e.kind == "status"]
    assert any("reading the corpus" in s for s in statuses), statuses
    assert "three" in first[-1].answer.text.lower() or "3" in first[-1].answer.text
    llm = engine.backend
    prefix = list(llm.llm.input_ids[:llm.llm.n_tokens])[:200]
    "".join(llm.stream([{"role": "system", "content": "Reply OK."}, {"role": "user", "content": "Hi"}], 4))
    assert list(llm.llm.input_ids[:200]) != prefix  # another prompt took over the KV cache
    second = list(engine.session().ask_stream("How many ISKP plots were foiled in Iran?"))
    assert not [e for e in second if e.kind == "status" and "reading the corpus" in e.text]
    assert "four" in second[-1].answer.text.lower() or "4" in second[-1].answer.text
    # restored from the snapshot, not read again: a fraction of the first answer's wait
    assert second[-1].answer.timings_ms["first_token"] < first[-1].answer.timings_ms["first_token"] / 2


def test_saved_prompt_states_survive_a_restart(shared_settings, extractive_engine, tmp_path):
    """The fixed system prompts' KV states go to disk; a new process (here: a new model) restores them instead of
    reading them again, and answers the same."""
    settings = shared_settings.replace(prompt_cache_dir=str(tmp_path / "states"), llm_corpus_chars=0)
    first_engine = local_engine_for(settings)
    first_engine.warm_up()
    saved = {p: p.stat().st_mtime_ns for p in (tmp_path / "states").glob("*.kv")}
    assert len(saved) == 3  # the translation, other-language and answer rules (no condense rules: condense_by_llm off)
    question = "How many ISKP plots were foiled in India?"
    first = first_engine.ask(question)
    del first_engine

    engine = local_engine_for(settings)
    llm = engine.backend
    started_tokens = llm.llm.n_tokens
    assert started_tokens == 0
    engine.warm_up()
    assert {p: p.stat().st_mtime_ns for p in (tmp_path / "states").glob("*.kv")} == saved  # restored, not rewritten
    assert llm.llm.n_tokens > 0
    second = engine.ask(question)
    assert second.text == first.text and [c.quote for c in second.citations] == [c.quote for c in first.citations]


def test_a_damaged_saved_state_is_read_again_not_trusted(shared_settings, extractive_engine, tmp_path):
    settings = shared_settings.replace(prompt_cache_dir=str(tmp_path / "states"), llm_corpus_chars=0)
    engine = local_engine_for(settings)
    engine.warm_up()
    for path in (tmp_path / "states").glob("*.kv"):
        path.write_bytes(path.read_bytes()[:100])
    fresh = local_engine_for(settings)
    fresh.warm_up()
    assert all(p.stat().st_size > 100_000 for p in (tmp_path / "states").glob("*.kv"))  # rewritten whole
    answer = fresh.ask("How many ISKP plots were foiled in India?")
    assert "three" in answer.text.lower() or "3" in answer.text, answer.to_json()
