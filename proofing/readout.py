"""Reading the rule base out: as JSON for `rules dump`, and one item in words for `rules show` and the app."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from proofing.knowledge import Item, KnowledgeBase
from proofing.language import SOURCE, Translator, translator
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


def describe(kb: KnowledgeBase, item_id: str, words: Translator | None = None) -> str | None:
    """One item of the rule base in readable form, for `rules show` and the rule base browser; its labels in the
    language of `words` (English when not given), its texts as `kb` words them (a localised rule base in Welsh)."""
    found = kb.find(item_id)
    if found is None:
        return None
    kind, item = found
    return "\n".join(_describe_lines(kb, kind, item, words or translator(SOURCE)))


def _describe_lines(kb: KnowledgeBase, kind: str, item: Item, words: Translator) -> Iterator[str]:
    _ = words._
    not_given = _("(not given in the strategy)")
    no_text = _("(numbered in the strategy with no text)")

    def field(label: str, value: str | None) -> str:
        return f"  {label}: {value if value else not_given}"

    match item:
        case Outcome():
            yield _("Outcome {id} ({objective})", id=item.id, objective=kb.objective(item.objective).name)
            yield f"  {item.text}"
            if item.chapter_text:
                yield "  " + _("Chapter 3 words it: {text}", text=item.chapter_text)
            yield field(_("Contribution to the cohesion vision"), item.contribution)
            actions = kb.actions_of(item.id)
            yield "  " + (_("Actions:") if actions else _("Actions: none listed in the strategy"))
            for action in actions:
                yield f"    {action.id} {action.text}"
        case Action():
            outcome = kb.outcome(item.outcome)
            yield _("Action {id}: {text}", id=item.id, text=item.text)
            yield "  " + _("Under outcome {id}: {text}", id=outcome.id, text=outcome.text)
            yield "  " + (_("Measures:") if item.measures else _("Measures: none listed in the strategy"))
            for measure in item.measures:
                yield f"    {measure.id} {measure.text or no_text}"
            yield field(_("Action and involvement required by"), item.involvement)
            yield field(_("Proposed lead organisation"), item.lead)
            yield field(_("Timescale for completion"), item.timescale)
            yield field(_("Additional resource requirements"), item.resources)
        case Measure():
            action = kb.action_of_measure(item.id)
            yield _("Measure {id}: {text}", id=item.id, text=item.text or no_text)
            yield "  " + _("Of action {id}: {text}", id=action.id, text=action.text)
        case MigrantWorkerTask():
            yield _("Migrant Worker task {number} ({service})", number=item.number, service=item.service)
            yield f"  {item.text}"
            yield field(_("Who"), item.who)
            yield field(_("Target date"), item.target)
            yield field(_("Status"), item.status)
            yield field(_("Update (March 2007)"), item.update)
        case Objective():
            yield _(
                "Strategic objective {number}: {name} (strategy {section})",
                number=item.number,
                name=item.name,
                section=item.section,
            )
            yield f"  {item.statement}"
            for outcome in kb.outcomes:
                if outcome.objective == item.id:
                    yield f"    {outcome.id} {outcome.text}"
        case Indicator():
            yield _("Cohesion indicator {id}: {text}", id=item.id, text=item.text)
            for baseline in item.baselines:
                setting = f" ({baseline.setting})" if baseline.setting else ""
                yield f"  {baseline.survey} {baseline.date}{setting}: {baseline.percent:g}%"
            if item.national_comparison:
                yield "  " + _("National comparison: {percent}%", percent=f"{item.national_comparison.percent:g}")
        case Outcome2011():
            yield _("2011-14 outcome {number}: {text}", number=item.number, text=item.text)
            for sign in item.looks_like:
                yield "  " + _("What this will look like: {sign}", sign=sign)
        case Characteristic() | Community() | PsedAim():
            if kind == "characteristic":
                yield _("Characteristic: {name}", name=item.name)
            elif kind == "community":
                yield _("Community: {name}", name=item.name)
            elif kind == "PSED aim":
                yield _("PSED aim: {name}", name=item.name)
            else:  # another nation's duty's aim ("Section 75 aim"), named as its duty names it
                yield f"{kind.capitalize()}: {item.name}"
            if isinstance(item, PsedAim):
                yield f"  {item.text}"
            else:
                yield f"  {item.description}"
            for aspect in getattr(item, "aspects", []):
                yield f"  - {aspect}"
            yield field(_("Source"), item.source)
        case Statement():
            if kind == "principle":
                yield _("Principle {id}: {text}", id=item.id, text=item.text)
            else:
                yield _("Vision statement {id}: {text}", id=item.id, text=item.text)
        case Question():
            answered = item.type.replace("_", " ")
            if item.required:
                yield _("Question {id} ({type}, required)", id=item.id, type=answered)
            else:
                yield _("Question {id} ({type})", id=item.id, type=answered)
            yield f"  {item.text}"
            if item.help:
                yield "  " + _("Help: {text}", text=item.help)
            for option in item.options:
                yield f"    {option.id}: {option.label}"
            if item.show_if is not None:
                yield "  " + _("Asked only when earlier answers make it relevant.")
        case Fact():
            yield _("Fact {id}: {text}", id=item.id, text=item.text)
            derived = ", ".join(rule.id for rule in kb.rules if rule.derives == item.id)
            yield "  " + _("Derived by: {rules}", rules=derived)
        case ImpactRule():
            yield _("Rule {id}: {title}", id=item.id, title=item.title)
            if item.derives:
                yield "  " + _("Concludes: {fact}", fact=next(f.text for f in kb.facts if f.id == item.derives))
            if item.finding:
                finding = item.finding
                score = finding.likelihood * finding.severity
                direction = _("A positive finding") if finding.direction == "positive" else _("A negative finding")
                yield "  " + _(
                    "{direction}, likelihood {likelihood} x severity {severity} = {score}",
                    direction=direction,
                    likelihood=finding.likelihood,
                    severity=finding.severity,
                    score=score,
                )
                yield f"  {' '.join(finding.rationale.split())}"
                for mitigation in finding.mitigations:
                    cited = ", ".join(mitigation.actions)
                    text = " ".join(mitigation.text.split())
                    yield "  - " + _("{text} (actions {actions})", text=text, actions=cited)
            yield "  " + _("Cases: {n}", n=len(item.cases))
