"""Every impact rule's YAML cases, run through both the durable-rules engine and the oracle.

A failure names the rule, the case and the file and line where the rule is written.
"""

from __future__ import annotations

from typing import Any

import pytest

from proofing.engine import evaluate
from proofing.knowledge import load_knowledge
from proofing.oracle import Firing, reference_evaluate
from proofing.plan import check_answers
from proofing.questionnaire import ImpactRule

_KB = load_knowledge()
CASES = [(rule, case) for rule in _KB.rules for case in rule.cases]


def fired(rule: ImpactRule, firing: Firing) -> bool:
    if rule.derives:
        return rule.id in firing.facts.get(rule.derives, ())
    return rule.id in firing.findings


def where(rule: ImpactRule) -> str:
    for path in sorted(_KB.root.glob("impacts/*.yaml")):
        text = path.read_text(encoding="utf-8")
        marker = f"- id: {rule.id}\n"
        if marker in text:
            return f"{path.relative_to(_KB.root.parent)}:{text[: text.index(marker)].count(chr(10)) + 1}"
    return "rules/impacts"


@pytest.mark.parametrize(("rule", "case"), CASES, ids=[f"{rule.id}: {case.name}" for rule, case in CASES])
def test_rule_case(rule: ImpactRule, case: Any) -> None:
    checked = check_answers(_KB.questionnaire, case.answers, complete=False)
    assert not checked.problems and not checked.warnings, f"{where(rule)}: case '{case.name}': {checked}"
    expected = "fire" if case.fires else "not fire"
    engine, oracle = evaluate(_KB, checked.answers), reference_evaluate(_KB.rules, checked.answers)
    assert fired(rule, oracle) is case.fires, f"{where(rule)}: rule {rule.id}, case '{case.name}' should {expected}"
    assert fired(rule, engine) is case.fires, f"{where(rule)}: the engine disagrees on case '{case.name}'"


def test_there_are_at_least_sixty_rules_with_cases() -> None:
    assert len(_KB.rules) >= 60
    assert all(rule.cases for rule in _KB.rules)
