"""The store as one signed-in person may use it (UserStore): every call checked, every write audited."""

from __future__ import annotations

import builtins
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from proofing.access import PERMISSIONS, Action, PermissionDenied, Role, User, may, require
from proofing.approvals import Acknowledgement, Approval, SignOff
from proofing.errors import N_, StoreError
from proofing.identity import is_local
from proofing.models import (
    AssessmentSummary,
    AuditEntry,
    HistoryEntry,
    IndexRow,
    SavedVersion,
    TrainingRound,
)
from proofing.plan import Plan

if TYPE_CHECKING:
    from proofing.store import Store


class UserStore:
    """The store as one signed-in person may use it: the only face the app's pages use.

    Every call asks ``proofing.access.require`` first (the one PERMISSIONS table), with the assessment's owner and
    the people it is shared with, so a page that forgets a check still cannot leak or change anything: a refusal is
    a ``PermissionDenied`` in words, and nothing is written. ``list`` returns only what the person may open. Every
    write is audited in its own transaction. An unknown assessment reads as None (or a StoreError), as in Store.
    """

    def __init__(self, store: Store, user: User) -> None:
        self.store, self.user = store, user

    def __repr__(self) -> str:
        return f"UserStore({self.store!r}, {self.user.subject!r})"

    def may(self, action: Action, assessment_id: str | None = None) -> bool:
        """Whether this person may take `action` (on that assessment): for a page deciding what to offer."""
        if assessment_id is None:
            return may(self.user, action)
        access = self.store.access(assessment_id)
        return access is not None and may(self.user, action, owner=access[0], shared_with=access[1])

    def _check(self, action: Action, assessment_id: str) -> None:
        """Refuse (PermissionDenied) unless the person may take `action` on the assessment; unknown passes by."""
        access = self.store.access(assessment_id)
        if access is not None:
            require(self.user, action, owner=access[0], shared_with=access[1])

    # writing

    def create(self, plan: Plan, level: str | None = None, *, index: list[IndexRow] | None = None) -> str:
        """Start an assessment, owned by this person."""
        require(self.user, "create")
        return self.store.create(plan, level, owner_subject=self.user.subject, by=self.user, index=index)

    def save(self, assessment_id: str, plan: Plan, *args: Any, **kwargs: Any) -> int:
        """Store.save, for a person who may edit the assessment."""
        self._check("edit", assessment_id)
        return self.store.save(assessment_id, plan, *args, by=self.user, **kwargs)

    def restore(self, assessment_id: str, version: int, **kwargs: Any) -> int:
        """Store.restore (with the level and index rows proofing.service.restore_version hands it), for a person
        who may edit the assessment."""
        self._check("edit", assessment_id)
        return self.store.restore(assessment_id, version, by=self.user, **kwargs)

    def checkpoint(self, assessment_id: str, name: str, *, expected_version: int) -> None:
        """Store.checkpoint, for a person who may edit the assessment."""
        self._check("edit", assessment_id)
        self.store.checkpoint(assessment_id, name, expected_version=expected_version, by=self.user)

    def duplicate(self, assessment_id: str) -> str:
        """A copy as a new assessment, a draft owned by this person (another plan: revising is ``reopen``)."""
        self._check("duplicate", assessment_id)
        return self.store.duplicate(assessment_id, by=self.user)

    def reopen(self, assessment_id: str, *, editing: str | None = None) -> int:
        """Reopen a final assessment as a new draft version of itself (Store.reopen), for a person who may reopen
        it; the approved version stays approved. Returns the new draft's version number."""
        self._check("reopen", assessment_id)
        return self.store.reopen(assessment_id, by=self.user, editing=editing)

    def set_status(self, assessment_id: str, status: str, *, expected_version: int | None = None) -> None:
        """Refused: only an approval makes an assessment final (submit, sign_off), and a final one is never set back
        to draft in place: it is reopened as a new draft version (reopen), leaving the approved one as signed off."""
        if status == "final":
            raise StoreError(
                N_("an assessment becomes final only when an approver approves it; submit it for approval")
            )
        self._check("reopen", assessment_id)
        if (latest := self.store.latest(assessment_id)) is not None and latest.status == "final":
            raise StoreError(N_("a final assessment is never set back to draft: reopen it as a new draft instead"))

    def submit(self, assessment_id: str, *, expected_version: int) -> None:
        """Submit the latest version for approval, for a person who may submit it (its manager)."""
        self._check("submit", assessment_id)
        self.store.submit(assessment_id, expected_version=expected_version, by=self.user)

    def sign_off(
        self,
        assessment_id: str,
        decision: SignOff,
        *,
        acknowledged: list[Acknowledgement] | None = None,
        also_affected: list[dict[str, Any]] | None = None,
    ) -> None:
        """Approve, or send back, the submitted version: an approver only (what it keeps: Store.sign_off)."""
        self._check("approve", assessment_id)
        self.store.sign_off(
            assessment_id, decision, by=self.user, acknowledged=acknowledged, also_affected=also_affected
        )

    def approval(
        self, assessment_id: str, *, approved_only: bool = False, version: int | None = None
    ) -> Approval | None:
        """The latest submission and its outcome (Store.approval), for a person who may open the assessment."""
        self._check("read", assessment_id)
        return self.store.approval(assessment_id, approved_only=approved_only, version=version)

    def approvals(self, assessment_ids: Iterable[str]) -> dict[str, Approval]:
        """Store.approvals (the latest submission of each assessment ever submitted), with the access of the whole
        list read and checked at once: refused (PermissionDenied, as `approval` refuses) if the person may not open
        one of them; an unknown one is left out, as `approval` reads it as None."""
        wanted = builtins.list(assessment_ids)
        for owner, shared_with in self.store.accesses(wanted).values():
            require(self.user, "read", owner=owner, shared_with=shared_with)
        return self.store.approvals(wanted)

    def share(self, assessment_id: str, subject: str) -> None:
        """Share the assessment with a colleague, for a person who may share it."""
        self._check("share", assessment_id)
        self.store.share(assessment_id, subject, by=self.user)

    def unshare(self, assessment_id: str, subject: str) -> None:
        """Stop sharing the assessment with a colleague, for a person who may share it."""
        self._check("share", assessment_id)
        self.store.unshare(assessment_id, subject, by=self.user)

    def record_export(self, assessment_id: str, version: int, what: str) -> None:
        """Audit an export, for a person who may export the assessment (refused: they may not have the file)."""
        self._check("export", assessment_id)
        self.store.record_export(assessment_id, version, what, by=self.user)

    def set_own_name(self, name: str) -> None:
        """Keep the name local mode's user gives for themselves (proofing.identity.named_local_user); a signed-in
        person's name comes from their sign-in, so theirs is refused (PermissionDenied)."""
        if not is_local(self.user):
            raise PermissionDenied(
                N_("{name}'s name comes from their sign-in, not from proofing."), name=self.user.name
            )
        self.store.set_name(self.user.subject, name, by=self.user)

    def set_roles(self, subject: str, roles: frozenset[Role] | set[Role]) -> None:
        """Assign `subject` these roles in the app: an administrator only."""
        require(self.user, "assign_roles")
        self.store.set_roles(subject, roles, by=self.user)

    def record_round(
        self, case: str, organisation: str, prediction: dict[str, Any], score: int, outcomes: dict[str, list[str]]
    ) -> None:
        """Keep this person's submitted training round: anyone who may take training."""
        require(self.user, "take_training")
        self.store.record_round(case, organisation, prediction, score, outcomes, by=self.user)

    # reading

    def training_rounds(self, *, everyone: bool = False) -> list[TrainingRound]:
        """This person's own training rounds, or (`everyone`, a trainer only) every trainee's."""
        if everyone:
            require(self.user, "run_training")
            return self.store.training_rounds()
        require(self.user, "take_training")
        return self.store.training_rounds(self.user.subject)

    def latest(self, assessment_id: str) -> SavedVersion | None:
        """Store.latest, for a person who may open the assessment."""
        self._check("read", assessment_id)
        return self.store.latest(assessment_id)

    def version(self, assessment_id: str, version: int) -> SavedVersion | None:
        """Store.version, for a person who may open the assessment."""
        self._check("read", assessment_id)
        return self.store.version(assessment_id, version)

    def versions(self, assessment_id: str) -> list[SavedVersion]:
        """Store.versions, for a person who may open the assessment."""
        self._check("read", assessment_id)
        return self.store.versions(assessment_id)

    def history(self, assessment_id: str) -> list[HistoryEntry]:
        """Store.history (as data), for a person who may open the assessment."""
        self._check("read", assessment_id)
        return self.store.history(assessment_id)

    def shares(self, assessment_id: str) -> frozenset[str]:
        """Whom the assessment is shared with, for a person who may open it."""
        self._check("read", assessment_id)
        access = self.store.access(assessment_id)
        return access[1] if access is not None else frozenset()

    def list(self, *args: Any, **kwargs: Any) -> list[AssessmentSummary]:
        """Store.list, keeping only the assessments this person may open."""
        return [
            found
            for found in self.store.list(*args, **kwargs)
            if may(self.user, "read", owner=found.owner_subject, shared_with=found.shared_with)
        ]

    def services(self) -> builtins.list[str]:  # builtins: the method list above shadows the type in the class
        """The distinct services of the assessments this person may open."""
        return sorted({found.service for found in self.list()})

    def audit(self, assessment_id: str | None = None) -> builtins.list[AuditEntry]:
        """The audit trail of one assessment (for a person who may see it), or all of it (administrator, auditor)."""
        if assessment_id is None:
            if not any(PERMISSIONS[role].get("view_audit") == "all" for role in self.user.roles):
                raise PermissionDenied(N_("{name} may not see the whole audit trail."), name=self.user.name)
        else:
            self._check("view_audit", assessment_id)
        return self.store.audit(assessment_id)

    def role_assignments(self) -> dict[str, frozenset[Role]]:
        """Every role assigned in the app: an administrator only."""
        require(self.user, "assign_roles")
        return self.store.role_assignments()
