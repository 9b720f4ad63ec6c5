"""A lesson as one offline HTML page: its cards beside a map, stepped with Previous/Next.

The title card comes first, then one card per step (the teacher's caption beside the report's
words), then the closing card; each step centres the map on its incident as the Timeline's
story does (``mapview.timeline.story_view``). Every text is escaped with ``html_text`` and goes
into a ``DataSafeFigure`` verbatim; the page's script holds only numbers and the map's own
variable names, so no text from a lesson is ever code. ``standalone_html`` inlines every asset.
"""
from __future__ import annotations

import json
from pathlib import Path

import folium
import pandas as pd

from geo.boundaries import Boundaries
from incidents.lessons import GONE, Lesson
from incidents.schema import GEO_PRECISION, TIME_PRECISION
from mapview.assets import APP_VENDOR_URL, VENDOR_DIR, use_local_assets
from mapview.export import standalone_html
from mapview.figure import VerbatimText
from mapview.incident_map import KIRKUK_CENTRE, add_reference_layers, base_map
from mapview.layers import AREA, EXACT, area_pcodes, area_shapes, placements
from mapview.legend import MapExtras
from mapview.style import NEAR_PLACE_RADIUS_KM, event_colour, marker_radius_px
from mapview.text import clip_text, html_text
from mapview.popups import incident_tooltip
from mapview.timeline import STORY_ZOOM, story_view

# The report's words shown on a step's card (the store keeps them whole), as on the Timeline's story.
LESSON_TEXT_CHARS = 5_000
CARD_CLASS = "kim-card"

_STYLE = """<style>
  html, body { margin: 0; height: 100%; font: 17px/1.45 sans-serif; color: #222; }
  .kim-lesson-cards { position: fixed; left: 0; top: 0; bottom: 0; width: 38%; overflow-y: auto;
                      padding: 20px 24px 90px; box-sizing: border-box; background: #fff; border-right: 1px solid #ccc; }
  .folium-map { position: fixed !important; left: 38% !important; top: 0; width: 62% !important; height: 100% !important; }
  .kim-card[hidden] { display: none; }
  .kim-card h1 { font-size: 30px; margin: 0 0 16px; }
  .kim-card h2 { font-size: 22px; margin: 0 0 10px; }
  .kim-card .kim-counter { color: #666; font-size: 14px; margin: 0 0 6px; }
  .kim-card .kim-question, .kim-card .kim-closing { font-size: 22px; white-space: pre-wrap; }
  .kim-card .kim-caption { font-size: 19px; white-space: pre-wrap; border-left: 4px solid #2b6cb0; padding-left: 10px; }
  .kim-card .kim-words { white-space: pre-wrap; font-style: italic; color: #444; border-left: 4px solid #bbb; padding-left: 10px; }
  .kim-card .kim-label { font-size: 13px; text-transform: uppercase; letter-spacing: 0.05em; color: #666; margin: 14px 0 4px; }
  .kim-card .kim-gone { color: #9b2c2c; }
  .kim-lesson-nav { position: fixed; left: 0; bottom: 0; width: 38%; box-sizing: border-box; padding: 12px 24px;
                    background: #f5f5f5; border-top: 1px solid #ccc; display: flex; gap: 10px; align-items: center; }
  .kim-lesson-nav button { font-size: 17px; padding: 6px 16px; }
</style>"""

# Steps through the cards and moves the map; ARGS is JSON of numbers and of folium's own variable
# names (never lesson text). Runs at "load", after the map's own script has made the map.
_SCRIPT = """
window.addEventListener("load", function () {
  var args = ARGS;
  var map = window[args.map];
  var cards = document.querySelectorAll(".kim-card");
  var step = 0;
  function show(next) {
    step = Math.max(0, Math.min(next, cards.length - 1));
    cards.forEach(function (card, i) { card.hidden = i !== step; });
    document.getElementById("kim-previous").disabled = step === 0;
    document.getElementById("kim-next").disabled = step === cards.length - 1;
    document.getElementById("kim-position").textContent = (step + 1) + " / " + cards.length;
    var view = args.views[step];
    map.setView([view[0], view[1]], view[2], {animate: false});
    args.markers.forEach(function (name, i) {
      var marker = name && window[name];
      if (marker && marker.setStyle) { marker.setStyle(i === step ? {weight: 5, color: "#000"} : {weight: 1, color: "#555"}); }
    });
  }
  document.getElementById("kim-previous").addEventListener("click", function () { show(step - 1); });
  document.getElementById("kim-next").addEventListener("click", function () { show(step + 1); });
  document.addEventListener("keydown", function (event) {
    if (event.key === "ArrowRight" || event.key === "PageDown") { show(step + 1); }
    if (event.key === "ArrowLeft" || event.key === "PageUp") { show(step - 1); }
  });
  show(0);
});
"""


def _text(value: object) -> str:
    if value is None or value is pd.NA or (isinstance(value, float) and value != value):
        return ""
    return str(value)


def report_words(step: pd.Series) -> str:
    """The report's words for a step: its source sentences, else its notes (empty when neither).

    >>> report_words(pd.Series({"source_sentences": None, "notes": "A clash."}))
    'A clash.'
    """
    for column in ("source_sentences", "notes"):
        text = _text(step.get(column))
        if text.strip():
            return text
    return ""


def step_heading(step: pd.Series) -> str:
    """A step's plain-text heading: date and place (escape it for where it goes).

    >>> step_heading(pd.Series({"in_store": True, "event_date": "2024-07-14", "location": "Daquq"}))
    '2024-07-14 · Daquq'
    >>> step_heading(pd.Series({"in_store": False, "incident_id": "KIM-1"}))
    'KIM-1 (no longer in the store)'
    """
    if not step.get("in_store"):
        return f"{step.get('incident_id')} (no longer in the store)"
    return f"{_text(step.get('event_date')) or 'date unknown'} · {_text(step.get('location')) or 'place unknown'}"


def step_facts(step: pd.Series) -> str:
    """The step's type and precisions as one plain-text line (a missing code shows "?")."""
    return (
        f"{_text(step.get('event_type'))} / {_text(step.get('sub_event_type'))} · "
        f"date known to the {TIME_PRECISION.get(_int(step.get('time_precision')), '?')} · "
        f"place: {GEO_PRECISION.get(_int(step.get('geo_precision')), '?')}"
    )


def _int(value: object) -> int | None:
    try:
        return int(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return None


def lesson_views(steps: pd.DataFrame, boundaries: Boundaries) -> list[list[float]]:
    """[lat, lon, zoom] for every card: the governorate for the title and closing cards and for a
    step with no place (or no longer in the store), the incident for the others."""
    governorate = [*KIRKUK_CENTRE, STORY_ZOOM[3]]
    views = [governorate]
    for _, step in steps.iterrows():
        if step["in_store"]:
            centre, zoom = story_view(step, boundaries)
            views.append([float(centre[0]), float(centre[1]), zoom])
        else:
            views.append(governorate)
    return [*views, governorate]


def _cards_html(lesson: Lesson, steps: pd.DataFrame) -> str:
    total = len(steps)
    cards = [
        f'<section class="{CARD_CLASS}" data-card="title"><h1>{html_text(lesson.title)}</h1>'
        + (f'<p class="kim-question">{html_text(lesson.question)}</p>' if lesson.question.strip() else "")
        + f'<p class="kim-counter">{total} step(s). Press Next or the → key.</p></section>'
    ]
    for number, (_, step) in enumerate(steps.iterrows(), start=1):
        body = [f'<p class="kim-counter">Step {number} of {total}</p><h2>{html_text(step_heading(step))}</h2>']
        if step["caption"]:
            body.append(f'<p class="kim-label">Teacher</p><p class="kim-caption">{html_text(step["caption"])}</p>')
        if not step["in_store"]:
            body.append(f'<p class="kim-gone">{html_text(GONE)}</p>')
        else:
            body.append(f'<p class="kim-facts">{html_text(step_facts(step))}</p>')
            words = report_words(step)
            if words:
                body.append(f'<p class="kim-label">The report</p><p class="kim-words">{html_text(clip_text(words, LESSON_TEXT_CHARS))}</p>')
        cards.append(f'<section class="{CARD_CLASS}" data-card="step" hidden>{"".join(body)}</section>')
    closing = f'<p class="kim-closing">{html_text(lesson.closing)}</p>' if lesson.closing.strip() else ""
    cards.append(f'<section class="{CARD_CLASS}" data-card="closing" hidden><h2>{html_text(lesson.title)}</h2>{closing}</section>')
    nav = (
        '<nav class="kim-lesson-nav"><button id="kim-previous" type="button">◀ Previous</button>'
        '<button id="kim-next" type="button">Next ▶</button><span id="kim-position"></span></nav>'
    )
    return f'<div class="kim-lesson-cards">{"".join(cards)}</div>{nav}'


def _step_marker(step: pd.Series, number: int, kind: str, boundaries: Boundaries) -> folium.Element:
    colour = event_colour(step["event_type"])
    tooltip = f"Step {number}: {incident_tooltip(step)}"  # incident_tooltip escapes
    if kind == AREA:
        shape = area_shapes(area_pcodes(step.to_frame().T), boundaries).iloc[0]
        return folium.GeoJson(shape.__geo_interface__, tooltip=tooltip,
                              style_function=lambda f: {"color": colour, "weight": 1, "dashArray": "2 6", "fillOpacity": 0.08})
    point = [float(step["latitude"]), float(step["longitude"])]  # folium order: [lat, lon]
    if kind == EXACT:
        return folium.CircleMarker(point, radius=marker_radius_px(step["fatalities"]) + 2, color="#555", weight=1,
                                   fill=True, fill_color=colour, fill_opacity=0.85, tooltip=tooltip)
    return folium.Circle(point, radius=NEAR_PLACE_RADIUS_KM * 1000, color="#555", weight=1, fill=True,
                         fill_color=colour, fill_opacity=0.25, dash_array="6 4", tooltip=tooltip)


def build_lesson_page(
    lesson: Lesson, steps: pd.DataFrame, boundaries: Boundaries, asset_base_url: str = APP_VENDOR_URL
) -> folium.Map:
    """The lesson's page as a folium map with its cards and navigation (``lesson_html`` makes it one file).

    ``steps`` is ``incidents.lessons.lesson_steps_with_incidents``: one row per step, in order.
    """
    fmap = base_map()
    add_reference_layers(fmap, boundaries)
    in_store = steps[steps["in_store"]]
    kinds = placements(in_store, boundaries) if len(in_store) else pd.Series(dtype=object)
    markers: list[str | None] = [None]  # the title card has none
    group = folium.FeatureGroup(name="The lesson's incidents")
    for number, (label, step) in enumerate(steps.iterrows(), start=1):
        kind = kinds.get(label) if step["in_store"] else None
        if kind is None:
            markers.append(None)
            continue
        marker = _step_marker(step, number, kind, boundaries)
        marker.add_to(group)
        markers.append(marker.get_name())
    group.add_to(fmap)
    markers.append(None)  # nor the closing card
    fmap.add_child(MapExtras(f"<b>{html_text(clip_text(lesson.title, 80))}</b>"))
    root = fmap.get_root()
    root.header.add_child(VerbatimText(f"<title>{html_text(lesson.title)}</title>"), name="lesson_title")
    root.header.add_child(VerbatimText(_STYLE), name="lesson_style")
    root.html.add_child(VerbatimText(_cards_html(lesson, steps)), name="lesson_cards")
    args = {"map": fmap.get_name(), "views": lesson_views(steps, boundaries), "markers": markers}
    root.script.add_child(VerbatimText(_SCRIPT.replace("ARGS", json.dumps(args))), name="lesson_script")
    return use_local_assets(fmap, asset_base_url)


def lesson_html(lesson: Lesson, steps: pd.DataFrame, boundaries: Boundaries, vendor_dir: Path = VENDOR_DIR) -> str:
    """The lesson as one HTML file that opens offline: cards, map and every script inlined."""
    return standalone_html(build_lesson_page(lesson, steps, boundaries), vendor_dir)


# The picking map draws at most this many incidents (the table beside it lists them all).
MAX_PICK_MAP_INCIDENTS = 1_500


def build_pick_map(
    incidents: pd.DataFrame, boundaries: Boundaries, chosen: tuple[str, ...] = (), asset_base_url: str = APP_VENDOR_URL
) -> folium.Map:
    """A map to pick a lesson's incidents by clicking: one circle per placed incident, its id
    at the end of its tooltip (what the page reads back); the ``chosen`` ones ringed in black."""
    fmap = base_map()
    add_reference_layers(fmap, boundaries)
    placed = incidents[incidents["latitude"].notna() & incidents["longitude"].notna()].head(MAX_PICK_MAP_INCIDENTS)
    group = folium.FeatureGroup(name="Incidents to pick")
    for _, row in placed.iterrows():
        picked = row["incident_id"] in chosen
        folium.CircleMarker(
            [float(row["latitude"]), float(row["longitude"])], radius=7 if picked else 5,
            color="#000" if picked else "#555", weight=3 if picked else 1, fill=True,
            fill_color=event_colour(row["event_type"]), fill_opacity=0.85,
            tooltip=f"{incident_tooltip(row)} · {html_text(row['incident_id'])}",
        ).add_to(group)
    group.add_to(fmap)
    fmap.add_child(MapExtras("Click an incident to add it to the lesson"))
    return use_local_assets(fmap, asset_base_url)
