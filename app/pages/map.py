"""The analyst's map page: filters (kept in the URL), the map, charts, the table and exports."""
from __future__ import annotations

import altair as alt
import streamlit as st
from streamlit_folium import st_folium

from app.state import load_filter_choices, map_page_inputs
from incidents.aggregate import METRICS, headline_figures, monthly_by_district
from incidents.export import export_bytes
from incidents.date_limits import DateWindow
from incidents.filters import REVIEW_STATES, IncidentFilter, parse_query_params
from incidents.schema import EVENT_TYPES, GEO_PRECISION
from incidents.store import database_url
from mapview.export import standalone_html
from mapview.incident_map import MapOptions, build_incident_map
from mapview.layers import placements
from mapview.style import CLASS_SCHEMES
from mapview.text import clip_text_columns, escape_markdown

TABLE_COLUMNS = [
    "event_date", "time_precision", "event_type", "sub_event_type", "location", "geo_precision",
    "admin2", "admin3", "in_kirkuk", "fatalities", "wounded", "actor1", "actor2", "source",
    "source_url", "needs_review", "review_reasons", "incident_id",
]
LEVELS = {"District": 2, "Sub-district": 3}
MAP_LAYERS = ("clusters", "heat")
MAP_KEY = "incident_map"
URL_NOTES_KEY = "_url_notes"

boundaries, incidents = map_page_inputs()
districts = boundaries.kirkuk(2)
sub_districts = boundaries.kirkuk(3)
unit_names = dict(zip(districts["pcode"], districts["name"])) | dict(zip(sub_districts["pcode"], sub_districts["name"]))
choices = load_filter_choices(database_url())
# The date widget spans the data, within 1900-01-01 .. a year ahead (a stored date beyond
# that would make Streamlit refuse the widget's value).
window = DateWindow.of(choices.first_date, choices.last_date)
data_span = (window.first, window.last)


def restore_from_url() -> None:
    """On a session's first run, set the widgets from the URL so that a link reproduces a view."""
    if st.session_state.get("_restored_from_url"):
        return
    st.session_state["_restored_from_url"] = True
    params = st.query_params.to_dict()
    url_filter, notes = parse_query_params(params)
    url_filter, unknown = url_filter.within(window, {
        "adm2_pcodes": set(districts["pcode"]), "adm3_pcodes": set(sub_districts["pcode"]),
        "event_types": set(choices.event_types), "actors": set(choices.actors), "sources": set(choices.sources),
        "sub_event_types": {s for subs in EVENT_TYPES.values() for s in subs},
    })
    st.session_state["date_range"] = (url_filter.date_from or data_span[0], url_filter.date_to or data_span[1])
    for key, value in (
        ("districts", url_filter.adm2_pcodes), ("sub_districts", url_filter.adm3_pcodes),
        ("event_types", url_filter.event_types), ("sub_event_types", url_filter.sub_event_types),
        ("actors", url_filter.actors), ("precisions", url_filter.geo_precisions),
        ("review_states", url_filter.review_states), ("sources", url_filter.sources),
    ):
        st.session_state[key] = list(value)
    st.session_state["min_fatalities"] = url_filter.min_fatalities
    st.session_state["include_undated"] = url_filter.include_undated
    st.session_state["level"] = "Sub-district" if url_choice(params, "level", ("2", "3"), "2", notes) == "3" else "District"
    st.session_state["metric"] = url_choice(params, "metric", tuple(METRICS), "incidents", notes)
    st.session_state["scheme"] = url_choice(params, "scheme", tuple(CLASS_SCHEMES), "quantiles", notes)
    layers = [name for name in params.get("layers", "").split(",") if name]
    if set(layers) - set(MAP_LAYERS):
        notes.append(f"layers: only {' and '.join(MAP_LAYERS)} exist; the others are ignored.")
    st.session_state["show_clusters"] = "clusters" in layers
    st.session_state["show_heat"] = "heat" in layers
    st.session_state[URL_NOTES_KEY] = notes + unknown


def url_choice(params: dict[str, str], name: str, allowed: tuple[str, ...], default: str, notes: list[str]) -> str:
    """A URL parameter that must be one of ``allowed``; anything else gives ``default`` and a note."""
    value = params.get(name, default)
    if value in allowed:
        return value
    notes.append(f"{name} '{value[:60]}' is not one of {', '.join(allowed)}; {default} is used.")
    return default


def apply_map_click() -> None:
    """A click on a district or sub-district of the map filters to it (once per click)."""
    clicked = (st.session_state.get(MAP_KEY) or {}).get("last_active_drawing")
    if not clicked or clicked == st.session_state.get("_handled_click"):
        return
    st.session_state["_handled_click"] = clicked
    pcode = str((clicked.get("properties") or {}).get("pcode") or "")
    if pcode in districts["pcode"].values:
        st.session_state["districts"] = [pcode]
    elif pcode in sub_districts["pcode"].values:
        st.session_state["sub_districts"] = [pcode]


restore_from_url()
apply_map_click()
# Kept inside the window on every run: the store may have changed since the range was chosen.
st.session_state["date_range"] = tuple(window.clamp(day) for day in st.session_state.get("date_range") or data_span)

with st.sidebar:
    st.header("Filters")
    chosen_dates = st.date_input("Date range", key="date_range", min_value=window.first, max_value=window.last)
    include_undated = st.checkbox("Include incidents with no date yet", key="include_undated")
    chosen_districts = st.multiselect("District", options=list(districts["pcode"]), format_func=unit_names.get, key="districts")
    sub_choices = sub_districts[sub_districts["adm2_pcode"].isin(chosen_districts)] if chosen_districts else sub_districts
    st.session_state["sub_districts"] = [p for p in st.session_state.get("sub_districts", []) if p in set(sub_choices["pcode"])]
    chosen_subs = st.multiselect("Sub-district", options=list(sub_choices["pcode"]), format_func=unit_names.get, key="sub_districts")
    chosen_types = st.multiselect("Event type", options=list(choices.event_types), key="event_types")
    sub_types = sorted({s for t in (chosen_types or EVENT_TYPES) for s in EVENT_TYPES.get(t, ())})
    st.session_state["sub_event_types"] = [s for s in st.session_state.get("sub_event_types", []) if s in sub_types]
    chosen_sub_types = st.multiselect("Sub-event type", options=sub_types, key="sub_event_types")
    chosen_actors = st.multiselect("Actor", options=list(choices.actors), key="actors")
    min_fatalities = st.number_input("At least this many killed", min_value=0, step=1, key="min_fatalities")
    chosen_precisions = st.multiselect(
        "Place precision", options=[1, 2, 3], format_func=lambda p: f"{p}: {GEO_PRECISION[p]}", key="precisions"
    )
    chosen_reviews = st.multiselect(
        "Review status", options=list(REVIEW_STATES), format_func=lambda s: s.replace("_", " "), key="review_states"
    )
    chosen_sources = st.multiselect("Source", options=list(choices.sources), key="sources")
    st.header("Map")
    level_label = st.radio("Choropleth by", list(LEVELS), horizontal=True, key="level")
    metric = st.selectbox("Metric", list(METRICS), format_func=METRICS.get, key="metric")
    scheme = st.selectbox("Classes", list(CLASS_SCHEMES), key="scheme")
    show_clusters = st.toggle("Clusters", key="show_clusters", help="Incidents grouped into clusters that split as you zoom in")
    show_heat = st.toggle("Heat map", key="show_heat")

date_from, date_to = window.filter_bounds(
    chosen_dates[0] if len(chosen_dates) > 0 else None, chosen_dates[1] if len(chosen_dates) > 1 else None
)
incident_filter = IncidentFilter(
    date_from=date_from,
    date_to=date_to,
    adm2_pcodes=tuple(chosen_districts), adm3_pcodes=tuple(chosen_subs),
    event_types=tuple(chosen_types), sub_event_types=tuple(chosen_sub_types), actors=tuple(chosen_actors),
    min_fatalities=int(min_fatalities), geo_precisions=tuple(chosen_precisions),
    review_states=tuple(chosen_reviews), sources=tuple(chosen_sources), include_undated=include_undated,
)
options = MapOptions(level=LEVELS[level_label], metric=metric, scheme=scheme, show_clusters=show_clusters, show_heat=show_heat)
url_params = incident_filter.to_query_params()
if tuple(chosen_dates) == data_span:
    for default_key in ("date_from", "date_to"):  # the default, all dates, needs no parameter
        url_params.pop(default_key, None)
url_params |= {k: v for k, v in (("level", str(options.level)), ("metric", metric), ("scheme", scheme)) if v not in ("2", "incidents", "quantiles")}
extra_layers = [name for name, on in (("clusters", show_clusters), ("heat", show_heat)) if on]
if extra_layers:
    url_params["layers"] = ",".join(extra_layers)
st.query_params.from_dict(url_params)

shown = incident_filter.apply(incidents)
previous_filter = incident_filter.previous_period()
previous = previous_filter.apply(incidents) if previous_filter else None

st.title("Kirkuk Incident Map")
url_notes = st.session_state.pop(URL_NOTES_KEY, [])  # shown once, on the run that read the link
if url_notes:
    st.warning("Parts of this link were ignored or changed:\n" + "\n".join(f"- {escape_markdown(note)}" for note in url_notes))
# The caption names actors and sources from the data: escaped, never markdown.
st.caption(escape_markdown(incident_filter.caption(unit_names)) + ". Click a district on the map to filter to it; the address bar keeps the view.")
figures = headline_figures(shown)
columns = st.columns(4)
columns[0].metric("Incidents", figures["incidents"])
columns[1].metric("Killed", figures["fatalities"])
columns[2].metric("Wounded", figures["wounded"])
columns[3].metric("Awaiting review", figures["needs_review"])
if metric == "change" and previous is None:
    st.info("Choose a date range with both ends to compare with the previous period of the same length.")

fmap = build_incident_map(shown, boundaries, options, previous=previous)
# Only a click on a feature comes back (last_active_drawing): panning and zooming do not rerun the script.
st_folium(fmap, height=600, use_container_width=True, returned_objects=["last_active_drawing"], key=MAP_KEY)

unplaced = int(placements(shown, boundaries).isna().sum())
if unplaced:
    st.warning(
        f"{unplaced} incident(s) have no place yet (no point and no known area) and are not on the map; "
        "they are in the table below, and the Review queue lists those awaiting review."
    )

monthly = monthly_by_district(shown)
if len(monthly):
    chart_columns = st.columns(2)
    for column, measure, title in ((chart_columns[0], "incidents", "Incidents per month"), (chart_columns[1], "fatalities", "Killed per month")):
        chart = (
            alt.Chart(monthly, title=title)
            .mark_bar()
            .encode(
                x=alt.X("yearmonth(month):T", title="Month"),
                y=alt.Y(f"sum({measure}):Q", title=measure.capitalize()),
                color=alt.Color("district:N", title="District"),
                tooltip=[alt.Tooltip("yearmonth(month):T", title="Month"), "district:N", f"{measure}:Q"],
            )
        )
        column.altair_chart(chart, width="stretch")

st.subheader(f"{len(shown)} incident(s)")
table = clip_text_columns(shown[TABLE_COLUMNS])  # long texts are cut for display; the downloads have them whole
# Only web links are clickable; anything else (javascript:, data:) is not a source link.
table["source_url"] = table["source_url"].where(table["source_url"].str.match(r"https?://", na=False))
st.dataframe(
    table,
    hide_index=True,
    width="stretch",
    column_config={"source_url": st.column_config.LinkColumn("source_url")},
)

st.markdown("**Download this view**")
downloads = st.columns(4)
downloads[0].download_button(
    "Map (HTML, opens offline)",
    data=lambda: standalone_html(build_incident_map(shown, boundaries, options, previous=previous)),
    file_name="kirkuk-incident-map.html", mime="text/html", on_click="ignore",
)
for column, (label, fmt, mime) in zip(
    downloads[1:],
    (("Incidents (CSV)", "csv", "text/csv"), ("Incidents (GeoJSON)", "geojson", "application/geo+json"),
     ("Incidents (GeoPackage)", "gpkg", "application/geopackage+sqlite3")),
):
    column.download_button(
        label, data=lambda fmt=fmt: export_bytes(shown, fmt), file_name=f"kirkuk-incidents.{fmt}", mime=mime, on_click="ignore",
    )
