"""Section- and paragraph-aware chunking; every chunk is an exact char span of its source text."""
from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from .corpus import SourceDocument
from .textutil import sentence_spans

_BLOCK_SPLIT = re.compile(r"\n[ \t]*\n+")
_BULLET = re.compile(r"^\s*(?:[•\-*▪◦]|\d{1,2}[.)])\s+")
EMBED_TOKEN_LIMIT = 256
CHUNKER_VERSION = 5  # bump when chunk boundaries or embed texts change: forces re-embedding


@dataclass
class Chunk:
    chunk_id: str
    doc_id: str
    title: str
    section: str
    page: int | None
    start: int
    end: int
    text: str
    context: str = ""  # heading/intro text prepended for embedding only

    def embed_text(self) -> str:
        return f"{self.context}\n{self.text}" if self.context else self.text

    def metadata(self) -> dict:
        meta = {"doc_id": self.doc_id, "title": self.title, "section": self.section,
                "start": self.start, "end": self.end}
        if self.page is not None:
            meta["page"] = self.page
        return meta


@dataclass
class _Block:
    start: int
    end: int
    kind: str  # "heading" | "para" | "list"


def _blocks(text: str) -> list[_Block]:
    blocks: list[_Block] = []
    cursor = 0
    for match in list(_BLOCK_SPLIT.finditer(text)) + [None]:
        stop = match.start() if match else len(text)
        _split_lines(text, cursor, stop, blocks)
        cursor = match.end() if match else len(text)
    return blocks


def _split_lines(text: str, start: int, end: int, out: list[_Block]) -> None:
    """A paragraph may hold an intro line followed by bullet lines: keep them together as a list block."""
    segment = text[start:end]
    if not segment.strip():
        return
    lines, pos = [], start
    for line in segment.split("\n"):
        lines.append((pos, pos + len(line), line))
        pos += len(line) + 1
    lines = [(s, e, text) for s, e, text in lines if text.strip()]
    has_bullets = any(_BULLET.match(text) for _, _, text in lines)
    if has_bullets:
        out.append(_Block(lines[0][0], lines[-1][1], "list"))
    elif len(lines) == 1 and _is_heading(lines[0][2]):
        out.append(_Block(lines[0][0], lines[0][1], "heading"))
    else:
        out.append(_Block(lines[0][0], lines[-1][1], "para"))


def _is_heading(line: str) -> bool:
    stripped = line.strip()
    if stripped.startswith("#"):
        return True
    return (len(stripped) <= 100 and len(stripped.split()) <= 14
            and not stripped.endswith((".", ":", ";", ","))
            and (stripped[0].isupper() or stripped[0].isdigit()))


def _heading_text(text: str, block: _Block) -> str:
    return text[block.start:block.end].strip().lstrip("#").strip()


def chunk_document(doc: SourceDocument, count_tokens: Callable[[str], int], max_tokens: int = 200) -> list[Chunk]:
    text = doc.text
    context_budget = EMBED_TOKEN_LIMIT - 2 - max_tokens
    chunks: list[Chunk] = []
    section = ""
    pending_headings: list[_Block] = []
    current: list[tuple[int, int]] = []  # spans packed into the chunk being built
    current_context = ""

    def flush():
        nonlocal current
        if current:
            start, end = current[0][0], current[-1][1]
            _emit(start, end, current_context)
        current = []

    def _emit(start: int, end: int, context: str):
        header = doc.meta.title if section in ("", doc.meta.title) else f"{doc.meta.title}. {section}"
        if not chunks:
            header += _byline(doc)
        context_text = _fit_context(header + (f"\n{context}" if context else ""), count_tokens, context_budget)
        chunks.append(Chunk(
            chunk_id=f"{doc.doc_id}:{start}-{end}", doc_id=doc.doc_id, title=doc.meta.title,
            section=section, page=doc.page_at(start), start=start, end=end,
            text=text[start:end], context=context_text,
        ))

    for block in _blocks(text):
        if block.kind == "heading":
            flush()
            pending_headings.append(block)
            continue
        if pending_headings:
            names = [_heading_text(text, b) for b in pending_headings]
            section = max(names, key=len) if len(names) > 1 else names[0]
            block = _Block(pending_headings[0].start, block.end, block.kind)
            pending_headings = []
        pieces = _fit_block(text, block, count_tokens, max_tokens)
        for piece_start, piece_end, intro in pieces:
            same_page = doc.page_at(current[0][0]) == doc.page_at(piece_start) if current else True
            if current and same_page and count_tokens(text[current[0][0]:piece_end]) <= max_tokens and not intro:
                current.append((piece_start, piece_end))
                continue
            flush()
            current_context = intro
            current = [(piece_start, piece_end)]
            if intro:
                flush()
                current_context = ""
    flush()
    if pending_headings:
        start, end = pending_headings[0].start, pending_headings[-1].end
        for piece_start, piece_end, _ in _split_by_sentences(text, start, end, count_tokens, max_tokens):
            _emit(piece_start, piece_end, "")
    return chunks


def _byline(doc: SourceDocument) -> str:
    parts = []
    if doc.meta.authors:
        parts.append("Written by the authors " + ", ".join(doc.meta.authors) + " (who wrote it)")
    if doc.meta.date:
        parts.append(f"published on {doc.meta.date}")
    return ("\n" + ", ".join(parts) + ".") if parts else ""


def _fit_block(text, block, count_tokens, max_tokens) -> list[tuple[int, int, str]]:
    """Split a block that is too long: lists at item boundaries (intro kept as context), prose at sentences."""
    if count_tokens(text[block.start:block.end]) <= max_tokens:
        return [(block.start, block.end, "")]
    if block.kind == "list":
        items, intro = _list_items(text, block)
        pieces: list[list[tuple[int, int]]] = []
        group: list[tuple[int, int]] = []
        for item in items:
            if group and count_tokens(text[group[0][0]:item[1]]) > max_tokens:
                pieces.append(group)
                group = []
            group.append(item)
        pieces.append(group)
        out: list[tuple[int, int, str]] = []
        for i, group in enumerate(pieces):
            start, end = group[0][0], group[-1][1]
            context = intro if (intro and (i > 0 or not text[start:end].startswith(intro))) else ""
            out.extend((s, e, context) for s, e, _ in _split_by_sentences(text, start, end, count_tokens, max_tokens))
        return out
    return _split_by_sentences(text, block.start, block.end, count_tokens, max_tokens)


def _list_items(text, block) -> tuple[list[tuple[int, int]], str]:
    items: list[tuple[int, int]] = []
    intro = ""
    pos = block.start
    for line in text[block.start:block.end].split("\n"):
        start, end = pos, pos + len(line)
        pos = end + 1
        if not line.strip():
            continue
        if _BULLET.match(line) or not items:
            if not items and not _BULLET.match(line):
                intro = line.strip()
            items.append((start, end))
        else:
            items[-1] = (items[-1][0], end)
    return items, intro


def _split_by_sentences(text, start, end, count_tokens, max_tokens) -> list[tuple[int, int, str]]:
    out: list[tuple[int, int, str]] = []
    group: tuple[int, int] | None = None
    for s, e in sentence_spans(text, start, end):
        if count_tokens(text[s:e]) > max_tokens:
            if group:
                out.append((group[0], group[1], ""))
                group = None
            out.extend((a, b, "") for a, b in _split_by_words(text, s, e, count_tokens, max_tokens))
            continue
        if group and count_tokens(text[group[0]:e]) <= max_tokens:
            group = (group[0], e)
        else:
            if group:
                out.append((group[0], group[1], ""))
            group = (s, e)
    if group:
        out.append((group[0], group[1], ""))
    return out


def _split_by_words(text, start, end, count_tokens, max_tokens) -> list[tuple[int, int]]:
    out, piece_start, last_end = [], start, None
    for match in re.finditer(r"\S+", text[start:end]):
        w_end = start + match.end()
        if last_end is not None and count_tokens(text[piece_start:w_end]) > max_tokens:
            out.append((piece_start, last_end))
            piece_start = start + match.start()
        elif last_end is None and count_tokens(text[piece_start:w_end]) > max_tokens:
            # a single "word" longer than the budget: cut it by characters
            out.extend(_split_by_chars(text, piece_start, w_end, count_tokens, max_tokens))
            piece_start, last_end = w_end, None
            continue
        last_end = w_end
    if last_end is not None:
        out.append((piece_start, last_end))
    return out


def _split_by_chars(text, start, end, count_tokens, max_tokens) -> list[tuple[int, int]]:
    out, cursor = [], start
    while cursor < end:
        size = max(1, min(end - cursor, max_tokens * 2))
        while size > 1 and count_tokens(text[cursor:cursor + size]) > max_tokens:
            size //= 2
        out.append((cursor, cursor + size))
        cursor += size
    return out


def _fit_context(context: str, count_tokens, budget: int) -> str:
    while context and count_tokens(context) > budget:
        context = context[: int(len(context) * 0.8)].rstrip()
    return context
