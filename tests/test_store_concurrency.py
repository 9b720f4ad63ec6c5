"""Two processes importing at once lose nothing; a failed or killed import leaves the store as it was."""
from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pandas as pd
import pytest
import sqlalchemy as sa

from incidents.schema import conform
from incidents.store import count_incidents, read_sources, save_new_incidents

REPO_ROOT = Path(__file__).resolve().parent.parent

WRITER = textwrap.dedent(
    """
    import sys, time
    import pandas as pd
    from incidents.store import connect, save_new_incidents

    url, prefix, start_at = sys.argv[1], sys.argv[2], float(sys.argv[3])
    engine = connect(url)
    while time.time() < start_at:  # both writers start together
        time.sleep(0.005)
    for batch in range(20):
        ids = [f"{prefix}-{batch}-{i}" for i in range(50)] + [f"SHARED-{batch}-{i}" for i in range(10)]
        rows = pd.DataFrame({
            "incident_id": ids, "time_precision": 1, "event_type": "Battles", "sub_event_type": "Armed clash",
            "location": "Daquq", "latitude": 35.1387, "longitude": 44.4515, "geo_precision": 1,
            "needs_review": False, "review_status": "unreviewed", "source_id": ids,
        })
        save_new_incidents(engine, rows)
    print("done")
    """
)

pytestmark = pytest.mark.both_backends  # the same behaviour on SQLite and PostgreSQL


def incidents(ids: list[str]) -> pd.DataFrame:
    return conform(pd.DataFrame({
        "incident_id": ids, "time_precision": 1, "event_type": "Battles", "sub_event_type": "Armed clash",
        "location": "Daquq", "geo_precision": 1, "needs_review": False, "review_status": "unreviewed",
    }))


def test_two_writers_at_once_lose_nothing(engine, db_url, tmp_path):
    script = tmp_path / "writer.py"
    script.write_text(WRITER)
    start_at = time.time() + 1.5
    env = os.environ | {"PYTHONPATH": str(REPO_ROOT)}
    writers = [
        subprocess.Popen([sys.executable, str(script), db_url, name, str(start_at)], env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        for name in ("A", "B")
    ]
    outputs = [w.communicate(timeout=120) for w in writers]
    assert [w.returncode for w in writers] == [0, 0], [err for _, err in outputs]
    # 20 batches x 50 own rows per writer, plus 20 x 10 rows both wrote: each stored once.
    assert count_incidents(engine) == 2 * 20 * 50 + 20 * 10
    assert len(read_sources(engine)) == count_incidents(engine)


def test_a_failing_import_leaves_the_store_as_it_was(engine):
    save_new_incidents(engine, incidents(["KEEP-1"]))
    bad = incidents([f"NEW-{i}" for i in range(6000)])  # more than one insert batch
    bad.loc[5999, "event_type"] = None  # violates NOT NULL in the last batch
    with pytest.raises(sa.exc.IntegrityError):
        save_new_incidents(engine, bad)
    assert count_incidents(engine) == 1


KILLED = textwrap.dedent(
    """
    import sys, time
    import pandas as pd
    from incidents.store import connect, incidents_table, write_transaction
    import sqlalchemy as sa

    engine = connect(sys.argv[1])
    with write_transaction(engine) as connection:
        connection.execute(sa.insert(incidents_table), [
            {"incident_id": f"HALF-{i}", "time_precision": 1, "event_type": "Battles", "sub_event_type": "Armed clash",
             "location": "Daquq", "geo_precision": 1, "needs_review": False, "review_status": "unreviewed"}
            for i in range(100)
        ])
        print("inserted", flush=True)
        time.sleep(60)  # killed here, mid-transaction
    """
)


@pytest.mark.skipif(os.name != "posix", reason="uses SIGKILL")
def test_a_killed_import_leaves_the_store_as_it_was_and_writable(engine, db_url, tmp_path):
    script = tmp_path / "killed.py"
    script.write_text(KILLED)
    env = os.environ | {"PYTHONPATH": str(REPO_ROOT)}
    child = subprocess.Popen([sys.executable, str(script), db_url], env=env, stdout=subprocess.PIPE, text=True)
    assert child.stdout.readline().strip() == "inserted"
    child.send_signal(signal.SIGKILL)
    child.wait(timeout=30)
    assert count_incidents(engine) == 0
    assert save_new_incidents(engine, incidents(["AFTER-1"])).new == 1
