"""Kirkuk Incident Map: the Streamlit entry point (layout and navigation only)."""
from __future__ import annotations

from pathlib import Path

import streamlit as st

st.set_page_config(page_title="Kirkuk Incident Map", page_icon=":material/map:", layout="wide")

PAGES_DIR = Path(__file__).parent / "app_pages"
pages = [st.Page(str(PAGES_DIR / "map.py"), title="Map", icon=":material/map:", default=True)]
for script, title, icon in (
    ("timeline.py", "Timeline", ":material/play_circle:"),
    ("add_report.py", "Add a report", ":material/post_add:"),
    ("review.py", "Review queue", ":material/fact_check:"),
    ("data.py", "Import & export", ":material/swap_vert:"),
):
    if (PAGES_DIR / script).exists():
        pages.append(st.Page(str(PAGES_DIR / script), title=title, icon=icon))
st.navigation(pages).run()
