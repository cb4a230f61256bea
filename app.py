"""The proofing app: a thin Streamlit face over the proofing library.

Pages live in views/; they call the library and the store and hold no business logic. Whatever a page raises
that it did not foresee is logged with a short reference and shown as a plain message carrying it (see
views/common.py); Streamlit itself shows no error details (.streamlit/config.toml).

Each page has its own browser title, and keyboard focus is drawn as a thick ring (FOCUS below) so a person
moving by keyboard can always see where they are.
"""

from __future__ import annotations

import logging

import streamlit as st

from proofing.language import LANGUAGE_NAMES, LANGUAGES, is_language
from views import signin
from views.common import language, reported, shared_store

logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")

# Our own stylesheet, never user text: a visible focus ring on every control, and readable captions.
FOCUS = """<style>
:focus-visible, [data-baseweb] :focus-visible, button:focus-visible, a:focus-visible, input:focus-visible,
textarea:focus-visible, [role="radio"]:focus-visible, [role="combobox"]:focus-visible {
  outline: 3px solid #1d4ed8 !important; outline-offset: 2px !important; box-shadow: 0 0 0 5px #ffffff !important;
}
/* Captions and hints dark enough to read (WCAG AA contrast on white). */
[data-testid="stCaptionContainer"], [data-testid="stCaptionContainer"] p, [data-testid="stWidgetLabel"] small {
  color: #4a4f5a !important; opacity: 1 !important;
}
</style>"""


def language_switch(subject: str) -> None:
    """Cymraeg or English, on every page (the sidebar), Welsh first; remembered for the person in the store."""
    state = st.session_state
    if not is_language(state.get("language")):
        state.language = shared_store().language_of(subject) or language()
    choice = st.sidebar.radio(
        "Iaith · Language",
        LANGUAGES,
        index=LANGUAGES.index(state.language),
        format_func=LANGUAGE_NAMES.__getitem__,
        horizontal=True,
    )
    if choice != state.language:  # before the page runs, so the page is drawn in the language chosen
        state.language = choice
        with reported():
            shared_store().set_language(subject, choice)


navigation = st.navigation(
    [
        st.Page("views/assess.py", title="Assess a plan", default=True),
        st.Page("views/results.py", title="Results"),
        st.Page("views/export.py", title="Export"),
        st.Page("views/register.py", title="Register"),
        st.Page("views/rule_base.py", title="Rule base"),
        st.Page("views/training.py", title="Training"),
        st.Page("views/trainer.py", title="Trainer"),
        st.Page("views/workshop.py", title="EIA workshop", url_path="workshop"),
        st.Page("views/join.py", title="Join a workshop", url_path="join"),
        st.Page("views/audit.py", title="Audit trail"),
        st.Page("views/admin.py", title="Roles"),
    ]
)
st.set_page_config(page_title=f"{navigation.title} · Cohesion proofing", layout="wide")
st.html(FOCUS)
# Who is using the app: signed in through the council's identity provider, or the one local user (with a
# banner) in local mode; local mode is refused on any address but loopback. See views/signin.py.
st.session_state.user = signin.require_user(assigned=shared_store().assigned_roles)
language_switch(st.session_state.user.subject)
with reported():
    navigation.run()
