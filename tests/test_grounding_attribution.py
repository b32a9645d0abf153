"""A claim that says which document its words come from ("the report warns") must cite that document."""
from assistant.corpus import DocMeta
from assistant.grounding import ground
from assistant.retrieval import Passage

REPORT = ("Tajik nationals have been involved in many ISKP external operations. "
          "This should serve as a warning to Tajikistan, especially if its political circumstances change.")
PROFILE = ("Economic overview: Tajikistan faces major challenges, including dependence on remittances. "
           "Population, total: 10,593,876 (2025 est.). The 2024 Trafficking in Persons Report placed Tajikistan "
           "on Tier 2.")
DOCS = {"report": REPORT, "fb-ti": PROFILE}
METAS = {"report": DocMeta("report", "The Next Afghan Jihad?", authors=["A. Jadoon", "A. Mines"], kind="report"),
         "fb-ti": DocMeta("fb-ti", "The World Factbook: Tajikistan", authors=["Central Intelligence Agency"],
                          kind="factbook")}


def passages() -> list[Passage]:
    return [Passage(doc_id, METAS[doc_id].title, "", None, 0, len(text), text, [doc_id], 1.0, 0.5, n=n)
            for n, (doc_id, text) in enumerate(DOCS.items(), start=1)]


def grounded(draft: str) -> tuple[str, list[str]]:
    text, citations = ground(draft, passages(), DOCS, METAS)
    return text, [c.doc_id for c in citations]


def test_a_claim_the_report_is_said_to_make_is_not_shown_citing_a_profile():
    text, cited = grounded("The report thinks Tajikistan faces major challenges, including dependence on "
                           "remittances [2].")
    assert (text, cited) == ("", [])
    text, cited = grounded("The authors believe Tajikistan faces major challenges, including dependence on "
                           "remittances [2].")
    assert (text, cited) == ("", [])


def test_the_same_claim_without_an_attribution_keeps_its_profile_quote():
    text, cited = grounded("Tajikistan faces major challenges, including dependence on remittances [2].")
    assert text.endswith("[1].") and cited == ["fb-ti"]


def test_a_misattributed_claim_is_recited_to_the_document_it_names_when_that_states_it():
    text, cited = grounded("The report warns Tajikistan, especially if its political circumstances change [2].")
    assert text.endswith("[1].") and cited == ["report"], text


def test_the_factbook_is_not_credited_with_the_reports_words():
    draft = "The Factbook says Tajik nationals have been involved in many ISKP external operations [1]."
    assert grounded(draft) == ("", [])
    text, cited = grounded(draft.replace("The Factbook says", "The report says"))
    assert cited == ["report"] and text.endswith("[1].")


def test_a_document_kind_inside_a_quotation_is_not_an_attribution():
    draft = "Tajikistan faces “major challenges, including dependence on remittances” in the report's words [2]."
    # "report" outside the quotation: attributed, and only the profile says it
    assert grounded(draft) == ("", [])
    text, cited = grounded("Its overview reads “Tajikistan faces major challenges” [2].")
    assert cited == ["fb-ti"], text


def test_a_title_ending_in_a_kind_word_is_no_attribution():
    text, cited = grounded("Tajikistan was placed on Tier 2 by the 2024 Trafficking in Persons Report [2].")
    assert cited == ["fb-ti"], text


def test_a_quote_in_a_passage_running_across_a_heading_names_its_own_section():
    from assistant.grounding import citation_at
    from assistant.retrieval import Passage

    text = "## Transportation\n\nAirports: 9.\n\n## Military and Security\n\nTroops: about 4,000 active (2025)."
    split = text.index("## Military")
    passage = Passage(doc_id="d", title="Profile", section="Transportation", page=None, start=0, end=len(text),
                      text=text, chunk_ids=["a", "b"], score=1.0, similarity=1.0, n=1,
                      sections=[(0, "Transportation"), (split, "Military and Security")])
    start = text.index("Troops")
    cited = citation_at(passage, start, len(text), text, None, lambda doc_id, offset: None)
    assert cited is not None and cited.section == "Military and Security"
    first = citation_at(passage, text.index("Airports"), text.index("9.") + 2, text, None, lambda d, o: None)
    assert first is not None and first.section == "Transportation"
