"""Reminders from the follow-up itself (issue 23, after merging the actions and reviews): an approved plan's overdue
action and its review due in 20 days reach the owner and the approver through `proofing remind`, once."""

from __future__ import annotations

from datetime import timedelta

import pytest

from proofing import cli
from proofing.store import Reminding, Store
from proofing.store.followup import FollowUp, today
from tests.test_followup import APPROVER, MANAGER, approved_plan
from tests.test_reminders import BASE, SENDER, smtp_server


def test_proofing_remind_sends_the_follow_ups_reminders_once(
    url: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    store = Store(url)
    overdue_on = (today() - timedelta(days=2)).isoformat()
    assessment_id = approved_plan(store, {"language_no_interpreting:0": {"status": "accepted", "due": overdue_on}})
    [action] = FollowUp(store).actions(assessment_id=assessment_id)
    Reminding(store).remember_contact(MANAGER.subject, MANAGER.name, "manager@council.example")
    Reminding(store).remember_contact(APPROVER.subject, APPROVER.name, "approver@council.example")
    with smtp_server() as (inbox, port):
        monkeypatch.setenv("PROOFING_DB_URL", url)
        monkeypatch.setenv("PROOFING_SMTP_URL", f"smtp://127.0.0.1:{port}")
        monkeypatch.setenv("PROOFING_MAIL_FROM", SENDER)
        monkeypatch.setenv("PROOFING_PUBLIC_URL", BASE)
        assert cli.main(["remind"]) == 0
        out = capsys.readouterr().out
        assert "4 reminders sent." in out, out
        assert cli.main(["remind"]) == 0
        assert "0 reminders sent." in capsys.readouterr().out
        pairs = sorted(inbox.pairs())
    print(pairs)
    assert [to for to, _s in pairs] == ["approver@council.example"] * 2 + ["manager@council.example"] * 2
    subjects = {subject.split(":")[0] for _to, subject in pairs}
    assert any(s.startswith("Action overdue since") for s in subjects)
    assert any(s.startswith("Review due on") for s in subjects)
    bodies = [mail.get_content() for _tos, mail in inbox.received]
    # each mail links to its item, not only to the page: the action, or the review (to every recipient)
    action_link, review_link = f"{BASE}/actions?action={action.id}", f"{BASE}/reviews?assessment={assessment_id}"
    assert sum(action_link in body for body in bodies) == 2 and sum(review_link in body for body in bodies) == 2
