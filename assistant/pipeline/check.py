"""Stage 7: a grounded answer checked against the question: every name asked about is in the passages (else the
answer is about something else), and an LLM's answer gives the kind asked for (a number, a date, a name)."""
from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from .. import asked, field_words, keyfacts
from ..citations import CLAIM, Citation, marker_numbers, overlaps
from ..focus import kind_of, kinds_named
from ..language import is_english
from ..retrieval import Passage
from ..textutil import question_proper, sentence_before, sentence_spans, strip_markers, words

WRONG_KIND = ("The drafted answer did not give the kind of answer asked for (a number, a date or a name) as stated "
              "in its sources, so it is not shown.")


@dataclass
class Checked:
    notice: str | None = None  # why the answer is not shown; None: it passes


def run(question: str, text: str, citations: list[Citation], passages: list[Passage], metas: dict, *,
        kind_asked: bool) -> Checked:
    """metas: doc_id -> DocMeta for the passages; kind_asked: check the kind of answer (LLM drafts only). What a
    question asks is read from English words; a question in another language is left to the claim checks."""
    if not is_english(question):
        return Checked()
    notice = unmentioned(question, passages, metas)
    if notice:
        return Checked(notice)
    if kind_asked and not answers_the_kind_asked(question, text, citations):
        return Checked(WRONG_KIND)
    unsourced = not_from_the_source_named(question, citations, passages, metas) if kind_asked else []
    if unsourced:
        return Checked(f"The question asks what the {' or '.join(unsourced)} says, and the quotes cited are not from "
                       "it, so no answer is shown.")
    unlisted = [name for c in citations for sentence in (_sentence_of(c, passages), _pointed_back_to(c, passages))
                for name in asked.unlisted_items(question, sentence)] if kind_asked else []
    if unlisted:
        return Checked(f"The quotes cited list other places than {', '.join(dict.fromkeys(unlisted))}, so no answer "
                       "is shown.")
    unquoted = unquoted_asked(question, citations, passages) if kind_asked else []
    if unquoted:
        return Checked(f"The quotes cited do not state {', '.join(unquoted)} asked about, so no answer is shown.")
    uncounted = uncounted_asked(question, citations, passages) if kind_asked else []
    if uncounted:
        return Checked(f"The quotes cited do not count {', '.join(uncounted)}, as asked, so no answer is shown.")
    miscounted = counts_of_something_else(question, text, citations, passages) if kind_asked else []
    if miscounted:
        return Checked(f"The quotes cited give {', '.join(miscounted)} as a number of something else than what is "
                       "counted, so no answer is shown.")
    if kind_asked and says_yes_to_none(question, text, citations, passages):
        return Checked("The drafted answer says yes where its quote gives none, so it is not shown.")
    elsewhere = values_of_another_item(question, text, citations, passages) if kind_asked else []
    if elsewhere:
        return Checked(f"The quotes cited list {', '.join(elsewhere)} with other values than the drafted answer "
                       "gives, so it is not shown.")
    requalified = qualified_item_elsewhere(question, text, citations) if kind_asked else []
    if requalified:
        return Checked(f"The quotes cited say {requalified[0]} of another item than the drafted answer names, so it "
                       "is not shown.")
    unpaired = keyfacts.unpaired_with_asked(question, text, [c.quote for c in citations]) if kind_asked else []
    if unpaired:
        return Checked(f"The quotes cited give {', '.join(unpaired)} another number than the question asks about, "
                       "so no answer is shown.")
    quoted = "\n".join(f"{c.quote}\n{c.title}\n{c.section}" for c in citations)
    unmeasured = asked.unstated_measure(question, quoted) if kind_asked else []
    if unmeasured:
        return Checked(f"The quotes cited do not state the {', '.join(unmeasured)} asked about, so no answer is "
                       "shown.")
    misfielded = cited_for_another_field(question, text, citations, passages) if kind_asked else []
    if misfielded:
        return Checked(f"The drafted answer says what the Factbook gives as {', '.join(misfielded)}, and the quotes "
                       "it cites give another field, so it is not shown.")
    closer = cited_where_a_field_fits_better(question, text, citations, passages) if kind_asked else []
    if closer:
        return Checked(f"The quotes cited give another Factbook field than {', '.join(f'“{f}”' for f in closer)}, "
                       "which fits the question better, so no answer is shown.")
    return Checked()


def not_from_the_source_named(question: str, citations: list[Citation], passages: Sequence[Passage],
                              metas: dict) -> list[str]:
    """For "What does the report say about China?", the kind of document named as where to read ("report") when
    passages of that kind were found and no quote cited comes from one: China's profile does not say what the report
    says. Only kinds not shared by every passage's document."""
    kinds = {p.doc_id: kind_of(metas.get(p.doc_id)) for p in passages}
    named = kinds_named(question_proper(question), kinds.values())
    cited = {kinds.get(c.doc_id) for c in citations}
    return sorted(named - cited) if named and not named & cited else []


def cited_for_another_field(question: str, text: str, citations: list[Citation],
                            passages: Sequence[Passage] = ()) -> list[str]:
    """For "What share of its economy does Germany put into defence?", a claim "21.2% of Germany's economy is put
    into defence [3]" citing "GDP - composition, by end use, government consumption: 21.2%": what the claim says of
    its subject, read as the question asks it, fits another Factbook field better (Military Expenditures) than the
    cited line's field. Its numbers match; its field does not. Gives the fields claimed."""
    by_n = {c.n: c for c in citations}
    claimed: list[str] = []
    for claim in CLAIM.finditer(text):
        cited = [_sentence_of(by_n[n], passages) for n in marker_numbers(claim.group(2)) if n in by_n]
        field = field_words.claimed_elsewhere(claim.group(1), cited, question)
        if field and field not in claimed:
            claimed.append(field)
    return claimed


def cited_where_a_field_fits_better(question: str, text: str, citations: list[Citation],
                                    passages: Sequence[Passage] = ()) -> list[str]:
    """For "How large is India's population?", a claim citing "Population growth rate: 0.72%" when a passage gives
    "Population, total": the question asks for one value (a number, a date, a name), and a field among the passages
    fits its words better than every field the claim cites. Gives the fields that fit better."""
    if asked.answer_kind(question) is None:
        return []
    by_n = {c.n: c for c in citations}
    offered = [_last_line(p.text[s:e]) for p in passages for s, e in sentence_spans(p.text)]
    closer: list[str] = []
    for claim in CLAIM.finditer(text):
        cited = [_sentence_of(by_n[n], passages) for n in marker_numbers(claim.group(2)) if n in by_n]
        fields = [field_words.closer_field(question, _last_line(sentence), offered) for sentence in cited]
        if fields and all(fields) and fields[0] not in closer:
            closer.append(fields[0])
    return closer


def _last_line(sentence: str) -> str:
    """A sentence without the heading lines before it ("## People and Society\n\nPopulation, total: ...")."""
    return sentence.strip().rsplit("\n", 1)[-1]


def unquoted_asked(question: str, citations: list[Citation], passages: Sequence[Passage] = ()) -> list[str]:
    """The names and years the question asks about that no cited quote (with its document's title and section, and
    the sentence a quote points back to) states: an LLM's answer about them would rest on nothing it cites
    (extractive drafts pick only such quotes)."""
    quoted = "\n".join(f"{c.quote}\n{c.title}\n{c.section}\n{_pointed_back_to(c, passages)}" for c in citations)
    missing = [name for name in asked.asked_names(question) if not keyfacts.mentions(name, quoted)]
    missing += asked.unmet_carried_names(question, quoted)  # "it" of a follow-up is what the earlier question named
    return missing + [str(year) for year in sorted(asked.pinned_years(question) - keyfacts.years(quoted))]


def uncounted_asked(question: str, citations: list[Citation], passages: Sequence[Passage] = ()) -> list[str]:
    """For "How many ISKP leaders did the Taliban kill?", what is counted (leaders) when no cited quote, nor the
    sentence it points back to, says it: a count of interdictions does not answer it."""
    counted = asked.counted_terms(question)
    if not counted:
        return []
    quoted = " ".join(f"{_sentence_of(c, passages)} {_pointed_back_to(c, passages)}" for c in citations)
    return [] if asked.shares(counted, asked.stated_terms(quoted)) else sorted(counted)


def _sentence_of(citation: Citation, passages) -> str:
    """The whole sentence a quote is part of ("four in Iran" of "... sixteen ISKP plots: ..., four in Iran, ...")."""
    for p in passages:
        if p.doc_id == citation.doc_id and p.start <= citation.start < p.end:
            for s, e in sentence_spans(p.text):
                if p.start + s <= citation.start < p.start + e:
                    return p.text[s:max(e, citation.end - p.start)]
    return citation.quote


_TOTAL = re.compile(r"\b(?:total|combined|altogether|together|in all|sum|overall)\b", re.I)


def values_of_another_item(question: str, text: str, citations: list[Citation],
                           passages: Sequence[Passage] = ()) -> list[str]:
    """For "How many plots were foiled in Qatar?" citing "... three in India, ..., one in Qatar" (or a quote pointing
    back to it), an LLM answer giving none of the numbers that list's Qatar item gives (12, from another sentence's
    total); for "When was the German Empire established?", a date from another item of a dated list ("10 August 843
    (Eastern Francia established ...)"). Only items of a list (two or more clauses with numbers) count; a sum ("in
    total") is not an item's value. Empty when any item naming what is asked has a value the answer gives."""
    if asked.answer_kind(question) is None or _TOTAL.search(question):
        return []
    names = asked.asked_names(question)
    given = keyfacts.numbers(strip_markers(text)) - keyfacts.numbers(question)
    if not names or not given:
        return []
    listed: dict[str, set[float]] = {}
    for citation in citations:
        for sentence in (_sentence_of(citation, passages), _pointed_back_to(citation, passages)):
            clauses = [(clause, keyfacts.numbers(clause)) for clause in re.split(r";|,(?!\d)", keyfacts.fold(sentence))]
            numbered = [(clause, values) for clause, values in clauses if values]
            if len(numbered) < 2:
                continue
            for clause, values in numbered:
                for name in names:
                    if keyfacts.mentions(name, clause):
                        listed.setdefault(name, set()).update(values)
    if any(values & given for values in listed.values()):
        return []  # an item asked about, given its own value (the others' are context)
    return sorted(listed)


def _top_level_items(value: str) -> list[str]:
    """A field value's items, cut at commas and semicolons outside parentheses ("Dhivehi (official, dialect of
    Sinhala), English (spoken by most government officials)" -> two items)."""
    items, depth, start = [], 0, 0
    for i, ch in enumerate(value):
        depth += {"(": 1, ")": -1}.get(ch, 0)
        if ch in ",;" and depth == 0 and not value[i + 1:i + 2].isdigit():
            items.append(value[start:i])
            start = i + 1
    return [item.strip() for item in items + [value[start:]] if item.strip()]


LIST_HEAD_WORDS = 4
_ASKED_TYPE = re.compile(r"\b(?:which|what)\s+([a-z]+)\b", re.I)


def qualified_item_elsewhere(question: str, text: str, citations: list[Citation]) -> list[str]:
    """For "Which language is official in the Maldives?" citing "Languages: Dhivehi (official, ...), English (spoken
    by most government officials)", an answer naming English and not Dhivehi: a word the question asks about
    ("official") qualifies only some items of a quoted list, and the answer names none of those items, only others.
    So too a name the question describes its answer by ("Which Algerian organisation ...?") and a sentence's list
    ("... including Algeria's Armed Islamic Group, al-Qaeda, AQAP, ..."): an answer naming al-Qaeda is refused.
    Gives the qualifying words; empty when the answer names a qualified item or no list qualifies some items only."""
    if asked.answer_kind(question) not in (None, asked.Kind.NAME):
        return []
    wanted = asked.attribute_terms(question)
    # As said ("official", not "officials"); not a participle, which restates the field ("spoken" of "Languages").
    asked_words = {w for w in words(question) if asked.term(w) in wanted and not re.search(r"(?:ed|en)$", w)}
    typed = _ASKED_TYPE.search(question)  # "Which city ...": what is asked for, not a qualifier of it
    asked_type = set(words(typed.group(1))) if typed else set()
    described = _DESCRIBED_BY.search(question)  # "Which Algerian organisation": the answer is Algerian
    said = strip_markers(text)
    for citation in citations:
        items, heads, label = _listed_names(keyfacts.fold(citation.quote))
        if len(items) < 2:
            continue
        qualifying = {w for w in asked_words if w not in set(words(label)) | asked_type}
        marked = [i for i, item in enumerate(items) if qualifying & set(words(item))
                  or described and keyfacts.mentions(described.group(1), item)]
        if not marked or len(marked) == len(items):
            continue
        named = [i for i, head in enumerate(heads) if head and keyfacts.mentions(head, said)]
        if named and not set(named) & set(marked):
            said_of = sorted(qualifying & set().union(*(set(words(items[i])) for i in marked)))
            return said_of or ([described.group(1)] if described else [])
    return []


_DESCRIBED_BY = re.compile(r"\b(?:which|what)\s+([A-Z][a-z]+(?:an|ian|ese|i|ish))\s+[a-z]+", re.I)
_LIST_OPENER = re.compile(r".*\b(?:including|include|includes|such as|among them|namely)\s+", re.I)


def _listed_names(quote: str) -> tuple[list[str], list[str], str]:
    """(items, their names, label): a field's items ("Languages: Dhivehi (official, ...), English (...)"), or the
    names a sentence lists after "including", "such as" ("..., including Algeria's Armed Islamic Group, al-Qaeda,
    AQAP, ..."), each a short name; ([], [], "") when the quote lists no names."""
    label, _, value = quote.partition(": ")
    items = _top_level_items(value) if value and len(label.split()) <= LIST_HEAD_WORDS + 2 else []
    if len(items) < 2:
        opener = _LIST_OPENER.match(quote)
        if opener is None:
            return [], [], ""
        label, items = quote[:opener.end()], _top_level_items(quote[opener.end():].rstrip("."))
        items = [re.sub(r"^(?:(?:and|or)\s+)?(?:the\s+)?", "", item) for item in items]
    heads = [re.split(r"\s*\(", item)[0].strip() for item in items]
    if not all(re.match(r"(?:al-)?[A-Z]", head) and len(head.split()) <= LIST_HEAD_WORDS for head in heads):
        return [], [], ""  # items are names ("Dhivehi (official, ...)"), not clauses of a sentence
    return items, heads, label


_YES_NO = re.compile(r"^\s*(?:does|do|did|has|have|had|is|are|was|were)\b", re.I)
_NONE_VALUE = re.compile(r"^(?:0(?:\.0+)?\b|none\b|no\b|nil\b)", re.I)


def says_yes_to_none(question: str, text: str, citations: list[Citation], passages: Sequence[Passage] = ()) -> bool:
    """"Yes, it has a coastline" for "Does Uzbekistan have a coastline?" citing "Coastline: 0 km (doubly
    landlocked)", or that field's note ("Coastline, note: ... a 420 km shoreline"): a yes that every quoted field's
    value denies."""
    if not _YES_NO.match(question) or not re.match(r"\s*yes\b", strip_markers(text), re.I) or not citations:
        return False
    values = [_field_value(c, passages) for c in citations]
    return all(value and _NONE_VALUE.match(value.strip()) for value in values)


_NOTE_LABEL = re.compile(r"^(.+?), note(?: \d)?: ")


def _field_value(citation: Citation, passages: Sequence[Passage]) -> str:
    """The value of the field a quote states, or of the field its note qualifies (found in the cited passages)."""
    note = _NOTE_LABEL.match(citation.quote)
    if not note:
        return citation.quote.partition(": ")[2]
    field = re.compile(rf"(?m)(?:^|(?<=\.\s)){re.escape(note.group(1))}: ([^\n]+)")
    found = next((m for p in passages if p.doc_id == citation.doc_id for m in [field.search(p.text)] if m), None)
    return found.group(1) if found else citation.quote.partition(": ")[2]


COUNT_WINDOW = 3  # words from a number to the noun it counts ("1,190 coral islands")
_TOKEN = re.compile(r"[\w.,%’'-]+")


def counts_of_something_else(question: str, text: str, citations: list[Citation],
                             passages: Sequence[Passage] = ()) -> list[str]:
    """For "How many islands make up the Maldives?", the counts an LLM answer gives that no quote gives as a count
    of what is asked: "26" from "1,190 coral islands grouped into 26 atolls" counts atolls. A count is of a noun
    that follows it within a few words, or of the field its quote's label names ("Population, total: 2,568,426");
    a list's items count what its head counts ("sixteen ISKP plots: ... four in Iran"), also the list of a quote
    pointing back to that head ("Twelve of these interdictions ...: five in 2022")."""
    counted = asked.counted_terms(question)
    if not counted or asked.answer_kind(question) is not asked.Kind.COUNT:
        return []
    given = keyfacts.counts(strip_markers(text)) - keyfacts.counts(question)  # not the question's own numbers
    if not given:
        return []
    for citation in citations:
        quote = keyfacts.fold(_sentence_of(citation, passages))
        label, _, value = quote.partition(": ")
        if value and asked.shares(counted, asked.stated_terms(label)) and \
                keyfacts.counts(next(iter(_TOKEN.findall(value)), "").strip(".,")) & given:
            return []
        counting = _counts_before(counted, quote)
        if any(values & given for values in counting):
            return []
        head = counting or _counts_before(counted, keyfacts.fold(_pointed_back_to(citation, passages)))
        listed = set().union(*(values for _, values in keyfacts.list_items(quote)))
        if any(head) and listed & given:
            return []
    return [f"{value:g}" for value in sorted(given)]


def _counts_before(counted: set[str], text: str) -> list[set[float]]:
    """The numbers of a text followed within a few words by a word for what is counted."""
    tokens = _TOKEN.findall(text)
    return [keyfacts.counts(token.strip(".,")) for j, token in enumerate(tokens)
            if any(asked.shares(counted, asked.stated_terms(after)) for after in tokens[j + 1:j + 1 + COUNT_WINDOW])]


def _pointed_back_to(citation: Citation, passages) -> str:
    """For a quote that opens "This situation ...", the sentence before it in its passage; else ""."""
    if not asked.BACK_REFERENCE.match(citation.quote):
        return ""
    for p in passages:
        if p.doc_id == citation.doc_id and p.start <= citation.start < p.end:
            span = sentence_before(p.text, citation.start - p.start)
            return p.text[span[0]:span[1]] if span else ""
    return ""


def unmentioned(question: str, passages: list[Passage], metas: dict) -> str | None:
    """Why no answer is shown when the passages do not mention a name asked about; None when they mention all."""
    unaddressed = unaddressed_names(question, passages, metas)
    if not unaddressed:
        return None
    return f"The passages found do not mention {', '.join(unaddressed)}, so no answer is shown."


def unaddressed_names(question: str, passages: list[Passage], metas: dict) -> list[str]:
    """Names the question asks about that no passage, nor its document's title, section or authors, mentions:
    whatever is answered then is about something else ("plots in France" from other countries' plots)."""
    evidence = []
    for p in passages:
        meta = metas.get(p.doc_id)
        evidence += [p.text, p.title, p.section or ""] + (list(meta.authors) if meta else [])
    text = "\n".join(evidence)
    return [name for name in asked.asked_names(question) if not keyfacts.mentions(name, text)]


def answers_the_kind_asked(question: str, text: str, citations: list[Citation]) -> bool:
    """An LLM's answer to "how many" states a number, to "when" a date, to "who" a name, to "what are its
    provinces" more than one item when its quotes list them (read in English only: an
    answer written in the user's language is judged by its quotes), and a quote it cites states one too (the
    extractive backend only ever picks such sentences)."""
    kind = asked.answer_kind(question)
    said = strip_markers(text)
    if asked.asks_list(question) and is_english(said) and not asked.lists(said) \
            and any(asked.lists(c.quote) for c in citations):
        return False  # "There are four provinces in Pakistan" for "What are Pakistan's provinces?"
    if asked.asks_place(question) and is_english(said) and not asked.names_new_place(question, said):
        return False  # "ISKP has moved into the northern border provinces" for "Which provinces ...?"
    return (asked.states_kind(kind, said, question) or not is_english(said)) and any(
        asked.states_kind(kind, c.quote, question) for c in citations)


def weaker_than_best(question: str, citations: list[Citation], passages: list[Passage], doc_texts: dict[str, str],
                     metas: dict, scorer, ratio: float) -> bool:
    """The cited sentences score below ratio of the best sentence that states what was asked (scorer: the
    extractive answerer's score_sentences, typed for the best, untyped for the cited); False when nothing is cited
    or no sentence qualifies."""
    if not citations or ratio <= 0 or not is_english(question):
        return False
    best = scorer(question, passages, doc_texts, metas)
    if not best or best[0][0] <= 0:
        return False
    cited = max((score for score, passage, start, end, *_ in scorer(question, passages, doc_texts, metas, typed=False)
                 if overlaps(passage.doc_id, start, end, citations)),
                default=0.0)
    return cited < ratio * best[0][0]
