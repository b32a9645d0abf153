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
