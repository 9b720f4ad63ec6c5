"""A lesson as one offline HTML page (mapview.lesson): every card, every caption escaped, a view
per card, nothing fetched from outside; and the picking map's tooltips name their incident."""
from __future__ import annotations

import html
import re

import pandas as pd
import pytest

from incidents.lessons import GONE, Lesson, LessonStep, lesson_steps_with_incidents, read_lesson, save_lesson
from incidents.schema import conform
from incidents.store import read_incidents, save_incidents
from mapview.lesson import build_pick_map, lesson_html, lesson_views
from tests.incident_rows import incident, unplaced

HOSTILE = ["calc {{7*7}} end", "<script>alert(1)</script>", "${alert(1)}", "**bold** [link](http://x.example)", "{% for x in y %}`"]


@pytest.fixture
def stored_lesson(engine):
    """Five incidents (one with no place, one near a place) and a saved lesson of them with hostile captions."""
    rows = [incident(1), incident(2, geo_precision=2), unplaced(3), incident(4, notes="<b>notes</b>"), incident(5, source_sentences="Words.")]
    save_incidents(engine, conform(pd.DataFrame(rows)))
    lesson = Lesson(HOSTILE[1], HOSTILE[2], HOSTILE[0], tuple(LessonStep(f"KIM-{n:012d}", c) for n, c in enumerate(HOSTILE, start=1)))
    saved = read_lesson(engine, save_lesson(engine, lesson).lesson_id)
    return saved, lesson_steps_with_incidents(saved, read_incidents(engine))


def test_the_export_holds_every_card_and_the_five_captions_escaped(stored_lesson, boundaries):
    lesson, steps = stored_lesson
    page = lesson_html(lesson, steps, boundaries)
    assert page.count('class="kim-card"') == 7  # title, five steps, closing
    for caption in HOSTILE:
        escaped = html.escape(caption, quote=True).replace("{", "&#123;").replace("}", "&#125;").replace("$", "&#36;").replace("`", "&#96;")
        assert escaped in page
    assert "<script>alert(1)" not in page and "{{7*7}}" not in page and "${alert" not in page and "{% for" not in page
    assert "&lt;b&gt;notes&lt;/b&gt;" in page and "Words." in page


def test_the_export_asks_nothing_of_the_internet(stored_lesson, boundaries):
    page = lesson_html(*stored_lesson, boundaries)
    assert "/app/static" not in page
    assert not re.search(r'<script[^>]+src=', page) and not re.search(r'<link[^>]+rel="stylesheet"', page)
    assert not re.search(r'url\(["\']?(?:https?:)?//', page)
    assert "L.map(" in page or "L.map (" in page


def test_each_card_has_a_view_the_governorate_for_the_cards_with_no_incident(stored_lesson, boundaries):
    _, steps = stored_lesson
    views = lesson_views(steps, boundaries)
    assert len(views) == 7 and views[0] == views[3] == views[-1]
    assert views[1][:2] == [35.4681, 44.3922] and views[1][2] > views[2][2]  # the place itself is nearer than "near"


def test_a_deleted_incident_is_a_card_that_says_so(stored_lesson, boundaries):
    lesson, steps = stored_lesson
    steps = lesson_steps_with_incidents(lesson, read_incidents_without(steps, "KIM-000000000004"))
    page = lesson_html(lesson, steps, boundaries)
    assert html.escape(GONE) in page and "KIM-000000000004 (no longer in the store)" in page


def read_incidents_without(steps: pd.DataFrame, incident_id: str) -> pd.DataFrame:
    return steps[steps["in_store"] & (steps["incident_id"] != incident_id)].drop(columns=["caption", "in_store"])


def test_the_picking_map_names_each_incident_in_its_tooltip(boundaries):
    incidents = conform(pd.DataFrame([incident(1, location=HOSTILE[1]), unplaced(2)]))
    page = build_pick_map(incidents, boundaries, chosen=("KIM-000000000001",)).get_root().render()
    assert "KIM-000000000001" in page and "KIM-000000000002" not in page and "<script>alert(1)" not in page


def test_jinja_in_a_lesson_or_its_incidents_never_runs(boundaries, tmp_path):
    from tests.test_templating import hostile_texts

    texts = hostile_texts(tmp_path / "ran")
    incidents = conform(pd.DataFrame([incident(n, location=t, notes=t, source_sentences=t) for n, t in enumerate(texts, start=1)]))
    lesson = Lesson(texts[0], texts[2], texts[3], tuple(LessonStep(i, t) for i, t in zip(incidents["incident_id"], texts)))
    page = lesson_html(lesson, lesson_steps_with_incidents(lesson, incidents), boundaries)
    assert not (tmp_path / "ran").exists()
    assert "calc &#123;&#123;7*7&#125;&#125; end" in page and "calc 49 end" not in page and "<img src=x" not in page
