"""Casualty counts in report sentences: killed, wounded, arrested, abducted, per side.

Reports give casualties as digits ("3 soldiers"), number words ("four ISIS fighters",
"a dozen"), noun phrases ("the death of a security officer", "the bodies of four
fighters") and vague words ("several", "dozens"). DESIGN.md: ``fatalities`` is what the
source states; a vague word gives no number and a review reason, never an invented one;
bodies recovered count as killed; arrested and abducted people are not casualties.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field, replace

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
)
_WORD = "|".join(sorted((re.escape(w) for w in UNITS), key=len, reverse=True))
_ONE_NUMBER = rf"(?:\d[\d,]*|(?:{_WORD})(?:-(?:one|two|three|four|five|six|seven|eight|nine))?)"
_QUALIFIER = r"(?:(?:at least|more than|over|about|around|nearly|almost|up to|as many as|some|approximately)\s+)?"
NUMBER_RE = re.compile(
    rf"\b{_QUALIFIER}(?:between\s+(?P<low>{_ONE_NUMBER})\s+and\s+(?P<high>{_ONE_NUMBER})"
    rf"|(?P<low2>{_ONE_NUMBER})\s*(?:-|to|or)\s*(?P<high2>{_ONE_NUMBER})(?=\s)"
    rf"|(?P<n>{_ONE_NUMBER}))\b",
    re.IGNORECASE,
)
VAGUE_RE = re.compile(r"\b(?:" + "|".join(re.escape(w) for w in VAGUE_WORDS) + r")\b", re.IGNORECASE)

KINDS = {
    "killed": r"killed|dead|died|martyred|slain|shot dead|executed|beheaded|lost (?:their|his|her) li(?:ves|fe)|perished",
    "wounded": r"wounded|injured|hurt|maimed",
    "arrested": r"arrested|captured|detained|apprehended|taken into custody|rounded up",
    "abducted": r"kidnapped|abducted|seized",
}
ACTIVE = {
    "killed": r"killing|killed|shot dead|executing|executed|left",
    "wounded": r"wounding|wounded|injuring|injured",
    "arrested": r"arresting|arrested|capturing|captured|detaining|detained|apprehended|apprehending",
    "abducted": r"kidnapping|kidnapped|abducting|abducted",
}
NOUNS = {
    "killed": r"(?:the\s+)?(?:deaths?|bodies|body|remains|killing)\s+of",
    "wounded": r"(?:the\s+)?(?:injur(?:y|ies)|wounding)\s+(?:of|to)",
}
_VERB_RE = re.compile(
    r"\b(?P<verb>"
    + "|".join(f"(?P<{kind}>{ACTIVE[kind]}|{pattern})" for kind, pattern in KINDS.items())
    + r")\b",
    re.IGNORECASE,
)
_NOUN_RE = re.compile(
    r"\b(?:" + "|".join(f"(?P<{kind}>{pattern})" for kind, pattern in NOUNS.items()) + r")\s+", re.IGNORECASE
)
_BODIES_RE = re.compile(rf"\b(?P<num>{_ONE_NUMBER})\s+(?:\w+\s+){{0,2}}?(?:bodies|corpses)\b", re.IGNORECASE)
_NONE_RE = re.compile(
    r"\bno (?:casualties|injuries|deaths|fatalities|one was (?:killed|hurt|injured|wounded))\b|\bwithout casualties\b"
    r"|\bcaused no (?:casualties|injuries)\b|\bno (?:immediate )?reports? of casualties\b",
    re.IGNORECASE,
)
_AUX = r"(?:(?:were|was|have been|had been|has been|are|is|being|got|reportedly|also|later|all|both|allegedly|then|were later)\s+)*"
_NP_WORD = r"[A-Za-z][\w'’\-]*"

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
_DEFINITE_CONJUNCT_RE = re.compile(
    rf"\bthe\s+(?P<np>(?:{_NP_WORD}\s+){{0,2}}?(?:{'|'.join(SINGULAR_PERSONS)}))\s+and\s*$", re.IGNORECASE
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


@dataclass(frozen=True)
class Casualties:
    """Casualty totals of a sentence or an incident, with reasons to review them."""

    killed: int | None = None
    killed_low: int | None = None
    killed_high: int | None = None
    killed_security_forces: int | None = None
    killed_militants: int | None = None
    killed_civilians: int | None = None
    wounded: int | None = None
    arrested: int | None = None
    abducted: int | None = None
    none_reported: bool = False
    reasons: tuple[str, ...] = field(default_factory=tuple)

    @property
    def any(self) -> bool:
        """True when the text states any casualty, arrest or abduction (or a vague one)."""
        values = (self.killed, self.wounded, self.arrested, self.abducted)
        return any(v is not None for v in values) or bool(self.reasons)


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
        return "militants"
    return None


def _clause_start(text: str, end: int) -> int:
    """Where the clause holding position ``end`` starts (after the last , ; : or sentence stop)."""
    cut = max(text.rfind(mark, 0, end) for mark in (",", ";", ":", ". ", "—", " – ", "“", '"'))
    return cut + 1 if cut >= 0 else 0


def _number_before(window: str) -> tuple[re.Match[str] | None, str, bool]:
    """The number phrase that a passive verb at the end of ``window`` counts, its noun phrase, and vagueness."""
    pattern = re.compile(
        rf"(?P<q>{NUMBER_RE.pattern}|{VAGUE_RE.pattern})\s+(?P<np>(?:{_NP_WORD}\s+){{0,8}}?){_AUX}$", re.IGNORECASE
    )
    best = None
    for boundary in re.finditer(r"\b\w", window):
        match = pattern.match(window, boundary.start())
        if match and not re.search(rf"\b{_ONE_NUMBER}\b", match.group("np"), re.IGNORECASE):
            if not re.search(r"\b(?:by|with|of the bodies)\b|\b(?:and|or|but|then)\s*$", match.group("np")):
                best = match
                break
    if best is None:
        return None, "", False
    vague = bool(VAGUE_RE.fullmatch(best.group("q").strip()))
    return best, best.group("np"), vague


def _mention_from(match: re.Match[str], q: str, kind: str, np: str, offset: int, vague: bool) -> CasualtyMention:
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


def find_casualties(sentence: str) -> list[CasualtyMention]:
    """Every casualty statement in one sentence, in text order.

    >>> [(m.kind, m.count, m.side) for m in find_casualties("Two soldiers were killed and three others wounded.")]
    [('killed', 2, 'security_forces'), ('wounded', 3, None)]
    """
    mentions: list[CasualtyMention] = []
    used: list[tuple[int, int]] = []

    def add(mention: CasualtyMention | None) -> None:
        if mention is None or mention.count == 0:
            return
        if any(mention.start < e and s < mention.end for s, e in used):
            return
        used.append((mention.start, mention.end))
        mentions.append(mention)

    for match in _NOUN_RE.finditer(sentence):
        kind = "killed" if match.group("killed") else "wounded"
        rest = sentence[match.end():]
        number = re.match(rf"(?P<q>{NUMBER_RE.pattern}|{VAGUE_RE.pattern}|another)\s*(?P<np>(?:{_NP_WORD}\s*){{0,5}})", rest, re.IGNORECASE)
        if number:
            np = _cut_noun_phrase(number.group("np"))
            q = number.group("q")
            end = match.end() + number.start("np") + len(np.rstrip())
            vague = bool(VAGUE_RE.fullmatch(q.strip()))
            add(_mention_from(_Span(match.start(), end, sentence[match.start():end]), q, kind, np, 0, vague))
    for match in _BODIES_RE.finditer(sentence):
        add(_mention_from(match, match.group("num"), "killed", match.group(0), 0, False))
    for match in _VERB_RE.finditer(sentence):
        kind = next(k for k in KINDS if match.group(k))
        verb = match.group("verb").lower()
        # Passive or adjectival: "two soldiers were killed", "three dead".
        start = _clause_start(sentence, match.start())
        window = sentence[start:match.start()]
        previous_verb = list(_VERB_RE.finditer(window))
        if previous_verb:
            window_offset = start + previous_verb[-1].end()
            window = sentence[window_offset:match.start()]
        else:
            window_offset = start
        number, np, vague = _number_before(window)
        if number is not None:
            if verb == "left":
                continue
            mention = _mention_from(number, number.group("q"), kind, np, window_offset, vague)
            add(replace(mention, end=match.end(), surface=sentence[mention.start:match.end()]))
            # "Two soldiers and three civilians were killed": earlier conjuncts share the verb.
            head = sentence[window_offset:window_offset + number.start()]
            conjunct = re.compile(rf"(?P<q>{NUMBER_RE.pattern})\s+(?P<np>(?:{_NP_WORD}\s+){{0,4}}?)(?:and|,)\s*$", re.IGNORECASE)
            while (found := conjunct.search(head)) and not vague:
                add(_mention_from(_Span(window_offset + found.start(), window_offset + found.end(), found.group(0)),
                                  found.group("q"), kind, found.group("np"), 0, False))
                head = head[:found.start()]
            if (single := _DEFINITE_CONJUNCT_RE.search(head)) and not vague:
                add(_mention_from(_Span(window_offset + single.start(), window_offset + single.end(), single.group(0)),
                                  "one", kind, single.group("np"), 0, False))
            continue
        # Active: "killing two soldiers", "left three dead".
        if re.fullmatch(ACTIVE[kind], verb, re.IGNORECASE):
            rest = sentence[match.end():]
            after = re.match(
                rf"\s+(?P<q>{NUMBER_RE.pattern}|{VAGUE_RE.pattern})\s+(?P<np>(?:{_NP_WORD}\s*){{0,6}})", rest, re.IGNORECASE
            )
            if after:
                np = _cut_noun_phrase(after.group("np"))
                real_kind = kind
                if verb == "left":
                    tail = re.search(r"\b(dead|killed|wounded|injured)\b", after.group("np"), re.IGNORECASE)
                    if not tail:
                        continue
                    real_kind = "killed" if tail.group(1).lower() in ("dead", "killed") else "wounded"
                vague = bool(VAGUE_RE.fullmatch(after.group("q").strip()))
                end = match.end() + after.start("np") + len(np.rstrip())
                if verb == "left":
                    end = match.end() + after.end()
                add(_mention_from(_Span(match.start(), end, sentence[match.start():end]),
                                  after.group("q"), real_kind, np, 0, vague))
    return sorted(mentions, key=lambda m: m.start)


def _cut_noun_phrase(words: str) -> str:
    """The noun phrase before the first word that starts another phrase ("four fighters | following ...")."""
    return re.split(r"\b(?:in|near|on|at|after|following|during|and|who|from|when|while|as|by|with|to|were|was)\b", words)[0]


class _Span:
    """A stand-in for a regex match over a span we assembled ourselves."""

    def __init__(self, start: int, end: int, text: str) -> None:
        self._start, self._end, self._text = start, end, text

    def start(self) -> int:
        return self._start

    def end(self) -> int:
        return self._end

    def group(self, _index: int = 0) -> str:
        return self._text


def count_casualties(sentence: str) -> Casualties:
    """The casualty totals one sentence states (mentions summed: they name different people)."""
    mentions = find_casualties(sentence)
    totals: dict[str, int | None] = {}
    reasons: list[str] = []
    for mention in mentions:
        if mention.count is None:
            who = {"militants": "militants", "security_forces": "security forces", "civilians": "civilians"}.get(
                mention.side or "", "people"
            )
            reasons.append(f"vague casualties: {who} {mention.kind} without a number ('{mention.surface}')")
            continue
        keys = [mention.kind]
        if mention.kind == "killed" and mention.side:
            keys.append(f"killed_{mention.side}")
        if mention.kind == "killed" and mention.low is not None:
            totals["killed_low"] = (totals.get("killed_low") or 0) + (mention.low or 0)
            totals["killed_high"] = (totals.get("killed_high") or 0) + (mention.high or 0)
        for key in keys:
            totals[key] = (totals.get(key) or 0) + mention.count
    return Casualties(
        killed=totals.get("killed"),
        killed_low=totals.get("killed_low"),
        killed_high=totals.get("killed_high"),
        killed_security_forces=totals.get("killed_security_forces"),
        killed_militants=totals.get("killed_militants"),
        killed_civilians=totals.get("killed_civilians"),
        wounded=totals.get("wounded"),
        arrested=totals.get("arrested"),
        abducted=totals.get("abducted"),
        none_reported=bool(_NONE_RE.search(sentence)),
        reasons=tuple(reasons),
    )


def _max(values: list[int | None]) -> int | None:
    known = [v for v in values if v is not None]
    return max(known) if known else None


def merge_casualties(parts: list[Casualties]) -> Casualties:
    """An incident's casualties from its sentences' counts.

    Reports restate casualties ("an officer was killed" ... "one officer was martyred"),
    so each figure is the largest any sentence gives, not the sum; the total killed is
    at least the sum of the per-side figures.
    """
    sides = [_max([getattr(p, f"killed_{s}") for p in parts]) for s in ("security_forces", "militants", "civilians")]
    per_side = sum(v for v in sides if v is not None) if any(v is not None for v in sides) else None
    killed = _max([_max([p.killed for p in parts]), per_side])
    reasons = tuple(dict.fromkeys(r for p in parts for r in p.reasons))
    return Casualties(
        killed=killed,
        killed_low=_max([p.killed_low for p in parts]),
        killed_high=_max([p.killed_high for p in parts]),
        killed_security_forces=sides[0],
        killed_militants=sides[1],
        killed_civilians=sides[2],
        wounded=_max([p.wounded for p in parts]),
        arrested=_max([p.arrested for p in parts]),
        abducted=_max([p.abducted for p in parts]),
        none_reported=any(p.none_reported for p in parts),
        reasons=reasons,
    )
