"""fetch_url against a real local HTTP server, and read_metadata on HTML, PDF and DOCX files."""
from __future__ import annotations

import io
import socket
import threading
from datetime import datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from assistant.corpus import read_pdf
from assistant.sources.fetch import FetchError, SourceMeta, fetch_url, read_metadata

from fixtures.documents import make_pdf

PDF_TEXT = "Hello from the ISKP test report"
DOCX_MIME = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"

ARTICLE = b"""<!doctype html><html><head>
<title>Site | Generic page title</title>
<meta property="og:title" content="OG title">
<meta name="citation_title" content="Taliban &amp; ISKP: A Study">
<meta name="citation_author" content="Amira Jadoon">
<meta name="citation_author" content="Andrew Mines">
<meta name="citation_publication_date" content="2024/03/05">
</head><body><p>Article body.</p></body></html>"""

OG_PAGE = b"""<html><head><title>Plain title</title>
<meta property="og:title" content="Open Graph Headline">
<meta name="author" content="Aaron Zelin">
<meta property="article:published_time" content="2023-11-02T08:00:00+00:00">
</head><body>x</body></html>"""


def minimal_pdf(text: str) -> bytes:
    return make_pdf(text)


def pdf_with_metadata() -> bytes:
    return make_pdf(PDF_TEXT, {"/Title": "The Next Afghan Jihad?", "/Author": "Amira Jadoon; Andrew Mines and Aaron Zelin",
                               "/CreationDate": "D:20240305123000+00'00'"})


def docx_bytes(title="Field Notes", author="Ann Lee; Bo Chen", created=datetime(2023, 5, 6, 9, 30)) -> bytes:
    import docx

    document = docx.Document()
    document.add_paragraph("Some text.")
    document.core_properties.title = title
    document.core_properties.author = author
    document.core_properties.created = created
    buf = io.BytesIO()
    document.save(buf)
    return buf.getvalue()


PDF = pdf_with_metadata()
DOCX = docx_bytes()


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    stop = threading.Event()

    def log_message(self, *args):
        pass

    def send_body(self, body: bytes, content_type: str, status: int = 200):
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def redirect(self, location: str, status: int = 302):
        self.send_response(status)
        self.send_header("Location", location)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def do_GET(self):
        path = self.path
        if path == "/article":
            self.send_body(ARTICLE, "text/html; charset=utf-8")
        elif path == "/":
            self.send_body(OG_PAGE, "text/html")
        elif path == "/files/report.pdf":
            self.send_body(PDF, "application/pdf")
        elif path == "/blob":
            self.send_body(PDF, "application/octet-stream")
        elif path == "/blob.bin":
            self.send_body(b"\x00\x01binary junk", "application/octet-stream")
        elif path == "/notes.txt":
            self.send_body("Café notes, naïve.".encode("latin-1"), "text/plain; charset=ISO-8859-1")
        elif path == "/guide.md":
            self.send_body(b"# Guide\n\nText.", "text/markdown; charset=utf-8")
        elif path == "/paper.docx":
            self.send_body(DOCX, DOCX_MIME)
        elif path == "/empty":
            self.send_body(b"", "text/plain")
        elif path == "/missing":
            self.send_error(404, "Not Found")
        elif path == "/broken":
            self.send_error(500, "Internal Server Error")
        elif path == "/image":
            self.send_body(b"\x89PNG\r\n\x1a\n" + b"0" * 100, "image/png")
        elif path == "/slow":
            self.stop.wait(5)
            self.send_body(b"late", "text/plain")
        elif path == "/big-length":
            self.send_body(b"a" * 5000, "text/plain")
        elif path == "/big-chunked":
            self.send_response(200)
            self.send_header("Content-Type", "text/plain")
            self.send_header("Transfer-Encoding", "chunked")
            self.end_headers()
            for _ in range(10):
                self.wfile.write(b"1f4\r\n" + b"b" * 500 + b"\r\n")
            self.wfile.write(b"0\r\n\r\n")
        elif path == "/hop2":
            self.redirect("/hop1", 301)
        elif path == "/hop1":
            self.redirect("files/report.pdf", 307)  # relative
        elif path.startswith("/chain/"):
            n = int(path.rsplit("/", 1)[1])
            if n == 0:
                self.send_body(b"end of chain", "text/plain")
            else:
                self.redirect(f"/chain/{n - 1}")
        elif path == "/loop":
            self.redirect("/loop")
        elif path == "/to-file":
            self.redirect("file:///etc/passwd")
        elif path == "/to-ftp":
            self.redirect("ftp://127.0.0.1/report.pdf")
        else:
            self.send_error(404)


@pytest.fixture(scope="module")
def server():
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    httpd.daemon_threads = True
    Handler.stop.clear()
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    Handler.stop.set()
    httpd.shutdown()
    httpd.server_close()
    thread.join(5)


@pytest.fixture
def dest(tmp_path) -> Path:
    folder = tmp_path / "dest"
    folder.mkdir()
    return folder


def refused(url: str, dest: Path, **kwargs) -> str:
    with pytest.raises(FetchError) as info:
        fetch_url(url, dest, **kwargs)
    assert list(dest.iterdir()) == [], "nothing may be left behind on failure"
    return str(info.value)


# --- successful downloads --------------------------------------------------------------------------------------------

def test_html_page_saved_with_citation_metadata(server, dest):
    path, meta = fetch_url(f"{server}/article", dest)
    assert path == dest / "taliban-iskp-a-study.html"  # "article" is too generic a name
    assert path.read_bytes() == ARTICLE
    assert meta == SourceMeta(title="Taliban & ISKP: A Study", authors=["Amira Jadoon", "Andrew Mines"],
                              date="2024-03-05", url=f"{server}/article")
    assert [p.name for p in dest.iterdir()] == [path.name]


def test_html_name_from_title_when_path_is_generic(server, dest):
    path, meta = fetch_url(f"{server}/", dest)
    assert path.name == "open-graph-headline.html"
    assert meta.title == "Open Graph Headline"
    assert meta.authors == ["Aaron Zelin"]
    assert meta.date == "2023-11-02"


def test_pdf_saved_with_metadata_and_readable_text(server, dest):
    path, meta = fetch_url(f"{server}/files/report.pdf", dest)
    assert path == dest / "report.pdf"
    assert meta == SourceMeta(title="The Next Afghan Jihad?", authors=["Amira Jadoon", "Andrew Mines", "Aaron Zelin"],
                              date="2024-03-05", url=f"{server}/files/report.pdf")
    text, pages = read_pdf(path, path.read_bytes())
    assert PDF_TEXT in text
    assert len(pages) == 1


def test_same_url_twice_gets_unique_names(server, dest):
    first, _ = fetch_url(f"{server}/files/report.pdf", dest)
    second, _ = fetch_url(f"{server}/files/report.pdf", dest)
    third, _ = fetch_url(f"{server}/files/report.pdf", dest)
    assert [first.name, second.name, third.name] == ["report.pdf", "report-2.pdf", "report-3.pdf"]
    assert sorted(p.name for p in dest.iterdir()) == ["report-2.pdf", "report-3.pdf", "report.pdf"]


def test_octet_stream_pdf_is_sniffed(server, dest):
    path, meta = fetch_url(f"{server}/blob", dest)
    assert path.suffix == ".pdf"
    assert meta.title == "The Next Afghan Jihad?"


def test_octet_stream_that_is_not_a_pdf_is_refused(server, dest):
    message = refused(f"{server}/blob.bin", dest)
    assert "unsupported content type application/octet-stream" in message


def test_text_markdown_and_docx(server, dest):
    txt, txt_meta = fetch_url(f"{server}/notes.txt", dest)
    assert txt.name == "notes.txt"
    assert txt.read_text(encoding="utf-8") == "Café notes, naïve."  # latin-1 download stored as UTF-8
    assert txt_meta == SourceMeta(url=f"{server}/notes.txt")
    md, md_meta = fetch_url(f"{server}/guide.md", dest)
    assert md.name == "guide.md" and md_meta.title == ""
    docx_path, docx_meta = fetch_url(f"{server}/paper.docx", dest)
    assert docx_path.name == "paper.docx"
    assert docx_meta == SourceMeta(title="Field Notes", authors=["Ann Lee", "Bo Chen"], date="2023-05-06",
                                   url=f"{server}/paper.docx")


def test_redirect_chain_is_followed(server, dest):
    path, meta = fetch_url(f"{server}/hop2", dest)
    assert path == dest / "report.pdf"
    assert meta.url == f"{server}/hop2"


def test_exactly_max_redirects_is_allowed(server, dest):
    path, _ = fetch_url(f"{server}/chain/3", dest, max_redirects=3)
    assert path.read_text() == "end of chain"


def test_given_client_is_used_with_our_redirect_limit_and_left_open(server, dest):
    import httpx

    with httpx.Client(follow_redirects=True) as client:
        assert "too many redirects" in refused(f"{server}/hop2", dest, client=client, max_redirects=1)
        path, _ = fetch_url(f"{server}/hop2", dest, client=client)
        assert not client.is_closed
    assert path.name == "report.pdf"


# --- refusals --------------------------------------------------------------------------------------------------------

def test_http_errors_name_the_status(server, dest):
    assert "HTTP 404" in refused(f"{server}/missing", dest)
    message = refused(f"{server}/broken", dest)
    assert "HTTP 500" in message and f"{server}/broken" in message


def test_timeout(server, dest):
    message = refused(f"{server}/slow", dest, timeout_s=0.5)
    assert "timed out after 0.5 s" in message


def test_too_large_by_content_length(server, dest):
    assert "too large" in refused(f"{server}/big-length", dest, max_bytes=1000)


def test_too_large_while_streaming(server, dest):
    assert "too large" in refused(f"{server}/big-chunked", dest, max_bytes=1000)


def test_under_the_limit_is_kept(server, dest):
    path, _ = fetch_url(f"{server}/big-chunked", dest, max_bytes=5000)
    assert path.stat().st_size == 5000


def test_wrong_content_type(server, dest):
    assert "unsupported content type image/png" in refused(f"{server}/image", dest)


def test_empty_body(server, dest):
    assert "empty" in refused(f"{server}/empty", dest)


def test_too_many_redirects(server, dest):
    assert "too many redirects" in refused(f"{server}/chain/4", dest, max_redirects=3)
    assert "too many redirects" in refused(f"{server}/loop", dest)


@pytest.mark.parametrize("route, scheme", [("/to-file", "file"), ("/to-ftp", "ftp")])
def test_redirect_to_other_scheme_is_refused(server, dest, route, scheme):
    message = refused(f"{server}{route}", dest)
    assert "only http and https" in message and scheme in message


@pytest.mark.parametrize("url", ["file:///etc/passwd", "ftp://example.org/x.pdf", "javascript:alert(1)", "not a url"])
def test_non_http_urls_are_refused_without_a_request(dest, url):
    assert url in refused(url, dest)


def test_connection_refused(dest):
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    assert "could not connect" in refused(f"http://127.0.0.1:{port}/x.pdf", dest, timeout_s=2)


# --- read_metadata on files ------------------------------------------------------------------------------------------

def test_read_metadata_docx(tmp_path):
    path = tmp_path / "notes.docx"
    path.write_bytes(docx_bytes(title="Quarterly  Review", author="Dana Ruiz and Eli Park",
                                created=datetime(2021, 12, 31, 23, 0)))
    assert read_metadata(path) == SourceMeta(title="Quarterly Review", authors=["Dana Ruiz", "Eli Park"],
                                             date="2021-12-31")


def test_read_metadata_pdf_without_metadata(tmp_path):
    path = tmp_path / "plain.pdf"
    path.write_bytes(minimal_pdf("No metadata here"))
    assert read_metadata(path) == SourceMeta()


@pytest.mark.parametrize("name, content", [
    ("corrupt.pdf", b"%PDF-1.4\n1 0 obj << /Title (x"),
    ("corrupt.docx", b"PK\x03\x04 not really a zip"),
    ("binary.html", b"\xff\xfe\x00\x00<<<"),
    ("notes.txt", b"Title line\n\nBody."),
    ("readme.md", b"# Heading"),
])
def test_read_metadata_odd_files_give_empty_meta(tmp_path, name, content):
    path = tmp_path / name
    path.write_bytes(content)
    assert read_metadata(path) == SourceMeta()


def test_read_metadata_missing_file_gives_empty_meta(tmp_path):
    assert read_metadata(tmp_path / "gone.pdf") == SourceMeta()


def test_read_metadata_html_fallbacks(tmp_path):
    path = tmp_path / "page.html"
    path.write_text("<html><head><title> Only\n the  title </title>"
                    '<meta name="author" content="A. Writer; B. Writer">'
                    '<meta name="DC.date" content="Spring 2024"></head>'
                    "<body><svg><title>icon</title></svg></body></html>", encoding="utf-8")
    assert read_metadata(path) == SourceMeta(title="Only the title", authors=["A. Writer", "B. Writer"],
                                             date="Spring 2024")
    path.write_text('<meta name="date" content="March 5, 2024"><meta name="dc.date" content="2020-01-01">',
                    encoding="utf-8")
    assert read_metadata(path).date == "2024-03-05"
