"""What a service decides about each suggested mitigation: the one model the store, the page and the record share.

A decision is kept per mitigation, under ``mitigation_key`` (the finding's rule and the mitigation's place in
it), so that it stays with its mitigation when the plan is re-assessed.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Literal

from pydantic import Field, ValidationError

from proofing.base import Strict

if TYPE_CHECKING:
    from proofing.assessment import Finding

DecisionStatus = Literal["proposed", "accepted", "rejected", "done"]
DECISION_STATUSES: tuple[DecisionStatus, ...] = ("proposed", "accepted", "rejected", "done")


class MitigationDecision(Strict):
    """What the service decided about one suggested mitigation: its status, who owns it and when it is due."""

    status: DecisionStatus = "proposed"
    owner: str = ""
    due: str = ""


def mitigation_key(finding: Finding, index: int) -> str:
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


class DecisionNotes(Strict):
    """What the service decided beyond each mitigation's status: adapted wording, reasons, its own
    mitigations and the findings it set aside (kept with each version, shown in the record).

    ``mitigations``: mitigation key -> MitigationNote; ``own``: own mitigation id -> OwnMitigation;
    ``set_aside``: finding rule id -> SetAside. Kept as plain JSON (three levels of text) in ``versions.notes``.
    """

    mitigations: dict[str, MitigationNote] = {}
    own: dict[str, OwnMitigation] = {}
    set_aside: dict[str, SetAside] = {}
