"""Questions the store answers in the database: the filtered rows (only the columns asked
for), the per-unit and per-month counts (``GROUP BY``) and the filter widgets' choices.

The same answers as ``IncidentFilter.apply`` and ``incidents.aggregate`` on a frame of
every incident, without reading every incident: the filter becomes a SQL ``WHERE``
(``IncidentFilter.where``) and the indexes of migration 3 serve it, on SQLite and PostgreSQL.
"""
from __future__ import annotations

from datetime import date
from typing import Sequence

import pandas as pd
import sqlalchemy as sa

from incidents.aggregate import OUTSIDE_KIRKUK, UNKNOWN_DISTRICT
from incidents.filters import FilterChoices, IncidentFilter
from incidents.schema import COLUMN_NAMES, conform
from incidents.scope import in_kirkuk_sql, place_unknown_sql
from incidents.store import incidents_table



def read_filtered(
    engine: sa.Engine, incident_filter: IncidentFilter, columns: Sequence[str] | None = None
) -> pd.DataFrame:
    """The incidents ``incident_filter`` keeps, oldest first, with only ``columns`` (all when None).

    Raises KeyError for a column the schema does not have.
    """
    names = list(COLUMN_NAMES if columns is None else columns)
    unknown = [name for name in names if name not in COLUMN_NAMES]
    if unknown:
        raise KeyError(f"Unknown column(s): {', '.join(unknown)}. Columns are listed in incidents/schema.py.")
    table = incidents_table
    query = (
        sa.select(*[table.c[name] for name in names])
        .where(incident_filter.where(table))
        .order_by(table.c.event_date, table.c.incident_id)
    )
    with engine.connect() as connection:
        frame = pd.read_sql(query, connection)
    return conform(frame)[names].reset_index(drop=True)


def counts_by_unit(engine: sa.Engine, incident_filter: IncidentFilter, level: int) -> pd.DataFrame:
    """Incidents and fatalities per ADM2 or ADM3 pcode (the index) among the filtered incidents.

    As ``incidents.aggregate``: only incidents known at that level count; no death count is 0.
    """
    if level not in (2, 3):
        raise ValueError(f"The level must be 2 (districts) or 3 (sub-districts), not {level!r}.")
    table = incidents_table
    pcode = table.c[f"adm{level}_pcode"]
    query = (
        sa.select(
            pcode.label("pcode"),
            sa.func.count().label("incidents"),
            sa.func.coalesce(sa.func.sum(table.c.fatalities), 0).label("fatalities"),
        )
        .where(incident_filter.where(table), pcode.is_not(None))
        .group_by(pcode)
        .order_by(pcode)
    )
    with engine.connect() as connection:
        frame = pd.read_sql(query, connection)
    return frame.astype({"incidents": "int64", "fatalities": "int64"}).set_index("pcode")


def monthly_by_district(engine: sa.Engine, incident_filter: IncidentFilter) -> pd.DataFrame:
    """Incidents and fatalities per month and district among the filtered incidents (long form).

    The same frame as ``incidents.aggregate.monthly_by_district``: month (first day, a
    Timestamp), district (admin2, or "district unknown"), incidents, fatalities; undated
    incidents are left out.
    """
    table = incidents_table
    month = sa.func.substr(table.c.event_date, 1, 7)  # ISO dates: "YYYY-MM"
    district = sa.case(
        (sa.or_(in_kirkuk_sql(table), place_unknown_sql(table)), sa.func.coalesce(table.c.admin2, UNKNOWN_DISTRICT)),
        else_=OUTSIDE_KIRKUK,
    )
    query = (
        sa.select(
            month.label("month"),
            district.label("district"),
            sa.func.count().label("incidents"),
            sa.func.coalesce(sa.func.sum(table.c.fatalities), 0).label("fatalities"),
        )
        .where(incident_filter.where(table), table.c.event_date.is_not(None))
        .group_by(month, district)
        .order_by(month, district)
    )
    with engine.connect() as connection:
        frame = pd.read_sql(query, connection)
    frame["month"] = pd.to_datetime(frame["month"] + "-01")
    frame["district"] = frame["district"].astype("string")
    return frame.astype({"incidents": "int64", "fatalities": "int64"})


def store_filter_choices(
    engine: sa.Engine, known_event_types: tuple[str, ...] = (), known_actors: tuple[str, ...] = ()
) -> FilterChoices:
    """``incidents.filters.filter_choices`` for the whole store, asked of the database."""
    table = incidents_table

    def distinct(*columns: str) -> set[str]:
        union = sa.union(*[sa.select(table.c[c].label("value")).where(table.c[c].is_not(None)) for c in columns])
        return {str(v) for v in connection.execute(union).scalars()}

    with engine.connect() as connection:
        first, last = connection.execute(sa.select(sa.func.min(table.c.event_date), sa.func.max(table.c.event_date))).one()
        return FilterChoices(
            first_date=date.fromisoformat(first) if first else None,
            last_date=date.fromisoformat(last) if last else None,
            event_types=tuple(sorted(set(known_event_types) | distinct("event_type"))),
            actors=tuple(sorted(set(known_actors) | distinct("actor1", "actor2"))),
            sources=tuple(sorted(distinct("source"))),
        )
