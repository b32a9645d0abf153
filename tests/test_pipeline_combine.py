"""Stage combine: sub-answers stated each with its own verified quotes, renumbered; a comparison's verdict only when
both values are stated."""
from __future__ import annotations

from assistant.citations import Citation, verify
from assistant.keyfacts import unsupported
from assistant.pipeline import combine, decompose
from assistant.pipeline.combine import SubAnswer

DOCS = {
    "fb-a": "# The World Factbook: Iran\n\nCoastline: 2,440 km.\n\nIndependence: 1 April 1979 (republic proclaimed).\n\n"
            "Area, total: 1,648,195 sq km.",
    "fb-b": "# The World Factbook: Pakistan\n\nCoastline: 1,046 km.\n\nIndependence: 14 August 1947 (from the UK).\n\n"
            "It has ruled the country for more than 30 years.",
    "report": "ISKP fired rockets at Tajikistan and Uzbekistan.",
    "plots": "Foreign law enforcement has interdicted sixteen plots: four in Iran and three in Turkey.",
    "fb-in": "# The World Factbook: India\n\nNational heritage, total World Heritage Sites: 44 (36 cultural, 7 natural, "
             "1 mixed).",
    "fb-ch": "# The World Factbook: China\n\nNational heritage, total World Heritage Sites: 60 (41 cultural, 15 natural, "
             "4 mixed).",
    "fb-ir-el": "# The World Factbook: Iran\n\nElevation, highest point: Kuh-e Damavand 5,625 m.",
    "fb-af-el": "# The World Factbook: Afghanistan\n\nElevation, highest point: Noshak 7,492 m.",
}


def cite(doc_id: str, quote: str, n: int = 1) -> Citation:
    start = DOCS[doc_id].index(quote)
    return Citation(n, doc_id, doc_id, "", None, quote, start, start + len(quote))


def naming(about: str, citations: list[Citation]) -> Citation | None:
    for c in citations:
        span = combine.first_naming_sentence(about, DOCS[c.doc_id])
        if span:
            return cite(c.doc_id, DOCS[c.doc_id][span[0]:span[1]])
    return None


def answer(about: str, doc_id: str, quote: str) -> SubAnswer:
    return SubAnswer(f"of {about}?", about, f"“{quote}” [1]", [cite(doc_id, quote)])


def claims_hold(combined: combine.Combined) -> bool:
    """Each claim's numbers and names are stated by the quotes its markers cite (what the eval checks)."""
    from assistant.eval.metrics import claim_checks
    citations = [{**c.to_json(), "valid": verify(c, DOCS[c.doc_id])} for c in combined.citations]
    return all(c["valid"] for c in citations) and not any(c["missing"] for c in claim_checks(combined.text, citations))


def test_a_comparison_states_which_is_larger_with_both_values_and_each_sub_answer_as_a_list_item():
    plan = decompose.run("Which has the longer coastline, Iran or Pakistan?")
    combined = combine.run(plan, [answer("Iran", "fb-a", "Coastline: 2,440 km."),
                                  answer("Pakistan", "fb-b", "Coastline: 1,046 km.")], naming)
    assert combined is not None
    lines = combined.text.split("\n")
    assert lines[0].startswith("Iran [") and "longer by 1,394 km: 2,440 km, against Pakistan’s 1,046 km" in lines[0]
    assert lines[2].startswith("- Iran [") and lines[3].startswith("- Pakistan [")
    assert [c.n for c in combined.citations] == list(range(1, len(combined.citations) + 1))
    assert claims_hold(combined), combined.text
    assert not unsupported("Iran", [combined.citations[1].quote])  # the name cited to its document's title line


def test_smaller_and_earlier_answer_when_the_comparative_asks_for_them():
    plan = decompose.run("Which became independent first, Iran or Pakistan?")
    combined = combine.run(plan, [answer("Iran", "fb-a", "Independence: 1 April 1979 (republic proclaimed)."),
                                  answer("Pakistan", "fb-b", "Independence: 14 August 1947 (from the UK).")], naming)
    assert combined is not None and combined.text.startswith("Pakistan [") and "14 August 1947" in combined.text
    assert claims_hold(combined), combined.text


def test_no_verdict_without_both_values_and_a_notice_for_the_missing_one():
    plan = decompose.run("Which has the longer coastline, Iran or Pakistan?")
    combined = combine.run(plan, [answer("Iran", "fb-a", "Coastline: 2,440 km."),
                                  SubAnswer("of Pakistan?", "Pakistan", None)], naming)
    assert combined is not None and "longer" not in combined.text
    assert combined.notice and "Pakistan" in combined.notice
    assert combine.run(plan, [SubAnswer("a", "Iran", None), SubAnswer("b", "Pakistan", None)], naming) is None


def test_a_bridge_states_its_lead_then_each_place_named_by_the_lead_quote():
    plan = decompose.run("The report says ISKP fired rockets at two neighbours. What are those countries' coastlines?")
    lead = SubAnswer(plan.parts[0], "", "“ISKP fired rockets at Tajikistan and Uzbekistan.” [1]",
                     [cite("report", "ISKP fired rockets at Tajikistan and Uzbekistan.")])
    place = SubAnswer("x", "Tajikistan", "“Coastline: 2,440 km.” [1]", [cite("fb-a", "Coastline: 2,440 km.")])
    combined = combine.run(plan, [lead, place], naming)
    assert combined is not None
    assert combined.text == "“ISKP fired rockets at Tajikistan and Uzbekistan.” [1]\n\nTajikistan [1]: “Coastline: 2,440 km.” [2]"
    assert combine.run(plan, [lead], naming) is None  # no place answered: the question is answered whole


def test_a_question_after_a_statement_is_answered_then_the_statement_in_the_sources_words():
    def cite(n, doc, quote, start):
        return Citation(n=n, doc_id=doc, title=doc, section="", page=None, quote=quote, start=start, end=start + 9)

    answer = SubAnswer("Who heads the German government?", "", "Chancellor Friedrich MERZ [1].",
                       [cite(1, "factbook-gm", "Chancellor Friedrich MERZ", 100)])
    premise = SubAnswer("Germany had three plots foiled.", "", "“three in Germany” [1]",
                        [cite(1, "report", "three in Germany", 50)])
    combined = combine.with_premise(answer, premise)
    assert combined.text == "Chancellor Friedrich MERZ [1].\n\n“three in Germany” [2]"
    assert [(c.n, c.doc_id) for c in combined.citations] == [(1, "factbook-gm"), (2, "report")]
    unfound = combine.with_premise(answer, SubAnswer("Germany had five plots.", "", None))
    assert unfound.text == "Chancellor Friedrich MERZ [1]." and len(unfound.citations) == 1


def test_no_verdict_between_values_of_different_measures():
    plan = decompose.run("Is Pakistan larger than Iran?")
    combined = combine.run(plan, [answer("Pakistan", "fb-b", "It has ruled the country for more than 30 years."),
                                  answer("Iran", "fb-a", "Area, total: 1,648,195 sq km.")], naming)
    assert combined is not None and "larger:" not in combined.text


def test_joined_questions_are_answered_each_in_turn_and_an_unanswered_one_is_named():
    plan = decompose.run("How long is Iran's coastline? When did Pakistan become independent?")
    combined = combine.run(plan, [answer("", "fb-a", "Coastline: 2,440 km."),
                                  answer("", "fb-b", "Independence: 14 August 1947 (from the UK).")], naming)
    assert combined is not None and combined.text.split("\n\n") == [
        "“Coastline: 2,440 km.” [1]", "“Independence: 14 August 1947 (from the UK).” [2]"]
    assert combined.notice is None and claims_hold(combined)
    partial = combine.run(plan, [answer("", "fb-a", "Coastline: 2,440 km."),
                                 SubAnswer(plan.parts[1], "", None)], naming)
    assert partial is not None and partial.notice and plan.parts[1] in partial.notice
    assert partial.text.startswith("“Coastline: 2,440 km.” [1]") and partial.text.endswith(partial.notice)
    assert combine.run(plan, [SubAnswer(p, "", None) for p in plan.parts], naming) is None


def test_no_verdict_between_a_count_and_a_percentage():
    docs = {"fb-a": "Population, total: 84,625,585 (2025 est.).", "fb-b": "Population growth rate: 0.72% (2025 est.)."}
    plan = decompose.run("Which has a larger population, Turkey or India?")
    answers = [SubAnswer("of Turkey?", "Turkey", "84,625,585 [1]", [Citation(1, "fb-a", "fb-a", "", None,
                                                                              docs["fb-a"], 0, len(docs["fb-a"]))]),
               SubAnswer("of India?", "India", "“Population growth rate: 0.72% (2025 est.).” [1]",
                         [Citation(1, "fb-b", "fb-b", "", None, docs["fb-b"], 0, len(docs["fb-b"]))])]
    combined = combine.run(plan, answers, lambda about, citations: None)
    assert combined is not None and "larger" not in combined.text.split("\n")[0], combined.text


def test_of_a_breakdown_the_verdict_compares_the_values_the_question_qualifies():
    plan = decompose.run("Which has more natural World Heritage Sites, India or China?")
    india, china = (DOCS[d].split("\n\n")[1] for d in ("fb-in", "fb-ch"))
    parts = [SubAnswer(q, about, f"“{quote}” [1]", [cite(d, quote)])
             for q, about, d, quote in zip(plan.parts, ("India", "China"), ("fb-in", "fb-ch"), (india, china))]
    combined = combine.run(plan, parts, naming)
    assert combined is not None and combined.text.startswith("China [") and "more by 8: 15, against India’s 7" in \
        combined.text
    assert claims_hold(combined), combined.text
    unqualified = decompose.run("Which has more World Heritage Sites, India or China?")
    parts = [SubAnswer(q, a.about, a.text, a.citations) for q, a in zip(unqualified.parts, parts)]
    combined = combine.run(unqualified, parts, naming)
    assert combined is not None and "more by" not in combined.text  # several values, none asked for alone


def test_counts_written_in_words_are_compared_too():
    plan = decompose.run("Were more plots foiled in Iran or in Turkey?")
    quote = DOCS["plots"]
    parts = [SubAnswer(q, about, f"{count} in {about} [1].\n\n“{quote}” [1]", [cite("plots", quote)])
             for q, about, count in zip(plan.parts, ("Iran", "Turkey"), ("Four", "Three"))]
    combined = combine.run(plan, parts, naming)
    assert combined is not None and combined.text.startswith("Iran [1] — more by 1: four, against Turkey’s three")
    assert claims_hold(combined), combined.text


def test_a_unit_spelt_out_by_the_model_stays_with_the_verdict():
    plan = decompose.run("Which has the higher highest point, Iran or Afghanistan?")
    parts = [SubAnswer(q, about, f"{about}'s highest point is {peak} at {height} meters [1].", [cite(d, quote)])
             for q, about, d, peak, height, quote in zip(
                 plan.parts, ("Iran", "Afghanistan"), ("fb-ir-el", "fb-af-el"), ("Kuh-e Damavand", "Noshak"),
                 ("5,625", "7,492"), ("Elevation, highest point: Kuh-e Damavand 5,625 m.",
                                      "Elevation, highest point: Noshak 7,492 m."))]
    combined = combine.run(plan, parts, naming)
    assert combined is not None, plan
    assert "by 1,867 meters: 7,492 meters, against Iran’s 5,625 meters" in combined.text.split("\n")[0], combined.text
    assert claims_hold(combined), combined.text


def test_no_verdict_between_two_factbook_fields_though_both_are_plain_counts():
    plan = decompose.run("Which has more people online, India or China?")

    def combined(india: str, china: str) -> str:
        docs = {"fb-in": f"# The World Factbook: India\n\n{india}", "fb-ch": f"# The World Factbook: China\n\n{china}"}

        def quoted(doc_id: str, quote: str, n: int = 1) -> Citation:
            start = docs[doc_id].index(quote)
            return Citation(n, doc_id, doc_id, "", None, quote, start, start + len(quote))

        def naming_in(about: str, citations: list[Citation]) -> Citation | None:
            spans = [(c.doc_id, combine.first_naming_sentence(about, docs[c.doc_id])) for c in citations]
            return next((quoted(d, docs[d][span[0]:span[1]]) for d, span in spans if span), None)

        answers = [SubAnswer(q, about, f"“{quote}” [1]", [quoted(d, quote)])
                   for q, about, d, quote in zip(plan.parts, ("India", "China"), ("fb-in", "fb-ch"), (india, china))]
        result = combine.run(plan, answers, naming_in)
        assert result is not None
        return result.text

    population = "Population, total: 1,419,316,933 (2025 est.)."
    assert "more by 12,135,724" in combined(population, "Population, total: 1,407,181,209 (2025 est.).")
    assert "more by" not in combined(population, "Broadcast media: state-run stations offer more than 2,000 channels.")
