"""Each item of a series an answer states must be stated by a quote it cites: one quote about aid does not carry
three recommendations."""
import pytest

from assistant.corpus import DocMeta
from assistant.eval.metrics import claim_checks
from assistant.grounding import ground
from assistant.keyfacts import series_items, unstated_items
from assistant.retrieval import Passage

ADVICE = ("Countering the group will require bolstering partners and coordinating on a regional level. "
          "Authorities should also expose the gap between the group's rhetoric and actions, while simultaneously "
          "exploiting its leadership turnover through strategic communications. "
          "Lastly, humanitarian assistance must be handled very carefully, not as a lever to compel operations.")
DOCS = {"report": ADVICE}
METAS = {"report": DocMeta("report", "A report", kind="report")}


def passages() -> list[Passage]:
    return [Passage("report", "A report", "", None, 0, len(ADVICE), ADVICE, ["report"], 1.0, 0.5, n=1)]


def grounded(draft: str) -> tuple[str, list[str]]:
    text, citations = ground(draft, passages(), DOCS, METAS)
    return text, [c.quote.split()[0] for c in citations]


def test_the_items_after_the_first_of_a_series_are_read_out():
    assert series_items("It recommends exposing the gap, exploiting the turnover, and handling aid carefully.") == [
        "exploiting the turnover", "handling aid carefully"]
    assert series_items("Its neighbours are China, Iran, Pakistan and Tajikistan [1].") == [
        "Iran", "Pakistan", "Tajikistan"]


def test_a_sentence_without_a_series_has_no_items():
    assert series_items("Yes, the group and ISKP could end up cooperating.") == []
    assert series_items("In 2023, it targeted leaders, raising doubts.") == []  # no "and"/"or" joins the last part
    assert series_items("The border is 2,670 km long, and it is porous.") == []  # two parts, not a series


def test_an_item_its_quotes_do_not_state_is_unstated():
    quote = "Lastly, humanitarian assistance must be handled very carefully."
    claim = "It recommends exposing the gap, exploiting the leadership turnover, and handling humanitarian aid carefully."
    assert unstated_items(claim, [quote]) == ["exploiting the leadership turnover"]
    assert unstated_items(claim, [quote, ADVICE]) == []


def test_a_series_cited_to_one_items_quote_is_recited_to_the_quotes_of_the_others():
    text, cited = grounded("The report recommends exposing the gap between the group's rhetoric and actions, "
                           "exploiting its leadership turnover, and handling humanitarian assistance very carefully "
                           "[1].")
    assert cited == ["Authorities", "Lastly,"] and text.endswith("carefully [1][2]."), text


@pytest.mark.parametrize("draft", [
    "The report recommends exposing the gap between the group's rhetoric and actions, arming local militias, and "
    "handling humanitarian assistance very carefully [1].",  # the claim as a whole clears no quote
    "Authorities should expose the gap between the group's rhetoric and actions, exploit its leadership turnover, "
    "and arm local militias [1].",  # its quote states the first two items only
])
def test_a_series_item_no_passage_states_is_not_shown(draft):
    assert grounded(draft) == ("", [])


def test_a_quoted_item_counts_as_stated():
    draft = ("The report advises bolstering partners, “exploiting its leadership turnover through strategic "
             "communications”, and handling humanitarian assistance very carefully [1].")
    text, cited = grounded(draft)
    assert text and "Lastly," in cited, text


def test_a_claim_in_another_language_is_left_to_the_other_checks():
    draft = "Le rapport recommande de dénoncer l'écart, d'exploiter le renouvellement, et d'aider avec prudence [1]."
    text, _ = grounded(draft)
    assert text.startswith("Le rapport recommande")


def test_the_harness_counts_an_unstated_item_as_unsupported():
    citations = [{"n": 1, "valid": True, "quote": "Lastly, humanitarian assistance must be handled very carefully.",
                  "title": "A report", "section": ""}]
    checks = claim_checks("It recommends exposing the gap, exploiting the leadership turnover, and handling "
                          "humanitarian aid carefully [1].", citations)
    assert checks[0]["missing"] == ["item exploiting the leadership turnover"]  # aid handled carefully: stated
