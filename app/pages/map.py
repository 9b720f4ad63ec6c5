"""The analyst's map page: filters (kept in the URL), the map, charts, the table and exports."""
from __future__ import annotations

from dataclasses import asdict
from typing import Mapping

import streamlit as st

from app.classroom_downloads import print_downloads
from app.downloads import incident_downloads
from app.map_frame import show_map
from app.selection import (
    MAP_PAGE, TIMELINE_PAGE, keep_in_url, link_to_page, restore_from_url, selection_caption, selection_widgets, show_url_notes,
    store_selection,
)
from app.state import load_counts_by_unit, load_filtered, load_monthly_by_district, map_page_store
from incidents.aggregate import METRICS, headline_figures, unit_metrics
from incidents.filters import FIELDS_BY_NAME
from mapview.charts import chart_data_and_spec, district_colours, monthly_chart
from mapview.export import standalone_html
from mapview.incident_map import build_incident_map, incident_layers, reference_map, tile_source
from mapview.layers import placements
from mapview.options import UNIT_LABELS, MapOptions, parse_map_options
from mapview.style import CLASS_SCHEMES
from mapview.text import clip_text_columns

TABLE_COLUMNS = [
    "event_date", "time_precision", "event_type", "sub_event_type", "location", "geo_precision",
    "admin1", "admin2", "admin3", "in_kirkuk", "fatalities", "wounded", "actor1", "actor2", "source",
    "source_url", "needs_review", "review_reasons", "incident_id",
]
MAP_KEY = "incident_map"
TABLE_ROWS = 1_000

boundaries, url = map_page_store()
districts = boundaries.kirkuk(2)
sub_districts = boundaries.kirkuk(3)
selection = store_selection(boundaries, url)


def map_options_from_url(params: Mapping[str, str]) -> tuple[dict[str, object], list[str]]:
    """The map options' widget values a link gives (they are keyed by MapOptions' attribute names)."""
    options, notes = parse_map_options(params)
    return asdict(options), notes


def apply_map_click() -> None:
    """A click on a district or sub-district of the map filters to it (once per click)."""
    clicked = (st.session_state.get(MAP_KEY) or {}).get("last_active_drawing")
    if not clicked or clicked == st.session_state.get("_handled_click"):
        return
    st.session_state["_handled_click"] = clicked
    pcode = str((clicked.get("properties") or {}).get("pcode") or "")
    for name, units in (("adm2_pcodes", districts), ("adm3_pcodes", sub_districts)):
        if pcode in units["pcode"].values:
            st.session_state[FIELDS_BY_NAME[name].widget] = [pcode]
            return


restore_from_url(MAP_PAGE, selection, map_options_from_url)
apply_map_click()

incident_filter = selection_widgets(selection)
with st.sidebar:
    st.header("Map")
    options = MapOptions(
        level=st.radio("Choropleth by", list(UNIT_LABELS), format_func=UNIT_LABELS.get, horizontal=True, key="level"),
        metric=st.selectbox("Metric", list(METRICS), format_func=METRICS.get, key="metric"),
        scheme=st.selectbox("Classes", list(CLASS_SCHEMES), key="scheme"),
        show_clusters=st.toggle("Clusters", key="show_clusters", help="Incidents grouped into clusters that split as you zoom in"),
        show_heat=st.toggle("Heat map", key="show_heat"),
    )

# The default view (all dates, no filter, default map) needs no parameter.
keep_in_url(incident_filter, selection, options.to_query_params())

# The database filters and counts (IncidentFilter.where, GROUP BY): the page never reads every incident.
shown = load_filtered(url, incident_filter)
previous_filter = incident_filter.previous_period()
previous = load_counts_by_unit(url, previous_filter, options.level) if previous_filter else None
counts = unit_metrics(boundaries.kirkuk(options.level), load_counts_by_unit(url, incident_filter, options.level), previous)

st.title("Kirkuk Incident Map")
show_url_notes()
st.caption(selection_caption(incident_filter, selection) + ". Click a district on the map to filter to it; the address bar keeps the view.")
link_to_page(TIMELINE_PAGE, "Open this selection on the Timeline", ":material/play_circle:", incident_filter, selection)
figures = headline_figures(shown)
columns = st.columns(4)
columns[0].metric("Incidents", figures["incidents"])
columns[1].metric("Killed", figures["fatalities"])
columns[2].metric("Wounded", figures["wounded"])
columns[3].metric("Awaiting review", figures["needs_review"])
if options.metric == "change" and previous is None:
    st.info("Choose a date range with both ends to compare with the previous period of the same length.")

chosen_units = tuple(incident_filter.adm2_pcodes) + tuple(incident_filter.adm3_pcodes)
# A wider scope draws what lies outside Kirkuk as muted context, with the neighbours' outlines.
context_outlines = incident_filter.scope != FIELDS_BY_NAME["scope"].default
# Only a click on a feature comes back (last_active_drawing): panning and zooming do not rerun the script.
# The base map (outlines, names, credits) is the same on every run: rendered once per process, and
# kept by the browser with its zoom and centre; only the layers of this selection travel, drawn
# once per selection and store state.
show_map(
    repr(tile_source()), lambda: reference_map(boundaries),
    (url, incident_filter, options, chosen_units, context_outlines),
    lambda: incident_layers(shown, boundaries, options, chosen_units=chosen_units, counts=counts, context_outlines=context_outlines),
    key=MAP_KEY, height=600, returned_objects=["last_active_drawing"],
)

unplaced = int(placements(shown, boundaries).isna().sum())
if unplaced:
    st.warning(
        f"{unplaced} incident(s) have no place yet (no point and no known area) and are not on the map; "
        "they are in the table below, and the Review queue lists those awaiting review."
    )

monthly = load_monthly_by_district(url, incident_filter)
if len(monthly):
    colours = district_colours(districts["name"])
    chart_columns = st.columns(2)
    for column, measure, title in ((chart_columns[0], "incidents", "Incidents per month"), (chart_columns[1], "fatalities", "Killed per month")):
        # Data apart from the spec: a filter change replaces the drawn chart's data (mapview.charts).
        column.vega_lite_chart(*chart_data_and_spec(monthly_chart(monthly, measure, title, colours)), width="stretch")

st.subheader(f"{len(shown)} incident(s)")
if len(shown) > TABLE_ROWS:
    st.caption(f"The table shows the {TABLE_ROWS:,} most recent; the downloads below have all {len(shown):,}.")
# Only what is seen travels: the whole table of a large store was most of the page's bytes.
listed = shown.sort_values("event_date", ascending=False, na_position="first").head(TABLE_ROWS)
table = clip_text_columns(listed[TABLE_COLUMNS])  # long texts are cut for display; the downloads have them whole
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
    data=lambda: standalone_html(build_incident_map(shown, boundaries, options, counts=counts, context_outlines=context_outlines)),
    file_name="kirkuk-incident-map.html", mime="text/html", on_click="ignore",
)
incident_downloads(
    downloads[1:], shown, {"csv": "Incidents (CSV)", "geojson": "Incidents (GeoJSON)", "gpkg": "Incidents (GeoPackage)"}, "kirkuk-incidents",
)
# A4 landscape with title, legend, scale bar, the filter in words and credits; drawn by chromium on click.
print_downloads(
    st.columns(4)[:2], lambda: build_incident_map(shown, boundaries, options, counts=counts, tiles={}, chosen_units=chosen_units, context_outlines=context_outlines),
    shown, incident_filter.caption(selection.unit_names), selection=st.query_params.to_dict(),
)
