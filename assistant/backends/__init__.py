"""Answer generators. LLM backends stream text from chat messages; `extractive` needs no model."""
from __future__ import annotations

from .base import Backend, BackendError, PreparesPrefix

LLM = Backend  # the former name

__all__ = ["Backend", "BackendError", "LLM", "PreparesPrefix", "complete", "create_llm"]


def complete(llm: LLM, messages: list[dict], max_tokens: int) -> str:
    return "".join(llm.stream(messages, max_tokens))


def create_llm(settings, log=print) -> tuple[Backend | None, list[str]]:
    """The configured LLM, or None for extractive; notices explain any fallback."""
    choice = settings.backend
    if choice == "extractive":
        return None, []
    if choice == "openai":
        from .openai import OpenAICompatible

        return OpenAICompatible(settings), []
    from .local import LocalLlama, resolve_model_path

    try:
        path = resolve_model_path(settings, log=log)
    except FileNotFoundError as exc:
        if choice == "auto":
            return None, []
        return None, [f"Local model unavailable ({exc}); using the extractive backend instead."]
    try:
        return LocalLlama(settings, path), []
    except Exception as exc:  # a model that fails to load must not take the app down
        return None, [f"Local model failed to load ({type(exc).__name__}: {exc}); "
                      "using the extractive backend instead."]
