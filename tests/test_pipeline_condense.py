"""Stage condense: a follow-up made standalone by rule, by a (scripted) LLM, or with the previous question."""
import pytest

from assistant.backends import BackendError, ExtractiveBackend
from assistant.conversation import Turn
from assistant.pipeline import condense
from assistant.settings import Settings

PROMPTS = Settings.load().prompts_dir
INDIA = "How many ISKP plots were foiled in India?"
HISTORY = [Turn(INDIA, INDIA, "Three [1].")]


class Rewriter:
    name, model = "scripted", "scripted-1"

    def __init__(self, reply=None, error=None):
        self.reply, self.error, self.prompts = reply, error, []

    def stream(self, messages, max_tokens):
        self.prompts.append(messages)
        if self.error:
            raise self.error
        yield self.reply


def run(question, backend=None, history=HISTORY):
    return condense.run(question, history, backend or ExtractiveBackend(), prompts_dir=PROMPTS, history_turns=3)


def test_a_first_question_is_left_alone():
    assert run(INDIA, history=[]) == condense.Condensed(INDIA, "none")


def test_a_follow_up_by_rule_needs_no_llm():
    llm = Rewriter("unused")
    assert run("And in Iran?", llm) == condense.Condensed("How many ISKP plots were foiled in Iran?", "rule")
    assert llm.prompts == []


def test_the_llm_rewrites_what_the_rules_cannot():
    llm = Rewriter("What did the Taliban do next about ISKP plots in India?")
    result = run("What did they do next?", llm)
    assert result.method == "llm" and "Taliban" in result.standalone
    assert INDIA in llm.prompts[0][1]["content"]


def test_without_an_llm_or_when_it_fails_the_previous_question_is_context(logged):
    failed = run("What did they do next?", Rewriter(error=BackendError("down")))
    assert failed == run("What did they do next?") == condense.Condensed(
        "What did they do next? (ISKP plots foiled India)", "context")
    assert logged and "down" in logged[0]


def test_that_country_after_an_answer_naming_one_place_with_its_own_document_is_that_place():
    from assistant.corpus import DocMeta
    from assistant.focus import DocumentNames
    names = DocumentNames({d: DocMeta(d, f"The World Factbook: {c}", kind="factbook")
                           for d, c in [("ag", "Algeria"), ("ir", "Iran"), ("ts", "Tunisia")]}
                          | {"r": DocMeta("r", "The Next Afghan Jihad? Taliban Efforts to Contain ISKP", kind="report")})
    asked = "Which Algerian group does the report list?"
    history = [Turn(asked, asked, "“ISKP follows groups including Algeria’s Armed Islamic Group.” [1]")]
    result = condense.run("When did that country become independent?", history, ExtractiveBackend(),
                          prompts_dir=PROMPTS, history_turns=3, names=names)
    assert result == condense.Condensed("When did Algeria become independent?", "referent")
    two = [Turn(asked, asked, "“Plots in Iran and Tunisia.” [1]")]  # two places: "that country" is not resolved
    assert run("When did that country become independent?", history=two).method == "context"
    result = condense.run("How many refugees does the country host?", history, ExtractiveBackend(),
                          prompts_dir=PROMPTS, history_turns=3, names=names)
    assert result == condense.Condensed("How many refugees does Algeria host?", "referent")  # "the country" too


def test_how_does_a_new_place_compare_asks_the_previous_question_of_it():
    asked = "What is life expectancy at birth in Afghanistan?"
    assert run("How does Iran compare?", history=[Turn(asked, asked, "54.4 years [1].")]) == \
        condense.Condensed("What is life expectancy at birth in Iran?", "rule")


def test_a_pronoun_after_a_which_group_answer_is_the_one_new_name_it_gave():
    previous = Turn("Which group has ISKP criticised for talking to Islamabad?",
                    "Which group has ISKP criticised for talking to Islamabad?",
                    "“ISKP has criticized TTP for engaging in negotiations with Islamabad.” [1]")
    assert condense.named_referent("Could its fighters defect?", previous) == "Could TTP’s fighters defect?"
    # "its" after a question about a phase, not a named agent, is left to other means.
    phase = Turn("Which years did the second phase cover?", "Which years did the second phase cover?",
                 "“The second phase (2020-21) focused on the Taliban.” [1]")
    assert condense.named_referent("And what was its emphasis?", phase) is None
    two = Turn("Who leads it?", "Who leads ISKP?", "“Sanaullah Ghafari and Aslam Farooqi led ISKP.” [1]")
    assert condense.named_referent("When was he appointed?", two) is None  # no pronoun it knows; two names


def test_that_group_is_the_one_group_the_previous_answer_named_that_no_question_did():
    previous = Turn("What drives the violence in the tribal districts?", "What drives the violence in the tribal districts?",
                    "“Violence there is driven by the umbrella group Tehrik-e-Taliban Pakistan (TTP).” [1]")
    assert condense.named_group("Might that group work with ISKP?", previous) == \
        "Might Tehrik-e-Taliban Pakistan work with ISKP?"
    two = Turn("Who fights there?", "Who fights there?", "“The TTP and the Haqqani Network fight there.” [1]")
    assert condense.named_group("Might that group work with ISKP?", two) is None  # two new names: which one?
    assert condense.named_group("Might the report's authors agree?", previous) is None  # no group referred to


def test_the_same_situation_is_what_the_previous_answer_stated():
    previous = Turn("Is Alphaland by the sea?", "Is Alphaland by the sea?", "“Coastline: 0 km (landlocked).” [1]")
    assert condense.in_same_state("Which neighbour is in the same situation?", previous) == \
        "Which neighbour is in the same situation? (0 km landlocked)"
    assert condense.in_same_state("Is Betaland in a similar position? (Alphaland)", previous) == \
        "Is Betaland in a similar position? (Alphaland 0 km landlocked)"  # one context, read as such
    assert condense.in_same_state("Which party governs that state?", previous) is None  # a state, not a situation


def test_which_of_the_two_compares_the_places_the_same_question_was_asked_of():
    from assistant.corpus import DocMeta
    from assistant.focus import DocumentNames
    names = DocumentNames({d: DocMeta(d, f"The World Factbook: {c}", kind="factbook")
                           for d, c in [("pk", "Pakistan"), ("in", "India"), ("ir", "Iran")]}
                          | {"r": DocMeta("r", "The Next Afghan Jihad? Taliban Efforts to Contain ISKP", kind="report")})
    first, second = "What is the highest point in Pakistan?", "What is the highest point in India?"
    history = [Turn(first, first, "K2 8,611 m [1]."), Turn("And in India?", second, "Kanchenjunga 8,586 m [1].")]
    assert condense.compared_pair("Which of the two is higher?", history, names) == \
        "Which has the higher highest point, Pakistan or India?"
    other = [Turn(first, first, "K2 [1]."), Turn("Its capital?", "What is the capital of India?", "New Delhi [1].")]
    assert condense.compared_pair("Which of the two is higher?", other, names) is None  # not one question of both


def test_same_question_for_a_new_place_asks_the_previous_question_of_it():
    history = [Turn("What's Afghanistan's national symbol?", "What's Afghanistan's national symbol?", "Lion [1].")]
    assert run("Same question for Iran?", history=history) == \
        condense.Condensed("What's Iran's national symbol?", "rule")


def _names(*countries):
    from assistant.corpus import DocMeta
    from assistant.focus import DocumentNames
    return DocumentNames({c[:2].lower(): DocMeta(c[:2].lower(), f"The World Factbook: {c}", kind="factbook")
                          for c in countries}
                         | {"r": DocMeta("r", "The Next Afghan Jihad? Taliban Efforts to Contain ISKP", kind="report")})


PROFILE_TEXT = {"al": "Capital, name: Algiers. Capital, etymology: from the Arabic for the islands.",
                "tu": "Capital, name: Ankara."}


def condensed(question, history, names):
    return condense.run(question, history, ExtractiveBackend(), prompts_dir=PROMPTS, history_turns=3, names=names,
                        doc_text=lambda doc_id: PROFILE_TEXT.get(doc_id, ""))


def test_a_reference_to_the_place_talked_about_is_that_place():
    names = _names("Algeria", "Turkey", "Iran")
    asked = "What does Algeria mainly export?"
    history = [Turn(asked, asked, "Petroleum [1].")]
    assert condensed("Who's in charge there?", history, names).standalone == "Who's in charge in Algeria?"
    assert condensed("How much of the country is desert?", history, names).standalone == \
        "How much of Algeria is desert?"
    assert condensed("Is there a coastline?", history, names).standalone != "Is in Algeria a coastline?"
    assert condensed("Have there been floods?", history, names).standalone != "Have in Algeria been floods?"
    assert condensed("Do young men there have to serve?", history, names).standalone == \
        "Do young men in Algeria have to serve?"
    # a thing of a place that the place's own document names: the place is added as context
    assert condensed("Where does the capital's name come from?", history, names) == condense.Condensed(
        "Where does the capital's name come from? (Algeria)", "subject")
    # a question naming a place of its own, or the report, is its own
    assert condensed("What does the report say about plots?", history, names).method == "none"
    assert condensed("Back to Turkey: where do most of its people live?", history, names) == condense.Condensed(
        "Back to Turkey: where do most of its people live?", "none")


def test_which_of_the_two_after_an_answer_naming_two_places_compares_them():
    names = _names("Tajikistan", "Uzbekistan", "Afghanistan", "Pakistan")
    asked = "Besides Afghanistan and Pakistan, where has ISKP attacked foreigners?"
    history = [Turn(asked, asked, "“attacks in Afghanistan, Pakistan, Tajikistan, and Uzbekistan” [1]")]
    assert condensed("Which of the two has more people?", history, names).standalone == \
        "Which has more people, Tajikistan or Uzbekistan?"


def test_which_of_the_two_saying_what_it_compares_compares_the_last_two_questions_places():
    names = _names("Turkey", "India")
    history = [Turn("How many plots were foiled in Turkey?", "How many plots were foiled in Turkey?", "Three [1]."),
               Turn("And in India?", "How many plots were foiled in India?", "Three [1].")]
    assert condensed("Which of the two has a larger population?", history, names) == condense.Condensed(
        "Which has a larger population, Turkey or India?", "rule")
    assert condensed("Which of the two is in Asia?", history, names).method != "rule"  # no comparative


def test_is_that_bigger_than_another_place_compares_the_place_talked_about_with_it():
    names = _names("Qatar", "Maldives", "Iran")
    history = [Turn("What is Qatar's area?", "What is Qatar's area?", "11,586 sq km [1].")]
    assert condensed("Is that bigger than the Maldives?", history, names) == condense.Condensed(
        "Is Qatar bigger than the Maldives?", "rule")
    assert condensed("Is its coastline longer than Iran's?", history, names).standalone == \
        "Is Qatar’s coastline longer than Iran's?"
    assert condensed("Is that more or less than Iran?", history, names).method != "rule"
    assert condensed("Is that bigger than it was?", history, names).standalone != "Is Qatar bigger than it was?"


def test_which_is_older_after_one_question_of_two_places_compares_them():
    names = _names("China", "Russia")
    history = [Turn("What's the median age in China?", "What's the median age in China?", "40.8 years [1]."),
               Turn("How about Russia?", "What's the median age in Russia?", "42.3 years [1].")]
    assert condensed("So which population is older?", history, names).standalone == \
        "Which has the older median age, China or Russia?"


def test_the_same_place_asked_for_something_else():
    history = [Turn("Who is India's prime minister?", "Who is India's prime minister?", "Modi [1].")]
    assert run("And the head of state?", history=history) == condense.Condensed("Who is India's head of state?",
                                                                                 "rule")
    history = [Turn("What is the capital of Qatar?", "What is the capital of Qatar?", "Doha [1].")]
    assert run("What about the population?", history=history).standalone == "What is the population of Qatar?"


def test_the_earliest_one_points_back_like_a_pronoun():
    from assistant import conversation
    history = [Turn("How many phases has the media campaign had?", "How many phases has the media campaign had?",
                    "Three [1].")]
    assert conversation.is_followup("What was the earliest one about?", history)
    assert not conversation.is_followup("Which one of the plots was foiled in Qatar in the end?", [])
    assert run("What was the earliest one about?", history=history).standalone == \
        "What was the first phase about? (media campaign)"  # the first of the phases counted


def test_the_place_talked_about_may_be_the_one_whose_document_the_last_answer_cites():
    names = _names("Pakistan", "India")
    assert names.place_of("pa") == "Pakistan" and names.place_of("r") is None
    history = [Turn("What does the name Islamabad mean?", "What does the name Islamabad mean?",
                    "“Capital, etymology: city of Islam.” [1]", sources=("pa",))]
    assert condensed("Is it the country's biggest city?", history, names).standalone == \
        "Is it Pakistan’s biggest city?"
    mixed = [Turn(history[0].question, history[0].standalone, history[0].answer, sources=("pa", "in"))]
    assert condensed("Is it the country's biggest city?", mixed, names).method != "subject"


def test_how_does_that_compare_with_another_place_asks_the_previous_question_of_it():
    history = [Turn("What's India's population?", "What's India's population?", "1.4 billion [1].")]
    assert run("How does that compare with China's?", history=history).standalone == "What's China's population?"


def test_that_island_is_the_one_island_the_previous_answer_names():
    previous = Turn("And its highest point?", "What is the highest point of the Maldives?",
                    "“Elevation, highest point: 8th tee, golf course, Villingi Island 5 m.” [1]")
    assert condense.named_thing("How many people live on that island?", previous) == \
        "How many people live on Villingi Island?"
    assert condense.named_thing("How many people live on that river?", previous) is None
    two = Turn("q", "q", "“Villingi Island and Hulhumale Island.” [1]")
    assert condense.named_thing("How many people live on that island?", two) is None


def test_a_question_in_another_language_is_translated_with_the_corpus_short_names():
    glossary = [("ISKP", "Islamic State’s Khorasan Province"), ("TTP", "Tehrik-e-Taliban Pakistan")]
    llm = Rewriter("How many plots of the Islamic State's Khorasan Province were foiled in Germany?")
    result = condense.run("Сколько терактов ИГИЛ-Хорасан было предотвращено в Германии?", [], llm,
                          prompts_dir=PROMPTS, history_turns=3, glossary=lambda: glossary)
    assert result.method == "translated"
    assert result.standalone == "How many plots of the ISKP were foiled in Germany?"
    system = llm.prompts[0][0]["content"]
    assert "ISKP (Islamic State’s Khorasan Province); TTP (Tehrik-e-Taliban Pakistan)" in system
    assert condense.translation_rules(PROMPTS, []) == system.split("\n")[0]


def test_the_federation_is_the_place_talked_about_and_a_common_word_of_a_name_names_no_place():
    names = _names("Germany", "United States", "Iran")
    asked = "Who are Germany's biggest export customers?"
    history = [Turn(asked, asked, "USA 10%, France 8% [1].")]
    assert condensed("How many states make up the federation?", history, names).standalone == \
        "How many states make up Germany?"
    assert condensed("Which kingdom borders the United States?", history, names).method == "none"


def test_the_two_countries_are_the_two_places_the_previous_answer_names_together():
    names = _names("Afghanistan", "Pakistan", "Tajikistan")
    asked = "How did most American and European foreign fighters reach the region?"  # peoples, not places described
    history = [Turn(asked, asked, "“They used the corridor between Afghanistan and Pakistan.” [1]")]
    assert condensed("How should the two countries be seen?", history, names).standalone \
        == "How should Afghanistan and Pakistan be seen?"
    # what "that" says is about what the previous answer was about: its question stays as context
    assert condensed("What does that say about how the two countries should be seen?", history, names).standalone \
        == "What does that say about how Afghanistan and Pakistan should be seen? (American European foreign " \
           "fighters reach region)"
    three = [Turn(asked, asked, "“Fighters came through Afghanistan, Pakistan and Tajikistan.” [1]")]
    assert condensed("What does that say about the two countries?", three, names).method == "context"  # not two


def test_it_or_there_after_a_question_answered_by_a_city_is_that_city():
    names = _names("Turkmenistan", "Afghanistan")
    asked = "What is the capital of Turkmenistan?"
    history = [Turn(asked, asked, "“Capital, name: Ashgabat (Ashkhabad).” [1]")]
    assert condensed("And how many inhabitants does it have?", history, names).standalone == \
        "And how many inhabitants does Ashgabat have?"
    model = [Turn(asked, asked, "Ashgabat is the capital of Turkmenistan [1].")]  # the city opens the sentence
    assert condensed("What is the population there?", model, names).standalone == \
        "What is the population in Ashgabat?"
    assert condensed("What is its GDP?", history, names).standalone == "What is Turkmenistan’s GDP?"  # the country's


def _report_and_profiles():
    from assistant.corpus import DocMeta
    from assistant.focus import DocumentNames
    return DocumentNames({d: DocMeta(d, f"The World Factbook: {c}", kind="factbook")
                          for d, c in [("ag", "Algeria"), ("ir", "Iran"), ("ts", "Tunisia")]}
                         | {"r": DocMeta("r", "The Next Afghan Jihad? Taliban Efforts to Contain ISKP", kind="report")})


def test_it_after_a_question_naming_a_document_by_its_kind_is_that_document():
    names = _report_and_profiles()
    asked = "Who are the report's authors?"
    history = [Turn(asked, asked, "“A. Writer, B. Writer” [1]")]

    def condensed(question):
        return condense.run(question, history, ExtractiveBackend(), prompts_dir=PROMPTS, history_turns=3,
                            names=names)

    assert condensed("When did it come out?") == condense.Condensed("When did the report come out?", "referent")
    assert condensed("Does it mention Tunisia?").standalone == "Does the report mention Tunisia?"
    assert condensed("When did it gain independence from France, Tunisia?").standalone != \
        "When did the report gain independence from France, Tunisia?"  # a place asked about, not the report


def test_the_nth_one_is_the_nth_of_the_things_a_recent_question_counted():
    asked = "What are the four seasons of the Alphaland calendar?"
    history = [Turn(asked, asked, "“Its four seasons ...” [1]")]
    assert run("What marks the second one?", history=history) == condense.Condensed(
        "What marks the second season? (Alphaland calendar)", "referent")
    later = history + [Turn("What marks the second season?", "What marks the second season? (Alphaland calendar)",
                            "“Rain.” [1]")]
    assert run("And the last one?", history=later).standalone == "And the fourth season? (Alphaland calendar)"


def test_there_after_a_question_about_a_places_capital_is_that_capital():
    names = _report_and_profiles()
    asked = "What does the name of Tunisia's capital mean?"
    history = [Turn(asked, asked, "“Capital, etymology: from an old Berber settlement.” [1]"),
               Turn("Why that name?", "Why that name? (Tunisia's capital)", "“... a settlement ...” [1]")]
    result = condense.run("What is the headcount there now?", history, ExtractiveBackend(), prompts_dir=PROMPTS,
                          history_turns=3, names=names)
    assert result == condense.Condensed("What is the headcount in the capital of Tunisia now?", "referent")
    about_the_country = [Turn("What is Tunisia's area?", "What is Tunisia's area?", "“Area: 163,610 sq km.” [1]")]
    assert condense.capital_talked_about("What is the headcount there?", about_the_country, names) is None


def test_a_follow_up_naming_another_place_drops_the_earlier_place_from_the_context():
    names = _names("Pakistan", "Uzbekistan", "India")
    asked = "Is ISKP among them? (terrorist groups Factbook Pakistan)"
    history = [Turn("Is ISKP among them?", asked, "No [1].")]
    result = condensed("And for Uzbekistan?", history, names)
    assert result.method == "context" and "Pakistan" not in result.standalone and "ISKP" in result.standalone, result
    kept = condensed("And what did they say?", history, names)  # no place of its own: the earlier one stays
    assert "Pakistan" in kept.standalone, kept


@pytest.mark.parametrize("places, first, second, question, compared", [
    (("Iran", "Turkey"), "What is Iran's official language?", "What is Turkey's official language?",
     "Which one has more people?", "Which has more people, Iran or Turkey?"),
    # "ones" is what both questions asked about
    (("India", "China"), "How many World Heritage Sites does India have?", "How many World Heritage Sites does China "
     "have?", "Which of the two has more natural ones?", "Which has more natural World Heritage Sites, India or China?"),
])
def test_which_one_compares_the_last_two_questions_places_on_what_it_says(places, first, second, question, compared):
    history = [Turn(first, first, "One [1]."), Turn(f"And {places[1]}?", second, "Another [1].")]
    assert condense.compared_pair(question, history, _names(*places)) == compared


@pytest.mark.parametrize("question, previous, compared", [
    ("Does Iran have more or less?", "How much natural gas does Qatar have in proven reserves?",
     "Which has more natural gas proven reserves, Qatar or Iran?"),
    ("And is Turkey's higher?", "What is the life expectancy in Iran?",
     "Which has the higher life expectancy, Iran or Turkey?"),
])
def test_a_place_and_a_comparative_compare_it_with_the_place_asked_about(question, previous, compared):
    names = _names("Iran", "Qatar", "Turkey")
    assert condense.compared_elliptically(question, Turn(previous, previous, "23.861 [1]."), names) == compared
    assert condense.compared_elliptically("Does Iran have more?", Turn("How many plots?", "How many plots?", "16 [1]."),
                                          names) is None  # no place asked about before


def test_which_of_the_two_after_a_comparison_asks_it_of_the_same_pair():
    names = _names("Iran", "Qatar")
    asked = "Which has more natural gas proven reserves, Qatar or Iran?"
    history = [Turn("Does Iran have more or less?", asked, "Iran [1] — more.")]
    assert condense.compared_pair("And which of the two pumps more oil a day?", history, names) == \
        "And which pumps more oil a day, Qatar or Iran?"
