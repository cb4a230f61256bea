"""A process lost behind the proxy, in real headless Chromium (issue 24): three app processes on one PostgreSQL
behind nginx with TLS and sticky sessions (tests/cluster.py, tools/cluster.sh, deploy/nginx/proofing.conf).

Two service managers answer on two processes, each answer acknowledged (the page's run with it has ended and shows
the option chosen; the store holds it). One process is killed (-9, as a crash would): the manager on the other goes
on answering and saving, their websocket never lost; the manager on the lost one is reconnected by Streamlit's page
itself, through the proxy, to another process, which opens the assessment and step the address names and shows
every answer acknowledged before the crash; and they go on answering there. (The other two-browser and workshop
tests run through the same set-up: tests/test_e2e_browser.py's two people, test_e2e_language_per_browser.py,
test_e2e_workshop.py, test_e2e_workshop_numbers.py.)
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Browser, Page, expect

from proofing.plan import read_plan
from proofing.store import Store
from tests.cluster import Cluster, own_cluster, process_of, warmed  # noqa: F401  (fixtures, used by name)
from tests.test_e2e_browser import MEDIA, ROOT, TENSION, pick, settle

EXAMPLE = ROOT / "examples" / "library-opening-hours.yaml"
RECONNECT = 60_000  # ms: Streamlit's page retries its websocket with a growing pause; a busy machine gets slack


@pytest.fixture()
def cluster(own_cluster: Cluster, browser: Browser) -> Cluster:  # noqa: F811
    """This module's own cluster (its test kills a process), warmed."""
    return warmed(own_cluster, browser)


def manager(browser: Browser, cluster: Cluster, process: int, assessment_id: str) -> Page:  # noqa: F811
    """A service manager's browser on app process `process`, on the assessment's step about public interest."""
    context = browser.new_context(
        viewport={"width": 1280, "height": 1000}, ignore_https_errors=True, storage_state=cluster.on(process)
    )
    page = context.new_page()
    page.goto(f"{cluster.url}/?assessment={assessment_id}&step=tension")  # the address names the step
    # A process's first page reads the rule base: on a busy machine that takes longer than one settle() waits.
    expect(page.get_by_role("heading", name=re.compile("Public interest and tension$"))).to_be_visible(
        timeout=RECONNECT
    )
    settle(page)
    return page


def answer(page: Page, store: Store, assessment_id: str, question: str, option: str, saved: tuple[str, str]) -> None:
    """Choose `option` for `question` and wait until the app has run with it (the questions are a fragment of the
    page: its run ends once the answer is kept); the store then holds it, as `saved` (answer id, option id) says."""
    pick(page, question, option)
    chosen(page, question, option)
    latest = store.latest(assessment_id)
    assert latest is not None and latest.plan.answers[saved[0]] == saved[1]


CONNECTION = "document.querySelector(\"[data-testid='stApp']\").getAttribute('data-test-connection-state')"


def watch_connection(page: Page) -> None:
    """From now on, note whether the page's websocket to the app is ever lost (Streamlit's own connection state)."""
    page.evaluate(
        f"""() => {{
            window.proofingDropped = false;
            new MutationObserver(() => {{ if ({CONNECTION} !== 'CONNECTED') window.proofingDropped = true; }})
                .observe(document.querySelector("[data-testid='stApp']"), {{attributes: true}});
        }}"""
    )


def reconnected(page: Page) -> None:
    """Wait until the page has lost its websocket and Streamlit's page has connected it again, then for the run
    the new session began to end."""
    page.wait_for_function(f"window.proofingDropped && {CONNECTION} === 'CONNECTED'", timeout=RECONNECT)
    settle(page)


def chosen(page: Page, question: str, option: str) -> None:
    """The page shows `option` chosen for `question`."""
    radio = page.get_by_test_id("stRadio").filter(has_text=question)
    expect(radio.get_by_role("radio", name=option, exact=True)).to_be_checked(timeout=RECONNECT)


def test_a_process_lost_loses_no_acknowledged_answer_and_nobody_elsewhere_notices(
    cluster: Cluster,  # noqa: F811
    browser: Browser,
) -> None:
    store = Store(cluster.database)
    lost_id, kept_id = store.create(read_plan(EXAMPLE)), store.create(read_plan(EXAMPLE))
    first, second, third = cluster.processes()
    lost, kept = manager(browser, cluster, 1, lost_id), manager(browser, cluster, 2, kept_id)
    assert (process_of(lost, cluster.url), process_of(kept, cluster.url)) == (first, second)

    answer(lost, store, lost_id, MEDIA, "A lot", ("media_interest", "high"))
    answer(kept, store, kept_id, MEDIA, "A lot", ("media_interest", "high"))
    answer(lost, store, lost_id, TENSION, "Likely", ("tension_potential", "high"))

    for page in (lost, kept):
        watch_connection(page)
    cluster.kill(1)

    # The manager on another process goes on as if nothing happened: same process, same session, answers kept.
    answer(kept, store, kept_id, TENSION, "Likely", ("tension_potential", "high"))
    assert process_of(kept, cluster.url) == second
    chosen(kept, MEDIA, "A lot")
    assert kept.evaluate("window.proofingDropped") is False  # its websocket was never lost

    # The manager on the lost process is back by themself (Streamlit's page reconnects its websocket, the proxy
    # sends it to another process), on the same assessment and step, with every answer acknowledged before the crash.
    reconnected(lost)
    expect(lost.get_by_role("heading", name=re.compile("Public interest and tension$"))).to_be_visible()
    chosen(lost, MEDIA, "A lot")
    chosen(lost, TENSION, "Likely")
    assert process_of(lost, cluster.url) in (second, third)
    # ... and goes on answering there.
    answer(lost, store, lost_id, TENSION, "Possible", ("tension_potential", "medium"))
    assert store.latest(lost_id).plan.answers["media_interest"] == "high"
    for page in (lost, kept):
        page.context.close()
