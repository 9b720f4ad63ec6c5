"""Place mentions the gazetteer's running-text matching does not give, read from the text around them.

"the Hawija-Kirkuk road" and "between Hawija and Zab" (the area the two places share),
"Qara Tapa, ..., is a sub-district" (a name the text calls a place, looked up once more
with spelling tolerance), "in the city" (the city named before it). Each becomes a mention
shaped like :class:`geo.gazetteer.mentions.PlaceMention`, so :mod:`reports.places` treats
it like any other.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from geo.gazetteer import GeocodeResult
from reports.places import GazetteerLike, usable_place


@dataclass(frozen=True)
class AreaMention:
    """A span of text naming an area (a road between two towns), shaped like a place mention."""

    start: int
    end: int
    surface: str
    result: GeocodeResult


_CONNECTOR_RE = re.compile(r"^\s*-\s*$|^\s+and\s+(?:the\s+)?$")
_ROAD_AFTER_RE = re.compile(r"^\s*(?:road|highway|motorway|route)\b", re.IGNORECASE)
_BETWEEN_BEFORE_RE = re.compile(r"\bbetween\s+(?:the\s+)?(?:(?:villages?|towns?|areas?|provinces?|cities) of\s+)?$", re.IGNORECASE)


def join_areas(text: str, mentions: list[Any]) -> list[Any]:
    """Mentions with "A-B road" and "between A and B" each made one area: what A and B share.

    Both ends of a road, or the two places something lies between, are references, not
    where the event was; together they pin it to the district (or governorate) they share,
    and to nothing when they share none.
    """
    joined: list[Any] = []
    i = 0
    while i < len(mentions):
        first = mentions[i]
        second = mentions[i + 1] if i + 1 < len(mentions) else None
        if second is not None and _CONNECTOR_RE.match(text[first.end:second.start]):
            road = "-" in text[first.end:second.start] and _ROAD_AFTER_RE.match(text[second.end:second.end + 12])
            between = " and " in text[first.end:second.start] and _BETWEEN_BEFORE_RE.search(text[max(0, first.start - 40):first.start])
            if road or between:
                area = shared_area(first, second, text[first.start:second.end] + (" road" if road else ""))
                if area is not None:
                    joined.append(area)
                i += 2
                continue
        joined.append(first)
        i += 1
    return joined


def shared_area(a: Any, b: Any, surface: str) -> AreaMention | None:
    """The area two resolved places share (sub-district, district or governorate), as one mention."""
    if not (usable_place(a) and usable_place(b)):
        return None
    ra, rb = a.result, b.result
    levels = [level for level in (1, 2, 3) if getattr(ra, f"adm{level}_pcode") and getattr(ra, f"adm{level}_pcode") == getattr(rb, f"adm{level}_pcode")]
    if not levels:
        return None
    depth = max(levels)
    pcodes = [getattr(ra, f"adm{n}_pcode") if n <= depth else None for n in (1, 2, 3)]
    names = [getattr(ra, f"admin{n}") if n <= depth else None for n in (1, 2, 3)]
    # A place the gazetteer has no row for but the text pins to an area: a road between two towns.
    result = GeocodeResult(
        query=surface, matched=True, name=surface, kind="road", score=1.0, latitude=(ra.latitude + rb.latitude) / 2,
        longitude=(ra.longitude + rb.longitude) / 2, geo_precision=2 if depth == 3 else 3,
        adm1_pcode=pcodes[0], adm2_pcode=pcodes[1], adm3_pcode=pcodes[2], admin1=names[0], admin2=names[1], admin3=names[2],
        in_kirkuk=bool(ra.in_kirkuk and rb.in_kirkuk),
    )
    return AreaMention(a.start, b.end, surface, result)



_NAME = r"(?:(?:al|el|Al|El)-)?[A-Z][\w'’ğşçıİ-]+(?:\s+(?:(?:al|el|Al|El)-)?[A-Z][\w'’ğşçıİ-]+){0,2}"
_LEVEL = r"villages?|sub-?districts?|districts?|towns?|nahiya"
# A name the text itself calls a place: "Sayf Saad village", "the village of Jardaghli",
# "Qara Tapa, home to the farm, is a sub-district", "Hefteğar and Ava Fexro villages".
_NAMED_PLACE_RES = (
    re.compile(rf"(?P<name>{_NAME})\s+(?P<level>{_LEVEL})\b"),
    re.compile(rf"\b(?P<level>village|town|sub-?district|district|nahiya) of (?P<name>{_NAME})"),
    re.compile(rf"(?P<name>{_NAME}),[^,.;]{{0,50}},?\s+(?:is|lies in|was) (?:a|an|the) (?:\w+ )?(?P<level>{_LEVEL})\b"),
    re.compile(rf"(?P<name>{_NAME}) and {_NAME}\s+(?P<level>villages|towns)\b"),
)
# Words that start capitalised phrases but name no place ("a Kakai village", "the Kurdish town").
_NOT_NAMES = frozenset(
    "the a an in on at of this that these its their his her one two three four five kurdish kakai kakei kakais iraqi "
    "arab arabic sunni shia shiite turkmen kurdistan isis isil daesh islamic state christian yazidi kurds remote nearby "
    "border frontline several many other both each every some said local federal northern southern eastern western "
    "central".split()
)
# The kinds of place a level word can name.
_KINDS_FOR_LEVEL = {
    "village": {"village", "neighbourhood"}, "town": {"town", "city", "village"},
    "sub-district": {"sub-district"}, "nahiya": {"sub-district"}, "district": {"district", "sub-district"},
}


def find_named_places(text: str, mentions: list[Any], gazetteer: GazetteerLike) -> list[AreaMention]:
    """Places the text calls a village, town or (sub-)district that running-text matching missed.

    Running-text matching takes only exact, folded and close phonetic spellings; a name
    the text itself calls a place is looked up once more with the gazetteer's spelling
    tolerance ("Qara Tapa sub-district" -> Qara Tabe), and kept only when the gazetteer's
    kind of place is what the text says (a "village" never becomes a city).
    """
    taken = [(m.start, m.end) for m in mentions]
    found: list[AreaMention] = []
    for pattern in _NAMED_PLACE_RES:
        for match in pattern.finditer(text):
            start, end = match.span("name")
            if any(s < end and start < e for s, e in taken) or match.group("name").split()[0].lower() in _NOT_NAMES:
                continue
            level = re.sub(r"s$", "", match.group("level").lower()).replace("subdistrict", "sub-district")
            sentence_start = max(text.rfind(".", 0, start), text.rfind("\n", 0, start)) + 1
            context = text[sentence_start:text.find(".", end) if text.find(".", end) > 0 else len(text)]
            result = gazetteer.geocode(f"{match.group('name')} {level}", context=context)
            if not result.matched or result.latitude is None or result.kind not in _KINDS_FOR_LEVEL.get(level, set()):
                continue
            taken.append((start, end))
            found.append(AreaMention(start, end, match.group("name"), result))
    return found


_THE_CITY_RE = re.compile(r"\b(?:in|inside|into|across|around) the city\b(?!\s+of\b)(?!['’]s)", re.IGNORECASE)


def city_references(text: str, mentions: list[Any]) -> list[AreaMention]:
    """"in the city" as a mention of the last city the text named before it.

    "later, gunmen stormed a hotel in the city" happened in Kirkuk city, not
    at the front south of Kirkuk the sentence before told of.
    """
    found = []
    for match in _THE_CITY_RE.finditer(text):
        earlier = [m for m in mentions if m.end <= match.start() and usable_place(m) and getattr(m.result, "kind", None) == "city"]
        if not earlier:
            continue
        city = earlier[-1].result
        name = f"{city.name} city" if "city" not in str(city.name).lower() else str(city.name)
        found.append(AreaMention(match.start(), match.end(), name, city))
    return found
