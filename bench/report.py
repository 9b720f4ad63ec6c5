"""The benchmark's results as Markdown tables, and the issue's targets checked against them."""
from __future__ import annotations

from typing import Any

JOIN_TARGET = {"size": 1_000_000, "seconds": 2.0, "speedup": 50.0}
MAP_TARGET = {"size": 100_000, "seconds": 1.5, "megabytes": 8.0}
MEMORY_TARGET = {"size": 1_000_000, "megabytes": 2048.0}


def targets(result: dict[str, Any]) -> list[dict[str, Any]]:
    """Each target of issue 7 with what was measured and whether it was met (None: size not run)."""
    runs = {run["size"]: run for run in result["runs"]}
    checks = []
    join = runs.get(JOIN_TARGET["size"])
    if join:
        loop = join["join"]["comparisons"]["join_vs_per_point_loop"]
        met = loop["ours_seconds"] <= JOIN_TARGET["seconds"] and loop["speedup"] >= JOIN_TARGET["speedup"]
        measured = f"{loop['ours_seconds']:.2f} s, {loop['speedup']:,.0f}x the per-point loop"
    else:
        met, measured = None, "size not run"
    checks.append({"target": "join 1,000,000 points to 16 sub-districts in <= 2 s and >= 50x the loop", "measured": measured, "met": met})
    mapped = runs.get(MAP_TARGET["size"])
    if mapped:
        rebuild = mapped["map"]["comparisons"]["map_vs_one_marker_each"]
        megabytes = rebuild["ours_bytes"] / 1e6
        met = rebuild["ours_seconds"] <= MAP_TARGET["seconds"] and megabytes <= MAP_TARGET["megabytes"]
        measured = f"{rebuild['ours_seconds']:.2f} s server time, {megabytes:.1f} MB page"
    else:
        met, measured = None, "size not run"
    checks.append({"target": "100,000 incidents: filter change rebuilds the map in <= 1.5 s, page <= 8 MB", "measured": measured, "met": met})
    memory = runs.get(MEMORY_TARGET["size"])
    if memory:
        peak = memory["memory"]["peak_rss_mb"]
        met, measured = peak < MEMORY_TARGET["megabytes"], f"{peak:,.0f} MB peak RSS"
    else:
        met, measured = None, "size not run"
    checks.append({"target": "peak memory at 1,000,000 incidents < 2 GB", "measured": measured, "met": met})
    return checks


def format_table(result: dict[str, Any]) -> str:
    """All results as Markdown: the machine, one table per benchmark, and the targets."""
    m = result["machine"]
    lines = [
        f"Measured {result['date']} on {m['cpu']}, {m['cores']} cores, {m['ram_gb']} GB RAM, {m['os']}, "
        f"Python {m['python']} (load average at start: {', '.join(map(str, m['load_average'] or []))}).",
        "Versions: " + ", ".join(f"{k} {v}" for k, v in result["versions"].items()) + ".",
        "Times are the best of 3 runs (1 at 1,000,000); * marks a baseline measured on fewer items and scaled linearly.",
        "",
        "**Spatial join of the incidents' points to Kirkuk's 16 sub-districts** (seconds)",
        "",
        "| incidents | ours (grid + exact at edges) | per-point loop | speedup | STRtree query of every point | speedup | assign_admin_units (134 sub-districts, pcodes and names) |",
        "| ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for run in result["runs"]:
        loop = run["join"]["comparisons"]["join_vs_per_point_loop"]
        tree = run["join"]["comparisons"]["join_vs_strtree_query"]
        lines.append(
            f"| {run['size']:,} | {loop['ours_seconds']:.3f} | {_baseline(loop)} | {loop['speedup']:,}x "
            f"| {tree['baseline_seconds']:.3f} | {tree['speedup']:,}x | {run['join']['assign_admin_units']['seconds']:.3f} |"
        )
    lines += [
        "",
        "**A filter change: filter + aggregate + build the map + render the page** (server seconds; page size sent to the browser)",
        "",
        "| incidents | ours | of which filter / aggregate / build / render | page | one folium.Marker each | speedup | page | bytes ratio | peak RSS (of which after generating the incidents) |",
        "| ---: | ---: | --- | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for run in result["runs"]:
        cmp = run["map"]["comparisons"]["map_vs_one_marker_each"]
        steps = " / ".join(f"{v:.2f}" for v in run["map"]["steps_seconds"].values())
        lines.append(
            f"| {run['size']:,} | {cmp['ours_seconds']:.2f} | {steps} | {_mb(cmp['ours_bytes'])} | {_baseline(cmp, 2)} "
            f"| {cmp['speedup']:,}x | {_mb(cmp['baseline_bytes'])}{'*' if cmp['baseline_extrapolated'] else ''} "
            f"| {cmp['bytes_ratio']:,}x | {run['memory']['peak_rss_mb']:,.0f} MB ({run['memory']['peak_rss_mb_after_generating']:,.0f}) |"
        )
    lines += ["", *_gazetteer_lines(result["gazetteer"]), "", *_extraction_lines(result["extraction"]), "", "**Targets**", ""]
    for check in result["targets"]:
        verdict = {True: "met", False: "MISSED", None: "not run"}[check["met"]]
        lines.append(f"- {check['target']}: {check['measured']} - {verdict}")
    return "\n".join(lines)


def _gazetteer_lines(gazetteer: dict[str, Any]) -> list[str]:
    if gazetteer.get("status") == "not available":
        return [f"**Gazetteer lookups**: not available ({gazetteer['reason']})"]
    lines = [
        f"**Gazetteer lookups** ({gazetteer.get('rows', '?'):,} places, {gazetteer.get('aliases', '?'):,} names)",
        "",
        "| lookup | per second | naive baseline | per second | speedup | right answers |",
        "| --- | ---: | --- | ---: | ---: | ---: |",
    ]
    for level in ("exact", "normalised", "fuzzy"):
        if level in gazetteer:
            g = gazetteer[level]
            lines.append(
                f"| {level} | {g['per_second']:,} | {g['baseline']} | {g['baseline_per_second']:,} | {g['speedup']}x | {g['right_share']:.1%} |"
            )
    return lines


def _extraction_lines(extraction: dict[str, Any]) -> list[str]:
    if extraction.get("status") == "not available":
        return [f"**Report extraction**: not available ({extraction['reason']})"]
    c = extraction["comparison"]
    return [
        f"**Report extraction** ({c['reports']} test reports)",
        "",
        "| extractor | reports per second | place right | type right |",
        "| --- | ---: | ---: | ---: |",
        f"| ours | {c['ours_per_second']:,} | {c['ours_place_accuracy']:.0%} | {c['ours_type_accuracy']:.0%} |",
        f"| {c['baseline']} | {c['baseline_per_second']:,} | {c['baseline_place_accuracy']:.0%} | {c['baseline_type_accuracy']:.0%} |",
        f"| speedup (baseline time / ours) | {c['speedup']}x | | |",
    ]


def _baseline(cmp: dict[str, Any], digits: int = 3) -> str:
    return f"{cmp['baseline_seconds']:,.{digits}f}{'*' if cmp['baseline_extrapolated'] else ''}"


def _mb(count: float) -> str:
    return f"{count / 1e6:,.2f} MB"
