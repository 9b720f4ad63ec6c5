"""Spellings analysts taught the gazetteer: a local overlay file read beside data/gazetteer.csv.

When an analyst corrects a place in the review queue, the report's spelling can be saved as
a new alias of the place they chose; the next report with that spelling resolves. The file
(``data/gazetteer_local.csv`` by default, or the path in ``$KIRKUK_GAZETTEER_LOCAL``) is
local data, not part of the repository (git-ignored). Columns:

``spelling, place_id, added_by, incident_id, added_at``

A row whose place id is no longer in the gazetteer (after a rebuild) is skipped, so a
stale overlay never stops the app.
"""
from __future__ import annotations

import csv
import os
from dataclasses import dataclass, replace
from datetime import datetime, timezone
from pathlib import Path

from geo.gazetteer.normalize import fold
from geo.gazetteer.places import DEFAULT_GAZETTEER_CSV, GazetteerError, Place

LOCAL_SPELLINGS_ENV = "KIRKUK_GAZETTEER_LOCAL"
DEFAULT_LOCAL_CSV = DEFAULT_GAZETTEER_CSV.with_name("gazetteer_local.csv")
LOCAL_COLUMNS = ("spelling", "place_id", "added_by", "incident_id", "added_at")


class LocalSpellingError(GazetteerError):
    """A spelling cannot be saved (empty, or the local file cannot be written)."""


@dataclass(frozen=True)
class LocalSpelling:
    """One analyst-added spelling: the alias, the place it names, who added it and from which incident."""

    spelling: str
    place_id: str
    added_by: str
    incident_id: str
    added_at: str


def local_spellings_path() -> Path:
    """Where the local spellings live: ``$KIRKUK_GAZETTEER_LOCAL``, else data/gazetteer_local.csv."""
    return Path(os.environ.get(LOCAL_SPELLINGS_ENV) or DEFAULT_LOCAL_CSV)


def read_local_spellings(path: str | Path | None = None) -> list[LocalSpelling]:
    """The saved spellings (none when the file does not exist yet)."""
    path = Path(path) if path is not None else local_spellings_path()
    if not path.exists():
        return []
    with open(path, newline="", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    return [LocalSpelling(*(str(row.get(c) or "").strip() for c in LOCAL_COLUMNS))
            for row in rows if (row.get("spelling") or "").strip() and (row.get("place_id") or "").strip()]


def apply_local_spellings(places: list[Place], spellings: list[LocalSpelling]) -> list[Place]:
    """The places with the saved spellings added to their aliases (unknown place ids skipped)."""
    extra: dict[str, list[str]] = {}
    for item in spellings:
        extra.setdefault(item.place_id, []).append(item.spelling)
    if not extra:
        return places
    updated = []
    for place in places:
        added = extra.get(place.place_id)
        if added:
            aliases = tuple(dict.fromkeys((*place.aliases, *added)))
            place = replace(place, aliases=aliases, folded_aliases=tuple(dict.fromkeys(fold(a) for a in aliases)))
        updated.append(place)
    return updated


def add_spelling(spelling: str, place_id: str, added_by: str, incident_id: str = "",
                 path: str | Path | None = None, now: datetime | None = None) -> LocalSpelling:
    """Save a report's spelling as a new alias of a gazetteer place; returns the saved row.

    ``path`` defaults to :func:`local_spellings_path`; the file is created with its header.
    """
    spelling = " ".join((spelling or "").split())
    if not spelling or not (place_id or "").strip():
        raise LocalSpellingError("A new spelling needs the spelling and the place it names: "
                                 f"got spelling {spelling!r}, place {place_id!r}. Geocode the place first.")
    path = Path(path) if path is not None else local_spellings_path()
    item = LocalSpelling(spelling, place_id.strip(), (added_by or "unknown").strip(), str(incident_id or ""),
                         (now or datetime.now(timezone.utc)).isoformat(timespec="seconds"))
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        new_file = not path.exists()
        with open(path, "a", newline="", encoding="utf-8") as handle:
            writer = csv.writer(handle, lineterminator="\n")
            if new_file:
                writer.writerow(LOCAL_COLUMNS)
            writer.writerow([getattr(item, c) for c in LOCAL_COLUMNS])
    except OSError as error:
        raise LocalSpellingError(f"Cannot write the local spellings file {path}: {error.strerror}. "
                                 f"Set ${LOCAL_SPELLINGS_ENV} to a writable path.") from error
    return item


__all__ = ["DEFAULT_LOCAL_CSV", "LOCAL_COLUMNS", "LOCAL_SPELLINGS_ENV", "LocalSpelling", "LocalSpellingError",
           "add_spelling", "apply_local_spellings", "local_spellings_path", "read_local_spellings"]
