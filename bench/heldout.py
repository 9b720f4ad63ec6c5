"""Held-out accuracy of the report extractor (``python -m bench.heldout [reports_dir]``).

The held-out reports in ``tests/data/heldout/`` were written apart from the extractor and
its tuning corpus, so this measures how the extractor does on text it was not shaped on.
Each ``NNN_slug.txt`` has a ``NNN_slug.expected.json``::

    {"published": "YYYY-MM-DD" | null, "url": "...", "incidents": [
        {"event_date", "time_precision", "event_type", "sub_event_type",
         "adm1_pcode", "adm2_pcode", "adm3_pcode", "geo_precision",
         "fatalities", "wounded", "needs_review"}, ...]}

Scoring, per report and then summed:

* ``count``: the report gives exactly as many incidents as expected (one point per report).
* Each expected incident is matched to at most one extracted incident: first one with the
  same ``event_date``, otherwise one at the same place, otherwise the next one left (in the
  extractor's order). An expected incident with nothing left to match scores 0 on every
  field below. Extra extracted incidents only cost the ``count`` point.
* ``place``: the pcode at the finest level the expected answer gives (adm3, else adm2, else
  adm1) is equal, and ``geo_precision`` is equal.
* ``date``: ``event_date`` and ``time_precision`` are equal; when the expected date is null
  (unresolvable) only a null extracted date counts.
* ``fatalities``: equal, null only equal to null (0 and null differ).
* ``type``: ``sub_event_type`` is equal.
* ``review``: ``needs_review`` is equal.
"""
from __future__ import annotations

import json
import math
import sys
from datetime import date, datetime
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_REPORTS_DIR = ROOT / "tests" / "data" / "heldout"
INCIDENT_FIELDS = ("place", "date", "fatalities", "type", "review")
FIELDS = ("count",) + INCIDENT_FIELDS


def _blank(value: Any) -> bool:
    if value is None:
        return True
    try:
        import pandas as pd

        if value is pd.NA or value is pd.NaT:
            return True
    except ImportError:  # pragma: no cover
        pass
    if isinstance(value, float) and math.isnan(value):
        return True
    if isinstance(value, str) and value.strip() in ("", "nan", "NaN", "None", "<NA>", "NaT"):
        return True
    return False


def _date_str(value: Any) -> str | None:
    if _blank(value):
        return None
    if isinstance(value, datetime):
        return value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if hasattr(value, "date") and callable(value.date):  # pandas Timestamp
        return value.date().isoformat()
    return str(value)[:10]


def _int(value: Any) -> int | None:
    if _blank(value):
        return None
    try:
        return int(float(value))
    except (TypeError, ValueError):
        return None


def _str(value: Any) -> str | None:
    if _blank(value):
        return None
    return str(value).strip()


def _bool(value: Any) -> bool | None:
    if _blank(value):
        return None
    if isinstance(value, str):
        return value.strip().lower() in ("true", "1", "yes")
    return bool(value)


def _normalise_row(row: dict[str, Any]) -> dict[str, Any]:
    return {
        "event_date": _date_str(row.get("event_date")),
        "time_precision": _int(row.get("time_precision")),
        "event_type": _str(row.get("event_type")),
        "sub_event_type": _str(row.get("sub_event_type")),
        "adm1_pcode": _str(row.get("adm1_pcode")),
        "adm2_pcode": _str(row.get("adm2_pcode")),
        "adm3_pcode": _str(row.get("adm3_pcode")),
        "geo_precision": _int(row.get("geo_precision")),
        "fatalities": _int(row.get("fatalities")),
        "needs_review": _bool(row.get("needs_review")),
        "location": _str(row.get("location")),
    }


def _place_key(expected: dict[str, Any]) -> str:
    """The finest pcode level the expected incident gives."""
    for level in ("adm3_pcode", "adm2_pcode", "adm1_pcode"):
        if expected.get(level):
            return level
    return "adm1_pcode"


def _same_place(expected: dict[str, Any], found: dict[str, Any]) -> bool:
    key = _place_key(expected)
    return expected.get(key) == found.get(key)


def score_incident(expected: dict[str, Any], found: dict[str, Any] | None) -> dict[str, bool]:
    """Which fields of one matched incident are right (all False when nothing matched)."""
    if found is None:
        return {f: False for f in INCIDENT_FIELDS}
    if expected.get("event_date") is None:
        date_ok = found["event_date"] is None
    else:
        date_ok = found["event_date"] == expected["event_date"] and found["time_precision"] == expected["time_precision"]
    return {
        "place": _same_place(expected, found) and found["geo_precision"] == expected["geo_precision"],
        "date": date_ok,
        "fatalities": found["fatalities"] == expected.get("fatalities"),
        "type": found["sub_event_type"] == expected.get("sub_event_type"),
        "review": found["needs_review"] == expected.get("needs_review"),
    }


def match_incidents(expected: list[dict[str, Any]], found: list[dict[str, Any]]) -> list[int | None]:
    """For each expected incident, the index of its extracted match (or None)."""
    left = list(range(len(found)))
    matches: list[int | None] = []
    for exp in expected:
        choice = None
        same_date = [i for i in left if found[i]["event_date"] == exp.get("event_date")]
        if same_date:
            both = [i for i in same_date if _same_place(exp, found[i])]
            choice = (both or same_date)[0]
        else:
            same_place = [i for i in left if _same_place(exp, found[i])]
            if same_place:
                choice = same_place[0]
            elif left:
                choice = left[0]
        if choice is not None:
            left.remove(choice)
        matches.append(choice)
    return matches


def _describe(field: str, inc: dict[str, Any] | None) -> str:
    if inc is None:
        return "(no incident)"
    if field == "place":
        text = f"{inc.get('adm1_pcode')}/{inc.get('adm2_pcode')}/{inc.get('adm3_pcode')} prec {inc.get('geo_precision')}"
        return text + (f" ({inc['location']})" if inc.get("location") else "")
    if field == "date":
        return f"{inc.get('event_date')} prec {inc.get('time_precision')}"
    if field == "fatalities":
        return str(inc.get("fatalities"))
    if field == "type":
        return f"{inc.get('event_type')} / {inc.get('sub_event_type')}"
    if field == "review":
        return str(inc.get("needs_review"))
    return ""


def load_expected(reports_dir: Path) -> list[tuple[Path, dict[str, Any]]]:
    """Every ``*.txt`` report with its parsed ``.expected.json``, sorted by name."""
    pairs = []
    for txt in sorted(Path(reports_dir).glob("*.txt")):
        exp_path = txt.with_name(txt.stem + ".expected.json")
        pairs.append((txt, json.loads(exp_path.read_text(encoding="utf-8"))))
    return pairs


def measure_heldout(gazetteer: Any, reports_dir: Path | str = DEFAULT_REPORTS_DIR) -> dict[str, Any]:
    """Run the extractor on every held-out report and score it field by field.

    Returns ``{"reports", "expected", "extracted", "correct": {field: n}, "total": {field: n},
    "accuracy": {field: 0..1}, "mismatches": [...], "per_report": [...]}``.
    """
    from reports.extract import extract_incidents

    reports_dir = Path(reports_dir)
    correct = {f: 0 for f in FIELDS}
    total = {f: 0 for f in FIELDS}
    mismatches: list[dict[str, Any]] = []
    per_report: list[dict[str, Any]] = []
    n_expected = n_found = 0

    for txt, exp in load_expected(reports_dir):
        name = txt.stem
        published = date.fromisoformat(exp["published"]) if exp.get("published") else None
        error = None
        try:
            frame = extract_incidents(txt.read_text(encoding="utf-8"), gazetteer, published, exp.get("url"))
            found = [_normalise_row(r) for r in frame.to_dict("records")]
        except Exception as exc:  # a crash is scored as "nothing found"
            error = f"{type(exc).__name__}: {exc}"
            found = []
        expected = exp["incidents"]
        n_expected += len(expected)
        n_found += len(found)

        total["count"] += 1
        count_ok = len(found) == len(expected)
        correct["count"] += count_ok
        row = {"report": name, "expected": len(expected), "found": len(found), "error": error}
        row.update({f: 0 for f in INCIDENT_FIELDS})
        if not count_ok:
            mismatches.append({"report": name, "incident": None, "field": "count",
                               "expected": str(len(expected)), "found": str(len(found)) + (f" [{error}]" if error else "")})

        for k, (exp_inc, idx) in enumerate(zip(expected, match_incidents(expected, found)), start=1):
            got = found[idx] if idx is not None else None
            scores = score_incident(exp_inc, got)
            for field, ok in scores.items():
                total[field] += 1
                correct[field] += ok
                row[field] += ok
                if not ok:
                    mismatches.append({"report": name, "incident": k, "field": field,
                                       "expected": _describe(field, exp_inc), "found": _describe(field, got)})
        per_report.append(row)

    accuracy = {f: (correct[f] / total[f] if total[f] else 0.0) for f in FIELDS}
    return {
        "reports": total["count"],
        "expected": n_expected,
        "extracted": n_found,
        "correct": correct,
        "total": total,
        "accuracy": accuracy,
        "mismatches": mismatches,
        "per_report": per_report,
    }


def format_table(result: dict[str, Any]) -> str:
    lines = [
        f"Held-out extraction: {result['reports']} reports, {result['expected']} expected incidents, "
        f"{result['extracted']} extracted",
        "",
        f"{'field':<12}{'correct':>9}{'total':>7}{'accuracy':>10}",
        "-" * 38,
    ]
    for f in FIELDS:
        lines.append(f"{f:<12}{result['correct'][f]:>9}{result['total'][f]:>7}{result['accuracy'][f]:>10.2f}")
    return "\n".join(lines)


def format_mismatches(result: dict[str, Any]) -> str:
    if not result["mismatches"]:
        return "No mismatches."
    lines = [f"Mismatches ({len(result['mismatches'])}):"]
    for m in result["mismatches"]:
        where = m["report"] + (f" #{m['incident']}" if m["incident"] else "")
        lines.append(f"  {where:<34} {m['field']:<11} expected {m['expected']}; found {m['found']}")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    from geo.gazetteer import load_gazetteer

    args = sys.argv[1:] if argv is None else argv
    reports_dir = Path(args[0]) if args else DEFAULT_REPORTS_DIR
    result = measure_heldout(load_gazetteer(), reports_dir)
    print(format_table(result))
    print()
    print(format_mismatches(result))
    return 0


if __name__ == "__main__":
    sys.exit(main())
