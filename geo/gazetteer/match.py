"""From scored candidates to one answer: rank them, apply the words around the name, assemble the result.

Candidates are ranked by score, then (within ``TIE_MARGIN``) by what the surrounding words
say (a district named nearby, "oil field", "province") and by the other places the text
names, then by kind (a town before the district named after it). A level word ("Hawija
district") turns a town into the unit it is the seat of; a directional phrase ("20 km west
of Hawija") keeps the reference place's point and pcodes but lowers the precision. One-name
geocoding and names in running text both end here, so both rank the same way.
"""
from __future__ import annotations

import re
from collections.abc import Iterable

from geo.distance import great_circle_km
from geo.gazetteer.directions import Qualifier, split_query
from geo.gazetteer.index import CLOSEST_MIN_RATIO, CROSS_WEAK_SCORE, FUZZY_WEIGHT, SCORE_FOLDED, NameIndex
from geo.gazetteer.normalize import fold, script_of
from geo.gazetteer.places import ADMIN_LEVEL, KIND_RANK, Candidate, GeocodeResult, Place

TIE_MARGIN = 0.031           # candidates this close in score are ordered by context, then kind
NEAR_KM = 25.0
NEAR_HOMONYM_SCORE = 0.89  # a key match this close may beat an exact name elsewhere when the text names its district
UNKNOWN_IN_UNIT_SCORE = 0.5  # a name we do not know, placed only by the sub-district the text names
UNKNOWN_IN_UNIT_REASON = "village not in the gazetteer"
# Words that, near a name in a report, point to a kind of place.
CONTEXT_KIND_WORDS = {
    "oil field": ("oil field", "oilfield", "field", "wells", "حقل"),
    "military site": ("air base", "airbase", "base", "airport"),
    "village": ("village", "قرية", "گوندی"),
    "governorate": ("province", "governorate", "محافظة"),
    "neighbourhood": ("neighbourhood", "neighborhood", "quarter"),
}


def resolve(index: NameIndex, query: str, scored: dict[int, float], qualifier: Qualifier | None = None,
            context: str | None = None, context_places: Iterable[Place] = ()) -> GeocodeResult:
    """The result for a name whose candidates are ``scored`` (place index -> score, from ``index``).

    ``qualifier`` is what the words around the name say; ``context`` (report text) and
    ``context_places`` (other places it names) order candidates that tie on score.
    """
    places = index.places
    order = list(scored) if len(scored) == 1 else _rank(places, scored, qualifier, context, tuple(context_places))
    best = order[0]
    reasons = []
    top = [i for i in order if scored[i] >= scored[best] - 1e-9]
    distinct = {(places[i].name, places[i].kind) for i in top}
    if len(top) > 1 and len(distinct) > 1 and KIND_RANK.get(places[top[0]].kind) == KIND_RANK.get(places[top[1]].kind):
        reasons.append(f"ambiguous: {len(top)} places match equally; chose {places[best].name} "
                       f"({places[best].admin2 or places[best].admin1 or 'outside the loaded areas'})")
    place, precision, why = _apply_qualifier(index, places[best], qualifier)
    if why:
        reasons.insert(0, why)
    alternatives = tuple(candidate(places[i], scored[i]) for i in order[1:6] if places[i] is not place)
    if scored[best] <= FUZZY_WEIGHT:
        reasons.append(_match_note(query, places[best], scored[best]))
    return GeocodeResult(
        query=query, matched=True, name=place.name, kind=place.kind,
        latitude=place.latitude, longitude=place.longitude, geo_precision=precision,
        adm1_pcode=place.adm1_pcode, adm2_pcode=place.adm2_pcode, adm3_pcode=place.adm3_pcode,
        admin1=place.admin1, admin2=place.admin2, admin3=place.admin3, in_kirkuk=place.in_kirkuk,
        score=round(scored[best], 4), alternatives=alternatives, reason="; ".join(reasons) or None,
        place_id=place.place_id,
    )


def _match_note(query: str, place: Place, score: float) -> str:
    """How a low-scored name matched: a near spelling, or a reading across scripts (weak when low)."""
    script = script_of(query)
    if script in ("latin", "arabic") and all(script_of(a) != script for a in place.aliases):
        strength = "weak cross-script" if score < CROSS_WEAK_SCORE else "cross-script"
        return f"{strength} match (score {score:.2f}): {query!r} read as {place.name!r}"
    return f"fuzzy match (score {score:.2f})"


def prefer_context(index: NameIndex, scored: dict[int, float], near: dict[int, float],
                   context_places: Iterable[Place], named_districts: frozenset[str] = frozenset()) -> dict[int, float]:
    """Scores once the places the text names have spoken: context beats similarity.

    - When the text is about Kirkuk and a Kirkuk candidate exists (among ``scored`` or the
      ``near`` names: key, fuzzy, cross-script), no candidate outside Kirkuk that is not
      the name as written ranks above it (Musala is not Mosul).
    - When the text names a district or sub-district (``named_districts``: ADM2 pcodes of the
      units, or their seat towns, named at or beside the place) and the best candidate is not in it,
      a near candidate that is takes the best score (Shoraw in Dibis is Shorawa the village);
      the others stay as runners-up.
    """
    context_places = tuple(context_places)
    if not context_places or not scored:
        return scored
    scored = dict(scored)
    units = named_districts
    best = max(scored, key=lambda i: (scored[i], -index.places[i].rank[2]))
    if units and index.places[best].adm2_pcode not in units:
        threshold = NEAR_HOMONYM_SCORE if scored[best] >= SCORE_FOLDED else CROSS_WEAK_SCORE
        _rank_first(index, scored, {i: v for i, v in near.items()
                                    if index.places[i].adm2_pcode in units and v >= threshold},
                    lambda place: place.adm2_pcode in units)
    if any(p.in_kirkuk for p in context_places):
        inside = {i: v for i, v in {**near, **scored}.items() if index.places[i].in_kirkuk}
        if any(not index.places[i].in_kirkuk and v < SCORE_FOLDED for i, v in scored.items()):
            _rank_first(index, scored, inside, lambda place: place.in_kirkuk, keep_exact=True)
    return scored


def _rank_first(index: NameIndex, scored: dict[int, float], fitting: dict[int, float], fits,
                keep_exact: bool = False) -> None:
    """Add the ``fitting`` candidates and cap every candidate that does not ``fit`` just below them."""
    if not fitting:
        return
    for i, v in fitting.items():
        scored[i] = max(scored.get(i, 0.0), v)
    ceiling = round(max(fitting.values()) - 0.01, 4)
    for i, v in scored.items():
        place = index.places[i]
        if not fits(place) and not (keep_exact and v >= SCORE_FOLDED):
            scored[i] = min(v, ceiling)


def in_named_unit(query: str, unit: Place, alternatives: tuple[Candidate, ...] = ()) -> GeocodeResult:
    """A name we do not know, placed in the sub-district the text names: the area, precision 2."""
    return GeocodeResult(
        query=query, matched=True, name=unit.name, kind=unit.kind, latitude=unit.latitude,
        longitude=unit.longitude, geo_precision=max(unit.geo_precision, 2), adm1_pcode=unit.adm1_pcode,
        adm2_pcode=unit.adm2_pcode, adm3_pcode=unit.adm3_pcode, admin1=unit.admin1, admin2=unit.admin2,
        admin3=unit.admin3, in_kirkuk=unit.in_kirkuk, score=UNKNOWN_IN_UNIT_SCORE, alternatives=alternatives,
        reason=f"{UNKNOWN_IN_UNIT_REASON}: {query!r} placed in the {unit.kind} the text names ({unit.name})",
        place_id=unit.place_id,
    )


def unresolved(index: NameIndex, query: str) -> GeocodeResult:
    """A not-found result that lists the names it came closest to."""
    closest = closest_names(index, split_query(query)[0] or query)
    hint = ", ".join(c.name for c in closest) if closest else "none close"
    return GeocodeResult(
        query=query, matched=False, alternatives=closest,
        reason=f"no place in the gazetteer matches {query!r} (closest: {hint}); "
               "add the spelling to data/gazetteer.csv if it is a real place",
    )


def closest_names(index: NameIndex, text: str, limit: int = 5) -> tuple[Candidate, ...]:
    """The nearest names for a query that matched nothing (for the error message)."""
    scored = index.fuzzy(fold(text), limit=limit, min_ratio=CLOSEST_MIN_RATIO)
    order = sorted(scored, key=lambda i: (-scored[i], index.places[i].rank))[:limit]
    return tuple(candidate(index.places[i], scored[i]) for i in order)


def distance_km(a: Place, b: Place) -> float:
    """Great-circle distance between two places in km (for ranking by nearness)."""
    return great_circle_km(a.latitude, a.longitude, b.latitude, b.longitude)


def candidate(place: Place, score: float) -> Candidate:
    """A place as a runner-up candidate with its score."""
    return Candidate(place.place_id, place.name, place.kind, round(score, 4), place.adm1_pcode,
                     place.adm2_pcode, place.adm3_pcode, place.in_kirkuk)


def _rank(places: list[Place], scored: dict[int, float], qualifier: Qualifier | None, context: str | None,
          context_places: tuple[Place, ...]) -> list[int]:
    """Candidates best first: score, then context and qualifier fit (within a tie margin), then kind."""
    best = max(scored.values())
    wanted_kinds = _wanted_kinds(qualifier, context)

    def fit(i: int) -> float:
        place = places[i]
        bonus = 0.0
        if place.kind in wanted_kinds:
            bonus += 2.0
        for other in context_places:
            if other.index == place.index:
                continue
            if other.adm3_pcode and other.adm3_pcode == place.adm3_pcode:
                bonus += 1.0
            elif other.adm2_pcode and other.adm2_pcode == place.adm2_pcode:
                bonus += 0.6
            elif other.geo_precision < 3 and distance_km(place, other) <= NEAR_KM:
                bonus += 0.4
        return bonus

    def order_key(i: int) -> tuple:
        close = scored[i] >= best - TIE_MARGIN
        return (0 if close else 1, -fit(i) if close else 0.0, -scored[i], places[i].rank)

    return sorted(scored, key=order_key)


def _wanted_kinds(qualifier: Qualifier | None, context: str | None) -> set[str]:
    """Kinds of place that the qualifier or context words ask for."""
    kinds = set()
    if qualifier and qualifier.level:
        kinds.add(qualifier.level)
        if qualifier.level == "district":
            kinds.add("sub-district")  # "Laylan district" is a sub-district
        if qualifier.level == "city":
            kinds.add("town")
    if context:
        lowered = context.lower()
        for kind, words in CONTEXT_KIND_WORDS.items():
            if kind != "governorate" and any(re.search(rf"\b{re.escape(w)}\b", lowered) for w in words):
                kinds.add(kind)
    return kinds


def _apply_qualifier(index: NameIndex, place: Place, qualifier: Qualifier | None) -> tuple[Place, int, str | None]:
    """The place, precision and reason once the words around the name are taken into account."""
    precision = place.geo_precision
    reason = None
    if qualifier is not None and qualifier.level in ADMIN_LEVEL:
        unit = _unit_for(index, place, qualifier.level)
        if unit is not None and unit is not place:
            reason = f"'{qualifier.phrase.strip()}': the {unit.kind} {unit.name}, not the {place.kind}"
            place = unit
        precision = place.geo_precision
    if qualifier is not None and qualifier.lowers_precision:
        precision = max(precision, 2)
        reason = qualifier.describe(place.name)
        if qualifier.distance_km is not None:
            reason += f" ({qualifier.distance_km:g} km {qualifier.bearing or ''} of it)".replace("  ", " ")
    if reason is None and place.geo_precision > 1:
        reason = _precision_note(place)
    return place, precision, reason


def _precision_note(place: Place) -> str:
    """Why a place's own precision is not 1."""
    if place.kind in ADMIN_LEVEL:
        return f"{place.kind} only: point is inside the area, draw the area"
    return f"{place.kind} known only approximately (an extent, or no own coordinate): the point stands in"


def _unit_for(index: NameIndex, place: Place, level: str) -> Place | None:
    """The administrative unit a qualified name means ("Hawija district" -> Al-Hawiga)."""
    if place.kind == level:
        return place
    if level == "governorate":
        return index.governorate(place.adm1_pcode or "")
    if level == "district" and place.kind == "sub-district":
        return place  # reports call sub-districts "districts"
    wanted = 2 if level == "district" else 3
    for pcode in place.seat_of:
        unit = index.unit(pcode)
        if unit is not None and ADMIN_LEVEL[unit.kind] == wanted:
            return unit
    for pcode in place.seat_of:  # a sub-district seat called a "district"
        unit = index.unit(pcode)
        if unit is not None and level == "district":
            return unit
    return None
