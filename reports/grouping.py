"""Report sentences -> incidents: which sentences tell one event, and which event is the main one.

A news report tells its main incident first (headline and lede), adds details, then turns
to background: earlier attacks, other provinces, running totals, history. So a sentence
joins the incident being told unless it opens another one (a marker such as "In a
separate attack", a date or a place that does not fit), and a sentence that turns to the
past ("Last week ...", "In December 2017 ...", "Two weeks ago ...") closes the incident:
what follows belongs to the background, not to the main incident. The main incident is
the one the headline tells (:func:`choose_main`). What each sentence says is
:mod:`reports.facts`.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any, Iterable

from geo.gazetteer.directions import split_query
from reports.dates import DateMention
from reports.events import classify_event
from reports.facts import SentenceFacts
from reports.places import KIRKUK_PCODE, is_kirkuk_name, places_compatible, usable_place

MAX_SAME_INCIDENT_DAYS = 3  # two dates this close, with nothing else new, are one incident told twice
LEAD_PLACE_CHARS = 40  # a place this near a sentence's start is where the sentence's event is


@dataclass
class _Group:
    facts: list[SentenceFacts] = field(default_factory=list)

    @property
    def dates(self) -> list[DateMention]:
        return [d for f in self.facts for d in f.dates if d.date is not None]

    @property
    def places(self) -> list[Any]:
        return [p for f in self.facts for p in f.places]


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
        # Another day with a toll of its own is another incident ("late on Monday ISIS attacked ..., killing one").
        days = {k.date for k in known if k.precision == 1}
        own_days = {n.date for n in new_dates if n.precision == 1}
        if days and own_days and not days & own_days and (facts.casualties.killed or facts.casualties.wounded):
            return True
    new_places = [p for p in facts.places if usable_place(p)]
    old_places = [p for p in group.places if usable_place(p)]
    if new_places and old_places and facts.eventful:
        # The incident is where its first place is; places named beside it ("as forces battle around
        # Kirkuk") do not stretch it. A sentence naming a town is compared by the town, not by "Kirkuk".
        # Its first place in the governorate other than "Kirkuk" (a clause like "after the army took
        # Kirkuk city, ISIS attacked Dibis" names the city only as a time).
        anchor = next((p for p in old_places if not is_kirkuk_name(p.surface) and p.result.adm1_pcode == KIRKUK_PCODE),
                      old_places[0])
        core = [p for p in old_places if _may_be_same_place(p, anchor)]
        new_specific, core_specific = _specific(new_places), _specific(core)
        if core_specific:
            if new_specific:
                return not any(places_compatible(n, o) for n in new_specific for o in core_specific)
            return not any(_may_be_same_place(n, o) for n in new_places for o in core)
        # The incident is placed by "Kirkuk" alone: a sentence that opens on another town ("In Erbil, ...")
        # tells another incident; one that names a village later may say where in Kirkuk it was.
        lead = new_places[0]
        if not is_kirkuk_name(lead.surface) and lead.start - facts.sentence.start <= LEAD_PLACE_CHARS:
            return not any(_may_be_same_place(lead, o) for o in core)
        return not any(_may_be_same_place(n, o) for n in new_places for o in core)
    return False


def _kirkuk_form(mention: Any) -> str:
    """How a "Kirkuk" mention is worded: "around" (near it, a direction), "city" (named as such), or "bare"."""
    qualifier = split_query(mention.surface)[1]
    if qualifier is not None and qualifier.relation in ("near", "direction"):
        return "around"
    return "city" if re.search(r"\bcity\b", mention.surface, re.IGNORECASE) else "bare"


def _specific(places: list[Any]) -> list[Any]:
    """The places other than "Kirkuk" itself (which may be the city, its surroundings or the governorate)."""
    return [p for p in places if not is_kirkuk_name(p.surface)]


def _may_be_same_place(a: Any, b: Any) -> bool:
    """places_compatible, with "Kirkuk" (bare, "north of", "southern") fitting any place of the governorate.

    The city itself and the country around it ("inside the city of Kirkuk" and "35 km
    south of Kirkuk") are two places.
    """
    if is_kirkuk_name(a.surface) and is_kirkuk_name(b.surface) and {_kirkuk_form(a), _kirkuk_form(b)} == {"city", "around"}:
        return False
    for one, other in ((a, b), (b, a)):
        if is_kirkuk_name(one.surface) and _kirkuk_form(one) != "city":
            if one.result.adm1_pcode and one.result.adm1_pcode == other.result.adm1_pcode:
                return True
    return places_compatible(a, b)


def group_sentences(facts: Iterable[SentenceFacts]) -> list[list[SentenceFacts]]:
    """Sentences grouped into incidents, in report order (one group per event).

    A background sentence with no event of its own closes the current incident, so the
    casualties and places that follow it are not added to the incident told before.
    """
    groups: list[_Group] = []
    current: _Group | None = None
    for fact in facts:
        if fact.background and not fact.eventful:
            if current is not None and not _fits_dates(fact, current):
                current = None
            continue
        if fact.descriptive:
            if current is not None:
                current.facts.append(fact)
            continue
        turns_back = fact.background and current is not None and not _fits_dates(fact, current)
        if _starts_new(fact, current) or turns_back:
            if not fact.eventful or ((current is None or turns_back) and groups and not _says_anything_new(fact)):
                current = None
                continue  # nothing to attach it to, or nothing of its own: said of an event already told
            current = _Group([fact])
            groups.append(current)
        else:
            assert current is not None
            current.facts.append(fact)
    return [g.facts for g in groups]


def _says_anything_new(fact: SentenceFacts) -> bool:
    """True when a sentence names a date, a place other than Kirkuk or a toll: enough for an incident of its own."""
    return bool(fact.dates) or fact.casualties.any or any(
        usable_place(p) and not is_kirkuk_name(p.surface) for p in fact.places
    )


def _fits_dates(fact: SentenceFacts, group: _Group) -> bool:
    """True when a sentence's dates are those of the group (a background word about the same days)."""
    new = [d.date for d in fact.dates if d.date is not None]
    known = [d.date for d in group.dates]
    return bool(new) and bool(known) and min(abs((n - k).days) for n in new for k in known) <= MAX_SAME_INCIDENT_DAYS


def choose_main(groups: list[list[SentenceFacts]], headline: SentenceFacts | None) -> int:
    """The index of the group that tells the headline's incident (the first one without a headline).

    Scores each group by what it shares with the headline: a place (3), a casualty count (2),
    the kind of event (1); the first group wins a tie, and a headline that shares nothing
    with any group leaves the first group main.
    """
    if headline is None or not groups:
        return 0
    scores = [_headline_score(group, headline) + (LEDE_BONUS if n == 0 else 0) for n, group in enumerate(groups)]
    best = max(scores)
    return scores.index(best) if best > 0 else 0


def _headline_score(group: list[SentenceFacts], headline: SentenceFacts) -> float:
    score = 0.0
    own = [p for f in group for p in f.places if usable_place(p)]
    named = [p for p in headline.places if usable_place(p)]
    specific = [p for p in named if int(p.result.geo_precision or 3) < 3 and not _is_kirkuk(p)]
    if any(places_compatible(h, o) for h in specific for o in own):
        score += 3
    elif named and any(places_compatible(h, o) for h in named for o in own):
        score += 1
    counts = {v for f in group for v in (f.casualties.killed, f.casualties.wounded) if v}
    if {headline.casualties.killed, headline.casualties.wounded} & counts:
        score += 2
    text = " ".join(f.event_text for f in group if f.eventful)
    if text and classify_event(headline.event_text or headline.sentence.text).sub_event_type == classify_event(text).sub_event_type:
        score += 1
    shared = _stems(headline.sentence.text) & _stems(" ".join(f.sentence.text for f in group))
    return score + min(len(shared) * 0.25, 1.5)


def _stems(text: str) -> set[str]:
    """Content-word stems of a text (to see which sentences a headline repeats)."""
    words = re.findall(r"[a-z][a-z'-]{3,}", text.lower())
    return {re.sub(r"(?:ings?|ed|es|s)$", "", w) for w in words} - _COMMON_STEMS


LEDE_BONUS = 1.0  # the lede tells the headline's incident unless the headline says otherwise
_COMMON_STEMS = frozenset({"said", "that", "with", "from", "this", "have", "were", "iraq", "iraqi", "after", "their"})


def _is_kirkuk(mention: Any) -> bool:
    return str(getattr(mention.result, "name", "")).lower().startswith("kirkuk")
