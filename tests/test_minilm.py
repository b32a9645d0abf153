"""The numpy MiniLM gives sentence-transformers' vectors and word pieces, and a start needs no torch."""
import json
import os
import subprocess
import sys

import numpy as np
import pytest

from assistant.embedder import Embedder, get_embedder, model_path
from assistant.minilm import MAX_TOKENS, MiniLM

TEXTS = [
    "What is ISKP?",
    "How many plots were foiled in Germany since 2015?",
    "Land boundaries, border countries: China 91 km; Iran 921 km; Pakistan 2,670 km. " * 12,  # > 256 pieces
    "",
    "Malé, Dushanbe — Душанбе, دوشنبه; 日本",
    "a",
]


@pytest.fixture(scope="module")
def torch_model():
    from sentence_transformers import SentenceTransformer

    model = SentenceTransformer(model_path(), device="cpu")
    model.max_seq_length = MAX_TOKENS
    return model


def test_vectors_match_sentence_transformers(torch_model):
    ours = MiniLM(model_path()).encode(TEXTS, batch_size=4)
    theirs = torch_model.encode(TEXTS, normalize_embeddings=True, convert_to_numpy=True)
    assert ours.dtype == np.float32 and ours.shape == (len(TEXTS), 384)
    np.testing.assert_allclose(ours, theirs, atol=1e-5)
    np.testing.assert_allclose(np.linalg.norm(ours, axis=1), 1.0, atol=1e-5)


def test_word_pieces_and_counts_match_the_models_tokenizer(torch_model):
    embedder = get_embedder()
    for text in TEXTS:
        assert embedder.count_tokens(text) == len(torch_model.tokenizer(text, truncation=False)["input_ids"])
        assert embedder.word_pieces(text) == torch_model.tokenizer.tokenize(text)


def test_bulk_batches_take_the_torch_path_with_the_same_vectors():
    embedder = get_embedder()
    texts = [f"Sentence {i} about the border of Tajikistan and its {i % 7} crossings." for i in range(embedder.TORCH_FROM)]
    bulk = embedder.embed(texts, bulk=True)
    assert embedder._torch_model is not None
    np.testing.assert_allclose(bulk[:40], embedder.embed(texts[:40]), atol=1e-5)


def test_small_bulk_work_stays_in_numpy_and_large_work_loads_sentence_transformers_first():
    """One changed file (a few dozen chunks) is embedded without seconds of imports; an ingest's batches of 64
    go through sentence-transformers when the whole work is large."""
    embedder = Embedder()
    embedder.expect(embedder.TORCH_FROM - 1)
    texts = [f"Chunk {i} of a changed profile: the border with Tajikistan." for i in range(64)]
    small = embedder.embed(texts, bulk=True)
    assert embedder._torch_model is None
    embedder.expect(embedder.TORCH_FROM)
    assert embedder._torch_model is not None
    np.testing.assert_allclose(embedder.embed(texts, bulk=True), small, atol=1e-5)


def test_starting_and_answering_imports_no_torch(extractive_engine, shared_settings):  # index built already
    script = (
        "import sys, json\n"
        "from assistant.engine import Engine\n"
        "from assistant.settings import Settings\n"
        "engine = Engine(Settings.load(backend='extractive'))\n"
        "engine.ensure_index()\n"
        "answer = engine.ask('How many ISKP plots has foreign law enforcement interdicted?')\n"
        "print(json.dumps({'torch': 'torch' in sys.modules, 'answered': bool(answer.citations)}))\n"
    )
    env = dict(os.environ, ASSISTANT_CORPUS_DIR=str(shared_settings.corpus_dir),
               ASSISTANT_INDEX_DIR=str(shared_settings.index_dir))
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, env=env, timeout=300)
    assert done.returncode == 0, done.stderr[-2000:]
    result = json.loads(done.stdout.strip().splitlines()[-1])
    assert result == {"torch": False, "answered": True}


def test_once_torch_is_loaded_mid_size_batches_use_it_on_one_thread_with_the_same_vectors():
    import torch

    embedder = get_embedder()
    embedder.embed([f"warm {i}" for i in range(embedder.TORCH_FROM)], bulk=True)  # loads sentence-transformers
    texts = [f"The border crossing number {i} is near Torkham." for i in range(embedder.TORCH_LOADED_FROM)]
    threads = torch.get_num_threads()
    calls = []
    original = embedder._by_torch
    embedder._by_torch = lambda *a, **k: calls.append(k.get("threads")) or original(*a, **k)
    try:
        vectors = embedder.embed(texts)
    finally:
        del embedder._by_torch
    assert calls == [1] and torch.get_num_threads() == threads
    np.testing.assert_allclose(vectors, embedder.mini.encode(texts), atol=1e-5)


def test_numpy_batches_run_side_by_side_give_the_same_vectors(torch_model):
    texts = [f"Chunk {i}: the border of Tajikistan is {i * 37} km long, with {i % 5} crossings." * (1 + i % 4)
             for i in range(23)]
    one_at_a_time = MiniLM(model_path()).encode(texts, batch_size=32)
    side_by_side = MiniLM(model_path()).encode(texts, batch_size=4, workers=2)
    assert np.abs(one_at_a_time - side_by_side).max() < 1e-5
    assert np.abs(side_by_side - torch_model.encode(texts, normalize_embeddings=True)).max() < 1e-5
