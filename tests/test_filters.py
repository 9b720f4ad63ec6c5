"""The filter object keeps what it says it keeps, and says it in plain English."""
from __future__ import annotations

from datetime import date

import pandas as pd
import pytest
import sqlalchemy as sa
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from incidents.filters import FIELDS, REVIEW_STATES, AtLeast, Choice, DateRange, FilterField, Flag, IncidentFilter, OneOf
from incidents.scope import REGIONS
from incidents.schema import conform
from incidents.store import incidents_table, read_incidents, save_incidents
from tests.incident_rows import incident, unplaced

INCIDENTS = pd.DataFrame(
    {
        "incident_id": ["a", "b", "c", "d"],
        "event_date": ["2024-07-14", "2024-10-15", "2024-10-17", None],
        "adm2_pcode": ["IQG13Q04", "IQG13Q04", None, "IQG13Q02"],
        "event_type": ["Battles", "Explosions/Remote violence", "Battles", "Battles"],
    }
)

pytestmark = pytest.mark.both_backends  # the same behaviour on SQLite and PostgreSQL


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
    assert caption == "All incidents in Kirkuk governorate from 2024-07-01 to 2024-10-31 in Daquq district"


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
        IncidentFilter(scope="neighbours"),
        IncidentFilter(scope="all", event_types=("Battles",)),
    ],
)
def test_a_filter_survives_the_url(incident_filter):
    assert IncidentFilter.from_query_params(incident_filter.to_query_params()) == incident_filter


@pytest.mark.parametrize(
    "params",
    [{"date_from": "yesterday"}, {"min_fatalities": "many"}, {"geo_precisions": "7,x"}, {"review_states": "deleted"},
     {"scope": "iraq"}, {"scope": ""}, {"scope": "<script>"}],
)
def test_a_malformed_link_is_ignored_not_an_error(params):
    assert IncidentFilter.from_query_params(params) == IncidentFilter()


def test_the_previous_period_has_the_same_length_and_ends_the_day_before():
    october = IncidentFilter(date_from=date(2024, 10, 1), date_to=date(2024, 10, 31), event_types=("Battles",))
    before = october.previous_period()
    assert (before.date_from, before.date_to) == (date(2024, 8, 31), date(2024, 9, 30))
    assert before.event_types == ("Battles",) and not before.include_undated
    assert IncidentFilter(date_from=date(2024, 10, 1)).previous_period() is None


# A small real store for the SQL filter: dated and undated, placed and unplaced, killed
# counted or not, one or two actors, flagged, approved and corrected, two outlets.
STORE_ROWS = [
    incident(1),
    incident(2, event_date="2024-10-15", event_type="Explosions/Remote violence", sub_event_type="Air/drone strike",
             actor1="Iraqi security forces", actor2="Islamic State", fatalities=4, geo_precision=2,
             adm3_pcode="IQG13Q04N02", review_status="approved"),
    incident(3, event_date=None, fatalities=None, needs_review=True, source="Other outlet", adm2_pcode="IQG13Q02"),
    unplaced(4, event_date="2024-10-17", actor1="Peshmerga", fatalities=0),
    incident(5, event_date="2023-01-02", actor1="Islamic State", fatalities=12, review_status="corrected",
             adm2_pcode="IQG13Q01", adm3_pcode="IQG13Q01N01", geo_precision=3),
    unplaced(6, event_date=None, source="Other outlet", fatalities=None),
    # Outside Kirkuk: Mosul in Ninewa (a neighbour), a district-level one in Salah Al-Din, Baghdad (no loaded unit).
    incident(7, latitude=36.34, longitude=43.13, adm1_pcode="IQG15", adm2_pcode="IQG15Q05", in_kirkuk=False, fatalities=3),
    incident(8, latitude=None, longitude=None, adm1_pcode="IQG16", adm2_pcode="IQG16Q03", in_kirkuk=False, geo_precision=3),
    incident(9, latitude=33.31, longitude=44.37, adm1_pcode=None, adm2_pcode=None, in_kirkuk=False, actor1="Islamic State"),
]
STORE_FILTERS = [
    IncidentFilter(scope="all"),
    IncidentFilter(),
    IncidentFilter(scope="neighbours"),
    IncidentFilter(scope="neighbours", min_fatalities=2),
    IncidentFilter(scope="all", actors=("Islamic State",)),
    IncidentFilter(date_from=date(2024, 7, 14)),
    IncidentFilter(date_from=date(2024, 7, 14), include_undated=False),
    IncidentFilter(date_to=date(2024, 7, 14), include_undated=False),
    IncidentFilter(date_from=date(2024, 1, 1), date_to=date(2024, 10, 15)),
    IncidentFilter(adm2_pcodes=("IQG13Q04", "IQG13Q02")),
    IncidentFilter(adm3_pcodes=("IQG13Q04N02", "IQG13Q01N01")),
    IncidentFilter(event_types=("Battles",), sub_event_types=("Armed clash",)),
    IncidentFilter(actors=("Islamic State",)),
    IncidentFilter(min_fatalities=1),
    IncidentFilter(min_fatalities=5, actors=("Islamic State",)),
    IncidentFilter(geo_precisions=(2, 3)),
    IncidentFilter(review_states=("needs_review",)),
    IncidentFilter(review_states=("unreviewed", "corrected")),
    IncidentFilter(sources=("Other outlet",), date_to=date(2024, 12, 31)),
    IncidentFilter(adm2_pcodes=("IQG13Q03",)),
]


@pytest.mark.parametrize(
    ("scope", "kept"),
    [("kirkuk", {1, 2, 3, 4, 5, 6}), ("neighbours", {1, 2, 3, 4, 5, 6, 7, 8}), ("all", set(range(1, 10)))],
)
def test_the_scope_keeps_its_region_and_every_incident_with_no_known_governorate(store, scope, kept):
    """4 and 6 have no place at all: they may be in Kirkuk, so every scope keeps them."""
    ids = {f"KIM-{number:012d}" for number in kept}
    assert set(IncidentFilter(scope=scope).apply(read_incidents(store))["incident_id"]) == ids
    assert sql_ids(store, IncidentFilter(scope=scope)) == ids


@pytest.fixture
def store(engine):
    """The engine on a store holding STORE_ROWS."""
    save_incidents(engine, conform(pd.DataFrame(STORE_ROWS)))
    return engine


def sql_ids(engine, incident_filter: IncidentFilter) -> set[str]:
    """The ids of the stored incidents the filter's WHERE clause keeps."""
    with engine.connect() as connection:
        query = sa.select(incidents_table.c.incident_id).where(incident_filter.where(incidents_table))
        return set(connection.execute(query).scalars())


@pytest.mark.parametrize("incident_filter", STORE_FILTERS)
def test_the_store_keeps_what_the_frame_keeps(store, incident_filter):
    kept = set(incident_filter.apply(read_incidents(store))["incident_id"])
    assert sql_ids(store, incident_filter) == kept


def test_the_store_filters_are_not_trivial(store):
    """Each filter of the table keeps some incidents and drops others; the first keeps all, the last none."""
    counts = [len(sql_ids(store, f)) for f in STORE_FILTERS]
    assert counts[0] == len(STORE_ROWS) and counts[-1] == 0
    assert all(0 < count < len(STORE_ROWS) for count in counts[1:-1]), counts


FILTERS = st.builds(
    IncidentFilter,
    date_from=st.none() | st.dates(date(2022, 1, 1), date(2025, 1, 1)),
    date_to=st.none() | st.dates(date(2022, 1, 1), date(2025, 1, 1)),
    include_undated=st.booleans(),
    adm2_pcodes=st.lists(st.sampled_from(["IQG13Q01", "IQG13Q02", "IQG13Q04"]), max_size=2, unique=True).map(tuple),
    actors=st.lists(st.sampled_from(["Islamic State", "Peshmerga", "Nobody"]), max_size=2, unique=True).map(tuple),
    min_fatalities=st.integers(0, 13),
    geo_precisions=st.lists(st.sampled_from([1, 2, 3]), max_size=2, unique=True).map(tuple),
    review_states=st.lists(st.sampled_from(REVIEW_STATES), max_size=2, unique=True).map(tuple),
    sources=st.lists(st.sampled_from(["Test outlet", "Other outlet"]), max_size=1).map(tuple),
    scope=st.sampled_from(list(REGIONS)),
)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(incident_filter=FILTERS)
def test_any_filter_keeps_the_same_incidents_in_the_store_and_the_frame(store, incident_filter):
    """The store is only read: one per test is enough for every example."""
    kept = set(incident_filter.apply(read_incidents(store))["incident_id"])
    assert sql_ids(store, incident_filter) == kept


@pytest.mark.parametrize(
    ("incident_filter", "caption"),
    [
        (IncidentFilter(), "All incidents in Kirkuk governorate"),
        (IncidentFilter(scope="neighbours"), "All incidents in Kirkuk and its neighbours"),
        (IncidentFilter(scope="all"), "All incidents anywhere in the store"),
        (IncidentFilter(event_types=("Battles",), sub_event_types=("Armed clash", "Attack")),
         "Armed clash or Attack incidents in Kirkuk governorate"),
        (IncidentFilter(adm2_pcodes=("IQG13Q02",), adm3_pcodes=("A", "B")), "All incidents in Kirkuk governorate in Alpha, B sub-districts"),
        (IncidentFilter(date_to=date(2024, 10, 1), scope="all"), "All incidents anywhere in the store up to 2024-10-01 (and those with no date yet)"),
        (IncidentFilter(actors=("Peshmerga", "Islamic State"), min_fatalities=2, scope="all"),
         "All incidents anywhere in the store involving Peshmerga or Islamic State with at least 2 killed"),
        (IncidentFilter(geo_precisions=(3, 1), review_states=("needs_review",), sources=("964media", "Rudaw"), scope="all"),
         "All incidents anywhere in the store placed as the place itself or district or governorate only review: needs review "
         "from 964media, Rudaw"),
    ],
)
def test_every_field_says_what_it_keeps(incident_filter, caption):
    assert incident_filter.caption({"A": "Alpha"}) == caption


def restricting(item: FilterField) -> IncidentFilter:
    """A filter in which only ``item`` restricts anything."""
    if isinstance(item, DateRange):
        return IncidentFilter(**{item.start: date(2024, 10, 1)})
    if isinstance(item, Choice):
        return IncidentFilter(**{item.name: (next(iter(item.vocabulary)) if item.vocabulary else "x",)})
    if isinstance(item, AtLeast):
        return IncidentFilter(**{item.name: 1})
    if isinstance(item, OneOf):
        return IncidentFilter(**{item.name: next(value for value in item.options if value != item.default)})
    return IncidentFilter(**{item.name: not item.default})


@pytest.mark.parametrize("item", FIELDS, ids=lambda item: item.name)
def test_every_declared_field_reaches_the_url_the_caption_and_the_query(item):
    incident_filter = restricting(item)
    assert item.is_set(incident_filter) and item.label and item.widget
    assert IncidentFilter.from_query_params(incident_filter.to_query_params()) == incident_filter
    if not isinstance(item, Flag):  # a flag qualifies another field: alone it restricts nothing
        assert incident_filter.caption() != IncidentFilter().caption()
        assert str(incident_filter.where(incidents_table)) != str(sa.true())
