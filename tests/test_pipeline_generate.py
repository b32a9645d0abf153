"""Stages retrieve, generate and ground on the real shared index: extractive and scripted-LLM drafts."""
import pytest

from assistant.backends import BackendError, ExtractiveBackend
from assistant.pipeline import generate, ground, retrieve

PLOTS_Q = "How many ISKP plots has foreign law enforcement interdicted since 2015?"


class Scripted:
    name, model = "scripted", "scripted-1"

    def __init__(self, reply, fail_after=None):
        self.reply, self.fail_after, self.prompts = reply, fail_after, []

    def stream(self, messages, max_tokens):
        self.prompts.append(messages)
        for i in range(0, len(self.reply), 7):
            if self.fail_after is not None and i >= self.fail_after:
                raise BackendError("The model server at http://x failed: it could not be reached.")
            yield self.reply[i:i + 7]


class Preparing(Scripted):
    def will_prepare(self, system):
        return True

    def prefill(self, system):
        pass


@pytest.fixture(scope="module")
def opened(extractive_engine):
    return extractive_engine._indexes.current()


@pytest.fixture(scope="module")
def passages(opened):
    return retrieve.run(opened.retriever, PLOTS_Q, 5, None).passages


def drive(llm, passages, opened, settings, whole=False):
    """(events, Draft, timings) of the generate stage."""
    timings, events = {}, []
    stage = generate.run(llm, PLOTS_Q, passages, opened, settings, whole=whole, timings=timings, started=0.0)
    try:
        while True:
            events.append(next(stage))
    except StopIteration as stop:
        return events, stop.value, timings


def report_n(passages):
    return next(p.n for p in passages if "at least sixteen ISKP plots" in p.text)


def test_retrieve_keeps_to_top_k_and_the_chosen_documents(opened, passages):
    assert 1 <= len(passages) and all(p.doc_id == "next-afghan-jihad" for p in passages)
    chosen = retrieve.run(opened.retriever, PLOTS_Q, 2, ["next-afghan-jihad"]).passages
    assert sum(len(p.chunk_ids) for p in chosen) <= 2


def test_extractive_draft_is_one_token_event_quoting_the_passages(opened, passages, shared_settings):
    events, draft, timings = drive(ExtractiveBackend(), passages, opened, shared_settings)
    assert [e.kind for e in events] == ["token"] and events[0].text == draft.text
    assert "sixteen" in draft.text and not draft.by_llm and draft.backend == "extractive"
    assert draft.grounding == passages and timings == {}


def test_llm_draft_streams_tokens_and_grounds_to_a_verbatim_quote(opened, passages, shared_settings):
    reply = f"Foreign law enforcement has interdicted at least sixteen ISKP plots since 2015 [{report_n(passages)}]."
    llm = Scripted(reply)
    events, draft, timings = drive(llm, passages, opened, shared_settings)
    assert "".join(e.text for e in events if e.kind == "token") == reply == draft.text
    assert draft.by_llm and (draft.backend, draft.model) == ("scripted", "scripted-1") and "first_token" in timings
    assert not ground.declines(draft.text)
    grounded = ground.run(draft.text, draft.grounding, draft.doc_texts, draft.metas, opened.index.page_at)
    assert grounded.notice is None and "at least sixteen ISKP plots" in grounded.citations[0].quote
    sent = sum(len(m["content"]) for m in llm.prompts[0])
    assert draft.prompt == {"messages": len(llm.prompts[0]), "chars": sent, "est_tokens": round(sent / 4)}


def test_passages_carry_their_dense_bm25_and_fused_scores(passages):
    assert all(0 < p.score and -1 <= p.similarity <= 1 and p.bm25 >= 0 for p in passages)
    best = next(p for p in passages if "at least sixteen ISKP plots" in p.text)
    assert best.bm25 > 0, "the sentence with the question's words is among the lexical candidates"
    assert set(best.to_json()) >= {"score", "similarity", "bm25"}


def test_a_drafted_list_keeps_its_items_and_paragraphs(opened, passages):
    n = report_n(passages)
    draft = (f"Foreign law enforcement has interdicted ISKP plots in several countries since 2015:\n"
             f"1. Three in India [{n}].\n2. Four in Iran [{n}].\n3) Three in Germany [{n}].\n\n"
             f"That makes sixteen plots in all [{n}].")
    doc_texts = {p.doc_id: opened.index.doc_text(p.doc_id) for p in passages}
    grounded = ground.run(draft, passages, doc_texts, {}, opened.index.page_at)
    lines = grounded.text.split("\n")
    assert [line[:2] for line in lines[1:4]] == ["- ", "- ", "- "], grounded.text
    assert "Four in Iran [1]" in lines[2] and lines[4] == "" and lines[5].startswith("That makes sixteen")
    assert grounded.citations and "\n" not in lines[0]


def test_the_abstention_sentinel_is_never_streamed(opened, passages, shared_settings):
    events, draft, _ = drive(Scripted("NOT_IN_SOURCES"), passages, opened, shared_settings)
    assert events == [] and ground.declines(draft.text)


def test_a_failing_llm_falls_back_to_an_extractive_draft_with_a_notice(opened, passages, shared_settings):
    events, draft, _ = drive(Scripted("Some partial answer text here.", fail_after=14), passages, opened,
                             shared_settings)
    assert draft.backend == "extractive" and not draft.by_llm and "sixteen" in draft.text
    assert draft.notices == ["The model server at http://x failed: it could not be reached. "
                             "Showing an extractive answer instead."]
    assert events[-1].text == draft.text  # after the tokens already shown


def test_a_model_that_must_read_the_corpus_first_says_so(opened, passages, shared_settings):
    events, _, _ = drive(Preparing("NOT_IN_SOURCES"), passages, opened, shared_settings)
    assert [(e.kind, e.text) for e in events] == [("status", generate.PREPARING)]


def test_a_draft_that_matches_no_passage_is_not_shown(opened, passages):
    doc_texts = {p.doc_id: opened.index.doc_text(p.doc_id) for p in passages}
    grounded = ground.run("Mickey Mouse wrote the report [1].", passages, doc_texts, {}, opened.index.page_at)
    assert grounded.citations == [] and grounded.notice == ground.UNMATCHED


@pytest.mark.parametrize("draft, declined", [(None, True), ("", True), ("NOT_IN_SOURCES", True),
                                             ("The sources do not mention it.", True),
                                             ("The date is not explicitly mentioned in the given context.", True),
                                             ("The context doesn't mention a date.", True),
                                             ("That is not in the given context.", True),
                                             ("The sources do not mention France, but sixteen [1].", False),
                                             ("Sixteen [1].", False)])
def test_declining_drafts(draft, declined):
    assert ground.declines(draft) is declined


def test_a_backend_with_no_known_capability_is_refused(opened, passages, shared_settings):
    class Nameless:
        name, model = "nameless", "none"

    with pytest.raises(TypeError, match="nameless backend neither streams chat text nor drafts from passages"):
        drive(Nameless(), passages, opened, shared_settings)


class Counting(Scripted):
    def count_tokens(self, text):
        return len(text.split())


def test_a_translated_question_gets_shorter_excerpts_so_its_answer_starts_about_as_soon(opened, passages,
                                                                                         shared_settings):
    llm = Counting("Sixteen [1].")
    settings = shared_settings.replace(llm_excerpt_tokens=150, llm_excerpt_tokens_translated=40, llm_corpus_chars=0)
    assert generate.excerpt_budget(llm, settings)["excerpt_budget"] == 150
    assert generate.excerpt_budget(llm, settings, translated=True)["excerpt_budget"] == 40
    off = settings.replace(llm_excerpt_tokens_translated=0)
    assert generate.excerpt_budget(llm, off, translated=True)["excerpt_budget"] == 150
    sizes = []
    for translated in (False, True):
        stage = generate.run(llm, PLOTS_Q, passages, opened, settings, whole=False, timings={}, started=0.0,
                             translated=translated)
        for _ in stage:
            pass
        sizes.append(len(llm.prompts[-1][-1]["content"].split()))
    assert sizes[1] < sizes[0], sizes


def test_a_bare_year_for_when_is_given_as_the_one_full_date_its_quote_states():
    from assistant.citations import Citation
    from assistant.pipeline.ground import Grounded, with_full_dates

    def cited(text, quote):
        return Grounded(text, [Citation(1, "ir", "Iran", "", None, quote, 0, len(quote))])
    independence = "Independence: 1 April 1979 (Islamic Republic of Iran proclaimed)."
    assert with_full_dates(cited("1979 [1]", independence)).text == "1 April 1979 [1]"
    assert with_full_dates(cited("It was proclaimed in 1979 [1].", independence)).text == \
        "It was proclaimed on 1 April 1979 [1]."
    both = "Held 1 April 1979 and 2 December 1979."  # two dates of that year: which one is not known
    assert with_full_dates(cited("In 1979 [1].", both)).text == "In 1979 [1]."
    assert with_full_dates(cited("On 1 April 1979 [1].", independence)).text == "On 1 April 1979 [1]."
    assert with_full_dates(cited("In 1979 [1].", independence)).text == "On 1 April 1979 [1]."
    assert with_full_dates(cited("April 1, 1979 [1].", independence)).text == "April 1, 1979 [1]."
