"""The strategy's own texts a reader sees, as the translator walks them (proofing.language).

The rule base's questions, rules and facts are the project's words; the strategy's are the council's: its title,
vision, core principles and four objectives, its actions (with their measures and columns), outcomes and cohesion
indicators, the Migrant Worker task group's plan and tasks (with each task's lead, target, status and update), and
the 2011-14 update with its outcomes and the racist crimes table. The council's Welsh edition is not in the rule
base, so the Welsh forms of these texts are the project's own drafts (``rules-strategy25.po``, and
``rules-welsh25a.po`` for the vision, objectives, tasks and the 2011-14 update), marked as such for the translation
unit to replace with the published Welsh. They go through the same lookup as every other rule-base text, so a Welsh
page or record shows the action "Datblygu Strategaeth ..." where the English shows "Develop a ...". Ids, outcomes
and the links between them are the same in every language.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from proofing.knowledge import KnowledgeBase

# The parts of the rule base these texts live in (proofing.language.localised rebuilds them in a language).
STRATEGY_PARTS: tuple[str, ...] = (
    "actions",
    "outcomes",
    "principles",
    "indicators",
    "strategy",
    "vision",
    "objectives",
    "cohesion_proofing",
    "migrant_worker_plan",
    "migrant_worker_tasks",
    "strategy_2011",
    "outcomes_2011",
    "hate_crime",
)


def strategy_walk(kb: KnowledgeBase) -> Iterator[tuple[str, str, tuple[str | int, ...]]]:
    """(context, English, where in the dumped rule base) for each of the strategy's texts a reader sees: each
    action's text, measures, involvement, lead, timescale and resources, each outcome and its contribution, the
    core principles, and each cohesion indicator with its baselines' survey and setting."""
    for a, action in enumerate(kb.actions):
        where: tuple[str | int, ...] = ("actions", a)
        yield f"action.{action.id}.text", action.text, (*where, "text")
        for m, measure in enumerate(action.measures):
            if measure.text:
                yield f"measure.{measure.id}.text", measure.text, (*where, "measures", m, "text")
        for column in ("involvement", "resources"):
            value = getattr(action, column)
            if value:
                yield f"action.{action.id}.{column}", value, (*where, column)
        if action.lead:
            yield f"action.{action.id}.lead", action.lead, (*where, "lead")
        if action.timescale:
            yield f"action.{action.id}.timescale", action.timescale, (*where, "timescale")
    for o, outcome in enumerate(kb.outcomes):
        where = ("outcomes", o)
        yield f"outcome.{outcome.id}.text", outcome.text, (*where, "text")
        if outcome.chapter_text:
            yield f"outcome.{outcome.id}.chapter_text", outcome.chapter_text, (*where, "chapter_text")
        yield f"outcome.{outcome.id}.contribution", outcome.contribution, (*where, "contribution")
    yield "principles.lead_in", kb.principles.lead_in, ("principles", "lead_in")
    for p, principle in enumerate(kb.principles.items):
        yield f"principle.{principle.id}.text", principle.text, ("principles", "items", p, "text")
    for i, indicator in enumerate(kb.indicators):
        where = ("indicators", i)
        yield f"indicator.{indicator.id}.text", indicator.text, (*where, "text")
        for b, baseline in enumerate(indicator.baselines):
            yield f"indicator.{indicator.id}.baseline.{b}.survey", baseline.survey, (*where, "baselines", b, "survey")
            if baseline.setting:
                yield (
                    f"indicator.{indicator.id}.baseline.{b}.setting",
                    baseline.setting,
                    (*where, "baselines", b, "setting"),
                )
        if indicator.national_comparison is not None:
            note = indicator.national_comparison.note
            yield f"indicator.{indicator.id}.comparison", note, (*where, "national_comparison", "note")
    yield from _chapter_three(kb)
    yield from _migrant_worker_plan(kb)
    yield from _strategy_2011(kb)


def _chapter_three(kb: KnowledgeBase) -> Iterator[tuple[str, str, tuple[str | int, ...]]]:
    """The strategy's title, edition and body, its vision, the source of its principles, its four objectives and
    its words on cohesion proofing (the rule base page and the record name them)."""
    for field in ("title", "edition", "body"):
        yield f"strategy.{field}", getattr(kb.strategy, field), ("strategy", field)
    yield "vision.lead_in", kb.vision.lead_in, ("vision", "lead_in")
    yield "vision.source", kb.vision.source, ("vision", "source")
    for v, statement in enumerate(kb.vision.statements):
        yield f"vision.{statement.id}.text", statement.text, ("vision", "statements", v, "text")
    yield "principles.source", kb.principles.source, ("principles", "source")
    for o, objective in enumerate(kb.objectives):
        yield f"objective.{objective.id}.name", objective.name, ("objectives", o, "name")
        yield f"objective.{objective.id}.statement", objective.statement, ("objectives", o, "statement")
    yield "strategy.cohesion_proofing", kb.cohesion_proofing, ("cohesion_proofing",)


def _migrant_worker_plan(kb: KnowledgeBase) -> Iterator[tuple[str, str, tuple[str | int, ...]]]:
    """The Migrant Worker task group's plan and each task's service, text, lead, target, status and update (a
    mitigation may cite a task, and the record's action table quotes it with its lead and target)."""
    plan = kb.migrant_worker_plan
    if plan is not None:
        for field in ("title", "updated", "source"):
            yield f"migrant_worker_plan.{field}", getattr(plan, field), ("migrant_worker_plan", field)
    for t, task in enumerate(kb.migrant_worker_tasks):
        for field in ("service", "text", "who", "target", "status", "update"):
            value = getattr(task, field)
            if value:
                yield f"task.{task.id}.{field}", value, ("migrant_worker_tasks", t, field)


def _strategy_2011(kb: KnowledgeBase) -> Iterator[tuple[str, str, tuple[str | int, ...]]]:
    """The 2011-14 update of the strategy: its title and paragraphs, its six outcomes with what each will look
    like, and the racist crimes table's title, source and note."""
    update = kb.strategy_2011
    if update is not None:
        for field in ("title", "monitoring_and_evaluation", "equality_impact_assessment", "delivery"):
            yield f"strategy_2011.{field}", getattr(update, field), ("strategy_2011", field)
        yield (
            "strategy_2011.monitoring_and_review",
            update.monitoring_and_review,
            ("strategy_2011", "monitoring_and_review"),
        )
    for o, outcome in enumerate(kb.outcomes_2011):
        yield f"outcome_2011.{outcome.id}.text", outcome.text, ("outcomes_2011", o, "text")
        for s, sign in enumerate(outcome.looks_like):
            yield f"outcome_2011.{outcome.id}.looks_like.{s}", sign, ("outcomes_2011", o, "looks_like", s)
    crimes = kb.hate_crime
    if crimes is not None:
        for field in ("title", "source", "note"):
            yield f"hate_crime.{field}", getattr(crimes, field), ("hate_crime", field)


def effect_walk(kb: KnowledgeBase) -> Iterator[tuple[str, str, tuple[str | int, ...]]]:
    """(context, English, where in the dumped rule base) for each mitigation's effect note: why, once in place, it
    lowers its finding's likelihood or severity (the record's residual impact quotes it)."""
    for r, rule in enumerate(kb.rules):
        if rule.finding is None:
            continue
        for m, mitigation in enumerate(rule.finding.mitigations):
            if mitigation.effect is not None:
                where = ("rules", r, "finding", "mitigations", m, "effect", "reason")
                yield f"rule.{rule.id}.mitigation.{m}.effect", mitigation.effect.reason, where
