"""The chat messages an LLM answers from: the rules, the sources (the whole small corpus, or the retrieved
passages) and the key sentences selected before generation."""
from __future__ import annotations

import bisect
from collections.abc import Callable
from dataclasses import dataclass

from ..citations import section_and_page
from ..guard import for_prompt, redact
from ..language import answer_language
from ..prompts import render
from ..retrieval import Passage
from . import excerpts


@dataclass
class CorpusPrompt:
    """A small corpus whole, as numbered passages in document order, and the fixed system message holding them."""
    passages: list[Passage]
    system: str

    def __post_init__(self):
        self._starts = [(p.doc_id, p.start) for p in self.passages]  # sorted: passages are in document order

    def number(self, passage: Passage, start: int) -> int:
        """The [n] of the corpus passage holding the text at start of passage's document."""
        i = bisect.bisect_right(self._starts, (passage.doc_id, start)) - 1
        return self.passages[i].n if i >= 0 and self._starts[i][0] == passage.doc_id else passage.n


def corpus_prompt(index, excluded: set[int], budget: int, prompts_dir) -> CorpusPrompt | None:
    """The whole corpus as the system message, when it fits the budget (llm_corpus_chars); else None."""
    passages = corpus_passages(index, excluded, budget)
    return CorpusPrompt(passages, system(prompts_dir, index.doc_meta, passages)) if passages else None


def corpus_passages(index, excluded: set[int], budget: int) -> list[Passage] | None:
    """Every chunk as a numbered passage, in document order, when the corpus fits the budget; else None."""
    kept = [(i, chunk) for i, chunk in enumerate(index.chunks) if i not in excluded]
    if not kept or budget <= 0 or sum(len(chunk.text) for _, chunk in kept) > budget:
        return None
    passages = []
    for n, (_, chunk) in enumerate(sorted(kept, key=lambda item: (item[1].doc_id, item[1].start)), start=1):
        text = index.doc_text(chunk.doc_id) or ""
        passages.append(Passage(doc_id=chunk.doc_id, title=chunk.title, section=chunk.section, page=chunk.page,
                                start=chunk.start, end=chunk.end, text=text[chunk.start:chunk.end] or chunk.text,
                                chunk_ids=[chunk.chunk_id], score=0.0, similarity=0.0, n=n))
    return passages


def messages(question: str, passages: list[Passage], doc_texts: dict, metas: dict, *, extractive,
             corpus: CorpusPrompt | None, prompts_dir, context_chars: int, doc_meta: Callable,
             excerpt_budget: int = 0, excerpt_measure: Callable[[str], int] = len,
             asked_in: str = "") -> tuple[list[dict], list[Passage]]:
    """Chat messages for the LLM, and the numbered passages its [n] markers refer to.

    A corpus small enough (corpus given) goes whole into the system message, the same for every question, so
    the local model keeps it in its KV cache and reads only the question and the key sentences each time;
    otherwise (a larger corpus, or a document filter) the retrieved passages' best sentences within excerpt_budget
    (characters, or what excerpt_measure counts) are sent, or with a budget of 0 the passages whole within
    context_chars. asked_in: the question as the user
    wrote it, when question is its English rendering (the answer is written in the user's language)."""
    written = asked_in or question
    if corpus:
        evidence = extractive.evidence(question, passages, doc_texts, metas, number=corpus.number)
        user = render(prompts_dir, "answer_user_corpus", question=for_prompt(question),
                      evidence="\n".join(evidence) or "(none)")
        return [{"role": "system", "content": corpus.system},
                {"role": "user", "content": in_language(user, written, prompts_dir)}], corpus.passages
    if excerpt_budget > 0:
        chosen = excerpts.select(question, passages, doc_texts, metas, extractive, excerpt_budget,
                                 longest=excerpt_budget, measure=excerpt_measure)
        shown = excerpts.render(chosen, doc_texts, lambda p: heading(p, doc_meta(p.doc_id), byline=False))
        user = render(prompts_dir, "answer_user_excerpts", context=shown or "(none)", question=for_prompt(question))
        return with_language(system(prompts_dir, doc_meta), user, written, prompts_dir), passages
    passages = within_budget(passages, context_chars)
    evidence = extractive.evidence(question, passages, doc_texts, metas)
    user = render(prompts_dir, "answer_user", context=context(passages, doc_meta), question=for_prompt(question),
                  evidence="\n".join(evidence) or "(none)")
    return with_language(system(prompts_dir, doc_meta), user, written, prompts_dir), passages


def with_language(rules: str, user: str, question: str, prompts_dir) -> list[dict]:
    """The system and user messages; a question asked in another language gets the rules for it in the system
    message (cached like the rules: the same for every such question) and its language named in a few words at the
    end of the user message."""
    language = answer_language(question)
    if language is None:
        return [{"role": "system", "content": rules}, {"role": "user", "content": user}]
    return [{"role": "system", "content": other_language_rules(rules, prompts_dir)},
            {"role": "user", "content": f"{user}\n\nAnswer in {language}."}]


def other_language_rules(rules: str, prompts_dir) -> str:
    return f"{rules}\n\n{render(prompts_dir, 'answer_other_language')}"


def in_language(user: str, question: str, prompts_dir) -> str:
    """The user message, with the rules for a question asked in another language and its language (after a small
    corpus whole, where a second system message would make the model read the corpus again)."""
    language = answer_language(question)
    if language is None:
        return user
    return f"{user}\n\n{render(prompts_dir, 'answer_other_language')}\n\nAnswer in {language}."


def system(prompts_dir, doc_meta: Callable, corpus: list[Passage] | None = None) -> str:
    """The rules, and with a corpus, every passage of it after them."""
    rules = render(prompts_dir, "answer_system")
    if not corpus:
        return rules
    return rules + "\n\n" + render(prompts_dir, "answer_corpus", context=context(corpus, doc_meta))


def context(passages: list[Passage], doc_meta: Callable) -> str:
    blocks, seen_docs = [], set()
    for p in passages:
        head = heading(p, doc_meta(p.doc_id), byline=p.doc_id not in seen_docs)
        blocks.append(f"[{p.n}] {head}\n{for_prompt(redact(p.text))}")
        seen_docs.add(p.doc_id)
    return "\n\n".join(blocks)


def within_budget(passages: list[Passage], budget: int) -> list[Passage]:
    """The best-ranked passages that fit the LLM context budget (always at least one)."""
    kept: list[Passage] = []
    used = 0
    for passage in passages:
        if kept and used + len(passage.text) > budget:
            continue
        kept.append(passage)
        used += len(passage.text)
    return kept


def heading(passage: Passage, meta, byline: bool = True) -> str:
    """Title, then authors and date (on a document's first passage only: prompt tokens are the local model's
    time to first token), section and page."""
    parts = [passage.title]
    if byline and meta is not None and meta.authors:
        parts.append("by " + ", ".join(meta.authors))
    if byline and meta is not None and meta.date:
        parts.append(meta.date)
    parts += section_and_page(passage.title, passage.section, passage.page)
    return "(" + "; ".join(for_prompt(x) for x in parts) + ")"
