"""An analyst's correction of an incident: what changed, where a changed place is, and
whether the corrected record is valid. Pure functions; the Review and Add-a-report pages
both correct through ``correct_incident`` and write the result."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Mapping

import pandas as pd

from geo.boundaries import LEVELS, Boundaries
from geo.gazetteer import INCIDENT_PLACE_COLUMNS
from geo.join import assign_admin_units
from incidents.schema import DATE_COLUMNS, conform, date_problem, is_missing, placement_problems, validation_problems



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
        result |= found.incident_columns()
        result["_note"] = f"Placed at {found.name} (precision {found.geo_precision})."
    elif pcode_changed:
        row = {column: incident.get(column) for column in ("adm1_pcode", "adm2_pcode", "adm3_pcode")}
        row |= {k: v for k, v in changes.items() if k.endswith("_pcode")}
        finest = 3 if row["adm3_pcode"] else 2 if row["adm2_pcode"] else 1
        frame = pd.DataFrame([row | {"latitude": None, "longitude": None, "geo_precision": 2 if finest == 3 else 3}])
        joined = assign_admin_units(frame, boundaries).iloc[0]
        for column in INCIDENT_PLACE_COLUMNS:
            if column in joined.index:
                value = joined[column]
                result[column] = None if _blank(value) else (bool(value) if column == "in_kirkuk" else value)
        result["_note"] = "Placed in the chosen unit, drawn as its area."
    return result


PROBLEM_COLUMNS = ["column", "value", "reason"]


def boundary_pcodes(boundaries: Boundaries) -> dict[int, frozenset[str]]:
    """The COD-AB pcodes of each level (1, 2, 3): the only pcodes a record may hold."""
    return {level: frozenset(boundaries.level(level)["pcode"].dropna().astype(str)) for level in LEVELS}


def correction_problem_table(
    incident: Mapping[str, Any], changes: Mapping[str, object], known_pcodes: Mapping[int, frozenset[str]] | None = None
) -> pd.DataFrame:
    """Why the corrected incident would be invalid, one row per column: column, value, reason.

    The schema's rules for every record (incidents/schema.py, as for imports) on the
    values as typed, so "2024-7-5" is refused rather than read; with ``known_pcodes``
    also the rules of a placed record (pcodes that exist, precision 1 has a point).
    """
    corrected = dict(incident) | {k: v for k, v in changes.items() if not k.startswith("_")}
    typed = [{"column": c, "value": corrected.get(c), "reason": r} for c in DATE_COLUMNS if (r := date_problem(corrected.get(c)))]
    frame = conform(pd.DataFrame([corrected]))
    found = [pd.DataFrame(typed, columns=PROBLEM_COLUMNS), validation_problems(frame)[PROBLEM_COLUMNS]]
    if known_pcodes is not None:
        found.append(placement_problems(frame, known_pcodes)[PROBLEM_COLUMNS])
    nonempty = [f for f in found if len(f)]
    table = pd.concat(nonempty, ignore_index=True) if nonempty else found[0]
    return table.drop_duplicates(subset="column", keep="first").reset_index(drop=True)


def correction_problems(
    incident: Mapping[str, Any], changes: Mapping[str, object], known_pcodes: Mapping[int, frozenset[str]] | None = None
) -> list[str]:
    """Why the corrected incident would be invalid (empty when it is fine), in plain words."""
    table = correction_problem_table(incident, changes, known_pcodes)
    return [f"{p.column} {p.value!r}: {p.reason}" for p in table.itertuples()]


@dataclass(frozen=True)
class Correction:
    """An analyst's edit of one incident, completed and checked."""

    changes: dict[str, object]  # the columns to write, the place made consistent
    note: str | None  # what was done to the place, for the page (quotes the analyst's text)
    problems: pd.DataFrame  # column, value, reason; empty when the correction can be saved

    @property
    def summary(self) -> str:
        """The problems in fixed words, without the values (those are data: show them as a table)."""
        return "; ".join(f"{p.column} {p.reason}" for p in self.problems.itertuples())


def correct_incident(
    incident: Mapping[str, Any], edited: Mapping[str, Any], gazetteer: Any, boundaries: Boundaries
) -> Correction:
    """What an analyst's edited values change in an incident: the new place geocoded and
    joined (``place_changes``), and every rule checked (``correction_problem_table``)."""
    changes = place_changes(incident, changed_values(incident, edited), gazetteer, boundaries)
    note = changes.pop("_note", None)
    problems = correction_problem_table(incident, changes, boundary_pcodes(boundaries))
    return Correction(changes=changes, note=None if note is None else str(note), problems=problems)


@dataclass(frozen=True)
class PreviewCorrections:
    """A previewed report's incidents with the analyst's table edits applied and checked."""

    incidents: pd.DataFrame  # edited rows completed by correct_incident, review_status "corrected"
    notes: list[str]  # "row N: what was done to its place"
    problems: pd.DataFrame  # row (1-based), column, value, reason; empty when all rows can be saved


def correct_preview(
    extracted: pd.DataFrame, edited: pd.DataFrame, gazetteer: Any, boundaries: Boundaries
) -> PreviewCorrections:
    """The Add-a-report table's edits, corrected exactly as a review correction is.

    ``edited`` holds the table's editable columns, row for row with ``extracted``.
    """
    incidents = extracted.reset_index(drop=True).copy()
    # Numbers and flags in the schema's types, so that 2.0 from the table is no edit of 2;
    # dates as typed, so that "2024-7-5" is refused rather than read.
    raw = edited.reset_index(drop=True)
    edits = conform(raw)[list(raw.columns)].assign(**{c: raw[c] for c in DATE_COLUMNS if c in raw})
    notes, problems = [], []
    for position, (incident, edit) in enumerate(zip(_records(incidents), _records(edits)), start=1):
        correction = correct_incident(incident, edit, gazetteer, boundaries)
        if correction.changes:
            for column, value in correction.changes.items():
                incidents.at[position - 1, column] = value
            # An analyst's edit before saving is a correction and is recorded as one.
            incidents.at[position - 1, "review_status"] = "corrected"
        if correction.note:
            notes.append(f"row {position}: {correction.note}")
        if len(correction.problems):
            problems.append(correction.problems.assign(row=position))
    table = pd.concat(problems, ignore_index=True) if problems else pd.DataFrame(columns=PROBLEM_COLUMNS + ["row"])
    return PreviewCorrections(conform(incidents), notes, table[["row"] + PROBLEM_COLUMNS])


def _records(frame: pd.DataFrame) -> list[dict[str, Any]]:
    return frame.astype(object).where(frame.notna(), None).to_dict("records")
