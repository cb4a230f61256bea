"""Who may see what and people's settings: sharing, roles assigned in the app, languages, training rounds."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from sqlalchemy import (
    select,
)

from proofing.access import ROLES, Role, User
from proofing.errors import N_, StoreError
from proofing.identity import clean_name, name_problem
from proofing.language import is_language, language_name, languages
from proofing.models import (
    TrainingRound,
)
from proofing.store.base import StoreBase
from proofing.store.schema import (
    AssessmentRow,
    RoleAssignmentRow,
    ShareRow,
    TrainingRoundRow,
    UserNameRow,
    UserSettingRow,
)
from proofing.store.values import (
    _batches,
    _is_id,
    _now,
)


class People(StoreBase):
    """Sharing, roles, settings and training rounds (a part of Store)."""

    def access(self, assessment_id: str) -> tuple[str, frozenset[str]] | None:
        """The assessment's owner (subject) and the subjects it is shared with; None for no such assessment."""
        if not _is_id(assessment_id):
            return None
        with self._session() as session:
            row = session.get(AssessmentRow, assessment_id)
            if row is None:
                return None
            shared = session.scalars(select(ShareRow.subject).where(ShareRow.assessment_id == assessment_id))
            return row.owner_subject, frozenset(shared)

    def accesses(self, assessment_ids: Iterable[str]) -> dict[str, tuple[str, frozenset[str]]]:
        """`access` of many assessments in two queries (per batch of ids), for a list checked once rather than a
        round trip each: the owner and sharers of each one that exists; unknown ids are left out."""
        found: dict[str, tuple[str, frozenset[str]]] = {}
        with self._session() as session:
            for batch in _batches(assessment_ids):
                owners = session.execute(
                    select(AssessmentRow.id, AssessmentRow.owner_subject).where(AssessmentRow.id.in_(batch))
                ).all()
                shared: dict[str, set[str]] = {}
                for assessment_id, subject in session.execute(
                    select(ShareRow.assessment_id, ShareRow.subject).where(ShareRow.assessment_id.in_(batch))
                ):
                    shared.setdefault(assessment_id, set()).add(subject)
                for assessment_id, owner in owners:
                    found[assessment_id] = (owner, frozenset(shared.get(assessment_id, ())))
        return found

    def share(self, assessment_id: str, subject: str, *, by: User | None = None) -> None:
        """Share the assessment with a colleague, by their identity provider subject (sharing twice is once)."""
        who = subject.strip()
        if not who or len(who) > 200:
            raise StoreError(N_("share with a person's identity (their subject), of 1 to 200 characters"))
        with self._session(write=True) as session:
            self._locked(session, assessment_id)
            if session.get(ShareRow, (assessment_id, who)) is None:
                session.add(ShareRow(assessment_id=assessment_id, subject=who, shared_at=_now()))
                self._audit(session, by, "shared", assessment_id, None, f"Shared with {who}")

    def unshare(self, assessment_id: str, subject: str, *, by: User | None = None) -> None:
        """Stop sharing the assessment with `subject` (not shared: nothing happens)."""
        with self._session(write=True) as session:
            self._locked(session, assessment_id)
            found = session.get(ShareRow, (assessment_id, subject))
            if found is not None:
                session.delete(found)
                self._audit(session, by, "shared", assessment_id, None, f"No longer shared with {subject}")

    def assigned_roles(self, subject: str) -> frozenset[Role]:
        """The roles an administrator assigned `subject` in the app (for views.signin.require_user(assigned=...))."""
        with self._session() as session:
            found = session.scalars(select(RoleAssignmentRow.role).where(RoleAssignmentRow.subject == subject))
            return frozenset(role for role in found if role in ROLES)

    def language_of(self, subject: str) -> str | None:
        """The language a person chose for the app (a code ``languages()`` lists), or None when they have not chosen."""
        with self._session() as session:
            row = session.get(UserSettingRow, subject)
            return row.language if row is not None else None

    def set_language(self, subject: str, language: str) -> None:
        """Remember the language a person chose, for every page and every later visit."""
        if not is_language(language):
            spoken = ", ".join(f"{language_name(code)} ({code})" for code in languages())
            raise StoreError(N_("the app speaks {spoken}, not '{language}'"), spoken=spoken, language=language)
        with self._session(write=True) as session:
            row = session.get(UserSettingRow, subject)
            if row is None:
                session.add(UserSettingRow(subject=subject, language=language, updated_at=_now()))
            elif row.language != language:
                row.language, row.updated_at = language, _now()

    def name_of(self, subject: str) -> str | None:
        """The name a person gave for themselves (local mode's user: see proofing.identity), or None."""
        with self._session() as session:
            row = session.get(UserNameRow, subject)
            return row.name if row is not None else None

    def set_name(self, subject: str, name: str, *, by: User | None = None) -> None:
        """Keep the name a person gives for themselves; audited, so the trail says when its actor lines changed.

        Refused in words (StoreError) for an empty, over-long or control-character name (identity.name_problem).
        """
        if (problem := name_problem(name)) is not None:
            raise StoreError(problem)
        given = clean_name(name)
        with self._session(write=True) as session:
            row = session.get(UserNameRow, subject)
            before = row.name if row is not None else ""
            if row is None:
                session.add(UserNameRow(subject=subject, name=given, updated_at=_now()))
            elif row.name == given:
                return
            else:
                row.name, row.updated_at = given, _now()
            named = by.model_copy(update={"name": given}) if by is not None else None  # the entry names them so
            self._audit(
                session, named, "gave their name", None, None, f"{given} (until now {before})" if before else given
            )

    def role_assignments(self) -> dict[str, frozenset[Role]]:
        """Every subject with roles assigned in the app, and those roles."""
        with self._session() as session:
            kept: dict[str, set[Role]] = {}
            for row in session.scalars(select(RoleAssignmentRow).order_by(RoleAssignmentRow.subject)):
                if row.role in ROLES:
                    kept.setdefault(row.subject, set()).add(row.role)
            return {subject: frozenset(roles) for subject, roles in kept.items()}

    def set_roles(self, subject: str, roles: frozenset[Role] | set[Role], *, by: User | None = None) -> None:
        """Make `roles` the roles assigned to `subject` in the app (an empty set removes them all)."""
        who = subject.strip()
        if not who or len(who) > 200:
            raise StoreError(N_("a person's identity (their subject) must be 1 to 200 characters"))
        unknown = sorted(set(roles) - set(ROLES))
        if unknown:
            raise StoreError(
                N_("{unknown} is not a role; the roles are: {roles}"),
                unknown=", ".join(unknown),
                roles=", ".join(ROLES),
            )
        with self._session(write=True) as session:
            rows = {
                row.role: row
                for row in session.scalars(select(RoleAssignmentRow).where(RoleAssignmentRow.subject == who))
            }
            if set(rows) == set(roles):
                return
            for role, row in rows.items():
                if role not in roles:
                    session.delete(row)
            for role in roles:
                if role not in rows:
                    session.add(RoleAssignmentRow(subject=who, role=role, assigned_at=_now()))
            words = ", ".join(sorted(roles)) or "no role"
            self._audit(session, by, "role changed", None, None, f"{who}: {words}")

    def record_export(self, assessment_id: str, version: int, what: str, *, by: User | None = None) -> None:
        """Note in the audit trail that `what` (the Word record, the plan file) of a version was exported."""
        with self._session(write=True) as session:
            self._locked(session, assessment_id)
            self._audit(session, by, "exported", assessment_id, version, what)

    def record_round(
        self,
        case: str,
        organisation: str,
        prediction: dict[str, Any],
        score: int,
        outcomes: dict[str, list[str]],
        *,
        by: User,
    ) -> None:
        """Keep a trainee's submitted round (`outcomes`: rule ids "found", "missed", "over-called"), audited."""
        organisation = organisation.strip()
        if not organisation:
            raise StoreError(N_("say which service or partner organisation you work for before submitting a round"))
        with self._session(write=True) as session:
            session.add(
                TrainingRoundRow(
                    at=_now(),
                    subject=by.subject,
                    who=by.name[:500],  # the certificate names the person, without their email
                    organisation=organisation[:200],
                    case_id=case[:200],
                    prediction=prediction,
                    score=score,
                    found=list(outcomes.get("found", [])),
                    missed=list(outcomes.get("missed", [])),
                    over_called=list(outcomes.get("over-called", [])),
                )
            )
            self._audit(session, by, "completed a training case", None, None, f"{case}: {score} of 100")

    def training_rounds(self, subject: str | None = None) -> list[TrainingRound]:
        """Every stored training round, oldest first: of one person (their `subject`), or (None) everyone's."""
        query = select(TrainingRoundRow).order_by(TrainingRoundRow.id)
        if subject is not None:
            query = query.where(TrainingRoundRow.subject == subject)
        with self._session() as session:
            return [
                TrainingRound(
                    at=row.at,
                    subject=row.subject,
                    who=row.who,
                    organisation=row.organisation,
                    case=row.case_id,
                    prediction=row.prediction,
                    score=row.score,
                    found=row.found,
                    missed=row.missed,
                    over_called=row.over_called,
                )
                for row in session.scalars(query)
            ]
