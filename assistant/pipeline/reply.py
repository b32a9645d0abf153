"""The final event of an answer: what every outcome (an answer, or an abstention with its notice) shares."""
from __future__ import annotations

import time
from dataclasses import dataclass, field

from ..answer import ABSTAIN_TEXT, Answer, Event
from ..citations import Citation
from ..retrieval import Passage


@dataclass
class Reply:
    question: str
    standalone: str
    passages: list[Passage]
    backend: str
    model: str
    notices: list[str]
    timings: dict[str, float]
    started: float  # perf_counter at the request: timings' total
    prompt: dict = field(default_factory=dict)
    translated: bool = False  # the model first put the question in English

    def final(self, text: str, citations: list[Citation], notice: str | None = None) -> Event:
        return self._event(text, citations, False, notice)

    def abstain(self, notice: str | None = None, text: str = ABSTAIN_TEXT) -> Event:
        return self._event(text, [], True, notice)

    def _event(self, text: str, citations: list[Citation], abstained: bool, notice: str | None) -> Event:
        if notice:
            self.notices.append(notice)
        self.timings["total"] = (time.perf_counter() - self.started) * 1e3
        return Event("final", answer=Answer(
            question=self.question, standalone_question=self.standalone, text=text, abstained=abstained,
            citations=citations, passages=self.passages, backend=self.backend, model=self.model,
            notices=self.notices, timings_ms=self.timings, prompt=self.prompt))
