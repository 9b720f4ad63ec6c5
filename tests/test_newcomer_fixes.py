"""What a newcomer met on the map and timeline pages (issue 15), each checked as the page runs
(Streamlit's AppTest) or on the map it sends; the browser checks are in tests/test_browser.py."""
from __future__ import annotations

import json

import pandas as pd
import pytest

from mapview.charts import district_colours, monthly_chart
from mapview.incident_map import MapOptions, build_incident_map, build_incident_map_parts, map_html
from mapview.legend import choropleth_legend
from mapview.timeline import build_timeline_map, incident_times_ms
from incidents.seed import read_seed_incidents
from tests.incident_rows import run_page


@pytest.fixture
def seed(boundaries):
    return read_seed_incidents(boundaries)


def test_the_story_buttons_are_greyed_for_the_step_shown(db_url):
    at = run_page("timeline")
    steps = []
    for _ in range(3):
        heading = next(h.value for h in at.subheader if " of " in h.value)
        steps.append((heading.split(":")[0], at.button(key="story_previous").disabled, at.button(key="story_next").disabled))
        if not at.button(key="story_next").disabled:
            at.button(key="story_next").click().run()
    assert steps == [("1 of 3", True, False), ("2 of 3", False, False), ("3 of 3", False, True)]
    at.button(key="story_previous").click().run()
    assert at.button(key="story_previous").disabled is False and at.button(key="story_next").disabled is False


def _chart_specs(at) -> list[dict]:
    return [json.loads(chart.proto.spec) for chart in at.get("vega_lite_chart")]


def test_the_monthly_charts_put_each_bar_in_its_month_with_whole_ticks_and_fixed_colours(db_url, boundaries):
    at = run_page("map")
    specs = _chart_specs(at)
    assert len(specs) == 2
    names = list(boundaries.kirkuk(2)["name"])
    for spec in specs:
        encoding = spec["encoding"]
        assert encoding["x"]["scale"]["type"] == "utc" and encoding["x2"]["field"] == "end"
        assert encoding["y"]["axis"]["tickMinStep"] == 1 and encoding["y"]["axis"]["format"] == "d"
        # The same colour for a district in every view; the legend lists only those the view holds.
        scale = encoding["color"]["scale"]
        fixed = district_colours(names)
        assert scale["domain"] and all(fixed[name] == colour for name, colour in zip(scale["domain"], scale["range"]))


def test_october_runs_from_the_first_of_october_to_the_first_of_november():
    monthly = pd.DataFrame({"month": [pd.Timestamp("2024-10-01")], "district": ["Daquq"], "incidents": [1], "fatalities": [0]})
    (row,) = monthly_chart(monthly, "incidents", "t", district_colours(["Daquq"])).to_dict()["datasets"].values()
    assert (row[0]["start"], row[0]["end"], row[0]["label"]) == ("2024-10-01", "2024-11-01", "Oct 2024")


def test_a_district_keeps_its_colour_whichever_districts_a_view_holds():
    every = district_colours(["Al-Hawiga", "Daquq", "Dibis", "Kirkuk"])
    assert district_colours(["Al-Hawiga", "Daquq", "Dibis", "Kirkuk"])["Kirkuk"] == every["Kirkuk"]
    assert len(set(every.values())) == len(every)


@pytest.mark.parametrize(
    "metric, breaks, labels",
    [
        ("incidents", [1, 2, 5], ["0", "1", "2", "3 – 5"]),
        ("fatalities", [2, 10], ["0", "1 – 2", "3 – 10"]),
        ("incidents_per_1000_km2", [0.5, 1.25], ["0", "up to 0.5", "over 0.5 – 1.25"]),
    ],
)
def test_the_choropleth_legend_classes_do_not_overlap(metric, breaks, labels):
    legend = choropleth_legend(metric, "Incidents", "District", breaks, "quantiles")
    assert [row.split("</i>")[1] for row in legend.split("<br>")[1:]] == labels


def test_the_legend_swatches_are_as_translucent_as_the_fills(seed, boundaries):
    page = map_html(build_incident_map(seed, boundaries))
    assert "opacity:0.55" in page and '"fillOpacity": 0.55' in page


def test_clusters_are_grey_not_an_event_types_colour(seed, boundaries):
    page = map_html(build_incident_map(seed, boundaries, MapOptions(show_clusters=True)))
    assert ".leaflet-container .marker-cluster-small { background-color: rgba(170, 170, 170" in page


def test_the_player_steps_by_incident_date(seed, boundaries):
    page = map_html(build_timeline_map(seed, boundaries))
    dates = sorted(seed["event_date"].dropna().unique())
    assert f"setAvailableTimes({json.dumps(incident_times_ms({'features': [{'properties': {'times': [d]}} for d in dates]}))}" in page


def test_a_chosen_district_is_outlined_and_zoomed_to(seed, boundaries):
    page = map_html(build_incident_map(seed, boundaries))
    assert "kimFittedTo" not in page and '"weight": 4' not in page
    parts = build_incident_map_parts(seed, boundaries, chosen_units=("IQG13Q02",))
    for group in parts.layers:
        group.add_to(parts.base)
    chosen_page = map_html(parts.base)
    assert '"weight": 4' in chosen_page and "kimFittedTo" in chosen_page
