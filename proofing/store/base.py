"""The store's core: its sessions (one transaction each), locking, the audit entry and the cumulative index kept
in the caller's transaction. The parts of Store (versions, people, approving) build on it.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import (
    delete,
    select,
    update,
)
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session, sessionmaker

from proofing import audit_chain
from proofing.access import User
from proofing.errors import N_, StoreError
from proofing.models import IndexRow
from proofing.store.database import (
    _WRITE,
    _engine_for,
    _reason,
    _shown,
    default_db_url,
)
from proofing.store.schema import (
    AssessmentRow,
    AuditRow,
    CumulativeRow,
    VersionRow,
)
from proofing.store.values import (
    _is_id,
    _now,
    quarter_of,
)


class StoreBase:
    """The assessments in one database: sessions, locks, audit entries and the cumulative index (Store's core)."""

    def __init__(self, url: str | None = None) -> None:
        """Open the database at `url` (default: default_db_url()), upgrading its schema to head on first use.

        The store never assesses and holds no rule base: a save through the service layer (proofing.service) hands
        it the level and the cumulative index rows to keep, and it keeps what it is handed (a raw save that hands
        no rows keeps none).
        """
        self.url = url if url is not None else default_db_url()
        engine = _engine_for(self.url)
        self._shown = _shown(engine.url)
        self._read = sessionmaker(bind=engine, expire_on_commit=False)
        self._write = sessionmaker(bind=engine.execution_options(**{_WRITE: True}), expire_on_commit=False)

    def __repr__(self) -> str:
        return f"Store({self._shown!r})"

    @contextmanager
    def transaction(self, *, write: bool = False) -> Iterator[Session]:
        """One transaction: committed when the block ends, rolled back on error; database errors in words.

        For the modules that keep tables beside the store's (proofing.workshop_store) and write in the same
        transaction as a store method taking a session (lock, latest_row, audit_in, save_in).
        """
        factory = self._write if write else self._read
        try:
            with factory.begin() as session:
                yield session
        except SQLAlchemyError as error:
            raise StoreError(
                N_("the assessment store at {store} failed: {reason}"), store=self._shown, reason=_reason(error)
            ) from None

    _session = transaction  # the name the store's own methods (and older scripts) use

    @contextmanager
    def reading(self) -> Iterator[Session]:
        """A read-only transaction, for a module querying the store's tables (proofing.cumulative)."""
        with self._session() as session:
            yield session

    # writing

    def _index(self, session: Session, assessment_id: str, rows: list[IndexRow] | None = None) -> None:
        """Make the assessment's rows of the cumulative index equal its latest version, in the caller's transaction.

        Delete and insert: the rows say which groups (and wards) the latest version finds negatively affected, with
        its level, status, service and title, so the cumulative view never reads a stale count. `rows` are the ones
        the service layer worked out for that version; None keeps none (the store never assesses).
        """
        session.flush()
        session.execute(delete(CumulativeRow).where(CumulativeRow.assessment_id == assessment_id))
        row = session.get(AssessmentRow, assessment_id)
        latest = self._latest_row(session, assessment_id)
        if row is None or latest is None:
            return
        for entry in rows or []:
            dated = entry.dated or latest.saved_at
            session.add(
                CumulativeRow(
                    assessment_id=assessment_id,
                    version=latest.version,
                    level=latest.level,
                    status=row.status,
                    service=row.service,
                    title=row.title,
                    group_id=entry.group_id,
                    ward=entry.ward,
                    highest_score=entry.highest_score,
                    dated=dated,
                    quarter=quarter_of(dated),
                )
            )

    def index_of(self, assessment_id: str) -> list[IndexRow]:
        """The assessment's rows of the cumulative index as kept (its latest version's), to hand on unchanged: a
        duplicate finds what its source found. A row dated by its save (the plan gives no date) comes back undated,
        so its copy is dated by its own save."""
        with self._session() as session:
            latest = self._latest_row(session, assessment_id)
            query = select(CumulativeRow).where(CumulativeRow.assessment_id == assessment_id)
            return [
                IndexRow(
                    group_id=row.group_id,
                    ward=row.ward,
                    highest_score=row.highest_score,
                    dated=None if latest is not None and row.dated == latest.saved_at else row.dated,
                )
                for row in session.scalars(query.order_by(CumulativeRow.id))
            ]

    @staticmethod
    def audit_in(
        session: Session,
        by: User | None,
        action: str,
        assessment_id: str | None = None,
        version: int | None = None,
        detail: str = "",
    ) -> None:
        """Append an audit entry in the caller's transaction, so the change and its record stand or fall together.

        `by` None is a call of the raw store (a script, a test's set-up): the acting face always names a user.
        """
        if by is None:
            return
        entry = AuditRow(
            at=_now(),
            subject=by.subject,
            who=by.described()[:500],
            action=action,
            assessment_id=assessment_id,
            version=version,
            detail=detail[:2000],
        )
        audit_chain.seal(session, entry)  # chained to the entry before it (proofing.audit_chain)
        session.add(entry)

    _audit = audit_in

    @staticmethod
    def _restatus(session: Session, assessment_id: str, status: str) -> None:
        """Keep the cumulative index's status equal to the assessment's (finalised, or set back to draft)."""
        session.execute(update(CumulativeRow).where(CumulativeRow.assessment_id == assessment_id).values(status=status))

    @staticmethod
    def latest_row(session: Session, assessment_id: str) -> VersionRow | None:
        """The assessment's newest version row, inside the caller's transaction (None when it has none)."""
        return session.scalars(
            select(VersionRow)
            .where(VersionRow.assessment_id == assessment_id)
            .order_by(VersionRow.version.desc())
            .limit(1)
        ).first()

    _latest_row = latest_row

    @staticmethod
    def lock(session: Session, assessment_id: str) -> AssessmentRow:
        """The assessment's row, locked until the transaction ends (SQLite: the whole write is already serial)."""
        row = session.get(AssessmentRow, assessment_id, with_for_update=True) if _is_id(assessment_id) else None
        if row is None:
            raise StoreError(N_("there is no assessment '{id}'"), id=assessment_id)
        return row

    _locked = lock
