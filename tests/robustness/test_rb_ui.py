"""The running app (`python ui.py` in a subprocess): bad questions, inert markup, fault notices, access control."""
from __future__ import annotations

import http.client
import os
import re
import socket
from html.parser import HTMLParser
from pathlib import Path

import httpx
import pytest
from gradio_client import Client

from conftest_ui import AppServer, started
from fixtures.corpus import REPORT_ONLY, copy_corpus
from fixtures.llm import passage_number
from rb_gradio import Tab, login, text_of
from rb_support import PLOTS_Q, REPORT, FakeModelServer, add_hostile_docs

AUTH = ("analyst", "s3cret-Pass!")
SECRETS = ("root:x:0:0", "[build-system]", "foreign law enforcement", '"generation"', "ASSISTANT_", "import gradio")
TRACEBACK = re.compile(r"Traceback \(most recent call last\)|File \"[^\"]+\.py\", line \d+")


@pytest.fixture(scope="module")
def model_server():
    with FakeModelServer() as server:
        server.reply = lambda prompt: (
            'Foreign law enforcement interdicted at least sixteen ISKP plots <img src=x onerror=window.__pwned=true> '
            '<script>window.__pwned=true</script> [click](javascript:window.__pwned=true) '
            f'[{passage_number(prompt, "at least sixteen ISKP plots")}].')
        yield server


@pytest.fixture(scope="module")
def hostile_app(tmp_path_factory, model_server):
    """A shared deployment: login required, hostile documents in the corpus, an OpenAI-compatible model server."""
    work = tmp_path_factory.mktemp("rb-ui-hostile")
    corpus = add_hostile_docs(copy_corpus(work / "corpus", REPORT_ONLY))
    yield from started(AppServer(work, corpus, ASSISTANT_AUTH=f"{AUTH[0]}:{AUTH[1]}", ASSISTANT_BACKEND="openai",
                                 ASSISTANT_OPENAI_BASE_URL=model_server.url, ASSISTANT_OPENAI_TIMEOUT_S="3"))


@pytest.fixture
def hostile_tab(hostile_app, model_server):
    model_server.mode = "ok"
    return Tab(hostile_app.url, login(hostile_app.url, *AUTH))


def assert_no_traceback(text: str) -> None:
    assert not TRACEBACK.search(text), TRACEBACK.search(text).group(0)


# ----- bad questions in the chat -----
BAD_QUESTIONS = {
    "empty": ("", "Please type a question."),
    "whitespace": ("  \t\n  ", "Please type a question."),
    "control-chars": ("\x00\x01\x02\x7f", "Please type a question."),
    "100k-chars": ("x" * 100_000, "the limit is 2,000"),
    "punctuation": ("?!?... ;;", "Please ask a question in words."),
}


def test_bad_questions_get_a_clear_warning_and_no_stack_trace(plain_app):
    tab = Tab(plain_app.url)
    for name, (question, message) in BAD_QUESTIONS.items():
        before = len(tab.warnings())
        completed = tab.ask(question)
        assert all(m.get("success") for m in completed), (name, completed)
        assert message in " ".join(tab.warnings()[before:]), (name, tab.warnings())
        assert tab.chat() == [], name  # nothing was added to the conversation
    assert_no_traceback(tab.all_text())
    tab.ask(PLOTS_Q)  # and the same tab still answers
    assert "three in india" in text_of(tab.chat()[-1][1]).lower()


ODD_QUESTIONS = ["كم عدد مؤامرات داعش خراسان التي أحبطت في الهند؟", "伊斯兰国呼罗珊省在印度有多少阴谋被挫败？",
                 "Сколько заговоров ИГИЛ-Х было сорвано в Индии?", bytes(range(32, 256)).decode("latin-1"),
                 "\x1b[31m" + PLOTS_Q + "\x07", "🤔 ISKP 💣 India?"]


def test_other_scripts_and_binary_get_an_answer_or_an_abstention(plain_app):
    tab = Tab(plain_app.url)
    for i, question in enumerate(ODD_QUESTIONS, start=1):
        tab.ask(question)
        assert len(tab.chat()) == 2 * i, question
        reply = text_of(tab.chat()[-1][1])
        assert "Something went wrong" not in reply and reply.strip(), (question, reply)
    assert tab.errors() == []
    assert_no_traceback(tab.all_text())


@pytest.mark.parametrize("question, expected", [
    ("x" * 100_000, "limit is 2,000"), ("", "type a question"), ("\x00\x01", "type a question"),
    ("?!", "in words")])
def test_api_rejects_bad_questions_with_a_clear_error(plain_app, question, expected):
    client = Client(plain_app.url, verbose=False)
    with pytest.raises(Exception, match=expected) as raised:
        client.predict(question, None, None, api_name="/ask")
    assert_no_traceback(str(raised.value))


def test_api_survives_malformed_requests(plain_app):
    with httpx.Client(base_url=plain_app.url, timeout=60) as http:
        for body in ({"data": "not a list"}, {"data": [None, "abc", {"x": 1}]}, {"data": [PLOTS_Q, -7, [1, 2]]},
                     {"nodata": True}, [1, 2, 3]):
            response = http.post("gradio_api/call/ask", json=body)
            assert response.status_code < 500 or response.status_code == 500 and "Traceback" not in response.text
            if response.status_code == 200 and "event_id" in response.text:
                event = response.json()["event_id"]
                stream = http.get(f"gradio_api/call/ask/{event}").text
                assert_no_traceback(stream)
        assert http.post("gradio_api/call/ask", content=b"\xff\xfe not json",
                         headers={"content-type": "application/json"}).status_code in (400, 422)
    # ... and the app still answers.
    result = Client(plain_app.url, verbose=False).predict(PLOTS_Q, None, None, api_name="/ask")
    assert not result["abstained"]


# ----- faults made visible -----
def test_missing_local_model_shows_a_notice_and_answers_extractively(plain_app):
    tab = Tab(plain_app.url)
    notice = text_of(tab.value("notices") or "")
    assert "Local model unavailable" in notice and "using the extractive backend instead" in notice
    tab.ask(PLOTS_Q)
    assert "three in india" in text_of(tab.chat()[-1][1]).lower()


@pytest.mark.parametrize("mode", ["garbage", "slow", "http500", "json"])
def test_failing_model_server_shows_a_clear_error_and_the_chat_goes_on(hostile_tab, model_server, mode):
    model_server.mode = mode
    hostile_tab.ask(PLOTS_Q)
    reply = text_of(hostile_tab.chat()[-1][1])
    assert "The model server at" in reply and "failed" in reply, reply
    assert "Showing an extractive answer instead" in reply and "three in india" in reply.lower()
    assert_no_traceback(hostile_tab.all_text())
    model_server.mode = "ok"
    hostile_tab.ask("And in Iran?")
    reply = text_of(hostile_tab.chat()[-1][1])
    assert "failed" not in reply and "sixteen ISKP plots" in reply, reply
    assert len(hostile_tab.chat()) == 4


# ----- markup in documents and model output stays text -----
class _Tags(HTMLParser):
    def __init__(self):
        super().__init__()
        self.found: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag in ("script", "img", "iframe", "object", "embed", "svg", "style", "link", "meta", "form"):
            self.found.append(f"<{tag}>")
        for name, value in attrs:
            if name.startswith("on") or (name in ("href", "src", "action") and
                                         (value or "").strip().lower().startswith(("javascript:", "data:"))):
                self.found.append(f"<{tag} {name}={value!r}>")


def live_markup(html: str) -> list[str]:
    """Elements or attributes in html that a browser would run or load (escaped text does not count)."""
    parser = _Tags()
    parser.feed(html or "")
    return parser.found


def test_markup_from_documents_and_model_is_escaped(hostile_tab):
    hostile_tab.ask(PLOTS_Q)
    answer_html = hostile_tab.chat()[-1][1]
    assert "sixteen ISKP plots" in text_of(answer_html)
    assert "<script>window.__pwned=true</script>" in text_of(answer_html)  # shown as text
    assert live_markup(answer_html) == []
    assert live_markup(hostile_tab.value("sources-panel")) == []
    viewers = {}
    for doc_id in ("markdown-xss", "markup", "injection", "fake-system-prompt", "reading-notes"):
        hostile_tab.trigger("doc-picker", "input", doc_picker=doc_id)
        viewers[doc_id] = hostile_tab.value("doc-viewer")
        assert f'data-doc="{doc_id}"' in viewers[doc_id]
        assert live_markup(viewers[doc_id]) == [], doc_id
    assert "<script>window.__pwned=4</script>" in text_of(viewers["markdown-xss"])  # shown as text
    assert "[a link](javascript:window.__pwned=5)" in text_of(viewers["markdown-xss"])


@pytest.mark.slow
def test_markup_does_not_run_in_a_real_browser(hostile_app, hostile_tab):
    chromium = Path("/usr/bin/chromium")
    if not chromium.exists():
        pytest.skip("Debian chromium is not installed at /usr/bin/chromium")
    sync_api = pytest.importorskip("playwright.sync_api")
    args = ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
            "--disable-background-networking", "--disable-component-update", "--no-first-run"]
    with sync_api.sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=str(chromium), args=args)
        page = browser.new_page()
        dialogs = []
        page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
        page.goto(hostile_app.url)
        page.locator("input[type=text], input[name=username]").first.fill(AUTH[0])
        page.locator("input[type=password]").first.fill(AUTH[1])
        page.keyboard.press("Enter")
        question = page.locator("#question textarea")
        sync_api.expect(question).to_be_visible(timeout=60_000)
        question.fill(PLOTS_Q)
        question.press("Enter")
        answer = page.locator("#chat .answer:not(.pending)").first
        sync_api.expect(answer).to_be_visible(timeout=90_000)
        sync_api.expect(answer).to_contain_text("<script>")  # the markup is visible as text
        page.locator("#tab-documents-button, button[role=tab]:has-text('Documents')").first.click()
        for title, shown in (("ISKP in Markdown", "window.__pwned=4"), ("Markup test about ISKP", "ignore previous")):
            picker = page.locator("#doc-picker input")
            picker.click()
            page.get_by_role("option", name=title).click()
            sync_api.expect(page.locator("#doc-viewer")).to_contain_text(shown, timeout=15_000)
        assert page.evaluate("window.__pwned") is None
        assert dialogs == []
        assert page.locator("#chat script, #doc-viewer script, #chat img[onerror], #doc-viewer img").count() == 0
        browser.close()


# ----- access -----
def listening_addresses(port: int) -> set[str]:
    """Local addresses listening on port, from /proc/net/tcp{,6} (hex, as the kernel writes them)."""
    found = set()
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        if not os.path.exists(table):
            continue
        for line in Path(table).read_text().splitlines()[1:]:
            fields = line.split()
            address, _, hex_port = fields[1].partition(":")
            if fields[3] == "0A" and int(hex_port, 16) == port:
                found.add(address)
    return found


def test_binds_to_loopback_by_default(plain_app):
    assert "ASSISTANT_HOST" not in plain_app.env
    assert listening_addresses(plain_app.port) == {"0100007F"}  # 127.0.0.1 only: not 0.0.0.0, not ::
    with socket.socket() as sock:
        sock.settimeout(2)
        assert sock.connect_ex(("127.0.0.2", plain_app.port)) != 0


def test_login_is_enforced_for_clients_and_raw_http(hostile_app):
    with pytest.raises(Exception):
        Client(hostile_app.url, verbose=False)
    with pytest.raises(Exception):
        Client(hostile_app.url, auth=(AUTH[0], "wrong"), verbose=False)
    refused = []
    with httpx.Client(base_url=hostile_app.url, timeout=30) as http:
        calls = [
            ("GET", "config", None), ("GET", "gradio_api/info", None), ("GET", "gradio_api/config", None),
            ("POST", "gradio_api/call/ask", {"data": [PLOTS_Q, None, None]}),
            ("POST", "gradio_api/run/ask", {"data": [PLOTS_Q, None, None]}),
            ("POST", "gradio_api/api/ask", {"data": [PLOTS_Q, None, None]}),
            ("POST", "gradio_api/queue/join", {"data": [PLOTS_Q, None], "fn_index": 0, "session_hash": "abc"}),
            ("POST", "gradio_api/queue/join", {"data": [PLOTS_Q, None, None], "fn_index": 18, "session_hash": "abc"}),
            ("GET", "gradio_api/queue/data?session_hash=abc", None),
            ("GET", f"gradio_api/file={REPORT}", None), ("POST", "gradio_api/upload", None),
        ]
        for method, path, body in calls:
            response = http.request(method, path, json=body)
            assert response.status_code in (401, 403, 404, 405, 422), (method, path, response.status_code)
            assert "sixteen" not in response.text and "Three in India" not in response.text, path
            refused.append(response.status_code)
        assert refused.count(401) >= 6, refused
        assert http.post("login", data={"username": AUTH[0], "password": "wrong"}).status_code in (400, 401)
        assert http.get("config").status_code == 401
    # With the password, the same API answers.
    assert Client(hostile_app.url, auth=AUTH, verbose=False).predict(api_name="/documents")


TRAVERSALS = [
    "/file=../../etc/passwd", "/file=/etc/passwd", "/file=corpus/../pyproject.toml",
    "/gradio_api/file=/etc/passwd", "/gradio_api/file=../../../../etc/passwd",
    "/gradio_api/file=%2e%2e/%2e%2e/%2e%2e/etc/passwd", "/gradio_api/file=%2Fetc%2Fpasswd",
    "/gradio_api/file=..%252f..%252f..%252fetc%252fpasswd", "/gradio_api/file=corpus/../pyproject.toml",
    "/gradio_api/file=pyproject.toml", "/gradio_api/file=ui.py", "/gradio_api/file=/proc/self/environ",
    "/gradio_api/file={repo}/pyproject.toml", "/gradio_api/file={corpus}/the-next-afghan-jihad.txt",
    "/gradio_api/file={corpus}/../index/state.json", "/gradio_api/file={work}/index/state.json",
    "/static/../../pyproject.toml", "/static/..%2f..%2f..%2fpyproject.toml", "/assets/..%2f..%2fpyproject.toml",
    "/..%2f..%2fetc/passwd", "/gradio_api/proxy=file:///etc/passwd", "/gradio_api/file=file:///etc/passwd",
    "/gradio_api/file=\\..\\..\\etc\\passwd", "/favicon.ico/../../pyproject.toml",
]


def fetch_raw(port: int, path: str, cookie: str = "") -> tuple[int, str]:
    """GET with the path sent exactly as written (no client-side normalisation of '..')."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    conn.request("GET", path, headers={"Cookie": cookie} if cookie else {})
    response = conn.getresponse()
    body = response.read().decode("utf-8", "replace")
    conn.close()
    return response.status, body


def test_no_path_traversal_reads_files(plain_app, hostile_app):
    http = login(hostile_app.url, *AUTH)
    cookie = "; ".join(f"{k}={v}" for k, v in http.cookies.items())
    checked = 0
    for app, cookie_header in ((plain_app, ""), (hostile_app, cookie)):
        for template in TRAVERSALS:
            path = template.format(repo=REPORT.parents[1], corpus=app.corpus_dir, work=app.workdir)
            status, body = fetch_raw(app.port, path, cookie_header)
            assert status != 200 or not any(s in body for s in SECRETS), (path, status, body[:200])
            assert status in (400, 401, 403, 404, 405), (path, status)
            checked += 1
    assert checked == 2 * len(TRAVERSALS)


def test_document_viewer_opens_only_corpus_documents(plain_app):
    tab = Tab(plain_app.url)
    for doc_id in ("../../../etc/passwd", "/etc/passwd", "next-afghan-jihad/../../pyproject.toml",
                   "file:///etc/passwd", "..\\..\\pyproject.toml"):
        done = tab.trigger("doc-picker", "input", doc_picker=doc_id)
        assert not any(s in tab.value("doc-viewer") for s in ("root:x:0:0", "[build-system]"))
        assert_no_traceback(str(done))
        done = tab.trigger("sources-panel", "click", event_data={"doc_id": doc_id, "start": 0, "end": 50})
        assert not any(s in tab.value("doc-viewer") for s in ("root:x:0:0", "[build-system]"))
        assert_no_traceback(str(done))
