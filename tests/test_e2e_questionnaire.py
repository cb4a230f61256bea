"""The questionnaire without traps (issue 22) in real headless Chromium: every question of the largest example has
the accessible name a screen reader reads, exactly its words (no backslash); no "Select all" beside "None of
these"; a follow-up is marked, keeps its step from being ticked until it is answered, and the gap it leaves on
the Results page links back to it.
"""

from __future__ import annotations

import re

from playwright.sync_api import Browser, Page, expect

from proofing.knowledge import load_knowledge
from proofing.plan import visible_questions
from proofing.steps import follow_ups, shown_sections, step_of
from proofing.store import Store
from tests.test_e2e_browser import person, server, settle  # noqa: F401  (server: a fixture, used by name)
from tests.test_e2e_training import serious_violations
from tests.test_questionnaire_traps import largest_example

KB = load_knowledge()


def accessible_labels(page: Page) -> list[str]:
    """Every aria-label in the page's main part, and the text of every <label>: what a screen reader names."""
    return list(
        page.get_by_test_id("stMain").evaluate(
            """main => [
                ...Array.from(main.querySelectorAll('[aria-label]'), element => element.getAttribute('aria-label')),
                ...Array.from(main.querySelectorAll('label'), element => element.textContent),
            ]"""
        )
    )


def test_every_question_of_the_largest_example_is_named_as_written(
    server: tuple[str, str],  # noqa: F811
    browser: Browser,
) -> None:
    url, database = server
    plan = largest_example()
    assessment_id = Store(database).create(plan)
    page = person(browser, f"{url}/?assessment={assessment_id}")
    visible = visible_questions(KB.questionnaire, plan.answers)
    named = 0
    for section in shown_sections(KB.questionnaire, plan.answers):
        page.goto(f"{url}/?assessment={assessment_id}&step={section.id}")
        settle(page)
        expect(page.get_by_role("heading", level=2, name=re.compile(re.escape(section.title)))).to_be_visible()
        for question in section.questions:
            if question.id not in visible:
                continue
            name = question.text + (" (required)" if question.required else "")
            expect(page.get_by_label(name, exact=True).first).to_be_attached()
            named += 1
        assert not [label for label in accessible_labels(page) if "\\" in label], section.id
    assert named == len(visible)
    page.context.close()


def test_no_select_all_beside_none_of_these(server: tuple[str, str], browser: Browser) -> None:  # noqa: F811
    url, database = server
    assessment_id = Store(database).create(largest_example())
    page = person(browser, f"{url}/?assessment={assessment_id}")
    for question_id, select_all in (("change_type", True), ("delivers", False)):
        question = KB.questionnaire.question(question_id)
        section = step_of(KB.questionnaire, question_id)
        assert question is not None and section is not None
        assert any(option.id == "none" for option in question.options) is not select_all
        page.goto(f"{url}/?assessment={assessment_id}&step={section.id}")
        settle(page)
        listbox = page.get_by_role("listbox", name=re.compile(re.escape(question.text)))
        for _ in range(3):  # a click while the page still draws can land before the list opens: click again
            page.get_by_role("combobox", name=question.text + " (required)").click()
            settle(page)
            if listbox.get_by_role("option").count():
                break
        expect(listbox.get_by_role("option").first).to_be_visible()
        expect(listbox.get_by_role("option", name="Select all")).to_have_count(1 if select_all else 0)
        page.keyboard.press("Escape")
    page.context.close()


def test_a_follow_up_is_marked_and_its_gap_links_back_to_it(server: tuple[str, str], browser: Browser) -> None:  # noqa: F811
    url, database = server
    plan = largest_example()
    assert "communications_plan" not in plan.answers  # left unanswered: a gap, and a follow-up
    (because,) = follow_ups(KB.questionnaire, plan.answers)["communications_plan"]
    question = KB.questionnaire.question("communications_plan")
    followed = KB.questionnaire.question(because)
    section = step_of(KB.questionnaire, "communications_plan")
    assert question is not None and followed is not None and section is not None
    assessment_id = Store(database).create(plan)
    page = person(browser, f"{url}/results?assessment={assessment_id}")
    back = page.get_by_role("link", name=f"Answer “{question.text}” (step: {section.title})")
    expect(back).to_be_visible()
    assert serious_violations(page) == []
    back.click()
    settle(page)
    assert f"step={section.id}" in page.url
    expect(page.get_by_role("heading", level=2, name=re.compile(re.escape(section.title)))).to_be_visible()
    marker = page.get_by_text(f"Follow-up to: {followed.text}", exact=True)
    expect(marker).to_be_visible()
    steps = page.get_by_test_id("stSidebar").get_by_test_id("stRadio").last
    expect(steps.get_by_text(section.title, exact=True)).to_be_visible()  # not ticked: its follow-up is open
    assert serious_violations(page) == []
    page.get_by_role("radiogroup", name=question.text).get_by_text("Yes", exact=True).click()
    settle(page)
    expect(steps.get_by_text(f"✓ {section.title}", exact=True)).to_be_visible()
    stored = Store(database).latest(assessment_id)
    assert stored is not None and stored.plan.answers["communications_plan"] is True
    page.context.close()


def test_a_follow_up_marked_not_applicable_completes_its_step(server: tuple[str, str], browser: Browser) -> None:  # noqa: F811
    url, database = server
    plan = largest_example()
    answers = {key: value for key, value in plan.answers.items() if key != "review_months"}
    assessment_id = Store(database).create(plan.model_copy(update={"answers": answers}))
    section = step_of(KB.questionnaire, "review_months")
    assert section is not None
    page = person(browser, f"{url}/?assessment={assessment_id}&step={section.id}")
    steps = page.get_by_test_id("stSidebar").get_by_test_id("stRadio").last
    expect(steps.get_by_text(section.title, exact=True)).to_be_visible()
    box = (
        page.get_by_test_id("stVerticalBlock")
        .filter(has=page.get_by_label("In how many months will the plan be reviewed?", exact=True))
        .last
    )
    assert serious_violations(page) == []
    box.get_by_text("Not applicable", exact=True).click()
    settle(page)
    expect(steps.get_by_text(f"✓ {section.title}", exact=True)).to_be_visible()
    expect(page.get_by_label("In how many months will the plan be reviewed?", exact=True)).to_be_disabled()
    stored = Store(database).latest(assessment_id)
    assert (
        stored is not None and "review_months" in stored.plan.answers and stored.plan.answers["review_months"] is None
    )
    page.context.close()
