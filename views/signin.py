"""Sign-in for every page: who the person is, or the sign-in button; local mode's banner; the loopback guard.

The app calls ``require_user()`` once at the top of app.py, before the pages run; it returns the signed-in
``proofing.access.User`` or stops the page. The decisions are in proofing/identity.py; this module only reads
Streamlit (``st.secrets``, ``st.user``, ``st.get_option``) and shows what follows:

- **Local mode** (no ``[auth]`` in .streamlit/secrets.toml): a banner says so on every page, and the user is
  ``LOCAL_USER``, holding every role. The app refuses to serve any address but loopback in this mode: every page
  shows a plain message and nothing else (``make run`` binds 127.0.0.1, and so does .streamlit/config.toml).
- **Sign-in configured**: a person who is not signed in sees a sign-in button (``st.login``) and nothing else; a
  signed-in person's name and roles are in the sidebar with a sign-out button (``st.logout``). A person whose
  claims map to no role, and who holds no role an administrator assigned, is told so and sees nothing else.

A fault in the configuration is shown in words (never a secret's value) and stops the page; nothing here lets a
traceback reach the browser.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable, Mapping
from pathlib import Path
from typing import Any, NoReturn

import streamlit as st
from streamlit.errors import StreamlitSecretNotFoundError

from proofing.access import ROLE_WORDS, User
from proofing.identity import (
    DEFAULT_PROVIDER,
    SECRETS_FILE,
    BindRefused,
    SigninConfig,
    SigninConfigError,
    SignInError,
    check_bind_address,
    signin_config,
    user_from_claims,
)
from proofing.language import LANGUAGE_NAMES, LANGUAGES
from proofing.store import Reminding, Store
from views import configuration, signin_language
from views.common import N_, _, failed, language, plain, shared_store

LOG = logging.getLogger("proofing.signin")
LOCAL_BANNER = N_("Local mode: no sign-in; everyone at this machine acts as one user with every role.")

AssignedRoles = Callable[[str], Iterable[str]]
"""The roles an administrator assigned a subject in the app (the store's), looked up by the subject."""


def secrets_mapping() -> Mapping[str, Any]:
    """Streamlit's secrets as a plain mapping; empty when there is no secrets.toml.

    A secrets.toml that exists but cannot be read (not valid TOML) is an error, not local mode: otherwise a typing
    slip in the file would hand every role to whoever reaches the app.
    """
    try:
        return st.secrets.to_dict()
    except StreamlitSecretNotFoundError as error:
        files = st.get_option("secrets.files") or []
        if any(Path(path).is_file() for path in files):
            raise SigninConfigError(f"{SECRETS_FILE} could not be read; check that it is valid TOML.") from error
        return {}


def _stop(message: str) -> NoReturn:
    """Show `message` (made inert for Markdown) as an error and stop the page."""
    st.error(plain(message))
    st.stop()
    raise AssertionError("st.stop returned")  # pragma: no cover - st.stop raises


def refuse_open_bind(config: SigninConfig) -> None:
    """Stop the page with a plain message when local mode would serve an address other than loopback.

    Reads Streamlit's ``server.address`` option: unset means every interface, which local mode refuses.
    """
    address = st.get_option("server.address")
    try:
        check_bind_address(address, config.configured)
    except BindRefused as refusal:
        LOG.error("%s", refusal)
        _stop(str(refusal))


def known_subject() -> str | None:
    """The subject of the person at this browser, if it can be known without drawing anything (None otherwise).

    app.py settles the language with it before it builds the pages, so their titles, the sign-in and its banner
    are all in the person's language; ``require_user`` then decides, and shows, who may use the app.
    """
    try:
        config = signin_config(secrets_mapping())
        if not config.configured:
            return user_from_claims({}, config).subject
        subject = st.user.to_dict().get("sub")
    except Exception:  # a fault in the configuration is require_user's to show
        return None
    return subject if isinstance(subject, str) else None


def require_user(assigned: AssignedRoles | None = None) -> User:
    """The person using the page, signed in; or a sign-in button, a refusal or a plain message, and the page stops.

    ``assigned`` looks up the roles an administrator gave a subject in the app; they add to the identity provider's.
    """
    try:
        return _require_user(assigned)
    except SigninConfigError as fault:
        LOG.error("sign-in is misconfigured: %s", fault)
        _stop(_("Sign-in is not set up correctly, so nobody can use the app yet. {fault}", fault=fault))
    except SignInError as fault:
        LOG.warning("sign-in refused: %s", fault)
        _sign_out_button()
        _stop(str(fault))
    except Exception as error:  # st.stop and st.rerun are BaseExceptions and pass through untouched
        failed(error)
        st.stop()
        raise AssertionError("st.stop returned") from None  # pragma: no cover - st.stop raises


def _require_user(assigned: AssignedRoles | None) -> User:
    secrets = secrets_mapping()
    configuration.stop_on_signin_faults(secrets)  # every fault at once, before a sign-in that could not work
    config = signin_config(secrets)
    refuse_open_bind(config)
    if not config.configured:
        st.warning(_(LOCAL_BANNER))
        return user_from_claims({}, config)
    claims = st.user.to_dict()
    if not claims.get("is_logged_in"):
        _sign_in(config)
    subject = claims.get("sub")
    granted = assigned(subject) if assigned is not None and isinstance(subject, str) else ()
    user = user_from_claims(claims, config, granted)
    _signed_in_sidebar(user)
    configuration.show_to_administrator(user, secrets)
    if not user.roles:
        LOG.info("signed in with no role: %s", user.subject)
        _stop(
            _(
                "You are signed in as {name}, but you hold no role in proofing yet. Ask an administrator "
                "to give you one, then sign in again.",
                name=user.name,
            )
        )
    return user


def _sign_in(config: SigninConfig) -> NoReturn:
    """The sign-in page: the language switch, then a button for each configured identity provider."""
    _language_choice()
    st.title(_("Cohesion proofing"))
    st.write(_("Sign in to continue."))
    for provider in config.providers:
        label = _("Sign in") if len(config.providers) == 1 else _("Sign in with {provider}", provider=plain(provider))
        if st.button(label, key=f"proofing_sign_in_{provider}", type="primary"):
            st.login(None if provider == DEFAULT_PROVIDER else provider)
    st.stop()
    raise AssertionError("st.stop returned")  # pragma: no cover - st.stop raises


def _language_choice() -> None:
    """Cymraeg or English before sign-in, Welsh first. A choice here is carried across the identity provider's pages
    in the browser (views/signin_language.py) and kept as the person's language once they are signed in
    (``language_on_return``); a browser that chose within the hour (back from the provider without signing in, say)
    sees the sign-in page in that language again."""
    state = st.session_state
    carried = signin_language.carried()
    if "language" not in state and carried is not None:  # this browser chose before: the page in that language
        state.language, state[signin_language.CHOSEN] = carried, True
        st.rerun()
    chosen = language()
    choice = st.radio(
        "Iaith · Language",
        LANGUAGES,
        index=LANGUAGES.index(chosen),
        format_func=LANGUAGE_NAMES.__getitem__,
        horizontal=True,
        key="proofing_sign_in_language",
    )
    if choice != chosen:  # run again at once, so the page title and the sign-in are in the language chosen
        state.language, state[signin_language.CHOSEN] = choice, True
        st.rerun()
    if state.get(signin_language.CHOSEN):
        signin_language.keep(chosen)


def language_on_return(subject: str, people: Store) -> str | None:
    """The language of a person just signed in: the one they chose on the sign-in page (carried across the
    provider's pages, and now kept as theirs), else the one kept for them, else None (the app's default)."""
    carried = signin_language.carried()
    if carried is not None:
        people.set_language(subject, carried)
        return carried
    return people.language_of(subject)


def _signed_in_sidebar(user: User) -> None:
    roles = ", ".join(_(ROLE_WORDS[role]) for role in sorted(user.roles)) or _("no role")
    st.sidebar.caption(_("Signed in as {who}", who=plain(user.described())))
    st.sidebar.caption(_("Roles: {roles}", roles=roles))
    st.sidebar.caption(_("Sign-in identity (subject): {subject}", subject=plain(user.subject)))  # for roles grant
    with st.sidebar:
        signin_language.forget()  # the language carried across sign-in is the person's now (language_on_return)
    _sign_out_button()


def _sign_out_button() -> None:
    if st.sidebar.button(_("Sign out"), key="proofing_sign_out"):
        st.logout()
        st.stop()


def remember_contact(user: User) -> None:
    """Keep the person's name and e-mail address, as signed in, for the reminders sent to them (issue 23): once per
    session, not on every rerun."""
    if st.session_state.get("contact_kept") != user.subject:
        Reminding(shared_store()).remember_contact(user.subject, user.name, user.email)
        st.session_state.contact_kept = user.subject
