"""The sign-in page in Welsh (issue 25), in real headless Chromium through a real OpenID Connect provider: the page
a person meets first has the language switch, Welsh first, and after the switch shows none of our English where a
Welsh form exists (checked against the catalogues, tests/test_welsh_everywhere.py)."""

from __future__ import annotations

from pathlib import Path

from playwright.sync_api import Browser, Page, expect

from proofing.language import LANGUAGE_NAMES, translator
from tests.test_e2e_signin import open_app, provider, serve, settle  # noqa: F401  (provider: a fixture, by name)
from tests.test_welsh_everywhere import english_in

_ = translator("cy")._


def shown_texts(page: Page) -> list[str]:
    """Each text node of the page, trimmed (as tests/test_e2e_welsh.py reads a page)."""
    texts: list[str] = page.evaluate(
        """() => {
            const seen = new Set();
            const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
            while (walker.nextNode()) {
                const element = walker.currentNode.parentElement;
                if (!element || element.closest('script, style, noscript')) continue;
                const text = walker.currentNode.textContent.trim();
                if (text) seen.add(text);
            }
            return Array.from(seen);
        }"""
    )
    return texts


def test_the_sign_in_page_switches_to_welsh(provider: str, browser: Browser, tmp_path: Path) -> None:  # noqa: F811
    with serve(tmp_path, "127.0.0.1", provider) as server:
        page = open_app(browser, server.url)
        expect(page.get_by_role("button", name="Sign in")).to_be_visible()
        switch = page.get_by_role("radiogroup", name="Iaith · Language")
        expect(switch.get_by_text(LANGUAGE_NAMES["cy"], exact=True)).to_be_visible()
        english_page = shown_texts(page)
        assert "Sign in to continue." in english_page  # English until the switch: the check below can fail
        assert english_in(english_page) != []

        switch.get_by_text(LANGUAGE_NAMES["cy"], exact=True).click()
        settle(page)
        expect(page.get_by_role("heading", level=1)).to_have_text(_("Cohesion proofing"))
        expect(page.get_by_text(_("Sign in to continue."))).to_be_visible()
        expect(page.get_by_role("button", name=_("Sign in"))).to_be_visible()
        assert _("Sign in") != "Sign in"
        assert english_in(shown_texts(page)) == []

        assert "Traceback" not in server.output()
        page.context.close()
