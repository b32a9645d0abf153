"""The index life-cycle and the backend choice, each in its own class."""
import os

from assistant.backend_selector import BackendSelector
from assistant.embedder import get_embedder
from assistant.index_manager import IndexManager


def test_the_open_generation_is_reused_until_state_json_changes(shared_settings, extractive_engine):
    manager = IndexManager(shared_settings, get_embedder(), log=lambda m: None)
    first = manager.current()
    assert manager.current() is first and first.index.docs and first.retriever and first.extractive
    state = shared_settings.index_dir / "state.json"
    copy = state.with_suffix(".tmp")
    copy.write_bytes(state.read_bytes())
    os.replace(copy, state)  # what an ingest's commit looks like from outside
    second = manager.current()
    assert second is not first and set(second.index.docs) == set(first.index.docs)


class Given:
    name, model = "given", "given-1"

    def stream(self, messages, max_tokens):
        yield "x"


def test_extractive_is_no_llm(shared_settings):
    selector = BackendSelector(shared_settings, log=lambda m: None)
    assert selector.llm is None and (selector.name, selector.model) == ("extractive", "none (extractive)")


def test_a_given_llm_survives_a_switch(shared_settings):
    llm = Given()
    selector = BackendSelector(shared_settings, llm, log=lambda m: None)
    assert selector.switch("openai").backend == "openai" and selector.llm is llm and selector.name == "given"


def test_an_unavailable_model_falls_back_with_a_notice_that_a_switch_clears(shared_settings, tmp_path):
    selector = BackendSelector(shared_settings.replace(backend="local", model_path=str(tmp_path / "none.gguf")),
                               log=lambda m: None)
    assert selector.llm is None and "Local model unavailable" in selector.notices[0]
    selector.switch("extractive")
    assert selector.notices == [] and selector.llm is None
