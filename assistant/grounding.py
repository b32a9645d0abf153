"""Turn a drafted answer with [n] markers into text whose every marker points at a verified quote."""
from __future__ import annotations

import re

from . import keyfacts
from .citations import _QUOTED, Citation, best_supporting_span, locate, marker_numbers, split_claims, verify
from .focus import kind_of, kinds_named
from .guard import instruction_spans, is_instruction_span
from .keyfacts import SMALL_NUMBER_WORDS, unstated_items
from .keyfacts import unsupported as unsupported_facts
from .language import is_english
from .retrieval import Passage
from .textutil import sentence_spans, strip_markers, terms, words

MIN_SUPPORT = 0.34  # share of a claim's terms its cited sentence must contain
UNMARKED_SUPPORT = 0.6  # stricter, to attach a source the model forgot to cite
STATEMENT_WORDS = 5  # a quotation of fewer words is a term, cited by its whole sentence
_AUTHORS = re.compile(r"\b(?:the|its|their) authors\b", re.I)


def ground(draft: str, passages: list[Passage], doc_texts: dict[str, str], metas: dict,
           page_at=lambda doc_id, offset: None, asked_in: str = "") -> tuple[str, list[Citation]]:
    """The draft's claims that hold, each with markers for the verified quotes that state it, and the citations.
    asked_in: the question as the user wrote it, when the draft answers in its language."""
    grounding = _Grounding(passages, doc_texts, metas, page_at, asked_in)
    shown: list[str] = []
    for kind, block in draft_blocks(draft):
        claims = [grounding.claim(block[s:e]) for s, e in split_claims(block)]
        text = " ".join(c for c in claims if c is not None).strip()
        if text:
            is_item = kind != "p"
            shown.append(("\n- " if is_item else "\n\n") + text if shown else ("- " if is_item else "") + text)
    return "".join(shown), grounding.citations


_LIST_ITEM = re.compile(r"[ \t]*(?:[-*•]|(\d{1,2})[.)])[ \t]+(?=\S)")


def draft_blocks(draft: str) -> list[tuple[str, str]]:
    """(kind, text): the paragraphs ("p") and list items ("ul": "- ", "* ", "• "; "ol": "1. ", "1) ") of a draft
    or an answer, each on one line, so that an answer keeps its layout. Line breaks inside a quotation do not
    count (they stay in its text)."""
    quoted = [m.span() for m in _QUOTED.finditer(draft)]
    cuts = [m.start() for m in re.finditer("\n", draft) if not any(s < m.start() < e for s, e in quoted)]
    blocks: list[list] = []
    new_paragraph = True
    for start, end in zip([0] + [c + 1 for c in cuts], cuts + [len(draft)]):
        line = draft[start:end]
        if not line.strip():
            new_paragraph = True
            continue
        item = _LIST_ITEM.match(line)
        if item:
            blocks.append(["ol" if item.group(1) else "ul", line[item.end():].strip()])
        elif blocks and not new_paragraph:
            blocks[-1][1] += " " + line.strip()
        else:
            blocks.append(["p", line.strip()])
        new_paragraph = False
    return [(kind, text) for kind, text in blocks]


class _Grounding:
    """One draft's citations, made as its claims are checked: each verified span cited once, numbered in order."""

    def __init__(self, passages: list[Passage], doc_texts: dict[str, str], metas: dict, page_at, asked_in: str = ""):
        self.passages, self.doc_texts, self.metas, self.page_at = passages, doc_texts, metas, page_at
        self.asked_in = asked_in
        self.by_n = {p.n: p for p in passages}
        self.citations: list[Citation] = []
        self._keyed: dict[tuple, Citation] = {}

    def claim(self, sentence: str) -> str | None:
        """The sentence with markers for the passages that state it; None when it is not to be shown."""
        numbers = marker_numbers(sentence)
        body = strip_markers(sentence)
        if not body:
            return None
        body = _closed_quotation(body, self.passages, self.doc_texts)
        quoted = self._quotations(body)
        if quoted is None:
            return None
        targets = [self.by_n[n] for n in dict.fromkeys(numbers) if n in self.by_n]
        cited_before = len(self.citations)
        if numbers:
            found = self._attach(body, quoted, targets, strict=False)
            if not found:  # the model cited the wrong passage: cite the one that states it, under the strict bar
                found = self._attach(body, quoted, [p for p in self.passages if p not in targets], strict=True)
        else:
            found = self._attach(body, quoted, self.passages, strict=True)
        if not found and (unsupported_facts(body, []) or unstated_series_items(body, [])):
            return None  # numbers, dates, names (any capitalised word) or listed items no passage states
        unstated = self._unstated_items(body, found) if found else []
        if unstated:  # each item of a series cited to a quote that states it
            for item in unstated:
                found += [n for n in self._attach(item, [], self.passages, strict=True) if n not in found]
            if self._unstated_items(body, found):
                self._forget_after(cited_before)
                return None
        unattributed = self._misattributed(body, found)
        if unattributed:  # "the report says ..." citing a profile: cite the report's own words, or show nothing
            found += [n for n in self._attach(body, quoted, [p for p in self.passages
                                                             if self._kind(p.doc_id) in unattributed], strict=True)
                      if n not in found]
            if self._misattributed(body, found):
                self._forget_after(cited_before)
                return None
        return _with_markers(body, found)

    def _unstated_items(self, body: str, found: list[int]) -> list[str]:
        return unstated_series_items(body, [c.quote for c in self.citations if c.n in found])

    def _forget_after(self, count: int) -> None:
        """Drop the citations made after the first count (those of a claim not shown)."""
        self.citations = self.citations[:count]
        self._keyed = {k: c for k, c in self._keyed.items() if c.n <= count}

    def _kind(self, doc_id: str) -> str:
        return kind_of(self.metas.get(doc_id))

    def _misattributed(self, body: str, found: list[int]) -> set[str]:
        """The kinds of document a cited claim attributes its words to ("the report says", "according to the
        Factbook", "the authors argue": outside its quotations) that none of its quotes comes from; only kinds
        that some retrieved passage's document has, when the passages come from documents of more than one kind."""
        kinds = {self._kind(p.doc_id) for p in self.passages} - {""}
        if not found or len(kinds) < 2:
            return set()
        own_words = _QUOTED.sub(" ", body)
        said = kinds_named(own_words, kinds)
        if _AUTHORS.search(own_words):  # "the authors argue": a document with several authors
            said |= {self._kind(p.doc_id) for p in self.passages
                     if len(getattr(self.metas.get(p.doc_id), "authors", None) or []) > 1} - {""}
        cited = {self._kind(c.doc_id) for c in self.citations if c.n in found}
        return said - cited

    def _quotations(self, body: str) -> list[str] | None:
        """The quotations in a claim, the outermost first; None when one is fabricated (no passage states it)."""
        quoted = [m.group(1) or m.group(2) for m in _QUOTED.finditer(body)]
        if not all(_genuine(q, self.passages, self.doc_texts) for q in quoted):
            return None
        outer = _outer_quotation(body)
        if outer and outer not in quoted and _genuine(outer, self.passages, self.doc_texts):
            quoted.insert(0, outer)  # a quoted sentence that itself holds a quotation is cited whole
        return quoted

    def _attach(self, body: str, quoted: list[str], targets: list[Passage], strict: bool) -> list[int]:
        """Markers for the passages that state this claim; strict: only the best, and under a higher bar."""
        found: list[int] = []
        best_unmarked = None
        for passage in targets:
            text = self.doc_texts.get(passage.doc_id)
            if text is None:
                continue
            span = next((loc for q in quoted if (loc := locate(q, text, passage.start, passage.end))), None)
            if span is not None:
                span = _as_statement(text, span, passage)
            if span is None:
                best = _supporting_sentence(body, text, passage, strict, self.asked_in)
                if best is None:
                    continue
                if strict:
                    if best_unmarked is None or best[2] > best_unmarked[0]:
                        best_unmarked = (best[2], passage, best[0], best[1])
                    continue
                span = best[:2]
            if is_instruction_span(text, span[0], span[1]):
                continue  # an injected instruction is never evidence
            if unsupported_facts(body, [text[span[0]:span[1]]], _where(passage), self.asked_in):
                continue  # a genuine quote that does not state the claim's numbers, dates and names supports nothing
            n = self._cite(passage, *span)
            if n is not None and n not in found:
                found.append(n)
        if best_unmarked is not None:
            n = self._cite(best_unmarked[1], best_unmarked[2], best_unmarked[3])
            if n is not None:
                found.append(n)
        return found

    def _cite(self, passage: Passage, start: int, end: int) -> int | None:
        """The number of the citation of this span (made on first use); None when it does not verify."""
        key = (passage.doc_id, start, end)
        if key not in self._keyed:
            citation = citation_at(passage, start, end, self.doc_texts.get(passage.doc_id),
                                   self.metas.get(passage.doc_id), self.page_at, n=len(self.citations) + 1)
            if citation is None:
                return None
            self._keyed[key] = citation
            self.citations.append(citation)
        return self._keyed[key].n


def unstated_series_items(claim: str, quotes: list[str]) -> list[str]:
    """The items of an English claim's series ("..., exploiting its leadership turnover, and ...") that none of its
    quotes states (keyfacts.unstated_items); a quotation inside an item is verified already and counts as stated."""
    if not is_english(claim):
        return []
    return unstated_items(_QUOTED.sub(" … ", strip_markers(claim)), quotes)


def _as_statement(text: str, span: tuple[int, int], passage: Passage) -> tuple[int, int]:
    """A quotation of a few words (a term in scare quotes: "counterterrorism") states nothing: its whole sentence
    is cited instead."""
    if len(words(text[span[0]:span[1]])) >= STATEMENT_WORDS:
        return span
    return next(((s, e) for s, e in sentence_spans(text, passage.start, passage.end) if s <= span[0] and span[1] <= e),
                span)


def _supporting_sentence(body: str, text: str, passage: Passage, strict: bool, asked_in: str = ""):
    """(start, end, score) of the passage sentence that best supports an unquoted claim, when it clears the bar
    and states the claim's numbers (strict: also no instruction, and all the claim's facts); else None."""
    if not is_english(body):
        return _stating_sentence(body, text, passage, asked_in)
    best = best_supporting_span(body, text, passage.start, passage.end)
    if not best or best[2] < (UNMARKED_SUPPORT if strict else MIN_SUPPORT):
        return None
    if not _numbers(body, claim=True) <= _numbers(text[best[0]:best[1]]):
        return None  # the sentence does not state the claim's numbers ("99 plots" is not "three")
    if not shares_more_than_names(body, text[best[0]:best[1]]):
        return None
    if strict and (is_instruction_span(text, best[0], best[1])
                   or unsupported_facts(body, [text[best[0]:best[1]]], _where(passage))):
        return None
    return best


def shares_more_than_names(claim: str, sentence: str) -> bool:
    """Whether the sentence shares with the claim more than names: a word of the claim's own, or its numbers (checked
    apart). "ISKP relies on the central Islamic State's outlets" shares only "ISKP" and "Islamic State" with a
    sentence listing jihadist groups; a claim that is only names ("Serdar BERDIMUHAMEDOV.") is judged by them."""
    if _numbers(claim, claim=True):
        return True
    named = {term for name in keyfacts.names(claim, first_word=True) for term in terms(name)}
    own = set(terms(claim)) - named
    return not own or bool(own & set(terms(sentence)))


def _stating_sentence(body: str, text: str, passage: Passage, asked_in: str):
    """For a claim in another language, whose words an English sentence cannot share: the passage sentence (no
    instruction) that states all its key facts and the most of them, as (start, end, 1.0); None when the claim states
    no fact of its own (numbers, or names beyond those of the question and the passage's title and section)."""
    where = _where(passage)
    numbers = _numbers(body, claim=True)
    names = [name for name in keyfacts.names(strip_markers(body))
             if not keyfacts.mentions(name, " ".join([asked_in, *where]))]
    if not numbers and not names:
        return None
    best = None
    for s, e in sentence_spans(text, passage.start, passage.end):
        sentence = text[s:e]
        if is_instruction_span(text, s, e) or unsupported_facts(body, [sentence], where, asked_in):
            continue
        shared = len(numbers & _numbers(sentence)) + sum(1 for name in names if keyfacts.mentions(name, sentence))
        if shared and (best is None or shared > best[2]):
            best = (s, e, shared)
    return (best[0], best[1], 1.0) if best else None


def _where(passage: Passage) -> tuple[str, str]:
    """What a citation of this passage shows besides its quote: its document's title and its section."""
    return passage.title, passage.section or ""


def citation_at(passage: Passage, start: int, end: int, text: str | None, meta, page_at, n: int = 0) -> Citation | None:
    """The citation of text[start:end] in passage's document, with its metadata; None unless it verifies."""
    citation = Citation(
        n=n, doc_id=passage.doc_id, title=passage.title, section=passage.section_at(start),
        page=page_at(passage.doc_id, start) or passage.page, quote=text[start:end] if text else "",
        start=start, end=end, url=getattr(meta, "url", ""),
        authors=", ".join(getattr(meta, "authors", []) or []), date=getattr(meta, "date", ""))
    return citation if verify(citation, text) else None


_OPENERS = {'"': '"', "“": "”", "«": "»"}


def _closed_quotation(body: str, passages: list[Passage], doc_texts: dict[str, str]) -> str:
    """A quotation the model opened and never closed: closed where the verbatim text ends, when what follows the
    mark is in a passage; otherwise the mark is dropped, so nothing unchecked is shown as a quotation."""
    for opener, closer in _OPENERS.items():
        unclosed = body.count(opener) % 2 if opener == closer else body.count(opener) - body.count(closer)
        if unclosed <= 0:
            continue
        at = body.rfind(opener)
        tail = body[at + 1:].rstrip()
        end = len(tail.rstrip(".;:,"))
        if end >= 12 and _genuine(tail[:end], passages, doc_texts):
            return body[:at + 1] + tail[:end] + closer + tail[end:]
        return body[:at] + body[at + 1:].lstrip()
    return body


def _outer_quotation(body: str) -> str | None:
    """The text between the first opening and the last closing quotation mark."""
    start, end = body.find("“"), body.rfind("”")
    return body[start + 1:end] if 0 <= start < end and end - start > 12 else None


def _numbers(text: str, claim: bool = False) -> set[str]:
    """Numbers stated in text, digits and words alike; in a claim, "one" is too often not a number to count."""
    return {str(SMALL_NUMBER_WORDS[w]) if w in SMALL_NUMBER_WORDS else w.lstrip("0") or "0" for w in words(text)
            if w.isdigit() or (w in SMALL_NUMBER_WORDS and not (claim and w == "one"))}


def _genuine(quote: str, passages: list[Passage], doc_texts: dict[str, str]) -> bool:
    """quote is in a retrieved passage, and not inside an instruction-like (injected) sentence there."""
    for passage in passages:
        text = doc_texts.get(passage.doc_id) or ""
        span = locate(quote, text, passage.start, passage.end)
        if span and not any(s < span[1] and span[0] < e
                            for s, e in instruction_spans(text, passage.start, passage.end)):
            return True
    return False


def _with_markers(body: str, numbers: list[int]) -> str:
    if not numbers:
        return body
    markers = "".join(f"[{n}]" for n in numbers)
    match = re.search(r"[.!?:;]+$", body)
    if match:
        return f"{body[:match.start()].rstrip()} {markers}{body[match.start():]}"
    return f"{body} {markers}"
