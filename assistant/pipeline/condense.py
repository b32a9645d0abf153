"""Stage 2: a follow-up made standalone: by rule, else by an LLM backend, else with the previous question as context."""
from __future__ import annotations

import logging
from dataclasses import dataclass

from .. import conversation
from ..backends import Backend, BackendError, StreamsChat
from ..guard import for_prompt
from ..prompts import render

logger = logging.getLogger(__name__)


@dataclass
class Condensed:
    standalone: str
    method: str  # "none" (not a follow-up), "rule", "llm" or "context"


def run(question: str, history: list[conversation.Turn], backend: Backend, *, prompts_dir,
        history_turns: int) -> Condensed:
    if not conversation.is_followup(question, history):
        return Condensed(question, "none")
    previous = history[-1].standalone
    rewrite = conversation.substitute(question, previous)
    if rewrite:
        return Condensed(rewrite, "rule")
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
