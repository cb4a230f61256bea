"""The discreet note on a Welsh page that holds drafts (issue 25): how many of the Welsh texts it shows are drafts
not yet confirmed by a Welsh speaker. The library counts and words it (proofing.drafts); app.py starts the count
before the page and ends it after.

The note sits in the sidebar, under the language switch, in a place made before the page. A page that ends early
(``st.stop``) lets nothing more be drawn, so the count is worked out without Streamlit once the page ends, kept for
the page, and shown from the next run on (on a first visit, the count the page last had for anyone); a page that
runs to its end shows its own count at once.
"""

from __future__ import annotations

from dataclasses import dataclass

import streamlit as st
from streamlit.delta_generator import DeltaGenerator

from proofing.drafts import count, page_note, rule_drafts, start_count
from proofing.knowledge import KnowledgeBase
from proofing.language import Translator
from views.common import RULE_TEXTS_SHOWN, base_knowledge, translation


@dataclass
class Tally:
    """One run's count: the translator, the rule-base texts shown, the notes kept per page, and the note's place."""

    page: str
    words: Translator
    shown: set[str]
    kept: dict[str, str | None]
    kb: KnowledgeBase
    slot: DeltaGenerator


@st.cache_resource
def last_seen() -> dict[tuple[str, str], str | None]:
    """The note each page last had in each language, in any session of this server: a page that stops early on a
    person's first visit shows it until its own count is known."""
    return {}


def start() -> None:
    """Start this run's count, once the language is settled: nothing served yet."""
    start_count(translation())


def begin(page: str) -> Tally:
    """Make the note's place for `page` (what came before it, the page titles and the sidebar, is counted too), and
    show the note this page had last time until its own is known."""
    words = translation()
    shown: set[str] = set()
    st.session_state[RULE_TEXTS_SHOWN] = shown
    kept: dict[str, str | None] = st.session_state.setdefault("_draft_notes", {})
    slot = st.sidebar.empty()
    earlier = kept[page] if page in kept else last_seen().get((page, words.language))
    if earlier is not None and words.language != "en":
        slot.caption(earlier)
    return Tally(page, words, shown, kept, base_knowledge(), slot)


def end(tally: Tally) -> None:
    """Count what the page showed (no Streamlit call until the note is known, so a stopped page still counts), keep
    the note for the page, and show it."""
    words = tally.words
    drafts = rule_drafts(tally.kb, words.language, words.folder) if tally.shown else {}
    note = page_note(words, count(words, tally.shown, drafts))
    tally.kept[tally.page] = note
    last_seen()[(tally.page, words.language)] = note
    if note is None:
        tally.slot.empty()
    else:
        tally.slot.caption(note)
