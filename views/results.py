"""The results of the assessment open in this session, in the order a manager works: the screening, then each
finding with its why and its mitigations under it (views/results_cards.py), then the analysis
(views/results_analysis.py).

A finding and its card are one: there is no separate list of findings to match to cards. A finding's mitigations
are folded away once settled, so the page of the largest example reads in three screens before the analysis.
Every change saves (views/draft.py); opening the page never writes.
"""

from __future__ import annotations

import streamlit as st

from proofing.decisions import DecisionNotes
from proofing.messages import problem_words
from proofing.service import residual_shown
from views import draft
from views.common import _, knowledge, link, marked, n_, plain, store, translation
from views.results_analysis import (
    before_and_after,
    by_group,
    gaps,
    group_chart,
    matrix_counts,
    overlaps,
    what_would_change,
)
from views.results_cards import bulk_accept, negative_card, positive_card

kb = knowledge()

st.title(_("Results"))
if draft.select_assessment() is None:
    st.info(_("No assessment is open. Start one, or open one from the register, to see its results."))
    link("views/assess.py", _("Start an assessment"))
    link("views/register.py", _("Open one from the register"))
    st.stop()

final = draft.read_only()
plan = draft.current_plan()
assessment, problems = draft.assessed(plan)
notes = DecisionNotes.model_validate(draft.notes())
opened = draft.base()
result, followed = residual_shown(
    store(), kb, opened.assessment_id, opened.version, assessment, draft.decisions(), notes
)
st.markdown(_("**Plan:** {title}", title=plain(plan.title)))
link("views/assess.py", _("← Back to the questionnaire"))

# --- screening -----------------------------------------------------------------------------------

st.header(_("Screening"))
negatives = [f for f in assessment.findings if f.direction == "negative"]
positives = [f for f in assessment.findings if f.direction == "positive"]
if problems:
    st.info(_("Not screened yet: the findings below are what the answers so far show."))
    st.warning(
        _("Still to answer or correct before the assessment is complete:")
        + "\n\n"
        + "\n".join(f"- {plain(problem_words(p, translation()))}" for p in problems)
    )
else:
    st.info(
        marked(assessment.level_words)
        + ("\n\n" + plain(assessment.level_reason) if assessment.level_reason else "")
        + "\n\n"
        + _("Decision asked for: {decision}", decision=marked(assessment.decision))
    )

# --- the findings, each with its why and its mitigations -----------------------------------------

st.header(_("Findings and mitigations"))
found = _("{negative} negative and {positive} positive findings.", negative=len(negatives), positive=len(positives))
if negatives:
    found += " " + n_(
        "{n} mitigation counted in the residual so far.",
        "{n} mitigations counted in the residual so far.",
        result.counted,
    )
    st.write(found)
    st.caption(
        _("Approved: the residual counts a mitigation only when its action is done or has a due date (Actions page).")
        if followed
        else _(
            "Open a finding's mitigations to accept, adapt, reject or mark each done; an accepted one counts in the "
            "residual once it has an owner and a due date. Every choice is saved as you make it."
        )
    )
    bulk_accept(assessment, final)
else:
    st.write(found)
    st.write(_("No negative impact found, so no mitigation is needed."))
for number, finding in enumerate(negatives, start=1):
    negative_card(finding, number, result, notes, final)
for number, finding in enumerate(positives, start=len(negatives) + 1):
    positive_card(finding, number)
if assessment.dropped:
    st.markdown("**" + _("Dropped by the EIA workshop") + "**")
    for finding in assessment.dropped:
        reason = f": {plain(finding.workshop_note)}" if finding.workshop_note else ""
        st.markdown(f"- {marked(finding.title)}{reason}")

# --- the analysis, after the decisions -----------------------------------------------------------

st.header(_("Analysis"))
before_and_after(kb, result)
what_would_change(kb, plan, problems)
overlaps(st.session_state.assessment_id)
if assessment.profile:
    group_chart(assessment)
    matrix_counts(assessment)
by_group(assessment)
gaps(assessment)

link("views/export.py", _("Next: export the record →"))
