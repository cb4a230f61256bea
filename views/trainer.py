"""The trainer's view: choose the course's cases, see the cohort's results, download them, and issue certificates.

A course here is the set of worked cases the trainer chooses (every case, unless narrowed); the cohort's results are
the rounds trainees submitted on the Training page, read through the acting store, which lets only a trainer see
everyone's. What the page shows is proofing.training's: the impacts most often missed per case and per service or
organisation, training delivered (rounds completed, people trained) by organisation per quarter, the rounds as CSV,
and a Word certificate of completion per trainee.
"""

from __future__ import annotations

import streamlit as st

from proofing.access import PermissionDenied
from proofing.training import certificate, delivered, most_missed, rounds_csv
from views.common import knowledge, plain, store

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"

kb = knowledge()
st.title("Trainer: the cohort's results")
acting = store()
if not acting.may("run_training"):
    roles = ", ".join(sorted(acting.user.roles)) or "no role"
    st.info(plain(f"This page is for trainers; you hold {roles}. Your own results are on the Training page."))
    st.stop()
try:
    everyone = acting.training_rounds(everyone=True)
except PermissionDenied as refused:
    st.error(plain(str(refused)))
    st.stop()

cases = {case.id: case.title for case in kb.training}
st.subheader("The course")
course = st.multiselect(
    "Cases in this course",
    list(cases),
    default=list(cases),
    format_func=cases.__getitem__,
    help="The cohort's results below count only rounds of these cases.",
)
rounds = [kept for kept in everyone if kept.case in course]
if not rounds:
    st.info("No trainee has completed a case of this course yet. Rounds appear here once submitted on Training.")
    st.stop()

people = {kept.subject: kept.who for kept in rounds}
st.markdown(
    plain(f"{len(rounds)} rounds completed by {len(people)} {'person' if len(people) == 1 else 'people'}, ")
    + plain(f"average score {round(sum(kept.score for kept in rounds) / len(rounds))} of 100.")
)

st.subheader("Results, newest first")
st.dataframe(
    [
        {
            "When (UTC)": f"{kept.at:%d %B %Y %H:%M}",
            "Trainee": kept.who,
            "Service or organisation": kept.organisation,
            "Case": cases.get(kept.case, kept.case),
            "Score": kept.score,
            "Found": len(kept.found),
            "Missed": len(kept.missed),
            "Over-called": len(kept.over_called),
        }
        for kept in reversed(rounds)
    ],
    hide_index=True,
)
st.download_button(
    "Download the results (CSV)", rounds_csv(kb, rounds), file_name="training-results.csv", mime="text/csv"
)

st.subheader("The impacts most often missed")
views = (
    ("Per case", "case", "Case", lambda within: cases.get(within, within)),
    ("Per group affected", "group", "Group affected", str),
    ("Per service or organisation", "organisation", "Service or organisation", str),
)
for tab, (_label, by, column, named) in zip(st.tabs([view[0] for view in views]), views, strict=True):
    with tab:
        missed = most_missed(kb, rounds, by=by)
        if missed:
            st.dataframe(
                [
                    {column: named(m.within), "Impact missed": m.title, "Missed in": f"{m.missed} of {m.rounds}"}
                    for m in missed
                ],
                hide_index=True,
            )
        else:
            st.markdown("No impact has been missed in these rounds.")

st.subheader("Training delivered")
st.caption("The strategy's measure: rounds completed and people trained, by service or organisation, per quarter.")
st.dataframe(
    [
        {
            "Quarter": d.quarter,
            "Service or organisation": d.organisation,
            "Rounds completed": d.rounds,
            "People trained": d.people,
        }
        for d in delivered(rounds)
    ],
    hide_index=True,
)

st.subheader("Certificates of completion")
chosen = st.selectbox("Trainee", list(people), format_func=people.__getitem__)
theirs = [kept for kept in rounds if kept.subject == chosen]
st.download_button(
    plain(f"Download the certificate for {people[chosen]} (Word)"),
    certificate(kb, theirs),
    file_name="certificate-of-completion.docx",
    mime=DOCX,
)
