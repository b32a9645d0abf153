"""`python ui.py` (as `assistant serve`): the web app and the HTTP API on one server; and who may call the API when
no keys are configured."""
from __future__ import annotations

import threading
import time

import httpx
import openai
import pytest
import uvicorn
from gradio_client import Client

from assistant.api import keys
from assistant.api.metrics import Counter, Histogram, Registry
from assistant.api.server import access_line, build
from assistant.settings import Settings, SettingsError

from conftest_ui import AppServer, free_port, started
from fixtures.corpus import REPORT_ONLY, copy_corpus
from fixtures.prometheus import parse

PLOTS_Q = "How many ISKP plots were foiled in India?"


@pytest.fixture(scope="module")
def app(tmp_path_factory):
    work = tmp_path_factory.mktemp("serve")
    yield from started(AppServer(work, copy_corpus(work / "corpus", REPORT_ONLY)))


def test_web_app_and_api_share_one_server(app):
    assert "API: open without keys, because it listens on 127.0.0.1 only" in app.log()
    page = httpx.get(app.url, timeout=30)
    assert page.status_code == 200 and "gradio" in page.text.lower()
    web = Client(app.url, verbose=False).predict(PLOTS_Q, None, None, api_name="/ask")
    api = openai.OpenAI(base_url=app.url + "v1", api_key="unused", max_retries=0, timeout=120)
    completion = api.chat.completions.create(model="extractive", messages=[{"role": "user", "content": PLOTS_Q}])
    assert completion.choices[0].message.content == web["answer"]
    assert completion.model_extra["citations"] == web["citations"]
    metrics = parse(httpx.get(app.url + "metrics", timeout=30).text)
    # both answers, the web app's and the API's, are counted: the metrics listen to the engine
    assert metrics["assistant_answers_total"].value(backend="extractive", outcome="answered") >= 2
    assert httpx.get(app.url + "v1/nothing", timeout=30).json()["error"]["type"] == "not_found_error"


def test_without_keys_the_api_refuses_everyone_when_not_on_localhost(extractive_engine):
    settings = extractive_engine.settings
    assert "every API request is refused (401)" in access_line(settings, "0.0.0.0")
    server = uvicorn.Server(uvicorn.Config(build(extractive_engine, settings, "0.0.0.0"), host="127.0.0.1",
                                           port=free_port(), log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    try:
        deadline = time.monotonic() + 30
        while not server.started and time.monotonic() < deadline:
            time.sleep(0.05)
        base = f"http://127.0.0.1:{server.config.port}/"
        refused = httpx.get(base + "v1/models", headers={"Authorization": "Bearer anything-0123456789abcdef"})
        assert refused.status_code == 401
        assert refused.json()["error"]["code"] == "api_keys_not_configured"
        assert httpx.get(base + "health").status_code == 200
    finally:
        server.should_exit = True
        thread.join(10)


def test_api_keys_setting_is_checked_and_never_shown():
    spec = "admin-key-0123456789abcdef:admin,reader-key-0123456789abcdef:reader"
    settings = Settings.load(api_keys=spec)
    shown = settings.explain_text() + str(settings.explain())
    assert "admin-key" not in shown and "***:admin,***:reader" in shown
    assert keys.parse(spec) == {"admin-key-0123456789abcdef": "admin", "reader-key-0123456789abcdef": "reader"}
    for bad, why in [("short-key:admin", "at least 16"), ("a-long-enough-key-0123:root", "roles are"),
                     ("a-long-enough-key-0123", "key:role"), ("bad key with spaces 0123:reader", "letters")]:
        with pytest.raises(SettingsError, match=why) as refused:
            Settings.load(api_keys=bad)
        secret = bad.rpartition(":")[0] or bad
        assert secret not in str(refused.value)
    assert keys.allows("admin", "editor") and keys.allows("editor", "reader") and not keys.allows("reader", "editor")
    assert keys.is_loopback("127.0.0.1") and keys.is_loopback("::1") and not keys.is_loopback("0.0.0.0")


def test_metric_text_escapes_label_values_and_keeps_histograms_cumulative():
    registry = Registry()
    counter = registry.add(Counter("demo_total", "A demo.", ("route",)))
    histogram = registry.add(Histogram("demo_seconds", "Latency.", ("stage",), buckets=(0.1, 1.0)))
    counter.inc(route='/a"b\\c\nd')
    for value in (0.05, 0.5, 5.0):
        histogram.observe(value, stage="x")
    families = parse(registry.render())
    assert families["demo_total"].value(route='/a"b\\c\nd') == 1
    seconds = families["demo_seconds"]
    assert [seconds.value("demo_seconds_bucket", stage="x", le=le) for le in ("0.1", "1", "+Inf")] == [1, 2, 3]
    assert seconds.value("demo_seconds_sum", stage="x") == pytest.approx(5.55)
    with pytest.raises(ValueError, match="takes labels"):
        counter.inc(other="x")
