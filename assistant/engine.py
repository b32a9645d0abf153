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
import threading
import time
import uuid
from collections.abc import Callable, Iterator

from . import conversation, validation
from .answer import Answer, Event
from .backend_selector import BackendSelector
from .backends import Backend, ExtractiveBackend, PreparesPrefix, StreamsChat
from .corpus import DocMeta
from .embedder import get_embedder
from .index_manager import IndexManager
from .pipeline import check, condense, gate, generate, ground, prompt, reconcile, retrieve, timed, validate
from .pipeline.generate import SENTINEL  # noqa: F401  (re-exported)
from .pipeline.prompt import CorpusPrompt  # noqa: F401  (re-exported)
from .pipeline.reply import Reply
from .prompts import render
from .settings import Settings
from .store import Index, IngestReport
from .validation import QuestionError  # noqa: F401  (re-exported: callers import it from here)

logger = logging.getLogger(__name__)


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
        """Loads the LLM and puts its fixed system prompts (condense rules, answer rules, a small corpus whole) in
        its cache now, from saved states where it can, not on the first question; seconds."""
        started = time.perf_counter()
        opened = self._indexes.current()
        backend = self.backend
        if isinstance(backend, PreparesPrefix):
            prompts_dir = self.settings.prompts_dir
            systems = [render(prompts_dir, "condense_system"), prompt.system(prompts_dir, opened.index.doc_meta)]
            if opened.corpus:
                systems.append(opened.corpus.system)
            for system in systems:
                try:
                    backend.prefill(system)
                except Exception as exc:  # the first question then reads it itself, or reports the fault
                    logger.warning("could not prepare the model's prompt cache: %s", exc)
                    break
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
        result = condense.run(question, history, ExtractiveBackend() if extractive else self.backend,
                              prompts_dir=self.settings.prompts_dir, history_turns=self.settings.history_turns)
        return result.standalone, result.method

    def answer_stream(self, question: str, history: list[conversation.Turn], top_k: int | None = None,
                      doc_ids: list[str] | None = None, extractive: bool = False) -> Iterator[Event]:
        """Events: status (text), token (text), then one final (answer). extractive: answer without the LLM."""
        timings: dict[str, float] = {}
        started, settings = time.perf_counter(), self.settings
        request = validate.run(question, top_k, doc_ids, max_chars=settings.max_question_chars,
                               open_index=self._indexes.current)
        opened, backend = request.opened, ExtractiveBackend() if extractive else self.backend
        notices = [] if extractive else list(self.notices)
        with timed(timings, "condense"):
            standalone, method = self.condense(request.question, history, extractive)
        if method != "none":
            yield Event("status", f"Searching for: {standalone}")
        with timed(timings, "retrieve"):
            found = retrieve.run(opened.retriever, standalone, request.top_k or settings.top_k, request.doc_ids)
        reply = Reply(request.question, standalone, found.passages, backend.name, backend.model, notices, timings,
                      started)
        gated = gate.run(found, settings.min_relevance)
        logger.debug("retrieved %d passages for %r (%s); best similarity %.2f, lexical coverage %.2f%s",
                     len(found.passages), standalone, method, found.best_similarity, found.lexical_coverage,
                     f"; abstaining: {gated.reason}" if gated.abstain else "")
        if gated.abstain:
            yield reply.abstain()
            return
        unreadable = gate.english_only(request.question, by_llm=isinstance(backend, StreamsChat))
        if unreadable:
            yield reply.abstain(text=unreadable)
            return
        with timed(timings, "generate") as t0:
            draft = yield from generate.run(backend, standalone, found.passages, opened, settings,
                                            whole=request.doc_ids is None, timings=timings, started=t0)
        reply.backend, reply.model, reply.prompt = draft.backend, draft.model, draft.prompt
        notices += draft.notices
        if draft.text is None or ground.declines(draft.text):  # declines() is True for None too
            yield reply.abstain(check.unmentioned(standalone, draft.grounding, draft.metas))
            return
        with timed(timings, "verify"):
            grounded = ground.run(draft.text, draft.grounding, draft.doc_texts, draft.metas, opened.index.page_at)
        refusal = grounded.notice or check.run(standalone, grounded.text, grounded.citations, draft.grounding,
                                               draft.metas, kind_asked=draft.by_llm).notice
        if refusal:
            yield reply.abstain(refusal)
            return
        result = reconcile.run(standalone, grounded.text, grounded.citations, found.passages, draft.doc_texts,
                               opened.index)
        yield reply.final(result.text, result.citations, result.notice)


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
                self.history.append(conversation.Turn(answer.question, answer.standalone_question, answer.text))
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
