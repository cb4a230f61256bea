"""The Results page's analysis, after the decisions: before and after the mitigations counted (which were counted
and why others were not), the matrix of the moves, what would change the level, what else hits the same people,
the findings by group (counts by colour, as the record's chart), the likelihood x severity counts, the findings by
characteristic and community, and the quality gaps.

Every figure comes from the library (proofing.residual, proofing.results); this module draws it.
"""

from __future__ import annotations

from typing import Any

import altair as alt
import streamlit as st

from proofing import vocabulary
from proofing.assessment import Assessment, level_label, likelihood_severity_matrix, rag_of
from proofing.cumulative import Overlap, overlaps_for
from proofing.knowledge import KnowledgeBase
from proofing.plan import AnswerProblem, Plan
from proofing.report import suggestion_sentence
from proofing.residual import Residual, counting_words
from proofing.results import RAG_ORDER, MatrixMark, group_counts, group_counts_words, matrix_marks, why_lines
from proofing.steps import step_of
from proofing.vocabulary import worded
from proofing.whatif import Suggestion, what_would_lower
from views import widgets
from views.common import _, base_knowledge, knowledge, link, marked, n_, plain, store, translation, visible
from views.results_cards import tag

RAG = worded(vocabulary.RAG_TAGS, translation())
BANDS = worded(vocabulary.RAG_WORDS, translation())
LIKELIHOOD = worded(vocabulary.LIKELIHOOD_WORDS, translation())
FILL = {"red": "#C0392B", "amber": "#F0AD28", "green": "#2E7D32", "positive": "#1F3A5F"}


def also_affected(assessment_id: str) -> list[Overlap]:
    """The other live assessments hitting the same groups in the same wards or period (the cumulative index)."""
    return overlaps_for(store(), base_knowledge(), assessment_id)


@st.cache_data(max_entries=64, show_spinner=False)
def _suggestions(plan_json: str) -> list[Suggestion]:
    return what_would_lower(base_knowledge(), Plan.model_validate_json(plan_json))


def move_chart(kb: KnowledgeBase, marks: list[MatrixMark]) -> alt.LayerChart:
    """The likelihood × severity matrix: a filled, numbered dot where each finding is after the mitigations counted;
    a ring where it started, joined to the dot, only for a finding whose score moved."""
    cells = [{"severity": s, "likelihood": k, "band": rag_of(kb, k * s)} for k in range(1, 6) for s in range(1, 6)]
    colours = alt.Scale(domain=["green", "amber", "red"], range=["#DCEFD9", "#FFE9BF", "#F6CACA"])
    span = alt.Scale(domain=[0.5, 5.5])
    axis = alt.Axis(values=[1, 2, 3, 4, 5], format="d", labelFontSize=16, titleFontSize=18)
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
            x=alt.X("x1:Q", scale=span, title=_("Severity"), axis=axis),
            x2="x2:Q",
            y=alt.Y("y1:Q", scale=span, title=_("Likelihood"), axis=axis),
            y2="y2:Q",
            color=alt.Color("band:N", scale=colours, legend=None),
        )
    )
    every = alt.Data(values=[mark.model_dump() for mark in marks])
    moved = alt.Data(values=[mark.model_dump() for mark in marks if mark.moved])
    lines = (
        alt.Chart(moved)
        .mark_rule(strokeWidth=3, color="#333333")
        .encode(x=alt.X("from_x:Q", scale=span), y=alt.Y("from_y:Q", scale=span), x2="to_x:Q", y2="to_y:Q")
    )
    start = (
        alt.Chart(moved)
        .mark_point(size=420, filled=False, strokeWidth=3, color="#333333")
        .encode(x=alt.X("from_x:Q", scale=span), y=alt.Y("from_y:Q", scale=span), tooltip=["label:N"])
    )
    start_numbers = (
        alt.Chart(moved)
        .mark_text(fontSize=13, fontWeight="bold", color="#333333")
        .encode(x=alt.X("from_x:Q", scale=span), y=alt.Y("from_y:Q", scale=span), text="number:N")
    )
    end = (
        alt.Chart(every)
        .mark_circle(size=520, color="#1F3A5F", opacity=1)
        .encode(x=alt.X("to_x:Q", scale=span), y=alt.Y("to_y:Q", scale=span), tooltip=["label:N"])
    )
    numbers = (
        alt.Chart(every)
        .mark_text(fontSize=15, fontWeight="bold", color="white")
        .encode(x=alt.X("to_x:Q", scale=span), y=alt.Y("to_y:Q", scale=span), text="number:N")
    )
    layers = (
        [bands, lines, start, start_numbers, end, numbers]
        if any(mark.moved for mark in marks)
        else [bands, end, numbers]
    )
    return alt.layer(*layers).properties(height=520)  # an empty layer would be an unlabelled image to a screen reader


def before_and_after(kb: KnowledgeBase, result: Residual) -> None:
    """Each negative finding's score before and after the mitigations counted, both levels, which mitigations were
    counted and why others were not, and the matrix of the moves (a chart and the same as a table)."""
    st.subheader(_("Before and after"))
    if not result.findings:
        st.write(_("No negative impact was found, so there is nothing to mitigate."))
        return
    left, right = st.columns(2)
    left.metric(_("Screening level (before mitigation)"), level_label(kb, result.level))
    right.metric(_("Residual level (after the mitigations in place)"), level_label(kb, result.residual_level))
    for line in counting_words(result, translation(), short=90, most=5):  # what was counted, and why others not
        st.markdown("- " + plain(line))
    table = []
    for number, finding in enumerate(result.findings, start=1):
        table.append(
            {
                _("No."): number,
                _("Finding"): plain(finding.title),  # st.table renders Markdown: a workshop's title is typed
                _("Before"): f"{finding.likelihood} × {finding.severity} = {finding.score} ({RAG[finding.rag]})",
                _("After"): (
                    f"{finding.residual_likelihood} × {finding.residual_severity} = {finding.residual_score} "
                    f"({RAG[finding.residual_rag]})"
                ),
                _("What moved it"): plain("; ".join(a.text for a in finding.applied if a.after < a.before))
                or _("Nothing yet"),
            }
        )
    st.table(table)  # a plain table wraps each title and reason: a board reads it without scrolling sideways
    st.subheader(_("The moves on the likelihood × severity matrix"))
    marks = matrix_marks(result)
    st.altair_chart(move_chart(kb, marks), width="stretch")
    moved = [mark for mark in marks if mark.moved]
    st.caption(
        _(
            "Chart in words: each numbered dot is a finding where it is after the mitigations counted; a ring joined "
            "to it is where it was before, drawn only for a finding that moved. Severity runs left to right, "
            "likelihood bottom to top."
        )
        + " "
        + (n_("{n} finding moved.", "{n} findings moved.", len(moved)) if moved else _("No finding has moved yet."))
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


def what_would_change(kb: KnowledgeBase, plan: Plan, problems: list[AnswerProblem]) -> None:
    """The smallest changes to the plan's own choices that would lower its level."""
    st.subheader(_("What would change the level"))
    if problems:
        st.write(_("The plan is not complete, so what would change its level is not worked out yet."))
        return
    suggestions = _suggestions(plan.model_dump_json())
    if not suggestions:
        st.write(_("Nothing within two of the plan's own choices would lower the level."))
    for suggestion in suggestions:
        st.markdown("- " + plain(suggestion_sentence(kb, suggestion, translation())))


def overlaps(assessment_id: str) -> None:
    """The other live assessments that hit the same groups in the same wards or period."""
    found = also_affected(assessment_id)
    if not found:
        return
    st.subheader(_("Also affected by"))
    st.warning(
        _(
            "A gap: other live assessments hit the same groups in the same wards or period. Consider them "
            "together: one community may be absorbing several changes at once."
        )
    )
    for overlap in found:
        where = ", ".join(overlap.wards) or overlap.period
        if overlap.hidden:  # the plans this person may not open: counted, never named
            counted = n_(
                "{n} other assessment not shared with you",
                "{n} other assessments not shared with you",
                overlap.hidden,
            )
            st.markdown("- " + plain(_("{count}: {group}; {where}", count=counted, group=overlap.group, where=where)))
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


def group_chart(assessment: Assessment) -> None:
    """The findings touching each group, by colour, most red first: the record's chart, drawn on the page."""
    rows = group_counts(assessment)
    st.subheader(_("Impact by group"))
    if not rows:
        st.write(_("No group is affected, so there is nothing to chart."))
        return
    named = {band: BANDS[band] for band in RAG_ORDER} | {"positive": _("Positive")}
    present = [band for band in (*RAG_ORDER, "positive") if any(getattr(row, band) for row in rows)]
    values: list[dict[str, Any]] = [
        {"group": row.name, "place": place, "band": named[band], "order": order, "count": getattr(row, band)}
        for place, row in enumerate(rows)
        for order, band in enumerate(present)
        if getattr(row, band)
    ]
    top = max(row.total for row in rows)
    chart = (
        alt.Chart(alt.Data(values=values))
        .mark_bar(stroke="white", strokeWidth=1)
        .encode(
            y=alt.Y(
                "group:N",
                sort=[row.name for row in rows],
                title=None,
                axis=alt.Axis(labelLimit=260, labelFontSize=14, labelOverlap=False),
            ),
            x=alt.X(
                "count:Q",
                stack="zero",
                title=_("Number of findings"),
                scale=alt.Scale(domain=[0, top]),
                axis=alt.Axis(values=list(range(top + 1)), format="d", labelFontSize=13, titleFontSize=14),
            ),
            color=alt.Color(
                "band:N",
                title=None,
                scale=alt.Scale(domain=[named[b] for b in present], range=[FILL[b] for b in present]),
                legend=alt.Legend(orient="top"),
            ),
            order=alt.Order("order:Q"),
            tooltip=["group:N", "band:N", "count:Q"],
        )
        .properties(height=alt.Step(30))  # a row per group, every name written
    )
    st.altair_chart(chart, width="stretch")
    st.caption(_("Chart in words: {words}", words=plain(group_counts_words(rows, translation()))))
    with st.expander(_("The chart as a table")):
        st.dataframe(
            [
                {_("Group"): row.name}
                | {named[band]: getattr(row, band) for band in present}
                | {_("Findings"): row.total}
                for row in rows
            ],
            hide_index=True,
            width="stretch",
        )


def matrix_counts(assessment: Assessment) -> None:
    """How many negative findings have each likelihood and severity."""
    st.subheader(_("Likelihood × severity"))
    st.caption(_("How many negative findings have each likelihood (rows) and severity (columns)."))
    matrix = [
        {_("Likelihood"): f"{likelihood} ({LIKELIHOOD[likelihood]})"}
        | {_("Severity {n}", n=severity): row[f"Severity {severity}"] for severity in range(1, 6)}
        for likelihood, row in zip(range(5, 0, -1), likelihood_severity_matrix(assessment), strict=True)
    ]
    st.table(matrix)  # a plain table: it wraps to fit any width


def by_group(assessment: Assessment) -> None:
    """Each characteristic and community with the findings that touch it and why."""
    st.subheader(_("By characteristic and community"))
    for group, kind in ((_("Characteristics"), "characteristic"), (_("Communities"), "community")):
        profile = [e for e in assessment.profile if e.kind == kind]
        if profile:
            st.markdown(f"**{group}**")
        for entry in profile:
            touching = [f for f in assessment.findings if entry.id in f.characteristics + f.communities]
            counts = _("{negative} negative, {positive} positive", negative=entry.negative, positive=entry.positive)
            with st.expander(f"{marked(entry.name)}: {counts}"):
                for finding in touching:
                    sum_of = f"{finding.likelihood} × {finding.severity} = {finding.score}"
                    st.markdown(f"**{marked(finding.title)}** ({tag(finding)}, {sum_of})")
                    st.write(marked(finding.rationale))
                    for line in why_lines(finding):
                        st.text(_("Because: {answer}", answer=visible(line)))


def gaps(assessment: Assessment) -> None:
    """The quality gaps of the assessment itself."""
    if assessment.gaps:
        st.subheader(_("Gaps in this assessment"))
        kb = knowledge()
        for gap in assessment.gaps:
            st.write(f"- {marked(gap.message)}")
            question = kb.questionnaire.question(gap.question) if gap.question else None  # an unanswered question
            asked = step_of(kb.questionnaire, question.id) if question else None
            if question is not None and asked is not None:  # a link back to it
                words = {"question": widgets.label(question.text), "step": widgets.label(asked.title)}
                where = {"assessment": st.session_state.assessment_id, "step": asked.id}
                link("views/assess.py", _("Answer “{question}” (step: {step})", **words), where)
