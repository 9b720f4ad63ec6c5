"""The filter object keeps what it says it keeps, and says it in plain English."""
from __future__ import annotations

from datetime import date

import pandas as pd
import pytest

from incidents.filters import IncidentFilter

INCIDENTS = pd.DataFrame(
    {
        "incident_id": ["a", "b", "c", "d"],
        "event_date": ["2024-07-14", "2024-10-15", "2024-10-17", None],
        "adm2_pcode": ["IQG13Q04", "IQG13Q04", None, "IQG13Q02"],
        "event_type": ["Battles", "Explosions/Remote violence", "Battles", "Battles"],
    }
)


@pytest.mark.parametrize(
    ("incident_filter", "kept"),
    [
        (IncidentFilter(), ["a", "b", "c", "d"]),
        (IncidentFilter(date_from=date(2024, 10, 1)), ["b", "c", "d"]),
        (IncidentFilter(date_from=date(2024, 10, 1), include_undated=False), ["b", "c"]),
        (IncidentFilter(date_to=date(2024, 10, 15), include_undated=False), ["a", "b"]),
        (IncidentFilter(adm2_pcodes=("IQG13Q04",)), ["a", "b"]),
        (IncidentFilter(event_types=("Battles",)), ["a", "c", "d"]),
        (IncidentFilter(adm2_pcodes=("IQG13Q01",)), []),
    ],
)
def test_filter_keeps(incident_filter, kept):
    assert list(incident_filter.apply(INCIDENTS)["incident_id"]) == kept


def test_caption_names_districts_and_dates():
    caption = IncidentFilter(
        date_from=date(2024, 7, 1), date_to=date(2024, 10, 31), adm2_pcodes=("IQG13Q02",), include_undated=False
    ).caption({"IQG13Q02": "Daquq"})
    assert caption == "All incidents from 2024-07-01 to 2024-10-31 in Daquq district"


FULL = pd.DataFrame(
    {
        "incident_id": ["a", "b", "c"],
        "event_date": ["2024-07-14", "2024-10-15", "2024-10-17"],
        "adm2_pcode": ["IQG13Q04", "IQG13Q04", None],
        "adm3_pcode": ["IQG13Q04N07", "IQG13Q04N02", None],
        "event_type": ["Battles", "Explosions/Remote violence", "Battles"],
        "sub_event_type": ["Armed clash", "Air/drone strike", "Armed clash"],
        "actor1": ["Kurdistan Region Security (Asayish)", "Iraqi security forces", "Peshmerga"],
        "actor2": ["Islamic State", "Islamic State", None],
        "fatalities": [2, 4, None],
        "geo_precision": [2, 2, 3],
        "needs_review": [False, False, True],
        "review_status": ["approved", "unreviewed", "unreviewed"],
        "source": ["964media", "964media", "Other outlet"],
    }
)


@pytest.mark.parametrize(
    ("incident_filter", "kept"),
    [
        (IncidentFilter(adm3_pcodes=("IQG13Q04N07",)), ["a"]),
        (IncidentFilter(sub_event_types=("Air/drone strike",)), ["b"]),
        (IncidentFilter(actors=("Islamic State",)), ["a", "b"]),
        (IncidentFilter(actors=("Peshmerga",)), ["c"]),
        (IncidentFilter(min_fatalities=3), ["b"]),
        (IncidentFilter(geo_precisions=(3,)), ["c"]),
        (IncidentFilter(review_states=("needs_review",)), ["c"]),
        (IncidentFilter(review_states=("approved",)), ["a"]),
        (IncidentFilter(sources=("Other outlet",)), ["c"]),
    ],
)
def test_every_filter_keeps_what_it_names(incident_filter, kept):
    assert list(incident_filter.apply(FULL)["incident_id"]) == kept


@pytest.mark.parametrize(
    "incident_filter",
    [
        IncidentFilter(),
        IncidentFilter(date_from=date(2024, 7, 1), date_to=date(2024, 10, 31), include_undated=False),
        IncidentFilter(adm2_pcodes=("IQG13Q04", "IQG13Q02"), event_types=("Battles",), geo_precisions=(1, 2)),
        IncidentFilter(actors=("Islamic State",), min_fatalities=2, review_states=("needs_review", "approved")),
        IncidentFilter(adm3_pcodes=("IQG13Q04N07",), sub_event_types=("Armed clash",), sources=("964media",)),
    ],
)
def test_a_filter_survives_the_url(incident_filter):
    assert IncidentFilter.from_query_params(incident_filter.to_query_params()) == incident_filter


@pytest.mark.parametrize(
    "params",
    [{"date_from": "yesterday"}, {"min_fatalities": "many"}, {"geo_precisions": "7,x"}, {"review_states": "deleted"}],
)
def test_a_malformed_link_is_ignored_not_an_error(params):
    assert IncidentFilter.from_query_params(params) == IncidentFilter()


def test_the_previous_period_has_the_same_length_and_ends_the_day_before():
    october = IncidentFilter(date_from=date(2024, 10, 1), date_to=date(2024, 10, 31), event_types=("Battles",))
    before = october.previous_period()
    assert (before.date_from, before.date_to) == (date(2024, 8, 31), date(2024, 9, 30))
    assert before.event_types == ("Battles",) and not before.include_undated
    assert IncidentFilter(date_from=date(2024, 10, 1)).previous_period() is None
