"""Backends are one Protocol; what each can do (stream chat text, draft from passages, prepare a prefix) is a
capability Protocol checked with isinstance."""
from dataclasses import replace

import pytest

from assistant import asked
from assistant.backends import Backend, DraftsFromPassages, ExtractiveBackend, PreparesPrefix, StreamsChat
from assistant.backends.extractive import _asked_field, _names_holder, _restates_title
from assistant.backends.local import LocalLlama
from assistant.backends.openai import OpenAICompatible
from assistant.corpus import DocMeta
from assistant.pipeline import retrieve
from assistant.textutil import terms

PLOTS_Q = "How many ISKP plots has foreign law enforcement interdicted since 2015?"


class Scripted:
    name, model = "scripted", "scripted-1"

    def stream(self, messages, max_tokens):
        yield "text"


def _bare(cls, **attrs):
    obj = cls.__new__(cls)  # no model loaded, no server contacted
    obj.__dict__.update(attrs)
    return obj


def test_any_object_with_name_model_and_stream_is_a_chat_backend():
    assert isinstance(Scripted(), Backend) and isinstance(Scripted(), StreamsChat)
    assert not isinstance(Scripted(), PreparesPrefix) and not isinstance(Scripted(), DraftsFromPassages)
    assert not isinstance(object(), Backend)


def test_local_model_prepares_its_prefix_and_openai_does_not():
    local = _bare(LocalLlama, model="m")
    remote = _bare(OpenAICompatible, model="m", base_url="http://x")
    assert isinstance(local, StreamsChat) and isinstance(local, PreparesPrefix)
    assert isinstance(remote, StreamsChat) and not isinstance(remote, PreparesPrefix)
    assert (local.name, remote.name) == ("local", "openai")


def test_extractive_is_a_backend_that_drafts_from_passages_not_from_chat():
    extractive = ExtractiveBackend()
    assert isinstance(extractive, Backend) and isinstance(extractive, DraftsFromPassages)
    assert not isinstance(extractive, StreamsChat) and not isinstance(extractive, PreparesPrefix)
    assert (extractive.name, extractive.model) == ("extractive", "none (extractive)")


@pytest.fixture(scope="module")
def opened(extractive_engine):
    return extractive_engine._indexes.current()


def test_the_extractive_backend_drafts_a_cited_quote_with_the_index_scorer(opened):
    passages = retrieve.run(opened.retriever, PLOTS_Q, 5, None).passages
    doc_texts = {p.doc_id: opened.index.doc_text(p.doc_id) for p in passages}
    metas = {p.doc_id: opened.index.doc_meta(p.doc_id) for p in passages}
    draft = ExtractiveBackend().draft(PLOTS_Q, passages, doc_texts, metas, opened.extractive)
    n = next(p.n for p in passages if "at least sixteen ISKP plots" in p.text)
    assert draft is not None and "at least sixteen ISKP plots" in draft and f"[{n}]" in draft
    assert ExtractiveBackend().draft("What is the recipe for a baguette?", passages, doc_texts, metas,
                                     opened.extractive) is None


@pytest.mark.parametrize("question, line, asked", [
    ("How long is the coastline?", "Coastline: 2,440 km.", True),
    ("What is the median age?", "Median age, total: 30.4 years.", True),  # a breakdown's total
    ("What is the median age?", "Median age, male: 29.9 years.", False),  # a part nobody asked for
    ("What is the capital city?", "Capital, name: Doha.", True),  # the field's main entry
    ("What is the capital city?", "Capital, etymology: the name means the big tree.", False),
    ("Who is the chief of state?", "Executive branch, chief of state: Amir TAMIM bin Hamad Al Thani.", True),
    ("Who is the chief of state?", "Diplomatic representation in the US, chief of mission: Ambassador X.", False),
    ("Who is the chief of state?", "The chief of state was named in 2013.", False),  # no field label
])
def test_a_field_line_is_asked_when_its_label_or_last_qualifier_is_the_question_s(question, line, asked):
    assert _asked_field(line, set(terms(question))) is asked


@pytest.mark.parametrize("question, dated", [
    ("When was the report published?", True),
    ("On what date was the report released?", True),
    ("What is the publication date of this report?", True),
    ("On what date did the report say ISKP's attacks in Kabul began?", False),  # the report's own date is not that
])
def test_a_document_s_dateline_answers_only_when_it_was_published(opened, question, dated):
    passages = retrieve.run(opened.retriever, question, 5, None).passages
    doc_texts = {p.doc_id: opened.index.doc_text(p.doc_id) for p in passages}
    metas = {p.doc_id: opened.index.doc_meta(p.doc_id) for p in passages}
    draft = ExtractiveBackend().draft(question, passages, doc_texts, metas, opened.extractive) or ""
    assert ("2 April 2024" in draft) is dated, draft


def test_a_field_whose_qualifier_abbreviates_the_question_s_words_is_asked():
    question = "How many internally displaced people were there?"
    line = "Refugees and internally displaced persons, IDPs: 5,457,183 (2024 est.)."
    assert _asked_field(line, set(terms(question)) | asked.initialisms(question))
    assert not _asked_field(line, set(terms(question)))


@pytest.mark.parametrize("sentence, holds", [
    ("Executive branch, head of government: President Masoud PEZESHKIAN (since 30 July 2024).", True),
    ("President Recep Tayyip ERDOGAN took office in 2014.", True),
    ("... culminating in the 2005 inauguration of hardliner Mahmud AHMADI-NEJAD as president.", False),
    ("Executive branch, note: an election held early due to the death of President Ebrahim RAISI.", False),
])
def test_a_who_is_question_prefers_the_name_under_the_asked_title(sentence, holds):
    assert _names_holder(sentence, set(terms("Who is Iran's president?"))) is holds


def test_a_field_is_read_with_its_note_which_says_what_its_values_are():
    from assistant.backends.extractive import _field_note
    text = ("Exports - commodities: natural gas, refined petroleum (2023).\nExports - commodities, note: top five "
            "export commodities based on value in dollars.\nExports - partners: China 63% (2023).")
    assert _field_note(text, "Exports - commodities: natural gas, refined petroleum (2023).") == \
        "Exports - commodities, note: top five export commodities based on value in dollars"
    assert _field_note(text, "Exports - partners: China 63% (2023).") == ""
    assert _field_note(text, "Exports - commodities, note: top five export commodities based on value.") == ""


def test_a_note_scores_below_its_field_when_the_field_covers_what_it_covers():
    from assistant.backends.extractive import _notes_after_their_fields
    from assistant.retrieval import Passage
    passage = Passage(doc_id="fb", title="Alphaland", section="", page=None, start=0, end=10, text="", chunk_ids=[],
                      score=1.0, similarity=1.0, n=1)
    note = (0.60, passage, 0, 5, "Terrorist group(s), note 1: these groups are active where borders meet.",
            {"terrorist", "group"})
    field = (0.57, passage, 6, 10, "Terrorist group(s): Islamic Jihad Union; Islamic Movement.", {"terrorist", "group"})
    other = (0.58, passage, 11, 12, "Military - note: the army guards the borders.", {"terrorist"})
    ranked = sorted(_notes_after_their_fields([note, field, other], set()), key=lambda item: -item[0])
    assert [item[4] for item in ranked] == [other[4], field[4], note[4]]
    wider = (0.60, passage, 0, 5, note[4], {"terrorist", "group", "border"})  # the note says more of what is asked
    assert _notes_after_their_fields([wider, field], set())[0][0] == 0.60
    service = (0.57, passage, 6, 10, "Military service age and obligation: 18-35 for men; 4-12 months.", {"conscript"})
    counting = (0.60, passage, 0, 5, "Military service age and obligation, note: about 2,000 conscripts annually.",
                {"conscript"})
    assert _notes_after_their_fields([counting, service], {"conscript"})[0][0] == 0.60  # only it counts them
    assert _notes_after_their_fields([counting, service], set())[0][0] < 0.57


def test_a_field_given_year_by_year_answers_with_its_latest_year_and_its_note_after_it():
    from assistant.backends.extractive import _latest_of_each_series, _noted_field, _notes_after_their_fields
    from assistant.retrieval import Passage
    passage = Passage(doc_id="fb", title="Alphaland", section="", page=None, start=0, end=10, text="", chunk_ids=[],
                      score=1.0, similarity=1.0, n=1)
    covered = {"unemployment", "rate"}
    older = (0.85, passage, 0, 1, "Unemployment rate 2022: 9.1% (2022 est.).", covered)
    latest = (0.84, passage, 2, 3, "Unemployment rate 2024: 9.2% (2024 est.).", covered)
    note = (0.86, passage, 4, 5, "Unemployment rate, note: % of labor force seeking employment.", covered)
    ranked = sorted(_notes_after_their_fields(_latest_of_each_series([older, latest, note]), set()), key=lambda i: -i[0])
    assert ranked[0][4] == latest[4] and ranked[0][0] == 0.85  # the series' best score
    assert all(item[0] < ranked[0][0] for item in ranked[1:])
    assert [item[4] for item in _noted_field(note, ranked)] == [latest[4]]  # a note shown brings its field


def test_a_follow_up_sentence_stating_none_of_its_own_words_ranks_after_one_stating_some():
    from assistant.backends.extractive import OWN_WORDS_PENALTY, _own_words_first
    from assistant.retrieval import Passage
    passage = Passage(doc_id="r", title="Report", section="", page=None, start=0, end=10, text="", chunk_ids=[],
                      score=1.0, similarity=1.0, n=1)
    before = (0.64, passage, 0, 1, "The coalition whittled down its capabilities.", {"coalition", "whittle"})
    new = (0.52, passage, 2, 3, "Since the withdrawal it has reemerged.", {"withdrawal"})
    question = "Where has it resurfaced since the withdrawal? (coalition whittle)"
    own = {"resurface", "withdrawal"}
    assert _own_words_first([before, new], question, own, set())[0][0] == before[0] - OWN_WORDS_PENALTY
    assert _own_words_first([before, new], "Where has it resurfaced since the withdrawal?", own, set()) == \
        [before, new]  # no context carried: nothing to weigh
    assert _own_words_first([before], question, own, set()) == [before]  # no sentence states its words


def test_a_question_asking_for_the_phases_leads_with_the_sentence_announcing_them(extractive_engine):
    answer = extractive_engine.ask("Walk me through the phases of ISKP's media operations.")
    first, *rest = [c.quote for c in answer.citations]
    assert "three stages" in first and any("(2020-21)" in quote for quote in rest), answer.text


def test_a_field_of_a_named_group_is_about_what_the_group_s_name_field_names():
    from assistant.backends.extractive import _group_name
    text = "Capital, name: Tehran. Capital, time difference: UTC+3.5 (8.5 hours ahead of Washington, DC)."
    assert _group_name(text, "Capital, time difference: UTC+3.5 (8.5 hours ahead).") == "Capital, name: Tehran"
    assert _group_name(text, "Capital, name: Tehran.") == ""
    assert _group_name(text, "ISKP has pursued a two-pronged approach: propaganda and plots.") == ""


def _one_passage(text: str):
    from assistant.retrieval import Passage
    return [Passage(doc_id="r", title="Report", section="", page=None, start=0, end=len(text), text=text,
                    chunk_ids=[], score=1.0, similarity=1.0, n=1)], {"r": text}


def _best_sentence(engine, question: str, text: str) -> str:
    """The sentence of text the extractive scorer ranks first for the question, the text one passage."""
    passages, texts = _one_passage(text)
    return engine._indexes.current().extractive.score_sentences(question, passages, texts, typed=False)[0][4]


def _drafted(engine, question: str, text: str) -> str | None:
    """The extractive backend's answer from text, one passage."""
    return engine._indexes.current().extractive.draft(question, *_one_passage(text))


def test_a_follow_up_s_own_words_weigh_more_than_the_earlier_turns_context(extractive_engine):
    text = ("The coalition whittled down the group's capabilities and constrained its growth. "
            "Since the withdrawal, the group has resurfaced in new areas along the northern borders.")
    question = "Where has it resurfaced since the withdrawal? (coalition whittle capabilities)"
    best = _best_sentence(extractive_engine, question, text)
    assert best.startswith("Since the withdrawal"), best


def test_a_sentence_drawing_an_inference_answers_what_is_concluded_from_the_figures(extractive_engine):
    text = ("Nine of the raids took place in the north: four in 2019 and five in 2020. "
            "These figures indicate that the militia's raids now stop at the river.")
    best = _best_sentence(extractive_engine, "What do the analysts conclude from the raids in the north?", text)
    assert best.startswith("These figures indicate"), best


def test_a_question_asking_for_the_scenarios_gets_the_one_that_is_also_possible(extractive_engine):
    text = ("If the militia signs a truce with the capital, some of its fighters may defect to the rebels. "
            "There is also real potential for joint raids by the militia and the rebels when convenient.")
    draft = _drafted(extractive_engine, "What scenarios do the analysts see for the militia and the rebels?", text)
    assert draft and "defect" in draft and "joint raids" in draft, draft


def test_a_question_asking_for_a_contrast_gets_the_sentence_that_turns_it(extractive_engine):
    text = ("While the peacekeepers stayed, the militia lost most of its bases in the valley. "
            "Since their departure, however, the militia has returned to the valley and to the hills beyond it.")
    draft = _drafted(extractive_engine,
                     "Contrast the militia's fortunes while the peacekeepers stayed with what came later.", text)
    assert draft and "lost most of its bases" in draft and "has returned" in draft, draft


def test_a_question_asking_how_one_thing_differs_gets_the_sentence_that_turns_it(extractive_engine):
    text = ("The militia joins a long line of armed movements that held valleys, including the Red Band and the "
            "Hill Guard. Yet unlike movements that relied on secure bases, the militia has lost ground at home while "
            "growing abroad.")
    for question in ("How is the militia's path different from the Red Band's?",
                     "What sets the militia apart from the Hill Guard?"):
        draft = _drafted(extractive_engine, question, text)
        assert draft and "long line" in draft and "lost ground at home" in draft, (question, draft)


def test_a_question_asking_what_could_happen_gets_each_possibility_stated(extractive_engine):
    text = ("If the militia signs a truce, some of its fighters may join the rival front. "
            "There is also real potential for the two to work together on single raids when it suits them. "
            "The rival front was founded in the hills.")
    draft = _drafted(extractive_engine, "Could the militia and the rival front end up working together?", text)
    assert draft and "may join" in draft and "work together on single raids" in draft, draft
    assert "founded in the hills" not in draft, draft
    plain = _drafted(extractive_engine, "Which fighters join the rival front if the militia signs a truce?", text)
    assert plain and "may join" in plain and "There is also" not in plain, plain  # not asked what could be


def test_a_question_asking_what_kind_of_actor_gets_the_sentence_saying_what_it_acts_as(extractive_engine):
    text = ("Unlike movements that relied on secure bases in the valley, the militia has grown weaker at home. "
            "The militia acts as an insurgency and has widened its raids since the truce.")
    best = _best_sentence(extractive_engine, "What kind of fighting force does the militia behave like in the valley?",
                          text)
    assert best.startswith("The militia acts as an insurgency"), best


def test_a_question_asking_for_the_steps_gets_the_enumeration_that_goes_on(extractive_engine):
    answer = extractive_engine.ask("What steps do the authors recommend to counter ISKP?")
    quotes = [c.quote for c in answer.citations]
    assert any(q.startswith("Authorities should also") for q in quotes) and any(q.startswith("Lastly") for q in
                                                                                 quotes), answer.text


def test_the_clause_naming_what_is_asked_reads_as_its_own_sentence():
    from assistant.backends.extractive import _focus_clause

    plots = ("Since 2015, foreign law enforcement has interdicted at least sixteen ISKP plots: three in India, four in "
             "Iran, three in Germany, one in the Maldives, one in Pakistan, one in Qatar, and three in Turkey.")
    assert _focus_clause("How many ISKP plots were disrupted in Turkey?", plots) == "three in Turkey"
    assert _focus_clause("How many ISKP plots were disrupted in Iran?", plots) == "four in Iran"
    assert _focus_clause("How many ISKP plots were disrupted in Nepal?", plots) is None


def test_the_lead_clause_is_an_item_about_the_name_asked_not_a_compound_or_possessive_of_it():
    from assistant.backends.extractive import _focus_clause
    plots = ("Since 2015, foreign law enforcement has interdicted at least sixteen ISKP plots: three in India, four in "
             "Iran, three in Germany, one in the Maldives.")
    assert _focus_clause("How many plots were foiled in Iran?", plots) == "four in Iran"
    divisions = ("Administrative divisions: 4 provinces, 2 Pakistan-administered areas*, and 1 capital territory**; "
                 "Azad Kashmir*, Balochistan, Sindh.")
    assert _focus_clause("What are Pakistan's provinces?", divisions) is None
    troops = "Military personnel: approximately 1.5 million active Indian Armed Forces, 1.25 million in the Army, 2025."
    assert _focus_clause("How many troops does India field?", troops) is not None  # a demonym is the place


def test_a_place_s_neighbours_are_its_border_countries():
    assert {"border", "country"} <= set(terms("List Iran's neighbours."))
    assert {"border", "country"} <= set(terms("What are the neighbouring countries of Qatar?"))


def test_a_title_block_line_that_only_restates_the_title_answers_nothing_but_a_byline_does():
    profile = DocMeta("fb-ti", "The World Factbook: Tajikistan", authors=["Central Intelligence Agency"])
    assert _restates_title("Country profile: Tajikistan.", profile)
    assert _restates_title("# The World Factbook: Tajikistan", profile)
    assert not _restates_title("Source: The World Factbook 2025, Central Intelligence Agency.", profile)
    assert not _restates_title("Capital, name: Dushanbe.", profile)
    assert not _restates_title("Tajikistan became independent from the Soviet Union in 1991.", profile)


def test_a_question_asking_for_the_ways_gets_the_list_a_sentence_announces_next(extractive_engine):
    text = ("The militia has widened its raids since the truce ended. These include:\n"
            "  • Burning grain stores that feed the garrison towns\n"
            "  • Ambushing convoys on the river road\n"
            "The garrison has not answered in kind.")
    draft = _drafted(extractive_engine, "Walk me through the ways the militia has widened its raids.", text)
    assert draft and "grain stores" in draft and "convoys" in draft, draft


def test_a_question_tracing_a_change_gets_the_paragraph_that_tells_it_on(extractive_engine):
    text = ("At first the council tolerated the militia after taking the capital in 2019. "
            "In 2021 it raided the militia's camps in the hills. "
            "Since then the raids have tapered off.\n\n"
            "The militia's radio station broadcasts in three languages.")
    draft = _drafted(extractive_engine, "How has the council's stance on the militia evolved since 2019?", text)
    assert draft and "raided" in draft and "tapered off" in draft and "radio" not in draft, draft


def test_a_list_s_items_further_on_that_score_near_the_best_and_say_more_are_shown_too():
    from assistant.backends.extractive import _items_further_on
    from assistant.retrieval import Passage
    from assistant.textutil import terms
    passage = Passage(doc_id="r", title="Report", section="", page=None, start=0, end=900, text="", chunk_ids=[],
                      score=1.0, similarity=1.0, n=1)
    best = (0.50, passage, 0, 40, "ISKP acts as an insurgency. These include:", {"iskp"})
    shown = [(0.50, passage, 41, 80, "• Waging economic warfare", set())]
    rural = (0.49, passage, 300, 360, "• Participating in rural guerrilla warfare", {"iskp", "rural"})
    urban = (0.46, passage, 400, 460, "• Stepping up urban warfare in Kabul and other cities", {"iskp", "city"})
    again = (0.45, passage, 500, 560, "• Increasing rural attacks", {"rural"})  # nothing the others do not say
    far = (0.30, passage, 600, 660, "• Recruiting in cities", {"city", "recruit"})  # scores too low
    assert _items_further_on([best, rural, urban, again, far], shown, {"iskp"}) == [rural, urban]
    assert "rural" in terms("What does it do in the countryside?")


def test_who_held_a_post_before_someone_gets_the_earlier_holder_not_the_one_named(extractive_engine):
    text = ("Executive branch, chief of state: President Rufus FIREFLY (since 3 May 2019). "
            "Freedonia's first president, Ambrose PINKNEY, governed the country until his death in 2019. "
            "His successor, Rufus FIREFLY, has widened trade with the neighbouring states.")
    passages, texts = _one_passage(text)
    passages = [replace(p, title="Country profile: Freedonia") for p in passages]
    extractive = extractive_engine._indexes.current().extractive
    draft = extractive.draft("Who ran Freedonia before Firefly?", passages, texts)
    assert draft and "PINKNEY" in draft and "chief of state" not in draft, draft
    later = extractive.draft("Who succeeded Pinkney as president of Freedonia?", passages, texts)
    assert later and "FIREFLY" in later.split("”")[0], later
