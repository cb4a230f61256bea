"""Report cards: the strategy's Results Based Accountability for a quarter or a year (how much did we do, how well,
is anyone better off, per strategy action), with the trend over the last four quarters as charts and sortable
tables, and the Word report to take to the Co-ordination Group or the Scrutiny Committee.

Approvers, administrators and auditors see it. The figures and their words are the library's (proofing.report_card,
proofing.report_card_word); this page draws them.
"""

from __future__ import annotations

import altair as alt
import streamlit as st

from proofing.access import PermissionDenied
from proofing.report_card import Share, parse_period, quarter_of, report_card
from proofing.report_card_word import (
    baseline_words,
    card_file_name,
    period_words,
    share_words,
    status_words,
    write_card,
)
from proofing.store.followup import today
from views.common import _, day, knowledge, language, shared_store, store, translation, visible

st.title(_("Report cards"))
st.write(
    _(
        "Results Based Accountability for the One Wrexham Community Cohesion Strategy: how much did we do, how well "
        "did we do it, and is anyone better off."
    )
)
user = store().user
now = today()
this_quarter = quarter_of(now)
quarters = [this_quarter]
while len(quarters) < 12:
    quarters.append(quarters[-1].previous())
kind = st.radio(_("Report card for"), [_("A quarter"), _("A year")], horizontal=True)
if kind == _("A quarter"):
    chosen = st.selectbox(_("Quarter"), quarters, format_func=lambda q: period_words(translation(), q))
else:
    years = list(range(now.year, now.year - 4, -1))
    chosen = parse_period(str(st.selectbox(_("Year"), years)))
try:
    card = report_card(shared_store(), knowledge(), chosen, on=now, by=user)
except PermissionDenied:
    st.info(_("The report cards are for approvers, administrators and auditors; your roles do not include these."))
    st.stop()

t = translation()
much, well = card.how_much, card.how_well
if card.register_size == 0:
    st.info(_("The register holds no assessments yet, so every figure in this report card is zero."))
first, second, third, fourth = st.columns(4)
first.metric(_("Assessments approved"), much.approved)
second.metric(_("Mitigations agreed"), much.mitigations_agreed)
third.metric(_("Reviews on time"), share_words(t, well.reviews_on_time))
fourth.metric(_("Communities engaged"), share_words(t, well.engaged))

st.header(_("How much did we do?"))
st.write(
    _(
        "Assessments started: {started}. Approvals: {approvals}.",
        started=t.number(much.started),
        approvals=t.number(much.approvals),
    )
)
left, right = st.columns(2)
levels = {key: value.split(".")[0] for key, value in knowledge().scoring.level_words.items()}
left.dataframe(
    [{_("Level"): levels.get(c.key, _("Not screened yet")), _("Assessments"): c.count} for c in much.by_level],
    hide_index=True,
)
right.dataframe([{_("Service"): visible(c.key), _("Assessments"): c.count} for c in much.by_service], hide_index=True)
left.dataframe(
    [{_("Strategy action"): f"{c.key}: {c.name}", _("Mitigations"): c.count} for c in much.by_strategy_action],
    hide_index=True,
)
right.dataframe(
    [{_("Outcome"): f"{c.key}: {c.name}", _("Mitigations"): c.count} for c in much.by_outcome], hide_index=True
)

st.header(_("How well did we do it?"))


def trend_chart(rows: list[dict[str, object]], measure: str, description: str) -> alt.Chart:
    """Grouped bars per quarter, one colour per figure; described in words for a screen reader (the table below
    gives the same figures)."""
    return (
        alt.Chart(alt.Data(values=rows), description=description)
        .mark_bar(aria=False)
        .encode(
            x=alt.X(f"{_('Quarter')}:N", title=None, axis=alt.Axis(labelAngle=0)),
            xOffset=alt.XOffset(f"{_('Figure')}:N"),
            y=alt.Y(f"{measure}:Q", title=measure),
            color=alt.Color(f"{_('Figure')}:N", title=None, legend=alt.Legend(orient="top")),
            tooltip=[f"{_('Quarter')}:N", f"{_('Figure')}:N", f"{measure}:Q"],
        )
        .properties(height=260)
        .configure(aria=False)
    )


def percent(share: Share) -> float | None:
    """A share's percentage for a sortable column (None: nothing to count)."""
    return share.percent


measures = [
    (_("Reviews due in the period held on or before their date"), share_words(t, well.reviews_on_time)),
    (_("Reviews due in the period and overdue"), t.number(well.reviews_overdue)),
    (_("Actions due in the period done by their date"), share_words(t, well.actions_by_date)),
    (_("Actions due in the period still open after their date"), t.number(well.actions_overdue)),
    (_("Approvals with every high-severity gap closed before the decision"), share_words(t, well.gaps_closed)),
    (
        _("Assessments approved whose affected communities were engaged or consulted (outcome 2)"),
        share_words(t, well.engaged),
    ),
]
st.dataframe([{_("Measure"): label, _("This period"): value} for label, value in measures], hide_index=True)

st.header(_("Is anyone better off?"))
if card.better_off.reviews:
    outcomes, baselines = status_words(t), baseline_words(t, knowledge())
    st.dataframe(
        [
            {
                _("Plan"): visible(review.title),
                _("Reviewed on"): day(review.held_on),
                _("Outcome"): outcomes.get(review.outcome, review.outcome),
                _("Group"): result.name if result else _("Overall"),
                _("Baseline at assessment"): " ".join(
                    [baselines.get(review.baseline_by_group or "", _("Not stated")), visible(review.baseline)]
                ).strip(),
                _("Result at review"): visible(result.result if result else review.monitoring),
            }
            for review in card.better_off.reviews
            for result in [None, *review.groups]
        ],
        hide_index=True,
    )
else:
    st.write(_("No review was held in this period, so no monitoring results were recorded."))

st.header(_("The strategy's actions: the plans that drew on them"))
if card.strategy_actions:
    st.dataframe(
        [
            {
                _("Strategy action"): f"{item.action}: {item.name}",
                _("Plans"): item.plans,
                _("Mitigations agreed"): item.agreed,
                _("Actions done"): item.done,
                _("Overdue"): item.overdue,
                _("What was done"): "; ".join(visible(line.evidence) for line in item.lines if line.evidence),
            }
            for item in card.strategy_actions
        ],
        hide_index=True,
    )
else:
    st.write(_("No plan's action drew on a strategy action in this period."))

st.header(_("Trend over the last four quarters"))
trend = {
    _("Quarter"): [f"{q.quarter[:4]} Q{q.quarter[-1]}" for q in card.trend],
    _("Assessments approved"): [q.approved for q in card.trend],
    _("Mitigations agreed"): [q.mitigations_agreed for q in card.trend],
    _("Actions done"): [q.actions_done for q in card.trend],
}
figures = [
    {_("Quarter"): quarter, _("Figure"): name, _("Number"): value}
    for name in (_("Assessments approved"), _("Mitigations agreed"), _("Actions done"))
    for quarter, value in zip(trend[_("Quarter")], trend[name], strict=True)
]
st.altair_chart(
    trend_chart(figures, _("Number"), _("Assessments approved, mitigations agreed and actions done, per quarter")),
    width="stretch",
)
shares = {
    _("Quarter"): trend[_("Quarter")],
    _("Reviews on time"): [percent(q.reviews_on_time) for q in card.trend],
    _("Actions by their date"): [percent(q.actions_by_date) for q in card.trend],
    _("Communities engaged"): [percent(q.engaged) for q in card.trend],
}
rates = [
    {_("Quarter"): quarter, _("Figure"): name, _("Per cent"): value}
    for name in (_("Reviews on time"), _("Actions by their date"), _("Communities engaged"))
    for quarter, value in zip(shares[_("Quarter")], shares[name], strict=True)
    if value is not None
]
if rates:
    st.altair_chart(
        trend_chart(
            rates, _("Per cent"), _("Reviews on time, actions by their date and communities engaged, per cent")
        ),
        width="stretch",
    )
st.dataframe(trend | {key: value for key, value in shares.items() if key != _("Quarter")}, hide_index=True)

st.download_button(
    _("Download the report card (Word)"),
    data=write_card(card, knowledge(), language()),
    file_name=card_file_name(card.period, card.made_on),
    mime="application/vnd.openxmlformats-officedocument.wordprocessingml.document",
)
