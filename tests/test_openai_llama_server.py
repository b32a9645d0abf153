"""The `openai` backend against a real llama.cpp server (`python -m llama_cpp.server` on the packaged GGUF), started
here: streamed tokens, verified citations, a model's abstention, a too-short timeout, and a server killed mid-answer
or gone before a question (a clear notice and an extractive answer, the chat goes on)."""
from __future__ import annotations

import importlib.util
import sys
import time
from pathlib import Path

import pytest

from assistant.answer import ABSTAIN_TEXT
from assistant.engine import Engine

from fixtures.servers import ServerProcess, free_port, started

pytestmark = pytest.mark.slow

MODEL_ALIAS = "qwen2.5-coder-1.5b-instruct"
PLOTS_Q = "How many ISKP plots has foreign law enforcement interdicted since 2015?"
UNCOVERED_Q = "Which football club does the Taliban leader support?"  # on topic enough to reach the model
MAX_TOKENS = 64  # the answers here take ~25; the 1.5B model writes ~5 tokens/s on 2 shared cores


class LlamaServer(ServerProcess):
    """`python -m llama_cpp.server` on this GGUF, on a free port; OpenAI's API at base_url."""

    def __init__(self, model: Path, workdir: Path):
        port = free_port()
        self.base_url = f"http://127.0.0.1:{port}/v1"
        super().__init__([sys.executable, "-m", "llama_cpp.server", "--model", str(model), "--model_alias",
                          MODEL_ALIAS, "--host", "127.0.0.1", "--port", str(port), "--n_ctx", "4096",
                          "--chat_format", "chatml"],
                         self.base_url + "/models", workdir / f"llama-server-{port}.log", start_timeout_s=120)


def llama_server(settings, workdir: Path) -> LlamaServer:
    """A server on the GGUF the local backend would load; skips where it or the server's packages are missing."""
    from assistant.backends.local import resolve_model_path

    try:
        model = resolve_model_path(settings)
    except FileNotFoundError as exc:
        pytest.skip(f"local model not installed: {exc}")
    missing = [name for name in ("sse_starlette", "starlette_context") if importlib.util.find_spec(name) is None]
    if missing:
        pytest.skip(f"llama.cpp server dependencies not installed ({', '.join(missing)}): pip install '.[local]'")
    return LlamaServer(model, workdir)


@pytest.fixture(scope="module")
def server(tmp_path_factory, shared_settings):
    yield from started(llama_server(shared_settings, tmp_path_factory.mktemp("llama-server")))


@pytest.fixture
def own_server(tmp_path, shared_settings):
    """A server of this test's own (the test kills it); stopped whatever happens."""
    yield from started(llama_server(shared_settings, tmp_path))


def engine_on(server, extractive_engine, **settings) -> Engine:
    """The assistant on the report (the shared index) answering through the openai backend from this server."""
    return Engine(extractive_engine.settings.replace(
        backend="openai", openai_base_url=server.base_url, openai_model=MODEL_ALIAS, max_tokens=MAX_TOKENS,
        llm_corpus_chars=0, **{"openai_timeout_s": 180, **settings}))  # passages only: a short prompt


def verified(answer, report_text: str) -> None:
    assert answer.citations, answer.to_json()
    for c in answer.citations:
        assert c.doc_id == "next-afghan-jihad" and report_text[c.start:c.end] == c.quote, c


def notice_of(answer) -> str:
    return " ".join(answer.notices)


def test_streams_an_answer_with_verified_citations(server, extractive_engine, report_text):
    engine = engine_on(server, extractive_engine)
    assert engine.backend_name == "openai"
    started_at, arrivals = time.monotonic(), []
    for event in engine.session().ask_stream(PLOTS_Q):
        if event.kind == "token":
            arrivals.append(time.monotonic() - started_at)
    answer = event.answer
    assert answer.backend == "openai" and answer.model == MODEL_ALIAS, answer.to_json()
    assert not answer.abstained and not answer.notices, answer.to_json()
    assert "sixteen" in answer.text.lower() or "16" in answer.text
    verified(answer, report_text)
    assert len(arrivals) >= 3 and arrivals[-1] > arrivals[0], arrivals  # token by token, as the model wrote them
    print(f"\nllama.cpp server answer: {answer.timings_ms['total'] / 1e3:.1f} s, first token "
          f"{answer.timings_ms['first_token'] / 1e3:.1f} s, {len(arrivals)} token events")


def test_a_question_the_sources_do_not_cover_abstains(server, extractive_engine):
    answer = engine_on(server, extractive_engine).session().ask(UNCOVERED_Q)
    assert "generate" in answer.timings_ms, "the relevance gate abstained before the model was asked"
    assert answer.abstained and answer.text == ABSTAIN_TEXT and not answer.citations, answer.to_json()
    assert answer.backend == "openai" and not answer.notices


def test_too_short_timeout_gives_a_notice_and_an_extractive_answer(server, extractive_engine, report_text):
    engine = engine_on(server, extractive_engine, openai_timeout_s=0.5)
    session = engine.session()
    started_at = time.monotonic()
    answer = session.ask(PLOTS_Q)
    elapsed = time.monotonic() - started_at
    assert answer.backend == "extractive" and not answer.abstained, answer.to_json()
    assert (f"The model server at {server.base_url} failed: it did not answer in time (timeout). "
            "Showing an extractive answer instead.") in answer.notices
    assert elapsed < 10, f"{elapsed:.1f} s with a 0.5 s timeout"
    print(f"\nanswer with a 0.5 s timeout: {elapsed:.1f} s")
    assert "sixteen" in answer.text.lower()
    verified(answer, report_text)

    # The server outlives the request the assistant gave up on: a client with room to wait gets the model's answer.
    recovered = engine_on(server, extractive_engine).session().ask(PLOTS_Q)
    assert recovered.backend == "openai" and not recovered.notices and not recovered.abstained, recovered.to_json()

    follow_up = session.ask("And in Iran?")  # the chat that timed out goes on, with its history
    assert follow_up.backend == "extractive" and "did not answer in time" in notice_of(follow_up)
    assert "four in iran" in follow_up.text.lower(), follow_up.to_json()


def test_a_killed_server_gives_a_notice_and_an_extractive_answer(own_server, extractive_engine, report_text):
    engine = engine_on(own_server, extractive_engine)
    session = engine.session()
    streamed_before_kill = []
    for event in session.ask_stream(PLOTS_Q):
        if event.kind == "token" and own_server.running():
            streamed_before_kill.append(event.text)
            own_server.kill()  # mid-answer, after the model's first token arrived
    answer = event.answer
    assert streamed_before_kill and not own_server.running()
    assert answer.backend == "extractive" and not answer.abstained, answer.to_json()
    notice = notice_of(answer)
    assert (f"The model server at {own_server.base_url} failed: it closed the connection before the answer was "
            "complete (stopped or crashed?). Showing an extractive answer instead.") == notice
    verified(answer, report_text)

    gone = session.ask("And in Iran?")  # the server is gone before this question: the chat goes on
    assert gone.backend == "extractive" and not gone.abstained, gone.to_json()
    assert f"The model server at {own_server.base_url} failed: it could not be reached" in notice_of(gone)
    assert "four in iran" in gone.text.lower()
    verified(gone, report_text)
