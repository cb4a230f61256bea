"""End to end in real headless Chromium: start the app, fill a plan, see a finding, reload, download, verify;
two people on one assessment in two browsers (on two app processes behind the proxy: tests/cluster.py); a title
that is Markdown shown as typed.

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
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Browser, Page, expect
from playwright.sync_api import TimeoutError as PlaywrightTimeoutError

from proofing.cli import main as proofing_main
from proofing.knowledge import load_knowledge
from proofing.plan import Plan, read_plan
from proofing.steps import step_progress
from proofing.store import Store
from tests.cluster import Cluster, cluster, process_of, shared_cluster  # noqa: F401  (fixtures, used by name)
from tests.conftest import CHROMIUM

ROOT = Path(__file__).resolve().parent.parent
IDLE = "[data-testid='stApp'][data-test-script-state='notRunning']"
BUSY = "[data-testid='stApp']:not([data-test-script-state='notRunning'])"  # running, or not yet run once


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@contextmanager
def start_app(database: str) -> Iterator[str]:
    """Run the app (local mode) on a free port over `database` until the block ends; its address."""
    assert Path(CHROMIUM).exists(), "Chromium is missing: run tools/chromium.sh (make test does this)"
    port = free_port()
    environment = os.environ | {"PROOFING_DB_URL": database}
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "streamlit",
            "run",
            str(ROOT / "serve.py"),  # app.py behind the loopback-only middleware, as make run serves it
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
        yield url
    finally:
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:  # a server slow to stop on a loaded machine is stopped outright
            process.kill()
            process.wait(timeout=20)


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, str]]:
    database = f"sqlite:///{tmp_path_factory.mktemp('e2e') / 'e2e.db'}"
    with start_app(database) as url:
        yield url, database


@pytest.fixture()
def browser_page(browser: Browser) -> Iterator[Page]:
    page = browser.new_page(viewport={"width": 1280, "height": 1000}, accept_downloads=True)
    yield page
    page.close()


def settle(page: Page) -> None:
    """Wait until the run of the app that the last action started has finished.

    The run begins only when the server answers, which on a busy machine (the suite runs on every core) can be
    long after the action: a fixed pause let the next action interrupt a run that had not begun, losing what it
    would have saved. So wait for the app to be busy (up to two seconds: an action that starts no run costs that
    much), then for it to be idle."""
    try:
        page.wait_for_selector(BUSY, timeout=2_000)
    except PlaywrightTimeoutError:
        pass  # no run began: nothing to wait for
    page.wait_for_selector(IDLE, timeout=30_000)


def step(page: Page, title: str) -> None:
    """Open a step of the questionnaire from the list of steps in the sidebar, as a person would."""
    page.get_by_test_id("stSidebar").get_by_test_id("stRadio").get_by_text(title, exact=False).first.click()
    settle(page)


def go(page: Page, name: str) -> None:
    """Click a page of the app in the sidebar's navigation."""
    page.get_by_test_id("stSidebarNav").get_by_role("link", name=name, exact=True).click()
    settle(page)


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
    step(page, "Who uses it and who is affected")
    assert "step=people" in page.url
    choose(page, "Older people")
    page.get_by_role("link", name="Results and mitigations").click()
    settle(page)
    expect(page.get_by_text("Closing or cutting a service that older or disabled people rely on").first).to_be_visible()

    go(page, "Assess a plan")
    page.reload()  # the step and the answers come back
    settle(page)
    expect(page.get_by_role("heading", name="Close the Rhos library")).to_be_visible()
    expect(page.get_by_text("Older people").first).to_be_visible()
    step(page, "What the plan changes")
    expect(page.get_by_text("A closure").first).to_be_visible()

    # A complete plan (an example, saved as a manager would have) downloads as a record that verifies.
    complete = Store(database).create(read_plan(ROOT / "examples" / "translation-contract.yaml"))
    page.goto(f"{url}/?assessment={complete}")
    settle(page)
    page.get_by_role("link", name="Export the record").click()
    settle(page)
    page.get_by_role("button", name="Prepare the Word record").click()
    settle(page)
    with page.expect_download() as download:
        page.get_by_role("button", name="Download the Word record (.docx)").click()
    assert download.value.suggested_filename == (
        "commission-a-single-telephone-and-written-translation-and-v1-draft.docx"  # its title, version and status
    )
    target = tmp_path / "record.docx"
    download.value.save_as(target)
    assert proofing_main(["verify", str(target)]) == 0


def person(browser: Browser, address: str, at: dict[str, Any] | None = None) -> Page:
    """A person of their own: a separate browser context (own cookies, own Streamlit session) on `address`; `at`
    puts them on one app process behind the proxy (tests/cluster.py's Cluster.on), whose certificate is the test's
    own, self-signed (so the context accepts it: ignore_https_errors)."""
    context = browser.new_context(viewport={"width": 1280, "height": 1000}, ignore_https_errors=True, storage_state=at)
    page = context.new_page()
    page.goto(address)
    settle(page)
    return page


def pick(page: Page, question: str, option: str) -> None:
    """Answer a one-of question on the open tab by clicking the option's label, as a person would."""
    page.get_by_test_id("stRadio").filter(has_text=question).get_by_text(option, exact=True).click()
    settle(page)


MEDIA = "How much media or public interest do you expect?"
TENSION = (
    "How likely is the plan to cause tension between communities, or between a community and the council or police?"
)


def test_two_people_on_one_assessment_lose_nothing(cluster: Cluster, browser: Browser) -> None:  # noqa: F811
    url, database = cluster.url, cluster.database  # three app processes on one PostgreSQL behind the proxy
    store = Store(database)
    assessment_id = store.create(read_plan(ROOT / "examples" / "library-opening-hours.yaml"))
    address = f"{url}/?assessment={assessment_id}"
    first, second = person(browser, address, at=cluster.on(1)), person(browser, address, at=cluster.on(2))
    assert process_of(first, url) != process_of(second, url)  # each on a process of their own
    assert len(store.versions(assessment_id)) == 1  # two people opened it: nothing written
    for page in (first, second):
        step(page, "Public interest and tension")

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
    expect(heading).to_be_visible()
    assert heading.inner_text().replace("\u2060", "").strip() == title  # an invisible joiner: the address is no link
    assert heading.locator("a[href*='p.png']").count() == 0
    assert page.locator("[data-testid='stMain'] img").count() == 0
    assert not [address for address in fetched if address.endswith("/p.png")]
    page.goto(f"{url}/?assessment=%00")  # an address that is not an assessment: a sentence, no details
    settle(page)
    expect(page.get_by_text("There is no saved assessment at this address")).to_be_visible()
    assert "sqlite" not in page.content() and str(ROOT) not in page.content()
    page.context.close()


def test_answers_survive_register_and_back_and_no_empty_version_is_saved(
    server: tuple[str, str], browser: Browser
) -> None:
    url, database = server
    store = Store(database)
    plan = read_plan(ROOT / "examples" / "library-opening-hours.yaml")
    assessment_id = store.create(plan)
    page = person(browser, f"{url}/?assessment={assessment_id}")
    done, sections = step_progress(load_knowledge().questionnaire, plan.answers)  # as the example answers them
    step(page, "Public interest and tension")
    pick(page, MEDIA, "A lot")
    for other in ("Register", "Rule base"):
        go(page, other)
        go(page, "Assess a plan")  # the sidebar, as the issue describes
        expect(page.get_by_role("heading", level=1)).to_have_text(plan.title)
        assert f"assessment={assessment_id}" in page.url
        expect(page.get_by_text(f"{done} of {sections} sections complete")).to_be_visible()
        media = page.get_by_test_id("stRadio").filter(has_text=MEDIA)
        expect(media.get_by_role("radio", name="A lot", exact=True)).to_be_checked()
    page.go_back()  # Back brings the page before, still with the assessment
    settle(page)
    page.go_forward()
    settle(page)
    pick(page, TENSION, "Likely")
    page.get_by_label("Title of the plan").first.evaluate("e => e")  # the details are still there to edit
    saved = store.versions(assessment_id)
    assert [len(v.plan.answers) for v in saved] == [len(plan.answers)] * len(saved)  # never an empty version
    assert len(saved) == 2  # one version for this editing session, however many answers
    latest = store.latest(assessment_id)
    assert (latest.plan.answers["media_interest"], latest.plan.answers["tension_potential"]) == ("high", "high")
    page.context.close()


def test_an_earlier_version_is_restored_with_its_answers(server: tuple[str, str], browser: Browser) -> None:
    url, database = server
    store = Store(database)
    plan = read_plan(ROOT / "examples" / "library-opening-hours.yaml")
    assessment_id = store.create(plan)
    store.save(
        assessment_id,
        plan.model_copy(update={"answers": plan.answers | {"media_interest": "high"}}),
        expected_version=1,
    )
    store.save(
        assessment_id, plan.model_copy(update={"answers": plan.answers | {"media_interest": "low"}}), expected_version=2
    )
    page = person(browser, f"{url}/?assessment={assessment_id}&step=tension")
    page.get_by_text("History: every version and what changed").click()
    expect(page.get_by_text("How much media or public interest do you expect?: A lot → Little")).to_be_visible()
    page.get_by_role("button", name="Restore version 2").click()
    settle(page)
    expect(page.get_by_text("Version 2 is restored as version 4")).to_be_visible()
    media = page.get_by_test_id("stRadio").filter(has_text=MEDIA)
    expect(media.get_by_role("radio", name="A lot", exact=True)).to_be_checked()
    latest = store.latest(assessment_id)
    assert (latest.version, latest.label, latest.plan.answers["media_interest"]) == (
        4,
        "Restored from version 2",
        "high",
    )
    page.context.close()


SIZES = [(1400, 900), (800, 1000)]


def within_width(page: Page, locator_or_selector) -> None:
    """Every matching element is on screen across: nothing needs a horizontal scroll to be seen or used."""
    width = page.viewport_size["width"]
    locator = page.locator(locator_or_selector) if isinstance(locator_or_selector, str) else locator_or_selector
    expect(locator.first).to_be_visible(timeout=30_000)  # a long page may still be drawing its widgets
    for index in range(locator.count()):
        box = locator.nth(index).bounding_box()
        assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= width + 1, (index, box, width)


def no_horizontal_scroll(page: Page) -> None:
    main = "document.querySelector('[data-testid=stMain]')"
    assert page.evaluate(f"{main}.scrollWidth - {main}.clientWidth") <= 0
    assert page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth") <= 0


@pytest.mark.parametrize(("width", "height"), SIZES)
def test_mitigation_cards_and_register_fit_the_screen(
    server: tuple[str, str], browser: Browser, width: int, height: int
) -> None:
    url, database = server
    store = Store(database)
    assessment_id = store.create(read_plan(ROOT / "examples" / "library-opening-hours.yaml"))
    context = browser.new_context(viewport={"width": width, "height": height})
    page = context.new_page()
    page.goto(f"{url}/results?assessment={assessment_id}")
    settle(page)
    no_horizontal_scroll(page)
    page.locator("[class*='st-key-finding_']").first.get_by_text("Mitigations:").click()  # open its mitigations
    settle(page)
    card = page.locator("[class*='st-key-card_']").first  # the first suggested mitigation's card
    card.scroll_into_view_if_needed()
    expect(card.get_by_text("Accept", exact=True)).to_be_visible(timeout=30_000)  # a long page draws its widgets last
    for control in ("Not decided", "Accept", "Adapt", "Reject", "Done"):
        within_width(page, card.get_by_text(control, exact=True))
    card.get_by_text("Accept", exact=True).click()  # an owner and a date are asked once it is accepted
    settle(page)
    within_width(page, card.get_by_label("Owner (name or role)"))
    within_width(page, card.get_by_role("group", name="Due by"))
    card.get_by_label("Owner (name or role)").fill("Head of Libraries")
    card.get_by_label("Owner (name or role)").press("Enter")
    settle(page)
    card.get_by_role("spinbutton", name="day, Due by").click()
    page.keyboard.type("31122026")  # day, month, year: a date picker, never free text
    page.keyboard.press("Escape")
    page.get_by_role("heading", name="Findings and mitigations").click()  # leaving the field keeps the date
    settle(page)
    no_horizontal_scroll(page)
    latest = store.latest(assessment_id)
    [(key, decision)] = latest.decisions.items()
    assert (decision["status"], decision["owner"], decision["due"]) == ("accepted", "Head of Libraries", "2026-12-31")
    card.get_by_text("Reject", exact=True).click()
    settle(page)
    reason = card.get_by_label("Why it is rejected (an equality officer will review this)")
    within_width(page, reason)
    reason.fill("Already provided by the mobile library.")
    reason.press("Control+Enter")
    settle(page)
    no_horizontal_scroll(page)
    latest = store.latest(assessment_id)
    # rejected: an owner and a due date mean nothing for it, so none is kept (issue 22)
    assert latest.decisions[key] == {"status": "rejected", "owner": "", "due": ""}
    assert latest.notes.mitigations[key].reason == "Already provided by the mobile library."

    page.goto(f"{url}/register")
    settle(page)
    no_horizontal_scroll(page)
    grid = page.get_by_test_id("stDataFrame")
    within_width(page, grid)
    expect(grid.locator(".dvn-scroller")).to_have_count(1)
    # Every column of the list is on screen: the grid's own scroller has nothing to scroll across.
    assert grid.locator(".dvn-scroller").evaluate("e => e.scrollWidth - e.clientWidth") <= 0
    box = grid.bounding_box()
    page.mouse.click(box["x"] + 16, box["y"] + 36 + 17)  # the first row's selection box
    settle(page)
    for name in (
        "Open",
        "Duplicate as a new draft",
        "Submit for approval",
        "Download the list (CSV)",
        "Download the list (Excel)",
    ):
        within_width(page, page.get_by_role("button", name=name, exact=True))
    context.close()


AXE = ROOT / "tools" / "axe" / "node_modules" / "axe-core" / "axe.min.js"


@pytest.mark.parametrize(("width", "height"), SIZES)
def test_every_page_passes_an_axe_scan(server: tuple[str, str], browser: Browser, width: int, height: int) -> None:
    assert AXE.exists(), "axe-core is missing: run tools/axe.sh (make test does this)"
    url, database = server
    assessment_id = Store(database).create(read_plan(ROOT / "examples" / "library-opening-hours.yaml"))
    context = browser.new_context(viewport={"width": width, "height": height})
    page = context.new_page()
    titles = set()
    for path in (
        "/",
        f"/?assessment={assessment_id}&step=access",
        f"/results?assessment={assessment_id}",
        f"/export?assessment={assessment_id}",
        "/register",
        "/rule_base",
        "/audit",
        "/admin",
        "/workshop",
        "/join",
        "/cumulative",
    ):
        page.goto(url + path)
        settle(page)
        titles.add(page.title())
        assert page.locator("h1").count() >= 1
        # axe measures the settled page: fade-in transitions stopped, so no colour is caught half-way.
        page.add_style_tag(
            content="*, *::before, *::after { transition: none !important; animation: none !important; }"
        )
        page.wait_for_timeout(500)
        page.add_script_tag(path=str(AXE))
        violations = page.evaluate(
            "async () => (await axe.run(document, {resultTypes: ['violations']})).violations"
            ".filter(v => ['serious', 'critical'].includes(v.impact))"
            ".map(v => v.id + ': ' + v.help + ' ' + v.nodes.slice(0, 3).map(n => n.target.join(' ')).join(' | '))"
        )
        assert violations == [], (path, violations)
    assert len(titles) == 10  # a title per page (the start page and a plan's steps are both "Assess a plan")
    context.close()


def test_a_plan_file_uploaded_on_the_register_opens_as_a_new_assessment(
    server: tuple[str, str], browser: Browser
) -> None:
    url, database = server
    page = person(browser, f"{url}/register")
    page.get_by_text("Start an assessment from a file").click()
    page.locator("input[type=file]").set_input_files(str(ROOT / "examples" / "day-centre-closure.yaml"))
    settle(page)
    plan = read_plan(ROOT / "examples" / "day-centre-closure.yaml")
    expect(page.get_by_role("heading", level=1)).to_have_text(plan.title, timeout=30_000)
    assert "assessment=" in page.url
    assert [s.title for s in Store(database).list() if s.title == plan.title] == [plan.title]
    page.context.close()
