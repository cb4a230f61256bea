"""A version's rows of the cumulative index, worked out from its assessment: which groups it finds negatively
affected, in which wards, and when the plan happens. Pure: the service layer hands the rows to the store.

Dates and wards are read through the question roles rules/questionnaire.yaml declares (``plan_date``, ``wards``;
checked by ``proofing rules check``), never through question ids written in Python.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time

from proofing.assessment import Assessment
from proofing.knowledge import KnowledgeBase
from proofing.models import IndexRow
from proofing.plan import Plan

WARD_GEOGRAPHIES = ("named_wards", "rural_areas")  # the geography options under which the wards answer counts


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
