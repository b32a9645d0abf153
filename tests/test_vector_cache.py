"""Sentence vectors embedded once: the cache gives the embedder's own vectors, saves and restores them, refuses a
damaged file, and after a fill choosing a question's sentences embeds nothing but the question."""
import numpy as np
import pytest

from assistant.embedder import get_embedder
from assistant.index_manager import SENTENCE_VECTORS, IndexManager
from assistant.vector_cache import VectorCache

from fixtures.corpus import REPORT_ONLY, copy_corpus


class Counted:
    """The real embedder, counting the texts it is asked to embed."""

    def __init__(self, embedder):
        self.embedder, self.texts = embedder, []
        self.name, self.dim, self.cache = embedder.name, embedder.dim, VectorCache(embedder.dim)

    def __getattr__(self, name):  # count_tokens and the rest, as the real embedder has them
        return getattr(self.embedder, name)

    def embed(self, texts, bulk=False):
        self.texts += texts
        return self.embedder.embed(texts, bulk=bulk)

    def embed_cached(self, texts):
        return self.cache.embed(texts, self.embed)


def test_cached_vectors_are_the_embedders_and_each_text_is_embedded_once():
    embedder = Counted(get_embedder())
    texts = ["Kabul is the capital.", "ISKP was founded in 2015.", "Kabul is the capital."]
    first = embedder.embed_cached(texts)
    assert embedder.texts == ["Kabul is the capital.", "ISKP was founded in 2015."]
    np.testing.assert_allclose(first, get_embedder().embed(texts), atol=1e-5)
    again = embedder.embed_cached(["ISKP was founded in 2015.", "A new sentence here."])
    assert embedder.texts[2:] == ["A new sentence here."]
    np.testing.assert_allclose(again[0], first[1], atol=0)


def test_saved_vectors_restore_and_keep_prunes(tmp_path):
    embedder = get_embedder()
    cache = VectorCache(embedder.dim)
    cache.embed(["one sentence here", "another sentence here"], embedder.embed)
    assert cache.save(tmp_path / "v.npz", keep=["another sentence here"]) == 1
    restored = VectorCache(embedder.dim)
    assert restored.load(tmp_path / "v.npz") == 1
    assert restored.missing(["one sentence here", "another sentence here"]) == ["one sentence here"]
    np.testing.assert_allclose(restored.embed(["another sentence here"], embedder.embed),
                               cache.embed(["another sentence here"], embedder.embed), atol=0)


@pytest.mark.parametrize("damage", ["truncated", "not unit vectors", "another dimension", "garbage"])
def test_a_damaged_or_foreign_file_adds_nothing(tmp_path, damage, logged):
    path = tmp_path / "v.npz"
    cache = VectorCache(4)
    cache.embed(["a sentence"], lambda texts: np.array([[1.0, 0, 0, 0]] * len(texts), dtype=np.float32))
    cache.save(path)
    if damage == "truncated":
        path.write_bytes(path.read_bytes()[:40])
    elif damage == "not unit vectors":
        np.savez(open(path, "wb"), keys=np.zeros((1, 16), np.uint8), vectors=np.full((1, 4), 3.0, np.float32),
                 dim=np.array([4]))
    elif damage == "another dimension":
        cache = VectorCache(4)
        other = VectorCache(2)
        other.embed(["x"], lambda texts: np.array([[1.0, 0]], dtype=np.float32))
        other.save(path)
    else:
        path.write_bytes(b"not a numpy file at all")
    fresh = VectorCache(4)
    assert fresh.load(path) == 0 and len(fresh) == 0
    assert any("ignoring saved sentence vectors" in m for m in logged)


def test_after_a_fill_a_question_embeds_only_itself_and_a_restart_restores(tmp_path):
    settings_kw = dict(corpus_dir=copy_corpus(tmp_path / "corpus", REPORT_ONLY), index_dir=tmp_path / "index",
                       backend="extractive")
    from assistant.settings import Settings

    settings = Settings.load(**settings_kw)
    embedder = Counted(get_embedder())
    manager = IndexManager(settings, embedder)
    opened = manager.current()
    filled = manager.fill_sentence_vectors()
    assert filled == len(opened.extractive.sentence_texts(opened.index)) > 20
    assert (tmp_path / "index" / SENTENCE_VECTORS).exists()
    assert manager.fill_sentence_vectors() == 0  # nothing left to embed

    restarted = Counted(get_embedder())
    manager = IndexManager(settings, restarted)
    opened = manager.current()
    assert len(restarted.cache) == filled and restarted.texts == []
    question = "When did ISKP attack the Kabul airport?"
    passages = opened.retriever.retrieve(question, 5).passages
    restarted.texts.clear()
    doc_texts = {p.doc_id: opened.index.doc_text(p.doc_id) for p in passages}
    metas = {p.doc_id: opened.index.doc_meta(p.doc_id) for p in passages}
    scored = opened.extractive.score_sentences(question, passages, doc_texts, metas, typed=False)
    assert scored and restarted.texts == [question]
