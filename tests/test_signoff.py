"""Signing off with the open items in view, and a final record that never changes (issue 22), on SQLite and
PostgreSQL.

What went wrong: the approver was not told that most mitigations were undecided and a high-severity gap still open;
and the content of a final record changed after it was reopened as a draft (its cumulative-impact table listed its
own copy), its audit trail grew with every export, and it said "Produced at" the moment of each export.
"""

from __future__ import annotations

import io
from datetime import UTC, date, datetime
from pathlib import Path

import docx
import pytest

from proofing.access import User
from proofing.approvals import SignOff
from proofing.cli import main as proofing_main
from proofing.decisions import DecisionNotes, MitigationDecision
from proofing.knowledge import KnowledgeBase
from proofing.models import SavedVersion
from proofing.plan import Plan, read_plan
from proofing.record_details import approved_version, export_details, status_of
from proofing.report import write_report
from proofing.report.status import open_items_words
from proofing.service import record_assessment, save_draft, start_assessment
from proofing.signoff import UnacknowledgedError, items_of_version, open_items, sign_off
from proofing.store import Store

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"
MANAGER = User(subject="subject-of-a-manager", name="A manager", roles=frozenset({"service_manager"}))
APPROVER = User(subject="subject-of-an-approver", name="An approver", roles=frozenset({"approver"}))
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def day_centre() -> Plan:
    return read_plan(EXAMPLES / "day-centre-closure.yaml")


def submitted(store: Store, kb: KnowledgeBase) -> tuple[str, SignOff]:
    """A manager's day-centre plan with one mitigation accepted, submitted; the approver's sign-off of it, without
    any acknowledgement yet."""
    manager = store.acting(MANAGER)
    assessment_id = start_assessment(manager, kb, day_centre())  # through the service, as the app saves
    saved = store.latest(assessment_id)
    assert saved is not None
    first = open_items(record_assessment(kb, saved)[0], {}, DecisionNotes())[0]
    save_draft(
        manager,
        kb,
        assessment_id,
        saved.plan,
        {first.key: {"status": "accepted", "owner": "Day services manager", "due": "2027-03-31"}},
        None,
        expected_version=1,
    )
    manager.submit(assessment_id, expected_version=2)
    approval = store.approval(assessment_id)
    assert approval is not None and approval.digest is not None
    return assessment_id, SignOff(
        outcome="approved",
        version=2,
        digest=approval.digest,
        decision_taken="Close the centre in April, after the transport pilot",
        reasons="The pilot answers the main concern",
        conditions="Keep the lunch club open",
        review_date=date(2027, 6, 30),
    )


def text_of(data: bytes) -> str:
    document = docx.Document(io.BytesIO(data))
    parts = ["".join(t.text or "" for t in p.iter(f"{W}t")) for p in document.element.body.iter(f"{W}p")]
    for section in document.sections:
        parts += [p.text for p in section.header.paragraphs]
    return "\n".join(parts)


def test_the_open_items_are_the_undecided_mitigations_and_the_open_high_severity_gaps(kb: KnowledgeBase) -> None:
    assessment = record_assessment(kb, _saved_of(day_centre()))[0]
    items = open_items(assessment, {}, DecisionNotes())
    suggested = sum(len(f.mitigations) for f in assessment.findings if f.direction == "negative")
    high = sum(1 for gap in assessment.gaps if gap.severity == "high")
    assert (sum(i.kind == "mitigation" for i in items), sum(i.kind == "gap" for i in items)) == (suggested, high)
    assert high >= 1 and suggested >= 10
    decided = {items[0].key: MitigationDecision(status="rejected"), items[1].key: MitigationDecision(status="done")}
    left = open_items(assessment, decided, DecisionNotes())
    assert [i.key for i in left] == [i.key for i in items[2:]]  # a decided mitigation is not open
    finding = assessment.findings[0].rule
    set_aside = DecisionNotes.model_validate({"set_aside": {finding: {"reason": "Not a real risk here"}}})
    assert all(not i.key.startswith(finding + ":") for i in open_items(assessment, {}, set_aside))
    assert open_items_words(items) == f"{suggested} undecided mitigations and {high} open high-severity gap" + (
        "s" if high > 1 else ""
    )


def _saved_of(plan: Plan) -> SavedVersion:
    """A plan as a stored version would hold it (no decisions, no notes)."""
    return SavedVersion("a" * 32, 1, plan, {}, None, "draft", datetime.now(UTC))


def test_an_approval_must_acknowledge_each_open_item_and_keeps_them(url: str, kb: KnowledgeBase) -> None:
    store = Store(url)
    assessment_id, decision = submitted(store, kb)
    approver = store.acting(APPROVER)
    items = items_of_version(kb, approver, assessment_id, 2)
    assert len(items) >= 10 and any(item.kind == "gap" for item in items)
    unticked = decision.model_copy(update={"acknowledged": [item.key for item in items[1:]]})
    with pytest.raises(UnacknowledgedError, match="1 open item"):
        sign_off(kb, approver, assessment_id, unticked)
    still = store.approval(assessment_id)
    assert still is not None and still.outcome == "submitted"  # nothing recorded
    sign_off(kb, approver, assessment_id, decision.model_copy(update={"acknowledged": [i.key for i in items]}))
    approval = store.approval(assessment_id)
    assert approval is not None and approval.outcome == "approved"
    assert approval.acknowledged == items  # kept with the approval, in words
    assert approval.also_affected == []  # the cumulative impact at approval: nothing else hits these groups yet


def test_sending_back_needs_no_acknowledgement(url: str, kb: KnowledgeBase) -> None:
    store = Store(url)
    assessment_id, decision = submitted(store, kb)
    back = decision.model_copy(update={"outcome": "sent_back", "comments": "Decide the mitigations first"})
    sign_off(kb, store.acting(APPROVER), assessment_id, back)
    approval = store.approval(assessment_id)
    assert approval is not None and approval.outcome == "sent_back" and approval.acknowledged == []


def test_the_final_record_is_the_record_at_approval_whatever_happens_after(url: str, kb: KnowledgeBase) -> None:
    store = Store(url)
    assessment_id, decision = submitted(store, kb)
    approver = store.acting(APPROVER)
    keys = [item.key for item in items_of_version(kb, approver, assessment_id, 2)]
    sign_off(kb, approver, assessment_id, decision.model_copy(update={"acknowledged": keys}))
    assert approved_version(approver, assessment_id) == 2
    assert status_of(approver, assessment_id, 2)[0] == "approved"

    def export() -> bytes:
        saved = approver.version(assessment_id, 2)
        assert saved is not None
        meta = export_details(kb, approver, assessment_id, saved, produced_by="An approver")
        return write_report(kb, record_assessment(kb, saved)[0], meta)

    first = export()
    approver.record_export(assessment_id, 2, "the Word record")  # the trail grows after approval
    other = start_assessment(  # through the service, as the app saves, so it counts in the cumulative view
        store.acting(MANAGER), kb, day_centre().model_copy(update={"title": "Another day centre closes"})
    )
    reopened = store.acting(MANAGER).reopen(assessment_id)  # a new draft version of it, that may change
    again = export()
    assert text_of(again) == text_of(first)
    text = text_of(first)
    approval = store.approval(assessment_id, approved_only=True)
    assert approval is not None and approval.decided_at is not None
    assert f"Produced at\n{approval.decided_at.isoformat(timespec='seconds')}" in text  # the moment of approval
    assert "Another day centre closes" not in text and "Copy of" not in text  # the cumulative impact at approval
    assert "exported" not in text.split("Appendix for auditors")[-1]  # the trail up to the approval only
    assert "Approved by An approver" in text and "DRAFT" not in text
    assert "When approving, An approver acknowledged each of these open items" in text
    now = export_details(kb, approver, assessment_id, approver.latest(assessment_id))  # type: ignore[arg-type]
    assert now.version == reopened == 3 and status_of(approver, assessment_id, 3)[0] == "draft"
    assert any(line.assessment_id == other for line in now.also_affected)  # a draft's impact is as it is now


def test_the_final_record_verifies(url: str, kb: KnowledgeBase, tmp_path: Path) -> None:
    store = Store(url)
    assessment_id, decision = submitted(store, kb)
    approver = store.acting(APPROVER)
    keys = [item.key for item in items_of_version(kb, approver, assessment_id, 2)]
    sign_off(kb, approver, assessment_id, decision.model_copy(update={"acknowledged": keys}))
    saved = approver.version(assessment_id, 2)
    assert saved is not None
    meta = export_details(kb, approver, assessment_id, saved)
    record = tmp_path / "record.docx"
    record.write_bytes(write_report(kb, record_assessment(kb, saved)[0], meta))
    assert proofing_main(["verify", str(record)]) == 0
    decided = store.approval(assessment_id)
    assert decided is not None and decided.decided_at is not None
    assert meta.produced_at == decided.decided_at.isoformat(timespec="seconds")  # produced as it was approved
