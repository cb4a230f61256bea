"""`proofing actions` and `proofing reviews`: the actions approvals committed to and the reviews of approved plans,
listed from the database ``PROOFING_DB_URL`` names (or ``--db``), for a person or a scheduled job.

Exit codes: 0 listed (an empty list, or a new empty database, is not an error); 2 bad usage or a database that cannot
be opened. Each line says the plan, what is to be done, who owns it and when it is due, and marks an overdue one.
"""

from __future__ import annotations

import argparse
from datetime import date
from typing import Any

from proofing.actions import ACTION_STATUS_WORDS, FollowUpAction, ReviewDue
from proofing.cli_text import _, _say, current, n_
from proofing.errors import CommandError
from proofing.review import DUE_WINDOW_DAYS
from proofing.store import Store, StoreError
from proofing.store.followup import FollowUp, today


def add_parsers(commands: Any) -> None:
    """Add `actions [--due | --overdue] [--mine SUBJECT]` and `reviews [--due | --overdue]` to the subcommands."""
    actions = commands.add_parser("actions", help="list the actions approved plans committed to")
    when = actions.add_mutually_exclusive_group()
    when.add_argument("--due", action="store_true", help=f"open actions due in the next {DUE_WINDOW_DAYS} days")
    when.add_argument("--overdue", action="store_true", help="open actions past their due date")
    actions.add_argument("--mine", metavar="SUBJECT", help="only the actions this sign-in identity owns")
    actions.add_argument("--db", metavar="URL", help="the database (default: PROOFING_DB_URL, else data/proofing.db)")
    reviews = commands.add_parser("reviews", help="list the reviews of approved plans")
    due = reviews.add_mutually_exclusive_group()
    due.add_argument("--due", action="store_true", help=f"reviews due in the next {DUE_WINDOW_DAYS} days")
    due.add_argument("--overdue", action="store_true", help="reviews past their date")
    reviews.add_argument("--db", metavar="URL", help="the database (default: PROOFING_DB_URL, else data/proofing.db)")


def _follow_up(arguments: argparse.Namespace) -> FollowUp:
    try:
        return FollowUp(Store(arguments.db))
    except StoreError as error:
        raise CommandError(error.code, **error.values) from None  # worded by the face, in its language


def _date(value: object) -> str:
    return current().date(value) if isinstance(value, date) else _("no date")


def action_line(action: FollowUpAction) -> str:
    """One action as a line: the plan, what is to be done, its owner, status and due date (overdue marked)."""
    status = _(ACTION_STATUS_WORDS[action.status])
    late = _(" (overdue)") if action.overdue(today()) else ""
    return _(
        "{plan}: {text} | owner {owner} | {status} | due {due}{late}",
        plan=action.title,
        text=" ".join(action.text.split())[:160],
        owner=action.owner,
        status=status,
        due=_date(action.due),
        late=late,
    )


def review_line(review: ReviewDue) -> str:
    """One review as a line: the plan, its owner, approver and date (overdue marked)."""
    late = _(" (overdue)") if review.overdue(today()) else ""
    return _(
        "{plan} (version {version}): review {due}{late} | owner {owner} | approved by {approver}",
        plan=review.title,
        version=review.version,
        due=_date(review.review_date),
        late=late,
        owner=review.owner,
        approver=review.approver,
    )


def actions_command(arguments: argparse.Namespace) -> int:
    """List actions: all open ones, those due soon (overdue included), or overdue ones; one owner's with --mine."""
    try:
        found = _follow_up(arguments).actions(
            owner_subject=arguments.mine,
            due_within=DUE_WINDOW_DAYS if arguments.due else None,
            overdue=arguments.overdue,
            open_only=True,
        )
    except StoreError as error:
        raise CommandError(error.code, **error.values) from None  # worded by the face, in its language
    if not found:
        _say(_("No actions to list."))
        return 0
    for action in found:
        _say(action_line(action))
    _say(n_("{n} action.", "{n} actions.", len(found)))
    return 0


def reviews_command(arguments: argparse.Namespace) -> int:
    """List the open reviews: all, those due soon (overdue included), or overdue ones."""
    try:
        found = _follow_up(arguments).reviews(
            due_within=DUE_WINDOW_DAYS if arguments.due else None, overdue=arguments.overdue
        )
    except StoreError as error:
        raise CommandError(error.code, **error.values) from None  # worded by the face, in its language
    if not found:
        _say(_("No reviews to list."))
        return 0
    for review in found:
        _say(review_line(review))
    _say(n_("{n} review.", "{n} reviews.", len(found)))
    return 0
