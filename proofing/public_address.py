"""Where people reach the app from their own phones and computers: the base of a workshop's join link and QR code.

The app cannot see its own public address: behind a proxy or a load balancer the browser's address may be an
internal one, and on the facilitator's own machine it is 127.0.0.1. So it is configured, like the database:

1. ``PROOFING_PUBLIC_URL`` (``https://proofing.example.gov.uk``), when set and an address at all;
2. else, with sign-in, the address the identity provider sends people back to: ``[auth] redirect_uri`` in
   ``.streamlit/secrets.toml`` without its ``/oauth2callback`` (it must be public for anyone to sign in);
3. else the address the facilitator's browser used.

In local mode (no sign-in) the app serves this computer only (``proofing.identity.check_bind_address`` and
``proofing.local_host``), so no link can bring a phone or another computer in, whatever is configured:
``JoinAddress.reachable`` is False, and the page says so instead of showing a QR code that cannot work. The same
holds for an address that names this machine (localhost, 127.0.0.0/8, ::1) with sign-in.

Nothing here calls Streamlit: the page passes what it knows (the setting, the secrets' redirect_uri, the browser's
address), so every decision is testable without a server.
"""

from __future__ import annotations

import os
from typing import Literal
from urllib.parse import urlsplit, urlunsplit

from pydantic import Field

from proofing.base import Strict
from proofing.identity import is_loopback

PUBLIC_URL_ENV = "PROOFING_PUBLIC_URL"
DEFAULT_LOCAL_URL = "http://localhost:8501"
CALLBACK = "/oauth2callback"

Source = Literal["setting", "sign-in", "browser", "default"]


class JoinAddress(Strict):
    """The base address of a join link, where it came from, and whether people elsewhere can reach it."""

    base: str = Field(description="scheme, host, port and any path prefix; no trailing slash")
    source: Source = Field(description="the setting, the sign-in redirect_uri, the browser's address, or the default")
    reachable: bool = Field(description="whether a phone or another computer can follow it")
    local_mode: bool = Field(description="the app runs without sign-in, for this computer only")
    ignored: str = Field(default="", description="a PROOFING_PUBLIC_URL that was not used, as given")
    refused: bool = Field(default=False, description="the setting was ignored because it is not an address")

    def link(self, path: str) -> str:
        """An address under the base: ``link("join?code=K7P3QX9A")``."""
        return f"{self.base}/{path.lstrip('/')}"


def web_base(text: str | None) -> str | None:
    """An http(s) address cut to its base (scheme, host, port, path; no query, fragment or trailing slash), or None
    when `text` is not such an address (no scheme, no host, a user name or password in it, spaces).

    Examples:
        >>> web_base("https://proofing.example.gov.uk/"), web_base("http://10.0.0.5:8501/app?x=1#y")
        ('https://proofing.example.gov.uk', 'http://10.0.0.5:8501/app')
        >>> [web_base(t) for t in ("proofing.example.gov.uk", "ftp://h", "https://u:p@h", "https://a b", "", None)]
        [None, None, None, None, None, None]
    """
    if not text or not text.strip() or any(character.isspace() for character in text.strip()):
        return None
    try:
        parts = urlsplit(text.strip())
        _port = parts.port  # refuses a port that is not a number
    except ValueError:
        return None
    if parts.scheme.lower() not in ("http", "https") or not parts.hostname or "@" in parts.netloc:
        return None
    return urlunsplit((parts.scheme.lower(), parts.netloc, parts.path.rstrip("/"), "", ""))


def configured_public_url() -> str:
    """``PROOFING_PUBLIC_URL`` as set (stripped; empty when unset)."""
    return os.environ.get(PUBLIC_URL_ENV, "").strip()


def redirect_base(redirect_uri: str | None) -> str | None:
    """The app's public address as sign-in knows it: ``[auth] redirect_uri`` without ``/oauth2callback``.

    Examples:
        >>> redirect_base("https://proofing.example.gov.uk/oauth2callback")
        'https://proofing.example.gov.uk'
        >>> redirect_base(None), redirect_base("https://h/elsewhere")
        (None, None)
    """
    base = web_base(redirect_uri)
    if base is None or not base.endswith(CALLBACK):
        return None
    return web_base(base.removesuffix(CALLBACK))


def browser_base(url: str | None, page: str) -> str | None:
    """The address the browser used, cut to the app's base (without the page's own path `page`).

    Examples:
        >>> browser_base("http://127.0.0.1:8501/workshop?workshop=abc", "workshop")
        'http://127.0.0.1:8501'
        >>> browser_base("https://h.example/proofing/workshop", "workshop"), browser_base(None, "workshop")
        ('https://h.example/proofing', None)
    """
    base = web_base(url)
    if base is None:
        return None
    if base.endswith(f"/{page}"):
        base = base.removesuffix(f"/{page}")
    return base


def _names_this_machine(base: str) -> bool:
    return is_loopback(urlsplit(base).hostname)


def join_address(
    *, local_mode: bool, configured: str = "", redirect_uri: str | None = None, browser: str | None = None
) -> JoinAddress:
    """Where a join link points, and whether people elsewhere can follow it (see the module's docstring).

    Examples:
        >>> join_address(local_mode=False, configured="https://proofing.example.gov.uk/").link("join?code=K")
        'https://proofing.example.gov.uk/join?code=K'
        >>> local = join_address(local_mode=True, configured="https://p.example", browser="http://127.0.0.1:8501")
        >>> local.base, local.reachable, local.ignored
        ('http://127.0.0.1:8501', False, 'https://p.example')
    """
    setting = web_base(configured) if configured else None
    refused = bool(configured) and setting is None
    if local_mode:
        base = browser or DEFAULT_LOCAL_URL
        if not _names_this_machine(base):
            base = DEFAULT_LOCAL_URL  # local mode answers this machine's own names only
        return JoinAddress(
            base=base,
            source="browser" if browser else "default",
            reachable=False,
            local_mode=True,
            ignored=configured,
            refused=refused,
        )
    signed_in = redirect_base(redirect_uri)
    source: Source
    if setting is not None:
        base, source = setting, "setting"
    elif signed_in is not None:
        base, source = signed_in, "sign-in"
    elif browser is not None:
        base, source = browser, "browser"
    else:
        base, source = DEFAULT_LOCAL_URL, "default"
    return JoinAddress(
        base=base,
        source=source,
        reachable=not _names_this_machine(base),
        local_mode=False,
        ignored=configured if refused else "",
        refused=refused,
    )


__all__ = [
    "DEFAULT_LOCAL_URL",
    "PUBLIC_URL_ENV",
    "JoinAddress",
    "browser_base",
    "configured_public_url",
    "join_address",
    "redirect_base",
    "web_base",
]
