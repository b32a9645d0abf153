"""A large synthetic corpus made of the bundled report's real text, repeated and varied (no network).

Each generated document keeps the report's paragraphs but shuffles their order (and often the order of sentences
within them), swaps country names by a per-document permutation, shifts numbers and years, and adds
document-specific record ids, so every file has different content and its own embeddings.
"""
from __future__ import annotations

import math
import random
import re
from pathlib import Path

from assistant.textutil import sentence_spans

from .common import CORPUS_DIR

BASE_FILE = "the-next-afghan-jihad.txt"
COUNTRIES = ["India", "Iran", "Germany", "Qatar", "Turkey", "Maldives", "Tajikistan", "Uzbekistan", "Russia",
             "China", "Pakistan", "Algeria", "Tunisia"]
_COUNTRY = re.compile(r"\b(" + "|".join(COUNTRIES) + r")\b")
_NUMBER = re.compile(r"(?<![\w-])(\d{1,4})(?![\w-])")
CHUNKS_PER_DOC = 11  # what the engine's chunker makes of one variant, at the least (measured: 11-13)


def base_paragraphs() -> tuple[str, list[str]]:
    text = (CORPUS_DIR / BASE_FILE).read_text(encoding="utf-8")
    paragraphs = [p.strip() for p in re.split(r"\n\s*\n", text) if p.strip()]
    title = paragraphs[1]
    return title, [p for p in paragraphs[3:]]


def variant(i: int, title: str, paragraphs: list[str]) -> str:
    rng = random.Random(i)
    names = COUNTRIES[:]
    rng.shuffle(names)
    swap = dict(zip(COUNTRIES, names))

    def number(match):
        value = int(match.group(1))
        if 1900 <= value <= 2100:
            return str(value + rng.randint(-4, 4))
        return str(max(1, value + rng.randint(-3, 9)))

    body = paragraphs[:]
    rng.shuffle(body)
    out = [f"Field dossier {i:05d}", f"{title} (variant {i})"]
    for j, paragraph in enumerate(body):
        if rng.random() < 0.5:
            sentences = [paragraph[s:e] for s, e in sentence_spans(paragraph)]
            rng.shuffle(sentences)
            paragraph = " ".join(sentences)
        paragraph = _COUNTRY.sub(lambda m: swap[m.group(1)], paragraph)
        paragraph = _NUMBER.sub(number, paragraph)
        out.append(f"Record {i}-{j}. {paragraph}")
    return "\n\n".join(out) + "\n"


def generate(dest: Path, target_chunks: int) -> dict:
    """Write enough variant documents into dest for at least target_chunks chunks."""
    dest.mkdir(parents=True, exist_ok=True)
    title, paragraphs = base_paragraphs()
    docs = max(1, math.ceil(target_chunks / CHUNKS_PER_DOC))
    size = 0
    for i in range(docs):
        text = variant(i, title, paragraphs)
        (dest / f"dossier-{i:05d}.txt").write_text(text, encoding="utf-8")
        size += len(text.encode("utf-8"))
    return {"documents": docs, "megabytes": round(size / (1 << 20), 2)}


def paragraphs_for(n: int) -> list[str]:
    """n varied paragraphs (for synthetic chunks of the scale curve)."""
    title, paragraphs = base_paragraphs()
    out: list[str] = []
    i = 0
    while len(out) < n:
        out.extend(variant(i, title, paragraphs).split("\n\n")[2:])
        i += 1
    return out[:n]
