"""The "My actions" and "Reviews" pages as a person uses them (issue 23): empty, then an approved plan's overdue action
marked done with its evidence, and its review held and closed."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

from proofing.approvals import SignOff
from proofing.plan import read_plan
from proofing.store import Store
from proofing.store.followup import FollowUp, today
from tests.conftest import fresh_app

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples"


@pytest.fixture()
def database(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    url = f"sqlite:///{tmp_path / 'app.db'}"
    monkeypatch.setenv("PROOFING_DB_URL", url)
    fresh_app(monkeypatch)
    yield url
    st.cache_resource.clear()


def page(name: str) -> AppTest:
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    at.switch_page(f"views/{name}.py")
    return at.run()


def approved(url: str, review_in_days: int) -> str:
    """The library plan approved (by the raw store, as a script would) with one accepted mitigation due yesterday."""
    store = Store(url)
    plan = read_plan(EXAMPLES / "library-opening-hours.yaml")
    assessment_id = store.create(plan)
    due = (today() - timedelta(days=1)).isoformat()
    store.save(
        assessment_id,
        plan,
        {"language_no_interpreting:0": {"status": "accepted", "due": due}},
        None,
        expected_version=1,
    )
    store.submit(assessment_id, expected_version=2)
    submitted = store.approval(assessment_id)
    assert submitted is not None and submitted.digest is not None
    store.sign_off(
        assessment_id,
        SignOff(
            outcome="approved",
            version=submitted.version,
            digest=submitted.digest,
            decision_taken="Go ahead",
            reasons="The mitigations answer the risks",
            review_date=today() + timedelta(days=review_in_days),
        ),
    )
    return assessment_id


def test_empty_pages_say_there_is_nothing_to_do(database: str) -> None:
    actions = page("actions")
    assert not actions.exception
    assert actions.title[0].value == "My actions"
    assert any("No actions to do" in item.value for item in actions.info)
    reviews = page("reviews")
    assert not reviews.exception
    assert reviews.title[0].value == "Reviews"
    assert any("No reviews to hold" in item.value for item in reviews.info)


def test_an_overdue_action_is_marked_done_with_its_evidence(database: str) -> None:
    assessment_id = approved(database, 90)
    at = page("actions")
    assert not at.exception
    assert any("1 of these actions is overdue" in item.value for item in at.warning)
    table = at.dataframe[0].value
    assert "(overdue)" in table.iloc[0]["Due"] and "three branch libraries" in table.iloc[0]["Plan"]
    at.radio[0].set_value("done")
    at.text_area[0].input("Interpreting contract signed; leaflet in six languages")
    at.button[0].click().run()
    assert not at.exception
    assert any("Progress saved" in item.value for item in at.success)
    [action] = FollowUp(Store(database)).actions(assessment_id=assessment_id)
    assert (action.status, action.evidence, action.done_on) == (
        "done",
        "Interpreting contract signed; leaflet in six languages",
        today(),
    )
    assert any("No actions to do" in item.value for item in at.info)  # nothing open is left


def test_a_done_action_without_evidence_is_refused_in_words(database: str) -> None:
    approved(database, 90)
    at = page("actions")
    at.radio[0].set_value("done")
    at.button[0].click().run()
    assert not at.exception
    assert any("needs what was done" in item.value for item in at.error)


def test_a_review_due_is_listed_and_held(database: str) -> None:
    assessment_id = approved(database, 10)
    at = page("reviews")
    assert not at.exception
    assert any("1 review due in the next 30 days" in item.value for item in at.subheader)
    assert any("find what they found then" in item.value for item in at.markdown)
    at.text_area[0].input("Evening visits fell by a tenth")
    at.radio[0].set_value("closed")
    at.button[0].click().run()
    assert not at.exception
    assert any("The review is recorded" in item.value for item in at.success)
    [held] = FollowUp(Store(database)).held(assessment_id)
    assert (held.record.outcome, held.record.monitoring) == ("closed", "Evening visits fell by a tenth")
    assert FollowUp(Store(database)).reviews() == []
