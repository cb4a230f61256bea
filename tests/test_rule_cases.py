"""Every impact rule's YAML cases, run through both the durable-rules engine and the oracle.

The running is proofing.selfcheck's, the same that `proofing rules check` does for any council's rule base; here
each case is a test of its own. A failure names the file and line of the case, the rule and the case.
"""

from __future__ import annotations

import pytest

from proofing.knowledge import load_knowledge
from proofing.questionnaire import ImpactRule, RuleCase
from proofing.selfcheck import case_places, rule_case_fault

_KB = load_knowledge()
_WHERE = case_places(_KB.root)
CASES = [(rule, index, case) for rule in _KB.rules for index, case in enumerate(rule.cases)]


@pytest.mark.parametrize(("rule", "index", "case"), CASES, ids=[f"{rule.id}: {case.name}" for rule, _, case in CASES])
def test_rule_case(rule: ImpactRule, index: int, case: RuleCase) -> None:
    assert (rule.id, index) in _WHERE, f"case {index} of rule {rule.id} is not found in rules/impacts"
    fault = rule_case_fault(_KB, rule, case, _WHERE[(rule.id, index)])
    assert fault is None, str(fault)


def test_there_are_at_least_sixty_rules_with_cases() -> None:
    assert len(_KB.rules) >= 60
    assert all(rule.cases for rule in _KB.rules)
