"""The configuration check in the app (proofing.doctor, the same as ``proofing doctor``), called by views/signin.py.

- Before the sign-in button: a sign-in fault (a placeholder client id, secret or tenant, a redirect address that is
  not https, a cookie secret left as the example's) stops the page with every such fault and its fix, instead of a
  button that would end in Streamlit's bare "Authentication error". No fault quotes a secret.
- After sign-in: an administrator sees every fault of the whole configuration (database, public address, signing
  key too), checked once per session; nobody else does.

The words are the library's (proofing.doctor), in the session's language.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import streamlit as st

from proofing import doctor
from proofing.access import User, may
from views.common import _, n_, plain, translation

_KEPT = "_configuration_report"


def _listed(faults: tuple[doctor.Fault, ...]) -> str:
    """The faults as a Markdown list, each made inert (a value never reads as Markdown)."""
    return "\n".join(f"- {plain(fault.sentence(translation()._))}" for fault in faults)


def stop_on_signin_faults(secrets: Mapping[str, Any]) -> None:
    """Stop the page, listing every fault of the sign-in configuration, when there is one (else do nothing)."""
    faults = tuple(fault for fault in doctor.signin_faults(secrets, "127.0.0.1") if fault.area == "sign-in")
    if not faults:
        return
    heading = _("Sign-in is not set up correctly, so nobody can use the app yet. Each fault, with its fix:")
    st.error(f"{plain(heading)}\n\n{_listed(faults)}")
    st.stop()


def show_to_administrator(user: User, secrets: Mapping[str, Any]) -> None:
    """For an administrator: every fault of the whole configuration, as a warning above the page (checked once per
    session, so the database is not asked on every click)."""
    if not may(user, "assign_roles"):
        return
    report = st.session_state.get(_KEPT)
    if not isinstance(report, doctor.Report):
        report = doctor.check(secrets, server_address=st.get_option("server.address"))
        st.session_state[_KEPT] = report
    if not report.sound:
        st.warning(f"{plain(report.heading(n_))}\n\n{_listed(report.faults)}")
