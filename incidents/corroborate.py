"""Corroboration: the same incident reported by two sources becomes one incident.

DESIGN.md: two records are the same incident when their dates are within a day, their
places are in the same district or within 10 km, and their casualties do not contradict;
the merged incident keeps every source and the most precise place and date, and its
``source`` lists every outlet ("; "-separated, as ACLED does). We add one condition
DESIGN.md leaves implicit: the same ACLED event type (an arrest and a bombing on the same
day in the same district are two incidents).

Real reporting needs one more match (:func:`match_strength`): another outlet's account of
an incident often gives no date (it is a repost, or its weekday cannot be resolved) or an
earlier, lower toll ("at least one killed" against five). Such a record is "corroborating"
when its place and type fit and its toll does not contradict (0 against some); it merges
only when exactly one stored incident fits, and the merge is sent to review with the
reason. Records of one source never merge on a missing date.

``plan_corroboration`` is pure (frames in, a plan out); ``apply_plan`` writes the plan to
the store, and is the only function here that touches it.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any, Mapping

import pandas as pd
import sqlalchemy as sa

from geo.distance import SAME_PLACE_KM, great_circle_km
from incidents.schema import conform, is_missing, join_reasons
from incidents.store import insert_new_incidents, insert_source, source_row, update_columns, write_transaction

WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
_WEEKDAY_RE = re.compile(r"\b(" + "|".join(WEEKDAYS) + r")\b", re.IGNORECASE)
SAME_DAY_TOLERANCE = timedelta(days=1)
# Half-widths of the period a coarse date stands for (ACLED: week = its middle, month = the 15th).
PRECISION_HALF_WIDTH = {1: timedelta(0), 2: timedelta(days=3), 3: timedelta(days=15)}
PLACE_COLUMNS = ("location", "latitude", "longitude", "geo_precision", "adm1_pcode", "adm2_pcode", "adm3_pcode",
                 "admin1", "admin2", "admin3", "in_kirkuk")
DATE_COLUMNS = ("event_date", "time_precision")


@dataclass
class Merge:
    """A new record found to be an existing incident: what to change there and the source to add."""

    incident_id: str
    changes: dict[str, object]
    source: dict[str, object]
    reason: str
    row_version: int | None = None  # the stored incident's version the changes were planned on
    planned_on: dict[str, object] = field(default_factory=dict)  # its values then, to say what changed since


@dataclass
class Plan:
    """What adding a batch of records does to the store."""

    new: pd.DataFrame
    merges: list[Merge] = field(default_factory=list)
    already_stored: list[str] = field(default_factory=list)


def _date(value: object) -> date | None:
    if is_missing(value) or not str(value).strip():
        return None
    return date.fromisoformat(str(value)[:10])


def dates_compatible(a: Mapping[str, Any], b: Mapping[str, Any]) -> bool:
    """True when two records' dates are within a day, widened by week or month precision."""
    day_a, day_b = _date(a.get("event_date")), _date(b.get("event_date"))
    if day_a is None or day_b is None:
        return False  # an undated record waits for review; it is never merged on a guess
    width = PRECISION_HALF_WIDTH.get(_int(a.get("time_precision"), 1), timedelta(0)) + PRECISION_HALF_WIDTH.get(
        _int(b.get("time_precision"), 1), timedelta(0)
    )
    return abs(day_a - day_b) <= SAME_DAY_TOLERANCE + width


def places_compatible(a: Mapping[str, Any], b: Mapping[str, Any]) -> bool:
    """True when two records are in the same district or within 10 km.

    A governorate-level record (no district) fits any record in its governorate.
    """
    adm2_a, adm2_b = a.get("adm2_pcode"), b.get("adm2_pcode")
    if not is_missing(adm2_a) and not is_missing(adm2_b) and adm2_a == adm2_b:
        return True
    coords = [a.get("latitude"), a.get("longitude"), b.get("latitude"), b.get("longitude")]
    if not any(is_missing(c) for c in coords):
        if great_circle_km(*(float(c) for c in coords)) <= SAME_PLACE_KM:  # type: ignore[arg-type]
            return True
    adm1_a, adm1_b = a.get("adm1_pcode"), b.get("adm1_pcode")
    if not is_missing(adm1_a) and adm1_a == adm1_b and (is_missing(adm2_a) or is_missing(adm2_b)):
        return True
    return False


def casualties_compatible(a: Mapping[str, Any], b: Mapping[str, Any]) -> bool:
    """True when the death tolls do not contradict: one unknown, equal, or both non-zero within a factor of two.

    Early reports often give fewer dead than later ones, so 2 and 3 fit; 0 and 4 do not.
    """
    fa, fb = a.get("fatalities"), b.get("fatalities")
    if is_missing(fa) or is_missing(fb):
        return True
    fa, fb = int(fa), int(fb)  # type: ignore[arg-type]
    if fa == fb:
        return True
    if min(fa, fb) == 0:
        return False
    return max(fa, fb) <= 2 * min(fa, fb)


def same_incident(a: Mapping[str, Any], b: Mapping[str, Any]) -> bool:
    """True when two records describe the same incident (DESIGN.md's rule plus the same event type)."""
    return match_strength(a, b) == "same"


def match_strength(a: Mapping[str, Any], b: Mapping[str, Any]) -> str | None:
    """How two records are one incident: "same" (DESIGN.md's rule), "corroborating" (see the module), or None."""
    same_type = is_missing(a.get("event_type")) or is_missing(b.get("event_type")) or a.get("event_type") == b.get("event_type")
    if not same_type or not places_compatible(a, b):
        return None
    if dates_compatible(a, b) and casualties_compatible(a, b):
        return "same"
    if from_one_source(a, b) or tolls_contradict(a, b):
        return None
    if _date(a.get("event_date")) is None or _date(b.get("event_date")) is None:
        # No date to compare: the weekday the accounts name ("late Sunday") and their tolls must agree.
        same_day = bool(weekdays(a) & weekdays(b))
        return "corroborating" if same_day and casualties_compatible(a, b) else None
    return "corroborating" if dates_compatible(a, b) else None


def weekdays(record: Mapping[str, Any]) -> set[int]:
    """The weekdays (0 Monday) a record's incident may have been on: its date's, or those its sentences name."""
    day = _date(record.get("event_date"))
    if day is not None and _int(record.get("time_precision"), 1) == 1:
        return {day.weekday()}
    sentences = record.get("source_sentences")
    if is_missing(sentences):
        return set()
    return {WEEKDAYS.index(m.group(1).lower()) for m in _WEEKDAY_RE.finditer(str(sentences))}


def from_one_source(a: Mapping[str, Any], b: Mapping[str, Any]) -> bool:
    """True when two records come from one report: the same URL, or (without URLs) the same outlet, or nothing to tell."""
    url_a, url_b = a.get("source_url"), b.get("source_url")
    if not is_missing(url_a) and not is_missing(url_b):
        return url_a == url_b
    outlet_a, outlet_b = a.get("source"), b.get("source")
    return is_missing(outlet_a) or is_missing(outlet_b) or outlet_a == outlet_b


def tolls_contradict(a: Mapping[str, Any], b: Mapping[str, Any]) -> bool:
    """True when one record says nobody was killed and the other that someone was."""
    fa, fb = a.get("fatalities"), b.get("fatalities")
    return not is_missing(fa) and not is_missing(fb) and (int(fa) == 0) != (int(fb) == 0)  # type: ignore[call-overload]


def outlets(*records: Mapping[str, Any]) -> str | None:
    """Every outlet of the records, "; "-separated in order, without repeats (ACLED's ``source``).

    >>> outlets({"source": "Rudaw; Shafaq"}, {"source": "Kurdistan 24"}, {"source": "Rudaw"})
    'Rudaw; Shafaq; Kurdistan 24'
    """
    names: list[str] = []
    for record in records:
        value = record.get("source")
        if not is_missing(value):
            names += [n.strip() for n in str(value).split(";") if n.strip() and n.strip() not in names]
    return "; ".join(dict.fromkeys(names)) or None


def corroboration_changes(existing: Mapping[str, Any], new: Mapping[str, Any], strength: str) -> dict[str, object]:
    """What a merge changes besides place and date: the outlet list, and for a corroborating record a review."""
    changes: dict[str, object] = {}
    listed = outlets(existing, new)
    if listed != (None if is_missing(existing.get("source")) else existing.get("source")):
        changes["source"] = listed
    if strength != "corroborating":
        return changes
    who = new.get("source") if not is_missing(new.get("source")) else new.get("source_url")
    reasons = []
    if _date(new.get("event_date")) is None or _date(existing.get("event_date")) is None:
        reasons.append(f"possible duplicate: {who} tells this incident without a date; merged on place, type and casualties")
    fa, fb = existing.get("fatalities"), new.get("fatalities")
    if not is_missing(fa) and not is_missing(fb) and int(fa) != int(fb):  # type: ignore[call-overload]
        low, high = sorted((int(fa), int(fb)))  # type: ignore[call-overload]
        changes |= {"fatalities_low": low, "fatalities_high": high}
        reasons.append(f"sources differ on deaths: {fa} and {fb} ({who})")
    if reasons:
        changes |= {"needs_review": True, "review_reasons": join_reasons(existing.get("review_reasons"), reasons)}
    return changes


def _int(value: object, default: int) -> int:
    return default if is_missing(value) else int(value)  # type: ignore[call-overload]


def merged_changes(existing: Mapping[str, Any], new: Mapping[str, Any]) -> dict[str, object]:
    """The columns of ``existing`` to replace so the incident keeps the more precise place and date."""
    changes: dict[str, object] = {}
    if _int(new.get("geo_precision"), 9) < _int(existing.get("geo_precision"), 9) and not is_missing(new.get("latitude")):
        changes |= {c: new.get(c) for c in PLACE_COLUMNS}
    if _date(new.get("event_date")) and _int(new.get("time_precision"), 9) < _int(existing.get("time_precision"), 9):
        changes |= {c: new.get(c) for c in DATE_COLUMNS}
    for column in ("fatalities", "wounded", "arrested", "abducted"):
        if is_missing(existing.get(column)) and not is_missing(new.get(column)):
            changes[column] = new.get(column)
    return changes


class DateIndex:
    """Stored records by event date, so a new record is compared only with those whose dates can fit.

    Two dates fit within SAME_DAY_TOLERANCE widened by both records' precision
    (dates_compatible), so no dated candidate lies further than MAX_DATE_GAP away. Undated
    records never match as "same"; they are kept apart for the corroborating match.
    """

    MAX_DATE_GAP = SAME_DAY_TOLERANCE + 2 * max(PRECISION_HALF_WIDTH.values())

    def __init__(self, records: list[dict[str, Any]]) -> None:
        self.records = records
        self.by_day: dict[int, list[int]] = {}
        self.undated: list[int] = []
        for position, record in enumerate(records):
            day = _date(record.get("event_date"))
            if day is None:
                self.undated.append(position)
            else:
                self.by_day.setdefault(day.toordinal(), []).append(position)

    def candidates(self, record: Mapping[str, Any], include_undated: bool = False) -> list[dict[str, Any]]:
        """The stored records whose dates may fit ``record``'s (and the undated ones if asked), in stored order."""
        day = _date(record.get("event_date"))
        if day is None:
            return list(self.records) if include_undated else []
        gap = self.MAX_DATE_GAP.days
        positions = [p for d in range(day.toordinal() - gap, day.toordinal() + gap + 1) for p in self.by_day.get(d, ())]
        if include_undated:
            positions += self.undated
        return [self.records[p] for p in sorted(positions)]


def plan_corroboration(new: pd.DataFrame, existing: pd.DataFrame) -> Plan:
    """Split new records into incidents to insert and merges into existing incidents.

    A record whose incident_id is already stored (the same report added again) changes
    nothing. An incident an analyst approved or corrected gains the source but keeps its
    values: a later import never overwrites a decision (DESIGN.md).
    """
    existing_records = _plain(existing)
    stored_ids = {r["incident_id"] for r in existing_records}
    by_date = DateIndex(existing_records)
    keep: list[int] = []
    flagged: dict[int, str] = {}
    corroborated: set[str] = set()
    plan = Plan(new=new.iloc[0:0])
    for position, record in enumerate(_plain(new)):
        if record["incident_id"] in stored_ids:
            plan.already_stored.append(record["incident_id"])
            continue
        match = next((e for e in by_date.candidates(record) if same_incident(e, record)), None)
        strength = "same"
        if match is None:
            likely = [e for e in by_date.candidates(record, include_undated=True) if e["incident_id"] not in corroborated
                      and match_strength(e, record) == "corroborating"]
            if len(likely) != 1:
                keep.append(position)
                if likely:
                    flagged[position] = "possible duplicate of " + ", ".join(e["incident_id"] for e in likely)
                continue
            match, strength = likely[0], "corroborating"
            corroborated.add(match["incident_id"])  # one account per report: its other incidents are others
        decided = match.get("review_status") not in (None, "unreviewed")
        changes = {} if decided else merged_changes(match, record) | corroboration_changes(match, record, strength)
        why = ("date, place and casualties agree" if strength == "same"
               else "another source's account: place, type and casualties fit, the date or toll differs")
        version = match.get("row_version")
        plan.merges.append(
            Merge(match["incident_id"], changes, source_row(record), f"same incident as {match['incident_id']} ({why})",
                  None if version is None else int(version), {c: match.get(c) for c in [*changes, "review_status"]})
        )
    plan.new = _flagged(conform(new.iloc[keep]), {keep.index(p): reason for p, reason in flagged.items()})
    return plan


def _flagged(frame: pd.DataFrame, reasons: dict[int, str]) -> pd.DataFrame:
    """The new records with a review reason added to those at the given positions."""
    if not reasons:
        return frame
    frame = frame.copy()
    for position, reason in reasons.items():
        label = frame.index[position]
        frame.loc[label, "review_reasons"] = join_reasons(frame.loc[label, "review_reasons"], [reason])
        frame.loc[label, "needs_review"] = True
    return frame


def _plain(frame: pd.DataFrame) -> list[dict[str, Any]]:
    if frame is None or frame.empty:
        return []
    return frame.astype(object).where(frame.notna(), None).to_dict("records")


def apply_plan(engine: sa.Engine, plan: Plan) -> dict[str, int]:
    """Write a plan to the store in one transaction: insert new incidents, add sources and precision to merged ones.

    A merge that changes a stored incident writes it only if it is still at the version
    the plan was made on (bumping it); otherwise StaleEdit, and nothing of the plan is
    written. Plan on ``read_incidents(engine, with_row_version=True)`` for that check.
    Returns counts: added, merged, sources_added, unchanged.
    """
    sources_added = 0
    with write_transaction(engine) as connection:
        added = insert_new_incidents(connection, plan.new).new
        for merge in plan.merges:
            if merge.changes:
                update_columns(connection, merge.incident_id, merge.changes, merge.row_version, merge.planned_on)
            sources_added += int(insert_source(connection, merge.incident_id, merge.source))
    return {
        "added": added,
        "merged": len(plan.merges),
        "sources_added": sources_added,
        "unchanged": len(plan.already_stored),
    }
