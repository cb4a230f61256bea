"""`proofing roles grant|revoke SUBJECT ROLE` and `proofing roles list`: the roles assigned in the app, from the
command line, so that a council whose identity provider sends no groups can make its first administrator.

A subject is the identity provider's stable id for a person (the ``sub`` claim): the app shows it to a signed-in
person under "Signed in as" (README, "The first administrator"). Every change is in the audit trail, done by
"command line" (``COMMAND_LINE``). Roles that the identity provider's claim gives are not listed or changed here.

Exit codes: 0 done (also when nothing needed changing, said so); 2 bad usage: a role proofing does not have, a
subject that cannot be one, or a database that cannot be opened.
"""

from __future__ import annotations

import argparse
from typing import Any

from proofing.access import ROLES, Role, User
from proofing.cli_text import _, _say, current
from proofing.errors import CommandError
from proofing.store import Store, StoreError
from proofing.vocabulary import ROLE_WORDS

COMMAND_LINE = User(subject="command-line", name="command line", roles=frozenset({"administrator"}))
"""Who the audit trail says assigned a role from the command line: whoever can run it on the server can."""


def add_parser(commands: Any) -> None:
    """Add `roles grant|revoke SUBJECT ROLE [--db URL]` and `roles list [--db URL]` to the subcommands."""
    roles = commands.add_parser("roles", help="assign roles in the app: make the first administrator")
    actions = roles.add_subparsers(dest="roles_command", required=True, metavar="ACTION")
    parsers = [actions.add_parser("list", help="every person with roles assigned in the app")]
    for name, words in (("grant", "give SUBJECT the role ROLE"), ("revoke", "take the role ROLE from SUBJECT")):
        action = actions.add_parser(name, help=words)
        action.add_argument("subject", metavar="SUBJECT", help="the person's sign-in identity (the provider's sub)")
        action.add_argument("role", metavar="ROLE", help=f"one of: {', '.join(ROLES)}")
        parsers.append(action)
    for action in parsers:
        action.add_argument(
            "--db", metavar="URL", help="the database (default: PROOFING_DB_URL, else data/proofing.db)"
        )


def _role_words(role: str) -> str:
    return f"{current()._(ROLE_WORDS[role])} ({role})"


def _role(name: str) -> Role:
    """`name` as a role, or CommandError naming the roles there are."""
    cleaned = name.strip().lower().replace("-", "_").replace(" ", "_")
    if cleaned not in ROLES:
        raise CommandError(
            _(
                '"{name}" is not a role in proofing. The roles are: {roles}.',
                name=name,
                roles=", ".join(_role_words(role) for role in ROLES),
            )
        )
    return ROLES[ROLES.index(cleaned)]


def roles_command(arguments: argparse.Namespace) -> int:
    """Grant, revoke or list the roles assigned in the app; each change audited as done by "command line"."""
    role = _role(arguments.role) if arguments.roles_command in ("grant", "revoke") else None
    try:
        store = Store(arguments.db)
        if arguments.roles_command == "list":
            return _list(store)
        subject = str(arguments.subject).strip()
        held = set(store.assigned_roles(subject))
        assert role is not None
        if arguments.roles_command == "grant":
            if role in held:
                _say(_("{subject} already holds {role}; nothing changed.", subject=subject, role=_role_words(role)))
                return 0
            store.set_roles(subject, held | {role}, by=COMMAND_LINE)
            _say(_("{subject} now holds {role}.", subject=subject, role=_role_words(role)))
            return 0
        if role not in held:
            _say(
                _(
                    "{subject} holds no {role} assigned in the app; nothing changed. (A role the identity provider "
                    "gives is changed there.)",
                    subject=subject,
                    role=_role_words(role),
                )
            )
            return 0
        store.set_roles(subject, held - {role}, by=COMMAND_LINE)
        _say(_("{subject} no longer holds {role}.", subject=subject, role=_role_words(role)))
        return 0
    except StoreError as error:
        raise CommandError(error.code, **error.values) from None  # worded by the face, in its language


def _list(store: Store) -> int:
    assigned = store.role_assignments()
    if not assigned:
        _say(_("No roles have been assigned in the app yet."))
        return 0
    for subject, roles in assigned.items():
        _say(f"{subject}: " + ", ".join(_role_words(role) for role in ROLES if role in roles))
    return 0
