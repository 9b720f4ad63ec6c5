"""The gazetteer's records and its file: a place, a ranked candidate, a geocode result, and reading data/gazetteer.csv.

The only module of :mod:`geo.gazetteer` that touches a file; the rest work on the
:class:`Place` list it returns.
"""
from __future__ import annotations

import csv
from collections.abc import Iterable
from dataclasses import asdict, dataclass
from pathlib import Path

from errors import SetupProblem
from geo.gazetteer.normalize import fold

DEFAULT_GAZETTEER_CSV = Path(__file__).resolve().parents[2] / "data" / "gazetteer.csv"

# Lower is preferred when scores tie: a town before the district or sub-district named after it.
KIND_RANK = {
    "city": 0, "town": 1, "military site": 1, "oil field": 1, "landmark": 1, "valley": 1,
    "mountain": 1, "neighbourhood": 2, "village": 3, "sub-district": 4, "district": 5, "governorate": 6,
}
ADMIN_LEVEL = {"governorate": 1, "district": 2, "sub-district": 3}
REQUIRED_COLUMNS = ("id", "name", "kind", "latitude", "longitude", "geo_precision", "adm1_pcode",
                    "adm2_pcode", "adm3_pcode", "in_kirkuk", "alt_names_latin", "alt_names_ar", "alt_names_ku")


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


# The columns of an incident record that say where it is (incidents.schema has the same names).
INCIDENT_PLACE_COLUMNS = ("latitude", "longitude", "geo_precision", "adm1_pcode", "adm2_pcode", "adm3_pcode",
                          "admin1", "admin2", "admin3", "in_kirkuk")


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

    def incident_columns(self) -> dict[str, object]:
        """The place as an incident record's columns (DESIGN.md's names): point, precision, pcodes, names, in_kirkuk.

        The one adapter from a geocode result to an incident, used by the extractor, the
        importers and review corrections.
        """
        return {column: getattr(self, column) for column in INCIDENT_PLACE_COLUMNS}

    def to_dict(self) -> dict:
        """The CLI's JSON object (an ``error`` object when nothing matched)."""
        alternatives = [asdict(c) for c in self.alternatives]
        if not self.matched:
            return {"query": self.query, "error": self.reason, "alternatives": alternatives}
        result = asdict(self)
        result["alternatives"] = alternatives
        return result


def read_gazetteer_csv(path: str | Path = DEFAULT_GAZETTEER_CSV, boundaries=None) -> list[Place]:
    """The places of a gazetteer CSV file; ``boundaries`` (optional) fills admin names the file lacks."""
    path = Path(path)
    if not path.exists():
        raise GazetteerError(
            f"No gazetteer file at {path}. Build it with: .venv/bin/python -m scripts.build_gazetteer (scripts/build_gazetteer.py)"
        )
    with open(path, newline="", encoding="utf-8") as handle:
        return read_places(csv.DictReader(handle), admin_names(boundaries))


def admin_names(boundaries) -> dict[str, str]:
    """pcode -> COD-AB English name, from loaded boundaries (empty without them)."""
    if boundaries is None:
        return {}
    names: dict[str, str] = {}
    for level in (1, 2, 3):
        layer = boundaries.level(level)
        names.update(dict(zip(layer["pcode"], layer["name"])))
    return names


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
