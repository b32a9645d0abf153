"""What /metrics reports: API requests by route and status, answer latency by stage (from the engine's timings and
the API's queue), answers and abstentions, errors, queue depth and answers in flight."""
from __future__ import annotations

from collections.abc import Callable

from ..answer import Answer
from .errors import TYPES
from .metrics import Counter, Gauge, Histogram, Registry


class ApiMetrics:
    def __init__(self, waiting: Callable[[], float], running: Callable[[], float]):
        self.registry = Registry()
        add = self.registry.add
        self.requests = add(Counter("assistant_http_requests_total", "API requests by route, method and status.",
                                    ("route", "method", "status")))
        self.request_seconds = add(Histogram("assistant_http_request_duration_seconds",
                                             "API request latency by route, until the response ended.", ("route",)))
        self.errors = add(Counter("assistant_errors_total", "API error responses by route and error type.",
                                  ("route", "type")))
        self.stage_seconds = add(Histogram("assistant_answer_stage_seconds",
                                           "Answer latency by stage (the engine's timings; queue_wait: waiting for "
                                           "a generation slot in the API).", ("stage",)))
        self.answers = add(Counter("assistant_answers_total", "Answers by backend and outcome (answered, abstained).",
                                   ("backend", "outcome")))
        self.abstentions = add(Counter("assistant_abstentions_total", "Answers that abstained.", ("backend",)))
        add(Gauge("assistant_queue_depth", "API requests waiting for a generation slot.", waiting))
        add(Gauge("assistant_answers_in_flight", "API answers being generated now.", running))

    def request(self, route: str, method: str, status: int, seconds: float) -> None:
        self.requests.inc(route=route, method=method, status=str(status))
        self.request_seconds.observe(seconds, route=route)
        if status >= 400:
            self.errors.inc(route=route, type=TYPES.get(status, "server_error" if status >= 500 else "client_error"))

    def answer(self, answer: Answer) -> None:
        """An engine listener: every final answer, whichever front end asked."""
        for stage, ms in answer.timings_ms.items():
            self.stage_seconds.observe(ms / 1e3, stage=stage)
        outcome = "abstained" if answer.abstained else "answered"
        self.answers.inc(backend=answer.backend, outcome=outcome)
        if answer.abstained:
            self.abstentions.inc(backend=answer.backend)

    def queue_wait(self, seconds: float) -> None:
        self.stage_seconds.observe(seconds, stage="queue_wait")

    def render(self) -> str:
        return self.registry.render()
