"""The role × action table: every cell, for an assessment of one's own and of someone else."""

from __future__ import annotations

import pytest

from proofing.access import ACTION_WORDS, ROLES, PermissionDenied, User, may, permissions_table, require

# The table as the README gives it: per role, what it may do to its own (or shared) assessments and to anyone's.
EXPECTED = {
    "service_manager": {
        "own": {
            "create",
            "read",
            "edit",
            "share",
            "submit",
            "reopen",
            "duplicate",
            "export",
            "verify",
            "view_audit",
            "take_part",
            "take_training",
        },
        "other": {"create", "verify", "take_part", "take_training"},
    },
    "approver": {"own": {"read", "approve", "reopen", "export", "verify", "view_audit", "take_part", "take_training"}},
    "facilitator": {"own": {"read", "export", "verify", "run_workshop", "take_part", "take_training"}},
    "trainer": {"own": {"verify", "run_training", "take_part", "take_training"}},
    "trainee": {"own": {"verify", "take_part", "take_training"}},
    "auditor": {"own": {"read", "export", "verify", "view_audit", "take_part", "take_training"}},
    "administrator": {"own": {"read", "verify", "view_audit", "assign_roles", "take_part", "take_training"}},
}


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("action", list(ACTION_WORDS))
@pytest.mark.parametrize("whose", ["own", "other"])
def test_every_cell_of_the_table(role: str, action: str, whose: str) -> None:
    user = User(subject="u1", name="A person", roles=frozenset({role}))  # type: ignore[arg-type]
    owner = "u1" if whose == "own" else "u2"
    expected = EXPECTED[role].get(whose, EXPECTED[role]["own"])
    assert may(user, action, owner=owner) is (action in expected)  # type: ignore[arg-type]


def test_shared_with_counts_as_ones_own() -> None:
    manager = User(subject="m2", name="Second manager", roles=frozenset({"service_manager"}))
    assert may(manager, "edit", owner="m1", shared_with=["m2"])
    assert not may(manager, "edit", owner="m1", shared_with=["m3"])


def test_an_auditor_changes_nothing_and_is_told_so_in_words() -> None:
    auditor = User(subject="a1", name="Internal Auditor", roles=frozenset({"auditor"}))
    for action in ("create", "edit", "share", "submit", "approve", "reopen", "duplicate", "assign_roles"):
        with pytest.raises(PermissionDenied, match="Internal Auditor \\(Auditor\\) may not"):
            require(auditor, action, owner="m1")  # type: ignore[arg-type]


def test_roles_combine() -> None:
    both = User(subject="b1", name="Manager and approver", roles=frozenset({"service_manager", "approver"}))
    assert may(both, "approve", owner="someone") and may(both, "edit", owner="b1")
    assert not may(both, "edit", owner="someone")


def test_the_table_lists_every_action_and_role() -> None:
    table = permissions_table()
    assert table.count("\n") == len(ACTION_WORDS) + 1
    for words in ACTION_WORDS.values():
        assert f"| {words} |" in table


def test_the_readmes_table_is_the_one_the_checks_read() -> None:
    from pathlib import Path

    readme = (Path(__file__).resolve().parent.parent / "README.md").read_text(encoding="utf-8")
    assert permissions_table() in readme
