"""The version history and a merge's conflicts in the reader's language (issue 25): the store returns them as data
(proofing.models: HistoryEntry, VersionChange, Conflict, the notes kept as typed JSON), and proofing.version_words
words every kind of change, every event and every conflict through the one translator, so a Welsh page shows none
of our English where a Welsh form exists (checked against the catalogues, tests/test_welsh_everywhere.py)."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from proofing.knowledge import KnowledgeBase
from proofing.language import catalogue, localised, translator
from proofing.models import Conflict, HistoryEntry, SavedVersion, VersionChange
from proofing.plan import read_plan
from proofing.version_words import conflict_words, history_words
from tests.test_welsh_everywhere import english_in

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"
EVENTS = (
    ("created", "A service manager"),
    ("answered", "A service manager"),
    ("reopened", "An approver"),
    ("finalised a workshop", "A facilitator"),
    ("named a version", "A service manager"),
    ("submitted for approval", "A service manager"),
    ("finalised", "An approver"),
    ("sent back", "An approver"),
)


@pytest.fixture(scope="module")
def plan_and_kinds(kb: KnowledgeBase) -> tuple[SavedVersion, list[VersionChange]]:
    plan = read_plan(EXAMPLES / "day-centre-closure.yaml")
    question = next(q for q in kb.questionnaire.questions if q.id in plan.answers and q.type == "yes_no")
    changes = [
        VersionChange(kind="started"),
        *(VersionChange(kind="detail", key=key) for key in ("title", "service", "owner", "description")),
        VersionChange(kind="answer", key=question.id, before=True, after=False),
        VersionChange(kind="answer", key=question.id, before=None, after=True),
        VersionChange(kind="decisions", count=3),
        VersionChange(kind="notes"),
        VersionChange(kind="agreements_removed", count=2),
        VersionChange(
            kind="added", key="w1", after={"title": "Loss of a meeting place", "likelihood": 3, "severity": 4}
        ),
        VersionChange(kind="dropped", key="no_such_rule", note="Not in this ward"),
        VersionChange(kind="dropped", key="no_such_rule"),
        VersionChange(kind="agreed", key="no_such_rule", after={"likelihood": 2, "severity": 3}),
    ]
    saved = SavedVersion(
        assessment_id="a1", version=2, plan=plan, decisions={}, level=None, status="draft", saved_at=datetime.now(UTC)
    )
    return saved, changes


def test_every_kind_of_change_and_event_in_the_history_is_worded_in_welsh(
    kb: KnowledgeBase, plan_and_kinds: tuple[SavedVersion, list[VersionChange]]
) -> None:
    catalogue.cache_clear()
    saved, changes = plan_and_kinds
    welsh_kb = localised(kb, "cy").kb
    entry = HistoryEntry(
        version=2, label="sent to workshop", saved_at=datetime(2026, 12, 1, tzinfo=UTC), changes=changes, events=EVENTS
    )
    english = history_words(kb, entry, {2: saved}, translator("en"))
    welsh = history_words(welsh_kb, entry, {2: saved}, translator("cy"))
    assert len(welsh) == len(english) and len(english) >= len(changes) + len(EVENTS) - 2
    assert english_in(english) != []  # the English history holds texts of ours: the check below can fail
    assert english_in(welsh) == []
    for line_en, line_cy in zip(english, welsh, strict=True):
        assert line_en != line_cy, line_en


def test_every_kind_of_conflict_is_worded_in_welsh(kb: KnowledgeBase) -> None:
    catalogue.cache_clear()
    welsh_kb = localised(kb, "cy").kb
    question = next(q for q in kb.questionnaire.questions if q.type == "yes_no")
    conflicts = [
        Conflict(kind="detail", key="title", mine="A", theirs=None),
        Conflict(kind="answer", key=question.id, mine=True, theirs=None),
        Conflict(kind="decision", key="rule_x/m1/status", mine="accepted", theirs="rejected"),
        Conflict(kind="decision", key="rule_x/m1/due", mine="2027-01-01", theirs=""),
        Conflict(kind="note", key="own/own-1", mine="x", theirs="y"),
        Conflict(kind="note", key="set_aside/rule_x", mine="x", theirs="y"),
        Conflict(kind="note", key="mitigations/rule_x/m1", mine="x", theirs="y"),
    ]
    for conflict in conflicts:
        english = conflict_words(kb, conflict, translator("en"))
        assert english == conflict_words(kb, conflict)  # English by default, as before
        welsh = conflict_words(welsh_kb, conflict, translator("cy"))
        assert welsh[0] != english[0], conflict
        assert english_in(list(welsh)) == [], conflict
        for mine_en, mine_cy in zip(english[1:], welsh[1:], strict=True):
            if mine_en in ("(not answered)", "(empty)"):
                assert mine_cy != mine_en
