"""The store is a sink: it keeps what the service hands it and never assesses.

No module of proofing.store imports anything that evaluates a plan or works out a level (the import-linter
contract "store-is-a-sink" in pyproject.toml, which these tests show holding and failing when broken); the store
holds no assessor and no rule base; and a save through the service is the one way a level and index rows arrive.
"""

from __future__ import annotations

import inspect
import re
from pathlib import Path

from proofing.store import Store
from tests.test_shape import _add_import, _lint, tree  # noqa: F401  (tree: a copy of the code a test may break)

ROOT = Path(__file__).resolve().parent.parent
SINK = "The store never assesses: nothing it imports evaluates a plan or works out a"


def test_the_store_imports_nothing_that_assesses() -> None:
    result = _lint(ROOT)
    assert result.returncode == 0, result.stdout + result.stderr
    assert SINK in result.stdout and ", 0 broken." in result.stdout  # the contract is there, and kept


def test_a_store_that_imports_the_assessment_breaks_the_contract(tree: Path) -> None:  # noqa: F811
    _add_import(tree / "proofing" / "store" / "base.py", "from proofing.assessment import assess_agreed  # noqa: F401")
    result = _lint(tree)
    assert result.returncode == 1, result.stdout + result.stderr
    assert "proofing.store is not allowed to import proofing.assessment" in result.stdout
    assert "proofing.store.base -> proofing.assessment" in result.stdout


def test_the_store_reaches_for_nothing_at_run_time() -> None:
    """What import-linter cannot see: an import made by name while running (importlib, __import__)."""
    sources = sorted((ROOT / "proofing" / "store").glob("*.py"))
    assert sources
    for source in sources:
        text = source.read_text(encoding="utf-8")
        assert not re.search(r"importlib|import_module|__import__", text), source.name


def test_the_store_holds_no_assessor_and_no_rule_base() -> None:
    assert list(inspect.signature(Store.__init__).parameters) == ["self", "url"]
    assert not [name for name in dir(Store) if "assessor" in name.lower()]
    restore = inspect.signature(Store.restore).parameters
    assert {"level", "index"} <= set(restore) and "kb" not in restore  # handed what to keep, never a rule base
    assert not hasattr(Store, "keep_both")  # merging both people's changes is the service's (it assesses the merge)
