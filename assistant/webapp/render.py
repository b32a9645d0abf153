"""HTML built from engine objects. Every piece of document or user text goes through esc(), which shows it through
textutil.for_display(); export.py writes the Markdown and Word exports."""
from __future__ import annotations

import re
import time
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from ..answer import Answer
from ..citations import MARKER, Citation, section_and_page, verify
from ..corpus import Collection, DocMeta
from ..grounding import draft_blocks
from ..textutil import for_display

if TYPE_CHECKING:
    from gradio import MessageDict

# Besides HTML, neutralise what Markdown, LaTeX or a template could act on, so text stays text anywhere.
_ESCAPES = {ord(ch): f"&#{ord(ch)};" for ch in "[]()*_`~$\\{}|#!:"}
_ESCAPES.update({ord("&"): "&amp;", ord("<"): "&lt;", ord(">"): "&gt;", ord('"'): "&quot;", ord("'"): "&#39;",
                 ord("\r"): ""})
_SAFE_URL = re.compile(r"^https?://[^\s\"'<>`]+$", re.IGNORECASE)


def esc(text) -> str:
    """Text -> inert HTML as displayed (for_display); newlines are kept (shown by white-space: pre-wrap)."""
    return for_display(text).translate(_ESCAPES)


def esc_attr(text) -> str:
    """An identifier sent back by the page (data-doc): escaped, otherwise exact."""
    return str(text if text is not None else "").translate(_ESCAPES)


def esc_line(text) -> str:
    """Text -> inert single-line HTML (newlines become <br>), safe inside a chat message."""
    return esc(text).replace("\n", "<br>")


def safe_url(url: str) -> str:
    """An http(s) URL without markup or hidden characters, else ""."""
    url = (url or "").strip()
    return url if _SAFE_URL.match(url) and for_display(url) == url else ""


def link(url: str, label: str, cls: str = "ext-link") -> str:
    url = safe_url(url)
    if not url:
        return ""
    return f'<a class="{cls}" href="{esc(url)}" target="_blank" rel="noopener noreferrer">{esc(label)}</a>'


@dataclass
class Turn:
    question: str
    answer: Answer | None = None  # None while the answer is being produced
    rating: str | None = None  # "up" | "down"
    error: str | None = None  # why there is no answer (failed or stopped)
    asked_at: float = field(default_factory=time.monotonic)  # when it was asked: the wait for a slot counts too
    asked_ts: float = field(default_factory=time.time)  # wall clock, for the export
    answered_ts: float | None = None
    reason: str = ""  # of a thumbs-down (feedback.REASONS)
    comment: str = ""
    turn_id: int | None = None  # the saved turn (storage), once answered


def _duration(ms: float) -> str:
    return f"{ms / 1000:.1f} s" if ms >= 1000 else f"{ms:.0f} ms"


# ----- header, intro, notices -----
def doc_byline(meta: DocMeta) -> str:
    parts = []
    if meta.authors:
        parts.append(", ".join(meta.authors))
    if meta.date:
        parts.append(meta.date)
    return " · ".join(parts)


def lead_sentences(text: str, limit: int = 320) -> str:
    """The opening of the first real paragraph (skipping title, date and byline lines), as a summary."""
    for para in re.split(r"\n\s*\n", text or ""):
        para = " ".join(para.split())
        if len(para.split()) < 25:
            continue
        out = ""
        for sentence in re.split(r"(?<=[.!?])\s+", para):
            if out and len(out) + len(sentence) + 1 > limit:
                break
            out = f"{out} {sentence}".strip()
        return out if len(out) <= limit else out[:limit].rsplit(" ", 1)[0] + "…"
    return ""


def intro_html(docs: list[DocMeta], summaries: dict[str, str] | None = None, intro: str = "") -> str:
    summaries = summaries or {}
    if not docs:
        return ('<div class="intro"><h2>The corpus is empty</h2><p>Add documents to the corpus folder and '
                'run <code>assistant ingest</code>.</p></div>')
    items = "".join(
        f'<li><span class="intro-title">{esc(d.title)}</span>'
        + (f' <span class="intro-by">— {esc(doc_byline(d))}</span>' if doc_byline(d) else "")
        + (f'<div class="intro-summary">{esc(summaries[d.doc_id])}</div>' if summaries.get(d.doc_id) else "")
        + "</li>"
        for d in docs[:6])
    more = f"<li>… and {len(docs) - 6} more</li>" if len(docs) > 6 else ""
    noun = "this report" if len(docs) == 1 else f"these {len(docs)} documents"
    return (
        '<div class="intro">'
        '<h2>Ask the report, get the exact words</h2>'
        + (f'<p>{esc(intro)}</p>' if intro else "")
        + f'<p>Answers come only from {noun}:</p><ul class="intro-docs">{items}{more}</ul>'
        '<p class="intro-how">Every answer quotes its sources verbatim; click a <span class="cite-demo">[1]</span> '
        'marker to see the quote highlighted in its passage. When the sources do not cover a question, '
        'the assistant says so instead of guessing.</p>'
        '</div>'
    )


def header_html(backend: str, model: str, index_line: str, collection: Collection | None = None) -> str:
    collection = collection or Collection()
    return (
        '<div class="app-header">'
        f'<div class="brand"><span class="brand-mark">◆</span> {esc(collection.title)}</div>'
        f'<div class="tagline">{esc(collection.subtitle)}</div>'
        '<div class="chips">'
        f'<span class="chip" id="chip-backend">Backend: {esc(backend_label(backend, model))}</span>'
        f'<span class="chip" id="chip-index">{esc(index_line)}</span>'
        '</div></div>'
    )


def backend_label(backend: str, model: str) -> str:
    return f"{backend} (quotes only, no LLM)" if backend == "extractive" else f"{backend} · {model}"


def notices_html(notices: Iterable[str]) -> str:
    notices = [n for n in dict.fromkeys(notices or []) if n]
    if not notices:
        return ""
    items = "".join(f"<li>{esc(n)}</li>" for n in notices)
    return f'<div class="notice" role="status"><strong>Note</strong><ul>{items}</ul></div>'


def index_line(index) -> str:
    docs, chunks = len(index.docs), len(index.chunks)
    built = ""
    match = re.match(r"(\d{4})(\d{2})(\d{2})-(\d{2})(\d{2})", index.generation or "")
    if match:
        y, mo, d, h, mi = match.groups()
        built = f" · built {y}-{mo}-{d} {h}:{mi} UTC"
    return f"Index: {docs} document{'s' * (docs != 1)} · {chunks} passages{built}"


def question_counter_html(limit: int) -> str:
    """The length counter under the question box; the page script (assets.HEAD) keeps it current."""
    return (f'<div class="q-count" data-limit="{limit}" aria-live="polite"><span class="q-count-n">0</span> / '
            f'{limit:,} characters<span class="q-count-over" hidden></span></div>')


# ----- chat messages -----
def question_html(question: str) -> str:
    return f'<div class="q-text">{esc_line(question)}</div>'


def answer_blocks(text: str) -> list[tuple[str, list[str]]]:
    """An answer's layout: ("p", [paragraph]) and ("ul" | "ol", [items]), from its blank lines and "- " / "1. "
    line starts (grounding.draft_blocks); a line break inside a quotation stays in its text."""
    blocks: list[tuple[str, list[str]]] = []
    for kind, line in draft_blocks(text or ""):
        if kind != "p" and blocks and blocks[-1][0] == kind:
            blocks[-1][1].append(line)
        else:
            blocks.append((kind, [line]))
    return blocks


def _inline_html(turn_no: int, text: str, known: set[int]) -> str:
    out, pos = [], 0
    for match in MARKER.finditer(text):
        out.append(esc(text[pos:match.start()]))
        numbers = [int(x) for x in re.split(r"\s*[,;]\s*", match.group(1))]
        for n in numbers:
            if n in known:
                out.append(f'<a class="cite" href="#src-{turn_no}-{n}" title="Show source {n}">[{n}]</a>')
            else:
                out.append(esc(f"[{n}]"))
        pos = match.end()
    out.append(esc(text[pos:]))
    return "".join(out).replace("\n", "<br>")


def _answer_text_html(turn_no: int, answer: Answer) -> str:
    known = {c.n for c in answer.citations}
    html = []
    for kind, lines in answer_blocks(answer.text):
        parts = [_inline_html(turn_no, line, known) for line in lines]
        html.append(f"<p>{''.join(parts)}</p>" if kind == "p" else
                    f"<{kind}>{''.join(f'<li>{part}</li>' for part in parts)}</{kind}>")
    return "".join(html)


def answer_html(turn_no: int, answer: Answer) -> str:
    cls = "answer abstained" if answer.abstained else "answer"
    if answer.abstained:
        body = (f'<div class="answer-text"><span class="abstain-icon">∅</span> {esc_line(answer.text)}</div>'
                '<div class="answer-hint">Try rephrasing with terms from the report, or browse it in the '
                'Documents tab.</div>')
    else:
        body = f'<div class="answer-text">{_answer_text_html(turn_no, answer)}</div>'
    notes = "".join(f'<div class="answer-note">{esc_line(n)}</div>' for n in dict.fromkeys(answer.notices))
    total = answer.timings_ms.get("total")
    waited = answer.timings_ms.get("queue_wait", 0.0)
    meta = [f"{len(answer.citations)} verified quote{'s' * (len(answer.citations) != 1)}"] if answer.citations else []
    meta.append(f"{answer.backend}" + (f" ({answer.model})" if answer.model and answer.backend != "extractive" else ""))
    if total is not None:
        meta.append(_duration(total) + (f" ({_duration(waited)} waiting for a turn)" if waited >= 500 else ""))
    copy_text = esc(plain_text(answer)).replace("\n", "&#10;")
    return (
        f'<div class="{cls}" id="ans-{turn_no}">{body}{notes}'
        '<div class="answer-foot">'
        f'<button class="copy-answer" type="button" title="Copy the answer and its sources" '
        f'aria-label="Copy answer {turn_no}">Copy</button>'
        f'<span class="answer-meta">{esc(" · ".join(meta))}</span></div>'
        f'<span class="copy-text" hidden>{copy_text}</span></div>'
    )


def pending_html(status: str, draft: str = "") -> str:
    draft_html = f'<div class="answer-text draft">{esc_line(draft)}</div>' if draft.strip() else ""
    return (f'<div class="answer pending">{draft_html}'
            f'<div class="pending-status"><span class="dots"><i></i><i></i><i></i></span> {esc(status)}</div></div>')


STOPPED = "Stopped before the answer was finished."


def error_html(message: str) -> str:
    if message == STOPPED:
        return f'<div class="answer stopped"><div class="answer-text">■ {esc_line(message)}</div></div>'
    return f'<div class="answer error"><div class="answer-text">⚠ {esc_line(message)}</div></div>'


def chat_messages(turns: list[Turn], pending: str | None = None) -> list[MessageDict]:
    """Two messages per turn for gr.Chatbot; `pending` stands in for the last turn's answer while it streams."""
    messages: list[MessageDict] = []
    for i, turn in enumerate(turns, start=1):
        messages.append({"role": "user", "content": question_html(turn.question)})
        if turn.answer is not None:
            content = answer_html(i, turn.answer)
        elif turn.error is not None:
            content = error_html(turn.error)
        else:
            content = pending if pending is not None else pending_html("Working…")
        messages.append({"role": "assistant", "content": content})
    return messages


def feedback_values(turns: list[Turn]) -> list[str | None]:
    """One entry per assistant message, as gr.Chatbot(feedback_value=...) expects."""
    labels: dict[str | None, str] = {"up": "Like", "down": "Dislike"}
    return [labels.get(t.rating) for t in turns]


# ----- sources panel -----
def context_window(doc_text: str, citation: Citation, passages, radius: int = 320) -> tuple[int, int]:
    """The surrounding passage to show around a quote: its paragraph when short enough, else a window."""
    passage = next((p for p in passages if p.doc_id == citation.doc_id
                    and p.start <= citation.start and citation.end <= p.end), None)
    lo, hi = (passage.start, passage.end) if passage else (0, len(doc_text))
    para_start = doc_text.rfind("\n\n", lo, citation.start)
    start = para_start + 2 if para_start >= 0 and citation.start - para_start <= radius * 2 else \
        max(lo, citation.start - radius)
    para_end = doc_text.find("\n\n", citation.end, hi)
    end = para_end if 0 <= para_end and para_end - citation.end <= radius * 2 else min(hi, citation.end + radius)
    if start < citation.start and start > lo and not doc_text[start - 1].isspace():
        space = doc_text.find(" ", start, citation.start)
        start = space + 1 if space >= 0 else start
    if end > citation.end and end < hi and not doc_text[end].isspace():
        space = doc_text.rfind(" ", citation.end, end)
        end = space if space >= 0 else end
    return start, end


def paragraph_number(doc_text: str, offset: int) -> int:
    """The 1-based number of the paragraph (blank-line separated) that holds offset."""
    return len(re.findall(r"\S\s*\n[ \t]*\n", doc_text[:offset])) + 1


def locations(citation: Citation, doc_text: str | None) -> list[str]:
    """Where a quote is, for a reader: section and page when known, and its paragraph."""
    parts = section_and_page(citation.title, citation.section, citation.page)
    if doc_text and 0 <= citation.start <= len(doc_text):
        parts.append(f"paragraph {paragraph_number(doc_text, citation.start)}")
    return parts


def char_span(citation: Citation) -> str:
    return f"characters {citation.start:,}–{citation.end:,}"


def where_line(citation: Citation, doc_text: str | None = None) -> str:
    parts = []
    if citation.authors:
        parts.append(citation.authors)
    if citation.date:
        parts.append(citation.date)
    return " · ".join(parts + locations(citation, doc_text))


def passage_bounds(doc_text: str, citation: Citation, passages) -> tuple[int, int]:
    """The retrieved passage that holds the quote; else the quote's paragraph."""
    passage = next((p for p in passages if p.doc_id == citation.doc_id
                    and p.start <= citation.start and citation.end <= p.end), None)
    if passage is not None:
        return passage.start, passage.end
    before = doc_text.rfind("\n\n", 0, citation.start)
    after = doc_text.find("\n\n", citation.end)
    return (before + 2 if before >= 0 else 0), (after if after >= 0 else len(doc_text))


def _passage_html(doc_text: str, citation: Citation, passages) -> tuple[str, bool]:
    """(the passage around the quote, whether part of it is folded): the window around the quote shows, the rest
    of its passage is there whole behind "Show the whole passage"."""
    lo, hi = passage_bounds(doc_text, citation, passages)
    start, end = context_window(doc_text, citation, passages)
    lo, hi = min(lo, start), max(hi, end)
    head = f'<span class="src-more" hidden>{esc(doc_text[lo:start])}</span>' if start > lo else ""
    tail = f'<span class="src-more" hidden>{esc(doc_text[end:hi])}</span>' if end < hi else ""
    cut = " cut-start" * bool(head) + " cut-end" * bool(tail)  # shown as "…" while folded (CSS)
    return (f'{head}<span class="src-window{cut}">{esc(doc_text[start:citation.start])}'
            f'<mark class="src-quote">{esc(citation.quote)}</mark>{esc(doc_text[citation.end:end])}</span>{tail}'
            ), bool(head or tail)


def source_card(turn_no: int, citation: Citation, doc_text: str | None, passages) -> str:
    verified = verify(citation, doc_text)
    folded = False
    if verified:
        assert doc_text is not None  # verify() is False without the document's text
        passage, folded = _passage_html(doc_text, citation, passages)
        badge = '<span class="verified" title="This quote is an exact span of the source text">✓ verbatim</span>'
    else:  # never expected: the engine only returns verified quotes
        passage = f'<mark class="src-quote">{esc(citation.quote)}</mark>'
        badge = '<span class="unverified">not verified</span>'
    original = link(citation.url, "Original ↗")
    more = ('<button class="src-expand" type="button" aria-expanded="false" '
            f'aria-label="Show the whole passage: source {citation.n}">Show the whole passage</button>'
            if folded else "")
    folded_cls = " folded" if folded else ""
    return (
        f'<article class="src-card" id="src-{turn_no}-{citation.n}" data-turn="{turn_no}" data-n="{citation.n}" '
        f'data-doc="{esc_attr(citation.doc_id)}" data-start="{citation.start}" data-end="{citation.end}">'
        f'<div class="src-head"><span class="src-badge">{citation.n}</span><div class="src-id">'
        f'<div class="src-title">{esc(citation.title)}</div>'
        f'<div class="src-meta" title="{esc(char_span(citation))}">{esc(where_line(citation, doc_text))}</div>'
        f'</div></div><div class="src-passage{folded_cls}">{passage}</div>'
        f'<div class="src-actions">{badge}{more}'
        f'<button class="open-doc" type="button" data-doc="{esc_attr(citation.doc_id)}" data-start="{citation.start}" '
        f'data-end="{citation.end}" aria-label="Read in document: source {citation.n} of answer {turn_no}">'
        f'Read in document</button>{original}</div>'
        '</article>'
    )


def sources_html(turns: list[Turn], doc_text_of) -> str:
    """All turns' sources, newest first; only the newest group is open. doc_text_of(doc_id) -> str | None."""
    if not turns:
        return ('<div class="src-empty"><div class="src-empty-title">Sources</div>'
                '<p>Each answer\'s quotes appear here, highlighted inside their passage, with title, authors, '
                'date and a link to the original. Click a <span class="cite-demo">[n]</span> marker in an answer '
                'to jump to its source.</p></div>')
    groups = []
    last = len(turns)
    for turn_no in range(last, 0, -1):
        turn = turns[turn_no - 1]
        answer = turn.answer
        if answer is None:
            body, count = (('<div class="src-none">No answer.</div>', "") if turn.error is not None else
                           ('<div class="src-searching">Searching the corpus…</div>', ""))
        elif answer.abstained or not answer.citations:
            body, count = ('<div class="src-none">No sources: the corpus does not cover this question.</div>',
                           "no sources")
        else:
            texts = {c.doc_id: doc_text_of(c.doc_id) for c in answer.citations}
            body = "".join(source_card(turn_no, c, texts[c.doc_id], answer.passages) for c in answer.citations)
            count = f"{len(answer.citations)} source{'s' * (len(answer.citations) != 1)}"
        is_open = " open" if turn_no == last else ""
        groups.append(
            f'<section class="src-turn" id="src-turn-{turn_no}"><details{is_open}>'
            f'<summary><span class="turn-q">Q{turn_no}. {esc(turn.question)}</span>'
            f'<span class="turn-count">{count}</span></summary>{body}</details></section>')
    return '<div class="src-list">' + "".join(groups) + "</div>"


# ----- document viewer -----
def document_html(meta: DocMeta, text: str, spans: list[tuple[int, int]], active: tuple[int, int] | None) -> str:
    """The whole document, escaped, with cited spans marked; the active span gets id="doc-active"."""
    marks = sorted({(max(0, s), min(len(text), e)) for s, e in spans if 0 <= s < e <= len(text)})
    merged: list[list[int]] = []
    for s, e in marks:
        if merged and s <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], e)
        else:
            merged.append([s, e])
    out, pos = [], 0
    for s, e in merged:
        out.append(esc(text[pos:s]))
        is_active = active is not None and s <= active[0] and active[1] <= e
        attrs = ' class="cited active" id="doc-active"' if is_active else ' class="cited"'
        out.append(f"<mark{attrs}>{esc(text[s:e])}</mark>")
        pos = e
    out.append(esc(text[pos:]))
    meta_parts = [doc_byline(meta)] + ([meta.licence] if meta.licence else [])
    original = link(meta.url, "Original ↗")
    hint = (f'<div class="doc-hint">{len(merged)} cited passage{"s" * (len(merged) != 1)} highlighted.</div>'
            if merged else "")
    return (
        f'<div class="doc-view" data-doc="{esc_attr(meta.doc_id)}"><header class="doc-head">'
        f'<div class="doc-title">{esc(meta.title)}</div>'
        f'<div class="doc-meta">{esc(" · ".join(p for p in meta_parts if p))}</div>'
        f'<div class="doc-links">{original}<span class="doc-size">{len(text):,} characters</span></div>{hint}'
        f'</header><div class="doc-text">{"".join(out)}</div></div>'
    )


def no_document_html() -> str:
    return '<div class="doc-empty">Choose a document to read it.</div>'


# ----- copy / export -----
def source_line(c: Citation, doc_text: str | None = None) -> str:
    """Title, authors, date, section, page and paragraph: where to find a quote."""
    where = [c.title]
    if c.authors:
        where.append(c.authors)
    if c.date:
        where.append(c.date)
    return ", ".join(where + locations(c, doc_text))


def plain_text(answer: Answer) -> str:
    if answer.abstained or not answer.citations:
        return answer.text
    lines = [answer.text, "", "Sources:"]
    for c in answer.citations:
        lines.append(f"[{c.n}] {source_line(c)}" + (f" <{c.url}>" if safe_url(c.url) else ""))
        lines.append(f"    “{c.quote}”")
    return "\n".join(lines)


# ----- documents view -----
def reading_order(items: list) -> list:
    """Documents (DocMeta or SourceRow) as the app lists them: reports first, then by title."""
    return sorted(items, key=lambda d: (d.kind != "report", d.title.lower()))


def documents_table_html(rows) -> str:
    """Every document with its metadata; the title opens it in the viewer (reports first, then by title)."""
    if not rows:
        return no_document_html()
    ordered = reading_order(rows)
    body = "".join(
        f'<tr data-doc="{esc_attr(r.doc_id)}"><td><button class="open-doc doc-open" data-doc="{esc_attr(r.doc_id)}" '
        f'title="Read {esc(r.title)}">{esc(r.title)}</button>'
        f'<div class="doc-id">{esc(r.doc_id)}</div></td>'
        f'<td>{esc(", ".join(r.authors))}</td><td>{esc(r.date)}</td><td>{esc(r.kind)}</td>'
        f'<td class="num">{r.chunks:,}</td><td>{esc(r.licence)}</td>'
        f'<td>{link(r.url, "Original ↗")}</td></tr>'
        for r in ordered)
    total = sum(r.chunks for r in rows)
    return (f'<div class="docs-summary">{len(rows)} document{"s" * (len(rows) != 1)} · {total:,} passages</div>'
            '<div class="docs-scroll"><table class="docs-table"><thead><tr><th>Title</th><th>Authors</th>'
            '<th>Date</th><th>Kind</th><th class="num">Chunks</th><th>Licence</th><th>Link</th></tr></thead>'
            f'<tbody>{body}</tbody></table></div>')


def ingest_status_html(status) -> str:
    """The progress bar of a background ingest, and what it refused, by file name."""
    if not status.running and not status.phase and not status.problems:
        return ""
    percent = round(100 * status.fraction)
    bar = (f'<progress id="ingest-progress" max="100" value="{percent}" aria-label="Indexing progress">'
           f'{percent}%</progress>' if status.running else "")
    state = "running" if status.running else status.phase
    problems = "".join(f"<li>{esc(p)}</li>" for p in status.problems)
    return (f'<div class="ingest-status" data-state="{esc(state)}" role="status">{bar}'
            f'<span class="ingest-message">{esc(status.message)}</span>'
            + (f'<ul class="ingest-problems">{problems}</ul>' if problems else "") + "</div>")
