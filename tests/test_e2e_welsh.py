"""Cymraeg end to end in real headless Chromium: switch the app to Welsh, start a plan and answer it, bring in a
complete plan from a file on the Register, see its results, and export a Welsh Word record that verifies.

Every label the test clicks is looked up in the Welsh catalogue (``translator("cy")``, the rule base through
``localised``), so the test follows the translations instead of restating them. On every page it visits it checks,
against the catalogue rather than by eye, that none of our English is left: no text on the page is the English of
a message that has a Welsh translation, and no text quotes a longer rule-base or strategy text in English (an
action in "Yn seiliedig ar y strategaeth: ..."); the Welsh record is checked the same way (Streamlit's own widget
chrome, such as a file uploader's "Browse files", is not ours and is not checked).
"""

from __future__ import annotations

import io
from pathlib import Path

import docx
from playwright.sync_api import Browser, Page, expect

from proofing.cli import main as proofing_main
from proofing.knowledge import load_knowledge
from proofing.language import LANGUAGE_NAMES, catalogue, localised, rule_texts, translator
from proofing.plan import read_plan
from tests.test_e2e_browser import IDLE, ROOT, server, settle  # noqa: F401  (server: a fixture, used by name)
from tests.test_welsh_everywhere import english_in, visible_texts

CY = translator("cy")
_ = CY._
EXAMPLE = ROOT / "examples" / "day-centre-closure.yaml"


def english_of_ours() -> set[str]:
    """Every English text of ours that has a Welsh translation differing from it: none may be left on a page."""
    texts = {
        english
        for (context, english), entry in catalogue("cy").entries.items()
        if context is None and isinstance(entry.text, str) and entry.text != english and "{" not in english
    }
    kb = load_knowledge()
    for text in rule_texts(kb):
        entry = catalogue("cy").lookup(text.english, text.context)
        if entry is not None and entry.text != text.english:  # "Staff" is Welsh too
            texts.add(text.english)
    # The language switch names each language in itself ("English" beside "Cymraeg"), as it should.
    texts -= set(LANGUAGE_NAMES.values())
    return {text for text in texts if len(text) > 3 and any(character.isalpha() for character in text)}


ENGLISH = english_of_ours()


def english_left(page: Page) -> list[str]:
    """The texts on the page (each element's own text, trimmed) that are English of ours with a Welsh form.

    Read once the app is idle: the caller may have seen the first words of a run (a heading) that is still
    drawing, and a page half redrawn still shows the last run's elements."""
    page.wait_for_selector(IDLE, timeout=30_000)
    shown = page.evaluate(
        """() => {
            const seen = new Set();
            const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
            while (walker.nextNode()) {
                const node = walker.currentNode;
                const element = node.parentElement;
                if (!element || element.closest('script, style, noscript')) continue;
                const text = node.textContent.trim();
                if (text) seen.add(text);
            }
            return Array.from(seen);
        }"""
    )
    return sorted(set(text for text in shown if text in ENGLISH) | set(english_in(shown)))


def test_the_app_in_welsh_from_the_switch_to_a_welsh_record(
    server: tuple[str, str],  # noqa: F811
    browser: Browser,
    tmp_path: Path,
) -> None:
    url, _database = server
    page = browser.new_context(viewport={"width": 1280, "height": 1000}, accept_downloads=True).new_page()
    page.goto(url)
    settle(page)
    page.get_by_test_id("stSidebar").get_by_text("Cymraeg", exact=True).click()
    settle(page)
    expect(page.get_by_role("heading", level=1)).to_have_text(_("Start an assessment"))
    assert english_left(page) == []

    page.get_by_label(_("Title of the plan")).fill("Cau llyfrgell Rhos")
    page.get_by_label(_("Service")).fill("Llyfrgelloedd")
    page.get_by_label(_("Owner (name or role)")).fill("Pennaeth Llyfrgelloedd")
    page.get_by_role("button", name=_("Start the assessment")).click()
    settle(page)
    expect(page.get_by_role("heading", name="Cau llyfrgell Rhos")).to_be_visible()
    assert english_left(page) == []

    # A complete plan from a file, as a manager brings in one written elsewhere.
    page.goto(f"{url}/register?lang=cy")  # local mode keeps the language per browser, in its address (issue 25)
    settle(page)
    assert english_left(page) == []
    page.get_by_text(
        _("Start an assessment from a file: a plan file (.yaml) or a Word record made by proofing (.docx)")
    ).click()
    page.locator("input[type=file]").set_input_files(str(EXAMPLE))
    settle(page)
    plan = read_plan(EXAMPLE)
    expect(page.get_by_role("heading", level=1)).to_have_text(plan.title, timeout=30_000)
    assert english_left(page) == []

    page.get_by_role("link", name=_("Results and mitigations")).click()
    settle(page)
    kb = load_knowledge()
    welsh = localised(kb, "cy").kb
    first_rule = next(rule for rule in kb.rules if rule.id == "access_closure_older_disabled")
    welsh_title = next(rule.title for rule in welsh.rules if rule.id == first_rule.id)
    assert welsh_title != first_rule.title
    expect(page.get_by_text(welsh_title).first).to_be_visible()
    assert english_left(page) == []

    page.get_by_role("link", name=_("Export the record")).click()
    settle(page)
    assert english_left(page) == []
    page.get_by_role("button", name=_("Prepare the Word record")).click()
    settle(page)
    with page.expect_download() as download:
        page.get_by_role("button", name=_("Download the Word record (.docx)")).click()
    record = tmp_path / "cofnod.docx"
    download.value.save_as(record)
    page.context.close()

    assert proofing_main(["verify", str(record)]) == 0
    document = docx.Document(io.BytesIO(record.read_bytes()))
    text = "\n".join(paragraph.text for paragraph in document.paragraphs)
    assert _("Equality Impact Assessment") in text and _("Equality Impact Assessment") != "Equality Impact Assessment"
    assert welsh_title in text
    assert english_in(visible_texts(record.read_bytes())) == []  # the strategy's texts quoted in Welsh too
    assert 'w:val="cy-GB"' in document.styles.element.xml


PAGES = (
    "",
    "results",
    "export",
    "register",
    "actions",
    "reviews",
    "report_cards",
    "cumulative",
    "rule_base",
    "training",
    "trainer",
    "workshop",
    "join",
    "audit",
    "admin",
)


def test_every_page_in_welsh_shows_none_of_our_english(
    server: tuple[str, str],  # noqa: F811
    browser: Browser,
) -> None:
    """Each of the app's pages, opened in Welsh: no English text of ours where a Welsh form exists (the rule base
    page lists the strategy's actions, outcomes and indicators, in Welsh)."""
    url, _database = server
    page = browser.new_context(viewport={"width": 1280, "height": 1000}).new_page()
    page.goto(url)
    settle(page)
    page.get_by_test_id("stSidebar").get_by_text("Cymraeg", exact=True).click()
    settle(page)
    left = {}
    for path in PAGES:  # in local mode the language is the browser's, carried in the address (issue 25)
        page.goto(f"{url}/{path}?lang=cy")
        settle(page)
        found = english_left(page)
        if found:
            left[path or "assess"] = found
    page.context.close()
    assert left == {}
