"""The monthly charts travel as data apart from their spec, so a filter change that keeps the
districts in view changes only the data and the browser updates the drawn chart in place."""
from __future__ import annotations

import json

import pandas as pd

from mapview.charts import chart_data_and_spec, district_colours, monthly_chart
from tests.incident_rows import incident, run_page, store_with

COLOURS = district_colours(["Daquq", "Kirkuk"])


def monthly(counts: list[int]) -> pd.DataFrame:
    months = pd.to_datetime(["2024-07-01", "2024-08-01"])
    return pd.DataFrame({"month": list(months) * 2, "district": ["Daquq"] * 2 + ["Kirkuk"] * 2, "incidents": counts, "fatalities": counts})


def test_the_spec_holds_no_data_and_stays_the_same_when_only_the_data_changes():
    data, spec = chart_data_and_spec(monthly_chart(monthly([1, 2, 3, 4]), "incidents", "Incidents per month", COLOURS))
    other_data, other_spec = chart_data_and_spec(monthly_chart(monthly([9, 0, 0, 7]), "incidents", "Incidents per month", COLOURS))
    assert "data" not in spec and "datasets" not in spec
    assert spec == other_spec
    assert data["incidents"].tolist() == [1, 2, 3, 4] and other_data["incidents"].tolist() == [9, 0, 0, 7]
    assert list(data["start"]) == ["2024-07-01", "2024-08-01"] * 2  # the columns the spec encodes


def test_the_map_page_sends_each_charts_data_beside_its_spec(db_url):
    store_with(db_url, [incident(1), incident(2, event_date="2024-08-02", fatalities=3)])
    at = run_page("map")
    charts = at.get("vega_lite_chart")
    assert len(charts) == 2
    for chart in charts:
        spec = json.loads(chart.proto.spec)
        assert "datasets" not in spec and "data" not in spec
        assert chart.proto.data.data  # the rows, as Arrow bytes beside the spec
