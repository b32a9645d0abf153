"""Downloading a URL into a corpus file (HTML, PDF, text, Markdown, DOCX); reading a file's title, authors, date."""
from __future__ import annotations

import logging
import os
import re
import tempfile
import unicodedata
from dataclasses import dataclass, field
from datetime import datetime
from html.parser import HTMLParser
from pathlib import Path
from typing import Any
from urllib.parse import unquote

import httpx

DOCX_MIME = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
EXTENSIONS = {
    "text/html": ".html",
    "application/xhtml+xml": ".html",
    "application/pdf": ".pdf",
    "application/x-pdf": ".pdf",
    "text/plain": ".txt",
    "text/markdown": ".md",
    "text/x-markdown": ".md",
    DOCX_MIME: ".docx",
}
TEXT_EXTENSIONS = {".html", ".txt", ".md"}
REDIRECT_CODES = {301, 302, 303, 307, 308}
GENERIC_SEGMENTS = {"", "index", "default", "home", "main", "view", "download", "file", "document", "page", "article"}
MAX_SLUG = 80
CHUNK = 64 * 1024


class FetchError(Exception):
    """A URL that could not be downloaded; the message names it and says why, for the user."""


@dataclass
class SourceMeta:
    title: str = ""
    authors: list[str] = field(default_factory=list)
    date: str = ""  # yyyy-mm-dd when parseable, else as given
    url: str = ""


def fetch_url(url: str, dest_dir: Path, *, timeout_s: float = 20.0, max_bytes: int = 50 * 1024 * 1024,
              max_redirects: int = 5, client: httpx.Client | None = None) -> tuple[Path, SourceMeta]:
    """Downloads url into dest_dir under a unique slug name; returns the file and its metadata (url = the given url)."""
    dest_dir = Path(dest_dir)
    current = _checked_url(url, url)
    own_client = client is None
    if client is None:
        client = httpx.Client(timeout=httpx.Timeout(timeout_s), follow_redirects=False,
                              headers={"User-Agent": "research-assistant/1.0"})
    try:
        for _ in range(max_redirects + 1):
            with client.stream("GET", current, follow_redirects=False, timeout=httpx.Timeout(timeout_s)) as response:
                if response.status_code in REDIRECT_CODES:
                    location = response.headers.get("location")
                    if not location:
                        raise FetchError(f"{url}: HTTP {response.status_code} redirect without a Location header")
                    current = _checked_url(url, current.join(location.strip()))
                    continue
                path, ext = _save(url, response, dest_dir, max_bytes)
                try:
                    meta = _metadata_for(path, ext)
                    final = dest_dir / _unique_name(dest_dir, _file_slug(response.url, meta.title), ext)
                    os.replace(path, final)
                except BaseException:
                    path.unlink(missing_ok=True)
                    raise
                meta.url = url
                return final, meta
        raise FetchError(f"{url}: too many redirects (more than {max_redirects})")
    except httpx.TimeoutException as exc:
        raise FetchError(f"{url}: timed out after {timeout_s:g} s") from exc
    except httpx.TooManyRedirects as exc:
        raise FetchError(f"{url}: too many redirects (more than {max_redirects})") from exc
    except httpx.ConnectError as exc:
        raise FetchError(f"{url}: could not connect ({exc or type(exc).__name__})") from exc
    except (httpx.HTTPError, httpx.InvalidURL) as exc:
        raise FetchError(f"{url}: download failed ({type(exc).__name__}: {exc})") from exc
    finally:
        if own_client:
            client.close()


def _checked_url(original: str, candidate) -> httpx.URL:
    try:
        parsed = httpx.URL(str(candidate).strip())
    except (httpx.InvalidURL, ValueError, TypeError) as exc:
        raise FetchError(f"{original}: invalid URL ({exc})") from exc
    if parsed.scheme not in ("http", "https"):
        via = "" if str(candidate) == original else f" (redirected to {candidate})"
        scheme = parsed.scheme or "no scheme"
        raise FetchError(f"{original}: only http and https URLs can be fetched, not {scheme!r}{via}")
    if not parsed.host:
        raise FetchError(f"{original}: invalid URL (no host)")
    return parsed


def _save(url: str, response: httpx.Response, dest_dir: Path, max_bytes: int) -> tuple[Path, str]:
    """Streams the body to a temp file in dest_dir; returns it (removed on any failure) and its extension."""
    if response.status_code >= 400 or response.status_code < 200:
        reason = response.reason_phrase or ""
        raise FetchError(f"{url}: HTTP {response.status_code} {reason}".rstrip())
    content_type = response.headers.get("content-type", "")
    mime = content_type.split(";")[0].strip().lower()
    ext = EXTENSIONS.get(mime)
    if ext is None and mime not in ("application/octet-stream", ""):
        raise FetchError(f"{url}: unsupported content type {mime} (supported: HTML, PDF, plain text, Markdown, DOCX)")
    length = response.headers.get("content-length", "")
    if length.isdigit() and int(length) > max_bytes:
        raise FetchError(f"{url}: too large ({int(length)} bytes > {max_bytes} byte limit)")
    fd, tmp_name = tempfile.mkstemp(dir=dest_dir, prefix=".fetch-", suffix=".part")
    tmp = Path(tmp_name)
    try:
        size, head = 0, b""
        with os.fdopen(fd, "wb") as out:
            for chunk in response.iter_bytes(CHUNK):
                size += len(chunk)
                if size > max_bytes:
                    raise FetchError(f"{url}: too large (more than {max_bytes} byte limit)")
                if len(head) < 8:
                    head += chunk[:8]
                out.write(chunk)
        if size == 0:
            raise FetchError(f"{url}: empty response")
        if ext is None:
            ext = _sniff(head, response.url)
            if ext is None:
                raise FetchError(f"{url}: unsupported content type {mime or '(none)'} (not a PDF or DOCX file)")
        if ext in TEXT_EXTENSIONS:
            _to_utf8(tmp, _charset(content_type), ext)
        return tmp, ext
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


def _sniff(head: bytes, final_url: httpx.URL) -> str | None:
    if head.startswith(b"%PDF"):
        return ".pdf"
    if head.startswith(b"PK\x03\x04") and final_url.path.lower().endswith(".docx"):
        return ".docx"
    return None


def _charset(content_type: str) -> str:
    match = re.search(r"charset\s*=\s*[\"']?([\w.:-]+)", content_type, re.I)
    return match.group(1).lower() if match else ""


def _to_utf8(path: Path, charset: str, ext: str) -> None:
    """Rewrites a text download as UTF-8, which the corpus readers require."""
    raw = path.read_bytes()
    if not charset and ext == ".html":
        declared = re.search(rb"<meta[^>]+charset\s*=\s*[\"']?([\w.:-]+)", raw[:4096], re.I)
        charset = declared.group(1).decode("ascii").lower() if declared else ""
    if charset.replace("-", "").replace("_", "") in ("utf8", "usascii", "ascii"):
        charset = ""
    if not charset:
        try:
            raw.decode("utf-8")
            return
        except UnicodeDecodeError:
            charset = "cp1252"
    try:
        text = raw.decode(charset, errors="replace")
    except LookupError:
        text = raw.decode("utf-8", errors="replace")
    path.write_bytes(text.encode("utf-8"))


def _file_slug(final_url: httpx.URL, title: str) -> str:
    segment = unquote(final_url.path.rstrip("/").rsplit("/", 1)[-1])
    stem = segment.rsplit(".", 1)[0] if "." in segment else segment
    slug = _slug(stem)
    if slug in GENERIC_SEGMENTS or not re.search(r"[a-z]", slug):
        slug = _slug(title) or _slug(final_url.host) or "download"
    return slug


def _slug(text: str) -> str:
    ascii_text = unicodedata.normalize("NFKD", text or "").encode("ascii", "ignore").decode("ascii")
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")
    return slug[:MAX_SLUG].rstrip("-")


def _unique_name(folder: Path, slug: str, ext: str) -> str:
    name, n = f"{slug}{ext}", 2
    while (folder / name).exists():
        name, n = f"{slug}-{n}{ext}", n + 1
    return name


# --- metadata ---------------------------------------------------------------------------------------------------

def read_metadata(path: Path) -> SourceMeta:
    """Title, authors and date from an HTML, PDF or DOCX file; empty for text files and unreadable files."""
    return _metadata_for(Path(path), Path(path).suffix.lower())


def _metadata_for(path: Path, ext: str) -> SourceMeta:
    reader = {".html": _html_meta, ".htm": _html_meta, ".xhtml": _html_meta,
              ".pdf": _pdf_meta, ".docx": _docx_meta}.get(ext)
    if reader is None:
        return SourceMeta()
    try:
        return reader(path)
    except Exception:  # metadata is best effort: odd or corrupt files give none
        return SourceMeta()


class _HeadMeta(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.meta: dict[str, list[str]] = {}
        self.title_parts: list[str] | None = None
        self.title = ""

    def handle_starttag(self, tag, attrs):
        if tag == "meta":
            attrs = {k.lower(): (v or "") for k, v in attrs}
            key = (attrs.get("name") or attrs.get("property") or attrs.get("itemprop") or "").strip().lower()
            value = " ".join(attrs.get("content", "").split())
            if key and value:
                self.meta.setdefault(key, []).append(value)
        elif tag == "title" and not self.title and self.title_parts is None:
            self.title_parts = []

    def handle_endtag(self, tag):
        if tag == "title" and self.title_parts is not None and not self.title:
            self.title = " ".join("".join(self.title_parts).split())
            self.title_parts = None

    def handle_data(self, data):
        if self.title_parts is not None and not self.title:
            self.title_parts.append(data)


def _html_meta(path: Path) -> SourceMeta:
    parser = _HeadMeta()
    parser.feed(path.read_bytes()[:4 * 1024 * 1024].decode("utf-8", errors="replace"))
    parser.close()
    found = parser.meta

    def first(*keys: str) -> str:
        return next((found[k][0] for k in keys if found.get(k)), "")

    title = first("citation_title", "og:title", "dc.title", "dcterms.title") or parser.title
    authors: list[str] = []
    for key in ("citation_author", "author", "dc.creator", "dcterms.creator", "article:author"):
        values = [a for v in found.get(key, []) for a in _split_authors(v) if not a.startswith(("http:", "https:"))]
        if values:
            authors = values
            break
    date = first("citation_publication_date", "citation_date", "article:published_time", "date",
                 "dc.date", "dcterms.date", "dc.date.issued", "dcterms.issued", "datepublished")
    return SourceMeta(title=title, authors=_dedupe(authors), date=_iso_date(date))


def _pdf_meta(path: Path) -> SourceMeta:
    from pypdf import PdfReader

    logging.getLogger("pypdf").setLevel(logging.ERROR)
    info: dict[str, Any] = PdfReader(path).metadata or {}
    title = _pdf_str(info.get("/Title"))
    if title.lower().startswith("microsoft word - "):
        title = title[len("microsoft word - "):]
    authors = _split_authors(_pdf_str(info.get("/Author")))
    raw_date = _pdf_str(info.get("/CreationDate"))
    match = re.match(r"(?:D:)?(\d{4})(\d{2})(\d{2})", raw_date)
    date = f"{match[1]}-{match[2]}-{match[3]}" if match and _valid_date(*match.groups()) else raw_date
    return SourceMeta(title=title, authors=authors, date=date)


def _pdf_str(value) -> str:
    if value is None:
        return ""
    try:
        value = value.get_object()
    except AttributeError:
        pass
    return " ".join(str(value).replace("\x00", "").split())


def _docx_meta(path: Path) -> SourceMeta:
    import docx

    props = docx.Document(str(path)).core_properties
    created = props.created
    date = created.strftime("%Y-%m-%d") if isinstance(created, datetime) else ""
    return SourceMeta(title=" ".join((props.title or "").split()), authors=_split_authors(props.author or ""),
                      date=date)


def _split_authors(value: str) -> list[str]:
    parts = re.split(r"\s*;\s*|\s+and\s+", value or "")
    return [" ".join(p.split()) for p in parts if p.strip()]


def _dedupe(items: list[str]) -> list[str]:
    return list(dict.fromkeys(items))


DATE_FORMATS = ("%B %d, %Y", "%b %d, %Y", "%d %B %Y", "%d %b %Y", "%B %d %Y")


def _iso_date(value: str) -> str:
    value = (value or "").strip()
    match = (re.match(r"(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})(?!\d)", value)
             or re.match(r"(\d{4})(\d{2})(\d{2})(?!\d)", value))
    if match and _valid_date(*match.groups()):
        return f"{match[1]}-{int(match[2]):02d}-{int(match[3]):02d}"
    for fmt in DATE_FORMATS:
        try:
            return datetime.strptime(value, fmt).strftime("%Y-%m-%d")
        except ValueError:
            continue
    return value


def _valid_date(year: str, month: str, day: str) -> bool:
    try:
        datetime(int(year), int(month), int(day))
        return True
    except ValueError:
        return False
