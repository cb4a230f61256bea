"""What a service decides about each suggested mitigation: the one model the store, the page and the record share.

A decision is kept per mitigation, under ``mitigation_key`` (the finding's rule and the mitigation's place in
it), so that it stays with its mitigation when the plan is re-assessed.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Literal

from pydantic import ValidationError

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
