"""No-LLM answering: the best-supported sentences of the retrieved passages, quoted and cited."""
from __future__ import annotations

import functools
import re
from collections.abc import Callable

from .. import asked, field_words, keyfacts
from ..field_words import MAIN_ENTRY
from ..focus import DocumentNames
from ..guard import for_prompt, instruction_spans
from ..retrieval import Passage
from ..textutil import lower_case_words, sentence_before, sentence_spans, terms

_PARTS = (r"(?:stages|phases|ways|steps|priorities|prongs|approaches|elements|goals|options|areas|groups|"
          r"recommendations|measures|reasons|factors|challenges|lessons|tactics|methods|tools|paths|scenarios|"
          r"possibilities|outcomes)")
# A sentence carrying on an enumeration: "Authorities should also ...", "Lastly, ...".
_CONTINUES = re.compile(r"^(?:Lastly|Finally|Also|Second(?:ly)?|Third(?:ly)?|Moreover|Additionally|In addition|"
                        r"Furthermore|Next)\b|^[^,.;]{0,60}\b(?:should|must|could|would|can|will|may|is|are)\s+also\b")
_ANNOUNCES_LIST = re.compile(rf":\s*$|\b(?:two|three|four|five|six|several)\s+(?:\w+\s+)?{_PARTS}\b", re.IGNORECASE)
_ASKS_PARTS = re.compile(rf"\b{_PARTS}\b", re.IGNORECASE)  # "Summarize the phases of ...": the list is asked
# "Could X and Y end up cooperating?" asks what may happen; a sentence saying what may happen often has a sequel.
_ASKS_POSSIBLE = re.compile(r"^\s*(?:(?:how|what|who|where|when|why)\s+)?(?:could|might|may|would|will)\b", re.I)
_STATES_POSSIBLE = re.compile(r"\b(?:may|might|could|potential|possib\w*|likely)\b", re.I)
LIST_LEAD_SHARE = 0.8  # a sentence announcing the asked list leads when it scores this share of the best
# "Which profiles list ISIS-K?", "Which countries' profiles name the TTP?": each document that says it is an answer.
_ASKS_WHICH_DOCUMENTS = re.compile(r"\b(?:which|what)\s+(?:[\w’'-]+\s+)?(?:countries|profiles|documents|sources)\s+"
                                   r"(?:[\w’'-]+\s+)?(?:list|lists|name|names|mention|mentions|cite|cites|include"
                                   r"|includes)\b", re.IGNORECASE)
MAX_DOCUMENTS = 4  # documents quoted, at most, for such a question


_BACK_REFERENCE = asked.BACK_REFERENCE


# "How has the Taliban's handling of ISKP evolved?": a story told on in the sentences after the best one.
_ASKS_CHANGE = re.compile(r"\b(?:evolv(?:e|ed|es|ing)|chang(?:e|ed|es|ing)|shift(?:ed|ing)?|develop(?:ed|ing)?|"
                          r"trace|over\s+time)\b", re.I)
CHANGE_SENTENCES = 2
_ASKS_REASON = re.compile(r"^\s*(?:(?:and|so|but)\s+)?why\b|\bhow\s+come\b|\bwhat\s+(?:drives|explains|makes)\b", re.I)
_CARRIES_ON = re.compile(r"^(?:It|They|This|These|Such)\s+(?!is\s+why\b)")  # its subject is the sentence before's
ANOTHER_SHARE = 0.85  # a further sentence, adding what the best lacks, scores at least this share of the best
MODEL = "none (extractive)"
SUBJECT_BONUS = 0.05
WHOLE_BONUS = 0.02
_TOTAL_LABEL = re.compile(r"^[^:.]{0,80}\b(?:total|overall)\b[^:.]{0,40}:", re.IGNORECASE)
# A field labelled with what is asked ("Coastline: 2,440 km." for "How long is Iran's coastline?") answers before
# a qualified one ("Coastline, note: ...", "Elevation, mean elevation: ..."). A qualifier counts as asked when its
# own terms are the question's ("Executive branch, chief of state: ...") or it names the field's main entry
# ("Capital, name: ...", "..., total: ...").
FIELD_BONUS = 0.1
_SUPERLATIVE = re.compile(r"(?:larg|bigg|small|high|low|long|short|old|young|great|poor|rich|dens|fast|deep|"
                         r"tall|wid)est|least")  # "most" is a stop word, never a term
SUPERLATIVE_WEIGHT = 2.0
CONTEXT_WEIGHT = 0.5  # a term only the earlier turns' context adds ("And in Iran? (plots foiled)") weighs half
_DATELINE = re.compile(r"\s*\d{1,2} [A-Z][a-z]+ \d{4}\s*|\s*\d{4}-\d{2}-\d{2}\s*")
_ASKS_PUBLISHED = re.compile(r"\b(?:publish|publication|release|issue|written|wrote|write|dated|come out|"
                             r"came out|date of (?:the|this) (?:report|document|paper|study)|"
                             r"(?:report|document|paper)['’]s date)", re.I)
# The lowest score a sentence answers with. On eval/golden-dev.jsonl (report + profiles) the best-scored
# unanswerable question scores 0.38 and the lowest correct answer 0.44, but follow-up turns of the regression set
# (report alone, earlier turns' terms added) answer correctly from 0.36: no higher value keeps both.
MIN_SCORE = 0.36
# "How is X different from Y?": the answer turns on "however", "yet", "whereas".
_ASKS_CONTRAST = re.compile(r"\b(?:contrast|differ|differs|different|differently|difference|compare|compared|versus|"
                            r"unlike|distinguish(?:es)?|sets?\s(?:[\w’'-]+\s){1,4}apart|then and now|"
                            r"before and after)\b", re.I)
_CONTRASTS = re.compile(r"^[^.;]{0,50}\b(?:however|in contrast|by contrast|whereas|yet|since then)\b", re.I)
# A sentence saying what should be done states advice: it answers "What does the report recommend?".
_ADVISES = re.compile(r"\b(?:should|must|ought\s+to|needs?\s+to)\b", re.I)
_ADVICE_TERMS = frozenset(terms("recommend recommendation recommendations advise advice suggest propose urge"))
# A sentence saying what something acts as ("ISKP acts as an insurgency") answers what kind of actor it is.
_CLASSIFIES = re.compile(r"\b(?:acts?|acting|functions?|serves?|operates?|behaves?)\s+(?:as|like)\s+(?:an?|the)\b|"
                         r"\b(?:is|are|was|were)\s+(?:an?|the)\s+(?:kind|type|form|sort)\s+of\b", re.I)
_KIND_TERMS = frozenset(terms("kind type sort behave behaves role"))
# A sentence drawing an inference ("This data indicates that ...") answers what the authors conclude or what it implies.
_INFERS = re.compile(r"\b(?:indicates?|implies|implied|suggests? that|shows? that|(?:this|that|which) means|"
                     r"in other words|therefore|hence|consequently)\b", re.I)
_INFERENCE_TERMS = frozenset(terms("conclude concludes concluded conclusion conclusions infer inference imply implies "
                                   "implication implications takeaway lesson lessons"))


class ExtractiveBackend:
    """The `extractive` backend: no model; the best-supported sentences of the retrieved passages, quoted and cited."""
    name = "extractive"
    model = MODEL

    def draft(self, question: str, passages: list[Passage], doc_texts: dict[str, str], metas: dict,
              answerer: ExtractiveAnswerer) -> str | None:
        return answerer.draft(question, passages, doc_texts, metas)


class SentenceFilteredBackend(ExtractiveBackend):
    """The extractive backend answering only from the sentences keep(sentence) keeps."""

    def __init__(self, keep: Callable[[str], bool]):
        self.keep = keep

    def draft(self, question: str, passages: list[Passage], doc_texts: dict[str, str], metas: dict,
              answerer: ExtractiveAnswerer) -> str | None:
        return answerer.draft(question, passages, doc_texts, metas, keep=self.keep)


class ExtractiveAnswerer:
    """Scores the sentences of passages against a question with one index's term weights and document names: the
    extractive backend's drafts, and the evidence lines an LLM's prompt carries."""

    def __init__(self, embedder, idf: dict[str, float], min_score: float = MIN_SCORE, max_sentences: int = 2,
                 names: DocumentNames | None = None):
        self.embedder = embedder
        self.names = names
        self.idf = idf
        self.default_idf = max(idf.values(), default=1.0)
        self.mean_idf = sum(idf.values()) / len(idf) if idf else 1.0
        self.min_score = min_score
        self.max_sentences = max_sentences

    def score_sentences(self, question: str, passages: list[Passage], doc_texts: dict[str, str], metas=None,
                        typed: bool = True, keep: Callable[[str], bool] | None = None):
        """(score, passage, start, end, sentence, covered question terms) best first; typed: only sentences holding
        what the question asks for (asked.unmet: its kind of fact, the names and years it asks about); keep: only
        the sentences it keeps."""
        candidates = []
        within = bool(_ASKS_PLACE_WITHIN.search(question))
        asked_terms = set(terms(question))
        unprofiled = self._unprofiled_places(question)
        profiled = self._profiled_places(question)
        known = self._place_words(question)
        for passage in passages:
            text = doc_texts.get(passage.doc_id, "")
            meta = (metas or {}).get(passage.doc_id)
            flagged = instruction_spans(text, passage.start, passage.end)
            previous = ""
            for s, e in sentence_spans(text, passage.start, passage.end):
                sentence, before, previous = text[s:e], previous, text[s:e]
                if len(sentence) < 12 or (s, e) in flagged:
                    continue
                if meta is not None and passage.section == meta.title and _restates_title(sentence, meta):
                    continue  # a title line ("Country profile: Tajikistan.") restates the question; it answers nothing
                if _DATELINE.fullmatch(sentence) and not _ASKS_PUBLISHED.search(question):
                    continue  # a document's own date answers only when it was published
                if meta is not None and _is_byline(sentence, meta) and not _asks_writer(question, meta):
                    continue  # a byline says who wrote the document, nothing about them ("Where does Jadoon teach?")
                # What a sentence is about: its document's title and section, and for "This situation ..." the
                # sentence it refers back to.
                described = _describe(sentence, meta)  # a byline or dateline says what it is
                plain = field_words.of(sentence, asked_terms)  # its field's label in everyday words
                group = " ".join(filter(None, [_group_name(text, sentence),  # "Capital, time difference" is Tehran's
                                               _field_note(text, sentence), plain]))  # what the field's values are
                referred = before if _BACK_REFERENCE.match(sentence) else ""  # "Twelve of these ..." is about it
                context = "\n".join([meta.title if meta else passage.title, passage.section, described, referred,
                                     group])
                if typed and (asked.unmet(question, sentence, context, referred, plain, known)
                              or within and not self._names_place_within(f"{sentence} {referred}", question)
                              or unprofiled and _field_of_another_place(question, unprofiled, sentence, plain)
                              or profiled and self._of_another_place(passage.doc_id, profiled, sentence)) \
                        or keep and not keep(sentence):
                    continue
                candidates.append((passage, s, e, sentence, described, f"{group}\n{referred}"))
        if not candidates:
            return []
        question = asked.content(question)
        # "What does the report say about China?": China's profile does not say what the report says.
        source = (self.names.named_as_source(question) if self.names else set()) & {c[0].doc_id for c in candidates}
        candidates = [c for c in candidates if not source or c[0].doc_id in source]
        cosine = self.closeness(question, [c[4] for c in candidates])
        q_terms = set(terms(question))
        label_terms = q_terms | asked.initialisms(question) | asked.counted_terms(question)  # a field label may name
        weights = {t: self.idf.get(t, self.default_idf) for t in q_terms}
        holder = bool(_ASKS_WHO_IS.match(question))
        # A question that names a document ("the report", "Tajikistan") is answered by sentences in it.
        names = self.names.asked_names(question) if self.names else set()
        weights |= {w: self.idf.get(w, self.mean_idf) for w in names - q_terms}
        own = set(terms(asked.without_context(question)))  # a follow-up's own words say what it asks; the
        weights = {t: w if t in own or t in names else CONTEXT_WEIGHT * w  # earlier turns' place it
                   for t, w in weights.items()}
        anchored = asked.anchors(question)  # "before Mirziyoyev": he is not the one asked for, nor "ran" a topic
        unweighted = {t for name in anchored for t in terms(name)} | (asked.holding_terms() if anchored else set())
        weights = {t: w for t, w in weights.items() if t not in unweighted} or weights
        # "Is it the largest on its continent?": the superlative is what is asked; a sentence stating it answers.
        weights = {t: SUPERLATIVE_WEIGHT * w if _SUPERLATIVE.fullmatch(t) else w for t, w in weights.items()}
        total = sum(weights.values()) or 1.0
        scored = []
        # "When did Qatar become independent?": a sentence naming the asked event ("an independent state") and dating
        # only something else ("since the mid-1800s") comes after one dating it ("Independence: 3 September 1971").
        dated = asked.attribute_terms(question) - _LIGHT_VERBS if asked.answer_kind(question) is asked.Kind.DATE \
            else set()
        # "What faith do Maldivians follow?": a people's name is its place's, said by every sentence of its document
        # as the place's name is, not only by those that write it ("Nationality, adjective: Maldivian").
        peoples = {t: self.names.subjects(place) for t in q_terms if self.names
                   for place in [self.names.place_of_people(t.capitalize())] if place}
        named_fields = _qualified_fields_asked(frozenset(label_terms))  # "Capital" of "Capital, etymology"
        for (passage, s, e, sentence, described, group), cos in zip(candidates, cosine):
            in_named_doc = self.names.context_terms(passage.doc_id, names) if names and self.names else set()
            in_named_doc |= {t for t, docs in peoples.items() if passage.doc_id in docs}
            covered = set(weights) & (set(terms(described)) | in_named_doc | set(terms(group))
                                      | (_ADVICE_TERMS if _ADVISES.search(sentence) else set())
                                      | (_INFERENCE_TERMS if _INFERS.search(sentence) else set())
                                      | (_KIND_TERMS if _CLASSIFIES.search(sentence) else set()))
            covered -= asked.only_in_compounds(sentence, question, terms)  # "Taliban" of "Tehrik-e-Taliban Pakistan"
            covered -= _fields_of_others(sentence, named_fields)
            coverage = sum(weights[t] for t in covered) / total
            # A document the question names (its subject) answers before others that only mention that name.
            subject = SUBJECT_BONUS if in_named_doc else 0.0
            # A breakdown's total ("Median age, total: ...") answers before its parts when no part is asked.
            whole = WHOLE_BONUS if _TOTAL_LABEL.match(sentence) else 0.0
            field = FIELD_BONUS if _asked_field(sentence, label_terms) or holder and _names_holder(sentence, q_terms) \
                else 0.0
            if anchored and asked.anchor_order(question, sentence):
                field += FIELD_BONUS  # "before Mirziyoyev": a sentence about an earlier holder
            if dated and asked.stated_terms(sentence) & dated and not _dated_near(sentence, dated):
                field -= FIELD_BONUS  # names the event and dates something else
            scored.append((0.55 * float(cos) + 0.45 * coverage + subject + whole + field, passage, s, e, sentence,
                           covered))
        scored = _notes_after_their_fields(_latest_of_each_series(_own_words_first(scored, question, own, names)),
                                           asked.counted_terms(question))
        scored.sort(key=lambda item: -item[0])
        return scored

    def _unprofiled_places(self, question: str) -> list[str]:
        """The names a question asks about when none has a document of its own and none is a group ("TTP", "ISIS-K",
        "the Taliban" are listed in profiles, not profiled): places named only in other places' fields."""
        named = asked.asked_names(question)
        if self.names is None or any(self.names.subjects(name) or self.names.place_of_people(name) or name.isupper()
                                     or "-" in name or re.search(rf"\bthe\s+{re.escape(name)}", question, re.I)
                                     for name in named):
            return []
        return named

    def _profiled_places(self, question: str) -> dict[str, str]:
        """The documents about places that the question names outright, by name or by their people ("Russian
        inflation": Russia's), with their places' names."""
        if self.names is None:
            return {}
        named = self.names.subjects(question) | self.names.peoples_places(question)
        return {doc_id: place for doc_id in named for place in [self.names.place_of(doc_id)] if place}

    def _place_words(self, question: str) -> list[str]:
        """The question's words that name a place or people with a document of its own, those its names leave out
        ("Russian" opening "Russian inflation in 2024: ...", capitalised wherever it stood)."""
        if self.names is None:
            return []
        said = {w for name in asked.asked_names(question) for w in name.split()}
        capitalised = re.findall(r"\b[A-Z][a-z]{3,}\b", asked.without_context(question))
        return sorted({word for word in capitalised if word not in said
                       and (self.names.subjects(word) or self.names.place_of_people(word))})

    def _of_another_place(self, doc_id: str, profiled: dict[str, str], sentence: str) -> bool:
        """A sentence of another place's document that names none of the places asked about: "Inflation rate
        (consumer prices) 2024: 1.4%" of the Maldives says nothing of Russia's inflation."""
        return doc_id not in profiled and self.names is not None and self.names.place_of(doc_id) is not None \
            and not any(keyfacts.mentions(place, sentence) for place in profiled.values())

    def _names_place_within(self, sentence: str, question: str) -> bool:
        """For "Which Pakistani cities ...?": a place the sentence names (in a field's value, or after "in", "at",
        "from" ...) that is no country of the collection, nor its people, nor an organisation ("ISKP", "the
        Taliban"), nor named in the question."""
        said = keyfacts.names(question)
        field = bool(_FIELD_LINE.match(sentence))
        for name in keyfacts.names(sentence):
            if re.sub(r"s$", "", name).isupper() or re.search(rf"\bthe\s+{re.escape(name)}", sentence) or any(
                    keyfacts.mentions(name, s) for s in said):
                continue
            if not field and not re.search(rf"\b{_LOCATIVE}\s+{re.escape(name)}\b", sentence, re.I):
                continue
            if self.names and (self.names.subjects(name) or self.names.place_of_people(name)):
                continue
            return True
        return False

    def closeness(self, text: str, others: list[str]):
        """The cosine similarity of text to each of others, in the embedder's space (an array)."""
        vectors = self._embed([text, *others])
        return vectors[1:] @ vectors[0]

    def _embed(self, texts: list[str]):
        cached = getattr(self.embedder, "embed_cached", None)  # a test's stand-in embedder may not cache
        return cached(texts) if cached else self.embedder.embed(texts)

    def sentence_texts(self, index) -> list[str]:
        """What score_sentences embeds for each sentence of the index's chunks, each text once."""
        texts: dict[str, None] = {}
        for chunk in index.chunks:
            text, meta = index.doc_text(chunk.doc_id) or "", index.doc_meta(chunk.doc_id)
            for s, e in sentence_spans(text, chunk.start, chunk.end):
                if e - s >= 12:
                    texts.setdefault(_describe(text[s:e], meta))
        return list(texts)

    def draft(self, question: str, passages: list[Passage], doc_texts: dict[str, str], metas=None,
              keep: Callable[[str], bool] | None = None) -> str | None:
        scored = self.score_sentences(question, passages, doc_texts, metas, keep=keep)
        if not scored or scored[0][0] < self.min_score:
            return None
        if _ASKS_PARTS.search(question) and not _ANNOUNCES_LIST.search(scored[0][4]):
            lead = next((item for item in scored[1:] if item[0] >= max(self.min_score, LIST_LEAD_SHARE * scored[0][0])
                         and _ANNOUNCES_LIST.search(item[4])), None)
            if lead is not None:
                scored = [lead] + [item for item in scored if item is not lead]
        chosen = [scored[0]]
        covered = set(scored[0][5])
        following = self._continuation(scored[0], doc_texts)
        if _ANNOUNCES_LIST.search(scored[0][4]) or following and following[0][4].rstrip().endswith(":"):
            chosen += following  # the list it announces, or "... These include:" then the list
            chosen += _items_further_on(scored, following, covered)
        elif _ASKS_PARTS.search(question) or (_ASKS_POSSIBLE.search(question)
                                               and _STATES_POSSIBLE.search(scored[0][4])):  # the enumeration goes on
            for item in following:
                if not _CONTINUES.search(item[4]):
                    break
                chosen.append(item)
            chosen += self._enumeration_before(scored[0], doc_texts)  # and began before, when the best is "Lastly"
        elif _ASKS_CHANGE.search(question):  # a change over time: the best sentence's paragraph tells it on
            chosen += _same_paragraph(scored[0], following, doc_texts)[:CHANGE_SENTENCES]
        elif _ASKS_REASON.search(question):  # "It now seeks to ...": the next sentence goes on about the same thing
            chosen += [item for item in _same_paragraph(scored[0], following, doc_texts)[:1]
                       if _CARRIES_ON.match(item[4])]
        if _BACK_REFERENCE.match(scored[0][4]):
            chosen += self._previous(scored[0], doc_texts)
        elif _ASKS_CONTRAST.search(question):  # "Contrast ... with what happened after": the other side too
            if _CONTRASTS.search(scored[0][4]):
                chosen += self._previous(scored[0], doc_texts)
            elif following and _CONTRASTS.search(following[0][4]):
                chosen.append(following[0])
        noted = _noted_field(scored[0], scored)  # a note qualifies its field, which states the values
        chosen += noted
        chosen.sort(key=lambda item: (item[1].n, item[2]))  # the best sentence with its list or antecedent
        by_document = bool(_ASKS_WHICH_DOCUMENTS.search(question))
        most = MAX_DOCUMENTS if by_document else self.max_sentences
        for item in scored[1:]:
            if len(chosen) - len(noted) >= most or item[0] < ANOTHER_SHARE * scored[0][0]:
                break
            if item[5] - covered or by_document and all(item[1].doc_id != c[1].doc_id for c in chosen):
                chosen.append(item)  # adds something the first sentence lacks (or another document saying it)
                covered |= item[5]
        chosen = list({(item[1].n, item[2]): item for item in chosen}.values())
        lines = []
        focus = _focus_clause(question, scored[0][4])
        if focus:
            lines.append(f"{focus[0].upper()}{focus[1:]}.")
        lines += [f"“{item[4]}” [{item[1].n}]" for item in chosen]
        return "\n\n".join(lines)


    def evidence(self, question: str, passages: list[Passage], doc_texts: dict[str, str], metas=None,
                 limit: int = 2, number=lambda passage, start: passage.n) -> list[str]:
        """The best-supported sentences, as prompt lines for an LLM: evidence selected before generation.
        number(passage, start) is the [n] the prompt gives the passage holding that sentence."""
        scored = [item for item in self.score_sentences(question, passages, doc_texts, metas)
                  if item[0] >= self.min_score][:limit]
        lines = [f"[{number(item[1], item[2])}] \"{for_prompt(item[4])}\"" for item in scored]
        focus = _focus_clause(question, scored[0][4]) if scored else None
        if focus:
            lines.insert(0, f"[{number(scored[0][1], scored[0][2])}] \"{for_prompt(focus)}\" "
                            "(the part that answers the question)")
        return lines

    @staticmethod
    def _previous(item, doc_texts) -> list:
        """The sentence before one that refers back to it ("In other words, ...")."""
        passage, start = item[1], item[2]
        text = doc_texts.get(passage.doc_id, "")
        span = sentence_before(text, start, passage.start)
        before = [span] if span else []
        flagged = instruction_spans(text, passage.start, passage.end)
        return [(item[0], passage, s, e, text[s:e], set()) for s, e in before if (s, e) not in flagged]

    def _enumeration_before(self, item, doc_texts, limit: int = 4) -> list:
        """For a sentence carrying on an enumeration ("Lastly, ...", "Authorities should also ..."), the sentences
        before it back to the one the enumeration starts with; none for any other sentence."""
        found: list = []
        while _CONTINUES.search(item[4]) and len(found) < limit:
            before = self._previous(item, doc_texts)
            if not before:
                break
            item = before[0]
            found.append(item)
        return found

    @staticmethod
    def _continuation(item, doc_texts, limit: int = 5) -> list:
        """The sentences or list items that follow a sentence announcing a list, within its passage."""
        passage, _, end = item[1], item[2], item[3]
        text = doc_texts.get(passage.doc_id, "")
        following = [(s, e) for s, e in sentence_spans(text, passage.start, passage.end) if s >= end][:limit]
        flagged = instruction_spans(text, passage.start, passage.end)
        return [(item[0], passage, s, e, text[s:e], set()) for s, e in following if (s, e) not in flagged]


def _items_further_on(scored: list, shown: list, covered: set[str]) -> list:
    """Items of the best sentence's list past those shown that score near it and state something it does not
    ("• Participating in rural guerrilla warfare ..." for the countryside, the list's sixth item)."""
    best, last = scored[0], max((item[3] for item in shown), default=scored[0][3])
    found: list = []
    for item in scored[1:]:
        if item[0] < ANOTHER_SHARE * best[0]:
            break
        if _LIST_ITEM.match(item[4]) and item[1].doc_id == best[1].doc_id and item[2] >= last \
                and item[5] - covered - set().union(*(found_item[5] for found_item in found)):
            found.append(item)
    return found


_LIST_ITEM = re.compile(r"\s*[•*-]\s")


def _same_paragraph(item, following: list, doc_texts: dict[str, str]) -> list:
    """Of the sentences following item, those before its paragraph ends (a blank line)."""
    text = doc_texts.get(item[1].doc_id, "")
    kept, end = [], item[3]
    for next_item in following:
        if "\n\n" in text[end:next_item[2]]:
            break
        kept.append(next_item)
        end = next_item[3]
    return kept


# A place inside a country is asked for: its name, not a country's ("Which Pakistani cities ...?").
_ASKS_PLACE_WITHIN = re.compile(r"\b(?:which|what)\s+(?:[\w’'-]+\s+){0,2}(?:cit(?:y|ies)|towns?|villages?|provinces?|"
                                r"districts?)\b", re.I)
_LOCATIVE = r"(?:in|into|at|against|near|from|across|around|outside|inside|to|city of|town of)"
# Words asking where a name is listed, not what is true of it ("Which profiles list Armenia?").
_LISTING_TERMS = frozenset(terms("list listed lists listing mention mentioned mentions name named names include "
                                 "included includes profile profiles factbook source sources document documents"))
_FIELD_LINE = re.compile(r"^[A-Z][\w ,()'’-]{1,60}:\s")  # "Capital, name: Malé."
_ASKS_WHO_IS = re.compile(r"^\s*who\s+(?:is|are)\b", re.I)
# A title then a name, opening a sentence or a field's value: "head of government: President Masoud PEZESHKIAN".
_TITLED_NAME = re.compile(r"(?:^|:\s+)([A-Z][a-z]+(?:\s+[A-Z][a-z]+)?)\s+[A-Z][\w’'-]+\s+[A-Z]")


def _names_holder(sentence: str, question_terms: set[str]) -> bool:
    """For "Who is Iran's president?": the sentence names someone under the asked title ("President Masoud
    PEZESHKIAN"), not one who held it once ("... inauguration of Mahmud AHMADI-NEJAD as president")."""
    return any(set(terms(match.group(1))) & question_terms for match in _TITLED_NAME.finditer(sentence))


DATE_NEAR_WORDS = 3
_LIGHT_VERBS = frozenset({"become", "gain", "get", "take", "make", "come", "go", "happen"})


def _dated_near(sentence: str, asked_terms: set[str]) -> bool:
    """A year or date within a few words of a word for what is asked ("became independent in 1991")."""
    tokens = re.findall(r"[\w’'-]+", keyfacts.fold(sentence))
    at = [i for i, token in enumerate(tokens) if asked.stated_terms(token) & asked_terms]
    return any(keyfacts.years(token) and abs(i - j) <= DATE_NEAR_WORDS for i, token in enumerate(tokens) for j in at)


def _asked_field(sentence: str, question_terms: set[str]) -> bool:
    """The sentence is a field whose label is asked: the field, with no qualifier or its main entry, is made of the
    question's terms, or its last qualifier is."""
    label = field_words.FIELD_LABEL.match(sentence)
    if not label:
        return False
    field, *qualifiers = [set(terms(part)) for part in label.group(1).split(",")]
    if qualifiers and qualifiers[-1] and _asks(qualifiers[-1], question_terms) and not qualifiers[-1] <= MAIN_ENTRY \
            and not field_words.is_rest(label.group(1)):  # "other alcohols": all the rest
        # "Where does the capital's name come from?": "Capital, etymology", not "Country name, etymology"
        named = _qualified_fields_asked(frozenset(question_terms))
        return not named or label.group(1).split(",")[0].strip() in named
    return bool(field) and _asks(field, question_terms) and all(q <= MAIN_ENTRY for q in qualifiers) \
        and not field_words.qualifier_asked(label.group(1).split(",")[0].strip(), frozenset(question_terms))


def _qualified_fields_asked(asked: frozenset[str]) -> frozenset[str]:
    """The fields the question names in the Factbook's words and one of whose qualified labels it asks for
    ("Where does the capital's name come from?": "Capital", for "Capital, etymology")."""
    return frozenset(f for f in field_words.labels_named(asked) if field_words.qualifier_asked(f, asked))


def _fields_of_others(sentence: str, named_fields: frozenset[str]) -> set[str]:
    """The terms of the fields whose qualified labels the question asks for ("capital" of "Where does the capital's
    name come from?") that a line of another field only says in its value ("Country name, etymology: ... derives
    from the capital city"): it is not about them."""
    label = field_words.FIELD_LABEL.match(sentence)
    if not label or not named_fields:
        return set()
    own = set(terms(label.group(1)))
    return {t for field in named_fields for t in terms(field)} - own


def _asks(label_terms: set[str], question_terms: set[str]) -> bool:
    """Every label term is a question term or a compound it begins ("Coastline" for "coast")."""
    return all(asked.shares(question_terms, {t}) for t in label_terms)


_FIELD_GROUP = re.compile(r"([A-Z][a-z]+(?: [a-z]+)?), (?!name:)[^:]{3,60}:")


def _group_name(text: str, sentence: str) -> str:
    """For a field of a named group ("Capital, time difference: UTC+3.5"), that group's name field ("Capital, name:
    Tehran") in its document's text, which names what the field is about; "" for other sentences."""
    group = _FIELD_GROUP.match(sentence)
    return _named_group(group.group(1), text) if group else ""


@functools.lru_cache(maxsize=4096)
def _named_group(group: str, text: str) -> str:  # a document's text hashes once; each group is searched once
    found = re.search(rf"(?:^|\.\s|\n){re.escape(group)}, name: ([^.\n]{{1,80}})", text)
    return f"{group}, name: {found.group(1)}" if found else ""




def _latest_of_each_series(scored: list) -> list:
    """Of a field given year by year ("Unemployment rate 2024: ...", "Unemployment rate 2023: ..."), the latest year
    answers first, with the best score of its series, the others after it by year. A question pinning a year keeps
    only that year's line (asked.unmet), so this orders only questions asking for no year."""
    series: dict[tuple[str, str], list] = {}
    for item in scored:
        label = field_words.FIELD_LABEL.match(item[4])
        field, year = field_words.field_of(label.group(1)) if label else ("", None)
        if year is not None:
            series.setdefault((item[1].doc_id, field), []).append((year, item))
    rescored = {}
    for members in series.values():
        best = max(item[0] for _, item in members)
        for rank, (_, item) in enumerate(sorted(members, key=lambda member: -member[0])):
            rescored[id(item)] = best - rank * 1e-3
    return [(rescored.get(id(item), item[0]), *item[1:]) for item in scored] if rescored else scored


OWN_WORDS_PENALTY = 0.1


def _own_words_first(scored: list, question: str, own: set[str], names: set[str]) -> list:
    """A follow-up carrying earlier turns' words as context ("Where has it resurfaced since the withdrawal? (...
    coalition whittle ...)"): a sentence stating none of its own words ranks after those stating some, however many
    context words it shares (often the sentence that answered the turn before)."""
    said = own - names
    if asked.without_context(question) == question or not any(item[5] & said for item in scored):
        return scored
    return [item if item[5] & said else (item[0] - OWN_WORDS_PENALTY, *item[1:]) for item in scored]


def _notes_after_their_fields(scored: list, counted: set[str]) -> list:
    """A note ("Terrorist group(s), note 1: ...") qualifies its field, which states the fact: it scores below its
    field's line when that line covers every question term the note covers, unless only the note gives a number
    of what "how many" counts (counted: "about 2,000 conscripts annually")."""
    fields: dict[tuple[str, str], tuple] = {}
    for item in scored:
        label = field_words.FIELD_LABEL.match(item[4])
        if label and not _NOTE.search(label.group(1)):
            field = field_words.field_of(label.group(1))[0]
            # a note of "Legislative branch" qualifies its sub-fields ("Legislative branch, legislature name")
            for key in {(item[1].doc_id, field), (item[1].doc_id, field.split(",")[0])}:
                if key not in fields or item[0] > fields[key][0]:
                    fields[key] = item
    if not fields:
        return scored
    ranked = []
    for item in scored:
        label = field_words.FIELD_LABEL.match(item[4])
        base = fields.get((item[1].doc_id, _NOTE.sub("", label.group(1)))) if label and _NOTE.search(
            label.group(1)) else None
        if base is not None and item[5] <= base[5] and item[0] >= base[0] \
                and not (_counts(item[4], counted) and not _counts(base[4], counted)):
            item = (base[0] - 1e-3, *item[1:])
        ranked.append(item)
    return ranked


def _counts(sentence: str, counted: set[str]) -> bool:
    """The sentence gives a number of what is counted ("about 2,000 conscripts", "16 judges")."""
    return bool(counted) and any(set(terms(found.group(1))) & counted for found in _NUMBER_OF.finditer(sentence))


_NUMBER_OF = re.compile(r"\d(?:[\d,.]*\d)?(?:\s+(?:million|billion|thousand))?((?:\s+[A-Za-z][\w-]*){1,3})")


def _noted_field(note, scored: list) -> list:
    """For a field's note ("Terrorist group(s), note 1: ..."), the scored line of the field it qualifies."""
    label = field_words.FIELD_LABEL.match(note[4])
    if not label or not _NOTE.search(label.group(1)):
        return []
    field = _NOTE.sub("", label.group(1))
    lines = [item for item in scored if item[1].doc_id == note[1].doc_id and item is not note
             and (found := field_words.FIELD_LABEL.match(item[4])) and field_words.field_of(found.group(1))[0] == field]
    return sorted(lines, key=lambda item: -item[0])[:1]


def _field_note(text: str, sentence: str) -> str:
    """For a field ("Exports - commodities: natural gas, ..."), its note field in its document's text ("Exports -
    commodities, note: top five export commodities ..."), which says what the values are; "" for other sentences."""
    label = field_words.FIELD_LABEL.match(sentence)
    if not label or _NOTE.search(label.group(1)):
        return ""
    return _noted(field_words.field_of(label.group(1))[0], text)


@functools.lru_cache(maxsize=4096)
def _noted(label: str, text: str) -> str:
    found = re.search(rf"(?:^|\.\s|\n){re.escape(label)}(, note(?: \d)?: [^\n]{{1,200}}?)(?:\.\s|\.?\n|$)", text)
    return f"{label}{found.group(1)}" if found else ""


_NOTE = re.compile(r", note(?: \d)?$")


def _restates_title(sentence: str, meta) -> bool:
    """A line of the title block that says little beyond the title (two words at most) and is no byline."""
    if sentence.strip(" ?#") in meta.title:
        return True
    said, title = set(terms(sentence)), set(terms(meta.title))
    authors = getattr(meta, "authors", None) or []
    return bool(said & title) and len(said - title) <= 2 and not any(a in sentence for a in authors)


_ASKS_WRITER = re.compile(r"\b(?:wrote|written|writes?|authored|co-?authors?|by whom|publish(?:es|ed|er|ing)?|"
                          r"compiled|produced)\b|^\s*(?:and\s+)?who\b.*\bauthors?\b", re.I)


def _names_authors(sentence: str, meta) -> bool:
    authors = getattr(meta, "authors", None) or []
    return bool(authors) and sum(a in sentence for a in authors) >= max(1, len(authors) // 2)


def _is_byline(sentence: str, meta) -> bool:
    """The document's authors named with hardly a word of prose ("Amira Jadoon, Andrew Mines, Aaron Y. Zelin")."""
    return _names_authors(sentence, meta) and lower_case_words(sentence) < 3


def _asks_writer(question: str, meta) -> bool:
    """Who wrote or published it, or who one of its authors is ("Who is Amira Jadoon?")."""
    return bool(_ASKS_WRITER.search(question)) or bool(_ASKS_WHO_IS.match(question)) and any(
        a in question for a in getattr(meta, "authors", None) or [])


def _field_of_another_place(question: str, places: list[str], sentence: str, plain: str) -> bool:
    """"What currency does Armenia use?" of "Exports - partners: China 35%, ..., Armenia 5%": a field of another
    place's profile naming the asked place (one without a profile) only in its value, whose label (in everyday words
    too) states nothing the question asks of it."""
    label = field_words.FIELD_LABEL.match(sentence)
    if not label or any(keyfacts.mentions(name, label.group(1)) for name in places):
        return False
    wanted = asked.attribute_terms(question) - _LISTING_TERMS
    return bool(wanted) and not asked.shares(wanted, asked.stated_terms(f"{label.group(1)} {plain}"))


def _describe(sentence: str, meta) -> str:
    """Sentence text for scoring, with what a byline or dateline means spelled out."""
    if meta is None:
        return sentence
    extra = []
    if _names_authors(sentence, meta):
        extra.append("The authors who wrote and published this report are")
    if _DATELINE.fullmatch(sentence):
        extra.append("The date the report was published, released or issued, when it did come out:")
    return " ".join(extra + [sentence]) if extra else sentence


def _in_compound(name: str, clause: str) -> bool:
    """The name only as part of a longer word or a possessive ("2 Pakistan-administered areas", "Afghanistan's 2004
    Constitution"): the clause is not an item about it."""
    return bool(re.search(rf"\b{re.escape(name)}[-’']\w", clause, re.I)) and \
        not re.search(rf"\b{re.escape(name)}(?![-’']\w)", clause, re.I)


def _focus_clause(question: str, sentence: str) -> str | None:
    """For a list-like sentence, the short clause naming what the question asks about ("four in Iran")."""
    entities = asked.asked_names(question)
    if not entities:
        return None
    clauses = [c.strip() for c in re.split(r"[:;]|,(?!\d)", sentence) if c.strip()]
    if len(clauses) < 3:
        return None
    dated = asked.answer_kind(question) is asked.Kind.DATE  # a year alone is an item's value only when asked when
    hits = [c for c in clauses if len(c.split()) <= 8 and c.count("(") == c.count(")")
            and (keyfacts.counts(c) or keyfacts.dates(c) or keyfacts.months(c) or dated and keyfacts.years(c))
            and any(keyfacts.mentions(e, c) and not _in_compound(e, c) for e in entities)]
    if len(hits) != 1:
        return None
    return re.sub(r"^(?:and|or)\s+", "", hits[0].rstrip(" ."), flags=re.I)  # "and three in Turkey." -> its clause
