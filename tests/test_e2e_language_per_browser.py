"""Language per browser in local mode, in real headless Chromium (issue 25).

Local mode is one person for every browser on the computer (a facilitator's and the workshop participants'), so the
language is kept per browser, in its address (``?lang=cy``) and its session, never for the one local person: one
browser switched to Welsh leaves another in English, across page changes and a reload; the two browsers on two app
processes behind the proxy (tests/cluster.py).
"""

from __future__ import annotations

from playwright.sync_api import Browser, Page, expect

from proofing.language import translator
from tests.cluster import Cluster, cluster, shared_cluster  # noqa: F401  (fixtures, used by name)
from tests.test_e2e_browser import settle

CY = translator("cy")


def heading(page: Page, english: str, welsh: bool) -> None:
    """The page's first heading is `english`, or its Welsh form when `welsh`."""
    expect(page.get_by_role("heading", level=1)).to_have_text(CY._(english) if welsh else english)


def test_two_browsers_in_local_mode_keep_their_own_languages(
    cluster: Cluster,  # noqa: F811
    browser: Browser,
) -> None:
    url = cluster.url
    # Each on a process of its own; the proxy's certificate is the test's own, self-signed (ignore_https_errors).
    welsh, english = (
        browser.new_context(
            viewport={"width": 1280, "height": 1000}, ignore_https_errors=True, storage_state=cluster.on(process)
        ).new_page()
        for process in (1, 2)
    )
    for page in (welsh, english):
        page.goto(url)
        settle(page)
    welsh.get_by_test_id("stSidebar").get_by_text("Cymraeg", exact=True).click()
    settle(welsh)
    heading(welsh, "Start an assessment", welsh=True)
    assert "lang=cy" in welsh.url

    # The other browser, reloaded after the switch, is still in English: the switch was this browser's only.
    english.reload()
    settle(english)
    heading(english, "Start an assessment", welsh=False)

    # A change of page through the app's own navigation, in each browser.
    welsh.get_by_test_id("stSidebarNav").get_by_role("link", name=CY._("Register")).click()
    settle(welsh)
    english.get_by_test_id("stSidebarNav").get_by_role("link", name="Register").click()
    settle(english)
    expect(welsh.get_by_test_id("stSidebarNav").get_by_role("link", name=CY._("Assess a plan"))).to_be_visible()
    expect(english.get_by_test_id("stSidebarNav").get_by_role("link", name="Assess a plan")).to_be_visible()
    assert "lang=cy" in welsh.url

    # A reload (a new session for the same browser) keeps each browser's language.
    for page in (welsh, english):
        page.reload()
        settle(page)
    expect(welsh.get_by_test_id("stSidebarNav").get_by_role("link", name=CY._("Assess a plan"))).to_be_visible()
    expect(english.get_by_test_id("stSidebarNav").get_by_role("link", name="Assess a plan")).to_be_visible()
    for page in (welsh, english):
        page.context.close()
