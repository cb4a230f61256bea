"""Training: a trainee reads a worked case, predicts its impacts, and sees what an officer would have seen and why.

The cases are the rule base's (rules/training/*.yaml); scoring is proofing.training's. This page only asks and shows.
Each submitted round is kept through the acting store (who, their service or partner organisation, asked here and
remembered for the session, the case, the prediction, the score and what was found, missed and over-called), so the
trainee sees their own rounds below and can download their certificate, and a trainer sees the cohort's.
"""

from __future__ import annotations

import streamlit as st

from proofing.access import PermissionDenied
from proofing.assessment import level_label
from proofing.questionnaire import LEVELS
from proofing.store import StoreError
from proofing.training import Prediction, certificate, impacts_offered, outcomes, score_round
from views.common import _, knowledge, marked, plain, store, translation

kb = knowledge()
st.title(_("Training: what would an officer see?"))
if not kb.training:
    st.info(_("This rule base has no worked cases yet (rules/training/*.yaml)."))
    st.stop()

cases = {case.id: case for case in kb.training}
chosen = st.selectbox(_("Choose a worked case"), list(cases), format_func=lambda case_id: cases[case_id].title)
case = cases[chosen]

st.header(plain(case.title))
st.caption(plain(case.theme))
st.subheader(_("The plan"))
st.markdown(plain(case.scenario))
st.subheader(_("The local picture"))
st.markdown(plain(case.context))

names = {c.id: c.name for c in kb.characteristics} | {c.id: c.name for c in kb.communities}
offered = dict(impacts_offered(kb, case))
with st.form(f"predict_{case.id}"):
    st.subheader(_("Your prediction"))
    organisation = st.text_input(
        _("Your service or partner organisation"),
        value=st.session_state.get("training_organisation", ""),
        help=_("Kept with your result, so training delivered can be counted by service and organisation."),
    )
    level = st.radio(_("What screening level would you give it?"), LEVELS, format_func=lambda v: level_label(kb, v))
    groups = st.multiselect(_("Which groups will it affect?"), list(names), format_func=names.__getitem__)
    impacts = st.multiselect(_("What are its main impacts?"), list(offered), format_func=offered.__getitem__)
    words = st.text_area(_("In your own words, what would you tell the manager?"))
    submitted = st.form_submit_button(_("Submit and see the answer"))

if submitted:
    prediction = Prediction(level=level, groups=groups, impacts=impacts, words=words)
    scored = score_round(kb, case, prediction)
    try:
        store().record_round(case.id, organisation, prediction.model_dump(), scored.score, outcomes(scored))
    except (StoreError, PermissionDenied) as refused:
        words = str(refused).rstrip(".")
        st.error(plain(words[:1].upper() + words[1:] + "."))
    else:
        st.session_state["training_organisation"] = organisation.strip()
        st.session_state[f"round_{case.id}"] = scored

result = st.session_state.get(f"round_{case.id}")
if result is not None:
    st.header(_("What an officer would have seen"))
    st.metric(_("Your score"), _("{score} of 100", score=result.score))
    st.markdown(
        _(
            "**How it is made up:** impacts {impacts} of 60 (each impact over-called cancels one found), "
            "groups {groups} of 25, screening level {level} of 15.",
            impacts=result.impact_points,
            groups=result.group_points,
            level=result.level_points,
        )
    )
    verdict = (
        _("right")
        if result.level_right
        else _("not right: the rules give {level}", level=level_label(kb, result.level_expected))
    )
    st.markdown(_("**Screening level:** {verdict}.", verdict=plain(verdict)))
    for label, members in (
        (_("Groups you found"), result.groups_found),
        (_("Groups you missed"), result.groups_missed),
        (_("Groups you named that the impacts do not"), result.groups_over_called),
    ):
        if members:
            st.markdown(f"**{label}:** " + plain(", ".join(names.get(g, g) for g in members)))
    for heading, outcome, meaning in (
        (_("Found"), "found", _("Main impacts of this case that you named.")),
        (
            _("Missed"),
            "missed",
            _("Main impacts of this case that you did not name: each is open, with why it arises."),
        ),
        (
            _("Over-called"),
            "over-called",
            _("Impacts you named that are not among this case's main impacts: open one to see what the rules say."),
        ),
    ):
        shown = [reveal for reveal in result.reveals if reveal.outcome == outcome]
        if not shown:
            continue
        st.subheader(f"{heading} ({len(shown)})")
        st.caption(meaning)
        for reveal in shown:
            with st.expander(marked(reveal.title), expanded=outcome == "missed"):
                st.markdown(marked(reveal.rationale))
                if reveal.because:
                    st.markdown(
                        "**"
                        + _("The answers that led to it:")
                        + "**\n"
                        + "\n".join(f"- {plain(b)}" for b in reveal.because)
                    )
                if reveal.actions:
                    st.markdown(
                        "**"
                        + _("Strategy actions a mitigation draws on:")
                        + "**\n"
                        + "\n".join(f"- {plain(a)}" for a in reveal.actions)
                    )
    st.subheader(_("What this case teaches"))
    for point in case.learning_points:
        st.markdown(f"- {plain(point)}")
    st.caption(
        _(
            "To try this case again, change your prediction above and submit it again (each round is kept); "
            "or choose another case at the top of the page."
        )
    )

mine = store().training_rounds()
if mine:
    st.header(_("Your training so far"))
    st.dataframe(
        [
            {
                _("When (UTC)"): f"{translation().date(kept.at)} {kept.at:%H:%M}",
                _("Case"): cases[kept.case].title if kept.case in cases else kept.case,
                _("Score"): _("{score} of 100", score=kept.score),
            }
            for kept in reversed(mine)
        ],
        hide_index=True,
    )
    st.download_button(
        _("Download your certificate of completion (Word)"),
        certificate(kb, mine),
        file_name="certificate-of-completion.docx",
        mime="application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    )
