"""Hybrid retrieval: dense (Chroma) + BM25, fused by reciprocal rank, de-duplicated, neighbours merged."""
from __future__ import annotations

import re
import time
from collections.abc import Collection, Iterable
from dataclasses import dataclass, field

from . import acronyms, field_words
from .field_words import MAIN_ENTRY
from .focus import DocumentNames
from .store import Index
from .textutil import sentence_spans, terms

MAX_RANKED_APART = 3  # named documents up to this many get a ranking each
# A question about a document itself: when it came out, who wrote it.
_ASKS_FRONT_MATTER = re.compile(r"\b(?:published|publish|publication|released|issued|came\s+out|come\s+out|dated|"
                                r"wrote|written|authors?|authored)\b", re.I)


@dataclass
class Passage:
    """A span of one document given to the answerer as numbered context."""
    doc_id: str
    title: str
    section: str
    page: int | None
    start: int
    end: int
    text: str
    chunk_ids: list[str]
    score: float  # fused RRF score
    similarity: float  # cosine similarity of the question to the best chunk
    n: int = 0
    bm25: float = 0.0  # BM25 score of its best chunk among the lexical candidates (0: not among them)
    sections: list[tuple[int, str]] = field(default_factory=list)  # (start, section) of each chunk merged in

    def section_at(self, offset: int) -> str:
        """The section of the merged chunk holding offset: a passage of adjacent chunks may run across a heading."""
        found = [section for start, section in self.sections if start <= offset]
        return found[-1] if found else self.section

    def to_json(self) -> dict:
        return {"n": self.n, "doc_id": self.doc_id, "chunk_id": ",".join(self.chunk_ids), "title": self.title,
                "section": self.section, "page": self.page, "start": self.start, "end": self.end,
                "text": self.text, "score": round(self.score, 5), "similarity": round(self.similarity, 4),
                "bm25": round(self.bm25, 4)}

    @classmethod
    def from_json(cls, data: dict) -> Passage:
        return cls(doc_id=data["doc_id"], title=data.get("title", ""), section=data.get("section", ""),
                   page=data.get("page"), start=int(data["start"]), end=int(data["end"]), text=data.get("text", ""),
                   chunk_ids=[c for c in str(data.get("chunk_id", "")).split(",") if c],
                   score=float(data.get("score", 0.0)), similarity=float(data.get("similarity", 0.0)),
                   n=int(data.get("n", 0)), bm25=float(data.get("bm25", 0.0)))


@dataclass
class Retrieval:
    passages: list[Passage]
    best_similarity: float
    lexical_coverage: float = 0.0  # share of the question's terms found in the best BM25 hit
    timings_ms: dict = field(default_factory=dict)
    sources_named: bool = False  # searched only the documents the question names as where to read


class HybridRetriever:
    def __init__(self, index: Index, embedder, candidates: int = 20, rrf_k: int = 60):
        self.index = index
        self.embedder = embedder
        self.candidates = candidates
        self.rrf_k = rrf_k
        # Chunks made mostly of instructions to an assistant are hostile text, never context (flagged at ingest).
        self.injected = index.injected
        self.names = DocumentNames({doc_id: meta for doc_id, (meta, _) in index.docs.items()})
        self._unseen_idf: float | None = None

    def retrieve(self, query: str, top_k: int = 5, doc_ids: list[str] | None = None) -> Retrieval:
        timings: dict[str, float] = {}
        t0 = time.perf_counter()
        read_in = self.names.named_as_source(query)
        sources = None if doc_ids else self._sources_only(query, read_in)
        doc_ids = doc_ids or sources
        vector = self.embedder.embed([query])[0]
        t1 = time.perf_counter()
        dense = self.index.dense_search(vector, self.candidates, doc_ids)
        t2 = time.perf_counter()
        lexical = self.index.lexical_search(query, self.candidates, doc_ids)
        named = self.names.named_in(query) | self.names.peoples_places(query) | read_in
        if doc_ids:
            named &= set(doc_ids)
        # The documents a question names (by title or kind) get their own rankings in the fusion; two or three named
        # outright ("the report" and "Tajikistan") one each, so that one of them cannot fill them all.
        apart = sorted(self.names.named_outright(query) & named)
        if not 1 < len(apart) <= MAX_RANKED_APART:
            apart = []
        rest = sorted(named - set(apart))
        groups = [[d] for d in apart] + ([rest] if rest else [])
        focused = [ranking for group in groups
                   for ranking in (self.index.dense_search(vector, self.candidates, group),
                                   self.index.lexical_search(query, self.candidates, group))]
        if self.injected:
            dense, lexical, *focused = [[hit for hit in ranking if hit[0] not in self.injected]
                                        for ranking in (dense, lexical, *focused)]
        t3 = time.perf_counter()
        timings.update(embed_query=(t1 - t0) * 1e3, dense=(t2 - t1) * 1e3, bm25=(t3 - t2) * 1e3)

        # A chunk holding one sentence that states most of the question ranks by that sentence, not the whole
        # chunk: a short field line ("Executive branch, chief of state: ...") among many others, or one clause of
        # a long paragraph, is otherwise outranked by chunks that repeat one of the question's words.
        labelled: set[int] = set()
        by_sentence = self._by_best_sentence(query, dict.fromkeys(i for r in (dense, lexical, *focused) for i, _ in r),
                                             labelled)
        fused = self._fused(dense, lexical, *focused, by_sentence)
        order = sorted(fused, key=lambda i: -fused[i])
        # Each retriever's best hit is always kept: RRF alone can bury a strong lexical-only match. So is the
        # passage that spells out an acronym the question asks about.
        leaders = self._spelling_out(query, vector, doc_ids)
        leaders += [ranking[0][0] for ranking in (lexical, dense) if ranking]
        # So is the best passage of each document named outright: by meaning, or by meaning and words together in
        # a document named as where to read ("Is Russia mentioned in the report?").
        for doc_id, doc_dense, doc_lexical in zip(apart, focused[0::2], focused[1::2]):
            in_doc = self._fused(doc_dense, doc_lexical)
            leaders += sorted(in_doc, key=lambda i: -in_doc[i])[:1] if doc_id in read_in else \
                [i for i, _ in doc_dense[:1]]
        leaders += [i for i, _ in by_sentence[:1] if i in labelled]  # its best line is labelled with what is asked
        leaders += self._front_matter(query, read_in)
        order = list(dict.fromkeys(leaders + order))
        similarity = {i: s for i, s in dense}
        for i in order:
            if i not in similarity:
                similarity[i] = float(self.index.matrix[i] @ vector)
        selected = self._diverse(order, top_k, named)
        passages = self._merge_neighbours(selected, fused, similarity, dict(lexical))
        timings["fuse"] = (time.perf_counter() - t3) * 1e3
        best = max((s for _, s in dense), default=0.0)
        q_terms = set(terms(query))
        asked_names = self.names.asked_names(query)  # "the report" is said by every chunk of the report
        coverage = max((len(q_terms & (set(terms(self.index.chunks[i].embed_text())) |
                                       self.names.context_terms(self.index.chunks[i].doc_id, asked_names)))
                        / len(q_terms) for i, _ in lexical[:3]), default=0.0) if q_terms else 0.0
        return Retrieval(passages=passages, best_similarity=best, lexical_coverage=coverage, timings_ms=timings,
                         sources_named=bool(sources))

    def _sources_only(self, query: str, read_in: set[str]) -> list[str] | None:
        """The documents a question names as where to read (read_in: "What does the report recommend?") when it
        names no other document: it is answered from them alone."""
        return sorted(read_in) if read_in and self.names.named_outright(query) == read_in else None

    def _fused(self, *rankings) -> dict[int, float]:
        """Reciprocal rank fusion: each chunk's score summed over the rankings it is in."""
        fused: dict[int, float] = {}
        for ranking in rankings:
            for rank, (i, _) in enumerate(ranking):
                fused[i] = fused.get(i, 0.0) + 1.0 / (self.rrf_k + rank + 1)
        return fused

    def _front_matter(self, query: str, read_in: set[str]) -> list[int]:
        """For "When did this report come out?", "Who wrote the report?": the first passage of each document the
        question names as where to read, which carries its date and byline."""
        if not read_in or not _ASKS_FRONT_MATTER.search(query):
            return []
        chunks = self.index.chunks
        return sorted(min(self.index.by_doc[doc_id], key=lambda i: chunks[i].start)
                      for doc_id in read_in if self.index.by_doc.get(doc_id))

    def _spelling_out(self, query: str, vector, doc_ids: list[str] | None) -> list[int]:
        """For "What does ISKP stand for?", the chunk nearest the question of those that spell ISKP out; else none."""
        acronym = acronyms.asked_expansion(query)
        if not acronym:
            return []
        allowed = [i for i, chunk in enumerate(self.index.chunks)
                   if (not doc_ids or chunk.doc_id in doc_ids) and i not in self.injected]
        found = [allowed[j] for j in acronyms.defining(acronym, [self.index.chunks[i].text for i in allowed])]
        return [max(found, key=lambda i: float(self.index.matrix[i] @ vector))] if found else []

    def _by_best_sentence(self, query: str, candidates: Iterable[int],
                          labelled: set[int] | None = None) -> list[tuple[int, float]]:
        """The candidates (in their rankings' order, which breaks ties) ranked by their best sentence's share of the
        question's term weight (idf), the chunk's heading context counted with each sentence; those sharing nothing
        are left out. A chunk whose document text is missing is read from its own text. labelled gets the chunks
        whose best sentence is a field labelled with the question's terms."""
        idf = self.index.bm25.idf
        if self._unseen_idf is None:
            self._unseen_idf = max(idf.values(), default=1.0)
        # A word no chunk has is as rare as a word can be: it counts where a field's everyday words give it.
        weights = {t: idf.get(t, self._unseen_idf) for t in set(terms(query))}
        asked = set(weights)
        total = sum(weights.values())
        if not total:
            return []
        scored = []
        for i in candidates:
            chunk = self.index.chunks[i]
            doc_text = self.index.doc_text(chunk.doc_id)
            text, start, end = (doc_text, chunk.start, chunk.end) if doc_text else (chunk.text, 0, len(chunk.text))
            around = set(terms(chunk.context)) & weights.keys()
            best, label = 0.0, 0.0
            for s, e in sentence_spans(text, start, end):
                plain = field_words.terms_of(text[s:e], asked) & asked  # the field asked in other words
                extra = _asked_label_weight(text[s:e], weights) or sum(weights[t] for t in plain)
                share = sum(weights[t] for t in (set(terms(text[s:e])) & weights.keys()) | around | plain) + extra
                if share > best:
                    best, label = share, extra
            if best:
                scored.append((i, best / total))
                if label and labelled is not None:
                    labelled.add(i)
        return sorted(scored, key=lambda hit: -hit[1])

    def _diverse(self, order: list[int], top_k: int, named: Collection[str] = ()) -> list[int]:
        """Drop chunks that overlap or nearly repeat an already selected one. A chunk of a document the question
        names (named) is kept beside another document's chunk of nearly the same words: Tajikistan's terrorism
        field is not a repeat of Uzbekistan's, though the two share most of their words."""
        chunks = self.index.chunks
        chosen: list[int] = []
        chosen_terms: list[tuple[set, str]] = []
        for i in order:
            chunk = chunks[i]
            if any(chunks[j].doc_id == chunk.doc_id and chunks[j].start < chunk.end and chunk.start < chunks[j].end
                   for j in chosen):
                continue
            words = set(terms(chunk.text))
            if any(_jaccard(words, other) > 0.8 for other, doc_id in chosen_terms
                   if doc_id == chunk.doc_id or chunk.doc_id not in named):
                continue
            chosen.append(i)
            chosen_terms.append((words, chunk.doc_id))
            if len(chosen) == top_k:
                break
        return chosen

    def _merge_neighbours(self, selected: list[int], fused: dict, similarity: dict,
                          bm25: dict[int, float]) -> list[Passage]:
        """Adjacent chunks of one document become one passage, so a split paragraph reads whole."""
        chunks = self.index.chunks
        groups: list[list[int]] = []
        for i in selected:
            for group in groups:
                if any(abs(i - j) == 1 and chunks[j].doc_id == chunks[i].doc_id for j in group):
                    group.append(i)
                    break
            else:
                groups.append([i])
        passages = []
        for group in groups:
            group.sort()
            first, last = chunks[group[0]], chunks[group[-1]]
            doc_text = self.index.doc_text(first.doc_id) or ""
            passages.append(Passage(
                doc_id=first.doc_id, title=first.title, section=first.section, page=first.page,
                start=first.start, end=last.end, text=doc_text[first.start:last.end] or first.text,
                chunk_ids=[chunks[i].chunk_id for i in group],
                score=max(fused[i] for i in group), similarity=max(similarity[i] for i in group),
                bm25=max(bm25.get(i, 0.0) for i in group),
                sections=[(chunks[i].start, chunks[i].section) for i in group],
            ))
        passages.sort(key=lambda p: -p.score)
        for n, passage in enumerate(passages, start=1):
            passage.n = n
        return passages


def _jaccard(a: set, b: set) -> float:
    return len(a & b) / len(a | b) if a and b else 0.0


_LABEL = re.compile(r"^([A-Z][\w ,()-]{1,60}?):\s")


def _asked_label_weight(sentence: str, weights: dict[str, float]) -> float:
    """A field whose label is made of the question's terms ("Independence: 5 July 1962" for "When did Algeria become
    independent?") counts its label twice: it is that fact's own line, not a passing mention."""
    label = _LABEL.match(sentence)
    named = set(terms(label.group(1))) - MAIN_ENTRY if label else set()  # "Area, total" is the area's own line
    return sum(weights[t] for t in named) if named and named <= weights.keys() else 0.0

