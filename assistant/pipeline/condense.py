"""Stage 2: a follow-up made standalone: by rule, else by an LLM backend, else with the previous question as context."""
from __future__ import annotations

import logging
from dataclasses import dataclass

from .. import conversation
from ..backends import Backend, BackendError, StreamsChat
from ..focus import DocumentNames
from ..guard import for_prompt
from ..language import is_english
from ..prompts import render
from . import decompose

logger = logging.getLogger(__name__)


@dataclass
class Condensed:
    standalone: str
    method: str  # "none" (not a follow-up), "rule", "referent", "llm" or "context"; "translated" (+ one of those)


def run(question: str, history: list[conversation.Turn], backend: Backend, *, prompts_dir,
        history_turns: int, names: DocumentNames | None = None) -> Condensed:
    """names: the open index's document names, whose places a reference ("that country") may stand for. A question
    in another language is first put in English by an LLM backend: the index, the scorer and the checks read
    English (the answer is still written in the question's language)."""
    if isinstance(backend, StreamsChat) and not is_english(question):
        english = translated(question, backend, prompts_dir)
        if english and is_english(english):
            inner = run(english, history, backend, prompts_dir=prompts_dir, history_turns=history_turns, names=names)
            return Condensed(inner.standalone, "translated" if inner.method == "none" else f"translated+{inner.method}")
    if not conversation.is_followup(question, history):
        return Condensed(question, "none")
    previous = history[-1].standalone
    rewrite = conversation.substitute(question, previous)
    if rewrite:
        return Condensed(rewrite, "rule")
    referent = resolved(question, history[-1], names)
    if referent:
        return Condensed(referent, "referent")
    if isinstance(backend, StreamsChat):
        turns = "\n".join(f"User: {t.standalone}\nAssistant: {t.answer[:300]}" for t in history[-history_turns:])
        messages = [
            {"role": "system", "content": render(prompts_dir, "condense_system")},
            {"role": "user", "content": render(prompts_dir, "condense_user", history=for_prompt(turns),
                                               question=question)},
        ]
        try:
            rewrite = conversation.clean_llm_rewrite("".join(backend.stream(messages, 80)), question)
            if rewrite:
                return Condensed(rewrite, "llm")
        except BackendError as exc:
            logger.warning("condense failed: %s", exc)
    return Condensed(conversation.with_context(question, previous), "context")


def translated(question: str, llm: StreamsChat, prompts_dir) -> str | None:
    """The question in English, by the LLM; None when it fails or replies with nothing usable."""
    messages = [{"role": "system", "content": render(prompts_dir, "translate_system")},
                {"role": "user", "content": render(prompts_dir, "translate_user", question=for_prompt(question))}]
    try:
        return conversation.clean_llm_rewrite("".join(llm.stream(messages, 80)), question)
    except BackendError as exc:
        logger.warning("translating the question failed: %s", exc)
        return None


def resolved(question: str, previous: conversation.Turn, names: DocumentNames | None) -> str | None:
    """"When did that country become independent?" after an answer naming one place (Algeria) that has a document
    of its own: the question asked of that place; None when the reference is not one place's."""
    plan = decompose.bridge(f"{previous.standalone.rstrip('?.! ')}. {question}")
    if plan is None or names is None:
        return None
    asked = decompose.bridged(plan, [(previous.answer, "")], names, previous.standalone)
    return asked[0][1] if len(asked) == 1 else None
