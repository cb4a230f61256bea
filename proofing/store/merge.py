"""Two people's changes since one version, joined answer by answer (pure: no database)."""

from __future__ import annotations

from typing import Any

from proofing.decisions import DecisionNotes
from proofing.models import (
    Conflict,
    Draft,
    Merge,
    SavedVersion,
    VersionChange,
    notes_json,
)
from proofing.plan import Plan
from proofing.store.values import (
    DETAILS,
    _notes_data,
)

_ABSENT = object()


def _flat(draft: Draft) -> dict[tuple[str, ...], Any]:
    """A draft as place -> value: each detail, each answer, each field of each decision."""
    flat: dict[tuple[str, ...], Any] = {("detail", name): getattr(draft.plan, name) for name in DETAILS}
    flat |= {("answer", question): answer for question, answer in draft.plan.answers.items()}
    for key, fields in draft.decisions.items():
        flat |= {("decision", key, name): value for name, value in fields.items()}
    for kind, entries in notes_json(draft.notes).items():  # each typed field of each note, as its JSON value
        for key, fields in entries.items():
            flat |= {("note", kind, key, name): value for name, value in fields.items()}
    return flat


def merge(base: Draft, mine: Draft, theirs: Draft) -> Merge:
    """Join `mine` and `theirs`, both changed from `base`, answer by answer: nothing either side changed is lost.

    A place (a plan detail, an answer, one field of a mitigation decision) takes whichever side changed it;
    when both changed it to different values it keeps mine and is reported as a Conflict. Pure: no store.
    """
    flat_base, flat_mine, flat_theirs = _flat(base), _flat(mine), _flat(theirs)
    merged: dict[tuple[str, ...], Any] = {}
    conflicts: list[Conflict] = []
    mine_changed = theirs_changed = 0
    for place in sorted(flat_base.keys() | flat_mine.keys() | flat_theirs.keys()):
        was, ours, their = (flat.get(place, _ABSENT) for flat in (flat_base, flat_mine, flat_theirs))
        mine_changed += ours != was
        theirs_changed += their != was
        if their == was or ours == their:
            chosen = ours
        elif ours == was:
            chosen = their
        else:
            chosen = ours
            conflicts.append(
                Conflict(
                    kind=place[0],
                    key="/".join(place[1:]),
                    **{
                        name: None if value is _ABSENT else value
                        for name, value in (("base", was), ("mine", ours), ("theirs", their))
                    },
                )
            )
        if chosen is not _ABSENT:
            merged[place] = chosen
    details = {place[1]: value for place, value in merged.items() if place[0] == "detail"}
    answers = {place[1]: value for place, value in merged.items() if place[0] == "answer"}
    decisions: dict[str, dict[str, str]] = {}
    notes: dict[str, dict[str, dict[str, Any]]] = {}
    for place, value in merged.items():
        if place[0] == "decision":
            decisions.setdefault(place[1], {})[place[2]] = value
        elif place[0] == "note":
            notes.setdefault(place[1], {}).setdefault(place[2], {})[place[3]] = value
    plan = Plan.model_validate({**details, "answers": answers})
    return Merge(
        draft=Draft(plan=plan, decisions=decisions, notes=_notes_data(notes)),
        mine_changed=mine_changed,
        theirs_changed=theirs_changed,
        conflicts=conflicts,
    )


def draft_of(saved: SavedVersion) -> Draft:
    """A stored version as one side of a merge: its plan, decisions and typed notes."""
    return Draft(plan=saved.plan, decisions=saved.decisions, notes=saved.notes)


def changes_between(before: SavedVersion, after: SavedVersion) -> list[VersionChange]:
    """What changed from one version to the next, as data (ids and values; the faces word it): details, answers
    (every question whose answer differs), how many mitigation decisions changed, what a workshop agreed, dropped
    or added, and whether the other notes changed. Pure."""
    changes = [
        VersionChange(kind="detail", key=name)
        for name in DETAILS
        if getattr(before.plan, name) != getattr(after.plan, name)
    ]
    earlier, later = before.plan.answers, after.plan.answers
    changes += [
        VersionChange(kind="answer", key=question, before=earlier.get(question), after=later.get(question))
        for question in sorted(earlier.keys() | later.keys())
        if earlier.get(question) != later.get(question)
    ]
    decided = sum(before.decisions.get(key) != value for key, value in after.decisions.items())
    decided += sum(key not in after.decisions for key in before.decisions)
    if decided:
        changes.append(VersionChange(kind="decisions", count=decided))
    changes += _agreement_changes(before.notes, after.notes)
    if _without_agreement(before.notes) != _without_agreement(after.notes):
        changes.append(VersionChange(kind="notes"))
    return changes or [VersionChange(kind="nothing")]


def _without_agreement(notes: DecisionNotes) -> DecisionNotes:
    return notes.model_copy(update={"agreed": {}, "added": {}})


def _agreement_changes(earlier: DecisionNotes, later: DecisionNotes) -> list[VersionChange]:
    """What an EIA workshop changed from one version's notes to the next's, finding by finding, as data."""
    if (earlier.agreed, earlier.added) == (later.agreed, later.added):
        return []
    changes = []
    for rule, agreed in later.agreed.items():
        if earlier.agreed.get(rule) == agreed:
            continue
        if not agreed.keep:
            changes.append(VersionChange(kind="dropped", key=rule, note=agreed.note or ""))
        else:
            changes.append(VersionChange(kind="agreed", key=rule, after=agreed.model_dump(mode="json")))
    for key, added in later.added.items():
        if earlier.added.get(key) != added:
            changes.append(VersionChange(kind="added", key=key, after=added.model_dump(mode="json")))
    removed = len(set(earlier.agreed) - set(later.agreed)) + len(set(earlier.added) - set(later.added))
    if removed:
        changes.append(VersionChange(kind="agreements_removed", count=removed))
    return changes
