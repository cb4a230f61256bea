"""The facilitator's page of an EIA workshop: open one on a draft, show the room how to join, watch who is in,
reveal the scores, see where the room disagrees, agree a view per finding and per missed impact, and finalise.

The page is drawn for a projector: the join code, link and QR code are large, and so is everything else (our own
stylesheet, PROJECTOR below). Everything a workshop is lives in the store (proofing.workshop_store), so a refresh,
a second facilitator's browser or a second app process sees the same workshop; the open one is kept in the
address (``?workshop=``). Until the reveal the page shows who has joined and how far each is, never a score.
"""

from __future__ import annotations

import html
from collections.abc import Callable

import altair as alt
import streamlit as st
from streamlit.errors import StreamlitPageNotFoundError

from proofing import vocabulary
from proofing.access import PermissionDenied
from proofing.service import workshops_for
from proofing.store import LOCAL_SUBJECT
from proofing.vocabulary import worded
from proofing.workshop import MISSED_PREFIX, Consensus, StoredConsensus, StoredMissed, Workshop
from proofing.workshop_store import (
    FacilitatorView,
    FindingSpread,
    StaleAgreementError,
    WorkshopError,
)
from views.common import (
    _,
    base_knowledge,
    guarded,
    knowledge,
    marked,
    n_,
    plain,
    said,
    say,
    store,
    translation,
    visible,
)
from views.library_words import sentence_of
from views.workshop_panels import findings_list, join_panel, views_to_hear

REFRESH_SECONDS = 2.5  # how often the live panel re-reads the room from the store
SCORES = [1, 2, 3, 4, 5]

# Our own stylesheet, never user text: this page only (it is drawn only while this page runs), for a projector.
PROJECTOR = """<style>
[data-testid="stMain"] p, [data-testid="stMain"] li, [data-testid="stMain"] label,
[data-testid="stMain"] [data-testid="stMarkdownContainer"], [data-testid="stMain"] button,
[data-testid="stMain"] input, [data-testid="stMain"] textarea, [data-testid="stMain"] td,
[data-testid="stMain"] th { font-size: 1.3rem !important; }
[data-testid="stMain"] p, [data-testid="stMain"] li, [data-testid="stMain"] td { color: #111111; }
[data-testid="stMain"] button p { color: inherit !important; }
[data-testid="stMain"] h1 { font-size: 3rem !important; color: #000000; }
[data-testid="stMain"] h2 { font-size: 2.3rem !important; color: #000000; }
[data-testid="stMain"] h3 { font-size: 1.8rem !important; color: #000000; }
.ws-code { font-family: "DejaVu Sans Mono", Consolas, monospace; font-size: clamp(3rem, 6.5vw, 6.5rem);
  font-weight: 700; letter-spacing: 0.12em; color: #000000; background: #ffffff; border: 4px solid #000000;
  padding: 0.1em 0.4em; display: inline-block; line-height: 1.2; white-space: nowrap; }
.ws-title { font-size: 1.6rem; font-weight: 700; color: #000000; margin: 0; }
.ws-link { font-family: "DejaVu Sans Mono", Consolas, monospace; font-size: 1.8rem; color: #000000;
  word-break: break-all; }
</style>"""


def page_link(page: str, label: str, query: dict[str, str]) -> None:
    """A link to another page with an address that opens one assessment (a plain address when run alone)."""
    try:
        st.page_link(page, label=label, query_params=query)
    except StreamlitPageNotFoundError:
        name = page.removeprefix("views/").removesuffix(".py")
        address = "&".join(f"{key}={value}" for key, value in query.items())
        st.markdown(f"[{plain(label)}](/{name}?{address})")


def agreed_words(agreement: Consensus | StoredConsensus, missed: bool = False) -> str:
    """An agreement in a sentence."""
    keep, note = agreement.keep, agreement.note
    if missed:
        kept = _("accepted as a finding") if keep else _("not added")
    else:
        kept = _("kept") if keep else _("dropped")
    noted = _("; the room's reason: {note}", note=note) if note else ""
    likelihood, severity = agreement.likelihood, agreement.severity
    return _(
        "likelihood {likelihood}, severity {severity} (score {score}), {kept}{noted}",
        likelihood=likelihood,
        severity=severity,
        score=likelihood * severity,
        kept=kept,
        noted=noted,
    )


def title_of(rule: str, title: str) -> str:
    """A finding's title in the session's language (the workshop keeps the rule base's English)."""
    return RULE_TITLES.get(rule, title)


def groups_of(names: list[str]) -> str:
    """Groups the workshop names (in the rule base's English), in the session's language."""
    return ", ".join(ENGLISH_GROUPS.get(name, name) for name in names)


def opened_words(workshop: Workshop) -> str:
    """When and by whom a workshop was opened, and where it is."""
    return (
        _("Opened {when} by {who}.", when=translation().date(workshop.opened_at), who=workshop.facilitator)
        + " "
        + STAGE_NAMES.get(workshop.stage, workshop.stage_words)
    )


kb = knowledge()  # what the page shows
english = base_knowledge()  # what the workshop keeps and the record embeds: the rule base as written
acting = store()
KEEP_WORDS = {True: _("Keep it as a finding"), False: _("Drop it: the room agrees it is not a likely impact")}
ACCEPT_WORDS = {True: _("Accept it as a finding"), False: _("Do not add it")}
VERDICT_SHORT = worded(vocabulary.VERDICT_SHORT_WORDS, translation())
# proofing.vocabulary's verdicts and stages in the session's language.
VERDICT_NAMES = worded(vocabulary.VERDICT_WORDS, translation())
STAGE_NAMES = worded(vocabulary.STAGE_WORDS, translation())
ROLE_NAMES = worded(vocabulary.ROLE_WORDS, translation())
RULES_ROW = _("The rules")
SCORE_TITLE = _("Score (likelihood × severity)")
RULE_TITLES = {rule.id: rule.title for rule in kb.rules}
SHOWN_GROUPS = {c.id: c.name for c in [*kb.characteristics, *kb.communities]}
ENGLISH_GROUPS = {c.name: SHOWN_GROUPS.get(c.id, c.name) for c in [*english.characteristics, *english.communities]}
st.html(PROJECTOR)
st.title(_("EIA workshop"))
if not acting.may("run_workshop"):
    roles = ", ".join(ROLE_NAMES.get(role, role) for role in sorted(acting.user.roles)) or _("no role")
    st.info(
        plain(
            _(
                "Only a facilitator can open and run a workshop; you hold {roles}. To take part in one, use the "
                "join link or code the facilitator shows, on the Join a workshop page.",
                roles=roles,
            )
        )
    )
    st.stop()
workshops = workshops_for(acting)
state = st.session_state


@guarded
def open_workshop() -> None:
    """Open a workshop on the draft chosen, and keep it in the address."""
    try:
        opened = workshops.open(english, state.ws_draft)
    except (WorkshopError, PermissionDenied) as refused:
        say("open", "error", sentence_of(refused))
        return
    st.query_params["workshop"] = opened.id


@guarded
def pick_up() -> None:
    """Go back to the workshop chosen in the list."""
    st.query_params["workshop"] = state.ws_pick


def leave() -> None:
    """Go back to the list of workshops."""
    st.query_params.pop("workshop", None)
    state.pop("ws_revealing", None)


def choose() -> None:
    """Open a new workshop on a draft, or pick up one already open."""
    drafts = [summary for summary in acting.list() if summary.status != "final"]
    st.header(_("Open a workshop on a draft"))
    if drafts:
        titles = {summary.assessment_id: visible(f"{summary.title} ({summary.service})") for summary in drafts}
        st.selectbox(_("Draft assessment"), list(titles), format_func=titles.__getitem__, key="ws_draft")
        st.button(_("Open a workshop"), type="primary", on_click=open_workshop)
        said("open")
    else:
        st.info(_("There is no draft you can read. Start an assessment first, then open a workshop on it."))
    held = workshops.workshops()
    if held:
        st.header(_("Pick up a workshop"))
        names = {
            workshop.id: visible(
                _(
                    "{title}, opened {when} by {who}: {stage}",
                    title=workshop.title,
                    when=translation().date(workshop.opened_at),
                    who=workshop.facilitator,
                    stage=STAGE_NAMES.get(workshop.stage, workshop.stage_words),
                )
            )
            for workshop in held
        }
        st.selectbox(_("Workshops, newest first"), list(names), format_func=names.__getitem__, key="ws_pick")
        st.button(_("Pick up this workshop"), on_click=pick_up)


def participants_table(view: FacilitatorView) -> None:
    """Who is in and how far each is: never a score."""
    total = len(view.workshop.findings)
    st.markdown(
        plain(
            n_("{n} joined", "{n} joined", len(view.participants))
            + ", "
            + n_("{n} finished", "{n} finished", view.finished)
        )
    )
    if view.participants:
        # A plain table, not a data grid: its text grows with the page's projector type and a screen reader reads it.
        # st.table renders Markdown, so user text goes in made inert for Markdown (plain), as everywhere else.
        st.table(
            [
                {
                    _("Name"): plain(person.name),
                    _("Service or organisation"): plain(person.organisation),
                    _("Findings scored"): _("{scored} of {total}", scored=person.scored, total=total),
                    _("Finished"): _("Finished") if person.finished_at else _("Not yet"),
                }
                for person in view.participants
            ],
        )
    else:
        st.markdown(_("Nobody has joined yet."))


def live(workshop_id: str, stage: str) -> None:
    """The live panel: re-read from the store every few seconds; the whole page redraws if the stage moved."""

    @st.fragment(run_every=REFRESH_SECONDS)
    def panel() -> None:
        view = workshops.facilitator_view(english, workshop_id)
        if view.workshop.stage != stage:
            st.rerun(scope="app")
        participants_table(view)

    panel()


@guarded
def reveal(workshop: Workshop) -> None:
    """Reveal everyone's scores to the room; scoring closes."""
    state.pop("ws_revealing", None)
    try:
        workshops.reveal(workshop.id, expected_revision=workshop.revision)
    except WorkshopError as refused:
        say("reveal", "error", sentence_of(refused))


def reveal_button(workshop: Workshop) -> None:
    """Reveal the scores, once the facilitator confirms that scoring then closes."""
    if not state.get("ws_revealing"):
        st.button(_("Reveal the scores"), type="primary", on_click=lambda: state.update(ws_revealing=True))
    else:
        st.warning(
            _(
                "Revealing shows everyone's scores to the room and closes scoring: nobody can change a score or add "
                "a missed impact afterwards. Reveal now?"
            )
        )
        yes, no = st.columns(2)
        yes.button(_("Yes, reveal the scores and close scoring"), type="primary", on_click=reveal, args=(workshop,))
        no.button(_("Not yet"), on_click=lambda: state.update(ws_revealing=False))
    said("reveal")


def tips(*fields: str) -> list[alt.Tooltip]:
    """A chart's tooltip, each field named in the session's language."""
    named = {"View": (_("View"), "N"), "Score": (_("Score"), "Q"), "People": (_("People"), "Q")}
    named["Finding"] = (_("Finding"), "N")
    return [alt.Tooltip(f"{field}:{named[field][1]}", title=named[field][0]) for field in fields]


def chart(spread: FindingSpread) -> alt.LayerChart:
    """Everyone's scores as dots on the 1-25 scale, one row per view, the rules' score as a black diamond."""
    counted: dict[tuple[int, str], int] = {}
    for score in spread.scores:
        where = (score.score, VERDICT_SHORT[score.verdict])
        counted[where] = counted.get(where, 0) + 1
    rows = [{"Score": at, "View": view, "People": people} for (at, view), people in counted.items()]
    views = list(VERDICT_SHORT.values())
    rows_order = [RULES_ROW, *views]
    x = alt.X("Score:Q", scale=alt.Scale(domain=[1, 25], nice=False), title=SCORE_TITLE)
    y = alt.Y("View:N", sort=rows_order, scale=alt.Scale(domain=rows_order), title=None)
    dots = (
        alt.Chart(alt.Data(values=rows))
        .mark_circle(opacity=0.85, stroke="#000000", strokeWidth=1)
        .encode(
            x=x,
            y=y,
            size=alt.Size("People:Q", scale=alt.Scale(range=[500, 2500]), legend=None),
            color=alt.Color(
                "View:N",
                scale=alt.Scale(domain=views, range=["#1b7837", "#b2182b", "#5e5e5e"]),
                legend=None,
            ),
            tooltip=tips("View", "Score", "People"),
        )
    )
    counts = (
        alt.Chart(alt.Data(values=rows))
        .mark_text(fontSize=20, fontWeight="bold", color="#ffffff")
        .encode(x=x, y=y, text="People:Q")
    )
    rules = (
        alt.Chart(alt.Data(values=[{"Score": spread.finding.score, "View": RULES_ROW}]))
        .mark_point(shape="diamond", size=900, filled=True, color="#000000")
        .encode(x=x, y=y, tooltip=tips("Score"))
    )
    title = _("Scores of: {title}", title=f"{spread.number}. {title_of(spread.finding.rule, spread.finding.title)}")
    return (
        alt.layer(dots, counts, rules)
        .properties(height=320, title=alt.TitleParams(title, fontSize=26))
        .configure_axis(labelFontSize=20, titleFontSize=22, labelColor="#000000", titleColor="#000000")
    )


def short(title: str, limit: int = 40) -> str:
    """A finding's title cut to fit a chart's row label, with an ellipsis when cut."""
    return title if len(title) <= limit else title[: limit - 1].rstrip() + "…"


def overview(spreads: list[FindingSpread]) -> alt.LayerChart:
    """Every finding in one chart, most disagreement first: a row each, everyone's score as a dot (coloured by
    their view), the rules' score as a black diamond; what a room reads from the back before the detail."""
    labels = [f"{spread.number}. {short(title_of(spread.finding.rule, spread.finding.title))}" for spread in spreads]
    counted: dict[tuple[str, int, str], int] = {}
    for label, spread in zip(labels, spreads, strict=True):
        for score in spread.scores:
            where = (label, score.score, VERDICT_SHORT[score.verdict])
            counted[where] = counted.get(where, 0) + 1
    dots = [{"Finding": f, "Score": at, "View": view, "People": n} for (f, at, view), n in counted.items()]
    rules = [{"Finding": label, "Score": s.finding.score} for label, s in zip(labels, spreads, strict=True)]
    x = alt.X("Score:Q", scale=alt.Scale(domain=[1, 25], nice=False), title=SCORE_TITLE)
    y = alt.Y("Finding:N", sort=labels, title=None, axis=alt.Axis(labelLimit=560))
    people = (
        alt.Chart(alt.Data(values=dots))
        .mark_circle(opacity=0.8, stroke="#000000", strokeWidth=1)
        .encode(
            x=x,
            y=y,
            size=alt.Size("People:Q", scale=alt.Scale(range=[300, 1600]), legend=None),
            color=alt.Color(
                "View:N",
                scale=alt.Scale(domain=list(VERDICT_SHORT.values()), range=["#1b7837", "#b2182b", "#5e5e5e"]),
                legend=alt.Legend(title=None, orient="top", labelFontSize=20, symbolSize=400),
            ),
            tooltip=tips("Finding", "View", "Score", "People"),
        )
    )
    diamonds = (
        alt.Chart(alt.Data(values=rules))
        .mark_point(shape="diamond", size=700, filled=True, color="#000000")
        .encode(x=x, y=y, tooltip=tips("Finding", "Score"))
    )
    return (
        alt.layer(people, diamonds)
        .properties(height=max(160, 64 * len(spreads)))
        .configure_axis(labelFontSize=20, titleFontSize=22, labelColor="#000000", titleColor="#000000")
    )


def spread_words(spread: FindingSpread) -> str:
    """The room's view of one finding in a sentence: the counts, the range and the middle, beside the rules'."""
    finding = spread.finding
    verdicts = spread.verdicts
    rules = _(
        "The rules scored it {score} (likelihood {likelihood}, severity {severity}).",
        score=finding.score,
        likelihood=finding.likelihood,
        severity=finding.severity,
    )
    if not spread.scores:
        return _("Nobody scored this finding.") + " " + rules
    counts = _(
        "{agree} agree, {disagree} disagree, {unsure} unsure.",
        agree=verdicts["agree"],
        disagree=verdicts["disagree"],
        unsure=verdicts["unsure"],
    )
    runs = _(
        "The room's scores run from {low} to {high}, middle {middle}.",
        low=spread.low,
        high=spread.high,
        middle=f"{spread.middle:g}",
    )
    return f"{counts} {runs} {rules}"


def table(spread: FindingSpread) -> None:
    """The chart as a plain table, for a screen reader: the rules first, then everyone's score."""
    finding = spread.finding
    rows = [
        {
            _("Who"): RULES_ROW,
            _("Service or organisation"): "",
            _("View"): "",
            _("Likelihood"): str(finding.likelihood),
            _("Severity"): str(finding.severity),
            _("Score"): str(finding.score),
            _("Comment"): "",
        }
    ]
    rows += [
        {
            _("Who"): plain(score.name),
            _("Service or organisation"): plain(score.organisation),
            _("View"): VERDICT_NAMES[score.verdict],
            _("Likelihood"): str(score.likelihood),
            _("Severity"): str(score.severity),
            _("Score"): str(score.score),
            _("Comment"): plain(score.comment),
        }
        for score in spread.scores
    ]
    st.table(rows)


@guarded
def save_agreement(workshop_id: str, key: str, title: str, missed: bool) -> None:
    """Save the agreement in the form of `key`, based on the revision the form was drawn with."""
    widget = f"ws_{key}"
    keep = bool(state[f"{widget}_keep"])
    agreement = Consensus(
        likelihood=int(state[f"{widget}_likelihood"]),
        severity=int(state[f"{widget}_severity"]),
        keep=keep,
        note=str(state.get(f"{widget}_note", "")).strip(),
    )
    revisions = state.setdefault("ws_revisions", {})
    try:
        stored = workshops.agree(workshop_id, key, agreement, expected_revision=revisions.get(key, 0))
    except StaleAgreementError as stale:
        now = workshops.facilitator_view(english, workshop_id).consensus.get(key)
        theirs = (
            " "
            + _(
                "{who} agreed: {agreed}. Your view is still in the form: save again to replace theirs with it.",
                who=now.by,
                agreed=agreed_words(now, missed),
            )
            if now is not None
            else ""
        )
        if now is not None:
            revisions[key] = now.revision
        say(key, "warning", sentence_of(stale) + theirs)
        return
    except WorkshopError as refused:
        say(key, "error", sentence_of(refused))
        return
    revisions[key] = stored.revision
    say(
        key,
        "success",
        _("Agreed for '{title}': {agreed}.", title=title, agreed=agreed_words(stored, missed)),
    )


def agreement_form(
    workshop_id: str, key: str, title: str, default: tuple[int, int], view: FacilitatorView, missed: bool = False
) -> None:
    """The form of the room's agreement about one finding or missed impact, drawn with the revision it is based on."""
    current = view.consensus.get(key)
    revisions = state.setdefault("ws_revisions", {})
    revisions.setdefault(key, current.revision if current is not None else 0)
    likelihood, severity = (current.likelihood, current.severity) if current is not None else default
    keep = current.keep if current is not None else True
    widget = f"ws_{key}"
    words: Callable[[bool], str] = (ACCEPT_WORDS if missed else KEEP_WORDS).__getitem__
    if current is not None:
        st.markdown(plain(_("Agreed by {who}: {agreed}.", who=current.by, agreed=agreed_words(current, missed))))
    with st.form(f"form_{widget}"):
        st.radio(_("Agreed likelihood"), SCORES, index=likelihood - 1, horizontal=True, key=f"{widget}_likelihood")
        st.radio(_("Agreed severity"), SCORES, index=severity - 1, horizontal=True, key=f"{widget}_severity")
        st.radio(
            _("Accept it or not") if missed else _("Keep or drop"),
            [True, False],
            index=0 if keep else 1,
            format_func=words,
            key=f"{widget}_keep",
        )
        st.text_area(
            _("The room's reason (it goes in the record)"), value=current.note if current else "", key=f"{widget}_note"
        )
        st.form_submit_button(_("Save the agreement"), on_click=save_agreement, args=(workshop_id, key, title, missed))
    said(key)


def findings_section(view: FacilitatorView) -> None:
    """Each finding, most disagreement first but under its number from opening: the chart, its table, the counts,
    the views to hear (every comment, the outliers first), the agreement."""
    workshop = view.workshop
    agreed = sum(finding.rule in view.consensus for finding in workshop.findings)
    st.header(_("The room's scores, most disagreement first"))
    st.markdown(
        plain(
            n_(
                "{agreed} of {n} finding agreed.",
                "{agreed} of {n} findings agreed.",
                len(workshop.findings),
                agreed=agreed,
            )
        )
    )
    st.caption(_("Each finding keeps the number it had while the room scored, on every screen and in the record."))
    if any(spread.scores for spread in view.spreads):
        st.markdown(_("Each dot is someone's score, coloured by their view; the black diamond is the rules' score."))
        st.altair_chart(overview(view.spreads), use_container_width=True)
    for spread in view.spreads:
        finding = spread.finding
        st.subheader(f"{spread.number}. {marked(title_of(finding.rule, finding.title))}")
        if finding.groups:
            st.markdown(plain(_("Groups it names: {groups}.", groups=groups_of(finding.groups))))
        st.markdown(plain(spread_words(spread)))
        if spread.scores:
            st.altair_chart(chart(spread), use_container_width=True)
            with st.expander(_("The scores as a table")):
                table(spread)
        views_to_hear(spread, VERDICT_NAMES)
        agreement_form(
            workshop.id,
            finding.rule,
            title_of(finding.rule, finding.title),
            (finding.likelihood, finding.severity),
            view,
        )


def missed_section(view: FacilitatorView) -> None:
    """The impacts participants think the rules missed, grouped by the groups they name; accept each or not."""
    st.header(_("Impacts the rules missed"))
    if not view.missed_groups:
        st.markdown(_("Nobody added an impact the rules missed."))
        return
    for group in view.missed_groups:
        st.subheader(plain(_("Affecting {groups}", groups=groups_of(list(group.names)))))
        for impact in group.impacts:
            missed_impact(view, impact)


def missed_impact(view: FacilitatorView, impact: StoredMissed) -> None:
    """One missed impact: who raised it and why, and the room's agreement about it."""
    st.markdown(f"**{plain(impact.title)}**")
    st.markdown(
        plain(
            _(
                "Raised by {who} ({organisation}), who scored it {score} (likelihood {likelihood}, "
                "severity {severity}): {reason}",
                who=impact.name,
                organisation=impact.organisation,
                score=impact.likelihood * impact.severity,
                likelihood=impact.likelihood,
                severity=impact.severity,
                reason=impact.reason,
            )
        )
    )
    agreement_form(
        view.workshop.id, f"{MISSED_PREFIX}{impact.id}", impact.title, (impact.likelihood, impact.severity), view, True
    )


@guarded
def finalise(workshop_id: str) -> None:
    """Finalise the workshop: its agreement becomes a new version of the assessment."""
    try:
        workshops.finalise(english, workshop_id)
    except (WorkshopError, PermissionDenied) as refused:
        say("finalise", "error", sentence_of(refused))


def finalised(workshop: Workshop) -> None:
    """What a finalised workshop made, with where to compare and export it."""
    st.success(
        plain(
            _(
                "Finalised: the agreed view is version {version} of {title}.",
                version=workshop.finalised_version,
                title=workshop.title,
            )
        )
    )
    query = {"assessment": workshop.assessment_id}
    page_link("views/register.py", _("Compare the versions on the Register page"), {})
    page_link("views/export.py", _("Export the agreed assessment"), query)


wanted = st.query_params.get("workshop")
if not wanted:
    choose()
    st.stop()
try:
    workshop = workshops.workshop(wanted)
except WorkshopError:
    st.error(_("There is no workshop at this address. Open one on a draft, or pick up one already open."))
    st.button(_("Back to the list of workshops"), on_click=leave)
    st.stop()

# On a projector the room needs the code first: the plan's title in one line, then the code, link and QR code.
st.html(f'<p class="ws-title">{html.escape(workshop.title)}</p>')
local_mode = acting.user.subject == LOCAL_SUBJECT
if workshop.stage == "scoring":
    join_panel(workshop, local_mode)
st.markdown(plain(opened_words(workshop) + "."))

if workshop.stage == "finalised":
    finalised(workshop)
    st.button(_("Back to the list of workshops"), on_click=leave)
    st.stop()

if workshop.stage != "scoring":
    with st.expander(_("How to join")):
        join_panel(workshop, local_mode)
st.header(_("Who is in"))
if not workshops.votes_independent:
    st.warning(
        _(
            "Local mode: every browser here is the same local user, so the app cannot tell people apart. One person "
            "can join from several browsers and score several times: the votes are not independent. Count the "
            "people in the room against the list below, or run the workshop with sign-in."
        )
    )
live(workshop.id, workshop.stage)

if workshop.stage == "scoring":
    findings_list(workshop, title_of)
    st.markdown(_("Scores stay hidden from everyone, you too, until you reveal them."))
    reveal_button(workshop)
    st.button(_("Back to the list of workshops"), on_click=leave)
    st.stop()

with st.spinner(_("Reading the room's scores")):
    room = workshops.facilitator_view(english, workshop.id)
findings_section(room)
missed_section(room)
st.header(_("Finalise"))
left = len(room.workshop.findings) - sum(f.rule in room.consensus for f in room.workshop.findings)
st.markdown(
    plain(
        _("Finalising makes the agreed view a new version of the assessment; the workshop can then no longer change.")
        + (
            " " + n_("{n} finding still has no agreement.", "{n} findings still have no agreement.", left)
            if left
            else ""
        )
    )
)
st.button(_("Finalise the workshop"), type="primary", on_click=finalise, args=(workshop.id,))
said("finalise")
st.button(_("Back to the list of workshops"), on_click=leave)
