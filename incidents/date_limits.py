"""The window a date widget offers for a set of incidents, within the dates the product
works with: 1900-01-01 to a year ahead of today (DESIGN.md, incidents.schema)."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from incidents.schema import FIRST_VALID_DATE, last_valid_date

# The limits are the schema's (one rule for imports, review and widgets), under the names
# the widgets and URL parameters use.
EARLIEST_DATE = FIRST_VALID_DATE
latest_date = last_valid_date


def clamp_date(day: date, first: date, last: date) -> date:
    """``day`` moved into first..last.

    >>> clamp_date(date(1850, 1, 1), EARLIEST_DATE, date(2025, 1, 1))
    datetime.date(1900, 1, 1)
    """
    return min(max(day, first), last)


@dataclass(frozen=True)
class DateWindow:
    """The range a date widget offers: the incidents' first..last date, clamped to
    EARLIEST_DATE..latest_date(). ``data_first``/``data_last`` keep the data's own span,
    which may reach beyond it (a store written before dates were checked)."""

    first: date
    last: date
    data_first: date | None = None
    data_last: date | None = None

    @classmethod
    def of(cls, data_first: date | None, data_last: date | None, today: date | None = None) -> DateWindow:
        """The window for incidents dated data_first..data_last (today..today when none is dated).

        >>> DateWindow.of(date(1850, 3, 1), date(9999, 12, 31), today=date(2024, 7, 14)).last
        datetime.date(2025, 7, 14)
        """
        low, high = EARLIEST_DATE, latest_date(today)
        today = clamp_date(today or date.today(), low, high)
        first = clamp_date(data_first or today, low, high)
        last = clamp_date(data_last or today, low, high)
        return cls(first=min(first, last), last=max(first, last), data_first=data_first, data_last=data_last)

    def clamp(self, day: date) -> date:
        """``day`` moved into the window."""
        return clamp_date(day, self.first, self.last)

    def filter_bounds(self, first: date | None, last: date | None) -> tuple[date | None, date | None]:
        """A chosen range as filter bounds: an end at the window's edge is open (None) when the
        data reach beyond it, so no stored incident drops out of the default view.

        >>> DateWindow.of(date(1850, 1, 1), date(2024, 7, 14)).filter_bounds(date(1900, 1, 1), date(2024, 7, 14))
        (None, datetime.date(2024, 7, 14))
        """
        beyond_start = self.data_first is not None and self.data_first < self.first
        beyond_end = self.data_last is not None and self.data_last > self.last
        start = None if first is not None and first <= self.first and beyond_start else first
        end = None if last is not None and last >= self.last and beyond_end else last
        return start, end
