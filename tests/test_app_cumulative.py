"""The cumulative impact page as a person uses it: the heat maps in words, a cell's list with links, Welsh."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
import yaml
from streamlit.testing.v1 import AppTest

from proofing.knowledge import KnowledgeBase
from proofing.language import translator
from proofing.plan import Plan
from proofing.service import start_assessment
from proofing.store import Store
from tests.app_pages import app_database

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples"


@pytest.fixture()
def database(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    yield from app_database(tmp_path, monkeypatch)


def example(name: str, wards: str) -> Plan:
    data = yaml.safe_load((EXAMPLES / f"{name}.yaml").read_text(encoding="utf-8"))
    return Plan.model_validate({**data, "answers": {**data["answers"], "geography": "named_wards", "wards": wards}})


def page() -> AppTest:
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    at.switch_page("views/cumulative.py")
    return at.run()


def test_an_empty_register_says_so(database: str) -> None:
    at = page()
    assert not at.exception
    assert at.title[0].value == "Cumulative impact"
    assert any("No live assessment" in item.value for item in at.info)


def test_the_heat_maps_and_a_cell_list_the_assessments(database: str, kb: KnowledgeBase) -> None:
    store = Store(database)  # started as the pages start them: through the service, which hands the index rows
    library = start_assessment(store, kb, example("library-opening-hours", "caia_park, rhosnesni"))
    school = start_assessment(store, kb, example("school-eal-support", "caia_park"))
    start_assessment(store, kb, example("payroll-software", "rhosnesni"))  # no negative finding: not counted
    at = page()
    assert not at.exception
    assert len(at.get("vega_lite_chart")) == 2
    assert any("**2** live assessments" in item.value for item in at.markdown)
    group = next(box for box in at.selectbox if box.key == "cell_group")
    assert "age" in group.options or "Age" in group.options
    at.selectbox(key="cell_by").set_value("ward").run()
    at.selectbox(key="cell_group").set_value("age").run()
    at.selectbox(key="cell_column").set_value("caia_park").run()
    assert not at.exception
    assert any("**2** assessments find" in item.value for item in at.markdown)
    links = at.get("page_link")
    assert len(links) == 2
    assert {link.proto.query_string.split("=")[-1] for link in links} == {library, school}
    assert all(link.proto.label.startswith(("Reduce opening hours", "Reduce the English")) for link in links)


def test_the_page_speaks_welsh(database: str, kb: KnowledgeBase) -> None:
    start_assessment(Store(database), kb, example("library-opening-hours", "caia_park"))
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    at.session_state["language"] = "cy"
    at.switch_page("views/cumulative.py")
    at.run()
    assert not at.exception
    assert at.title[0].value == translator("cy")._("Cumulative impact") != "Cumulative impact"
