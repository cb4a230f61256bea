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
from proofing.certificate import cases_passed, certificate
from proofing.questionnaire import LEVELS
from proofing.store import StoreError
from proofing.training import (
    SCORING,
    Prediction,
    impact_themes,
    needs_name,
    outcomes,
    score_round,
    scoring_words,
    trainee_name,
)
from views.common import _, knowledge, marked, plain, store, translation
from views.library_words import sentence_of

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

acting = store()
mine = acting.training_rounds()
ask_name = needs_name(acting.user.name)
names = {c.id: c.name for c in kb.characteristics} | {c.id: c.name for c in kb.communities}
themes = impact_themes(kb, case, translation())
with st.form(f"predict_{case.id}"):
    st.subheader(_("Your prediction"))
    st.caption(plain(scoring_words(case, translation())))
    organisation = st.text_input(
        _("Your service or partner organisation"),
        value=st.session_state.get("training_organisation", ""),
        help=_("Kept with your result, so training delivered can be counted by service and organisation."),
    )
    given_name = ""
    if ask_name:
        given_name = st.text_input(
            _("Your name, as your certificate should show it"),
            value=st.session_state.get("training_name", trainee_name(mine)),
            help=_("Your sign-in does not give your name, so it is asked here; it is kept with your results."),
        )
    level = st.radio(_("What screening level would you give it?"), LEVELS, format_func=lambda v: level_label(kb, v))
    groups = st.multiselect(_("Which groups will it affect?"), list(names), format_func=names.__getitem__)
    st.markdown("**" + _("What are its main impacts?") + "**")
    st.caption(_("The impacts are grouped by theme: open a theme and tick each impact you expect."))
    ticked: list[str] = []
    for theme in themes:
        with st.expander(plain(f"{theme.name} ({len(theme.impacts)})")):
            for rule_id, title in theme.impacts:
                if st.checkbox(marked(title), key=f"impact_{case.id}_{rule_id}"):
                    ticked.append(rule_id)
    words = st.text_area(_("In your own words, what would you tell the manager?"))
    submitted = st.form_submit_button(_("Submit and see the answer"))

if submitted:
    prediction = Prediction(level=level, groups=groups, impacts=ticked, words=words, name=given_name.strip())
    scored = score_round(kb, case, prediction)
    try:
        acting.record_round(case.id, organisation, prediction.model_dump(), scored.score, outcomes(scored))
    except (StoreError, PermissionDenied) as refused:
        st.error(plain(sentence_of(refused)))
    else:
        st.session_state["training_organisation"] = organisation.strip()
        if given_name.strip():
            st.session_state["training_name"] = given_name.strip()
        st.session_state[f"round_{case.id}"] = scored
        mine = acting.training_rounds()

result = st.session_state.get(f"round_{case.id}")
if result is not None:
    st.header(_("What an officer would have seen"))
    st.metric(_("Your score"), _("{score} of 100", score=result.score))
    if result.passed:
        st.success(_("A pass: the pass mark is {pass_mark} of 100.", pass_mark=result.pass_mark))
    else:
        st.warning(_("Not yet a pass: the pass mark is {pass_mark} of 100.", pass_mark=result.pass_mark))
    st.markdown(
        _(
            "**How it is made up:** the main impacts {impacts} of {impacts_of} (each impact over-called cancels one "
            "found), the groups {groups} of {groups_of}, the screening level {level} of {level_of}.",
            impacts=result.impact_points,
            impacts_of=SCORING.impacts,
            groups=result.group_points,
            groups_of=SCORING.groups,
            level=result.level_points,
            level_of=SCORING.level,
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
    for heading, outcome, main, meaning in (
        (_("Found"), "found", True, _("Main impacts of this case that you named.")),
        (
            _("Missed"),
            "missed",
            True,
            _("Main impacts of this case that you did not name: each is open, with why it arises."),
        ),
        (
            _("Also found"),
            "found",
            False,
            _(
                "Impacts you named that the rules find for this plan, besides its main ones: right, though only the "
                "main impacts count towards the score."
            ),
        ),
        (
            _("Over-called"),
            "over-called",
            True,
            _("Impacts you named that the rules do not find for this plan: each cancels one main impact found."),
        ),
    ):
        shown = [r for r in result.reveals if r.outcome == outcome and (outcome != "found" or r.main == main)]
        if not shown:
            continue
        st.subheader(f"{heading} ({len(shown)})")
        st.caption(meaning)
        for reveal in shown:
            with st.expander(marked(reveal.title), expanded=outcome == "missed"):
                if reveal.part_of:
                    st.markdown(_("The rules find it as part of: {finding}", finding=marked(reveal.part_of)))
                if reveal.outcome == "over-called":
                    st.markdown(_("The rules do not find this impact for this plan."))
                else:
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

if mine:
    st.header(_("Your training so far"))
    st.dataframe(
        [
            {
                _("When (UTC)"): f"{translation().date(kept.at)} {kept.at:%H:%M}",
                _("Case"): cases[kept.case].title if kept.case in cases else kept.case,
                _("Score"): _("{score} of 100", score=kept.score),
                _("Result"): _("passed") if kept.score >= SCORING.pass_mark else _("not yet passed"),
            }
            for kept in reversed(mine)
        ],
        hide_index=True,
    )
    certified = trainee_name(mine) if ask_name else acting.user.name
    if not cases_passed(mine):
        st.info(
            _(
                "Your certificate of completion is ready once you pass a case: the pass mark is {pass_mark} of 100.",
                pass_mark=SCORING.pass_mark,
            )
        )
    elif needs_name(certified):
        st.info(_("Give your name in the prediction form and submit a round, and your certificate is ready here."))
    else:
        st.download_button(
            _("Download your certificate of completion (Word)"),
            certificate(kb, mine, name=certified, say=translation()),
            file_name="certificate-of-completion.docx",
            mime="application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        )
