"""Bad plans get a message in words and never count a hidden answer."""

from __future__ import annotations

import datetime as dt
import math
import re
import time
import tracemalloc
from collections.abc import Callable
from pathlib import Path

import pytest
from pydantic import ValidationError

from proofing import yamlsource
from proofing.cli import main
from proofing.errors import RuleBaseError
from proofing.knowledge import KnowledgeBase, load_knowledge
from proofing.plan import CheckedAnswers, Plan, PlanError, check_answers, parse_plan, read_plan, usable_answers
from proofing.questionnaire import Question, Questionnaire, Section

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"
GOOD = (EXAMPLES / "library-opening-hours.yaml").read_text(encoding="utf-8")
WARDS = "wards: [caia_park, plas_madoc, rhosllannerchrugog]"  # the line of GOOD the hostile answers replace


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "plan.yaml"
    path.write_text(text, encoding="utf-8")
    return path


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "is empty"),
        ("title: [unclosed\n", "is not valid YAML (line 2"),
        ("- just\n- a list\n", "is not a plan"),
        ("title: A plan\n", "'service' is missing"),
        (GOOD.replace("owner: Head of Libraries", "owner: Head of Libraries\ncolour: blue"), "'colour' is not part"),
        (
            GOOD.replace("  geography: named_wards", "  geography: named_wards\n  favourite: 3"),
            "'favourite' is not a question",
        ),
        (GOOD.replace("people_affected: 4200", "people_affected: lots"), "answer with a number, not 'lots'"),
        (GOOD.replace("mixing: neutral", "mixing: sideways"), "'sideways' is not one of its options"),
        (GOOD.replace("deprived_area: true", "deprived_area: perhaps"), "answer yes or no"),
        (GOOD.replace("reduction_percent: 43", "reduction_percent: 140"), "above the largest allowed, 100"),
        (
            GOOD.replace("affected_communities: [", "affected_communities: [martians, "),
            "'martians' not among its options",
        ),
        (GOOD.replace("  monitoring_plan: false\n", ""), '"Is there a plan to monitor the effect'),
    ],
)
def test_bad_plans_are_refused_in_words(
    tmp_path: Path, text: str, message: str, capsys: pytest.CaptureFixture[str]
) -> None:
    path = write(tmp_path, text)
    assert main(["assess", str(path)]) == 2
    err = capsys.readouterr().err
    assert message in err
    assert "Traceback" not in err


def test_a_huge_file_is_refused_before_it_is_read(tmp_path: Path) -> None:
    path = write(tmp_path, "title: x\n" + "#" * 10_000_000)
    with pytest.raises(PlanError, match="larger than a plan file can be"):
        read_plan(path)


def test_a_missing_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["assess", str(tmp_path / "none.yaml")]) == 2
    assert "cannot be read" in capsys.readouterr().err


def test_not_utf8(tmp_path: Path) -> None:
    path = tmp_path / "plan.yaml"
    path.write_bytes(b"title: \xff\xfe\n")
    with pytest.raises(PlanError, match="is not UTF-8 text"):
        read_plan(path)


def test_a_hidden_answer_is_set_aside_with_a_warning(kb: KnowledgeBase) -> None:
    plan = parse_plan(GOOD.replace("change_type: [reduction, channel_shift]", "change_type: [reduction]"))
    checked = check_answers(kb.questionnaire, plan.answers)
    assert "digital_only" not in checked.answers and "assisted_digital" not in checked.answers
    assert any("(digital_only) was not used" in warning for warning in checked.warnings)
    assert not checked.problems


def test_many_of_answers_are_kept_in_questionnaire_order(kb: KnowledgeBase) -> None:
    checked = check_answers(kb.questionnaire, {"change_type": ["closure", "new_service"]}, complete=False)
    assert checked.answers["change_type"] == ["new_service", "closure"]


# --- regressions from fuzzing 2,200 plans (issue 9): each is refused in words, exit 2, quickly ----------------


def refused(tmp_path: Path, text: str, capsys: pytest.CaptureFixture[str], *options: str) -> str:
    """Assess `text` through the command line; assert exit 2 with no traceback and return the message."""
    path = write(tmp_path, text)
    assert main(["assess", str(path), *options]) == 2
    captured = capsys.readouterr()
    assert "Traceback" not in captured.err
    assert captured.out == ""
    return captured.err


def bounded(work: Callable[[], object], seconds: float = 1.0, megabytes: float = 20.0) -> None:
    """Run `work`, asserting that it took less than `seconds` and its peak allocation was under `megabytes`."""
    tracemalloc.start()
    started = time.process_time()  # CPU time: other work on the machine does not count against the bound
    try:
        work()
    finally:
        elapsed = time.process_time() - started
        peak = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
    assert elapsed < seconds, f"took {elapsed:.2f} s"
    assert peak < megabytes * 1e6, f"peak {peak / 1e6:.1f} MB"


def test_nesting_900_deep_is_refused_with_its_line(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    text = GOOD.replace("  mixing: neutral", "  mixing: " + "[" * 900 + "]" * 900)
    line = GOOD.splitlines().index("  mixing: neutral") + 1
    assert f"(line {line}: lists and mappings are nested more than 10 deep)" in refused(tmp_path, text, capsys)


@pytest.mark.parametrize("number", ["9" * 400, "-" + "9" * 400, "1" * 4301, "0x" + "f" * 5000])
def test_a_number_too_long_to_be_read_is_refused(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], number: str
) -> None:
    err = refused(tmp_path, GOOD.replace("people_affected: 4200", f"people_affected: {number}"), capsys, "--json")
    assert f"a number written with {len(number):,} characters is too long" in err


def test_a_negative_count_is_below_the_smallest_allowed(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    err = refused(tmp_path, GOOD.replace("people_affected: 4200", "people_affected: -5"), capsys)
    assert "(people_affected): -5 is below the smallest allowed, 0" in err


@pytest.mark.parametrize("number", [10**400, -(10**400), 10**13, 2.5e300])
def test_huge_numbers_from_code_get_a_message_not_an_overflow(kb: KnowledgeBase, number: float) -> None:
    # The app and stored drafts reach check_answers without YAML: formatting 10**400 with :g overflowed.
    checked = check_answers(kb.questionnaire, {"people_affected": number}, complete=False)
    assert "people_affected" not in checked.answers
    assert any("is too large to be right (at most 1,000,000,000,000)" in str(problem) for problem in checked.problems)


@pytest.mark.parametrize(
    ("answer", "shown"),
    [(".inf", ".inf"), ("-.inf", "-.inf"), (".nan", ".nan"), ("1.0e+400", ".inf")],
)
def test_infinity_and_not_a_number_are_refused_as_numbers(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], answer: str, shown: str
) -> None:
    # .inf used to be accepted and written as Infinity (not JSON), or to crash --docx.
    out = tmp_path / "record.docx"
    err = refused(
        tmp_path, GOOD.replace("people_affected: 4200", f"people_affected: {answer}"), capsys, "--docx", str(out)
    )
    assert f"'answers.people_affected' is {shown}, which is not a number a plan can use" in err
    assert not out.exists()


def test_infinity_in_an_answer_that_is_not_used_is_refused_too(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # A hidden answer is never scored, but it stays in the plan, and the plan goes into the JSON and the record.
    text = GOOD.replace("change_type: [reduction, channel_shift]", "change_type: [reduction]")
    err = refused(tmp_path, text.replace("digital_only: true", "digital_only: .inf"), capsys, "--json")
    assert "'answers.digital_only' is .inf" in err


def test_not_a_number_for_a_text_answer_is_not_stored_as_nan(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    text = GOOD.replace(WARDS, "wards: .nan")
    assert "'answers.wards' is .nan" in refused(tmp_path, text, capsys)
    with pytest.raises(PlanError):
        parse_plan(text)


def test_a_lone_surrogate_escape_is_refused(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    # With --json this was a UnicodeEncodeError; libyaml refuses the escape, the pure-Python reader lets the
    # Plan model refuse it. Either way: exit 2 and a sentence.
    err = refused(tmp_path, GOOD.replace(WARDS, 'wards: "\\ud800 Caia Park"'), capsys, "--json")
    assert "invalid Unicode character escape" in err or "U+D800 (a lone surrogate)" in err


def test_a_lone_surrogate_in_uploaded_text_is_refused() -> None:
    # The app hands parse_plan text it decoded; a surrogate there must not reach the JSON writer.
    with pytest.raises(PlanError, match=r"U\+DC80 \(a lone surrogate\)"):
        parse_plan(GOOD.replace("Head of Libraries", "Head of \udc80Libraries"))


def test_the_plan_model_holds_only_what_json_and_word_can_carry() -> None:
    base = {"title": "A plan", "service": "Housing", "owner": "Head of Housing"}
    for answers, message in [
        ({"people_affected": math.inf}, "'answers.people_affected' is .inf"),
        ({"review": dt.date(2026, 1, 1)}, "'answers.review' holds a date"),
        ({"x": b"\xff"}, "holds binary data"),
        ({"x": {1: "a"}}, "has the key 1; keys are text"),
    ]:
        with pytest.raises(ValidationError, match=re.escape(message)):
            Plan.model_validate(base | {"answers": answers})
    with pytest.raises(ValidationError, match="string_unicode"):
        Plan.model_validate(base | {"title": "\ud800"})
    # A surrogate in an answer is the plan reader's to refuse; the Word writer strips one from a plan built in code.
    assert Plan.model_validate(base | {"answers": {"wards": ["Caia", "\ud800"]}}).answers["wards"][1] == "\ud800"


def test_answers_nested_thousands_deep_in_code_are_refused_without_recursion() -> None:
    deep: list[object] = []
    for _ in range(5_000):
        deep = [deep]
    with pytest.raises(ValidationError, match="is nested more than 8 deep"):
        Plan(title="A plan", service="Housing", owner="Head of Housing", answers={"wards": deep})


def test_a_required_many_of_answered_with_nothing_needs_an_answer(
    kb: KnowledgeBase, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    text = GOOD.replace("evidence_used: [service_data]", "evidence_used: []")
    err = refused(tmp_path, text, capsys)
    assert '"What evidence have you used?" (evidence_used) needs an answer: choose at least one of its options' in err
    # A draft in the app is not complete yet: [] is simply not an answer, and not a problem.
    draft = check_answers(kb.questionnaire, {"evidence_used": []}, complete=False)
    assert "evidence_used" not in draft.answers and not draft.problems


def test_an_optional_many_of_may_still_be_answered_with_nothing(kb: KnowledgeBase) -> None:
    question = next(q for q in kb.questionnaire.questions if q.type == "many_of" and not q.required and not q.show_if)
    checked = check_answers(kb.questionnaire, {question.id: []}, complete=False)
    assert checked.answers[question.id] == [] and not checked.problems


def test_duplicate_keys_are_refused_not_last_wins(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    lines = GOOD.splitlines()
    line = lines.index("  mixing: neutral") + 1
    err = refused(tmp_path, GOOD.replace("  mixing: neutral", "  mixing: neutral\n  mixing: brings_together"), capsys)
    assert f"is not valid YAML (line {line + 1}: duplicate key 'mixing' (first given on line {line}))" in err


ALIAS_BOMB = (
    'lol: &a ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]\n'
    + "".join(f"l{n}: &{chr(98 + n)} [{', '.join([f'*{chr(97 + n)}'] * 9)}]\n" for n in range(8))
    + "title: A plan\nservice: Housing\nowner: Head of Housing\nanswers:\n  mixing: *i\n"
)


def test_an_alias_bomb_is_refused_in_milliseconds(tmp_path: Path) -> None:
    # 1.7 KB that expands to 9**9 strings: it took 32 s and 418 MB before _shown() refused it.
    assert len(ALIAS_BOMB) < 2_000
    path = write(tmp_path, ALIAS_BOMB)

    def read() -> None:
        with pytest.raises(PlanError, match="holds more than 10,000 values"):
            read_plan(path)

    bounded(read, seconds=0.5, megabytes=5)


def test_a_shared_list_of_lists_from_code_is_shown_without_being_built(kb: KnowledgeBase) -> None:
    bomb: object = "lol"
    for _ in range(9):
        bomb = [bomb] * 9
    result: list[CheckedAnswers] = []
    bounded(lambda: result.append(check_answers(kb.questionnaire, {"mixing": bomb}, complete=False)), megabytes=5)
    (problem,) = map(str, result[0].problems)
    assert "(mixing): [[[...], [...], [...], ...], [[..." in problem and "is not one of its options" in problem


def test_150_000_unknown_ids_are_refused_fast(tmp_path: Path, kb: KnowledgeBase) -> None:
    # 7.7 s before: the file is refused by its size in values, and code that passes them gets 21 lines.
    many = "".join(f"  q{number}: 1\n" for number in range(150_000))
    path = write(tmp_path, GOOD.replace("answers:\n", "answers:\n" + many))
    bounded(lambda: pytest.raises(PlanError, read_plan, path), megabytes=60)
    answers = {f"q{number}": 1 for number in range(150_000)}
    checked: list[CheckedAnswers] = []
    bounded(lambda: checked.append(check_answers(kb.questionnaire, answers, complete=False)), megabytes=60)
    assert len(checked[0].problems) == 21
    assert str(checked[0].problems[-1]) == "and 149,980 more answers to questions the questionnaire does not have"


def test_a_long_list_of_problems_is_cut_short() -> None:
    error = PlanError("plan.yaml", [f"problem {number}" for number in range(100)])
    assert str(error).count("\n  - ") == 21
    assert str(error).endswith("  - and 80 more problems")


def test_a_folder_or_a_pipe_is_not_read_forever(tmp_path: Path) -> None:
    with pytest.raises(PlanError, match="is a folder, not a plan file"):
        read_plan(tmp_path)
    if Path("/dev/zero").exists():
        bounded(lambda: pytest.raises(PlanError, read_plan, Path("/dev/zero")), megabytes=10)


def test_an_example_plan_still_reads_and_scores(kb: KnowledgeBase) -> None:
    plan = read_plan(EXAMPLES / "library-opening-hours.yaml")
    assert plan.answers["people_affected"] == 4200
    assert usable_answers(kb.questionnaire, plan).answers["change_type"] == ["reduction", "channel_shift"]


def test_without_libyaml_the_same_plans_are_refused(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # The pure-Python reader accepts a surrogate escape that libyaml refuses: the Plan model catches it.
    monkeypatch.setattr(yamlsource, "PLAIN_LOADERS", [yamlsource._PlainLoader])
    err = refused(tmp_path, GOOD.replace("owner: Head of Libraries", 'owner: "Head of \\ud800Libraries"'), capsys)
    assert "'owner' holds the character U+D800 (a lone surrogate), which is not text; remove it" in err
    err = refused(tmp_path, GOOD.replace(WARDS, 'wards: "\\udfff Caia Park"'), capsys, "--json")
    assert "'answers.wards' holds the character U+DFFF (a lone surrogate)" in err
    assert "duplicate key 'mixing'" in refused(tmp_path, GOOD + "  mixing: apart\n", capsys)


def test_a_problem_reads_as_words_on_a_page_and_names_the_id_for_a_plan_file(kb: KnowledgeBase) -> None:
    (problem,) = [p for p in check_answers(kb.questionnaire, {}).problems if p.question == "reach"]
    assert problem.sentence == '"Who does the plan reach?" needs an answer'
    assert str(problem) == '"Who does the plan reach?" (reach) needs an answer'


def dated(kb: KnowledgeBase) -> Questionnaire:
    """A questionnaire of one date question (the project's asks none since the review date is asked once, as months)."""
    question = Question(id="review_on", text="On what date will the plan be reviewed?", type="date")
    section = Section(id="review", title="Review", questions=[question])
    return Questionnaire(title="Dated", intro="A date.", roles=kb.questionnaire.roles, sections=[section])


def test_a_date_answer_is_a_real_date_kept_as_iso_text(kb: KnowledgeBase) -> None:
    questionnaire = dated(kb)
    answers = {"review_on": "2027-06-30"}
    assert check_answers(questionnaire, answers, complete=False).answers["review_on"] == "2027-06-30"
    (problem,) = check_answers(questionnaire, {"review_on": "end of next term"}, complete=False).problems
    assert problem.question == "review_on" and "a date written YYYY-MM-DD" in problem.sentence
    plan = parse_plan("title: T\nservice: S\nowner: O\nanswers:\n  review_on: 2027-06-30\n")
    assert check_answers(questionnaire, plan.answers, complete=False).answers["review_on"] == "2027-06-30"


def test_the_review_date_is_asked_once_and_a_plan_that_answered_the_old_date_still_loads(kb: KnowledgeBase) -> None:
    """Issue 22: the review was asked as months and as a date; months stays, and the date's answers still load."""
    reviews = [q.id for q in kb.questionnaire.questions if "review" in q.id]
    assert reviews == ["review_months"] and kb.questionnaire.roles.review_date is None
    old = read_plan(EXAMPLES / "school-eal-support.yaml")
    answers = {key: value for key, value in old.answers.items() if key != "review_months"}
    checked = usable_answers(
        kb.questionnaire, Plan(**old.model_dump() | {"answers": answers | {"review_date": "2027-06-30"}})
    )
    assert "review_date" not in checked.answers
    assert any(
        "review_date ('2027-06-30'), a question the questionnaire no longer asks, was not used" in w
        and '"In how many months will the plan be reviewed?" (review_months) asks it now' in w
        for w in checked.warnings
    )
    both = usable_answers(
        kb.questionnaire, Plan(**old.model_dump() | {"answers": old.answers | {"review_date": "2027-06-30"}})
    )
    assert both.answers["review_months"] == old.answers["review_months"]
    assert any("was not used: the plan answers" in warning for warning in both.warnings)


def test_an_answer_to_a_replaced_question_that_fits_is_read_as_the_new_ones(kb: KnowledgeBase) -> None:
    questionnaire = dated(kb)
    renamed = questionnaire.sections[0].questions[0].model_copy(update={"replaces": ["review_date"]})
    questionnaire = questionnaire.model_copy(
        update={"sections": [questionnaire.sections[0].model_copy(update={"questions": [renamed]})]}
    )
    checked = check_answers(questionnaire, {"review_date": "2027-06-30"}, complete=False)
    assert checked.answers == {"review_on": "2027-06-30"} and not checked.problems
    assert checked.warnings == [
        "The answer to review_date ('2027-06-30'), a question the questionnaire no longer asks, is read as the "
        'answer to "On what date will the plan be reviewed?" (review_on), which asks it now.'
    ]


def test_a_question_cannot_replace_one_the_questionnaire_still_asks(rules_copy: Path) -> None:
    questionnaire = rules_copy / "questionnaire.yaml"
    text = questionnaire.read_text(encoding="utf-8")
    questionnaire.write_text(text.replace("replaces: [review_date]", "replaces: [monitoring_plan]"), "utf-8")
    with pytest.raises(RuleBaseError) as refused:
        load_knowledge(rules_copy)
    assert "question review_months replaces monitoring_plan, which the questionnaire still asks" in str(refused.value)


def test_an_answer_of_an_earlier_questionnaire_reads_as_the_option_that_replaced_it(kb: KnowledgeBase) -> None:
    """community_languages was yes/no: a plan or saved assessment from then still means what it said."""
    question = kb.questionnaire.question("community_languages")
    assert question is not None
    shown = {"limited_english_users": True}
    for earlier, now in ((True, "translated"), (False, "none")):
        checked = check_answers(kb.questionnaire, {**shown, "community_languages": earlier}, complete=False)
        assert checked.answers["community_languages"] == now
        assert not checked.problems
    wrong = check_answers(kb.questionnaire, {**shown, "community_languages": 1}, complete=False)
    assert wrong.problems  # 1 is not true: only the earlier answer itself is read
