"""The errors proofing reports to the person using it.

Every error a user can cause is a ``ProofingError`` and carries a message meant to be read, not a
traceback: the command line prints it and exits 1 (2 for a ``CommandError`` or a ``PlanError``: bad input), and
the pages show it in words. The rule base's own errors live here (``RuleBaseError``, one ``Problem`` per
fault with the file and line a policy officer should open); each other module defines its subclass beside
the code that raises it (``PlanError`` in proofing.plan, ``EngineError`` in proofing.engine, and so on), so
the family is read from the code, never from a list here that would go stale. The store's errors (``StoreError``,
``StaleVersionError``, ``FinalAssessmentError``) live here, so the faces catch them without importing the database.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path


class ProofingError(Exception):
    """Base of every error proofing reports in words to its user."""


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
            f"{title!r} was changed by someone else since you opened it (you opened version {expected}; it is now "
            f"at version {current}), so your change was not saved. Reload it to see their changes, or keep both."
        )


class FinalAssessmentError(StoreError):
    """A change to a final assessment: it is read-only. Nothing was written."""

    def __init__(self, assessment_id: str, title: str) -> None:
        self.assessment_id, self.title = assessment_id, title
        super().__init__(
            f"assessment {title!r} is final and cannot be changed; reopen it as a new draft to revise it, "
            "or set it back to draft"
        )
