"""A cited claim is supported by more than the names it shares with its sentence."""
from assistant.corpus import DocMeta
from assistant.grounding import ground, shares_more_than_names
from assistant.retrieval import Passage

REPORT = ("ISKP follows a long list of jihadist groups that have been involved in terrorist activities, including "
          "Algeria’s Armed Islamic Group, al-Qaeda, AQAP, al-Shabab, and the Islamic State. ISKP’s independent media "
          "architecture, al-Azaim Media Foundation, publishes in many languages.")
META = DocMeta("report", "The Next Afghan Jihad?", authors=["A. Jadoon"], kind="report")


def grounded(draft: str) -> tuple[str, list[str]]:
    passage = Passage("report", META.title, "", None, 0, len(REPORT), REPORT, ["report"], 1.0, 0.5, n=1)
    text, citations = ground(draft, [passage], {"report": REPORT}, {"report": META})
    return text, [c.quote for c in citations]


def test_a_claim_sharing_only_names_with_its_sentence_is_not_shown():
    text, quotes = grounded("ISKP relies on the central Islamic State's outlets for its propaganda [1].")
    assert (text, quotes) == ("", [])
    text, quotes = grounded("ISKP runs its own independent media architecture, al-Azaim [1].")
    assert text.endswith("[1].") and quotes and "independent media architecture" in quotes[0]


def test_names_alone_and_numbers_are_judged_as_before():
    line = "Executive branch, chief of state: President Serdar BERDIMUHAMEDOV (since 19 March 2022)."
    assert shares_more_than_names("Serdar BERDIMUHAMEDOV.", line)  # only names: the names decide
    assert shares_more_than_names("Sixty World Heritage Sites.", "World Heritage Sites: 60 (41 cultural).")
    assert shares_more_than_names("Dushanbe is the capital city of Tajikistan.", "Capital, name: Dushanbe.")
    assert not shares_more_than_names("Tashkent hosts Kyrgyzstan's parliament.", "Capital, name: Tashkent.")
