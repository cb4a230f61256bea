"""End to end in real headless Chromium: start the app, fill a plan, see a finding, reload, download, verify.

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
from playwright.sync_api import Page, expect, sync_playwright

from proofing.cli import main as proofing_main
from proofing.plan import read_plan
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
def browser_page() -> Iterator[Page]:
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_FLAGS)
        page = browser.new_page(viewport={"width": 1280, "height": 1000}, accept_downloads=True)
        yield page
        browser.close()


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
