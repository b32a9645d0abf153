"""The packaged all-MiniLM-L6-v2 in numpy: the same vectors as sentence-transformers (mean of the last layer's
token states, unit length) without importing torch, transformers and scikit-learn, which take ~4.5 s of a 2-core
machine's start. Used for questions and short batches; a bulk ingest goes through sentence-transformers."""
from __future__ import annotations

import json
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import numpy as np

MAX_TOKENS = 256  # sentence-transformers' max_seq_length for this model
_NEG = np.float32(-1e9)
# Abramowitz and Stegun 7.1.26: erf within 1.5e-7, for BERT's exact (erf) GELU
_P = np.float32(0.3275911)
_A = [np.float32(a) for a in (1.061405429, -1.453152027, 1.421413741, -0.284496736, 0.254829592)]


class MiniLM:
    def __init__(self, model_dir: str | Path):
        from safetensors.numpy import load_file
        from tokenizers import Tokenizer

        model_dir = Path(model_dir)
        config = json.loads((model_dir / "config.json").read_text())
        self.heads = int(config["num_attention_heads"])
        self.layers = int(config["num_hidden_layers"])
        self.eps = float(config["layer_norm_eps"])
        self.tokenizer = Tokenizer.from_file(str(model_dir / "tokenizer.json"))
        self.tokenizer.no_padding()
        self.tokenizer.no_truncation()
        self.w = load_file(str(model_dir / "model.safetensors"))
        for i in range(self.layers):  # query, key and value as one product
            p = f"encoder.layer.{i}.attention.self."
            self.w[p + "qkv.weight"] = np.concatenate([self.w[p + n + ".weight"] for n in ("query", "key", "value")]).T
            self.w[p + "qkv.bias"] = np.concatenate([self.w[p + n + ".bias"] for n in ("query", "key", "value")])
            for name in ("attention.output.dense", "intermediate.dense", "output.dense"):
                key = f"encoder.layer.{i}.{name}.weight"
                self.w[key + ".T"] = np.ascontiguousarray(self.w[key].T)

    def ids(self, text: str, special: bool = True) -> list[int]:
        return self.tokenizer.encode(text, add_special_tokens=special).ids

    def pieces(self, text: str) -> list[str]:
        """Word pieces without [CLS]/[SEP]."""
        return self.tokenizer.encode(text, add_special_tokens=False).tokens

    def encode(self, texts: list[str], batch_size: int = 4, workers: int = 1) -> np.ndarray:
        """Unit vectors, float32, one row per text; texts of similar length are batched together. Small batches keep
        the element-wise passes (GELU, softmax) in cache; workers run batches side by side (numpy leaves the GIL
        in its loops), each best on one BLAS thread."""
        out = np.zeros((len(texts), self.w["embeddings.word_embeddings.weight"].shape[1]), dtype=np.float32)
        encoded = [self._truncated(e.ids) for e in self.tokenizer.encode_batch(texts)]
        order = sorted(range(len(texts)), key=lambda i: len(encoded[i]))
        batches = [order[b:b + batch_size] for b in range(0, len(order), batch_size)]

        def run(rows: list[int]) -> None:
            out[rows] = self._forward([encoded[i] for i in rows])

        if workers > 1 and len(batches) > 1:
            with ThreadPoolExecutor(min(workers, len(batches))) as pool:
                list(pool.map(run, batches))
        else:
            for rows in batches:
                run(rows)
        return out

    @staticmethod
    def _truncated(ids: list[int]) -> list[int]:
        return ids if len(ids) <= MAX_TOKENS else ids[:MAX_TOKENS - 1] + ids[-1:]  # keep [SEP]

    def _forward(self, batch: list[list[int]]) -> np.ndarray:
        w, length = self.w, max(len(ids) for ids in batch)
        ids = np.zeros((len(batch), length), dtype=np.int64)
        mask = np.zeros((len(batch), length), dtype=np.float32)
        for row, seq in enumerate(batch):
            ids[row, :len(seq)] = seq
            mask[row, :len(seq)] = 1.0
        x = (w["embeddings.word_embeddings.weight"][ids] + w["embeddings.position_embeddings.weight"][:length]
             + w["embeddings.token_type_embeddings.weight"][0])
        x = self._norm(x, "embeddings.LayerNorm")
        bias = ((1.0 - mask) * _NEG)[:, None, None, :]
        n, d = x.shape[0], x.shape[2]
        size = d // self.heads
        for i in range(self.layers):
            p = f"encoder.layer.{i}."
            qkv = _dense(x, w[p + "attention.self.qkv.weight"], w[p + "attention.self.qkv.bias"])
            q, k, v = (qkv[..., j * d:(j + 1) * d].reshape(n, length, self.heads, size).transpose(0, 2, 1, 3)
                       for j in range(3))
            scores = q @ k.transpose(0, 1, 3, 2)  # softmax in place: the batch's largest arrays but one
            scores *= np.float32(1 / np.sqrt(size))
            scores += bias
            scores -= scores.max(-1, keepdims=True)
            np.exp(scores, out=scores)
            scores /= scores.sum(-1, keepdims=True)
            context = scores @ v
            context = context.transpose(0, 2, 1, 3).reshape(n, length, d)
            attended = _dense(context, w[p + "attention.output.dense.weight.T"], w[p + "attention.output.dense.bias"])
            x = self._norm(attended + x, p + "attention.output.LayerNorm")
            inner = _gelu(_dense(x, w[p + "intermediate.dense.weight.T"], w[p + "intermediate.dense.bias"]))
            x = self._norm(_dense(inner, w[p + "output.dense.weight.T"], w[p + "output.dense.bias"]) + x,
                           p + "output.LayerNorm")
        pooled = (x * mask[..., None]).sum(1) / np.maximum(mask.sum(1, keepdims=True), 1e-9)
        return pooled / np.maximum(np.linalg.norm(pooled, axis=1, keepdims=True), 1e-12)

    def _norm(self, x: np.ndarray, name: str) -> np.ndarray:
        mean = x.mean(-1, keepdims=True)
        var = ((x - mean) ** 2).mean(-1, keepdims=True)
        return (x - mean) / np.sqrt(var + np.float32(self.eps)) * self.w[name + ".weight"] + self.w[name + ".bias"]


def _dense(x: np.ndarray, weight: np.ndarray, bias: np.ndarray) -> np.ndarray:
    """x @ weight + bias as one matrix product over all the batch's tokens (one BLAS call, not one per text)."""
    return (x.reshape(-1, x.shape[-1]) @ weight + bias).reshape(*x.shape[:-1], weight.shape[1])


def _gelu(x: np.ndarray) -> np.ndarray:
    """0.5 x (1 + erf(x / sqrt 2)) = max(x, 0) - 0.5 |x| q, where erf(z) = 1 - q for z >= 0 (Abramowitz-Stegun
    7.1.26); computed in place, the arrays being the largest of the forward pass."""
    a = np.abs(x)
    z = a * np.float32(1 / np.sqrt(2.0))
    np.minimum(z, np.float32(6.0), out=z)  # erf(6) is 1 in float32; no denormals
    t = z * _P
    t += 1.0
    np.reciprocal(t, out=t)
    q = t * _A[0]
    for coefficient in _A[1:]:
        q += coefficient
        q *= t
    np.square(z, out=z)
    np.negative(z, out=z)
    np.exp(z, out=z)
    q *= z
    q *= a
    q *= np.float32(0.5)
    np.maximum(x, np.float32(0.0), out=a)
    a -= q
    return a
