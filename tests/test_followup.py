"""After the decision (issue 23): mitigations followed through as actions, reviews held on time, on SQLite and
PostgreSQL: one plan walked from approval through two actions (one done with evidence, one overdue), a review that
finds a new rule firing against the current rule base, to a revised version approved; who may do what; and the
command line on an empty database."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.pool import NullPool

from proofing import cli, service
from proofing.access import PermissionDenied, User
from proofing.actions import ActionUpdate, Commitment, ReviewRecord
from proofing.approvals import SignOff
from proofing.knowledge import load_knowledge
from proofing.plan import Plan, read_plan
from proofing.review import changes_since_approval, hold_review, monitoring_groups, review_context
from proofing.store import Store, StoreError
from proofing.store.followup import Approved, FollowUp, today

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"
MANAGER = User(subject="subject-of-a-manager", name="A manager", roles=frozenset({"service_manager"}))
OTHER = User(subject="subject-of-another-manager", name="Another manager", roles=frozenset({"service_manager"}))
APPROVER = User(subject="subject-of-an-approver", name="An approver", roles=frozenset({"approver"}))
AUDITOR = User(subject="subject-of-an-auditor", name="An auditor", roles=frozenset({"auditor"}))
NEW_RULE = """rules:
  - id: review_new_reduction_rule
    title: A reduction in hours that a rule added after approval now flags
    when:
      all:
        - {question: change_type, contains_any: [reduction]}
    finding:
      direction: negative
      likelihood: 3
      severity: 3
      characteristics: [age]
      communities: [older_people]
      psed_aims: [advance_equality]
      indicators: [I1]
      principles: [P1]
      vision: [V3]
      outcomes: [CC14]
      rationale: >-
        A rule the council added after the plan was approved: a reduction in a service now calls for a look at who
        used the hours that go.
      mitigations:
        - text: Ask the people who used the hours that go what would help them.
          actions: ['2.1']
          effect: {lowers: likelihood, by: 1, reason: the people affected say what would help}
    cases:
      - name: a reduction fires
        answers: {change_type: [reduction]}
        fires: true
      - name: a new service does not
        answers: {change_type: [new_service]}
        fires: false
"""


def library(**details: object) -> Plan:
    plan = read_plan(EXAMPLES / "library-opening-hours.yaml")
    answers = plan.answers | {"monitoring_plan": True, "monitoring_by_group": True}
    return plan.model_copy(update={"answers": answers, **details})


def sign_off(store: Store, assessment_id: str, review: date) -> SignOff:
    submitted = store.approval(assessment_id)
    assert submitted is not None and submitted.digest is not None
    return SignOff(
        outcome="approved",
        version=submitted.version,
        digest=submitted.digest,
        decision_taken="Go ahead with the mitigations agreed",
        reasons="The mitigations answer the risks",
        review_date=review,
    )


def approved_plan(store: Store, decisions: dict[str, dict[str, str]], notes: dict | None = None) -> str:
    """A plan saved with `decisions` by the manager, submitted and approved by the approver."""
    manager, approver = store.acting(MANAGER), store.acting(APPROVER)
    assessment_id = manager.create(library())
    manager.save(assessment_id, library(), decisions, None, expected_version=1, notes=notes or {})
    latest = store.latest(assessment_id)
    assert latest is not None
    manager.submit(assessment_id, expected_version=latest.version)
    approver.sign_off(assessment_id, sign_off(store, assessment_id, today() + timedelta(days=20)))
    return assessment_id


def test_a_plan_from_approval_through_its_actions_and_a_review_to_a_revised_version_approved(
    url: str, rules_copy: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    kb_then = load_knowledge(rules_copy)
    monkeypatch.setattr(service, "default_rule_base", lambda: kb_then)  # the rule base the app serves, at approval
    store = Store(url)
    overdue_on = (today() - timedelta(days=3)).isoformat()
    decisions = {
        "language_no_interpreting:0": {"status": "accepted", "owner": "The library manager", "due": overdue_on},
        "access_online_only_digital_exclusion:0": {"status": "accepted", "owner": "", "due": "2027-01-31"},
        "access_online_only_digital_exclusion:1": {"status": "rejected"},
        "language_welsh_care_older_disabled:0": {"status": "proposed"},
    }
    notes = {"mitigations": {"access_online_only_digital_exclusion:0": {"choice": "adapted", "adapted": "Our words"}}}
    assessment_id = approved_plan(store, decisions, notes)
    follow_up = FollowUp(store)

    # Approval committed the accepted and the adapted mitigation, nothing rejected or merely proposed.
    actions = follow_up.actions(assessment_id=assessment_id)
    assert sorted(a.key for a in actions) == sorted(
        ["language_no_interpreting:0", "access_online_only_digital_exclusion:0"]
    )
    interpreting = next(a for a in actions if a.key == "language_no_interpreting:0")
    adapted = next(a for a in actions if a.adapted)
    assert (adapted.text, adapted.owner, adapted.due) == ("Our words", "Head of Libraries", date(2027, 1, 31))
    assert interpreting.owner == "The library manager" and interpreting.owner_subject == MANAGER.subject
    assert interpreting.strategy_actions == ["MW23"] and interpreting.status == "not_started"
    assert interpreting.approver.startswith("An approver") and interpreting.approver_subject == APPROVER.subject

    # One done with evidence, by its owner; the other overdue.
    done = follow_up.update(
        adapted.id,
        ActionUpdate(status="done", evidence="Drop-in sessions held", done_on=today(), expected_revision=0),
        by=MANAGER,
    )
    assert (done.status, done.evidence, done.done_on) == ("done", "Drop-in sessions held", today())
    assert [a.id for a in follow_up.actions(overdue=True)] == [interpreting.id]
    assert [a.id for a in follow_up.actions(owner_subject=MANAGER.subject, due_within=30)] == [interpreting.id]
    assert follow_up.actions(owner_subject=OTHER.subject) == []
    with pytest.raises(Exception, match="changed by someone else|since"):
        follow_up.update(adapted.id, ActionUpdate(status="under_way", expected_revision=0), by=MANAGER)

    # The review: due within 30 days, with what the approved version found.
    [due] = follow_up.reviews(due_within=30)
    assert (due.assessment_id, due.version, due.review_date) == (assessment_id, 2, today() + timedelta(days=20))
    assert not due.overdue(today()) and due.overdue(today() + timedelta(days=21))
    assert follow_up.reviews(overdue=True) == []

    # The council adds a rule after approval: the review re-runs the approved answers against it.
    (rules_copy / "impacts" / "added_after_approval.yaml").write_text(NEW_RULE, encoding="utf-8")
    kb_now = load_knowledge(rules_copy)
    review, changes, groups = review_context(store, kb_now, assessment_id, by=MANAGER)
    assert [f.rule for f in changes.new] == ["review_new_reduction_rule"] and changes.gone == []
    assert "age" in [group for group, _ in groups]  # the plan promised monitoring by group
    approved = store.version(assessment_id, review.version)
    assert approved is not None
    assert changes_since_approval(kb_then, review, approved.plan, approved.notes).new == []  # same rules: nothing

    record = ReviewRecord(
        outcome="revised",
        monitoring="Visits fell by a tenth on the evenings cut",
        by_group={"age": "Older users moved to Saturday mornings"},
        note="Revise the plan for the new rule",
    )
    held = hold_review(store, kb_now, assessment_id, record, by=MANAGER)
    assert held.record.changes.new[0].rule == "review_new_reduction_rule"
    assert held.record.by_group == {"age": "Older users moved to Saturday mornings"}
    assert held.revised_assessment is not None and held.revised_version is not None
    assert follow_up.reviews() == []  # revising: no longer due
    assert follow_up.held(assessment_id)[0].record.outcome == "revised"

    # The revised version goes through sign-off; its approval sets the next review and keeps the actions.
    monkeypatch.setattr(service, "default_rule_base", lambda: kb_now)  # the app now serves the changed rule base
    store_now = Store(url)
    revised_id = held.revised_assessment
    manager = store_now.acting(MANAGER)
    draft = store_now.latest(revised_id)
    assert draft is not None and draft.status == "draft"
    new_decisions = dict(draft.decisions) | {"review_new_reduction_rule:0": {"status": "accepted", "due": "2027-03-01"}}
    number = manager.save(
        revised_id, draft.plan, new_decisions, None, expected_version=draft.version, notes=draft.notes
    )
    manager.submit(revised_id, expected_version=number)
    next_review = today() + timedelta(days=200)
    store_now.acting(APPROVER).sign_off(revised_id, sign_off(store_now, revised_id, next_review))
    final = store_now.latest(revised_id)
    assert final is not None and final.status == "final" and final.version == number
    [reviewed] = FollowUp(store_now).reviews(assessment_id=revised_id)
    assert (reviewed.version, reviewed.review_date, reviewed.state) == (number, next_review, "open")
    assert "review_new_reduction_rule" in [f.rule for f in reviewed.findings]
    keys = {a.key: a for a in FollowUp(store_now).actions(assessment_id=revised_id)}
    assert keys["review_new_reduction_rule:0"].due == date(2027, 3, 1)
    assert keys["review_new_reduction_rule:0"].version == number

    # Counted straight from the database, independently of the library.
    engine = create_engine(url, poolclass=NullPool)
    try:
        with engine.connect() as connection:
            statuses = dict(
                connection.execute(
                    text("SELECT key, status FROM followup_actions WHERE assessment_id = :a"), {"a": assessment_id}
                ).all()
            )
            outcomes = connection.execute(text("SELECT outcome FROM followup_review_outcomes")).scalars().all()
    finally:
        engine.dispose()
    assert statuses["access_online_only_digital_exclusion:0"] == "done"
    assert statuses["language_no_interpreting:0"] == "not_started"
    assert outcomes == ["revised"]


def test_owners_update_their_own_actions_approvers_all_auditors_none(url: str) -> None:
    store = Store(url)
    decisions = {"language_no_interpreting:0": {"status": "accepted", "due": "2027-02-01"}}
    assessment_id = approved_plan(store, decisions)
    follow_up = FollowUp(store)
    [action] = follow_up.actions(assessment_id=assessment_id)
    with pytest.raises(PermissionDenied, match="Another manager may not record progress"):
        follow_up.update(action.id, ActionUpdate(status="under_way"), by=OTHER)
    with pytest.raises(PermissionDenied, match="An auditor may not"):
        follow_up.update(action.id, ActionUpdate(status="under_way"), by=AUDITOR)
    assert follow_up.action(action.id, by=AUDITOR) is not None  # auditors read every action
    assert follow_up.actions(by=OTHER) == [] and follow_up.action(action.id, by=OTHER) is None
    assert follow_up.reviews(by=OTHER) == [] and len(follow_up.reviews(by=AUDITOR)) == 1
    assert follow_up.update(action.id, ActionUpdate(status="under_way"), by=MANAGER).status == "under_way"
    dropped = follow_up.update(action.id, ActionUpdate(status="dropped", reason="Covered elsewhere"), by=APPROVER)
    assert (dropped.status, dropped.reason) == ("dropped", "Covered elsewhere")
    with pytest.raises(ValueError, match="needs the reason"):
        ActionUpdate(status="dropped")
    with pytest.raises(ValueError, match="evidence"):
        ActionUpdate(status="done", done_on=today())
    # handed on: the new owner may update it, the old one no longer
    follow_up.hand_on(action.id, OTHER.subject, "Another manager", by=APPROVER)
    assert follow_up.update(action.id, ActionUpdate(status="under_way"), by=OTHER).owner == "Another manager"
    with pytest.raises(PermissionDenied):
        follow_up.update(action.id, ActionUpdate(status="not_started"), by=MANAGER)
    record = ReviewRecord(outcome="closed", monitoring="The plan ended")
    with pytest.raises(PermissionDenied):
        follow_up.record_review(assessment_id, record, by=AUDITOR)
    follow_up.record_review(assessment_id, record, by=MANAGER)
    with pytest.raises(StoreError, match="no review to hold"):
        follow_up.record_review(assessment_id, record, by=MANAGER)
    trail = [entry.action for entry in store.audit(assessment_id)]
    assert "action updated" in trail and "review held" in trail


def test_a_confirmed_review_moves_to_its_next_date(url: str) -> None:
    store = Store(url)
    assessment_id = approved_plan(store, {})
    follow_up = FollowUp(store)
    assert follow_up.actions(assessment_id=assessment_id) == []
    with pytest.raises(ValueError, match="next review"):
        ReviewRecord(outcome="confirmed", monitoring="As expected")
    later = today() + timedelta(days=365)
    kb = load_knowledge()
    hold_review(
        store, kb, assessment_id, ReviewRecord(outcome="confirmed", monitoring="As expected", next_review=later)
    )
    [review] = follow_up.reviews()
    assert (review.review_date, review.state) == (later, "open")
    assert follow_up.reviews(due_within=30) == []


def test_monitoring_is_by_group_only_where_the_plan_promised_it() -> None:
    kb = load_knowledge()
    assert monitoring_groups(kb, library()) != []
    overall = library()
    overall = overall.model_copy(update={"answers": overall.answers | {"monitoring_by_group": False}})
    assert monitoring_groups(kb, overall) == []


@pytest.mark.parametrize("command", [["actions", "--due"], ["actions", "--overdue"], ["reviews", "--due"]])
def test_the_command_line_on_an_empty_database_lists_nothing(
    command: list[str], url: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("PROOFING_DB_URL", url)
    assert cli.main(command) == 0
    out = capsys.readouterr()
    assert out.err == "" and "No " in out.out


def test_the_command_line_lists_due_and_overdue_actions_and_reviews(
    url: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    store = Store(url)
    overdue_on = (today() - timedelta(days=2)).isoformat()
    approved_plan(store, {"language_no_interpreting:0": {"status": "accepted", "due": overdue_on}})
    monkeypatch.setenv("PROOFING_DB_URL", url)
    assert cli.main(["actions", "--overdue"]) == 0
    out = capsys.readouterr().out
    assert "(overdue)" in out and "three branch libraries" in out
    assert cli.main(["actions", "--due", "--mine", OTHER.subject]) == 0
    assert "No " in capsys.readouterr().out
    assert cli.main(["reviews", "--due"]) == 0
    assert "three branch libraries" in capsys.readouterr().out


def test_a_later_approval_keeps_progress_moves_dates_and_drops_what_it_no_longer_commits(url: str) -> None:
    store = Store(url)
    decisions = {
        "language_no_interpreting:0": {"status": "accepted", "due": "2027-02-01"},
        "access_online_only_digital_exclusion:0": {"status": "accepted", "due": "2027-03-01"},
    }
    assessment_id = approved_plan(store, decisions)
    follow_up = FollowUp(store)
    keys = {a.key: a for a in follow_up.actions(assessment_id=assessment_id)}
    follow_up.update(keys["language_no_interpreting:0"].id, ActionUpdate(status="under_way"), by=MANAGER)
    later = [
        Commitment(
            key="language_no_interpreting:0",
            finding_rule="r",
            finding_title="t",
            text="Interpreting",
            due=date(2027, 5, 1),
        ),
        Commitment(key="new:0", finding_rule="r", finding_title="t", text="Something new"),
    ]
    with store.transaction(write=True) as session:
        row = store.lock(session, assessment_id)
        approval = Approved(session, row, 7, {}, sign_off(store, assessment_id, date(2028, 1, 1)), APPROVER, store)
        FollowUp.open_in(approval, later, review_date=date(2028, 1, 1), level=None, rule_base="r", findings=[])
    keys = {a.key: a for a in follow_up.actions(assessment_id=assessment_id)}
    kept = keys["language_no_interpreting:0"]
    assert (kept.status, kept.due, kept.version, kept.text) == ("under_way", date(2027, 5, 1), 7, "Interpreting")
    gone = keys["access_online_only_digital_exclusion:0"]
    assert gone.status == "dropped" and gone.reason == "Not in the plan as approved at version 7"
    assert keys["new:0"].status == "not_started"
    [review] = follow_up.reviews(assessment_id=assessment_id)
    assert (review.version, review.review_date, review.approver_subject) == (7, date(2028, 1, 1), APPROVER.subject)
