"""All settings in one place: defaults, overridden by a TOML file, then by ASSISTANT_* env vars."""
from __future__ import annotations

import dataclasses
import os
import tomllib
from dataclasses import dataclass, fields
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent
BACKENDS = ("auto", "local", "openai", "extractive")


@dataclass
class Settings:
    corpus_dir: Path = PROJECT_ROOT / "corpus"
    index_dir: Path = PROJECT_ROOT / "index"
    prompts_dir: Path = PROJECT_ROOT / "prompts"
    feedback_path: Path = PROJECT_ROOT / "feedback" / "feedback.jsonl"

    # "auto": local model when installed, else extractive.
    backend: str = "auto"
    model_path: str = ""  # GGUF; empty: the packaged Qwen2.5-Coder-1.5B-Instruct
    n_ctx: int = 4096
    n_threads: int = 0  # 0: all cores
    max_tokens: int = 320
    # Context sent to an LLM, in characters (~4 per token): bounds time to first token on CPU.
    llm_context_chars: int = 2600
    llm_corpus_chars: int = 9000  # a corpus this small goes whole into the (cached) LLM prompt; 0: never
    temperature: float = 0.0

    openai_base_url: str = "http://127.0.0.1:8000/v1"
    openai_model: str = "default"
    openai_api_key: str = "not-needed"
    openai_timeout_s: float = 60.0

    chroma_url: str = ""  # e.g. http://127.0.0.1:8001 to use a Chroma server

    chunk_max_tokens: int = 180
    top_k: int = 5
    candidates: int = 20
    rrf_k: int = 60
    # Below this cosine similarity of the best dense hit the question is out of scope.
    min_relevance: float = 0.20
    max_question_chars: int = 2000
    max_file_mb: float = 50.0
    history_turns: int = 6

    host: str = "127.0.0.1"
    port: int = 7860
    auth: str = ""  # "user:password[,user2:password2]"
    concurrency_limit: int = 1
    uploads: bool = False  # the app's Documents view may add and remove documents
    editors: str = ""  # with login on, only these users ("a,b") may upload or remove documents

    @classmethod
    def load(cls, config_file: str | Path | None = None, **overrides) -> "Settings":
        settings = cls()
        config_file = config_file or os.environ.get("ASSISTANT_CONFIG")
        if config_file is None and (PROJECT_ROOT / "assistant.toml").exists():
            config_file = PROJECT_ROOT / "assistant.toml"
        if config_file:
            with open(config_file, "rb") as handle:
                settings = settings.replace(**tomllib.load(handle))
        env = {
            f.name: os.environ[f"ASSISTANT_{f.name.upper()}"]
            for f in fields(cls)
            if f"ASSISTANT_{f.name.upper()}" in os.environ
        }
        return settings.replace(**env).replace(**{k: v for k, v in overrides.items() if v is not None})

    def replace(self, **changes) -> "Settings":
        known = {f.name: f for f in fields(self)}
        unknown = set(changes) - set(known)
        if unknown:
            raise ValueError(f"unknown setting(s): {', '.join(sorted(unknown))}")
        typed = {}
        for name, value in changes.items():
            default = getattr(self, name)
            typed[name] = _coerce(name, value, type(default))
        new = dataclasses.replace(self, **typed)
        if new.backend not in BACKENDS:
            raise ValueError(f"backend must be one of {', '.join(BACKENDS)}, not {new.backend!r}")
        return new


def _coerce(name: str, value, kind):
    if isinstance(value, kind):
        return value
    try:
        if kind is bool:
            return str(value).strip().lower() in ("1", "true", "yes", "on")
        if issubclass(kind, Path):
            return Path(value).expanduser()
        return kind(value)
    except (TypeError, ValueError) as exc:
        raise ValueError(f"setting {name}: cannot read {value!r} as {kind.__name__}") from exc
