"""What a backend is: one Protocol every answer generator implements, and the capabilities that say what it can do.

Capabilities are Protocols too, checked with isinstance, not probed with getattr/hasattr. A backend either streams
chat text (an LLM: StreamsChat) or drafts from the retrieved passages itself (extractive: DraftsFromPassages)."""
from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING, Protocol, runtime_checkable

if TYPE_CHECKING:
    from ..retrieval import Passage
    from .extractive import ExtractiveAnswerer


class BackendError(Exception):
    """A model that failed to answer; the message is shown to the user."""


@runtime_checkable
class Backend(Protocol):
    """What answers: its name (the `backend` setting and the answer's `backend` field) and its model."""
    name: str
    model: str


@runtime_checkable
class StreamsChat(Backend, Protocol):
    """An LLM: streams the text of a reply to chat messages."""

    def stream(self, messages: list[dict], max_tokens: int) -> Iterator[str]: ...


@runtime_checkable
class DraftsFromPassages(Backend, Protocol):
    """A backend with no prompt: it drafts the answer, with [n] markers, from the retrieved passages themselves."""

    def draft(self, question: str, passages: list[Passage], doc_texts: dict[str, str], metas: dict,
              answerer: ExtractiveAnswerer) -> str | None:
        """answerer: the opened index's sentence scorer (its terms' weights and document names)."""


@runtime_checkable
class CountsTokens(Protocol):
    """A backend that knows its model's tokens (what its prompt reading time is proportional to)."""

    def count_tokens(self, text: str) -> int: ...


@runtime_checkable
class PreparesPrefix(Protocol):
    """A backend that reads a long system prompt (the corpus) once and keeps it cached."""

    def will_prepare(self, system: str) -> bool:
        """Whether answering with this system prompt first waits for it to be read (seconds)."""

    def prefill(self, system: str) -> None:
        """Read the system prompt into the cache now (at warm-up), not on the first question."""
