"""Version notes as typed JSON, and migration 0010 that turns the text older versions kept into it (SQLite and
PostgreSQL: every test runs on both; PostgreSQL from PROOFING_TEST_PG_URL, which tools/postgres.sh prints)."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest
from alembic import command
from alembic.config import Config
from sqlalchemy import insert, select, update

from proofing.approvals import content_digest
from proofing.decisions import AddedImpact, AgreedFinding, DecisionNotes, MitigationNote
from proofing.models import Draft, notes_json, typed_notes
from proofing.plan import read_plan
from proofing.store import MIGRATIONS, ApprovalRow, Store, StoreError, VersionRow, _engine_for
from tests.test_approvals import APPROVER, MANAGER, approval_of

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"
WORKSHOP = "0123456789abcdef0123456789abcdef"
# What the store kept before migration 0010, as the workshop and the pages wrote it: three levels of text.
LEGACY = {
    "mitigations": {"interpreters:0": {"choice": "", "adapted": "", "reason": "Covered by the contract"}},
    "agreed": {
        "access_travel": {"likelihood": "2", "severity": "4", "keep": "True", "note": "", "workshop": WORKSHOP},
        "media": {"likelihood": "1", "severity": "1", "keep": "False", "note": "No interest", "workshop": WORKSHOP},
    },
    "added": {
        "01234567-7": {
            "title": "Fewer warm spaces",
            "groups": "age,disability",
            "reason": "Winter",
            "likelihood": "3",
            "severity": "5",
            "direction": "negative",
            "workshop": WORKSHOP,
        }
    },
}


def migrate(url: str, to: str) -> None:
    """Run the migrations up or down to revision `to` on the store's own engine."""
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    with _engine_for(url).begin() as connection:
        config.attributes["connection"] = connection
        current = connection.exec_driver_sql("SELECT version_num FROM alembic_version").scalar_one()
        (command.upgrade if to == "head" or to > current else command.downgrade)(config, to)


def raw_notes(store: Store, assessment_id: str, version: int) -> dict:
    with store.reading() as session:
        return session.scalars(
            select(VersionRow.notes).where(VersionRow.assessment_id == assessment_id, VersionRow.version == version)
        ).one()


def test_typed_notes_are_kept_as_json_and_read_back_typed(url: str) -> None:
    store = Store(url)
    notes = DecisionNotes(
        agreed={"media": AgreedFinding(likelihood=2, severity=3, keep=False, workshop=WORKSHOP)},
        mitigations={"m:0": MitigationNote(reason="Covered"), "m:1": MitigationNote()},  # m:1 says nothing
    )
    assessment_id = store.create(read_plan(EXAMPLES / "library-opening-hours.yaml"))
    assert store.save(assessment_id, store.latest(assessment_id).plan, notes=notes, expected_version=1) == 2
    kept = raw_notes(store, assessment_id, 2)
    assert kept == {
        "agreed": {"media": {"likelihood": 2, "severity": 3, "keep": False, "note": "", "workshop": WORKSHOP}},
        "mitigations": {"m:0": {"choice": "", "adapted": "", "reason": "Covered"}},
    }
    latest = store.latest(assessment_id)
    assert latest is not None and isinstance(latest.notes, DecisionNotes)
    assert latest.notes == typed_notes(notes) and latest.notes.agreed["media"].likelihood == 2
    # the same content as a page's plain mapping is the same version: nothing to add
    assert store.save(assessment_id, latest.plan, notes=notes_json(notes), expected_version=2) == 2
    with pytest.raises(StoreError, match="likelihood"):
        store.save(
            assessment_id,
            latest.plan,
            notes={"agreed": {"media": {"likelihood": "often", "severity": 1, "workshop": WORKSHOP}}},
            expected_version=2,
        )
    assert Draft(plan=latest.plan, notes={"own": {"a": {"finding": "", "text": ""}}}).notes == DecisionNotes()


def test_migration_0010_types_the_text_older_versions_kept(url: str) -> None:
    store = Store(url)
    manager = store.acting(MANAGER)
    plan = read_plan(EXAMPLES / "library-opening-hours.yaml")
    assessment_id = manager.create(plan)
    tampered = manager.create(plan.model_copy(update={"title": "Changed after submitting"}))
    untouched = manager.create(plan.model_copy(update={"title": "No notes"}))
    migrate(url, "0009")  # the schema as it was, then versions' notes as older code wrote them
    with store.transaction(write=True) as session:
        for legacy in (assessment_id, tampered):
            session.execute(update(VersionRow).where(VersionRow.assessment_id == legacy).values(notes=LEGACY))
    legacy_digest = content_digest(plan.model_dump(mode="json"), {}, LEGACY)  # as 0009's code made it
    with store.transaction(write=True) as session:
        for submitted_id, digest in ((assessment_id, legacy_digest), (tampered, "1" * 64)):
            session.execute(  # only 0009's columns: today's ORM row names columns later migrations add
                insert(ApprovalRow.__table__).values(
                    assessment_id=submitted_id,
                    version=1,
                    outcome="submitted",
                    submitted_by="local",
                    submitted_at=datetime.now(UTC),
                    digest=digest,  # the tampered one no longer matches its content: it must stay refused
                )
            )

    migrate(url, "head")
    kept = raw_notes(store, assessment_id, 1)
    assert kept["agreed"]["access_travel"] == {
        "likelihood": 2,
        "severity": 4,
        "keep": True,
        "note": "",
        "workshop": WORKSHOP,
    }
    assert kept["agreed"]["media"]["keep"] is False
    assert kept["added"]["01234567-7"]["groups"] == ["age", "disability"]
    latest = store.latest(assessment_id)
    assert latest is not None
    assert latest.notes.added["01234567-7"] == AddedImpact(
        title="Fewer warm spaces",
        groups=["age", "disability"],
        reason="Winter",
        likelihood=3,
        severity=5,
        workshop=WORKSHOP,
    )
    assert raw_notes(store, untouched, 1) == {}
    with store.reading() as session:
        digests = {row.assessment_id: row.digest for row in session.scalars(select(ApprovalRow))}
    assert digests[assessment_id] == content_digest(plan.model_dump(mode="json"), {}, kept)  # follows the content
    assert digests[tampered] == "1" * 64  # a digest that did not match still does not
    store.acting(APPROVER).sign_off(assessment_id, approval_of(store, assessment_id))  # the approver can sign it
    assert store.latest(assessment_id).status == "final"

    migrate(url, "0009")  # and back: the text older code reads
    assert raw_notes(store, assessment_id, 1)["agreed"]["access_travel"]["likelihood"] == "2"
    assert raw_notes(store, assessment_id, 1)["added"]["01234567-7"]["groups"] == "age,disability"
    migrate(url, "head")
