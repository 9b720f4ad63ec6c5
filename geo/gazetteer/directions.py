"""Qualifying words around a place name: directions, distances and administrative levels.

"20 km west of Hawija", "on the outskirts of Daquq", "southern Kirkuk", "Kirkuk province",
"the Qarahanjir sub-district of Kirkuk", "ناحية ليلان": the words around a name say how
precise the place is and which level of place is meant. These pure functions find those
words; the gazetteer decides what they do to a result.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

BEARINGS = {
    "north": "N", "south": "S", "east": "E", "west": "W",
    "northeast": "NE", "northwest": "NW", "southeast": "SE", "southwest": "SW",
    "شمال": "N", "جنوب": "S", "شرق": "E", "غرب": "W",
    "باکوور": "N", "باشوور": "S", "ڕۆژهەڵات": "E", "ڕۆژئاوا": "W",
}
# "district" in English reports is loose: "Laylan district" is the Lilan sub-district.
LEVEL_WORDS = {
    "province": "governorate", "governorate": "governorate", "muhafaza": "governorate",
    "district": "district", "qadha": "district", "qada": "district", "qadaa": "district",
    "sub-district": "sub-district", "subdistrict": "sub-district", "sub district": "sub-district",
    "nahiya": "sub-district", "nahiyah": "sub-district", "nahiyat": "sub-district",
    "city": "city", "town": "town", "village": "village", "neighbourhood": "neighbourhood",
    "neighborhood": "neighbourhood", "quarter": "neighbourhood", "oil field": "oil field",
    "field": "oil field", "oilfield": "oil field", "air base": "military site", "base": "military site",
    "valley": "valley", "mountains": "mountain", "mountain": "mountain", "hills": "mountain",
    "محافظة": "governorate", "قضاء": "district", "ناحية": "sub-district", "مدينة": "city",
    "قرية": "village", "حي": "neighbourhood", "حقل": "oil field",
    "پارێزگای": "governorate", "قەزای": "district", "ناحیەی": "sub-district", "شاری": "city",
    "گوندی": "village", "گەڕەکی": "neighbourhood",
}
_BEARING_WORD = r"north[- ]?east|north[- ]?west|south[- ]?east|south[- ]?west|north|south|east|west"
_DISTANCE = (r"(?:(?:about|some|around|nearly|roughly|approximately)\s+)?(?P<km>\d+(?:\.\d+)?)\s*"
             r"(?P<unit>km|kms|kilomet(?:er|re)s?|mi|miles?)")
_OF_LEVEL = (r"\s+(?:the\s+)?(?:(?P<level>province|governorate|district|sub-?district|nahiya|city|town|village)"
             r"\s+of\s+(?:the\s+)?)?$")
# Tried in order; each ends where the place name begins.
_LATIN_LEFT = (
    ("direction", re.compile(rf"{_DISTANCE}[\s-]+(?:to\s+the\s+)?(?P<bearing>{_BEARING_WORD})\s+of{_OF_LEVEL}", re.I)),
    ("direction", re.compile(rf"\b(?P<bearing>{_BEARING_WORD})\s+of{_OF_LEVEL}", re.I)),
    ("part", re.compile(rf"\b(?P<bearing>{_BEARING_WORD})ern{_OF_LEVEL}", re.I)),
    ("part", re.compile(rf"\b(?P<bearing>{_BEARING_WORD}|central|rural)(?=\s){_OF_LEVEL}", re.I)),
    ("near", re.compile(
        r"\b(?:(?:on\s+)?the\s+outskirts\s+of|outskirts\s+of|the\s+edge\s+of|(?:in\s+)?the\s+vicinity\s+of"
        rf"|outside(?:\s+of)?|near(?:by)?|close\s+to|around|the\s+periphery\s+of){_OF_LEVEL}", re.I)),
)
_LATIN_LEVEL_LEFT = re.compile(
    r"(?:the\s+)?(?P<level>province|governorate|district|sub-?district|nahiya|nahiyat|qadha|city|town|village|neighbou?rhood)"
    r"\s+(?:of\s+)?(?:the\s+)?$",
    re.IGNORECASE,
)
_LATIN_RIGHT = re.compile(
    r"^(?P<space>[\s-]+)(?P<level>province|governorate|district|sub-?district|sub district|nahiya|city|town|village"
    r"|neighbou?rhood|quarter|oil\s?field|field|air\s+base|base|mountains?|hills|valley|outskirts|area|region)\b"
    r"(?P<of>\s+of(?=\s))?",
    re.IGNORECASE,
)
_ARABIC_LEFT = re.compile(
    r"(?:(?P<bearing>(?:شمال|جنوب)(?:ي)?\s+(?:شرق|غرب)|شمال|جنوب|شرق|غرب|باکووری|باشووری|ڕۆژهەڵاتی|ڕۆژئاوای)(?:ي|ی)?"
    r"|(?P<outskirts>قرب|أطراف|اطراف|ضواحي|بالقرب من|نزیک)"
    r"|(?P<level>محافظة|قضاء|ناحية|قرية|مدينة|حي|حقل|پارێزگای|قەزای|ناحیەی|گوندی|شاری|گەڕەکی))\s+$"
)


# Any word that can start or end a qualifier: a cheap test before the full parse.
_QUALIFIER_WORDS = re.compile(
    r"\b(?:north|south|east|west)|\b(?:central|rural|outskirts|edge|vicinity|outside|near|nearby|close|around"
    r"|periphery|province|governorate|district|sub-?district|nahiya\w*|qadha|qada|qadaa|city|town|village"
    r"|neighbou?rhood|quarter|field|oilfield|base|mountains?|hills|valley|area|region|km|kms|kilomet\w*|miles?)\b"
    r"|محافظة|قضاء|ناحية|قرية|مدينة|حي|حقل|قرب|أطراف|اطراف|ضواحي|شمال|جنوب|شرق|غرب"
    r"|پارێزگای|قەزای|ناحیەی|گوندی|شاری|گەڕەکی|باکوور|باشوور|ڕۆژهەڵات|ڕۆژئاوا|نزیک",
    re.IGNORECASE,
)
_WORD = re.compile(r"\S+")


def has_qualifier_words(text: str) -> bool:
    """True when a text holds any word a qualifier is made of (a fast pre-check).

    >>> has_qualifier_words("Qara Hanjir"), has_qualifier_words("south of Kirkuk")
    (False, True)
    """
    return _QUALIFIER_WORDS.search(text) is not None


@dataclass(frozen=True)
class Qualifier:
    """What the words around a place name add: a level of place and/or a vaguer relation.

    ``relation`` is None (the place itself), ``near`` (near/outskirts/outside),
    ``direction`` ("south of", "20 km west of") or ``part`` ("southern Kirkuk").
    """

    level: str | None = None
    relation: str | None = None
    bearing: str | None = None
    distance_km: float | None = None
    phrase: str = ""

    @property
    def lowers_precision(self) -> bool:
        """True when the words say the event was near or in part of the place, not at it."""
        return self.relation is not None

    def describe(self, place_name: str) -> str:
        """A short reason for a result: what the qualifier did to the place's point."""
        return f"'{self.phrase.strip()}' {place_name}: point is {place_name}'s, not the event's"


def _distance_km(value: str | None, unit: str | None) -> float | None:
    """Kilometres from a number and its unit word; miles converted."""
    if value is None:
        return None
    km = float(value)
    return round(km * 1.609344, 1) if unit and unit.lower().startswith("mi") else km


def _bearing_code(word: str | None) -> str | None:
    """N/S/E/W/NE/... from a bearing word (any hyphenation or script)."""
    if not word:
        return None
    parts = [BEARINGS.get(p.rstrip("يی")) or BEARINGS.get(p) for p in word.split()]
    if len(parts) == 2 and all(parts):  # Arabic "جنوب شرق": south-east
        return parts[0] + parts[1]
    return BEARINGS.get(re.sub(r"[\s-]", "", word.lower()))


def _level(word: str | None) -> str | None:
    """The kind of place a level word means (province -> governorate)."""
    if not word:
        return None
    word = re.sub(r"\s+", " ", word.lower())
    return LEVEL_WORDS.get(word) or LEVEL_WORDS.get(word.replace(" ", ""))


def qualifier_before(text_before: str) -> tuple[int, Qualifier | None]:
    """The qualifying words that end ``text_before`` and how many characters they take.

    >>> n, q = qualifier_before("an attack 20 km west of ")
    >>> q.relation, q.bearing, q.distance_km, n
    ('direction', 'W', 20.0, 14)
    >>> qualifier_before("in the Qarahanjir ")[1] is None
    True
    >>> qualifier_before("on the outskirts of ")[1].relation
    'near'
    """
    tail = text_before[-80:]
    for relation, pattern in _LATIN_LEFT:
        match = pattern.search(tail)
        if match is None:
            continue
        groups = match.groupdict()
        bearing = groups.get("bearing")
        qualifier = Qualifier(
            level=_level(groups.get("level")), relation=relation,
            bearing=_bearing_code(bearing) if bearing and bearing.lower() not in ("central", "rural") else None,
            distance_km=_distance_km(groups.get("km"), groups.get("unit")), phrase=match.group(0),
        )
        return len(match.group(0)), qualifier
    match = _ARABIC_LEFT.search(tail)
    if match is not None:
        relation = "direction" if match.group("bearing") else "near" if match.group("outskirts") else None
        qualifier = Qualifier(level=_level(match.group("level")), relation=relation,
                              bearing=_bearing_code(match.group("bearing")), phrase=match.group(0))
        return len(match.group(0)), qualifier
    match = _LATIN_LEVEL_LEFT.search(tail)
    if match is not None:
        return len(match.group(0)), Qualifier(level=_level(match.group("level")), phrase=match.group(0))
    return 0, None


def qualifier_after(text_after: str) -> tuple[int, Qualifier | None, bool]:
    """A level or relation word right after a name; the length taken; whether "of" follows.

    >>> qualifier_after(" province, where")
    (9, Qualifier(level='governorate', relation=None, bearing=None, distance_km=None, phrase=' province'), False)
    >>> qualifier_after(" sub-district of Kirkuk")[2]
    True
    """
    match = _LATIN_RIGHT.match(text_after[:40])
    if match is None:
        return 0, None, False
    word = match.group("level").lower()
    if word == "outskirts":
        return match.end("level"), Qualifier(relation="near", phrase=match.group(0)), False
    if word in ("area", "region"):
        return match.end("level"), Qualifier(relation="part", phrase=match.group(0)), False
    return match.end(), Qualifier(level=_level(word), phrase=match.group(0)), bool(match.group("of"))


def split_query(query: str) -> tuple[str, Qualifier | None]:
    """A free-text query split into the place name and its qualifier, if any.

    >>> split_query("20 km west of Hawija")[0]
    'Hawija'
    >>> name, q = split_query("Laylan district")
    >>> name, q.level
    ('Laylan', 'district')
    >>> split_query("the Qarahanjir sub-district of Kirkuk")[0]
    'Qarahanjir'
    """
    text = query.strip()
    if not has_qualifier_words(text):
        return text, None
    before, after = None, None
    # The qualifier before the name is the longest one: try the last words first.
    for word in reversed(list(_WORD.finditer(text))):
        taken, qualifier = qualifier_before(text[: word.start()])
        if qualifier is not None and taken == word.start():
            before = (word.start(), qualifier)
            break
    core = text[before[0]:] if before else text
    core = re.sub(r"^the\s+", "", core, flags=re.IGNORECASE)
    for word in _WORD.finditer(core):
        taken, qualifier, has_of = qualifier_after(core[word.end():])
        rest = core[word.end() + taken:]
        if qualifier is not None and _is_container(rest, has_of):
            after = (word.end(), qualifier)
            break
    if after:
        core = core[: after[0]]
    qualifiers = [found[1] for found in (before, after) if found is not None]
    if not qualifiers:
        return core.strip(" ,"), None
    return core.strip(" ,"), merge_qualifiers(*qualifiers)


def _is_container(rest: str, after_of: bool) -> bool:
    """True when what follows a qualifier is nothing, or only the containing place.

    "sub-district of Kirkuk", "district, Kirkuk": the container is context, not the place.
    """
    if not rest.strip(" ,."):
        return True
    pattern = r"^\s+[\w' -]+$" if after_of else r"^(?:\s+of|,)\s+[\w' -]+$"
    return re.match(pattern, rest) is not None


def merge_qualifiers(*qualifiers: Qualifier) -> Qualifier:
    """One qualifier from the words before and after a name (first non-empty value wins)."""
    level = next((q.level for q in qualifiers if q.level), None)
    relation = next((q.relation for q in qualifiers if q.relation), None)
    bearing = next((q.bearing for q in qualifiers if q.bearing), None)
    distance = next((q.distance_km for q in qualifiers if q.distance_km is not None), None)
    phrase = " … ".join(q.phrase.strip() for q in qualifiers)
    return Qualifier(level=level, relation=relation, bearing=bearing, distance_km=distance, phrase=phrase)
