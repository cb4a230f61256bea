"""Sign-in: the configuration read from secrets, claims to roles, assigned roles, local mode and the loopback guard
(proofing/identity.py), and the page-level behaviour of views/signin.py through AppTest on tests/signin_app.py.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import streamlit
from streamlit import config as streamlit_config
from streamlit.runtime.secrets import Secrets
from streamlit.testing.v1 import AppTest

from proofing.access import LOCAL_USER, ROLES, may
from proofing.identity import (
    EXAMPLE_COOKIE_SECRET,
    BindRefused,
    SigninConfig,
    SigninConfigError,
    SignInError,
    check_bind_address,
    is_loopback,
    signin_config,
    user_from_claims,
)
from views.signin import LOCAL_BANNER, secrets_mapping

PROJECT = Path(__file__).resolve().parent.parent
APP = PROJECT / "tests" / "signin_app.py"
AUTH: dict[str, Any] = {
    "redirect_uri": "http://127.0.0.1:8501/oauth2callback",
    "cookie_secret": "c" * 64,
    "client_id": "proofing",
    "client_secret": "not-a-real-secret",
    "server_metadata_url": "http://127.0.0.1:9400/.well-known/openid-configuration",
}
PROOFING: dict[str, Any] = {
    "roles_claim": "groups",
    "roles": {"proofing-approvers": "approver", "proofing-managers": ["service_manager"], "it": ["administrator"]},
}
SECRETS = {"auth": AUTH, "proofing": PROOFING}


def config() -> SigninConfig:
    return signin_config(SECRETS)


# The configuration -------------------------------------------------------------------------------------------


def test_no_auth_section_is_local_mode() -> None:
    assert not signin_config({}).configured
    assert not signin_config({"unrelated": "value"}).configured
    assert not signin_config({"auth": {}}).configured


def test_an_unnamed_provider_is_the_default_one() -> None:
    loaded = config()
    assert loaded.configured and loaded.providers == ("default",)
    assert loaded.roles_claim == "groups"
    assert loaded.group_roles["proofing-approvers"] == {"approver"}
    assert loaded.group_roles["proofing-managers"] == {"service_manager"}


def test_named_providers_are_found() -> None:
    provider = {key: AUTH[key] for key in ("client_id", "client_secret", "server_metadata_url")}
    shared = {"redirect_uri": AUTH["redirect_uri"], "cookie_secret": AUTH["cookie_secret"]}
    loaded = signin_config({"auth": shared | {"keycloak": provider, "microsoft": provider}})
    assert loaded.providers == ("keycloak", "microsoft")


@pytest.mark.parametrize(
    ("auth", "words"),
    [
        ({key: value for key, value in AUTH.items() if key != "cookie_secret"}, 'no "cookie_secret"'),
        ({key: value for key, value in AUTH.items() if key != "redirect_uri"}, 'no "redirect_uri"'),
        (AUTH | {"redirect_uri": "http://127.0.0.1:8501/"}, "/oauth2callback"),
        (AUTH | {"cookie_secret": "short"}, "shorter than 32"),
        (AUTH | {"cookie_secret": EXAMPLE_COOKIE_SECRET}, "the example's placeholder"),
        ({key: value for key, value in AUTH.items() if key != "client_secret"}, "missing client_secret"),
        ({"redirect_uri": AUTH["redirect_uri"], "cookie_secret": AUTH["cookie_secret"]}, "names no identity provider"),
        (
            {
                "redirect_uri": AUTH["redirect_uri"],
                "cookie_secret": AUTH["cookie_secret"],
                "my_idp": {"client_id": "x"},
            },
            "underscore",
        ),
    ],
)
def test_an_incomplete_auth_section_is_refused_not_local_mode(auth: dict[str, Any], words: str) -> None:
    with pytest.raises(SigninConfigError, match=words) as refused:
        signin_config({"auth": auth})
    assert "not-a-real-secret" not in str(refused.value) and "c" * 64 not in str(refused.value)


@pytest.mark.parametrize(
    ("proofing", "words"),
    [
        ({"roles": {"heads": "approvr"}}, "approvr, which proofing does not have"),
        ({"roles": {"heads": 3}}, "must be a role or a list of roles"),
        ({"roles": "approver"}, "must be a table"),
        ({"roles_claim": ""}, "must be the name of a claim"),
        ({"role_claim": "groups"}, "unknown keys: role_claim"),
    ],
)
def test_a_wrong_role_map_is_refused_in_words(proofing: dict[str, Any], words: str) -> None:
    with pytest.raises(SigninConfigError, match=words):
        signin_config({"auth": AUTH, "proofing": proofing})


def test_the_documented_example_is_a_sound_configuration_once_its_cookie_secret_is_made() -> None:
    example = tomllib.loads((PROJECT / ".streamlit" / "secrets.example.toml").read_text(encoding="utf-8"))
    with pytest.raises(SigninConfigError, match="placeholder"):
        signin_config(example)
    example["auth"]["cookie_secret"] = "0123456789abcdef" * 4
    loaded = signin_config(example)
    assert loaded.configured and loaded.roles_claim == "groups"
    assert loaded.group_roles["proofing-administrators"] == {"administrator", "auditor"}


def test_secrets_toml_is_never_committed() -> None:
    assert ".streamlit/secrets.toml" in (PROJECT / ".gitignore").read_text(encoding="utf-8").splitlines()


# Claims to a user --------------------------------------------------------------------------------------------


def test_claims_map_to_a_user_with_the_mapped_roles() -> None:
    claims = {
        "sub": "abc-123",
        "name": "Head of Libraries",
        "email": "head.libraries@example.org",
        "groups": ["proofing-approvers", "all-staff"],
    }
    user = user_from_claims(claims, config())
    assert (user.subject, user.name, user.email) == ("abc-123", "Head of Libraries", "head.libraries@example.org")
    assert user.roles == {"approver"}  # "all-staff" is in no map: no role from it
    assert may(user, "approve") and not may(user, "assign_roles")


def test_several_groups_add_up_and_a_single_string_claim_counts() -> None:
    assert user_from_claims({"sub": "s", "groups": ["proofing-approvers", "it"]}, config()).roles == {
        "approver",
        "administrator",
    }
    assert user_from_claims({"sub": "s", "groups": "proofing-managers"}, config()).roles == {"service_manager"}


def test_a_dotted_claim_name_reads_nested_claims_and_an_exact_key_wins() -> None:
    nested = signin_config({"auth": AUTH, "proofing": {"roles_claim": "realm_access.roles", "roles": {"a": "auditor"}}})
    assert user_from_claims({"sub": "s", "realm_access": {"roles": ["a"]}}, nested).roles == {"auditor"}
    namespaced = signin_config(
        {"auth": AUTH, "proofing": {"roles_claim": "https://example.org/roles", "roles": {"a": "trainer"}}}
    )
    assert user_from_claims({"sub": "s", "https://example.org/roles": ["a"]}, namespaced).roles == {"trainer"}


def test_assigned_roles_add_to_the_claims_and_unknown_ones_are_ignored() -> None:
    claims = {"sub": "s", "name": "An auditor", "groups": ["proofing-managers"]}
    user = user_from_claims(claims, config(), assigned_roles=["auditor", "no-such-role"])
    assert user.roles == {"service_manager", "auditor"}
    assert user_from_claims({"sub": "s"}, config(), ["facilitator"]).roles == {"facilitator"}


def test_no_group_claim_gives_no_role() -> None:
    user = user_from_claims({"sub": "s", "email": "someone@example.org"}, config())
    assert user.roles == frozenset() and user.name == "someone@example.org"


def test_the_name_falls_back_to_username_email_then_subject() -> None:
    assert user_from_claims({"sub": "s", "preferred_username": "officer1"}, config()).name == "officer1"
    assert user_from_claims({"sub": "s", "name": "  "}, config()).name == "s"


@pytest.mark.parametrize("claims", [{}, {"sub": ""}, {"sub": 7}, {"name": "No subject"}])
def test_claims_without_a_subject_are_refused(claims: dict[str, Any]) -> None:
    with pytest.raises(SignInError, match="did not say who you are"):
        user_from_claims(claims, config())


def test_local_mode_is_the_local_user_with_every_role() -> None:
    user = user_from_claims({"sub": "ignored"}, signin_config({}))
    assert user == LOCAL_USER and user.roles == set(ROLES)


# The loopback guard ------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "address",
    ["127.0.0.1", "127.0.0.53", "127.255.255.254", "::1", "[::1]", "localhost", "LOCALHOST", "::ffff:127.0.0.1"],
)
def test_loopback_addresses_are_allowed_in_local_mode(address: str) -> None:
    assert is_loopback(address)
    check_bind_address(address, signin_configured=False)


@pytest.mark.parametrize(
    "address", ["0.0.0.0", "::", "192.168.1.20", "10.0.0.5", "example.org", "localhost.example.org", "128.0.0.1", ""]
)
def test_other_addresses_are_refused_in_local_mode_with_a_message(address: str) -> None:
    assert not is_loopback(address)
    with pytest.raises(BindRefused, match="will not serve .* in local mode") as refused:
        check_bind_address(address, signin_configured=False)
    assert "127.0.0.1" in str(refused.value) and "Sign-in" in str(refused.value)
    check_bind_address(address, signin_configured=True)  # each person signs in: any address may be served


def test_no_address_means_every_interface_and_is_refused_in_local_mode() -> None:
    with pytest.raises(BindRefused, match="every address"):
        check_bind_address(None, signin_configured=False)


# The page, through AppTest -----------------------------------------------------------------------------------


@pytest.fixture()
def bound() -> Iterator[Any]:
    """Set Streamlit's server.address for one test (AppTest runs in this process), and put it back after."""
    before = streamlit_config.get_option("server.address")

    def bind(address: str | None) -> None:
        streamlit_config.set_option("server.address", address)

    yield bind
    streamlit_config.set_option("server.address", before)


def app(secrets: dict[str, Any], user: dict[str, Any] | None = None) -> AppTest:
    at = AppTest.from_file(str(APP), default_timeout=30)
    at.secrets = secrets
    if user is not None:
        at.user = user
    return at.run()


def shown(markdown: str) -> str:
    """Text as a person reads it: views/signin.py escapes every punctuation character it passes to Markdown."""
    return re.sub(r"\\(.)", r"\1", markdown)


def errors(at: AppTest) -> list[str]:
    return [shown(error.value) for error in at.error]


def texts(at: AppTest) -> str:
    parts = [element.value for element in (*at.text, *at.error, *at.warning, *at.caption, *at.markdown)]
    return "\n".join(shown(str(part)) for part in parts)


def buttons(at: AppTest) -> set[str]:
    return {button.label for button in at.button}


def test_local_mode_shows_the_banner_and_the_local_user(bound: Any) -> None:
    bound("127.0.0.1")
    at = app({"unrelated": "no [auth] section"})
    assert not at.exception
    assert [shown(warning.value) for warning in at.warning] == [LOCAL_BANNER]
    assert "Name: Local user" in texts(at)
    assert {"Approve", "Assign roles", "Start an assessment"} <= buttons(at)


def test_local_mode_on_every_interface_shows_only_the_refusal(bound: Any) -> None:
    bound("0.0.0.0")
    at = app({"unrelated": "no [auth] section"})
    assert not at.exception
    assert "will not serve 0.0.0.0 in local mode" in errors(at)[0]
    assert buttons(at) == set() and "Name:" not in texts(at)


def test_signed_out_sees_only_the_sign_in_button(bound: Any) -> None:
    bound("0.0.0.0")  # with sign-in configured any address is served
    at = app(SECRETS, {"is_logged_in": False})
    assert not at.exception
    assert buttons(at) == {"Sign in"} and "Name:" not in texts(at)


def test_signed_in_sees_name_roles_and_only_what_the_role_allows(bound: Any) -> None:
    bound("127.0.0.1")
    approver = {"is_logged_in": True, "sub": "a1", "name": "An approver", "groups": ["proofing-approvers"]}
    at = app(SECRETS, approver)
    assert not at.exception
    assert "Name: An approver" in texts(at) and "Roles: Approver (head of service)" in texts(at)
    assert buttons(at) == {"Approve", "Sign out"}

    manager = {"is_logged_in": True, "sub": "m1", "name": "A manager", "groups": ["proofing-managers"]}
    at = app(SECRETS, manager)
    assert buttons(at) == {"Start an assessment", "Sign out"}


def test_signed_in_with_no_role_is_told_so_and_sees_nothing_else(bound: Any) -> None:
    bound("127.0.0.1")
    at = app(SECRETS, {"is_logged_in": True, "sub": "x1", "name": "A visitor", "groups": ["all-staff"]})
    assert not at.exception
    assert "hold no role in proofing yet" in errors(at)[0]
    assert buttons(at) == {"Sign out"} and "Name:" not in texts(at)


def test_sign_out_ends_the_session(bound: Any) -> None:
    bound("127.0.0.1")
    at = app(SECRETS, {"is_logged_in": True, "sub": "a1", "name": "An approver", "groups": ["proofing-approvers"]})
    at.button(key="proofing_sign_out").click().run()
    assert not at.exception
    assert at.user.get("is_logged_in") is False
    at.run()
    assert buttons(at) == {"Sign in"}


def test_a_misconfigured_auth_section_stops_every_page_in_words(bound: Any) -> None:
    bound("127.0.0.1")
    at = app({"auth": {"redirect_uri": AUTH["redirect_uri"]}})
    assert not at.exception
    assert errors(at)[0].startswith("Sign-in is not set up correctly") and 'no "cookie_secret"' in errors(at)[0]
    assert buttons(at) == set()


def test_assigned_roles_come_from_the_lookup_the_app_passes(bound: Any) -> None:
    bound("127.0.0.1")

    def page() -> None:
        import streamlit as st

        from views import signin

        user = signin.require_user(assigned=lambda subject: ["auditor"] if subject == "u1" else [])
        st.text("Roles: " + ",".join(sorted(user.roles)))

    at = AppTest.from_function(page, default_timeout=30)
    at.secrets = SECRETS
    at.user = {"is_logged_in": True, "sub": "u1", "name": "An auditor", "groups": []}
    at.run()
    assert not at.exception
    assert "Roles: auditor" in [text.value for text in at.text]


def test_a_secrets_file_that_is_not_toml_is_an_error_not_local_mode(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    broken = tmp_path / "secrets.toml"
    broken.write_text('[auth]\nredirect_uri = "http://127.0.0.1:8501/oauth2callback\n', encoding="utf-8")
    before = streamlit_config.get_option("secrets.files")
    streamlit_config.set_option("secrets.files", [str(broken)])
    try:
        monkeypatch.setattr(streamlit, "secrets", Secrets())
        with pytest.raises(SigninConfigError, match="could not be read; check that it is valid TOML"):
            secrets_mapping()
        broken.unlink()  # no file at all: local mode
        monkeypatch.setattr(streamlit, "secrets", Secrets())
        assert secrets_mapping() == {}
    finally:
        streamlit_config.set_option("secrets.files", before)
