"""Report text -> candidate incidents: one row per event the report describes.

The path (DESIGN.md): split the report into sentences (:mod:`reports.sentences`); drop
what reports no event (speech, estimates, yearly totals); group the remaining sentences
into incidents (a new incident starts at a marker such as "In a separate attack", at a
date or place that does not fit the current one); then resolve each incident's date,
place, casualties, type and actors. Whatever cannot be resolved is kept with a review
reason, never guessed or dropped.

No network, no database: the gazetteer is an argument, so tests can pass a small one.
"""
from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any, Iterable, Protocol
from urllib.parse import urlparse

import pandas as pd

from errors import BadInput
from geo.distance import SAME_PLACE_KM, great_circle_km
from geo.gazetteer import LOW_MATCH_SCORE
from reports.casualties import Casualties, count_casualties, merge_casualties
from reports.dates import DateMention, find_dates
from reports.events import EventType, choose_actors, classify_event, find_actors, happened, is_statement
from incidents.schema import conform, join_reasons, make_incident_id
from reports.sentences import Sentence, find_dateline, mask_organisations, split_sentences

MAX_SAME_INCIDENT_DAYS = 3  # two dates this close, with nothing else new, are one incident told twice
CONFLICT_WEEK_DAYS = 7  # conflicting dates within a week give the week (ACLED precision 2)
# A long news report is 2,000 words (about 12,000 characters); extraction time grows faster
# than the text (a 500 KB paste took 87 s), so anything this long is not one report.
MAX_REPORT_CHARS = 200_000


class ReportTooLong(BadInput, ValueError):
    """The text is far longer than one news report; the message gives its length and the limit."""

_SEPARATOR_RE = re.compile(
    r"^\W*(?:in (?:a|an|another) (?:similar|separate|different|second|third|earlier|previous|unrelated|other)\b|"
    r"separately\b|elsewhere\b|meanwhile\b|in another\b|also on\b|earlier\b|in a related\b|the day before\b|"
    r"a day (?:earlier|later)\b|hours (?:earlier|later)\b|in an? (?:unrelated|separate)\b|last (?:week|month)\b|"
    r"\w+ days? (?:earlier|later|ago)\b|on (?:\w+ )?(?:\w+ )?\d{1,2}, \d{4}\b)",
    re.IGNORECASE,
)
_AGGREGATE_RE = re.compile(
    r"\bso far this year\b|\bsince the (?:start|beginning) of\b|\bin total\b|\bthis year\b|\bper (?:year|month)\b|"
    r"\bstrength\b|\bbetween [\d,]+ and [\d,]+ (?:fighters|militants|members)\b|\bhave been killed in\b",
    re.IGNORECASE,
)


_ANAPHORA_RE = re.compile(
    r"\bthe (?:attack|blast|explosion|bombing|clash(?:es)?|ambush|incident|operation|strike|raid|kidnapping|shooting)\b",
    re.IGNORECASE,
)


class GazetteerLike(Protocol):
    """What the extractor needs of geo.gazetteer.Gazetteer."""

    def find_mentions(self, text: str) -> list[Any]: ...

    def geocode(self, text: str, context: str | None = None) -> Any: ...


@dataclass
class SentenceFacts:
    """What one body sentence says about an event, statements and attributions removed."""

    sentence: Sentence
    event_text: str
    dates: list[DateMention]
    places: list[Any]  # geo.gazetteer.mentions.PlaceMention
    casualties: Casualties
    eventful: bool
    separator: bool
    leading_date: DateMention | None


@dataclass
class _Group:
    facts: list[SentenceFacts] = field(default_factory=list)

    @property
    def dates(self) -> list[DateMention]:
        return [d for f in self.facts for d in f.dates if d.date is not None]

    @property
    def places(self) -> list[Any]:
        return [p for f in self.facts for p in f.places]


def _clause_spans(sentence: Sentence) -> list[tuple[int, int, bool]]:
    """(start, end, is_statement) for the comma/semicolon/quote clauses of a sentence, absolute offsets."""
    spans = []
    cursor = 0
    text = sentence.text
    for match in list(re.finditer(r",(?!\s*\d{4}\b)|;|[“”\"]|\s—\s|\s–\s", text)) + [None]:
        cut = match.start() if match else len(text)
        clause = text[cursor:cut]
        if clause.strip():
            spans.append((sentence.start + cursor, sentence.start + cut, is_statement(clause)))
        cursor = match.end() if match else len(text)
    return spans


def _inside(spans: list[tuple[int, int, bool]], start: int, end: int) -> bool:
    """True when a phrase starting at ``start`` begins in a clause that reports an event (not a statement)."""
    return any(s <= start < e + 1 and not statement for s, e, statement in spans)


def sentence_facts(
    sentence: Sentence, mentions: list[Any], published: date | None
) -> SentenceFacts | None:
    """The event facts of one sentence, or None when it reports no event (a statement, a total)."""
    spans = _clause_spans(sentence)
    event_text = ", ".join(
        sentence.text[s - sentence.start:e - sentence.start].strip() for s, e, statement in spans if not statement
    )
    dates = [
        DateMention(d.start + sentence.start, d.end + sentence.start, d.surface, d.kind, d.date, d.precision, d.reason)
        for d in find_dates(sentence.text, published)
    ]
    dates = [d for d in dates if _inside(spans, d.start, d.end)]
    # Totals and estimates ("killed in 2024", "strength of 3,000") describe no single event.
    if _AGGREGATE_RE.search(sentence.text) or (
        any(d.kind == "year" for d in dates) and not any(d.kind != "year" for d in dates)
    ):
        return None
    dates = [d for d in dates if d.kind != "year"]
    places = [m for m in mentions if sentence.start <= m.start < sentence.end and _inside(spans, m.start, m.end)]
    casualties = count_casualties(event_text)
    eventful = happened(event_text)
    # "the attack on January 15": a later sentence dating the same event adds its date.
    recalls = bool(dates) and bool(_ANAPHORA_RE.search(event_text))
    if not eventful and not casualties.any and not recalls:
        return None
    leading = next((d for d in dates if d.start - sentence.start <= 25), None)
    return SentenceFacts(
        sentence, event_text, dates, places, casualties, eventful,
        bool(_SEPARATOR_RE.search(sentence.text)), leading,
    )


def _usable(mention: Any) -> bool:
    result = mention.result
    return bool(result.matched) and result.latitude is not None and bool(result.adm1_pcode)


def _places_compatible(a: Any, b: Any) -> bool:
    """True when two resolved places can be the same incident's: same district, or one contains the other."""
    ra, rb = a.result, b.result
    if ra.adm1_pcode != rb.adm1_pcode:
        return False
    if int(ra.geo_precision) == 3 and not ra.adm2_pcode or int(rb.geo_precision) == 3 and not rb.adm2_pcode:
        return True  # a governorate-level mention fits anything inside it
    if ra.adm2_pcode == rb.adm2_pcode:
        return True
    return great_circle_km(ra.latitude, ra.longitude, rb.latitude, rb.longitude) <= SAME_PLACE_KM


def _starts_new(facts: SentenceFacts, group: _Group | None) -> bool:
    """True when a sentence opens a new incident rather than adding to the current one."""
    if group is None:
        return True
    if facts.separator and facts.eventful:
        return True
    known = group.dates
    new_dates = [d for d in facts.dates if d.date is not None]
    if known and new_dates:
        gap = min(abs((n.date - k.date).days) for n in new_dates for k in known)
        if gap > MAX_SAME_INCIDENT_DAYS:
            return True
        if facts.leading_date is not None and facts.leading_date.date not in {k.date for k in known} and facts.eventful:
            return True
    new_places = [p for p in facts.places if _usable(p)]
    old_places = [p for p in group.places if _usable(p)]
    if new_places and old_places and facts.eventful:
        if not any(_places_compatible(n, o) for n in new_places for o in old_places):
            return True
    return False


def group_sentences(facts: Iterable[SentenceFacts]) -> list[list[SentenceFacts]]:
    """Sentences grouped into incidents, in report order (one group per event)."""
    groups: list[_Group] = []
    for fact in facts:
        current = groups[-1] if groups else None
        if _starts_new(fact, current):
            if not fact.eventful:
                continue  # casualties with nothing to attach them to: said of another event
            groups.append(_Group([fact]))
        else:
            assert current is not None
            current.facts.append(fact)
    return [g.facts for g in groups]


def resolve_date(
    dates: list[DateMention], published: date | None, fallback: tuple[date, int] | None
) -> tuple[date | None, int, list[str]]:
    """An incident's date, time_precision and review reasons from its date mentions.

    Conflicting days within a week give that span's middle at week precision, with the
    conflict as a reason (the seed report's "Wednesday night" vs "the night of October 18").
    """
    reasons = [f"unresolved date: '{d.surface}' ({d.reason})" for d in dates if d.date is None]
    resolved = [d for d in dates if d.date is not None]
    # A coarse mention that holds a finer one ("in October" ... "on October 18") adds nothing.
    fine = [d for d in resolved if d.precision == 1] or resolved
    distinct: dict[date, DateMention] = {}
    for d in fine:
        distinct.setdefault(d.date, d)  # type: ignore[arg-type]
    if len(distinct) == 1:
        (only,) = distinct.values()
        return only.date, int(only.precision or 1), reasons
    if len(distinct) > 1:
        ordered = sorted(distinct.values(), key=lambda d: d.date)  # type: ignore[arg-type, return-value]
        listed = " and ".join(f"'{d.surface}' ({d.date.isoformat()})" for d in distinct.values())  # type: ignore[union-attr]
        first, last = ordered[0].date, ordered[-1].date
        assert first is not None and last is not None
        reasons.append(f"conflicting dates: {listed}")
        if (last - first).days <= CONFLICT_WEEK_DAYS:
            return first + timedelta(days=(last - first).days // 2), 2, reasons
        return next(iter(distinct.values())).date, 3, reasons
    if reasons:
        return None, 3, reasons
    if fallback is not None:
        return fallback[0], fallback[1], reasons
    if published is not None:
        return published, 2, ["no date in the report: the publication week is used"]
    return None, 3, ["unresolved date: the report gives no date and no publication date"]


def resolve_place(
    places: list[Any], gazetteer: GazetteerLike, dateline: str | None
) -> tuple[dict[str, object], list[str]]:
    """An incident's place columns and review reasons from its place mentions.

    The most precise resolved mention wins (first in the text on a tie). A bare "Kirkuk"
    could be the city or the governorate, so it is placed at governorate level (3) and sent
    to review rather than pinned on the city.
    """
    reasons: list[str] = []
    usable = [p for p in places if _usable(p)]
    for p in places:
        if not _usable(p) and getattr(p.result, "reason", ""):
            reasons.append(f"unresolved place: '{p.surface}' ({p.result.reason})")
    chosen = None
    if usable:
        # A bare "Kirkuk" is only context when the report names anything else.
        chosen = min(usable, key=lambda p: (_precision_rank(p), -_depth(p.result), places.index(p)))
        result = chosen.result
        if _is_bare_kirkuk(chosen.surface) and int(result.geo_precision) < 3:
            governorate = gazetteer.geocode("Kirkuk governorate")
            if governorate.matched:
                result = governorate
                reasons.append("place: only 'Kirkuk' is given (city or governorate)")
    elif dateline:
        result = gazetteer.geocode(dateline)
        if result.matched and result.latitude is not None:
            if _is_bare_kirkuk(dateline):
                governorate = gazetteer.geocode("Kirkuk governorate")
                result = governorate if governorate.matched else result
            reasons.append(f"place: only the dateline '{dateline}' names a place")
        else:
            result = None
    else:
        result = None
    if result is None:
        return {"location": places[0].surface if places else "unresolved", "geo_precision": 3}, reasons + [
            "unresolved place: the report names no place the gazetteer knows"
        ]
    score = getattr(result, "score", None)
    if score is not None and score < LOW_MATCH_SCORE:
        reasons.append(f"low match score: '{result.query}' matched '{result.name}' ({score:.2f})")
    if not result.in_kirkuk:
        reasons.append(f"outside Kirkuk: {result.name} is in {result.admin1 or 'another governorate'}")
    # An area is named as one ("Kirkuk governorate"), so nobody mistakes it for the city.
    kind = getattr(result, "kind", None)
    location = f"{result.name} {kind}" if kind in ("governorate", "district") and kind not in str(result.name).lower() else result.name
    return {"location": location, **result.incident_columns()}, reasons


def _precision_rank(mention: Any) -> int:
    return 3 if _is_bare_kirkuk(mention.surface) else int(mention.result.geo_precision)


def _depth(result: Any) -> int:
    """How deep in the admin tree a result is known (3 sub-district ... 0 nothing)."""
    return sum(bool(getattr(result, f"adm{level}_pcode", None)) for level in (1, 2, 3))


def _is_bare_kirkuk(surface: str) -> bool:
    return re.sub(r"^(?:in|near|of|the)\s+", "", surface.strip(), flags=re.IGNORECASE).lower() == "kirkuk"


def _note(event: EventType, actor1: str | None, actor2: str | None, location: str, casualties: Casualties) -> str:
    """A one-line description in our words (the sentences themselves are kept beside it)."""
    parts = [f"{event.sub_event_type}"]
    if actor1:
        parts.append(f"{actor1}" + (f" vs {actor2}" if actor2 else ""))
    parts.append(f"at {location}")
    counts = []
    for label, value in (("killed", casualties.killed), ("wounded", casualties.wounded),
                         ("arrested", casualties.arrested), ("abducted", casualties.abducted)):
        if value:
            counts.append(f"{value} {label}")
    if counts:
        parts.append(", ".join(counts))
    return "; ".join(parts) + "."


def _report_key(text: str, url: str | None) -> str:
    """What identifies a report for incident ids: its URL, or a hash of its text when it has none."""
    if url:
        return url
    return "text:" + hashlib.sha1(re.sub(r"\s+", " ", text).strip().encode("utf-8")).hexdigest()[:16]


def extract_incidents(
    text: str,
    gazetteer: GazetteerLike,
    published: date | None = None,
    url: str | None = None,
    outlet: str | None = None,
) -> pd.DataFrame:
    """Every incident a report describes, as a schema-conformed frame (one row per incident).

    Adds a ``source_sentences`` column (the sentences used) and fills ``needs_review``
    and ``review_reasons`` for whatever is uncertain. A report with no event gives no rows.
    Raises ReportTooLong for a text over MAX_REPORT_CHARS.
    """
    return conform(pd.DataFrame(extract_records(text, gazetteer, published, url, outlet)))


def extract_records(
    text: str,
    gazetteer: GazetteerLike,
    published: date | None = None,
    url: str | None = None,
    outlet: str | None = None,
) -> list[dict[str, object]]:
    """The incidents of a report as plain records (schema columns, not yet conformed).

    For batches: conforming a frame costs more than reading a short report, so callers
    that extract many reports can conform their concatenated records once. Raises
    ReportTooLong for a text over MAX_REPORT_CHARS.
    """
    if len(text) > MAX_REPORT_CHARS:
        raise ReportTooLong(
            f"The report is {len(text):,} characters long; at most {MAX_REPORT_CHARS:,} are read (far more than "
            "any news report). Paste one report at a time, or split the document into its reports."
        )
    dateline, working = find_dateline(text)
    _, sentences = split_sentences(working)
    masked = mask_organisations(working)
    mentions = sorted(gazetteer.find_mentions(masked), key=lambda m: m.start)
    facts = [f for s in sentences if (f := sentence_facts(s, mentions, published)) is not None]
    rows = []
    fallback: tuple[date, int] | None = None
    for number, group in enumerate(group_sentences(facts)):
        dates = [d for f in group for d in f.dates]
        event_date, time_precision, date_reasons = resolve_date(dates, published, fallback)
        if event_date is not None and not any("conflicting" in r for r in date_reasons):
            fallback = (event_date, time_precision)
        place, place_reasons = resolve_place(
            [p for f in group for p in f.places], gazetteer, dateline if number == 0 else None
        )
        casualties = merge_casualties([f.casualties for f in group])
        event_text = " ".join(f.event_text for f in group)
        event = classify_event(event_text, killed_civilians=bool(casualties.killed_civilians))
        actor1, actor2 = choose_actors(event, find_actors(event_text))
        reasons = date_reasons + list(casualties.reasons) + place_reasons
        if not event.cues:
            reasons.append("low confidence: no word of the report names the kind of event")
        fatalities = casualties.killed
        if fatalities is None and not any("killed without a number" in r for r in casualties.reasons):
            fatalities = 0
        location = str(place["location"])
        rows.append(
            place
            | {
                "event_date": event_date.isoformat() if event_date else None,
                "time_precision": time_precision,
                "event_type": event.event_type,
                "sub_event_type": event.sub_event_type,
                "actor1": actor1,
                "actor2": actor2,
                "fatalities": fatalities,
                "fatalities_low": casualties.killed_low,
                "fatalities_high": casualties.killed_high,
                "killed_security_forces": casualties.killed_security_forces,
                "killed_militants": casualties.killed_militants,
                "killed_civilians": casualties.killed_civilians,
                "wounded": casualties.wounded,
                "arrested": casualties.arrested,
                "abducted": casualties.abducted,
                "source": outlet or _outlet(url),
                "source_url": url,
                "report_date": published.isoformat() if published else None,
                "notes": _note(event, actor1, actor2, location, casualties),
                "source_sentences": " ".join(f.sentence.text for f in group),
                "needs_review": bool(reasons),
                "review_reasons": join_reasons(None, reasons),
                "review_status": "unreviewed",
                "incident_id": make_incident_id(
                    _report_key(text, url), event_date.isoformat() if event_date else f"undated-{number}",
                    location, event.sub_event_type,
                ),
            }
        )
    return rows


def _outlet(url: str | None) -> str | None:
    """The outlet's name from a URL's host ("en.964media.com" -> "964media")."""
    if not url:
        return None
    host = urlparse(url).netloc.lower().removeprefix("www.").removeprefix("en.")
    return host.rsplit(".", 1)[0] if "." in host else host or None


def incidents_to_records(incidents: pd.DataFrame) -> list[dict[str, object]]:
    """JSON-ready records (None for missing values) of an incident frame."""
    frame = incidents.astype(object).where(incidents.notna(), None)
    return frame.to_dict("records")
