"""Lessons in the store: saved, read back in order, listed, replaced only at the version opened,
deleted; refused in read-only mode and for a viewer; kept across the migration from version 5."""
from __future__ import annotations

import pandas as pd
import pytest
import sqlalchemy as sa

from incidents.access import Actor, WriteRefused, acting_as
from incidents.audit import read_audit
from incidents.lessons import (
    GONE,
    MAX_CAPTION_CHARS,
    MAX_STEPS,
    Lesson,
    LessonError,
    LessonNotFound,
    LessonStep,
    StaleLesson,
    delete_lesson,
    lesson_problems,
    lesson_steps_with_incidents,
    list_lessons,
    read_lesson,
    save_lesson,
)
from incidents.schema import SCHEMA_VERSION, conform
from incidents.store import connect, current_version, read_incidents, save_incidents
from incidents.users import add_user
from tests.incident_rows import incident

pytestmark = pytest.mark.both_backends
HOSTILE = ("calc {{7*7}} end", "<script>alert(1)</script>", "${alert(1)}", "**bold** [link](http://x.example)", "{% for x in y %}")


@pytest.fixture
def five(engine):
    """A store with five incidents, KIM-000000000001 .. 5."""
    save_incidents(engine, conform(pd.DataFrame([incident(n, event_date=f"2024-07-1{n}") for n in range(1, 6)])))
    return engine


def a_lesson(captions=("one", "two", "three", "four", "five"), **cards) -> Lesson:
    steps = tuple(LessonStep(f"KIM-{n:012d}", caption) for n, caption in enumerate(captions, start=1))
    return Lesson(**({"title": "Hawija, summer 2024", "question": "Why here?", "closing": "What changed?"} | cards), steps=steps)


def test_a_saved_lesson_reads_back_with_its_steps_in_order(five):
    saved = save_lesson(five, a_lesson())
    again = read_lesson(five, saved.lesson_id)
    assert again == saved and again.row_version == 1 and again.created_by == "(no login)"
    assert [s.caption for s in again.steps] == ["one", "two", "three", "four", "five"]
    assert list_lessons(five)[["lesson_id", "title", "steps"]].values.tolist() == [[saved.lesson_id, "Hawija, summer 2024", 5]]


def test_hostile_texts_are_stored_verbatim(five):
    saved = save_lesson(five, a_lesson(captions=HOSTILE, title=HOSTILE[0], question=HOSTILE[1], closing=HOSTILE[2]))
    again = read_lesson(five, saved.lesson_id)
    assert (again.title, again.question, again.closing) == HOSTILE[:3]
    assert tuple(s.caption for s in again.steps) == HOSTILE


def test_a_save_replaces_the_lesson_and_bumps_its_version(five):
    saved = save_lesson(five, a_lesson())
    shorter = Lesson("New title", steps=saved.steps[:2], lesson_id=saved.lesson_id, row_version=saved.row_version)
    replaced = save_lesson(five, shorter)
    assert (replaced.title, len(replaced.steps), replaced.row_version) == ("New title", 2, 2)


def test_a_stale_save_is_refused_and_writes_nothing(five):
    saved = save_lesson(five, a_lesson())
    save_lesson(five, Lesson("Theirs", steps=saved.steps, lesson_id=saved.lesson_id, row_version=1))
    with pytest.raises(StaleLesson, match="changed by someone else"):
        save_lesson(five, Lesson("Mine", steps=saved.steps[:1], lesson_id=saved.lesson_id, row_version=1))
    stored = read_lesson(five, saved.lesson_id)
    assert (stored.title, len(stored.steps), stored.row_version) == ("Theirs", 5, 2)


def test_a_deleted_lesson_is_gone_and_its_incidents_stay(five):
    saved = save_lesson(five, a_lesson())
    with pytest.raises(StaleLesson):
        delete_lesson(five, saved.lesson_id, expected_version=7)
    delete_lesson(five, saved.lesson_id, expected_version=1)
    with pytest.raises(LessonNotFound, match="no lesson"):
        read_lesson(five, saved.lesson_id)
    assert list_lessons(five).empty and len(read_incidents(five)) == 5


def test_every_lesson_write_is_in_the_audit_log(five):
    saved = save_lesson(five, a_lesson())
    save_lesson(five, Lesson("Renamed", steps=saved.steps, lesson_id=saved.lesson_id, row_version=1))
    delete_lesson(five, saved.lesson_id)
    audit = read_audit(five)
    lesson_rows = audit[audit["source"] == f"lesson {saved.lesson_id}"]
    assert lesson_rows["action"].tolist() == ["add lesson", "update lesson", "delete lesson"]
    assert "Renamed" in lesson_rows["new_values"].iloc[1] and "Hawija" in lesson_rows["old_values"].iloc[1]


def test_read_only_mode_refuses_a_lesson(five, monkeypatch):
    monkeypatch.setenv("KIRKUK_READ_ONLY", "1")
    with pytest.raises(WriteRefused, match="read-only"):
        save_lesson(five, a_lesson())
    assert list_lessons(five).empty


def test_a_viewer_may_open_a_lesson_but_not_save_or_delete_one(five):
    saved = save_lesson(five, a_lesson())
    add_user(five, "root", "admin", "root-password")
    with acting_as(Actor("root", "admin")):
        add_user(five, "vera", "viewer", "vera-password")
    with acting_as(Actor("vera", "viewer")):
        with pytest.raises(WriteRefused, match="vera is a viewer"):
            save_lesson(five, a_lesson())
        with pytest.raises(WriteRefused, match="vera is a viewer"):
            delete_lesson(five, saved.lesson_id)
        assert read_lesson(five, saved.lesson_id) == saved
    with acting_as(Actor("amal", "analyst")):
        assert save_lesson(five, a_lesson()).created_by == "amal"
    assert len(list_lessons(five)) == 2


def test_a_lesson_naming_an_unknown_incident_is_refused(five):
    lesson = Lesson("t", steps=(LessonStep("KIM-000000000001"), LessonStep("KIM-999999999999")))
    with pytest.raises(LessonError, match="not in the store: KIM-999999999999"):
        save_lesson(five, lesson)
    assert list_lessons(five).empty


def test_a_deleted_incident_is_a_step_no_longer_in_the_store(five):
    saved = save_lesson(five, a_lesson())
    with five.begin() as connection:
        connection.execute(sa.text("DELETE FROM sources WHERE incident_id = 'KIM-000000000003'"))
        connection.execute(sa.text("DELETE FROM incidents WHERE incident_id = 'KIM-000000000003'"))
    steps = lesson_steps_with_incidents(read_lesson(five, saved.lesson_id), read_incidents(five))
    assert steps["in_store"].tolist() == [True, True, False, True, True]
    assert steps["caption"].tolist()[2] == "three" and GONE.startswith("This incident")


def test_a_version_5_store_migrates_and_keeps_its_incidents(five, db_url):
    with five.begin() as connection:  # make it a store as version 5 left it
        connection.exec_driver_sql("DROP TABLE lesson_steps")
        connection.exec_driver_sql("DROP TABLE lessons")
        connection.exec_driver_sql("DELETE FROM schema_version WHERE version > 5")
    assert current_version(five) == 5
    before = read_incidents(five, with_row_version=True)
    migrated = connect(db_url)
    assert current_version(migrated) == SCHEMA_VERSION == 6
    pd.testing.assert_frame_equal(read_incidents(migrated, with_row_version=True), before)
    assert read_lesson(migrated, save_lesson(migrated, a_lesson()).lesson_id).title == "Hawija, summer 2024"
    migrated.dispose()


@pytest.mark.parametrize(("lesson", "problem"), [
    (Lesson("", steps=(LessonStep("a"),)), "needs a title"),
    (Lesson("x" * 201, steps=(LessonStep("a"),)), "at most 200"),
    (Lesson("t"), "at least one incident"),
    (Lesson("t", steps=tuple(LessonStep(f"KIM-{n}") for n in range(MAX_STEPS + 1))), "201 steps"),
    (Lesson("t", steps=(LessonStep("a", "c" * (MAX_CAPTION_CHARS + 1)),)), "Step 1's caption"),
    (Lesson("t", steps=(LessonStep("a"), LessonStep("a"))), "more than once: a"),
    (Lesson("t", closing="c" * 2001, steps=(LessonStep("a"),)), "closing card"),
])
def test_lesson_problems(lesson, problem):
    assert problem in " ".join(lesson_problems(lesson))


def test_a_malformed_link_is_not_looked_up(five):
    with pytest.raises(LessonNotFound, match="not a lesson id"):
        read_lesson(five, "1' OR '1'='1")
