"""The kinds of filter field (a date range, a choice, a minimum, a flag): each parses its
URL values with a note for what it ignores, and says its caption, pandas mask and SQL
condition. ``incidents.filters`` declares the fields of the filter with them."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Callable, ClassVar, Collection, Mapping

import pandas as pd
import sqlalchemy as sa

from incidents.date_limits import DateWindow

if TYPE_CHECKING:
    from incidents.filters import IncidentFilter

_FLAGS = {"1": True, "true": True, "yes": True, "0": False, "false": False, "no": False}
_SHOWN_CHARS = 60

Params = Mapping[str, str]


def shown_value(value: object) -> str:
    """A value from a link, quoted and shortened for a note.

    >>> shown_value("abc"), len(shown_value("x" * 10_000))
    ("'abc'", 63)
    """
    text = str(value)
    return "'" + (text if len(text) <= _SHOWN_CHARS else text[:_SHOWN_CHARS] + "…") + "'"


def shown_values(values: list[object]) -> str:
    """The first five values, quoted, and how many more."""
    return ", ".join(shown_value(v) for v in values[:5]) + (f" and {len(values) - 5} more" if len(values) > 5 else "")


def _is_are(values: list[object]) -> str:
    return "is" if len(values) == 1 else "are"


@dataclass(frozen=True)
class Computed:
    """A value per incident computed from its columns, the same way in pandas and in SQL."""

    series: Callable[[pd.DataFrame], pd.Series]
    sql: Callable[[sa.Table], sa.ColumnElement]


@dataclass(frozen=True)
class FilterField:
    """One field of the filter. ``name`` is the filter's attribute and its URL key; ``widget``
    the app's session-state key for its widget (``name`` unless given); ``refines`` names a
    broader field whose choices this one narrows (and whose caption it replaces when set);
    a ``subject`` field's caption is the noun the others qualify ("Battles incidents")."""

    name: str
    label: str
    widget: str = ""
    refines: str | None = None
    subject: bool = False
    kind: ClassVar[str] = ""

    def __post_init__(self) -> None:
        if not self.widget:
            object.__setattr__(self, "widget", self.name)

    def attributes(self) -> dict[str, tuple[object, object]]:
        """The filter attributes this field holds: {name: (type, default)}; the default restricts nothing."""
        raise NotImplementedError

    def value(self, incident_filter: IncidentFilter) -> object:
        """The field's value in a filter (a tuple of its attributes when it holds several)."""
        values = tuple(getattr(incident_filter, name) for name in self.attributes())
        return values[0] if len(values) == 1 else values

    def is_set(self, incident_filter: IncidentFilter) -> bool:
        """True when the field restricts anything."""
        return any(getattr(incident_filter, name) != default for name, (_, default) in self.attributes().items())

    def parse(self, params: Params, limits: DateWindow, notes: list[str]) -> dict[str, object]:
        """The field's attributes as a link gives them; a note for each value ignored or changed."""
        raise NotImplementedError

    def to_params(self, incident_filter: IncidentFilter) -> dict[str, str]:
        """The field as URL query parameters."""
        raise NotImplementedError

    def caption(self, incident_filter: IncidentFilter, unit_names: Mapping[str, str]) -> str | None:
        """The field's words in the filter's caption (None when it says nothing)."""
        return None

    def mask(self, incident_filter: IncidentFilter, incidents: pd.DataFrame) -> pd.Series | None:
        """True for the incidents the field keeps (None when it keeps them all)."""
        return None

    def where(self, incident_filter: IncidentFilter, table: sa.Table) -> sa.ColumnElement | None:
        """The SQL condition the field puts on ``table`` (None when it keeps every row)."""
        return None

    def within(
        self, incident_filter: IncidentFilter, window: DateWindow, allowed: Mapping[str, Collection[object]], notes: list[str]
    ) -> dict[str, object]:
        """Changes that keep the field within what the widgets offer, with a note for each."""
        return {}


@dataclass(frozen=True, kw_only=True)
class DateRange(FilterField):
    """Incidents dated from ``start`` to ``end`` (either may be open). Incidents with no date
    stay in sight under a range while the ``undated`` flag is on: they wait for review."""

    column: str
    start: str = "date_from"
    end: str = "date_to"
    undated: str = "include_undated"
    kind: ClassVar[str] = "date_range"

    def attributes(self) -> dict[str, tuple[object, object]]:
        return {self.start: (date | None, None), self.end: (date | None, None)}

    def clamped(self, days: Mapping[str, date | None], window: DateWindow, notes: list[str]) -> dict[str, date | None]:
        """``days`` ({start or end: date}) moved into ``window``, with a note for each move."""
        moved: dict[str, date | None] = {}
        for name, day in days.items():
            if day is None or window.clamp(day) == day:
                continue
            moved[name] = window.clamp(day)
            where = "before the first" if day < window.first else "after the last"
            end = "starts" if name == self.start else "ends"
            notes.append(f"{name} {day.isoformat()} is {where} date that can be shown; the range {end} at {moved[name].isoformat()}.")
        return moved

    def parse(self, params: Params, limits: DateWindow, notes: list[str]) -> dict[str, object]:
        days: dict[str, date | None] = {self.start: None, self.end: None}
        for name in days:
            if name in params:
                raw = str(params[name])
                try:
                    days[name] = date.fromisoformat(raw.strip())
                except ValueError:
                    notes.append(f"{name} {shown_value(raw)} is not a date (expected YYYY-MM-DD); ignored.")
        days |= self.clamped(days, limits, notes)
        first, last = days[self.start], days[self.end]
        if first and last and first > last:
            notes.append(f"{self.start} {first.isoformat()} is after {self.end} {last.isoformat()}; both ignored.")
            days = {self.start: None, self.end: None}
        return dict(days)

    def to_params(self, incident_filter: IncidentFilter) -> dict[str, str]:
        days = {name: getattr(incident_filter, name) for name in (self.start, self.end)}
        return {name: day.isoformat() for name, day in days.items() if day is not None}

    def caption(self, incident_filter: IncidentFilter, unit_names: Mapping[str, str]) -> str | None:
        first, last = getattr(incident_filter, self.start), getattr(incident_filter, self.end)
        if first and last:
            words = f"from {first:%Y-%m-%d} to {last:%Y-%m-%d}"
        elif first or last:
            words = f"from {first:%Y-%m-%d}" if first else f"up to {last:%Y-%m-%d}"
        else:
            return None
        return words + (" (and those with no date yet)" if getattr(incident_filter, self.undated) else "")

    def mask(self, incident_filter: IncidentFilter, incidents: pd.DataFrame) -> pd.Series | None:
        first, last = getattr(incident_filter, self.start), getattr(incident_filter, self.end)
        if first is None and last is None:
            return None
        # ISO strings (YYYY-MM-DD) compare in date order: no parsing.
        dates = incidents[self.column].astype("string")
        keep = pd.Series(True, index=incidents.index)
        if first is not None:
            keep &= (dates >= first.isoformat()).fillna(False).astype(bool)
        if last is not None:
            keep &= (dates <= last.isoformat()).fillna(False).astype(bool)
        return keep | (dates.isna() & getattr(incident_filter, self.undated))

    def where(self, incident_filter: IncidentFilter, table: sa.Table) -> sa.ColumnElement | None:
        first, last = getattr(incident_filter, self.start), getattr(incident_filter, self.end)
        column = table.c[self.column]
        bounds = [column >= first.isoformat()] if first is not None else []
        bounds += [column <= last.isoformat()] if last is not None else []
        if not bounds:
            return None
        dated = sa.and_(*bounds)
        return sa.or_(dated, column.is_(None)) if getattr(incident_filter, self.undated) else dated

    def within(
        self, incident_filter: IncidentFilter, window: DateWindow, allowed: Mapping[str, Collection[object]], notes: list[str]
    ) -> dict[str, object]:
        return dict(self.clamped({name: getattr(incident_filter, name) for name in (self.start, self.end)}, window, notes))


@dataclass(frozen=True, kw_only=True)
class Choice(FilterField):
    """Incidents whose ``column`` (or any of several columns, or a Computed value) holds one
    of the chosen values. A ``vocabulary`` ({value: words}) is a fixed set a link must keep
    to; otherwise the page offers the values (pcodes, the store's types, actors, sources)."""

    column: str | tuple[str, ...] | Computed
    wording: str  # the caption: "{values}" the chosen values' words, "{s}" a plural ending
    joiner: str = ", "
    vocabulary: Mapping[object, str] | None = None
    option_format: str = "{label}"  # a vocabulary value in the widget
    pcodes: bool = False  # values are pcodes, named in the caption by unit names
    value_type: type = str
    kind: ClassVar[str] = "choice"

    def attributes(self) -> dict[str, tuple[object, object]]:
        return {self.name: (tuple[self.value_type, ...], ())}

    def option_label(self, value: object) -> str:
        """How the widget shows a vocabulary value."""
        return self.option_format.format(value=value, label=(self.vocabulary or {}).get(value, value))

    def parse(self, params: Params, limits: DateWindow, notes: list[str]) -> dict[str, object]:
        raw = str(params.get(self.name, "")).strip()
        if not raw:
            return {}
        items = tuple(dict.fromkeys(part.strip() for part in raw.split(",") if part.strip()))
        if self.vocabulary is not None:
            known = tuple(str(value) for value in self.vocabulary)
            unknown = [item for item in items if item not in known]
            if unknown:
                notes.append(f"{self.name}: {shown_values(unknown)} {_is_are(unknown)} not one of {', '.join(known)}; ignored.")
            items = tuple(item for item in items if item in known)
        return {self.name: tuple(self.value_type(item) for item in items)}

    def to_params(self, incident_filter: IncidentFilter) -> dict[str, str]:
        return {self.name: ",".join(str(v) for v in getattr(incident_filter, self.name))}

    def caption(self, incident_filter: IncidentFilter, unit_names: Mapping[str, str]) -> str | None:
        chosen = getattr(incident_filter, self.name)
        if not chosen:
            return None
        if self.vocabulary is not None:
            words = [label for value, label in self.vocabulary.items() if value in chosen]
        else:
            words = [unit_names.get(v, v) if self.pcodes else str(v) for v in chosen]
        return self.wording.format(values=self.joiner.join(words), s="s" if len(words) > 1 else "")

    def _columns(self) -> tuple[str, ...]:
        return (self.column,) if isinstance(self.column, str) else self.column  # type: ignore[return-value]

    def mask(self, incident_filter: IncidentFilter, incidents: pd.DataFrame) -> pd.Series | None:
        chosen = getattr(incident_filter, self.name)
        if not chosen:
            return None
        if isinstance(self.column, Computed):
            values = [self.column.series(incidents)]
        else:
            values = [incidents[name] for name in self._columns()]
        if self.value_type is not str:
            values = [pd.to_numeric(v, errors="coerce") for v in values]
        keep = pd.Series(False, index=incidents.index)
        for column in values:
            keep |= column.isin(chosen).fillna(False).astype(bool)
        return keep

    def where(self, incident_filter: IncidentFilter, table: sa.Table) -> sa.ColumnElement | None:
        chosen = getattr(incident_filter, self.name)
        if not chosen:
            return None
        if isinstance(self.column, Computed):
            return self.column.sql(table).in_(chosen)
        return sa.or_(*(table.c[name].in_(chosen) for name in self._columns()))

    def within(
        self, incident_filter: IncidentFilter, window: DateWindow, allowed: Mapping[str, Collection[object]], notes: list[str]
    ) -> dict[str, object]:
        if self.name not in allowed:
            return {}
        values, choices = getattr(incident_filter, self.name), allowed[self.name]
        unknown = [v for v in values if v not in choices]
        if not unknown:
            return {}
        notes.append(f"{self.name}: {shown_values(unknown)} {_is_are(unknown)} not among the choices; ignored.")
        return {self.name: tuple(v for v in values if v in choices)}


@dataclass(frozen=True, kw_only=True)
class AtLeast(FilterField):
    """Incidents whose ``column`` is at least the chosen whole number (0, the default, keeps
    all; a missing number counts as 0)."""

    column: str
    wording: str  # the caption: "{value}" the number
    maximum: int  # a larger number in a link is taken as this
    kind: ClassVar[str] = "at_least"

    def attributes(self) -> dict[str, tuple[object, object]]:
        return {self.name: (int, 0)}

    def parse(self, params: Params, limits: DateWindow, notes: list[str]) -> dict[str, object]:
        if self.name not in params:
            return {}
        raw = str(params[self.name]).strip()
        try:
            number = int(raw)
        except ValueError:
            notes.append(f"{self.name} {shown_value(raw)} is not a whole number; ignored.")
            return {}
        if number < 0:
            notes.append(f"{self.name} {number} is below 0; 0 is used.")
        elif number > self.maximum:
            notes.append(f"{self.name} {shown_value(number)} is above {self.maximum:,}; {self.maximum:,} is used.")
        return {self.name: min(max(number, 0), self.maximum)}

    def to_params(self, incident_filter: IncidentFilter) -> dict[str, str]:
        return {self.name: str(getattr(incident_filter, self.name))}

    def caption(self, incident_filter: IncidentFilter, unit_names: Mapping[str, str]) -> str | None:
        number = getattr(incident_filter, self.name)
        return self.wording.format(value=number) if number > 0 else None

    def mask(self, incident_filter: IncidentFilter, incidents: pd.DataFrame) -> pd.Series | None:
        number = getattr(incident_filter, self.name)
        return pd.to_numeric(incidents[self.column], errors="coerce").fillna(0) >= number if number > 0 else None

    def where(self, incident_filter: IncidentFilter, table: sa.Table) -> sa.ColumnElement | None:
        number = getattr(incident_filter, self.name)
        return sa.func.coalesce(table.c[self.column], 0) >= number if number > 0 else None


@dataclass(frozen=True, kw_only=True)
class Flag(FilterField):
    """A yes/no option that another field reads (the date range reads include_undated)."""

    default: bool = True
    if_unclear: str  # what a link's value that is neither yes nor no gives, said in its note
    kind: ClassVar[str] = "flag"

    def attributes(self) -> dict[str, tuple[object, object]]:
        return {self.name: (bool, self.default)}

    def parse(self, params: Params, limits: DateWindow, notes: list[str]) -> dict[str, object]:
        if self.name not in params:
            return {}
        flag = _FLAGS.get(str(params[self.name]).strip().lower())
        if flag is None:
            notes.append(f"{self.name} {shown_value(params[self.name])} is not 1 or 0; {self.if_unclear}.")
        return {self.name: self.default if flag is None else flag}

    def to_params(self, incident_filter: IncidentFilter) -> dict[str, str]:
        return {self.name: "1" if getattr(incident_filter, self.name) else "0"}




@dataclass(frozen=True, kw_only=True)
class OneOf(FilterField):
    """Exactly one of a few named ``options`` ({value: label}), where the default may itself be a
    restriction (the scope: Kirkuk governorate unless widened). ``keep`` says per value what it
    keeps (pandas and SQL, None for everything) and ``wording`` its caption (None says nothing)."""

    options: Mapping[str, str]
    default: str
    keep: Callable[[pd.DataFrame, str], pd.Series]
    keep_sql: Callable[[sa.Table, str], sa.ColumnElement | None]
    wording: Mapping[str, str | None]
    kind: ClassVar[str] = "one_of"

    def attributes(self) -> dict[str, tuple[object, object]]:
        return {self.name: (str, self.default)}

    def option_label(self, value: object) -> str:
        """How the widget shows an option."""
        return self.options.get(str(value), str(value))

    def parse(self, params: Params, limits: DateWindow, notes: list[str]) -> dict[str, object]:
        if self.name not in params:
            return {}
        raw = str(params[self.name]).strip()
        if raw not in self.options:
            notes.append(f"{self.name} {shown_value(raw)} is not one of {', '.join(self.options)}; {self.default} is used.")
            return {}
        return {self.name: raw}

    def to_params(self, incident_filter: IncidentFilter) -> dict[str, str]:
        return {self.name: getattr(incident_filter, self.name)}

    def caption(self, incident_filter: IncidentFilter, unit_names: Mapping[str, str]) -> str | None:
        return self.wording.get(getattr(incident_filter, self.name))

    def mask(self, incident_filter: IncidentFilter, incidents: pd.DataFrame) -> pd.Series | None:
        return self.keep(incidents, getattr(incident_filter, self.name))

    def where(self, incident_filter: IncidentFilter, table: sa.Table) -> sa.ColumnElement | None:
        return self.keep_sql(table, getattr(incident_filter, self.name))
