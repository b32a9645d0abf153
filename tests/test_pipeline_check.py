"""Stage check: names asked about must be in the passages; an LLM's answer must give the kind of answer asked."""
from assistant.citations import Citation
from assistant.corpus import DocMeta
from assistant.pipeline import check
from assistant.retrieval import Passage

TEXT = "Since 2015, foreign law enforcement has interdicted at least sixteen ISKP plots, three in India."
PASSAGES = [Passage(doc_id="report", title="The Next Afghan Jihad", section="", page=None, start=0, end=len(TEXT),
                    text=TEXT, chunk_ids=["c1"], score=1.0, similarity=0.8, n=1)]
METAS = {"report": DocMeta("report", "The Next Afghan Jihad", authors=["Amira Jadoon"])}
QUOTE = Citation(n=1, doc_id="report", title="The Next Afghan Jihad", section="", page=None,
                 quote="at least sixteen ISKP plots", start=50, end=77)
HOW_MANY = "How many ISKP plots has foreign law enforcement interdicted since 2015?"


def factbook_line(doc_id: str, country: str, section: str, line: str) -> tuple[list[Passage], dict, Citation]:
    """One Factbook line as the only passage, its document's metadata, and a citation of the whole line."""
    title = f"The World Factbook: {country}"
    passages = [Passage(doc_id=doc_id, title=title, section=section, page=None, start=0, end=len(line), text=line,
                        chunk_ids=["c1"], score=1.0, similarity=0.8, n=1)]
    quote = Citation(n=1, doc_id=doc_id, title=title, section=section, page=None, quote=line, start=0, end=len(line))
    return passages, {doc_id: DocMeta(doc_id, title)}, quote


def test_an_answer_of_the_kind_asked_about_what_the_passages_mention_passes():
    assert check.run(HOW_MANY, "At least sixteen [1].", [QUOTE], PASSAGES, METAS, kind_asked=True) == check.Checked()


def test_a_name_no_passage_mentions_is_refused_with_a_notice():
    result = check.run("How many ISKP plots were foiled in France?", "Three [1].", [QUOTE], PASSAGES, METAS,
                       kind_asked=False)
    assert result.notice and "France" in result.notice and "ISKP" not in result.notice
    assert check.unaddressed_names("What did Amira Jadoon write about ISKP?", PASSAGES, METAS) == []  # an author


def test_an_llm_answer_without_the_number_asked_for_is_refused():
    result = check.run(HOW_MANY, "Many plots were stopped [1].", [QUOTE], PASSAGES, METAS, kind_asked=True)
    assert result.notice == check.WRONG_KIND
    assert check.run(HOW_MANY, "Many plots were stopped [1].", [QUOTE], PASSAGES, METAS,
                     kind_asked=False).notice is None  # extractive drafts only pick such sentences anyway


def test_an_llm_answer_whose_quotes_do_not_name_what_was_asked_is_refused():
    tajik = "How many ISKP plots did Tajik security services interdict?"
    passages = PASSAGES + [Passage(doc_id="report", title="The Next Afghan Jihad", section="", page=None, start=0,
                                   end=10, text="Tajik nationals took part.", chunk_ids=["c2"], score=0.5,
                                   similarity=0.5, n=2)]
    result = check.run(tajik, "Sixteen [1].", [QUOTE], passages, METAS, kind_asked=True)
    assert result.notice and "Tajik" in result.notice
    in_2024 = check.run("How many ISKP plots were interdicted in 2024?", "Sixteen [1].", [QUOTE], PASSAGES, METAS,
                        kind_asked=True)
    assert in_2024.notice and "2024" in in_2024.notice


def pointing_back(report_text: str, opening: str) -> tuple[Passage, Citation, str]:
    """The report's sentence that opens so, cited, in a passage from its paragraph's start; the text before it."""
    start = report_text.index(opening)
    end = report_text.index(".", start) + 1
    para = report_text.rfind("\n\n", 0, start) + 2
    passage = Passage("next-afghan-jihad", "The Next Afghan Jihad?", "", None, para, end, report_text[para:end],
                      ["c1"], 1.0, 0.5)
    quote = Citation(1, "next-afghan-jihad", "The Next Afghan Jihad?", "", None, report_text[start:end], start, end)
    return passage, quote, report_text[para:start]


def test_a_quote_that_points_back_is_read_with_the_sentence_it_points_to(report_text):
    passage, quote, before = pointing_back(report_text, "This situation is similar to the jihadist movement in Tunisia")
    question = "To which country's jihadist movement do the authors compare the Tajik involvement?"
    assert "Tajik" in before, "the sentence before names what 'This situation' is"
    assert check.unquoted_asked(question, [quote]) == ["Tajik"]
    assert check.unquoted_asked(question, [quote], [passage]) == []


def test_an_llm_measure_whose_quotes_do_not_say_what_is_measured_is_refused():
    passages, metas, quote = factbook_line("qa", "Qatar", "Geography",
                                           "Land boundaries, border countries: Saudi Arabia 87 km.")
    coastline = check.run("How long is Saudi Arabia's coastline?", "Its coastline is 87 km [1].", [quote], passages,
                          metas, kind_asked=True)
    assert coastline.notice and "coastline" in coastline.notice
    assert check.run("How long is Qatar's border with Saudi Arabia?", "87 km [1].", [quote], passages, metas,
                     kind_asked=True) == check.Checked()


def test_an_llm_answer_giving_a_count_for_a_list_its_quote_lists_is_refused():
    text = "Administrative divisions: 4 provinces; Balochistan, Khyber Pakhtunkhwa, Punjab, Sindh."
    quote = Citation(n=1, doc_id="pk", title="Pakistan", section="", page=None, quote=text, start=0, end=len(text))
    assert not check.answers_the_kind_asked("What are Pakistan's provinces?", "There are four provinces [1].", [quote])
    assert check.answers_the_kind_asked("What are Pakistan's provinces?", "Balochistan, Punjab and Sindh [1].", [quote])


def test_an_llm_count_of_something_else_than_what_was_asked_is_refused():
    leaders = "How many ISKP leaders did foreign law enforcement interdict?"
    result = check.run(leaders, "Sixteen [1].", [QUOTE], PASSAGES, METAS, kind_asked=True)
    assert result.notice and "leader" in result.notice
    assert check.run(HOW_MANY, "Sixteen [1].", [QUOTE], PASSAGES, METAS, kind_asked=True).notice is None


def _quoted(text):
    return Citation(n=1, doc_id="report", title="t", section="", page=None, quote=text, start=0, end=len(text))


def test_an_llm_count_must_be_a_count_of_what_is_asked():
    islands = _quoted("archipelago of 1,190 coral islands grouped into 26 atolls (200 inhabited islands)")
    question = "How many islands make up the archipelago?"
    assert check.counts_of_something_else(question, "26 islands [1].", [islands]) == ["26"]  # atolls
    assert check.counts_of_something_else(question, "1,190 islands [1].", [islands]) == []
    population = _quoted("Population, total: 2,568,426 (2025 est.).")
    assert check.counts_of_something_else("How many people live in Alphaland?", "2,568,426 [1].", [population]) == []
    plots = _quoted(TEXT)  # "sixteen ISKP plots, three in India": a list item counts what its head counts
    assert check.counts_of_something_else("How many ISKP plots were foiled in India?", "Three [1].", [plots]) == []


def test_a_yes_that_the_quoted_value_denies_is_refused():
    none = _quoted("Coastline: 0 km (doubly landlocked).")
    assert check.says_yes_to_none("Does Alphaland have a coastline?", "Yes, it has a coastline [1].", [none])
    assert not check.says_yes_to_none("Does Alphaland have a coastline?", "No: 0 km [1].", [none])
    some = _quoted("Coastline: 2,440 km.")
    assert not check.says_yes_to_none("Does Alphaland have a coastline?", "Yes, 2,440 km [1].", [some])
    geography = "Coastline: 0 km (doubly landlocked).\nCoastline, note: it includes part of a lake with a 420 km shore."
    note = Citation(1, "al", "Alphaland", "Geography", None, geography.split("\n")[1], geography.index("Coastline,"),
                    len(geography))
    passage = Passage("al", "Alphaland", "Geography", None, 0, len(geography), geography, [], 1.0, 1.0)
    assert check.says_yes_to_none("Does Alphaland have a coastline?", "Yes, it has one [1].", [note], [passage])


def test_an_llm_value_from_another_item_of_a_listed_quote_is_refused(report_text):
    """"Twelve ... five in 2022" for the plots in Qatar, citing a sentence that points back to the list giving Qatar
    one; a date of another item of a dated list."""
    passage, twelve, before = pointing_back(report_text, "Twelve of these interdictions")
    qatar = "How many ISKP plots were foiled in Qatar?"
    assert "one in Qatar" in before
    drafted = "Twelve of the interdictions occurred after the Taliban took power: five in 2022 and seven in 2023 [1]."
    result = check.run(qatar, drafted, [twelve], [passage], {}, kind_asked=True)
    assert result.notice and "Qatar" in result.notice
    assert check.values_of_another_item(qatar, "One in Qatar [1].", [twelve], [passage]) == []
    assert check.values_of_another_item("How many ISKP plots were foiled in total?", "Twelve [1].", [twelve],
                                        [passage]) == []  # a sum is no item's value
    dates = ("Independence: 18 January 1871 (establishment of the German Empire); notable earlier dates: "
             "10 August 843 (Eastern Francia established)")
    cited = Citation(1, "fb", "Germany", "", None, dates, 0, len(dates))
    empire = "When was the German Empire established?"
    assert check.values_of_another_item(empire, "On 10 August 843 [1].", [cited]) == ["German Empire"]
    assert check.values_of_another_item(empire, "On 18 January 1871 [1].", [cited]) == []


def test_an_llm_count_for_a_place_the_quoted_list_does_not_place_is_refused():
    tally = "The council has nine members: four in Paris, three in Rome and two in Oslo."
    passages = [Passage("report", "The Next Afghan Jihad", "", None, 0, len(tally), tally, ["c1"], 1.0, 0.8, n=1)]
    quote = Citation(1, "report", "The Next Afghan Jihad", "", None, tally, 0, len(tally))
    result = check.run("How many council members are in Madrid?", "Nine council members are in Madrid [1].",
                       [quote], passages, METAS, kind_asked=True)
    assert result.notice and "Madrid" in result.notice
    assert check.run("How many council members are in Rome?", "Three are in Rome [1].", [quote], passages, METAS,
                     kind_asked=True).notice is None


KINDS = {"report": DocMeta("report", "The Next Afghan Jihad", kind="report"),
         "fb-al": DocMeta("fb-al", "The World Factbook: Alphaland", kind="factbook")}


def with_profile(line: str) -> tuple[list[Passage], Citation]:
    """The report's passage and an Alphaland profile holding line, and a citation of that line."""
    profile = Passage("fb-al", "The World Factbook: Alphaland", "", None, 0, len(line), line, ["c9"], 0.9, 0.7, n=2)
    return PASSAGES + [profile], Citation(2, "fb-al", "The World Factbook: Alphaland", "", None, line, 0, len(line))


def test_an_llm_answer_citing_another_kind_of_document_than_the_question_names_is_refused():
    passages, exports = with_profile("Economic overview: Alphaland exports tin and coffee.")
    asked_of_report = check.run("What does the report say about Alphaland's exports?",
                                "Alphaland exports tin and coffee [2].", [exports], passages, KINDS, kind_asked=True)
    assert asked_of_report.notice and "report" in asked_of_report.notice
    assert check.run("What does Alphaland export?", "Alphaland exports tin and coffee [2].", [exports], passages,
                     KINDS, kind_asked=True).notice is None


def test_a_document_named_only_in_the_statements_before_the_question_is_not_where_to_read():
    passages, holiday = with_profile("National holiday: Revolution Day, 14 January (2011).")
    assert check.not_from_the_source_named("The report mentions a revolution in Alphaland. Which holiday marks it?",
                                           [holiday], passages, KINDS) == []
    assert check.not_from_the_source_named("Which holiday does the report say marks it?", [holiday], passages,
                                           KINDS) == ["report"]


LANGUAGES = Citation(n=1, doc_id="fb-x", title="Profile: Freedonia", section="People", page=None, start=0, end=120,
                     quote="Languages: Groucho (official, closely related to Sylvanian), English (spoken by most "
                           "government officials).")


def test_an_answer_giving_an_items_qualifier_to_another_item_is_refused():
    question = "Which language is official in Freedonia?"
    assert check.qualified_item_elsewhere(question, "English is the official language of Freedonia [1].",
                                          [LANGUAGES]) == ["official"]
    passage = Passage("fb-x", "Profile: Freedonia", "People", None, 0, 120, LANGUAGES.quote, ["fb-x"], 1.0, 0.5, n=1)
    assert check.run(question, "English is the official language of Freedonia [1].", [LANGUAGES], [passage], {},
                     kind_asked=True).notice.startswith("The quotes cited say official of another item")
    assert check.qualified_item_elsewhere(question, "Groucho is official [1].", [LANGUAGES]) == []


def test_a_qualifier_every_item_or_none_has_or_a_participle_of_the_field_is_not_judged():
    assert check.qualified_item_elsewhere("Which languages are spoken in Freedonia?", "Groucho [1].",
                                          [LANGUAGES]) == []  # "spoken" restates the field
    sentence = Citation(n=1, doc_id="r", title="A report", section="", page=None, start=0, end=80,
                        quote="It has pursued two aims: (1) continuing its official propaganda, and (2) planning "
                              "attacks abroad.")
    assert check.qualified_item_elsewhere("Which aim is official?", "Planning attacks abroad [1].", [sentence]) == []


def test_an_answer_naming_another_item_of_a_sentences_list_than_the_one_described_is_refused():
    quote = Citation(n=1, doc_id="r", title="A report", section="", page=None, start=0, end=120,
                     quote="The group follows earlier movements, including Freedonia's Duck Brigade, the Red League, "
                           "and the Sylvanian Front.")
    question = "Which Freedonian movement does the report list among earlier movements?"
    assert check.qualified_item_elsewhere(question, "The Red League [1].", [quote]) == ["Freedonian"]
    assert check.qualified_item_elsewhere(question, "Freedonia's Duck Brigade [1].", [quote]) == []
    assert check.qualified_item_elsewhere("Which movement came first?", "The Red League [1].", [quote]) == []


def test_an_llm_claim_citing_a_field_other_than_the_one_it_states_is_refused():
    passages, metas, quote = factbook_line("gm", "Germany", "Economy",
                                           "GDP - composition, by end use, government consumption: 21.2% (2024 est.).")
    question = "What share of its economy does Germany put into defence?"
    refused = check.run(question, "21.2% of Germany's economy is put into defence [1].", [quote], passages, metas,
                        kind_asked=True)
    assert refused.notice and "Military Expenditures" in refused.notice
    spending = check.run("What share of Germany's economy is government consumption?",
                         "Government consumption is 21.2% of Germany's economy [1].", [quote], passages, metas,
                         kind_asked=True)
    assert spending == check.Checked()


def test_an_llm_answer_to_a_follow_up_from_a_document_about_another_place_is_refused():
    line = "Exports - commodities: gold, precious metal ore, aluminum, lead ore, antimony (2023)."
    quote = Citation(n=1, doc_id="ti", title="The World Factbook: Tajikistan", section="Economy", page=None,
                     quote=line, start=0, end=len(line))
    follow_up = "And what does it mainly sell them? (buys Afghanistan's exports)"
    assert check.unquoted_asked(follow_up, [quote]) == ["Afghanistan"]
    own = Citation(n=1, doc_id="af", title="The World Factbook: Afghanistan", section="Economy", page=None,
                   quote="Exports - commodities: coal, grapes (2023).", start=0, end=42)
    assert check.unquoted_asked(follow_up, [own]) == []
    assert check.unquoted_asked("Who buys Tajikistan's gold? (buys Afghanistan's exports)", [quote]) == []


def _factbook_lines(doc_id: str, country: str, lines: list[str]) -> tuple[list[Passage], dict, list[Citation]]:
    """Factbook lines as one passage, its document's metadata, and a citation of each line."""
    title, text = f"The World Factbook: {country}", "\n".join(lines)
    passages = [Passage(doc_id=doc_id, title=title, section="People and Society", page=None, start=0, end=len(text),
                        text=text, chunk_ids=["c1"], score=1.0, similarity=0.8, n=1)]
    starts = [text.index(line) for line in lines]
    quotes = [Citation(n=i + 1, doc_id=doc_id, title=title, section="People and Society", page=None, quote=line,
                       start=start, end=start + len(line)) for i, (line, start) in enumerate(zip(lines, starts))]
    return passages, {doc_id: DocMeta(doc_id, title)}, quotes


def test_an_llm_claim_citing_a_field_when_the_passages_give_one_that_fits_the_question_better_is_refused():
    passages, metas, (growth, total) = _factbook_lines("in", "India", [
        "Population growth rate: 0.72% (2025 est.).", "Population, total: 1,419,316,933 (2025 est.)."])
    question = "How large is India's population?"
    refused = check.run(question, "India's population grows by 0.72% [1].", [growth], passages, metas,
                        kind_asked=True)
    assert refused.notice and "Population, total" in refused.notice
    assert check.run(question, "India has 1,419,316,933 people [1].", [total], passages, metas,
                     kind_asked=True) == check.Checked()
    assert check.run("How fast is India's population growing?", "By 0.72% a year [1].", [growth], passages, metas,
                     kind_asked=True) == check.Checked()  # the growth rate is what is asked


def test_a_field_fitting_more_of_the_question_s_words_than_the_cited_one_is_named():
    passages, metas, (married, fertility) = _factbook_lines("af", "Afghanistan", [
        "Currently married women (ages 15-49): 65.9% (2023 est.).",
        "Total fertility rate: 4.89 children born/woman (2025 est.)."])
    question = "What is the average number of children women have in Afghanistan?"
    refused = check.run(question, "65.9% of women are married [1].", [married], passages, metas, kind_asked=True)
    assert refused.notice and "Total fertility rate" in refused.notice
    assert check.run(question, "4.89 children per woman [2].", [fertility], passages, metas,
                     kind_asked=True) == check.Checked()


def test_a_cited_field_sharing_no_word_with_the_question_or_one_of_the_same_family_is_not_judged():
    from assistant import field_words
    lines = ["Executive branch, chief of state: Supreme Leader Ali Hoseini-KHAMENEI (since 4 June 1989).",
             "Legislative branch, most recent election date: 1 March 2024.", "Ethnic groups: Persian, Azeri."]
    assert field_words.closer_field("Who holds the position of Supreme Leader in Iran?", lines[0], lines) == ""
    urban = "Major urban areas - population: 987,000 DUSHANBE (capital) (2023)."
    assert field_words.closer_field("How many people live in the capital of Tajikistan?", urban,
                                    [urban, "Population, total: 10,590,927 (2025 est.)."]) == ""  # its line says
    city = "Major urban areas - population: 902,000 ASHGABAT (capital) (2023)."
    assert field_words.closer_field("And how many inhabitants does Ashgabat have?", city,
                                    [city, "Population, total: 5,744,151 (2025 est.)."]) == ""  # the city's line
    border = "Land boundaries, border countries (2): Afghanistan 1,357 km; Uzbekistan 1,312 km."
    assert field_words.closer_field("How long is Tajikistan's border with Uzbekistan?", border,
                                    [border, "Land boundaries, total: 4,130 km."]) == ""
    assert field_words.closer_field("How many ISKP plots were foiled?", "Since 2015: sixteen plots.", lines) == ""


def test_an_llm_answer_naming_no_place_for_a_question_asking_which_places_is_refused():
    question = "Which Indian cities were the plots aimed at?"
    assert check.run(question, "The plots were aimed at cities in India [1].", [QUOTE], PASSAGES, METAS,
                     kind_asked=True).notice == check.WRONG_KIND
