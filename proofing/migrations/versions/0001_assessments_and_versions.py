"""Assessments and their saved versions.

Revision ID: 0001
Revises:
Create Date: 2025-11-23
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0001"
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "assessments",
        sa.Column("id", sa.String(32), primary_key=True),
        sa.Column("title", sa.String(500), nullable=False),
        sa.Column("service", sa.String(500), nullable=False),
        sa.Column("owner", sa.String(500), nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("level", sa.String(64), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint("status IN ('draft', 'final')", name="ck_assessments_status"),
    )
    op.create_index("ix_assessments_updated_at", "assessments", ["updated_at"])
    op.create_index("ix_assessments_service", "assessments", ["service"])
    op.create_table(
        "versions",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column(
            "assessment_id",
            sa.String(32),
            sa.ForeignKey("assessments.id", ondelete="CASCADE", name="fk_versions_assessment_id"),
            nullable=False,
        ),
        sa.Column("version", sa.Integer, nullable=False),
        sa.Column("plan", sa.JSON, nullable=False),
        sa.Column("decisions", sa.JSON, nullable=False),
        sa.Column("level", sa.String(64), nullable=True),
        sa.Column("saved_at", sa.DateTime(timezone=True), nullable=False),
        sa.UniqueConstraint("assessment_id", "version", name="uq_versions_assessment_id_version"),
    )


def downgrade() -> None:
    op.drop_table("versions")
    op.drop_index("ix_assessments_service", table_name="assessments")
    op.drop_index("ix_assessments_updated_at", table_name="assessments")
    op.drop_table("assessments")
