"""Who is using this browser session: the login form (when the store has users), the
read-only mode, and the actor every write of the session is checked against and recorded as.

The store checks every write itself (incidents.access via write_transaction); this module
only tells it who is acting, and hides what the actor may not do.
"""
from __future__ import annotations

from contextlib import contextmanager
from typing import Iterator

import sqlalchemy as sa
import streamlit as st

from incidents.access import Actor, acting_as, is_read_only, set_actor, write_refusal
from incidents.users import authenticate, users_exist

ACTOR_KEY = "_actor"  # the logged-in Actor, kept in the session
READ_ONLY_ACTOR = Actor("public screen", "viewer", via="app (read-only)")


def session_actor(engine: sa.Engine) -> Actor | None:
    """The session's actor: the logged-in user, a viewer in read-only mode, or nobody (no users yet)."""
    if is_read_only():
        return READ_ONLY_ACTOR
    return st.session_state.get(ACTOR_KEY)


@contextmanager
def as_session_user(engine: sa.Engine) -> Iterator[None]:
    """Run a write (a button's callback) as the session's actor; callbacks run before the page sets it."""
    with acting_as(session_actor(engine)):
        yield


def may_write(engine: sa.Engine) -> bool:
    """True when the session's actor may change incidents (hides the write pages and buttons otherwise)."""
    with acting_as(session_actor(engine)):
        return write_refusal(users_exist(engine)) is None


def require_login(engine: sa.Engine) -> Actor | None:
    """Set the session's actor for this run; when the store has users and nobody is logged in,
    draw the login form and stop the page."""
    actor = session_actor(engine)
    if actor is None and not is_read_only() and users_exist(engine):
        _login_form(engine)
        st.stop()
    set_actor(actor)
    return actor


def require_writer(engine: sa.Engine) -> None:
    """A write page's first line: who may not write sees why, and the page stops (even when opened directly)."""
    require_login(engine)
    with acting_as(session_actor(engine)):
        refusal = write_refusal(users_exist(engine))
    if refusal:
        st.warning(refusal)
        st.stop()


def _login_form(engine: sa.Engine) -> None:
    st.title("Kirkuk Incident Map")
    with st.form("login"):
        name = st.text_input("User name", key="login_name")
        password = st.text_input("Password", type="password", key="login_password")
        submitted = st.form_submit_button("Log in")
    if submitted:
        actor = authenticate(engine, name, password, via="app")
        if actor is None:
            st.error("Unknown user name or wrong password. An admin can reset it: python -m incidents user reset-password NAME.")
            return
        st.session_state[ACTOR_KEY] = actor
        st.session_state.pop("login_password", None)
        st.rerun()


def logout_button() -> None:
    """In the sidebar: who is logged in, and a button to log out."""
    actor = st.session_state.get(ACTOR_KEY)
    if actor is None:
        return
    st.sidebar.text(f"Logged in: {actor.name} ({actor.role})")
    if st.sidebar.button("Log out", key="logout"):
        st.session_state.pop(ACTOR_KEY, None)
        st.rerun()
