"""Every saved assessment: search, filter, choose a row, open, duplicate, submit for approval and sign off,
compare two versions, download the list (CSV, Excel), and start an assessment from an uploaded plan file or Word
record.

Showing the register never writes. Submitting names the version the list showed, and a sign-off the version
submitted and its content digest, so nobody signs off a version someone changed after they looked, nor their own
submission (proofing.approvals); only an approval makes an assessment final, and a final assessment is reopened as
a new draft, never changed.
"""

from __future__ import annotations

import secrets
from datetime import date, datetime

import streamlit as st
from pydantic import ValidationError

from proofing import vocabulary
from proofing.approvals import ApprovalRefused, OwnSubmissionError, short_digest
from proofing.assessment import level_label
from proofing.questionnaire import LEVELS
from proofing.register import UploadError, plan_from_upload, register_rows, rows_as_csv, rows_as_xlsx
from proofing.review_date import review_default
from proofing.service import start_assessment
from proofing.signoff import UnacknowledgedError, items_of_version, sign_off
from proofing.store import STATUS_WORDS, STATUSES, Approval, AssessmentSummary, SignOff, StaleVersionError
from proofing.verify import answer_changes
from proofing.version_words import agreement_changes, comparison_words, reopened_words
from proofing.vocabulary import worded
from views import draft
from views.common import _, base_knowledge, guarded, knowledge, link, n_, plain, store, translation, visible
from views.library_words import worded as library_worded

kb = knowledge()
saved = store()
SIGN_OFF_WORDS = worded(vocabulary.SIGN_OFF_WORDS, translation())
STATUS_NAMES = worded(vocabulary.STATUS_WORDS, translation())  # in the session's language
ALL = _("All")


def status_name(status: str) -> str:
    """A status in the session's language (the library's word for one this page does not know)."""
    return STATUS_NAMES.get(status) or STATUS_WORDS.get(status, status)


def status_shown(summary: AssessmentSummary, pending: Approval | None) -> str:
    """A status as the person needs it: a draft whose latest version awaits approval (`pending`, its latest
    submission, read for the whole list at once) says so, not "Draft"."""
    if summary.status == "draft":
        if pending is not None and pending.outcome == "submitted" and pending.version == summary.latest_version:
            return _("Submitted for approval")
    return status_name(summary.status)


def moment(when: datetime) -> str:
    """A date and time to the minute, the date as the session's language writes it."""
    return f"{translation().date(when)} {when:%H:%M}"


@guarded
def upload() -> None:
    """Start a new assessment from the uploaded file, and open it."""
    state = st.session_state
    given = state.get("upload")
    if given is None:
        return
    try:
        plan = plan_from_upload(given.name, given.getvalue())
    except UploadError as refused:
        state.upload_problem = library_worded(refused)
        return
    new_id = start_assessment(saved, knowledge(), plan)
    state.opened = new_id


st.title(_("Register of assessments"))
link("views/cumulative.py", _("Cumulative impact"))  # what else is hitting the same people, across the register

if saved.may("create"):
    with st.expander(
        _("Start an assessment from a file: a plan file (.yaml) or a Word record made by proofing (.docx)")
    ):
        st.file_uploader(_("Plan file or Word record"), type=["yaml", "yml", "docx"], key="upload", on_change=upload)
        if problem := st.session_state.pop("upload_problem", None):
            st.error(_("This file could not be used: {problem}", problem=plain(problem)))
if opened := st.session_state.pop("opened", None):
    st.switch_page("views/assess.py", query_params={"assessment": opened})

search = st.text_input(_("Search by title, service or owner"))
columns = st.columns(2) + st.columns(2)  # two by two: every filter readable at 800 pixels wide
service = columns[0].selectbox(
    _("Service"), ["All"] + saved.services(), format_func=lambda value: ALL if value == "All" else visible(value)
)
level = columns[1].selectbox(
    _("Screening level"),
    ["All", "unscreened", *LEVELS],
    format_func=lambda value: ALL if value == "All" else level_label(kb, None if value == "unscreened" else value),
)
status = columns[2].selectbox(
    _("Status"), ["All", *STATUSES], format_func=lambda value: ALL if value == "All" else status_name(value)
)
since = columns[3].date_input(_("Updated since"), value=None, format="DD/MM/YYYY")
found = saved.list(
    search=search,
    service=None if service == "All" else service,
    level=None if level in ("All", "unscreened") else level,
    status=None if status == "All" else status,
    since=since if isinstance(since, date) else None,
)
if level == "unscreened":
    found = [s for s in found if s.level is None]
if not found:
    st.info(_("No saved assessment matches."))
    st.stop()

rows = register_rows(kb, found)
submissions = saved.approvals(summary.assessment_id for summary in found if summary.status == "draft")
st.write(n_("{n} assessment.", "{n} assessments.", len(found)) + " " + _("Choose one in the list to act on it."))
table = st.dataframe(
    [
        {
            "Title": visible(row["Title"]),
            "Level": row["Level"],
            "Status": status_shown(summary, submissions.get(summary.assessment_id)),
            "Updated": translation().date(summary.updated_at),
        }
        for row, summary in zip(rows, found, strict=True)
    ],
    width="stretch",
    hide_index=True,
    on_select="rerun",
    selection_mode="single-row",
    key="register_table",
    column_config={
        # Widths that fit beside the sidebar at 800 pixels; service, owner and versions are under the chosen row.
        "Title": st.column_config.TextColumn(_("Title"), width=150),
        "Level": st.column_config.TextColumn(_("Level"), width=120),
        "Status": st.column_config.TextColumn(_("Status"), width=70),
        "Updated": st.column_config.TextColumn(_("Updated"), width=90),
    },
)
downloads = st.columns(2)
downloads[0].download_button(_("Download the list (CSV)"), rows_as_csv(rows), "register.csv", mime="text/csv")
downloads[1].download_button(
    _("Download the list (Excel)"),
    rows_as_xlsx(rows),
    "register.xlsx",
    mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
)

picked = table.selection.rows if table is not None else []
if not picked:
    st.info(_("Choose an assessment in the list (click its row) to open, duplicate, mark final or compare it."))
    st.stop()
chosen = found[picked[0]]
st.header(plain(chosen.title))
st.write(
    plain(
        _(
            "{service}. Owner: {owner}. {level}. {status},",
            service=chosen.service,
            owner=chosen.owner,
            level=level_label(kb, chosen.level),
            status=status_shown(chosen, submissions.get(chosen.assessment_id)),
        )
        + " "
        + n_(
            "{n} version, updated {when}.",
            "{n} versions, updated {when}.",
            chosen.versions,
            when=moment(chosen.updated_at),
        )
    )
)
buttons = st.columns(3)
editable = chosen.status == "draft" and saved.may("edit", chosen.assessment_id)
if buttons[0].button(_("Open") if editable else _("Open (read-only)"), type="primary"):
    st.switch_page("views/assess.py", query_params={"assessment": chosen.assessment_id})
if chosen.status == "draft":
    if saved.may("duplicate", chosen.assessment_id) and buttons[1].button(_("Duplicate as a new draft")):
        copy = saved.duplicate(chosen.assessment_id)
        st.switch_page("views/assess.py", query_params={"assessment": copy})
elif saved.may("reopen", chosen.assessment_id) and buttons[1].button(_("Reopen as a new draft")):
    editing = secrets.token_hex(8)  # the editing session that goes on in the new draft (views/draft.py)
    number = saved.reopen(chosen.assessment_id, editing=editing)  # a new draft version; the approved one stays
    draft.load(chosen.assessment_id, reopened_words(chosen.latest_version, number, translation()))
    st.session_state.editing = editing
    st.switch_page("views/assess.py", query_params={"assessment": chosen.assessment_id})
approval = saved.approval(chosen.assessment_id)
awaiting = approval is not None and approval.outcome == "submitted"
if (
    chosen.status == "draft"
    and saved.may("submit", chosen.assessment_id)
    and not (awaiting and approval is not None and approval.version == chosen.latest_version)
    and buttons[2].button(_("Submit for approval"))
):
    try:
        saved.submit(chosen.assessment_id, expected_version=chosen.latest_version)
    except StaleVersionError:
        st.warning(
            _(
                "Someone changed this assessment after the list was shown, so it was not submitted. "
                "Look at the latest version first, then submit it."
            )
        )
    else:
        st.rerun()
if approval is not None:
    if approval.outcome == "submitted":
        st.info(
            plain(
                _(
                    "Version {version} was submitted for approval by {who} on {when} UTC.",
                    version=approval.version,
                    who=approval.submitted_by,
                    when=moment(approval.submitted_at),
                )
            )
        )
    elif approval.outcome == "approved":
        st.success(
            plain(
                _(
                    "Version {version} was approved by {who} on {when} UTC. Decision taken: {decision}. "
                    "Review by {review}.",
                    version=approval.version,
                    who=approval.decided_by,
                    when=moment(approval.decided_at) if approval.decided_at else "",
                    decision=approval.decision_taken,
                    review=translation().date(approval.review_date) if approval.review_date else "",
                )
            )
        )
    else:
        st.warning(
            plain(
                _(
                    "Version {version} was sent back by {who}: {comments}",
                    version=approval.version,
                    who=approval.decided_by,
                    comments=approval.comments,
                )
            )
        )
if awaiting and approval is not None and approval.version != chosen.latest_version:
    st.warning(
        _(
            "Version {version} was submitted, but the assessment has changed since (it is now at version {latest}), "
            "so the submission is stale: it cannot be signed off. Submit the latest version for approval.",
            version=approval.version,
            latest=chosen.latest_version,
        )
    )
elif (
    awaiting
    and approval is not None
    and approval.submitted_subject == saved.user.subject
    and saved.may("approve", chosen.assessment_id)
):
    st.info(_("You submitted this version, so another approver must sign it off: nobody approves their own."))
elif awaiting and approval is not None and saved.may("approve", chosen.assessment_id):
    st.subheader(_("Sign off version {version}", version=approval.version))
    st.write(
        _("The tool's advice: {advice}. Record the decision actually taken.", advice=level_label(kb, approval.advice))
    )
    st.caption(
        _(
            "Content fingerprint {digest}: the sign-off is refused if the version changes from what was submitted.",
            digest=short_digest(approval.digest),
        )
    )
    with st.form("sign_off"):
        outcome = st.radio(_("Outcome"), ["approved", "sent_back"], format_func=SIGN_OFF_WORDS.get, horizontal=True)
        taken = st.text_area(_("The decision taken (may differ from the tool's advice)"), max_chars=5000)
        reasons = st.text_area(_("Reasons"), max_chars=20_000)
        conditions = st.text_area(_("Conditions (if any)"), max_chars=20_000)
        submitted = saved.version(chosen.assessment_id, approval.version)  # the review the plan set: the default
        review = st.date_input(
            _("Review date"),
            value=review_default(kb.questionnaire, submitted.plan.answers, date.today()) if submitted else None,
            format="DD/MM/YYYY",
            help=_("It starts from the review the plan sets; change it if the decision sets another."),
        )
        comments = st.text_area(_("Comments for the manager (when sending it back)"), max_chars=20_000)
        # The open items an approval must acknowledge, one by one (proofing.signoff); the record lists them.
        items = items_of_version(kb, saved, chosen.assessment_id, approval.version, translation())
        if items:
            st.markdown("**" + _("To approve, acknowledge each open item") + "**")
            st.caption(_("Approving with these still open is your decision; the record lists each one you tick."))
        ticks = [st.checkbox(plain(item.text), key=f"acknowledge-{item.key}") for item in items]
        decided = st.form_submit_button(_("Record the sign-off"), type="primary")
    if decided:
        try:
            decision = SignOff(
                outcome=outcome,
                version=approval.version,
                digest=approval.digest or "",
                decision_taken=taken,
                reasons=reasons,
                conditions=conditions,
                review_date=review if isinstance(review, date) else None,
                comments=comments,
                acknowledged=[item.key for item, ticked in zip(items, ticks, strict=True) if ticked],
            )
        except ValidationError as error:
            reason = str(error.errors()[0]["msg"]).removeprefix("Value error, ")
            st.error(_("Not recorded: {reason}.", reason=plain(reason)))
        else:
            try:
                sign_off(base_knowledge(), saved, chosen.assessment_id, decision)
            except StaleVersionError:
                st.warning(_("This assessment changed after it was submitted, so it cannot be signed off as it is."))
            except UnacknowledgedError:
                st.warning(
                    _("Not recorded: tick each open item listed above to acknowledge it, or send the assessment back.")
                )
            except OwnSubmissionError:
                st.warning(
                    _("You submitted this version, so another approver must sign it off: nobody approves their own.")
                )
            except ApprovalRefused:
                st.warning(
                    _(
                        "This version is not what was submitted, or not what this page showed, so the sign-off was not "
                        "recorded. Read the assessment as it is now, then sign off what you read."
                    )
                )
            else:
                st.rerun()

versions = saved.versions(chosen.assessment_id)
if len(versions) > 1:
    st.subheader(_("Compare two versions"))
    pick = st.columns(2)

    def label(v: object) -> str:
        """A version as a person knows it: its number, its name if it has one, and when it was saved."""
        saved_at = moment(v.saved_at)  # type: ignore[attr-defined]
        if v.label:  # type: ignore[attr-defined]
            return _("Version {version} “{name}”, {when}", version=v.version, name=v.label, when=saved_at)  # type: ignore[attr-defined]
        return _("Version {version}, {when}", version=v.version, when=saved_at)  # type: ignore[attr-defined]

    old = pick[0].selectbox(_("Earlier"), versions, index=0, format_func=label)
    new = pick[1].selectbox(_("Later"), versions, index=len(versions) - 1, format_func=label)
    before, _problems = draft.assessed(old.plan, old.notes)
    after, _problems = draft.assessed(new.plan, new.notes)
    changes = [
        {"Question": question, "Earlier": visible(earlier), "Later": visible(later)}
        for question, earlier, later in answer_changes(kb, old.plan, new.plan)
    ]
    st.markdown("**" + _("Answers that changed") + "**")
    if changes:
        st.dataframe(
            changes,
            hide_index=True,
            width="stretch",
            column_config={
                "Question": st.column_config.TextColumn(_("Question"), width="large"),
                "Earlier": st.column_config.TextColumn(_("Earlier"), width="medium"),
                "Later": st.column_config.TextColumn(_("Later"), width="medium"),
            },
        )
    else:
        st.write(_("None."))
    st.markdown("**" + _("Findings that changed") + "**")
    for difference in comparison_words(kb, old, new, before, after, translation()) or [_("None.")]:
        st.write(plain(difference))
    if workshop_changes := agreement_changes(kb, old, new):
        st.markdown("**" + _("What the EIA workshop agreed") + "**")
        for change in workshop_changes:
            st.write(plain(change))
