"""The Lessons page (Streamlit's AppTest): a lesson of five incidents is made (rows selected in the
table, captions written), saved, reopened from its link in a new session and stepped through;
hostile titles and captions stay text; a viewer's screen and a deleted incident never break it."""
from __future__ import annotations

import sqlalchemy as sa
import streamlit as st
from streamlit.testing.v1 import AppTest

from incidents.lessons import GONE, list_lessons, read_lesson
from incidents.store import connect
from mapview.text import unescape_markdown
from tests.conftest import REPO_ROOT
from tests.incident_rows import incident, store_with

PAGE = str(REPO_ROOT / "app" / "pages" / "lessons.py")
HOSTILE = ["calc {{7*7}} end", "<script>alert(1)</script>", "${alert(1)}", "**bold** [link](http://x.example) # h", "{% for x in y %}"]
IDS = [f"KIM-{n:012d}" for n in range(1, 7)]


def six_incidents(db_url: str) -> None:
    store_with(db_url, [incident(n, event_date=f"2024-07-1{n}", notes=f"The report's words {n}.") for n in range(1, 7)])


def page(query: dict[str, str] | None = None) -> AppTest:
    at = AppTest.from_file(PAGE, default_timeout=120)
    for name, value in (query or {}).items():
        at.query_params[name] = value
    at.run()
    assert not at.exception, at.exception
    return at


def make_lesson(title: str, question: str, closing: str, captions: list[str]) -> AppTest:
    """Fill the form, select rows 0-4 of the table (the five oldest incidents), add them, caption them, save."""
    at = page()
    at.text_input(key="lesson_title").input(title)
    at.text_area(key="lesson_question").input(question)
    at.session_state["lesson_pick"] = {"selection": {"rows": [0, 1, 2, 3, 4], "columns": []}}  # rows ticked in the table
    at.run()
    at.button(key="lesson_add").click().run()
    for incident_id, caption in zip(IDS, captions):
        at.text_area(key=f"lesson_caption_{incident_id}").input(caption)
    at.text_area(key="lesson_closing").input(closing)
    at.button(key="lesson_save").click().run()
    assert not at.exception, at.exception
    return at


def shown_texts(at: AppTest) -> str:
    return " ".join(t.value for t in at.text)


def test_a_lesson_of_five_is_made_saved_and_reopened_from_its_link(db_url):
    six_incidents(db_url)
    captions = [f"Caption {n}: look at the date." for n in range(1, 6)]
    made = make_lesson("Kirkuk, July 2024", "What do you notice?", "What changed over the week?", captions)
    (lesson_id,) = list_lessons(connect(db_url))["lesson_id"]
    assert made.query_params["lesson"] == lesson_id and "Saved the lesson with 5" in unescape_markdown(made.success[0].value)
    stored = read_lesson(connect(db_url), lesson_id)
    assert [(s.incident_id, s.caption) for s in stored.steps] == list(zip(IDS[:5], captions))

    at = page({"lesson": lesson_id})  # a new session, opened from the link
    assert [unescape_markdown(h.value) for h in at.header] == ["Kirkuk, July 2024"]
    assert [unescape_markdown(h.value) for h in at.subheader] == ["What do you notice?"]
    for step in range(1, 6):
        at.button(key="lesson_next").click().run()
        assert not at.exception, at.exception
        assert unescape_markdown(at.subheader[0].value) == f"{step} of 5: 2024-07-1{step} · Place {step}"
        assert captions[step - 1] in shown_texts(at) and f"The report's words {step}." in shown_texts(at)
    at.button(key="lesson_next").click().run()
    assert [unescape_markdown(h.value) for h in at.subheader] == ["What changed over the week?"]
    assert at.button(key="lesson_next").disabled
    at.button(key="lesson_previous").click().run()
    assert unescape_markdown(at.subheader[0].value).startswith("5 of 5")


def test_hostile_titles_and_captions_stay_text(db_url):
    six_incidents(db_url)
    make_lesson(HOSTILE[0], HOSTILE[1], HOSTILE[3], HOSTILE)
    (lesson_id,) = list_lessons(connect(db_url))["lesson_id"]
    at = page({"lesson": lesson_id})
    assert unescape_markdown(at.header[0].value) == HOSTILE[0] and "{{" not in at.header[0].value.replace("\\{", "")
    assert unescape_markdown(at.subheader[0].value) == HOSTILE[1]
    at.button(key="lesson_next").click().run()
    assert HOSTILE[0] in shown_texts(at)  # st.text: shown verbatim, never evaluated
    at.button(key="lesson_next").click().run()
    assert HOSTILE[1] in shown_texts(at)
    for _ in range(4):
        at.button(key="lesson_next").click().run()
    assert unescape_markdown(at.subheader[0].value) == " ".join(HOSTILE[3].split())
    assert not at.exception


def test_a_lesson_without_a_title_is_refused_with_the_reason(db_url):
    six_incidents(db_url)
    at = make_lesson("", "", "", ["a"] * 5)
    assert "needs a title" in unescape_markdown(at.error[0].value)
    assert list_lessons(connect(db_url)).empty


def test_a_deleted_incident_shows_as_no_longer_in_the_store(db_url):
    six_incidents(db_url)
    make_lesson("t", "q", "c", ["a", "b", "c", "d", "e"])
    engine = connect(db_url)
    (lesson_id,) = list_lessons(engine)["lesson_id"]
    with engine.begin() as connection:
        connection.execute(sa.text("DELETE FROM sources WHERE incident_id = :i"), {"i": IDS[1]})
        connection.execute(sa.text("DELETE FROM incidents WHERE incident_id = :i"), {"i": IDS[1]})
    st.cache_data.clear()  # the page's cached incidents (a deleting page would refresh them)
    at = page({"lesson": lesson_id})
    at.button(key="lesson_next").click().run()
    at.button(key="lesson_next").click().run()
    assert not at.exception, at.exception
    assert "no longer in the store" in unescape_markdown(at.subheader[0].value)
    assert [w.value for w in at.warning] == [GONE] and "b" in shown_texts(at)


def test_a_bad_link_says_so(db_url):
    six_incidents(db_url)
    for value, message in (("0123456789ab", "no lesson"), ("<script>", "not a lesson id")):
        at = page({"lesson": value})
        assert message in unescape_markdown(at.error[0].value)


def test_a_read_only_screen_opens_lessons_but_offers_no_form(db_url, monkeypatch):
    six_incidents(db_url)
    make_lesson("Shown on a projector", "", "", ["a"] * 5)
    (lesson_id,) = list_lessons(connect(db_url))["lesson_id"]
    monkeypatch.setenv("KIRKUK_READ_ONLY", "1")
    listing = page()
    assert not [b for b in listing.button if b.key == "lesson_save"] and len(listing.dataframe) == 1
    opened = page({"lesson": lesson_id})
    assert unescape_markdown(opened.header[0].value) == "Shown on a projector"
    assert not [b for b in opened.button if b.key in ("lesson_edit", "lesson_delete")]


def test_a_saved_lesson_is_edited_and_saved_again(db_url):
    six_incidents(db_url)
    make_lesson("First", "", "", ["a", "b", "c", "d", "e"])
    (lesson_id,) = list_lessons(connect(db_url))["lesson_id"]
    at = page({"lesson": lesson_id})
    at.button(key="lesson_edit").click().run()
    assert not at.exception, at.exception
    at.text_input(key="lesson_title").input("Second")
    at.button(key=f"lesson_remove_{IDS[0]}").click().run()
    at.button(key="lesson_save").click().run()
    assert not at.exception, at.exception
    stored = read_lesson(connect(db_url), lesson_id)
    assert (stored.title, [s.caption for s in stored.steps], stored.row_version) == ("Second", ["b", "c", "d", "e"], 2)
