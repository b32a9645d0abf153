"""Any OpenAI-compatible chat server (vLLM, Ollama, llama.cpp server) through llama-index's OpenAILike."""
from __future__ import annotations

from collections.abc import Iterator

from .base import BackendError


class OpenAICompatible:
    name = "openai"

    def __init__(self, settings):
        from llama_index.llms.openai_like import OpenAILike

        self.model = settings.openai_model
        self.base_url = settings.openai_base_url
        self.llm = OpenAILike(
            model=settings.openai_model, api_base=settings.openai_base_url, api_key=settings.openai_api_key,
            is_chat_model=True, context_window=settings.n_ctx, temperature=settings.temperature,
            timeout=settings.openai_timeout_s, max_retries=0,
        )

    def stream(self, messages: list[dict], max_tokens: int) -> Iterator[str]:
        from llama_index.core.llms import ChatMessage

        chat = [ChatMessage(role=m["role"], content=m["content"]) for m in messages]
        answered = False
        try:
            for part in self.llm.stream_chat(chat, max_tokens=max_tokens):
                if part.delta:
                    answered = True
                    yield part.delta
        except BackendError:
            raise
        except Exception as exc:
            raise BackendError(f"The model server at {self.base_url} failed: {_describe(exc)}") from exc
        if not answered:  # e.g. a non-streaming or malformed reply: not an abstention
            raise BackendError(f"The model server at {self.base_url} failed: it returned no answer text "
                               "(empty or invalid response).")


def _describe(exc: Exception) -> str:
    import httpx

    chain = _causes(exc)
    if any(isinstance(e, httpx.TimeoutException) or "Timeout" in type(e).__name__ for e in chain):
        return "it did not answer in time (timeout)"
    if any(isinstance(e, httpx.RemoteProtocolError | httpx.ReadError) for e in chain):  # e.g. killed mid-answer
        return "it closed the connection before the answer was complete (stopped or crashed?)"
    if any(isinstance(e, httpx.ConnectError) or "Connection" in type(e).__name__ for e in chain):
        return "it could not be reached"
    name = type(exc).__name__
    text = str(exc).splitlines()[0][:200] if str(exc) else ""
    return f"{name}: {text}" if text else f"{name} (invalid or unexpected response)"


def _causes(exc: BaseException) -> list[BaseException]:
    """exc and what it was raised from, outermost first (the openai client wraps httpx's errors)."""
    chain: list[BaseException] = []
    current: BaseException | None = exc
    while current is not None and current not in chain:
        chain.append(current)
        current = current.__cause__ or current.__context__
    return chain
