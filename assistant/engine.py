"""The one API that the CLI, UI, eval and benchmarks share.

    engine = Engine(Settings.load())
    session = engine.session()
    answer = session.ask("How many ISKP plots were foiled in India?")
    for event in session.ask_stream("And in Iran?"): ...

The answer path is the stages in assistant/pipeline/, composed by answer_stream; the index's life-cycle is an
IndexManager's, the choice of backend a BackendSelector's.
"""
from __future__ import annotations

import logging
import re
import threading
import time
import uuid
from collections.abc import Callable, Generator, Iterator
from dataclasses import dataclass, field, replace

from . import asked, conversation, field_words, keyfacts, validation
from .answer import Answer, Event
from .backend_selector import BackendSelector
from .backends import Backend, ExtractiveBackend, PreparesPrefix, StreamsChat
from .backends.extractive import SentenceFilteredBackend
from .citations import Citation, marker_numbers, overlaps
from .corpus import DocMeta
from .embedder import get_embedder
from .index_manager import IndexManager
from .pipeline import (
    check,
    combine,
    condense,
    decompose,
    gate,
    generate,
    ground,
    prompt,
    reconcile,
    retrieve,
    timed,
    validate,
)
from .pipeline.generate import (
    SENTINEL,  # noqa: F401  (re-exported)
    Draft,
)
from .pipeline.prompt import CorpusPrompt  # noqa: F401  (re-exported)
from .pipeline.reply import Reply
from .pipeline.validate import Request
from .prompts import render
from .retrieval import Passage
from .settings import Settings
from .store import Index, IngestReport
from .textutil import strip_markers, terms, without_quotes
from .validation import QuestionError  # noqa: F401  (re-exported: callers import it from here)

logger = logging.getLogger(__name__)
REPEATED = "The model's answer only repeated the previous answer, so it is not shown."
QUOTED_PART_CHARS = 40  # a quote this long inside a sentence: the sentence was quoted
REPEATED_INSTEAD = ("The model's answer only repeated the previous answer; shown instead: the sources' sentences that "
                    "state what was asked.")
WEAKER_INSTEAD = ("The model's answer cited sentences that bear on the question less than the sources' best; shown "
                  "instead: the sources' sentences that state what was asked.")
MODEL_DECLINED = ("The model gave no answer its sources support; shown instead: the sources' sentences that state what "
                  "was asked.")


class Engine:
    def __init__(self, settings: Settings | None = None, backend: Backend | None = None):
        """backend: one to always answer with (e.g. a scripted LLM); None: the one settings.backend names."""
        self.settings = settings or Settings.load()
        self.embedder = get_embedder()
        self._indexes = IndexManager(self.settings, self.embedder)
        self._backends = BackendSelector(self.settings, backend)
        self.listeners: list[Callable[[Answer], None]] = []  # called with each final answer (e.g. metrics)
        self._warming: dict[str, threading.Thread] = {}
        self._warming_lock = threading.Lock()

    # ----- index -----
    def ingest(self, rebuild: bool = False, progress=None) -> IngestReport:
        """Builds a new generation while questions keep using the current one; the switch is atomic."""
        return self._indexes.ingest(rebuild=rebuild, progress=progress)

    def ensure_index(self, progress=None) -> Index:
        """Open the committed index; build it when missing, rebuild it when damaged."""
        return self._indexes.current(progress=progress).index

    @property
    def index(self) -> Index:
        return self.ensure_index()

    @property
    def _index(self) -> Index | None:
        return self._indexes.opened.index if self._indexes.opened else None

    @property
    def _retriever(self):
        return self._indexes.opened.retriever if self._indexes.opened else None

    @property
    def _corpus(self) -> CorpusPrompt | None:
        return self._indexes.opened.corpus if self._indexes.opened else None

    def documents(self) -> list[DocMeta]:
        index = self.ensure_index()
        return [meta for _, (meta, _) in sorted(index.docs.items())]

    def document(self, doc_id: str) -> tuple[DocMeta, str] | None:
        index = self.ensure_index()
        meta, text = index.doc_meta(doc_id), index.doc_text(doc_id)
        return (meta, text) if meta is not None and text is not None else None  # both or neither

    # ----- backend -----
    @property
    def backend(self) -> Backend:
        """What answers: an LLM (StreamsChat) or the extractive backend (DraftsFromPassages)."""
        return self._backends.backend

    @property
    def notices(self) -> list[str]:
        return self._backends.notices

    @property
    def backend_name(self) -> str:
        return self._backends.name

    @property
    def model_name(self) -> str:
        return self._backends.model

    def set_backend(self, backend: str) -> None:
        self.settings = self._backends.switch(backend)

    def start_warm_up(self) -> threading.Thread:
        """warm_up() in the background, once per backend: a second call while it runs returns the same thread."""
        with self._warming_lock:
            key = self.settings.backend
            thread = self._warming.get(key)
            if thread is None:
                thread = threading.Thread(target=self.warm_up, name="warm-up", daemon=True)
                self._warming[key] = thread
                thread.start()
            return thread

    def warm_up(self) -> float:
        """Loads the LLM and puts its fixed system prompts (translation, condense when on, answer rules, a small
        corpus) in its cache now, from saved states where it can, not on the first question; then embeds the
        corpus's sentences not yet saved (index_manager.fill_sentence_vectors); seconds."""
        started = time.perf_counter()
        opened = self._indexes.current()
        backend = self.backend
        if isinstance(backend, PreparesPrefix):
            prompts_dir = self.settings.prompts_dir
            rules = prompt.system(prompts_dir, opened.index.doc_meta)
            systems = [condense.translation_rules(prompts_dir, opened.glossary()),
                       prompt.other_language_rules(rules, prompts_dir)]
            if self.settings.condense_by_llm:
                systems.append(render(prompts_dir, "condense_system"))
            systems.append(rules)  # the answer rules last: live in the model
            if opened.corpus:
                systems.append(opened.corpus.system)
            for system in systems:
                try:
                    backend.prefill(system)
                except Exception as exc:  # the first question then reads it itself, or reports the fault
                    logger.warning("could not prepare the model's prompt cache: %s", exc)
                    break
        try:
            self._indexes.fill_sentence_vectors()
        except Exception as exc:  # a question then embeds its passages' sentences itself
            logger.warning("could not embed the corpus's sentences ahead: %s", exc)
        return time.perf_counter() - started

    def session(self) -> ChatSession:
        return ChatSession(self)

    def ask(self, question: str, **kwargs) -> Answer:
        return self.session().ask(question, **kwargs)

    # ----- the pipeline -----
    def validate(self, question) -> str:
        return validation.question(question, self.settings.max_question_chars)

    def condense(self, question: str, history: list[conversation.Turn], extractive: bool = False) -> tuple[str, str]:
        """(standalone question, method); extractive: by rule or context only, no LLM."""
        opened = self._indexes.opened
        result = condense.run(question, history, ExtractiveBackend() if extractive else self.backend,
                              prompts_dir=self.settings.prompts_dir, history_turns=self.settings.history_turns,
                              names=opened.retriever.names if opened else None,
                              doc_text=(lambda doc_id: opened.index.doc_text(doc_id) or "") if opened else None,
                              glossary=opened.glossary if opened else None,
                              by_llm=self.settings.condense_by_llm)
        return result.standalone, result.method

    def answer_stream(self, question: str, history: list[conversation.Turn], top_k: int | None = None,
                      doc_ids: list[str] | None = None, extractive: bool = False) -> Iterator[Event]:
        """Events: status (text), token (text), then one final (answer). extractive: answer without the LLM."""
        timings: dict[str, float] = {}
        started, settings = time.perf_counter(), self.settings
        request = validate.run(question, top_k, doc_ids, max_chars=settings.max_question_chars,
                               open_index=self._indexes.current)
        backend = ExtractiveBackend() if extractive else self.backend
        notices = [] if extractive else list(self.notices)
        with timed(timings, "condense"):
            standalone, method = self.condense(request.question, history, extractive)
        if method != "none":
            yield Event("status", f"Searching for: {standalone}")
        reply = Reply(request.question, standalone, [], backend.name, backend.model, notices, timings, started,
                      translated=method.startswith("translated"))
        unreadable = gate.english_only(request.question, by_llm=isinstance(backend, StreamsChat))
        plan, drafts = decompose.run(standalone), _Drafts()
        if plan.question:
            yield Event("status", f"Answering: {plan.question}")
            standalone = plan.question
        if plan.mode is not decompose.Mode.SINGLE and not unreadable:
            combined = yield from self._answer_parts(plan, standalone, request, backend, reply, drafts)
            if combined is not None:
                yield reply.final(combined.text, combined.citations, combined.notice)
                return
        outcome = yield from drafts.passed_on(self._answer_one(standalone, request, backend, reply,
                                                               previous=history[-1] if history else None))
        if outcome.text is None:
            yield reply.abstain(outcome.notice, **({"text": outcome.abstain_text} if outcome.abstain_text else {}))
            return
        if plan.premise and not unreadable:  # the statement before the question, in the sources' own words
            premise = yield from _Held(self._answer_one(plan.premise, request, generate.FALLBACK, reply)).statuses()
            combined = combine.with_premise(combine.SubAnswer(standalone, "", outcome.text, outcome.citations),
                                            combine.SubAnswer(plan.premise, "", premise.text, premise.citations))
            yield reply.final(combined.text, combined.citations, outcome.notice)
            return
        yield reply.final(outcome.text, outcome.citations, outcome.notice)

    def _answer_one(self, question: str, request: Request, backend: Backend, reply: Reply,
                    previous: conversation.Turn | None = None) -> Generator[Event, None, Outcome]:
        """One standalone question retrieved, drafted, grounded, checked and reconciled; reply gets the passages,
        the backend and model that answered, their notices and timings; previous: the conversation's last turn, which
        a model's answer must not merely repeat. Events: the draft's status and tokens."""
        opened, settings, timings = request.opened, self.settings, reply.timings
        with timed(timings, "retrieve"):
            found = retrieve.run(opened.retriever, question, request.top_k or settings.top_k, request.doc_ids)
        seen = {(p.doc_id, p.start) for p in reply.passages}
        reply.passages = reply.passages + [p for p in found.passages if (p.doc_id, p.start) not in seen]
        gated = gate.run(found, settings.min_relevance)
        logger.debug("retrieved %d passages for %r; best similarity %.2f, lexical coverage %.2f%s",
                     len(found.passages), question, found.best_similarity, found.lexical_coverage,
                     f"; abstaining: {gated.reason}" if gated.abstain else "")
        if gated.abstain:
            return Outcome()
        unreadable = gate.english_only(request.question, by_llm=isinstance(backend, StreamsChat))
        if unreadable:
            return Outcome(abstain_text=unreadable)
        with timed(timings, "generate") as t0:
            events = generate.run(backend, question, found.passages, opened, settings,
                                  whole=request.doc_ids is None, timings=timings, started=t0,
                                  asked_in=request.question, translated=reply.translated)
            draft = yield from events
        reply.backend, reply.model, reply.prompt = draft.backend, draft.model, draft.prompt
        reply.notices += [n for n in draft.notices if n not in reply.notices]
        outcome = self._verified(question, draft, found, opened, timings)
        if outcome.text is not None and previous is not None and _repeats(question, outcome, request.question,
                                                                          previous):
            if draft.by_llm:
                outcome = Outcome(notice=REPEATED)
            else:
                outcome = yield from self._beyond(outcome, previous, question, found, opened, timings)
        if outcome.text is not None and draft.by_llm and settings.extractive_fallback and not reply.translated \
                and check.weaker_than_best(
                question, outcome.citations, found.passages, draft.doc_texts, draft.metas,
                opened.extractive.score_sentences, settings.llm_weaker_ratio):
            second, backup = yield from self._sources_answer(question, found, opened, timings, previous,
                                                             request.question)
            shared = any(overlaps(c.doc_id, c.start, c.end, outcome.citations) for c in backup.citations)
            if backup.text is not None and not shared:
                reply.backend, reply.model = second.backend, second.model
                return replace(backup, notice=" ".join(filter(None, [WEAKER_INSTEAD, backup.notice])))
        if outcome.text is None and draft.by_llm and settings.extractive_fallback:
            # The model declined, or its claims failed their checks: the sources' best sentence that states what
            # was asked (the extractive backend's typed check and minimum score) answers instead, or nothing.
            second, backup = yield from self._sources_answer(question, found, opened, timings, previous,
                                                             request.question)
            if backup.text is not None:
                reply.backend, reply.model = second.backend, second.model
                declined = REPEATED_INSTEAD if outcome.notice == REPEATED else MODEL_DECLINED
                return replace(backup, notice=" ".join(filter(None, [declined, backup.notice])))
        if outcome.text is not None and draft.by_llm:
            if asked.asks_many(question):
                outcome = yield from self._with_more_quotes(question, outcome, found, opened, timings)
            else:
                outcome = _with_lists_whole(question, outcome)
        return outcome

    def _with_more_quotes(self, question: str, outcome: Outcome, found, opened,
                          timings: dict) -> Generator[Event, None, Outcome]:
        """A model's answer to a question asking for reasons, steps or parts, then the sources' own sentences that
        the extractive backend answers it with, those the model did not cite: a 1.5B model's one sentence seldom
        covers them all."""
        _, sources = yield from self._sources_answer(question, found, opened, timings)
        offered = sources.citations if sources.text is not None else []
        new = [c for c in offered if not overlaps(c.doc_id, c.start, c.end, outcome.citations)]
        numbers = {c.n for c in new}
        lines = [line for line in (sources.text or "").split("\n\n")
                 if line.startswith("“") and set(marker_numbers(line) or [0]) <= numbers]
        return _with_lists_whole(question, outcome, lines, new, reasons=True)

    def _sources_answer(self, question: str, found, opened, timings: dict, previous: conversation.Turn | None = None,
                        asked_as: str = "") -> Generator[Event, None, tuple[Draft, Outcome]]:
        """The extractive backend's answer from the passages found, verified: its draft (statuses passed on, tokens
        not) and the outcome; after previous, one that only repeats it gives way to the next sentences (_beyond)."""
        events = generate.run(generate.FALLBACK, question, found.passages, opened, self.settings, whole=False,
                              timings={}, started=time.perf_counter())
        draft = yield from _quiet(events)
        outcome = self._verified(question, draft, found, opened, timings)
        if outcome.text is not None and previous is not None and _repeats(question, outcome, asked_as or question,
                                                                          previous):
            outcome = yield from self._beyond(outcome, previous, question, found, opened, timings)
        return draft, outcome

    def _beyond(self, repeated: Outcome, previous: conversation.Turn, question: str, found, opened,
                timings: dict) -> Generator[Event, None, Outcome]:
        """For a follow-up asking something new, answered with only the previous answer's quotes: the sources'
        answer from the sentences it did not quote, when its closest new quote is nearer in meaning to the
        follow-up's own words than the repeat's ("And out in the countryside?" is not the city sentence again); else
        the repeat, which may answer it."""
        def unquoted(sentence: str) -> bool:
            said = sentence.strip()
            return not any(said == q or (len(q) >= QUOTED_PART_CHARS and q in said) for q in previous.quotes)
        passages = found.passages + _what_follows(previous, found.passages, opened.index)
        events = generate.run(SentenceFilteredBackend(unquoted), question, passages, opened, self.settings,
                              whole=False, timings={}, started=time.perf_counter())
        draft = yield from _quiet(events)
        other = self._verified(question, draft, found, opened, timings)
        if other.text is None:
            return repeated
        fresh = [c.quote for c in other.citations if unquoted(c.quote)]
        if not fresh:
            return repeated
        own_words = asked.without_context(question)
        before, after = (max(opened.extractive.closeness(own_words, quotes))
                         for quotes in ([c.quote for c in repeated.citations], fresh))
        return other if after > before else repeated

    def _verified(self, question: str, draft: Draft, found, opened, timings: dict) -> Outcome:
        """A draft grounded in its passages, checked against the question and reconciled; no text: refused."""
        if draft.text is None or ground.declines(draft.text):  # declines() is True for None too
            return Outcome(notice=check.unmentioned(question, draft.grounding, draft.metas))
        with timed(timings, "verify"):
            grounded = ground.run(draft.text, draft.grounding, draft.doc_texts, draft.metas, opened.index.page_at,
                                  draft.asked_in)
        refusal = grounded.notice or check.run(question, grounded.text, grounded.citations, draft.grounding,
                                               draft.metas, kind_asked=draft.by_llm).notice
        if not refusal and draft.by_llm and asked.answer_kind(question) is asked.Kind.DATE:
            grounded = ground.with_full_dates(grounded)
        if refusal:
            return Outcome(notice=refusal)
        result = reconcile.run(question, grounded.text, grounded.citations, found.passages, draft.doc_texts,
                               opened.index, opened.retriever.names)
        return Outcome(result.text, result.citations, result.notice)

    def _answer_parts(self, plan: decompose.Plan, question: str, request: Request, backend: Backend,
                      reply: Reply, drafts: _Drafts) -> Generator[Event, None, combine.Combined | None]:
        """The sub-questions of a comparison, a bridge or joined questions answered one by one, then combined; None when
        they give nothing to combine (the question is then answered whole)."""
        answers = []
        if plan.mode is decompose.Mode.BRIDGE:
            lead, places = yield from self._bridge_lead(plan, question, request, backend, reply, drafts)
            if lead is None:
                reply.passages = []
                return None
            answers.append(lead)
            for place, part in places:
                yield Event("status", f"Searching for: {part}")
                outcome = yield from drafts.passed_on(self._answer_one(part, request, backend, reply))
                answers.append(combine.SubAnswer(part, place, outcome.text, outcome.citations))
        elif plan.mode is decompose.Mode.PARTS:
            for part in plan.parts:
                yield Event("status", f"Searching for: {part}")
                outcome = yield from drafts.passed_on(self._answer_one(part, request, backend, reply))
                answers.append(combine.SubAnswer(part, "", outcome.text, outcome.citations))
        else:
            names = request.opened.retriever.names
            for about, part in zip(plan.entities, plan.parts):
                yield Event("status", f"Searching for: {part}")
                outcome = yield from drafts.passed_on(self._answer_one(part, request, backend, reply))
                loose = decompose.loosened(part)
                if outcome.text is None and loose:
                    yield Event("status", f"Searching for: {loose}")
                    outcome = yield from drafts.passed_on(self._answer_one(loose, request, backend, reply))
                answers.append(combine.SubAnswer(part, _as_titled(about, outcome.citations, names), outcome.text,
                                                 outcome.citations))
        index = request.opened.index

        def naming(about: str, citations: list[Citation]) -> Citation | None:
            for citation in citations:
                text = index.doc_text(citation.doc_id) or ""
                span = combine.first_naming_sentence(about, text)
                if span:
                    return replace(citation, quote=text[span[0]:span[1]], start=span[0], end=span[1],
                                   section="", page=index.page_at(citation.doc_id, span[0]))
            return None

        combined = combine.run(plan, answers, naming)
        if combined is None:
            reply.passages = []
        return combined

    def _bridge_lead(self, plan: decompose.Plan, question: str, request: Request, backend: Backend, reply: Reply,
                     drafts: _Drafts) -> Generator[Event, None, tuple[combine.SubAnswer | None, list[tuple[str, str]]]]:
        """A bridge's lead answered, and the (place, sub-question) pairs its answer resolves the reference to; the
        lead None when it has no answer. The lead only has to name the places asked about next: the sources'
        sentence that does so, found in milliseconds, answers; when none does, an LLM backend answers the question
        whole (None) rather than write the lead first, which would make two model calls before the first text."""
        part = plan.parts[0]
        yield Event("status", f"Searching for: {part}")
        index, names = request.opened.index, request.opened.retriever.names
        single, excluded = decompose.single_reference(plan), names.named_in(question) if names else set()

        def text_of(doc_id: str) -> str:
            return index.doc_text(doc_id) or ""

        def places(outcome: Outcome) -> list[tuple[str, str]]:
            return decompose.bridged(plan, [(c.quote, c.doc_id) for c in outcome.citations], names, question,
                                     text_of)

        def names_places(sentence: str) -> bool:
            return names is not None and bool(decompose.lead_places(sentence, part, names, excluded, text_of, single,
                                                                    sharing=True))

        shown_before = reply.passages
        # A lead naming its places itself needs only a sentence stating it; any other, one that names them.
        named = names is not None and bool(decompose.places_in(part, names))
        sources = generate.FALLBACK if named else SentenceFilteredBackend(names_places)
        held = _Held(self._answer_one(part, request, sources, reply))
        outcome = yield from held.statuses()
        resolved = places(outcome) if outcome.text is not None else []
        # A statement naming its places only sets the scene: they are what it refers to, and its answer is shown
        # only when it resolves to them too (its sentence states the statement, not another place's news).
        stated = decompose.bridged(plan, [], names, question, text_of) if named and not part.rstrip().endswith("?") \
            else []
        if stated and {p for p, _ in resolved} != {p for p, _ in stated}:
            reply.passages = shown_before
            return combine.SubAnswer(part, "", None), stated
        if resolved:
            yield from drafts.passed_on(held.tokens())
            return combine.SubAnswer(part, "", outcome.text, outcome.citations), resolved
        if named and not isinstance(backend, StreamsChat):
            return (combine.SubAnswer(part, "", outcome.text, outcome.citations), []) if outcome.text else (None, [])
        reply.passages = shown_before  # its passages were not used
        if isinstance(backend, StreamsChat):
            return None, []  # the model answers the whole question: one model call before the first text, not two
        outcome = yield from drafts.passed_on(self._answer_one(part, request, backend, reply))
        if outcome.text is None:
            return None, []
        return combine.SubAnswer(part, "", outcome.text, outcome.citations), places(outcome)


def _what_follows(previous: conversation.Turn, passages: list[Passage], index: Index) -> list[Passage]:
    """Passages running from each of the previous answer's quotes to the end of the chunk after it, those not
    retrieved already: "So what does that imply?" is often answered by what the document says next."""
    extra: list[Passage] = []
    n = max((p.n for p in passages), default=0)
    for doc_id in previous.sources:
        text = index.doc_text(doc_id) or ""
        chunks = [index.chunks[i] for i in index.by_doc.get(doc_id, [])]
        for quote in previous.quotes:
            at = text.find(quote)
            if at < 0:
                continue
            last = next((i for i, c in enumerate(chunks) if c.start <= at + len(quote) - 1 < c.end), None)
            if last is None:
                continue
            following = chunks[last:last + 2]
            end = following[-1].end
            if any(p.doc_id == doc_id and p.start <= at and end <= p.end for p in passages + extra):
                continue
            n += 1
            extra.append(Passage(doc_id, following[0].title, following[0].section, following[0].page, at, end,
                                 text[at:end], [c.chunk_id for c in following], 0.0, 0.0, n=n,
                                 sections=[(c.start, c.section) for c in following]))
    return extra


def _repeats(question: str, outcome: Outcome, asked_as: str, previous: conversation.Turn) -> bool:
    """The answer only repeats the previous turn's, and does not give the kind of fact the question asks for: "When's
    the rainy season there?" may well be answered by the months the previous answer stated."""
    kind = asked.answer_kind(question)
    if kind is not None and asked.states_kind(kind, strip_markers(outcome.text or ""), question):
        return False
    return conversation.repeats(outcome.text or "", [c.quote for c in outcome.citations], asked_as, previous,
                                [c.doc_id for c in outcome.citations])


def _with_lists_whole(question: str, outcome: Outcome, lines: list[str] | None = None,
                      cited: list[Citation] | None = None, reasons: bool = False) -> Outcome:
    """A model's answer, then each quote it cites whose list it restates only in part ("China" of "China; other
    suppliers include France, Russia, ..."), whole, then lines citing cited, the sources' own further quotes.
    reasons: the answer gives reasons or parts, and a quote it words otherwise is shown whole too ("impede
    state-provided services" of "Waging economic warfare and seeking to impede state-provided services")."""
    lines, cited = lines or [], cited or []
    numbers = {c.n for c in cited}
    said = outcome.text or ""
    shown = [replace(c, n=max(numbers, default=0) + i)  # numbered apart from the sources' own
             for i, c in enumerate((c for c in outcome.citations if _names_left_out(c.quote, said, question)
                                    or reasons and _reworded(c.quote, said)), 1)]
    lines = [f"“{c.quote}” [{c.n}]" for c in shown] + lines
    if not lines:
        return outcome
    combined = combine.with_premise(combine.SubAnswer(question, "", outcome.text, outcome.citations),
                                    combine.SubAnswer(question, "", "\n\n".join(lines), cited + shown))
    return replace(outcome, text=combined.text, citations=combined.citations)


def _reworded(quote: str, answer: str) -> bool:
    """Whether the answer leaves out some words of the quote, its field label and figures aside: it says the quote in
    other words, or only part of it."""
    said = set(terms(without_quotes(strip_markers(answer))))
    value = field_words.FIELD_LABEL.sub("", quote)  # "Exports - commodities: natural gas, ..." says natural gas, ...
    value = re.sub(r"\([^()]*\d[^()]*\)", "", value)  # "(2023 est.)" dates it
    return any(term not in said and not any(ch.isdigit() for ch in term) for term in terms(value))


def _as_titled(about: str, citations: list[Citation], names) -> str:
    """A compared entity as the title of the one document its answer cites says it ("US": "United States")."""
    docs = {c.doc_id for c in citations}
    place = names.place_of(docs.pop()) if names is not None and len(docs) == 1 else None
    return place if place and place != about and keyfacts.mentions(about, place) else about


def _names_left_out(quote: str, answer: str, question: str = "") -> list[str]:
    """The names a quote lists (three or more) that an answer restating some of them leaves out; [] when it names
    them all, or none of them (it then says something else of the quote). A name the question says too ("ISKP" of
    "How many ISKP plots ...?") is what the answer is about, not an item it restates."""
    listed = [name for name in dict.fromkeys(keyfacts.names(quote)) if not name.isupper() or len(name) > 1]
    if len(listed) < 3 or not asked.lists(quote):
        return []
    said = without_quotes(strip_markers(answer))  # what the answer says, not the quotes it shows
    named = [name for name in listed if keyfacts.mentions(name, said) and not keyfacts.mentions(name, question)]
    left_out = [name for name in listed if name not in named]
    return left_out if named and len(left_out) >= 2 else []


class _Held:
    """An answer's events with its tokens held back until it is kept: statuses() passes the status events on and
    returns the outcome; tokens() then yields the held tokens (and returns nothing of use)."""

    def __init__(self, events: Generator[Event, None, Outcome]) -> None:
        self.events, self.held = events, list[Event]()

    def statuses(self) -> Generator[Event, None, Outcome]:
        while True:
            try:
                event = next(self.events)
            except StopIteration as stop:
                return stop.value
            if event.kind == "token":
                self.held.append(event)
            else:
                yield event

    def tokens(self) -> Generator[Event, None, Outcome]:
        yield from self.held
        return Outcome()


class _Drafts:
    """One answer's drafts passed on one after another (a compared question's parts, a whole question after
    them), a blank line between; the final answer replaces them all, as a single answer replaces its draft."""

    def __init__(self) -> None:
        self.shown = False

    def passed_on(self, events: Generator[Event, None, Outcome]) -> Generator[Event, None, Outcome]:
        first = True
        while True:
            try:
                event = next(events)
            except StopIteration as stop:
                return stop.value
            if event.kind == "token" and first:
                if self.shown:
                    yield Event("token", "\n\n")
                self.shown, first = True, False
            yield event


def _quiet(events: Generator[Event, None, Draft]) -> Generator[Event, None, Draft]:
    """A draft's status events passed on, its tokens not (the fallback's, written after the model's draft)."""
    while True:
        try:
            event = next(events)
        except StopIteration as stop:
            return stop.value
        if event.kind != "token":
            yield event


@dataclass
class Outcome:
    """One question's answer before it is the final Answer: text None means abstain (with notice, and
    abstain_text when it is not the usual abstention)."""
    text: str | None = None
    citations: list[Citation] = field(default_factory=list)
    notice: str | None = None
    abstain_text: str = ""


class ChatSession:
    """One conversation: its history and its own id; many sessions share one Engine."""

    def __init__(self, engine: Engine):
        self.engine = engine
        self.id = uuid.uuid4().hex
        self.history: list[conversation.Turn] = []

    def reset(self) -> None:
        self.history = []

    def ask_stream(self, question: str, top_k: int | None = None, doc_ids: list[str] | None = None,
                   extractive: bool = False) -> Iterator[Event]:
        for event in self.engine.answer_stream(question, self.history, top_k=top_k, doc_ids=doc_ids,
                                               extractive=extractive):
            if event.kind == "final":
                answer = event.answer
                assert answer is not None  # a final event always carries its answer (Reply._event)
                self.history.append(conversation.Turn(answer.question, answer.standalone_question, answer.text,
                                                      tuple(dict.fromkeys(c.doc_id for c in answer.citations)),
                                                      tuple(c.quote for c in answer.citations)))
                del self.history[:-self.engine.settings.history_turns]
                for listener in self.engine.listeners:
                    listener(answer)
            yield event

    def ask(self, question: str, top_k: int | None = None, doc_ids: list[str] | None = None,
            extractive: bool = False) -> Answer:
        answer = None
        for event in self.ask_stream(question, top_k=top_k, doc_ids=doc_ids, extractive=extractive):
            if event.kind == "final":
                answer = event.answer
        assert answer is not None  # answer_stream ends with a final event, or raises
        return answer
