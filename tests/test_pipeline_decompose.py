"""Stage decompose: comparisons and bridge questions split into sub-questions; other questions left whole."""
from __future__ import annotations

import pytest

from assistant.corpus import DocMeta
from assistant.focus import DocumentNames
from assistant.pipeline import decompose
from assistant.pipeline.decompose import Mode

NAMES = DocumentNames({
    "report": DocMeta("report", "The Next Afghan Jihad? Taliban Efforts to Contain ISKP", kind="report"),
    **{f"fb-{c.lower()}": DocMeta(f"fb-{c.lower()}", f"The World Factbook: {c}", kind="factbook")
       for c in ["Iran", "Turkey", "Qatar", "Maldives", "Tajikistan", "Uzbekistan", "Pakistan", "Afghanistan"]},
})


@pytest.mark.parametrize("question, parts, larger_wins", [
    ("Which has the shorter coastline, Iran or Turkey?",
     ["How long is Iran’s coastline?", "How long is Turkey’s coastline?"], False),
    ("Does Qatar or Iran have more airports?",
     ["What is the number of airports in Qatar?", "What is the number of airports in Iran?"], True),
    ("Which of Qatar and Iran has fewer airports?",
     ["What is the number of airports in Qatar?", "What is the number of airports in Iran?"], False),
    ("Between Iran and Turkey, which coastline is shorter?",
     ["How long is Iran’s coastline?", "How long is Turkey’s coastline?"], False),
    ("Which of the two, Iran or Turkey, has the shorter coastline?",
     ["How long is Iran’s coastline?", "How long is Turkey’s coastline?"], False),
    ("Whose population is older — Iran's or Turkey's?",
     ["How old is Iran’s population, by age?", "How old is Turkey’s population, by age?"], True),
    ("Which gained independence earlier, Qatar or Uzbekistan?",
     ["On what date was Qatar gained independence?", "On what date was Uzbekistan gained independence?"], False),
    ("Is the coastline longer in Iran or in Turkey?",  # the preposition said again before the second
     ["How long is Iran’s coastline?", "How long is Turkey’s coastline?"], True),
    ("Is a bigger share of people living in towns in Iran or in Turkey?",  # a share, not a size
     ["What is the share of people living towns in Iran?", "What is the share of people living towns in Turkey?"],
     True),
    ("Does India or China spend a larger proportion of GDP on education?",  # what share each spends there
     ["What proportion of GDP does India spend on education?", "What proportion of GDP does China spend on education?"],
     True),
    ("Germany and Turkey both have about 84 million people. Which one actually has more?",  # the pair stated before
     ["What is the number of people in Germany, by population?", "What is the number of people in Turkey, by population?"],
     True),
    ("India and China are neighbours. Which of them is smaller?", ["How large is India, by area?",
                                                                   "How large is China, by area?"], False),
    ("Qatar and Iran both sit on the Gulf. Which country's coastline is longer?",  # the possessive asks of the pair
     ["How long is Qatar’s coastline?", "How long is Iran’s coastline?"], True),
    ("Iran and Turkey are big countries. Whose coastline is shorter?",
     ["How long is Iran’s coastline?", "How long is Turkey’s coastline?"], False),
    ("Which has the longer coastline, Iran or Turkey? Including islands.",  # a statement after the question
     ["How long is Iran’s coastline including islands?", "How long is Turkey’s coastline including islands?"], True),
])
def test_a_comparison_asks_the_same_of_each_entity(question, parts, larger_wins):
    plan = decompose.run(question)
    assert plan.mode is Mode.COMPARISON and plan.parts == parts
    assert plan.comparative is not None and plan.comparative.larger_wins is larger_wins


@pytest.mark.parametrize("question", [
    "Germany and Turkey both have about 84 million people. Who leads Turkey?",  # a pair stated, no comparison
    "How many ISKP plots were foiled in India or Iran?",  # no comparative: one question
    "Which is more dangerous?",  # nothing compared
    "Was ISKP or the Taliban stronger in 2021, and why?",  # "stronger" is not a measured dimension here
    "What is the capital of Qatar?",
])
def test_other_questions_stay_whole(question):
    assert decompose.run(question).mode is Mode.SINGLE


@pytest.mark.parametrize("question, parts", [
    ("How many plots were foiled in Qatar, and what is the capital of Qatar?",
     ["How many plots were foiled in Qatar?", "What is the capital of Qatar?"]),
    ("Who heads Iran's government? How long is Turkey's coastline?",
     ["Who heads Iran's government?", "How long is Turkey's coastline?"]),
])
def test_joined_questions_each_naming_what_they_ask_about_are_asked_one_by_one(question, parts):
    plan = decompose.run(question)
    assert plan.mode is Mode.PARTS and plan.parts == parts


@pytest.mark.parametrize("question", [
    "How many plots were foiled in Qatar, and what is its capital?",  # points back: a bridge
    "How many plots were foiled in Qatar, and why?",  # the second part asks nothing of its own
    "How many plots were foiled in Qatar, and what happened next?",  # names nothing
    "Qatar saw one plot. Who heads Iran's government? How long is Turkey's coastline?",  # not only questions
])
def test_joined_questions_that_lean_on_each_other_are_not_split_into_parts(question):
    assert decompose.run(question).mode is not Mode.PARTS


def test_a_bridge_asks_the_follow_question_of_the_places_the_lead_answer_names():
    plan = decompose.run("The report says ISKP fired rockets at two neighbours. What are those countries' capitals?")
    assert plan.mode is Mode.BRIDGE and plan.parts == ["The report says ISKP fired rockets at two neighbours."]
    quote = "rocket strikes against Tajikistan and Uzbekistan, and claims of attacks in the Maldives"
    asked = decompose.bridged(plan, [(quote, "report")], NAMES, plan.parts[0])
    # The clause that shares the lead's words ("rocket") names the places; the Maldives clause does not.
    assert asked == [("Tajikistan", "What are Tajikistan’s capitals?"), ("Uzbekistan", "What are Uzbekistan’s capitals?")]
    unrelated = "attacks into Pakistan, and claims of attacks in the Maldives"
    assert decompose.bridged(plan, [(unrelated, "report")], NAMES, plan.parts[0]) == [
        ("Pakistan", "What are Pakistan’s capitals?"), ("Maldives", "What are Maldives’ capitals?")]
    assert decompose.lead_places(unrelated, plan.parts[0], NAMES, set(), None, False, sharing=True) == []


PROFILES = {"fb-qatar": "Location: Middle East, peninsula bordering the Persian Gulf and Saudi Arabia.",
            "fb-pakistan": "Location: Southern Asia, bordering the Arabian Sea.\nWatersheds: Indian Ocean drainage.",
            "fb-maldives": "Location: Southern Asia, atolls in the Indian Ocean.\nClimate: Indian Ocean monsoon.",
            "fb-iran": "Location: Middle East, bordering the Persian Gulf.\nWatersheds: Indian Ocean drainage."}


@pytest.mark.parametrize("question, quote, place", [
    ("One ISKP plot was foiled in a Gulf state. What type of government does that state have?",
     "sixteen plots: four in Iran, one in the Maldives, one in Pakistan, one in Qatar", "Qatar"),
    # Iran's profile names the Indian Ocean once, the Maldives' twice: "that country" is the one said so most.
    ("ISKP claimed an attack in a small Indian Ocean country. How large is that country?",
     "rocket strikes against Tajikistan, and claims of attacks in the Maldives and Iran", "Maldives"),
])
def test_a_described_place_is_one_its_own_document_describes_so(question, quote, place):
    plan = decompose.run(question)
    asked = decompose.bridged(plan, [(quote, "report")], NAMES, question, lambda doc_id: PROFILES.get(doc_id, ""))
    assert [found for found, _ in asked] == [place], asked


def test_that_country_is_the_one_place_of_a_quote_that_names_only_one():
    plan = decompose.run("The authors compare ISKP to a Gulf movement. How large is that country?")
    quotes = [("operations in Iran, Turkey and Pakistan", "report"), ("similar to the movement in Qatar", "report")]
    assert decompose.bridged(plan, quotes, NAMES, "") == [("Qatar", "How large is Qatar?")]
    assert decompose.bridged(plan, quotes[:1], NAMES, "") == []  # three places: which one is unknown


def test_places_the_lead_names_itself_are_the_reference_and_between_them_is_one_question():
    plan = decompose.run("The report links Afghanistan and Pakistan. How long is the border between them?")
    asked = decompose.bridged(plan, [("Afghanistan and Pakistan cannot be dissociated", "report")], NAMES, "")
    assert asked == [("Afghanistan and Pakistan", "How long is the border between Afghanistan and Pakistan?")]


def test_there_refers_to_the_place_a_statement_names_and_is_asked_in_it():
    plan = decompose.run("The report notes an attack in the Maldives. How large is the military there?")
    assert plan.mode is Mode.BRIDGE
    assert decompose.bridged(plan, [], NAMES, "") == [("Maldives", "How large is the military in Maldives?")]
    assert decompose.run("The report notes an attack in the Maldives. Are there any volcanoes?").mode is Mode.SINGLE


def test_a_second_question_joined_by_and_refers_back_to_the_first():
    plan = decompose.run("Which country hosted the plot, and what is its capital?")
    assert plan.mode is Mode.BRIDGE and plan.parts == ["Which country hosted the plot?"]
    assert decompose.bridged(plan, [("one plot in Qatar", "report")], NAMES, "") == [("Qatar", "What is Qatar’s capital?")]
    assert decompose.bridged(plan, [("no country named here", "report")], NAMES, "") == []


@pytest.mark.parametrize("question, place", [
    ("Which country had the most foiled plots, and what is its population?", "Iran"),
    ("Where were the fewest plots foiled, and what is its capital?", "Tajikistan"),
])
def test_a_superlative_lead_resolves_to_the_place_with_the_extreme_count(question, place):
    plan = decompose.run(question)
    quote = "sixteen plots: three in Turkey, four in Iran, two in Pakistan, one in Tajikistan"
    assert [found for found, _ in decompose.bridged(plan, [(quote, "report")], NAMES, question)] == [place]


def test_their_home_country_is_the_place_of_the_people_the_lead_answer_names():
    plan = decompose.run("One nationality stands out among ISKP's operatives abroad. What is the capital of their "
                         "home country?")
    quote = "Notably, Tajik nationals have been involved in many attacks in Turkey and Iran."
    assert decompose.bridged(plan, [(quote, "report")], NAMES, "") == [
        ("Tajikistan", "What is the capital of Tajikistan?")]
    assert NAMES.place_of_people("Iranian") == "Iran" and NAMES.place_of_people("Uzbek") == "Uzbekistan"
    assert NAMES.place_of_people("Kazakh") is None  # no document of its own


@pytest.mark.parametrize("question, alone", [
    ("Germany had three ISKP plots foiled according to the report. Who currently heads the German government?",
     "Who currently heads the German government?"),
    ("The report lists Algeria's Armed Islamic Group. Which terrorist groups does the Factbook list for Algeria?",
     "Which terrorist groups does the Factbook list for Algeria?"),
    ("The report mentions al-Azaim. What languages does it publish in?", None),  # "it" is the lead's
    ("The report names two Central Asian neighbours. What are those countries' capitals?", None),  # a bridge
    ("Who wrote the report? When was it published?", None),  # two questions, not a statement and one
    ("Germany had three plots foiled. Tell me more.", None),  # no question
])
def test_a_question_after_statements_that_only_set_the_scene_is_asked_alone(question, alone):
    plan = decompose.run(question)
    assert plan.question == (alone or "")
    if alone:
        assert plan.mode is decompose.Mode.SINGLE and plan.premise == question[:question.index(alone)].strip()


def test_a_question_after_a_clause_that_only_sets_the_scene_is_asked_alone():
    plan = decompose.run("Sharif is prime minister, but who is Pakistan's head of state?")
    assert plan.question == "Who is Pakistan's head of state?" and plan.premise == "Sharif is prime minister"
    assert decompose.run("ISKP is weaker at home, so how does it strike abroad?").question == ""  # "it": the lead's


@pytest.mark.parametrize("question, entities, part", [
    ("Is Russia's highest peak taller than Iran's?", ["Russia", "Iran"], "How high is Russia’s highest peak"),
    ("Does India have a longer coastline than Pakistan?", ["India", "Pakistan"], "How long is India’s coastline?"),
    ("Is Qatar larger than the Maldives?", ["Qatar", "Maldives"], "How large is Qatar, by area?"),
])
def test_a_yes_no_comparison_is_asked_of_each_side(question, entities, part):
    plan = decompose.run(question)
    assert plan.mode is Mode.COMPARISON and plan.entities == entities and plan.parts[0].startswith(part)


def test_a_lead_asking_for_a_place_sets_aside_the_places_it_names_itself():
    question = "Besides Iran, which other country saw an ISKP plot foiled in the Gulf?"
    plan = decompose.bridge(f"{question.rstrip('?')}. How large is that country?")
    quote = "sixteen plots: four in Iran, one in Qatar"
    assert decompose.bridged(plan, [(quote, "report")], NAMES, question) == [("Qatar", "How large is Qatar?")]
    stated = decompose.bridge("ISKP plotted in Iran. How large is that country?")
    assert decompose.bridged(stated, [(quote, "report")], NAMES, "") == [("Iran", "How large is Iran?")]


def test_how_big_a_place_is_asks_for_its_area():
    assert decompose.run("How big is Algeria?").question == "How large is Algeria, by area?"
    assert decompose.run("How big is the group's budget?").question == ""  # not a place's size


def test_the_places_of_an_answer_are_read_quote_by_quote():
    plan = decompose.bridge("Of the plots police foiled, how many came after the takeover. How were they spread?")
    answer = ("“sixteen plots: three in Iran, and three in Turkey.” [1]  “Twelve of these came after the takeover: "
              "five in 2022.” [2]")
    # Turkey's clause ends with its quote: the next quote's words ("takeover") do not single it out.
    assert [place for place, _ in decompose.bridged(plan, [(answer, "")], NAMES, plan.parts[0])] == ["Iran", "Turkey"]


def test_they_is_not_one_place():
    plan = decompose.bridge("Who are Turkey’s biggest export customers. What do they buy from it?")
    assert decompose.bridged(plan, [("Exports - partners: Iran 10%.", "fb-turkey")], NAMES, plan.parts[0]) == []


def test_a_city_referred_to_after_a_statement_naming_a_capital_is_that_capital():
    plan = decompose.run("ISKP struck in Afghanistan's capital. How many people live in that city?")
    assert plan.mode is Mode.SINGLE and plan.question == "How many people live in the capital of Afghanistan?"
    assert plan.premise == "ISKP struck in Afghanistan's capital."
    assert decompose.run("ISKP attacked the capital of Iran. What time is it there?").question == \
        "What time is it in the capital of Iran?"
    assert decompose.city_of_lead("ISKP attacked the capital of Iran. Is there an airport?") is None  # existential
    assert decompose.city_of_lead("ISKP attacked Iran and Turkey. How many people live in that city?") is None


@pytest.mark.parametrize("question, entities", [
    ("Germany vs Russia: which has more doctors per head?", ["Germany", "Russia"]),
    ("Qatar versus the Maldives, which is larger by area?", ["Qatar", "Maldives"]),
])
def test_a_pair_named_before_the_question_is_compared(question, entities):
    plan = decompose.comparison(question)
    assert plan is not None and plan.entities == entities
    assert all(entity in part for entity, part in zip(entities, plan.parts))


def test_a_pair_named_before_no_question_is_no_comparison():
    assert decompose.comparison("Russia vs Ukraine: the war in numbers") is None
