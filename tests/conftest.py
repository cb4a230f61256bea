"""Shared fixtures: the project's own rule base, loaded once, and the seed text it was taken from."""

from __future__ import annotations

import shutil
import subprocess
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


def tool(name: str) -> str:
    """The path of a command a test needs from LibreOffice or poppler; fails (never skips) when it is missing."""
    found = shutil.which(name)
    if found is None:
        pytest.fail(f"{name} is missing: run `bash tools/libreoffice.sh` (as root) to install LibreOffice and poppler")
    return found


def libreoffice_convert(source: Path, folder: Path, to: str) -> Path:
    """`source` converted by LibreOffice (to "pdf", or "docx:MS Word 2007 XML" to re-save it) into `folder`.

    Each conversion has a LibreOffice profile of its own, so parallel runs never clash.
    """
    subprocess.run(
        [
            tool("soffice"),
            f"-env:UserInstallation={(folder / 'profile').as_uri()}",
            "--headless",
            "--convert-to",
            to,
            "--outdir",
            str(folder),
            str(source),
        ],
        capture_output=True,
        timeout=300,
        check=True,
    )
    return folder / f"{source.stem}.{to.split(':')[0]}"
