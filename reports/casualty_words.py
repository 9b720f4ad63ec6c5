"""The words casualties are told in: numbers, vague amounts, the sides people belong to.

The vocabulary of :mod:`reports.casualties`: number words and digits ("four", "a dozen",
"1,500"), the vague words that give no number ("several", "dozens"), and the nouns that
say whose casualties they were (soldiers, militants, shepherds). DESIGN.md: a vague word
gives no number, never an invented one.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

UNITS = {
    "a": 1, "an": 1, "one": 1, "another": 1, "single": 1, "two": 2, "three": 3, "four": 4,
    "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12,
    "thirteen": 13, "fourteen": 14, "fifteen": 15, "sixteen": 16, "seventeen": 17,
    "eighteen": 18, "nineteen": 19, "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50,
    "sixty": 60, "seventy": 70, "eighty": 80, "ninety": 90, "hundred": 100,
    "a dozen": 12, "dozen": 12, "half a dozen": 6, "two dozen": 24, "a couple of": 2, "a pair of": 2,
}
VAGUE_WORDS = (
    "several", "dozens of", "dozens", "scores of", "a number of", "many", "numerous", "multiple",
    "an unspecified number of", "an unknown number of", "unspecified number of", "a few", "some", "hundreds of",
    "a group of", "groups of", "a large number of", "large numbers of", "a handful of",
)
_WORD = "|".join(sorted((re.escape(w) for w in UNITS), key=len, reverse=True))
ONE_NUMBER = rf"(?:\d[\d,]*|(?:{_WORD})(?:-(?:one|two|three|four|five|six|seven|eight|nine))?)"
_QUALIFIER = r"(?:(?:at least|more than|over|about|around|nearly|almost|up to|as many as|some|approximately)\s+)?"
NUMBER_RE = re.compile(
    rf"\b{_QUALIFIER}(?:between\s+(?P<low>{ONE_NUMBER})\s+and\s+(?P<high>{ONE_NUMBER})"
    rf"|(?P<low2>{ONE_NUMBER})\s*(?:-|to|or)\s*(?P<high2>{ONE_NUMBER})(?=\s)"
    rf"|(?P<n>{ONE_NUMBER}))\b",
    re.IGNORECASE,
)
# "some 20 people" is a number; "more than a dozen" is vague (an approximate dozen, not 12).
VAGUE_RE = re.compile(
    r"\b(?:" + "|".join(re.escape(w) if w != "some" else r"some(?!\s+\d)" for w in VAGUE_WORDS)
    + r"|(?:more than|over|nearly|almost|about|around) a dozen)\b",
    re.IGNORECASE,
)
AUX = r"(?:(?:were|was|have been|had been|has been|are|is|being|got|reportedly|also|later|all|both|allegedly|then|were later)\s+)*"
NP_WORD = r"[A-Za-z][\w'’\-]*"

KINDS = {
    "killed": r"killed|dead|died|dies|die|martyred|slain|shot dead|executed|beheaded|lost (?:their|his|her) li(?:ves|fe)|perished",
    "wounded": r"wounded|injured|hurt|maimed",
    "arrested": r"arrested|captured|detained|apprehended|taken into custody|rounded up",
    "abducted": r"kidnapped|abducted|seized",
}
ACTIVE = {
    "killed": r"killing|killed|kills|kill|shot dead|executing|executed|executes|left",
    "wounded": r"wounding|wounded|wounds|injuring|injured|injures",
    "arrested": r"arresting|arrested|capturing|captured|detaining|detained|apprehended|apprehending",
    "abducted": r"kidnapping|kidnapped|abducting|abducted",
}
NOUNS = {
    "killed": r"(?:the\s+)?(?:deaths?|bodies|body|remains|killing)\s+of",
    "wounded": r"(?:the\s+)?(?:injur(?:y|ies)|wounding)\s+(?:of|to)",
}

SIDE_WORDS = {
    "militants": r"isis|isil|daesh|islamic state|\bis\b|militant|insurgent|terrorist|jihadist|bomber|gunm[ae]n|attacker|assailant|cell",
    "security_forces": (
        r"soldier|troop|officer|police|security|army|asayish|peshmerga|commander|guard|servicem[ae]n|personnel|"
        r"pmf|hashd|popular mobili[sz]ation|counter-terrorism|\bcts\b|lieutenant|colonel|captain|sergeant|brigadier|"
        r"major|member of the|members of the|commando|recruit|border"
    ),
    "civilians": (
        r"civilian|shepherd|farmer|child|children|boy|girl|wom[ae]n|\bm[ae]n\b|resident|villager|worker|driver|student|"
        r"teacher|truffle|passer|famil|herder|mukhtar|elder|pilgrim|merchant|labou?rer|engineer|journalist"
    ),
}
# One person named without a number ("the bomber", "the PMF commander"): counted only as a
# conjunct that shares a counted verb ("The bomber and one PMF fighter were killed").
SINGULAR_PERSONS = (
    "bomber", "attacker", "assailant", "gunman", "militant", "insurgent", "terrorist", "jihadist",
    "soldier", "officer", "policeman", "fighter", "commander", "guard", "driver", "shepherd",
    "farmer", "civilian", "child", "boy", "girl", "woman", "man", "resident", "villager", "mukhtar",
)


@dataclass(frozen=True)
class CasualtyMention:
    """One casualty statement: what happened to how many people of which side.

    ``count`` is None for a vague statement ("several fighters were killed").
    """

    start: int
    end: int
    surface: str
    kind: str  # killed, wounded, arrested, abducted
    count: int | None
    side: str | None  # security_forces, militants, civilians, or None (not said)
    low: int | None = None
    high: int | None = None


def parse_number(text: str) -> int | None:
    """An integer from digits or English number words; None when it is not one.

    >>> [parse_number(t) for t in ("4", "four", "a dozen", "twenty-one", "1,500", "several")]
    [4, 4, 12, 21, 1500, None]
    """
    words = re.sub(r"\s+", " ", text.strip().lower())
    words = re.sub(r"^(?:at least|more than|over|about|around|nearly|almost|up to|as many as|some|approximately) ", "", words)
    if re.fullmatch(r"\d[\d,]*", words):
        return int(words.replace(",", ""))
    if words in UNITS:
        return UNITS[words]
    if "-" in words:
        tens, _, unit = words.partition("-")
        if tens in UNITS and unit in UNITS:
            return UNITS[tens] + UNITS[unit]
    return None


def classify_side(noun_phrase: str) -> str | None:
    """The side a noun phrase names: security_forces, militants, civilians or None.

    >>> [classify_side(p) for p in ("ISIS fighters", "Asayish personnel", "shepherds", "people")]
    ['militants', 'security_forces', 'civilians', None]
    """
    text = noun_phrase.lower()
    for side in ("militants", "security_forces", "civilians"):
        if re.search(SIDE_WORDS[side], text):
            if side == "militants" and re.search(r"\bpmf|hashd|popular mobili", text):
                return "security_forces"
            return side
    if re.search(r"\bfighters?\b", text):
        # Kurdish and tribal fighters are on the government's side; fighters alone are the militants.
        return "security_forces" if re.search(r"\b(?:kurdish|tribal|peshmerga|sahwa|government)\b", text) else "militants"
    return None


def mention_from(match: re.Match[str], q: str, kind: str, np: str, offset: int, vague: bool) -> CasualtyMention:
    side = classify_side(np)
    if vague:
        return CasualtyMention(offset + match.start(), offset + match.end(), match.group(0).strip(), kind, None, side)
    number = NUMBER_RE.fullmatch(q.strip())
    low = high = None
    if number and number.group("low"):
        low, high = parse_number(number.group("low")), parse_number(number.group("high"))
    elif number and number.group("low2"):
        low, high = parse_number(number.group("low2")), parse_number(number.group("high2"))
    count = low if low is not None else parse_number(q)
    return CasualtyMention(offset + match.start(), offset + match.end(), match.group(0).strip(), kind, count, side, low, high)


def cut_noun_phrase(words: str) -> str:
    """The noun phrase before the first word that starts another phrase ("four fighters | following ...")."""
    return re.split(r"\b(?:in|near|on|at|after|following|during|and|who|from|when|while|as|by|with|along|together|to|were|was)\b", words)[0]


class Span:
    """A stand-in for a regex match over a span we assembled ourselves."""

    def __init__(self, start: int, end: int, text: str) -> None:
        self._start, self._end, self._text = start, end, text

    def start(self) -> int:
        return self._start

    def end(self) -> int:
        return self._end

    def group(self, _index: int = 0) -> str:
        return self._text
