"""The Gazetteer: one name or phrase to a place (``geocode``), every place a report names (``find_mentions``).

``geocode`` splits a query into the name and its qualifier (:mod:`geo.gazetteer.directions`),
looks the name up (:mod:`geo.gazetteer.index`), reads the surrounding report text for a level
word next to the same name and for other places it names, and ranks the candidates
(:mod:`geo.gazetteer.match`). Imports point one way: this module uses
:mod:`geo.gazetteer.mentions`, which uses the index and the ranking, never this module.
"""
from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from geo.gazetteer.directions import Qualifier, split_query
from geo.gazetteer.index import NameIndex
from geo.gazetteer.match import closest_names, resolve, unresolved
from geo.gazetteer.mentions import PlaceMention, find_mentions
from geo.gazetteer.normalize import fold
from geo.gazetteer.places import (
    DEFAULT_GAZETTEER_CSV, Candidate, GazetteerError, GeocodeResult, Place, read_gazetteer_csv,
)


class Gazetteer:
    """Places of Kirkuk and its neighbours with every spelling reports use; built once, read-only."""

    def __init__(self, places: list[Place]):
        if not places:
            raise GazetteerError("The gazetteer has no places: rebuild data/gazetteer.csv with scripts/build_gazetteer.py.")
        self.places = places
        self.index = NameIndex(places)

    def __len__(self) -> int:
        return len(self.places)

    @classmethod
    def from_csv(cls, path: str | Path = DEFAULT_GAZETTEER_CSV, boundaries=None) -> Gazetteer:
        """Load data/gazetteer.csv; ``boundaries`` (optional) fills admin names the file lacks."""
        return cls(read_gazetteer_csv(path, boundaries))

    def geocode(self, text: str, context: str | None = None) -> GeocodeResult:
        """The best place for a name or short phrase ("20 km west of Hawija"), with runners-up.

        ``context`` is the surrounding report text: a district named there, or words such as
        "province" or "oil field" next to the same name, settle ties between candidates.
        """
        query = " ".join((text or "").split())
        if not query:
            return GeocodeResult(query=text or "", matched=False, reason="empty query: give a place name")
        scored = self.index.exact(query)
        qualifier = None
        if scored:
            # An exact alias may still carry a level word ("Tuz Khurmatu District" is also
            # a GeoNames alias of the town): let the word choose between the candidates.
            hint = split_query(query)[1]
            qualifier = Qualifier(level=hint.level, phrase=hint.phrase) if hint and hint.level else None
        else:
            core, qualifier = split_query(query)
            scored = self.index.lookup(core) if core else {}
            if not scored and qualifier is not None:
                scored, qualifier = self.index.lookup(query), None
        if not scored:
            return unresolved(self.index, query)
        mentioned_qualifier = self._qualifier_in_context(query, context) if qualifier is None else None
        qualifier = qualifier or mentioned_qualifier
        # The candidates themselves are no evidence for each other ("Kirkuk" in its own context).
        context_places = [p for p in self._context_places(context) if p.index not in scored] if context else ()
        return resolve(self.index, query, scored, qualifier, context, context_places)

    def closest_names(self, text: str, limit: int = 5) -> tuple[Candidate, ...]:
        """The nearest names for a query that matched nothing (for the error message)."""
        return closest_names(self.index, text, limit)

    def find_mentions(self, text: str) -> list[PlaceMention]:
        """Every place named in a report, in text order, non-overlapping (see :mod:`geo.gazetteer.mentions`)."""
        return find_mentions(self.index, text)

    def _qualifier_in_context(self, query: str, context: str | None) -> Qualifier | None:
        """A level word the context puts next to this same name ("... in Kirkuk province")."""
        if not context:
            return None
        target = fold(query)
        for mention in self.find_mentions(context):
            core = split_query(mention.surface)[0]
            if fold(core) == target or fold(mention.surface) == target:
                _, qualifier = split_query(mention.surface)
                if qualifier is not None and qualifier.level:
                    return Qualifier(level=qualifier.level, phrase=qualifier.phrase)
        return None

    def _context_places(self, context: str) -> list[Place]:
        """The places a context text names, for ranking candidates near them."""
        return [self.index.place(m.result.place_id) for m in self.find_mentions(context)
                if m.result.place_id is not None]


@lru_cache(maxsize=4)
def _load_cached(path: str) -> Gazetteer:
    return Gazetteer.from_csv(path)


def load_gazetteer(path: str | Path = DEFAULT_GAZETTEER_CSV, boundaries=None) -> Gazetteer:
    """The gazetteer from a CSV file, loaded once per path (cached) unless boundaries are given."""
    if boundaries is not None:
        return Gazetteer.from_csv(path, boundaries)
    return _load_cached(str(Path(path).resolve()))
