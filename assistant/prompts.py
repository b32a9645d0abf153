"""Prompt templates, read from prompts/*.txt ($name placeholders; $not_in_sources is always supplied)."""
from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from string import Template

# What the model replies when the passages do not hold the answer; the engine reads it as an abstention.
NOT_IN_SOURCES = "NOT_IN_SOURCES"


@lru_cache(maxsize=32)
def _template(prompts_dir: str, name: str) -> Template:
    path = Path(prompts_dir) / f"{name}.txt"
    try:
        return Template(path.read_text(encoding="utf-8").strip())
    except FileNotFoundError as exc:
        raise FileNotFoundError(f"prompt template missing: {path}") from exc


def render(prompts_dir: Path, name: str, **values) -> str:
    return _template(str(prompts_dir), name).safe_substitute({"not_in_sources": NOT_IN_SOURCES, **values})
