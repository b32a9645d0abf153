"""Faults: ingest killed mid-way, damaged or missing index, missing or broken local model, a failing model server."""
from __future__ import annotations

import json
import os
import re
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from assistant.engine import Engine
from assistant.store import release_chroma

from fixtures.corpus import REPORT_ONLY, copy_corpus
from rb_support import CLI_ENV, PLOTS_Q, REPORT, REPORT_ID, ROOT, assert_citations_verified, cli, settings_for

CLI = [sys.executable, "-m", "assistant.cli"]
VARIANTS = 12


def ask_json(corpus: Path, index: Path, question: str = PLOTS_Q) -> dict:
    result = cli("ask", "--json", "--corpus", corpus, "--index", index, question)
    assert result.returncode == 0, result.stderr[-3000:]
    return json.loads(result.stdout)


def state(index: Path) -> dict:
    return json.loads((index / "state.json").read_text(encoding="utf-8"))


def write_variants(corpus: Path, count: int) -> None:
    """Distinct documents from the report's paragraphs (rotated and renumbered), so each needs embedding."""
    paragraphs = [p for p in REPORT.read_text(encoding="utf-8").split("\n\n") if p.strip()]
    for i in range(count):
        rotated = paragraphs[i % len(paragraphs):] + paragraphs[:i % len(paragraphs)]
        text = f"Variant {i} of the ISKP report notes\n\n" + "\n\n".join(f"({i}.{j}) {p}" for j, p in enumerate(rotated))
        (corpus / f"variant-{i:03d}.txt").write_text(text, encoding="utf-8")


# ----- SIGKILL during ingest -----
def kill_when(proc: subprocess.Popen, stderr_path: Path, ready, timeout_s: float = 300) -> bool:
    """SIGKILL proc as soon as ready() is true; False when the ingest finished first."""
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            return False
        if ready():
            os.kill(proc.pid, signal.SIGKILL)
            proc.wait(30)
            return True
        time.sleep(0.02)
    os.kill(proc.pid, signal.SIGKILL)
    raise AssertionError(f"ingest never reached the kill point:\n{stderr_path.read_text(errors='replace')[-2000:]}")


def embedding_started(stderr_path: Path):
    def ready() -> bool:
        text = stderr_path.read_text(errors="replace") if stderr_path.exists() else ""
        done = [(int(a), int(b)) for a, b in re.findall(r"Embedding.*?(\d+)/(\d+)", text)]
        return any(0 < a < b for a, b in done)
    return ready


def writing_started(index: Path):
    def ready() -> bool:
        return any((p / "docs.json").exists() for p in (index / "gens").glob("*.partial"))
    return ready


def fresh_engine(settings) -> Engine:
    """An Engine that reopens the index from disk (another process wrote it)."""
    release_chroma(settings)
    return Engine(settings)


@pytest.mark.parametrize("phase", ["embedding", "writing"])
def test_sigkill_mid_ingest_leaves_the_old_index_answering(tmp_path, phase):
    corpus, index = copy_corpus(tmp_path / "corpus", REPORT_ONLY), tmp_path / "index"
    settings = settings_for(corpus, index)
    fresh_engine(settings).ingest()
    old = state(index)
    old_answer = fresh_engine(settings).session().ask(PLOTS_Q)

    write_variants(corpus, VARIANTS)  # ~150 new chunks: seconds of embedding, in batches of 64
    stderr_path = tmp_path / "ingest.err"
    with open(stderr_path, "w") as err:  # `assistant ingest`, killed with SIGKILL at the chosen point
        proc = subprocess.Popen([*CLI, "ingest", "--corpus", str(corpus), "--index", str(index)], cwd=ROOT, env=CLI_ENV,
                                stdout=subprocess.DEVNULL, stderr=err)
        ready = embedding_started(stderr_path) if phase == "embedding" else writing_started(index)
        killed = kill_when(proc, stderr_path, ready)
    assert killed, "the ingest finished before it could be killed"
    assert proc.returncode == -signal.SIGKILL

    # The commit point was not reached: the old generation is still the index, and it answers as before.
    assert state(index)["generation"] == old["generation"]
    assert list((index / "gens").glob("*.partial")), "the interrupted generation should be left as .partial"
    after_kill = fresh_engine(settings).session().ask(PLOTS_Q)
    assert after_kill.text == old_answer.text
    assert {p.doc_id for p in after_kill.passages} == {REPORT_ID}
    assert after_kill.citations and all(c.quote in REPORT.read_text(encoding="utf-8") for c in after_kill.citations)

    # A new ingest completes and removes the partial generation and its collection.
    engine = fresh_engine(settings)
    report = engine.ingest()
    assert len(report.added) == VARIANTS and report.unchanged == ["the-next-afghan-jihad.txt"]
    new = state(index)
    assert new["generation"] != old["generation"] and len(new["files"]) == VARIANTS + 1
    assert sorted(p.name for p in (index / "gens").iterdir()) == sorted([new["generation"], old["generation"]]), \
        "the partial generation is removed; the one just replaced stays for processes still opening it"
    from assistant.store import chroma_client

    names = [getattr(c, "name", c) for c in chroma_client(settings).list_collections()]
    assert names == [new["collection"]]
    assert not engine.session().ask(PLOTS_Q).abstained


# ----- a damaged or missing index -----
def _gen(index: Path) -> Path:
    return index / "gens" / state(index)["generation"]


def _garbage(path: Path) -> None:
    path.write_bytes(os.urandom(max(path.stat().st_size, 512)))


DAMAGE = {
    "state-truncated": lambda i: (i / "state.json").write_text((i / "state.json").read_text()[:40]),
    "state-garbage-bytes": lambda i: _garbage(i / "state.json"),
    "state-empty": lambda i: (i / "state.json").write_text(""),
    "state-not-an-object": lambda i: (i / "state.json").write_text("[1, 2, 3]"),
    "state-unknown-generation": lambda i: (i / "state.json").write_text(
        json.dumps({**state(i), "generation": "19700101-000000-dead00"})),
    "state-unknown-collection": lambda i: (i / "state.json").write_text(
        json.dumps({**state(i), "collection": "assistant_chunks_missing"})),
    "gens-deleted": lambda i: shutil.rmtree(i / "gens"),
    "chunks-garbage": lambda i: (_gen(i) / "chunks.jsonl").write_text('{"x": 1}\nnot json\n'),
    "chunks-line-missing": lambda i: (_gen(i) / "chunks.jsonl").write_text(
        "".join((_gen(i) / "chunks.jsonl").read_text().splitlines(keepends=True)[:-1])),
    "embeddings-truncated": lambda i: (_gen(i) / "embeddings.npy").write_bytes(
        (_gen(i) / "embeddings.npy").read_bytes()[:500]),
    "docs-garbage": lambda i: _garbage(_gen(i) / "docs.json"),
    "chroma-sqlite-garbage": lambda i: _garbage(i / "chroma" / "chroma.sqlite3"),
    "chroma-deleted": lambda i: shutil.rmtree(i / "chroma"),
}


@pytest.mark.parametrize("damage", DAMAGE.values(), ids=DAMAGE.keys())
def test_damaged_index_is_detected_and_rebuilt_with_a_message(template_index, tmp_path, damage, logged):
    corpus, template = template_index
    index = tmp_path / "index"
    shutil.copytree(template, index)
    damage(index)
    engine = Engine(settings_for(corpus, index))
    engine.ensure_index()
    assert any("The index is damaged" in m and "rebuilding it from the corpus" in m for m in logged), logged
    answer = engine.session().ask(PLOTS_Q)
    assert not answer.abstained and "three in india" in answer.text.lower()
    assert_citations_verified(answer, engine)
    assert state(index)["generation"] == engine.ensure_index().generation


def test_missing_index_is_built_with_a_message(template_index, tmp_path, logged):
    corpus, _ = template_index
    engine = Engine(settings_for(corpus, tmp_path / "no-index-yet"))
    assert not engine.session().ask(PLOTS_Q).abstained
    assert "No index yet: building it from the corpus..." in logged


def test_index_deleted_or_damaged_while_the_app_runs_is_rebuilt(template_index, tmp_path, logged):
    corpus, template = template_index
    index = tmp_path / "index"
    shutil.copytree(template, index)
    engine = Engine(settings_for(corpus, index))
    session = engine.session()
    assert not session.ask(PLOTS_Q).abstained
    shutil.rmtree(index)
    assert not session.ask(PLOTS_Q).abstained
    assert logged[-1] == "No index yet: building it from the corpus..."
    (index / "state.json").write_text("{broken")
    assert not session.ask("And in Iran?").abstained
    assert "The index is damaged" in logged[-1]


def test_cli_reports_a_damaged_index_and_still_answers(template_index, tmp_path):
    corpus, template = template_index
    index = tmp_path / "index"
    shutil.copytree(template, index)
    _garbage(index / "state.json")
    result = cli("ask", "--corpus", corpus, "--index", index, PLOTS_Q)
    assert result.returncode == 0, result.stderr[-3000:]
    assert "The index is damaged" in result.stderr and "rebuilding it from the corpus" in result.stderr
    assert "Traceback" not in result.stderr
    assert "Three in India" in result.stdout


# ----- the local model missing or failing to load -----
def _model_cases(tmp: Path) -> dict[str, tuple[str, str]]:
    from assistant.backends.local import MODEL_FILE, model_cache_dir

    garbage = tmp / "garbage.gguf"
    garbage.write_bytes(os.urandom(200_000))
    header = tmp / "header-only.gguf"
    header.write_bytes(b"GGUF\x03\x00\x00\x00" + os.urandom(4000))
    cases = {
        "missing-file": (str(tmp / "nope.gguf"), "Local model unavailable"),
        "a-directory": (str(tmp), "Local model unavailable"),
        "dev-null": ("/dev/null", "Local model unavailable"),
        "garbage-bytes": (str(garbage), "Local model failed to load"),
        "gguf-header-then-garbage": (str(header), "Local model failed to load"),
    }
    real = model_cache_dir() / MODEL_FILE
    if real.is_file():
        truncated = tmp / "truncated.gguf"
        with open(real, "rb") as src, open(truncated, "wb") as dst:
            dst.write(src.read(20_000_000))
        cases["real-model-truncated"] = (str(truncated), "Local model failed to load")
    return cases


def test_broken_local_model_falls_back_to_extractive_with_a_notice(clean_engine, tmp_path):
    cases = _model_cases(tmp_path)
    for name, (model_path, notice) in cases.items():
        settings = clean_engine.settings.replace(backend="local", model_path=model_path)
        engine = Engine(settings)
        assert engine.backend_name == "extractive", name
        assert any(notice in n and "using the extractive backend instead" in n for n in engine.notices), \
            (name, engine.notices)
        answer = engine.session().ask(PLOTS_Q)
        assert answer.backend == "extractive" and not answer.abstained, name
        assert any(notice in n for n in answer.notices), (name, answer.notices)
    assert len(cases) >= 5


# ----- an OpenAI-compatible server that misbehaves -----
FAILURES = {
    "slow": "did not answer in time",
    "garbage": "failed",
    "json": "returned no answer text",
    "bad_sse": "JSONDecodeError",
    "empty": "returned no answer text",
    "http500": "InternalServerError",
    "cut": "failed",
}


def openai_engine(clean_engine, url: str, timeout_s: float = 1.5) -> Engine:
    settings = clean_engine.settings.replace(backend="openai", openai_base_url=url, openai_timeout_s=timeout_s)
    return Engine(settings)


@pytest.mark.parametrize("mode", FAILURES)
def test_failing_model_server_gives_a_clear_notice_and_the_chat_goes_on(clean_engine, model_server, mode):
    engine = openai_engine(clean_engine, model_server.url)
    session = engine.session()
    model_server.mode = "ok"
    first = session.ask(PLOTS_Q)
    assert first.backend == "openai" and not first.abstained and not first.notices, first.to_json()

    model_server.mode = mode
    started = time.monotonic()
    events = list(session.ask_stream("And in Iran?"))
    elapsed = time.monotonic() - started
    answer = events[-1].answer
    assert elapsed < 10, f"{mode}: {elapsed:.1f} s with a 1.5 s timeout"
    assert answer.backend == "extractive" and not answer.abstained, answer.to_json()
    notice = " ".join(answer.notices)
    assert f"The model server at {model_server.url} failed" in notice and FAILURES[mode] in notice, notice
    assert "Showing an extractive answer instead" in notice
    assert "four in iran" in answer.text.lower()  # the follow-up still used this session's history
    assert_citations_verified(answer, engine)

    model_server.mode = "ok"  # the server recovers: the same chat answers from it again
    model_server.reply = "Foreign law enforcement interdicted three ISKP plots in Germany [1]."
    recovered = session.ask("What about Germany?")
    assert recovered.backend == "openai" and not recovered.notices and not recovered.abstained, recovered.to_json()
    assert len(session.history) == 3


def test_unreachable_model_server_gives_a_clear_notice(clean_engine):
    import socket

    with socket.socket() as sock:  # a port with nothing listening
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    answer = openai_engine(clean_engine, f"http://127.0.0.1:{port}/v1").session().ask(PLOTS_Q)
    assert answer.backend == "extractive" and not answer.abstained
    assert "could not be reached" in " ".join(answer.notices)
