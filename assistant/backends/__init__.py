"""Answer generators. LLM backends stream text from chat messages; `extractive` needs no model."""
from __future__ import annotations

from .base import Backend, BackendError, CountsTokens, DraftsFromPassages, PreparesPrefix, StreamsChat
from .extractive import ExtractiveBackend

__all__ = ["Backend", "BackendError", "CountsTokens", "DraftsFromPassages", "ExtractiveBackend", "PreparesPrefix",
           "StreamsChat", "create_backend"]


def create_backend(settings) -> tuple[Backend, list[str]]:
    """The configured backend; notices explain a fallback to extractive."""
    choice = settings.backend
    if choice == "extractive":
        return ExtractiveBackend(), []
    if choice == "openai":
        from .openai import OpenAICompatible

        return OpenAICompatible(settings), []
    from .local import LocalLlama, resolve_model_path

    try:
        path = resolve_model_path(settings)
    except FileNotFoundError as exc:
        if choice == "auto":
            return ExtractiveBackend(), []
        return ExtractiveBackend(), [f"Local model unavailable ({exc}); using the extractive backend instead."]
    try:
        return LocalLlama(settings, path), []
    except Exception as exc:  # a model that fails to load must not take the app down
        return ExtractiveBackend(), [f"Local model failed to load ({type(exc).__name__}: {exc}); "
                                     "using the extractive backend instead."]
