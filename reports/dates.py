"""Date phrases in report text -> incident dates with ACLED's ``time_precision``.

Reports date incidents in many ways: "October 18, 2024", "18 Oct", "on Wednesday night",
"yesterday", "last week", "earlier this month". Relative phrases only mean something
against the publication date, so every function takes it; without one, a relative phrase
is kept as a mention with no date and a reason (DESIGN.md: not found is data).

Precision follows ACLED: 1 the day is known, 2 the week (date = the week's middle),
3 the month (date = the 15th).
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta

MONTHS = {
    name: number
    for number, names in enumerate(
        (
            ("january", "jan"), ("february", "feb"), ("march", "mar"), ("april", "apr"), ("may",),
            ("june", "jun"), ("july", "jul"), ("august", "aug"), ("september", "sep", "sept"),
            ("october", "oct"), ("november", "nov"), ("december", "dec"),
        ),
        start=1,
    )
    for name in names
}
WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
NUMBER_WORDS_SMALL = {"two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "ten": 10}

_MONTH = r"(?P<month>" + "|".join(sorted(MONTHS, key=len, reverse=True)) + r")\.?"
_DAY = r"(?P<day>[0-3]?\d)(?:st|nd|rd|th)?"
_YEAR = r"(?P<year>(?:19|20)\d{2})"
_WEEKDAY = r"(?P<weekday>" + "|".join(WEEKDAYS) + r")"
_PART = r"(?:\s+(?P<part>night|morning|evening|afternoon|dawn))?"

# Order matters: longer, more specific forms first; a span taken by one is not reused.
_PATTERNS: tuple[tuple[str, re.Pattern[str]], ...] = tuple(
    (kind, re.compile(pattern, re.IGNORECASE))
    for kind, pattern in (
        # "Friday, 7 July 2023": the weekday only confirms the explicit date.
        ("day_month", rf"\b{_WEEKDAY}{_PART},?\s+(?:the\s+)?{_DAY}\s+(?:of\s+)?{_MONTH}(?:\s*,?\s*{_YEAR})?\b"),
        ("month_day", rf"\b{_WEEKDAY}{_PART},?\s+{_MONTH}\s+{_DAY}\b(?:(?:\s*,\s*|\s+){_YEAR}\b)?"),
        ("iso", r"\b(?P<year>(?:19|20)\d{2})-(?P<month>[01]?\d)-(?P<day>[0-3]?\d)\b"),
        ("numeric", r"\b(?P<day>[0-3]?\d)/(?P<month>[01]?\d)/(?P<year>(?:19|20)\d{2})\b"),
        ("month_day", rf"\b{_MONTH}\s+{_DAY}(?:\s*,\s*|\s+){_YEAR}\b"),
        ("day_month", rf"\b{_DAY}\s+(?:of\s+)?{_MONTH}(?:\s*,?\s*{_YEAR})?\b"),
        ("month_day", rf"\b{_MONTH}\s+{_DAY}\b(?!\s*(?:km|kilomet|mile|people|fighters|militants))"),
        ("month", rf"\b(?:(?P<qual>early|mid|late|mid-|end of|beginning of)\s*-?\s*)?{_MONTH}(?:\s*,?\s*{_YEAR})?\b"),
        ("day_before_yesterday", r"\bthe day before yesterday\b"),
        ("yesterday", r"\b(?:yesterday|last night)\b"),
        ("today", r"\b(?:today|tonight|this (?:morning|afternoon|evening)|earlier today)\b"),
        ("days_ago", r"\b(?P<n>\d+|two|three|four|five|six|seven|ten) days (?:ago|earlier|before)\b"),
        ("last_weekday", rf"\blast\s+{_WEEKDAY}{_PART}\b"),
        ("weekday", rf"\b{_WEEKDAY}{_PART}\b"),
        ("last_week", r"\b(?:last|past|previous) week\b"),
        ("this_week", r"\b(?:earlier|late|later) this week\b|\bthis week\b"),
        ("weeks_ago", r"\b(?:two|2) weeks ago\b"),
        ("last_month", r"\b(?:last|past|previous) month\b"),
        ("this_month", r"\b(?:earlier|late|later) this month\b|\bthis month\b|\bat the (?:start|beginning) of the month\b"),
        ("year", r"\b(?:in|during|since|of|throughout)\s+(?P<year>(?:19|20)\d{2})\b|\bthis year\b|\blast year\b"),
    )
)

RELATIVE_KINDS = {
    "day_before_yesterday", "yesterday", "today", "days_ago", "last_weekday", "weekday",
    "last_week", "this_week", "weeks_ago", "last_month", "this_month",
}


@dataclass(frozen=True)
class DateMention:
    """One date phrase found in text, resolved when it can be.

    ``date`` is None when the phrase cannot be placed (then ``reason`` says why);
    ``kind`` "year" marks year-only phrases ("in 2017"), which never date an incident.
    """

    start: int
    end: int
    surface: str
    kind: str
    date: date | None
    precision: int | None
    reason: str = ""


def week_middle(day: date) -> date:
    """The Thursday of the Monday-Sunday week holding ``day`` (ACLED: a week is dated by its middle).

    >>> week_middle(date(2024, 10, 14))
    datetime.date(2024, 10, 17)
    """
    return day - timedelta(days=day.weekday()) + timedelta(days=3)


def month_middle(year: int, month: int) -> date:
    """The 15th of the month (ACLED's date for a month-precision event)."""
    return date(year, month, 15)


def _previous_month(day: date) -> tuple[int, int]:
    return (day.year - 1, 12) if day.month == 1 else (day.year, day.month - 1)


def _year_for(month: int, day: int, published: date | None) -> int | None:
    """The year of a "month day" without one: the latest not after publication (+2 days)."""
    if published is None:
        return None
    for year in (published.year, published.year - 1):
        try:
            candidate = date(year, month, day)
        except ValueError:
            return None
        if candidate <= published + timedelta(days=2):
            return year
    return published.year - 1


def _resolve(kind: str, groups: dict[str, str | None], published: date | None) -> tuple[date | None, int | None, str]:
    """The date and precision of one match, or (None, None, reason)."""
    if kind == "year":
        return None, None, "only a year is given"
    if kind in RELATIVE_KINDS and published is None:
        return None, None, "relative date without a publication date"
    if kind in ("iso", "numeric", "month_day", "day_month"):
        month_text = groups.get("month") or ""
        month = int(month_text) if month_text.isdigit() else MONTHS[month_text.lower().rstrip(".")]
        day = int(groups["day"] or 0)
        year = int(groups["year"]) if groups.get("year") else _year_for(month, day, published)
        if year is None:
            return None, None, "day and month without a year or a publication date"
        try:
            return date(year, month, day), 1, ""
        except ValueError:
            return None, None, "not a calendar date"
    if kind == "month":
        month = MONTHS[(groups["month"] or "").lower().rstrip(".")]
        year = int(groups["year"]) if groups.get("year") else _year_for(month, 1, published)
        if year is None:
            return None, None, "month without a year or a publication date"
        return month_middle(year, month), 3, ""
    assert published is not None
    if kind == "day_before_yesterday":
        return published - timedelta(days=2), 1, ""
    if kind == "yesterday":
        return published - timedelta(days=1), 1, ""
    if kind == "today":
        return published, 1, ""
    if kind == "days_ago":
        n = groups["n"] or "0"
        return published - timedelta(days=int(n) if n.isdigit() else NUMBER_WORDS_SMALL[n.lower()]), 1, ""
    if kind in ("weekday", "last_weekday"):
        target = WEEKDAYS.index((groups["weekday"] or "").lower())
        back = (published.weekday() - target) % 7
        # "last Friday" in a Friday report means a week ago; a bare "Friday" means today.
        if kind == "last_weekday" and back == 0:
            back = 7
        return published - timedelta(days=back), 1, ""
    if kind == "last_week":
        return week_middle(published - timedelta(days=7)), 2, ""
    if kind == "weeks_ago":
        return week_middle(published - timedelta(days=14)), 2, ""
    if kind == "this_week":
        return min(week_middle(published), published), 2, ""
    if kind == "last_month":
        return month_middle(*_previous_month(published)), 3, ""
    if kind == "this_month":
        return month_middle(published.year, published.month), 3, ""
    raise ValueError(f"unknown date kind {kind!r}")


def find_dates(text: str, published: date | None) -> list[DateMention]:
    """Every date phrase in ``text``, in text order, resolved against ``published``.

    >>> [(m.surface, m.date.isoformat(), m.precision) for m in find_dates("on Wednesday night", date(2024, 10, 18))]
    [('Wednesday night', '2024-10-16', 1)]
    """
    taken: list[tuple[int, int]] = []
    mentions: list[DateMention] = []
    for kind, pattern in _PATTERNS:
        for match in pattern.finditer(text):
            start, end = match.span()
            if any(start < t_end and t_start < end for t_start, t_end in taken):
                continue
            if "month" in match.groupdict() and _is_false_month(match):
                continue
            taken.append((start, end))
            day, precision, reason = _resolve(kind, match.groupdict(), published)
            mentions.append(DateMention(start, end, match.group(0), kind, day, precision, reason))
    return sorted(mentions, key=lambda m: m.start)


def _is_false_month(match: re.Match[str]) -> bool:
    """'may' and 'march' are also common words: only take them capitalised."""
    word = match.group("month")
    return not word.isdigit() and word.lower().rstrip(".") in ("may", "mar", "march") and not word[0].isupper()


def parse_published(value: str | date | None) -> date | None:
    """A publication date from ISO text ("2024-10-18"), a date, or None.

    Raises ValueError with the expected form when the text is not a date.
    """
    if value is None or isinstance(value, date):
        return value
    value = value.strip()
    if not value:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise ValueError(f"Publication date {value!r} is not in the form YYYY-MM-DD (e.g. 2024-10-18).") from None
