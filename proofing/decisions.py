"""What a service decides about each suggested mitigation: the one model the store, the page and the record share.

A decision is kept per mitigation, under ``mitigation_key`` (the finding's rule and the mitigation's place in
it), so that it stays with its mitigation when the plan is re-assessed.
"""

from __future__ import annotations

from typing import Annotated, Literal, Protocol

from pydantic import Field, ValidationError, field_validator

from proofing.base import Strict

DecisionStatus = Literal["proposed", "accepted", "rejected", "done"]
DECISION_STATUSES: tuple[DecisionStatus, ...] = ("proposed", "accepted", "rejected", "done")


class MitigationDecision(Strict):
    """What the service decided about one suggested mitigation: its status, who owns it and when it is due."""

    status: DecisionStatus = "proposed"
    owner: str = ""
    due: str = ""


class OfRule(Protocol):
    """Anything that names the impact rule it comes from: a finding (``proofing.assessment.Finding``) does. Decisions
    are kept below the assessment, so they know a finding by this much only."""

    @property
    def rule(self) -> str: ...


def mitigation_key(finding: OfRule, index: int) -> str:
    """A stable key for one mitigation of one finding, for decisions about it."""
    return f"{finding.rule}:{index}"


def decision_problem(fields: dict[str, str]) -> str | None:
    """What is wrong with a decision's fields, in words, or None when they make a decision."""
    try:
        MitigationDecision.model_validate(fields)
    except ValidationError as error:
        detail = error.errors()[0]
        where = ".".join(str(part) for part in detail["loc"]) or "the decision"
        if detail["type"] == "extra_forbidden":
            return f"{where} is not part of a decision (allowed: {', '.join(MitigationDecision.model_fields)})"
        if detail["type"] == "literal_error":
            return f"{where} must be one of {', '.join(DECISION_STATUSES)}, not {fields.get(where)!r}"
        return f"{where}: {detail['msg']}"
    return None


class MitigationNote(Strict):
    """Beside a decision on a suggested mitigation: the wording as adapted, or why it was rejected.

    ``choice`` is "adapted" when the service adapts the mitigation (its decision status is then "accepted").
    """

    choice: Literal["", "adapted"] = ""
    adapted: str = Field(default="", max_length=5_000)
    reason: str = Field(default="", max_length=5_000)


class OwnMitigation(Strict):
    """A mitigation the manager adds of their own to one finding (``finding``: the finding's rule id)."""

    finding: str = Field(min_length=1, max_length=200)
    text: str = Field(min_length=1, max_length=5_000)
    status: Literal["proposed", "accepted", "rejected", "done"] = "proposed"
    owner: str = Field(default="", max_length=500)
    due: str = Field(default="", pattern=r"^(\d{4}-\d{2}-\d{2})?$")
    reason: str = Field(default="", max_length=5_000)


class SetAside(Strict):
    """A finding the manager sets aside, with the reason an equality officer will review."""

    reason: str = Field(min_length=1, max_length=5_000)


Score = Annotated[int, Field(ge=1, le=5)]


class AgreedFinding(Strict):
    """What an EIA workshop agreed about one of the rules' findings: its likelihood and severity, kept or dropped.

    ``workshop`` is the workshop's id (its record says who took part); ``note`` is the room's reason, read by an
    equality officer and an auditor beside the rules' own scores.
    """

    likelihood: Score
    severity: Score
    keep: bool = True
    note: str = Field(default="", max_length=5_000)
    workshop: str = Field(min_length=1, max_length=64)


class AddedImpact(Strict):
    """An impact the rules missed that an EIA workshop accepted: a finding of its own, marked as the workshop's.

    ``groups`` are characteristic and community ids (a comma-separated text is read as the list).
    """

    title: str = Field(min_length=1, max_length=500)
    groups: list[str] = Field(min_length=1)
    reason: str = Field(min_length=1, max_length=5_000)
    likelihood: Score
    severity: Score
    direction: Literal["negative", "positive"] = "negative"
    workshop: str = Field(min_length=1, max_length=64)

    @field_validator("groups", mode="before")
    @classmethod
    def _comma_separated(cls, value: object) -> object:
        if isinstance(value, str):
            return [part.strip() for part in value.split(",") if part.strip()]
        return value


class DecisionNotes(Strict):
    """What the service decided beyond each mitigation's status: adapted wording, reasons, its own
    mitigations, the findings it set aside and what an EIA workshop agreed (kept with each version, shown in
    the record).

    ``mitigations``: mitigation key -> MitigationNote; ``own``: own mitigation id -> OwnMitigation;
    ``set_aside``: finding rule id -> SetAside; ``agreed``: finding rule id -> AgreedFinding; ``added``: added
    impact id -> AddedImpact. Kept as typed JSON (proofing.models.notes_json) in ``versions.notes``.
    """

    mitigations: dict[str, MitigationNote] = {}
    own: dict[str, OwnMitigation] = {}
    set_aside: dict[str, SetAside] = {}
    agreed: dict[str, AgreedFinding] = {}
    added: dict[str, AddedImpact] = {}
