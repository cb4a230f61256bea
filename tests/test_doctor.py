"""The configuration check (proofing/doctor.py, `proofing doctor`, and the app's own at start, views/configuration.py):
every fault at once, each with its fix; exit 1 on the example secrets, 0 on a sound configuration."""

from __future__ import annotations

import copy
import re
import tomllib
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.pool import NullPool
from streamlit import config as streamlit_config
from streamlit.testing.v1 import AppTest

from proofing import doctor
from proofing.cli import main
from proofing.language import translator
from proofing.signing import generate_keys
from proofing.store import Store, _dispose_engine
from tests.at_migration import database_at

PROJECT = Path(__file__).resolve().parent.parent
EXAMPLE = PROJECT / ".streamlit" / "secrets.example.toml"
APP = PROJECT / "tests" / "signin_app.py"

SOUND_AUTH: dict[str, Any] = {
    "redirect_uri": "https://proofing.council.gov.uk/oauth2callback",
    "cookie_secret": "0123456789abcdef" * 4,
    "client_id": "5f1c2a9e-4b7d-4c1e-9a3f-2d6b8e0c7a41",
    "client_secret": "Qx8~kR2.vN5pL7wZ3mT9yH4bF6dJ1sC0",
    "server_metadata_url": "https://login.microsoftonline.com/0b1c2d3e-4f50-6172-8394-a5b6c7d8e9f0/v2.0/"
    ".well-known/openid-configuration",
}
SOUND_SECRETS: dict[str, Any] = {
    "auth": SOUND_AUTH,
    "proofing": {"roles_claim": "groups", "roles": {"proofing-administrators": "administrator"}},
}


@pytest.fixture
def keys(tmp_path: Path) -> tuple[Path, Path]:
    """A key pair made by proofing keys init, outside the project."""
    private, public = tmp_path / "signing.pem", tmp_path / "verify.pem"
    generate_keys(private, public)
    return private, public


@pytest.fixture
def migrated(tmp_path: Path) -> Iterator[str]:
    """A SQLite database at this version's head."""
    url = f"sqlite:///{tmp_path / 'sound.db'}"
    Store(url)
    yield url
    _dispose_engine(url)


@pytest.fixture
def sound_env(monkeypatch: pytest.MonkeyPatch, keys: tuple[Path, Path], migrated: str) -> dict[str, str]:
    """A sound environment: the public address, the key pair, the database; set in the process too (for the CLI)."""
    env = {
        "PROOFING_PUBLIC_URL": "https://proofing.council.gov.uk",
        "PROOFING_SIGNING_KEY": str(keys[0]),
        "PROOFING_VERIFY_KEY": str(keys[1]),
        "PROOFING_DB_URL": migrated,
    }
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    monkeypatch.delenv("STREAMLIT_SERVER_ADDRESS", raising=False)
    return env


def problems(report: doctor.Report) -> list[str]:
    return [fault.problem for fault in report.faults]


def run_doctor(capsys: pytest.CaptureFixture[str], *arguments: str) -> tuple[int, str]:
    code = main(["doctor", *arguments])
    captured = capsys.readouterr()
    return code, captured.out + captured.err


def write_secrets(folder: Path, secrets: str, address: str = "127.0.0.1") -> Path:
    """A .streamlit folder with these secrets and a config.toml serving `address`."""
    (folder / ".streamlit").mkdir(exist_ok=True)
    (folder / ".streamlit" / "config.toml").write_text(f'[server]\naddress = "{address}"\n', encoding="utf-8")
    path = folder / ".streamlit" / "secrets.toml"
    path.write_text(secrets, encoding="utf-8")
    return path


def toml_of(secrets: dict[str, Any]) -> str:
    """The secrets as TOML (two levels are all the tests need)."""
    lines: list[str] = []

    def table(name: str, values: dict[str, Any]) -> None:
        lines.append(f"[{name}]")
        nested = {key: value for key, value in values.items() if isinstance(value, dict)}
        for key, value in values.items():
            if not isinstance(value, dict):
                lines.append(f"{key} = {value!r}".replace("'", '"'))
        for key, value in nested.items():
            table(f"{name}.{key}" if not key.startswith("proofing-") else f'{name}."{key}"', value)

    for name, values in secrets.items():
        table(name, values)
    return "\n".join(lines) + "\n"


# --- the example secrets and the sound configuration -----------------------------------------------------------


def test_the_example_secrets_list_every_placeholder_at_once_and_exit_1(
    capsys: pytest.CaptureFixture[str], sound_env: dict[str, str]
) -> None:
    code, out = run_doctor(capsys, "--secrets", str(EXAMPLE))
    assert code == 1
    listed = [line for line in out.splitlines() if re.match(r"\d+\. ", line)]
    assert len(listed) == 5, out  # the database, the public address and the keys are sound here
    for words in (
        "redirect_uri is still the example's address (proofing.example.org)",
        "cookie_secret is still the example's placeholder",
        "client_id is still the example's placeholder",
        "client_secret is still the example's placeholder",
        "server_metadata_url still holds the example's tenant",
    ):
        assert sum(words in line for line in listed) == 1, words
    assert all(" To fix it: " in line for line in listed)
    assert "The configuration has 5 faults" in out


def test_the_example_secrets_with_nothing_else_set_list_the_public_address_and_the_database_too(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    for name in ("PROOFING_PUBLIC_URL", "PROOFING_SIGNING_KEY", "PROOFING_VERIFY_KEY"):
        monkeypatch.delenv(name, raising=False)
    code, out = run_doctor(capsys, "--secrets", str(EXAMPLE), "--db", f"sqlite:///{tmp_path / 'none.db'}")
    assert code == 1
    assert "The configuration has 7 faults" in out
    assert "PROOFING_PUBLIC_URL is not set" in out and "There is no database at" in out
    assert not (tmp_path / "none.db").exists()  # the check reads; it never makes a database


def test_a_sound_configuration_exits_0(
    capsys: pytest.CaptureFixture[str], sound_env: dict[str, str], tmp_path: Path
) -> None:
    secrets = write_secrets(tmp_path, toml_of(SOUND_SECRETS), address="0.0.0.0")
    assert tomllib.loads(secrets.read_text(encoding="utf-8")) == SOUND_SECRETS
    code, out = run_doctor(capsys, "--secrets", str(secrets))
    assert code == 0, out
    assert "The configuration is sound" in out


def test_local_mode_on_loopback_with_a_sound_database_is_sound(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, migrated: str, tmp_path: Path
) -> None:
    for name in ("PROOFING_PUBLIC_URL", "PROOFING_SIGNING_KEY", "PROOFING_VERIFY_KEY", "STREAMLIT_SERVER_ADDRESS"):
        monkeypatch.delenv(name, raising=False)
    write_secrets(tmp_path, "")
    (tmp_path / ".streamlit" / "secrets.toml").unlink()
    code, out = run_doctor(capsys, "--secrets", str(tmp_path / ".streamlit" / "secrets.toml"), "--db", migrated)
    assert code == 0, out
    assert "local mode" in out


# --- each fault, alone -----------------------------------------------------------------------------------------


def without(secrets: dict[str, Any], key: str) -> dict[str, Any]:
    changed = copy.deepcopy(secrets)
    del changed["auth"][key]
    return changed


def with_auth(**values: Any) -> dict[str, Any]:
    changed = copy.deepcopy(SOUND_SECRETS)
    changed["auth"].update(values)
    return changed


SIGNIN_FAULTS: list[tuple[str, dict[str, Any], str]] = [
    ("client id missing", without(SOUND_SECRETS, "client_id"), '{where} has no "{key}".'),
    (
        "client id placeholder",
        with_auth(client_id="the application (client) id the provider gave you"),
        "{where} {key} is still the example's placeholder.",
    ),
    ("client secret missing", without(SOUND_SECRETS, "client_secret"), '{where} has no "{key}".'),
    ("client secret placeholder", with_auth(client_secret="..."), "{where} {key} is still the example's placeholder."),
    ("metadata missing", without(SOUND_SECRETS, "server_metadata_url"), '{where} has no "{key}".'),
    (
        "tenant placeholder",
        with_auth(
            server_metadata_url="https://login.microsoftonline.com/YOUR-TENANT-ID/v2.0/.well-known/openid-configuration"
        ),
        "{where} {key} still holds the example's tenant or address.",
    ),
    (
        "metadata not an address",
        with_auth(server_metadata_url="login.microsoftonline.com"),
        "{where} {key} is not a web address.",
    ),
    (
        "metadata over http",
        with_auth(server_metadata_url="http://keycloak.council.gov.uk/realms/c/.well-known/openid-configuration"),
        "{where} {key} does not start with https://.",
    ),
    ("redirect missing", without(SOUND_SECRETS, "redirect_uri"), '[auth] has no "redirect_uri".'),
    (
        "redirect over http outside loopback",
        with_auth(redirect_uri="http://proofing.council.gov.uk/oauth2callback"),
        "[auth] redirect_uri does not start with https:// but the app is served to {host}.",
    ),
    (
        "redirect without the callback",
        with_auth(redirect_uri="https://proofing.council.gov.uk/"),
        "[auth] redirect_uri does not end with /oauth2callback.",
    ),
    ("cookie secret missing", without(SOUND_SECRETS, "cookie_secret"), '[auth] has no "cookie_secret".'),
    (
        "cookie secret placeholder",
        with_auth(cookie_secret="replace-with-64-random-hex-characters"),
        "[auth] cookie_secret is still the example's placeholder.",
    ),
    (
        "cookie secret short",
        with_auth(cookie_secret="a1b2c3d4"),
        "[auth] cookie_secret is shorter than {n} characters.",
    ),
]


@pytest.mark.parametrize(
    ("secrets", "problem"), [case[1:] for case in SIGNIN_FAULTS], ids=[c[0] for c in SIGNIN_FAULTS]
)
def test_each_signin_fault_is_found_alone_with_its_fix(
    secrets: dict[str, Any], problem: str, sound_env: dict[str, str]
) -> None:
    report = doctor.check(secrets, environ=sound_env, server_address="0.0.0.0", db_url=sound_env["PROOFING_DB_URL"])
    assert problems(report) == [problem]
    assert report.signin_faults == report.faults and report.faults[0].fix
    assert doctor.check(SOUND_SECRETS, environ=sound_env, server_address="0.0.0.0").sound


def test_a_fault_never_quotes_a_secret(sound_env: dict[str, str]) -> None:
    secret = "short-secret-0123"
    report = doctor.check(with_auth(cookie_secret=secret, client_secret="<your secret>"), environ=sound_env)
    english = translator("en")
    assert len(report.faults) == 2
    assert all(
        secret not in fault.sentence(english._) and "<your secret>" not in fault.sentence(english._)
        for fault in report.faults
    )


def test_named_providers_are_each_checked_and_their_names_too(sound_env: dict[str, str]) -> None:
    provider = {key: SOUND_AUTH[key] for key in ("client_id", "client_secret", "server_metadata_url")}
    shared = {"redirect_uri": SOUND_AUTH["redirect_uri"], "cookie_secret": SOUND_AUTH["cookie_secret"]}
    secrets = {"auth": shared | {"keycloak": provider, "entra_id": provider | {"client_id": "YOUR-CLIENT-ID"}}}
    report = doctor.check(secrets, environ=sound_env)
    assert problems(report) == [
        "[auth.{name}]: a provider's name cannot contain an underscore.",
        "{where} {key} is still the example's placeholder.",
    ]
    assert report.faults[1].values["where"] == "[auth.entra_id]"
    assert problems(doctor.check({"auth": shared}, environ=sound_env)) == ["[auth] names no identity provider."]


def test_a_role_proofing_does_not_have_is_a_fault(sound_env: dict[str, str]) -> None:
    secrets = copy.deepcopy(SOUND_SECRETS)
    secrets["proofing"]["roles"]["proofing-bosses"] = "boss"
    assert problems(doctor.check(secrets, environ=sound_env)) == ["The roles in [proofing] cannot be used: {reason}"]


def test_local_mode_on_every_interface_is_a_fault(sound_env: dict[str, str]) -> None:
    report = doctor.check({}, environ=sound_env, server_address="0.0.0.0")
    assert [fault.area for fault in report.faults] == ["server"]
    assert report.faults[0].values["address"] == "0.0.0.0"
    assert doctor.check({}, environ=sound_env, server_address="127.0.0.1").sound


@pytest.mark.parametrize(
    ("setting", "problem"),
    [
        (None, "{env} is not set."),
        ("proofing.council.gov.uk", "{env} is not a web address."),
        ("http://127.0.0.1:8501", "{env} names this machine ({host}), which no phone or other computer can reach."),
        ("http://proofing.council.gov.uk", "{env} does not start with https://."),
    ],
)
def test_the_public_address_must_be_set_and_https_when_the_app_serves_others(
    setting: str | None, problem: str, sound_env: dict[str, str]
) -> None:
    env = dict(sound_env)
    env.pop("PROOFING_PUBLIC_URL")
    if setting is not None:
        env["PROOFING_PUBLIC_URL"] = setting
    assert problems(doctor.check(SOUND_SECRETS, environ=env)) == [problem]
    assert doctor.check({}, environ=env, server_address="127.0.0.1").sound  # local mode serves this machine only


def test_an_unreadable_signing_key_is_a_fault(sound_env: dict[str, str], tmp_path: Path) -> None:
    missing = dict(sound_env, PROOFING_SIGNING_KEY=str(tmp_path / "gone.pem"))
    report = doctor.check(SOUND_SECRETS, environ=missing)
    assert problems(report) == ["The signing key {env} names cannot be used: {reason}."]
    assert "does not exist" in report.faults[0].values["reason"]
    garbage = tmp_path / "garbage.pem"
    garbage.write_text("not a key", encoding="utf-8")
    assert problems(doctor.check(SOUND_SECRETS, environ=dict(sound_env, PROOFING_SIGNING_KEY=str(garbage)))) == [
        "The signing key {env} names cannot be used: {reason}."
    ]
    unsigned = {key: value for key, value in sound_env.items() if "KEY" not in key}
    assert doctor.check(SOUND_SECRETS, environ=unsigned).sound  # no key named: records unsigned, no fault


def test_a_public_key_of_another_pair_is_a_fault(sound_env: dict[str, str], tmp_path: Path) -> None:
    (tmp_path / "other").mkdir()
    generate_keys(tmp_path / "other" / "private.pem", tmp_path / "other" / "public.pem")
    mixed = dict(sound_env, PROOFING_VERIFY_KEY=str(tmp_path / "other" / "public.pem"))
    assert problems(doctor.check(SOUND_SECRETS, environ=mixed)) == [
        "The public key {public} names is not the other half of the signing key {private} names."
    ]


# --- the database, on SQLite and PostgreSQL --------------------------------------------------------------------


def test_a_database_at_head_is_sound_and_one_behind_is_a_fault(url: str) -> None:
    with database_at(url, "0014"):
        pass
    report = doctor.database_faults(url)
    assert problems(doctor.Report(faults=tuple(report))) == [
        "The database at {url} is behind this version of proofing (its migrations are not all run)."
    ]
    assert "proofing doctor --upgrade" in report[0].fix
    Store(url)  # the upgrade the app makes when it opens it
    assert doctor.database_faults(url) == []


def test_an_empty_database_is_behind(url: str) -> None:
    if url.startswith("sqlite"):
        engine = create_engine(url, poolclass=NullPool)
        with engine.begin() as connection:  # an empty file: a database with no tables
            connection.execute(text("CREATE TABLE unrelated (x INTEGER)"))
        engine.dispose()
    assert [fault.problem for fault in doctor.database_faults(url)] == [
        "The database at {url} is behind this version of proofing (its migrations are not all run)."
    ]


def test_a_database_upgraded_by_a_newer_version_is_a_fault(url: str) -> None:
    Store(url)
    _dispose_engine(url)
    engine = create_engine(url, poolclass=NullPool)
    with engine.begin() as connection:
        connection.execute(text("UPDATE alembic_version SET version_num = '9999'"))
    engine.dispose()
    assert [fault.problem for fault in doctor.database_faults(url)] == [
        "The database at {url} was upgraded by a newer version of proofing than this one."
    ]


def test_an_unreachable_postgresql_is_a_fault_in_words() -> None:
    faults = doctor.database_faults("postgresql+psycopg://proofing:s3cret@127.0.0.1:1/proofing")
    assert [fault.problem for fault in faults] == ["The database at {url} cannot be reached: {reason}."]
    assert "s3cret" not in faults[0].values["url"] and "127.0.0.1" in faults[0].values["url"]


def test_a_database_url_that_is_not_one_is_a_fault() -> None:
    assert [fault.problem for fault in doctor.database_faults("not a url")] == ["{env} is not a database address."]


def test_doctor_upgrade_brings_the_database_to_head(
    capsys: pytest.CaptureFixture[str], sound_env: dict[str, str], tmp_path: Path, url: str
) -> None:
    secrets = write_secrets(tmp_path, toml_of(SOUND_SECRETS))
    with database_at(url, "0014"):
        pass
    code, out = run_doctor(capsys, "--secrets", str(secrets), "--db", url)
    assert code == 1 and "is behind this version" in out
    code, out = run_doctor(capsys, "--secrets", str(secrets), "--db", url, "--upgrade")
    assert code == 0, out


# --- in Welsh, and in the app ----------------------------------------------------------------------------------


def test_every_fault_has_a_welsh_draft(sound_env: dict[str, str]) -> None:
    welsh = translator("cy")
    example = tomllib.loads(EXAMPLE.read_text(encoding="utf-8"))
    report = doctor.check(example, environ={})
    for fault in report.faults:
        sentence = fault.sentence(welsh._)
        assert sentence != fault.sentence(translator("en")._)
        assert "To fix it" not in sentence


@pytest.fixture
def bound() -> Iterator[None]:
    before = streamlit_config.get_option("server.address")
    streamlit_config.set_option("server.address", "127.0.0.1")
    yield
    streamlit_config.set_option("server.address", before)


def shown(markdown: str) -> str:
    return re.sub(r"\\(.)", r"\1", markdown)


def test_the_app_lists_every_signin_fault_instead_of_a_sign_in_button(bound: None) -> None:
    at = AppTest.from_file(str(APP), default_timeout=30)
    at.secrets = tomllib.loads(EXAMPLE.read_text(encoding="utf-8"))
    at.run()
    assert not at.exception
    assert [button.label for button in at.button] == []
    [error] = [shown(element.value) for element in at.error]
    assert error.startswith("Sign-in is not set up correctly")
    assert len(re.findall(r"^- ", error, flags=re.MULTILINE)) == 5
    for key in ("redirect_uri", "cookie_secret", "client_id", "client_secret", "server_metadata_url"):
        assert f"[auth] {key} " in error
    assert "provider gave you" not in error and "YOUR-TENANT-ID" not in error  # no value quoted


def test_an_administrator_sees_the_whole_list_and_others_do_not(
    bound: None, monkeypatch: pytest.MonkeyPatch, migrated: str
) -> None:
    monkeypatch.delenv("PROOFING_PUBLIC_URL", raising=False)
    monkeypatch.delenv("PROOFING_SIGNING_KEY", raising=False)
    monkeypatch.delenv("PROOFING_VERIFY_KEY", raising=False)
    monkeypatch.setenv("PROOFING_DB_URL", migrated)
    secrets = copy.deepcopy(SOUND_SECRETS)
    secrets["proofing"]["roles"]["proofing-auditors"] = "auditor"

    def signed_in(groups: list[str]) -> AppTest:
        at = AppTest.from_file(str(APP), default_timeout=30)
        at.secrets = secrets
        at.user = {"is_logged_in": True, "sub": "it-1", "name": "The service manager", "groups": groups}
        return at.run()

    admin = signed_in(["proofing-administrators"])
    assert not admin.exception
    warnings = [shown(element.value) for element in admin.warning]
    assert len(warnings) == 1 and "The configuration has 1 fault" in warnings[0]
    assert "PROOFING_PUBLIC_URL is not set" in warnings[0]
    assert "Sign-in identity (subject): it-1" in [shown(caption.value) for caption in admin.sidebar.caption]
    auditor = signed_in(["proofing-auditors"])
    assert not auditor.exception and list(auditor.warning) == []
