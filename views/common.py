"""What every page shares: the rule base and the store (one per server process), safe text, and failures.

User text (a plan's title, an answer, an owner) is shown as text: put through ``plain`` (proofing.safe_text's
Markdown face) before it reaches anything Streamlit renders as Markdown (st.title, st.markdown, st.write, labels),
or through ``visible`` (its plain-text face) before st.text, a table or a chart. A failure nobody foresaw is never
shown to the browser (``client.showErrorDetails`` is "none" in .streamlit/config.toml, and the database URL or
source paths must not leak): ``failed`` logs it with a short reference and shows a plain message with that
reference, for the administrator to find in the log.
"""

from __future__ import annotations

import functools
import logging
import os
import secrets
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import date, datetime
from typing import ParamSpec

import streamlit as st
from streamlit.errors import StreamlitPageNotFoundError

from proofing import KnowledgeBase, load_knowledge, safe_text
from proofing.access import PermissionDenied, User
from proofing.audit_words import audit_lines
from proofing.knowledge import configured_rules_dir
from proofing.language import Language, Localised, Translator, is_language, localised, translator
from proofing.store import AuditEntry, Store, UserStore

LOG = logging.getLogger("proofing.app")

P = ParamSpec("P")


@st.cache_resource
def base_knowledge() -> KnowledgeBase:
    """The rule base as written (English), loaded once per server process (never on a rerun), shared by every
    session: what the Word record embeds and verify re-runs. Pages show ``knowledge()``."""
    return load_knowledge(configured_rules_dir())


def language() -> Language:
    """The language this session speaks: the person's choice (app.py keeps it), else PROOFING_LANGUAGE, else English."""
    chosen = st.session_state.get("language")
    if is_language(chosen):
        return chosen  # type: ignore[return-value]
    configured = os.environ.get("PROOFING_LANGUAGE", "en")
    return configured if is_language(configured) else "en"  # type: ignore[return-value]


def shown_knowledge() -> Localised:
    """The rule base in this session's language, with the texts that fell back to English (a page marks them)."""
    return localised(base_knowledge(), language())


def knowledge() -> KnowledgeBase:
    """The rule base in this session's language: the same ids, conditions and scores, so the same findings."""
    return shown_knowledge().kb


def translation() -> Translator:
    """This session's translator of the app's own words (one per run of a page)."""
    kept = st.session_state.get("_translator")
    if not isinstance(kept, Translator) or kept.language != language():
        kept = translator(language())
        st.session_state["_translator"] = kept
    return kept


def _(text: str, /, **values: object) -> str:
    """One of the app's own texts in this session's language, its ``{placeholders}`` filled (proofing.language)."""
    return translation()._(text, **values)


def n_(one: str, many: str, count: int, /, **values: object) -> str:
    """A counted text in this session's language: the plural form the count takes (six in Welsh); ``{n}``."""
    return translation().n_(one, many, count, **values)


def N_(text: str, /) -> str:
    """Mark an English text for the catalogue where it is kept (a constant), to be shown later with ``_(name)``."""
    return text


def day(when: date | datetime) -> str:
    """A date in full, as this session's language writes it: "01 December 2026", "1 Rhagfyr 2026".

    English keeps the day-month-year the app has always shown (babel's plain "en" is the American order).
    """
    if language() == "en":
        return f"{when:%d %B %Y}"
    return translation().date(when)


RULE_TEXTS_SHOWN = "_rule_texts_shown"  # the rule-base texts this run showed, for the note on drafts (issue 25)


def fell_back(text: str) -> bool:
    """Whether a rule-base text is shown in English for want of a form in this session's language."""
    st.session_state.setdefault(RULE_TEXTS_SHOWN, set()).add(text)
    return language() != "en" and shown_knowledge().fell_back(text)


def marked_text(text: str) -> str:
    """A rule-base text where only plain text is shown (a select box's options): "(in English)" after a fallback."""
    return text + " (" + _("in English") + ")" if fell_back(text) else text


def marked(text: str) -> str:
    """A rule-base text as a page shows it: with a quiet "(English)" after it when it has no Welsh form yet.

    Only for text shown as Markdown: the text is made inert with ``plain`` first.
    """
    if fell_back(text):
        return plain(text) + " :gray[(" + _("in English") + ")]"
    return plain(text)


@st.cache_resource
def shared_store() -> Store:
    """The assessment store (thread-safe), shared by every session of this server. Pages use ``store()``."""
    return Store()


def store() -> UserStore:
    """The store as the signed-in person may use it (``st.session_state.user``, set by app.py on every run).

    The only face of the store a page uses: every call is checked against proofing.access and every write is
    audited, so a page that forgets a check still cannot show or change what the person may not. Nobody signed in
    gets no store at all.
    """
    user = st.session_state.get("user")
    if not isinstance(user, User):
        raise PermissionDenied(N_("Nobody is signed in, so no assessment can be shown or changed."))
    return shared_store().acting(user)


# User text made inert for Markdown (every punctuation character escaped, control characters shown visibly, lines
# kept as lines, never HTML), and for a plain-text face (a table, st.text, a chart): proofing.safe_text.
plain = safe_text.markdown
visible = safe_text.text


def failed(error: BaseException) -> str:
    """Log `error` in full with a new short reference, and show the person a plain message with that reference.

    Returns the reference. The message names no database, path or exception: those are for the log only.
    """
    reference = secrets.token_hex(4).upper()
    LOG.error("reference %s: %s", reference, type(error).__name__, exc_info=error)
    st.error(
        _(
            "Sorry, something went wrong and this could not be done. The problem has been recorded; if it happens "
            "again, give your administrator this reference: {reference}.",
            reference=reference,
        )
    )
    return reference


@contextmanager
def reported() -> Iterator[None]:
    """Run a block so that anything it raises becomes the plain message of `failed` (Streamlit's reruns pass)."""
    try:
        yield
    except Exception as error:  # st.rerun/st.stop raise BaseExceptions, which pass through untouched
        failed(error)


def guarded(callback: Callable[P, None]) -> Callable[P, None]:
    """A widget callback whose failures are reported by `failed`: Streamlit runs callbacks outside the page."""

    @functools.wraps(callback)
    def run(*args: P.args, **kwargs: P.kwargs) -> None:
        with reported():
            callback(*args, **kwargs)

    return run


def link(page: str, label: str, query: dict[str, str] | None = None) -> None:
    """A link to another page of the app (``views/NAME.py``), as st.page_link draws it, with `query` in its address.

    A page script run on its own (a test or a benchmark running one view without app.py's navigation) has no
    pages to link to; there the link is a plain address to the same page, so the view still runs.
    """
    try:
        st.page_link(page, label=label, query_params=query)
    except StreamlitPageNotFoundError:
        name = page.removeprefix("views/").removesuffix(".py")
        st.markdown(f"[{plain(label)}](/{'' if name == 'assess' else name})")


def audit_rows(entries: list[AuditEntry]) -> list[dict[str, str]]:
    """Audit entries as table rows, in words: what happened with titles and questions, never ids
    (proofing.audit_words); a table shows text as text, so nothing in them becomes Markdown."""
    titles = {found.assessment_id: found.title for found in store().list()}
    return [
        {
            _("When (UTC)"): f"{day(line.at)} {line.at:%H:%M:%S}",
            _("Who"): visible(line.who),
            _("What"): visible(line.what),
            _("Assessment"): visible(line.assessment),
            _("Version"): "" if line.version is None else str(line.version),
        }
        for line in audit_lines(knowledge(), entries, titles, words=translation())
    ]


def sentence(text: str) -> str:
    """A message from the library as a sentence: a capital first and a full stop last.

    Examples:
        >>> sentence("scoring is closed")
        'Scoring is closed.'
    """
    text = text.strip()
    if not text:
        return text
    text = text[0].upper() + text[1:]
    return text if text[-1] in ".!?" else f"{text}."


def say(key: str, kind: str, text: str) -> None:
    """Keep a message to show beside the form `key` on the next run (a callback cannot draw it)."""
    st.session_state.setdefault("said", {})[key] = (kind, text)


def said(key: str) -> None:
    """Show the message kept for the form `key`, once."""
    kept = st.session_state.get("said", {}).pop(key, None)
    if kept is not None:
        kind, text = kept
        {"success": st.success, "warning": st.warning, "error": st.error}[kind](plain(text))
