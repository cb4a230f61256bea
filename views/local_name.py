"""Local mode's one user gives their name once, in the sidebar, so every actor line names them.

With no sign-in nobody's name comes from an identity provider, so the audit trail, the version history and the
records would all say "Local user". The name is kept in the store (proofing.store's ``user_names``) for every page
and visit; the rules for a name are proofing.identity's. A signed-in person is named by their sign-in: nothing is
drawn for them.
"""

from __future__ import annotations

import streamlit as st

from proofing.access import User
from proofing.errors import ProofingError
from proofing.identity import MAX_NAME, clean_name, is_local, named_local_user
from views.common import _, reported, shared_store
from views.library_words import worded


def named(user: User) -> User:
    """The user with their name: in local mode the name they gave (asked for in the sidebar), else as signed in."""
    if not is_local(user):
        return user
    given: str | None = None
    with reported():
        given = shared_store().name_of(user.subject)
    # No key: a page that opens another assessment clears the session's keys (views/draft.py), and this field is
    # drawn before the page; its value is compared with the name kept instead.
    typed = st.sidebar.text_input(
        _("Name for the audit trail and the records"),
        value=given or "",
        max_chars=MAX_NAME,
        help=_("The audit trail, the versions and the records name whoever acts here by this name."),
    )
    if typed.strip() and clean_name(typed) != (given or ""):
        try:
            shared_store().acting(named_local_user(given)).set_own_name(typed)
        except ProofingError as refused:
            st.sidebar.error(_("Your name was not kept: {problem}", problem=worded(refused)))
        else:
            given = clean_name(typed)
    elif given is None:
        st.sidebar.caption(_("Give your name once: the audit trail and the records then name you, not “Local user”."))
    return named_local_user(given)
