"""What the strategy's report cards read from the store (issue 23): the rows of a span of days, as plain typed rows.

The store reads; ``proofing.report_card`` counts. Each function takes a span of days ``[since, until)`` (until
excluded) and returns only the rows that fall in it, in one query, so a report card over a register of thousands of
assessments reads a few hundred rows, not the register. Nothing here is permission-checked: the report cards count
across every plan, and the library refuses them to a person whose role may not see them
(``proofing.report_card.may_see``). Nothing here writes.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time
from typing import TYPE_CHECKING, Any

from sqlalchemy import and_, func, or_, select

from proofing.base import Strict
from proofing.store.followup import ActionRow, ReviewOutcomeRow, ReviewRow
from proofing.store.schema import ApprovalRow, AssessmentRow, VersionRow

if TYPE_CHECKING:
    from proofing.store.base import StoreBase


class ApprovedRow(Strict):
    """One approval decided in the span: the assessment, its service, the version approved with its level and its
    answers (the plan's ``answers``), and how many high-severity gaps the approver acknowledged as still open."""

    assessment_id: str
    title: str
    service: str
    version: int
    decided_at: datetime
    level: str | None
    answers: dict[str, Any]
    gaps_open: int


class ActionLine(Strict):
    """One action agreed, done or due in the span, with its plan's title and service."""

    assessment_id: str
    title: str
    service: str
    key: str
    text: str
    strategy_actions: list[str]
    outcomes: list[str]
    status: str
    due: date | None
    done_on: date | None
    evidence: str
    created_at: datetime


class HeldRow(Strict):
    """One review held in the span, or due in it: when it was due and held, its outcome and record (what monitoring
    showed, overall and by group), with the answers of the version it reviewed (the baseline given at assessment)."""

    assessment_id: str
    title: str
    service: str
    version: int
    review_date: date
    held_at: datetime
    outcome: str
    record: dict[str, Any]
    answers: dict[str, Any]


class OpenReview(Strict):
    """A review not yet held whose date falls in the span."""

    assessment_id: str
    title: str
    review_date: date


def _start(day: date) -> datetime:
    return datetime.combine(day, time.min, tzinfo=UTC)


def _answers(plan: object) -> dict[str, Any]:
    answers = plan.get("answers") if isinstance(plan, dict) else None
    return answers if isinstance(answers, dict) else {}


def started(store: StoreBase, since: date, until: date) -> list[datetime]:
    """When each assessment started in the span was created."""
    query = select(AssessmentRow.created_at).where(
        AssessmentRow.created_at >= _start(since), AssessmentRow.created_at < _start(until)
    )
    with store.transaction() as session:
        return list(session.scalars(query))


def approved(store: StoreBase, since: date, until: date) -> list[ApprovedRow]:
    """Every approval decided in the span, oldest first."""
    query = (
        select(ApprovalRow, AssessmentRow.title, AssessmentRow.service, VersionRow.level, VersionRow.plan)
        .join(AssessmentRow, AssessmentRow.id == ApprovalRow.assessment_id)
        .outerjoin(
            VersionRow,
            and_(VersionRow.assessment_id == ApprovalRow.assessment_id, VersionRow.version == ApprovalRow.version),
        )
        .where(
            ApprovalRow.outcome == "approved",
            ApprovalRow.decided_at >= _start(since),
            ApprovalRow.decided_at < _start(until),
        )
        .order_by(ApprovalRow.decided_at, ApprovalRow.id)
    )
    with store.transaction() as session:
        rows = list(session.execute(query))
    return [
        ApprovedRow(
            assessment_id=approval.assessment_id,
            title=title,
            service=service,
            version=approval.version,
            decided_at=approval.decided_at or _start(since),
            level=level,
            answers=_answers(plan),
            gaps_open=sum(
                1 for item in approval.acknowledged or [] if isinstance(item, dict) and item.get("kind") == "gap"
            ),
        )
        for approval, title, service, level, plan in rows
    ]


def actions(store: StoreBase, since: date, until: date) -> list[ActionLine]:
    """Every action agreed (created), done or due in the span."""
    query = (
        select(ActionRow, AssessmentRow.title, AssessmentRow.service)
        .join(AssessmentRow, AssessmentRow.id == ActionRow.assessment_id)
        .where(
            or_(
                and_(ActionRow.created_at >= _start(since), ActionRow.created_at < _start(until)),
                and_(ActionRow.done_on >= since, ActionRow.done_on < until),
                and_(ActionRow.due >= since, ActionRow.due < until),
            )
        )
        .order_by(ActionRow.id)
    )
    with store.transaction() as session:
        rows = list(session.execute(query))
    return [
        ActionLine(
            assessment_id=row.assessment_id,
            title=title,
            service=service,
            key=row.key,
            text=row.text,
            strategy_actions=list(row.strategy_actions or []),
            outcomes=list(row.outcomes or []),
            status=row.status,
            due=row.due,
            done_on=row.done_on,
            evidence=row.evidence,
            created_at=row.created_at,
        )
        for row, title, service in rows
    ]


def held(store: StoreBase, since: date, until: date) -> list[HeldRow]:
    """Every review held in the span or due in it (held at any time), with the answers of the version reviewed."""
    query = (
        select(ReviewOutcomeRow, AssessmentRow.title, AssessmentRow.service, VersionRow.plan)
        .join(AssessmentRow, AssessmentRow.id == ReviewOutcomeRow.assessment_id)
        .outerjoin(
            VersionRow,
            and_(
                VersionRow.assessment_id == ReviewOutcomeRow.assessment_id,
                VersionRow.version == ReviewOutcomeRow.version,
            ),
        )
        .where(
            or_(
                and_(ReviewOutcomeRow.held_at >= _start(since), ReviewOutcomeRow.held_at < _start(until)),
                and_(ReviewOutcomeRow.review_date >= since, ReviewOutcomeRow.review_date < until),
            )
        )
        .order_by(ReviewOutcomeRow.held_at, ReviewOutcomeRow.id)
    )
    with store.transaction() as session:
        rows = list(session.execute(query))
    return [
        HeldRow(
            assessment_id=row.assessment_id,
            title=title,
            service=service,
            version=row.version,
            review_date=row.review_date,
            held_at=row.held_at,
            outcome=row.outcome,
            record=dict(row.record or {}),
            answers=_answers(plan),
        )
        for row, title, service, plan in rows
    ]


def open_reviews(store: StoreBase, since: date, until: date) -> list[OpenReview]:
    """The reviews not yet held (open) whose date falls in the span."""
    query = (
        select(ReviewRow.assessment_id, AssessmentRow.title, ReviewRow.review_date)
        .join(AssessmentRow, AssessmentRow.id == ReviewRow.assessment_id)
        .where(ReviewRow.state == "open", ReviewRow.review_date >= since, ReviewRow.review_date < until)
    )
    with store.transaction() as session:
        return [
            OpenReview(assessment_id=found, title=title, review_date=due)
            for found, title, due in session.execute(query)
        ]


def register_size(store: StoreBase) -> int:
    """How many assessments the register holds (to say a report card of zeros is of an empty register)."""
    with store.transaction() as session:
        return int(session.scalar(select(func.count()).select_from(AssessmentRow)) or 0)
