"""Reminders: owners and approvers get e-mail when an action or a review is due soon and when it is overdue.

Each reminder is one item (an action or a review) at one stage ("due", then "overdue") to one recipient, and goes
once: the store decides who sends it (``proofing.store.reminding``: a claim in a transaction before sending, so two
app processes or two scheduled jobs on one database never both send it). The items come in as ``DueItem``s
(``proofing.reminder_sources`` turns the follow-up's due and overdue actions and reviews into them); the relay is
``proofing.mail``'s; the link in each mail is the app's public address (``PROOFING_PUBLIC_URL``) and the item's page.

An unreachable relay is reported and nothing is claimed; a message the relay refuses is marked failed and claimed
again by the next run: nothing is lost. Each mail is in the recipient's language when the store knows it (the
language they chose in the app), else English.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Sequence
from datetime import date
from email.message import EmailMessage
from email.utils import formataddr
from typing import Literal
from urllib.parse import urlsplit

from pydantic import Field

from proofing.base import Strict
from proofing.language import SOURCE, is_language, translator
from proofing.mail import MailError, MailSettings, Relay
from proofing.store import Store
from proofing.store.reminding import ReminderKey, Reminding

ItemKind = Literal["action", "review"]
Stage = Literal["due", "overdue"]
PUBLIC_URL = "PROOFING_PUBLIC_URL"


def _(text: str, /) -> str:
    """Mark an English text for the catalogue; it is worded in the recipient's language when the mail is made."""
    return text


class Recipient(Strict):
    """Who a reminder goes to: their name and e-mail address, their sign-in subject and language when known."""

    name: str = Field(min_length=1, max_length=500)
    email: str = Field(min_length=3, max_length=320, pattern=r"^[^@\s<>,;]+@[^@\s<>,;]+$")
    subject: str = ""
    language: str = SOURCE


class DueItem(Strict):
    """One action or review due soon or overdue, with those to remind and the page to link to.

    ``id`` names the item and its due date together ("12@2027-03-01"), so a due date moved later is reminded
    afresh; ``path`` is the page's path and query on the app (``/?assessment=ID``).
    """

    kind: ItemKind
    id: str = Field(min_length=1, max_length=100)
    stage: Stage
    title: str = Field(min_length=1)
    what: str = ""  # the action to be done; empty for a review
    due: date
    recipients: list[Recipient]
    path: str = Field(pattern=r"^/")


class Reminder(Strict):
    """One reminder as a run handled it (sent, or would be sent on a dry run, or failed with the relay's words)."""

    item: DueItem
    recipient: Recipient
    error: str = ""


class RunReport(Strict):
    """What a run of reminders did: sent (or, dry, would send), already sent before, failed, and unreachable."""

    dry_run: bool = False
    sent: list[Reminder] = []
    already: int = 0
    failed: list[Reminder] = []
    unreachable: str = ""  # the relay's words when it could not be reached (nothing was claimed)


def public_url(environ: dict[str, str] | None = None) -> str | None:
    """The app's public address for links in mail (``PROOFING_PUBLIC_URL``, without a trailing /), or None.

    Examples:
        >>> public_url({"PROOFING_PUBLIC_URL": "https://proofing.council.example/"})
        'https://proofing.council.example'
        >>> public_url({"PROOFING_PUBLIC_URL": "proofing.council.example"}) is None
        True
    """
    env = os.environ if environ is None else environ
    configured = env.get(PUBLIC_URL, "").strip().rstrip("/")
    parts = urlsplit(configured)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        return None
    return configured


def key_of(item: DueItem, recipient: Recipient) -> ReminderKey:
    """The reminder's key in the store: (kind, item id, stage, address)."""
    return (item.kind, item.id, item.stage, recipient.email)


_SUBJECTS: dict[tuple[str, str], str] = {
    ("action", "due"): _("Action due on {date}: {title}"),
    ("action", "overdue"): _("Action overdue since {date}: {title}"),
    ("review", "due"): _("Review due on {date}: {title}"),
    ("review", "overdue"): _("Review overdue since {date}: {title}"),
}
_LEADS: dict[tuple[str, str], str] = {
    ("action", "due"): _('An action the approved plan "{title}" commits to is due on {date}:'),
    ("action", "overdue"): _(
        'An action the approved plan "{title}" commits to was due on {date} and is not recorded as done:'
    ),
    ("review", "due"): _('The review of the approved plan "{title}" is due on {date}.'),
    ("review", "overdue"): _('The review of the approved plan "{title}" was due on {date} and has not been held.'),
}


def message(item: DueItem, recipient: Recipient, base_url: str) -> EmailMessage:
    """The reminder mail to one recipient, in their language (English when the app does not speak it)."""
    words = translator(recipient.language if is_language(recipient.language) else SOURCE)
    day = words.date(item.due)
    title = " ".join(item.title.split())[:200]
    link = base_url.rstrip("/") + item.path
    mail = EmailMessage()
    mail["To"] = formataddr((recipient.name, recipient.email))
    mail["Subject"] = words._(_SUBJECTS[(item.kind, item.stage)], date=day, title=title)
    lines = [
        words._("Dear {name},", name=recipient.name),
        "",
        words._(_LEADS[(item.kind, item.stage)], date=day, title=title),
    ]
    if item.what.strip():
        lines += ["", "    " + " ".join(item.what.split())]
    lines += [
        "",
        words._("Open it here: {link}", link=link),
        "",
        words._(
            "You get this reminder as the owner or the approver of the plan. It is sent once at this stage: "
            "once when the date is near and once when it has passed."
        ),
    ]
    mail.set_content("\n".join(lines) + "\n")
    mail["Content-Language"] = words.tag  # after set_content, which sets the Content-* headers afresh
    return mail


def with_languages(store: Store, items: Iterable[DueItem]) -> list[DueItem]:
    """The items with each recipient's language as the store knows it (the language they chose in the app)."""
    found: list[DueItem] = []
    known: dict[str, str | None] = {}
    for item in items:
        recipients = []
        for person in item.recipients:
            if person.subject and person.subject not in known:
                known[person.subject] = store.language_of(person.subject)
            language = known.get(person.subject) if person.subject else None
            recipients.append(person.model_copy(update={"language": language}) if language else person)
        found.append(item.model_copy(update={"recipients": recipients}))
    return found


def _pending(items: Sequence[DueItem]) -> list[tuple[DueItem, Recipient]]:
    """Each (item, recipient) once, even when a person is both owner and approver."""
    seen: set[ReminderKey] = set()
    found: list[tuple[DueItem, Recipient]] = []
    for item in items:
        for person in item.recipients:
            key = key_of(item, person)
            normal = (key[0], key[1], key[2], key[3].lower())
            if normal not in seen:
                seen.add(normal)
                found.append((item, person))
    return found


def send_reminders(
    store: Store,
    items: Sequence[DueItem],
    settings: MailSettings | None,
    base_url: str,
    *,
    dry_run: bool = False,
) -> RunReport:
    """Send each reminder not sent before, once, whatever other processes do at the same time.

    Dry (or with no relay, `settings` None): nothing is claimed or sent; the report lists what would be sent. Else
    the relay is reached first (unreachable: nothing claimed, the report says why); then each reminder is claimed
    in the store, handed to the relay and marked sent, or marked failed for the next run when the relay refused it.
    A relay lost halfway stops the run: what was not yet claimed is left for the next run.
    """
    reminding = Reminding(store)
    pending = _pending(with_languages(store, items))
    if dry_run or settings is None:
        would = [Reminder(item=i, recipient=r) for i, r in pending if not reminding.was_sent(key_of(i, r))]
        return RunReport(dry_run=True, sent=would, already=len(pending) - len(would))
    sent: list[Reminder] = []
    failed: list[Reminder] = []
    already = 0
    try:
        with Relay(settings) as relay:
            for item, person in pending:
                key = key_of(item, person)
                if not reminding.claim(key):
                    already += 1
                    continue
                try:
                    relay.send(message(item, person, base_url))
                except MailError as error:
                    reminding.failed(key, str(error))
                    failed.append(Reminder(item=item, recipient=person, error=str(error)))
                    continue
                reminding.sent(key)
                sent.append(Reminder(item=item, recipient=person))
    except MailError as error:
        return RunReport(sent=sent, already=already, failed=failed, unreachable=str(error))
    return RunReport(sent=sent, already=already, failed=failed)
