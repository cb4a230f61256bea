"""End to end in real headless Chromium: start the app, fill a plan, see a finding, reload, download, verify;
two people on one assessment in two browsers; a title that is Markdown shown as typed.

Chromium comes from Debian's package (tools/chromium.sh, run by `make test`); Playwright drives it with
executable_path, because Playwright's own browser download cannot work here.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect, sync_playwright

from proofing.cli import main as proofing_main
from proofing.plan import Plan, read_plan
from proofing.store import Store

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
IDLE = "[data-testid='stApp'][data-test-script-state='notRunning']"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, str]]:
    assert Path(CHROMIUM).exists(), "Chromium is missing: run tools/chromium.sh (make test does this)"
    database = f"sqlite:///{tmp_path_factory.mktemp('e2e') / 'e2e.db'}"
    port = free_port()
    environment = os.environ | {"PROOFING_DB_URL": database}
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "streamlit",
            "run",
            str(ROOT / "app.py"),
            "--server.port",
            str(port),
            "--server.headless=true",
            "--server.address=127.0.0.1",
            "--server.fileWatcherType=none",
            "--browser.gatherUsageStats=false",
        ],
        cwd=ROOT,
        env=environment,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                if urllib.request.urlopen(f"{url}/_stcore/health", timeout=2).read() == b"ok":
                    break
            except OSError:
                time.sleep(0.3)
        else:
            pytest.fail("the app did not start within 60 seconds")
        yield url, database
    finally:
        process.terminate()
        process.wait(timeout=20)


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_FLAGS)
        yield launched
        launched.close()


@pytest.fixture(scope="module")
def browser_page(browser: Browser) -> Iterator[Page]:
    page = browser.new_page(viewport={"width": 1280, "height": 1000}, accept_downloads=True)
    yield page
    page.close()


def settle(page: Page) -> None:
    page.wait_for_timeout(300)
    page.wait_for_selector(IDLE, timeout=30_000)


def choose(page: Page, option: str) -> None:
    """Pick an option in the first multiselect of the open tab, as a person would: open it, click it."""
    page.get_by_test_id("stMultiSelect").filter(visible=True).first.click()
    page.keyboard.type(option)  # long lists are virtualised: typing filters them, as a person would
    page.locator("[role=option]").filter(has_text=option).first.click()
    page.keyboard.press("Escape")
    settle(page)


def test_fill_see_reload_download_verify(server: tuple[str, str], browser_page: Page, tmp_path: Path) -> None:
    url, database = server
    page = browser_page
    page.goto(url)
    settle(page)
    page.get_by_label("Title of the plan").fill("Close the Rhos library")
    page.get_by_label("Service").fill("Libraries")
    page.get_by_label("Owner (name or role)").fill("Head of Libraries")
    page.get_by_role("button", name="Start the assessment").click()
    settle(page)
    expect(page.get_by_role("heading", name="Close the Rhos library")).to_be_visible()
    assert "assessment=" in page.url

    choose(page, "A closure")
    page.get_by_role("tab", name="Who uses it and who is affected").click()
    choose(page, "Older people")
    page.get_by_role("tab", name="Results").click()
    expect(page.get_by_text("Closing or cutting a service that older or disabled people rely on").first).to_be_visible()

    page.reload()
    settle(page)
    expect(page.get_by_role("heading", name="Close the Rhos library")).to_be_visible()
    expect(page.get_by_text("A closure").first).to_be_visible()
    page.get_by_role("tab", name="Who uses it and who is affected").click()
    expect(page.get_by_text("Older people").first).to_be_visible()

    # A complete plan (an example, saved as a manager would have) downloads as a record that verifies.
    complete = Store(database).create(read_plan(ROOT / "examples" / "translation-contract.yaml"))
    page.goto(f"{url}/?assessment={complete}")
    settle(page)
    page.get_by_role("tab", name="Export").click()
    page.get_by_role("button", name="Prepare the Word record").click()
    settle(page)
    page.get_by_role("tab", name="Export").click()
    with page.expect_download() as download:
        page.get_by_role("button", name="Download the Word record (.docx)").click()
    target = tmp_path / "record.docx"
    download.value.save_as(target)
    assert proofing_main(["verify", str(target)]) == 0


def person(browser: Browser, address: str) -> Page:
    """A person of their own: a separate browser context (own cookies, own Streamlit session) on `address`."""
    page = browser.new_context(viewport={"width": 1280, "height": 1000}).new_page()
    page.goto(address)
    settle(page)
    return page


def pick(page: Page, question: str, option: str) -> None:
    """Answer a one-of question on the open tab by clicking the option's label, as a person would."""
    page.get_by_test_id("stRadio").filter(has_text=question).get_by_text(option, exact=True).click()
    settle(page)


MEDIA = "How much media or public interest do you expect?"
TENSION = "How likely is the plan to cause tension between communities?"


def test_two_people_on_one_assessment_lose_nothing(server: tuple[str, str], browser: Browser) -> None:
    url, database = server
    store = Store(database)
    assessment_id = store.create(read_plan(ROOT / "examples" / "library-opening-hours.yaml"))
    address = f"{url}/?assessment={assessment_id}"
    first, second = person(browser, address), person(browser, address)
    assert len(store.versions(assessment_id)) == 1  # two people opened it: nothing written
    for page in (first, second):
        page.get_by_role("tab", name="Public interest and tension").click()

    pick(first, MEDIA, "A lot")  # the first person's change saves
    assert store.latest(assessment_id).plan.answers["media_interest"] == "high"
    assert len(store.versions(assessment_id)) == 2

    pick(second, TENSION, "Likely")  # the second is still on version 1: refused, not overwritten
    expect(second.get_by_text("changed by someone else since you opened it")).to_be_visible()
    assert len(store.versions(assessment_id)) == 2
    assert store.latest(assessment_id).plan.answers["tension_potential"] == "low"

    second.get_by_role("button", name="Keep both").click()
    settle(second)
    expect(second.get_by_text("Both your changes and theirs are saved")).to_be_visible()
    second.get_by_role("tab", name="Public interest and tension").click()
    media = second.get_by_test_id("stRadio").filter(has_text=MEDIA)
    tension = second.get_by_test_id("stRadio").filter(has_text=TENSION)
    expect(media.get_by_role("radio", name="A lot", exact=True)).to_be_checked()
    expect(tension.get_by_role("radio", name="Likely", exact=True)).to_be_checked()
    latest = store.latest(assessment_id)
    assert (latest.version, latest.plan.answers["media_interest"], latest.plan.answers["tension_potential"]) == (
        3,
        "high",
        "high",
    )
    assert [v.plan.answers["media_interest"] for v in store.versions(assessment_id)] == ["medium", "high", "high"]
    for page in (first, second):
        page.context.close()


def test_a_title_written_as_markdown_is_shown_as_typed(server: tuple[str, str], browser: Browser) -> None:
    url, database = server
    title = f"![p]({url}/p.png) :red[APPROVED] **bold** $x$ :smile:"
    assessment_id = Store(database).create(Plan(title=title, service="Libraries", owner="Head of Libraries"))
    fetched: list[str] = []
    page = browser.new_context().new_page()
    page.on("request", lambda request: fetched.append(request.url))
    page.goto(f"{url}/?assessment={assessment_id}")
    settle(page)
    heading = page.get_by_role("heading", level=1).first
    expect(heading).to_have_text(title)
    assert page.locator("[data-testid='stMain'] img").count() == 0
    assert not [address for address in fetched if address.endswith("/p.png")]
    page.goto(f"{url}/?assessment=%00")  # an address that is not an assessment: a sentence, no details
    settle(page)
    expect(page.get_by_text("There is no saved assessment at this address")).to_be_visible()
    assert "sqlite" not in page.content() and str(ROOT) not in page.content()
    page.context.close()
