"""All settings in one place, grouped by concern (corpus, retrieval, llm, chat, server).

Sources, lowest first: defaults < a TOML file (ASSISTANT_CONFIG, else assistant.toml in the project root)
< ASSISTANT_<NAME> environment variables < explicit overrides (command-line flags, keyword arguments).

Every setting has one flat name, unique across sections, used everywhere: `settings.top_k`,
`settings.replace(top_k=3)`, `Settings.load(top_k=3)`, `ASSISTANT_TOP_K=3`, and in the TOML file either
`top_k = 3` at the top level or `top_k = 3` under `[retrieval]`. Unknown names and bad values raise
SettingsError (a ValueError) naming the setting, where it came from and what is expected.
`assistant config` shows the effective settings and the source of each.
"""
from __future__ import annotations

import difflib
import os
import tomllib
from collections.abc import Mapping
from pathlib import Path, PurePath
from typing import Any, Literal, get_args, get_origin

from pydantic import BaseModel, ConfigDict, Field, PrivateAttr, ValidationError, field_validator, model_validator

from .api import keys as access_keys
from .validation import TOP_K_MAX, TOP_K_MIN

PROJECT_ROOT = Path(__file__).resolve().parent.parent
BACKENDS = ("auto", "local", "openai", "extractive")
ENV_PREFIX = "ASSISTANT_"
# ASSISTANT_* variables read elsewhere, not settings: not rejected as unknown.
OTHER_ENV = frozenset({"ASSISTANT_CONFIG", "ASSISTANT_MODEL_CACHE"})
DEFAULT = "default"
OVERRIDE = "flag"


class SettingsError(ValueError):
    """An unknown setting, a bad value or an unreadable settings file; the message says which and why."""


class _Section(BaseModel):
    model_config = ConfigDict(extra="forbid", validate_assignment=True)

    @field_validator("*", mode="before")
    @classmethod
    def _paths_and_strings(cls, value: Any, info) -> Any:
        annotation = cls.model_fields[info.field_name].annotation
        if annotation is Path and isinstance(value, (str, PurePath)):
            return Path(value).expanduser()
        if annotation is str and isinstance(value, PurePath):
            return str(value)
        return value


class CorpusSettings(_Section):
    """Where documents, the index and prompts live; how documents are read and chunked."""

    corpus_dir: Path = Field(PROJECT_ROOT / "corpus", description="folder of documents to answer from")
    index_dir: Path = Field(PROJECT_ROOT / "index", description="folder of the built index")
    prompts_dir: Path = Field(PROJECT_ROOT / "prompts", description="folder of the LLM prompt templates")
    chunk_max_tokens: int = Field(180, ge=16, le=512, description="largest chunk, in embedder word pieces")
    max_file_mb: float = Field(50.0, gt=0, description="larger corpus files and uploads are skipped or refused (MB)")
    chroma_url: str = Field("", description="a Chroma server, e.g. http://127.0.0.1:8001; empty: embedded store")

    @field_validator("chroma_url")
    @classmethod
    def _http_url(cls, value: str) -> str:
        if value and not value.startswith(("http://", "https://")):
            raise ValueError("expected empty or an http:// or https:// URL")
        return value


class RetrievalSettings(_Section):
    """How passages are found and ranked."""

    top_k: int = Field(5, ge=TOP_K_MIN, le=TOP_K_MAX, description="passages the answer is built from")
    candidates: int = Field(20, ge=1, le=1000, description="dense and BM25 hits each, before rank fusion")
    rrf_k: int = Field(60, ge=1, description="the k of reciprocal rank fusion, 1/(k + rank)")
    min_relevance: float = Field(0.20, ge=-1.0, le=1.0,
                                 description="below this cosine similarity of the best dense hit: out of scope")
    sentence_vectors_max: int = Field(100_000, ge=0, description="a corpus with at most this many sentences has "
                                      "them all embedded in the background after start and saved beside the index, "
                                      "so choosing an answer's sentences is a lookup; 0: never")


class LLMSettings(_Section):
    """Which backend answers and how the model runs."""

    backend: Literal["auto", "local", "openai", "extractive"] = Field(
        "auto", description="auto: local when the model is installed, else extractive")
    model_path: str = Field("", description="GGUF for the local backend; empty: the packaged Qwen2.5-Coder-1.5B")
    n_ctx: int = Field(4096, ge=256, le=131072, description="context window of the model, in tokens")
    n_threads: int = Field(0, ge=0, le=1024, description="CPU threads for the local model; 0: all cores")
    flash_attn: bool = Field(True, description="llama.cpp's flash attention for the local model (reads prompts "
                             "~7% faster on 2 cores)")
    max_tokens: int = Field(320, ge=1, le=32768, description="longest generated answer, in tokens")
    llm_context_chars: int = Field(2600, ge=0,
                                   description="retrieved context sent to an LLM, in characters (~4 per token)")
    llm_excerpt_chars: int = Field(650, ge=0, description="an LLM reads the retrieved passages' best sentences and "
                                   "their neighbours up to this many characters; 0: the passages whole")
    llm_excerpt_tokens: int = Field(150, ge=0, description="with a model whose tokens are known (local), the "
                                    "excerpt budget in its tokens instead of llm_excerpt_chars (names and numbers "
                                    "cost more tokens per character); 0: characters")
    llm_excerpt_tokens_translated: int = Field(60, ge=0, description="the excerpt budget in the model's tokens "
                                               "when the model first put the question in English (that call's time "
                                               "is taken from the reading time); 0: the same as llm_excerpt_tokens")
    extractive_fallback: bool = Field(True, description="when an LLM declines or its claims fail their checks, "
                                      "answer with the sources' sentences that state what was asked (if any)")
    llm_weaker_ratio: float = Field(0.85, ge=0.0, le=1.0, description="a model's answer whose cited sentences score "
                                    "below this share of the sources' best sentence for the question (the extractive "
                                    "score) gives way to the sources' answer; 0: never (chosen on dev)")
    llm_corpus_chars: int = Field(9000, ge=0,
                                  description="a corpus this small goes whole into the cached prompt; 0: never")
    prompt_cache_dir: str = Field("", description="where the local model's fixed prompts are saved as KV states; "
                                  "empty: prompt-states/ in the model cache folder")
    temperature: float = Field(0.0, ge=0.0, le=2.0, description="sampling temperature; 0: deterministic")
    openai_base_url: str = Field("http://127.0.0.1:8000/v1", description="OpenAI-compatible server (openai backend)")
    openai_model: str = Field("default", description="model name sent to the OpenAI-compatible server")
    openai_api_key: str = Field("not-needed", description="API key for the OpenAI-compatible server")
    openai_timeout_s: float = Field(60.0, gt=0, description="seconds an OpenAI-compatible server may stay silent "
                                    "(connecting, reading the prompt, between tokens) before the call gives up")


class ChatSettings(_Section):
    """Limits on questions and conversations."""

    max_question_chars: int = Field(2000, ge=1, description="longest question accepted, in characters")
    history_turns: int = Field(6, ge=0, description="earlier turns kept to understand a follow-up question")
    condense_by_llm: bool = Field(False, description="an LLM backend rewrites a follow-up the rules cannot make "
                                  "standalone (one more model call before the answer); off: the earlier question's "
                                  "words are added as context, as for the extractive backend (on the dev follow-ups "
                                  "with the local model: 32/53 against 28/53, and faster)")


class ServerSettings(_Section):
    """The web app and the HTTP API."""

    host: str = Field("127.0.0.1", description="address the web app listens on")
    port: int = Field(7860, ge=1, le=65535, description="port the web app listens on")
    auth: str = Field("", description="'user:password[,user2:password2]' to require login; empty: no login")
    concurrency_limit: int = Field(1, ge=1, le=256, description="answers generated at the same time")
    uploads: bool = Field(False, description="the Documents view may add and remove documents")
    editors: str = Field("", description="with login on, only these users ('a,b') may upload or remove")
    admins: str = Field("", description="with login on, these users ('a,b') may also change server-wide settings "
                                        "(backend, uploads); everyone else is a reader or an editor")
    api_keys: str = Field("", description="HTTP API keys, 'key:role[,key2:role2]' (roles: reader, editor, admin; "
                                          f"keys of {access_keys.MIN_KEY_CHARS}+ characters); empty: the API is open "
                                          "only when bound to localhost")
    api_max_request_kb: int = Field(1024, ge=1, le=1048576,
                                    description="largest HTTP API request body, in KB (uploads: max_file_mb)")

    @field_validator("api_keys")
    @classmethod
    def _api_keys(cls, value: str) -> str:
        access_keys.parse(value)
        return value


class StorageSettings(_Section):
    """Where saved conversations, feedback and run-time settings are kept."""

    data_dir: Path = Field(PROJECT_ROOT / "data", description="folder of the default SQLite database")
    database_url: str = Field("", description="SQLAlchemy URL, e.g. postgresql+psycopg://user@host/db; "
                                              "empty: SQLite at data_dir/assistant.db")

    @field_validator("database_url")
    @classmethod
    def _sqlalchemy_url(cls, value: str) -> str:
        if value:
            from sqlalchemy.engine import make_url
            from sqlalchemy.exc import ArgumentError
            try:
                make_url(value)
            except ArgumentError as exc:
                raise ValueError("expected an SQLAlchemy URL such as sqlite:////path/assistant.db or "
                                 "postgresql+psycopg://user:password@host:5432/db") from exc
        return value


SECTIONS: dict[str, type[_Section]] = {
    "corpus": CorpusSettings, "retrieval": RetrievalSettings, "llm": LLMSettings,
    "chat": ChatSettings, "server": ServerSettings, "storage": StorageSettings,
}
# flat name -> section name
FLAT: dict[str, str] = {name: section for section, model in SECTIONS.items() for name in model.model_fields}
assert len(FLAT) == sum(len(m.model_fields) for m in SECTIONS.values()), "flat setting names must be unique"


class Settings(BaseModel):
    """The effective settings; read them flat (`settings.top_k`) or by section (`settings.retrieval.top_k`)."""

    model_config = ConfigDict(extra="forbid")

    corpus: CorpusSettings = Field(default_factory=CorpusSettings, description=CorpusSettings.__doc__)
    retrieval: RetrievalSettings = Field(default_factory=RetrievalSettings, description=RetrievalSettings.__doc__)
    llm: LLMSettings = Field(default_factory=LLMSettings, description=LLMSettings.__doc__)
    chat: ChatSettings = Field(default_factory=ChatSettings, description=ChatSettings.__doc__)
    server: ServerSettings = Field(default_factory=ServerSettings, description=ServerSettings.__doc__)
    storage: StorageSettings = Field(default_factory=StorageSettings, description=StorageSettings.__doc__)

    _sources: dict[str, str] = PrivateAttr(default_factory=dict)  # flat name -> where its value came from
    _config_file: Path | None = PrivateAttr(default=None)

    @model_validator(mode="before")
    @classmethod
    def _nest_flat_names(cls, data: Any) -> Any:
        """Settings(top_k=3) works like Settings(retrieval={"top_k": 3})."""
        if not isinstance(data, Mapping) or not any(key in FLAT for key in data):
            return data
        nested: dict[str, Any] = {}
        for key, value in data.items():
            if key in FLAT:
                section = nested.setdefault(FLAT[key], {})
                if isinstance(section, dict):
                    section[key] = value
            else:
                nested[key] = value
        return nested

    def __getattr__(self, name: str) -> Any:
        section = FLAT.get(name)
        if section is not None:
            return getattr(self.__dict__[section], name)
        return super().__getattr__(name)  # type: ignore[misc]

    def __eq__(self, other: object) -> bool:  # values only, not where they came from
        if not isinstance(other, Settings):
            return NotImplemented
        return all(getattr(self, section) == getattr(other, section) for section in SECTIONS)

    __hash__ = None  # type: ignore[assignment]

    def __dir__(self):
        return [*super().__dir__(), *FLAT]

    # --- loading -----------------------------------------------------------------------------------------------

    @classmethod
    def load(cls, config_file: str | Path | None = None, **overrides: Any) -> Settings:
        """Defaults < TOML file < ASSISTANT_* env vars < overrides (None values ignored)."""
        values: dict[str, Any] = {}
        sources: dict[str, str] = {}
        config_file = config_file or os.environ.get("ASSISTANT_CONFIG")
        if not config_file and (PROJECT_ROOT / "assistant.toml").exists():
            config_file = PROJECT_ROOT / "assistant.toml"
        path = Path(config_file).expanduser() if config_file else None
        if path is not None:
            origin = f"file {path}"
            for name, value in _flatten(_read_toml(path), origin).items():
                values[name], sources[name] = value, origin
        for name, value in _from_env(os.environ).items():
            values[name], sources[name] = value, f"env {ENV_PREFIX}{name.upper()}"
        given = {k: v for k, v in overrides.items() if v is not None}
        for name, value in _flatten(given, "the overrides (flags or keyword arguments)").items():
            values[name], sources[name] = value, OVERRIDE
        settings = _build(values, sources)
        settings._config_file = path
        return settings

    def replace(self, **changes: Any) -> Settings:
        """A copy with these settings changed (flat names, or a section name with a dict)."""
        flat = _flatten(changes, "replace()")
        values = {name: getattr(self, name) for name in FLAT}
        values.update(flat)
        sources = {**self._sources, **{name: "replace()" for name in flat}}
        new = _build(values, sources)
        new._config_file = self._config_file
        return new

    # --- reporting ---------------------------------------------------------------------------------------------

    def source(self, name: str) -> str:
        """Where this setting's value came from: default, file PATH, env ASSISTANT_X, flag or replace()."""
        if name not in FLAT:
            raise SettingsError(_unknown(name, "setting"))
        return self._sources.get(name, DEFAULT)

    def explain(self) -> dict[str, Any]:
        """The effective settings by section, each with its value (secrets masked), source and description."""
        report: dict[str, Any] = {"config_file": str(self._config_file) if self._config_file else None,
                                  "settings": {}}
        for section, model in SECTIONS.items():
            rows = report["settings"][section] = {}
            for name, field in model.model_fields.items():
                value = getattr(self, name)
                rows[name] = {"value": _masked(name, str(value) if isinstance(value, Path) else value),
                              "source": self.source(name), "description": field.description}
        return report

    def explain_text(self) -> str:
        """explain() as TOML-like text: one [section] each, `name = value  # source`."""
        report = self.explain()
        lines = [f"# config file: {report['config_file'] or 'none'}",
                 "# precedence: default < file < env ASSISTANT_<NAME> < flag"]
        for section, rows in report["settings"].items():
            lines.append(f"\n[{section}]")
            shown = {name: _toml_value(row["value"]) for name, row in rows.items()}
            width = max(len(f"{name} = {text}") for name, text in shown.items())
            for name, row in rows.items():
                lines.append(f"{name} = {shown[name]}".ljust(width) + f"  # {row['source']}")
        return "\n".join(lines)


# --- helpers ---------------------------------------------------------------------------------------------------


def _suggest(key: str, candidates) -> str:
    close = difflib.get_close_matches(key.lower(), list(candidates), n=1, cutoff=0.6)
    return close[0] if close else ""


def _unknown(key: str, origin: str, *, section: str | None = None) -> str:
    shown = f"{section}.{key}" if section else key
    if section and key in FLAT:
        hint = f"; did you mean [{FLAT[key]}] {key}?"
    else:
        match = _suggest(key, SECTIONS[section].model_fields if section else [*FLAT, *SECTIONS])
        if not match and section:
            match = _suggest(key, FLAT)
        hint = f"; did you mean {match!r}?" if match else ""
    return (f"unknown setting {shown!r} in {origin}{hint} "
            "(`assistant config` lists them all)")


def _flatten(data: Mapping[str, Any], origin: str) -> dict[str, Any]:
    """Flat names from flat keys and/or {section: {name: value}}; unknown keys rejected with a suggestion."""
    flat: dict[str, Any] = {}

    def put(name: str, value: Any) -> None:
        if name in flat:
            raise SettingsError(f"setting {name!r} given twice in {origin} (flat and in [{FLAT[name]}])")
        flat[name] = value

    for key, value in data.items():
        if key in SECTIONS:
            if isinstance(value, BaseModel):
                value = {name: getattr(value, name) for name in type(value).model_fields}
            if not isinstance(value, Mapping):
                raise SettingsError(f"setting {key!r} in {origin} is a section: expected a table of settings, "
                                    f"got {value!r}")
            for name, inner in value.items():
                if name not in SECTIONS[key].model_fields:
                    raise SettingsError(_unknown(name, origin, section=key))
                put(name, inner)
        elif key in FLAT:
            put(key, value)
        else:
            raise SettingsError(_unknown(key, origin))
    return flat


def _from_env(environ: Mapping[str, str]) -> dict[str, str]:
    found: dict[str, str] = {}
    for var, value in environ.items():
        if not var.startswith(ENV_PREFIX) or var in OTHER_ENV:
            continue
        name = var[len(ENV_PREFIX):].lower()
        if name not in FLAT:
            match = _suggest(name, FLAT)
            hint = f"; did you mean {ENV_PREFIX}{match.upper()}?" if match else ""
            raise SettingsError(f"unknown setting in the environment: {var}{hint} "
                                "(`assistant config` lists them all)")
        found[name] = value
    return found


def _read_toml(path: Path) -> dict[str, Any]:
    try:
        with open(path, "rb") as handle:
            return tomllib.load(handle)
    except FileNotFoundError:
        raise SettingsError(f"settings file {path} not found") from None
    except tomllib.TOMLDecodeError as exc:
        raise SettingsError(f"settings file {path} is not valid TOML: {exc}") from None
    except OSError as exc:
        raise SettingsError(f"settings file {path} cannot be read: {exc}") from None


def _build(values: dict[str, Any], sources: dict[str, str]) -> Settings:
    nested: dict[str, dict[str, Any]] = {section: {} for section in SECTIONS}
    for name, value in values.items():
        nested[FLAT[name]][name] = value
    try:
        settings = Settings.model_validate(nested)
    except ValidationError as exc:
        raise SettingsError(_explain_errors(exc, values, sources)) from None
    settings._sources = dict(sources)
    return settings


def _explain_errors(exc: ValidationError, values: dict[str, Any], sources: dict[str, str]) -> str:
    problems = []
    for error in exc.errors(include_url=False):
        name = str(error["loc"][-1]) if error["loc"] else "?"
        field = SECTIONS[FLAT[name]].model_fields[name] if name in FLAT else None
        value = _masked(name, values.get(name, error.get("input")))
        message = error["msg"].removeprefix("Value error, ")
        if field is not None and error["type"] != "value_error":
            message = f"expected {_expected(field)} ({message[:1].lower()}{message[1:]})"
        problems.append(f"bad setting {name} = {value!r} from {sources.get(name, DEFAULT)}: {message}")
    return "\n".join(problems)


def _expected(field) -> str:
    kind = field.annotation
    names = {int: "a whole number", float: "a number", bool: "true or false", str: "text", Path: "a path"}
    if get_origin(kind) is Literal:
        return "one of " + ", ".join(map(str, get_args(kind)))
    text = names.get(kind, getattr(kind, "__name__", str(kind)))
    low = high = None
    for item in field.metadata:
        low = getattr(item, "ge", None) if getattr(item, "ge", None) is not None else low
        low = getattr(item, "gt", None) if getattr(item, "gt", None) is not None else low
        high = getattr(item, "le", None) if getattr(item, "le", None) is not None else high
    if low is not None and high is not None:
        return f"{text} from {low:g} to {high:g}"
    if low is not None:
        above = "above" if any(getattr(item, "gt", None) is not None for item in field.metadata) else "at least"
        return f"{text} {above} {low:g}"
    if high is not None:
        return f"{text} at most {high:g}"
    return text


def _masked(name: str, value: Any) -> Any:
    if name == "openai_api_key" and value and value != LLMSettings.model_fields[name].default:
        return "***"
    if name == "auth" and value:
        return ",".join(f"{pair.split(':', 1)[0]}:***" for pair in str(value).split(","))
    if name == "api_keys" and value:
        return access_keys.masked(str(value))
    return value


def _toml_value(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return repr(value)
    text = str(value).replace("\\", "\\\\").replace('"', '\\"')
    return f'"{text}"'
