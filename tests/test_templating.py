"""Text in an incident is never evaluated as a template or script, in any map or export.

Every render path gets notes, places and actors that are Jinja (`{{ }}`, `{% %}`, `{# #}`),
JavaScript template-literal syntax and markup. A canary payload would create a folder if it
ran; a property test feeds arbitrary text and finds it on the page, escaped and verbatim.
"""
from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from jinja2.utils import htmlsafe_json_dumps
from streamlit.testing.v1 import AppTest
from streamlit_folium import _get_header, _get_html, _get_map_string

from app.map_frame import render_base, render_layers
from incidents.schema import conform
from incidents.store import save_incidents
from mapview.export import standalone_html
from mapview.incident_map import MapOptions, build_incident_map, build_preview_map, incident_layers, layer_control, map_html, reference_map
from mapview.text import html_text
from mapview.timeline import build_story_map, build_timeline_map, story_order
from mapview.timeline_pace import TimelinePace
from tests.conftest import REPO_ROOT

SEED_CSV = REPO_ROOT / "data" / "seed_incidents.csv"
TEXT_COLUMNS = ("location", "notes", "source_sentences", "actor1", "actor2", "source", "review_reasons")


def canary(folder: Path) -> str:
    """Jinja that creates ``folder`` if it is ever evaluated on the server."""
    return "{{ cycler.__init__.__globals__.os.mkdir(%r) }}" % str(folder)


def hostile_texts(folder: Path) -> list[str]:
    return [
        canary(folder),
        "calc {{7*7}} end",
        "it's {{ 'x' }}",
        "{% for i in range(3) %}loop{% endfor %} {# comment #} {%",
        "${alert(1)} `tick` \\` back",
        "<script>alert(1)</script> <img src=x onerror=alert(2)>",
    ]


def seed_incidents() -> pd.DataFrame:
    return conform(pd.read_csv(SEED_CSV, dtype=str, keep_default_na=False).replace("", None))


def incidents_with(texts: list[str]) -> pd.DataFrame:
    """The seed's three incidents (a point, a near-place circle, an area) with each text in every text column.

    The first text's incidents come first in a story (ids sort first on the same dates).
    """
    rows = []
    for i, text in enumerate(texts):
        frame = seed_incidents()
        frame["incident_id"] = [f"KIM-{i}-{j}" for j in range(len(frame))]
        for column in TEXT_COLUMNS:
            frame[column] = text
        rows.append(frame)
    incidents = pd.concat(rows, ignore_index=True)
    incidents.loc[0, "geo_precision"] = 1  # and one exact point
    return incidents


def streamlit_folium_page(fmap) -> str:
    """What st_folium sends to the browser: the rendered page's header and html, and the map script."""
    fmap.get_root().render()
    return _get_header(fmap) + _get_html(fmap) + _get_map_string(fmap)


def rendered_pages(incidents: pd.DataFrame, boundaries) -> dict[str, str]:
    """Every map's page as the app shows it, as exported, and as streamlit-folium sends it."""
    story = story_order(incidents)
    maps = {
        "map": build_incident_map(incidents, boundaries),
        "map, sub-districts, clusters, heat": build_incident_map(incidents, boundaries, MapOptions(level=3, show_clusters=True, show_heat=True)),
        "preview": build_preview_map(incidents, boundaries),
        "timeline": build_timeline_map(incidents, boundaries),
        "timeline, weeks in 30 s, window": build_timeline_map(incidents, boundaries, "window", 14, TimelinePace(step="week", play_seconds=30)),
        "story": build_story_map(story, boundaries, 0),
    }
    pages = {name: map_html(fmap) for name, fmap in maps.items()}
    pages |= {f"{name} (export)": standalone_html(fmap) for name, fmap in maps.items()}
    pages |= {f"{name} (streamlit-folium)": streamlit_folium_page(fmap) for name, fmap in maps.items()}
    pages["map (the app's frame: base once, layers per run)"] = app_frame_page(incidents, boundaries)
    return pages


def app_frame_page(incidents: pd.DataFrame, boundaries) -> str:
    """What the Map page sends its frame: the base rendered once, this run's layers and control."""
    base = render_base(reference_map(boundaries))
    layers = render_layers(base, incident_layers(incidents, boundaries), layer_control())
    return base.header + base.html + base.script + layers.feature_group + layers.layer_control


def json_form(text: str) -> str:
    """How escaped text stands inside the JSON of a map's script (GeoJSON properties, options)."""
    return htmlsafe_json_dumps(html_text(text))[1:-1]


def test_no_path_evaluates_a_template_in_the_data(boundaries, tmp_path):
    texts = hostile_texts(tmp_path / "ran")
    for name, page in rendered_pages(incidents_with(texts), boundaries).items():
        assert not (tmp_path / "ran").exists(), f"{name}: template in data was evaluated"
        assert "calc 49 end" not in page and "looplooploop" not in page, name
        assert "<script>alert(1)" not in page and "<img src=x" not in page, name
        assert "${alert(1)}" not in page, name  # would run inside the popup's template literal
        shown = texts[:1] if name.startswith("story") else texts  # the story shows one incident
        for text in shown:
            assert json_form(text) in page or html_text(text) in page, (name, text)


def test_the_escape_leaves_no_template_or_literal_syntax():
    escaped = html_text("{{ a }} {% b %} {# c #} ${d} `e` \\f <g> & 'h' \"i\"")
    for syntax in ("{", "}", "$", "`", "\\", "<", ">", "'", '"'):
        assert syntax not in escaped


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.text(alphabet=st.characters(exclude_categories=("Cs",), include_characters="{}%#$`\\<>&'\"\n\x00"), max_size=60))
def test_any_text_reaches_the_map_verbatim_escaped(boundaries, text):
    incidents = incidents_with([text])
    page = map_html(build_incident_map(incidents, boundaries))
    assert json_form(text) in page
    story_page = map_html(build_story_map(story_order(incidents), boundaries, 0))
    # folium's popup writes HTML into a JavaScript string with newlines as spaces (the same in HTML)
    assert json_form(text) in story_page or html_text(text).replace("\n", " ") in story_page


@pytest.mark.parametrize("page", ["app/pages/map.py", "app/pages/timeline.py"])
def test_the_app_pages_render_hostile_text_without_evaluating_it(db_url, engine, boundaries, tmp_path, page):
    texts = hostile_texts(tmp_path / "ran")
    assert save_incidents(engine, incidents_with(texts)) == 3 * len(texts)
    at = AppTest.from_file(str(REPO_ROOT / "app.py"), default_timeout=120)
    at.run()
    at.switch_page(page).run()
    assert not at.exception, at.exception
    assert not (tmp_path / "ran").exists()
    if page.endswith("timeline.py"):
        assert texts[0] in "".join(t.value for t in at.text)  # the story shows the words verbatim


def test_the_review_queue_shows_hostile_text_verbatim(db_url, engine, tmp_path):
    texts = hostile_texts(tmp_path / "ran")
    incidents = incidents_with(texts[:2])
    incidents["needs_review"] = True
    save_incidents(engine, incidents)
    at = AppTest.from_file(str(REPO_ROOT / "app" / "pages" / "review.py"), default_timeout=120)
    at.run()
    assert not at.exception, at.exception
    assert not (tmp_path / "ran").exists()
    shown = "".join(t.value for t in at.text)
    assert any(text in shown for text in texts[:2])  # the chosen incident's words, as they are
