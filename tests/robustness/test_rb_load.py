"""Load: 20 concurrent chat sessions against the running app for a bounded time; no errors, no cross-talk."""
from __future__ import annotations

import html
import os
import re
import statistics
import threading
import time

import httpx

from rb_gradio import Tab, text_of

SESSIONS = 20
DURATION_S = float(os.environ.get("RB_LOAD_SECONDS", "40"))
# (first question, follow-up that only makes sense after it, words its answer needs, words of its standalone form)
SCENARIOS = [
    ("How many ISKP plots were foiled in India?", "And in Iran?", ["four in iran"], "foiled in Iran"),
    ("How many ISKP plots did authorities foil in Qatar?", "What about Germany?", ["three in germany"],
     "authorities foil in Germany"),
    ("How many ISKP plot interdictions happened in 2022?", "And in 2023?", ["seven"], "interdictions happened in 2023"),
    ("When did the Taliban step up operations against ISKP leaders?", "Has that pace held up since?", ["slow"],
     "Taliban"),
    ("What is ISKP's media foundation called?", "Which major powers does its content criticize?",
     ["russia", "china"], "media foundation"),
    ("Which years did ISKP's second media phase cover?", "And what was its emphasis?", ["fear"],
     "second media phase"),
]


def run_conversation(tab: Tab, scenario) -> list[str]:
    """Both turns of one scenario in one tab; the problems found (empty: all good)."""
    first, follow_up, needed, standalone = scenario
    problems = []
    started = time.monotonic()
    tab.ask(first)
    tab.ask(follow_up)
    tab.latencies.append(time.monotonic() - started)
    chat = tab.chat()
    roles = [role for role, _ in chat]
    questions = [text_of(h).strip() for role, h in chat if role == "user"]
    if roles != ["user", "assistant", "user", "assistant"] or questions != [first, follow_up]:
        problems.append(f"chat holds {questions} (roles {roles}), expected [{first!r}, {follow_up!r}]")
        return problems
    answer = text_of(chat[3][1]).lower()
    if "something went wrong" in answer or not all(w in answer for w in needed):
        problems.append(f"{follow_up!r} after {first!r} answered: {answer[:160]!r}")
    others = [q for s in SCENARIOS if s is not scenario for q in s[:2]]
    sources = text_of(tab.value("sources-panel") or "")
    leaked = [q for q in others if q in sources or any(q == x for x in questions)]
    if leaked:
        problems.append(f"another session's questions appear: {leaked}")
    searched = re.findall(r"Searching for: ([^<\"]+)", html.unescape(tab.all_text()))
    if searched and not all(standalone in s for s in searched):
        problems.append(f"follow-up resolved as {searched}, expected it to mention {standalone!r}")
    if tab.errors():
        problems.append(f"server errors: {tab.errors()}")
    return problems


def test_20_concurrent_sessions_without_errors_or_cross_talk(plain_app):
    deadline = time.monotonic() + DURATION_S
    results: dict[int, dict] = {}

    def session(i: int) -> None:
        record = results.setdefault(i, {"conversations": 0, "problems": [], "latencies": []})
        with httpx.Client(timeout=300) as http:
            while record["conversations"] == 0 or time.monotonic() < deadline:
                tab = Tab(plain_app.url, http)  # a new tab: a new session_hash, a new conversation
                tab.latencies = record["latencies"]
                scenario = SCENARIOS[(i + record["conversations"]) % len(SCENARIOS)]
                try:
                    record["problems"] += [f"session {i}: {p}" for p in run_conversation(tab, scenario)]
                except Exception as exc:  # an HTTP or protocol failure is an error too
                    record["problems"].append(f"session {i}: {type(exc).__name__}: {exc}")
                record["conversations"] += 1

    threads = [threading.Thread(target=session, args=(i,), daemon=True) for i in range(SESSIONS)]
    started = time.monotonic()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(DURATION_S + 600)
    elapsed = time.monotonic() - started
    assert not any(t.is_alive() for t in threads), "a session hung"
    conversations = sum(r["conversations"] for r in results.values())
    problems = [p for r in results.values() for p in r["problems"]]
    latencies = sorted(x for r in results.values() for x in r["latencies"])
    print(f"\n{SESSIONS} sessions, {elapsed:.0f} s: {conversations} conversations ({2 * conversations} answers), "
          f"{len(problems)} problems; two-turn latency median {statistics.median(latencies):.1f} s, "
          f"max {latencies[-1]:.1f} s")
    assert problems == [], problems[:10]
    assert len(results) == SESSIONS and all(r["conversations"] >= 1 for r in results.values())
