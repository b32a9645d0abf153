"""The final event: an answer or an abstention, with the notices and timings of the request."""
from assistant.answer import ABSTAIN_TEXT
from assistant.pipeline.reply import Reply


def reply():
    return Reply("q?", "q?", [], "extractive", "none", ["earlier"], {"retrieve": 1.0}, started=0.0)


def test_an_abstention_adds_its_notice_and_the_total_time():
    event = reply().abstain("why")
    assert event.kind == "final" and event.answer.abstained and event.answer.text == ABSTAIN_TEXT
    assert event.answer.notices == ["earlier", "why"] and set(event.answer.timings_ms) == {"retrieve", "total"}


def test_an_answer_keeps_its_text_and_citations():
    event = reply().final("Sixteen [1].", ["c"])
    assert not event.answer.abstained and event.answer.citations == ["c"] and event.answer.notices == ["earlier"]
