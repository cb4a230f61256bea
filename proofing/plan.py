"""A plan: what a service manager says about it, and the checking of its answers.

A plan file is YAML with `title`, `service`, `owner`, `description` and `answers` (question id to
value). Answers are checked against the questionnaire before anything is scored: unknown questions,
wrong types, options that do not exist and missing required answers are refused with a message in
words; an answer to a question its conditions hide is set aside with a warning and never scored.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Annotated, Any

import yaml
from pydantic import BaseModel, ConfigDict, StringConstraints, ValidationError

from proofing.conditions import AnswerValue, holds
from proofing.errors import ProofingError
from proofing.questionnaire import Question, Questionnaire

MAX_PLAN_BYTES = 2_000_000
MAX_TEXT_ANSWER = 100_000

Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=500)]


class PlanError(ProofingError):
    """A plan that cannot be assessed; lists every problem in words."""

    def __init__(self, source: str, problems: list[str]) -> None:
        self.source = source
        self.problems = problems
        super().__init__(f"{source}: " + "; ".join(problems) if len(problems) == 1 else self._listed())

    def _listed(self) -> str:
        return f"{self.source} cannot be assessed:\n" + "\n".join(f"  - {problem}" for problem in self.problems)


class Plan(BaseModel):
    """A plan as described by its owner."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    title: Text
    service: Text
    owner: Text
    description: Annotated[str, StringConstraints(strip_whitespace=True, max_length=MAX_TEXT_ANSWER)] = ""
    answers: dict[str, Any] = {}


@dataclass
class CheckedAnswers:
    """The answers that count (visible and valid), and what was set aside or is wrong."""

    answers: dict[str, AnswerValue] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)


def read_plan(path: Path) -> Plan:
    """Read a plan file, refusing anything that is not a plan with a message (PlanError), never a traceback."""
    name = str(path)
    try:
        size = path.stat().st_size
    except OSError as error:
        raise PlanError(name, [f"cannot be read ({error.strerror})"]) from None
    if size > MAX_PLAN_BYTES:
        raise PlanError(name, [f"is {size:,} bytes; a plan file is at most {MAX_PLAN_BYTES:,} bytes"])
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        raise PlanError(name, ["is not UTF-8 text"]) from None
    except OSError as error:
        raise PlanError(name, [f"cannot be read ({error.strerror})"]) from None
    return parse_plan(text, name)


def parse_plan(text: str, source: str = "the plan") -> Plan:
    """Parse a plan from YAML text (a plan file, or an upload)."""
    if not text.strip():
        raise PlanError(source, ["is empty; a plan needs a title, service, owner and answers"])
    try:
        data = yaml.safe_load(text)
    except yaml.MarkedYAMLError as error:
        line = error.problem_mark.line + 1 if error.problem_mark else 1
        raise PlanError(source, [f"is not valid YAML (line {line}: {error.problem})"]) from None
    except yaml.YAMLError as error:
        raise PlanError(source, [f"is not valid YAML ({error})"]) from None
    if not isinstance(data, dict):
        raise PlanError(source, ["is not a plan: expected title, service, owner, description and answers"])
    try:
        return Plan.model_validate(data)
    except ValidationError as error:
        problems = []
        for detail in error.errors():
            where = ".".join(str(step) for step in detail["loc"])
            if detail["type"] == "missing":
                problems.append(f"'{where}' is missing")
            elif detail["type"] == "extra_forbidden":
                problems.append(f"'{where}' is not part of a plan (allowed: {', '.join(Plan.model_fields)})")
            else:
                problems.append(f"'{where}': {detail['msg'][0].lower()}{detail['msg'][1:]}")
        raise PlanError(source, problems) from None


def check_answers(questionnaire: Questionnaire, answers: dict[str, Any], *, complete: bool = True) -> CheckedAnswers:
    """Which answers count: those to visible questions, of the right type. `complete` asks for required ones."""
    checked = CheckedAnswers()
    known = {question.id for question in questionnaire.questions}
    for question_id in answers:
        if question_id not in known:
            checked.problems.append(f"'{question_id}' is not a question of the questionnaire")
    for question, conditions in questionnaire.shown_conditions():
        visible = all(holds(condition, checked.answers) for condition in conditions)
        if question.id not in answers or answers[question.id] is None:
            if visible and question.required and complete:
                checked.problems.append(f"{_named(question)} needs an answer")
            continue
        if not visible:
            checked.warnings.append(
                f"The answer to {_named(question)} was not used: earlier answers make the question not apply."
            )
            continue
        value, problem = _typed(question, answers[question.id])
        if problem:
            checked.problems.append(f"{_named(question)}: {problem}")
        elif value is not None:
            checked.answers[question.id] = value
    return checked


def usable_answers(questionnaire: Questionnaire, plan: Plan, source: str = "the plan") -> CheckedAnswers:
    """The answers of a plan that will be scored; raises PlanError when any answer is wrong or missing."""
    checked = check_answers(questionnaire, plan.answers)
    if checked.problems:
        raise PlanError(source, checked.problems)
    return checked


def _named(question: Question) -> str:
    return f'"{question.text}" ({question.id})'


def _typed(question: Question, value: Any) -> tuple[AnswerValue | None, str | None]:
    """The answer in its canonical form, or what is wrong with it."""
    options = [option.id for option in question.options]
    match question.type:
        case "yes_no":
            if isinstance(value, bool):
                return value, None
            return None, f"answer yes or no (true or false), not {_shown(value)}"
        case "one_of":
            if isinstance(value, str) and value in options:
                return value, None
            return None, f"{_shown(value)} is not one of its options ({', '.join(options)})"
        case "many_of":
            chosen = value if isinstance(value, list) else [value]
            wrong = [item for item in chosen if not isinstance(item, str) or item not in options]
            if wrong:
                return None, f"{', '.join(_shown(item) for item in wrong)} not among its options ({', '.join(options)})"
            return [option for option in options if option in chosen], None
        case "number":
            if isinstance(value, bool) or not isinstance(value, int | float) or value != value:
                return None, f"answer with a number, not {_shown(value)}"
            if question.min is not None and value < question.min:
                return None, f"{value:g} is below the smallest allowed, {question.min:g}"
            if question.max is not None and value > question.max:
                return None, f"{value:g} is above the largest allowed, {question.max:g}"
            return value, None
        case "text":
            if not isinstance(value, str | int | float) or isinstance(value, bool):
                return None, f"answer with text, not {_shown(value)}"
            text = str(value).strip()
            if len(text) > MAX_TEXT_ANSWER:
                return None, f"the answer is {len(text):,} characters; at most {MAX_TEXT_ANSWER:,} are kept"
            return (text or None), None
    return None, f"unknown answer type {question.type}"


def _shown(value: Any) -> str:
    shown = repr(value)
    return shown if len(shown) <= 40 else shown[:37] + "..."


def visible_questions(questionnaire: Questionnaire, answers: dict[str, Any]) -> set[str]:
    """The questions to show, given the answers so far (a hidden question's answer never counts)."""
    counted = check_answers(questionnaire, answers, complete=False).answers
    return {
        question.id
        for question, conditions in questionnaire.shown_conditions()
        if all(holds(condition, counted) for condition in conditions)
    }


def progress(questionnaire: Questionnaire, answers: dict[str, Any]) -> tuple[int, int]:
    """How many of the visible questions are answered, out of how many: for a progress bar."""
    checked = check_answers(questionnaire, answers, complete=False)
    visible = visible_questions(questionnaire, answers)
    return len([q for q in visible if q in checked.answers]), len(visible)
