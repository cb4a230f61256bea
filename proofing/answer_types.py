"""One class per answer type: everything proofing knows about a kind of answer, in one place.

A question's ``type`` (yes_no, one_of, many_of, number, text, date) names one of these classes. Each says,
for its answers:

- ``parse``: the answer in its canonical form, or what is wrong with it in words (a plan file is hostile);
- ``words``: the answer as a reader understands it (option labels, yes or no), never as ids;
- ``operators`` and ``test_problem``: which condition tests fit it, and what is wrong with a test on it;
- ``encode`` and ``engine_keys``: how the durable-rules engine's flat fact holds it;
- ``alternatives``: the other answers "what would change the level" may suggest;
- ``implied``: the groups of people an answer implies.

The rest of proofing asks the registry (``answer_type(question.type)``) rather than testing a type's name, so
a new answer type is a new class here (plus its widget in ``views/widgets.py`` and its name in ``AnswerType``).
The questionnaire is read through ``TYPE_CHECKING`` only: this module sits below it.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from datetime import date, datetime
from typing import TYPE_CHECKING, Any, ClassVar, Literal

from proofing.conditions import AnswerTest, AnswerValue, Condition, answer_tests

if TYPE_CHECKING:
    from proofing.questionnaire import Question

AnswerType = Literal["yes_no", "one_of", "many_of", "number", "text", "date"]

MAX_TEXT_ANSWER = 100_000
MAX_NUMBER = 10**12  # a count or a measure larger than a million million is a typing slip
# Options that state a fact about the service rather than a choice the plan makes ("Not needed: the service is
# itself delivered in people's own languages", "Not applicable: no building is used"), or that the manager does not
# know ("Not known: the papers do not say"), which is never an improvement: never suggested.
NOT_A_CHOICE = frozenset({"not_needed", "not_applicable", "not_relevant", "not_known"})
# The option of a many-of question that means "none of the others" (it is never ticked beside another).
NONE_OF_THESE = "none"

Parsed = tuple[AnswerValue | None, str | None]
Translate = Callable[[str], str]


def _english(text: str) -> str:
    return text


class Kind:
    """An answer type: the base every answer type derives from (its defaults fit a plain, option-less answer)."""

    name: ClassVar[str]
    operators: ClassVar[frozenset[str]] = frozenset({"answered"})
    has_options: ClassVar[bool] = False  # the question lists options (or options_from)
    has_range: ClassVar[bool] = False  # the question may give min and max
    implies_itself: ClassVar[bool] = False  # the question itself (not its options) may imply groups
    engine_empty: ClassVar[Any] = ""  # the engine's value for an unanswered question
    combinable: ClassVar[bool] = False  # two what-if changes to one answer can be made together
    free_text: ClassVar[bool] = False  # worded by the person (two people never word a thing alike)

    def parse(self, question: Question, value: Any) -> Parsed:
        """The answer in its canonical form, or what is wrong with it (in words, never an exception)."""
        raise NotImplementedError

    def is_missing(self, question: Question, answer: Any) -> bool:
        """Whether a given answer counts as no answer (None always does)."""
        return answer is None

    def words(self, question: Question, answer: AnswerValue, translate: Translate = _english) -> str:
        """The answer in words a reader understands, tolerant of an answer of another type (an old version)."""
        if isinstance(answer, bool):
            return translate("Yes") if answer else translate("No")
        if isinstance(answer, list):
            return "; ".join(question.label_of(option) for option in answer) or translate("None")
        if isinstance(answer, float) and answer.is_integer():
            return str(int(answer))
        return str(answer)

    def test_problem(self, question: Question, test: AnswerTest) -> str | None:
        """What is wrong with a condition's test on this question's answer (None when it fits)."""
        if test.test not in self.operators:
            return f"tests question {question.id} with '{test.test}', which does not fit a {question.type} question"
        return None

    def engine_keys(self, options: int) -> int:
        """How many value keys (beside the answered flag) the engine's flat fact holds for this answer."""
        return 1

    def encode(self, fact: dict[str, Any], answer: Any, value_key: str, options: list[tuple[str, str]]) -> None:
        """Write the answer into the engine's flat fact (``options``: each tested option with its key)."""
        fact[value_key] = self.engine_empty if answer is None else answer

    def alternatives(self, question: Question, current: AnswerValue | None) -> list[AnswerValue]:
        """Other answers the plan could give (free text, numbers and dates have no obvious alternatives)."""
        return []

    def option_change(self, before: Any, after: Any) -> tuple[Literal["added", "removed"], str] | None:
        """A change of one option put in or taken out, when that is all that changed (many-of only)."""
        return None

    def implied(self, question: Question, answer: AnswerValue, tested: set[str]) -> list[str]:
        """The groups the answer implies, given the options the rule's own tests look at."""
        return []


class YesNo(Kind):
    """Yes or no, kept as true or false; a yes may imply groups of people."""

    name = "yes_no"
    operators = frozenset({"equals", "answered"})
    implies_itself = True
    engine_empty = False

    def parse(self, question: Question, value: Any) -> Parsed:
        if isinstance(value, bool):
            return value, None
        return None, f"answer yes or no (true or false), not {shown(value)}"

    def test_problem(self, question: Question, test: AnswerTest) -> str | None:
        problem = super().test_problem(question, test)
        if problem is None and test.test == "equals" and not isinstance(test.operand, bool):
            return f"tests yes/no question {question.id} against {test.operand!r}; use true or false"
        return problem

    def alternatives(self, question: Question, current: AnswerValue | None) -> list[AnswerValue]:
        return [True, False] if current is None else [not current]

    def implied(self, question: Question, answer: AnswerValue, tested: set[str]) -> list[str]:
        if answer is True and question.implies:
            return question.implies.characteristics + question.implies.communities
        return []


class _Choice(Kind):
    """An answer chosen from the question's options (whose ids the tests must name)."""

    has_options = True

    def test_problem(self, question: Question, test: AnswerTest) -> str | None:
        problem = super().test_problem(question, test)
        if problem is None and test.test != "answered":
            options = {option.id for option in question.options}
            values = test.operand if isinstance(test.operand, list) else [test.operand]
            unknown = [value for value in values if value not in options]
            if unknown:
                return f"tests question {question.id} against {', '.join(map(str, unknown))}, not among its options"
        return problem

    def implied(self, question: Question, answer: AnswerValue, tested: set[str]) -> list[str]:
        chosen = answer if isinstance(answer, list) else [answer]
        found: list[str] = []
        for option in question.options:
            if option.id in chosen and option.implies:
                found += option.implies.characteristics + option.implies.communities
        return found


class OneOf(_Choice):
    """One option of several; an answer from an earlier questionnaire is read as the option that replaces it."""

    name = "one_of"
    operators = frozenset({"equals", "in", "answered"})

    def parse(self, question: Question, value: Any) -> Parsed:
        options = [option.id for option in question.options]
        if isinstance(value, str) and value in options:
            return value, None
        replacing = [o.id for o in question.options if any(_same(value, old) for old in o.replaces)]
        if replacing:
            return replacing[0], None
        return None, f"{shown(value)} is not one of its options ({', '.join(options)})"

    def words(self, question: Question, answer: AnswerValue, translate: Translate = _english) -> str:
        if isinstance(answer, bool | list):
            return super().words(question, answer, translate)
        return question.label_of(str(answer))

    def alternatives(self, question: Question, current: AnswerValue | None) -> list[AnswerValue]:
        return [o.id for o in question.options if o.id != current and o.id not in NOT_A_CHOICE]


class ManyOf(_Choice):
    """Any number of options, kept in the questionnaire's order; choosing an area chooses its wards too."""

    name = "many_of"
    combinable = True
    operators = frozenset({"contains", "contains_any", "contains_all", "answered"})

    def parse(self, question: Question, value: Any) -> Parsed:
        options = [option.id for option in question.options]
        chosen = value if isinstance(value, list) else [value]
        wrong = [item for item in chosen if not isinstance(item, str) or item not in options]
        if wrong:
            listed = ", ".join(shown(item) for item in wrong[:5]) + (
                f" and {len(wrong) - 5:,} more" if len(wrong) > 5 else ""
            )
            return None, f"{listed} not among its options ({', '.join(options)})"
        included = {extra for option in question.options if option.id in chosen for extra in option.includes}
        return [option for option in options if option in chosen or option in included], None

    def is_missing(self, question: Question, answer: Any) -> bool:
        return answer is None or (question.required and answer == [])

    def engine_keys(self, options: int) -> int:
        return options

    def encode(self, fact: dict[str, Any], answer: Any, value_key: str, options: list[tuple[str, str]]) -> None:
        chosen = answer if isinstance(answer, list) else ()
        for option_id, key in options:
            fact[key] = option_id in chosen

    def alternatives(self, question: Question, current: AnswerValue | None) -> list[AnswerValue]:
        """One option taken out (leaving "none of these" when nothing is left) or one put in."""
        options = [option.id for option in question.options]
        chosen = list(current) if isinstance(current, list) else []
        real = [option for option in chosen if option != NONE_OF_THESE]
        values: list[AnswerValue] = []
        for option in real:
            left = [other for other in chosen if other != option]
            if not left and NONE_OF_THESE in options:
                left = [NONE_OF_THESE]
            if left or not question.required:
                values.append(left)
        for option in options:
            if option not in chosen and option != NONE_OF_THESE and option not in NOT_A_CHOICE:
                values.append([other for other in options if other in real or other == option])
        return values

    def option_change(self, before: Any, after: Any) -> tuple[Literal["added", "removed"], str] | None:
        if not isinstance(before, list) or not isinstance(after, list):
            return None
        added = [option for option in after if option not in before]
        removed = [option for option in before if option not in after]
        if len(added) == 1 and not removed and before:
            return "added", added[0]
        if len(removed) == 1 and not added and after:
            return "removed", removed[0]
        return None

    def implied(self, question: Question, answer: AnswerValue, tested: set[str]) -> list[str]:
        chosen = answer if isinstance(answer, list) else [answer]
        return super().implied(question, [option for option in chosen if option in tested], tested)


class Number(Kind):
    """A finite number within the question's min and max (and within MAX_NUMBER)."""

    name = "number"
    operators = frozenset({"equals", "in", "at_least", "at_most", "answered"})
    has_range = True
    engine_empty = 0

    def parse(self, question: Question, value: Any) -> Parsed:
        if isinstance(value, bool) or not isinstance(value, int | float) or not finite(value):
            return None, f"answer with a number, not {shown(value)}"
        if abs(value) > MAX_NUMBER:
            return None, f"{shown(value)} is too large to be right (at most {MAX_NUMBER:,})"
        if question.min is not None and value < question.min:
            return None, f"{number_words(value)} is below the smallest allowed, {number_words(question.min)}"
        if question.max is not None and value > question.max:
            return None, f"{number_words(value)} is above the largest allowed, {number_words(question.max)}"
        return value, None

    def test_problem(self, question: Question, test: AnswerTest) -> str | None:
        problem = super().test_problem(question, test)
        if problem is None and test.test != "answered":
            values = test.operand if isinstance(test.operand, list) else [test.operand]
            if any(isinstance(value, bool) or not isinstance(value, int | float) for value in values):
                return f"tests number question {question.id} against something that is not a number"
        return problem


class Text(Kind):
    """Free text, trimmed, at most MAX_TEXT_ANSWER characters; a number given is kept as its text."""

    name = "text"
    operators = frozenset({"equals", "answered"})
    free_text = True

    def parse(self, question: Question, value: Any) -> Parsed:
        if not isinstance(value, str | int | float) or isinstance(value, bool) or not finite(value):
            return None, f"answer with text, not {shown(value)}"
        text = str(value).strip()
        if len(text) > MAX_TEXT_ANSWER:
            return None, f"the answer is {len(text):,} characters; at most {MAX_TEXT_ANSWER:,} are kept"
        return (text or None), None


class Date(Kind):
    """A date between 2000 and 2100, kept as ISO text (YYYY-MM-DD)."""

    name = "date"

    def parse(self, question: Question, value: Any) -> Parsed:
        return date_answer(value)


KINDS: dict[str, Kind] = {kind.name: kind for kind in (YesNo(), OneOf(), ManyOf(), Number(), Text(), Date())}


def answer_type(name: str) -> Kind:
    """The answer type a question's ``type`` names (the questionnaire's model admits no other name)."""
    return KINDS[name]


def parse_answer(question: Question, value: Any) -> Parsed:
    """The answer in its canonical form, or what is wrong with it in words: the question's type decides."""
    kind = KINDS.get(question.type)
    if kind is None:
        return None, f"unknown answer type {question.type}"
    return kind.parse(question, value)


def answer_in_words(question: Question, answer: AnswerValue, translate: Translate = _english) -> str:
    """An answer in the words a reader understands (option labels, yes or no), never as ids."""
    return answer_type(question.type).words(question, answer, translate)


def implied_groups(question: Question, condition: Condition, answer: AnswerValue) -> list[str]:
    """The groups an answer implies, as far as the condition's own tests on that question look at it.

    A yes implies the groups of a yes/no question; a chosen option implies its own groups, but of a many-of
    answer only the options the condition tests count (a rule about hostels is not about the Traveller site the
    same plan also builds).
    """
    tested: set[str] = set()
    for test in answer_tests(condition):
        if test.question == question.id and test.test != "answered":
            tested.update(test.operand if isinstance(test.operand, list) else [test.operand])
    return list(dict.fromkeys(answer_type(question.type).implied(question, answer, tested)))


def date_answer(value: Any) -> tuple[str | None, str | None]:
    """A date answer as ISO text (YYYY-MM-DD), from a date or its text; a date between 2000 and 2100.

    Examples:
        >>> date_answer("2027-06-30"), date_answer("end of next term")[0]
        (('2027-06-30', None), None)
    """
    if isinstance(value, date) and not isinstance(value, datetime):
        day = value
    elif isinstance(value, str):
        try:
            day = date.fromisoformat(value.strip())
        except ValueError:
            return None, f"answer with a date written YYYY-MM-DD (for example 2027-06-30), not {shown(value)}"
    else:
        return None, f"answer with a date written YYYY-MM-DD, not {shown(value)}"
    if not 2000 <= day.year <= 2100:
        return None, f"{day.isoformat()} is not a date a plan would be reviewed on"
    return day.isoformat(), None


def _same(value: Any, earlier: bool | str) -> bool:
    """Whether an answer is the earlier questionnaire's answer (true is not 1: a yes/no answer is a bool)."""
    return type(value) is type(earlier) and value == earlier


def finite(value: Any) -> bool:
    """False for infinity and not-a-number (floats only: an int is always finite, and math.isfinite overflows)."""
    return not isinstance(value, float) or math.isfinite(value)


def number_words(value: float) -> str:
    """A number as a reader writes it: 4200, 2.5, never 4.2e+03 (called only on numbers within MAX_NUMBER)."""
    if isinstance(value, int) or value.is_integer():
        return f"{int(value)}"
    return f"{value:g}"


def shown(value: Any, depth: int = 0) -> str:
    """A value as a plan file writes it, in at most 40 characters, built without ever building it whole.

    An alias bomb's list of lists, or a number of thousands of digits, is shown by its start or its size.

    Examples:
        >>> shown("lots"), shown(True), shown(float("inf")), shown(10**5000)
        ("'lots'", 'true', '.inf', 'a number of about 5,001 digits')
        >>> shown([["a"] * 9] * 9)
        "[['a', 'a', 'a', ...], ['a', 'a', 'a'..."
    """
    if isinstance(value, bool):
        text = "true" if value else "false"
    elif isinstance(value, int):
        bits = abs(value).bit_length()
        text = f"a number of about {int(bits * math.log10(2)) + 1:,} digits" if bits > 128 else str(value)
    elif isinstance(value, float):
        text = {math.inf: ".inf", -math.inf: "-.inf"}.get(value, ".nan" if value != value else repr(value))
    elif isinstance(value, str):
        text = repr(value[:41])
    elif isinstance(value, list):
        if depth >= 2:
            text = "[...]" if value else "[]"
        else:
            items = [shown(item, depth + 1) for item in value[:3]]
            text = "[" + ", ".join(items) + (", ...]" if len(value) > 3 else "]")
    elif isinstance(value, dict):
        text = "a mapping"
    elif value is None:
        text = "nothing"
    else:
        text = _KINDS_OF_VALUE.get(type(value).__name__, f"a value of type {type(value).__name__}")
    return text if len(text) <= 40 else text[:37] + "..."


_KINDS_OF_VALUE = {
    "bytes": "binary data",
    "set": "a set",
    "date": "a date",
    "datetime": "a date and time",
    "tuple": "a pair",
}
