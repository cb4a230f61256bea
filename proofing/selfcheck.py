"""A rule base's own tests, run without pytest: `proofing rules check` runs them, as `openfisca test` does.

A council that writes its own rules/ writes worked cases beside every rule and may write training cards; this
module is where those are run, once, for the command line and the project's tests alike:

- every rule's YAML cases, through both the reference evaluator (proofing.oracle) and the durable-rules engine
  (proofing.engine), so a case fails when the rule does not do what its case says, and again when the two
  evaluators disagree (an engine fault, not a rule fault);
- every training card: the level it expects, the impacts it teaches and the groups those impacts name must be
  what the rules find for its plan;
- every mitigation of a negative finding declares its effect (proofing.checks.effect_faults).

Each fault is a `Problem` at the FILE:LINE of the case or card that failed, named in words.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path

import yaml
from pydantic import BaseModel, ConfigDict

from proofing.assessment import assess
from proofing.cards import TrainingCase
from proofing.checks import effect_faults
from proofing.engine import evaluate
from proofing.errors import Problem
from proofing.knowledge import KnowledgeBase
from proofing.oracle import Firing, reference_evaluate
from proofing.plan import check_answers
from proofing.questionnaire import ImpactRule, RuleCase

# Where an item is written: its file and line.
Where = tuple[Path, int]


class SelfCheckReport(BaseModel):
    """What a self-check ran and what failed: counts for the summary line, and every fault at its FILE:LINE."""

    model_config = ConfigDict(arbitrary_types_allowed=True, frozen=True)

    rule_cases: int
    training_cards: int
    faults: list[Problem]
    seconds: float

    @property
    def sound(self) -> bool:
        """True when every case, card and effect holds."""
        return not self.faults


def _entries(node: yaml.Node | None) -> dict[str, tuple[int, yaml.Node]]:
    """A YAML mapping node's entries: key -> (the key's line, the value's node); empty for any other node."""
    if not isinstance(node, yaml.MappingNode):
        return {}
    return {
        str(key.value): (key.start_mark.line + 1, value)
        for key, value in node.value
        if isinstance(key, yaml.ScalarNode)
    }


def _items(path: Path, key: str) -> Iterator[yaml.MappingNode]:
    """Each mapping in the top-level list `key` of a YAML file (nothing when the file cannot be read).

    Only the file's nodes are composed (with libyaml when present): the loader has already read and checked the
    file, and composing is all a line needs, many times faster than loading it again with lines.
    """
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    try:
        root = yaml.compose(path.read_text(encoding="utf-8"), Loader=loader)
    except (OSError, UnicodeDecodeError, yaml.YAMLError):
        return
    _line, items = _entries(root).get(key, (0, None))
    if isinstance(items, yaml.SequenceNode):
        yield from (item for item in items.value if isinstance(item, yaml.MappingNode))


def case_places(root: Path) -> dict[tuple[str, int], Where]:
    """Where each impact rule's cases are written: (rule id, case index) -> file and line; index -1 is the rule."""
    found: dict[tuple[str, int], Where] = {}
    for path in sorted(root.glob("impacts/*.yaml")):
        for rule in _items(path, "rules"):
            entries = _entries(rule)
            rule_id = str(getattr(entries.get("id", (0, None))[1], "value", ""))
            found.setdefault((rule_id, -1), (path, rule.start_mark.line + 1))
            _line, cases = entries.get("cases", (0, None))
            if isinstance(cases, yaml.SequenceNode):
                for index, case in enumerate(cases.value):
                    found.setdefault((rule_id, index), (path, case.start_mark.line + 1))
    return found


def card_places(root: Path) -> dict[tuple[str, str], Where]:
    """Where each training card is written: (card id, field of its `expect`) -> file and line; field "" is the card."""
    found: dict[tuple[str, str], Where] = {}
    for path in sorted(root.glob("training/*.yaml")):
        for card in _items(path, "cases"):
            entries = _entries(card)
            card_id = str(getattr(entries.get("id", (0, None))[1], "value", ""))
            found.setdefault((card_id, ""), (path, card.start_mark.line + 1))
            if "expect" in entries:
                line, expect = entries["expect"]
                found.setdefault((card_id, "expect"), (path, line))
                for field, (field_line, _value) in _entries(expect).items():
                    found.setdefault((card_id, field), (path, field_line))
    return found


def fired(rule: ImpactRule, firing: Firing) -> bool:
    """Whether this rule fired in an evaluation: a finding or gap rule by its id, a derivation by its fact."""
    if rule.derives:
        return rule.id in firing.facts.get(rule.derives, ())
    return rule.id in firing.findings


def rule_case_fault(kb: KnowledgeBase, rule: ImpactRule, case: RuleCase, where: Where) -> Problem | None:
    """The fault of one rule case, or None when the oracle and the engine both do what the case says.

    A case's answers are checked against the questionnaire first (an answer to no question, or of the wrong
    type, would make the case test nothing); then the case runs on both evaluators.
    """
    path, line = where
    named = f'rule {rule.id}, case "{case.name}"'
    checked = check_answers(kb.questionnaire, case.answers, complete=False)
    wrong = [str(problem) for problem in [*checked.problems, *checked.warnings]]
    if wrong:
        return Problem(path, line, f"{named}: its answers do not fit the questionnaire: {'; '.join(wrong)}")
    by_oracle = fired(rule, reference_evaluate(kb.rules, checked.answers))
    by_engine = fired(rule, evaluate(kb, checked.answers))
    expected = "expected to fire" if case.fires else "expected not to fire"
    if by_oracle == by_engine == case.fires:
        return None
    if by_oracle == by_engine:
        happened = "did not" if case.fires else "it did"
        return Problem(path, line, f"{named}: {expected}, {happened} (engine and oracle agree)")
    which = "the oracle fires it, the engine does not" if by_oracle else "the engine fires it, the oracle does not"
    return Problem(path, line, f"{named}: {expected}, but the engine and oracle disagree: {which}")


def card_faults(
    kb: KnowledgeBase, card: TrainingCase, places: dict[tuple[str, str], Where], *, impacts_only: bool = False
) -> list[Problem]:
    """What a training card expects that the rules do not find for its plan: its level, impacts and groups.

    The groups a card expects are exactly those its taught impacts name, so a rule that names a new group (or
    drops one) shows on the card that teaches it. `impacts_only` checks the taught impacts alone: for a card that
    narrowing to another nation's duties has adapted (proofing.duties keeps the impacts still found, but not the
    level or groups the card was written with).
    """
    default = places.get((card.id, "expect"), places.get((card.id, ""), (kb.root / "training", 1)))

    def at(field: str) -> Where:
        return places.get((card.id, field), default)

    faults: list[Problem] = []
    assessment = assess(kb, card.plan, card.id)
    named = f"training case {card.id}"
    if assessment.level != card.expect.level and not impacts_only:
        message = f"{named} expects the level {card.expect.level}; the rules give {assessment.level}"
        faults.append(Problem(*at("level"), message))
    found = {finding.rule: finding for finding in assessment.findings}
    for rule in card.expect.impacts:
        if rule not in found:
            message = f"{named} teaches the impact {rule}, which the rules do not find for its plan"
            faults.append(Problem(*at("impacts"), message))
    groups = {
        group
        for rule in card.expect.impacts
        if rule in found
        for group in [*found[rule].characteristics, *found[rule].communities]
    }
    expected = set(card.expect.groups)
    if expected != groups and not impacts_only:
        parts = []
        if expected - groups:
            parts.append(f"its impacts do not name {', '.join(sorted(expected - groups))}")
        if groups - expected:
            parts.append(f"they also name {', '.join(sorted(groups - expected))}")
        faults.append(Problem(*at("groups"), f"{named} expects these groups, but {' and '.join(parts)}"))
    return faults


def run_self_check(kb: KnowledgeBase) -> SelfCheckReport:
    """Run every rule case (oracle and engine), every training card and the effects check; list every fault."""
    started = time.perf_counter()
    faults = list(effect_faults(kb))
    where = case_places(kb.root)
    cases = 0
    for rule in kb.rules:
        for index, case in enumerate(rule.cases):
            cases += 1
            place = where.get((rule.id, index), where.get((rule.id, -1), (kb.root / "impacts", 1)))
            fault = rule_case_fault(kb, rule, case, place)
            if fault is not None:
                faults.append(fault)
    cards = card_places(kb.root)
    # A rule base whose nation's duties leave out some of its rules (a copy switched to another nation) has its
    # cards adapted to the rules in force; their level and groups are those the cards were written with.
    narrowed = kb.whole_and_duties()[0].rules != kb.rules
    for card in kb.training:
        faults.extend(card_faults(kb, card, cards, impacts_only=narrowed))
    return SelfCheckReport(
        rule_cases=cases,
        training_cards=len(kb.training),
        faults=sorted(faults),
        seconds=time.perf_counter() - started,
    )
