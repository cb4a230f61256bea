"""Reminders: who was sent which reminder (so none goes twice, whatever number of processes run), and the e-mail
address each person signed in with (so a reminder reaches them).

* ``reminders_sent``: one row per reminder (item kind, item id, stage, recipient address), unique on those four. A
  process claims a row (state "claimed") in a transaction of its own before sending, marks it "sent" after the
  relay took the message, or "failed" (with the relay's words) when it did not: a failed row is claimed again by a
  later run, a sent one never (proofing.store.reminding).
* ``people_contacts``: a person's name and e-mail address by sign-in subject, as their identity provider last gave
  them at sign-in.

Revision ID: 0015
Revises: 0014 (the follow-up tables)
Create Date: 2026-12-05
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0015"
down_revision: str | None = "0014"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "reminders_sent",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("item_id", sa.String(100), nullable=False),
        sa.Column("stage", sa.String(16), nullable=False),
        sa.Column("recipient", sa.String(320), nullable=False),
        sa.Column("state", sa.String(16), nullable=False),
        sa.Column("claimed_by", sa.String(64), nullable=False),
        sa.Column("claimed_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("sent_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("attempts", sa.Integer, nullable=False),
        sa.Column("last_error", sa.String(500), nullable=False),
        sa.CheckConstraint("state IN ('claimed', 'sent', 'failed')", name="ck_reminders_sent_state"),
        sa.CheckConstraint("stage IN ('due', 'overdue')", name="ck_reminders_sent_stage"),
        sa.UniqueConstraint("kind", "item_id", "stage", "recipient", name="uq_reminders_sent_reminder"),
    )
    op.create_table(
        "people_contacts",
        sa.Column("subject", sa.String(200), primary_key=True),
        sa.Column("name", sa.String(500), nullable=False),
        sa.Column("email", sa.String(320), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
    )


def downgrade() -> None:
    op.drop_table("people_contacts")
    op.drop_table("reminders_sent")
