"""`proofing remind [--dry-run]`: e-mail owners and approvers the actions and reviews due soon and overdue, for a
scheduled job (cron, a systemd timer), on the database ``PROOFING_DB_URL`` names (or ``--db``) through the relay
``PROOFING_SMTP_URL`` names, with links to ``PROOFING_PUBLIC_URL``.

Each reminder goes once, however often the job runs and however many run at once (proofing.reminders). Exit codes:
0 done (nothing to send, or no relay configured: it says so); 1 the relay could not be reached or refused a
message (reported; the next run sends what was not sent); 2 bad usage or configuration, or a database that cannot
be opened.
"""

from __future__ import annotations

import argparse
import sys
from datetime import UTC, datetime
from typing import Any

from proofing.cli_text import _, _say, n_
from proofing.errors import CommandError
from proofing.mail import MAIL_FROM, SMTP_URL, MailError, mail_settings
from proofing.reminder_sources import due_items
from proofing.reminders import PUBLIC_URL, Reminder, RunReport, public_url, send_reminders
from proofing.store import Store, StoreError


def add_parser(commands: Any) -> None:
    """Add `remind [--dry-run] [--db URL]` to the subcommands."""
    remind = commands.add_parser("remind", help="e-mail the actions and reviews due soon and overdue (once each)")
    remind.add_argument("--dry-run", action="store_true", help="list the reminders a run would send; send nothing")
    remind.add_argument("--db", metavar="URL", help="the database (default: PROOFING_DB_URL, else data/proofing.db)")


def _line(reminder: Reminder) -> str:
    """One reminder as a line: the plan, what and when, and to whom."""
    item, person = reminder.item, reminder.recipient
    values = {"plan": item.title, "date": item.due.isoformat(), "name": person.name, "email": person.email}
    if item.kind == "action":
        if item.stage == "due":
            return _("{plan}: action due on {date}, to {name} <{email}>", **values)
        return _("{plan}: action overdue since {date}, to {name} <{email}>", **values)
    if item.stage == "due":
        return _("{plan}: review due on {date}, to {name} <{email}>", **values)
    return _("{plan}: review overdue since {date}, to {name} <{email}>", **values)


def _report(report: RunReport) -> int:
    for reminder in report.sent:
        _say("  " + _line(reminder))
    for reminder in report.failed:
        _say(_("Not sent, kept for the next run: {line}: {error}", line=_line(reminder), error=reminder.error))
    if not (report.sent or report.failed or report.already or report.unreachable):
        _say(_("No reminders are due."))
        return 0
    if report.dry_run:
        _say(n_("{n} reminder would be sent.", "{n} reminders would be sent.", len(report.sent)))
    else:
        _say(n_("{n} reminder sent.", "{n} reminders sent.", len(report.sent)))
    if report.already:
        _say(n_("{n} was sent before.", "{n} were sent before.", report.already))
    if report.unreachable:
        _say(_("proofing: {error}. Nothing was lost: the next run sends it.", error=report.unreachable), sys.stderr)
        return 1
    return 1 if report.failed else 0


def remind_command(arguments: argparse.Namespace) -> int:
    """Send (or, --dry-run, list) the reminders due today that no run has sent yet."""
    try:
        settings = mail_settings()
    except MailError as error:
        raise CommandError(str(error)) from None
    base = public_url()
    if settings is not None and base is None and not arguments.dry_run:
        raise CommandError(
            _(
                "reminders link to the app's pages: set {name} to its public address, such as https://proofing.example",
                name=PUBLIC_URL,
            )
        )
    try:
        store = Store(arguments.db)
        items, unaddressed = due_items(store, datetime.now(UTC).date())
    except StoreError as error:
        raise CommandError(error.code, **error.values) from None  # worded by the face, in its language
    for who in unaddressed:
        _say(_("No e-mail address is known for {name}: they are reminded once they have signed in.", name=who))
    if settings is None and not arguments.dry_run:
        _say(
            _(
                "No mail relay is configured ({smtp} and {sender} are not set): no reminders are sent.",
                smtp=SMTP_URL,
                sender=MAIL_FROM,
            )
        )
        arguments.dry_run = True
    try:
        report = send_reminders(store, items, settings, base or "", dry_run=arguments.dry_run)
    except StoreError as error:
        raise CommandError(error.code, **error.values) from None  # worded by the face, in its language
    return _report(report)
