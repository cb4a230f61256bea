"""The configuration check: every fault in a deployment's set-up at once, each with its fix, in words.

``proofing doctor`` (proofing/cli_doctor.py) prints it and the app runs it when a page starts (views/signin.py), so
an IT team meets the whole list before anyone meets a bare "Authentication error". It checks:

- **sign-in** (``[auth]`` in .streamlit/secrets.toml): the redirect address (there, ending in /oauth2callback,
  https outside this machine, not the example's), the cookie secret (there, not the example's, long enough), and
  each provider's client id, client secret and server metadata URL (the tenant): there, and not the example's
  placeholders. ``[proofing.roles]`` naming a role proofing does not have. Without ``[auth]`` the app runs in local
  mode, which must serve this machine only.
- **the database** (``PROOFING_DB_URL``): reachable, and its migrations at this version's head; the connection
  pool's size (``PROOFING_DB_POOL_SIZE``, ``PROOFING_DB_MAX_OVERFLOW``) whole numbers when set.
- **the public address** (``PROOFING_PUBLIC_URL``): set, an https address people elsewhere can reach, whenever the
  app serves more than this machine (sign-in configured, or a server address other than loopback).
- **the signing key** (``PROOFING_SIGNING_KEY``, and ``PROOFING_VERIFY_KEY``): readable, and the pair matching.

Nothing here calls Streamlit or prints: the faces pass what they know (the secrets as a mapping, the environment,
the server address) and word the faults through their translator (``Fault.sentence``). No fault quotes a secret.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any, Literal
from urllib.parse import urlsplit

from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from pydantic import Field
from sqlalchemy import make_url
from sqlalchemy.exc import ArgumentError, SQLAlchemyError

from proofing.base import Strict
from proofing.errors import ProofingError, StoreError
from proofing.identity import (
    EXAMPLE_COOKIE_SECRET,
    MIN_COOKIE_SECRET,
    PROVIDER_KEYS,
    SigninConfigError,
    is_loopback,
    signin_config,
)
from proofing.public_address import PUBLIC_URL_ENV, web_base
from proofing.signing import PRIVATE_KEY_ENV, PUBLIC_KEY_ENV, fingerprint, load_private_key, load_public_key
from proofing.store.database import (
    POOL_SETTINGS,
    _make_engine,
    _reason,
    _shown,
    default_db_url,
    migration_config,
    pool_setting,
)

Area = Literal["sign-in", "server", "database", "public address", "signing key"]
Translate = Callable[..., str]

# Words in a value that only an example or a template holds (compared in lower case).
PLACEHOLDER_MARKS = ("your-", "your_", "replace-with", "gave you", "changeme", "change-me", "<", ">")
# Host names reserved for examples (RFC 2606): an address under one of them cannot be a council's.
EXAMPLE_DOMAINS = ("example.org", "example.com", "example.net")
EXAMPLE_SUFFIXES = (".example", ".invalid")


def _(text: str, /) -> str:
    """Mark an English text for the catalogue; the face that shows it translates it (Fault.sentence)."""
    return text


class Fault(Strict):
    """One fault in the configuration: what is wrong and how to put it right, as English templates whose
    ``{placeholders}`` are ``values`` (never a secret's value)."""

    area: Area
    problem: str = Field(min_length=1)
    fix: str = Field(min_length=1)
    values: dict[str, str] = Field(default_factory=dict)

    def sentence(self, translate: Translate) -> str:
        """The fault and its fix as one line, in the language of `translate` (a Translator's ``_``)."""
        return translate(
            _("{problem} To fix it: {fix}"),
            problem=translate(self.problem, **self.values),
            fix=translate(self.fix, **self.values),
        )


class Report(Strict):
    """Every fault found, in the order checked (sign-in, server, database, public address, signing key)."""

    faults: tuple[Fault, ...] = ()

    @property
    def sound(self) -> bool:
        """Whether nothing is wrong."""
        return not self.faults

    @property
    def signin_faults(self) -> tuple[Fault, ...]:
        """The faults that keep everyone from signing in (the app shows them instead of a sign-in button)."""
        return tuple(fault for fault in self.faults if fault.area in ("sign-in", "server"))

    def heading(self, n_: Callable[..., str]) -> str:
        """The line above the list, in the language of `n_` (a Translator's ``n_``)."""
        return n_(
            "The configuration has {n} fault; nobody should use the app until it is fixed:",
            "The configuration has {n} faults; nobody should use the app until they are fixed:",
            len(self.faults),
        )


# --- sign-in --------------------------------------------------------------------------------------------------


def looks_like_placeholder(value: str) -> bool:
    """Whether a setting still holds an example's or a template's words instead of a real value.

    Examples:
        >>> looks_like_placeholder("the client secret the provider gave you"), looks_like_placeholder("8f3a9c")
        (True, False)
        >>> looks_like_placeholder("https://login.example/YOUR-TENANT-ID/v2.0"), looks_like_placeholder("...")
        (True, True)
    """
    text = value.strip().lower()
    return text in ("", "...") or any(mark in text for mark in PLACEHOLDER_MARKS)


def is_example_host(host: str | None) -> bool:
    """Whether a host name is one reserved for examples (example.org, *.example, ...), so no council's.

    Examples:
        >>> is_example_host("proofing.example.org"), is_example_host("proofing.council.gov.uk"), is_example_host(None)
        (True, False, False)
    """
    name = (host or "").strip().rstrip(".").lower()
    return bool(name) and (
        any(name == domain or name.endswith("." + domain) for domain in EXAMPLE_DOMAINS)
        or name.endswith(EXAMPLE_SUFFIXES)
    )


def _text(section: Mapping[str, Any], key: str) -> str | None:
    value = section.get(key)
    return value.strip() if isinstance(value, str) and value.strip() else None


def _redirect_faults(auth: Mapping[str, Any]) -> list[Fault]:
    redirect = _text(auth, "redirect_uri")
    if redirect is None:
        return [
            Fault(
                area="sign-in",
                problem=_('[auth] has no "redirect_uri".'),
                fix=_(
                    "set redirect_uri to the app's public address followed by /oauth2callback, such as "
                    "https://proofing.council.gov.uk/oauth2callback, and register the same address with the provider."
                ),
            )
        ]
    faults: list[Fault] = []
    host = urlsplit(redirect).hostname if web_base(redirect) else None
    if host is None:
        faults.append(
            Fault(
                area="sign-in",
                problem=_("[auth] redirect_uri is not a web address."),
                fix=_("give the app's public address followed by /oauth2callback, starting with https://."),
            )
        )
    elif is_example_host(host) or looks_like_placeholder(redirect):
        faults.append(
            Fault(
                area="sign-in",
                problem=_("[auth] redirect_uri is still the example's address ({host})."),
                fix=_(
                    "put the app's own public address followed by /oauth2callback, and register the same address "
                    "with the provider."
                ),
                values={"host": host},
            )
        )
    elif urlsplit(redirect).scheme.lower() != "https" and not is_loopback(host):
        faults.append(
            Fault(
                area="sign-in",
                problem=_("[auth] redirect_uri does not start with https:// but the app is served to {host}."),
                fix=_(
                    "serve the app over HTTPS (a reverse proxy with a certificate) and give its https:// address; "
                    "plain http is only for this machine (127.0.0.1)."
                ),
                values={"host": host},
            )
        )
    if not redirect.rstrip("/").endswith("/oauth2callback"):
        faults.append(
            Fault(
                area="sign-in",
                problem=_("[auth] redirect_uri does not end with /oauth2callback."),
                fix=_("end it with /oauth2callback, where Streamlit receives the provider's answer."),
            )
        )
    return faults


def _cookie_faults(auth: Mapping[str, Any]) -> list[Fault]:
    secret = _text(auth, "cookie_secret")
    make = _('make one with: python3 -c "import secrets; print(secrets.token_hex(32))"')
    if secret is None:
        return [Fault(area="sign-in", problem=_('[auth] has no "cookie_secret".'), fix=make)]
    if secret == EXAMPLE_COOKIE_SECRET or looks_like_placeholder(secret):
        return [Fault(area="sign-in", problem=_("[auth] cookie_secret is still the example's placeholder."), fix=make)]
    if len(secret) < MIN_COOKIE_SECRET:
        return [
            Fault(
                area="sign-in",
                problem=_("[auth] cookie_secret is shorter than {n} characters."),
                fix=make,
                values={"n": str(MIN_COOKIE_SECRET)},
            )
        ]
    return []


def _provider_faults(section: Mapping[str, Any], where: str) -> list[Fault]:
    faults: list[Fault] = []
    names = {
        "client_id": _("the application (client) id the provider gave when the app was registered"),
        "client_secret": _("a client secret made for the app at the provider"),
    }
    for key in PROVIDER_KEYS:
        value = _text(section, key)
        values = {"where": where, "key": key}
        if key == "server_metadata_url":
            fix_metadata = _(
                "give the provider's OpenID configuration address with your own tenant or realm, such as "
                "https://login.microsoftonline.com/<tenant id>/v2.0/.well-known/openid-configuration."
            )
            if value is None:
                faults.append(
                    Fault(area="sign-in", problem=_('{where} has no "{key}".'), fix=fix_metadata, values=values)
                )
                continue
            host = urlsplit(value).hostname if web_base(value) else None
            if host is None:
                faults.append(
                    Fault(
                        area="sign-in",
                        problem=_("{where} {key} is not a web address."),
                        fix=fix_metadata,
                        values=values,
                    )
                )
            elif looks_like_placeholder(value) or is_example_host(host):
                faults.append(
                    Fault(
                        area="sign-in",
                        problem=_("{where} {key} still holds the example's tenant or address."),
                        fix=fix_metadata,
                        values=values,
                    )
                )
            elif urlsplit(value).scheme.lower() != "https" and not is_loopback(host):
                faults.append(
                    Fault(
                        area="sign-in",
                        problem=_("{where} {key} does not start with https://."),
                        fix=_(
                            "give the provider's https:// address; providers publish their configuration over HTTPS."
                        ),
                        values=values,
                    )
                )
            continue
        fix = _("set {key} to {what}.")
        values["what"] = names[key]
        if value is None:
            faults.append(Fault(area="sign-in", problem=_('{where} has no "{key}".'), fix=fix, values=values))
        elif looks_like_placeholder(value):
            faults.append(
                Fault(
                    area="sign-in",
                    problem=_("{where} {key} is still the example's placeholder."),
                    fix=fix,
                    values=values,
                )
            )
    return faults


def signin_faults(secrets: Mapping[str, Any], server_address: str | None = None) -> list[Fault]:
    """Every fault of the sign-in configuration in `secrets` (Streamlit's st.secrets as a mapping), and, in local
    mode (no ``[auth]``), a server address other than loopback. Cheap: reads nothing but its arguments."""
    faults: list[Fault] = []
    proofing = secrets.get("proofing")
    try:
        signin_config({"proofing": proofing} if proofing is not None else {})
    except SigninConfigError as error:
        faults.append(
            Fault(
                area="sign-in",
                problem=_("The roles in [proofing] cannot be used: {reason}"),
                fix=_("name only proofing's roles in [proofing.roles]; see .streamlit/secrets.example.toml."),
                values={"reason": str(error)},
            )
        )
    auth = secrets.get("auth")
    if auth is None or (isinstance(auth, Mapping) and not auth):
        if not is_loopback(server_address):
            faults.append(
                Fault(
                    area="server",
                    problem=_(
                        "No sign-in is configured (local mode), but the app would serve {address}: in local mode "
                        "everyone who reaches it acts as one user with every role."
                    ),
                    fix=_(
                        "configure sign-in in [auth] of .streamlit/secrets.toml, or serve the app on 127.0.0.1 "
                        "(server.address in .streamlit/config.toml)."
                    ),
                    values={"address": server_address or "every address"},
                )
            )
        return faults
    if not isinstance(auth, Mapping):
        faults.append(
            Fault(
                area="sign-in",
                problem=_("[auth] is not a table."),
                fix=_("write [auth] as a section; see .streamlit/secrets.example.toml."),
            )
        )
        return faults
    faults += _redirect_faults(auth) + _cookie_faults(auth)
    providers = 0
    if any(key in auth for key in PROVIDER_KEYS):
        providers += 1
        faults += _provider_faults(auth, "[auth]")
    for name, section in auth.items():
        if not isinstance(section, Mapping) or name == "client_kwargs":
            continue
        providers += 1
        if "_" in name:
            faults.append(
                Fault(
                    area="sign-in",
                    problem=_("[auth.{name}]: a provider's name cannot contain an underscore."),
                    fix=_("rename the section without underscores, such as [auth.keycloak]."),
                    values={"name": str(name)},
                )
            )
        faults += _provider_faults(section, f"[auth.{name}]")
    if not providers:
        faults.append(
            Fault(
                area="sign-in",
                problem=_("[auth] names no identity provider."),
                fix=_(
                    "give client_id, client_secret and server_metadata_url in [auth], or in a section of their own "
                    "such as [auth.keycloak]."
                ),
            )
        )
    if not faults:  # the app's own check must agree: never pass what the app would refuse
        try:
            signin_config(secrets)
        except SigninConfigError as error:
            faults.append(
                Fault(
                    area="sign-in",
                    problem=_("The sign-in configuration cannot be used: {reason}"),
                    fix=_("see .streamlit/secrets.example.toml and the README's Sign-in section."),
                    values={"reason": str(error)},
                )
            )
    return faults


def _signin_configured(secrets: Mapping[str, Any]) -> bool:
    auth = secrets.get("auth")
    return isinstance(auth, Mapping) and bool(auth)


# --- the database ---------------------------------------------------------------------------------------------


def database_faults(url: str | None = None) -> list[Fault]:
    """Whether the database at `url` (default: PROOFING_DB_URL, else data/proofing.db) can be reached, and whether its
    migrations are at this version's head. Reads only: nothing is created or upgraded (a SQLite file that does not
    exist is reported, not made)."""
    url = url if url is not None else default_db_url()
    upgrade = _(
        "upgrade it to this version: run proofing doctor --upgrade (the app also upgrades it when it first opens it)."
    )
    try:
        parsed = make_url(url)
        shown = _shown(parsed)
    except ArgumentError:
        return [
            Fault(
                area="database",
                problem=_("{env} is not a database address."),
                fix=_(
                    "give an address such as postgresql+psycopg://proofing@db.council.internal:5432/proofing or "
                    "sqlite:///var/lib/proofing/proofing.db."
                ),
                values={"env": "PROOFING_DB_URL"},
            )
        ]
    if parsed.get_backend_name() == "sqlite" and parsed.database not in (None, "", ":memory:"):
        path = Path(parsed.database or "")
        if not path.is_file():
            return [
                Fault(
                    area="database",
                    problem=_("There is no database at {url} yet."),
                    fix=upgrade,
                    values={"url": shown},
                )
            ]
    try:
        engine = _make_engine(url, sized=False)  # the pool's settings: pool_faults
    except ProofingError as error:
        return [
            Fault(
                area="database",
                problem=_("The database cannot be opened: {reason}"),
                fix=_("check PROOFING_DB_URL."),
                values={"reason": str(error)},
            )
        ]
    try:
        with engine.connect() as connection:
            current = set(MigrationContext.configure(connection).get_current_heads())
    except SQLAlchemyError as error:
        return [
            Fault(
                area="database",
                problem=_("The database at {url} cannot be reached: {reason}."),
                fix=_(
                    "check PROOFING_DB_URL (host, port, name, user and password) and that the database server is "
                    "running and lets this machine in."
                ),
                values={"url": shown, "reason": _reason(error)},
            )
        ]
    finally:
        engine.dispose()
    heads = set(ScriptDirectory.from_config(migration_config(url)).get_heads())
    known = {revision.revision for revision in ScriptDirectory.from_config(migration_config(url)).walk_revisions()}
    if current - known:
        return [
            Fault(
                area="database",
                problem=_("The database at {url} was upgraded by a newer version of proofing than this one."),
                fix=_("run the version of proofing that upgraded it, or restore the backup taken before."),
                values={"url": shown},
            )
        ]
    if current != heads:
        return [
            Fault(
                area="database",
                problem=_("The database at {url} is behind this version of proofing (its migrations are not all run)."),
                fix=upgrade,
                values={"url": shown},
            )
        ]
    return []


# --- the public address and the signing key -------------------------------------------------------------------


def pool_faults(environ: Mapping[str, str]) -> list[Fault]:
    """PROOFING_DB_POOL_SIZE and PROOFING_DB_MAX_OVERFLOW, when set, must be whole numbers in range: otherwise the
    store refuses to open (proofing.store.database.pool_setting), so it is reported before anyone meets it."""
    faults: list[Fault] = []
    for name, (default, lowest, highest) in POOL_SETTINGS.items():
        try:
            pool_setting(name, environ)
        except StoreError:
            faults.append(
                Fault(
                    area="database",
                    problem=_("{env} is not a number of database connections proofing can use."),
                    fix=_("set it to a whole number from {lowest} to {highest}, or leave it unset for {default}."),
                    values={"env": name, "lowest": str(lowest), "highest": str(highest), "default": str(default)},
                )
            )
    return faults


def public_address_faults(environ: Mapping[str, str], serves_others: bool) -> list[Fault]:
    """When the app serves more than this machine, PROOFING_PUBLIC_URL must be the https address people use: every
    join link, QR code and reminder is built on it."""
    if not serves_others:
        return []
    configured = environ.get(PUBLIC_URL_ENV, "").strip()
    fix = _(
        "set {env} to the address people open the app at, such as https://proofing.council.gov.uk: every join link, "
        "QR code and reminder uses it."
    )
    values = {"env": PUBLIC_URL_ENV}
    if not configured:
        return [Fault(area="public address", problem=_("{env} is not set."), fix=fix, values=values)]
    base = web_base(configured)
    host = urlsplit(base).hostname if base else None
    if base is None or host is None:
        return [Fault(area="public address", problem=_("{env} is not a web address."), fix=fix, values=values)]
    if is_loopback(host):
        return [
            Fault(
                area="public address",
                problem=_("{env} names this machine ({host}), which no phone or other computer can reach."),
                fix=fix,
                values=values | {"host": host},
            )
        ]
    if urlsplit(base).scheme != "https":
        return [Fault(area="public address", problem=_("{env} does not start with https://."), fix=fix, values=values)]
    return []


def signing_key_faults(environ: Mapping[str, str]) -> list[Fault]:
    """The signing key PROOFING_SIGNING_KEY names (and the public key PROOFING_VERIFY_KEY names) must be readable
    keys, and one pair; neither set is no fault (records are then not signed)."""
    faults: list[Fault] = []
    private_path = environ.get(PRIVATE_KEY_ENV, "").strip()
    public_path = environ.get(PUBLIC_KEY_ENV, "").strip()
    private = public = None
    if private_path:
        try:
            private = load_private_key(Path(private_path))
        except ProofingError as error:
            faults.append(
                Fault(
                    area="signing key",
                    problem=_("The signing key {env} names cannot be used: {reason}."),
                    fix=_(
                        "name the private key that proofing keys init made, readable by the user the app runs as "
                        "(and only by it); or unset {env} to write records unsigned."
                    ),
                    values={"env": PRIVATE_KEY_ENV, "reason": str(error)},
                )
            )
    if public_path:
        try:
            public = load_public_key(Path(public_path))
        except ProofingError as error:
            faults.append(
                Fault(
                    area="signing key",
                    problem=_("The public key {env} names cannot be used: {reason}."),
                    fix=_("name the public key that proofing keys init made beside the private key."),
                    values={"env": PUBLIC_KEY_ENV, "reason": str(error)},
                )
            )
    if private is not None and public is not None and fingerprint(private.public_key()) != fingerprint(public):
        faults.append(
            Fault(
                area="signing key",
                problem=_("The public key {public} names is not the other half of the signing key {private} names."),
                fix=_("name the two halves of one key pair, as proofing keys init made them."),
                values={"public": PUBLIC_KEY_ENV, "private": PRIVATE_KEY_ENV},
            )
        )
    return faults


# --- all of it ------------------------------------------------------------------------------------------------


def check(
    secrets: Mapping[str, Any],
    *,
    environ: Mapping[str, str] | None = None,
    server_address: str | None = None,
    db_url: str | None = None,
) -> Report:
    """Every fault of the configuration at once: sign-in (`secrets`), the server address (local mode), the database
    (`db_url`, default PROOFING_DB_URL), the public address and the signing key (`environ`, default os.environ)."""
    env = os.environ if environ is None else environ
    serves_others = _signin_configured(secrets) or not is_loopback(server_address)
    faults = signin_faults(secrets, server_address)
    faults += database_faults(db_url if db_url is not None else env.get("PROOFING_DB_URL") or None)
    faults += pool_faults(env)
    faults += public_address_faults(env, serves_others)
    faults += signing_key_faults(env)
    return Report(faults=tuple(faults))


__all__ = [
    "Fault",
    "Report",
    "check",
    "database_faults",
    "is_example_host",
    "looks_like_placeholder",
    "pool_faults",
    "public_address_faults",
    "signin_faults",
    "signing_key_faults",
]
