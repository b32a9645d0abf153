"""Bad files in the corpus: each reported by name and skipped, the rest ingested; symlinks out are not followed."""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from assistant.engine import Engine

from fixtures.corpus import REPORT_ONLY, copy_corpus
from fixtures.documents import make_pdf
from rb_support import PLOTS_Q, REPORT_ID, ROOT, assert_citations_verified, settings_for

SECRET = "TOP-SECRET-xyzzy-0451"


def make_docx(path: Path, text: str) -> None:
    import docx

    document = docx.Document()
    document.add_paragraph(text)
    document.save(str(path))


# name -> words expected in the skip reason
BAD = {
    "corrupt.pdf": "corrupt or unreadable PDF",
    "random-bytes.pdf": "corrupt or unreadable PDF",
    "truncated.pdf": "PDF",
    "empty.txt": "empty file",
    "image.txt": "binary content",
    "utf16.txt": "binary content",
    "latin1.txt": "not valid UTF-8",
    "cp1252.md": "not valid UTF-8",
    "text.docx": "corrupt or unreadable DOCX",
    "zip-garbage.docx": "corrupt or unreadable DOCX",
    "huge.txt": "file too large",
    "program.exe": "unsupported file type",
    "no-extension": "unsupported file type",
    "link-out.txt": "outside the corpus",
    "link-dir": "outside the corpus",
    "link-etc.md": "outside the corpus",
    "link-dangling.txt": "broken symlink",
    "loop-a.txt": "broken symlink",
    "loop-b.txt": "broken symlink",
    "pipe.txt": "not a regular file",
    "evil\nname.txt": "binary content",
    "link-inside.txt": "symlink to sub/nested.txt, which is ingested already",
}
GOOD = {"the-next-afghan-jihad.txt", "notes é with spaces.md", "sub/nested.txt", "page.html", "valid.pdf",
        "valid.docx"}


@pytest.fixture(scope="module")
def bad_corpus(tmp_path_factory) -> tuple[Path, Path]:
    base = tmp_path_factory.mktemp("rb-badfiles")
    return build_bad_corpus(base), base / "index"


def build_bad_corpus(base: Path) -> Path:
    outside = base / "outside"
    outside.mkdir()
    (outside / "secret.txt").write_text(f"{SECRET} must never be indexed.\n", encoding="utf-8")
    c = copy_corpus(base / "corpus", REPORT_ONLY)
    real = make_pdf("ISKP plots were tracked by analysts in a valid PDF file")
    (c / "corrupt.pdf").write_bytes(b"%PDF-1.4\n%garbage\n1 0 obj << /Type /Catalog >>\ntrailer\n")
    (c / "random-bytes.pdf").write_bytes(os.urandom(3000))
    (c / "truncated.pdf").write_bytes(real[: len(real) // 2])
    (c / "empty.txt").write_bytes(b"")
    (c / "image.txt").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + os.urandom(2000))
    (c / "utf16.txt").write_bytes("ISKP plots in India".encode("utf-16"))
    (c / "latin1.txt").write_bytes("café naïve ISKP latin-1 text\n".encode("latin-1"))
    (c / "cp1252.md").write_bytes("“Smart quotes” from Windows – ISKP\n".encode("cp1252"))
    (c / "text.docx").write_text("plain text pretending to be a Word file", encoding="utf-8")
    (c / "zip-garbage.docx").write_bytes(b"PK\x03\x04" + os.urandom(500))
    with open(c / "huge.txt", "wb") as handle:  # sparse: 60 MB on paper, over the 50 MB limit
        handle.truncate(60 * 1024 * 1024)
    (c / "program.exe").write_bytes(b"MZ\x90\x00")
    (c / "no-extension").write_text("ISKP", encoding="utf-8")
    (c / "link-out.txt").symlink_to(outside / "secret.txt")
    (c / "link-dir").symlink_to(outside, target_is_directory=True)
    (c / "link-etc.md").symlink_to("/etc/passwd")
    (c / "link-dangling.txt").symlink_to(c / "missing.txt")
    (c / "loop-a.txt").symlink_to(c / "loop-b.txt")
    (c / "loop-b.txt").symlink_to(c / "loop-a.txt")
    os.mkfifo(c / "pipe.txt")
    (c / "evil\nname.txt").write_bytes(b"\x00\x01binary")
    (c / ".hidden.txt").write_text(f"{SECRET} in a hidden file", encoding="utf-8")
    # The good ones.
    (c / "notes é with spaces.md").write_text("# Notes\n\nAnalysts keep notes about ISKP in Kabul.\n", encoding="utf-8")
    (c / "sub").mkdir()
    (c / "sub" / "nested.txt").write_text("A nested note about ISKP recruitment in Tajikistan.\n", encoding="utf-8")
    (c / "page.html").write_text("<html><body><p>An HTML note on ISKP media.</p>", encoding="utf-8")
    (c / "valid.pdf").write_bytes(real)
    make_docx(c / "valid.docx", "A Word note about ISKP propaganda in Pashto.")
    (c / "link-inside.txt").symlink_to(c / "sub" / "nested.txt")
    return c


@pytest.fixture(scope="module")
def ingested(bad_corpus):
    corpus, index = bad_corpus
    engine = Engine(settings_for(corpus, index))
    return engine, engine.ingest()


def test_each_bad_file_is_reported_by_name_with_a_reason(ingested):
    _, report = ingested
    skipped = {s.path: s.reason for s in report.skipped}
    assert set(skipped) == set(BAD), report.summary()
    for name, reason in BAD.items():
        assert reason in skipped[name], (name, skipped[name])
    summary = report.summary()
    for name in BAD:
        assert f"skipped {name}:" in summary


def test_the_rest_is_ingested_and_answers(ingested):
    engine, report = ingested
    assert set(report.added) == GOOD
    files = {d.file for d in engine.documents()}
    assert files == GOOD
    texts = [engine.document(d.doc_id)[1] for d in engine.documents()]
    assert any("in a valid PDF file" in t for t in texts) and any("propaganda in Pashto" in t for t in texts)
    answer = engine.session().ask(PLOTS_Q)
    assert not answer.abstained and "three in india" in answer.text.lower()
    assert REPORT_ID in {c.doc_id for c in answer.citations}
    assert_citations_verified(answer, engine)


def test_nothing_outside_the_corpus_is_read(ingested, bad_corpus):
    engine, _ = ingested
    _, index = bad_corpus
    for doc in engine.documents():
        text = engine.document(doc.doc_id)[1]
        assert SECRET not in text and "root:x:0:0" not in text
    for path in index.rglob("*"):
        if path.is_file():
            data = path.read_bytes()
            assert SECRET.encode() not in data and b"root:x:0:0" not in data, path


def test_reingest_keeps_reporting_and_is_up_to_date(ingested):
    engine, _ = ingested
    again = engine.ingest()
    assert again.up_to_date
    assert set(BAD) <= {s.path for s in again.skipped}


def test_cli_ingest_lists_skipped_files_without_a_traceback(bad_corpus, tmp_path):
    corpus, _ = bad_corpus
    result = subprocess.run([sys.executable, "-m", "assistant.cli", "ingest", "--corpus", str(corpus),
                             "--index", str(tmp_path / "index")], cwd=ROOT, capture_output=True, text=True,
                            timeout=600, env={**os.environ, "ASSISTANT_BACKEND": "extractive"})
    assert result.returncode == 0, result.stderr[-3000:]
    assert "Traceback" not in result.stderr
    for name in BAD:
        assert f"skipped {name}:" in result.stdout, name
    assert f"from {len(GOOD)} documents" in result.stdout


@pytest.mark.parametrize("manifest, reason", [
    ("documents:\n  - id: [unclosed\n", "invalid YAML"),
    ("documents:\n  - title: no id or file\n", "needs at least 'id' and 'file'"),
    ("- just\n- a list\n", "expected a 'documents:' list"),
    ("documents: 42\n", "expected a 'documents:' list"),
    (b"\xff\xfe\x00broken", "invalid YAML"),
])
def test_broken_manifest_is_reported_and_the_corpus_still_ingests(tmp_path, manifest, reason):
    corpus = copy_corpus(tmp_path / "corpus", REPORT_ONLY)
    target = corpus / "manifest.yaml"
    target.write_bytes(manifest) if isinstance(manifest, bytes) else target.write_text(manifest, encoding="utf-8")
    engine = Engine(settings_for(corpus, tmp_path / "index"))
    report = engine.ingest()
    skipped = {s.path: s.reason for s in report.skipped}
    assert reason in skipped["manifest.yaml"]
    assert report.added == ["the-next-afghan-jihad.txt"]
    answer = engine.session().ask(PLOTS_Q)
    assert not answer.abstained and answer.citations
