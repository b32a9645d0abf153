"""Property tests (hypothesis) of the citation verifier, quote locator and chunker: offsets always point at the text."""
from __future__ import annotations

import pytest
from hypothesis import HealthCheck, assume, example, given, settings
from hypothesis import strategies as st

from assistant.chunking import EMBED_TOKEN_LIMIT, chunk_document
from assistant.citations import Citation, _normalised_with_map, locate, verify
from assistant.corpus import DocMeta, SourceDocument

from rb_support import REPORT

REPORT_TEXT = REPORT.read_text(encoding="utf-8")
FUZZ = settings(max_examples=300, deadline=None,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much])

# Text that stresses the locator: typography it folds, whitespace it collapses, case, non-BMP and combining chars.
TRICKY = st.sampled_from(list("“”‘’\"'—–-\u00a0 \t\n\r.,;:()[]") + ["İ", "ß", "ﬁ", "Σ", "ς", "ǅ", "e\u0301", "😀", "Ⅻ"])
TEXT = st.lists(st.characters(codec="utf-8") | TRICKY, max_size=300).map("".join)


def norm(text: str) -> str:
    return _normalised_with_map(text)[0].strip()


def stripped(quote: str) -> str:
    return quote.strip().strip("\"“”'‘’").strip()


def citation(quote: str, start: int, end: int) -> Citation:
    return Citation(n=1, doc_id="d", title="t", section="", page=None, quote=quote, start=start, end=end)


# ----- verify -----
@FUZZ
@given(TEXT, st.integers(-5, 420), st.integers(-5, 420))
def test_verify_accepts_exactly_the_cited_span(doc, start, end):
    quote = doc[max(start, 0):max(end, 0)]
    expected = 0 <= start < end <= len(doc) and bool(quote.strip())
    assert verify(citation(quote, start, end), doc) is expected


@FUZZ
@given(TEXT, st.data())
def test_verify_rejects_a_shifted_or_altered_quote(doc, data):
    assume(len(doc.strip()) >= 2)
    start = data.draw(st.integers(0, len(doc) - 1))
    end = data.draw(st.integers(start + 1, len(doc)))
    quote = doc[start:end]
    assume(quote.strip())
    assert verify(citation(quote, start, end), doc)
    shift = data.draw(st.sampled_from([-1, 1]))
    if 0 <= start + shift < end + shift <= len(doc) and doc[start + shift:end + shift] != quote:
        assert not verify(citation(quote, start + shift, end + shift), doc)
    altered = quote + "x"
    assert not verify(citation(altered, start, end), doc)
    assert not verify(citation(quote, start, end), None)


# ----- locate -----
@FUZZ
@given(TEXT, st.data())
@example("İstanbul and ISKP: “three in India”", None)
def test_located_substring_points_at_its_text(doc, data):
    if data is None:  # the @example: a case-folding length change before the quote
        start, end = doc.index("three"), len(doc) - 1
    else:
        assume(len(doc) >= 3)
        start = data.draw(st.integers(0, len(doc) - 3))
        end = data.draw(st.integers(start + 3, len(doc)))
    quote = doc[start:end]
    assume(len(stripped(quote)) >= 3)
    span = locate(quote, doc)
    assert span is not None, (quote, doc)
    s, e = span
    assert 0 <= s < e <= len(doc)
    assert norm(doc[s:e]) == norm(stripped(quote)), (doc[s:e], quote)


@FUZZ
@given(TEXT, TEXT, st.data())
def test_locate_never_returns_a_span_that_is_not_the_quote(doc, quote, data):
    lo = data.draw(st.integers(0, len(doc)))
    hi = data.draw(st.integers(lo, len(doc)))
    span = locate(quote, doc, lo, hi)
    if span is not None:
        s, e = span
        assert lo <= s < e <= hi
        assert norm(doc[s:e]) == norm(stripped(quote))


RETYPE = st.sampled_from([str.upper, str.lower, str.swapcase, lambda q: q.replace(" ", "  "),
                          lambda q: q.replace("“", '"').replace("’", "'").replace("—", "-")])


@FUZZ
@given(TEXT, st.data(), RETYPE)
@example("İİİ and ISKP: three  in India", (17, 29), str.swapcase)
@example("ﬁﬁ ISKP THREE in India", (8, 22), str.lower)
@example("ǅ Σς “three”\u00a0in İndia", (5, 24), str.upper)
def test_retyped_substring_is_found_at_its_offsets(doc, data, retype):
    """The tolerant path (case, spacing, typography) must map back to offsets of the original text."""
    if isinstance(data, tuple):
        start, end = data
    else:
        assume(doc)
        start = data.draw(st.integers(0, len(doc) - 1))
        end = data.draw(st.integers(start, len(doc)))
    quote = retype(doc[start:end])
    span = locate(quote, doc)
    needle = norm(stripped(quote))
    if len(stripped(quote)) >= 3 and needle and needle in norm(doc):
        assert span is not None, (quote, doc)
    if span is not None:
        assert norm(doc[span[0]:span[1]]) == needle, (doc[span[0]:span[1]], quote, doc)


SPLITTERS = st.sampled_from(["  ", "\n", " \n ", "\u00a0", "\t"])


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.filter_too_much])
@given(st.integers(0, len(REPORT_TEXT) - 200), st.integers(12, 180), st.booleans(), SPLITTERS)
def test_retyped_quotes_from_the_report_are_found_at_their_offsets(start, length, upper, space):
    """A quote an LLM retyped (straight quotes and dashes, other spacing, other case) maps back to the span."""
    end = start + length
    original = REPORT_TEXT[start:end]
    assume(len(stripped(original)) >= 3 and not original[0].isspace() and not original[-1].isspace())
    assume(original[0] not in "\"“”'‘’" and original[-1] not in "\"“”'‘’")
    retyped = (original.replace("“", '"').replace("”", '"').replace("’", "'").replace("—", "-")
               .replace(" ", space))
    retyped = retyped.upper() if upper else retyped
    span = locate(retyped, REPORT_TEXT)
    assert span is not None
    assert norm(REPORT_TEXT[span[0]:span[1]]) == norm(original)
    assert REPORT_TEXT.find(original) == span[0] or norm(REPORT_TEXT[span[0]:span[1]]) == norm(original)


# ----- chunker -----
WORD = st.text(alphabet=st.characters(codec="utf-8", exclude_categories=["Cc", "Cs", "Zs", "Zl", "Zp"]),
               min_size=1, max_size=14)
SENTENCE = st.lists(WORD, min_size=1, max_size=30).map(lambda ws: " ".join(ws) + ".")
HEADING = st.lists(WORD, min_size=1, max_size=6).map(lambda ws: (ws[0][:1].upper() + ws[0][1:] + " " + " ".join(ws[1:])).strip())
BULLETS = st.lists(SENTENCE, min_size=1, max_size=6).map(lambda items: "\n".join(f"  • {i}" for i in items))
LONG_WORD = st.integers(30, 400).map(lambda n: "x" * n)
BLOCK = st.one_of(
    st.lists(SENTENCE, min_size=1, max_size=12).map(" ".join),
    HEADING, HEADING.map(lambda h: "# " + h), BULLETS,
    st.tuples(SENTENCE, BULLETS).map(lambda t: t[0][:-1] + ":\n" + t[1]),
    LONG_WORD, st.just("   "), st.just("\t\n"),
)
SEPARATOR = st.sampled_from(["\n\n", "\n\n\n", "\n \n", "\n", " \n\n\t"])
DOC = st.lists(st.tuples(BLOCK, SEPARATOR), min_size=1, max_size=14).map(lambda bs: "".join(b + s for b, s in bs))


def cheap_tokens(text: str) -> int:
    return len(text.split()) + 2


def covered(text: str, chunks) -> bool:
    inside = bytearray(len(text))
    for chunk in chunks:
        inside[chunk.start:chunk.end] = b"\x01" * (chunk.end - chunk.start)
    return all(inside[i] or ch.isspace() for i, ch in enumerate(text))


def check_chunks(text: str, count_tokens, max_tokens: int, authors=(), date="") -> None:
    doc = SourceDocument(DocMeta("doc", "A Title", list(authors), date), text, "sha")
    chunks = chunk_document(doc, count_tokens, max_tokens)
    for chunk in chunks:
        assert 0 <= chunk.start < chunk.end <= len(text)
        assert chunk.text == text[chunk.start:chunk.end]
        assert chunk.text.strip(), chunk
        assert count_tokens(chunk.text) <= max_tokens, (count_tokens(chunk.text), chunk.text)
        assert count_tokens(chunk.embed_text()) <= EMBED_TOKEN_LIMIT
        assert chunk.chunk_id == f"doc:{chunk.start}-{chunk.end}"
    assert covered(text, chunks), "some non-whitespace text is in no chunk"
    assert len({c.chunk_id for c in chunks}) == len(chunks)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(DOC, st.integers(4, 120))
@example('0 !] 0.\n\n', 4)  # found by this test: a closing bracket after "!" fell between two sentences
def test_chunks_are_exact_spans_within_budget_covering_all_text(text, max_tokens):
    check_chunks(text, cheap_tokens, max_tokens)


@settings(max_examples=150, deadline=None)
@given(TEXT, st.integers(4, 60))
def test_chunker_on_arbitrary_text(text, max_tokens):
    check_chunks(text.replace("\r", "\n"), cheap_tokens, max_tokens)


@pytest.fixture(scope="module")
def real_count_tokens():
    from assistant.embedder import get_embedder

    return get_embedder().count_tokens


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large,
                                                                  HealthCheck.function_scoped_fixture])
@given(DOC, st.sampled_from([40, 120, 180]))
def test_chunks_fit_the_real_embedder_tokenizer(real_count_tokens, text, max_tokens):
    check_chunks(text, real_count_tokens, max_tokens, authors=["A. Author", "B. Écrivain"], date="2024-04-02")


def test_the_report_chunks_exactly_with_the_real_tokenizer(real_count_tokens):
    check_chunks(REPORT_TEXT, real_count_tokens, 180, authors=["Amira Jadoon", "Andrew Mines", "Aaron Y. Zelin"],
                 date="2024-04-02")
