"""Scale curve: hybrid retrieval latency at 1k/10k/50k chunks, embedded Chroma vs. a Chroma server on 127.0.0.1.

Indexes are written in the engine's own format (gens/<gen>/ + a Chroma collection + state.json) and opened with
the real Index and HybridRetriever. To keep this fast, chunk texts are varied paragraphs of the bundled report
and their vectors are real embeddings of a pool of such paragraphs, reused with small random perturbations
(Gaussian noise, sigma 0.02 a dimension, renormalised) beyond the pool.
"""
from __future__ import annotations

import json
import shutil
import subprocess
import sys
import time
import uuid
from dataclasses import asdict
from pathlib import Path

import numpy as np

from .common import Timer, dir_size_mb, free_port, log, summary_ms

POOL = 512
SIGMA = 0.02
DOC_CHUNKS = 12


def _vectors(n: int, pool: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """The pool's real vectors first, then pool vectors again with small random perturbations."""
    rows = pool[np.arange(n) % len(pool)].astype(np.float32)
    noise = rng.normal(0, SIGMA, rows.shape).astype(np.float32)
    noise[:len(pool)] = 0
    rows += noise
    return rows / np.linalg.norm(rows, axis=1, keepdims=True)


def build_index(settings, texts: list[str], vectors: np.ndarray) -> dict:
    """Write a committed index generation of these chunks; returns timings."""
    from assistant import jsonl
    from assistant.chunking import Chunk
    from assistant.corpus import DocMeta
    from assistant.store import COLLECTION_PREFIX, STATE_VERSION, _atomic_write, chroma_client

    index_dir = Path(settings.index_dir)
    generation = time.strftime("%Y%m%d-%H%M%S") + "-" + uuid.uuid4().hex[:6]
    gen_dir = index_dir / "gens" / generation
    gen_dir.mkdir(parents=True)
    chunks, docs = [], {}
    for d in range(0, len(texts), DOC_CHUNKS):
        doc_id = f"synthetic-{d // DOC_CHUNKS:05d}"
        title = f"Synthetic dossier {d // DOC_CHUNKS:05d}"
        parts, cursor = [], 0
        for text in texts[d:d + DOC_CHUNKS]:
            chunks.append(Chunk(chunk_id=f"{doc_id}:{cursor}-{cursor + len(text)}", doc_id=doc_id, title=title,
                                section="", page=None, start=cursor, end=cursor + len(text), text=text,
                                context=title))
            parts.append(text)
            cursor += len(text) + 2
        docs[doc_id] = {"meta": asdict(DocMeta(doc_id=doc_id, title=title, file=f"{doc_id}.txt")),
                        "text": "\n\n".join(parts), "pages": [], "sha256": ""}
    jsonl.write(gen_dir / "chunks.jsonl", (asdict(chunk) for chunk in chunks))
    np.save(gen_dir / "embeddings.npy", vectors)
    (gen_dir / "docs.json").write_text(json.dumps(docs, ensure_ascii=False), encoding="utf-8")

    client = chroma_client(settings)
    name = COLLECTION_PREFIX + generation.replace("-", "_")
    collection = client.create_collection(name, embedding_function=None, metadata={"hnsw:space": "cosine"})
    with Timer() as t:
        for i in range(0, len(chunks), 1000):
            part = chunks[i:i + 1000]
            collection.add(ids=[c.chunk_id for c in part], embeddings=vectors[i:i + 1000].tolist(),
                           documents=[c.text for c in part], metadatas=[c.metadata() for c in part])
    state = {"version": STATE_VERSION, "fingerprint": "bench-synthetic", "generation": generation,
             "collection": name, "chunk_count": len(chunks), "files": {}, "skipped": [],
             "chroma_url": settings.chroma_url, "created": time.time()}
    _atomic_write(index_dir / "state.json", json.dumps(state))
    return {"insert_s": round(t.seconds, 2), "insert_chunks_per_s": round(len(chunks) / t.seconds, 1),
            "collection": name}


def measure(settings, embedder, questions: list[str], rounds: int = 1) -> dict:
    from assistant.retrieval import HybridRetriever
    from assistant.store import Index

    with Timer() as t:
        index = Index(settings, verify=False)  # synthetic documents: no corpus files to check
    retriever = HybridRetriever(index, embedder, settings.candidates, settings.rrf_k)
    for q in questions[:5]:
        retriever.retrieve(q, settings.top_k)
    total, parts = [], {"embed_query": [], "dense": [], "bm25": [], "fuse": []}
    for _ in range(rounds):
        for q in questions:
            with Timer() as tq:
                result = retriever.retrieve(q, settings.top_k)
            total.append(tq.ms)
            for key in parts:
                parts[key].append(result.timings_ms.get(key, 0.0))
    return {"open_s": round(t.seconds, 2), "hybrid": summary_ms(total),
            "parts_p50_ms": {k: summary_ms(v)["p50_ms"] for k, v in parts.items()},
            "parts_p95_ms": {k: summary_ms(v)["p95_ms"] for k, v in parts.items()}}


class ChromaServer:
    def __init__(self, path: Path):
        self.path = path
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.proc = None

    def __enter__(self):
        import chromadb
        from chromadb.config import Settings as ChromaSettings

        exe = Path(sys.executable).parent / "chroma"
        self.log = open(self.path.parent / "chroma-server.log", "w")
        self.proc = subprocess.Popen([str(exe), "run", "--path", str(self.path), "--host", "127.0.0.1",
                                      "--port", str(self.port)], stdout=self.log, stderr=subprocess.STDOUT)
        deadline = time.time() + 60
        while True:
            try:
                chromadb.HttpClient(host="127.0.0.1", port=self.port,
                                    settings=ChromaSettings(anonymized_telemetry=False)).heartbeat()
                return self
            except Exception as exc:
                if self.proc.poll() is not None or time.time() > deadline:
                    raise RuntimeError(f"chroma server did not start (see {self.log.name})") from exc
                time.sleep(0.3)

    def __exit__(self, *exc):
        if self.proc and self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
        self.log.close()


def _drop(settings, name: str) -> None:
    from assistant.store import chroma_client

    try:
        chroma_client(settings).delete_collection(name)
    except Exception:
        pass


def run(work: Path, sizes: list[int], questions: list[str], rounds: int = 1) -> dict:
    from assistant.embedder import get_embedder
    from assistant.settings import Settings

    from . import corpus_gen

    embedder = get_embedder()
    rng = np.random.default_rng(0)
    biggest = max(sizes)
    log(f"scale: embedding a pool of {min(POOL, biggest)} real paragraphs")
    texts = corpus_gen.paragraphs_for(biggest)
    with Timer() as t:
        pool = embedder.embed([f"Synthetic dossier\n{x}" for x in texts[:min(POOL, biggest)]], bulk=True)
    out = {"sizes": sizes, "queries": len(questions), "rounds": rounds, "pool": len(pool), "sigma": SIGMA,
           "pool_embed_s": round(t.seconds, 1), "embedded": {}, "server": {}}
    vectors = _vectors(biggest, pool, rng)
    for mode in ("embedded", "server"):
        server = ChromaServer(work / "chroma-server") if mode == "server" else None
        if server:
            (work / "chroma-server").mkdir(parents=True, exist_ok=True)
            server.__enter__()
        try:
            for n in sizes:
                log(f"scale: {mode} Chroma, {n:,} chunks")
                index_dir = work / f"scale-{mode}-{n}"
                settings = Settings.load(config_file=None, index_dir=index_dir,
                                         chroma_url=server.url if server else "")
                built = build_index(settings, texts[:n], vectors[:n])
                row = {**{k: v for k, v in built.items() if k != "collection"},
                       **measure(settings, embedder, questions, rounds)}
                row["index_size_mb"] = dir_size_mb(index_dir) + (dir_size_mb(work / "chroma-server") if server else 0)
                out[mode][str(n)] = row
                _drop(settings, built["collection"])
                shutil.rmtree(index_dir, ignore_errors=True)
        finally:
            if server:
                server.__exit__(None, None, None)
    return out
