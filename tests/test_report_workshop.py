"""The EIA workshop in the Word record: a real workshop, run in a store, written into the record and verified.

A facilitator opens a workshop on a draft, two participants score its findings on their own and raise an impact the
rules missed, the facilitator reveals the spread and the room agrees a view (one finding dropped, one re-scored, the
missed impact accepted), and finalising makes the version the record is written from.
"""

from __future__ import annotations

import hashlib
import io
import json
import zipfile
from dataclasses import dataclass
from pathlib import Path

import docx
import pytest
from lxml import etree

from proofing.access import User
from proofing.assessment import Assessment, assess_agreed
from proofing.cli import main
from proofing.decisions import DecisionNotes
from proofing.knowledge import KnowledgeBase
from proofing.plan import read_plan
from proofing.record import RECORD_PARTNAME, canonical_json, read_record
from proofing.report import ReportDetails, write_report
from proofing.store import Store, screening_level
from proofing.verify import verify_record
from proofing.workshop import MISSED_PREFIX, Consensus, ParticipantScore, WorkshopRecord
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
            from proofing.workshop import MissedImpact

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
        f"{HOUSING[0]} ({HOUSING[1]})",
        f"{LIBRARIES[0]} ({LIBRARIES[1]})",
    ]
