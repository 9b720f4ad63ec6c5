"""The gazetteer: find the place a report names, say how precise that is, and whether it is in Kirkuk.

Lookup order for one name: the exact alias (case-insensitive), then the folded name, then
the phonetic key (see :mod:`geo.gazetteer.normalize`), then a rapidfuzz ratio above
``FUZZY_MIN_RATIO``. Candidates are ranked by score, then by what the surrounding words
say (a district named nearby, "oil field", "province"), then by kind (a town before the
district named after it). Directional words ("20 km west of Hawija") keep the reference
place's point and pcodes but lower the precision (:mod:`geo.gazetteer.directions`). Finding the
names in a whole report is :mod:`geo.gazetteer.mentions`.

"Not found" is data: :meth:`Gazetteer.geocode` returns ``matched=False`` with a reason and
the closest names it considered; it never raises for an unknown name.
"""
from __future__ import annotations

import csv
import re
from dataclasses import asdict, dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Iterable

from rapidfuzz import fuzz, process

from errors import SetupProblem
from geo.boundaries import KIRKUK_PCODE
from geo.gazetteer.directions import Qualifier, split_query
from geo.distance import great_circle_km
from geo.gazetteer.normalize import fold, phonetic_key, script_of

if TYPE_CHECKING:
    from geo.gazetteer.mentions import PlaceMention

DEFAULT_GAZETTEER_CSV = Path(__file__).resolve().parents[2] / "data" / "gazetteer.csv"

SCORE_EXACT = 1.0
SCORE_FOLDED = 0.97
SCORE_KEY = 0.9
FUZZY_WEIGHT = 0.85          # a fuzzy score (at most 0.85) is never above a phonetic-key match
FUZZY_MIN_RATIO = 84.0       # tested in tests/test_gazetteer.py (misspellings vs nonsense)
FUZZY_MIN_LENGTH = 5         # shorter names only match exactly or by key ("Said" is not "Sadr")
CLOSEST_MIN_RATIO = 40.0     # names listed as "closest" for an unresolved query
TIE_MARGIN = 0.031           # candidates this close in score are ordered by context, then kind
NEAR_KM = 25.0

# Lower is preferred when scores tie: a town before the district or sub-district named after it.
KIND_RANK = {
    "city": 0, "town": 1, "military site": 1, "oil field": 1, "landmark": 1, "valley": 1,
    "mountain": 1, "neighbourhood": 2, "village": 3, "sub-district": 4, "district": 5, "governorate": 6,
}
ADMIN_LEVEL = {"governorate": 1, "district": 2, "sub-district": 3}
# Words that, near a name in a report, point to a kind of place.
CONTEXT_KIND_WORDS = {
    "oil field": ("oil field", "oilfield", "field", "wells", "حقل"),
    "military site": ("air base", "airbase", "base", "airport"),
    "village": ("village", "قرية", "گوندی"),
    "governorate": ("province", "governorate", "محافظة"),
    "neighbourhood": ("neighbourhood", "neighborhood", "quarter"),
}


class GazetteerError(SetupProblem, ValueError):
    """The gazetteer file is missing or malformed."""


@dataclass(frozen=True)
class Place:
    """One gazetteer row, as the matcher uses it."""

    index: int
    place_id: str
    name: str
    kind: str
    latitude: float
    longitude: float
    geo_precision: int
    adm1_pcode: str | None
    adm2_pcode: str | None
    adm3_pcode: str | None
    admin1: str | None
    admin2: str | None
    admin3: str | None
    in_kirkuk: bool
    seat_of: tuple[str, ...]
    aliases: tuple[str, ...]
    curated: bool  # from the reference list or COD-AB, not an OSM name only
    folded_aliases: tuple[str, ...] = ()

    @property
    def rank(self) -> tuple[int, int, int]:
        """Tie-break order: curated before OSM-only names, inside Kirkuk first, then by kind."""
        return (0 if self.curated else 1, 0 if self.in_kirkuk else 1, KIND_RANK.get(self.kind, 3))


@dataclass(frozen=True)
class Candidate:
    """One ranked candidate place for a name, with its match score (0-1)."""

    place_id: str
    name: str
    kind: str
    score: float
    adm1_pcode: str | None
    adm2_pcode: str | None
    adm3_pcode: str | None
    in_kirkuk: bool


@dataclass(frozen=True)
class GeocodeResult:
    """The answer for one name: the place, its point and units, precision, score and runners-up."""

    query: str
    matched: bool
    name: str | None = None
    kind: str | None = None
    latitude: float | None = None
    longitude: float | None = None
    geo_precision: int | None = None
    adm1_pcode: str | None = None
    adm2_pcode: str | None = None
    adm3_pcode: str | None = None
    admin1: str | None = None
    admin2: str | None = None
    admin3: str | None = None
    in_kirkuk: bool | None = None
    score: float = 0.0
    alternatives: tuple[Candidate, ...] = ()
    reason: str | None = None
    place_id: str | None = None

    def to_dict(self) -> dict:
        """The CLI's JSON object (an ``error`` object when nothing matched)."""
        alternatives = [asdict(c) for c in self.alternatives]
        if not self.matched:
            return {"query": self.query, "error": self.reason, "alternatives": alternatives}
        result = asdict(self)
        result["alternatives"] = alternatives
        return result


@dataclass
class _Index:
    """The lookup tables of one gazetteer, built once."""

    exact: dict[str, tuple[int, ...]] = field(default_factory=dict)
    folded: dict[str, tuple[int, ...]] = field(default_factory=dict)
    keyed: dict[str, tuple[int, ...]] = field(default_factory=dict)
    fuzzy_names: dict[str, list[str]] = field(default_factory=dict)  # script -> folded names
    fuzzy_keys: dict[str, list[str]] = field(default_factory=dict)   # script -> keys
    first_tokens: set[str] = field(default_factory=set)   # folded first words, to skip fast
    first_keys: set[str] = field(default_factory=set)
    governorates: dict[str, int] = field(default_factory=dict)  # adm1 pcode -> place index
    units: dict[str, int] = field(default_factory=dict)         # any admin pcode -> place index


def _add(table: dict[str, list[int]], key: str, index: int) -> None:
    """Append a place index under a key once."""
    if key:
        bucket = table.setdefault(key, [])
        if index not in bucket:
            bucket.append(index)


def build_index(places: list[Place]) -> _Index:
    """Exact, folded and phonetic tables and the fuzzy choice lists, from all aliases."""
    exact: dict[str, list[int]] = {}
    folded: dict[str, list[int]] = {}
    keyed: dict[str, list[int]] = {}
    index = _Index()
    for place in places:
        for alias in place.aliases:
            _add(exact, " ".join(alias.casefold().split()), place.index)
            folded_alias = fold(alias)
            _add(folded, folded_alias, place.index)
            _add(keyed, phonetic_key(alias), place.index)
            if folded_alias:
                index.first_tokens.add(folded_alias.split()[0])
                index.first_keys.add(phonetic_key(folded_alias.split()[0]))
        if place.kind in ADMIN_LEVEL:
            index.units[place.place_id] = place.index
            if place.kind == "governorate" and place.adm1_pcode:
                index.governorates[place.adm1_pcode] = place.index

    def ranked(table: dict[str, list[int]]) -> dict[str, tuple[int, ...]]:
        return {k: tuple(sorted(v, key=lambda i: places[i].rank)) for k, v in table.items()}

    index.exact, index.folded, index.keyed = ranked(exact), ranked(folded), ranked(keyed)
    for script in ("latin", "arabic"):
        names = sorted({f for f in index.folded if script_of(f) == script})
        index.fuzzy_names[script] = names
        index.fuzzy_keys[script] = sorted({k for k in index.keyed if script_of(k) == script})
    return index


class Gazetteer:
    """Places of Kirkuk and its neighbours with every spelling reports use; built once, read-only."""

    def __init__(self, places: list[Place]):
        if not places:
            raise GazetteerError("The gazetteer has no places: rebuild data/gazetteer.csv with scripts/build_gazetteer.py.")
        self.places = places
        self._index = build_index(places)
        self._id_index = {place.place_id: place.index for place in places}

    def __len__(self) -> int:
        return len(self.places)

    @classmethod
    def from_csv(cls, path: str | Path = DEFAULT_GAZETTEER_CSV, boundaries=None) -> "Gazetteer":
        """Load data/gazetteer.csv; ``boundaries`` (optional) fills admin names the file lacks."""
        path = Path(path)
        if not path.exists():
            raise GazetteerError(
                f"No gazetteer file at {path}. Build it with: .venv/bin/python scripts/build_gazetteer.py"
            )
        with open(path, newline="", encoding="utf-8") as handle:
            places = read_places(csv.DictReader(handle), admin_names(boundaries))
        return cls(places)

    # ---- one name -------------------------------------------------------------------------

    def geocode(self, text: str, context: str | None = None) -> GeocodeResult:
        """The best place for a name or short phrase ("20 km west of Hawija"), with runners-up.

        ``context`` is the surrounding report text: a district named there, or words such as
        "province" or "oil field" next to the same name, settle ties between candidates.
        """
        query = " ".join((text or "").split())
        if not query:
            return GeocodeResult(query=text or "", matched=False, reason="empty query: give a place name")
        scored = self._exact(query)
        qualifier = None
        if scored:
            # An exact alias may still carry a level word ("Tuz Khurmatu District" is also
            # a GeoNames alias of the town): let the word choose between the candidates.
            hint = split_query(query)[1]
            qualifier = Qualifier(level=hint.level, phrase=hint.phrase) if hint and hint.level else None
        else:
            core, qualifier = split_query(query)
            scored = self._lookup(core) if core else {}
            if not scored and qualifier is not None:
                scored, qualifier = self._lookup(query), None
        if not scored:
            return self._unresolved(query)
        mentioned_qualifier = self._qualifier_in_context(query, context) if qualifier is None else None
        qualifier = qualifier or mentioned_qualifier
        # The candidates themselves are no evidence for each other ("Kirkuk" in its own context).
        context_places = [p for p in self._context_places(context) if p.index not in scored] if context else ()
        return self._resolve(query, scored, qualifier, context, context_places)

    def _exact(self, query: str) -> dict[int, float]:
        """Places whose alias equals the query, ignoring case and spacing."""
        hits = self._index.exact.get(query.casefold())
        return {i: SCORE_EXACT for i in hits} if hits else {}

    def _lookup(self, name: str) -> dict[int, float]:
        """Place index -> best score for one bare name, through every matching level."""
        found = self._exact(name)
        if found:
            return found
        folded = fold(name)
        hits = self._index.folded.get(folded)
        if hits:
            return {i: SCORE_FOLDED for i in hits}
        key = phonetic_key(name)
        hits = self._index.keyed.get(key) if len(key) >= 3 else None
        if hits:
            return self._key_scores(folded, hits)
        return self._fuzzy(folded)

    def _fuzzy(self, folded: str, limit: int = 8, min_ratio: float = FUZZY_MIN_RATIO) -> dict[int, float]:
        """Near spellings by rapidfuzz ratio on folded names of the same script.

        Only the folded name is compared: vowel and transliteration variants are already
        caught by the phonetic key, and a ratio between two short keys is too loose.
        """
        if len(folded.replace(" ", "")) < FUZZY_MIN_LENGTH:
            return {}
        script = script_of(folded)
        if script not in ("latin", "arabic"):
            return {}
        found: dict[int, float] = {}
        for choice, ratio, _ in process.extract(folded, self._index.fuzzy_names[script], scorer=fuzz.ratio,
                                                limit=limit, score_cutoff=min_ratio):
            for i in self._index.folded[choice]:
                found[i] = max(found.get(i, 0.0), round(FUZZY_WEIGHT * ratio / 100, 4))
        return found

    def _key_scores(self, folded: str, hits: tuple[int, ...]) -> dict[int, float]:
        """Scores for places that share the query's phonetic key, closest spelling first.

        A key match is certain only about the sound; the spelling ratio to the place's
        nearest alias breaks ties (Hawijja is nearer Hawija than Hajiawa).
        """
        scores = {}
        for i in hits:
            ratio = max(fuzz.ratio(folded, alias) for alias in self.places[i].folded_aliases)
            scores[i] = round(SCORE_KEY - 0.05 * (1 - ratio / 100), 4)
        return scores

    def closest_names(self, text: str, limit: int = 5) -> tuple[Candidate, ...]:
        """The nearest names for a query that matched nothing (for the error message)."""
        folded = fold(text)
        scored = self._fuzzy(folded, limit=limit, min_ratio=CLOSEST_MIN_RATIO)
        order = sorted(scored, key=lambda i: (-scored[i], self.places[i].rank))[:limit]
        return tuple(self._candidate(i, scored[i]) for i in order)

    def _unresolved(self, query: str) -> GeocodeResult:
        """A not-found result that lists the names it came closest to."""
        closest = self.closest_names(split_query(query)[0] or query)
        hint = ", ".join(c.name for c in closest) if closest else "none close"
        return GeocodeResult(
            query=query, matched=False, alternatives=closest,
            reason=f"no place in the gazetteer matches {query!r} (closest: {hint}); "
                   "add the spelling to data/gazetteer.csv if it is a real place",
        )

    def _candidate(self, i: int, score: float) -> Candidate:
        place = self.places[i]
        return Candidate(place.place_id, place.name, place.kind, round(score, 4), place.adm1_pcode,
                         place.adm2_pcode, place.adm3_pcode, place.in_kirkuk)

    # ---- ranking and qualifiers -----------------------------------------------------------

    def _resolve(self, query: str, scored: dict[int, float], qualifier: Qualifier | None,
                 context: str | None, context_places: Iterable[Place]) -> GeocodeResult:
        """Rank candidates, apply the qualifier, and assemble the result."""
        order = list(scored) if len(scored) == 1 else self._rank(scored, qualifier, context, tuple(context_places))
        best = order[0]
        reasons = []
        top = [i for i in order if scored[i] >= scored[best] - 1e-9]
        distinct = {(self.places[i].name, self.places[i].kind) for i in top}
        if len(top) > 1 and len(distinct) > 1 and KIND_RANK.get(self.places[top[0]].kind) == KIND_RANK.get(self.places[top[1]].kind):
            reasons.append(f"ambiguous: {len(top)} places match equally; chose {self.places[best].name} "
                           f"({self.places[best].admin2 or self.places[best].admin1 or 'outside the loaded areas'})")
        place, precision, why = self._apply_qualifier(self.places[best], qualifier)
        if why:
            reasons.insert(0, why)
        alternatives = tuple(self._candidate(i, scored[i]) for i in order[1:6] if self.places[i] is not place)
        if scored[best] <= FUZZY_WEIGHT:
            reasons.append(f"fuzzy match (score {scored[best]:.2f})")
        return self._result(query, place, precision, scored[best], alternatives, "; ".join(reasons) or None)

    def _rank(self, scored: dict[int, float], qualifier: Qualifier | None, context: str | None,
              context_places: tuple[Place, ...]) -> list[int]:
        """Candidates best first: score, then context and qualifier fit (within a tie margin), then kind."""
        best = max(scored.values())
        wanted_kinds = self._wanted_kinds(qualifier, context)

        def fit(i: int) -> float:
            place = self.places[i]
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
            return (0 if close else 1, -fit(i) if close else 0.0, -scored[i], self.places[i].rank)

        return sorted(scored, key=order_key)

    @staticmethod
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

    def _apply_qualifier(self, place: Place, qualifier: Qualifier | None) -> tuple[Place, int, str | None]:
        """The place, precision and reason once the words around the name are taken into account."""
        precision = place.geo_precision
        reason = None
        if qualifier is not None and qualifier.level in ADMIN_LEVEL:
            unit = self._unit_for(place, qualifier.level)
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
            reason = self._precision_note(place)
        return place, precision, reason

    @staticmethod
    def _precision_note(place: Place) -> str:
        """Why a place's own precision is not 1."""
        if place.kind in ADMIN_LEVEL:
            return f"{place.kind} only: point is inside the area, draw the area"
        return f"{place.kind} known only approximately (an extent, or no own coordinate): the point stands in"

    def _unit_for(self, place: Place, level: str) -> Place | None:
        """The administrative unit a qualified name means ("Hawija district" -> Al-Hawiga)."""
        if place.kind == level:
            return place
        if level == "governorate":
            i = self._index.governorates.get(place.adm1_pcode or "")
            return self.places[i] if i is not None else None
        if level == "district" and place.kind == "sub-district":
            return place  # reports call sub-districts "districts"
        wanted = 2 if level == "district" else 3
        for pcode in place.seat_of:
            i = self._index.units.get(pcode)
            if i is not None and ADMIN_LEVEL[self.places[i].kind] == wanted:
                return self.places[i]
        for pcode in place.seat_of:  # a sub-district seat called a "district"
            i = self._index.units.get(pcode)
            if i is not None and level == "district":
                return self.places[i]
        return None

    def _result(self, query: str, place: Place, precision: int, score: float,
                alternatives: tuple[Candidate, ...], reason: str | None) -> GeocodeResult:
        return GeocodeResult(
            query=query, matched=True, name=place.name, kind=place.kind,
            latitude=place.latitude, longitude=place.longitude, geo_precision=precision,
            adm1_pcode=place.adm1_pcode, adm2_pcode=place.adm2_pcode, adm3_pcode=place.adm3_pcode,
            admin1=place.admin1, admin2=place.admin2, admin3=place.admin3, in_kirkuk=place.in_kirkuk,
            score=round(score, 4), alternatives=alternatives, reason=reason, place_id=place.place_id,
        )

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
        found = []
        for mention in self.find_mentions(context):
            if mention.result.place_id is not None:
                found.append(self.places[self._by_id(mention.result.place_id)])
        return found

    def _by_id(self, place_id: str) -> int:
        return self._id_index[place_id]

    # ---- running text ---------------------------------------------------------------------

    def find_mentions(self, text: str) -> list[PlaceMention]:
        """Every place named in a report, in text order, non-overlapping (see :mod:`geo.gazetteer.mentions`)."""
        from geo.gazetteer.mentions import find_mentions  # geo.gazetteer.mentions imports this module

        return find_mentions(self, text)


def distance_km(a: Place, b: Place) -> float:
    """Great-circle distance between two places in km (for ranking by nearness)."""
    return great_circle_km(a.latitude, a.longitude, b.latitude, b.longitude)


def admin_names(boundaries) -> dict[str, str]:
    """pcode -> COD-AB English name, from loaded boundaries (empty without them)."""
    if boundaries is None:
        return {}
    names: dict[str, str] = {}
    for level in (1, 2, 3):
        layer = boundaries.level(level)
        names.update(dict(zip(layer["pcode"], layer["name"])))
    return names


REQUIRED_COLUMNS = ("id", "name", "kind", "latitude", "longitude", "geo_precision", "adm1_pcode",
                    "adm2_pcode", "adm3_pcode", "in_kirkuk", "alt_names_latin", "alt_names_ar", "alt_names_ku")


def read_places(records: Iterable[dict], names: dict[str, str] | None = None) -> list[Place]:
    """Places from gazetteer CSV records; every bad row is reported at once."""
    names = names or {}
    places: list[Place] = []
    problems: list[str] = []
    for line, record in enumerate(records, start=2):
        if line == 2:
            missing = [c for c in REQUIRED_COLUMNS if c not in record]
            if missing:
                raise GazetteerError(
                    f"gazetteer.csv lacks columns {missing} (found: {', '.join(record)}). "
                    "Rebuild it with scripts/build_gazetteer.py."
                )
        try:
            latitude, longitude = float(record["latitude"]), float(record["longitude"])
            precision = int(record["geo_precision"])
        except (TypeError, ValueError):
            problems.append(f"line {line} ({record.get('id')}): latitude/longitude/geo_precision "
                            f"not numbers: {record.get('latitude')!r}, {record.get('longitude')!r}, "
                            f"{record.get('geo_precision')!r}")
            continue
        pcodes = [record.get(f"adm{n}_pcode") or None for n in (1, 2, 3)]
        admins = [record.get(f"admin{n}") or names.get(pcodes[n - 1] or "") or None for n in (1, 2, 3)]
        aliases = [record["name"]]
        for column in ("alt_names_latin", "alt_names_ar", "alt_names_ku"):
            aliases += [a for a in (record.get(column) or "").split("|") if a.strip()]
        places.append(Place(
            index=len(places), place_id=record["id"], name=record["name"], kind=record["kind"],
            latitude=latitude, longitude=longitude, geo_precision=precision,
            adm1_pcode=pcodes[0], adm2_pcode=pcodes[1], adm3_pcode=pcodes[2],
            admin1=admins[0], admin2=admins[1], admin3=admins[2],
            in_kirkuk=(record.get("in_kirkuk") or "").lower() == "true",
            seat_of=tuple(p for p in (record.get("seat_of") or "").split("|") if p),
            aliases=tuple(dict.fromkeys(aliases)),
            folded_aliases=tuple(dict.fromkeys(fold(a) for a in aliases)),
            curated=not record["id"].startswith("osm:") or bool(record.get("alt_names_latin")),
        ))
    if problems:
        raise GazetteerError("gazetteer.csv has bad rows:\n  " + "\n  ".join(problems)
                             + "\nFix them or rebuild with scripts/build_gazetteer.py.")
    return places


@lru_cache(maxsize=4)
def _load_cached(path: str) -> Gazetteer:
    return Gazetteer.from_csv(path)


def load_gazetteer(path: str | Path = DEFAULT_GAZETTEER_CSV, boundaries=None) -> Gazetteer:
    """The gazetteer from a CSV file, loaded once per path (cached) unless boundaries are given."""
    if boundaries is not None:
        return Gazetteer.from_csv(path, boundaries)
    return _load_cached(str(Path(path).resolve()))


__all__ = ["Candidate", "GeocodeResult", "Gazetteer", "GazetteerError", "Place",
           "load_gazetteer", "DEFAULT_GAZETTEER_CSV", "KIRKUK_PCODE"]
