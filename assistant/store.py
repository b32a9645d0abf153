"""The index: chunks + embeddings in Chroma (embedded or server) plus BM25, built atomically by generation.

Layout of index_dir:
  state.json            the committed generation (written last, atomically: the commit point)
  chroma/               embedded Chroma store (absent when a Chroma server is configured)
  gens/<gen>/           chunks.jsonl, embeddings.npy, docs.json (source texts, for quote checks), derived.npz
                        (BM25 postings, term counts and the flags of instruction-like chunks, restored at open)
  sentence-vectors.npz  the corpus's sentences embedded once (index_manager.fill_sentence_vectors), any generation's
An interrupted ingest leaves state.json pointing at the previous, complete generation.

All generations share one Chroma collection (per embedder fingerprint). A chunk's Chroma id carries its document's
version (the hash of its chunks), so an ingest only upserts the chunks of new or changed documents, under new ids
that no committed generation uses; after the commit it deletes the ids the new generation does not use. A reader
of an older generation keeps only hits whose ids it knows.

Each stored copy in docs.json records the sha256 of its corpus file ("sha256"), a hash of the copy itself
("copy_sha256": metadata, text, pages) and of its chunks ("chunks_sha256"). Opening the index and every ingest
check them: a copy that was edited, or whose corpus file changed, is never answered from but re-indexed.
"""
from __future__ import annotations

import contextlib
import fcntl
import functools
import hashlib
import io
import json
import logging
import os
import re
import shutil
import sqlite3
import time
import uuid
from collections.abc import Callable, Iterable, Iterator
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any, cast
from urllib.parse import urlparse

import numpy as np

from .bm25 import BM25, TermCounts
from .chunking import CHUNKER_VERSION, Chunk, chunk_document
from .corpus import DocMeta, ReadError, SkippedFile, SourceDocument, discover, load_manifest, read_document
from .guard import instruction_spans
from .settings import Settings
from .textutil import sentence_spans

logger = logging.getLogger(__name__)

COLLECTION_PREFIX = "assistant_chunks_"
STATE_VERSION = 3  # 3: stored copies carry copy_sha256 and chunks_sha256
LAYOUT = "shared-collection"  # one collection for all generations, ids tagged with their document's version
DERIVED_FILE = "derived.npz"
DERIVED_VERSION = 1
_SEGMENT_DIR = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")


class IndexError_(Exception):
    """Base for index problems the engine can recover from by rebuilding."""


class IndexMissing(IndexError_):
    pass


class IndexCorrupt(IndexError_):
    pass


class IndexStale(IndexCorrupt):
    """Stored copies that do not match their corpus files: an ingest re-indexes just those documents."""

    def __init__(self, problems: list[str]):
        super().__init__("; ".join(problems))
        self.problems = problems


@dataclass
class Untrusted:
    """A stored copy that must not be answered from. kind: damaged (it or its chunks were edited or are
    missing), changed (its corpus file changed since), missing (its corpus file is gone), orphan (chunks of no
    stored document)."""
    doc_id: str
    file: str
    kind: str

    def describe(self, corpus_label: str) -> str:
        where = f"{corpus_label}/{self.file}" if self.file else "its corpus file"
        if self.kind == "changed":
            return f"{where} changed since {self.doc_id!r} was indexed"
        if self.kind == "missing":
            return f"{where}, indexed as {self.doc_id!r}, is no longer in the corpus"
        if self.kind == "orphan":
            return f"chunks.jsonl holds passages of {self.doc_id!r}, which has no index copy (edited or damaged)"
        return f"Index copy of {self.doc_id!r} does not match {where} (edited or damaged)"


@dataclass
class IngestReport:
    added: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    skipped: list[SkippedFile] = field(default_factory=list)
    chunks: int = 0
    embedded_chunks: int = 0
    seconds: float = 0.0
    up_to_date: bool = False
    repaired: list[str] = field(default_factory=list)  # files whose index copy was edited or damaged

    def summary(self) -> str:
        if self.up_to_date:
            head = f"Index up to date ({self.chunks} chunks, {len(self.unchanged)} documents)."
        else:
            head = (f"Indexed {self.chunks} chunks from {len(self.added) + len(self.updated) + len(self.unchanged)} "
                    f"documents in {self.seconds:.1f}s: {len(self.added)} added, {len(self.updated)} updated, "
                    f"{len(self.unchanged)} unchanged, {len(self.removed)} removed; "
                    f"{self.embedded_chunks} chunks embedded.")
        lines = [head] + [f"  re-indexed {rel}: its index copy did not match the corpus file (edited or damaged)"
                          for rel in self.repaired]
        lines += [f"  skipped {s.path}: {s.reason}" for s in self.skipped]
        return "\n".join(lines)


def chroma_client(settings: Settings):
    import chromadb
    from chromadb.config import Settings as ChromaSettings

    chroma_settings = ChromaSettings(anonymized_telemetry=False, allow_reset=False)
    if settings.chroma_url:
        url = urlparse(settings.chroma_url)
        return chromadb.HttpClient(host=url.hostname or "127.0.0.1", port=url.port or 8000,
                                   ssl=url.scheme == "https", settings=chroma_settings)
    path = Path(settings.index_dir) / "chroma"
    path.mkdir(parents=True, exist_ok=True)
    return chromadb.PersistentClient(path=str(path), settings=chroma_settings)


def release_chroma(settings: Settings) -> None:
    """Forget chromadb's cached client for the embedded store, so a damaged or deleted one is reopened from disk."""
    if settings.chroma_url:
        return
    from chromadb.api.shared_system_client import SharedSystemClient

    key = str(Path(settings.index_dir) / "chroma")
    SharedSystemClient._identifier_to_system.pop(key, None)
    SharedSystemClient._identifier_to_refcount.pop(key, None)


def _atomic_write(path: Path, data: str) -> None:
    tmp = path.with_name(f".{path.name}.{uuid.uuid4().hex}.tmp")
    with open(tmp, "w", encoding="utf-8") as handle:
        handle.write(data)
        handle.flush()
        os.fsync(handle.fileno())
    os.replace(tmp, path)


def _positions_by_text(chunks: list[Chunk], excluded: set[str]) -> dict[str, int]:
    """Each embedded text of the chunks outside the excluded documents -> its first position."""
    positions: dict[str, int] = {}
    for position, chunk in enumerate(chunks):
        if chunk.doc_id not in excluded:
            positions.setdefault(chunk.embed_text(), position)
    return positions


def _fingerprint(settings: Settings, embedder_name: str) -> str:
    return f"v{STATE_VERSION}|chunker{CHUNKER_VERSION}|{embedder_name}|max_tokens={settings.chunk_max_tokens}"


def collection_name(fingerprint: str) -> str:
    return COLLECTION_PREFIX + hashlib.sha256(fingerprint.encode()).hexdigest()[:16]


def read_state(index_dir: Path) -> dict | None:
    path = Path(index_dir) / "state.json"
    if not path.exists():
        return None
    try:
        state = json.loads(path.read_text(encoding="utf-8"))
        if not isinstance(state, dict) or "generation" not in state or "collection" not in state:
            raise ValueError("missing keys")
        return state
    except (ValueError, OSError) as exc:
        raise IndexCorrupt(f"{path} is unreadable ({exc})") from exc


def _sha256(data: str) -> str:
    return hashlib.sha256(data.encode("utf-8", "surrogatepass")).hexdigest()


def copy_digest(entry: dict) -> str:
    """Hash of a stored copy: its metadata, text, pages and the hash of the file it came from."""
    return _sha256(json.dumps({k: entry.get(k) for k in ("meta", "text", "pages", "sha256")},
                              sort_keys=True, ensure_ascii=False))


def chunks_digest(chunks: Iterable[Chunk]) -> str:
    return _sha256("\n".join(json.dumps(asdict(c), sort_keys=True, ensure_ascii=False) for c in chunks))


def stored_copy(doc: SourceDocument, chunks: list[Chunk]) -> dict:
    entry = {"meta": asdict(doc.meta), "text": doc.text, "pages": [list(p) for p in doc.pages], "sha256": doc.sha256}
    entry["copy_sha256"] = copy_digest(entry)
    entry["chunks_sha256"] = chunks_digest(chunks)
    return entry


def corpus_file_digest(corpus_dir: Path, rel: str) -> str | None:
    """sha256 of a regular file inside the corpus; None when it is gone, outside it, or no regular file."""
    root = Path(corpus_dir).resolve()
    try:
        path = (root / rel).resolve()
        if not rel or not path.is_relative_to(root) or not path.is_file():
            return None
        return hashlib.sha256(path.read_bytes()).hexdigest()
    except (OSError, RuntimeError):
        return None


def _chunk_line(chunk: Chunk) -> str:
    """A chunk as chunks.jsonl stores it: the serialization chunks_digest hashes."""
    return json.dumps(asdict(chunk), sort_keys=True, ensure_ascii=False)


def _copy_consistent(doc_id: str, entry, chunks: list[Chunk], files: dict[str, str], stored_digest: str | None) -> bool:
    try:
        meta, text = entry["meta"], entry["text"]
        if not isinstance(text, str) or meta["doc_id"] != doc_id or files.get(meta["file"]) != doc_id:
            return False
        if entry.get("copy_sha256") != copy_digest(entry):
            return False
        recorded = entry.get("chunks_sha256")
        # the hash of the lines as stored (fast); re-serialized when they are not stored canonically (older files)
        if recorded is None or (recorded != stored_digest and recorded != chunks_digest(chunks)):
            return False
        return all(c.doc_id == doc_id and c.text == text[c.start:c.end] for c in chunks)
    except (TypeError, KeyError, AttributeError, ValueError):
        return False


def untrusted_copies(docs: dict, chunks: Iterable[Chunk], files: dict[str, str], corpus_dir: Path,
                     digests: dict[str, str] | None = None,
                     chunk_digests: dict[str, str] | None = None) -> list[Untrusted]:
    """Stored copies not to answer from. files: corpus path -> doc_id as committed in state.json;
    digests: current sha256 by corpus path (None: hash the corpus files now); chunk_digests: the hash of each
    document's chunk lines as read from chunks.jsonl (None: serialize the chunks to hash them)."""
    by_doc: dict[str, list[Chunk]] = {}
    for chunk in chunks:
        by_doc.setdefault(chunk.doc_id, []).append(chunk)
    out = []
    for doc_id, entry in docs.items():
        meta = entry.get("meta") if isinstance(entry, dict) else None
        file = str(meta.get("file") or "") if isinstance(meta, dict) else ""
        if not _copy_consistent(doc_id, entry, by_doc.get(doc_id, []), files, (chunk_digests or {}).get(doc_id)):
            out.append(Untrusted(doc_id, file, "damaged"))
            continue
        current = digests.get(file) if digests is not None else corpus_file_digest(corpus_dir, file)
        if current is None:
            out.append(Untrusted(doc_id, file, "missing"))
        elif current != entry["sha256"]:
            out.append(Untrusted(doc_id, file, "changed"))
    out += [Untrusted(doc_id, file, "damaged") for file, doc_id in files.items() if doc_id not in docs]
    out += [Untrusted(str(doc_id), "", "orphan") for doc_id in by_doc if doc_id not in docs]
    return out


def _live_segments(chroma_dir: Path, collection: str) -> set[str] | None:
    """Ids of the segments Chroma's catalogue still lists; None when the live collection has no folder named
    after one of its segments (empty, or another Chroma layout): then no folder is removed."""
    db = sqlite3.connect(f"file:{chroma_dir / 'chroma.sqlite3'}?mode=ro", uri=True, timeout=10)
    try:
        live = {row[0] for row in db.execute("SELECT id FROM segments")}
        current = {row[0] for row in db.execute("SELECT s.id FROM segments s JOIN collections c ON "
                                                "s.collection = c.id WHERE c.name = ?", (collection,))}
    finally:
        db.close()
    return live if any((chroma_dir / segment).is_dir() for segment in current) else None


# ----- a stored generation -----
@dataclass
class StoredGeneration:
    chunks: list[Chunk]
    matrix: np.ndarray
    docs: dict
    chunk_digests: dict[str, str]  # doc_id -> sha256 of its chunk lines as stored
    source_sha256: str  # of chunks.jsonl: what the derived arrays were built from
    lines: list[str]  # chunks.jsonl, one line a chunk

    def canonical_lines(self) -> set[str]:
        """Documents whose chunk lines are stored as _chunk_line writes them (and hash to their chunks_sha256)."""
        return {doc_id for doc_id, digest in self.chunk_digests.items()
                if isinstance(self.docs.get(doc_id), dict) and self.docs[doc_id].get("chunks_sha256") == digest}


def read_generation(gen_dir: Path) -> StoredGeneration:
    raw = (gen_dir / "chunks.jsonl").read_bytes()
    lines = [line for line in raw.decode("utf-8").split("\n") if line.strip()]
    chunks = [Chunk(**json.loads(line)) for line in lines]
    lines_by_doc: dict[str, list[str]] = {}
    for chunk, line in zip(chunks, lines):
        if not (isinstance(chunk.doc_id, str) and isinstance(chunk.chunk_id, str) and isinstance(chunk.text, str)
                and type(chunk.start) is int and type(chunk.end) is int):
            raise ValueError(f"malformed chunk {str(chunk.chunk_id)[:80]!r}")
        lines_by_doc.setdefault(chunk.doc_id, []).append(line)
    matrix = np.load(gen_dir / "embeddings.npy")
    docs = json.loads((gen_dir / "docs.json").read_text(encoding="utf-8"))
    if len(chunks) != len(matrix):
        raise ValueError(f"{len(chunks)} chunks but {len(matrix)} embeddings")
    return StoredGeneration(chunks, matrix, docs, {d: _sha256("\n".join(ls)) for d, ls in lines_by_doc.items()},
                            hashlib.sha256(raw).hexdigest(), lines)


def load_generation(gen_dir: Path) -> tuple[list[Chunk], np.ndarray, dict]:
    stored = read_generation(gen_dir)
    return stored.chunks, stored.matrix, stored.docs


def _write_generation(gen_dir: Path, chunks: list[Chunk], matrix: np.ndarray, docs: dict,
                      lines: list[str | None]) -> str:
    """Writes the generation's files; returns the sha256 of chunks.jsonl. lines: a chunk's stored line to keep as
    it is, or None to serialize the chunk."""
    data = "".join((line or _chunk_line(chunk)) + "\n" for chunk, line in zip(chunks, lines)).encode("utf-8")
    (gen_dir / "chunks.jsonl").write_bytes(data)
    np.save(gen_dir / "embeddings.npy", matrix)
    (gen_dir / "docs.json").write_text(json.dumps(docs, ensure_ascii=False), encoding="utf-8")
    return hashlib.sha256(data).hexdigest()


def chroma_ids(chunks: Iterable[Chunk], docs: dict, layout: str | None = LAYOUT) -> list[str]:
    """Each chunk's id in the shared collection: its chunk id and its document's version."""
    if layout != LAYOUT:
        return [c.chunk_id for c in chunks]
    tags = {doc_id: str(entry.get("chunks_sha256") or "")[:16] for doc_id, entry in docs.items()}
    return [f"{c.chunk_id}@{tags.get(c.doc_id, '')}" for c in chunks]


def _all_ids(collection) -> set[str]:
    return set(collection.get(include=[])["ids"])


# ----- derived arrays: BM25 and instruction-like chunks, saved with the generation -----
def mostly_instructions(text: str) -> bool:
    """A chunk made mostly of instructions to an assistant: hostile text, never context."""
    spans = sentence_spans(text)
    flagged = len(instruction_spans(text))
    return flagged > 0 and 2 * flagged >= len(spans)


@functools.cache
def derived_key() -> str:
    """The version of what computes the derived arrays: a change to that code recomputes them."""
    from . import bm25, guard, textutil

    digest = hashlib.sha256(f"derived-{DERIVED_VERSION}".encode())
    for module in (bm25, guard, textutil):
        digest.update(Path(str(module.__file__)).read_bytes())
    return digest.hexdigest()


@dataclass
class Derived:
    counts: TermCounts
    bm25: BM25
    injected: np.ndarray  # bool, one a chunk

    @classmethod
    def build(cls, chunks: list[Chunk], previous: Derived | None = None,
              reused: list[int] | None = None) -> Derived:
        """From the chunks; with previous, chunk i whose reused[i] >= 0 takes that row of previous."""
        if previous is None or reused is None:
            reused = [-1] * len(chunks)
            previous = cls(TermCounts.of([]), BM25([]), np.zeros(0, dtype=bool))
        fresh = [i for i, p in enumerate(reused) if p < 0]
        counts = previous.counts.extended(chunks[i].embed_text() for i in fresh)
        rows = np.asarray(reused, dtype=np.int64)
        rows[fresh] = previous.counts.n + np.arange(len(fresh))
        counts = counts.select(rows)
        injected = np.zeros(len(chunks), dtype=bool)
        kept = rows < previous.counts.n
        injected[kept] = previous.injected[rows[kept]]
        injected[fresh] = [mostly_instructions(chunks[i].text) for i in fresh]
        return cls(counts, BM25(counts=counts), injected)

    def arrays(self) -> dict[str, np.ndarray]:
        return {**self.counts.arrays(), **self.bm25.arrays(), "injected": self.injected}

    def save(self, gen_dir: Path, source_sha256: str) -> None:
        arrays = self.arrays()
        arrays["checksum"] = np.frombuffer(_arrays_digest(arrays, source_sha256).encode(), dtype=np.uint8)
        buffer = io.BytesIO()
        np.savez(buffer, **cast("dict[str, Any]", arrays))  # a dict of arrays; numpy types **kwds loosely
        tmp = gen_dir / f".{DERIVED_FILE}.{uuid.uuid4().hex}.tmp"
        tmp.write_bytes(buffer.getvalue())
        os.replace(tmp, gen_dir / DERIVED_FILE)

    @classmethod
    def load(cls, gen_dir: Path, source_sha256: str, n: int) -> Derived | None:
        """The saved arrays, when they were computed by this code from these chunks and are intact; else None."""
        try:
            with np.load(gen_dir / DERIVED_FILE, allow_pickle=False) as saved:
                arrays = {name: saved[name] for name in saved.files}
            checksum = arrays.pop("checksum").tobytes().decode()
            if checksum != _arrays_digest(arrays, source_sha256):
                return None
            derived = cls(TermCounts.from_arrays(arrays), BM25.from_arrays(arrays), arrays["injected"])
        except Exception:  # missing, truncated, not a zip, arrays of another shape: recomputed, never fatal
            return None
        if derived.counts.n != n or derived.bm25.n != n or len(derived.injected) != n:
            return None
        return derived


def _arrays_digest(arrays: dict[str, np.ndarray], source_sha256: str) -> str:
    digest = hashlib.sha256(f"{derived_key()}|{source_sha256}".encode())
    for name in sorted(arrays):
        digest.update(f"|{name}|{arrays[name].dtype.str}|{arrays[name].shape}|".encode())
        digest.update(np.ascontiguousarray(arrays[name]).tobytes())
    return digest.hexdigest()


# ----- ingest -----
@contextlib.contextmanager
def _ingest_lock(index_dir: Path) -> Iterator[None]:
    """One ingest at a time per index folder, across processes (released when the process dies)."""
    with open(index_dir / ".ingest.lock", "a") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


@dataclass
class _Scan:
    """The corpus as it is now."""
    files: list[Path]
    keys: dict[str, str]  # corpus path -> sha256 of the file and its manifest entry
    digests: dict[str, str]  # corpus path -> sha256 of the file
    manifest: dict


@dataclass
class _Previous:
    """The committed generation an ingest starts from."""
    state: dict
    files: dict  # corpus path -> {"key", "doc_id"}
    keys: dict[str, str]
    stored: StoredGeneration | None
    by_doc: dict[str, list[int]]  # doc_id -> positions of its chunks
    untrusted: dict[str, str]  # doc_id -> kind


@dataclass
class _Build:
    """A new generation, before it is committed."""
    generation: str
    chunks: list[Chunk] = field(default_factory=list)
    reused: list[int] = field(default_factory=list)  # position in the previous generation, -1 for a new chunk
    docs: dict[str, dict] = field(default_factory=dict)
    files: dict[str, dict] = field(default_factory=dict)
    unreadable: dict[str, str] = field(default_factory=dict)  # failed files by key: unchanged ones stay up to date
    matrix: np.ndarray | None = None


class Ingestor:
    """Builds a new index generation from the corpus, reusing embeddings of unchanged files.

    progress(done, total) is called while embedding; messages go to the module's logger."""

    def __init__(self, settings: Settings, embedder, progress: Callable | None = None):
        self.settings = settings
        self.embedder = embedder
        self.progress = progress
        self.index_dir = Path(settings.index_dir)
        self.fingerprint = _fingerprint(settings, embedder.name)
        self.collection_name = collection_name(self.fingerprint)

    def run(self, rebuild: bool = False) -> IngestReport:
        started = time.perf_counter()
        corpus_dir = Path(self.settings.corpus_dir)
        if not corpus_dir.is_dir():
            raise FileNotFoundError(f"corpus folder not found: {corpus_dir}")
        self.index_dir.mkdir(parents=True, exist_ok=True)
        with _ingest_lock(self.index_dir):
            report = IngestReport()
            scan = self._scan(corpus_dir, report)
            previous = None if rebuild else self._previous(scan, report)
            if previous and previous.keys == scan.keys and not previous.untrusted and self._intact(previous):
                self._report_up_to_date(previous, report)
            else:
                build = self._build(scan, previous, report)
                partial = self.index_dir / "gens" / (build.generation + ".partial")  # until the commit
                partial.mkdir(parents=True)
                self._embed_new(build, previous, report)
                self._write(build, previous, partial)
                collection, present = self._sync_chroma(build, force=previous is None)
                replaced = _generation_of(self.index_dir)
                state = self._commit(build, partial, report)
                self._collect_garbage(state, collection, present - set(chroma_ids(build.chunks, build.docs)),
                                      keep=replaced)
                report.chunks = len(build.chunks)
        report.seconds = time.perf_counter() - started
        return report

    def _scan(self, corpus_dir: Path, report: IngestReport) -> _Scan:
        files, report.skipped = discover(corpus_dir, self.settings.max_file_mb)
        try:
            manifest = load_manifest(corpus_dir)
        except ReadError as exc:  # a broken manifest is a bad file too: report it, ingest without it
            name, _, reason = str(exc).partition(": ")
            report.skipped.append(SkippedFile(name, f"{reason}; metadata is derived from the files instead"))
            manifest = {}
        keys, digests = {}, {}
        for path in files:
            rel = path.relative_to(corpus_dir).as_posix()
            meta = manifest.get(rel)
            digests[rel] = hashlib.sha256(path.read_bytes()).hexdigest()
            keys[rel] = f"{digests[rel]}|{json.dumps(asdict(meta), sort_keys=True) if meta else ''}"
        return _Scan(files, keys, digests, manifest)

    def _previous(self, scan: _Scan, report: IngestReport) -> _Previous | None:
        """The committed generation, checked, when it was built by this fingerprint; else None (build anew)."""
        try:
            state = read_state(self.index_dir)
        except IndexCorrupt as exc:
            logger.warning("Previous index unreadable (%s); building from scratch.", exc)
            return None
        if not state:
            return None
        if state.get("fingerprint") != self.fingerprint:
            if state.get("version") != STATE_VERSION:
                logger.warning("The index was built by an older version (format %s); re-indexing everything.",
                               state.get("version"))
            return None
        files = state.get("files", {})
        keys = {rel: info["key"] for rel, info in files.items()} | state.get("unreadable", {})
        stored, untrusted = self._load_checked(state, files, scan.digests, {s.path for s in report.skipped})
        by_doc: dict[str, list[int]] = {}
        for i, chunk in enumerate(stored.chunks if stored else []):
            by_doc.setdefault(chunk.doc_id, []).append(i)
        return _Previous(state, files, keys, stored, by_doc, untrusted)

    def _report_up_to_date(self, previous: _Previous, report: IngestReport) -> None:
        report.up_to_date = True
        report.unchanged = sorted(previous.files)
        report.chunks = previous.state.get("chunk_count", 0)
        report.skipped += [SkippedFile(**s) for s in previous.state.get("skipped", []) if s not in
                           [asdict(x) for x in report.skipped]]

    def _build(self, scan: _Scan, previous: _Previous | None, report: IngestReport) -> _Build:
        """The new generation's documents and chunks: unchanged files' from the previous one, the rest read and
        chunked (their chunks marked for embedding)."""
        corpus_dir = Path(self.settings.corpus_dir)
        build = _Build(time.strftime("%Y%m%d-%H%M%S") + "-" + uuid.uuid4().hex[:6])
        prev_files = previous.files if previous else {}
        used_ids: set[str] = set()
        for path in scan.files:
            rel = path.relative_to(corpus_dir).as_posix()
            old = prev_files.get(rel)
            doc_id = self._reusable(previous, old, scan.keys[rel], used_ids)
            if doc_id:
                assert previous is not None and previous.stored is not None  # _reusable checked both
                build.docs[doc_id] = previous.stored.docs[doc_id]
                for position in previous.by_doc.get(doc_id, []):
                    build.chunks.append(previous.stored.chunks[position])
                    build.reused.append(position)
                report.unchanged.append(rel)
            else:
                doc_id = self._read_new(path, rel, scan, used_ids, build, report)
                if doc_id is None:
                    continue
                (report.updated if old else report.added).append(rel)
                if old and previous and previous.untrusted.get(old["doc_id"]) == "damaged":
                    report.repaired.append(rel)
            used_ids.add(doc_id)
            build.files[rel] = {"key": scan.keys[rel], "doc_id": doc_id}
        report.removed = sorted(set(prev_files) - set(build.files) - {s.path for s in report.skipped})
        return build

    @staticmethod
    def _reusable(previous: _Previous | None, old: dict | None, key: str, used_ids: set[str]) -> str | None:
        """The doc_id whose stored copy and chunks the file can keep, or None."""
        if not (previous and previous.stored and old and old["key"] == key):
            return None
        doc_id = old["doc_id"]
        usable = doc_id in previous.stored.docs and doc_id not in used_ids and doc_id not in previous.untrusted
        return doc_id if usable else None

    def _read_new(self, path: Path, rel: str, scan: _Scan, used_ids: set[str], build: _Build,
                  report: IngestReport) -> str | None:
        """Reads and chunks one file into build; None (and the file reported) when it cannot be read."""
        try:
            doc = read_document(path, Path(self.settings.corpus_dir), scan.manifest)
            chunks = chunk_document(doc, self.embedder.count_tokens, self.settings.chunk_max_tokens)
        except ReadError as exc:
            reason = str(exc)
        except Exception as exc:  # a reader library failing on a hostile file
            reason = f"could not be read ({type(exc).__name__}: {exc})"
        else:
            doc_id = _unique_id(doc.meta.doc_id, used_ids)
            if doc_id != doc.meta.doc_id:
                doc.meta.doc_id = doc_id
                chunks = chunk_document(doc, self.embedder.count_tokens, self.settings.chunk_max_tokens)
            build.docs[doc_id] = stored_copy(doc, chunks)
            build.chunks.extend(chunks)
            build.reused.extend([-1] * len(chunks))
            return doc_id
        report.skipped.append(SkippedFile(rel, reason))
        build.unreadable[rel] = scan.keys[rel]
        return None

    def _embed_new(self, build: _Build, previous: _Previous | None, report: IngestReport) -> None:
        """build.matrix: the previous generation's vectors for reused chunks and for new chunks whose text a
        trusted previous chunk had (an edit keeps most of a file's chunks); the rest are embedded."""
        sources = list(build.reused)
        new = [i for i, p in enumerate(sources) if p < 0]
        if new and previous is not None and previous.stored is not None:
            damaged = {doc_id for doc_id, kind in previous.untrusted.items() if kind in ("damaged", "orphan")}
            same_text = _positions_by_text(previous.stored.chunks, damaged)
            for i in new:
                sources[i] = same_text.get(build.chunks[i].embed_text(), -1)
        fresh = [i for i, p in enumerate(sources) if p < 0]
        vectors = self._embed([build.chunks[i] for i in fresh])
        report.embedded_chunks = len(fresh)
        matrix = np.zeros((len(build.chunks), self.embedder.dim), dtype=np.float32)
        if fresh:
            matrix[fresh] = vectors
        kept = [i for i, p in enumerate(sources) if p >= 0]
        if kept:
            assert previous is not None and previous.stored is not None  # chunks are reused only from it
            matrix[kept] = previous.stored.matrix[[sources[i] for i in kept]]
        build.matrix = matrix

    def _embed(self, chunks: list[Chunk]) -> np.ndarray:
        """Embeds in order of length (batches of alike lengths pad less), in batches of 64 for progress."""
        total = len(chunks)
        out = np.zeros((total, self.embedder.dim), dtype=np.float32)
        order = sorted(range(total), key=lambda i: len(chunks[i].embed_text()))
        batch = 64
        self.embedder.expect(total)
        if self.progress:
            self.progress(0, total)
        for i in range(0, total, batch):
            part = order[i:i + batch]
            out[part] = self.embedder.embed([chunks[j].embed_text() for j in part], bulk=True)
            if self.progress:
                self.progress(min(i + batch, total), total)
        return out

    def _write(self, build: _Build, previous: _Previous | None, partial: Path) -> None:
        """The generation's files in gens/<gen>.partial/, the derived arrays reused where the chunks are."""
        assert build.matrix is not None
        lines: list[str | None] = [None] * len(build.chunks)
        prior = None
        if previous and previous.stored:
            stored, canonical = previous.stored, previous.stored.canonical_lines()
            lines = [stored.lines[p] if p >= 0 and stored.chunks[p].doc_id in canonical else None for p in build.reused]
            prior = Derived.load(self.index_dir / "gens" / previous.state["generation"], stored.source_sha256,
                                 len(stored.chunks))
        source = _write_generation(partial, build.chunks, build.matrix, build.docs, lines)
        Derived.build(build.chunks, prior, build.reused if prior else None).save(partial, source)

    def _sync_chroma(self, build: _Build, force: bool):
        """Upserts the chunks the shared collection lacks (all of them when force); returns the collection and
        the ids it held before."""
        assert build.matrix is not None
        client = chroma_client(self.settings)
        try:
            collection = client.get_collection(self.collection_name, embedding_function=None)
        except Exception:  # none yet (chromadb raises NotFoundError or ValueError, by version)
            collection = client.create_collection(self.collection_name, embedding_function=None,
                                                  metadata={"hnsw:space": "cosine"})
        ids = chroma_ids(build.chunks, build.docs)
        present = _all_ids(collection)
        missing = [i for i, cid in enumerate(ids) if force or cid not in present]
        batch = 1000
        for i in range(0, len(missing), batch):
            rows = missing[i:i + batch]
            collection.upsert(ids=[ids[r] for r in rows], embeddings=build.matrix[rows],
                              documents=[build.chunks[r].text for r in rows],
                              metadatas=[build.chunks[r].metadata() for r in rows])
        return collection, present

    def _commit(self, build: _Build, partial: Path, report: IngestReport) -> dict:
        os.replace(partial, self.index_dir / "gens" / build.generation)
        state = {
            "version": STATE_VERSION, "fingerprint": self.fingerprint, "generation": build.generation,
            "layout": LAYOUT, "collection": self.collection_name, "chunk_count": len(build.chunks),
            "files": build.files, "skipped": [asdict(s) for s in report.skipped], "unreadable": build.unreadable,
            "chroma_url": self.settings.chroma_url, "created": time.time(),
        }
        _atomic_write(self.index_dir / "state.json", json.dumps(state, indent=1))  # commit point
        return state

    def _intact(self, previous: _Previous) -> bool:
        """The previous generation is whole: its files, and every chunk in the shared collection."""
        state, stored = previous.state, previous.stored
        if stored is None or state.get("layout") != LAYOUT or state.get("collection") != self.collection_name \
                or len(stored.chunks) != state.get("chunk_count"):
            return False
        try:
            collection = chroma_client(self.settings).get_collection(state["collection"])
            return set(chroma_ids(stored.chunks, stored.docs)) <= _all_ids(collection)
        except Exception:
            return False

    def _load_checked(self, state: dict, files: dict, digests: dict[str, str], skipped: set[str]):
        """The previous generation and the doc_ids of copies not to reuse (by kind); logs each, unless its file
        is skipped now (the report says why)."""
        try:
            stored = read_generation(self.index_dir / "gens" / state["generation"])
            if not isinstance(stored.docs, dict):
                raise ValueError("docs.json holds no documents")
            doc_files = {rel: info["doc_id"] for rel, info in files.items()}
        except (OSError, ValueError, KeyError, TypeError) as exc:
            logger.warning("Previous index generation unreadable (%s); re-embedding everything.", exc)
            return None, {}
        label = Path(self.settings.corpus_dir).name
        untrusted: dict[str, str] = {}
        for problem in untrusted_copies(stored.docs, stored.chunks, doc_files, self.settings.corpus_dir, digests,
                                        stored.chunk_digests):
            if problem.kind == "changed" and problem.file in digests and \
                    files.get(problem.file, {}).get("key", "").startswith(digests[problem.file]):
                problem.kind = "damaged"  # state.json recorded the current file, the copy another one
            untrusted.setdefault(problem.doc_id, problem.kind)
            if problem.kind == "missing" and problem.file in skipped:
                continue
            action = {"missing": "removing it from the index", "orphan": "dropping them"}.get(problem.kind,
                                                                                           "re-indexing it")
            logger.warning("%s; %s", problem.describe(label), action)
        return stored, untrusted

    def _collect_garbage(self, state: dict, collection, stale_ids: set[str], keep: str | None = None) -> None:
        """After the commit: the ids no longer used, older generations' folders (interrupted runs' included; the
        generation just replaced, keep, stays for a process still opening it), collections of other layouts or
        fingerprints, and the HNSW folders of deleted collections, which Chroma leaves on disk. Never fails the
        ingest."""
        for path in (self.index_dir / "gens").iterdir():
            if path.name not in (state["generation"], keep):
                shutil.rmtree(path, ignore_errors=True)
        try:
            stale = sorted(stale_ids)
            for i in range(0, len(stale), 5000):
                collection.delete(ids=stale[i:i + 5000])
            client = chroma_client(self.settings)
            for name in client.list_collections():
                name = getattr(name, "name", name)
                if name.startswith(COLLECTION_PREFIX) and name != state["collection"]:
                    client.delete_collection(name)
        except Exception as exc:
            logger.warning("note: could not remove old index entries (%s)", exc)
        if not self.settings.chroma_url:
            self._remove_segment_folders(self.index_dir / "chroma", state["collection"])

    def _remove_segment_folders(self, chroma_dir: Path, collection: str) -> None:
        try:
            live = _live_segments(chroma_dir, collection)
            if live is None:
                return
            for path in chroma_dir.iterdir():
                if path.is_dir() and not path.is_symlink() and _SEGMENT_DIR.match(path.name) and path.name not in live:
                    shutil.rmtree(path, ignore_errors=True)
        except Exception as exc:
            logger.warning("note: could not remove old collection folders (%s)", exc)


def _generation_of(index_dir: Path) -> str | None:
    try:
        state = read_state(index_dir)
    except IndexCorrupt:
        return None
    return state["generation"] if state else None


def _unique_id(doc_id: str, used: set[str]) -> str:
    candidate, n = doc_id, 2
    while candidate in used:
        candidate, n = f"{doc_id}-{n}", n + 1
    return candidate


class Index:
    """A committed generation, opened read-only for retrieval.

    Raises IndexStale when a stored copy does not match its corpus file, or the collection lacks chunks of this
    generation (verify=False skips the corpus check, for synthetic benchmark indexes only). The derived arrays
    (BM25, instruction-like chunks) are restored from the generation; recomputed and saved only when missing,
    damaged or made by other code. opened_from_cache says which."""

    def __init__(self, settings: Settings, verify: bool = True):
        self.settings = settings
        index_dir = Path(settings.index_dir)
        state = read_state(index_dir)
        if state is None:
            raise IndexMissing(f"no index at {index_dir}; run `assistant ingest`")
        self.state = state
        if verify and state.get("version") != STATE_VERSION:
            raise IndexStale([f"the index was built by an older version (format {state.get('version')})"])
        gen_dir = index_dir / "gens" / state["generation"]
        stored = self._read_checked(gen_dir, verify)
        self.chunks, self.matrix, docs = stored.chunks, stored.matrix, stored.docs
        self.docs = {doc_id: (DocMeta(**d["meta"]), d["text"]) for doc_id, d in docs.items()}
        self.pages = {doc_id: [tuple(p) for p in d.get("pages") or []] for doc_id, d in docs.items()}
        if verify and state.get("layout") != LAYOUT:
            raise IndexStale(["the index uses the older layout of one Chroma collection per generation"])
        ids = chroma_ids(self.chunks, docs, state.get("layout"))
        self.position = {cid: i for i, cid in enumerate(ids)}
        self.collection, self.extra = self._open_collection(ids)
        self.by_doc: dict[str, list[int]] = {}
        for i, chunk in enumerate(self.chunks):
            self.by_doc.setdefault(chunk.doc_id, []).append(i)
        derived = Derived.load(gen_dir, stored.source_sha256, len(self.chunks))
        self.opened_from_cache = derived is not None
        if derived is None:
            derived = Derived.build(self.chunks)
            try:
                derived.save(gen_dir, stored.source_sha256)
            except OSError as exc:
                logger.info("could not save the index's derived arrays (%s)", exc)
        self.bm25 = derived.bm25
        self.injected = {int(i) for i in np.flatnonzero(derived.injected)}

    def _read_checked(self, gen_dir: Path, verify: bool) -> StoredGeneration:
        state = self.state
        try:
            stored = read_generation(gen_dir)
            untrusted = []
            if verify:
                files = {rel: info["doc_id"] for rel, info in state["files"].items()}
                untrusted = untrusted_copies(stored.docs, stored.chunks, files, Path(self.settings.corpus_dir),
                                             chunk_digests=stored.chunk_digests)
            docs = stored.docs
            if not all(isinstance(d, dict) and isinstance(d.get("meta"), dict) for d in docs.values()):
                raise ValueError("docs.json holds malformed copies")
        except (OSError, ValueError, KeyError, TypeError, AttributeError) as exc:
            raise IndexCorrupt(f"index generation {state['generation']} is damaged ({exc})") from exc
        if untrusted:
            label = Path(self.settings.corpus_dir).name
            raise IndexStale([problem.describe(label) for problem in untrusted])
        return stored

    def _open_collection(self, ids: list[str]):
        """The collection and how many ids it holds beyond this generation's (what a dense query over-fetches)."""
        try:
            collection = chroma_client(self.settings).get_collection(self.state["collection"],
                                                                     embedding_function=None)
            present = _all_ids(collection)
        except Exception as exc:
            raise IndexCorrupt(f"Chroma collection {self.state['collection']} unavailable ({exc})") from exc
        lacking = len(set(ids) - present)
        if lacking:
            raise IndexStale([f"the Chroma collection lacks {lacking} of the index's {len(ids)} chunks"])
        return collection, len(present) - len(ids)

    @property
    def generation(self) -> str:
        return self.state["generation"]

    def doc_text(self, doc_id: str) -> str | None:
        entry = self.docs.get(doc_id)
        return entry[1] if entry else None

    def page_at(self, doc_id: str, offset: int) -> int | None:
        return next((n for start, end, n in self.pages.get(doc_id, []) if start <= offset < end), None)

    def doc_meta(self, doc_id: str) -> DocMeta | None:
        entry = self.docs.get(doc_id)
        return entry[0] if entry else None

    def dense_search(self, vector: np.ndarray, k: int, doc_ids: list[str] | None = None) -> list[tuple[int, float]]:
        """The k chunks nearest the vector, (position, cosine similarity), best first. Within given documents an
        exact search over their rows; otherwise Chroma's, keeping only this generation's ids."""
        if doc_ids is not None and len(doc_ids):
            return self._dense_within(vector, k, doc_ids)
        want = min(k, len(self.chunks))
        if want <= 0:
            return []
        n, hits = want + self.extra, []
        for _ in range(2):
            result = self.collection.query(query_embeddings=[vector.tolist()], n_results=n, include=["distances"])
            ids, distances = result["ids"][0], result["distances"][0]
            hits = [(self.position[i], 1.0 - float(d)) for i, d in zip(ids, distances) if i in self.position]
            if len(hits) >= want or len(ids) < n:
                break
            n = max(n + 1, self.collection.count())  # an ingest added entries since this index opened
        return hits[:want]

    def _dense_within(self, vector: np.ndarray, k: int, doc_ids: list[str]) -> list[tuple[int, float]]:
        rows = np.asarray(sorted({i for d in doc_ids for i in self.by_doc.get(d, [])}), dtype=np.int64)
        if not len(rows) or k <= 0:
            return []
        similarity = self.matrix[rows] @ vector.astype(np.float32)
        best = np.lexsort((rows, -similarity))[:k]
        return [(int(rows[j]), float(similarity[j])) for j in best]

    def lexical_search(self, query: str, k: int, doc_ids: list[str] | None = None) -> list[tuple[int, float]]:
        allowed = None
        if doc_ids:
            allowed = {i for d in doc_ids for i in self.by_doc.get(d, [])}
        return self.bm25.search(query, k, allowed)
