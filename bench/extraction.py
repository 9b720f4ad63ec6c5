"""Benchmark of report extraction: reports per second and accuracy on the test corpus.

Run ``python -m bench.extraction [REPORTS_DIR]``. Each report ``NNN_slug.txt`` in the
corpus has a sibling ``NNN_slug.expected.json`` with the incidents an analyst would code.
The extractor is compared with a naive baseline measured in the same run: one incident
per report, the first "N killed", the first place the gazetteer finds, the first date.
"""
from __future__ import annotations

import json
import re
import sys
import time
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any, Callable

import pandas as pd

from reports.casualties import parse_number
from reports.dates import find_dates, parse_published
from reports.extract import extract_incidents, extract_records

REPO_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_REPORTS_DIR = REPO_ROOT / "tests" / "data" / "reports"
FIELDS = ("place", "date", "fatalities", "type", "review")


@dataclass(frozen=True)
class Report:
    """One corpus report with its expected incidents."""

    name: str
    text: str
    published: date | None
    url: str | None
    expected: list[dict[str, Any]]


def read_corpus(reports_dir: Path) -> list[Report]:
    """Every report of a corpus directory with its expected answer, in name order."""
    reports = []
    for path in sorted(Path(reports_dir).glob("*.txt")):
        answer_path = path.with_suffix(".expected.json")
        if not answer_path.exists():
            raise FileNotFoundError(f"{path.name} has no expected answer: write {answer_path.name} beside it.")
        answer = json.loads(answer_path.read_text(encoding="utf-8"))
        reports.append(
            Report(path.stem, path.read_text(encoding="utf-8"), parse_published(answer.get("published")),
                   answer.get("url"), answer["incidents"])
        )
    return reports


def _same(a: object, b: object) -> bool:
    missing_a = a is None or (isinstance(a, float) and a != a) or a is pd.NA
    missing_b = b is None or (isinstance(b, float) and b != b) or b is pd.NA
    if missing_a or missing_b:
        return missing_a and missing_b
    return str(a) == str(b)


def field_matches(expected: dict[str, Any], found: dict[str, Any]) -> dict[str, bool]:
    """Which fields of one extracted incident agree with the expected one.

    place: the pcode at the level the answer gives (and geo_precision when it gives one);
    date: event_date and time_precision; fatalities: equal, or both unstated;
    type: sub_event_type; review: needs_review.
    """
    level = next((k for k in ("adm3_pcode", "adm2_pcode", "adm1_pcode") if k in expected), None)
    place = level is not None and _same(expected[level], found.get(level))
    if place and "geo_precision" in expected and expected["geo_precision"] is not None:
        place = _same(expected["geo_precision"], found.get("geo_precision"))
    date_ok = _same(expected.get("event_date"), found.get("event_date"))
    if date_ok and expected.get("time_precision") is not None:
        date_ok = _same(expected["time_precision"], found.get("time_precision"))
    return {
        "place": place,
        "date": date_ok,
        "fatalities": _same(expected.get("fatalities"), found.get("fatalities")),
        "type": _same(expected.get("sub_event_type"), found.get("sub_event_type")),
        "review": bool(expected.get("needs_review")) == bool(found.get("needs_review")),
    }


def score_report(expected: list[dict[str, Any]], found: list[dict[str, Any]]) -> dict[str, Any]:
    """Pair expected and extracted incidents (best agreement first) and count agreeing fields.

    Returns counts: expected, found, matched, and per field the number right; an expected
    incident with no partner counts as wrong in every field.
    """
    pairs = []
    for i, e in enumerate(expected):
        for j, f in enumerate(found):
            pairs.append((sum(field_matches(e, f).values()), -abs(i - j), i, j))
    used_e: set[int] = set()
    used_f: set[int] = set()
    right = dict.fromkeys(FIELDS, 0)
    for _, _, i, j in sorted(pairs, reverse=True):
        if i in used_e or j in used_f:
            continue
        used_e.add(i)
        used_f.add(j)
        for name, ok in field_matches(expected[i], found[j]).items():
            right[name] += int(ok)
    return {"expected": len(expected), "found": len(found), "matched": len(used_e)} | right


def baseline_extract(text: str, gazetteer: Any, published: date | None) -> list[dict[str, Any]]:
    """The naive extractor: one incident, first "N killed", first gazetteer place, first date."""
    killed = re.search(r"\b(?P<count>\d+|one|two|three|four|five|six|seven|eight|nine|ten|a dozen)\s+(?:\w+\s+){0,3}(?:were |was )?(?:killed|dead)", text, re.IGNORECASE)
    mentions = [m for m in gazetteer.find_mentions(text) if m.result.matched]
    dates = [d for d in find_dates(text, published) if d.date is not None]
    place = mentions[0].result if mentions else None
    return [{
        "event_date": dates[0].date.isoformat() if dates else None,
        "time_precision": dates[0].precision if dates else None,
        "fatalities": (parse_number(killed.group("count")) or 0) if killed else 0,
        "adm1_pcode": getattr(place, "adm1_pcode", None),
        "adm2_pcode": getattr(place, "adm2_pcode", None),
        "adm3_pcode": getattr(place, "adm3_pcode", None),
        "geo_precision": getattr(place, "geo_precision", None),
        "sub_event_type": "Armed clash",
        "needs_review": False,
    }]


def _records(incidents: pd.DataFrame) -> list[dict[str, Any]]:
    return incidents.astype(object).where(incidents.notna(), None).to_dict("records")


def _run(reports: list[Report], extract: Callable[[Report], list[dict[str, Any]]]) -> dict[str, Any]:
    totals: dict[str, Any] = {"expected": 0, "found": 0, "matched": 0} | dict.fromkeys(FIELDS, 0)
    per_report = []
    started = time.perf_counter()
    results = [(report, extract(report)) for report in reports]
    seconds = time.perf_counter() - started
    for report, found in results:
        score = score_report(report.expected, found)
        per_report.append({"report": report.name} | score)
        for key in totals:
            totals[key] += score[key]
    expected = max(totals["expected"], 1)
    summary = {
        "reports": len(reports),
        "seconds": seconds,
        "reports_per_second": len(reports) / seconds if seconds else float("inf"),
        "incidents_expected": totals["expected"],
        "incidents_found": totals["found"],
        "incidents_matched": totals["matched"],
        # Accuracy per field over the expected incidents (an unmatched one is wrong everywhere).
        **{f"{name}_accuracy": totals[name] / expected for name in FIELDS},
        # Reports whose incident count is exactly right (catches extra and missing incidents).
        "count_accuracy": sum(r["expected"] == r["found"] for r in per_report) / max(len(reports), 1),
    }
    return {"summary": summary, "per_report": per_report}


def measure_extraction(gazetteer: Any, reports_dir: Path = DEFAULT_REPORTS_DIR, repeat: int = 3) -> dict[str, Any]:
    """Reports per second and accuracy (place, date, fatalities, type, review) of the extractor and the baseline.

    ``repeat`` runs the corpus several times for the speed figure (the best run counts).
    """
    reports = read_corpus(reports_dir)
    runs = {}
    for label, extract in (
        ("extractor", lambda r: _records(extract_incidents(r.text, gazetteer, r.published, r.url))),
        # The same extractor without building a conformed frame per report (batch use).
        ("records", lambda r: extract_records(r.text, gazetteer, r.published, r.url)),
        ("baseline", lambda r: baseline_extract(r.text, gazetteer, r.published)),
    ):
        best = None
        for _ in range(max(repeat, 1)):
            run = _run(reports, extract)
            if best is None or run["summary"]["seconds"] < best["summary"]["seconds"]:
                best = run
        runs[label] = best
    return runs


def format_table(runs: dict[str, Any]) -> str:
    """A plain-text table of the summaries, one column per extractor."""
    rows = ["reports", "incidents_expected", "incidents_found", "incidents_matched", "count_accuracy",
            *[f"{name}_accuracy" for name in FIELDS], "reports_per_second"]
    labels = list(runs)
    lines = [f"{'measure':<22}" + "".join(f"{label:>12}" for label in labels)]
    for row in rows:
        cells = []
        for label in labels:
            value = runs[label]["summary"][row]
            cells.append(f"{value:>12.1%}" if row.endswith("accuracy") else f"{value:>12.1f}" if isinstance(value, float) else f"{value:>12}")
        lines.append(f"{row:<22}" + "".join(cells))
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    """Print the benchmark table for a corpus directory (default: tests/data/reports)."""
    from geo.gazetteer import load_gazetteer

    args = sys.argv[1:] if argv is None else argv
    reports_dir = Path(args[0]) if args else DEFAULT_REPORTS_DIR
    runs = measure_extraction(load_gazetteer(), reports_dir)
    print(format_table(runs))
    misses = [r for r in runs["extractor"]["per_report"] if any(r[f] < r["expected"] for f in FIELDS) or r["found"] != r["expected"]]
    if misses:
        print("\nReports where the extractor differs from the expected answer:")
        for r in misses:
            wrong = [f for f in FIELDS if r[f] < r["expected"]]
            print(f"  {r['report']}: expected {r['expected']}, found {r['found']}; wrong: {', '.join(wrong) or '-'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
