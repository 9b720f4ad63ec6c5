"""An analyst's correction of an incident: what changed, where a changed place is, and
whether the corrected record is valid. Pure functions; the review page writes the result."""
from __future__ import annotations

from typing import Any, Mapping

import pandas as pd

from geo.boundaries import Boundaries
from geo.join import assign_admin_units
from incidents.schema import conform, is_missing, validation_problems

PLACE_COLUMNS = ("latitude", "longitude", "geo_precision", "adm1_pcode", "adm2_pcode", "adm3_pcode",
                 "admin1", "admin2", "admin3", "in_kirkuk")


def _blank(value: object) -> bool:
    """No value, or an emptied text field of the form."""
    return is_missing(value) or value == ""


def changed_values(incident: Mapping[str, Any], edited: Mapping[str, Any]) -> dict[str, object]:
    """The edited values that differ from the incident's (empty text counts as no value).

    >>> changed_values({"fatalities": 1, "notes": None}, {"fatalities": 2, "notes": ""})
    {'fatalities': 2}
    """
    changes: dict[str, object] = {}
    for column, value in edited.items():
        old, new = incident.get(column), (None if _blank(value) else value)
        if _blank(old) and new is None:
            continue
        if str(new) != str(old):
            changes[column] = new
    return changes


def place_changes(
    incident: Mapping[str, Any], changes: Mapping[str, object], gazetteer: Any, boundaries: Boundaries
) -> dict[str, object]:
    """``changes`` completed so that the place stays consistent.

    - A new ``location`` (and no new pcode) is geocoded: its point, precision and units
      follow; a name the gazetteer does not know keeps the old point and says so.
    - A new pcode puts the incident in that unit: names and ``in_kirkuk`` follow, the point
      becomes unknown unless given, and precision becomes that of an area.
    Returns the completed changes and, under the key "_note", what was done (for the page).
    """
    result = dict(changes)
    pcode_changed = any(f"adm{level}_pcode" in changes for level in (1, 2, 3))
    if "location" in changes and not pcode_changed and changes["location"]:
        found = gazetteer.geocode(str(changes["location"]))
        if not found.matched:
            result["_note"] = f"'{changes['location']}' is not in the gazetteer: the point is unchanged ({found.reason})."
            return result
        for column in PLACE_COLUMNS:
            if hasattr(found, column):
                result[column] = getattr(found, column)
        result["_note"] = f"Placed at {found.name} (precision {found.geo_precision})."
    elif pcode_changed:
        row = {column: incident.get(column) for column in ("adm1_pcode", "adm2_pcode", "adm3_pcode")}
        row |= {k: v for k, v in changes.items() if k.endswith("_pcode")}
        finest = 3 if row["adm3_pcode"] else 2 if row["adm2_pcode"] else 1
        frame = pd.DataFrame([row | {"latitude": None, "longitude": None, "geo_precision": 2 if finest == 3 else 3}])
        joined = assign_admin_units(frame, boundaries).iloc[0]
        for column in PLACE_COLUMNS:
            if column in joined.index:
                value = joined[column]
                result[column] = None if _blank(value) else (bool(value) if column == "in_kirkuk" else value)
        result["_note"] = "Placed in the chosen unit, drawn as its area."
    return result


def correction_problems(incident: Mapping[str, Any], changes: Mapping[str, object]) -> list[str]:
    """Why the corrected incident would be invalid (empty when it is fine), in plain words."""
    corrected = {k: v for k, v in incident.items()} | {k: v for k, v in changes.items() if not k.startswith("_")}
    if corrected.get("event_date") and pd.isna(pd.to_datetime(corrected["event_date"], errors="coerce", format="%Y-%m-%d")):
        return [f"event_date {corrected['event_date']!r} is not a date: write it as YYYY-MM-DD."]
    problems = validation_problems(conform(pd.DataFrame([corrected])))
    return [f"{p.column} {p.value!r}: {p.reason}" for p in problems.itertuples()]
