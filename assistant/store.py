"""The index: chunks + embeddings in Chroma (embedded or server) plus BM25, built atomically by generation.

Layout of index_dir:
  state.json            the committed generation (written last, atomically: the commit point)
  chroma/               embedded Chroma store (absent when a Chroma server is configured)
  gens/<gen>/           chunks.jsonl, embeddings.npy, docs.json (source texts, for quote checks)
An interrupted ingest leaves state.json pointing at the previous, complete generation.

Each stored copy in docs.json records the sha256 of its corpus file ("sha256"), a hash of the copy itself
("copy_sha256": metadata, text, pages) and of its chunks ("chunks_sha256"). Opening the index and every ingest
check them: a copy that was edited, or whose corpus file changed, is never answered from but re-indexed.
"""
from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import sqlite3
import time
import uuid
from collections.abc import Callable, Iterable
from dataclasses import asdict, dataclass, field
from pathlib import Path
from urllib.parse import urlparse

import numpy as np

from .bm25 import BM25
from .chunking import CHUNKER_VERSION, Chunk, chunk_document
from .corpus import DocMeta, ReadError, SkippedFile, SourceDocument, discover, load_manifest, read_document
from .settings import Settings

COLLECTION_PREFIX = "assistant_chunks_"
STATE_VERSION = 3  # 3: stored copies carry copy_sha256 and chunks_sha256
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


def _fingerprint(settings: Settings, embedder_name: str) -> str:
    return f"v{STATE_VERSION}|chunker{CHUNKER_VERSION}|{embedder_name}|max_tokens={settings.chunk_max_tokens}"


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


def _copy_consistent(doc_id: str, entry, chunks: list[Chunk], files: dict[str, str]) -> bool:
    try:
        meta, text = entry["meta"], entry["text"]
        if not isinstance(text, str) or meta["doc_id"] != doc_id or files.get(meta["file"]) != doc_id:
            return False
        if entry.get("copy_sha256") != copy_digest(entry) or entry.get("chunks_sha256") != chunks_digest(chunks):
            return False
        return all(c.doc_id == doc_id and c.text == text[c.start:c.end] for c in chunks)
    except (TypeError, KeyError, AttributeError, ValueError):
        return False


def untrusted_copies(docs: dict, chunks: Iterable[Chunk], files: dict[str, str], corpus_dir: Path,
                     digests: dict[str, str] | None = None) -> list[Untrusted]:
    """Stored copies not to answer from. files: corpus path -> doc_id as committed in state.json;
    digests: current sha256 by corpus path (None: hash the corpus files now)."""
    by_doc: dict[str, list[Chunk]] = {}
    for chunk in chunks:
        by_doc.setdefault(chunk.doc_id, []).append(chunk)
    out = []
    for doc_id, entry in docs.items():
        meta = entry.get("meta") if isinstance(entry, dict) else None
        file = str(meta.get("file") or "") if isinstance(meta, dict) else ""
        if not _copy_consistent(doc_id, entry, by_doc.get(doc_id, []), files):
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


class Ingestor:
    """Builds a new index generation from the corpus, reusing embeddings of unchanged files."""

    def __init__(self, settings: Settings, embedder, progress: Callable | None = None, log=print):
        self.settings = settings
        self.embedder = embedder
        self.progress = progress  # progress(done, total) for embedding
        self.log = log
        self.index_dir = Path(settings.index_dir)

    def run(self, rebuild: bool = False) -> IngestReport:
        started = time.perf_counter()
        report = IngestReport()
        corpus_dir = Path(self.settings.corpus_dir)
        if not corpus_dir.is_dir():
            raise FileNotFoundError(f"corpus folder not found: {corpus_dir}")
        self.index_dir.mkdir(parents=True, exist_ok=True)
        try:
            previous = None if rebuild else read_state(self.index_dir)
        except IndexCorrupt as exc:
            self.log(f"Previous index unreadable ({exc}); building from scratch.")
            previous = None
        fingerprint = _fingerprint(self.settings, self.embedder.name)
        if previous and previous.get("fingerprint") != fingerprint:
            if previous.get("version") != STATE_VERSION:
                self.log(f"The index was built by an older version (format {previous.get('version')}); "
                         "re-indexing everything.")
            previous = None

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

        prev_files = (previous or {}).get("files", {})
        prev_keys = {rel: info["key"] for rel, info in prev_files.items()} | (previous or {}).get("unreadable", {})
        prev_chunks, prev_docs, untrusted = {}, {}, {}
        if previous:
            prev_chunks, prev_docs, untrusted = self._load_checked(previous, prev_files, digests,
                                                                   {s.path for s in report.skipped})
        if previous and prev_keys == keys and not untrusted and self._intact(previous, prev_chunks):
            report.up_to_date = True
            report.unchanged = sorted(prev_files)
            report.chunks = previous.get("chunk_count", 0)
            report.skipped += [SkippedFile(**s) for s in previous.get("skipped", []) if s not in
                               [asdict(x) for x in report.skipped]]
            report.seconds = time.perf_counter() - started
            return report

        generation = time.strftime("%Y%m%d-%H%M%S") + "-" + uuid.uuid4().hex[:6]
        gen_dir = self.index_dir / "gens" / generation
        partial = gen_dir.with_name(generation + ".partial")
        partial.mkdir(parents=True)

        all_chunks: list[Chunk] = []
        vectors: list[np.ndarray | None] = []  # None: a chunk still to embed, filled in below
        docs: dict[str, dict] = {}
        files_state: dict[str, dict] = {}
        to_embed: list[Chunk] = []
        used_ids: set[str] = set()
        unreadable: dict[str, str] = {}  # files that failed to read, by key: unchanged ones keep the index up to date
        for path in files:
            rel = path.relative_to(corpus_dir).as_posix()
            old = prev_files.get(rel)
            if old and old["key"] == keys[rel] and old["doc_id"] in prev_docs and old["doc_id"] not in used_ids \
                    and old["doc_id"] not in untrusted:
                doc_id = old["doc_id"]
                docs[doc_id] = prev_docs[doc_id]
                for chunk, vector in prev_chunks.get(doc_id, []):
                    all_chunks.append(chunk)
                    vectors.append(vector)
                report.unchanged.append(rel)
            else:
                try:
                    doc = read_document(path, corpus_dir, manifest)
                    doc_chunks = chunk_document(doc, self.embedder.count_tokens, self.settings.chunk_max_tokens)
                except ReadError as exc:
                    report.skipped.append(SkippedFile(rel, str(exc)))
                    unreadable[rel] = keys[rel]
                    continue
                except Exception as exc:  # a reader library failing on a hostile file
                    report.skipped.append(SkippedFile(rel, f"could not be read ({type(exc).__name__}: {exc})"))
                    unreadable[rel] = keys[rel]
                    continue
                doc_id = _unique_id(doc.meta.doc_id, used_ids)
                if doc_id != doc.meta.doc_id:
                    doc.meta.doc_id = doc_id
                    doc_chunks = chunk_document(doc, self.embedder.count_tokens, self.settings.chunk_max_tokens)
                docs[doc_id] = stored_copy(doc, doc_chunks)
                for chunk in doc_chunks:
                    all_chunks.append(chunk)
                    vectors.append(None)
                    to_embed.append(chunk)
                (report.updated if old else report.added).append(rel)
                if old and untrusted.get(old["doc_id"]) == "damaged":
                    report.repaired.append(rel)
            used_ids.add(doc_id)
            files_state[rel] = {"key": keys[rel], "doc_id": doc_id}
        report.removed = sorted(set(prev_files) - set(files_state) - {s.path for s in report.skipped})

        fresh = self._embed(to_embed)
        report.embedded_chunks = len(to_embed)
        fresh_iter = iter(fresh)
        matrix = np.stack([v if v is not None else next(fresh_iter) for v in vectors]) if vectors else \
            np.zeros((0, self.embedder.dim), dtype=np.float32)

        with open(partial / "chunks.jsonl", "w", encoding="utf-8") as handle:
            for chunk in all_chunks:
                handle.write(json.dumps(asdict(chunk), ensure_ascii=False) + "\n")
        np.save(partial / "embeddings.npy", matrix)
        (partial / "docs.json").write_text(json.dumps(docs, ensure_ascii=False), encoding="utf-8")

        client = chroma_client(self.settings)
        collection_name = COLLECTION_PREFIX + generation.replace("-", "_")
        collection = client.create_collection(collection_name, embedding_function=None,
                                              metadata={"hnsw:space": "cosine"})
        batch = 1000
        for i in range(0, len(all_chunks), batch):
            part = all_chunks[i:i + batch]
            collection.add(ids=[c.chunk_id for c in part], embeddings=matrix[i:i + batch].tolist(),
                           documents=[c.text for c in part], metadatas=[c.metadata() for c in part])

        os.replace(partial, gen_dir)
        state = {
            "version": STATE_VERSION, "fingerprint": fingerprint, "generation": generation,
            "collection": collection_name, "chunk_count": len(all_chunks),
            "files": files_state, "skipped": [asdict(s) for s in report.skipped], "unreadable": unreadable,
            "chroma_url": self.settings.chroma_url, "created": time.time(),
        }
        _atomic_write(self.index_dir / "state.json", json.dumps(state, indent=1))  # commit point
        self._collect_garbage(client, state)
        report.chunks = len(all_chunks)
        report.seconds = time.perf_counter() - started
        return report

    def _intact(self, state: dict, chunks_by_doc: dict) -> bool:
        gen_dir = self.index_dir / "gens" / state["generation"]
        if not (gen_dir / "chunks.jsonl").exists() or sum(map(len, chunks_by_doc.values())) != state["chunk_count"]:
            return False
        try:
            return chroma_client(self.settings).get_collection(state["collection"]).count() == state["chunk_count"]
        except Exception:
            return False

    def _load_checked(self, state: dict, files: dict, digests: dict[str, str], skipped: set[str]):
        """The previous generation's (chunk, vector) pairs by doc_id, its stored copies, and the doc_ids of copies
        not to reuse (by kind); logs each, unless its file is skipped now (the report says why)."""
        try:
            chunks, matrix, docs = load_generation(self.index_dir / "gens" / state["generation"])
            if not isinstance(docs, dict):
                raise ValueError("docs.json holds no documents")
            doc_files = {rel: info["doc_id"] for rel, info in files.items()}
        except (OSError, ValueError, KeyError, TypeError) as exc:
            self.log(f"Previous index generation unreadable ({exc}); re-embedding everything.")
            return {}, {}, {}
        by_doc: dict[str, list] = {}
        for chunk, vector in zip(chunks, matrix):
            by_doc.setdefault(chunk.doc_id, []).append((chunk, vector))
        label = Path(self.settings.corpus_dir).name
        untrusted: dict[str, str] = {}
        for problem in untrusted_copies(docs, chunks, doc_files, self.settings.corpus_dir, digests):
            if problem.kind == "changed" and problem.file in digests and \
                    files.get(problem.file, {}).get("key", "").startswith(digests[problem.file]):
                problem.kind = "damaged"  # state.json recorded the current file, the copy another one
            untrusted.setdefault(problem.doc_id, problem.kind)
            if problem.kind == "missing" and problem.file in skipped:
                continue
            action = {"missing": "removing it from the index", "orphan": "dropping them"}.get(problem.kind,
                                                                                           "re-indexing it")
            self.log(f"{problem.describe(label)}; {action}")
        return by_doc, docs, untrusted

    def _embed(self, chunks: list[Chunk]) -> list[np.ndarray]:
        out: list[np.ndarray] = []
        batch = 64
        total = len(chunks)
        if self.progress:
            self.progress(0, total)
        for i in range(0, total, batch):
            out.extend(self.embedder.embed([c.embed_text() for c in chunks[i:i + batch]]))
            if self.progress:
                self.progress(min(i + batch, total), total)
        return out

    def _collect_garbage(self, client, state: dict) -> None:
        """Remove generations and collections no longer referenced (including those of interrupted runs), and
        the HNSW folders of deleted collections, which Chroma leaves on disk."""
        gens = self.index_dir / "gens"
        for path in gens.iterdir():
            if path.name != state["generation"]:
                shutil.rmtree(path, ignore_errors=True)
        try:
            for name in client.list_collections():
                name = getattr(name, "name", name)
                if name.startswith(COLLECTION_PREFIX) and name != state["collection"]:
                    client.delete_collection(name)
        except Exception as exc:  # garbage collection must never fail an ingest
            self.log(f"note: could not remove old collections ({exc})")
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
            self.log(f"note: could not remove old collection folders ({exc})")


def _unique_id(doc_id: str, used: set[str]) -> str:
    candidate, n = doc_id, 2
    while candidate in used:
        candidate, n = f"{doc_id}-{n}", n + 1
    return candidate


def load_generation(gen_dir: Path) -> tuple[list[Chunk], np.ndarray, dict]:
    with open(gen_dir / "chunks.jsonl", encoding="utf-8") as handle:
        chunks = [Chunk(**json.loads(line)) for line in handle if line.strip()]
    for chunk in chunks:
        if not (isinstance(chunk.doc_id, str) and isinstance(chunk.chunk_id, str) and isinstance(chunk.text, str)
                and type(chunk.start) is int and type(chunk.end) is int):
            raise ValueError(f"malformed chunk {str(chunk.chunk_id)[:80]!r}")
    matrix = np.load(gen_dir / "embeddings.npy")
    docs = json.loads((gen_dir / "docs.json").read_text(encoding="utf-8"))
    if len(chunks) != len(matrix):
        raise ValueError(f"{len(chunks)} chunks but {len(matrix)} embeddings")
    return chunks, matrix, docs


class Index:
    """A committed generation, opened read-only for retrieval.

    Raises IndexStale when a stored copy does not match its corpus file (verify=False skips that check, for
    synthetic benchmark indexes only)."""

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
        untrusted: list[Untrusted] = []
        try:
            self.chunks, self.matrix, docs = load_generation(gen_dir)
            if verify:
                files = {rel: info["doc_id"] for rel, info in state["files"].items()}
                untrusted = untrusted_copies(docs, self.chunks, files, Path(settings.corpus_dir))
        except (OSError, ValueError, KeyError, TypeError, AttributeError) as exc:
            raise IndexCorrupt(f"index generation {state['generation']} is damaged ({exc})") from exc
        if untrusted:
            label = Path(settings.corpus_dir).name
            raise IndexStale([problem.describe(label) for problem in untrusted])
        self.docs = {doc_id: (DocMeta(**d["meta"]), d["text"]) for doc_id, d in docs.items()}
        self.pages = {doc_id: [tuple(p) for p in d.get("pages") or []] for doc_id, d in docs.items()}
        try:
            self.collection = chroma_client(settings).get_collection(state["collection"], embedding_function=None)
            count = self.collection.count()
        except Exception as exc:
            raise IndexCorrupt(f"Chroma collection {state['collection']} unavailable ({exc})") from exc
        if count != len(self.chunks):
            raise IndexCorrupt(f"Chroma holds {count} chunks, expected {len(self.chunks)}")
        self.position = {c.chunk_id: i for i, c in enumerate(self.chunks)}
        self.bm25 = BM25([c.embed_text() for c in self.chunks])
        self.by_doc: dict[str, list[int]] = {}
        for i, chunk in enumerate(self.chunks):
            self.by_doc.setdefault(chunk.doc_id, []).append(i)

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
        where = {"doc_id": {"$in": list(doc_ids)}} if doc_ids else None
        n = min(k, len(self.chunks))
        if n == 0:
            return []
        result = self.collection.query(query_embeddings=[vector.tolist()], n_results=n, where=where,
                                       include=["distances"])
        ids, distances = result["ids"][0], result["distances"][0]
        return [(self.position[i], 1.0 - float(d)) for i, d in zip(ids, distances) if i in self.position]

    def lexical_search(self, query: str, k: int, doc_ids: list[str] | None = None) -> list[tuple[int, float]]:
        allowed = None
        if doc_ids:
            allowed = {i for d in doc_ids for i in self.by_doc.get(d, [])}
        return self.bm25.search(query, k, allowed)
