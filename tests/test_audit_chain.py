"""The audit trail cannot be rewritten unseen (issue 20), on SQLite and PostgreSQL.

Reproductions of what went wrong: on SQLite ``INSERT OR REPLACE`` over an existing id rewrote an entry (REPLACE
fires no delete trigger); on both databases the app connected as the table's owner, so it could drop or disable
the append-only triggers and then change or remove entries. Now: a BEFORE INSERT guard refuses the REPLACE; on
PostgreSQL the app runs as a role that owns nothing; and every entry is chained by hash, so `proofing audit
verify` finds a rewrite, a deletion or a gap even when the database's owner made it.
"""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import create_engine, select, text
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.pool import NullPool

from proofing import cli
from proofing.access import User
from proofing.approvals import SignOff
from proofing.audit_chain import GENESIS, app_role_grants, entry_hash, verify_store
from proofing.knowledge import KnowledgeBase
from proofing.plan import Plan, read_plan
from proofing.service import screening_level
from proofing.store import AuditRow, Store, _dispose_engine
from proofing.workshop_store import Workshops
from tests.at_migration import database_at
from tests.conftest import postgres_app_schema
from tests.test_workshop_store import EXAMPLES, FACILITATOR, agree_all, joined, score

MANAGER = User(subject="subject-of-a-manager", name="A manager", roles=frozenset({"service_manager"}))
APPROVER = User(subject="subject-of-an-approver", name="An approver", roles=frozenset({"approver"}))
ADMIN = User(subject="subject-of-an-administrator", name="An administrator", roles=frozenset({"administrator"}))


def plan(description: str = "") -> Plan:
    return Plan(
        title="Library opening hours",
        service="Libraries",
        owner="Head of Libraries",
        description=description,
        answers={"affects_public": True},
    )


def some_work(store: Store) -> str:
    """Five audited changes: created, answered, shared, submitted, finalised."""
    manager = store.acting(MANAGER)
    assessment_id = manager.create(plan())
    manager.save(assessment_id, plan("Shorter Saturday hours"), expected_version=1)
    manager.share(assessment_id, "subject-of-a-colleague")
    manager.submit(assessment_id, expected_version=2)
    submitted = store.approval(assessment_id)
    assert submitted is not None and submitted.digest is not None
    decision = SignOff(
        outcome="approved",
        version=2,
        digest=submitted.digest,
        decision_taken="Go ahead",
        reasons="The mitigations answer the risks",
        review_date=date(2027, 6, 1),
    )
    store.acting(APPROVER).sign_off(assessment_id, decision)
    return assessment_id


def run_sql(url: str, *statements: str) -> None:
    """Run SQL on the database at `url` as whoever it names (the owner; the app role in its test), outside the store."""
    engine = create_engine(url, poolclass=NullPool)
    try:
        with engine.begin() as connection:
            for statement in statements:
                connection.execute(text(statement))
    finally:
        engine.dispose()


def lift_triggers(url: str) -> list[str]:
    """What the database's owner runs to set the append-only triggers aside."""
    if url.startswith("sqlite"):
        return ["DROP TRIGGER audit_entries_no_update", "DROP TRIGGER audit_entries_no_delete"]
    return ["DROP TRIGGER audit_entries_no_change ON audit_entries"]


def verify(url: str, *more: str, capsys: pytest.CaptureFixture[str]) -> tuple[int, str]:
    """`proofing audit verify --db URL`, in this process: its exit code and everything it said."""
    code = cli.main(["audit", "verify", "--db", url, *more])
    out, err = capsys.readouterr()
    return code, out + err


def test_an_untouched_trail_verifies(url: str, capsys: pytest.CaptureFixture[str]) -> None:
    store = Store(url)
    some_work(store)
    code, said = verify(url, capsys=capsys)
    assert code == 0, said
    assert "The audit trail is intact: 5 entries, each chained to the one before." in said
    assert "Its head is entry 5, hash " in said
    entries = verify_store(url)
    assert (entries.intact, entries.entries) == (True, 5)


def test_an_empty_trail_verifies(url: str, capsys: pytest.CaptureFixture[str]) -> None:
    code, said = verify(url, capsys=capsys)
    assert code == 0 and "intact: 0 entries" in said


def test_an_entry_changed_by_the_owner_with_the_triggers_set_aside_is_found(
    url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    store = Store(url)
    some_work(store)
    run_sql(url, *lift_triggers(url), "UPDATE audit_entries SET detail = 'Rejected: stop' WHERE action = 'finalised'")
    assert [entry.detail for entry in store.audit() if entry.action == "finalised"] == ["Rejected: stop"]  # it took
    code, said = verify(url, capsys=capsys)
    assert code == 1
    assert "The audit trail was altered: entry 5 ('finalised' by An approver on " in said
    assert "was changed after it was written" in said


def test_an_entry_removed_by_the_owner_is_found(url: str, capsys: pytest.CaptureFixture[str]) -> None:
    store = Store(url)
    some_work(store)
    run_sql(url, *lift_triggers(url), "DELETE FROM audit_entries WHERE action = 'shared'")
    code, said = verify(url, capsys=capsys)
    assert code == 1
    assert "entry 4 ('submitted for approval' by A manager on " in said
    assert "does not carry the hash of the entry before it: an entry after entry 2 ('answered'" in said


def test_an_entry_written_around_the_app_is_found(url: str, capsys: pytest.CaptureFixture[str]) -> None:
    store = Store(url)
    some_work(store)
    at = "2026-12-05 09:00:00" + ("" if url.startswith("sqlite") else "+00")
    run_sql(
        url,
        "INSERT INTO audit_entries (at, subject, who, action, detail) "
        f"VALUES ('{at}', 'someone', 'Someone', 'finalised', 'Approved: all of it')",
    )
    code, said = verify(url, capsys=capsys)
    assert code == 1 and "entry 6 ('finalised' by Someone on 2026-12-05 09:00:00 UTC) carries no hash" in said


def test_a_whole_rewrite_with_new_hashes_is_found_against_a_head_noted_earlier(
    url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    """The owner rewrites entry 5 and chains it again with the public algorithm: only an anchor kept elsewhere
    (the head printed earlier) finds that."""
    store = Store(url)
    some_work(store)
    noted = verify_store(url).head
    engine = create_engine(url, poolclass=NullPool)
    try:
        with engine.begin() as connection:
            for statement in lift_triggers(url):
                connection.execute(text(statement))
            rows = list(connection.execute(select(AuditRow.__table__).order_by(AuditRow.__table__.c.id)))
            last = dict(rows[-1]._mapping) | {"detail": "Rejected: stop"}
            forged = type("Forged", (), last)
            new_hash = entry_hash(rows[-2].hash, forged)  # type: ignore[arg-type]
            connection.execute(
                text("UPDATE audit_entries SET detail = 'Rejected: stop', hash = :hash WHERE id = :id"),
                {"hash": new_hash, "id": last["id"]},
            )
    finally:
        engine.dispose()
    assert verify(url, capsys=capsys)[0] == 0  # the chain alone holds: it was recomputed
    code, said = verify(url, "--expect-head", noted, capsys=capsys)
    assert code == 1 and "no entry carries the head you noted earlier" in said
    assert verify(url, "--expect-head", verify_store(url).head, capsys=capsys)[0] == 0


@pytest.mark.parametrize("replace", ["INSERT OR REPLACE", "REPLACE", "UPSERT"])
def test_an_insert_over_an_existing_entry_is_refused(url: str, replace: str) -> None:
    store = Store(url)
    some_work(store)
    values = "(1, '2026-12-05 09:00:00', 'someone', 'Someone', 'created', 'forged')"
    columns = "audit_entries (id, at, subject, who, action, detail)"
    statement = {
        "INSERT OR REPLACE": f"INSERT OR REPLACE INTO {columns} VALUES {values}",
        "REPLACE": f"REPLACE INTO {columns} VALUES {values}",
        "UPSERT": f"INSERT INTO {columns} VALUES {values} ON CONFLICT (id) DO UPDATE SET detail = 'forged'",
    }[replace]
    if replace != "UPSERT" and not url.startswith("sqlite"):
        statement = f"INSERT INTO {columns} VALUES {values} ON CONFLICT (id) DO UPDATE SET who = 'Someone'"
    with pytest.raises(SQLAlchemyError, match="append-only"):
        run_sql(url, statement)
    assert [entry.detail for entry in store.audit()][0] == "Library opening hours"
    assert verify_store(url).intact


def test_bad_usage_exits_2(tmp_path: object, capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as stopped:
        cli.main(["audit"])
    assert stopped.value.code == 2
    assert cli.main(["audit", "verify", "--db", "sqlite:///:memory:", "--expect-head", "not-a-hash"]) == 2
    assert "--expect-head takes a hash" in capsys.readouterr().err
    assert cli.main(["audit", "verify", "--db", "nonsense://"]) == 2
    assert "proofing: " in capsys.readouterr().err


def test_the_command_exits_with_its_codes(url: str) -> None:
    """The real console command, as a scheduled check would run it."""
    store = Store(url)
    some_work(store)
    run = [sys.executable, "-m", "proofing.cli", "audit", "verify", "--db", url]
    intact = subprocess.run(run, capture_output=True, text=True, timeout=120)
    assert (intact.returncode, intact.stderr) == (0, "")
    run_sql(url, *lift_triggers(url), "UPDATE audit_entries SET who = 'Nobody' WHERE id = 1")
    altered = subprocess.run(run, capture_output=True, text=True, timeout=120)
    assert altered.returncode == 1 and "entry 1 ('created' by Nobody on " in altered.stderr
    assert "Traceback" not in altered.stderr
    usage = subprocess.run([*run, "--expect-head"], capture_output=True, text=True, timeout=120)
    assert usage.returncode == 2


def test_appends_from_many_threads_make_one_chain(url: str) -> None:
    store = Store(url)

    def work(worker: int) -> None:
        manager = Store(url).acting(MANAGER) if worker % 2 else store.acting(MANAGER)
        assessment_id = manager.create(plan(f"worker {worker}"))
        for number in range(2, 5):
            manager.save(assessment_id, plan(f"worker {worker}, change {number}"), expected_version=number - 1)

    with ThreadPoolExecutor(max_workers=8) as pool:
        list(pool.map(work, range(8)))
    report = verify_store(url)
    assert (report.intact, report.entries) == (True, 32), report.problem


def test_the_migration_chains_the_entries_kept_before_it(url: str, capsys: pytest.CaptureFixture[str]) -> None:
    """A database at 0008 with audit entries and a submission awaiting approval, upgraded by opening a Store."""
    with database_at(url, "0008") as connection:
        connection.execute(
            text(
                "INSERT INTO assessments (id, title, service, owner, status, level, created_at, updated_at, "
                "owner_subject) VALUES (:id, 'Old plan', 'Libraries', 'Head', 'draft', NULL, :at, :at, 'local')"
            ),
            {"id": "a" * 32, "at": "2026-01-01 00:00:00"},
        )
        connection.execute(
            text(
                "INSERT INTO versions (assessment_id, version, plan, decisions, saved_at, revision) "
                "VALUES (:id, 1, :plan, '{}', :at, 0)"
            ),
            {"id": "a" * 32, "plan": plan().model_dump_json(), "at": "2026-01-01 00:00:00"},
        )
        connection.execute(
            text(
                "INSERT INTO approvals (assessment_id, version, outcome, submitted_by, submitted_at) "
                "VALUES (:id, 1, 'submitted', 'A manager', :at)"
            ),
            {"id": "a" * 32, "at": "2026-01-01 00:00:00"},
        )
        for minute, action in enumerate(["created", "submitted for approval"]):
            connection.execute(
                text(
                    "INSERT INTO audit_entries (at, subject, who, action, assessment_id, version, detail) "
                    "VALUES (:at, 'local', 'Local user', :action, :id, 1, '')"
                ),
                {"at": f"2026-01-01 00:0{minute}:00.123456", "action": action, "id": "a" * 32},
            )
    store = Store(url)
    report = verify_store(url)
    assert (report.intact, report.entries) == (True, 2), report.problem
    first = [entry for entry in store.audit()][0]
    assert first.at.microsecond == 123456
    approval = store.approval("a" * 32)
    assert approval is not None and approval.digest is not None  # the submission awaiting a decision
    store.acting(MANAGER).create(plan())  # appends chain on from the back-filled entries
    assert verify(url, capsys=capsys)[0] == 0
    rows = list(store.audit())
    assert len(rows) == 3


@pytest.fixture()
def app_role() -> Iterator[tuple[str, str]]:
    with postgres_app_schema() as urls:
        yield urls


def test_on_postgresql_the_app_runs_as_a_role_that_owns_nothing(
    app_role: tuple[str, str], kb: KnowledgeBase, capsys: pytest.CaptureFixture[str]
) -> None:
    owner, app = app_role
    store = Store(app)
    assessment_id = some_work(store)  # the app's whole round of work, as its own role
    manager = store.acting(MANAGER)
    manager.unshare(assessment_id, "subject-of-a-colleague")
    manager.record_export(assessment_id, 2, "the Word record")
    copy = manager.duplicate(assessment_id)
    manager.save(copy, plan("revised"), expected_version=1)
    store.acting(ADMIN).set_roles("subject-of-a-newcomer", {"approver"})
    store.acting(ADMIN).set_roles("subject-of-a-newcomer", set())
    manager.record_round("case", "Libraries", {"level": "mitigate"}, 50, {"found": ["x"]})
    # An EIA workshop from opening to finalising, as the app's role.
    library = read_plan(EXAMPLES / "library-opening-hours.yaml")
    workshop_on = manager.create(library, screening_level(kb, library))
    workshop = Workshops(store, FACILITATOR).open(kb, workshop_on)
    joined(store, workshop, 1).submit(workshop.id, score(workshop.findings[0].rule, 1))
    Workshops(store, FACILITATOR).reveal(workshop.id, expected_revision=0)
    agree_all(Workshops(store, FACILITATOR), workshop)
    assert Workshops(store, FACILITATOR).finalise(kb, workshop.id) == 2
    assert verify(app, capsys=capsys)[0] == 0
    for statement in (
        "DROP TRIGGER audit_entries_no_change ON audit_entries",
        "ALTER TABLE audit_entries DISABLE TRIGGER audit_entries_no_change",
        "ALTER TABLE audit_entries DISABLE TRIGGER ALL",
        "UPDATE audit_entries SET detail = 'forged'",
        "DELETE FROM audit_entries",
        "TRUNCATE audit_entries",
        "DROP TABLE audit_entries",
        "CREATE TABLE audit_copy (id integer)",
    ):
        with pytest.raises(SQLAlchemyError, match="(must be owner|permission denied)"):
            run_sql(app, statement)
    assert verify(app, capsys=capsys)[0] == 0
    engine = create_engine(app, poolclass=NullPool)
    try:
        with engine.connect() as connection:
            owns = connection.execute(
                text("SELECT count(*) FROM pg_class WHERE relowner = (SELECT oid FROM pg_roles WHERE rolname = user)")
            ).scalar_one()
    finally:
        engine.dispose()
    assert owns == 0
    assert verify(owner, capsys=capsys)[0] == 0
    _dispose_engine(owner)


def test_the_chain_starts_from_genesis(url: str) -> None:
    store = Store(url)
    store.acting(MANAGER).create(plan())
    engine = create_engine(url, poolclass=NullPool)
    try:
        with engine.connect() as connection:
            first = connection.execute(select(AuditRow.__table__)).one()
    finally:
        engine.dispose()
    assert first.prev_hash == GENESIS and first.hash == entry_hash(GENESIS, first)  # type: ignore[arg-type]


def test_the_readme_grants_what_the_library_grants() -> None:
    """The deployment steps' SQL is the SQL the tests grant the app's role: one list, not two."""
    readme = (Path(__file__).resolve().parent.parent / "README.md").read_text(encoding="utf-8")
    block = readme.split("```sql\n", 1)[1].split("```", 1)[0]
    assert [line.removesuffix(";") for line in block.splitlines()] == app_role_grants("proofing_app", "proofing")
