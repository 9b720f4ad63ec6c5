"""A lesson: a saved story a teacher gives a class. A title card (title and an opening question),
chosen incidents in order, each with the teacher's caption, and a closing card.

Validation is pure (``lesson_problems``); saving, reading, listing and deleting go through the
store's ``write_transaction`` (so the read-only mode and the roles of ``incidents.access``
apply: an analyst or admin writes, a viewer reads) and every write is in the audit log. Each
lesson has a ``row_version``: a save or delete planned on an older version is refused with
``StaleLesson``, writing nothing. An incident deleted after the lesson was saved stays a step,
shown as "no longer in the store" (``lesson_steps_with_incidents``).
"""
from __future__ import annotations

import re
import secrets
from dataclasses import dataclass
from datetime import datetime, timezone

import pandas as pd
import sqlalchemy as sa

from errors import BadInput
from incidents.access import INCIDENT_WRITERS, current_actor
from incidents.lesson_tables import lesson_steps_table, lessons_table
from incidents.store import existing_incident_ids, record_writes, write_transaction

MAX_STEPS = 200
MAX_TITLE_CHARS = 200
MAX_CARD_CHARS = 2_000  # the opening question and the closing card
MAX_CAPTION_CHARS = 2_000
LESSON_WRITERS = INCIDENT_WRITERS
_LESSON_ID = re.compile(r"^[0-9a-f]{12}$")
GONE = "This incident is no longer in the store."


@dataclass(frozen=True)
class LessonStep:
    """One step: an incident and what the teacher says about it."""

    incident_id: str
    caption: str = ""


@dataclass(frozen=True)
class Lesson:
    """A lesson as a teacher writes it; ``lesson_id`` and ``row_version`` are None until saved."""

    title: str
    question: str = ""
    closing: str = ""
    steps: tuple[LessonStep, ...] = ()
    lesson_id: str | None = None
    row_version: int | None = None
    created_by: str = ""
    created_at: str = ""
    updated_at: str = ""


class LessonError(BadInput):
    """A lesson that cannot be saved as it is (every problem in one message); nothing was written."""


class LessonNotFound(BadInput):
    """No lesson with that id (a mistyped or old link, or a deleted lesson)."""


class StaleLesson(BadInput):
    """Someone else saved or deleted the lesson since it was opened; nothing was written."""


def is_lesson_id(value: object) -> bool:
    """True for a well-formed lesson id (what a ``?lesson=`` link may carry).

    >>> is_lesson_id("0123456789ab"), is_lesson_id("1; DROP TABLE"), is_lesson_id(None)
    (True, False, False)
    """
    return isinstance(value, str) and bool(_LESSON_ID.match(value))


def lesson_problems(lesson: Lesson, known_incident_ids: set[str] | None = None) -> list[str]:
    """Why ``lesson`` cannot be saved (empty when it can). With ``known_incident_ids``, a step
    naming an incident not among them is a problem too.

    >>> lesson_problems(Lesson(title=" ", steps=()))
    ['A lesson needs a title.', 'A lesson needs at least one incident (1 to 200 steps).']
    """
    problems = []
    if not lesson.title.strip():
        problems.append("A lesson needs a title.")
    elif len(lesson.title) > MAX_TITLE_CHARS:
        problems.append(f"The title has {len(lesson.title):,} characters; at most {MAX_TITLE_CHARS} fit on a title card.")
    for name, text in (("opening question", lesson.question), ("closing card", lesson.closing)):
        if len(text) > MAX_CARD_CHARS:
            problems.append(f"The {name} has {len(text):,} characters; shorten it to at most {MAX_CARD_CHARS:,}.")
    if not lesson.steps:
        problems.append(f"A lesson needs at least one incident (1 to {MAX_STEPS} steps).")
    elif len(lesson.steps) > MAX_STEPS:
        problems.append(f"The lesson has {len(lesson.steps)} steps; at most {MAX_STEPS} fit in one lesson. Split it in two.")
    for number, step in enumerate(lesson.steps, start=1):
        if len(step.caption) > MAX_CAPTION_CHARS:
            problems.append(f"Step {number}'s caption has {len(step.caption):,} characters; at most {MAX_CAPTION_CHARS:,}.")
    ids = [step.incident_id for step in lesson.steps]
    repeated = sorted({i for i in ids if ids.count(i) > 1})
    if repeated:
        problems.append(f"These incidents are steps more than once: {', '.join(repeated)}. Keep one step each.")
    if known_incident_ids is not None:
        unknown = sorted(set(ids) - known_incident_ids)
        if unknown:
            problems.append(f"These incidents are not in the store: {', '.join(unknown[:10])}. Remove them from the lesson.")
    return problems


def save_lesson(engine: sa.Engine, lesson: Lesson) -> Lesson:
    """Store a new lesson (``lesson_id`` None) or replace a saved one; returns it as stored.

    A saved lesson is replaced only if it is still at ``lesson.row_version``; otherwise
    StaleLesson. A lesson with problems raises LessonError. One transaction, audited.
    """
    problems = lesson_problems(lesson)
    if problems:
        raise LessonError(" ".join(problems))
    with write_transaction(engine, LESSON_WRITERS) as connection:
        problems = lesson_problems(lesson, existing_incident_ids(connection, [s.incident_id for s in lesson.steps]))
        if problems:
            raise LessonError(" ".join(problems))
        now = datetime.now(timezone.utc).isoformat(timespec="seconds")
        cards = {"title": lesson.title, "question": lesson.question, "closing": lesson.closing, "updated_at": now}
        if lesson.lesson_id is None:
            lesson_id, version, action, old = secrets.token_hex(6), 1, "add lesson", None
            actor = current_actor()
            connection.execute(sa.insert(lessons_table).values(
                lesson_id=lesson_id, created_by=actor.name if actor else "(no login)", created_at=now, row_version=1, **cards,
            ))
        else:
            lesson_id, action = lesson.lesson_id, "update lesson"
            old = _stored_or_stale(connection, lesson_id, lesson.row_version)
            version = old["row_version"] + 1
            connection.execute(sa.update(lessons_table).where(lessons_table.c.lesson_id == lesson_id).values(row_version=version, **cards))
            connection.execute(sa.delete(lesson_steps_table).where(lesson_steps_table.c.lesson_id == lesson_id))
        connection.execute(sa.insert(lesson_steps_table), [
            {"lesson_id": lesson_id, "position": number, "incident_id": step.incident_id, "caption": step.caption}
            for number, step in enumerate(lesson.steps, start=1)
        ])
        steps = [{"incident_id": s.incident_id, "caption": s.caption} for s in lesson.steps]
        record_writes(connection, action, [{"old": old, "new": {**cards, "steps": steps}, "source": f"lesson {lesson_id}"}])
        return _read(connection, lesson_id)


def delete_lesson(engine: sa.Engine, lesson_id: str, expected_version: int | None = None) -> None:
    """Delete a lesson and its steps (the incidents stay); StaleLesson if it changed since ``expected_version``."""
    with write_transaction(engine, LESSON_WRITERS) as connection:
        old = _stored_or_stale(connection, lesson_id, expected_version)
        connection.execute(sa.delete(lesson_steps_table).where(lesson_steps_table.c.lesson_id == lesson_id))
        connection.execute(sa.delete(lessons_table).where(lessons_table.c.lesson_id == lesson_id))
        record_writes(connection, "delete lesson", [{"old": old, "source": f"lesson {lesson_id}"}])


def _stored_or_stale(connection: sa.Connection, lesson_id: str, expected_version: int | None) -> dict:
    stored = connection.execute(sa.select(lessons_table).where(lessons_table.c.lesson_id == lesson_id)).mappings().first()
    if stored is None:
        raise StaleLesson(f"The lesson {lesson_id} is no longer in the store (someone deleted it); nothing was written.")
    if expected_version is not None and stored["row_version"] != expected_version:
        raise StaleLesson(
            f"The lesson {stored['title']!r} was changed by someone else (version {expected_version} was opened, "
            f"the store has version {stored['row_version']}, saved {stored['updated_at']}); nothing was written. "
            "Open it again to see their changes, then make yours."
        )
    return dict(stored)


def read_lesson(engine: sa.Engine, lesson_id: str) -> Lesson:
    """The saved lesson with this id; LessonNotFound (its message says what to do) when there is none."""
    if not is_lesson_id(lesson_id):
        raise LessonNotFound(f"{lesson_id!r} is not a lesson id (12 letters and digits); check the link.")
    with engine.connect() as connection:
        return _read(connection, lesson_id)


def _read(connection: sa.Connection, lesson_id: str) -> Lesson:
    row = connection.execute(sa.select(lessons_table).where(lessons_table.c.lesson_id == lesson_id)).mappings().first()
    if row is None:
        raise LessonNotFound(f"There is no lesson {lesson_id} in this store (it may have been deleted); the Lessons page lists those saved.")
    steps = connection.execute(
        sa.select(lesson_steps_table.c.incident_id, lesson_steps_table.c.caption)
        .where(lesson_steps_table.c.lesson_id == lesson_id).order_by(lesson_steps_table.c.position)
    ).all()
    return Lesson(
        title=row["title"], question=row["question"] or "", closing=row["closing"] or "",
        steps=tuple(LessonStep(s.incident_id, s.caption or "") for s in steps), lesson_id=row["lesson_id"],
        row_version=int(row["row_version"]), created_by=row["created_by"], created_at=row["created_at"], updated_at=row["updated_at"],
    )


LESSON_LIST_COLUMNS = ["lesson_id", "title", "steps", "created_by", "updated_at"]


def list_lessons(engine: sa.Engine) -> pd.DataFrame:
    """Every saved lesson, most recently changed first: lesson_id, title, steps (how many), created_by, updated_at."""
    steps = (
        sa.select(sa.func.count()).select_from(lesson_steps_table)
        .where(lesson_steps_table.c.lesson_id == lessons_table.c.lesson_id).scalar_subquery()
    )
    query = sa.select(
        lessons_table.c.lesson_id, lessons_table.c.title, steps.label("steps"), lessons_table.c.created_by, lessons_table.c.updated_at,
    ).order_by(lessons_table.c.updated_at.desc(), lessons_table.c.lesson_id)
    with engine.connect() as connection:
        return pd.DataFrame(connection.execute(query).mappings().all(), columns=LESSON_LIST_COLUMNS)


def lesson_steps_with_incidents(lesson: Lesson, incidents: pd.DataFrame) -> pd.DataFrame:
    """The lesson's steps in order, each with its incident's columns and ``in_store`` (False, the
    incident's columns empty, for an incident deleted since the lesson was saved).

    >>> steps = lesson_steps_with_incidents(Lesson("t", steps=(LessonStep("KIM-1", "a"), LessonStep("KIM-2", "b"))),
    ...     pd.DataFrame({"incident_id": ["KIM-2"], "location": ["Daquq"]}))
    >>> steps[["incident_id", "caption", "in_store", "location"]].values.tolist()
    [['KIM-1', 'a', False, nan], ['KIM-2', 'b', True, 'Daquq']]
    """
    steps = pd.DataFrame(
        [{"incident_id": s.incident_id, "caption": s.caption} for s in lesson.steps], columns=["incident_id", "caption"]
    )
    known = incidents.drop_duplicates("incident_id").assign(in_store=True)
    joined = steps.merge(known, on="incident_id", how="left", validate="one_to_one")
    joined["in_store"] = joined["in_store"].eq(True)
    return joined


# --- Picking a lesson's incidents --------------------------------------------------------

SEARCHED_COLUMNS = ("event_date", "location", "admin2", "admin3", "event_type", "sub_event_type", "actor1", "actor2", "notes", "incident_id")


def incidents_matching(incidents: pd.DataFrame, search: str) -> pd.DataFrame:
    """The incidents whose date, place, type, actors, notes or id contain every word of ``search``
    (case-insensitive; all of them for an empty search).

    >>> frame = pd.DataFrame({"location": ["Hawija", "Daquq"], "event_type": ["Battles", "Battles"]})
    >>> incidents_matching(frame, "hawi battles")["location"].tolist(), len(incidents_matching(frame, " "))
    (['Hawija'], 2)
    """
    columns = [c for c in SEARCHED_COLUMNS if c in incidents.columns]
    text = incidents[columns].astype("string").fillna("").agg(" ".join, axis=1).str.casefold()
    keep = pd.Series(True, index=incidents.index)
    for word in search.casefold().split():
        keep &= text.str.contains(word, regex=False)
    return incidents[keep]


def incident_at(incidents: pd.DataFrame, latitude: float, longitude: float, tolerance_deg: float = 1e-5) -> str | None:
    """The id of the incident drawn at a clicked point (the first when several share it; None when none).

    >>> incident_at(pd.DataFrame({"incident_id": ["a"], "latitude": [35.1], "longitude": [44.2]}), 35.1, 44.2)
    'a'
    """
    near = (incidents["latitude"] - latitude).abs().le(tolerance_deg) & (incidents["longitude"] - longitude).abs().le(tolerance_deg)
    found = incidents.loc[near.fillna(False).astype(bool), "incident_id"]
    return str(found.iloc[0]) if len(found) else None
