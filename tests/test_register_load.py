"""The register under load (issue 24): the approvals of a whole list read at once, and a database pool sized from
the environment.

The batched read must give exactly what the per-assessment reads give (refusals and omissions included), on SQLite
and on PostgreSQL; the register page's database statements must not grow with the number of assessments; a bad
pool setting is a sentence naming its variable, in the store and in ``proofing doctor``.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import event

from proofing.access import PermissionDenied, User
from proofing.doctor import check, pool_faults
from proofing.store import SignOff, Store, StoreError, _engine_for
from proofing.store.database import MAX_OVERFLOW_ENV, POOL_SIZE_ENV, _make_engine, pool_setting
from tests.app_pages import app_database, page
from tests.test_access_store import OTHER, naming, person
from tests.test_store import plan  # the url fixture (both databases) comes from tests/conftest.py

SENT_BACK = SignOff(outcome="sent_back", version=1, digest="0" * 64, comments="Say who was asked.")


def some_of_each(store: Store) -> list[str]:
    """Assessments of a service manager in every state an approval can be in, and one of another manager's (shared
    with nobody): never submitted, awaiting approval, sent back, resubmitted, approved, approved then reopened."""
    manager, other = (
        store.acting(person("service_manager")),
        store.acting(User(subject=OTHER, name="Another manager", roles=frozenset({"service_manager"}))),
    )
    approver = store.acting(person("approver"))
    ids = [manager.create(plan(title=f"Plan {n}")) for n in range(6)]
    never, waiting, back, again, approved, reopened = ids
    for assessment_id in (waiting, back, again, approved, reopened):
        manager.submit(assessment_id, expected_version=1)
    approver.sign_off(back, naming(store, back, SENT_BACK))
    approver.sign_off(again, naming(store, again, SENT_BACK))
    manager.save(again, plan(title="Plan 3", description="answered"), level="high", expected_version=1)
    manager.submit(again, expected_version=2)
    approver.sign_off(approved, naming(store, approved))
    approver.sign_off(reopened, naming(store, reopened))
    manager.reopen(reopened)
    theirs = other.create(plan(title="Another manager's plan"))
    other.submit(theirs, expected_version=1)
    return [*ids, theirs]


def test_the_batched_read_gives_what_the_single_reads_give(url: str) -> None:
    store = Store(url)
    ids = some_of_each(store)
    unknown = ["0" * 32, "not an id", ""]
    singles = {assessment_id: store.approval(assessment_id) for assessment_id in ids + unknown}
    assert store.approvals(ids + unknown) == {key: value for key, value in singles.items() if value is not None}
    assert len(store.approvals(ids)) == 6  # all but the one never submitted
    assert store.approvals([]) == {}
    # A reader who may see every assessment: the same, through the acting face.
    approver = store.acting(person("approver"))
    assert approver.approvals(ids + unknown) == {
        key: value for key in ids + unknown if (value := approver.approval(key)) is not None
    }
    # A reader who may see only their own: what they may open is the same; one they may not is refused, as the single
    # read refuses it, and nothing of it is given.
    manager = store.acting(person("service_manager"))
    own, theirs = ids[:6], ids[6]
    assert manager.approvals(own + unknown) == {
        key: value for key in own + unknown if (value := manager.approval(key)) is not None
    }
    with pytest.raises(PermissionDenied):
        manager.approval(theirs)
    with pytest.raises(PermissionDenied):
        manager.approvals([*own, theirs])
    # The list the register shows such a reader (UserStore.list) is one the batched read never refuses.
    listed = [summary.assessment_id for summary in manager.list()]
    assert sorted(listed) == sorted(own)
    assert set(manager.approvals(listed)) == set(own) - {ids[0]}


def test_the_batched_read_reads_past_one_batch(url: str, monkeypatch: pytest.MonkeyPatch) -> None:
    import proofing.store.values

    store = Store(url)
    ids = some_of_each(store)
    monkeypatch.setattr(proofing.store.values, "BATCH", 2)  # four batches of the seven
    assert store.approvals(ids) == {key: value for key in ids if (value := store.approval(key)) is not None}
    assert store.accesses(ids) == {key: value for key in ids if (value := store.access(key)) is not None}


# --- the register page's statements -------------------------------------------------------------------------------


@pytest.fixture()
def database(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    yield from app_database(tmp_path, monkeypatch)


def statements_of_the_register(database: str, drafts: int) -> int:
    """The SQL statements the register page runs to show `drafts` drafts, every one submitted for approval."""
    store = Store(database)
    for n in range(drafts - len(store.list())):
        assessment_id = store.create(plan(title=f"Plan {n}"))
        store.submit(assessment_id, expected_version=1)
    counted: list[str] = []

    def count(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        counted.append(statement)

    engine = _engine_for(database)
    event.listen(engine, "before_cursor_execute", count)
    try:
        at = page("register.py")
    finally:
        event.remove(engine, "before_cursor_execute", count)
    assert not at.exception
    assert len(at.dataframe[0].value) == drafts
    assert set(at.dataframe[0].value["Status"]) == {"Submitted for approval"}  # each row's approval was read
    return len(counted)


def test_the_register_reads_a_few_statements_however_many_assessments(database: str) -> None:
    few = statements_of_the_register(database, 5)
    many = statements_of_the_register(database, 50)
    assert many == few  # not proportional to the number of assessments
    assert many <= 20


# --- the connection pool --------------------------------------------------------------------------------------------


def test_the_pool_settings_are_read_and_checked() -> None:
    assert pool_setting(POOL_SIZE_ENV, {}) == 10
    assert pool_setting(MAX_OVERFLOW_ENV, {MAX_OVERFLOW_ENV: " "}) == 20
    assert pool_setting(POOL_SIZE_ENV, {POOL_SIZE_ENV: "25"}) == 25
    assert pool_setting(MAX_OVERFLOW_ENV, {MAX_OVERFLOW_ENV: "0"}) == 0
    for bad in ("ten", "-1", "2.5", "0", "1001", "٣"):
        with pytest.raises(StoreError, match=f"^{POOL_SIZE_ENV} must be a whole number .* not '{bad}'$"):
            pool_setting(POOL_SIZE_ENV, {POOL_SIZE_ENV: bad})


@pytest.mark.parametrize(
    "url", ["postgresql+psycopg://proofing_app@db.council.example/proofing", "sqlite:///{folder}/store.db"]
)
def test_the_engine_gets_the_pool_settings(url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(POOL_SIZE_ENV, "12")
    monkeypatch.setenv(MAX_OVERFLOW_ENV, "34")
    engine = _make_engine(url.format(folder=tmp_path))  # made, not connected
    try:
        assert (engine.pool.size(), engine.pool._max_overflow) == (12, 34)  # type: ignore[attr-defined]
    finally:
        engine.dispose()
    monkeypatch.delenv(POOL_SIZE_ENV)
    monkeypatch.delenv(MAX_OVERFLOW_ENV)
    engine = _make_engine(url.format(folder=tmp_path))
    try:
        assert (engine.pool.size(), engine.pool._max_overflow) == (10, 20)  # type: ignore[attr-defined]
    finally:
        engine.dispose()
    monkeypatch.setenv(MAX_OVERFLOW_ENV, "lots")
    with pytest.raises(StoreError, match=MAX_OVERFLOW_ENV):
        _make_engine(url.format(folder=tmp_path))


def test_doctor_reports_a_bad_pool_setting_by_name(tmp_path: Path) -> None:
    assert pool_faults({}) == []
    assert pool_faults({POOL_SIZE_ENV: "8", MAX_OVERFLOW_ENV: "16"}) == []
    faults = pool_faults({POOL_SIZE_ENV: "big", MAX_OVERFLOW_ENV: "-3"})
    assert [fault.values["env"] for fault in faults] == [POOL_SIZE_ENV, MAX_OVERFLOW_ENV]
    sentence = faults[0].sentence(lambda text, **values: text.format(**values))
    assert sentence == (
        f"{POOL_SIZE_ENV} is not a number of database connections proofing can use. To fix it: set it to a whole "
        "number from 1 to 1000, or leave it unset for 10."
    )
    # In the whole check, the database itself is still checked (reachable), and the pool reported once.
    url = f"sqlite:///{tmp_path / 'store.db'}"
    Store(url)
    report = check({}, environ={POOL_SIZE_ENV: "big"}, server_address="127.0.0.1", db_url=url)
    assert [fault.area for fault in report.faults] == ["database"]
    assert report.faults[0].values == faults[0].values
