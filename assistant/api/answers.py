"""Answering for the API: a conversation rebuilt from the request's messages, a line per backend (one generation
at a time per model, the rest wait), and the engine's events carried from its worker thread to the event loop."""
from __future__ import annotations

import asyncio
import threading
import time
from collections.abc import AsyncIterator, Callable, Generator
from contextlib import asynccontextmanager
from dataclasses import dataclass

import anyio

from .. import conversation
from ..answer import Event
from ..engine import ChatSession, Engine
from ..textutil import clean_question


class Busy(Exception):
    """More requests waiting than the queue holds."""


class GenerationGate:
    """At most `limit` answers at a time for each backend; the others wait in line. Counts are for /metrics."""

    def __init__(self, limit: int, max_waiting: int):
        self.limit, self.max_waiting = limit, max_waiting
        self._lines: dict[str, asyncio.Semaphore] = {}
        self.waiting = 0
        self.running = 0

    @asynccontextmanager
    async def slot(self, backend: str) -> AsyncIterator[float]:
        """Holds a generation slot of this backend; yields the seconds spent waiting for it."""
        if self.waiting >= self.max_waiting:
            raise Busy(f"{self.waiting} requests are already waiting for an answer slot; try again shortly.")
        line = self._lines.setdefault(backend, asyncio.Semaphore(self.limit))
        started = time.perf_counter()
        self.waiting += 1
        try:
            await line.acquire()
        finally:
            self.waiting -= 1
        self.running += 1
        try:
            yield time.perf_counter() - started
        finally:
            self.running -= 1
            line.release()


def session_from(engine: Engine, earlier: list[tuple[str, str]]) -> ChatSession:
    """A session whose history is the earlier (question, answer) turns a client sent back. Each earlier question is
    made standalone again by rule or context (no LLM call), so "And in Iran?" after "...in India?" keeps its sense."""
    session = engine.session()
    for question, answer in earlier[-engine.settings.history_turns:] if engine.settings.history_turns else []:
        question = clean_question(question)
        if not question:
            continue
        standalone, _ = engine.condense(question, session.history, extractive=True)
        session.history.append(conversation.Turn(question, standalone, answer))
    return session


@dataclass
class _Stop:
    error: BaseException | None = None


async def events(run: Callable[[], Generator[Event, None, None]]) -> AsyncIterator[Event]:
    """The events of run() (an engine stream), driven in one worker thread. When the consumer stops early (a client
    that went away), the stream is closed at its next event and the worker is waited for, so the slot it holds is
    not given to the next request while the model still works."""
    loop = asyncio.get_running_loop()
    queue: asyncio.Queue[Event | _Stop] = asyncio.Queue()
    stop = threading.Event()

    def post(item: Event | _Stop) -> None:
        try:
            loop.call_soon_threadsafe(queue.put_nowait, item)
        except RuntimeError:  # the loop is gone (server shutting down)
            stop.set()

    def work() -> None:
        end = _Stop()
        try:
            stream = run()
            try:
                for event in stream:
                    post(event)
                    if stop.is_set():
                        break
            finally:
                stream.close()
        except BaseException as exc:  # handed to the consumer
            end.error = exc
        post(end)

    worker = threading.Thread(target=work, name="api-answer", daemon=True)
    worker.start()
    try:
        while True:
            item = await queue.get()
            if isinstance(item, _Stop):
                if item.error is not None:
                    raise item.error
                return
            yield item
    finally:
        stop.set()
        with anyio.CancelScope(shield=True):
            await anyio.to_thread.run_sync(worker.join)
