"""The results of the assessment open in this session: screening, findings, gaps, and the mitigation plan as cards.

Each suggested mitigation is a card: accept, adapt (with the wording the service will use), reject (with the
reason) or mark done, an owner and a due date (a date picker, kept as an ISO date). A manager can add a mitigation
of their own to a finding, and set a finding aside with the reason an equality officer will review. Every change
saves (views/draft.py); opening the page never writes.
"""

from __future__ import annotations

import secrets
from datetime import date
from typing import Any

import altair as alt
import streamlit as st

from proofing import vocabulary
from proofing.assessment import Finding, level_label, likelihood_severity_matrix, rag_of
from proofing.cumulative import Overlap, overlaps_for
from proofing.decisions import DecisionNotes, mitigation_key
from proofing.impact import residual
from proofing.plan import Plan
from proofing.report import suggestion_sentence
from proofing.steps import step_of
from proofing.vocabulary import worded
from proofing.whatif import Suggestion, what_would_lower
from views import draft, widgets
from views.common import _, base_knowledge, guarded, knowledge, link, marked, n_, plain, store, translation

kb = knowledge()
CHOICES = worded(vocabulary.DECISION_WORDS, translation())
RAG = worded(vocabulary.RAG_TAGS, translation())
LIKELIHOOD = worded(vocabulary.LIKELIHOOD_WORDS, translation())


def tag(finding: Finding) -> str:
    """A finding's colour in words (RED, AMBER, GREEN), or POSITIVE for a positive finding."""
    return RAG.get(finding.rag, finding.rag.upper()) if finding.direction == "negative" else _("POSITIVE")


st.title(_("Results"))
if draft.select_assessment() is None:
    st.info(_("No assessment is open. Start one, or open one from the register, to see its results."))
    link("views/assess.py", _("Start an assessment"))
    link("views/register.py", _("Open one from the register"))
    st.stop()

final = draft.read_only()
plan = draft.current_plan()
assessment, problems = draft.assessed(plan)
st.markdown(_("**Plan:** {title}", title=plain(plan.title)))
link("views/assess.py", _("← Back to the questionnaire"))


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
def decision_changed(key: str) -> None:
    """Keep what a person chose on one suggested mitigation's card, then save."""
    state = st.session_state
    choice = state[f"m_{key}_choice"]
    due = state.get(f"m_{key}_due")
    decisions = draft.decisions()
    decisions[key] = {
        "status": "accepted" if choice == "adapted" else choice,
        "owner": (state.get(f"m_{key}_owner") or "").strip(),
        "due": due.isoformat() if isinstance(due, date) else "",
    }
    state.decisions = decisions
    _set_note(
        "mitigations",
        key,
        {
            "choice": "adapted" if choice == "adapted" else "",
            "adapted": (state.get(f"m_{key}_adapted") or "").strip() if choice == "adapted" else "",
            "reason": (state.get(f"m_{key}_reason") or "").strip() if choice == "rejected" else "",
        },
    )
    draft.save()


@guarded
def own_changed(own_id: str) -> None:
    """Keep a change to one of the manager's own mitigations, then save."""
    state = st.session_state
    entry = _note("own", own_id)
    due = state.get(f"o_{own_id}_due")
    entry |= {
        "status": state[f"o_{own_id}_choice"],
        "owner": (state.get(f"o_{own_id}_owner") or "").strip(),
        "due": due.isoformat() if isinstance(due, date) else "",
        "reason": (state.get(f"o_{own_id}_reason") or "").strip(),
    }
    _set_note("own", own_id, entry)
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


def owner_and_due(prefix: str, owner: str, due: str, on_change: Any, args: tuple[str, ...]) -> None:
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


def suggested_card(finding: Finding, index: int) -> None:
    """One suggested mitigation as a card with its decision, owner and due date."""
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
            st.caption(_("Draws on the strategy: {actions}", actions=actions))
        chosen = st.radio(
            _("Decision"),
            list(CHOICES),
            format_func=CHOICES.get,
            horizontal=True,
            key=_widget(f"m_{key}_choice", choice),
            on_change=decision_changed,
            args=(key,),
            disabled=final,
        )
        if chosen == "adapted":
            st.text_area(
                _("The mitigation as you will do it"),
                key=_widget(f"m_{key}_adapted", note.get("adapted", "")),
                on_change=decision_changed,
                args=(key,),
                disabled=final,
                height=80,
            )
        if chosen == "rejected":
            st.text_area(
                _("Why it is rejected (an equality officer will review this)"),
                key=_widget(f"m_{key}_reason", note.get("reason", "")),
                on_change=decision_changed,
                args=(key,),
                disabled=final,
                height=80,
            )
        owner_and_due(f"m_{key}", decided.get("owner", ""), decided.get("due", ""), decision_changed, (key,))


def own_card(own_id: str, entry: dict[str, str]) -> None:
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
        owner_and_due(f"o_{own_id}", entry.get("owner", ""), entry.get("due", ""), own_changed, (own_id,))
        if not final:
            st.button(_("Remove this mitigation"), key=f"o_{own_id}_remove", on_click=own_removed, args=(own_id,))


# --- screening -----------------------------------------------------------------------------------

st.header(_("Screening"))
negatives = [f for f in assessment.findings if f.direction == "negative"]
positives = [f for f in assessment.findings if f.direction == "positive"]
if problems:
    st.info(_("Not screened yet: the findings below are what the answers so far show."))
    st.warning(
        _("Still to answer or correct before the assessment is complete:")
        + "\n\n"
        + "\n".join(f"- {plain(p.sentence)}" for p in problems)
    )
else:
    st.info(marked(assessment.level_words))
    if assessment.level_reason:
        st.caption(plain(assessment.level_reason))
    st.write(_("Decision asked for: {decision}", decision=marked(assessment.decision)))
st.write(_("{negative} negative and {positive} positive findings.", negative=len(negatives), positive=len(positives)))
for finding in assessment.findings:
    if finding.added_by_workshop:
        said = " " + _("(added by the EIA workshop)")
    elif finding.rules_likelihood is not None:
        said = " " + _(
            "(agreed at the EIA workshop; the rules gave {score})",
            score=finding.rules_likelihood * (finding.rules_severity or 0),
        )
    elif finding.workshop:
        said = " " + _("(the EIA workshop agreed the rules' score)")
    else:
        said = ""
    st.markdown(f"- **{tag(finding)}, {finding.score}**: {marked(finding.title)}{plain(said) if said else ''}")
if assessment.dropped:
    st.markdown("**" + _("Dropped by the EIA workshop") + "**")
    for finding in assessment.dropped:
        reason = f": {plain(finding.workshop_note)}" if finding.workshop_note else ""
        st.markdown(f"- {marked(finding.title)}{reason}")

# --- mitigations ---------------------------------------------------------------------------------

st.header(_("Mitigation plan"))
if not negatives:
    st.write(_("No negative impact found, so no mitigation is needed."))
else:
    st.write(
        _(
            "For each finding, decide on each suggested mitigation: accept it, adapt it to your service, reject it "
            "with a reason, or mark it done; give an owner and a due date. You can add a mitigation of your own, or "
            "set a finding aside with a reason an equality officer will review. Every choice is saved as you make it."
        )
    )
own = draft.notes().get("own", {})
for finding in negatives:
    st.subheader(
        _("{title} ({colour}, score {score})", title=marked(finding.title), colour=tag(finding), score=finding.score)
    )
    aside = _note("set_aside", finding.rule)
    st.toggle(
        _("Set this finding aside"),
        key=_widget(f"aside_{finding.rule}", bool(aside)),
        on_change=aside_changed,
        args=(finding.rule,),
        disabled=final,
    )
    if st.session_state.get(f"aside_{finding.rule}"):
        st.text_area(
            _("Why this finding does not apply (an equality officer will review this)"),
            key=_widget(f"aside_{finding.rule}_reason", aside.get("reason", "")),
            on_change=aside_changed,
            args=(finding.rule,),
            disabled=final,
            height=80,
        )
        if not aside:
            st.warning(_("Give the reason to set this finding aside; until then it is not set aside."))
        continue
    for index in range(len(finding.mitigations)):
        suggested_card(finding, index)
    for own_id, entry in own.items():
        if entry.get("finding") == finding.rule:
            own_card(own_id, entry)
    if not final:
        with st.expander(_("Add a mitigation of your own")):
            st.text_area(_("What will be done"), key=f"new_{finding.rule}_text", height=80)
            left, right = st.columns(2)
            left.text_input(_("Owner (name or role)"), key=f"new_{finding.rule}_owner", max_chars=300)
            right.date_input(_("Due by"), value=None, key=f"new_{finding.rule}_due", format="DD/MM/YYYY")
            if problem := st.session_state.get(f"new_{finding.rule}_problem"):
                st.error(problem)
            st.button(_("Add this mitigation"), key=f"new_{finding.rule}_add", on_click=own_added, args=(finding.rule,))

# --- before and after ----------------------------------------------------------------------------


def also_affected(assessment_id: str) -> list[Overlap]:
    """The other live assessments hitting the same groups in the same wards or period (the cumulative index)."""
    return overlaps_for(store(), base_knowledge(), assessment_id)


@st.cache_data(max_entries=64, show_spinner=False)
def _suggestions(plan_json: str) -> list[Suggestion]:
    return what_would_lower(base_knowledge(), Plan.model_validate_json(plan_json))


def move_chart(rows: list[dict[str, Any]]) -> alt.LayerChart:
    """The likelihood × severity matrix with each finding's move: a hollow ring where it starts (as assessed), a
    filled dot where it ends (after the mitigations in place), an arrow-like line between, and its number."""
    cells = [{"severity": s, "likelihood": k, "band": rag_of(kb, k * s)} for k in range(1, 6) for s in range(1, 6)]
    colours = alt.Scale(domain=["green", "amber", "red"], range=["#DCEFD9", "#FFE9BF", "#F6CACA"])
    span = alt.Scale(domain=[0.5, 5.5])
    bands = (
        alt.Chart(
            alt.Data(
                values=[
                    c
                    | {
                        "x1": c["severity"] - 0.5,
                        "x2": c["severity"] + 0.5,
                        "y1": c["likelihood"] - 0.5,
                        "y2": c["likelihood"] + 0.5,
                    }
                    for c in cells
                ]
            )
        )
        .mark_rect(stroke="white", strokeWidth=2)
        .encode(
            x=alt.X(
                "x1:Q",
                scale=alt.Scale(domain=[0.5, 5.5]),
                title=_("Severity"),
                axis=alt.Axis(values=[1, 2, 3, 4, 5], format="d", labelFontSize=16, titleFontSize=18),
            ),
            x2="x2:Q",
            y=alt.Y(
                "y1:Q",
                scale=alt.Scale(domain=[0.5, 5.5]),
                title=_("Likelihood"),
                axis=alt.Axis(values=[1, 2, 3, 4, 5], format="d", labelFontSize=16, titleFontSize=18),
            ),
            y2="y2:Q",
            color=alt.Color("band:N", scale=colours, legend=None),
        )
    )
    data = alt.Data(values=rows)
    lines = (
        alt.Chart(data)
        .mark_rule(strokeWidth=3, color="#333333")
        .encode(x=alt.X("from_x:Q", scale=span), y=alt.Y("from_y:Q", scale=span), x2="to_x:Q", y2="to_y:Q")
    )
    start = (
        alt.Chart(data)
        .mark_point(size=420, filled=False, strokeWidth=3, color="#333333")
        .encode(x=alt.X("from_x:Q", scale=span), y=alt.Y("from_y:Q", scale=span), tooltip=["label:N"])
    )
    end = (
        alt.Chart(data)
        .mark_circle(size=520, color="#1F3A5F", opacity=1)
        .encode(x=alt.X("to_x:Q", scale=span), y=alt.Y("to_y:Q", scale=span), tooltip=["label:N"])
    )
    numbers = (
        alt.Chart(data)
        .mark_text(fontSize=15, fontWeight="bold", color="white")
        .encode(x=alt.X("to_x:Q", scale=span), y=alt.Y("to_y:Q", scale=span), text="number:N")
    )
    start_numbers = (
        alt.Chart(data)
        .mark_text(fontSize=13, fontWeight="bold", color="#333333")
        .encode(x=alt.X("from_x:Q", scale=span), y=alt.Y("from_y:Q", scale=span), text="number:N")
    )
    return (bands + lines + start + start_numbers + end + numbers).properties(height=520)


def before_and_after() -> None:
    """Each negative finding's score before and after the mitigations in place, both levels, the matrix of the
    moves (a chart and the same as a table), what would change the level, and what else hits the same people."""
    st.header(_("Before and after"))
    result = residual(kb, assessment, draft.decisions(), DecisionNotes.model_validate(draft.notes()))
    if not result.findings:
        st.write(_("No negative impact was found, so there is nothing to mitigate."))
    else:
        left, right = st.columns(2)
        left.metric(_("Screening level (before mitigation)"), level_label(kb, result.level))
        right.metric(_("Residual level (after the mitigations in place)"), level_label(kb, result.residual_level))
        if not any(f.applied or f.unscored for f in result.findings):
            st.info(_("No mitigation accepted yet: the residual scores are the scores as assessed."))
        else:
            st.caption(
                _(
                    "The residual score counts only the mitigations accepted, adapted or done, each by the effect "
                    "the rule base declares for it. The service's own mitigations are shown but move no score."
                )
            )
        table = []
        seen: dict[tuple[int, int], int] = {}
        seen_from: dict[tuple[str, int, int], int] = {}
        rows: list[dict[str, Any]] = []
        for number, finding in enumerate(result.findings, start=1):
            table.append(
                {
                    _("No."): number,
                    _("Finding"): finding.title,
                    _("Before"): f"{finding.likelihood} × {finding.severity} = {finding.score} ({RAG[finding.rag]})",
                    _("After"): (
                        f"{finding.residual_likelihood} × {finding.residual_severity} = {finding.residual_score} "
                        f"({RAG[finding.residual_rag]})"
                    ),
                    _("What moved it"): "; ".join(a.text for a in finding.applied if a.after < a.before)
                    or _("Nothing yet"),
                }
            )
            # findings sharing an end cell sit side by side in it, so that each number can be read
            place = (finding.residual_likelihood, finding.residual_severity)
            shift = 0.2 * seen.get(place, 0)
            seen[place] = seen.get(place, 0) + 1
            begin = ("from", finding.likelihood, finding.severity)
            start_shift = 0.2 * seen_from.get(begin, 0)
            seen_from[begin] = seen_from.get(begin, 0) + 1
            rows.append(
                {
                    "number": str(number),
                    "label": f"{number}. {finding.title}",
                    "from_x": finding.severity - 0.4 + start_shift,
                    "from_y": finding.likelihood + 0.28,
                    "to_x": finding.residual_severity - 0.3 + shift,
                    "to_y": finding.residual_likelihood - 0.1,
                }
            )
        st.table(table)  # a plain table wraps each title and reason: a board reads it without scrolling sideways
        st.subheader(_("The moves on the likelihood × severity matrix"))
        st.altair_chart(move_chart(rows), width="stretch")
        st.caption(
            _(
                "Chart in words: each numbered dot is a finding after the mitigations in place; the ring joined to "
                "it is where it was before. Severity runs left to right, likelihood bottom to top."
            )
        )
        with st.expander(_("The moves as a table")):
            st.table(
                [
                    {
                        _("No."): str(number),
                        _("Before: likelihood, severity"): f"{f.likelihood}, {f.severity}",
                        _("After: likelihood, severity"): f"{f.residual_likelihood}, {f.residual_severity}",
                    }
                    for number, f in enumerate(result.findings, start=1)
                ]
            )
    st.header(_("What would change the level"))
    if problems:
        st.write(_("The plan is not complete, so what would change its level is not worked out yet."))
    else:
        suggestions = _suggestions(plan.model_dump_json())
        if not suggestions:
            st.write(_("Nothing within two of the plan's own choices would lower the level."))
        for suggestion in suggestions:
            st.markdown("- " + plain(suggestion_sentence(kb, suggestion, translation())))
    overlaps = also_affected(st.session_state.assessment_id)
    if overlaps:
        st.header(_("Also affected by"))
        st.warning(
            _(
                "A gap: other live assessments hit the same groups in the same wards or period. Consider them "
                "together: one community may be absorbing several changes at once."
            )
        )
        for overlap in overlaps:
            where = ", ".join(overlap.wards) or overlap.period
            if overlap.hidden:  # the plans this person may not open: counted, never named
                counted = n_(
                    "{n} other assessment not shared with you",
                    "{n} other assessments not shared with you",
                    overlap.hidden,
                )
                st.markdown(
                    "- " + plain(_("{count}: {group}; {where}", count=counted, group=overlap.group, where=where))
                )
                continue
            st.markdown(
                "- "
                + plain(
                    _(
                        "{title} ({service}): {level}; {group}; {where}",
                        title=overlap.title,
                        service=overlap.service,
                        level=overlap.level or _("Not screened yet"),
                        group=overlap.group,
                        where=where,
                    )
                )
            )


before_and_after()

# --- the analysis behind the findings ------------------------------------------------------------

if assessment.profile:
    st.header(_("Impact by group"))
    ranked = sorted(assessment.profile, key=lambda e: -e.highest_negative_score)
    highest = _("Highest negative score")
    st.bar_chart({highest: {e.name: e.highest_negative_score for e in assessment.profile}}, horizontal=True)
    worst = [e for e in ranked if e.highest_negative_score > 0][:3]
    most = "; ".join(f"{e.name} ({e.highest_negative_score})" for e in worst)
    st.caption(
        _("Chart in words: the highest negative score for each group, out of 25.")
        + " "
        + (_("Most affected: {groups}.", groups=plain(most)) if worst else _("No group has a negative finding."))
    )
    with st.expander(_("The chart as a table")):
        st.dataframe(
            [{_("Group"): e.name, highest: e.highest_negative_score, _("Negative"): e.negative} for e in ranked],
            hide_index=True,
            width="stretch",
        )
    st.header(_("Likelihood × severity"))
    st.caption(_("How many negative findings have each likelihood (rows) and severity (columns)."))
    matrix = [
        {_("Likelihood"): f"{likelihood} ({LIKELIHOOD[likelihood]})"}
        | {_("Severity {n}", n=severity): row[f"Severity {severity}"] for severity in range(1, 6)}
        for likelihood, row in zip(range(5, 0, -1), likelihood_severity_matrix(assessment), strict=True)
    ]
    st.table(matrix)  # a plain table: it wraps to fit any width

st.header(_("By characteristic and community"))
for group, kind in ((_("Characteristics"), "characteristic"), (_("Communities"), "community")):
    profile = [e for e in assessment.profile if e.kind == kind]
    if profile:
        st.subheader(group)
    for entry in profile:
        touching = [f for f in assessment.findings if entry.id in f.characteristics + f.communities]
        counts = _("{negative} negative, {positive} positive", negative=entry.negative, positive=entry.positive)
        with st.expander(f"{marked(entry.name)}: {counts}"):
            for finding in touching:
                sum_of = f"{finding.likelihood} × {finding.severity} = {finding.score}"
                st.markdown(f"**{marked(finding.title)}** ({tag(finding)}, {sum_of})")
                st.write(marked(finding.rationale))
                for because in finding.because:
                    st.text(
                        _("Because: {question} {answer}", question=because.question_text, answer=because.answer_text)
                    )

if assessment.gaps:
    st.header(_("Gaps in this assessment"))
    for gap in assessment.gaps:
        st.write(f"- {marked(gap.message)}")
        question = kb.questionnaire.question(gap.question) if gap.question else None  # an unanswered question
        asked = step_of(kb.questionnaire, question.id) if question else None
        if question is not None and asked is not None:  # a link back to it
            words = {"question": widgets.label(question.text), "step": widgets.label(asked.title)}
            where = {"assessment": st.session_state.assessment_id, "step": asked.id}
            link("views/assess.py", _("Answer “{question}” (step: {step})", **words), where)

link("views/export.py", _("Next: export the record →"))
