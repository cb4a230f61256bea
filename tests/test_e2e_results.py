"""The Results page in real Chromium at 1400 x 900: the largest example (most findings and mitigations) reads in at
most three screens before the analysis, opened fresh and after every mitigation is accepted at once; a finding's
mitigations open, "Adapt" shows the suggested words, and a finding folds away once settled (issue 22)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect

from proofing.assessment import assess
from proofing.knowledge import load_knowledge
from proofing.plan import read_plan
from proofing.store import Store
from tests.test_e2e_browser import settle, start_app

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples"
WIDTH, HEIGHT = 1400, 900


def largest_example() -> Path:
    """The example with the most negative findings and mitigations: the longest Results page."""
    kb = load_knowledge()

    def size(path: Path) -> tuple[int, int]:
        negatives = [f for f in assess(kb, read_plan(path)).findings if f.direction == "negative"]
        return sum(len(f.mitigations) for f in negatives), len(negatives)

    return max(sorted(EXAMPLES.glob("*.yaml")), key=size)


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, str]]:
    database = f"sqlite:///{tmp_path_factory.mktemp('e2e-results') / 'results.db'}"
    with start_app(database) as url:
        yield url, database


def height_before_analysis(page: Page) -> float:
    """Pixels from the top of the page's content to the "Analysis" heading."""
    expect(page.get_by_role("heading", name="Analysis", exact=True)).to_be_attached(timeout=30_000)
    return float(
        page.evaluate(
            "() => { const h = [...document.querySelectorAll('h2')].find(e => e.textContent.trim() === 'Analysis');"
            " const top = document.querySelector('[data-testid=stMainBlockContainer]').getBoundingClientRect().top;"
            " return h.getBoundingClientRect().top - top; }"
        )
    )


def test_the_largest_example_reads_in_three_screens_before_the_analysis(
    server: tuple[str, str], browser: Browser
) -> None:
    url, database = server
    path = largest_example()
    assert path.name == "library-opening-hours.yaml"  # 9 negative findings, 31 mitigations
    store = Store(database)
    assessment_id = store.create(read_plan(path))
    context = browser.new_context(viewport={"width": WIDTH, "height": HEIGHT})
    page = context.new_page()
    page.goto(f"{url}/results?assessment={assessment_id}")
    settle(page)
    fresh = height_before_analysis(page)
    assert 0 < fresh <= 3 * HEIGHT, f"{fresh:.0f} px before the analysis; three screens are {3 * HEIGHT} px"
    # the findings are the cards: each with its why, under one heading, before the analysis
    cards = page.locator("[class*='st-key-finding_']")
    expect(cards).to_have_count(9)
    expect(cards.first).to_contain_text("Because:")

    page.get_by_role("button", name="Accept all 31 undecided mitigations").click()
    settle(page)
    expect(page.get_by_role("button", name="Accept all 31 undecided mitigations")).to_have_count(0)
    latest = store.latest(assessment_id)
    assert len(latest.decisions) == 31 and {d["status"] for d in latest.decisions.values()} == {"accepted"}
    accepted = height_before_analysis(page)
    assert 0 < accepted <= 3 * HEIGHT, f"{accepted:.0f} px before the analysis after accepting every mitigation"
    context.close()


def test_a_findings_mitigations_open_adapt_from_the_suggested_words_and_fold_away_once_settled(
    server: tuple[str, str], browser: Browser
) -> None:
    url, database = server
    store = Store(database)
    plan = read_plan(EXAMPLES / "library-opening-hours.yaml")
    assessment_id = store.create(plan)
    finding = next(f for f in assess(load_knowledge(), plan).findings if f.rule == "access_travel_no_public_transport")
    context = browser.new_context(viewport={"width": WIDTH, "height": HEIGHT})
    page = context.new_page()
    page.goto(f"{url}/results?assessment={assessment_id}")
    settle(page)
    card = page.locator(f".st-key-finding_{finding.rule}")
    card.get_by_text("Mitigations: 2 suggested, none decided yet").click()
    settle(page)
    first = card.locator("[class*='st-key-card_']").first
    expect(first).to_be_visible()
    expect(first.get_by_label("Owner (name or role)")).to_have_count(0)  # not decided: no owner asked
    first.get_by_text("Adapt", exact=True).click()
    settle(page)
    expect(first.get_by_label("The mitigation as you will do it")).to_have_value(finding.mitigations[0].text)
    owner = first.get_by_label("Owner (name or role)")
    owner.fill("Head of Libraries")
    owner.press("Enter")
    settle(page)
    first.get_by_role("spinbutton", name="day, Due by").click()
    page.keyboard.type("31032027")
    page.keyboard.press("Escape")
    card.get_by_text("Because:").click()  # leaving the field keeps the date
    settle(page)
    second = card.locator("[class*='st-key-card_']").nth(1)
    second.get_by_text("Reject", exact=True).click()
    settle(page)
    expect(second.get_by_label("Owner (name or role)")).to_have_count(0)  # rejected: no owner or date
    latest = store.latest(assessment_id)
    assert latest.decisions[f"{finding.rule}:0"] == {
        "status": "accepted",
        "owner": "Head of Libraries",
        "due": "2027-03-31",
    }
    assert latest.decisions[f"{finding.rule}:1"]["status"] == "rejected"
    # settled: both decided, none waiting for an owner or a date, so its mitigations fold away
    expect(card.get_by_text("Mitigations: all 2 decided; 1 counted in the residual")).to_be_visible()
    expect(card.locator("[class*='st-key-card_']").first).to_be_hidden()
    # one finding moved: its ring and line are drawn, and the page, with another finding's fold open, is still clean
    page.locator("[class*='st-key-finding_']").first.get_by_text("Mitigations:").click()
    settle(page)
    assert axe_violations(page) == []
    context.close()


AXE = ROOT / "tools" / "axe" / "node_modules" / "axe-core" / "axe.min.js"


def axe_violations(page: Page) -> list[str]:
    """The serious and critical axe-core violations of the settled page (as test_e2e_browser's scan of every page)."""
    assert AXE.exists(), "axe-core is missing: run tools/axe.sh (make test does this)"
    page.add_style_tag(content="*, *::before, *::after { transition: none !important; animation: none !important; }")
    page.wait_for_timeout(500)
    page.add_script_tag(path=str(AXE))
    return list(
        page.evaluate(
            "async () => (await axe.run(document, {resultTypes: ['violations']})).violations"
            ".filter(v => ['serious', 'critical'].includes(v.impact))"
            ".map(v => v.id + ': ' + v.help + ' ' + v.nodes.slice(0, 3).map(n => n.target.join(' ')).join(' | '))"
        )
    )
