"""My actions: the mitigations approved plans committed to, as actions the signed-in person owns (or, for those
whose role reads every plan, everyone's), overdue ones first; and progress recorded on one of them.

The actions, who may update them and what a done or dropped action needs are the library's (proofing.actions,
proofing.store.followup); this page lists them and hands the store what the person recorded.
"""

from __future__ import annotations

from datetime import date

import streamlit as st
from pydantic import ValidationError

from proofing.access import PermissionDenied
from proofing.actions import ACTION_STATUS_WORDS, ACTION_STATUSES, ActionUpdate, FollowUpAction, problem, sees_everyone
from proofing.errors import StoreError
from proofing.review import DUE_WINDOW_DAYS
from proofing.store.followup import FollowUp, today
from views.common import _, day, n_, plain, shared_store, store, visible
from views.library_words import sentence_of


def due_words(action: FollowUpAction, on: date) -> str:
    """When an action is due, in words: its date, "overdue" when it has passed, or that it has no date."""
    if action.due is None:
        return _("No date set")
    if action.overdue(on):
        return _("{date} (overdue)", date=day(action.due))
    return day(action.due)


def rows(actions: list[FollowUpAction], on: date) -> list[dict[str, str]]:
    """Actions as table rows in words (text shown as text, never Markdown)."""
    return [
        {
            _("Due"): due_words(action, on),
            _("Status"): _(ACTION_STATUS_WORDS[action.status]),
            _("Action"): visible(action.text),
            _("Owner"): visible(action.owner),
            _("Plan"): visible(action.title),
        }
        for action in actions
    ]


def linked_action(found: list[FollowUpAction]) -> FollowUpAction | None:
    """The action a reminder's link names (``?action=ID``), when the person may see it and it is still open: it is
    opened first for progress (an approver's reminder names an action someone else owns). A done or dropped one is
    said so; an unknown one, or one the person may not see, is passed over in silence."""
    if st.query_params.get("action"):  # kept for the session: the address may lose it as the app moves on
        st.session_state.actions_link = st.query_params.get("action")
    wanted = str(st.session_state.get("actions_link", ""))
    if not wanted.isdigit():
        return None
    action = next((a for a in found if a.id == int(wanted)), None) or follow_up.action(int(wanted), by=user)
    if action is not None and not action.open:
        status = _(ACTION_STATUS_WORDS[action.status])
        st.info(
            _("The action this link opens is no longer open ({status}): {text}", status=status, text=plain(action.text))
        )
        return None
    return action


st.title(_("My actions"))
user = store().user
follow_up = FollowUp(shared_store())
on = today()
st.write(
    _(
        "The mitigations approved plans committed to, still to do. An action is overdue once its due date passes; "
        "record what was done, with the evidence and the date, or why it was dropped."
    )
)
everyone = sees_everyone(user) and st.toggle(_("Everyone's actions"), key="actions_everyone")
found = follow_up.actions(owner_subject=None if everyone else user.subject, open_only=True, by=user)
if st.session_state.pop("actions_saved", False):
    st.success(_("Progress saved."))
linked = linked_action(found)
if linked is not None:
    found = [linked] + [action for action in found if action.id != linked.id]
if not found:
    st.info(_("No actions to do: none of the approved plans you may see has an open action."))
    st.stop()
overdue = [action for action in found if action.overdue(on)]
if overdue:
    st.warning(n_("{n} of these actions is overdue.", "{n} of these actions are overdue.", len(overdue)))
soon = [a for a in found if a.due is not None and not a.overdue(on) and (a.due - on).days <= DUE_WINDOW_DAYS]
st.caption(_("Due in the next {days} days: {count}.", days=DUE_WINDOW_DAYS, count=len(soon)))
st.dataframe(rows(overdue + [a for a in found if a not in overdue], on), hide_index=True)

st.subheader(_("Record progress"))
if linked is not None:
    st.info(_("Opened from a reminder: {text} ({plan})", text=plain(linked.text), plan=plain(linked.title)))
chosen = st.selectbox(
    _("Action"),
    found,
    format_func=lambda action: visible(f"{action.title}: {action.text}")[:200],
    key="actions_chosen",
)
if chosen is not None:
    with st.form("action_progress"):
        status = st.radio(
            _("Status"),
            ACTION_STATUSES,
            index=ACTION_STATUSES.index(chosen.status),
            format_func=lambda value: _(ACTION_STATUS_WORDS[value]),
            horizontal=True,
        )
        evidence = st.text_area(_("What was done (the evidence), when it is done"), value=chosen.evidence)
        done_on = st.date_input(_("Date it was done"), value=on, format="YYYY-MM-DD")
        reason = st.text_area(_("Why it was dropped, when it is dropped"), value=chosen.reason)
        if st.form_submit_button(_("Save progress")):
            try:
                change = ActionUpdate(
                    status=status,
                    evidence=evidence,
                    done_on=done_on if isinstance(done_on, date) else None,
                    reason=reason,
                    expected_revision=chosen.revision,
                )
                follow_up.update(chosen.id, change, by=user)
            except ValidationError as error:
                st.error(_(problem(error)))
            except (PermissionDenied, StoreError) as error:
                st.error(plain(sentence_of(error)))  # an alert renders Markdown; the message may name a title
            else:
                st.session_state.actions_saved = True
                st.query_params.pop("action", None)  # the linked action is recorded: the page lists as usual
                st.session_state.pop("actions_link", None)
                st.rerun()
