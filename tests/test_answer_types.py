"""One class per answer type: the registry covers every type the questionnaire admits, and each type's
parsing, wording, condition tests, engine encoding, what-if alternatives and implied groups are its own."""

from __future__ import annotations

import ast
from pathlib import Path
from typing import get_args

import pytest

from proofing.answer_types import (
    KINDS,
    AnswerType,
    answer_in_words,
    answer_type,
    implied_groups,
    parse_answer,
)
from proofing.assessment import answer_words
from proofing.checks import _test_problem
from proofing.conditions import AllOf, AnswerTest
from proofing.engine import flatten_answers
from proofing.knowledge import KnowledgeBase
from proofing.questionnaire import Implies, Option, Question
from proofing.whatif import _alternatives

ROOT = Path(__file__).resolve().parent.parent
TYPE_NAMES = ("yes_no", "one_of", "many_of", "number", "text", "date")


def _question(kind: str, **extra: object) -> Question:
    if kind in ("one_of", "many_of"):
        extra.setdefault(
            "options",
            [
                Option(id="a", label="Online", implies=Implies(characteristics=["age"])),
                Option(id="b", label="Face to face", implies=Implies(communities=["rural"])),
                Option(id="none", label="None of these"),
            ],
        )
    return Question(id="q", text="Which?", type=kind, **extra)  # type: ignore[arg-type]


def test_every_type_the_questionnaire_admits_has_exactly_one_class() -> None:
    assert set(get_args(AnswerType)) == set(KINDS) == set(TYPE_NAMES)
    assert all(answer_type(name).name == name for name in TYPE_NAMES)


def test_the_widget_table_draws_every_answer_type() -> None:
    """Read without importing Streamlit: the table's keys are the answer types' names."""
    tree = ast.parse((ROOT / "views" / "widgets.py").read_text(encoding="utf-8"))
    table = next(
        node.value
        for node in ast.walk(tree)
        if isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name) and node.target.id == "WIDGETS"
    )
    assert isinstance(table, ast.Dict)
    assert {key.value for key in table.keys if isinstance(key, ast.Constant)} == set(KINDS)


@pytest.mark.parametrize(
    ("kind", "given", "kept"),
    [
        ("yes_no", True, True),
        ("one_of", "b", "b"),
        ("many_of", ["b", "a"], ["a", "b"]),  # kept in the questionnaire's order
        ("number", 12, 12),
        ("text", "  words  ", "words"),
        ("date", "2027-06-30", "2027-06-30"),
    ],
)
def test_each_type_parses_its_own_answers(kind: str, given: object, kept: object) -> None:
    assert parse_answer(_question(kind), given) == (kept, None)


@pytest.mark.parametrize(
    ("kind", "given", "words"),
    [
        ("yes_no", "yes", "answer yes or no"),
        ("one_of", "c", "is not one of its options"),
        ("many_of", ["c"], "not among its options"),
        ("number", "twelve", "answer with a number"),
        ("text", ["a"], "answer with text"),
        ("date", "next June", "YYYY-MM-DD"),
    ],
)
def test_each_type_refuses_a_wrong_answer_in_words(kind: str, given: object, words: str) -> None:
    value, problem = parse_answer(_question(kind), given)
    assert value is None and problem is not None and words in problem


def test_a_number_outside_its_range_is_refused_with_the_range() -> None:
    question = _question("number", min=1, max=5)
    assert parse_answer(question, 6)[1] == "6 is above the largest allowed, 5"
    assert parse_answer(question, 3) == (3, None)


@pytest.mark.parametrize(
    ("kind", "answer", "words"),
    [
        ("yes_no", False, "No"),
        ("one_of", "b", "Face to face"),
        ("many_of", ["a", "b"], "Online; Face to face"),
        ("many_of", [], "None"),
        ("number", 4.0, "4"),
        ("date", "2027-06-30", "2027-06-30"),
    ],
)
def test_each_type_words_its_answers_without_ids(kind: str, answer: object, words: str) -> None:
    assert answer_in_words(_question(kind), answer) == words  # type: ignore[arg-type]


def test_wording_goes_through_the_translator_given() -> None:
    assert answer_in_words(_question("yes_no"), True, lambda text: f"<{text}>") == "<Yes>"


def test_answer_words_of_the_rule_base_is_the_types_wording(kb: KnowledgeBase) -> None:
    for question in kb.questionnaire.questions:
        if question.type == "one_of":
            option = question.options[0]
            assert answer_words(kb, question.id, option.id) == option.label
            return
    pytest.fail("the rule base has no one-of question")


@pytest.mark.parametrize(
    ("kind", "fits", "does_not_fit"),
    [
        ("yes_no", {"equals": True}, {"at_least": 1}),
        ("one_of", {"in": ["a", "b"]}, {"contains": "a"}),
        ("many_of", {"contains_any": ["a"]}, {"equals": "a"}),
        ("number", {"at_most": 3}, {"contains": "a"}),
        ("text", {"equals": "x"}, {"in": ["x"]}),
        ("date", {"answered": True}, {"equals": "2027-06-30"}),
    ],
)
def test_each_type_allows_only_its_own_condition_tests(kind: str, fits: dict, does_not_fit: dict) -> None:
    question = _question(kind)
    assert _test_problem(AnswerTest(question="q", **fits), question) is None
    problem = _test_problem(AnswerTest(question="q", **does_not_fit), question)
    assert problem is not None and "does not fit" in problem


def test_a_test_on_a_choice_must_name_its_options() -> None:
    problem = _test_problem(AnswerTest(question="q", contains="zz"), _question("many_of"))
    assert problem == "tests question q against zz, not among its options"


def test_the_engine_holds_a_many_of_answer_as_one_flag_per_tested_option() -> None:
    questions = [_question("many_of"), Question(id="n", text="How many?", type="number")]
    fact = flatten_answers(questions, {"q": ["a"]}, {"q": {"a", "b"}})
    assert fact["q__q__a"] is True and fact["q__q__b"] is False and "q__q__none" not in fact
    assert "q__q" not in fact  # a many-of answer has no value key, only its options' flags
    assert fact["a__n"] is False and fact["q__n"] == 0  # an unanswered number is held as 0, not answered


def test_what_if_alternatives_come_from_the_type() -> None:
    assert [c.after for c in _alternatives(_question("yes_no"), True)] == [False]
    assert [c.after for c in _alternatives(_question("one_of"), "a")] == ["b", "none"]
    assert [c.after for c in _alternatives(_question("many_of"), ["a"])] == [["none"], ["a", "b"]]
    assert _alternatives(_question("number"), 3) == [] and _alternatives(_question("text"), "x") == []


def test_implied_groups_of_a_many_of_answer_are_only_the_options_tested() -> None:
    question = _question("many_of")
    about_a = AllOf(all=[AnswerTest(question="q", contains="a"), AnswerTest(question="other", answered=True)])
    assert implied_groups(question, about_a, ["a", "b"]) == ["age"]
    yes = Question(id="q", text="Any?", type="yes_no", implies=Implies(characteristics=["disability"]))
    assert implied_groups(yes, AnswerTest(question="q", equals=True), True) == ["disability"]
    assert implied_groups(yes, AnswerTest(question="q", equals=True), False) == []


def test_the_questionnaire_asks_the_type_what_a_question_may_carry() -> None:
    with pytest.raises(ValueError, match="only number questions take min and max"):
        Question(id="q", text="Q?", type="text", min=1)
    with pytest.raises(ValueError, match="has no options"):
        Question(id="q", text="Q?", type="one_of")
    with pytest.raises(ValueError, match="only a yes/no question implies groups itself"):
        _question("one_of", implies=Implies(characteristics=["age"]))


def test_no_module_outside_the_registry_tests_a_type_by_name() -> None:
    """The seam holds: the library's modules ask the registry, not `question.type == "many_of"`."""
    modules = [path for path in sorted((ROOT / "proofing").rglob("*.py")) if path.name != "answer_types.py"]
    assert len(modules) > 40
    for module in modules:
        text, name = module.read_text(encoding="utf-8"), module.name
        for type_name in TYPE_NAMES:
            assert f'type == "{type_name}"' not in text, (name, type_name)
            assert f'type != "{type_name}"' not in text, (name, type_name)
