"""The HTTP API (`assistant api`) in a subprocess over a small real corpus (extractive backend): the real `openai`
client for chat completions, raw HTTP (httpx) for keys, roles, limits, schema errors, documents and /metrics."""
from __future__ import annotations

import json
import re
import subprocess
import sys
import threading

import httpx
import openai
import pytest

from assistant.answer import ABSTAIN_TEXT
from assistant.validation import QuestionError
from assistant.validation import top_k as check_top_k

from conftest_ui import REPO, AppServer, started
from fixtures.corpus import REPORT, REPORT_ONLY, copy_corpus
from fixtures.prometheus import parse

KEYS = {"admin": "admin-key-0123456789abcdef", "editor": "editor-key-0123456789abcdef",
        "reader": "reader-key-0123456789abcdef"}
PLOTS_Q = "How many ISKP plots were foiled in India?"
OFF_TOPIC = "What is the recipe for a baguette?"
MAX_REQUEST_KB = 64
MAX_FILE_MB = 0.05  # 52 KB
NOTE = "A field note\n\nThe cell stored 47 rifles near Termez in the spring of 2023.\n"


@pytest.fixture(scope="module")
def api(tmp_path_factory):
    work = tmp_path_factory.mktemp("api")
    server = AppServer(work, copy_corpus(work / "corpus", REPORT_ONLY), script="-m", args=("assistant.cli", "api"),
                       ready_path="health", ASSISTANT_API_KEYS=",".join(f"{k}:{r}" for r, k in KEYS.items()),
                       ASSISTANT_API_MAX_REQUEST_KB=str(MAX_REQUEST_KB), ASSISTANT_MAX_FILE_MB=str(MAX_FILE_MB))
    yield from started(server)


def http(api, role: str | None = "reader") -> httpx.Client:
    headers = {"Authorization": f"Bearer {KEYS[role]}"} if role else {}
    return httpx.Client(base_url=api.url, headers=headers, timeout=120)


def client(api, role: str = "reader") -> openai.OpenAI:
    return openai.OpenAI(base_url=api.url + "v1", api_key=KEYS[role], max_retries=0, timeout=120)


def verbatim(citations: list[dict]) -> None:
    report = REPORT.read_text(encoding="utf-8")
    assert citations
    for c in citations:
        assert c["doc_id"] == "next-afghan-jihad"
        assert report[c["start"]:c["end"]] == c["quote"]
        assert set(c) >= {"n", "doc_id", "title", "section", "page", "quote", "start", "end"}


def markers(text: str) -> set[int]:
    return {int(n) for n in re.findall(r"\[(\d+)\]", text)}


def error_of(response: httpx.Response, status: int) -> dict:
    assert response.status_code == status, response.text
    error = response.json()["error"]
    assert set(error) >= {"message", "type", "code"} and error["message"]
    return error


# ----- chat completions through the openai client -----
def test_chat_completion_has_the_answer_and_verified_citations(api):
    completion = client(api).chat.completions.create(model="extractive",
                                                     messages=[{"role": "user", "content": PLOTS_Q}])
    content = completion.choices[0].message.content
    assert completion.choices[0].finish_reason == "stop" and completion.model == "extractive"
    assert "three in India" in content.lower() or "Three in India" in content
    extra = completion.model_extra
    verbatim(extra["citations"])
    assert markers(content) == {c["n"] for c in extra["citations"]}
    assert extra["abstained"] is False and extra["timings_ms"]["total"] > 0 and "queue_wait" in extra["timings_ms"]


def test_streamed_completion_ends_with_the_same_answer_and_its_citations(api):
    plain = client(api).chat.completions.create(model="extractive", messages=[{"role": "user", "content": PLOTS_Q}])
    stream = client(api).chat.completions.create(model="extractive", stream=True,
                                                 messages=[{"role": "user", "content": PLOTS_Q}])
    chunks = list(stream)
    assert chunks[0].choices[0].delta.role == "assistant"
    content = "".join(c.choices[0].delta.content or "" for c in chunks)
    assert content == plain.choices[0].message.content
    last = chunks[-1]
    assert last.choices[0].finish_reason == "stop"
    assert last.model_extra["citations"] == plain.model_extra["citations"]
    verbatim(last.model_extra["citations"])
    assert all("citations" not in c.model_extra for c in chunks[:-1])


def test_earlier_messages_make_a_follow_up_work(api):
    first = client(api).chat.completions.create(model="extractive", messages=[{"role": "user", "content": PLOTS_Q}])
    messages = [{"role": "system", "content": "You are helpful."}, {"role": "user", "content": PLOTS_Q},
                {"role": "assistant", "content": first.choices[0].message.content},
                {"role": "user", "content": "And in Iran?"}]
    second = client(api).chat.completions.create(model="extractive", messages=messages)
    assert "Iran" in second.model_extra["standalone_question"] and "plots" in second.model_extra["standalone_question"]
    assert "four in iran" in second.choices[0].message.content.lower()
    verbatim(second.model_extra["citations"])
    streamed = list(client(api).chat.completions.create(model="extractive", messages=messages, stream=True))
    assert "".join(c.choices[0].delta.content or "" for c in streamed) == second.choices[0].message.content


@pytest.mark.parametrize("stream", [False, True])
def test_unanswerable_question_returns_the_abstention_without_citations(api, stream):
    messages = [{"role": "user", "content": OFF_TOPIC}]
    if stream:
        chunks = list(client(api).chat.completions.create(model="extractive", messages=messages, stream=True))
        content, extra = "".join(c.choices[0].delta.content or "" for c in chunks), chunks[-1].model_extra
    else:
        completion = client(api).chat.completions.create(model="extractive", messages=messages)
        content, extra = completion.choices[0].message.content, completion.model_extra
    assert content == ABSTAIN_TEXT
    assert extra["citations"] == [] and extra["abstained"] is True


def test_models_lists_the_servers_backend(api):
    assert [m.id for m in client(api).models.list().data] == ["extractive"]
    with pytest.raises(openai.NotFoundError, match="no model 'gpt-4o'"):
        client(api).chat.completions.create(model="gpt-4o", messages=[{"role": "user", "content": PLOTS_Q}])


def test_ask_returns_the_same_json_as_the_cli(api):
    body = http(api).post("v1/ask", json={"question": PLOTS_Q, "top_k": 3}).raise_for_status().json()
    cli = subprocess.run([sys.executable, "-m", "assistant.cli", "ask", "--json", "--top-k", "3", PLOTS_Q],
                         cwd=REPO, env=api.env, capture_output=True, text=True, timeout=180)
    assert cli.returncode == 0, cli.stderr
    expected = json.loads(cli.stdout)
    assert body.keys() == expected.keys()
    body.pop("timings_ms"), expected.pop("timings_ms")
    assert body == expected
    verbatim(body["citations"])


# ----- keys and roles -----
def test_a_key_is_needed_and_must_be_valid(api):
    error = error_of(http(api, None).get("v1/models"), 401)
    assert error["type"] == "authentication_error" and "Bearer" in error["message"]
    assert http(api, None).get("v1/models").headers["www-authenticate"] == "Bearer"
    assert error_of(httpx.get(api.url + "v1/models", headers={"Authorization": "Bearer wrong-key-0123456789"}),
                    401)["code"] == "invalid_api_key"
    assert error_of(httpx.get(api.url + "v1/models", headers={"Authorization": f"Basic {KEYS['admin']}"}), 401)
    with pytest.raises(openai.AuthenticationError):
        openai.OpenAI(base_url=api.url + "v1", api_key="not-a-valid-key-at-all", max_retries=0).models.list()
    assert error_of(http(api, None).get("metrics"), 401)
    assert httpx.get(api.url + "health").json()["status"] == "ok"  # health and the schema need no key
    schema = httpx.get(api.url + "openapi.json").raise_for_status().json()
    assert {"/v1/chat/completions", "/v1/ask", "/v1/models", "/v1/documents", "/v1/documents/{doc_id}",
            "/health", "/metrics"} <= set(schema["paths"])
    assert schema["paths"]["/v1/documents"]["post"]["x-required-role"] == "editor"


def test_readers_may_not_change_documents(api):
    reader = http(api, "reader")
    error = error_of(reader.post("v1/documents", files={"file": ("note.txt", NOTE.encode())}), 403)
    assert error["type"] == "permission_error" and "editor" in error["message"]
    assert error_of(reader.delete("v1/documents/next-afghan-jihad"), 403)
    assert [d["doc_id"] for d in reader.get("v1/documents").json()["data"]] == ["next-afghan-jihad"]


# ----- limits and bad input -----
def test_bodies_over_the_limit_are_refused_with_413(api):
    big = {"question": "x" * (MAX_REQUEST_KB * 1024)}
    error = error_of(http(api).post("v1/ask", json=big), 413)
    assert error["type"] == "request_too_large" and "64 KB" in error["message"]

    def chunked():  # no Content-Length: counted as it arrives
        for _ in range(MAX_REQUEST_KB + 8):
            yield b" " * 1024

    assert error_of(http(api).post("v1/ask", content=chunked(), headers={"content-type": "application/json"}), 413)
    upload = error_of(http(api, "editor").post("v1/documents", files={"file": ("big.txt", b"word " * 40_000)}), 413)
    assert upload["code"] == "request_too_large"
    assert len(http(api).get("v1/documents").json()["data"]) == 1


def test_schema_errors_are_422_in_the_openai_shape(api):
    reader = http(api)
    error = error_of(reader.post("v1/chat/completions", json={"model": "extractive"}), 422)
    assert error["type"] == "invalid_request_error" and error["param"] == "messages" and "messages" in error["message"]
    assert error_of(reader.post("v1/chat/completions", json={"messages": "hello"}), 422)["param"] == "messages"
    assert error_of(reader.post("v1/chat/completions",
                                json={"messages": [{"role": "wizard", "content": "hi"}]}), 422)["param"] \
        == "messages.0.role"
    assert error_of(reader.post("v1/ask", json={"question": PLOTS_Q, "topk": 3}), 422)["param"] == "topk"
    assert error_of(reader.post("v1/ask", content=b'{"question": ', headers={"content-type": "application/json"}),
                    400)["code"] == "invalid_json"


@pytest.mark.parametrize("body, message", [
    ({"messages": [{"role": "user", "content": "   "}]}, "Please type a question."),
    ({"messages": [{"role": "user", "content": "x" * 2001}]}, "the limit is 2,000"),
    ({"messages": [{"role": "user", "content": PLOTS_Q}], "top_k": 50}, None),
    ({"messages": [{"role": "user", "content": PLOTS_Q}], "doc_ids": ["nope"]}, "Unknown document id: 'nope'"),
    ({"messages": [{"role": "user", "content": PLOTS_Q}], "doc_ids": "next-afghan-jihad"}, "not a single string"),
    ({"messages": [{"role": "assistant", "content": "Hello"}]}, "must be the user's question"),
    ({"messages": [{"role": "user", "content": [{"type": "image_url", "image_url": {"url": "x"}}]}]}, "only text"),
    ({"messages": [{"role": "user", "content": PLOTS_Q}], "n": 2}, "n=1"),
])
@pytest.mark.parametrize("stream", [False, True])
def test_bad_values_get_a_clear_400_even_when_streaming(api, body, message, stream):
    error = error_of(http(api).post("v1/chat/completions", json={**body, "stream": stream}), 400)
    if message is None:  # the same words as the CLI and the web app
        with pytest.raises(QuestionError) as refused:
            check_top_k(50)
        message = str(refused.value)
    assert message in error["message"] and error["type"] == "invalid_request_error"


def test_unknown_routes_and_methods(api):
    error = error_of(http(api).get("v1/nothing/here"), 404)
    assert error["type"] == "not_found_error" and "/v1/nothing/here" in error["message"]
    assert error_of(http(api, None).get("v1/nothing/here"), 401)  # no key: nothing is revealed
    assert error_of(http(api).get("v1/chat/completions"), 405)["code"] == "method_not_allowed"


# ----- documents -----
def test_editor_adds_a_document_that_answers_then_removes_it(api):
    editor, reader = http(api, "editor"), http(api, "reader")
    added = editor.post("v1/documents", files={"file": ("field-note.txt", NOTE.encode())})
    assert added.status_code == 201, added.text
    doc_id = added.json()["added"][0]["id"]
    assert added.json()["ingest"]["phase"] == "done"
    assert doc_id in [d["doc_id"] for d in reader.get("v1/documents").json()["data"]]
    answer = reader.post("v1/ask", json={"question": "How many rifles did the cell store near Termez?"}).json()
    assert not answer["abstained"] and "47" in answer["answer"]
    quote = answer["citations"][0]
    assert quote["doc_id"] == doc_id and NOTE[quote["start"]:quote["end"]] == quote["quote"]
    removed = editor.delete(f"v1/documents/{doc_id}")
    assert removed.status_code == 200 and removed.json()["removed"] == [doc_id]
    assert doc_id not in [d["doc_id"] for d in reader.get("v1/documents").json()["data"]]
    assert error_of(editor.delete(f"v1/documents/{doc_id}"), 404)["code"] == "document_not_found"


def test_bad_uploads_and_bundled_documents_are_refused_and_nothing_changes(api):
    admin = http(api, "admin")
    before = admin.get("v1/documents").json()["data"]
    empty = error_of(admin.post("v1/documents", files={"file": ("empty.txt", b"")}), 400)
    assert "empty.txt: empty file" in empty["message"]
    assert "unsupported file type" in error_of(admin.post("v1/documents", files={"file": ("x.exe", b"MZ..")}),
                                               400)["message"]
    assert error_of(admin.post("v1/documents"), 422)["param"] == "file"
    assert error_of(admin.delete("v1/documents/next-afghan-jihad"), 409)["code"] == "not_removable"
    assert admin.get("v1/documents").json()["data"] == before


# ----- metrics -----
def test_metrics_parse_and_their_counters_move(api):
    reader = http(api)

    def families():
        response = reader.get("metrics").raise_for_status()
        assert response.headers["content-type"].startswith("text/plain; version=0.0.4")
        return parse(response.text)

    before = families()
    route = "/v1/chat/completions"
    for question in (PLOTS_Q, OFF_TOPIC):
        client(api).chat.completions.create(model="extractive", messages=[{"role": "user", "content": question}])
    http(api, None).get("v1/models")  # a 401
    after = families()

    def moved(family, name=None, **labels):
        return after[family].value(name, **labels) - (before[family].value(name, **labels) if family in before else 0)

    assert moved("assistant_http_requests_total", route=route, method="POST", status="200") == 2
    assert moved("assistant_http_request_duration_seconds", "assistant_http_request_duration_seconds_count",
                 route=route) == 2
    assert moved("assistant_abstentions_total", backend="extractive") == 1
    assert moved("assistant_answers_total", backend="extractive", outcome="answered") == 1
    assert moved("assistant_errors_total", route="/v1/models", type="authentication_error") == 1
    for stage in ("retrieve", "total", "queue_wait"):
        assert moved("assistant_answer_stage_seconds", "assistant_answer_stage_seconds_count", stage=stage) == 2
    assert after["assistant_queue_depth"].type == "gauge" and after["assistant_queue_depth"].value() == 0
    assert after["assistant_answers_in_flight"].value() == 0


def test_answers_queue_one_at_a_time_and_report_their_wait(api):
    results: list[dict] = []
    together = threading.Barrier(3)  # sent at once, so that two of them must wait

    def ask():
        client = http(api)
        together.wait()
        results.append(client.post("v1/ask", json={"question": PLOTS_Q}).raise_for_status().json())

    threads = [threading.Thread(target=ask) for _ in range(3)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    waits = sorted(r["timings_ms"]["queue_wait"] for r in results)
    shortest = min(r["timings_ms"]["total"] for r in results)
    assert len(results) == 3 and all(not r["abstained"] for r in results)
    assert waits[-1] >= 0.5 * shortest, (waits, shortest)  # the last one waited for another's answer


# ----- saved conversations and feedback -----
def test_a_saved_conversation_keeps_its_turns_and_answers_follow_ups_from_them(api):
    with http(api) as reader:
        created = reader.post("/v1/conversations", json={})
        assert created.status_code == 201, created.text
        chat_id = created.json()["id"]
        first = reader.post(f"/v1/conversations/{chat_id}/messages", json={"question": PLOTS_Q, "model": "extractive"})
        assert first.status_code == 201, first.text
        verbatim(first.json()["citations"])
        second = reader.post(f"/v1/conversations/{chat_id}/messages",
                             json={"question": "And in Iran?", "model": "extractive"}).json()
        assert "Iran" in second["standalone_question"] and "plots" in second["standalone_question"]
        assert "four in iran" in second["answer"].lower()
        saved = reader.get(f"/v1/conversations/{chat_id}").json()
        assert saved["title"] == PLOTS_Q
        assert [t["question"] for t in saved["turns"]] == [PLOTS_Q, "And in Iran?"]
        assert saved["turns"][1]["answer"] == second["answer"]
        assert saved["turns"][1]["answer_json"]["citations"] == second["citations"]
        assert chat_id in [c["id"] for c in reader.get("/v1/conversations", params={"search": "iran"}).json()["data"]]

        rated = reader.post("/v1/feedback", json={"conversation_id": chat_id, "turn_id": second["turn_id"],
                                                  "rating": "down", "reason": "incomplete", "comment": "no dates"})
        assert rated.status_code == 201, rated.text
        assert reader.get(f"/v1/conversations/{chat_id}").json()["turns"][1]["rating"] == "down"


def test_conversations_belong_to_their_key_and_can_be_renamed_deleted_and_restored(api):
    with http(api) as reader, http(api, "editor") as editor:
        chat_id = reader.post("/v1/conversations", json={"title": "Mine"}).json()["id"]
        error_of(editor.get(f"/v1/conversations/{chat_id}"), 404)
        error_of(editor.post(f"/v1/conversations/{chat_id}/messages", json={"question": PLOTS_Q}), 404)
        assert chat_id not in [c["id"] for c in editor.get("/v1/conversations").json()["data"]]
        assert reader.patch(f"/v1/conversations/{chat_id}", json={"title": "Plots"}).json()["title"] == "Plots"
        assert reader.delete(f"/v1/conversations/{chat_id}").json()["deleted"] is True
        error_of(reader.get(f"/v1/conversations/{chat_id}"), 404)
        assert chat_id in [c["id"] for c in reader.get("/v1/conversations", params={"deleted": True}).json()["data"]]
        assert reader.post(f"/v1/conversations/{chat_id}/restore").json()["title"] == "Plots"
        assert reader.get(f"/v1/conversations/{chat_id}").status_code == 200


def test_conversation_and_feedback_errors_are_clear(api):
    with http(api) as reader, http(api, None) as anonymous:
        error_of(anonymous.get("/v1/conversations"), 401)
        chat_id = reader.post("/v1/conversations", json={}).json()["id"]
        assert "question" in error_of(reader.post(f"/v1/conversations/{chat_id}/messages",
                                                  json={"question": "   "}), 400)["message"].lower()
        assert reader.get(f"/v1/conversations/{chat_id}").json()["turns"] == []  # a refused question saves nothing
        error_of(reader.patch(f"/v1/conversations/{chat_id}", json={"title": ""}), 422)
        error_of(reader.post("/v1/feedback", json={"conversation_id": chat_id, "turn_id": 1, "rating": "meh"}), 422)
        assert error_of(reader.post("/v1/feedback", json={"conversation_id": chat_id, "turn_id": 99999,
                                                          "rating": "up"}), 404)["code"] == "turn_not_found"
