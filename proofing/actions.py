"""Mitigations as commitments: once a version is approved, each mitigation the service accepted or adapted (or had
already done) is an *action* with an owner, a due date and a status, followed through after the decision.

Where they live (migration 0014, ``proofing.store.followup``):

* ``followup_actions``: one row per assessment and mitigation key (``rule:index`` as decisions are kept, or
  ``own:ID`` for the service's own mitigation): the wording approved (adapted wording when adapted), the finding
  it answers, the strategy actions and outcomes it draws on (``strategy_actions``, ``outcomes``: JSON lists, for
  the report cards), ``owner`` (in words, as the plan gave it) and ``owner_subject`` (whose "My actions" it is:
  the plan's owner unless handed on), ``due`` (a date, or none), ``status`` (``not_started``, ``under_way``,
  ``done``, ``dropped``), ``evidence`` and ``done_on`` (a done action), ``reason`` (a dropped one), ``version``
  (the approved version that holds it), ``revision`` (rises with each update; a stale update is refused).
  A later approval of the same assessment keeps each action still committed, as it stands, and drops the ones it
  no longer holds (reason: not in the plan as approved at version N).
* ``followup_reviews`` and ``followup_review_outcomes``: see ``proofing.review``.

What other modules may use (``proofing.store.followup.FollowUp(store)``, every method taking ``by`` = the person
asking, None for a script or a scheduled job that sees everything):

* ``FollowUp.actions(due_within=DAYS | overdue=True | owner_subject=S | assessment_id=A, on=DAY)``: open actions
  due within DAYS of DAY (default today, UTC; overdue ones included), overdue ones, one person's, one plan's, each
  a ``FollowUpAction`` with the plan's title and service, the owner (``owner``, ``owner_subject``) and the approver
  who approved it (``approver``: "Name <email>", ``approver_subject``); ``FollowUpAction.overdue(day)``;
* ``FollowUp.update(action_id, ActionUpdate, by=)``: record progress (``check_update`` decides who may);
* ``FollowUp.reviews(...)`` and ``FollowUp.record_review(...)``: proofing.review.
* here: ``decisions_after(actions)``: the decisions the actions stand for now, for the residual after approval.

Who may: the action's owner updates their own; approvers and administrators update every action; auditors (and
every role that reads every assessment) read every action and change none; a manager reads the actions of the
plans they may open (``may_update``, ``may_read``, ``sees_everyone``).
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Literal

from pydantic import Field, model_validator

from proofing.access import PERMISSIONS, PermissionDenied, User, may
from proofing.base import Strict
from proofing.decisions import MitigationDecision
from proofing.errors import N_, Term


def _(text: str, /) -> str:
    """Mark an English text for the catalogue; a face words it through the one translator (a refusal below is one
    of these texts, which a page translates with ``problem``)."""
    return text


def problem(error: ValueError) -> str:
    """The English text of a refused ActionUpdate or ReviewRecord (a msgid), without pydantic's prefix."""
    errors = getattr(error, "errors", None)
    message = str(errors()[0]["msg"]) if callable(errors) else str(error)
    return message.removeprefix("Value error, ")


ActionStatus = Literal["not_started", "under_way", "done", "dropped"]
ACTION_STATUSES: tuple[ActionStatus, ...] = ("not_started", "under_way", "done", "dropped")
OPEN_STATUSES: tuple[ActionStatus, ...] = ("not_started", "under_way")
ACTION_STATUS_WORDS: dict[str, str] = {
    "not_started": _("Not started"),
    "under_way": _("Under way"),
    "done": _("Done"),
    "dropped": _("Dropped"),
}
"""An action's statuses, as English msgids a face words."""

UPDATERS = frozenset({"approver", "administrator"})  # update every action, whoever owns it


class Commitment(Strict):
    """One mitigation the approved version commits to: what the approval hook turns into an action."""

    key: str = Field(min_length=1, max_length=200)
    finding_rule: str = Field(max_length=200)
    finding_title: str = Field(max_length=500)
    text: str = Field(min_length=1, max_length=5_000)
    adapted: bool = False
    strategy_actions: list[str] = []
    outcomes: list[str] = []
    owner: str = Field(default="", max_length=500)
    due: date | None = None
    done: bool = False


class FollowUpAction(Strict):
    """One action as the store keeps it, with its plan's title and service, its owner and its approver."""

    id: int
    assessment_id: str
    title: str
    service: str
    key: str
    version: int
    finding_rule: str
    finding_title: str
    text: str
    adapted: bool
    strategy_actions: list[str]
    outcomes: list[str]
    owner: str
    owner_subject: str
    due: date | None
    status: ActionStatus
    evidence: str = ""
    done_on: date | None = None
    reason: str = ""
    approver: str = ""
    approver_subject: str | None = None
    updated_at: datetime
    updated_by: str = ""
    revision: int = 0

    @property
    def open(self) -> bool:
        """Whether it is still to do (not started or under way)."""
        return self.status in OPEN_STATUSES

    def overdue(self, today: date) -> bool:
        """Whether it is still open after its due date."""
        return self.open and self.due is not None and self.due < today


class ActionUpdate(Strict):
    """Progress on an action: under way, done (what was done, with evidence, and when) or dropped (why).

    ``due`` moves the due date when given. ``expected_revision`` is the revision the person looked at: an update on
    anything older is refused (someone else recorded progress since).
    """

    status: ActionStatus
    evidence: str = Field(default="", max_length=5_000)
    done_on: date | None = None
    reason: str = Field(default="", max_length=5_000)
    due: date | None = None
    expected_revision: int | None = None

    @model_validator(mode="after")
    def _complete(self) -> ActionUpdate:
        if self.status == "done" and (not self.evidence.strip() or self.done_on is None):
            raise ValueError(_("A done action needs what was done (the evidence) and the date it was done."))
        if self.status == "dropped" and not self.reason.strip():
            raise ValueError(_("A dropped action needs the reason it was dropped."))
        return self


def sees_everyone(user: User) -> bool:
    """Whether the person reads every plan's actions and reviews (a role that reads every assessment)."""
    return any(PERMISSIONS[role].get("read") == "all" for role in user.roles)


def may_read(user: User, owner_subject: str, plan_owner: str, shared_with: frozenset[str]) -> bool:
    """Whether the person may see an action: their own, one of a plan they may open, or any (sees_everyone)."""
    return user.subject == owner_subject or may(user, "read", owner=plan_owner, shared_with=shared_with)


def may_update(user: User, owner_subject: str) -> bool:
    """Whether the person may record progress on an action: its owner, or an approver or administrator.

    Examples:
        >>> owner = User(subject="o1", name="Owner", roles=frozenset({"service_manager"}))
        >>> auditor = User(subject="a1", name="Auditor", roles=frozenset({"auditor"}))
        >>> may_update(owner, "o1"), may_update(owner, "o2"), may_update(auditor, "o1")
        (True, False, False)
    """
    return user.subject == owner_subject or bool(UPDATERS & user.roles)


def check_update(user: User, action: FollowUpAction) -> None:
    """Refuse (PermissionDenied, in words) progress by someone who is neither the owner nor an approver."""
    if not may_update(user, action.owner_subject):
        raise PermissionDenied(
            N_(
                "{name} may not record progress on an action owned by {owner}: only its owner, an approver or an "
                "administrator may."
            ),
            name=user.name,
            owner=action.owner or Term(N_("someone else")),
        )


def decisions_after(actions: list[FollowUpAction]) -> dict[str, MitigationDecision]:
    """The mitigation decisions an approved plan's actions stand for now, per mitigation key, for the residual
    impact after approval: a done action is "done", an open one "accepted" (with its owner and due date, so the
    residual rule counts it only when firmly dated), a dropped one "rejected". Own mitigations (``own:`` keys) are
    left out: they are kept in the notes, not the decisions.

    Examples:
        >>> from datetime import UTC, datetime
        >>> base = dict(assessment_id="a", title="t", service="s", version=2, finding_rule="r", finding_title="f",
        ...             text="x", adapted=False, strategy_actions=[], outcomes=[], owner="o", owner_subject="o",
        ...             updated_at=datetime(2027, 1, 1, tzinfo=UTC))
        >>> done = FollowUpAction(id=1, key="r:0", due=None, status="done", **base)
        >>> late = FollowUpAction(id=2, key="r:1", due=date(2027, 2, 1), status="under_way", **base)
        >>> {key: (d.status, d.due) for key, d in decisions_after([done, late]).items()}
        {'r:0': ('done', ''), 'r:1': ('accepted', '2027-02-01')}
    """
    status = {"done": "done", "dropped": "rejected", "not_started": "accepted", "under_way": "accepted"}
    return {
        action.key: MitigationDecision(
            status=status[action.status],
            owner=action.owner or action.owner_subject,  # an action always has an owner, in words or by sign-in
            due=action.due.isoformat() if action.due is not None and action.open else "",
        )
        for action in actions
        if not action.key.startswith("own:")
    }


# The reviews' plain models (proofing.review uses them; kept here so the store returns them without importing it).

ReviewState = Literal["open", "revising", "closed"]
ReviewOutcome = Literal["confirmed", "revised", "closed"]
REVIEW_OUTCOME_WORDS: dict[str, str] = {
    "confirmed": _("Confirmed: the plan carries on as approved"),
    "revised": _("Revised: a new draft version goes through sign-off"),
    "closed": _("Closed: the plan has ended"),
}
"""What a review decides, as English msgids a face words."""


class FindingBrief(Strict):
    """A finding by its rule and title, as kept at approval and compared at review."""

    rule: str
    title: str


class ReviewDue(Strict):
    """The one review of an approved assessment: when it is due, the version approved and who approved it.

    ``state`` is "open" (awaiting its review), "revising" (reviewed, a revised version on its way to sign-off) or
    "closed" (the plan was closed at review). ``findings`` and ``level`` are what the approved version found, and
    ``rule_base`` the rule base it was assessed with ("name version"), for what changed since.
    """

    assessment_id: str
    title: str
    service: str
    owner: str
    owner_subject: str
    version: int
    review_date: date
    state: ReviewState
    approved_at: datetime
    approver: str = ""
    approver_subject: str | None = None
    level: str | None = None
    rule_base: str = ""
    findings: list[FindingBrief] = []

    def overdue(self, today: date) -> bool:
        """Whether it is open and its date has passed."""
        return self.state == "open" and self.review_date < today


class ReviewChanges(Strict):
    """What changed since approval when the approved answers are assessed again against the current rule base."""

    rule_base_then: str = ""
    rule_base_now: str = ""
    level_then: str | None = None
    level_now: str | None = None
    new: list[FindingBrief] = Field(default=[], description="findings that fire now and did not at approval")
    gone: list[FindingBrief] = Field(default=[], description="findings at approval that no longer fire")

    @property
    def changed(self) -> bool:
        """Whether anything differs from approval."""
        return bool(self.new or self.gone) or self.level_then != self.level_now


class ReviewRecord(Strict):
    """What the owner records at review: what monitoring showed (overall and, where the plan promised it, by
    group id), what changed since approval, and the outcome; a confirmed plan gets its next review date."""

    outcome: ReviewOutcome
    monitoring: str = Field(default="", max_length=20_000)
    by_group: dict[str, str] = {}
    note: str = Field(default="", max_length=20_000)
    next_review: date | None = None
    changes: ReviewChanges = ReviewChanges()

    @model_validator(mode="after")
    def _complete(self) -> ReviewRecord:
        if not self.monitoring.strip() and not any(text.strip() for text in self.by_group.values()):
            raise ValueError(_("A review records what monitoring showed."))
        if self.outcome == "confirmed" and self.next_review is None:
            raise ValueError(_("A confirmed plan needs the date of its next review."))
        return self


class ReviewHeld(Strict):
    """A review as kept: its record, when it was held and by whom, and (revised) the new draft's version."""

    assessment_id: str
    version: int
    review_date: date
    held_at: datetime
    held_by: str
    record: ReviewRecord
    revised_assessment: str | None = None
    revised_version: int | None = None
