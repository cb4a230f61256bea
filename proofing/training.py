"""Training: worked cases that teach staff what cohesion impacts look like, scored against the rule base.

A worked case (``rules/training/*.yaml``) is a scenario card in plain words, the plan's answers, the learning
points, and what the rule base finds (the level, the main impacts and the groups they name). A trainee reads the
card, predicts, and the round is scored against what an officer would have seen: impacts found, missed and
over-called, each with the rule's rationale, the answers that led to it and the strategy action a mitigation
draws on. ``proofing rules check`` keeps every card true to the rules: a card whose impacts the rules no longer
find fails with its FILE:LINE, so training never teaches what the tool no longer says.
"""

from __future__ import annotations

from pydantic import Field

from proofing.assessment import Assessment, Finding, assess
from proofing.base import Strict
from proofing.cards import TrainingCase
from proofing.knowledge import KnowledgeBase
from proofing.questionnaire import Level


class Prediction(Strict):
    """A trainee's prediction for a card: the level, the groups affected and the main impacts (rule ids chosen
    from the list offered), and their own words."""

    level: Level | None = None
    groups: list[str] = []
    impacts: list[str] = []
    words: str = ""


class Reveal(Strict):
    """One impact in the reveal: what the rules found, or the trainee called, and why."""

    rule: str
    title: str
    outcome: str = Field(description="found, missed or over-called")
    rationale: str
    because: list[str]
    actions: list[str] = Field(description="the strategy actions its mitigations draw on, with their words")


class RoundResult(Strict):
    """A trainee's round: each impact found, missed or over-called, whether the level and groups were right, and a
    score out of 100."""

    case: str
    level_right: bool
    level_expected: Level
    groups_found: list[str]
    groups_missed: list[str]
    groups_over_called: list[str]
    reveals: list[Reveal]
    score: int


def impacts_offered(kb: KnowledgeBase, case: TrainingCase) -> list[tuple[str, str]]:
    """The impacts a trainee chooses from for a card: the card's own among others of the same kind, by title.

    Every negative or positive finding rule is offered, so the list gives nothing away.
    """
    return [(rule.id, rule.title) for rule in kb.rules if rule.finding]


def score_round(kb: KnowledgeBase, case: TrainingCase, prediction: Prediction) -> RoundResult:
    """Score a trainee's prediction against what the rule base finds for the card's plan.

    The score weighs the impacts most (60), then the groups (25) and the level (15); an impact over-called costs
    as much as one missed, so guessing everything scores no better than guessing nothing.
    """
    assessment = assess(kb, case.plan, case.id)
    by_rule = {finding.rule: finding for finding in assessment.findings}
    taught = [rule for rule in case.expect.impacts if rule in by_rule]
    titles = {rule.id: rule.title for rule in kb.rules}
    reveals: list[Reveal] = []
    for rule in taught:
        outcome = "found" if rule in prediction.impacts else "missed"
        reveals.append(_reveal(kb, by_rule[rule], outcome))
    for rule in prediction.impacts:
        if rule not in taught:
            finding = by_rule.get(rule)
            if finding is not None:  # found by the rules, but not one of the card's main impacts
                reveals.append(_reveal(kb, finding, "over-called"))
            else:
                reveals.append(
                    Reveal(
                        rule=rule,
                        title=titles.get(rule, rule),
                        outcome="over-called",
                        rationale="The rules do not find this impact for this plan.",
                        because=[],
                        actions=[],
                    )
                )
    found = sum(1 for reveal in reveals if reveal.outcome == "found")
    over_called = sum(1 for reveal in reveals if reveal.outcome == "over-called")
    impact_score = max(0.0, (found - over_called) / len(taught)) if taught else 0.0
    expected_groups = set(case.expect.groups) or _groups(assessment, taught)
    predicted_groups = set(prediction.groups)
    group_hits = expected_groups & predicted_groups
    group_score = len(group_hits) / len(expected_groups | predicted_groups) if expected_groups else 1.0
    level_right = prediction.level == case.expect.level
    score = round(60 * impact_score + 25 * group_score + (15 if level_right else 0))
    return RoundResult(
        case=case.id,
        level_right=level_right,
        level_expected=case.expect.level,
        groups_found=sorted(group_hits),
        groups_missed=sorted(expected_groups - predicted_groups),
        groups_over_called=sorted(predicted_groups - expected_groups),
        reveals=reveals,
        score=min(100, max(0, score)),
    )


def _groups(assessment: Assessment, rules: list[str]) -> set[str]:
    return {g for f in assessment.findings if f.rule in rules for g in f.characteristics + f.communities}


def _reveal(kb: KnowledgeBase, finding: Finding, outcome: str) -> Reveal:
    return Reveal(
        rule=finding.rule,
        title=finding.title,
        outcome=outcome,
        rationale=finding.rationale,
        because=[f"{because.question_text} {because.answer_text}" for because in finding.because],
        actions=[f"{action.id}: {action.text}" for m in finding.mitigations for action in m.linked],
    )
