"""Helpers for the tests that drive the app's pages headlessly (streamlit.testing's AppTest): the app on a new
database of its own, and everything a page shows as text. One copy, where each test file kept its own."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

from tests.conftest import fresh_app


def app_database(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, rules: Path | None = None) -> Iterator[str]:
    """For a fixture to ``yield from``: the app on a new SQLite database in `tmp_path` (PROOFING_DB_URL, its URL
    yielded) and on the rule base in `rules` when one is given, with what it caches forgotten before (as a newly
    started server would: fresh_app) and after."""
    url = f"sqlite:///{tmp_path / 'app.db'}"
    monkeypatch.setenv("PROOFING_DB_URL", url)
    if rules is not None:
        monkeypatch.setenv("PROOFING_RULES_DIR", str(rules))
    fresh_app(monkeypatch)
    yield url
    st.cache_resource.clear()


def page_text(at: AppTest) -> str:
    """Everything the page shows: the text of every element, with widget labels and options, from its protobuf."""
    found: list[str] = []

    def walk(node: object) -> None:
        proto = getattr(node, "proto", None)
        if proto is not None:
            found.append(str(proto))
        for child in getattr(node, "children", {}).values():
            walk(child)

    walk(at.main)
    walk(at.sidebar)
    return "\n".join(found)


def page(name: str, **query: str) -> AppTest:
    """The app (app.py, with its navigation) run on one page, `views/<name>`, as a person opening that page's
    address with `query` in it."""
    at = AppTest.from_file(str(Path(__file__).resolve().parent.parent / "app.py"), default_timeout=60)
    for key, value in query.items():
        at.query_params[key] = value
    at.switch_page(f"views/{name}")
    return at.run()
