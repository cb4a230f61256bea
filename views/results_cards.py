"""The Results page's findings as cards: each finding with its why (the answers behind it) and its mitigations under
it, folded away once settled, and the decisions a manager makes on them.

Each suggested mitigation: accept, adapt (starting from the suggested words), reject (with the reason) or mark done;
an owner and a due date only where they mean something (accepted, adapted or done). A manager can add a mitigation of
their own to a finding, set a finding aside with the reason an equality officer will review, or accept every
undecided mitigation of the findings shown at once. Every change saves (views/draft.py); opening the page never
writes. What counts in the residual, the why and the progress come from the library (proofing.residual,
proofing.results); this module only draws them.
"""

from __future__ import annotations

import secrets
from datetime import date
from typing import Any

import streamlit as st

from proofing import vocabulary
from proofing.assessment import Assessment, Finding
from proofing.decisions import DecisionNotes, mitigation_key
from proofing.residual import Residual
from proofing.results import FindingProgress, accept_undecided, finding_progress, undecided_keys, why_lines
from proofing.vocabulary import worded
from views import draft
from views.common import _, guarded, knowledge, marked, n_, plain, translation

CHOICES = worded(vocabulary.DECISION_WORDS, translation())
RAG = worded(vocabulary.RAG_TAGS, translation())
GROUPS = {c.id for c in knowledge().characteristics} | {c.id for c in knowledge().communities}
WITH_OWNER = ("accepted", "adapted", "done")  # the decisions an owner and a due date mean something for


def tag(finding: Finding) -> str:
    """A finding's colour in words (RED, AMBER, GREEN), or POSITIVE for a positive finding."""
    return RAG.get(finding.rag, finding.rag.upper()) if finding.direction == "negative" else _("POSITIVE")


def _due(text: str) -> date | None:
    try:
        return date.fromisoformat(text) if text else None
    except ValueError:
        return None


def _note(kind: str, key: str) -> dict[str, str]:
    return dict(draft.notes().get(kind, {}).get(key, {}))


def _set_note(kind: str, key: str, fields: dict[str, str] | None) -> None:
    notes = draft.notes()
    entries = dict(notes.get(kind, {}))
    if fields and any(fields.values()):
        entries[key] = fields
    else:
        entries.pop(key, None)
    notes[kind] = entries
    st.session_state.notes = notes


def _widget(key: str, initial: Any) -> str:
    """A widget key, holding `initial` (the saved value) unless the person already changed it this visit."""
    if key not in st.session_state:
        st.session_state[key] = initial
    return key


@guarded
def decision_changed(key: str, suggested: str) -> None:
    """Keep what a person chose on one suggested mitigation's card, then save. Adapting starts from the suggested
    words (`suggested`), never from an empty box."""
    state = st.session_state
    choice = state[f"m_{key}_choice"]
    due = state.get(f"m_{key}_due")
    adapted = (state.get(f"m_{key}_adapted") or "").strip()
    if choice == "adapted" and not adapted:
        adapted = suggested
        state[f"m_{key}_adapted"] = suggested
    with_owner = choice in WITH_OWNER
    decisions = draft.decisions()
    decisions[key] = {
        "status": "accepted" if choice == "adapted" else choice,
        "owner": (state.get(f"m_{key}_owner") or "").strip() if with_owner else "",
        "due": due.isoformat() if with_owner and isinstance(due, date) else "",
    }
    state.decisions = decisions
    _set_note(
        "mitigations",
        key,
        {
            "choice": "adapted" if choice == "adapted" else "",
            "adapted": adapted if choice == "adapted" else "",
            "reason": (state.get(f"m_{key}_reason") or "").strip() if choice == "rejected" else "",
        },
    )
    state[f"changed_{key.rsplit(':', 1)[0]}"] = True  # the finding's fold closes if this settled it
    draft.save()


@guarded
def own_changed(own_id: str) -> None:
    """Keep a change to one of the manager's own mitigations, then save."""
    state = st.session_state
    entry = _note("own", own_id)
    due = state.get(f"o_{own_id}_due")
    choice = state[f"o_{own_id}_choice"]
    with_owner = choice in WITH_OWNER
    entry |= {
        "status": choice,
        "owner": (state.get(f"o_{own_id}_owner") or "").strip() if with_owner else "",
        "due": due.isoformat() if with_owner and isinstance(due, date) else "",
        "reason": (state.get(f"o_{own_id}_reason") or "").strip() if choice == "rejected" else "",
    }
    _set_note("own", own_id, entry)
    state[f"changed_{entry.get('finding', '')}"] = True
    draft.save()


@guarded
def own_removed(own_id: str) -> None:
    """Take away one of the manager's own mitigations."""
    _set_note("own", own_id, None)
    draft.save()


@guarded
def own_added(rule: str) -> None:
    """Add the manager's own mitigation typed under a finding."""
    state = st.session_state
    text = (state.get(f"new_{rule}_text") or "").strip()
    if not text:
        state[f"new_{rule}_problem"] = _("Write what will be done before adding it.")
        return
    due = state.get(f"new_{rule}_due")
    _set_note(
        "own",
        secrets.token_hex(6),
        {
            "finding": rule,
            "text": text,
            "status": "accepted",
            "owner": (state.get(f"new_{rule}_owner") or "").strip(),
            "due": due.isoformat() if isinstance(due, date) else "",
        },
    )
    for field in ("text", "owner", "due"):
        state.pop(f"new_{rule}_{field}", None)
    state.pop(f"new_{rule}_problem", None)
    draft.save()


@guarded
def aside_changed(rule: str) -> None:
    """Set a finding aside (with its reason) or bring it back, then save."""
    state = st.session_state
    reason = (state.get(f"aside_{rule}_reason") or "").strip()
    if state.get(f"aside_{rule}") and reason:
        _set_note("set_aside", rule, {"reason": reason})
    else:
        _set_note("set_aside", rule, None)
    draft.save()


@guarded
def accept_all(assessment: Assessment) -> None:
    """Accept every undecided suggested mitigation of the findings shown, in one action and one save (the store
    audits each acceptance as it audits one made on its card)."""
    state = st.session_state
    notes = DecisionNotes.model_validate(draft.notes())
    keys = undecided_keys(assessment, draft.decisions(), notes)
    state.decisions = accept_undecided(assessment, draft.decisions(), notes)
    for key in keys:  # the cards show the saved decision again
        state.pop(f"m_{key}_choice", None)
    draft.save()


def owner_and_due(prefix: str, owner: str, due: str, on_change: Any, args: tuple[Any, ...], final: bool) -> None:
    """The owner and due date of a mitigation, side by side."""
    left, right = st.columns(2)
    left.text_input(
        _("Owner (name or role)"),
        key=_widget(f"{prefix}_owner", owner),
        on_change=on_change,
        args=args,
        disabled=final,
        max_chars=300,
    )
    right.date_input(
        _("Due by"),
        key=_widget(f"{prefix}_due", _due(due)),
        on_change=on_change,
        args=args,
        disabled=final,
        format="DD/MM/YYYY",
    )


def _counts_when_owned(owner: str, due: str) -> None:
    if not (owner.strip() and due.strip()):
        st.caption(_("It counts in the residual once it has an owner and a due date."))


def suggested_card(finding: Finding, index: int, final: bool) -> None:
    """One suggested mitigation as a card with its decision and, where it means something, an owner and a date."""
    mitigation = finding.mitigations[index]
    key = mitigation_key(finding, index)
    decided = draft.decisions().get(key, {})
    note = _note("mitigations", key)
    choice = "adapted" if note.get("choice") == "adapted" else decided.get("status", "proposed")
    with st.container(border=True, key="card_" + key.replace(":", "_")):
        st.markdown(marked(mitigation.text))
        if mitigation.linked:  # the strategy's actions are quoted as published
            actions = "; ".join(
                _("action {number}, {text}", number=action.id, text=action.text) for action in mitigation.linked
            )
            st.caption(_("Draws on the strategy: {actions}", actions=plain(actions)))
        chosen = st.radio(
            _("Decision"),
            list(CHOICES),
            format_func=CHOICES.get,
            horizontal=True,
            key=_widget(f"m_{key}_choice", choice),
            on_change=decision_changed,
            args=(key, mitigation.text),
            disabled=final,
        )
        if chosen == "adapted":
            st.text_area(
                _("The mitigation as you will do it"),
                key=_widget(f"m_{key}_adapted", note.get("adapted") or mitigation.text),
                on_change=decision_changed,
                args=(key, mitigation.text),
                disabled=final,
                height=80,
            )
        if chosen == "rejected":
            st.text_area(
                _("Why it is rejected (an equality officer will review this)"),
                key=_widget(f"m_{key}_reason", note.get("reason", "")),
                on_change=decision_changed,
                args=(key, mitigation.text),
                disabled=final,
                height=80,
            )
        if chosen in WITH_OWNER:
            owner, due = decided.get("owner", ""), decided.get("due", "")
            owner_and_due(f"m_{key}", owner, due, decision_changed, (key, mitigation.text), final)
            if chosen != "done":
                _counts_when_owned(owner, due)


def own_card(own_id: str, entry: dict[str, str], final: bool) -> None:
    """One of the manager's own mitigations as a card."""
    with st.container(border=True, key=f"own_card_{own_id}"):
        st.markdown(_("**Your own mitigation:** {text}", text=plain(entry.get("text", ""))))
        chosen = st.radio(
            _("Decision"),
            ["accepted", "rejected", "done"],
            format_func=CHOICES.get,
            horizontal=True,
            key=_widget(f"o_{own_id}_choice", entry.get("status", "accepted")),
            on_change=own_changed,
            args=(own_id,),
            disabled=final,
        )
        if chosen == "rejected":
            st.text_area(
                _("Why it is rejected"),
                key=_widget(f"o_{own_id}_reason", entry.get("reason", "")),
                on_change=own_changed,
                args=(own_id,),
                disabled=final,
                height=80,
            )
        else:
            owner, due = entry.get("owner", ""), entry.get("due", "")
            owner_and_due(f"o_{own_id}", owner, due, own_changed, (own_id,), final)
            if chosen != "done":
                _counts_when_owned(owner, due)
        if not final:
            st.button(_("Remove this mitigation"), key=f"o_{own_id}_remove", on_click=own_removed, args=(own_id,))


def progress_words(progress: FindingProgress) -> str:
    """A finding's mitigations in a few words, for the label of its fold."""
    if progress.decided == 0:
        said = n_(
            "Mitigations: {n} suggested, none decided yet",
            "Mitigations: {n} suggested, none decided yet",
            progress.total,
        )
    elif progress.decided < progress.total:
        said = _("Mitigations: {decided} of {total} decided", decided=progress.decided, total=progress.total)
    else:
        said = n_("Mitigations: {n} decided", "Mitigations: all {n} decided", progress.total)
    if progress.counted:
        said += "; " + n_("{n} counted in the residual", "{n} counted in the residual", progress.counted)
    if progress.waiting:
        said += "; " + n_("{n} needs an owner and a due date", "{n} need an owner and a due date", progress.waiting)
    return said


def workshop_words(finding: Finding) -> str:
    """What an EIA workshop did to a finding's scores, in words, or nothing."""
    if finding.added_by_workshop:
        return _("added by the EIA workshop")
    if finding.rules_likelihood is not None:
        return _(
            "agreed at the EIA workshop; the rules gave {score}",
            score=finding.rules_likelihood * (finding.rules_severity or 0),
        )
    if finding.workshop:
        return _("the EIA workshop agreed the rules' score")
    return ""


def finding_head(finding: Finding, number: int) -> None:
    """A finding's title, its colour and score, the groups it affects and its why: the answers it rests on, as the
    record gives them (proofing.results.why_lines)."""
    st.markdown(f"**{number}. {marked(finding.title)}**")
    said = _(
        "{colour}, score {score} (likelihood {likelihood} × severity {severity})",
        colour=tag(finding),
        score=finding.score,
        likelihood=finding.likelihood,
        severity=finding.severity,
    )
    if workshop := workshop_words(finding):
        said += "; " + workshop
    parts = [said]
    if finding.group_reasons:
        parts.append(_("Affects: {groups}", groups=", ".join(reason.name for reason in finding.group_reasons)))
    if reasons := why_lines(finding, GROUPS):
        parts.append(_("Because: {answers}", answers="; ".join(line.rstrip(".") for line in reasons)))
    st.caption(plain(". ".join(parts) + "."))


def negative_card(finding: Finding, number: int, result: Residual, notes: DecisionNotes, final: bool) -> None:
    """One negative finding: its head and why, and its mitigations in a fold that is open while the manager works on
    them and folded away once settled (every one decided, none waiting for an owner or a date)."""
    rule = finding.rule
    aside = _note("set_aside", rule)
    with st.container(border=True, key=f"finding_{rule}", gap="xsmall"):
        finding_head(finding, number)
        if aside:
            label = _("Set aside: {reason}", reason=aside.get("reason", ""))
        else:
            progress = finding_progress(result, rule, notes)
            label = progress_words(progress)
            if st.session_state.pop(f"changed_{rule}", False):  # this change settled it: fold it away
                st.session_state[f"open_{rule}"] = not progress.settled
        with st.expander(plain(label), key=f"open_{rule}", on_change="rerun"):
            mitigations(finding, final)


def mitigations(finding: Finding, final: bool) -> None:
    """A finding's mitigations: set aside, each suggested one, the manager's own, and a way to add one."""
    rule = finding.rule
    aside = _note("set_aside", rule)
    st.toggle(
        _("Set this finding aside"),
        key=_widget(f"aside_{rule}", bool(aside)),
        on_change=aside_changed,
        args=(rule,),
        disabled=final,
    )
    if st.session_state.get(f"aside_{rule}"):
        st.text_area(
            _("Why this finding does not apply (an equality officer will review this)"),
            key=_widget(f"aside_{rule}_reason", aside.get("reason", "")),
            on_change=aside_changed,
            args=(rule,),
            disabled=final,
            height=80,
        )
        if not aside:
            st.warning(_("Give the reason to set this finding aside; until then it is not set aside."))
        return
    for index in range(len(finding.mitigations)):
        suggested_card(finding, index, final)
    for own_id, entry in draft.notes().get("own", {}).items():
        if entry.get("finding") == rule:
            own_card(own_id, entry, final)
    if not final:
        with st.popover(_("Add a mitigation of your own")):
            st.text_area(_("What will be done"), key=f"new_{rule}_text", height=80)
            left, right = st.columns(2)
            left.text_input(_("Owner (name or role)"), key=f"new_{rule}_owner", max_chars=300)
            right.date_input(_("Due by"), value=None, key=f"new_{rule}_due", format="DD/MM/YYYY")
            if problem := st.session_state.get(f"new_{rule}_problem"):
                st.error(problem)
            st.button(_("Add this mitigation"), key=f"new_{rule}_add", on_click=own_added, args=(rule,))


def positive_card(finding: Finding, number: int) -> None:
    """One positive finding: its head and why, and the ways to make the most of it."""
    with st.container(border=True, key=f"finding_{finding.rule}", gap="xsmall"):
        finding_head(finding, number)
        if finding.mitigations:
            with st.expander(
                n_(
                    "{n} way to make the most of it",
                    "{n} ways to make the most of it",
                    len(finding.mitigations),
                )
            ):
                for mitigation in finding.mitigations:
                    st.markdown("- " + marked(mitigation.text))


def bulk_accept(assessment: Assessment, final: bool) -> None:
    """The one action that accepts every undecided suggested mitigation of the findings shown."""
    if final:
        return
    notes = DecisionNotes.model_validate(draft.notes())
    waiting = len(undecided_keys(assessment, draft.decisions(), notes))
    if not waiting:
        return
    st.button(
        n_(
            "Accept the {n} undecided mitigation",
            "Accept all {n} undecided mitigations",
            waiting,
        ),
        key="accept_all",
        on_click=accept_all,
        args=(assessment,),
        help=_(
            "Accepts every suggested mitigation not yet decided, under the findings shown (not those set aside). "
            "Each then counts in the residual once it has an owner and a due date."
        ),
    )
