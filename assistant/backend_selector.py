"""Which backend answers: the one given, or the configured one created on first use; a fallback to extractive
leaves a notice. Switching the configured backend discards the created one and its notices."""
from __future__ import annotations

import logging
import threading

from .backends import Backend, create_backend
from .settings import Settings

logger = logging.getLogger(__name__)


class BackendSelector:
    def __init__(self, settings: Settings, backend: Backend | None = None):
        """backend: one to always answer with (e.g. a test's scripted LLM); None: the configured one."""
        self.settings = settings
        self._given = backend
        self._backend = backend
        self.notices: list[str] = []
        self._lock = threading.RLock()

    @property
    def backend(self) -> Backend:
        with self._lock:
            if self._backend is None:
                self._backend, notices = create_backend(self.settings)
                self.notices.extend(notices)
                logger.debug("backend %s (%s) for the setting backend=%s", self._backend.name, self._backend.model,
                             self.settings.backend)
            return self._backend

    @property
    def name(self) -> str:
        return self.backend.name

    @property
    def model(self) -> str:
        return self.backend.model

    def switch(self, backend: str) -> Settings:
        """Configure another backend (created on next use, unless one was given); the new settings."""
        with self._lock:
            self.settings = self.settings.replace(backend=backend)
            if self._given is None:
                self._backend, self.notices = None, []
            return self.settings
