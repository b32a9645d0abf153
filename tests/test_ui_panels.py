"""The evaluator, Start-here and quiz panels' HTML, from real answers and a real index."""
import re

from assistant import onboarding
from assistant.webapp import panels


def test_evaluator_view_shows_scores_rewritten_question_prompt_and_timings(extractive_engine):
    session = extractive_engine.session()
    session.ask("How many ISKP plots were foiled in India?")
    answer = session.ask("And in Iran?")
    html = panels.evaluator_html(answer, extractive_engine.index)
    rows = re.findall(r"<tr><td>\[(\d+)\]</td>", html)
    assert rows and [int(n) for n in rows] == [p.n for p in answer.passages]
    assert f"{answer.passages[0].similarity:.3f}" in html and f"{answer.passages[0].bm25:.2f}" in html
    assert f"{answer.passages[0].score:.4f}" in html
    assert "Iran" in re.search(r'class="ev-rewritten">([^<]*)<', html).group(1)
    assert "no LLM prompt (extractive answer)" in html
    for stage in ("condense", "retrieve", "verify", "total"):
        assert f"<td>{stage}</td>" in html
    assert extractive_engine.index.generation in html and "document" in html


def test_evaluator_view_states_an_llm_prompt_size(extractive_engine):
    answer = extractive_engine.ask("Who wrote the report?")
    answer.prompt = {"messages": 2, "chars": 1234, "est_tokens": 308}
    html = panels.evaluator_html(answer, extractive_engine.index)
    assert "2 messages · 1,234 characters · about 308 tokens" in html
    assert "Ask a question" in panels.evaluator_html(None, extractive_engine.index)


def test_start_here_and_quiz_panels_escape_and_quote_the_documents(extractive_engine):
    index = extractive_engine.index
    docs = onboarding.overview(index)
    html = panels.start_here_html("ISKP <collection>", docs)
    assert "&lt;collection&gt;" in html and "<collection>" not in html
    fact = docs[0].facts[0]
    assert f'data-start="{fact.start}"' in html and "Read in document</button>" in html
    item = onboarding.quiz(index, n=1, seed=2)[0]
    assert "Question 3" in panels.quiz_question_html(item, 3)
    wrong = panels.quiz_result_html(item, onboarding.score(item, "no idea"), 0, 1)
    assert "Not quite" in wrong and "Your score: 0 of 1" in wrong
    right = panels.quiz_result_html(item, onboarding.score(item, item.answer), 1, 2)
    assert "✓ Right" in right and "Your score: 1 of 2" in right
