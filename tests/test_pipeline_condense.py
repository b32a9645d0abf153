"""Stage condense: a follow-up made standalone by rule, by a (scripted) LLM, or with the previous question."""
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
