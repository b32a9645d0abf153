"""Saved llama.cpp KV states of fixed system prompts (the answer rules, the condense rules, a small corpus whole).

Restoring one costs milliseconds where reading the prompt again costs a second per ~100 tokens on 2 cores. States
are kept in memory (a few, least recently used dropped) and on disk, keyed by model, context size, llama.cpp version
and prompt text, so a restart restores them instead of recomputing. Only the KV state and the prompt's tokens are
kept, not llama-cpp-python's logits buffer (hundreds of MB, and not needed: a question always follows)."""
from __future__ import annotations

import ctypes
import hashlib
import logging
import os
import struct
from collections import OrderedDict
from dataclasses import dataclass
from pathlib import Path

import numpy as np

logger = logging.getLogger(__name__)

MAGIC = b"ISKP-KV1"
MEMORY_SLOTS = 6
DISK_SLOTS = 16  # the most recently written states kept on disk


@dataclass(frozen=True)
class Snapshot:
    tokens: tuple[int, ...]
    state: bytes


class PrefixCache:
    def __init__(self, llm, folder: Path | None, identity: str):
        """llm: a llama_cpp.Llama; folder: where states persist (None: memory only); identity: the model file and
        the settings that shape its KV cache."""
        self.llm = llm
        self.folder = folder
        self.identity = identity
        self._memory: OrderedDict[str, Snapshot] = OrderedDict()

    def key(self, prompt: str) -> str:
        import llama_cpp

        text = f"{self.identity}|{llama_cpp.__version__}|{prompt}"
        return hashlib.sha256(text.encode()).hexdigest()[:40]

    def has(self, prompt: str) -> bool:
        key = self.key(prompt)
        return key in self._memory or (self.folder is not None and (self.folder / f"{key}.kv").is_file())

    def ensure(self, prompt: str, tokens: list[int]) -> str:
        """Put the KV state of tokens (prompt's) in the model: already there, restored, or read and saved.
        Returns how: 'live', 'memory', 'disk' or 'read'."""
        n = len(tokens)
        if self.llm.n_tokens >= n and list(self.llm.input_ids[:n]) == tokens:
            return "live"
        key = self.key(prompt)
        snapshot = self._memory.get(key)
        how = "memory"
        if snapshot is None or snapshot.tokens != tuple(tokens):
            snapshot, how = self._load(key, tokens), "disk"
        if snapshot is not None and self._restore(snapshot):
            self._remember(key, snapshot)
            return how
        self.llm.reset()
        self.llm.eval(tokens)
        snapshot = Snapshot(tuple(tokens), self._state_bytes())
        self._remember(key, snapshot)
        self._save(key, snapshot)
        return "read"

    def _remember(self, key: str, snapshot: Snapshot) -> None:
        self._memory[key] = snapshot
        self._memory.move_to_end(key)
        while len(self._memory) > MEMORY_SLOTS:
            self._memory.popitem(last=False)

    def _state_bytes(self) -> bytes:
        import llama_cpp

        ctx = self.llm.ctx
        size = llama_cpp.llama_state_get_size(ctx)
        buffer = (ctypes.c_uint8 * int(size))()
        written = llama_cpp.llama_state_get_data(ctx, buffer, size)
        return ctypes.string_at(buffer, int(written))  # one copy of what was written, not of the whole buffer

    def _restore(self, snapshot: Snapshot) -> bool:
        import llama_cpp

        buffer = (ctypes.c_uint8 * len(snapshot.state)).from_buffer_copy(snapshot.state)
        if llama_cpp.llama_state_set_data(self.llm.ctx, buffer, len(snapshot.state)) != len(snapshot.state):
            logger.warning("a saved model state did not load; reading the prompt again")
            self.llm.reset()
            return False
        n = len(snapshot.tokens)
        self.llm.input_ids[:n] = np.asarray(snapshot.tokens, dtype=np.intc)
        self.llm.n_tokens = n
        self.llm._requires_eval = True  # the logits are not restored: a suffix is always decoded after the prefix
        return True

    def _path(self, key: str) -> Path | None:
        return self.folder / f"{key}.kv" if self.folder is not None else None

    def _load(self, key: str, tokens: list[int]) -> Snapshot | None:
        path = self._path(key)
        if path is None or not path.is_file():
            return None
        try:
            data = path.read_bytes()
            if data[:len(MAGIC)] != MAGIC:
                raise ValueError("not a saved model state")
            (n,) = struct.unpack_from("<I", data, len(MAGIC))
            start = len(MAGIC) + 4
            saved = tuple(np.frombuffer(data, dtype="<i4", count=n, offset=start).tolist())
            if saved != tuple(tokens):
                raise ValueError("its tokens differ from the prompt's")
            return Snapshot(saved, data[start + 4 * n:])
        except (OSError, ValueError, struct.error) as exc:
            logger.warning("ignoring the saved model state %s: %s", path.name, exc)
            return None

    def _save(self, key: str, snapshot: Snapshot) -> None:
        path = self._path(key)
        if path is None:
            return
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            tmp = path.with_suffix(f".{os.getpid()}.partial")
            with open(tmp, "wb") as out:
                out.write(MAGIC + struct.pack("<I", len(snapshot.tokens)))
                out.write(np.asarray(snapshot.tokens, dtype="<i4").tobytes())
                out.write(snapshot.state)
            os.replace(tmp, path)
            saved = sorted(path.parent.glob("*.kv"), key=lambda p: p.stat().st_mtime_ns, reverse=True)
            for old in saved[DISK_SLOTS:]:
                old.unlink(missing_ok=True)
        except OSError as exc:  # a read-only cache folder costs speed, not answers
            logger.warning("could not save the model state to %s: %s", path, exc)
