"""Approvals and the audit trail: submit, sign off, the latest approval, and the audit entries."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from sqlalchemy import (
    func,
    select,
)
from sqlalchemy.orm import Session

from proofing import approvals
from proofing.access import User
from proofing.approvals import Acknowledgement, Approval, SignOff
from proofing.errors import N_, FinalAssessmentError, StaleVersionError, StoreError
from proofing.models import (
    AuditEntry,
)
from proofing.store.base import StoreBase
from proofing.store.followup import Approved, approved
from proofing.store.schema import (
    ApprovalRow,
    AssessmentRow,
    AuditRow,
    VersionRow,
)
from proofing.store.values import (
    _batches,
    _is_id,
    _now,
)


class Approving(StoreBase):
    """Approvals and the audit trail (a part of Store); the rules are proofing.approvals' (chain: audit_chain)."""

    def audit(self, assessment_id: str | None = None) -> list[AuditEntry]:
        """The audit trail, oldest first: of one assessment, or (None) everything, roles included."""
        query = select(AuditRow).order_by(AuditRow.id)
        if assessment_id is not None:
            if not _is_id(assessment_id):
                return []
            query = query.where(AuditRow.assessment_id == assessment_id)
        with self._session() as session:
            return [AuditEntry.model_validate(row, from_attributes=True) for row in session.scalars(query)]

    def submit(self, assessment_id: str, *, expected_version: int, by: User | None = None) -> None:
        """Submit the latest version of a draft for approval (refused if anyone saved since the person looked).

        The version is frozen from now on (a later change starts a new one) and its content digest is kept, so what
        is approved is exactly what was submitted (proofing.approvals).
        """
        with self._session(write=True) as session:
            row = self._locked(session, assessment_id)
            if row.status == "final":
                raise FinalAssessmentError(assessment_id, row.title)
            current = session.scalar(
                select(func.max(VersionRow.version)).where(VersionRow.assessment_id == assessment_id)
            )
            if current != expected_version:
                raise StaleVersionError(assessment_id, row.title, expected_version, current or 0)
            pending = self._pending(session, assessment_id)
            if pending is not None and pending.version == current:
                return  # already submitted, as it is
            if pending is not None:
                pending.outcome = "sent_back"  # superseded by the newer version submitted now
            latest = self._latest_row(session, assessment_id)
            session.add(
                ApprovalRow(
                    assessment_id=assessment_id,
                    version=current,
                    outcome="submitted",
                    submitted_by=by.described() if by is not None else "local",
                    submitted_at=_now(),
                    digest=approvals.content_digest(latest.plan, latest.decisions, latest.notes) if latest else None,
                    submitted_subject=by.subject if by is not None else None,
                )
            )
            self._audit(session, by, "submitted for approval", assessment_id, current)

    @staticmethod
    def _pending(session: Session, assessment_id: str) -> ApprovalRow | None:
        return session.scalars(
            select(ApprovalRow)
            .where(ApprovalRow.assessment_id == assessment_id, ApprovalRow.outcome == "submitted")
            .order_by(ApprovalRow.id.desc())
            .limit(1)
        ).first()

    def sign_off(
        self,
        assessment_id: str,
        decision: SignOff,
        *,
        by: User | None = None,
        acknowledged: list[Acknowledgement] | None = None,
        also_affected: list[dict[str, Any]] | None = None,
    ) -> None:
        """Record the approver's decision on the submitted version: approved (then final) or sent back.

        Refused when nothing is awaiting approval, or when the version decided on is not the one submitted and
        still the latest (someone saved since it was submitted: StaleVersionError), or its content is not what was
        submitted and what the approver names (ContentChangedError), or the approver submitted it themself
        (OwnSubmissionError): nobody approves a version they have not seen, or their own (proofing.approvals).
        An approval keeps the open items the approver `acknowledged` and the cumulative impact as it stood then
        (`also_affected`), both worked out above the store (proofing.signoff).
        """
        with self._session(write=True) as session:
            row = self._locked(session, assessment_id)
            pending = self._pending(session, assessment_id)
            if pending is None or row.status == "final":
                raise StoreError(N_("'{title}' is not awaiting approval; a manager submits it first"), title=row.title)
            current = session.scalar(
                select(func.max(VersionRow.version)).where(VersionRow.assessment_id == assessment_id)
            )
            if decision.version != pending.version or current != pending.version:
                raise StaleVersionError(assessment_id, row.title, decision.version, current or 0)
            latest = self._latest_row(session, assessment_id)
            content = {"plan": latest.plan, "decisions": latest.decisions, "notes": latest.notes} if latest else {}
            approvals.check_content(decision, pending.digest, content, row.title, pending.version)
            if decision.outcome == "approved":
                approvals.check_not_own(pending.submitted_subject, by, row.title, pending.version)
            now = _now()
            pending.outcome, pending.decided_at = decision.outcome, now
            pending.decided_by = by.described() if by is not None else "local"
            pending.decision = decision.model_dump(
                mode="json", exclude={"outcome", "version", "digest", "acknowledged"}
            )
            if decision.outcome == "approved":
                pending.acknowledged = [item.model_dump(mode="json") for item in acknowledged or []]
                pending.also_affected = also_affected
                row.status, row.updated_at = "final", now
                self._restatus(session, assessment_id, "final")
                self._audit(session, by, "finalised", assessment_id, current, f"Approved: {decision.decision_taken}")
                approved(Approved(session, row, current, content, decision, by, self))  # its actions and review
            else:
                self._audit(session, by, "sent back", assessment_id, current, decision.comments)

    def approval(
        self, assessment_id: str, *, approved_only: bool = False, version: int | None = None
    ) -> Approval | None:
        """The latest submission for approval and its outcome, or None when it was never submitted; `approved_only`,
        the latest approval (of `version`, when given), or None when there is none."""
        if not _is_id(assessment_id):
            return None
        with self._session() as session:
            row = session.get(AssessmentRow, assessment_id)
            query = select(ApprovalRow).where(ApprovalRow.assessment_id == assessment_id)
            if approved_only:
                query = query.where(ApprovalRow.outcome == "approved")
            if version is not None:
                query = query.where(ApprovalRow.version == version)
            found = session.scalars(query.order_by(ApprovalRow.id.desc()).limit(1)).first()
            if row is None or found is None:
                return None
            advice = session.scalar(
                select(VersionRow.level).where(
                    VersionRow.assessment_id == assessment_id, VersionRow.version == found.version
                )
            )
            return _approval(found, row.status, advice)

    def approvals(self, assessment_ids: Iterable[str]) -> dict[str, Approval]:
        """`approval` of many assessments at once: the latest submission and its outcome of each one ever
        submitted, by id (one never submitted, or unknown, is left out), in one query per batch of ids rather than
        round trips per assessment, so a page listing hundreds (the register) stays quick."""
        found: dict[str, Approval] = {}
        with self._session() as session:
            for batch in _batches(assessment_ids):
                newest = (
                    select(func.max(ApprovalRow.id))
                    .where(ApprovalRow.assessment_id.in_(batch))
                    .group_by(ApprovalRow.assessment_id)
                    .scalar_subquery()
                )
                query = (
                    select(ApprovalRow, AssessmentRow.status, VersionRow.level)
                    .join(AssessmentRow, AssessmentRow.id == ApprovalRow.assessment_id)
                    .outerjoin(
                        VersionRow,
                        (VersionRow.assessment_id == ApprovalRow.assessment_id)
                        & (VersionRow.version == ApprovalRow.version),
                    )
                    .where(ApprovalRow.id.in_(newest))
                )
                for row, status, advice in session.execute(query):
                    found[row.assessment_id] = _approval(row, status, advice)
        return found


def _approval(found: ApprovalRow, status: str, advice: str | None) -> Approval:
    """An approval row as the Approval it records, with the assessment's status and the version's advice (level)."""
    return Approval(
        assessment_id=found.assessment_id,
        version=found.version,
        status=status,
        outcome=found.outcome,
        advice=advice,
        submitted_by=found.submitted_by,
        submitted_at=found.submitted_at,
        decided_by=found.decided_by,
        decided_at=found.decided_at,
        digest=found.digest,
        submitted_subject=found.submitted_subject,
        acknowledged=found.acknowledged or [],
        also_affected=found.also_affected,
        **(found.decision or {}),
    )
