"""Tamper-evident index: stored copies edited on disk are detected, named, never cited, and re-indexed; old
Chroma collections leave no folders behind. Real Chroma, real embedder, the real CLI."""
from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest

from assistant.engine import Engine
from assistant.store import (
    COLLECTION_PREFIX,
    Index,
    IndexStale,
    chroma_client,
    chunks_digest,
    copy_digest,
    load_generation,
    untrusted_copies,
)

from fixtures.logs import collected
from rb_support import PLOTS_Q, REPORT, REPORT_ID, assert_citations_verified, cli, settings_for

FILE = REPORT.name
TRUE, FALSE = "three in India", "seven in India"
DAMAGED = f"Index copy of '{REPORT_ID}' does not match corpus/{FILE} (edited or damaged); re-indexing it"
UUID_DIR = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")


def state(index: Path) -> dict:
    return json.loads((index / "state.json").read_text(encoding="utf-8"))


def gen_dir(index: Path) -> Path:
    return index / "gens" / state(index)["generation"]


def read_docs(index: Path) -> dict:
    return json.loads((gen_dir(index) / "docs.json").read_text(encoding="utf-8"))


def write_docs(index: Path, docs: dict) -> None:
    (gen_dir(index) / "docs.json").write_text(json.dumps(docs, ensure_ascii=False), encoding="utf-8")


def edit_doc(index: Path, change) -> None:
    docs = read_docs(index)
    change(docs[REPORT_ID])
    write_docs(index, docs)


def edit_chunks(index: Path, old: str, new: str) -> None:
    path = gen_dir(index) / "chunks.jsonl"
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new), encoding="utf-8")


def rehash_copy(entry: dict) -> None:
    entry["copy_sha256"] = copy_digest(entry)


def rehash_chunks(index: Path) -> None:
    chunks, _, _ = load_generation(gen_dir(index))
    edit_doc(index, lambda d: d.update(chunks_sha256=chunks_digest(c for c in chunks if c.doc_id == REPORT_ID)))


def segment_dirs(index: Path) -> list[str]:
    return sorted(p.name for p in (index / "chroma").iterdir() if p.is_dir() and UUID_DIR.match(p.name))


@pytest.fixture(scope="module")
def template(template_index):
    assert TRUE in read_docs(template_index[1])[REPORT_ID]["text"]
    return template_index


@pytest.fixture
def copied(template, tmp_path):
    corpus, index = template
    shutil.copytree(corpus, tmp_path / "corpus")
    shutil.copytree(index, tmp_path / "index")
    return tmp_path / "corpus", tmp_path / "index"


def assert_answers_from_the_corpus_file(engine: Engine) -> None:
    answer = engine.session().ask(PLOTS_Q)
    assert not answer.abstained and TRUE.lower() in answer.text.lower(), answer.text
    assert "seven in india" not in answer.text.lower()
    assert all("seven in India" not in c.quote for c in answer.citations)
    assert_citations_verified(answer, engine)  # every quote is in the corpus file on disk


def assert_repaired(corpus: Path, index: Path, old_generation: str) -> None:
    """A new generation whose copies all match the corpus, and which opens without complaint."""
    assert state(index)["generation"] != old_generation
    docs = read_docs(index)
    chunks, _, _ = load_generation(gen_dir(index))
    files = {rel: info["doc_id"] for rel, info in state(index)["files"].items()}
    assert untrusted_copies(docs, chunks, files, corpus) == []
    assert TRUE in docs[REPORT_ID]["text"] and FALSE not in docs[REPORT_ID]["text"]
    assert all(c.text == docs[c.doc_id]["text"][c.start:c.end] for c in chunks)
    assert Index(settings_for(corpus, index)).generation == state(index)["generation"]


# Each way of editing the stored copy on disk: all must be caught when the index is opened.
TAMPER = {
    "doc-text": lambda i: edit_doc(i, lambda d: d.update(text=d["text"].replace(TRUE, FALSE))),
    # the attacker also recomputes the copy's hash: its chunks no longer match its text
    "doc-text-rehashed": lambda i: edit_doc(i, lambda d: (d.update(text=d["text"].replace(TRUE, FALSE)),
                                                          rehash_copy(d))),
    "chunk-text": lambda i: edit_chunks(i, TRUE, FALSE),
    # and for chunks too: the chunk's text is no longer its span of the stored text
    "chunk-text-rehashed": lambda i: (edit_chunks(i, TRUE, FALSE), rehash_chunks(i)),
    "chunk-section": lambda i: edit_chunks(i, '"section": "', '"section": "Verified by the UN: '),
    "copy-hash-removed": lambda i: edit_doc(i, lambda d: d.pop("copy_sha256")),
    "copy-hash-garbled": lambda i: edit_doc(i, lambda d: d.update(copy_sha256="not-a-hash")),
    "chunks-hash-removed": lambda i: edit_doc(i, lambda d: d.pop("chunks_sha256")),
    "source-hash-garbled": lambda i: edit_doc(i, lambda d: d.update(sha256="0" * 64)),
    "source-hash-rehashed": lambda i: edit_doc(i, lambda d: (d.update(sha256="0" * 64), rehash_copy(d))),
    "meta-url": lambda i: edit_doc(i, lambda d: d["meta"].update(url="https://attacker.example/")),
}


@pytest.mark.parametrize("tamper", TAMPER.values(), ids=TAMPER.keys())
def test_tampered_copy_is_named_reindexed_and_never_cited(copied, tamper, logged):
    corpus, index = copied
    old_generation = state(index)["generation"]
    tamper(index)
    settings = settings_for(corpus, index)
    with pytest.raises(IndexStale) as refused:  # never opened for answering as it is
        Index(settings)
    assert f"'{REPORT_ID}'" in str(refused.value), str(refused.value)

    engine = Engine(settings)
    assert_answers_from_the_corpus_file(engine)
    assert DAMAGED in logged, logged
    assert not any("The index is damaged" in m for m in logged), logged  # only this document was re-indexed
    assert_repaired(corpus, index, old_generation)
    assert engine.document(REPORT_ID)[0].url.startswith("https://www.washingtoninstitute.org/")


def test_orphan_chunks_of_a_removed_copy_are_dropped(copied, logged):
    corpus, index = copied
    old_generation = state(index)["generation"]
    write_docs(index, {})
    engine = Engine(settings_for(corpus, index))
    assert_answers_from_the_corpus_file(engine)
    assert DAMAGED in logged, logged
    assert f"chunks.jsonl holds passages of '{REPORT_ID}', which has no index copy (edited or damaged); " \
           "dropping them" in logged, logged
    assert_repaired(corpus, index, old_generation)


def test_cli_ingest_after_tampering_reindexes_and_says_so(copied):
    corpus, index = copied
    old = state(index)
    edit_doc(index, lambda d: d.update(text=d["text"].replace(TRUE, FALSE)))

    result = cli("ingest", "--corpus", corpus, "--index", index)
    assert result.returncode == 0, result.stderr[-3000:]
    assert "up to date" not in result.stdout.lower(), result.stdout
    assert f"re-indexed {FILE}: its index copy did not match the corpus file (edited or damaged)" in result.stdout
    assert "1 updated" in result.stdout and "0 unchanged" in result.stdout, result.stdout
    assert DAMAGED in result.stderr, result.stderr[-3000:]
    assert_repaired(corpus, index, old["generation"])

    again = Engine(settings_for(corpus, index)).ingest()
    assert again.up_to_date and again.repaired == [] and again.summary().startswith("Index up to date")


def test_engine_ingest_reports_the_repair_and_reuses_untouched_documents(copied):
    corpus, index = copied
    (corpus / "notes.md").write_text("# Field notes\n\nThe workshop on regional cooperation met in Dushanbe.\n",
                                     encoding="utf-8")
    engine = Engine(settings_for(corpus, index))
    assert engine.ingest().added == ["notes.md"]
    edit_chunks(index, TRUE, FALSE)

    with collected() as logs:
        report = Engine(settings_for(corpus, index)).ingest()
    assert not report.up_to_date
    assert report.repaired == [FILE] and report.updated == [FILE] and report.unchanged == ["notes.md"]
    assert report.embedded_chunks == len([c for c in load_generation(gen_dir(index))[0] if c.doc_id == REPORT_ID])
    assert logs == [DAMAGED]
    assert f"re-indexed {FILE}" in report.summary()


def test_corpus_file_changed_since_indexing_is_reindexed_on_open(copied, logged):
    corpus, index = copied
    report = corpus / FILE
    report.write_text(report.read_text(encoding="utf-8").replace(TRUE, "five in India"), encoding="utf-8")
    with pytest.raises(IndexStale, match=f"corpus/{re.escape(FILE)} changed since '{REPORT_ID}' was indexed"):
        Index(settings_for(corpus, index))

    engine = Engine(settings_for(corpus, index))
    answer = engine.session().ask(PLOTS_Q)
    assert "five in india" in answer.text.lower() and "three in india" not in answer.text.lower(), answer.text
    assert_citations_verified(answer, engine)
    assert f"corpus/{FILE} changed since '{REPORT_ID}' was indexed; re-indexing it" in logged, logged


def test_corpus_file_removed_since_indexing_is_dropped_on_open(copied, logged):
    corpus, index = copied
    notes = corpus / "notes.md"
    notes.write_text("# Field notes\n\nThe workshop on regional cooperation met in Dushanbe.\n", encoding="utf-8")
    Engine(settings_for(corpus, index)).ingest()
    notes.unlink()

    engine = Engine(settings_for(corpus, index))
    assert {d.doc_id for d in engine.documents()} == {REPORT_ID}
    assert "corpus/notes.md, indexed as 'notes', is no longer in the corpus; removing it from the index" in logged
    assert_answers_from_the_corpus_file(engine)


def test_index_of_an_older_format_is_reindexed(copied, logged):
    corpus, index = copied
    old = state(index)
    docs = read_docs(index)
    for entry in docs.values():
        entry.pop("copy_sha256"), entry.pop("chunks_sha256")
    write_docs(index, docs)
    (index / "state.json").write_text(json.dumps({**old, "version": 2, "fingerprint": "v2" + old["fingerprint"][2:]}))

    engine = Engine(settings_for(corpus, index))
    assert_answers_from_the_corpus_file(engine)
    assert "The index was built by an older version (format 2); re-indexing everything." in logged, logged
    assert state(index)["version"] == old["version"]
    assert_repaired(corpus, index, old["generation"])


def test_old_collections_and_their_folders_are_removed(copied):
    corpus, index = copied
    settings = settings_for(corpus, index)
    client = chroma_client(settings)
    # leftovers of older versions: a collection never deleted, and a folder Chroma no longer knows
    stray = client.create_collection(COLLECTION_PREFIX + "19700101_000000_stray0", embedding_function=None)
    stray.add(ids=["a", "b"], embeddings=[[1.0] * 384, [0.5] * 384], documents=["x", "y"])
    orphan = index / "chroma" / "0b5f8a1e-1111-4c4c-8d8d-123456789abc"
    orphan.mkdir()
    (orphan / "data_level0.bin").write_bytes(b"\0" * 64)
    keep = index / "chroma" / "not-a-segment"
    keep.mkdir()

    engine = Engine(settings)
    ingests = 4
    for i in range(ingests):  # each adds a document: a new generation, still the one shared collection
        (corpus / f"extra-{i}.md").write_text(f"# Extra {i}\n\nProvincial reconstruction note number {i}.\n",
                                              encoding="utf-8")
        replaced = state(index)["generation"]
        assert engine.ingest().added == [f"extra-{i}.md"]
        names = [getattr(c, "name", c) for c in chroma_client(settings).list_collections()]
        assert names == [state(index)["collection"]]
        assert len(segment_dirs(index)) == 1, segment_dirs(index)
        assert sorted(p.name for p in (index / "gens").iterdir()) == sorted([state(index)["generation"], replaced])
    assert not orphan.exists() and keep.is_dir()
    assert_answers_from_the_corpus_file(engine)

    # the folder kept is the live collection's: a fresh process answers from it as it is
    live = state(index)
    result = cli("ask", "--json", "--corpus", corpus, "--index", index, PLOTS_Q)
    assert result.returncode == 0, result.stderr[-3000:]
    assert TRUE.lower() in json.loads(result.stdout)["answer"].lower()
    assert "damaged" not in result.stderr and "re-index" not in result.stderr, result.stderr[-3000:]
    assert state(index) == live and len(segment_dirs(index)) == 1
