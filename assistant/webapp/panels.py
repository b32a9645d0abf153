"""HTML of the team panels: the evaluator's view of an answer (passages with their scores, the rewritten question,
the prompt size, stage timings, the index state), the Start-here overview of the collection, and the quiz."""
from __future__ import annotations

import time

from ..answer import Answer
from ..citations import section_and_page
from ..onboarding import DocOverview, QuizItem, QuizResult
from .render import esc, esc_attr, index_line

STAGES = ("queue_wait", "condense", "retrieve", "generate", "first_token", "verify", "total")
STAGE_NAMES = {"queue_wait": "queue", "first_token": "first token"}


def _ms(value: float | None) -> str:
    if value is None:
        return "–"
    return f"{value:,.0f} ms" if value < 10_000 else f"{value / 1000:,.1f} s"


def evaluator_html(answer: Answer | None, index) -> str:
    """What an evaluator checks about the last answer, and the index it came from."""
    state = index_state_html(index)
    if answer is None:
        return f'<div class="evaluator"><p>Ask a question to see its retrieval, prompt and timings.</p>{state}</div>'
    rows = "".join(
        f"<tr><td>[{p.n}]</td><td>{esc(p.title)}</td><td>{esc(p.section or '–')}</td>"
        f"<td>{'' if p.page is None else p.page}</td><td>{p.start:,}–{p.end:,}</td>"
        f'<td class="num">{p.similarity:.3f}</td><td class="num">{p.bm25:.2f}</td>'
        f'<td class="num">{p.score:.4f}</td></tr>' for p in answer.passages)
    timings = "".join(f"<tr><td>{STAGE_NAMES.get(k, k)}</td><td class=\"num\">{_ms(answer.timings_ms.get(k))}</td>"
                      f"</tr>" for k in STAGES if k in answer.timings_ms)
    prompt = answer.prompt
    prompt_line = (f"{prompt['messages']} messages · {prompt['chars']:,} characters · about "
                   f"{prompt['est_tokens']:,} tokens" if prompt else "no LLM prompt (extractive answer)")
    rewritten = (esc(answer.standalone_question) if answer.standalone_question != answer.question
                 else "unchanged")
    return (
        '<div class="evaluator" aria-label="Evaluator view">'
        f'<p><b>Question as searched:</b> <span class="ev-rewritten">{rewritten}</span></p>'
        f"<p><b>Backend:</b> {esc(answer.backend)} · {esc(answer.model)} · <b>Prompt:</b> "
        f'<span class="ev-prompt">{prompt_line}</span> · <b>Abstained:</b> {"yes" if answer.abstained else "no"}</p>'
        '<table class="ev-passages"><caption>Retrieved passages (dense: cosine similarity; BM25: lexical score; '
        "fused: reciprocal rank fusion)</caption><thead><tr><th>n</th><th>document</th><th>section</th><th>page"
        "</th><th>chars</th><th>dense</th><th>BM25</th><th>fused</th></tr></thead>"
        f"<tbody>{rows}</tbody></table>"
        f'<table class="ev-timings"><caption>Timings</caption><tbody>{timings}</tbody></table>'
        f"{state}</div>")


def index_state_html(index) -> str:
    built = index.state.get("created") if isinstance(getattr(index, "state", None), dict) else None
    return (f'<p class="ev-index">{esc(index_line(index))} · generation '
            f"<code>{esc(index.generation)}</code>{' · created ' + _when(built) if built else ''}</p>")


def _when(epoch) -> str:
    try:
        return time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime(float(epoch)))
    except (TypeError, ValueError):
        return ""


def start_here_html(title: str, docs: list[DocOverview]) -> str:
    """The collection at a glance for a newcomer: each document, its main sections and key facts with quotes."""
    cards = []
    for doc in docs:
        by = ", ".join(doc.authors)
        meta = " · ".join(x for x in (by, doc.date, f"{doc.chunks} passages") if x)
        sections = (f'<p class="sh-sections"><b>Main sections:</b> {esc(" · ".join(doc.sections))}</p>'
                    if doc.sections else "")
        facts = "".join(
            f'<li><blockquote class="sh-quote">“{esc(f.quote)}”</blockquote>'
            f'<span class="sh-where">{esc(_where(doc.title, f.section, f.page))}</span>'
            f' <button class="open-doc" data-doc="{esc_attr(doc.doc_id)}" data-start="{f.start}" '
            f'data-end="{f.end}" aria-label="Open this quote in {esc_attr(doc.title)}">Read in document</button></li>'
            for f in doc.facts)
        cards.append(f'<section class="sh-doc" aria-label="{esc_attr(doc.title)}"><h3>{esc(doc.title)}</h3>'
                     f'<p class="sh-meta">{esc(meta)}</p>{sections}'
                     f'<p><b>Key facts</b> (verified quotes):</p><ul class="sh-facts">{facts}</ul></section>')
    count = f"{len(docs)} document{'s' * (len(docs) != 1)}"
    return (f'<div class="start-here"><h2>Start here: {esc(title)}</h2><p>{count}. Each card shows what a '
            "document covers and a few of its facts, quoted exactly. Ask about any of them in the chat, or test "
            f"yourself in the quiz.</p>{''.join(cards)}</div>")


def _where(title: str, section: str, page: int | None) -> str:
    shown = section_and_page(title, section, page)
    return ", ".join(shown) if shown else "in the document"


def quiz_question_html(item: QuizItem | None, number: int) -> str:
    if item is None:
        return "<p>No quiz questions could be drawn from these documents.</p>"
    return (f'<div class="quiz-q" aria-live="polite"><p class="quiz-n">Question {number}</p>'
            f"<p>{esc(item.question)}</p></div>")


def quiz_result_html(item: QuizItem, result: QuizResult, right: int, answered: int) -> str:
    verdict = ('<p class="quiz-right">✓ Right: your answer states the key fact.</p>' if result.correct else
               f'<p class="quiz-wrong">✗ Not quite: the key fact is “{esc(result.expected)}”'
               f"{' (missing: ' + esc(', '.join(result.missing)) + ')' if result.missing else ''}.</p>")
    fact = item.fact
    where = f"{fact.title}, {fact.section}" if fact.section and fact.section != fact.title else fact.title
    return (f'<div class="quiz-result">{verdict}<blockquote class="sh-quote">“{esc(fact.quote)}”</blockquote>'
            f'<p class="sh-where">{esc(where)}{"" if fact.page is None else f", page {fact.page}"}</p>'
            f'<p class="quiz-score">Your score: {right} of {answered}</p></div>')
