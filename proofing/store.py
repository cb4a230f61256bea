"""Where drafts and versions of assessments are kept: a small SQL database behind a plain Python API.

An *assessment* is one plan being proofed over time. Every save of a draft keeps a new numbered *version*
(1, 2, 3 ...) holding the plan, the decisions on its mitigations and the screening level at that moment, so
earlier answers are never lost; saving content identical to the latest version adds nothing. An assessment is
a ``draft`` until it is marked ``final``; a final one refuses changes (FinalAssessmentError: duplicate it to
revise it, or set it back to draft).

Nothing is lost between two people editing one assessment: every save names the version it was based on
(``expected_version``), and a save based on anything but the latest version is refused with a
``StaleVersionError`` instead of quietly replacing the other person's work. The person refused can reload, or
keep both: ``merge`` joins two sets of changes to a common version answer by answer (and decision by decision),
and ``Store.keep_both`` saves that merge. Reading never writes.

The level kept with a version is the screening level only once the plan can be screened (``screening_level``:
no problems left by ``assess_draft``); an incomplete draft keeps none, so a list never calls it screened out.

Design:

* SQLAlchemy 2.0 ORM with typed ``Mapped[...]`` models, two tables: ``assessments`` (one row per assessment,
  holding what lists and filters need: title, service, owner, status, level, times) and ``versions`` (one row
  per saved version; plan and decisions as JSON, unique on (assessment_id, version)).
* The schema is created and upgraded only by the Alembic migrations in ``proofing/migrations`` (shipped inside
  the package), run programmatically to ``head`` the first time a process opens a database; never
  ``create_all``. A database made by an older release is thus upgraded in place when a newer one opens it.
* Thread-safe: one Engine (a connection pool) per URL per process, shared by every ``Store`` on that URL, and a
  short session per call. Streamlit runs each browser session as a thread of one process, so many ``Store``
  objects may be used at once.
* Writes that read-then-write (the next version number) lock the assessment first: ``SELECT ... FOR UPDATE``
  on PostgreSQL; on SQLite a write transaction starts with ``BEGIN IMMEDIATE`` so two writers queue instead of
  failing to upgrade their locks. SQLite runs in WAL mode (readers do not wait for a writer) with foreign keys
  enforced.
* Times are timezone-aware UTC in and out, whichever database keeps them.
* Anything the database refuses (a bad URL, a server that cannot be reached, a full disk) comes out as a
  ``StoreError`` whose message says in words what is wrong, never a driver traceback.

The database is ``PROOFING_DB_URL`` when set, else a SQLite file ``data/proofing.db`` under the project root.
"""

from __future__ import annotations

import functools
import os
import re
import threading
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time
from pathlib import Path
from typing import Any, Literal

from alembic import command
from alembic.config import Config
from pydantic import BaseModel, ConfigDict, ValidationError
from sqlalchemy import (
    JSON,
    Boolean,
    CheckConstraint,
    Connection,
    DateTime,
    Dialect,
    Engine,
    ForeignKey,
    Index,
    Integer,
    String,
    UniqueConstraint,
    create_engine,
    delete,
    event,
    func,
    make_url,
    or_,
    select,
    update,
)
from sqlalchemy.engine import URL
from sqlalchemy.exc import ArgumentError, NoSuchModuleError, SQLAlchemyError
from sqlalchemy.orm import DeclarativeBase, Mapped, Session, mapped_column, sessionmaker
from sqlalchemy.pool import StaticPool
from sqlalchemy.types import TypeDecorator

from proofing import approvals, audit_chain
from proofing.access import PERMISSIONS, ROLES, Action, PermissionDenied, Role, User, may, require
from proofing.approvals import Approval, SignOff
from proofing.assessment import answer_words, assess_agreed
from proofing.decisions import DecisionNotes, decision_problem
from proofing.errors import ProofingError
from proofing.knowledge import KnowledgeBase, configured_rules_dir, load_knowledge
from proofing.plan import Plan
from proofing.verify import answer_changes

PROJECT_ROOT = Path(__file__).resolve().parent.parent
MIGRATIONS = Path(__file__).resolve().parent / "migrations"
STATUSES = ("draft", "final")
STATUS_WORDS = {"draft": "Draft", "final": "Final"}  # how a status reads on a page or in a list
MAX_TITLE = 500  # as Plan.title allows
COPY_PREFIX = "Copy of "
DETAILS = ("title", "service", "owner", "description")
LOCAL_SUBJECT = "local"  # the owner of assessments made before sign-in (local mode's one user)
KEEP_BOTH_ATTEMPTS = 50  # a merge is retried while others keep saving; past this, the person is asked again
_ID = re.compile(r"[0-9a-f]{32}")  # what create() makes (uuid4 hex); anything else names no assessment

_WRITE = "proofing_write"  # execution option: this transaction writes (SQLite: BEGIN IMMEDIATE)


def default_db_url() -> str:
    """The database to use: ``PROOFING_DB_URL`` when set, else ``sqlite:///<project root>/data/proofing.db``.

    Read at each call, so a changed environment is seen; the ``data/`` folder is made for the SQLite default.
    """
    url = os.environ.get("PROOFING_DB_URL", "").strip()
    if url:
        return url
    folder = PROJECT_ROOT / "data"
    folder.mkdir(parents=True, exist_ok=True)
    return f"sqlite:///{folder / 'proofing.db'}"


def __getattr__(name: str) -> str:
    """``DEFAULT_DB_URL`` is computed when it is read (see default_db_url), not frozen at import."""
    if name == "DEFAULT_DB_URL":
        return default_db_url()
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


class StoreError(ProofingError):
    """The assessment store cannot do what was asked: a bad URL, an unreachable database, an unknown assessment."""


class StaleVersionError(StoreError):
    """A save based on a version that is no longer the latest: someone else saved in between.

    Nothing was written. ``expected`` is the version the refused save was based on, ``current`` the latest.
    """

    def __init__(self, assessment_id: str, title: str, expected: int, current: int) -> None:
        self.assessment_id, self.title, self.expected, self.current = assessment_id, title, expected, current
        super().__init__(
            f"{title!r} was changed by someone else since you opened it (you opened version {expected}; it is now "
            f"at version {current}), so your change was not saved. Reload it to see their changes, or keep both."
        )


class FinalAssessmentError(StoreError):
    """A change to a final assessment: it is read-only. Nothing was written."""

    def __init__(self, assessment_id: str, title: str) -> None:
        self.assessment_id, self.title = assessment_id, title
        super().__init__(
            f"assessment {title!r} is final and cannot be changed; reopen it as a new draft to revise it, "
            "or set it back to draft"
        )


@dataclass(frozen=True)
class SavedVersion:
    """One saved version of an assessment, as it was saved.

    ``status`` is the status this version has: the latest version of a final assessment is ``final``; every
    other version is a ``draft`` (a final assessment takes no new versions, so its latest is what was signed off).
    """

    assessment_id: str
    version: int
    plan: Plan
    decisions: dict[str, dict[str, str]]
    level: str | None
    status: str
    saved_at: datetime
    notes: dict[str, dict[str, dict[str, str]]] = field(default_factory=dict)
    label: str | None = None  # a named checkpoint, or what made this version ("Restored from version 2")
    revision: int = 0  # how many times an editing session amended this version; every save names it


@dataclass(frozen=True)
class HistoryEntry:
    """One version as the history lists it: its number, name, time and what changed from the version before."""

    version: int
    label: str | None
    saved_at: datetime
    changes: list[str]


@dataclass(frozen=True)
class AssessmentSummary:
    """One line of the list of assessments: what a person scans and filters on."""

    assessment_id: str
    title: str
    service: str
    owner: str
    level: str | None
    status: str
    versions: int
    latest_version: int  # the number to pass as expected_version when acting on what the list showed
    created_at: datetime
    updated_at: datetime
    owner_subject: str = LOCAL_SUBJECT  # who created it (the identity provider's subject)
    shared_with: frozenset[str] = frozenset()  # the subjects it is shared with


class AuditEntry(BaseModel):
    """One line of the audit trail: who did what, when, to which assessment (and version). Never changed."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    at: datetime
    subject: str
    who: str
    action: str
    assessment_id: str | None = None
    version: int | None = None
    detail: str = ""


NOTE_KINDS = ("mitigations", "own", "set_aside", "agreed", "added")


class TrainingRound(BaseModel):
    """A stored training round, as the trainer's view and the certificate read it."""

    model_config = ConfigDict(frozen=True)

    at: datetime
    subject: str
    who: str
    organisation: str
    case: str
    prediction: dict[str, Any]
    score: int
    found: list[str]
    missed: list[str]
    over_called: list[str]


def notes_problem(notes: dict[str, Any]) -> str | None:
    """What is wrong with decision notes, in words, or None when they can be kept."""
    try:
        DecisionNotes.model_validate(notes)
    except ValidationError as error:
        detail = error.errors()[0]
        where = " / ".join(str(part) for part in detail["loc"])
        return f"{where}: {detail['msg']}"
    return None


class Draft(BaseModel):
    """What one person has on their page: a plan, the decisions on its mitigations and the notes beside them.

    (One side of a merge.)
    """

    model_config = ConfigDict(extra="forbid", frozen=True)

    plan: Plan
    decisions: dict[str, dict[str, str]] = {}
    notes: dict[str, dict[str, dict[str, str]]] = {}


class Conflict(BaseModel):
    """One place both people changed differently since the common version: a detail, an answer or a decision.

    ``kind`` says which; ``key`` is the detail's name, the question id, or "mitigation key/field"; ``base``,
    ``mine`` and ``theirs`` are the values (None: not given).
    """

    model_config = ConfigDict(extra="forbid", frozen=True)

    kind: Literal["detail", "answer", "decision", "note"]
    key: str
    base: Any = None
    mine: Any = None
    theirs: Any = None


class Merge(BaseModel):
    """Two people's changes since one version, joined: the merged draft, what each side changed, the conflicts.

    Where both changed the same thing differently, ``draft`` keeps *mine* (the person asking to keep both saw
    the conflict before choosing) and the place is listed in ``conflicts``.
    """

    model_config = ConfigDict(extra="forbid", frozen=True)

    draft: Draft
    mine_changed: int
    theirs_changed: int
    conflicts: list[Conflict]


class KeptBoth(BaseModel):
    """What Store.keep_both saved: the new version's number and the merge it holds."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    version: int
    merge: Merge


_ABSENT = object()


def _flat(draft: Draft) -> dict[tuple[str, ...], Any]:
    """A draft as place -> value: each detail, each answer, each field of each decision."""
    flat: dict[tuple[str, ...], Any] = {("detail", name): getattr(draft.plan, name) for name in DETAILS}
    flat |= {("answer", question): answer for question, answer in draft.plan.answers.items()}
    for key, fields in draft.decisions.items():
        flat |= {("decision", key, name): value for name, value in fields.items()}
    for kind, entries in draft.notes.items():
        for key, fields in entries.items():
            flat |= {("note", kind, key, name): value for name, value in fields.items()}
    return flat


def merge(base: Draft, mine: Draft, theirs: Draft) -> Merge:
    """Join `mine` and `theirs`, both changed from `base`, answer by answer: nothing either side changed is lost.

    A place (a plan detail, an answer, one field of a mitigation decision) takes whichever side changed it;
    when both changed it to different values it keeps mine and is reported as a Conflict. Pure: no store.
    """
    flat_base, flat_mine, flat_theirs = _flat(base), _flat(mine), _flat(theirs)
    merged: dict[tuple[str, ...], Any] = {}
    conflicts: list[Conflict] = []
    mine_changed = theirs_changed = 0
    for place in sorted(flat_base.keys() | flat_mine.keys() | flat_theirs.keys()):
        was, ours, their = (flat.get(place, _ABSENT) for flat in (flat_base, flat_mine, flat_theirs))
        mine_changed += ours != was
        theirs_changed += their != was
        if their == was or ours == their:
            chosen = ours
        elif ours == was:
            chosen = their
        else:
            chosen = ours
            conflicts.append(
                Conflict(
                    kind=place[0],  # type: ignore[arg-type]
                    key="/".join(place[1:]),
                    **{
                        name: None if value is _ABSENT else value
                        for name, value in (("base", was), ("mine", ours), ("theirs", their))
                    },
                )
            )
        if chosen is not _ABSENT:
            merged[place] = chosen
    details = {place[1]: value for place, value in merged.items() if place[0] == "detail"}
    answers = {place[1]: value for place, value in merged.items() if place[0] == "answer"}
    decisions: dict[str, dict[str, str]] = {}
    notes: dict[str, dict[str, dict[str, str]]] = {}
    for place, value in merged.items():
        if place[0] == "decision":
            decisions.setdefault(place[1], {})[place[2]] = value
        elif place[0] == "note":
            notes.setdefault(place[1], {}).setdefault(place[2], {})[place[3]] = value
    plan = Plan.model_validate({**details, "answers": answers})
    return Merge(
        draft=Draft(plan=plan, decisions=decisions, notes=_notes_data(notes)),
        mine_changed=mine_changed,
        theirs_changed=theirs_changed,
        conflicts=conflicts,
    )


_DETAIL_WORDS = {"title": "Title", "service": "Service", "owner": "Owner", "description": "What the plan does"}
_DECISION_WORDS = {"status": "decision", "owner": "owner", "due": "due date"}


def conflict_words(kb: KnowledgeBase, conflict: Conflict) -> tuple[str, str, str]:
    """A conflict as a reader sees it: (what, yours, theirs), with the question's words, never its id."""

    def shown(value: Any) -> str:
        if value is None or value == "":
            return "(not answered)" if conflict.kind == "answer" else "(empty)"
        return answer_words(kb, conflict.key, value) if conflict.kind == "answer" else str(value)

    if conflict.kind == "detail":
        what = _DETAIL_WORDS.get(conflict.key, conflict.key)
    elif conflict.kind == "answer":
        question = kb.questionnaire.question(conflict.key)
        what = question.text if question is not None else conflict.key
    elif conflict.kind == "note":
        kind, name = conflict.key.split("/", 1)[0], conflict.key.rsplit("/", 1)[-1]
        what = {"own": "Your own mitigation", "set_aside": "Finding set aside"}.get(kind, "Mitigation") + f" ({name})"
    else:
        name = conflict.key.rsplit("/", 1)[-1]
        what = f"Mitigation {_DECISION_WORDS.get(name, name)}"
    return what, shown(conflict.mine), shown(conflict.theirs)


def _draft_of(saved: SavedVersion) -> Draft:
    return Draft(plan=saved.plan, decisions=saved.decisions, notes=saved.notes)


def version_changes(kb: KnowledgeBase, before: SavedVersion, after: SavedVersion) -> list[str]:
    """What changed from one version to the next, in words: details, answers (question by question), decisions."""
    changes = [
        f"{_DETAIL_WORDS[name]} changed." for name in DETAILS if getattr(before.plan, name) != getattr(after.plan, name)
    ]
    changes += [
        f"{question}: {earlier} → {later}" for question, earlier, later in answer_changes(kb, before.plan, after.plan)
    ]
    decided = sum(before.decisions.get(key) != value for key, value in after.decisions.items())
    decided += sum(key not in after.decisions for key in before.decisions)
    if decided:
        changes.append(f"{decided} mitigation decision{'s' if decided != 1 else ''} changed.")
    changes += agreement_changes(kb, before, after)
    if _without_agreement(before.notes) != _without_agreement(after.notes):
        changes.append("Reasons, own mitigations or findings set aside changed.")
    return changes or ["Nothing changed."]


def _without_agreement(notes: dict[str, dict[str, dict[str, str]]]) -> dict[str, dict[str, dict[str, str]]]:
    return {kind: entries for kind, entries in notes.items() if kind not in ("agreed", "added")}


def agreement_changes(kb: KnowledgeBase, before: SavedVersion, after: SavedVersion) -> list[str]:
    """What an EIA workshop changed from one version to the next, finding by finding, in words."""
    if (before.notes.get("agreed"), before.notes.get("added")) == (after.notes.get("agreed"), after.notes.get("added")):
        return []
    rules_view, _problems = assess_agreed(kb, after.plan, None)
    titles = {finding.rule: finding.title for finding in rules_view.findings}
    rules = {finding.rule: finding for finding in rules_view.findings}
    earlier = DecisionNotes.model_validate(before.notes)
    later = DecisionNotes.model_validate(after.notes)
    changes = []
    for rule, agreed in later.agreed.items():
        if earlier.agreed.get(rule) == agreed:
            continue
        title = titles.get(rule, rule)
        finding = rules.get(rule)
        was = f"{finding.likelihood} × {finding.severity}" if finding else "the rules' scores"
        if not agreed.keep:
            changes.append(f"The workshop dropped '{title}'" + (f": {agreed.note}" if agreed.note else "."))
        else:
            changes.append(
                f"The workshop agreed '{title}' at likelihood {agreed.likelihood} × severity {agreed.severity} "
                f"(the rules: {was})."
            )
    for key, added in later.added.items():
        if earlier.added.get(key) != added:
            changes.append(
                f"The workshop added an impact the rules missed: '{added.title}' (likelihood {added.likelihood} × "
                f"severity {added.severity})."
            )
    removed = len(set(earlier.agreed) - set(later.agreed)) + len(set(earlier.added) - set(later.added))
    if removed:
        changes.append(f"{removed} workshop agreement{'s' if removed != 1 else ''} no longer kept.")
    return changes


def screening_level(kb: KnowledgeBase, plan: Plan, notes: dict[str, Any] | None = None) -> str | None:
    """The level to keep with a version of `plan`: its screening level once it can be screened, else None; as an
    EIA workshop agreed it when `notes` hold one's agreement.

    A draft with problems (a required answer missing, a wrong answer) is not screened yet; storing the level its
    partial answers happen to give would make the register call it "screened out" while the page says otherwise.
    """
    assessment, problems = assess_agreed(kb, plan, notes)
    return None if problems else assessment.level


PLAN_DATES = ("start_date", "decision_date", "implementation_date")  # answers that date a plan, first found wins
WARD_GEOGRAPHIES = ("named_wards", "rural_areas")  # where the plan applies when its wards answer counts


def plan_wards(plan: Plan) -> list[str]:
    """The wards a plan names: its `wards` answer as a list of place ids, or (older plans) its text split on commas.

    Only when the plan applies in named wards or rural areas (elsewhere the question is not asked). Each ward is
    kept as written with its spaces tidied, once, in the order given.
    """
    answers = plan.answers
    if answers.get("geography") not in WARD_GEOGRAPHIES:
        return []
    given = answers.get("wards")
    parts = given.split(",") if isinstance(given, str) else given if isinstance(given, list) else []
    wards: list[str] = []
    for part in parts:
        ward = " ".join(str(part).split())[:200]
        if ward and ward not in wards:
            wards.append(ward)
    return wards


def plan_dated(plan: Plan, saved_at: datetime) -> datetime:
    """When a plan happens for the cumulative view: its start or decision date when it has one, else `saved_at`."""
    for name in PLAN_DATES:
        given = plan.answers.get(name)
        if isinstance(given, str):
            try:
                return datetime.combine(date.fromisoformat(given.strip()[:10]), time.min, tzinfo=UTC)
            except ValueError:
                continue
    return saved_at


def quarter_of(when: datetime | date) -> str:
    """The calendar quarter of a day, as the heat map's columns read: "2026 Q4"."""
    return f"{when.year} Q{(when.month - 1) // 3 + 1}"


def cumulative_entries(
    kb: KnowledgeBase, plan: Plan, notes: dict[str, Any] | None, saved_at: datetime
) -> list[dict[str, Any]]:
    """The rows of the cumulative index for one version: each group with a negative finding (as any workshop agreed
    it), once per ward the plan names (or once with ward '' when it names none), with its highest negative score.

    Without the assessment's id, version, level, status, service and title (the caller adds them). Pure.
    """
    assessment, _problems = assess_agreed(kb, plan, notes)
    dated = plan_dated(plan, saved_at)
    wards = plan_wards(plan) or [""]
    return [
        {
            "group_id": profile.id,
            "ward": ward,
            "highest_score": profile.highest_negative_score,
            "dated": dated,
            "quarter": quarter_of(dated),
        }
        for profile in assessment.profile
        if profile.negative
        for ward in wards
    ]


# --- the schema, as the ORM sees it (created and changed only by proofing/migrations) ---------------------------


class UTCDateTime(TypeDecorator[datetime]):
    """A timezone-aware UTC datetime on every database (SQLite keeps no zone: it stores naive UTC)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("a naive datetime cannot be stored; give it a timezone")
        value = value.astimezone(UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


class Base(DeclarativeBase):
    """The store's tables; Alembic compares its migrations against this metadata."""


class AssessmentRow(Base):
    """One assessment: the fields lists and filters need, copied from its latest version."""

    __tablename__ = "assessments"
    __table_args__ = (
        CheckConstraint("status IN ('draft', 'final')", name="ck_assessments_status"),
        Index("ix_assessments_updated_at", "updated_at"),
        Index("ix_assessments_service", "service"),
    )

    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    title: Mapped[str] = mapped_column(String(500))
    service: Mapped[str] = mapped_column(String(500))
    owner: Mapped[str] = mapped_column(String(500))
    status: Mapped[str] = mapped_column(String(16))
    level: Mapped[str | None] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime())
    owner_subject: Mapped[str] = mapped_column(String(200), server_default=LOCAL_SUBJECT, default=LOCAL_SUBJECT)


class VersionRow(Base):
    """One saved version of an assessment: the plan and decisions as JSON, the level at save time."""

    __tablename__ = "versions"
    __table_args__ = (UniqueConstraint("assessment_id", "version", name="uq_versions_assessment_id_version"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    assessment_id: Mapped[str] = mapped_column(
        String(32), ForeignKey("assessments.id", ondelete="CASCADE", name="fk_versions_assessment_id")
    )
    version: Mapped[int] = mapped_column(Integer)
    plan: Mapped[dict[str, Any]] = mapped_column(JSON)
    decisions: Mapped[dict[str, dict[str, str]]] = mapped_column(JSON)
    level: Mapped[str | None] = mapped_column(String(64))
    saved_at: Mapped[datetime] = mapped_column(UTCDateTime())
    notes: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    label: Mapped[str | None] = mapped_column(String(200))
    editing: Mapped[str | None] = mapped_column(String(64))
    revision: Mapped[int] = mapped_column(Integer, server_default="0", default=0)


class ShareRow(Base):
    """An assessment shared with a colleague (by subject): they may work on it as its owner can."""

    __tablename__ = "shares"

    assessment_id: Mapped[str] = mapped_column(
        String(32), ForeignKey("assessments.id", ondelete="CASCADE", name="fk_shares_assessment_id"), primary_key=True
    )
    subject: Mapped[str] = mapped_column(String(200), primary_key=True)
    shared_at: Mapped[datetime] = mapped_column(UTCDateTime())


class RoleAssignmentRow(Base):
    """A role an administrator gave a subject in the app, added to the roles the identity provider gives."""

    __tablename__ = "role_assignments"

    subject: Mapped[str] = mapped_column(String(200), primary_key=True)
    role: Mapped[str] = mapped_column(String(32), primary_key=True)
    assigned_at: Mapped[datetime] = mapped_column(UTCDateTime())


class AuditRow(Base):
    """One audit entry. The database refuses UPDATE and DELETE on this table (a trigger; migration 0003)."""

    __tablename__ = "audit_entries"
    __table_args__ = (Index("ix_audit_entries_assessment_id", "assessment_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime())
    subject: Mapped[str] = mapped_column(String(200))
    who: Mapped[str] = mapped_column(String(500))
    action: Mapped[str] = mapped_column(String(64))
    assessment_id: Mapped[str | None] = mapped_column(String(32))
    version: Mapped[int | None] = mapped_column(Integer)
    detail: Mapped[str] = mapped_column(String(2000))
    prev_hash: Mapped[str | None] = mapped_column(String(64))  # the hash chain (proofing.audit_chain; 0009)
    hash: Mapped[str | None] = mapped_column(String(64))


class ApprovalRow(Base):
    """One submission of a version for approval and, once decided, the approver's sign-off (as SignOff JSON)."""

    __tablename__ = "approvals"
    __table_args__ = (
        CheckConstraint("outcome IN ('submitted', 'approved', 'sent_back')", name="ck_approvals_outcome"),
        Index("ix_approvals_assessment_id", "assessment_id"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    assessment_id: Mapped[str] = mapped_column(
        String(32), ForeignKey("assessments.id", ondelete="CASCADE", name="fk_approvals_assessment_id")
    )
    version: Mapped[int] = mapped_column(Integer)
    outcome: Mapped[str] = mapped_column(String(16))
    submitted_by: Mapped[str] = mapped_column(String(500))
    submitted_at: Mapped[datetime] = mapped_column(UTCDateTime())
    decided_by: Mapped[str | None] = mapped_column(String(500))
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    decision: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    digest: Mapped[str | None] = mapped_column(String(64))  # the content submitted (proofing.approvals; 0009)
    submitted_subject: Mapped[str | None] = mapped_column(String(200))


class TrainingRoundRow(Base):
    """One training round a trainee submitted: who, their service or partner organisation, the case, what they
    predicted, the score and the rule ids found, missed and over-called (JSON lists), and when."""

    __tablename__ = "training_rounds"
    __table_args__ = (Index("ix_training_rounds_subject", "subject"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime())
    subject: Mapped[str] = mapped_column(String(200))
    who: Mapped[str] = mapped_column(String(500))
    organisation: Mapped[str] = mapped_column(String(200))
    case_id: Mapped[str] = mapped_column(String(200))
    prediction: Mapped[dict[str, Any]] = mapped_column(JSON)
    score: Mapped[int] = mapped_column(Integer)
    found: Mapped[list[str]] = mapped_column(JSON)
    missed: Mapped[list[str]] = mapped_column(JSON)
    over_called: Mapped[list[str]] = mapped_column(JSON)


class WorkshopRow(Base):
    """One EIA workshop on one version of a draft: its join code, facilitator, stage and the findings it scores."""

    __tablename__ = "workshops"
    __table_args__ = (
        CheckConstraint("stage IN ('scoring', 'revealed', 'finalised')", name="ck_workshops_stage"),
        UniqueConstraint("code", name="uq_workshops_code"),
        Index("ix_workshops_assessment_id", "assessment_id"),
    )

    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    code: Mapped[str] = mapped_column(String(16))
    assessment_id: Mapped[str] = mapped_column(
        String(32), ForeignKey("assessments.id", ondelete="CASCADE", name="fk_workshops_assessment_id")
    )
    version: Mapped[int] = mapped_column(Integer)
    title: Mapped[str] = mapped_column(String(500))
    facilitator: Mapped[str] = mapped_column(String(500))
    facilitator_subject: Mapped[str] = mapped_column(String(200))
    stage: Mapped[str] = mapped_column(String(16))
    findings: Mapped[list[dict[str, Any]]] = mapped_column(JSON)
    opened_at: Mapped[datetime] = mapped_column(UTCDateTime())
    revealed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    finalised_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    finalised_version: Mapped[int | None] = mapped_column(Integer)
    revision: Mapped[int] = mapped_column(Integer, default=0)


class WorkshopParticipantRow(Base):
    """Someone who joined a workshop, with their service or partner organisation; `finished_at` once they said so."""

    __tablename__ = "workshop_participants"

    workshop_id: Mapped[str] = mapped_column(
        String(32),
        ForeignKey("workshops.id", ondelete="CASCADE", name="fk_workshop_participants_workshop_id"),
        primary_key=True,
    )
    participant: Mapped[str] = mapped_column(String(200), primary_key=True)
    name: Mapped[str] = mapped_column(String(500))
    organisation: Mapped[str] = mapped_column(String(200))
    joined_at: Mapped[datetime] = mapped_column(UTCDateTime())
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime())


class WorkshopScoreRow(Base):
    """One participant's score of one finding. Each participant writes only their own rows."""

    __tablename__ = "workshop_scores"
    __table_args__ = (
        CheckConstraint("verdict IN ('agree', 'disagree', 'unsure')", name="ck_workshop_scores_verdict"),
        CheckConstraint("likelihood BETWEEN 1 AND 5 AND severity BETWEEN 1 AND 5", name="ck_workshop_scores_range"),
    )

    workshop_id: Mapped[str] = mapped_column(
        String(32),
        ForeignKey("workshops.id", ondelete="CASCADE", name="fk_workshop_scores_workshop_id"),
        primary_key=True,
    )
    participant: Mapped[str] = mapped_column(String(200), primary_key=True)
    finding: Mapped[str] = mapped_column(String(200), primary_key=True)
    verdict: Mapped[str] = mapped_column(String(16))
    likelihood: Mapped[int] = mapped_column(Integer)
    severity: Mapped[int] = mapped_column(Integer)
    comment: Mapped[str] = mapped_column(String(2000))
    saved_at: Mapped[datetime] = mapped_column(UTCDateTime())


class WorkshopMissedRow(Base):
    """An impact a participant thinks the rules missed: which groups (JSON list of ids), why, how likely and serious."""

    __tablename__ = "workshop_missed"
    __table_args__ = (Index("ix_workshop_missed_workshop_id", "workshop_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    workshop_id: Mapped[str] = mapped_column(
        String(32), ForeignKey("workshops.id", ondelete="CASCADE", name="fk_workshop_missed_workshop_id")
    )
    participant: Mapped[str] = mapped_column(String(200))
    title: Mapped[str] = mapped_column(String(500))
    groups: Mapped[list[str]] = mapped_column(JSON)
    reason: Mapped[str] = mapped_column(String(5000))
    likelihood: Mapped[int] = mapped_column(Integer)
    severity: Mapped[int] = mapped_column(Integer)
    direction: Mapped[str] = mapped_column(String(16))
    added_at: Mapped[datetime] = mapped_column(UTCDateTime())


class WorkshopConsensusRow(Base):
    """What the room agreed about one finding or missed impact; `revision` rises with every edit (stale refused)."""

    __tablename__ = "workshop_consensus"

    workshop_id: Mapped[str] = mapped_column(
        String(32),
        ForeignKey("workshops.id", ondelete="CASCADE", name="fk_workshop_consensus_workshop_id"),
        primary_key=True,
    )
    key: Mapped[str] = mapped_column(String(200), primary_key=True)
    likelihood: Mapped[int] = mapped_column(Integer)
    severity: Mapped[int] = mapped_column(Integer)
    keep: Mapped[bool] = mapped_column(Boolean)
    note: Mapped[str] = mapped_column(String(2000))
    revision: Mapped[int] = mapped_column(Integer)
    by: Mapped[str] = mapped_column(String(500))
    at: Mapped[datetime] = mapped_column(UTCDateTime())


class UserSettingRow(Base):
    """What a person chose for themselves (for now, the language of the app and their records), by subject."""

    __tablename__ = "user_settings"
    __table_args__ = (CheckConstraint("language IN ('cy', 'en')", name="ck_user_settings_language"),)

    subject: Mapped[str] = mapped_column(String(200), primary_key=True)
    language: Mapped[str] = mapped_column(String(8))
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime())


class CumulativeRow(Base):
    """Derived: one negatively affected group (and ward, or '' for none) of an assessment's latest version.

    Kept equal to the latest version in the transaction of every write that makes or amends a version or changes
    the status (``Store._index``), so the cumulative view (proofing.cumulative) counts by SQL instead of assessing
    every plan. `dated` is the plan's own date (a start or decision date) when it has one, else the version's save
    time; `quarter` ("2026 Q4") is taken from it.
    """

    __tablename__ = "cumulative_impacts"
    __table_args__ = (
        Index("ix_cumulative_impacts_assessment_id", "assessment_id"),
        Index("ix_cumulative_impacts_dated_group", "dated", "group_id"),
        Index("ix_cumulative_impacts_group_ward", "group_id", "ward"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    assessment_id: Mapped[str] = mapped_column(
        String(32), ForeignKey("assessments.id", ondelete="CASCADE", name="fk_cumulative_impacts_assessment_id")
    )
    version: Mapped[int] = mapped_column(Integer)
    group_id: Mapped[str] = mapped_column(String(200))
    ward: Mapped[str] = mapped_column(String(200))
    highest_score: Mapped[int] = mapped_column(Integer)
    level: Mapped[str | None] = mapped_column(String(64))
    status: Mapped[str] = mapped_column(String(16))
    service: Mapped[str] = mapped_column(String(500))
    title: Mapped[str] = mapped_column(String(500))
    dated: Mapped[datetime] = mapped_column(UTCDateTime())
    quarter: Mapped[str] = mapped_column(String(8))


# --- engines: one per URL per process, migrated once -----------------------------------------------------------

_ENGINES: dict[str, Engine] = {}
_ENGINES_LOCK = threading.Lock()


def _shown(url: URL) -> str:
    return url.render_as_string(hide_password=True)


def _reason(error: BaseException) -> str:
    """The database's own first line about an error, without SQLAlchemy's wrapping and links."""
    original = getattr(error, "orig", None) or error
    text = str(original).strip().splitlines()
    return text[0].strip() if text else type(original).__name__


def _engine_for(url: str) -> Engine:
    """The process's engine for `url`, made and migrated to head on first use (thread-safe)."""
    with _ENGINES_LOCK:
        engine = _ENGINES.get(url)
        if engine is None:
            engine = _make_engine(url)
            try:
                _migrate(engine, url)
            except BaseException:
                engine.dispose()
                raise
            _ENGINES[url] = engine
        return engine


def _dispose_engine(url: str) -> None:
    """Forget the engine for `url` and close its connections (tests; a process normally keeps it)."""
    with _ENGINES_LOCK:
        engine = _ENGINES.pop(url, None)
    if engine is not None:
        engine.dispose()


def _make_engine(url: str) -> Engine:
    """An engine for `url`, tuned per backend; a URL that cannot be used is a StoreError in words."""
    try:
        parsed = make_url(url)
    except ArgumentError:
        raise StoreError(
            f"{url!r} is not a database URL; expected for example sqlite:///path/to/proofing.db "
            "or postgresql+psycopg://user@host:5432/dbname (set PROOFING_DB_URL)"
        ) from None
    backend = parsed.get_backend_name()
    options: dict[str, Any] = {}
    memory = False
    if backend == "sqlite":
        memory = parsed.database in (None, "", ":memory:") or parsed.query.get("mode") == "memory"
        if memory:  # one shared connection: an in-memory database exists only inside its connection
            options.update(poolclass=StaticPool, connect_args={"check_same_thread": False})
        else:
            options["connect_args"] = {"timeout": 30}
    else:
        options["pool_pre_ping"] = True  # a server restart must not leave dead connections in the pool
        if parsed.drivername in ("postgresql", "postgresql+psycopg", "postgresql+psycopg2") and (
            "connect_timeout" not in parsed.query
        ):
            options["connect_args"] = {"connect_timeout": 10}
    try:
        engine = create_engine(parsed, **options)
    except NoSuchModuleError:
        raise StoreError(
            f"cannot open the assessment store at {_shown(parsed)}: {parsed.drivername!r} is not a database "
            "this installation knows; use sqlite:///... or postgresql+psycopg://..."
        ) from None
    except (ArgumentError, ImportError) as error:
        raise StoreError(f"cannot open the assessment store at {_shown(parsed)}: {_reason(error)}") from None
    if backend == "sqlite":
        _tune_sqlite(engine, wal=not memory)
    return engine


def _tune_sqlite(engine: Engine, *, wal: bool) -> None:
    """WAL and foreign keys on every connection; explicit BEGIN (IMMEDIATE for writes) instead of pysqlite's."""

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        dbapi_connection.isolation_level = None  # SQLAlchemy's "begin" event below emits BEGIN itself
        cursor = dbapi_connection.cursor()
        try:
            cursor.execute("PRAGMA busy_timeout = 30000")
            cursor.execute("PRAGMA foreign_keys = ON")
            if wal:
                cursor.execute("PRAGMA journal_mode = WAL")
        finally:
            cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(connection: Connection) -> None:
        writes = connection.get_execution_options().get(_WRITE, False)
        connection.exec_driver_sql("BEGIN IMMEDIATE" if writes else "BEGIN")


def _migrate(engine: Engine, url: str) -> None:
    """Upgrade the database to the newest migration, on the engine's own connection, in one transaction."""
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.set_main_option("sqlalchemy.url", url.replace("%", "%%"))  # ConfigParser reads % as interpolation
    try:
        with engine.execution_options(**{_WRITE: True}).begin() as connection:
            config.attributes["connection"] = connection
            command.upgrade(config, "head")
    except SQLAlchemyError as error:
        raise StoreError(
            f"cannot open the assessment store at {_shown(engine.url)}: {_reason(error)}. "
            "Check the URL (PROOFING_DB_URL) and that the database is running and reachable."
        ) from None


# --- the store ---------------------------------------------------------------------------------------------------


def _now() -> datetime:
    return datetime.now(UTC)


def _plan_data(plan: Plan) -> dict[str, Any]:
    return plan.model_dump(mode="json")


def _decisions_data(decisions: dict[str, dict[str, Any]] | None) -> dict[str, dict[str, str]]:
    """Decisions as plain JSON strings; a date is kept as its ISO form, None as empty."""
    checked: dict[str, dict[str, str]] = {}
    for key, fields in (decisions or {}).items():
        if not isinstance(fields, dict):
            raise StoreError(f"the decision on {key!r} must be a mapping of status, owner and due, not {fields!r}")
        row: dict[str, str] = {}
        for name, value in fields.items():
            if value is None:
                value = ""
            elif isinstance(value, date):
                value = value.isoformat()
            elif not isinstance(value, str):
                raise StoreError(f"the decision on {key!r} has {name} = {value!r}; it must be text")
            row[str(name)] = value
        problem = decision_problem(row)
        if problem:
            raise StoreError(f"the decision on {key!r} cannot be kept: {problem}")
        checked[str(key)] = row
    return checked


def _notes_data(notes: dict[str, Any] | None) -> dict[str, dict[str, dict[str, str]]]:
    """Decision notes as plain JSON text, validated (DecisionNotes); empty kinds and entries are dropped."""
    kept: dict[str, dict[str, dict[str, str]]] = {}
    for kind, entries in (notes or {}).items():
        if not isinstance(entries, dict):
            raise StoreError(f"the notes {kind!r} must be a mapping, not {entries!r}")
        rows = {}
        for key, fields in entries.items():
            if not isinstance(fields, dict):
                raise StoreError(f"the note {kind}/{key} must be a mapping, not {fields!r}")
            row = {str(name): "" if value is None else str(value) for name, value in fields.items()}
            if any(row.values()):
                rows[str(key)] = row
        if rows:
            kept[str(kind)] = rows
    problem = notes_problem(kept)
    if problem:
        raise StoreError(f"the notes cannot be kept: {problem}")
    return kept


def _is_id(text: object) -> bool:
    """Whether `text` is shaped like an assessment id; anything else (a NUL, a path) never reaches the database."""
    return isinstance(text, str) and _ID.fullmatch(text) is not None


def _escape_like(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


@functools.lru_cache(maxsize=4)
def _rule_base(rules_dir: Path) -> KnowledgeBase:
    return load_knowledge(rules_dir)


def default_rule_base() -> KnowledgeBase:
    """The rule base the store assesses versions with for the cumulative index: the one the app serves, loaded once
    per process (``PROOFING_RULES_DIR`` when set, else the project's)."""
    return _rule_base(configured_rules_dir())


class Store:
    """The assessments in one database. Cheap to make and safe to share between threads."""

    def __init__(self, url: str | None = None, *, kb: KnowledgeBase | None = None) -> None:
        """Open the database at `url` (default: default_db_url()), upgrading its schema to head on first use.

        `kb` is the rule base each saved version is assessed with to keep the cumulative index (default: the one
        the app serves, ``default_rule_base``, loaded at the first write).
        """
        self.url = url if url is not None else default_db_url()
        self._rules = kb
        engine = _engine_for(self.url)
        self._shown = _shown(engine.url)
        self._read = sessionmaker(bind=engine, expire_on_commit=False)
        self._write = sessionmaker(bind=engine.execution_options(**{_WRITE: True}), expire_on_commit=False)

    def __repr__(self) -> str:
        return f"Store({self._shown!r})"

    @contextmanager
    def _session(self, *, write: bool = False) -> Iterator[Session]:
        """One transaction: committed when the block ends, rolled back on error; database errors in words."""
        factory = self._write if write else self._read
        try:
            with factory.begin() as session:
                yield session
        except SQLAlchemyError as error:
            raise StoreError(f"the assessment store at {self._shown} failed: {_reason(error)}") from None

    @property
    def kb(self) -> KnowledgeBase:
        """The rule base the cumulative index is kept with."""
        if self._rules is None:
            self._rules = default_rule_base()
        return self._rules

    @contextmanager
    def reading(self) -> Iterator[Session]:
        """A read-only transaction, for a module querying the store's tables (proofing.cumulative)."""
        with self._session() as session:
            yield session

    # writing

    def _index(self, session: Session, assessment_id: str) -> None:
        """Make the assessment's rows of the cumulative index equal its latest version, in the caller's transaction.

        Delete and insert: the rows say which groups (and wards) the latest version finds negatively affected, with
        its level, status, service and title, so the cumulative view never reads a stale count.
        """
        session.flush()
        session.execute(delete(CumulativeRow).where(CumulativeRow.assessment_id == assessment_id))
        row = session.get(AssessmentRow, assessment_id)
        latest = self._latest_row(session, assessment_id)
        if row is None or latest is None:
            return
        try:
            plan = Plan.model_validate(latest.plan)
        except ValidationError:
            return  # a version that no longer reads as a plan has no findings to count
        for entry in cumulative_entries(self.kb, plan, latest.notes, latest.saved_at):
            session.add(
                CumulativeRow(
                    assessment_id=assessment_id,
                    version=latest.version,
                    level=latest.level,
                    status=row.status,
                    service=row.service,
                    title=row.title,
                    **entry,
                )
            )

    @staticmethod
    def _audit(
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

    @staticmethod
    def _restatus(session: Session, assessment_id: str, status: str) -> None:
        """Keep the cumulative index's status equal to the assessment's (finalised, or set back to draft)."""
        session.execute(update(CumulativeRow).where(CumulativeRow.assessment_id == assessment_id).values(status=status))

    def create(
        self, plan: Plan, level: str | None = None, *, owner_subject: str | None = None, by: User | None = None
    ) -> str:
        """Start a new assessment of `plan`: version 1, a draft with no decisions. Returns its id.

        `level` is None (not screened yet) unless the plan can already be screened (see screening_level). The
        owner is `owner_subject`, else the acting user `by`, else the local user.
        """
        return self._start(plan, decisions={}, level=level, owner_subject=owner_subject, by=by)

    def _start(
        self,
        plan: Plan,
        decisions: dict[str, dict[str, str]],
        level: str | None,
        notes: dict[str, dict[str, dict[str, str]]] | None = None,
        *,
        owner_subject: str | None = None,
        by: User | None = None,
        detail: str = "",
        source: tuple[str, str, int, str] | None = None,
    ) -> str:
        """Insert a new draft assessment and its version 1; the one way an assessment comes to exist.

        `source` (action, assessment id, version, words) is the entry on the assessment it was copied from, kept
        in the same transaction: "reopened" or "duplicated", naming the copy.
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
                    notes=notes or {},
                    level=level,
                    saved_at=now,
                )
            )
            self._index(session, assessment_id)
            self._audit(session, by, "created", assessment_id, 1, detail or plan.title)
            if source is not None:
                action, source_id, source_version, words = source
                self._audit(session, by, action, source_id, source_version, f"{words}: {assessment_id}")
        return assessment_id

    def save(
        self,
        assessment_id: str,
        plan: Plan,
        decisions: dict[str, dict[str, str]] | None = None,
        level: str | None = None,
        *,
        expected_version: int,
        notes: dict[str, Any] | None = None,
        editing: str | None = None,
        expected_revision: int | None = None,
        label: str | None = None,
        by: User | None = None,
    ) -> int:
        """Keep `plan`, `decisions` (None: none), `notes` and `level` as the assessment's next version; its number.

        `expected_version` is the version the change was based on (the one the person opened or last saved). If
        anyone saved since, the change is refused with StaleVersionError, so one person never silently replaces
        another's work; reload, or use keep_both. Content identical to the latest version adds no version and
        returns the latest number (nothing would be lost). A final assessment refuses changed content
        (FinalAssessmentError). `level` must be None until the plan can be screened (see screening_level).

        Autosave without a version per click: with `editing` (a token for one person's editing session) and
        `expected_revision` (the revision of the version they are based on), a save amends the latest version in
        place when that same session made it and it is not a named checkpoint, raising its revision; a save based
        on an older revision is refused as stale like one based on an older version. `label` names the version
        made (a checkpoint, or "Restored from version 2"); a named version is never amended.
        """
        with self._session(write=True) as session:
            return self._save_in(
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
            )

    def _save_in(
        self,
        session: Session,
        assessment_id: str,
        plan: Plan,
        decisions: dict[str, dict[str, str]] | None,
        level: str | None,
        *,
        expected_version: int,
        notes: dict[str, Any] | None,
        editing: str | None,
        expected_revision: int | None,
        label: str | None,
        by: User | None,
    ) -> int:
        """`save` inside the caller's write transaction, so another change (a workshop finalised) can share it."""
        plan_data, decided, noted = _plan_data(plan), _decisions_data(decisions), _notes_data(notes)
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
        before = (dict(latest.plan), dict(latest.decisions)) if latest is not None else ({}, {})
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
        self._index(session, assessment_id)
        for action, detail in _save_entries(before[0], before[1], plan_data, decided, label):
            self._audit(session, by, action, assessment_id, number, detail)
        return number

    def restore(
        self,
        kb: KnowledgeBase,
        assessment_id: str,
        version: int,
        *,
        expected_version: int,
        expected_revision: int | None = None,
        by: User | None = None,
    ) -> int:
        """Make an earlier version the latest again, as a new version named "Restored from version N".

        Nothing is lost: every version in between stays in the history. Refused like save when someone saved since
        the person looked (StaleVersionError) or the assessment is final. Returns the new version's number.
        """
        earlier = self.version(assessment_id, version)
        if earlier is None:
            raise StoreError(f"there is no version {version} of assessment {assessment_id!r} to restore")
        return self.save(
            assessment_id,
            earlier.plan,
            earlier.decisions,
            screening_level(kb, earlier.plan, earlier.notes),
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
            raise StoreError("a named version needs a name, such as 'sent to workshop'")
        if len(words) > 200:
            raise StoreError("a version's name can be at most 200 characters")
        with self._session(write=True) as session:
            row = self._locked(session, assessment_id)
            latest = self._latest_row(session, assessment_id)
            current = latest.version if latest is not None else 0
            if latest is None or current != expected_version:
                raise StaleVersionError(assessment_id, row.title, expected_version, current)
            latest.label = words
            self._audit(session, by, "named a version", assessment_id, current, words)

    def history(self, kb: KnowledgeBase, assessment_id: str) -> list[HistoryEntry]:
        """Every version, newest first, each with what changed from the one before it, in words."""
        found = self.versions(assessment_id)
        entries = []
        for number, saved in enumerate(found):
            if number == 0:
                changes = ["Started."]
            else:
                changes = version_changes(kb, found[number - 1], saved)
            entries.append(HistoryEntry(saved.version, saved.label, saved.saved_at, changes))
        return entries[::-1]

    def keep_both(
        self,
        kb: KnowledgeBase,
        assessment_id: str,
        base_version: int,
        plan: Plan,
        decisions: dict[str, dict[str, str]] | None = None,
        *,
        notes: dict[str, Any] | None = None,
        base: Draft | None = None,
        by: User | None = None,
    ) -> KeptBoth:
        """Save this person's changes since `base_version` together with everyone else's since then.

        What a person does when their save was refused as stale and they choose to keep both: their draft and
        the latest version are merged against the version they opened (see merge), the merged plan's level is
        worked out again (screening_level), and the merge is saved on the latest version. If someone saves in
        between, the merge is done again on the newer latest, so the result never drops anyone's change.

        `base` is the content the person's page was based on, when they have it: a version an editing session
        amended since no longer holds what they saw. The merge is saved as a version of its own, never amended.
        """
        if base is None:
            opened = self.version(assessment_id, base_version)
            if opened is None:
                raise StoreError(f"there is no version {base_version} of assessment {assessment_id!r} to merge from")
            base = _draft_of(opened)
        mine = Draft(plan=plan, decisions=_decisions_data(decisions), notes=_notes_data(notes))
        for _attempt in range(KEEP_BOTH_ATTEMPTS):
            theirs = self.latest(assessment_id)
            if theirs is None:
                raise StoreError(f"there is no assessment {assessment_id!r}")
            merged = merge(base, mine, _draft_of(theirs))
            level = screening_level(kb, merged.draft.plan, merged.draft.notes)
            try:
                number = self.save(
                    assessment_id,
                    merged.draft.plan,
                    merged.draft.decisions,
                    level,
                    expected_version=theirs.version,
                    expected_revision=theirs.revision,
                    notes=merged.draft.notes,
                    label="Both people's changes kept",
                    by=by,
                )
            except StaleVersionError:
                continue
            return KeptBoth(version=number, merge=merged)
        raise StoreError(
            f"assessment {assessment_id!r} kept changing while both sets of changes were being saved; try again"
        )

    def duplicate(self, assessment_id: str, *, by: User | None = None) -> str:
        """A new draft (version 1) with the latest plan, decisions and level, its title prefixed "Copy of ".

        The copy belongs to the acting user `by` (else the local user). Duplicating a final assessment is how it
        is reopened: the audit trail says "reopened" then, on the copy, naming the final one.
        """
        source = self.latest(assessment_id)
        if source is None:
            raise StoreError(f"there is no assessment {assessment_id!r} to duplicate")
        title = (COPY_PREFIX + source.plan.title)[:MAX_TITLE]
        plan = Plan.model_validate({**_plan_data(source.plan), "title": title})
        how = "Reopened as a new draft" if source.status == "final" else "Duplicated"
        copy = self._start(
            plan,
            decisions=source.decisions,
            level=source.level,
            notes=source.notes,
            by=by,
            detail=f"{how} from version {source.version} of {assessment_id}",
            source=("reopened" if source.status == "final" else "duplicated", assessment_id, source.version, how),
        )
        return copy

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

    def share(self, assessment_id: str, subject: str, *, by: User | None = None) -> None:
        """Share the assessment with a colleague, by their identity provider subject (sharing twice is once)."""
        who = subject.strip()
        if not who or len(who) > 200:
            raise StoreError("share with a person's identity (their subject), of 1 to 200 characters")
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
            return frozenset(role for role in found if role in ROLES)  # type: ignore[misc]

    def language_of(self, subject: str) -> str | None:
        """The language a person chose for the app ("cy" or "en"), or None when they have not chosen."""
        with self._session() as session:
            row = session.get(UserSettingRow, subject)
            return row.language if row is not None else None

    def set_language(self, subject: str, language: str) -> None:
        """Remember the language a person chose, for every page and every later visit."""
        if language not in ("cy", "en"):
            raise StoreError(f"the app speaks Welsh (cy) and English (en), not {language!r}")
        with self._session(write=True) as session:
            row = session.get(UserSettingRow, subject)
            if row is None:
                session.add(UserSettingRow(subject=subject, language=language, updated_at=_now()))
            elif row.language != language:
                row.language, row.updated_at = language, _now()

    def role_assignments(self) -> dict[str, frozenset[Role]]:
        """Every subject with roles assigned in the app, and those roles."""
        with self._session() as session:
            kept: dict[str, set[Role]] = {}
            for row in session.scalars(select(RoleAssignmentRow).order_by(RoleAssignmentRow.subject)):
                if row.role in ROLES:
                    kept.setdefault(row.subject, set()).add(row.role)  # type: ignore[arg-type]
            return {subject: frozenset(roles) for subject, roles in kept.items()}

    def set_roles(self, subject: str, roles: frozenset[Role] | set[Role], *, by: User | None = None) -> None:
        """Make `roles` the roles assigned to `subject` in the app (an empty set removes them all)."""
        who = subject.strip()
        if not who or len(who) > 200:
            raise StoreError("a person's identity (their subject) must be 1 to 200 characters")
        unknown = sorted(set(roles) - set(ROLES))
        if unknown:
            raise StoreError(f"{', '.join(unknown)} is not a role; the roles are: {', '.join(ROLES)}")
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
            raise StoreError("say which service or partner organisation you work for before submitting a round")
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

    def audit(self, assessment_id: str | None = None) -> list[AuditEntry]:
        """The audit trail, oldest first: of one assessment, or (None) everything, roles included."""
        query = select(AuditRow).order_by(AuditRow.id)
        if assessment_id is not None:
            if not _is_id(assessment_id):
                return []
            query = query.where(AuditRow.assessment_id == assessment_id)
        with self._session() as session:
            return [
                AuditEntry(
                    at=row.at,
                    subject=row.subject,
                    who=row.who,
                    action=row.action,
                    assessment_id=row.assessment_id,
                    version=row.version,
                    detail=row.detail,
                )
                for row in session.scalars(query)
            ]

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

    def sign_off(self, assessment_id: str, decision: SignOff, *, by: User | None = None) -> None:
        """Record the approver's decision on the submitted version: approved (then final) or sent back.

        Refused when nothing is awaiting approval, or when the version decided on is not the one submitted and
        still the latest (someone saved since it was submitted: StaleVersionError), or its content is not what was
        submitted and what the approver names (ContentChangedError), or the approver submitted it themself
        (OwnSubmissionError): nobody approves a version they have not seen, or their own (proofing.approvals).
        """
        with self._session(write=True) as session:
            row = self._locked(session, assessment_id)
            pending = self._pending(session, assessment_id)
            if pending is None or row.status == "final":
                raise StoreError(f"{row.title!r} is not awaiting approval; a manager submits it first")
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
            pending.decision = decision.model_dump(mode="json", exclude={"outcome", "version", "digest"})
            if decision.outcome == "approved":
                row.status, row.updated_at = "final", now
                self._restatus(session, assessment_id, "final")
                self._audit(session, by, "finalised", assessment_id, current, f"Approved: {decision.decision_taken}")
            else:
                self._audit(session, by, "sent back", assessment_id, current, decision.comments)

    def approval(self, assessment_id: str) -> Approval | None:
        """The latest submission for approval and its outcome, or None when it was never submitted."""
        if not _is_id(assessment_id):
            return None
        with self._session() as session:
            row = session.get(AssessmentRow, assessment_id)
            found = session.scalars(
                select(ApprovalRow)
                .where(ApprovalRow.assessment_id == assessment_id)
                .order_by(ApprovalRow.id.desc())
                .limit(1)
            ).first()
            if row is None or found is None:
                return None
            advice = session.scalar(
                select(VersionRow.level).where(
                    VersionRow.assessment_id == assessment_id, VersionRow.version == found.version
                )
            )
            return Approval(
                assessment_id=assessment_id,
                version=found.version,
                status=row.status,
                outcome=found.outcome,  # type: ignore[arg-type]
                advice=advice,
                submitted_by=found.submitted_by,
                submitted_at=found.submitted_at,
                decided_by=found.decided_by,
                decided_at=found.decided_at,
                digest=found.digest,
                submitted_subject=found.submitted_subject,
                **(found.decision or {}),
            )

    def acting(self, user: User) -> UserStore:
        """This store as `user` may use it: every call checked against proofing.access, every write audited."""
        return UserStore(self, user)

    @staticmethod
    def _latest_row(session: Session, assessment_id: str) -> VersionRow | None:
        """The assessment's newest version row, inside the caller's transaction (None when it has none)."""
        return session.scalars(
            select(VersionRow)
            .where(VersionRow.assessment_id == assessment_id)
            .order_by(VersionRow.version.desc())
            .limit(1)
        ).first()

    @staticmethod
    def _locked(session: Session, assessment_id: str) -> AssessmentRow:
        """The assessment's row, locked until the transaction ends (SQLite: the whole write is already serial)."""
        row = session.get(AssessmentRow, assessment_id, with_for_update=True) if _is_id(assessment_id) else None
        if row is None:
            raise StoreError(f"there is no assessment {assessment_id!r}")
        return row

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
            return self._saved(saved, row.status if saved.version == newest else "draft")

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
            return [self._saved(item, row.status if item.version == newest else "draft") for item in saved]

    @staticmethod
    def _saved(row: VersionRow, status: str) -> SavedVersion:
        try:
            plan = Plan.model_validate(row.plan)
        except ValidationError as error:
            raise StoreError(
                f"version {row.version} of assessment {row.assessment_id} no longer reads as a plan: "
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
            notes={
                kind: {key: dict(fields) for key, fields in entries.items()}
                for kind, entries in (row.notes or {}).items()
            },
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

    def services(self) -> list[str]:
        """The distinct services of all assessments, sorted: the choices of a filter."""
        with self._session() as session:
            return sorted(session.scalars(select(AssessmentRow.service).distinct()))


def _save_entries(
    before_plan: dict[str, Any],
    before_decisions: dict[str, dict[str, str]],
    plan: dict[str, Any],
    decisions: dict[str, dict[str, str]],
    label: str | None,
) -> list[tuple[str, str]]:
    """What a save did, as audit entries (action, detail): answers given, mitigations accepted or decided."""
    if label is not None:
        return [("restored" if label.startswith("Restored") else "answered", label)]
    entries: list[tuple[str, str]] = []
    old_answers, new_answers = before_plan.get("answers") or {}, plan.get("answers") or {}
    changed = sorted(key for key in set(old_answers) | set(new_answers) if old_answers.get(key) != new_answers.get(key))
    changed += [name for name in DETAILS if before_plan.get(name) != plan.get(name)]
    if changed:
        entries.append(("answered", "Changed: " + ", ".join(changed)))
    for key in sorted(set(before_decisions) | set(decisions)):
        old, new = before_decisions.get(key, {}), decisions.get(key, {})
        if old == new:
            continue
        if new.get("status") == "accepted" and old.get("status") != "accepted":
            entries.append(("accepted a mitigation", key))
        else:
            entries.append(("decided on a mitigation", f"{key}: {new.get('status', 'removed')}"))
    return entries or [("answered", "Reasons, notes or the level changed")]


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

    def create(self, plan: Plan, level: str | None = None) -> str:
        """Start an assessment, owned by this person."""
        require(self.user, "create")
        return self.store.create(plan, level, owner_subject=self.user.subject, by=self.user)

    def save(self, assessment_id: str, plan: Plan, *args: Any, **kwargs: Any) -> int:
        """Store.save, for a person who may edit the assessment."""
        self._check("edit", assessment_id)
        return self.store.save(assessment_id, plan, *args, by=self.user, **kwargs)

    def restore(self, kb: KnowledgeBase, assessment_id: str, version: int, **kwargs: Any) -> int:
        """Store.restore, for a person who may edit the assessment."""
        self._check("edit", assessment_id)
        return self.store.restore(kb, assessment_id, version, by=self.user, **kwargs)

    def checkpoint(self, assessment_id: str, name: str, *, expected_version: int) -> None:
        """Store.checkpoint, for a person who may edit the assessment."""
        self._check("edit", assessment_id)
        self.store.checkpoint(assessment_id, name, expected_version=expected_version, by=self.user)

    def keep_both(self, kb: KnowledgeBase, assessment_id: str, *args: Any, **kwargs: Any) -> KeptBoth:
        """Store.keep_both, for a person who may edit the assessment."""
        self._check("edit", assessment_id)
        return self.store.keep_both(kb, assessment_id, *args, by=self.user, **kwargs)

    def duplicate(self, assessment_id: str) -> str:
        """A copy as a new draft owned by this person: "duplicate" of a draft, "reopen" of a final one."""
        source = self.store.access(assessment_id)
        if source is not None:
            latest = self.store.latest(assessment_id)
            action: Action = "reopen" if latest is not None and latest.status == "final" else "duplicate"
            require(self.user, action, owner=source[0], shared_with=source[1])
        return self.store.duplicate(assessment_id, by=self.user)

    def set_status(self, assessment_id: str, status: str, *, expected_version: int | None = None) -> None:
        """Refused: only an approval makes an assessment final (submit, sign_off), and a final one is never set back
        to draft in place: it is reopened as a new draft (duplicate), leaving it as it was signed off."""
        if status == "final":
            raise StoreError("an assessment becomes final only when an approver approves it; submit it for approval")
        self._check("reopen", assessment_id)
        if (latest := self.store.latest(assessment_id)) is not None and latest.status == "final":
            raise StoreError("a final assessment is never set back to draft: reopen it as a new draft instead")

    def submit(self, assessment_id: str, *, expected_version: int) -> None:
        """Submit the latest version for approval, for a person who may submit it (its manager)."""
        self._check("submit", assessment_id)
        self.store.submit(assessment_id, expected_version=expected_version, by=self.user)

    def sign_off(self, assessment_id: str, decision: SignOff) -> None:
        """Approve, or send back, the submitted version: an approver only."""
        self._check("approve", assessment_id)
        self.store.sign_off(assessment_id, decision, by=self.user)

    def approval(self, assessment_id: str) -> Approval | None:
        """The latest submission and its outcome, for a person who may open the assessment."""
        self._check("read", assessment_id)
        return self.store.approval(assessment_id)

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

    def history(self, kb: KnowledgeBase, assessment_id: str) -> list[HistoryEntry]:
        """Store.history, for a person who may open the assessment."""
        self._check("read", assessment_id)
        return self.store.history(kb, assessment_id)

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

    def services(self) -> list[str]:
        """The distinct services of the assessments this person may open."""
        return sorted({found.service for found in self.list()})

    def audit(self, assessment_id: str | None = None) -> list[AuditEntry]:
        """The audit trail of one assessment (for a person who may see it), or all of it (administrator, auditor)."""
        if assessment_id is None:
            if not any(PERMISSIONS[role].get("view_audit") == "all" for role in self.user.roles):
                raise PermissionDenied(f"{self.user.name} may not see the whole audit trail.")
        else:
            self._check("view_audit", assessment_id)
        return self.store.audit(assessment_id)

    def role_assignments(self) -> dict[str, frozenset[Role]]:
        """Every role assigned in the app: an administrator only."""
        require(self.user, "assign_roles")
        return self.store.role_assignments()
