"""Who is who: each assessment's owner, shares, roles an administrator assigned, and an append-only audit trail.

* ``assessments.owner_subject``: the identity provider's subject of the person who created the assessment;
  rows made before sign-in existed belong to the local user (``local``), as local mode acted as that one user.
* ``shares``: an assessment shared with a colleague (by subject), who may then work on it as its owner can.
* ``role_assignments``: roles an administrator gave a subject in the app, added to the identity provider's.
* ``audit_entries``: who did what and when. Append-only in the database itself, not only in the code: a
  trigger refuses every UPDATE and DELETE (and, on PostgreSQL, TRUNCATE), on SQLite and PostgreSQL alike.

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-01
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

APPEND_ONLY = "the audit trail is append-only: an entry cannot be changed or removed"


def upgrade() -> None:
    with op.batch_alter_table("assessments") as batch:
        batch.add_column(sa.Column("owner_subject", sa.String(200), nullable=False, server_default="local"))
    op.create_table(
        "shares",
        sa.Column(
            "assessment_id",
            sa.String(32),
            sa.ForeignKey("assessments.id", ondelete="CASCADE", name="fk_shares_assessment_id"),
            primary_key=True,
        ),
        sa.Column("subject", sa.String(200), primary_key=True),
        sa.Column("shared_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_table(
        "role_assignments",
        sa.Column("subject", sa.String(200), primary_key=True),
        sa.Column("role", sa.String(32), primary_key=True),
        sa.Column("assigned_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_table(
        "audit_entries",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("subject", sa.String(200), nullable=False),
        sa.Column("who", sa.String(500), nullable=False),
        sa.Column("action", sa.String(64), nullable=False),
        sa.Column("assessment_id", sa.String(32), nullable=True),
        sa.Column("version", sa.Integer, nullable=True),
        sa.Column("detail", sa.String(2000), nullable=False),
    )
    op.create_index("ix_audit_entries_assessment_id", "audit_entries", ["assessment_id"])
    if op.get_bind().dialect.name == "postgresql":
        op.execute(
            "CREATE FUNCTION audit_entries_append_only() RETURNS trigger LANGUAGE plpgsql AS "
            f"$$ BEGIN RAISE EXCEPTION '{APPEND_ONLY}'; END $$"
        )
        op.execute(
            "CREATE TRIGGER audit_entries_no_change BEFORE UPDATE OR DELETE ON audit_entries "
            "FOR EACH ROW EXECUTE FUNCTION audit_entries_append_only()"
        )
        op.execute(
            "CREATE TRIGGER audit_entries_no_truncate BEFORE TRUNCATE ON audit_entries "
            "FOR EACH STATEMENT EXECUTE FUNCTION audit_entries_append_only()"
        )
    else:
        for event in ("UPDATE", "DELETE"):
            op.execute(
                f"CREATE TRIGGER audit_entries_no_{event.lower()} BEFORE {event} ON audit_entries "
                f"BEGIN SELECT RAISE(ABORT, '{APPEND_ONLY}'); END"
            )


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP TRIGGER audit_entries_no_truncate ON audit_entries")
        op.execute("DROP TRIGGER audit_entries_no_change ON audit_entries")
        op.execute("DROP FUNCTION audit_entries_append_only()")
    else:
        op.execute("DROP TRIGGER audit_entries_no_delete")
        op.execute("DROP TRIGGER audit_entries_no_update")
    op.drop_index("ix_audit_entries_assessment_id", table_name="audit_entries")
    op.drop_table("audit_entries")
    op.drop_table("role_assignments")
    op.drop_table("shares")
    with op.batch_alter_table("assessments") as batch:
        batch.drop_column("owner_subject")
