"""The shape of the code: import-linter's contracts in pyproject.toml hold, and they fail when broken.

``make lint`` runs ``lint-imports``; these tests show the contracts are not decoration: a page that imports the
engine, or a knowledge base that imports the assessment, breaks them. They also hold the two things the contracts
cannot see: app.py (a module, which import-linter does not take as a root) and the effects check, which names its
FILE:LINE from what the loader kept instead of reading the rule files again.
"""

from __future__ import annotations

import ast
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from proofing.checks import effect_faults
from proofing.knowledge import load_knowledge
from tests.test_impact import remove_an_effect

ROOT = Path(__file__).resolve().parent.parent
LINT_IMPORTS = Path(sys.executable).parent / "lint-imports"


def _lint(where: Path) -> subprocess.CompletedProcess[str]:
    """`lint-imports` run in a folder, on the packages and pyproject.toml found there."""
    return subprocess.run(
        [str(LINT_IMPORTS), "--no-cache"], cwd=where, capture_output=True, text=True, timeout=120, check=False
    )


@pytest.fixture
def tree(tmp_path: Path) -> Path:
    """A copy of the library, the pages and pyproject.toml that a test may break."""
    target = tmp_path / "tree"
    ignore = shutil.ignore_patterns("__pycache__", "locale", "migrations")
    for package in ("proofing", "views"):
        shutil.copytree(ROOT / package, target / package, ignore=ignore)
    shutil.copy(ROOT / "pyproject.toml", target / "pyproject.toml")
    return target


def _add_import(module: Path, line: str) -> None:
    """Put an import at the end of a module's imports (after `from __future__`, before its code)."""
    text = module.read_text(encoding="utf-8")
    tree = ast.parse(text)
    last = max(node.end_lineno or 0 for node in tree.body if isinstance(node, ast.Import | ast.ImportFrom))
    lines = text.splitlines(keepends=True)
    module.write_text("".join(lines[:last]) + line + "\n" + "".join(lines[last:]), encoding="utf-8")


def test_the_contracts_hold_on_the_code_as_it_is() -> None:
    result = _lint(ROOT)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "BROKEN" not in result.stdout
    assert result.stdout.count("KEPT") == 5


def test_the_copy_the_other_tests_break_holds_too(tree: Path) -> None:
    result = _lint(tree)
    assert result.returncode == 0, result.stdout + result.stderr


def test_a_page_that_imports_the_engine_breaks_a_contract(tree: Path) -> None:
    _add_import(tree / "views" / "results.py", "from proofing.engine import evaluate  # noqa: F401")
    result = _lint(tree)
    assert result.returncode == 1, result.stdout + result.stderr
    assert "Pages call the library, never the engine BROKEN" in result.stdout
    assert "views.results -> proofing.engine" in result.stdout


def test_the_knowledge_base_that_imports_the_assessment_breaks_the_layers(tree: Path) -> None:
    _add_import(tree / "proofing" / "knowledge.py", "import proofing.assessment  # noqa: F401")
    result = _lint(tree)
    assert result.returncode == 1, result.stdout + result.stderr
    assert "The library's layers: faces -> service -> assessment -> engine -> knowledge BROKEN" in result.stdout
    assert "No import circle between the library's modules BROKEN" in result.stdout


def test_app_imports_neither_the_engine_nor_the_assessment() -> None:
    tree = ast.parse((ROOT / "app.py").read_text(encoding="utf-8"))
    imported = {alias.name for node in ast.walk(tree) if isinstance(node, ast.Import) for alias in node.names}
    imported |= {node.module or "" for node in ast.walk(tree) if isinstance(node, ast.ImportFrom)}
    assert imported, "app.py imports nothing?"
    assert not {name for name in imported if name.startswith(("proofing.engine", "proofing.assessment"))}


def _line_of(path: Path, words: str) -> int:
    """The 1-based line of the first line of a file containing these words."""
    return next(n for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1) if words in line)


def test_an_effect_fault_names_its_mitigations_line_without_reading_the_rules_again(
    rules_copy: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    access = remove_an_effect(rules_copy)
    kb = load_knowledge(rules_copy)

    def refused(*_args: object, **_kwargs: object) -> str:
        raise AssertionError("the effects check read a rule file again")

    monkeypatch.setattr(Path, "read_text", refused)
    monkeypatch.setattr(Path, "open", refused)
    faults = effect_faults(kb)
    monkeypatch.undo()
    assert len(faults) == 1
    (fault,) = faults
    assert fault.file == access
    # The mitigation's own item (it has no effect key any more): the `- text:` line above its words.
    assert fault.line == _line_of(access, "Offer home visits, or a regular outreach session") - 1
    assert "access_travel_no_public_transport" in fault.message and "mitigation 2" in fault.message


def test_an_effect_that_lowers_nothing_is_placed_at_its_effect_key(rules_copy: Path) -> None:
    access = rules_copy / "impacts" / "access.yaml"
    text = access.read_text(encoding="utf-8")
    before = "            lowers: likelihood\n            by: 2\n            reason: people who cannot make the journey"
    assert text.count(before) == 1
    access.write_text(text.replace(before, before.replace("by: 2", "to: 5")), encoding="utf-8")
    faults = effect_faults(load_knowledge(rules_copy))
    assert len(faults) == 1
    assert "access_travel_no_public_transport, mitigation 2" in faults[0].message
    assert "lowers likelihood to 5, but the finding's likelihood is already" in faults[0].message
    words = _line_of(access, "Offer home visits, or a regular outreach session")
    assert faults[0].line == next(
        n
        for n, line in enumerate(access.read_text(encoding="utf-8").splitlines(), start=1)
        if n > words and line.strip() == "effect:"
    )
