"""After approval the residual impact follows the actions (issue 23): a mitigation counts only when its action is
done or firmly dated, on SQLite and PostgreSQL; and an approval's follow-up is worked out with the rule base the
sign-off was given, not the app's default."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest

from proofing import service
from proofing.actions import ActionUpdate
from proofing.decisions import DecisionNotes
from proofing.knowledge import load_knowledge
from proofing.review import decisions_followed, residual_now
from proofing.service import record_assessment, residual_shown
from proofing.signoff import items_of_version, sign_off
from proofing.store import Store
from proofing.store.followup import FollowUp, today
from tests.test_followup import APPROVER, MANAGER, NEW_RULE, approved_plan, library
from tests.test_followup import sign_off as signed

DATED = "language_no_interpreting:0"
UNDATED = "access_online_only_digital_exclusion:0"


def shown(store: Store, assessment_id: str, version: int) -> tuple[set[str], bool]:
    """The mitigation keys the residual shown for `version` counts, and whether it follows the actions."""
    kb = load_knowledge()
    saved = store.version(assessment_id, version)
    assert saved is not None
    assessment, _problems = record_assessment(kb, saved)
    notes = DecisionNotes.model_validate(saved.notes or {})
    result, followed = residual_shown(store, kb, assessment_id, version, assessment, saved.decisions, notes)
    counted = {effect.key for finding in result.findings for effect in finding.applied + finding.unscored}
    return counted, followed


def test_after_approval_the_residual_counts_only_actions_done_or_firmly_dated(url: str) -> None:
    store = Store(url)
    decisions = {
        DATED: {"status": "accepted", "owner": "The library manager", "due": "2027-02-01"},
        UNDATED: {"status": "accepted", "owner": "The library manager", "due": ""},
    }
    assessment_id = approved_plan(store, decisions)
    approved = store.latest(assessment_id)
    assert approved is not None and approved.status == "final"
    follow_up = FollowUp(store)
    actions = {action.key: action for action in follow_up.actions(assessment_id=assessment_id)}
    assert actions[UNDATED].due is None and actions[DATED].due is not None

    # At approval: the dated one counts, the one with no date does not.
    assert shown(store, assessment_id, approved.version) == ({DATED}, True)

    # The undated one gets a date: it counts. The dated one is dropped: it no longer does.
    follow_up.update(actions[UNDATED].id, ActionUpdate(status="under_way", due=today()), by=MANAGER)
    follow_up.update(actions[DATED].id, ActionUpdate(status="dropped", reason="Covered elsewhere"), by=APPROVER)
    assert shown(store, assessment_id, approved.version) == ({UNDATED}, True)

    # Done counts, whatever its date was.
    done = ActionUpdate(status="done", evidence="Drop-in sessions held", done_on=today())
    follow_up.update(actions[UNDATED].id, done, by=MANAGER)
    assert shown(store, assessment_id, approved.version) == ({UNDATED}, True)
    followed = decisions_followed(store, assessment_id, approved.version, approved.decisions)
    assert followed is not None and followed[DATED].status == "rejected"  # type: ignore[union-attr]

    # The review page shows the same residual as it stands now.
    [review] = follow_up.reviews(assessment_id=assessment_id)
    now = residual_now(store, load_knowledge(), review, by=MANAGER)
    assert now is not None and {e.key for f in now.findings for e in f.applied + f.unscored} == {UNDATED}

    # Through the person's own face too (what the results page hands it).
    counted, _ = shown(store, assessment_id, approved.version)
    result, through_face = residual_shown(
        store.acting(MANAGER),
        load_knowledge(),
        assessment_id,
        approved.version,
        record_assessment(load_knowledge(), approved)[0],
        approved.decisions,
        DecisionNotes.model_validate(approved.notes or {}),
    )
    assert through_face and {e.key for f in result.findings for e in f.applied + f.unscored} == counted


def test_before_approval_the_decisions_count_as_given(url: str) -> None:
    store = Store(url)
    manager = store.acting(MANAGER)
    assessment_id = manager.create(library())
    decisions = {
        DATED: {"status": "accepted", "owner": "The library manager", "due": "2027-02-01"},
        UNDATED: {"status": "accepted", "owner": "The library manager", "due": ""},
    }
    number = manager.save(assessment_id, library(), decisions, None, expected_version=1, notes={})
    assert shown(store, assessment_id, number) == ({DATED}, False)
    assert decisions_followed(store, assessment_id, number, decisions) is None


def test_an_approval_opens_its_follow_up_with_the_rule_base_the_sign_off_was_given(
    url: str, rules_copy: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (rules_copy / "impacts" / "added_after_approval.yaml").write_text(NEW_RULE, encoding="utf-8")
    given = load_knowledge(rules_copy)  # the rule base the version was assessed with
    monkeypatch.setattr(service, "default_rule_base", lambda: load_knowledge())  # the app's: lacks the rule
    store = Store(url)
    manager = store.acting(MANAGER)
    assessment_id = manager.create(library())
    decisions = {"review_new_reduction_rule:0": {"status": "accepted", "owner": "The library manager"}}
    number = manager.save(assessment_id, library(), decisions, None, expected_version=1, notes={})
    manager.submit(assessment_id, expected_version=number)
    approver = store.acting(APPROVER)
    decision = signed(store, assessment_id, today() + timedelta(days=30))
    items = items_of_version(given, approver, assessment_id, number)
    sign_off(given, approver, assessment_id, decision.model_copy(update={"acknowledged": [i.key for i in items]}))

    [review] = FollowUp(store).reviews(assessment_id=assessment_id)
    assert "review_new_reduction_rule" in [finding.rule for finding in review.findings]
    assert [a.key for a in FollowUp(store).actions(assessment_id=assessment_id)] == ["review_new_reduction_rule:0"]
