"""A workshop room that stays in step, in real headless Chromium (local mode; each browser context a person):

a facilitator and two participants. Before the reveal no participant sees the rules' score of any finding, and the
facilitator's projected page shows the findings by number without it; in local mode the facilitator's page says
that phones and other computers cannot join and shows no QR code. Participants comment on the same finding and on
different ones, one with a change of score, one editing a comment already sent. After the reveal each finding has
the same number on the facilitator's screen and on both participants', every comment (in its latest words) is
among the "views to hear" of the finding it was written on, the participants see the rules' scores beside their
own, and the Word record's workshop section numbers each finding as the room did.

Screenshots go to the test's temporary folder (and to $PROOFING_SCREENSHOTS if set).
"""

from __future__ import annotations

import io
import re
from pathlib import Path

import docx
from playwright.sync_api import Browser, Locator, Page, expect

from proofing.cli import main as proofing_main
from proofing.plan import read_plan
from proofing.store import Store
from tests.cluster import Cluster, cluster, serving, shared_cluster  # noqa: F401  (fixtures, used by name)
from tests.test_e2e_browser import AXE, settle
from tests.test_e2e_workshop import EXAMPLE, LIVE, PROJECTOR, join, person, radio, reveal, shots

RULES_SCORE = re.compile(r"likelihood \d, severity \d")  # how a finding's scores are worded on a page
NUMBERED = re.compile(r"^(\d+)\. (.+)$")


def axe_clean(page: Page) -> None:
    """axe-core finds no serious or critical violation on the page as it stands."""
    page.add_style_tag(content="*, *::before, *::after { transition: none !important; animation: none !important; }")
    page.wait_for_timeout(300)
    page.add_script_tag(path=str(AXE))
    violations = page.evaluate(
        "async () => (await axe.run(document, {resultTypes: ['violations']})).violations"
        ".filter(v => ['serious', 'critical'].includes(v.impact))"
        ".map(v => v.id + ': ' + v.help + ' ' + v.nodes.slice(0, 3).map(n => n.target.join(' ')).join(' | '))"
    )
    assert violations == [], violations


def form_of(page: Page, number: int) -> Locator:
    """The score form of the finding numbered `number` on a participant's page (the form after its heading)."""
    forms = page.get_by_test_id("stForm").filter(has=page.get_by_role("button", name="Save my score"))
    return forms.nth(number - 1)


def save(page: Page, number: int, verdict: str, likelihood: int, severity: int, comment: str | None) -> None:
    """Score finding `number` on a participant's page (the comment left as it is when None) and save it."""
    form = form_of(page, number)
    form.scroll_into_view_if_needed()
    radio(form, "Your view", verdict)
    radio(form, "Your likelihood", str(likelihood))
    radio(form, "Your severity", str(severity))
    if comment is not None:
        form.get_by_label("Your comment (optional)").fill(comment)
    form.get_by_role("button", name="Save my score").click()
    settle(page)
    expect(page.get_by_text("Your score of").first).to_be_visible()


def headings(page: Page) -> dict[int, str]:
    """The numbered findings a page shows as headings: number -> title."""
    found: dict[int, str] = {}
    for text in page.locator("h3").all_inner_texts():
        matched = NUMBERED.match(text.strip())
        if matched:
            found[int(matched.group(1))] = matched.group(2).strip()
    return found


def listed(page: Page) -> dict[int, str]:
    """The numbered list of findings on the facilitator's page while the room scores: number -> title."""
    for text in page.get_by_test_id("stMarkdownContainer").all_inner_texts():
        lines = [line.strip() for line in text.strip().splitlines() if line.strip()]
        if len(lines) >= 2 and all(NUMBERED.match(line) for line in lines):
            return {int(m.group(1)): m.group(2).strip() for m in (NUMBERED.match(line) for line in lines) if m}
    return {}


def heard(page: Page) -> dict[int, list[str]]:
    """The views to hear under each numbered finding on the facilitator's page, in the order of the page."""
    items = page.evaluate(
        """() => Array.from(document.querySelectorAll('[data-testid="stMain"] h3, [data-testid="stMain"] li'))
              .filter(e => e.offsetParent !== null).map(e => [e.tagName, e.innerText.trim()])"""
    )
    by_number: dict[int, list[str]] = {}
    current: int | None = None
    for tag, text in items:
        if tag == "H3":
            matched = NUMBERED.match(text)
            current = int(matched.group(1)) if matched else None
        elif current is not None:
            by_number.setdefault(current, []).append(text)
    return by_number


def own_table(page: Page) -> dict[int, str]:
    """A participant's own table after the reveal: number -> title, from its Finding column."""
    rows = page.get_by_test_id("stTable").first.locator("tbody tr")
    found: dict[int, str] = {}
    for index in range(rows.count()):
        cell = rows.nth(index).locator("td").first.inner_text().strip()
        matched = NUMBERED.match(cell)
        assert matched, cell
        found[int(matched.group(1))] = matched.group(2).strip()
    return found


def record_numbers(path: Path) -> dict[int, str]:
    """The workshop section's table of a Word record: number -> title (without the findings-in-full note)."""
    document = docx.Document(io.BytesIO(path.read_bytes()))
    for table in document.tables:
        header = [cell.text.strip() for cell in table.rows[0].cells]
        if header[:2] == ["Finding", "The rules' score"]:
            found: dict[int, str] = {}
            for row in table.rows[1:]:
                matched = NUMBERED.match(row.cells[0].text.strip())
                assert matched, row.cells[0].text
                found[int(matched.group(1))] = re.sub(
                    r" \(finding \d+ in the findings in full\)$", "", matched.group(2)
                )
            return found
    raise AssertionError("the record has no workshop table")


def test_the_room_stays_in_step_from_opening_to_record(browser: Browser, cluster: Cluster, tmp_path: Path) -> None:  # noqa: F811
    database = cluster.database  # three app processes behind the proxy (tests/cluster.py)
    store = Store(database)
    assessment_id = store.create(read_plan(EXAMPLE))
    folder = shots(tmp_path)
    with serving(cluster) as url:
        facilitator = person(browser, f"{url}/workshop", PROJECTOR)
        facilitator.get_by_role("button", name="Open a workshop").click()
        settle(facilitator)
        # Local mode: the page says plainly that phones cannot join, and draws no QR code a phone could not follow.
        expect(facilitator.get_by_text("phones and other computers cannot join").first).to_be_visible()
        assert facilitator.get_by_role("img", name=re.compile("QR code")).count() == 0
        link = facilitator.locator(".ws-link").inner_text().strip()
        assert link.startswith(url) and "/join?code=" in link
        projected = listed(facilitator)
        assert len(projected) >= 3 and sorted(projected) == list(range(1, len(projected) + 1))
        assert not RULES_SCORE.search(facilitator.inner_text("[data-testid='stMain']"))  # the room's projector
        facilitator.screenshot(path=str(folder / "numbers-1-facilitator-scoring.png"), full_page=True)
        axe_clean(facilitator)

        housing, libraries = person(browser, link), person(browser, link)
        join(housing, "Participant from Housing", "Housing Services")
        join(libraries, "Participant from Libraries", "Libraries and Culture")
        for page in (housing, libraries):  # no rules' score before the reveal, the same numbers as the projector
            assert not RULES_SCORE.search(page.inner_text("[data-testid='stMain']"))
            assert headings(page) == projected
        housing.screenshot(path=str(folder / "numbers-2-participant-scoring.png"), full_page=True)
        axe_clean(housing)

        # Comments on the same finding (2) and on different ones (1, 3); scores close to each other on 2, so that
        # neither is far from the middle nor a minority (one agrees, one disagrees): the comments that went missing.
        save(housing, 1, "Agree it is a likely impact", 4, 4, "Housing on one")
        save(housing, 2, "Agree it is a likely impact", 4, 4, "Housing on two, first words")
        save(housing, 2, "Agree it is a likely impact", 4, 4, "Housing on two, edited")  # a comment edited
        save(libraries, 2, "Disagree", 3, 4, None)  # a score, no comment yet ...
        save(libraries, 2, "Disagree", 3, 5, "Libraries on two, with a new score")  # ... then both at once
        save(libraries, 3, "Unsure", 2, 2, "Libraries on three")
        for page in (housing, libraries):
            assert not RULES_SCORE.search(page.inner_text("[data-testid='stMain']"))
        expect(facilitator.get_by_text("2 joined, 0 finished")).to_be_visible(timeout=LIVE)

        reveal(facilitator)
        for page in (housing, libraries):
            expect(page.get_by_text("scoring is closed").first).to_be_visible(timeout=LIVE)
        facilitator.wait_for_timeout(500)
        facilitator.screenshot(path=str(folder / "numbers-3-facilitator-revealed.png"), full_page=True)
        housing.screenshot(path=str(folder / "numbers-4-participant-revealed.png"), full_page=True)
        axe_clean(facilitator)
        axe_clean(housing)

        # The same number for the same finding, on every screen: the facilitator's (in order of disagreement) ...
        revealed = headings(facilitator)
        assert revealed == projected
        assert list(revealed) != sorted(revealed)  # the order still puts disagreement first ...
        # ... and each participant's own table, which now shows the rules' score beside theirs.
        for page in (housing, libraries):
            assert own_table(page) == projected
            assert RULES_SCORE.search(page.get_by_test_id("stTable").first.inner_text())

        # Every comment is a view to hear, in its latest words, under the finding it was written on.
        views = heard(facilitator)
        said = {number: " | ".join(lines) for number, lines in views.items()}
        assert "Housing on one" in said[1]
        assert "Housing on two, edited" in said[2] and "Libraries on two, with a new score" in said[2]
        assert "scored 15 (likelihood 3, severity 5)" in said[2]  # the score sent with the comment
        assert "Libraries on three" in said[3]
        assert "first words" not in " ".join(said.values())
        facilitator.get_by_text(re.compile(r"^Views to hear")).nth(1).scroll_into_view_if_needed()
        facilitator.wait_for_timeout(300)
        facilitator.screenshot(path=str(folder / "numbers-5-views-to-hear.png"))

        forms = facilitator.get_by_test_id("stForm")
        for index in range(forms.count()):
            forms.nth(index).get_by_role("button", name="Save the agreement").click()
            settle(facilitator)
        facilitator.get_by_role("button", name="Finalise the workshop").click()
        settle(facilitator)
        expect(facilitator.get_by_text(re.compile(r"Finalised: the agreed view is version 2 of"))).to_be_visible()

        facilitator.goto(f"{url}/export?assessment={assessment_id}")
        settle(facilitator)
        facilitator.get_by_role("button", name="Prepare the Word record").click()
        settle(facilitator)
        with facilitator.expect_download() as download:
            facilitator.get_by_role("button", name="Download the Word record (.docx)").click()
        record = tmp_path / "agreed.docx"
        download.value.save_as(record)
    assert proofing_main(["verify", str(record)]) == 0
    assert record_numbers(record) == projected  # the record's workshop section: the room's numbers
