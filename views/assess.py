"""Start or continue an assessment: plan details and the questionnaire, one section (step) at a time.

Every change is saved as it is made, and the page's address carries the assessment and the step
(?assessment=ID&step=SECTION), so a refresh, another page and back, or another machine bring back exactly what
was entered (views/draft.py). Opening never writes: only a person's change saves, one version per editing session;
named versions and restoring an earlier one are under "Versions". Each save names the version this page was based
on; if someone else saved in between, the save is refused and the page offers to reload their version or keep both.
Results and Export are pages of their own, one click away from every step. A final assessment opens read-only.
"""

from __future__ import annotations

import streamlit as st

from proofing.plan import Plan, visible_questions
from proofing.questionnaire import Question
from proofing.service import keep_both as keep_both_saved
from proofing.service import restore_version, start_assessment
from proofing.steps import (
    completed_sections,
    follow_ups,
    may_be_not_applicable,
    needed_count,
    neighbours,
    shown_sections,
    step_progress,
)
from proofing.store import Draft, FinalAssessmentError, StaleVersionError, StoreError, merge
from proofing.verify import answer_changes
from proofing.version_words import conflict_words, history_words, reopened_words
from views import draft, typed_text, widgets
from views.common import (
    _,
    audit_rows,
    day,
    fell_back,
    guarded,
    knowledge,
    link,
    marked,
    marked_text,
    n_,
    plain,
    store,
    translation,
)
from views.library_words import sentence_of

kb = knowledge()
saved = store()


@guarded
def keep_both() -> None:
    """Save this page's changes together with the other person's, then show the result."""
    state = st.session_state
    opened = draft.base()
    try:
        kept = keep_both_saved(
            saved,
            kb,
            state.assessment_id,
            opened.version,
            draft.current_plan(),
            draft.decisions(),
            notes=draft.notes(),
            base=Draft(plan=opened.plan, decisions=opened.decisions, notes=opened.notes),
        )
    except FinalAssessmentError:
        draft.load(state.assessment_id, _(draft.MARKED_FINAL))
        return
    notice = _("Both your changes and theirs are saved (version {version}).", version=kept.version)
    if kept.merge.conflicts:
        notice += " " + _("Where you had both changed the same thing, yours was kept; their version is in the history.")
    draft.load(state.assessment_id, notice)


@guarded
def reload() -> None:
    """Show the latest version, setting aside the changes on this page that were not saved."""
    draft.load(
        st.session_state.assessment_id, _("This is the latest version. Your change that was not saved was set aside.")
    )


@guarded
def reopen() -> None:
    """A new draft version of this final assessment; the approved version stays as it was signed off."""
    approved, editing = draft.base().version, st.session_state.editing
    number = saved.reopen(st.session_state.assessment_id, editing=editing)  # this page goes on in the new draft
    draft.load(st.session_state.assessment_id, reopened_words(approved, number, translation()))
    st.session_state.editing = editing


def go_to(section_id: str) -> None:
    """Show another step, and keep it in the address so a reload comes back to it."""
    st.query_params["step"] = section_id


@guarded
def step_chosen() -> None:
    """A step picked from the list of sections."""
    st.query_params["step"] = st.session_state.step_list


@guarded
def share() -> None:
    """Share the open assessment with the colleague named (the store refuses anyone who may not share it)."""
    subject = st.session_state.get("share_with", "").strip()
    if subject:
        saved.share(st.session_state.assessment_id, subject)
        st.session_state.share_with = ""


@guarded
def checkpoint() -> None:
    """Name the latest version, so the next change starts a new one."""
    state = st.session_state
    name = state.get("checkpoint_name", "")
    try:
        saved.checkpoint(state.assessment_id, name, expected_version=draft.base().version)
    except StaleVersionError:
        state.conflict = True
        return
    except StoreError as refused:
        state.notice = sentence_of(refused)
        return
    state.base = saved.latest(state.assessment_id)
    state.checkpoint_name = ""
    state.notice = _(
        "Version {version} is now named “{name}”.", version=draft.base().version, name=" ".join(name.split())
    )


@guarded
def restore(version: int) -> None:
    """Make an earlier version the latest again (a new version; nothing in between is lost)."""
    state = st.session_state
    try:
        number = restore_version(
            saved,
            kb,
            state.assessment_id,
            version,
            expected_version=draft.base().version,
            expected_revision=draft.base().revision,
        )
    except StaleVersionError:
        state.conflict = True
        return
    draft.load(
        state.assessment_id,
        _("Version {version} is restored as version {number}; every version is kept.", version=version, number=number),
    )


def ask(question: Question, disabled: bool, follows: list[str]) -> None:
    """Draw one question as its type asks (the one widget table, views/widgets.py): every change saves.

    A follow-up (shown because of the answers to `follows`) is drawn in a box that says which question it follows,
    with "Not applicable" when no rule needs it answered: ticked, the plan keeps it as not applicable."""
    label = widgets.label(question.text) + (" " + _("(required)") if question.required else "")
    help_text = marked(question.help) if question.help else None
    if not follows:
        widgets.draw(question, label, key=f"q_{question.id}", help=help_text, on_change=draft.save, disabled=disabled)
        return
    asked = [kb.questionnaire.question(other) for other in follows]
    with st.container(border=True, key=f"follow_up_{question.id}"):
        st.caption(_("Follow-up to: {question}", question="; ".join(marked(q.text) for q in asked if q is not None)))
        not_applicable = f"na_{question.id}"
        ruled_out = may_be_not_applicable(question) and bool(st.session_state.get(not_applicable))
        widgets.draw(
            question,
            label,
            key=f"q_{question.id}",
            help=help_text,
            on_change=draft.save,
            disabled=disabled or ruled_out,
        )
        answered = widgets.from_widget(question, st.session_state.get(f"q_{question.id}")) is not None
        if may_be_not_applicable(question) and not answered:  # once answered, the answer settles it
            st.checkbox(_("Not applicable"), key=not_applicable, on_change=draft.save, disabled=disabled)


# --- which assessment ----------------------------------------------------------------------------

if draft.select_assessment() is None:
    st.title(_("Start an assessment"))
    if not saved.may("create"):
        st.info(_("Your roles do not let you start an assessment. Open one from the register to read it."))
        link("views/register.py", _("Go to the register"))
        st.stop()
    st.write(marked(kb.questionnaire.intro))
    with st.form("new_plan"):
        title = st.text_input(_("Title of the plan"), max_chars=300)
        service = st.text_input(_("Service"), max_chars=300)
        owner = st.text_input(_("Owner (name or role)"), max_chars=300)
        description = st.text_area(_("What the plan does, in a few sentences"), max_chars=20_000)
        started = st.form_submit_button(_("Start the assessment"), type="primary")
    if started:
        if not (title.strip() and service.strip() and owner.strip()):
            st.error(_("Give the plan a title, a service and an owner to start."))
        else:
            plan = Plan(title=title, service=service, owner=owner, description=description)
            new_id = start_assessment(saved, knowledge(), plan)
            st.query_params["assessment"] = new_id
            draft.load(new_id)
            st.rerun()
    st.write(_("Or start from a plan file or a Word record on the register."))
    link("views/register.py", _("Go to the register"))
    st.stop()

# --- the plan ------------------------------------------------------------------------------------

final = draft.read_only()
st.title(plain(draft.details()["title"] or _("Untitled plan")))
if notice := st.session_state.pop("notice", None):
    st.info(notice)
if draft.base().status == "final":
    st.info(
        _(
            "This assessment is final: it can be read and exported, but not changed. To revise it, reopen it as a "
            "new draft; the final one is kept as it was signed off."
        )
    )
    if saved.may("reopen", st.session_state.assessment_id):
        st.button(_("Reopen as a new draft"), on_click=reopen)
elif final:
    st.info(_("Your roles let you read this assessment, not change it."))

if st.session_state.get("conflict"):
    theirs = saved.latest(st.session_state.assessment_id)
    if theirs is not None:
        opened = draft.base()
        st.warning(
            _(
                "This assessment was changed by someone else since you opened it, so your latest change has not been "
                "saved yet (you opened version {opened}; it is now at version {now}). Keep both to save your changes "
                "together with theirs, or reload to see their version and set yours aside. Anything you change "
                "meanwhile stays on this page until you choose.",
                opened=opened.version,
                now=theirs.version,
            )
        )
        their_changes = [
            {_("Question"): question, _("Before"): before, _("Their answer"): after}
            for question, before, after in answer_changes(kb, opened.plan, theirs.plan)
        ]
        if their_changes:
            st.markdown("**" + _("What they changed") + "**")
            st.dataframe(their_changes, hide_index=True, width="stretch")
        preview = merge(
            Draft(plan=opened.plan, decisions=opened.decisions, notes=opened.notes),
            Draft(plan=draft.current_plan(), decisions=draft.decisions(), notes=draft.notes()),
            Draft(plan=theirs.plan, decisions=theirs.decisions, notes=theirs.notes),
        )
        if preview.conflicts:
            st.markdown("**" + _("You both changed these; keeping both keeps yours") + "**")
            columns = (_("What"), _("Yours"), _("Theirs"))
            st.dataframe(
                [
                    dict(zip(columns, conflict_words(kb, conflict, translation()), strict=True))
                    for conflict in preview.conflicts
                ],
                hide_index=True,
                width="stretch",
            )
        choice = st.columns(2)
        choice[0].button(_("Keep both"), on_click=keep_both, type="primary")
        choice[1].button(_("Reload their version"), on_click=reload)

if missing := draft.missing_details():
    st.error(
        _(
            "The plan needs {details}: fill it in under Plan details. Until then nothing is saved; your answers stay "
            "on this page.",
            details=draft.needed(missing),
        )
    )

with st.expander(_("Plan details"), expanded=bool(missing)):
    typed_text.text_input(_("Title of the plan"), key="plan_title", on_change=draft.save, max_chars=300, disabled=final)
    typed_text.text_input(_("Service"), key="plan_service", on_change=draft.save, max_chars=300, disabled=final)
    typed_text.text_input(_("Owner"), key="plan_owner", on_change=draft.save, max_chars=300, disabled=final)
    typed_text.text_area(
        _("What the plan does"), key="plan_description", on_change=draft.save, max_chars=20_000, disabled=final
    )


def current_step(ids: list[str]) -> str:
    """The step in the address, else the one last shown in this session (put back in the address), else the first."""
    wanted = st.query_params.get("step") or st.session_state.get("last_step")
    chosen = wanted if wanted in ids else ids[0]
    st.session_state.last_step = chosen
    if st.query_params.get("step") != chosen:
        st.query_params["step"] = chosen
    return chosen


# The list of steps, in the sidebar under the pages, so the questions keep the page's full width at any size.
shown_ids, complete_ids = completed_sections(kb.questionnaire, draft.current_plan().answers)
titles = {section.id: marked(section.title) for section in kb.questionnaire.sections}
st.session_state.step_list = current_step(shown_ids)
st.sidebar.radio(
    _("Steps of the questionnaire (✓ complete)"),
    shown_ids,
    format_func=lambda sid: ("✓ " if sid in complete_ids else "") + titles[sid],
    key="step_list",
    on_change=step_chosen,
)


def submission_notice() -> None:
    """Say when a version of this draft awaits approval: frozen, so a change starts a new one and makes it stale."""
    submitted = saved.approval(st.session_state.assessment_id)
    if final or submitted is None or submitted.outcome != "submitted":
        return
    opened = draft.base().version
    if submitted.version < opened:
        st.warning(
            _(
                "Version {version} was submitted for approval, and this assessment has changed since (your changes "
                "are in version {latest}), so the submission is stale: it cannot be signed off. Submit the latest "
                "version for approval on the register when it is ready.",
                version=submitted.version,
                latest=opened,
            )
        )
    else:
        st.info(
            _(
                "Version {version} is awaiting approval, so it is kept as it was submitted: a change now starts "
                "version {next}, and the submission is then stale until you submit again.",
                version=submitted.version,
                next=submitted.version + 1,
            )
        )


@st.fragment
def questionnaire() -> None:
    """The step shown: an answer reruns only this part (progress, screening so far, the questions)."""
    state = st.session_state
    plan = draft.current_plan()
    answers = plan.answers
    sections = shown_sections(kb.questionnaire, answers)
    visible = visible_questions(kb.questionnaire, answers)
    done, total = step_progress(kb.questionnaire, answers)
    assessment, problems = draft.assessed(plan)

    submission_notice()
    st.progress(done / total if total else 0.0, text=_("{done} of {total} sections complete", done=done, total=total))
    negative = sum(f.direction == "negative" for f in assessment.findings)
    positive = sum(f.direction == "positive" for f in assessment.findings)
    if problems:  # counting what may yet be asked, so that answering never makes it rise
        needed = needed_count(kb.questionnaire, answers, problems)
        level = plain(
            n_(
                "Not screened yet: {n} answer still needed.",
                "Not screened yet: {n} answers still needed.",
                needed,
            )
        )
    else:  # the level's first sentence, marked when the level's words are still English
        level = plain(assessment.level_words.split(".")[0] + ".")
        if fell_back(assessment.level_words):
            level += " :gray[(" + _("in English") + ")]"
    counts = _("{negative} negative and {positive} positive findings.", negative=negative, positive=positive)
    with st.container(border=True, key="screening_so_far"):
        st.markdown("**" + _("Screening so far.") + "** " + level + " " + plain(counts))
        links = st.columns(2)
        with links[0]:
            link("views/results.py", _("Results and mitigations"))
        with links[1]:
            link("views/export.py", _("Export the record"))

    ids = [section.id for section in sections]
    current = current_step(ids)
    section = next(s for s in sections if s.id == current)
    st.header(
        _(
            "Step {number} of {count}: {title}",
            number=ids.index(current) + 1,
            count=len(ids),
            title=marked(section.title),
        )
    )
    if section.intro:
        st.write(marked(section.intro))
    following = follow_ups(kb.questionnaire, answers)
    for question in section.questions:
        if question.id in visible:
            ask(question, final, following.get(question.id, []))
    before, after = neighbours(sections, current)
    moves = st.columns(2)
    if before is not None and moves[0].button(
        _("← Previous: {title}", title=plain(marked_text(before.title))), key="previous"
    ):
        go_to(before.id)
        st.rerun(scope="app")
    if after is not None:
        if moves[1].button(_("Next: {title} →", title=plain(marked_text(after.title))), key="next", type="primary"):
            go_to(after.id)
            st.rerun(scope="app")
    else:
        with moves[1]:
            link("views/results.py", _("Next: the results →"))
    draft.remember()
    if state.get("conflict") and not state.get("conflict_shown"):
        state.conflict_shown = True
        st.rerun(scope="app")  # the choice (keep both, reload) is drawn at the top of the page
    if not state.get("conflict"):
        state.conflict_shown = False
    if state.get("notice") or completed_sections(kb.questionnaire, answers) != (shown_ids, complete_ids):
        st.rerun(scope="app")  # a notice for the top of the page, or the list of steps changed its ticks


questionnaire()

# --- versions ------------------------------------------------------------------------------------

st.header(_("Versions"))
st.write(
    _(
        "Your changes are saved as you make them, as one version for each time you work on the plan. Name a version "
        "to keep it as it is now, for example “sent to workshop” or “after consultation”."
    )
)
if not final:
    with st.form("checkpoint", clear_on_submit=False, border=False):
        st.text_input(_("Name for this version"), key="checkpoint_name", max_chars=200)
        st.form_submit_button(_("Name this version"), on_click=checkpoint)
with st.expander(_("History: every version and what changed")):
    history = saved.history(st.session_state.assessment_id)
    by_number = {kept.version: kept for kept in saved.versions(st.session_state.assessment_id)}
    for entry in history:
        changes = history_words(kb, entry, by_number, translation())
        latest = entry.version == history[0].version
        saved_on = {"day": day(entry.saved_at), "time": f"{entry.saved_at:%H:%M}"}
        version = "**" + _("Version {version}", version=entry.version) + "**"
        if entry.label:
            line = _(
                "{version} “{name}”, saved {day} at {time} UTC", version=version, name=plain(entry.label), **saved_on
            )
        else:
            line = _("{version}, saved {day} at {time} UTC", version=version, **saved_on)
        st.markdown(line + (" " + _("(the latest)") if latest else ""))
        more = len(changes) - 8
        st.text("\n".join(changes[:8]) + ("\n" + n_("… and {n} more", "… and {n} more", more) if more > 0 else ""))
        if not latest and not final:
            st.button(
                _("Restore version {version}", version=entry.version),
                key=f"restore_{entry.version}",
                on_click=restore,
                args=(entry.version,),
            )

if saved.may("share", st.session_state.assessment_id):
    st.header(_("Sharing"))
    shared = sorted(saved.shares(st.session_state.assessment_id))
    st.write(
        _("Shared with: {people}", people=", ".join(plain(subject) for subject in shared))
        if shared
        else _("Shared with nobody yet: only you and those whose role lets them read every assessment can open it.")
    )
    with st.form("share", border=False):
        st.text_input(_("Share with (the colleague's sign-in identity)"), key="share_with", max_chars=200)
        st.form_submit_button(_("Share"), on_click=share)
if saved.may("view_audit", st.session_state.assessment_id):
    with st.expander(_("Audit trail: who did what, and when")):
        st.dataframe(audit_rows(saved.audit(st.session_state.assessment_id)), hide_index=True)
