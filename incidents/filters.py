"""One filter object for incidents: it applies itself to a frame, says in plain English what
it keeps, and round-trips through a URL query string so a link reproduces a view."""
from __future__ import annotations

from dataclasses import dataclass, field, fields, replace
from datetime import date
from typing import Collection, Mapping

import pandas as pd

from incidents.date_limits import EARLIEST_DATE, DateWindow, latest_date
from incidents.schema import GEO_PRECISION

# Review states a user can filter on: needs_review, or the analyst's decision.
REVIEW_STATES = ("needs_review", "unreviewed", "approved", "corrected")
_LIST_FIELDS = (
    "adm2_pcodes", "adm3_pcodes", "event_types", "sub_event_types", "actors",
    "geo_precisions", "review_states", "sources",
)


@dataclass(frozen=True)
class IncidentFilter:
    """What the user asked to see. Empty tuples and None mean "no restriction"."""

    date_from: date | None = None
    date_to: date | None = None
    adm2_pcodes: tuple[str, ...] = field(default_factory=tuple)
    adm3_pcodes: tuple[str, ...] = field(default_factory=tuple)
    event_types: tuple[str, ...] = field(default_factory=tuple)
    sub_event_types: tuple[str, ...] = field(default_factory=tuple)
    actors: tuple[str, ...] = field(default_factory=tuple)
    min_fatalities: int = 0
    geo_precisions: tuple[int, ...] = field(default_factory=tuple)
    review_states: tuple[str, ...] = field(default_factory=tuple)
    sources: tuple[str, ...] = field(default_factory=tuple)
    # Incidents whose date is unresolved stay visible under a date range unless excluded:
    # they wait for review, and hiding them would lose them from sight.
    include_undated: bool = True

    def mask(self, incidents: pd.DataFrame) -> pd.Series:
        """A boolean Series: True for the incidents this filter keeps."""
        keep = pd.Series(True, index=incidents.index)
        # event_date holds ISO strings (YYYY-MM-DD), which compare in date order: no parsing.
        dates = incidents["event_date"].astype("string")
        undated = dates.isna()
        if self.date_from is not None:
            keep &= (dates >= self.date_from.isoformat()).fillna(False).astype(bool) | (undated & self.include_undated)
        if self.date_to is not None:
            keep &= (dates <= self.date_to.isoformat()).fillna(False).astype(bool) | (undated & self.include_undated)
        for name, column in (
            ("adm2_pcodes", "adm2_pcode"),
            ("adm3_pcodes", "adm3_pcode"),
            ("event_types", "event_type"),
            ("sub_event_types", "sub_event_type"),
            ("sources", "source"),
        ):
            chosen = getattr(self, name)
            if chosen:
                keep &= incidents[column].isin(chosen).fillna(False).astype(bool)
        if self.actors:
            keep &= (incidents["actor1"].isin(self.actors) | incidents["actor2"].isin(self.actors)).fillna(False).astype(bool)
        if self.min_fatalities > 0:
            keep &= pd.to_numeric(incidents["fatalities"], errors="coerce").fillna(0) >= self.min_fatalities
        if self.geo_precisions:
            keep &= pd.to_numeric(incidents["geo_precision"], errors="coerce").isin(self.geo_precisions)
        if self.review_states:
            keep &= review_state(incidents).isin(self.review_states)
        return keep.astype(bool)

    def apply(self, incidents: pd.DataFrame) -> pd.DataFrame:
        """The incidents this filter keeps (a new frame; pandas copies on write).

        When it keeps every row the frame itself is returned: no copy of a large table
        for the default view.
        """
        keep = self.mask(incidents)
        return incidents if keep.all() else incidents[keep]

    def previous_period(self) -> IncidentFilter | None:
        """The same filter over the period of equal length just before this one (None without both dates).

        >>> IncidentFilter(date_from=date(2024, 10, 1), date_to=date(2024, 10, 31)).previous_period().date_from
        datetime.date(2024, 8, 31)
        """
        if self.date_from is None or self.date_to is None:
            return None
        length = self.date_to - self.date_from
        end = self.date_from - pd.Timedelta(days=1).to_pytimedelta()
        return replace(self, date_from=end - length, date_to=end, include_undated=False)

    def caption(self, unit_names: Mapping[str, str] | None = None) -> str:
        """What the filter keeps, in plain English.

        >>> IncidentFilter(date_from=date(2024, 7, 1), event_types=("Battles",), include_undated=False).caption()
        'Battles incidents from 2024-07-01'
        """
        names = unit_names or {}
        kinds = " or ".join(self.sub_event_types or self.event_types)
        parts = [f"{kinds} incidents" if kinds else "All incidents"]
        if self.date_from and self.date_to:
            parts.append(f"from {self.date_from:%Y-%m-%d} to {self.date_to:%Y-%m-%d}")
        elif self.date_from:
            parts.append(f"from {self.date_from:%Y-%m-%d}")
        elif self.date_to:
            parts.append(f"up to {self.date_to:%Y-%m-%d}")
        if (self.date_from or self.date_to) and self.include_undated:
            parts.append("(and those with no date yet)")
        places = [names.get(p, p) for p in self.adm3_pcodes] or [names.get(p, p) for p in self.adm2_pcodes]
        if places:
            unit = "sub-district" if self.adm3_pcodes else "district"
            parts.append(f"in {', '.join(places)} {unit}" + ("s" if len(places) > 1 else ""))
        if self.actors:
            parts.append(f"involving {' or '.join(self.actors)}")
        if self.min_fatalities > 0:
            parts.append(f"with at least {self.min_fatalities} killed")
        if self.geo_precisions:
            parts.append("placed as " + " or ".join(GEO_PRECISION[p] for p in sorted(self.geo_precisions)))
        if self.review_states:
            parts.append("review: " + ", ".join(s.replace("_", " ") for s in self.review_states))
        if self.sources:
            parts.append(f"from {', '.join(self.sources)}")
        return " ".join(parts)

    def to_query_params(self) -> dict[str, str]:
        """The filter as URL query parameters (only what differs from no filter); lists are comma-joined.

        >>> IncidentFilter(adm2_pcodes=("IQG13Q02",), min_fatalities=2).to_query_params()
        {'adm2_pcodes': 'IQG13Q02', 'min_fatalities': '2'}
        """
        params: dict[str, str] = {}
        default = IncidentFilter()
        for item in fields(self):
            value = getattr(self, item.name)
            if value == getattr(default, item.name):
                continue
            if item.name in _LIST_FIELDS:
                params[item.name] = ",".join(str(v) for v in value)
            elif isinstance(value, date):
                params[item.name] = value.isoformat()
            elif isinstance(value, bool):
                params[item.name] = "1" if value else "0"
            else:
                params[item.name] = str(value)
        return params

    @classmethod
    def from_query_params(cls, params: Mapping[str, str]) -> IncidentFilter:
        """The filter a URL describes; unknown or malformed values are ignored (a link never breaks the page).

        ``parse_query_params`` also says what it ignored.

        >>> IncidentFilter.from_query_params({"geo_precisions": "1,2", "date_from": "2024-07-01", "x": "y"})
        IncidentFilter(date_from=datetime.date(2024, 7, 1), ..., geo_precisions=(1, 2), ...)
        """
        return parse_query_params(params)[0]

    def within(self, window: DateWindow, allowed: Mapping[str, Collection[object]]) -> tuple[IncidentFilter, list[str]]:
        """This filter with its dates moved into ``window`` and list values outside ``allowed``
        ({field name: values a widget offers}) dropped, and a note for each change.

        >>> IncidentFilter(adm2_pcodes=("IQG13Q02", "XYZ")).within(DateWindow.of(None, None), {"adm2_pcodes": ["IQG13Q02"]})[0].adm2_pcodes
        ('IQG13Q02',)
        """
        notes: list[str] = []
        changes: dict[str, object] = {}
        for name in ("date_from", "date_to"):
            day = getattr(self, name)
            if day is None or window.clamp(day) == day:
                continue
            changes[name] = moved = window.clamp(day)
            where = "before the first" if day < window.first else "after the last"
            end = "starts" if name == "date_from" else "ends"
            notes.append(f"{name} {day.isoformat()} is {where} date that can be shown; the range {end} at {moved.isoformat()}.")
        for name, choices in allowed.items():
            values = getattr(self, name)
            unknown = [v for v in values if v not in choices]
            if unknown:
                changes[name] = tuple(v for v in values if v in choices)
                notes.append(f"{name}: {_quoted(unknown)} {'is' if len(unknown) == 1 else 'are'} not among the choices; ignored.")
        return replace(self, **changes), notes  # type: ignore[arg-type]


# No incident has more deaths than this (DESIGN.md's sane bound); a larger minimum is a typo.
MAX_MIN_FATALITIES = 100_000
_FLAGS = {"1": True, "true": True, "yes": True, "0": False, "false": False, "no": False}
_SHOWN_CHARS = 60


def _shown(value: object) -> str:
    text = str(value)
    return "'" + (text if len(text) <= _SHOWN_CHARS else text[:_SHOWN_CHARS] + "…") + "'"


def _quoted(values: list[object]) -> str:
    return ", ".join(_shown(v) for v in values[:5]) + (f" and {len(values) - 5} more" if len(values) > 5 else "")


def _url_date(name: str, raw: str, notes: list[str]) -> date | None:
    try:
        day = date.fromisoformat(raw.strip())
    except ValueError:
        notes.append(f"{name} {_shown(raw)} is not a date (expected YYYY-MM-DD); ignored.")
        return None
    return day


def parse_query_params(params: Mapping[str, str], today: date | None = None) -> tuple[IncidentFilter, list[str]]:
    """The filter a URL describes, and a note for every value it ignored or changed.

    Never raises: malformed dates, a reversed range, unknown precisions or review states
    and a minimum of killed that is not a whole number 0..MAX_MIN_FATALITIES are ignored
    or clamped; dates are moved into EARLIEST_DATE..latest_date(today).

    >>> parse_query_params({"date_from": "abc", "min_fatalities": "-3"})[1]
    ["date_from 'abc' is not a date (expected YYYY-MM-DD); ignored.", 'min_fatalities -3 is below 0; 0 is used.']
    """
    notes: list[str] = []
    values: dict[str, object] = {}
    limits = DateWindow(first=EARLIEST_DATE, last=latest_date(today))
    for name in ("date_from", "date_to"):
        if name in params:
            day = _url_date(name, str(params[name]), notes)
            if day is not None:
                values[name] = day
    dated, notes_on_dates = IncidentFilter(**values).within(limits, {})  # type: ignore[arg-type]
    notes += notes_on_dates
    values.update(date_from=dated.date_from, date_to=dated.date_to)
    if dated.date_from and dated.date_to and dated.date_from > dated.date_to:
        notes.append(f"date_from {dated.date_from.isoformat()} is after date_to {dated.date_to.isoformat()}; both ignored.")
        values.update(date_from=None, date_to=None)
    for name in _LIST_FIELDS:
        raw = str(params.get(name, "")).strip()
        if not raw:
            continue
        items = tuple(dict.fromkeys(part.strip() for part in raw.split(",") if part.strip()))
        known: tuple[object, ...] | None = None
        if name == "geo_precisions":
            known = ("1", "2", "3")
        elif name == "review_states":
            known = REVIEW_STATES
        if known is not None:
            unknown = [item for item in items if item not in known]
            if unknown:
                notes.append(f"{name}: {_quoted(unknown)} {'is' if len(unknown) == 1 else 'are'} not one of {', '.join(map(str, known))}; ignored.")
            items = tuple(item for item in items if item in known)
        values[name] = tuple(int(p) for p in items) if name == "geo_precisions" else items
    if "min_fatalities" in params:
        raw = str(params["min_fatalities"]).strip()
        try:
            number = int(raw)
        except ValueError:
            notes.append(f"min_fatalities {_shown(raw)} is not a whole number; ignored.")
        else:
            if number < 0:
                notes.append(f"min_fatalities {number} is below 0; 0 is used.")
            elif number > MAX_MIN_FATALITIES:
                notes.append(f"min_fatalities {_shown(number)} is above {MAX_MIN_FATALITIES:,}; {MAX_MIN_FATALITIES:,} is used.")
            values["min_fatalities"] = min(max(number, 0), MAX_MIN_FATALITIES)
    if "include_undated" in params:
        flag = _FLAGS.get(str(params["include_undated"]).strip().lower())
        if flag is None:
            notes.append(f"include_undated {_shown(params['include_undated'])} is not 1 or 0; incidents with no date are included.")
        values["include_undated"] = True if flag is None else flag
    return IncidentFilter(**values), notes  # type: ignore[arg-type]


@dataclass(frozen=True)
class FilterChoices:
    """What the filter widgets offer for a set of incidents: the dates it spans and the
    values its text columns hold (sorted), beside the known vocabularies."""

    first_date: date | None
    last_date: date | None
    event_types: tuple[str, ...]
    actors: tuple[str, ...]
    sources: tuple[str, ...]


def filter_choices(
    incidents: pd.DataFrame, known_event_types: tuple[str, ...] = (), known_actors: tuple[str, ...] = ()
) -> FilterChoices:
    """The choices to offer for ``incidents`` (computed once per store, not per rerun).

    >>> filter_choices(pd.DataFrame({"event_date": ["2024-07-14", None], "event_type": ["Battles", None],
    ...     "actor1": ["Peshmerga", None], "actor2": [None, None], "source": ["964media", None]})).first_date
    datetime.date(2024, 7, 14)
    """
    dates = incidents["event_date"].dropna().astype(str)  # ISO strings: min/max need no parsing

    def values(*columns: str) -> set[str]:
        return {str(v) for column in columns for v in incidents[column].dropna().unique()}

    return FilterChoices(
        first_date=date.fromisoformat(dates.min()) if len(dates) else None,
        last_date=date.fromisoformat(dates.max()) if len(dates) else None,
        event_types=tuple(sorted(set(known_event_types) | values("event_type"))),
        actors=tuple(sorted(set(known_actors) | values("actor1", "actor2"))),
        sources=tuple(sorted(values("source"))),
    )


def review_state(incidents: pd.DataFrame) -> pd.Series:
    """Per incident: "needs_review" while flagged, else the analyst's decision (review_status)."""
    flagged = incidents["needs_review"].fillna(False).astype(bool)
    status = incidents["review_status"].fillna("unreviewed").astype(str)
    return status.where(~flagged, "needs_review")
