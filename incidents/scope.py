"""Which incidents belong to a region: Kirkuk governorate, Kirkuk and its neighbours, or all.

The same test in pandas and in SQL, so the filter's mask and its ``WHERE`` agree, and the
importer's ``--within`` skips exactly the rows the Map's scope would leave out.

An incident whose governorate is unknown (no point and no ADM1 pcode: a place not resolved
yet; or a point never joined to the boundaries) belongs to every region: it may well be in Kirkuk, and it waits for review rather than
disappearing from the view that would list it.
"""
from __future__ import annotations

import pandas as pd
import sqlalchemy as sa

from geo.boundaries import KIRKUK_PCODE

# geo.boundaries.neighbour_pcodes() of the COD-AB ADM1 layer: Kirkuk and every governorate within
# NEIGHBOUR_KM (30 km) of it: Al-Sulaymaniyah, Diyala, Erbil, Ninewa, Salah Al-Din
# (tests/test_scope.py checks the constant against the real layer).
NEIGHBOUR_PCODES = frozenset({"IQG06", "IQG10", "IQG11", "IQG13", "IQG15", "IQG16"})

KIRKUK = "kirkuk"
NEIGHBOURS = "neighbours"
EVERYWHERE = "all"
# The regions, in the order a user is offered them, with their words in a caption.
REGIONS = {KIRKUK: "Kirkuk governorate", NEIGHBOURS: "Kirkuk and its neighbours", EVERYWHERE: "everything in the store"}


def _column(incidents: pd.DataFrame, name: str) -> pd.Series:
    """A column, or all missing when the frame lacks it (a column may be missing, like any value)."""
    return incidents[name] if name in incidents else pd.Series(pd.NA, index=incidents.index, dtype="object")


def in_kirkuk(incidents: pd.DataFrame) -> pd.Series:
    """True for incidents that lie in Kirkuk governorate (``in_kirkuk``, else its ADM1 pcode)."""
    flagged = _column(incidents, "in_kirkuk").astype("boolean").fillna(False).astype(bool)
    return flagged | (_column(incidents, "adm1_pcode").astype("string") == KIRKUK_PCODE).fillna(False).astype(bool)


def place_unknown(incidents: pd.DataFrame) -> pd.Series:
    """True for incidents whose governorate is not known: no ADM1 pcode, and no point (or a point
    never joined to the boundaries: ``in_kirkuk`` missing, as in a frame made by hand)."""
    no_point = _column(incidents, "latitude").isna() | _column(incidents, "longitude").isna()
    not_joined = _column(incidents, "in_kirkuk").isna()
    return (_column(incidents, "adm1_pcode").isna() & (no_point | not_joined) & ~in_kirkuk(incidents)).astype(bool)


def outside_kirkuk(incidents: pd.DataFrame) -> pd.Series:
    """True for incidents placed in another governorate (or outside every loaded one): context on a wider scope."""
    return (~in_kirkuk(incidents) & ~place_unknown(incidents)).astype(bool)


def in_region(incidents: pd.DataFrame, region: str) -> pd.Series:
    """True for the incidents of ``region`` (one of REGIONS); those with no known governorate are in every region.

    >>> frame = pd.DataFrame({"in_kirkuk": [True, False, False, None], "adm1_pcode": ["IQG13", "IQG15", None, None],
    ...     "latitude": [35.5, 36.3, 33.3, None], "longitude": [44.4, 43.1, 44.4, None]})
    >>> in_region(frame, "kirkuk").tolist(), in_region(frame, "neighbours").tolist()
    ([True, False, False, True], [True, True, False, True])
    """
    if region == EVERYWHERE:
        return pd.Series(True, index=incidents.index)
    inside = in_kirkuk(incidents)
    if region == NEIGHBOURS:
        inside |= _column(incidents, "adm1_pcode").astype("string").isin(NEIGHBOUR_PCODES).fillna(False).astype(bool)
    elif region != KIRKUK:
        raise ValueError(f"Unknown region {region!r}; choose one of: {', '.join(REGIONS)}.")
    return (inside | place_unknown(incidents)).astype(bool)


def in_kirkuk_sql(table: sa.Table) -> sa.ColumnElement[bool]:
    """``in_kirkuk`` in SQL."""
    return sa.or_(table.c.in_kirkuk == sa.true(), table.c.adm1_pcode == KIRKUK_PCODE)


def place_unknown_sql(table: sa.Table) -> sa.ColumnElement[bool]:
    """``place_unknown`` in SQL (``in_kirkuk_sql`` is tested first wherever both are used)."""
    return sa.and_(
        table.c.adm1_pcode.is_(None),
        sa.or_(table.c.latitude.is_(None), table.c.longitude.is_(None), table.c.in_kirkuk.is_(None)),
    )


def in_region_sql(table: sa.Table, region: str) -> sa.ColumnElement[bool] | None:
    """``in_region`` as a SQL condition on the incidents table (None for everything)."""
    if region == EVERYWHERE:
        return None
    inside = [in_kirkuk_sql(table)]
    if region == NEIGHBOURS:
        inside.append(table.c.adm1_pcode.in_(sorted(NEIGHBOUR_PCODES)))
    elif region != KIRKUK:
        raise ValueError(f"Unknown region {region!r}; choose one of: {', '.join(REGIONS)}.")
    return sa.or_(*inside, place_unknown_sql(table))
