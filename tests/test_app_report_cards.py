"""The "Report cards" page as an approver, administrator or auditor uses it (issue 23): an empty register gives a
report card of zeros, not an error; an approved plan shows in this quarter's figures, tables and trend."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
import streamlit as st

from proofing.report_card import quarter_of
from proofing.store.followup import today
from tests.conftest import fresh_app
from tests.test_app_followup import approved, page


@pytest.fixture()
def database(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    url = f"sqlite:///{tmp_path / 'app.db'}"
    monkeypatch.setenv("PROOFING_DB_URL", url)
    fresh_app(monkeypatch)
    yield url
    st.cache_resource.clear()


def test_an_empty_register_gives_a_report_card_of_zeros(database: str) -> None:
    at = page("report_cards")
    assert not at.exception
    assert at.title[0].value == "Report cards"
    assert any("every figure in this report card is zero" in item.value for item in at.info)
    assert [metric.value for metric in at.metric][:2] == ["0", "0"]
    assert "How much did we do?" in [header.value for header in at.header]
    assert any("No review was held in this period" in item.value for item in at.markdown)


def test_an_approved_plan_counts_in_this_quarter(database: str) -> None:
    approved(database, 90)
    at = page("report_cards")
    assert not at.exception
    assert [metric.value for metric in at.metric][:2] == ["1", "1"]  # one approved, one mitigation agreed
    [services] = [frame.value for frame in at.dataframe if "Service" in frame.value.columns]
    assert list(services["Assessments"]) == [1]
    trend = at.dataframe[-1].value
    assert list(trend["Quarter"])[-1] == f"{today().year} Q{quarter_of(today()).quarter}"
    assert list(trend["Assessments approved"])[-1] == 1
    assert at.get("download_button")
