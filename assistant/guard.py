"""Document text is data: spot instruction-like passages and keep prompt control tokens out of context."""
from __future__ import annotations

import re

_INSTRUCTION = re.compile(
    r"ignore\s+(?:all\s+|any\s+)?(?:the\s+)?(?:previous|prior|above|earlier|preceding)\s+(?:instructions|prompts?|rules|context)"
    r"|disregard\s+(?:all\s+|any\s+)?(?:the\s+)?(?:previous|prior|above|earlier)"
    r"|\byou\s+are\s+now\b|\bnew\s+instructions?\b|\bsystem\s+prompt\b|\bsystem\s*:|\bassistant\s*:"
    r"|<\|im_(?:start|end)\|>|\bdeveloper\s+mode\b|\bjailbreak|\bdo\s+anything\s+now\b"
    r"|\b(?:always|must)\s+(?:answer|reply|respond|say)\b|\binstead\s+(?:answer|reply|respond|say)\b",
    re.IGNORECASE,
)
_CONTROL_TOKENS = re.compile(r"<\|[a-z_]{2,20}\|>|<\|/?(?:im_start|im_end|endoftext)\|?>?", re.IGNORECASE)
_FAKE_MARKER = re.compile(r"\[(\d{1,3})\]")


def looks_like_instruction(text: str) -> bool:
    return bool(_INSTRUCTION.search(text))


def for_prompt(text: str) -> str:
    """Passage text as it goes into a prompt: chat control tokens neutralised, bracket markers defused."""
    text = _CONTROL_TOKENS.sub("<?>", text)
    return _FAKE_MARKER.sub(r"(\1)", text)
