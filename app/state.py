"""Cached loaders shared by the app's pages: boundaries, store, gazetteer, incidents.

Streamlit only. ``st.cache_resource`` holds the shared read-only objects (boundaries,
the engine, the gazetteer); ``st.cache_data`` holds query results, cleared after a write
by this process and kept at most STORE_CACHE_SECONDS, so that a write by another process
(the CLI, another app process on a team server) shows within that time.
"""
from __future__ import annotations

import pandas as pd
import sqlalchemy as sa
import streamlit as st

from app.failures import failures_stop_the_page
from app.map_frame import STORE_CACHE_SECONDS, forget_rendered_layers
from geo.boundaries import Boundaries, load_boundaries
from geo.gazetteer import Gazetteer, load_gazetteer
from geo.gazetteer.local import local_spellings_path
from incidents.access import Actor, acting_as, is_read_only
from incidents.export import with_source_urls
from incidents.filters import FilterChoices, IncidentFilter
from incidents.queries import counts_by_unit, monthly_by_district, read_filtered, store_filter_choices
from incidents.schema import ACTORS, EVENT_TYPES
from incidents.seed import seed_store
from incidents.store import connect, database_url, read_incidents, read_sources
from mapview.assets import check_assets_installed


@st.cache_resource(show_spinner="Loading the COD-AB boundaries ...")
def _load_boundaries() -> Boundaries:
    return load_boundaries()


def get_boundaries() -> Boundaries:
    """ADM1-ADM3 boundaries of Kirkuk and its neighbours; when missing, the page says where to get them and stops."""
    with failures_stop_the_page():
        return _load_boundaries()


SEEDER = Actor("seed", "admin", via="the seed report (data/seed_incidents.csv)")


@st.cache_resource(show_spinner="Opening the incident store ...")
def _open_store(url: str) -> sa.Engine:
    engine = connect(url)
    if not is_read_only():  # the seed report's incidents, once, in an empty store
        with acting_as(SEEDER):
            seed_store(engine, get_boundaries())
    return engine


def get_engine(url: str | None = None) -> sa.Engine:
    """The store's engine, migrated and seeded with the seed report's incidents when empty.

    When the store cannot be used, the page shows what to do and stops.
    """
    with failures_stop_the_page():
        return _open_store(url or database_url())


@st.cache_resource(show_spinner="Loading the gazetteer ...")
def _load_gazetteer(_boundaries: Boundaries, local_version: int) -> Gazetteer:
    return load_gazetteer(boundaries=_boundaries)


def get_gazetteer() -> Gazetteer:
    """The gazetteer, loaded once per server process; when it cannot be, the page says why and stops."""
    boundaries = get_boundaries()
    with failures_stop_the_page():
        local = local_spellings_path()  # a new analyst spelling loads the gazetteer again
        return _load_gazetteer(boundaries, local.stat().st_mtime_ns if local.exists() else 0)


@st.cache_data(show_spinner=False, ttl=STORE_CACHE_SECONDS)
def load_incidents(url: str) -> pd.DataFrame:
    """Every stored incident with all its source URLs (a copy per caller). Call ``refresh_incidents()`` after writing."""
    with failures_stop_the_page():
        engine = get_engine(url)
        return with_source_urls(read_incidents(engine), read_sources(engine))


@st.cache_data(show_spinner=False, ttl=STORE_CACHE_SECONDS)
def load_filter_choices(url: str) -> FilterChoices:
    """The filter widgets' choices for the stored incidents, asked of the database once per store state."""
    with failures_stop_the_page():
        return store_filter_choices(get_engine(url), tuple(EVENT_TYPES), ACTORS)


@st.cache_data(show_spinner=False, max_entries=64, ttl=STORE_CACHE_SECONDS)
def load_filtered(url: str, incident_filter: IncidentFilter, columns: tuple[str, ...] | None = None) -> pd.DataFrame:
    """The incidents a filter keeps, filtered by the database, with only ``columns`` (all when None)."""
    with failures_stop_the_page():
        return read_filtered(get_engine(url), incident_filter, columns)


@st.cache_data(show_spinner=False, max_entries=64, ttl=STORE_CACHE_SECONDS)
def load_counts_by_unit(url: str, incident_filter: IncidentFilter, level: int) -> pd.DataFrame:
    """Incidents and fatalities per unit of ``level`` among the filtered incidents (a GROUP BY)."""
    with failures_stop_the_page():
        return counts_by_unit(get_engine(url), incident_filter, level)


@st.cache_data(show_spinner=False, max_entries=64, ttl=STORE_CACHE_SECONDS)
def load_monthly_by_district(url: str, incident_filter: IncidentFilter) -> pd.DataFrame:
    """Incidents and fatalities per month and district among the filtered incidents (a GROUP BY)."""
    with failures_stop_the_page():
        return monthly_by_district(get_engine(url), incident_filter)


def refresh_incidents() -> None:
    """Forget cached query results, after a page wrote to the store."""
    for loader in (load_incidents, load_filter_choices, load_filtered, load_counts_by_unit, load_monthly_by_district):
        loader.clear()
    forget_rendered_layers()


def map_page_store() -> tuple[Boundaries, str]:
    """What every map page needs: the boundaries and the store's URL (its engine opened).

    When the boundaries, the map's browser assets or the store cannot be used, the page
    says what to do and stops.
    """
    boundaries = get_boundaries()
    with failures_stop_the_page():
        check_assets_installed()
    url = database_url()
    get_engine(url)
    return boundaries, url
