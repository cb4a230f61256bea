"""The name local mode's one user gave, so every audit entry, history and record names them, not "Local user".

With no sign-in nobody's name comes from an identity provider; the person at the machine gives theirs once (the
app asks in the sidebar) and it is kept here, by subject (local mode's is "local"), for every page and visit.

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-05
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0012"
down_revision: str | None = "0011"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "user_names",
        sa.Column("subject", sa.String(200), primary_key=True),
        sa.Column("name", sa.String(100), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
    )


def downgrade() -> None:
    op.drop_table("user_names")
