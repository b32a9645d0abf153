"""`assistant sources add/list/remove`: the corpus as users manage it, through the real CLI, index and embedder."""
from __future__ import annotations

import json
import threading

import pytest
import yaml

from assistant.cli import main
from assistant.engine import Engine
from assistant.settings import Settings

from fixtures.corpus import REPORT_ONLY, copy_corpus


def run_cli(capsys, settings: Settings, *args: str) -> tuple[int, str, str]:
    code = main(["sources", *args, "--corpus", str(settings.corpus_dir), "--index", str(settings.index_dir),
                 "--backend", "extractive"])
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def settings(tmp_path) -> Settings:
    return Settings.load(corpus_dir=copy_corpus(tmp_path / "corpus", REPORT_ONLY), index_dir=tmp_path / "index", backend="extractive")


def listed(capsys, settings) -> dict[str, dict]:
    code, out, _ = run_cli(capsys, settings, "list", "--json")
    assert code == 0
    return {row["doc_id"]: row for row in json.loads(out)}


def test_factbook_profiles_are_added_listed_answered_and_removed(capsys, settings):
    code, out, err = run_cli(capsys, settings, "add", "factbook", "--countries", "ti,af")
    assert code == 0, err
    assert "Wrote 2 World Factbook profiles" in out and "Tajikistan" in out and "Indexed" in out
    related = settings.corpus_dir / "related"
    assert sorted(p.name for p in related.glob("*.md")) == ["af.md", "ti.md"]

    rows = listed(capsys, settings)
    assert set(rows) == {"next-afghan-jihad", "factbook-af", "factbook-ti"}
    ti = rows["factbook-ti"]
    assert ti["title"] == "The World Factbook: Tajikistan"
    assert ti["authors"] == ["Central Intelligence Agency"]
    assert ti["licence"] == "Public domain (U.S. Government work)"
    assert ti["kind"] == "factbook" and ti["chunks"] > 10 and ti["added"]
    assert ti["url"].startswith("https://www.cia.gov/the-world-factbook/countries/tajikistan")
    assert rows["next-afghan-jihad"]["kind"] == "report"

    answer = Engine(settings).ask("What is the capital of Tajikistan?")
    assert not answer.abstained and "Dushanbe" in answer.text
    cited = [c for c in answer.citations if "Dushanbe" in c.quote]
    assert cited and cited[0].doc_id == "factbook-ti" and cited[0].section == "Government"

    code, out, _ = run_cli(capsys, settings, "remove", "factbook-ti")
    assert code == 0 and "Removed factbook-ti (related/ti.md)" in out
    assert set(listed(capsys, settings)) == {"next-afghan-jihad", "factbook-af"}
    entries = yaml.safe_load((related / "manifest.yaml").read_text(encoding="utf-8"))["documents"]
    assert [e["id"] for e in entries] == ["factbook-af"]


def test_related_to_adds_the_reports_countries(capsys, settings):
    code, out, err = run_cli(capsys, settings, "add", "factbook", "--related-to", "next-afghan-jihad", "--no-ingest")
    assert code == 0, err
    assert "Wrote 16 World Factbook profiles" in out and "Not ingested" in out
    assert len(list((settings.corpus_dir / "related").glob("*.md"))) == 16


@pytest.mark.parametrize("args, message", [
    (("add", "factbook", "--countries", "zz"), "unknown Factbook country code(s): zz"),
    (("add", "factbook"), "--countries CODES, --related-to DOC_ID or --all"),
    (("add", "factbook", "--related-to", "nope"), "no document with id 'nope'"),
    (("remove", "nope"), "no document with id 'nope'"),
    (("remove", "next-afghan-jihad"), "part of the bundled collection"),
    (("add", "missing-file.txt"), "no such file"),
])
def test_bad_requests_get_a_clear_error_and_change_nothing(capsys, settings, args, message):
    before = sorted(p.relative_to(settings.corpus_dir).as_posix() for p in settings.corpus_dir.rglob("*"))
    code, _, err = run_cli(capsys, settings, *args)
    assert code == 2 and message in err
    assert sorted(p.relative_to(settings.corpus_dir).as_posix() for p in settings.corpus_dir.rglob("*")) == before


def test_a_file_is_copied_with_its_metadata_then_removed(capsys, settings, tmp_path):
    page = tmp_path / "Field Report.html"
    page.write_text('<html><head><title>Border crossings in 2023</title><meta name="author" content="Ann Lee">'
                    '<meta name="date" content="2023-05-06"></head><body><p>The Torkham crossing reopened after '
                    'eleven days of closure in the spring of 2023, according to the field team.</p></body></html>',
                    encoding="utf-8")
    code, out, err = run_cli(capsys, settings, "add", str(page))
    assert code == 0, err
    assert "Added" in out and "as field-report (Border crossings in 2023)" in out
    assert (settings.corpus_dir / "added" / "field-report.html").read_bytes() == page.read_bytes()
    row = listed(capsys, settings)["field-report"]
    assert (row["title"], row["authors"], row["date"], row["kind"]) == (
        "Border crossings in 2023", ["Ann Lee"], "2023-05-06", "html")
    answer = Engine(settings).ask("How many days was the Torkham crossing closed?")
    assert [c.doc_id for c in answer.citations][:1] == ["field-report"] and "eleven" in answer.text

    code, out, _ = run_cli(capsys, settings, "remove", "field-report")
    assert code == 0 and not (settings.corpus_dir / "added" / "field-report.html").exists()
    assert "field-report" not in listed(capsys, settings)


def test_an_unreadable_file_is_refused_and_not_kept(capsys, settings, tmp_path):
    bad = tmp_path / "broken.pdf"
    bad.write_bytes(b"%PDF-1.4\n1 0 obj << /Type /Catalog")
    code, _, err = run_cli(capsys, settings, "add", str(bad))
    assert code == 2 and "broken.pdf" in err and "PDF" in err
    added = settings.corpus_dir / "added"
    assert not added.exists() or [p.name for p in added.iterdir()] == []


ARTICLE = (b'<!doctype html><html><head><title>Site | Checkpoint study</title>'
           b'<meta name="citation_title" content="Checkpoints on the Kabul ring road">'
           b'<meta name="citation_author" content="Ann Lee"><meta name="citation_author" content="Bo Chen">'
           b'<meta name="citation_publication_date" content="2024/03/05"></head><body>'
           b'<p>The survey counted forty-two checkpoints on the Kabul ring road in March 2024.</p></body></html>')


@pytest.fixture
def web():
    from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args):
            pass

        def do_GET(self):
            if self.path == "/studies/checkpoints":
                body, kind, status = ARTICLE, "text/html; charset=utf-8", 200
            elif self.path == "/logo.png":
                body, kind, status = b"\x89PNG\r\n\x1a\n", "image/png", 200
            else:
                body, kind, status = b"not here", "text/plain", 404
            self.send_response(status)
            self.send_header("Content-Type", kind)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


def test_a_url_is_downloaded_with_its_metadata_and_answers(capsys, settings, web):
    code, out, err = run_cli(capsys, settings, "add", f"{web}/studies/checkpoints")
    assert code == 0, err
    assert "as checkpoints (Checkpoints on the Kabul ring road)" in out
    row = listed(capsys, settings)["checkpoints"]
    assert (row["authors"], row["date"], row["url"], row["kind"]) == (
        ["Ann Lee", "Bo Chen"], "2024-03-05", f"{web}/studies/checkpoints", "html")
    answer = Engine(settings).ask("How many checkpoints are on the Kabul ring road?")
    assert "forty-two" in answer.text and answer.citations[0].doc_id == "checkpoints"


@pytest.mark.parametrize("path, message", [("/missing", "HTTP 404"), ("/logo.png", "unsupported content type")])
def test_a_bad_url_is_refused_clearly(capsys, settings, web, path, message):
    code, _, err = run_cli(capsys, settings, "add", web + path)
    assert code == 2 and message in err and web + path in err
    added = settings.corpus_dir / "added"
    assert not added.exists() or [p.name for p in added.iterdir()] == []
