"""The EIA workshop in the Word record: a real workshop, run in a store, written into the record and verified.

A facilitator opens a workshop on a draft, two participants score its findings on their own and raise an impact the
rules missed, the facilitator reveals the spread and the room agrees a view (one finding dropped, one re-scored, the
missed impact accepted), and finalising makes the version the record is written from.
"""

from __future__ import annotations

import hashlib
import io
import zipfile
from dataclasses import dataclass
from pathlib import Path

import docx
import pytest

from proofing.access import User
from proofing.assessment import Assessment, assess_agreed
from proofing.cli import main
from proofing.decisions import DecisionNotes
from proofing.knowledge import KnowledgeBase
from proofing.plan import read_plan
from proofing.record import RECORD_PARTNAME, canonical_json, read_record
from proofing.report import ReportDetails, write_report
from proofing.service import screening_level
from proofing.store import Store
from proofing.verify import verify_record
from proofing.workshop import MISSED_PREFIX, Consensus, MissedImpact, ParticipantScore, WorkshopRecord
from proofing.workshop_store import Workshops, records_for

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"
PLAN = EXAMPLES / "day-centre-closure.yaml"
DROPPED = "access_building_partly_accessible"  # the room drops it: the new venue is step-free
RESCORED = "cohesion_loss_of_shared_meeting_place"  # the room lowers it: another hall is kept open
HOUSING = ("Participant from Housing", "Housing Services")
LIBRARIES = ("Participant from Libraries", "Library and Information Service")
FACILITATOR = User(subject="facilitator", name="Facilitator", roles=frozenset({"facilitator"}))
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


@dataclass(frozen=True)
class Run:
    """What the workshop made: the agreed assessment, the details written with it, the record and its text."""

    assessment: Assessment
    details: ReportDetails
    record: bytes
    text: str


def text_of(data: bytes) -> str:
    """Every paragraph of the document, tables included, one a line."""
    body = docx.Document(io.BytesIO(data)).element.body
    return "\n".join("".join(t.text or "" for t in p.iter(f"{W}t")) for p in body.iter(f"{W}p"))


def hold_workshop(kb: KnowledgeBase, store: Store) -> str:
    """Run the whole workshop on a new draft of the day centre plan; the assessment's id."""
    plan = read_plan(PLAN)
    assessment_id = store.create(plan, screening_level(kb, plan), by=FACILITATOR)
    facilitator = Workshops(store, FACILITATOR)
    workshop = facilitator.open(kb, assessment_id)
    for index, (name, organisation) in enumerate((HOUSING, LIBRARIES)):
        person = Workshops(store, User(subject=f"participant-{index}", name=name, roles=frozenset({"trainee"})))
        person.join(workshop.id, name, organisation)
        for finding in workshop.findings:
            if finding.rule == DROPPED:  # one thinks it likely, the other does not
                verdict, likelihood, severity = ("agree", 4, 4) if index == 0 else ("disagree", 1, 2)
            elif finding.rule == RESCORED:
                verdict, likelihood, severity = "unsure", 2, 3
            else:
                verdict, likelihood, severity = "agree", finding.likelihood, finding.severity
            person.submit(
                workshop.id,
                ParticipantScore(
                    finding=finding.rule,
                    verdict=verdict,
                    likelihood=likelihood,
                    severity=severity,
                    comment="Steps at the side door still stop wheelchair users" if index == 0 else "",
                ),
            )
        if index == 1:
            person.add_missed(
                workshop.id,
                MissedImpact(
                    title="Unpaid carers lose their only respite day",
                    groups=["age", "sex"],
                    reason="Most carers of day centre users are older women who rely on the centre for a break",
                    likelihood=4,
                    severity=3,
                ),
            )
        person.finish(workshop.id)
    workshop = facilitator.reveal(workshop.id, expected_revision=workshop.revision)
    view = facilitator.facilitator_view(kb, workshop.id)
    for finding in workshop.findings:
        if finding.rule == DROPPED:
            agreed = Consensus(likelihood=1, severity=2, keep=False, note="The new venue is step-free throughout")
        elif finding.rule == RESCORED:
            agreed = Consensus(likelihood=2, severity=3, note="The community hall two streets away stays open")
        else:
            agreed = Consensus(likelihood=finding.likelihood, severity=finding.severity)
        facilitator.agree(workshop.id, finding.rule, agreed, expected_revision=0)
    missed = view.missed[0]
    facilitator.agree(
        workshop.id, f"{MISSED_PREFIX}{missed.id}", Consensus(likelihood=4, severity=3), expected_revision=0
    )
    facilitator.finalise(kb, workshop.id)
    return assessment_id


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Store:
    return Store(f"sqlite:///{tmp_path_factory.mktemp('workshop')}/store.db")


@pytest.fixture(scope="module")
def run(kb: KnowledgeBase, store: Store) -> Run:
    assessment_id = hold_workshop(kb, store)
    latest = store.latest(assessment_id)
    assert latest is not None
    assessment, problems = assess_agreed(kb, latest.plan, latest.notes)
    assert problems == []
    details = ReportDetails(
        assessors=["Facilitator"],
        workshops=records_for(kb, Workshops(store, FACILITATOR), latest.notes),
        notes=DecisionNotes.model_validate(latest.notes),
    )
    record = write_report(kb, assessment, details)
    return Run(assessment, details, record, text_of(record))


def test_the_record_holds_the_workshop_it_came_from(run: Run) -> None:
    assert len(run.details.workshops) == 1
    workshop: WorkshopRecord = run.details.workshops[0]
    assert workshop.stage == "finalised" and workshop.finalised_version == 2
    assert read_record(run.record).payload["meta"]["workshops"][0]["participants"] == [
        {"name": HOUSING[0], "organisation": HOUSING[1]},
        {"name": LIBRARIES[0], "organisation": LIBRARIES[1]},
    ]


def test_the_document_names_who_took_part_and_what_the_room_agreed(run: Run) -> None:
    for name, organisation in (HOUSING, LIBRARIES):
        assert name in run.text and organisation in run.text
    assert (
        f"with 2 participants from {HOUSING[1]} and {LIBRARIES[1]}, scored the draft (version 1) on their own before "
        "seeing each other's scores, then agreed a view on each finding; the agreed view is version 2." in run.text
    )
    assert "They raised 1 impact the rules missed; the room accepted 1 as a finding of the assessment." in run.text
    assert "Agreed at the EIA workshop: likelihood 2, severity 3 (the rules gave 4 × 3)" in run.text
    assert "The workshop's reason: The community hall two streets away stays open" in run.text
    assert "The EIA workshop" in run.text.splitlines()  # a heading of its own
    assert "Dropped by the EIA workshop" in run.text.splitlines()
    assert "The workshop's reason: The new venue is step-free throughout" in run.text
    assert "Added by the EIA workshop: Most carers of day centre users are older women" in run.text
    assert "Accepted as a finding: likelihood 4 × severity 3 = 12." in run.text
    assert "Participant from Housing (Housing Services) scored 16 (likelihood 4, severity 4)" in run.text
    assert "no mitigation suggested by the rules; the service's own to agree." in run.text


def test_the_agreed_view_is_what_the_record_holds(run: Run) -> None:
    rules = {finding.rule: finding for finding in run.assessment.findings}
    assert DROPPED not in rules and [finding.rule for finding in run.assessment.dropped] == [DROPPED]
    assert (rules[RESCORED].likelihood, rules[RESCORED].rules_likelihood) == (2, 4)
    added = [finding for finding in run.assessment.findings if finding.added_by_workshop]
    assert [finding.title for finding in added] == ["Unpaid carers lose their only respite day"]
    assert added[0].mitigations == [] and added[0].characteristics == ["age", "sex"]


def test_the_workshop_section_is_in_the_contents(run: Run) -> None:
    contents = docx.Document(io.BytesIO(run.record)).element.body.iter(f"{W}hyperlink")
    assert {"The EIA workshop", "The workshop of " + run.details.workshops[0].held_on} & {
        "".join(t.text or "" for t in link.iter(f"{W}t")) for link in contents
    } == {"The EIA workshop"}


def test_a_record_with_a_workshop_verifies(kb: KnowledgeBase, run: Run, tmp_path: Path) -> None:
    result = verify_record(kb, run.record)
    assert result.status == "intact" and result.differences == [] and result.visible_changes == []
    out = tmp_path / "workshop.docx"
    out.write_bytes(run.record)
    assert main(["verify", str(out)]) == 0


def replaced(data: bytes, name: str, change: bytes | None = None, old: bytes = b"", new: bytes = b"") -> bytes:
    """The same .docx with one member's bytes replaced (whole, or one occurrence of `old` by `new`)."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            blob = source.read(item.filename)
            if item.filename == name:
                assert change is not None or blob.count(old) >= 1, f"{old!r} is not in {name}"
                blob = change if change is not None else blob.replace(old, new, 1)
            target.writestr(item, blob)
    return out.getvalue()


def test_an_edit_in_the_workshop_section_is_seen(kb: KnowledgeBase, run: Run, tmp_path: Path) -> None:
    edited = replaced(run.record, "word/document.xml", old=b">Who took part<", new=b">Who was asked<")
    result = verify_record(kb, edited)
    assert result.status == "visible_text_edited" and result.visible_changes == ["The EIA workshop"]
    out = tmp_path / "edited.docx"
    out.write_bytes(edited)
    assert main(["verify", str(out)]) == 4


def test_a_changed_agreement_in_the_record_is_detected_even_with_its_hash_recomputed(
    kb: KnowledgeBase, run: Run, tmp_path: Path
) -> None:
    payload = read_record(run.record).payload
    assert payload["meta"]["notes"]["agreed"][RESCORED]["likelihood"] == 2
    payload["meta"]["notes"]["agreed"][RESCORED]["likelihood"] = 4
    text = canonical_json(payload)
    digest = hashlib.sha256(text).hexdigest()
    part = (
        b'<?xml version="1.0" encoding="UTF-8"?>\n'
        + f'<record xmlns="urn:proofing:record:1" format="{payload["format"]}" sha256="{digest}">'.encode()
        + text.replace(b"&", b"&amp;").replace(b"<", b"&lt;").replace(b">", b"&gt;")
        + b"</record>"
    )
    tampered = replaced(run.record, RECORD_PARTNAME.lstrip("/"), change=part)
    assert read_record(tampered).sha256 == digest  # the record itself reads as intact ...
    # ... but re-applying its agreement no longer gives what it records, and the appendix quotes another sha256
    result = verify_record(kb, tampered)
    assert any("likelihood 2 → 4" in difference for difference in result.differences), result.differences
    assert result.status == "visible_text_edited" and result.visible_changes == ["Appendix for auditors"]
    out = tmp_path / "tampered.docx"
    out.write_bytes(tampered)
    assert main(["verify", str(out)]) == 4


def test_the_workshop_section_numbers_each_finding_as_the_room_did(store: Store, run: Run) -> None:
    """The workshop table and the dissent noted name each finding by the number it had at the workshop (its place
    when the workshop opened), which the facilitator's and participants' screens showed; a kept finding also gives
    its number in the findings in full when that differs."""
    workshop: WorkshopRecord = run.details.workshops[0]
    opened = Workshops(store, FACILITATOR).workshop(workshop.id)
    numbers = {finding.rule: number for number, finding in enumerate(opened.findings, start=1)}
    assert {outcome.rule: outcome.number for outcome in workshop.findings} == numbers
    in_full = {finding.rule: number for number, finding in enumerate(run.assessment.findings, start=1)}
    document = docx.Document(io.BytesIO(run.record))
    [table] = [t for t in document.tables if [c.text for c in t.rows[0].cells][:2] == ["Finding", "The rules' score"]]
    cells = [row.cells[0].text for row in table.rows[1:]]
    expected = []
    for outcome in workshop.findings:
        label = f"{numbers[outcome.rule]}. {outcome.title}"
        kept_elsewhere = outcome.kept and in_full.get(outcome.rule) not in (None, numbers[outcome.rule])
        expected.append(
            f"{label} (finding {in_full[outcome.rule]} in the findings in full)" if kept_elsewhere else label
        )
    assert cells == expected
    assert any("in the findings in full" in cell for cell in cells)  # the two numberings differ somewhere here
    dropped = next(outcome for outcome in workshop.findings if outcome.rule == DROPPED)
    assert f"{numbers[DROPPED]}. {dropped.title}" in run.text.splitlines()  # its dissent noted, under its number
