"""Roles: an administrator assigns roles to people by their sign-in identity (the identity provider's subject).

Roles assigned here add to those the identity provider's claim gives (views.signin.require_user(assigned=...)).
The store refuses anyone but an administrator, whatever this page shows; every change is in the audit trail.
"""

from __future__ import annotations

import streamlit as st

from proofing import vocabulary
from proofing.access import ROLE_WORDS, ROLES
from proofing.vocabulary import worded
from views.common import _, guarded, plain, store, translation

saved = store()
# proofing.vocabulary's role names, in the session's language.
ROLE_NAMES = worded(vocabulary.ROLE_WORDS, translation())


def role_name(role: str) -> str:
    """A role in the session's language (the library's English word for a role this page does not know)."""
    return ROLE_NAMES.get(role, ROLE_WORDS.get(role, role))  # type: ignore[call-overload]


st.title(_("Roles"))
if not saved.may("assign_roles"):
    st.info(_("Only an administrator can assign roles."))
    st.stop()


@guarded
def assign() -> None:
    """Give the subject named exactly the roles chosen (none: remove their roles assigned here)."""
    state = st.session_state
    subject = state.get("role_subject", "").strip()
    if not subject:
        state.role_problem = _("Give the person's sign-in identity (their subject) to assign roles.")
        return
    saved.set_roles(subject, set(state.get("role_roles", [])))
    given = ", ".join(role_name(r) for r in state.get("role_roles", [])) or _("no role")
    state.role_done = _("{subject} now has: {roles}", subject=subject, roles=given)


st.write(
    _(
        "A person's sign-in identity is the identity provider's subject (the `sub` claim). The roles chosen replace "
        "those assigned here before; choose none to remove them. Roles from the identity provider are not changed."
    )
)
with st.form("roles", border=False):
    st.text_input(_("Sign-in identity (subject)"), key="role_subject", max_chars=200)
    st.multiselect(_("Roles"), ROLES, key="role_roles", format_func=role_name)
    st.form_submit_button(_("Assign these roles"), type="primary", on_click=assign)
if problem := st.session_state.pop("role_problem", None):
    st.error(problem)
if done := st.session_state.pop("role_done", None):
    st.success(plain(done))

st.header(_("Roles assigned in the app"))
assigned = saved.role_assignments()
if assigned:
    st.dataframe(
        [
            {_("Subject"): subject, _("Roles"): ", ".join(role_name(role) for role in sorted(roles))}
            for subject, roles in assigned.items()
        ],
        hide_index=True,
    )
else:
    st.write(_("No roles have been assigned in the app yet."))
