"""Compact evidence for an LLM: the retrieved passages' sentences that best match the question, each with its
neighbours, within a character budget, under each passage's heading. The local model reads ~100 prompt tokens a
second on 2 cores, so what it is given, not the passages whole, sets the time to the first word."""
from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field

from ..guard import for_prompt, instruction_spans
from ..retrieval import Passage
from ..textutil import sentence_spans, terms

GAP = " … "
_WORD_START = re.compile(r"(?<!\S)\S")  # where a whitespace-separated word begins


@dataclass
class Excerpt:
    passage: Passage
    spans: list[tuple[int, int]]  # document offsets of the sentences shown, in document order
    cut: dict[tuple[int, int], tuple[int, int]] = field(default_factory=dict)  # a clipped span: its whole sentence


def select(question: str, passages: list[Passage], doc_texts: dict[str, str], metas: dict, scorer,
           budget: int, neighbours: int = 0, relative_floor: float = 0.0, longest: int = 0,
           measure: Callable[[str], int] = len) -> list[Excerpt]:
    """Best-scoring sentences first, each with up to `neighbours` sentences either side, until the budget is
    spent (in characters, or what `measure` counts: the model's tokens) or the scores fall below relative_floor x
    the best. The best sentence is always kept, cut to its part richest in the question's terms when it is longer
    than `longest` (when given). Instruction-like sentences are never included."""
    scored = scorer.score_sentences(question, passages, doc_texts, metas, typed=False)
    if scored:
        floor = relative_floor * scored[0][0]
        scored = [item for item in scored if item[0] >= floor]
    sentences: dict[int, list[tuple[int, int]]] = {}  # a passage's clean sentences, read only for neighbours
    chosen: dict[int, set[tuple[int, int]]] = {}
    cuts: dict[int, dict[tuple[int, int], tuple[int, int]]] = {}
    used = 0

    def cost(passage: Passage, spans: list[tuple[int, int]]) -> int:
        text = doc_texts.get(passage.doc_id, "")
        return sum(measure(text[s:e]) + 1 for s, e in spans)

    for rank, item in enumerate(scored):
        passage, start, end = item[1], item[2], item[3]
        have = chosen.setdefault(id(passage), set())
        size = measure(doc_texts.get(passage.doc_id, "")[start:end]) if rank == 0 and longest else 0
        if size > longest:  # the best sentence is always shown, its best part if too long
            chars = max(1, (end - start) * longest // size)
            part = clip(doc_texts.get(passage.doc_id, ""), start, end, question, chars)
            cuts.setdefault(id(passage), {})[part] = (start, end)
            have.add(part)
            used += cost(passage, [part])
            if used >= budget:
                break
            continue
        window = [(start, end)]
        if neighbours:
            spans = sentences.get(id(passage))
            if spans is None:
                spans = sentences[id(passage)] = _clean_sentences(doc_texts.get(passage.doc_id, ""), passage)
            if (start, end) not in spans:
                continue
            i = spans.index((start, end))
            window = spans[max(0, i - neighbours): i + neighbours + 1]
        window = [s for s in window if s not in have and s not in cuts.get(id(passage), {}).values()]
        if used and used + cost(passage, window) > budget:
            window = [(start, end)] if (start, end) not in have else []
            if not window or used + cost(passage, window) > budget:
                continue
        have.update(window)
        used += cost(passage, window)
        if used >= budget:
            break
    return [Excerpt(p, sorted(chosen[id(p)]), cuts.get(id(p), {})) for p in passages if chosen.get(id(p))]


def clip(text: str, start: int, end: int, question: str, limit: int) -> tuple[int, int]:
    """The part of a sentence longer than limit characters that holds most of the question's terms, those terms
    as near its middle as the sentence allows, cut at word boundaries; the sentence itself when it fits."""
    if end - start <= limit:
        return start, end
    wanted = set(terms(question))
    starts = [start + m.start() for m in _WORD_START.finditer(text[start:end])]
    ends = starts[1:] + [end]
    hits = [i for i, (a, b) in enumerate(zip(starts, ends)) if wanted & set(terms(text[a:b]))]
    windows = []  # (terms inside, -off-centre, start, end)
    for i, a in enumerate(starts):
        j = i
        while j + 1 < len(starts) and ends[j + 1] - a <= limit:
            j += 1
        if ends[j] - a > limit:
            continue
        inside = [h for h in hits if i <= h <= j]
        centre = (starts[inside[0]] + ends[inside[-1]]) / 2 if inside else a
        windows.append((len(inside), -abs((a + ends[j]) / 2 - centre), a, ends[j]))
    if not windows:
        return start, start + limit
    _, _, a, b = max(windows)
    while b > a and text[b - 1].isspace():
        b -= 1
    return a, b


def render(excerpts: list[Excerpt], doc_texts: dict[str, str], heading: Callable[[Passage], str]) -> str:
    """[n] (heading) then the sentences, with an ellipsis where sentences of the passage were left out."""
    blocks = []
    for excerpt in excerpts:
        text = doc_texts.get(excerpt.passage.doc_id, "")
        pieces, previous_end = [], None
        for start, end in excerpt.spans:
            cut = excerpt.cut.get((start, end))
            starts_inside = cut is not None and start > cut[0]
            if previous_end is not None:
                pieces.append(GAP if text[previous_end:start].strip() or starts_inside else " ")
            elif starts_inside:
                pieces.append(GAP.lstrip())
            pieces.append(for_prompt(text[start:end]))
            if cut is not None and end < cut[1]:
                pieces.append(GAP.rstrip())
            previous_end = end
        blocks.append(f"[{excerpt.passage.n}] {heading(excerpt.passage)}\n" + "".join(pieces))
    return "\n\n".join(blocks)


def _clean_sentences(text: str, passage: Passage) -> list[tuple[int, int]]:
    flagged = instruction_spans(text, passage.start, passage.end)
    return [span for span in sentence_spans(text, passage.start, passage.end) if span not in flagged]
