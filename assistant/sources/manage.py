"""The corpus as users manage it: add (Factbook profiles, a file, a URL), list and remove sources.

Tool-managed documents live in their own folders with their own manifest.yaml: corpus/related/ (generated
Factbook profiles) and corpus/added/ (files and downloads). Files at the top of corpus/ are the bundled
collection and are edited by hand.
"""
from __future__ import annotations

import re
import shutil
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from ..corpus import (
    SUPPORTED,
    DocMeta,
    ReadError,
    derive_meta,
    load_manifest,
    manifest_path,
    read_document,
    read_manifest_file,
    update_manifest,
)
from ..settings import Settings
from .factbook import MANIFEST_HEADER as RELATED_HEADER

RELATED_DIR = "related"
ADDED_DIR = "added"
MANAGED_DIRS = (RELATED_DIR, ADDED_DIR)
ADDED_HEADER = "Written by `assistant sources add` and the app's uploads. One entry per file in this folder."


class SourceError(Exception):
    """A source that cannot be added or removed; the message is for the user."""


@dataclass
class SourceRow:
    doc_id: str
    title: str
    kind: str
    chunks: int
    added: str
    authors: list[str]
    date: str
    licence: str
    url: str
    file: str

    def to_json(self) -> dict:
        return dict(self.__dict__)


def _today() -> str:
    return time.strftime("%Y-%m-%d")


def _kind(meta: DocMeta) -> str:
    return meta.kind or Path(meta.file).suffix.lstrip(".").lower() or "text"


def _added_dates(corpus_dir: Path) -> dict[str, str]:
    """`added:` of the managed folders' entries, by doc id."""
    dates = {}
    for name in MANAGED_DIRS:
        path = manifest_path(corpus_dir / name)
        if path is None:
            continue
        try:
            entries = read_manifest_file(path, path.name).get("documents") or []
        except ReadError:
            continue
        dates.update({str(e.get("id")): str(e.get("added") or "") for e in entries if isinstance(e, dict)})
    return dates


def list_sources(settings: Settings, index) -> list[SourceRow]:
    """Every indexed document with its metadata and chunk count."""
    corpus_dir = Path(settings.corpus_dir)
    added = _added_dates(corpus_dir)
    rows = []
    for doc_id in sorted(index.docs):
        meta = index.doc_meta(doc_id)
        when = added.get(doc_id, "")
        if not when and (corpus_dir / meta.file).exists():
            when = time.strftime("%Y-%m-%d", time.localtime((corpus_dir / meta.file).stat().st_mtime))
        rows.append(SourceRow(doc_id=doc_id, title=meta.title, kind=_kind(meta),
                              chunks=len(index.by_doc.get(doc_id, [])), added=when, authors=list(meta.authors),
                              date=meta.date, licence=meta.licence, url=meta.url, file=meta.file))
    return rows


# ----- Factbook -----
def factbook_codes(settings: Settings, countries: list[str] | None = None, related_to: str | None = None,
                   everything: bool = False) -> list[str]:
    from . import factbook

    if everything:
        return factbook.profile_codes()
    if countries:
        try:
            return factbook.checked_codes(countries)
        except ValueError as exc:
            raise SourceError(str(exc)) from exc
    if related_to:
        return factbook.related_codes(document_text(settings, related_to))
    raise SourceError("say which profiles: --countries CODES, --related-to DOC_ID or --all")


def document_text(settings: Settings, doc_id: str) -> str:
    corpus_dir = Path(settings.corpus_dir)
    for rel, meta in load_manifest(corpus_dir).items():
        if meta.doc_id == doc_id and (corpus_dir / rel).is_file():
            return read_document(corpus_dir / rel, corpus_dir, {rel: meta}).text
    raise SourceError(f"no document with id {doc_id!r} in {corpus_dir}'s manifests")


def add_factbook(settings: Settings, codes: list[str]) -> list[dict]:
    from . import factbook

    return factbook.write_profiles(codes, Path(settings.corpus_dir) / RELATED_DIR, new_defaults={"added": _today()})


# ----- files and URLs -----
def _slug(name: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")[:80] or "document"


def _unique_path(folder: Path, stem: str, suffix: str) -> Path:
    path, n = folder / f"{stem}{suffix}", 2
    while path.exists():
        path, n = folder / f"{stem}-{n}{suffix}", n + 1
    return path


def _used_ids(settings: Settings) -> set[str]:
    corpus_dir = Path(settings.corpus_dir)
    try:
        return {meta.doc_id for meta in load_manifest(corpus_dir).values()}
    except ReadError:
        return set()


def _entry_for(path: Path, folder: Path, meta, url: str, settings: Settings) -> dict:
    """Manifest entry for a file just placed in added/: its metadata, or what the file itself says."""
    corpus_dir = Path(settings.corpus_dir)
    try:
        doc = read_document(path, corpus_dir, {})
    except ReadError as exc:
        raise SourceError(f"{path.name}: {exc}") from exc
    except Exception as exc:  # a reader library failing on a hostile file
        raise SourceError(f"{path.name}: could not be read ({type(exc).__name__})") from exc
    derived = derive_meta(path, corpus_dir, doc.text)
    doc_id, used, n = _slug(path.stem), _used_ids(settings), 2
    base = doc_id
    while doc_id in used:
        doc_id, n = f"{base}-{n}", n + 1
    return {"id": doc_id, "file": path.name, "title": meta.title or derived.title, "authors": meta.authors,
            "date": meta.date, "url": url or meta.url, "licence": "", "kind": path.suffix.lstrip(".").lower(),
            "added": _today()}


def add_file(settings: Settings, source: Path, name: str | None = None) -> dict:
    """Copies a file into corpus/added/ with a manifest entry; an unreadable file is refused and not kept."""
    from .fetch import read_metadata

    source = Path(source)
    name = name or source.name
    suffix = Path(name).suffix.lower()
    if suffix not in SUPPORTED:
        raise SourceError(f"{name}: unsupported file type {suffix or '(none)'!r} "
                          f"(supported: {', '.join(sorted(SUPPORTED))})")
    if not source.is_file():
        raise SourceError(f"{source}: no such file")
    size = source.stat().st_size
    if size == 0:
        raise SourceError(f"{name}: empty file (0 bytes)")
    if size > settings.max_file_mb * 1024 * 1024:
        raise SourceError(f"{name}: file too large ({size / 1e6:.0f} MB > {settings.max_file_mb:g} MB limit)")
    folder = Path(settings.corpus_dir) / ADDED_DIR
    folder.mkdir(parents=True, exist_ok=True)
    target = _unique_path(folder, _slug(Path(name).stem), suffix)
    with tempfile.TemporaryDirectory(dir=folder, prefix=".add-") as tmp:
        staged = Path(tmp) / target.name
        shutil.copyfile(source, staged)
        entry = _entry_for(staged, folder, read_metadata(staged), "", settings)
        staged.replace(target)
    update_manifest(folder, upsert=[entry], header=ADDED_HEADER)
    return entry


def add_url(settings: Settings, url: str, timeout_s: float = 20.0) -> dict:
    """Downloads a URL (HTML, PDF, text, DOCX) into corpus/added/ with a manifest entry."""
    from .fetch import FetchError, fetch_url

    folder = Path(settings.corpus_dir) / ADDED_DIR
    folder.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=folder, prefix=".fetch-") as tmp:
        try:
            fetched, meta = fetch_url(url, Path(tmp), timeout_s=timeout_s,
                                      max_bytes=int(settings.max_file_mb * 1024 * 1024))
        except FetchError as exc:
            raise SourceError(str(exc)) from exc
        target = _unique_path(folder, fetched.stem, fetched.suffix)
        entry = _entry_for(fetched, folder, meta, url, settings)
        entry["file"] = target.name
        fetched.replace(target)
    update_manifest(folder, upsert=[entry], header=ADDED_HEADER)
    return entry


def remove(settings: Settings, doc_id: str) -> str:
    """Deletes a managed document's file and manifest entry; returns its path relative to the corpus."""
    corpus_dir = Path(settings.corpus_dir)
    for rel, meta in load_manifest(corpus_dir).items():
        if meta.doc_id != doc_id:
            continue
        folder = (corpus_dir / rel).parent
        if folder.name not in MANAGED_DIRS or folder.parent.resolve() != corpus_dir.resolve():
            raise SourceError(f"{doc_id} ({rel}) is part of the bundled collection; to remove it, delete the file "
                              "and its entry in corpus/manifest.yaml by hand")
        (corpus_dir / rel).unlink(missing_ok=True)
        update_manifest(folder, remove_ids={doc_id},
                        header=RELATED_HEADER if folder.name == RELATED_DIR else ADDED_HEADER)
        return rel
    raise SourceError(f"no document with id {doc_id!r} (see `assistant sources list`)")
