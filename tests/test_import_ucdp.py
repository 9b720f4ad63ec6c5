"""UCDP GED CSV: precision codes mapped as DESIGN.md says, deaths with their range, bad rows explained."""
from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from importers import MissingColumns, read_ucdp_csv
from importers.pipeline import locate_incidents
from importers.ucdp import DATE_PRECISION, WHERE_PRECISION

IMPORTS = Path(__file__).parent / "data" / "imports"
GED = IMPORTS / "ucdp_ged_kirkuk.csv"


@pytest.fixture(scope="module")
def ged():
    return read_ucdp_csv(GED)


def by_id(result) -> pd.DataFrame:
    return result.incidents.set_index("source_id")


def test_counts(ged):
    assert (len(ged.incidents), ged.rejected_rows) == (7, 2)


@pytest.mark.parametrize(
    ("ged_id", "event_date", "time_precision", "geo_precision", "needs_review"),
    [
        ("244001", "2017-10-03", 1, 1, False),  # date_prec 1, where_prec 1; date has a time of day
        ("244002", "2017-09-23", 2, 2, False),  # date_prec 2: middle of 21-25 September
        ("244003", "2019-03-15", 3, 3, False),  # date_prec 4: the 15th; where_prec 3 (ADM2)
        ("244004", "2020-05-15", 3, 3, True),   # date_prec 5: review; where_prec 4 (ADM1)
        ("244005", "2018-02-14", 1, 3, True),   # where_prec 6: too vague, review
    ],
)
def test_precision_codes_are_mapped(ged, ged_id, event_date, time_precision, geo_precision, needs_review):
    row = by_id(ged).loc[ged_id]
    assert (row["event_date"], row["time_precision"], row["geo_precision"], bool(row["needs_review"])) == (
        event_date, time_precision, geo_precision, needs_review,
    )


def test_the_mapping_tables_follow_design():
    assert {k: v[0] for k, v in WHERE_PRECISION.items()} == {1: 1, 2: 2, 3: 3, 4: 3, 5: 3, 6: 3, 7: 3}
    assert {k for k, v in WHERE_PRECISION.items() if v[1]} == {5, 6, 7}
    assert {k: v[0] for k, v in DATE_PRECISION.items()} == {1: 1, 2: 2, 3: 2, 4: 3, 5: 3}
    assert {k for k, v in DATE_PRECISION.items() if v[2]} == {5}


def test_review_reasons_say_why(ged):
    rows = by_id(ged)
    assert "only known to lie between 2020-04-01 and 2020-06-30" in rows.at["244004", "review_reasons"]
    assert "where_prec 6: too vague" in rows.at["244005", "review_reasons"]


def test_deaths_keep_best_low_high_and_sides(ged):
    row = by_id(ged).loc["244001"]
    assert (row["fatalities"], row["fatalities_low"], row["fatalities_high"]) == (15, 15, 20)
    assert (row["killed_security_forces"], row["killed_militants"], row["killed_civilians"]) == (3, 12, 0)
    one_sided = by_id(ged).loc["244003"]
    assert pd.isna(one_sided["killed_security_forces"]) and one_sided["killed_civilians"] == 2


def test_sides_places_and_sources_are_carried(ged):
    row = by_id(ged).loc["244001"]
    assert (row["actor1"], row["actor2"], row["location"]) == ("Government of Iraq", "IS", "Hawija town")
    assert (row["event_type"], row["sub_event_type"]) == ("Battles", "Armed clash")
    assert row["source"] == 'Reuters,2017-10-03,"Iraqi forces retake Hawija"'
    assert by_id(ged).at["244003", "event_type"] == "Violence against civilians"


def test_bad_rows_are_explained(ged):
    assert ged.rejects[["line", "column", "value"]].values.tolist() == [
        [9, "date_start", "06/13/2021"],
        [9, "date_end", "06/13/2021"],
        [10, "where_prec", "9"],
    ]


def test_rows_without_coordinates_are_geocoded_and_outside_ones_marked(ged, boundaries, small_gazetteer):
    located = locate_incidents(ged.incidents, boundaries, small_gazetteer).set_index("source_id")
    assert located.at["244007", "adm2_pcode"] == "IQG13Q01"
    assert located.at["244006", "in_kirkuk"] == False  # noqa: E712 - Mosul
    assert located.at["244001", "adm3_pcode"] == "IQG13Q01N01"


def test_missing_ged_columns_are_named(tmp_path):
    path = tmp_path / "ged.csv"
    path.write_text("id,date_start,latitude,longitude\n1,2017-10-03,35.3,43.7\n", encoding="utf-8")
    with pytest.raises(MissingColumns, match="no 'type_of_violence', 'where_prec', 'where_coordinates'"):
        read_ucdp_csv(path)
