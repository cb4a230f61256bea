"""`proofing roles grant|revoke|list` (proofing/cli_roles.py): the first administrator made from the command line,
audited as done by "command line", on SQLite and PostgreSQL; then the app gives that person the Roles page."""

from __future__ import annotations

from typing import Any

import pytest
from streamlit import config as streamlit_config
from streamlit.testing.v1 import AppTest

from proofing.audit_chain import verify_store
from proofing.cli import main
from proofing.store import Store

SECRETS: dict[str, Any] = {
    "auth": {
        "redirect_uri": "http://127.0.0.1:8501/oauth2callback",
        "cookie_secret": "c" * 64,
        "client_id": "proofing",
        "client_secret": "not-a-real-secret",
        "server_metadata_url": "http://127.0.0.1:9400/.well-known/openid-configuration",
    }
}  # a provider with no groups claim: nobody holds a role but those assigned in the app


def roles(capsys: pytest.CaptureFixture[str], *arguments: str) -> tuple[int, str]:
    code = main(["roles", *arguments])
    captured = capsys.readouterr()
    return code, captured.out + captured.err


def test_grant_makes_the_first_administrator_audited_as_the_command_line(
    capsys: pytest.CaptureFixture[str], url: str
) -> None:
    code, out = roles(capsys, "grant", "00u1a2b3c4", "administrator", "--db", url)
    assert code == 0 and "00u1a2b3c4 now holds Administrator (administrator)." in out
    store = Store(url)
    assert store.assigned_roles("00u1a2b3c4") == {"administrator"}
    [entry] = store.audit()
    assert (entry.who, entry.subject, entry.action) == ("command line", "command-line", "role changed")
    assert entry.detail == "00u1a2b3c4: administrator"
    assert verify_store(url).intact  # chained like every other entry


def test_grant_adds_to_the_roles_held_and_twice_is_once(capsys: pytest.CaptureFixture[str], url: str) -> None:
    assert roles(capsys, "grant", "s1", "auditor", "--db", url)[0] == 0
    assert roles(capsys, "grant", "s1", "approver", "--db", url)[0] == 0
    code, out = roles(capsys, "grant", "s1", "approver", "--db", url)
    assert code == 0 and "already holds" in out
    store = Store(url)
    assert store.assigned_roles("s1") == {"auditor", "approver"}
    assert len(store.audit()) == 2  # the repeated grant changed nothing and wrote nothing


def test_revoke_takes_one_role_and_leaves_the_others(capsys: pytest.CaptureFixture[str], url: str) -> None:
    roles(capsys, "grant", "s1", "auditor", "--db", url)
    roles(capsys, "grant", "s1", "trainer", "--db", url)
    code, out = roles(capsys, "revoke", "s1", "auditor", "--db", url)
    assert code == 0 and "s1 no longer holds Auditor (auditor)." in out
    assert Store(url).assigned_roles("s1") == {"trainer"}
    code, out = roles(capsys, "revoke", "s1", "auditor", "--db", url)
    assert code == 0 and "nothing changed" in out
    assert [entry.detail for entry in Store(url).audit()] == ["s1: auditor", "s1: auditor, trainer", "s1: trainer"]


def test_list_shows_every_subject_and_their_roles(capsys: pytest.CaptureFixture[str], url: str) -> None:
    code, out = roles(capsys, "list", "--db", url)
    assert code == 0 and "No roles have been assigned in the app yet." in out
    roles(capsys, "grant", "b-person", "trainee", "--db", url)
    roles(capsys, "grant", "a-person", "administrator", "--db", url)
    roles(capsys, "grant", "a-person", "service_manager", "--db", url)
    code, out = roles(capsys, "list", "--db", url)
    assert code == 0
    assert out.splitlines() == [
        "a-person: Service manager (service_manager), Administrator (administrator)",
        "b-person: Trainee (trainee)",
    ]


@pytest.mark.parametrize("verb", ["grant", "revoke"])
def test_an_unknown_role_is_refused_in_words(capsys: pytest.CaptureFixture[str], url: str, verb: str) -> None:
    code, out = roles(capsys, verb, "s1", "boss", "--db", url)
    assert code == 2
    assert '"boss" is not a role in proofing. The roles are: Service manager (service_manager),' in out
    assert "Trainee (trainee)" in out and "Traceback" not in out
    assert Store(url).audit() == [] and Store(url).role_assignments() == {}


def test_a_role_may_be_written_as_people_write_it(capsys: pytest.CaptureFixture[str], url: str) -> None:
    assert roles(capsys, "grant", "s1", "Service-Manager", "--db", url)[0] == 0
    assert Store(url).assigned_roles("s1") == {"service_manager"}


def test_a_subject_that_cannot_be_one_is_refused(capsys: pytest.CaptureFixture[str], url: str) -> None:
    code, out = roles(capsys, "grant", "   ", "administrator", "--db", url)
    assert code == 2 and "subject" in out and "Traceback" not in out
    code, out = roles(capsys, "grant", "x" * 201, "administrator", "--db", url)
    assert code == 2
    assert Store(url).role_assignments() == {}


def test_the_granted_administrator_opens_the_roles_page(
    capsys: pytest.CaptureFixture[str], url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Signed in through a provider that sends no groups, the person holds no role until the command line grants
    one; then the app's lookup (app.py passes the store's) makes them an administrator, who may assign roles."""
    before = streamlit_config.get_option("server.address")
    streamlit_config.set_option("server.address", "127.0.0.1")

    def page() -> None:
        import os

        import streamlit as st

        from proofing.access import may
        from proofing.store import Store
        from views import signin

        user = signin.require_user(assigned=Store(os.environ["ROLES_TEST_DB"]).assigned_roles)
        st.text("may assign roles" if may(user, "assign_roles") else "may not assign roles")

    def signed_in() -> AppTest:
        at = AppTest.from_function(page, default_timeout=30)
        at.secrets = SECRETS
        at.user = {"is_logged_in": True, "sub": "00u1a2b3c4", "name": "The administrator", "groups": []}
        return at.run()

    monkeypatch.setenv("ROLES_TEST_DB", url)
    monkeypatch.setenv("PROOFING_DB_URL", url)
    monkeypatch.setenv("PROOFING_PUBLIC_URL", "https://proofing.council.gov.uk")
    try:
        before_grant = signed_in()
        assert not before_grant.exception
        assert any("hold no role" in error.value for error in before_grant.error)
        subject_shown = [caption.value.replace("\\", "") for caption in before_grant.sidebar.caption]
        assert "Sign-in identity (subject): 00u1a2b3c4" in subject_shown  # what the person tells the server's admin
        assert roles(capsys, "grant", "00u1a2b3c4", "administrator", "--db", url)[0] == 0
        after = signed_in()
        assert not after.exception
        assert [text.value for text in after.text] == ["may assign roles"]
    finally:
        streamlit_config.set_option("server.address", before)
