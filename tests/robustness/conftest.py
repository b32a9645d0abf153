"""Fixtures for the robustness suite (helpers live in rb_support.py)."""
from __future__ import annotations

import pytest

from fixtures.corpus import REPORT_ONLY, copy_corpus
from rb_support import FakeModelServer, add_hostile_docs, cli, settings_for


@pytest.fixture(scope="session")
def clean_engine(tmp_path_factory):
    """Extractive engine over a copy of the real corpus (read-only use)."""
    from assistant.engine import Engine

    base = tmp_path_factory.mktemp("rb-clean")
    engine = Engine(settings_for(copy_corpus(base / "corpus", REPORT_ONLY), base / "index"))
    engine.ensure_index()
    return engine


@pytest.fixture(scope="session")
def hostile_engine(tmp_path_factory):
    """Extractive engine over the real corpus plus the hostile documents."""
    from assistant.engine import Engine

    base = tmp_path_factory.mktemp("rb-hostile")
    corpus = add_hostile_docs(copy_corpus(base / "corpus", REPORT_ONLY))
    engine = Engine(settings_for(corpus, base / "index"))
    engine.ensure_index()
    return engine


@pytest.fixture
def model_server():
    with FakeModelServer() as server:
        yield server


@pytest.fixture(scope="session")
def plain_app(tmp_path_factory):
    """`python ui.py` as started by default (no login, loopback), its local model missing: extractive answers."""
    from conftest_ui import AppServer, started

    work = tmp_path_factory.mktemp("rb-ui-plain")
    yield from started(AppServer(work, copy_corpus(work / "corpus", REPORT_ONLY), ASSISTANT_BACKEND="local",
                                 ASSISTANT_MODEL_PATH=str(work / "missing-model.gguf")))


@pytest.fixture(scope="session")
def template_index(tmp_path_factory):
    """(corpus, index): a committed index built by `assistant ingest` in its own process; copy it before changing it."""
    base = tmp_path_factory.mktemp("rb-template")
    corpus = copy_corpus(base / "corpus", REPORT_ONLY)
    result = cli("ingest", "--corpus", corpus, "--index", base / "index")
    assert result.returncode == 0, result.stderr[-3000:]
    return corpus, base / "index"
