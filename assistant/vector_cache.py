"""Embeddings of sentences already seen, by a digest of their text, kept in memory and saved beside the index.
Choosing a question's key sentences embeds every sentence of the retrieved passages (0.2-1 s on 2 cores, before an
LLM reads its first token); with the corpus's sentences embedded once in the background and restored at start, it
is a lookup. A vector depends only on the text and the embedder, so a saved one stays right whatever the corpus."""
from __future__ import annotations

import hashlib
import logging
import os
import threading
import zipfile
from collections import OrderedDict
from collections.abc import Callable, Iterable
from pathlib import Path

import numpy as np

logger = logging.getLogger(__name__)


def digest(text: str) -> bytes:
    return hashlib.blake2b(text.encode("utf-8"), digest_size=16).digest()


class VectorCache:
    """text digest -> unit vector (float32), least recently used dropped beyond limit."""

    def __init__(self, dim: int, limit: int = 100_000):
        self.dim, self.limit = dim, limit
        self._vectors: OrderedDict[bytes, np.ndarray] = OrderedDict()
        self._lock = threading.Lock()

    def __len__(self) -> int:
        return len(self._vectors)

    def embed(self, texts: list[str], embed: Callable[[list[str]], np.ndarray]) -> np.ndarray:
        """Vectors of texts, embedding (with embed) only those not already held."""
        keys = [digest(t) for t in texts]
        out = np.zeros((len(texts), self.dim), dtype=np.float32)
        missing: dict[bytes, list[int]] = {}
        with self._lock:
            for i, key in enumerate(keys):
                vector = self._vectors.get(key)
                if vector is None:
                    missing.setdefault(key, []).append(i)
                else:
                    self._vectors.move_to_end(key)
                    out[i] = vector
        if missing:
            fresh = embed([texts[rows[0]] for rows in missing.values()])
            self._put(zip(missing, fresh))
            for rows, vector in zip(missing.values(), fresh):
                out[rows] = vector
        return out

    def missing(self, texts: Iterable[str]) -> list[str]:
        """texts not held, each once."""
        seen: set[bytes] = set()
        out = []
        with self._lock:
            for text in texts:
                key = digest(text)
                if key not in self._vectors and key not in seen:
                    seen.add(key)
                    out.append(text)
        return out

    def _put(self, items: Iterable[tuple[bytes, np.ndarray]]) -> None:
        with self._lock:
            for key, vector in items:
                self._vectors[key] = np.asarray(vector, dtype=np.float32)
                self._vectors.move_to_end(key)
            while len(self._vectors) > self.limit:
                self._vectors.popitem(last=False)

    def save(self, path: Path, keep: Iterable[str] | None = None) -> int:
        """Writes the held vectors (only those of keep's texts, when given) atomically; how many."""
        with self._lock:
            if keep is None:
                items = list(self._vectors.items())
            else:
                wanted = {digest(t) for t in keep}
                items = [(k, v) for k, v in self._vectors.items() if k in wanted]
        keys = np.frombuffer(b"".join(k for k, _ in items), dtype=np.uint8).reshape(len(items), 16)
        vectors = np.stack([v for _, v in items]) if items else np.zeros((0, self.dim), dtype=np.float32)
        path.parent.mkdir(parents=True, exist_ok=True)
        partial = path.with_name(f"{path.name}.{os.getpid()}.{threading.get_ident()}.partial")
        with open(partial, "wb") as handle:
            np.savez(handle, keys=keys, vectors=vectors, dim=np.array([self.dim]))
        os.replace(partial, path)
        return len(items)

    def load(self, path: Path) -> int:
        """Adds the vectors saved at path; a missing, damaged or foreign file adds none. How many."""
        try:
            with np.load(path, allow_pickle=False) as saved:
                keys, vectors, dim = saved["keys"], saved["vectors"], int(saved["dim"][0])
        except FileNotFoundError:
            return 0
        except (OSError, ValueError, KeyError, IndexError, zipfile.BadZipFile) as exc:
            logger.warning("ignoring saved sentence vectors %s: %s", path, exc)
            return 0
        if dim != self.dim or keys.ndim != 2 or keys.shape[1] != 16 or vectors.shape != (len(keys), self.dim) \
                or not _unit_rows(vectors):
            logger.warning("ignoring saved sentence vectors %s: not this embedder's unit vectors", path)
            return 0
        self._put(zip(map(bytes, keys), vectors))
        return len(keys)


def _unit_rows(vectors: np.ndarray) -> bool:
    """Every row finite and of length 1 (an embedder's normalised output)."""
    if vectors.dtype != np.float32:
        return False
    squares = np.einsum("ij,ij->i", vectors, vectors)
    return bool(np.isfinite(squares).all() and (np.abs(squares - 1) < 2e-3).all()) if len(vectors) else True
