"""Reading the rule base out: as JSON for `rules dump`, and one item in words for `rules show` and the app."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from proofing.knowledge import Item, KnowledgeBase
from proofing.questionnaire import Fact, ImpactRule, Question
from proofing.strategy import (
    Action,
    Characteristic,
    Community,
    Indicator,
    Measure,
    MigrantWorkerTask,
    Objective,
    Outcome,
    Outcome2011,
    PsedAim,
    Statement,
)


def knowledge_as_json(kb: KnowledgeBase) -> dict[str, Any]:
    """The whole rule base as plain JSON data, outcomes with their actions nested, for `rules dump`."""

    def plain(models: list[Any]) -> list[dict[str, Any]]:
        return [model.model_dump(mode="json") for model in models]

    return {
        "rule_base": {"name": kb.name, "version": kb.version, "sha256": kb.sha256},
        "strategy": kb.strategy.model_dump(mode="json"),
        "vision": kb.vision.model_dump(mode="json"),
        "principles": plain(kb.principles.items),
        "objectives": plain(kb.objectives),
        "outcomes": [
            outcome.model_dump(mode="json") | {"actions": plain(kb.actions_of(outcome.id))} for outcome in kb.outcomes
        ],
        "migrant_worker_plan": kb.migrant_worker_plan.model_dump(mode="json") if kb.migrant_worker_plan else None,
        "migrant_worker_tasks": plain(kb.migrant_worker_tasks),
        "strategy_2011": kb.strategy_2011.model_dump(mode="json") if kb.strategy_2011 else None,
        "outcomes_2011": plain(kb.outcomes_2011),
        "indicators": plain(kb.indicators),
        "hate_crime": kb.hate_crime.model_dump(mode="json") if kb.hate_crime else None,
        "characteristics": plain(kb.characteristics),
        "communities": plain(kb.communities),
        "psed_aims": plain(kb.psed_aims),
    }


def describe(kb: KnowledgeBase, item_id: str) -> str | None:
    """One item of the rule base in readable form, for `rules show` and the rule base browser."""
    found = kb.find(item_id)
    if found is None:
        return None
    kind, item = found
    return "\n".join(_describe_lines(kb, kind, item))


def _describe_lines(kb: KnowledgeBase, kind: str, item: Item) -> Iterator[str]:
    def field(label: str, value: str | None) -> str:
        return f"  {label}: {value if value else '(not given in the strategy)'}"

    match item:
        case Outcome():
            yield f"Outcome {item.id} ({kb.objective(item.objective).name})"
            yield f"  {item.text}"
            if item.chapter_text:
                yield f"  Chapter 3 words it: {item.chapter_text}"
            yield field("Contribution to the cohesion vision", item.contribution)
            actions = kb.actions_of(item.id)
            yield "  Actions:" if actions else "  Actions: none listed in the strategy"
            for action in actions:
                yield f"    {action.id} {action.text}"
        case Action():
            outcome = kb.outcome(item.outcome)
            yield f"Action {item.id}: {item.text}"
            yield f"  Under outcome {outcome.id}: {outcome.text}"
            yield "  Measures:" if item.measures else "  Measures: none listed in the strategy"
            for measure in item.measures:
                yield f"    {measure.id} {measure.text or '(numbered in the strategy with no text)'}"
            yield field("Action and involvement required by", item.involvement)
            yield field("Proposed lead organisation", item.lead)
            yield field("Timescale for completion", item.timescale)
            yield field("Additional resource requirements", item.resources)
        case Measure():
            action = kb.action_of_measure(item.id)
            yield f"Measure {item.id}: {item.text or '(numbered in the strategy with no text)'}"
            yield f"  Of action {action.id}: {action.text}"
        case MigrantWorkerTask():
            yield f"Migrant Worker task {item.number} ({item.service})"
            yield f"  {item.text}"
            yield field("Who", item.who)
            yield field("Target date", item.target)
            yield field("Status", item.status)
            yield field("Update (March 2007)", item.update)
        case Objective():
            yield f"Strategic objective {item.number}: {item.name} (strategy {item.section})"
            yield f"  {item.statement}"
            for outcome in kb.outcomes:
                if outcome.objective == item.id:
                    yield f"    {outcome.id} {outcome.text}"
        case Indicator():
            yield f"Cohesion indicator {item.id}: {item.text}"
            for baseline in item.baselines:
                setting = f" ({baseline.setting})" if baseline.setting else ""
                yield f"  {baseline.survey} {baseline.date}{setting}: {baseline.percent:g}%"
            if item.national_comparison:
                yield f"  National comparison: {item.national_comparison.percent:g}%"
        case Outcome2011():
            yield f"2011-14 outcome {item.number}: {item.text}"
            for sign in item.looks_like:
                yield f"  What this will look like: {sign}"
        case Characteristic() | Community() | PsedAim():
            yield f"{kind.capitalize() if kind != 'PSED aim' else kind}: {item.name}"
            if isinstance(item, PsedAim):
                yield f"  {item.text}"
            else:
                yield f"  {item.description}"
            for aspect in getattr(item, "aspects", []):
                yield f"  - {aspect}"
            yield field("Source", item.source)
        case Statement():
            yield f"{kind.capitalize()} {item.id}: {item.text}"
        case Question():
            yield f"Question {item.id} ({item.type.replace('_', ' ')}{', required' if item.required else ''})"
            yield f"  {item.text}"
            if item.help:
                yield f"  Help: {item.help}"
            for option in item.options:
                yield f"    {option.id}: {option.label}"
            if item.show_if is not None:
                yield "  Asked only when earlier answers make it relevant."
        case Fact():
            yield f"Fact {item.id}: {item.text}"
            yield "  Derived by: " + ", ".join(rule.id for rule in kb.rules if rule.derives == item.id)
        case ImpactRule():
            yield f"Rule {item.id}: {item.title}"
            if item.derives:
                yield f"  Concludes: {next(f.text for f in kb.facts if f.id == item.derives)}"
            if item.finding:
                finding = item.finding
                score = finding.likelihood * finding.severity
                yield (
                    f"  A {finding.direction} finding, likelihood {finding.likelihood} x severity "
                    f"{finding.severity} = {score}"
                )
                yield f"  {' '.join(finding.rationale.split())}"
                for mitigation in finding.mitigations:
                    yield f"  - {' '.join(mitigation.text.split())} (actions {', '.join(mitigation.actions)})"
            yield f"  Cases: {len(item.cases)}"
