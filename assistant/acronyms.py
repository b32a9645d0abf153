"""Questions that ask what an acronym stands for, and the sentences that spell one out.

A text defines an acronym where it gives the words beside it in parentheses, either way round: "the Islamic State's
Khorasan Province (ISKP)", "TTP (Tehrik-e-Taliban Pakistan)", with the acronym's letters the initials of those
words in order (small words such as "of", "and" may be skipped)."""
from __future__ import annotations

import re
from collections import Counter

from .textutil import STOPWORDS

_ACRONYM = r"[A-Z][A-Za-z]*[A-Z](?:-[A-Z]{1,3})?"
_ABBREVIATION = r"(?i:the\s+)?(?i:(?:abbreviation|acronym|initials)\s+)?"
_ASKS = [
    re.compile(rf"(?i:\b(?:what|which)\s+(?:does|do|did)\s+){_ABBREVIATION}({_ACRONYM})(?i:\s+stands?\s+for)\b"),
    re.compile(rf"(?i:\b(?:what|which)\s+(?:is|are|was)\s+){_ABBREVIATION}({_ACRONYM})(?i:\s+(?:short|an?\s+"
               rf"(?:abbreviation|acronym|initialism))\s+(?:for|of))\b"),
    re.compile(rf"(?i:\b(?:full\s+(?:name|form)|long\s+form|expansion|meaning)\s+of\s+){_ABBREVIATION}"
               rf"({_ACRONYM})\b"),
    re.compile(rf"(?i:\b(?:expand|spell\s+out)\s+){_ABBREVIATION}({_ACRONYM})\b"),
    re.compile(rf"\b({_ACRONYM})(?i:\s+(?:stands|is\s+short)\s+for\s+what)\b"),
    re.compile(rf"^\s*(?i:what|who)\s+(?i:is|are|was|were)\s+(?i:the\s+)?({_ACRONYM})\s*\?\s*$"),  # "What is TTP?"
]
_ASKS_LOWER = re.compile(r"\b(?:what|which)\s+(?:does|do|did)\s+(?:the\s+)?([a-z]{2,6})\s+stands?\s+for\b", re.I)
_WORDS_BEFORE = 9


def asked_expansion(question: str) -> str | None:
    """The acronym a question asks to be spelt out ("What does ISKP stand for?": ISKP), else None."""
    for pattern in _ASKS:
        match = pattern.search(question)
        if match:
            return match.group(1)
    typed = _ASKS_LOWER.search(question)  # "what does iskp stand for"
    return typed.group(1).upper() if typed and typed.group(1).lower() not in STOPWORDS else None


def _initials(phrase: str) -> list[str]:
    return [part[0].lower() for part in re.split(r"[^\w’']+", phrase) if part[:1].isalpha()]


def _spells(acronym: str, initials: list[str]) -> bool:
    """The acronym's letters are the phrase's initials in order, from its first word to its last."""
    letters = [ch.lower() for ch in acronym if ch.isalpha()]
    if not initials or not letters or initials[0] != letters[0] or initials[-1] != letters[-1]:
        return False
    i = 0
    for letter in letters:
        while i < len(initials) and initials[i] != letter:
            i += 1
        if i == len(initials):
            return False
        i += 1
    return True


def _spelt_before(acronym: str, before: str) -> bool:
    words = re.findall(r"[A-Za-z][\w’'-]*", before)[-_WORDS_BEFORE:]
    return any(_spells(acronym, _initials(" ".join(words[i:]))) for i in range(len(words)))


def defines(acronym: str, text: str) -> bool:
    """Whether text spells the acronym out beside it: "Words Spelling It (ACR)" or "ACR (Words Spelling It)"."""
    escaped = re.escape(acronym)
    for match in re.finditer(rf"\(\s*{escaped}\s*[),;]", text, re.I):
        if _spelt_before(acronym, text[max(0, match.start() - 160):match.start()]):
            return True
    for match in re.finditer(rf"(?<![\w-]){escaped}\s*\(([^()]{{3,120}})\)", text, re.I):
        if _spells(acronym, _initials(match.group(1))):
            return True
    return False


def defining(acronym: str, texts: list[str]) -> list[int]:
    """The positions of the texts that spell the acronym out."""
    folded = acronym.lower()
    return [i for i, text in enumerate(texts) if folded in text.lower() and defines(acronym, text)]


_SMALL = frozenset({"of", "and", "the", "for", "in", "on", "&"})


def spelt_out(acronym: str, text: str) -> bool:
    """Whether text says an initialism of three letters or more in words, without it: consecutive words whose
    initials are its letters ("purchasing power parity" for PPP; small words such as "of" may sit between)."""
    if not re.fullmatch(r"[A-Z]{3,}s?", acronym):
        return False
    letters = "".join(ch.lower() for ch in acronym.rstrip("s"))
    initials = "".join(w[0].lower() for w in re.findall(r"[A-Za-z][\w’'-]*", text) if w.lower() not in _SMALL)
    return letters in initials and any(_spelt_at(letters, text, at) for at in _starts(letters[0], text))


def _starts(letter: str, text: str) -> list[int]:
    return [m.start() for m in re.finditer(rf"\b[{letter}{letter.upper()}]", text)]


def _spelt_at(letters: str, text: str, at: int) -> bool:
    words = [w for w in re.findall(r"[A-Za-z][\w’'-]*", text[at:])[:2 * len(letters)] if w.lower() not in _SMALL]
    return "".join(w[0].lower() for w in words[:len(letters)]) == letters



_DEFINED = re.compile(rf"\(\s*({_ACRONYM})\s*[),;]")


def definitions(text: str) -> dict[str, str]:
    """The acronyms text spells out before giving them in parentheses, each with the fewest words that do so:
    "the Islamic State's Khorasan Province (ISKP)" gives ISKP: "Islamic State's Khorasan Province"."""
    found: dict[str, str] = {}
    for match in _DEFINED.finditer(text):
        acronym = match.group(1)
        if acronym in found:
            continue
        words = re.findall(r"[A-Za-z][\w’'-]*", text[max(0, match.start() - 160):match.start()])[-_WORDS_BEFORE:]
        letters = sum(ch.isalpha() for ch in acronym)
        for i in range(len(words) - 1, -1, -1):
            phrase = " ".join(words[i:])
            if sum(w.lower() not in _SMALL for w in words[i:]) > letters + 1:
                break
            if _spells(acronym, _initials(phrase)):
                found[acronym] = phrase
                break
    return found


def glossary(texts: list[str], most: int = 12) -> list[tuple[str, str]]:
    """The names the texts shorten to acronyms (words all capitalised: "Tehrik-e-Taliban Pakistan (TTP)", not
    "remote sensing (RS)"), the most used first (as often as the texts write them), at most `most`."""
    defined: dict[str, str] = {}
    for text in texts:
        for acronym, words in definitions(text).items():
            if all(word[0].isupper() for word in words.split() if word.lower() not in _SMALL):
                defined.setdefault(acronym, words)
    uses = Counter(word for text in texts for word in re.findall(r"(?<![\w-])[A-Z][\w-]*[A-Z](?![\w-])", text)
                   if word in defined)
    ranked = sorted(defined, key=lambda acronym: -uses[acronym])[:most]
    return [(acronym, defined[acronym]) for acronym in ranked]
