"""One filter object for incidents: it applies itself to a frame and says in plain English what it keeps."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

import pandas as pd


@dataclass(frozen=True)
class IncidentFilter:
    """What the user asked to see. Empty tuples and None mean "no restriction"."""

    date_from: date | None = None
    date_to: date | None = None
    adm2_pcodes: tuple[str, ...] = field(default_factory=tuple)
    event_types: tuple[str, ...] = field(default_factory=tuple)
    # Incidents whose date is unresolved stay visible under a date range unless excluded:
    # they wait for review, and hiding them would lose them from sight.
    include_undated: bool = True

    def mask(self, incidents: pd.DataFrame) -> pd.Series:
        """A boolean Series: True for the incidents this filter keeps."""
        keep = pd.Series(True, index=incidents.index)
        dates = pd.to_datetime(incidents["event_date"], errors="coerce")
        undated = dates.isna()
        if self.date_from is not None:
            keep &= (dates >= pd.Timestamp(self.date_from)) | (undated & self.include_undated)
        if self.date_to is not None:
            keep &= (dates <= pd.Timestamp(self.date_to)) | (undated & self.include_undated)
        if self.adm2_pcodes:
            keep &= incidents["adm2_pcode"].isin(self.adm2_pcodes).fillna(False)
        if self.event_types:
            keep &= incidents["event_type"].isin(self.event_types).fillna(False)
        return keep.astype(bool)

    def apply(self, incidents: pd.DataFrame) -> pd.DataFrame:
        """The incidents this filter keeps (a new frame)."""
        return incidents[self.mask(incidents)].copy()

    def caption(self, district_names: dict[str, str] | None = None) -> str:
        """What the filter keeps, in plain English.

        >>> IncidentFilter(date_from=date(2024, 7, 1), event_types=("Battles",), include_undated=False).caption()
        'Battles incidents from 2024-07-01'
        """
        names = district_names or {}
        kinds = " or ".join(self.event_types) + " incidents" if self.event_types else "All incidents"
        parts = [kinds]
        if self.date_from and self.date_to:
            parts.append(f"from {self.date_from:%Y-%m-%d} to {self.date_to:%Y-%m-%d}")
        elif self.date_from:
            parts.append(f"from {self.date_from:%Y-%m-%d}")
        elif self.date_to:
            parts.append(f"up to {self.date_to:%Y-%m-%d}")
        if (self.date_from or self.date_to) and self.include_undated:
            parts.append("(and those with no date yet)")
        if self.adm2_pcodes:
            places = ", ".join(names.get(p, p) for p in self.adm2_pcodes)
            parts.append(f"in {places} district" + ("s" if len(self.adm2_pcodes) > 1 else ""))
        return " ".join(parts)
