import os
import tempfile

import pytest

from assistant.settings import Settings

from fixtures.corpus import REPORT, REPORT_ONLY, copy_corpus
from fixtures.logs import collected

# Under pytest-xdist each worker's local model (and the apps it starts) gets one core: two models spinning on both
# cores slowed each other down up to 8x.
if int(os.environ.get("PYTEST_XDIST_WORKER_COUNT", "1")) > 1:
    os.environ.setdefault("ASSISTANT_N_THREADS", "1")

# Saved conversations and feedback of in-process engines go to a scratch folder, never the project's data/.
os.environ.setdefault("ASSISTANT_DATA_DIR", tempfile.mkdtemp(prefix="assistant-test-data-"))


def pytest_collection_modifyitems(items):
    """Files with slow tests (the real model, a browser) run first: under pytest-xdist they then start early
    instead of leaving one worker busy at the end."""
    slow_files = {item.path for item in items if item.get_closest_marker("slow")}
    items.sort(key=lambda item: item.path not in slow_files)


@pytest.fixture
def report_text() -> str:
    return REPORT.read_text(encoding="utf-8")


@pytest.fixture
def fresh_settings(tmp_path) -> Settings:
    corpus = copy_corpus(tmp_path / "corpus", REPORT_ONLY)
    return Settings.load(corpus_dir=corpus, index_dir=tmp_path / "index", backend="extractive")


@pytest.fixture(scope="session")
def shared_settings(tmp_path_factory) -> Settings:
    base = tmp_path_factory.mktemp("shared")
    return Settings.load(corpus_dir=copy_corpus(base / "corpus", REPORT_ONLY), index_dir=base / "index", backend="extractive")


@pytest.fixture(scope="session")
def extractive_engine(shared_settings):
    from assistant.engine import Engine

    engine = Engine(shared_settings)
    engine.ensure_index()
    return engine


@pytest.fixture
def logged():
    """The messages (INFO and up) the assistant logs during the test, in order."""
    with collected() as messages:
        yield messages
