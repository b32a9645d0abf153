"""Two app replicas on one index: a Chroma server holds the vectors, a shared index folder the chunk texts, BM25
statistics and the generation pointer, PostgreSQL the conversations and feedback. What one replica ingests or saves,
the other answers from or reads, without a restart."""
import json
import statistics
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx
import pytest

from conftest_ui import REPO, AppServer
from fixtures import postgres
from fixtures.corpus import REPORT_ONLY, copy_corpus
from fixtures.servers import ServerProcess, free_port, started

KEY = "replica-test-key-0123456789"
HEADERS = {"Authorization": f"Bearer {KEY}"}
QUESTIONS = ["How many ISKP plots were foiled in India?", "Who wrote the report?",
             "What is the recipe for a baguette?", "When did ISKP first emerge?"]
NOTE_Q = "How many rifles did the cell store near Termez?"
NOTE = "A field note\n\nThe cell stored 47 rifles near Termez in the spring of 2023.\n"
LOAD_QUESTIONS = 40
LOAD_CLIENTS = 4


@pytest.fixture(scope="module")
def cluster(tmp_path_factory):
    work = tmp_path_factory.mktemp("replicas")
    chroma_port = free_port()
    chroma = ServerProcess([str(Path(sys.executable).parent / "chroma"), "run", "--path", str(work / "chroma"),
                            "--host", "127.0.0.1", "--port", str(chroma_port)],
                           f"http://127.0.0.1:{chroma_port}/api/v2/heartbeat", work / "chroma.log", start_timeout_s=60)
    corpus = copy_corpus(work / "corpus", REPORT_ONLY)
    env = {"ASSISTANT_CHROMA_URL": f"http://127.0.0.1:{chroma_port}", "ASSISTANT_API_KEYS": f"{KEY}:editor"}
    for _ in started(chroma):
        for pg in postgres.running():
            env["ASSISTANT_DATABASE_URL"] = pg.url
            first = AppServer(work, corpus, script="-m", args=("assistant.cli", "api"), ready_path="health", **env)
            for a in started(first):  # the first builds the index; the second opens it
                second = AppServer(work, corpus, script="-m", args=("assistant.cli", "api"), ready_path="health",
                                   **env)
                for b in started(second):
                    yield a, b


def ask(replica, question: str) -> dict:
    response = httpx.post(replica.url + "v1/ask", json={"question": question, "model": "extractive"},
                          headers=HEADERS, timeout=120)
    assert response.status_code == 200, response.text
    return response.json()


def essence(answer: dict) -> tuple:
    return answer["answer"], answer["abstained"], answer["citations"]


def test_both_replicas_give_identical_answers_and_citations(cluster):
    a, b = cluster
    assert a.workdir == b.workdir and not (a.workdir / "index" / "chroma").exists()  # vectors in the Chroma server
    for question in QUESTIONS:
        assert essence(ask(a, question)) == essence(ask(b, question)), question
    assert ask(a, QUESTIONS[0])["citations"]


def test_a_document_ingested_through_one_replica_is_answered_by_the_other(cluster):
    a, b = cluster
    before = essence(ask(b, NOTE_Q))
    added = httpx.post(a.url + "v1/documents", files={"file": ("field-note.txt", NOTE.encode(), "text/plain")},
                       headers=HEADERS, timeout=300)
    assert added.status_code == 201, added.text
    on_b = ask(b, NOTE_Q)  # no restart: b notices the new generation
    assert "47" in on_b["answer"] and on_b["citations"][0]["quote"] in NOTE
    assert essence(on_b) == essence(ask(a, NOTE_Q)) != before
    docs = httpx.get(b.url + "v1/documents", headers=HEADERS, timeout=60).json()["data"]
    assert any("field" in d["doc_id"] for d in docs)


def test_a_conversation_saved_through_one_replica_is_read_and_continued_through_the_other(cluster):
    a, b = cluster
    chat_id = httpx.post(a.url + "v1/conversations", json={}, headers=HEADERS, timeout=30).json()["id"]
    first = httpx.post(a.url + f"v1/conversations/{chat_id}/messages", headers=HEADERS, timeout=120,
                       json={"question": QUESTIONS[0], "model": "extractive"}).json()
    on_b = httpx.get(b.url + f"v1/conversations/{chat_id}", headers=HEADERS, timeout=30).json()
    assert [t["question"] for t in on_b["turns"]] == [QUESTIONS[0]]
    assert on_b["turns"][0]["answer"] == first["answer"]
    follow = httpx.post(b.url + f"v1/conversations/{chat_id}/messages", headers=HEADERS, timeout=120,
                        json={"question": "And in Iran?", "model": "extractive"}).json()
    assert "Iran" in follow["standalone_question"] and "four in iran" in follow["answer"].lower()
    rated = httpx.post(b.url + "v1/feedback", headers=HEADERS, timeout=30,
                       json={"conversation_id": chat_id, "turn_id": follow["turn_id"], "rating": "up"})
    assert rated.status_code == 201
    turns = httpx.get(a.url + f"v1/conversations/{chat_id}", headers=HEADERS, timeout=30).json()["turns"]
    assert [t["rating"] for t in turns] == ["", "up"]


def test_questions_on_one_replica_while_the_other_reingests_never_fail_or_rebuild(cluster):
    a, b = cluster
    stop, failures, answered = threading.Event(), [], []

    def keep_asking():
        while not stop.is_set():
            response = httpx.post(b.url + "v1/ask", json={"question": QUESTIONS[0], "model": "extractive"},
                                  headers=HEADERS, timeout=120)
            (answered if response.status_code == 200 and response.json()["citations"] else failures).append(
                response.status_code)

    asker = threading.Thread(target=keep_asking)
    asker.start()
    try:
        for n in range(3):  # each commit replaces the generation the other replica may be opening
            added = httpx.post(a.url + "v1/documents", headers=HEADERS, timeout=300,
                               files={"file": (f"churn-{n}.txt", f"Churn note {n}\n\nLine {n} of a note.\n".encode(),
                                               "text/plain")})
            assert added.status_code == 201, added.text
            removed = httpx.delete(a.url + f"v1/documents/{added.json()['added'][0]['id']}", headers=HEADERS,
                                   timeout=300)
            assert removed.status_code == 200, removed.text
    finally:
        stop.set()
        asker.join()
    assert failures == [] and len(answered) >= 3
    assert "damaged" not in b.log() and "rebuilding" not in b.log()


def load(replicas, n: int = LOAD_QUESTIONS, clients: int = LOAD_CLIENTS) -> dict:
    questions = [QUESTIONS[i % len(QUESTIONS)] for i in range(n)]

    def timed(i: int) -> float:
        started_at = time.perf_counter()
        ask(replicas[i % len(replicas)], questions[i])
        return time.perf_counter() - started_at

    started_at = time.perf_counter()
    with ThreadPoolExecutor(clients) as pool:
        latencies = sorted(pool.map(timed, range(n)))
    wall = time.perf_counter() - started_at
    return {"replicas": len(replicas), "answers": n, "clients": clients, "answers_per_s": round(n / wall, 2),
            "p50_ms": round(statistics.median(latencies) * 1e3), "p95_ms": round(latencies[int(0.95 * (n - 1))] * 1e3)}


def test_load_spread_over_two_replicas_is_measured(cluster, tmp_path):
    a, b = cluster
    load([a, b], n=8)  # warm-up
    one, two = load([a]), load([a, b])
    print("\nreplica load:", json.dumps([one, two]))
    (REPO / "test-output").mkdir(exist_ok=True)
    (REPO / "test-output" / "replica-load.json").write_text(json.dumps([one, two], indent=1))
    assert one["answers_per_s"] > 0 and two["answers_per_s"] > 0
    assert two["p95_ms"] < 60_000
