"""The knowledge base: a council's cohesion strategy and the equality duties, loaded from rules/.

Everything proofing says cites this: the strategy (its schemas are in ``proofing.strategy``), the
questionnaire and impact rules (``proofing.questionnaire``), and the scoring. The checks beyond the
schemas are ``proofing.checks``; reading the rule base out is ``proofing.readout``.

The rule base is data a policy officer edits. ``load_knowledge`` validates every file against its
schema, checks that every id is unique and every reference resolves, and reports each fault as
``FILE:LINE: message`` (a ``RuleBaseError``), so another council can point it at its own strategy.
"""

from __future__ import annotations

import hashlib
import os
import threading
import types
import typing
from collections import OrderedDict
from functools import cached_property
from pathlib import Path
from typing import Annotated, Any

from pydantic import BaseModel, Field, PrivateAttr, ValidationError

from proofing.base import Strict
from proofing.cards import TrainingCase, TrainingFile
from proofing.checks import Place, RuleLines, _coverage_problems, rule_base_problems, rule_lines
from proofing.duties import DUTIES_FILE, DutiesFile, Duty, NationInfo, duty_problems, narrow
from proofing.errors import Problem, RuleBaseError, display_path
from proofing.places import NamedPlace, PlacesFile
from proofing.questionnaire import (
    Fact,
    FactsFile,
    ImpactRule,
    ImpactRulesFile,
    Option,
    Question,
    Questionnaire,
    QuestionnaireFile,
    ScoringFile,
    resolve_options,
)
from proofing.strategy import (
    Action,
    ActionFit,
    ActionFitFile,
    ActionsFile,
    Characteristic,
    CharacteristicsFile,
    CommunitiesFile,
    Community,
    HateCrime,
    Indicator,
    IndicatorsFile,
    Measure,
    MigrantWorkerFile,
    MigrantWorkerPlan,
    MigrantWorkerTask,
    Objective,
    Outcome,
    Outcome2011,
    OutcomesFile,
    Principles,
    PsedAim,
    PsedAimsFile,
    RuleBaseFile,
    Statement,
    Strategy2011,
    Strategy2011File,
    StrategyFile,
    StrategyInfo,
    Vision,
)
from proofing.yamlsource import LocatedDict, LocatedList, YamlFileError, enclosing_item, line_of, load_located

DEFAULT_RULES_DIR = Path(__file__).resolve().parent.parent / "rules"

RULE_FILES: dict[str, type[Strict]] = {
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
    DUTIES_FILE: DutiesFile,
    "questionnaire.yaml": QuestionnaireFile,
    "facts.yaml": FactsFile,
    "scoring.yaml": ScoringFile,
    "places.yaml": PlacesFile,
}
# Files a council may leave out: its strategy may have no migrant worker plan, no later update, or no
# action-fit index yet (rules check then asks for one).
# A council with no list of places keeps the wards question as text (places.yaml: its wards and named areas).
# A council with no duties file works under the project's duties (rules/equality/duties.yaml), with nothing of its own
# rule base belonging to any one duty.
OPTIONAL_FILES = {"strategy/migrant_worker_plan.yaml", "strategy/strategy_2011.yaml", "places.yaml", DUTIES_FILE}
IMPACT_RULES_GLOB = "impacts/*.yaml"
TRAINING_GLOB = "training/*.yaml"  # worked training cases; a rule base may have none

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
    "cases": "training case",
    "places": "place",
    "duties": "duty",
    "nations": "nation",
    "aims": "aim",
}
# Lists whose ids name things across the rule base; options and sections are named only within their parent, and
# duties, nations and their aims only within the duties file.
IDENTIFIED_LISTS = set(KIND_OF_LIST) - {"options", "sections", "duties", "nations", "aims"}

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


class KnowledgeBase(Strict):
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
    council: str
    migrant_worker_plan: MigrantWorkerPlan | None = None
    migrant_worker_tasks: list[MigrantWorkerTask] = []
    indicators: list[Indicator]
    hate_crime: HateCrime | None = None
    strategy_2011: Strategy2011 | None = None
    outcomes_2011: list[Outcome2011] = []
    characteristics: list[Characteristic]
    communities: list[Community]
    psed_aims: list[PsedAim]
    questionnaire: Questionnaire
    facts: list[Fact]
    rules: list[ImpactRule]
    scoring: ScoringFile
    action_fit: list[ActionFit] = []
    training: list[TrainingCase] = []
    places: list[NamedPlace] = Field(default=[], description="the wards and the areas made of them (places.yaml)")
    language: str = Field(default="en", description="the language of its texts (proofing.language.localised)")
    nation: str = Field(default="wales", description="where the council is (rule_base.yaml); proofing.duties")
    nation_info: NationInfo | None = None
    duties: list[Duty] = Field(default=[], description="the equality duties in force, which narrowed this rule base")
    _whole: KnowledgeBase | None = PrivateAttr(default=None)
    _catalogue: DutiesFile | None = PrivateAttr(default=None)
    _rule_lines: dict[str, RuleLines] = PrivateAttr(default_factory=dict)

    def keep_whole(self, whole: KnowledgeBase, catalogue: DutiesFile) -> None:
        """Remember the rule base as written and its duties file, so ``proofing.duties.for_nation`` can narrow it
        again for another nation."""
        self._whole = whole
        self._catalogue = catalogue

    def keep_rule_lines(self, lines: dict[str, RuleLines]) -> None:
        """Remember where each impact rule and its mitigations are written (``proofing.checks.rule_lines``)."""
        self._rule_lines = lines

    @property
    def rule_lines(self) -> dict[str, RuleLines]:
        """Where each impact rule and its mitigations are written, as loaded (empty for a rule base built in
        memory), so ``proofing.checks.effect_faults`` names FILE:LINE without reading the files again."""
        return self._rule_lines or (self._whole._rule_lines if self._whole is not None else {})

    def whole_and_duties(self) -> tuple[KnowledgeBase, DutiesFile]:
        """The rule base as written, before its duties narrowed it, and the duties file (the project's if none)."""
        catalogue = self._catalogue or _project_duties()
        return (self._whole or self), catalogue

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
            (next((f"{d.name} aim" for d in self.duties if d.aims), "PSED aim"), self.psed_aims),  # Section 75's
            ("question", self.questionnaire.questions),
            ("rule", self.rules),
            ("fact", self.facts),
        ]
        for kind, members in groups:
            for member in members:
                found[member.id] = (kind, member)
        return found

    @cached_property
    def place_of(self) -> dict[str, NamedPlace]:
        """Each place (ward or area), by id."""
        return {place.id: place for place in self.places}

    def wards_of(self, place_ids: list[str]) -> list[str]:
        """The wards these places cover (an area as its wards, a ward as itself), in places.yaml order."""
        wanted = {ward for place_id in place_ids for ward in self._wards_in(place_id)}
        return [place.id for place in self.places if place.kind == "ward" and place.id in wanted]

    def _wards_in(self, place_id: str) -> list[str]:
        place = self.place_of.get(place_id)
        if place is None:
            return []
        return [place.id] if place.kind == "ward" else list(place.wards)

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

    def rules_citing(self, action_id: str) -> list[ImpactRule]:
        """The rules whose mitigations (or gap remedies) draw on this action, in rule-base order."""
        return [
            rule
            for rule in self.rules
            if any(
                action_id in mitigation.actions
                for mitigation in (rule.finding.mitigations if rule.finding else rule.gap.remedies if rule.gap else [])
            )
        ]

    def action_of_measure(self, measure_id: str) -> Action:
        """The action a measure belongs to."""
        return next(a for a in self.actions if any(m.id == measure_id for m in a.measures))


# --- loading --------------------------------------------------------------------------------------


def configured_rules_dir() -> Path:
    """The rule base the app serves: ``PROOFING_RULES_DIR`` when set (a council's own), else the project's."""
    configured = os.environ.get("PROOFING_RULES_DIR", "").strip()
    return Path(configured) if configured else DEFAULT_RULES_DIR


def rule_base_digest(rules_dir: Path) -> str:
    """A sha256 over every YAML file of the rule base (path and bytes), so a record can name it exactly."""
    digest = hashlib.sha256()
    for path in sorted(rules_dir.rglob("*.yaml")):
        digest.update(path.relative_to(rules_dir).as_posix().encode("utf-8") + b"\0")
        digest.update(path.read_bytes() + b"\0")
    return digest.hexdigest()


# The rule bases this process loaded, by folder and content: a rule base is read-only once loaded (the app shares one
# between every browser), so loading the same files again returns the same one.
_LOADED: OrderedDict[tuple[str, str, bool], KnowledgeBase] = OrderedDict()
_LOADED_KEPT = 8
_loaded_lock = threading.Lock()


def load_knowledge(rules_dir: Path | str = DEFAULT_RULES_DIR, *, check_coverage: bool = True) -> KnowledgeBase:
    """Load and validate the rule base in `rules_dir`; raise RuleBaseError listing every fault.

    `check_coverage` also requires every characteristic and community to be reachable by a rule; a
    council drafting its rules can turn it off while the rules are incomplete. Files whose bytes this process has
    loaded before give the rule base loaded then (every command run in one process, every test of a suite, reads
    the same files); any change to any file is read afresh.
    """
    root = Path(rules_dir)
    if not root.is_dir():
        raise RuleBaseError([Problem(root, 1, "the rule base folder does not exist")])
    key = (str(root), rule_base_digest(root), check_coverage)
    with _loaded_lock:
        if key in _LOADED:
            _LOADED.move_to_end(key)
            return _LOADED[key]
    kb = _load_knowledge(root, key[1], check_coverage)
    with _loaded_lock:
        _LOADED[key] = kb
        while len(_LOADED) > _LOADED_KEPT:
            _LOADED.popitem(last=False)
    return kb


# Each rule file this process read and validated cleanly, by schema and bytes: a copy of a rule base with one file
# changed (a council's draft, a check, a test) reads only that file again. Both halves are read-only: the located
# values are only looked up for lines, and the schema's models are frozen.
_READ: OrderedDict[tuple[str, str], tuple[Any, Strict]] = OrderedDict()
_READ_KEPT = 256


class _RuleFile:
    """One rule file's bytes as read once: what its values are remembered by, and the text they are read from."""

    def __init__(self, path: Path, schema: type[Strict]) -> None:
        try:
            raw = path.read_bytes()
        except OSError:
            raw = None  # load_located reads it again and says why it cannot
        self.key = (f"{schema.__module__}.{schema.__qualname__}", hashlib.sha256(raw).hexdigest()) if raw else None
        try:
            self.text = raw.decode("utf-8") if raw is not None else None
        except UnicodeDecodeError:
            self.text = None  # load_located says where

    def read_before(self) -> tuple[Any, Strict] | None:
        """The values and model this process read from the same bytes under the same schema, if it did."""
        with _loaded_lock:
            if self.key is None or self.key not in _READ:
                return None
            _READ.move_to_end(self.key)
            return _READ[self.key]

    def remember(self, data: Any, model: Strict) -> None:
        """Keep the values and model read from these bytes, for the next rule base that has the same file."""
        if self.key is None:
            return
        with _loaded_lock:
            _READ[self.key] = (data, model)
            while len(_READ) > _READ_KEPT:
                _READ.popitem(last=False)


def _load_knowledge(root: Path, sha256: str, check_coverage: bool) -> KnowledgeBase:
    """The rule base in `root` read, validated and checked (``load_knowledge`` without its memory)."""
    problems: list[Problem] = []
    parsed: dict[str, Any] = {}
    located: dict[str, tuple[Path, Any]] = {}
    impact_files = sorted(path.relative_to(root).as_posix() for path in root.glob(IMPACT_RULES_GLOB))
    if not impact_files:
        problems.append(Problem(root / "impacts", 1, "there are no impact rule files (impacts/*.yaml)"))
    training_files = sorted(path.relative_to(root).as_posix() for path in root.glob(TRAINING_GLOB))
    schemas: dict[str, type[Strict]] = (
        dict(RULE_FILES) | dict.fromkeys(impact_files, ImpactRulesFile) | dict.fromkeys(training_files, TrainingFile)
    )
    for relative, schema in schemas.items():
        path = root / relative
        if relative in OPTIONAL_FILES and not path.exists():
            continue
        rule_file = _RuleFile(path, schema)
        remembered = rule_file.read_before()
        if remembered is not None:
            located[relative], parsed[relative] = (path, remembered[0]), remembered[1]
            continue
        try:
            data = load_located(path, rule_file.text)
        except YamlFileError as error:
            problems.append(error.problem)
            continue
        located[relative] = (path, data)
        try:
            parsed[relative] = schema.model_validate(data)
        except ValidationError as error:
            problems.extend(_validation_problems(error, path, data, schema))
            continue
        rule_file.remember(data, parsed[relative])
    if problems:
        raise RuleBaseError(problems)

    places = _index_places(located)
    problems.extend(_duplicate_ids(places))
    choices = {
        which: [Option(id=item.id, label=item.name) for item in getattr(parsed[f"equality/{which}.yaml"], which)]
        for which in ("communities", "characteristics")
    }
    places_file = parsed.get("places.yaml")
    problems.extend(_place_problems(places_file, located.get("places.yaml")))
    choices["places"] = [_place_option(place) for place in places_file.places] if places_file else []
    problems.extend(_places_wanted(parsed["questionnaire.yaml"], located["questionnaire.yaml"], places_file))
    if problems:
        raise RuleBaseError(problems)
    migrant = parsed.get("strategy/migrant_worker_plan.yaml")
    update = parsed.get("strategy/strategy_2011.yaml")
    kb = KnowledgeBase(
        root=root,
        version=parsed["rule_base.yaml"].rule_base.version,
        sha256=sha256,
        name=parsed["rule_base.yaml"].rule_base.name,
        strategy=parsed["strategy/strategy.yaml"].strategy,
        vision=parsed["strategy/strategy.yaml"].vision,
        principles=parsed["strategy/strategy.yaml"].principles,
        objectives=parsed["strategy/strategy.yaml"].objectives,
        cohesion_proofing=parsed["strategy/strategy.yaml"].cohesion_proofing,
        outcomes=parsed["strategy/outcomes.yaml"].outcomes,
        actions=parsed["strategy/actions.yaml"].actions,
        council=parsed["rule_base.yaml"].rule_base.council,
        nation=parsed["rule_base.yaml"].rule_base.nation,
        migrant_worker_plan=migrant.plan if migrant else None,
        migrant_worker_tasks=migrant.tasks if migrant else [],
        indicators=parsed["strategy/indicators.yaml"].indicators,
        hate_crime=parsed["strategy/indicators.yaml"].hate_crime,
        strategy_2011=update.strategy_2011 if update else None,
        outcomes_2011=update.outcomes_2011 if update else [],
        characteristics=parsed["equality/characteristics.yaml"].characteristics,
        communities=parsed["equality/communities.yaml"].communities,
        psed_aims=parsed["equality/psed_aims.yaml"].psed_aims,
        questionnaire=resolve_options(parsed["questionnaire.yaml"], choices),
        facts=parsed["facts.yaml"].facts,
        rules=[rule for relative in impact_files for rule in parsed[relative].rules],
        scoring=parsed["scoring.yaml"],
        action_fit=parsed["strategy/action_fit.yaml"].action_fit,
        training=[case for relative in training_files for case in parsed[relative].cases],
        places=places_file.places if places_file else [],
    )
    kb.keep_rule_lines(rule_lines(places))
    problems.extend(rule_base_problems(kb, places, check_coverage=False))
    catalogue, duties_at = _duties_of(parsed, located)
    problems.extend(duty_problems(kb, catalogue, duties_at, located["rule_base.yaml"]))
    if problems:
        raise RuleBaseError(problems)
    info = parsed["rule_base.yaml"].rule_base
    narrowed = narrow(kb, catalogue, info.nation, info.duties, as_written=True)
    if check_coverage:  # what is asked must be reachable: checked on the rule base in force
        problems.extend(_coverage_problems(narrowed, places))
    if problems:
        raise RuleBaseError(problems)
    narrowed.keep_whole(kb, catalogue)
    return narrowed


def _project_duties() -> DutiesFile:
    """The project's duties file: the duties of a council whose rule base has none of its own."""
    return DutiesFile.model_validate(load_located(DEFAULT_RULES_DIR / DUTIES_FILE))


def _duties_of(
    parsed: dict[str, Any], located: dict[str, tuple[Path, Any]]
) -> tuple[DutiesFile, tuple[Path, Any] | None]:
    """The council's duties file and where it is, or the project's duties without members (nothing of this rule
    base belongs to one duty) when the council has none."""
    if DUTIES_FILE in parsed:
        return parsed[DUTIES_FILE], located[DUTIES_FILE]
    project = _project_duties()
    plain = [duty.model_copy(update={"members": type(duty.members)()}) for duty in project.duties]
    return project.model_copy(update={"duties": plain}), None


def _place_option(place: NamedPlace) -> Option:
    """A place as an option of a question: its name, its Welsh name to match old text, an area's wards included."""
    return Option(id=place.id, label=place.name, other_names=place.names[1:], includes=place.wards)


def _place_problems(file: PlacesFile | None, where: tuple[Path, Any] | None) -> list[Problem]:
    """Every area's wards must be wards of the list: a ward id that is not, or is an area, is a FILE:LINE fault."""
    if file is None or where is None:
        return []
    path, data = where
    kinds = {place.id: place.kind for place in file.places}
    problems = []
    for p, place in enumerate(file.places):
        for w, ward in enumerate(place.wards):
            if kinds.get(ward) == "ward":
                continue
            why = f"{ward} is an area, not a ward" if ward in kinds else f"there is no ward {ward} in the list"
            problems.append(
                Problem(
                    path,
                    line_of(data, ("places", p, "wards", w)),
                    f"place {place.id}: its wards name {ward}, but {why}",
                )
            )
    return problems


def _places_wanted(file: QuestionnaireFile, where: tuple[Path, Any], places: PlacesFile | None) -> list[Problem]:
    """A question that takes its options from places needs a places.yaml to take them from."""
    if places is not None:
        return []
    path, data = where
    return [
        Problem(
            path,
            line_of(data, ("sections", s, "questions", q, "options_from")),
            f"question {question.id}: its options come from places, but the rule base has no places.yaml",
        )
        for s, section in enumerate(file.sections)
        for q, question in enumerate(section.questions)
        if question.options_from == "places"
    ]


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


def _validation_problems(error: ValidationError, path: Path, data: Any, schema: type[Strict]) -> list[Problem]:
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
