"""Casualty phrases of real reporting that the general patterns of :mod:`reports.casualties` miss.

"shot an officer together with three of his guards" (the companions count), "the raid
claimed the lives of Ali Hasan, a farmer, and of one gunman" (one per person named),
"three suicide bombers detonated their vests" (numbered attackers count), "his corpse was
recovered" (a body is a death), "A mayor, long known in the area, lost his life" (the
subject before an aside), "40 hurt; a nurse was injured" (one singled out of a total),
"two guards were among the dead" (part of a toll given elsewhere), "twelve goats were killed"
(animals are not casualties).
"""
from __future__ import annotations

import re
from dataclasses import replace

from reports.casualty_words import (
    NP_WORD, NUMBER_RE, VAGUE_RE, CasualtyMention, classify_side, mention_from, parse_number,
)

def shared_sides(mentions: list[CasualtyMention]) -> list[CasualtyMention]:
    """"a commander and five more fighters", "along with five of his men": the others are on the same side."""
    shared = list(mentions)
    for i, mention in enumerate(shared):
        if not re.search(r"\b(?:more|other|others|of (?:his|their|her))\b", mention.surface, re.IGNORECASE):
            continue
        near = [m for m in shared[:i] if m.side and m.kind == mention.kind and mention.start - m.end <= 40]
        if near and near[-1].side != mention.side:
            shared[i] = replace(mention, side=near[-1].side)
    return shared


ANIMALS_RE = re.compile(r"\b(?:cows?|cattle|sheep|goats?|livestock|animals?|camels?|buffalo(?:es)?|horses?|dogs?|poultry)\b", re.IGNORECASE)
# "shot an officer together with three of his guards": the companions are counted too.
_COMPANIONS_RE = re.compile(
    rf"\b(?:along|together)\s+with\s+(?P<q>{VAGUE_RE.pattern}|{NUMBER_RE.pattern})\s+"
    rf"(?P<np>(?:of\s+(?:his|their|her)\s+)?{NP_WORD}(?:\s+{NP_WORD})?)",
    re.IGNORECASE,
)
_PEOPLE_RE = re.compile(r"\bof\s+(?:his|their|her)\b|\b(?:people|persons|men|others|aides|escorts|companions|guards|"
                        r"relatives|sons?|daughters?|wife|family|members|bodyguards)\b", re.IGNORECASE)
_LIVES_RE = re.compile(r"\b(?:cost|claimed|took)\s+the\s+lives?\s+of\s+(?P<list>[^.;]+)", re.IGNORECASE)
_ASIDE_RE = re.compile(r"^\s*(?:who|which|whose|[a-z]|(?:a|an|the)\s)")
_SUICIDE_RE = re.compile(
    rf"(?:(?P<q>{NUMBER_RE.pattern})\s+(?:of\s+(?:them|those)\s+)?)?\bblew\s+(?:up\s+)?(?P<who>himself|themselves)(?:\s+up)?",
    re.IGNORECASE,
)
# "three suicide bombers detonated their vests": numbered attackers who died by their own bombs.
_BOMBERS_RE = re.compile(
    rf"\b(?P<q>{NUMBER_RE.pattern})\s+suicide\s+bombers\s+(?:set off|detonated|blew up)\s+(?:their\s+)?(?:explosives?|vests?|belts?|charges?|themselves)",
    re.IGNORECASE,
)
_CORPSE_RE = re.compile(r"\b(?:corpse|body)\s+(?:was|has been)\s+(?:found|discovered|recovered)\b", re.IGNORECASE)


def subject_before_aside(sentence: str, clause_start: int) -> tuple[str | None, int]:
    """The subject before one or two comma-delimited asides that end just before ``clause_start``."""
    chunks = sentence[:max(clause_start - 1, 0)].split(",")
    offset = max(clause_start - 1, 0)
    for _ in range(2):
        if len(chunks) < 2 or not _ASIDE_RE.match(chunks[-1]):
            return None, 0
        offset -= len(chunks[-1]) + 1
        chunks = chunks[:-1]
        subject = chunks[-1]
        if not _ASIDE_RE.match(subject) or re.match(r"^\s*(?:a|an)\s", subject, re.IGNORECASE):
            return subject, offset - len(subject)
    return None, 0


def companions(sentence: str, found: list[CasualtyMention]) -> list[CasualtyMention]:
    """Those killed "along with" or "together with" someone already counted in the sentence."""
    extra = []
    for match in _COMPANIONS_RE.finditer(sentence):
        before = [m for m in found if m.end <= match.start() and match.start() - m.end <= 40 and m.kind == "killed"]
        verb = re.search(r"\b(?:killed|killing|died|dead)\W*$", sentence[:match.start()].rstrip(" ,"))
        people = _PEOPLE_RE.search(match.group("np")) or classify_side(match.group("np"))
        if (before or verb) and people:
            vague = bool(VAGUE_RE.fullmatch(match.group("q").strip()))
            extra.append(mention_from(match, match.group("q"), "killed", match.group("np"), 0, vague))
    return extra


def lives_lost(sentence: str) -> list[CasualtyMention]:
    """"claimed the lives of Ali Hasan, a farmer, and of one gunman": one person per conjunct, or its number."""
    extra = []
    for match in _LIVES_RE.finditer(sentence):
        cursor = match.start("list")
        for part in re.split(r",?\s+and\s+(?:of\s+)?", match.group("list")):
            start = sentence.index(part, cursor)
            cursor = start + len(part)
            number = NUMBER_RE.match(part.strip())
            count = parse_number(number.group(0)) if number and number.group(0).strip() else None
            extra.append(CasualtyMention(start, cursor, part.strip(), "killed", count if count else 1, classify_side(part)))
    return extra


def bombers_and_bodies(sentence: str, found: list[CasualtyMention]) -> list[CasualtyMention]:
    """Numbered suicide bombers; a bomber who "blew himself up" and a "corpse was found" when nothing else is counted."""
    bombers = [CasualtyMention(m.start(), m.end(), m.group(0), "killed", parse_number(m.group("q")), "militants")
               for m in _BOMBERS_RE.finditer(sentence) if (parse_number(m.group("q")) or 0) > 1]
    if any(m.kind == "killed" for m in found):
        return bombers
    extra = bombers
    for match in _SUICIDE_RE.finditer(sentence):
        count = parse_number(match.group("q")) if match.group("q") else (1 if match.group("who").lower() == "himself" else None)
        if count:
            extra.append(CasualtyMention(match.start(), match.end(), match.group(0), "killed", count, "militants"))
    if not extra and (corpse := _CORPSE_RE.search(sentence)):
        extra.append(CasualtyMention(corpse.start(), corpse.end(), corpse.group(0), "killed", 1, None))
    return extra


# "two guards were among the dead": part of a toll given elsewhere.
SUBSET_RE = re.compile(r"\b(?:were|was) among\b|\bof the (?:dead|killed|victims|wounded|injured)\b|\bamong (?:them|those|the (?:dead|victims|wounded|injured))\b", re.IGNORECASE)
_GENERIC_RE = re.compile(
    r"^\W*(?:at least |more than |some |about )?[\w,-]+\s+(?:people|persons|others|more|victims|civilians and|other)\b"
    r"|^\W*[\w,-]+\s+(?:dead|killed|wounded|injured|hurt)\b"
    r"|^\W*(?:killing|killed|wounding|wounded|injuring|injured)\s+(?:at least |more than )?[\w,-]+\s*$",
    re.IGNORECASE,
)


def without_recaps(mentions: list[CasualtyMention]) -> list[CasualtyMention]:
    """The mentions that add to a sentence's toll (see :func:`count_casualties`)."""
    kept = []
    for mention in mentions:
        later_verb = any(m.start > mention.end and m.kind == mention.kind and not _is_noun(m) for m in mentions)
        if _is_noun(mention) and later_verb:
            continue
        totals = [m for m in kept if m.kind == mention.kind and m.count and m.count > 1 and _GENERIC_RE.search(m.surface)]
        if totals and mention.count == 1 and not re.search(r"\b(?:also|too|as well|another|more)\b", mention.surface, re.IGNORECASE):
            continue
        kept.append(mention)
    return kept


def _is_noun(mention: CasualtyMention) -> bool:
    return bool(re.match(r"(?:the\s+)?(?:deaths?|killing|injur(?:y|ies)|wounding)\s+(?:of|to)\b", mention.surface, re.IGNORECASE))
