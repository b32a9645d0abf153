"""Stage reconcile: another document giving a different count makes the answer say that the sources differ."""
from types import SimpleNamespace

from assistant.citations import Citation
from assistant.corpus import DocMeta
from assistant.pipeline import reconcile
from assistant.retrieval import Passage

REPORT = "Since 2015, foreign law enforcement has interdicted at least sixteen ISKP plots."
COURT = "Court records gathered in 2025 list 23 ISKP plots interdicted by foreign law enforcement since 2015."
TEXTS = {"report": REPORT, "court": COURT}
METAS = {"report": DocMeta("report", "The report", date="2024-04-02"),
         "court": DocMeta("court", "Court records", date="2025-03-01")}
QUESTION = "How many ISKP plots has foreign law enforcement interdicted since 2015?"
QUOTE = Citation(n=1, doc_id="report", title="The report", section="", page=None, quote=REPORT, start=0,
                 end=len(REPORT), date="2024-04-02")


def passage(doc_id, n):
    return Passage(doc_id=doc_id, title=METAS[doc_id].title, section="", page=None, start=0, end=len(TEXTS[doc_id]),
                   text=TEXTS[doc_id], chunk_ids=[doc_id], score=1.0, similarity=0.8, n=n)


INDEX = SimpleNamespace(doc_text=TEXTS.get, doc_meta=METAS.get, page_at=lambda doc_id, offset: None)


def test_agreeing_sources_leave_the_answer_alone():
    result = reconcile.run(QUESTION, "Sixteen [1].", [QUOTE], [passage("report", 1)], {"report": REPORT}, INDEX)
    assert result == reconcile.Reconciled("Sixteen [1].", [QUOTE])


def test_a_different_count_elsewhere_is_shown_beside_the_answer():
    result = reconcile.run(QUESTION, "Sixteen [1].", [QUOTE], [passage("report", 1), passage("court", 2)],
                           {"report": REPORT}, INDEX)  # the other document's text comes from the index
    assert result.text.startswith("The sources differ") and "2025-03-01" in result.text
    assert [c.doc_id for c in result.citations] == ["report", "court"] and "23" in result.citations[1].quote
    assert result.notice == "The sources give different values for the plots asked about; both are shown."
