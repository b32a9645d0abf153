"""The chat app in a real browser (Debian chromium + Playwright) against the real app in a subprocess.

Screenshots go to test-output/ui/ (gitignored, kept by CI). UPDATE_DOCS_SCREENSHOT=1 also refreshes
docs/screenshot.png from the answered-question screenshot.
"""
from __future__ import annotations

import os
import re
import shutil
import time
from pathlib import Path

import httpx
import pytest

from assistant.sources import factbook
from assistant.storage.records import title_from

from conftest_ui import OUTPUT, REPO, REPORT, AppServer, started
from fixtures.corpus import bundled_corpus, copy_corpus

CHROMIUM = Path("/usr/bin/chromium")
pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(not CHROMIUM.exists(), reason="Debian chromium is not installed at /usr/bin/chromium "
                                                    "(apt-get install chromium)"),
]
playwright_api = pytest.importorskip("playwright.sync_api")
expect = playwright_api.expect

CHROMIUM_ARGS = ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                 "--disable-background-networking", "--disable-component-update", "--no-first-run"]
QUESTION = "How many ISKP plots has foreign law enforcement interdicted since 2015?"
ANSWER_TIMEOUT_MS = 90_000

EVIL_TEXT = """Smuggling routes in the borderlands

The smuggling network moved <script>alert(1)</script> weapons across the border in 2019, using [click](javascript:alert(3)) mountain passes. Analysts noted <img src=x onerror=alert(2)> a sharp rise in cross-border weapons smuggling.

Template ${alert(5)} and {{constructor}} and $$x^2$$ and <a href="javascript:alert(4)">a link</a> appear here too.
"""
EVIL_MANIFEST = """documents:
  - id: evil-doc
    file: evil.txt
    title: "Evil <b>bold</b> <img src=x onerror=alert(6)> [t](javascript:alert(9))"
    authors: ["<script>alert(7)</script>"]
    date: "2020-01-01"
    url: "javascript:alert(8)"
"""
EVIL_QUESTION = "How did the smuggling network move weapons across the border?"


@pytest.fixture(scope="module")
def app(tmp_path_factory):
    work = tmp_path_factory.mktemp("ui-browser")
    (work / "tmp").mkdir()
    yield from started(AppServer(work, copy_corpus(work / "corpus"), TMPDIR=str(work / "tmp")))


def export_files(server: AppServer) -> list[Path]:
    return sorted((server.workdir / "tmp").glob("*-exports-*/*/*.md"))


@pytest.fixture(scope="module")
def evil_app(tmp_path_factory):
    """A corpus whose text and metadata try to inject markup, answered by a slow streaming fake LLM."""
    work = tmp_path_factory.mktemp("ui-evil")
    corpus = work / "corpus"
    corpus.mkdir()
    (corpus / "evil.txt").write_text(EVIL_TEXT, encoding="utf-8")
    (corpus / "manifest.yaml").write_text(EVIL_MANIFEST, encoding="utf-8")
    yield from started(AppServer(work, corpus, script="tests/conftest_ui.py", FAKE_LLM_DELAY_S="0.15"))


@pytest.fixture(scope="module")
def browser():
    with playwright_api.sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1600, "height": 1000},
                                  permissions=["clipboard-read", "clipboard-write"], accept_downloads=True)
    page = context.new_page()
    page.dialogs, page.accept_dialogs = [], False
    page.on("dialog", lambda dialog: (page.dialogs.append(dialog.message),
                                      dialog.accept() if page.accept_dialogs else dialog.dismiss()))
    yield page
    context.close()


def open_app(page, server: AppServer):
    page.goto(server.url)
    expect(page.locator("#question textarea")).to_be_visible(timeout=60_000)


def ask(page, question: str):
    page.locator("#question textarea").fill(question)
    page.locator("#question textarea").press("Enter")


def final_answer(page, n: int = 1):
    """The n-th finished answer bubble."""
    locator = page.locator("#chat .answer:not(.pending)").nth(n - 1)
    expect(locator).to_be_visible(timeout=ANSWER_TIMEOUT_MS)
    return locator


def screenshot(page, name: str) -> Path:
    OUTPUT.mkdir(parents=True, exist_ok=True)
    path = OUTPUT / name
    page.screenshot(path=str(path))
    return path


def restore_event_id(server: AppServer) -> int:
    """The page-load event that restores this browser's chat (it writes the chat)."""
    config = httpx.get(server.url.rstrip("/") + "/config", timeout=30).raise_for_status().json()
    chat = next(c["id"] for c in config["components"] if (c.get("props") or {}).get("elem_id") == "chat")
    return next(d["id"] for d in config["dependencies"]
                if any(t[1] == "load" for t in d["targets"]) and chat in d["outputs"])


def test_a_question_typed_before_the_chat_is_restored_is_not_lost(app, page):
    """The restore on page load replaces the chat; until it lands, nothing can be asked (it would be wiped)."""
    restore, held = restore_event_id(app), []

    def hold_restore(route):
        body = route.request.post_data_json or {}
        held.append(route) if body.get("fn_index") == restore else route.continue_()

    page.route(lambda url: "/gradio_api/queue/join" in url, hold_restore)
    page.goto(app.url)
    deadline = time.monotonic() + 60
    while not held and time.monotonic() < deadline:
        page.wait_for_timeout(100)
    assert held, "the page never asked to restore its chat"
    expect(page.locator("#question textarea")).to_be_disabled()
    expect(page.locator("#examples-row button").first).to_be_disabled()
    held[0].continue_()
    expect(page.locator("#question textarea")).to_be_focused()
    ask(page, QUESTION)
    answer = final_answer(page)
    expect(answer.locator("a.cite").first).to_be_visible()
    expect(page.locator("#chat")).to_contain_text(QUESTION)


def test_answer_quotes_the_report_verbatim_and_markers_open_the_passage(app, page):
    report = REPORT.read_text(encoding="utf-8")
    open_app(page, app)
    expect(page.locator("#app-header")).to_contain_text("Index: 1 document")
    ask(page, QUESTION)
    answer = final_answer(page)
    expect(answer.locator("a.cite").first).to_be_visible()

    card = page.locator("#src-1-1")
    quote = card.locator("mark.src-quote").text_content()
    assert quote and len(quote) > 40
    assert quote in report, "the shown quote must be verbatim from the report"
    assert "sixteen" in quote
    assert quote in answer.locator(".answer-text").text_content()
    expect(card.locator(".src-title")).to_have_text("The Next Afghan Jihad? Taliban Efforts to Contain ISKP")
    expect(card.locator(".src-meta")).to_contain_text("Amira Jadoon")
    expect(card.locator(".src-meta")).to_contain_text("2024-04-02")
    expect(card.locator("a.ext-link")).to_have_attribute(
        "href", "https://www.washingtoninstitute.org/policy-analysis/next-afghan-jihad-taliban-efforts-contain-iskp")
    # The passage around the quote is shown too.
    passage = card.locator(".src-passage").text_content()
    assert len(passage) > len(quote) and passage.replace("… ", "").replace(" …", "") in report

    # Clicking the [1] marker brings the passage, with its highlighted quote, into view.
    page.locator("#sources-panel").evaluate("el => el.scrollTop = el.scrollHeight")
    answer.locator("a.cite", has_text="[1]").first.click()
    expect(card).to_have_class("src-card flash")
    expect(card.locator("mark.src-quote")).to_be_in_viewport()
    expect(card.locator("mark.src-quote")).to_have_text(quote)
    page.wait_for_timeout(400)
    shot = screenshot(page, "answered.png")
    assert shot.stat().st_size > 10_000
    if os.environ.get("UPDATE_DOCS_SCREENSHOT"):
        shutil.copyfile(shot, REPO / "docs" / "screenshot.png")

    # "Read in document" opens the source viewer with the cited span highlighted.
    card.locator("button.open-doc").click()
    active = page.locator("#doc-viewer mark#doc-active")
    expect(active).to_be_visible(timeout=15_000)
    expect(active).to_have_text(quote)
    expect(active).to_be_in_viewport()
    expect(page.locator("#doc-viewer .doc-title")).to_have_text("The Next Afghan Jihad? Taliban Efforts to Contain ISKP")
    assert page.locator("#doc-viewer .doc-text").text_content() == report
    screenshot(page, "document.png")
    assert page.dialogs == []


def test_unanswerable_question_says_so_and_shows_no_sources(app, page):
    open_app(page, app)
    ask(page, "What is the capital of France?")
    answer = final_answer(page)
    expect(answer).to_have_class("answer abstained")
    expect(answer).to_contain_text("do not cover")
    expect(answer.locator("a.cite")).to_have_count(0)
    expect(page.locator("#src-turn-1 .src-none")).to_contain_text("No sources")
    expect(page.locator("#sources-panel .src-card")).to_have_count(0)


def test_invalid_question_gets_a_clear_warning(app, page):
    open_app(page, app)
    ask(page, "?!?")
    expect(page.get_by_text("Please ask a question in words.")).to_be_visible(timeout=15_000)
    expect(page.locator("#chat .answer")).to_have_count(0)


def test_example_feedback_copy_and_export(app, page):
    open_app(page, app)
    example = page.locator("#examples-row button").nth(1)
    question = example.text_content().strip()
    example.click()
    answer = final_answer(page)
    expect(answer.locator("a.cite")).not_to_have_count(0)
    expect(page.locator("#chat")).to_contain_text(question)

    # Thumbs up is appended to the feedback JSONL.
    page.locator("#chat button[aria-label='Like']").last.click()
    expect(page.get_by_text("feedback was saved")).to_be_visible(timeout=15_000)
    entries = app.feedback_entries()
    assert entries[-1]["rating"] == "up" and entries[-1]["question"] == question
    assert entries[-1]["citations"] and entries[-1]["session_id"]

    # Copy puts the answer and its sources on the clipboard.
    answer.locator("button.copy-answer").click()
    expect(answer.locator("button.copy-answer")).to_have_text("Copied")
    copied = page.evaluate("navigator.clipboard.readText()")
    first_quote = page.locator("#src-1-1 mark.src-quote").text_content()
    assert "Sources:" in copied and first_quote in copied

    # Export downloads the conversation, citations included, as Markdown.
    with page.expect_download() as download:
        page.locator("#export").click()
    exported = Path(download.value.path()).read_text(encoding="utf-8")
    assert download.value.suggested_filename.endswith(".md")
    assert "## Q1." in exported and "**Sources**" in exported
    assert "washingtoninstitute.org" in exported
    assert export_files(app), "the export is written under the app's temporary folder"

    # Clearing empties the chat and the sources panel.
    page.locator("#clear").click()
    expect(page.locator("#chat .answer")).to_have_count(0)
    expect(page.locator("#sources-panel .src-empty")).to_be_visible()


def test_browser_sessions_do_not_share_conversations(app, browser, page):
    open_app(page, app)
    ask(page, QUESTION)
    final_answer(page)
    other = browser.new_context(viewport={"width": 1400, "height": 900}).new_page()
    try:
        open_app(other, app)
        expect(other.locator("#chat .answer")).to_have_count(0)
        ask(other, "What role have Tajik nationals played in ISKP's external attacks?")
        final_answer(other)
        expect(other.locator("#chat")).not_to_contain_text("interdicted")
        expect(page.locator("#chat .answer")).to_have_count(1)
        expect(page.locator("#chat")).not_to_contain_text("Tajik nationals played")
    finally:
        other.context.close()


def test_document_viewer_opens_any_document(app, page):
    open_app(page, app)
    page.get_by_role("tab", name="Documents").click()
    expect(page.locator("#doc-viewer .doc-title")).to_have_text("The Next Afghan Jihad? Taliban Efforts to Contain ISKP")
    expect(page.locator("#doc-viewer .doc-text")).to_contain_text("Since 2015, foreign law enforcement")
    expect(page.locator("#doc-viewer a.ext-link")).to_have_attribute("href", "https://www.washingtoninstitute.org/"
                                                                            "policy-analysis/next-afghan-jihad-"
                                                                            "taliban-efforts-contain-iskp")


def test_answers_stream_and_untrusted_text_renders_inert(evil_app, page):
    open_app(page, evil_app)
    ask(page, EVIL_QUESTION)
    draft = page.locator("#chat .answer.pending .draft")
    expect(draft).to_be_visible(timeout=ANSWER_TIMEOUT_MS)  # partial text before the final answer
    partial = draft.text_content()
    answer = final_answer(page)
    final_text = answer.locator(".answer-text").text_content()
    assert partial.strip() and len(partial) < len(final_text)
    expect(answer.locator("a.cite")).not_to_have_count(0)

    quote = page.locator("#src-1-1 mark.src-quote").text_content()
    assert "<script>alert(1)</script>" in quote and "[click](javascript:alert(3))" in quote
    assert quote in EVIL_TEXT
    expect(page.locator("#src-1-1 .src-title")).to_have_text(
        "Evil <b>bold</b> <img src=x onerror=alert(6)> [t](javascript:alert(9))")
    expect(page.locator("#src-1-1 .src-meta")).to_contain_text("<script>alert(7)</script>")
    expect(page.locator("#src-1-1 a")).to_have_count(0)  # the javascript: URL is not linked

    page.locator("#src-1-1 button.open-doc").click()
    expect(page.locator("#doc-viewer mark#doc-active")).to_have_text(quote, timeout=15_000)
    assert page.locator("#doc-viewer .doc-text").text_content() == EVIL_TEXT
    screenshot(page, "untrusted-text.png")

    injected = page.evaluate("""() => {
        const roots = ['#chat', '#sources-panel', '#doc-viewer'].map(s => document.querySelector(s));
        const inside = sel => roots.flatMap(r => [...r.querySelectorAll(sel)]);
        return {
            scripts: inside('script').length,
            images: inside('img').length,
            bold: inside('b').length,
            jsLinks: [...document.querySelectorAll('a[href]')].map(a => a.getAttribute('href'))
                .filter(h => /^\\s*javascript:/i.test(h)),
            docLinks: inside('.answer-text a:not(.cite), .src-passage a, .doc-text a').length,
        };
    }""")
    assert injected == {"scripts": 0, "images": 0, "bold": 0, "jsLinks": [], "docLinks": 0}
    assert page.dialogs == []


def test_stop_button_ends_a_streaming_answer(evil_app, page):
    open_app(page, evil_app)
    ask(page, EVIL_QUESTION)
    expect(page.locator("#chat .answer.pending")).to_be_visible(timeout=ANSWER_TIMEOUT_MS)
    page.locator("#question button.stop-button").click()
    expect(page.locator("#chat .answer.stopped")).to_contain_text("Stopped", timeout=15_000)
    expect(page.locator("#question button.stop-button")).to_have_count(0)
    # The app still answers afterwards.
    ask(page, EVIL_QUESTION)
    expect(page.locator("#chat .answer:not(.pending):not(.stopped) a.cite").first).to_be_visible(
        timeout=ANSWER_TIMEOUT_MS)


def test_a_second_user_sees_their_question_wait_while_another_answer_streams(evil_app, browser, page):
    open_app(page, evil_app)
    other = browser.new_context(viewport={"width": 1400, "height": 900}).new_page()
    try:
        open_app(other, evil_app)
        ask(page, EVIL_QUESTION)
        expect(page.locator("#chat .answer.pending .draft")).to_be_visible(timeout=ANSWER_TIMEOUT_MS)
        ask(other, "Where did the network move weapons in 2019?")
        # The other user's question shows at once, with a clear waiting state, while the first answer streams.
        expect(other.locator("#chat .q-text")).to_have_text("Where did the network move weapons in 2019?",
                                                           timeout=5_000)
        expect(other.locator("#chat .answer.pending")).to_contain_text("Waiting for the assistant", timeout=5_000)
        expect(page.locator("#chat .answer.pending")).to_be_visible()
        other.get_by_role("tab", name="Documents").click()
        expect(other.locator("#doc-viewer .doc-text")).to_contain_text("smuggling network")
        other.get_by_role("tab", name="Chat").click()
        expect(final_answer(page).locator("a.cite")).not_to_have_count(0)
        expect(final_answer(other).locator("a.cite")).not_to_have_count(0)
    finally:
        other.context.close()


@pytest.fixture(scope="module")
def quick_expiry_app(tmp_path_factory):
    """Gradio keeps a closed tab's state an hour; its own test switch makes that one second."""
    work = tmp_path_factory.mktemp("ui-expiry")
    (work / "tmp").mkdir()
    yield from started(AppServer(work, copy_corpus(work / "corpus"), TMPDIR=str(work / "tmp"),
                                 GRADIO_IS_E2E_TEST="1"))


def test_closing_the_tab_deletes_its_export(quick_expiry_app, browser):
    context = browser.new_context(accept_downloads=True)
    tab = context.new_page()
    open_app(tab, quick_expiry_app)
    ask(tab, QUESTION)
    final_answer(tab)
    with tab.expect_download():
        tab.locator("#export").click()
    [mine] = export_files(quick_expiry_app)
    context.close()
    for _ in range(60):
        if not mine.exists():
            break
        time.sleep(0.5)
    assert not mine.exists(), "a closed tab's export file must not pile up on the server"


# ----- the Documents view: the collection's documents, uploads and removal -----
SURVEY_LINES = ["Wakhan corridor field survey",
                "The survey team counted thirty-seven border posts along the Wakhan corridor in 2023.",
                "Most of the posts were staffed by fewer than ten guards."]
SURVEY_QUESTION = "How many border posts did the survey team count along the Wakhan corridor?"


@pytest.fixture(scope="module")
def editor_app(tmp_path_factory):
    """The bundled collection (report + related Factbook profiles) with uploads on, no login."""
    work = tmp_path_factory.mktemp("ui-documents")
    corpus = bundled_corpus(work / "corpus", names=None)
    yield from started(AppServer(work, corpus, seed="bundled", ASSISTANT_UPLOADS="true"))


def open_documents(page, server: AppServer):
    open_app(page, server)
    page.get_by_role("tab", name="Documents").click()
    expect(page.locator("#docs-table")).to_be_visible()


def table_rows(page):
    return page.locator("#docs-table tbody tr")


def test_documents_view_lists_the_report_and_related_sources(editor_app, page):
    open_documents(page, editor_app)
    expect(table_rows(page)).to_have_count(17, timeout=15_000)
    table = page.locator("#docs-table")
    expect(table).to_contain_text("The Next Afghan Jihad? Taliban Efforts to Contain ISKP")
    expect(table).to_contain_text("Amira Jadoon")
    for country in ("Afghanistan", "Tajikistan", "Turkmenistan", "Maldives", "Tunisia"):
        expect(table).to_contain_text(f"The World Factbook: {country}")
    expect(table).to_contain_text("Central Intelligence Agency")
    expect(table).to_contain_text("Public domain (U.S. Government work)")
    expect(page.locator("#app-header")).to_contain_text("Index: 17 documents")
    shot = screenshot(page, "documents.png")
    if os.environ.get("UPDATE_DOCS_SCREENSHOT"):
        shutil.copyfile(shot, REPO / "docs" / "documents.png")

    page.locator("#docs-table button.doc-open", has_text="The World Factbook: Tajikistan").click()
    expect(page.locator("#doc-viewer .doc-title")).to_have_text("The World Factbook: Tajikistan", timeout=15_000)
    expect(page.locator("#doc-viewer .doc-text")).to_contain_text("Capital, name: Dushanbe")


def test_an_uploaded_pdf_is_indexed_in_the_background_then_answers(editor_app, page, tmp_path):
    from assistant.corpus import read_pdf

    from fixtures.documents import make_pdf

    pdf = tmp_path / "wakhan-survey.pdf"
    pdf.write_bytes(make_pdf(SURVEY_LINES, {"/Title": "Wakhan corridor survey", "/Author": "Field Team"}))
    open_documents(page, editor_app)
    page.locator("#upload input[type=file]").set_input_files(str(pdf))
    expect(page.locator("#ingest-status .ingest-status")).to_have_attribute("data-state", "done", timeout=120_000)
    expect(page.locator("#docs-table")).to_contain_text("Wakhan corridor survey", timeout=15_000)
    expect(page.locator("#app-header")).to_contain_text("Index: 18 documents")

    page.get_by_role("tab", name="Chat").click()
    ask(page, SURVEY_QUESTION)
    answer = final_answer(page)
    expect(answer).to_contain_text("thirty-seven")
    card = page.locator("#src-1-1")
    expect(card.locator(".src-title")).to_have_text("Wakhan corridor survey")
    quote = card.locator("mark.src-quote").text_content()
    text, _ = read_pdf(pdf, pdf.read_bytes())
    assert "thirty-seven" in quote and quote in text

    # Removing it (after a confirmation) takes it out of the index again.
    page.get_by_role("tab", name="Documents").click()
    page.accept_dialogs = True
    page.locator("#remove-pick input").click()
    page.get_by_role("option", name="Wakhan corridor survey (wakhan-survey)").click()
    page.locator("#remove").click()
    expect(page.locator("#ingest-status .ingest-status")).to_have_attribute("data-state", "done", timeout=120_000)
    expect(page.locator("#docs-table")).not_to_contain_text("Wakhan corridor survey", timeout=15_000)
    expect(table_rows(page)).to_have_count(17)
    assert page.dialogs == ["Remove this document from the corpus?"]


def test_a_failed_upload_is_named_and_the_index_keeps_answering(editor_app, page, tmp_path):
    broken = tmp_path / "broken-report.pdf"
    broken.write_bytes(b"%PDF-1.4\n1 0 obj << /Type /Catalog")
    open_documents(page, editor_app)
    page.locator("#upload input[type=file]").set_input_files(str(broken))
    status = page.locator("#ingest-status .ingest-status")
    expect(status).to_contain_text("broken-report.pdf", timeout=30_000)
    expect(status).to_contain_text("corrupt or unreadable PDF")
    expect(table_rows(page)).to_have_count(17)
    page.get_by_role("tab", name="Chat").click()
    ask(page, QUESTION)
    expect(final_answer(page).locator("a.cite")).not_to_have_count(0)


def test_uploads_are_off_by_default(app, page):
    open_app(page, app)
    page.get_by_role("tab", name="Documents").click()
    expect(page.locator("#docs-table")).to_be_visible()
    expect(page.locator("#upload")).to_have_count(0)


@pytest.fixture(scope="module")
def login_app(tmp_path_factory):
    work = tmp_path_factory.mktemp("ui-editors")
    yield from started(AppServer(work, copy_corpus(work / "corpus"), ASSISTANT_UPLOADS="true",
                                 ASSISTANT_AUTH="editor:ed-pass,reader:rd-pass", ASSISTANT_EDITORS="editor"))


@pytest.mark.parametrize("user, password, can_upload", [("editor", "ed-pass", True), ("reader", "rd-pass", False)])
def test_with_login_only_editors_may_upload(login_app, page, user, password, can_upload):
    page.goto(login_app.url)
    page.get_by_label("username").fill(user)
    page.get_by_label("password").fill(password)
    page.get_by_role("button", name="Login").click()
    expect(page.locator("#question textarea")).to_be_visible(timeout=60_000)
    page.get_by_role("tab", name="Documents").click()
    expect(page.locator("#docs-table")).to_be_visible()
    expect(page.locator("#upload")).to_have_count(1 if can_upload else 0)


# ----- answers that read well, feedback, long input, phone and keyboard -----
@pytest.fixture(scope="module")
def list_app(tmp_path_factory):
    """The report, answered by a streaming fake LLM that lists its quotes ("1. ... 2. ... 3. ...")."""
    work = tmp_path_factory.mktemp("ui-lists")
    (work / "tmp").mkdir()
    yield from started(AppServer(work, copy_corpus(work / "corpus"), script="tests/conftest_ui.py",
                                 FAKE_LLM_DELAY_S="0.05", FAKE_LLM_LISTS="1", TMPDIR=str(work / "tmp")))


def visible_thumbs(page):
    return page.locator("#chat button[aria-label='Dislike']:visible")


def test_listed_answer_renders_a_list_and_thumbs_wait_for_the_finished_answer(list_app, page):
    report = REPORT.read_text(encoding="utf-8")
    open_app(page, list_app)
    ask(page, QUESTION)
    expect(page.locator("#chat .answer.pending")).to_be_visible(timeout=ANSWER_TIMEOUT_MS)
    expect(visible_thumbs(page)).to_have_count(0)  # none on an answer still being written
    answer = final_answer(page)
    expect(visible_thumbs(page)).to_have_count(1)
    items = answer.locator(".answer-text ul > li")
    expect(items).to_have_count(3)
    for text in items.all_text_contents():
        assert text.count("“") <= 1 and "[" in text  # one cited quote per item, not "1. ... 2. ..." in a line
    assert not any(t.strip()[:2] in ("1.", "2.", "3.") for t in items.all_text_contents())

    # Source cards: where the quote is (paragraph), offsets only in the tooltip; the whole passage on demand.
    card = page.locator("#src-1-1")
    meta = card.locator(".src-meta")
    expect(meta).to_contain_text("paragraph ")
    expect(meta).not_to_contain_text("chars")
    assert meta.get_attribute("title").startswith("characters ")
    window = card.locator(".src-window").inner_text()
    marks = card.locator(".src-window").evaluate(
        "el => [getComputedStyle(el, '::before').content, getComputedStyle(el, '::after').content]")
    if card.locator("button.src-expand").count():  # a cut passage says so ("…") and can be shown whole
        assert '"… "' in marks or '" …"' in marks
        card.locator("button.src-expand").click()
        expect(card.locator("button.src-expand")).to_have_text("Show less")
        expect(card.locator(".src-more").first).to_be_visible()
        whole = card.locator(".src-passage").inner_text()
        assert whole.strip() in report
        assert len(whole) > len(window.replace("…", "").strip())

    # Screen readers get the messages' text, not their HTML.
    labels = page.locator("#chat [data-testid=bot]").evaluate_all("els => els.map(e => e.getAttribute('aria-label'))")
    assert labels and all(label.startswith("Assistant's answer: ") and "<" not in label for label in labels)
    question_label = page.locator("#chat [data-testid=user]").first.get_attribute("aria-label")
    assert question_label == f"Your question: {QUESTION}"


def test_thumbs_down_records_a_reason_and_comment_and_the_export_is_clean(app, page):
    open_app(page, app)
    ask(page, QUESTION)
    final_answer(page)
    ask(page, "And in Iran?")
    final_answer(page, 2)
    page.locator("#chat button[aria-label='Dislike']").last.click()
    box = page.locator("#feedback-box")
    expect(box).to_be_visible(timeout=15_000)
    expect(box).to_contain_text("answer 2")
    box.get_by_label("Unsupported").check()
    box.locator("#feedback-comment textarea").fill("The quote does not say how many in Iran.")
    box.locator("#feedback-send").click()
    expect(page.get_by_text("feedback was saved")).to_be_visible(timeout=15_000)
    expect(box).to_be_hidden()
    entry = app.feedback_entries()[-1]
    assert (entry["rating"], entry["reason"], entry["comment"]) == (
        "down", "unsupported", "The quote does not say how many in Iran.")
    assert entry["question"] == "And in Iran?" and "Iran" in entry["standalone_question"]
    assert entry["standalone_question"] != entry["question"] and entry["session_id"]

    with page.expect_download() as download:
        page.locator("#export").click()
    exported = Path(download.value.path()).read_text(encoding="utf-8")
    assert "\\" not in exported, "no backslash escapes"
    assert exported.count("Asked 20") == 2 and "answered in " in exported
    assert f"Read as: {entry['standalone_question']}" in exported
    assert "Rating: 👎 not helpful (unsupported: “The quote does not say how many in Iran.”)" in exported
    assert "1. The Next Afghan Jihad? Taliban Efforts to Contain ISKP, Amira Jadoon" in exported
    assert "paragraph " in exported and "chars" not in exported
    with page.expect_download() as word:
        page.locator("#export-docx").click()
    assert word.value.suggested_filename.endswith(".docx")
    shutil.copyfile(Path(download.value.path()), OUTPUT / "export.md") if OUTPUT.is_dir() else None


def test_a_long_question_is_counted_and_refused_without_losing_it(app, page):
    open_app(page, app)
    box = page.locator("#question textarea")
    counter = page.locator(".q-count")
    box.fill("Which plots were foiled? ")
    expect(counter).to_contain_text("25 / 2,000 characters")
    long_question = "Which ISKP plots were foiled abroad, and where? " * 44  # 2,112 characters
    box.fill(long_question)
    expect(counter).to_contain_text(f"{len(long_question):,} / 2,000 characters")
    expect(counter).to_contain_text("too long to ask: shorten it by 112 characters")
    expect(counter).to_have_class("q-count over")
    box.press("Enter")
    page.locator("#question button.submit-button").click()
    page.wait_for_timeout(1000)
    expect(page.locator("#chat .q-text")).to_have_count(0)
    assert box.input_value() == long_question  # nothing typed is lost
    box.fill(long_question[:1990])
    expect(counter).not_to_have_class("q-count over")
    box.press("Enter")
    expect(page.locator("#chat .q-text")).to_have_count(1, timeout=15_000)


def test_keyboard_users_skip_to_the_chat_and_names_are_unique(app, page):
    open_app(page, app)
    # From the top of the page. The question box takes focus on load; wait for that, or it can land after the blur.
    expect(page.locator("#question textarea")).to_be_focused()
    page.evaluate("""() => { document.activeElement.blur(); document.body.tabIndex = -1; document.body.focus();
                             document.body.removeAttribute('tabindex'); }""")
    page.keyboard.press("Tab")
    skip = page.locator("a.skip-link")
    expect(skip).to_be_focused()
    expect(skip).to_have_text("Skip to chat")
    page.keyboard.press("Enter")
    expect(page.locator("#question textarea")).to_be_focused()
    expect(page.get_by_role("tab", name="Chat")).to_have_count(1)
    expect(page.get_by_role("tab", name="Ask")).to_have_count(0)
    expect(page.get_by_role("button", name="Ask", exact=True)).to_have_count(1)


def test_on_a_phone_the_chat_comes_first(app, browser):
    context = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True)
    phone = context.new_page()
    try:
        open_app(phone, app)
        sidebar = phone.locator("#sidebar")
        expect(sidebar).not_to_have_class(re.compile(r"\bopen\b"))
        assert phone.locator("#sidebar .sidebar-content").evaluate("el => el.inert")
        ask(phone, QUESTION)
        answer = final_answer(phone)
        chat_box = phone.locator("#chat").bounding_box()
        sources_box = phone.locator("#sources-panel").bounding_box()
        assert chat_box["y"] < sources_box["y"] and chat_box["x"] >= 0 and chat_box["width"] <= 390
        expect(answer).to_be_in_viewport()
        answer.locator("a.cite").first.tap()  # not covered by the sidebar
        expect(phone.locator("#src-1-1")).to_have_class("src-card flash")
        phone.evaluate("window.scrollTo(0, 0)")
        shot = screenshot(phone, "phone.png")
        shutil.copyfile(shot, REPO / "docs" / "phone.png")
        phone.locator("#sidebar .toggle-button").tap()  # it still opens on request
        expect(sidebar).to_have_class(re.compile(r"\bopen\b"))
        assert not phone.locator("#sidebar .sidebar-content").evaluate("el => el.inert")
    finally:
        context.close()


# ----- the team app: saved chats per user, roles, the live backend, feedback by user, evaluator view, quiz -----
TEAM_USERS = {"ann": "ann-pass", "bob": "bob-pass", "root": "root-pass"}
TITLE = title_from(QUESTION)  # a saved chat is named after its first question


@pytest.fixture(scope="module")
def team_app(tmp_path_factory):
    work = tmp_path_factory.mktemp("ui-team")
    (work / "tmp").mkdir()
    corpus = copy_corpus(work / "corpus")
    factbook.write_profiles(["af", "tx"], corpus / "related")  # the report and two related sources
    yield from started(AppServer(work, corpus, TMPDIR=str(work / "tmp"),
                                 ASSISTANT_AUTH=",".join(f"{u}:{p}" for u, p in TEAM_USERS.items()),
                                 ASSISTANT_ADMINS="root", ASSISTANT_EDITORS="ann",
                                 ASSISTANT_OPENAI_BASE_URL="http://127.0.0.1:9/v1",
                                 ASSISTANT_MODEL_PATH=str(work / "no-model.gguf")))


def sign_in(browser, server, user: str, viewport=None):
    context = browser.new_context(viewport=viewport or {"width": 1600, "height": 1000}, accept_downloads=True)
    page = context.new_page()
    page.goto(server.url)
    log_in(page, user)
    return page


def log_in(page, user: str):
    page.get_by_label("username").fill(user)
    page.get_by_label("password").fill(TEAM_USERS[user])
    page.get_by_role("button", name="Login").click()
    expect(page.locator("#question textarea")).to_be_visible(timeout=60_000)
    expect(page.locator("#user-line")).to_contain_text(f"Signed in as {user}", timeout=30_000)


def reopened(page, server: AppServer):
    """The same browser (its cookies and local storage) in a fresh tab: the old tab may be reconnecting to a
    restarted server, and reloading it then can fail ("Not attached to an active page")."""
    fresh = page.context.new_page()
    page.close()
    fresh.goto(server.url)
    return fresh


def saved_chats(page) -> list[str]:
    return [t.strip() for t in page.locator("#chat-list label").all_text_contents()]


def test_each_user_keeps_their_own_chats_across_reload_and_restart(team_app, browser):
    ann, bob = sign_in(browser, team_app, "ann"), sign_in(browser, team_app, "bob")
    try:
        expect(ann.locator("#user-line")).to_contain_text("(editor)")
        expect(bob.locator("#user-line")).to_contain_text("(reader)")
        ask(ann, QUESTION)
        final_answer(ann)
        expect(ann.locator("#chat-list")).to_contain_text(TITLE, timeout=30_000)
        ask(bob, "Who wrote the report?")
        final_answer(bob)
        expect(bob.locator("#chat-list")).to_contain_text("Who wrote the report?", timeout=30_000)
        assert saved_chats(bob) == ["Who wrote the report?"] and saved_chats(ann) == [TITLE]
        screenshot(ann, "saved-chats.png")

        ann.reload()
        expect(final_answer(ann)).to_contain_text("sixteen")  # the open chat comes back
        assert saved_chats(ann) == [TITLE]

        team_app.stop()
        team_app.start()
        ann = reopened(ann, team_app)
        log_in(ann, "ann")
        expect(final_answer(ann)).to_contain_text("sixteen")
        expect(ann.locator("#chat")).to_contain_text(QUESTION)
        assert saved_chats(ann) == [TITLE]
        ask(ann, "And in Iran?")  # the restored chat goes on: its history came back too
        expect(final_answer(ann, 2)).to_contain_text("Iran")
        shutil.copyfile(screenshot(ann, "saved-chats-restored.png"), REPO / "docs" / "saved-chats.png")

        ann.locator("#clear").click()  # a new chat; the first stays saved
        expect(ann.locator("#chat .answer")).to_have_count(0)
        ann.locator("#chat-list label").filter(has_text=TITLE).click()
        expect(ann.locator("#chat .answer:not(.pending)")).to_have_count(2, timeout=30_000)
        ann.locator("#delete-chat").click()
        expect(ann.locator("#chat-list label")).to_have_count(0, timeout=15_000)
        ann.locator("#undo-delete").click()
        expect(ann.locator("#chat-list")).to_contain_text(TITLE, timeout=15_000)
        expect(ann.locator("#chat .answer:not(.pending)")).to_have_count(2, timeout=30_000)
    finally:
        ann.context.close()
        bob.context.close()


def test_only_an_admin_changes_server_wide_settings_and_every_page_follows(team_app, browser):
    bob, root = sign_in(browser, team_app, "bob"), sign_in(browser, team_app, "root")
    ann = sign_in(browser, team_app, "ann")
    try:
        expect(root.locator("#user-line")).to_contain_text("(admin)")
        expect(bob.locator("#backend input")).to_be_disabled(timeout=15_000)
        expect(root.locator("#backend input")).to_be_enabled()
        expect(bob.locator("#chip-backend")).to_contain_text("extractive")
        root.locator("#backend input").click()
        root.get_by_role("option", name="openai").click()
        expect(root.locator("#chip-backend")).to_contain_text("openai", timeout=30_000)
        expect(bob.locator("#chip-backend")).to_contain_text("openai", timeout=30_000)  # no reload needed
        root.locator("#backend input").click()
        root.get_by_role("option", name="extractive").click()
        expect(bob.locator("#chip-backend")).to_contain_text("extractive", timeout=30_000)

        for page in (ann, bob, root):
            page.get_by_role("tab", name="Documents").click()
        expect(root.locator("#uploads-toggle")).to_be_visible(timeout=15_000)
        expect(bob.locator("#uploads-toggle")).to_be_hidden()
        expect(ann.locator("#upload")).to_be_hidden()  # uploads are off by default
        root.locator("#uploads-toggle input").check()
        expect(ann.locator("#upload")).to_be_visible(timeout=30_000)  # the editor's page follows
        expect(root.locator("#upload")).to_be_visible(timeout=30_000)
        time.sleep(2 * 3.0)  # two more polls: the reader's page still offers no upload
        expect(bob.locator("#upload")).to_be_hidden()
        root.locator("#uploads-toggle input").uncheck()
        expect(ann.locator("#upload")).to_be_hidden(timeout=30_000)
    finally:
        for page in (ann, bob, root):
            page.context.close()


def test_feedback_evaluator_view_and_a_quiz_round(team_app, browser):
    ann = sign_in(browser, team_app, "ann")
    try:
        ann.locator("#clear").click()
        ask(ann, "Who wrote the report?")
        final_answer(ann)
        ann.locator("#chat button[aria-label='Dislike']").last.click()
        box = ann.locator("#feedback-box")
        expect(box).to_be_visible(timeout=15_000)
        box.get_by_label("Incomplete").check()
        box.locator("#feedback-comment textarea").fill("Name all three authors.")
        box.locator("#feedback-send").click()
        expect(ann.get_by_text("feedback was saved")).to_be_visible(timeout=15_000)
        expect(ann.get_by_text("feedback was saved")).to_be_hidden(timeout=15_000)
        entry = team_app.feedback_entries()[-1]
        assert (entry["user"], entry["rating"], entry["reason"], entry["comment"]) == (
            "ann", "down", "incomplete", "Name all three authors.")
        assert entry["conversation_id"] and entry["turn_id"] and entry["backend"] == "extractive"

        ann.locator("#evaluator-toggle input").check()
        panel = ann.locator("#evaluator")
        expect(panel).to_contain_text("BM25", timeout=15_000)
        expect(panel.locator("table.ev-passages tbody tr")).not_to_have_count(0)
        expect(panel.locator("table.ev-timings")).to_contain_text("retrieve")
        expect(panel).to_contain_text("generation")
        panel.scroll_into_view_if_needed()
        shutil.copyfile(screenshot(ann, "evaluator.png"), REPO / "docs" / "evaluator.png")

        ann.get_by_role("tab", name="Start here").click()
        expect(ann.locator("#start-here .sh-doc")).not_to_have_count(0)
        expect(ann.locator("#start-here")).to_contain_text("The Next Afghan Jihad?")
        expect(ann.locator("#start-here")).to_contain_text("The World Factbook: Afghanistan")
        expect(ann.locator("#start-here")).to_contain_text("Main sections: Introduction · Geography")
        shutil.copyfile(screenshot(ann, "start-here.png"), REPO / "docs" / "start-here.png")

        ann.get_by_role("tab", name="Quiz").click()
        ann.locator("#quiz-start").click()
        question = ann.locator("#quiz-question .quiz-q p").nth(1)
        expect(question).to_contain_text("_____", timeout=15_000)
        ann.locator("#quiz-answer textarea").fill(blank_answer(question.text_content()))
        ann.locator("#quiz-check").click()
        expect(ann.locator("#quiz-result")).to_contain_text("✓ Right", timeout=15_000)
        expect(ann.locator("#quiz-total")).to_contain_text("1 of 1")
        ann.locator("#quiz-next").click()
        expect(ann.locator("#quiz-question")).to_contain_text("Question 2")
        ann.locator("#quiz-answer textarea").fill("I do not know")
        ann.locator("#quiz-check").click()
        expect(ann.locator("#quiz-result")).to_contain_text("Not quite", timeout=15_000)
        expect(ann.locator("#quiz-result blockquote")).not_to_be_empty()
        expect(ann.locator("#quiz-total")).to_contain_text("1 of 2")
    finally:
        ann.context.close()


def blank_answer(question: str) -> str:
    """What fills a fill-in-the-blank question's gap, read from the report itself (as a newcomer would look it up)."""
    clue = question.split(": ", 1)[1].strip().strip('"“”')
    before, after = clue.split("_____", 1)
    report = REPORT.read_text(encoding="utf-8")
    found = re.search(re.escape(before[-60:]) + r"(.+?)" + re.escape(after[:40]), report, re.S)
    assert found, clue
    return found.group(1)
