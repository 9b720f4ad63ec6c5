"""The seed incidents (data/seed_incidents.csv): loaded into an empty store on first run."""
from __future__ import annotations

from pathlib import Path

import pandas as pd
import sqlalchemy as sa

from geo.boundaries import Boundaries
from geo.join import assign_admin_units
from incidents.schema import conform
from incidents.store import REPO_ROOT, count_incidents, save_incidents

SEED_CSV = REPO_ROOT / "data" / "seed_incidents.csv"


def read_seed_incidents(boundaries: Boundaries, path: Path = SEED_CSV) -> pd.DataFrame:
    """The seed incidents with their administrative units joined from the boundaries."""
    raw = pd.read_csv(path, dtype={"adm1_pcode": "string", "adm2_pcode": "string", "adm3_pcode": "string"})
    return conform(assign_admin_units(raw, boundaries))


def seed_store(engine: sa.Engine, boundaries: Boundaries, path: Path = SEED_CSV) -> int:
    """Load the seed incidents into the store if it is empty; returns how many were added."""
    if count_incidents(engine):
        return 0
    return save_incidents(engine, read_seed_incidents(boundaries, path))
