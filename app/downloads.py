"""Download buttons for incidents, shared by the pages. Streamlit only."""
from __future__ import annotations

from typing import Mapping, Sequence

import pandas as pd

from incidents.export import EXPORT_MEDIA_TYPES, export_bytes


def incident_downloads(
    columns: Sequence[object], incidents: pd.DataFrame, labels: Mapping[str, str], file_stem: str,
    hxl: bool = False, key_prefix: str | None = None,
) -> None:
    """One button per export format in ``labels`` ({format: label}), one per column.

    Each file is built only when its button is clicked (a callable ``data``, no rerun), not
    on every rerun of the page.
    """
    for column, (fmt, label) in zip(columns, labels.items()):
        column.download_button(  # type: ignore[attr-defined]
            label, data=lambda fmt=fmt: export_bytes(incidents, fmt, hxl=hxl), file_name=f"{file_stem}.{fmt}",
            mime=EXPORT_MEDIA_TYPES[fmt], key=f"{key_prefix}{fmt}" if key_prefix else None, on_click="ignore",
        )
