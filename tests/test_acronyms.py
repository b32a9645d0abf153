"""Questions asking what an acronym stands for, and the text that spells one out."""
from __future__ import annotations

import pytest

from assistant import acronyms, asked
from assistant.keyfacts import mentions
from assistant.textutil import terms


@pytest.mark.parametrize("question, acronym", [
    ("What does the abbreviation ISKP stand for in the report?", "ISKP"),
    ("What is TTP short for?", "TTP"),
    ("What is the full name of the IMU?", "IMU"),
    ("ISIS-K stands for what?", "ISIS-K"),
    ("Expand LeT", "LeT"),
    ("What is AQIS an acronym for?", "AQIS"),
    ("what does iskp stand for", "ISKP"),
    ("What does the report say about ISKP?", None),
    ("What does it stand for?", None),
    ("What does ISKP stand to gain?", None),
])
def test_the_acronym_a_question_asks_to_spell_out(question, acronym):
    assert acronyms.asked_expansion(question) == acronym


@pytest.mark.parametrize("acronym, text, spelt", [
    ("ISKP", "the Islamic State’s Khorasan Province (ISKP) has shifted", True),
    ("TTP", "driven by the umbrella group Tehrik-e-Taliban Pakistan (TTP), and", True),
    ("ISIS", "Islamic State of Iraq and ash-Sham (ISIS); Islamic Movement", True),
    ("ISIS-K", "Islamic State of Iraq and ash-Sham - Khorasan (ISIS-K).", True),
    ("AQIS", "al-Qa’ida in the Indian Subcontinent (AQIS); Harakat", True),
    ("TTP", "TTP (Tehrik-e-Taliban Pakistan) has", True),
    ("ISI", "Pakistan's spy agency (ISI) said", False),  # initials that do not spell it
    ("ISKP", "ISKP has pursued a two-pronged approach", False),  # used, not spelt out
])
def test_a_text_spells_an_acronym_out_only_with_its_initials_beside_it(acronym, text, spelt):
    assert acronyms.defines(acronym, text) is spelt


def test_an_expansion_question_is_answered_only_by_a_sentence_spelling_it_out():
    question = "What does ISKP stand for?"
    assert asked.unmet(question, "Since 2021, the Islamic State’s Khorasan Province (ISKP) has shifted its focus.") == []
    assert asked.unmet(question, "ISKP has pursued a two-pronged approach globally.") == ["what ISKP stands for"]


@pytest.mark.parametrize("acronym, text, spelt", [
    ("PPP", "Real GDP (purchasing power parity) 2024: $1.39 trillion", True),
    ("IRGC", "the Islamic Revolutionary Guard Corps and its Qods Force", True),
    ("ISKP", "the Islamic State of Khorasan Province", True),  # "of" may sit between
    ("PPP", "people and power", False),  # two words do not spell three letters
    ("IRGC", "the Revolutionary Islamic Guard Corps", False),  # out of order
    ("UN", "United Nations", False),  # two letters say too little
])
def test_an_initialism_is_mentioned_by_its_words(acronym, text, spelt):
    assert acronyms.spelt_out(acronym, text) is spelt
    assert mentions(acronym, text) is spelt


def test_in_some_terms_says_how_a_value_is_measured_not_what_is_asked():
    question = "What was Pakistan's GDP in PPP terms in 2024?"
    assert asked.unmet(question, "Real GDP (purchasing power parity) 2024: $1.39 trillion (2024 est.).",
                       "The World Factbook: Pakistan") == []


def test_a_one_letter_part_of_a_name_is_mentioned_as_a_word_of_its_own():
    assert mentions("ISIS-K", "Islamic State of Iraq and ash-Sham - Khorasan (ISIS-K).")
    assert not mentions("ISIS-K", "Islamic State of Iraq and ash-Sham (ISIS); Kurdistan Workers' Party")


def test_words_of_one_sense_are_one_term():
    assert terms("the tallest peak") == terms("the highest peak")
    assert terms("the biggest city") == terms("the largest city")


def test_a_plural_and_its_singular_are_one_term():
    assert terms("natural resources") == terms("natural resource")
    assert terms("resource-wise")[0] == terms("resources")[0]
    assert terms("taxes and churches and classes") == terms("tax and church and class")
    assert terms("export goods") == terms("export commodities")  # what the Factbook calls traded goods
    assert terms("three stages") == terms("three phases")
    assert terms("its ability, capabilities") == terms("it is able, capable")


def test_an_irregular_past_is_its_verb():
    assert terms("The Taliban took over Kabul") == terms("the Taliban take over Kabul")
    assert terms("began, fought, led") == terms("begin, fight, lead")
    assert terms("he left") == ["left"]  # ambiguous forms are left alone


def test_derived_words_and_a_field_s_own_phrase_are_one_term():
    assert terms("literacy") == terms("literate") and terms("religious") == terms("Religions")
    assert terms("Who is the head of state?") == terms("Who is the chief of state?")


def test_a_percentage_question_is_answered_by_a_line_of_percentages():
    question = "What percentage of India's population is Muslim?"
    assert asked.unmet(question, "Religions: Hindu 79.8%, Muslim 14.2%, Christian 2.3%.", "India") == []


def test_where_a_name_comes_from_is_its_etymology_and_a_ruler_the_chief_of_state():
    assert "etymology" in terms("Where does the capital's name come from?")
    assert "etymology" in terms("What does the name Dushanbe mean?")
    assert "etymology" not in terms("What is the name of the capital?")
    assert terms("Who is the ruler?") == terms("Who is the chief of state?") == terms("Who is in charge?")


def test_spelling_variants_and_dotted_initials_are_one_term():
    assert terms("organisational capabilities") == terms("organizational capability")
    assert terms("the U.S.-led coalition") == terms("the US-led coalition")
    assert terms("whittled down, handling") == terms("whittle down, handle")
    assert terms("defence, labour, organised") == terms("defense, labor, organized")
    assert mentions("US-led", "When the U.S.-led coalition was present")


def test_the_names_a_corpus_shortens_are_its_glossary_the_most_used_first():
    report = ("The Islamic State's Khorasan Province (ISKP) grew. ISKP attacked; ISKP recruited. "
              "Tehrik-e-Taliban Pakistan (TTP) is rival to ISKP. Images by remote sensing (RS) and RS again.")
    profile = "The Collective Security Treaty Organization (CSTO) met. TTP, TTP and TTP."
    assert acronyms.definitions(report)["TTP"] == "Tehrik-e-Taliban Pakistan"
    assert acronyms.definitions(report)["ISKP"] == "Islamic State's Khorasan Province"
    assert acronyms.glossary([report, profile]) == [("ISKP", "Islamic State's Khorasan Province"),
                                                    ("TTP", "Tehrik-e-Taliban Pakistan"),
                                                    ("CSTO", "Collective Security Treaty Organization")]
    assert acronyms.glossary([report, profile], most=1) == [("ISKP", "Islamic State's Khorasan Province")]
    assert "USA" not in acronyms.definitions("the United States Armed Forces aka US Military US Army (USA)")


def test_what_a_country_exports_or_imports_are_its_commodities():
    assert "commodity" in terms("What does Turkmenistan mainly export?")
    assert "commodity" in terms("What are Germany's main imports?")
    assert "commodity" in terms("Exports - commodities: natural gas, refined petroleum")
    assert "commodity" not in terms("What are Germany's export partners?")
    assert "commodity" in terms("And what does it mainly sell them?")
    assert "commodity" not in terms("Who buys Afghanistan's exports?")


def test_whom_a_country_trades_with_are_its_partners_and_who_makes_its_laws_its_legislature():
    assert "partner" in terms("Who does Tunisia export most to?")
    assert "partner" in terms("Where does Qatar get its imports from?")
    assert {"export", "partner"} <= set(terms("Who are Germany's biggest customers?"))
    assert {"import", "partner"} <= set(terms("Who are Pakistan's main suppliers?"))
    assert "partner" not in terms("What does Tunisia export?")
    assert "legislature" in terms("Which body makes laws in Germany?")
    assert "legislature" not in terms("What kind of legal system does Qatar have?")
    assert terms("How much of Uzbekistan is farmland?")[-2:] == terms("agricultural land")


def test_who_runs_the_government_is_the_head_of_government():
    assert terms("Who runs the government day to day?") == terms("Who is head of government day to day?")
    assert terms("Does he also lead the government?")[-2:] == ["head", "government"]
    assert "head" not in terms("What type of government does Qatar have?")
    assert terms("How is that system of government classified?")[:2] == terms("Government type: absolute monarchy")[:2]


def test_the_biggest_cities_are_the_major_urban_areas():
    assert terms("Is it the country's biggest city?") == terms("Is it the country's major urban areas?")
    assert "urban" not in terms("Which city is the capital?")


def test_what_a_place_was_called_before_is_its_former_name():
    assert "former" in terms("What was the country called before it took its current name?")
    assert "former" in terms("What was its previous name?")
    assert "former" in terms("Country name, former: West Pakistan")
    assert "former" not in terms("What is the capital called?")


def test_where_most_people_live_is_the_population_distribution():
    assert terms("Where do most of its people live?")[-2:] == ["population", "distribution"]
    assert "distribution" not in terms("Where is the capital?")


def test_who_may_vote_is_suffrage():
    assert "suffrage" in terms("Can the country's police officers and soldiers vote?")
    assert "suffrage" in terms("What is the voting age?")
    assert "suffrage" not in terms("The vote was held in 2019.")
