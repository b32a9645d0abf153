"""Whether a question is written in English: the extractive backend matches English words only, so a question in
another language gets a plain "English only" reply instead of a misleading "the sources do not cover it"."""
from __future__ import annotations

import re
import unicodedata
from collections import Counter

# Frequent function words; a word shared by two lists ("a", "in") counts for neither.
_FUNCTION_WORDS = {
    "en": "the of and to in is was are were what which who when where why how many much does did do has have been "
          "with for from by on about this that these those their its it an a or as at be can could should would will",
    "fr": "le la les des du de un une et est sont qui que quoi quel quelle quels quelles combien comment pourquoi où "
          "quand au aux dans par pour sur avec ce cette ces il elle ils elles ont été a-t-il était leur leurs se",
    "de": "der die das den dem des ein eine einen einem und ist sind war waren wer was wie wo wann warum wieviele "
          "wie viele welche welcher welches im in mit von für auf zu aus bei hat haben wurde wurden nicht",
    "es": "el la los las de del un una y es son fue fueron qué quién cuándo dónde cómo cuántos cuántas por para con "
          "en sobre este esta estos estas su sus se ha han",
    "it": "il lo la gli le di del della un una e è sono era chi che cosa quando dove come quanti quante perché per "
          "con su nel nella questo questa ha hanno",
    "pt": "o a os as de do da dos das um uma e é são foi quem que quando onde como quantos quantas por para com em "
          "no na este esta seu sua tem têm",
    "nl": "de het een en is zijn was waren wie wat wanneer waar waarom hoe hoeveel van voor op met in dit deze heeft",
    "tr": "ve bir bu şu ne kim nerede neden nasıl kaç hangi için ile mi mı mu mü da de",
}
_WORDS = {lang: set(words.split()) for lang, words in _FUNCTION_WORDS.items()}
_SHARED = {w for lang, ws in _WORDS.items() for w in ws if sum(w in other for other in _WORDS.values()) > 1}
_LATIN_WORD = re.compile(r"[^\W\d_]+(?:[-'’][^\W\d_]+)*", re.UNICODE)


def _script(ch: str) -> str:
    name = unicodedata.name(ch, "")
    return name.split()[0] if name else ""


def language_of(question: str) -> str:
    """"en", another language code, a script name ("ARABIC", "CYRILLIC", "CJK"...), or "" if it cannot tell."""
    letters = [ch for ch in question if ch.isalpha()]
    if not letters:
        return ""
    scripts = Counter(_script(ch) for ch in letters)
    main = max(scripts, key=scripts.__getitem__)
    if main != "LATIN" and scripts[main] > len(letters) / 2:
        return main
    words = [w.lower() for w in _LATIN_WORD.findall(question)]
    counts = {lang: sum(w in ws and w not in _SHARED for w in words) for lang, ws in _WORDS.items()}
    best = max(counts, key=counts.__getitem__)
    if best != "en" and counts[best] > counts["en"]:
        return best
    return "en"


def is_english(question: str) -> bool:
    """False only when the question is clearly in another language (script or function words)."""
    return language_of(question) in ("en", "")


_LANGUAGE_NAMES = {"fr": "French", "de": "German", "es": "Spanish", "it": "Italian", "pt": "Portuguese",
                   "nl": "Dutch", "tr": "Turkish", "ARABIC": "Arabic", "CYRILLIC": "Russian", "CJK": "Chinese",
                   "HANGUL": "Korean", "HIRAGANA": "Japanese", "KATAKANA": "Japanese", "GREEK": "Greek",
                   "HEBREW": "Hebrew", "DEVANAGARI": "Hindi", "THAI": "Thai", "ARMENIAN": "Armenian",
                   "GEORGIAN": "Georgian"}
# Letters only one language of a script writes (of those its users here most likely ask in), first match wins.
_OWN_LETTERS = {"ARABIC": [("Pashto", "ټډړږښځڅۍېڼ"), ("Urdu", "ٹڈڑںےھ"), ("Persian", "پچژگکی")],
                "CYRILLIC": [("Ukrainian", "іїєґ"), ("Tajik", "ғӣқӯҳҷ"), ("Uzbek", "ўқғҳ"), ("Kazakh", "әңөүұі"),
                             ("Kyrgyz", "ңөү")]}


def answer_language(question: str) -> str | None:
    """The language an LLM should answer a non-English question in (its name, for the prompt); None for English."""
    code = language_of(question)
    if code in ("en", ""):
        return None
    for language, letters in _OWN_LETTERS.get(code, []):
        if any(ch in letters for ch in question.lower()):
            return language
    return _LANGUAGE_NAMES.get(code, "the language of the question")
