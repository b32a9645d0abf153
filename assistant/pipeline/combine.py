"""Stage 9: the answers to a question's sub-questions (decompose.py) combined into one answer.

Each sub-answer keeps its own verified quotes, renumbered into one list of citations; each is stated under the
name of what it is about, that name cited to a quote that states it (the sub-answer's own quote, or the first
sentence of its document that names it). A comparison says which is larger, smaller, earlier or later only when
both sub-answers state exactly one value of the same kind."""
from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field, replace

from .. import field_words, keyfacts
from ..citations import MARKER, Citation, marker_numbers
from ..textutil import sentence_spans, strip_markers, terms
from .decompose import Comparative, Mode, Plan

_VALUE = re.compile(r"(?<![\w.,])(\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?)(?![\d,]*\d)"
                    r"(\s*(?:(?:sq km|square (?:kilomet(?:re|er)s|miles)|kilomet(?:re|er)s|km|met(?:re|er)s|m|feet|"
                    r"years|percent|million|billion|trillion)\b|%))?")


@dataclass
class SubAnswer:
    question: str
    about: str  # the place or entity it is about; "" for a bridge's lead
    text: str | None  # the grounded answer with [n] markers numbered from 1; None: not answered
    citations: list[Citation] = field(default_factory=list)


@dataclass
class Combined:
    text: str
    citations: list[Citation]
    notice: str | None = None


def run(plan: Plan, answers: list[SubAnswer],
        naming: Callable[[str, list[Citation]], Citation | None]) -> Combined | None:
    """None when no sub-answer (for a bridge: no place's sub-answer) was answered. naming(about, citations): a
    verified quote naming `about` in the cited documents, for a name their quotes do not state."""
    answered = [a for a in answers if a.text]
    if plan.mode is Mode.BRIDGE and not any(a.about for a in answered):
        return None
    if not answered:
        return None
    merged = _Merged()
    if plan.mode is Mode.PARTS:
        parts = [merged.add(a) for a in answered]
        unanswered = [a.question for a in answers if not a.text]
        notice = f"The sources found do not answer {' or '.join(f'“{q}”' for q in unanswered)}" if unanswered else None
        return Combined("\n\n".join(parts + ([notice] if notice else [])), merged.citations, notice)
    lead = [c for a in answered if not a.about for c in a.citations]  # a bridge's lead names its places
    labelled = [(a, merged.add(a), merged.name(a, lead, naming)) for a in answered]
    lines: list[str] = []
    if plan.mode is Mode.COMPARISON and plan.comparative and len(labelled) == 2:
        verdict = _verdict(plan.comparative, labelled)
        if verdict:
            lines.append(verdict)
    items = [(a, text, name) for a, text, name in labelled if a.about]
    for a, text, _ in labelled:
        if not a.about:
            lines.append(text)  # a bridge's lead: what the places were found from
    for a, text, name in items:
        label = f"{a.about} [{name}]: " if name else f"{a.about}: "
        lines.append(("- " if len(items) > 1 else "") + label + " ".join(text.split("\n\n")))
    missing = [a.about for a in answers if a.about and not a.text]
    notice = None
    if missing:
        notice = f"The sources found do not state this for {', '.join(missing)}."
        lines.append(notice)
    text = _layout(lines)
    return Combined(text, merged.citations, notice)


def with_premise(answer: SubAnswer, premise: SubAnswer) -> Combined:
    """The answer to a question asked after a statement, then the sources' own words for that statement (when an
    extractive search found them), one list of citations."""
    merged = _Merged()
    lines = [merged.add(answer)]
    if premise.text:
        lines.append(merged.add(premise))
    return Combined("\n\n".join(lines), merged.citations)


def _layout(lines: list[str]) -> str:
    """Paragraphs, with the items (when several) as one Markdown list."""
    out = ""
    for line in lines:
        if not out:
            out = line
        elif line.startswith("- ") and out.split("\n")[-1].startswith("- "):
            out += "\n" + line
        else:
            out += "\n\n" + line
    return out


class _Merged:
    """The sub-answers' citations as one list: the same span keeps one number."""

    def __init__(self):
        self.citations: list[Citation] = []
        self._numbers: dict[tuple, int] = {}

    def _number(self, citation: Citation) -> int:
        key = (citation.doc_id, citation.start, citation.end)
        if key not in self._numbers:
            self._numbers[key] = len(self.citations) + 1
            self.citations.append(replace(citation, n=self._numbers[key]))
        return self._numbers[key]

    def add(self, answer: SubAnswer) -> str:
        """The sub-answer's text with its markers renumbered into the merged list."""
        renumber = {c.n: self._number(c) for c in answer.citations}

        def marker(match: re.Match) -> str:
            numbers = [renumber.get(int(n)) for n in re.split(r"\s*[,;]\s*", match.group(1))]
            kept = [str(n) for n in numbers if n is not None]
            return f"[{', '.join(kept)}]" if kept else ""

        return MARKER.sub(marker, answer.text or "")

    def name(self, answer: SubAnswer, lead: list[Citation],
             naming: Callable[[str, list[Citation]], Citation | None]) -> int | None:
        """The number of a quote that names what the sub-answer is about: the lead's, one of its own, else
        naming's."""
        if not answer.about:
            return None
        for citation in lead + answer.citations:
            if keyfacts.mentions(answer.about, citation.quote):
                return self._number(citation)
        found = naming(answer.about, answer.citations)
        return self._number(found) if found else None


def _verdict(comparative: Comparative, labelled: list[tuple[SubAnswer, str, int | None]]) -> str | None:
    """"Iran [1] — longer: 2,440 km, against Pakistan’s 1,046 km [3][2][4]." when both values are stated."""
    values = [_value(text, comparative.how == "when", a.question) for a, text, _ in labelled]
    if any(v is None for v in values) or any(name is None for _, _, name in labelled):
        return None
    fields = {_field(a) for a, _, _ in labelled} - {""}
    if len(fields) > 1:
        return None  # not one measure: "Population, total" against "Broadcast media" (2,000 channels)
    (first, second) = values
    assert first is not None and second is not None
    if first[0] == second[0] or _unit(first[1]) != _unit(second[1]):
        return None  # equal, or not of one measure ("1,648,195 sq km" against "30 years")
    wins_first = (first[0] > second[0]) == comparative.larger_wins
    (winner, w_value), (loser, l_value) = ((labelled[0], first), (labelled[1], second)) if wins_first else \
        ((labelled[1], second), (labelled[0], first))
    cited = "".join(f"[{n}]" for n in dict.fromkeys([loser[2], *marker_numbers(winner[1]), *marker_numbers(loser[1])]))
    possessive = loser[0].about + ("’" if loser[0].about.endswith("s") else "’s")
    by = "" if comparative.how == "when" else f" by {_difference(w_value, l_value)}"
    return (f"{winner[0].about} [{winner[2]}] — {comparative.word}{by}: {w_value[1]}, against {possessive} "
            f"{l_value[1]} {cited}.")


def _field(answer: SubAnswer) -> str:
    """The Factbook field its first quote gives ("Population" of "Population, total: 84,625,585 ..."), year aside;
    "" for a quote of prose."""
    label = field_words.FIELD_LABEL.match(answer.citations[0].quote) if answer.citations else None
    return field_words.field_of(label.group(1).strip())[0] if label else ""


def _difference(first: tuple[float, str], second: tuple[float, str]) -> str:
    """|first - second| written as the values are: their decimals, thousands separators and unit ("1.5 years"; a
    difference of percentages in percentage points)."""
    decimals = max(len(v[1].split(" ")[0].partition(".")[2].rstrip("%")) for v in (first, second))
    grouped = any("," in v[1] for v in (first, second))
    shown = f"{abs(first[0] - second[0]):{',' if grouped else ''}.{decimals}f}"
    unit = _unit(first[1])
    return shown + (" percentage points" if unit in ("%", "percent") else f" {unit}" if unit else "")


def _unit(shown: str) -> str:
    found = _VALUE.match(shown)
    return (found.group(2) or "").strip().lower() if found else ""


def _value(text: str, date: bool, question: str = "") -> tuple[float, str] | None:
    """The one value the answer's first paragraph states (a date when asked "first"/"earlier"), as (value, shown);
    of a breakdown ("60 (41 cultural, 15 natural, 4 mixed)"), the one value followed by a word the question asks
    ("natural")."""
    first = strip_markers(text.split("\n\n")[0])
    if date:
        found = {m.group(0) for m in keyfacts.FULL_DATE.finditer(first)}
        if len(found) != 1:
            return None
        shown = found.pop()
        day, month, year = shown.split()
        return int(year) * 10_000 + (keyfacts._MONTHS.index(month.lower()) + 1) * 100 + int(day), shown
    years = keyfacts.years(first)
    shown_values: dict[float, str] = {}
    for match in _VALUE.finditer(first):
        value = float(match.group(1).replace(",", ""))
        if value in years and not match.group(2):
            continue
        shown_values.setdefault(value, match.group(0).strip())
    if not shown_values:  # "Four in Iran."
        worded = {value_of: match.group(0).lower() for match in keyfacts._WORD_NUMBER.finditer(first)
                  if (value_of := keyfacts.words_value(match.group(0))) is not None}
        return next(iter(worded.items())) if len(worded) == 1 else None
    if len(shown_values) != 1:
        asked = set(terms(question))
        qualified = {float(m.group(1).replace(",", "")): m.group(0).strip() for m in _VALUE.finditer(first)
                     if not m.group(2) and set(terms(first[m.end():].split(",")[0][:30])[:1]) & asked}
        return next(iter(qualified.items())) if len(qualified) == 1 else None
    return next(iter(shown_values.items()))


def first_naming_sentence(about: str, doc_text: str) -> tuple[int, int] | None:
    """(start, end) of the first sentence of a document that names `about`."""
    for start, end in sentence_spans(doc_text):
        if keyfacts.mentions(about, doc_text[start:end]):
            return start, end
    return None
