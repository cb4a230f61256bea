"""The participant's page of an EIA workshop: join by link or code, score each finding on one's own, add an impact
the rules missed, say one has finished; after the reveal, one's own scores, read-only.

Nobody here sees anyone else's scores (proofing.workshop_store shows a participant only their own). The address
keeps the join code (``?code=``) and, in local mode, this browser's participant key (``?as=``), so a refresh
keeps the person in with everything they scored. A participant need not be able to read the assessment: the
workshop entitles them to see the one version it scores, which is read from the store for that alone.
"""

from __future__ import annotations

import secrets

import streamlit as st

from proofing import vocabulary
from proofing.access import PermissionDenied
from proofing.assessment import Finding
from proofing.join_guard import JoinGuard, TooManyTries
from proofing.service import assessed_version, workshops_for
from proofing.store import LOCAL_SUBJECT
from proofing.vocabulary import worded
from proofing.workshop import VERDICTS, MissedImpact, ParticipantScore, Workshop, WorkshopFinding, code_lifetime
from proofing.workshop_store import LOCAL_PARTICIPANT, ParticipantView, WorkshopError, shown
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
    shared_store,
    store,
    translation,
)
from views.library_words import sentence_of

WATCH_SECONDS = 3  # how often the page looks whether the facilitator has revealed the scores
SCORES = [1, 2, 3, 4, 5]


kb = knowledge()
state = st.session_state
LIKELIHOOD_HELP = _("1: very unlikely, 5: almost certain")
SEVERITY_HELP = _("1: slight, 5: very serious")
# proofing.vocabulary's verdicts and stages in the session's language.
VERDICT_NAMES = worded(vocabulary.VERDICT_WORDS, translation())
STAGE_NAMES = worded(vocabulary.STAGE_WORDS, translation())
RULE_TITLES = {rule.id: rule.title for rule in kb.rules}  # a workshop keeps the English; the page shows its own
st.title(_("Join a workshop"))
try:
    acting = store()
except PermissionDenied as refused:
    st.error(plain(sentence_of(refused)))
    st.stop()
workshops = workshops_for(acting)
local = acting.user.subject == LOCAL_SUBJECT
group_names = {c.id: c.name for c in kb.characteristics} | {c.id: c.name for c in kb.communities}
english = base_knowledge()
ENGLISH_GROUPS = {c.name: group_names.get(c.id, c.name) for c in [*english.characteristics, *english.communities]}


def both(words: list[str]) -> str:
    """Words joined as a sentence joins them: "a", "a and b", "a and b and c"."""
    joined = words[0]
    for word in words[1:]:
        joined = _("{first} and {second}", first=joined, second=word)
    return joined


def title_of(finding: WorkshopFinding) -> str:
    """A finding's title in the session's language (the workshop keeps the rule base's English)."""
    return RULE_TITLES.get(finding.rule, finding.title)


def group_name(name: str) -> str:
    """A group the workshop names (in the rule base's English) in the session's language."""
    return ENGLISH_GROUPS.get(name, name)


def participant() -> str | None:
    """This browser's participant key from the address (local mode), or None (signed in: the subject is used)."""
    key = st.query_params.get("as")
    return key if key and key.startswith(LOCAL_PARTICIPANT) else None


@guarded
def join(workshop_id: str) -> None:
    """Join (or rejoin) the workshop with the name and organisation given; keep the key in the address."""
    try:
        key = workshops.join(workshop_id, state.join_name, state.join_organisation, participant())
    except (WorkshopError, PermissionDenied) as refused:
        say("join", "error", sentence_of(refused))
        return
    if key.startswith(LOCAL_PARTICIPANT):
        st.query_params["as"] = key


@guarded
def save_score(workshop_id: str, finding: WorkshopFinding) -> None:
    """Keep this participant's own score of one finding."""
    widget = f"score_{finding.rule}"
    verdict, likelihood, severity = (state.get(f"{widget}_{part}") for part in ("verdict", "likelihood", "severity"))
    if verdict is None or likelihood is None or severity is None:
        missing = [
            name
            for name, value in ((_("your view"), verdict), (_("a likelihood"), likelihood), (_("a severity"), severity))
            if value is None
        ]
        say(widget, "error", _("Not saved yet: choose {missing} first.", missing=both(missing)))
        return
    score = ParticipantScore(
        finding=finding.rule,
        verdict=verdict,
        likelihood=int(likelihood),
        severity=int(severity),
        comment=str(state.get(f"{widget}_comment", "")).strip(),
    )
    try:
        workshops.submit(workshop_id, score, participant())
    except (WorkshopError, PermissionDenied) as refused:
        say(widget, "error", sentence_of(refused))
        return
    say(
        widget,
        "success",
        _("Your score of '{title}' is saved: {score} of 25.", title=title_of(finding), score=score.score),
    )


@guarded
def add_missed(workshop_id: str) -> None:
    """Keep an impact this participant thinks the rules missed."""
    title, groups, reason = (
        state.get("missed_title", ""),
        state.get("missed_groups", []),
        state.get("missed_reason", ""),
    )
    likelihood, severity = state.get("missed_likelihood"), state.get("missed_severity")
    if not str(title).strip() or not groups or not str(reason).strip() or likelihood is None or severity is None:
        say(
            "missed",
            "error",
            _("Not added yet: give it a title, the groups it affects, why, a likelihood and a severity."),
        )
        return
    try:
        workshops.add_missed(
            workshop_id,
            MissedImpact(
                title=str(title), groups=list(groups), reason=str(reason), likelihood=likelihood, severity=severity
            ),
            participant(),
        )
    except (WorkshopError, PermissionDenied) as refused:
        say("missed", "error", sentence_of(refused))
        return
    except ValueError:
        say("missed", "error", _("Not added: the title and the reason need words (a title at most 500 characters)."))
        return
    for part in ("title", "groups", "reason", "likelihood", "severity"):
        state.pop(f"missed_{part}", None)
    say("missed", "success", _("Added '{title}' to the impacts the rules missed.", title=" ".join(str(title).split())))


@guarded
def remove_missed(workshop_id: str, impact_id: int) -> None:
    """Take back one of this participant's missed impacts."""
    try:
        workshops.remove_missed(workshop_id, impact_id, participant())
    except (WorkshopError, PermissionDenied) as refused:
        say("missed", "error", sentence_of(refused))


@guarded
def finish(workshop_id: str, finished: bool) -> None:
    """Say this participant has finished scoring, or is still at it."""
    try:
        workshops.finish(workshop_id, finished, participant())
    except (WorkshopError, PermissionDenied) as refused:
        say("finish", "error", sentence_of(refused))


@st.cache_resource
def join_guard() -> JoinGuard:
    """The count of wrong join codes, one per server process (proofing.join_guard): five a minute, then a wait."""
    return JoinGuard()


def guessing_keys() -> list[str]:
    """Who is trying codes: this browser session, and the network address it comes from (when known)."""
    session = state.setdefault("join_session", secrets.token_hex(16))
    address = st.context.ip_address
    return [f"session:{session}"] + ([f"address:{address}"] if address else [])


def find_workshop() -> Workshop | None:
    """The workshop the address's (or the typed) join code opens; asks for a code when there is none."""
    typed = st.text_input(_("Join code"), value=st.query_params.get("code", ""), help=_("As the facilitator shows it"))
    if not typed.strip():
        st.info(_("Type the join code the facilitator shows, or follow their link or QR code."))
        return None
    try:
        found = join_guard().find(workshops, typed, guessing_keys(), participant())
    except TooManyTries as waiting:
        st.error(
            n_(
                "Too many wrong join codes from this browser or this address. Wait {n} second, then try again.",
                "Too many wrong join codes from this browser or this address. Wait {n} seconds, then try again.",
                waiting.wait_seconds,
            )
        )
        return None
    except WorkshopError:
        st.error(
            _(
                "No open workshop has this join code. Check it against the one the facilitator shows: a code stops "
                "working when its workshop is finalised or {hours} hours after it opened.",
                hours=f"{code_lifetime().total_seconds() / 3600:g}",
            )
        )
        return None
    if st.query_params.get("code") != found.code:
        st.query_params["code"] = found.code
    return found


def join_form(workshop: Workshop) -> None:
    """Ask the person's name and service or organisation, and let them join."""
    st.markdown(
        plain(
            _(
                "The workshop on {title}, run by {facilitator} (code {code}).",
                title=workshop.title,
                facilitator=workshop.facilitator,
                code=shown(workshop),
            )
        )
    )
    if workshop.stage == "finalised":
        st.info(_("This workshop is finalised: it takes no one new."))
        return
    if not workshop.takes_new_participants:
        st.info(_("The facilitator has revealed the scores of this workshop: it takes no one new."))
        return
    st.text_input(_("Your name"), value="" if local else acting.user.name, key="join_name")
    st.text_input(_("Your service or partner organisation"), key="join_organisation")
    st.button(_("Join"), type="primary", on_click=join, args=(workshop.id,))
    said("join")


def watch(workshop_id: str, stage: str) -> None:
    """Look every few seconds whether the stage moved (the facilitator revealed the scores); redraw if so."""

    @st.fragment(run_every=WATCH_SECONDS)
    def look() -> None:
        if workshops.workshop(workshop_id).stage != stage:
            st.rerun(scope="app")

    look()


def reasons(finding: Finding | None) -> None:
    """Why the rules found it, from the version the workshop scores."""
    if finding is None:
        return
    with st.expander(_("Why the rules found it")):
        if finding.rationale:
            st.markdown(marked(finding.rationale))
        for because in finding.because:
            st.markdown(
                plain(_("Because: {question} {answer}", question=because.question_text, answer=because.answer_text))
            )


def score_form(workshop: Workshop, finding: WorkshopFinding, mine: ParticipantScore | None) -> None:
    """The form of this participant's own score of one finding (their earlier one filled in)."""
    widget = f"score_{finding.rule}"
    with st.form(f"form_{widget}"):
        st.radio(
            _("Your view"),
            list(VERDICTS),
            index=VERDICTS.index(mine.verdict) if mine else None,
            format_func=VERDICT_NAMES.__getitem__,
            horizontal=True,
            key=f"{widget}_verdict",
        )
        st.radio(
            _("Your likelihood"),
            SCORES,
            index=mine.likelihood - 1 if mine else None,
            horizontal=True,
            help=LIKELIHOOD_HELP,
            key=f"{widget}_likelihood",
        )
        st.radio(
            _("Your severity"),
            SCORES,
            index=mine.severity - 1 if mine else None,
            horizontal=True,
            help=SEVERITY_HELP,
            key=f"{widget}_severity",
        )
        st.text_area(_("Your comment (optional)"), value=mine.comment if mine else "", key=f"{widget}_comment")
        st.form_submit_button(_("Save my score"), on_click=save_score, args=(workshop.id, finding))
    said(widget)


def missed_form(workshop: Workshop) -> None:
    """The form to add an impact the rules missed."""
    with st.form("form_missed"):
        st.text_input(_("What is the impact?"), key="missed_title")
        st.multiselect(
            _("Which groups it affects"), list(group_names), format_func=group_names.__getitem__, key="missed_groups"
        )
        st.text_area(_("Why you expect it"), key="missed_reason")
        st.radio(_("Likelihood"), SCORES, index=None, horizontal=True, help=LIKELIHOOD_HELP, key="missed_likelihood")
        st.radio(_("Severity"), SCORES, index=None, horizontal=True, help=SEVERITY_HELP, key="missed_severity")
        st.form_submit_button(_("Add this impact"), on_click=add_missed, args=(workshop.id,))
    said("missed")


def own_missed(view: ParticipantView, scoring: bool) -> None:
    """The impacts this participant added, each with Remove while scoring is open."""
    for impact in view.missed:
        named = ", ".join(group_names.get(group, group) for group in impact.groups)
        st.markdown(
            plain(
                _(
                    "{title}: affects {groups}; likelihood {likelihood}, severity {severity}. {reason}",
                    title=impact.title,
                    groups=named,
                    likelihood=impact.likelihood,
                    severity=impact.severity,
                    reason=impact.reason,
                )
            )
        )
        if scoring:
            st.button(
                plain(_("Remove '{title}'", title=impact.title)),
                key=f"remove_{impact.id}",
                on_click=remove_missed,
                args=(view.workshop.id, impact.id),
            )


def read_only(view: ParticipantView) -> None:
    """This participant's own scores, as they left them, beside the rules' (now revealed), each finding under the
    number it had while the room scored."""
    if not view.scores:
        st.markdown(_("You did not score any finding."))
    numbers = view.workshop.numbers
    rows = []
    for finding in view.workshop.findings:
        mine = view.scores.get(finding.rule)
        rows.append(
            {
                _("Finding"): plain(f"{numbers[finding.rule]}. {title_of(finding)}"),
                _("The rules' score"): _(
                    "{score} (likelihood {likelihood}, severity {severity})",
                    score=finding.score,
                    likelihood=finding.likelihood,
                    severity=finding.severity,
                ),
                _("Your view"): VERDICT_NAMES[mine.verdict] if mine else _("Not scored"),
                _("Your score"): _(
                    "{score} (likelihood {likelihood}, severity {severity})",
                    score=mine.score,
                    likelihood=mine.likelihood,
                    severity=mine.severity,
                )
                if mine
                else "",
                _("Your comment"): plain(mine.comment) if mine else "",
            }
        )
    st.table(rows)  # st.table renders Markdown: every cell of user or rule-base text is made inert (plain)


def plan_and_findings(workshop: Workshop) -> dict[str, Finding]:
    """Show the plan the workshop scores; its findings by rule, with their reasons."""
    saved = shared_store().version(workshop.assessment_id, workshop.version)  # the workshop entitles them to it
    if saved is None:
        return {}
    plan = saved.plan
    st.header(plain(plan.title))
    st.markdown(plain(_("Service: {service}", service=plan.service)))
    if plan.description:
        st.markdown(plain(plan.description))
    assessment, _problems = assessed_version(kb, saved)
    return {finding.rule: finding for finding in [*assessment.findings, *assessment.dropped]}


found = find_workshop()
if found is None:
    st.stop()
try:
    view = workshops.participant_view(found.id, participant())
except (WorkshopError, PermissionDenied) as refused:
    st.error(plain(sentence_of(refused)))
    st.stop()
if view is None:
    join_form(found)
    st.stop()

workshop = view.workshop
st.markdown(
    plain(
        _("You are in as {who}.", who=view.participant.described)
        + " "
        + STAGE_NAMES.get(workshop.stage, workshop.stage_words)
        + "."
    )
)
scoring = workshop.stage == "scoring"
if workshop.stage != "finalised":
    watch(workshop.id, workshop.stage)
explained = plan_and_findings(workshop)

if not scoring:
    st.info(
        _("The facilitator has revealed the scores; scoring is closed.")
        if workshop.stage == "revealed"
        else _("This workshop is finalised: the room's agreed view is a new version of the assessment.")
    )
    st.subheader(_("Your scores beside the rules'"))
    read_only(view)
    if view.missed:
        st.subheader(_("The impacts you added"))
        own_missed(view, scoring=False)
    st.stop()

total = len(workshop.findings)
st.markdown(plain(_("{scored} of {total} scored.", scored=len(view.scores), total=total)))
st.caption(_("Score each finding on your own: nobody sees anyone's scores until the facilitator reveals them."))
st.caption(
    _(
        "The rules' own scores are shown after the reveal, beside yours, so that your score is your own and not "
        "anchored on theirs."
    )
)
numbers = workshop.numbers
for finding in workshop.findings:
    st.subheader(f"{numbers[finding.rule]}. {marked(title_of(finding))}")
    groups = ", ".join(group_name(group) for group in finding.groups) or _("no group named")
    st.markdown(plain(_("Groups it names: {groups}.", groups=groups)))
    reasons(explained.get(finding.rule))
    score_form(workshop, finding, view.scores.get(finding.rule))

st.header(_("An impact the rules missed"))
missed_form(workshop)
if view.missed:
    st.subheader(_("The impacts you added"))
    own_missed(view, scoring=True)

st.header(_("Finished?"))
if view.participant.finished_at is None:
    st.button(_("I have finished"), type="primary", on_click=finish, args=(workshop.id, True))
else:
    st.success(_("You said you have finished. You can still change a score until the facilitator reveals them."))
    st.button(_("I am still scoring"), on_click=finish, args=(workshop.id, False))
said("finish")
