"""Export the assessment open in this session: the Word record, the plan file and the assessment as JSON.

Files are named from the plan's title. The record is written only on request (it takes most of a second).
"""

from __future__ import annotations

import json

import streamlit as st

from proofing.assessment import assessment_as_json
from proofing.decisions import DecisionNotes
from proofing.report import ReportDetails, write_report
from proofing.steps import file_stem
from proofing.verify import plan_as_yaml
from proofing.workshop_store import Workshops, records_for
from views import draft
from views.common import guarded, knowledge, link, plain, store

kb = knowledge()

st.title("Export")
if draft.select_assessment() is None:
    st.info("No assessment is open. Start one, or open one from the register, to export it.")
    link("views/assess.py", "Start an assessment")
    link("views/register.py", "Open one from the register")
    st.stop()
if not store().may("export", st.session_state.assessment_id):
    st.info("Your roles do not let you export this assessment; you can read it on the other pages.")
    st.stop()


@guarded
def exported(what: str) -> None:
    """Note the download in the assessment's audit trail (the store refuses one the person may not make)."""
    store().record_export(st.session_state.assessment_id, draft.base().version, what)


plan = draft.current_plan()
assessment, problems = draft.assessed(plan)
stem = file_stem(plan.title)
st.markdown(f"**Plan:** {plain(plan.title)}")
link("views/assess.py", "← Back to the questionnaire")

st.header("The Word record")
meta = ReportDetails(
    assessors=[plan.owner],
    decisions=draft.record_decisions(),
    notes=DecisionNotes.model_validate(draft.notes()),
    approval=store().approval(st.session_state.assessment_id),
    audit=store().audit(st.session_state.assessment_id),
    workshops=records_for(kb, Workshops(store().store, store().user), draft.notes()),
)
if missing := draft.missing_details():
    st.warning(f"The Word record can be prepared once the plan has {' and '.join(draft.NEEDED[f] for f in missing)}.")
elif problems:
    st.warning("The Word record can be downloaded once every required question is answered.")
    link("views/results.py", "See what is still needed on the results page")
else:
    fingerprint = (assessment.model_dump_json(), meta.model_dump_json(exclude={"produced_at", "audit"}))
    if st.session_state.get("record_for") != fingerprint:
        if st.button("Prepare the Word record", type="primary"):
            with st.spinner("Writing the Word record..."):
                st.session_state.record = write_report(kb, assessment, meta)
                st.session_state.record_for = fingerprint
            st.rerun()
    else:
        st.download_button(
            "Download the Word record (.docx)",
            data=st.session_state.record,
            file_name=f"{stem}.docx",
            mime="application/vnd.openxmlformats-officedocument.wordprocessingml.document",
            type="primary",
            on_click=exported,
            args=("the Word record",),
        )

st.header("Other files")
st.download_button(
    "Download the plan file (.yaml)",
    data=plan_as_yaml(plan),
    file_name=f"{stem}.yaml",
    on_click=exported,
    args=("the plan file",),
)
st.download_button(
    "Download the assessment (.json)",
    data=json.dumps(assessment_as_json(assessment), indent=2, ensure_ascii=False).encode("utf-8"),
    file_name=f"{stem}.json",
    on_click=exported,
    args=("the assessment as JSON",),
)
