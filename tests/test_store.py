"""The assessment store, on SQLite and on PostgreSQL: every test runs on both.

PostgreSQL comes from PROOFING_TEST_PG_URL, which tools/postgres.sh prints (make test runs it). Without it the
PostgreSQL variants fail, never skip: a store that was only ever tried on SQLite is not tested. Each test gets
a database of its own: a new SQLite file, or a new PostgreSQL schema (dropped afterwards) that the store's
connections use through their search_path.
"""

from __future__ import annotations

import os
import socket
import threading
import uuid
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, date, datetime, timedelta

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import create_engine, inspect, make_url, text, update
from sqlalchemy.pool import NullPool

import proofing.store as store_module
from proofing.plan import Plan
from proofing.store import (
    AssessmentRow,
    Base,
    SavedVersion,
    Store,
    StoreError,
    _dispose_engine,
    _engine_for,
    default_db_url,
)

PG_ENV = "PROOFING_TEST_PG_URL"


@pytest.fixture(params=["sqlite", "postgresql"])
def url(request: pytest.FixtureRequest, tmp_path) -> Iterator[str]:
    """A URL of an empty database of each backend, forgotten (and on PostgreSQL dropped) after the test."""
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path / 'store.db'}"
        yield url
        _dispose_engine(url)
        return
    base = os.environ.get(PG_ENV, "").strip()
    if not base:
        pytest.fail(
            f"{PG_ENV} is not set, so the PostgreSQL tests cannot run: run tools/postgres.sh (make test does this) "
            f'and export the line it prints, e.g. export "$(tools/postgres.sh)"',
            pytrace=False,
        )
    schema = f"test_{uuid.uuid4().hex[:16]}"
    admin = create_engine(base, poolclass=NullPool)
    with admin.begin() as connection:
        connection.execute(text(f'CREATE SCHEMA "{schema}"'))
    url = make_url(base).update_query_dict({"options": f"-csearch_path={schema}"}).render_as_string(False)
    try:
        yield url
    finally:
        _dispose_engine(url)
        with admin.begin() as connection:
            connection.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


@pytest.fixture()
def store(url: str) -> Store:
    return Store(url)


def plan(title: str = "Library opening hours", service: str = "Libraries", owner: str = "Ann Jones", **more) -> Plan:
    return Plan(title=title, service=service, owner=owner, answers={"affects_public": True}, **more)


DECISIONS = {"interpreters": {"status": "agreed", "owner": "Bob", "due": "2026-03-01"}}


def test_create_save_and_latest_round_trip(store: Store) -> None:
    first = plan(description="Shorter Saturday hours")
    assessment_id = store.create(first)
    assert len(assessment_id) == 32 and uuid.UUID(hex=assessment_id).version == 4
    latest = store.latest(assessment_id)
    assert isinstance(latest, SavedVersion)
    assert (latest.assessment_id, latest.version, latest.plan) == (assessment_id, 1, first)
    assert (latest.decisions, latest.level, latest.status) == ({}, None, "draft")
    assert latest.saved_at.tzinfo is not None and latest.saved_at.utcoffset() == timedelta(0)
    assert abs(datetime.now(UTC) - latest.saved_at) < timedelta(minutes=1)

    second = plan(description="Shorter Saturday hours, longer Thursday hours")
    assert store.save(assessment_id, second, DECISIONS, "high") == 2
    latest = store.latest(assessment_id)
    assert latest is not None
    assert (latest.version, latest.plan, latest.decisions, latest.level) == (2, second, DECISIONS, "high")
    assert latest.plan.model_dump() == second.model_dump()


def test_each_save_keeps_a_version_and_an_identical_one_does_not(store: Store) -> None:
    assessment_id = store.create(plan())
    assert store.save(assessment_id, plan()) == 1  # identical to version 1
    assert store.save(assessment_id, plan(description="v2")) == 2
    assert store.save(assessment_id, plan(description="v2")) == 2
    assert store.save(assessment_id, plan(description="v2"), DECISIONS) == 3  # decisions changed
    assert store.save(assessment_id, plan(description="v2"), DECISIONS) == 3
    assert store.save(assessment_id, plan(description="v2"), DECISIONS, "low") == 4  # level changed
    assert store.save(assessment_id, plan(description="v2"), DECISIONS, "low") == 4
    assert store.save(assessment_id, plan(description="v1")) == 5  # going back is a change too
    assert [saved.version for saved in store.versions(assessment_id)] == [1, 2, 3, 4, 5]
    assert store.list()[0].versions == 5


def test_versions_are_oldest_first_and_each_can_be_read(store: Store) -> None:
    assessment_id = store.create(plan(description="one"))
    for text_ in ("two", "three"):
        store.save(assessment_id, plan(description=text_))
    saved = store.versions(assessment_id)
    assert [(s.version, s.plan.description) for s in saved] == [(1, "one"), (2, "two"), (3, "three")]
    assert [s.saved_at for s in saved] == sorted(s.saved_at for s in saved)
    assert store.version(assessment_id, 2) == saved[1]
    assert store.version(assessment_id, 4) is None
    assert store.version("0" * 32, 1) is None
    assert store.latest("0" * 32) is None
    assert store.versions("0" * 32) == []


def test_saving_to_an_unknown_assessment_is_refused_in_words(store: Store) -> None:
    with pytest.raises(StoreError, match="there is no assessment"):
        store.save("0" * 32, plan())
    with pytest.raises(StoreError, match="must be text"):
        store.save(store.create(plan()), plan(), {"x": {"due": 3}})  # type: ignore[dict-item]


def test_list_searches_and_filters(store: Store, url: str) -> None:
    libraries = store.create(plan("Library opening hours", "Libraries", "Ann Jones"))
    housing = store.create(plan("Housing allocation policy", "Housing", "Carys Evans"))
    parks = store.create(plan("100% park lighting", "Parks", "Dai Hughes"))
    store.save(housing, plan("Housing allocation policy", "Housing", "Carys Evans", description="v2"), level="high")
    store.save(parks, plan("100% park lighting", "Parks", "Dai Hughes", description="v2"), level="low")
    store.set_status(parks, "final")

    def ids(**filters) -> list[str]:
        return [summary.assessment_id for summary in store.list(**filters)]

    assert ids() == [parks, housing, libraries]  # newest updated first
    assert ids(search="HOUSING") == [housing]  # title and service, any case
    assert ids(search="jones") == [libraries]  # owner
    assert ids(search="  lib ") == [libraries]
    assert ids(search="100%") == [parks]  # % is a character, not a wildcard
    assert ids(search="_") == []
    assert ids(service="Housing") == [housing]
    assert ids(service="housing") == []  # a filter is exact
    assert ids(level="high") == [housing]
    assert ids(level="low", status="final") == [parks]
    assert ids(status="draft") == [housing, libraries]
    assert ids(search="o", service="Libraries") == [libraries]

    engine = _engine_for(url)
    with engine.begin() as connection:  # libraries was last touched ten days ago
        old = datetime.now(UTC) - timedelta(days=10)
        connection.execute(update(AssessmentRow).where(AssessmentRow.id == libraries).values(updated_at=old))
    today = datetime.now(UTC).date()
    assert ids(since=today) == [parks, housing]
    assert ids(since=today - timedelta(days=10)) == [parks, housing, libraries]
    assert ids(since=today + timedelta(days=1)) == []

    summary = store.list(service="Housing")[0]
    assert (summary.title, summary.service, summary.owner) == ("Housing allocation policy", "Housing", "Carys Evans")
    assert (summary.level, summary.status, summary.versions) == ("high", "draft", 2)
    assert summary.created_at <= summary.updated_at and summary.updated_at.utcoffset() == timedelta(0)
    assert store.services() == ["Housing", "Libraries", "Parks"]


def test_list_follows_the_latest_plan(store: Store) -> None:
    assessment_id = store.create(plan("Old title", "Libraries"))
    store.save(assessment_id, plan("New title", "Leisure", "Bob"))
    [summary] = store.list()
    assert (summary.title, summary.service, summary.owner) == ("New title", "Leisure", "Bob")
    assert store.list(search="old") == []
    assert store.services() == ["Leisure"]


def test_duplicate_makes_a_new_draft_of_the_latest(store: Store) -> None:
    source = store.create(plan(description="one"))
    store.save(source, plan(description="two"), DECISIONS, "medium")
    store.set_status(source, "final")
    copy = store.duplicate(source)
    assert copy != source
    [saved] = store.versions(copy)
    assert saved.version == 1 and saved.status == "draft"
    assert saved.plan == plan("Copy of Library opening hours", description="two")
    assert (saved.decisions, saved.level) == (DECISIONS, "medium")
    assert store.latest(source).plan.title == "Library opening hours"  # the source is untouched
    assert {s.assessment_id: s.status for s in store.list()} == {source: "final", copy: "draft"}
    assert store.save(copy, plan(description="three")) == 2  # the copy can be changed

    long = store.create(plan("x" * 500))
    assert store.latest(store.duplicate(long)).plan.title == ("Copy of " + "x" * 500)[:500]
    with pytest.raises(StoreError, match="no assessment"):
        store.duplicate("0" * 32)


def test_set_status(store: Store) -> None:
    assessment_id = store.create(plan(description="one"))
    store.save(assessment_id, plan(description="two"), DECISIONS, "low")
    store.set_status(assessment_id, "final")
    assert [s.status for s in store.versions(assessment_id)] == ["draft", "final"]
    assert store.latest(assessment_id).status == "final"
    assert store.version(assessment_id, 1).status == "draft"
    assert store.list()[0].status == "final"
    assert store.save(assessment_id, plan(description="two"), DECISIONS, "low") == 2  # nothing changed: fine
    with pytest.raises(StoreError, match="is final and cannot be changed"):
        store.save(assessment_id, plan(description="three"))
    store.set_status(assessment_id, "draft")
    assert store.save(assessment_id, plan(description="three")) == 3
    assert store.latest(assessment_id).status == "draft"
    with pytest.raises(StoreError, match="'closed' is not a status"):
        store.set_status(assessment_id, "closed")
    with pytest.raises(StoreError, match="there is no assessment"):
        store.set_status("0" * 32, "final")


def test_migrations_create_the_schema_and_a_second_store_opens_it(url: str) -> None:
    engine = create_engine(url, poolclass=NullPool)
    try:
        assert inspect(engine).get_table_names() == []  # an empty database
        first = Store(url)
        assessment_id = first.create(plan())
        tables = set(inspect(engine).get_table_names())
        assert {"assessments", "versions", "alembic_version"} <= tables
        with engine.connect() as connection:
            assert connection.execute(text("SELECT version_num FROM alembic_version")).scalar_one() == "0001"
            # the migrations make exactly what the ORM models describe
            assert compare_metadata(MigrationContext.configure(connection), Base.metadata) == []
        assert Store(url).latest(assessment_id).plan == plan()  # same process: the engine is shared
        _dispose_engine(url)
        second = Store(url)  # as a new process would: migrates again, finds it at head
        assert second.latest(assessment_id).plan == plan()
        assert second.save(assessment_id, plan(description="more")) == 2
    finally:
        engine.dispose()


def test_foreign_keys_are_enforced(store: Store, url: str) -> None:
    engine = _engine_for(url)
    with pytest.raises(Exception, match="(?i)foreign key"), engine.begin() as connection:
        connection.execute(
            text(
                "INSERT INTO versions (assessment_id, version, plan, decisions, saved_at) "
                "VALUES ('nope', 1, '{}', '{}', '2025-01-01 00:00:00')"
            )
        )
    if url.startswith("sqlite"):
        with engine.connect() as connection:
            assert connection.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"


def test_threads_save_concurrently(url: str) -> None:
    shared = Store(url)
    saves = 5

    def work(worker: int) -> tuple[str, list[int]]:
        store = shared if worker % 2 else Store(url)  # one shared Store, and Stores of their own
        assessment_id = store.create(plan(f"Plan {worker}", f"Service {worker % 3}"))
        numbers = [
            store.save(assessment_id, plan(f"Plan {worker}", f"Service {worker % 3}", description=f"v{n}"))
            for n in range(2, saves + 2)
        ]
        return assessment_id, numbers

    with ThreadPoolExecutor(max_workers=8) as pool:
        results = list(pool.map(work, range(8)))
    for assessment_id, numbers in results:
        assert numbers == list(range(2, saves + 2))
        assert [s.version for s in shared.versions(assessment_id)] == list(range(1, saves + 2))
    assert len({assessment_id for assessment_id, _ in results}) == 8
    assert sorted(summary.versions for summary in shared.list()) == [saves + 1] * 8


def test_threads_saving_to_one_assessment_get_distinct_versions(store: Store) -> None:
    assessment_id = store.create(plan())
    barrier = threading.Barrier(8)

    def work(worker: int) -> int:
        barrier.wait()
        return store.save(assessment_id, plan(description=f"worker {worker}"))

    with ThreadPoolExecutor(max_workers=8) as pool:
        numbers = list(pool.map(work, range(8)))
    assert sorted(numbers) == list(range(2, 10))
    assert [s.version for s in store.versions(assessment_id)] == list(range(1, 10))


def _closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def test_a_bad_url_is_a_store_error_in_words(url: str, tmp_path) -> None:
    with pytest.raises(StoreError, match="is not a database URL"):
        Store("not a url at all")
    with pytest.raises(StoreError, match="is not a database this installation knows"):
        Store("nosuchdb://somewhere/db")
    if url.startswith("sqlite"):
        unreachable = [f"sqlite:///{tmp_path / 'missing' / 'folder' / 'store.db'}"]
    else:
        parsed = make_url(url)
        unreachable = [
            parsed.set(port=_closed_port()).render_as_string(False),
            parsed.set(database="no_such_database").render_as_string(False),
        ]
    for bad in unreachable:
        with pytest.raises(StoreError) as caught:
            Store(bad)
        message = str(caught.value)
        assert message.startswith("cannot open the assessment store at ")
        assert "Check the URL (PROOFING_DB_URL)" in message
        assert "Traceback" not in message and "sqlalche.me" not in message
    if not url.startswith("sqlite"):
        secret = make_url(url).set(password="s3cret", port=_closed_port()).render_as_string(False)
        with pytest.raises(StoreError) as caught:
            Store(secret)
        assert "s3cret" not in str(caught.value)


def test_the_default_url_comes_from_the_environment(url: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PROOFING_DB_URL", url)
    assert default_db_url() == url
    assert store_module.DEFAULT_DB_URL == url  # read when used, not at import
    assert Store().url == url
    assessment_id = Store().create(plan())
    assert Store(url).latest(assessment_id).plan == plan()
    monkeypatch.delenv("PROOFING_DB_URL")
    expected = store_module.PROJECT_ROOT / "data" / "proofing.db"
    assert default_db_url() == f"sqlite:///{expected}"
    assert expected.parent.is_dir()


def test_dates_in_decisions_are_kept_as_iso_text(store: Store) -> None:
    assessment_id = store.create(plan())
    store.save(assessment_id, plan(), {"ramp": {"status": "agreed", "owner": "Bob", "due": date(2026, 3, 1)}})
    assert store.latest(assessment_id).decisions == {"ramp": {"status": "agreed", "owner": "Bob", "due": "2026-03-01"}}


def test_a_database_that_fails_mid_use_is_a_store_error_in_words(store: Store, url: str) -> None:
    assessment_id = store.create(plan())
    with _engine_for(url).begin() as connection:
        connection.execute(text("DROP TABLE versions"))
    with pytest.raises(StoreError, match="^the assessment store at .* failed: ") as caught:
        store.latest(assessment_id)
    assert "versions" in str(caught.value) and "sqlalche.me" not in str(caught.value)
