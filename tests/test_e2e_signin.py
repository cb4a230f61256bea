"""Sign-in end to end in real headless Chromium, through a real OpenID Connect provider on 127.0.0.1.

oidc-provider-mock (a dev dependency) runs as a provider with two registered users whose ``groups`` claims map to
different roles; a real ``streamlit run`` of tests/signin_app.py (the one call app.py makes, then the user's name,
roles and role-gated buttons) reads a generated ``.streamlit/secrets.toml`` from a temporary app folder (Streamlit
reads secrets from the working directory's ``.streamlit/``). Each person signs in through the provider's own page,
sees only what the role allows, and signs out. Then the loopback guard, with real servers on 0.0.0.0: refused in
local mode with a message and no traceback, served with sign-in configured. Every server is on a free port and is
stopped after its test. Chromium is Debian's (tools/chromium.sh, run by `make test`).
"""

from __future__ import annotations

import json
import os
import re
import secrets
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Locator, Page, expect

from views.signin import LOCAL_BANNER

ROOT = Path(__file__).resolve().parent.parent
APP = ROOT / "tests" / "signin_app.py"
IDLE = "[data-testid='stApp'][data-test-script-state='notRunning']"
APPROVER = {
    "sub": "approver-1",
    "name": "Head of Libraries",
    "email": "head.libraries@example.org",
    "groups": ["proofing-approvers", "all-staff"],
}
MANAGER = {
    "sub": "manager-1",
    "name": "Libraries service manager",
    "email": "libraries.manager@example.org",
    "groups": ["proofing-managers", "all-staff"],
}
ROLE_MAP = """
[proofing]
roles_claim = "groups"

[proofing.roles]
"proofing-approvers" = "approver"
"proofing-managers" = ["service_manager"]
"""


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def wait_for(url: str, process: subprocess.Popen[bytes], log: Path, what: str) -> None:
    """Wait until `url` answers 200, failing with the server's own log if it exits or takes over 60 seconds."""
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            pytest.fail(f"{what} exited with {process.returncode}:\n{log.read_text(errors='replace')}")
        try:
            with urllib.request.urlopen(url, timeout=2) as answer:
                if answer.status == 200:
                    return
        except OSError:
            time.sleep(0.3)
    pytest.fail(f"{what} did not start within 60 seconds:\n{log.read_text(errors='replace')}")


def stop(process: subprocess.Popen[bytes]) -> None:
    process.terminate()
    try:
        process.wait(timeout=20)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait(timeout=10)


@pytest.fixture(scope="module")
def provider(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A real OpenID Connect provider on 127.0.0.1 with the two users registered; its address."""
    port = free_port()
    log = tmp_path_factory.mktemp("provider") / "provider.log"
    command = [sys.executable, "-m", "oidc_provider_mock", "--host", "127.0.0.1", "--port", str(port)]
    for user in (APPROVER, MANAGER):
        command += ["--user-claims", json.dumps(user)]
    with log.open("wb") as output:
        process = subprocess.Popen(command, stdout=output, stderr=subprocess.STDOUT, env=os.environ | {"NO_COLOR": "1"})
    address = f"http://127.0.0.1:{port}"
    try:
        wait_for(f"{address}/.well-known/openid-configuration", process, log, "The OpenID Connect provider")
        yield address
    finally:
        stop(process)


def secrets_toml(app_port: int, provider: str) -> str:
    """The secrets a council writes (see .streamlit/secrets.example.toml), pointed at the test provider."""
    return f"""
[auth]
redirect_uri = "http://127.0.0.1:{app_port}/oauth2callback"
cookie_secret = "{secrets.token_hex(32)}"
client_id = "proofing-e2e"
client_secret = "{secrets.token_hex(16)}"
server_metadata_url = "{provider}/.well-known/openid-configuration"
{ROLE_MAP}"""


@dataclass
class Server:
    url: str
    log: Path

    def output(self) -> str:
        return self.log.read_text(errors="replace")


@contextmanager
def serve(
    folder: Path, address: str, provider: str | None, app: Path = APP, environment: dict[str, str] | None = None
) -> Iterator[Server]:
    """A real `streamlit run` of the test app from `folder`, on `address` and a free port; with sign-in when a
    provider is given (a generated .streamlit/secrets.toml), in local mode when not."""
    port = free_port()
    (folder / ".streamlit").mkdir(parents=True, exist_ok=True)
    if provider is not None:
        (folder / ".streamlit" / "secrets.toml").write_text(secrets_toml(port, provider), encoding="utf-8")
    log = folder / "streamlit.log"
    command = [
        sys.executable,
        "-m",
        "streamlit",
        "run",
        str(app),
        "--server.address",
        address,
        "--server.port",
        str(port),
        "--server.headless=true",
        "--server.fileWatcherType=none",
        "--browser.gatherUsageStats=false",
    ]
    variables = os.environ | {"PYTHONPATH": str(ROOT)} | (environment or {})
    with log.open("wb") as output:
        process = subprocess.Popen(command, cwd=folder, env=variables, stdout=output, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    try:
        wait_for(f"{url}/_stcore/health", process, log, "The Streamlit server")
        yield Server(url, log)
    finally:
        stop(process)


def settle(page: Page) -> None:
    page.wait_for_timeout(300)
    page.wait_for_selector(IDLE, timeout=30_000)


def open_app(browser: Browser, url: str) -> Page:
    """A person of their own: a new browser context (own cookies, own Streamlit session)."""
    page = browser.new_context(viewport={"width": 1280, "height": 900}).new_page()
    page.goto(url)
    settle(page)
    return page


def main(page: Page) -> Locator:
    return page.get_by_test_id("stMainBlockContainer")


def sidebar(page: Page) -> Locator:
    return page.get_by_test_id("stSidebarUserContent")


def sign_in(page: Page, app_url: str, provider: str, subject: str) -> None:
    """Click Sign in, choose the registered user on the provider's own page, and come back signed in."""
    expect(page.get_by_role("button", name="Sign in")).to_be_visible()
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(f"{provider}/oauth2/authorize*", timeout=30_000)
    page.get_by_role("button", name=subject, exact=True).click()
    page.wait_for_url(f"{app_url}/", timeout=30_000)
    settle(page)


def test_two_people_sign_in_see_what_their_role_allows_and_sign_out(
    provider: str, browser: Browser, tmp_path: Path
) -> None:
    with serve(tmp_path, "127.0.0.1", provider) as server:
        approver = open_app(browser, server.url)
        expect(approver.get_by_text("Sign in to continue.")).to_be_visible()
        expect(approver.get_by_text("Name:")).to_have_count(0)  # nothing but the button before sign-in
        expect(approver.get_by_role("button", name="Approve")).to_have_count(0)
        sign_in(approver, server.url, provider, APPROVER["sub"])
        expect(approver.get_by_text("Name: Head of Libraries")).to_be_visible()
        expect(main(approver).get_by_text("Roles: Approver (head of service)")).to_be_visible()
        expect(
            # an address is drawn with an invisible word joiner after the @, so Markdown never makes it a link
            sidebar(approver).get_by_text(
                re.compile("Signed in as Head of Libraries <head\\.libraries@\u2060?example\\.org>")
            )
        ).to_be_visible()
        expect(approver.get_by_role("button", name="Approve")).to_be_visible()
        expect(approver.get_by_role("button", name="Start an assessment")).to_have_count(0)
        expect(approver.get_by_text(LOCAL_BANNER)).to_have_count(0)

        manager = open_app(browser, server.url)  # a second person, in a browser of their own
        sign_in(manager, server.url, provider, MANAGER["sub"])
        expect(manager.get_by_text("Name: Libraries service manager")).to_be_visible()
        expect(main(manager).get_by_text("Roles: Service manager")).to_be_visible()
        expect(sidebar(manager).get_by_text("Roles: Service manager")).to_be_visible()
        expect(manager.get_by_role("button", name="Start an assessment")).to_be_visible()
        expect(manager.get_by_role("button", name="Approve")).to_have_count(0)
        expect(manager.get_by_role("button", name="Assign roles")).to_have_count(0)

        # Signing out ends the session: through the provider's end-session page, back to the sign-in button, and a
        # reload does not bring the person back. The other person is still signed in.
        manager.get_by_role("button", name="Sign out").click()
        manager.wait_for_url(f"{provider}/oauth2/end_session*", timeout=30_000)
        manager.get_by_role("button", name="End session").click()
        manager.wait_for_url(f"{server.url}/", timeout=30_000)
        settle(manager)
        expect(manager.get_by_role("button", name="Sign in")).to_be_visible()
        expect(manager.get_by_text("Name:")).to_have_count(0)
        manager.reload()
        settle(manager)
        expect(manager.get_by_role("button", name="Sign in")).to_be_visible()
        expect(manager.get_by_role("button", name="Start an assessment")).to_have_count(0)
        assert not [cookie for cookie in manager.context.cookies() if cookie["name"].startswith("_streamlit_user")]

        approver.reload()
        settle(approver)
        expect(approver.get_by_role("button", name="Approve")).to_be_visible()
        assert "Traceback" not in server.output()
        for page in (approver, manager):
            page.context.close()


def test_local_mode_on_every_interface_is_refused_with_a_message(browser: Browser, tmp_path: Path) -> None:
    with serve(tmp_path, "0.0.0.0", provider=None) as server:
        page = open_app(browser, server.url)
        expect(page.get_by_text("proofing will not serve 0.0.0.0 in local mode")).to_be_visible()
        expect(page.get_by_text("Name:")).to_have_count(0)
        expect(main(page).get_by_role("button")).to_have_count(0)
        assert "Traceback" not in page.content()
        page.context.close()
        output = server.output()
    assert "proofing will not serve 0.0.0.0 in local mode" in output  # the operator sees it in the log too
    assert "Traceback" not in output


def test_local_mode_on_loopback_shows_the_banner_and_every_role(browser: Browser, tmp_path: Path) -> None:
    with serve(tmp_path, "127.0.0.1", provider=None) as server:
        page = open_app(browser, server.url)
        expect(page.get_by_text(LOCAL_BANNER)).to_be_visible()
        expect(page.get_by_text("Name: Local user")).to_be_visible()
        for action in ("Start an assessment", "Approve", "Assign roles"):
            expect(page.get_by_role("button", name=action)).to_be_visible()
        page.context.close()


def test_with_sign_in_configured_every_interface_is_served(provider: str, browser: Browser, tmp_path: Path) -> None:
    with serve(tmp_path, "0.0.0.0", provider) as server:
        page = open_app(browser, server.url)
        expect(page.get_by_role("button", name="Sign in")).to_be_visible()
        expect(page.get_by_text("will not serve")).to_have_count(0)
        sign_in(page, server.url, provider, APPROVER["sub"])
        expect(page.get_by_role("button", name="Approve")).to_be_visible()
        page.context.close()
        assert "Traceback" not in server.output()


def test_the_real_app_shows_each_person_only_what_their_role_may_see(
    provider: str, browser: Browser, tmp_path: Path
) -> None:
    """The app itself, signed in: a service manager cannot open a colleague's assessment (the store refuses it,
    whatever the page shows); an approver, who may read every assessment, can."""
    from proofing.access import User
    from proofing.plan import read_plan
    from proofing.store import Store

    url = f"sqlite:///{tmp_path / 'app.db'}"
    colleague = User(subject="manager-2", name="Another service manager", roles=frozenset({"service_manager"}))
    theirs = Store(url).acting(colleague).create(read_plan(ROOT / "examples" / "street-lighting-led.yaml"))
    with serve(tmp_path / "app", "127.0.0.1", provider, ROOT / "app.py", {"PROOFING_DB_URL": url}) as server:
        manager = open_app(browser, server.url)
        sign_in(manager, server.url, provider, MANAGER["sub"])
        manager.goto(f"{server.url}/?assessment={theirs}")
        settle(manager)
        expect(main(manager).get_by_text("You may not see the assessment at this address")).to_be_visible()
        expect(main(manager).get_by_text("Replace street lights")).to_have_count(0)

        approver = open_app(browser, server.url)
        sign_in(approver, server.url, provider, APPROVER["sub"])
        approver.goto(f"{server.url}/?assessment={theirs}")
        settle(approver)
        expect(main(approver).get_by_text("Replace street lights with LED lanterns").first).to_be_visible()
        expect(main(approver).get_by_text("You may not see")).to_have_count(0)
        assert "Traceback" not in server.output()
        for page in (manager, approver):
            page.context.close()
