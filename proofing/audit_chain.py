"""The audit trail as a hash chain: any rewrite, deletion or gap is found, even one made by the database's owner.

Each entry carries the hash of the entry before it (``prev_hash``; the first carries ``GENESIS``) and its own
``hash``: the SHA-256 of its canonical JSON (``canonical``: the previous hash, when, who, what, the assessment,
the version and the detail, with sorted keys). The store seals every entry as it is appended (``seal``, in the
same transaction; on PostgreSQL an advisory lock makes appends one at a time, so the chain never forks), and
migration 0009 back-filled the entries written before.

``verify_chain`` walks the entries in order and names the first that does not hold: one changed after it was
written (its hash no longer matches its content), one whose predecessor is missing or was changed (it does not
carry the hash of the entry before it), or one written around the app (it carries no hash). Someone who can
write to the database could rewrite an entry and every hash after it; ``verify_chain`` also reports the latest
entry's hash (the *head*), which, noted somewhere the database's owner cannot reach, catches that too
(``expect_head``).

The database refuses changes as well (migrations 0003 and 0009): UPDATE, DELETE and (PostgreSQL) TRUNCATE of
``audit_entries`` by trigger, an INSERT over an existing entry's id (SQLite's INSERT OR REPLACE) by a BEFORE
INSERT guard, and on PostgreSQL the app connects as a role that owns nothing and may only read and append
(``app_role_grants``), so it cannot drop or disable the triggers either.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Iterable
from datetime import UTC, datetime
from typing import Any, Protocol

from pydantic import BaseModel, ConfigDict
from sqlalchemy import select, text
from sqlalchemy.orm import Session

GENESIS = "0" * 64  # what the first entry carries as the hash before it
HASH = re.compile(r"[0-9a-f]{64}")
CHAIN_LOCK = 0x617564697463  # the PostgreSQL advisory lock that makes appends to the trail one at a time
_ROLE = re.compile(r"[a-z_][a-z0-9_]{0,62}")


class Entry(Protocol):
    """What the chain reads of an audit entry (proofing.store.AuditRow has these)."""

    id: Any
    at: datetime
    subject: str
    who: str
    action: str
    assessment_id: str | None
    version: int | None
    detail: str
    prev_hash: str | None
    hash: str | None


def canonical(prev_hash: str, entry: Entry) -> str:
    """An entry as the text its hash is taken of: canonical JSON of the previous hash and the entry's content.

    The time is UTC to the microsecond, as both databases keep it; keys sorted, no spaces, UTF-8.
    """
    content = {
        "prev": prev_hash,
        "at": entry.at.astimezone(UTC).isoformat(timespec="microseconds"),
        "subject": entry.subject,
        "who": entry.who,
        "action": entry.action,
        "assessment_id": entry.assessment_id,
        "version": entry.version,
        "detail": entry.detail,
    }
    return json.dumps(content, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def entry_hash(prev_hash: str, entry: Entry) -> str:
    """The hash an entry carries: SHA-256 of its canonical JSON, which includes the hash before it."""
    return hashlib.sha256(canonical(prev_hash, entry).encode("utf-8")).hexdigest()


def seal(session: Session, entry: Entry) -> None:
    """Chain a new entry (not yet added) to the latest one, in the caller's transaction.

    On PostgreSQL, takes a transaction-scoped advisory lock (held until the transaction ends), so two appends never
    chain to the same entry; on SQLite every write transaction is already one at a time (BEGIN IMMEDIATE).
    """
    session.flush()  # the transaction's own changes first (their row locks before the chain's lock), and its entries
    if session.get_bind().dialect.name == "postgresql":
        session.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": CHAIN_LOCK})
    table: Any = type(entry)  # the entry's ORM class (proofing.store.AuditRow): its attributes are columns
    latest = session.scalars(select(table.hash).order_by(table.id.desc()).limit(1)).first()
    entry.prev_hash = latest or GENESIS
    entry.hash = entry_hash(entry.prev_hash, entry)


class ChainReport(BaseModel):
    """What verify_chain found: whether the trail holds, how many entries it read, the head, the first fault."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    intact: bool
    entries: int
    head: str  # the latest entry's hash (GENESIS for an empty trail)
    head_entry: int | None = None  # the latest entry's number
    problem: str = ""  # the first bad entry, in words


def describe(entry: Entry) -> str:
    """An entry as a person names it: its number, what, who and when."""
    when = entry.at.astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S UTC")
    return f"entry {entry.id} ({entry.action!r} by {entry.who} on {when})"


def verify_chain(entries: Iterable[Entry], expect_head: str | None = None) -> ChainReport:
    """Walk the entries, oldest first, and report the first that breaks the chain, in words.

    `expect_head` is a head noted earlier (a hash this trail reported): it must still be in the chain, else the
    trail was cut or rewritten after it.
    """
    previous: Entry | None = None
    prev_hash = GENESIS
    count = 0
    seen_head = expect_head is None
    for entry in entries:
        count += 1
        if entry.hash is None or entry.prev_hash is None:
            problem = f"{describe(entry)} carries no hash: it was written around the app, not by it"
            return ChainReport(intact=False, entries=count, head=prev_hash, problem=problem)
        if entry.prev_hash != prev_hash:
            after = f"after {describe(previous)}" if previous is not None else "at the start of the trail"
            problem = (
                f"{describe(entry)} does not carry the hash of the entry before it: an entry {after} was removed, "
                "or the entry before it was changed"
            )
            return ChainReport(intact=False, entries=count, head=prev_hash, problem=problem)
        if entry_hash(prev_hash, entry) != entry.hash:
            problem = f"{describe(entry)} was changed after it was written: its content no longer matches its hash"
            return ChainReport(intact=False, entries=count, head=prev_hash, problem=problem)
        prev_hash, previous = entry.hash, entry
        seen_head = seen_head or entry.hash == expect_head
    if not seen_head:
        problem = (
            "no entry carries the head you noted earlier: the trail was cut or rewritten after it "
            f"(the latest entry now is {describe(previous) if previous is not None else 'none: the trail is empty'})"
        )
        return ChainReport(intact=False, entries=count, head=prev_hash, problem=problem)
    return ChainReport(
        intact=True, entries=count, head=prev_hash, head_entry=previous.id if previous is not None else None
    )


def verify_store(url: str | None = None, expect_head: str | None = None) -> ChainReport:
    """Verify the audit trail of the store at `url` (default: the app's database), reading every entry in order."""
    from proofing.store import AuditRow, Store  # the store imports this module: imported here, when verifying

    store = Store(url)
    with store.reading() as session:
        return verify_chain(session.scalars(select(AuditRow).order_by(AuditRow.id)), expect_head)


def app_role_grants(role: str, schema: str) -> list[str]:
    """The SQL an owner runs on PostgreSQL so the app's role (which owns nothing) may do its work and no more.

    Every table: read, add, change and remove rows; the audit trail: read and append only; the migrations'
    bookkeeping: read only; sequences: use. Run after every upgrade (new tables need their grants).
    """
    if not _ROLE.fullmatch(role) or not _ROLE.fullmatch(schema):
        raise ValueError("a role or schema name is lower-case letters, digits and underscores, starting with a letter")
    return [
        f'GRANT USAGE ON SCHEMA "{schema}" TO "{role}"',
        f'GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA "{schema}" TO "{role}"',
        f'REVOKE ALL ON "{schema}".alembic_version FROM "{role}"',
        f'GRANT SELECT ON "{schema}".alembic_version TO "{role}"',
        f'REVOKE ALL ON "{schema}".audit_entries FROM "{role}"',
        f'GRANT SELECT, INSERT ON "{schema}".audit_entries TO "{role}"',
        f'GRANT USAGE ON ALL SEQUENCES IN SCHEMA "{schema}" TO "{role}"',
    ]
