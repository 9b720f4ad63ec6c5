"""Limits with clear messages: a cell over 1 MB is a rejected row (the rest imports), long
texts are stored whole and clipped only where a page shows them, and the Timeline's page
stays far below Streamlit's 200 MB message limit."""
from __future__ import annotations

import io
import json

import numpy as np
import pandas as pd
import pytest

from importers import read_generic_csv, read_geojson
from importers.pipeline import import_file
from importers.tables import MAX_CELL_BYTES
from incidents.schema import conform
from incidents.store import read_incidents
from mapview.incident_map import map_html
from mapview.popups import NOTE_CHARS, incident_popup_html, incident_tooltip
from mapview.text import ELLIPSIS, TABLE_CELL_CHARS
from mapview.timeline import MAX_TIMELINE_INCIDENTS, build_timeline_map
from tests.incident_rows import incident, run_page, store_with

HEADER = "event_date,event_type,sub_event_type,location,latitude,longitude,notes\n"
TOO_LARGE = "x" * (MAX_CELL_BYTES + 1)
LARGE = "y" * 200_000  # over the csv module's default field limit (128 KB), under ours


def csv_file(*cells: tuple[str, str]) -> io.BytesIO:
    rows = [f"2024-07-{14 + i},Battles,Armed clash,{location},35.4681,44.3922,{notes}\n" for i, (location, notes) in enumerate(cells)]
    return io.BytesIO((HEADER + "".join(rows)).encode("utf-8"))


def test_a_cell_over_the_limit_is_a_rejected_row_and_the_rest_imports():
    result = read_generic_csv(csv_file(("Daquq", LARGE), ("Daquq", TOO_LARGE), (TOO_LARGE, "short"), ("Hawija", "ok")), name="big.csv")
    assert result.incidents["line"].tolist() == [2, 5]
    assert result.incidents["notes"].str.len().tolist()[0] == len(LARGE)  # a large cell under the limit is kept whole
    rejects = result.rejects.set_index("line")
    assert rejects.loc[3, "column"] == "notes" and rejects.loc[4, "column"] == "location"
    assert rejects.loc[3, "reason"].startswith("the cell is 1,048,577 bytes; a cell may hold at most 1.0 MB (1,048,576 bytes).")
    assert (rejects["original_row"].str.len() < 500).all()  # the report names the row without copying the megabyte


def test_a_geojson_property_over_the_limit_rejects_its_feature():
    features = [
        {"type": "Feature", "geometry": {"type": "Point", "coordinates": [44.39, 35.47]},
         "properties": {"event_date": "2024-07-14", "event_type": "Battles", "sub_event_type": "Armed clash", "location": "Daquq", "notes": notes}}
        for notes in ("short", TOO_LARGE)
    ]
    result = read_geojson(io.BytesIO(json.dumps({"type": "FeatureCollection", "features": features}).encode()), name="big.geojson")
    assert result.incidents["line"].tolist() == [1]
    assert result.rejects[["line", "column"]].values.tolist() == [[2, "notes"]]


def test_long_notes_are_stored_whole_and_clipped_in_popups(engine, boundaries):
    long_notes = "Gunmen attacked a checkpoint. " * 30_000  # 900 KB
    import_file(csv_file(("Kirkuk", long_notes)), "csv", engine, boundaries, None, name="long.csv")
    stored = read_incidents(engine).iloc[0]
    assert stored["notes"] == long_notes.strip()
    popup = incident_popup_html(stored)
    assert len(popup) < NOTE_CHARS + 2_000 and ELLIPSIS in popup


@pytest.mark.parametrize("column", ["location", "sub_event_type", "event_date"])
def test_tooltips_stay_short_whatever_the_field_holds(column):
    assert len(incident_tooltip(pd.Series(incident(1, **{column: "<" * 100_000})))) < 4_000


def test_the_map_table_clips_long_text_for_display(db_url):
    store_with(db_url, [incident(1, location="Q" * 10_000, review_reasons="r" * 10_000)])
    at = run_page("map")
    assert not at.exception, at.exception
    table = at.dataframe[0].value
    assert len(table.at[0, "location"]) == TABLE_CELL_CHARS and table.at[0, "location"].endswith(ELLIPSIS)


def test_a_timeline_of_long_notes_stays_far_below_the_message_limit(boundaries):
    count, notes = 300, ("Gunmen attacked <b>a checkpoint</b> & \"fled\"; " * 3_000)[:100_000]
    days = pd.Timestamp("2015-01-01") + pd.to_timedelta(np.arange(count) * 11, unit="D")
    incidents = conform(pd.DataFrame([
        incident(i, event_date=day.strftime("%Y-%m-%d"), notes=notes, source_sentences=notes, location="ق" * 5_000, actor1="a" * 5_000)
        for i, day in enumerate(days)
    ]))
    page_bytes = len(map_html(build_timeline_map(incidents, boundaries)).encode("utf-8"))
    per_incident = page_bytes / count
    # The Timeline plays at most MAX_TIMELINE_INCIDENTS: about 30 MB at this size, under 200 MB.
    assert per_incident * MAX_TIMELINE_INCIDENTS < 50 * 1024 * 1024, per_incident
