"""Small stores for page tests: incidents written as dicts, saved to the test's SQLite file.

A store that holds incidents is not seeded, so a page sees exactly these.
"""
from __future__ import annotations

import pandas as pd
from streamlit.testing.v1 import AppTest

from incidents.schema import conform
from incidents.store import connect, save_incidents
from tests.conftest import REPO_ROOT

# Kirkuk city centre: a point inside the governorate (IQG13) and Kirkuk district (IQG13Q04).
KIRKUK_POINT = {"latitude": 35.4681, "longitude": 44.3922, "adm1_pcode": "IQG13", "adm2_pcode": "IQG13Q04"}
NO_PLACE = {"latitude": None, "longitude": None, "adm1_pcode": None, "adm2_pcode": None, "adm3_pcode": None}


def incident(number: int, **values: object) -> dict[str, object]:
    """A valid incident (a clash at Kirkuk city on 2024-07-14) with ``values`` changed."""
    row: dict[str, object] = {
        "incident_id": f"KIM-{number:012d}", "event_date": "2024-07-14", "time_precision": 1,
        "event_type": "Battles", "sub_event_type": "Armed clash", "location": f"Place {number}",
        "geo_precision": 1, "fatalities": 1, "source": "Test outlet", "needs_review": False,
        "review_status": "unreviewed", **KIRKUK_POINT,
    }
    row.update(values)
    return row


def unplaced(number: int, **values: object) -> dict[str, object]:
    """An incident whose place the gazetteer could not resolve: no point, no pcode."""
    return incident(number, geo_precision=3, needs_review=True, review_reasons="place 'x' not found", **{**NO_PLACE, **values})


def store_with(db_url: str, rows: list[dict[str, object]]) -> None:
    """Save ``rows`` to the store at ``db_url`` (the test's $KIRKUK_DB)."""
    engine = connect(db_url)
    save_incidents(engine, conform(pd.DataFrame(rows)))
    engine.dispose()


def run_page(page: str, query: dict[str, str] | None = None) -> AppTest:
    """Run one page of the app (e.g. "map") on the test's store, with URL query parameters."""
    at = AppTest.from_file(str(REPO_ROOT / "app" / "pages" / f"{page}.py"), default_timeout=120)
    for name, value in (query or {}).items():
        at.query_params[name] = value
    at.run()
    return at
