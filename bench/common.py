"""Shared helpers: timing, percentiles, memory, disk size, machine facts, temp corpus copies."""
from __future__ import annotations

import os
import platform
import resource
import shutil
import socket
import subprocess
import threading
import time
from pathlib import Path

from assistant.settings import PROJECT_ROOT

CORPUS_DIR = PROJECT_ROOT / "corpus"


def percentile(values, q: float) -> float | None:
    from assistant.eval.metrics import percentile as harness_percentile

    return harness_percentile([float(v) for v in values], q)


def summary_ms(values) -> dict:
    values = [float(v) for v in values]
    if not values:
        return {"n": 0, "p50_ms": None, "p95_ms": None, "mean_ms": None, "max_ms": None}
    return {"n": len(values), "p50_ms": round(percentile(values, 50), 1), "p95_ms": round(percentile(values, 95), 1),
            "mean_ms": round(sum(values) / len(values), 1), "max_ms": round(max(values), 1)}


class Timer:
    def __enter__(self):
        self.start = time.perf_counter()
        return self

    def __exit__(self, *exc):
        self.seconds = time.perf_counter() - self.start
        self.ms = self.seconds * 1e3


def peak_rss_mb() -> float:
    """Peak resident memory of this process (VmHWM), in MiB."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return round(int(line.split()[1]) / 1024, 1)
    except OSError:
        pass
    return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)


def rss_mb(pid: int | None = None) -> float | None:
    try:
        for line in Path(f"/proc/{pid or 'self'}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return round(int(line.split()[1]) / 1024, 1)
    except OSError:
        return None
    return None


def dir_size_mb(path: Path) -> float:
    total = 0
    for root, _, files in os.walk(path):
        for name in files:
            try:
                total += os.path.getsize(os.path.join(root, name))
            except OSError:
                pass
    return round(total / (1 << 20), 2)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def copy_corpus(dest: Path, source: Path = CORPUS_DIR, ignore=None) -> Path:
    shutil.copytree(source, dest, ignore=ignore)
    for path in dest.rglob("*"):  # the bundled corpus file is read-only; copies must be writable
        path.chmod(0o755 if path.is_dir() else 0o644)
    return dest


def loadavg() -> list[float] | None:
    try:
        return [round(x, 2) for x in os.getloadavg()]
    except OSError:
        return None


class ForeignCpu:
    """CPU time the rest of the machine used while the benchmark ran: all busy time (/proc/stat, steal included)
    minus this process tree's own. Load average alone cannot tell a busy benchmark from a shared machine."""

    def __init__(self):
        self.hz = os.sysconf("SC_CLK_TCK")
        self.cores = os.cpu_count() or 1
        self.windows: list[float] = []
        self._lock = threading.Lock()  # sampled by a timer thread and at the end of a measured part
        self._last = self._read()

    @staticmethod
    def _busy() -> int:
        with open("/proc/stat") as handle:
            user, nice, system, idle, iowait, irq, softirq, steal = map(int, handle.readline().split()[1:9])
        return user + nice + system + irq + softirq + steal

    @staticmethod
    def _own() -> int:
        """utime+stime of this process and its live descendants, plus their reaped children's."""
        parents, ticks = {}, {}
        for entry in os.scandir("/proc"):
            if not entry.name.isdigit():
                continue
            try:
                with open(f"/proc/{entry.name}/stat") as handle:
                    fields = handle.read().rsplit(")", 1)[1].split()
            except (OSError, IndexError):
                continue
            pid = int(entry.name)
            parents[pid] = int(fields[1])
            ticks[pid] = sum(map(int, fields[11:15]))
        tree, frontier = {os.getpid()}, [os.getpid()]
        while frontier:
            children = [pid for pid, ppid in parents.items() if ppid in frontier and pid not in tree]
            tree.update(children)
            frontier = children
        return sum(ticks.get(pid, 0) for pid in tree)

    def _read(self) -> tuple[float, int, int] | None:
        try:
            return time.monotonic(), self._busy(), self._own()
        except (OSError, ValueError):
            return None

    def sample(self) -> None:
        with self._lock:
            now = self._read()
            if now and self._last:
                seconds = now[0] - self._last[0]
                foreign = (now[1] - self._last[1]) - (now[2] - self._last[2])
                if seconds > 0:
                    self.windows.append(max(0.0, foreign / self.hz / (seconds * self.cores)))
            self._last = now

    def summary(self, since: int = 0) -> dict:
        part = self.windows[since:]
        if not part:
            return {}
        return {"mean_share": round(sum(part) / len(part), 3), "max_share": round(max(part), 3), "windows": len(part)}


def machine() -> dict:
    info = {"cpus": os.cpu_count(), "python": platform.python_version(), "platform": platform.platform(),
            "loadavg_1_5_15": loadavg()}
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                info["cpu"] = line.split(":", 1)[1].strip()
                break
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                info["memory_gib"] = round(int(line.split()[1]) / (1 << 20), 1)
    except OSError:
        pass
    try:
        info["git_commit"] = subprocess.run(["git", "rev-parse", "--short", "HEAD"], capture_output=True, text=True,
                                            timeout=5, cwd=PROJECT_ROOT).stdout.strip() or None
    except (OSError, subprocess.SubprocessError):
        info["git_commit"] = None
    versions = {}
    for name in ("chromadb", "llama-index-core", "sentence-transformers", "llama-cpp-python", "gradio", "torch"):
        try:
            from importlib.metadata import version

            versions[name] = version(name)
        except Exception:
            versions[name] = None
    info["versions"] = versions
    return info


def log(message: str) -> None:
    print(f"[bench {time.strftime('%H:%M:%S')}] {message}", flush=True)
