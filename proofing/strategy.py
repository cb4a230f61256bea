"""The schemas of a council's strategy and the equality criteria: one model per YAML file of the rule base.

The strategy's vision, principles, objectives, outcomes, actions and measures, the Migrant Worker plan, the
2011-14 outcomes, the cohesion indicators, and the equality criteria (protected characteristics, Welsh
language, socio-economic duty, the communities the strategy names, the aims of the public sector equality
duty), and how mitigations may cite the actions. Loading and checking them is ``proofing.knowledge``'s work.
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field, StringConstraints

from proofing.base import ItemId, Slug, Strict, Text

# --- the strategy ---------------------------------------------------------------------------------


class Statement(Strict):
    """A numbered statement: a vision statement (V1-V6) or a core principle (P1-P5)."""

    id: ItemId
    text: Text


class Vision(Strict):
    """The 'a place where' statements and where they come from."""

    lead_in: Text
    source: Text
    statements: list[Statement]


class Principles(Strict):
    """The core principles the strategy says cohesion is about."""

    lead_in: Text
    source: Text
    items: list[Statement]


class Objective(Strict):
    """One of the strategic objectives (3.3-3.6)."""

    id: Slug
    number: int
    name: Text
    section: Text
    statement: Text


class StrategyInfo(Strict):
    """Which strategy this rule base encodes."""

    title: Text
    period: Text
    edition: Text
    body: Text


class Outcome(Strict):
    """An outcome of the action plan (CC ref), with its contribution to the cohesion vision."""

    id: ItemId
    number: int
    objective: Slug
    text: Text
    chapter_text: Text | None
    contribution: Text


class Measure(Strict):
    """A measure of an action, e.g. 2.6.1. A few measures are numbered in the seed with no text."""

    id: ItemId
    text: Text | None


class Action(Strict):
    """An action of the action plan, e.g. 15.1, with its measures and the plan's columns."""

    id: ItemId
    outcome: ItemId
    text: Text
    measures: list[Measure]
    target: Text | None
    involvement: Text | None
    lead: Text | None
    timescale: Text | None
    resources: Text | None


class MigrantWorkerPlan(Strict):
    """The Migrant Worker task group's action plan as a whole."""

    title: Text
    updated: Text
    source: Text


class MigrantWorkerTask(Strict):
    """A task of the Migrant Worker plan, e.g. MW23, with its March 2007 update."""

    id: ItemId
    number: int
    service: Text
    text: Text
    who: Text
    target: Text | None
    status: Text | None
    update: Text | None


class Baseline(Strict):
    """One survey figure for a cohesion indicator."""

    survey: Text
    date: Text
    setting: Text | None
    percent: float = Field(ge=0, le=100)


class Comparison(Strict):
    """A national figure to compare an indicator with."""

    percent: float = Field(ge=0, le=100)
    note: Text


class Indicator(Strict):
    """A national cohesion indicator (strategy 4.3) with the baselines the strategy reports."""

    id: ItemId
    text: Text
    baselines: list[Baseline]
    national_comparison: Comparison | None


class HateCrimeYear(Strict):
    """Reported racist crimes in one year."""

    year: Text
    reported: int = Field(ge=0)


class HateCrime(Strict):
    """The reported hate-crime table (strategy 1.5, Fig 2)."""

    title: Text
    source: Text
    note: Text
    years: list[HateCrimeYear]


class Strategy2011(Strict):
    """The 2011-14 strategy page: how it is monitored and reviewed."""

    title: Text
    monitoring_and_evaluation: Text
    equality_impact_assessment: Text
    delivery: Text
    monitoring_and_review: Text


class Outcome2011(Strict):
    """One of the six 2011-14 outcomes and what it will look like."""

    id: ItemId
    number: int
    text: Text
    looks_like: list[Text]


# --- the equality criteria ------------------------------------------------------------------------


class Characteristic(Strict):
    """An equality criterion a plan is screened against."""

    id: Slug
    name: Text
    kind: Literal["protected", "welsh_language", "socio_economic", "gaelic_language", "section_75"]
    description: Text
    source: Text
    aspects: list[Text]


class Community(Strict):
    """A community the strategy names, and the characteristics it most often engages."""

    id: Slug
    name: Text
    description: Text
    characteristics: list[Slug]
    source: Text


class PsedAim(Strict):
    """An aim of the public sector equality duty (Equality Act 2010, s.149(1))."""

    id: Slug
    name: Text
    text: Text
    source: Text


Nation = Literal["england", "wales", "scotland", "northern_ireland"]


class RuleBaseInfo(Strict):
    """What this rule base is and which version of it is in use."""

    name: Text
    version: Text
    council: Text
    description: Text
    nation: Nation = Field(
        default="wales", description="where the council is: england, wales, scotland, northern_ireland"
    )
    duties: list[Slug] | None = Field(
        default=None, description="the duties it works under (equality/duties.yaml); left out, its nation's defaults"
    )


# --- one schema per file --------------------------------------------------------------------------


class RuleBaseFile(Strict):
    rule_base: RuleBaseInfo


class StrategyFile(Strict):
    strategy: StrategyInfo
    vision: Vision
    principles: Principles
    objectives: list[Objective]
    cohesion_proofing: Text


class OutcomesFile(Strict):
    outcomes: list[Outcome]


class ActionsFile(Strict):
    actions: list[Action]


class MigrantWorkerFile(Strict):
    plan: MigrantWorkerPlan
    tasks: list[MigrantWorkerTask]


class IndicatorsFile(Strict):
    indicators: list[Indicator]
    hate_crime: HateCrime | None = None


class Strategy2011File(Strict):
    strategy_2011: Strategy2011
    outcomes_2011: list[Outcome2011]


class CharacteristicsFile(Strict):
    characteristics: list[Characteristic]


class CommunitiesFile(Strict):
    communities: list[Community]


class PsedAimsFile(Strict):
    psed_aims: list[PsedAim]


class ActionFit(Strict):
    """How a mitigation may cite one action or task: the words that show it draws on it, and whom it is about.

    A mitigation that cites the action must use at least one of its `keywords` (so an action's own words
    fit the mitigation), and an action that `concerns` particular communities (asylum seekers, Gypsies and
    Travellers, migrant workers) is cited only where the finding affects one of them.
    """

    action: ItemId
    keywords: list[Annotated[str, StringConstraints(strip_whitespace=True, to_lower=True, min_length=2)]] = Field(
        min_length=1
    )
    concerns: list[Slug] = []


class ActionFitFile(Strict):
    action_fit: list[ActionFit]
