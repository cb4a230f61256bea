"""Who is signed in: the sign-in configuration, the person a provider's claims describe, and where local mode may run.

proofing signs people in with Streamlit's ``st.login`` (OpenID Connect, on Authlib), configured in the ``[auth]``
section of ``.streamlit/secrets.toml``. This module holds no Streamlit calls: it reads the secrets as a plain mapping,
so that every decision here is testable without a server (views/signin.py makes the calls).

- ``signin_config(secrets)``: whether an identity provider is configured and how its claims become roles. No
  ``[auth]`` section means **local mode**: one local user holding every role (``proofing.access.LOCAL_USER``). An
  ``[auth]`` section that is incomplete is an error, never local mode, so a mistyped key cannot hand every role to
  whoever reaches the server.
- ``user_from_claims(claims, config, assigned_roles)``: the ``User`` a provider's claims describe, with the roles its
  roles claim maps to (``[proofing.roles]``) plus those an administrator assigned in the app.
- ``check_bind_address(address, signin_configured)``: local mode serves loopback only (127.0.0.0/8, ::1, localhost).

The secrets, in full (see .streamlit/secrets.example.toml and the README's "Sign-in")::

    [auth]                       # Streamlit's own: redirect_uri, cookie_secret, and one or more providers
    [proofing]
    roles_claim = "groups"       # the claim that carries the person's groups (or app roles)
    [proofing.roles]             # a group, as the claim carries it -> one role or a list of roles
    "proofing-approvers" = "approver"
"""

from __future__ import annotations

import ipaddress
from collections.abc import Iterable, Mapping
from typing import Any, cast

from pydantic import Field

from proofing.access import LOCAL_USER, ROLES, Role, User
from proofing.base import Strict
from proofing.errors import ProofingError

DEFAULT_PROVIDER = "default"
DEFAULT_ROLES_CLAIM = "groups"
MIN_COOKIE_SECRET = 32
EXAMPLE_COOKIE_SECRET = "replace-with-64-random-hex-characters"  # .streamlit/secrets.example.toml's placeholder
PROVIDER_KEYS = ("client_id", "client_secret", "server_metadata_url")
SECRETS_FILE = ".streamlit/secrets.toml"


class SigninConfigError(ProofingError):
    """The sign-in configuration in the secrets cannot be used; says what to fix, never quoting a secret."""


class SignInError(ProofingError):
    """The identity provider's answer does not say who the person is."""


class BindRefused(ProofingError):
    """Local mode was asked to serve an address other than loopback."""


class SigninConfig(Strict):
    """How people sign in: the configured identity providers (none: local mode) and how claims become roles."""

    providers: tuple[str, ...] = Field(
        default=(), description="the st.login provider names; 'default' for an unnamed one; empty in local mode"
    )
    roles_claim: str = Field(default=DEFAULT_ROLES_CLAIM, min_length=1)
    group_roles: dict[str, frozenset[Role]] = Field(default_factory=dict)

    @property
    def configured(self) -> bool:
        """Whether sign-in is configured (otherwise the app is in local mode)."""
        return bool(self.providers)


def signin_config(secrets: Mapping[str, Any]) -> SigninConfig:
    """The sign-in configuration the secrets describe (Streamlit's ``st.secrets``, or any mapping in tests).

    Raises SigninConfigError, naming the key to fix, for an ``[auth]`` section Streamlit could not sign anyone in
    with, or a ``[proofing]`` role map naming a role proofing does not have.

    Examples:
        >>> signin_config({}).configured
        False
    """
    auth = secrets.get("auth")
    proofing = secrets.get("proofing") or {}
    if not isinstance(proofing, Mapping):
        raise SigninConfigError(f"[proofing] in {SECRETS_FILE} must be a table.")
    roles_claim, group_roles = _role_map(proofing)
    if auth is None or (isinstance(auth, Mapping) and not auth):
        return SigninConfig(roles_claim=roles_claim, group_roles=group_roles)
    if not isinstance(auth, Mapping):
        raise SigninConfigError(f"[auth] in {SECRETS_FILE} must be a table.")
    return SigninConfig(providers=_providers(auth), roles_claim=roles_claim, group_roles=group_roles)


def _providers(auth: Mapping[str, Any]) -> tuple[str, ...]:
    """The provider names of an ``[auth]`` section, checked as Streamlit's st.login will check them."""
    for key in ("redirect_uri", "cookie_secret"):
        if not isinstance(auth.get(key), str) or not auth[key].strip():
            raise SigninConfigError(f'[auth] in {SECRETS_FILE} has no "{key}"; see .streamlit/secrets.example.toml.')
    if not auth["redirect_uri"].rstrip("/").endswith("/oauth2callback"):
        raise SigninConfigError(
            f'[auth] redirect_uri in {SECRETS_FILE} must end with "/oauth2callback", the address Streamlit '
            "receives the identity provider's answer at (and the one to register with the provider)."
        )
    if len(auth["cookie_secret"]) < MIN_COOKIE_SECRET or auth["cookie_secret"] == EXAMPLE_COOKIE_SECRET:
        raise SigninConfigError(
            f"[auth] cookie_secret in {SECRETS_FILE} is the example's placeholder or shorter than "
            f'{MIN_COOKIE_SECRET} characters; make one with: python3 -c "import secrets; print(secrets.token_hex(32))"'
        )
    providers: list[str] = []
    if any(key in auth for key in PROVIDER_KEYS):
        _check_provider(auth, "[auth]")
        providers.append(DEFAULT_PROVIDER)
    for name, section in auth.items():
        if isinstance(section, Mapping) and name != "client_kwargs":
            if "_" in name:
                raise SigninConfigError(f"[auth.{name}]: a provider's name cannot contain an underscore.")
            _check_provider(section, f"[auth.{name}]")
            providers.append(name)
    if not providers:
        raise SigninConfigError(
            f"[auth] in {SECRETS_FILE} names no identity provider: give client_id, client_secret and "
            "server_metadata_url in [auth], or in a section of their own such as [auth.keycloak]."
        )
    return tuple(providers)


def _check_provider(section: Mapping[str, Any], where: str) -> None:
    """Refuse a provider section without the three keys st.login needs for OpenID Connect."""
    missing = [key for key in PROVIDER_KEYS if not isinstance(section.get(key), str) or not section[key].strip()]
    if missing:
        raise SigninConfigError(f"{where} in {SECRETS_FILE} is missing {', '.join(missing)}.")


def _role_map(proofing: Mapping[str, Any]) -> tuple[str, dict[str, frozenset[Role]]]:
    """``roles_claim`` and ``[proofing.roles]``, each group's role(s) checked against proofing's roles."""
    unknown = set(proofing) - {"roles_claim", "roles"}
    if unknown:
        raise SigninConfigError(
            f"[proofing] in {SECRETS_FILE} has unknown keys: {', '.join(sorted(unknown))} "
            "(it takes roles_claim and [proofing.roles])."
        )
    claim = proofing.get("roles_claim", DEFAULT_ROLES_CLAIM)
    if not isinstance(claim, str) or not claim.strip():
        raise SigninConfigError(f"[proofing] roles_claim in {SECRETS_FILE} must be the name of a claim.")
    table = proofing.get("roles") or {}
    if not isinstance(table, Mapping):
        raise SigninConfigError(f"[proofing.roles] in {SECRETS_FILE} must be a table: group = role or [roles].")
    group_roles: dict[str, frozenset[Role]] = {}
    for group, value in table.items():
        names = [value] if isinstance(value, str) else value
        if not isinstance(names, list | tuple) or not all(isinstance(name, str) for name in names):
            raise SigninConfigError(f'[proofing.roles] "{group}" must be a role or a list of roles.')
        wrong = [name for name in names if name not in ROLES]
        if wrong:
            raise SigninConfigError(
                f'[proofing.roles] "{group}" names {", ".join(wrong)}, which proofing does not have; '
                f"the roles are {', '.join(ROLES)}."
            )
        group_roles[str(group)] = frozenset(cast(Role, name) for name in names)
    return claim.strip(), group_roles


def claim_values(claims: Mapping[str, Any], name: str) -> list[str]:
    """The strings a claim carries: a list of them, or one. ``name`` is the claim's key, or a dotted path into
    nested claims (``realm_access.roles``) when no claim has that exact key (some claim names are URLs, with dots).

    Examples:
        >>> claim_values({"groups": ["a", "b", 3]}, "groups"), claim_values({"r": {"roles": "x"}}, "r.roles")
        (['a', 'b'], ['x'])
    """
    value: Any = claims.get(name)
    if value is None and "." in name:
        value = claims
        for part in name.split("."):
            value = value.get(part) if isinstance(value, Mapping) else None
    if isinstance(value, str):
        return [value]
    if isinstance(value, list | tuple):
        return [item for item in value if isinstance(item, str)]
    return []


def roles_from_claims(claims: Mapping[str, Any], config: SigninConfig) -> frozenset[Role]:
    """The roles the configured claim's groups map to; groups the map does not name give no role."""
    roles: set[Role] = set()
    for group in claim_values(claims, config.roles_claim):
        roles |= config.group_roles.get(group, frozenset())
    return frozenset(roles)


def user_from_claims(claims: Mapping[str, Any], config: SigninConfig, assigned_roles: Iterable[str] = ()) -> User:
    """The person the identity provider's claims describe, with their roles; in local mode, ``LOCAL_USER``.

    The subject is the ``sub`` claim (the provider's stable id), the name ``name`` (else ``preferred_username``,
    ``email``, or the subject), the email ``email``. The roles are those ``config``'s claim maps to, plus
    ``assigned_roles``, the roles an administrator assigned this subject in the app (a stored role proofing no
    longer has is ignored). Raises SignInError when the claims carry no subject.
    """
    if not config.configured:
        return LOCAL_USER
    subject = claims.get("sub")
    if not isinstance(subject, str) or not subject.strip():
        raise SignInError("The identity provider did not say who you are (its answer has no subject, 'sub').")

    def text(key: str) -> str:
        value = claims.get(key)
        return value.strip() if isinstance(value, str) else ""

    name = text("name") or text("preferred_username") or text("email") or subject
    assigned = {role for role in assigned_roles if role in ROLES}
    return User(subject=subject, name=name, email=text("email"), roles=roles_from_claims(claims, config) | assigned)


def is_loopback(address: str | None) -> bool:
    """Whether a server address serves this machine only: 127.0.0.0/8, ::1 (also as [::1] or ::ffff:127.x), or
    localhost. No address (Streamlit's default) means every interface, so it is not loopback; nor is a host name,
    which could resolve anywhere.

    Examples:
        >>> [is_loopback(a) for a in ("127.0.0.1", "127.8.9.1", "::1", "[::1]", "localhost", "0.0.0.0", "", None)]
        [True, True, True, True, True, False, False, False]
    """
    if address is None or not address.strip():
        return False
    host = address.strip().strip("[]").rstrip(".").lower()
    if host == "localhost":
        return True
    try:
        parsed = ipaddress.ip_address(host)
    except ValueError:
        return False
    if isinstance(parsed, ipaddress.IPv6Address) and parsed.ipv4_mapped is not None:
        return parsed.ipv4_mapped.is_loopback
    return parsed.is_loopback


def check_bind_address(address: str | None, signin_configured: bool) -> None:
    """Raise BindRefused, in words, when local mode (no sign-in) would serve an address other than loopback.

    In local mode everyone who reaches the app acts as one user with every role, so it may only serve this machine.
    With sign-in configured, any address is allowed: each person signs in and holds their own roles.
    """
    if signin_configured or is_loopback(address):
        return
    shown = address.strip() if address and address.strip() else "every address (no server.address is set)"
    raise BindRefused(
        f"proofing will not serve {shown} in local mode. With no sign-in configured, everyone who can reach the "
        "app acts as one user with every role, so it serves this machine only. Serve it on 127.0.0.1 (make run "
        f'does), or configure sign-in in {SECRETS_FILE} (see the README, "Sign-in").'
    )


MAX_NAME = 100
"""The longest name local mode's user may give (it heads audit entries, histories and records)."""


def name_problem(name: str) -> str | None:
    """What is wrong with a name a person gives for themselves, in words, or None when it will do.

    Examples:
        >>> name_problem("The service manager"), name_problem("  "), name_problem("a\\tb") is None
        (None, 'Give your name: it is left empty.', True)
    """
    cleaned = clean_name(name)
    if not cleaned:
        return "Give your name: it is left empty."
    if len(cleaned) > MAX_NAME:
        return f"A name can be at most {MAX_NAME} characters."
    if any(not character.isprintable() for character in cleaned):
        return "A name cannot hold control characters."
    return None


def clean_name(name: str) -> str:
    """A name as kept: one line, its spaces and tabs run together, none at either end."""
    return " ".join(name.split())


def is_local(user: User) -> bool:
    """Whether `user` is local mode's one user (no identity provider names them)."""
    return user.subject == LOCAL_USER.subject and user.roles == LOCAL_USER.roles and not user.email


def named_local_user(name: str | None) -> User:
    """Local mode's one user, named as they named themselves (`name`: kept in the store), else "Local user".

    Every actor line reads the user's name: the audit trail, the version history, a record's "Produced by" and the
    signature on it, a training certificate. So once the person gives their name, each of them names the person.

    Examples:
        >>> named_local_user("The service manager").name, named_local_user(None).name
        ('The service manager', 'Local user')
    """
    if name is None or name_problem(name) is not None:
        return LOCAL_USER
    return LOCAL_USER.model_copy(update={"name": clean_name(name)})
