"""EIA workshops: one row per workshop, and its participants, their scores, the impacts they say were missed and
what the room agreed, each in a table of its own.

A participant writes only their own rows (their scores are keyed by workshop, participant and finding), so many
people scoring at once never touch each other's rows; an agreement carries a revision, so a stale edit is refused.
Everything hangs off the workshop and goes with it (ON DELETE CASCADE); the workshop goes with its assessment.

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-01
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _workshop_id(table: str) -> sa.Column[str]:
    return sa.Column(
        "workshop_id",
        sa.String(32),
        sa.ForeignKey("workshops.id", ondelete="CASCADE", name=f"fk_{table}_workshop_id"),
        nullable=False,
    )


def upgrade() -> None:
    op.create_table(
        "workshops",
        sa.Column("id", sa.String(32), primary_key=True),
        sa.Column("code", sa.String(16), nullable=False),
        sa.Column(
            "assessment_id",
            sa.String(32),
            sa.ForeignKey("assessments.id", ondelete="CASCADE", name="fk_workshops_assessment_id"),
            nullable=False,
        ),
        sa.Column("version", sa.Integer, nullable=False),
        sa.Column("title", sa.String(500), nullable=False),
        sa.Column("facilitator", sa.String(500), nullable=False),
        sa.Column("facilitator_subject", sa.String(200), nullable=False),
        sa.Column("stage", sa.String(16), nullable=False),
        sa.Column("findings", sa.JSON, nullable=False),
        sa.Column("opened_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("revealed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("finalised_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("finalised_version", sa.Integer, nullable=True),
        sa.Column("revision", sa.Integer, nullable=False),
        sa.CheckConstraint("stage IN ('scoring', 'revealed', 'finalised')", name="ck_workshops_stage"),
        sa.UniqueConstraint("code", name="uq_workshops_code"),
    )
    op.create_index("ix_workshops_assessment_id", "workshops", ["assessment_id"])
    op.create_table(
        "workshop_participants",
        _workshop_id("workshop_participants"),
        sa.Column("participant", sa.String(200), nullable=False),
        sa.Column("name", sa.String(500), nullable=False),
        sa.Column("organisation", sa.String(200), nullable=False),
        sa.Column("joined_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("finished_at", sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("workshop_id", "participant"),
    )
    op.create_table(
        "workshop_scores",
        _workshop_id("workshop_scores"),
        sa.Column("participant", sa.String(200), nullable=False),
        sa.Column("finding", sa.String(200), nullable=False),
        sa.Column("verdict", sa.String(16), nullable=False),
        sa.Column("likelihood", sa.Integer, nullable=False),
        sa.Column("severity", sa.Integer, nullable=False),
        sa.Column("comment", sa.String(2000), nullable=False),
        sa.Column("saved_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("workshop_id", "participant", "finding"),
        sa.CheckConstraint("verdict IN ('agree', 'disagree', 'unsure')", name="ck_workshop_scores_verdict"),
        sa.CheckConstraint("likelihood BETWEEN 1 AND 5 AND severity BETWEEN 1 AND 5", name="ck_workshop_scores_range"),
    )
    op.create_table(
        "workshop_missed",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        _workshop_id("workshop_missed"),
        sa.Column("participant", sa.String(200), nullable=False),
        sa.Column("title", sa.String(500), nullable=False),
        sa.Column("groups", sa.JSON, nullable=False),
        sa.Column("reason", sa.String(5000), nullable=False),
        sa.Column("likelihood", sa.Integer, nullable=False),
        sa.Column("severity", sa.Integer, nullable=False),
        sa.Column("direction", sa.String(16), nullable=False),
        sa.Column("added_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_index("ix_workshop_missed_workshop_id", "workshop_missed", ["workshop_id"])
    op.create_table(
        "workshop_consensus",
        _workshop_id("workshop_consensus"),
        sa.Column("key", sa.String(200), nullable=False),
        sa.Column("likelihood", sa.Integer, nullable=False),
        sa.Column("severity", sa.Integer, nullable=False),
        sa.Column("keep", sa.Boolean, nullable=False),
        sa.Column("note", sa.String(2000), nullable=False),
        sa.Column("revision", sa.Integer, nullable=False),
        sa.Column("by", sa.String(500), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("workshop_id", "key"),
    )


def downgrade() -> None:
    op.drop_table("workshop_consensus")
    op.drop_index("ix_workshop_missed_workshop_id", table_name="workshop_missed")
    op.drop_table("workshop_missed")
    op.drop_table("workshop_scores")
    op.drop_table("workshop_participants")
    op.drop_index("ix_workshops_assessment_id", table_name="workshops")
    op.drop_table("workshops")
