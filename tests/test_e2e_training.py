"""Training end to end in real headless Chromium, in local mode (one user holds every role): a trainee completes
two cases half right and sees found / missed / over-called with the reasons; the trainer sees the rounds in the
cohort view and downloads the certificate, which python-docx opens and which names the trainee and the cases.

The server and browser fixtures are the main browser test's (tests/test_e2e_browser.py): a server on a free port,
Debian's Chromium. Screenshots of the reveal go to the test's temporary folder (and to $PROOFING_SCREENSHOTS if set),
for a person to look at as a trainee would.
"""

from __future__ import annotations

import io
import os
from pathlib import Path

import docx
from playwright.sync_api import Browser, Page, expect

from proofing.store import Store
from tests.test_e2e_browser import AXE, go, server, settle  # noqa: F401  (server: a fixture, used by name)

CAIA = "Moving the migrant workers' advice drop-in out of Caia Park"
ESOL = "Halving the community ESOL classes after a cut in funding"


def shots(tmp_path: Path) -> Path:
    folder = Path(os.environ.get("PROOFING_SCREENSHOTS", tmp_path))
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def serious_violations(page: Page) -> list[str]:
    """axe-core's serious and critical violations on the settled page, as the main browser test scans every page."""
    assert AXE.exists(), "axe-core is missing: run tools/axe.sh (make test does this)"
    page.add_style_tag(content="*, *::before, *::after { transition: none !important; animation: none !important; }")
    page.wait_for_timeout(500)
    page.add_script_tag(path=str(AXE))
    return page.evaluate(
        "async () => (await axe.run(document, {resultTypes: ['violations']})).violations"
        ".filter(v => ['serious', 'critical'].includes(v.impact))"
        ".map(v => v.id + ': ' + v.help + ' ' + v.nodes.slice(0, 3).map(n => n.target.join(' ')).join(' | '))"
    )


def choose_case(page: Page, title: str) -> None:
    """Choose a worked case in the case selectbox, as a person would: open it, type, click."""
    page.get_by_test_id("stSelectbox").first.click()
    page.keyboard.type(title[:30])
    page.locator("[role=option]").filter(has_text=title).first.click()
    settle(page)


def predict(page: Page, organisation: str, level: str, impacts: list[str]) -> None:
    """Fill the prediction form (organisation, level, impacts) and submit it."""
    form = page.get_by_test_id("stForm")
    form.get_by_label("Your service or partner organisation", exact=True).fill(organisation)
    form.get_by_test_id("stRadio").get_by_text(level, exact=True).click()
    impacts_box = form.get_by_test_id("stMultiSelect").nth(1)
    for impact in impacts:
        impacts_box.locator("input").click()
        page.keyboard.type(impact[:25])
        page.locator("[role=option]").filter(has_text=impact).first.click()
        page.keyboard.press("Escape")
    form.get_by_role("button", name="Submit and see the answer").click()
    settle(page)


def test_a_trainee_completes_two_cases_and_the_trainer_downloads_the_certificate(
    server: tuple[str, str],  # noqa: F811
    browser: Browser,
    tmp_path: Path,
) -> None:
    url, database = server
    folder = shots(tmp_path)
    page = browser.new_context(viewport={"width": 1280, "height": 1000}, accept_downloads=True).new_page()
    page.goto(f"{url}/training")
    settle(page)

    # Case one, half right: one main impact found, one missed, one called that the rules do not find.
    choose_case(page, CAIA)
    predict(
        page,
        "Housing",
        "Mitigate",
        ["Known myths and recent tension", "A new or higher charge, or lost concessions"],
    )
    expect(page.get_by_role("heading", name="What an officer would have seen")).to_be_visible()
    for heading in ("Found (1)", "Missed (1)", "Over-called (1)"):
        expect(page.get_by_role("heading", name=heading)).to_be_visible()
    expect(page.get_by_text("not right: the rules give Full assessment needed")).to_be_visible()
    expect(page.get_by_text("each impact over-called cancels one found")).to_be_visible()  # why one found scores 0
    expect(
        page.get_by_text("The answers that led to it:").filter(visible=True).first
    ).to_be_visible()  # the missed one, opened
    expect(page.get_by_text("The rules do not find this impact for this plan.")).to_be_hidden()  # closed until asked
    page.get_by_text("A new or higher charge, or lost concessions").last.click()
    expect(page.get_by_text("The rules do not find this impact for this plan.")).to_be_visible()
    page.get_by_role("heading", name="What an officer would have seen").scroll_into_view_if_needed()
    page.screenshot(path=str(folder / "reveal-1-top.png"))
    page.get_by_role("heading", name="Over-called (1)").scroll_into_view_if_needed()
    page.screenshot(path=str(folder / "reveal-1.png"))
    assert serious_violations(page) == []

    # Case two: the organisation is remembered; one of three impacts found.
    choose_case(page, ESOL)
    expect(page.get_by_label("Your service or partner organisation", exact=True)).to_have_value("Housing")
    predict(page, "Housing", "Mitigate", ["Shorter opening or contact hours"])
    expect(page.get_by_role("heading", name="Found (1)")).to_be_visible()
    expect(page.get_by_role("heading", name="Missed (2)")).to_be_visible()
    expect(page.get_by_text("right.", exact=False).first).to_be_visible()
    page.get_by_role("heading", name="What an officer would have seen").scroll_into_view_if_needed()
    page.screenshot(path=str(folder / "reveal-2.png"))
    kept = Store(database).training_rounds("local")
    assert [(r.case, r.organisation) for r in kept] == [
        ("caia_park_advice_centre", "Housing"),
        ("esol_classes_halved", "Housing"),
    ]

    # The trainer's cohort view shows the rounds and gives the certificate.
    go(page, "Trainer")
    expect(page.get_by_text("2 rounds completed by 1 person", exact=False)).to_be_visible()
    expect(page.get_by_role("heading", name="The impacts most often missed")).to_be_visible()
    page.screenshot(path=str(folder / "trainer.png"), full_page=True)
    assert serious_violations(page) == []
    with page.expect_download() as download:
        page.get_by_role("button", name="Download the certificate for Local user (Word)").click()
    assert download.value.suggested_filename == "certificate-of-completion.docx"
    document = docx.Document(io.BytesIO(Path(download.value.path()).read_bytes()))
    text = "\n".join(p.text for p in document.paragraphs)
    cells = {cell.text for row in document.tables[0].rows for cell in row.cells}
    assert "Certificate of completion" in text and "Local user" in text and "Housing" in text
    assert {CAIA, ESOL} <= cells
    page.context.close()
