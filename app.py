"""Kirkuk Incident Map: the Streamlit entry point (layout and navigation only)."""
from __future__ import annotations

from pathlib import Path

import streamlit as st

from app.failures import failures_stop_the_page
from app.session import logout_button, may_write, require_login
from app.state import get_engine

# Our own icon file: a Material icon as page_icon would load the favicon from a font CDN.
st.set_page_config(page_title="Kirkuk Incident Map", page_icon=str(Path(__file__).parent / "static" / "app-icon.png"), layout="wide")

PAGES_DIR = Path(__file__).parent / "app" / "pages"
read_pages = [
    st.Page(str(PAGES_DIR / "map.py"), title="Map", icon=":material/map:", default=True),
    st.Page(str(PAGES_DIR / "timeline.py"), title="Timeline", icon=":material/play_circle:"),
    st.Page(str(PAGES_DIR / "lessons.py"), title="Lessons", icon=":material/school:"),
]
write_pages = [
    st.Page(str(PAGES_DIR / "add_report.py"), title="Add a report", icon=":material/post_add:"),
    st.Page(str(PAGES_DIR / "review.py"), title="Review queue", icon=":material/fact_check:"),
    st.Page(str(PAGES_DIR / "data.py"), title="Import & export", icon=":material/swap_vert:"),
]
# Any expected failure a page does not handle itself becomes one error box (app/failures.py).
with failures_stop_the_page():
    engine = get_engine()
    require_login(engine)  # a login form when the store has users; read-only mode needs none
    logout_button()
    # A viewer or a read-only screen sees no write page; the pages and the store refuse them too.
    st.navigation(read_pages + (write_pages if may_write(engine) else [])).run()
