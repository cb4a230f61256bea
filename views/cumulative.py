"""Cumulative impact: what else is hitting the same people, in the same ward or period.

For each group (a protected characteristic or a community) the live assessments (draft or final, dated within
the period chosen) with negative findings on it, as two heat maps a board reads at a glance: groups by quarter,
and groups by named ward. Choosing a cell (clicking it, or with the two lists below for a keyboard) lists the
assessments it counts, each with a link to open it.

Who sees what: everyone who may see the register sees every count (the cumulative picture is the point: a
manager must know five other plans hit the same people), but the list names and links only the assessments the
person may open (an approver, auditor or facilitator: all; a service manager: their own and those shared with
them); the others are counted as "not shared with you". Showing this page never writes.
"""

from __future__ import annotations

from datetime import date
from typing import Any
from urllib.parse import urlencode

import altair as alt
import streamlit as st
from streamlit.errors import StreamlitPageNotFoundError

from proofing import vocabulary
from proofing.assessment import level_label
from proofing.cumulative import HeatMap, cell, default_period, heat_map
from proofing.store import STATUS_WORDS
from proofing.vocabulary import worded
from views.common import _, day, knowledge, n_, plain, store, translation

kb = knowledge()
saved = store()
STATUS_NAMES = worded(vocabulary.STATUS_WORDS, translation())
DARKEST = "#08306b"  # the darkest blue: white text on it, dark text on the light cells
TEXT_DARK = "#1a1a1a"
ASSESS_PAGE = "views/assess.py"


def status_name(status: str) -> str:
    """A status in the session's language."""
    return STATUS_NAMES.get(status) or STATUS_WORDS.get(status, status)


def chart(found: HeatMap, column_title: str) -> alt.Chart:
    """A heat map: groups down, quarters or wards across, white (none) to dark blue (most), the count in each cell."""
    rows: list[dict[str, Any]] = []
    counts = {(item.group, item.column): item.count for item in found.cells}
    for group in found.groups:
        for column in found.columns:
            rows.append(
                {
                    "group": group,
                    "column": column,
                    "group_name": found.group_names[group],
                    "column_name": found.column_names.get(column, column),
                    "count": counts.get((group, column), 0),
                }
            )
    highest = max((item.count for item in found.cells), default=1)
    picked = alt.selection_point(name="picked", fields=["group", "column"], on="click")
    base = alt.Chart(alt.Data(values=rows)).encode(
        x=alt.X(
            "column_name:N",
            sort=[found.column_names.get(column, column) for column in found.columns],
            title=column_title,
            axis=alt.Axis(orient="top", labelAngle=0 if len(found.columns) <= 8 else -40, labelLimit=220),
        ),
        y=alt.Y(
            "group_name:N",
            sort=[found.group_names[group] for group in found.groups],
            title=None,
            axis=alt.Axis(labelLimit=320),
        ),
    )
    cells = base.mark_rect(stroke="#d0d4da", strokeWidth=1).encode(
        color=alt.Color(
            "count:Q",
            scale=alt.Scale(domain=[0, max(highest, 1)], range=["#ffffff", DARKEST]),
            legend=alt.Legend(title=_("Assessments"), tickMinStep=1, format="d"),
        ),
        tooltip=[
            alt.Tooltip("group_name:N", title=_("Group")),
            alt.Tooltip("column_name:N", title=column_title),
            alt.Tooltip("count:Q", title=_("Assessments")),
        ],
        opacity=alt.condition(picked, alt.value(1.0), alt.value(0.55)),
    )
    numbers = (
        base.transform_filter(alt.datum.count > 0)
        .mark_text(fontSize=16, fontWeight="bold")
        .encode(
            text=alt.Text("count:Q"),
            color=alt.condition(alt.datum.count > highest / 2, alt.value("#ffffff"), alt.value(TEXT_DARK)),
        )
    )
    return (
        (cells.add_params(picked) + numbers)
        .properties(height=max(120, 34 * len(found.groups)))
        .configure_axis(labelFontSize=15, titleFontSize=15, labelColor=TEXT_DARK, titleColor=TEXT_DARK)
        .configure_legend(labelFontSize=14, titleFontSize=14)
        .configure_view(strokeWidth=0)
    )


def opening(title: str, assessment_id: str) -> None:
    """A link that opens one assessment on the assessment page (a plain address when the page runs alone)."""
    try:
        # A link's label is Markdown (an image in it is fetched): the title goes through safe_text's Markdown face.
        st.page_link(ASSESS_PAGE, label=plain(title), query_params={"assessment": assessment_id})
    except StreamlitPageNotFoundError:
        address = urlencode({"assessment": assessment_id})
        st.markdown("[" + plain(title) + "](/?" + address + ")")


def clicked(event: Any) -> tuple[str, str] | None:
    """The (group, column) a person clicked on a heat map, if any."""
    try:
        chosen = event.selection["picked"]
    except (AttributeError, KeyError, TypeError):
        return None
    if chosen and isinstance(chosen, list) and "group" in chosen[0] and "column" in chosen[0]:
        return str(chosen[0]["group"]), str(chosen[0]["column"])
    return None


st.title(_("Cumulative impact"))
st.markdown(
    _(
        "What else is hitting the same people? Each cell counts the live assessments (draft or final) whose latest "
        "version finds a negative impact on that group, in that quarter or ward. The darker the cell, the more plans "
        "fall on the same people."
    )
)

first, last = default_period()
period = st.date_input(_("Period (plans dated from, to)"), value=(first, last), format="DD/MM/YYYY")
since, until = (period[0], period[-1]) if isinstance(period, tuple) and period else (first, last)
if not isinstance(since, date) or not isinstance(until, date):
    since, until = first, last
st.caption(_("From {since} to {until}.", since=day(since), until=day(until)))

by_quarter = heat_map(saved, kb, by="quarter", since=since, until=until)
by_ward = heat_map(saved, kb, by="ward", since=since, until=until)
if not by_quarter.cells:
    st.info(_("No live assessment in this period finds a negative impact on any group."))
    st.stop()
st.markdown(
    n_(
        "**{n}** live assessment in this period finds a negative impact on at least one group.",
        "**{n}** live assessments in this period find a negative impact on at least one group.",
        by_quarter.assessments,
        n=by_quarter.assessments,
    )
)

state = st.session_state
views = {"quarter": (by_quarter, _("Quarter")), "ward": (by_ward, _("Ward"))}
tabs = st.tabs([_("Groups by quarter"), _("Groups by ward")])
for tab, (by, (found, title)) in zip(tabs, views.items(), strict=True):
    with tab:
        if not found.cells:
            st.info(_("No assessment in this period names a ward."))
            continue
        if by == "ward":
            st.caption(_("Plans that name no particular ward (county-wide) are counted in the quarter map only."))
        event = st.altair_chart(chart(found, title), width="stretch", theme=None, on_select="rerun", key=f"map_{by}")
        if (chosen := clicked(event)) is not None and state.get(f"clicked_{by}") != chosen:
            state[f"clicked_{by}"] = chosen
            state.cell_by, state.cell_group, state.cell_column = by, chosen[0], chosen[1]

st.subheader(_("The assessments in a cell"))
st.caption(_("Click a cell above, or choose one here."))
picks = st.columns(3)
by = picks[0].selectbox(
    _("Map"), list(views), key="cell_by", format_func=lambda key: _("Quarter") if key == "quarter" else _("Ward")
)
found = views[by][0]
fullest = max(found.cells, key=lambda item: (item.count, item.group), default=None)
if state.get("cell_group") not in found.groups:  # first the fullest cell: where the most plans fall together
    state.cell_group = fullest.group if fullest else None
    state.cell_column = fullest.column if fullest else None
group = picks[1].selectbox(_("Group"), found.groups, key="cell_group", format_func=found.group_names.__getitem__)
columns = [column for column in found.columns if found.count(group, column)] if group else []
if state.get("cell_column") not in columns:
    state.cell_column = columns[0] if columns else None
column = picks[2].selectbox(
    views[by][1], columns, key="cell_column", format_func=lambda key: found.column_names.get(key, key)
)

if group and column:
    lines = cell(saved, kb, group, column, by=by, since=since, until=until)
    hidden = sum(not line.may_open for line in lines)
    st.markdown(
        n_(
            "**{n}** assessment finds {group} negatively affected in {where}.",
            "**{n}** assessments find {group} negatively affected in {where}.",
            len(lines),
            n=len(lines),
            group=plain(found.group_names[group]),
            where=plain(found.column_names.get(column, column)),
        )
    )
    for line in lines:
        if not line.may_open:
            continue
        with st.container(border=True):
            words = _(
                "{service} · {status} · {level} · highest score {score}",
                service=line.service,
                status=status_name(line.status),
                level=level_label(kb, line.level),
                score=line.highest_score,
            )
            opening(line.title, line.assessment_id)
            st.caption(plain(words))
    if hidden:
        st.caption(
            n_(
                "And {n} more assessment not shared with you: counted, but only its owner, the people it is shared "
                "with, approvers and auditors may open it.",
                "And {n} more assessments not shared with you: counted, but only their owners, the people they are "
                "shared with, approvers and auditors may open them.",
                hidden,
                n=hidden,
            )
        )
