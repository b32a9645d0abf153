"""The index's life-cycle: open the committed generation, build it when missing, rebuild it when damaged, re-index
stale copies, and notice (by a stat of state.json) when an ingest has committed a newer generation."""
from __future__ import annotations

import logging
import shutil
import threading
from dataclasses import dataclass, field
from pathlib import Path

from . import acronyms
from .backends.extractive import ExtractiveAnswerer
from .pipeline.prompt import CorpusPrompt, corpus_prompt
from .retrieval import HybridRetriever
from .settings import Settings
from .store import Index, IndexCorrupt, IndexError_, IndexMissing, IndexStale, Ingestor, IngestReport, release_chroma

logger = logging.getLogger(__name__)
SAVE_EVERY_BATCHES = 100
SENTENCE_VECTORS = "sentence-vectors.npz"  # beside state.json: any generation's sentences (a vector is the text's)


@dataclass
class OpenIndex:
    """One opened generation and what answering needs from it."""
    index: Index
    retriever: HybridRetriever
    extractive: ExtractiveAnswerer
    corpus: CorpusPrompt | None  # the whole corpus as the LLM's prompt, when it is small
    _glossary: list[tuple[str, str]] | None = field(default=None, repr=False)

    def glossary(self) -> list[tuple[str, str]]:
        """The acronyms the documents spell out, the most used first (read once, when first asked for)."""
        if self._glossary is None:
            self._glossary = acronyms.glossary([text for _, text in self.index.docs.values()])
        return self._glossary


class IndexManager:
    def __init__(self, settings: Settings, embedder):
        self.settings, self.embedder = settings, embedder
        self.opened: OpenIndex | None = None  # the last generation opened (kept after an ingest until reopened)
        self._current = False
        self._signature = None
        self._lock = threading.RLock()
        self._ingest_lock = threading.Lock()  # one ingest at a time; answering does not wait for it
        self._vectors_loaded = False

    def ingest(self, rebuild: bool = False, progress=None) -> IngestReport:
        """Builds a new generation while questions keep using the current one; the switch is atomic."""
        with self._ingest_lock:
            report = Ingestor(self.settings, self.embedder, progress=progress).run(rebuild=rebuild)
        with self._lock:
            self._current = False
        return report

    def current(self, progress=None) -> OpenIndex:
        """The committed generation, opened; built when missing, rebuilt when damaged."""
        with self._lock:
            state_file = Path(self.settings.index_dir) / "state.json"
            if self._current and signature(state_file) == self._signature:
                assert self.opened is not None  # _open() sets _current and opened together
                return self.opened  # state.json is replaced atomically by each ingest: a stat tells
            self._current = False
            try:
                self._open_settled()
            except IndexMissing:
                logger.info("No index yet: building it from the corpus...")
                release_chroma(self.settings)
                self.ingest(progress=progress)
                self._open()
            except IndexStale:  # stored copies that no longer match the corpus: the ingest re-indexes and names them
                self.ingest(progress=progress)
                self._open()
            except IndexCorrupt as exc:
                logger.warning("The index is damaged (%s); rebuilding it from the corpus...", exc)
                release_chroma(self.settings)
                if not self.settings.chroma_url:
                    shutil.rmtree(self.settings.index_dir, ignore_errors=True)
                else:
                    state_file.unlink(missing_ok=True)
                self.ingest(rebuild=True, progress=progress)
                self._open()
            assert self.opened is not None  # _open() returned, so it set opened
            return self.opened

    def _open_settled(self) -> None:
        """_open(), tried again when another process committed a generation meanwhile (its clean-up may have removed
        what this one was reading): only damage that stays put counts as damage."""
        for _ in range(3):
            stamp = signature(Path(self.settings.index_dir) / "state.json")
            try:
                return self._open()
            except IndexCorrupt:
                if signature(Path(self.settings.index_dir) / "state.json") == stamp:
                    raise
                logger.debug("a new generation was committed while opening; opening it")
        self._open()

    def _open(self) -> None:
        stamp = signature(Path(self.settings.index_dir) / "state.json")  # before reading: a later ingest shows
        try:
            index = Index(self.settings)
        except IndexError_:
            raise
        except Exception as exc:  # e.g. an unreadable Chroma database
            raise IndexCorrupt(f"{type(exc).__name__}: {exc}") from exc
        retriever = HybridRetriever(index, self.embedder, self.settings.candidates, self.settings.rrf_k)
        extractive = ExtractiveAnswerer(self.embedder, index.bm25.idf, names=retriever.names)
        self._load_sentence_vectors()
        corpus = corpus_prompt(index, retriever.injected, self.settings.llm_corpus_chars, self.settings.prompts_dir)
        self.opened, self._signature, self._current = OpenIndex(index, retriever, extractive, corpus), stamp, True
        logger.debug("opened index generation %s: %d documents%s", index.generation, len(index.docs),
                     "; the whole corpus fits the LLM's prompt" if corpus else "")

    @property
    def sentence_vectors_path(self) -> Path:
        return Path(self.settings.index_dir) / SENTENCE_VECTORS

    def _load_sentence_vectors(self) -> None:
        cache = getattr(self.embedder, "cache", None)
        if cache is None or self._vectors_loaded:
            return
        self._vectors_loaded = True
        loaded = cache.load(self.sentence_vectors_path)
        if loaded:
            logger.debug("restored %d sentence vectors", loaded)

    def fill_sentence_vectors(self, batch: int = 64) -> int:
        """Embeds the open index's sentences not yet embedded (a small batch at a time, so a question waits for at
        most one) and saves them beside the index; skipped above sentence_vectors_max sentences. How many."""
        cache = getattr(self.embedder, "cache", None)
        opened = self.current()
        texts = opened.extractive.sentence_texts(opened.index)
        if cache is None or len(texts) > self.settings.sentence_vectors_max:
            return 0
        missing = cache.missing(texts)
        self.embedder.expect(len(missing))
        for i in range(0, len(missing), batch):
            cache.embed(missing[i:i + batch], lambda part: self.embedder.embed(part, bulk=True))
            if (i // batch + 1) % SAVE_EVERY_BATCHES == 0:  # a large corpus takes minutes: a restart keeps the work
                cache.save(self.sentence_vectors_path, keep=texts)
        if missing or not self.sentence_vectors_path.exists():
            cache.save(self.sentence_vectors_path, keep=texts)
            logger.debug("embedded %d sentences of %d; saved", len(missing), len(texts))
        return len(missing)


def signature(path: Path):
    try:
        stat = path.stat()
    except OSError:
        return None
    return stat.st_ino, stat.st_mtime_ns, stat.st_size
