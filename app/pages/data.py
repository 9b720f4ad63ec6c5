"""The data page: import a file (with a dry-run check and a reject report) and export every incident."""
from __future__ import annotations

from pathlib import Path

import streamlit as st

from app.downloads import incident_downloads
from app.failures import failures_stop_the_page, show_failure
from app.session import require_writer
from app.state import get_boundaries, get_engine, get_gazetteer, load_incidents, refresh_incidents
from errors import ExpectedFailure
from importers import FORMATS, MAX_IMPORT_BYTES
from importers.csv import parse_column_mapping, parse_value_maps
from importers.pipeline import file_columns, import_file, rejects_csv_bytes
from importers.placement import WITHIN_REGIONS
from importers.tables import describe_size
from incidents.store import database_url
from mapview.text import clip_text_columns, escape_markdown

FORMAT_LABELS = {
    "acled": "ACLED export (CSV, Excel .xlsx or API JSON, any layout since 2015)", "ucdp": "UCDP GED (CSV or .zip)",
    "csv": "Other CSV / spreadsheet", "geojson": "GeoJSON", "gpkg": "GeoPackage", "kim": "Our own CSV export",
}
SUFFIX_GUESSES = {".geojson": "geojson", ".json": "geojson", ".gpkg": "gpkg", ".xlsx": "acled"}
MAPPED_COLUMNS = ("event_date", "event_type", "sub_event_type", "location", "latitude", "longitude", "fatalities", "source", "notes")
AUTO = "(find by name)"
PREVIEW_COLUMNS = ["line", "event_date", "event_type", "sub_event_type", "location", "latitude", "longitude",
                   "geo_precision", "admin2", "in_kirkuk", "fatalities", "needs_review", "review_reasons"]

boundaries = get_boundaries()
url = database_url()
engine = get_engine(url)
require_writer(engine)

st.title("Import & export")
st.header("Import a file")
st.caption(
    f"ACLED and UCDP GED exports, spreadsheets saved as CSV (any separator; UTF-8 or Arabic Windows-1256) and GeoJSON, "
    f"up to {describe_size(MAX_IMPORT_BYTES)}. Bad rows are listed with the reason, for you to fix and import again; "
    "importing the same file twice adds nothing."
)
upload = st.file_uploader("File", type=["csv", "tsv", "txt", "geojson", "json", "xlsx", "zip", "gpkg"], key="import_file")
if upload is not None:
    guessed = SUFFIX_GUESSES.get(Path(upload.name).suffix.lower(), "csv")
    fmt = st.selectbox("Format", list(FORMATS), index=list(FORMATS).index(guessed), format_func=FORMAT_LABELS.get, key="import_format")
    mapping: dict[str, str] = {}
    value_maps: dict[str, dict[str, str]] = {}
    if fmt in ("csv", "geojson"):
        with failures_stop_the_page():  # the message may quote the file's header: escaped there
            columns = file_columns(upload, fmt, name=upload.name)
        with st.expander("Column mapping (only for columns not found by name)"):
            for ours in MAPPED_COLUMNS:
                chosen = st.selectbox(ours, [AUTO, *columns], key=f"map_{ours}")
                if chosen != AUTO:
                    mapping[ours] = chosen
            rules = st.text_area(
                "Constants and value maps, one a line (as the CLI's --map)", key="map_rules",
                placeholder="event_type=Battles\nevent_type:attack_type={Bombing/Explosion: Explosions/Remote violence, Armed Assault: Battles}",
            )
            lines = [line for line in rules.splitlines() if line.strip()]
            with failures_stop_the_page():  # BadColumnMapping says what is wrong with the line
                mapping |= parse_column_mapping(lines)
                value_maps = parse_value_maps(lines) if fmt == "csv" else {}
    within_labels = {"": "Every row (as today)"} | {region: f"Only {words}" for region, words in WITHIN_REGIONS.items()}
    within = st.radio(
        "Keep", list(within_labels), format_func=within_labels.get, horizontal=True, key="import_within",
        help="Rows outside the region are skipped and counted (not rejected); rows whose place is not known at all are kept.",
    ) or None
    check, store = st.columns(2)
    dry_run = check.button("Check (dry run)", key="import_check")
    do_import = store.button("Import", type="primary", key="import_run")
    if dry_run or do_import:
        bar = st.progress(0.0, text="Reading ...")

        def show_progress(done: int, total: int | None) -> None:
            bar.progress(min(done / total, 1.0) if total else 0.0, text=f"Read {done:,} rows")

        upload.seek(0)
        try:
            summary, result, located = import_file(
                upload, fmt, engine, boundaries, get_gazetteer(), mapping=mapping or None, value_maps=value_maps or None, name=upload.name,
                dry_run=dry_run, on_progress=show_progress, within=within,
            )
        except ExpectedFailure as error:  # a file that cannot be imported, a store that cannot be written
            bar.empty()
            show_failure(error)
            st.stop()
        bar.progress(1.0, text=f"Read {summary.rows_read:,} rows")
        if not dry_run:
            refresh_incidents()
        (st.success if not summary.rejected else st.warning)(escape_markdown(summary.message()))
        if len(located):
            st.subheader(f"{'Would be imported' if dry_run else 'Imported'}: {len(located)} row(s)")
            st.dataframe(clip_text_columns(located[PREVIEW_COLUMNS].head(200)), hide_index=True, width="stretch")
        if len(result.rejects):
            st.subheader(f"Rejected: {summary.rejected} row(s)")
            st.dataframe(clip_text_columns(result.rejects), hide_index=True, width="stretch")
            # No rerun on click: a rerun would clear this import's result from the page.
            st.download_button(
                "Download the reject report (CSV)", data=lambda rejects=result.rejects: rejects_csv_bytes(rejects),
                file_name=f"{Path(upload.name).stem}.rejects.csv", mime="text/csv", key="download_rejects", on_click="ignore",
            )

st.header("Export every incident")
incidents = load_incidents(url)
st.caption(f"{len(incidents)} incident(s); columns use ACLED's names with the COD-AB pcodes beside the admin names.")
hxl = st.checkbox("Add an HXL hashtag row to the CSV", key="export_hxl")
incident_downloads(
    st.columns(3), incidents, {"csv": "CSV", "geojson": "GeoJSON", "gpkg": "GeoPackage"}, "kirkuk_incidents", hxl=hxl, key_prefix="export_",
)
