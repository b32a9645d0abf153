"""A small in-memory BM25 (Okapi) index over chunk texts.

Term counts are kept per chunk (TermCounts, CSR arrays), so an ingest tokenizes only new chunks and reuses the
rows of unchanged ones. The postings are numpy arrays grouped by term (each term's documents and precomputed BM25
weights), so a query is a few vector additions; all of it saves to and restores from plain arrays, so opening an
index does not tokenize its chunks again.
"""
from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import numpy as np

from .textutil import terms

_SEP = "\0"  # between vocabulary terms in the saved arrays; terms are word characters only


def _pack_vocab(vocab: Sequence[str]) -> np.ndarray:
    return np.frombuffer(_SEP.join(vocab).encode("utf-8"), dtype=np.uint8)


def _unpack_vocab(packed: np.ndarray) -> list[str]:
    return packed.tobytes().decode("utf-8").split(_SEP) if len(packed) else []


@dataclass
class TermCounts:
    """Each chunk's term frequencies: row i is ids[ptr[i]:ptr[i+1]] (vocabulary ids) with tfs."""
    vocab: list[str]
    ptr: np.ndarray  # int64, one more than the chunks
    ids: np.ndarray  # int32
    tfs: np.ndarray  # int32

    @classmethod
    def of(cls, texts: Iterable[str]) -> TermCounts:
        return cls([], np.zeros(1, dtype=np.int64), np.zeros(0, dtype=np.int32),
                   np.zeros(0, dtype=np.int32)).extended(texts)

    @property
    def n(self) -> int:
        return len(self.ptr) - 1

    def extended(self, texts: Iterable[str]) -> TermCounts:
        """These rows followed by those of texts; new terms are appended to the vocabulary."""
        vocab = list(self.vocab)
        lookup = {term: i for i, term in enumerate(vocab)}
        ptr, ids, tfs = [], [], []
        for text in texts:
            for term, tf in Counter(terms(text)).items():
                ids.append(lookup.setdefault(term, len(lookup)))
                tfs.append(tf)
            ptr.append(len(ids))
        vocab.extend(list(lookup)[len(vocab):])
        return TermCounts(vocab, np.concatenate((self.ptr, np.asarray(ptr, dtype=np.int64) + self.ptr[-1])),
                          np.concatenate((self.ids, np.asarray(ids, dtype=np.int32))),
                          np.concatenate((self.tfs, np.asarray(tfs, dtype=np.int32))))

    def select(self, positions: Sequence[int] | np.ndarray) -> TermCounts:
        """The chosen rows, in the given order, with a vocabulary of only the terms they use."""
        positions = np.asarray(positions, dtype=np.int64)
        starts, lengths = self.ptr[positions], self.ptr[positions + 1] - self.ptr[positions]
        ptr = np.concatenate(([0], np.cumsum(lengths))).astype(np.int64)
        entries = np.repeat(starts - ptr[:-1], lengths) + np.arange(int(ptr[-1]), dtype=np.int64)
        ids = self.ids[entries]
        used = np.unique(ids)
        compact = np.zeros(len(self.vocab), dtype=np.int32)
        compact[used] = np.arange(len(used), dtype=np.int32)
        return TermCounts([self.vocab[i] for i in used], ptr, compact[ids], self.tfs[entries])

    def arrays(self) -> dict[str, np.ndarray]:
        return {"counts_vocab": _pack_vocab(self.vocab), "counts_ptr": self.ptr, "counts_ids": self.ids,
                "counts_tfs": self.tfs}

    @classmethod
    def from_arrays(cls, arrays) -> TermCounts:
        counts = cls(_unpack_vocab(arrays["counts_vocab"]), arrays["counts_ptr"], arrays["counts_ids"],
                     arrays["counts_tfs"])
        if len(counts.ptr) < 1 or counts.ptr[-1] != len(counts.ids) or len(counts.ids) != len(counts.tfs) or \
                (len(counts.ids) and int(counts.ids.max()) >= len(counts.vocab)):
            raise ValueError("term count arrays of mismatched sizes")
        return counts


class BM25:
    def __init__(self, texts: Iterable[str] = (), k1: float = 1.2, b: float = 0.75,
                 counts: TermCounts | None = None):
        """From texts, or from their TermCounts (counts=)."""
        self.k1, self.b = k1, b
        counts = counts if counts is not None else TermCounts.of(texts)
        self.n = counts.n
        rows = np.repeat(np.arange(self.n, dtype=np.int32), np.diff(counts.ptr))
        lengths = np.bincount(rows, weights=counts.tfs, minlength=self.n).astype(np.float64)
        self.avg_len = float(lengths.mean()) if self.n else 0.0
        order = np.argsort(counts.ids, kind="stable")  # by term, each term's chunks in index order
        self.docs = rows[order]
        df = np.bincount(counts.ids, minlength=len(counts.vocab))
        self.term_ptr = np.concatenate(([0], np.cumsum(df))).astype(np.int64)
        self.idf_values = np.log(1 + (self.n - df + 0.5) / (df + 0.5))
        norm = k1 * (1 - b + b * lengths / (self.avg_len or 1))
        freqs = counts.tfs[order].astype(np.float64)
        self.weights = np.repeat(self.idf_values, df) * freqs * (k1 + 1) / (freqs + norm[self.docs])
        self.vocab = counts.vocab
        self._lookup: dict[str, int] | None = None
        self._idf: dict[str, float] | None = None

    def arrays(self) -> dict[str, np.ndarray]:
        return {"bm25_params": np.asarray([self.k1, self.b, self.avg_len, self.n], dtype=np.float64),
                "bm25_vocab": _pack_vocab(self.vocab), "bm25_term_ptr": self.term_ptr, "bm25_docs": self.docs,
                "bm25_weights": self.weights, "bm25_idf": self.idf_values}

    @classmethod
    def from_arrays(cls, arrays) -> BM25:
        """Restores a saved BM25 (arrays as from .arrays()) without tokenizing anything."""
        index = cls.__new__(cls)
        k1, b, index.avg_len, n = arrays["bm25_params"].tolist()
        index.k1, index.b, index.n = k1, b, int(n)
        index.vocab = _unpack_vocab(arrays["bm25_vocab"])
        index.term_ptr, index.docs = arrays["bm25_term_ptr"], arrays["bm25_docs"]
        index.weights, index.idf_values = arrays["bm25_weights"], arrays["bm25_idf"]
        if not (len(index.vocab) + 1 == len(index.term_ptr) == len(index.idf_values) + 1
                and len(index.docs) == len(index.weights) == int(index.term_ptr[-1] if len(index.term_ptr) else 0)):
            raise ValueError("BM25 arrays of mismatched sizes")
        index._lookup = index._idf = None
        return index

    @property
    def lookup(self) -> dict[str, int]:
        if self._lookup is None:
            self._lookup = {term: i for i, term in enumerate(self.vocab)}
        return self._lookup

    @property
    def idf(self) -> dict[str, float]:
        if self._idf is None:
            self._idf = dict(zip(self.vocab, self.idf_values.tolist()))
        return self._idf

    def search(self, query: str, k: int, allowed: set[int] | None = None) -> list[tuple[int, float]]:
        """The k best (chunk index, score), best first; equal scores in index order."""
        lookup = self.lookup
        query_terms = [lookup[t] for t in set(terms(query)) if t in lookup]
        if not query_terms or k <= 0:
            return []
        scores = np.zeros(self.n, dtype=np.float64)
        for term in query_terms:
            start, end = self.term_ptr[term], self.term_ptr[term + 1]
            scores[self.docs[start:end]] += self.weights[start:end]  # a term's docs are distinct
        if allowed is not None:
            keep = np.zeros(self.n, dtype=bool)
            keep[[i for i in allowed if 0 <= i < self.n]] = True
            scores[~keep] = 0.0
        found = np.flatnonzero(scores > 0)
        if len(found) > k:
            kth = np.partition(scores[found], len(found) - k)[len(found) - k]
            found = found[scores[found] >= kth]
        order = found[np.lexsort((found, -scores[found]))][:k]
        return [(int(i), float(scores[i])) for i in order]
