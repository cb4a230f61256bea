"""The reference evaluator: what the impact rules mean, in plain Python.

The durable-rules engine (proofing.engine) is what assessments run on; this evaluator reads the same
YAML conditions directly and is the oracle the tests hold the engine to. Both return a ``Firing``.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from proofing.conditions import Answers, holds
from proofing.questionnaire import ImpactRule


@dataclass(frozen=True)
class Firing:
    """Which finding and gap rules fired (sorted by id) and which facts were derived, by which rules."""

    findings: tuple[str, ...]
    facts: dict[str, tuple[str, ...]] = field(default_factory=dict)


def reference_evaluate(rules: list[ImpactRule], answers: Answers) -> Firing:
    """Forward-chain the derivation rules to a fixpoint, then fire the finding rules."""
    derivations = [rule for rule in rules if rule.derives]
    derived_by: dict[str, set[str]] = {}
    changed = True
    while changed:
        changed = False
        facts = frozenset(derived_by)
        for rule in derivations:
            assert rule.derives is not None
            if rule.id in derived_by.get(rule.derives, set()):
                continue
            if holds(rule.when, answers, facts):
                derived_by.setdefault(rule.derives, set()).add(rule.id)
                changed = True
    facts = frozenset(derived_by)
    fired = sorted(rule.id for rule in rules if not rule.derives and holds(rule.when, answers, facts))
    return Firing(
        findings=tuple(fired),
        facts={fact: tuple(sorted(by)) for fact, by in sorted(derived_by.items())},
    )


def case_fires(rules: list[ImpactRule], rule: ImpactRule, answers: Answers) -> bool:
    """Whether `rule` fires (or derives its fact) for these answers, as a rule's YAML case asks."""
    firing = reference_evaluate(rules, answers)
    if rule.derives:
        return rule.id in firing.facts.get(rule.derives, ())
    return rule.id in firing.findings
