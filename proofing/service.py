"""The use cases both faces call: start and save a draft, the record of a stored version, a workshop.

The pages (views/) and the command line call these instead of reaching the engine and the store themselves, so a
use case is done one way whichever face asks. A save assesses the plan ONCE (or reuses the assessment the page
already made of exactly that plan) and hands the store what to keep: the level and the version's rows of the
cumulative index. The store itself never assesses, never words and never loads rules (proofing.store).

The index rows come from proofing.indexing, which reads dates and wards through the question roles rules/ declares.
Workshops are opened, scored and finalised through ``workshops_for`` (proofing.workshop_store).
"""

from __future__ import annotations

import functools
from datetime import datetime
from functools import partial
from pathlib import Path
from typing import Any

from proofing.access import User
from proofing.assessment import Assessment, assess_agreed
from proofing.indexing import index_rows
from proofing.knowledge import KnowledgeBase, configured_rules_dir, load_knowledge
from proofing.models import IndexRow, SavedVersion
from proofing.plan import AnswerProblem, Plan
from proofing.review import open_follow_up
from proofing.store import Store, UserStore
from proofing.store.base import use_assessor
from proofing.store.followup import Approved, use_followup
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


def screening_level(kb: KnowledgeBase, plan: Plan, notes: dict[str, Any] | None = None) -> str | None:
    """The level to keep with a version of `plan` (as any EIA workshop in `notes` agreed it); see level_of."""
    return level_of(assess_agreed(kb, plan, notes))


def cumulative_entries(
    kb: KnowledgeBase, plan: Plan, notes: dict[str, Any] | None, saved_at: datetime
) -> list[dict[str, Any]]:
    """The rows of the cumulative index for one version as plain mappings, dated (`saved_at` when the plan gives
    no date); what migration 0008 fills the index with."""
    from proofing.store import quarter_of

    rows = index_rows(kb, plan, assess_agreed(kb, plan, notes)[0])
    return [
        {
            **row.model_dump(exclude={"dated"}),
            "dated": row.dated or saved_at,
            "quarter": quarter_of(row.dated or saved_at),
        }
        for row in rows
    ]


class Assessor:
    """The store's Assessor (proofing.models) for one rule base: a raw save's level and index rows."""

    def __init__(self, kb: KnowledgeBase | None = None) -> None:
        """With rule base `kb` (None: the one the app serves, loaded when first needed)."""
        self._kb = kb

    @property
    def kb(self) -> KnowledgeBase:
        """The rule base it assesses with."""
        if self._kb is None:
            self._kb = default_rule_base()
        return self._kb

    def keep(self, plan: Plan, notes: dict[str, Any] | None) -> tuple[str | None, list[IndexRow]]:
        """The level and the cumulative index rows to keep with a version of `plan`, from one assessment."""
        assessed = assess_agreed(self.kb, plan, notes)
        return level_of(assessed), index_rows(self.kb, plan, assessed[0])


use_assessor(Assessor)  # the store's raw saves are assessed by the service layer, never by the store itself


def _follow_up(approval: Approved) -> None:
    """On an approval (in its transaction): open its actions and review with the store's rule base (issue 23)."""
    assessor = approval.store.assessor
    open_follow_up(assessor.kb if isinstance(assessor, Assessor) else default_rule_base(), approval)


use_followup(_follow_up)  # an approval's follow-up is worked out here, above the store (proofing.review)


def save_draft(
    store: Store | UserStore,
    kb: KnowledgeBase,
    assessment_id: str,
    plan: Plan,
    decisions: dict[str, dict[str, str]] | None,
    notes: dict[str, Any] | None,
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
    FinalAssessmentError, PermissionDenied). Returns the version's number.
    """
    assessment, problems = assessed if assessed is not None else assess_agreed(kb, plan, notes)
    level, index = level_of((assessment, problems)), index_rows(kb, plan, assessment)
    save = partial(
        store.save,
        assessment_id,
        plan,
        decisions,
        level,
        expected_version=expected_version,
        expected_revision=expected_revision,
        notes=notes,
        editing=editing,
        index=index,
    )
    return save(by=by) if isinstance(store, Store) else save()  # the acting store saves as its own user


def record_assessment(kb: KnowledgeBase, saved: SavedVersion) -> Assessed:
    """The assessment a record of version `saved` is written from: that STORED version's plan, as any workshop in
    its notes agreed it (assessed once), never what a page's widgets hold now."""
    return assess_agreed(kb, saved.plan, saved.notes)


def start_assessment(store: Store | UserStore, kb: KnowledgeBase, plan: Plan) -> str:
    """Start an assessment of `plan` (version 1): assessed once, the store handed its level and index rows."""
    assessed = assess_agreed(kb, plan, None)
    return store.create(plan, level_of(assessed), index=index_rows(kb, plan, assessed[0]))


def assessed_version(kb: KnowledgeBase, saved: SavedVersion) -> Assessed:
    """A stored version assessed as any workshop in its notes agreed it: what a workshop participant's page shows
    of the plan the room scores (the version the workshop was opened on)."""
    return assess_agreed(kb, saved.plan, saved.notes)


def workshops_for(store: UserStore) -> Workshops:
    """The EIA workshops as the person acting on `store` may run or join them: open, score, reveal, agree and
    finalise (proofing.workshop_store; finalising assesses the agreed draft once and hands the store its index)."""
    return Workshops(store.store, store.user)
