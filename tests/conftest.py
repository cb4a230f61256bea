"""Shared fixtures: the project's own rule base, loaded once, and the seed text it was taken from."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from proofing.knowledge import DEFAULT_RULES_DIR, KnowledgeBase, load_knowledge

PROJECT = Path(__file__).resolve().parent.parent
SOURCES = PROJECT / "sources"


@pytest.fixture(scope="session")
def kb() -> KnowledgeBase:
    return load_knowledge(DEFAULT_RULES_DIR)


@pytest.fixture(scope="session")
def strategy_text() -> str:
    return (SOURCES / "one-wrexham-strategy-2007.txt").read_text(encoding="utf-8")


@pytest.fixture()
def rules_copy(tmp_path: Path) -> Path:
    """A private copy of the rule base that a test may break."""
    target = tmp_path / "rules"
    shutil.copytree(DEFAULT_RULES_DIR, target)
    return target
