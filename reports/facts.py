"""What one sentence of a report says about an event: its dates, places, casualties, and how it relates.

Statements, estimates and the attackers' claims are set apart ("the ministry vowed",
"ISIS said its fighters killed nine"); what a source reports ("a source said on Tuesday
that gunmen had attacked ...") is the event, the day it spoke is not its date. A sentence
that reports no event is still kept when it turns to the past ("Last week ...") or says
where a place lies: :mod:`reports.grouping` needs both.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from datetime import date
from typing import Any

from reports.casualties import Casualties, count_casualties
from reports.dates import DateMention, find_dates
from reports.events import happened, is_statement
from reports.sentences import Sentence

BACKGROUND_LEAD_CHARS = 40  # a background phrase this near a sentence's start is what the sentence is about

_SEPARATOR_RE = re.compile(
    r"^\W*(?:in (?:a|an|another) (?:similar|separate|different|second|third|earlier|previous|unrelated|other)\b|"
    r"separately\b|elsewhere\b|meanwhile\b|in another\b|also on\b|earlier\b|in a related\b|the day before\b|"
    r"a day (?:earlier|later)\b|hours (?:earlier|later)\b|in an? (?:unrelated|separate)\b|last (?:week|month)\b|"
    r"\w+ days? (?:earlier|later|ago)\b|on (?:\w+ )?(?:\w+ )?\d{1,2}, \d{4}\b)",
    re.IGNORECASE,
)
_MONTH_NAMES = r"(?:january|february|march|april|may|june|july|august|september|october|november|december)"
# Words that turn a report to its background: an earlier period, not the incident being told.
_BACKGROUND_RE = re.compile(
    r"\b(?:last|past|previous) (?:week|month|year)\b|\b(?:earlier|late|later) this (?:month|year)\b|"
    r"\b(?:two|three|four|five|six|several|a few|\d+) (?:weeks|months|years) (?:ago|earlier|before)\b|"
    r"\b(?:a|one) (?:week|month|year) (?:ago|earlier|before)\b|\bin recent (?:weeks|months|years)\b|"
    rf"^\W*(?:in|since|during|by|at the (?:end|start|beginning) of) (?:(?:early|mid|late)[- ])?{_MONTH_NAMES}\b|"
    r"\b(?:since|in|during|throughout) (?:19|20)\d\d\b|\bbefore\.$|\bhave been attacked before\b",
    re.IGNORECASE,
)
_AGGREGATE_RE = re.compile(
    rf"\bso far this year\b|\bsince the (?:start|beginning) of (?:the )?(?:year|month|(?:19|20)\d\d|{_MONTH_NAMES})\b|\bin total\b|\bthis year\b|\bper (?:year|month)\b|"
    r"\bstrength\b|\bbetween [\d,]+ and [\d,]+ (?:fighters|militants|members)\b|\bhave been killed in\b|"
    r"\b(?:carried out|mounted|launched|staged|claimed) (?:more than |over |at least |some )?[\d,]+ (?:attacks|operations|offensives)\b|"
    r"\b(?:over|more than) [\d,]+ (?:attacks|operations|offensives)\b|\bover the (?:past|last) (?:year|month|\w+ months)\b|"
    rf"\bbetween {_MONTH_NAMES} \d{{1,2}} and\b|\b(?:dozens|scores|hundreds) of attacks\b",
    re.IGNORECASE,
)
# A one- or two-word quotation is emphasis, not speech: "were “martyred” in an attack".
_SCARE_QUOTES_RE = re.compile(r"[“\"‘']([\w-]+(?:\s[\w-]+)?)[”\"’']")
# The day a source spoke ("police told reporters on Friday that ...") is not the event's.
_REPORTING_DAY_RE = re.compile(
    r"\b(?:said|says|reported|reports|told|announced|confirmed|stated|added|disclosed|informed|quoted|learnt|learned)"
    r"(?:\s+[\w']+){0,3}?\s+(?:on\s+)?(?:late\s+|early\s+)?$",
    re.IGNORECASE,
)
_REPORTED_THAT_RE = re.compile(
    r"\b(?:said|say|says|told|reported|reports|confirmed|announced|stated|added|disclosed|learnt|learned|explained)\b"
    r"(?:[^,;]*?\bthat\s|\s+(?=(?:the|a|an|two|three|four|five|\d+)\s))",
    re.IGNORECASE,
)
_COMMENTARY_RE = re.compile(r"^\W*(?:this|that|it)\s+(?:was|is|has been|marks|marked|came|comes|ranked|ranks)\b", re.IGNORECASE)
_NOW_KINDS = frozenset({"today", "yesterday", "day_before_yesterday", "days_ago"})
_ANAPHORA_RE = re.compile(
    r"\bthe (?:attack|blast|explosion|bombing|clash(?:es)?|ambush|incident|operation|strike|raid|kidnapping|shooting)\b",
    re.IGNORECASE,
)
# A sentence that only says where a place lies ("Tamur lies south of the town", "X is a sub-district of Y").
_DESCRIPTION_RE = re.compile(
    r"\b(?:lies|lie|located|situated|is part of|belongs? to|falls? (?:within|under)|administratively)\b|"
    r"\bis (?:a|an|the) (?:\w+ )?(?:village|town|sub-?district|district|area|city|region|nahiya)\b|"
    r"\b(?:which|that|it) (?:is|was|lies) (?:in|near|within)\b",
    re.IGNORECASE,
)
# A claim by the attackers: the numbers are theirs, not an account of the event.
_CLAIM_RE = re.compile(
    r"\b(?:isis|isil|daesh|islamic state|the (?:militant |terrorist |extremist )?group)(?:\s+[\w'’()-]+){0,4}?\s+"
    r"(?:said|says|claimed|claims|announced|boasted)\b|\bpropaganda\b|\bclaimed responsibility\b",
    re.IGNORECASE,
)


@dataclass
class SentenceFacts:
    """What one sentence says about an event, statements and attributions removed.

    ``background`` marks a sentence that turns to the past (it closes the incident being
    told); ``descriptive`` one that only says where a place lies; ``headline`` the headline.
    """

    sentence: Sentence
    event_text: str
    dates: list[DateMention]
    places: list[Any]  # geo.gazetteer.mentions.PlaceMention
    casualties: Casualties
    eventful: bool
    separator: bool
    leading_date: DateMention | None
    background: bool = False
    descriptive: bool = False
    headline: bool = False
    # "late last night" inside a quotation: relative to when the speaker spoke, not to publication.
    quoted_dates: list[DateMention] = field(default_factory=list)
    # Who the sentence quotes ("reuters", "reporter", "police"; "he" for a pronoun), if anyone.
    source: str | None = None


def _clause_spans(sentence: Sentence) -> list[tuple[int, int, bool]]:
    """(start, end, is_statement) for the comma/semicolon/quote clauses of a sentence, absolute offsets."""
    spans = []
    cursor = 0
    text = sentence.text
    for match in list(re.finditer(r",(?!\s*\d{4}\b)|;|[“”\"]|\s—\s|\s–\s", text)) + [None]:
        cut = match.start() if match else len(text)
        clause = text[cursor:cut]
        if clause.strip():
            said = _REPORTED_THAT_RE.search(clause) if is_statement(clause) else None
            if said:
                # "police told reporters that gunmen had crept into Tamur": what was said is the event.
                split = cursor + said.end()
                spans.append((sentence.start + cursor, sentence.start + split, True))
                spans.append((sentence.start + split, sentence.start + cut, is_statement(text[split:cut])))
            else:
                spans.append((sentence.start + cursor, sentence.start + cut, is_statement(clause)))
        cursor = match.end() if match else len(text)
    return spans


def _inside(spans: list[tuple[int, int, bool]], start: int, end: int) -> bool:
    """True when a phrase starting at ``start`` begins in a clause that reports an event (not a statement)."""
    return any(s <= start < e + 1 and not statement for s, e, statement in spans)


def sentence_facts(
    sentence: Sentence, mentions: list[Any], published: date | None, headline: bool = False
) -> SentenceFacts | None:
    """The event facts of one sentence, or None when it says nothing the incidents need.

    A sentence that reports no event is still kept when it turns to the background (so
    it closes the incident being told) or says where a place lies.
    """
    analysed = replace(sentence, text=_SCARE_QUOTES_RE.sub(lambda m: " " + m.group(1) + " ", sentence.text))
    spans = _clause_spans(analysed)
    event_text = ", ".join(
        analysed.text[s - sentence.start:e - sentence.start].strip() for s, e, statement in spans if not statement
    )
    dates = [
        DateMention(d.start + sentence.start, d.end + sentence.start, d.surface, d.kind, d.date, d.precision, d.reason)
        for d in find_dates(sentence.text, published)
        if not _REPORTING_DAY_RE.search(sentence.text[max(0, d.start - 40):d.start])
    ]
    dates = [d for d in dates if _inside(spans, d.start, d.end)]
    quotes = _quoted_spans(sentence)
    quoted = [d for d in dates if d.kind in _NOW_KINDS and any(s <= d.start < e for s, e in quotes)]
    dates = [d for d in dates if d not in quoted]
    places = [m for m in mentions if sentence.start <= m.start < sentence.end and _inside(spans, m.start, m.end)]
    background = opens_with_background(sentence.text)
    # "It was the third such raid this year": a comment on the incident told, not another one.
    commentary = bool(_COMMENTARY_RE.match(sentence.text))
    # Totals and estimates ("killed in 2024", "strength of 3,000") describe no single event.
    if _AGGREGATE_RE.search(sentence.text) or (
        any(d.kind == "year" for d in dates) and not any(d.kind != "year" for d in dates)
    ):
        return barrier(sentence)
    dates = [d for d in dates if d.kind != "year"]
    # Numbers inside dates ("On January 3 the US killed ...") count nobody.
    counted_text = event_text
    for d in find_dates(counted_text, None):
        counted_text = counted_text[:d.start] + " " * (d.end - d.start) + counted_text[d.end:]
    casualties = count_casualties(counted_text)
    if casualties.any and _CLAIM_RE.search(sentence.text):
        casualties = Casualties(reasons=(f"claimed by the attackers, not confirmed: '{sentence.text[:80]}'",))
    # A stated toll is an event even in words the cue tables lack ("killing a commander").
    eventful = (happened(event_text) and not commentary) or bool(casualties.killed or casualties.wounded)
    if commentary:
        dates = []
    # "the attack on January 15": a later sentence dating the same event adds its date.
    recalls = bool(dates) and bool(_ANAPHORA_RE.search(event_text))
    if not eventful and not casualties.any and not recalls:
        if background or (dates and not places):
            return replace(barrier(sentence), dates=dates)
        if places and _DESCRIPTION_RE.search(sentence.text) and not headline:
            return SentenceFacts(sentence, "", [], places, Casualties(), False, False, None, descriptive=True)
        return None
    leading = next((d for d in dates if d.start - sentence.start <= 25), None)
    return SentenceFacts(
        sentence, event_text, dates, places, casualties, eventful,
        bool(_SEPARATOR_RE.search(sentence.text)), leading, background=background, headline=headline,
        quoted_dates=quoted, source=speaker(sentence.text),
    )


def speaker(text: str) -> str | None:
    """The head word of whoever a sentence quotes, lower case ("as two officers quoted by AFP put it" -> "afp").

    >>> speaker("Two died, according to the local reporter in Daquq."), speaker("He added that two were hurt.")
    ('reporter', 'he')
    """
    quoted_by = re.search(r"\bquoted by (?:the )?([A-Z][\w-]*)", text)
    if quoted_by:
        return quoted_by.group(1).lower()
    according = re.search(r"\baccording to (?:the |a |an )?([^,.;“”\"()]{2,60})", text, re.IGNORECASE)
    if according:
        who = re.split(r"\s(?:who|in|at|of|on|to|from|as|with)\s", according.group(1).strip() + " ")[0].split()
        return who[-1].lower().strip("’'") if who else None
    verb = re.search(r"\b(?:said|says|told|added|stated|confirmed|reported)\b", text)
    if verb and verb.start() > 0:
        before = re.findall(r"[A-Za-z][\w-]*", text[:verb.start()].rstrip(" ,”\"'’"))
        return before[-1].lower() if before else None
    return None


def _quoted_spans(sentence: Sentence) -> list[tuple[int, int]]:
    """Absolute spans of the quotations in a sentence (an unclosed quotation runs to its end)."""
    spans, opened = [], None
    for match in re.finditer(r"[“”\"]", sentence.text):
        mark = match.group(0)
        if opened is None and mark != "”":
            opened = match.start()
        elif opened is not None and mark != "“":
            spans.append((sentence.start + opened, sentence.start + match.end()))
            opened = None
    if opened is not None:
        spans.append((sentence.start + opened, sentence.end))
    return spans


def opens_with_background(text: str) -> bool:
    """True when a sentence opens by turning to the past ("A month ago gunmen burned ...").

    A background phrase deep in a sentence ("..., which troops took earlier this month")
    qualifies a detail; it does not move the sentence to the background.

    >>> opens_with_background("Last week militants attacked a post."), opens_with_background("They held it until last week.")
    (True, False)
    """
    return any(
        (m.start() <= BACKGROUND_LEAD_CHARS and m.start() < len(text) / 2) or m.group(0).endswith(".")
        for m in _BACKGROUND_RE.finditer(text)
    )


def barrier(sentence: Sentence) -> SentenceFacts:
    """A sentence that reports no event of its own but closes the incident being told."""
    return SentenceFacts(sentence, "", [], [], Casualties(), False, False, None, background=True)
