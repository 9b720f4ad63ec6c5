"""Where an incident happened, from the places its sentences name.

Reports name a place at several levels ("Taqtaq village, Dubiz district, Kirkuk"), name
places that are not where it happened (a newsroom, a victim's office, a road's two ends,
a reference town "35 km south of Kirkuk") and use "Kirkuk" for the city, the district
and the governorate. :func:`resolve_place` picks the place:

1. Every mention is read for what it means (:func:`read_candidate`): "Kirkuk" is the city
   when the text calls it one or names a city site beside it ("Atlas street in Kirkuk"),
   the country around the city when the event was only *near* it ("north of Kirkuk": the
   city's point at precision 2, in no one district), and the governorate otherwise.
2. The anchor is the first place the incident's sentences name below governorate level;
   a "Kirkuk" mention is only the container when another place in the governorate is
   named. The headline's places count only when the body names none, the sentences that
   just say where a place lies ("X is a sub-district of Y province") only when
   neither does.
3. Among the places that fit the anchor, the most specific wins, but a village whose
   gazetteer point lies outside the district or sub-district the same sentence names is a
   homonym: the named unit wins. A province the text gives to a town never overrides the
   gazetteer's polygons; it is said in a review reason.
"""
from __future__ import annotations

import copy
import re
from dataclasses import dataclass, is_dataclass, replace
from typing import Any, Protocol

from geo.gazetteer.directions import split_query
from geo.distance import SAME_PLACE_KM, great_circle_km
from geo.gazetteer import LOW_MATCH_SCORE

KIRKUK_PCODE = "IQG13"
# How specific a kind of place is: 1 a point place ... 4 a governorate.
LEVELS = {"sub-district": 2, "district": 3, "governorate": 4}
# Words that, in the sentence of a bare "Kirkuk", show the city is meant.
_CITY_SITE_RE = re.compile(
    r"\b(?:street|neighbou?rhoods?|market|headquarters|HQ|hotel|restaurant|stadium|mosque|hospital|shop|showroom|"
    r"university|compound|city)\b",
    re.IGNORECASE,
)
# Anywhere in the report: Kirkuk called a city.
_CITY_REPORT_RE = re.compile(
    r"\bKirkuk city\b|\bcity of Kirkuk\b|\bKirkuk,? (?:an?|the) (?:[\w-]+ ){0,3}city\b|\bcity['’]s\b|"
    r"\bKirkuk city['’]s\b",
    re.IGNORECASE,
)


def usable_place(mention: Any) -> bool:
    """True when a place mention resolved to a point (inside the loaded areas or not)."""
    result = mention.result
    return bool(result.matched) and result.latitude is not None


def places_compatible(a: Any, b: Any) -> bool:
    """True when two resolved places can be the same incident's: same district, one contains the other, or close."""
    ra, rb = a.result, b.result
    if ra.adm1_pcode and rb.adm1_pcode and ra.adm1_pcode != rb.adm1_pcode:
        return False
    if ra.adm1_pcode and rb.adm1_pcode:
        if int(ra.geo_precision) == 3 and not ra.adm2_pcode or int(rb.geo_precision) == 3 and not rb.adm2_pcode:
            return True  # a governorate-level mention fits anything inside it
        if ra.adm2_pcode and ra.adm2_pcode == rb.adm2_pcode:
            return True
    return great_circle_km(ra.latitude, ra.longitude, rb.latitude, rb.longitude) <= SAME_PLACE_KM


class GazetteerLike(Protocol):
    """What place resolution needs of geo.gazetteer.Gazetteer."""

    def geocode(self, text: str, context: str | None = None) -> Any: ...


@dataclass(frozen=True)
class Candidate:
    """One place mention read for what it means for the incident."""

    surface: str
    result: Any
    level: int
    tier: int  # 0 the incident's sentences, 1 the headline, 2 sentences that only locate a place
    order: int
    sentence: int  # start offset of its sentence (places named together)
    kirkuk: bool  # the mention is "Kirkuk" itself (city, district or governorate)
    note: str | None = None


def is_kirkuk_name(surface: str) -> bool:
    """True when a mention names Kirkuk itself, with or without level and direction words.

    >>> is_kirkuk_name("south of Kirkuk"), is_kirkuk_name("Kirkuk province"), is_kirkuk_name("Daquq")
    (True, True, False)
    """
    core, _ = split_query(surface)
    core = re.sub(r"^(?:the|in|near|of)\s+|['’]s$", "", core.strip(), flags=re.IGNORECASE).strip()
    return core.lower() in ("kirkuk", "kirkuk city", "kerkuk", "karkuk", "tamim", "al-tamim")


def kirkuk_sense(surface: str, sentence: str, report: str, before: str = "") -> str:
    """What a "Kirkuk" mention means: "city", "city part", "governorate", "district" or "surroundings".

    >>> kirkuk_sense("north of Kirkuk", "an outpost north of Kirkuk", "")
    'surroundings'
    >>> kirkuk_sense("Kirkuk", "a bomb on Atlas street in Kirkuk", "")
    'city'
    >>> kirkuk_sense("Kirkuk", "a clash in Kirkuk", "")
    'governorate'
    """
    _, qualifier = split_query(surface)
    if qualifier is not None and qualifier.level == "governorate":
        return "governorate"
    if qualifier is not None and qualifier.level == "district":
        return "district"
    # "a street in the south of Kirkuk": the southern part, not somewhere south of it.
    part = qualifier is not None and qualifier.relation == "direction" and qualifier.distance_km is None \
        and re.search(r"\bthe\s*$", before)
    if qualifier is not None and qualifier.relation in ("near", "direction") and not part:
        return "surroundings"
    if part:
        qualifier = replace(qualifier, relation="part")
    city = bool(_CITY_SITE_RE.search(sentence) or _CITY_REPORT_RE.search(report))
    if qualifier is not None and qualifier.level in ("city", "town"):
        city = True
    if qualifier is not None and qualifier.relation == "part":
        return "city part" if city else "governorate"
    if re.search(r"\bcity\b", surface, re.IGNORECASE):
        return "city"
    return "city" if city else "governorate"


def place_level(result: Any) -> int:
    """How specific a resolved place is: 1 a point place, 2 a sub-district, 3 a district, 4 a governorate."""
    if getattr(result, "kind", None) == "road":
        return 3
    return LEVELS.get(str(getattr(result, "kind", "")), 1)


def read_candidate(
    mention: Any, gazetteer: GazetteerLike, sentence: str, report: str, tier: int, order: int, sentence_start: int
) -> Candidate:
    """One mention as a candidate place: "Kirkuk" read as city, district or governorate from cues."""
    result = mention.result
    if not is_kirkuk_name(mention.surface) or not str(result.adm1_pcode or "") == KIRKUK_PCODE:
        return Candidate(mention.surface, result, place_level(result), tier, order, sentence_start, False)
    sense = kirkuk_sense(mention.surface, sentence, report, report[max(0, mention.start - 8):mention.start])
    note = None
    if sense == "governorate":
        governorate = gazetteer.geocode("Kirkuk governorate")
        if governorate.matched:
            result = governorate
        if split_query(mention.surface)[1] is None:
            note = "place: only 'Kirkuk' is given (city or governorate)"
        level = 4
    elif sense == "surroundings":
        # "north of Kirkuk": near the city (its point, precision 2), in no one district.
        city = gazetteer.geocode("Kirkuk")
        base = city if city.matched and getattr(city, "kind", None) == "city" else result
        result = _with(base, name=mention.surface.strip(), geo_precision=2, adm2_pcode=None, adm3_pcode=None,
                       admin2=None, admin3=None)
        level = 3  # a point with a radius: more than the governorate, though no district is known
    elif sense == "district":
        district = gazetteer.geocode("Kirkuk district")
        result = district if district.matched else result
        level = 3
    else:
        city = gazetteer.geocode("Kirkuk")
        result = city if city.matched and getattr(city, "kind", None) == "city" else result
        if sense == "city part":
            result = _with(result, geo_precision=max(2, int(result.geo_precision)))
        level = 2
    return Candidate(mention.surface, result, level, tier, order, sentence_start, True, note)


def _with(result: Any, **changes: object) -> Any:
    """A copy of a gazetteer result with some fields changed."""
    if is_dataclass(result):
        return replace(result, **changes)
    clone = copy.copy(result)
    for key, value in changes.items():
        setattr(clone, key, value)
    return clone


def _contains(unit: Candidate, place: Candidate) -> bool:
    """True when an administrative unit holds a place (same sub-district or district)."""
    key = "adm3_pcode" if unit.level == 2 else "adm2_pcode"
    return bool(getattr(unit.result, key)) and getattr(unit.result, key) == getattr(place.result, key)


def choose_place(candidates: list[Candidate]) -> tuple[Candidate | None, list[str]]:
    """The candidate that says where the incident happened, and the reasons to review the choice."""
    reasons: list[str] = []
    for tier in sorted({c.tier for c in candidates}):
        pool = [c for c in candidates if c.tier == tier]
        anchor = _anchor(pool)
        if anchor is None:
            continue
        if anchor.kirkuk:
            # Only "Kirkuk" is named: its first mention says which Kirkuk (city, surroundings, governorate).
            if anchor.note:
                reasons.append(anchor.note)
            return anchor, reasons
        fitting = [c for c in pool if c.level < 4 and (c is anchor or places_compatible(anchor, c)) and not (c.kirkuk and not anchor.kirkuk)]
        chosen = min(fitting, key=lambda c: (c.level, c.order))
        units = [u for u in pool if u.sentence == chosen.sentence and u.level in (2, 3) and not u.kirkuk and u is not chosen]
        if chosen.level == 1 and units and not any(_contains(u, chosen) for u in units):
            unit = min(units, key=lambda u: (u.level, u.order))
            reasons.append(f"place: the gazetteer puts '{chosen.surface.strip()}' in {chosen.result.admin3 or chosen.result.admin2 or chosen.result.admin1}, "
                           f"the text in {unit.result.name}; the named unit is kept")
            chosen = unit
        if chosen.note:
            reasons.append(chosen.note)
        for other in candidates:
            if other.level == 4 and other.sentence == chosen.sentence and other.result.adm1_pcode and chosen.result.adm1_pcode \
                    and other.result.adm1_pcode != chosen.result.adm1_pcode:
                reasons.append(f"place: the text puts {chosen.result.name} in {other.result.name}; the boundaries put it in "
                               f"{chosen.result.admin1 or 'another governorate'} and are kept")
                break
        return chosen, reasons
    areas = sorted(candidates, key=lambda c: (c.tier, c.order))
    if areas:
        chosen = areas[0]
        if chosen.note:
            reasons.append(chosen.note)
        return chosen, reasons
    return None, reasons


def _anchor(pool: list[Candidate]) -> Candidate | None:
    """The first place below governorate level; "Kirkuk" only when no other place in the governorate is named.

    When "Kirkuk" is the place, its first mention decides (a later "Kirkuk city" in a
    detail does not turn "the outskirts of Kirkuk" into the city).
    """
    specific = [c for c in pool if c.level < 4]
    inside = [c for c in specific if not c.kirkuk and c.result.adm1_pcode == KIRKUK_PCODE]
    if inside:
        return min(inside, key=lambda c: c.order)
    first = min(specific, key=lambda c: c.order) if specific else None
    kirkuk = [c for c in pool if c.kirkuk]
    if first is not None and first.kirkuk:
        # Worded mentions ("on the outskirts of Kirkuk", "Kirkuk city") say more than a bare "Kirkuk".
        worded = [c for c in kirkuk if split_query(c.surface)[1] is not None or re.search(r"\bcity\b", c.surface, re.I)]
        return min(worded or kirkuk, key=lambda c: c.order)
    return first


def place_columns(result: Any) -> dict[str, object]:
    """The incident columns of a resolved place."""
    kind = getattr(result, "kind", None)
    # An area is named as one ("Kirkuk governorate"), so nobody mistakes it for the city.
    name = str(result.name)
    location = f"{name} {kind}" if kind in ("governorate", "district") and kind not in name.lower() else name
    return {"location": location, **result.incident_columns()}


def resolve_place(
    candidates: list[Candidate], unresolved: list[Any], gazetteer: GazetteerLike, dateline: str | None
) -> tuple[dict[str, object], list[str]]:
    """An incident's place columns and review reasons from its candidate places.

    ``unresolved`` are the mentions the gazetteer could not place (they become reasons);
    the dateline is used only when nothing else names a place, and only inside Kirkuk.
    """
    reasons = [f"unresolved place: '{p.surface}' ({p.result.reason})" for p in unresolved if getattr(p.result, "reason", "")]
    chosen, why = choose_place(candidates)
    reasons += why
    result = chosen.result if chosen else None
    if result is None and dateline:
        found = gazetteer.geocode(dateline)
        if found.matched and found.latitude is not None and found.adm1_pcode == KIRKUK_PCODE:
            result = found
            if is_kirkuk_name(dateline):
                governorate = gazetteer.geocode("Kirkuk governorate")
                result = governorate if governorate.matched else result
            reasons.append(f"place: only the dateline '{dateline}' names a place")
    if result is None:
        surface = chosen.surface if chosen else (unresolved[0].surface if unresolved else "unresolved")
        return {"location": surface, "geo_precision": 3}, reasons + [
            "unresolved place: the report names no place the gazetteer knows"
        ]
    score = getattr(result, "score", None)
    if score is not None and score < LOW_MATCH_SCORE:
        reasons.append(f"low match score: '{result.query}' matched '{result.name}' ({score:.2f})")
    if not result.in_kirkuk:
        reasons.append(f"outside Kirkuk: {result.name} is in {result.admin1 or 'another governorate'}")
    return place_columns(result), reasons
