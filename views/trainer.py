"""The trainer's view: choose the course's cases, see the cohort's results, download them, and issue certificates.

A course here is the set of worked cases the trainer chooses (every case, unless narrowed); the cohort's results are
the rounds trainees submitted on the Training page, read through the acting store, which lets only a trainer see
everyone's. What the page shows is proofing.training's: the impacts most often missed per case and per service or
organisation, training delivered (rounds completed, people trained) by organisation per quarter, the rounds as CSV,
and an A4 Word certificate of completion per trainee who passed a case (proofing.certificate), in the council's
record template, naming them as they gave their name on the Training page.
"""

from __future__ import annotations

import streamlit as st

from proofing.access import PermissionDenied
from proofing.certificate import cases_passed, certificate
from proofing.training import SCORING, delivered, most_missed, needs_name, rounds_csv, trainee_name, trainees
from views.common import _, knowledge, n_, plain, store, translation
from views.library_words import sentence_of

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"

kb = knowledge()
st.title(_("Trainer: the cohort's results"))
acting = store()
if not acting.may("run_training"):
    roles = ", ".join(sorted(acting.user.roles)) or _("no role")
    st.info(
        plain(_("This page is for trainers; you hold {roles}. Your own results are on the Training page.", roles=roles))
    )
    st.stop()
try:
    everyone = acting.training_rounds(everyone=True)
except PermissionDenied as refused:
    st.error(plain(sentence_of(refused)))
    st.stop()

cases = {case.id: case.title for case in kb.training}
st.subheader(_("The course"))
course = st.multiselect(
    _("Cases in this course"),
    list(cases),
    default=list(cases),
    format_func=cases.__getitem__,
    help=_("The cohort's results below count only rounds of these cases."),
)
rounds = [kept for kept in everyone if kept.case in course]
if not rounds:
    st.info(_("No trainee has completed a case of this course yet. Rounds appear here once submitted on Training."))
    st.stop()

people = trainees(rounds)
st.markdown(
    plain(n_("{n} round completed", "{n} rounds completed", len(rounds)))
    + " "
    + plain(n_("by {n} person,", "by {n} people,", len(people)))
    + " "
    + plain(_("average score {score} of 100.", score=round(sum(kept.score for kept in rounds) / len(rounds))))
)

st.subheader(_("Results, newest first"))
st.dataframe(
    [
        {
            _("When (UTC)"): f"{translation().date(kept.at)} {kept.at:%H:%M}",
            _("Trainee"): people[kept.subject],
            _("Service or organisation"): kept.organisation,
            _("Case"): cases.get(kept.case, kept.case),
            _("Score"): kept.score,
            _("Result"): _("passed") if kept.score >= SCORING.pass_mark else _("not yet passed"),
            _("Found"): len(kept.found),
            _("Missed"): len(kept.missed),
            _("Over-called"): len(kept.over_called),
        }
        for kept in reversed(rounds)
    ],
    hide_index=True,
)
st.download_button(
    _("Download the results (CSV)"), rounds_csv(kb, rounds), file_name="training-results.csv", mime="text/csv"
)

st.subheader(_("The impacts most often missed"))
views = (
    (_("Per case"), "case", _("Case"), lambda within: cases.get(within, within)),
    (_("Per group affected"), "group", _("Group affected"), str),
    (_("Per service or organisation"), "organisation", _("Service or organisation"), str),
)
for tab, (_label, by, column, named) in zip(st.tabs([view[0] for view in views]), views, strict=True):
    with tab:
        missed = most_missed(kb, rounds, by=by)
        if missed:
            st.dataframe(
                [
                    {
                        column: named(m.within),
                        _("Impact missed"): m.title,
                        _("Missed in"): _("{missed} of {rounds}", missed=m.missed, rounds=m.rounds),
                    }
                    for m in missed
                ],
                hide_index=True,
            )
        else:
            st.markdown(_("No impact has been missed in these rounds."))

st.subheader(_("Training delivered"))
st.caption(_("The strategy's measure: rounds completed and people trained, by service or organisation, per quarter."))
st.dataframe(
    [
        {
            _("Quarter"): d.quarter,
            _("Service or organisation"): d.organisation,
            _("Rounds completed"): d.rounds,
            _("People trained"): d.people,
        }
        for d in delivered(rounds)
    ],
    hide_index=True,
)

st.subheader(_("Certificates of completion"))
st.caption(
    _(
        "A certificate lists the cases a trainee passed (the pass mark is {pass_mark} of 100), with their best score.",
        pass_mark=SCORING.pass_mark,
    )
)
passed = [subject for subject in people if cases_passed(kept for kept in rounds if kept.subject == subject)]
if not passed:
    st.info(_("No trainee has passed a case of this course yet."))
    st.stop()
chosen = st.selectbox(_("Trainee"), passed, format_func=people.__getitem__)
theirs = [kept for kept in rounds if kept.subject == chosen]
known = trainee_name(theirs)
name = st.text_input(
    _("Name on the certificate"),
    value=known,
    key=f"certificate_name_{chosen}",
    help=_("As the trainee gave it on the Training page, or their sign-in name; change it if it is not right."),
)
if needs_name(name):
    st.info(_("Give the trainee's name, as the certificate should show it."))
else:
    st.download_button(
        plain(_("Download the certificate for {name} (Word)", name=name.strip())),
        certificate(kb, theirs, name=name, say=translation()),
        file_name="certificate-of-completion.docx",
        mime=DOCX,
    )
