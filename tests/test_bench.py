"""The benchmark's own accounting: it must tell its own CPU use from other work on the machine."""
import json
import subprocess
import sys
import time

import pytest

from bench.common import ForeignCpu
from bench.report import _foreign_line

BURN = "import time\nend = time.time() + {seconds}\nwhile time.time() < end: pass\n"
pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc")


def measure(start_burner, seconds: float = 3.0) -> dict:
    watch = ForeignCpu()
    start_burner(seconds)
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        time.sleep(0.5)
        watch.sample()
    return watch.summary()


def test_a_busy_child_of_the_benchmark_is_its_own_work():
    children = []
    summary = measure(lambda s: children.append(subprocess.Popen([sys.executable, "-c", BURN.format(seconds=s)])))
    children[0].wait()
    assert summary["mean_share"] < 0.25, summary


def test_a_busy_process_outside_the_benchmark_is_foreign():
    # sh starts the burner in the background and exits: the burner is no longer in this process tree
    summary = measure(lambda s: subprocess.run(
        ["sh", "-c", f"{sys.executable} -c '{BURN.format(seconds=s)}' >/dev/null 2>&1 &"], check=True))
    assert summary["mean_share"] > 0.3 / (ForeignCpu().cores / 2), summary


def test_the_report_says_whether_the_machine_was_shared():
    quiet = _foreign_line({"meta": {"foreign_cpu": {"mean_share": 0.01, "max_share": 0.04, "windows": 9}}})
    busy = _foreign_line({"meta": {"foreign_cpu": {"mean_share": 0.4, "max_share": 0.9, "windows": 9}},
                          "section_foreign_cpu": {"scale": {"mean_share": 0.5, "max_share": 0.9, "windows": 3}}})
    assert "otherwise quiet" in quiet and "mean 1%" in quiet
    assert "shared with other work" in busy and "scale 50% (max 90%)" in busy


def test_corpus_index_scenario_measures_and_leaves_the_corpus_as_it_was(tmp_path):
    from assistant.engine import Engine
    from assistant.settings import Settings
    from bench import corpus_index

    from fixtures.corpus import REPORT_ONLY, copy_corpus

    corpus = copy_corpus(tmp_path / "corpus", REPORT_ONLY)
    notes = corpus / "notes.md"
    notes.write_text("# Field notes\n\nThe workshop on regional cooperation met in Dushanbe in May.\n", encoding="utf-8")
    original = notes.read_bytes()
    out, index = tmp_path / "out", tmp_path / "index"
    argv = ["--corpus", str(corpus), "--index", str(index), "--change", "notes.md", "--starts", "1",
            "--questions", "6", "--rounds", "1", "--out", str(out)]
    with pytest.raises(SystemExit):  # no index and no --build: refused, nothing built
        corpus_index.main(argv)
    assert not index.exists()
    Engine(Settings.load(corpus_dir=corpus, index_dir=index, backend="extractive")).ingest()
    assert corpus_index.main(argv) == 0
    results = json.loads((out / "corpus-index.json").read_text(encoding="utf-8"))
    ingest = results["reingest"]
    assert ingest["first_ingest_embedded"] == 0 and ingest["unchanged_up_to_date"]
    assert ingest["changed_updated"] == ["notes.md"] and ingest["changed_embedded"] == 1
    assert ingest["restored_updated"] == ["notes.md"] and ingest["restored_embedded"] == 1
    start = results["start"][0]
    assert start["start_to_first_answer_s"] > 0 and start["documents"] == 2 and not start["first_answer_abstained"]
    assert start["hybrid_retrieval"]["n"] == 6 and start["extractive_answer"]["n"] == 6
    assert notes.read_bytes() == original
    assert "one file changed (notes.md)" in (out / "corpus-index.md").read_text(encoding="utf-8")
