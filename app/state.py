"""Cached loaders shared by the app's pages: boundaries, store, gazetteer, incidents.

Streamlit only. ``st.cache_resource`` holds the shared read-only objects (boundaries,
the engine, the gazetteer); ``st.cache_data`` holds query results, cleared after a write.
"""
from __future__ import annotations

import pandas as pd
import sqlalchemy as sa
import streamlit as st

from geo.boundaries import Boundaries, BoundariesNotFound, load_boundaries
from incidents.export import with_source_urls
from incidents.filters import FilterChoices, filter_choices
from incidents.schema import ACTORS, EVENT_TYPES
from incidents.seed import seed_store
from incidents.store import connect, database_url, read_incidents, read_sources
from mapview.assets import AssetsMissing, check_assets_installed


@st.cache_resource(show_spinner="Loading the COD-AB boundaries ...")
def get_boundaries() -> Boundaries:
    """ADM1-ADM3 boundaries of Kirkuk and its neighbours (raises BoundariesNotFound)."""
    return load_boundaries()


@st.cache_resource(show_spinner="Opening the incident store ...")
def get_engine(url: str | None = None) -> sa.Engine:
    """The store's engine, migrated and seeded with the seed report's incidents when empty."""
    engine = connect(url or database_url())
    seed_store(engine, get_boundaries())
    return engine


@st.cache_resource(show_spinner="Loading the gazetteer ...")
def get_gazetteer():  # -> geo.gazetteer.Gazetteer
    """The gazetteer, loaded once per server process."""
    from geo.gazetteer import load_gazetteer

    return load_gazetteer(boundaries=get_boundaries())


@st.cache_data(show_spinner=False)
def load_incidents(url: str) -> pd.DataFrame:
    """Every stored incident with all its source URLs (a copy per caller). Call ``refresh_incidents()`` after writing."""
    engine = get_engine(url)
    return with_source_urls(read_incidents(engine), read_sources(engine))


@st.cache_data(show_spinner=False)
def load_filter_choices(url: str) -> FilterChoices:
    """The filter widgets' choices for the stored incidents, computed once per store state."""
    return filter_choices(load_incidents(url), tuple(EVENT_TYPES), ACTORS)


def refresh_incidents() -> None:
    """Forget cached query results, after a page wrote to the store."""
    load_incidents.clear()
    load_filter_choices.clear()


def map_page_inputs() -> tuple[Boundaries, pd.DataFrame]:
    """What every map page needs: the boundaries and the stored incidents.

    When the boundaries or the map's browser assets are missing, shows what to do and
    stops the page.
    """
    try:
        boundaries = get_boundaries()
        check_assets_installed()
    except (BoundariesNotFound, AssetsMissing) as error:
        st.error(str(error))
        st.stop()
    url = database_url()
    get_engine(url)
    return boundaries, load_incidents(url)
