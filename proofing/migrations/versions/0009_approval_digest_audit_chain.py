"""Approval binds content, and the audit trail is a hash chain nobody can rewrite unseen.

* ``approvals.digest``: the content digest of the version submitted (proofing.approvals.content_digest), so a
  sign-off is refused if the content changed; back-filled for submissions still awaiting a decision from their
  version as it is now (what the approver would read). ``approvals.submitted_subject``: who submitted it (their
  sign-in identity), so nobody approves their own submission; older rows name nobody.
* ``audit_entries.prev_hash`` and ``audit_entries.hash``: each entry carries the hash of the entry before it and
  its own (proofing.audit_chain); the entries already kept are chained here, oldest first.
* SQLite: a BEFORE INSERT guard refuses an INSERT over an existing entry's id (INSERT OR REPLACE would otherwise
  rewrite the entry: REPLACE fires no delete trigger unless recursive triggers are on).

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-05
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import cast

import sqlalchemy as sa
from alembic import op

revision: str = "0009"
down_revision: str | None = "0008"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

APPEND_ONLY = "the audit trail is append-only: an entry cannot be changed or removed"
NO_REPLACE = (
    "CREATE TRIGGER audit_entries_no_replace BEFORE INSERT ON audit_entries "
    "WHEN EXISTS (SELECT 1 FROM audit_entries WHERE id = NEW.id) "
    f"BEGIN SELECT RAISE(ABORT, '{APPEND_ONLY}'); END"
)


def upgrade() -> None:
    op.add_column("approvals", sa.Column("digest", sa.String(64), nullable=True))
    op.add_column("approvals", sa.Column("submitted_subject", sa.String(200), nullable=True))
    op.add_column("audit_entries", sa.Column("prev_hash", sa.String(64), nullable=True))
    op.add_column("audit_entries", sa.Column("hash", sa.String(64), nullable=True))
    _digest_pending()
    _chain()
    if op.get_bind().dialect.name == "sqlite":
        op.execute(NO_REPLACE)


def _digest_pending() -> None:
    """Keep the digest of every submission still awaiting a decision: its version's content now."""
    from proofing.approvals import content_digest

    connection = op.get_bind()
    pending = sa.text(
        "SELECT a.id, v.plan, v.decisions, v.notes FROM approvals a JOIN versions v "
        "ON v.assessment_id = a.assessment_id AND v.version = a.version WHERE a.outcome = 'submitted'"
    ).columns(plan=sa.JSON, decisions=sa.JSON, notes=sa.JSON)
    for approval_id, plan, decisions, notes in list(connection.execute(pending)):
        connection.execute(
            sa.text("UPDATE approvals SET digest = :digest WHERE id = :id"),
            {"digest": content_digest(plan, decisions or {}, notes), "id": approval_id},
        )


def _chain() -> None:
    """Chain the entries already kept, oldest first, with the append-only trigger set aside for this alone."""
    from proofing.audit_chain import GENESIS, entry_hash
    from proofing.store import AuditRow

    connection = op.get_bind()
    rows = list(connection.execute(sa.select(AuditRow.__table__).order_by(AuditRow.__table__.c.id)))
    if not rows:
        return
    postgresql = connection.dialect.name == "postgresql"
    if postgresql:
        op.execute("ALTER TABLE audit_entries DISABLE TRIGGER audit_entries_no_change")
    else:
        op.execute("DROP TRIGGER audit_entries_no_update")
    prev = GENESIS
    table = cast(sa.Table, AuditRow.__table__)
    for row in rows:
        own = entry_hash(prev, row)
        connection.execute(sa.update(table).where(table.c.id == row.id).values(prev_hash=prev, hash=own))
        prev = own
    if postgresql:
        op.execute("ALTER TABLE audit_entries ENABLE TRIGGER audit_entries_no_change")
    else:
        op.execute(_append_only("UPDATE"))


def downgrade() -> None:
    sqlite = op.get_bind().dialect.name == "sqlite"
    if sqlite:  # a batch copy of the table on SQLite drops its triggers: they are made again after it
        for name in ("no_replace", "no_update", "no_delete"):
            op.execute(f"DROP TRIGGER audit_entries_{name}")
    else:
        op.execute("ALTER TABLE audit_entries DISABLE TRIGGER audit_entries_no_change")
    with op.batch_alter_table("audit_entries") as batch:
        batch.drop_column("hash")
        batch.drop_column("prev_hash")
    if sqlite:
        for event in ("UPDATE", "DELETE"):
            op.execute(_append_only(event))
    else:
        op.execute("ALTER TABLE audit_entries ENABLE TRIGGER audit_entries_no_change")
    with op.batch_alter_table("approvals") as batch:
        batch.drop_column("submitted_subject")
        batch.drop_column("digest")


def _append_only(event: str) -> str:
    """SQLite's trigger refusing every UPDATE or DELETE of an audit entry, as migration 0003 made it."""
    return (
        f"CREATE TRIGGER audit_entries_no_{event.lower()} BEFORE {event} ON audit_entries "
        f"BEGIN SELECT RAISE(ABORT, '{APPEND_ONLY}'); END"
    )
