"""Declarative conditions over a plan's answers, and their meaning in plain Python.

A condition is data, written in YAML by a policy officer and never evaluated as code. It is one of::

    all: [condition, ...]            every one holds
    any: [condition, ...]            at least one holds
    not: condition                   it does not hold
    fact: reduces_access             a derived fact was concluded by a derivation rule
    question: change_type            a test on one answer, with exactly one of:
      equals: value                  the answer is this (yes/no, option, number or text)
      in: [value, ...]               the answer is one of these
      contains: option               a many-of answer includes this option
      contains_any: [option, ...]    ... includes at least one of these
      contains_all: [option, ...]    ... includes all of these
      at_least: number               a number answer is at least this
      at_most: number                a number answer is at most this
      answered: true | false         the question has (or has not) been answered

An unanswered question satisfies no test but `answered: false`. ``holds`` here is the reference
meaning that the durable-rules engine must agree with (the tests compare them on thousands of plans).
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Discriminator, Field, Tag, model_validator

from proofing.base import Slug

AnswerValue = bool | int | float | str | list[str]
Answers = Mapping[str, AnswerValue]

ANSWER_TESTS = ("equals", "in", "contains", "contains_any", "contains_all", "at_least", "at_most", "answered")


class _Condition(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)


class AnswerTest(_Condition):
    """A test on one answer."""

    question: Slug
    equals: bool | int | float | str | None = None
    in_: list[int | float | str] | None = Field(default=None, alias="in", min_length=1)
    contains: Slug | None = None
    contains_any: list[Slug] | None = Field(default=None, min_length=1)
    contains_all: list[Slug] | None = Field(default=None, min_length=1)
    at_least: float | None = None
    at_most: float | None = None
    answered: bool | None = None

    @model_validator(mode="after")
    def _exactly_one_test(self) -> AnswerTest:
        given = [name for name in ANSWER_TESTS if getattr(self, _attribute(name)) is not None]
        if len(given) != 1:
            raise ValueError(
                f"a test on question '{self.question}' needs exactly one of {', '.join(ANSWER_TESTS)}"
                + (f"; it has {', '.join(given)}" if given else "")
            )
        return self

    @property
    def test(self) -> str:
        """Which test this is: equals, in, contains, ..."""
        return next(name for name in ANSWER_TESTS if getattr(self, _attribute(name)) is not None)

    @property
    def operand(self) -> Any:
        """The value the answer is tested against."""
        return getattr(self, _attribute(self.test))


class FactTest(_Condition):
    """A derived fact, concluded by a derivation rule."""

    fact: Slug


class AllOf(_Condition):
    """Every condition holds."""

    all: list[Condition] = Field(min_length=1)


class AnyOf(_Condition):
    """At least one condition holds."""

    any: list[Condition] = Field(min_length=1)


class NotOf(_Condition):
    """The condition does not hold."""

    not_: Condition = Field(alias="not")


def _kind(value: Any) -> str | None:
    if isinstance(value, dict):
        for key in ("all", "any", "not", "fact", "question"):
            if key in value:
                return key
        return None
    kinds: dict[type, str] = {AllOf: "all", AnyOf: "any", NotOf: "not", FactTest: "fact", AnswerTest: "question"}
    return kinds.get(type(value))


Condition = Annotated[
    Annotated[AllOf, Tag("all")]
    | Annotated[AnyOf, Tag("any")]
    | Annotated[NotOf, Tag("not")]
    | Annotated[FactTest, Tag("fact")]
    | Annotated[AnswerTest, Tag("question")],
    Discriminator(
        _kind,
        custom_error_type="condition",
        custom_error_message="a condition needs one of the keys all, any, not, fact or question",
    ),
]

for _model in (AllOf, AnyOf, NotOf):
    _model.model_rebuild()


def _attribute(test: str) -> str:
    return "in_" if test == "in" else test


def holds(condition: Condition, answers: Answers, facts: frozenset[str] | set[str] = frozenset()) -> bool:
    """Whether the condition holds for these answers and derived facts: the reference meaning.

    Examples:
        >>> rule = AnswerTest(question="change_type", contains="closure")
        >>> holds(rule, {"change_type": ["closure", "relocation"]})
        True
        >>> holds(NotOf(not_=rule), {})
        True
    """
    match condition:
        case AllOf():
            return all(holds(part, answers, facts) for part in condition.all)
        case AnyOf():
            return any(holds(part, answers, facts) for part in condition.any)
        case NotOf():
            return not holds(condition.not_, answers, facts)
        case FactTest():
            return condition.fact in facts
        case AnswerTest():
            return _answer_holds(condition, answers)
    raise TypeError(f"not a condition: {condition!r}")


def _answer_holds(test: AnswerTest, answers: Answers) -> bool:
    if test.test == "answered":
        return (test.question in answers) == test.answered
    if test.question not in answers:
        return False
    answer = answers[test.question]
    operand = test.operand
    match test.test:
        case "equals":
            return _same(answer, operand)
        case "in":
            return any(_same(answer, value) for value in operand)
        case "contains":
            return isinstance(answer, list) and operand in answer
        case "contains_any":
            return isinstance(answer, list) and any(value in answer for value in operand)
        case "contains_all":
            return isinstance(answer, list) and all(value in answer for value in operand)
        case "at_least":
            return _is_number(answer) and answer >= operand
        case "at_most":
            return _is_number(answer) and answer <= operand
    raise ValueError(f"unknown test {test.test}")


def _is_number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def _same(answer: Any, value: Any) -> bool:
    """Equality that never confuses yes/no with 1/0."""
    if isinstance(answer, bool) or isinstance(value, bool):
        return isinstance(answer, bool) and isinstance(value, bool) and answer == value
    same: bool = answer == value
    return same


def answer_tests(condition: Condition) -> Iterator[AnswerTest]:
    """Every test on an answer inside the condition, in order."""
    match condition:
        case AllOf():
            for part in condition.all:
                yield from answer_tests(part)
        case AnyOf():
            for part in condition.any:
                yield from answer_tests(part)
        case NotOf():
            yield from answer_tests(condition.not_)
        case AnswerTest():
            yield condition


def facts_read(condition: Condition) -> Iterator[tuple[str, bool]]:
    """Every fact the condition reads, with whether it is read as a required conjunct (top level `all`)."""

    def walk(part: Condition, required: bool) -> Iterator[tuple[str, bool]]:
        match part:
            case FactTest():
                yield part.fact, required
            case AllOf():
                for child in part.all:
                    yield from walk(child, required)
            case AnyOf():
                for child in part.any:
                    yield from walk(child, False)
            case NotOf():
                yield from walk(part.not_, False)

    yield from walk(condition, True)


def questions_behind(condition: Condition, answers: Answers, facts: frozenset[str] | set[str]) -> list[str]:
    """The answered questions that make a holding condition hold: the 'because' of a finding.

    For `all`, the reasons of every part; for `any`, of every part that holds; for `not`, the question
    it negates when it negates a single answer test (a compound `not` excludes cases; it gives no
    reason). Facts are explained by the caller (they have reasons of their own).
    """
    found: list[str] = []

    def walk(part: Condition) -> None:
        match part:
            case AllOf():
                for child in part.all:
                    walk(child)
            case AnyOf():
                for child in part.any:
                    if holds(child, answers, facts):
                        walk(child)
            case NotOf():
                # "not: {question: q, equals: done}" is a reason ("q was not done"); a compound `not`
                # is an exclusion clause (this rule leaves those cases to another), not a reason.
                if isinstance(part.not_, AnswerTest) and part.not_.question in answers:
                    found.append(part.not_.question)
            case AnswerTest():
                if part.question in answers:
                    found.append(part.question)

    walk(condition)
    return list(dict.fromkeys(found))
