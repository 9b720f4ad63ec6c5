"""One filter object for incidents, declared as data (like datasette's ``filters.py``).

``FIELDS`` lists each filter field once: its name (the filter's attribute and its URL key),
its kind (which widget the app draws), its widget label, its caption wording and what it
tests per incident. From that table the filter derives its attributes, a pandas mask, a SQL
``WHERE`` clause for the store, a plain-English caption, and a URL query string that
round-trips (with a note for every value a link gets wrong). Adding a filter is one line in
``FIELDS``; the Map page draws its widget by kind. The kinds are in ``incidents.filter_fields``.
"""
from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date
from typing import Collection, Iterable, Mapping

import pandas as pd
import sqlalchemy as sa

from incidents.date_limits import EARLIEST_DATE, DateWindow, latest_date
from incidents.filter_fields import AtLeast, Choice, Computed, DateRange, FilterField, Flag, OneOf, Params
from incidents.schema import EVENT_TYPES, GEO_PRECISION, REVIEW_STATUSES
from incidents.scope import EVERYWHERE, KIRKUK, NEIGHBOURS, in_region, in_region_sql

# Review states a user can filter on: needs_review, or the analyst's decision.
REVIEW_STATES = ("needs_review", *REVIEW_STATUSES)
REVIEW_STATE_WORDS = {state: state.replace("_", " ") for state in REVIEW_STATES}
# No incident has more deaths than this (DESIGN.md's sane bound); a larger minimum is a typo.
MAX_MIN_FATALITIES = 100_000


def review_state(incidents: pd.DataFrame) -> pd.Series:
    """Per incident: "needs_review" while flagged, else the analyst's decision (review_status)."""
    flagged = incidents["needs_review"].fillna(False).astype(bool)
    status = incidents["review_status"].fillna("unreviewed").astype(str)
    return status.where(~flagged, "needs_review")


def review_state_sql(table: sa.Table) -> sa.ColumnElement:
    """``review_state`` in SQL."""
    return sa.case((table.c.needs_review == sa.true(), "needs_review"), else_=sa.func.coalesce(table.c.review_status, "unreviewed"))


# The filter, one field a line, in the order of the Map page's sidebar (and of the caption,
# after its subject). Names are URL keys: links made before stay valid.
FIELDS: tuple[FilterField, ...] = (
    # Kirkuk governorate unless widened; incidents with no known governorate are in every scope (incidents.scope).
    OneOf("scope", "Show incidents in", default=KIRKUK, keep=in_region, keep_sql=in_region_sql,
          options={KIRKUK: "Kirkuk governorate", NEIGHBOURS: "Kirkuk and its neighbours (within 30 km)",
                   EVERYWHERE: "Everything in the store"},
          wording={KIRKUK: "in Kirkuk governorate", NEIGHBOURS: "in Kirkuk and its neighbours", EVERYWHERE: "anywhere in the store"}),
    DateRange("date_range", "Date range", column="event_date"),
    Flag("include_undated", "Include incidents with no date yet", if_unclear="incidents with no date are included"),
    Choice("adm2_pcodes", "District", widget="districts", column="adm2_pcode", pcodes=True, wording="in {values} district{s}"),
    Choice("adm3_pcodes", "Sub-district", widget="sub_districts", refines="adm2_pcodes", column="adm3_pcode", pcodes=True,
           wording="in {values} sub-district{s}"),
    Choice("event_types", "Event type", subject=True, column="event_type", wording="{values} incidents", joiner=" or "),
    Choice("sub_event_types", "Sub-event type", subject=True, refines="event_types", column="sub_event_type",
           wording="{values} incidents", joiner=" or "),
    Choice("actors", "Actor", column=("actor1", "actor2"), wording="involving {values}", joiner=" or "),
    AtLeast("min_fatalities", "At least this many killed", column="fatalities", maximum=MAX_MIN_FATALITIES,
            wording="with at least {value} killed"),
    Choice("geo_precisions", "Place precision", widget="precisions", column="geo_precision", value_type=int,
           vocabulary=GEO_PRECISION, option_format="{value}: {label}", wording="placed as {values}", joiner=" or "),
    Choice("review_states", "Review status", column=Computed(review_state, review_state_sql), vocabulary=REVIEW_STATE_WORDS,
           wording="review: {values}"),
    Choice("sources", "Source", column="source", wording="from {values}"),
)
FIELDS_BY_NAME: dict[str, FilterField] = {item.name: item for item in FIELDS}


def _with_declared_fields(cls: type) -> type:
    """Give the filter class one attribute per value ``FIELDS`` holds (then @dataclass makes it a record)."""
    annotations: dict[str, object] = {}
    for item in FIELDS:
        for name, (kind, default) in item.attributes().items():
            annotations[name] = kind
            setattr(cls, name, default)
    cls.__annotations__ = annotations
    return cls


@dataclass(frozen=True)
@_with_declared_fields
class IncidentFilter:
    """What the user asked to see: one attribute per value of ``FIELDS``; empty tuples,
    None and 0 mean "no restriction"; the scope is Kirkuk governorate unless widened."""

    def mask(self, incidents: pd.DataFrame) -> pd.Series:
        """A boolean Series: True for the incidents this filter keeps."""
        keep = pd.Series(True, index=incidents.index)
        for item in FIELDS:
            kept = item.mask(self, incidents)
            if kept is not None:
                keep &= kept
        return keep.astype(bool)

    def apply(self, incidents: pd.DataFrame) -> pd.DataFrame:
        """The incidents this filter keeps (a new frame; pandas copies on write).

        When it keeps every row the frame itself is returned: no copy of a large table
        for the default view.
        """
        keep = self.mask(incidents)
        return incidents if keep.all() else incidents[keep]

    def where(self, table: sa.Table) -> sa.ColumnElement[bool]:
        """The filter as a SQL condition on the store's incidents table (keeps what ``apply`` keeps).

        >>> from incidents.store import incidents_table
        >>> where = IncidentFilter(scope="all", min_fatalities=2, sources=("964media",)).where(incidents_table)
        >>> print(where.compile(compile_kwargs={"literal_binds": True}))
        coalesce(incidents.fatalities, 0) >= 2 AND incidents.source IN ('964media')
        """
        conditions = [condition for item in FIELDS if (condition := item.where(self, table)) is not None]
        return sa.and_(*conditions) if conditions else sa.true()

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
        'Battles incidents in Kirkuk governorate from 2024-07-01'
        """
        names = unit_names or {}
        refined = {item.refines for item in FIELDS if item.refines and item.is_set(self)}
        words = {item.name: item.caption(self, names) for item in FIELDS if item.name not in refined}
        subject = [text for item in FIELDS if item.subject and (text := words.get(item.name))]
        qualifiers = [text for item in FIELDS if not item.subject and (text := words.get(item.name))]
        return " ".join((subject or ["All incidents"]) + qualifiers)

    def to_query_params(self, baseline: IncidentFilter | None = None) -> dict[str, str]:
        """The filter as URL query parameters: only the fields that differ from ``baseline``
        (by default no filter); lists are comma-joined.

        >>> IncidentFilter(adm2_pcodes=("IQG13Q02",), min_fatalities=2).to_query_params()
        {'adm2_pcodes': 'IQG13Q02', 'min_fatalities': '2'}
        """
        baseline = IncidentFilter() if baseline is None else baseline
        params: dict[str, str] = {}
        for item in FIELDS:
            if item.value(self) != item.value(baseline):
                params |= item.to_params(self)
        return params

    @classmethod
    def from_query_params(cls, params: Params) -> IncidentFilter:
        """The filter a URL describes; unknown or malformed values are ignored (a link never breaks the page).

        ``parse_query_params`` also says what it ignored.

        >>> IncidentFilter.from_query_params({"geo_precisions": "1,2", "date_from": "2024-07-01", "x": "y"})
        IncidentFilter(scope='kirkuk', date_from=datetime.date(2024, 7, 1), ..., geo_precisions=(1, 2), ...)
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
        for item in FIELDS:
            changes |= item.within(self, window, allowed, notes)
        return replace(self, **changes), notes  # type: ignore[arg-type]


def parse_query_params(params: Params, today: date | None = None) -> tuple[IncidentFilter, list[str]]:
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
    for item in FIELDS:
        values |= item.parse(params, limits, notes)
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


def sub_event_types_of(event_types: Iterable[str]) -> list[str]:
    """The sub-event types of ``event_types`` (of every type when none is given), sorted.

    >>> sub_event_types_of(["Riots"])
    ['Mob violence', 'Violent demonstration']
    """
    chosen = tuple(event_types) or tuple(EVENT_TYPES)
    return sorted({sub for kind in chosen for sub in EVENT_TYPES.get(kind, ())})
