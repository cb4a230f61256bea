"""The strategy's report cards (issue 23): Results Based Accountability for a quarter or a year.

The 2011-14 update of the One Wrexham strategy adopts Results Based Accountability "to show whether people are better
off as a result of our actions"; its progress is reviewed quarterly by the Community Cohesion Co-ordination Group and
annually by the Corporate Governance and Policy Scrutiny Committee. A report card answers RBA's three questions from
the register, for a chosen quarter (``2027Q1``) or year (``2027``):

* **How much did we do?** Assessments started and approved (by level and by service); mitigations agreed as actions
  (by strategy action and by strategy outcome).
* **How well did we do it?** Reviews due in the period held on or before their date; actions due in the period done
  by their date (and those overdue); a review or an action whose date is still to come is not counted yet;
  approvals with every high-severity gap closed before the decision (none left for the approver to acknowledge);
  and outcome 2's measure ("community views inform Equality Impact Assessments"): the share of the assessments
  approved whose answer to the engagement question (the questionnaire's role ``engagement``) says the people
  affected have been engaged or consulted (``done``).
* **Is anyone better off?** The monitoring results owners recorded at each review held, overall and by group,
  against the baseline the approved version gave at assessment: its answers to the questions the questionnaire's
  roles ``baseline_by_group`` (whether it had figures by group; ``baseline_by_group_given`` names the options that
  count as given) and ``baseline`` (the evidence it described) name, checked by ``proofing rules check``.

Per strategy action: the plans whose actions drew on it, how many were agreed, done and overdue, and what was done
(the evidence recorded). And a trend: the main figures for each of the last four quarters up to the period's end.

Counting rules, so an independent count can check them: an approval counts in the period its decision falls in; an
assessment approved twice in a period (a revised version) counts once, at its latest approval; an action counts as
agreed in the period it was created (a later approval that keeps it does not agree it again); dates are UTC. The store
reads (``proofing.store.reporting``); this module counts; the faces word (``proofing.report_card_word``, the page).
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from datetime import date
from typing import Literal

from pydantic import Field

from proofing.access import PermissionDenied, User
from proofing.base import Strict
from proofing.errors import N_
from proofing.knowledge import KnowledgeBase
from proofing.store import reporting
from proofing.store.base import StoreBase
from proofing.store.followup import today as utc_today
from proofing.store.reporting import ActionLine, ApprovedRow, HeldRow, OpenReview

READERS = frozenset({"approver", "administrator", "auditor"})  # who sees the report cards
ENGAGED = "done"  # the engagement answer that says the people affected were engaged or consulted (views known)
TREND_QUARTERS = 4

_PERIOD = re.compile(r"^\s*(\d{4})(?:\s*-?\s*[Qq]([1-4]))?\s*$")


class PeriodError(ValueError):
    """A period that is neither a quarter (2027Q1) nor a year (2027)."""


class Period(Strict):
    """A quarter or a year: its first day and the day after its last (``until``, excluded)."""

    kind: Literal["quarter", "year"]
    year: int
    quarter: int | None = None

    @property
    def since(self) -> date:
        """The first day of the period."""
        return date(self.year, 3 * (self.quarter - 1) + 1, 1) if self.quarter else date(self.year, 1, 1)

    @property
    def until(self) -> date:
        """The day after the period's last day."""
        if self.quarter is None or self.quarter == 4:
            return date(self.year + 1, 1, 1)
        return date(self.year, 3 * self.quarter + 1, 1)

    @property
    def code(self) -> str:
        """How the command line names it: 2027Q1, 2027."""
        return f"{self.year}Q{self.quarter}" if self.quarter else str(self.year)

    def quarters(self) -> list[Period]:
        """The quarters of the period, in order."""
        if self.quarter:
            return [self]
        return [Period(kind="quarter", year=self.year, quarter=number) for number in range(1, 5)]

    def previous(self) -> Period:
        """The quarter before this one (for a quarter)."""
        if self.quarter is None or self.quarter == 1:
            return Period(kind="quarter", year=self.year - 1, quarter=4)
        return Period(kind="quarter", year=self.year, quarter=self.quarter - 1)


def parse_period(text: str) -> Period:
    """A period from its name: "2027Q1" (also "2027 Q1", "2027-q1") is a quarter, "2027" a year.

    Examples:
        >>> parse_period("2027Q1").since, parse_period("2027Q1").until
        (datetime.date(2027, 1, 1), datetime.date(2027, 4, 1))
        >>> parse_period("2026").code, parse_period("2026 q4").until
        ('2026', datetime.date(2027, 1, 1))
    """
    found = _PERIOD.match(text or "")
    if found is None:
        raise PeriodError(f"{text!r} is not a quarter (such as 2027Q1) or a year (such as 2027)")
    year, quarter = int(found.group(1)), found.group(2)
    if quarter is None:
        return Period(kind="year", year=year)
    return Period(kind="quarter", year=year, quarter=int(quarter))


def quarter_of(day: date) -> Period:
    """The quarter a day falls in."""
    return Period(kind="quarter", year=day.year, quarter=(day.month - 1) // 3 + 1)


class Share(Strict):
    """How many of how many (a measure of how well): `count` of `of`; no percentage when there were none."""

    count: int = 0
    of: int = 0

    @property
    def percent(self) -> float | None:
        """The share as a percentage, to one decimal place; None when there was nothing to count."""
        return round(100 * self.count / self.of, 1) if self.of else None


class Count(Strict):
    """A count by something: a level, a service, a strategy action or an outcome (its id; `name` in words)."""

    key: str
    name: str = ""
    count: int


class HowMuch(Strict):
    """How much did we do?"""

    started: int = 0
    approvals: int = Field(default=0, description="sign-offs approving a version (a revised version is another)")
    approved: int = Field(default=0, description="assessments approved (each once, at its latest approval)")
    by_level: list[Count] = []
    by_service: list[Count] = []
    mitigations_agreed: int = 0
    by_strategy_action: list[Count] = []
    by_outcome: list[Count] = []


class HowWell(Strict):
    """How well did we do it?"""

    reviews_on_time: Share = Share()  # of the reviews due in the period (held, or their date passed), held by it
    reviews_held: int = 0  # reviews held in the period, whenever they were due
    reviews_overdue: int = 0  # reviews due in the period, not yet held, their date passed
    actions_by_date: Share = Share()  # of the actions due in the period (done, or their date passed), done by it
    actions_overdue: int = 0  # of those, still open after their date
    actions_done: int = 0  # actions done in the period, whenever they were due
    gaps_closed: Share = Share()  # of the approvals, those that left no high-severity gap open
    gaps_left_open: int = 0  # high-severity gaps the approvers acknowledged as open
    engaged: Share = Share()  # outcome 2: of the assessments approved, those whose affected communities were engaged
    engagement_planned: int = 0  # of those not engaged, those with engagement planned


class GroupResult(Strict):
    """What monitoring showed for one group at one review."""

    group: str
    name: str
    result: str


class ReviewResult(Strict):
    """One review held in the period: what monitoring showed against the baseline given at assessment."""

    assessment_id: str
    title: str
    service: str
    review_date: date
    held_on: date
    on_time: bool
    outcome: str
    monitoring: str = ""
    groups: list[GroupResult] = []
    baseline_by_group: str | None = None  # the approved version's answer (an option of the role's question) or None
    baseline: str = ""  # the evidence it described at assessment


class BetterOff(Strict):
    """Is anyone better off? The reviews held, and for each group how many recorded a result for it."""

    reviews: list[ReviewResult] = []
    by_group: list[Count] = []
    with_baseline_by_group: int = 0  # reviews whose plan had figures by group at assessment (baseline_by_group_given)


class PlanDone(Strict):
    """What one plan did under a strategy action: its action's words, status and evidence."""

    assessment_id: str
    title: str
    text: str
    status: str
    due: date | None = None
    done_on: date | None = None
    evidence: str = ""
    overdue: bool = False
    key: str = ""  # the mitigation's key in its plan: one action drawing on several strategy actions is one action


class StrategyActionCard(Strict):
    """One strategy action: the plans that drew on it in the period, and what they did."""

    action: str
    name: str
    outcome: str = ""
    plans: int = 0
    agreed: int = 0
    done: int = 0
    overdue: int = 0
    lines: list[PlanDone] = []


class QuarterFigures(Strict):
    """The main figures of one quarter, for the trend."""

    quarter: str  # "2027Q1"
    started: int = 0
    approved: int = 0
    mitigations_agreed: int = 0
    actions_done: int = 0
    reviews_on_time: Share = Share()
    actions_by_date: Share = Share()
    gaps_closed: Share = Share()
    engaged: Share = Share()


class ReportCard(Strict):
    """The report card of a quarter or a year: RBA's three questions, per strategy action, and the trend."""

    period: Period
    made_on: date
    register_size: int = 0  # assessments in the register (0: an empty register)
    how_much: HowMuch = HowMuch()
    how_well: HowWell = HowWell()
    better_off: BetterOff = BetterOff()
    strategy_actions: list[StrategyActionCard] = []
    trend: list[QuarterFigures] = []


def may_see(user: User | None) -> bool:
    """Whether the person sees the report cards (approvers, administrators, auditors; a script or job: None)."""
    return user is None or bool(READERS & user.roles)


def _name(kb: KnowledgeBase, item_id: str) -> str:
    found = kb.find(item_id)
    text = getattr(found[1], "text", None) or getattr(found[1], "name", None) if found else None
    return str(text) if text else ""


def _counts(kb: KnowledgeBase | None, keys: Iterable[str]) -> list[Count]:
    counted = Counter(keys)
    return [
        Count(key=key, name=_name(kb, key) if kb is not None else "", count=count)
        for key, count in sorted(counted.items(), key=lambda item: (-item[1], item[0]))
    ]


def _in(day: date | None, since: date, until: date) -> bool:
    return day is not None and since <= day < until


class _Rows:
    """What the store read for the whole span (the trend's first quarter to the period's end)."""

    def __init__(self, store: StoreBase, since: date, until: date) -> None:
        self.started = [when.date() for when in reporting.started(store, since, until)]
        self.approved: list[ApprovedRow] = reporting.approved(store, since, until)
        self.actions: list[ActionLine] = reporting.actions(store, since, until)
        self.held: list[HeldRow] = reporting.held(store, since, until)
        self.open: list[OpenReview] = reporting.open_reviews(store, since, until)


def _latest(approvals: list[ApprovedRow]) -> list[ApprovedRow]:
    latest: dict[str, ApprovedRow] = {}
    for approval in approvals:  # oldest first: the last one kept is the latest
        latest[approval.assessment_id] = approval
    return list(latest.values())


def _engaged(kb: KnowledgeBase, approvals: list[ApprovedRow]) -> tuple[Share, int]:
    role = kb.questionnaire.roles
    engaged = sum(1 for a in approvals if a.answers.get(role.engagement) == ENGAGED)
    planned = sum(
        1
        for a in approvals
        if a.answers.get(role.engagement) != ENGAGED and a.answers.get(role.engagement) in role.engagement_under_way
    )
    return Share(count=engaged, of=len(approvals)), planned


def _how_well(kb: KnowledgeBase, rows: _Rows, since: date, until: date, on: date) -> HowWell:
    due_held = [r for r in rows.held if _in(r.review_date, since, until)]
    due_open = [r for r in rows.open if _in(r.review_date, since, until) and r.review_date < on]  # not yet due: out
    on_time = sum(1 for r in due_held if r.held_at.date() <= r.review_date)
    actions_due = [
        a
        for a in rows.actions
        if _in(a.due, since, until)
        and a.status != "dropped"
        and (a.status == "done" or (a.due is not None and a.due < on))
    ]  # an open action not yet due is neither late nor done by its date: not counted yet
    by_date = sum(
        1 for a in actions_due if a.status == "done" and a.done_on is not None and a.due and a.done_on <= a.due
    )
    approvals = [a for a in rows.approved if _in(a.decided_at.date(), since, until)]
    engaged, planned = _engaged(kb, _latest(approvals))
    return HowWell(
        reviews_on_time=Share(count=on_time, of=len(due_held) + len(due_open)),
        reviews_held=sum(1 for r in rows.held if _in(r.held_at.date(), since, until)),
        reviews_overdue=len(due_open),
        actions_by_date=Share(count=by_date, of=len(actions_due)),
        actions_overdue=sum(
            1 for a in actions_due if a.status in ("not_started", "under_way") and a.due and a.due < on
        ),
        actions_done=sum(1 for a in rows.actions if a.status == "done" and _in(a.done_on, since, until)),
        gaps_closed=Share(count=sum(1 for a in approvals if a.gaps_open == 0), of=len(approvals)),
        gaps_left_open=sum(a.gaps_open for a in approvals),
        engaged=engaged,
        engagement_planned=planned,
    )


def _how_much(kb: KnowledgeBase, rows: _Rows, since: date, until: date) -> HowMuch:
    approvals = [a for a in rows.approved if _in(a.decided_at.date(), since, until)]
    latest = _latest(approvals)
    agreed = [a for a in rows.actions if _in(a.created_at.date(), since, until)]
    levels = _counts(None, (a.level or "" for a in latest))
    return HowMuch(
        started=sum(1 for day in rows.started if _in(day, since, until)),
        approvals=len(approvals),
        approved=len(latest),
        by_level=[level.model_copy(update={"name": _level_name(kb, level.key)}) for level in levels],
        by_service=_counts(None, (a.service for a in latest)),
        mitigations_agreed=len(agreed),
        by_strategy_action=_counts(kb, (key for a in agreed for key in dict.fromkeys(a.strategy_actions))),
        by_outcome=_counts(kb, (key for a in agreed for key in dict.fromkeys(a.outcomes))),
    )


def _level_name(kb: KnowledgeBase, level: str) -> str:
    words: dict[str, str] = {str(key): value for key, value in kb.scoring.level_words.items()}
    return words[level].split(".")[0] if level in words else ""


def _better_off(kb: KnowledgeBase, rows: _Rows, since: date, until: date) -> BetterOff:
    groups = {item.id: item.name for item in kb.characteristics} | {item.id: item.name for item in kb.communities}
    reviews: list[ReviewResult] = []
    role = kb.questionnaire.roles  # the baseline is read through the roles rules/ declares (proofing rules check)
    for row in rows.held:
        if not _in(row.held_at.date(), since, until):
            continue
        record = row.record
        by_group = record.get("by_group") if isinstance(record.get("by_group"), dict) else {}
        given = row.answers.get(role.baseline_by_group) if role.baseline_by_group else None
        reviews.append(
            ReviewResult(
                assessment_id=row.assessment_id,
                title=row.title,
                service=row.service,
                review_date=row.review_date,
                held_on=row.held_at.date(),
                on_time=row.held_at.date() <= row.review_date,
                outcome=row.outcome,
                monitoring=str(record.get("monitoring") or "").strip(),
                groups=[
                    GroupResult(group=str(group), name=groups.get(str(group), str(group)), result=str(text).strip())
                    for group, text in (by_group or {}).items()
                    if str(text).strip()
                ],
                baseline_by_group=given if isinstance(given, str) else None,
                baseline=str((row.answers.get(role.baseline) if role.baseline else None) or "").strip(),
            )
        )
    by_group = Counter(result.group for review in reviews for result in review.groups)
    return BetterOff(
        reviews=reviews,
        by_group=[
            Count(key=key, name=groups.get(key, key), count=count)
            for key, count in sorted(by_group.items(), key=lambda item: (-item[1], item[0]))
        ],
        with_baseline_by_group=sum(1 for r in reviews if r.baseline_by_group in role.baseline_by_group_given),
    )


def _strategy_actions(kb: KnowledgeBase, rows: _Rows, since: date, until: date, on: date) -> list[StrategyActionCard]:
    touched = [
        a
        for a in rows.actions
        if _in(a.created_at.date(), since, until) or _in(a.done_on, since, until) or _in(a.due, since, until)
    ]
    cards: dict[str, list[ActionLine]] = {}
    for action in touched:
        for key in dict.fromkeys(action.strategy_actions):
            cards.setdefault(key, []).append(action)
    made: list[StrategyActionCard] = []
    for key, lines in cards.items():
        found = kb.find(key)
        outcome = str(getattr(found[1], "outcome", "") or "") if found else ""
        done_lines = [
            PlanDone(
                assessment_id=a.assessment_id,
                title=a.title,
                text=a.text,
                status=a.status,
                due=a.due,
                done_on=a.done_on,
                evidence=a.evidence,
                overdue=a.status in ("not_started", "under_way") and a.due is not None and a.due < on,
                key=a.key,
            )
            for a in lines
        ]
        made.append(
            StrategyActionCard(
                action=key,
                name=_name(kb, key),
                outcome=outcome,
                plans=len({a.assessment_id for a in lines}),
                agreed=sum(1 for a in lines if _in(a.created_at.date(), since, until)),
                done=sum(1 for a in lines if a.status == "done" and _in(a.done_on, since, until)),
                overdue=sum(1 for line in done_lines if line.overdue),
                lines=sorted(done_lines, key=lambda line: (line.title, line.text)),
            )
        )
    return sorted(made, key=lambda card: (-card.plans, -card.agreed, card.action))


def _quarter(kb: KnowledgeBase, rows: _Rows, quarter: Period, on: date) -> QuarterFigures:
    much = _how_much(kb, rows, quarter.since, quarter.until)
    well = _how_well(kb, rows, quarter.since, quarter.until, on)
    return QuarterFigures(
        quarter=quarter.code,
        started=much.started,
        approved=much.approved,
        mitigations_agreed=much.mitigations_agreed,
        actions_done=well.actions_done,
        reviews_on_time=well.reviews_on_time,
        actions_by_date=well.actions_by_date,
        gaps_closed=well.gaps_closed,
        engaged=well.engaged,
    )


def trend_quarters(period: Period, count: int = TREND_QUARTERS) -> list[Period]:
    """The last `count` quarters up to the period's end, oldest first."""
    last = period.quarters()[-1]
    found = [last]
    while len(found) < count:
        found.insert(0, found[0].previous())
    return found


def report_card(
    store: StoreBase, kb: KnowledgeBase, period: Period | str, *, on: date | None = None, by: User | None = None
) -> ReportCard:
    """The report card of a quarter or a year, from the register in `store` (names from `kb`, in its language).

    `on` is the day overdue is counted on (today, UTC). An empty register gives a report card of zeros. Refused
    (PermissionDenied, in words) to a person whose roles are none of approver, administrator or auditor.
    """
    if not may_see(by):
        assert by is not None
        raise PermissionDenied(
            N_("{name} may not see the report cards: they are for approvers, administrators and auditors."),
            name=by.name,
        )
    chosen = parse_period(period) if isinstance(period, str) else period
    day = on or utc_today()
    quarters = trend_quarters(chosen)
    since = min(quarters[0].since, chosen.since)
    rows = _Rows(store, since, chosen.until)
    return ReportCard(
        period=chosen,
        made_on=day,
        register_size=reporting.register_size(store),
        how_much=_how_much(kb, rows, chosen.since, chosen.until),
        how_well=_how_well(kb, rows, chosen.since, chosen.until, day),
        better_off=_better_off(kb, rows, chosen.since, chosen.until),
        strategy_actions=_strategy_actions(kb, rows, chosen.since, chosen.until, day),
        trend=[_quarter(kb, rows, quarter, day) for quarter in quarters],
    )
