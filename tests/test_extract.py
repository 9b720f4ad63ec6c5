"""Report text -> incidents: the seed report (read from ../shared/seed) and the test corpus."""
from __future__ import annotations

import json
import re
from datetime import date
from types import SimpleNamespace

import pandas as pd
import pytest

from geo.gazetteer import GeocodeResult, load_gazetteer
from reports.extract import extract_incidents
from incidents.schema import validation_problems
from reports.sentences import find_dateline, split_sentences
from tests.conftest import SHARED_SEED_DIR, TEST_DATA

REPORTS_DIR = TEST_DATA / "reports"
SEED_REPORT = SHARED_SEED_DIR / "000_2f92e663109994ae.txt"
SEED_URL = "https://en.964media.com/26485"

# A tiny stand-in for geo.gazetteer: (name, kind, lat, lon, precision, adm1, adm2, adm3).
_PLACES = {
    "qarahanjir": ("Qarahanjir", "sub-district", 35.47243, 44.63235, 2, "IQG13", "IQG13Q04", "IQG13Q04N07"),
    "laylan": ("Laylan", "sub-district", 35.28318, 44.59579, 2, "IQG13", "IQG13Q04", "IQG13Q04N02"),
    "kirkuk": ("Kirkuk", "city", 35.4681, 44.3922, 1, "IQG13", "IQG13Q04", "IQG13Q04N06"),
    "kirkuk governorate": ("Kirkuk governorate", "governorate", 35.28781, 44.06113, 3, "IQG13", None, None),
    "hawija": ("Hawija", "town", 35.3290, 43.7740, 1, "IQG13", "IQG13Q01", "IQG13Q01N01"),
    "tuz khurmatu": ("Tuz Khurmatu", "town", 34.8856, 44.6326, 1, "IQG16", "IQG16Q07", "IQG16Q07N02"),
}


class StubGazetteer:
    """Knows a handful of places (real GeocodeResults); enough to test the extractor without the full gazetteer."""

    def geocode(self, text: str, context: str | None = None) -> GeocodeResult:
        key = re.sub(r"^(?:the )|(?: (?:sub-district|district|province|governorate))?(?: of kirkuk)?$", "", text.strip().lower())
        key = "kirkuk governorate" if text.strip().lower() in ("kirkuk governorate", "kirkuk province") else key
        row = _PLACES.get(key)
        if row is None:
            return GeocodeResult(query=text, matched=False, name=None, latitude=None, longitude=None, geo_precision=3,
                                   adm1_pcode=None, adm2_pcode=None, adm3_pcode=None, admin1=None, admin2=None,
                                   admin3=None, in_kirkuk=False, score=0.0, reason="not in the gazetteer", kind=None)
        name, kind, lat, lon, precision, adm1, adm2, adm3 = row
        return GeocodeResult(query=text, matched=True, name=name, kind=kind, latitude=lat, longitude=lon,
                               geo_precision=precision, adm1_pcode=adm1, adm2_pcode=adm2, adm3_pcode=adm3,
                               admin1="Kirkuk" if adm1 == "IQG13" else "Salah Al-Din", admin2=None, admin3=None,
                               in_kirkuk=adm1 == "IQG13", score=1.0, reason="")

    def find_mentions(self, text: str) -> list[SimpleNamespace]:
        pattern = r"\b(?:the )?(Qarahanjir|Laylan|Hawija|Tuz Khurmatu|Kirkuk)(?: (?:sub-district|district))?(?: of Kirkuk)?\b"
        found = []
        for match in re.finditer(pattern, text):
            found.append(SimpleNamespace(start=match.start(), end=match.end(), surface=match.group(0),
                                         result=self.geocode(match.group(1))))
        return found


@pytest.fixture(scope="module")
def stub() -> StubGazetteer:
    return StubGazetteer()


@pytest.fixture(scope="module")
def seed_incidents(stub) -> pd.DataFrame:
    if not SEED_REPORT.exists():
        pytest.skip(f"the seed report is not at {SEED_REPORT}")
    return extract_incidents(SEED_REPORT.read_text(encoding="utf-8"), stub, date(2024, 10, 18), SEED_URL)


def test_the_seed_report_yields_exactly_three_incidents(seed_incidents):
    assert sorted(seed_incidents["event_date"]) == ["2024-07-14", "2024-10-15", "2024-10-17"]


def test_the_seed_main_clash_is_a_week_with_its_date_conflict_flagged(seed_incidents):
    clash = seed_incidents.set_index("event_date").loc["2024-10-17"]
    assert clash["time_precision"] == 2
    assert "conflicting dates" in clash["review_reasons"]
    assert "2024-10-16" in clash["review_reasons"] and "2024-10-18" in clash["review_reasons"]
    assert bool(clash["needs_review"])


def test_the_seed_main_clash_counts_the_stated_dead_and_flags_the_vague_ones(seed_incidents):
    clash = seed_incidents.set_index("event_date").loc["2024-10-17"]
    assert (clash["fatalities"], clash["wounded"], clash["killed_security_forces"]) == (1, 2, 1)
    assert "vague casualties" in clash["review_reasons"]
    assert (clash["event_type"], clash["sub_event_type"]) == ("Battles", "Armed clash")
    assert (clash["actor1"], clash["actor2"]) == ("Kurdistan Region Security (Asayish)", "Islamic State")


def test_the_seed_main_clash_is_placed_in_the_governorate_only(seed_incidents):
    clash = seed_incidents.set_index("event_date").loc["2024-10-17"]
    assert (clash["adm1_pcode"], clash["geo_precision"]) == ("IQG13", 3)
    assert pd.isna(clash["adm3_pcode"])


def test_the_seed_qarahanjir_incident(seed_incidents):
    row = seed_incidents.set_index("event_date").loc["2024-07-14"]
    assert (row["adm3_pcode"], row["time_precision"]) == ("IQG13Q04N07", 1)
    assert (row["fatalities"], row["killed_security_forces"], row["killed_militants"]) == (2, 1, 1)
    assert (row["wounded"], row["arrested"]) == (1, 1)
    assert row["sub_event_type"] == "Armed clash"
    assert not row["needs_review"]


def test_the_seed_laylan_incident(seed_incidents):
    row = seed_incidents.set_index("event_date").loc["2024-10-15"]
    assert row["adm3_pcode"] == "IQG13Q04N02"
    assert (row["fatalities"], row["killed_militants"]) == (4, 4)
    assert (row["event_type"], row["sub_event_type"]) == ("Explosions/Remote violence", "Air/drone strike")
    assert (row["actor1"], row["actor2"]) == ("Iraqi security forces", "Islamic State")
    assert not row["needs_review"]


def test_the_seed_incidents_keep_their_sentences_and_are_schema_valid(seed_incidents):
    assert validation_problems(seed_incidents).empty
    assert seed_incidents["source_sentences"].str.len().gt(0).all()
    assert not seed_incidents["source_sentences"].str.contains("United Nations|Prime Minister").any()


def test_without_a_publication_date_relative_dates_stay_unresolved(stub):
    incidents = extract_incidents("Two soldiers were killed in Hawija on Friday when ISIS militants attacked their post.", stub)
    assert len(incidents) == 1
    assert pd.isna(incidents.loc[0, "event_date"])
    assert "unresolved date" in incidents.loc[0, "review_reasons"]


def test_a_report_with_no_event_yields_no_incidents(stub):
    text = "The governor said security in Kirkuk has improved. Officials estimated that 200 militants remain."
    assert extract_incidents(text, stub, date(2024, 1, 1)).empty


def test_a_report_placed_outside_kirkuk_is_kept_and_flagged(stub):
    incidents = extract_incidents("A roadside bomb wounded three soldiers in Tuz Khurmatu on Monday.", stub, date(2024, 3, 6))
    assert incidents.loc[0, "in_kirkuk"] == False  # noqa: E712 (pandas boolean)
    assert "outside Kirkuk" in incidents.loc[0, "review_reasons"]
    assert incidents.loc[0, "event_date"] == "2024-03-04"


def test_headlines_are_not_sentences_and_datelines_are_blanked():
    headlines, sentences = split_sentences("Two killed in Hawija\n\nHAWIJA — Two men were killed. Police said so.\n")
    assert headlines == ["Two killed in Hawija"]
    assert [s.text for s in sentences] == ["HAWIJA — Two men were killed.", "Police said so."]
    place, blanked = find_dateline("HAWIJA — Two men were killed.")
    assert place == "HAWIJA" and blanked.strip() == "Two men were killed."


# ---- the corpus, with the real gazetteer -------------------------------------------------

# Reports the extractor gets wrong today, and why; strict xfail, so a fix shows up as XPASS.
KNOWN_MISSES: dict[str, str] = {}
CORPUS = sorted(p.stem for p in REPORTS_DIR.glob("*.txt"))


@pytest.fixture(scope="module")
def gazetteer():
    return load_gazetteer()


def test_the_corpus_has_at_least_30_reports_each_with_an_answer():
    assert len(CORPUS) >= 30
    assert all((REPORTS_DIR / f"{name}.expected.json").exists() for name in CORPUS)


@pytest.mark.parametrize(
    "name",
    [pytest.param(n, marks=pytest.mark.xfail(reason=KNOWN_MISSES[n], strict=True)) if n in KNOWN_MISSES else n for n in CORPUS],
)
def test_corpus_report(name, gazetteer):
    from bench.extraction import FIELDS, score_report

    answer = json.loads((REPORTS_DIR / f"{name}.expected.json").read_text(encoding="utf-8"))
    text = (REPORTS_DIR / f"{name}.txt").read_text(encoding="utf-8")
    published = date.fromisoformat(answer["published"]) if answer["published"] else None
    found = extract_incidents(text, gazetteer, published, answer["url"])
    assert validation_problems(found).empty
    records = found.astype(object).where(found.notna(), None).to_dict("records")
    score = score_report(answer["incidents"], records)
    assert score["found"] == score["expected"]
    assert {f: score[f] for f in FIELDS} == dict.fromkeys(FIELDS, score["expected"])


def test_the_seed_report_with_the_real_gazetteer(gazetteer):
    if not SEED_REPORT.exists():
        pytest.skip(f"the seed report is not at {SEED_REPORT}")
    found = extract_incidents(SEED_REPORT.read_text(encoding="utf-8"), gazetteer, date(2024, 10, 18), SEED_URL)
    by_date = found.set_index("event_date")
    assert sorted(by_date.index) == ["2024-07-14", "2024-10-15", "2024-10-17"]
    assert by_date.loc["2024-07-14", "adm3_pcode"] == "IQG13Q04N07"
    assert by_date.loc["2024-10-15", "adm3_pcode"] == "IQG13Q04N02"
    assert (by_date.loc["2024-10-17", "adm1_pcode"], by_date.loc["2024-10-17", "geo_precision"]) == ("IQG13", 3)
    assert list(by_date.loc[["2024-10-17", "2024-07-14", "2024-10-15"], "fatalities"]) == [1, 2, 4]
    assert "conflicting dates" in by_date.loc["2024-10-17", "review_reasons"]


def test_the_benchmark_measures_the_extractor_against_the_baseline(gazetteer):
    from bench.extraction import measure_extraction

    runs = measure_extraction(gazetteer, REPORTS_DIR, repeat=1)
    extractor, baseline = runs["extractor"]["summary"], runs["baseline"]["summary"]
    assert extractor["reports"] == len(CORPUS) and extractor["reports_per_second"] > 0
    for field in ("place", "date", "fatalities"):
        assert extractor[f"{field}_accuracy"] >= 0.9
        assert extractor[f"{field}_accuracy"] > baseline[f"{field}_accuracy"]


# ---- real-report behaviours, on our own reports in the shape of real ones ---------------------

REAL_FORMAT = TEST_DATA / "real_reports"


def _real(report_id: str) -> dict:
    return json.loads((REAL_FORMAT / f"{report_id}.json").read_text(encoding="utf-8"))


def _extract_real(report_id: str, gazetteer) -> pd.DataFrame:
    report = _real(report_id)
    published = date.fromisoformat(report["published"]) if report["published"] else None
    return extract_incidents(report["text"], gazetteer, published, report["url"])


@pytest.mark.parametrize("report_id", sorted(p.stem for p in REAL_FORMAT.glob("*.json")))
def test_the_main_incident_comes_first_and_matches_the_truth(report_id, gazetteer):
    found, truth = _extract_real(report_id, gazetteer), _real(report_id)["truth"]
    assert validation_problems(found).empty
    assert list(found["is_main_incident"]) == [True] + [False] * (len(found) - 1)
    main = found.iloc[0]
    assert main["adm1_pcode"] == truth["adm1_pcode"]
    if truth["in_kirkuk"]:  # outside Kirkuk the truth gives the governorate only
        assert (_none(main["adm2_pcode"]), _none(main["adm3_pcode"])) == (truth["adm2_pcode"], truth["adm3_pcode"])
    assert _none(main["fatalities"]) in (truth["killed"], 0 if truth["killed"] is None else truth["killed"])
    assert main["event_date"] == truth["event_date"] and main["event_type"] == truth["event_type"]


def _none(value):
    return None if pd.isna(value) else value


def test_page_chrome_and_the_dateline_are_not_the_incident(gazetteer):
    main = _extract_real("r01", gazetteer).iloc[0]  # header date 2024, caption in Hawija, dateline ERBIL
    assert (main["location"], main["geo_precision"], main["wounded"]) == ("Shorja", 2, 11)
    assert "ERBIL" not in main["source_sentences"] and "214" not in main["source_sentences"]


def test_north_of_kirkuk_is_near_the_city_in_no_one_district(gazetteer):
    main = _extract_real("r03", gazetteer).iloc[0]
    assert (main["geo_precision"], main["fatalities"]) == (2, 3)  # two policemen and a civilian
    assert pd.isna(main["adm2_pcode"]) and "claimed by the attackers" in main["review_reasons"]  # the nine are theirs


def test_a_province_given_to_a_town_outside_it_is_a_review_reason(gazetteer):
    main = _extract_real("r02", gazetteer).iloc[0]
    assert main["in_kirkuk"] == False  # noqa: E712 (pandas boolean)
    assert "the text puts Tuz Khurmatu in Kirkuk" in main["review_reasons"]


def test_the_toll_only_the_headline_gives_is_the_incidents(gazetteer):
    assert _extract_real("r05", gazetteer).iloc[0]["fatalities"] == 12
