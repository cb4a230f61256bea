"""The errors proofing reports to the person using it.

Every error a user can cause is a ``ProofingError`` and carries a message meant to be read, not a
traceback: the command line prints it and exits 1 (2 for a ``CommandError`` or a ``PlanError``: bad input), and
the pages show it in words. The rule base's own errors live here (``RuleBaseError``, one ``Problem`` per
fault with the file and line a policy officer should open); each other module defines its subclass beside
the code that raises it (``PlanError`` in proofing.plan, ``EngineError`` in proofing.engine, and so on), so
the family is read from the code, never from a list here that would go stale. The store's errors (``StoreError``,
``StaleVersionError``, ``FinalAssessmentError``) live here, so the faces catch them without importing the database.

**Worded by the faces (issue 25).** The library says what went wrong as an id and values, never in one language: an
error raised as ``StoreError(N_("there is no assessment '{id}'"), id=...)`` keeps its ``code`` (the English
template, which is also the catalogues' msgid) and its ``values``; ``str()`` is the English, for the log and the
English command line, and a face words it in the reader's language with ``proofing.messages.worded``. A value that
is itself one of our words (a role, an action, "someone") is given as a ``Term`` and is translated too.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

_PLACEHOLDER = re.compile(r"\{([A-Za-z_][A-Za-z0-9_]*)\}")


def N_(text: str, /) -> str:  # noqa: N802 - gettext's name for a text marked where it is defined
    """Mark an English text for the catalogues where an error is raised; a face translates it (proofing.messages)."""
    return text


class Term(str):
    """A value of an error that is one of our own words (a role, an action): a face translates it too."""

    __slots__ = ()


class Terms(tuple[str, ...]):
    """Several of our own words given as one value, said as a list ("Approver, Auditor"): each is translated."""

    def __str__(self) -> str:
        return ", ".join(self)


def fill(template: str, values: dict[str, Any]) -> str:
    """`template` with its ``{placeholders}`` filled from `values` (one it is not given stays as written).

    Examples:
        >>> fill("there is no action {id}", {"id": 7})
        'there is no action 7'
    """
    if not values:
        return template
    return _PLACEHOLDER.sub(lambda found: str(values.get(found.group(1), found.group(0))), template)


class ProofingError(Exception):
    """Base of every error proofing reports in words to its user: a ``code`` (the English template, the catalogues'
    msgid) and ``values``, worded by a face in its reader's language (proofing.messages); ``str()`` is the English."""

    def __init__(self, message: str = "", /, **values: Any) -> None:
        self.code = message
        self.values = values
        super().__init__(fill(message, values))


class CommandError(ProofingError):
    """A command that cannot be carried out as typed (an output path that cannot be written, say)."""


@dataclass(frozen=True, order=True)
class Problem:
    """One fault in one rule file, at one line."""

    file: Path
    line: int
    message: str

    def __str__(self) -> str:
        return f"{display_path(self.file)}:{self.line}: {self.message}"


class RuleBaseError(ProofingError):
    """The rule base cannot be used: it lists every fault found, each with file and line."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = sorted(problems)
        super().__init__("\n".join(str(problem) for problem in self.problems))


def display_path(path: Path) -> str:
    """Show a path relative to the working directory when it lies below it, as editors expect.

    Examples:
        >>> display_path(Path.cwd() / "rules" / "x.yaml")
        'rules/x.yaml'
    """
    try:
        return str(path.resolve().relative_to(Path.cwd().resolve()))
    except (ValueError, OSError, RuntimeError):  # outside the working directory, or a symlink loop
        return str(path)


class StoreError(ProofingError):
    """The assessment store cannot do what was asked: a bad URL, an unreachable database, an unknown assessment."""


class StaleVersionError(StoreError):
    """A save based on a version that is no longer the latest: someone else saved in between.

    Nothing was written. ``expected`` is the version the refused save was based on, ``current`` the latest.
    """

    def __init__(self, assessment_id: str, title: str, expected: int, current: int) -> None:
        self.assessment_id, self.title, self.expected, self.current = assessment_id, title, expected, current
        super().__init__(
            N_(
                "'{title}' was changed by someone else since you opened it (you opened version {expected}; it is now "
                "at version {current}), so your change was not saved. Reload it to see their changes, or keep both."
            ),
            title=title,
            expected=expected,
            current=current,
        )


class FinalAssessmentError(StoreError):
    """A change to a final assessment: it is read-only. Nothing was written."""

    def __init__(self, assessment_id: str, title: str) -> None:
        self.assessment_id, self.title = assessment_id, title
        super().__init__(
            N_(
                "assessment '{title}' is final and cannot be changed; reopen it as a new draft to revise it, "
                "or set it back to draft"
            ),
            title=title,
        )
