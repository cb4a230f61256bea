"""Sign-off as a real step: an assessment submitted for approval, and the approver's decision on that version.

One row per submission: the version submitted, who submitted it and when, and (once decided) the outcome
(approved, or sent back with comments), who decided and when, the decision actually taken (which may differ from
the tool's advice), the reasons, the conditions and the review date. Only an approval makes an assessment final.

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-01
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "approvals",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column(
            "assessment_id",
            sa.String(32),
            sa.ForeignKey("assessments.id", ondelete="CASCADE", name="fk_approvals_assessment_id"),
            nullable=False,
        ),
        sa.Column("version", sa.Integer, nullable=False),
        sa.Column("outcome", sa.String(16), nullable=False),
        sa.Column("submitted_by", sa.String(500), nullable=False),
        sa.Column("submitted_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("decided_by", sa.String(500), nullable=True),
        sa.Column("decided_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("decision", sa.JSON, nullable=True),
        sa.CheckConstraint("outcome IN ('submitted', 'approved', 'sent_back')", name="ck_approvals_outcome"),
    )
    op.create_index("ix_approvals_assessment_id", "approvals", ["assessment_id"])


def downgrade() -> None:
    op.drop_index("ix_approvals_assessment_id", table_name="approvals")
    op.drop_table("approvals")
