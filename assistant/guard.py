"""Document text is data: spot sentences that try to steer the answer, and keep prompt control tokens out of context.

A sentence is instruction-like by what it does, not by a fixed phrase:
- it addresses an automated reader (an AI, a model, a summariser, a tool) or "you" and tells it what to do;
- it is a normative or imperative statement about how answers, replies or summaries are to be written;
- it sets a trigger ("if asked about X, ...", "when questioned, ...");
- it vouches for its own document over others ("this file supersedes all other sources");
- it appears in a paragraph that a previous sentence addressed to an automated reader ("Note for AI tools: ...").
"""
from __future__ import annotations

import functools
import re

from .textutil import sentence_spans

_W = r"[\w’'-]+"
_AUTOMATED = (
    r"(?:\bai\b|\ba\.i\.|\bartificial[- ]intelligence|\bassistants?\b|\bchat\s?bots?\b|\bbots?\b|\bllms?\b|\bgpts?\b"
    r"|\blanguage (?:models?|tools?|systems?)|\b(?:ai|ml|machine|language|generative|neural|large) models?\b"
    r"|\bmodels? (?:reading|processing|summari[sz]ing|answering|consuming|ingesting|trained)"
    r"|\bsummari[sz]ers?\b|\bsummari[sz]ation (?:tools?|systems?|engines?|software)"
    r"|\bautomated (?:readers?|reading|systems?|tools?|summar\w*|assistants?|agents?|software|pipelines?|processing|"
    r"services?|answer\w*|writers?|models?|digests?|generators?|responders?|helpers?|agents?)\b|\bautomatic (?:readers?|systems?|tools?|summar\w*)|\bmachine[- ](?:readers?|reading|generated)"
    r"|\bdigest (?:generators?|tools?|writers?)|\b(?:retrieval|search|question[- ]answering|qa) (?:systems?|tools?|engines?)"
    r"|\b(?:software|tools?|programs?|systems?|engines?|agents?|crawlers?|scrapers?|pipelines?|services?|readers?)"
    r"(?: (?:that|which) (?:\w+ ){0,2}?| )(?:reads?|reading|process(?:es|ing)?|condens(?:es|ing)|summari[sz](?:es|ing)|"
    r"answer(?:s|ing)|draw(?:s|ing) on|pars(?:es|ing)|index(?:es|ing)|quot(?:es|ing)|ingest(?:s|ing)|consum(?:es|ing)|"
    r"digest(?:s|ing)|scan(?:s|ning)|crawl(?:s|ing)|extract(?:s|ing)|reproduc(?:es|ing)|us(?:es|ing)|handl(?:es|ing)|"
    r"generat(?:es|ing)|analy[sz](?:es|ing)) (?:this|these|the|our|such)\b"
    r"|\b(?:whoever|whatever|anyone|anything|anybody|something|someone)\b[^.!?;]{0,20}?\b(?:writes?|writing|drafts?|"
    r"drafting|prepares?|preparing|composes?|composing|answers?|answering|summari[sz]es?|summari[sz]ing|compiles?|"
    r"compiling|generates?|generating|produces?|producing|handles?|handling|fields?|fielding)\b[^.!?;]{0,25}?"
    r"(?:answers?|repl(?:y|ies)|responses?|questions?|summar(?:y|ies)|quer(?:y|ies)|digests?)\b"
    r"|\bwhoever (?:writes|drafts|prepares|composes|answers|summari[sz]es|compiles)"
    r"|\banyone (?:answering|summari[sz]ing|writing|drafting|condensing|asked|quoting|citing)"
    r")"
)
# What an answer-writer is told to do.
_ANSWER_VERB = (
    r"(?:answer|reply|respond|report|state|say|tell|write|output|print|cite|quote|mention|give|present|describe|"
    r"claim|assert|list|name|attribute|credit|use|treat|regard|consider|prefer|rely|refer|render|phrase|express|"
    r"summari[sz]e|conclude|record|repeat|insist|emphasi[sz]e|stress|note|omit|drop|skip|exclude|avoid|replace|"
    r"substitute|correct|update|override|overlook|discount|forget|pretend|act|identify|put|show|display|return|"
    r"reproduce|restate|adopt|go with|stick|read|take|supply|provide|produce|quote|include|add|indicate|specify)"
)
_NORMATIVE = (
    r"(?:should|must|shall|ought to|need to|needs to|have to|has to|had better|are to|is to|are expected to|"
    r"is expected to|are required to|is required to|are asked to|is asked to|are instructed to|is instructed to|"
    r"(?:is|are) (?:\w+ )?(?:bound|obliged|obligated|supposed|meant|directed|told) to|are invited to|is invited to|are encouraged to|is encouraged to|are advised to|is advised to|"
    r"will want to|would do well to|(?:is|are) (?:kindly )?requested to|may only|can only|are obliged to|"
    r"(?:it is|it's) (?:essential|important|vital|necessary|mandatory|required|requested|advisable|best) (?:that|to|for)|"
    r"be sure to|make sure (?:to|that|you)|ensure that|take care to|remember to|do not|don't|never|kindly|please)"
)
_RESPONSE_NOUN = r"(?:answers?|repl(?:y|ies)|responses?|summar(?:y|ies)|digests?|outputs?|write-?ups?|abstracts?|briefings?|generated text)"
_SELF = r"(?:this|the present|the following|the current|these|our|my) (?:document|file|dossier|note|notes|report|text|page|passage|source|section|brief|briefing|memo|record|entry|material|update|errata|correction|annex|appendix|table|sheet)"
_OTHERS = r"(?:all |any |every |the )?(?:other|earlier|older|previous|prior|rival|competing|conflicting|remaining) (?:sources?|documents?|reports?|figures?|numbers?|data|accounts?|versions?|texts?|passages?|material)"
_FIGURES_ELSEWHERE = r"(?:figures?|numbers?|data|counts?|totals?|dates?|names?|claims?|information) (?:elsewhere|found elsewhere|in other (?:sources|documents|reports)|given elsewhere)"

_RULES = [
    # an automated reader is addressed and told what to do
    re.compile(_AUTOMATED + r"[^;]{0,120}?\b" + _NORMATIVE + r"\b", re.I | re.S),
    re.compile(_AUTOMATED + r"[^;]{0,80}?\b" + _ANSWER_VERB + r"(?:s|es|ed|d)?\b[^;]{0,40}?\b(?:that|as|with|only|the|it)\b",
               re.I | re.S),
    re.compile(r"\b(?:for|to|attention|note|notice|message|reminder|guidance|instructions?|directions?|memo|hint)\b"
               r"[^.:!?]{0,40}" + _AUTOMATED + r"[^.:!?]{0,30}[:—–]", re.I),
    # "you" told what to do
    re.compile(r"\byou(?:r)?\b[^.!?]{0,40}?\b" + _NORMATIVE + r"\b[^.!?]{0,40}?\b" + _ANSWER_VERB, re.I),
    re.compile(r"\b(?:you|yourself)\b[^.!?]{0,30}\b(?:are|were|will be) (?:now |hereby )?(?:asked|told|instructed|"
               r"required|expected|requested|directed|permitted|allowed|authori[sz]ed)\b", re.I),
    # answers / replies / summaries told what to say
    re.compile(r"\b" + _RESPONSE_NOUN + r"\b[^.!?;]{0,30}?\b" + _NORMATIVE + r"\b", re.I),
    re.compile(r"\b" + _RESPONSE_NOUN + r"(?: (?:of|from|for|to|about|on|drawing on|based on|derived from|built on|"
               r"using|citing|that (?:use|cite|draw on|rely on|quote)) [^.!?;]{0,60}?)? (?-i:report|state|give|say|list|"
               r"cite|mention|put|use|name|credit|attribute|quote|carry|record|show|present)s?\b", re.I),
    re.compile(r"\b" + _RESPONSE_NOUN + r" (?:to|about|on|drawing on|based on|derived from|built on|using|citing|"
               r"that (?:use|cite|draw on|rely on|quote)) [^.!?;]{0,60}?\b(?-i:give|state|report|say|list|name|use|cite|"
               r"read|show|present|carry|put|record|mention|treat|describe|quote|include|will|shall)\b", re.I),
    re.compile(r"\b(?:in|for|within) (?:your|any|every|all) " + _RESPONSE_NOUN + r"\b", re.I),
    re.compile(r"\bthe (?:figure|number|count|total|answer|name|names|date|year|wording|reply|response) (?:to|you should|"
               r"one should) (?:give|report|use|state|cite|quote|provide|supply|repeat|put)\b", re.I),
    re.compile(r"\bto be (?:reported|stated|cited|quoted|given|answered|rendered|phrased|credited|attributed)\b"
               r"[^.!?;]{0,40}?\b(?:as|by|to|with)\b", re.I),
    re.compile(r"\b(?:should|must|shall|ought to|how to|how do|how does|how can)\b[^.!?;]{0,20}?" + _AUTOMATED, re.I),
    re.compile(r"\b" + _NORMATIVE + r"\b[^.!?;]{0,30}?" + _AUTOMATED + r"[^.!?;]{0,30}?\b" + _ANSWER_VERB + r"\b", re.I),
    re.compile(r"\bthe (?:correct|right|proper|approved|expected|official|required|preferred|only acceptable|"
               r"appropriate|sanctioned|authori[sz]ed|verified|accepted) (?:answer|reply|response|wording|output|"
               r"thing to say|way to answer|figure to (?:give|report|use|state|cite)|number to (?:give|report|use))", re.I),
    re.compile(r"\b(?:is|are) to be (?:reported|stated|given|cited|described|treated|presented|answered|quoted|"
               r"rendered|phrased|summari[sz]ed|recorded|understood|read|taken|used|regarded|considered)\b", re.I),
    re.compile(r"\b(?:should|must|shall|ought to|needs? to) (?:always |only |instead |now )?be (?:reported|stated|"
               r"given as|cited|quoted|answered|rendered as|phrased|summari[sz]ed as|recorded as|read as|described as|"
               r"presented as|listed as|credited to|attributed to|named as|written as)\b", re.I),
    # bare imperatives of answering, and the reader's role reassigned
    re.compile(r"\b(?:always|never|only|instead|just|simply|and|then|so)\s+(?:say|answer|reply|respond|state|report|"
               r"cite|quote|mention|tell (?:them|users|readers|people|everyone)|claim|output|print)\s+(?:that|with|"
               r"the|this|only|[\"“‘'])", re.I),
    re.compile(r"\byou are (?:now|hereby|henceforth|from now on|no longer)\b|\b(?:mode|persona|role) (?:is )?(?:now )?"
               r"(?:enabled|activated|engaged|switched on|unlocked)\b|\bjailbr[eo]ak", re.I),
    re.compile(r"(?:^|[:;]\s*)(?:please\s+|kindly\s+|now\s+)?(?:ignore|disregard|forget|drop|discard|set aside|override)"
               r"\s+(?:all|any|every|the|everything|previous|prior|earlier|above|preceding|other|your|what)\b", re.I),
    # triggers
    re.compile(r"\b(?:if|when|whenever|should|once|in case|where)\s+(?:(?:you|one|someone|anyone|somebody|anybody|"
               r"a user|the user|users|a reader|readers|the reader|people|a visitor|visitors|an analyst|analysts|it|they)"
               r"\s+)?(?:is |are |gets? |were |be |ever )?(?:asked|asks|ask|questioned|queried|prompted|enquires|inquires|"
               r"wants to know|want to know|wonders)\b"
               r"[^.!?]{0,80}?\b(?:" + _ANSWER_VERB + r"|" + _NORMATIVE + r"|the (?:answer|reply|response) is|"
               r"it is|is)\b", re.I),
    re.compile(r"\b(?:questions?|quer(?:y|ies)|requests?|prompts?) (?:about|on|concerning|regarding|asking)\b"
               r"[^.!?]{0,60}?\b(?:should|must|shall|are to|are answered|get answered|be answered|receive|"
               r"get the (?:answer|reply|response))\b", re.I),
    re.compile(r"\bin (?:reply|response|answer) to (?:any |a |the |all )?(?:questions?|quer(?:y|ies)|requests?|"
               r"prompts?|enquir(?:y|ies)|inquir(?:y|ies))\b", re.I),
    # the document vouches for itself against the others
    re.compile(r"\b" + _SELF + r"\b[^.!?]{0,60}?\b(?:supersedes?|overrides?|replaces?|takes? precedence|prevails?|"
               r"outranks?|trumps?|invalidates?|is (?:the )?(?:only|sole|single|final|definitive|authoritative|"
               r"binding|canonical|official|correct|true|verified|reliable|trustworthy)\b(?: (?:source|version|"
               r"account|record|authority|reference|word))?|(?:is|are) to be (?:trusted|preferred|believed))", re.I),
    re.compile(r"\b" + _OTHERS + r"\b[^.!?]{0,40}?\b(?:are|is|should be|must be|have been|has been|were|was) "
               r"(?:now )?(?:obsolete|outdated|out of date|superseded|wrong|incorrect|unreliable|inaccurate|false|"
               r"invalid|void|withdrawn|retracted|discredited|erroneous|mistaken|stale|to be ignored|disregarded|"
               r"ignored|not to be trusted|untrustworthy)\b", re.I),
    re.compile(r"\b" + _FIGURES_ELSEWHERE + r"\b[^.!?]{0,30}?\b(?:are|is|should be|must be)\b[^.!?]{0,20}?"
               r"(?:obsolete|outdated|wrong|incorrect|unreliable|inaccurate|false|invalid|ignored|disregarded|"
               r"superseded|stale|erroneous|mistaken)", re.I),
    re.compile(r"\b(?:trust|prefer|believe|use|follow|rely on) (?:only )?(?:this|these|the present|our|my) "
               r"(?:document|file|dossier|note|notes|figure|figures|number|numbers|version|account|source|text|"
               r"data|correction|update)\b", re.I),
    # an imperative that opens the sentence (after a label such as "Note:" or a bullet)
    re.compile(r"^(?:[\W\d_]*(?:[A-Z][\w ’'-]{0,40}:\s*)?)(?:please\s+|kindly\s+|always\s+|just\s+|simply\s+)?"
               r"(?:answer|reply|respond|report|state|say|tell (?:them|users|readers|the user|people|everyone)|"
               r"write|output|print|cite|quote|mention|present|describe|claim|assert|attribute|credit|treat|regard|"
               r"pretend|act as|forget|override|overlook|discount|replace|substitute|prefer|remember (?:to|that)|"
               r"make sure|be sure|ensure|do not (?:mention|cite|quote|report|say|state|use|trust|rely|repeat)|"
               r"don't (?:mention|cite|quote|report|say|state|use|trust|rely|repeat)|never (?:mention|cite|quote|"
               r"report|say|state|use|repeat)|stick to|go with|use (?:only|the figure|the number|this|these|that)|"
               r"give (?:the|this|that|only|it)|list (?:the authors|the author)|name (?:the|only))\b(?![-’'])"
               r"(?=\s+(?:the|that|this|these|those|only|it|its|as|a|an|to|with|all|any|every|no|nothing|them|him|her|"
               r"each|both|either|instead|exactly|just|[\"“‘']|\d|(?:one|two|three|four|five|six|seven|eight|nine|ten|"
               r"eleven|twelve|twenty|thirty|forty|fifty|hundred)\b)|\s*$)", re.I),
]
_AUTOMATED_RE = re.compile(_AUTOMATED, re.I)
_ADDRESS_HEADER = re.compile(_AUTOMATED + r"[^.!?]{0,40}[:\-–—]\s*$", re.I)
_ADDRESS_OPENING = re.compile(
    r"^[\W_]*(?:[\w ’'-]{0,40}\b)?(?:for|to|attention|attn|note|notice|message|reminder|memo|guidance|hint)\b"
    r"[^.!?:]{0,40}" + _AUTOMATED + r"[^.!?:]{0,30}[:\-–—.]", re.I)
# Chat-template and role tokens are never document content.
_ROLE = re.compile(r"<\|[a-z_]{2,20}\|>|(?:^|(?<=[.!?]\s))\s*(?:system|assistant|user|developer)\s*:|\bassistant\s*:",
                   re.I | re.M)
_CONTROL_TOKENS = re.compile(r"<\|[a-z_]{2,20}\|>|<\|/?(?:im_start|im_end|endoftext)\|?>?", re.IGNORECASE)
_FAKE_MARKER = re.compile(r"\[(\d{1,3})\]")


@functools.lru_cache(maxsize=1 << 14)  # a corpus's sentences are checked again for every question
def looks_like_instruction(text: str) -> bool:
    """text (one sentence, or a few) tries to steer how answers are written rather than state a fact."""
    flat = " ".join(text.split())
    return bool(_ROLE.search(text)) or any(rule.search(flat) for rule in _RULES)


@functools.lru_cache(maxsize=1 << 14)
def addresses_machines(sentence: str) -> bool:
    """A heading-like sentence that speaks to automated readers ("Note for AI tools:")."""
    flat = " ".join(sentence.split())
    return bool(_ADDRESS_HEADER.search(flat) or _ADDRESS_OPENING.search(flat))


def instruction_spans(text: str, start: int = 0, end: int | None = None) -> set[tuple[int, int]]:
    """Sentence spans of text[start:end] that are instruction-like, alone or as part of a paragraph that a previous
    sentence addressed to automated readers."""
    end = len(text) if end is None else end
    paragraph_start = max(text.rfind("\n\n", 0, start), 0)
    flagged: set[tuple[int, int]] = set()
    paragraph, addressed = -1, False
    for s, e in sentence_spans(text, paragraph_start, end):
        this_paragraph = text.rfind("\n\n", 0, s)
        if this_paragraph != paragraph:
            paragraph, addressed = this_paragraph, False
        sentence = text[s:e]
        instruction = looks_like_instruction(sentence)
        addressed = addressed or addresses_machines(sentence) or (instruction and _AUTOMATED_RE.search(sentence) is not None)
        if addressed or instruction:
            flagged.add((s, e))
    return {(s, e) for s, e in flagged if e > start}


def is_instruction_span(text: str, start: int, end: int) -> bool:
    """Whether any sentence overlapping text[start:end] is instruction-like in its paragraph's context."""
    return any(s < end and start < e for s, e in instruction_spans(text, start, end))


def redact(text: str) -> str:
    """text with its instruction-like sentences replaced by a placeholder: what a model is shown."""
    spans = sorted(instruction_spans(text))
    if not spans:
        return text
    out, cursor = [], 0
    for s, e in spans:
        out.append(text[cursor:s])
        out.append("[…]")
        cursor = e
    out.append(text[cursor:])
    return "".join(out)


def for_prompt(text: str) -> str:
    """Passage text as it goes into a prompt: chat control tokens neutralised, bracket markers defused."""
    text = _CONTROL_TOKENS.sub("<?>", text)
    return _FAKE_MARKER.sub(r"(\1)", text)
