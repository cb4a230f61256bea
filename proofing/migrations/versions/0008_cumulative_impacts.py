"""The cumulative index: each assessment's latest version's negatively affected groups, by ward, for counting.

A derived table (proofing.store.CumulativeRow): one row per (assessment, group, ward or '') with the latest
version, the highest negative score on the group, the level, status, service, title, the plan's date and its
quarter. The store rewrites an assessment's rows in the transaction of every save; this migration back-fills them
for the assessments already kept, assessing each latest plan with the rule base the app serves.

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-08
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime
from typing import cast

import sqlalchemy as sa
from alembic import op

revision: str = "0008"
down_revision: str | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _utc(value: datetime) -> datetime:
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


def upgrade() -> None:
    op.create_table(
        "cumulative_impacts",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column(
            "assessment_id",
            sa.String(32),
            sa.ForeignKey("assessments.id", ondelete="CASCADE", name="fk_cumulative_impacts_assessment_id"),
            nullable=False,
        ),
        sa.Column("version", sa.Integer, nullable=False),
        sa.Column("group_id", sa.String(200), nullable=False),
        sa.Column("ward", sa.String(200), nullable=False),
        sa.Column("highest_score", sa.Integer, nullable=False),
        sa.Column("level", sa.String(64), nullable=True),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("service", sa.String(500), nullable=False),
        sa.Column("title", sa.String(500), nullable=False),
        sa.Column("dated", sa.DateTime(timezone=True), nullable=False),
        sa.Column("quarter", sa.String(8), nullable=False),
    )
    op.create_index("ix_cumulative_impacts_assessment_id", "cumulative_impacts", ["assessment_id"])
    op.create_index("ix_cumulative_impacts_dated_group", "cumulative_impacts", ["dated", "group_id"])
    op.create_index("ix_cumulative_impacts_group_ward", "cumulative_impacts", ["group_id", "ward"])
    _backfill()


def _backfill() -> None:
    """Index every assessment's latest version (assessed with the rule base the app serves)."""
    from pydantic import ValidationError

    from proofing.plan import Plan
    from proofing.service import cumulative_entries, default_rule_base
    from proofing.store import CumulativeRow, UTCDateTime

    connection = op.get_bind()
    latest = sa.text(
        "SELECT a.id, a.status, a.service, a.title, v.version, v.plan, v.notes, v.level, v.saved_at "
        "FROM assessments a JOIN versions v ON v.assessment_id = a.id "
        "WHERE v.version = (SELECT MAX(w.version) FROM versions w WHERE w.assessment_id = a.id)"
    ).columns(plan=sa.JSON, notes=sa.JSON, saved_at=UTCDateTime())
    found = list(connection.execute(latest))
    if not found:
        return
    kb = default_rule_base()
    rows = []
    for assessment_id, status, service, title, version, plan_data, notes, level, saved_at in found:
        try:
            plan = Plan.model_validate(plan_data)
        except ValidationError:
            continue
        for entry in cumulative_entries(kb, plan, notes, _utc(saved_at)):
            rows.append(
                {
                    "assessment_id": assessment_id,
                    "version": version,
                    "level": level,
                    "status": status,
                    "service": service,
                    "title": title,
                    **entry,
                }
            )
    if rows:
        connection.execute(sa.insert(cast(sa.Table, CumulativeRow.__table__)), rows)


def downgrade() -> None:
    op.drop_table("cumulative_impacts")
