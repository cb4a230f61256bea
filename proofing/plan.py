"""A plan: what a service manager says about it, and the checking of its answers.

A plan file is YAML with `title`, `service`, `owner`, `description` and `answers` (question id to
value). Answers are checked against the questionnaire before anything is scored: unknown questions,
wrong types, options that do not exist and missing required answers are refused with a message in
words; an answer to a question its conditions hide is set aside with a warning and never scored.

A plan file is treated as hostile: it is read with the rule base's strict YAML reader (duplicate keys
refused) under limits on size, nesting and values (aliases counted as what they repeat), and the
``Plan`` model holds only plain data that JSON and Word can carry: no infinity or not-a-number, no
lone surrogates, no dates, sets or binary. Every refusal is a PlanError in words, in bounded time.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, StringConstraints, ValidationError, model_validator

from proofing.answer_types import MAX_NUMBER as MAX_NUMBER  # where callers have read it
from proofing.answer_types import MAX_TEXT_ANSWER, answer_type, parse_answer
from proofing.answer_types import shown as _shown
from proofing.conditions import AnswerValue, holds
from proofing.errors import N_, ProofingError
from proofing.questionnaire import Question, Questionnaire
from proofing.yamlsource import YamlLimitError, YamlLimits, YamlTextError, load_plain

MAX_PLAN_BYTES = 2_000_000
# A plan nests four deep (plan, answers, a list, an option); it holds a few hundred values.
PLAN_YAML_LIMITS = YamlLimits(max_depth=10, max_values=10_000)
MAX_ANSWER_DEPTH = 8  # below `answers`, for plans that do not come from a file (the app, a record)
MAX_PROBLEMS_SHOWN = 20

Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=500)]


class PlanError(ProofingError):
    """A plan that cannot be assessed; lists every problem in words."""

    def __init__(self, source: str, problems: list[str] | None = None, /, code: str = "", **values: Any) -> None:
        self.source = source
        if code:  # one problem as a code and values, "{source}: ...", for a face to word (issue 25)
            super().__init__(code, source=source, **values)
            self.problems = [str(self).removeprefix(f"{source}: ")]
            return
        self.problems = problems or []
        super().__init__(f"{source}: " + "; ".join(self.problems) if len(self.problems) == 1 else self._listed())

    def _listed(self) -> str:
        shown = self.problems[:MAX_PROBLEMS_SHOWN]
        more = len(self.problems) - len(shown)
        lines = [f"  - {problem}" for problem in shown] + ([f"  - and {more:,} more problems"] if more > 0 else [])
        return f"{self.source} cannot be assessed:\n" + "\n".join(lines)


class Plan(BaseModel):
    """A plan as described by its owner."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    title: Text
    service: Text
    owner: Text
    description: Annotated[str, StringConstraints(strip_whitespace=True, max_length=MAX_TEXT_ANSWER)] = ""
    answers: dict[str, Any] = {}

    @model_validator(mode="after")
    def _only_plain_data(self) -> Plan:
        """Refuse answers JSON and Word cannot carry, wherever the plan came from (a file, the app, a record).

        Lone surrogates are refused by the plan reader instead (``parse_plan``): the Word writer is
        shown to strip them from plans built in code, and pydantic refuses them in the text fields.
        """
        problem = _unusable([(f"answers.{key}", value) for key, value in self.answers.items()], text=False)
        if problem:
            raise ValueError(problem)
        return self


@dataclass
class CheckedAnswers:
    """The answers that count (visible and valid), and what was set aside or is wrong."""

    answers: dict[str, AnswerValue] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)
    problems: list[AnswerProblem] = field(default_factory=list)


def read_plan(path: Path) -> Plan:
    """Read a plan file, refusing anything that is not a plan with a message (PlanError), never a traceback.

    At most MAX_PLAN_BYTES are read, so a pipe or a device (``/dev/zero``) is refused like a big file.
    """
    name = str(path)
    try:
        if path.is_dir():
            raise PlanError(name, code=N_("{source}: is a folder, not a plan file"))
        with path.open("rb") as file:
            raw = file.read(MAX_PLAN_BYTES + 1)
    except OSError as error:
        raise PlanError(name, code=N_("{source}: cannot be read ({reason})"), reason=error.strerror or error) from None
    if len(raw) > MAX_PLAN_BYTES:
        raise PlanError(
            name,
            code=N_("{source}: is larger than a plan file can be (at most {limit} bytes)"),
            limit=f"{MAX_PLAN_BYTES:,}",
        )
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        raise PlanError(name, code=N_("{source}: is not UTF-8 text")) from None
    return parse_plan(text, name)


def parse_plan(text: str, source: str = "the plan") -> Plan:
    """Parse a plan from YAML text (a plan file, or an upload); PlanError in words for anything else."""
    if len(text) > MAX_PLAN_BYTES:
        raise PlanError(
            source,
            code=N_("{source}: is longer than a plan can be (at most {limit} characters)"),
            limit=f"{MAX_PLAN_BYTES:,}",
        )
    if not text.strip():
        raise PlanError(source, code=N_("{source}: is empty; a plan needs a title, service, owner and answers"))
    try:
        data = load_plain(text, PLAN_YAML_LIMITS)
    except YamlLimitError as error:
        raise PlanError(
            source, code=N_("{source}: is refused (line {line}: {reason})"), line=error.line, reason=error.reason
        ) from None
    except YamlTextError as error:
        raise PlanError(
            source, code=N_("{source}: is not valid YAML (line {line}: {reason})"), line=error.line, reason=error.reason
        ) from None
    if not isinstance(data, dict):
        raise PlanError(
            source, code=N_("{source}: is not a plan: expected title, service, owner, description and answers")
        )
    problem = _unusable(list(data.items()), text=True)  # libyaml refuses a "\ud800" escape; pure Python does not
    if problem:
        raise PlanError(source, [problem])
    try:
        return Plan.model_validate(data)
    except ValidationError as error:
        raise PlanError(source, validation_problems(error)) from None


def validation_problems(error: ValidationError) -> list[str]:
    """Pydantic's complaints about a plan, as sentences naming the field (at most MAX_PROBLEMS_SHOWN + 1)."""
    problems = []
    details = error.errors(include_url=False, include_input=False)
    for detail in details[:MAX_PROBLEMS_SHOWN]:
        where = ".".join(str(step) for step in detail["loc"])
        if detail["type"] == "missing":
            problems.append(f"'{where}' is missing")
        elif detail["type"] == "extra_forbidden":
            problems.append(f"'{where}' is not part of a plan (allowed: {', '.join(Plan.model_fields)})")
        elif detail["type"] == "value_error":
            problems.append(str(detail.get("ctx", {}).get("error", detail["msg"])))
        else:
            problems.append(f"'{where}': {detail['msg'][0].lower()}{detail['msg'][1:]}")
    if len(details) > MAX_PROBLEMS_SHOWN:
        problems.append(f"and {len(details) - MAX_PROBLEMS_SHOWN:,} more problems")
    return problems


@dataclass(frozen=True)
class AnswerProblem:
    """One thing wrong with a plan's answers: which question (when one), and what is wrong, in words.

    ``sentence`` is for a person at a page ("Who does the plan reach?" needs an answer); ``str()`` adds the
    question's id, which a plan file's writer needs to find the line ("..." (reach) needs an answer).
    """

    question: str | None
    sentence: str
    question_text: str = ""
    code: str = ""  # the sentence's English template, {question} its question's words: a face words it (issue 25)

    def __str__(self) -> str:
        if self.question is None or not self.question_text:
            return self.sentence
        quoted = f'"{self.question_text}"'
        return self.sentence.replace(quoted, f"{quoted} ({self.question})", 1)


def _about(question: Question, rest: str, code: str = "") -> AnswerProblem:
    return AnswerProblem(
        question=question.id, sentence=f'"{question.text}"{rest}', question_text=question.text, code=code
    )


def check_answers(questionnaire: Questionnaire, answers: dict[str, Any], *, complete: bool = True) -> CheckedAnswers:
    """Which answers count: those to visible questions, of the right type. `complete` asks for required ones.

    A required many-of answered with no options (``[]``) is not an answer: it needs one, as when missing.
    """
    checked = CheckedAnswers()
    answers, moved = current_answers(questionnaire, answers)
    checked.warnings.extend(moved)
    known = {question.id for question in questionnaire.questions}
    unknown = [question_id for question_id in answers if question_id not in known]
    for question_id in unknown[:MAX_PROBLEMS_SHOWN]:
        checked.problems.append(
            AnswerProblem(None, f"'{_clipped(str(question_id))}' is not a question of the questionnaire")
        )
    if len(unknown) > MAX_PROBLEMS_SHOWN:
        more = len(unknown) - MAX_PROBLEMS_SHOWN
        checked.problems.append(
            AnswerProblem(None, f"and {more:,} more answers to questions the questionnaire does not have")
        )
    for question, conditions in questionnaire.shown_conditions():
        visible = all(holds(condition, checked.answers) for condition in conditions)
        answer = answers.get(question.id)
        if answer_type(question.type).is_missing(question, answer):
            if visible and question.required and complete:
                needed = ": choose at least one of its options" if answer == [] else ""
                code = (
                    N_('"{question}" needs an answer: choose at least one of its options')
                    if needed
                    else N_('"{question}" needs an answer')
                )
                checked.problems.append(_about(question, f" needs an answer{needed}", code))
            continue
        if not visible:
            checked.warnings.append(
                f"The answer to {_named(question)} was not used: earlier answers make the question not apply."
            )
            continue
        if _is_old_place_text(question, answer):
            answer, warning = places_in_words(question, str(answer))  # _is_old_place_text: it is text
            checked.warnings.append(warning)
            if not answer:
                continue
        value, problem = _typed(question, answer)
        if problem:
            checked.problems.append(_about(question, f": {problem}"))
        elif value is not None:
            checked.answers[question.id] = value
    return checked


def current_answers(questionnaire: Questionnaire, answers: dict[str, Any]) -> tuple[dict[str, Any], list[str]]:
    """The answers with any given to a question an earlier questionnaire asked (a question's ``replaces``) read as
    the answer to the question that asks it now, when it fits that question and the plan does not answer it already;
    a warning in words for each, saying what became of it. So a plan written before still loads.

    Examples:
        >>> from proofing.knowledge import load_knowledge
        >>> questionnaire = load_knowledge().questionnaire
        >>> answers, (warning,) = current_answers(questionnaire, {"monitoring_plan": True, "review_date": "2027-06-30"})
        >>> answers
        {'monitoring_plan': True}
        >>> print(warning)  # doctest: +NORMALIZE_WHITESPACE
        The answer to review_date ('2027-06-30'), a question the questionnaire no longer asks, was not used: "In how
        many months will the plan be reviewed?" (review_months) asks it now; answer that instead.
    """
    replaced = questionnaire.replaced()
    if not any(key in replaced for key in answers):
        return answers, []
    current = {key: value for key, value in answers.items() if key not in replaced}
    warnings = []
    for old, value in answers.items():
        question = replaced.get(old)
        if question is None or value is None:
            continue
        earlier = f"The answer to {_clipped(old)} ({_clipped(_shown(value))}), a question the questionnaire no longer"
        earlier += " asks,"
        if current.get(question.id) is not None:
            warnings.append(f"{earlier} was not used: the plan answers {_named(question)}, which asks it now.")
            continue
        _value, problem = _typed(question, value)
        if problem is None:
            current[question.id] = value
            warnings.append(f"{earlier} is read as the answer to {_named(question)}, which asks it now.")
        else:
            warnings.append(f"{earlier} was not used: {_named(question)} asks it now; answer that instead.")
    return current, warnings


def usable_answers(questionnaire: Questionnaire, plan: Plan, source: str = "the plan") -> CheckedAnswers:
    """The answers of a plan that will be scored; raises PlanError when any answer is wrong or missing."""
    checked = check_answers(questionnaire, plan.answers)
    if checked.problems:
        raise PlanError(source, [str(problem) for problem in checked.problems])
    return checked


def _is_old_place_text(question: Question, answer: Any) -> bool:
    """An answer written as words to a question whose options are now places (wards were once free text)."""
    return (
        question.options_source == "places"
        and isinstance(answer, str)
        and answer not in {option.id for option in question.options}
    )


_FILLER = re.compile(r"^(?:and|&|the|in|of|ward|wards|area|areas)$", re.IGNORECASE)
_SEPARATORS = re.compile(r"\s*(?:[,;/\n]|\band\b|&)\s*", re.IGNORECASE)


def places_in_words(question: Question, text: str) -> tuple[list[str], str]:
    """The places an old text answer names (by English or Welsh name, any case), and a warning in words.

    The warning always says what was read, and quotes the words that name no place, so the text is never lost
    silently: the plan keeps it as written, and its owner is told which wards to choose.

    Examples:
        >>> from proofing.questionnaire import Option
        >>> wards = Question(id="wards", text="Which wards?", type="many_of", options_source="places", options=[
        ...     Option(id="caia_park", label="Caia Park", other_names=["Parc Caia"]), Option(id="holt", label="Holt")])
        >>> places_in_words(wards, "parc caia and Rhos")[0]
        ['caia_park']
    """
    names = sorted(
        ((name, option.id) for option in question.options for name in [option.label, *option.other_names]),
        key=lambda pair: -len(pair[0]),
    )
    rest = text
    found: set[str] = set()
    for name, option_id in names:
        pattern = re.compile(rf"(?<!\w){re.escape(name)}(?!\w)", re.IGNORECASE)
        if pattern.search(rest):
            found.add(option_id)
            rest = pattern.sub(",", rest)
    chosen = [option.id for option in question.options if option.id in found]
    left = [piece for piece in (p.strip(" .") for p in _SEPARATORS.split(rest)) if piece and not _FILLER.match(piece)]
    read = ", ".join(question.label_of(option_id) for option_id in chosen)
    quoted = _clipped(text.strip())
    if chosen and not left:
        return chosen, f'The answer to {_named(question)} was words, "{quoted}"; it is read as the places {read}.'
    unmatched = "; ".join(f'"{_clipped(piece)}"' for piece in left[:5]) + (
        f" and {len(left) - 5:,} more" if len(left) > 5 else ""
    )
    if chosen:
        verb = "name" if len(left) > 1 else "names"
        return chosen, (
            f'The answer to {_named(question)} was words, "{quoted}"; it is read as the places {read}, but '
            f"{unmatched} {verb} no ward or area of the list: choose the wards it meant, or no rule about a place "
            "will read it."
        )
    return [], (
        f'The answer to {_named(question)} was words, "{quoted}", which name no ward or area of the list: '
        "choose the wards it meant, or no rule about a place will read it."
    )


def _named(question: Question) -> str:
    return f'"{question.text}" ({question.id})'


def _typed(question: Question, value: Any) -> tuple[AnswerValue | None, str | None]:
    """The answer in its canonical form, or what is wrong with it (in words, never an exception): its type's."""
    return parse_answer(question, value)


def _clipped(text: str) -> str:
    return text if len(text) <= 60 else text[:57] + "..."


def _unwritable_text(text: str) -> str | None:
    """What makes text impossible to write as UTF-8 (a lone surrogate), or None."""
    if text.isascii():
        return None
    try:
        text.encode("utf-8")
    except UnicodeEncodeError as error:
        return f"holds the character U+{ord(text[error.start]):04X} (a lone surrogate), which is not text; remove it"
    return None


def _unusable(items: list[tuple[str, Any]], *, text: bool) -> str | None:
    """The first reason these named values cannot be carried as JSON and written to Word, or None.

    Plain data only: text, yes/no, finite numbers, lists and mappings with text keys, nested at most
    MAX_ANSWER_DEPTH deep and at most PLAN_YAML_LIMITS.max_values in all; with `text`, also no lone
    surrogates. Walks without recursion, so values nested thousands deep in code are refused in words.
    """
    pending: list[tuple[str, Any, int]] = [(where, value, 1) for where, value in reversed(items)]
    seen = 0
    while pending:
        where, value, depth = pending.pop()
        where = _clipped(where)
        seen += 1
        if seen > PLAN_YAML_LIMITS.max_values:
            return f"the answers hold more than {PLAN_YAML_LIMITS.max_values:,} values; a plan has a few hundred"
        if depth > MAX_ANSWER_DEPTH:
            return f"'{where}' is nested more than {MAX_ANSWER_DEPTH} deep; an answer is a value or a list of options"
        if value is None or isinstance(value, bool):
            continue
        if isinstance(value, int):
            if abs(value).bit_length() > 333:
                return f"'{where}' is {_shown(value)}, too large to be a number a plan can use"
        elif isinstance(value, float):
            if not math.isfinite(value):
                return f"'{where}' is {_shown(value)}, which is not a number a plan can use; give an ordinary number"
        elif isinstance(value, str):
            problem = _unwritable_text(value) if text else None
            if problem:
                return f"'{where}' {problem}"
        elif isinstance(value, list):
            pending.extend((f"{where}.{index}", item, depth + 1) for index, item in reversed(list(enumerate(value))))
        elif isinstance(value, dict):
            for key, item in reversed(value.items()):
                if not isinstance(key, str):
                    return f"'{where}' has the key {_shown(key)}; keys are text"
                pending.append((f"{where}.{key}", item, depth + 1))
        else:
            return (
                f"'{where}' holds {_shown(value)}, which a plan cannot use; "
                "answer with text, a number, true or false, or a list of options"
            )
    return None


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
