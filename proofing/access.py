"""Who may do what: the roles of the people who use proofing, and the one table that says what each may do.

Every permission check in the library and the store asks ``may(user, action, assessment)``, so the README's
role × action table, the checks and their tests are one table (``PERMISSIONS``), not three.

A service manager works on their own assessments and those shared with them; an approver (a head of service)
signs off the decision taken; a workshop facilitator runs workshops on drafts; a trainer runs training and sees a
cohort's results; a trainee (as everyone) takes training cases and sees their own; an auditor reads, verifies and
exports everything and changes nothing; an administrator assigns roles.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Literal

from pydantic import Field

from proofing import vocabulary
from proofing.base import Strict
from proofing.errors import N_, ProofingError, Term, Terms

Role = Literal["service_manager", "approver", "facilitator", "trainer", "trainee", "auditor", "administrator"]
ROLES: tuple[Role, ...] = (
    "service_manager",
    "approver",
    "facilitator",
    "trainer",
    "trainee",
    "auditor",
    "administrator",
)
ROLE_WORDS: dict[str, str] = vocabulary.ROLE_WORDS  # their one home, worded by each face through a translator

Action = Literal[
    "create",
    "read",
    "edit",
    "share",
    "submit",
    "approve",
    "reopen",
    "duplicate",
    "export",
    "verify",
    "view_audit",
    "run_workshop",
    "take_part",
    "run_training",
    "take_training",
    "assign_roles",
]
ACTION_WORDS: dict[Action, str] = {
    "create": N_("start an assessment"),
    "read": N_("open an assessment"),
    "edit": N_("change a draft"),
    "share": N_("share an assessment with a colleague"),
    "submit": N_("submit an assessment for approval"),
    "approve": N_("approve, or send back, an assessment"),
    "reopen": N_("reopen a final assessment as a new draft"),
    "duplicate": N_("duplicate an assessment as a new draft"),
    "export": N_("export the Word record"),
    "verify": N_("verify an exported record"),
    "view_audit": N_("see an assessment's audit trail"),
    "run_workshop": N_("open and run a workshop"),
    "take_part": N_("join a workshop and score its draft"),
    "run_training": N_("run training and see a cohort's results"),
    "take_training": N_("take a training case and see one's own results"),
    "assign_roles": N_("assign roles to people"),
}

# Whose assessments a role may act on: "all", "own" (created by or shared with the user), or None (never).
Reach = Literal["all", "own"] | None
PERMISSIONS: dict[Role, dict[Action, Reach]] = {
    "service_manager": {
        "create": "all",
        "read": "own",
        "edit": "own",
        "share": "own",
        "submit": "own",
        "reopen": "own",
        "duplicate": "own",
        "export": "own",
        "verify": "all",
        "view_audit": "own",
        "take_part": "all",
        "take_training": "all",
    },
    "approver": {
        "read": "all",
        "approve": "all",
        "reopen": "all",
        "export": "all",
        "verify": "all",
        "view_audit": "all",
        "take_part": "all",
        "take_training": "all",
    },
    "facilitator": {
        "read": "all",
        "export": "all",
        "verify": "all",
        "run_workshop": "all",
        "take_part": "all",
        "take_training": "all",
    },
    "trainer": {"verify": "all", "run_training": "all", "take_part": "all", "take_training": "all"},
    "trainee": {"verify": "all", "take_part": "all", "take_training": "all"},
    "auditor": {
        "read": "all",
        "export": "all",
        "verify": "all",
        "view_audit": "all",
        "take_part": "all",
        "take_training": "all",
    },
    "administrator": {
        "read": "all",
        "verify": "all",
        "view_audit": "all",
        "assign_roles": "all",
        "take_part": "all",
        "take_training": "all",
    },
}


class User(Strict):
    """A signed-in person: who they are (from the identity provider) and the roles they hold."""

    subject: str = Field(min_length=1, description="the identity provider's stable id for the person")
    name: str = Field(min_length=1)
    email: str = ""
    roles: frozenset[Role] = frozenset()

    def described(self) -> str:
        """The person as a record or an audit trail names them."""
        return f"{self.name} <{self.email}>" if self.email else self.name


class PermissionDenied(ProofingError):
    """The user's roles do not allow this action on this assessment; says so in words."""


def may(user: User, action: Action, *, owner: str | None = None, shared_with: Iterable[str] = ()) -> bool:
    """Whether the user may take `action`, on an assessment created by `owner` and shared with `shared_with`.

    Examples:
        >>> manager = User(subject="m1", name="Manager", roles=frozenset({"service_manager"}))
        >>> may(manager, "edit", owner="m1"), may(manager, "edit", owner="someone else")
        (True, False)
    """
    own = owner is None or owner == user.subject or user.subject in set(shared_with)
    for role in user.roles:
        reach = PERMISSIONS[role].get(action)
        if reach == "all" or (reach == "own" and own):
            return True
    return False


def require(user: User, action: Action, *, owner: str | None = None, shared_with: Iterable[str] = ()) -> None:
    """Raise PermissionDenied, in words, unless the user may take `action` on this assessment."""
    if not may(user, action, owner=owner, shared_with=shared_with):
        roles = Terms(Term(ROLE_WORDS[role]) for role in sorted(user.roles)) or Terms([Term(N_("no role"))])
        if owner is None or owner == user.subject:
            raise PermissionDenied(
                N_("{name} ({roles}) may not {action}."), name=user.name, roles=roles, action=Term(ACTION_WORDS[action])
            )
        raise PermissionDenied(
            N_("{name} ({roles}) may not {action} on an assessment that is not yours or shared with you."),
            name=user.name,
            roles=roles,
            action=Term(ACTION_WORDS[action]),
        )


def permissions_table() -> str:
    """The role × action table as Markdown, for the README: one row per action, one column per role."""
    header = "| action | " + " | ".join(ROLE_WORDS[role] for role in ROLES) + " |"
    lines = [header, "| --- |" + " --- |" * len(ROLES)]
    marks = {"all": "yes", "own": "own and shared", None: ""}
    for action, words in ACTION_WORDS.items():
        cells = [marks[PERMISSIONS[role].get(action)] for role in ROLES]
        lines.append(f"| {words} | " + " | ".join(cells) + " |")
    return "\n".join(lines)


LOCAL_USER = User(subject="local", name="Local user", roles=frozenset(ROLES))
"""The one user of local mode (no identity provider configured): every role, on this machine only."""
