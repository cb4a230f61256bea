"""End to end in real headless Chromium: the app signs the Word record it exports when the council's key is
configured, and `proofing verify --key` exits 0 on the download; without a key the page says records are unsigned.

The app is started as tests/test_e2e_browser.py starts it, with PROOFING_SIGNING_KEY naming a key made for the
test (outside the project folder).
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect

from proofing.access import LOCAL_USER
from proofing.cli import main as proofing_main
from proofing.plan import read_plan
from proofing.signing import PRIVATE_KEY_ENV, generate_keys
from proofing.store import Store
from tests.test_e2e_browser import ROOT, settle, start_app


@pytest.fixture(scope="module")
def keys(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("keys")
    generate_keys(folder / "council.pem", folder / "council.pub.pem")
    generate_keys(folder / "other.pem", folder / "other.pub.pem")
    return {"private": folder / "council.pem", "public": folder / "council.pub.pem", "other": folder / "other.pub.pem"}


@pytest.fixture(scope="module")
def signing_server(tmp_path_factory: pytest.TempPathFactory, keys: dict[str, Path]) -> Iterator[tuple[str, str]]:
    database = f"sqlite:///{tmp_path_factory.mktemp('e2e-signed') / 'e2e.db'}"
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv(PRIVATE_KEY_ENV, str(keys["private"]))
        with start_app(database) as url:
            patch.delenv(PRIVATE_KEY_ENV)  # only the app's process has the key
            yield url, database


@pytest.fixture(scope="module")
def unsigned_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, str]]:
    database = f"sqlite:///{tmp_path_factory.mktemp('e2e-unsigned') / 'e2e.db'}"
    with pytest.MonkeyPatch.context() as patch:
        patch.delenv(PRIVATE_KEY_ENV, raising=False)
        with start_app(database) as url:
            yield url, database


def open_export(page: Page, url: str, database: str) -> None:
    """Open the Export page of a complete assessment at its address (the link to it is tested in
    tests/test_e2e_browser.py). Reached by the questionnaire's link just after that page opened, the page switch was
    sometimes lost on a newly started app: the questionnaire runs a second time a moment after it is drawn, and a page
    switch arriving as that run ended was dropped (the app's debug log: the switch's run began and ended within 2 ms,
    drawing nothing, and no other run followed)."""
    complete = Store(database).create(read_plan(ROOT / "examples" / "translation-contract.yaml"))
    page.goto(f"{url}/export?assessment={complete}")
    settle(page)
    expect(page.get_by_role("heading", name="Export", exact=True)).to_be_visible()


def download_the_word_record(page: Page, tmp_path: Path) -> Path:
    """On the Export page: prepare the Word record and download it into `tmp_path`; the page closed, its path."""
    page.get_by_role("button", name="Prepare the Word record").click()
    settle(page)
    with page.expect_download() as download:
        page.get_by_role("button", name="Download the Word record (.docx)").click()
    target = tmp_path / "record.docx"
    download.value.save_as(target)
    page.close()
    return target


def test_a_record_exported_with_the_key_configured_verifies_with_the_key(
    signing_server: tuple[str, str],
    browser: Browser,  # noqa: F811
    keys: dict[str, Path],
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    url, database = signing_server
    page = browser.new_page(viewport={"width": 1280, "height": 1000}, accept_downloads=True)
    open_export(page, url, database)
    expect(page.get_by_text("The record is signed with the council's key")).to_be_visible()
    target = download_the_word_record(page, tmp_path)
    capsys.readouterr()
    assert proofing_main(["verify", str(target), "--key", str(keys["public"])]) == 0
    out = capsys.readouterr().out
    assert f"Signed by {LOCAL_USER.described()} with the council's key" in out, out  # the person signed in
    assert proofing_main(["verify", str(target), "--key", str(keys["other"])]) == 1
    assert proofing_main(["verify", str(target)]) == 1  # signed, but by a key nobody checked


def test_without_a_key_the_export_page_says_records_are_unsigned(
    unsigned_server: tuple[str, str],
    browser: Browser,  # noqa: F811
    tmp_path: Path,
) -> None:
    url, database = unsigned_server
    page = browser.new_page(viewport={"width": 1280, "height": 1000}, accept_downloads=True)
    open_export(page, url, database)
    expect(page.get_by_text("Records are not signed: no signing key is configured")).to_be_visible()
    target = download_the_word_record(page, tmp_path)
    assert proofing_main(["verify", str(target)]) == 0
