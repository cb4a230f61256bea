"""A questionnaire without traps (issue 22): "answers still needed" never rises for answering; follow-ups are marked,
counted for their step and may be marked not applicable; a gap left by a follow-up names its question; labels are
read as written; no "Select all" beside "None of these".
"""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from markdown_it import MarkdownIt

from proofing.assessment import assess
from proofing.knowledge import KnowledgeBase, load_knowledge
from proofing.label_text import label
from proofing.language import localised
from proofing.plan import Plan, check_answers, read_plan
from proofing.questionnaire import Question, Questionnaire, Section
from proofing.review_date import add_months, review_default
from proofing.steps import (
    completed_sections,
    follow_ups,
    may_be_not_applicable,
    needed_count,
    step_of,
    still_needed,
)
from proofing.store import Store
from tests.test_app import choose_row, database, page, signed_in, widget  # noqa: F401  (database: a fixture)

EXAMPLES = sorted((Path(__file__).resolve().parent.parent / "examples").glob("*.yaml"))


def largest_example() -> Plan:
    """The example that answers the most questions."""
    return max((read_plan(path) for path in EXAMPLES), key=lambda plan: len(plan.answers))


def counts_answering(kb: KnowledgeBase, answers: dict[str, Any], order: list[str]) -> tuple[list[int], list[int]]:
    """Answer the questions one by one in `order`: the count still needed after each, and the old count (the
    required questions shown and not answered) beside it."""
    given: dict[str, Any] = {}
    counts = [len(still_needed(kb.questionnaire, given))]
    shown_only = [len(check_answers(kb.questionnaire, given).problems)]
    for question_id in order:
        given[question_id] = answers[question_id]
        counts.append(len(still_needed(kb.questionnaire, given)))
        shown_only.append(len(check_answers(kb.questionnaire, given).problems))
    return counts, shown_only


def test_answers_still_needed_never_rise_answering_the_largest_example_in_order(kb: KnowledgeBase) -> None:
    plan = largest_example()
    order = [question.id for question in kb.questionnaire.questions if question.id in plan.answers]
    counts, shown_only = counts_answering(kb, plan.answers, order)
    assert all(later <= earlier for earlier, later in zip(counts, counts[1:], strict=False)), counts
    assert counts[-1] == 0 and counts[0] > counts[-1]
    # The trap it replaces: counting only the required questions shown rises when an answer reveals a follow-up.
    assert any(later > earlier for earlier, later in zip(shown_only, shown_only[1:], strict=False)), shown_only


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda path: path.stem)
def test_answers_still_needed_never_rise_for_any_example_in_either_order(kb: KnowledgeBase, path: Path) -> None:
    plan = read_plan(path)
    order = [question.id for question in kb.questionnaire.questions if question.id in plan.answers]
    for sequence in (order, order[::-1]):
        counts, _ = counts_answering(kb, plan.answers, sequence)
        assert all(later <= earlier for earlier, later in zip(counts, counts[1:], strict=False)), (sequence, counts)
        assert counts[-1] == 0


def test_the_count_is_the_required_questions_left_and_those_an_open_answer_may_ask(kb: KnowledgeBase) -> None:
    plan = largest_example()
    # Left unanswered, a question with no required follow-up is the one answer still needed.
    answers = {key: value for key, value in plan.answers.items() if key != "monitoring_plan"}
    problems = check_answers(kb.questionnaire, answers).problems
    assert [problem.question for problem in problems] == ["monitoring_plan"]
    assert needed_count(kb.questionnaire, answers, problems) == 1
    # Left unanswered, "what kind of change" may yet ask about a channel shift: those questions count until it is.
    answers = {key: value for key, value in plan.answers.items() if key != "change_type"}
    needed = still_needed(kb.questionnaire, answers)
    assert needed[0] == "change_type" and {"digital_only", "channel_to", "charge_change"} <= set(needed)
    assert still_needed(kb.questionnaire, plan.answers) == []
    # A staff-only plan rules out the public questions: they drop out of the count as soon as it is answered.
    before = still_needed(kb.questionnaire, {})
    after = still_needed(kb.questionnaire, {"reach": "staff_only"})
    assert "welsh_provision" in before and "welsh_provision" not in after and len(after) < len(before)


def test_a_wrong_answer_counts_as_still_needed(kb: KnowledgeBase) -> None:
    answers = {"reach": "the whole town"}
    problems = check_answers(kb.questionnaire, answers).problems
    assert needed_count(kb.questionnaire, answers, problems) == len(still_needed(kb.questionnaire, answers))
    assert "reach" in still_needed(kb.questionnaire, answers)


def test_follow_ups_name_the_answer_that_shows_them(kb: KnowledgeBase) -> None:
    answers = {"reach": "public", "monitoring_plan": True, "engagement_done": "done", "change_type": ["reduction"]}
    found = follow_ups(kb.questionnaire, answers)
    assert found["monitoring_by_group"] == ["monitoring_plan"]
    assert found["review_months"] == ["monitoring_plan"]
    assert found["engagement_results"] == ["engagement_done"]
    assert found["reduction_percent"] == ["change_type"]
    # A question shown unless an answer hides it (public questions, until the plan is for staff only) follows
    # nothing; nor does a question with no condition.
    assert "tension_potential" not in found and "monitoring_plan" not in found
    assert "monitoring_by_group" not in follow_ups(kb.questionnaire, {"monitoring_plan": False})


def test_a_step_is_complete_only_when_its_follow_ups_are_answered_or_not_applicable(kb: KnowledgeBase) -> None:
    plan = largest_example()
    answers = {key: value for key, value in plan.answers.items() if not key.startswith(("review_", "monitoring_b"))}
    answers["monitoring_plan"] = True
    assert "monitoring" not in completed_sections(kb.questionnaire, answers)[1]
    answered = answers | {"monitoring_by_group": True, "review_months": 12}
    assert "monitoring" in completed_sections(kb.questionnaire, answered)[1]
    not_applicable = answers | {"monitoring_by_group": None, "review_months": None}
    assert may_be_not_applicable(kb.questionnaire.question("review_months"))  # type: ignore[arg-type]
    assert "monitoring" in completed_sections(kb.questionnaire, not_applicable)[1]
    # Not applicable is never an answer that is scored, nor one a plan file is refused for.
    checked = check_answers(kb.questionnaire, not_applicable)
    assert "review_months" not in checked.answers and not checked.warnings
    # A required question is not settled by "not applicable"; nor is a follow-up whose silence is a gap.
    assert not may_be_not_applicable(kb.questionnaire.question("monitoring_plan"))  # type: ignore[arg-type]
    assert not may_be_not_applicable(kb.questionnaire.question("communications_plan"))  # type: ignore[arg-type]
    media = {key: value for key, value in plan.answers.items() if key != "communications_plan"}
    media["media_interest"] = "high"
    assert follow_ups(kb.questionnaire, media)["communications_plan"]
    tension = step_of(kb.questionnaire, "communications_plan")
    assert tension is not None
    assert tension.id not in completed_sections(kb.questionnaire, media | {"communications_plan": None})[1]


def test_a_gap_from_an_unanswered_follow_up_names_its_question_and_step(kb: KnowledgeBase) -> None:
    plan = largest_example()
    answers = {key: value for key, value in plan.answers.items() if key != "communications_plan"}
    answers["media_interest"] = "high"
    gap = next(gap for gap in assess(kb, Plan(**plan.model_dump() | {"answers": answers})).gaps if gap.question)
    assert gap.question == "communications_plan"
    section = step_of(kb.questionnaire, gap.question)
    assert section is not None and section.id == "tension"


def test_question_labels_are_their_own_words_and_markdown_stays_inert(kb: KnowledgeBase) -> None:
    for rules in (kb, localised(kb, "cy").kb):
        for question in rules.questionnaire.questions:
            assert label(question.text) == question.text, question.id
    markdown = MarkdownIt("commonmark").enable("strikethrough")
    hostiles = ("*bold* _it_ ~~gone~~ `code`", "[a link](http://host/x)", "![p](x.png) :red[shout] :smile:", "$x^2$")
    for hostile in hostiles:
        shown = markdown.renderInline(label(hostile)).replace("\u2060", "")
        assert shown == hostile.replace("&", "&amp;"), shown
    for line_start in ("1. first", "- item", "# heading", "> quote", "+ plus"):
        assert markdown.render(label(line_start)).strip() == f"<p>{line_start.replace('>', '&gt;')}</p>"


def test_no_select_all_beside_none_of_these(kb: KnowledgeBase) -> None:
    many_of = [question for question in kb.questionnaire.questions if question.type == "many_of"]
    with_none = [question for question in many_of if any(option.id == "none" for option in question.options)]
    assert with_none and all(question.excludes_others() for question in with_none)
    change = kb.questionnaire.question("change_type")
    assert change is not None and not change.excludes_others()


def test_the_page_marks_a_follow_up_and_keeps_not_applicable(database: str) -> None:  # noqa: F811
    store = Store(database)
    plan = largest_example()
    answers = {key: value for key, value in plan.answers.items() if key not in {"review_months", "monitoring_by_group"}}
    assessment_id = store.create(Plan(**plan.model_dump() | {"answers": answers}))
    at = page("assess.py", assessment=assessment_id, step="monitoring")
    assert not at.exception
    marker = [caption.value for caption in at.caption if caption.value.startswith("Follow-up to:")]
    assert "Follow-up to: Is there a plan to monitor the effect on different groups after the change\\?" in marker
    step_list = at.sidebar.radio[-1]
    assert not step_list.format_func("monitoring").startswith("✓")  # follow-ups unanswered: not complete
    widget(at, "na_review_months").check().run()
    widget(at, "na_monitoring_by_group").check().run()
    assert not at.exception
    latest = store.latest(assessment_id)
    assert latest is not None and latest.plan.answers["review_months"] is None
    assert at.sidebar.radio[-1].format_func("monitoring").startswith("✓")
    again = page("assess.py", assessment=assessment_id, step="monitoring")  # a new session brings it back
    assert widget(again, "na_review_months").value is True
    assert widget(again, "q_review_months").disabled


def test_the_review_is_asked_once_and_the_sign_off_starts_from_it(kb: KnowledgeBase) -> None:
    answers = {key: value for key, value in largest_example().answers.items() if key != "review_months"}
    decided = date(2026, 12, 5)
    with_months = answers | {"monitoring_plan": True, "review_months": 6}
    assert review_default(kb.questionnaire, with_months, decided) == date(2027, 6, 5)
    assert review_default(kb.questionnaire, answers | {"monitoring_plan": True}, decided) is None
    # Months given while the monitoring question hides them (no monitoring plan) are not a review the plan sets.
    assert review_default(kb.questionnaire, with_months | {"monitoring_plan": False}, decided) is None
    # A council whose questionnaire asks a date instead gives that date.
    dated = Question(id="review_on", text="On what date will the plan be reviewed?", type="date")
    roles = kb.questionnaire.roles.model_copy(update={"review_date": "review_on"})
    council = Questionnaire(title="T", intro="I", roles=roles, sections=[Section(id="s", title="S", questions=[dated])])
    assert review_default(council, {"review_on": "2027-03-31"}, decided) == date(2027, 3, 31)


def test_the_approver_s_form_starts_from_the_plan_s_review(
    database: str,  # noqa: F811
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    store = Store(database)
    manager = signed_in(monkeypatch, "service_manager", subject="subject-of-a-manager")
    plan = read_plan(EXAMPLES[0].parent / "translation-contract.yaml")
    answers = plan.answers | {"monitoring_plan": True, "review_months": 9}
    assessment_id = store.acting(manager).create(Plan(**plan.model_dump() | {"answers": answers}))
    store.acting(manager).submit(assessment_id, expected_version=1)
    signed_in(monkeypatch, "approver")
    at = page("register.py")
    choose_row(at, 0)
    assert not at.exception
    assert at.date_input[-1].value == add_months(date.today(), 9)
    at.text_area[0].input("Go ahead")
    at.text_area[1].input("The mitigations answer the risks found")
    for box in at.main.checkbox:  # each open item acknowledged at sign-off
        box.check()
    at.button[-1].click().run()
    assert not at.exception
    approval = store.approval(assessment_id)
    assert approval is not None and approval.review_date == add_months(date.today(), 9)


def test_the_page_s_count_falls_as_a_channel_shift_reveals_its_questions(database: str) -> None:  # noqa: F811
    store = Store(database)
    assessment_id = store.create(Plan(title="Move the cash office online", service="Revenues", owner="Revenues lead"))
    at = page("assess.py", assessment=assessment_id, step="plan")

    def still_needed_on_the_page() -> int:
        shown = " ".join(block.value for block in at.markdown if "answers still needed" in block.value)
        found = re.search(r"(\d+) answers still needed", shown)
        assert found, shown
        return int(found.group(1))

    counts = [still_needed_on_the_page()]
    widget(at, "q_change_type").set_value(["channel_shift"]).run()
    counts.append(still_needed_on_the_page())
    widget(at, "q_reach").set_value("public").run()
    counts.append(still_needed_on_the_page())
    assert not at.exception
    assert counts[0] >= counts[1] >= counts[2] and counts[0] > counts[2], counts
    assert counts[-1] == len(
        still_needed(load_knowledge().questionnaire, {"change_type": ["channel_shift"], "reach": "public"})
    )


def test_an_assessment_saved_with_the_old_review_date_opens_and_saves(database: str) -> None:  # noqa: F811
    store = Store(database)
    plan = largest_example()
    old = plan.model_copy(update={"answers": plan.answers | {"review_date": "2027-06-30"}})
    assessment_id = store.create(old)
    at = page("assess.py", assessment=assessment_id, step="monitoring")
    assert not at.exception
    widget(at, "q_tension_reporting").set_value(None).run()  # a first change that clears an answer
    assert not at.exception and not [e.value for e in at.error]
    latest = store.latest(assessment_id)
    assert latest is not None and latest.version == 2
    assert "tension_reporting" not in latest.plan.answers and "review_date" not in latest.plan.answers
