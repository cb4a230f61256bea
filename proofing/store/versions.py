"""Versions: start, save (or amend), restore, name, merge and keep both, duplicate, finalise, and read them back."""

from __future__ import annotations

import builtins
import uuid
from datetime import UTC, date, datetime, time
from typing import Any

from pydantic import ValidationError
from sqlalchemy import (
    func,
    or_,
    select,
    update,
)
from sqlalchemy.orm import Session

from proofing import approvals
from proofing.access import User
from proofing.errors import N_, FinalAssessmentError, StaleVersionError, StoreError
from proofing.models import (
    LOCAL_SUBJECT,
    STATUS_WORDS,
    STATUSES,
    AssessmentSummary,
    DecisionNotes,
    HistoryEntry,
    IndexRow,
    NotesGiven,
    SavedVersion,
    VersionChange,
    notes_json,
)
from proofing.plan import Plan
from proofing.store.base import StoreBase
from proofing.store.merge import changes_between
from proofing.store.schema import (
    ApprovalRow,
    AssessmentRow,
    AuditRow,
    CumulativeRow,
    ShareRow,
    VersionRow,
)
from proofing.store.values import (
    COPY_PREFIX,
    DETAILS,
    MAX_TITLE,
    _decisions_data,
    _escape_like,
    _is_id,
    _notes_data,
    _now,
    _plan_data,
)


class Versions(StoreBase):
    """The store's versions of assessments (a part of Store)."""

    def create(
        self,
        plan: Plan,
        level: str | None = None,
        *,
        owner_subject: str | None = None,
        by: User | None = None,
        index: list[IndexRow] | None = None,
    ) -> str:
        """Start a new assessment of `plan`: version 1, a draft with no decisions. Returns its id.

        `level` is None (not screened yet) unless the plan can already be screened (proofing.service.level_of).
        The owner is `owner_subject`, else the acting user `by`, else the local user. `index`: the version's
        cumulative index rows, as the service layer worked them out with `level` (None: none; the store keeps what
        it is handed and never assesses: proofing.service.start_assessment hands both).
        """
        return self._start(plan, decisions={}, level=level, owner_subject=owner_subject, by=by, index=index)

    def _start(
        self,
        plan: Plan,
        decisions: dict[str, dict[str, str]],
        level: str | None,
        notes: DecisionNotes | None = None,
        *,
        owner_subject: str | None = None,
        by: User | None = None,
        detail: str = "",
        source: tuple[str, str, int, str] | None = None,
        index: list[IndexRow] | None = None,
    ) -> str:
        """Insert a new draft assessment and its version 1; the one way an assessment comes to exist.

        `source` (action, assessment id, version, words) is the entry on the assessment it was copied from, kept
        in the same transaction: "duplicated", naming the copy by its title.
        """
        assessment_id = uuid.uuid4().hex
        now = _now()
        owner = owner_subject or (by.subject if by is not None else LOCAL_SUBJECT)
        with self._session(write=True) as session:
            session.add(
                AssessmentRow(
                    id=assessment_id,
                    title=plan.title,
                    service=plan.service,
                    owner=plan.owner,
                    status="draft",
                    level=level,
                    created_at=now,
                    updated_at=now,
                    owner_subject=owner,
                )
            )
            session.flush()  # the assessment row before the version that refers to it
            session.add(
                VersionRow(
                    assessment_id=assessment_id,
                    version=1,
                    plan=_plan_data(plan),
                    decisions=decisions,
                    notes=notes_json(notes or DecisionNotes()),
                    level=level,
                    saved_at=now,
                )
            )
            self._index(session, assessment_id, index)
            self._audit(session, by, "created", assessment_id, 1, detail or plan.title)
            if source is not None:
                action, source_id, source_version, words = source
                self._audit(session, by, action, source_id, source_version, words)
        return assessment_id

    def save(
        self,
        assessment_id: str,
        plan: Plan,
        decisions: dict[str, dict[str, str]] | None = None,
        level: str | None = None,
        *,
        expected_version: int,
        notes: NotesGiven = None,
        editing: str | None = None,
        expected_revision: int | None = None,
        label: str | None = None,
        by: User | None = None,
        index: list[IndexRow] | None = None,
    ) -> int:
        """Keep `plan`, `decisions` (None: none), `notes` and `level` as the assessment's next version; its number.

        `expected_version` is the version the change was based on (the one the person opened or last saved). If
        anyone saved since, the change is refused with StaleVersionError, so one person never silently replaces
        another's work; reload, or use keep_both. Content identical to the latest version adds no version and
        returns the latest number (nothing would be lost). A final assessment refuses changed content
        (FinalAssessmentError). `level` must be None until the plan can be screened (proofing.service.level_of).

        Autosave without a version per click: with `editing` (a token for one person's editing session) and
        `expected_revision` (the revision of the version they are based on), a save amends the latest version in
        place when that same session made it and it is not a named checkpoint, raising its revision; a save based
        on an older revision is refused as stale like one based on an older version. `label` names the version
        made (a checkpoint, or "Restored from version 2"); a named version is never amended.

        `notes` are typed (DecisionNotes) or a page's plain mapping, typed here; they are kept as typed JSON. `index`
        is the version's cumulative index rows as the service layer worked them out with `level` (see
        proofing.service.save_draft). The store never assesses: None keeps no rows for the version, so a save whose
        level and rows are not known yet goes through proofing.service.save_draft.
        """
        with self._session(write=True) as session:
            return self.save_in(
                session,
                assessment_id,
                plan,
                decisions,
                level,
                expected_version=expected_version,
                notes=notes,
                editing=editing,
                expected_revision=expected_revision,
                label=label,
                by=by,
                index=index,
            )

    def save_in(
        self,
        session: Session,
        assessment_id: str,
        plan: Plan,
        decisions: dict[str, dict[str, str]] | None,
        level: str | None,
        *,
        expected_version: int,
        notes: NotesGiven,
        editing: str | None,
        expected_revision: int | None,
        label: str | None,
        by: User | None,
        index: list[IndexRow] | None = None,
    ) -> int:
        """`save` inside the caller's write transaction, so another change (a workshop finalised) can share it."""
        plan_data, decided, noted = _plan_data(plan), _decisions_data(decisions), notes_json(_notes_data(notes))
        row = self._locked(session, assessment_id)
        latest = self._latest_row(session, assessment_id)
        current = latest.version if latest is not None else 0
        if (
            latest is not None
            and label is None
            and (latest.plan, latest.decisions, latest.notes or {}, latest.level) == (plan_data, decided, noted, level)
        ):
            return current
        if row.status == "final":
            raise FinalAssessmentError(assessment_id, row.title)
        if expected_version != current or (
            expected_revision is not None and latest is not None and expected_revision != latest.revision
        ):
            raise StaleVersionError(assessment_id, row.title, expected_version, current)
        now = _now()
        before = (dict(latest.plan), dict(latest.decisions), dict(latest.notes or {})) if latest else ({}, {}, {})
        if (
            latest is not None
            and editing is not None
            and expected_revision is not None
            and latest.editing == editing
            and latest.label is None
            and label is None
            and session.scalar(
                select(ApprovalRow.id)
                .where(ApprovalRow.assessment_id == assessment_id)
                .where(ApprovalRow.version == current)
            )
            is None  # a version submitted for approval is frozen
        ):
            latest.plan, latest.decisions, latest.notes, latest.level = plan_data, decided, noted, level
            latest.saved_at, latest.revision = now, latest.revision + 1
            number = current
        else:
            number = current + 1
            session.add(
                VersionRow(
                    assessment_id=assessment_id,
                    version=number,
                    plan=plan_data,
                    decisions=decided,
                    notes=noted,
                    level=level,
                    saved_at=now,
                    label=label,
                    editing=editing,
                    revision=0,
                )
            )
        row.title, row.service, row.owner = plan.title, plan.service, plan.owner
        row.level, row.updated_at = level, now
        self._index(session, assessment_id, index)
        for action, detail in _save_entries(*before, plan_data, decided, noted, label):
            self._audit(session, by, action, assessment_id, number, detail)
        return number

    def restore(
        self,
        assessment_id: str,
        version: int,
        *,
        level: str | None,
        index: list[IndexRow] | None,
        expected_version: int,
        expected_revision: int | None = None,
        by: User | None = None,
    ) -> int:
        """Make an earlier version the latest again, as a new version named "Restored from version N".

        Nothing is lost: every version in between stays in the history. Refused like save when someone saved since
        the person looked (StaleVersionError) or the assessment is final. `level` and `index` are what the service
        layer worked out for that version's plan (proofing.service.restore_version). Returns the new version's number.
        """
        earlier = self.version(assessment_id, version)
        if earlier is None:
            raise StoreError(
                N_("there is no version {version} of assessment '{id}' to restore"), version=version, id=assessment_id
            )
        return self.save(
            assessment_id,
            earlier.plan,
            earlier.decisions,
            level,
            index=index,
            expected_version=expected_version,
            expected_revision=expected_revision,
            notes=earlier.notes,
            label=f"Restored from version {version}",
            by=by,
        )

    def checkpoint(self, assessment_id: str, name: str, *, expected_version: int, by: User | None = None) -> None:
        """Name the latest version ("sent to workshop", "after consultation"); the next change starts a new one.

        Refused with StaleVersionError when someone saved since the person looked, so the name goes on the version
        they saw. A name is one line of at most 200 characters.
        """
        words = " ".join(name.split())
        if not words:
            raise StoreError(N_("a named version needs a name, such as 'sent to workshop'"))
        if len(words) > 200:
            raise StoreError(N_("a version's name can be at most 200 characters"))
        with self._session(write=True) as session:
            row = self._locked(session, assessment_id)
            latest = self._latest_row(session, assessment_id)
            current = latest.version if latest is not None else 0
            if latest is None or current != expected_version:
                raise StaleVersionError(assessment_id, row.title, expected_version, current)
            latest.label = words
            self._audit(session, by, "named a version", assessment_id, current, words)

    def history(self, assessment_id: str) -> list[HistoryEntry]:
        """Every version, newest first, each with what changed from the one before it, as data (ids and values:
        the faces word it through their translator, proofing.version_words.history_words)."""
        found = self.versions(assessment_id)
        events: dict[int, list[tuple[str, str]]] = {}
        with self._session() as session:  # who did what to each version: the audit trail's entries on it
            for version, action, who in session.execute(
                select(AuditRow.version, AuditRow.action, AuditRow.who)
                .where(AuditRow.assessment_id == assessment_id, AuditRow.version.is_not(None))
                .order_by(AuditRow.id)
            ):
                if version is None:  # the query keeps only entries on a version
                    raise StoreError(f"the audit trail of assessment {assessment_id} gave an entry on no version")
                events.setdefault(version, []).append((action, who))
        entries = []
        for number, saved in enumerate(found):
            changes = changes_between(found[number - 1], saved) if number else [VersionChange(kind="started")]
            done = tuple(events.get(saved.version, ()))
            entries.append(HistoryEntry(saved.version, saved.label, saved.saved_at, changes, done))
        return entries[::-1]

    def duplicate(self, assessment_id: str, *, by: User | None = None) -> str:
        """A new assessment, a draft (version 1) with the latest plan, decisions and level, its title prefixed
        "Copy of ": another plan, counted as one wherever plans are counted. Revising a final assessment is not
        this: it is ``reopen``, a new draft version of the same assessment.

        The copy belongs to the acting user `by` (else the local user). Both trails name the other by its title.
        """
        source = self.latest(assessment_id)
        if source is None:
            raise StoreError(N_("there is no assessment '{id}' to duplicate"), id=assessment_id)
        title = (COPY_PREFIX + source.plan.title)[:MAX_TITLE]
        plan = Plan.model_validate({**_plan_data(source.plan), "title": title})
        return self._start(
            plan,
            decisions=source.decisions,
            level=source.level,
            notes=source.notes,
            by=by,
            index=self.index_of(assessment_id),  # the copy finds what its source found: the same rows
            detail=f"Duplicated from version {source.version} of '{source.plan.title}'",
            source=("duplicated", assessment_id, source.version, f"'{title}'"),
        )

    def reopen(self, assessment_id: str, *, by: User | None = None, editing: str | None = None) -> int:
        """Reopen a final assessment as a new draft version of itself (N+1, the approved version's content), and
        return its number. The same assessment: never a copy that would count as another plan.

        The approved version stays as it was signed off (it still reads as final, and its approval stands); the
        assessment is a draft again, at version N+1, whose changes are submitted and approved like any draft's.
        The cumulative index moves to version N+1 (the same groups: one plan, counted once). Refused (StoreError)
        for an assessment that is not final. `editing`: the editing session (see save) whose saves amend the new
        draft, so the page that reopened it goes on in version N+1 rather than starting N+2.
        """
        with self._session(write=True) as session:
            row = self._locked(session, assessment_id)
            latest = self._latest_row(session, assessment_id)
            if row.status != "final" or latest is None:
                raise StoreError(
                    N_("'{title}' is not final, so there is nothing to reopen: open it to change it"), title=row.title
                )
            now, number = _now(), latest.version + 1
            session.add(
                VersionRow(
                    assessment_id=assessment_id,
                    version=number,
                    plan=dict(latest.plan),
                    decisions=dict(latest.decisions),
                    notes=dict(latest.notes or {}),
                    level=latest.level,
                    saved_at=now,
                    editing=editing,
                    revision=0,
                )
            )
            row.status, row.updated_at = "draft", now
            session.flush()
            session.execute(
                update(CumulativeRow)
                .where(CumulativeRow.assessment_id == assessment_id)
                .values(version=number, status="draft")
            )
            self._audit(
                session,
                by,
                "reopened",
                assessment_id,
                number,
                f"Version {number} is a new draft of version {latest.version}, which stays as it was approved",
            )
        return number

    def set_status(
        self, assessment_id: str, status: str, *, expected_version: int | None = None, by: User | None = None
    ) -> None:
        """Mark the assessment "draft" or "final" (a final one takes no new versions).

        With `expected_version` (the version the person looked at), marking is refused with StaleVersionError if
        anyone saved since, so nobody signs off a version they have not seen.
        """
        if status not in STATUSES:
            raise StoreError(f"{status!r} is not a status; an assessment is one of: {', '.join(STATUSES)}")
        with self._session(write=True) as session:
            row = self._locked(session, assessment_id)
            if expected_version is not None:
                current = session.scalar(
                    select(func.max(VersionRow.version)).where(VersionRow.assessment_id == assessment_id)
                )
                if current != expected_version:
                    raise StaleVersionError(assessment_id, row.title, expected_version, current or 0)
            approved = session.scalar(
                select(ApprovalRow.id)
                .where(ApprovalRow.assessment_id == assessment_id)
                .where(ApprovalRow.outcome == "approved")
            )
            approvals.never_back_to_draft(status, row.status == "final" and approved is not None, row.title)
            if row.status != status:
                row.status, row.updated_at = status, _now()
                self._restatus(session, assessment_id, status)
                current = session.scalar(
                    select(func.max(VersionRow.version)).where(VersionRow.assessment_id == assessment_id)
                )
                action = "finalised" if status == "final" else "set back to draft"
                self._audit(session, by, action, assessment_id, current, STATUS_WORDS[status])

    # who may see what, roles and the audit trail

    # reading

    def latest(self, assessment_id: str) -> SavedVersion | None:
        """The newest version of the assessment, or None when there is no such assessment."""
        found = self._versions(assessment_id, newest_only=True)
        return found[0] if found else None

    def version(self, assessment_id: str, version: int) -> SavedVersion | None:
        """Version number `version` of the assessment, or None when it does not exist."""
        if not _is_id(assessment_id):
            return None
        with self._session() as session:
            row = session.get(AssessmentRow, assessment_id)
            if row is None:
                return None
            saved = session.scalars(
                select(VersionRow).where(VersionRow.assessment_id == assessment_id, VersionRow.version == version)
            ).first()
            if saved is None:
                return None
            newest = session.scalar(
                select(func.max(VersionRow.version)).where(VersionRow.assessment_id == assessment_id)
            )
            return self.saved_of(saved, _status_of(saved.version, newest, row.status, _approved(session, row.id)))

    def versions(self, assessment_id: str) -> list[SavedVersion]:
        """Every version of the assessment, oldest first (empty for an unknown assessment)."""
        return self._versions(assessment_id, newest_only=False)

    def _versions(self, assessment_id: str, *, newest_only: bool) -> list[SavedVersion]:
        if not _is_id(assessment_id):
            return []
        with self._session() as session:
            row = session.get(AssessmentRow, assessment_id)
            if row is None:
                return []
            query = select(VersionRow).where(VersionRow.assessment_id == assessment_id)
            if newest_only:
                query = query.order_by(VersionRow.version.desc()).limit(1)
            else:
                query = query.order_by(VersionRow.version)
            saved = list(session.scalars(query))
            newest = max((item.version for item in saved), default=0)
            approved = _approved(session, row.id)
            return [self.saved_of(item, _status_of(item.version, newest, row.status, approved)) for item in saved]

    @staticmethod
    def saved_of(row: VersionRow, status: str) -> SavedVersion:
        """A version row as the plain SavedVersion it reads as (`status`: the status that version has)."""
        try:
            plan = Plan.model_validate(row.plan)
        except ValidationError as error:
            raise StoreError(
                f"version {row.version} of assessment {row.assessment_id} no longer reads as a plan: "
                f"{error.errors()[0]['msg']}"
            ) from None
        try:
            notes = DecisionNotes.model_validate(row.notes or {})
        except ValidationError as error:
            raise StoreError(
                f"the notes of version {row.version} of assessment {row.assessment_id} no longer read: "
                f"{error.errors()[0]['msg']}"
            ) from None
        return SavedVersion(
            assessment_id=row.assessment_id,
            version=row.version,
            plan=plan,
            decisions={key: dict(fields) for key, fields in row.decisions.items()},
            level=row.level,
            status=status,
            saved_at=row.saved_at,
            notes=notes,
            label=row.label,
            revision=row.revision or 0,
        )

    def list(
        self,
        search: str = "",
        service: str | None = None,
        level: str | None = None,
        status: str | None = None,
        since: date | None = None,
    ) -> list[AssessmentSummary]:
        """The assessments, newest updated first, filtered.

        `search` matches title, service or owner, case-insensitively, anywhere in them; `service`, `level` and
        `status` must match exactly; `since` keeps those updated on or after that day (UTC).
        """
        counted = (
            select(func.count(VersionRow.id))
            .where(VersionRow.assessment_id == AssessmentRow.id)
            .correlate(AssessmentRow)
            .scalar_subquery()
        )
        newest = (
            select(func.max(VersionRow.version))
            .where(VersionRow.assessment_id == AssessmentRow.id)
            .correlate(AssessmentRow)
            .scalar_subquery()
        )
        query = select(AssessmentRow, counted, newest)
        words = search.strip()
        if words:
            pattern = f"%{_escape_like(words)}%"
            query = query.where(
                or_(
                    AssessmentRow.title.ilike(pattern, escape="\\"),
                    AssessmentRow.service.ilike(pattern, escape="\\"),
                    AssessmentRow.owner.ilike(pattern, escape="\\"),
                )
            )
        if service is not None:
            query = query.where(AssessmentRow.service == service)
        if level is not None:
            query = query.where(AssessmentRow.level == level)
        if status is not None:
            query = query.where(AssessmentRow.status == status)
        if since is not None:
            query = query.where(AssessmentRow.updated_at >= datetime.combine(since, time.min, tzinfo=UTC))
        query = query.order_by(AssessmentRow.updated_at.desc(), AssessmentRow.created_at.desc())
        with self._session() as session:
            shared: dict[str, set[str]] = {}
            for share in session.scalars(select(ShareRow)):
                shared.setdefault(share.assessment_id, set()).add(share.subject)
            return [
                AssessmentSummary(
                    assessment_id=row.id,
                    title=row.title,
                    service=row.service,
                    owner=row.owner,
                    level=row.level,
                    status=row.status,
                    versions=count,
                    latest_version=latest or 0,
                    created_at=row.created_at,
                    updated_at=row.updated_at,
                    owner_subject=row.owner_subject,
                    shared_with=frozenset(shared.get(row.id, ())),
                )
                for row, count, latest in session.execute(query)
            ]

    def services(self) -> builtins.list[str]:  # builtins: the method list above shadows the type in the class
        """The distinct services of all assessments, sorted: the choices of a filter."""
        with self._session() as session:
            return sorted(session.scalars(select(AssessmentRow.service).distinct()))


def _approved(session: Session, assessment_id: str) -> set[int]:
    """The versions of the assessment an approver approved (each stays final after the assessment is reopened)."""
    return set(
        session.scalars(
            select(ApprovalRow.version).where(
                ApprovalRow.assessment_id == assessment_id, ApprovalRow.outcome == "approved"
            )
        )
    )


def _status_of(version: int, newest: int | None, status: str, approved: set[int]) -> str:
    """A version's status: "final" when it was approved or is the latest of a final assessment, else "draft"."""
    return "final" if version in approved or (version == newest and status == "final") else "draft"


def _save_entries(
    before_plan: dict[str, Any],
    before_decisions: dict[str, dict[str, str]],
    before_notes: dict[str, Any],
    plan: dict[str, Any],
    decisions: dict[str, dict[str, str]],
    notes: dict[str, Any],
    label: str | None,
) -> list[tuple[str, str]]:
    """What a save did, as audit entries (action, detail): answers given, mitigations accepted, adapted or decided.

    The details name what changed by its key (question ids, mitigation keys): data, worded for a reader with the
    rule base by proofing.audit_words. A mitigation adapted is logged as adapted, never as accepted.
    """
    if label is not None:
        return [("restored" if label.startswith("Restored") else "answered", label)]
    entries: list[tuple[str, str]] = []
    old_answers, new_answers = before_plan.get("answers") or {}, plan.get("answers") or {}
    changed = sorted(key for key in set(old_answers) | set(new_answers) if old_answers.get(key) != new_answers.get(key))
    changed += [name for name in DETAILS if before_plan.get(name) != plan.get(name)]
    if changed:
        entries.append(("answered", "Changed: " + ", ".join(changed)))
    old_notes, new_notes = before_notes.get("mitigations") or {}, notes.get("mitigations") or {}

    def adapted(kept: dict[str, Any], key: str) -> bool:
        return (kept.get(key) or {}).get("choice") == "adapted"

    for key in sorted(set(before_decisions) | set(decisions) | set(old_notes) | set(new_notes)):
        old, new = before_decisions.get(key, {}), decisions.get(key, {})
        now_adapted = adapted(new_notes, key) and new.get("status") == "accepted"
        if now_adapted and (not adapted(old_notes, key) or old.get("status") != "accepted"):
            entries.append(("adapted a mitigation", key))
        elif old == new:
            continue
        elif new.get("status") == "accepted" and old.get("status") != "accepted":
            entries.append(("accepted a mitigation", key))
        else:
            entries.append(("decided on a mitigation", f"{key}: {new.get('status', 'removed')}"))
    return entries or [("answered", "Reasons, notes or the level changed")]
