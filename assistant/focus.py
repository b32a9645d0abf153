"""Which documents a question names: by the words that set their titles apart, and by their kind ("the report")."""
from __future__ import annotations

import re
from collections import Counter

from .textutil import STOPWORDS, _stem, names_kind, question_proper, words


def kind_of(meta) -> str:
    """A document's kind from its metadata ("report", "factbook"), lower-case; "" when it has none."""
    return (getattr(meta, "kind", "") or "").lower()


_THE_AUTHORS = re.compile(r"\b(?:the|its|their)\s+(?:authors|writers)\b", re.I)
# "Tajikistan's Factbook profile", "the profile of Qatar": the document about that place is where to read.
_NAME = r"[A-Z][\w’'-]+(?:\s+[A-Z][\w’'-]+){0,3}"
_PROFILE_OF = re.compile(rf"({_NAME})['’]s?\s+(?:[A-Z][\w-]+\s+)?(?:profile|entry)\b|"
                         rf"\b(?:profile|entry)\s+(?:of|for|on)\s+(?:the\s+)?({_NAME})")


def kinds_named(text: str, kinds) -> set[str]:
    """Of the kinds of the documents found, those the text names as a source ("the report says"); none when the
    documents are all of one kind (nothing tells them apart)."""
    kinds = set(kinds) - {""}
    return {kind for kind in kinds if names_kind(text, kind)} if len(kinds) > 1 else set()


def _title_words(title: str) -> set[str]:
    return {_stem(w) for w in words(title) if w not in STOPWORDS and len(w) > 2 and not w.isdigit()}


class DocumentNames:
    """A document's name words: title words found in at most half of the titles, and its manifest kind when
    at most half of the documents share it. A one-document corpus has none, so nothing changes there."""

    def __init__(self, metas: dict):
        title_words = {doc_id: _title_words(meta.title) for doc_id, meta in metas.items()}
        in_titles = Counter(w for found in title_words.values() for w in found)
        kinds = Counter(meta.kind for meta in metas.values() if meta.kind)
        half = len(metas) / 2
        self.kind_names = {doc_id: metas[doc_id].kind.lower() for doc_id in metas
                           if metas[doc_id].kind and kinds[metas[doc_id].kind] <= half}
        several = {doc_id for doc_id, meta in metas.items() if len(getattr(meta, "authors", None) or []) > 1}
        self.by_authors = several if len(several) <= half else set()  # what "the authors" wrote
        self.names = {doc_id: {w for w in found if in_titles[w] <= half} | ({self.kind_names[doc_id]}
                                                                             if doc_id in self.kind_names else set())
                      for doc_id, found in title_words.items()}

        self.title_words = {doc_id: re.findall(r"[A-Z][\w’'-]+", meta.title) for doc_id, meta in metas.items()}

    def place_of_people(self, demonym: str) -> str | None:
        """The place, with a document of its own, that a people's name begins ("Tajik": "Tajikistan", "Iranians":
        "Iran", "Turks": "Turkey" rather than "Turkmenistan", the shortest); None when no one place fits."""
        if len(demonym) >= 5 and demonym.endswith("s") and not demonym.endswith("ss"):
            demonym = demonym[:-1]
        stem = re.sub(r"(?:ian|ish|ese|i|n)$", "", demonym) if len(demonym) > 5 else demonym
        found = {word for doc_id, words_ in self.title_words.items() for word in words_
                 if len(stem) >= 4 and word.startswith(stem) and self.subjects(word) == {doc_id}}
        shortest = sorted(found, key=len)[:2]
        return shortest[0] if len(shortest) == 1 or len(shortest) == 2 and len(shortest[0]) < len(shortest[1]) else None

    def peoples_places(self, text: str) -> set[str]:
        """The documents about the places whose peoples the text names ("What do most Turks believe?": Turkey's)."""
        found: set[str] = set()
        for word in set(re.findall(r"\b[A-Z][a-z]{3,}\b", text)):
            place = None if self.named_in(word) else self.place_of_people(word)
            found |= self.subjects(place) if place else set()
        return found

    def place_of(self, doc_id: str) -> str | None:
        """The place a document is about, by the shortest end of its title that names it alone ("Pakistan" of "The
        World Factbook: Pakistan"); None for a document about no place of its own (the report)."""
        words_ = self.title_words.get(doc_id, [])
        for k in range(len(words_) - 1, -1, -1):
            phrase = " ".join(words_[k:])
            if self.subjects(phrase) == {doc_id}:
                return phrase
        return None

    def question_words(self, question: str) -> set[str]:
        return {_stem(w) for w in words(question)}

    def named_in(self, question: str) -> set[str]:
        """The documents the question names; none when it names every document (nothing sets one apart)."""
        asked = self.question_words(question)
        named = {doc_id for doc_id, names in self.names.items() if names & asked}
        return named if len(named) < len(self.names) else set()

    def named_outright(self, question: str) -> set[str]:
        """The documents the question names by their whole name ("Tajikistan", "the United States", not "states"), by
        their kind ("the report"), by their authors or by their people ("Turks")."""
        said = self.question_words(question)
        return self.subjects(question) | {d for d, kind in self.kind_names.items() if _stem(kind) in said} \
            | self.peoples_places(question) | (self.by_authors if _THE_AUTHORS.search(question) else set())

    def named_as_source(self, question: str) -> set[str]:
        """The documents the question names by their kind ("Is Russia mentioned in the report?") or by their authors
        ("What do the authors fear?": those written by several): where the answer is to be read, whatever else the
        question names; not a document the statements before the question name."""
        asked = question_proper(question)
        profiles = {d for match in _PROFILE_OF.finditer(asked) for d in self.subjects(match.group(1) or match.group(2))}
        return {d for d, kind in self.kind_names.items() if names_kind(asked, kind)} | (
            self.by_authors if _THE_AUTHORS.search(asked) else set()) | profiles

    def subjects(self, text: str) -> set[str]:
        """The documents whose whole name the text says ("Algeria" for a profile titled after Algeria): the
        documents about it, not those whose longer title merely shares a word with it ("Taliban")."""
        said = self.question_words(text)
        return {doc_id for doc_id, names in self.names.items() if names and names <= said}

    def asked_names(self, question: str) -> set[str]:
        """Every document-name word the question uses ("report", "tajikistan"), and those of the places whose
        peoples it names ("Turks": "turkey")."""
        asked = self.question_words(question)
        return {w for names in self.names.values() for w in names & asked} | {
            w for doc_id in self.peoples_places(question) for w in self.names[doc_id]}

    def context_terms(self, doc_id: str, asked: set[str]) -> set[str]:
        """Of the question's name words (asked_names), those a sentence of this document answers by being in it."""
        return self.names.get(doc_id, set()) & asked
