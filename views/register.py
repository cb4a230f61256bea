"""Every saved assessment: search, filter, open, duplicate, mark final, and compare two versions.

Showing the register never writes. Marking final names the version the list showed, so nobody signs off a
version someone saved after they looked; a final assessment is reopened as a new draft, never changed.
"""

from __future__ import annotations

from datetime import date

import streamlit as st

from proofing.assessment import assess_draft, level_label
from proofing.questionnaire import LEVELS
from proofing.store import STATUS_WORDS, STATUSES, StaleVersionError
from proofing.verify import answer_changes, compare
from views.common import knowledge, plain, store

kb = knowledge()
saved = store()

st.title("Register of assessments")
search = st.text_input("Search by title, service or owner")
columns = st.columns(4)
service = columns[0].selectbox("Service", ["All"] + saved.services())
level = columns[1].selectbox(
    "Screening level", ["All", *LEVELS], format_func=lambda value: value if value == "All" else level_label(kb, value)
)
status = columns[2].selectbox("Status", ["All", *STATUSES], format_func=lambda value: STATUS_WORDS.get(value, value))
since = columns[3].date_input("Updated since", value=None)
found = saved.list(
    search=search,
    service=None if service == "All" else service,
    level=None if level == "All" else level,
    status=None if status == "All" else status,
    since=since if isinstance(since, date) else None,
)
if not found:
    st.info("No saved assessment matches.")
    st.stop()
st.dataframe(
    [
        {
            "Title": s.title,
            "Service": s.service,
            "Owner": s.owner,
            "Level": level_label(kb, s.level),
            "Status": STATUS_WORDS[s.status],
            "Versions": s.versions,
            "Updated": s.updated_at.strftime("%Y-%m-%d %H:%M"),
        }
        for s in found
    ],
    width="stretch",
    hide_index=True,
)
chosen = st.selectbox("Assessment", found, format_func=lambda s: f"{s.title} ({s.service})")
buttons = st.columns(3)
if buttons[0].button("Open" if chosen.status == "draft" else "Open (read-only)"):
    st.switch_page("views/assess.py", query_params={"assessment": chosen.assessment_id})
if buttons[1].button("Duplicate as a new draft" if chosen.status == "draft" else "Reopen as a new draft"):
    copy = saved.duplicate(chosen.assessment_id)
    st.switch_page("views/assess.py", query_params={"assessment": copy})
if chosen.status == "draft" and buttons[2].button("Mark as final"):
    try:
        saved.set_status(chosen.assessment_id, "final", expected_version=chosen.latest_version)
    except StaleVersionError:
        st.warning(
            "Someone changed this assessment after the list was shown, so it was not marked final. "
            "Look at the latest version first, then mark it final."
        )
    else:
        st.rerun()

versions = saved.versions(chosen.assessment_id)
if len(versions) > 1:
    st.subheader("Compare two versions")
    pick = st.columns(2)
    label = lambda v: f"Version {v.version}, {v.saved_at:%Y-%m-%d %H:%M}"  # noqa: E731
    old = pick[0].selectbox("Earlier", versions, index=0, format_func=label)
    new = pick[1].selectbox("Later", versions, index=len(versions) - 1, format_func=label)
    before, _ = assess_draft(kb, old.plan)
    after, _ = assess_draft(kb, new.plan)
    changes = [
        {"Question": question, "Earlier": earlier, "Later": later}
        for question, earlier, later in answer_changes(kb, old.plan, new.plan)
    ]
    left, right = st.columns(2)
    left.markdown("**Answers that changed**")
    if changes:
        left.dataframe(changes, hide_index=True, width="stretch")
    else:
        left.write("None.")
    right.markdown("**Findings that changed**")
    for difference in compare(before, after) or ["None."]:
        right.write(plain(difference))
