"""What a person chose for themselves: the language of the app and of their records (Welsh or English).

One row per sign-in subject (local mode: the one local user), kept so the choice holds on every page and every
later visit.

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-01
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0007"
down_revision: str | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "user_settings",
        sa.Column("subject", sa.String(200), primary_key=True),
        sa.Column("language", sa.String(8), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint("language IN ('cy', 'en')", name="ck_user_settings_language"),
    )


def downgrade() -> None:
    op.drop_table("user_settings")
