"""What an approval keeps beside the decision: the open items the approver acknowledged, and the cumulative impact.

* ``approvals.acknowledged``: the undecided mitigations and open high-severity gaps the sign-off listed and the
  approver acknowledged, one by one (proofing.approvals.Acknowledgement as JSON; proofing.signoff says which).
* ``approvals.also_affected``: the cumulative impact (the other live assessments hitting the same groups) as it
  stood at approval, so the record of an approved version says what the approver saw, not what the register says
  later (a reopened draft of the same plan would otherwise count against it).

Approvals made before this migration keep neither (NULL): their records work them out as before.

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-05
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0011"
down_revision: str | None = "0010"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column("approvals", sa.Column("acknowledged", sa.JSON(), nullable=True))
    op.add_column("approvals", sa.Column("also_affected", sa.JSON(), nullable=True))


def downgrade() -> None:
    op.drop_column("approvals", "also_affected")
    op.drop_column("approvals", "acknowledged")
