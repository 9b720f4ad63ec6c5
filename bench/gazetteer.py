"""Benchmark the gazetteer: lookups per second for exact, normalised, fuzzy and cross-script names, and the village figure.

Each level is measured against a naive baseline in the same run (a linear scan over every
alias), so the figures say what the indexes buy on this machine. Run:

    .venv/bin/python -m bench.gazetteer

Not a timed test: numbers depend on the machine; the README quotes one run.
"""
from __future__ import annotations

import csv
import difflib
import random
import time
from pathlib import Path
from typing import Callable, Sequence

from geo.gazetteer import Gazetteer, load_gazetteer
from geo.gazetteer.normalize import fold, script_of
from geo.gazetteer.romanise import vowelled_form

VILLAGE_NAMES = Path(__file__).resolve().parents[1] / "tests" / "data" / "village_names.csv"


def _rate(function: Callable[[str], object], queries: Sequence[str]) -> tuple[float, list]:
    """Calls per second of ``function`` over ``queries`` (one core, wall clock) and the answers."""
    start = time.perf_counter()
    answers = [function(q) for q in queries]
    elapsed = time.perf_counter() - start
    return len(queries) / elapsed if elapsed else float("inf"), answers


def _latin_aliases(gazetteer: Gazetteer) -> list[tuple[str, str]]:
    """(alias, place_id) for Latin aliases long enough to misspell."""
    return [(a, p.place_id) for p in gazetteer.places for a in p.aliases if script_of(a) == "latin" and len(a) >= 6]


def exact_queries(gazetteer: Gazetteer, n: int, rng: random.Random) -> list[tuple[str, str]]:
    """Aliases as stored, in any script, with the place each came from."""
    aliases = [(a, p.place_id) for p in gazetteer.places for a in p.aliases]
    return [rng.choice(aliases) for _ in range(n)]


def normalised_queries(gazetteer: Gazetteer, n: int, rng: random.Random) -> list[tuple[str, str]]:
    """Aliases respelt the way reports do (case, hyphens, an article, ou for u)."""
    variants = []
    for alias, place_id in _latin_aliases(gazetteer):
        respelt = alias.upper().replace(" ", "-")
        respelt = respelt.replace("U", "OU", 1) if "U" in respelt else "AL-" + respelt
        if not gazetteer.index.exact(respelt):
            variants.append((respelt, place_id))
    return [rng.choice(variants) for _ in range(n)]


def fuzzy_queries(gazetteer: Gazetteer, n: int, rng: random.Random) -> list[tuple[str, str]]:
    """Aliases with one typo (a letter swapped with its neighbour or replaced) in the middle."""
    queries = []
    aliases = _latin_aliases(gazetteer)
    while len(queries) < n:
        alias, place_id = rng.choice(aliases)
        i = rng.randrange(2, len(alias) - 2)
        if rng.random() < 0.5:
            typo = alias[:i] + alias[i + 1] + alias[i] + alias[i + 2:]
        else:
            typo = alias[:i] + rng.choice("bdfgkmnprstvz") + alias[i + 1:]
        queries.append((typo, place_id))
    return queries


def cross_script_queries(gazetteer: Gazetteer, n: int, rng: random.Random) -> list[tuple[str, str]]:
    """Latin spellings of places named only in Arabic script (their vowelled form, capitalised).

    A machine reading, not a reporter's spelling: it measures the speed of the
    cross-script path; the village list (``village_figure``) measures its accuracy.
    """
    arabic_only = [p for p in gazetteer.places if all(script_of(a) == "arabic" for a in p.aliases)]
    pairs = [(vowelled_form(p.name).capitalize(), p.place_id) for p in arabic_only]
    pairs = [(q, pid) for q, pid in pairs if len(q) >= 5 and q.isascii() and q.isalpha()]
    return [rng.choice(pairs) for _ in range(n)]


def village_figure(gazetteer: Gazetteer, path: Path = VILLAGE_NAMES) -> dict:
    """Share of report village and neighbourhood names (with a context) resolved to the right sub-district."""
    with open(path, newline="", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    wrong = [r["name"] for r in rows if gazetteer.geocode(r["name"], r["context"]).adm3_pcode != r["adm3_pcode"]]
    return {"names": len(rows), "right": len(rows) - len(wrong), "right_share": round(1 - len(wrong) / len(rows), 3),
            "wrong": wrong}


def measure_gazetteer(gazetteer: Gazetteer, n_exact: int = 20_000, n_fuzzy: int = 2_000,
                      n_baseline: int = 30, seed: int = 7) -> dict:
    """Lookups per second by level, each beside a naive baseline measured in the same run.

    Returns ``{"rows", "aliases", "exact", "normalised", "fuzzy", "cross", "villages"}``; each level holds
    ``queries``, ``per_second``, ``matched_share``, ``right_share`` (same name as the alias's
    place), ``baseline`` (what the naive method is),
    ``baseline_per_second`` and ``speedup``.
    """
    rng = random.Random(seed)
    aliases = [a for p in gazetteer.places for a in p.aliases]
    casefolded = [" ".join(a.casefold().split()) for a in aliases]
    folded = [fold(a) for a in aliases]

    def scan_exact(query: str) -> int:
        needle = " ".join(query.casefold().split())
        return next((i for i, a in enumerate(casefolded) if a == needle), -1)

    def scan_folded(query: str) -> int:
        needle = fold(query)
        return next((i for i, a in enumerate(folded) if a == needle), -1)

    def scan_difflib(query: str) -> int:
        needle = fold(query)
        scores = [difflib.SequenceMatcher(None, needle, a).ratio() for a in folded]
        return max(range(len(scores)), key=scores.__getitem__)

    levels = {
        "exact": (exact_queries(gazetteer, n_exact, rng), scan_exact, "linear scan, case-insensitive equality"),
        "normalised": (normalised_queries(gazetteer, n_exact, rng), scan_folded,
                       "linear scan over pre-folded aliases"),
        "fuzzy": (fuzzy_queries(gazetteer, n_fuzzy, rng), scan_difflib,
                  "linear scan, difflib ratio against every alias"),
        "cross": (cross_script_queries(gazetteer, n_fuzzy, rng), scan_difflib,
                  "linear scan, difflib ratio against every alias"),
    }
    report: dict = {"rows": len(gazetteer), "aliases": len(aliases)}
    names = {p.place_id: p.name for p in gazetteer.places}
    for level, (pairs, baseline, described) in levels.items():
        queries = [q for q, _ in pairs]
        per_second, answers = _rate(gazetteer.geocode, queries)
        # Several rows share names (Kirkuk city/district/sub-district): the same name counts as right.
        right = sum(a.matched and names.get(a.place_id) == names[pid] for a, (_, pid) in zip(answers, pairs))
        baseline_per_second, _ = _rate(baseline, queries[:n_baseline if level != "exact" else n_baseline * 20])
        report[level] = {
            "queries": len(queries),
            "per_second": round(per_second),
            "matched_share": round(sum(a.matched for a in answers) / len(answers), 3),
            "right_share": round(right / len(answers), 3),
            "baseline": described,
            "baseline_per_second": round(baseline_per_second, 1),
            "speedup": round(per_second / baseline_per_second, 1) if baseline_per_second else None,
        }
    report["villages"] = village_figure(gazetteer)
    return report


def format_report(report: dict) -> str:
    """The report as a small table."""
    lines = [f"gazetteer: {report['rows']} rows, {report['aliases']} aliases",
             f"{'level':<11} {'lookups/s':>10} {'matched':>8} {'right':>7} {'baseline/s':>11} {'speedup':>8}  baseline"]
    for level in ("exact", "normalised", "fuzzy", "cross"):
        row = report[level]
        lines.append(f"{level:<11} {row['per_second']:>10,} {row['matched_share']:>8.1%} {row['right_share']:>7.1%} "
                     f"{row['baseline_per_second']:>11,.1f} {row['speedup']:>7}x  {row['baseline']}")
    villages = report["villages"]
    lines.append(f"villages and neighbourhoods of the reports (tests/data/village_names.csv): {villages['right']} of "
                 f"{villages['names']} ({villages['right_share']:.1%}) to the right sub-district"
                 + (f"; wrong: {', '.join(villages['wrong'])}" if villages["wrong"] else ""))
    return "\n".join(lines)


if __name__ == "__main__":
    print(format_report(measure_gazetteer(load_gazetteer())))
