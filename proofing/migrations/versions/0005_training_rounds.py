"""Training results: each round a trainee submitted, for their own page and the trainer's cohort view.

One row per round: who (the sign-in subject and the name as shown), their service or partner organisation, the
case, the prediction (JSON), the score out of 100, and the rule ids found, missed and over-called (JSON lists), and
when. Rounds are only ever added; the audit trail records each one.

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-01
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "training_rounds",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("subject", sa.String(200), nullable=False),
        sa.Column("who", sa.String(500), nullable=False),
        sa.Column("organisation", sa.String(200), nullable=False),
        sa.Column("case_id", sa.String(200), nullable=False),
        sa.Column("prediction", sa.JSON, nullable=False),
        sa.Column("score", sa.Integer, nullable=False),
        sa.Column("found", sa.JSON, nullable=False),
        sa.Column("missed", sa.JSON, nullable=False),
        sa.Column("over_called", sa.JSON, nullable=False),
    )
    op.create_index("ix_training_rounds_subject", "training_rounds", ["subject"])


def downgrade() -> None:
    op.drop_index("ix_training_rounds_subject", table_name="training_rounds")
    op.drop_table("training_rounds")
