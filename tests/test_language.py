"""Which questions the extractive backend can read: English ones, whatever names they carry."""
import pytest

from assistant.language import is_english, language_of


@pytest.mark.parametrize("question", [
    "How many ISKP plots were foiled in India?",
    "Who is Sanaullah Ghafari?",
    "Tashkent population?",
    "What did al-Azaim publish in Pashto and Dari?",
    "Is the Taliban's GDL-based approach working?",
    "ISKP?",
    "2024",
])
def test_english_questions(question):
    assert is_english(question), language_of(question)


@pytest.mark.parametrize("question, language", [
    ("Quelle est la capitale de l'Ouzbékistan ?", "fr"),
    ("Wer sind die Autoren des Berichts über den IS-K?", "de"),
    ("¿Cuántos ataques ha cometido el ISKP en Irán?", "es"),
    ("Quanti attentati ha compiuto l'ISKP in Iran?", "it"),
    ("Сколько терактов совершила ИГИЛ-Х в России?", "CYRILLIC"),
    ("داعش خراسان چه زمانی تاسیس شد؟", "ARABIC"),
    ("伊斯兰国呼罗珊省是什么？", "CJK"),
])
def test_other_languages(question, language):
    assert language_of(question) == language and not is_english(question)


@pytest.mark.parametrize("question", [
    "Combien de complots de l'EI-K ont été déjoués en Iran depuis 2015 ?",
    "Wer hat den Bericht über ISKP geschrieben?",
    "ما هو عدد مؤامرات داعش خراسان في إيران؟",
])
def test_extractive_backend_says_it_reads_english_only(extractive_engine, question):
    from assistant.pipeline.gate import ENGLISH_ONLY

    answer = extractive_engine.ask(question)
    assert answer.abstained and answer.text == ENGLISH_ONLY and not answer.citations


def test_english_question_is_still_answered(extractive_engine):
    answer = extractive_engine.ask("How many ISKP plots were foiled in Iran?")
    assert not answer.abstained and "four" in answer.text.lower()


@pytest.mark.parametrize("question, language", [
    ("پایتخت تاجیکستان کدام شهر است؟", "Persian"),
    ("د داعش خراسان ډله په کوم کال کې راڅرګنده شوه؟", "Pashto"),
    ("پاکستان کی سرحد کتنی لمبی ہے؟", "Urdu"),
    ("ما هي عاصمة قطر؟", "Arabic"),
    ("Какая столица Узбекистана?", "Russian"),
    ("Які країни межують з Афганістаном?", "Ukrainian"),
    ("Quelle est la capitale du Qatar ?", "French"),
    ("What is the capital of Qatar?", None),
])
def test_the_answer_language_is_named_for_the_model(question, language):
    from assistant.language import answer_language
    assert answer_language(question) == language
