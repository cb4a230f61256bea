"""A reminder's link in real headless Chromium (issue 23): ``/actions?action=ID`` and ``/reviews?assessment=ID``, typed
as an e-mail's link opens them, open that action and that review, not merely the page."""

from __future__ import annotations

import re
from pathlib import Path

from playwright.sync_api import Browser, expect

from proofing.store import Store
from proofing.store.followup import FollowUp
from tests.test_app_followup_links import approved
from tests.test_e2e_browser import settle, start_app


def test_a_reminders_links_open_the_action_and_the_review(browser: Browser, tmp_path: Path) -> None:
    database = f"sqlite:///{tmp_path / 'links.db'}"
    approved(database, 10, "Branch library hours")
    second = approved(database, 20, "Mobile library stops")
    [action] = FollowUp(Store(database)).actions(assessment_id=second)
    with start_app(database) as url:
        context = browser.new_context(viewport={"width": 1400, "height": 900})
        page = context.new_page()
        page.goto(f"{url}/actions?action={action.id}")
        settle(page)
        expect(page.get_by_text("Opened from a reminder:")).to_be_visible()
        expect(page.get_by_role("combobox", name="Action")).to_have_value(re.compile("^Mobile library stops: "))
        page.screenshot(path=str(tmp_path / "actions-linked.png"), full_page=True)

        page.goto(f"{url}/reviews?assessment={second}")
        settle(page)
        expect(page.get_by_text("Opened from a reminder: the review of Mobile library stops")).to_be_visible()
        expect(page.get_by_role("combobox", name="Plan")).to_have_value("Mobile library stops")
        page.screenshot(path=str(tmp_path / "reviews-linked.png"), full_page=True)
        context.close()
