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
and ``proofing.service.keep_both`` saves that merge. Reading never writes.

The store only stores and reads. It does not assess: the level kept with a version and the version's rows of the
cumulative index are worked out once by the service layer (``proofing.service.save_draft``) and handed in. The
parts, by concern:

* ``schema``: the tables as the ORM sees them (created and upgraded only by ``proofing/migrations``);
* ``database``: the URL, one engine per URL per process, SQLite tuning, migrations to head on first use;
* ``values``: plan, decisions and notes checked and made plain JSON; ids; times;
* ``base``: sessions, locks, audit entries and the cumulative index, in the caller's transaction;
* ``versions`` and ``merge``: saving, amending, restoring, merging, duplicating, finalising, reading back;
* ``people``: sharing, roles, languages, training rounds; ``approving``: approvals and the audit trail;
* ``acting``: ``UserStore``, the store as one signed-in person may use it.
* ``reminding``: which reminders were sent (claimed before sending, so none goes twice), people's e-mail addresses.

The plain models it returns live in ``proofing.models`` and its errors in ``proofing.errors``, so a reader of
them never imports the database. The database is ``PROOFING_DB_URL`` when set, else a SQLite file
``data/proofing.db`` under the project root.
"""

from __future__ import annotations

from typing import Any

from proofing.access import User
from proofing.approvals import Approval, SignOff
from proofing.errors import FinalAssessmentError, StaleVersionError, StoreError
from proofing.models import (
    LOCAL_SUBJECT,
    NOTE_KINDS,
    STATUS_WORDS,
    STATUSES,
    AssessmentSummary,
    AuditEntry,
    Conflict,
    Draft,
    HistoryEntry,
    IndexRow,
    KeptBoth,
    Merge,
    SavedVersion,
    TrainingRound,
    notes_problem,
)
from proofing.store.acting import UserStore
from proofing.store.approving import Approving
from proofing.store.database import MIGRATIONS, PROJECT_ROOT, _dispose_engine, _engine_for, default_db_url
from proofing.store.merge import merge
from proofing.store.people import People
from proofing.store.reminding import Reminding
from proofing.store.schema import (
    ApprovalRow,
    AssessmentRow,
    AuditRow,
    Base,
    CumulativeRow,
    RoleAssignmentRow,
    ShareRow,
    TrainingRoundRow,
    UserSettingRow,
    UTCDateTime,
    VersionRow,
    WorkshopConsensusRow,
    WorkshopMissedRow,
    WorkshopParticipantRow,
    WorkshopRow,
    WorkshopScoreRow,
)
from proofing.store.values import COPY_PREFIX, DETAILS, KEEP_BOTH_ATTEMPTS, MAX_TITLE, quarter_of
from proofing.store.versions import Versions

__all__ = [
    "COPY_PREFIX",
    "DETAILS",
    "KEEP_BOTH_ATTEMPTS",
    "LOCAL_SUBJECT",
    "MAX_TITLE",
    "MIGRATIONS",
    "NOTE_KINDS",
    "PROJECT_ROOT",
    "STATUSES",
    "STATUS_WORDS",
    "Approval",
    "ApprovalRow",
    "AssessmentRow",
    "AssessmentSummary",
    "AuditEntry",
    "AuditRow",
    "Base",
    "Conflict",
    "CumulativeRow",
    "Draft",
    "FinalAssessmentError",
    "HistoryEntry",
    "IndexRow",
    "KeptBoth",
    "Merge",
    "Reminding",
    "RoleAssignmentRow",
    "SavedVersion",
    "ShareRow",
    "SignOff",
    "StaleVersionError",
    "Store",
    "StoreError",
    "TrainingRound",
    "TrainingRoundRow",
    "UTCDateTime",
    "UserSettingRow",
    "UserStore",
    "VersionRow",
    "WorkshopConsensusRow",
    "WorkshopMissedRow",
    "WorkshopParticipantRow",
    "WorkshopRow",
    "WorkshopScoreRow",
    "_dispose_engine",
    "_engine_for",
    "default_db_url",
    "merge",
    "notes_problem",
    "quarter_of",
]


class Store(Versions, People, Approving):
    """The assessments in one database. Cheap to make and safe to share between threads."""

    def acting(self, user: User) -> UserStore:
        """This store as `user` may use it: every call checked against proofing.access, every write audited."""
        return UserStore(self, user)


def __getattr__(name: str) -> Any:
    """``DEFAULT_DB_URL`` is computed when it is read (see default_db_url), not frozen at import. The names that
    assess or word (screening_level, cumulative_entries, conflict_words ...) live above the store, in
    proofing.service, proofing.indexing and proofing.version_words: the store never reaches up for them."""
    if name == "DEFAULT_DB_URL":
        return default_db_url()
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
