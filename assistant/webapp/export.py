"""A conversation as Markdown or Word: questions with their time, the question as read (a follow-up rewritten),
the answer's paragraphs and lists, its sources with where they are, and the user's rating.

Markdown: text is written as it is, unless a viewer would read structure into it (a link, an HTML tag, emphasis,
a list or heading at its start): only then is that line escaped, so ordinary text carries no backslashes."""
from __future__ import annotations

import re
import time
from collections.abc import Callable
from pathlib import Path

from markdown_it import MarkdownIt

from ..answer import Answer
from ..corpus import Collection
from ..textutil import for_display
from .render import Turn, _duration, answer_blocks, backend_label, safe_url, source_line

DocText = Callable[[str], "str | None"]
_MD = MarkdownIt("commonmark").enable(["table", "strikethrough"])
# Inline Markdown (emphasis, code, links, HTML, entities, tables, maths, templates), escaped anywhere in a line.
_MD_SPECIAL = re.compile(r"([\\`*_\[\]<>#|!~$&{}^])")
# What starts a block at the beginning of a line: "- " "+ " "= " (setext), "1. " "1) ".
_MD_BLOCK_START = re.compile(r"^([-+=])|^(\d{1,9})([.)])")
RATING_LABELS = {"up": "👍 helpful", "down": "👎 not helpful"}


def md_escape(line: str) -> str:
    """One line of text -> Markdown that renders as exactly that text and starts no block."""
    line = _MD_SPECIAL.sub(r"\\\1", line.strip())
    return _MD_BLOCK_START.sub(lambda m: f"\\{m.group(1)}" if m.group(1) else f"{m.group(2)}\\{m.group(3)}", line)


def md_text(text) -> str:
    """Document or model text -> one line of inert Markdown (line breaks and runs of space become one space)."""
    return md_escape(" ".join(for_display(text).split()))


def md_line(block: str, text, lead: str = "") -> str:
    """block + lead + text as one Markdown line (block: "## ", "- ", "   > "...) in which text shows as itself:
    written as it is when it already does, else escaped."""
    text = " ".join(for_display(text).split())
    inline = [t for t in _MD.parse(f"{block}{lead}{text}\n") if t.type == "inline"]
    plain = (len(inline) == 1 and all(c.type == "text" for c in inline[0].children or [])
             and "".join(c.content for c in inline[0].children or []) == f"{lead}{text}")
    return f"{block}{lead}{text if plain else md_escape(text)}"


def _stamp(ts: float | None, fmt: str = "%Y-%m-%d %H:%M:%S UTC") -> str:
    return time.strftime(fmt, time.gmtime(ts)) if ts else ""


def read_as(turn: Turn) -> str:
    """The standalone question the engine answered, when it rewrote a follow-up; else ""."""
    answer = turn.answer
    if answer is None or not answer.standalone_question:
        return ""
    def norm(text):
        return " ".join(text.split()).casefold()
    return answer.standalone_question if norm(answer.standalone_question) != norm(turn.question) else ""


def turn_facts(turn: Turn) -> str:
    """"Asked ... · answered in ... · backend (model)"."""
    facts = [f"Asked {_stamp(turn.asked_ts)}"]
    answer = turn.answer
    if answer is not None:
        total = answer.timings_ms.get("total")
        if total is not None:
            facts.append(f"answered in {_duration(total)}")
        facts.append(backend_label(answer.backend, answer.model))
    return " · ".join(facts)


def rating_line(turn: Turn) -> str:
    if not turn.rating:
        return ""
    extra = [turn.reason] if turn.reason else []
    if turn.comment.strip():
        extra.append(f"“{turn.comment.strip()}”")
    return f"Rating: {RATING_LABELS[turn.rating]}" + (f" ({': '.join(extra)})" if extra else "")


def _answer_markdown(answer: Answer) -> list[str]:
    lines: list[str] = []
    for kind, items in answer_blocks(answer.text):
        if kind == "p":
            for item in items:
                lines += [md_line("", item), ""]
        else:
            lines += [md_line("- " if kind == "ul" else f"{n}. ", item) for n, item in enumerate(items, 1)] + [""]
    return lines


def export_markdown(turns: list[Turn], backend: str, model: str, title: str = Collection.title,
                    doc_text_of: DocText | None = None) -> str:
    """The conversation as Markdown. Its own headings, lists, quotes and links are its only structure."""
    doc_text_of = doc_text_of or (lambda doc_id: None)
    lines = [md_line("# ", f"{title}: conversation"), "",
             md_line("", f"Exported {_stamp(time.time(), '%Y-%m-%d %H:%M UTC')} · backend: "
                         f"{backend_label(backend, model)}"), ""]
    for i, turn in enumerate(turns, start=1):
        answer = turn.answer
        lines += [md_line("## ", turn.question, lead=f"Q{i}. "), "", md_line("", turn_facts(turn)), ""]
        if read_as(turn):
            lines += [md_line("", read_as(turn), lead="Read as: "), ""]
        if answer is None:
            lines += [md_line("", turn.error or "No answer yet.", lead="No answer: "), ""]
            continue
        lines += _answer_markdown(answer)
        if answer.abstained or not answer.citations:
            lines += ["No sources: the corpus does not cover this question.", ""]
        else:
            lines += ["**Sources**", ""]
            for c in answer.citations:
                url = f" <{c.url}>" if safe_url(c.url) else ""
                lines += [md_line(f"{c.n}. ", source_line(c, doc_text_of(c.doc_id))) + url, "",
                          md_line("   > ", c.quote), ""]
        if rating_line(turn):
            lines += [md_line("", rating_line(turn)), ""]
    return "\n".join(lines).rstrip() + "\n"


def export_docx(turns: list[Turn], backend: str, model: str, path: Path, title: str = Collection.title,
                doc_text_of: DocText | None = None) -> Path:
    """The same conversation as a Word document (python-docx), written to path."""
    import docx

    doc_text_of = doc_text_of or (lambda doc_id: None)
    document = docx.Document()
    document.add_heading(for_display(f"{title}: conversation"), level=0)
    document.add_paragraph(f"Exported {_stamp(time.time(), '%Y-%m-%d %H:%M UTC')} · backend: "
                           f"{for_display(backend_label(backend, model))}")
    for i, turn in enumerate(turns, start=1):
        answer = turn.answer
        document.add_heading(for_display(f"Q{i}. {turn.question}"), level=1)
        document.add_paragraph(for_display(turn_facts(turn))).runs[0].italic = True
        if read_as(turn):
            document.add_paragraph(for_display(f"Read as: {read_as(turn)}"))
        if answer is None:
            document.add_paragraph(for_display(f"No answer: {turn.error or 'No answer yet.'}"))
            continue
        for kind, items in answer_blocks(answer.text):
            style = {"ul": "List Bullet", "ol": "List Number"}.get(kind)
            for item in items:
                document.add_paragraph(for_display(item), style=style)
        if answer.abstained or not answer.citations:
            document.add_paragraph("No sources: the corpus does not cover this question.")
        else:
            document.add_heading("Sources", level=2)
            for c in answer.citations:
                url = f" {c.url}" if safe_url(c.url) else ""
                document.add_paragraph(for_display(f"[{c.n}] {source_line(c, doc_text_of(c.doc_id))}{url}"))
                document.add_paragraph(for_display(c.quote), style="Quote")
        if rating_line(turn):
            document.add_paragraph(for_display(rating_line(turn)))
    path.parent.mkdir(parents=True, exist_ok=True)
    document.save(str(path))
    return path
