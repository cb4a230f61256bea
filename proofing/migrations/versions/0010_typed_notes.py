"""Version notes become typed JSON: a workshop's scores as numbers, its flags as true/false, groups as a list.

Until now ``versions.notes`` held three levels of text (kind -> key -> field -> text), so an agreed likelihood
was kept as "3", a kept finding as "True" and an added impact's groups as "age,sex". Each version's notes are read
as the typed model (proofing.decisions.DecisionNotes) and written back as proofing.models.notes_json gives them
(every field of each entry; a mitigation note that says nothing dropped). Notes that no longer read as the model
are left as they were (the store then says the version's notes no longer read, rather than guessing).

A submission's content digest (migration 0009) covers the notes, so a digest that matched its version's content
before is recomputed from the converted content; one that did not match stays as it was, still refusing.

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-05
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import sqlalchemy as sa
from alembic import op

revision: str = "0010"
down_revision: str | None = "0009"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

Notes = dict[str, Any]

VERSIONS = sa.table(
    "versions",
    sa.column("id", sa.Integer),
    sa.column("assessment_id", sa.String),
    sa.column("version", sa.Integer),
    sa.column("plan", sa.JSON),
    sa.column("decisions", sa.JSON),
    sa.column("notes", sa.JSON),
)
APPROVALS = sa.table(
    "approvals",
    sa.column("id", sa.Integer),
    sa.column("assessment_id", sa.String),
    sa.column("version", sa.Integer),
    sa.column("digest", sa.String),
)


def typed(notes: Notes) -> Notes | None:
    """Text notes as typed JSON, or None when they do not read as the model (left as they are)."""
    from pydantic import ValidationError

    from proofing.models import notes_json, typed_notes

    try:
        return notes_json(typed_notes(notes))
    except (ValidationError, ValueError):
        return None


def as_text(notes: Notes) -> Notes:
    """Typed notes as the three levels of text older code kept: "3", "True", "age,sex"."""

    def text(value: Any) -> str:
        return ",".join(str(part) for part in value) if isinstance(value, list) else str(value)

    return {
        kind: {key: {name: text(value) for name, value in fields.items()} for key, fields in entries.items()}
        for kind, entries in notes.items()
        if isinstance(entries, dict)
    }


def convert(change: Callable[[Notes], Notes | None]) -> None:
    """Rewrite every version's notes with `change`, and recompute each digest that matched the old content."""
    from proofing.approvals import content_digest

    connection = op.get_bind()
    rows = connection.execute(
        sa.select(
            VERSIONS.c.id,
            VERSIONS.c.assessment_id,
            VERSIONS.c.version,
            VERSIONS.c.plan,
            VERSIONS.c.decisions,
            VERSIONS.c.notes,
        )
    ).all()
    digests: dict[tuple[str, int], list[tuple[int, str]]] = {}
    for approval in connection.execute(sa.select(APPROVALS).where(APPROVALS.c.digest.is_not(None))):
        digests.setdefault((approval.assessment_id, approval.version), []).append((approval.id, approval.digest))
    for row in rows:
        old = row.notes or {}
        new = change(old)
        if new is None or new == old:
            continue
        connection.execute(sa.update(VERSIONS).where(VERSIONS.c.id == row.id).values(notes=new))
        before, after = (content_digest(row.plan, row.decisions or {}, notes) for notes in (old, new))
        for approval_id, digest in digests.get((row.assessment_id, row.version), []):
            if digest == before:
                connection.execute(sa.update(APPROVALS).where(APPROVALS.c.id == approval_id).values(digest=after))


def upgrade() -> None:
    convert(typed)


def downgrade() -> None:
    convert(as_text)
