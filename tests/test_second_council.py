"""Another council's rule base works end to end, and nothing of the first council leaks into its output.

`tests/fixtures/second_council` is a small rule base for a fictional council (Afon Vale) with its own
strategy, numbering, questions and rules, and no migrant worker plan or later update. Assessing a plan, the
JSON, the text, the Word record and the app's pages on it must never mention Wrexham or its strategy.
"""

from __future__ import annotations

import json
import re
import zipfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from proofing.access import LOCAL_USER
from proofing.assessment import assess, assessment_as_json, assessment_as_text
from proofing.knowledge import KnowledgeBase, load_knowledge
from proofing.plan import read_plan
from proofing.report import write_report
from proofing.store import Store
from tests.app_pages import app_database, page_text

ROOT = Path(__file__).resolve().parent.parent
RULES = ROOT / "tests" / "fixtures" / "second_council"
PLAN = ROOT / "tests" / "fixtures" / "second_council_plans" / "day-club.yaml"
# What only the first council's rule base or strategy says.
FIRST_COUNCIL = re.compile(r"wrexham|caia park|migrant worker|charter of belonging|yale college|one wrexham", re.I)


@pytest.fixture(scope="module")
def second() -> KnowledgeBase:
    return load_knowledge(RULES)


def test_the_second_council_is_sound_and_has_its_own_name(second: KnowledgeBase) -> None:
    assert second.council == "Afon Vale County Council"
    assert second.migrant_worker_tasks == [] and second.strategy_2011 is None
    assert [outcome.id for outcome in second.outcomes] == ["AVO1", "AVO2"]


def test_assessing_a_plan_says_nothing_of_the_first_council(second: KnowledgeBase) -> None:
    assessment = assess(second, read_plan(PLAN))
    assert assessment.level == "full_assessment"
    assert {finding.rule for finding in assessment.findings} == {"cut_for_older_residents", "english_only"}
    assert [gap.kind for gap in assessment.gaps if gap.kind == "no_monitoring"] == ["no_monitoring"]
    for output in (assessment_as_text(second, assessment), json.dumps(assessment_as_json(assessment))):
        assert not FIRST_COUNCIL.search(output), FIRST_COUNCIL.search(output)


def test_the_word_record_says_nothing_of_the_first_council(second: KnowledgeBase, tmp_path: Path) -> None:
    record = tmp_path / "record.docx"
    record.write_bytes(write_report(second, assess(second, read_plan(PLAN))))
    with zipfile.ZipFile(record) as package:
        for name in package.namelist():
            if name.endswith(".xml"):
                text = package.read(name).decode("utf-8")
                assert not FIRST_COUNCIL.search(text), (name, FIRST_COUNCIL.search(text))
        assert "Afon Vale County Council" in package.read("word/header1.xml").decode("utf-8")


@pytest.fixture()
def app_on_second_council(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Store]:
    for url in app_database(tmp_path, monkeypatch, rules=RULES):
        yield Store(url)


@pytest.mark.parametrize("name", ["assess.py", "register.py", "rule_base.py"])
def test_the_app_pages_say_nothing_of_the_first_council(app_on_second_council: Store, name: str) -> None:
    kb = load_knowledge(RULES)
    created = app_on_second_council.create(read_plan(PLAN), assess(kb, read_plan(PLAN)).level)
    at = AppTest.from_file(str(ROOT / "views" / name), default_timeout=60)
    at.query_params["assessment"] = created
    at.session_state["user"] = LOCAL_USER  # a page run on its own: app.py is not there to sign anyone in
    at.run()
    assert not at.exception
    text = page_text(at)
    assert {"assess.py": "Close the day club", "register.py": "Close the day club", "rule_base.py": "Afon Vale"}[
        name
    ] in text
    assert not FIRST_COUNCIL.search(text), FIRST_COUNCIL.search(text)
