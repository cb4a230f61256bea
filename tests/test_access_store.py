"""Who may do what, enforced by the store: every role × action cell, on SQLite and on PostgreSQL.

The pages use only the acting face (``Store.acting(user)``), so what a page forgets to check the store still
refuses: each cell below is tried through the store itself, on an assessment of the person's own and on
someone else's, and a refusal must be a PermissionDenied that wrote nothing (no version, no audit entry). The
expected answer is read from the PERMISSIONS table's reach ("all", "own", none), the README's table.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import get_args

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.pool import NullPool

from proofing.access import LOCAL_USER, PERMISSIONS, ROLES, Action, PermissionDenied, Role, User
from proofing.store import SignOff, StaleVersionError, Store, StoreError, UserStore
from tests.at_migration import database_at
from tests.test_store import plan  # the url fixture (both databases) comes from tests/conftest.py

OTHER = "subject-of-another-manager"
APPROVED = SignOff(
    outcome="approved",
    version=1,
    digest="0" * 64,  # replaced by the digest of what was submitted (`naming`)
    decision_taken="Go ahead with the translation contract",
    reasons="The mitigations answer the risks found",
    conditions="Review the interpreting budget in six months",
    review_date=date(2027, 6, 1),
)


def naming(store: Store, assessment_id: str, decision: SignOff = APPROVED) -> SignOff:
    """`decision` naming the version and content digest submitted, as the register's sign-off form does."""
    submitted = store.approval(assessment_id)
    assert submitted is not None and submitted.digest is not None
    return decision.model_copy(update={"version": submitted.version, "digest": submitted.digest})


# The actions the store carries out: all but these (verify a record, run a workshop or training), not store calls.
NOT_STORE_CALLS = {"verify", "run_workshop", "take_part", "run_training", "take_training"}
STORE_ACTIONS: tuple[Action, ...] = tuple(action for action in get_args(Action) if action not in NOT_STORE_CALLS)


def person(role: Role) -> User:
    return User(subject=f"subject-{role}", name=f"A {role.replace('_', ' ')}", roles=frozenset({role}))


def attempt(store: Store, acting: UserStore, action: Action, owner: str) -> Callable[[], object]:
    """Set up an assessment owned by `owner` (final for reopen) and return the call that tries `action` on it."""
    assessment_id = store.create(plan(), owner_subject=owner)
    if action == "reopen":
        store.set_status(assessment_id, "final")
    if action == "approve":
        store.submit(assessment_id, expected_version=1)
    calls: dict[Action, Callable[[], object]] = {
        "create": lambda: acting.create(plan(title="A new plan")),
        "read": lambda: acting.latest(assessment_id),
        "edit": lambda: acting.save(assessment_id, plan(description="changed"), expected_version=1),
        "share": lambda: acting.share(assessment_id, "subject-of-a-colleague"),
        "submit": lambda: acting.submit(assessment_id, expected_version=1),
        "approve": lambda: acting.sign_off(assessment_id, naming(store, assessment_id)),
        "reopen": lambda: acting.reopen(assessment_id),
        "duplicate": lambda: acting.duplicate(assessment_id),
        "export": lambda: acting.record_export(assessment_id, 1, "the Word record"),
        "view_audit": lambda: acting.audit(assessment_id),
        "assign_roles": lambda: acting.set_roles(f"newcomer-{assessment_id}", {"service_manager"}),
    }
    return calls[action]


def footprint(store: Store) -> tuple[int, int, int, dict[str, frozenset[str]], tuple[str, ...]]:
    """Everything a refused call could have changed: assessments, versions, audit entries, roles, statuses."""
    found = store.list()
    return (
        len(found),
        sum(item.versions for item in found),
        len(store.audit()),
        {key: frozenset(value) for key, value in store.role_assignments().items()},
        tuple(sorted(item.status + ",".join(sorted(item.shared_with)) for item in found)),
    )


@pytest.mark.parametrize("role", ROLES)
def test_every_action_of_a_role_is_allowed_or_refused_by_the_store(url: str, role: Role) -> None:  # noqa: F811
    store = Store(url)
    user = person(role)
    acting = store.acting(user)
    wrong = []
    for action in STORE_ACTIONS:
        reach = PERMISSIONS[role].get(action)
        for whose, owner in (("own", user.subject), ("someone else's", OTHER)):
            call = attempt(store, acting, action, owner)
            expected = reach == "all" or (reach == "own" and whose == "own")
            before = footprint(store)
            try:
                call()
            except PermissionDenied as refusal:
                allowed = False
                assert str(refusal).startswith(user.name), refusal
                if footprint(store) != before:
                    wrong.append(f"{action} on {whose}: refused but something was written")
            else:
                allowed = True
                if action not in ("read", "view_audit") and len(store.audit()) == before[2]:
                    wrong.append(f"{action} on {whose}: done but not audited")
            if allowed != expected:
                wrong.append(f"{action} on {whose}: {'allowed' if allowed else 'refused'}, table says {reach}")
    assert wrong == []


def test_an_auditor_can_read_and_export_everything_and_change_nothing(url: str) -> None:  # noqa: F811
    store = Store(url)
    assessment_id = store.create(plan(), owner_subject=OTHER)
    auditor = store.acting(person("auditor"))
    assert auditor.latest(assessment_id) is not None
    assert [found.assessment_id for found in auditor.list()] == [assessment_id]
    auditor.record_export(assessment_id, 1, "the Word record")
    for change in (
        lambda: auditor.save(assessment_id, plan(description="changed"), expected_version=1),
        lambda: auditor.submit(assessment_id, expected_version=1),
        lambda: auditor.sign_off(assessment_id, APPROVED),  # refused by role before anything is compared
        lambda: auditor.share(assessment_id, "subject-of-a-colleague"),
        lambda: auditor.duplicate(assessment_id),
        lambda: auditor.create(plan()),
        lambda: auditor.checkpoint(assessment_id, "sent to workshop", expected_version=1),
        lambda: auditor.set_roles("anyone", {"administrator"}),
    ):
        with pytest.raises(PermissionDenied, match="Auditor"):
            change()
    assert [saved.version for saved in store.versions(assessment_id)] == [1]
    assert store.latest(assessment_id).status == "draft"  # type: ignore[union-attr]
    assert [entry.action for entry in store.audit()] == ["exported"]


def test_a_manager_lists_and_opens_only_their_own_and_shared_assessments(url: str) -> None:  # noqa: F811
    store = Store(url)
    mine = store.create(plan(title="Mine"), owner_subject="subject-service_manager")
    theirs = store.create(plan(title="Theirs"), owner_subject=OTHER)
    shared = store.create(plan(title="Shared with me"), owner_subject=OTHER)
    store.acting(User(subject=OTHER, name="Another manager", roles=frozenset({"service_manager"}))).share(
        shared, "subject-service_manager"
    )
    manager = store.acting(person("service_manager"))
    assert {found.title for found in manager.list()} == {"Mine", "Shared with me"}
    assert manager.services() == ["Libraries"]
    with pytest.raises(PermissionDenied, match="not yours or shared with you"):
        manager.latest(theirs)
    with pytest.raises(PermissionDenied):
        manager.versions(theirs)
    assert manager.save(shared, plan(title="Shared with me", description="mine too"), expected_version=1) == 2
    assert manager.latest(mine) is not None
    assert manager.latest("0" * 32) is None  # an unknown assessment is not a refusal: there is nothing to see


def test_assessments_made_before_owners_were_kept_belong_to_the_local_user(url: str) -> None:  # noqa: F811
    """A database at migration 0002 (before owners) with an assessment in it, upgraded by opening a Store."""
    with database_at(url, "0002") as connection:
        connection.execute(
            text(
                "INSERT INTO assessments (id, title, service, owner, status, level, created_at, updated_at) "
                "VALUES (:id, 'Old plan', 'Libraries', 'Head of Libraries', 'draft', NULL, :now, :now)"
            ),
            {"id": "a" * 32, "now": "2026-01-01 00:00:00"},
        )
    store = Store(url)
    assert store.access("a" * 32) == ("local", frozenset())
    assert [found.title for found in store.acting(LOCAL_USER).list()] == ["Old plan"]
    assert store.acting(person("service_manager")).list() == []


def test_roles_are_assigned_by_an_administrator_only_and_looked_up_by_subject(url: str) -> None:  # noqa: F811
    store = Store(url)
    admin = store.acting(person("administrator"))
    admin.set_roles("subject-of-a-newcomer", {"approver", "auditor"})
    assert store.assigned_roles("subject-of-a-newcomer") == {"approver", "auditor"}
    assert admin.role_assignments() == {"subject-of-a-newcomer": frozenset({"approver", "auditor"})}
    admin.set_roles("subject-of-a-newcomer", set())
    assert store.assigned_roles("subject-of-a-newcomer") == frozenset()
    assert [entry.action for entry in store.audit()] == ["role changed", "role changed"]
    with pytest.raises(PermissionDenied):
        store.acting(person("approver")).role_assignments()


def test_every_write_is_audited_with_who_what_and_the_version(url: str) -> None:  # noqa: F811
    store = Store(url)
    manager_user = person("service_manager")
    manager = store.acting(manager_user)
    assessment_id = manager.create(plan())
    decisions = {"interpreters": {"status": "accepted", "owner": "Equalities Officer", "due": "2026-03-01"}}
    manager.save(assessment_id, plan(description="v2"), decisions, expected_version=1)
    manager.share(assessment_id, "subject-of-a-colleague")
    manager.submit(assessment_id, expected_version=2)
    store.acting(person("approver")).sign_off(assessment_id, naming(store, assessment_id))
    manager.record_export(assessment_id, 2, "the Word record")
    assert manager.reopen(assessment_id) == 3  # a new draft version of the same assessment
    copy = manager.duplicate(assessment_id)
    trail = manager.audit(assessment_id)
    assert [(entry.action, entry.version) for entry in trail] == [
        ("created", 1),
        ("answered", 2),
        ("accepted a mitigation", 2),
        ("shared", None),
        ("submitted for approval", 2),
        ("finalised", 2),
        ("exported", 2),
        ("reopened", 3),
        ("duplicated", 3),
    ]
    assert trail[0].subject == manager_user.subject and trail[0].who == manager_user.name
    assert trail[5].subject == "subject-approver"
    assert [entry.action for entry in store.audit(copy)] == ["created"]
    with pytest.raises(PermissionDenied):
        manager.audit()  # the whole trail is for those who see every assessment's


@pytest.mark.parametrize("statement", ["UPDATE audit_entries SET action = 'nothing'", "DELETE FROM audit_entries"])
def test_the_database_refuses_to_change_or_remove_an_audit_entry(url: str, statement: str) -> None:  # noqa: F811
    store = Store(url)
    store.acting(person("service_manager")).create(plan())
    engine = create_engine(url, poolclass=NullPool)
    try:
        with pytest.raises(SQLAlchemyError, match="append-only"), engine.begin() as connection:
            connection.execute(text(statement))
    finally:
        engine.dispose()
    assert [entry.action for entry in store.audit()] == ["created"]


def test_only_an_approval_makes_an_assessment_final_and_the_record_shows_who_and_when(url: str) -> None:  # noqa: F811
    store = Store(url)
    manager = store.acting(person("service_manager"))
    approver = store.acting(person("approver"))
    assessment_id = manager.create(plan())
    manager.save(assessment_id, plan(description="v2"), level="high", expected_version=1)
    with pytest.raises(StoreError, match="only when an approver approves it"):
        approver.set_status(assessment_id, "final")
    with pytest.raises(StoreError, match="not awaiting approval"):
        approver.sign_off(assessment_id, APPROVED.model_copy(update={"version": 2}))
    manager.submit(assessment_id, expected_version=2)
    back = SignOff(
        outcome="sent_back", version=2, digest="0" * 64, comments="Say how the mobile library's users were asked."
    )
    approver.sign_off(assessment_id, naming(store, assessment_id, back))
    sent_back = manager.approval(assessment_id)
    assert sent_back is not None and (sent_back.outcome, sent_back.status) == ("sent_back", "draft")
    assert sent_back.comments == back.comments
    manager.save(assessment_id, plan(description="v3"), level="high", expected_version=2)
    manager.submit(assessment_id, expected_version=3)
    manager.save(assessment_id, plan(description="v4"), level="high", expected_version=3)  # changed after submitting
    with pytest.raises(StaleVersionError):
        approver.sign_off(assessment_id, naming(store, assessment_id))
    manager.submit(assessment_id, expected_version=4)
    approver.sign_off(assessment_id, naming(store, assessment_id))
    approval = manager.approval(assessment_id)
    assert approval is not None
    assert (approval.assessment_id, approval.version, approval.status, approval.outcome) == (
        assessment_id,
        4,
        "final",
        "approved",
    )
    assert (approval.advice, approval.decision_taken, approval.review_date) == (
        "high",
        "Go ahead with the translation contract",
        date(2027, 6, 1),
    )
    assert approval.decided_by == "A approver" and approval.submitted_by == "A service manager"
    assert approval.decided_at is not None and approval.decided_at >= approval.submitted_at
    assert store.latest(assessment_id).status == "final"  # type: ignore[union-attr]


def test_a_sign_off_says_what_it_lacks() -> None:
    with pytest.raises(ValueError, match="the reasons and a review date"):
        SignOff(outcome="approved", version=1, digest="0" * 64, decision_taken="Go ahead")
    with pytest.raises(ValueError, match="needs comments"):
        SignOff(outcome="sent_back", version=1, digest="0" * 64)
