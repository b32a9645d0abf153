"""Key facts of answer sentences, and whether the quotes they cite state them."""
import pytest

from assistant import keyfacts
from assistant.keyfacts import counts, list_items, months, names, numbers, unsupported, words_value, years

PLOTS = ("Since 2015, foreign law enforcement has interdicted at least sixteen ISKP plots: three in India, four in "
         "Iran, three in Germany, one in the Maldives, one in Pakistan, one in Qatar, and three in Turkey.")


@pytest.mark.parametrize("phrase, value", [("sixteen", 16), ("twenty-five", 25), ("one hundred and five", 105),
                                           ("two hundred thousand", 200_000), ("a dozen", 12), ("ninety nine", 99)])
def test_number_words_of_any_size(phrase, value):
    assert words_value(phrase) == value


def test_numbers_in_every_form():
    assert numbers("2.6 million people; 1,357 km; 77%; twenty-five cases") >= {2_600_000, 1357, 77, 25}
    assert numbers("the years ٢٠١٥ and １２ and 2О24") >= {2015, 12, 2024}  # Arabic-Indic, full-width, Cyrillic О
    assert 1 not in numbers("1. First item\n2. Second item")  # list numerals are not facts


def test_names_with_particles_and_without_sentence_starts():
    assert names("Notably, Amira Jadoon met al-Baghdadi in Kabul.") == {"Amira Jadoon", "al-Baghdadi", "Kabul"}
    assert names("Tashkent is the capital.") == set()  # a lone first word may be capitalised for the sentence only
    assert names("ISKP is active.") == {"ISKP"}
    assert names("Tashkent is the capital.", first_word=True) == {"Tashkent"}
    assert names("• Stepping up attacks in Kabul") == {"Kabul"}  # a bullet item starts a sentence too
    assert names("Capital, name: Malé; Ürümqi and São Tomé lie far off.") == {"Malé", "Ürümqi", "São Tomé"}
    # a question after a statement opens with its auxiliary, which names nothing
    assert names("Pakistan faces a surge. Do the authors say how ISKP will react?") == {"ISKP"}
    assert names("Qatar had one plot. Is Iran bigger?") == {"Iran"}


@pytest.mark.parametrize("sentence, missing", [
    ("Three in India [1].", []),
    ("Sixteen plots have been foiled since 2015 [1].", []),
    ("Nine ISKP plots were foiled in India [1].", ["number 9"]),
    ("Nine ISKP plots were foiled in India, as 'foreign law enforcement has interdicted at least sixteen ISKP "
     "plots' [1].", ["number 9"]),  # a genuine quotation inside does not excuse the false number
    ("ISKP attacked Kabul airport in 2015 [1].", ["name Kabul"]),
    ("The al-Azaim Media Foundation was founded by Amira Jadoon [1].",
     ["name Amira Jadoon", "name al-Azaim Media Foundation"]),
    ("Plots were foiled in India in May 2019 [1].", ["number 2019", "month may"]),
])
def test_a_sentence_is_supported_only_when_its_quotes_state_its_facts(sentence, missing):
    assert unsupported(sentence, [PLOTS]) == missing


def test_a_border_length_cut_at_its_comma_is_not_supported():
    assert unsupported("Afghanistan 1 [1].", ["Land boundaries, border countries: Afghanistan 1,357 km"]) == ["number 1"]


def test_a_day_of_a_date_is_not_a_number_of_its_own():
    assert numbers("2 April 2024") == {2024} and numbers("April 2, 2024") == {2024}
    assert unsupported("2 [2].", ["2 April 2024"]) == ["number 2"]  # a list numeral is not the report's date
    assert unsupported("It was founded on 15 August 2021 [1].", ["15 August 2021"]) == []
    assert unsupported("It was founded on 16 August 2021 [1].", ["15 August 2021"]) == ["date 16 august"]


def test_may_is_a_month_only_beside_a_day_or_a_year():
    assert months("Plots may be foiled. May I ask?") == set()
    assert months("In May 2019 and on 3 May.") == {"may"}


def test_years_and_counts():
    assert years("in 2015, 1,998 people and 2,015 plots; 2024.") == {2015, 2024}
    assert counts("sixteen plots since 2015, on 2 April") == {16}


def test_a_cited_documents_title_may_state_a_claims_names_never_its_numbers():
    from assistant.keyfacts import unsupported

    claim = "The median age of Afghanistan's population is 18.4 years"
    quote = ["Median age, total: 18.4 years (2025 est.)."]
    assert unsupported(claim, quote) == ["name Afghanistan"]
    assert unsupported(claim, quote, ["The World Factbook: Afghanistan", "People and Society"]) == []
    assert unsupported("The median age of Pakistan's people is 18.4 years", quote, ["The World Factbook: Afghanistan"]) == [
        "name Pakistan"]
    assert unsupported("The report counted 2,025 plots", ["The report counted plots."], ["Plots 2,025"]) == [
        "number 2025"]


LISTED = "Since 2019 the police have stopped at least twelve attacks: nine in Herat, two in Kunar, and one in Nangarhar."


def test_a_number_the_quote_lists_for_another_name_is_not_support():
    assert unsupported("Nine attacks were stopped in Kunar [1].", [LISTED]) == ["number 9 for Kunar"]
    assert unsupported("Twelve attacks were stopped in Nangarhar [1].", [LISTED]) == ["number 12 for Nangarhar"]
    assert unsupported("Two attacks were stopped in Kunar [1].", [LISTED]) == []
    assert unsupported("Of the twelve attacks stopped since 2019, one was in Nangarhar [1].", [LISTED]) == []


def test_a_sentence_naming_several_listed_names_or_none_is_not_judged_on_pairing():
    assert unsupported("The police stopped twelve attacks, in places including Herat and Kunar [1].", [LISTED]) == []
    assert unsupported("The police have stopped at least twelve attacks since 2019 [1].", [LISTED]) == []
    border = "Land boundaries: Alpha 91 km; Beta 921 km; Gamma 2,670 km."
    assert unsupported("The border with Gamma is 2,670 km long [1].", [border]) == []
    assert unsupported("The border with Beta is 2,670 km long [1].", [border]) == ["number 2670 for Beta"]
    assert list_items(border) == [("Alpha 91 km", {91.0}), ("Beta 921 km", {921.0}), ("Gamma 2,670 km", {2670.0})]


def test_a_name_in_the_cited_documents_title_is_what_its_list_is_about():
    own = "Land boundaries: Gamma 91 km; Beta 921 km."
    other = "Land boundaries: Alpha 2,670 km; Gamma 438 km."
    claim = "Delta's border with Gamma is longer: 438 km, against Alpha's 91 km [1][2]."
    assert unsupported(claim, [other, own], ["The Atlas: Delta", "The Atlas: Alpha"]) == []
    assert unsupported(claim, [other, own], ["The Atlas: Delta"]) == []  # Gamma and Alpha both listed: compared
    assert unsupported("The border of Alpha is 91 km [1].", [other, own], ["The Atlas: Delta"]) == ["number 91 for Alpha"]


def test_a_value_listed_for_one_name_is_not_given_to_a_pair_the_list_never_relates():
    border = "Land boundaries: Alpha 91 km; Beta 921 km; Gamma 2,670 km."
    where = ["The Atlas: Delta", "Geography"]
    assert unsupported("The border between Alpha and Beta is 921 km [1].", [border], where) == [
        "number 921 for Alpha and Beta"]
    assert unsupported("Delta borders Alpha and Beta; the Beta border is 921 km [1].", [border], where) == []
    assert unsupported("Beta's border (921 km) is longer than Alpha's (91 km) [1].", [border], where) == []
    assert unsupported("Nine attacks were stopped in Herat and Kunar [1].", [LISTED]) == ["number 9 for Herat and Kunar"]
    assert unsupported("One attack each was stopped in Nangarhar and, earlier, one more elsewhere [1].", [LISTED]) == []


def test_a_count_listed_for_another_year_is_not_support():
    by_year = "Twelve of the attacks came after the ceasefire: five in 2022 and seven in 2023."
    assert list_items(by_year) == [("five in 2022", {5.0}), ("seven in 2023", {7.0})]
    assert unsupported("Five attacks came in 2023 [1].", [by_year]) == ["number 5 for 2023"]
    assert unsupported("Seven attacks came in 2023 [1].", [by_year]) == []
    assert unsupported("Twelve attacks came after the ceasefire, five in 2022 and seven in 2023 [1].", [by_year]) == []


def test_a_clause_giving_a_listed_name_another_s_number_is_refused_even_when_the_list_follows():
    quote = ("Since 2015, law enforcement abroad has foiled at least twelve plots: five in Alphaland, four in Betastan, "
             "one in Gammaria.")
    restated = "five in Alphaland, four in Betastan, one in Gammaria [1]."
    assert unsupported(f"Twelve plots were foiled in Gammaria, including {restated}", [quote]) == [
        "number 12 for Gammaria"]
    assert unsupported("Twelve plots were foiled in Alphaland, Betastan and Gammaria [1].", [quote]) == []
    assert unsupported(f"Twelve plots were foiled, including {restated}", [quote]) == []
    assert unsupported(f"“{quote}” [1]", [quote]) == []  # the quote itself


def test_a_quoted_field_whose_last_clause_closes_a_parenthesis_supports_itself():
    line = "Religions: Muslim 98% (Sunni 95%, Shia 3%) other 2% (2014 est.)."
    assert unsupported(f"“{line}” [1]", [line]) == []


def test_a_country_is_mentioned_by_its_other_names():
    assert keyfacts.mentions("Britain", "Independence: 3 September 1971 (from the UK).")
    assert keyfacts.mentions("United States", "a designation under US law")
    assert not keyfacts.mentions("Britain", "Independence: 1991 (from the Soviet Union).")


def test_a_people_named_in_the_plural_is_mentioned_by_its_place():
    for people, place in [("Turks", "Turkey"), ("Iranians", "Iran"), ("Afghans", "Afghanistan"),
                          ("Germans", "Germany"), ("Uzbeks", "Uzbekistan"), ("Turkish", "Turkey")]:
        assert keyfacts.mentions(people, f"The World Factbook: {place}"), people
    assert not keyfacts.mentions("Kurds", "The World Factbook: Turkey")


PLOTS = ("Since 2015, foreign law enforcement has interdicted at least sixteen ISKP plots: three in India, four in Iran, "
         "three in Germany, one in the Maldives, one in Pakistan, one in Qatar, and three in Turkey.")


@pytest.mark.parametrize("question, answer, wrong", [
    ("Which country had four ISKP plots interdicted?", "India [1].", ["India"]),
    ("Which country had four ISKP plots interdicted?", "Iran [1].", []),
    ("Which country had four ISKP plots interdicted?", "Iran had four, more than India's three [1].", []),
    ("Where was just one ISKP plot stopped?", "The Maldives, Pakistan and Qatar [1].", []),
    ("How many ISKP plots were interdicted in India?", "Three [1].", []),  # the question asks no number
])
def test_a_listed_name_answers_a_question_pinning_a_number_only_when_listed_with_it(question, answer, wrong):
    assert keyfacts.unpaired_with_asked(question, answer, [PLOTS]) == wrong


def test_a_year_range_written_short_ends_in_a_year_not_a_count():
    assert years("The first phase (2015-19) focused on recruiting.") == {2015, 2019}
    assert counts("The first phase (2015-19) focused on recruiting.") == set()
    assert counts("three to four plots, 3-4 in all") == {3.0, 4.0}


def test_a_difference_is_supported_only_beside_the_two_quoted_values_it_is_taken_from():
    quotes = ["Median age, total: 42.3 years.", "Median age, total: 40.8 years."]
    assert unsupported("Russia is older by 1.5 years: 42.3 years, against 40.8 years [1][2].", quotes) == []
    assert unsupported("Russia is older by 1.5 years [1][2].", quotes) == ["number 1.5"]
    assert unsupported("Russia is older by 2.5 years: 42.3 years, against 40.8 years [1][2].", quotes) == \
        ["number 2.5"]


@pytest.mark.parametrize("sentence, quote, flagged", [
    ("Freedonia holds 25.244 billion cubic meters [1].", "Oil, proven reserves: 25.244 billion barrels.", True),
    ("Its coal reserves are 1.203 billion cubic meters [1].", "Coal, reserves: 1.203 billion metric tons.", True),
    ("The area is 2,381,740 km [1].", "Area, total: 2,381,740 sq km.", True),
    ("The summit is 2,963 meters high [1].", "Elevation, highest point: Mount Alto 2,963 m.", False),
    ("The coastline is 2,440 kilometres long [1].", "Coastline: 2,440 km.", False),
    ("21.2 percent goes to the army [1].", "Military expenditures: 21.2% of GDP.", False),
    ("The median age is 46.9 years [1].", "Median age, total: 46.9 years (2025 est.).", False),
    ("The port handles 3.1 million barrels a day [1].", "Port capacity: 3.1 million bbl/day.", False),
    ("Three plots were foiled [1].", "Plots foiled: three in 2022.", False),  # no unit on either side
    ("The border is 1,000 km long [1].", "Border length: 1,000.", False),  # the quote gives no unit
])
def test_a_number_quoted_in_another_unit_is_not_supported(sentence, quote, flagged):
    assert bool([m for m in keyfacts.unsupported(sentence, [quote]) if m.startswith("unit ")]) is flagged


@pytest.mark.parametrize("sentence, flagged", [
    ("Freedonia has 44 natural World Heritage Sites [1].", ["number 44 for natural (quoted: 7)"]),
    ("Freedonia has 7 natural World Heritage Sites [1].", []),
    ("Freedonia has 44 World Heritage Sites, 36 of them cultural [1].", []),
    ("Freedonia has 44 sites: 36 cultural and 7 natural [1].", []),
    ("Freedonia's 44 sites include one mixed site [1].", []),  # "sites": a word the quote counts nothing by
])
def test_a_number_given_to_a_word_the_quote_counts_otherwise_is_not_supported(sentence, flagged):
    quote = "National heritage, total World Heritage Sites: 44 (36 cultural, 7 natural, 1 mixed)."
    assert keyfacts.counted_as_another(sentence, [quote]) == flagged
    assert keyfacts.unsupported(sentence, [quote]) == flagged


def test_units_scales_and_function_words_are_not_counted_words():
    assert keyfacts.counted("total 5,987 km; 1.5 million people; 25 percent; 3 in India; 7 natural") == \
        {(7.0, "natural")}
