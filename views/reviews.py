"""Reviews: the approved plans whose review is due in the next 30 days or overdue (and every later one), and the
review of one: what changed since approval against the current rule base, what monitoring showed (by group where the
plan promised it), and the outcome: confirm, revise (a new draft through sign-off) or close.

What changed, the groups and the outcome's effect are the library's (proofing.review); this page shows them and
hands it what the owner recorded.
"""

from __future__ import annotations

from datetime import date, timedelta

import streamlit as st
from pydantic import ValidationError

from proofing.access import PermissionDenied
from proofing.actions import REVIEW_OUTCOME_WORDS, ReviewChanges, ReviewDue, ReviewRecord, problem
from proofing.errors import StoreError
from proofing.review import DUE_WINDOW_DAYS, hold_review, residual_now, review_context
from proofing.store.followup import FollowUp, today
from views.common import _, day, knowledge, link, n_, plain, shared_store, store, visible
from views.library_words import sentence_of


def rows(reviews: list[ReviewDue], on: date) -> list[dict[str, str]]:
    """Reviews as table rows in words (text shown as text, never Markdown)."""
    return [
        {
            _("Review date"): _("{date} (overdue)", date=day(review.review_date))
            if review.overdue(on)
            else day(review.review_date),
            _("Plan"): visible(review.title),
            _("Owner"): visible(review.owner),
            _("Approved by"): visible(review.approver),
            _("Version approved"): str(review.version),
            _("Service"): visible(review.service),
        }
        for review in reviews
    ]


def show_changes(changes: ReviewChanges) -> None:
    """What changed since approval, in words: new findings, findings gone, the level then and now."""
    if not changes.changed:
        st.write(_("Assessed again against the current rule base, the approved answers find what they found then."))
        return
    for finding in changes.new:
        st.markdown(_("New since approval: {title}", title=plain(finding.title)))
    for finding in changes.gone:
        st.markdown(_("No longer found: {title}", title=plain(finding.title)))
    if changes.level_then != changes.level_now:
        words = knowledge().scoring.level_words
        st.write(
            _(
                "The screening level was {then} at approval; it is {now} now.",
                then=words.get(changes.level_then or "") or _("not screened"),
                now=words.get(changes.level_now or "") or _("not screened"),
            )
        )


def linked_review(everything: list[ReviewDue]) -> ReviewDue | None:
    """The review a reminder's link names (``?assessment=ID``), when the person may see it and it awaits review:
    it is opened first to be held. One already held is said so; an unknown one, or one the person may not see, is
    passed over in silence."""
    if st.query_params.get("assessment"):  # kept for the session: the address may lose it as the app moves on
        st.session_state.reviews_link = st.query_params.get("assessment")
    wanted = str(st.session_state.get("reviews_link", ""))
    if not wanted:
        return None
    found = next((r for r in everything if r.assessment_id == wanted), None)
    if found is not None:
        return found
    held = FollowUp(shared_store()).reviews(assessment_id=wanted, by=user)
    if held:
        st.info(_("The review this link opens is no longer awaiting review: {title}", title=plain(held[0].title)))
    return None


st.title(_("Reviews"))
user = store().user
on = today()
everything = FollowUp(shared_store()).reviews(by=user)
st.write(
    _(
        "Every approved plan has one review date. At review, record what monitoring showed, see what changed since "
        "approval, and confirm, revise or close the plan."
    )
)
if not everything:
    linked_review(everything)  # a link to a review already held says so
    st.info(_("No reviews to hold: none of the approved plans you may see is awaiting review."))
    st.stop()
due = [review for review in everything if (review.review_date - on).days <= DUE_WINDOW_DAYS]
if due:
    st.subheader(
        n_(
            "{n} review due in the next {days} days or overdue",
            "{n} reviews due in the next {days} days or overdue",
            len(due),
            days=DUE_WINDOW_DAYS,
        )
    )
    st.dataframe(rows(due, on), hide_index=True)
later = [review for review in everything if review not in due]
if later:
    st.subheader(_("Later"))
    st.dataframe(rows(later, on), hide_index=True)

st.subheader(_("Hold a review"))
linked = linked_review(everything)
if linked is not None:
    st.info(_("Opened from a reminder: the review of {title}", title=plain(linked.title)))
    everything = [linked] + [review for review in everything if review != linked]
chosen = st.selectbox(
    _("Plan"), everything, format_func=lambda review: visible(review.title)[:200], key="reviews_chosen"
)
if chosen is not None:
    try:
        _review, changes, groups = review_context(shared_store(), knowledge(), chosen.assessment_id, by=user)
    except (PermissionDenied, StoreError) as error:
        st.error(plain(sentence_of(error)))  # an alert renders Markdown; the message may name a title
        st.stop()
    st.markdown("**" + _("What changed since approval") + "**")
    show_changes(changes)
    now = residual_now(shared_store(), knowledge(), _review, by=user)
    if now is not None:
        st.write(
            _(
                "Residual level now, counting only the mitigations whose action is done or has a due date: {level}.",
                level=now.residual_level_words,
            )
        )
    with st.form("review"):
        monitoring = st.text_area(_("What monitoring showed"))
        by_group = {group: st.text_area(_("What monitoring showed for {group}", group=name)) for group, name in groups}
        outcome = st.radio(
            _("Outcome"),
            tuple(REVIEW_OUTCOME_WORDS),
            format_func=lambda value: _(REVIEW_OUTCOME_WORDS[value]),
        )
        next_review = st.date_input(
            _("Next review date, when the plan carries on"), value=on + timedelta(days=365), format="YYYY-MM-DD"
        )
        note = st.text_area(_("Note"))
        if st.form_submit_button(_("Record the review")):
            try:
                record = ReviewRecord(
                    outcome=outcome,
                    monitoring=monitoring,
                    by_group={group: text for group, text in by_group.items() if text.strip()},
                    note=note,
                    next_review=next_review if outcome == "confirmed" and isinstance(next_review, date) else None,
                )
                held = hold_review(shared_store(), knowledge(), chosen.assessment_id, record, by=user)
            except ValidationError as error:
                st.error(_(problem(error)))
            except (PermissionDenied, StoreError) as error:
                st.error(plain(sentence_of(error)))  # an alert renders Markdown; the message may name a title
            else:
                st.success(_("The review is recorded."))
                st.query_params.pop("assessment", None)  # the linked review is held
                st.session_state.pop("reviews_link", None)
                if held.revised_version is not None:
                    st.write(
                        _(
                            "Version {version} is a new draft: revise it, then submit it for approval.",
                            version=held.revised_version,
                        )
                    )
                    link("views/assess.py", _("Assess a plan"))
