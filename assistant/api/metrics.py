"""Prometheus text exposition (format 0.0.4), hand-written: counters, gauges and histograms with labels."""
from __future__ import annotations

import math
import threading
from collections.abc import Callable, Sequence

CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8"
LATENCY_BUCKETS_S = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0, 60.0, 120.0)

Labels = tuple[tuple[str, str], ...]


def _escape(value: str) -> str:
    return value.replace("\\", "\\\\").replace("\n", "\\n").replace('"', '\\"')


def _labels(labels: Labels, extra: tuple[str, str] | None = None) -> str:
    pairs = [*labels, *([extra] if extra else [])]
    return "{" + ",".join(f'{name}="{_escape(value)}"' for name, value in pairs) + "}" if pairs else ""


def _number(value: float) -> str:
    if math.isinf(value):
        return "+Inf" if value > 0 else "-Inf"
    return repr(float(value)) if not float(value).is_integer() else str(int(value))


class _Metric:
    kind = ""

    def __init__(self, name: str, help_text: str, label_names: Sequence[str] = ()):
        self.name, self.help, self.label_names = name, help_text, tuple(label_names)
        self._lock = threading.Lock()

    def _key(self, labels: dict[str, str]) -> Labels:
        if set(labels) != set(self.label_names):
            raise ValueError(f"{self.name} takes labels {self.label_names}, got {tuple(labels)}")
        return tuple((name, str(labels[name])) for name in self.label_names)

    def header(self) -> list[str]:
        return [f"# HELP {self.name} {self.help}", f"# TYPE {self.name} {self.kind}"]

    def lines(self) -> list[str]:
        raise NotImplementedError


class Counter(_Metric):
    """Its name ends in _total, as the samples' do in this format."""
    kind = "counter"

    def __init__(self, name: str, help_text: str, label_names: Sequence[str] = ()):
        super().__init__(name, help_text, label_names)
        self._values: dict[Labels, float] = {}

    def inc(self, amount: float = 1.0, **labels: str) -> None:
        key = self._key(labels)
        with self._lock:
            self._values[key] = self._values.get(key, 0.0) + amount

    def lines(self) -> list[str]:
        with self._lock:
            values = dict(self._values) or ({(): 0.0} if not self.label_names else {})
        return [*self.header(), *(f"{self.name}{_labels(k)} {_number(v)}" for k, v in sorted(values.items()))]


class Gauge(_Metric):
    """A value read when the metrics are rendered."""
    kind = "gauge"

    def __init__(self, name: str, help_text: str, read: Callable[[], float]):
        super().__init__(name, help_text)
        self.read = read

    def lines(self) -> list[str]:
        return [*self.header(), f"{self.name} {_number(self.read())}"]


class Histogram(_Metric):
    kind = "histogram"

    def __init__(self, name: str, help_text: str, label_names: Sequence[str] = (),
                 buckets: Sequence[float] = LATENCY_BUCKETS_S):
        super().__init__(name, help_text, label_names)
        self.buckets = tuple(sorted(buckets))
        self._series: dict[Labels, tuple[list[int], list[float]]] = {}  # per-bucket counts, [sum, count]

    def observe(self, value: float, **labels: str) -> None:
        key = self._key(labels)
        with self._lock:
            counts, totals = self._series.setdefault(key, ([0] * len(self.buckets), [0.0, 0.0]))
            for i, bound in enumerate(self.buckets):
                if value <= bound:
                    counts[i] += 1
            totals[0] += value
            totals[1] += 1

    def lines(self) -> list[str]:
        out = self.header()
        with self._lock:
            series = {k: (list(c), list(t)) for k, (c, t) in self._series.items()}
        for key, (counts, (total, count)) in sorted(series.items()):
            for bound, n in zip(self.buckets, counts):
                out.append(f"{self.name}_bucket{_labels(key, ('le', _number(bound)))} {n}")
            out.append(f"{self.name}_bucket{_labels(key, ('le', '+Inf'))} {_number(count)}")
            out.append(f"{self.name}_sum{_labels(key)} {_number(total)}")
            out.append(f"{self.name}_count{_labels(key)} {_number(count)}")
        return out


class Registry:
    def __init__(self):
        self.metrics: list[_Metric] = []

    def add(self, metric):
        self.metrics.append(metric)
        return metric

    def render(self) -> str:
        return "\n".join(line for metric in self.metrics for line in metric.lines()) + "\n"
