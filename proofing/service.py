"""The use cases both faces call: save a draft, the assessment a record is written from, a version's level.

The pages (views/) and the command line call these instead of reaching the engine and the store themselves, so a
use case is done one way whichever face asks. A save assesses the plan ONCE (or reuses the assessment the page
already made of exactly that plan) and hands the store what to keep: the level and the version's rows of the
cumulative index. The store itself never assesses, never words and never loads rules (proofing.store).

Dates and wards are read through the question roles rules/questionnaire.yaml declares (``plan_date``, ``wards``;
checked by ``proofing rules check``), never through question ids written here.
"""

from __future__ import annotations

import functools
from datetime import UTC, date, datetime, time
from pathlib import Path
from typing import Any

from proofing.access import User
from proofing.assessment import AnswerProblem, Assessment, assess_agreed
from proofing.knowledge import KnowledgeBase, configured_rules_dir, load_knowledge
from proofing.models import IndexRow, SavedVersion
from proofing.plan import Plan
from proofing.store import Store, UserStore

WARD_GEOGRAPHIES = ("named_wards", "rural_areas")  # the geography options under which the wards answer counts
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


def plan_wards(kb: KnowledgeBase, plan: Plan) -> list[str]:
    """The wards a plan names: its answer to the ``wards`` role's question, as a list of place ids, or (older plans)
    its text split on commas; only when the plan applies in named wards or rural areas (elsewhere it is not asked).

    Each ward is kept as written with its spaces tidied, once, in the order given.
    """
    role = kb.questionnaire.roles.wards
    if role is None:
        return []
    answers = plan.answers
    question = kb.questionnaire.question(role)
    shown_if = question.show_if if question is not None else None
    geography = getattr(shown_if, "question", None)
    if geography is not None and answers.get(geography) not in WARD_GEOGRAPHIES:
        return []
    given = answers.get(role)
    parts = given.split(",") if isinstance(given, str) else given if isinstance(given, list) else []
    wards: list[str] = []
    for part in parts:
        ward = " ".join(str(part).split())[:200]
        if ward and ward not in wards:
            wards.append(ward)
    return wards


def plan_dated(kb: KnowledgeBase, plan: Plan) -> datetime | None:
    """When a plan happens for the cumulative view: its answer to the ``plan_date`` role's question when the rule
    base declares one and it is answered with a date, else None (the store then dates it by when it was saved)."""
    role = kb.questionnaire.roles.plan_date
    given = plan.answers.get(role) if role is not None else None
    if isinstance(given, str):
        try:
            return datetime.combine(date.fromisoformat(given.strip()[:10]), time.min, tzinfo=UTC)
        except ValueError:
            return None
    return None


def index_rows(kb: KnowledgeBase, plan: Plan, assessment: Assessment) -> list[IndexRow]:
    """The cumulative index rows of one version, from its assessment (as any workshop agreed it): each group with a
    negative finding, once per ward the plan names (or once with ward '' when it names none). Pure."""
    dated = plan_dated(kb, plan)
    wards = plan_wards(kb, plan) or [""]
    return [
        IndexRow(group_id=profile.id, ward=ward, highest_score=profile.highest_negative_score, dated=dated)
        for profile in assessment.profile
        if profile.negative
        for ward in wards
    ]


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
    keep = {
        "expected_version": expected_version,
        "expected_revision": expected_revision,
        "notes": notes,
        "editing": editing,
        "index": index_rows(kb, plan, assessment),
    }
    if isinstance(store, Store):
        keep["by"] = by
    return store.save(assessment_id, plan, decisions, level_of((assessment, problems)), **keep)


def record_assessment(kb: KnowledgeBase, saved: SavedVersion) -> Assessed:
    """The assessment a record of version `saved` is written from: that STORED version's plan, as any workshop in
    its notes agreed it (assessed once), never what a page's widgets hold now."""
    return assess_agreed(kb, saved.plan, saved.notes)


def start_assessment(store: Store | UserStore, kb: KnowledgeBase, plan: Plan) -> str:
    """Start an assessment of `plan` (version 1): assessed once, the store handed its level and index rows."""
    assessed = assess_agreed(kb, plan, None)
    return store.create(plan, level_of(assessed), index=index_rows(kb, plan, assessed[0]))
