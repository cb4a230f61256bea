"""A "not known" answer is never read as the reassuring one (invariant I4, for answers rather than blanks).

Issue 19 added "not known" options where a manager may honestly not know (how accessible a site is, whether
anyone was engaged). Each must lead to a quality gap or a negative finding, so an unknown is reported as
something to find out, never passed over as if the answer were the reassuring one.
"""

from __future__ import annotations

import pytest

from proofing.knowledge import load_knowledge
from proofing.oracle import reference_evaluate
from proofing.plan import check_answers
from proofing.questionnaire import Question

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
