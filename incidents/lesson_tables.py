"""The store's lesson tables (schema version 6): a lesson's cards, and its steps in order.

Kept apart from ``incidents.store`` (which registers ``create_lesson_tables`` as migration 6)
so that the store module stays about incidents. A step names its incident by id with no
foreign key: deleting an incident must neither delete the teacher's steps nor be blocked by
them; a lesson whose incident is gone shows the step as "no longer in the store".
"""
from __future__ import annotations

import sqlalchemy as sa

lesson_metadata = sa.MetaData()
lessons_table = sa.Table(
    "lessons",
    lesson_metadata,
    sa.Column("lesson_id", sa.Text, primary_key=True),  # 12 hex digits, the ?lesson= of its link
    sa.Column("title", sa.Text, nullable=False),
    sa.Column("question", sa.Text, nullable=False, server_default=""),  # the title card's opening question
    sa.Column("closing", sa.Text, nullable=False, server_default=""),  # the closing card
    sa.Column("created_by", sa.Text, nullable=False),
    sa.Column("created_at", sa.Text, nullable=False),  # UTC, ISO 8601
    sa.Column("updated_at", sa.Text, nullable=False),
    sa.Column("row_version", sa.Integer, nullable=False, server_default=sa.text("1")),
)
lesson_steps_table = sa.Table(
    "lesson_steps",
    lesson_metadata,
    sa.Column("lesson_id", sa.Text, sa.ForeignKey("lessons.lesson_id", ondelete="CASCADE"), primary_key=True),
    sa.Column("position", sa.Integer, primary_key=True),  # 1, 2, ... in the order the class sees them
    sa.Column("incident_id", sa.Text, nullable=False),
    sa.Column("caption", sa.Text, nullable=False, server_default=""),
)


def create_lesson_tables(connection: sa.Connection) -> None:
    """Migration 6: the lessons and lesson_steps tables (nothing else changes)."""
    lesson_metadata.create_all(connection, tables=[lessons_table, lesson_steps_table])
