"""`assistant api` on the real local model (Qwen2.5-Coder-1.5B via llama.cpp), streamed through the openai client."""
from __future__ import annotations

import time

import openai
import pytest

from conftest_ui import AppServer, started
from fixtures.corpus import REPORT, REPORT_ONLY, copy_corpus
from local_support import local_engine_for

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def local_api(tmp_path_factory, shared_settings):
    local_engine_for(shared_settings)  # skips where the model is not installed
    work = tmp_path_factory.mktemp("api-local")
    yield from started(AppServer(work, copy_corpus(work / "corpus", REPORT_ONLY), script="-m",
                                 args=("assistant.cli", "api"), ready_path="health", ASSISTANT_BACKEND="local",
                                 ASSISTANT_LLM_CORPUS_CHARS="0"))  # retrieved passages: no 20 s corpus read


def test_local_model_streams_an_answer_with_verified_citations(local_api):
    client = openai.OpenAI(base_url=local_api.url + "v1", api_key="unused", max_retries=0, timeout=180)
    assert [m.id for m in client.models.list().data] == ["local", "extractive"]
    started_at = time.monotonic()
    chunks = list(client.chat.completions.create(
        model="local", stream=True,
        messages=[{"role": "user", "content": "How many ISKP plots has foreign law enforcement interdicted since "
                                              "2015?"}]))
    seconds = time.monotonic() - started_at
    final = chunks[-1].model_extra
    content = "".join(c.choices[0].delta.content or "" for c in chunks)
    assert chunks[-1].model == "local" and not final["abstained"], final
    assert "sixteen" in content.lower() or "16" in content
    assert any(c.model_extra.get("draft") for c in chunks[:-1])  # the model's tokens came as they were written
    report = REPORT.read_text(encoding="utf-8")
    assert final["citations"] and all(report[c["start"]:c["end"]] == c["quote"] for c in final["citations"])
    print(f"local answer through the API: {seconds:.1f} s, timings {final['timings_ms']}")
