"""Which reminders were sent, decided by the database so that none goes twice, and people's e-mail addresses.

A reminder is one item (an action or a review, by kind and id), at one stage ("due" or "overdue"), to one
recipient address. Before sending it a process *claims* it: an INSERT of its row, in a transaction of its own, that
the unique key (kind, item id, stage, recipient) lets only one process make; the others find it taken and send
nothing. After the relay took the message the row is marked "sent"; when the relay did not take it, "failed" with
the relay's words, and a later run claims it again. A claim left "claimed" by a process that died between claiming
and marking is taken over after ``STALE_CLAIM`` (a crash in that narrow window may then send that one reminder
again: the only case where one can go twice, rather than be lost).

Tables (migration 0015): ``reminders_sent`` and ``people_contacts`` (name and address by sign-in subject, as the
identity provider last gave them).
"""

from __future__ import annotations

import uuid
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from sqlalchemy import CheckConstraint, Integer, String, UniqueConstraint, and_, delete, or_, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import CursorResult
from sqlalchemy.orm import Mapped, mapped_column
from sqlalchemy.sql.elements import ColumnElement

from proofing.errors import StoreError
from proofing.store.schema import Base, UTCDateTime
from proofing.store.values import _now

if TYPE_CHECKING:
    from proofing.store.base import StoreBase

STALE_CLAIM = timedelta(hours=1)  # a claim older than this, never marked, belonged to a process that died


class ReminderSentRow(Base):
    """One reminder claimed, sent or failed (see the module's docstring)."""

    __tablename__ = "reminders_sent"
    __table_args__ = (
        CheckConstraint("state IN ('claimed', 'sent', 'failed')", name="ck_reminders_sent_state"),
        CheckConstraint("stage IN ('due', 'overdue')", name="ck_reminders_sent_stage"),
        UniqueConstraint("kind", "item_id", "stage", "recipient", name="uq_reminders_sent_reminder"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    kind: Mapped[str] = mapped_column(String(16))
    item_id: Mapped[str] = mapped_column(String(100))
    stage: Mapped[str] = mapped_column(String(16))
    recipient: Mapped[str] = mapped_column(String(320))
    state: Mapped[str] = mapped_column(String(16))
    claimed_by: Mapped[str] = mapped_column(String(64))
    claimed_at: Mapped[datetime] = mapped_column(UTCDateTime())
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    attempts: Mapped[int] = mapped_column(Integer)
    last_error: Mapped[str] = mapped_column(String(500))


class ContactRow(Base):
    """A person's name and e-mail address by sign-in subject, as their identity provider last gave them."""

    __tablename__ = "people_contacts"

    subject: Mapped[str] = mapped_column(String(200), primary_key=True)
    name: Mapped[str] = mapped_column(String(500))
    email: Mapped[str] = mapped_column(String(320))
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime())


ReminderKey = tuple[str, str, str, str]
"""(kind, item id, stage, recipient address): one reminder."""


def _key(key: ReminderKey) -> tuple[str, str, str, str]:
    kind, item_id, stage, recipient = key
    return kind[:16], item_id[:100], stage[:16], recipient.strip().lower()[:320]


def _match(key: ReminderKey) -> ColumnElement[bool]:
    kind, item_id, stage, recipient = _key(key)
    table = ReminderSentRow
    return and_(table.kind == kind, table.item_id == item_id, table.stage == stage, table.recipient == recipient)


class Reminding:
    """The reminders kept in one store's database, claimed by one process (its ``token``)."""

    def __init__(self, store: StoreBase, token: str | None = None) -> None:
        self.store = store
        self.token = token or uuid.uuid4().hex

    def claim(self, key: ReminderKey) -> bool:
        """Claim the reminder for this process, in a transaction of its own: True when this process is to send it.

        False when it was sent already, or another process holds a live claim on it. A failed one (or one claimed
        longer than STALE_CLAIM ago and never marked) is claimed again."""
        kind, item_id, stage, recipient = _key(key)
        now = _now()
        with self.store.transaction(write=True) as session:
            dialect = session.get_bind().dialect.name
            values = {
                "kind": kind,
                "item_id": item_id,
                "stage": stage,
                "recipient": recipient,
                "state": "claimed",
                "claimed_by": self.token,
                "claimed_at": now,
                "attempts": 1,
                "last_error": "",
            }
            inserter = postgresql.insert if dialect == "postgresql" else sqlite.insert
            statement = inserter(ReminderSentRow).values(**values)
            inserted = session.execute(
                statement.on_conflict_do_nothing(index_elements=["kind", "item_id", "stage", "recipient"]).returning(
                    ReminderSentRow.id
                )
            ).first()
            if inserted is not None:  # this process's row: nobody had claimed it
                return True
            taken = session.execute(
                update(ReminderSentRow)
                .where(_match(key))
                .where(
                    or_(
                        ReminderSentRow.state == "failed",
                        and_(ReminderSentRow.state == "claimed", ReminderSentRow.claimed_at < now - STALE_CLAIM),
                    )
                )
                .values(
                    state="claimed",
                    claimed_by=self.token,
                    claimed_at=now,
                    attempts=ReminderSentRow.attempts + 1,
                )
            )
            if not isinstance(taken, CursorResult):  # Session.execute is typed Result; an UPDATE gives a CursorResult
                raise StoreError("the database did not say whether this reminder was claimed")
            return taken.rowcount == 1

    def sent(self, key: ReminderKey) -> None:
        """Mark this process's claim sent: the relay took the message; no process sends it again."""
        with self.store.transaction(write=True) as session:
            session.execute(
                update(ReminderSentRow)
                .where(_match(key), ReminderSentRow.claimed_by == self.token)
                .values(state="sent", sent_at=_now(), last_error="")
            )

    def failed(self, key: ReminderKey, reason: str) -> None:
        """Mark this process's claim failed with the relay's words: a later run claims and sends it again."""
        with self.store.transaction(write=True) as session:
            session.execute(
                update(ReminderSentRow)
                .where(_match(key), ReminderSentRow.claimed_by == self.token, ReminderSentRow.state == "claimed")
                .values(state="failed", last_error=reason[:500])
            )

    def was_sent(self, key: ReminderKey) -> bool:
        """Whether the reminder was sent already (for a dry run: what a run would still send)."""
        with self.store.transaction() as session:
            found = session.scalar(select(ReminderSentRow.state).where(_match(key)))
            return found == "sent"

    def remember_contact(self, subject: str, name: str, email: str) -> None:
        """Keep the name and e-mail address a person signed in with (the sign-in calls this; nothing when no
        address was given or nothing changed)."""
        subject, name, email = subject.strip()[:200], name.strip()[:500], email.strip()[:320]
        if not subject or "@" not in email:
            return
        with self.store.transaction(write=True) as session:
            row = session.get(ContactRow, subject)
            if row is None:
                session.add(ContactRow(subject=subject, name=name, email=email, updated_at=_now()))
            elif (row.name, row.email) != (name, email):
                row.name, row.email, row.updated_at = name, email, _now()

    def contacts(self, subjects: set[str]) -> dict[str, tuple[str, str]]:
        """The (name, e-mail address) kept for each of `subjects` that has one."""
        if not subjects:
            return {}
        with self.store.transaction() as session:
            rows = session.scalars(select(ContactRow).where(ContactRow.subject.in_(subjects)))
            return {row.subject: (row.name, row.email) for row in rows}

    def forget_contact(self, subject: str) -> None:
        """Forget a person's kept address (they left; an administrator asks)."""
        with self.store.transaction(write=True) as session:
            session.execute(delete(ContactRow).where(ContactRow.subject == subject))
