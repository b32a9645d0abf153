"""JSON Lines as the project writes and reads them: one record a line, and "\\n" is the only line break.

json.dumps(ensure_ascii=False) leaves U+0085, U+2028 and U+2029 raw, and str.splitlines() (and some editors)
break lines there, so the writer escapes them and the reader splits on "\\n" alone.
"""
from __future__ import annotations

import json
import re
import threading
from collections.abc import Iterable, Iterator
from pathlib import Path

# C0 controls (\x0b, \x0c, \x1c-\x1e, \r) are always escaped by json.dumps; lone surrogates would not encode.
_RAW_IN_JSON = re.compile("[\u0085\u2028\u2029\ud800-\udfff]")
_APPEND_LOCK = threading.Lock()


def dumps(record) -> str:
    """One JSON line, without its "\\n": nothing in it that any reader could take for a line break."""
    return _RAW_IN_JSON.sub(lambda m: f"\\u{ord(m.group()):04x}", json.dumps(record, ensure_ascii=False))


def write(path: str | Path, records: Iterable) -> None:
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "w", encoding="utf-8", newline="") as handle:
        for record in records:
            handle.write(dumps(record) + "\n")


def append(path: str | Path, record) -> None:
    """Add one record with a single write, so concurrent appenders never interleave inside a line."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    line = dumps(record) + "\n"
    with _APPEND_LOCK, open(path, "a", encoding="utf-8", newline="") as handle:
        handle.write(line)


def split(text: str) -> Iterator[tuple[int, str]]:
    """(line number, line) of each non-blank line; numbers count "\\n" only, as the writer does."""
    for number, line in enumerate(text.split("\n"), start=1):
        if line.strip():
            yield number, line


def read_lines(path: str | Path) -> list[tuple[int, str]]:
    """split() of a file (UTF-8, a leading BOM ignored); FileNotFoundError and UnicodeDecodeError propagate."""
    with open(path, encoding="utf-8-sig", newline="") as handle:
        return list(split(handle.read()))


def read(path: str | Path) -> list:
    """Every record of a file the project wrote; a malformed line raises ValueError naming FILE:LINE."""
    records = []
    for number, line in read_lines(path):
        try:
            records.append(json.loads(line))
        except json.JSONDecodeError as exc:
            raise ValueError(f"{path}:{number}: not valid JSON ({exc.msg})") from None
    return records
