"""Turn a drafted answer with [n] markers into text whose every marker points at a verified quote."""
from __future__ import annotations

import re

from .citations import _QUOTED, Citation, best_supporting_span, locate, marker_numbers, split_claims, verify
from .guard import instruction_spans, is_instruction_span
from .keyfacts import SMALL_NUMBER_WORDS
from .keyfacts import unsupported as unsupported_facts
from .retrieval import Passage
from .textutil import strip_markers, words

MIN_SUPPORT = 0.34  # share of a claim's terms its cited sentence must contain
UNMARKED_SUPPORT = 0.6  # stricter, to attach a source the model forgot to cite


def ground(draft: str, passages: list[Passage], doc_texts: dict[str, str], metas: dict,
           page_at=lambda doc_id, offset: None) -> tuple[str, list[Citation]]:
    by_n = {p.n: p for p in passages}
    citations: list[Citation] = []
    keyed: dict[tuple, Citation] = {}
    sentences_out = []

    def cite(passage: Passage, start: int, end: int) -> int | None:
        key = (passage.doc_id, start, end)
        if key not in keyed:
            citation = citation_at(passage, start, end, doc_texts.get(passage.doc_id), metas.get(passage.doc_id),
                                   page_at, n=len(citations) + 1)
            if citation is None:
                return None
            keyed[key] = citation
            citations.append(citation)
        return keyed[key].n

    def attach(body: str, quoted: list[str], targets: list[Passage], strict: bool) -> list[int]:
        """Markers for the passages that state this claim; strict: only the best, and under a higher bar."""
        found: list[int] = []
        best_unmarked = None
        for passage in targets:
            text = doc_texts.get(passage.doc_id)
            if text is None:
                continue
            span = next((loc for q in quoted if (loc := locate(q, text, passage.start, passage.end))), None)
            if span is None:
                best = best_supporting_span(body, text, passage.start, passage.end)
                threshold = UNMARKED_SUPPORT if strict else MIN_SUPPORT
                if not best or best[2] < threshold:
                    continue
                if not _numbers(body, claim=True) <= _numbers(text[best[0]:best[1]]):
                    continue  # the sentence does not state the claim's numbers ("99 plots" is not "three")
                if strict:
                    if is_instruction_span(text, best[0], best[1]) or unsupported_facts(body, [text[best[0]:best[1]]]):
                        continue
                    if best_unmarked is None or best[2] > best_unmarked[0]:
                        best_unmarked = (best[2], passage, best[0], best[1])
                    continue
                span = best[:2]
            if is_instruction_span(text, span[0], span[1]):
                continue  # an injected instruction is never evidence
            if unsupported_facts(body, [text[span[0]:span[1]]]):
                continue  # a genuine quote that does not state the claim's numbers, dates and names supports nothing
            n = cite(passage, *span)
            if n is not None and n not in found:
                found.append(n)
        if best_unmarked is not None:
            n = cite(best_unmarked[1], best_unmarked[2], best_unmarked[3])
            if n is not None:
                found.append(n)
        return found

    for s, e in split_claims(draft):
        sentence = draft[s:e]
        numbers = marker_numbers(sentence)
        body = strip_markers(sentence)
        if not body:
            continue
        quoted = [m.group(1) for m in _QUOTED.finditer(body)]
        if not all(_genuine(q, passages, doc_texts) for q in quoted):
            continue  # a quotation that no retrieved passage states is fabricated: never shown
        outer = _outer_quotation(body)
        if outer and outer not in quoted and _genuine(outer, passages, doc_texts):
            quoted.insert(0, outer)  # a quoted sentence that itself holds a quotation is cited whole
        targets = [by_n[n] for n in dict.fromkeys(numbers) if n in by_n]
        if numbers:
            found = attach(body, quoted, targets, strict=False)
            if not found:  # the model cited the wrong passage: cite the one that states it, under the strict bar
                found = attach(body, quoted, [p for p in passages if p not in targets], strict=True)
        else:
            found = attach(body, quoted, passages, strict=True)
        if not found and unsupported_facts(body, []):
            continue  # a claim of numbers, dates or names that no source passage states is not shown
        sentences_out.append(_with_markers(body, found))
    return " ".join(sentences_out).strip(), citations


def citation_at(passage: Passage, start: int, end: int, text: str | None, meta, page_at, n: int = 0) -> Citation | None:
    """The citation of text[start:end] in passage's document, with its metadata; None unless it verifies."""
    citation = Citation(
        n=n, doc_id=passage.doc_id, title=passage.title, section=passage.section,
        page=page_at(passage.doc_id, start) or passage.page, quote=text[start:end] if text else "",
        start=start, end=end, url=getattr(meta, "url", ""),
        authors=", ".join(getattr(meta, "authors", []) or []), date=getattr(meta, "date", ""))
    return citation if verify(citation, text) else None


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
