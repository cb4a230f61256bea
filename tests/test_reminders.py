"""Reminders (issue 23) against a real SMTP server on 127.0.0.1 (aiosmtpd, started here): they arrive with the right
recipients, subject and link; a second run sends nothing new; two processes on one PostgreSQL database send each
reminder exactly once; an unreachable relay is reported and the next run sends everything; a refused message is kept
for the next run. SQLite and PostgreSQL alike where a store is involved."""

from __future__ import annotations

import email
import json
import os
import re
import socket
import subprocess
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from email import policy
from email.message import EmailMessage
from pathlib import Path
from typing import Any

import pytest
from aiosmtpd.controller import Controller
from sqlalchemy import select, update

from proofing import reminder_sources
from proofing.cli import main
from proofing.mail import MailError, MailSettings, mail_settings
from proofing.reminders import DueItem, Recipient, message, send_reminders
from proofing.store import Store
from proofing.store.reminding import ReminderSentRow, Reminding
from tests.conftest import postgres_schema

PROJECT = Path(__file__).resolve().parent.parent
BASE = "https://proofing.council.example"
SENDER = "Proofing <proofing@council.example>"
OWNER = Recipient(name="The service manager", email="manager@council.example", subject="manager-1")
APPROVER = Recipient(name="An approver", email="approver@council.example", subject="approver-1")


# --- a real SMTP server -----------------------------------------------------------------------------------------


@dataclass
class Inbox:
    """What the test SMTP server received: each message with its envelope recipients. Refuses `refuse` at RCPT."""

    refuse: set[str] = field(default_factory=set)
    received: list[tuple[tuple[str, ...], EmailMessage]] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    async def handle_RCPT(self, server: Any, session: Any, envelope: Any, address: str, options: Any) -> str:  # noqa: N802
        if address.lower() in self.refuse:
            return "550 5.1.1 No such mailbox here"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:  # noqa: N802
        parsed = email.message_from_bytes(envelope.content, policy=policy.default)
        assert isinstance(parsed, EmailMessage)
        with self.lock:
            self.received.append((tuple(envelope.rcpt_tos), parsed))
        return "250 Message accepted for delivery"

    def pairs(self) -> list[tuple[str, str]]:
        """(envelope recipient, subject) of every message received."""
        with self.lock:
            return [(to, str(mail["Subject"])) for tos, mail in self.received for to in tos]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@contextmanager
def smtp_server(port: int | None = None, inbox: Inbox | None = None) -> Iterator[tuple[Inbox, int]]:
    """An SMTP server on 127.0.0.1 (aiosmtpd, in a thread of this process), stopped afterwards."""
    inbox = inbox if inbox is not None else Inbox()
    port = port or free_port()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        yield inbox, port
    finally:
        controller.stop()


@pytest.fixture()
def relay() -> Iterator[tuple[Inbox, MailSettings]]:
    with smtp_server() as (inbox, port):
        yield inbox, MailSettings(host="127.0.0.1", port=port, sender=SENDER)


@pytest.fixture()
def store(url: str) -> Store:
    return Store(url)


def items(count: int = 1, *, on: date = date(2027, 3, 1)) -> list[DueItem]:
    """`count` actions due on `on` and as many reviews overdue since the day before, each to owner and approver."""
    found: list[DueItem] = []
    for n in range(count):
        found.append(
            DueItem(
                kind="action",
                id=f"{n + 1}@{on.isoformat()}",
                stage="due",
                title=f"Library opening hours {n + 1}",
                what="Hold a drop-in session with the Polish community association",
                due=on,
                recipients=[OWNER, APPROVER],
                path=f"/?assessment=plan{n + 1:04d}",
            )
        )
        found.append(
            DueItem(
                kind="review",
                id=f"plan{n + 1:04d}@{(on - timedelta(days=1)).isoformat()}",
                stage="overdue",
                title=f"Library opening hours {n + 1}",
                due=on - timedelta(days=1),
                recipients=[OWNER, APPROVER],
                path=f"/?assessment=plan{n + 1:04d}",
            )
        )
    return found


# --- in one process ---------------------------------------------------------------------------------------------


def test_reminders_arrive_with_the_right_recipients_subject_and_link(
    store: Store, relay: tuple[Inbox, MailSettings]
) -> None:
    inbox, settings = relay
    report = send_reminders(store, items(), settings, BASE)
    assert (len(report.sent), report.already, report.failed, report.unreachable) == (4, 0, [], "")
    assert sorted(inbox.pairs()) == [
        ("approver@council.example", "Action due on 1 March 2027: Library opening hours 1"),
        ("approver@council.example", "Review overdue since 28 February 2027: Library opening hours 1"),
        ("manager@council.example", "Action due on 1 March 2027: Library opening hours 1"),
        ("manager@council.example", "Review overdue since 28 February 2027: Library opening hours 1"),
    ]
    for tos, mail in inbox.received:
        assert mail["From"] == SENDER
        assert mail["To"].addresses[0].addr_spec == tos[0]
        body = mail.get_content()
        assert f"{BASE}/?assessment=plan0001" in body
        assert body.startswith(f"Dear {'An approver' if tos[0].startswith('approver') else 'The service manager'},")
    action = next(mail for _tos, mail in inbox.received if mail["Subject"].startswith("Action"))
    assert "Hold a drop-in session with the Polish community association" in action.get_content()


def test_running_twice_sends_nothing_new(store: Store, relay: tuple[Inbox, MailSettings]) -> None:
    inbox, settings = relay
    send_reminders(store, items(2), settings, BASE)
    again = send_reminders(store, items(2), settings, BASE)
    assert (again.sent, again.already) == ([], 8)
    assert len(inbox.received) == 8
    overdue_now = [item.model_copy(update={"stage": "overdue"}) for item in items(2) if item.kind == "action"]
    later = send_reminders(store, overdue_now, settings, BASE)  # the next stage is a reminder of its own
    assert len(later.sent) == 4 and len(inbox.received) == 12


def test_one_person_who_is_owner_and_approver_gets_one_mail(store: Store, relay: tuple[Inbox, MailSettings]) -> None:
    inbox, settings = relay
    both = APPROVER.model_copy(update={"name": "The same approver", "email": "Approver@Council.example"})
    item = items()[0].model_copy(update={"recipients": [APPROVER, both]})
    send_reminders(store, [item], settings, BASE)
    assert inbox.pairs() == [("approver@council.example", "Action due on 1 March 2027: Library opening hours 1")]


def test_the_mail_is_in_the_language_the_recipient_chose(store: Store, relay: tuple[Inbox, MailSettings]) -> None:
    inbox, settings = relay
    store.set_language("approver-1", "cy")
    send_reminders(store, items()[:1], settings, BASE)
    subjects = dict(inbox.pairs())
    assert subjects["manager@council.example"] == "Action due on 1 March 2027: Library opening hours 1"
    welsh = subjects["approver@council.example"]
    assert welsh.endswith("Library opening hours 1") and "Mawrth 2027" in welsh and "Action" not in welsh
    mail = next(mail for tos, mail in inbox.received if tos == ("approver@council.example",))
    assert mail["Content-Language"] == "cy-GB" and mail.get_content().startswith("Annwyl An approver,")


def test_an_unreachable_relay_is_reported_and_the_next_run_sends_everything(store: Store) -> None:
    port = free_port()  # nothing listens there
    settings = MailSettings(host="127.0.0.1", port=port, sender=SENDER)
    down = send_reminders(store, items(2), settings, BASE)
    assert down.sent == [] and "cannot be reached" in down.unreachable and str(port) in down.unreachable
    with store.transaction() as session:
        assert session.scalars(select(ReminderSentRow)).all() == []  # nothing claimed, so nothing lost
    with smtp_server(port) as (inbox, _port):
        up = send_reminders(store, items(2), settings, BASE)
    assert (len(up.sent), up.already, up.unreachable) == (8, 0, "")
    assert len(set(inbox.pairs())) == 8


def test_a_message_the_relay_refuses_is_kept_for_the_next_run(store: Store) -> None:
    with smtp_server(inbox=Inbox(refuse={"approver@council.example"})) as (inbox, port):
        settings = MailSettings(host="127.0.0.1", port=port, sender=SENDER)
        first = send_reminders(store, items()[:1], settings, BASE)
        assert [r.recipient.email for r in first.sent] == ["manager@council.example"]
        assert [r.recipient.email for r in first.failed] == ["approver@council.example"]
        assert "550" in first.failed[0].error
        with store.transaction() as session:
            row = session.scalars(select(ReminderSentRow).where(ReminderSentRow.state == "failed")).one()
            assert row.recipient == "approver@council.example" and "550" in row.last_error
        inbox.refuse.clear()
        second = send_reminders(store, items()[:1], settings, BASE)
    assert [r.recipient.email for r in second.sent] == ["approver@council.example"] and second.already == 1
    assert sorted(to for to, _subject in inbox.pairs()) == ["approver@council.example", "manager@council.example"]


def test_a_reminder_is_claimed_once_and_a_failed_or_abandoned_claim_again(store: Store) -> None:
    one, other = Reminding(store, "one"), Reminding(store, "other")
    key = ("action", "7@2027-03-01", "due", "Manager@Council.example")
    assert one.claim(key) and not other.claim(key)
    one.failed(key, "421 try again later")
    assert other.claim(key) and not one.claim(key)
    other.sent(key)
    assert (
        not one.claim(key)
        and not other.claim(key)
        and one.was_sent(("action", "7@2027-03-01", "due", "manager@council.example"))
    )
    abandoned = ("review", "plan0001@2027-03-01", "overdue", "approver@council.example")
    assert one.claim(abandoned) and not other.claim(abandoned)
    with store.transaction(write=True) as session:  # the process that claimed it died two hours ago
        session.execute(update(ReminderSentRow).values(claimed_at=datetime.now(UTC) - timedelta(hours=2)))
    assert other.claim(abandoned) and not one.claim(abandoned)


def test_contacts_are_kept_from_sign_in(store: Store) -> None:
    people = Reminding(store)
    people.remember_contact("manager-1", "The service manager", "manager@council.example")
    people.remember_contact("nobody-1", "No address", "")
    assert people.contacts({"manager-1", "nobody-1"}) == {
        "manager-1": ("The service manager", "manager@council.example")
    }
    people.remember_contact("manager-1", "The service manager", "service.manager@council.example")
    assert people.contacts({"manager-1"})["manager-1"][1] == "service.manager@council.example"


# --- from the follow-up's actions and reviews -------------------------------------------------------------------


@dataclass(frozen=True)
class Action:
    id: int
    assessment_id: str
    title: str
    text: str
    owner: str
    owner_subject: str
    due: date | None
    approver: str = ""
    approver_subject: str | None = None


@dataclass(frozen=True)
class Review:
    assessment_id: str
    title: str
    owner: str
    owner_subject: str
    review_date: date
    approver: str = ""
    approver_subject: str | None = None


@dataclass
class FollowUp:
    """The follow-up's two queries as reminder_sources asks them, answering with what it was given."""

    found_actions: list[Action]
    found_reviews: list[Review]
    asked: list[tuple[str, int | None, date | None]] = field(default_factory=list)

    def actions(self, *, due_within: int | None = None, on: date | None = None) -> list[Action]:
        self.asked.append(("actions", due_within, on))
        return self.found_actions

    def reviews(self, *, due_within: int | None = None, on: date | None = None) -> list[Review]:
        self.asked.append(("reviews", due_within, on))
        return self.found_reviews


def test_due_and_overdue_actions_and_reviews_become_reminders_to_owner_and_approver(store: Store) -> None:
    Reminding(store).remember_contact("manager-1", "The service manager", "manager@council.example")
    on = date(2027, 3, 1)
    follow_up = FollowUp(
        [
            Action(
                12,
                "plan0001",
                "Library hours",
                "Hold a drop-in",
                "Service manager",
                "manager-1",
                on,
                "An approver <approver@council.example>",
                "approver-1",
            ),
            Action(13, "plan0002", "Parks", "Translate the leaflet", "A colleague", "colleague-1", on - timedelta(1)),
        ],
        [Review("plan0003", "Leisure fees", "Service manager", "manager-1", on + timedelta(20), "An approver", None)],
    )
    found, missing = reminder_sources.items_from(store, follow_up, on)
    assert follow_up.asked == [("actions", reminder_sources.ACTION_DUE_DAYS, on), ("reviews", 30, on)]
    assert missing == ["A colleague", "An approver"]  # no address kept from sign-in, none in their recorded name
    assert [(i.kind, i.id, i.stage, i.path, [r.email for r in i.recipients]) for i in found] == [
        (
            "action",
            "12@2027-03-01",
            "due",
            "/actions?action=12",
            ["manager@council.example", "approver@council.example"],
        ),
        ("review", "plan0003@2027-03-21", "due", "/reviews?assessment=plan0003", ["manager@council.example"]),
    ]
    assert found[0].recipients[0].name == "The service manager" and found[0].what == "Hold a drop-in"
    overdue, _missing = reminder_sources.items_from(
        store, FollowUp([Action(14, "plan0004", "Parks", "Do it", "M", "manager-1", on - timedelta(1))], []), on
    )
    assert [(i.id, i.stage) for i in overdue] == [("14@2027-02-28", "overdue")]


# --- the relay's configuration ----------------------------------------------------------------------------------


def test_the_relay_is_configured_like_the_database() -> None:
    settings = mail_settings(
        {"PROOFING_SMTP_URL": "smtps://relay%40council:p%40ss@mail.council.example", "PROOFING_MAIL_FROM": SENDER}
    )
    assert settings is not None
    assert (settings.host, settings.port, settings.tls, settings.user, settings.password) == (
        "mail.council.example",
        465,
        True,
        "relay@council",
        "p@ss",
    )
    assert "p@ss" not in repr(settings) and "p@ss" not in settings.shown()
    plain = mail_settings({"PROOFING_SMTP_URL": "smtp://10.0.0.5?starttls=yes", "PROOFING_MAIL_FROM": SENDER})
    assert plain is not None and (plain.port, plain.starttls, plain.tls) == (25, True, False)
    assert mail_settings({"PROOFING_SMTP_URL": " "}) is None
    with pytest.raises(MailError, match="smtp://host:port"):
        mail_settings({"PROOFING_SMTP_URL": "http://relay", "PROOFING_MAIL_FROM": SENDER})
    with pytest.raises(MailError, match="PROOFING_MAIL_FROM"):
        mail_settings({"PROOFING_SMTP_URL": "smtp://relay"})


def test_a_subject_cannot_carry_a_header_of_its_own() -> None:
    item = items()[0].model_copy(update={"title": "Hours\r\nBcc: everyone@council.example"})
    mail = message(item, OWNER, BASE)
    assert "Bcc" not in mail and "\n" not in str(mail["Subject"])


# --- proofing remind --------------------------------------------------------------------------------------------


def _environment(monkeypatch: pytest.MonkeyPatch, port: int | None) -> None:
    for name in ("PROOFING_SMTP_URL", "PROOFING_MAIL_FROM", "PROOFING_PUBLIC_URL", "PROOFING_LANGUAGE"):
        monkeypatch.delenv(name, raising=False)
    if port is not None:
        monkeypatch.setenv("PROOFING_SMTP_URL", f"smtp://127.0.0.1:{port}")
        monkeypatch.setenv("PROOFING_MAIL_FROM", SENDER)
        monkeypatch.setenv("PROOFING_PUBLIC_URL", BASE + "/")


def test_remind_without_a_relay_says_so_sends_nothing_and_exits_0(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    _environment(monkeypatch, None)
    monkeypatch.setattr(reminder_sources, "SOURCES", [lambda store, on: (items(), [])])
    db = f"sqlite:///{tmp_path / 'remind.db'}"
    assert main(["remind", "--db", db]) == 0
    out = capsys.readouterr().out
    assert "No mail relay is configured (PROOFING_SMTP_URL and PROOFING_MAIL_FROM are not set)" in out
    assert "4 reminders would be sent." in out
    assert "Library opening hours 1: review overdue since 2027-02-28, to An approver <approver@council.example>" in out
    monkeypatch.setattr(reminder_sources, "SOURCES", [reminder_sources.follow_up_source])
    assert main(["remind", "--db", db]) == 0
    assert "No reminders are due." in capsys.readouterr().out


def test_remind_dry_run_lists_and_sends_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr(reminder_sources, "SOURCES", [lambda store, on: (items(), ["A colleague"])])
    db = f"sqlite:///{tmp_path / 'remind.db'}"
    with smtp_server() as (inbox, port):
        _environment(monkeypatch, port)
        assert main(["remind", "--dry-run", "--db", db]) == 0
        out = capsys.readouterr().out
        assert "4 reminders would be sent." in out and "No e-mail address is known for A colleague" in out
        assert inbox.received == []
        assert main(["remind", "--db", db]) == 0
        assert "4 reminders sent." in capsys.readouterr().out and len(inbox.received) == 4
        assert main(["remind", "--dry-run", "--db", db]) == 0
        assert "0 reminders would be sent." in capsys.readouterr().out


def test_remind_refuses_a_relay_it_cannot_use_in_words(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    db = f"sqlite:///{tmp_path / 'remind.db'}"
    _environment(monkeypatch, 2525)
    monkeypatch.delenv("PROOFING_PUBLIC_URL")
    assert main(["remind", "--db", db]) == 2
    assert "set PROOFING_PUBLIC_URL to its public address" in capsys.readouterr().err
    monkeypatch.setenv("PROOFING_SMTP_URL", "mailto:relay")
    assert main(["remind", "--db", db]) == 2
    err = capsys.readouterr().err
    assert "PROOFING_SMTP_URL must name the relay" in err and "Traceback" not in err


# --- as real processes ------------------------------------------------------------------------------------------


def _run(db: str, port: int, due: Path, *, go: Path | None = None) -> subprocess.Popen[str]:
    env = {
        **os.environ,
        "PROOFING_DB_URL": db,
        "PROOFING_SMTP_URL": f"smtp://127.0.0.1:{port}",
        "PROOFING_MAIL_FROM": SENDER,
        "PROOFING_PUBLIC_URL": BASE,
        "PROOFING_TEST_DUE_ITEMS": str(due),
    }
    env.pop("PROOFING_LANGUAGE", None)
    if go is not None:
        env["PROOFING_TEST_GO"] = str(go)
    script = str(PROJECT / "tests" / "remind_process.py")
    return subprocess.Popen(
        [sys.executable, script], env=env, cwd=PROJECT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )


def _due_file(tmp_path: Path, count: int) -> Path:
    due = tmp_path / "due.json"
    due.write_text(json.dumps([item.model_dump(mode="json") for item in items(count)]), encoding="utf-8")
    return due


def test_two_processes_on_one_postgresql_send_each_reminder_exactly_once(tmp_path: Path) -> None:
    due = _due_file(tmp_path, 30)  # 60 items, 120 reminders
    go = tmp_path / "go"
    with postgres_schema("remind") as db, smtp_server() as (inbox, port):
        Store(db)  # migrated once, before both start
        first, second = _run(db, port, due, go=go), _run(db, port, due, go=go)
        while len(list(tmp_path.glob("go.ready.*"))) < 2 and first.poll() is None and second.poll() is None:
            threading.Event().wait(0.01)
        go.touch()  # both are up: they claim and send at the same time
        outputs = [process.communicate(timeout=180) for process in (first, second)]
        assert [first.returncode, second.returncode] == [0, 0], outputs
        pairs = inbox.pairs()
        with Store(db).transaction() as session:
            states = session.scalars(select(ReminderSentRow.state)).all()
    assert len(pairs) == 120 and len(set(pairs)) == 120
    assert states == ["sent"] * 120
    sent = [int(re.search(r"(\d+) reminders? sent\.", out).group(1)) for out, _err in outputs]  # type: ignore[union-attr]
    assert sum(sent) == 120, outputs


@pytest.mark.parametrize("backend", ["sqlite", "postgresql"])
def test_remind_with_the_relay_down_exits_1_and_the_next_run_sends_everything(tmp_path: Path, backend: str) -> None:
    due = _due_file(tmp_path, 2)
    port = free_port()
    with postgres_schema("remind") if backend == "postgresql" else _sqlite(tmp_path) as db:
        down = _run(db, port, due)
        out, err = down.communicate(timeout=120)
        assert down.returncode == 1, (out, err)
        assert f"the mail relay smtp://127.0.0.1:{port} cannot be reached" in err and "Nothing was lost" in err
        assert "Traceback" not in err
        with smtp_server(port) as (inbox, _port):
            up = _run(db, port, due)
            out, err = up.communicate(timeout=120)
            assert up.returncode == 0, (out, err)
            assert "8 reminders sent." in out
            assert len(set(inbox.pairs())) == 8
            again = _run(db, port, due)
            out, err = again.communicate(timeout=120)
            assert again.returncode == 0 and "0 reminders sent." in out and "8 were sent before." in out
            assert len(inbox.received) == 8


@contextmanager
def _sqlite(tmp_path: Path) -> Iterator[str]:
    yield f"sqlite:///{tmp_path / 'remind.db'}"
