"""The engine end to end with the real embedder and real Chroma, extractive backend."""
import json
import subprocess
import sys

import pytest

from assistant.citations import verify
from assistant.engine import QuestionError

PLOTS_Q = "How many ISKP plots has foreign law enforcement interdicted since 2015?"


def assert_verified(engine, answer):
    for citation in answer.citations:
        _, text = engine.document(citation.doc_id)
        assert verify(citation, text), citation
        assert citation.quote in text


def test_plots_answer_cites_verbatim_quote(extractive_engine, report_text):
    answer = extractive_engine.ask(PLOTS_Q)
    assert not answer.abstained
    assert "sixteen" in answer.text.lower()
    assert answer.citations and "[1]" in answer.text
    assert any("at least sixteen ISKP plots" in c.quote for c in answer.citations)
    for c in answer.citations:
        assert report_text[c.start:c.end] == c.quote
        assert c.doc_id == "next-afghan-jihad" and c.title.startswith("The Next Afghan Jihad")
    assert_verified(extractive_engine, answer)


def test_out_of_scope_question_abstains_without_citations(extractive_engine):
    answer = extractive_engine.ask("What is the recipe for a baguette?")
    assert answer.abstained
    assert answer.citations == []
    assert "do not cover" in answer.text


def test_follow_up_is_condensed_with_history(extractive_engine):
    session = extractive_engine.session()
    first = session.ask("How many ISKP plots were foiled in India?")
    assert "three" in first.text.lower()
    second = session.ask("And in Iran?")
    assert "Iran" in second.standalone_question and "plots" in second.standalone_question
    assert second.text.lower().startswith("four in iran")
    assert_verified(extractive_engine, second)


def test_sessions_do_not_share_history(extractive_engine):
    a, b = extractive_engine.session(), extractive_engine.session()
    a.ask("How many ISKP plots were foiled in India?")
    b.ask("How many ISKP plots were foiled in Turkey?")
    assert "Iran" in a.ask("And in Iran?").standalone_question
    assert "Germany" in b.ask("What about Germany?").standalone_question
    assert len(a.history) == 2 and len(b.history) == 2


def test_streaming_ends_with_final_answer(extractive_engine):
    events = list(extractive_engine.session().ask_stream(PLOTS_Q))
    assert [e.kind for e in events][-1] == "final"
    assert any(e.kind == "token" for e in events)
    assert events[-1].answer.citations


def test_document_filter_restricts_retrieval(extractive_engine):
    answer = extractive_engine.ask(PLOTS_Q, doc_ids=["next-afghan-jihad"])
    assert {p.doc_id for p in answer.passages} == {"next-afghan-jihad"}
    with pytest.raises(QuestionError, match="Unknown document id: 'no-such-doc'"):  # named, not ignored
        extractive_engine.ask(PLOTS_Q, doc_ids=["no-such-doc"])


def test_top_k_limits_context(extractive_engine):
    answer = extractive_engine.ask(PLOTS_Q, top_k=2)
    assert 1 <= sum(len(p.chunk_ids) for p in answer.passages) <= 2


def test_retrieval_context_is_not_duplicated(extractive_engine):
    answer = extractive_engine.ask("What did the Taliban do about ISKP in early 2023?")
    spans = [(p.doc_id, p.start, p.end) for p in answer.passages]
    for i, (d1, s1, e1) in enumerate(spans):
        for d2, s2, e2 in spans[i + 1:]:
            assert d1 != d2 or e1 <= s2 or e2 <= s1, "overlapping passages"


@pytest.mark.parametrize("bad", ["", "   \n\t ", "?!...", "x" * 100_000])
def test_bad_questions_get_clear_errors(extractive_engine, bad):
    with pytest.raises(QuestionError) as info:
        extractive_engine.ask(bad)
    assert str(info.value)


def test_cli_ask_json_schema(shared_settings, extractive_engine):
    env = {"ASSISTANT_CORPUS_DIR": str(shared_settings.corpus_dir), "ASSISTANT_INDEX_DIR": str(shared_settings.index_dir),
           "ASSISTANT_BACKEND": "extractive", "PATH": "/usr/bin:/bin"}
    out = subprocess.run([sys.executable, "-m", "assistant.cli", "ask", "--json", PLOTS_Q],
                         capture_output=True, text=True, env=env, timeout=300)
    assert out.returncode == 0, out.stderr
    data = json.loads(out.stdout)
    assert {"answer", "abstained", "citations", "retrieved", "timings_ms"} <= set(data)
    assert "sixteen" in data["answer"].lower() and data["abstained"] is False
    citation = data["citations"][0]
    assert {"n", "doc_id", "title", "section", "page", "quote", "start", "end"} <= set(citation)
    assert {"doc_id", "chunk_id", "text", "score"} <= set(data["retrieved"][0])


def test_cli_rejects_empty_question_with_message(shared_settings, extractive_engine):
    env = {"ASSISTANT_CORPUS_DIR": str(shared_settings.corpus_dir), "ASSISTANT_INDEX_DIR": str(shared_settings.index_dir),
           "ASSISTANT_BACKEND": "extractive", "PATH": "/usr/bin:/bin"}
    out = subprocess.run([sys.executable, "-m", "assistant.cli", "ask", "  "], capture_output=True, text=True,
                         env=env, timeout=300)
    assert out.returncode == 2
    assert "Please type a question" in out.stderr and "Traceback" not in out.stderr


def test_warm_up_runs_once_in_the_background_however_often_it_is_started(shared_settings):
    from assistant.engine import Engine

    from fixtures.llm import ScriptedLLM

    class Preparing(ScriptedLLM):
        def __init__(self):
            super().__init__("NOT_IN_SOURCES")
            self.prefilled: list[str] = []

        def will_prepare(self, system):
            return system not in self.prefilled

        def prefill(self, system):
            self.prefilled.append(system)

    llm = Preparing()
    engine = Engine(shared_settings, backend=llm)
    first = engine.start_warm_up()
    assert engine.start_warm_up() is first
    first.join(60)
    assert not first.is_alive() and engine.start_warm_up() is first
    assert len(llm.prefilled) == len(set(llm.prefilled)) >= 3  # translate, other-language and answer rules, once
    assert not any(system.startswith(render_condense()) for system in llm.prefilled)  # condense_by_llm is off
    assert any(system.startswith("Translate") for system in llm.prefilled)
    assert any("asked in another language" in system for system in llm.prefilled)


def render_condense() -> str:
    from assistant.prompts import render
    from assistant.settings import Settings
    return render(Settings.load().prompts_dir, "condense_system")[:60]


def test_a_list_is_restated_in_part_by_what_an_answer_says_not_by_the_quotes_it_shows():
    from assistant.engine import _names_left_out
    quote = "Borders: Alphaland 144 km; Betaland 2,330 km; Gammaland 1,314 km; Deltaland 1,312 km."
    assert set(_names_left_out(quote, "Alphaland and Betaland border it [1].")) == {"Gammaland", "Deltaland"}
    assert _names_left_out(quote, "144 km [1] “Borders: Alphaland 804 km; Betaland 413 km.” [2]") == []
    # The answer's subject, which the question names too, is no item it restates.
    assert _names_left_out(quote, "Twenty Alphaland plots [1].", "How many Alphaland plots were there?") == []


def test_a_compared_entity_is_named_as_the_title_of_the_document_its_answer_cites():
    from assistant.citations import Citation
    from assistant.corpus import DocMeta
    from assistant.engine import _as_titled
    from assistant.focus import DocumentNames
    names = DocumentNames({d: DocMeta(d, f"The World Factbook: {place}", kind="factbook")
                           for d, place in (("us", "United States"), ("gm", "Germany"), ("mv", "Maldives"))})
    us = [Citation(1, "us", "us", "", None, "Military Expenditures 2025: 3.2% of GDP.", 0, 40)]
    assert _as_titled("US", us, names) == "United States"
    assert _as_titled("Germany", us, names) == "Germany"  # not what the cited document is about
    assert _as_titled("US", us + [Citation(2, "gm", "gm", "", None, "2.4%", 0, 4)], names) == "US"  # two documents


def test_a_place_asked_about_by_its_people_is_not_answered_from_another_place_s_profile(fresh_settings):
    from assistant.engine import Engine
    from assistant.sources import manage

    manage.add_factbook(fresh_settings, ["rs", "mv"])  # Russia's inflation stops at 2021; the Maldives' has 2024
    engine = Engine(fresh_settings)
    unstated = engine.ask("Russian inflation in 2024: what figure does the Factbook give?")
    assert not unstated.citations, unstated.text
    stated = engine.ask("Russian inflation in 2021: what figure does the Factbook give?")
    assert any(c.doc_id == "factbook-rs" and "6.7%" in c.quote for c in stated.citations), stated.text
