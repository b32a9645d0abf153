"""Load: N concurrent simulated chat users against the running Gradio app (`python ui.py`), via gradio_client.

Each user has its own gradio_client.Client (its own session) and asks golden-set questions through the app's
"ask" API endpoint back to back for a fixed time; requests still in flight at the deadline are waited for.
"""
from __future__ import annotations

import os
import subprocess
import sys
import threading
import time
import urllib.request
from pathlib import Path

from .common import PROJECT_ROOT, free_port, log, rss_mb, summary_ms
from .scenario import Scenario


class App:
    """`python ui.py` in a subprocess on a free port, over a scenario's corpus and index."""

    def __init__(self, work: Path, backend: str, corpus: Path, index: Path, concurrency_limit: int | None = None):
        self.work = work
        self.backend = backend
        self.corpus, self.index = corpus, index
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}/"
        self.concurrency_limit = concurrency_limit
        self.proc = None

    def __enter__(self):
        work = self.work
        work.mkdir(parents=True, exist_ok=True)
        self.index_existed = (self.index / "state.json").is_file()
        env = dict(os.environ, ASSISTANT_CORPUS_DIR=str(self.corpus), ASSISTANT_INDEX_DIR=str(self.index),
                   ASSISTANT_DATA_DIR=str(work / "data"), GRADIO_ANALYTICS_ENABLED="False",
                   PYTHONUNBUFFERED="1")
        if self.concurrency_limit:
            env["ASSISTANT_CONCURRENCY_LIMIT"] = str(self.concurrency_limit)
        self.log_file = open(work / f"ui-{self.backend}.log", "w")
        started = time.perf_counter()
        self.proc = subprocess.Popen([sys.executable, "ui.py", "--backend", self.backend, "--port", str(self.port)],
                                     cwd=PROJECT_ROOT, env=env, stdout=self.log_file, stderr=subprocess.STDOUT)
        deadline = time.time() + 300
        while True:
            try:
                with urllib.request.urlopen(self.url, timeout=5) as response:
                    if response.status == 200:
                        break
            except Exception:
                pass
            if self.proc.poll() is not None or time.time() > deadline:
                self.__exit__(None, None, None)
                raise RuntimeError(f"ui.py did not come up (see {self.log_file.name})")
            time.sleep(0.5)
        self.startup_s = time.perf_counter() - started
        return self

    def __exit__(self, *exc):
        if self.proc and self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(15)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(5)
        self.log_file.close()


def _user(url: str, questions: list[str], offset: int, stop_at: float, results: list, lock: threading.Lock,
          timeout: float) -> None:
    from gradio_client import Client

    try:
        client = Client(url, verbose=False, httpx_kwargs={"timeout": timeout})
    except Exception as exc:
        with lock:
            results.append({"ok": False, "latency_ms": 0.0, "error": f"connect: {type(exc).__name__}: {exc}"})
        return
    i = offset
    while time.perf_counter() < stop_at:
        question = questions[i % len(questions)]
        i += 1
        started = time.perf_counter()
        error, answer = None, None
        try:
            answer = client.predict(question, 5, [], api_name="/ask")
            if not isinstance(answer, dict) or "answer" not in answer:
                error = f"unexpected reply: {str(answer)[:200]}"
            elif answer.get("citations") and not all(c.get("quote") for c in answer["citations"]):
                error = "citation without a quote"
        except Exception as exc:
            error = f"{type(exc).__name__}: {str(exc)[:300]}"
        with lock:
            results.append({"ok": error is None, "latency_ms": (time.perf_counter() - started) * 1e3,
                            "error": error, "abstained": bool(answer.get("abstained")) if error is None else None})
    try:
        client.close()
    except Exception:
        pass


def run_load(url: str, questions: list[str], users: int, duration_s: float, timeout: float, pid=None) -> dict:
    results: list[dict] = []
    lock = threading.Lock()
    start = time.perf_counter()
    stop_at = start + duration_s
    threads = [threading.Thread(target=_user, args=(url, questions, u * 7, stop_at, results, lock, timeout),
                                daemon=True) for u in range(users)]
    peak_rss = [rss_mb(pid) or 0.0]

    def watch():
        while any(t.is_alive() for t in threads):
            peak_rss[0] = max(peak_rss[0], rss_mb(pid) or 0.0)
            time.sleep(0.5)

    for t in threads:
        t.start()
    watcher = threading.Thread(target=watch, daemon=True)
    watcher.start()
    for t in threads:
        t.join(duration_s + timeout + 60)
    elapsed = time.perf_counter() - start
    ok = [r for r in results if r["ok"]]
    errors = [r for r in results if not r["ok"]]
    return {
        "users": users, "duration_s": duration_s, "elapsed_s": round(elapsed, 1), "requests": len(results),
        "completed": len(ok), "errors": len(errors), "error_samples": sorted({r["error"] for r in errors})[:5],
        "requests_per_s": round(len(ok) / elapsed, 2) if elapsed else None,
        "latency": summary_ms(r["latency_ms"] for r in ok),
        "abstained": sum(1 for r in ok if r.get("abstained")),
        "server_peak_rss_mb": peak_rss[0] or None,
    }


def run(work: Path, questions: list[str], plans: list[tuple[str, int, float]], scenario: Scenario,
        timeout: float = 300) -> dict:
    """plans: (backend, users, duration_s). The apps share the scenario's index: the first one builds it unless it
    exists, the later ones start with nothing changed."""
    out = {}
    for backend, users, duration in plans:
        log(f"load: starting ui.py with the {backend} backend on {scenario.label}")
        try:
            with App(work / f"app-{backend}", backend, scenario.corpus_dir, scenario.index_dir) as app:
                from gradio_client import Client

                started = time.perf_counter()
                warm = Client(app.url, verbose=False)
                warm.predict(questions[0], 5, [], api_name="/ask")  # the first answer loads models
                warm.close()
                first_answer_s = time.perf_counter() - started
                log(f"load: {users} users x {duration:.0f}s against {backend}")
                row = run_load(app.url, questions, users, duration, timeout, pid=app.proc.pid)
                row["startup_s"] = round(app.startup_s, 1)
                row["first_answer_s"] = round(first_answer_s, 1)
                row["start_to_first_answer_s"] = round(app.startup_s + first_answer_s, 1)
                row["index_existed"] = app.index_existed
                row["concurrency_limit"] = app.concurrency_limit or "settings default"
                out[backend] = row
        except Exception as exc:
            out[backend] = {"error": f"{type(exc).__name__}: {exc}"}
    return out
