"""The service layer both faces call: a save assesses once and the store keeps what it is handed; a record is written
from the stored version; dates and wards are read through the roles rules/ declares. SQLite and PostgreSQL."""

from __future__ import annotations

import importlib
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
import yaml
from sqlalchemy import select

import proofing.assessment
import proofing.engine
from proofing.errors import RuleBaseError
from proofing.indexing import plan_dated, plan_wards
from proofing.knowledge import KnowledgeBase, load_knowledge
from proofing.plan import Plan
from proofing.report import ReportDetails, write_report
from proofing.service import (
    index_rows,
    record_assessment,
    save_draft,
    start_assessment,
)
from proofing.store import CumulativeRow, Store

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"


def example(name: str = "day-centre-closure") -> Plan:
    return Plan.model_validate(yaml.safe_load((EXAMPLES / f"{name}.yaml").read_text(encoding="utf-8")))


class Counted:
    """The engine's evaluation, counted wherever the library calls it (each module that imported it by name)."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.calls = 0
        real = proofing.engine.evaluate

        def counting(*args: Any, **kwargs: Any) -> Any:
            self.calls += 1
            return real(*args, **kwargs)

        for name in ("engine", "assessment", "residual", "whatif"):
            module = importlib.import_module(f"proofing.{name}")
            assert module.evaluate is real  # every caller of the engine is counted
            monkeypatch.setattr(module, "evaluate", counting)


def kept_rows(store: Store, assessment_id: str) -> list[tuple[str, str, int]]:
    with store.reading() as session:
        rows = session.scalars(select(CumulativeRow).where(CumulativeRow.assessment_id == assessment_id))
        return sorted((row.group_id, row.ward, row.highest_score) for row in rows)


def test_a_save_assesses_once_and_the_store_keeps_what_it_is_handed(
    url: str, kb: KnowledgeBase, monkeypatch: pytest.MonkeyPatch
) -> None:
    store = Store(url)
    counted = Counted(monkeypatch)
    first = Plan(title="Library hours", service="Libraries", owner="Head of Libraries")
    assessment_id = start_assessment(store, kb, first)
    assert counted.calls == 1
    plan = example()
    counted.calls = 0
    number = save_draft(store, kb, assessment_id, plan, {}, {}, expected_version=1)
    assert counted.calls == 1  # one evaluation for the level and the index together; the store made none
    saved = store.version(assessment_id, number)
    assert saved is not None
    expected, problems = proofing.assessment.assess_agreed(kb, plan, {})
    assert saved.level == (None if problems else expected.level)
    wards = plan_wards(kb, plan) or [""]
    negative = sorted(
        (profile.id, ward, profile.highest_negative_score)
        for profile in expected.profile
        if profile.negative
        for ward in wards
    )
    assert negative  # the example affects people, so the index has rows to keep
    assert kept_rows(store, assessment_id) == negative


def test_a_page_that_assessed_already_saves_with_no_evaluation_more(
    url: str, kb: KnowledgeBase, monkeypatch: pytest.MonkeyPatch
) -> None:
    store = Store(url)
    assessment_id = start_assessment(store, kb, Plan(title="Day centre", service="Adult care", owner="Manager"))
    plan = example()
    assessed = proofing.assessment.assess_agreed(kb, plan, {})
    counted = Counted(monkeypatch)
    save_draft(store, kb, assessment_id, plan, {}, {}, expected_version=1, assessed=assessed)
    assert counted.calls == 0


def test_a_raw_save_keeps_only_what_it_is_handed(url: str, kb: KnowledgeBase, monkeypatch: pytest.MonkeyPatch) -> None:
    """The store is a sink: a raw save that hands no index rows keeps none, and assesses nothing to find them."""
    store = Store(url)
    plan = example()
    counted = Counted(monkeypatch)
    assessment_id = store.create(plan, "full_eia")
    store.save(assessment_id, plan, {"r:0": {"status": "accepted"}}, "full_eia", expected_version=1)
    assert counted.calls == 0
    assert kept_rows(store, assessment_id) == []
    through_service = start_assessment(store, kb, plan)
    assessment = proofing.assessment.assess_agreed(kb, plan, None)[0]
    assert kept_rows(store, through_service) == sorted(
        (row.group_id, row.ward, row.highest_score) for row in index_rows(kb, plan, assessment)
    )
    assert kept_rows(store, through_service)  # the example affects people: the service handed rows


def test_the_record_is_written_from_the_stored_version(
    url: str, kb: KnowledgeBase, monkeypatch: pytest.MonkeyPatch
) -> None:
    store = Store(url)
    stored = example()
    assessment_id = start_assessment(store, kb, stored)
    saved = store.latest(assessment_id)
    assert saved is not None
    counted = Counted(monkeypatch)
    assessment, _problems = record_assessment(kb, saved)
    assert counted.calls == 1
    assert assessment.plan == stored
    record = write_report(kb, assessment, ReportDetails(assessors=[stored.owner]))
    assert record[:2] == b"PK"  # a .docx


def test_wards_and_dates_are_read_through_roles(kb: KnowledgeBase, rules_copy: Path) -> None:
    plan = example().model_copy(
        update={
            "answers": {
                **example().answers,
                "geography": "named_wards",
                "wards": ["caia_park", "queensway"],
                "starts_on": "2027-03-01",
            }
        }
    )
    assert kb.questionnaire.roles.wards == "wards"
    assert plan_wards(kb, plan) == ["caia_park", "queensway"]
    assert plan_dated(kb, plan) is None  # the project's rule base declares no plan_date: dated by the save
    questionnaire = rules_copy / "questionnaire.yaml"
    text = questionnaire.read_text(encoding="utf-8")
    text = text.replace("  wards: wards\n", "  wards: wards\n  plan_date: starts_on\n")  # a date question of its own
    dated_question = "      - id: starts_on\n        text: When does the plan start?\n        type: date\n"
    questionnaire.write_text(
        text.replace("      - id: tension_reporting\n", dated_question + "      - id: tension_reporting\n"), "utf-8"
    )
    dated = load_knowledge(rules_copy)
    assert plan_dated(dated, plan) == datetime(2027, 3, 1, tzinfo=UTC)
    rows = index_rows(dated, plan, proofing.assessment.assess_agreed(dated, plan, None)[0])
    assert rows and {row.dated for row in rows} == {datetime(2027, 3, 1, tzinfo=UTC)}
    assert {row.ward for row in rows} == {"caia_park", "queensway"}


def test_rules_check_refuses_a_role_of_the_wrong_type(rules_copy: Path) -> None:
    questionnaire = rules_copy / "questionnaire.yaml"
    text = questionnaire.read_text(encoding="utf-8")
    questionnaire.write_text(text.replace("  wards: wards\n", "  wards: wards\n  plan_date: evidence_gaps\n"), "utf-8")
    with pytest.raises(RuleBaseError) as refused:
        load_knowledge(rules_copy)
    assert "roles: plan_date names question evidence_gaps, a text question; it must be date" in str(refused.value)
