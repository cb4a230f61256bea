"""The plain models the store keeps and returns: versions, summaries, audit entries, training rounds, merges.

Plain data (dataclasses and pydantic models) with no database behind them, so the Word record, training and the
pages can read what the store returns without importing the store or SQLAlchemy (proofing.store keeps them).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, ValidationError, field_validator

from proofing.approvals import Approval as Approval  # one of the plain models the store returns
from proofing.decisions import DecisionNotes as DecisionNotes  # version notes, typed: what SavedVersion.notes holds
from proofing.decisions import MitigationNote
from proofing.errors import StoreError
from proofing.plan import Plan

STATUSES = ("draft", "final")
STATUS_WORDS = {"draft": "Draft", "final": "Final"}  # how a status reads on a page or in a list
LOCAL_SUBJECT = "local"  # the owner of assessments made before sign-in (local mode's one user)


@dataclass(frozen=True)
class SavedVersion:
    """One saved version of an assessment, as it was saved.

    ``status`` is the status this version has: an approved version, and the latest version of a final assessment,
    is ``final`` (an approved version stays final after the assessment is reopened as a new draft version); every
    other version is a ``draft``.
    """

    assessment_id: str
    version: int
    plan: Plan
    decisions: dict[str, dict[str, str]]
    level: str | None
    status: str
    saved_at: datetime
    notes: DecisionNotes = field(default_factory=DecisionNotes)  # typed: a workshop's scores are ints, never text
    label: str | None = None  # a named checkpoint, or what made this version ("Restored from version 2")
    revision: int = 0  # how many times an editing session amended this version; every save names it


@dataclass(frozen=True)
class HistoryEntry:
    """One version as the history lists it: its number, name, time and what changed from the version before (data)."""

    version: int
    label: str | None
    saved_at: datetime
    changes: list[VersionChange]  # as data: the faces word them (proofing.version_words.history_words)
    events: tuple[tuple[str, str], ...] = ()  # (action, who) of the audit trail's entries on this version, in order


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


NotesGiven = DecisionNotes | Mapping[str, Any] | None  # what a caller may hand: typed, or a page's plain mapping


def notes_problem(notes: NotesGiven) -> str | None:
    """What is wrong with decision notes, in words, or None when they can be kept."""
    try:
        typed_notes(notes)
    except ValidationError as error:
        detail = error.errors()[0]
        where = " / ".join(str(part) for part in detail["loc"])
        return f"{where}: {detail['msg']}"
    except ValueError as error:
        return str(error)
    return None


def _cleared(notes: Mapping[str, Any]) -> dict[str, dict[str, Any]]:
    """A page's plain notes with what it cleared left out: None read as empty, entries and kinds with nothing in
    them dropped (a page clears a reason by emptying its fields)."""
    kept: dict[str, dict[str, Any]] = {}
    for kind, entries in notes.items():
        if not isinstance(entries, Mapping):
            raise ValueError(f"the notes {kind!r} must be a mapping, not {entries!r}")
        rows: dict[str, Any] = {}
        for key, fields in entries.items():
            if not isinstance(fields, Mapping):
                raise ValueError(f"the note {kind}/{key} must be a mapping, not {fields!r}")
            row = {str(name): "" if value is None else value for name, value in fields.items()}
            if any(value not in ("", [], {}) for value in row.values()):
                rows[str(key)] = row
        if rows:
            kept[str(kind)] = rows
    return kept


def typed_notes(notes: NotesGiven) -> DecisionNotes:
    """Version notes as the typed model: DecisionNotes as given, or a page's plain mapping validated (what it
    cleared left out); either way without a mitigation note that says nothing. Raises pydantic's ValidationError
    (or ValueError for a shape that is no mapping) when they cannot be kept."""
    if notes is None:
        return DecisionNotes()
    typed = notes if isinstance(notes, DecisionNotes) else DecisionNotes.model_validate(_cleared(notes))
    empty = MitigationNote()
    if any(note == empty for note in typed.mitigations.values()):
        kept = {key: note for key, note in typed.mitigations.items() if note != empty}
        typed = typed.model_copy(update={"mitigations": kept})
    return typed


def notes_json(notes: DecisionNotes) -> dict[str, dict[str, dict[str, Any]]]:
    """Typed version notes as the JSON the store keeps in ``versions.notes`` (and digests): each kind that holds
    anything, each entry with all its fields, scores as numbers and flags as true/false (migration 0010 turned the
    older text into this). One content always gives the same JSON, so an unchanged save adds no version.

    Examples:
        >>> from proofing.decisions import AgreedFinding
        >>> notes_json(DecisionNotes(agreed={"r": AgreedFinding(likelihood=3, severity=4, workshop="w")}))
        {'agreed': {'r': {'likelihood': 3, 'severity': 4, 'keep': True, 'note': '', 'workshop': 'w'}}}
    """
    data = typed_notes(notes).model_dump(mode="json")
    return {kind: entries for kind, entries in data.items() if entries}


class Draft(BaseModel):
    """What one person has on their page: a plan, the decisions on its mitigations and the notes beside them.

    (One side of a merge.)
    """

    model_config = ConfigDict(extra="forbid", frozen=True)

    plan: Plan
    decisions: dict[str, dict[str, str]] = {}
    notes: DecisionNotes = DecisionNotes()

    @field_validator("notes", mode="before")
    @classmethod
    def _typed(cls, value: object) -> object:
        """A page's plain notes are typed here (what it cleared left out), as the store types them; notes that
        cannot be kept are a StoreError in words, as the store's own refusal is."""
        if value is None or isinstance(value, Mapping):
            problem = notes_problem(value)
            if problem:
                raise StoreError(f"the notes cannot be kept: {problem}")
            return typed_notes(value)
        return value


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
    """What proofing.service.keep_both saved: the new version's number and the merge it holds."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    version: int
    merge: Merge


class IndexRow(BaseModel):
    """One row of the cumulative index for one version, as the service layer works it out and the store keeps it:
    a group with a negative finding, in one ward ('' when the plan names none), with its highest negative score.

    ``dated`` is when the plan happens (its dating answer); None means "when it was saved", which only the store
    knows, so the store fills it in.
    """

    model_config = ConfigDict(extra="forbid", frozen=True)

    group_id: str
    ward: str = ""
    highest_score: int
    dated: datetime | None = None


class VersionChange(BaseModel):
    """One change from one version to the next, as data the faces word: ``kind`` says what changed.

    kinds: "started", "nothing", "detail" (``key`` the detail's name), "answer" (``key`` the question id,
    ``before``/``after`` the answers), "decisions" (``count`` mitigation decisions changed), "agreed" (``key`` the
    rule id, ``after`` the agreement), "dropped" (``key`` the rule id, ``note``), "added" (``key``, ``after`` the
    added impact), "agreements_removed" (``count``), "notes" (reasons, own mitigations or findings set aside).
    """

    model_config = ConfigDict(extra="forbid", frozen=True)

    kind: Literal[
        "started",
        "nothing",
        "detail",
        "answer",
        "decisions",
        "agreed",
        "dropped",
        "added",
        "agreements_removed",
        "notes",
    ]
    key: str = ""
    before: Any = None
    after: Any = None
    count: int = 0
    note: str = ""
