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
from assistant.webapp.export import export_markdown
from assistant.webapp.render import (
    Turn,
    answer_html,
    chat_messages,
    context_window,
    document_html,
    esc,
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
    window = re.search(r'<span class="src-window[^"]*">(.*?)</span>', html).group(1)
    assert esc("First paragraph sentence one.") in window and esc("Closing sentence here.") in window
    assert "Title line" not in window  # the surrounding paragraph shows...
    hidden = re.findall(r'<span class="src-more" hidden>(.*?)</span>', html, re.S)
    assert hidden == [esc("Title line\n\n"), esc("\n\nNext paragraph.")]  # ...the rest of the passage on demand
    assert 'class="src-expand"' in html and "…" not in html  # no silent cut: "…" only by CSS while folded
    meta = re.search(r'<div class="src-meta" title="([^"]*)">(.*?)</div>', html)
    assert meta.group(2) == esc("<i>A</i> · 2020 · S [a](javascript:b) · p. 3 · paragraph 2")
    assert meta.group(1) == f"characters {citation.start:,}–{citation.end:,}"  # offsets only in the tooltip
    assert f'data-start="{citation.start}" data-end="{citation.end}"' in html
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
                             model_path=str(work / "missing.gguf"), data_dir=work / "data")
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


def listed_answer() -> tuple[Answer, str]:
    doc = ("Plots\n\nSince 2015, foreign law enforcement has interdicted at least sixteen ISKP plots: three in India, "
           "four in Iran, three in Germany.\n\nThe model Q4_K_M [draft] was used.")
    quote = doc[doc.index("Since"):doc.index(" Germany.") + 9]
    start = doc.index(quote)
    citation = Citation(n=1, doc_id="r", title="The Report", section="Foiled plots", page=7, quote=quote,
                        start=start, end=start + len(quote), url="https://example.org/r", authors="A. Author",
                        date="2024")
    answer = Answer(question="And abroad?", standalone_question="Where were ISKP plots foiled abroad?",
                    text="Plots were foiled in three countries [1]:\n- Three in India [1].\n- Four in Iran [1].\n"
                         "- Three in Germany [1].\n\nThe Q4_K_M model wrote this [1].",
                    abstained=False, citations=[citation], backend="local", model="qwen-1.5b-Q4_K_M",
                    timings_ms={"total": 3100.0})
    return answer, doc


def test_an_answer_whose_sentences_are_list_items_renders_a_list():
    answer, _ = listed_answer()
    html = answer_html(1, answer)
    assert "<p>Plots were foiled in three countries " in html
    items = re.findall(r"<li>(.*?)</li>", re.search(r"<ul>(.*?)</ul>", html).group(1))
    assert [re.sub(r"<[^>]+>", "", i) for i in items] == ["Three in India [1].", "Four in Iran [1].",
                                                         "Three in Germany [1]."]
    assert all('class="cite"' in i for i in items) and "\n" not in html
    numbered = answer_html(1, Answer(question="q", standalone_question="q", text="Phases:\n1. First.\n2. Second.",
                                     abstained=False))
    assert "<ol><li>First.</li><li>Second.</li></ol>" in numbered


def test_markdown_export_is_clean_and_carries_times_ratings_rewrites_and_locations():
    from markdown_it import MarkdownIt

    answer, doc = listed_answer()
    turn = Turn("And abroad?", answer, rating="down", reason="incomplete", comment="Name all seven countries")
    unanswered = Turn("Who funds it?", error="Stopped before the answer was finished.")
    exported = export_markdown([turn, unanswered], "local", "qwen-1.5b-Q4_K_M", doc_text_of=lambda doc_id: doc)
    assert "\\" not in exported  # no backslash escapes in ordinary text: Q4_K_M, [1]
    assert "Q4_K_M" in exported and "[1]" in exported
    assert re.search(r"Asked 20\d\d-\d\d-\d\d \d\d:\d\d:\d\d UTC · answered in 3\.1 s · local · qwen", exported)
    assert "Read as: Where were ISKP plots foiled abroad?" in exported
    assert "Rating: 👎 not helpful (incomplete: “Name all seven countries”)" in exported
    assert "1. The Report, A. Author, 2024, Foiled plots, p. 7, paragraph 2 <https://example.org/r>" in exported
    assert "## Q2. Who funds it?" in exported and "No answer: Stopped before" in exported
    tokens = MarkdownIt("commonmark").parse(exported)
    kinds = [t.type for t in tokens if t.type.endswith("_open")]
    assert kinds.count("bullet_list_open") == 1 and kinds.count("list_item_open") == 3 + 1  # answer list, 1 source
    assert [t.content for t in tokens if t.type == "inline"][6:9] == [
        "Three in India [1].", "Four in Iran [1].", "Three in Germany [1]."]


def test_docx_export_holds_the_same_conversation(tmp_path):
    import docx

    from assistant.webapp.export import export_docx

    answer, doc = listed_answer()
    path = export_docx([Turn("And abroad?", answer, rating="up")], "local", "m", tmp_path / "c.docx",
                       doc_text_of=lambda doc_id: doc)
    paragraphs = [(p.style.name, p.text) for p in docx.Document(str(path)).paragraphs]
    assert ("Heading 1", "Q1. And abroad?") in paragraphs
    assert ("List Bullet", "Four in Iran [1].") in paragraphs
    assert ("Quote", answer.citations[0].quote) in paragraphs
    assert any(text.startswith("[1] The Report, A. Author, 2024, Foiled plots, p. 7, paragraph 2") for _, text in paragraphs)
    assert ("Normal", "Rating: 👍 helpful") in paragraphs
