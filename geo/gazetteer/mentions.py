"""Place names in running text: which words of a report name a place, and which place.

:func:`find_mentions` walks the words of a report and, at each capitalised Latin word or
Arabic-script word, tries the longest run of words that is an alias in the gazetteer
(exactly, folded, or by phonetic key with a close spelling; never fuzzy, which belongs to
one-name lookup in :meth:`geo.gazetteer.Gazetteer.geocode`). The directional and level
words around a name ("20 km west of", "sub-district of Kirkuk") become its qualifier, and
homonyms are settled by the other places the same text names.

This is the running-text half of :mod:`geo.gazetteer`: it reads the same name index
(:class:`~geo.gazetteer.index.NameIndex`) and ends in the same ranking
(:func:`geo.gazetteer.match.resolve`) as one-name lookup, so both rank candidates the same
way. Imports point one way: this module uses the index and the ranking;
:class:`~geo.gazetteer.Gazetteer` uses this module, never the reverse.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, replace
from functools import lru_cache

from geo.gazetteer.directions import merge_qualifiers, qualifier_after, qualifier_before, split_query
from geo.gazetteer.index import SCORE_KEY, NameIndex
from geo.gazetteer.match import resolve
from geo.gazetteer.normalize import fold, phonetic_key
from geo.gazetteer.places import GeocodeResult, Place

MENTION_MIN_KEY_SCORE = SCORE_KEY - 0.05 * (1 - 0.85)  # key match with spelling ratio >= 85
MAX_MENTION_TOKENS = 6
# Names that are also ordinary words: never a mention on their own in running text.
MENTION_STOPWORDS = frozenset({
    # English words that are (or fold to) aliases or keys in the data
    "the", "said", "says", "forces", "force", "police", "army", "security", "field", "fire", "tea",
    "valley", "death", "eternal", "base", "city", "town", "village", "district", "province",
    "iraq", "iraqi", "kurdistan", "kurdish", "arab", "arabic", "turkmen", "shia", "sunni", "isis",
    "daesh", "islamic", "state", "federal", "government", "ministry", "hero", "diana", "wana",
    "balak", "kanan", "midan", "rabia", "havana", "saladin", "barima", "rabie", "rabi", "quds",
    "riyadh", "riyad", "harir", "dijla", "alam", "shamal", "tuesday", "monday", "sunday", "friday",
    "saturday", "thursday", "wednesday", "january", "june", "july", "may", "march", "april",
    "august", "october", "november", "december", "september", "february", "kik", "orkk",
    # Arabic words that are also village or sub-district names
    "ربيع", "قدس", "شمال", "علم", "دجله", "ميدان", "جنوب", "شرق", "غرب", "مركز", "قريه",
    "ناحيه", "قضاء", "محافظه", "مدينه", "حي", "قرب", "بين", "بعد", "قبل", "عن", "على", "في",
    "من", "الى", "مع", "رياض", "نصر", "سلام", "وحده", "زاب", "تسعين",
})
_TOKEN = re.compile(
    r"[A-Za-z][\w'’‘ʿʾ]*(?:-\d+)?|K-?\d+|[\u0600-\u06ff\u0750-\u077f\ufb50-\ufdff\ufe70-\ufeff]+"
)
_POSSESSIVE = re.compile(r"['’]s$")
_ARABIC_PROCLITICS = ("و", "ب", "ل", "ف")


@dataclass(frozen=True)
class PlaceMention:
    """A place name found in running text: its character span and what it resolves to."""

    start: int
    end: int
    surface: str
    result: GeocodeResult


def find_mentions(index: NameIndex, text: str) -> list[PlaceMention]:
    """Every place named in a report, in text order, with its qualifiers, non-overlapping.

    Only capitalised Latin words (or Arabic-script words) start a name, and words that
    are also ordinary words or famous places elsewhere (``MENTION_STOPWORDS``) match only
    when a level word frames them ("the town of Riyadh"). No fuzzy
    matching here: a misspelt name in running text is left for ``geocode``.
    """
    tokens = _tokenize(text)
    raw: list[tuple[int, int, int, int, dict[int, float]]] = []  # start, end, first, last, scored
    i = 0
    while i < len(tokens):
        hit = _match_at(index, text, tokens, i)
        if hit is None:
            i += 1
            continue
        n, scored = hit
        raw.append((tokens[i].start, tokens[i + n - 1].end, i, i + n - 1, scored))
        i += n
    mentions: list[PlaceMention] = []
    skip_until = -1
    for k, (start, end, _first, last, scored) in enumerate(raw):
        if start < skip_until:
            continue
        following = raw[k + 1] if k + 1 < len(raw) else None
        if tokens[last].possessive and following and following[0] - end <= 3:
            continue  # "Kirkuk's Daquq district": Kirkuk is the container
        taken_before, before = qualifier_before(text[max(0, start - 80):start])
        taken_after, after, has_of = qualifier_after(text[end:end + 40])
        span_start, span_end = start - taken_before, end + taken_after
        if before is not None and before.level is None and before.relation is None:
            span_start = start
        if mentions:
            span_start = max(span_start, mentions[-1].end)  # never overlap the previous mention
        if has_of and following and following[0] - span_end <= 6:
            span_end = following[1]  # "the Qarahanjir sub-district of Kirkuk": the container is context
            skip_until = following[1]
        elif has_of:
            span_end = end + len(text[end:end + 40][:taken_after].rstrip()[: -len("of")].rstrip())
        qualifiers = [q for q in (before, after) if q is not None]
        qualifier = merge_qualifiers(*qualifiers) if qualifiers else None
        surface = text[span_start:span_end]
        result = resolve(index, surface, scored, qualifier)
        mentions.append(PlaceMention(span_start, span_end, surface, result))
    return _settle_ties(index, mentions)


def geocode_with_places(index: NameIndex, mention: PlaceMention, others: list[Place]) -> GeocodeResult:
    """Geocode a mention again, preferring candidates near the other places of its text."""
    core, qualifier = split_query(mention.surface)
    scored = index.lookup(core) or index.lookup(mention.surface)
    if not scored:
        return mention.result
    return resolve(index, mention.surface, scored, qualifier, None, others)


@dataclass(frozen=True)
class _Token:
    """One word of a report, with what the matcher needs precomputed."""

    start: int
    end: int
    script: str
    folded: str
    key: str
    lower: str
    capitalised: bool
    article: bool
    possessive: bool
    digit: bool
    stripped: str  # Arabic word without a one-letter proclitic (wa-, bi-, li-, fa-)


def _match_at(index: NameIndex, text: str, tokens: list[_Token], i: int) -> tuple[int, dict[int, float]] | None:
    """The longest name starting at token i: (number of tokens, scored places)."""
    first = tokens[i]
    if not first.article and not index.may_start_name(first.folded, first.key):
        return None
    if first.script == "latin" and not (first.capitalised or first.article):
        return None
    for n in range(min(MAX_MENTION_TOKENS, len(tokens) - i), 0, -1):
        span = tokens[i:i + n]
        if any(span[j + 1].start - span[j].end > 2 or not _joinable(text[span[j].end:span[j + 1].start])
               for j in range(n - 1)):
            continue
        if any(t.script != first.script for t in span):
            continue
        content = [t for t in span if not (t.article and t is not span[-1])]
        if not content or (first.script == "latin" and not content[0].capitalised):
            continue
        if n == 1 and (first.folded in MENTION_STOPWORDS or first.lower in MENTION_STOPWORDS):
            if not _level_word_adjacent(text, first):
                return None
        if first.script == "latin" and not span[-1].capitalised and not span[-1].digit:
            continue
        phrase = text[span[0].start:span[-1].end]
        if first.possessive and n == 1:
            phrase = _POSSESSIVE.sub("", phrase)
        elif span[-1].possessive:
            phrase = _POSSESSIVE.sub("", phrase)
        scored = index.exact(phrase) or index.folded(" ".join(t.folded for t in content))
        if not scored and span[0].script == "arabic" and n == 1 and first.stripped:
            scored = index.folded(first.stripped)
        if not scored:
            key = "".join(t.key for t in content)
            if len(key) >= 4 and all(t.lower not in MENTION_STOPWORDS for t in content):
                # In running text a shared sound is not enough ("Al Sumaria" is not
                # Samarra): the spelling must also be close to one of the aliases.
                scores = index.by_key(key, " ".join(t.folded for t in content))
                scored = {h: v for h, v in scores.items() if v >= MENTION_MIN_KEY_SCORE}
        if scored:
            if n == 1 and fold(phrase) in MENTION_STOPWORDS and not _level_word_adjacent(text, first):
                return None
            return n, scored
    return None


def _settle_ties(index: NameIndex, mentions: list[PlaceMention]) -> list[PlaceMention]:
    """Re-rank ambiguous mentions using the other places the same text names."""
    if len(mentions) < 2 or not any(m.result.reason and "ambiguous" in m.result.reason for m in mentions):
        return mentions
    settled = []
    for mention in mentions:
        if not (mention.result.reason and "ambiguous" in mention.result.reason):
            settled.append(mention)
            continue
        others = [index.place(m.result.place_id) for m in mentions if m is not mention and m.result.place_id]
        settled.append(replace(mention, result=geocode_with_places(index, mention, others)))
    return settled


def _tokenize(text: str) -> list[_Token]:
    """The words of a text, each folded and keyed once."""
    tokens = []
    for match in _TOKEN.finditer(text):
        word = match.group(0)
        possessive = bool(_POSSESSIVE.search(word))
        bare = _POSSESSIVE.sub("", word)
        lower = bare.lower()
        script = "arabic" if "\u0600" <= word[0] <= "\ufeff" else "latin"
        folded = _fold_token(bare)
        stripped = ""
        if script == "arabic" and word[0] in _ARABIC_PROCLITICS and len(word) > 3:
            stripped = _fold_token(word[1:])
        tokens.append(_Token(
            start=match.start(), end=match.start() + len(bare), script=script, folded=folded,
            key=_key_token(bare), lower=lower, capitalised=bare[0].isupper() or bare[0].isdigit(),
            article=lower in ("al", "el", "ul"), possessive=possessive,
            digit=any(c.isdigit() for c in bare), stripped=stripped,
        ))
    return tokens


@lru_cache(maxsize=65536)
def _fold_token(word: str) -> str:
    """fold() of one word, cached: reports repeat their words."""
    return fold(word)


@lru_cache(maxsize=65536)
def _key_token(word: str) -> str:
    """phonetic_key() of one word, cached."""
    return phonetic_key(word)


def _level_word_adjacent(text: str, token: _Token) -> bool:
    """True when a level word frames the word ("the town of Riyadh", "Riyadh sub-district").

    Lets a place name that is also an ordinary word or a famous place elsewhere count as a
    mention when the report says what kind of place it is.
    """
    _, after, _ = qualifier_after(text[token.end:token.end + 40])
    if after is not None and after.level:
        return True
    _, before = qualifier_before(text[max(0, token.start - 80):token.start])
    return before is not None and before.level is not None


def _joinable(gap: str) -> bool:
    """True when the characters between two words keep them in one name (space or hyphen).

    >>> _joinable(" - "), _joinable(", ")
    (True, False)
    """
    return all(c in " -\u00a0" for c in gap)


__all__ = ["PlaceMention", "find_mentions", "geocode_with_places", "MENTION_STOPWORDS"]
