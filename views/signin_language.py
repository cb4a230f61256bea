"""The language chosen on the sign-in page, carried across the identity provider's pages (issue 25).

Signing in leaves the app: the browser goes to the council's identity provider and comes back to a new Streamlit
session, which knows nothing of the old one. So a person who chose Cymraeg on the sign-in page came back in English.
The choice is carried in a small cookie of the browser's own (``proofing_language``, the language's code and nothing
else, for an hour at most): written in the browser when the person chooses on the sign-in page, read by the server
from the new session's request (``st.context.cookies``), kept as the person's language once they are signed in, and
then removed, so a later change in the sidebar is never overruled by it.

A cookie that names no language the app speaks is ignored: it is only ever a preference, never trusted for more.
"""

from __future__ import annotations

import streamlit as st

from proofing.language import Language, is_language

COOKIE = "proofing_language"
MAX_AGE = 3600  # seconds: long enough for the provider's pages, short enough not to outlive the visit
CHOSEN = "sign_in_language_chosen"  # session state: the person chose the language on the sign-in page

# Writes (or, with ``forget``, removes) the cookie in the browser; draws nothing.
_JS = """
export default function (component) {
  const data = component.data || {};
  const name = data.name;
  if (!name) return;
  if (data.forget) {
    document.cookie = name + "=; Max-Age=0; Path=/; SameSite=Lax";
  } else if (/^[a-z]{2,3}$/.test(data.language || "")) {
    document.cookie = name + "=" + data.language + "; Max-Age=" + data.maxAge + "; Path=/; SameSite=Lax";
  }
}
"""

_component = st.components.v2.component("proofing_sign_in_language", js=_JS)
_HIDDEN = "<style>.st-key-sign_in_language_slot { display: none !important; }</style>"  # it takes no room either


def _mount(key: str, data: dict[str, object]) -> None:
    st.html(_HIDDEN)
    with st.container(key="sign_in_language_slot"):
        _component(key=key, data=data, height=0)


def carried() -> Language | None:
    """The language this browser chose on the sign-in page within the hour, if any (None: nothing chosen)."""
    value = st.context.cookies.get(COOKIE)
    return value if is_language(value) else None  # type: ignore[return-value]


def keep(language: Language) -> None:
    """Keep `language` in this browser across the provider's pages (the sign-in page, after a choice)."""
    _mount("sign_in_language_cookie", {"name": COOKIE, "language": language, "maxAge": MAX_AGE})


def forget() -> None:
    """Remove the carried language from this browser once it is kept for the person (a signed-in page), so that it
    never overrules a later choice. Nothing is drawn, and nothing happens when there is no such cookie."""
    if COOKIE in st.context.cookies:
        _mount("sign_in_language_forget", {"name": COOKIE, "forget": True})
