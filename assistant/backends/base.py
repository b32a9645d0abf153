"""What a backend is: one Protocol every answer generator implements, and the optional capabilities some have.

Capabilities are Protocols too, checked with isinstance, not probed with getattr/hasattr."""
from __future__ import annotations

from collections.abc import Iterator
from typing import Protocol, runtime_checkable


class BackendError(Exception):
    """A model that failed to answer; the message is shown to the user."""


@runtime_checkable
class Backend(Protocol):
    """Streams the text of a reply to chat messages."""
    name: str
    model: str

    def stream(self, messages: list[dict], max_tokens: int) -> Iterator[str]: ...


@runtime_checkable
class PreparesPrefix(Protocol):
    """A backend that reads a long system prompt (the corpus) once and keeps it cached."""

    def will_prepare(self, system: str) -> bool:
        """Whether answering with this system prompt first waits for it to be read (seconds)."""

    def prefill(self, system: str) -> None:
        """Read the system prompt into the cache now (at warm-up), not on the first question."""
