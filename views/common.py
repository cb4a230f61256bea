"""What every page shares: the rule base and the store (one per server process), and safe text."""

from __future__ import annotations

import re

import streamlit as st

from proofing import KnowledgeBase, load_knowledge
from proofing.store import Store

_MARKDOWN = re.compile(r"([\\\\`*_{}\[\]()#+\-.!|>~<])")


@st.cache_resource
def knowledge() -> KnowledgeBase:
    """The rule base, loaded once per server process (never on a rerun), shared by every session."""
    return load_knowledge()


@st.cache_resource
def store() -> Store:
    """The assessment store (thread-safe), shared by every session of this server."""
    return Store()


def plain(text: str) -> str:
    """User text made inert for st.markdown: every markdown character escaped, never HTML."""
    return _MARKDOWN.sub(r"\\\1", text)
