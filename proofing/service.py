"""The use cases both faces call: start and save a draft, restore a version, keep both people's changes, the record
of a stored version, a workshop.

The pages (views/) and the command line call these instead of reaching the engine and the store themselves, so a
use case is done one way whichever face asks. A save assesses the plan ONCE (or reuses the assessment the page
already made of exactly that plan) and hands the store what to keep: the level and the version's rows of the
cumulative index. The store itself never assesses, never words and never loads rules (proofing.store): a restore
and a merge of two people's changes are assessed here too (restore_version, keep_both), and version notes are
handed to it typed (DecisionNotes), a page's plain mapping typed on the way.

The index rows come from proofing.indexing, which reads dates and wards through the question roles rules/ declares.
Workshops are opened, scored and finalised through ``workshops_for`` (proofing.workshop_store).
"""

from __future__ import annotations

import functools
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import datetime
from functools import partial
from pathlib import Path
from typing import Any

from proofing.access import User
from proofing.assessment import Assessment, assess_agreed
from proofing.decisions import DecisionNotes, MitigationDecision
from proofing.errors import StaleVersionError, StoreError
from proofing.indexing import index_rows
from proofing.knowledge import KnowledgeBase, configured_rules_dir, load_knowledge
from proofing.models import Draft, IndexRow, KeptBoth, NotesGiven, SavedVersion, typed_notes
from proofing.plan import AnswerProblem, Plan
from proofing.residual import Residual, residual
from proofing.review import decisions_followed, open_follow_up
from proofing.store import KEEP_BOTH_ATTEMPTS, Store, UserStore
from proofing.store.followup import Approved, use_followup
from proofing.store.merge import draft_of, merge
from proofing.store.values import _decisions_data
from proofing.workshop_store import Workshops

Assessed = tuple[Assessment, list[AnswerProblem]]


@functools.lru_cache(maxsize=4)
def _rule_base(rules_dir: Path) -> KnowledgeBase:
    return load_knowledge(rules_dir)


def default_rule_base() -> KnowledgeBase:
    """The rule base the app serves, loaded once per process (``PROOFING_RULES_DIR`` when set, else the project's)."""
    return _rule_base(configured_rules_dir())


def level_of(assessed: Assessed) -> str | None:
    """The level to keep with a version: the screening level once the plan can be screened (no problems), else None.

    A draft with problems is not screened yet; keeping the level its partial answers happen to give would make the
    register call it "screened out" while the page says otherwise.
    """
    assessment, problems = assessed
    return None if problems else assessment.level


def screening_level(kb: KnowledgeBase, plan: Plan, notes: NotesGiven = None) -> str | None:
    """The level to keep with a version of `plan` (as any EIA workshop in `notes` agreed it); see level_of."""
    return level_of(assess_agreed(kb, plan, typed_notes(notes)))


def cumulative_entries(kb: KnowledgeBase, plan: Plan, notes: NotesGiven, saved_at: datetime) -> list[dict[str, Any]]:
    """The rows of the cumulative index for one version as plain mappings, dated (`saved_at` when the plan gives
    no date); what migration 0008 fills the index with."""
    from proofing.store import quarter_of

    rows = index_rows(kb, plan, assess_agreed(kb, plan, typed_notes(notes))[0])
    return [
        {
            **row.model_dump(exclude={"dated"}),
            "dated": row.dated or saved_at,
            "quarter": quarter_of(row.dated or saved_at),
        }
        for row in rows
    ]


def kept(kb: KnowledgeBase, plan: Plan, notes: NotesGiven) -> tuple[str | None, list[IndexRow]]:
    """The level and the cumulative index rows to keep with a version of `plan` (as any workshop in `notes` agreed
    it), both from ONE assessment: what every save hands the store, which never assesses."""
    assessed = assess_agreed(kb, plan, typed_notes(notes))
    return level_of(assessed), index_rows(kb, plan, assessed[0])


_APPROVING_WITH: ContextVar[KnowledgeBase | None] = ContextVar("approving_with", default=None)


@contextmanager
def approving_with(kb: KnowledgeBase) -> Iterator[None]:
    """Within this block an approval's follow-up is worked out with `kb`, the rule base the sign-off was given (the
    one the version was assessed with), not the app's default (proofing.signoff.sign_off wraps the store's)."""
    token = _APPROVING_WITH.set(kb)
    try:
        yield
    finally:
        _APPROVING_WITH.reset(token)


def _follow_up(approval: Approved) -> None:
    """On an approval (in its transaction): open its actions and review with the rule base the sign-off was given,
    else (a script calling the store's sign-off itself) the app's (issue 23)."""
    open_follow_up(_APPROVING_WITH.get() or default_rule_base(), approval)


use_followup(_follow_up)  # an approval's follow-up is worked out here, above the store (proofing.review)


def save_draft(
    store: Store | UserStore,
    kb: KnowledgeBase,
    assessment_id: str,
    plan: Plan,
    decisions: dict[str, dict[str, str]] | None,
    notes: NotesGiven,
    *,
    expected_version: int,
    expected_revision: int | None = None,
    editing: str | None = None,
    assessed: Assessed | None = None,
    by: User | None = None,
) -> int:
    """Save a draft: assess it once and hand the store the level and the cumulative index rows to keep with it.

    `assessed` is the assessment the page already made of exactly this plan and notes (assess_agreed), reused so
    the save evaluates nothing more; None assesses here, once. Refusals are the store's (StaleVersionError,
    FinalAssessmentError, PermissionDenied). `notes` are typed (DecisionNotes) or a page's plain mapping, typed
    here: the store is handed DecisionNotes. Returns the version's number.
    """
    typed = typed_notes(notes)
    assessment, problems = assessed if assessed is not None else assess_agreed(kb, plan, typed)
    level, index = level_of((assessment, problems)), index_rows(kb, plan, assessment)
    save = partial(
        store.save,
        assessment_id,
        plan,
        decisions,
        level,
        expected_version=expected_version,
        expected_revision=expected_revision,
        notes=typed,
        editing=editing,
        index=index,
    )
    return save(by=by) if isinstance(store, Store) else save()  # the acting store saves as its own user


def restore_version(
    store: Store | UserStore,
    kb: KnowledgeBase,
    assessment_id: str,
    version: int,
    *,
    expected_version: int,
    expected_revision: int | None = None,
    by: User | None = None,
) -> int:
    """Make version `version` the latest again (a new version; nothing in between is lost): that version's plan
    assessed once here, the store handed its level and index rows. Refused as the store refuses a save (stale,
    final, not permitted); a StoreError when there is no such version. Returns the new version's number."""
    earlier = store.version(assessment_id, version)
    if earlier is None:
        raise StoreError(f"there is no version {version} of assessment {assessment_id!r} to restore")
    level, index = kept(kb, earlier.plan, earlier.notes)
    restore = partial(
        store.restore,
        assessment_id,
        version,
        level=level,
        index=index,
        expected_version=expected_version,
        expected_revision=expected_revision,
    )
    return restore(by=by) if isinstance(store, Store) else restore()


def keep_both(
    store: Store | UserStore,
    kb: KnowledgeBase,
    assessment_id: str,
    base_version: int,
    plan: Plan,
    decisions: dict[str, dict[str, str]] | None = None,
    *,
    notes: NotesGiven = None,
    base: Draft | None = None,
    by: User | None = None,
) -> KeptBoth:
    """Save this person's changes since `base_version` together with everyone else's since then.

    What a person does when their save was refused as stale and they choose to keep both: their draft and the
    latest version are merged against the version they opened (proofing.store.merge), the merge is assessed once
    and saved on the latest version with its level and index rows. If someone saves in between, the merge is done
    again on the newer latest, so the result never drops anyone's change.

    `base` is the content the person's page was based on, when they have it: a version an editing session amended
    since no longer holds what they saw. The merge is saved as a version of its own, never amended.
    """
    if base is None:
        opened = store.version(assessment_id, base_version)
        if opened is None:
            raise StoreError(f"there is no version {base_version} of assessment {assessment_id!r} to merge from")
        base = draft_of(opened)
    mine = Draft(plan=plan, decisions=_decisions_data(decisions), notes=notes)  # notes typed, or refused in words
    for _attempt in range(KEEP_BOTH_ATTEMPTS):
        theirs = store.latest(assessment_id)
        if theirs is None:
            raise StoreError(f"there is no assessment {assessment_id!r}")
        merged = merge(base, mine, draft_of(theirs))
        level, index = kept(kb, merged.draft.plan, merged.draft.notes)
        save = partial(
            store.save,
            assessment_id,
            merged.draft.plan,
            merged.draft.decisions,
            level,
            expected_version=theirs.version,
            expected_revision=theirs.revision,
            notes=merged.draft.notes,
            label="Both people's changes kept",
            index=index,
        )
        try:
            number = save(by=by) if isinstance(store, Store) else save()
        except StaleVersionError:
            continue
        return KeptBoth(version=number, merge=merged)
    raise StoreError(
        f"assessment {assessment_id!r} kept changing while both sets of changes were being saved; try again"
    )


def record_assessment(kb: KnowledgeBase, saved: SavedVersion) -> Assessed:
    """The assessment a record of version `saved` is written from: that STORED version's plan, as any workshop in
    its notes agreed it (assessed once), never what a page's widgets hold now."""
    return assess_agreed(kb, saved.plan, saved.notes)


def start_assessment(store: Store | UserStore, kb: KnowledgeBase, plan: Plan) -> str:
    """Start an assessment of `plan` (version 1): assessed once, the store handed its level and index rows."""
    level, index = kept(kb, plan, None)
    return store.create(plan, level, index=index)


def assessed_version(kb: KnowledgeBase, saved: SavedVersion) -> Assessed:
    """A stored version assessed as any workshop in its notes agreed it: what a workshop participant's page shows
    of the plan the room scores (the version the workshop was opened on)."""
    return assess_agreed(kb, saved.plan, saved.notes)


def workshops_for(store: UserStore) -> Workshops:
    """The EIA workshops as the person acting on `store` may run or join them: open, score, reveal, agree and
    finalise (proofing.workshop_store; finalising assesses the agreed draft once and hands the store its index)."""
    return Workshops(store.store, store.user)


def residual_shown(
    store: Store | UserStore,
    kb: KnowledgeBase,
    assessment_id: str,
    version: int,
    assessment: Assessment,
    decisions: Mapping[str, MitigationDecision | Mapping[str, str]],
    notes: DecisionNotes,
) -> tuple[Residual, bool]:
    """The residual impact a face shows for version `version`, and whether it follows the actions: once that
    version is approved and has actions, a mitigation counts only when its action is done or firmly dated (an
    action not started with no date, or dropped, no longer counts); before, the decisions count as given."""
    base = store.store if isinstance(store, UserStore) else store
    followed = decisions_followed(base, assessment_id, version, decisions)
    return residual(kb, assessment, followed if followed is not None else decisions, notes), followed is not None
