"""The proofing app: a thin Streamlit face over the proofing library.

Pages live in views/; they call the library and the store and hold no business logic. Whatever a page raises
that it did not foresee is logged with a short reference and shown as a plain message carrying it (see
views/common.py); Streamlit itself shows no error details (.streamlit/config.toml).

Each page has its own browser title, and keyboard focus is drawn as a thick ring (FOCUS below) so a person
moving by keyboard can always see where they are.
"""

from __future__ import annotations

import logging

import streamlit as st
from streamlit.navigation.page import StreamlitPage

from proofing.access import LOCAL_USER
from proofing.identity import signin_config
from proofing.language import LANGUAGE_NAMES, LANGUAGES, is_language
from proofing.local_host import foreign_request
from views import draft, drafts_note, local_name, signin, typed_text
from views.common import LOG, _, language, plain, reported, shared_store

logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")

# Our own stylesheet, never user text: a visible focus ring on every control, and readable captions.
FOCUS = """<style>
:focus-visible, [data-baseweb] :focus-visible, button:focus-visible, a:focus-visible, input:focus-visible,
textarea:focus-visible, [role="radio"]:focus-visible, [role="combobox"]:focus-visible {
  outline: 3px solid #1d4ed8 !important; outline-offset: 2px !important; box-shadow: 0 0 0 5px #ffffff !important;
}
/* The keeper of typed text draws nothing (views/typed_text.py). */
.st-key-typed_text_slot { display: none !important; }
/* Captions and hints dark enough to read (WCAG AA contrast on white). */
[data-testid="stCaptionContainer"], [data-testid="stCaptionContainer"] p, [data-testid="stWidgetLabel"] small {
  color: #4a4f5a !important; opacity: 1 !important;
}
</style>"""


def settle_language(subject: str) -> None:
    """The language of this session, settled as soon as the person is known. Signed in: their choice kept in the
    store. In local mode (one person for every browser) each browser keeps its own, in its address (``?lang=cy``)
    and its session, so switching one browser does not switch a workshop participant's. Else the session's default
    (PROOFING_LANGUAGE, else English). Everything drawn after it is in that language."""
    state = st.session_state
    if subject == LOCAL_USER.subject:
        asked = st.query_params.get("lang")
        if is_language(asked):
            state.language = asked
    if not is_language(state.get("language")) and subject != LOCAL_USER.subject:
        with reported():
            state.language = signin.language_on_return(subject, shared_store()) or language()  # sign-in's choice
    if not is_language(state.get("language")):
        state.language = language()
    if subject == LOCAL_USER.subject and st.query_params.get("lang") != state.language:
        st.query_params["lang"] = state.language  # carried to the next page and kept by a reload


def language_switch(subject: str) -> None:
    """Cymraeg or English, on every page (the sidebar), Welsh first; remembered for the person in the store when
    signed in, for this browser in local mode."""
    state = st.session_state
    settle_language(subject)
    choice = st.sidebar.radio(
        "Iaith · Language",
        LANGUAGES,
        index=LANGUAGES.index(state.language),
        format_func=LANGUAGE_NAMES.__getitem__,
        horizontal=True,
    )
    if choice != state.language:  # run again at once, so the page titles and the page are all in the language chosen
        state.language = choice
        if subject == LOCAL_USER.subject:
            st.query_params["lang"] = choice
        else:
            with reported():
                shared_store().set_language(subject, choice)
        st.rerun()


def refuse_a_foreign_host() -> None:
    """In local mode, draw nothing for a browser that reached the app by another name or from another site's page
    (DNS rebinding): everyone local mode serves holds every role. See proofing/local_host.py."""
    try:
        local = not signin_config(signin.secrets_mapping()).configured
    except Exception:  # a fault in the sign-in configuration is require_user's to show
        return
    foreign = foreign_request(dict(st.context.headers)) if local else None
    if foreign is not None:
        LOG.warning("local mode refused a request reached as %s", foreign)
        st.error(
            plain(
                _(
                    "This app runs in local mode and answers this computer only, but it was reached as {name}. "
                    "Open it on this computer at http://localhost:8501.",
                    name=foreign,
                )
            )
        )
        st.stop()


def pages() -> list[StreamlitPage]:
    """The app's pages, their titles in this session's language (their addresses come from the file names). All are
    shown (``expanded``): the sidebar would otherwise fold away all but the first ten. Not in sections: Streamlit
    draws a section's heading inside the list, which screen readers are told is not a list item (axe-core)."""
    return [
        st.Page("views/assess.py", title=_("Assess a plan"), default=True),
        st.Page("views/results.py", title=_("Results")),
        st.Page("views/export.py", title=_("Export")),
        st.Page("views/register.py", title=_("Register")),
        st.Page("views/actions.py", title=_("My actions")),  # issue 23: after the decision
        st.Page("views/reviews.py", title=_("Reviews")),
        st.Page("views/report_cards.py", title=_("Report cards")),  # issue 23: the strategy's RBA report cards
        st.Page("views/cumulative.py", title=_("Cumulative impact")),
        st.Page("views/rule_base.py", title=_("Rule base")),
        st.Page("views/training.py", title=_("Training")),
        st.Page("views/trainer.py", title=_("Trainer")),
        st.Page("views/workshop.py", title=_("EIA workshop"), url_path="workshop"),
        st.Page("views/join.py", title=_("Join a workshop"), url_path="join"),
        st.Page("views/audit.py", title=_("Audit trail")),
        st.Page("views/admin.py", title=_("Roles")),
    ]


# The language first (the person's choice kept in the store), so every title and word below is in it.
subject = signin.known_subject()
if subject is not None:
    settle_language(subject)
drafts_note.start()  # issue 25: count the drafts this run shows (views/drafts_note.py)
navigation = st.navigation(pages(), expanded=True)
st.set_page_config(page_title=_("{page} · Cohesion proofing", page=navigation.title), layout="wide")
st.html(FOCUS)
refuse_a_foreign_host()
# Who is using the app: signed in through the council's identity provider, or the one local user (with a
# banner) in local mode, named as they named themselves (views/local_name.py); local mode is refused on any address
# but loopback. See views/signin.py.
st.session_state.user = local_name.named(signin.require_user(assigned=shared_store().assigned_roles))
signin.remember_contact(st.session_state.user)  # reminders go to the address signed in with (issue 23)
language_switch(st.session_state.user.subject)
drafts = drafts_note.begin(navigation.url_path)  # issue 25: the drafts this page shows, noted under the switch
# The keeper of typed text (views/typed_text.py) is mounted after the page, which names the assessment and its text
# fields, however the page ended; into a place made before the page, at the same position on every page, so that
# the keeper's own reruns never address an element of a page that has since been left.
keeper_slot = st.container(key="typed_text_slot")
try:
    with reported():
        navigation.run()
finally:
    drafts_note.end(drafts)  # before the keeper, whose own reruns end the run
    with keeper_slot:
        typed_text.keeper(draft.saved_texts, draft.refresh, draft.base_tag)
