"""The Gazetteer: one name or phrase to a place (``geocode``), every place a report names (``find_mentions``).

``geocode`` splits a query into the name and its qualifier (:mod:`geo.gazetteer.directions`),
looks the name up (:mod:`geo.gazetteer.index`), reads the surrounding report text for a level
word next to the same name and for other places it names, and ranks the candidates
(:mod:`geo.gazetteer.match`). Imports point one way: this module uses
:mod:`geo.gazetteer.mentions`, which uses the index and the ranking, never this module.
"""
from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from geo.gazetteer.directions import Qualifier, split_query
from geo.gazetteer.index import LOW_MATCH_SCORE, NameIndex
from geo.gazetteer.local import apply_local_spellings, local_spellings_path, read_local_spellings
from geo.gazetteer.match import candidate, closest_names, in_named_unit, prefer_context, resolve, unresolved
from geo.gazetteer.mentions import PlaceMention, find_mentions
from geo.gazetteer.normalize import fold
from geo.gazetteer.places import (
    DEFAULT_GAZETTEER_CSV, Candidate, GazetteerError, GeocodeResult, Place, read_gazetteer_csv,
)


class Gazetteer:
    """Places of Kirkuk and its neighbours with every spelling reports use; built once, read-only."""

    def __init__(self, places: list[Place]):
        if not places:
            raise GazetteerError("The gazetteer has no places: rebuild data/gazetteer.csv with scripts/build_gazetteer.py.")
        self.places = places
        self.index = NameIndex(places)
        # One geocode reads its context's mentions several times (qualifier, nearby places, named units).
        self._mentions_of = lru_cache(maxsize=256)(lambda text: tuple(find_mentions(self.index, text)))

    def __len__(self) -> int:
        return len(self.places)

    @classmethod
    def from_csv(cls, path: str | Path = DEFAULT_GAZETTEER_CSV, boundaries=None,
                 local_path: str | Path | None = None) -> Gazetteer:
        """Load data/gazetteer.csv and the analysts' spellings beside it (data/gazetteer_local.csv).

        ``boundaries`` (optional) fills admin names the file lacks; ``local_path`` defaults to
        :func:`~geo.gazetteer.local.local_spellings_path`.
        """
        places = read_gazetteer_csv(path, boundaries)
        return cls(apply_local_spellings(places, read_local_spellings(local_path or local_spellings_path())))

    def geocode(self, text: str, context: str | None = None) -> GeocodeResult:
        """The best place for a name or short phrase ("20 km west of Hawija"), with runners-up.

        ``context`` is the surrounding report text: a district named there, or words such as
        "province" or "oil field" next to the same name, settle ties between candidates.
        """
        query = " ".join((text or "").split())
        if not query:
            return GeocodeResult(query=text or "", matched=False, reason="empty query: give a place name")
        scored = self.index.exact(query)
        qualifier = None
        if scored:
            # An exact alias may still carry a level word ("Tuz Khurmatu District" is also
            # a GeoNames alias of the town): let the word choose between the candidates.
            hint = split_query(query)[1]
            qualifier = Qualifier(level=hint.level, phrase=hint.phrase) if hint and hint.level else None
        else:
            core, qualifier = split_query(query)
            scored = self.index.lookup(core) if core else {}
            if not scored and qualifier is not None:
                scored, qualifier = self.index.lookup(query), None
        if not scored:
            unit = self._named_sub_district(query, context)
            return in_named_unit(query, unit) if unit is not None else unresolved(self.index, query)
        mentioned_qualifier = self._qualifier_in_context(query, context) if qualifier is None else None
        qualifier = qualifier or mentioned_qualifier
        # The candidates themselves are no evidence for each other ("Kirkuk" in its own context).
        context_places = [p for p in self._context_places(context) if p.index not in scored] if context else ()
        if context_places:
            core = split_query(query)[0] or query
            scored = prefer_context(self.index, scored, self.index.near_names(core), context_places,
                                    self._named_districts(context))
            if max(scored.values()) < LOW_MATCH_SCORE:
                placed = self._weak_match_in_named_unit(query, context, scored)
                if placed is not None:
                    return placed
        return resolve(self.index, query, scored, qualifier, context, context_places)

    def _weak_match_in_named_unit(self, query: str, context: str, scored: dict[int, float]) -> GeocodeResult | None:
        """A weak match outside the sub-district the text names gives way to that sub-district."""
        unit = self._named_sub_district(query, context)
        if unit is None or any(self.places[i].adm3_pcode == unit.adm3_pcode for i in scored):
            return None
        order = sorted(scored, key=lambda i: -scored[i])[:5]
        return in_named_unit(query, unit, tuple(candidate(self.places[i], scored[i]) for i in order))

    def _named_districts(self, context: str) -> frozenset[str]:
        """ADM2 pcodes of the districts and sub-districts the context names (a seat town counts, a capital not).

        "Kirkuk" is the city, the district and the governorate at once, so it names none of them here.
        """
        pcodes = set()
        for mention in self.find_mentions(context):
            if mention.result.place_id is None or not _at_or_beside(mention):
                continue
            place = self.index.place(mention.result.place_id)
            if place.adm2_pcode and not self._is_capital(place) and (place.kind in ("district", "sub-district") or place.seat_of):
                pcodes.add(place.adm2_pcode)
        return frozenset(pcodes)

    def _is_capital(self, place: Place) -> bool:
        """True for a governorate's seat town (Kirkuk), whose bare name may mean the whole governorate."""
        return any(unit is not None and unit.kind == "governorate" for unit in map(self.index.unit, place.seat_of))

    def _named_sub_district(self, query: str, context: str | None) -> Place | None:
        """The sub-district the context names nearest the query: the unit itself or its seat town."""
        if not context:
            return None
        position = max(context.casefold().find(query.casefold()), 0)
        units = []
        for mention in self.find_mentions(context):
            result = mention.result
            if result.place_id is None:
                continue
            place = self.index.place(result.place_id)
            unit = place if place.kind == "sub-district" else None
            # "Kirkuk" alone is as often the province as the city: only "Kirkuk city" names Markaz Kirkuk.
            said_city = "city" in fold(mention.surface).split()
            if unit is None and _at_or_beside(mention) and (said_city or not self._is_capital(place)):
                unit = next((u for u in map(self.index.unit, place.seat_of) if u is not None and u.kind == "sub-district"),
                            None)
            if unit is not None:
                units.append((not unit.in_kirkuk, abs(mention.start - position), unit.index))
        return self.places[min(units)[2]] if units else None

    def closest_names(self, text: str, limit: int = 5) -> tuple[Candidate, ...]:
        """The nearest names for a query that matched nothing (for the error message)."""
        return closest_names(self.index, text, limit)

    def find_mentions(self, text: str) -> list[PlaceMention]:
        """Every place named in a report, in text order, non-overlapping (see :mod:`geo.gazetteer.mentions`)."""
        return list(self._mentions_of(text))

    def _qualifier_in_context(self, query: str, context: str | None) -> Qualifier | None:
        """A level word the context puts next to this same name ("... in Kirkuk province")."""
        if not context:
            return None
        target = fold(query)
        for mention in self.find_mentions(context):
            core = split_query(mention.surface)[0]
            if fold(core) == target or fold(mention.surface) == target:
                _, qualifier = split_query(mention.surface)
                if qualifier is not None and qualifier.level:
                    return Qualifier(level=qualifier.level, phrase=qualifier.phrase)
        return None

    def _context_places(self, context: str) -> list[Place]:
        """The places a context text names, for ranking candidates near them."""
        return [self.index.place(m.result.place_id) for m in self.find_mentions(context)
                if m.result.place_id is not None]


BESIDE_KM = 5.0  # "2 km east of Daquq" is still Daquq's sub-district; "35 km south of Kirkuk" is not


def _at_or_beside(mention: PlaceMention) -> bool:
    """True when a mention names the place itself, its outskirts or area, or a spot a few km from it."""
    qualifier = split_query(mention.surface)[1]
    if qualifier is None or qualifier.relation in (None, "near"):
        return True
    if qualifier.relation == "part" and qualifier.bearing is None:
        return True  # "the Zab area", "the Daquq region"
    return qualifier.distance_km is not None and qualifier.distance_km <= BESIDE_KM


@lru_cache(maxsize=4)
def _load_cached(path: str, local_path: str, local_mtime_ns: int) -> Gazetteer:
    return Gazetteer.from_csv(path, local_path=local_path)


def load_gazetteer(path: str | Path = DEFAULT_GAZETTEER_CSV, boundaries=None) -> Gazetteer:
    """The gazetteer from a CSV file and the local spellings, loaded once until either changes.

    Cached per path and per version of the local spellings file (a new spelling saved in
    the Review page is in the next lookup); never cached when boundaries are given.
    """
    local_path = local_spellings_path()
    if boundaries is not None:
        return Gazetteer.from_csv(path, boundaries, local_path)
    mtime = local_path.stat().st_mtime_ns if local_path.exists() else 0
    return _load_cached(str(Path(path).resolve()), str(local_path), mtime)
