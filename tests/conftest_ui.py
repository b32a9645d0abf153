"""Helpers for the UI tests: start the real app in a subprocess on a free port, over a temporary index.

Imported by tests/test_ui_*.py. Run as a script it serves the app with a slow fake LLM (streaming and
concurrency tests): `python tests/conftest_ui.py` with the same ASSISTANT_* environment as `python ui.py`.
"""
from __future__ import annotations

import os
import sys
from pathlib import Path

from fixtures.corpus import CORPUS, REPORT  # noqa: F401 (re-exported to the UI tests)
from fixtures.indexes import seeded
from fixtures.llm import ScriptedLLM, passages_in
from fixtures.servers import ServerProcess, free_port, started  # noqa: F401 (free_port, started: re-exported)

REPO = Path(__file__).resolve().parents[1]
OUTPUT = REPO / "test-output" / "ui"  # gitignored; CI keeps it as an artifact
START_TIMEOUT_S = 240


class AppServer(ServerProcess):
    """The app in a subprocess: started by start(), reachable at .url, stopped by stop().

    script and args: what python runs (e.g. "-m", ("assistant.cli", "api")); ready_path: polled until it answers;
    seed: an index to start from (fixtures.indexes), brought up to date with the corpus here; None: the app builds
    its own at start."""

    def __init__(self, workdir: Path, corpus_dir: Path, script: str = "ui.py", args: tuple[str, ...] = (),
                 ready_path: str = "", seed: str | None = None, **env):
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}/"
        self.workdir = workdir
        self.corpus_dir = corpus_dir
        environment = {
            **os.environ,
            "ASSISTANT_INDEX_DIR": str(workdir / "index"),
            "ASSISTANT_CORPUS_DIR": str(corpus_dir),
            "ASSISTANT_PORT": str(self.port),
            "ASSISTANT_BACKEND": "extractive",
            "ASSISTANT_DATA_DIR": str(workdir / "data"),
            "GRADIO_ANALYTICS_ENABLED": "False",
            "PYTHONUNBUFFERED": "1",
            **{k: str(v) for k, v in env.items()},
        }
        environment.pop("ASSISTANT_CONFIG", None)
        if seed and not (workdir / "index").exists():
            seeded(workdir / "index", corpus_dir, seed)
        super().__init__([sys.executable, script, *args], self.url + ready_path, workdir / f"app-{self.port}.log",
                         env=environment, cwd=REPO, start_timeout_s=START_TIMEOUT_S, ready_statuses=(200, 401))


    def feedback_entries(self) -> list[dict]:
        """The feedback the app saved in its database, oldest first."""
        from assistant.storage import Database, Feedback

        database = Database(f"sqlite:///{self.workdir / 'data' / 'assistant.db'}")
        try:
            return Feedback(database).all()
        finally:
            database.engine.dispose()


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


def quote_as_list(prompt: str, items: int = 3) -> str:
    """The prompt passage sentences that best match the question, quoted as a numbered list, each cited."""
    from assistant.textutil import sentence_spans, terms

    question = prompt.rsplit("Question:", 1)[-1].split("\n", 1)[0]
    wanted = set(terms(question))
    sentences = [(n, text[s:e]) for n, text in passages_in(prompt).items() for s, e in sentence_spans(text)
                 if len(text[s:e].split()) >= 5 and '"' not in text[s:e]]
    if not sentences:
        return "NOT_IN_SOURCES"
    best = sorted(sentences, key=lambda item: -len(wanted & set(terms(item[1]))))[:items]
    return "The sources say:\n" + "\n".join(f'{i}. "{text}" [{n}]' for i, (n, text) in enumerate(best, 1))


def _serve_with_fake_llm() -> None:
    sys.path.insert(0, str(REPO))
    from assistant import logs
    from assistant.engine import Engine
    from assistant.settings import Settings
    from assistant.webapp.app import serve

    logs.configure()
    settings = Settings.load()
    # Streams the quote (FAKE_LLM_LISTS: a list of quotes) word by word, each word after FAKE_LLM_DELAY_S.
    reply = quote_as_list if os.environ.get("FAKE_LLM_LISTS") else quote_best_sentence
    llm = ScriptedLLM(reply, chunk=None, delay_s=float(os.environ.get("FAKE_LLM_DELAY_S", "0.12")),
                      name="fake", model="slow-quoting-fake")
    serve(Engine(settings, backend=llm), settings)


if __name__ == "__main__":
    _serve_with_fake_llm()
