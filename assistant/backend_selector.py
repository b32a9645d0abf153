"""Which backend answers: the one given, or the configured one created on first use; a fallback to extractive
(None) leaves a notice. Switching the configured backend discards the created one and its notices."""
from __future__ import annotations

import threading
from collections.abc import Callable

from .backends import Backend, create_llm
from .backends.extractive import ExtractiveAnswerer
from .settings import Settings


class BackendSelector:
    def __init__(self, settings: Settings, llm: Backend | None = None, log: Callable[[str], None] = print):
        self.settings, self.log = settings, log
        self._given = llm is not None
        self._llm = llm
        self._ready = llm is not None
        self.notices: list[str] = []
        self._lock = threading.RLock()

    @property
    def llm(self) -> Backend | None:
        """The LLM backend, or None for extractive answers."""
        with self._lock:
            if not self._ready:
                self._llm, notices = create_llm(self.settings, log=self.log)
                self.notices.extend(notices)
                self._ready = True
            return self._llm

    @property
    def name(self) -> str:
        llm = self.llm
        return llm.name if llm is not None else "extractive"

    @property
    def model(self) -> str:
        llm = self.llm
        return llm.model if llm is not None else ExtractiveAnswerer.model

    def switch(self, backend: str) -> Settings:
        """Configure another backend (created on next use, unless one was given); the new settings."""
        with self._lock:
            self.settings = self.settings.replace(backend=backend)
            if not self._given:
                self._llm, self._ready, self.notices = None, False, []
            return self.settings
