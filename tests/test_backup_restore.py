"""A backup taken with the documented command restores into an empty database, and `proofing verify` passes on
records exported before and after (issue 24).

The commands are the README's own (Deployment, "Back up and restore"): deploy/backup.sh and deploy/restore.sh,
which run pg_dump and pg_restore; this test runs those very scripts, on the test PostgreSQL server, against a schema
laid out as production's (migrated by its owner, the app working as `proofing_app`, which owns nothing).
"""

from __future__ import annotations

import io
import os
import re
import subprocess
import sys
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date
from pathlib import Path

import docx
import pytest
from sqlalchemy import create_engine, make_url, text
from sqlalchemy.exc import DBAPIError
from sqlalchemy.pool import NullPool

from proofing.access import User
from proofing.approvals import SignOff
from proofing.audit_chain import app_role_grants
from proofing.decisions import DecisionNotes
from proofing.knowledge import KnowledgeBase
from proofing.plan import read_plan
from proofing.record_details import export_details
from proofing.report import write_html_record, write_report
from proofing.service import record_assessment, save_draft, start_assessment
from proofing.signoff import items_of_version, open_items, sign_off
from proofing.store import Store, _dispose_engine
from tests.conftest import postgres_app_schema

ROOT = Path(__file__).resolve().parent.parent
BACKUP = ROOT / "deploy" / "backup.sh"
RESTORE = ROOT / "deploy" / "restore.sh"
GRANTS = ROOT / "deploy" / "grants.sql"
PROOFING = Path(sys.executable).with_name("proofing")  # the installed command, as IT staff run it
MANAGER = User(subject="subject-of-a-manager", name="A service manager", roles=frozenset({"service_manager"}))
APPROVER = User(subject="subject-of-an-approver", name="An approver", roles=frozenset({"approver"}))
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def schema_of(url: str) -> str:
    """The schema a test URL's connections use (its search path)."""
    return str(make_url(url).query["options"]).removeprefix("-csearch_path=")


def as_written(url: str) -> str:
    """A test URL as the README writes PROOFING_DB_URL for the scripts (its search path's `=` as %3D, which libpq
    needs)."""
    return make_url(url).render_as_string(False)


def environment() -> dict[str, str]:
    """This process's environment without proofing's own settings (no signing key expected of a record)."""
    return {name: value for name, value in os.environ.items() if not name.startswith("PROOFING_")}


def run(*command: str | Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(part) for part in command], capture_output=True, text=True, env=environment(), cwd=ROOT, check=False
    )


@contextmanager
def empty_database(owner: str) -> Iterator[str]:
    """A new, empty database on the test server (the URL as `owner`'s, with its search path), dropped afterwards."""
    name = f"restored_{uuid.uuid4().hex[:12]}"
    admin = create_engine(owner, poolclass=NullPool, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    restored = make_url(owner).set(database=name).render_as_string(False)
    try:
        yield restored
    finally:
        _dispose_engine(restored)
        _dispose_engine(make_url(restored).set(username="proofing_app").render_as_string(False))
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE "{name}" WITH (FORCE)'))
        admin.dispose()


def approved(app: str, kb: KnowledgeBase) -> str:
    """A day-centre plan saved by a service manager, submitted and approved, as the app does it (as the app's role)."""
    store = Store(app)
    manager = store.acting(MANAGER)
    assessment_id = start_assessment(manager, kb, read_plan(ROOT / "examples" / "day-centre-closure.yaml"))
    saved = store.latest(assessment_id)
    assert saved is not None
    first = open_items(record_assessment(kb, saved)[0], {}, DecisionNotes())[0]
    accepted = {first.key: {"status": "accepted", "owner": "Day services manager", "due": "2027-03-31"}}
    save_draft(manager, kb, assessment_id, saved.plan, accepted, None, expected_version=1)
    manager.submit(assessment_id, expected_version=2)
    approval = store.approval(assessment_id)
    assert approval is not None and approval.digest is not None
    approver = store.acting(APPROVER)
    decision = SignOff(
        outcome="approved",
        version=2,
        digest=approval.digest,
        decision_taken="Close the centre in April, after the transport pilot",
        reasons="The pilot answers the main concern",
        review_date=date(2027, 6, 30),
        acknowledged=[item.key for item in items_of_version(kb, approver, assessment_id, 2)],
    )
    sign_off(kb, approver, assessment_id, decision)
    return assessment_id


def export(kb: KnowledgeBase, url: str, assessment_id: str, folder: Path) -> tuple[Path, Path]:
    """The approved version's Word record and HTML record, as the Export page writes them, from the database at url."""
    store = Store(url).acting(APPROVER)
    saved = store.version(assessment_id, 2)
    assert saved is not None and saved.status == "final"
    meta = export_details(kb, store, assessment_id, saved, produced_by="An approver")
    assessment = record_assessment(kb, saved)[0]
    folder.mkdir()
    word, page = folder / "record.docx", folder / "record.html"
    word.write_bytes(write_report(kb, assessment, meta))
    page.write_bytes(write_html_record(kb, assessment, meta))
    return word, page


def words_of(record: Path) -> str:
    """Every word of a Word record's body and headers."""
    document = docx.Document(io.BytesIO(record.read_bytes()))
    parts = ["".join(t.text or "" for t in p.iter(f"{W}t")) for p in document.element.body.iter(f"{W}p")]
    return "\n".join(parts + [p.text for section in document.sections for p in section.header.paragraphs])


def verified(record: Path) -> str:
    """`proofing verify` on a record: it must exit 0 (intact, the same findings today); its report."""
    checked = run(PROOFING, "verify", record)
    assert checked.returncode == 0, checked.stdout + checked.stderr
    assert "the embedded record is intact" in checked.stdout
    return checked.stdout


def audit_head(url: str, *expect: str) -> str:
    """`proofing audit verify` on the database at url (as its owner): it must exit 0; the head hash it prints."""
    checked = run(PROOFING, "audit", "verify", "--db", url, *expect)
    assert checked.returncode == 0, checked.stdout + checked.stderr
    found = re.search(r"hash ([0-9a-f]{64})", checked.stdout)
    assert found is not None, checked.stdout
    return found.group(1)


def test_a_backup_restores_into_an_empty_database_and_records_verify_before_and_after(
    kb: KnowledgeBase, tmp_path: Path
) -> None:
    backup = tmp_path / "proofing.dump"
    with postgres_app_schema("backup") as (owner, app):
        assessment_id = approved(app, kb)
        before = export(kb, app, assessment_id, tmp_path / "before")
        head = audit_head(owner)
        made = run(BACKUP, as_written(owner), schema_of(owner), backup)
        assert made.returncode == 0, made.stderr
        assert backup.stat().st_size > 0

        with empty_database(owner) as restored:
            done = run(RESTORE, backup, as_written(restored))
            assert done.returncode == 0, done.stderr
            # The whole trail came back: the head noted at backup is in it, and every hash still chains.
            assert audit_head(restored, "--expect-head", head) == head
            restored_app = make_url(restored).set(username="proofing_app").render_as_string(False)
            after = export(kb, restored_app, assessment_id, tmp_path / "after")

            for record in (*before, *after):
                verified(record)
            assert words_of(after[0]) == words_of(before[0])  # the approved record, word for word
            assert after[1].read_bytes() == before[1].read_bytes()

            # The app's role works on the restored database as before: it saves (reopening the approved version
            # as a new draft, audited), and still cannot rewrite the audit trail, whose guards came back too.
            assert Store(restored_app).acting(MANAGER).reopen(assessment_id) == 3
            assert audit_head(restored) != head
            engine = create_engine(restored_app, poolclass=NullPool)
            try:
                with pytest.raises(DBAPIError), engine.begin() as connection:
                    connection.execute(text("DELETE FROM audit_entries"))
            finally:
                engine.dispose()
            owner_engine = create_engine(restored, poolclass=NullPool)
            try:
                with pytest.raises(DBAPIError), owner_engine.begin() as connection:
                    connection.execute(text("UPDATE audit_entries SET actor = 'someone else'"))
            finally:
                owner_engine.dispose()


def test_a_restore_into_a_database_that_has_the_schema_is_refused_and_changes_nothing(
    kb: KnowledgeBase, tmp_path: Path
) -> None:
    backup = tmp_path / "proofing.dump"
    with postgres_app_schema("backup") as (owner, app):
        approved(app, kb)
        assert run(BACKUP, as_written(owner), schema_of(owner), backup).returncode == 0
        head = audit_head(owner)
        again = run(RESTORE, backup, as_written(owner))
        assert again.returncode != 0
        assert "already exists" in again.stderr
        assert audit_head(owner, "--expect-head", head) == head  # one transaction: nothing was half restored


def test_the_deployments_grants_are_the_ones_the_library_grants() -> None:
    """deploy/grants.sql, which the README has the owner run after every upgrade, is app_role_grants' list."""
    statements = [line.removesuffix(";") for line in GRANTS.read_text(encoding="utf-8").splitlines()]
    assert [line for line in statements if line and not line.startswith("--")] == app_role_grants(
        "proofing_app", "proofing"
    )


def test_the_readme_backs_up_and_restores_with_the_scripts_this_test_runs() -> None:
    """The README's Deployment section runs deploy/backup.sh and deploy/restore.sh, with the arguments they take, and
    never pg_dump or pg_restore by hand: one set of commands, the one tested here."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split("\n## Deployment\n", 1)[1].split("\n## ", 1)[0]
    commands = [line.strip() for line in section.splitlines() if line.startswith("    ")]
    backups = [line.split() for line in commands if line.startswith("deploy/backup.sh ")]
    restores = [line.split() for line in commands if line.startswith("deploy/restore.sh ")]
    assert backups and all(len(words) == 4 and words[1] == '"$OWNER"' for words in backups)
    assert restores and all(len(words) == 3 and words[1].endswith(".dump") for words in restores)
    assert not [line for line in commands if line.startswith(("pg_dump", "pg_restore"))]
