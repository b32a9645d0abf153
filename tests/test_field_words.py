"""Everyday words for Factbook fields: a field asked in other words, only by the label of its field that fits best."""
from assistant import field_words
from assistant.textutil import terms


def _asked(question: str) -> set[str]:
    return set(terms(question))


def test_a_field_asked_in_other_words_gets_its_everyday_words():
    words = field_words.of("Area, total: 17,098,242 sq km.", _asked("How much territory does it cover?"))
    assert "territory" in words.split()
    assert field_words.of("Religions: Sunni Muslim (official).", _asked("Which faith do they hold?"))


def test_only_the_label_of_its_field_that_fits_best_gets_them():
    asked = _asked("How many barrels of crude oil does it produce a day?")
    assert field_words.of("Petroleum, total petroleum production: 91,000 bbl/day (2023 est.).", asked)
    assert field_words.of("Petroleum, refined petroleum consumption: 58,000 bbl/day (2023 est.).", asked) == ""


def test_a_field_the_question_does_not_name_gets_none_however_its_qualifier_fits():
    asked = _asked("How many barrels of crude oil does it produce a day?")
    assert field_words.of("Coal, production: 767,000 metric tons (2023 est.).", asked) == ""


def test_a_field_given_year_by_year_is_the_field_and_a_sentence_without_a_label_has_none():
    asked = _asked("How much does it spend on its armed forces?")
    assert field_words.of("Military Expenditures 2025: 2.3% of GDP (2025 est.).", asked)
    assert field_words.of("The country spends a lot on its army.", asked) == ""


def test_a_question_naming_a_field_in_the_factbook_s_words_gets_no_other_field_s_words():
    asked = _asked("How many World Heritage Sites are there?")  # "heritage" is also an everyday word for ancestry
    assert field_words.of("Ethnic groups: Pashtun, Tajik, Hazara, Uzbek.", asked) == ""


def test_a_label_s_own_words_outweigh_its_field_s_and_a_main_entry_has_its_field_s_as_its_own():
    asked = _asked("Who is the president there?")
    assert field_words.of("Executive branch, chief of state: President Emomali RAHMON (since 1994).", asked)
    assert field_words.of("Executive branch, head of government: Prime Minister Qohir RASULZODA.", asked) == ""
    lives = _asked("How long do people there live on average?")
    assert field_words.of("Life expectancy at birth, total population: 75.6 years.", lives)
    assert field_words.of("Life expectancy at birth, male: 74.3 years.", lives) == ""


def test_a_size_word_said_of_another_thing_does_not_ask_for_the_area():
    asked = _asked("How big are its armed forces today?")
    assert field_words.of("Area, total: 2,381,740 sq km.", asked) == ""
    assert field_words.of("Military and security service personnel strengths: about 200,000 active (2025).", asked)


def test_a_field_named_in_the_factbook_s_words_still_has_its_labels_told_apart_by_their_own_words():
    asked = _asked("Who wrote the national anthem?")
    assert field_words.of('National anthem(s), lyrics/music: multiple authors/Hassan RIAHI.', asked)
    assert field_words.of('National anthem(s), title: "Qaumi Tarana" (National Anthem).', asked) == ""


def test_everyday_phrases_ask_for_the_factbook_s_labels():
    assert {"legislative", "legislature"} <= set(terms("Which body passes Turkey's laws?"))
    assert {"personnel", "strengths"} <= set(terms("How big is China's army?"))
    assert "personnel" not in terms("How big is China?")
    assert "gdp" in terms("What share of its economy does Germany put into defence?")
    assert "etymology" in terms("What's behind the name of its capital?")


def test_an_anthem_s_title_is_its_main_entry():
    from assistant.backends.extractive import _asked_field
    asked = _asked("What is India's national anthem?")
    assert _asked_field('National anthem(s), title: "Jana-Gana-Mana".', asked)
    assert not _asked_field("National anthem(s), lyrics/music: Rabindranath TAGORE.", asked)


def test_a_qualified_label_asked_of_a_named_field_is_that_field_s():
    from assistant.backends.extractive import _asked_field, _fields_of_others, _qualified_fields_asked
    asked = _asked("Where does the capital's name come from?")  # "name ... come from": its etymology
    assert _asked_field("Capital, etymology: from the Arabic for the islands.", asked)
    assert not _asked_field("Country name, etymology: named after its capital city.", asked)
    assert not _asked_field("Capital, name: Algiers.", asked)  # its main entry is not what is asked
    named = _qualified_fields_asked(frozenset(asked))
    assert named == {"Capital"}
    assert _fields_of_others("Country name, etymology: named after its capital city.", named) == {"capital"}
    assert _fields_of_others("Capital, etymology: from the Arabic.", named) == set()
    assert _asked_field("Country name, etymology: named after its capital city.", _asked("What does the name mean?"))


def test_a_field_that_fits_more_of_what_is_asked_than_the_sentence_s_own_is_named():
    defence = set(terms("What share of its economy goes into defence?"))
    consumption = "GDP - composition, by end use, government consumption: 21.2% (2024 est.)."
    assert field_words.better_field(consumption, defence) == "Military Expenditures"
    assert field_words.better_field("Military Expenditures 2025: 2.4% of GDP (2025 est.).", defence) == ""
    assert field_words.better_field("ISKP's spending rose in 2023.", defence) == ""  # no field's label


def test_a_field_that_fits_what_the_sentence_fits_and_no_more_is_not_better():
    asked = set(terms("How old is the average person in Tajikistan?")) - {"tajikistan"}
    assert field_words.better_field("Median age, total: 22.8 years (2025 est.).", asked) == ""


def test_a_field_narrowed_by_words_not_asked_leaves_its_everyday_words_to_the_wider_field():
    jobless = _asked("Which has the bigger jobless problem?")
    assert "jobless" in field_words.of("Unemployment rate 2024: 16.3% (2024 est.).", jobless).split()
    assert field_words.of("Youth unemployment rate (ages 15-24), total: 40.1% (2024 est.).", jobless) == ""
    young = _asked("How many young people are jobless?")
    assert field_words.of("Youth unemployment rate (ages 15-24), total: 40.1% (2024 est.).", young)


def test_a_field_named_after_another_but_not_narrowing_it_keeps_its_words():
    # "Population distribution" is where people live, not a kind of population, though "live" is both fields' word.
    assert field_words.of("Population distribution: most people live along the Nile.", _asked("Where do most people live?"))
    assert field_words.of("Major urban areas - population: 22.6 million CAIRO (capital) (2023).",
                          _asked("Which city has the most inhabitants?"))


def test_what_people_pay_with_is_the_currency():
    asked = _asked("What do they pay with there?")
    assert field_words.of("Exchange rates, Currency: Qatari rials (QAR) per US dollar -.", asked)


def test_what_a_country_buys_from_abroad_is_its_imports_not_its_exports():
    asked = _asked("What does it mainly buy from abroad? Top goods, please.")
    imports = field_words.of("Imports - commodities: broadcasting equipment, corn, soybeans (2023).", asked)
    exports = field_words.of("Exports - commodities: plastics, iron ore, natural gas (2023).", asked)
    assert len(set(imports.split()) & asked) > len(set(exports.split()) & asked)


def test_a_field_fitting_more_of_what_is_claimed_is_better_though_it_misses_a_word_the_cited_one_fits():
    said = _asked("What share of adults smoke or use tobacco?")
    assert field_words.better_field("Obesity - adult prevalence rate: 14.2% (2016).", said) == "Tobacco use"
    assert field_words.better_field("Tobacco use, total: 20.8% (2025 est.).", said) == ""


def test_a_label_for_the_rest_of_a_field_is_not_its_main_entry():
    asked = _asked("How much of the land is used for agriculture?")
    assert field_words.of("Land use, other: 69% (2023 est.).", asked) == ""
    assert field_words.of("Land use, agricultural land: 27.9% (2023 est.).", asked)
