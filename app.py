"""Kirkuk Incident Map: the Streamlit entry point (layout and navigation only)."""
from __future__ import annotations

from pathlib import Path

import streamlit as st

st.set_page_config(page_title="Kirkuk Incident Map", page_icon="🗺️", layout="wide")

PAGES_DIR = Path(__file__).parent / "app_pages"
pages = [st.Page(str(PAGES_DIR / "map.py"), title="Map", icon="🗺️", default=True)]
for script, title, icon in (
    ("add_report.py", "Add a report", "📰"),
    ("review.py", "Review queue", "✅"),
    ("data.py", "Import & export", "📦"),
):
    if (PAGES_DIR / script).exists():
        pages.append(st.Page(str(PAGES_DIR / script), title=title, icon=icon))
st.navigation(pages).run()
