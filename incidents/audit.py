"""The audit trail read back: every write of an incident (insert, review decision, update,
added source), who made it, when, what it changed and from which source.

The store writes it (``incidents.store.record_writes``, inside each write's transaction);
this module turns it into the history a page shows and a file exports.
"""
from __future__ import annotations

import json

import pandas as pd
import sqlalchemy as sa

from incidents.export import defuse_formula
from incidents.store import audit_table

HISTORY_COLUMNS = ["at", "actor", "action", "column", "old_value", "new_value", "source"]


def read_audit(engine: sa.Engine, incident_id: str | None = None) -> pd.DataFrame:
    """The audit rows, oldest first (of one incident, or all); old and new values as JSON text."""
    query = sa.select(audit_table).order_by(audit_table.c.id)
    if incident_id is not None:
        query = query.where(audit_table.c.incident_id == incident_id)
    with engine.connect() as connection:
        return pd.read_sql(query, connection)


def incident_history(engine: sa.Engine, incident_id: str) -> pd.DataFrame:
    """One incident's history, one row per changed column: at, actor, action, column, old_value, new_value, source."""
    return history_rows(read_audit(engine, incident_id))


def history_rows(audit: pd.DataFrame) -> pd.DataFrame:
    """Audit rows spread to one row per column they changed (values as text; empty when none).

    >>> history_rows(pd.DataFrame([{"at": "2026-12-02T07:00:00+00:00", "actor": "amal", "action": "review",
    ...     "old_values": '{"fatalities": 2}', "new_values": '{"fatalities": 3}', "source": "Review page"}]))[["column", "old_value", "new_value"]]
           column old_value new_value
    0  fatalities         2         3
    """
    rows = []
    for entry in audit.to_dict("records"):
        old = json.loads(entry["old_values"]) if isinstance(entry.get("old_values"), str) else {}
        new = json.loads(entry["new_values"]) if isinstance(entry.get("new_values"), str) else {}
        for column in list(dict.fromkeys([*new, *old])):
            rows.append({
                "at": entry["at"], "actor": entry["actor"], "action": entry["action"], "column": column,
                "old_value": _text(old.get(column)), "new_value": _text(new.get(column)), "source": _text(entry.get("source")),
            })
    return pd.DataFrame(rows, columns=HISTORY_COLUMNS)


def _text(value: object) -> str:
    return "" if value is None or (isinstance(value, float) and value != value) else str(value)


def history_csv(history: pd.DataFrame) -> bytes:
    """A history as CSV (UTF-8 with a byte-order mark, so that spreadsheets read Arabic names);
    values a spreadsheet would run as formulas are defused as in every export."""
    return history.astype("object").map(defuse_formula).to_csv(index=False).encode("utf-8-sig")
