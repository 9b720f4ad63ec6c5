"""The held-out report set is well-formed and the held-out measure runs.

These tests say nothing about how accurate the extractor is: that is what
``python -m bench.heldout`` reports, and it must not be tuned against.
"""
from __future__ import annotations

import json
import re
from datetime import date
from pathlib import Path

import pytest

from bench.heldout import DEFAULT_REPORTS_DIR, FIELDS, measure_heldout

HELDOUT = DEFAULT_REPORTS_DIR
ROOT = Path(__file__).resolve().parents[1]

EVENT_TYPES = {
    "Battles": {"Armed clash", "Government regains territory", "Non-state actor overtakes territory"},
    "Explosions/Remote violence": {
        "Air/drone strike",
        "Remote explosive/landmine/IED",
        "Shelling/artillery/missile attack",
        "Suicide bomb",
        "Grenade",
    },
    "Violence against civilians": {"Attack", "Abduction/forced disappearance"},
    "Strategic developments": {"Arrests", "Looting/property destruction", "Other"},
}
INCIDENT_KEYS = {
    "event_date", "time_precision", "event_type", "sub_event_type", "adm1_pcode", "adm2_pcode",
    "adm3_pcode", "geo_precision", "fatalities", "wounded", "needs_review",
}
PCODE = {1: re.compile(r"^IQG\d\d$"), 2: re.compile(r"^IQG\d\dQ\d\d$"), 3: re.compile(r"^IQG\d\dQ\d\dN\d\d$")}


def _reports() -> list[Path]:
    return sorted(HELDOUT.glob("*.txt"))


def _known_pcodes() -> set[str]:
    import csv

    with open(ROOT / "data" / "gazetteer.csv", encoding="utf-8") as fh:
        return {code for row in csv.DictReader(fh) for code in (row["adm1_pcode"], row["adm2_pcode"], row["adm3_pcode"]) if code}


def test_there_are_at_least_24_reports():
    assert len(_reports()) >= 24


@pytest.mark.parametrize("txt", _reports(), ids=lambda p: p.stem)
def test_report_is_well_formed(txt: Path):
    assert re.match(r"^\d{3}_[a-z0-9_]+$", txt.stem)
    words = len(txt.read_text(encoding="utf-8").split())
    assert 80 <= words <= 250, words
    exp_path = txt.with_name(txt.stem + ".expected.json")
    assert exp_path.exists()
    exp = json.loads(exp_path.read_text(encoding="utf-8"))
    assert set(exp) == {"published", "url", "incidents"}
    if exp["published"] is not None:
        date.fromisoformat(exp["published"])
    assert exp["url"].startswith("https://example.org/")
    assert isinstance(exp["incidents"], list)
    known = _known_pcodes()
    for inc in exp["incidents"]:
        assert set(inc) == INCIDENT_KEYS
        if inc["event_date"] is not None:
            day = date.fromisoformat(inc["event_date"])
            if inc["time_precision"] == 3:
                assert day.day == 15
            if exp["published"] is not None:
                assert day <= date.fromisoformat(exp["published"])
        else:
            assert inc["needs_review"] is True
        assert inc["time_precision"] in (1, 2, 3)
        assert inc["geo_precision"] in (1, 2, 3)
        assert inc["sub_event_type"] in EVENT_TYPES[inc["event_type"]]
        for level in (1, 2, 3):
            code = inc[f"adm{level}_pcode"]
            if code is not None:
                assert PCODE[level].match(code), code
                assert code in known, code
        assert inc["adm1_pcode"] is not None
        if inc["adm2_pcode"]:
            assert inc["adm2_pcode"].startswith(inc["adm1_pcode"])
        if inc["adm3_pcode"]:
            assert inc["adm2_pcode"] and inc["adm3_pcode"].startswith(inc["adm2_pcode"])
        if inc["geo_precision"] in (1, 2):
            assert inc["adm3_pcode"] is not None
        else:
            assert inc["adm3_pcode"] is None
        if inc["adm1_pcode"] != "IQG13":
            assert inc["needs_review"] is True
        for key in ("fatalities", "wounded"):
            assert inc[key] is None or (isinstance(inc[key], int) and inc[key] >= 0)
        assert isinstance(inc["needs_review"], bool)


def test_every_expected_file_has_a_report():
    for exp in HELDOUT.glob("*.expected.json"):
        assert exp.with_name(exp.name.replace(".expected.json", ".txt")).exists()


def test_measure_heldout_gives_fractions():
    from geo.gazetteer import load_gazetteer

    result = measure_heldout(load_gazetteer(), HELDOUT)
    assert result["reports"] == len(_reports())
    assert set(result["accuracy"]) == set(FIELDS)
    for field, value in result["accuracy"].items():
        assert 0.0 <= value <= 1.0, field
        assert 0 <= result["correct"][field] <= result["total"][field]
