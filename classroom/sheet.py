"""A map page framed as a sheet for a classroom: a header (title, caption, the date shown),
the map, and a footer of credits. Pure functions over strings and frames.

Every text from data (a title, a caption, an outlet's name) goes through mapview.text.html_text;
the frame is inserted around folium's map element, so the map's own scripts are untouched.
"""
from __future__ import annotations

from collections import Counter

import pandas as pd

from mapview.text import html_text

DEFAULT_TITLE = "Kirkuk Incident Map"
BOUNDARY_CREDIT = "Boundaries: OCHA COD-AB Iraq (CSO/ITOS, CC BY-IGO), via HDX"
PLACE_CREDIT = "Places: GeoNames (CC BY 4.0), © OpenStreetMap contributors (ODbL)"
# A footer names this many outlets, the most frequent first, then "and N more".
NAMED_SOURCES = 6
# Controls that mean nothing on paper or in a video (the player's own date label too: a video frame has its header).
HIDDEN_CONTROLS = ".leaflet-control-zoom, .leaflet-control-layers, .leaflet-bar-timecontrol, .kim-pace"


def incident_sources(incidents: pd.DataFrame, limit: int = NAMED_SOURCES) -> str:
    """The outlets the incidents came from, most frequent first (``source`` lists them "; "-separated).

    >>> incident_sources(pd.DataFrame({"source": ["Rudaw; Shafaq", "Rudaw", None]}))
    'Rudaw, Shafaq'
    >>> incident_sources(pd.DataFrame({"source": ["A", "B", "C"]}), limit=2)
    'A, B and 1 more'
    >>> incident_sources(pd.DataFrame({"source": [None]}))
    'not named'
    """
    counts: Counter[str] = Counter()
    for value in incidents["source"].dropna():
        counts.update(name.strip() for name in str(value).split(";") if name.strip())
    if not counts:
        return "not named"
    names = [name for name, _ in sorted(counts.items(), key=lambda item: (-item[1], item[0]))]
    more = f" and {len(names) - limit:,} more" if len(names) > limit else ""
    return ", ".join(names[:limit]) + more


def credits_text(incidents: pd.DataFrame) -> str:
    """The sheet's credits: the boundaries, the places and the incidents' outlets."""
    return f"{BOUNDARY_CREDIT} · {PLACE_CREDIT} · Incidents: {incident_sources(incidents)}"


def date_span(incidents: pd.DataFrame) -> str:
    """The dates the incidents span, in words.

    >>> date_span(pd.DataFrame({"event_date": ["2024-05-10", None, "2024-01-10"]}))
    'Incidents dated 2024-01-10 to 2024-05-10'
    >>> date_span(pd.DataFrame({"event_date": [None]}))
    'No dated incident'
    """
    dates = pd.to_datetime(incidents["event_date"], errors="coerce").dropna()
    if dates.empty:
        return "No dated incident"
    first, last = dates.min().strftime("%Y-%m-%d"), dates.max().strftime("%Y-%m-%d")
    return f"Incidents dated {first}" if first == last else f"Incidents dated {first} to {last}"


def sheet_css(map_name: str, legend_zoom: float = 1.0) -> str:
    """The sheet's layout: header and footer at their height, the map filling the rest."""
    return f"""
      html, body {{ width: 100%; height: 100%; margin: 0; padding: 0; overflow: hidden; }}
      body {{ display: flex; flex-direction: column; background: #fff; font-family: "DejaVu Sans", sans-serif; color: #222; }}
      .kim-sheet-header, .kim-sheet-footer {{ flex: 0 0 auto; box-sizing: border-box; }}
      #{map_name} {{ position: relative !important; flex: 1 1 auto; width: 100% !important; height: auto !important; min-height: 0; }}
      {HIDDEN_CONTROLS} {{ display: none !important; }}
      .kim-legend {{ zoom: {legend_zoom:.2f}; }}
    """


def framed_map_page(map_html: str, map_name: str, header_html: str, footer_html: str, css: str) -> str:
    """``map_html`` (a standalone map page) with ``css``, ``header_html`` before its map element
    and ``footer_html`` after it; ValueError when the page has no element for ``map_name``."""
    start = map_html.find(f'<div class="folium-map" id="{map_name}"')
    if start < 0:
        raise ValueError(f"The page has no map element {map_name!r}.")
    end = map_html.index("</div>", start) + len("</div>")
    return "".join((map_html[:start], f"<style>{css}</style>", header_html, map_html[start:end], footer_html, map_html[end:]))


def text_block(css_class: str, text: object) -> str:
    """One line of data text as an escaped ``div``; nothing for an empty text."""
    escaped = html_text(text)
    return f'<div class="{css_class}">{escaped}</div>' if escaped else ""


def still_map_options(fmap_options: dict) -> None:
    """Set a folium map's Leaflet options for a still picture: no zoom or fade animation (a frame
    taken mid-animation misses the canvas layers, which hide while the map zooms), and zoom in
    quarter steps so that the governorate fills the sheet, not the nearest whole zoom level."""
    fmap_options.update(zoomAnimation=False, fadeAnimation=False, markerZoomAnimation=False, zoomSnap=0.25)
