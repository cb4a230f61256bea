"""Start or continue an assessment: plan details, the questionnaire, live results, export.

Every change is saved to the store as it is made, and the page's address carries the assessment
(?assessment=ID), so a refresh or another machine brings back exactly what was entered.
"""

from __future__ import annotations

import json
import re
from typing import Any

import streamlit as st

from proofing.assessment import assess_draft, assessment_as_json, likelihood_severity_matrix
from proofing.plan import Plan, progress, visible_questions
from proofing.questionnaire import Question
from proofing.report import MitigationDecision, RecordMeta, mitigation_key, write_record
from proofing.verify import plan_as_yaml
from views.common import knowledge, plain, store

kb = knowledge()
saved = store()

DETAILS = ("title", "service", "owner", "description")
_QUESTION_ID = re.compile(r'" \([a-z0-9_]+\)')


def in_words(problem: str) -> str:
    """A problem as a sentence: the question's words without the id a plan file would use."""
    return _QUESTION_ID.sub('"', problem)


def load(assessment_id: str) -> bool:
    """Bring an assessment's latest saved version into this browser session."""
    version = saved.latest(assessment_id)
    if version is None:
        return False
    st.session_state.clear()
    st.session_state.assessment_id = assessment_id
    for field in DETAILS:
        st.session_state[f"plan_{field}"] = getattr(version.plan, field)
    for question in kb.questionnaire.questions:
        if question.id in version.plan.answers:
            st.session_state[f"q_{question.id}"] = to_widget(question, version.plan.answers[question.id])
    st.session_state.decisions = dict(version.decisions)
    return True


def to_widget(question: Question, answer: Any) -> Any:
    if question.type == "yes_no":
        return "Yes" if answer else "No"
    if question.type == "number":
        return float(answer)
    return answer


def from_widget(question: Question, value: Any) -> Any:
    if value is None or value == [] or value == "":
        return None
    if question.type == "yes_no":
        return value == "Yes"
    if question.type == "number" and float(value).is_integer():
        return int(value)
    return value


def current_plan() -> Plan:
    answers = {}
    for question in kb.questionnaire.questions:
        value = from_widget(question, st.session_state.get(f"q_{question.id}"))
        if value is not None:
            answers[question.id] = value
    details = {field: (st.session_state.get(f"plan_{field}") or "").strip() for field in DETAILS}
    return Plan.model_construct(**details, answers=answers)


def save() -> None:
    """Save the draft as it stands: called on every change."""
    plan = current_plan()
    if not (plan.title and plan.service and plan.owner):
        return
    valid = Plan.model_validate(plan.model_dump())
    assessment, _problems = assess_draft(kb, valid)
    saved.save(st.session_state.assessment_id, valid, st.session_state.get("decisions", {}), assessment.level)


# --- which assessment ----------------------------------------------------------------------------

wanted = st.query_params.get("assessment")
if wanted and st.session_state.get("assessment_id") != wanted and not load(wanted):
    st.error("There is no saved assessment at this address. Start a new one below, or open one from the register.")
    st.query_params.clear()
    wanted = None

if "assessment_id" not in st.session_state:
    st.title("Start an assessment")
    st.write(kb.questionnaire.intro)
    with st.form("new_plan"):
        title = st.text_input("Title of the plan", max_chars=300)
        service = st.text_input("Service", max_chars=300)
        owner = st.text_input("Owner (name or role)", max_chars=300)
        description = st.text_area("What the plan does, in a few sentences", max_chars=20_000)
        started = st.form_submit_button("Start the assessment")
    if started:
        if not (title.strip() and service.strip() and owner.strip()):
            st.error("Give the plan a title, a service and an owner to start.")
        else:
            plan = Plan(title=title, service=service, owner=owner, description=description)
            new_id = saved.create(plan)
            st.query_params["assessment"] = new_id
            load(new_id)
            st.rerun()
    st.stop()

# --- the questionnaire ---------------------------------------------------------------------------

plan = current_plan()
st.title(plan.title or "Untitled plan")
done, total = progress(kb.questionnaire, plan.answers)
st.progress(done / total if total else 0.0, text=f"{done} of {total} questions answered")

with st.expander("Plan details", expanded=False):
    st.text_input("Title of the plan", key="plan_title", on_change=save, max_chars=300)
    st.text_input("Service", key="plan_service", on_change=save, max_chars=300)
    st.text_input("Owner", key="plan_owner", on_change=save, max_chars=300)
    st.text_area("What the plan does", key="plan_description", on_change=save, max_chars=20_000)

visible = visible_questions(kb.questionnaire, plan.answers)
section_tabs = st.tabs([section.title for section in kb.questionnaire.sections] + ["Results", "Export"])
for tab, section in zip(section_tabs, kb.questionnaire.sections, strict=False):
    with tab:
        for question in section.questions:
            if question.id not in visible:
                continue
            key = f"q_{question.id}"
            label = question.text + (" (required)" if question.required else "")
            labels = {option.id: option.label for option in question.options}
            match question.type:
                case "yes_no":
                    st.radio(
                        label, ["Yes", "No"], index=None, key=key, help=question.help, horizontal=True, on_change=save
                    )
                case "one_of":
                    st.radio(
                        label,
                        list(labels),
                        format_func=labels.get,
                        index=None,
                        key=key,
                        help=question.help,
                        on_change=save,
                    )
                case "many_of":
                    st.multiselect(
                        label, list(labels), format_func=labels.get, key=key, help=question.help, on_change=save
                    )
                case "number":
                    st.number_input(
                        label,
                        step=1.0,
                        format="%g",
                        min_value=question.min,
                        max_value=question.max,
                        value=None,
                        key=key,
                        help=question.help,
                        on_change=save,
                    )
                case _:
                    st.text_area(label, key=key, help=question.help, on_change=save, max_chars=100_000)

# --- results, live -------------------------------------------------------------------------------

assessment, problems = assess_draft(kb, Plan.model_validate(plan.model_dump()))
names = {c.id: c.name for c in kb.characteristics} | {c.id: c.name for c in kb.communities}
with st.sidebar:
    st.subheader("Screening so far")
    if problems:
        st.write(f"Not screened yet: {len(problems)} answer(s) still needed.")
    else:
        st.write(assessment.level_words.split(".")[0] + ".")
    counts = (
        sum(f.direction == "negative" for f in assessment.findings),
        sum(f.direction == "positive" for f in assessment.findings),
    )
    st.write(f"{counts[0]} negative and {counts[1]} positive findings. Details on the Results tab.")

with section_tabs[-2]:
    st.subheader("Screening")
    if problems:
        st.info("Not screened yet: the findings below are what the answers so far show.")
        st.warning(
            "Still to answer or correct before the assessment is complete:\n\n"
            + "\n".join(f"- {plain(in_words(p))}" for p in problems)
        )
    else:
        st.info(assessment.level_words)
        st.write(f"Decision asked for: {assessment.decision}")
    negatives = [f for f in assessment.findings if f.direction == "negative"]
    positives = [f for f in assessment.findings if f.direction == "positive"]
    st.write(f"{len(negatives)} negative and {len(positives)} positive findings.")
    for finding in assessment.findings:
        tag = finding.rag.upper() if finding.direction == "negative" else "POSITIVE"
        st.markdown(f"- **{tag}, {finding.score}**: {finding.title}")
    if assessment.profile:
        st.subheader("Impact by group")
        st.bar_chart(
            {"Highest negative score": {e.name: e.highest_negative_score for e in assessment.profile}},
            horizontal=True,
        )
        st.subheader("Likelihood × severity")
        st.dataframe(likelihood_severity_matrix(assessment), width="stretch", hide_index=True)
    for group, entries in (("Characteristics", "characteristic"), ("Communities", "community")):
        profile = [e for e in assessment.profile if e.kind == entries]
        if profile:
            st.subheader(group)
        for entry in profile:
            touching = [f for f in assessment.findings if entry.id in f.characteristics + f.communities]
            with st.expander(f"{entry.name}: {entry.negative} negative, {entry.positive} positive"):
                for finding in touching:
                    tag = finding.rag.upper() if finding.direction == "negative" else "POSITIVE"
                    st.markdown(
                        f"**{finding.title}** ({tag}, {finding.likelihood} × {finding.severity} = {finding.score})"
                    )
                    st.write(finding.rationale)
                    for because in finding.because:
                        st.text(f"Because: {because.question_text} {because.answer_text}")
    if assessment.gaps:
        st.subheader("Gaps in this assessment")
        for gap in assessment.gaps:
            st.write(f"- {gap.message}")
    st.subheader("Mitigation plan")
    decisions: dict[str, dict[str, str]] = dict(st.session_state.get("decisions", {}))
    rows = []
    for finding in negatives:
        for index, mitigation in enumerate(finding.mitigations):
            key = mitigation_key(finding, index)
            decision = decisions.get(key, {})
            rows.append(
                {
                    "key": key,
                    "Finding": finding.title,
                    "Mitigation": mitigation.text,
                    "Strategy actions": ", ".join(a.id for a in mitigation.linked),
                    "Decision": decision.get("status", "proposed"),
                    "Owner": decision.get("owner", ""),
                    "Due": decision.get("due", ""),
                }
            )
    if rows:
        edited = st.data_editor(
            rows,
            key="mitigation_editor",
            disabled=["key", "Finding", "Mitigation", "Strategy actions"],
            column_config={
                "key": None,
                "Decision": st.column_config.SelectboxColumn(options=["proposed", "accepted", "rejected", "done"]),
            },
            width="stretch",
            hide_index=True,
        )
        updated = {
            row["key"]: {"status": row["Decision"] or "proposed", "owner": row["Owner"] or "", "due": row["Due"] or ""}
            for row in edited
        }
        if updated != {k: decisions.get(k) for k in updated} and updated != decisions:
            st.session_state.decisions = decisions | updated
            save()
    else:
        st.write("No negative impact found, so no mitigation is needed.")

with section_tabs[-1]:
    st.subheader("Download")
    meta = RecordMeta(
        assessors=[plan.owner],
        decisions={k: MitigationDecision(**v) for k, v in st.session_state.get("decisions", {}).items()},
    )
    if problems:
        st.warning("The Word record can be downloaded once every required question is answered.")
    else:
        # Writing the record takes most of a second: only on request, never on every rerun.
        fingerprint = (assessment.model_dump_json(), meta.model_dump_json(exclude={"produced_at"}))
        if st.session_state.get("record_for") != fingerprint:
            if st.button("Prepare the Word record"):
                with st.spinner("Writing the Word record..."):
                    st.session_state.record = write_record(kb, assessment, meta)
                    st.session_state.record_for = fingerprint
                st.rerun()
        else:
            st.download_button(
                "Download the Word record (.docx)",
                data=st.session_state.record,
                file_name="eia-record.docx",
                mime="application/vnd.openxmlformats-officedocument.wordprocessingml.document",
            )
    st.download_button(
        "Download the plan file (.yaml)",
        data=plan_as_yaml(Plan.model_validate(plan.model_dump())),
        file_name="plan.yaml",
    )
    st.download_button(
        "Download the assessment (.json)",
        data=json.dumps(assessment_as_json(assessment), indent=2, ensure_ascii=False).encode("utf-8"),
        file_name="assessment.json",
    )
