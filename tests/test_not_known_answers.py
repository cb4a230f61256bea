"""A "not known" answer is never read as the reassuring one (invariant I4, for answers rather than blanks).

Issue 19 added "not known" options where a manager may honestly not know (how accessible a site is, whether
anyone was engaged). Each must lead to a quality gap or a negative finding, so an unknown is reported as
something to find out, never passed over as if the answer were the reassuring one.
"""

from __future__ import annotations

import pytest

from proofing.knowledge import load_knowledge
from proofing.oracle import reference_evaluate
from proofing.plan import Plan, check_answers
from proofing.questionnaire import Question
from proofing.whatif import what_would_lower

_KB = load_knowledge()
NOT_KNOWN = [
    question for question in _KB.questionnaire.questions if any(option.id == "not_known" for option in question.options)
]
RULES = {rule.id: rule for rule in _KB.rules}


def _flagged(answers: dict[str, object]) -> set[str]:
    """The gaps and negative findings the answers lead to."""
    checked = check_answers(_KB.questionnaire, answers, complete=False)
    assert not checked.problems, checked.problems
    firing = reference_evaluate(_KB.rules, checked.answers)
    return {
        rule_id
        for rule_id in firing.findings
        if RULES[rule_id].gap is not None
        or (RULES[rule_id].finding is not None and RULES[rule_id].finding.direction == "negative")
    }


def test_the_questionnaire_offers_not_known_where_managers_may_not_know() -> None:
    assert {question.id for question in NOT_KNOWN} >= {"physical_access", "engagement_done"}


@pytest.mark.parametrize("question", NOT_KNOWN, ids=[question.id for question in NOT_KNOWN])
def test_not_known_is_flagged_as_something_to_find_out(question: Question) -> None:
    base = {"reach": "public", "change_type": ["service_change"]}
    assert _flagged({**base, question.id: "not_known"}), f"{question.id}: 'not known' leads to no gap or finding"


def test_not_known_engagement_is_read_as_no_engagement() -> None:
    base = {"reach": "public", "change_type": ["service_change"]}
    none = _flagged({**base, "engagement_done": "none"})
    assert none, "no engagement should lead to a gap"
    assert _flagged({**base, "engagement_done": "not_known"}) >= none


def test_what_would_lower_never_suggests_not_knowing() -> None:
    answers = {
        "change_type": ["relocation"], "reach": "public", "geography": "county_wide", "deprived_area": False,
        "people_affected": 300, "affected_communities": ["disabled_people"], "affected_characteristics": ["disability"],
        "limited_english_users": False, "serves_maternity": False, "ends_provision": ["none"], "requirements": ["none"],
        "welsh_provision": "full_bilingual", "welsh_opportunities": "same", "further_travel": False,
        "physical_access": "none", "accessible_formats": True, "public_facilities": ["none"], "mixing": "neutral",
        "shared_space": True, "removes_shared_space": False, "single_group": False, "allocates_scarce": False,
        "known_myths": False, "delivers": ["none"], "media_interest": "low", "tension_potential": "low",
        "past_objections": False, "visibility_risk": False, "evidence_used": ["service_data"], "data_by_group": "all",
        "engagement_done": "done", "consultation_languages": "english_welsh", "monitoring_plan": False,
    }  # fmt: skip
    plan = Plan(title="Day service moves to a hall", service="Adult services", owner="Head of adult services",
                answers=answers)  # fmt: skip
    suggestions = what_would_lower(_KB, plan)
    changes = [(change.question, change.after) for suggestion in suggestions for change in suggestion.changes]
    assert ("physical_access", "full") in changes, changes  # the building problem is found and can be fixed
    assert not [change for change in changes if change[1] == "not_known"], changes
