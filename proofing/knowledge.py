"""The knowledge base: a council's cohesion strategy and the equality duties, loaded from rules/.

Everything proofing says cites this: the strategy's vision, principles, objectives, outcomes (CC ref),
actions and measures, the Migrant Worker plan, the 2011-14 outcomes, the cohesion indicators, and the
equality criteria (protected characteristics, Welsh language, socio-economic duty, the communities the
strategy names, the aims of the public sector equality duty).

The rule base is data a policy officer edits. ``load_knowledge`` validates every file against its
schema, checks that every id is unique and every reference resolves, and reports each fault as
``FILE:LINE: message`` (a ``RuleBaseError``), so another council can point it at its own strategy.
"""

from __future__ import annotations

import hashlib
import types
import typing
from collections.abc import Callable, Iterator
from functools import cached_property
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, ValidationError

from proofing.conditions import AnswerTest, Condition, answer_tests, facts_read
from proofing.errors import Problem, RuleBaseError, display_path
from proofing.plan import check_answers
from proofing.questionnaire import (
    Fact,
    FactsFile,
    ImpactRule,
    ImpactRulesFile,
    Mitigation,
    Option,
    Question,
    Questionnaire,
    QuestionnaireFile,
    ScoringFile,
    resolve_options,
)
from proofing.yamlsource import LocatedDict, LocatedList, YamlFileError, enclosing_item, line_of, load_located

DEFAULT_RULES_DIR = Path(__file__).resolve().parent.parent / "rules"

Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1)]
Slug = Annotated[str, StringConstraints(pattern=r"^[a-z][a-z0-9_]*$")]


class Record(BaseModel):
    """A piece of the rule base: strict (no unknown fields) and immutable once loaded."""

    model_config = ConfigDict(extra="forbid", frozen=True)


# --- the strategy ---------------------------------------------------------------------------------


class Statement(Record):
    """A numbered statement: a vision statement (V1-V6) or a core principle (P1-P5)."""

    id: Annotated[str, StringConstraints(pattern=r"^[A-Z]\d{1,2}$")]
    text: Text


class Vision(Record):
    """The 'a place where' statements and where they come from."""

    lead_in: Text
    source: Text
    statements: list[Statement]


class Principles(Record):
    """The core principles the strategy says cohesion is about."""

    lead_in: Text
    source: Text
    items: list[Statement]


class Objective(Record):
    """One of the strategic objectives (3.3-3.6)."""

    id: Slug
    number: int
    name: Text
    section: Text
    statement: Text


class StrategyInfo(Record):
    """Which strategy this rule base encodes."""

    title: Text
    period: Text
    edition: Text
    body: Text


class Outcome(Record):
    """An outcome of the action plan (CC ref), with its contribution to the cohesion vision."""

    id: Annotated[str, StringConstraints(pattern=r"^CC\d{1,2}$")]
    number: int
    objective: Slug
    text: Text
    chapter_text: Text | None
    contribution: Text


class Measure(Record):
    """A measure of an action, e.g. 2.6.1. A few measures are numbered in the seed with no text."""

    id: Annotated[str, StringConstraints(pattern=r"^\d{1,2}\.\d{1,2}\.\d{1,2}$")]
    text: Text | None


class Action(Record):
    """An action of the action plan, e.g. 15.1, with its measures and the plan's columns."""

    id: Annotated[str, StringConstraints(pattern=r"^\d{1,2}\.\d{1,2}$")]
    outcome: Annotated[str, StringConstraints(pattern=r"^CC\d{1,2}$")]
    text: Text
    measures: list[Measure]
    target: Text | None
    involvement: Text | None
    lead: Text | None
    timescale: Text | None
    resources: Text | None


class MigrantWorkerPlan(Record):
    """The Migrant Worker task group's action plan as a whole."""

    title: Text
    updated: Text
    source: Text


class MigrantWorkerTask(Record):
    """A task of the Migrant Worker plan, e.g. MW23, with its March 2007 update."""

    id: Annotated[str, StringConstraints(pattern=r"^MW\d{1,2}$")]
    number: int
    service: Text
    text: Text
    who: Text
    target: Text | None
    status: Text | None
    update: Text | None


class Baseline(Record):
    """One survey figure for a cohesion indicator."""

    survey: Text
    date: Text
    setting: Text | None
    percent: float = Field(ge=0, le=100)


class Comparison(Record):
    """A national figure to compare an indicator with."""

    percent: float = Field(ge=0, le=100)
    note: Text


class Indicator(Record):
    """A national cohesion indicator (strategy 4.3) with the baselines the strategy reports."""

    id: Annotated[str, StringConstraints(pattern=r"^I\d{1,2}$")]
    text: Text
    baselines: list[Baseline]
    national_comparison: Comparison | None


class HateCrimeYear(Record):
    """Reported racist crimes in one year."""

    year: Text
    reported: int = Field(ge=0)


class HateCrime(Record):
    """The reported hate-crime table (strategy 1.5, Fig 2)."""

    title: Text
    source: Text
    note: Text
    years: list[HateCrimeYear]


class Strategy2011(Record):
    """The 2011-14 strategy page: how it is monitored and reviewed."""

    title: Text
    monitoring_and_evaluation: Text
    equality_impact_assessment: Text
    delivery: Text
    monitoring_and_review: Text


class Outcome2011(Record):
    """One of the six 2011-14 outcomes and what it will look like."""

    id: Annotated[str, StringConstraints(pattern=r"^2011-\d$")]
    number: int
    text: Text
    looks_like: list[Text]


# --- the equality criteria ------------------------------------------------------------------------


class Characteristic(Record):
    """An equality criterion a plan is screened against."""

    id: Slug
    name: Text
    kind: Literal["protected", "welsh_language", "socio_economic"]
    description: Text
    source: Text
    aspects: list[Text]


class Community(Record):
    """A community the strategy names, and the characteristics it most often engages."""

    id: Slug
    name: Text
    description: Text
    characteristics: list[Slug]
    source: Text


class PsedAim(Record):
    """An aim of the public sector equality duty (Equality Act 2010, s.149(1))."""

    id: Slug
    name: Text
    text: Text
    source: Text


class RuleBaseInfo(Record):
    """What this rule base is and which version of it is in use."""

    name: Text
    version: Text
    council: Text
    description: Text


# --- one schema per file --------------------------------------------------------------------------


class RuleBaseFile(Record):
    rule_base: RuleBaseInfo


class StrategyFile(Record):
    strategy: StrategyInfo
    vision: Vision
    principles: Principles
    objectives: list[Objective]
    cohesion_proofing: Text


class OutcomesFile(Record):
    outcomes: list[Outcome]


class ActionsFile(Record):
    actions: list[Action]


class MigrantWorkerFile(Record):
    plan: MigrantWorkerPlan
    tasks: list[MigrantWorkerTask]


class IndicatorsFile(Record):
    indicators: list[Indicator]
    hate_crime: HateCrime


class Strategy2011File(Record):
    strategy_2011: Strategy2011
    outcomes_2011: list[Outcome2011]


class CharacteristicsFile(Record):
    characteristics: list[Characteristic]


class CommunitiesFile(Record):
    communities: list[Community]


class PsedAimsFile(Record):
    psed_aims: list[PsedAim]


class ActionFit(Record):
    """How a mitigation may cite one action or task: the words that show it draws on it, and whom it is about.

    A mitigation that cites the action must use at least one of its `keywords` (so an action's own words
    fit the mitigation), and an action that `concerns` particular communities (asylum seekers, Gypsies and
    Travellers, migrant workers) is cited only where the finding affects one of them.
    """

    action: Annotated[str, StringConstraints(pattern=r"^(\d{1,2}\.\d{1,2}|MW\d{1,2})$")]
    keywords: list[Annotated[str, StringConstraints(strip_whitespace=True, to_lower=True, min_length=2)]] = Field(
        min_length=1
    )
    concerns: list[Slug] = []


class ActionFitFile(Record):
    action_fit: list[ActionFit]


RULE_FILES: dict[str, type[Record]] = {
    "rule_base.yaml": RuleBaseFile,
    "strategy/strategy.yaml": StrategyFile,
    "strategy/outcomes.yaml": OutcomesFile,
    "strategy/actions.yaml": ActionsFile,
    "strategy/migrant_worker_plan.yaml": MigrantWorkerFile,
    "strategy/indicators.yaml": IndicatorsFile,
    "strategy/strategy_2011.yaml": Strategy2011File,
    "strategy/action_fit.yaml": ActionFitFile,
    "equality/characteristics.yaml": CharacteristicsFile,
    "equality/communities.yaml": CommunitiesFile,
    "equality/psed_aims.yaml": PsedAimsFile,
    "questionnaire.yaml": QuestionnaireFile,
    "facts.yaml": FactsFile,
    "scoring.yaml": ScoringFile,
}
IMPACT_RULES_GLOB = "impacts/*.yaml"

# What an item in each YAML list is called in messages and in `rules show`.
KIND_OF_LIST = {
    "statements": "vision statement",
    "items": "principle",
    "objectives": "objective",
    "outcomes": "outcome",
    "actions": "action",
    "measures": "measure",
    "tasks": "Migrant Worker task",
    "indicators": "indicator",
    "outcomes_2011": "2011-14 outcome",
    "characteristics": "characteristic",
    "communities": "community",
    "psed_aims": "PSED aim",
    "questions": "question",
    "rules": "rule",
    "facts": "fact",
    "options": "option",
    "sections": "section",
}
# Lists whose ids name things across the rule base; options and sections are named only within their parent.
IDENTIFIED_LISTS = set(KIND_OF_LIST) - {"options", "sections"}

Item = (
    Statement
    | Objective
    | Outcome
    | Action
    | Measure
    | MigrantWorkerTask
    | Indicator
    | Outcome2011
    | Characteristic
    | Community
    | PsedAim
    | Question
    | ImpactRule
    | Fact
)


class KnowledgeBase(Record):
    """The whole rule base, validated and cross-checked."""

    root: Path
    version: str
    sha256: str
    name: str
    strategy: StrategyInfo
    vision: Vision
    principles: Principles
    objectives: list[Objective]
    cohesion_proofing: str
    outcomes: list[Outcome]
    actions: list[Action]
    migrant_worker_plan: MigrantWorkerPlan
    migrant_worker_tasks: list[MigrantWorkerTask]
    indicators: list[Indicator]
    hate_crime: HateCrime
    strategy_2011: Strategy2011
    outcomes_2011: list[Outcome2011]
    characteristics: list[Characteristic]
    communities: list[Community]
    psed_aims: list[PsedAim]
    questionnaire: Questionnaire
    facts: list[Fact]
    rules: list[ImpactRule]
    scoring: ScoringFile
    action_fit: list[ActionFit] = []

    @cached_property
    def fit_of(self) -> dict[str, ActionFit]:
        """How each action may be cited (keywords and the communities it is about), by action id."""
        return {fit.action: fit for fit in self.action_fit}

    @cached_property
    def items(self) -> dict[str, tuple[str, Item]]:
        """Every item with an id, by id: (kind, item). Ids are unique across the rule base."""
        found: dict[str, tuple[str, Item]] = {}
        for statement in self.vision.statements:
            found[statement.id] = ("vision statement", statement)
        for principle in self.principles.items:
            found[principle.id] = ("principle", principle)
        groups: list[tuple[str, list[Any]]] = [
            ("objective", self.objectives),
            ("outcome", self.outcomes),
            ("action", self.actions),
            ("measure", [measure for action in self.actions for measure in action.measures]),
            ("Migrant Worker task", self.migrant_worker_tasks),
            ("indicator", self.indicators),
            ("2011-14 outcome", self.outcomes_2011),
            ("characteristic", self.characteristics),
            ("community", self.communities),
            ("PSED aim", self.psed_aims),
            ("question", self.questionnaire.questions),
            ("rule", self.rules),
            ("fact", self.facts),
        ]
        for kind, members in groups:
            for member in members:
                found[member.id] = (kind, member)
        return found

    def find(self, item_id: str) -> tuple[str, Item] | None:
        """The item with this id, ignoring case (so `cc15` finds CC15), or None."""
        wanted = item_id.strip().casefold()
        for key, value in self.items.items():
            if key.casefold() == wanted:
                return value
        return None

    def outcome(self, outcome_id: str) -> Outcome:
        """The outcome with this id (which the loader has checked exists)."""
        return next(outcome for outcome in self.outcomes if outcome.id == outcome_id)

    def objective(self, objective_id: str) -> Objective:
        """The strategic objective with this id."""
        return next(objective for objective in self.objectives if objective.id == objective_id)

    def actions_of(self, outcome_id: str) -> list[Action]:
        """The actions listed under one outcome, in plan order."""
        return [action for action in self.actions if action.outcome == outcome_id]

    def action_of_measure(self, measure_id: str) -> Action:
        """The action a measure belongs to."""
        return next(a for a in self.actions if any(m.id == measure_id for m in a.measures))


# --- loading --------------------------------------------------------------------------------------


def rule_base_digest(rules_dir: Path) -> str:
    """A sha256 over every YAML file of the rule base (path and bytes), so a record can name it exactly."""
    digest = hashlib.sha256()
    for path in sorted(rules_dir.rglob("*.yaml")):
        digest.update(path.relative_to(rules_dir).as_posix().encode("utf-8") + b"\0")
        digest.update(path.read_bytes() + b"\0")
    return digest.hexdigest()


def load_knowledge(rules_dir: Path | str = DEFAULT_RULES_DIR, *, check_coverage: bool = True) -> KnowledgeBase:
    """Load and validate the rule base in `rules_dir`; raise RuleBaseError listing every fault.

    `check_coverage` also requires every characteristic and community to be reachable by a rule; a
    council drafting its rules can turn it off while the rules are incomplete.
    """
    root = Path(rules_dir)
    if not root.is_dir():
        raise RuleBaseError([Problem(root, 1, "the rule base folder does not exist")])
    problems: list[Problem] = []
    parsed: dict[str, Any] = {}
    located: dict[str, tuple[Path, Any]] = {}
    impact_files = sorted(path.relative_to(root).as_posix() for path in root.glob(IMPACT_RULES_GLOB))
    if not impact_files:
        problems.append(Problem(root / "impacts", 1, "there are no impact rule files (impacts/*.yaml)"))
    schemas: dict[str, type[Record]] = dict(RULE_FILES) | dict.fromkeys(impact_files, ImpactRulesFile)
    for relative, schema in schemas.items():
        path = root / relative
        try:
            data = load_located(path)
        except YamlFileError as error:
            problems.append(error.problem)
            continue
        located[relative] = (path, data)
        try:
            parsed[relative] = schema.model_validate(data)
        except ValidationError as error:
            problems.extend(_validation_problems(error, path, data, schema))
    if problems:
        raise RuleBaseError(problems)

    places = _index_places(located)
    problems.extend(_duplicate_ids(places))
    choices = {
        which: [Option(id=item.id, label=item.name) for item in getattr(parsed[f"equality/{which}.yaml"], which)]
        for which in ("communities", "characteristics")
    }
    kb = KnowledgeBase(
        root=root,
        version=parsed["rule_base.yaml"].rule_base.version,
        sha256=rule_base_digest(root),
        name=parsed["rule_base.yaml"].rule_base.name,
        strategy=parsed["strategy/strategy.yaml"].strategy,
        vision=parsed["strategy/strategy.yaml"].vision,
        principles=parsed["strategy/strategy.yaml"].principles,
        objectives=parsed["strategy/strategy.yaml"].objectives,
        cohesion_proofing=parsed["strategy/strategy.yaml"].cohesion_proofing,
        outcomes=parsed["strategy/outcomes.yaml"].outcomes,
        actions=parsed["strategy/actions.yaml"].actions,
        migrant_worker_plan=parsed["strategy/migrant_worker_plan.yaml"].plan,
        migrant_worker_tasks=parsed["strategy/migrant_worker_plan.yaml"].tasks,
        indicators=parsed["strategy/indicators.yaml"].indicators,
        hate_crime=parsed["strategy/indicators.yaml"].hate_crime,
        strategy_2011=parsed["strategy/strategy_2011.yaml"].strategy_2011,
        outcomes_2011=parsed["strategy/strategy_2011.yaml"].outcomes_2011,
        characteristics=parsed["equality/characteristics.yaml"].characteristics,
        communities=parsed["equality/communities.yaml"].communities,
        psed_aims=parsed["equality/psed_aims.yaml"].psed_aims,
        questionnaire=resolve_options(parsed["questionnaire.yaml"], choices),
        facts=parsed["facts.yaml"].facts,
        rules=[rule for relative in impact_files for rule in parsed[relative].rules],
        scoring=parsed["scoring.yaml"],
        action_fit=parsed["strategy/action_fit.yaml"].action_fit,
    )
    problems.extend(_reference_problems(kb, places))
    problems.extend(_questionnaire_problems(kb, places))
    problems.extend(_impact_rule_problems(kb, places))
    problems.extend(_judgement_problems(kb, places))
    if check_coverage:
        problems.extend(_coverage_problems(kb, places))
    if problems:
        raise RuleBaseError(problems)
    return kb


# A place in the rule base: the file, and the YAML mapping of the item (which knows its lines).
Place = tuple[Path, LocatedDict, str]


def _index_places(located: dict[str, tuple[Path, Any]]) -> list[tuple[str, Place]]:
    """Every item with an id in every file, with where it is, in file order."""
    found: list[tuple[str, Place]] = []

    def walk(node: Any, path: Path, list_key: str | None) -> None:
        if isinstance(node, LocatedDict):
            if list_key in IDENTIFIED_LISTS and "id" in node:
                found.append((str(node["id"]), (path, node, KIND_OF_LIST.get(list_key, list_key))))
            for key, value in node.items():
                walk(value, path, key if isinstance(value, LocatedList) else None)
        elif isinstance(node, LocatedList):
            for child in node:
                walk(child, path, list_key)

    for path, data in located.values():
        walk(data, path, None)
    return found


def _duplicate_ids(places: list[tuple[str, Place]]) -> list[Problem]:
    seen: dict[str, Place] = {}
    problems = []
    for item_id, place in places:
        if item_id in seen:
            first_path, first, first_kind = seen[item_id]
            path, node, kind = place
            problems.append(
                Problem(
                    path,
                    node.key_lines["id"],
                    f"duplicate id {item_id}: the {kind} {item_id} here repeats the {first_kind} at "
                    f"{display_path(first_path)}:{first.key_lines['id']}",
                )
            )
        else:
            seen[item_id] = place
    return problems


def _reporter(places: list[tuple[str, Place]], problems: list[Problem]) -> Callable[[str, str, str], None]:
    """A function that reports a fault of an item at the line of one of its fields (or of the item)."""
    where = {item_id: place for item_id, place in reversed(places)}

    def report(item_id: str, field: str, message: str) -> None:
        path, node, _kind = where[item_id]
        problems.append(Problem(path, node.key_lines.get(field, node.line), message))

    return report


def _reference_problems(kb: KnowledgeBase, places: list[tuple[str, Place]]) -> list[Problem]:
    """Every reference between items must resolve, and numbers must agree with ids."""
    problems: list[Problem] = []
    report = _reporter(places, problems)

    outcome_ids = {outcome.id for outcome in kb.outcomes}
    objective_ids = {objective.id for objective in kb.objectives}
    characteristic_ids = {characteristic.id for characteristic in kb.characteristics}
    for outcome in kb.outcomes:
        if outcome.id != f"CC{outcome.number}":
            report(outcome.id, "number", f"outcome {outcome.id} has number {outcome.number}")
        if outcome.objective not in objective_ids:
            report(outcome.id, "objective", f"outcome {outcome.id} cites unknown objective {outcome.objective}")
    for action in kb.actions:
        if action.outcome not in outcome_ids:
            report(action.id, "outcome", f"action {action.id} cites unknown outcome {action.outcome}")
        elif action.id.split(".")[0] != action.outcome.removeprefix("CC"):
            report(
                action.id,
                "outcome",
                f"action {action.id} is numbered under another outcome than {action.outcome}",
            )
        for measure in action.measures:
            if measure.id.rsplit(".", 1)[0] != action.id:
                report(measure.id, "id", f"measure {measure.id} is listed under action {action.id}")
    for task in kb.migrant_worker_tasks:
        if task.id != f"MW{task.number}":
            report(task.id, "number", f"Migrant Worker task {task.id} has number {task.number}")
    for outcome_2011 in kb.outcomes_2011:
        if outcome_2011.id != f"2011-{outcome_2011.number}":
            report(
                outcome_2011.id,
                "number",
                f"2011-14 outcome {outcome_2011.id} has number {outcome_2011.number}",
            )
    for community in kb.communities:
        for characteristic in community.characteristics:
            if characteristic not in characteristic_ids:
                report(
                    community.id,
                    "characteristics",
                    f"community {community.id} cites unknown characteristic {characteristic}",
                )
    return problems


def _validation_problems(error: ValidationError, path: Path, data: Any, schema: type[Record]) -> list[Problem]:
    """Turn pydantic's errors into FILE:LINE messages that name the item and the field."""
    problems = []
    for detail in error.errors():
        location = detail["loc"]
        list_key, item = enclosing_item(data, location)
        subject = f"{KIND_OF_LIST.get(list_key or '', list_key)} {item['id']}: " if item else ""
        field = next((str(step) for step in reversed(location) if isinstance(step, str)), "")
        kind = detail["type"]
        if kind == "missing":
            message = f"{subject}missing required field '{field}'"
        elif kind == "extra_forbidden":
            allowed = ", ".join(_fields_at(schema, location[:-1]))
            message = f"{subject}unexpected field '{field}'; allowed fields are {allowed}"
        else:
            shown = repr(detail["input"])
            shown = shown if len(shown) <= 60 else shown[:57] + "..."
            text = detail["msg"][0].lower() + detail["msg"][1:]
            message = f"{subject}field '{field}': {text}, got {shown}"
        problems.append(Problem(path, line_of(data, location), message))
    return problems


def _fields_at(schema: type[BaseModel], location: tuple[int | str, ...]) -> list[str]:
    """The field names the schema allows at a location, to tell the user what they may write."""
    model: Any = schema
    for step in location:
        if isinstance(step, str) and isinstance(model, type) and issubclass(model, BaseModel):
            model = _unwrap(model.model_fields[step].annotation)
    if isinstance(model, type) and issubclass(model, BaseModel):
        return list(model.model_fields)
    return []


def _unwrap(annotation: Any) -> Any:
    """The model inside list[X], X | None and Annotated[X, ...]."""
    origin = typing.get_origin(annotation)
    if origin is Annotated:
        return _unwrap(typing.get_args(annotation)[0])
    if origin in (list, typing.Union, types.UnionType):
        models = [arg for arg in typing.get_args(annotation) if arg is not type(None)]
        return _unwrap(models[0]) if models else annotation
    return annotation


# --- reading out ----------------------------------------------------------------------------------


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
        "migrant_worker_plan": kb.migrant_worker_plan.model_dump(mode="json"),
        "migrant_worker_tasks": plain(kb.migrant_worker_tasks),
        "strategy_2011": kb.strategy_2011.model_dump(mode="json"),
        "outcomes_2011": plain(kb.outcomes_2011),
        "indicators": plain(kb.indicators),
        "hate_crime": kb.hate_crime.model_dump(mode="json"),
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


# --- the questionnaire and the impact rules -------------------------------------------------------


def _test_problem(test: AnswerTest, question: Question | None) -> str | None:
    """What is wrong with a test on an answer, given the question it reads (None when it fits)."""
    if question is None:
        return f"reads unknown question {test.question}"
    options = {option.id for option in question.options}
    kind, operand = test.test, test.operand
    allowed = {
        "yes_no": {"equals", "answered"},
        "one_of": {"equals", "in", "answered"},
        "many_of": {"contains", "contains_any", "contains_all", "answered"},
        "number": {"equals", "in", "at_least", "at_most", "answered"},
        "text": {"equals", "answered"},
    }[question.type]
    if kind not in allowed:
        return f"tests question {question.id} with '{kind}', which does not fit a {question.type} question"
    if question.type == "yes_no" and kind == "equals" and not isinstance(operand, bool):
        return f"tests yes/no question {question.id} against {operand!r}; use true or false"
    values = operand if isinstance(operand, list) else [operand]
    if question.type in ("one_of", "many_of") and kind != "answered":
        unknown = [value for value in values if value not in options]
        if unknown:
            return f"tests question {question.id} against {', '.join(map(str, unknown))}, not among its options"
    if question.type == "number" and kind != "answered":
        if any(isinstance(value, bool) or not isinstance(value, int | float) for value in values):
            return f"tests number question {question.id} against something that is not a number"
    return None


def _condition_problems(condition: Condition, asked: dict[str, Question]) -> list[str]:
    return [problem for test in answer_tests(condition) if (problem := _test_problem(test, asked.get(test.question)))]


def _questionnaire_problems(kb: KnowledgeBase, places: list[tuple[str, Place]]) -> list[Problem]:
    """show_if conditions read only earlier questions, with tests that fit them, and never facts."""
    where = {item_id: place for item_id, place in reversed(places)}
    problems: list[Problem] = []
    earlier: dict[str, Question] = {}
    groups = {c.id for c in kb.characteristics} | {c.id for c in kb.communities}
    section_starts = {section.questions[0].id: section for section in kb.questionnaire.sections}
    for question in kb.questionnaire.questions:
        section = section_starts.get(question.id)
        if section is not None and section.show_if is not None:
            path, node, _kind = where[question.id]  # sections are not indexed; the first question marks the place
            line = node.line
            for problem in _condition_problems(section.show_if, earlier):
                later = "" if "unknown question" not in problem else " (a section may only depend on earlier ones)"
                problems.append(Problem(path, line, f"section {section.id}: show_if {problem}{later}"))
        path, node, _kind = where[question.id]
        implied = [question.implies] + [option.implies for option in question.options]
        for implies in implied:
            for group in (implies.characteristics + implies.communities) if implies else []:
                if group not in groups:
                    message = f"question {question.id} implies unknown group {group}"
                    problems.append(Problem(path, node.key_lines.get("implies", node.line), message))
        if question.show_if is not None:
            path, node, _kind = where[question.id]
            line = node.key_lines.get("show_if", node.line)
            for problem in _condition_problems(question.show_if, earlier):
                later = "" if "unknown question" not in problem else " (a question may only depend on earlier ones)"
                problems.append(Problem(path, line, f"question {question.id}: show_if {problem}{later}"))
            if any(True for _ in facts_read(question.show_if)):
                problems.append(Problem(path, line, f"question {question.id}: show_if may read answers, not facts"))
        earlier[question.id] = question
    return problems


def _impact_rule_problems(kb: KnowledgeBase, places: list[tuple[str, Place]]) -> list[Problem]:
    """Every rule reads real questions and facts, cites real items, and has cases showing it fire and not."""
    problems: list[Problem] = []
    report = _reporter(places, problems)

    asked = {question.id: question for question in kb.questionnaire.questions}
    fact_ids = {fact.id for fact in kb.facts}
    derived = {rule.derives for rule in kb.rules if rule.derives}
    known = {
        "characteristics": {c.id for c in kb.characteristics},
        "communities": {c.id for c in kb.communities},
        "psed_aims": {a.id for a in kb.psed_aims},
        "indicators": {i.id for i in kb.indicators},
        "principles": {p.id for p in kb.principles.items},
        "vision": {v.id for v in kb.vision.statements},
        "outcomes": {o.id for o in kb.outcomes},
    }
    action_ids = {a.id for a in kb.actions} | {t.id for t in kb.migrant_worker_tasks}
    for fact in kb.facts:
        if fact.id not in derived:
            report(fact.id, "id", f"fact {fact.id} is derived by no rule, so rules that read it can never fire")
    for rule in kb.rules:
        for problem in _condition_problems(rule.when, asked):
            report(rule.id, "when", f"rule {rule.id} {problem}")
        for fact, required in facts_read(rule.when):
            if fact not in fact_ids:
                report(rule.id, "when", f"rule {rule.id} reads unknown fact {fact}")
            elif not required:
                message = f"rule {rule.id} reads fact {fact} under 'any' or 'not'; a fact may only be required"
                report(rule.id, "when", message)
        if rule.derives and rule.derives not in fact_ids:
            message = f"rule {rule.id} derives undeclared fact {rule.derives} (declare it in facts.yaml)"
            report(rule.id, "derives", message)
        if rule.derives and any(fact == rule.derives for fact, _required in facts_read(rule.when)):
            report(rule.id, "when", f"rule {rule.id} needs the fact {rule.derives} it derives, so it can never fire")
        if rule.finding:
            for field, ids in known.items():
                for cited in getattr(rule.finding, field):
                    if cited not in ids:
                        report(rule.id, "finding", f"rule {rule.id} cites unknown {field.rstrip('s')} {cited}")
        for mitigation in _mitigations_of(rule):
            field = "finding" if rule.finding else "gap"
            for action in mitigation.actions:
                if action not in action_ids:
                    report(rule.id, field, f"rule {rule.id}: a mitigation cites unknown action {action}")
            if mitigation.when is not None:
                for problem in _condition_problems(mitigation.when, asked):
                    report(rule.id, field, f"rule {rule.id}: a mitigation's 'when' {problem}")
                if any(True for _ in facts_read(mitigation.when)):
                    report(rule.id, field, f"rule {rule.id}: a mitigation's 'when' may read answers, not facts")
        problems.extend(_covers_problems(kb, rule, report))
        if not rule.cases:
            report(rule.id, "id", f"rule {rule.id} has no test cases")
        elif not any(case.fires for case in rule.cases):
            report(rule.id, "cases", f"rule {rule.id} has no case in which it fires")
        elif all(case.fires for case in rule.cases):
            report(rule.id, "cases", f"rule {rule.id} has no case in which it does not fire")
        for case in rule.cases:
            for problem in check_answers(kb.questionnaire, case.answers, complete=False).problems:
                report(rule.id, "cases", f"rule {rule.id}, case '{case.name}': {problem}")
    return problems


def _mitigations_of(rule: ImpactRule) -> list[Mitigation]:
    """A finding's mitigations, or a gap's remedies."""
    if rule.finding:
        return list(rule.finding.mitigations)
    return list(rule.gap.remedies) if rule.gap else []


def _covers_problems(kb: KnowledgeBase, rule: ImpactRule, report: Callable[[str, str, str], None]) -> list[Problem]:
    """A rule covers only other finding rules of its own direction, and covering never goes round in a circle."""
    by_id = {other.id: other for other in kb.rules}
    for covered in rule.covers:
        other = by_id.get(covered)
        if other is None or other.finding is None:
            report(rule.id, "covers", f"rule {rule.id} covers {covered}, which is not a finding rule")
        elif covered == rule.id:
            report(rule.id, "covers", f"rule {rule.id} covers itself")
        elif rule.finding and other.finding.direction != rule.finding.direction:
            report(rule.id, "covers", f"rule {rule.id} covers {covered}, a finding of the other direction")
        elif rule.id in _covered_by(kb, covered):
            report(rule.id, "covers", f"rule {rule.id} covers {covered}, which covers it in turn")
    return []


def _covered_by(kb: KnowledgeBase, rule_id: str) -> set[str]:
    """Every rule that `rule_id` covers, directly or through rules it covers."""
    by_id = {rule.id: rule for rule in kb.rules}
    found: set[str] = set()
    pending = [rule_id]
    while pending:
        current = by_id.get(pending.pop())
        for covered in current.covers if current else []:
            if covered not in found:
                found.add(covered)
                pending.append(covered)
    return found


def questions_read_by_findings(kb: KnowledgeBase) -> set[str]:
    """The questions a finding rule reads, directly or through the facts it needs: those whose answers set impacts."""
    derivers: dict[str, list[ImpactRule]] = {}
    for rule in kb.rules:
        if rule.derives:
            derivers.setdefault(rule.derives, []).append(rule)
    read: set[str] = set()
    seen: set[str] = set()
    pending = [rule for rule in kb.rules if rule.finding]
    while pending:
        rule = pending.pop()
        if rule.id in seen:
            continue
        seen.add(rule.id)
        read.update(test.question for test in answer_tests(rule.when) if test.test != "answered")
        for fact, _required in facts_read(rule.when):
            pending.extend(derivers.get(fact, []))
    return read


def _judgement_problems(kb: KnowledgeBase, places: list[tuple[str, Place]]) -> list[Problem]:
    """What an equality officer would refuse: impacts read from process answers, an unanswered question read as
    the reassuring answer, and strategy actions cited where their words or their group do not fit."""
    problems: list[Problem] = []
    report = _reporter(places, problems)
    read = questions_read_by_findings(kb)
    for question in kb.questionnaire.questions:
        if question.id not in read:
            continue
        if question.process:
            message = (
                f"question {question.id} is about how the plan was prepared (process), yet a finding reads it; "
                "process weaknesses are quality gaps (a rule with 'gap:'), never impacts"
            )
            report(question.id, "process", message)
        elif not question.required and question.unanswered is None:
            message = (
                f"question {question.id} is read by a finding, so leaving it unanswered must not count as the "
                "reassuring answer: make it 'required: true', or give 'unanswered: gap' and 'unanswered_gap'"
            )
            report(question.id, "id", message)
    fit = kb.fit_of
    for action in [a.id for a in kb.actions] + [t.id for t in kb.migrant_worker_tasks]:
        if action not in fit:
            report(action, "id", f"action {action} has no entry in strategy/action_fit.yaml (its keywords)")
    known_actions = {a.id for a in kb.actions} | {t.id for t in kb.migrant_worker_tasks}
    communities = {c.id for c in kb.communities}
    for entry in kb.action_fit:
        if entry.action not in known_actions:
            message = f"action_fit names unknown action {entry.action}"
            problems.append(Problem(kb.root / "strategy/action_fit.yaml", 1, message))
        for group in entry.concerns:
            if group not in communities:
                message = f"action_fit for {entry.action} concerns unknown community {group}"
                problems.append(Problem(kb.root / "strategy/action_fit.yaml", 1, message))
    for rule in kb.rules:
        template = rule.finding
        rule_groups = set(template.communities) if template else set()
        field = "finding" if rule.finding else "gap"
        for mitigation in _mitigations_of(rule):
            words = " ".join(mitigation.text.split()).lower()
            for action in mitigation.actions:
                entry = fit.get(action)
                if entry is None:
                    continue
                if not any(keyword in words for keyword in entry.keywords):
                    message = (
                        f"rule {rule.id}: a mitigation cites action {action}, but its words share none of the "
                        f"action's ({', '.join(entry.keywords)}): cite an action that fits, or reword it"
                    )
                    report(rule.id, field, message)
                if template and entry.concerns and not rule_groups & set(entry.concerns):
                    message = (
                        f"rule {rule.id}: a mitigation cites action {action}, which is about "
                        f"{', '.join(entry.concerns)}, but the rule names none of them"
                    )
                    report(rule.id, field, message)
    return problems


def _coverage_problems(kb: KnowledgeBase, places: list[tuple[str, Place]]) -> list[Problem]:
    """Every characteristic is named by a negative finding, and every community by some finding."""
    problems: list[Problem] = []
    report = _reporter(places, problems)

    negatives = [rule.finding for rule in kb.rules if rule.finding and rule.finding.direction == "negative"]
    findings = [rule.finding for rule in kb.rules if rule.finding]
    for characteristic in kb.characteristics:
        if not any(characteristic.id in finding.characteristics for finding in negatives):
            report(characteristic.id, "id", f"no negative finding names characteristic {characteristic.id}")
    for community in kb.communities:
        if not any(community.id in finding.communities for finding in findings):
            report(community.id, "id", f"no finding names community {community.id}")
    return problems
