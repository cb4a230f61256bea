"""What a record says about its own making, beyond the assessment (``ReportDetails``), and the machine record
(the canonical JSON) that travels inside every rendering of it."""

from __future__ import annotations

import getpass
from datetime import UTC, datetime
from importlib.metadata import version
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from proofing.assessment import Assessment
from proofing.cumulative import Overlap
from proofing.decisions import DecisionNotes, MitigationDecision
from proofing.language import RecordLanguage, Translator
from proofing.record import RECORD_FORMAT, clean_payload
from proofing.store import Approval, AuditEntry
from proofing.workshop import WorkshopRecord


class Signatory(BaseModel):
    """Who signs the assessment off."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    name: str = ""
    role: str = ""
    date: str = ""


class ReportDetails(BaseModel):
    """What the report says about its own making, beyond the assessment: council, who, when, sign-off, decisions."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    council: str = Field(default="", description="the council's name; the rule base's when not given")
    produced_at: str = Field(default_factory=lambda: datetime.now(UTC).isoformat(timespec="seconds"))
    produced_by: str = Field(default_factory=lambda: _user())
    assessors: list[str] = []
    signoff: list[Signatory] = []
    review_date: str = ""
    decisions: dict[str, MitigationDecision] = {}
    notes: DecisionNotes = DecisionNotes()
    approval: Approval | None = Field(default=None, description="the submission for approval and its outcome")
    audit: list[AuditEntry] = Field(default=[], description="the assessment's audit trail, oldest first")
    also_affected: list[Overlap] = Field(
        default=[], description="other live assessments hitting the same groups in the same wards or period"
    )
    workshops: list[WorkshopRecord] = Field(
        default=[], description="the EIA workshops whose agreement this version holds (proofing.workshop)"
    )
    language: RecordLanguage = Field(
        default="en", description="the language of the visible text: cy, en or bilingual (Welsh first, then English)"
    )
    version: int | None = Field(
        default=None, ge=1, description="the version of the assessment this record is of (None: from a plan file)"
    )


COMMAND_LINE = "proofing command line"  # who made a record the command line wrote, kept in English in the record


def _user() -> str:
    try:
        return f"{getpass.getuser()} ({COMMAND_LINE})"
    except (KeyError, OSError):
        return COMMAND_LINE


def producer_words(produced_by: str, t: Translator) -> str:
    """Who produced a record, as its reader's language says it: the command line's own words translated, a
    person's name or role as given (issue 25: no English of ours in a Welsh record)."""
    if produced_by == COMMAND_LINE:
        return t._("proofing command line")
    if produced_by.endswith(f" ({COMMAND_LINE})"):
        return t._("{user} (proofing command line)", user=produced_by.removesuffix(f" ({COMMAND_LINE})"))
    return produced_by


def record_payload(assessment: Assessment, meta: ReportDetails) -> dict[str, Any]:
    """The machine record embedded in the document: everything needed to verify and re-run it."""
    payload: dict[str, Any] = clean_payload(
        {
            "format": RECORD_FORMAT,
            "assessment": assessment.model_dump(mode="json"),
            "meta": meta.model_dump(mode="json"),
            "proofing_version": version("proofing"),
        }
    )
    return payload
