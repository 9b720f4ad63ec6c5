"""A team on one PostgreSQL store, each analyst a separate process: two analysts on one queue
(one decision wins, the other is refused with what changed) and an import while others read
(a reader sees the store before or after it, never half of it)."""
from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from incidents.access import Actor, acting_as
from incidents.audit import read_audit
from incidents.seed import seed_store
from incidents.store import count_incidents, read_incidents, read_review_queue
from tests.conftest import REPO_ROOT

pytestmark = pytest.mark.postgresql_only

ANALYST = textwrap.dedent(
    """
    import json, sys, time
    from incidents.access import Actor, acting_as
    from incidents.store import StaleEdit, connect, update_incident

    # Both analysts' pages show the same incident at the same version; both press Save together.
    url, name, incident_id, version, start_at = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4]), float(sys.argv[5])
    engine = connect(url)
    while time.time() < start_at:
        time.sleep(0.005)
    with acting_as(Actor(name, "analyst", via="Review page")):
        try:
            update_incident(engine, incident_id, {"notes": f"checked by {name}"}, "corrected",
                            expected_version=version, loaded={"notes": None})
            print(json.dumps({"saved": True}))
        except StaleEdit as error:
            print(json.dumps({"saved": False, "message": str(error)}))
    """
)

READER = textwrap.dedent(
    """
    import json, sys, time
    from incidents.store import connect, count_incidents, read_incidents

    url, seconds = sys.argv[1], float(sys.argv[2])
    engine = connect(url)
    seen, stop = set(), time.time() + seconds
    while time.time() < stop:
        seen.add(len(read_incidents(engine)))
    print(json.dumps(sorted(seen)))
    """
)

IMPORTER = textwrap.dedent(
    """
    import sys
    from bench.synthetic import synthetic_incidents
    from geo.boundaries import load_boundaries
    from incidents.access import Actor, acting_as
    from incidents.store import connect, save_new_incidents

    engine = connect(sys.argv[1])
    with acting_as(Actor("importer", "analyst", via="command line: import")):
        print(save_new_incidents(engine, synthetic_incidents(int(sys.argv[2]), load_boundaries(), seed=5)).new)
    """
)


def start(script: str, *args: str, tmp_path: Path) -> subprocess.Popen:
    path = tmp_path / f"script{time.monotonic_ns()}.py"
    path.write_text(script)
    env = os.environ | {"PYTHONPATH": str(REPO_ROOT)}
    return subprocess.Popen([sys.executable, str(path), *args], env=env, cwd=REPO_ROOT, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True)


def finish(process: subprocess.Popen) -> str:
    out, err = process.communicate(timeout=300)
    assert process.returncode == 0, err
    return out


@pytest.fixture
def queue(engine, boundaries):
    with acting_as(Actor("importer", "analyst")):
        seed_store(engine, boundaries)
    return engine


def test_two_analysts_on_one_queue_one_wins_the_other_is_told(queue, db_url, tmp_path):
    incident = read_review_queue(queue).iloc[0]
    start_at = str(time.time() + 10)  # both processes are connected by then
    loaded = (incident["incident_id"], str(incident["row_version"]))
    analysts = [start(ANALYST, db_url, name, *loaded, start_at, tmp_path=tmp_path) for name in ("amal", "bashir")]
    outcomes = [json.loads(finish(p)) for p in analysts]
    assert sorted(o["saved"] for o in outcomes) == [False, True]
    refused = next(o for o in outcomes if not o["saved"])["message"]
    winner = ("amal", "bashir")[[o["saved"] for o in outcomes].index(True)]
    assert f"notes: (empty) → 'checked by {winner}'" in refused
    stored = read_incidents(queue, with_row_version=True).set_index("incident_id").loc[incident["incident_id"]]
    assert stored["notes"] == f"checked by {winner}" and stored["row_version"] == incident["row_version"] + 1
    reviews = read_audit(queue, incident["incident_id"]).query("action == 'review'")
    assert list(reviews["actor"]) == [winner]  # the refused edit left no trace but its message


def test_an_import_while_others_read_is_seen_whole_or_not_at_all(queue, db_url, tmp_path):
    before = count_incidents(queue)
    readers = [start(READER, db_url, "8", tmp_path=tmp_path) for _ in range(2)]
    time.sleep(2)
    importer = start(IMPORTER, db_url, "3000", tmp_path=tmp_path)
    added = int(finish(importer))
    seen = [set(json.loads(finish(r))) for r in readers]
    assert added == 3000 and count_incidents(queue) == before + added
    for counts in seen:
        assert counts <= {before, before + added}, counts  # never a part of the import
