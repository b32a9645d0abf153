"""A model's answer in the user's language is grounded by its key facts: an English sentence shares no words with it,
but states its numbers and names; the words the user's own question uses ("Küste") are no claim, a name it adds
("Berlin") is."""
from assistant.corpus import DocMeta
from assistant.eval.metrics import claim_checks
from assistant.grounding import ground
from assistant.keyfacts import unsupported
from assistant.retrieval import Passage

GEOGRAPHY = ("Coastline: 644 km. Area, total: 298 sq km. Elevation, highest point: unnamed location on Viligili "
             "in the Addu Atoll 5 m.")
CAPITAL = "Capital, name: Ankara. Capital, time difference: UTC+3."
DOCS = {"mv": GEOGRAPHY, "tu": CAPITAL}
METAS = {"mv": DocMeta("mv", "The World Factbook: Maldives", kind="factbook"),
         "tu": DocMeta("tu", "The World Factbook: Turkey", kind="factbook")}
GERMAN = "Wie lang ist die Küste der Malediven?"


def passages() -> list[Passage]:
    return [Passage("mv", "The World Factbook: Maldives", "Geography", None, 0, len(GEOGRAPHY), GEOGRAPHY, ["mv"],
                    1.0, 0.5, n=1),
            Passage("tu", "The World Factbook: Turkey", "Government", None, 0, len(CAPITAL), CAPITAL, ["tu"],
                    0.9, 0.4, n=2)]


def test_the_users_own_words_are_no_claim_in_another_language_only():
    where = ("The World Factbook: Maldives", "Geography")
    assert unsupported("Die Küste des Maldives ist 644 km lang.", ["Coastline: 644 km."], where, GERMAN) == []
    assert unsupported("Die Küste des Maldives ist 644 km lang.", ["Coastline: 644 km."], where) == ["name Küste"]
    assert unsupported("Die Hauptstadt ist Berlin.", ["Capital, name: Ankara."],
                       ("The World Factbook: Turkey", "Government"), "Was ist die Hauptstadt der Türkei?") == [
        "name Berlin"]
    # in English the question's names are claims like any other: "Bhutan" of a Maldives line is unsupported
    assert unsupported("The coastline of Bhutan is 644 km.", ["Coastline: 644 km."], where,
                       "How long is Bhutan's coastline?") == ["name Bhutan"]


def test_a_claim_in_another_language_is_cited_to_the_sentence_stating_its_facts():
    text, citations = ground("Die Küste des Maldives ist 644 km lang [2].", passages(), DOCS, METAS,
                             asked_in=GERMAN)
    assert text == "Die Küste des Maldives ist 644 km lang [1]."
    assert [c.quote for c in citations] == ["Coastline: 644 km."]
    text, citations = ground("La capital de Turquía es Ankara [2].", passages(), DOCS, METAS,
                             asked_in="¿Cuál es la capital de Turquía?")
    assert [c.quote for c in citations] == ["Capital, name: Ankara."]


def test_a_claim_in_another_language_whose_facts_no_sentence_states_is_dropped():
    assert ground("Die Küste der Malediven ist 999 km lang [1].", passages(), DOCS, METAS, asked_in=GERMAN) == ("", [])
    assert ground("Die Hauptstadt ist Berlin [2].", passages(), DOCS, METAS,
                  asked_in="Was ist die Hauptstadt der Türkei?") == ("", [])
    # a claim stating no fact of its own cannot be matched by its words, and is not shown uncited either: "Quatre"
    # is a number only in French
    assert ground("Die Küste ist lang [1].", passages(), DOCS, METAS, asked_in=GERMAN) == ("", [])
    assert ground("Quatre complots en Iran [2].", passages(), DOCS, METAS,
                  asked_in="Combien de complots en Iran ?") == ("", [])


def test_the_harness_checks_claims_against_the_question_as_asked():
    citations = [{"n": 1, "valid": True, "quote": "Coastline: 644 km.", "title": "The World Factbook: Maldives",
                  "section": "Geography"}]
    answer = "Die Küste des Maldives ist 644 km lang [1]."
    assert claim_checks(answer, citations, "How long is the coast of the Maldives?", GERMAN)[0]["missing"] == []
    assert claim_checks(answer, citations, "How long is the coast of the Maldives?")[0]["missing"] == ["name Küste"]
