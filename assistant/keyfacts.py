"""Key facts of a sentence (numbers with their values, years, months, names) and whether a quote states them.

Numbers are compared by value: "sixteen", "16", "twenty-five", "2.6 million", "1,357" and numbers written with
look-alikes ("٣", "３", "𝟑", a Cyrillic О in "2О24": textutil.fold_digits) all read as numbers of any size.
"""
from __future__ import annotations

import math
import re
import unicodedata

from . import acronyms
from .language import is_english as _is_english
from .textutil import QUOTE_FOLD, fold_digits, strip_markers, terms, undotted

_UNITS = {w: i for i, w in enumerate(
    "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen sixteen "
    "seventeen eighteen nineteen".split())}
_TENS = {w: 10 * i for i, w in enumerate("_ _ twenty thirty forty fifty sixty seventy eighty ninety".split()) if i > 1}
_SCALES = {"hundred": 100, "thousand": 1_000, "million": 1_000_000, "billion": 1_000_000_000,
           "trillion": 1_000_000_000_000}
_NUMBER_WORD = "|".join(sorted([*_UNITS, *_TENS, *_SCALES, "dozen"], key=len, reverse=True))
_WORD_NUMBER = re.compile(rf"\b(?:{_NUMBER_WORD})(?:[\s-]+(?:and[\s-]+)?(?:{_NUMBER_WORD}))*\b", re.IGNORECASE)
_DIGITS = re.compile(r"(?<![\w.])\d{1,3}(?:,\d{3})+(?:\.\d+)?(?![\d,]*\d)|(?<![\w.,])\d+(?:\.\d+)?(?![\d])")
_DIGITS_SCALE = re.compile(rf"({_DIGITS.pattern})\s+(million|billion|trillion|thousand)\b", re.IGNORECASE)
_MONTHS = ("january february march april may june july august september october november december").split()
_MONTH_NAMES = "|".join(m.capitalize() for m in _MONTHS)
FULL_DATE = re.compile(rf"\b\d{{1,2}} (?:{_MONTH_NAMES}) (\d{{4}})\b")  # "1 April 1979"; group 1: the year
# "May" is a month only beside a day or a year ("3 May", "May 2019"); alone it is the verb.
_MONTH = re.compile(rf"\b(?:(?!May\b)(?:{_MONTH_NAMES})\b|May(?=\s+\d)|(?<=\d\s)May\b)")
# A day of the month is part of its date, not a number of its own: "2 April 2024", "April 2, 2024".
_DAY_MONTH = re.compile(rf"\b(\d{{1,2}})\s+({_MONTH_NAMES})\b|\b({_MONTH_NAMES})\s+(\d{{1,2}})\b(?!,\d)")
_YEAR = re.compile(r"(?<![\d,.])(?:1[0-9]|20)\d\d(?!\d|[,.]\d)")
_PARTICLE = r"(?:al-|bin |ibn |de |van |von )?"
_CAPITAL = "A-ZÀ-ÖØ-Þ"  # "Malé", "Ürümqi": a name's letters are not only ASCII
NAME = re.compile(rf"\b{_PARTICLE}[{_CAPITAL}][\w’'-]*[^\W\d_](?:\s+{_PARTICLE}[{_CAPITAL}][\w’'-]*[^\W\d_])*")
_LIST_NUMERAL = re.compile(r"(?m)^\s*\d{1,2}[.)]\s")
# Capitalised only because a sentence starts with them; not names.
FUNCTION_WORDS = frozenset("""a an the this that these those it its in on at by for from of to with and or but as
if when while where which who whom whose what why how there here they we he she i you our their his her some
many most more all any each both no not nor so yet also since after before during under over between among
according however although because though do does did is are was were be been can could would should will has have
had i'm i've i'd i'll""".split())  # "Do" of "... terrorism. Do the authors say ...?" opens a question, whatever
# comes before it; "I'm" is never a name


def fold(text: str) -> str:
    """Numbers as ASCII digits (textutil.fold_digits), then NFKC; curly quotes and dashes folded."""
    text = unicodedata.normalize("NFKC", fold_digits(text))
    return text.translate(QUOTE_FOLD)


def words_value(phrase: str) -> float | None:
    """"twenty-five" -> 25, "two hundred thousand" -> 200000, "a dozen" -> 12; None if not a number."""
    total, current, seen = 0, 0, False
    for word in re.split(r"[\s-]+", phrase.lower()):
        if word in ("and", "a", ""):
            continue
        if word in _UNITS:
            current += _UNITS[word]
        elif word in _TENS:
            current += _TENS[word]
        elif word == "dozen":
            current = (current or 1) * 12
        elif word == "hundred":
            current = (current or 1) * 100
        elif word in _SCALES:
            total += (current or 1) * _SCALES[word]
            current = 0
        else:
            return None
        seen = True
    return float(total + current) if seen else None


# One-word numbers below a hundred: "zero" .. "nineteen", "twenty" .. "ninety".
SMALL_NUMBER_WORDS = {**_UNITS, **_TENS}
_SMALL_NUMBER_NAMES = {value: word for word, value in SMALL_NUMBER_WORDS.items()}


def number_word_value(word: str) -> int | None:
    """The value of one number word ("seven" 7, "thirty" 30, "hundred" 100, "million", "dozen" 12), else None."""
    word = word.lower()
    if word == "dozen":
        return 12
    return SMALL_NUMBER_WORDS.get(word, _SCALES.get(word))


def is_number_word(word: str) -> bool:
    return number_word_value(word) is not None


def number_name(value: int) -> str | None:
    """The one word for a number below a hundred that has one ("twelve", "forty"), else None."""
    return _SMALL_NUMBER_NAMES.get(value)


def _digits_value(token: str) -> float:
    return float(token.replace(",", ""))


def _word_values(folded: str) -> set[float]:
    values = (words_value(match.group(0)) for match in _WORD_NUMBER.finditer(folded))
    return {value for value in values if value is not None}


def written_numbers(text: str) -> set[float]:
    """The numbers the text writes out in words ("Sixty", "twenty-five"), by value; "one" left out, as it is also a
    pronoun."""
    return _word_values(fold(text)) - {1.0}


def numbers(text: str) -> set[float]:
    """Every number the text states, by value (list numerals at line starts and days of dates excluded)."""
    text = _DAY_MONTH.sub(lambda m: (m.group(2) or m.group(3)), _LIST_NUMERAL.sub(" ", fold(text)))
    values: set[float] = set()
    for match in _DIGITS_SCALE.finditer(text):
        values.add(_digits_value(match.group(1)) * _SCALES[match.group(2).lower()])
    for match in _DIGITS.finditer(text):
        values.add(_digits_value(match.group(0)))
    return values | _word_values(text)


# Units a number is stated in, each spelling under one name: "25.244 billion barrels" is no count of cubic meters.
_UNIT_NAMES = {
    "sq km": "sq km|square kilomet(?:er|re)s?|km2|km²", "sq mi": "sq mi|square miles?",
    "cu m": "cu m|cubic met(?:er|re)s?", "nm": "nm|nautical miles?", "km": "km|kilomet(?:er|re)s?",
    "mi": "mi|miles?", "m": "m|met(?:er|re)s?", "bbl": "bbl|barrels?", "t": "metric tons?|tons?|tonnes?|mt",
    "kWh": "kWh|kilowatt[- ]hours?", "kW": "kW|kilowatts?", "ha": "ha|hectares?", "year": "years?",
    "%": "%|percent|per cent",
}
_UNIT = re.compile(rf"({_DIGITS.pattern})(?:\s+(?:million|billion|trillion|thousand))?\s*(?:"
                   + "|".join(f"(?P<u{i}>{spelt})" for i, spelt in enumerate(_UNIT_NAMES.values()))
                   + r")(?![\w²])", re.IGNORECASE)
_UNIT_KEYS = list(_UNIT_NAMES)


def stated_units(text: str) -> dict[float, set[str]]:
    """Each number the text gives with a unit after it, and those units ("2,440 km": {2440: {"km"}}); a number
    given with no unit is not listed."""
    found: dict[float, set[str]] = {}
    for match in _UNIT.finditer(fold(text)):
        unit = next(_UNIT_KEYS[int(key[1:])] for key, value in match.groupdict().items() if value)
        found.setdefault(_digits_value(match.group(1)), set()).add(unit)
    return found


def other_units(sentence: str, quoted: str) -> list[str]:
    """The sentence's numbers that the quote gives in other units only ("25.244 billion cubic meters" cited to
    "25.244 billion barrels")."""
    quoted_units = stated_units(quoted)
    return [f"unit {unit} of {value:g} (quoted in {', '.join(sorted(quoted_units[value]))})"
            for value, units in sorted(stated_units(sentence).items()) for unit in sorted(units)
            if quoted_units.get(value) and unit not in quoted_units[value]]


_OPENS_SENTENCE = re.compile(r"[\W_]*")  # only a bullet, a quote mark or a bracket before it


def names(sentence: str, first_word: bool = False) -> set[str]:
    """Capitalised words and runs of them ("Amira Jadoon", "al-Baghdadi"); a sentence's first word is left out
    unless it is an acronym ("Notably", "Did") or first_word is set: it may be capitalised only because the
    sentence starts there."""
    found = set()
    text = fold(sentence).strip()
    for match in NAME.finditer(text):
        parts = [re.sub(r"'s$", "", part) for part in match.group(0).split()]
        first = len(parts)
        while parts and (parts[0].lower() in FUNCTION_WORDS or words_value(parts[0]) is not None):
            parts = parts[1:]
        if not first_word and _OPENS_SENTENCE.fullmatch(text[:match.start()]) and len(parts) == first and parts \
                and not parts[0].isupper():
            parts = parts[1:]  # capitalised because the sentence or item starts there ("Did ISKP", "• Notably")
        if parts and not (len(parts) == 1 and words_value(parts[0]) is not None):
            found.add(" ".join(parts))
    return found


_DEMONYM = re.compile(r"(?:ian|an|ese|ish|i)$")


# Other names of one country, as texts write them: "from Britain" is "from the UK".
_SAME_PLACE = [("Britain", "Great Britain", "United Kingdom", "UK", "British"),
               ("United States", "US", "USA", "America", "American")]


def mentions(name: str, text: str) -> bool:
    """Whether text names it: each capitalised part of the name ("Pakistan-India", "Taliban-ruled") starts a word
    of the text, or a word of the text starts it ("Afghan" for "Afghanistan"), demonyms read as their place
    ("Algerian" for "Algeria"); a country's other names count as its own, and an initialism its words ("purchasing
    power parity" for PPP)."""
    others = next((group for group in _SAME_PLACE if name in group), None)
    if others:
        return any(_mentions(other, text) for other in others)
    return _mentions(name, text) or acronyms.spelt_out(name, fold(text))


def _mentions(name: str, text: str) -> bool:
    folded = undotted(fold(text).lower())
    for part in re.split(r"[\s-]+", name):
        if not part[:1].isupper():
            continue
        word = part.lower()
        if len(word) < 3 and re.search(rf"\b{re.escape(word)}\b", folded):  # the K of "ISIS-K"
            continue
        people = word[:-1] if len(word) >= 5 and word.endswith("s") and not word.endswith("ss") and \
            re.fullmatch(r"[\w']+", name) else ""  # "Turks", "Iranians": the people of a place
        stems = {word} | {_DEMONYM.sub("", w) for w in (word, people) if len(w) > 5} | ({people} if people else set())
        if any(re.search(rf"\b{re.escape(stem)}", folded) for stem in stems if len(stem) >= 3):
            continue
        if len(word) > 5 and any(word.startswith(w) for w in re.findall(rf"\b{re.escape(word[:4])}\w*", folded)
                                 if len(w) >= 5):
            continue
        return False
    return True


def months(sentence: str) -> set[str]:
    return {m.lower() for m in _MONTH.findall(fold(sentence))}


def dates(text: str) -> set[tuple[int, str]]:
    """The (day, month) dates the text states: "2 April 2024" and "April 2, 2024" are both (2, "april")."""
    return {(int(m.group(1) or m.group(4)), (m.group(2) or m.group(3)).lower())
            for m in _DAY_MONTH.finditer(fold(text))}


_YEAR_RANGE = re.compile(r"\b((1\d|20)\d\d)\s*[-–]\s*(\d\d)\b(?![-–/.,]\d)")  # "2015-19"


def years(text: str) -> set[int]:
    """Four-digit years (1000-2099) the text states, and the end of a range written short ("2015-19": 2019)."""
    folded = fold(text)
    ends = {int(m.group(2) + m.group(3)) for m in _YEAR_RANGE.finditer(folded)}
    return {int(y) for y in _YEAR.findall(folded)} | ends


def counts(text: str) -> set[float]:
    """The numbers a text states other than years and days of dates: what can answer "how many"."""
    return numbers(_YEAR_RANGE.sub(r"\1", fold(text))) - {float(y) for y in years(text)}


def unsupported(sentence: str, quotes: list[str], where: list[str] | tuple[str, ...] = (),
                question: str = "") -> list[str]:
    """The key facts of an answer sentence that none of its quotes states (empty: supported). where: the quoted
    documents' titles and sections, as each citation shows them; they may state the sentence's names ("Afghanistan"
    of a line in Afghanistan's profile), never its numbers or dates. question: as the user wrote it; a sentence in
    another language repeats its capitalised words ("Küste" of "Wie lang ist die Küste ...?"), which are then no
    claim (the question's own names are checked against the quotes before any answer)."""
    sentence = strip_markers(sentence)
    own_words = question if question and not _is_english(sentence) else ""
    quoted = " ".join(fold(q) for q in quotes)
    named = " ".join([quoted, *(fold(w) for w in where)])
    named_lower = named.lower()
    quoted_lower = quoted.lower()
    quoted_numbers = numbers(quoted)
    stated = numbers(sentence)
    missing = [f"number {v:g}" for v in sorted(stated) if v not in quoted_numbers
               and not _difference_of(v, stated & quoted_numbers)]
    missing += other_units(sentence, quoted)
    missing += [f"month {m}" for m in sorted(months(sentence)) if m not in quoted_lower]
    quoted_dates = dates(quoted)
    missing += [f"date {d} {m}" for d, m in sorted(dates(sentence)) if (d, m) not in quoted_dates]
    for name in sorted(names(sentence)):
        if name.lower() in named_lower or name.lower() in _month_names() or own_words and mentions(name, own_words):
            continue
        if not mentions(name, named):  # every word of it, so a name split across the quote still counts
            missing.append(f"name {name}")
    return missing or mispaired(sentence, quotes, where) or counted_as_another(sentence, quotes)


_COUNTED = re.compile(rf"({_DIGITS.pattern})\s+([a-z][a-z-]{{2,}})\b")
_NOT_COUNTED = FUNCTION_WORDS | set(_SCALES) | {"est", "than", "per", "times", "fold"}


def counted(text: str) -> set[tuple[float, str]]:
    """The numbers the text gives to a lower-case word right after them ("7 natural", "36 cultural"); units,
    scales and function words are not what is counted."""
    return {(_digits_value(m.group(1)), m.group(2)) for m in _COUNTED.finditer(fold(text))
            if m.group(2) not in _NOT_COUNTED and not _UNIT.fullmatch(f"1 {m.group(2)}")}


def counted_as_another(sentence: str, quotes: list[str]) -> list[str]:
    """A number the sentence gives to a word that its quotes give other numbers only: "44 natural sites" cited to
    "World Heritage Sites: 44 (36 cultural, 7 natural, 1 mixed)"."""
    said = counted(strip_markers(sentence))
    quoted = set().union(*(counted(quote) for quote in quotes)) if said and quotes else set()
    found = []
    for value, word in sorted(said):
        given = {v for v, w in quoted if w == word}
        if given and value not in given:
            found.append(f"number {value:g} for {word} (quoted: {', '.join(f'{v:g}' for v in sorted(given))})")
    return found


def _difference_of(value: float, stated: set[float]) -> bool:
    """The value is the difference of two values the sentence states beside it, each quoted ("older by 1.5 years:
    42.3 years, against 40.8 years"): arithmetic shown, not a new fact."""
    return any(math.isclose(value, abs(a - b), rel_tol=1e-9, abs_tol=1e-9) for a in stated for b in stated if a > b)


_CLAUSE = re.compile(r"[;:()]|,(?!\d)|\s(?:and|or)\s")
LIST_ITEM_WORDS = 6  # "three in India", "Pakistan 2,670 km": a short clause, one number, a name


def list_items(quote: str) -> list[tuple[str, set[float]]]:
    """The quote's list items: clauses of a few words stating one number (not a year) beside a name or a year
    ("three in India", "five in 2022")."""
    items = []
    for clause in _CLAUSE.split(fold(quote)):
        clause = clause.strip(" .")
        values = counts(clause)
        if len(values) == 1 and len(clause.split()) <= LIST_ITEM_WORDS and (re.search(r"[A-Z]", clause)
                                                                          or years(clause)):
            items.append((clause, values))
    return items


def mispaired(sentence: str, quotes: list[str], where: list[str] | tuple[str, ...] = ()) -> list[str]:
    """A sentence that gives the one name its quotes list with a number a number the list gives others ("three
    plots in Pakistan" cited to "three in India, ... one in Pakistan"). A sentence naming several listed names
    sums or compares them, and a name in a cited document's title (where) is what its list is about ("China 91
    km" in Afghanistan's profile): neither is judged here."""
    sentence = strip_markers(sentence)
    stated = counts(sentence)
    if not stated:
        return []
    items = [item for quote in quotes for item in list_items(quote)]
    listed = {name: set().union(*(values for clause, values in items if mentions(name, clause)))
              for name in names(sentence) if not any(mentions(name, w) for w in where)}
    listed |= {str(year): set().union(*(values for clause, values in items if year in years(clause)))
               for year in years(sentence)}
    listed = {name: values for name, values in listed.items() if values}
    if len(listed) > 1:
        item_values = set().union(*(values for _, values in items))
        quoted = " ".join(fold(q) for q in quotes)
        return _between_listed(sentence, stated, listed, where) or _clause_mispaired(sentence, listed, item_values,
                                                                                     quoted)
    if not listed:
        return []
    (name, values), = listed.items()
    return [] if stated & values else [f"number {v:g} for {name}" for v in sorted(stated)]


_CAPITALISED = re.compile(r"\b[A-Z][\w'-]+(?:\s+[A-Z][\w'-]+)*")


def unpaired_with_asked(question: str, answer: str, quotes: list[str]) -> list[str]:
    """For "Which country had four plots interdicted?", the listed names an answer gives when none of them is listed
    with that number ("India" from "three in India, four in Iran")."""
    asked = counts(question) - {float(y) for y in years(question)}
    if not asked:
        return []
    answer = strip_markers(answer)
    given: dict[str, set[float]] = {}
    for quote in quotes:
        for clause, values in list_items(quote):
            for name in _CAPITALISED.findall(clause):
                if not counts(name) and not mentions(name, question) and mentions(name, answer):
                    given.setdefault(name, set()).update(values)
    if any(values & asked for values in given.values()):
        return []  # the answer names the item asked about (others beside it, with their own numbers, are context)
    return sorted(given)


def _clause_mispaired(sentence: str, listed: dict[str, set[float]], item_values: set[float],
                      quoted: str) -> list[str]:
    """A clause giving one listed name a number no list item has (the list's total), in a sentence that also
    restates the list ("Sixteen plots were foiled in the Maldives, including three in India, ..., one in the
    Maldives"). A clause whose name opens a list of names ("sixteen plots in India, Iran and Turkey") gives the
    number to them all."""
    clauses = [c.strip(" \"'") for c in re.split(r"[;:]|,(?!\d)", fold(sentence)) if c.strip(" \"'")]
    found = []
    for clause, following in zip(clauses, clauses[1:] + [""]):
        stated = counts(clause) - item_values
        named = [name for name in listed if mentions(name, clause)]
        if not stated or len(named) != 1 or (following and not counts(following)) or clause in quoted:
            continue  # a clause the quotes say word for word is theirs
        found += [f"number {v:g} for {named[0]}" for v in sorted(stated)]
    return found


def _between_listed(sentence: str, stated: set[float], listed: dict[str, set[float]], where) -> list[str]:
    """Several listed names and the value listed for only some of them, with nothing of the cited document's title:
    the value is given to a pair the list never relates ("the border between Alpha and Beta is 921 km" cited to
    Delta's "Alpha 91 km; Beta 921 km"). A comparison states each one's value; one naming the title's subject
    ("Delta's border with Beta is 921 km, and it also borders Alpha") says whose value it is."""
    given = stated & set().union(*listed.values())
    if not given or all(values & stated for values in listed.values()):
        return []
    subject = {w for title in where for w in re.findall(r"[A-Z][\w'-]{3,}", fold(title))}
    if any(re.search(rf"\b{re.escape(w)}", fold(sentence)) for w in subject):
        return []
    return [f"number {v:g} for {' and '.join(sorted(listed))}" for v in sorted(given)]


def _month_names() -> set[str]:
    return set(_MONTHS)


_SERIES_CUT = re.compile(r"\s*,(?!\d)\s*")
_LAST_JOIN = re.compile(r"\s(?:and|or)\s(?!.*\s(?:and|or)\s)")
ITEM_SUPPORT = 0.5  # share of a series item's content terms its quotes must state


def series_items(sentence: str) -> list[str]:
    """The items after the first of a series a sentence states ("The report recommends exposing the gap ...,
    exploiting its leadership turnover ..., and handling aid carefully" -> the last two): three or more parts cut at
    commas, the last joined by "and" or "or". The first part also carries what the sentence says of them all, so
    it is left to the claim's own checks. A sentence with no such series gives []."""
    parts = [p for p in _SERIES_CUT.split(strip_markers(sentence).strip().rstrip(".!?")) if p.strip()]
    if len(parts) < 3:
        return []
    last = re.match(r"(?:and|or)\s+(.+)", parts[-1])
    if last:
        parts[-1] = last.group(1)
    else:
        joined = _LAST_JOIN.split(parts[-1], maxsplit=1)
        if len(joined) < 2:
            return []
        parts = parts[:-1] + joined
    return [p.strip() for p in parts[1:]]


def unstated_items(sentence: str, quotes: list[str]) -> list[str]:
    """The series items of a sentence (series_items) most of whose content terms no quote states: "exploiting its
    leadership turnover" cited to a quote about humanitarian aid."""
    quoted = set().union(*(terms(fold(q)) for q in quotes)) if quotes else set()
    unstated = []
    for item in series_items(sentence):
        item_terms = set(terms(fold(item)))
        if item_terms and len(item_terms & quoted) < ITEM_SUPPORT * len(item_terms):
            unstated.append(item)
    return unstated
