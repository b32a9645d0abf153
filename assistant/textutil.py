"""Small text helpers shared by chunking, BM25, answering and quote checks."""
from __future__ import annotations

import functools
import re
import unicodedata

# A sentence ends after . ! or ? and any closing quotes or brackets (group 1, kept in the sentence).
_SENTENCE_END = re.compile(r"(?<=[.!?])([\"'”’)\]]*)\s+(?=[\"'“‘(\[]?[A-Z0-9•])|\n\s*\n|\n(?=\s*[•\-*]\s)")
_ABBREV = re.compile(r"(?:\b[A-Z]|\b(?:Mr|Mrs|Ms|Dr|Prof|St|Mt|Mts|Ft|Jr|Sr|Gen|Col|Lt|Sgt|No|Vol|vs|etc|e\.g|i\.e|"
                     r"U\.S|U\.K|U\.N|approx|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec))\.$")
_WORD = re.compile(r"[\w’']+", re.UNICODE)

STOPWORDS = frozenset(
    """a about above after again against all am an and any are as at be because been before being below between
    both but by can could did do does doing down during each few for from further had has have having he her here
    hers herself him himself his how i if in into is it its itself just me more most my myself no nor not now of off
    on once only or other our ours ourselves out over own same she should so some such than that the their theirs
    them themselves then there these they this those through to too under until up very was we were what when where
    which while who whom why will with would you your yours yourself yourselves also did does many much according
    report reports say says said tell explain describe give list whats what's show there's thus who's where's when's
    how's it's that's""".split()
)


def sentence_spans(text: str, start: int = 0, end: int | None = None) -> list[tuple[int, int]]:
    """(start, end) offsets of the sentences of text[start:end], trimmed of surrounding whitespace."""
    end = len(text) if end is None else end
    spans: list[tuple[int, int]] = []
    cursor = start
    for match in _SENTENCE_END.finditer(text, start, end):
        stop = match.start() + len(match.group(1) or "")
        candidate = text[cursor:stop]
        if match.group(0).strip() == "" and _ABBREV.search(candidate.rstrip()) and "\n" not in match.group(0):
            continue
        _append_trimmed(text, cursor, stop, spans)
        cursor = match.end()
    _append_trimmed(text, cursor, end, spans)
    return [part for span in spans for part in _after_bullets(text, *span)]


_BULLET = re.compile(r"([ \t]*)[•*-][ \t]")
_LINE_START = re.compile(r"([ \t]*)[\"'“‘(\[]?[A-Z0-9]")


def _after_bullets(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """A span split after a bullet item that ends without a full stop, where a line other than an item follows
    ("... sectarian agenda" then "When the coalition was present, ..."): a line opening as a sentence does, no
    further indented than the bullet (an indented or lower-case line carries the item on)."""
    if "\n" not in text[start:end]:
        return [(start, end)]
    parts: list[tuple[int, int]] = []
    cursor, line_start = start, text.rfind("\n", 0, start) + 1
    while True:
        newline = text.find("\n", line_start, end)
        if newline < 0:
            break
        following = newline + 1
        bullet, plain = _BULLET.match(text, line_start), _LINE_START.match(text, following, end)
        if bullet and plain and not _BULLET.match(text, following) and len(plain.group(1)) <= len(bullet.group(1)):
            _append_trimmed(text, cursor, newline, parts)
            cursor = following
        line_start = following
    _append_trimmed(text, cursor, end, parts)
    return parts


def sentence_before(text: str, start: int, lo: int = 0) -> tuple[int, int] | None:
    """The span of the sentence of text[lo:start] that ends last before start (None when there is none)."""
    spans = sentence_spans(text, lo, start)
    return spans[-1] if spans else None


def _append_trimmed(text: str, start: int, end: int, spans: list) -> None:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    if end > start:
        spans.append((start, end))


def words(text: str) -> list[str]:
    """Lower-cased word tokens, accent-folded, apostrophes normalised, digits of any script as ASCII."""
    return list(_words(text))


@functools.lru_cache(maxsize=1 << 14)  # sentences are re-read for every question; bounded, as ingest reads every chunk
def _words(text: str) -> tuple[str, ...]:
    folded = unicodedata.normalize("NFKD", fold_digits(text).lower())
    folded = "".join(ch for ch in folded if not unicodedata.combining(ch)).replace("’", "'")
    return tuple(_WORD.findall(undotted(folded)))


_DOTTED = re.compile(r"\b(?:[a-z]\.){2,}")


def undotted(lowered: str) -> str:
    """Lower-cased text with its dotted initials closed up: "u.s.-led" says what "us-led" says."""
    return _DOTTED.sub(lambda m: m.group(0).replace(".", ""), lowered) if "." in lowered else lowered


# Words of one sense read as one term: "the tallest peak" asks what "highest point" states.
_SAME_SENSE = {"tallest": "highest", "taller": "higher", "loftiest": "highest", "biggest": "largest",
               "bigger": "larger", "kind": "type", "sort": "type", "goods": "commodity",
               "stage": "phase", "stages": "phases", "aid": "assistance", "countryside": "rural"}


# Irregular past forms read as their verb ("took over" answers "take over"); ambiguous ones (left, saw, found,
# rose) are left alone.
_IRREGULAR = {past: verb for verb, pasts in {
    "take": "took taken", "begin": "began begun", "become": "became", "come": "came", "fight": "fought",
    "win": "won", "lead": "led", "hold": "held", "give": "gave given", "make": "made", "go": "went gone",
    "write": "wrote written", "grow": "grew grown", "run": "ran", "see": "seen", "meet": "met", "spend": "spent",
    "sell": "sold", "buy": "bought", "bring": "brought", "tell": "told", "say": "said", "pay": "paid",
    "keep": "kept", "lose": "lost", "strike": "struck", "build": "built", "choose": "chose chosen",
    "break": "broke broken", "draw": "drew drawn", "fall": "fell fallen", "send": "sent", "speak": "spoke spoken",
    "stand": "stood", "think": "thought", "teach": "taught", "catch": "caught", "seek": "sought", "mean": "meant",
    "feel": "felt", "flee": "fled", "shoot": "shot", "overthrow": "overthrew overthrown", "arise": "arose arisen",
}.items() for past in pasts.split()}
_AMERICAN = {"isation": "ization", "ise": "ize", "ised": "ized", "ises": "izes", "ising": "izing", "our": "or",
             "ours": "ors", "ence": "ense"}
_BRITISH = re.compile(r"isation|(?<=[a-z]{3})(?:ise|ised|ises|ising)$|(?:(?<=[bvlmng])|(?<=[a-z]i))ours?$|"
                      r"(?<=^def|^off)ence$")
_CONSONANT_LE = re.compile(r"(?:(?<=[^aeiouyl])l|iz)(?:ed|ing)$")
# (ending, what it derives from, the shortest stem before it): literacy/literate, religious/religion, location/located
_DERIVED = [("acy", "ate", 4), ("ious", "ion", 4), ("ence", "ent", 4), ("ance", "ant", 4), ("ations", "ate", 3),
            ("ation", "ate", 3)]
_ABILITY = re.compile(r"(a|i)bilit(?:y|ies)$")  # "ability", "capabilities": "able", "capable"


@functools.lru_cache(maxsize=1 << 16)  # a pure function of the word, asked for the same words over and over
def _stem(word: str) -> str:
    stem = _stem_once(word)
    # "operate" as "operated", "operating" and "operates" are read
    return stem[:-1] if len(stem) >= 6 and stem.endswith("ate") else stem


def _stem_once(word: str) -> str:
    if word.endswith("'s") and len(word) > 4:  # "harbour's" is read as "harbour" is
        word = word[:-2]
    word = _SAME_SENSE.get(word) or _IRREGULAR.get(word, word)
    if len(word) >= 6 and _BRITISH.search(word):  # "organisational" says what "organizational" says
        word = _BRITISH.sub(lambda m: _AMERICAN[m.group(0)], word)
    if _CONSONANT_LE.search(word):  # "whittled", "handling", "organized": the verb ends in -le or -ize
        return word[:-1] if word.endswith("d") else word[:-3] + "e"
    if _ABILITY.search(word):
        return _ABILITY.sub(lambda m: m.group(1) + "ble", word)
    for ending, common, shortest in _DERIVED:
        if word.endswith(ending) and len(word) - len(ending) >= shortest:
            return word[: -len(ending)] + common
    for suffix in ("'s", "ies", "ing", "ed"):
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            return word[: -len(suffix)] + ("y" if suffix == "ies" else "")
    if _PLURAL_ES.search(word) and len(word) >= 5:  # "taxes", "churches": "es" was added
        return word[:-2]
    if word.endswith("s") and not word.endswith(("ss", "us", "is")) and len(word) >= 4:  # "resources", "phases":
        return word[:-1]  # only "s" was added ("focus", "status", "crisis" end in it)
    return word


_PLURAL_ES = re.compile(r"(?:ss|x|z|ch|sh)es$")


# What the Factbook calls the "chief of state": the head of state, the ruler, who is in charge.
_SAME_PHRASE = re.compile(r"\b(?:head of state|rulers?|in charge)\b", re.I)
# ... and the "head of government": who runs, leads or heads the government.
_RUNS_GOVERNMENT = re.compile(r"\b(?:runs?|running|leads?|leading|heads?|heading)\s+(?:the\s+)?government\b", re.I)
# A name it had before is its "former" name ("What was it called before?", "its previous name").
_FORMER_NAME = re.compile(r"\b(?:called|named|known\s+as)\b[^.?;]{0,30}?\b(?:before|previously|earlier|once|"
                          r"formerly)\b|\b(?:previous|earlier|old|older|prior)\s+names?\b|"
                          r"\bused\s+to\s+be\s+(?:called|named|known)\b", re.I)
# Where people live is the "population distribution".
_WHERE_PEOPLE_LIVE = re.compile(r"\bwhere\b[^.?;]{0,30}?\b(?:people|population|inhabitants|residents)\b[^.?;]{0,15}?"
                                r"\b(?:live|lives|living|concentrated|settled|reside)\b", re.I)
# A place's neighbours are its "border countries".
_NEIGHBOURS = re.compile(r"\b(?:neighbou?rs|neighbou?ring\s+(?:countries|states|nations))\b|"
                         r"\b(?:countries|states|nations)\s+(?:that\s+)?(?:border|neighbou?r)", re.I)
# How many people live in a place is its "population".
_HEADCOUNT = re.compile(r"(?<=how many )(?:(?:people|persons)(?:\s+(?:live|living|reside|are there)\b|"
                        r"(?=\s+(?:does|do)\b[^?.;]{1,40}?\bhave\b))|inhabitants|residents)\b", re.I)
# How long people live is their "life expectancy"; how old a typical one is, the "median age".
_HOW_LONG_LIVE = re.compile(r"\bhow long\b[^.?;]{0,40}?\b(?:live|lives|living)\b|\blifespans?\b", re.I)
_TYPICAL_AGE = re.compile(r"\bhow old is (?:the )?(?:average|typical)\b|\baverage age\b", re.I)
# Who may vote, and from what age, is "suffrage".
_MAY_VOTE = re.compile(r"\b(?:can|may|could)\b[^.?;]{0,60}?\bvote\b|\b(?:allowed|eligible|right)\s+to\s+vote\b|"
                       r"\bvoting\s+(?:age|rights?)\b|\bwho\s+(?:\w+\s+)?votes?\b", re.I)
# The "major urban areas": the biggest or largest cities.
_BIG_CITIES = re.compile(r"\b(?:biggest|largest|main|major)\s+(?:city|cities)\b", re.I)
# ... and its "government type": the system, form or kind of government.
_GOVERNMENT_TYPE = re.compile(r"\b(?:system|form|kind|type)s?\s+of\s+government\b", re.I)
# An armed organisation is what the Factbook lists as a "Terrorist group(s)".
_ARMED_ORGANISATIONS = re.compile(r"\b(terrorist|militant|jihadist|extremist|armed|insurgent)\s+organi[sz]ations?\b",
                                  re.I)
# A share of an economy is a share "of GDP", as the Factbook gives it.
_SHARE_OF_ECONOMY = re.compile(r"\b(share|percent|percentage|proportion|fraction|part)\s+of\s+(?:its|their|the|"
                               r"(?:the\s+)?[\w-]+['’]s?)\s+(?:national\s+|whole\s+)?economy\b", re.I)
# Farmland or cropland is the Factbook's "agricultural land".
_FARMLAND = re.compile(r"\b(?:farm|crop|farming|agricultural)\s*lands?\b", re.I)
# Where a name comes from is its etymology ("What does the name Dushanbe mean?", "named after").
_NAME_ORIGIN = re.compile(r"\bnamed? (?:after|for)\b|\bname\b[^.?;]{0,40}?\b(?:come|comes|came|mean|means|meant|"
                          r"derive|derives|derived|originate|originates|stand|stands)\b|"
                          r"\b(?:behind|origins?\s+of|story\s+of|meaning\s+of)\s+(?:the\s+|its\s+|their\s+)?name\b",
                          re.I)

# Whom a place sells to or buys from are its "partners"; the body that makes its laws, its "legislative branch".
_TRADE_PARTNERS = re.compile(r"\b(?:who|whom|which\s+countr(?:y|ies)|where)\b[^.?;]{0,40}?\b(?:export|import|sell|buy|"
                             r"trade|get)s?\b[^.?;]{0,30}?\b(?:to|from|with)\b|\btrad(?:e|ing)\s+partners\b", re.I)
_CUSTOMERS = re.compile(r"\b(?:customers|buyers|export\s+markets)\b", re.I)
_SUPPLIERS = re.compile(r"\bsuppliers\b", re.I)
_MAKES_LAWS = re.compile(r"\b(?:make|makes|made|pass|passes|passed|write|writes)\s+(?:the\s+|its\s+|their\s+)?"
                         r"(?:[\w-]+['’]s\s+)?(?:new\s+)?laws\b|\blaw-?mak(?:ing|ers?)\b", re.I)
# How big an army is, is its "personnel strengths".
_ARMY_SIZE = re.compile(r"\bhow\s+(?:big|large)\s+(?:is|are|was|were)\s+(?:the\s+|its\s+|their\s+)?(?:[\w-]+['’]s?\s+)?"
                        r"(?:army|military|armed\s+forces|navy|air\s+force)\b|\bsize\s+of\s+(?:the\s+|its\s+|their\s+)?"
                        r"(?:[\w-]+['’]s?\s+)?(?:army|military|armed\s+forces|navy|air\s+force)\b", re.I)
# "What does Turkmenistan export?", "what does it sell?", "its main imports": the goods traded, which a profile lists
# as "commodities".
_TRADED_GOODS = re.compile(r"\bwhat\s+(?:does|do|did)\b[^.?;]{0,40}?\b(?:export|import|sell|buy)s?\b"
                           r"(?!\s+(?:partner|market|customer|destination))|\b(?:main|chief|top|major|biggest|leading|principal)"
                           r"\s+(?:export|import)s\b", re.I)


# Phrases of one sense, put as the Factbook puts them: (what the text must say for the pattern to be tried, the
# pattern, its Factbook words), applied in this order.
_SAME_PHRASES = [(("cit",), _BIG_CITIES, "major urban areas"),
                 (("government",), _RUNS_GOVERNMENT, "head of government"),
                 (("government",), _GOVERNMENT_TYPE, "government type"),
                 (("of state", "ruler", "in charge"), _SAME_PHRASE, "chief of state"),
                 (("organi",), _ARMED_ORGANISATIONS, r"\1 groups"),
                 (("farm", "crop"), _FARMLAND, "agricultural land"),
                 (("how many",), _HEADCOUNT, "population"),
                 (("econom",), _SHARE_OF_ECONOMY, r"\1 of GDP")]
# What a question asks for in other words than a field's label: (what the text must say for the pattern to be
# tried, the pattern, the label's terms it adds).
_LABEL_TERMS = [(("name",), _NAME_ORIGIN, ("etymology",)),
                (("call", "name", "known"), _FORMER_NAME, ("former",)),
                (("vot",), _MAY_VOTE, ("suffrage",)),
                (("where",), _WHERE_PEOPLE_LIVE, ("population", "distribution")),
                (("live", "lifespan"), _HOW_LONG_LIVE, ("life", "expectancy")),
                (("neighbo", "border"), _NEIGHBOURS, ("border", "country")),
                (("old", "age"), _TYPICAL_AGE, ("median", "age")),
                (("xport", "mport", "sell", "buy"), _TRADED_GOODS, ("commodity",)),
                (("xport", "mport", "sell", "buy", "trad"), _TRADE_PARTNERS, ("partner",)),
                (("customer", "buyer", "market"), _CUSTOMERS, ("export", "partner")),
                (("supplier",), _SUPPLIERS, ("import", "partner")),
                (("law",), _MAKES_LAWS, ("legislative", "legislature")),
                (("army", "military", "forces", "navy"), _ARMY_SIZE, ("personnel", "strengths"))]


def same_phrase(text: str) -> str:
    """The text with a phrase of one sense put as the Factbook puts it ("the ruler": "the chief of state"; "who runs
    the government": "who head of government")."""
    lowered = text.lower()
    for said, pattern, factbook in _SAME_PHRASES:
        if any(word in lowered for word in said):
            text = pattern.sub(factbook, text)
    return text


_LETTER_SUFFIXED = re.compile(r"(?<![\w-])([A-Za-z]{2,}-[A-Za-z0-9])(?![\w-])")  # "ISIS-K": not ISIS alone


def terms(text: str) -> list[str]:
    """Content terms for lexical matching: stop words dropped, light stemming; a name with a one-letter suffix
    ("ISIS-K") is also a term of its own."""
    return list(_terms(text))


@functools.lru_cache(maxsize=1 << 14)
def _terms(text: str) -> tuple[str, ...]:
    lowered = text.lower()
    text = same_phrase(text)
    found = [_stem(w) for w in words(text) if w not in STOPWORDS and (len(w) > 1 or w.isdigit())]
    return tuple(found + [name.lower() for name in _LETTER_SUFFIXED.findall(text)] + label_terms(text, lowered))


def label_terms(text: str, lowered: str = "") -> list[str]:
    """The terms of the Factbook labels a text asks for in other words ("How long do they live?": life
    expectancy)."""
    lowered = lowered or text.lower()
    return [term for said, pattern, label in _LABEL_TERMS
            if any(word in lowered for word in said) and pattern.search(text) for term in label]


# Curly quotes, low quotes, dashes, non-breaking hyphen and space as their plain forms (one char for one).
QUOTE_FOLD = str.maketrans({"“": '"', "”": '"', "„": '"', "‘": "'", "’": "'", "‚": "'", "—": "-", "–": "-",
                            "‐": "-", "‑": "-", "\u00a0": " "})
_MARKERS = re.compile(r"\s*\[\d{1,3}(?:\s*[,;]\s*\d{1,3})*\]")


def lower_case_words(text: str) -> int:
    """How many of the text's words begin in lower case: prose has several, a list of names or a byline hardly any."""
    return sum(1 for w in text.split() if w[:1].islower())


def strip_markers(text: str | None) -> str:
    """Text without its [n] citation markers and the space before them; no space left before punctuation."""
    return re.sub(r"\s+([.,;:!?])", r"\1", _MARKERS.sub("", text or "")).strip()


_QUOTED = re.compile(r"“[^”]*”")


def without_quotes(text: str) -> str:
    """An answer's own words: the “quotes” it shows from its sources left out."""
    return _QUOTED.sub(" ", text)


_ANSI_ESCAPE = re.compile(
    r"(?:\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)?)"  # OSC ... BEL/ST (window titles, hyperlinks)
    r"|(?:(?:\x1b\[|\x9b)[0-?]*[ -/]*[@-~])"  # CSI: colours, cursor moves
    r"|(?:\x1b[()*+][0-9A-Za-z]|\x1b[78=>])"  # charset choice, cursor save/restore, keypad mode
)


def clean_question(text: str) -> str:
    """Drop terminal escape sequences and control characters (newlines/tabs become spaces); collapse whitespace."""
    text = _ANSI_ESCAPE.sub("", text)
    kept = "".join(
        " " if ch in "\t\n\r" else ch
        for ch in text
        if ch in "\t\n\r" or unicodedata.category(ch)[0] != "C"
    )
    return re.sub(r"\s+", " ", kept).strip()


# ----- numbers written with look-alikes -----
_LOOKS_LIKE_ZERO = "ОоΟο"  # Cyrillic and Greek O
_NUMBER_RUN = re.compile(rf"[\d{_LOOKS_LIKE_ZERO}]+(?:[.,\u066b\u066c][\d{_LOOKS_LIKE_ZERO}]+)*")
_GREEK_OR_CYRILLIC = re.compile(r"[\u0370-\u03ff\u0400-\u052f\u1f00-\u1fff]")
_RAISED_OR_LOWERED_DIGIT = re.compile(r"(?<=\d)[\u00b2\u00b3\u00b9\u2070\u2074-\u2079\u2080-\u2089]")
_ARABIC_SEPARATORS = str.maketrans({"\u066b": ".", "\u066c": ","})


def fold_digits(text: str) -> str:
    """Numbers as ASCII digits, whatever they were written with: digits of any script or style (Arabic-Indic ٣,
    full-width ３, mathematical 𝟑), Arabic decimal/thousands separators, and a Cyrillic or Greek O inside a
    number ("2О24") as 0. A superscript or subscript after a number (a footnote mark: "2015³") is kept apart from
    it. Offsets are not kept: for matching, never for display."""
    if text.isascii():
        return text
    text = _RAISED_OR_LOWERED_DIGIT.sub(lambda m: " " + m.group(0), text)
    return _NUMBER_RUN.sub(_fold_number_run, text)


def _fold_number_run(match: re.Match) -> str:
    run, text = match.group(0), match.string
    if run.isascii():
        return run
    inside_word = (match.start() > 0 and _GREEK_OR_CYRILLIC.match(text, match.start() - 1)) or \
        _GREEK_OR_CYRILLIC.match(text, match.end())
    has_digit = any(ch.isdecimal() for ch in run)
    out = []
    for ch in run:
        if ch.isdecimal():
            ch = str(unicodedata.decimal(ch))
        elif ch in _LOOKS_LIKE_ZERO and has_digit and not inside_word:
            ch = "0"
        out.append(ch)
    return "".join(out).translate(_ARABIC_SEPARATORS) if has_digit else run


# ----- what is shown -----
_LINE_BREAKS = re.compile("\r\n?|[\x0b\x0c\x85\u2028\u2029]")
# Invisible characters that reorder (bidi controls) or hide (zero-width, invisible operators, tag characters) text,
# and control characters (terminal escapes) other than tab and newline.
_INVISIBLE = re.compile(
    "[\u202a-\u202e\u2066-\u2069\u200e\u200f\u061c"
    "\u200b\u2060-\u2064\u206a-\u206f\ufeff\u180e\ufff9-\ufffb\U000e0000-\U000e007f"
    "\x00-\x08\x0e-\x1f\x7f-\x9f]")
# ZWNJ/ZWJ shape joining scripts (Persian, Indic) and emoji sequences; elsewhere they only hide things.
_STRAY_JOINER = re.compile(r"(?<![^\x00-\x7f\s])[\u200c\u200d]|[\u200c\u200d](?![^\x00-\x7f\s])")


def for_display(text) -> str:
    """Text as shown to a person (HTML, export, terminal): invisible reordering and hiding characters and control
    characters removed, every line break as "\\n". Stored text and its offsets never go through this."""
    text = str(text if text is not None else "")
    text = _INVISIBLE.sub("", _LINE_BREAKS.sub("\n", text))
    return _STRAY_JOINER.sub("", text) if "\u200c" in text or "\u200d" in text else text


def question_proper(question: str) -> str:
    """The question without the statements before it ("The report mentions a revolution. Which holiday marks it?":
    "Which holiday marks it?")."""
    sentences = [s for s in re.split(r"(?<=[a-z]{2}[.!])\s+(?=[A-Z])", question.strip()) if s.strip()]
    return sentences[-1] if sentences else question


def names_kind(text: str, kind: str) -> bool:
    """The text names a document by its kind ("the report", "this report's", "the World Factbook"), not by a title
    that ends in the word ("the Trafficking in Persons Report")."""
    return bool(re.search(rf"\b(?:the|this|that|its|their)\s+(?:\w+\s+)?{re.escape(kind)}s?\b", text, re.I))
