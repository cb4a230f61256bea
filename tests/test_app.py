"""The app's pages, driven headlessly: start, answer, see findings, come back, register, rule base."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

from proofing.plan import read_plan
from proofing.store import Store

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples"


@pytest.fixture()
def database(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    url = f"sqlite:///{tmp_path / 'app.db'}"
    monkeypatch.setenv("PROOFING_DB_URL", url)
    st.cache_resource.clear()
    yield url
    st.cache_resource.clear()


def page(name: str, **query: str) -> AppTest:
    at = AppTest.from_file(str(ROOT / "views" / name), default_timeout=60)
    for key, value in query.items():
        at.query_params[key] = value
    return at.run()


def test_the_app_starts_on_the_assessment_page(database: str) -> None:
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60).run()
    assert not at.exception
    assert at.title[0].value == "Start an assessment"


def test_start_answer_and_come_back(database: str) -> None:
    at = page("assess.py")
    at.text_input[0].input("Close the cash office")
    at.text_input[1].input("Revenues")
    at.text_input[2].input("Revenues Manager")
    at.button[0].click().run()
    assert not at.exception
    assessment_id = at.query_params["assessment"]
    assert at.title[0].value == "Close the cash office"
    change = next(w for w in at.multiselect if w.key == "q_change_type")
    change.set_value(["closure", "channel_shift"]).run()
    # A question that only applies to a channel shift appears.
    assert any(w.key == "q_digital_only" for w in at.radio)
    saved = Store(database).latest(assessment_id)
    assert saved is not None and saved.plan.answers["change_type"] == ["closure", "channel_shift"]
    # A refresh (a new session) with the link brings every answer back.
    again = page("assess.py", assessment=assessment_id)
    assert not again.exception
    assert next(w for w in again.multiselect if w.key == "q_change_type").value == ["closure", "channel_shift"]


def test_findings_show_live(database: str) -> None:
    store = Store(database)
    assessment_id = store.create(read_plan(EXAMPLES / "library-opening-hours.yaml"))
    at = page("assess.py", assessment=assessment_id)
    assert not at.exception
    infos = [info.value for info in at.info]
    assert any(text.startswith("Full assessment needed") for text in infos)
    assert any("online only" in markdown.value for markdown in at.markdown)


def test_an_unknown_link_says_so(database: str) -> None:
    at = page("assess.py", assessment="nothing-here")
    assert not at.exception
    assert "There is no saved assessment at this address" in at.error[0].value


def test_register_lists_and_filters(database: str) -> None:
    store = Store(database)
    store.create(read_plan(EXAMPLES / "library-opening-hours.yaml"))
    store.create(read_plan(EXAMPLES / "day-centre-closure.yaml"))
    at = page("register.py")
    assert not at.exception
    assert len(at.dataframe[0].value) == 2
    at.text_input[0].input("day centre").run()
    assert len(at.dataframe[0].value) == 1


def test_rule_base_page(database: str) -> None:
    at = page("rule_base.py")
    assert not at.exception
    assert at.title[0].value == "Rule base"
    assert any("Outcome 15" in expander.label for expander in at.expander)


def test_register_duplicates_and_compares_versions(database: str) -> None:
    store = Store(database)
    plan = read_plan(EXAMPLES / "day-centre-closure.yaml")
    assessment_id = store.create(plan)
    store.save(assessment_id, plan.model_copy(update={"answers": plan.answers | {"public_transport": True}}))
    at = page("register.py")
    assert not at.exception
    # Compare version 1 with version 2: the changed answer, in words, and the finding it removes.
    changed = at.dataframe[1].value
    assert list(changed["Question"]) == ["Can people reach the new location easily by public transport?"]
    assert list(changed["Earlier"]) == ["No"] and list(changed["Later"]) == ["Yes"]
    assert any("No longer found" in markdown.value for markdown in at.markdown)
    # Duplicate as a new draft: a second assessment, version 1, with the latest answers.
    at.button[1].click().run()
    copies = [s for s in store.list() if s.title.startswith("Copy of ")]
    assert len(copies) == 1 and copies[0].versions == 1
    assert store.latest(copies[0].assessment_id).plan.answers["public_transport"] is True
