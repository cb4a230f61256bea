"""Local mode answers this machine's own names only: a foreign Host or Origin is refused (DNS rebinding).

In local mode (no sign-in) everyone who reaches the app acts as one user with every role, so binding to 127.0.0.1
is not enough: a web page the local user visits can point its own host name at 127.0.0.1 (DNS rebinding) and talk
to the app with the browser's full trust, sending ``Host: evil.example``. Two checks refuse it:

- Streamlit's own, before any page runs: ``server.allowedHosts`` in .streamlit/config.toml lists ``LOOPBACK_HOSTS``,
  so a WebSocket (the only way a page is drawn or anything is done) with another Host is refused, and
  ``server.enableCORS`` refuses one whose Origin is another site.
- The app's, on every run (``foreign_request``, called by app.py in local mode): the session's Host and Origin must
  both name this machine (localhost, 127.0.0.0/8, ::1), else the page says so and draws nothing, even where an
  administrator widened ``server.allowedHosts``.

Streamlit checks the Host of the WebSocket only; its HTTP routes (the page shell, health, media, uploads) answer
any Host. ``LoopbackOnly`` is an ASGI middleware that refuses every request, HTTP and WebSocket, whose Host or
Origin is neither this machine nor a name in ``server.allowedHosts``: serve.py runs the app with it
(``streamlit run serve.py``).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Iterable, Mapping, MutableMapping
from typing import Any
from urllib.parse import urlsplit

from proofing.identity import is_loopback

LOOPBACK_HOSTS = ("localhost", "127.0.0.1", "::1")  # .streamlit/config.toml's server.allowedHosts


def host_name(host: str) -> str | None:
    """The name in a Host header, without its port ("[::1]:8501" -> "::1"); None when it is not a host at all.

    Examples:
        >>> [host_name(h) for h in ("localhost:8501", "[::1]:8501", "127.0.0.1", "evil.example:80", "a b", "")]
        ['localhost', '::1', '127.0.0.1', 'evil.example', None, None]
    """
    text = host.strip()
    if not text or any(character.isspace() or character in "/?#@\\" for character in text):
        return None
    try:
        parsed = urlsplit(f"//{text}")
        _port = parsed.port  # refuses a port that is not a number
    except ValueError:
        return None
    return parsed.hostname or None


def is_loopback_host(host: str | None) -> bool:
    """Whether a Host header names this machine: localhost, 127.0.0.0/8 or ::1, with any port.

    Examples:
        >>> [is_loopback_host(h) for h in ("127.0.0.1:8501", "localhost", "[::1]:1", "127.9.9.9", "evil.example", None)]
        [True, True, True, True, False, False]
    """
    name = host_name(host) if host is not None else None
    return name is not None and is_loopback(name)


def is_loopback_origin(origin: str | None) -> bool:
    """Whether an Origin header is this machine's (or absent: a request not made by a web page).

    Examples:
        >>> [is_loopback_origin(o) for o in (None, "http://127.0.0.1:8501", "http://localhost", "http://evil.example")]
        [True, True, True, False]
        >>> is_loopback_origin("null")
        False
    """
    if origin is None:
        return True
    try:
        parsed = urlsplit(origin.strip())
    except ValueError:
        return False
    return parsed.scheme in ("http", "https") and parsed.hostname is not None and is_loopback(parsed.hostname)


def foreign_request(headers: Mapping[str, str]) -> str | None:
    """The foreign name a request (its headers) came by: its Host, or the Origin of the page that sent it, when
    either is not this machine's; None when both are. No Origin is a request no web page made; no headers at all
    is a run that came over no network (a headless test): the server refuses an HTTP/1.1 request with no Host.

    Examples:
        >>> foreign_request({"Host": "127.0.0.1:8501", "Origin": "http://127.0.0.1:8501"}) is None
        True
        >>> foreign_request({"Host": "evil.example:8501"}), foreign_request({"host": "localhost", "origin": "http://a.b"})
        ('evil.example:8501', 'http://a.b')
        >>> foreign_request({}) is None
        True
    """
    lowered = {key.lower(): value for key, value in headers.items()}
    if not lowered:
        return None
    host = lowered.get("host")
    if not is_loopback_host(host):
        return host or "(no host)"
    origin = lowered.get("origin")
    if not is_loopback_origin(origin):
        return origin
    return None


Scope = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[MutableMapping[str, Any]]]
Send = Callable[[MutableMapping[str, Any]], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]
REFUSED = (
    b"Refused: this app answers this computer's own names only (localhost, 127.0.0.1, ::1), or the names its "
    b"administrator lists in server.allowedHosts.\n"
)


def named(name: str | None, allowed: Iterable[str]) -> bool:
    """Whether a host name is loopback or matches one of `allowed` (exact, ``*.example.org``, or ``*``).

    Examples:
        >>> allowed = ["app.example.org", "*.council.example"]
        >>> [named(n, allowed) for n in ("::1", "app.example.org", "x.council.example")]
        [True, True, True]
        >>> named("evil.example", ["app.example.org"]), named(None, ["*"])
        (False, False)
    """
    if name is None:
        return False
    name = name.lower().rstrip(".")
    if is_loopback(name):
        return True
    for pattern in (item.strip().lower().rstrip(".") for item in allowed):
        if pattern == "*" or name == pattern or (pattern.startswith("*.") and name.endswith(pattern[1:])):
            return True
    return False


class LoopbackOnly:
    """ASGI middleware: refuse (403, in words) any HTTP request or WebSocket whose Host, or whose Origin when it
    has one, is neither this machine nor a name in `allowed` (default: Streamlit's ``server.allowedHosts``)."""

    def __init__(self, app: ASGIApp, allowed: Callable[[], Iterable[str]] | None = None) -> None:
        self.app = app
        self.allowed = allowed or _configured_hosts

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Pass the request on, or refuse it before anything of the app answers."""
        if scope.get("type") not in ("http", "websocket") or self.admits(scope):
            await self.app(scope, receive, send)
            return
        if scope["type"] == "websocket":
            await send({"type": "websocket.close", "code": 1008})  # before accepting: the upgrade is refused (403)
            return
        await send(
            {
                "type": "http.response.start",
                "status": 403,
                "headers": [(b"content-type", b"text/plain; charset=utf-8"), (b"content-length", b"%d" % len(REFUSED))],
            }
        )
        await send({"type": "http.response.body", "body": REFUSED})

    def admits(self, scope: Scope) -> bool:
        """Whether a request's Host and Origin headers both name this machine or an allowed name."""
        headers = {key.decode("latin-1").lower(): value.decode("latin-1") for key, value in scope.get("headers", [])}
        allowed = list(self.allowed())
        if not named(host_name(headers.get("host", "")), allowed):
            return False
        origin = headers.get("origin")
        if origin is None:
            return True
        try:
            origin_name = urlsplit(origin.strip()).hostname
        except ValueError:
            return False
        return named(origin_name, allowed)


def _configured_hosts() -> list[str]:
    """Streamlit's ``server.allowedHosts`` (empty: loopback only)."""
    import streamlit as st

    return [str(item) for item in st.get_option("server.allowedHosts") or []]


__all__ = [
    "LOOPBACK_HOSTS",
    "LoopbackOnly",
    "foreign_request",
    "host_name",
    "is_loopback_host",
    "is_loopback_origin",
    "named",
]
