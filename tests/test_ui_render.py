"""The chat app's HTML/Markdown rendering and Blocks construction, without a browser."""
from __future__ import annotations

import html
import re

import pytest

from assistant.answer import ABSTAIN_TEXT, Answer
from assistant.citations import Citation
from assistant.corpus import DocMeta
from assistant.retrieval import Passage
from assistant.webapp.app import build_app, parse_auth, usable_backends
from assistant.webapp.render import (
    Turn,
    answer_html,
    chat_messages,
    context_window,
    document_html,
    esc,
    export_markdown,
    intro_html,
    lead_sentences,
    plain_text,
    sources_html,
)

from conftest_ui import CORPUS
from fixtures.corpus import copy_corpus

EVIL = "Moved <script>alert(1)</script> via [click](javascript:alert(2)) and ${alert(3)} {{x}} $$y$$ <img src=x onerror=alert(4)>."
DOC = "Title line\n\nFirst paragraph sentence one. " + EVIL + " Closing sentence here.\n\nNext paragraph."


def evil_answer() -> tuple[Answer, Citation]:
    start = DOC.index(EVIL)
    citation = Citation(n=1, doc_id="evil", title="T <b>x</b>", section="S [a](javascript:b)", page=3,
                        quote=EVIL, start=start, end=start + len(EVIL), url="javascript:alert(5)",
                        authors="<i>A</i>", date="2020")
    passage = Passage(doc_id="evil", title="T", section="S", page=3, start=0, end=len(DOC), text=DOC,
                      chunk_ids=["c"], score=1.0, similarity=0.9, n=1)
    answer = Answer(question="q <b>?</b>", standalone_question="q", text=f'It says "{EVIL}" [1] [7].',
                    abstained=False, citations=[citation], passages=[passage], backend="extractive",
                    model="none", timings_ms={"total": 12.0})
    return answer, citation


def no_live_markup(html: str) -> None:
    lowered = html.lower()
    for bad in ("<script", "<img", "<b>", "<i>", "javascript:", "](", "${", "{{", "$$"):
        assert bad not in lowered, bad


def test_esc_neutralises_html_markdown_and_templates():
    out = esc(EVIL)
    no_live_markup(out)
    assert "&lt;script&gt;" in out and "&#91;click&#93;" in out


def test_answer_html_links_only_known_markers_and_escapes_text():
    answer, _ = evil_answer()
    html = answer_html(2, answer)
    assert html.count('class="cite"') == 1 and 'href="#src-2-1"' in html
    assert "[7]" not in html and "&#91;7&#93;" in html  # unknown marker stays inert text
    assert "\n" not in html  # one HTML block: Markdown never sees document text
    no_live_markup(html.replace('href="#src-2-1"', ""))


def test_sources_panel_shows_quote_in_passage_with_metadata():
    answer, citation = evil_answer()
    html = sources_html([Turn("q <b>?</b>", answer)], lambda doc_id: DOC)
    no_live_markup(html)
    assert 'id="src-1-1"' in html and "✓ verbatim" in html
    assert f'<mark class="src-quote">{esc(EVIL)}</mark>' in html
    assert esc("First paragraph sentence one.") in html and esc("Closing sentence here.") in html
    assert "Title line" not in html  # only the surrounding paragraph
    assert "p. 3" in html and esc("Section: S [a](javascript:b)") in html
    assert "<a " not in html  # the javascript: URL is not linked


def test_abstained_turn_shows_no_sources():
    answer = Answer(question="q", standalone_question="q", text=ABSTAIN_TEXT, abstained=True)
    html = sources_html([Turn("q", answer)], lambda doc_id: DOC)
    assert "No sources" in html and "src-card" not in html
    assert 'class="answer abstained"' in answer_html(1, answer)


def test_context_window_stays_inside_the_passage():
    _, citation = evil_answer()
    passage = Passage(doc_id="evil", title="T", section="S", page=None, start=DOC.index("First"),
                      end=DOC.index("Next") - 2, text="", chunk_ids=[], score=0, similarity=0)
    start, end = context_window(DOC, citation, [passage])
    assert (start, end) == (passage.start, passage.end)


def test_document_view_marks_spans_and_the_active_one():
    meta = DocMeta("evil", "T <b>", ["<i>A</i>"], "2020", "https://example.org/x", "CC", "evil.txt")
    _, citation = evil_answer()
    other = (DOC.index("Next"), DOC.index("Next") + 4)
    html = document_html(meta, DOC, [other, (citation.start, citation.end)], (citation.start, citation.end))
    no_live_markup(html.replace('href="https&#58;//example.org/x"', ""))
    assert html.count("<mark") == 2 and html.count('id="doc-active"') == 1
    assert re.search(r'<mark class="cited active" id="doc-active">' + re.escape(esc(EVIL)), html)
    assert 'href="https&#58;//example.org/x"' in html


def test_chat_messages_two_per_turn_and_pending_last():
    answer, _ = evil_answer()
    turns = [Turn("a", answer), Turn("b")]
    messages = chat_messages(turns, pending="<div>wait</div>")
    assert [m["role"] for m in messages] == ["user", "assistant", "user", "assistant"]
    assert messages[-1]["content"] == "<div>wait</div>"
    no_live_markup(messages[0]["content"])


def test_copy_and_export_carry_citations():
    answer, citation = evil_answer()
    text = plain_text(answer)
    assert "Sources:" in text and EVIL in text
    exported = export_markdown([Turn("Why <b>?</b>", answer, rating="up")], "extractive", "none")
    assert "## Q1. Why \\<b\\>?\\</b\\>" in exported
    assert "\\[click\\](javascript:alert(2))" in exported  # rendered, it is text, not a link
    assert "javascript:alert(5)" not in exported  # unsafe URL left out


def test_intro_lists_documents_with_a_summary():
    meta = DocMeta("d", "Title <x>", ["Ann Author"], "2024-01-01")
    text = (CORPUS / "the-next-afghan-jihad.txt").read_text(encoding="utf-8")
    summary = lead_sentences(text)
    assert summary.startswith("Since the Taliban takeover of Afghanistan in 2021")
    html = intro_html([meta], {"d": summary})
    assert "Title &lt;x&gt;" in html and "Ann Author" in html and esc(summary) in html


def test_parse_auth():
    assert parse_auth("") is None
    assert parse_auth("a:b, c:d:e") == [("a", "b"), ("c", "d:e")]
    with pytest.raises(ValueError):
        parse_auth("nopassword")


@pytest.fixture(scope="module")
def engine_with_missing_model(tmp_path_factory):
    from assistant.engine import Engine
    from assistant.settings import Settings

    work = tmp_path_factory.mktemp("ui-render")
    settings = Settings.load(corpus_dir=copy_corpus(work / "corpus"), index_dir=work / "index", backend="local",
                             model_path=str(work / "missing.gguf"), feedback_path=work / "feedback.jsonl")
    return Engine(settings)


def test_build_app_shows_index_status_and_backend_notices(engine_with_missing_model):
    engine = engine_with_missing_model
    demo = build_app(engine, engine.settings)
    blocks = {getattr(b, "elem_id", None): b for b in demo.blocks.values()}
    def text(elem_id):
        return html.unescape(blocks[elem_id].value)
    assert "Index: 1 document" in text("app-header")
    assert "Backend: extractive" in text("app-header")
    assert blocks["notices"].visible and "Local model unavailable" in text("notices")
    assert blocks["backend"].value == "extractive"
    assert "extractive" in usable_backends(engine.settings, "extractive")
    config = demo.get_config_file()
    api_names = {d.get("api_name") for d in config["dependencies"] if d.get("api_visibility") == "public"}
    assert api_names == {"ask", "documents"}


def test_the_latency_shown_counts_the_wait_for_a_turn():
    answer, _ = evil_answer()
    answer.timings_ms = {"total": 5700.0, "queue_wait": 2600.0}
    assert esc("5.7 s (2.6 s waiting for a turn)") in answer_html(1, answer)
    answer.timings_ms = {"total": 3100.0, "queue_wait": 20.0}
    html = answer_html(1, answer)
    assert "3.1 s" in html and "waiting" not in html
