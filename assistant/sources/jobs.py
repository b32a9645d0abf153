"""Ingest in the background while everyone keeps asking; the app polls its status for a progress bar."""
from __future__ import annotations

import logging
import threading
from dataclasses import dataclass, field

log = logging.getLogger(__name__)


@dataclass
class JobStatus:
    running: bool = False
    phase: str = ""  # "reading", "embedding", "done", "failed"
    done: int = 0
    total: int = 0
    message: str = ""
    problems: list[str] = field(default_factory=list)  # files refused or skipped, by name, with the reason

    @property
    def fraction(self) -> float:
        if self.phase == "done":
            return 1.0
        return self.done / self.total if self.total else 0.0


class BackgroundIngest:
    """One ingest at a time; a request made while one runs starts another right after it."""

    def __init__(self, engine):
        self.engine = engine
        self._lock = threading.Lock()
        self._status = JobStatus()
        self._again = False
        self._pending_problems: list[str] = []

    def status(self) -> JobStatus:
        with self._lock:
            return JobStatus(**{**self._status.__dict__, "problems": list(self._status.problems)})

    def start(self, problems: list[str] | None = None) -> None:
        with self._lock:
            self._pending_problems += problems or []
            if self._status.running:
                self._again = True
                return
            self._begin()
        threading.Thread(target=self._run, name="background-ingest", daemon=True).start()

    def _begin(self) -> None:
        self._status = JobStatus(running=True, phase="reading", message="Reading the new files…",
                                 problems=self._pending_problems)
        self._pending_problems = []

    def _progress(self, done: int, total: int) -> None:
        with self._lock:
            self._status.phase, self._status.done, self._status.total = "embedding", done, total
            self._status.message = f"Embedding passages: {done} of {total}"

    def _run(self) -> None:
        while True:
            try:
                report = self.engine.ingest(progress=self._progress)
                self.engine.ensure_index()
                skipped = [f"{s.path}: {s.reason}" for s in report.skipped]
                with self._lock:
                    self._status.phase = "done"
                    self._status.message = report.summary().splitlines()[0]
                    self._status.problems += [p for p in skipped if p not in self._status.problems]
            except Exception as exc:  # the old index keeps answering
                log.exception("background ingest failed")
                with self._lock:
                    self._status.phase = "failed"
                    self._status.message = (f"Indexing failed ({type(exc).__name__}: {exc}); "
                                            "the previous index is still answering.")
            with self._lock:
                if not self._again:
                    self._status.running = False
                    return
                self._again = False
                self._begin()
