"""Cumulative impact: the index follows every save, the heat maps count what an independent count finds, and
"also affected by" finds the assessments sharing a ward or a period, on SQLite and PostgreSQL.

PostgreSQL comes from PROOFING_TEST_PG_URL, which tools/postgres.sh prints (make test runs it).
"""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import pytest
import yaml
from alembic import command
from sqlalchemy import text

import proofing.store.versions as versions_module
from proofing.access import User
from proofing.assessment import assess_agreed
from proofing.cumulative import HIDDEN_TITLE, cell, heat_map, hidden_words, overlaps_for
from proofing.knowledge import KnowledgeBase
from proofing.plan import Plan
from proofing.service import keep_both, restore_version, save_draft, start_assessment
from proofing.store import SavedVersion, Store, _engine_for
from proofing.store.database import migration_config

PG_ENV = "PROOFING_TEST_PG_URL"
EXAMPLES = Path(__file__).resolve().parent.parent / "examples"
AFFECTING = ("library-opening-hours", "school-eal-support", "housing-allocations-policy", "day-centre-closure")
WARDS = ("caia_park", "queensway", "gwersyllt", "rhosnesni", "acrefair_north")  # ids from rules/places.yaml
SINCE, UNTIL = date(2025, 1, 1), date(2026, 12, 31)


@pytest.fixture()
def store(url: str, kb: KnowledgeBase) -> Store:
    return Store(url)


def example(name: str, *, wards: list[str] | None = None, title: str | None = None) -> Plan:
    data: dict[str, Any] = yaml.safe_load((EXAMPLES / f"{name}.yaml").read_text(encoding="utf-8"))
    answers = dict(data.get("answers") or {})
    if wards is not None:
        answers["geography"] = "named_wards"
        answers["wards"] = ", ".join(wards)
    elif answers.get("geography") in ("named_wards", "rural_areas"):
        answers["geography"] = "county_wide"
        answers.pop("wards", None)
    return Plan.model_validate({**data, "answers": answers, "title": title or data["title"]})


def at(monkeypatch: pytest.MonkeyPatch, when: datetime) -> None:
    """Make the store's clock say `when` (the save time dates a plan with no date of its own)."""
    monkeypatch.setattr(versions_module, "_now", lambda: when)  # where a version's save time is stamped


def generate(store: Store, kb: KnowledgeBase, monkeypatch: pytest.MonkeyPatch, count: int = 36) -> list[str]:
    """`count` assessments over two years: four kinds of plan, some in named wards, a few final, a few unaffected."""
    made = []
    for number in range(count):
        at(monkeypatch, datetime(2025 + number % 2, 1 + number % 12, 1 + number % 27, 12, tzinfo=UTC))
        name = AFFECTING[number % len(AFFECTING)] if number % 9 != 8 else "payroll-software"
        wards = [WARDS[number % 5], WARDS[(number * 3) % 5]] if number % 3 else None
        made.append(start_assessment(store, kb, example(name, wards=wards, title=f"Plan {number}")))
        if number % 7 == 0:
            store.set_status(made[-1], "final")
    at(monkeypatch, datetime(2027, 6, 1, tzinfo=UTC))  # outside the period: must not count
    made.append(start_assessment(store, kb, example("library-opening-hours", title="Later plan")))
    return made


def oracle(kb: KnowledgeBase, saved: SavedVersion) -> set[tuple[str, str]]:
    """(group, ward) an assessment's latest version should index, worked out here independently of the store."""
    assessment, _problems = assess_agreed(kb, saved.plan, saved.notes)
    groups = {
        group
        for finding in assessment.findings
        if finding.direction == "negative"
        for group in finding.characteristics + finding.communities
    }
    answers = saved.plan.answers
    wards = [""]
    if answers.get("geography") in ("named_wards", "rural_areas") and answers.get("wards"):
        wards = [part.strip() for part in str(answers["wards"]).split(",") if part.strip()]
    return {(group, ward) for group in groups for ward in wards}


def indexed(store: Store, assessment_id: str) -> set[tuple[str, str]]:
    with store.reading() as session:
        found = session.execute(
            text("SELECT group_id, ward, version FROM cumulative_impacts WHERE assessment_id = :id"),
            {"id": assessment_id},
        ).all()
    latest = store.latest(assessment_id)
    assert latest is not None and all(version == latest.version for _g, _w, version in found)
    return {(group, ward) for group, ward, _version in found}


def expected_counts(store: Store, kb: KnowledgeBase, by: str) -> dict[tuple[str, str], set[str]]:
    counts: dict[tuple[str, str], set[str]] = {}
    for summary in store.list():
        latest = store.latest(summary.assessment_id)
        assert latest is not None
        if not SINCE <= latest.saved_at.date() <= UNTIL:
            continue
        quarter = f"{latest.saved_at.year} Q{(latest.saved_at.month - 1) // 3 + 1}"
        for group, ward in oracle(kb, latest):
            if by == "quarter":
                counts.setdefault((group, quarter), set()).add(summary.assessment_id)
            elif ward:
                counts.setdefault((group, ward), set()).add(summary.assessment_id)
    return counts


@pytest.mark.parametrize("by", ["quarter", "ward"])
def test_heat_map_counts_match_an_independent_count(
    store: Store, kb: KnowledgeBase, monkeypatch: pytest.MonkeyPatch, by: str
) -> None:
    generate(store, kb, monkeypatch)
    found = heat_map(store, kb, by=by, since=SINCE, until=UNTIL, ids=True)  # type: ignore[arg-type]
    expected = expected_counts(store, kb, by)
    assert {(c.group, c.column): c.count for c in found.cells} == {key: len(ids) for key, ids in expected.items()}
    assert {(c.group, c.column): set(c.assessment_ids) for c in found.cells} == expected
    assert found.assessments == len(set().union(*expected.values()))
    # a direct SQL count over the index agrees too, and every cell is drawn in words
    column = "quarter" if by == "quarter" else "ward"
    with store.reading() as session:
        direct = session.execute(
            text(
                f"SELECT group_id, {column}, COUNT(DISTINCT assessment_id) FROM cumulative_impacts "
                "WHERE status IN ('draft', 'final') AND dated >= :start AND dated < :end"
                + (" AND ward <> ''" if by == "ward" else "")
                + f" GROUP BY group_id, {column}"
            ),
            {"start": datetime(2025, 1, 1, tzinfo=UTC), "end": datetime(2027, 1, 1, tzinfo=UTC)},
        ).all()
    assert {(group, key): count for group, key, count in direct} == {(c.group, c.column): c.count for c in found.cells}
    assert all(name and name != group for group, name in found.group_names.items())
    if by == "quarter":
        assert found.columns == [f"{year} Q{q}" for year in (2025, 2026) for q in (1, 2, 3, 4)]
    group, key = found.cells[0].group, found.cells[0].column
    listed = cell(store, kb, group, key, by=by, since=SINCE, until=UNTIL)  # type: ignore[arg-type]
    assert {line.assessment_id for line in listed} == expected[(group, key)]


def test_the_index_follows_saves_duplicates_restores_and_keep_both(
    store: Store, kb: KnowledgeBase, monkeypatch: pytest.MonkeyPatch
) -> None:
    first = example("library-opening-hours", wards=["Caia Park"])
    assessment_id = start_assessment(store, kb, first)
    assert indexed(store, assessment_id) == oracle(kb, store.latest(assessment_id)) != set()  # type: ignore[arg-type]

    quiet = example("payroll-software")
    save_draft(store, kb, assessment_id, quiet, None, None, expected_version=1)
    assert indexed(store, assessment_id) == set()

    other = example("traveller-site-extension", wards=["Hightown", "Rhos"])
    save_draft(store, kb, assessment_id, other, None, None, expected_version=2)
    assert indexed(store, assessment_id) == oracle(kb, store.latest(assessment_id))  # type: ignore[arg-type]
    assert {ward for _group, ward in indexed(store, assessment_id)} == {"Hightown", "Rhos"}

    restore_version(store, kb, assessment_id, 1, expected_version=3)
    assert indexed(store, assessment_id) == oracle(kb, store.version(assessment_id, 1))  # type: ignore[arg-type]

    copy = store.duplicate(assessment_id)
    assert indexed(store, copy) == indexed(store, assessment_id)

    # two people change the same version: keep both, and the index is the merged version's
    save_draft(
        store, kb, assessment_id, example("library-opening-hours", wards=["Gwersyllt"]), None, None, expected_version=4
    )
    merged = keep_both(store, kb, assessment_id, 4, example("day-centre-closure", wards=["Caia Park"]))
    assert indexed(store, assessment_id) == oracle(kb, store.latest(assessment_id))  # type: ignore[arg-type]
    assert merged.version == 6

    # finalising and setting back carry the status into the index
    store.set_status(copy, "final")
    with store.reading() as session:
        statuses = session.execute(
            text("SELECT DISTINCT status FROM cumulative_impacts WHERE assessment_id = :id"), {"id": copy}
        ).all()
    assert statuses == [("final",)]


def test_overlaps_find_the_same_ward_and_the_same_period_and_not_an_unrelated_one(
    store: Store, kb: KnowledgeBase, monkeypatch: pytest.MonkeyPatch
) -> None:
    at(monkeypatch, datetime(2026, 2, 10, tzinfo=UTC))
    mine = start_assessment(store, kb, example("library-opening-hours", wards=["caia_park"], title="Library hours"))
    at(monkeypatch, datetime(2023, 5, 1, tzinfo=UTC))  # long ago, but in the same ward
    same_ward = start_assessment(
        store, kb, example("school-eal-support", wards=["caia_park", "queensway"], title="EAL support")
    )
    at(monkeypatch, datetime(2026, 3, 1, tzinfo=UTC))  # county-wide, in the same period
    same_period = start_assessment(store, kb, example("housing-allocations-policy", title="Housing allocations"))
    unrelated_groups = start_assessment(store, kb, example("staff-relocation-package", title="Staff relocation"))
    at(monkeypatch, datetime(2022, 1, 1, tzinfo=UTC))  # same groups, another ward, long ago
    far = start_assessment(store, kb, example("day-centre-closure", wards=["gwersyllt"], title="Day centre"))

    found = overlaps_for(store, kb, mine)
    assert {item.assessment_id for item in found} == {same_ward, same_period}
    assert {unrelated_groups, far}.isdisjoint(item.assessment_id for item in found)
    ward_lines = [item for item in found if item.assessment_id == same_ward]
    assert ward_lines and all(item.wards == ["Caia Park"] and item.period == "" for item in ward_lines)
    period_lines = [item for item in found if item.assessment_id == same_period]
    assert period_lines and all(item.wards == [] and item.period == "2026 Q1" for item in period_lines)
    names = {c.name for c in kb.characteristics} | {c.name for c in kb.communities}
    assert all(item.group in names and item.status == "Draft" for item in found)
    assert overlaps_for(store, kb, uuid.uuid4().hex) == []

    # a manager is told how many other plans hit the same groups, but none is named: no title, no service
    manager = User(subject="manager-1", name="A service manager", roles=frozenset({"service_manager"}))
    acting = overlaps_for(store.acting(manager), kb, mine)
    assert acting and all(not item.may_open and item.assessment_id == "" and item.service == "" for item in acting)
    assert {item.group for item in acting} == {item.group for item in found}  # one counted line per group
    assert all(item.title == hidden_words(item.hidden) for item in acting)
    assert {item.hidden for item in acting} <= {1, 2} and max(item.hidden for item in acting) == 2
    shown = " ".join(f"{item.title} {item.service} {item.wards} {item.period}" for item in acting)
    assert "EAL" not in shown and "Housing" not in shown and "Caia Park" in shown


def test_a_free_text_ward_is_never_a_column_nor_a_match(
    store: Store, kb: KnowledgeBase, monkeypatch: pytest.MonkeyPatch
) -> None:
    at(monkeypatch, datetime(2026, 2, 10, tzinfo=UTC))
    mine = start_assessment(store, kb, example("library-opening-hours", wards=["Secret Street", "caia_park"]))
    at(monkeypatch, datetime(2022, 2, 10, tzinfo=UTC))  # long ago: only a ward could match it
    other = start_assessment(store, kb, example("school-eal-support", wards=["Secret Street"]))
    seen = heat_map(store, kb, by="ward", since=date(2020, 1, 1), until=date(2026, 12, 31))
    assert set(seen.columns) == {"caia_park"} and seen.column_names == {"caia_park": "Caia Park"}
    assert cell(store, kb, "age", "Secret Street", by="ward", since=date(2020, 1, 1), until=date(2026, 12, 31)) == []
    assert other not in {item.assessment_id for item in overlaps_for(store, kb, mine)}


def test_a_manager_counts_everything_but_opens_only_their_own(
    store: Store, kb: KnowledgeBase, monkeypatch: pytest.MonkeyPatch
) -> None:
    at(monkeypatch, datetime(2026, 2, 10, tzinfo=UTC))
    manager = User(subject="manager-1", name="A service manager", roles=frozenset({"service_manager"}))
    auditor = User(subject="auditor-1", name="An auditor", roles=frozenset({"auditor"}))
    own = start_assessment(store.acting(manager), kb, example("library-opening-hours", wards=["caia_park"]))
    theirs = start_assessment(store, kb, example("school-eal-support", wards=["caia_park"]))
    period = (date(2026, 1, 1), date(2026, 12, 31))
    seen = heat_map(store.acting(manager), kb, by="ward", since=period[0], until=period[1])
    assert seen.count("age", "caia_park") == 2
    lines = cell(store.acting(manager), kb, "age", "caia_park", by="ward", since=period[0], until=period[1])
    assert {line.assessment_id: line.may_open for line in lines} == {own: True, theirs: False}
    assert [line.title for line in lines if not line.may_open] == [HIDDEN_TITLE]  # counted, never named
    lines = cell(store.acting(auditor), kb, "age", "caia_park", by="ward", since=period[0], until=period[1])
    assert all(line.may_open for line in lines)


def test_the_migration_back_fills_the_index(url: str, kb: KnowledgeBase, monkeypatch: pytest.MonkeyPatch) -> None:
    store = Store(url)
    made = generate(store, kb, monkeypatch, count=12)
    before = {assessment_id: indexed(store, assessment_id) for assessment_id in made}
    config = migration_config(url)
    with _engine_for(url).begin() as connection:
        config.attributes["connection"] = connection
        command.downgrade(config, "0007")
        command.upgrade(config, "head")
    assert {assessment_id: indexed(store, assessment_id) for assessment_id in made} == before
    assert sum(map(len, before.values())) > 0
