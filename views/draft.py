"""The assessment this browser session is working on, shared by the Assess, Results and Export pages.

Streamlit forgets a widget's value when a run does not draw it, so going to the Register and back used to come
back to an empty form, and the next change saved that emptiness over the work. Here every value a person gives
is also kept in ``st.session_state.kept`` (not a widget key, so never forgotten) and put back before the widgets
are drawn; the assessment stays in the address (``?assessment=ID``) and in the session, whichever page is open.
A save is only ever made from a person's change, with the page's values as kept, never from a blank form.

Autosave keeps one version per editing session (``editing``: a token made when the assessment is opened in this
session): each save names the version and revision it is based on, so a stale save is refused as before.
"""

from __future__ import annotations

import json
import secrets
from typing import Any

import streamlit as st

from proofing.access import PermissionDenied
from proofing.assessment import Assessment, assess_agreed
from proofing.models import DecisionNotes, notes_json
from proofing.plan import AnswerProblem, Plan
from proofing.service import save_draft, screening_level
from proofing.store import FinalAssessmentError, SavedVersion, StaleVersionError
from views import typed_text
from views.common import LOG, N_, _, guarded, knowledge, store
from views.widgets import from_widget, to_widget

DETAILS = ("title", "service", "owner", "description")
NEEDED = {"title": N_("a title"), "service": N_("a service"), "owner": N_("an owner")}
MARKED_FINAL = N_(
    "Someone marked this assessment final while you were working on it, so your last change was not saved. It is "
    "shown as it was signed off; reopen it as a new draft to revise it."
)
KEPT_PREFIXES = ("plan_", "q_", "na_")  # na_: a follow-up marked not applicable


def needed(fields: list[str]) -> str:
    """The details named in `fields` in words, in this session's language: "a title and an owner"."""
    words = [_(NEEDED[field]) for field in fields]
    text = words[0] if words else ""
    for word in words[1:]:
        text = _("{these} and {that}", these=text, that=word)
    return text


def kept() -> dict[str, Any]:
    """The values of the plan's widgets as last given, kept across pages (widget keys are forgotten)."""
    return st.session_state.setdefault("kept", {})


def remember(*keys: str) -> None:
    """Copy the named widget values (default: every plan and question widget drawn) into the kept values."""
    state = st.session_state
    names = keys or [
        key for key in [*state, *typed_text.typed()] if isinstance(key, str) and key.startswith(KEPT_PREFIXES)
    ]
    for key in names:
        if key in state or key in typed_text.typed():
            kept()[key] = typed_text.value(key)


def restore_widgets() -> None:
    """Put the kept value back into every plan and question widget before they are drawn.

    Streamlit drops a widget's value while another page is open, and may bring back a stale one it was first given;
    the kept values are always the person's latest (every change keeps them first, see save).
    """
    state = st.session_state
    typing = typed_text.typed()
    for key, value in kept().items():
        if key in typing and key in state:
            continue  # a field on screen being typed in: the browser has the text, and setting it would overwrite it
        state[key] = value


def value(key: str) -> Any:
    """A plan or question widget's value: text typed but not yet committed (views/typed_text.py), else the live one
    when drawn on this run, else the kept one."""
    state = st.session_state
    if key in typed_text.typed():
        return typed_text.value(key)
    return state[key] if key in state else kept().get(key)


def load(assessment_id: str, notice: str | None = None) -> bool:
    """Bring an assessment's latest saved version into this browser session (reading only, never writing)."""
    version = store().latest(assessment_id)
    if version is None:
        return False
    kb = knowledge()
    state = st.session_state
    # Who is signed in, and the language they speak, outlive the assessment they had open.
    # So does the count of typed batches the server has answered (views/typed_text.py).
    kept_over = {key: state[key] for key in ("user", "language", "typed_seen") if key in state}
    state.clear()
    state.update(kept_over)
    state.assessment_id = assessment_id
    state.base = version  # the version this page is based on: every save names it
    state.editing = secrets.token_hex(8)  # this editing session: its autosaves amend one version
    widgets: dict[str, Any] = {f"plan_{field}": getattr(version.plan, field) for field in DETAILS}
    for question in kb.questionnaire.questions:
        if version.plan.answers.get(question.id) is not None:
            widgets[f"q_{question.id}"] = to_widget(question, version.plan.answers[question.id])
        elif question.id in version.plan.answers:  # None: marked not applicable
            widgets[f"na_{question.id}"] = True
    state.kept = widgets
    state.update(widgets)
    state.decisions = dict(version.decisions)
    state.notes = notes_json(version.notes)  # the page edits plain values; a save types them again
    if notice:
        state.notice = notice
    return True


def select_assessment() -> str | None:
    """The assessment this page shows: the address's, else the session's (put back in the address), else None.

    An address naming no saved assessment says so and is cleared.
    """
    state = st.session_state
    wanted = st.query_params.get("assessment")
    try:
        found = not wanted or state.get("assessment_id") == wanted or load(wanted)
    except PermissionDenied:
        st.error(
            _(
                "You may not see the assessment at this address: it is not yours or shared with you, and your roles "
                "do not let you open it. Ask its owner to share it with you."
            )
        )
        st.query_params.clear()
        state.pop("assessment_id", None)
        st.stop()
    if not found:
        st.error(_("There is no saved assessment at this address. Start a new one, or open one from the register."))
        st.query_params.clear()
        state.pop("assessment_id", None)
        return None
    if "assessment_id" in state:
        if wanted != state.assessment_id:
            st.query_params["assessment"] = state.assessment_id
        restore_widgets()
        return str(state.assessment_id)
    return None


def base() -> SavedVersion:
    """The saved version this page shows and its next save is based on."""
    return st.session_state.base


def read_only() -> bool:
    """A final assessment is read and exported, never changed; nor is one the person may not edit (an auditor's)."""
    return base().status == "final" or not store().may("edit", st.session_state.assessment_id)


def details() -> dict[str, str]:
    """The plan details as typed."""
    return {field: (value(f"plan_{field}") or "").strip() for field in DETAILS}


def missing_details() -> list[str]:
    """The details a plan cannot do without that are empty (nothing is saved while any is)."""
    typed = details()
    return [field for field in NEEDED if not typed[field]]


def current_plan() -> Plan:
    """The plan as given; a needed detail left empty is taken from the saved version, so scoring carries on."""
    answers = {}
    for question in knowledge().questionnaire.questions:
        answer = from_widget(question, value(f"q_{question.id}"))
        if answer is not None:
            answers[question.id] = answer
        elif value(f"na_{question.id}"):
            answers[question.id] = None  # marked not applicable
    typed = details()
    for field in missing_details():
        typed[field] = getattr(base().plan, field)
    return Plan.model_validate({**typed, "answers": answers})


def decisions() -> dict[str, dict[str, str]]:
    """The decisions on the mitigations, as given in this session."""
    return dict(st.session_state.get("decisions", {}))


def notes() -> dict[str, dict[str, dict[str, str]]]:
    """Reasons, adapted wording, own mitigations and findings set aside, as given in this session."""
    return {kind: dict(entries) for kind, entries in st.session_state.get("notes", {}).items()}


@st.cache_data(max_entries=64, show_spinner=False)
def _assessed(plan_json: str, notes_json: str, language: str) -> tuple[Assessment, list[AnswerProblem]]:
    return assess_agreed(knowledge(), Plan.model_validate_json(plan_json), json.loads(notes_json))


def assessed(plan: Plan, notes_of: DecisionNotes | None = None) -> tuple[Assessment, list[AnswerProblem]]:
    """The plan assessed (findings so far and what is still needed), as any EIA workshop in its notes agreed it
    (`notes_of`: a version's notes; None: this session's), cached: a rerun that changed no answer is free."""
    kept = notes() if notes_of is None else notes_json(notes_of)
    agreement = {kind: kept[kind] for kind in ("agreed", "added") if kind in kept}
    return _assessed(plan.model_dump_json(), json.dumps(agreement, sort_keys=True), knowledge().language)


def lost_answers(saved_plan: Plan, plan: Plan) -> bool:
    """Whether `plan` drops more than one saved answer at once: one change clears at most one answer, so this is
    a form that lost its values (the bug that saved an empty form over the work), never a person's change."""
    asked = {question.id for question in knowledge().questionnaire.questions}  # not an answer it no longer asks
    return len((set(saved_plan.answers) - set(plan.answers)) & asked) > 1


@guarded
def save() -> None:
    """Save the session's plan and decisions on the version it is based on: called on a person's every change.

    Widgets of the open page are kept first, so a change is never lost when the person moves on. One version per
    editing session: saves amend it (see Store.save); someone else's save in between is refused as stale.
    """
    remember()
    state = st.session_state
    if "assessment_id" not in state or read_only() or state.get("conflict") or missing_details():
        return
    plan = current_plan()
    if lost_answers(base().plan, plan):
        LOG.error("a save of assessment %s would drop several answers at once; refused", state.assessment_id)
        state.notice = _(
            "This change was not saved, because the page had lost answers that are saved. Reload the page to see "
            "the saved answers, then make the change again."
        )
        return
    assessment, problems = assessed(plan)
    try:
        number = save_draft(  # the page's assessment of this plan, reused: one evaluation per save
            store(),
            knowledge(),
            state.assessment_id,
            plan,
            decisions(),
            notes(),
            expected_version=base().version,
            expected_revision=base().revision,
            editing=state.editing,
            assessed=(assessment, problems),
        )
    except StaleVersionError as refused:
        state.conflict = refused.current  # shown at the top of the page: reload, or keep both
        return
    except FinalAssessmentError:
        load(state.assessment_id, _(MARKED_FINAL))
        return
    latest = store().version(state.assessment_id, number)
    if latest is not None:
        state.base = latest


def level_of(plan: Plan) -> str | None:
    """The level kept with a version of this plan (None until it can be screened)."""
    return screening_level(knowledge(), plan)


def saved_texts() -> dict[str, str]:
    """The text answers and details of the version this page is based on, by widget key: what the store has, so
    the keeper in the browser (views/typed_text.py) forgets its copies of them."""
    state = st.session_state
    if "assessment_id" not in state or "base" not in state:
        return {}
    plan = base().plan
    texts = {f"plan_{field}": getattr(plan, field) for field in DETAILS}
    for question in knowledge().questionnaire.questions:
        answer = plan.answers.get(question.id)
        if isinstance(answer, str):
            texts[f"q_{question.id}"] = answer
    return texts


def refresh() -> bool:
    """Bring in a newer save of the open assessment made elsewhere (another tab of this browser, see
    views/typed_text.py) when this session has nothing unsaved; True when it did. Reading only, never writing."""
    state = st.session_state
    if "assessment_id" not in state or "base" not in state or typed_text.typed() or state.get("conflict"):
        return False
    opened = base()
    as_saved = notes_json(opened.notes)  # the plain values the page edits (load)
    unsaved = (current_plan(), decisions(), notes()) != (opened.plan, dict(opened.decisions), as_saved)
    latest = store().latest(state.assessment_id)
    if unsaved or latest is None or (latest.version, latest.revision) == (opened.version, opened.revision):
        return False
    return load(state.assessment_id)


def base_tag() -> str:
    """The saved version this page is based on, as "version.revision" ("" with no assessment open): what text kept in
    the browser was typed on (views/typed_text.py)."""
    state = st.session_state
    if "assessment_id" not in state or "base" not in state:
        return ""
    return f"{base().version}.{base().revision}"
