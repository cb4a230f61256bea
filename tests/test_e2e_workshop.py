"""The EIA workshop end to end in real headless Chromium, in local mode (each browser is a person of its own):

* three browser contexts, a facilitator and two participants, run a whole workshop on one app: join by the link
  the facilitator's page shows, score on their own, reveal, agree, finalise; the Word record of the agreed version
  names the participants and the agreed scores, and ``proofing verify`` exits 0 on it;
* the facilitator on one app process and a participant on another, both on one PostgreSQL database behind the
  proxy: the facilitator's live panel shows the participant's scores arrive, and after the reveal the room's spread
  holds them.

Both run through the proxied set-up (tests/cluster.py: three app processes on one PostgreSQL behind nginx with TLS
and sticky sessions), the module's one cluster.

Screenshots of the facilitator's view mid-workshop go to the test's temporary folder (and to
$PROOFING_SCREENSHOTS if set), taken at a projector's 1280 × 720, for a person to look at as a facilitator would.
"""

from __future__ import annotations

import io
import os
import re
from pathlib import Path
from typing import Any

import docx
from playwright.sync_api import Browser, Page, expect

from proofing.cli import main as proofing_main
from proofing.plan import read_plan
from proofing.store import Store
from tests.cluster import Cluster, cluster, process_of, serving, shared_cluster  # noqa: F401  (fixtures, used by name)
from tests.test_e2e_browser import ROOT, settle

EXAMPLE = ROOT / "examples" / "day-centre-closure.yaml"
PROJECTOR = {"width": 1280, "height": 720}
LIVE = 15_000  # ms: the live panel re-reads the store every 2.5 s; a busy 2-core machine gets some slack


def shots(tmp_path: Path) -> Path:
    folder = Path(os.environ.get("PROOFING_SCREENSHOTS", tmp_path))
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def person(
    browser: Browser, address: str, viewport: dict[str, int] | None = None, at: dict[str, Any] | None = None
) -> Page:
    """A person of their own: a separate browser context (own cookies, own Streamlit session) on `address`; `at`
    puts them on one app process behind the proxy (tests/cluster.py's Cluster.on). The proxy's certificate is the
    test's own, self-signed: the context accepts it (ignore_https_errors)."""
    context = browser.new_context(
        viewport=viewport or {"width": 1280, "height": 1000},
        accept_downloads=True,
        ignore_https_errors=True,
        storage_state=at,
    )
    page = context.new_page()
    page.goto(address)
    settle(page)
    return page


def open_workshop(page: Page) -> str:
    """Open a workshop on the (only) draft, as a facilitator would; the join link the page shows."""
    page.get_by_role("button", name="Open a workshop").click()
    settle(page)
    link = page.locator(".ws-link")
    expect(link).to_be_visible()
    expect(page.locator(".ws-code")).to_have_text(re.compile(r"^[A-Z0-9]{4}-[A-Z0-9]{4}$"))
    return link.inner_text().strip()


def join(page: Page, name: str, organisation: str) -> None:
    """Join the workshop the page's link opened, by name and organisation."""
    page.get_by_label("Your name").fill(name)
    page.get_by_label("Your service or partner organisation").fill(organisation)
    page.get_by_role("button", name="Join", exact=True).click()
    settle(page)
    expect(page.get_by_role("button", name="I have finished")).to_be_visible()
    assert "as=local" in page.url  # the participant's key is in the address: a refresh keeps them in


def radio(scope, label: str, option: str) -> None:
    """Click an option of the radio group labelled `label` inside `scope`."""
    scope.get_by_test_id("stRadio").filter(has_text=label).get_by_text(option, exact=True).click()


def score_everything(page: Page, verdict: str, likelihood: int, severity: int, comment: str) -> int:
    """Score every finding on the participant's page, one form at a time as a person would; how many."""
    forms = page.get_by_test_id("stForm").filter(has=page.get_by_role("button", name="Save my score"))
    count = forms.count()
    for index in range(count):
        form = forms.nth(index)
        form.scroll_into_view_if_needed()
        radio(form, "Your view", verdict)
        radio(form, "Your likelihood", str(likelihood))
        radio(form, "Your severity", str(severity))
        form.get_by_label("Your comment (optional)").fill(comment)
        form.get_by_role("button", name="Save my score").click()
        settle(page)
    return count


def add_missed(page: Page, title: str, group: str, reason: str) -> None:
    """Add an impact the rules missed."""
    form = page.get_by_test_id("stForm").filter(has=page.get_by_role("button", name="Add this impact"))
    form.get_by_label("What is the impact?").fill(title)
    form.get_by_test_id("stMultiSelect").click()
    page.keyboard.type(group)
    page.locator("[role=option]").filter(has_text=group).first.click()
    page.keyboard.press("Escape")
    form.get_by_label("Why you expect it").fill(reason)
    radio(form, "Likelihood", "4")
    radio(form, "Severity", "3")
    form.get_by_role("button", name="Add this impact").click()
    settle(page)


def reveal(page: Page) -> None:
    page.get_by_role("button", name="Reveal the scores").click()
    settle(page)
    page.get_by_role("button", name="Yes, reveal the scores and close scoring").click()
    settle(page)
    expect(page.get_by_role("heading", name="The room's scores, most disagreement first")).to_be_visible()


def test_a_whole_workshop_in_three_browsers(browser: Browser, cluster: Cluster, tmp_path: Path) -> None:  # noqa: F811
    database = cluster.database
    store = Store(database)
    assessment_id = store.create(read_plan(EXAMPLE))
    folder = shots(tmp_path)
    with serving(cluster) as url:
        facilitator = person(browser, f"{url}/workshop", PROJECTOR)
        link = open_workshop(facilitator)
        assert link.startswith(url) and "/join?code=" in link
        facilitator.screenshot(path=str(folder / "workshop-1-join.png"))

        housing, libraries = person(browser, link), person(browser, link)
        join(housing, "Participant from Housing", "Housing Services")
        join(libraries, "Participant from Libraries", "Libraries and Culture")
        expect(facilitator.get_by_text("2 joined, 0 finished")).to_be_visible(timeout=LIVE)

        findings = score_everything(housing, "Agree it is a likely impact", 4, 4, "We see this at the counter")
        assert findings >= 2
        assert score_everything(libraries, "Disagree", 1, 2, "The outreach team already covers it") == findings
        add_missed(libraries, "Carers lose their only day of respite", "Disability", "Carers told us so")
        housing.reload()  # a refresh loses nothing: still joined, the scores still there
        settle(housing)
        expect(housing.get_by_text(f"{findings} of {findings} scored").first).to_be_visible()
        for page in (housing, libraries):
            page.get_by_role("button", name="I have finished").click()
            settle(page)

        expect(facilitator.get_by_text("2 joined, 2 finished")).to_be_visible(timeout=LIVE)
        expect(facilitator.get_by_text(f"{findings} of {findings}").first).to_be_visible()
        assert facilitator.get_by_text("We see this at the counter").count() == 0  # nobody sees a score yet
        facilitator.screenshot(path=str(folder / "workshop-2-scoring.png"))

        reveal(facilitator)
        for page in (housing, libraries):  # the participants' pages notice the reveal on their own
            expect(page.get_by_text("scoring is closed").first).to_be_visible(timeout=LIVE)
        expect(
            facilitator.get_by_text("The outreach team already covers it").filter(visible=True).first
        ).to_be_visible()
        charts = facilitator.get_by_test_id("stVegaLiteChart")
        expect(charts.first).to_be_visible()
        charts.first.scroll_into_view_if_needed()
        facilitator.wait_for_timeout(500)
        facilitator.screenshot(path=str(folder / "workshop-3-spread.png"))
        charts.nth(1).scroll_into_view_if_needed()
        facilitator.wait_for_timeout(500)
        facilitator.screenshot(path=str(folder / "workshop-4-finding.png"))

        # The agreement: the first finding re-scored to 2 × 3, the rest at the rules' own scores, the missed
        # impact accepted.
        forms = facilitator.get_by_test_id("stForm")
        first = forms.first
        radio(first, "Agreed likelihood", "2")
        radio(first, "Agreed severity", "3")
        first.get_by_label("The room's reason (it goes in the record)").fill("Outreach covers most of it")
        first.get_by_role("button", name="Save the agreement").click()
        settle(facilitator)
        for index in range(1, forms.count()):
            forms.nth(index).get_by_role("button", name="Save the agreement").click()
            settle(facilitator)
        expect(facilitator.get_by_text(f"{findings} of {findings} findings agreed.")).to_be_visible()
        facilitator.get_by_role("button", name="Finalise the workshop").click()
        settle(facilitator)
        expect(facilitator.get_by_text(re.compile(r"Finalised: the agreed view is version 2 of"))).to_be_visible()

        latest = store.latest(assessment_id)
        assert latest is not None and latest.version == 2 and latest.label.startswith("Agreed at the EIA workshop")
        assert len(latest.notes.agreed) == findings and len(latest.notes.added) == 1

        facilitator.goto(f"{url}/export?assessment={assessment_id}")
        settle(facilitator)
        facilitator.get_by_role("button", name="Prepare the Word record").click()
        settle(facilitator)
        with facilitator.expect_download() as download:
            facilitator.get_by_role("button", name="Download the Word record (.docx)").click()
        record = tmp_path / "agreed.docx"
        download.value.save_as(record)
    assert proofing_main(["verify", str(record)]) == 0
    words = "\n".join(
        [p.text for p in docx.Document(io.BytesIO(record.read_bytes())).paragraphs]
        + [
            cell.text
            for table in docx.Document(io.BytesIO(record.read_bytes())).tables
            for row in table.rows
            for cell in row.cells
        ]
    )
    for said in (
        "Participant from Housing",
        "Housing Services",
        "Participant from Libraries",
        "Libraries and Culture",
        "2 × 3 = 6",
        "Outreach covers most of it",
        "Carers lose their only day of respite",
    ):
        assert said in words, said


def test_two_app_processes_on_one_postgresql_serve_one_workshop(
    browser: Browser,
    cluster: Cluster,  # noqa: F811
) -> None:
    store = Store(cluster.database)
    store.create(read_plan(EXAMPLE))
    with serving(cluster) as url:
        facilitator = person(browser, f"{url}/workshop", PROJECTOR, at=cluster.on(1))
        link = open_workshop(facilitator)
        participant = person(browser, link, at=cluster.on(2))  # the participant reaches the other process
        assert process_of(facilitator, url) != process_of(participant, url)
        join(participant, "Participant from Social Care", "Adult Social Care")
        expect(facilitator.get_by_text("1 joined, 0 finished")).to_be_visible(timeout=LIVE)
        findings = score_everything(participant, "Unsure", 3, 5, "Depends on the transport contract")
        expect(facilitator.get_by_text(f"{findings} of {findings}").first).to_be_visible(timeout=LIVE)
        reveal(facilitator)
        expect(participant.get_by_text("scoring is closed").first).to_be_visible(timeout=LIVE)
        expect(facilitator.get_by_text("0 agree, 0 disagree, 1 unsure").first).to_be_visible()
        # One person: no outlier, but their comment is a view to hear all the same (and in the table).
        expect(facilitator.get_by_text("Depends on the transport contract").filter(visible=True).first).to_be_visible()
        facilitator.get_by_text("The scores as a table").first.click()
        expect(facilitator.get_by_role("table").get_by_text("Depends on the transport contract").first).to_be_visible()
