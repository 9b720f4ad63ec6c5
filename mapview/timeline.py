"""The educator's maps: an animated timeline of incidents, and a story that steps through them.

Pure functions from frames to folium maps; the page holds the play/step state.
"""
from __future__ import annotations

import folium
import pandas as pd
from branca.element import MacroElement
from jinja2 import Template
from folium.plugins import TimestampedGeoJson

from geo.boundaries import Boundaries
from mapview.assets import APP_VENDOR_URL, use_local_assets
from mapview.incident_map import KIRKUK_CENTRE, add_reference_layers, base_map, unit_bounds
from mapview.layers import AREA, EXACT, NEAR, area_pcodes, area_shapes, placements
from mapview.legend import MapExtras, symbols_legend
from mapview.popups import incident_popup_html, incident_tooltip
from mapview.style import NEAR_PLACE_RADIUS_KM, event_colour, marker_radius_px
from mapview.text import html_text
from mapview.timeline_pace import MIN_FRAME_MS, STEP_PERIODS, TimelinePace, automatic_step, frame_ms, resolved_step, timeline_steps

TIMELINE_MODES = ("cumulative", "window")
# The player embeds every incident it plays; beyond this the page gets slow to load.
MAX_TIMELINE_INCIDENTS = 3_000
# The story shows this many earlier incidents, faint, for context.
STORY_CONTEXT_INCIDENTS = 300
# Zoom at which the story shows an incident, by geo_precision.
STORY_ZOOM = {1: 12, 2: 11, 3: 9}


class TimelinePlayer(MacroElement):
    """The player steps through ``steps`` only (periods that hold incidents: the plugin otherwise
    steps through every period of the span), and a large date label with the running totals,
    readable on a projector, follows the time shown (the timeDimension's ``timeload``, so
    ``map.timeDimension.setCurrentTime`` from a script updates it too). Its speed label sits
    clear of its icon.

    The steps reach the page as JSON numbers and label strings written with ``textContent``:
    never markup, never code.
    """

    _template = Template(
        """
        {% macro header(this, kwargs) %}
        <style>
          .leaflet-bar-timecontrol .timecontrol-speed .speed { width: auto; float: none; margin-left: 22px; padding-right: 4px; text-align: left; }
          .kim-pace { background: rgba(255,255,255,0.92); padding: 8px 14px; border-radius: 6px;
                      box-shadow: 0 0 6px rgba(0,0,0,0.35); font-family: sans-serif; color: #111; text-align: right; }
          .kim-pace-date { font-size: 34px; font-weight: bold; line-height: 1.15; white-space: nowrap; }
          .kim-pace-totals { font-size: 22px; line-height: 1.3; white-space: nowrap; }
        </style>
        {% endmacro %}
        {% macro script(this, kwargs) %}
        {{ this._parent.get_name() }}.timeDimension.setAvailableTimes({{ this.times|tojson }}, "replace");
        (function (map) {
          var steps = {{ this.steps|tojson }};  // [time ms, label, incidents so far, killed so far]
          var control = L.control({position: "topright"});
          control.onAdd = function () {
            var div = L.DomUtil.create("div", "kim-pace");
            div.appendChild(L.DomUtil.create("div", "kim-pace-date"));
            div.appendChild(L.DomUtil.create("div", "kim-pace-totals"));
            L.DomEvent.disableClickPropagation(div);
            return div;
          };
          control.addTo(map);
          var box = control.getContainer();
          function stepAt(time) {  // the last step at or before ``time``
            var low = 0, high = steps.length - 1, found = 0;
            while (low <= high) {
              var middle = (low + high) >> 1;
              if (steps[middle][0] <= time) { found = middle; low = middle + 1; } else { high = middle - 1; }
            }
            return steps[found];
          }
          function show(time) {
            if (!steps.length) return;
            var step = stepAt(time === null || time === undefined ? steps[0][0] : time);
            box.firstChild.textContent = step[1];
            box.lastChild.textContent = step[2].toLocaleString("en") + (step[2] === 1 ? " incident" : " incidents") +
              " · " + step[3].toLocaleString("en") + " killed so far";
            box.setAttribute("data-time", String(step[0]));
          }
          map.timeDimension.on("timeload", function (event) { show(event.time); });
          if (steps.length) map.timeDimension.setCurrentTime(steps[0][0]);
          show(map.timeDimension.getCurrentTime());
        })({{ this._parent.get_name() }});
        {% endmacro %}
        """
    )

    def __init__(self, steps: pd.DataFrame) -> None:
        super().__init__()
        self._name = "TimelinePlayer"
        self.times = [int(t) for t in steps["time_ms"]]
        self.steps = [
            [int(t), html_text(label), int(so_far), int(killed)]
            for t, label, so_far, killed in zip(steps["time_ms"], steps["label"], steps["incidents_so_far"], steps["killed_so_far"])
        ]


def incident_times_ms(features: dict) -> list[int]:
    """The distinct dates of the timeline's features, as milliseconds since 1970 (UTC), in order.

    >>> incident_times_ms({"features": [{"properties": {"times": ["2024-10-17"]}}, {"properties": {"times": ["2024-07-14"]}}]})
    [1720915200000, 1729123200000]
    """
    dates = sorted({time for feature in features["features"] for time in feature["properties"]["times"]})
    return [int(pd.Timestamp(d).value // 1_000_000) for d in dates]


def timeline_period(dates: pd.Series) -> str:
    """The animation's step as an ISO 8601 period, for the step "auto" chooses by the span shown.

    >>> timeline_period(pd.Series(["2024-07-14", "2024-10-17"]))
    'P1D'
    >>> timeline_period(pd.Series(["2015-01-01", "2024-12-31"]))
    'P1M'
    """
    return STEP_PERIODS[automatic_step(dates)]


def played_incidents(incidents: pd.DataFrame, boundaries: Boundaries) -> pd.DataFrame:
    """The incidents the timeline can play: those with a date and a place (``placements``)."""
    dated = incidents[pd.to_datetime(incidents["event_date"], errors="coerce").notna()]
    return dated[placements(dated, boundaries).notna().to_numpy()]


def timeline_features(incidents: pd.DataFrame, boundaries: Boundaries) -> dict:
    """A GeoJSON FeatureCollection of dated incidents with a ``times`` property each.

    Drawn as ``placements`` says: points for geo_precision 1 and 2, the area's polygon for
    3 (or when there is no point); incidents with no place yet are left out. Styles carry
    the event type's colour; popups and tooltips are clipped and escaped.
    """
    dated = incidents[pd.to_datetime(incidents["event_date"], errors="coerce").notna()]
    placed = placements(dated, boundaries)
    areas = area_shapes(area_pcodes(dated[placed == AREA]), boundaries)
    features = []
    for (label, row), kind in zip(dated.iterrows(), placed):
        if kind is None:
            continue
        colour = event_colour(row["event_type"])
        properties = {
            "times": [str(row["event_date"])],
            "popup": incident_popup_html(row),
            "tooltip": incident_tooltip(row),
        }
        if kind == AREA:
            geometry = areas.loc[label].__geo_interface__
            properties["style"] = {"color": colour, "weight": 3, "dashArray": "2 6", "fillOpacity": 0.08}
        else:
            exact = kind == EXACT
            geometry = {"type": "Point", "coordinates": [float(row["longitude"]), float(row["latitude"])]}
            properties["icon"] = "circle"
            properties["iconstyle"] = {
                "radius": marker_radius_px(row["fatalities"]) if exact else 12, "fillColor": colour,
                "color": "#222" if exact else colour, "fillOpacity": 0.85 if exact else 0.3, "weight": 1 if exact else 2,
                "dashArray": None if exact else "6 4",
            }
        features.append({"type": "Feature", "geometry": geometry, "properties": properties})
    return {"type": "FeatureCollection", "features": features}


def build_timeline_map(
    incidents: pd.DataFrame,
    boundaries: Boundaries,
    mode: str = "cumulative",
    window_days: int = 30,
    pace: TimelinePace | None = None,
    asset_base_url: str = APP_VENDOR_URL,
) -> folium.Map:
    """A map that plays the incidents in date order (play/pause, speed and time slider on the map),
    one step per day, week or month that holds incidents, with a large date label and running totals.

    ``mode`` "cumulative" keeps every incident once it has appeared; "window" shows only
    those of the last ``window_days``. ``pace`` sets the step and the time per step
    (``timeline_pace.frame_ms``: the whole selection in ``play_seconds``, or 0.6 s a step times its speed).
    """
    pace = pace or TimelinePace()
    if mode not in TIMELINE_MODES:
        raise ValueError(f"Unknown timeline mode {mode!r}; use one of: {', '.join(TIMELINE_MODES)}.")
    if pace.speed <= 0:
        raise ValueError(f"The speed must be positive, not {pace.speed!r}.")
    played = played_incidents(incidents, boundaries)
    step = resolved_step(pace.step, played["event_date"])
    steps = timeline_steps(played, step)
    fmap = base_map()
    add_reference_layers(fmap, boundaries)
    features = timeline_features(played, boundaries)
    TimestampedGeoJson(
        features,
        period=STEP_PERIODS[step],
        duration=None if mode == "cumulative" else f"P{int(window_days)}D",
        transition_time=frame_ms(len(steps), pace)[0],
        auto_play=False,
        loop=False,
        add_last_point=False,
        date_options="YYYY-MM-DD",
        max_speed=1000 // MIN_FRAME_MS,
    ).add_to(fmap)
    if features["features"]:
        fmap.add_child(TimelinePlayer(steps))
    fmap.add_child(MapExtras(symbols_legend(aggregated=False)))
    # Room at the bottom for the player's control, which covered southern Daquq.
    fmap.fit_bounds(unit_bounds(boundaries.kirkuk(2)), padding_bottom_right=(0, 70))
    return use_local_assets(fmap, asset_base_url)


def latest_incidents(incidents: pd.DataFrame, limit: int = MAX_TIMELINE_INCIDENTS) -> pd.DataFrame:
    """The ``limit`` most recent dated incidents (all of them when there are fewer).

    >>> latest_incidents(pd.DataFrame({"event_date": ["2024-01-02", None, "2024-01-01"]}), 1)["event_date"].tolist()
    ['2024-01-02']
    """
    dated = incidents[incidents["event_date"].notna()]
    if len(dated) <= limit:
        return dated
    return dated.sort_values("event_date").iloc[-limit:]


def story_order(incidents: pd.DataFrame) -> pd.DataFrame:
    """The incidents a story steps through: dated ones, oldest first (ties by id, for a stable order)."""
    dates = pd.to_datetime(incidents["event_date"], errors="coerce")
    ordered = incidents.assign(_date=dates)[dates.notna()].sort_values(["_date", "incident_id"])
    return ordered.drop(columns="_date").reset_index(drop=True)


def story_view(incident: pd.Series, boundaries: Boundaries) -> tuple[list[float], int]:
    """Where the story centres the map for one incident: [lat, lon] and a zoom level
    (the governorate for an incident with no place yet)."""
    one = incident.to_frame().T
    kind = placements(one, boundaries).iloc[0]
    if kind == AREA:
        point = area_shapes(area_pcodes(one), boundaries).iloc[0].representative_point()
        return [point.y, point.x], STORY_ZOOM[3]
    if kind is None:
        return list(KIRKUK_CENTRE), STORY_ZOOM[3]
    return [float(incident["latitude"]), float(incident["longitude"])], STORY_ZOOM[1 if kind == EXACT else 2]


def build_story_map(
    story: pd.DataFrame, boundaries: Boundaries, step: int, asset_base_url: str = APP_VENDOR_URL
) -> folium.Map:
    """The story's map at one step: earlier incidents faint, the current one highlighted and centred."""
    if not 0 <= step < len(story):
        raise IndexError(f"Story step {step} is outside 0..{len(story) - 1}.")
    current = story.iloc[step]
    centre, zoom = story_view(current, boundaries)
    fmap = base_map()
    fmap.location, fmap.options["zoom"] = centre, zoom
    add_reference_layers(fmap, boundaries)
    earlier = story.iloc[max(0, step - STORY_CONTEXT_INCIDENTS) : step]
    past = folium.FeatureGroup(name=f"Up to {STORY_CONTEXT_INCIDENTS} earlier incidents")
    for _, row in earlier[earlier["latitude"].notna()].iterrows():
        folium.CircleMarker([row["latitude"], row["longitude"]], radius=4, color="#888", fill=True, fill_opacity=0.5, weight=1).add_to(past)
    past.add_to(fmap)
    colour = event_colour(current["event_type"])
    highlight = folium.FeatureGroup(name="This incident")
    popup = folium.Popup(incident_popup_html(current), max_width=340, show=True)
    one = current.to_frame().T
    kind = placements(one, boundaries).iloc[0]
    if kind == AREA:
        folium.GeoJson(
            area_shapes(area_pcodes(one), boundaries).iloc[0].__geo_interface__,
            style_function=lambda f: {"color": colour, "weight": 4, "dashArray": "2 6", "fillOpacity": 0.1},
            popup=popup,
        ).add_to(highlight)
    elif kind == NEAR:
        folium.Circle(centre, radius=NEAR_PLACE_RADIUS_KM * 1000, color=colour, fill=True, fill_opacity=0.25, dash_array="6 4", popup=popup).add_to(highlight)
    elif kind == EXACT:
        folium.CircleMarker(centre, radius=marker_radius_px(current["fatalities"]) + 4, color="#000", fill=True, fill_color=colour, fill_opacity=0.9, popup=popup).add_to(highlight)
    highlight.add_to(fmap)
    unplaced = "<br>no place yet: not on the map" if kind is None else ""
    fmap.add_child(MapExtras(f"<b>{html_text(str(current['event_date']))}</b><br>{step + 1} of {len(story)}{unplaced}"))
    return use_local_assets(fmap, asset_base_url)
