"""Helpers for the UI tests: start the real app in a subprocess on a free port, over a temporary index.

Imported by tests/test_ui_*.py. Run as a script it serves the app with a slow fake LLM (streaming and
concurrency tests): `python tests/conftest_ui.py` with the same ASSISTANT_* environment as `python ui.py`.
"""
from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx

from fixtures.corpus import CORPUS, REPORT  # noqa: F401 (re-exported to the UI tests)
from fixtures.llm import ScriptedLLM, passages_in

REPO = Path(__file__).resolve().parents[1]
OUTPUT = REPO / "test-output" / "ui"  # gitignored; CI keeps it as an artifact
START_TIMEOUT_S = 240


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class AppServer:
    """The app in a subprocess: started by start(), reachable at .url, stopped by stop().

    script and args: what python runs (e.g. "-m", ("assistant.cli", "api")); ready_path: polled until it answers."""

    def __init__(self, workdir: Path, corpus_dir: Path, script: str = "ui.py", args: tuple[str, ...] = (),
                 ready_path: str = "", **env):
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}/"
        self.workdir = workdir
        self.corpus_dir = corpus_dir
        self.feedback_path = workdir / "feedback.jsonl"
        self.log_path = workdir / f"app-{self.port}.log"
        self.env = {
            **os.environ,
            "ASSISTANT_INDEX_DIR": str(workdir / "index"),
            "ASSISTANT_CORPUS_DIR": str(corpus_dir),
            "ASSISTANT_PORT": str(self.port),
            "ASSISTANT_BACKEND": "extractive",
            "ASSISTANT_FEEDBACK_PATH": str(self.feedback_path),
            "GRADIO_ANALYTICS_ENABLED": "False",
            "PYTHONUNBUFFERED": "1",
            **{k: str(v) for k, v in env.items()},
        }
        self.env.pop("ASSISTANT_CONFIG", None)
        self.script, self.args, self.ready_path = script, args, ready_path
        self.proc: subprocess.Popen | None = None

    def start(self) -> AppServer:
        self._log = open(self.log_path, "w")
        self.proc = subprocess.Popen([sys.executable, self.script, *self.args], cwd=REPO, env=self.env, stdout=self._log,
                                     stderr=subprocess.STDOUT, start_new_session=True)
        deadline = time.monotonic() + START_TIMEOUT_S
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"the app exited with {self.proc.returncode}:\n{self.log()[-4000:]}")
            try:
                if httpx.get(self.url + self.ready_path, timeout=2).status_code in (200, 401):
                    return self
            except httpx.HTTPError:
                pass
            time.sleep(0.5)
        self.stop()
        raise RuntimeError(f"the app did not answer on {self.url} in {START_TIMEOUT_S} s:\n{self.log()[-4000:]}")

    def log(self) -> str:
        return self.log_path.read_text(errors="replace") if self.log_path.exists() else ""

    def stop(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGTERM)
            try:
                self.proc.wait(15)
            except subprocess.TimeoutExpired:
                os.killpg(self.proc.pid, signal.SIGKILL)
                self.proc.wait(5)
        if getattr(self, "_log", None):
            self._log.close()


def started(server: AppServer):
    """Fixture body: yield a running server, always stop it."""
    server.start()
    try:
        yield server
    finally:
        server.stop()


# ----- the slow fake LLM (a script mode of this file) -----
def quote_best_sentence(prompt: str) -> str:
    """A quote of the prompt passage sentence that best matches the question, cited like a model would."""
    from assistant.textutil import sentence_spans, terms

    question = prompt.rsplit("Question:", 1)[-1].split("\n", 1)[0]
    wanted = set(terms(question))
    sentences = [(n, text[s:e]) for n, text in passages_in(prompt).items() for s, e in sentence_spans(text)
                 if len(text[s:e].split()) >= 5]
    if not sentences:
        return "NOT_IN_SOURCES"
    n, best = max(sentences, key=lambda item: len(wanted & set(terms(item[1]))))
    return f'The report says: "{best}" [{n}]'


def _serve_with_fake_llm() -> None:
    sys.path.insert(0, str(REPO))
    from assistant import logs
    from assistant.engine import Engine
    from assistant.settings import Settings
    from assistant.webapp.app import serve

    logs.configure()
    settings = Settings.load()
    # Streams the quote word by word, each word after FAKE_LLM_DELAY_S.
    llm = ScriptedLLM(quote_best_sentence, chunk=None, delay_s=float(os.environ.get("FAKE_LLM_DELAY_S", "0.12")),
                      name="fake", model="slow-quoting-fake")
    serve(Engine(settings, backend=llm), settings)


if __name__ == "__main__":
    _serve_with_fake_llm()
