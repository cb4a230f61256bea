"""Roles: an administrator assigns roles to people by their sign-in identity (the identity provider's subject).

Roles assigned here add to those the identity provider's claim gives (views.signin.require_user(assigned=...)).
The store refuses anyone but an administrator, whatever this page shows; every change is in the audit trail.
"""

from __future__ import annotations

import streamlit as st

from proofing.access import ROLE_WORDS, ROLES
from views.common import guarded, plain, store

saved = store()

st.title("Roles")
if not saved.may("assign_roles"):
    st.info("Only an administrator can assign roles.")
    st.stop()


@guarded
def assign() -> None:
    """Give the subject named exactly the roles chosen (none: remove their roles assigned here)."""
    state = st.session_state
    subject = state.get("role_subject", "").strip()
    if not subject:
        state.role_problem = "Give the person's sign-in identity (their subject) to assign roles."
        return
    saved.set_roles(subject, set(state.get("role_roles", [])))
    state.role_done = f"{subject} now has: {', '.join(ROLE_WORDS[r] for r in state.get('role_roles', [])) or 'no role'}"


st.write(
    "A person's sign-in identity is the identity provider's subject (the `sub` claim). The roles chosen replace "
    "those assigned here before; choose none to remove them. Roles from the identity provider are not changed."
)
with st.form("roles", border=False):
    st.text_input("Sign-in identity (subject)", key="role_subject", max_chars=200)
    st.multiselect("Roles", ROLES, key="role_roles", format_func=lambda role: ROLE_WORDS[role])
    st.form_submit_button("Assign these roles", type="primary", on_click=assign)
if problem := st.session_state.pop("role_problem", None):
    st.error(problem)
if done := st.session_state.pop("role_done", None):
    st.success(plain(done))

st.header("Roles assigned in the app")
assigned = saved.role_assignments()
if assigned:
    st.dataframe(
        [
            {"Subject": subject, "Roles": ", ".join(ROLE_WORDS[role] for role in sorted(roles))}
            for subject, roles in assigned.items()
        ],
        hide_index=True,
    )
else:
    st.write("No roles have been assigned in the app yet.")
