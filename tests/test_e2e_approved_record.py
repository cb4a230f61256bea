"""End to end in real headless Chromium, signed in: an approved record says so, and never changes after approval.

A service manager and an approver sign in through a real OpenID Connect provider (tests/test_e2e_signin.py's),
on the real app. The manager exports the draft (its file name says draft) and submits it for approval in the
Register; the approver signs it off there, acknowledging each undecided mitigation and open high-severity gap the
form lists, and exports the record: page 1 (as LibreOffice lays it out) states "Approved", the decision taken,
the approver and the date; the file name carries the version and the status; it verifies. Then the approver reopens
it as a new draft and exports the approved version again: the same text, and it verifies. This holds whether
reopening makes a copy or a new draft version of the same assessment (the Export page then offers the approved
version beside the draft).
"""

from __future__ import annotations

import io
import re
import subprocess
from pathlib import Path

import docx
import pytest
from playwright.sync_api import Browser, Page, expect

from proofing.access import User
from proofing.cli import main as proofing_main
from proofing.plan import read_plan
from proofing.store import Store
from tests.conftest import libreoffice_convert, tool
from tests.test_e2e_browser import ROOT, settle
from tests.test_e2e_signin import APPROVER, MANAGER, provider, serve, sign_in  # noqa: F401 (provider: a fixture)

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
PLAN = ROOT / "examples" / "day-centre-closure.yaml"
DECISION = "Close the day centre in April, after the transport pilot has run for three months"
CONDITIONS = "Keep the Tuesday lunch club open until the transport pilot is reviewed"


def record_text(data: bytes) -> str:
    """Every text a reader of a Word record sees, in order: the body (tables included) and every header and footer."""
    document = docx.Document(io.BytesIO(data))
    parts = ["".join(t.text or "" for t in p.iter(f"{W}t")) for p in document.element.body.iter(f"{W}p")]
    for section in document.sections:
        for part in (section.header, section.footer):
            parts += [paragraph.text for paragraph in part.paragraphs]
    return "\n".join(parts)


def first_page(path: Path, folder: Path) -> str:
    """The text of page 1 of a Word record as LibreOffice lays it out (through PDF), whitespace folded."""
    pdf = libreoffice_convert(path, folder, "pdf")
    text = subprocess.run(
        [tool("pdftotext"), "-f", "1", "-l", "1", "-layout", str(pdf), "-"], capture_output=True, check=True, text=True
    ).stdout
    return " ".join(text.split())


def signed_in(browser: Browser, url: str, issuer: str, subject: str) -> Page:
    """A person of their own (own cookies, own session), signed in as `subject`."""
    page = browser.new_context(viewport={"width": 1280, "height": 1000}, accept_downloads=True).new_page()
    page.goto(url)
    settle(page)
    sign_in(page, url, issuer, subject)
    return page


def choose_in_register(page: Page, url: str, title: str) -> None:
    """Open the Register, find the assessment by its title and choose its row, as a person would."""
    page.goto(f"{url}/register")
    settle(page)
    search = page.get_by_label("Search by title, service or owner")
    search.fill(title)
    search.press("Enter")
    settle(page)
    grid = page.get_by_test_id("stDataFrame")
    expect(grid).to_be_visible()
    box = grid.bounding_box()
    assert box is not None
    page.mouse.click(box["x"] + 16, box["y"] + 36 + 17)  # the first row's selection box
    settle(page)


def download_record(page: Page, url: str, assessment_id: str, folder: Path, version_words: str | None = None) -> Path:
    """Export the Word record of the assessment (of the version `version_words` names, in the choice the page must
    then offer) and save it under the name the app gave it; returns the saved file."""
    page.goto(f"{url}/export?assessment={assessment_id}")
    settle(page)
    if version_words is not None:  # waited for: counting at once found no choice on a page still being drawn
        choice = page.get_by_test_id("stRadio").filter(has_text="Which version to export")
        expect(choice).to_be_visible()
        choice.get_by_text(version_words).click()
        settle(page)
    page.get_by_role("button", name="Prepare the Word record").click()
    settle(page)
    with page.expect_download() as download:
        page.get_by_role("button", name="Download the Word record (.docx)").click()
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / download.value.suggested_filename
    download.value.save_as(target)
    return target


def test_an_approved_record_says_so_on_page_one_and_never_changes_after_approval(
    provider: str,  # noqa: F811
    browser: Browser,
    tmp_path: Path,
) -> None:
    database = f"sqlite:///{tmp_path / 'app.db'}"
    manager_user = User(subject=MANAGER["sub"], name=MANAGER["name"], roles=frozenset({"service_manager"}))
    plan = read_plan(PLAN)
    assessment_id = Store(database).acting(manager_user).create(plan)
    with serve(tmp_path / "app", "127.0.0.1", provider, ROOT / "app.py", {"PROOFING_DB_URL": database}) as server:
        url = server.url
        # The manager exports the draft: the page says which version and status; the file name says draft.
        manager = signed_in(browser, url, provider, MANAGER["sub"])
        draft = download_record(manager, url, assessment_id, tmp_path / "draft")
        expect(manager.get_by_text("You are exporting version 1, a draft that has not been approved")).to_be_visible()
        assert draft.name == "close-the-pen-y-bryn-day-centre-and-move-to-community-based-v1-draft.docx", draft.name
        assert "DRAFT: not approved · version 1" in record_text(draft.read_bytes())  # on every page's header
        # ... and submits it for approval in the Register.
        choose_in_register(manager, url, plan.title)
        manager.get_by_role("button", name="Submit for approval").click()
        settle(manager)
        expect(manager.get_by_text("Version 1 was submitted for approval by")).to_be_visible()

        # The approver signs it off: the form lists each open item to acknowledge, and refuses until each is.
        approver = signed_in(browser, url, provider, APPROVER["sub"])
        choose_in_register(approver, url, plan.title)
        form = approver.get_by_test_id("stForm")
        expect(form.get_by_text("To approve, acknowledge each open item")).to_be_visible()
        boxes = form.get_by_test_id("stCheckbox")
        expect(boxes.filter(has_text="Open high-severity gap")).to_have_count(1)
        expect(boxes.filter(has_text="Undecided mitigation for finding 1")).not_to_have_count(0)
        count = boxes.count()
        assert count >= 10  # the example leaves most mitigations undecided
        form.get_by_label("The decision taken (may differ from the tool's advice)").fill(DECISION)
        form.get_by_label("Reasons").fill("The transport pilot answers the main concern raised in consultation")
        form.get_by_label("Conditions (if any)").fill(CONDITIONS)
        form.get_by_role("spinbutton", name="day, Review date").click()
        approver.keyboard.type("30062027")  # day, month, year: a date picker, never free text
        approver.keyboard.press("Escape")
        for index in range(count - 1):  # all but one: refused, nothing recorded
            boxes.nth(index).locator("label").click()
        form.get_by_role("button", name="Record the sign-off").click()
        settle(approver)
        expect(approver.get_by_text("Not recorded: tick each open item listed above")).to_be_visible()
        assert Store(database).approval(assessment_id).outcome == "submitted"
        boxes.nth(count - 1).locator("label").click()
        form.get_by_role("button", name="Record the sign-off").click()
        settle(approver)
        expect(approver.get_by_text("Version 1 was approved by Head of Libraries")).to_be_visible()
        approval = Store(database).approval(assessment_id)
        assert approval is not None and approval.outcome == "approved" and len(approval.acknowledged) == count

        # The approver exports the final record: its name, its page 1, and it verifies.
        final = download_record(approver, url, assessment_id, tmp_path / "final")
        expect(approver.get_by_text("You are exporting version 1, approved on")).to_be_visible()
        assert final.name == "close-the-pen-y-bryn-day-centre-and-move-to-community-based-v1-approved.docx", final.name
        assert proofing_main(["verify", str(final)]) == 0
        page_one = first_page(final, tmp_path / "pdf")
        decided = approval.decided_at
        assert decided is not None
        day = f"{decided.day} {decided:%B %Y}"
        assert "Approved by Head of Libraries" in page_one and day in page_one, page_one
        assert "Decision taken: " + DECISION in page_one, page_one
        assert "Conditions: " + CONDITIONS in page_one and "30 June 2027" in page_one, page_one
        assert "Decision asked for" not in page_one and "DRAFT" not in page_one
        assert re.search(r"Acknowledged at approval: \d+ undecided mitigations and 1 open high-severity gap", page_one)
        text = record_text(final.read_bytes())
        assert "When approving, Head of Libraries" in text  # each acknowledged item is listed under Sign-off

        # Reopened as a new draft, the approved version exports again as the same record, and verifies.
        choose_in_register(approver, url, plan.title)
        approver.get_by_role("button", name="Reopen as a new draft").click()
        settle(approver)
        again = download_record(approver, url, assessment_id, tmp_path / "again", "Version 1: Approved")
        assert again.name == final.name
        assert record_text(again.read_bytes()) == text
        assert proofing_main(["verify", str(again)]) == 0
        assert "Traceback" not in server.output()
        for page in (manager, approver):
            page.context.close()


@pytest.fixture(autouse=True)
def _no_signing_key(monkeypatch: pytest.MonkeyPatch) -> None:
    """The records here are unsigned (the signed export has its own test), whatever the environment holds."""
    monkeypatch.delenv("PROOFING_SIGNING_KEY", raising=False)
