"""Report text -> candidate incidents: one row per event the report describes, the main one first.

The path (DESIGN.md): read the report as a page (:mod:`reports.page`: chrome, captions and
datelines apart, the headline picked); read what each sentence says (:mod:`reports.facts`),
dropping what reports no event (speech, estimates, yearly totals, the attackers' claims);
group the sentences into incidents (:mod:`reports.grouping`); take the headline's incident
as the main one; then resolve each incident's date, place (:mod:`reports.places`, with the
mentions of :mod:`reports.place_mentions`), casualties, type and actors. Whatever cannot be resolved is kept with a review reason, never guessed or dropped.

No network, no database: the gazetteer is an argument, so tests can pass a small one.
"""
from __future__ import annotations

import hashlib
import re
from dataclasses import replace
from datetime import date, timedelta
from typing import Any, Protocol
from urllib.parse import urlparse

import pandas as pd

from errors import BadInput
from incidents.schema import conform, join_reasons, make_incident_id
from reports.casualties import Casualties, merge_casualties
from reports.dates import DateMention
from reports.events import EventType, choose_actors, classify_event, find_actors
from reports.facts import SentenceFacts, sentence_facts
from reports.grouping import choose_main, group_sentences
from reports.page import read_page
from reports.place_mentions import city_references, find_named_places, join_areas
from reports.places import Candidate, read_candidate, resolve_place, usable_place
from reports.sentences import mask_organisations, mask_roles

# A long news report is 2,000 words (about 12,000 characters); extraction time grows faster
# than the text (a 500 KB paste took 87 s), so anything this long is not one report.
MAX_REPORT_CHARS = 200_000


class ReportTooLong(BadInput, ValueError):
    """The text is far longer than one news report; the message gives its length and the limit."""

CONFLICT_WEEK_DAYS = 7  # conflicting dates within a week give the week (ACLED precision 2)


class GazetteerLike(Protocol):
    """What the extractor needs of geo.gazetteer.Gazetteer."""

    def find_mentions(self, text: str) -> list[Any]: ...

    def geocode(self, text: str, context: str | None = None) -> Any: ...


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


def place_candidates(
    group: list[SentenceFacts], headline: SentenceFacts | None, gazetteer: GazetteerLike, report: str
) -> tuple[list[Candidate], list[Any]]:
    """The candidate places of one incident (its sentences, then the headline, then place descriptions),
    and the mentions the gazetteer could not place."""
    sources = [(f, 2 if f.descriptive else 0) for f in group] + ([(headline, 1)] if headline is not None else [])
    candidates, unresolved = [], []
    for fact, tier in sources:
        for mention in fact.places:
            if not usable_place(mention):
                unresolved.append(mention)
                continue
            candidates.append(read_candidate(mention, gazetteer, fact.sentence.text, report, tier,
                                             len(candidates), fact.sentence.start))
    return candidates, unresolved


_PRONOUNS = frozenset({"he", "she", "they", "it", "him", "them"})


def sources_of(facts: list[SentenceFacts]) -> list[str | None]:
    """Who each sentence quotes, a pronoun ("he added") taken as the source named before it."""
    named: list[str | None] = []
    last = None
    for fact in facts:
        who = fact.source
        if who in _PRONOUNS:
            who = last
        named.append(who)
        last = who or last
    return named


def with_headline(casualties: Casualties, headline: Casualties) -> Casualties:
    """An incident's casualties with the headline's counts where the body gives fewer or none.

    Headlines carry the toll the body spreads over sentences or leaves out ("kills 33"); a
    toll the body's sources dispute stays open whatever the headline says.
    """
    changes: dict[str, object] = {}
    for key in ("killed", "wounded"):
        own, head = getattr(casualties, key), getattr(headline, key)
        disputed = key == "killed" and casualties.killed_unknown
        if head and not disputed and (own is None or head > own):
            changes[key] = head
    if casualties.killed is None and "killed" not in changes:
        changes["reasons"] = tuple(dict.fromkeys(casualties.reasons + headline.reasons))
    return replace(casualties, **changes)


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
    that extract many reports can conform their concatenated records once.
    """
    if len(text) > MAX_REPORT_CHARS:
        raise ReportTooLong(
            f"The report is {len(text):,} characters long; at most {MAX_REPORT_CHARS:,} are read (far more than "
            "any news report). Paste one report at a time, or split the document into its reports."
        )
    page = read_page(text)
    masked = mask_organisations(mask_roles(page.text))
    mentions = sorted(gazetteer.find_mentions(masked), key=lambda m: m.start)
    mentions = sorted(mentions + find_named_places(masked, mentions, gazetteer), key=lambda m: m.start)
    mentions = join_areas(masked, sorted(mentions + city_references(masked, mentions), key=lambda m: m.start))
    facts = [f for s in page.sentences if (f := sentence_facts(s, mentions, published)) is not None]
    headline = sentence_facts(page.headline, mentions, published, headline=True) if page.headline else None
    groups = group_sentences(facts)
    if not groups and headline is not None and headline.eventful:
        groups, headline = [[headline]], None  # the headline alone tells the event
    main = choose_main(groups, headline)
    dateline = page.datelines[0] if page.datelines else None
    rows = []
    fallback: tuple[date, int] | None = None
    for number, group in enumerate(groups):
        is_main = number == main
        own_headline = headline if is_main else None
        # A quoted "last night" dates the incident only when nothing else does.
        dates = [d for f in group for d in f.dates] or [d for f in group for d in f.quoted_dates]
        event_date, time_precision, date_reasons = resolve_date(dates, published, fallback)
        if event_date is not None and not any("conflicting" in r for r in date_reasons):
            fallback = (event_date, time_precision)
        candidates, unresolved = place_candidates(group, own_headline, gazetteer, page.text)
        place, place_reasons = resolve_place(candidates, unresolved, gazetteer, dateline if is_main else None)
        counted = [f for f in group if not f.descriptive]
        casualties = merge_casualties([f.casualties for f in counted], sources_of(counted))
        if own_headline is not None:
            casualties = with_headline(casualties, own_headline.casualties)
        event_text = " ".join(f.event_text for f in group + ([own_headline] if own_headline else []) if f.event_text)
        event = classify_event(event_text, killed_civilians=bool(casualties.killed_civilians))
        actor1, actor2 = choose_actors(event, find_actors(event_text))
        reasons = date_reasons + list(casualties.reasons) + place_reasons
        if not event.cues:
            reasons.append("low confidence: no word of the report names the kind of event")
        fatalities = casualties.killed
        if fatalities is None and not casualties.killed_unknown and not any(
            "killed without a number" in r or "claimed by" in r for r in casualties.reasons
        ):
            fatalities = 0
        wounded = casualties.wounded
        if wounded is None and casualties.none_reported and not any("wounded without a number" in r for r in casualties.reasons):
            wounded = 0  # "no casualties": stated as none
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
                "wounded": wounded,
                "arrested": casualties.arrested,
                "abducted": casualties.abducted,
                "source": outlet or _outlet(url),
                "source_url": url,
                "report_date": published.isoformat() if published else None,
                "notes": _note(event, actor1, actor2, location, casualties),
                # Verbatim from the report (chrome blanked for reading is still the report's text).
                "source_sentences": " ".join(text[f.sentence.start:f.sentence.end] for f in group),
                "needs_review": bool(reasons),
                "review_reasons": join_reasons(None, reasons),
                "review_status": "unreviewed",
                "is_main_incident": is_main,
                "incident_id": make_incident_id(
                    _report_key(text, url), event_date.isoformat() if event_date else f"undated-{number}",
                    location, event.sub_event_type,
                ),
            }
        )
    # The main incident first: a report is filed under its headline's event.
    return sorted(rows, key=lambda row: not row["is_main_incident"])


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
