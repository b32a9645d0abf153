"""The one API that the CLI, UI, eval and benchmarks share.

    engine = Engine(Settings.load())
    session = engine.session()
    answer = session.ask("How many ISKP plots were foiled in India?")
    for event in session.ask_stream("And in Iran?"): ...
"""
from __future__ import annotations

import bisect
import re
import shutil
import threading
import time
import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Iterator

from . import conflicts, conversation, keyfacts, validation
from .answer import ABSTAIN_TEXT, Answer, Event
from .backends import BackendError, PreparesPrefix, create_llm
from .backends.extractive import ExtractiveAnswerer, expected_answer_type
from .citations import strip_markers
from .corpus import DocMeta
from .embedder import get_embedder
from .grounding import ground
from .guard import for_prompt, redact
from .prompts import render
from .retrieval import HybridRetriever, Passage
from .settings import Settings
from .store import (Index, IndexCorrupt, IndexError_, IndexMissing, IndexStale, IngestReport, Ingestor,
                    release_chroma)
from .textutil import fold_digits
from .validation import QuestionError  # noqa: F401  (re-exported: callers import it from here)

SENTINEL = "NOT_IN_SOURCES"
_REFUSAL = re.compile(r"\b(?:do(?:es)? not (?:contain|mention|provide|include|say|specify|cover)|"
                      r"no (?:information|mention)|not (?:mentioned|provided|specified|stated|covered|found) in|"
                      r"not in (?:the )?(?:sources|passages|context))\b", re.I)


class Engine:
    def __init__(self, settings: Settings | None = None, llm=None, log: Callable[[str], None] = print):
        self.settings = settings or Settings.load()
        self.log = log
        self.embedder = get_embedder()
        self._index: Index | None = None
        self._state_signature = None
        self._retriever: HybridRetriever | None = None
        self._corpus: CorpusPrompt | None = None  # the whole corpus as the LLM's prompt, when it is small
        self._extractive: ExtractiveAnswerer | None = None
        self._lock = threading.RLock()
        self._ingest_lock = threading.Lock()  # one ingest at a time; answering does not wait for it
        self._llm_given = llm is not None
        self._llm = llm
        self._llm_ready = llm is not None
        self.notices: list[str] = []

    # ----- index -----
    def ingest(self, rebuild: bool = False, progress=None) -> IngestReport:
        """Builds a new generation while questions keep using the current one; the switch is atomic."""
        with self._ingest_lock:
            report = Ingestor(self.settings, self.embedder, progress=progress, log=self.log).run(rebuild=rebuild)
        with self._lock:
            self._index = None
        return report

    def ensure_index(self, progress=None) -> Index:
        """Open the committed index; build it when missing, rebuild it when damaged."""
        with self._lock:
            state_file = Path(self.settings.index_dir) / "state.json"
            if self._index is not None:
                if _signature(state_file) == self._state_signature:
                    return self._index  # state.json is replaced atomically by each ingest: a stat tells
                self._index = None
            try:
                self._open()
            except IndexMissing:
                self.log("No index yet: building it from the corpus...")
                release_chroma(self.settings)
                self.ingest(progress=progress)
                self._open()
            except IndexStale:  # stored copies that no longer match the corpus: the ingest re-indexes and names them
                self.ingest(progress=progress)
                self._open()
            except IndexCorrupt as exc:
                self.log(f"The index is damaged ({exc}); rebuilding it from the corpus...")
                release_chroma(self.settings)
                if not self.settings.chroma_url:
                    shutil.rmtree(self.settings.index_dir, ignore_errors=True)
                else:
                    state_file.unlink(missing_ok=True)
                self.ingest(rebuild=True, progress=progress)
                self._open()
            return self._index

    def _open(self) -> None:
        signature = _signature(Path(self.settings.index_dir) / "state.json")  # before reading: a later ingest shows
        try:
            index = Index(self.settings)
        except IndexError_:
            raise
        except Exception as exc:  # e.g. an unreadable Chroma database
            raise IndexCorrupt(f"{type(exc).__name__}: {exc}") from exc
        self._index = index
        self._state_signature = signature
        self._retriever = HybridRetriever(index, self.embedder, self.settings.candidates, self.settings.rrf_k)
        self._extractive = ExtractiveAnswerer(self.embedder, index.bm25.idf, names=self._retriever.names)
        passages = _corpus_passages(index, self._retriever.injected, self.settings.llm_corpus_chars)
        self._corpus = CorpusPrompt(passages, self._system(passages)) if passages else None

    @property
    def index(self) -> Index:
        return self.ensure_index()

    def documents(self) -> list[DocMeta]:
        index = self.ensure_index()
        return [index.doc_meta(d) for d in sorted(index.docs)]

    def document(self, doc_id: str) -> tuple[DocMeta, str] | None:
        index = self.ensure_index()
        meta, text = index.doc_meta(doc_id), index.doc_text(doc_id)
        return (meta, text) if meta is not None else None

    # ----- backend -----
    @property
    def llm(self):
        with self._lock:
            if not self._llm_ready:
                self._llm, notices = create_llm(self.settings, log=self.log)
                self.notices.extend(notices)
                self._llm_ready = True
            return self._llm

    @property
    def backend_name(self) -> str:
        return self.llm.name if self.llm is not None else "extractive"

    @property
    def model_name(self) -> str:
        return self.llm.model if self.llm is not None else ExtractiveAnswerer.model

    def set_backend(self, backend: str) -> None:
        with self._lock:
            self.settings = self.settings.replace(backend=backend)
            if not self._llm_given:
                self._llm, self._llm_ready, self.notices = None, False, []

    def session(self) -> "ChatSession":
        return ChatSession(self)

    def ask(self, question: str, **kwargs) -> Answer:
        return self.session().ask(question, **kwargs)

    # ----- the pipeline -----
    def validate(self, question) -> str:
        return validation.question(question, self.settings.max_question_chars)

    def condense(self, question: str, history: list[conversation.Turn]) -> tuple[str, str]:
        """(standalone question, method)."""
        if not conversation.is_followup(question, history):
            return question, "none"
        previous = history[-1].standalone
        rewrite = conversation.substitute(question, previous)
        if rewrite:
            return rewrite, "rule"
        llm = self.llm
        if llm is not None:
            turns = "\n".join(f"User: {t.standalone}\nAssistant: {t.answer[:300]}"
                              for t in history[-self.settings.history_turns:])
            messages = [
                {"role": "system", "content": render(self.settings.prompts_dir, "condense_system")},
                {"role": "user", "content": render(self.settings.prompts_dir, "condense_user",
                                                   history=for_prompt(turns), question=question)},
            ]
            try:
                text = "".join(llm.stream(messages, 80))
                rewrite = conversation.clean_llm_rewrite(text, question)
                if rewrite:
                    return rewrite, "llm"
            except BackendError as exc:
                self.log(f"condense failed: {exc}")
        return conversation.with_context(question, previous), "context"

    def answer_stream(self, question: str, history: list[conversation.Turn], top_k: int | None = None,
                      doc_ids: list[str] | None = None) -> Iterator[Event]:
        timings: dict[str, float] = {}
        started = time.perf_counter()
        question = self.validate(question)
        top_k = validation.top_k(top_k)
        index = self.ensure_index()
        doc_ids = validation.doc_ids(doc_ids, index.docs)
        llm = self.llm
        notices = list(self.notices)
        t = time.perf_counter()
        standalone, method = self.condense(question, history)
        timings["condense"] = (time.perf_counter() - t) * 1e3
        if method != "none":
            yield Event("status", f"Searching for: {standalone}")
        t = time.perf_counter()
        retrieval = self._retriever.retrieve(standalone, top_k or self.settings.top_k, doc_ids)
        timings["retrieve"] = (time.perf_counter() - t) * 1e3
        passages = retrieval.passages
        backend, model = (llm.name, llm.model) if llm else ("extractive", ExtractiveAnswerer.model)

        def final(text: str, citations, abstained: bool) -> Event:
            timings["total"] = (time.perf_counter() - started) * 1e3
            return Event("final", answer=Answer(
                question=question, standalone_question=standalone, text=text, abstained=abstained,
                citations=citations, passages=passages, backend=backend, model=model, notices=notices,
                timings_ms=timings))

        off_topic = retrieval.best_similarity < self.settings.min_relevance and retrieval.lexical_coverage < 0.5
        if not passages or off_topic:
            yield final(ABSTAIN_TEXT, [], True)
            return
        doc_texts = {p.doc_id: index.doc_text(p.doc_id) for p in passages}
        metas = {p.doc_id: index.doc_meta(p.doc_id) for p in passages}

        t = time.perf_counter()
        draft = None
        grounding = passages
        if llm is not None:
            try:
                draft, shown = "", 0
                messages, grounding = self._prompt(standalone, passages, doc_texts, metas, whole=doc_ids is None)
                if isinstance(llm, PreparesPrefix) and llm.will_prepare(messages[0]["content"]):
                    yield Event("status", "The model is reading the corpus (once after start-up, about 20 s)…")
                doc_texts.update({p.doc_id: index.doc_text(p.doc_id) for p in grounding if p.doc_id not in doc_texts})
                metas.update({p.doc_id: index.doc_meta(p.doc_id) for p in grounding if p.doc_id not in metas})
                for piece in self._generate(llm, messages, timings, t):
                    draft += piece
                    head = draft.lstrip()
                    if SENTINEL.startswith(head[:len(SENTINEL)]):
                        continue  # may be the abstention sentinel: hold it back
                    yield Event("token", draft[shown:])
                    shown = len(draft)
            except BackendError as exc:
                notices.append(f"{str(exc).rstrip('.')}. Showing an extractive answer instead.")
                backend, model = "extractive", ExtractiveAnswerer.model
                llm, grounding = None, passages
        if llm is None:
            draft = self._extractive.draft(standalone, passages, doc_texts, metas)
            if draft:
                yield Event("token", draft)
        timings["generate"] = (time.perf_counter() - t) * 1e3

        if not draft or SENTINEL in draft or (draft and _REFUSAL.search(draft) and "[" not in draft):
            yield final(ABSTAIN_TEXT, [], True)
            return
        t = time.perf_counter()
        text, citations = ground(draft.replace(SENTINEL, ""), grounding, doc_texts, metas, index.page_at)
        timings["verify"] = (time.perf_counter() - t) * 1e3
        if not citations:
            notices.append("The drafted answer could not be matched to any source passage, so it is not shown.")
            yield final(ABSTAIN_TEXT, [], True)
            return
        unaddressed = _unaddressed_names(standalone, grounding, index)
        if unaddressed:
            notices.append(f"The passages found do not mention {', '.join(unaddressed)}, so no answer is shown.")
            yield final(ABSTAIN_TEXT, [], True)
            return
        if llm is not None and not _answers_the_kind_asked(standalone, text, citations):
            notices.append("The drafted answer did not give the kind of answer asked for (a number, a date or a "
                           "name) as stated in its sources, so it is not shown.")
            yield final(ABSTAIN_TEXT, [], True)
            return
        all_texts = {**doc_texts, **{p.doc_id: index.doc_text(p.doc_id) for p in passages if p.doc_id not in doc_texts}}
        all_metas = {p.doc_id: index.doc_meta(p.doc_id) for p in passages}
        disagreement = conflicts.find(standalone, citations, passages, all_texts, all_metas, index.page_at)
        if disagreement is not None:
            notices.append(f"The sources give different values for the {disagreement.unit}s asked about; "
                           "both are shown.")
            text, citations = conflicts.reconcile(text, citations, disagreement)
        yield final(text, citations, False)

    def _prompt(self, question: str, passages: list[Passage], doc_texts, metas,
                whole: bool) -> tuple[list[dict], list[Passage]]:
        """Chat messages for the LLM, and the numbered passages its [n] markers refer to.

        A corpus small enough (llm_corpus_chars) goes whole into the system message, the same for every
        question, so the local model keeps it in its KV cache and reads only the question and the key
        sentences each time; a larger corpus (or a document filter) sends the retrieved passages instead."""
        prompts = self.settings.prompts_dir
        if whole and self._corpus:
            evidence = self._extractive.evidence(question, passages, doc_texts, metas, number=self._corpus.number)
            user = render(prompts, "answer_user_corpus", question=for_prompt(question),
                          evidence="\n".join(evidence) or "(none)")
            return [{"role": "system", "content": self._corpus.system}, {"role": "user", "content": user}], \
                self._corpus.passages
        passages = _within_budget(passages, self.settings.llm_context_chars)
        evidence = self._extractive.evidence(question, passages, doc_texts, metas)
        user = render(prompts, "answer_user", context=self._context(passages), question=for_prompt(question),
                      evidence="\n".join(evidence) or "(none)")
        return [{"role": "system", "content": self._system()}, {"role": "user", "content": user}], passages

    def _system(self, corpus: list[Passage] | None = None) -> str:
        """The rules, and with a corpus, every passage of it after them."""
        rules = render(self.settings.prompts_dir, "answer_system")
        if not corpus:
            return rules
        return rules + "\n\n" + render(self.settings.prompts_dir, "answer_corpus", context=self._context(corpus))

    def _context(self, passages: list[Passage]) -> str:
        blocks, seen_docs = [], set()
        for p in passages:
            heading = _heading(p, self._index.doc_meta(p.doc_id), byline=p.doc_id not in seen_docs)
            blocks.append(f"[{p.n}] {heading}\n{for_prompt(redact(p.text))}")
            seen_docs.add(p.doc_id)
        return "\n\n".join(blocks)

    def warm_up(self) -> float:
        """Loads the LLM and reads the corpus prompt into its cache now, not on the first question; seconds."""
        started = time.perf_counter()
        self.ensure_index()
        llm = self.llm
        if isinstance(llm, PreparesPrefix) and self._corpus:
            try:
                llm.prefill(self._corpus.system)
            except Exception as exc:  # the first question then reads the corpus itself, or reports the fault
                self.log(f"could not prepare the model's corpus cache: {exc}")
        return time.perf_counter() - started

    def _generate(self, llm, messages: list[dict], timings: dict, t0: float) -> Iterator[str]:
        first = True
        for piece in llm.stream(messages, self.settings.max_tokens):
            if first:
                timings["first_token"] = (time.perf_counter() - t0) * 1e3
                first = False
            yield piece


@dataclass
class CorpusPrompt:
    """A small corpus whole, as numbered passages in document order, and the fixed system message holding them."""
    passages: list[Passage]
    system: str

    def __post_init__(self):
        self._starts = [(p.doc_id, p.start) for p in self.passages]  # sorted: passages are in document order

    def number(self, passage: Passage, start: int) -> int:
        """The [n] of the corpus passage holding the text at start of passage's document."""
        i = bisect.bisect_right(self._starts, (passage.doc_id, start)) - 1
        return self.passages[i].n if i >= 0 and self._starts[i][0] == passage.doc_id else passage.n


def _corpus_passages(index: Index, excluded: set[int], budget: int) -> list[Passage] | None:
    """Every chunk as a numbered passage, in document order, when the corpus fits the budget; else None."""
    kept = [(i, chunk) for i, chunk in enumerate(index.chunks) if i not in excluded]
    if not kept or budget <= 0 or sum(len(chunk.text) for _, chunk in kept) > budget:
        return None
    passages = []
    for n, (_, chunk) in enumerate(sorted(kept, key=lambda item: (item[1].doc_id, item[1].start)), start=1):
        text = index.doc_text(chunk.doc_id) or ""
        passages.append(Passage(doc_id=chunk.doc_id, title=chunk.title, section=chunk.section, page=chunk.page,
                                start=chunk.start, end=chunk.end, text=text[chunk.start:chunk.end] or chunk.text,
                                chunk_ids=[chunk.chunk_id], score=0.0, similarity=0.0, n=n))
    return passages


def _unaddressed_names(question: str, passages: list[Passage], index: Index) -> list[str]:
    """Names the question asks about that no retrieved passage, nor its document's title, section or authors,
    mentions: whatever is answered then is about something else ("plots in France" from other countries' plots)."""
    evidence = []
    for p in passages:
        meta = index.doc_meta(p.doc_id)
        evidence += [p.text, p.title, p.section or ""] + (list(meta.authors) if meta else [])
    text = "\n".join(evidence)
    return [name for name in sorted(keyfacts.names(question))
            if not _DESCRIBES.search(name) and not keyfacts.mentions(name, text)]


_DESCRIBES = re.compile(r"(?:ian|ean|can|ese)$")  # "Central Asian", "North African": a description, not a name


def _answers_the_kind_asked(question: str, text: str, citations) -> bool:
    """An LLM's answer to "how many" states a number, to "when" a date, to "who" a name, and a quote it cites
    states one too (the extractive backend only ever picks such sentences)."""
    required = expected_answer_type(question)
    if required is None:
        return True
    return bool(required.search(fold_digits(strip_markers(text)))) and any(required.search(fold_digits(c.quote))
                                                                           for c in citations)


def _signature(path: Path):
    try:
        stat = path.stat()
    except OSError:
        return None
    return stat.st_ino, stat.st_mtime_ns, stat.st_size


def _within_budget(passages: list[Passage], budget: int) -> list[Passage]:
    """The best-ranked passages that fit the LLM context budget (always at least one)."""
    kept, used = [], 0
    for passage in passages:
        if kept and used + len(passage.text) > budget:
            continue
        kept.append(passage)
        used += len(passage.text)
    return kept


def _heading(passage: Passage, meta, byline: bool = True) -> str:
    """Title, then authors and date (on a document's first passage only: prompt tokens are the local model's
    time to first token), section and page."""
    parts = [passage.title]
    if byline and meta is not None and meta.authors:
        parts.append("by " + ", ".join(meta.authors))
    if byline and meta is not None and meta.date:
        parts.append(meta.date)
    if passage.section and passage.section != passage.title:
        parts.append(passage.section)
    if passage.page:
        parts.append(f"p. {passage.page}")
    return "(" + "; ".join(for_prompt(x) for x in parts) + ")"


class ChatSession:
    """One conversation: its history and its own id; many sessions share one Engine."""

    def __init__(self, engine: Engine):
        self.engine = engine
        self.id = uuid.uuid4().hex
        self.history: list[conversation.Turn] = []

    def reset(self) -> None:
        self.history = []

    def ask_stream(self, question: str, top_k: int | None = None, doc_ids: list[str] | None = None) -> Iterator[Event]:
        for event in self.engine.answer_stream(question, self.history, top_k=top_k, doc_ids=doc_ids):
            if event.kind == "final":
                answer = event.answer
                self.history.append(conversation.Turn(answer.question, answer.standalone_question, answer.text))
                del self.history[:-self.engine.settings.history_turns]
            yield event

    def ask(self, question: str, top_k: int | None = None, doc_ids: list[str] | None = None) -> Answer:
        answer = None
        for event in self.ask_stream(question, top_k=top_k, doc_ids=doc_ids):
            if event.kind == "final":
                answer = event.answer
        return answer
