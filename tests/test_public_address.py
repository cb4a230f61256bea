"""Where a workshop's join link points (proofing.public_address): the configured public address first, sign-in's
redirect_uri next, the browser's address last; and in local mode, never anywhere a phone could follow."""

from __future__ import annotations

import pytest

from proofing.public_address import (
    DEFAULT_LOCAL_URL,
    PUBLIC_URL_ENV,
    browser_base,
    configured_public_url,
    join_address,
    redirect_base,
    web_base,
)

PUBLIC = "https://proofing.example.gov.uk"
CALLBACK = f"{PUBLIC}/oauth2callback"


def test_the_configured_address_comes_first_with_sign_in() -> None:
    found = join_address(
        local_mode=False,
        configured=f"{PUBLIC}/",
        redirect_uri="https://other.example/oauth2callback",
        browser="http://10.1.1.1:8501",
    )
    assert (found.base, found.source, found.reachable) == (PUBLIC, "setting", True)
    assert found.link("join?code=K7P3QX9A") == f"{PUBLIC}/join?code=K7P3QX9A"


def test_without_a_setting_sign_ins_address_is_the_public_one() -> None:
    found = join_address(local_mode=False, redirect_uri=CALLBACK, browser="http://127.0.0.1:8501")
    assert (found.base, found.source, found.reachable) == (PUBLIC, "sign-in", True)
    prefixed = join_address(local_mode=False, redirect_uri="https://council.example/proofing/oauth2callback")
    assert prefixed.base == "https://council.example/proofing"


def test_the_browsers_address_is_last_and_reachable_only_when_it_is_not_this_computer() -> None:
    proxy = join_address(local_mode=False, browser="https://proofing.internal.example")
    assert (proxy.source, proxy.reachable) == ("browser", True)
    here = join_address(local_mode=False, browser="http://127.0.0.1:8501")
    assert (here.source, here.reachable, here.local_mode) == ("browser", False, False)
    nothing = join_address(local_mode=False)
    assert (nothing.base, nothing.source, nothing.reachable) == (DEFAULT_LOCAL_URL, "default", False)


@pytest.mark.parametrize("configured", ["", PUBLIC, "not an address"])
def test_local_mode_is_never_reachable_from_a_phone(configured: str) -> None:
    found = join_address(local_mode=True, configured=configured, redirect_uri=CALLBACK, browser="http://127.0.0.1:8501")
    assert (found.base, found.reachable, found.local_mode) == ("http://127.0.0.1:8501", False, True)
    assert found.ignored == configured  # a setting is not used in local mode, and the page says so
    assert found.refused is (configured == "not an address")


def test_local_mode_never_links_to_a_name_it_would_refuse() -> None:
    found = join_address(local_mode=True, browser="http://evil.example:8501")
    assert found.base == DEFAULT_LOCAL_URL and not found.reachable


@pytest.mark.parametrize(
    "configured",
    ["proofing.example.gov.uk", "ftp://proofing.example", "https://user:secret@proofing.example", "https:// x"],
)
def test_a_setting_that_is_not_an_address_is_refused_and_not_used(configured: str) -> None:
    found = join_address(local_mode=False, configured=configured, browser="https://proofing.internal.example")
    assert (found.source, found.refused, found.ignored) == ("browser", True, configured)


def test_the_setting_is_read_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(PUBLIC_URL_ENV, f"  {PUBLIC}/  ")
    assert configured_public_url() == f"{PUBLIC}/"
    monkeypatch.delenv(PUBLIC_URL_ENV)
    assert configured_public_url() == ""


def test_addresses_are_cut_to_their_base() -> None:
    assert web_base("HTTPS://Proofing.example/app/?x=1#top") == "https://Proofing.example/app"
    assert web_base("http://[::1]:8501/") == "http://[::1]:8501"
    assert web_base("http://h:notaport/") is None
    assert redirect_base("https://h.example/not-the-callback") is None
    assert browser_base("http://localhost:8501/workshop", "workshop") == "http://localhost:8501"
    assert browser_base("http://localhost:8501/", "workshop") == "http://localhost:8501"
