"""Expected failures (errors.ExpectedFailure) shown on a page: one error box that says what to do.

The one place the app turns them into messages; anything else is a bug and keeps its traceback.
"""
from __future__ import annotations

from contextlib import contextmanager
from typing import Iterator

import streamlit as st

from errors import ExpectedFailure
from mapview.text import escape_markdown


def show_failure(failure: ExpectedFailure, context: str = "") -> None:
    """One error box with the failure's message, escaped: it may quote a file, a header or a value."""
    st.error(escape_markdown(f"{context}{failure}"))


@contextmanager
def failures_stop_the_page(context: str = "") -> Iterator[None]:
    """An ExpectedFailure raised inside is shown (show_failure) and the page stops there."""
    try:
        yield
    except ExpectedFailure as failure:
        show_failure(failure, context)
        st.stop()
