"""`proofing audit verify`: check the audit trail's hash chain from the command line (proofing.audit_chain).

Exit codes: 0 the trail is intact (every entry chained to the one before, and the head noted earlier, if given,
still in it); 1 an entry was changed, removed or written around the app (the first bad entry is named in words);
2 bad usage (a mistyped command, a head that is not a hash, a database that cannot be opened).
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from typing import Any

from proofing.audit_chain import HASH, verify_store
from proofing.errors import CommandError
from proofing.store import StoreError


def add_parser(commands: Any) -> None:
    """Add `audit verify [--db URL] [--expect-head HASH]` to the command line's subcommands."""
    audit = commands.add_parser("audit", help="check the audit trail: that no entry was changed or removed")
    actions = audit.add_subparsers(dest="audit_command", required=True, metavar="ACTION")
    verify = actions.add_parser("verify", help="walk the audit trail's hash chain; exit 1 at the first bad entry")
    verify.add_argument("--db", metavar="URL", help="the database (default: PROOFING_DB_URL, else data/proofing.db)")
    verify.add_argument(
        "--expect-head", metavar="HASH", help="a head this command printed earlier: it must still be in the trail"
    )


def run(arguments: argparse.Namespace, _: Callable[..., str], n_: Callable[..., str], say: Callable[..., None]) -> int:
    """Verify the trail and say what was found: 0 intact, 1 altered (the first bad entry named), 2 bad usage."""
    head = arguments.expect_head
    if head is not None and not HASH.fullmatch(head.strip().lower()):
        raise CommandError(_("--expect-head takes a hash this command printed: 64 characters, 0-9 and a-f"))
    try:
        report = verify_store(arguments.db, head.strip().lower() if head else None)
    except StoreError as error:
        raise CommandError(error.code, **error.values) from None  # worded by the face, in its language
    if not report.intact:
        say(_("The audit trail was altered: {problem}.", problem=report.problem), sys.stderr)
        return 1
    say(
        n_(
            "The audit trail is intact: {n} entry, chained to the start.",
            "The audit trail is intact: {n} entries, each chained to the one before.",
            report.entries,
        )
    )
    if report.head_entry is not None:
        say(
            _(
                "Its head is entry {entry}, hash {head}: note it elsewhere, and check later with --expect-head.",
                entry=report.head_entry,
                head=report.head,
            )
        )
    return 0
