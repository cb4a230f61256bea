"""After the decision: the actions an approval commits to, and the review of each approved assessment.

* ``followup_actions``: one row per assessment and mitigation key: the wording approved, the finding and strategy
  actions it draws on, its owner (words and sign-in identity), due date, status (not started, under way, done with
  evidence and date, dropped with a reason) and revision (proofing.actions).
* ``followup_reviews``: the one review of an approved assessment: the version approved, its review date, its state
  (open, revising, closed), who approved it, and the level, rule base and findings at approval (proofing.review).
* ``followup_review_outcomes``: each review held: what monitoring showed, what changed since approval, the outcome.

Assessments approved before this migration have no follow-up: nothing here can work out, without the rule base,
which of their mitigations were committed to; their next approval opens it.

Revision ID: 0014
Revises: 0012
Create Date: 2026-12-05
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0014"
down_revision: str | None = "0012"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _assessment(name: str) -> sa.Column[str]:
    return sa.Column(
        "assessment_id",
        sa.String(32),
        sa.ForeignKey("assessments.id", ondelete="CASCADE", name=f"fk_{name}_assessment_id"),
        nullable=False,
    )


def upgrade() -> None:
    op.create_table(
        "followup_actions",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        _assessment("followup_actions"),
        sa.Column("key", sa.String(200), nullable=False),
        sa.Column("version", sa.Integer, nullable=False),
        sa.Column("finding_rule", sa.String(200), nullable=False),
        sa.Column("finding_title", sa.String(500), nullable=False),
        sa.Column("text", sa.String(5000), nullable=False),
        sa.Column("adapted", sa.Boolean, nullable=False),
        sa.Column("strategy_actions", sa.JSON, nullable=False),
        sa.Column("outcomes", sa.JSON, nullable=False),
        sa.Column("owner", sa.String(500), nullable=False),
        sa.Column("owner_subject", sa.String(200), nullable=False),
        sa.Column("due", sa.Date, nullable=True),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("evidence", sa.String(5000), nullable=False),
        sa.Column("done_on", sa.Date, nullable=True),
        sa.Column("reason", sa.String(5000), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_by", sa.String(500), nullable=False),
        sa.Column("revision", sa.Integer, nullable=False),
        sa.CheckConstraint(
            "status IN ('not_started', 'under_way', 'done', 'dropped')", name="ck_followup_actions_status"
        ),
        sa.UniqueConstraint("assessment_id", "key", name="uq_followup_actions_assessment_id_key"),
    )
    op.create_index("ix_followup_actions_owner_subject", "followup_actions", ["owner_subject"])
    op.create_index("ix_followup_actions_due", "followup_actions", ["due"])
    op.create_table(
        "followup_reviews",
        sa.Column(
            "assessment_id",
            sa.String(32),
            sa.ForeignKey("assessments.id", ondelete="CASCADE", name="fk_followup_reviews_assessment_id"),
            primary_key=True,
        ),
        sa.Column("version", sa.Integer, nullable=False),
        sa.Column("review_date", sa.Date, nullable=False),
        sa.Column("state", sa.String(16), nullable=False),
        sa.Column("approved_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("approver", sa.String(500), nullable=False),
        sa.Column("approver_subject", sa.String(200), nullable=True),
        sa.Column("level", sa.String(64), nullable=True),
        sa.Column("rule_base", sa.String(200), nullable=False),
        sa.Column("findings", sa.JSON, nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint("state IN ('open', 'revising', 'closed')", name="ck_followup_reviews_state"),
    )
    op.create_index("ix_followup_reviews_review_date", "followup_reviews", ["review_date"])
    op.create_table(
        "followup_review_outcomes",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        _assessment("followup_review_outcomes"),
        sa.Column("version", sa.Integer, nullable=False),
        sa.Column("review_date", sa.Date, nullable=False),
        sa.Column("held_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("held_by", sa.String(500), nullable=False),
        sa.Column("held_subject", sa.String(200), nullable=True),
        sa.Column("outcome", sa.String(16), nullable=False),
        sa.Column("record", sa.JSON, nullable=False),
        sa.Column("revised_assessment", sa.String(32), nullable=True),
        sa.Column("revised_version", sa.Integer, nullable=True),
        sa.CheckConstraint("outcome IN ('confirmed', 'revised', 'closed')", name="ck_followup_review_outcomes_outcome"),
    )
    op.create_index("ix_followup_review_outcomes_assessment_id", "followup_review_outcomes", ["assessment_id"])


def downgrade() -> None:
    op.drop_table("followup_review_outcomes")
    op.drop_table("followup_reviews")
    op.drop_table("followup_actions")
