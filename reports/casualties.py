"""Casualty counts in report sentences: killed, wounded, arrested, abducted, per side.

Reports give casualties as digits ("3 soldiers"), number words ("four ISIS fighters",
"a dozen"), noun phrases ("the death of a security officer", "the bodies of four
fighters") and vague words ("several", "dozens"). DESIGN.md: ``fatalities`` is what the
source states; a vague word gives no number and a review reason, never an invented one;
bodies recovered count as killed; arrested and abducted people are not casualties. The
words are in :mod:`reports.casualty_words`, the phrases of real reporting that need more
than a pattern in :mod:`reports.casualty_phrases`.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field, replace

from reports.casualty_phrases import (
    ANIMALS_RE, SUBSET_RE, bombers_and_bodies, companions, lives_lost, shared_sides, subject_before_aside, without_recaps,
)
from reports.casualty_words import (
    ACTIVE, AUX, KINDS, NOUNS, NP_WORD, NUMBER_RE, ONE_NUMBER, SINGULAR_PERSONS, VAGUE_RE, CasualtyMention, Span,
    classify_side, cut_noun_phrase, mention_from, parse_number,
)

__all__ = ["Casualties", "CasualtyMention", "classify_side", "count_casualties", "find_casualties",
           "merge_casualties", "conflicting_figures", "parse_number"]

_VERB_RE = re.compile(
    r"\b(?P<verb>"
    + "|".join(f"(?P<{kind}>{ACTIVE[kind]}|{pattern})" for kind, pattern in KINDS.items())
    + r")\b",
    re.IGNORECASE,
)
_NOUN_RE = re.compile(
    r"\b(?:" + "|".join(f"(?P<{kind}>{pattern})" for kind, pattern in NOUNS.items()) + r")\s+", re.IGNORECASE
)
_BODIES_RE = re.compile(rf"\b(?P<num>{ONE_NUMBER})\s+(?:\w+\s+){{0,2}}?(?:bodies|corpses)\b", re.IGNORECASE)
_NONE_RE = re.compile(
    r"\bno (?:casualties|injuries|deaths|fatalities|one was (?:killed|hurt|injured|wounded))\b|\bwithout casualties\b"
    r"|\bcaused no (?:casualties|injuries)\b|\bno (?:immediate )?reports? of casualties\b",
    re.IGNORECASE,
)
_DEFINITE_CONJUNCT_RE = re.compile(
    rf"\bthe\s+(?P<np>(?:{NP_WORD}\s+){{0,2}}?(?:{'|'.join(SINGULAR_PERSONS)}))\s+and\s*$", re.IGNORECASE
)


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
    # A counted death "along with several" others: the total is not known, whatever else is counted.
    killed_unknown: bool = False
    # (kind, side) of every counted mention, to tell one source's figures from another's.
    sides: tuple[tuple[str, str | None], ...] = ()

    @property
    def any(self) -> bool:
        """True when the text states any casualty, arrest or abduction (or a vague one)."""
        values = (self.killed, self.wounded, self.arrested, self.abducted)
        return any(v is not None for v in values) or bool(self.reasons) or self.none_reported


def _clause_start(text: str, end: int) -> int:
    """Where the clause holding position ``end`` starts (after the last , ; : or sentence stop)."""
    cut = max(text.rfind(mark, 0, end) for mark in (",", ";", ":", ". ", "—", " – ", "“", '"'))
    return cut + 1 if cut >= 0 else 0


def _number_before(window: str) -> tuple[re.Match[str] | None, str, bool]:
    """The number phrase that a passive verb at the end of ``window`` counts, its noun phrase, and vagueness."""
    pattern = re.compile(
        rf"(?P<q>{VAGUE_RE.pattern}|{NUMBER_RE.pattern})\s+(?P<np>(?:{NP_WORD}\s+){{0,8}}?){AUX}$", re.IGNORECASE
    )
    best = None
    for boundary in re.finditer(r"\b\w", window):
        match = pattern.match(window, boundary.start())
        if match and not re.search(rf"\b{ONE_NUMBER}\b", match.group("np"), re.IGNORECASE):
            if not re.search(r"\b(?:by|with|of the bodies)\b|\b(?:and|or|but|then)\s*$", match.group("np")):
                best = match
                break
    if best is None:
        return None, "", False
    vague = bool(VAGUE_RE.fullmatch(best.group("q").strip()))
    return best, best.group("np"), vague


def find_casualties(sentence: str) -> list[CasualtyMention]:
    """Every casualty statement in one sentence, in text order.

    >>> [(m.kind, m.count, m.side) for m in find_casualties("Two soldiers were killed and three others wounded.")]
    [('killed', 2, 'security_forces'), ('wounded', 3, None)]
    """
    mentions: list[CasualtyMention] = []
    used: list[tuple[int, int]] = []

    def add(mention: CasualtyMention | None) -> None:
        if mention is None or mention.count == 0 or ANIMALS_RE.search(mention.surface):
            return
        if any(mention.start < e and s < mention.end for s, e in used):
            return
        used.append((mention.start, mention.end))
        mentions.append(mention)

    for match in _NOUN_RE.finditer(sentence):
        kind = "killed" if match.group("killed") else "wounded"
        rest = sentence[match.end():]
        number = re.match(rf"(?P<q>{VAGUE_RE.pattern}|{NUMBER_RE.pattern}|another)\s*(?P<np>(?:{NP_WORD}\s*){{0,5}})", rest, re.IGNORECASE)
        if number:
            np = cut_noun_phrase(number.group("np"))
            q = number.group("q")
            end = match.end() + number.start("np") + len(np.rstrip())
            vague = bool(VAGUE_RE.fullmatch(q.strip()))
            add(mention_from(Span(match.start(), end, sentence[match.start():end]), q, kind, np, 0, vague))
    for match in _BODIES_RE.finditer(sentence):
        add(mention_from(match, match.group("num"), "killed", match.group(0), 0, False))
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
        if re.search(r"\b(?:had|has|have)\s*$", window, re.IGNORECASE) or _OBJECT_AFTER_RE.match(sentence, match.end()):
            window = ""  # "militants had killed three troops", "a bomb wounded three soldiers": active, the count follows
        number, np, vague = _number_before(window)
        if number is not None and _WEAPON_RE.search(np):
            number = None  # "a roadside bomb wounded ...": the subject is what hit them, not who was hit
        if number is None and not window.strip(" ,") or re.fullmatch(rf"\s*{AUX}", window):
            # "A Peshmerga brigadier, familiar to ..., lost his life": the subject is before the aside.
            subject, subject_offset = subject_before_aside(sentence, start)
            if subject is not None:
                number, np, vague = _number_before(subject + " ")
                window_offset = subject_offset
        if number is not None:
            if verb == "left":
                continue
            mention = mention_from(number, number.group("q"), kind, np, window_offset, vague)
            add(replace(mention, end=match.end(), surface=sentence[mention.start:match.end()]))
            # "Two soldiers and three civilians were killed": earlier conjuncts share the verb.
            head = sentence[window_offset:window_offset + number.start()]
            conjunct = re.compile(rf"(?P<q>{NUMBER_RE.pattern})\s+(?P<np>(?:{NP_WORD}\s+){{0,4}}?)(?:and|,)\s*$", re.IGNORECASE)
            while (found := conjunct.search(head)) and not vague:
                add(mention_from(Span(window_offset + found.start(), window_offset + found.end(), found.group(0)),
                                  found.group("q"), kind, found.group("np"), 0, False))
                head = head[:found.start()]
            if (single := _DEFINITE_CONJUNCT_RE.search(head)) and not vague:
                add(mention_from(Span(window_offset + single.start(), window_offset + single.end(), single.group(0)),
                                  "one", kind, single.group("np"), 0, False))
            continue
        # Active: "killing two soldiers", "left three dead".
        if re.fullmatch(ACTIVE[kind], verb, re.IGNORECASE):
            rest = sentence[match.end():]
            after = re.match(
                rf"\s+(?P<q>{VAGUE_RE.pattern}|{NUMBER_RE.pattern})(?:\s+|(?=[,.;])|$)(?P<np>(?:{NP_WORD}\s*){{0,6}})", rest, re.IGNORECASE
            )
            if after:
                np = cut_noun_phrase(after.group("np"))
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
                add(mention_from(Span(match.start(), end, sentence[match.start():end]),
                                  after.group("q"), real_kind, np, 0, vague))
                for extra in _objects_after(sentence, end, real_kind):
                    add(extra)
    for extra in companions(sentence, mentions) + lives_lost(sentence) + bombers_and_bodies(sentence, mentions):
        add(extra)
    return shared_sides(sorted(mentions, key=lambda m: m.start))


# A number and a person right after a verb: the verb is active ("a bomb wounded three soldiers").
_OBJECT_AFTER_RE = re.compile(
    rf"\s+(?:{NUMBER_RE.pattern})\s+(?!(?:days?|hours?|weeks?|months?|years?|km|kilomet\w*|miles?)\b){NP_WORD}", re.IGNORECASE
)
_WEAPON_RE = re.compile(r"\b(?:bombs?|devices?|mines?|shells?|rockets?|mortars?|explosions?|blasts?|attacks?|strikes?|ied)\b", re.IGNORECASE)
_NEXT_OBJECT_RE = re.compile(
    rf"\s*(?:,\s*(?:and\s+)?|\s+and\s+|\s+as well as\s+)(?P<q>{NUMBER_RE.pattern})\s+(?P<np>(?:{NP_WORD}\s*){{1,5}})",
    re.IGNORECASE,
)


def _objects_after(sentence: str, end: int, kind: str) -> list[CasualtyMention]:
    """The further objects of an active verb: "killing two policemen and a civilian" counts the civilian too."""
    found = []
    while match := _NEXT_OBJECT_RE.match(sentence, end):
        np = cut_noun_phrase(match.group("np"))
        if not classify_side(np) and not re.search(r"\b(?:people|persons|others|men)\b", np, re.IGNORECASE):
            break
        stop = match.start("np") + len(np.rstrip())
        found.append(mention_from(Span(match.start("q"), stop, sentence[match.start("q"):stop]), match.group("q"), kind, np, 0, False))
        end = stop
    return found


def count_casualties(sentence: str) -> Casualties:
    """The casualty totals one sentence states (mentions summed: they name different people).

    Two exceptions to the sum: one person singled out after a total of the same kind
    ("74 wounded; a colonel was hurt") is among that total, and "the death of" someone
    recalled before a new toll in the sentence is not part of it.
    """
    mentions = [m for m in without_recaps(find_casualties(sentence)) if not SUBSET_RE.search(m.surface)]
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
    unknown = any(m.count is None and m.kind == "killed" and re.match(r"(?:along|together)\s", m.surface, re.IGNORECASE)
                  for m in mentions)
    return Casualties(
        killed=None if unknown else totals.get("killed"),
        killed_unknown=unknown,
        sides=tuple((m.kind, m.side) for m in mentions if m.count is not None),
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


def merge_casualties(parts: list[Casualties], sources: list[str | None] | None = None) -> Casualties:
    """An incident's casualties from its sentences' counts.

    Reports restate casualties ("an officer was killed" ... "one officer was martyred"),
    so each figure is the largest any sentence gives, not the sum; the total killed is
    at least the sum of the per-side figures. With ``sources`` (who each sentence quotes),
    two sources giving different figures for the same people conflict: the figure is left
    empty, the range kept (for deaths) and the conflict given as a reason.
    """
    sides = [_max([getattr(p, f"killed_{s}") for p in parts]) for s in ("security_forces", "militants", "civilians")]
    per_side = sum(v for v in sides if v is not None) if any(v is not None for v in sides) else None
    killed = _max([_max([p.killed for p in parts]), per_side])
    wounded = _max([p.wounded for p in parts])
    reasons = list(dict.fromkeys(r for p in parts for r in p.reasons))
    unknown = any(p.killed_unknown for p in parts)
    low, high = _max([p.killed_low for p in parts]), _max([p.killed_high for p in parts])
    for kind in ("killed", "wounded"):
        conflict = conflicting_figures(parts, sources or [], kind)
        if conflict:
            reasons.append(f"conflicting sources: {kind} " + " vs ".join(f"{n} ({who})" for n, who in conflict))
            if kind == "killed":
                unknown, low, high = True, min(n for n, _ in conflict), max(n for n, _ in conflict)
            else:
                wounded = None
    return Casualties(
        killed=None if unknown else killed,
        killed_unknown=unknown,
        killed_low=low,
        killed_high=high,
        killed_security_forces=sides[0],
        killed_militants=sides[1],
        killed_civilians=sides[2],
        wounded=wounded,
        arrested=_max([p.arrested for p in parts]),
        abducted=_max([p.abducted for p in parts]),
        none_reported=any(p.none_reported for p in parts),
        reasons=tuple(reasons),
    )


def conflicting_figures(parts: list[Casualties], sources: list[str | None], kind: str) -> list[tuple[int, str]]:
    """(figure, source) pairs of two named sources that give different figures of one kind for the same people.

    Figures for different sides add up ("four Peshmerga" from one, "a civilian as well"
    from another); a figure of one side against one for nobody in particular does not.
    """
    named = [(getattr(p, kind), frozenset(side for k, side in p.sides if k == kind), who)
             for p, who in zip(parts, sources) if who and getattr(p, kind)]
    for i, (value, sides, who) in enumerate(named):
        for other_value, other_sides, other_who in named[i + 1:]:
            if who == other_who or value == other_value:
                continue
            disjoint = None not in sides and None not in other_sides and not sides & other_sides
            if not disjoint:
                return [(value, who), (other_value, other_who)]
    return []
