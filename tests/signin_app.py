"""A tiny app for the sign-in tests: it makes the one call app.py makes, then shows who is signed in and what the
roles allow ("Approve" only with a role that may approve, "Assign roles" only for an administrator).

Run by AppTest (tests/test_identity.py) and by a real ``streamlit run`` (tests/test_e2e_signin.py). Its body runs
only as a Streamlit script (``__name__ == "__main__"``), so pytest's doctest collection can import it harmlessly.
"""

from __future__ import annotations

import streamlit as st

from proofing.access import ROLE_WORDS, may
from views import signin


def main() -> None:
    """The page: who is signed in, their roles, and one element per permission the test checks."""
    user = signin.require_user()
    st.header("Signed in")
    st.text(f"Name: {user.name}")
    st.text("Roles: " + ", ".join(ROLE_WORDS[role] for role in sorted(user.roles)))
    if may(user, "create"):
        st.button("Start an assessment")
    if may(user, "approve"):
        st.button("Approve")
    if may(user, "assign_roles"):
        st.button("Assign roles")


if __name__ == "__main__":
    main()
