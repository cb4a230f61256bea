"""A reminder's link opens the item it is about (issue 23): ``/actions?action=ID`` opens that action for progress and
``/reviews?assessment=ID`` that review to be held, whichever comes first in the lists; a link to an action already
done says so."""

from __future__ import annotations

from datetime import timedelta

from streamlit.testing.v1 import AppTest

from proofing.actions import ActionUpdate
from proofing.approvals import SignOff
from proofing.plan import read_plan
from proofing.store import Store
from proofing.store.followup import FollowUp, today
from tests.test_app_followup import EXAMPLES, ROOT, database  # noqa: F401  (database: the fixture)


def approved(url: str, review_in_days: int, title: str = "") -> str:
    """The library plan (titled `title` when given) approved by the raw store, as a script would, with one accepted
    mitigation due yesterday."""
    store = Store(url)
    plan = read_plan(EXAMPLES / "library-opening-hours.yaml")
    plan = plan.model_copy(update={"title": title or plan.title})
    assessment_id = store.create(plan)
    due = (today() - timedelta(days=1)).isoformat()
    decisions = {"language_no_interpreting:0": {"status": "accepted", "due": due}}
    store.save(assessment_id, plan, decisions, None, expected_version=1)
    store.submit(assessment_id, expected_version=2)
    submitted = store.approval(assessment_id)
    assert submitted is not None and submitted.digest is not None
    decision = SignOff(
        outcome="approved",
        version=submitted.version,
        digest=submitted.digest,
        decision_taken="Go ahead",
        reasons="The mitigations answer the risks",
        review_date=today() + timedelta(days=review_in_days),
    )
    store.sign_off(assessment_id, decision)
    return assessment_id


def linked(name: str, **query: str) -> AppTest:
    """The page `name` opened as a reminder's link opens it, with its query."""
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    at.switch_page(f"views/{name}.py")
    at.query_params.update(query)
    return at.run()


def test_an_actions_link_opens_that_action(database: str) -> None:  # noqa: F811
    first, second = approved(database, 90, "Branch library hours"), approved(database, 120, "Mobile library stops")
    actions = {a.assessment_id: a for a in FollowUp(Store(database)).actions()}
    at = linked("actions")
    assert at.selectbox[0].value.id == actions[first].id  # unlinked: the first listed
    at = linked("actions", action=str(actions[second].id))
    assert not at.exception
    assert at.selectbox[0].value.id == actions[second].id
    assert any("Opened from a reminder" in item.value for item in at.info)
    at.radio[0].set_value("done")
    at.text_area[0].input("Interpreting contract signed")
    at.button[0].click().run()
    assert not at.exception
    assert FollowUp(Store(database)).action(actions[second].id).status == "done"  # type: ignore[union-attr]
    assert FollowUp(Store(database)).action(actions[first].id).status == "not_started"  # type: ignore[union-attr]


def test_a_link_to_an_action_already_done_says_so(database: str) -> None:  # noqa: F811
    approved(database, 90)
    [action] = FollowUp(Store(database)).actions()
    FollowUp(Store(database)).update(action.id, ActionUpdate(status="done", evidence="Held", done_on=today()))
    at = linked("actions", action=str(action.id))
    assert not at.exception
    assert any("no longer open" in item.value for item in at.info)


def test_a_reviews_link_opens_that_review(database: str) -> None:  # noqa: F811
    first, second = approved(database, 10, "Branch library hours"), approved(database, 20, "Mobile library stops")
    at = linked("reviews")
    assert at.selectbox[0].value.assessment_id == first
    at = linked("reviews", assessment=second)
    assert not at.exception
    assert at.selectbox[0].value.assessment_id == second
    assert any("Opened from a reminder" in item.value for item in at.info)
    at.text_area[0].input("Evening visits fell by a tenth")
    at.radio[0].set_value("closed")
    at.button[0].click().run()
    assert not at.exception
    assert [held.assessment_id for held in FollowUp(Store(database)).held(second)] == [second]
    assert FollowUp(Store(database)).held(first) == []
