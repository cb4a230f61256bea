"""The whole audit trail, for those whose role lets them see every assessment's (approver, auditor, administrator).

Append-only: the database itself refuses to change or remove an entry. Each assessment's own trail is also on
its page.
"""

from __future__ import annotations

import streamlit as st

from proofing.access import PermissionDenied
from proofing.store import AuditEntry
from views.common import _, store, translation


def rows(entries: list[AuditEntry]) -> list[dict[str, str]]:
    """Audit entries as table rows, the columns named in the session's language (what was done stays as recorded)."""
    words = translation()
    return [
        {
            _("When (UTC)"): f"{words.date(entry.at)} {entry.at:%H:%M:%S}",
            _("Who"): entry.who,
            _("What"): entry.action,
            _("Assessment"): entry.assessment_id or "",
            _("Version"): "" if entry.version is None else str(entry.version),
            _("Detail"): entry.detail,
        }
        for entry in entries
    ]


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
    st.dataframe(rows(entries[::-1]), hide_index=True)
else:
    st.write(_("Nothing has been recorded yet."))
