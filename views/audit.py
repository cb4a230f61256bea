"""The whole audit trail, for those whose role lets them see every assessment's (approver, auditor, administrator).

Append-only: the database itself refuses to change or remove an entry. Each assessment's own trail is also on
its page. Each entry reads in words (proofing.audit_words): assessments by their titles, questions by their own
text, mitigations by their findings' titles; this page only draws them.
"""

from __future__ import annotations

import streamlit as st

from proofing.access import PermissionDenied
from views.common import _, audit_rows, store

st.title(_("Audit trail"))
try:
    entries = store().audit()
except PermissionDenied:
    st.info(_("Your roles do not let you see the whole audit trail; each assessment you may see shows its own."))
    st.stop()
st.write(
    _("Who did what, and when: created, answered, accepted a mitigation, finalised, reopened, exported, shared, roles.")
)
if entries:
    st.dataframe(audit_rows(entries[::-1]), hide_index=True)
else:
    st.write(_("Nothing has been recorded yet."))
