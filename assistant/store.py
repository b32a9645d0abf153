"""The index: chunks + embeddings in Chroma (embedded or server) plus BM25, built atomically by generation.

Layout of index_dir:
  state.json            the committed generation (written last, atomically: the commit point)
  chroma/               embedded Chroma store (absent when a Chroma server is configured)
  gens/<gen>/           chunks.jsonl, embeddings.npy, docs.json (source texts, for quote checks)
An interrupted ingest leaves state.json pointing at the previous, complete generation.
"""
from __future__ import annotations

import hashlib
import json
import os
import shutil
import time
import uuid
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Callable
from urllib.parse import urlparse

import numpy as np

from .bm25 import BM25
from .chunking import CHUNKER_VERSION, Chunk, chunk_document
from .corpus import DocMeta, ReadError, SkippedFile, discover, load_manifest, read_document
from .settings import Settings

COLLECTION_PREFIX = "assistant_chunks_"
STATE_VERSION = 2


class IndexError_(Exception):
    """Base for index problems the engine can recover from by rebuilding."""


class IndexMissing(IndexError_):
    pass


class IndexCorrupt(IndexError_):
    pass


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

    def summary(self) -> str:
        if self.up_to_date:
            head = f"Index up to date ({self.chunks} chunks, {len(self.unchanged)} documents)."
        else:
            head = (f"Indexed {self.chunks} chunks from {len(self.added) + len(self.updated) + len(self.unchanged)} "
                    f"documents in {self.seconds:.1f}s: {len(self.added)} added, {len(self.updated)} updated, "
                    f"{len(self.unchanged)} unchanged, {len(self.removed)} removed; "
                    f"{self.embedded_chunks} chunks embedded.")
        lines = [head] + [f"  skipped {s.path}: {s.reason}" for s in self.skipped]
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
            previous = None

        files, report.skipped = discover(corpus_dir, self.settings.max_file_mb)
        try:
            manifest = load_manifest(corpus_dir)
        except ReadError as exc:  # a broken manifest is a bad file too: report it, ingest without it
            name, _, reason = str(exc).partition(": ")
            report.skipped.append(SkippedFile(name, f"{reason}; metadata is derived from the files instead"))
            manifest = {}
        keys = {}
        for path in files:
            rel = path.relative_to(corpus_dir).as_posix()
            meta = manifest.get(rel)
            digest = hashlib.sha256(path.read_bytes()).hexdigest()
            keys[rel] = f"{digest}|{json.dumps(asdict(meta), sort_keys=True) if meta else ''}"

        prev_files = (previous or {}).get("files", {})
        prev_keys = {rel: info["key"] for rel, info in prev_files.items()} | (previous or {}).get("unreadable", {})
        if previous and prev_keys == keys and self._intact(previous):
            report.up_to_date = True
            report.unchanged = sorted(prev_files)
            report.chunks = previous.get("chunk_count", 0)
            report.skipped += [SkippedFile(**s) for s in previous.get("skipped", []) if s not in
                               [asdict(x) for x in report.skipped]]
            report.seconds = time.perf_counter() - started
            return report

        prev_chunks, prev_vectors, prev_docs = self._load_generation(previous) if previous else ({}, None, {})

        generation = time.strftime("%Y%m%d-%H%M%S") + "-" + uuid.uuid4().hex[:6]
        gen_dir = self.index_dir / "gens" / generation
        partial = gen_dir.with_name(generation + ".partial")
        partial.mkdir(parents=True)

        all_chunks: list[Chunk] = []
        vectors: list[np.ndarray] = []
        docs: dict[str, dict] = {}
        files_state: dict[str, dict] = {}
        to_embed: list[Chunk] = []
        used_ids: set[str] = set()
        unreadable: dict[str, str] = {}  # files that failed to read, by key: unchanged ones keep the index up to date
        for path in files:
            rel = path.relative_to(corpus_dir).as_posix()
            old = prev_files.get(rel)
            if old and old["key"] == keys[rel] and old["doc_id"] in prev_docs and old["doc_id"] not in used_ids:
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
                docs[doc_id] = {"meta": asdict(doc.meta), "text": doc.text, "pages": doc.pages, "sha256": doc.sha256}
                for chunk in doc_chunks:
                    all_chunks.append(chunk)
                    vectors.append(None)
                    to_embed.append(chunk)
                (report.updated if old else report.added).append(rel)
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

    def _intact(self, state: dict) -> bool:
        gen_dir = self.index_dir / "gens" / state["generation"]
        if not (gen_dir / "chunks.jsonl").exists():
            return False
        try:
            return chroma_client(self.settings).get_collection(state["collection"]).count() == state["chunk_count"]
        except Exception:
            return False

    def _load_generation(self, state: dict):
        try:
            chunks, matrix, docs = load_generation(self.index_dir / "gens" / state["generation"])
        except (OSError, ValueError, KeyError) as exc:
            self.log(f"Previous index generation unreadable ({exc}); re-embedding everything.")
            return {}, None, {}
        by_doc: dict[str, list] = {}
        for chunk, vector in zip(chunks, matrix):
            by_doc.setdefault(chunk.doc_id, []).append((chunk, vector))
        return by_doc, matrix, docs

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
        """Remove generations and collections no longer referenced (including those of interrupted runs)."""
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


def _unique_id(doc_id: str, used: set[str]) -> str:
    candidate, n = doc_id, 2
    while candidate in used:
        candidate, n = f"{doc_id}-{n}", n + 1
    return candidate


def load_generation(gen_dir: Path) -> tuple[list[Chunk], np.ndarray, dict]:
    with open(gen_dir / "chunks.jsonl", encoding="utf-8") as handle:
        chunks = [Chunk(**json.loads(line)) for line in handle if line.strip()]
    matrix = np.load(gen_dir / "embeddings.npy")
    docs = json.loads((gen_dir / "docs.json").read_text(encoding="utf-8"))
    if len(chunks) != len(matrix):
        raise ValueError(f"{len(chunks)} chunks but {len(matrix)} embeddings")
    return chunks, matrix, docs


class Index:
    """A committed generation, opened read-only for retrieval."""

    def __init__(self, settings: Settings):
        self.settings = settings
        index_dir = Path(settings.index_dir)
        state = read_state(index_dir)
        if state is None:
            raise IndexMissing(f"no index at {index_dir}; run `assistant ingest`")
        self.state = state
        gen_dir = index_dir / "gens" / state["generation"]
        try:
            self.chunks, self.matrix, docs = load_generation(gen_dir)
        except (OSError, ValueError, KeyError, TypeError) as exc:
            raise IndexCorrupt(f"index generation {state['generation']} is damaged ({exc})") from exc
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
