"""Start or continue an assessment: plan details, the questionnaire, live results, export.

Every change is saved to the store as it is made, and the page's address carries the assessment
(?assessment=ID), so a refresh or another machine brings back exactly what was entered. Opening never writes:
only a person's change saves. Each save names the version this page was based on; if someone else saved in
between, the save is refused and the page offers to reload their version or keep both (merged in the store,
answer by answer). A final assessment opens read-only: it can be read and exported, and reopened as a new draft.
"""

from __future__ import annotations

import json
from typing import Any

import streamlit as st

from proofing.assessment import assess_draft, assessment_as_json, likelihood_severity_matrix
from proofing.decisions import MitigationDecision, mitigation_key
from proofing.plan import Plan, progress, visible_questions
from proofing.questionnaire import Question
from proofing.report import RecordMeta, write_record
from proofing.store import (
    Draft,
    FinalAssessmentError,
    SavedVersion,
    StaleVersionError,
    conflict_words,
    merge,
    screening_level,
)
from proofing.verify import answer_changes, plan_as_yaml
from views.common import guarded, knowledge, plain, store

kb = knowledge()
saved = store()

DETAILS = ("title", "service", "owner", "description")
NEEDED = {"title": "a title", "service": "a service", "owner": "an owner"}
DECISION_FIELDS = {"Decision": "status", "Owner": "owner", "Due": "due"}
MARKED_FINAL = (
    "Someone marked this assessment final while you were working on it, so your last change was not saved. It is "
    "shown as it was signed off; reopen it as a new draft to revise it."
)


def load(assessment_id: str, notice: str | None = None) -> bool:
    """Bring an assessment's latest saved version into this browser session (reading only, never writing)."""
    version = saved.latest(assessment_id)
    if version is None:
        return False
    st.session_state.clear()
    st.session_state.assessment_id = assessment_id
    st.session_state.base = version  # the version this page is based on: every save names it
    for field in DETAILS:
        st.session_state[f"plan_{field}"] = getattr(version.plan, field)
    for question in kb.questionnaire.questions:
        if question.id in version.plan.answers:
            st.session_state[f"q_{question.id}"] = to_widget(question, version.plan.answers[question.id])
    st.session_state.decisions = dict(version.decisions)
    if notice:
        st.session_state.notice = notice
    return True


def to_widget(question: Question, answer: Any) -> Any:
    """A saved answer as its widget holds it."""
    if question.type == "yes_no":
        return "Yes" if answer else "No"
    if question.type == "number":
        return float(answer)
    return answer


def from_widget(question: Question, value: Any) -> Any:
    """A widget's value as a saved answer (None: not answered)."""
    if value is None or value == [] or value == "":
        return None
    if question.type == "yes_no":
        return value == "Yes"
    if question.type == "number" and float(value).is_integer():
        return int(value)
    return value


def base() -> SavedVersion:
    """The saved version this page shows and its next save is based on."""
    return st.session_state.base


def read_only() -> bool:
    """A final assessment is read and exported, never changed."""
    return base().status == "final"


def details() -> dict[str, str]:
    """The plan details as typed on this page."""
    return {field: (st.session_state.get(f"plan_{field}") or "").strip() for field in DETAILS}


def missing_details() -> list[str]:
    """The details a plan cannot do without that are empty on this page (nothing is saved while any is)."""
    typed = details()
    return [field for field in NEEDED if not typed[field]]


def current_plan() -> Plan:
    """The plan on this page; a needed detail left empty is taken from the saved version, so scoring carries on."""
    answers = {}
    for question in kb.questionnaire.questions:
        value = from_widget(question, st.session_state.get(f"q_{question.id}"))
        if value is not None:
            answers[question.id] = value
    typed = details()
    for field in missing_details():
        typed[field] = getattr(base().plan, field)
    return Plan.model_validate({**typed, "answers": answers})


def decisions() -> dict[str, dict[str, str]]:
    """The decisions on the mitigations, as on this page."""
    return dict(st.session_state.get("decisions", {}))


@guarded
def save() -> None:
    """Save the page as a new version based on the one it shows: called on every change a person makes."""
    state = st.session_state
    if read_only() or state.get("conflict") or missing_details():
        return
    plan = current_plan()
    try:
        number = saved.save(
            state.assessment_id, plan, decisions(), screening_level(kb, plan), expected_version=base().version
        )
    except StaleVersionError as refused:
        state.conflict = refused.current  # shown at the top of the page: reload, or keep both
        return
    except FinalAssessmentError:
        load(state.assessment_id, MARKED_FINAL)
        return
    if number != base().version:
        state.base = saved.version(state.assessment_id, number)


@guarded
def keep_both() -> None:
    """Save this page's changes together with the other person's, then show the result."""
    state = st.session_state
    try:
        kept = saved.keep_both(kb, state.assessment_id, base().version, current_plan(), decisions())
    except FinalAssessmentError:
        load(state.assessment_id, MARKED_FINAL)
        return
    notice = f"Both your changes and theirs are saved (version {kept.version})."
    if kept.merge.conflicts:
        notice += " Where you had both changed the same thing, yours was kept; their version is in the history."
    load(state.assessment_id, notice)


@guarded
def reload() -> None:
    """Show the latest version, setting aside the changes on this page that were not saved."""
    load(st.session_state.assessment_id, "This is the latest version. Your change that was not saved was set aside.")


@guarded
def reopen() -> None:
    """A new draft made from this final assessment, which stays as it was signed off."""
    copy = saved.duplicate(st.session_state.assessment_id)
    st.query_params["assessment"] = copy
    load(copy, "This is a new draft made from the final assessment, which is kept as it was signed off.")


def edited_decisions(shown: list[dict[str, str]], edited: list[dict[str, str]]) -> dict[str, dict[str, str]]:
    """The decisions a person changed in the mitigation table: only rows that differ from what was shown.

    The table's defaults ("proposed", no owner) are never decisions by themselves, so showing it saves nothing.
    """
    changed = {}
    for before, after in zip(shown, edited, strict=True):
        if after != before:
            changed[before["key"]] = {
                field: str(after[column] or ("proposed" if field == "status" else ""))
                for column, field in DECISION_FIELDS.items()
            }
    return changed


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
            new_id = saved.create(plan, screening_level(kb, plan))
            st.query_params["assessment"] = new_id
            load(new_id)
            st.rerun()
    st.stop()

# --- the questionnaire ---------------------------------------------------------------------------

final = read_only()
plan = current_plan()
st.title(plain(details()["title"] or "Untitled plan"))
if notice := st.session_state.pop("notice", None):
    st.info(notice)
if final:
    st.info(
        "This assessment is final: it can be read and exported, but not changed. To revise it, reopen it as a new "
        "draft; the final one is kept as it was signed off."
    )
    st.button("Reopen as a new draft", on_click=reopen)

if st.session_state.get("conflict"):
    theirs = saved.latest(st.session_state.assessment_id)
    if theirs is not None:
        st.warning(
            "This assessment was changed by someone else since you opened it, so your latest change has not been "
            f"saved yet (you opened version {base().version}; it is now at version {theirs.version}). Keep both to "
            "save your changes together with theirs, or reload to see their version and set yours aside. Anything you "
            "change meanwhile stays on this page until you choose."
        )
        their_changes = [
            {"Question": question, "Before": before, "Their answer": after}
            for question, before, after in answer_changes(kb, base().plan, theirs.plan)
        ]
        if their_changes:
            st.markdown("**What they changed**")
            st.dataframe(their_changes, hide_index=True, width="stretch")
        preview = merge(
            Draft(plan=base().plan, decisions=base().decisions),
            Draft(plan=plan, decisions=decisions()),
            Draft(plan=theirs.plan, decisions=theirs.decisions),
        )
        if preview.conflicts:
            st.markdown("**You both changed these; keeping both keeps yours**")
            st.dataframe(
                [
                    dict(zip(("What", "Yours", "Theirs"), conflict_words(kb, conflict), strict=True))
                    for conflict in preview.conflicts
                ],
                hide_index=True,
                width="stretch",
            )
        choice = st.columns(2)
        choice[0].button("Keep both", on_click=keep_both, type="primary")
        choice[1].button("Reload their version", on_click=reload)

if missing := missing_details():
    st.error(
        f"The plan needs {' and '.join(NEEDED[field] for field in missing)}: fill it in under Plan details. "
        "Until then nothing is saved; your answers stay on this page."
    )

done, total = progress(kb.questionnaire, plan.answers)
st.progress(done / total if total else 0.0, text=f"{done} of {total} questions answered")

with st.expander("Plan details", expanded=bool(missing)):
    st.text_input("Title of the plan", key="plan_title", on_change=save, max_chars=300, disabled=final)
    st.text_input("Service", key="plan_service", on_change=save, max_chars=300, disabled=final)
    st.text_input("Owner", key="plan_owner", on_change=save, max_chars=300, disabled=final)
    st.text_area("What the plan does", key="plan_description", on_change=save, max_chars=20_000, disabled=final)

visible = visible_questions(kb.questionnaire, plan.answers)
section_tabs = st.tabs([section.title for section in kb.questionnaire.sections] + ["Results", "Export"])
for tab, section in zip(section_tabs, kb.questionnaire.sections, strict=False):
    with tab:
        if not any(question.id in visible for question in section.questions):
            st.info("These questions are not asked for this plan: earlier answers make them not apply.")
        for question in section.questions:
            if question.id not in visible:
                continue
            key = f"q_{question.id}"
            label = question.text + (" (required)" if question.required else "")
            labels = {option.id: option.label for option in question.options}
            match question.type:
                case "yes_no":
                    st.radio(
                        label,
                        ["Yes", "No"],
                        index=None,
                        key=key,
                        help=question.help,
                        horizontal=True,
                        on_change=save,
                        disabled=final,
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
                        disabled=final,
                    )
                case "many_of":
                    st.multiselect(
                        label,
                        list(labels),
                        format_func=labels.get,
                        key=key,
                        help=question.help,
                        on_change=save,
                        disabled=final,
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
                        disabled=final,
                    )
                case _:
                    st.text_area(label, key=key, help=question.help, on_change=save, max_chars=100_000, disabled=final)

# --- results, live -------------------------------------------------------------------------------

assessment, problems = assess_draft(kb, plan)
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
            + "\n".join(f"- {plain(p.sentence)}" for p in problems)
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
    decided = decisions()
    rows = []
    for finding in negatives:
        for index, mitigation in enumerate(finding.mitigations):
            key = mitigation_key(finding, index)
            decision = decided.get(key, {})
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
        editor = f"mitigation_editor_{st.session_state.get('editor_round', 0)}"
        edited = st.data_editor(
            rows,
            key=editor,
            disabled=True if final else ["key", "Finding", "Mitigation", "Strategy actions"],
            column_config={
                "key": None,
                "Decision": st.column_config.SelectboxColumn(options=["proposed", "accepted", "rejected", "done"]),
            },
            width="stretch",
            hide_index=True,
        )
        changed = {} if final else edited_decisions(rows, edited)
        if changed:  # only a person's edit saves; showing the table never does
            st.session_state.decisions = decided | changed
            # The edits are now in the decisions: a fresh table, so edits kept by row number never land on
            # another row when the findings change.
            st.session_state.editor_round = st.session_state.get("editor_round", 0) + 1
            save()
            st.rerun()
    else:
        st.write("No negative impact found, so no mitigation is needed.")

with section_tabs[-1]:
    st.subheader("Download")
    meta = RecordMeta(
        assessors=[plan.owner],
        decisions={k: MitigationDecision(**v) for k, v in decisions().items()},
    )
    if missing:
        st.warning(f"The Word record can be prepared once the plan has {' and '.join(NEEDED[f] for f in missing)}.")
    elif problems:
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
        data=plan_as_yaml(plan),
        file_name="plan.yaml",
    )
    st.download_button(
        "Download the assessment (.json)",
        data=json.dumps(assessment_as_json(assessment), indent=2, ensure_ascii=False).encode("utf-8"),
        file_name="assessment.json",
    )
