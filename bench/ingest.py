"""Ingest throughput: the bundled corpus and a large generated one, each in its own process (clean peak memory).

    python -m bench.ingest CORPUS_DIR INDEX_DIR [--touch-one]   # worker: prints one JSON line
"""
from __future__ import annotations

import argparse
import json
import subprocess
import sys
import time
from pathlib import Path

from .common import PROJECT_ROOT, copy_corpus, dir_size_mb, log, peak_rss_mb


def worker(corpus_dir: Path, index_dir: Path, touch_one: bool) -> dict:
    started = time.perf_counter()
    from assistant.engine import Engine
    from assistant.settings import Settings

    settings = Settings.load(config_file=None, corpus_dir=corpus_dir, index_dir=index_dir, backend="extractive")
    engine = Engine(settings)
    load_s = time.perf_counter() - started
    rss_after_load = peak_rss_mb()

    marks: dict[str, float] = {}

    def progress(done, total):
        now = time.perf_counter()
        marks.setdefault("embed_start", now)
        if done >= total:
            marks["embed_end"] = now

    t0 = time.perf_counter()
    report = engine.ingest(progress=progress)
    wall = time.perf_counter() - t0
    out = {
        "embedder_load_s": round(load_s, 2), "rss_after_embedder_load_mb": rss_after_load,
        "documents": len(report.added) + len(report.updated) + len(report.unchanged),
        "chunks": report.chunks, "embedded_chunks": report.embedded_chunks, "skipped": len(report.skipped),
        "wall_s": round(wall, 2), "chunks_per_s": round(report.chunks / wall, 1) if wall else None,
    }
    if "embed_start" in marks and "embed_end" in marks:
        embed_s = marks["embed_end"] - marks["embed_start"]
        out.update(read_and_chunk_s=round(marks["embed_start"] - t0, 2), embed_s=round(embed_s, 2),
                   store_s=round(t0 + wall - marks["embed_end"], 2),
                   embed_chunks_per_s=round(report.embedded_chunks / embed_s, 1) if embed_s else None)
    out["index_size_mb"] = dir_size_mb(index_dir)
    out["corpus_size_mb"] = dir_size_mb(corpus_dir)
    out["peak_rss_mb"] = peak_rss_mb()

    t0 = time.perf_counter()
    again = engine.ingest()
    out["reingest_unchanged_s"] = round(time.perf_counter() - t0, 3)
    out["reingest_unchanged_up_to_date"] = again.up_to_date

    t0 = time.perf_counter()
    engine.ensure_index()
    out["open_index_s"] = round(time.perf_counter() - t0, 2)

    if touch_one:
        files = sorted(p for p in corpus_dir.iterdir() if p.suffix == ".txt")
        target = files[len(files) // 2]
        target.write_text(target.read_text(encoding="utf-8") + "\nAn added closing line for the benchmark.\n",
                          encoding="utf-8")
        t0 = time.perf_counter()
        changed = engine.ingest()
        out["reingest_one_changed_s"] = round(time.perf_counter() - t0, 2)
        out["reingest_one_changed_embedded"] = changed.embedded_chunks
    out["peak_rss_mb"] = peak_rss_mb()
    return out


def run_worker(corpus_dir: Path, index_dir: Path, touch_one: bool, timeout: float) -> dict:
    cmd = [sys.executable, "-m", "bench.ingest", str(corpus_dir), str(index_dir)]
    cmd += ["--touch-one"] if touch_one else []
    t0 = time.perf_counter()
    proc = subprocess.run(cmd, capture_output=True, text=True, cwd=PROJECT_ROOT, timeout=timeout)
    if proc.returncode != 0:
        raise RuntimeError(f"ingest worker failed ({proc.returncode}): {proc.stderr[-2000:]}")
    result = json.loads(proc.stdout.strip().splitlines()[-1])
    result["process_wall_s"] = round(time.perf_counter() - t0, 2)
    return result


def run(work: Path, large_chunks: int, timeout: float = 3600) -> dict:
    from . import corpus_gen

    out: dict = {}
    log("ingest: bundled corpus")
    bundled = copy_corpus(work / "bundled-corpus")
    out["bundled"] = run_worker(bundled, work / "bundled-index", touch_one=True, timeout=timeout)
    if large_chunks > 0:
        log(f"ingest: generating a corpus of at least {large_chunks:,} chunks")
        t0 = time.perf_counter()
        gen = corpus_gen.generate(work / "large-corpus", large_chunks)
        gen["generate_s"] = round(time.perf_counter() - t0, 1)
        log(f"ingest: large corpus ({gen['documents']} documents, {gen['megabytes']} MB); this is embedding bound")
        out["large"] = run_worker(work / "large-corpus", work / "large-index", touch_one=True, timeout=timeout)
        out["large"]["generated"] = gen
        out["large"]["target_chunks"] = large_chunks
    return out


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("corpus_dir", type=Path)
    parser.add_argument("index_dir", type=Path)
    parser.add_argument("--touch-one", action="store_true")
    args = parser.parse_args()
    print(json.dumps(worker(args.corpus_dir, args.index_dir, args.touch_one)), flush=True)
