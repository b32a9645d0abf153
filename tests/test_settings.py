"""Settings: precedence (default < TOML < env < override), unknown names and bad values, flat access, assistant config."""
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from assistant import settings as settings_module
from assistant.settings import FLAT, SECTIONS, Settings, SettingsError

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(autouse=True)
def clean_env(monkeypatch, tmp_path):
    """No ASSISTANT_* from the caller's environment, no assistant.toml from the checkout."""
    for var in list(os.environ):
        if var.startswith("ASSISTANT_"):
            monkeypatch.delenv(var)
    monkeypatch.setattr(settings_module, "PROJECT_ROOT", tmp_path / "no-project")


def write_toml(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


# --- precedence and sources ------------------------------------------------------------------------------------


def test_defaults_and_their_source():
    settings = Settings.load()
    assert (settings.top_k, settings.backend, settings.port, settings.uploads) == (5, "auto", 7860, False)
    assert all(settings.source(name) == "default" for name in FLAT)
    assert Settings() == settings


def test_precedence_default_toml_env_override(tmp_path, monkeypatch):
    config = write_toml(tmp_path / "a.toml", 'top_k = 3\nbackend = "local"\nport = 9000\n'
                                             '[llm]\ntemperature = 0.5\n')
    monkeypatch.setenv("ASSISTANT_BACKEND", "openai")
    monkeypatch.setenv("ASSISTANT_PORT", "9100")
    settings = Settings.load(config, port=9200, corpus_dir=None)  # None: not given
    assert (settings.top_k, settings.temperature, settings.backend, settings.port) == (3, 0.5, "openai", 9200)
    assert settings.source("top_k") == settings.source("temperature") == f"file {config}"
    assert settings.source("backend") == "env ASSISTANT_BACKEND"
    assert settings.source("port") == "flag"
    assert settings.source("corpus_dir") == "default"


def test_config_file_from_env_and_project_root(tmp_path, monkeypatch):
    config = write_toml(tmp_path / "b.toml", "[retrieval]\ntop_k = 4\n")
    monkeypatch.setenv("ASSISTANT_CONFIG", str(config))
    assert Settings.load().top_k == 4
    monkeypatch.delenv("ASSISTANT_CONFIG")
    monkeypatch.setattr(settings_module, "PROJECT_ROOT", tmp_path)
    write_toml(tmp_path / "assistant.toml", "top_k = 6\n")
    assert Settings.load().top_k == 6
    assert Settings.load().source("top_k") == f"file {tmp_path / 'assistant.toml'}"


def test_env_values_are_parsed_by_type(monkeypatch):
    for var, value in {"ASSISTANT_UPLOADS": "true", "ASSISTANT_MAX_FILE_MB": "0.5", "ASSISTANT_TOP_K": "7",
                       "ASSISTANT_CORPUS_DIR": "~/somewhere", "ASSISTANT_MODEL_CACHE": "/tmp/ignored-here"}.items():
        monkeypatch.setenv(var, value)
    settings = Settings.load()
    assert settings.uploads is True and settings.max_file_mb == 0.5 and settings.top_k == 7
    assert settings.corpus_dir == Path.home() / "somewhere"


# --- unknown names -----------------------------------------------------------------------------------------------


def test_unknown_toml_key_suggests_the_closest(tmp_path):
    config = write_toml(tmp_path / "c.toml", "top_kk = 3\n")
    with pytest.raises(SettingsError, match=r"'top_kk' in file .*c\.toml; did you mean 'top_k'\?"):
        Settings.load(config)


def test_toml_key_in_the_wrong_or_unknown_section(tmp_path):
    with pytest.raises(SettingsError, match=r"'retrieval\.backend'.*did you mean \[llm\] backend\?"):
        Settings.load(write_toml(tmp_path / "d.toml", '[retrieval]\nbackend = "local"\n'))
    with pytest.raises(SettingsError, match=r"'retreival'.*did you mean 'retrieval'\?"):
        Settings.load(write_toml(tmp_path / "e.toml", "[retreival]\ntop_k = 3\n"))
    with pytest.raises(SettingsError, match=r"'top_k' given twice"):
        Settings.load(write_toml(tmp_path / "f.toml", "top_k = 2\n[retrieval]\ntop_k = 3\n"))


def test_unknown_env_var_suggests_the_closest(monkeypatch):
    monkeypatch.setenv("ASSISTANT_TOPK", "3")
    with pytest.raises(SettingsError, match=r"ASSISTANT_TOPK; did you mean ASSISTANT_TOP_K\?"):
        Settings.load()


def test_unknown_override_and_replace_suggest_the_closest():
    with pytest.raises(SettingsError, match=r"'bakend'.*did you mean 'backend'\?"):
        Settings.load(bakend="local")
    with pytest.raises(SettingsError, match=r"'min_relevence'.*did you mean 'min_relevance'\?"):
        Settings().replace(min_relevence=0.3)


def test_bad_config_file(tmp_path):
    with pytest.raises(SettingsError, match="not found"):
        Settings.load(tmp_path / "missing.toml")
    with pytest.raises(SettingsError, match="not valid TOML"):
        Settings.load(write_toml(tmp_path / "g.toml", "top_k = = 3\n"))


# --- bad values --------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("changes, expected", [
    ({"top_k": 50}, r"top_k = 50 from flag: expected a whole number from 1 to 20"),
    ({"top_k": "five"}, r"top_k = 'five' from flag: expected a whole number from 1 to 20"),
    ({"port": 0}, r"port = 0 from flag: expected a whole number from 1 to 65535"),
    ({"backend": "gpt4"}, r"backend = 'gpt4' from flag: expected one of auto, local, openai, extractive"),
    ({"uploads": "maybe"}, r"uploads = 'maybe' from flag: expected true or false"),
    ({"max_file_mb": 0}, r"max_file_mb = 0 from flag: expected a number above 0"),
    ({"chroma_url": "localhost:8001"}, r"chroma_url = 'localhost:8001' from flag: expected empty or an http"),
])
def test_bad_values_name_setting_value_and_expectation(changes, expected):
    with pytest.raises(SettingsError, match=expected) as caught:
        Settings.load(**changes)
    assert "pydantic" not in str(caught.value) and "Traceback" not in str(caught.value)


def test_bad_value_names_its_source(tmp_path, monkeypatch):
    monkeypatch.setenv("ASSISTANT_TOP_K", "0")
    with pytest.raises(SettingsError, match=r"top_k = '0' from env ASSISTANT_TOP_K"):
        Settings.load()
    monkeypatch.delenv("ASSISTANT_TOP_K")
    config = write_toml(tmp_path / "h.toml", "[server]\nport = 70000\n")
    with pytest.raises(SettingsError, match=rf"port = 70000 from file {config}"):
        Settings.load(config)


def test_settings_error_is_a_value_error():
    assert issubclass(SettingsError, ValueError)


# --- compatibility -----------------------------------------------------------------------------------------------


def test_flat_and_nested_access_agree():
    settings = Settings.load(top_k=3, backend="extractive")
    for name, section in FLAT.items():
        assert getattr(settings, name) == getattr(getattr(settings, section), name)
    assert settings.retrieval.top_k == settings.top_k == 3
    assert isinstance(settings.corpus_dir, Path) and isinstance(settings.model_path, str)
    assert {name for model in SECTIONS.values() for name in model.model_fields} == set(FLAT)
    with pytest.raises(AttributeError):
        settings.no_such_setting  # noqa: B018


def test_replace_with_flat_names_keeps_the_rest():
    base = Settings.load(corpus_dir="/tmp/corpus-x", backend="extractive")
    changed = base.replace(top_k=3, backend="local", model_path=Path("/tmp/m.gguf"), llm_corpus_chars=0)
    assert (changed.top_k, changed.backend, changed.model_path, changed.llm_corpus_chars) == (
        3, "local", "/tmp/m.gguf", 0)
    assert changed.corpus_dir == Path("/tmp/corpus-x") and base.top_k == 5 and base.backend == "extractive"
    assert changed.source("top_k") == "replace()" and changed.source("corpus_dir") == "flag"
    assert base.replace(retrieval={"top_k": 2}).top_k == 2
    assert base.replace() == base


def test_every_field_is_described():
    for model in SECTIONS.values():
        for name, field in model.model_fields.items():
            assert field.description, name


# --- assistant config ----------------------------------------------------------------------------------------------


def run_config(tmp_path, *args, **env):
    clean = {k: v for k, v in os.environ.items() if not k.startswith("ASSISTANT_")}
    clean.update(PYTHONPATH=str(ROOT), **env)
    return subprocess.run([sys.executable, "-m", "assistant.cli", "config", *args], cwd=tmp_path, env=clean,
                          capture_output=True, text=True, timeout=120)


def test_assistant_config_reports_each_source(tmp_path):
    config = write_toml(tmp_path / "i.toml", "top_k = 3\n[llm]\ntemperature = 0.5\n")
    done = run_config(tmp_path, "--config", str(config), "--backend", "extractive",
                      ASSISTANT_PORT="9100", ASSISTANT_AUTH="alice:secret")
    assert done.returncode == 0, done.stderr
    out = done.stdout
    assert out.index("[corpus]") < out.index("[retrieval]") < out.index("[llm]") < out.index("[server]")
    lines = {line.split(" = ")[0]: line for line in out.splitlines() if " = " in line}
    assert lines["top_k"].startswith("top_k = 3") and lines["top_k"].endswith(f"# file {config}")
    assert lines["temperature"].endswith(f"# file {config}")
    assert lines["port"].startswith("port = 9100") and lines["port"].endswith("# env ASSISTANT_PORT")
    assert lines["backend"].startswith('backend = "extractive"') and lines["backend"].endswith("# flag")
    assert lines["candidates"].endswith("# default")
    assert "secret" not in out and '"alice:***"' in lines["auth"]


def test_assistant_config_json(tmp_path):
    config = write_toml(tmp_path / "j.toml", "[retrieval]\ntop_k = 4\n")
    done = run_config(tmp_path, "--json", "--corpus", str(tmp_path / "docs"), ASSISTANT_CONFIG=str(config),
                      ASSISTANT_BACKEND="extractive")
    assert done.returncode == 0, done.stderr
    report = json.loads(done.stdout)
    assert report["config_file"] == str(config)
    assert set(report["settings"]) == set(SECTIONS)
    retrieval, llm, corpus = (report["settings"][s] for s in ("retrieval", "llm", "corpus"))
    assert retrieval["top_k"] == {"value": 4, "source": f"file {config}",
                                  "description": retrieval["top_k"]["description"]}
    assert llm["backend"]["value"] == "extractive" and llm["backend"]["source"] == "env ASSISTANT_BACKEND"
    assert corpus["corpus_dir"] == {**corpus["corpus_dir"], "value": str(tmp_path / "docs"), "source": "flag"}
    assert retrieval["candidates"]["source"] == "default"


def test_assistant_config_rejects_unknown_env_cleanly(tmp_path):
    done = run_config(tmp_path, ASSISTANT_TOPK="3")
    assert done.returncode == 2
    assert "error: unknown setting in the environment: ASSISTANT_TOPK; did you mean ASSISTANT_TOP_K?" in done.stderr
    assert "Traceback" not in done.stderr


def test_the_app_refuses_a_bad_setting_cleanly(tmp_path):
    env = {k: v for k, v in os.environ.items() if not k.startswith("ASSISTANT_")}
    done = subprocess.run([sys.executable, "ui.py"], cwd=ROOT, env={**env, "ASSISTANT_TOP_K": "99"},
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 2, done.stderr[-2000:]
    assert "error: bad setting top_k" in done.stderr and "Traceback" not in done.stderr
