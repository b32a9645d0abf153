"""Stage 5: the draft answer, by the backend's capability. One that streams chat text (an LLM) drafts from the prompt
(its tokens streamed, holding back what may be the abstention sentinel); one that drafts from passages (extractive,
also the fallback for an LLM that failed) quotes the best sentences."""
from __future__ import annotations

import time
from collections.abc import Generator
from dataclasses import dataclass, field
from typing import Any

from ..answer import Event
from ..backends import (
    Backend,
    BackendError,
    CountsTokens,
    DraftsFromPassages,
    ExtractiveBackend,
    PreparesPrefix,
    StreamsChat,
)
from ..prompts import NOT_IN_SOURCES as SENTINEL
from ..retrieval import Passage
from . import prompt

FALLBACK = ExtractiveBackend()  # answers when an LLM fails
CHARS_PER_TOKEN = 4  # English text in a BPE vocabulary; an estimate shown to evaluators, not a count
PREPARING = "The model is reading the corpus (once after start-up, about 20 s)…"


@dataclass
class Draft:
    text: str | None  # None or "": nothing to show
    grounding: list[Passage]  # the numbered passages the draft's [n] markers refer to
    doc_texts: dict[str, str]  # of every document in grounding and the retrieved passages
    metas: dict
    backend: str
    model: str
    by_llm: bool
    notices: list[str] = field(default_factory=list)  # e.g. the LLM failed: an extractive answer instead
    prompt: dict = field(default_factory=dict)  # the LLM prompt's size (empty without an LLM)
    asked_in: str = ""  # the question as the user wrote it, when an LLM answered it in that language


def run(backend: Backend, question: str, passages: list[Passage], opened: Any, settings, *, whole: bool,
        timings: dict[str, float], started: float, asked_in: str = "",
        translated: bool = False) -> Generator[Event, None, Draft]:
    """Yields status and token events; returns the Draft. opened: an index_manager.OpenIndex; whole: no document
    filter (the whole corpus may go in the prompt); timings gets first_token (ms after started) from an LLM;
    asked_in: the question as the user wrote it (an LLM answers in its language); translated: the LLM first put it
    in English (its excerpts are then shorter: llm_excerpt_tokens_translated)."""
    index = opened.index
    doc_texts = {p.doc_id: index.doc_text(p.doc_id) for p in passages}
    metas = {p.doc_id: index.doc_meta(p.doc_id) for p in passages}
    notices = []
    if isinstance(backend, StreamsChat):
        try:
            return (yield from _by_llm(backend, question, passages, opened, settings, doc_texts, metas,
                                       whole=whole, timings=timings, started=started, asked_in=asked_in,
                                       translated=translated))
        except BackendError as exc:
            notices.append(f"{str(exc).rstrip('.')}. Showing an extractive answer instead.")
            backend = FALLBACK
    if not isinstance(backend, DraftsFromPassages):
        raise TypeError(f"the {backend.name} backend neither streams chat text nor drafts from passages")
    text = backend.draft(question, passages, doc_texts, metas, opened.extractive)
    if text:
        yield Event("token", text)
    return Draft(text, passages, doc_texts, metas, backend.name, backend.model, False, notices)


def _by_llm(llm: StreamsChat, question: str, passages: list[Passage], opened: Any, settings,
            doc_texts: dict[str, str], metas: dict, *, whole: bool, timings: dict[str, float],
            started: float, asked_in: str = "", translated: bool = False) -> Generator[Event, None, Draft]:
    """The LLM's draft from the prompt; doc_texts and metas gain the documents of the prompt's passages."""
    index = opened.index
    messages, grounding = prompt.messages(
        question, passages, doc_texts, metas, extractive=opened.extractive,
        corpus=opened.corpus if whole else None, prompts_dir=settings.prompts_dir,
        context_chars=settings.llm_context_chars, doc_meta=index.doc_meta,
        asked_in=asked_in, **excerpt_budget(llm, settings, translated))
    if isinstance(llm, PreparesPrefix) and llm.will_prepare(messages[0]["content"]):
        yield Event("status", PREPARING)
    doc_texts.update({p.doc_id: index.doc_text(p.doc_id) for p in grounding if p.doc_id not in doc_texts})
    metas.update({p.doc_id: index.doc_meta(p.doc_id) for p in grounding if p.doc_id not in metas})
    text = yield from _stream(llm, messages, settings.max_tokens, timings, started)
    chars = sum(len(m["content"]) for m in messages)
    size = {"messages": len(messages), "chars": chars, "est_tokens": round(chars / CHARS_PER_TOKEN)}
    return Draft(text, grounding, doc_texts, metas, llm.name, llm.model, True, prompt=size, asked_in=asked_in)


def excerpt_budget(llm: StreamsChat, settings, translated: bool = False) -> dict:
    """The excerpts' budget: in the model's own tokens when the backend counts them, else in characters; smaller
    when the model first put the question in English, so that its answer's first token comes about as soon."""
    if settings.llm_excerpt_chars and settings.llm_excerpt_tokens and isinstance(llm, CountsTokens):
        tokens = settings.llm_excerpt_tokens
        if translated and settings.llm_excerpt_tokens_translated:
            tokens = min(tokens, settings.llm_excerpt_tokens_translated)
        return {"excerpt_budget": tokens, "excerpt_measure": llm.count_tokens}
    return {"excerpt_budget": settings.llm_excerpt_chars}


def _stream(llm: StreamsChat, messages: list[dict], max_tokens: int, timings: dict,
            started: float) -> Generator[Event, None, str]:
    draft, shown = "", 0
    for piece in llm.stream(messages, max_tokens):
        if not draft and "first_token" not in timings:
            timings["first_token"] = (time.perf_counter() - started) * 1e3
        draft += piece
        if SENTINEL.startswith(draft.lstrip()[:len(SENTINEL)]):
            continue  # may be the abstention sentinel: hold it back
        yield Event("token", draft[shown:])
        shown = len(draft)
    return draft
