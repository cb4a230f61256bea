"""What the store keeps, checked and made plain: plan, decisions and notes as JSON, ids, times."""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import UTC, date, datetime
from typing import Any

from proofing.decisions import decision_problem
from proofing.errors import StoreError
from proofing.models import DecisionNotes, NotesGiven, notes_problem, typed_notes
from proofing.plan import Plan

MAX_TITLE = 500  # as Plan.title allows
COPY_PREFIX = "Copy of "
DETAILS = ("title", "service", "owner", "description")
KEEP_BOTH_ATTEMPTS = 50  # a merge is retried while others keep saving; past this, the person is asked again
_ID = re.compile(r"[0-9a-f]{32}")  # what create() makes (uuid4 hex); anything else names no assessment


def quarter_of(when: datetime | date) -> str:
    """The calendar quarter of a day, as the heat map's columns read: "2026 Q4"."""
    return f"{when.year} Q{(when.month - 1) // 3 + 1}"


def utc_now() -> datetime:
    """Now, timezone-aware UTC: the time every row the store writes is stamped with."""
    return datetime.now(UTC)


def _plan_data(plan: Plan) -> dict[str, Any]:
    return plan.model_dump(mode="json")


def _decisions_data(decisions: dict[str, dict[str, Any]] | None) -> dict[str, dict[str, str]]:
    """Decisions as plain JSON strings; a date is kept as its ISO form, None as empty."""
    checked: dict[str, dict[str, str]] = {}
    for key, fields in (decisions or {}).items():
        if not isinstance(fields, dict):
            raise StoreError(f"the decision on {key!r} must be a mapping of status, owner and due, not {fields!r}")
        row: dict[str, str] = {}
        for name, value in fields.items():
            if value is None:
                value = ""
            elif isinstance(value, date):
                value = value.isoformat()
            elif not isinstance(value, str):
                raise StoreError(f"the decision on {key!r} has {name} = {value!r}; it must be text")
            row[str(name)] = value
        problem = decision_problem(row)
        if problem:
            raise StoreError(f"the decision on {key!r} cannot be kept: {problem}")
        checked[str(key)] = row
    return checked


def _notes_data(notes: NotesGiven) -> DecisionNotes:
    """Decision notes checked and typed (DecisionNotes; a page's plain mapping validated, what it cleared left out);
    a StoreError in words when they cannot be kept. The store keeps them as models.notes_json gives them."""
    problem = notes_problem(notes)
    if problem:
        raise StoreError(f"the notes cannot be kept: {problem}")
    return typed_notes(notes)


def _is_id(text: object) -> bool:
    """Whether `text` is shaped like an assessment id; anything else (a NUL, a path) never reaches the database."""
    return isinstance(text, str) and _ID.fullmatch(text) is not None


BATCH = 500  # ids per IN (...) of a batched read: under every backend's limit on bound parameters


def _batches(assessment_ids: Iterable[str]) -> list[list[str]]:
    """The distinct well-shaped ids of `assessment_ids`, in batches of at most BATCH (anything else is dropped,
    as the single reads treat it: no such assessment)."""
    ids = sorted({found for found in assessment_ids if _is_id(found)})
    return [ids[start : start + BATCH] for start in range(0, len(ids), BATCH)]


def _escape_like(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


_now = utc_now
