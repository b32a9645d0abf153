"""Which documents a question names, from titles and kinds: nothing in a one-document corpus."""
from assistant.corpus import DocMeta
from assistant.focus import DocumentNames


def metas(*items):
    return {doc_id: DocMeta(doc_id, title, kind=kind) for doc_id, title, kind in items}


CORPUS_ITEMS = [("report", "The Next Afghan Jihad? Taliban Efforts to Contain ISKP", "report"),
                ("fb-ti", "The World Factbook: Tajikistan", "factbook"),
                ("fb-af", "The World Factbook: Afghanistan", "factbook"),
                ("fb-uz", "The World Factbook: Uzbekistan", "factbook")]
CORPUS = metas(*CORPUS_ITEMS)


def test_a_single_document_has_no_names():
    names = DocumentNames(metas(("report", "The Next Afghan Jihad? Taliban Efforts to Contain ISKP", "report")))
    assert names.names == {"report": set()}
    assert names.named_in("Who wrote the report on ISKP?") == set()


def test_words_shared_by_many_titles_name_no_document():
    names = DocumentNames(CORPUS)
    assert names.names["fb-ti"] == {"tajikistan"}
    assert {"taliban", "iskp", "report"} <= names.names["report"]
    assert names.named_in("What does the World Factbook say?") == set()


def test_questions_name_documents_by_title_and_kind():
    names = DocumentNames(CORPUS)
    assert names.named_in("What is the capital of Tajikistan?") == {"fb-ti"}
    assert names.named_in("Who wrote the report?") == {"report"}
    assert names.named_in("How long is the border between Afghanistan and Uzbekistan?") == {"fb-af", "fb-uz"}
    asked = names.asked_names("Is Tajikistan's capital Dushanbe?")
    assert names.context_terms("fb-ti", asked) == {"tajikistan"}
    assert names.context_terms("fb-af", asked) == set()
    assert names.asked_names("Which report covers Tajikistan?") == {"report", "tajikistan"}


def test_a_document_named_outright_by_its_whole_name_kind_or_people():
    names = DocumentNames(metas(*CORPUS_ITEMS, ("fb-us", "The World Factbook: United States", "factbook")))
    assert names.named_outright("Why does the report warn Tajikistan?") == {"report", "fb-ti"}
    assert names.named_outright("What do Uzbeks think of the United States?") == {"fb-uz", "fb-us"}
    assert names.named_in("Which Central Asian states did ISKP strike?") == {"report", "fb-us"}
    assert names.named_outright("Which Central Asian states did ISKP strike?") == set()  # a word of a name, no kind


def test_a_document_named_by_its_kind_is_where_the_answer_is_read():
    names = DocumentNames(metas(*CORPUS_ITEMS))
    assert names.named_as_source("Is Russia mentioned in the report?") == {"report"}
    assert names.named_as_source("What is the capital of Tajikistan?") == set()


def test_a_place_s_profile_named_is_where_the_answer_is_read():
    names = DocumentNames(metas(*CORPUS_ITEMS))
    assert names.named_as_source("Is ISKP listed among terrorist groups in Tajikistan's Factbook profile?") == {"fb-ti"}
    assert names.named_as_source("What does the profile of Uzbekistan say about its borders?") == {"fb-uz"}
    assert names.named_as_source("Is the group the report blames listed in Afghanistan's profile?") == {"report",
                                                                                                          "fb-af"}
    assert names.named_as_source("What is Tajikistan's population?") == set()


def test_the_authors_are_those_of_the_documents_written_by_several():
    items = {doc_id: DocMeta(doc_id, title, kind=kind, authors=["A. Writer", "B. Writer"] if kind == "report"
                             else ["Central Intelligence Agency"]) for doc_id, title, kind in CORPUS_ITEMS}
    names = DocumentNames(items)
    assert names.named_as_source("Why do the authors think Tajikistan should be worried?") == {"report"}
    assert names.named_outright("Why do the authors think Tajikistan should be worried?") == {"report", "fb-ti"}
    assert names.named_as_source("Why should Tajikistan be worried?") == set()
    # Every document written by several: the words set none apart.
    assert DocumentNames({d: DocMeta(d, m.title, kind=m.kind, authors=["X", "Y"]) for d, m in items.items()}
                         ).named_as_source("What do the authors fear?") == set()


def test_a_question_naming_every_document_focuses_on_none():
    names = DocumentNames(metas(("a", "Tajikistan", ""), ("b", "Uzbekistan", "")))
    assert names.named_in("What is the capital of Uzbekistan?") == {"b"}
    assert names.named_in("Compare Tajikistan and Uzbekistan") == set()


def test_a_document_is_about_a_name_only_when_the_name_is_its_whole_title():
    names = DocumentNames(CORPUS)
    assert names.subjects("Tajikistan") == {"fb-ti"}
    assert names.named_in("Taliban") == {"report"}  # a word of the report's title
    assert names.subjects("Taliban") == set()  # but the report is not about a place called "Taliban"
    assert names.subjects("the Tajikistan and Uzbekistan border") == {"fb-ti", "fb-uz"}


def test_a_people_named_in_the_plural_is_the_place_whose_name_it_begins():
    names = DocumentNames(metas(*CORPUS_ITEMS, ("fb-tu", "The World Factbook: Turkey", "factbook"),
                                ("fb-tx", "The World Factbook: Turkmenistan", "factbook"),
                                ("fb-ir", "The World Factbook: Iran", "factbook")))
    assert names.place_of_people("Tajiks") == "Tajikistan" and names.place_of_people("Iranians") == "Iran"
    assert names.place_of_people("Turks") == "Turkey"  # the shortest name it begins, not Turkmenistan
    assert names.place_of_people("Turkmens") == "Turkmenistan"
    assert names.peoples_places("What religion do most Turks follow?") == {"fb-tu"}
    assert "turkey" in names.asked_names("What religion do most Turks follow?")  # its name words, for scoring
    assert names.peoples_places("What do Uzbeks and Tajiks export?") == {"fb-uz", "fb-ti"}
    assert names.peoples_places("What does the report say about Tajikistan?") == set()  # named, not a people
