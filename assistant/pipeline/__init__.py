"""The answer path as small stages, each a module with a `run(...)` that takes plain inputs and returns a small
dataclass: validate -> condense -> retrieve -> gate -> generate -> ground -> check -> reconcile.
`Engine.answer_stream` composes them."""
from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def timed(timings: dict[str, float], key: str) -> Iterator[float]:
    """timings[key] = milliseconds the block took; the block gets its start (perf_counter)."""
    started = time.perf_counter()
    yield started
    timings[key] = (time.perf_counter() - started) * 1e3
