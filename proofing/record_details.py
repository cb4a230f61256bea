"""What a record exported from the register says beyond the assessment: the details of one stored version.

``export_details`` gathers them for the Export page (and anything else that writes the record of a stored version):
the decisions and notes kept with the version, the approval, the audit trail, the EIA workshops and the cumulative
impact. For an approved version they are the details *as they stood at approval*: the approval itself, the audit
trail up to and including the approval, the cumulative impact kept with the approval (migration 0011) and the
moment of approval as the moment the record was produced. So re-exporting the final record, before or after it is
reopened as a new draft, gives the same text, and it verifies.

``approved_version`` says which version of an assessment was last approved, so a page with a later draft open can
still export the final record.
"""

from __future__ import annotations

from datetime import datetime

from proofing.approvals import Approval
from proofing.cumulative import Overlap, overlaps_for
from proofing.decisions import DecisionNotes, MitigationDecision
from proofing.knowledge import KnowledgeBase
from proofing.models import AuditEntry, SavedVersion
from proofing.report.details import ReportDetails
from proofing.report.status import RecordStatus, record_status
from proofing.service import workshops_for
from proofing.store import UserStore
from proofing.workshop_store import records_for


def audit_at_approval(entries: list[AuditEntry], approval: Approval) -> list[AuditEntry]:
    """The audit trail as it stood at approval: every entry up to and including the approval's own (the first entry
    on the approved version at or after the moment it was decided); what came later is not part of the record."""
    if approval.decided_at is None:
        return entries
    for index, entry in enumerate(entries):
        if entry.at >= approval.decided_at and entry.version == approval.version:
            return entries[: index + 1]
    return [entry for entry in entries if entry.at <= approval.decided_at]


def approved_version(store: UserStore, assessment_id: str) -> int | None:
    """The version of the assessment that was last approved, or None when none was."""
    approval = store.approval(assessment_id, approved_only=True)
    return approval.version if approval is not None else None


def status_of(store: UserStore, assessment_id: str, version: int) -> tuple[RecordStatus, Approval | None]:
    """The status of the record of `version` (proofing.report.status) and the approval that decides it: the
    approval of that version if it was approved, else the latest submission (which counts only if of that version)."""
    approved = store.approval(assessment_id, approved_only=True, version=version)
    if approved is not None:
        return "approved", approved
    latest = store.approval(assessment_id)
    return record_status(latest, version), latest


def export_details(
    kb: KnowledgeBase, store: UserStore, assessment_id: str, stored: SavedVersion, produced_by: str | None = None
) -> ReportDetails:
    """The details of the record of the stored version `stored` (`kb`: the English rule base): as they stood at
    approval for an approved version, as they stand now for any other. `produced_by` names who exports it (the
    record's default when None)."""
    status, approval = status_of(store, assessment_id, stored.version)
    audit = store.audit(assessment_id)
    also_affected: list[Overlap]
    extra: dict[str, str] = {} if produced_by is None else {"produced_by": produced_by}
    if status == "approved" and approval is not None:
        approval = approval.model_copy(update={"status": "final"})
        audit = audit_at_approval(audit, approval)
        if approval.also_affected is not None:
            also_affected = [Overlap.model_validate(line) for line in approval.also_affected]
        else:  # approved before the cumulative impact was kept with the approval: as it stands now
            also_affected = overlaps_for(store, kb, assessment_id)
        if approval.decided_at is not None:
            extra["produced_at"] = _moment(approval.decided_at)
    else:
        also_affected = overlaps_for(store, kb, assessment_id)
    return ReportDetails(
        assessors=[stored.plan.owner],
        decisions={key: MitigationDecision(**fields) for key, fields in stored.decisions.items()},
        notes=DecisionNotes.model_validate(stored.notes or {}),
        approval=approval,
        audit=audit,
        workshops=records_for(kb, workshops_for(store), stored.notes),
        also_affected=also_affected,
        version=stored.version,
        **extra,
    )


def _moment(when: datetime) -> str:
    """A moment as a record's ``produced_at`` holds it: ISO 8601 to the second."""
    return when.isoformat(timespec="seconds")
