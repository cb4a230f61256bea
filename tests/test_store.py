"""The assessment store, on SQLite and on PostgreSQL: every test runs on both.

PostgreSQL comes from PROOFING_TEST_PG_URL, which tools/postgres.sh prints (make test runs it). Without it the
PostgreSQL variants fail, never skip: a store that was only ever tried on SQLite is not tested. Each test gets
a database of its own: a new SQLite file, or a new PostgreSQL schema (dropped afterwards) that the store's
connections use through their search_path.
"""

from __future__ import annotations

import socket
import threading
import uuid
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import create_engine, inspect, make_url, text, update
from sqlalchemy.pool import NullPool

import proofing.store as store_module
from proofing.decisions import DecisionNotes, SetAside
from proofing.language import translator
from proofing.plan import Plan, read_plan
from proofing.service import keep_both, restore_version, screening_level
from proofing.store import (
    AssessmentRow,
    Base,
    Draft,
    FinalAssessmentError,
    SavedVersion,
    StaleVersionError,
    Store,
    StoreError,
    _dispose_engine,
    _engine_for,
    default_db_url,
    merge,
)
from proofing.version_words import conflict_words, history_words

PG_ENV = "PROOFING_TEST_PG_URL"
EXAMPLES = Path(__file__).resolve().parent.parent / "examples"


@pytest.fixture()
def store(url: str) -> Store:
    return Store(url)


def plan(
    title: str = "Library opening hours", service: str = "Libraries", owner: str = "Head of Libraries", **more
) -> Plan:
    return Plan(title=title, service=service, owner=owner, answers={"affects_public": True}, **more)


DECISIONS = {"interpreters": {"status": "accepted", "owner": "Equalities Officer", "due": "2026-03-01"}}


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
    assert store.save(assessment_id, second, DECISIONS, "high", expected_version=1) == 2
    latest = store.latest(assessment_id)
    assert latest is not None
    assert (latest.version, latest.plan, latest.decisions, latest.level) == (2, second, DECISIONS, "high")
    assert latest.plan.model_dump() == second.model_dump()


def test_each_save_keeps_a_version_and_an_identical_one_does_not(store: Store) -> None:
    assessment_id = store.create(plan())
    assert store.save(assessment_id, plan(), expected_version=1) == 1  # identical to version 1
    assert store.save(assessment_id, plan(description="v2"), expected_version=1) == 2
    assert store.save(assessment_id, plan(description="v2"), expected_version=2) == 2
    assert store.save(assessment_id, plan(description="v2"), DECISIONS, expected_version=2) == 3  # decisions changed
    assert store.save(assessment_id, plan(description="v2"), DECISIONS, expected_version=3) == 3
    assert store.save(assessment_id, plan(description="v2"), DECISIONS, "low", expected_version=3) == 4  # level
    assert store.save(assessment_id, plan(description="v2"), DECISIONS, "low", expected_version=4) == 4
    assert store.save(assessment_id, plan(description="v1"), expected_version=4) == 5  # going back is a change too
    assert [saved.version for saved in store.versions(assessment_id)] == [1, 2, 3, 4, 5]
    assert store.list()[0].versions == 5


def test_versions_are_oldest_first_and_each_can_be_read(store: Store) -> None:
    assessment_id = store.create(plan(description="one"))
    for number, text_ in enumerate(("two", "three"), start=1):
        store.save(assessment_id, plan(description=text_), expected_version=number)
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
        store.save("0" * 32, plan(), expected_version=1)
    with pytest.raises(StoreError, match="there is no assessment"):
        store.save("\x00", plan(), expected_version=1)  # never sent to the database
    with pytest.raises(StoreError, match="must be text"):
        store.save(store.create(plan()), plan(), {"x": {"due": 3}}, expected_version=1)  # type: ignore[dict-item]


def test_list_searches_and_filters(store: Store, url: str) -> None:
    libraries = store.create(plan("Library opening hours", "Libraries", "Head of Libraries"))
    housing = store.create(plan("Housing allocation policy", "Housing", "Head of Housing"))
    parks = store.create(plan("100% park lighting", "Parks", "Parks Manager"))
    store.save(
        housing,
        plan("Housing allocation policy", "Housing", "Head of Housing", description="v2"),
        level="high",
        expected_version=1,
    )
    store.save(
        parks, plan("100% park lighting", "Parks", "Parks Manager", description="v2"), level="low", expected_version=1
    )
    store.set_status(parks, "final")

    def ids(**filters) -> list[str]:
        return [summary.assessment_id for summary in store.list(**filters)]

    assert ids() == [parks, housing, libraries]  # newest updated first
    assert ids(search="HOUSING") == [housing]  # title and service, any case
    assert ids(search="of lib") == [libraries]  # owner
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
    assert (summary.title, summary.service, summary.owner) == (
        "Housing allocation policy",
        "Housing",
        "Head of Housing",
    )
    assert (summary.level, summary.status, summary.versions) == ("high", "draft", 2)
    assert summary.created_at <= summary.updated_at and summary.updated_at.utcoffset() == timedelta(0)
    assert store.services() == ["Housing", "Libraries", "Parks"]


def test_list_follows_the_latest_plan(store: Store) -> None:
    assessment_id = store.create(plan("Old title", "Libraries"))
    store.save(assessment_id, plan("New title", "Leisure", "Head of Leisure"), expected_version=1)
    [summary] = store.list()
    assert (summary.title, summary.service, summary.owner) == ("New title", "Leisure", "Head of Leisure")
    assert store.list(search="old") == []
    assert store.services() == ["Leisure"]


def test_duplicate_makes_a_new_draft_of_the_latest(store: Store) -> None:
    source = store.create(plan(description="one"))
    store.save(source, plan(description="two"), DECISIONS, "medium", expected_version=1)
    store.set_status(source, "final")
    copy = store.duplicate(source)
    assert copy != source
    [saved] = store.versions(copy)
    assert saved.version == 1 and saved.status == "draft"
    assert saved.plan == plan("Copy of Library opening hours", description="two")
    assert (saved.decisions, saved.level) == (DECISIONS, "medium")
    assert store.latest(source).plan.title == "Library opening hours"  # the source is untouched
    assert {s.assessment_id: s.status for s in store.list()} == {source: "final", copy: "draft"}
    assert store.save(copy, plan(description="three"), expected_version=1) == 2  # the copy can be changed

    long = store.create(plan("x" * 500))
    assert store.latest(store.duplicate(long)).plan.title == ("Copy of " + "x" * 500)[:500]
    with pytest.raises(StoreError, match="no assessment"):
        store.duplicate("0" * 32)


def test_set_status(store: Store) -> None:
    assessment_id = store.create(plan(description="one"))
    store.save(assessment_id, plan(description="two"), DECISIONS, "low", expected_version=1)
    store.set_status(assessment_id, "final")
    assert [s.status for s in store.versions(assessment_id)] == ["draft", "final"]
    assert store.latest(assessment_id).status == "final"
    assert store.version(assessment_id, 1).status == "draft"
    assert store.list()[0].status == "final"
    assert store.save(assessment_id, plan(description="two"), DECISIONS, "low", expected_version=2) == 2  # same
    with pytest.raises(FinalAssessmentError, match="is final and cannot be changed"):
        store.save(assessment_id, plan(description="three"), expected_version=2)
    store.set_status(assessment_id, "draft")
    assert store.save(assessment_id, plan(description="three"), expected_version=2) == 3
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
            assert connection.execute(text("SELECT version_num FROM alembic_version")).scalar_one() == "0015"
            # the migrations make exactly what the ORM models describe
            assert compare_metadata(MigrationContext.configure(connection), Base.metadata) == []
        assert Store(url).latest(assessment_id).plan == plan()  # same process: the engine is shared
        _dispose_engine(url)
        second = Store(url)  # as a new process would: migrates again, finds it at head
        assert second.latest(assessment_id).plan == plan()
        assert second.save(assessment_id, plan(description="more"), expected_version=1) == 2
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
            store.save(
                assessment_id,
                plan(f"Plan {worker}", f"Service {worker % 3}", description=f"v{n}"),
                expected_version=n - 1,
            )
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


def test_threads_saving_on_one_version_one_lands_and_the_rest_are_refused(store: Store) -> None:
    assessment_id = store.create(plan())
    barrier = threading.Barrier(8)

    def work(worker: int) -> int | StaleVersionError:
        barrier.wait()
        try:
            return store.save(assessment_id, plan(description=f"worker {worker}"), expected_version=1)
        except StaleVersionError as refused:
            return refused

    with ThreadPoolExecutor(max_workers=8) as pool:
        outcomes = list(pool.map(work, range(8)))
    landed = [outcome for outcome in outcomes if isinstance(outcome, int)]
    refused = [outcome for outcome in outcomes if isinstance(outcome, StaleVersionError)]
    assert landed == [2] and len(refused) == 7
    assert {(error.expected, error.current) for error in refused} == {(1, 2)}
    assert [s.version for s in store.versions(assessment_id)] == [1, 2]


WRITERS = 50


def test_fifty_writers_on_one_assessment_lose_nothing(url: str) -> None:
    """50 people each change one answer of one assessment at once, retrying when refused: every change survives.

    Each writer has its own Store and does what the page does: read the latest version, change its answer, save
    with the version it read; a StaleVersionError sends it back to read again. A write either lands (a version
    number) or is refused (nothing written); a landed change missing from the final version is a silent loss.
    """
    assessment_id = Store(url).create(plan())
    barrier = threading.Barrier(WRITERS)

    def writer(number: int) -> tuple[int, int, int]:
        mine = Store(url)
        refused = 0
        barrier.wait()
        while True:
            seen = mine.latest(assessment_id)
            assert seen is not None
            changed = seen.plan.model_copy(update={"answers": seen.plan.answers | {f"writer_{number}": number}})
            try:
                landed = mine.save(assessment_id, changed, expected_version=seen.version)
            except StaleVersionError:
                refused += 1
                continue
            return number, landed, refused

    with ThreadPoolExecutor(max_workers=WRITERS) as pool:
        outcomes = list(pool.map(writer, range(WRITERS)))

    final = Store(url).latest(assessment_id)
    assert final is not None
    landed_versions = sorted(landed for _, landed, _ in outcomes)
    assert landed_versions == list(range(2, WRITERS + 2))  # each landed write made exactly one new version
    silent_losses = [number for number, _, _ in outcomes if final.plan.answers.get(f"writer_{number}") != number]
    assert silent_losses == [], f"{len(silent_losses)} of {WRITERS} landed changes are missing from the latest"
    history = Store(url).versions(assessment_id)
    assert len(history) == WRITERS + 1
    for number, landed, _ in outcomes:  # the version a writer was told it made holds its change
        assert history[landed - 1].plan.answers[f"writer_{number}"] == number
    assert sum(refused for _, _, refused in outcomes) > 0  # they did collide: the refusals were real


def test_a_stale_save_is_refused_in_words_and_writes_nothing(store: Store) -> None:
    assessment_id = store.create(plan())
    assert store.save(assessment_id, plan(description="theirs"), expected_version=1) == 2
    with pytest.raises(StaleVersionError) as caught:
        store.save(assessment_id, plan(description="mine"), expected_version=1)
    error = caught.value
    assert isinstance(error, StoreError)  # one family of store errors
    assert (error.assessment_id, error.expected, error.current) == (assessment_id, 1, 2)
    assert "changed by someone else since you opened it" in str(error)
    assert "you opened version 1; it is now at version 2" in str(error)
    assert [s.plan.description for s in store.versions(assessment_id)] == ["", "theirs"]
    # Saving exactly what is already the latest loses nothing, so it is not refused.
    assert store.save(assessment_id, plan(description="theirs"), expected_version=1) == 2
    with pytest.raises(StaleVersionError):  # a version from the future is no better
        store.save(assessment_id, plan(description="mine"), expected_version=7)


def test_marking_final_a_version_not_seen_is_refused(store: Store) -> None:
    assessment_id = store.create(plan())
    store.save(assessment_id, plan(description="two"), expected_version=1)
    with pytest.raises(StaleVersionError, match="changed by someone else"):
        store.set_status(assessment_id, "final", expected_version=1)
    assert store.latest(assessment_id).status == "draft"
    store.set_status(assessment_id, "final", expected_version=2)
    assert store.latest(assessment_id).status == "final"


def test_reading_never_writes(store: Store, url: str) -> None:
    assessment_id = store.create(plan())
    store.save(assessment_id, plan(description="two"), DECISIONS, expected_version=1)
    engine = _engine_for(url)

    def counts() -> tuple[int, str]:
        with engine.connect() as connection:
            versions = connection.execute(text("SELECT count(*) FROM versions")).scalar_one()
            updated = connection.execute(text("SELECT updated_at FROM assessments")).scalar_one()
        return versions, str(updated)

    before = counts()
    store.latest(assessment_id)
    store.version(assessment_id, 1)
    store.versions(assessment_id)
    store.list(search="library")
    store.services()
    assert counts() == before


def test_an_id_that_is_not_an_id_finds_nothing_on_every_database(store: Store) -> None:
    store.create(plan())
    for odd in ("\x00", "nothing-here", "' OR 1=1 --", "A" * 32, "0" * 31, ""):
        assert store.latest(odd) is None
        assert store.versions(odd) == []
        assert store.version(odd, 1) is None
        with pytest.raises(StoreError, match="there is no assessment"):
            store.set_status(odd, "final")


def draft(description: str = "", decisions: dict | None = None, **answers: object) -> Draft:
    """A plan with exactly these answers, and these decisions: one side of a merge."""
    return Draft(plan=plan(description=description).model_copy(update={"answers": answers}), decisions=decisions or {})


def test_merge_keeps_both_sides_where_they_changed_different_things() -> None:
    base = draft(affects_public=True, wards="Caia Park")
    mine = draft("Mine", affects_public=True, wards="Caia Park", people_affected=40)
    theirs = draft(
        affects_public=False,
        wards="Caia Park",
        decisions={"r1:0": {"status": "accepted", "owner": "Head of Libraries", "due": ""}},
    )
    merged = merge(base, mine, theirs)
    assert merged.conflicts == []
    assert merged.draft.plan.description == "Mine"
    assert merged.draft.plan.answers == {"affects_public": False, "wards": "Caia Park", "people_affected": 40}
    assert merged.draft.decisions == {"r1:0": {"status": "accepted", "owner": "Head of Libraries", "due": ""}}
    assert (merged.mine_changed, merged.theirs_changed) == (2, 4)


def test_merge_reports_what_both_changed_differently_and_keeps_mine() -> None:
    base = draft(wards="Caia Park", mixing="neutral", decisions={"r1:0": {"status": "proposed", "owner": ""}})
    mine = draft(wards="Rhos", decisions={"r1:0": {"status": "accepted", "owner": ""}})  # removed mixing
    theirs = draft(wards="Plas Madoc", mixing="neutral", decisions={"r1:0": {"status": "rejected", "owner": "x"}})
    merged = merge(base, mine, theirs)
    assert merged.draft.plan.answers == {"wards": "Rhos"}  # a removal is a change, kept too
    assert merged.draft.decisions == {"r1:0": {"status": "accepted", "owner": "x"}}
    assert [(c.kind, c.key, c.base, c.mine, c.theirs) for c in merged.conflicts] == [
        ("answer", "wards", "Caia Park", "Rhos", "Plas Madoc"),
        ("decision", "r1:0/status", "proposed", "accepted", "rejected"),
    ]
    same = merge(base, mine, mine)  # both made the same change: no conflict
    assert same.conflicts == [] and same.draft == mine


def test_conflicts_read_in_words(kb) -> None:
    conflict = merge(draft(wards="Caia Park"), draft(wards="Rhos"), draft()).conflicts[0]
    what, mine, theirs = conflict_words(kb, conflict)
    assert what == kb.questionnaire.question("wards").text
    assert (mine, theirs) == ("Rhos", "(not answered)")


def test_keep_both_saves_a_merge_on_the_latest(store: Store, kb) -> None:
    start = plan().model_copy(update={"answers": {"change_type": ["closure"]}})
    assessment_id = store.create(start)
    theirs = start.model_copy(update={"answers": start.answers | {"mixing": "apart"}})
    assert store.save(assessment_id, theirs, expected_version=1) == 2
    mine = start.model_copy(update={"description": "Mine", "answers": start.answers | {"media_interest": "high"}})
    with pytest.raises(StaleVersionError):
        store.save(assessment_id, mine, expected_version=1)
    kept = keep_both(store, kb, assessment_id, 1, mine, {"r:0": {"status": "accepted"}})
    assert kept.version == 3 and kept.merge.conflicts == []
    latest = store.latest(assessment_id)
    assert latest.plan.description == "Mine"
    assert latest.plan.answers == {"change_type": ["closure"], "mixing": "apart", "media_interest": "high"}
    assert latest.decisions == {"r:0": {"status": "accepted"}}
    assert latest.level is None  # an incomplete plan keeps no level, merged or not
    with pytest.raises(StoreError, match="no version 9"):
        keep_both(store, kb, assessment_id, 9, mine)


def test_an_incomplete_plan_has_no_level_and_a_complete_one_has_its_own(kb) -> None:
    assert screening_level(kb, plan()) is None  # required answers missing: not screened yet
    complete = read_plan(EXAMPLES / "library-opening-hours.yaml")
    assert screening_level(kb, complete) == "full_assessment"
    incomplete = complete.model_copy(update={"answers": {k: v for k, v in complete.answers.items() if k != "mixing"}})
    assert screening_level(kb, incomplete) is None


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
    decided = {"ramp": {"status": "accepted", "owner": "Facilities Manager", "due": date(2026, 3, 1)}}
    store.save(assessment_id, plan(), decided, expected_version=1)
    assert store.latest(assessment_id).decisions == {
        "ramp": {"status": "accepted", "owner": "Facilities Manager", "due": "2026-03-01"}
    }


def test_a_database_that_fails_mid_use_is_a_store_error_in_words(store: Store, url: str) -> None:
    assessment_id = store.create(plan())
    with _engine_for(url).begin() as connection:
        connection.execute(text("DROP TABLE versions"))
    with pytest.raises(StoreError, match="^the assessment store at .* failed: ") as caught:
        store.latest(assessment_id)
    assert "versions" in str(caught.value) and "sqlalche.me" not in str(caught.value)


def test_a_decision_that_is_not_a_decision_is_refused_in_words(store: Store) -> None:
    assessment_id = store.create(plan())
    with pytest.raises(StoreError, match="status must be one of proposed, accepted, rejected, done, not 'agreed'"):
        store.save(assessment_id, plan(), {"r:0": {"status": "agreed"}}, expected_version=1)
    with pytest.raises(StoreError, match="colour is not part of a decision"):
        store.save(assessment_id, plan(), {"r:0": {"colour": "red"}}, expected_version=1)
    assert len(store.versions(assessment_id)) == 1


# --- versions per editing session, checkpoints, restore, decision notes ----------------------------------------


def test_one_editing_session_amends_its_version_and_a_new_session_starts_one(store: Store) -> None:
    assessment_id = store.create(plan())
    for number, title in enumerate(("Shorter hours", "Shorter hours at three branches", "Shorter hours, 3 branches")):
        saved = store.save(
            assessment_id,
            plan(title=title),
            expected_version=2 if number else 1,
            expected_revision=0 if not number else number - 1,
            editing="session-a",
        )
        assert saved == 2  # one version for the session, however many saves
    latest = store.latest(assessment_id)
    assert (latest.version, latest.revision, latest.plan.title) == (2, 2, "Shorter hours, 3 branches")
    assert store.save(assessment_id, plan(title="Next day"), expected_version=2, expected_revision=2, editing="b") == 3
    assert [v.plan.title for v in store.versions(assessment_id)] == [
        "Library opening hours",
        "Shorter hours, 3 branches",
        "Next day",
    ]


def test_a_save_based_on_an_amended_revision_is_refused_as_stale(store: Store) -> None:
    assessment_id = store.create(plan())
    store.save(assessment_id, plan(title="Mine"), expected_version=1, expected_revision=0, editing="a")
    store.save(assessment_id, plan(title="Mine again"), expected_version=2, expected_revision=0, editing="a")
    # Someone who read version 2 at revision 0 must not overwrite the amendment they never saw.
    with pytest.raises(StaleVersionError):
        store.save(assessment_id, plan(title="Theirs"), expected_version=2, expected_revision=0, editing="b")
    assert store.latest(assessment_id).plan.title == "Mine again"


def test_a_named_version_is_kept_as_it_is(store: Store) -> None:
    assessment_id = store.create(plan())
    store.save(assessment_id, plan(title="Draft for workshop"), expected_version=1, expected_revision=0, editing="a")
    store.checkpoint(assessment_id, "  sent to   workshop ", expected_version=2)
    assert store.latest(assessment_id).label == "sent to workshop"
    store.save(assessment_id, plan(title="After workshop"), expected_version=2, expected_revision=0, editing="a")
    found = store.versions(assessment_id)
    assert [(v.version, v.label, v.plan.title) for v in found] == [
        (1, None, "Library opening hours"),
        (2, "sent to workshop", "Draft for workshop"),
        (3, None, "After workshop"),
    ]
    with pytest.raises(StaleVersionError):
        store.checkpoint(assessment_id, "after consultation", expected_version=2)
    with pytest.raises(StoreError, match="needs a name"):
        store.checkpoint(assessment_id, "   ", expected_version=3)


def test_restore_makes_an_earlier_version_the_latest_as_a_new_one(store: Store, kb) -> None:
    assessment_id = store.create(plan())
    store.save(assessment_id, plan(title="Second"), DECISIONS, expected_version=1)
    store.save(assessment_id, plan(title="Third"), expected_version=2)
    assert restore_version(store, kb, assessment_id, 2, expected_version=3) == 4
    latest = store.latest(assessment_id)
    assert (latest.plan.title, latest.decisions, latest.label) == ("Second", DECISIONS, "Restored from version 2")
    assert len(store.versions(assessment_id)) == 4  # nothing in between is lost
    with pytest.raises(StaleVersionError):
        restore_version(store, kb, assessment_id, 1, expected_version=3)
    history = store.history(assessment_id)  # as data; the faces word it
    assert [entry.version for entry in history] == [4, 3, 2, 1]
    versions = {saved.version: saved for saved in store.versions(assessment_id)}
    words = history_words(kb, history[0], versions)
    assert "Title changed." in words and "1 mitigation decision changed." in words
    assert {change.kind for change in history[0].changes} == {"detail", "decisions"}
    assert history_words(kb, history[0], versions, translator("cy")) != words  # worded in the page's language


NOTES = {
    "mitigations": {"interpreters:0": {"choice": "", "adapted": "", "reason": "The contract already covers this."}},
    "own": {"a1": {"finding": "interpreters", "text": "Ask the libraries' volunteers", "status": "accepted"}},
    "set_aside": {"media": {"reason": "No press interest in a branch library's hours."}},
}


def test_decision_notes_are_kept_merged_and_checked(store: Store, kb) -> None:
    assessment_id = store.create(plan())
    store.save(assessment_id, plan(), notes=NOTES, expected_version=1)
    latest = store.latest(assessment_id)
    assert isinstance(latest.notes, DecisionNotes)  # read back typed
    assert latest.notes.set_aside == {"media": SetAside(reason="No press interest in a branch library's hours.")}
    assert latest.notes.own["a1"].text == "Ask the libraries' volunteers"
    with pytest.raises(StoreError, match="reason"):
        store.save(assessment_id, plan(), notes={"set_aside": {"x": {"why": "no"}}}, expected_version=2)
    with pytest.raises(StoreError, match="due"):
        store.save(
            assessment_id,
            plan(),
            notes={"own": {"a2": {"finding": "f", "text": "t", "due": "end of next term"}}},
            expected_version=2,
        )
    base = Draft(plan=plan(), decisions={}, notes=NOTES)
    mine = Draft(plan=plan(), notes=NOTES | {"set_aside": {}})
    theirs = Draft(plan=plan(), notes=NOTES | {"own": {**NOTES["own"], "b2": {"finding": "f", "text": "Theirs"}}})
    merged = merge(base, mine, theirs).draft.notes
    assert "media" not in merged.set_aside and set(merged.own) == {"a1", "b2"}


def test_training_rounds_are_kept_audited_and_seen_by_whom_they_should_be(store: Store) -> None:
    from proofing.access import PermissionDenied, User

    trainee = User(subject="t1", name="A trainee", roles=frozenset({"trainee"}))
    other = User(subject="t2", name="Another trainee", roles=frozenset({"trainee"}))
    trainer = User(subject="tr", name="A trainer", roles=frozenset({"trainer"}))
    outcomes = {"found": ["interpreters"], "missed": ["media"], "over-called": ["youth"]}
    store.acting(trainee).record_round("library-hours", "Libraries", {"impacts": ["interpreters"]}, 55, outcomes)
    store.acting(other).record_round("youth-nights", " Housing association ", {}, 20, {"missed": ["youth"]})
    mine = store.acting(trainee).training_rounds()
    assert [(r.case, r.organisation, r.score, r.found, r.missed, r.over_called) for r in mine] == [
        ("library-hours", "Libraries", 55, ["interpreters"], ["media"], ["youth"])
    ]
    assert mine[0].who == "A trainee" and mine[0].prediction == {"impacts": ["interpreters"]}
    everyone = store.acting(trainer).training_rounds(everyone=True)
    assert [r.subject for r in everyone] == ["t1", "t2"] and everyone[1].organisation == "Housing association"
    with pytest.raises(PermissionDenied, match="cohort"):
        store.acting(trainee).training_rounds(everyone=True)
    with pytest.raises(StoreError, match="organisation"):
        store.acting(trainee).record_round("library-hours", "  ", {}, 0, {})
    nobody = User(subject="n", name="No role")
    with pytest.raises(PermissionDenied, match="take a training case"):
        nobody_store = store.acting(nobody)
        nobody_store.record_round("library-hours", "Libraries", {}, 0, {})
    assert len(store.training_rounds()) == 2
    trail = [(e.subject, e.action, e.detail) for e in store.audit() if e.action == "completed a training case"]
    assert trail == [
        ("t1", "completed a training case", "library-hours: 55 of 100"),
        ("t2", "completed a training case", "youth-nights: 20 of 100"),
    ]
