"""Bad input at every entry point (Python API, CLI, the running app's API and chat) is refused with a clear message.

The rules live in assistant/validation.py: top_k a whole number from 1 to 20, doc_ids a list of ids in the index,
the question text. Unknown API endpoints answer 404; gradio's upload route is closed unless documents may be added,
needs the login when there is one, and has a size limit.
"""
from __future__ import annotations

import json
import math
import os
import subprocess
import sys

import httpx
import pytest
from gradio_client import Client

from assistant import validation
from assistant.engine import QuestionError

from conftest_ui import AppServer, started
from fixtures.corpus import REPORT_ONLY, copy_corpus
from rb_gradio import Tab, login, text_of
from rb_support import PLOTS_Q, REPORT_ID, assert_citations_verified

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
TOP_K = "top_k must be a whole number from 1 to 20"
BAD_TOP_K = {  # value -> how the message names it
    "abc": "got 'abc'", "{}": "got {}", "NaN": "got NaN", "-5": "got -5", "0": "got 0", "21": "got 21",
    "10**12": "got 1000000000000", "True": "got True", "2.5": "got 2.5",
}
BAD_TOP_K_VALUES = {"abc": "abc", "{}": {}, "NaN": math.nan, "-5": -5, "0": 0, "21": 21, "10**12": 10**12,
                    "True": True, "2.5": 2.5}
BAD_DOC_IDS = {
    "int": (5, "doc_ids must be a list of document ids; got 5."),
    "list-of-dict": ([{}], "doc_ids must be a list of document ids (text); item 1 is {}."),
    "unknown-id": (["no-such-doc"], "Unknown document id: 'no-such-doc'. The documents are: next-afghan-jihad."),
    "string": ("x", "doc_ids must be a list of document ids, not a single string; got 'x'."),
}
AUTH = ("analyst", "s3cret-Pass!")
READER = ("reader", "r3ader-Pass!")


# ----- the rules -----
@pytest.mark.parametrize("value, expected", [(None, None), (1, 1), (20, 20), ("3", 3), (" 7 ", 7), (4.0, 4)])
def test_top_k_accepts_whole_numbers_in_range(value, expected):
    assert validation.top_k(value) == expected


@pytest.mark.parametrize("name", BAD_TOP_K)
def test_top_k_refuses_everything_else(name):
    with pytest.raises(QuestionError) as raised:
        validation.top_k(BAD_TOP_K_VALUES[name])
    assert str(raised.value) == f"{TOP_K}; {BAD_TOP_K[name]}."


@pytest.mark.parametrize("value", [math.inf, -math.inf, "", "1e3", "3.5", [3], b"3", "9" * 5000, 20.000001])
def test_top_k_refuses_odd_values(value):
    with pytest.raises(QuestionError, match=TOP_K):
        validation.top_k(value)


def test_doc_ids_rules():
    known = {"a", "b"}
    many = r"Unknown document ids: 'x', 'y', 'z' and 1 more\. The documents are: a, b\."
    assert validation.doc_ids(None, known) is None and validation.doc_ids([], known) is None
    assert validation.doc_ids(("b", "a", "b"), known) == ["b", "a"]
    with pytest.raises(QuestionError, match=many):
        validation.doc_ids(["a", "x", "y", "z", "w", "x"], known)
    with pytest.raises(QuestionError, match="See the list of documents"):
        validation.doc_ids(["x"], {str(i) for i in range(50)})
    with pytest.raises(QuestionError) as raised:
        validation.doc_ids(["q" * 10_000], known)
    assert len(str(raised.value)) < 200  # a huge id is not echoed whole


# ----- Python API -----
@pytest.mark.parametrize("name", BAD_TOP_K)
def test_engine_refuses_bad_top_k(clean_engine, name):
    session = clean_engine.session()
    with pytest.raises(QuestionError) as raised:
        session.ask(PLOTS_Q, top_k=BAD_TOP_K_VALUES[name])
    assert str(raised.value) == f"{TOP_K}; {BAD_TOP_K[name]}."
    assert session.history == []
    with pytest.raises(QuestionError, match=TOP_K):  # before any event is streamed
        next(clean_engine.answer_stream(PLOTS_Q, [], top_k=BAD_TOP_K_VALUES[name]))


@pytest.mark.parametrize("name", BAD_DOC_IDS)
def test_engine_refuses_bad_doc_ids(clean_engine, name):
    value, message = BAD_DOC_IDS[name]
    session = clean_engine.session()
    with pytest.raises(QuestionError) as raised:
        session.ask(PLOTS_Q, doc_ids=value)
    assert str(raised.value) == message
    assert session.history == []


@pytest.mark.parametrize("top_k, doc_ids", [(None, None), (1, []), (20, None), ("3", (REPORT_ID,)),
                                            (3.0, [REPORT_ID, REPORT_ID])])
def test_engine_accepts_good_options(clean_engine, top_k, doc_ids):
    answer = clean_engine.session().ask(PLOTS_Q, top_k=top_k, doc_ids=doc_ids)
    assert not answer.abstained and "three in india" in answer.text.lower()
    assert_citations_verified(answer, clean_engine)
    if top_k == 1:
        assert sum(len(p.chunk_ids) for p in answer.passages) <= 1


# ----- CLI -----
def run_cli(clean_engine, *args, timeout=240) -> subprocess.CompletedProcess:
    env = {**os.environ, "ASSISTANT_CORPUS_DIR": str(clean_engine.settings.corpus_dir),
           "ASSISTANT_INDEX_DIR": str(clean_engine.settings.index_dir), "ASSISTANT_BACKEND": "extractive"}
    env.pop("ASSISTANT_CONFIG", None)
    return subprocess.run([sys.executable, "-m", "assistant.cli", *args], cwd=ROOT, env=env, capture_output=True,
                          text=True, timeout=timeout)


@pytest.mark.parametrize("command, value, shown", [
    ("ask", "abc", "abc"), ("ask", "0", "0"), ("ask", "21", "21"), ("ask", "2.5", "2.5"), ("ask", "-5", "-5"),
    ("ask", "1000000000000", "1000000000000"), ("ask", "NaN", "NaN"), ("ask", "", "nothing"), ("chat", "abc", "abc")])
def test_cli_refuses_bad_top_k(clean_engine, command, value, shown):
    args = [command, PLOTS_Q] if command == "ask" else [command]
    done = run_cli(clean_engine, *args, f"--top-k={value}", timeout=60)
    assert done.returncode == 2
    assert f"argument --top-k: {TOP_K}; got {shown}." in done.stderr, done.stderr
    assert "Traceback" not in done.stderr


def test_cli_refuses_unknown_document_and_answers_good_options(clean_engine):
    done = run_cli(clean_engine, "ask", PLOTS_Q, "--doc", "no-such-doc")
    assert done.returncode == 2 and done.stdout == ""
    assert "error: Unknown document id: 'no-such-doc'. The documents are: next-afghan-jihad." in done.stderr
    assert "Traceback" not in done.stderr
    done = run_cli(clean_engine, "ask", PLOTS_Q, "--top-k", "2", "--doc", REPORT_ID, "--json")
    assert done.returncode == 0, done.stderr
    answer = json.loads(done.stdout)
    assert not answer["abstained"] and "Three in India" in answer["answer"]
    assert 1 <= len(answer["retrieved"]) <= 2


# ----- the running app: the /ask API -----
def call_ask(base_url: str, data: list, http: httpx.Client | None = None) -> tuple[str, object]:
    """Raw HTTP, as any client would: POST call/ask, then read its event stream. (event, data) of the end."""
    http = http or httpx.Client(timeout=120)
    posted = http.post(base_url + "gradio_api/call/ask", content=json.dumps({"data": data}),
                       headers={"content-type": "application/json"})  # json.dumps: NaN goes as NaN
    assert posted.status_code == 200, posted.text
    stream = http.get(base_url + f"gradio_api/call/ask/{posted.json()['event_id']}").text
    events = [(block.split("\n")[0].removeprefix("event: "), block.split("\n")[1].removeprefix("data: "))
              for block in stream.strip().split("\n\n") if block.startswith("event:")]
    event, payload = next((e, d) for e, d in reversed(events) if e in ("complete", "error"))
    return event, json.loads(payload)


@pytest.mark.parametrize("name", BAD_TOP_K)
def test_api_refuses_bad_top_k_with_a_message(plain_app, name):
    event, payload = call_ask(plain_app.url, [PLOTS_Q, BAD_TOP_K_VALUES[name], None])
    assert event == "error"
    assert payload["error"] == f"{TOP_K}; {BAD_TOP_K[name]}."


@pytest.mark.parametrize("name", BAD_DOC_IDS)
def test_api_refuses_bad_doc_ids_with_a_message(plain_app, name):
    value, message = BAD_DOC_IDS[name]
    event, payload = call_ask(plain_app.url, [PLOTS_Q, None, value])
    assert event == "error"
    assert payload["error"] == message


def test_gradio_client_sees_the_messages_and_good_calls_still_work(plain_app):
    client = Client(plain_app.url, verbose=False)
    for name in ("abc", "{}", "0", "21", "True", "2.5", "10**12"):
        with pytest.raises(Exception) as raised:
            client.predict(PLOTS_Q, BAD_TOP_K_VALUES[name], None, api_name="/ask")
        assert f"{TOP_K}; {BAD_TOP_K[name]}." in str(raised.value), (name, raised.value)
    for value, message in BAD_DOC_IDS.values():
        with pytest.raises(Exception) as raised:
            client.predict(PLOTS_Q, None, value, api_name="/ask")
        assert message in str(raised.value)
    for top_k, doc_ids in ((None, None), (2, [REPORT_ID]), (20, [])):
        result = client.predict(PLOTS_Q, top_k, doc_ids, api_name="/ask")
        assert not result["abstained"] and "Three in India" in result["answer"]
        assert len(result["retrieved"]) <= (top_k or 5)


def test_direct_run_call_with_bad_input_answers_422(plain_app):
    with httpx.Client(base_url=plain_app.url, timeout=120) as http:
        refused = http.post("gradio_api/run/ask", json={"data": [PLOTS_Q, "abc", None]})
        assert refused.status_code == 422 and refused.json()["error"] == f"{TOP_K}; got 'abc'."
        refused = http.post("gradio_api/run/ask", json={"data": [PLOTS_Q, None, ["no-such-doc"]]})
        assert refused.status_code == 422 and "'no-such-doc'" in refused.json()["error"]
        answered = http.post("gradio_api/run/ask", json={"data": [PLOTS_Q, 3, None]})
        assert answered.status_code == 200 and "Three in India" in answered.json()["data"][0]["answer"]


# ----- the running app: the chat -----
@pytest.mark.parametrize("options, message", [
    ({"top_k": "abc"}, f"{TOP_K}; got 'abc'."), ({"top_k": {}}, f"{TOP_K}; got {{}}."),
    ({"top_k": 0}, f"{TOP_K}; got 0."), ({"top_k": 10**12}, f"{TOP_K}; got 1000000000000."),
    ({"top_k": True}, f"{TOP_K}; got True."), ({"top_k": 2.5}, f"{TOP_K}; got 2.5."),
    ({"only_docs": 5}, BAD_DOC_IDS["int"][1]), ({"only_docs": [{}]}, BAD_DOC_IDS["list-of-dict"][1]),
    ({"only_docs": ["no-such-doc"]}, BAD_DOC_IDS["unknown-id"][1]), ({"only_docs": "x"}, BAD_DOC_IDS["string"][1]),
], ids=["top_k-abc", "top_k-dict", "top_k-0", "top_k-huge", "top_k-true", "top_k-2.5", "docs-int", "docs-dict",
        "docs-unknown", "docs-string"])
def test_chat_shows_the_message_and_goes_on(plain_app, options, message):
    tab = Tab(plain_app.url)
    done = tab.trigger("question", "submit", question=PLOTS_Q, **options)
    assert [m.get("success") for m in done] == [True, True]  # the answer step ended, it did not fail
    assert message in text_of(tab.chat()[-1][1])  # shown in the chat, not left on "please wait"
    assert message in tab.warnings()
    assert "Waiting" not in tab.chat()[-1][1] and "Searching" not in tab.chat()[-1][1]
    # The same conversation answers the next question.
    tab.trigger("question", "submit", question=PLOTS_Q, top_k=3, only_docs=[REPORT_ID])
    assert len(tab.chat()) == 4
    assert "three in india" in text_of(tab.chat()[-1][1]).lower()
    assert not any("Please wait" in w for w in tab.warnings())


# ----- unknown endpoints -----
@pytest.mark.parametrize("method, path, body", [
    ("POST", "gradio_api/call/nonexistent", {"data": [PLOTS_Q]}),
    ("POST", "gradio_api/call/v2/nonexistent", {}),
    ("POST", "gradio_api/run/nonexistent", {"data": [PLOTS_Q]}),
    ("POST", "gradio_api/api/nonexistent", {"data": [PLOTS_Q]}),
    ("GET", "gradio_api/call/nonexistent/0123456789abcdef", None),
    ("POST", "gradio_api/queue/join", {"data": [PLOTS_Q], "fn_index": 9999, "session_hash": "rb-api-input"}),
    ("POST", "gradio_api/queue/join", {"data": [PLOTS_Q], "fn_index": -1, "session_hash": "rb-api-input"}),
    ("POST", "gradio_api/queue/join", {"data": [PLOTS_Q], "fn_index": "9999", "session_hash": "rb-api-input"}),
    ("POST", "gradio_api/queue/join", {"data": [PLOTS_Q], "api_name": "nonexistent", "session_hash": "rb-api-input"}),
    ("POST", "gradio_api/run/ask", {"data": [PLOTS_Q, None, None], "fn_index": 9999}),
    ("POST", "gradio_api/run/predict", {"data": [None], "fn_index": 9999, "session_hash": "rb-api-input"}),
    ("POST", "gradio_api/run/predict", {"data": [PLOTS_Q]}),
], ids=["call", "call-v2", "run", "api", "call-get", "join-fn-index", "join-negative", "join-fn-index-text",
        "join-api-name", "run-fn-index", "run-predict-fn-index", "run-predict-no-fn"])
def test_unknown_endpoint_answers_404(plain_app, method, path, body):
    logged = len(plain_app.log())
    with httpx.Client(base_url=plain_app.url, timeout=60) as http:
        response = http.request(method, path, json=body)
    assert response.status_code == 404, (response.status_code, response.text[:300])
    assert "There is no API" in response.json()["detail"]
    assert "Traceback" not in plain_app.log()[logged:]


def test_browser_events_outside_the_queue_still_work(plain_app):
    """The page posts queue-less events (the stop button) to run/predict with their fn_index."""
    tab = Tab(plain_app.url)
    stop = next(d for d in tab.deps if [tab.ids["question"], "stop"] in [list(t) for t in d["targets"]])
    with httpx.Client(base_url=plain_app.url, timeout=60) as http:
        response = http.post("gradio_api/run/predict", json={"data": [None], "fn_index": stop["id"],
                                                              "session_hash": tab.session_hash})
    assert response.status_code == 200, response.text[:300]


def test_known_endpoints_still_work_after_unknown_ones(plain_app):
    with httpx.Client(base_url=plain_app.url, timeout=60) as http:
        http.post("gradio_api/call/nonexistent", json={"data": []})
        assert http.post("gradio_api/queue/join", json={"data": [], "session_hash": "x"}).status_code == 400
    event, payload = call_ask(plain_app.url, [PLOTS_Q, None, None])
    assert event == "complete" and "Three in India" in payload[0]["answer"]
    assert Client(plain_app.url, verbose=False).predict(api_name="/documents")[0]["doc_id"] == REPORT_ID


# ----- uploads -----
def upload(http: httpx.Client, size: int, path: str = "gradio_api/upload") -> httpx.Response:
    return http.post(path, files={"files": ("notes.txt", b"ISKP plots. " * (size // 12 + 1))})


def test_upload_route_is_closed_when_uploads_are_off(plain_app):
    with httpx.Client(base_url=plain_app.url, timeout=60) as http:
        for size in (100, 2_000_000):
            response = upload(http, size)
            assert response.status_code == 403, response.text[:200]
            assert response.json()["detail"] == "Uploads are not enabled for you on this server."
        assert upload(http, 100, "upload").status_code == 404  # no route outside /gradio_api


@pytest.fixture(scope="module")
def editing_app(tmp_path_factory):
    """Login on, uploads on for one editor, files up to half a MiB."""
    work = tmp_path_factory.mktemp("rb-api-editing")
    yield from started(AppServer(work, copy_corpus(work / "corpus", REPORT_ONLY), ASSISTANT_AUTH=f"{AUTH[0]}:{AUTH[1]},{READER[0]}:"
                                 f"{READER[1]}", ASSISTANT_UPLOADS="true", ASSISTANT_EDITORS=AUTH[0],
                                 ASSISTANT_MAX_FILE_MB="0.5"))


def test_upload_needs_login_editor_and_a_small_file(editing_app):
    with httpx.Client(base_url=editing_app.url, timeout=60) as anonymous:
        assert upload(anonymous, 100).status_code == 401
        assert anonymous.post("gradio_api/call/nonexistent", json={"data": []}).status_code == 401  # names hidden
    reader = login(editing_app.url, *READER)
    reader.base_url = editing_app.url
    refused = upload(reader, 100)
    assert refused.status_code == 403 and "not enabled for you" in refused.json()["detail"]
    editor = login(editing_app.url, *AUTH)
    editor.base_url = editing_app.url
    accepted = upload(editor, 10_000)
    assert accepted.status_code == 200 and accepted.json()[0].endswith("notes.txt")
    too_big = upload(editor, 600_000)
    assert too_big.status_code == 413 and "maximum allowed size of 524288 bytes" in too_big.text
    assert editor.post("gradio_api/call/nonexistent", json={"data": []}).status_code == 404
    assert editor.post("gradio_api/run/ask", json={"data": [PLOTS_Q, "abc", None]}).status_code == 422
