"""The app's API through gradio_client, against the real app (`python ui.py`) in a subprocess."""
from __future__ import annotations

import socket
import threading
import time

import httpx
import pytest
from gradio_client import Client

from conftest_ui import REPO, REPORT, AppServer, started
from fixtures.corpus import copy_corpus

AUTH = ("analyst", "s3cret-pass")
QUESTION = "How many ISKP plots has foreign law enforcement interdicted since 2015?"


@pytest.fixture(scope="module")
def app(tmp_path_factory):
    """`python ui.py` with a login, as for a shared deployment."""
    work = tmp_path_factory.mktemp("ui-client")
    yield from started(AppServer(work, copy_corpus(work / "corpus"), ASSISTANT_AUTH=f"{AUTH[0]}:{AUTH[1]},second:pw2"))


@pytest.fixture(scope="module")
def client(app):
    return Client(app.url, auth=AUTH, verbose=False)


@pytest.fixture(scope="module")
def slow_app(tmp_path_factory):
    """The app over a fake LLM that takes seconds per answer, like the local model."""
    work = tmp_path_factory.mktemp("ui-slow")
    yield from started(AppServer(work, copy_corpus(work / "corpus"), script="tests/conftest_ui.py",
                                 FAKE_LLM_DELAY_S="0.12"))


def test_ask_returns_an_answer_with_verified_citations(client):
    report = REPORT.read_text(encoding="utf-8")
    result = client.predict(QUESTION, 3, None, api_name="/ask")
    assert result["abstained"] is False
    assert "sixteen" in result["answer"] and "[1]" in result["answer"]
    assert result["citations"]
    for citation in result["citations"]:
        assert citation["doc_id"] == "next-afghan-jihad"
        assert report[citation["start"]:citation["end"]] == citation["quote"]
        assert citation["url"].startswith("https://www.washingtoninstitute.org/")
        assert citation["authors"] == "Amira Jadoon, Andrew Mines, Aaron Y. Zelin"
    assert len(result["retrieved"]) <= 3
    assert result["backend"] == "extractive"


def test_ask_can_be_restricted_to_documents(client):
    docs = client.predict(api_name="/documents")
    assert [d["doc_id"] for d in docs] == ["next-afghan-jihad"]
    assert docs[0]["title"] == "The Next Afghan Jihad? Taliban Efforts to Contain ISKP"
    result = client.predict(QUESTION, None, ["next-afghan-jihad"], api_name="/ask")
    assert result["citations"] and {c["doc_id"] for c in result["citations"]} == {"next-afghan-jihad"}


def test_unanswerable_question_abstains_without_sources(client):
    result = client.predict("What is the capital of France?", None, None, api_name="/ask")
    assert result["abstained"] is True
    assert result["citations"] == []
    assert "do not cover" in result["answer"]


@pytest.mark.parametrize("question, message", [("   ", "type a question"), ("?!?", "in words"),
                                               ("x" * 2001, "limit is 2,000")])
def test_bad_questions_get_a_clear_error(client, question, message):
    with pytest.raises(Exception, match=message):
        client.predict(question, None, None, api_name="/ask")


def test_login_is_required_when_auth_is_set(app):
    assert httpx.get(app.url + "config").status_code == 401
    with pytest.raises(Exception):
        Client(app.url, verbose=False)
    with pytest.raises(Exception):
        Client(app.url, auth=("analyst", "wrong"), verbose=False)
    assert Client(app.url, auth=("second", "pw2"), verbose=False).predict(api_name="/documents")


def test_no_files_are_served_from_disk(app):
    with httpx.Client(base_url=app.url) as http:
        assert http.post("login", data={"username": AUTH[0], "password": AUTH[1]}).status_code == 200
        assert http.get("config").status_code == 200
        for path in [REPORT, app.corpus_dir / REPORT.name, REPO / "pyproject.toml", app.workdir / "index" / "state.json",
                     "/etc/passwd"]:
            for url in (f"gradio_api/file={path}", f"file={path}"):
                response = http.get(url)
                assert response.status_code in (403, 404), (url, response.status_code)
                assert "foreign law enforcement" not in response.text


def test_missing_index_is_built_first_with_progress(app):
    log = app.log()
    assert "No index yet: building it from the corpus" in log
    assert "Building the index: 100%" in log
    assert log.index("Building the index") < log.index("Running on local URL")


def test_binds_to_loopback_only(app):
    assert f"Running on local URL:  http://127.0.0.1:{app.port}" in app.log()
    with socket.socket() as sock:  # another loopback address: refused unless bound to all interfaces
        sock.settimeout(2)
        assert sock.connect_ex(("127.0.0.2", app.port)) != 0


def test_a_long_answer_does_not_block_other_users(slow_app):
    first, second = Client(slow_app.url, verbose=False), Client(slow_app.url, verbose=False)
    started_at = time.monotonic()
    job = first.submit(QUESTION, None, None, api_name="/ask")
    time.sleep(1.0)
    t0 = time.monotonic()
    docs = second.predict(api_name="/documents")
    light_s = time.monotonic() - t0
    assert docs and not job.done(), "the slow answer should still be running"
    assert light_s < 3.0, f"a light request waited {light_s:.1f} s behind a long answer"

    # A second question queues behind the first (the model answers one at a time) and both complete.
    results = {}
    thread = threading.Thread(target=lambda: results.update(
        second=second.predict("What role have Tajik nationals played in ISKP's external attacks?", None, None,
                              api_name="/ask")))
    thread.start()
    answer = job.result(timeout=120)
    thread.join(120)
    assert answer["backend"] == "fake" and answer["citations"], answer
    assert "sixteen" in answer["answer"]
    assert results["second"]["citations"], results
    assert time.monotonic() - started_at > 2.0  # it really was slow
