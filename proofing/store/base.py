"""The store's core: its sessions (one transaction each), locking, the audit entry and the cumulative index kept
in the caller's transaction. The parts of Store (versions, people, approving) build on it.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

from pydantic import ValidationError
from sqlalchemy import (
    delete,
    select,
    update,
)
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session, sessionmaker

from proofing import audit_chain
from proofing.access import User
from proofing.errors import StoreError
from proofing.models import (
    Assessor,
    IndexRow,
)
from proofing.plan import Plan
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

    def __init__(self, url: str | None = None, *, kb: Any = None, assessor: Assessor | None = None) -> None:
        """Open the database at `url` (default: default_db_url()), upgrading its schema to head on first use.

        The store never assesses: a save through the service layer (proofing.service.save_draft) hands it the
        level and the cumulative index rows to keep. A raw save (a script, a test's set-up) that hands it no rows
        asks `assessor` for them (default: ``proofing.service.Assessor(kb)``, made at the first such save, with the
        rule base `kb` or, None, the one the app serves).
        """
        self.url = url if url is not None else default_db_url()
        self._rules = kb
        self._assessor = assessor
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
            raise StoreError(f"the assessment store at {self._shown} failed: {_reason(error)}") from None

    _session = transaction  # the name the store's own methods (and older scripts) use

    @property
    def assessor(self) -> Assessor:
        """What works out a raw save's level and index rows when the caller hands none (see __init__)."""
        if self._assessor is None:
            self._assessor = _default_assessor()(self._rules)
        return self._assessor

    def assessor_for(self, kb: Any) -> Assessor:
        """The assessor for rule base `kb` (restore and keep_both name the rule base they work a level out with)."""
        if kb is None or kb is self._rules:
            return self.assessor
        return _default_assessor()(kb)

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
        the service layer worked out for that version; None asks the assessor.
        """
        session.flush()
        session.execute(delete(CumulativeRow).where(CumulativeRow.assessment_id == assessment_id))
        row = session.get(AssessmentRow, assessment_id)
        latest = self._latest_row(session, assessment_id)
        if row is None or latest is None:
            return
        if rows is None:
            try:
                plan = Plan.model_validate(latest.plan)
            except ValidationError:
                return  # a version that no longer reads as a plan has no findings to count
            rows = self.assessor.keep(plan, latest.notes)[1]
        for entry in rows:
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
            raise StoreError(f"there is no assessment {assessment_id!r}")
        return row

    _locked = lock


# The store never reaches up to the service layer: the service hands it the assessor it uses for a raw save (a save
# that brings no level or index rows of its own: a script, a duplicate, a restore), when proofing.service is imported.
_ASSESSOR_FACTORY: Callable[[Any], Assessor] | None = None


def use_assessor(factory: Callable[[Any], Assessor]) -> None:
    """Name what works out a raw save's level and index rows for a rule base (the service layer calls this)."""
    global _ASSESSOR_FACTORY
    _ASSESSOR_FACTORY = factory


def _default_assessor() -> Callable[[Any], Assessor]:
    if _ASSESSOR_FACTORY is None:
        raise StoreError(
            "a save that brings no screening level needs the service layer (import proofing.service) to work it out"
        )
    return _ASSESSOR_FACTORY
