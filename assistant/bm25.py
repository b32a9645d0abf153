"""A small in-memory BM25 (Okapi) index over chunk texts, built at load time from the stored chunks.

Each term's postings hold its documents and their precomputed BM25 weights as numpy arrays, so a query is a few
vector additions instead of a Python loop over every posting (at 50k chunks, the loop was most of a query).
"""
from __future__ import annotations

import math
from collections import Counter, defaultdict

import numpy as np

from .textutil import terms


class BM25:
    def __init__(self, texts: list[str], k1: float = 1.2, b: float = 0.75):
        self.k1, self.b = k1, b
        postings: dict[str, list[tuple[int, int]]] = defaultdict(list)
        lengths = []
        for i, text in enumerate(texts):
            counts = Counter(terms(text))
            lengths.append(sum(counts.values()))
            for term, tf in counts.items():
                postings[term].append((i, tf))
        self.n = len(texts)
        self.avg_len = (sum(lengths) / self.n) if self.n else 0.0
        self.idf = {t: math.log(1 + (self.n - len(p) + 0.5) / (len(p) + 0.5)) for t, p in postings.items()}
        norm = k1 * (1 - b + b * np.asarray(lengths, dtype=np.float64) / (self.avg_len or 1))
        self._docs: dict[str, np.ndarray] = {}
        self._weights: dict[str, np.ndarray] = {}
        for term, plist in postings.items():
            docs = np.fromiter((i for i, _ in plist), dtype=np.int64, count=len(plist))
            freqs = np.fromiter((f for _, f in plist), dtype=np.float64, count=len(plist))
            self._docs[term] = docs
            self._weights[term] = self.idf[term] * freqs * (k1 + 1) / (freqs + norm[docs])

    def search(self, query: str, k: int, allowed: set[int] | None = None) -> list[tuple[int, float]]:
        """The k best (chunk index, score), best first; equal scores in index order."""
        query_terms = [t for t in set(terms(query)) if t in self._docs]
        if not query_terms or k <= 0:
            return []
        scores = np.zeros(self.n, dtype=np.float64)
        for term in query_terms:
            scores[self._docs[term]] += self._weights[term]  # a term's docs are distinct: no lost additions
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
