"""A browser tab without the browser: drives the app's Gradio events over HTTP as the frontend does.

Each Tab has its own session_hash (its own gr.State, i.e. its own conversation), runs an event's .then() chain,
keeps component values from the outputs, and records every server message (warnings, errors).
"""
from __future__ import annotations

import json
import re
import uuid

import httpx


class Tab:
    def __init__(self, base_url: str, http: httpx.Client | None = None, timeout_s: float = 180):
        self.base = base_url.rstrip("/")
        self.http = http or httpx.Client(timeout=timeout_s)
        self.config = self.http.get(self.base + "/config").raise_for_status().json()
        self.api = self.base + (self.config.get("api_prefix") or "/gradio_api")
        self.session_hash = uuid.uuid4().hex[:12]
        components = self.config["components"]
        self.types = {c["id"]: c["type"] for c in components}
        self.values = {c["id"]: (c.get("props") or {}).get("value") for c in components}
        self.ids = {(c.get("props") or {}).get("elem_id"): c["id"] for c in components
                    if (c.get("props") or {}).get("elem_id")}
        self.deps = self.config["dependencies"]
        self.messages: list[dict] = []

    # ----- driving events -----
    def trigger(self, elem_id: str, event: str, event_data: dict | None = None, **values) -> list[dict]:
        """Set component values (by elem_id, '-' written '_'), fire the event, run its .then() chain."""
        for name, value in values.items():
            self.values[self.ids[name.replace("_", "-")]] = value
        target = [self.ids[elem_id], event]
        dep = next(d for d in self.deps if target in [list(t) for t in d["targets"]])
        return self._run(dep, event_data)

    def ask(self, question: str) -> list[dict]:
        return self.trigger("question", "submit", question=question)

    def _run(self, dep: dict, event_data=None) -> list[dict]:
        done = [self._call(dep, event_data)]
        if done[-1].get("success") or not any(d.get("trigger_only_on_success") for d in self.deps):
            for follower in self.deps:
                if follower.get("trigger_after") == dep["id"]:
                    done += self._run(follower)
        return done

    def _call(self, dep: dict, event_data=None) -> dict:
        data = [None if self.types.get(i) == "state" else self.values.get(i) for i in dep["inputs"]]
        trigger_id = dep["targets"][0][0] if dep["targets"] else None
        joined = self.http.post(f"{self.api}/queue/join", json={
            "data": data, "event_data": event_data, "fn_index": dep["id"], "trigger_id": trigger_id,
            "session_hash": self.session_hash})
        joined.raise_for_status()
        event_id = joined.json()["event_id"]
        with self.http.stream("GET", f"{self.api}/queue/data", params={"session_hash": self.session_hash}) as stream:
            stream.raise_for_status()
            for line in stream.iter_lines():
                if not line.startswith("data:"):
                    continue
                message = json.loads(line[5:])
                self.messages.append(message)
                if message.get("msg") == "process_completed" and message.get("event_id") == event_id:
                    if message.get("success"):
                        self._apply(dep["outputs"], (message.get("output") or {}).get("data") or [])
                    return message
        raise AssertionError(f"the event stream of {dep.get('api_name')} ended without completing")

    def _apply(self, outputs: list[int], data: list) -> None:
        for comp, value in zip(outputs, data):
            if self.types.get(comp) == "state":
                continue
            if isinstance(value, dict) and value.get("__type__") == "update":
                if "value" in value:
                    self.values[comp] = value["value"]
            else:
                self.values[comp] = value

    # ----- reading the screen -----
    def value(self, elem_id: str):
        return self.values[self.ids[elem_id]]

    def chat(self) -> list[tuple[str, str]]:
        """(role, html) of each chat message."""
        out = []
        for message in self.value("chat") or []:
            content = message.get("content")
            if isinstance(content, list):
                content = "".join(part.get("text", "") for part in content if isinstance(part, dict))
            out.append((message.get("role"), str(content)))
        return out

    def warnings(self) -> list[str]:
        return [m.get("log") or m.get("message") or "" for m in self.messages
                if m.get("msg") == "log" and str(m.get("level", "")).lower() == "warning"]

    def errors(self) -> list[dict]:
        return [m for m in self.messages if m.get("msg") == "process_completed" and not m.get("success")]

    def all_text(self) -> str:
        return json.dumps(self.messages, ensure_ascii=False)


def text_of(html: str) -> str:
    """Visible text of an HTML fragment (tags dropped, a few entities decoded)."""
    import html as html_lib

    return html_lib.unescape(re.sub(r"<[^>]+>", " ", html))


def login(base_url: str, user: str, password: str) -> httpx.Client:
    http = httpx.Client(timeout=180)
    response = http.post(base_url.rstrip("/") + "/login", data={"username": user, "password": password})
    assert response.status_code == 200, response.text[:500]
    return http
