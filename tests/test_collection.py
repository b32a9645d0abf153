"""The bundled collection as a new user gets it: the report plus its related Factbook profiles, its example questions."""
from __future__ import annotations

import re

import pytest

from assistant.citations import verify
from assistant.corpus import load_collection
from assistant.engine import Engine
from assistant.settings import Settings

from fixtures.corpus import ROOT, bundled_corpus
from fixtures.indexes import seeded
from fixtures.llm import ScriptedLLM, passage_number

# What each example's answer must rest on: (document, words its quote must state).
EXPECTED = {
    "How many ISKP plots has foreign law enforcement interdicted since 2015?":
        [("next-afghan-jihad", ["sixteen"])],
    "What are the three phases of ISKP's media operations?":
        [("next-afghan-jihad", ["first phase"]), ("next-afghan-jihad", ["second phase"])],
    "What role have Tajik nationals played in ISKP's external attacks?":
        [("next-afghan-jihad", ["Tajik nationals", "external attacks"])],
    "How might ISKP respond if TTP strikes a deal with Islamabad?":
        [("next-afghan-jihad", ["defect to ISKP"])],
    "Which countries share a border with Afghanistan?":
        [("factbook-af", ["border countries", "China", "Iran", "Pakistan", "Tajikistan", "Turkmenistan", "Uzbekistan"])],
    "Which terrorist groups operate in Tajikistan according to the Factbook, and what role have Tajik nationals "
    "played in ISKP attacks?":
        [("next-afghan-jihad", ["Tajik nationals"]), ("factbook-ti", ["Terrorist group(s)", "Khorasan Province"])],
}


@pytest.fixture(scope="module")
def engine(tmp_path_factory):
    base = tmp_path_factory.mktemp("collection")
    settings = Settings.load(corpus_dir=bundled_corpus(base / "corpus"), index_dir=base / "index",
                             backend="extractive")
    seeded(settings.index_dir, settings.corpus_dir, "bundled")
    engine = Engine(settings)
    engine.ensure_index()
    return engine


def test_the_bundled_collection_is_the_report_and_sixteen_related_profiles(engine):
    docs = {d.doc_id: d for d in engine.documents()}
    assert len(docs) == 17 and docs["next-afghan-jihad"].kind == "report"
    assert {d.kind for d_id, d in docs.items() if d_id != "next-afghan-jihad"} == {"factbook"}


def test_every_example_is_covered_here():
    assert set(load_collection(ROOT / "corpus").examples) == set(EXPECTED)


@pytest.mark.parametrize("question", list(EXPECTED))
def test_each_example_is_answered_with_verified_quotes_that_state_its_facts(engine, question):
    answer = engine.ask(question)
    assert not answer.abstained and answer.citations, answer.text
    for citation in answer.citations:
        _, text = engine.document(citation.doc_id)
        assert verify(citation, text), citation
    for doc_id, facts in EXPECTED[question]:
        quotes = [c.quote for c in answer.citations if c.doc_id == doc_id]
        assert any(all(fact in quote for fact in facts) for quote in quotes), (doc_id, facts, answer.text)


@pytest.mark.parametrize("question", ["How many ISKP plots were foiled in France?",
                                      "What is the highest point of Mongolia?"])
def test_a_question_about_something_no_passage_names_abstains(engine, question):
    answer = engine.ask(question)
    assert answer.abstained and answer.citations == []
    assert any("do not mention" in notice for notice in answer.notices)


@pytest.mark.parametrize("question, doc_ids, fact", [
    ("How long is Afghanistan's border with Iran?", {"factbook-af", "factbook-ir"}, "921 km"),  # not Pakistan's
    ("What is the median age of Afghanistan's population?", {"factbook-af"}, "total: 18.4"),  # the total
    ("Who wrote the report?", {"next-afghan-jihad"}, "Amira Jadoon"),
    ("What does ISKP stand for?", {"next-afghan-jihad"}, "Khorasan Province (ISKP)"),  # spelt out once, early
    ("What is the IRGC short for?", {"factbook-ir"}, "Islamic Revolutionary Guard Corps (IRGC)"),
    ("What's the tallest peak in Turkey?", {"factbook-tu"}, "Mount Ararat"),  # a "highest point" field
    ("What was Pakistan's GDP in PPP terms in 2024?", {"factbook-pk"}, "purchasing power parity) 2024"),
    ("Which religions are practised in Tajikistan?", {"factbook-ti"}, "Shia 3%) other 2%"),
    ("In what year were five ISKP plots foiled abroad?", {"next-afghan-jihad"}, "five in 2022"),  # of "these"
    ("Is Pakistan larger than Iran?", {"factbook-pk"}, "Area, total: 796,095 sq km"),  # not its military note
    ("On which day did the Taliban take over Afghanistan?", {"factbook-af"}, "15 August 2021"),  # "took over"
    ("Which terrorist groups does Uzbekistan's profile list?", {"factbook-uz"}, "Islamic Jihad Union"),  # not the note
    ("Which terrorist organisations are named in Uzbekistan's profile?", {"factbook-uz"}, "(IJU); Islamic"),
    ("Which terrorist groups have operated in Tajikistan?", {"factbook-ti"}, "Terrorist group(s): Islamic State"),
    ("Which terrorist groups have operated in Tajikistan?", {"factbook-ti"}, "note 1: US-designated"),  # and its note
    ("Which terrorist groups are active in Tajikistan?", {"factbook-ti"}, "Terrorist group(s): Islamic State"),  # not
    # dropped as a repeat of Uzbekistan's field, which shares most of its words
    ("What is Iran's inflation rate?", {"factbook-ir"}, "Inflation rate (consumer prices) 2024:"),  # latest year
    ("What is Iran's unemployment rate?", {"factbook-ir"}, "Unemployment rate 2024: 9.2%"),  # not the note
    ("What was Iran's unemployment rate in 2022?", {"factbook-ir"}, "Unemployment rate 2022: 9.1%"),
    ("What does the report see as a risk for Tajikistan?", {"next-afghan-jihad"}, "warning to Tajikistan"),  # both
    ("In which Afghan city has ISKP stepped up urban warfare?", {"next-afghan-jihad"}, "in Kabul"),
    ("Is Russia mentioned in the report?", {"next-afghan-jihad"}, "Russia, China"),  # where to read, not Russia's
    ("Does the report discuss Iran?", {"next-afghan-jihad"}, "in the Maldives and Iran"),
    ("What is TTP?", {"next-afghan-jihad"}, "Tehrik-e-Taliban Pakistan (TTP)"),  # spelt out
    ("What does the report recommend?", {"next-afghan-jihad"}, " should "),  # read in the report alone
    ("Which city is Tajikistan's capital?", {"factbook-ti"}, "Capital, name: Dushanbe"),
    ("The report counts three foiled plots in Germany. Who heads the German government?", {"factbook-gm"}, "MERZ"),
    ("The report counts three foiled plots in Germany. Who heads the German government?", {"next-afghan-jihad"},
     "three in Germany"),  # the statement, in the report's words
    # a field asked in everyday words, not its label's
    ("How big is Russia's territory?", {"factbook-rs"}, "Area, total: 17,098,242 sq km"),
    ("Which faith do most Maldivians hold?", {"factbook-mv"}, "Religions: Sunni Muslim"),  # not "Maldivian" alone
    ("How many people in Uzbekistan have jobs or are seeking work?", {"factbook-uz"}, "Labor force: 13.974 million"),
    ("When did the ISKP report come out?", {"next-afghan-jihad"}, "2 April 2024"),  # its first passage's dateline
])
def test_the_document_a_question_is_about_answers_it(engine, question, doc_ids, fact):
    answer = engine.ask(question)
    assert not answer.abstained and any(c.doc_id in doc_ids and fact in c.quote for c in answer.citations), \
        answer.text


@pytest.mark.parametrize("question", ["What does the report say about Algeria?",
                                      "Which Algerian group is in the report's list of earlier jihadist groups?"])
def test_a_question_naming_the_report_as_where_to_read_quotes_only_the_report(engine, question):
    answer = engine.ask(question)
    assert not answer.abstained and {c.doc_id for c in answer.citations} == {"next-afghan-jihad"}, answer.text


def test_a_question_asking_which_profiles_list_a_group_quotes_each_profile_that_does(engine):
    answer = engine.ask("Which Factbook profiles list ISIS-K as a terrorist group?")  # not those listing ISIS
    assert {"factbook-af", "factbook-uz"} <= {c.doc_id for c in answer.citations}, answer.text
    assert all("ISIS-K" in c.quote for c in answer.citations), answer.text


@pytest.mark.parametrize("question", [
    "How long is Saudi Arabia's coastline?",  # Saudi Arabia is named only in Qatar's border list
    "How many ISKP plots did Tajik security services interdict?",
    "What was Afghanistan's military spending as a percentage of GDP in 2024?",  # only earlier years are given
    "Which university employs Andrew Mines?",  # the byline says only who wrote the report
    "Which cities in Pakistan has ISKP struck across the border?",  # the report names the country, no city
    "Which Uzbek towns did ISKP rockets hit?",
    "How many ISKP plots were foiled in Afghanistan?",  # not one of the plots' places, though the report's title
    "How many people died in the Kabul airport attack?",  # deaths, not Kabul's population
    "Who leads ISKP?",  # the report names no ISKP leader ("U.S.-led" says who led the coalition)
    "Which currency is used in Libya?",  # Libya is named only in other profiles' lists
    "Who is the head of state of Armenia?",
    "How much crude oil does Afghanistan pump each day?",  # its profile gives the oil it uses, not any it pumps
])
def test_a_question_whose_words_are_in_the_corpus_but_not_its_answer_is_declined(engine, question):
    answer = engine.ask(question)
    assert answer.abstained, answer.text


@pytest.mark.parametrize("question, first, values", [
    ("Which has the larger population, Iran or Turkey?", "Iran", ["89,177,357", "84,625,585"]),
    ("Which country has fewer airports, Iran or Qatar?", "Qatar", ["8", "177"]),
    ("Is the total area larger in Iran or in Turkey?", "Iran", ["1,648,195", "783,562"]),
])
def test_a_comparison_answers_each_entity_from_its_own_document_then_says_which(engine, question, first, values):
    answer = engine.ask(question)
    assert not answer.abstained and answer.text.startswith(first), answer.text
    verdict = answer.text.split("\n")[0]
    assert all(v in verdict for v in values), verdict
    assert {c.doc_id for c in answer.citations} == {"factbook-ir", "factbook-tu" if "Turkey" in question else "factbook-qa"}
    assert sum(line.startswith("- ") for line in answer.text.split("\n")) == 2


def test_joined_questions_are_each_answered_from_their_own_document(engine):
    answer = engine.ask("How many ISKP plots were foiled in Qatar, and how long is the coastline of Qatar?")
    assert not answer.abstained and "One in Qatar" in answer.text and "563 km" in answer.text, answer.text
    assert {c.doc_id for c in answer.citations} == {"next-afghan-jihad", "factbook-qa"}
    partial = engine.ask("How long is the coastline of Qatar? How many ISKP plots were foiled in Mongolia?")
    assert not partial.abstained and "563 km" in partial.text, partial.text
    assert "do not answer “How many ISKP plots were foiled in Mongolia?”" in partial.text
    assert {c.doc_id for c in partial.citations} == {"factbook-qa"}


def test_a_bridge_question_answers_its_lead_from_the_report_then_the_place_from_its_profile(engine):
    answer = engine.ask("The report says Tajik nationals took part in ISKP operations in Germany. "
                        "What is that country's capital?")
    assert not answer.abstained and "Berlin" in answer.text, answer.text
    assert {c.doc_id for c in answer.citations} == {"next-afghan-jihad", "factbook-gm"}
    for citation in answer.citations:
        assert verify(citation, engine.document(citation.doc_id)[1])


def test_a_comparison_shows_each_part_s_draft_as_it_is_written_then_the_combined_answer(engine):
    """The first part's draft streams at once, not after every part is answered; the next after a blank line."""
    def cite_population(prompt: str) -> str:
        return f"The population is in passage [{passage_number(prompt, 'Population')}]."

    llm = ScriptedLLM(cite_population, chunk=None)
    events = list(Engine(engine.settings, backend=llm).session().ask_stream(
        "Which has the larger population, Iran or Turkey?"))
    searches = [i for i, e in enumerate(events) if e.kind == "status" and e.text.startswith("Searching for:")]
    first_token = next(i for i, e in enumerate(events) if e.kind == "token")
    assert len(searches) == 2 and searches[0] < first_token < searches[1], [(e.kind, e.text) for e in events]
    drafts = "".join(e.text for e in events if e.kind == "token").split("\n\n")
    assert len(drafts) == 2 and all(re.fullmatch(r"The population is in passage \[\d\]\.", d) for d in drafts), drafts
    assert events[-1].kind == "final" and events[-1].answer is not None


def test_a_bridge_lead_is_found_in_the_sources_and_the_model_writes_only_the_follow_part(engine):
    """The lead only has to name the place: its sentence is quoted at once (no model call), and the model answers
    the question asked of that place."""
    def cite_capital(prompt: str) -> str:
        return f"The capital is Berlin [{passage_number(prompt, 'Berlin')}]."

    llm = ScriptedLLM(cite_capital, chunk=None)
    events = list(Engine(engine.settings, backend=llm).session().ask_stream(
        "The report says Tajik nationals took part in ISKP operations in Germany. What is that country's capital?"))
    assert len(llm.prompts) == 1 and "Germany" in llm.prompts[0][-1]["content"], llm.prompts
    drafts = "".join(e.text for e in events if e.kind == "token").split("\n\n")
    assert "Tajik nationals" in drafts[0] and drafts[-1].startswith("The capital is Berlin"), drafts
    answer = events[-1].answer
    assert events[-1].kind == "final" and "Berlin" in answer.text, answer.text
    assert {c.doc_id for c in answer.citations} == {"next-afghan-jihad", "factbook-gm"}


def test_a_bridge_lead_resolves_to_the_places_of_the_clause_it_describes(engine):
    """The lead's sentence is the one whose clause shares its words and names places ("rocket strikes against
    Tajikistan and Uzbekistan"), not the best-scored sentence naming none; each place's capital follows."""
    answer = engine.ask("According to the report, ISKP launched rockets at two neighbouring Central Asian states. "
                        "Name the capitals of those states.")
    assert "Dushanbe" in answer.text and "Tashkent" in answer.text, answer.text
    assert "Islamabad" not in answer.text and "Male" not in answer.text, answer.text
    assert {c.doc_id for c in answer.citations} == {"next-afghan-jihad", "factbook-ti", "factbook-uz"}


def test_a_statement_naming_its_place_sets_the_scene_and_there_is_that_place(engine):
    """The follow question is asked of the place the statement names, whether or not the sources state the statement
    itself (an analyst's own framing)."""
    for question in ("The report says ISKP claimed an attack in the Maldives. How large is the military there?",
                     "Our desk is drafting a note on the Maldives. How large is the military there?"):
        answer = engine.ask(question)
        assert not answer.abstained and "3-4,000" in answer.text, (question, answer.text)
        assert "factbook-mv" in {c.doc_id for c in answer.citations}
        for citation in answer.citations:
            assert verify(citation, engine.document(citation.doc_id)[1])
    # the statement's own place, not the places of some sentence about it
    answer = engine.ask("My colleague is writing about Iran. What is the capital there?")
    assert "Tehran" in answer.text and {c.doc_id for c in answer.citations} == {"factbook-ir"}, answer.text


def test_who_publishes_the_profiles_is_answered_by_their_source_line_alone(engine):
    answer = engine.ask("Who publishes the World Factbook?")
    assert not answer.abstained and answer.citations, answer.text
    assert answer.citations[0].quote.startswith("Source: The World Factbook") and "Central Intelligence Agency" in \
        answer.citations[0].quote
    assert answer.text.startswith("“Source:"), answer.text  # no clause led by its edition year


def test_a_model_answer_leaving_out_names_its_quote_lists_is_followed_by_the_whole_quote(engine):
    def partial(prompt: str) -> str:
        return ("Its attacks abroad include claims of responsibility for attacks in the Maldives and Iran "
                f"[{passage_number(prompt, 'rocket strikes')}].")

    answer = Engine(engine.settings, backend=ScriptedLLM(partial, chunk=None)).ask(
        "Break down ISKP's attacks abroad under Taliban rule: which countries?")
    assert answer.text.startswith("Its attacks abroad include"), answer.text
    assert "rocket strikes against Tajikistan and Uzbekistan" in answer.text, answer.text  # the quote, whole
    numbers = [int(n) for n in re.findall(r"\[(\d+)\]", answer.text)]
    assert set(numbers) == {c.n for c in answer.citations} and len(answer.citations) == len(set(
        (c.doc_id, c.start) for c in answer.citations)), answer.citations


@pytest.mark.parametrize("question, fact", [
    ("When did Qatar become independent?", "Independence: 3 September 1971"),  # not "an independent state" undated
    ("When did Algeria become independent?", "Independence: 5 July 1962"),
])
def test_a_when_question_is_answered_by_the_sentence_dating_its_event(engine, question, fact):
    answer = engine.ask(question)
    assert not answer.abstained and fact in answer.citations[0].quote, answer.text


def test_a_model_answer_naming_one_of_its_quote_s_list_is_followed_by_the_whole_list_for_any_question(engine):
    def one_supplier(prompt: str) -> str:
        return f"China [{passage_number(prompt, 'other suppliers include')}]."

    answer = Engine(engine.settings, backend=ScriptedLLM(one_supplier, chunk=None)).ask(
        "From whom does Pakistan buy its imported arms?")
    assert answer.text.startswith("China"), answer.text
    assert "other suppliers include France, Russia" in answer.text, answer.text  # the quote, whole
    assert len(answer.citations) == len({(c.doc_id, c.start) for c in answer.citations}), answer.citations


def test_what_the_authors_say_of_a_country_is_read_in_the_report_not_the_country_s_profile(engine):
    answer = engine.ask("According to the authors, what should alarm Tajikistan?")
    assert answer.citations and {c.doc_id for c in answer.citations} == {"next-afghan-jihad"}, answer.text
    assert any("warning to Tajikistan" in c.quote for c in answer.citations), answer.text


@pytest.mark.parametrize("question, fact", [
    ("Is Algeria the largest country on its continent?", "largest country in Africa"),  # the superlative asked
    ("Who led Uzbekistan before Mirziyoyev?", "first president, Islom KARIMOV"),  # an earlier holder, not him
    ("Who was Turkmenistan's president before Gurbanguly Berdimuhamedov?", "Saparmurat NIYAZOV"),
])
def test_what_a_question_turns_on_is_what_its_first_quote_states(engine, question, fact):
    answer = engine.ask(question)
    assert not answer.abstained and fact in answer.citations[0].quote, answer.text


def test_who_held_a_post_before_someone_abstains_where_no_profile_names_a_predecessor(engine):
    assert engine.ask("Who was Germany's chancellor before Merz?").abstained
