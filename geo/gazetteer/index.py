"""The name index: every alias of every place under its exact, folded and phonetic spelling, and fuzzy lookup.

A lookup answers ``{place index: score}``, where the index is :attr:`Place.index` (the
place's position in :attr:`NameIndex.places`) and the score says how the name matched:
``SCORE_EXACT`` for the alias as written, ``SCORE_FOLDED`` for the same folded name
(:func:`~geo.gazetteer.normalize.fold`), about ``SCORE_KEY`` for the same sound
(:func:`~geo.gazetteer.normalize.phonetic_key`), at most ``FUZZY_WEIGHT`` for a near spelling.
One-name geocoding (:meth:`NameIndex.lookup`) and names in running text
(:mod:`geo.gazetteer.mentions`) read the same tables.
"""
from __future__ import annotations

from rapidfuzz import fuzz, process

from geo.gazetteer.normalize import fold, phonetic_key, script_of
from geo.gazetteer.places import ADMIN_LEVEL, Place
from geo.gazetteer.romanise import skeletons, vowelled_form, vowelled_forms

SCORE_EXACT = 1.0
SCORE_FOLDED = 0.97
SCORE_KEY = 0.9
FUZZY_WEIGHT = 0.85          # a fuzzy score (at most 0.85) is never above a phonetic-key match
FUZZY_MIN_RATIO = 84.0       # tested in tests/test_gazetteer.py (misspellings vs nonsense)
FUZZY_MIN_LENGTH = 5         # shorter names only match exactly or by key ("Said" is not "Sadr")
CLOSEST_MIN_RATIO = 40.0     # names listed as "closest" for an unresolved query
# A place matched with a lower score (a near spelling, not the name or its sound) waits for
# an analyst: the extractor and the importers send it to review.
LOW_MATCH_SCORE = 0.85
# A name met only through another script (a Latin spelling and an OSM Arabic name) is never
# certain: at most SCORE_CROSS (below LOW_MATCH_SCORE, so it is reviewed), graded by how
# alike the skeletons and the vowelled forms are; below CROSS_WEAK_SCORE the result says "weak".
SCORE_CROSS = 0.84
CROSS_WEAK_SCORE = 0.76
CROSS_MIN_SCORE = 0.71       # tested: English words and nonsense (Mordor 0.70) stay unmatched
CROSS_MIN_SKELETON = 2        # one consonant is no name
CROSS_FUZZY_MIN_SKELETON = 4  # a skeleton this long may differ by a letter (rapidfuzz ratio)
CROSS_MIN_RATIO = 80.0


def _add(table: dict[str, list[int]], key: str, index: int) -> None:
    """Append a place index under a key once."""
    if key:
        bucket = table.setdefault(key, [])
        if index not in bucket:
            bucket.append(index)


def _ranked(table: dict[str, list[int]], places: list[Place]) -> dict[str, tuple[int, ...]]:
    """Each key's places in tie-break order (:attr:`Place.rank`)."""
    return {k: tuple(sorted(v, key=lambda i: places[i].rank)) for k, v in table.items()}


def _best_of(*tables: dict[int, float]) -> dict[int, float]:
    """The union of scored tables, each place at its best score."""
    best: dict[int, float] = {}
    for table in tables:
        for i, score in table.items():
            if score > best.get(i, 0.0):
                best[i] = score
    return best


def _cross_script_tables(places: list[Place]) -> dict[str, tuple[dict[str, tuple[int, ...]], list[str], dict[int, tuple]]]:
    """Per script: skeleton -> place indexes, the skeletons as a list, and place index -> vowelled forms in that script."""
    tables: dict[str, tuple[dict[str, list[int]], dict[int, list[str]]]] = {"latin": ({}, {}), "arabic": ({}, {})}
    for place in places:
        for alias in place.aliases:
            script = script_of(alias)
            if script not in tables:
                continue
            table, forms = tables[script]
            for key in skeletons(alias):
                _add(table, key, place.index)
            forms.setdefault(place.index, []).extend(vowelled_forms(alias))
    return {script: (_ranked(table, places), sorted(table), {i: tuple(f) for i, f in forms.items()})
            for script, (table, forms) in tables.items()}


class NameIndex:
    """The lookup tables of one gazetteer's places, built once, read-only."""

    def __init__(self, places: list[Place]):
        self.places = places
        exact: dict[str, list[int]] = {}
        folded: dict[str, list[int]] = {}
        keyed: dict[str, list[int]] = {}
        self._first_tokens: set[str] = set()   # folded first words, to skip fast
        self._first_keys: set[str] = set()
        self._governorates: dict[str, int] = {}  # adm1 pcode -> place index
        self._units: dict[str, int] = {}         # any admin pcode -> place index
        for place in places:
            for alias in place.aliases:
                _add(exact, " ".join(alias.casefold().split()), place.index)
                folded_alias = fold(alias)
                _add(folded, folded_alias, place.index)
                _add(keyed, phonetic_key(alias), place.index)
                if folded_alias:
                    self._first_tokens.add(folded_alias.split()[0])
                    self._first_keys.add(phonetic_key(folded_alias.split()[0]))
            if place.kind in ADMIN_LEVEL:
                self._units[place.place_id] = place.index
                if place.kind == "governorate" and place.adm1_pcode:
                    self._governorates[place.adm1_pcode] = place.index
        self._exact, self._folded, self._keyed = _ranked(exact, places), _ranked(folded, places), _ranked(keyed, places)
        # script -> folded names, the choices of a fuzzy lookup (a name only meets its own script)
        self._fuzzy_names = {script: sorted({f for f in self._folded if script_of(f) == script})
                             for script in ("latin", "arabic")}
        self._by_id = {place.place_id: place.index for place in places}
        self._cross = _cross_script_tables(places)

    # ---- one table each ---------------------------------------------------------------------

    def exact(self, name: str) -> dict[int, float]:
        """Places whose alias equals ``name``, ignoring case (spacing already single)."""
        hits = self._exact.get(name.casefold())
        return {i: SCORE_EXACT for i in hits} if hits else {}

    def folded(self, folded_name: str) -> dict[int, float]:
        """Places with an alias that folds to ``folded_name`` (a name already passed through ``fold``)."""
        hits = self._folded.get(folded_name)
        return {i: SCORE_FOLDED for i in hits} if hits else {}

    def by_key(self, key: str, folded_name: str) -> dict[int, float]:
        """Places whose alias has the phonetic ``key``, closest spelling to ``folded_name`` first.

        A key match is certain only about the sound; the spelling ratio to the place's
        nearest alias breaks ties (Hawijja is nearer Hawija than Hajiawa).
        """
        hits = self._keyed.get(key)
        if not hits:
            return {}
        scores = {}
        for i in hits:
            ratio = max(fuzz.ratio(folded_name, alias) for alias in self.places[i].folded_aliases)
            scores[i] = round(SCORE_KEY - 0.05 * (1 - ratio / 100), 4)
        return scores

    def fuzzy(self, folded_name: str, limit: int = 8, min_ratio: float = FUZZY_MIN_RATIO) -> dict[int, float]:
        """Near spellings by rapidfuzz ratio on folded names of the same script.

        Only the folded name is compared: vowel and transliteration variants are already
        caught by the phonetic key, and a ratio between two short keys is too loose.
        """
        if len(folded_name.replace(" ", "")) < FUZZY_MIN_LENGTH:
            return {}
        script = script_of(folded_name)
        if script not in ("latin", "arabic"):
            return {}
        found: dict[int, float] = {}
        for choice, ratio, _ in process.extract(folded_name, self._fuzzy_names[script], scorer=fuzz.ratio,
                                                limit=limit, score_cutoff=min_ratio):
            for i in self._folded[choice]:
                found[i] = max(found.get(i, 0.0), round(FUZZY_WEIGHT * ratio / 100, 4))
        return found

    def cross_script(self, name: str) -> dict[int, float]:
        """Places named in the other script whose consonant skeleton matches (see :mod:`~geo.gazetteer.romanise`).

        A Latin query meets Arabic and Sorani aliases, an Arabic-script query meets Latin
        ones. Equal skeletons are looked up in a dict; when none is equal, skeletons of four
        or more consonants may differ by about a letter (rapidfuzz ratio). The score is ``SCORE_CROSS``
        times the mean of the skeleton ratio and the ratio of the vowelled forms.
        """
        script = script_of(name)
        if script not in ("latin", "arabic") or len(fold(name).replace(" ", "")) < FUZZY_MIN_LENGTH:
            return {}
        table, keys, forms = self._cross["arabic" if script == "latin" else "latin"]
        ratios: dict[int, float] = {}
        for key in skeletons(name):
            if len(key) < CROSS_MIN_SKELETON:
                continue
            matches = [(key, 100.0)] if key in table else []
            if not matches and len(key) >= CROSS_FUZZY_MIN_SKELETON:
                matches += [(k, r) for k, r, _ in process.extract(key, keys, scorer=fuzz.ratio, limit=6,
                                                                  score_cutoff=CROSS_MIN_RATIO) if k != key]
            for found_key, ratio in matches:
                for i in table[found_key]:
                    ratios[i] = max(ratios.get(i, 0.0), ratio)
        query_form = vowelled_form(name)
        scores = {}
        for i, skeleton_ratio in ratios.items():
            vowel_ratio = max(fuzz.ratio(query_form, form) for form in forms[i])
            score = round(SCORE_CROSS * (skeleton_ratio + vowel_ratio) / 200, 4)
            if score >= CROSS_MIN_SCORE:
                scores[i] = score
        return scores

    # ---- one bare name ----------------------------------------------------------------------

    def lookup(self, name: str) -> dict[int, float]:
        """Place index -> best score for one bare name: exact, else folded, else by key, else fuzzy and cross-script."""
        found = self.exact(name)
        if found:
            return found
        folded_name = fold(name)
        found = self.folded(folded_name)
        if found:
            return found
        key = phonetic_key(name)
        found = self.by_key(key, folded_name) if len(key) >= 3 else {}
        if found:
            return found
        return _best_of(self.fuzzy(folded_name), self.cross_script(name))

    def near_names(self, name: str) -> dict[int, float]:
        """Every candidate that is not the name as written: by key, fuzzy and cross-script (best score each).

        Context may prefer one of these to an exact match elsewhere (see
        :func:`geo.gazetteer.match.prefer_context`), so they are all gathered.
        """
        folded_name = fold(name)
        key = phonetic_key(name)
        by_key = self.by_key(key, folded_name) if len(key) >= 3 else {}
        return _best_of(by_key, self.fuzzy(folded_name), self.cross_script(name))

    def may_start_name(self, folded_word: str, key: str) -> bool:
        """False when no alias begins with this word (folded) or its key: a fast skip in running text."""
        return folded_word in self._first_tokens or key in self._first_keys

    # ---- places by id -----------------------------------------------------------------------

    def place(self, place_id: str) -> Place:
        """The place with this gazetteer id (a ``GeocodeResult.place_id``)."""
        return self.places[self._by_id[place_id]]

    def unit(self, pcode: str) -> Place | None:
        """The governorate, district or sub-district with this pcode, if the gazetteer has it."""
        i = self._units.get(pcode)
        return self.places[i] if i is not None else None

    def governorate(self, adm1_pcode: str) -> Place | None:
        """The governorate with this ADM1 pcode, if the gazetteer has it."""
        i = self._governorates.get(adm1_pcode)
        return self.places[i] if i is not None else None
