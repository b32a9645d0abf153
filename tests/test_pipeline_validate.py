"""Stage validate: the request is checked before the index opens; doc_ids against the open index."""
from types import SimpleNamespace

import pytest

from assistant.pipeline import validate
from assistant.validation import QuestionError

OPENED = SimpleNamespace(index=SimpleNamespace(docs={"report": None, "notes": None}))


def opener(calls):
    def open_index():
        calls.append(1)
        return OPENED
    return open_index


def test_a_good_request_is_cleaned_and_carries_the_open_index():
    request = validate.run("  How many plots?  ", "3", ["notes", "notes"], max_chars=100, open_index=opener([]))
    assert request.question == "How many plots?" and request.top_k == 3
    assert request.doc_ids == ["notes"] and request.opened is OPENED


@pytest.mark.parametrize("question, top_k", [("", None), ("?!", None), ("x" * 101, None), ("Fine?", 0),
                                             ("Fine?", "many")])
def test_a_bad_question_or_top_k_never_opens_the_index(question, top_k):
    calls = []
    with pytest.raises(QuestionError):
        validate.run(question, top_k, None, max_chars=100, open_index=opener(calls))
    assert calls == []


def test_unknown_document_ids_are_named():
    with pytest.raises(QuestionError, match="'missing'"):
        validate.run("How many plots?", None, ["report", "missing"], max_chars=100, open_index=opener([]))
