"""The sign-in page in Welsh (issue 25), in real headless Chromium through a real OpenID Connect provider: the page
a person meets first has the language switch, Welsh first, and after the switch shows none of our English where a
Welsh form exists (checked against the catalogues, tests/test_welsh_everywhere.py). The choice survives the
provider's pages: the person comes back signed in and in Welsh, kept as their language (views/signin_language.py),
and a later switch to English in the sidebar is not overruled by it."""

from __future__ import annotations

from pathlib import Path

from playwright.sync_api import Browser, Page, expect

from proofing.language import LANGUAGE_NAMES, translator
from proofing.store import Store
from tests.test_e2e_signin import APPROVER, ROOT, open_app, provider, serve, settle  # noqa: F401  (provider: fixture)
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


def carried(page: Page) -> list[str]:
    """The values of the cookie that carries the sign-in page's language, in this browser."""
    return [cookie["value"] for cookie in page.context.cookies() if cookie["name"] == "proofing_language"]


def test_the_sign_in_page_switches_to_welsh_and_the_choice_survives_signing_in(
    provider: str,  # noqa: F811
    browser: Browser,
    tmp_path: Path,
) -> None:
    url = f"sqlite:///{tmp_path / 'app.db'}"
    with serve(tmp_path / "app", "127.0.0.1", provider, ROOT / "app.py", {"PROOFING_DB_URL": url}) as server:
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
        # kept in this browser for the provider's round trip: the page's own script writes it once the switch is drawn
        page.wait_for_function("document.cookie.includes('proofing_language=cy')")
        assert carried(page) == ["cy"]

        # Through the provider's own page and back: a new session, still in Welsh, and Welsh kept as the person's.
        page.get_by_role("button", name=_("Sign in")).click()
        page.wait_for_url(f"{provider}/oauth2/authorize*", timeout=30_000)
        page.get_by_role("button", name=APPROVER["sub"], exact=True).click()
        page.wait_for_url(f"{server.url}/*", timeout=30_000)
        settle(page)
        nav = page.get_by_test_id("stSidebarNav")
        expect(nav.get_by_text(_("Assess a plan"), exact=True)).to_be_visible()
        expect(nav.get_by_text("Assess a plan", exact=True)).to_have_count(0)
        sidebar_switch = page.get_by_test_id("stSidebarUserContent").get_by_role("radiogroup", name="Iaith · Language")
        expect(sidebar_switch.get_by_role("radio", name=LANGUAGE_NAMES["cy"])).to_be_checked()
        assert Store(url).language_of(APPROVER["sub"]) == "cy"
        page.wait_for_function("() => !document.cookie.includes('proofing_language=')")  # kept: the cookie is gone
        page.reload()
        settle(page)
        expect(nav.get_by_text(_("Assess a plan"), exact=True)).to_be_visible()

        # A later switch to English holds over a reload: the sign-in page's choice never overrules it.
        sidebar_switch.get_by_text(LANGUAGE_NAMES["en"], exact=True).click()
        settle(page)
        expect(nav.get_by_text("Assess a plan", exact=True)).to_be_visible()
        page.reload()
        settle(page)
        expect(nav.get_by_text("Assess a plan", exact=True)).to_be_visible()
        assert Store(url).language_of(APPROVER["sub"]) == "en"

        assert "Traceback" not in server.output()
        page.context.close()
