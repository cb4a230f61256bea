"""The condition grammar: what each test means, and how a badly written condition is refused."""

from __future__ import annotations

import pytest
from pydantic import TypeAdapter, ValidationError

from proofing.conditions import Condition, holds, questions_behind

parse = TypeAdapter(Condition).validate_python

ANSWERS = {"change_type": ["closure", "relocation"], "people": 120, "welsh": "partial", "online": True}


@pytest.mark.parametrize(
    ("condition", "expected"),
    [
        ({"question": "change_type", "contains": "closure"}, True),
        ({"question": "change_type", "contains_any": ["new_service", "relocation"]}, True),
        ({"question": "change_type", "contains_all": ["closure", "new_service"]}, False),
        ({"question": "people", "at_least": 120}, True),
        ({"question": "people", "at_most": 119}, False),
        ({"question": "welsh", "equals": "partial"}, True),
        ({"question": "welsh", "in": ["english_only", "partial"]}, True),
        ({"question": "online", "equals": True}, True),
        ({"question": "online", "equals": 1}, False),
        ({"question": "missing", "answered": False}, True),
        ({"question": "missing", "equals": "x"}, False),
        ({"not": {"question": "missing", "equals": "x"}}, True),
        ({"all": [{"question": "online", "equals": True}, {"fact": "reduces_access"}]}, True),
        ({"any": [{"question": "online", "equals": False}, {"fact": "unknown"}]}, False),
    ],
)
def test_meaning(condition: dict[str, object], expected: bool) -> None:
    assert holds(parse(condition), ANSWERS, {"reduces_access"}) is expected


def test_two_tests_in_one_leaf_are_refused() -> None:
    with pytest.raises(ValidationError, match="needs exactly one of equals, in, contains"):
        parse({"question": "people", "at_least": 1, "at_most": 5})


def test_a_condition_without_a_known_key_is_refused() -> None:
    with pytest.raises(ValidationError, match="a condition needs one of the keys all, any, not, fact or question"):
        parse({"when": "always"})


def test_because_names_the_answers_that_made_it_hold() -> None:
    condition = parse(
        {
            "all": [
                {"question": "change_type", "contains": "closure"},
                {"any": [{"question": "online", "equals": True}, {"question": "welsh", "equals": "full"}]},
                {"not": {"question": "people", "at_most": 10}},
                {"not": {"all": [{"question": "welsh", "equals": "full"}, {"question": "people", "at_least": 1}]}},
            ]
        }
    )
    # The compound `not` (an exclusion clause) adds no reason of its own.
    assert questions_behind(condition, ANSWERS, set()) == ["change_type", "online", "people"]
