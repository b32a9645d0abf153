"""Compact evidence for an LLM: the retrieved passages' sentences that best match the question, each with its
neighbours, within a character budget, under each passage's heading. The local model reads ~100 prompt tokens a
second on 2 cores, so what it is given, not the passages whole, sets the time to the first word."""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from ..guard import for_prompt, instruction_spans
from ..retrieval import Passage
from ..textutil import sentence_spans

GAP = " … "


@dataclass
class Excerpt:
    passage: Passage
    spans: list[tuple[int, int]]  # document offsets of the sentences shown, in document order


def select(question: str, passages: list[Passage], doc_texts: dict[str, str], metas: dict, scorer,
           budget: int, neighbours: int = 0, relative_floor: float = 0.0) -> list[Excerpt]:
    """Best-scoring sentences first, each with up to `neighbours` sentences either side, until the budget (in
    characters) is spent or the scores fall below relative_floor x the best; the best sentence is always kept.
    Instruction-like sentences are never included."""
    scored = scorer.score_sentences(question, passages, doc_texts, metas, typed=False)
    if scored:
        floor = relative_floor * scored[0][0]
        scored = [item for item in scored if item[0] >= floor]
    sentences: dict[int, list[tuple[int, int]]] = {}  # a passage's clean sentences, read only for neighbours
    chosen: dict[int, set[tuple[int, int]]] = {}
    used = 0
    for item in scored:
        passage, start, end = item[1], item[2], item[3]
        have = chosen.setdefault(id(passage), set())
        window = [(start, end)]
        if neighbours:
            spans = sentences.get(id(passage))
            if spans is None:
                spans = sentences[id(passage)] = _clean_sentences(doc_texts.get(passage.doc_id, ""), passage)
            if (start, end) not in spans:
                continue
            i = spans.index((start, end))
            window = spans[max(0, i - neighbours): i + neighbours + 1]
        window = [s for s in window if s not in have]
        if used and used + _cost(window) > budget:
            window = [(start, end)] if (start, end) not in have else []
            if not window or used + _cost(window) > budget:
                continue
        have.update(window)
        used += _cost(window)
        if used >= budget:
            break
    return [Excerpt(p, sorted(chosen[id(p)])) for p in passages if chosen.get(id(p))]


def render(excerpts: list[Excerpt], doc_texts: dict[str, str], heading: Callable[[Passage], str]) -> str:
    """[n] (heading) then the sentences, with an ellipsis where sentences of the passage were left out."""
    blocks = []
    for excerpt in excerpts:
        text = doc_texts.get(excerpt.passage.doc_id, "")
        pieces, previous_end = [], None
        for start, end in excerpt.spans:
            if previous_end is not None:
                gap = text[previous_end:start]
                pieces.append(" " if not gap.strip() else GAP)
            pieces.append(for_prompt(text[start:end]))
            previous_end = end
        blocks.append(f"[{excerpt.passage.n}] {heading(excerpt.passage)}\n" + "".join(pieces))
    return "\n\n".join(blocks)


def _clean_sentences(text: str, passage: Passage) -> list[tuple[int, int]]:
    flagged = instruction_spans(text, passage.start, passage.end)
    return [span for span in sentence_spans(text, passage.start, passage.end) if span not in flagged]


def _cost(spans: list[tuple[int, int]]) -> int:
    return sum(end - start + 1 for start, end in spans)
