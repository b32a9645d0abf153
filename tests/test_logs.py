"""Logging: plain INFO lines on stderr by default, DEBUG lines (time, level, module) with --verbose."""
import json
import logging
import re
import subprocess
import sys

import pytest

from assistant import logs
from assistant.cli import build_parser
from assistant.eval.cli import _feedback_parser, _report_parser, _run_parser

PLOTS_Q = "How many ISKP plots has foreign law enforcement interdicted since 2015?"
DEBUG_LINE = re.compile(r"^\d\d:\d\d:\d\d\.\d{3} DEBUG assistant\.[\w.]+: ", re.M)


def ask(settings, index_dir, *flags):
    env = {"ASSISTANT_CORPUS_DIR": str(settings.corpus_dir), "ASSISTANT_INDEX_DIR": str(index_dir),
           "ASSISTANT_BACKEND": "extractive", "PATH": "/usr/bin:/bin"}
    done = subprocess.run([sys.executable, "-m", "assistant.cli", *flags, "ask", "--json", PLOTS_Q],
                          capture_output=True, text=True, env=env, timeout=300)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout), done.stderr


def test_a_cli_run_shows_plain_progress_by_default_and_debug_lines_with_verbose(shared_settings, tmp_path):
    quiet, said = ask(shared_settings, tmp_path / "index")
    assert "No index yet: building it from the corpus...\n" in said  # the message alone, as the user always saw it
    assert not DEBUG_LINE.search(said) and "DEBUG" not in said, said
    verbose, told = ask(shared_settings, tmp_path / "index", "--verbose")
    debug = DEBUG_LINE.findall(told)
    assert any("assistant.index_manager" in line for line in debug), told
    assert re.search(r"DEBUG assistant\.engine: retrieved \d+ passages for .*; best similarity 0\.\d\d", told), told
    assert re.search(r"DEBUG assistant\.backend_selector: backend extractive \(none \(extractive\)\)", told), told
    assert "No index yet" not in told  # built by the first run
    assert verbose["answer"] == quiet["answer"] and "sixteen" in verbose["answer"]  # stdout stays pure JSON


@pytest.mark.parametrize("argv", [["-v", "ask", "q"], ["ask", "q", "-v"], ["--verbose", "ingest"], ["chat", "-v"],
                                  ["serve", "-v"], ["sources", "list", "-v"], ["config", "--verbose"]])
def test_every_subcommand_takes_verbose_before_or_after_it(argv):
    assert build_parser().parse_args(argv).verbose is True
    assert build_parser().parse_args([a for a in argv if a not in ("-v", "--verbose")]).verbose is False


def test_eval_subcommands_take_verbose():
    assert _run_parser().parse_args(["golden.jsonl", "-v"]).verbose
    assert _report_parser().parse_args(["results.json", "--verbose"]).verbose
    assert _feedback_parser().parse_args(["feedback.jsonl", "-v"]).verbose
    assert not _run_parser().parse_args(["golden.jsonl"]).verbose


def test_ui_py_takes_verbose():
    done = subprocess.run([sys.executable, "ui.py", "--help"], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0 and "--verbose" in done.stdout, done.stderr


@pytest.fixture
def restored():
    """The `assistant` logger as it was before the test."""
    logger = logging.getLogger(logs.ROOT)
    handlers, level = list(logger.handlers), logger.level
    yield logger
    logger.handlers[:] = handlers
    logger.setLevel(level)


def test_configure_writes_to_the_current_stderr_and_replaces_itself(restored, capsys):
    logs.configure()
    logs.configure()  # again: still one line a message
    logging.getLogger("assistant.engine").info("Joining 22 model parts...")
    logging.getLogger("assistant.engine").debug("hidden")
    assert capsys.readouterr().err == "Joining 22 model parts...\n"
    logs.configure(verbose=True)
    logging.getLogger("assistant.engine").debug("retrieved 5 passages")
    err = capsys.readouterr().err
    assert DEBUG_LINE.match(err) and err.endswith("DEBUG assistant.engine: retrieved 5 passages\n"), err
    assert err.count("\n") == 1


def test_verbose_before_eval_reaches_the_eval_command(restored, tmp_path, capsys):
    from assistant.cli import main

    assert main(["-v", "eval", "report", str(tmp_path / "missing.json"), "--out", str(tmp_path / "out")]) == 2
    assert restored.level == logging.DEBUG and "error:" in capsys.readouterr().err
    assert main(["eval", "report", str(tmp_path / "missing.json"), "--out", str(tmp_path / "out")]) == 2
    assert restored.level == logging.INFO
