"""In Debian's chromium: an exported lesson opens from a file with no network, and Next steps
through its cards (title, each incident, closing), moving the map to each incident."""
from __future__ import annotations

import pandas as pd

from incidents.lessons import Lesson, LessonStep, lesson_steps_with_incidents
from incidents.schema import conform
from mapview.lesson import lesson_html
from tests.incident_rows import incident, unplaced
from tests.test_browser import page, pytestmark  # noqa: F401  (the chromium page fixture and its skip mark)

VISIBLE_CARD_JS = "() => [...document.querySelectorAll('.kim-card')].filter(c => !c.hidden).map(c => c.innerText)"
MAP_VIEW_JS = "() => { const m = window[Object.keys(window).find(k => /^map_[0-9a-f]+$/.test(k))]; return [m.getCenter().lat, m.getCenter().lng, m.getZoom()]; }"


def test_next_steps_through_an_exported_lesson_offline(boundaries, page, tmp_path):  # noqa: F811
    incidents = conform(pd.DataFrame([
        incident(1, location="Hawija", latitude=35.3286, longitude=43.7725, adm2_pcode="IQG13Q02"),
        incident(2), unplaced(3),
    ]))
    captions = ["calc {{7*7}} end", "<script>window.hacked = 1</script>", "${alert(1)}"]
    lesson = Lesson("A lesson <b>bold</b>", "Why?", "The end.", tuple(LessonStep(i, c) for i, c in zip(incidents["incident_id"], captions)))
    path = tmp_path / "lesson.html"
    path.write_text(lesson_html(lesson, lesson_steps_with_incidents(lesson, incidents), boundaries), encoding="utf-8")
    requested: list[str] = []
    page.route("**/*", lambda route: (requested.append(route.request.url), route.continue_() if route.request.url.startswith("file:") else route.abort()))
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.goto(path.as_uri())
    page.wait_for_function("() => document.getElementById('kim-position').textContent === '1 / 5'", timeout=30_000)

    cards, views = [page.evaluate(VISIBLE_CARD_JS)], [page.evaluate(MAP_VIEW_JS)]
    assert page.is_disabled("#kim-previous")
    for _ in range(4):
        page.click("#kim-next")
        cards.append(page.evaluate(VISIBLE_CARD_JS))
        views.append(page.evaluate(MAP_VIEW_JS))
    assert page.is_disabled("#kim-next") and page.inner_text("#kim-position") == "5 / 5"
    assert [len(c) for c in cards] == [1] * 5
    assert cards[0][0].split()[:4] == ["A", "lesson", "<b>bold</b>", "Why?"]
    for number, caption in enumerate(captions, start=1):
        assert f"Step {number} of 3" in cards[number][0] and caption in cards[number][0]
    assert "The end." in cards[4][0]
    assert [round(v, 4) for v in views[1][:2]] == [35.3286, 43.7725] and views[1][2] == 12
    assert [round(v, 4) for v in views[2][:2]] == [35.4681, 44.3922]
    assert views[3] == views[0] == views[4]  # no place: the governorate, as the title card
    page.keyboard.press("ArrowLeft")
    assert "Step 3 of 3" in page.evaluate(VISIBLE_CARD_JS)[0]
    assert page.evaluate("() => window.hacked") is None
    assert [url for url in requested if not url.startswith("file:")] == [] and errors == []
