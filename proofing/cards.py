"""The schema of a worked training case (rules/training/*.yaml): a scenario card and what it teaches.

Kept apart from proofing.training (which scores a trainee's round) so the rule base loader can validate the
cards without importing the assessment.
"""

from __future__ import annotations

from pydantic import Field

from proofing.base import Slug, Strict, Text
from proofing.plan import Plan
from proofing.questionnaire import Level


class CardExpectation(Strict):
    """What the rule base finds for the card's plan, as the card teaches it."""

    level: Level
    impacts: list[Slug] = Field(min_length=1, description="the rule ids of the main impacts the card teaches")
    groups: list[Slug] = Field(default=[], description="the groups those impacts name, as the card teaches them")
    also: list[Slug] = Field(
        default=[],
        description="other impacts the rules find that the learning points name: a trainee who names one has found "
        "it (never over-called), one who leaves it out has not missed it; the score counts the main impacts only",
    )


class TrainingCase(Strict):
    """A scenario card: the plan as a manager would describe it, with local context, and what it teaches."""

    id: Slug
    title: Text
    theme: Text = Field(description="the strategy theme it draws on, e.g. 'Media and myths'")
    scenario: Text = Field(description="the plan as a manager would describe it")
    context: Text = Field(description="a little local context from the strategy's history")
    learning_points: list[Text] = Field(min_length=1)
    plan: Plan
    expect: CardExpectation


class TrainingFile(Strict):
    cases: list[TrainingCase] = Field(min_length=1)
