"""After the boundary join: never finer than the file says, and flag where the file's admin names disagree.

Both work on the joined frame and its extra columns, so every importer shares them:
``finest_admin_level`` (set by an importer, e.g. UCDP's where_prec 3 = a district) and
``extra`` (the JSON of what the file said: its admin1, admin2, ...).
"""
from __future__ import annotations

import json
import re

import pandas as pd
from rapidfuzz import fuzz

from geo.gazetteer.normalize import fold, phonetic_key
from incidents.schema import join_reasons
from incidents.scope import KIRKUK, NEIGHBOURS, REGIONS, in_region

FINEST_ADMIN_LEVEL = "finest_admin_level"  # extra column: the finest ADM level the file states (1-3), NA = any
# Two spellings of one unit: the same sound key, or folded names this alike ("Hawija" and
# "Al-Hawiga" score 83; "Kirkuk" and "Daquq" 18; "Salah al-Din" and "Kirkuk" 0).
SAME_NAME_MIN_RATIO = 80
# The regions an import can be kept within (``--within``); without one every row is kept.
WITHIN_REGIONS = {KIRKUK: REGIONS[KIRKUK], NEIGHBOURS: REGIONS[NEIGHBOURS]}
# Words files add to a unit's name (UCDP's "Kirkuk province", "Hawija district").
_UNIT_WORDS = re.compile(r"\b(province|governorate|muhafazat|district|qadha|qada|sub-district|subdistrict|nahiya|city)\b", re.I)


def same_admin_name(ours: str, theirs: str) -> bool:
    """True when two names of an admin unit are spellings of one name.

    >>> same_admin_name("Al-Hawiga", "Hawija"), same_admin_name("Kirkuk", "Kirkuk province"), same_admin_name("Daquq", "Kirkuk")
    (True, True, False)
    """
    ours, theirs = _UNIT_WORDS.sub(" ", ours).strip(), _UNIT_WORDS.sub(" ", theirs).strip()
    if phonetic_key(ours) == phonetic_key(theirs):
        return True
    return fuzz.ratio(fold(ours), fold(theirs)) >= SAME_NAME_MIN_RATIO


def limit_admin_levels(joined: pd.DataFrame) -> pd.DataFrame:
    """A copy without admin units finer than each row's ``finest_admin_level`` (UCDP where_prec 3-7).

    A district-level event whose point falls in a sub-district is not placed in it.
    """
    if FINEST_ADMIN_LEVEL not in joined:
        return joined
    result = joined.copy()
    finest = pd.to_numeric(result[FINEST_ADMIN_LEVEL], errors="coerce")
    for level in (2, 3):
        too_fine = (finest < level).fillna(False).to_numpy(dtype=bool)
        for column in (f"adm{level}_pcode", f"admin{level}"):
            if column in result:
                result.loc[too_fine, column] = pd.NA
    return result


def admin_disagreement(extra: object, admin1: object, admin2: object) -> str | None:
    """The review reason when the file's admin1/admin2 name other units than the join found, else None.

    >>> admin_disagreement('{"admin1": "Salah al-Din"}', "Kirkuk", "Daquq")
    "the file says admin1 'Salah al-Din' but the point lies in Kirkuk"
    >>> admin_disagreement('{"admin1": "Kirkuk", "admin2": "Kirkuk"}', "Kirkuk", "Kirkuk") is None
    True
    """
    if not isinstance(extra, str) or not extra:
        return None
    try:
        said = json.loads(extra)
    except ValueError:
        return None
    if not isinstance(said, dict):
        return None
    for key, found in (("admin1", admin1), ("admin2", admin2)):
        theirs = said.get(key)
        if isinstance(theirs, str) and theirs.strip() and isinstance(found, str) and found:
            if not same_admin_name(found, theirs):
                return f"the file says {key} {theirs!r} but the point lies in {found}"
    return None


def flag_admin_disagreements(joined: pd.DataFrame) -> pd.DataFrame:
    """A copy where rows whose file names another governorate or district than the join get a review reason."""
    if "extra" not in joined or not joined["extra"].notna().any():
        return joined
    result = joined.copy()
    has_point = result["latitude"].notna() & result["longitude"].notna()
    for index in result.index[(has_point & result["extra"].notna()).to_numpy(dtype=bool)]:
        reason = admin_disagreement(result.at[index, "extra"], result.at[index, "admin1"], result.at[index, "admin2"])
        if reason:
            result.at[index, "review_reasons"] = join_reasons(result.at[index, "review_reasons"], [reason])
            result.at[index, "needs_review"] = True
    return result


def keep_within(located: pd.DataFrame, within: str | None) -> tuple[pd.DataFrame, int]:
    """The located rows inside ``within`` (one of WITHIN_REGIONS; None keeps all) and how many were skipped.

    A row whose governorate is unknown (no point, no ADM1 pcode) is kept: it may be in Kirkuk,
    and it waits for review like any unplaced incident. Skipped rows are not rejects: they are valid,
    only elsewhere.

    >>> rows = pd.DataFrame({"in_kirkuk": [True, False, None], "adm1_pcode": ["IQG13", None, None],
    ...     "latitude": [35.47, 33.31, None], "longitude": [44.39, 44.37, None]})
    >>> kept, skipped = keep_within(rows, "kirkuk")
    >>> len(kept), skipped
    (2, 1)
    """
    if within is None:
        return located, 0
    if within not in WITHIN_REGIONS:
        raise ValueError(f"Unknown region {within!r}; choose one of: {', '.join(WITHIN_REGIONS)}.")
    inside = in_region(located, within)
    return located[inside.to_numpy(dtype=bool)], int((~inside).sum())
