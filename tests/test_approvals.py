"""Approval binds content (issue 20), through the store on SQLite and PostgreSQL and through the real pages.

Reproductions of what went wrong: after "Submit for approval" named version N, the manager's still-open page kept
amending version N in place, and the approver read 5,000 people affected and approved a final version that says
250,000; a manager set their own approved assessment back to draft in place while the approval still named it;
one person holding both the manager's and the approver's roles approved their own submission.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.pool import NullPool

from proofing.access import User
from proofing.approvals import (
    ApprovedIsKeptError,
    ContentChangedError,
    OwnSubmissionError,
    SignOff,
    content_digest,
)
from proofing.models import notes_json
from proofing.plan import Plan, read_plan
from proofing.store import StaleVersionError, Store, StoreError
from tests.test_app import choose_row, database, page, signed_in, widget  # noqa: F401

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"
MANAGER = User(subject="subject-of-a-manager", name="A manager", roles=frozenset({"service_manager"}))
APPROVER = User(subject="subject-of-an-approver", name="An approver", roles=frozenset({"approver"}))
BOTH = User(subject="subject-of-a-head", name="A head", roles=frozenset({"service_manager", "approver"}))


def library(people: int = 5000, **details: str) -> Plan:
    plan = read_plan(EXAMPLES / "library-opening-hours.yaml")
    return plan.model_copy(update={"answers": plan.answers | {"people_affected": people}, **details})


def approval_of(store: Store, assessment_id: str, outcome: str = "approved", **more: object) -> SignOff:
    """A sign-off naming the version and content digest submitted, as the register's form makes it."""
    submitted = store.approval(assessment_id)
    assert submitted is not None and submitted.digest is not None
    fields = {"decision_taken": "Go ahead", "reasons": "The mitigations answer the risks", "comments": "Say more"}
    return SignOff(
        outcome=outcome,  # type: ignore[arg-type]
        version=submitted.version,
        digest=submitted.digest,
        review_date=date(2027, 6, 1),
        **(fields | more),  # type: ignore[arg-type]
    )


def test_an_editing_session_still_open_after_submitting_starts_a_new_version(url: str) -> None:
    store = Store(url)
    manager, approver = store.acting(MANAGER), store.acting(APPROVER)
    assessment_id = manager.create(library())
    # The manager's page: one editing session, whose saves amend the version it made.
    number = manager.save(
        assessment_id, library(description="Three branches"), expected_version=1, editing="page", expected_revision=0
    )
    saved = store.latest(assessment_id)
    assert saved is not None and (number, saved.revision) == (2, 0)
    manager.submit(assessment_id, expected_version=2)
    signed = approval_of(store, assessment_id)  # what the approver read: 5,000 people affected
    # The still-open page saves again, in the same session and on the revision it had.
    after = manager.save(
        assessment_id,
        library(250_000, description="Three branches"),
        expected_version=2,
        editing="page",
        expected_revision=0,
    )
    assert after == 3  # a new version: the one submitted is frozen
    submitted = store.version(assessment_id, 2)
    assert submitted is not None and submitted.plan.answers["people_affected"] == 5000
    with pytest.raises(StaleVersionError):
        approver.sign_off(assessment_id, signed)
    assert store.latest(assessment_id).status == "draft"  # type: ignore[union-attr]
    # Submitting the new version and signing off what it says is how it becomes final.
    manager.submit(assessment_id, expected_version=3)
    approver.sign_off(assessment_id, approval_of(store, assessment_id))
    final = store.latest(assessment_id)
    assert final is not None and (final.version, final.status) == (3, "final")
    assert final.plan.answers["people_affected"] == 250_000


def test_a_sign_off_names_the_content_digest_and_is_refused_when_the_content_changed(url: str) -> None:
    store = Store(url)
    manager, approver = store.acting(MANAGER), store.acting(APPROVER)
    assessment_id = manager.create(library())
    manager.submit(assessment_id, expected_version=1)
    submitted = store.approval(assessment_id)
    saved = store.latest(assessment_id)
    assert submitted is not None and saved is not None
    content = (saved.plan.model_dump(mode="json"), saved.decisions, notes_json(saved.notes))
    assert submitted.digest == content_digest(*content)
    signed = approval_of(store, assessment_id)
    with pytest.raises(ContentChangedError, match="not what was submitted"):  # a digest the approver never read
        approver.sign_off(assessment_id, signed.model_copy(update={"digest": "1" * 64}))
    # Version 1 rewritten in place behind the store's back: the version number is the same, the content is not.
    engine = create_engine(url, poolclass=NullPool)
    try:
        with engine.begin() as connection:
            rewritten = saved.plan.model_copy(update={"answers": saved.plan.answers | {"people_affected": 250_000}})
            connection.execute(
                text("UPDATE versions SET plan = :plan WHERE assessment_id = :id AND version = 1"),
                {"plan": rewritten.model_dump_json(), "id": assessment_id},
            )
    finally:
        engine.dispose()
    with pytest.raises(ContentChangedError):
        approver.sign_off(assessment_id, signed)
    approval = store.approval(assessment_id)
    assert approval is not None and (approval.outcome, approval.status) == ("submitted", "draft")
    assert [entry.action for entry in store.audit(assessment_id)] == ["created", "submitted for approval"]


def test_nobody_approves_their_own_submission_whatever_roles_they_hold(url: str) -> None:
    store = Store(url)
    head = store.acting(BOTH)
    assessment_id = head.create(library())
    head.submit(assessment_id, expected_version=1)
    with pytest.raises(OwnSubmissionError, match="nobody approves their own submission"):
        head.sign_off(assessment_id, approval_of(store, assessment_id))
    assert store.latest(assessment_id).status == "draft"  # type: ignore[union-attr]
    assert [entry.action for entry in store.audit(assessment_id)] == ["created", "submitted for approval"]
    store.acting(APPROVER).sign_off(assessment_id, approval_of(store, assessment_id))  # someone else may
    assert store.latest(assessment_id).status == "final"  # type: ignore[union-attr]


def test_one_may_send_back_ones_own_submission(url: str) -> None:
    store = Store(url)
    head = store.acting(BOTH)
    assessment_id = head.create(library())
    head.submit(assessment_id, expected_version=1)
    head.sign_off(assessment_id, approval_of(store, assessment_id, "sent_back", comments="Withdrawn: not ready"))
    approval = store.approval(assessment_id)
    assert approval is not None and (approval.outcome, approval.status) == ("sent_back", "draft")


def test_an_approved_assessment_is_never_set_back_to_draft_in_place(url: str) -> None:
    store = Store(url)
    manager, approver = store.acting(MANAGER), store.acting(APPROVER)
    assessment_id = manager.create(library())
    manager.submit(assessment_id, expected_version=1)
    approver.sign_off(assessment_id, approval_of(store, assessment_id))
    with pytest.raises(StoreError, match="never set back to draft"):
        manager.set_status(assessment_id, "draft")
    with pytest.raises(StoreError, match="never set back to draft"):
        approver.set_status(assessment_id, "draft")
    with pytest.raises(ApprovedIsKeptError, match="reopen it as a new draft"):
        store.set_status(assessment_id, "draft")  # nor by the raw store
    final = store.latest(assessment_id)
    assert final is not None and (final.version, final.status) == (1, "final")
    approval = store.approval(assessment_id)
    assert approval is not None and (approval.outcome, approval.status, approval.version) == ("approved", "final", 1)
    assert manager.reopen(assessment_id) == 2  # the one way to revise it: a new draft version of the same assessment
    assert store.latest(assessment_id).status == "draft"  # type: ignore[union-attr]
    assert store.version(assessment_id, 1).status == "final"  # type: ignore[union-attr]  # still as approved
    approval = store.approval(assessment_id)
    assert approval is not None and (approval.outcome, approval.version) == ("approved", 1)
    assert len(store.list()) == 1  # no copy: one assessment


def test_the_approver_never_signs_off_what_the_still_open_page_changed(
    database: str,  # noqa: F811
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Through the real pages: the manager's page stays open while they submit from the register and change more."""
    store = Store(database)
    signed_in(monkeypatch, "service_manager", subject=MANAGER.subject)
    assessment_id = store.acting(MANAGER).create(library())
    at = page("assess.py", assessment=assessment_id)
    widget(at, "q_media_interest").set_value("high").run()  # this session's first change: version 2
    assert store.latest(assessment_id).version == 2  # type: ignore[union-attr]
    register = page("register.py")
    choose_row(register, 0)
    next(button for button in register.button if button.label == "Submit for approval").click().run()
    assert not register.exception
    approval = store.approval(assessment_id)
    assert approval is not None and (approval.outcome, approval.version) == ("submitted", 2)
    at.run()
    assert any("Version 2 is awaiting approval" in info.value for info in at.info)
    widget(at, "q_people_affected").set_value(250_000).run()  # the page the manager left open
    assert not at.exception
    assert store.version(assessment_id, 2).plan.answers["people_affected"] == 5000  # type: ignore[union-attr]
    assert store.latest(assessment_id).version == 3  # type: ignore[union-attr]
    assert any("the submission is stale" in warning.value for warning in at.warning)
    signed_in(monkeypatch, "approver", subject=APPROVER.subject)
    register = page("register.py")
    choose_row(register, 0)
    assert any("the submission is stale" in warning.value for warning in register.warning)
    assert not any(button.label == "Record the sign-off" for button in register.button)
    assert store.latest(assessment_id).status == "draft"  # type: ignore[union-attr]


def test_the_register_offers_no_sign_off_of_ones_own_submission(
    database: str,  # noqa: F811
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    store = Store(database)
    head = signed_in(monkeypatch, "service_manager", "approver", subject=BOTH.subject)
    assessment_id = store.acting(head).create(library())
    register = page("register.py")
    choose_row(register, 0)
    next(button for button in register.button if button.label == "Submit for approval").click().run()
    assert not register.exception
    assert any("nobody approves their own" in info.value for info in register.info)
    assert not any(button.label == "Record the sign-off" for button in register.button)
    assert store.approval(assessment_id).outcome == "submitted"  # type: ignore[union-attr]
