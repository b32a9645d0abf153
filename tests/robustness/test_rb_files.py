"""Hostile sources in what the project writes and shows: JSONL line breaks, Markdown structure in exports, bidi and
zero-width characters on screen, numbers written with look-alikes, and SIGTERM leaving temp files behind."""
from __future__ import annotations

import json
import os
import signal

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from markdown_it import MarkdownIt

from assistant import jsonl
from assistant.answer import Answer
from assistant.citations import Citation, support_score, verify
from assistant.corpus import DocMeta
from assistant.keyfacts import numbers, unsupported
from assistant.retrieval import Passage
from assistant.textutil import fold_digits, for_display, words
from assistant.webapp.export import export_markdown, md_text
from assistant.webapp.render import Turn, answer_blocks, answer_html, document_html, plain_text, sources_html

# ----- 1. JSONL: every line separator escaped on write; lines split on "\n" only on read -----
SEPARATORS = {"LF": "\n", "CR": "\r", "CRLF": "\r\n", "VT": "\x0b", "FF": "\x0c", "FS": "\x1c", "GS": "\x1d",
              "RS": "\x1e", "NEL": "\x85", "LS": "\u2028", "PS": "\u2029"}


def splitlines_breaks(text: str) -> list[str]:
    return [ch for ch in text if len(f"a{ch}b".splitlines()) > 1]


@pytest.mark.parametrize("name", SEPARATORS)
def test_a_jsonl_line_holds_no_line_break_of_any_reader(name):
    value = f"before{SEPARATORS[name]}after \ud800 lone surrogate"
    line = jsonl.dumps({"text": value})
    assert splitlines_breaks(line) == [] and len(line.splitlines()) == 1
    assert json.loads(line) == {"text": value}
    line.encode("utf-8")  # writable as UTF-8


def answer_with(text: str, question: str) -> Answer:
    citation = Citation(n=1, doc_id="doc", title=f"Title{text}", section="", page=None, quote=f"quote{text}end",
                        start=0, end=9 + len(text))
    return Answer(question=question, standalone_question=question, text=f"Answer{text}line [1]", abstained=False,
                  citations=[citation], backend="extractive", model="none")


@pytest.mark.parametrize("name", SEPARATORS)
def test_feedback_with_line_separators_imports_every_rating(name, tmp_path, capsys):
    from assistant import feedback
    from assistant.cli import main as assistant_main

    sep = SEPARATORS[name]
    path = tmp_path / "feedback.jsonl"
    questions = [f"How many plots{sep}in India?", f"Who wrote{sep}the report?", f"When was it{sep}published?"]
    for question, rating in zip(questions, ["up", "down", "up"]):
        feedback.record(path, answer_with(sep, question), rating, session_id="s", comment=f"c{sep}d")
    with open(path, "a", encoding="utf-8") as handle:
        handle.write("{not json\n")
    out = tmp_path / "candidates.jsonl"
    code = assistant_main(["eval", "import-feedback", str(path), "--out", str(out),
                           "--golden", str(tmp_path / "none.jsonl")])
    printed = capsys.readouterr()
    assert code == 0
    assert "3 feedback entries -> 3 candidates" in printed.out
    assert printed.err.strip().splitlines() == [f"warning: {path}:4: skipped, not valid JSON (Expecting property "
                                                "name enclosed in double quotes)"]
    raw_out = out.read_text(encoding="utf-8")
    assert raw_out.count("\n") == 3 and len(raw_out.splitlines()) == 3  # also safe for splitlines() readers
    candidates = jsonl.read(out)
    assert [c["feedback"]["lines"] for c in candidates] == [[1], [2], [3]]
    assert [c["question"] for c in candidates] == [" ".join(q.split()) for q in questions]
    assert all(c["feedback"]["comments"] == [f"c{sep}d"] for c in candidates)  # text kept exactly
    assert candidates[1]["bad_answer"] == f"Answer{sep}line"


def test_feedback_written_before_the_fix_still_reads_by_line(tmp_path):
    """Old files hold U+2028/U+2029/U+0085 raw: valid JSON, only a splitlines() reader broke them."""
    from assistant.eval.feedback import read_feedback

    path = tmp_path / "old.jsonl"
    rows = [{"rating": "up", "question": f"Q{i}{sep}?", "answer": f"a{sep}b"} for i, sep in
            enumerate(["\u2028", "\u2029", "\x85"])]
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows) + "oops\n", encoding="utf-8")
    entries, warnings = read_feedback(path)
    assert [e["_line"] for e in entries] == [1, 2, 3] and [e["answer"] for e in entries] == [r["answer"] for r in rows]
    assert warnings == [f"{path}:4: skipped, not valid JSON (Expecting value)"]


def test_golden_set_lines_are_counted_like_the_writer(tmp_path):
    from assistant.eval.golden import GoldenError, load_golden

    path = tmp_path / "golden.jsonl"
    cases = [{"id": f"c{i}", "question": f"Q{sep}{i}?", "answer": f"x{sep}y", "answerable": False}
             for i, sep in enumerate(["\u2028", "\x85", "\u2029"])]
    path.write_text("\ufeff" + "".join(json.dumps(c, ensure_ascii=False) + "\n" for c in cases), encoding="utf-8")
    assert [(c.id, c.line, c.answer) for c in load_golden(path)] == [(c["id"], i, c["answer"])
                                                                      for i, c in enumerate(cases, start=1)]
    jsonl.write(path, cases + [{"id": "c0", "question": "again?"}])
    with pytest.raises(GoldenError, match=r"golden.jsonl:4: duplicate id 'c0' \(first on line 1\)"):
        load_golden(path)


@settings(max_examples=200, deadline=None)
@given(st.lists(st.text(), min_size=1, max_size=5))
def test_jsonl_roundtrip_keeps_records_and_count(tmp_path_factory, texts):
    path = tmp_path_factory.mktemp("jsonl") / "records.jsonl"
    records = [{"t": t} for t in texts]
    jsonl.write(path, records[:1])
    for record in records[1:]:
        jsonl.append(path, record)
    assert jsonl.read(path) == records
    assert [n for n, _ in jsonl.read_lines(path)] == list(range(1, len(records) + 1))


# ----- 2. Markdown export: document, model and user text never becomes structure -----
STRUCTURE = {
    "setext heading": "Plots\n===\nfoiled",
    "setext h2 / rule": "Plots\n---\nfoiled",
    "ordered list": "the plots:\n1. India\n2. Iran",
    "ordered list paren": "the plots:\n1) India",
    "list at start": "1. India and Iran",
    "bullet list": "the plots:\n- India\n+ Iran\n* Turkey",
    "atx heading": "foiled\n# Heading\n## Sub",
    "heading at start": "# Heading",
    "blockquote": "foiled\n> quoted",
    "fenced code": "foiled\n```\ncode()\n```",
    "inline code": "run `rm -rf` now",
    "indented code": "foiled\n\n    indented code",
    "leading spaces": "    indented at start",
    "table": "| a | b |\n|---|---|\n| 1 | 2 |",
    "html block": "foiled\n<div onclick=x>block</div>",
    "html inline": "a <b>bold</b> <script>x()</script> word",
    "html comment": "a <!-- hidden --> word",
    "link": "see [the report](http://evil.example/x) here",
    "image": "see ![img](http://evil.example/i.png)",
    "autolink": "see <http://evil.example/x> here",
    "reference definition": "[ref]: http://evil.example\n[ref]",
    "emphasis": "*very* _much_ **so** __too__",
    "strikethrough": "~~struck~~ text",
    "thematic break": "foiled\n***\nmore",
    "entity": "&lt;b&gt; &amp; &#x202E;",
    "hard break": "line one  \nline two\\\nthree",
    "unicode line separators": "foiled\u2028# Heading\u20291. item\x85> quote",
    "trailing hashes": "title ##",
    "templates and maths": "${x} {{y}} $$z$$ ^sup^",
}
DOC_URL = "https://example.org/report"
MD = MarkdownIt("commonmark").enable(["table", "strikethrough"])
STRUCTURE_TOKENS = {"heading_open", "bullet_list_open", "ordered_list_open", "list_item_open", "blockquote_open",
                    "code_block", "fence", "html_block", "hr", "table_open"}
INLINE_ALLOWED = {"text", "softbreak", "hardbreak", "strong_open", "strong_close", "link_open", "link_close"}


def shown(text: str) -> str:
    """A piece of text as the export should show it: on one line, as displayed."""
    return " ".join(for_display(text).split())


def hostile_turn(pattern: str) -> Turn:
    doc = f"Report text.\n\nFirst {pattern} last.\n\nMore text."
    quote = f"First {pattern} last."
    start = doc.index(quote)
    citation = Citation(n=1, doc_id="d", title=f"Title {pattern}", section=f"Section {pattern}", page=2, quote=quote,
                        start=start, end=start + len(quote), url=DOC_URL, authors=f"Ann {pattern}", date="2024")
    assert verify(citation, doc)
    answer = Answer(question=f"Q {pattern}", standalone_question="q", abstained=False, citations=[citation],
                    text=f"It says {pattern} [1].\n\nSecond paragraph {pattern}.", backend="extractive", model="none")
    return Turn(f"Why {pattern}?", answer)


def inline_text(token) -> str:
    return "".join(child.content if child.type == "text" else " " for child in token.children)


@pytest.mark.parametrize("name", STRUCTURE)
def test_export_shows_document_text_without_its_structure(name):
    pattern = STRUCTURE[name]
    turn = hostile_turn(pattern)
    exported = export_markdown([turn], "extractive", f"model {pattern}", title=f"Collection {pattern}")
    tokens = MD.parse(exported)
    structure = [t.type for t in tokens if t.type in STRUCTURE_TOKENS]
    blocks = answer_blocks(turn.answer.text)  # the answer's own paragraphs and lists are kept, nothing else
    answer_lists = [t for kind, items in blocks if kind != "p"
                    for t in [f"{'bullet' if kind == 'ul' else 'ordered'}_list_open"] + ["list_item_open"] * len(items)]
    assert structure == ["heading_open", "heading_open", *answer_lists, "ordered_list_open", "list_item_open",
                         "blockquote_open"]
    inline = [c for t in tokens if t.type == "inline" for c in t.children]
    assert {c.type for c in inline} <= INLINE_ALLOWED
    assert [c.attrs["href"] for c in inline if c.type == "link_open"] == [DOC_URL]  # the manifest URL only
    # ...and it still reads as the text itself
    texts = [inline_text(t) for t in tokens if t.type == "inline"]
    sources_at = texts.index(" Sources ")
    citation = turn.answer.citations[0]
    assert texts[0] == f"{shown(f'Collection {pattern}')}: conversation"
    assert texts[2] == f"Q1. {shown(turn.question)}"
    assert texts[3].startswith("Asked ") and texts[4] == "Read as: q"
    assert shown(" ".join(texts[5:sources_at])) == shown(" ".join(line for _, lines in blocks for line in lines))
    assert texts[-2].startswith(shown(f"{citation.title}, {citation.authors}, 2024, {citation.section}, p. 2"))
    assert texts[-1] == shown(citation.quote)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.sampled_from(list("#>-+=*_`~|<>![]()\\&$:.1) \n\t\u2028x") + ["    ", "```", "1. ", "&lt;"]),
               max_size=40).map("".join) | st.text(max_size=60))
def test_any_text_exported_renders_as_itself(text):
    tokens = MD.parse(f"   > {md_text(text)}\n")
    assert [t.type for t in tokens if t.type in STRUCTURE_TOKENS] == ["blockquote_open"]
    assert "".join(inline_text(t) for t in tokens if t.type == "inline") == shown(text)


# ----- 3. Bidi controls and zero-width characters: gone from what is shown, kept in what is stored -----
INVISIBLE = {"LRE": "\u202a", "RLE": "\u202b", "PDF": "\u202c", "LRO": "\u202d", "RLO": "\u202e", "LRI": "\u2066",
             "RLI": "\u2067", "FSI": "\u2068", "PDI": "\u2069", "LRM": "\u200e", "RLM": "\u200f", "ALM": "\u061c",
             "ZWSP": "\u200b", "ZWNJ": "\u200c", "ZWJ": "\u200d", "WJ": "\u2060", "BOM": "\ufeff", "MVS": "\u180e",
             "ESC": "\x1b", "TAG": "\U000e0041"}


def invisible_case(ch: str):
    doc = f"Title line\n\nThe cell{ch} stored 47 rif{ch}les near Ter{ch}mez.{ch} Officers said so.\n\nEnd."
    quote = f"The cell{ch} stored 47 rif{ch}les near Ter{ch}mez.{ch}"
    start = doc.index(quote)
    citation = Citation(n=1, doc_id="d", title=f"Cache{ch} report", section=f"Sec{ch}tion", page=None, quote=quote,
                        start=start, end=start + len(quote), authors=f"Ann{ch} Author",
                        url=f"https://example.org/{ch}evil.com")
    passage = Passage(doc_id="d", title="Cache report", section="", page=None, start=0, end=len(doc), text=doc,
                      chunk_ids=["c"], score=1.0, similarity=0.9, n=1)
    answer = Answer(question=f"How many rifles{ch}?", standalone_question="q", text=f"“{quote}” [1]{ch}",
                    abstained=False, citations=[citation], passages=[passage], backend="extractive", model="none")
    return doc, citation, answer


@pytest.mark.parametrize("name", INVISIBLE)
def test_invisible_characters_are_not_displayed_but_stay_in_the_text(name):
    ch = INVISIBLE[name]
    doc, citation, answer = invisible_case(ch)
    before = (doc, citation.quote, citation.start, citation.end)
    meta = DocMeta("d", f"Cache{ch} report", [f"Ann{ch}"], "2024")
    outputs = {
        "answer": answer_html(1, answer),
        "sources": sources_html([Turn(answer.question, answer)], lambda doc_id: doc),
        "viewer": document_html(meta, doc, [(citation.start, citation.end)], (citation.start, citation.end)),
        "export": export_markdown([Turn(answer.question, answer)], "extractive", "none"),
        "display": for_display(plain_text(answer)),
    }
    for where, out in outputs.items():
        assert ch not in out, where
        assert "rifles" in out and "Termez" in out, where
    assert "example.org" not in outputs["sources"] + outputs["export"]  # a URL hiding characters is not linked
    assert (doc, citation.quote, citation.start, citation.end) == before and verify(citation, doc)
    assert '<mark class="cited active" id="doc-active">The cell stored 47 rifles near Termez.</mark>' \
        in outputs["viewer"]


@pytest.mark.parametrize("text, shown_as", [
    ("\u0645\u06cc\u200c\u062e\u0648\u0627\u0647\u0645", "\u0645\u06cc\u200c\u062e\u0648\u0627\u0647\u0645"),  # Persian
    ("\U0001f468\u200d\U0001f469\u200d\U0001f467", "\U0001f468\u200d\U0001f469\u200d\U0001f467"),  # emoji family
    ("pay\u200dpal and \u200cx", "paypal and x"),
    ("a\r\nb\rc\u2028d\x85e", "a\nb\nc\nd\ne"),
    ("\x1b]0;title\x07red \x1b[31mtext", "]0;titlered [31mtext"),
])
def test_joiners_stay_where_a_script_needs_them_and_breaks_become_newlines(text, shown_as):
    assert for_display(text) == shown_as


@pytest.fixture(scope="module")
def display_engine(tmp_path_factory):
    """A real extractive engine over one document full of display tricks."""
    from assistant.engine import Engine

    from rb_support import settings_for

    base = tmp_path_factory.mktemp("rb-files")
    corpus = base / "corpus"
    corpus.mkdir()
    (corpus / "display-tricks.txt").write_text(
        "Display tricks in field reports\n\n"
        "Field officers wrote this short report about a weapons cache found in northern Afghanistan in spring.\n\n"
        "The Khorasan\u200b cell\u202e stored 47 rifles in a warehouse near the river port of Termez, "
        "officers said.\n\n"
        "The rifles were moved\n1. by truck\n===\n# to <b>Kunduz</b> and [the depot](http://e.com) | in crates "
        "```x``` by night.\n", encoding="utf-8")
    engine = Engine(settings_for(corpus, base / "index"))
    engine.ensure_index()
    return engine


def test_engine_answer_keeps_raw_quote_and_shows_it_clean(display_engine):
    answer = display_engine.ask("How many rifles did the Khorasan cell store near Termez?")
    doc = display_engine.document("display-tricks")[1]
    assert answer.citations and all(verify(c, doc) for c in answer.citations)
    assert "\u202e" in answer.citations[0].quote and "\u200b" in answer.citations[0].quote  # stored exactly
    turn = Turn(answer.question, answer)
    for out in (answer_html(1, answer), sources_html([turn], lambda doc_id: doc),
                export_markdown([turn], "extractive", "none")):
        assert "\u202e" not in out and "\u200b" not in out and "47 rifles" in out


def test_engine_answer_exports_without_structure(display_engine):
    answer = display_engine.ask("How were the rifles moved to Kunduz?")
    assert answer.citations and "\n1. by truck\n===\n# to <b>" in answer.citations[0].quote
    tokens = MD.parse(export_markdown([Turn(answer.question, answer)], "extractive", "none"))
    assert [t.type for t in tokens if t.type in STRUCTURE_TOKENS] == [
        "heading_open", "heading_open", "ordered_list_open", "list_item_open", "blockquote_open"]
    assert {c.type for t in tokens if t.type == "inline" for c in t.children} <= INLINE_ALLOWED - {"link_open"}
    assert inline_text([t for t in tokens if t.type == "inline"][-1]) == shown(answer.citations[0].quote)


# ----- 4. Numbers written with look-alikes read as the same numbers -----
@pytest.mark.parametrize("written, ascii_", [
    ("2О24", "2024"),  # Cyrillic capital O
    ("2о24", "2024"),  # Cyrillic small o
    ("2Ο24", "2024"),  # Greek capital omicron
    ("2ο24", "2024"),  # Greek small omicron
    ("2ОО plots", "200 plots"),  # two in a row
    ("ООО7", "0007"),
    ("1,ООО km", "1,000 km"),
    ("٢٠١٥", "2015"),  # Arabic-Indic
    ("۲۰۱۵", "2015"),  # Extended Arabic-Indic (Persian)
    ("२०१५", "2015"),  # Devanagari
    ("２０１５", "2015"),  # full-width
    ("𝟐𝟎𝟏𝟓", "2015"),  # mathematical bold
    ("𝟤𝟢𝟣𝟧", "2015"),  # mathematical sans-serif
    ("٢0١5", "2015"),  # mixed scripts
    ("٢٫٥ million", "2.5 million"),  # Arabic decimal separator
    ("١٬٣٥٧ km", "1,357 km"),  # Arabic thousands separator
    ("2015³ since", "2015 since"),  # a footnote mark is not part of the year
])
def test_look_alike_numbers_read_as_ascii_ones(written, ascii_):
    assert numbers(written) >= numbers(ascii_) and numbers(ascii_)
    assert unsupported(f"ISKP foiled {ascii_} plots [1].", [f"ISKP foiled {written} plots"]) == []
    assert fold_digits(written).split()[0] == ascii_.split()[0]


@pytest.mark.parametrize("text, folded", [
    ("Оно 2", "Оно 2"),  # a Cyrillic word is not a number
    ("к2О", "к2О"),  # nor an O inside a Cyrillic word
    ("No1", "No1"),  # Latin O is never read as 0
    ("CO₂", "CO₂"),  # a subscript after a letter is left alone
    ("ΟΟ", "ΟΟ"),  # no digit, no number
])
def test_letters_next_to_digits_stay_letters(text, folded):
    assert fold_digits(text) == folded


def test_matching_and_search_terms_see_the_same_number():
    assert words("In 2О24 there were ٣ plots") == words("In 2024 there were 3 plots")
    assert support_score("3 plots in 2024", "٣ plots in 2О24") == 1.0
    assert unsupported("Nine plots were foiled in 2024 [1].", ["foiled ٣ plots in 2О24"]) == ["number 9"]


# ----- 5. SIGTERM removes the app's export folder, as Ctrl-C does -----
def test_sigterm_removes_the_export_folder(tmp_path):
    from conftest_ui import AppServer

    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "note.txt").write_text("A short note\n\nThe cell stored 47 rifles near Termez in the spring.\n",
                                     encoding="utf-8")
    temp = tmp_path / "tmp"
    temp.mkdir()
    server = AppServer(tmp_path, corpus, TMPDIR=str(temp)).start()
    try:
        exports = list(temp.glob("*-exports-*"))
        assert len(exports) == 1 and exports[0].is_dir()
        (exports[0] / "tab").mkdir()
        (exports[0] / "tab" / "conversation.md").write_text("# exported\n", encoding="utf-8")
        os.killpg(server.proc.pid, signal.SIGTERM)
        code = server.proc.wait(60)
    finally:
        server.stop()
    assert code in (0, 130), server.log()[-3000:]  # 130: the signal came while launch() was still starting up
    assert not exports[0].exists()
    assert "Traceback" not in server.log()
