"""Corpus readers and manifest: files in corpus/ -> SourceDocument with plain text and page spans."""
from __future__ import annotations

import hashlib
import html
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import yaml

SUPPORTED = {".txt", ".md", ".markdown", ".html", ".htm", ".pdf", ".docx"}
MANIFEST_NAMES = ("manifest.yaml", "manifest.yml")
IGNORED_NAMES = {"README.md", *MANIFEST_NAMES}


class ReadError(Exception):
    """A file that cannot be ingested; the message says why, for the user."""


@dataclass
class DocMeta:
    doc_id: str
    title: str
    authors: list[str] = field(default_factory=list)
    date: str = ""
    url: str = ""
    licence: str = ""
    file: str = ""
    kind: str = ""  # e.g. "report", "factbook"; empty: the file type


@dataclass
class Collection:
    """How the app presents a corpus: from the `collection:` block of corpus/manifest.yaml."""
    title: str = "Research Assistant"
    subtitle: str = "Answers from your documents, with verified quotes"
    placeholder: str = "Ask a question about the documents…"
    intro: str = ""
    examples: list[str] = field(default_factory=list)
    export_name: str = "conversation"
    cache_name: str = "research-assistant"


@dataclass
class SourceDocument:
    meta: DocMeta
    text: str
    sha256: str
    # (start, end, page number) char spans of text; empty when the format has no pages.
    pages: list[tuple[int, int, int]] = field(default_factory=list)

    @property
    def doc_id(self) -> str:
        return self.meta.doc_id

    def page_at(self, offset: int) -> int | None:
        for start, end, number in self.pages:
            if start <= offset < end:
                return number
        return None


@dataclass
class SkippedFile:
    path: str
    reason: str


def manifest_path(folder: Path) -> Path | None:
    return next((folder / name for name in MANIFEST_NAMES if (folder / name).is_file()), None)


def read_manifest_file(path: Path, label: str) -> dict:
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except (yaml.YAMLError, UnicodeDecodeError) as exc:
        raise ReadError(f"{label}: invalid YAML: {' '.join(str(exc).split())}") from exc
    if not isinstance(data, dict) or not isinstance(data.get("documents") or [], list):
        raise ReadError(f"{label}: expected a 'documents:' list")
    return data


def load_manifest(corpus_dir: Path) -> dict[str, DocMeta]:
    """Manifest entries keyed by file path relative to corpus_dir.

    Every folder may hold its own manifest.yaml, whose `file:` entries are relative to that folder
    (corpus/related/manifest.yaml describes the generated related sources)."""
    corpus_dir = Path(corpus_dir)
    entries: dict[str, DocMeta] = {}
    folders = [corpus_dir] + sorted(p for p in corpus_dir.rglob("*") if p.is_dir() and not p.is_symlink()
                                    and not any(part.startswith(".") for part in p.relative_to(corpus_dir).parts))
    for folder in folders:
        path = manifest_path(folder)
        if path is None:
            continue
        label = path.relative_to(corpus_dir).as_posix()
        data = read_manifest_file(path, label)
        prefix = folder.relative_to(corpus_dir).as_posix()
        for i, item in enumerate(data.get("documents") or []):
            if not isinstance(item, dict) or not item.get("file") or not item.get("id"):
                raise ReadError(f"{label}: entry {i + 1} needs at least 'id' and 'file'")
            rel = str(item["file"]) if prefix == "." else f"{prefix}/{item['file']}"
            entries[rel] = _entry_meta(item, rel)
    return entries


def _entry_meta(item: dict, rel: str) -> DocMeta:
    authors = item.get("authors") or []
    return DocMeta(
        doc_id=str(item["id"]),
        title=str(item.get("title") or item["file"]),
        authors=[authors] if isinstance(authors, str) else [str(a) for a in authors],
        date=str(item.get("date") or ""),
        url=str(item.get("url") or ""),
        licence=str(item.get("licence") or item.get("license") or ""),
        file=rel,
        kind=str(item.get("kind") or ""),
    )


def load_collection(corpus_dir: Path) -> Collection:
    """The corpus's `collection:` block; defaults for whatever it leaves out (or a missing/broken manifest)."""
    path = manifest_path(Path(corpus_dir))
    block: dict = {}
    if path is not None:
        try:
            block = (yaml.safe_load(path.read_text(encoding="utf-8")) or {}).get("collection") or {}
        except (yaml.YAMLError, UnicodeDecodeError, AttributeError):
            block = {}
    if not isinstance(block, dict):
        block = {}
    known = {f for f in Collection.__dataclass_fields__}
    values = {k: v for k, v in block.items() if k in known}
    if "examples" in values:
        values["examples"] = [str(q) for q in values["examples"] or [] if str(q).strip()]
    kwargs: dict[str, Any] = {k: (v if k == "examples" else str(v)) for k, v in values.items()}
    return Collection(**kwargs)


def discover(corpus_dir: Path, max_file_mb: float = 50.0) -> tuple[list[Path], list[SkippedFile]]:
    """Files to ingest, and those refused before reading (symlinks out of the corpus, unknown types, too big)."""
    root = corpus_dir.resolve()
    files, skipped = [], []
    for path in sorted(corpus_dir.rglob("*")):
        rel = path.relative_to(corpus_dir).as_posix()
        if any(part.startswith(".") for part in path.relative_to(corpus_dir).parts):
            continue
        if path.is_symlink():
            try:
                target = path.resolve(strict=True)
            except (OSError, RuntimeError):  # dangling, or a loop
                skipped.append(SkippedFile(rel, "broken symlink (missing target or a loop); not followed"))
                continue
            if not target.is_relative_to(root):
                skipped.append(SkippedFile(rel, "symlink pointing outside the corpus; not followed"))
                continue
        if path.is_dir() or rel in IGNORED_NAMES or path.name in MANIFEST_NAMES:
            continue
        if not path.is_file():
            skipped.append(SkippedFile(rel, "not a regular file (a pipe, socket or device)"))
            continue
        if path.suffix.lower() not in SUPPORTED:
            skipped.append(SkippedFile(rel, f"unsupported file type {path.suffix or '(none)'!r}"))
            continue
        size = path.stat().st_size
        if size == 0:
            skipped.append(SkippedFile(rel, "empty file (0 bytes)"))
            continue
        if size > max_file_mb * 1024 * 1024:
            skipped.append(SkippedFile(rel, f"file too large ({size / 1e6:.0f} MB > {max_file_mb:g} MB limit)"))
            continue
        files.append(path)
    return _drop_linked_duplicates(files, corpus_dir, skipped), skipped


def _drop_linked_duplicates(files: list[Path], corpus_dir: Path, skipped: list[SkippedFile]) -> list[Path]:
    """A symlink to a file that is ingested anyway (or a second link to one file) would index it twice."""
    real_files = {path.resolve(): path for path in files if not path.is_symlink()}
    kept: list[Path] = []
    seen: dict[Path, Path] = {}
    for path in files:
        real = path.resolve()
        if path.is_symlink() and real in real_files:
            original = real_files[real].relative_to(corpus_dir).as_posix()
        elif real in seen:
            original = seen[real].relative_to(corpus_dir).as_posix()
        else:
            seen[real] = path
            kept.append(path)
            continue
        rel = path.relative_to(corpus_dir).as_posix()
        skipped.append(SkippedFile(rel, f"symlink to {original}, which is ingested already; not read twice"))
    return kept


def derive_meta(path: Path, corpus_dir: Path, text: str) -> DocMeta:
    rel = path.relative_to(corpus_dir).as_posix()
    slug = re.sub(r"[^a-z0-9]+", "-", path.with_suffix("").relative_to(corpus_dir).as_posix().lower()).strip("-")
    first_line = next((line.strip(" #\t") for line in text.splitlines() if line.strip()), "")
    title = first_line if 0 < len(first_line) <= 120 else path.stem.replace("-", " ").replace("_", " ")
    return DocMeta(doc_id=slug or "document", title=title, file=rel)


def read_document(path: Path, corpus_dir: Path, manifest: dict[str, DocMeta]) -> SourceDocument:
    raw = path.read_bytes()
    reader = READERS[path.suffix.lower()]
    text, pages = reader(path, raw)
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if not text.strip():
        raise ReadError("no text could be extracted")
    rel = path.relative_to(corpus_dir).as_posix()
    meta = manifest.get(rel) or derive_meta(path, corpus_dir, text)
    return SourceDocument(meta=meta, text=text, sha256=hashlib.sha256(raw).hexdigest(), pages=pages)


def _decode(raw: bytes) -> str:
    if b"\x00" in raw[:8192]:
        raise ReadError("binary content in a text file (wrong extension?)")
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ReadError(f"not valid UTF-8 (byte {exc.start}); re-save the file as UTF-8") from exc


def read_text(path: Path, raw: bytes):
    return _decode(raw), []


class _HTMLText(HTMLParser):
    BLOCK = {"p", "div", "br", "li", "tr", "h1", "h2", "h3", "h4", "h5", "h6", "section", "article", "ul", "ol",
             "table", "title"}
    SKIP = {"script", "style", "noscript", "template"}

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.skip_depth = 0

    def handle_starttag(self, tag, attrs):
        if tag in self.SKIP:
            self.skip_depth += 1
        elif tag in self.BLOCK:
            self.parts.append("\n\n")
        if tag == "li":
            self.parts.append("• ")

    def handle_endtag(self, tag):
        if tag in self.SKIP:
            self.skip_depth = max(0, self.skip_depth - 1)
        elif tag in self.BLOCK:
            self.parts.append("\n\n")

    def handle_data(self, data):
        if not self.skip_depth:
            self.parts.append(re.sub(r"\s+", " ", data))


def read_html(path: Path, raw: bytes):
    parser = _HTMLText()
    parser.feed(_decode(raw))
    parser.close()
    text = "".join(parser.parts)
    text = re.sub(r"[ \t]*\n[ \t]*", "\n", text)
    text = re.sub(r"\n{3,}", "\n\n", text).strip()
    return html.unescape(text) if "&" in text else text, []


def read_pdf(path: Path, raw: bytes):
    import io
    import logging

    from pypdf import PdfReader
    from pypdf.errors import PdfReadError

    logging.getLogger("pypdf").setLevel(logging.ERROR)
    try:
        reader = PdfReader(io.BytesIO(raw))
        parts: list[str] = []
        pages: list[tuple[int, int, int]] = []
        offset = 0
        for number, page in enumerate(reader.pages, start=1):
            page_text = (page.extract_text() or "").strip()
            if parts:
                parts.append("\n\n")
                offset += 2
            parts.append(page_text)
            pages.append((offset, offset + len(page_text) + 2, number))
            offset += len(page_text)
    except (PdfReadError, ValueError, KeyError, TypeError, AttributeError, OSError) as exc:
        raise ReadError(f"corrupt or unreadable PDF ({type(exc).__name__}: {exc})") from exc
    return "".join(parts), pages


def read_docx(path: Path, raw: bytes):
    import io
    import zipfile

    import docx

    try:
        document = docx.Document(io.BytesIO(raw))
    except (zipfile.BadZipFile, KeyError, ValueError) as exc:
        raise ReadError(f"corrupt or unreadable DOCX ({type(exc).__name__})") from exc
    paragraphs = []
    for para in document.paragraphs:
        text = para.text.strip()
        if not text:
            continue
        style = (para.style.name or "").lower() if para.style is not None else ""
        if "list" in style:
            text = "• " + text
        paragraphs.append(text)
    return "\n\n".join(paragraphs), []


READERS = {
    ".txt": read_text,
    ".md": read_text,
    ".markdown": read_text,
    ".html": read_html,
    ".htm": read_html,
    ".pdf": read_pdf,
    ".docx": read_docx,
}


def update_manifest(folder: Path, upsert: Iterable[dict] = (), remove_ids: Iterable[str] = frozenset(),
                    header: str = "", new_defaults: dict | None = None) -> list[dict]:
    """Add or replace entries (by id) and drop others in folder/manifest.yaml, written atomically; new_defaults
    are set on entries that were not there before (e.g. the date they were added).

    For the folders the tools manage (related/, added/): comments are not kept, `header` is written on top."""
    import os
    import tempfile

    folder.mkdir(parents=True, exist_ok=True)
    path = manifest_path(folder) or folder / MANIFEST_NAMES[0]
    data = read_manifest_file(path, path.name) if path.exists() else {}
    entries = {str(e.get("id")): e for e in data.get("documents") or [] if isinstance(e, dict)}
    for entry in upsert:
        old = entries.get(str(entry["id"]))
        entries[str(entry["id"])] = {**(old if old is not None else new_defaults or {}), **entry}
    for doc_id in remove_ids:
        entries.pop(doc_id, None)
    documents = sorted(entries.values(), key=lambda e: str(e["id"]))
    text = "".join(f"# {line}\n" for line in header.splitlines()) + yaml.safe_dump(
        {"documents": documents}, sort_keys=False, allow_unicode=True, width=1000)
    handle, tmp = tempfile.mkstemp(dir=folder, prefix=".manifest.", suffix=".tmp")
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as out:
            out.write(text)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return documents
