"""Where reminders come from: the follow-up's due and overdue actions and reviews, as ``DueItem``s.

The follow-up (``proofing.store.followup.FollowUp``: the actions an approval commits to and each approved plan's
review) is read through the small interface below (``FollowUpLike``), so reminders depend on nothing of it but
these fields. An action is reminded to its owner and the plan's approver: "due" within ``ACTION_DUE_DAYS`` of
its date, "overdue" after it; a review to the plan's owner and its approver, "due" within ``REVIEW_DUE_DAYS``.
Each person's address is the one kept from their sign-in (``Reminding.contacts``), else the address in the
approver's recorded name ("Name <address>"); a person with neither is listed, for the run to report.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Sequence
from datetime import date
from email.utils import parseaddr
from typing import Protocol

from pydantic import ValidationError

from proofing.reminders import DueItem, Recipient, Stage
from proofing.store import Store
from proofing.store.reminding import Reminding

ACTION_DUE_DAYS = 7  # an action is reminded a week before its date
REVIEW_DUE_DAYS = 30  # a review, thirty days before (the follow-up lists reviews due in the next 30 days)


class ActionLike(Protocol):
    """What a reminder reads of an action (``proofing.actions.FollowUpAction``)."""

    @property
    def id(self) -> int: ...
    @property
    def assessment_id(self) -> str: ...
    @property
    def title(self) -> str: ...
    @property
    def text(self) -> str: ...
    @property
    def owner(self) -> str: ...
    @property
    def owner_subject(self) -> str: ...
    @property
    def due(self) -> date | None: ...
    @property
    def approver(self) -> str: ...
    @property
    def approver_subject(self) -> str | None: ...


class ReviewLike(Protocol):
    """What a reminder reads of a review (``proofing.actions.ReviewDue``)."""

    @property
    def assessment_id(self) -> str: ...
    @property
    def title(self) -> str: ...
    @property
    def owner(self) -> str: ...
    @property
    def owner_subject(self) -> str: ...
    @property
    def review_date(self) -> date: ...
    @property
    def approver(self) -> str: ...
    @property
    def approver_subject(self) -> str | None: ...


class FollowUpLike(Protocol):
    """The follow-up's two queries a reminder run asks (``proofing.store.followup.FollowUp``, by None: all)."""

    def actions(self, *, due_within: int | None = None, on: date | None = None) -> Sequence[ActionLike]: ...
    def reviews(self, *, due_within: int | None = None, on: date | None = None) -> Sequence[ReviewLike]: ...


def follow_up_of(store: Store) -> FollowUpLike | None:
    """The follow-up of `store` (``proofing.store.followup.FollowUp``), or None in an installation without it."""
    try:
        module = importlib.import_module("proofing.store.followup")
    except ModuleNotFoundError:
        return None
    follow_up: FollowUpLike = module.FollowUp(store)
    return follow_up


def _stage(due: date, on: date) -> Stage:
    return "overdue" if due < on else "due"


class _People:
    """Addresses by subject (kept from sign-in), fetched once per run."""

    def __init__(self, store: Store, subjects: set[str]) -> None:
        self.known = Reminding(store).contacts({s for s in subjects if s})
        self.missing: list[str] = []

    def recipient(self, subject: str | None, name: str) -> Recipient | None:
        kept = self.known.get(subject or "")
        shown, address = parseaddr(name)
        if kept is not None:
            shown, address = kept
        try:
            return Recipient(name=(shown or name or address).strip(), email=address, subject=subject or "")
        except ValidationError:
            if name.strip() and name.strip() not in self.missing:
                self.missing.append(name.strip())
            return None

    def of(self, *people: tuple[str | None, str]) -> list[Recipient]:
        found = [self.recipient(subject, name) for subject, name in people]
        return [person for person in found if person is not None]


def items_from(store: Store, follow_up: FollowUpLike, on: date) -> tuple[list[DueItem], list[str]]:
    """The reminders the follow-up's due and overdue actions and reviews call for on `on`, and the people (in
    words) no address is known for. Pure over what the follow-up and the store give back."""
    actions = [a for a in follow_up.actions(due_within=ACTION_DUE_DAYS, on=on) if a.due is not None]
    reviews = list(follow_up.reviews(due_within=REVIEW_DUE_DAYS, on=on))
    subjects = {a.owner_subject for a in actions} | {r.owner_subject for r in reviews}
    subjects |= {a.approver_subject or "" for a in actions} | {r.approver_subject or "" for r in reviews}
    people = _People(store, subjects)
    items: list[DueItem] = []
    for action in actions:
        due = action.due
        assert due is not None  # filtered above
        recipients = people.of((action.owner_subject, action.owner), (action.approver_subject, action.approver))
        if recipients:
            items.append(
                DueItem(
                    kind="action",
                    id=f"{action.id}@{due.isoformat()}",
                    stage=_stage(due, on),
                    title=action.title,
                    what=action.text,
                    due=due,
                    recipients=recipients,
                    path=f"/actions?action={action.id}",  # My actions, that action open: where progress is recorded
                )
            )
    for review in reviews:
        recipients = people.of((review.owner_subject, review.owner), (review.approver_subject, review.approver))
        if recipients:
            items.append(
                DueItem(
                    kind="review",
                    id=f"{review.assessment_id}@{review.review_date.isoformat()}",
                    stage=_stage(review.review_date, on),
                    title=review.title,
                    due=review.review_date,
                    recipients=recipients,
                    path=f"/reviews?assessment={review.assessment_id}",  # Reviews, that review open: where it is held
                )
            )
    return items, people.missing


def follow_up_source(store: Store, on: date) -> tuple[list[DueItem], list[str]]:
    """The follow-up's reminders (none in an installation without the follow-up)."""
    follow_up = follow_up_of(store)
    return ([], []) if follow_up is None else items_from(store, follow_up, on)


SOURCES: list[Callable[[Store, date], tuple[list[DueItem], list[str]]]] = [follow_up_source]
"""Where a run of ``proofing remind`` takes its items from (a council's own source may be added)."""


def due_items(store: Store, on: date) -> tuple[list[DueItem], list[str]]:
    """Every source's items due on `on`, and the people no address is known for."""
    items: list[DueItem] = []
    missing: list[str] = []
    for source in SOURCES:
        found, unaddressed = source(store, on)
        items += found
        missing += [who for who in unaddressed if who not in missing]
    return items, missing
