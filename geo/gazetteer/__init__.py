"""The gazetteer: find the place a report names, say how precise that is, and whether it is in Kirkuk.

Lookup order for one name: the exact alias (case-insensitive), then the folded name, then
the phonetic key (see :mod:`geo.gazetteer.normalize`), then a rapidfuzz ratio above
``FUZZY_MIN_RATIO``. Candidates are ranked by score, then by what the surrounding words
say (a district named nearby, "oil field", "province"), then by kind (a town before the
district named after it). Directional words ("20 km west of Hawija") keep the reference
place's point and pcodes but lower the precision (:mod:`geo.gazetteer.directions`). Finding the
names in a whole report is :mod:`geo.gazetteer.mentions`.

"Not found" is data: :meth:`Gazetteer.geocode` returns ``matched=False`` with a reason and
the closest names it considered; it never raises for an unknown name.

The modules, each importing only those above it:

- ``normalize``: fold a name and key its sound; ``directions``: the qualifying words around a name
- ``places``: the records (Place, Candidate, GeocodeResult), GazetteerError, reading the CSV
- ``index``: the name tables (exact, folded, phonetic key, fuzzy) and the score scale
- ``match``: rank scored candidates, apply the qualifier, assemble the result
- ``mentions``: the place names in running text
- ``gazetteer``: :class:`Gazetteer` (``geocode``, ``find_mentions``) and :func:`load_gazetteer`

This module only re-exports their public names.
"""
from __future__ import annotations

from geo.boundaries import KIRKUK_PCODE
from geo.gazetteer.gazetteer import Gazetteer, load_gazetteer
from geo.gazetteer.index import (
    CLOSEST_MIN_RATIO, FUZZY_MIN_LENGTH, FUZZY_MIN_RATIO, FUZZY_WEIGHT, LOW_MATCH_SCORE, SCORE_EXACT, SCORE_FOLDED,
    SCORE_KEY, NameIndex,
)
from geo.gazetteer.match import CONTEXT_KIND_WORDS, NEAR_KM, TIE_MARGIN, distance_km
from geo.gazetteer.mentions import PlaceMention
from geo.gazetteer.places import (
    ADMIN_LEVEL, DEFAULT_GAZETTEER_CSV, INCIDENT_PLACE_COLUMNS, KIND_RANK, REQUIRED_COLUMNS, Candidate, GazetteerError, GeocodeResult,
    Place, admin_names, read_gazetteer_csv, read_places,
)

__all__ = ["ADMIN_LEVEL", "CLOSEST_MIN_RATIO", "CONTEXT_KIND_WORDS", "DEFAULT_GAZETTEER_CSV", "FUZZY_MIN_LENGTH",
           "FUZZY_MIN_RATIO", "FUZZY_WEIGHT", "KIND_RANK", "KIRKUK_PCODE", "LOW_MATCH_SCORE", "NEAR_KM",
           "REQUIRED_COLUMNS", "SCORE_EXACT", "SCORE_FOLDED", "SCORE_KEY", "TIE_MARGIN", "Candidate", "Gazetteer",
           "GazetteerError", "GeocodeResult", "INCIDENT_PLACE_COLUMNS", "NameIndex", "Place", "PlaceMention", "admin_names", "distance_km",
           "load_gazetteer", "read_gazetteer_csv", "read_places"]
