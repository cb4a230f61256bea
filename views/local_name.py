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
from proofing.identity import MAX_NAME, is_local, named_local_user
from views.common import _, guarded, reported, shared_store


@guarded
def keep_name() -> None:
    """Keep the name typed (the store refuses one that will not do, and the sidebar says why)."""
    state = st.session_state
    user = state.get("user")
    if not isinstance(user, User):
        return
    try:
        shared_store().acting(user).set_own_name(state.get("local_name") or "")
    except ProofingError as refused:
        state.local_name_problem = str(refused)


def named(user: User) -> User:
    """The user with their name: in local mode the name they gave (asked for in the sidebar), else as signed in."""
    if not is_local(user):
        return user
    given: str | None = None
    with reported():
        given = shared_store().name_of(user.subject)
    st.sidebar.text_input(
        _("Your name"),
        value=given or "",
        key="local_name",
        max_chars=MAX_NAME,
        on_change=keep_name,
        help=_("The audit trail, the versions and the records name whoever acts here by this name."),
    )
    if problem := st.session_state.pop("local_name_problem", None):
        st.sidebar.error(_("Your name was not kept: {problem}", problem=problem))
    elif given is None:
        st.sidebar.caption(_("Give your name once: the audit trail and the records then name you, not “Local user”."))
    return named_local_user(given)
