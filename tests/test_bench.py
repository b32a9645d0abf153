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
    before = measure(lambda s: None)  # the machine's other work just now, which the child must not add to
    children = []
    summary = measure(lambda s: children.append(subprocess.Popen([sys.executable, "-c", BURN.format(seconds=s)])))
    children[0].wait()
    assert summary["mean_share"] < before["mean_share"] + 0.25, (summary, before)


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


# ----- scenarios, the llama-index recipes, the local comparison and the targets table -----
NOTES = ("# Field notes\n\nThe regional workshop met in Dushanbe in May 2023. Forty delegates attended it.\n\n"
         "## Budget\n\nThe workshop cost 12,000 euros, paid by the host ministry. A second meeting is planned.\n")
TINY_GOLDEN = [
    {"id": "city", "question": "Where did the regional workshop meet?", "must_include": [["Dushanbe"]],
     "quote": "met in Dushanbe", "answerable": True},
    {"id": "cost", "question": "How much did the workshop cost?", "must_include": [["12,000", "12000"]],
     "quote": "cost 12,000 euros", "answerable": True},
    {"id": "delegates", "question": "How many delegates attended the workshop?", "must_include": [["forty", "40"]],
     "quote": "Forty delegates", "answerable": True},
    {"id": "weather", "question": "What was the weather in Lisbon during the workshop?", "must_include": [],
     "answerable": False},
]


def tiny_scenario(tmp_path, cases: int = 4):
    """One short document and a few cases written for it (the last unanswerable): seconds, not minutes."""
    import json

    from bench import scenario

    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "notes.md").write_text(NOTES, encoding="utf-8")
    golden = tmp_path / "golden.jsonl"
    chosen = TINY_GOLDEN[:cases - 1] + TINY_GOLDEN[-1:]
    golden.write_text("".join(json.dumps(case) + "\n" for case in chosen), encoding="utf-8")
    return scenario.make("corpus", tmp_path / "work", corpus=corpus, golden=golden)


def test_scenarios_copy_what_they_name_and_refuse_a_missing_index(tmp_path):
    from bench import scenario

    report = scenario.make("report", tmp_path)
    assert sorted(p.name for p in report.corpus_dir.iterdir() if p.is_file()) == [
        "README.md", "manifest.yaml", "the-next-afghan-jihad.txt"]
    assert not (report.corpus_dir / "related").exists() and report.golden == scenario.REPORT_GOLDEN
    (tmp_path / "corpus").mkdir()
    with pytest.raises(scenario.ScenarioError, match="no built index there"):
        scenario.make("corpus", tmp_path, corpus=tmp_path / "corpus", index=tmp_path / "missing")
    with pytest.raises(scenario.ScenarioError, match="not a folder"):
        scenario.make("corpus", tmp_path, corpus=tmp_path / "nowhere")
    given = scenario.make("corpus", tmp_path, corpus=tmp_path / "corpus")
    assert given.golden == scenario.TEST_GOLDEN and not given.index_given


def test_the_bench_refuses_scenario_flags_that_do_not_go_together(tmp_path, capsys):
    from bench.__main__ import main

    out = tmp_path / "out"
    assert main(["--scenario", "corpus", "--out", str(out)]) == 2
    assert main(["--scenario", "nowhere", "--out", str(out)]) == 2
    (tmp_path / "c").mkdir()
    assert main(["--corpus", str(tmp_path / "c"), "--index", str(tmp_path / "i"), "--out", str(out)]) == 2
    err = capsys.readouterr().err
    assert "--corpus DIR" in err and "unknown scenario(s): nowhere" in err and "no built index there" in err
    assert not out.exists()


@pytest.mark.parametrize("text, refused", [
    ("The date of the attack is not explicitly mentioned in the given context.", True),
    ("The context does not provide information about Paris.", True),
    ("", True),
    ("ISKP's plots were interdicted in Germany and Qatar.", False)])
def test_baseline_refusals_use_our_abstention_rule(text, refused):
    from assistant.pipeline.ground import declines
    from bench.baseline import looks_like_refusal

    assert looks_like_refusal(text) is refused is declines(text or None)


def test_the_tuned_baseline_reads_no_more_than_our_prompt_budget():
    from llama_index.core.schema import NodeWithScore, TextNode

    from bench.baseline import char_budget

    first = "The first sentence is here. The second sentence follows it. " * 4
    nodes = [NodeWithScore(node=TextNode(text=first), score=0.9),
             NodeWithScore(node=TextNode(text="The second node is read while room is left."), score=0.5),
             NodeWithScore(node=TextNode(text="A third is not."), score=0.4)]
    kept = [n.node.get_content() for n in char_budget(100).postprocess_nodes(nodes)]
    assert kept == [first[:87]]  # three whole sentences; no room for a whole sentence of the next node
    kept = [n.node.get_content() for n in char_budget(70).postprocess_nodes(
        [NodeWithScore(node=TextNode(text=first[:60]), score=0.9), nodes[2]])]
    assert kept == [first[:60]]  # in rank order: no later node jumps a node that did not fit
    kept = [n.node.get_content() for n in char_budget(80).postprocess_nodes(
        [NodeWithScore(node=TextNode(text=first[:60]), score=0.9), nodes[2]])]
    assert kept == [first[:60], "A third is not."]
    assert char_budget(12).postprocess_nodes(nodes[1:])[0].node.get_content() == "The second"
    assert [len(n.node.get_content()) for n in char_budget(1000).postprocess_nodes(
        [NodeWithScore(node=TextNode(text="Short one."), score=1.0)])] == [10]


def test_quality_on_a_tiny_corpus_runs_both_recipes_and_reports_what_it_did_not_measure(tmp_path):
    from assistant.settings import Settings
    from bench import quality, report

    tiny = tiny_scenario(tmp_path)
    q = quality.run(tmp_path / "q", tiny, local_cases=0, retrieval_rounds=1)
    settings = Settings.load(config_file=None)
    assert q["recipes"]["tuned"]["chunk_size"] == settings.chunk_max_tokens
    assert q["recipes"]["tuned"]["top_k"] == settings.top_k
    assert q["baselines"]["tuned"]["chunks"] >= q["baselines"]["default"]["chunks"] == 1
    assert q["extractive"]["ours"]["counts"]["cases"] == 4 and "local" not in q
    for name in ("default", "tuned"):
        assert q["retrieval"][f"baseline_{name}"]["hit_at_k"] is not None
        assert q["retrieval_latency"][f"baseline_{name}"]["n"] == 4
    q.pop("cases")
    results = {"meta": {"sections": ["quality"], "command": "test", "started": "now"}, "quality": {"corpus": q}}
    rows = {r["target"]: r for r in report.targets(results)}
    assert rows["256 profiles: hybrid retrieval p95"]["met"] is not None
    assert rows["report + related: time to first token p95"]["measured"].startswith(report.NOT_MEASURED)
    assert rows["one changed file: re-ingest"]["measured"] == f"{report.NOT_MEASURED} (section ingest not run)"
    md = report.markdown({**results, "targets": list(rows.values()), "section_loadavg_max": {}})
    assert "| Metric | Ours | Default | Ours/default | Tuned | Ours/tuned |" in md


def test_targets_flag_figures_measured_under_load():
    from bench import report

    busy, quiet = {"mean_share": 0.4, "max_share": 0.9, "windows": 3}, {"mean_share": 0.0, "max_share": 0.02}
    results = {"meta": {"sections": ["ingest", "load"]}, "section_foreign_cpu": {"ingest": busy, "load": quiet},
               "ingest": {"large": {"chunks": 2000, "chunks_per_s": 41.0, "reingest_one_changed_s": 6.0}},
               "load": {"local": {"index_existed": True, "startup_s": 4.0, "first_answer_s": 3.0,
                                  "start_to_first_answer_s": 7.0, "errors": 0}}}
    rows = {r["target"]: r for r in report.targets(results)}
    assert rows["ingest throughput"]["met"] is True and rows["one changed file: re-ingest"]["met"] is False
    assert report._load_cell(rows["ingest throughput"]["load"]).startswith("⚠ under load")
    start = rows["app start to first answer, nothing changed"]
    assert start["met"] is True and start["measured"] == "7 s" and report._load_cell(start["load"]).startswith("quiet")


def test_local_comparison_smoke_with_the_real_model(tmp_path):
    from assistant.settings import Settings
    from bench import quality

    from local_support import local_engine_for

    local_engine_for(Settings.load(config_file=None, corpus_dir=tmp_path / "c", index_dir=tmp_path / "i"))
    q = quality.run(tmp_path / "q", tiny_scenario(tmp_path, cases=2), local_cases=2, retrieval_rounds=1,
                    max_tokens=48)
    loc = q["local"]
    assert loc["available"] and len(loc["cases_ids"]) == 2 and set(loc["pipelines"]) == {"ours", "default", "tuned"}
    for p in loc["pipelines"].values():
        assert p["warm_up_s"] > 0 and p["full_answer"]["n"] == 2 and p["index_s"] > 0 and p["model_ready_s"] >= 0
        assert p["abstentions"]["unanswerable"] == 1 and p["metrics"]["counts"]["cases"] == 2
    assert loc["pipelines"]["ours"]["corpus_in_prompt"]  # a corpus this small goes whole into the cached prompt
    assert [r["ours"]["verdict"] for r in loc["rows"]][1] in ("abstained (right)", "answered (should abstain)")
    assert loc["pipelines"]["tuned"]["prompt"].endswith(f"cut to {Settings.load(config_file=None).llm_excerpt_chars} chars")


def test_the_load_test_app_starts_with_the_settings_it_is_given(tmp_path):
    """The load section starts ui.py with ASSISTANT_* variables: one the settings no longer know stops it."""
    import urllib.request

    from bench.load import App

    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "notes.md").write_text(NOTES, encoding="utf-8")
    with App(tmp_path / "work", "extractive", corpus, tmp_path / "index") as app:
        with urllib.request.urlopen(app.url, timeout=10) as response:
            assert response.status == 200
        assert app.startup_s > 0 and (tmp_path / "index" / "state.json").is_file()
    assert (tmp_path / "work" / "data").is_dir()


def test_the_first_token_probe_can_ask_the_quality_bench_local_cases():
    from assistant.eval.golden import load_golden
    from assistant.settings import PROJECT_ROOT
    from bench.quality import pick_subset
    from bench.ttft import bench_questions, dev_questions

    single = [c for c in load_golden(PROJECT_ROOT / "eval" / "golden-test.jsonl") if not c.multi_turn]
    picked = pick_subset(single, 12)
    assert bench_questions(12) == [c.turns[0].question for c in picked]
    assert sum(not c.answerable for c in picked) == 3  # about one unanswerable in four, as the bench asks
    assert len(dev_questions(5)) == 5 and not set(dev_questions(5)) & {c.turns[0].question for c in single}
