"""Accuracy on real news reports: ``python -m bench.reports [FOLDER] [--json]``.

FOLDER (default ``../shared/reports`` beside the checkout) holds one JSON file per report:
``id``, ``title``, ``text``, ``published`` and a ``truth`` object (``in_kirkuk``,
``adm1_pcode``..``adm3_pcode``, ``killed``, ``wounded``, ``event_date``, ``event_type``,
``other_incidents``); its README gives the conventions. Only the **main incident** is
scored: the extractor's row flagged ``is_main_incident`` (its first row).

Per field, over the reports where the field applies:

* ``main found``: a Kirkuk report gives at least one incident.
* ``district`` / ``sub-district``: a Kirkuk report's main incident is in Kirkuk with the
  truth's ``adm2_pcode`` / ``adm3_pcode`` (null equals null: "no district is known").
* ``outside kept out``: a report from outside Kirkuk gives no main incident marked inside.
* ``deaths`` / ``wounded``: equal to the truth, over reports whose truth states a number.
* ``date``: ``event_date`` equal, over reports whose truth states one.
* ``type``: ``event_type`` equal.
* ``invented numbers``: counts the extractor states that the text does not give for that
  incident: a main incident's deaths or wounded above the truth's or where the truth has
  none (a yearly total, a background toll), and another incident's toll that matches no
  incident of the truth. An undercount is a miss, not an invention.

A naive baseline (one incident: the first place the gazetteer knows, the first "N killed",
the first date) is scored in the same run. A folder that does not exist is skipped with a
message, so the command runs on a checkout without the shared data.
"""
from __future__ import annotations

import argparse
import json
import sys
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any, Callable

from bench.extraction import baseline_extract
from bench.heldout import _blank
from reports.dates import parse_published

REPO_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_REPORTS_DIR = REPO_ROOT.parent / "shared" / "reports"
KIRKUK = "IQG13"
# field -> (label, goal): the goals of issue 13.
FIELDS: dict[str, tuple[str, float | None]] = {
    "main_found": ("main found (Kirkuk reports)", None),
    "district": ("district (adm2)", 0.90),
    "subdistrict": ("sub-district (adm3)", 0.80),
    "outside": ("outside kept out", 0.95),
    "deaths": ("deaths (of those stated)", 0.80),
    "wounded": ("wounded (of those stated)", None),
    "date": ("date (of those stated)", 0.80),
    "type": ("event type", None),
}


@dataclass(frozen=True)
class RealReport:
    """One report of the folder with its truth."""

    id: str
    text: str
    published: date | None
    url: str | None
    truth: dict[str, Any]


def read_reports(folder: Path) -> list[RealReport]:
    """Every ``*.json`` report of a folder, in name order."""
    reports = []
    for path in sorted(Path(folder).glob("*.json")):
        data = json.loads(path.read_text(encoding="utf-8"))
        if not isinstance(data, dict) or "text" not in data or "truth" not in data:
            continue  # not a report (e.g. a listing)
        reports.append(RealReport(str(data.get("id") or path.stem), data["text"],
                                  parse_published(data.get("published")), data.get("url"), data["truth"]))
    return reports


def _value(record: dict[str, Any] | None, key: str) -> Any:
    if record is None:
        return None
    value = record.get(key)
    return None if _blank(value) else value


def _number(value: Any) -> int | None:
    return None if _blank(value) else int(value)


def main_incident(records: list[dict[str, Any]]) -> dict[str, Any] | None:
    """The record flagged as the report's main incident (the first one when none is flagged)."""
    flagged = [r for r in records if _value(r, "is_main_incident") is True]
    return flagged[0] if flagged else (records[0] if records else None)


def score_main(truth: dict[str, Any], main: dict[str, Any] | None) -> dict[str, bool | None]:
    """Each field right (True), wrong (False) or not scored for this report (None)."""
    inside = bool(truth.get("in_kirkuk"))
    in_kirkuk = _value(main, "adm1_pcode") == KIRKUK
    killed, wounded = truth.get("killed"), truth.get("wounded")
    return {
        "main_found": (main is not None) if inside else None,
        "district": (in_kirkuk and _value(main, "adm2_pcode") == truth.get("adm2_pcode")) if inside else None,
        "subdistrict": (in_kirkuk and _value(main, "adm3_pcode") == truth.get("adm3_pcode")) if inside else None,
        "outside": None if inside else (main is None or _value(main, "in_kirkuk") is not True),
        "deaths": None if killed is None else _number(_value(main, "fatalities")) == killed,
        "wounded": None if wounded is None else _number(_value(main, "wounded")) == wounded,
        "date": None if truth.get("event_date") is None else str(_value(main, "event_date"))[:10] == truth["event_date"],
        "type": _value(main, "event_type") == truth.get("event_type"),
    }


def invented_numbers(truth: dict[str, Any], records: list[dict[str, Any]]) -> list[str]:
    """The tolls the extractor states that the truth does not give (see the module docstring)."""
    main = main_incident(records)
    found = []
    for key, truth_key in (("fatalities", "killed"), ("wounded", "wounded")):
        stated, true = _number(_value(main, key)), truth.get(truth_key)
        if stated and (true is None or stated > true):
            found.append(f"main incident {key} {stated} (truth {true})")
    known = {truth.get("killed"), truth.get("wounded")} | {
        o.get(k) for o in truth.get("other_incidents") or [] for k in ("killed", "wounded")
    }
    for record in records:
        if record is main:
            continue
        for key in ("fatalities", "wounded"):
            stated = _number(_value(record, key))
            if stated and stated not in known:
                found.append(f"other incident at {_value(record, 'location')}: {key} {stated} (in no incident of the truth)")
    return found


def _describe(field: str, truth: dict[str, Any], main: dict[str, Any] | None) -> tuple[str, str]:
    """(expected, found) of one field in words."""
    if field in ("district", "subdistrict", "outside", "main_found"):
        expected = f"{truth.get('adm1_pcode')}/{truth.get('adm2_pcode')}/{truth.get('adm3_pcode')} ({truth.get('place')})"
        if main is None:
            return expected, "(no incident)"
        found = (f"{_value(main, 'adm1_pcode')}/{_value(main, 'adm2_pcode')}/{_value(main, 'adm3_pcode')} "
                 f"({_value(main, 'location')}, geo_precision {_value(main, 'geo_precision')})")
        return expected, found
    key, truth_key = {"deaths": ("fatalities", "killed"), "wounded": ("wounded", "wounded"),
                      "date": ("event_date", "event_date"), "type": ("event_type", "event_type")}[field]
    return str(truth.get(truth_key)), "(no incident)" if main is None else str(_value(main, key))


def _reason(main: dict[str, Any] | None) -> str:
    """What the extractor said about its main incident (its review reasons)."""
    if main is None:
        return "no incident extracted"
    return str(_value(main, "review_reasons") or "no review reason")


def score_run(reports: list[RealReport], extract: Callable[[RealReport], list[dict[str, Any]]]) -> dict[str, Any]:
    """Per-field right/total, the invented numbers and the misses of one extractor over the reports."""
    right = dict.fromkeys(FIELDS, 0)
    total = dict.fromkeys(FIELDS, 0)
    misses: list[dict[str, str]] = []
    invented: list[dict[str, str]] = []
    incidents = 0
    for report in reports:
        try:
            records = extract(report)
        except Exception as error:  # a crash scores as "nothing found", and says so
            records = []
            misses.append({"report": report.id, "field": "crash", "expected": "-", "found": "-",
                           "reason": f"{type(error).__name__}: {error}"})
        incidents += len(records)
        main = main_incident(records)
        for field, ok in score_main(report.truth, main).items():
            if ok is None:
                continue
            total[field] += 1
            right[field] += int(ok)
            if not ok:
                expected, found = _describe(field, report.truth, main)
                misses.append({"report": report.id, "field": field, "expected": expected, "found": found,
                               "reason": _reason(main)})
        invented += [{"report": report.id, "number": text} for text in invented_numbers(report.truth, records)]
    return {
        "reports": len(reports),
        "incidents": incidents,
        "right": right,
        "total": total,
        "accuracy": {f: (right[f] / total[f] if total[f] else None) for f in FIELDS},
        "invented": invented,
        "misses": misses,
    }


def _extractor_records(gazetteer: Any) -> Callable[[RealReport], list[dict[str, Any]]]:
    from reports.extract import extract_incidents, incidents_to_records

    return lambda r: incidents_to_records(extract_incidents(r.text, gazetteer, r.published, r.url))


def _baseline_records(gazetteer: Any) -> Callable[[RealReport], list[dict[str, Any]]]:
    def extract(report: RealReport) -> list[dict[str, Any]]:
        (record,) = baseline_extract(report.text, gazetteer, report.published)
        return [record | {"event_type": "Battles", "in_kirkuk": record["adm1_pcode"] == KIRKUK if record["adm1_pcode"] else None}]

    return extract


def measure_reports(gazetteer: Any, folder: Path | str = DEFAULT_REPORTS_DIR) -> dict[str, Any]:
    """The extractor and the naive baseline scored on one folder of reports."""
    reports = read_reports(Path(folder))
    return {"folder": str(folder), "reports": len(reports), "extractor": score_run(reports, _extractor_records(gazetteer)),
            "baseline": score_run(reports, _baseline_records(gazetteer))}


def _cell(run: dict[str, Any], field: str) -> str:
    value = run["accuracy"][field]
    return "-" if value is None else f"{run['right'][field]}/{run['total'][field]} {value:.0%}"


def format_table(result: dict[str, Any]) -> str:
    """The per-field figures of the extractor and the baseline, with the goals."""
    ours, naive = result["extractor"], result["baseline"]
    lines = [f"{result['reports']} reports in {result['folder']}; the extractor gives {ours['incidents']} incidents",
             "", f"{'measure':<28}{'extractor':>14}{'baseline':>14}{'goal':>8}", "-" * 64]
    for field, (label, goal) in FIELDS.items():
        lines.append(f"{label:<28}{_cell(ours, field):>14}{_cell(naive, field):>14}{'' if goal is None else f'>={goal:.0%}':>8}")
    lines.append(f"{'invented numbers':<28}{len(ours['invented']):>14}{len(naive['invented']):>14}{'0':>8}")
    return "\n".join(lines)


def format_misses(result: dict[str, Any]) -> str:
    """Every miss of the extractor with the reason it gave, then every invented number."""
    ours = result["extractor"]
    lines = [f"Misses ({len(ours['misses'])}):"]
    for miss in ours["misses"]:
        lines.append(f"  {miss['report']:<6}{miss['field']:<12} expected {miss['expected']}; found {miss['found']}")
        lines.append(f"  {'':<18}reason: {miss['reason']}")
    lines.append(f"Invented numbers ({len(ours['invented'])}):")
    lines += [f"  {item['report']:<6}{item['number']}" for item in ours["invented"]]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.reports", description=__doc__.splitlines()[0])
    parser.add_argument("folder", nargs="?", default=str(DEFAULT_REPORTS_DIR), help="folder of report JSON files")
    parser.add_argument("--json", action="store_true", help="print one JSON object instead of the tables")
    args = parser.parse_args(argv)
    folder = Path(args.folder)
    if not folder.is_dir():
        print(f"No reports folder at {folder}: nothing to score. Give the folder of report JSON files as the argument.")
        return 0
    from geo.gazetteer import load_gazetteer

    result = measure_reports(load_gazetteer(), folder)
    if args.json:
        print(json.dumps(result, indent=1, default=str))
    else:
        print(format_table(result))
        print()
        print(format_misses(result))
    return 0


if __name__ == "__main__":
    sys.exit(main())
