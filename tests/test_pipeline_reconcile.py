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


def test_another_place_s_profile_giving_its_own_border_is_no_disagreement():
    from assistant.focus import DocumentNames
    texts = {"fb-a": "Land boundaries, border countries: Gammaland 144 km; Betaland 1,793 km.",
             "fb-b": "Land boundaries, border countries: Gammaland 804 km; Alphaland 1,793 km.",
             "fb-c": "Land boundaries, border countries: Alphaland 144 km."}
    metas = {"fb-a": DocMeta("fb-a", "The Atlas: Alphaland", kind="atlas"),
             "fb-b": DocMeta("fb-b", "The Atlas: Betaland", kind="atlas"),
             "fb-c": DocMeta("fb-c", "The Atlas: Gammaland", kind="atlas")}
    index = SimpleNamespace(doc_text=texts.get, doc_meta=metas.get, page_at=lambda doc_id, offset: None)
    quote = Citation(n=1, doc_id="fb-a", title="The Atlas: Alphaland", section="", page=None, quote=texts["fb-a"],
                     start=0, end=len(texts["fb-a"]))
    found = [Passage(doc_id=d, title=metas[d].title, section="", page=None, start=0, end=len(texts[d]),
                     text=texts[d], chunk_ids=[d], score=1.0, similarity=0.8, n=i) for i, d in enumerate(texts, 1)]
    question = "How many km of border does Alphaland share with Gammaland?"
    names = DocumentNames(metas)
    assert reconcile.run(question, "144 km [1].", [quote], found, texts, index, names).text == "144 km [1]."
    # Without knowing whose profile is whose, Betaland's figure for Gammaland reads as a second value.
    assert reconcile.run(question, "144 km [1].", [quote], found, texts, index).text.startswith("The sources differ")
