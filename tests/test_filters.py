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
