"""After the decision: the actions an approval commits to and the review of each approved assessment, kept in
tables of their own (migration 0014). The store keeps and reads them; what they hold is worked out above it (the
approval hook the service layer registers, ``use_followup``; proofing.actions; proofing.review).

Permission checks are here, as the rest of the store's are at its acting face: every method takes ``by`` (the
person asking, or None for a script or a scheduled job, which sees everything and is not audited).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import UTC, date, datetime, timedelta
from typing import TYPE_CHECKING, Any

from sqlalchemy import (
    JSON,
    Boolean,
    CheckConstraint,
    Date,
    ForeignKey,
    Index,
    Integer,
    String,
    UniqueConstraint,
    select,
)
from sqlalchemy.orm import Mapped, Session, mapped_column

from proofing.access import PermissionDenied, User, may
from proofing.actions import (
    OPEN_STATUSES,
    ActionUpdate,
    Commitment,
    FindingBrief,
    FollowUpAction,
    ReviewDue,
    ReviewHeld,
    ReviewRecord,
    check_update,
    may_read,
    may_update,
    sees_everyone,
)
from proofing.errors import N_, StaleVersionError, StoreError
from proofing.store.schema import AssessmentRow, Base, ShareRow, UTCDateTime
from proofing.store.values import _is_id, _now

if TYPE_CHECKING:
    from proofing.approvals import SignOff
    from proofing.store.base import StoreBase


class ActionRow(Base):
    """One action an approval committed to (proofing.actions describes the columns)."""

    __tablename__ = "followup_actions"
    __table_args__ = (
        CheckConstraint("status IN ('not_started', 'under_way', 'done', 'dropped')", name="ck_followup_actions_status"),
        UniqueConstraint("assessment_id", "key", name="uq_followup_actions_assessment_id_key"),
        Index("ix_followup_actions_owner_subject", "owner_subject"),
        Index("ix_followup_actions_due", "due"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    assessment_id: Mapped[str] = mapped_column(
        String(32), ForeignKey("assessments.id", ondelete="CASCADE", name="fk_followup_actions_assessment_id")
    )
    key: Mapped[str] = mapped_column(String(200))
    version: Mapped[int] = mapped_column(Integer)
    finding_rule: Mapped[str] = mapped_column(String(200))
    finding_title: Mapped[str] = mapped_column(String(500))
    text: Mapped[str] = mapped_column(String(5000))
    adapted: Mapped[bool] = mapped_column(Boolean)
    strategy_actions: Mapped[list[str]] = mapped_column(JSON)
    outcomes: Mapped[list[str]] = mapped_column(JSON)
    owner: Mapped[str] = mapped_column(String(500))
    owner_subject: Mapped[str] = mapped_column(String(200))
    due: Mapped[date | None] = mapped_column(Date)
    status: Mapped[str] = mapped_column(String(16))
    evidence: Mapped[str] = mapped_column(String(5000))
    done_on: Mapped[date | None] = mapped_column(Date)
    reason: Mapped[str] = mapped_column(String(5000))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime())
    updated_by: Mapped[str] = mapped_column(String(500))
    revision: Mapped[int] = mapped_column(Integer)


class ReviewRow(Base):
    """The one review of an approved assessment (proofing.review describes the columns)."""

    __tablename__ = "followup_reviews"
    __table_args__ = (
        CheckConstraint("state IN ('open', 'revising', 'closed')", name="ck_followup_reviews_state"),
        Index("ix_followup_reviews_review_date", "review_date"),
    )

    assessment_id: Mapped[str] = mapped_column(
        String(32),
        ForeignKey("assessments.id", ondelete="CASCADE", name="fk_followup_reviews_assessment_id"),
        primary_key=True,
    )
    version: Mapped[int] = mapped_column(Integer)
    review_date: Mapped[date] = mapped_column(Date)
    state: Mapped[str] = mapped_column(String(16))
    approved_at: Mapped[datetime] = mapped_column(UTCDateTime())
    approver: Mapped[str] = mapped_column(String(500))
    approver_subject: Mapped[str | None] = mapped_column(String(200))
    level: Mapped[str | None] = mapped_column(String(64))
    rule_base: Mapped[str] = mapped_column(String(200))
    findings: Mapped[list[dict[str, str]]] = mapped_column(JSON)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime())


class ReviewOutcomeRow(Base):
    """One review held: what monitoring showed, what changed since approval, and the outcome."""

    __tablename__ = "followup_review_outcomes"
    __table_args__ = (
        CheckConstraint("outcome IN ('confirmed', 'revised', 'closed')", name="ck_followup_review_outcomes_outcome"),
        Index("ix_followup_review_outcomes_assessment_id", "assessment_id"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    assessment_id: Mapped[str] = mapped_column(
        String(32), ForeignKey("assessments.id", ondelete="CASCADE", name="fk_followup_review_outcomes_assessment_id")
    )
    version: Mapped[int] = mapped_column(Integer)
    review_date: Mapped[date] = mapped_column(Date)
    held_at: Mapped[datetime] = mapped_column(UTCDateTime())
    held_by: Mapped[str] = mapped_column(String(500))
    held_subject: Mapped[str | None] = mapped_column(String(200))
    outcome: Mapped[str] = mapped_column(String(16))
    record: Mapped[dict[str, Any]] = mapped_column(JSON)
    revised_assessment: Mapped[str | None] = mapped_column(String(32))
    revised_version: Mapped[int | None] = mapped_column(Integer)


class Approved:
    """What the approval hook is handed: the assessment approved, its version row's content and the sign-off."""

    def __init__(
        self,
        session: Session,
        assessment: AssessmentRow,
        version: int,
        content: dict[str, Any],
        decision: SignOff,
        by: User | None,
        store: StoreBase,
    ) -> None:
        self.session, self.assessment, self.version, self.content = session, assessment, version, content
        self.decision, self.by, self.store = decision, by, store


# The store never reaches up to the service layer: the service hands it what to do on an approval (work out the
# commitments and the review, then call FollowUp.open_in) as a callback it registers (use_followup).
_ON_APPROVED: Callable[[Approved], None] | None = None


def use_followup(hook: Callable[[Approved], None]) -> None:
    """Name what opens the follow-up of an approval (the service layer calls this when imported)."""
    global _ON_APPROVED
    _ON_APPROVED = hook


def approved(approval: Approved) -> None:
    """Called by the store's sign-off, in its transaction, when a version is approved: opens its follow-up."""
    if _ON_APPROVED is not None:
        _ON_APPROVED(approval)


def today() -> date:
    """Today's date in UTC, as every due and overdue is counted."""
    return datetime.now(UTC).date()


class FollowUp:
    """The actions and reviews in one store's database."""

    def __init__(self, store: StoreBase) -> None:
        self.store = store

    # writing

    @staticmethod
    def open_in(
        approval: Approved,
        commitments: Iterable[Commitment],
        *,
        review_date: date,
        level: str | None,
        rule_base: str,
        findings: Iterable[FindingBrief],
    ) -> None:
        """Open the follow-up of an approved version in the approval's transaction: an action per commitment
        (one already kept for that mitigation keeps its progress, moved to this version with the due date it now
        gives, if any), the actions no longer committed dropped with the reason, and the assessment's one review
        set to this version and date."""
        session, row, now = approval.session, approval.assessment, _now()
        by = approval.by.described()[:500] if approval.by is not None else "local"
        kept = {
            action.key: action for action in session.scalars(select(ActionRow).where(ActionRow.assessment_id == row.id))
        }
        committed: set[str] = set()
        for commitment in commitments:
            committed.add(commitment.key)
            existing = kept.get(commitment.key)
            if existing is not None:
                existing.version, existing.text, existing.updated_at = approval.version, commitment.text, now
                existing.due = commitment.due or existing.due  # the approved date, when the version gives one
                if existing.status == "dropped":
                    existing.status, existing.reason = "not_started", ""
                existing.revision += 1
                continue
            session.add(
                ActionRow(
                    assessment_id=row.id,
                    key=commitment.key,
                    version=approval.version,
                    finding_rule=commitment.finding_rule,
                    finding_title=commitment.finding_title,
                    text=commitment.text,
                    adapted=commitment.adapted,
                    strategy_actions=commitment.strategy_actions,
                    outcomes=commitment.outcomes,
                    owner=commitment.owner or row.owner,
                    owner_subject=row.owner_subject,
                    due=commitment.due,
                    status="done" if commitment.done else "not_started",
                    evidence="",
                    done_on=now.date() if commitment.done else None,
                    reason="",
                    created_at=now,
                    updated_at=now,
                    updated_by=by,
                    revision=0,
                )
            )
        for key, action in kept.items():
            if key not in committed and action.status in OPEN_STATUSES:
                action.status, action.updated_at, action.revision = "dropped", now, action.revision + 1
                action.reason = f"Not in the plan as approved at version {approval.version}"
        review = session.get(ReviewRow, row.id) or ReviewRow(assessment_id=row.id)
        review.version, review.review_date, review.state = approval.version, review_date, "open"
        review.approved_at, review.updated_at, review.approver = now, now, by
        review.approver_subject = approval.by.subject if approval.by is not None else None
        review.level, review.rule_base = level, rule_base[:200]
        review.findings = [finding.model_dump() for finding in findings]
        session.add(review)

    def update(self, action_id: int, change: ActionUpdate, *, by: User | None = None) -> FollowUpAction:
        """Record progress on an action (its owner, an approver or an administrator; audited), and return it.

        Refused: by anyone else (PermissionDenied), on a stale revision (StaleVersionError), on an unknown action
        (StoreError). A done action keeps its evidence and date; a dropped one its reason.
        """
        with self.store.transaction(write=True) as session:
            row = session.get(ActionRow, action_id, with_for_update=True)
            if row is None:
                raise StoreError(N_("there is no action {id}"), id=action_id)
            plan = self.store.lock(session, row.assessment_id)
            if by is not None:
                check_update(by, self._model(row, plan, None))
            if change.expected_revision is not None and change.expected_revision != row.revision:
                raise StaleVersionError(row.assessment_id, plan.title, change.expected_revision, row.revision)
            row.status = change.status
            row.evidence = change.evidence.strip() if change.status == "done" else ""
            row.done_on = change.done_on if change.status == "done" else None
            row.reason = change.reason.strip() if change.status == "dropped" else ""
            if change.due is not None:
                row.due = change.due
            row.updated_at, row.revision = _now(), row.revision + 1
            row.updated_by = by.described()[:500] if by is not None else "local"
            detail = f"Action '{row.text[:200]}': {change.status.replace('_', ' ')}"
            self.store.audit_in(session, by, "action updated", row.assessment_id, row.version, detail)
            session.flush()
            return self._model(row, plan, session.get(ReviewRow, row.assessment_id))

    def hand_on(self, action_id: int, owner_subject: str, owner: str, *, by: User | None = None) -> None:
        """Make someone else the owner of an action (its owner, an approver or an administrator; audited)."""
        if not owner_subject.strip() or not owner.strip():
            raise StoreError(N_("an action is handed on to a person: give their sign-in identity and their name"))
        with self.store.transaction(write=True) as session:
            row = session.get(ActionRow, action_id, with_for_update=True)
            if row is None:
                raise StoreError(N_("there is no action {id}"), id=action_id)
            if by is not None and not may_update(by, row.owner_subject):
                raise PermissionDenied(
                    N_("{name} may not hand on an action owned by {owner}."), name=by.name, owner=row.owner
                )
            row.owner_subject, row.owner = owner_subject.strip()[:200], owner.strip()[:500]
            row.updated_at, row.revision = _now(), row.revision + 1
            self.store.audit_in(session, by, "action handed on", row.assessment_id, row.version, f"To {row.owner}")

    def record_review(
        self,
        assessment_id: str,
        record: ReviewRecord,
        *,
        by: User | None = None,
        revised: tuple[str, int] | None = None,
    ) -> ReviewHeld:
        """Keep a review held (the plan's owner, or an approver or administrator; audited): confirmed moves the
        review to its next date, revised waits for the revised version's approval, closed ends the plan's
        follow-up. `revised` names the new draft (assessment id, version) a revision made. Refused when the
        assessment has no open review (StoreError)."""
        with self.store.transaction(write=True) as session:
            plan = self.store.lock(session, assessment_id)
            review = session.get(ReviewRow, assessment_id)
            if review is None or review.state != "open":
                raise StoreError(
                    N_("'{title}' has no review to hold: it is not approved, or was reviewed"), title=plan.title
                )
            if by is not None and not self._may_hold(session, by, plan):
                raise PermissionDenied(
                    N_("{name} may not hold the review of '{title}'."), name=by.name, title=plan.title
                )
            now = _now()
            held = ReviewOutcomeRow(
                assessment_id=assessment_id,
                version=review.version,
                review_date=review.review_date,
                held_at=now,
                held_by=by.described()[:500] if by is not None else "local",
                held_subject=by.subject if by is not None else None,
                outcome=record.outcome,
                record=record.model_dump(mode="json"),
                revised_assessment=revised[0] if revised else None,
                revised_version=revised[1] if revised else None,
            )
            session.add(held)
            if record.outcome == "confirmed" and record.next_review is not None:
                review.review_date = record.next_review
            else:
                review.state = "revising" if record.outcome == "revised" else "closed"
            review.updated_at = now
            self.store.audit_in(session, by, "review held", assessment_id, review.version, f"Review: {record.outcome}")
            session.flush()
            return self._held(held)

    @staticmethod
    def _may_hold(session: Session, by: User, plan: AssessmentRow) -> bool:
        shared = frozenset(session.scalars(select(ShareRow.subject).where(ShareRow.assessment_id == plan.id)))
        owns = by.subject == plan.owner_subject or by.subject in shared
        return (owns and may(by, "edit", owner=plan.owner_subject, shared_with=shared)) or bool(
            {"approver", "administrator"} & by.roles
        )

    # reading

    def actions(
        self,
        *,
        assessment_id: str | None = None,
        owner_subject: str | None = None,
        due_within: int | None = None,
        overdue: bool = False,
        open_only: bool = False,
        on: date | None = None,
        by: User | None = None,
    ) -> list[FollowUpAction]:
        """Actions, soonest due first (undated last): of one plan, of one owner, open ones due within `due_within`
        days of `on` (today; overdue ones included), or open ones overdue on `on`. `by` sees what they may
        (sees_everyone: all; else their own and those of plans they may open)."""
        day = on or today()
        query = select(ActionRow, AssessmentRow, ReviewRow).join(
            AssessmentRow, AssessmentRow.id == ActionRow.assessment_id
        )
        query = query.outerjoin(ReviewRow, ReviewRow.assessment_id == ActionRow.assessment_id)
        if assessment_id is not None:
            if not _is_id(assessment_id):
                return []
            query = query.where(ActionRow.assessment_id == assessment_id)
        if owner_subject is not None:
            query = query.where(ActionRow.owner_subject == owner_subject)
        if open_only or overdue or due_within is not None:
            query = query.where(ActionRow.status.in_(OPEN_STATUSES))
        if overdue:
            query = query.where(ActionRow.due < day)
        elif due_within is not None:
            query = query.where(ActionRow.due <= day + timedelta(days=due_within))
        with self.store.transaction() as session:
            rows = list(session.execute(query))
            shares = self._shares(session, {plan.id for _, plan, _ in rows})
        found = [
            self._model(action, plan, review)
            for action, plan, review in rows
            if by is None
            or sees_everyone(by)
            or may_read(by, action.owner_subject, plan.owner_subject, shares.get(plan.id, frozenset()))
        ]
        return sorted(found, key=lambda a: (a.due is None, a.due or date.max, a.title, a.id))

    def action(self, action_id: int, *, by: User | None = None) -> FollowUpAction | None:
        """One action by its number, for a person who may see it (None when unknown or not theirs to see)."""
        with self.store.transaction() as session:
            row = session.get(ActionRow, action_id)
            plan = session.get(AssessmentRow, row.assessment_id) if row is not None else None
            if row is None or plan is None:
                return None
            shares = self._shares(session, {plan.id})
            model = self._model(row, plan, session.get(ReviewRow, plan.id))
        if by is not None and not (
            sees_everyone(by) or may_read(by, row.owner_subject, plan.owner_subject, shares.get(plan.id, frozenset()))
        ):
            return None
        return model

    def reviews(
        self,
        *,
        due_within: int | None = None,
        overdue: bool = False,
        assessment_id: str | None = None,
        on: date | None = None,
        by: User | None = None,
    ) -> list[ReviewDue]:
        """Reviews, soonest first: every open one, those due within `due_within` days of `on` (overdue included),
        the overdue ones, or one assessment's (any state). `by` sees what they may, as for actions."""
        day = on or today()
        query = select(ReviewRow, AssessmentRow).join(AssessmentRow, AssessmentRow.id == ReviewRow.assessment_id)
        if assessment_id is not None:
            if not _is_id(assessment_id):
                return []
            query = query.where(ReviewRow.assessment_id == assessment_id)
        else:
            query = query.where(ReviewRow.state == "open")
        if overdue:
            query = query.where(ReviewRow.review_date < day)
        elif due_within is not None:
            query = query.where(ReviewRow.review_date <= day + timedelta(days=due_within))
        with self.store.transaction() as session:
            rows = list(session.execute(query))
            shares = self._shares(session, {plan.id for _, plan in rows})
        return sorted(
            (
                self._review(review, plan)
                for review, plan in rows
                if by is None
                or sees_everyone(by)
                or may(by, "read", owner=plan.owner_subject, shared_with=shares.get(plan.id, frozenset()))
            ),
            key=lambda r: (r.review_date, r.title),
        )

    def held(self, assessment_id: str) -> list[ReviewHeld]:
        """The reviews held of one assessment, oldest first."""
        if not _is_id(assessment_id):
            return []
        with self.store.transaction() as session:
            rows = session.scalars(
                select(ReviewOutcomeRow)
                .where(ReviewOutcomeRow.assessment_id == assessment_id)
                .order_by(ReviewOutcomeRow.id)
            )
            return [self._held(row) for row in rows]

    @staticmethod
    def _shares(session: Session, ids: set[str]) -> dict[str, frozenset[str]]:
        if not ids:
            return {}
        found: dict[str, set[str]] = {}
        for plan_id, subject in session.execute(
            select(ShareRow.assessment_id, ShareRow.subject).where(ShareRow.assessment_id.in_(ids))
        ):
            found.setdefault(plan_id, set()).add(subject)
        return {plan_id: frozenset(subjects) for plan_id, subjects in found.items()}

    @staticmethod
    def _model(row: ActionRow, plan: AssessmentRow, review: ReviewRow | None) -> FollowUpAction:
        return FollowUpAction(
            id=row.id,
            assessment_id=row.assessment_id,
            title=plan.title,
            service=plan.service,
            key=row.key,
            version=row.version,
            finding_rule=row.finding_rule,
            finding_title=row.finding_title,
            text=row.text,
            adapted=row.adapted,
            strategy_actions=list(row.strategy_actions or []),
            outcomes=list(row.outcomes or []),
            owner=row.owner,
            owner_subject=row.owner_subject,
            due=row.due,
            status=row.status,
            evidence=row.evidence,
            done_on=row.done_on,
            reason=row.reason,
            approver=review.approver if review is not None else "",
            approver_subject=review.approver_subject if review is not None else None,
            updated_at=row.updated_at,
            updated_by=row.updated_by,
            revision=row.revision,
        )

    @staticmethod
    def _review(row: ReviewRow, plan: AssessmentRow) -> ReviewDue:
        return ReviewDue(
            assessment_id=row.assessment_id,
            title=plan.title,
            service=plan.service,
            owner=plan.owner,
            owner_subject=plan.owner_subject,
            version=row.version,
            review_date=row.review_date,
            state=row.state,
            approved_at=row.approved_at,
            approver=row.approver,
            approver_subject=row.approver_subject,
            level=row.level,
            rule_base=row.rule_base,
            findings=[FindingBrief.model_validate(found) for found in row.findings or []],
        )

    @staticmethod
    def _held(row: ReviewOutcomeRow) -> ReviewHeld:
        return ReviewHeld(
            assessment_id=row.assessment_id,
            version=row.version,
            review_date=row.review_date,
            held_at=row.held_at,
            held_by=row.held_by,
            record=ReviewRecord.model_validate(row.record),
            revised_assessment=row.revised_assessment,
            revised_version=row.revised_version,
        )
