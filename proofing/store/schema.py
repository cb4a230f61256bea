"""The store's tables as the ORM sees them (created and changed only by proofing/migrations, never create_all)."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any, Literal

from sqlalchemy import (
    JSON,
    Boolean,
    CheckConstraint,
    DateTime,
    Dialect,
    ForeignKey,
    Index,
    Integer,
    String,
    UniqueConstraint,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, MappedColumn, mapped_column
from sqlalchemy.types import TypeDecorator

from proofing.models import (
    LOCAL_SUBJECT,
)


class UTCDateTime(TypeDecorator[datetime]):
    """A timezone-aware UTC datetime on every database (SQLite keeps no zone: it stores naive UTC)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("a naive datetime cannot be stored; give it a timezone")
        value = value.astimezone(UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


class Base(DeclarativeBase):
    """The store's tables; Alembic compares its migrations against this metadata."""


def _serial() -> MappedColumn[int]:
    """A table's own row number: an integer primary key the database counts up."""
    return mapped_column(Integer, primary_key=True, autoincrement=True)


def _belongs_to(
    parent: Literal["assessment", "workshop"], table: str, *, primary_key: bool = False
) -> MappedColumn[str]:
    """The column `<parent>_id` of a row that belongs to an assessment or a workshop: deleted with it (ON DELETE
    CASCADE), its foreign key named ``fk_<table>_<parent>_id`` as the migrations name it."""
    return mapped_column(
        String(32),
        ForeignKey(f"{parent}s.id", ondelete="CASCADE", name=f"fk_{table}_{parent}_id"),
        primary_key=primary_key,
    )


class AssessmentRow(Base):
    """One assessment: the fields lists and filters need, copied from its latest version."""

    __tablename__ = "assessments"
    __table_args__ = (
        CheckConstraint("status IN ('draft', 'final')", name="ck_assessments_status"),
        Index("ix_assessments_updated_at", "updated_at"),
        Index("ix_assessments_service", "service"),
    )

    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    title: Mapped[str] = mapped_column(String(500))
    service: Mapped[str] = mapped_column(String(500))
    owner: Mapped[str] = mapped_column(String(500))
    status: Mapped[str] = mapped_column(String(16))
    level: Mapped[str | None] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime())
    owner_subject: Mapped[str] = mapped_column(String(200), server_default=LOCAL_SUBJECT, default=LOCAL_SUBJECT)


class VersionRow(Base):
    """One saved version of an assessment: the plan and decisions as JSON, the level at save time."""

    __tablename__ = "versions"
    __table_args__ = (UniqueConstraint("assessment_id", "version", name="uq_versions_assessment_id_version"),)

    id: Mapped[int] = _serial()
    assessment_id: Mapped[str] = _belongs_to("assessment", __tablename__)
    version: Mapped[int] = mapped_column(Integer)
    plan: Mapped[dict[str, Any]] = mapped_column(JSON)
    decisions: Mapped[dict[str, dict[str, str]]] = mapped_column(JSON)
    level: Mapped[str | None] = mapped_column(String(64))
    saved_at: Mapped[datetime] = mapped_column(UTCDateTime())
    notes: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    label: Mapped[str | None] = mapped_column(String(200))
    editing: Mapped[str | None] = mapped_column(String(64))
    revision: Mapped[int] = mapped_column(Integer, server_default="0", default=0)


class ShareRow(Base):
    """An assessment shared with a colleague (by subject): they may work on it as its owner can."""

    __tablename__ = "shares"

    assessment_id: Mapped[str] = _belongs_to("assessment", __tablename__, primary_key=True)
    subject: Mapped[str] = mapped_column(String(200), primary_key=True)
    shared_at: Mapped[datetime] = mapped_column(UTCDateTime())


class RoleAssignmentRow(Base):
    """A role an administrator gave a subject in the app, added to the roles the identity provider gives."""

    __tablename__ = "role_assignments"

    subject: Mapped[str] = mapped_column(String(200), primary_key=True)
    role: Mapped[str] = mapped_column(String(32), primary_key=True)
    assigned_at: Mapped[datetime] = mapped_column(UTCDateTime())


class AuditRow(Base):
    """One audit entry. The database refuses UPDATE and DELETE on this table (a trigger; migration 0003)."""

    __tablename__ = "audit_entries"
    __table_args__ = (Index("ix_audit_entries_assessment_id", "assessment_id"),)

    id: Mapped[int] = _serial()
    at: Mapped[datetime] = mapped_column(UTCDateTime())
    subject: Mapped[str] = mapped_column(String(200))
    who: Mapped[str] = mapped_column(String(500))
    action: Mapped[str] = mapped_column(String(64))
    assessment_id: Mapped[str | None] = mapped_column(String(32))
    version: Mapped[int | None] = mapped_column(Integer)
    detail: Mapped[str] = mapped_column(String(2000))
    prev_hash: Mapped[str | None] = mapped_column(String(64))  # the hash chain (proofing.audit_chain; 0009)
    hash: Mapped[str | None] = mapped_column(String(64))


class ApprovalRow(Base):
    """One submission of a version for approval and, once decided, the approver's sign-off (as SignOff JSON)."""

    __tablename__ = "approvals"
    __table_args__ = (
        CheckConstraint("outcome IN ('submitted', 'approved', 'sent_back')", name="ck_approvals_outcome"),
        Index("ix_approvals_assessment_id", "assessment_id"),
    )

    id: Mapped[int] = _serial()
    assessment_id: Mapped[str] = _belongs_to("assessment", __tablename__)
    version: Mapped[int] = mapped_column(Integer)
    outcome: Mapped[str] = mapped_column(String(16))
    submitted_by: Mapped[str] = mapped_column(String(500))
    submitted_at: Mapped[datetime] = mapped_column(UTCDateTime())
    decided_by: Mapped[str | None] = mapped_column(String(500))
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    decision: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    digest: Mapped[str | None] = mapped_column(String(64))  # the content submitted (proofing.approvals; 0009)
    submitted_subject: Mapped[str | None] = mapped_column(String(200))
    acknowledged: Mapped[list[Any] | None] = mapped_column(JSON)  # the open items acknowledged (0011)
    also_affected: Mapped[list[Any] | None] = mapped_column(JSON)  # the cumulative impact at approval (0011)


class TrainingRoundRow(Base):
    """One training round a trainee submitted: who, their service or partner organisation, the case, what they
    predicted, the score and the rule ids found, missed and over-called (JSON lists), and when."""

    __tablename__ = "training_rounds"
    __table_args__ = (Index("ix_training_rounds_subject", "subject"),)

    id: Mapped[int] = _serial()
    at: Mapped[datetime] = mapped_column(UTCDateTime())
    subject: Mapped[str] = mapped_column(String(200))
    who: Mapped[str] = mapped_column(String(500))
    organisation: Mapped[str] = mapped_column(String(200))
    case_id: Mapped[str] = mapped_column(String(200))
    prediction: Mapped[dict[str, Any]] = mapped_column(JSON)
    score: Mapped[int] = mapped_column(Integer)
    found: Mapped[list[str]] = mapped_column(JSON)
    missed: Mapped[list[str]] = mapped_column(JSON)
    over_called: Mapped[list[str]] = mapped_column(JSON)


class WorkshopRow(Base):
    """One EIA workshop on one version of a draft: its join code, facilitator, stage and the findings it scores."""

    __tablename__ = "workshops"
    __table_args__ = (
        CheckConstraint("stage IN ('scoring', 'revealed', 'finalised')", name="ck_workshops_stage"),
        UniqueConstraint("code", name="uq_workshops_code"),
        Index("ix_workshops_assessment_id", "assessment_id"),
    )

    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    code: Mapped[str] = mapped_column(String(16))
    assessment_id: Mapped[str] = _belongs_to("assessment", __tablename__)
    version: Mapped[int] = mapped_column(Integer)
    title: Mapped[str] = mapped_column(String(500))
    facilitator: Mapped[str] = mapped_column(String(500))
    facilitator_subject: Mapped[str] = mapped_column(String(200))
    stage: Mapped[str] = mapped_column(String(16))
    findings: Mapped[list[dict[str, Any]]] = mapped_column(JSON)
    opened_at: Mapped[datetime] = mapped_column(UTCDateTime())
    revealed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    finalised_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    finalised_version: Mapped[int | None] = mapped_column(Integer)
    revision: Mapped[int] = mapped_column(Integer, default=0)


class WorkshopParticipantRow(Base):
    """Someone who joined a workshop, with their service or partner organisation; `finished_at` once they said so."""

    __tablename__ = "workshop_participants"

    workshop_id: Mapped[str] = _belongs_to("workshop", __tablename__, primary_key=True)
    participant: Mapped[str] = mapped_column(String(200), primary_key=True)
    name: Mapped[str] = mapped_column(String(500))
    organisation: Mapped[str] = mapped_column(String(200))
    joined_at: Mapped[datetime] = mapped_column(UTCDateTime())
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime())


class WorkshopScoreRow(Base):
    """One participant's score of one finding. Each participant writes only their own rows."""

    __tablename__ = "workshop_scores"
    __table_args__ = (
        CheckConstraint("verdict IN ('agree', 'disagree', 'unsure')", name="ck_workshop_scores_verdict"),
        CheckConstraint("likelihood BETWEEN 1 AND 5 AND severity BETWEEN 1 AND 5", name="ck_workshop_scores_range"),
    )

    workshop_id: Mapped[str] = _belongs_to("workshop", __tablename__, primary_key=True)
    participant: Mapped[str] = mapped_column(String(200), primary_key=True)
    finding: Mapped[str] = mapped_column(String(200), primary_key=True)
    verdict: Mapped[str] = mapped_column(String(16))
    likelihood: Mapped[int] = mapped_column(Integer)
    severity: Mapped[int] = mapped_column(Integer)
    comment: Mapped[str] = mapped_column(String(2000))
    saved_at: Mapped[datetime] = mapped_column(UTCDateTime())


class WorkshopMissedRow(Base):
    """An impact a participant thinks the rules missed: which groups (JSON list of ids), why, how likely and serious."""

    __tablename__ = "workshop_missed"
    __table_args__ = (Index("ix_workshop_missed_workshop_id", "workshop_id"),)

    id: Mapped[int] = _serial()
    workshop_id: Mapped[str] = _belongs_to("workshop", __tablename__)
    participant: Mapped[str] = mapped_column(String(200))
    title: Mapped[str] = mapped_column(String(500))
    groups: Mapped[list[str]] = mapped_column(JSON)
    reason: Mapped[str] = mapped_column(String(5000))
    likelihood: Mapped[int] = mapped_column(Integer)
    severity: Mapped[int] = mapped_column(Integer)
    direction: Mapped[str] = mapped_column(String(16))
    added_at: Mapped[datetime] = mapped_column(UTCDateTime())


class WorkshopConsensusRow(Base):
    """What the room agreed about one finding or missed impact; `revision` rises with every edit (stale refused)."""

    __tablename__ = "workshop_consensus"

    workshop_id: Mapped[str] = _belongs_to("workshop", __tablename__, primary_key=True)
    key: Mapped[str] = mapped_column(String(200), primary_key=True)
    likelihood: Mapped[int] = mapped_column(Integer)
    severity: Mapped[int] = mapped_column(Integer)
    keep: Mapped[bool] = mapped_column(Boolean)
    note: Mapped[str] = mapped_column(String(2000))
    revision: Mapped[int] = mapped_column(Integer)
    by: Mapped[str] = mapped_column(String(500))
    at: Mapped[datetime] = mapped_column(UTCDateTime())


class UserSettingRow(Base):
    """What a person chose for themselves (for now, the language of the app and their records), by subject."""

    __tablename__ = "user_settings"
    __table_args__ = (CheckConstraint("language IN ('cy', 'en')", name="ck_user_settings_language"),)

    subject: Mapped[str] = mapped_column(String(200), primary_key=True)
    language: Mapped[str] = mapped_column(String(8))
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime())


class UserNameRow(Base):
    """The name a person gave for themselves where no sign-in names them (local mode's one user), by subject."""

    __tablename__ = "user_names"

    subject: Mapped[str] = mapped_column(String(200), primary_key=True)
    name: Mapped[str] = mapped_column(String(100))
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime())


class CumulativeRow(Base):
    """Derived: one negatively affected group (and ward, or '' for none) of an assessment's latest version.

    Kept equal to the latest version in the transaction of every write that makes or amends a version or changes
    the status (``Store._index``), so the cumulative view (proofing.cumulative) counts by SQL instead of assessing
    every plan. `dated` is the plan's own date (a start or decision date) when it has one, else the version's save
    time; `quarter` ("2026 Q4") is taken from it.
    """

    __tablename__ = "cumulative_impacts"
    __table_args__ = (
        Index("ix_cumulative_impacts_assessment_id", "assessment_id"),
        Index("ix_cumulative_impacts_dated_group", "dated", "group_id"),
        Index("ix_cumulative_impacts_group_ward", "group_id", "ward"),
    )

    id: Mapped[int] = _serial()
    assessment_id: Mapped[str] = _belongs_to("assessment", __tablename__)
    version: Mapped[int] = mapped_column(Integer)
    group_id: Mapped[str] = mapped_column(String(200))
    ward: Mapped[str] = mapped_column(String(200))
    highest_score: Mapped[int] = mapped_column(Integer)
    level: Mapped[str | None] = mapped_column(String(64))
    status: Mapped[str] = mapped_column(String(16))
    service: Mapped[str] = mapped_column(String(500))
    title: Mapped[str] = mapped_column(String(500))
    dated: Mapped[datetime] = mapped_column(UTCDateTime())
    quarter: Mapped[str] = mapped_column(String(8))
