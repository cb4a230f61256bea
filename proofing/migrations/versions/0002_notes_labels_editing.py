"""Versions carry decision notes, a checkpoint name, the editing session that saved them and a revision.

* ``notes``: what a decision cannot hold yet (a reason for rejecting, adapted wording, a manager's own
  mitigations, findings set aside with a reason); see ``proofing.store.DecisionNotes``.
* ``label``: a named checkpoint ("sent to workshop") or what made the version ("Restored from version 2").
* ``editing``: the editing session whose autosaves amend this version instead of adding one per click.
* ``revision``: how many times the version was amended; every save names it, so an amendment is never lost.

Revision ID: 0002
Revises: 0001
Create Date: 2026-12-01
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("versions") as batch:
        batch.add_column(sa.Column("notes", sa.JSON, nullable=True))
        batch.add_column(sa.Column("label", sa.String(200), nullable=True))
        batch.add_column(sa.Column("editing", sa.String(64), nullable=True))
        batch.add_column(sa.Column("revision", sa.Integer, nullable=False, server_default="0"))


def downgrade() -> None:
    with op.batch_alter_table("versions") as batch:
        batch.drop_column("revision")
        batch.drop_column("editing")
        batch.drop_column("label")
        batch.drop_column("notes")
