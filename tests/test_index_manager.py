"""The index life-cycle and the backend choice, each in its own class."""
import os

from assistant.backend_selector import BackendSelector
from assistant.backends import DraftsFromPassages, ExtractiveBackend, StreamsChat
from assistant.embedder import get_embedder
from assistant.index_manager import IndexManager


def test_the_open_generation_is_reused_until_state_json_changes(shared_settings, extractive_engine):
    manager = IndexManager(shared_settings, get_embedder())
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


def test_extractive_is_a_backend_that_drafts_from_passages(shared_settings):
    selector = BackendSelector(shared_settings)
    assert isinstance(selector.backend, ExtractiveBackend) and isinstance(selector.backend, DraftsFromPassages)
    assert not isinstance(selector.backend, StreamsChat)
    assert (selector.name, selector.model) == ("extractive", "none (extractive)")


def test_a_given_llm_survives_a_switch(shared_settings):
    llm = Given()
    selector = BackendSelector(shared_settings, llm)
    assert selector.switch("openai").backend == "openai" and selector.backend is llm and selector.name == "given"


def test_an_unavailable_model_falls_back_with_a_notice_that_a_switch_clears(shared_settings, tmp_path):
    selector = BackendSelector(shared_settings.replace(backend="local", model_path=str(tmp_path / "none.gguf")))
    assert selector.name == "extractive" and "Local model unavailable" in selector.notices[0]
    selector.switch("extractive")
    assert selector.notices == [] and isinstance(selector.backend, ExtractiveBackend)
