"""My actions and Reviews in real headless Chromium (issue 23): an approved plan's overdue action marked done with
its evidence, the review due listed with what changed since approval; axe-core finds no serious or critical
violation on either page, wide and narrow; screenshots kept in the test's folder for a person to look at."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest
from playwright.sync_api import Browser, expect

from proofing.store import Store
from proofing.store.followup import FollowUp, today
from tests.test_app_followup import approved
from tests.test_e2e_browser import AXE, settle, start_app


def axe_violations(page) -> list[str]:  # type: ignore[no-untyped-def]
    page.add_style_tag(content="*, *::before, *::after { transition: none !important; animation: none !important; }")
    page.wait_for_timeout(500)
    page.add_script_tag(path=str(AXE))
    return page.evaluate(
        "async () => (await axe.run(document, {resultTypes: ['violations']})).violations"
        ".filter(v => ['serious', 'critical'].includes(v.impact))"
        ".map(v => v.id + ': ' + v.help + ' ' + v.nodes.slice(0, 3).map(n => n.target.join(' ')).join(' | '))"
    )


@pytest.mark.parametrize(("width", "height"), [(1400, 900), (800, 1000)])
def test_my_actions_and_reviews_in_chromium(browser: Browser, tmp_path: Path, width: int, height: int) -> None:
    assert AXE.exists(), "axe-core is missing: run tools/axe.sh (make test does this)"
    database = f"sqlite:///{tmp_path / 'followup.db'}"
    assessment_id = approved(database, 10)
    with start_app(database) as url:
        context = browser.new_context(viewport={"width": width, "height": height})
        page = context.new_page()
        page.goto(url + "/reviews")
        settle(page)
        expect(page.get_by_text("1 review due in the next 30 days or overdue")).to_be_visible()
        expect(page.get_by_text("What changed since approval", exact=True)).to_be_visible()
        assert axe_violations(page) == []
        page.screenshot(path=str(tmp_path / f"reviews-{width}.png"), full_page=True)

        page.goto(url + "/actions")
        settle(page)
        expect(page.get_by_text("1 of these actions is overdue.")).to_be_visible()
        assert axe_violations(page) == []
        page.screenshot(path=str(tmp_path / f"actions-{width}.png"), full_page=True)
        page.get_by_test_id("stRadio").get_by_text("Done", exact=True).click()
        page.get_by_label("What was done (the evidence), when it is done").fill("Interpreting contract signed")
        page.get_by_role("button", name="Save progress").click()
        settle(page)
        expect(page.get_by_text("Progress saved.")).to_be_visible()
        context.close()
    [action] = FollowUp(Store(database)).actions(assessment_id=assessment_id)
    assert (action.status, action.evidence, action.done_on) == ("done", "Interpreting contract signed", today())
    assert FollowUp(Store(database)).reviews(due_within=30)[0].review_date == today() + timedelta(days=10)
