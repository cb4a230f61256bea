"""Nothing typed is lost, and the Register is never stale (issue 22), in real Chromium.

Text typed into a text area and left at once, with no blur and no Ctrl+Enter, by each way a person leaves (a page in
the sidebar, browser back, a reload, another tab), is there on return, saved in the store as an answer with its audit
entry; and the Register shows a submission at once. The typing is real key presses (Playwright's press_sequentially),
and the leaving follows the last key press with nothing in between, which is the race the issue describes: Streamlit
commits a text area's value only on blur or Ctrl+Enter (views/typed_text.py says how the app keeps it).
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, Locator, Page, expect

from proofing.plan import Plan, read_plan
from proofing.store import Store
from tests.test_e2e_browser import ROOT, go, person, settle, start_app

EVIDENCE = "Describe the evidence in detail"
HELD = "proofing-typed-text"  # where the browser keeps typed text until the server has it (views/typed_text.py)


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, str]]:
    database = f"sqlite:///{tmp_path_factory.mktemp('typed') / 'typed.db'}"
    with start_app(database) as url:
        yield url, database


def opened(browser: Browser, url: str, database: str) -> tuple[Page, Store, str]:
    """A new assessment (an example plan) open on its Evidence step, in a browser of its own."""
    store = Store(database)
    assessment_id = store.create(read_plan(ROOT / "examples" / "library-opening-hours.yaml"))
    page = person(browser, f"{url}/?assessment={assessment_id}&step=evidence")
    expect(evidence(page)).to_be_visible()
    # The keeper starts just after the page is drawn; text typed before it runs and then left at once (a reload in
    # the same instant) has no copy anywhere yet, so a person's typing starts once it runs, as it does by hand.
    page.wait_for_function("() => (window.__proofingTypedText || {}).installed === true")
    return page, store, assessment_id


def evidence(page: Page) -> Locator:
    """The Evidence step's first text area."""
    return page.get_by_role("textbox", name=EVIDENCE)


def type_into(field: Locator, text: str) -> None:
    """Key presses into a text area, as a person types, leaving the focus in it (no blur, no Ctrl+Enter)."""
    field.click()
    field.press_sequentially(text)


def assert_saved(store: Store, assessment_id: str, text: str) -> None:
    """The text is the saved answer, and the save is in the audit trail and the history like any answer."""
    latest = store.latest(assessment_id)
    assert latest is not None and latest.plan.answers.get("evidence_detail") == text
    assert [entry.action for entry in store.audit(assessment_id)].count("answered") >= 1
    changed = [change.key for change in store.history(assessment_id)[0].changes if change.kind == "answer"]
    assert "evidence_detail" in changed


def test_text_typed_then_a_page_in_the_sidebar(server: tuple[str, str], browser: Browser) -> None:
    url, database = server
    page, store, assessment_id = opened(browser, url, database)
    text = "Footfall counts for 2025 by hour, and the library users survey"
    type_into(evidence(page), text)
    page.get_by_test_id("stSidebarNav").get_by_role("link", name="Register", exact=True).click()
    settle(page)
    expect(page.get_by_role("heading", name="Register of assessments")).to_be_visible()
    go(page, "Assess a plan")
    expect(evidence(page)).to_have_value(text)
    assert_saved(store, assessment_id, text)
    page.wait_for_function(f"() => localStorage.getItem({HELD!r}) === '{{}}'")  # saved: no copy left in the browser
    page.context.close()


def test_text_typed_then_browser_back(server: tuple[str, str], browser: Browser) -> None:
    url, database = server
    page, store, assessment_id = opened(browser, url, database)
    go(page, "Register")
    go(page, "Assess a plan")
    text = "Visits by people over 65 fell by a third after the last change of hours"
    type_into(evidence(page), text)
    page.go_back()  # at once: Streamlit shows the address before (opening the assessment's step added one)
    settle(page)
    page.goto(f"{url}/?assessment={assessment_id}&step=evidence")  # and again, as a fresh page: what the store has
    settle(page)
    expect(evidence(page)).to_have_value(text)
    assert_saved(store, assessment_id, text)
    page.context.close()


def test_text_typed_then_reload(server: tuple[str, str], browser: Browser) -> None:
    url, database = server
    page, store, assessment_id = opened(browser, url, database)
    text = "Library management system loans by branch and by age band"
    type_into(evidence(page), text)
    page.reload()
    settle(page)
    expect(evidence(page)).to_have_value(text)
    assert_saved(store, assessment_id, text)
    page.context.close()


def test_text_typed_then_another_tab(server: tuple[str, str], browser: Browser) -> None:
    url, database = server
    page, store, assessment_id = opened(browser, url, database)
    text = "Comments from the Welsh-medium reading group"
    type_into(evidence(page), text)
    other = page.context.new_page()
    other.goto(page.url)
    settle(other)
    expect(evidence(other)).to_have_value(text)
    assert_saved(store, assessment_id, text)
    page.context.close()


def test_text_kept_in_the_browser_never_overwrites_a_newer_save(server: tuple[str, str], browser: Browser) -> None:
    url, database = server
    page, store, assessment_id = opened(browser, url, database)
    theirs = store.latest(assessment_id)
    assert theirs is not None
    answers = theirs.plan.answers | {"evidence_detail": "Their evidence, saved in another browser"}
    store.save(assessment_id, theirs.plan.model_copy(update={"answers": answers}), expected_version=1)
    mine = "Typed here on version 1, then the tab was closed before the server had it"
    held = {"scope": assessment_id, "name": "q_evidence_detail", "text": mine, "digest": "0", "base": "1.0"}
    page.evaluate(  # as the keeper left it: typed on version 1, not yet confirmed by the server
        f"held => localStorage.setItem({HELD!r}, JSON.stringify({{[held.scope + '|' + held.name]: "
        "{...held, at: Date.now()}}))",
        held,
    )
    page.reload()
    settle(page)
    expect(page.get_by_text("Text typed in this browser was not saved")).to_contain_text(mine)
    expect(evidence(page)).to_have_value("Their evidence, saved in another browser")
    latest = store.latest(assessment_id)
    assert latest is not None and latest.plan.answers["evidence_detail"] == "Their evidence, saved in another browser"
    page.context.close()


def test_the_register_shows_a_submission_at_once(server: tuple[str, str], browser: Browser) -> None:
    url, database = server
    store = Store(database)
    title = "Move the mobile library's stops in Rhos and Penycae"
    assessment_id = store.create(Plan(title=title, service="Libraries", owner="Head of Libraries"))
    page = person(browser, f"{url}/register")
    page.get_by_label("Search by title, service or owner").fill(title)
    page.get_by_label("Search by title, service or owner").press("Enter")
    settle(page)
    box = page.get_by_test_id("stDataFrame").bounding_box()
    assert box is not None
    page.mouse.click(box["x"] + 16, box["y"] + 36 + 17)  # the only row's selection box
    settle(page)
    summary = page.get_by_text("Libraries. Owner: Head of Libraries.")
    expect(summary).to_contain_text("Draft, 1 version")
    page.get_by_role("button", name="Submit for approval").click()
    settle(page)
    expect(summary).to_contain_text("Submitted for approval, 1 version")
    expect(page.get_by_text("Version 1 was submitted for approval by")).to_be_visible()
    expect(page.get_by_role("button", name="Submit for approval")).to_have_count(0)
    approval = store.approval(assessment_id)
    assert approval is not None and (approval.outcome, approval.version) == ("submitted", 1)
    page.context.close()
