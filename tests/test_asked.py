"""What a question asks for (asked.py), and which sentences state it."""
import pytest

from assistant import asked, field_words
from assistant.asked import Kind
from assistant.textutil import terms

PLOTS = ("Since 2015, foreign law enforcement has interdicted at least sixteen ISKP plots: three in India, four in "
         "Iran, three in Germany, one in the Maldives, one in Pakistan, one in Qatar, and three in Turkey.")


@pytest.mark.parametrize("question, kind", [
    ("How many ISKP plots were foiled in Iran?", Kind.COUNT),
    ("What share of GDP came from remittances?", Kind.COUNT),
    ("How long is the border between Tajikistan and Uzbekistan?", Kind.MEASURE),
    ("How far is Kabul from Islamabad?", Kind.MEASURE),
    ("How far do the Taliban's efforts against ISKP actually go?", None),
    ("When was the Islamic Republic of Iran proclaimed?", Kind.DATE),
    ("In what year did ISKP emerge?", Kind.DATE),
    ("Who is the president of Tunisia?", Kind.NAME),
    ("Which provincial governors has ISKP assassinated?", Kind.NAME),
    ("Who does ISKP target with assassinations?", None),  # a class of people may answer
    ("What do the authors recommend?", None),
    ("What's the total population of Uzbekistan?", Kind.MEASURE),  # a quantity asked for by its name
    ("What is Iran's median age?", Kind.MEASURE),
    ("What is the capital of the area?", None),  # the quantity's name after "of" is not what is asked
    ("What is the population's main language?", None),
    ("What is the group's media outlet called?", Kind.NAME),
])
def test_the_kind_of_answer_a_question_asks_for(question, kind):
    assert asked.answer_kind(question) == kind


def test_kinds_are_read_in_any_form():
    assert asked.states_kind(Kind.COUNT, "twenty-five fighters") and asked.states_kind(Kind.COUNT, "2.6 million")
    assert not asked.states_kind(Kind.COUNT, "It happened in 2015.")  # a year does not answer "how many"
    assert not asked.states_kind(Kind.COUNT, "Published on 2 April.")
    assert asked.states_kind(Kind.DATE, "It was proclaimed in April.")
    assert not asked.states_kind(Kind.DATE, "It may happen.")
    assert asked.states_kind(Kind.NAME, "It is led by Abu Bakr al-Baghdadi.", "Who leads it?")
    assert not asked.states_kind(Kind.NAME, "It borders Tajikistan.", "Who leads it?")  # a place, not a person


def test_a_sentence_must_state_the_names_years_and_counted_thing_asked():
    assert asked.unmet("How many ISKP plots were foiled in Iran?", PLOTS) == []
    assert asked.unmet("How many ISKP plots did Tajik security services interdict?", PLOTS) == ["name Tajik"]
    assert asked.unmet("How many ISKP leaders did the Taliban kill?", "Twelve of these interdictions occurred "
                       "after the Taliban took power.", "Taliban Efforts to Contain ISKP") == [
        "what is counted (leader)"]
    assert asked.unmet("What was military spending in 2024?", "Military Expenditures 2018: 3.2% of GDP (2018).") \
        == ["year 2024"]
    assert asked.unmet("How many plots since 2015?", "Sixteen plots were foiled.") == []  # a range end, not a point


def test_the_document_title_and_earlier_turns_are_context():
    assert asked.unmet("What's the capital of Tajikistan?", "Capital, name: Dushanbe.",
                       "The World Factbook: Tajikistan") == []
    assert asked.unmet("How many kilometres of coastline does Turkey have?", "Coastline: 7,200 km.",
                       "The World Factbook: Turkey") == []
    assert asked.asked_names("What national holiday marks that? (Islamic Republic Iran proclaimed)") == []


def test_a_name_answers_only_from_a_sentence_about_what_is_asked_of_it():
    question = "Who founded the al-Azaim Media Foundation?"
    assert asked.unmet(question, "Its media arm, al-Azaim Media Foundation, was praised by Sanaullah Ghafari.") == [
        "what is asked of it (found)"]  # a person named, but not as its founder
    assert asked.unmet(question, "The al-Azaim Media Foundation was founded by Sultan Aziz Azam in 2021.") == []


def test_a_number_answers_only_about_the_attribute_asked():
    saudi = "How long is Saudi Arabia's coastline?"
    assert asked.unmet(saudi, "Land boundaries, border countries: Saudi Arabia 87 km.") == [
        "what is asked of it (coastline)"]
    assert asked.unmet(saudi, "Coastline: 2,640 km.", "The World Factbook: Saudi Arabia") == []


@pytest.mark.parametrize("question", ["On what exact date did the ferry service start?",
                                      "Which day did the ferry service start?"])
def test_a_question_for_a_date_wants_the_day_not_only_the_year(question):
    assert asked.answer_kind(question) is asked.Kind.DATE
    assert asked.unmet(question, "The ferry service started in 2021.") == ["a date"]
    assert asked.unmet(question, "The ferry service started on 15 August 2021.") == []
    assert asked.unmet("In what year did the ferry service start?", "The ferry service started in 2021.") == []


@pytest.mark.parametrize("question, described, named", [
    ("One ISKP plot was foiled in a Gulf state.", ["Gulf"], ["ISKP"]),
    ("ISKP claimed an attack in a small Indian Ocean country.", ["Indian Ocean"], ["ISKP"]),
    ("ISKP fired rockets at two Central Asian neighbours.", ["Central Asian"], ["ISKP"]),
    ("What does the Islamic State claim?", [], ["Islamic State"]),  # a name, though "State" is a place noun
    ("Which Gulf states border Qatar?", ["Gulf"], ["Qatar"]),
    ("How did most Western recruits reach Syria?", ["Western"], ["Syria"]),  # a compass word describes
])
def test_a_name_that_describes_an_unnamed_place_is_not_asked_for(question, described, named):
    assert asked.descriptions(question) == described
    assert asked.asked_names(question) == named


def test_a_compound_answers_for_the_word_it_begins_but_a_derived_word_does_not():
    assert asked.unmet("How long is the coast of the Maldives?", "Coastline: 644 km.", "The World Factbook: Maldives") == []
    assert asked.unmet("Who founded the media office?", "The media foundation published videos in Pashto.") != []
    assert asked.shares({"coast"}, {"coastline"}) and not asked.shares({"found"}, {"foundation"})


def test_words_placing_a_question_in_the_present_are_not_what_it_asks():
    assert asked.content("What's Tunisia's population today?") == "What's Tunisia's population?"
    assert asked.content("Who currently leads Iran?") == "Who leads Iran?"


def test_an_acronym_label_answers_for_the_words_it_abbreviates():
    assert "idp" in asked.initialisms("How many internally displaced people live in Afghanistan?")
    assert "gdp" in asked.initialisms("What is Iran's gross domestic product?")


def test_holding_a_post_is_not_what_a_name_question_asks_of():
    line = "Executive branch, chief of state: Supreme Leader Ali Hoseini-KHAMENEI (since 4 June 1989)."
    assert asked.unmet("Who holds the position of Supreme Leader in Iran?", line, "The World Factbook: Iran") == []
    assert asked.unmet("Who holds the record for the tallest building in Iran?", line, "The World Factbook: Iran")


def test_a_place_noun_after_the_keeps_its_name():
    assert asked.asked_names("What is the population of the Kurdistan region?") == ["Kurdistan"]


def test_a_year_alone_is_not_a_measurement():
    question = "How large are Russia's active armed forces?"
    assert "a measurement" in asked.unmet(question, "Its active armed forces were reformed in 2008 and 2012.")
    assert not asked.unmet(question, "Military and security service personnel strengths (Russia): 1.1-1.2 million active "
                                     "Armed Forces personnel.")


@pytest.mark.parametrize("question, counted", [
    ("How many people live in Qatar?", {"population"}),  # people are counted as a population; "live" is the verb
    ("How many US troops stationed in Qatar?", {"troop"}),
    ("How many ISKP plots were foiled in India?", {"plot"}),
    ("How many of them are really Alphalandic citizens?", {"Alphalandic", "citizens"}),  # the citizens are Alphalandic
    ("How many Alphalandic troops are stationed abroad?", {"troop"}),  # troops of Alphaland are counted as troops
])
def test_what_a_count_counts_ends_at_its_verb_and_people_are_a_population(question, counted):
    assert asked.counted_terms(question) == {t for word in counted for t in asked.stated_terms(word)}


def test_a_property_looked_up_of_a_name_must_be_stated():
    question = "What is the capital of Iraq?"
    assert asked.unmet(question, "Location: Middle East, between Iraq and Pakistan.") == \
        ["what is asked of it (capital)"]
    assert asked.unmet("What is the capital of Qatar?", "Capital, name: Doha.", "Qatar") == []


def test_a_measure_s_noun_states_what_its_adjective_asks():
    assert asked.unmet("How long is the Amu Darya?", "Major rivers (by length in km): Amu Darya - 2,620 km.") == []


@pytest.mark.parametrize("question, listing", [
    ("What are Pakistan's provinces?", True),
    ("What are Turkmenistan's top export goods?", True),
    ("What is the capital of Qatar?", False),
    ("What are the three phases of ISKP's media operations?", False),  # asked of something else: a count first
])
def test_a_question_asking_for_the_members_of_a_list(question, listing):
    assert asked.asks_list(question) is listing


@pytest.mark.parametrize("question, pinned", [
    ("In which year did authorities foil five plots?", {5.0}),
    ("Which province had 42% of the votes?", {42.0}),
    ("Who are the three founders?", set()),  # how many are wanted, not a given
    ("Which five towns lie on the river?", set()),
    ("Name four exports of the country.", set()),
    ("How many plots were foiled in 2022?", set()),  # counted, not given
    ("The group fired rockets at two neighbours.", set()),  # a statement's number describes
])
def test_numbers_a_question_gives_are_pinned(question, pinned):
    assert asked.pinned_counts(question) == pinned


def test_a_sentence_must_state_the_numbers_a_question_gives():
    question = "In which year did authorities foil five plots?"
    assert asked.unmet(question, "Since 2015 authorities have foiled sixteen plots: three in Alphaland.") == [
        "number 5"]
    assert asked.unmet(question, "Twelve of these occurred later: five in 2022 and seven in 2023.") == []


@pytest.mark.parametrize("sentence, refers", [
    ("Twelve of these interdictions occurred after the Taliban took power.", True),
    ("Most of them came from Tajikistan.", True),
    ("These include:", True),
    ("Twelve plots were foiled after 2021.", False),
    ("One of the leaders was killed.", False),
])
def test_a_sentence_about_the_one_before_it(sentence, refers):
    assert bool(asked.BACK_REFERENCE.match(sentence)) is refers


def test_a_measurement_is_a_number_beside_what_is_measured():
    question = "How large is Alphaland, by area?"
    assert asked.unmet(question, "Area, total: 796,095 sq km.", "Alphaland") == []
    note = ("Military - note: the army leads security in the tribal areas of the north; it has fought wars and "
            "skirmishes and has ruled the country for more than 30 years since independence.")
    assert asked.unmet(question, note, "Alphaland") == ["a measurement of area"]
    assert asked.unmet("How long is the Blue River?", "Major rivers (by length in km): Blue River (shared with "
                       "Alphaland [s], Betastan, and Gammaria [m]) - 2,620 km.", "Alphaland") == []


@pytest.mark.parametrize("question, sentence, holds", [
    ("Who buys most of Alphaland's exports?", "Exports - partners: Betastan 42%, Gammaria 40% (2023).", True),
    ("Who have its assassinations been aimed at?", "Assassinations against provincial governors and ideologues.", True),
    ("Which provincial governors has it assassinated?", "Assassinations against provincial governors.", False),
    ("Who founded the group?", "The group was founded in 2015.", False),
])
def test_who_may_be_answered_by_several_agents_or_a_kind_of_people(question, sentence, holds):
    assert asked.states_kind(asked.Kind.NAME, sentence, question) is holds


def test_a_ruler_is_asked_of_the_chief_of_state_field():
    question = "Who's the ruler of Alphaland?"
    assert "who" not in asked.attribute_terms(question)
    assert asked.unmet(question, "Executive branch, chief of state: Amir TAMIM bin Hamad (since 2013).",
                       "The World Factbook: Alphaland") == []


def test_what_a_count_counts_may_be_said_by_the_sentence_it_refers_back_to():
    question = "Of the plots foreign police disrupted, how many came after the takeover?"
    sentence = "Twelve of these interdictions occurred after the takeover."
    assert asked.unmet(question, sentence) == ["what is counted (disrupt, foreign, plot, police)"]
    assert asked.unmet(question, sentence, referred="Foreign police have disrupted sixteen plots.") == []


def test_how_much_of_a_whole_is_a_part_counts_the_part():
    assert asked.counted_terms("How much of Turkmenistan is desert?") == {"desert"}
    assert asked.counted_terms("How much of the country is forest?") == {"forest"}
    note = "the great Garagum (Kara-Kum) desert, which occupies over 80% of the country"
    assert asked.unmet("How much of Turkmenistan is desert?", note, "The World Factbook: Turkmenistan") == []


def test_what_a_name_means_asks_for_no_name():
    assert asked.answer_kind("What does the name of Tajikistan's capital mean?") is None
    assert asked.answer_kind("Where does the name of the country come from?") is None
    assert asked.answer_kind("What is the name of the capital?") is Kind.NAME
    assert asked.answer_kind("Who is the city named after?") is Kind.NAME


def test_how_long_people_live_and_how_old_they_are_ask_for_the_factbook_s_labels():
    life = "Life expectancy at birth, total population: 75.6 years (2024 est.)."
    assert asked.unmet("How long do Iranians live on average?", life, "The World Factbook: Iran") == []
    assert asked.unmet("How old is the average Uzbek?", "Median age, total: 29.2 years (2025 est.).",
                       "The World Factbook: Uzbekistan") == []
    assert asked.unmet("How old is the average Uzbek?", life, "The World Factbook: Uzbekistan")


def test_who_holds_a_post_asks_for_a_person_by_name_not_a_kind_of_people():
    leaders = "In early 2023, it increased operations targeting key ISKP leaders, including senior ideologues."
    assert not asked.states_kind(asked.Kind.NAME, leaders, "Who is the current leader of ISKP?")
    assert not asked.states_kind(asked.Kind.NAME, leaders, "Who is the group's top commander?")  # post after 's
    assert asked.states_kind(asked.Kind.NAME, "Executive branch, chief of state: President XI Jinping.",
                             "Who is the president of China?")
    assert asked.states_kind(asked.Kind.NAME, leaders, "Who did the Taliban go after?")  # agents, not a post


def test_who_did_something_may_be_answered_by_an_agent_such_as_a_coalition_or_law_enforcement():
    coalition = "When the U.S.-led coalition was present, it constrained ISKP’s initial growth in 2015-17."
    assert asked.states_kind(asked.Kind.NAME, coalition, "Who held ISKP back in 2015-17?")
    police = "Since 2015, foreign law enforcement has interdicted at least sixteen ISKP plots."
    assert asked.states_kind(asked.Kind.NAME, police, "Who stopped the plots?")
    aid = "Humanitarian assistance may prod local authorities to address ISKP's activity."
    assert not asked.states_kind(asked.Kind.NAME, aid, "Who were the Taliban going after?")


@pytest.mark.parametrize("question, many", [
    ("Why do the authors think Tajikistan should be worried?", True),
    ("How has the Taliban's approach changed since 2021?", True),
    ("What steps do the authors recommend?", True),
    ("What are Pakistan's provinces?", True),
    ("How many plots were foiled in Iran?", False),
    ("How long is Iran's coastline?", False),
    ("What is the capital of Qatar?", False),
    ("Run me through the ways ISKP has widened its violence.", True),
    ("Take me through the reasons the authors give.", True),
])
def test_a_question_asking_for_reasons_steps_or_a_change_asks_for_several_facts(question, many):
    assert asked.asks_many(question) is many


def test_a_name_answers_unless_it_spells_out_the_questions_own_acronym():
    question = "What is ISKP's in-house media outfit called?"
    assert not asked.states_kind(Kind.NAME, "It is called the Islamic State's Khorasan Province (ISKP).", question)
    assert asked.states_kind(Kind.NAME, "Its media architecture, al-Azaim Media Foundation, grew.", question)


def test_an_answer_that_is_only_a_name_states_it_first_word_too():
    question = "What is Pakistan's national anthem called?"
    assert asked.states_kind(Kind.NAME, "Qaumi Tarana [1].", question)
    assert not asked.states_kind(Kind.NAME, "Several Taliban leaders were killed [1].", question)
    assert not asked.states_kind(Kind.NAME, "Natural gas [1].", question)


def test_any_or_every_before_a_place_noun_describes_a_place_unnamed():
    assert asked.descriptions("Was an ISKP plot disrupted in any Gulf state?") == ["Gulf"]
    assert asked.asked_names("Was an ISKP plot disrupted in any Gulf state?") == ["ISKP"]
    assert asked.asked_names("Was a plot disrupted in the Gulf?") == ["Gulf"]  # "the Gulf" names it


def test_words_about_the_asking_are_not_what_is_asked():
    question = "Who was the council going after, exactly?"
    assert asked.attribute_terms(question) == {"council"}
    assert asked.unmet(question, "The council targeted Mayor Bram Olsen of Alphaland.") == []


def test_a_list_placing_its_items_answers_only_for_the_places_it_names():
    tally = "The council has nine members: four in Paris, three in Rome and two in Oslo."
    assert asked.unlisted_items("How many council members are in Madrid?", tally) == ["Madrid"]
    assert asked.unlisted_items("How many council members are in Rome?", tally) == []
    assert "name Madrid" in asked.unmet("How many members are in Madrid?", "Nine of them sit weekly.",
                                        "Council of Madrid", referred=tally)
    borders = "Land boundaries, border countries: Alphaland 12 km; Betaland 30 km."
    assert asked.unlisted_items("Which countries border Gammaland?", borders) == []  # no items placed "in"


def test_people_who_did_something_are_counted_by_the_deed_not_as_a_population():
    assert asked.counted_terms("How many people drowned in the Alphaland flood?") == {"people", "drown"}
    assert asked.counted_terms("How many people reside in Alphaland?") == asked.stated_terms("population")


def test_the_nth_of_something_is_answered_only_by_a_sentence_saying_that_nth():
    question = "What did the second season of the Alphaland calendar bring?"
    assert "the second season" in asked.unmet(question, "The calendar has four seasons, each of three months.")
    assert asked.unmet(question, "The second season brings rain to Alphaland.") == []


def test_words_inside_a_hyphenated_name_are_not_said_alone():
    sentence = "The Beta-led alliance fought the Alphaland-e-Taliban front."
    assert asked.only_in_compounds(sentence, "Who leads the Taliban?") == {"beta", "lead", "alphaland", "e", "taliban"}
    assert "lead" not in asked.only_in_compounds(sentence, "Who is the Beta-led alliance?")
    assert asked.unmet("Who leads the Taliban?", sentence)  # "led" and "Taliban" only inside other names


def test_a_pair_of_names_joined_by_a_hyphen_still_says_each():
    assert asked.only_in_compounds("Alpha-Beta talks resumed.", "Did Alpha and Beta talk?") == set()


def test_names_offered_as_alternatives_are_met_by_either():
    question = "Does the profile list the Haqqani Network or its Pakistani allies as active there?"
    assert asked.alternatives(question, "Haqqani Network") == ["Pakistani"]
    assert asked.unmet(question, "Terrorist group(s): Haqqani Network; al-Qa'ida.", "Afghanistan") == []
    assert asked.unmet("Does the profile list the Haqqani Network and its Pakistani allies?",
                       "Terrorist group(s): Haqqani Network; al-Qa'ida.", "Afghanistan") == ["name Pakistani"]
    assert asked.alternatives("Was Iran attacked, or Turkey?", "Iran") == []  # not "A or B": each is asked


def test_who_holds_an_office_now_is_not_answered_by_its_first_or_former_holder():
    question = "Who is the prime minister of Freedonia?"
    assert asked.unmet(question, "Freedonia's first prime minister, Rufus FIREFLY, ruled until 1933.",
                       "Freedonia") == ["the present prime minister"]
    assert asked.unmet(question, "Executive branch, head of government: Prime Minister Ann TEASDALE (since 2021).",
                       "Freedonia") == []
    assert asked.unmet("Who was the first prime minister of Freedonia?",
                       "Freedonia's first prime minister, Rufus FIREFLY, ruled until 1933.", "Freedonia") == []


def test_a_sentence_about_the_rate_of_these_refers_back_and_its_antecedents_year_counts():
    later = "Yet the pace of these raids has since slowed, raising doubts."
    earlier = "In early 2019, the guard increased raids on smugglers."
    assert asked.BACK_REFERENCE.match(later) and asked.BACK_REFERENCE.match("The pace of these raids slowed.")
    assert not asked.BACK_REFERENCE.match("The majority of smugglers came by sea.")
    question = "How have the guard's raids changed since early 2019?"
    assert "year 2019" in asked.unmet(question, later, "A report")
    assert "year 2019" not in asked.unmet(question, later, f"A report\n{earlier}", earlier)


def test_a_follow_up_naming_nothing_of_its_own_is_about_a_name_of_the_earlier_question():
    fields = "Languages: Tajik (official) 84.4%, Uzbek 11.9%, other 3.7% (2010 est.)."
    assert asked.unmet("In how many languages? (al-Azaim produce)", fields, "The World Factbook: Tajikistan") == [
        "a name of the earlier question (al-Azaim)"]
    holiday = "National holiday: Republic Day, 1 April (1979)."
    assert asked.unmet("What national holiday marks that? (Islamic Republic Iran proclaimed)", holiday,
                       "The World Factbook: Iran") == []  # one word of the earlier name is enough
    assert asked.unmet("In how many languages?", fields, "The World Factbook: Tajikistan") == []  # no earlier turn


def test_a_name_that_only_places_the_asked_person_in_time_need_not_be_stated():
    question = "Who ran Freedonia before Firefly?"
    assert asked.anchors(question) == {"Firefly"}
    assert asked.unmet(question, "Freedonia's first president, Ambrose PINKNEY, led it until his death in 2019.") == []
    assert "a name" in asked.unmet(question, "Executive branch, chief of state: President Rufus FIREFLY.")
    assert asked.unmet(question, "Country name, former: West Freedonia.")  # no holder of a post
    assert asked.unmet(question, "Freedonia was first established as a republic by the Grand Duchy in 1924.")
    assert asked.anchors("Who is Freedonia's president?") == set()
    assert asked.anchors("How many plots were foiled before 2020?") == set()


@pytest.mark.parametrize("question, sentence, ordered", [
    ("Who ran Freedonia before Firefly?", "Its first president, Ambrose PINKNEY, served until 2019.", True),
    ("Who ran Freedonia before Firefly?", "His successor, Rufus FIREFLY, widened trade.", False),
    ("Who ran Freedonia before Firefly?", "Rufus FIREFLY won in the first round.", False),
    ("Who came after Pinkney in Freedonia?", "His successor, Rufus FIREFLY, widened trade.", True),
    ("Who came after Pinkney in Freedonia?", "Its first president, Ambrose PINKNEY, served until 2019.", False),
])
def test_a_sentence_about_an_earlier_or_later_holder_is_told_by_its_words(question, sentence, ordered):
    assert asked.anchor_order(question, sentence) is ordered


def test_who_leads_a_group_asks_for_a_person_not_any_two_names():
    question = "Who leads the Northern Front?"
    assert not asked.states_kind(Kind.NAME, "In 2020 the Alliance and the Northern Front signed a pact that led to "
                                            "a truce.", question)
    assert asked.states_kind(Kind.NAME, "Front leader Ambrose PINKNEY has led the Northern Front since 2019.",
                             question)


def test_a_question_asking_for_places_by_name_needs_an_answer_naming_one_it_does_not():
    provinces = "Which Afghan provinces along the northern border has ISKP moved into?"
    assert asked.asks_place(provinces) and asked.asks_place("What cities did it hit?")
    assert not asked.names_new_place(provinces, "ISKP has moved into northern provinces of Afghanistan [1].")
    assert asked.names_new_place(provinces, "Kunduz and Takhar [1].")
    assert not asked.names_new_place("Which Pakistani cities were hit?", "Cities hit by the TTP [1].")  # a group
    assert not asked.names_new_place(provinces, "Its new areas [1]. “Kunduz was hit.” [1]")  # a quote shown aside
    assert not asked.asks_place("Which country is larger, Iran or Qatar?")  # a choice among places named
    assert not asked.asks_place("Which of the two countries has more people?")
    assert not asked.asks_place("Which group has ISKP criticised?")


def test_a_field_s_everyday_words_say_what_it_counts_when_the_question_counts_them():
    question = "How many people serve in Freedonia's military these days?"
    line = "Military and security service personnel strengths: approximately 185,000 active-duty personnel (2025)."
    words = field_words.of(line, set(terms(question)))
    assert not [m for m in asked.unmet(question, line, "Freedonia", "", words) if m.startswith("what is counted")]
    assert [m for m in asked.unmet(question, line, "Freedonia", "", "") if m.startswith("what is counted")]


def test_i_m_is_no_name():
    assert asked.asked_names("If I'm planning a trip to Qatar, what currency will I've to carry?") == ["Qatar"]


def test_what_figure_asks_for_a_number():
    assert asked.answer_kind("Russian inflation in 2024: what figure does the Factbook give?") is Kind.COUNT


def test_a_known_place_word_opening_the_question_is_asked_about_like_its_other_names():
    question = "Russian inflation in 2024: what figure does the Factbook give?"
    maldives = "Inflation rate (consumer prices) 2024: 1.4% (2024 est.)."
    assert asked.unmet(question, maldives, "The World Factbook: Maldives\nEconomy") == []  # "Russian" opens it
    assert "name Russian" in asked.unmet(question, maldives, "The World Factbook: Maldives\nEconomy", known=["Russian"])
    military = "Military Expenditures 2024: 7% of GDP (2024 est.)."
    unmet = asked.unmet(question, military, "The World Factbook: Russia\nMilitary and Security", known=["Russian"])
    assert unmet and not [m for m in unmet if m.startswith("name")]  # Russia's, but not its inflation
    russia = "Inflation rate (consumer prices) 2024: 8.4% (2024 est.)."
    assert asked.unmet(question, russia, "The World Factbook: Russia\nEconomy", known=["Russian"]) == []


def test_a_later_sentence_s_first_word_is_no_name_when_the_sentence_goes_on_but_a_one_word_fragment_may_be():
    assert asked.asked_names("From what age can people vote in Qatar? Someone told me it changed.") == ["Qatar"]
    assert asked.asked_names("New on the desk here. When did ISKP first show up? Just the year.") == ["ISKP"]
    assert "Pylons" in asked.asked_names("They attack the grid. Pylons? What does the report say?")
