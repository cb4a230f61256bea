"""The residual counts a mitigation only when it is done, or accepted (or adapted) with an owner and a due date, and
says so: which were counted and why the others were not, in the library's words that the page and the record show.

Issue 22: the residual fell from red 16 to green 4 on one accepted and one adapted mitigation that had no owner, no
date and nothing done."""

from __future__ import annotations

from pathlib import Path

import docx
import pytest

from proofing.assessment import Assessment, Finding, assess
from proofing.decisions import DecisionNotes, MitigationNote, OwnMitigation, mitigation_key
from proofing.impact import residual as residual_from_impact
from proofing.knowledge import KnowledgeBase
from proofing.language import translator
from proofing.plan import read_plan
from proofing.report import ReportDetails, save_report
from proofing.residual import Residual, all_in_place, counted_status, counting_words, residual

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"
RULE = "access_travel_no_public_transport"  # 4 x 4 = 16, red, in the library example; two mitigations
OWNER, DUE = "the service manager", "2027-03-31"


@pytest.fixture(scope="module")
def library(kb: KnowledgeBase) -> Assessment:
    return assess(kb, read_plan(EXAMPLES / "library-opening-hours.yaml"))


def finding_of(assessment: Assessment, rule: str = RULE) -> Finding:
    return next(f for f in assessment.findings if f.rule == rule)


def moved(result: Residual, rule: str = RULE) -> tuple[int, int, int]:
    found = next(f for f in result.findings if f.rule == rule)
    return found.residual_likelihood, found.residual_severity, found.residual_score


def test_the_issues_case_accepted_and_adapted_without_owner_or_date_leave_the_residual_as_assessed(
    kb: KnowledgeBase, library: Assessment
) -> None:
    finding = finding_of(library)
    first, second = mitigation_key(finding, 0), mitigation_key(finding, 1)
    notes = DecisionNotes(mitigations={second: MitigationNote(choice="adapted", adapted="Home visits weekly.")})
    decisions = {first: {"status": "accepted"}, second: {"status": "accepted"}}
    result = residual(kb, library, decisions, notes)
    assert moved(result) == (4, 4, 16)
    found = next(f for f in result.findings if f.rule == RULE)
    assert found.residual_rag == "red" and not found.applied
    assert [(w.key, w.status, w.missing) for w in found.waiting] == [
        (first, "accepted", ["owner", "due"]),
        (second, "adapted", ["owner", "due"]),
    ]
    assert result.residual_level == library.level
    # the same two with an owner and a date move it: 4 - 1 (site choice) - 2 (home visits) = 1
    owned = {key: {"status": "accepted", "owner": OWNER, "due": DUE} for key in (first, second)}
    assert moved(residual(kb, library, owned, notes)) == (1, 4, 4)


@pytest.mark.parametrize(
    ("decision", "counts", "missing"),
    [
        ({"status": "accepted"}, False, ["owner", "due"]),
        ({"status": "accepted", "owner": OWNER}, False, ["due"]),
        ({"status": "accepted", "due": DUE}, False, ["owner"]),
        ({"status": "accepted", "owner": "   ", "due": DUE}, False, ["owner"]),
        ({"status": "accepted", "owner": OWNER, "due": DUE}, True, []),
        ({"status": "done"}, True, []),
        ({"status": "rejected", "owner": OWNER, "due": DUE}, False, []),
        ({"status": "proposed", "owner": OWNER, "due": DUE}, False, []),
    ],
)
def test_a_mitigation_counts_only_done_or_with_an_owner_and_a_due_date(
    kb: KnowledgeBase, library: Assessment, decision: dict[str, str], counts: bool, missing: list[str]
) -> None:
    finding = finding_of(library)
    key = mitigation_key(finding, 0)  # "site choice": lowers the likelihood by 1
    result = residual(kb, library, {key: decision})
    assert moved(result) == ((3, 4, 12) if counts else (4, 4, 16))
    assert (counted_status(decision, DecisionNotes(), key) is not None) is counts
    found = next(f for f in result.findings if f.rule == RULE)
    assert [w.missing for w in found.waiting] == ([missing] if missing else [])
    assert [a.key for a in found.applied] == ([key] if counts else [])
    assert (key in found.rejected) is (decision["status"] == "rejected")


def test_the_services_own_mitigation_waits_for_its_owner_and_date_too(kb: KnowledgeBase, library: Assessment) -> None:
    bare = OwnMitigation(finding=RULE, text="A community minibus on opening days.", status="accepted")
    found = next(f for f in residual(kb, library, {}, DecisionNotes(own={"bus": bare})).findings if f.rule == RULE)
    assert [(w.key, w.own, w.missing) for w in found.waiting] == [("own:bus", True, ["owner", "due"])]
    assert found.unscored == []
    owned = bare.model_copy(update={"owner": OWNER, "due": DUE})
    found = next(f for f in residual(kb, library, {}, DecisionNotes(own={"bus": owned})).findings if f.rule == RULE)
    assert [(u.key, u.own) for u in found.unscored] == [("own:bus", True)] and found.waiting == []
    assert found.residual_score == 16  # shown as counted, but it declares no effect, so it moves nothing


def test_the_words_say_which_were_counted_and_why_others_were_not(kb: KnowledgeBase, library: Assessment) -> None:
    t = translator("en")
    total = sum(len(f.mitigations) for f in library.findings if f.direction == "negative")
    assert counting_words(residual(kb, library), t) == [
        f"No mitigation counted yet ({total} not decided): the residual scores are the scores as assessed."
    ]
    finding = finding_of(library)
    first, second = mitigation_key(finding, 0), mitigation_key(finding, 1)
    other = mitigation_key(finding_of(library, "access_online_only_digital_exclusion"), 0)
    decisions = {
        first: {"status": "accepted", "owner": OWNER, "due": DUE},
        second: {"status": "accepted", "owner": OWNER},
        other: {"status": "rejected"},
    }
    lines = counting_words(residual(kb, library, decisions), t)
    assert lines[0].startswith("The residual counts a mitigation only when it is done, or accepted (or adapted)")
    assert lines[1] == "1 mitigation counted."
    assert lines[2].startswith("Not counted until it has an owner and a due date, 1 accepted mitigation: ")
    assert finding.mitigations[1].text.split()[0] in lines[2] and lines[2].endswith("(no due date).")
    assert lines[3] == f"Not counted: {total - 3} not decided yet."
    assert lines[4] == "Not counted: 1 rejected."
    short = counting_words(residual(kb, library, decisions), t, short=30)[2]
    assert "…" in short and len(short) < len(lines[2])
    everything = {key: {"status": "accepted"} for key in all_in_place(library)}
    named = counting_words(residual(kb, library, everything), t, most=2)[2]
    assert named.startswith(f"Not counted until they have an owner and a due date, {total} accepted mitigations: ")
    assert named.endswith(f"; and {total - 2} more.") and named.count("(no owner and no due date)") == 2


def test_the_record_says_what_it_counted(kb: KnowledgeBase, library: Assessment, tmp_path: Path) -> None:
    finding = finding_of(library)
    first = mitigation_key(finding, 0)
    waiting = tmp_path / "waiting.docx"
    save_report(kb, library, waiting, ReportDetails(decisions={first: {"status": "accepted"}}))
    text = "\n".join(p.text for p in docx.Document(str(waiting)).paragraphs)
    assert "Not counted until it has an owner and a due date, 1 accepted mitigation" in text
    assert "No mitigation counted yet: the residual scores are the scores as assessed." in text
    counted = tmp_path / "counted.docx"
    save_report(
        kb, library, counted, ReportDetails(decisions={first: {"status": "accepted", "owner": OWNER, "due": DUE}})
    )
    document = docx.Document(str(counted))
    text = "\n".join(p.text for p in document.paragraphs)
    assert "1 mitigation counted." in text
    rows = [[cell.text for cell in row.cells] for table in document.tables for row in table.rows]
    assert any("4 × 4 = 16" in row[1] and "3 × 4 = 12" in row[2] for row in rows if len(row) == 4)


def test_every_face_reads_the_one_computation() -> None:
    assert residual_from_impact is residual
