"""Popup and tooltip HTML for incidents. Every value from data is clipped and escaped here (mapview.text).

Clipping bounds a popup's size whatever the data hold (the store keeps every text whole):
a map of MAX_INCIDENT_FEATURES incidents, or a timeline of MAX_TIMELINE_INCIDENTS, stays
far below Streamlit's message limit even when every note is 100 KB.
"""
from __future__ import annotations

import pandas as pd

from incidents.schema import GEO_PRECISION, TIME_PRECISION
from mapview.text import clip_text, html_text

FIELD_CHARS = 200  # a place, an actor, a source name
NOTE_CHARS = 1_000  # the report's words or the notes, under the table


def _text(value: object, limit: int = FIELD_CHARS) -> str:
    """Escaped text of a value, clipped to ``limit`` characters; empty for missing values."""
    if value is None or value is pd.NA or (isinstance(value, float) and value != value):
        return ""
    return html_text(clip_text(str(value), limit))


def _safe_url(value: object) -> str | None:
    url = _text(value, limit=2_000).strip()
    return url if url.lower().startswith(("http://", "https://")) else None  # already escaped


def incident_tooltip(incident: pd.Series) -> str:
    """One escaped line: date, sub-event type and place."""
    return f"{_text(incident.get('event_date')) or 'date unknown'} · {_text(incident.get('sub_event_type'))} · {_text(incident.get('location'))}"


def incident_popup_html(incident: pd.Series) -> str:
    """The popup of one incident: date and precision, type, actors, casualties, place, source."""
    rows = [
        ("Date", f"{_text(incident.get('event_date')) or 'unknown'} ({TIME_PRECISION.get(_int(incident.get('time_precision')), 'precision unknown')})"),
        ("Type", f"{_text(incident.get('event_type'))} / {_text(incident.get('sub_event_type'))}"),
        ("Actors", " vs ".join(a for a in (_text(incident.get("actor1")), _text(incident.get("actor2"))) if a)),
        ("Killed", _text(incident.get("fatalities")) or "not stated"),
        ("Wounded", _text(incident.get("wounded")) or "not stated"),
        ("Place", f"{_text(incident.get('location'))} ({GEO_PRECISION.get(_int(incident.get('geo_precision')), 'precision unknown')})"),
        ("Area", ", ".join(a for a in (_text(incident.get("admin3")), _text(incident.get("admin2")), _text(incident.get("admin1"))) if a)),
    ]
    url = _safe_url(incident.get("source_url"))
    source = _text(incident.get("source")) or "source"
    rows.append(("Source", f'<a href="{url}" target="_blank" rel="noopener noreferrer">{source}</a>' if url else source))
    flagged = incident.get("needs_review")
    if _text(incident.get("review_reasons")) and flagged is not None and flagged is not pd.NA and bool(flagged):
        rows.append(("Review", _text(incident.get("review_reasons"), NOTE_CHARS)))
    # Styles live once in the page (mapview.legend.MapExtras: .kim-popup), not in every popup.
    body = "".join(f"<tr><th>{k}</th><td>{v}</td></tr>" for k, v in rows if v)
    notes = _text(incident.get("source_sentences"), NOTE_CHARS) or _text(incident.get("notes"), NOTE_CHARS)
    quote = f"<p>{notes}</p>" if notes else ""
    return f"<div class='kim-popup'><table>{body}</table>{quote}</div>"


def _int(value: object) -> int | None:
    try:
        return int(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return None
