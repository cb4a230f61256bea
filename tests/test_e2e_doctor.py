"""The configuration check and the first administrator in real headless Chromium, through the real OpenID Connect
provider tests/test_e2e_signin.py runs on 127.0.0.1 (its helpers and its `provider` fixture are used as they are).

- A real `streamlit run` on the example secrets shows every placeholder at once, each with its fix, and no Sign in
  button (so nobody meets Streamlit's bare "Authentication error").
- A person signed in through the provider as a service manager is refused the Roles page; `proofing roles grant`
  on the server makes them an administrator, and the same page then lets them assign roles.
"""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

from playwright.sync_api import Browser, expect

from tests.test_e2e_signin import MANAGER, main, open_app, provider, serve, settle, sign_in

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / ".streamlit" / "secrets.example.toml"
__all__ = ["provider"]  # the module's fixture, used here by name


def test_the_example_secrets_show_every_fault_instead_of_a_sign_in_button(browser: Browser, tmp_path: Path) -> None:
    (tmp_path / ".streamlit").mkdir()
    (tmp_path / ".streamlit" / "secrets.toml").write_text(EXAMPLE.read_text(encoding="utf-8"), encoding="utf-8")
    with serve(tmp_path, "127.0.0.1", None) as server:
        page = open_app(browser, server.url)
        alert = main(page).get_by_role("alert")
        expect(alert).to_contain_text("Sign-in is not set up correctly")
        items = alert.get_by_role("listitem")
        expect(items).to_have_count(5)
        for words in ("redirect_uri", "cookie_secret", "client_id", "client_secret", "server_metadata_url"):
            expect(alert).to_contain_text(re.compile(rf"\[auth\] {words} .*To fix it:"))
        expect(page.get_by_role("button", name="Sign in")).to_have_count(0)
        assert "Traceback" not in page.content() and "YOUR-TENANT-ID" not in page.content()
        page.screenshot(path=str(tmp_path / "doctor-example-secrets.png"), full_page=True)
        page.context.close()


def test_roles_grant_makes_the_first_administrator_who_opens_the_roles_page(
    provider: str, browser: Browser, tmp_path: Path
) -> None:
    database = f"sqlite:///{tmp_path / 'proofing.db'}"
    environment = {"PROOFING_DB_URL": database, "PROOFING_PUBLIC_URL": "https://proofing.council.gov.uk"}
    with serve(tmp_path / "app", "127.0.0.1", provider, ROOT / "app.py", environment) as server:
        page = open_app(browser, server.url)
        sign_in(page, server.url, provider, MANAGER["sub"])
        page.goto(f"{server.url}/admin")
        settle(page)
        expect(main(page)).to_contain_text("Only an administrator can assign roles.")
        expect(page.get_by_test_id("stSidebarUserContent")).to_contain_text(
            f"Sign-in identity (subject): {MANAGER['sub']}"
        )

        granted = subprocess.run(
            [sys.executable, "-m", "proofing.cli", "roles", "grant", MANAGER["sub"], "administrator", "--db", database],
            capture_output=True,
            text=True,
            cwd=ROOT,
            check=False,
        )
        assert granted.returncode == 0, granted.stderr
        assert "now holds Administrator (administrator)" in granted.stdout

        page.reload()
        settle(page)
        expect(main(page)).not_to_contain_text("Only an administrator can assign roles.")
        expect(page.get_by_role("button", name="Assign these roles")).to_be_visible()
        expect(main(page)).to_contain_text(MANAGER["sub"])  # listed among the roles assigned in the app
        page.screenshot(path=str(tmp_path / "doctor-first-administrator.png"), full_page=True)
        page.context.close()


def test_an_administrator_sees_the_whole_list_of_faults_above_the_page(
    provider: str, browser: Browser, tmp_path: Path
) -> None:
    database = f"sqlite:///{tmp_path / 'proofing.db'}"
    granted = subprocess.run(
        [sys.executable, "-m", "proofing.cli", "roles", "grant", MANAGER["sub"], "administrator", "--db", database],
        capture_output=True,
        text=True,
        cwd=ROOT,
        check=False,
    )
    assert granted.returncode == 0, granted.stderr
    environment = {"PROOFING_DB_URL": database, "PROOFING_PUBLIC_URL": "", "PROOFING_SIGNING_KEY": ""}
    with serve(tmp_path / "app", "127.0.0.1", provider, ROOT / "app.py", environment) as server:
        page = open_app(browser, server.url)
        sign_in(page, server.url, provider, MANAGER["sub"])
        alert = main(page).get_by_role("alert").filter(has_text="The configuration has 1 fault")
        expect(alert).to_be_visible()
        expect(alert).to_contain_text("PROOFING_PUBLIC_URL is not set. To fix it: set PROOFING_PUBLIC_URL")
        page.screenshot(path=str(tmp_path / "doctor-administrator-list.png"), full_page=True)
        page.context.close()
